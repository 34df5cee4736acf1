# SPDX-License-Identifier: GPL-2.0
# Under policy=warn, a kfree_rcu() of an object whose hrtimer is armed is
# reported at the queueing and noted, so that the RCU batch's free is not
# reported again. Here the timer is cancelled before the batch frees the
# object, so that free finds nothing armed: it must use the note up all the
# same. The memory then comes back as a new object whose timer is armed and
# which is freed (under quarantine): a bug of its own, reported, not taken
# for the batch's free and counted as a repeat.
#@ backends: ftrace kprobe
#@ cmdline: slab_nomerge
#@ kernels: 6.1 6.12
#@ kernels-why: KASAN holds freed objects in its own quarantine there, so the object the RCU batch frees does not come back for the fixture to arm again
#@ expect: ^sg_rcu_note: got the freed object back, armed its hrtimer$
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_rcu_note_queue\+
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_rcu_note_free\+
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_rcu_note_(queue|free)\+

SG=/sys/kernel/slubguard

ktap_plan 5
load_slubguard report_limit=0
check "the freed object comes back to the fixture" modprobe sg_rcu_note
expect_eq "the queueing is reported" "1 0" "$(stat armed_frees) $(stat repeat_hits)"
echo quarantine >$SG/policy
rmmod sg_rcu_note
expect_eq "the free at the same address is reported, not a repeat" "2 0" \
	"$(stat armed_frees) $(stat repeat_hits)"
expect_eq "and its object held until the cache went" "1 1" "$(stat quarantined) $(stat released)"
check "rmmod slubguard" rmmod slubguard
