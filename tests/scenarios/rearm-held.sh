# SPDX-License-Identifier: GPL-2.0
# The quarantine never gives an armed object back: a driver frees its state
# armed (held, disarmed), then 300 ms later arms the timer again through
# the pointer it kept. When the object is due to leave, slubguard finds it
# armed, reports the use after free with the stack that armed it, disarms
# it and only then gives it back: the callback never runs in reused memory.
#@ backends: ftrace kprobe
#@ timeout: 240
#@ expect: ^BUG: slubguard: armed after free in sg_rearm_init\+
#@ expect: ^slubguard: 1 timer armed again in a quarantined [0-9]+-byte object from kmalloc-[0-9]+:$
#@ expect: ^slubguard: timer_list at offset 0: callback sg_rearm_watchdog\+
#@ expect: ^slubguard: hrtimer at offset [0-9]+: callback sg_rearm_poll\+
#@ expect: ^slubguard: delayed_work at offset [0-9]+: callback sg_rearm_refresh\+
#@ expect: ^slubguard: armed by:$
#@ allow: ^BUG: slubguard: free of armed (timer_list|hrtimer|delayed_work) in sg_rearm_init\+
#@ allow: ^BUG: slubguard: armed after free in sg_rearm_init\+

ktap_plan 10
load_slubguard policy=quarantine quarantine_ms=1000 track_stacks=1
n=0
for k in timer_list hrtimer delayed_work; do
	n=$((n + 1))
	modprobe sg_rearm kind=$k
	wait_stat released $n
	expect_eq "$k: held, found armed again, then released" "$n $n $n" \
		"$(stat quarantined) $(stat armed_after_free) $(stat released)"
	sleep 2.5
	expect_eq "$k: its callback never ran" 0 "$(cat /sys/module/sg_rearm/parameters/fired)"
	check "$k: the fixture unloads" rmmod sg_rearm
done
check "nothing held, nothing of it armed" test "$(stat quarantine_held)" -eq 0
