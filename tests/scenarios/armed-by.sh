# SPDX-License-Identifier: GPL-2.0
# Who armed the timer: with track_stacks=1, the report of the seed's free
# names the code that armed its hrtimer, sg_seed_start(), though the timer
# has restarted itself from its callback many times since; slubguard's own
# frames are not in that stack. Turned off at runtime, reports carry no
# such stack; turned on again, a timer armed before says its stack is not
# known.
#@ backends: ftrace kprobe
#@ expect: ^slubguard: armed by:$
#@ expect: ^slubguard: armed by: not known \(armed before track_stacks=1
#@ allow: ^BUG: slubguard: free of armed (hrtimer|timer_list) in (sg_seed_exit|sg_uaf_write_exit)\+
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: hrtimer hint: sg_seed_poll\+
#@ debug-expect: ^BUG: KASAN: use-after-free in hrtimer_active\+

SG=/sys/kernel/slubguard

# The report since the mark has no "armed by" line.
no_armed_by() {
	! dmesg_since_mark | grep -q 'armed by'
}

# The stack printed under "armed by:" in the report since the mark.
armed_by() {
	dmesg_since_mark | awk '/^slubguard: armed by:$/ { on = 1; next }
		on && /^slubguard: / { exit } on { print $1 }'
}

ktap_plan 9
load_slubguard track_stacks=1
expect_eq "track_stacks=1 at load" 1 "$(cat $SG/track_stacks)"
dmesg_mark
modprobe sg_seed reuse=0
# The seed's hrtimer restarts every 10 ms: let it run a while.
sleep 1
rmmod sg_seed
armed_by >/tmp/stack
echo "slubguard-guest: armed by: $(tr '\n' ' ' </tmp/stack)"
# (GCC may name a clone of it sg_seed_start.constprop.0.)
check "the report says who armed the timer" grep -q '^sg_seed_start[+.]' /tmp/stack
check "through the kernel's hrtimer_start" grep -q '^hrtimer_start_range_ns+' /tmp/stack
check "no slubguard frame in it" sh -c "! grep -q '\[slubguard\]\|__traceiter_' /tmp/stack"
expect_eq "no stack lost" 0 "$(stat stack_failures)"

# Off at runtime: no stack in reports.
echo 0 >$SG/track_stacks
dmesg_mark
modprobe sg_seed reuse=0
rmmod sg_seed
check "off: the report has no armed-by" no_armed_by

# On again: a timer armed while it was off has no stack. (Quarantine: the
# fixture never cancels its timer.)
modprobe sg_uaf_write
echo 1 >$SG/track_stacks
echo quarantine >$SG/policy
dmesg_mark
rmmod sg_uaf_write
check "armed while off: not known, and it says why" \
	dmesg_has '^slubguard: armed by: not known \(armed before track_stacks=1, or the stack depot was full'
expect_eq "three hits in all" 3 "$(stat armed_frees)"
rmmod slubguard
check "unloaded" test ! -d $SG
