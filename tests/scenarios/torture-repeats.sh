# SPDX-License-Identifier: GPL-2.0
# A regression kept from the torture generator (oracle 2, seed
# 3410761372634301215, 2026-12-07): under policy=warn a work still running
# in memory freed was reported again at each later free of the reused
# memory while it slept (5 repeats in 20,000 frees). A running callback's
# registry entry now goes with its report. The same seed where policy=warn
# runs (the debug kernel; elsewhere the torture scenarios hold bad frees in
# quarantine). Its programs have changed since (no bad kfree_rcu() on this
# kernel now): 20,000 frees made no bad free with a work running, so it runs
# 100,000 and requires some.
#@ kernels: debug
#@ kernels-why: policy=warn needs debugobjects to make the bad frees harmless: the debug kernel only
#@ backends: ftrace kprobe
#@ timeout: 900
#@ cmdline: slab_nomerge
#@ allow: ^BUG: slubguard: free of armed (hrtimer|timer_list|delayed_work|work_struct|kthread_delayed_work) in
#@ reject: ^BUG: slubguard: (?!free of armed)
#@ debug-allow: ^ODEBUG: free active \(active state 0\) object type: (hrtimer|timer_list|work_struct) hint: (t_[a-z]+_fn|delayed_work_timer_fn)\+

SG_SEED=3410761372634301215
# Found before bad frees with a running timer_list callback existed: their programs.
SG_TORTURE_ARGS=bad_spin=0
SG_FREES=100000
SG_MIN_RUNNING=3
. /tests/scenarios/torture.sh
