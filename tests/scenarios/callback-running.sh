# SPDX-License-Identifier: GPL-2.0
# A miss no longer: a teardown that stops its timer_list, work or
# delayed_work with the call that does not wait (del_timer(),
# cancel_work(), cancel_delayed_work()) and frees the object while the
# callback runs on the other CPU. The object is not pending, so the kernel's
# debugobjects lets that free pass. slubguard reports it, saying the
# callback is running and where; under quarantine the object is held until
# the callback has returned, then given back intact.
#@ backends: ftrace kprobe
#@ timeout: 240
#@ expect: ^sg_running: bad free: timer_list callback running on CPU [0-9]+, not pending$
#@ expect: ^slubguard: timer_list at offset [0-9]+: callback sg_running_poll\+0x0/0x[0-9a-f]+ \[sg_running\], running on CPU [0-9]+, not queued$
#@ expect: ^slubguard: work_struct at offset [0-9]+: callback sg_running_refresh\+0x0/0x[0-9a-f]+ \[sg_running\], running on CPU [0-9]+, not queued$
#@ expect: ^slubguard: work_struct at offset [0-9]+: callback sg_running_retry\+0x0/0x[0-9a-f]+ \[sg_running\], running on CPU [0-9]+, not queued$
#@ allow: ^BUG: slubguard: free of armed (timer_list|work_struct) in sg_running_teardown\+
#@ reject: ^BUG: slubguard: write after free

ktap_plan 9
load_slubguard
n=0
for k in "timer_list" "work" "work sleep=1" "delayed_work"; do
	modprobe sg_running kind=$k
	rmmod sg_running
	n=$((n + 1))
	expect_eq "$k: reported" "$n" "$(stat armed_frees)"
done
expect_eq "one timer_list, three works" "1 3" "$(stat armed_timer_list) $(stat armed_work_struct)"
check "each report says where the callback runs" \
	test "$(grep -c ', running on CPU [0-9]*, not queued$' /sys/kernel/slubguard/reports)" -eq 4

echo quarantine >/sys/kernel/slubguard/policy
echo 1 >/sys/kernel/slubguard/poison
echo 1000 >/sys/kernel/slubguard/quarantine_ms
modprobe sg_running kind=timer_list
expect_eq "quarantine: held, its disarm left until the callback returns" "1 1" \
	"$(stat quarantined) $(stat disarm_deferred)"
wait_stat released 1
expect_eq "given back once the callback returned, unwritten" "1 0 0" \
	"$(stat released) $(stat quarantine_held) $(stat poison_violations)"
check "the fixture unloads" rmmod sg_running
