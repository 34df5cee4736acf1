# SPDX-License-Identifier: GPL-2.0
# When another ftrace user already diverts kfree() (as a livepatch would),
# slubguard's ftrace backend cannot make it return early: it still hooks it to
# report, but refuses policy=quarantine with a clear error, through sysfs and
# at load, and the policy stays as it was.
#@ backends: ftrace
#@ expect: slubguard: ftrace: kfree is diverted by another ftrace user; hooking it without quarantine$
#@ expect: slubguard: quarantine needs to divert the free functions; another ftrace user \(a livepatch\?\) owns one of them
#@ expect: slubguard: policy=quarantine is not possible on this kernel now; not loading
#@ reject: ^BUG: slubguard

SG=/sys/kernel/slubguard
ktap_plan 7
check "a livepatch-like user owns kfree" modprobe sg_ipmodify
check "slubguard still loads" load_slubguard
expect_eq "policy starts at warn" "[warn] panic quarantine" "$(cat $SG/policy)"
printf quarantine 2>/dev/null >$SG/policy
expect_eq "quarantine refused" 1 "$?"
printf quarantine | dd of=$SG/policy 2>&1 | grep -q 'Device or resource busy'
expect_eq "with EBUSY" 0 "$?"
expect_eq "policy unchanged" "[warn] panic quarantine" "$(cat $SG/policy)"
rmmod slubguard
modprobe slubguard policy=quarantine 2>/dev/null
expect_eq "policy=quarantine at load is refused" "1 no" \
	"$? $( [ -d $SG ] && echo yes || echo no)"
