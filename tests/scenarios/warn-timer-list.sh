# SPDX-License-Identifier: GPL-2.0
# policy=warn: kmem_cache_free() of an object whose timer_list, at a non-zero
# offset, is pending: reported with the object's own cache and the offset.
#@ backends: ftrace kprobe
#@ expect: ^BUG: slubguard: free of armed timer_list in sg_cache_timer_exit\+0x[0-9a-f]+/0x[0-9a-f]+ \[sg_cache_timer\]$
#@ expect: ^slubguard: kmem_cache_free\([0-9a-f]+\) of a 88-byte object from cache sg_cache_obj, holding 1 armed timer:$
#@ expect: ^slubguard: timer_list at offset 48: callback sg_cache_watchdog\+0x0/0x[0-9a-f]+ \[sg_cache_timer\], expires in [0-9]+
#@ allow: ^BUG: slubguard: free of armed timer_list in sg_cache_timer_exit

ktap_plan 6
load_slubguard
modprobe sg_cache_timer
dmesg_mark
rmmod sg_cache_timer
check "title names the culprit" dmesg_has '^BUG: slubguard: free of armed timer_list in sg_cache_timer_exit\+'
check "report names the object's cache" dmesg_has 'of a 88-byte object from cache sg_cache_obj,'
check "report gives offset and callback" dmesg_has 'timer_list at offset 48: callback sg_cache_watchdog\+'
expect_eq "armed_frees is 1" 1 "$(stat armed_frees)"
expect_eq "armed_timer_list is 1" 1 "$(stat armed_timer_list)"
expect_eq "armed_hrtimer is 0" 0 "$(stat armed_hrtimer)"
