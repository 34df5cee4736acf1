# SPDX-License-Identifier: GPL-2.0
# policy=quarantine turns the seed bug into a non-event: loaded and unloaded
# 20 times, with the fixture trying to reuse the freed memory each time, every
# free is reported and held instead, its hrtimer disarmed (so no callback runs
# into the unloaded fixture), the memory never reused and the late
# hrtimer_cancel() harmless; after quarantine_ms every object is given back.
#@ backends: ftrace kprobe
#@ timeout: 400
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+
#@ expect: ^slubguard: action: quarantine: timers disarmed, object held$
#@ reject: reused and overwritten
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+

N=20
ktap_plan 11
# report_limit=0: the scenario counts its 20 reports, printed within seconds.
load_slubguard policy=quarantine quarantine_ms=5000 report_limit=0
expect_eq "policy=quarantine at load" "warn panic [quarantine]" \
	"$(cat /sys/kernel/slubguard/policy)"
dmesg_mark
i=0 loaded=0
while [ $i -lt $N ]; do
	i=$((i + 1))
	modprobe sg_seed && loaded=$((loaded + 1))
	rmmod sg_seed
done
expect_eq "the fixture loaded and unloaded $N times" $N "$loaded"
expect_eq "$N reports" $N \
	"$(dmesg_since_mark | grep -c '^BUG: slubguard: free of armed hrtimer in sg_seed_exit+')"
expect_eq "$N objects held, not freed" $N \
	"$(dmesg_since_mark | grep -c '^slubguard: action: quarantine: ')"
expect_eq "the freed memory was never reused" $N \
	"$(dmesg_since_mark | grep -c '^sg_seed: freed memory not reused$')"
expect_eq "armed_frees" $N "$(stat armed_frees)"
expect_eq "quarantined" $N "$(stat quarantined)"
expect_eq "every timer disarmed, now or after its callback" $N \
	"$(($(stat disarmed) + $(stat disarm_deferred)))"

# quarantine_ms=5000 (long enough for the fixture's late cancel to come
# first, on a busy debug kernel too): all leave within 10 s of the last.
wait_stat quarantine_held 0
expect_eq "released, by the end" $N "$(stat released)"
expect_eq "nothing held" "0 0" "$(stat quarantine_held) $(stat quarantine_bytes)"
expect_eq "quarantined == released + held" "$(stat quarantined)" \
	"$(($(stat released) + $(stat quarantine_held)))"
