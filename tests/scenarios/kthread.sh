# SPDX-License-Identifier: GPL-2.0
# kthread_worker users: an object freed with its kthread_work queued on the
# worker's list, or its kthread_delayed_work's timer armed. Each is reported
# with its kind, offset and function; under quarantine it is held, taken
# off the worker as kthread_cancel_work_sync() and
# kthread_cancel_delayed_work_sync() would, poisoned, then given back
# unwritten; destroying the worker at unload is clean.
#@ backends: ftrace kprobe
#@ timeout: 240
#@ expect: ^slubguard: kthread_work at offset 24: callback sg_kthread_flush\+0x0/0x[0-9a-f]+ \[sg_kthread\], queued, not started$
#@ expect: ^slubguard: kthread_delayed_work at offset [0-9]+: callback sg_kthread_poll\+0x0/0x[0-9a-f]+ \[sg_kthread\], expires in [0-9.]+ ms$
#@ allow: ^BUG: slubguard: free of armed kthread_(delayed_)?work in sg_kthread_init\+
#@ reject: list_del corruption|list_add corruption|still has objects

ktap_plan 6
load_slubguard policy=quarantine poison=1 quarantine_ms=1000
n=0
for w in work delayed; do
	n=$((n + 1))
	modprobe sg_kthread what=$w
	expect_eq "$w: reported and held" "$n $n" "$(stat armed_frees) $(stat quarantined)"
	wait_stat released $n
	check "$w: the worker is destroyed cleanly" rmmod sg_kthread
done
expect_eq "by kind" "1 1" "$(stat armed_kthread_work) $(stat armed_kthread_delayed_work)"
expect_eq "both given back, unwritten" "2 0 0" \
	"$(stat released) $(stat quarantine_held) $(stat poison_violations)"
