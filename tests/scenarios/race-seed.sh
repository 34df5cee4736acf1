# SPDX-License-Identifier: GPL-2.0
# The seed's bug, hundreds of times in one boot, against a busy periodic
# hrtimer (sg_race): each free lands at a random point of the timer's life,
# on its CPU or while it runs on the other, between its callback's return and
# its re-enqueue included. Every free is a bug: slubguard must count as many
# armed frees as the fixture made. Reports go to the log, not the console.
#@ backends: ftrace kprobe
#@ repeat: 4
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_race_init\+

ktap_plan 3
load_slubguard policy=quarantine quarantine_kb=64
dmesg -n 1
modprobe sg_race rounds=400
made=$(dmesg | sed -n 's/.*sg_race: \([0-9]*\) armed frees.*/\1/p')
dmesg | grep 'sg_race: '
echo "slubguard-guest: armed_frees $(stat armed_frees) stale_skipped $(stat stale_skipped) track_failures $(stat track_failures) quarantined $(stat quarantined)"
check "the fixture ran" test "${made:-0}" -gt 0
expect_eq "every armed free reported" "$made" "$(stat armed_frees)"
expect_eq "no arm event lost" 0 "$(stat track_failures)"
