# SPDX-License-Identifier: GPL-2.0
# A regression kept from the torture generator (oracle 1, seed
# 1932686799764317475, 2026-12-07): a timer armed again through a stale
# pointer in an object held by the quarantine, while the object's disarm
# was put off to process context (a kthread_delayed_work, which cannot be
# stopped where it is freed; a delayed_work, or a callback running), was
# cancelled by that deferred disarm without a report: 17 of 62 re-arms were
# not reported. The deferred disarm now drops the timer's registry entry at
# the free and reports an entry found when it runs. The same programs,
# 30,000 frees.
#@ backends: ftrace kprobe
#@ timeout: 600
#@ cmdline: slab_nomerge
#@ allow: ^BUG: slubguard: free of armed (hrtimer|timer_list|delayed_work|work_struct|kthread_delayed_work) in
#@ allow: ^BUG: slubguard: armed after free in
#@ reject: ^BUG: slubguard: (?!free of armed|armed after free)
#@ debug-allow: ^ODEBUG: free active \(active state 0\) object type: (hrtimer|timer_list|work_struct) hint: (t_[a-z]+_fn|delayed_work_timer_fn)\+

SG_SEED=1932686799764317475
# Found before bad frees with a running timer_list callback existed: their programs.
SG_TORTURE_ARGS=bad_spin=0
SG_FREES=30000
. /tests/scenarios/torture.sh
