# SPDX-License-Identifier: GPL-2.0
# A miss no longer: a teardown that stops its timer_list, work or
# delayed_work with the call that does not wait (del_timer(),
# cancel_work(), cancel_delayed_work()) and frees the object while the
# callback runs on the other CPU. The object is not pending, so the kernel's
# debugobjects lets that free pass. slubguard reports it, saying the
# callback is running and where; under quarantine the object is held until
# the callback has returned, then given back intact. Last, the same bug in a
# module's exit, whose object comes from its own cache (with a constructor)
# that the exit destroys: the work, in the module's text, runs on after the
# exit returns. slubguard finishes the put-off destroy, waiting for the
# callback, before the module's text goes; the module loads again, its
# cache made anew under the same name.
#@ backends: ftrace kprobe
#@ timeout: 240
#@ expect: ^sg_running: bad free: timer_list callback running on CPU [0-9]+, not pending$
#@ expect: ^slubguard: timer_list at offset [0-9]+: callback sg_running_poll\+0x0/0x[0-9a-f]+ \[sg_running\], running on CPU [0-9]+, not queued$
#@ expect: ^slubguard: work_struct at offset [0-9]+: callback sg_running_refresh\+0x0/0x[0-9a-f]+ \[sg_running\], running on CPU [0-9]+, not queued$
#@ expect: ^slubguard: work_struct at offset [0-9]+: callback sg_running_retry\+0x0/0x[0-9a-f]+ \[sg_running\], running on CPU [0-9]+, not queued$
#@ allow: ^BUG: slubguard: free of armed (timer_list|work_struct) in sg_running_teardown\+
#@ reject: ^BUG: slubguard: write after free

ktap_plan 13
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

# at_exit=1: the bad free, and the cache's destroy, in the module's exit.
wait_stat released 1
modprobe sg_running kind=work sleep=1 at_exit=1
check "at_exit: unloads while its work runs" rmmod sg_running
expect_eq "at_exit: held, then given back" "2 2" "$(stat quarantined) $(stat released)"
check "at_exit: its cache is gone" sh -c "! grep -q '^sg_running_obj ' /proc/slabinfo"
check "at_exit: the module loads again, its cache made anew" sh -c \
	"modprobe sg_running kind=work sleep=1 at_exit=1 && rmmod sg_running"
