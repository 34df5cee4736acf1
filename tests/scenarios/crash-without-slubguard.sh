# SPDX-License-Identifier: GPL-2.0
# Without slubguard, the seed fixture reproduces the bug: the freed object is
# reused, and the kernel crashes in timer code, far from the kfree() that
# caused it. This proves the fixture holds the real bug. (The timer's
# callback may crash on the reused memory before the fixture says it wrote
# it: that it got the freed object back is the evidence of reuse. Or the
# crash comes while the fixture is still taking objects to get it back: the
# allocation that handed the slot out zeroed it (Debian's init_on_alloc),
# and the next timer interrupt met the zeroed node, seen on 6.12 arm64 with
# sg_seed_reuse_here() as the interrupted frame. What the fault looks like
# depends on what the new owner wrote: a non-canonical address, a NULL
# pointer met in the rbtree, or a NULL callback that the timer interrupt
# calls: pc 0 with __hrtimer_run_queues as the caller. The function may be
# a compiler's clone: hrtimer_reprogram.constprop.0 on 6.12-rt arm64.)
#@ backends: none
#@ kernels: 6.1 6.12
#@ kernels-why: debugobjects cancels the seed's hrtimer at its kfree() there: the crash this scenario proves cannot happen (debugobjects-seed shows its report)
#@ cmdline: oops=panic
#@ end: panic
#@ expect: ^(sg_seed: got the freed object back after [0-9]+ allocations$|\s*(\? |RIP: 0010:)?sg_seed_reuse_here\+)
#@ expect: (general protection fault|Unable to handle kernel|BUG: kernel NULL pointer dereference)
#@ expect: ^((RIP: 0010:|pc : )(lock_hrtimer_base|hrtimer_\w+|__hrtimer_\w+|__remove_hrtimer|enqueue_hrtimer|timerqueue_\w+|rb_\w+)(\.\w+)*\+|lr : __hrtimer_run_queues\+)
#@ reject: slubguard:
#@ allow: .

ktap_plan 2
check "slubguard is not loaded" test ! -d /sys/kernel/slubguard
modprobe sg_seed
check "the fixture armed its timer" dmesg_has 'sg_seed: armed hrtimer'
rmmod sg_seed
echo "slubguard-guest: the kernel survived the seed bug"
