# SPDX-License-Identifier: GPL-2.0
# policy=warn: the seed bug (kfree() of an object whose hrtimer is armed) is
# reported with the right culprit, callback, cache, size and offset, the free
# goes on, and the counters say so.
#@ backends: ftrace kprobe tracepoint
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+0x[0-9a-f]+/0x[0-9a-f]+ \[sg_seed\]$
#@ expect: ^slubguard: kfree\([0-9a-f]+\) of a 128-byte object from cache kmalloc-128, holding 1 armed timer:$
#@ expect: ^slubguard: hrtimer at offset 0: callback sg_seed_poll\+0x0/0x[0-9a-f]+ \[sg_seed\], (expires in|due [0-9.]+ ms ago)
#@ expect: ^slubguard: action: warn
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: hrtimer hint: sg_seed_poll\+
#@ debug-expect: ^BUG: KASAN: use-after-free in hrtimer_active\+

ktap_plan 10
load_slubguard
check "slubguard is loaded" test -d /sys/kernel/slubguard
expect_eq "backend is $SG_BACKEND" "$SG_BACKEND" "$(cat /sys/kernel/slubguard/backend)"
modprobe sg_seed reuse=0
sleep 1
check "the armed timer is tracked" test "$(stat tracked)" -gt 0
checked=$(stat frees_checked)
dmesg_mark
rmmod sg_seed
check "title names the culprit" dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+'
check "report names the callback" dmesg_has 'hrtimer at offset 0: callback sg_seed_poll\+'
check "report names cache and size" dmesg_has 'of a 128-byte object from cache kmalloc-128'
# The first stack frame after the header is the culprit.
first=$(dmesg_since_mark | grep -A1 '^slubguard: freed by task' | tail -n 1)
check "stack starts at the culprit" sh -c "echo '$first' | grep -q '^ *sg_seed_exit+'"
expect_eq "armed_frees is 1" 1 "$(stat armed_frees)"
expect_eq "armed_hrtimer is 1" 1 "$(stat armed_hrtimer)"
check "frees were checked" test "$(stat frees_checked)" -gt "$checked"
