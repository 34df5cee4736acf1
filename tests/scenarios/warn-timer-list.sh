# SPDX-License-Identifier: GPL-2.0
# policy=warn: kmem_cache_free() of an object whose timer_list, at a non-zero
# offset, is pending: reported with the object's own cache, the object's
# size and the timer's offset, as the fixture prints them (48 of 88 bytes on
# Debian's kernels; lockdep makes a timer_list larger on the debug kernel).
#@ backends: ftrace kprobe tracepoint
#@ expect: ^BUG: slubguard: free of armed timer_list in sg_cache_timer_exit\+0x[0-9a-f]+/0x[0-9a-f]+ \[sg_cache_timer\]$
#@ expect: ^slubguard: kmem_cache_free\([0-9a-f]+\) of a [0-9]+-byte object from cache sg_cache_obj, holding 1 armed timer:$
#@ expect: ^slubguard: timer_list at offset [0-9]+: callback sg_cache_watchdog\+0x0/0x[0-9a-f]+ \[sg_cache_timer\], expires in [0-9]+
#@ allow: ^BUG: slubguard: free of armed timer_list in sg_cache_timer_exit
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: timer_list hint: sg_cache_watchdog\+
#@ debug-allow: ^ODEBUG: assert_init not available \(active state 0\) object type: timer_list hint: sg_cache_watchdog\+
#@ debug-allow: ^BUG: KASAN: use-after-free in (__lock_acquire|del_timer_sync|__timer_delete_sync|try_to_del_timer_sync|lock_timer_base)\+

ktap_plan 6
load_slubguard
dmesg_mark
modprobe sg_cache_timer
set -- $(dmesg_since_mark | sed -n 's/^sg_cache_timer: armed timer_list at offset \([0-9]*\) of \([0-9]*\)$/\1 \2/p')
dmesg_mark
rmmod sg_cache_timer
check "title names the culprit" dmesg_has '^BUG: slubguard: free of armed timer_list in sg_cache_timer_exit\+'
check "report names the object's cache and size (${2:-?})" dmesg_has "of a ${2:-?}-byte object from cache sg_cache_obj,"
check "report gives offset (${1:-?}) and callback" dmesg_has "timer_list at offset ${1:-?}: callback sg_cache_watchdog\\+"
expect_eq "armed_frees is 1" 1 "$(stat armed_frees)"
expect_eq "armed_timer_list is 1" 1 "$(stat armed_timer_list)"
expect_eq "armed_hrtimer is 0" 0 "$(stat armed_hrtimer)"
