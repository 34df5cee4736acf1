# SPDX-License-Identifier: GPL-2.0
# policy=panic (set at modprobe): the seed bug panics at the free site, naming
# the culprit, before the freed memory can be reused.
#@ backends: ftrace kprobe
#@ end: panic
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+
#@ expect: ^slubguard: action: panic$
#@ expect: Kernel panic - not syncing: slubguard: free of armed hrtimer in sg_seed_exit\+
#@ expect: ^\s*(\? )?sg_seed_exit\+0x[0-9a-f]+/0x[0-9a-f]+ \[sg_seed\]
#@ reject: freed memory reused
#@ reject: general protection fault|Unable to handle kernel
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit
#@ allow: Kernel panic - not syncing: slubguard: free of armed hrtimer
#@ allow: ^Call Trace:$

ktap_plan 2
load_slubguard policy=panic
expect_eq "policy set by modprobe" "warn [panic] quarantine" "$(cat /sys/kernel/slubguard/policy)"
modprobe sg_seed
check "the fixture armed its timer" dmesg_has 'sg_seed: armed hrtimer'
rmmod sg_seed
echo "slubguard-guest: no panic happened"
