# SPDX-License-Identifier: GPL-2.0
# Deferred callbacks other than timers: a delayed_work whose timer is armed
# is reported as a delayed_work, at its own offset, naming the work function;
# a work_struct queued and not started is reported as such (each at the
# offset the fixture prints: the debug kernel's lockdep makes them larger);
# an object holding
# an hrtimer, a timer_list, a delayed_work and a queued work is reported once,
# listing all four. Under quarantine each is cancelled, and the fixture's
# workqueue drains and goes away cleanly.
#@ backends: ftrace kprobe
#@ expect: ^slubguard: delayed_work at offset [0-9]+: callback sg_kinds_work_fn\+0x0/0x[0-9a-f]+ \[sg_kinds\], expires in
#@ expect: ^slubguard: work_struct at offset [0-9]+: callback sg_kinds_work_fn\+0x0/0x[0-9a-f]+ \[sg_kinds\], queued, not started$
#@ expect: ^slubguard: kfree\([0-9a-f]+\) of a [0-9]+-byte object from cache kmalloc-[0-9a-z]+, holding 4 armed timers:$
#@ reject: ^sg_kinds: works of freed objects that ran: [1-9]
#@ expect: ^sg_kinds: works of freed objects that ran: 0$
#@ allow: ^BUG: slubguard: free of armed (delayed_work|work_struct|hrtimer) in sg_kinds_free\+

ktap_plan 11
load_slubguard policy=quarantine quarantine_ms=200
dmesg_mark
# The offset sg_kinds printed for "what" (delayed_work or work_struct).
fixture_offset() {
	dmesg_since_mark | sed -n "s/^sg_kinds: .* $1 at offset \([0-9]*\).*/\1/p" | head -n 1
}
modprobe sg_kinds what=delayed_work
check "delayed_work: caught" dmesg_has '^BUG: slubguard: free of armed delayed_work in sg_kinds_free\+'
check "delayed_work: at its offset ($(fixture_offset delayed_work))" \
	dmesg_has "^slubguard: delayed_work at offset $(fixture_offset delayed_work): "
rmmod sg_kinds
dmesg_mark
modprobe sg_kinds what=work
check "work_struct: caught" dmesg_has '^BUG: slubguard: free of armed work_struct in sg_kinds_free\+'
check "work_struct: at its offset ($(fixture_offset work_struct))" \
	dmesg_has "^slubguard: work_struct at offset $(fixture_offset work_struct): "
rmmod sg_kinds
dmesg_mark
modprobe sg_kinds what=all
check "all four: one report" sh -c "[ \$(dmesg | grep -c '^\[[^]]*\] BUG: slubguard: free of armed') = 3 ]"
n=$(dmesg_since_mark | grep -cE '^slubguard: (hrtimer|timer_list|delayed_work|work_struct) at offset')
expect_eq "all four: one line each" 4 "$n"
# Before the fixture goes: an hrtimer of an unloaded module shows no name.
check "its hrtimer was cancelled" sh -c "! grep -q sg_kinds_hrtimer_fn /proc/timer_list"
rmmod sg_kinds
expect_eq "hits" "3 2 2" "$(stat armed_frees) $(stat armed_delayed_work) $(stat armed_work_struct)"
expect_eq "and the timers" "1 1" "$(stat armed_hrtimer) $(stat armed_timer_list)"
wait_stat quarantine_held 0
expect_eq "all released" "3 3" "$(stat quarantined) $(stat released)"
expect_eq "nothing failed" "0 0" "$(stat quarantine_failures) $(stat track_failures)"
