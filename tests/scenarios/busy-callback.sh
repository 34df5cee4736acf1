# SPDX-License-Identifier: GPL-2.0
# A free on one CPU while the object's hrtimer callback runs on the other (it
# re-armed its timer and busy-waits): the timer cannot be cancelled from the
# free without waiting, so the object is held with its timer noted; the
# release work waits for the callback in process context, cancels the timer,
# poisons the object, and gives it back later. No crash, no callback runs
# into freed memory. Then the same with the callback re-arming only after
# the free (late=1): at the free the timer is not queued, its callback runs
# on the other CPU, and it is caught all the same.
#@ backends: ftrace kprobe
#@ expect: ^sg_busy_cb: freed the object while its callback ran$
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_busy_cb_init\+
#@ expect: ^slubguard: action: quarantine: object held; what could not be stopped here \(a callback running, a work\) is stopped in process context before it leaves$
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_busy_cb_init\+
# late=1: the callback re-arms its timer after the free. If the release
# work looks before it waits for the callback, it finds the timer queued
# again in the held object and reports that too (true: the callback used
# the freed object); if it waits first, it cancels it without a word. Seen
# under an overloaded host.
#@ allow: ^BUG: slubguard: armed after free in sg_busy_cb_init\+

ktap_plan 9
load_slubguard policy=quarantine poison=1 quarantine_ms=1000
modprobe sg_busy_cb
expect_eq "held, disarm deferred" "1 1 0" \
	"$(stat quarantined) $(stat disarm_deferred) $(stat disarmed)"
wait_stat released 1
expect_eq "released once the callback was done" "1 0" \
	"$(stat released) $(stat quarantine_held)"
expect_eq "the timer was cancelled: nothing of it tracked" 0 \
	"$(grep -c sg_busy_poll /proc/timer_list)"
expect_eq "poisoned after the wait, and intact" 0 "$(stat poison_violations)"
sleep 1
check "the fixture unloads" rmmod sg_busy_cb
expect_eq "no second hit" 1 "$(stat armed_frees)"

# late=1: not queued at the free, only running.
modprobe sg_busy_cb late=1
expect_eq "late re-arm: held, disarm deferred" "2 2 2" \
	"$(stat armed_frees) $(stat quarantined) $(stat disarm_deferred)"
wait_stat released 2
expect_eq "late re-arm: released once the callback was done, intact" "2 0 0" \
	"$(stat released) $(stat quarantine_held) $(stat poison_violations)"
check "the fixture unloads again" rmmod sg_busy_cb
