# SPDX-License-Identifier: GPL-2.0
# A delayed_work (or kthread_delayed_work) freed with its timer pending,
# whose own work was queued once and cancelled while queued (its registry
# entry stays: no event says so). While the timer pends, that work looks
# queued too. One report, as the delayed work, not a second one for its
# work; and the quarantine stops it without spinning (cancel_work() on the
# work of a pending delayed_work never returns: a soft lockup the torture
# generator found).
#@ backends: ftrace kprobe
#@ expect: ^slubguard: delayed_work at offset 0: callback sg_pending_refresh\+
#@ expect: ^slubguard: kthread_delayed_work at offset [0-9]+: callback sg_pending_poll\+
#@ allow: ^BUG: slubguard: free of armed (delayed_work|kthread_delayed_work) in sg_pending_init\+
#@ reject: work_struct at offset|kthread_work at offset

ktap_plan 6
load_slubguard policy=quarantine
n=0
for k in work kthread; do
	n=$((n + 1))
	check "$k: the fixture loads" modprobe sg_pending kind=$k
	expect_eq "$k: one hit, one object held" "$n $n" "$(stat armed_frees) $(stat quarantined)"
	check "$k: the fixture unloads" rmmod sg_pending
done
