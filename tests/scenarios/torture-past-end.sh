# SPDX-License-Identifier: GPL-2.0
# A regression kept from the torture generator (oracle 2, seed
# 15849450692140874770, 2026-12-07): KASAN reported slab-out-of-bounds in
# work_hint. slubguard read a registry entry left by an earlier object in a
# large kmalloc's last page, past the size asked for, which KASAN poisons.
# An entry whose object would run past the range's end is now dropped
# unread (unit case past_end), and the live check reads with KASAN's reports
# off. The same programs, 150 s, under debugobjects and KASAN.
#@ kernels: debug
#@ kernels-why: the bug was a KASAN report: KASAN is in the debug kernel only
#@ backends: ftrace kprobe
#@ timeout: 900
#@ cmdline: slab_nomerge
#@ allow: ^BUG: slubguard: free of armed (hrtimer|timer_list|delayed_work|work_struct|kthread_delayed_work) in
#@ reject: ^BUG: slubguard: (?!free of armed)
#@ debug-allow: ^ODEBUG: free active \(active state 0\) object type: (hrtimer|timer_list|work_struct) hint: (t_[a-z]+_fn|delayed_work_timer_fn)\+

SG_SEED=15849450692140874770
# Found before bad frees with a running timer_list callback existed: their programs.
SG_TORTURE_ARGS=bad_spin=0
SG_FREES=1000000000
SG_SECS=150
. /tests/scenarios/torture.sh
