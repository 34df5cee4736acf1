# SPDX-License-Identifier: GPL-2.0
# An hrtimer that fired, in memory reused since, whose bytes read "queued":
# no report. Two hrtimers due at the same instant run back to back on one
# CPU; the second's callback writes the first's state byte and frees its
# object, before that CPU returns from any other callback, so slubguard
# still has the first timer's entry (a sleeper on a dead task's stack is the
# real case: seen once as a report in delayed_vfree_work() under stress).
# In hard interrupt and in softirq. Then the control: the first callback
# restarts its timer, which is really queued when the second frees it:
# reported, disarmed and held.
#@ backends: ftrace kprobe
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_fired_second\+
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_fired_second\+

ktap_plan 7
load_slubguard policy=quarantine
for m in hard soft; do
	stale=$(stat stale_skipped)
	check "fired, reused, freed from the next callback ($m)" modprobe sg_fired mode=$m
	rmmod sg_fired
	expect_eq "not reported ($m)" 0 "$(stat armed_frees)"
	check "its entry was met and found not armed ($m)" test "$(stat stale_skipped)" -gt "$stale"
done
for m in hard soft; do
	modprobe sg_fired mode=$m rearm=1 && rmmod sg_fired
done
expect_eq "restarted, then freed: reported, disarmed and held, both" "2 2 2 2" \
	"$(stat armed_frees) $(stat armed_hrtimer) $(stat disarmed) $(stat quarantined)"
