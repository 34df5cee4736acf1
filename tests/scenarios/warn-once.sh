# SPDX-License-Identifier: GPL-2.0
# Reported once per freed object: under policy=warn, kfree_rcu() of an object
# whose hrtimer is armed is reported when the free is queued, naming the code
# that queued it; when the RCU batch frees it later, the still-armed timer is
# not reported a second time (counted in repeat_hits instead).
#@ backends: ftrace kprobe
#@ cmdline: slab_nomerge
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_free_kfree_rcu_cache\+
#@ expect: ^slubguard: kfree_rcu\([0-9a-f]+\) of a [0-9]+-byte object from cache
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_free_kfree_rcu_cache\+
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: hrtimer hint: sg_path_timer\+

ktap_plan 4
load_slubguard
dmesg_mark
modprobe sg_free_paths path=kfree_rcu_cache
wait_stat repeat_hits 1
expect_eq "the RCU batch's free was not reported again" 1 "$(stat repeat_hits)"
expect_eq "one hit" "1 1" "$(stat armed_frees) $(stat armed_hrtimer)"
expect_eq "one report" 1 "$(dmesg_since_mark | grep -c '^BUG: slubguard')"
check "the report names the code that queued the free" \
	dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_free_kfree_rcu_cache\+'
# The fixture stays loaded: its freed object still holds the armed timer.
