# SPDX-License-Identifier: GPL-2.0
# The seed's bug without slubguard, on the debug kernel: debugobjects
# reports the free of the active hrtimer inside kfree(), warns, and fixes
# it (the timer is cancelled there), so the machine goes on. What it names
# is set beside slubguard's report in Documentation/debugobjects.rst.
#@ backends: none
#@ kernels: debug
#@ kernels-why: debugobjects is in the debug kernel only
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: hrtimer hint: sg_seed_poll\+
#@ debug-expect: ^BUG: KASAN: use-after-free in hrtimer_active\+
#@ reject: slubguard:

ktap_plan 2
check "slubguard is not loaded" test ! -d /sys/kernel/slubguard
dmesg_mark
modprobe sg_seed reuse=0
rmmod sg_seed
check "debugobjects' warning has the free in its stack" dmesg_has '^ *sg_seed_exit\+0x'
# Were the timer still queued, its callback, unloaded with the module, would
# crash the guest before it powers off (the oracle wants it to).
sleep 1
