# SPDX-License-Identifier: GPL-2.0
# backend=kprobe where the kernel places kprobes through ftrace (x86_64
# here): there the kprobe core drops a free that interrupts another free's
# kprobe, so slubguard refuses that backend at load, with a clear error,
# whatever else is asked, and loads with ftrace. Where a kprobe is a
# breakpoint (arm64 here), backend=kprobe loads and checks frees. Which
# case this is, the kernel tells by itself: a kprobe on kfree made through
# tracefs is listed with [FTRACE] or without.
#@ backends: kprobe
#@ kprobes-on-ftrace: run

SG=/sys/kernel/slubguard
ktap_plan 5
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
echo 'p:sg_probe kfree' >/sys/kernel/tracing/kprobe_events
listed=$(grep -E ' kfree\+0x[0-9a-f]+ ' /sys/kernel/debug/kprobes/list)
echo "slubguard-guest: the kernel's kprobes: $(cat /sys/kernel/debug/kprobes/list)"
echo '-:sg_probe' >>/sys/kernel/tracing/kprobe_events
check "the kernel lists its own kprobe on kfree" test -n "$listed"
if echo "$listed" | grep -q '\[FTRACE\]'; then
	dmesg_mark
	modprobe slubguard backend=kprobe 2>/dev/null
	expect_eq "kprobes on ftrace: backend=kprobe is refused" "1 no" \
		"$? $( [ -d $SG ] && echo yes || echo no)"
	check "saying why" dmesg_has \
		'^slubguard: backend=kprobe: kprobes sit on ftrace on this kernel, .*; use backend=ftrace$'
	modprobe slubguard backend=kprobe enabled=0 policy=quarantine 2>/dev/null
	expect_eq "disabled or not" "1 no" "$? $( [ -d $SG ] && echo yes || echo no)"
	modprobe slubguard backend=ftrace
	expect_eq "backend=ftrace loads there" "ftrace 1" "$(cat $SG/backend) $(cat $SG/enabled)"
else
	check "a breakpoint kprobe: backend=kprobe loads" modprobe slubguard backend=kprobe
	expect_eq "and is the backend" "kprobe 1" "$(cat $SG/backend) $(cat $SG/enabled)"
	checked=$(stat frees_checked)
	ls -R / >/dev/null 2>&1
	check "frees are checked" test "$(stat frees_checked)" -gt "$checked"
	expect_eq "none dropped" 0 "$(stat hooks_missed)"
fi
rmmod slubguard
