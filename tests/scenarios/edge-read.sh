# SPDX-License-Identifier: GPL-2.0
# Nothing outside the freed object is read or written: a timer_list armed
# with delayed_work_timer_fn() at the first byte of a vmalloc area (what an
# entry of a delayed_work left behind by reused memory looks like) has the
# page before it unmapped, where its delayed_work's work_struct would be.
# slubguard reports it as the timer_list it is, at offset 0, and disarms it
# as one (a delayed_work's cancel would write in that page and oops).
#@ backends: ftrace kprobe
#@ expect: ^BUG: slubguard: free of armed timer_list in sg_edge_init\+
#@ expect: ^slubguard: timer_list at offset 0: callback delayed_work_timer_fn\+0x0/0x[0-9a-f]+, expires in
#@ allow: ^BUG: slubguard: free of armed timer_list in sg_edge_init\+
#@ reject: Unable to handle kernel|BUG: unable to handle page fault|Oops

ktap_plan 4
load_slubguard policy=quarantine
check "the fixture loads" modprobe sg_edge
expect_eq "reported and held as a timer_list" "1 1 1 0" \
	"$(stat armed_frees) $(stat armed_timer_list) $(stat quarantined) $(stat armed_delayed_work)"
expect_eq "disarmed where it lies" 1 "$(stat disarmed)"
check "given back at unload" rmmod slubguard
