# SPDX-License-Identifier: GPL-2.0
# When another ftrace user already diverts kfree() (as a livepatch would),
# slubguard cannot make it return early through ftrace: it still hooks it to
# report, but refuses policy=quarantine with a clear error, through sysfs and
# at load, and the policy stays as it was. The kprobe backend runs only
# where a kprobe is a breakpoint (kprobe-refused), which diverts before any
# ftrace user runs, so quarantine works there, and is shown to. Once
# slubguard holds the divert, a later
# livepatch-like user is the one refused; disabled, slubguard lets go of
# it, and if a livepatch-like user comes in meanwhile, enabling slubguard
# again under policy=quarantine is refused and it stays disabled.
#@ backends: ftrace kprobe
#@ kernels: 6.1 6.12 debug
#@ kernels-why: another ftrace user's divert is what it tests: the GKI-shaped kernel has no function tracer
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+

SG=/sys/kernel/slubguard
ktap_plan 11
check "a livepatch-like user owns kfree" modprobe sg_ipmodify
dmesg_mark
check "slubguard still loads" load_slubguard
expect_eq "policy starts at warn" "[warn] panic quarantine" "$(cat $SG/policy)"
if [ "$SG_BACKEND" = kprobe ]; then
	check "a breakpoint kprobe needs no ftrace divert" sh -c \
		"! dmesg | grep -q 'diverted by another ftrace user'"
	check "quarantine is accepted" sh -c "printf quarantine >$SG/policy"
	modprobe sg_seed reuse=0
	rmmod sg_seed
	expect_eq "a hit is held" "1 1" "$(stat armed_frees) $(stat quarantined)"
	rmmod slubguard
	check "and released at unload" dmesg_has '^slubguard: unloaded: released the 1 objects'
else
	check "the log says kfree cannot be diverted" dmesg_has \
		"^slubguard: ftrace: kfree is diverted by another ftrace user; hooking it without quarantine\$"
	printf quarantine | dd of=$SG/policy 2>&1 | grep -q 'Device or resource busy'
	expect_eq "quarantine refused with EBUSY" 0 "$?"
	expect_eq "policy unchanged" "[warn] panic quarantine" "$(cat $SG/policy)"
	rmmod slubguard
	dmesg_mark
	modprobe slubguard policy=quarantine 2>/dev/null
	expect_eq "policy=quarantine at load is refused" "1 no" \
		"$? $( [ -d $SG ] && echo yes || echo no)"
fi

# Holding the divert, slubguard keeps a later livepatch-like user out, as the
# kernel keeps out any second IPMODIFY user (not needed for a breakpoint).
rmmod sg_ipmodify
load_slubguard
if [ "$SG_BACKEND" = kprobe ]; then
	check "a later ftrace user still loads" modprobe sg_ipmodify
else
	check "a later livepatch-like user is refused" sh -c "! modprobe sg_ipmodify 2>/dev/null"
fi

rmmod sg_ipmodify 2>/dev/null
printf quarantine >$SG/policy
printf 0 >$SG/enabled
check "disabled, kfree is free for a livepatch-like user" modprobe sg_ipmodify
if [ "$SG_BACKEND" = kprobe ]; then
	check "enabling under quarantine works (a breakpoint)" sh -c "printf 1 >$SG/enabled"
	expect_eq "and it is enabled" 1 "$(cat $SG/enabled)"
else
	printf 1 | dd of=$SG/enabled 2>&1 | grep -q 'Device or resource busy'
	expect_eq "enabling under quarantine is refused with EBUSY" 0 "$?"
	expect_eq "and it stays disabled" "0 1" "$(cat $SG/enabled) $(stat hooks_live)"
fi
rmmod slubguard
rmmod sg_ipmodify
