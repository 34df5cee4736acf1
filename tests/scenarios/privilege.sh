# SPDX-License-Identifier: GPL-2.0
# A user other than root changes no setting (sysfs or slubguardctl) and
# cannot read the kernel log, where reports go; counters stay readable. The
# pointer in a report is hashed (%p), as the kernel prints pointers unless
# booted with no_hash_pointers (raw-pointers).
#@ backends: ftrace
#@ expect: ^slubguard: kfree\(00000000[0-9a-f]{8}\) of a 128-byte object from cache kmalloc-128, holding 1 armed timer:$
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+

SG=/sys/kernel/slubguard

as_nobody() {
	su -s /bin/sh nobody -c "$1" </dev/null
}

ktap_plan 7
load_slubguard policy=quarantine
check "the test user is not root" sh -c "test \"\$(su -s /bin/sh nobody -c 'id -u')\" = 65534"
bad=0
for f in policy enabled quarantine_kb quarantine_ms poison report_limit; do
	before=$(cat $SG/$f)
	as_nobody "printf 1 >$SG/$f" 2>/dev/null && { bad=1; echo "nobody wrote $f"; }
	[ "$(cat $SG/$f)" = "$before" ] || { bad=1; echo "$f changed"; }
done
expect_eq "a user cannot change any setting" 0 "$bad"
as_nobody "slubguardctl policy panic" 2>/tmp/err
expect_eq "slubguardctl as a user: refused, exit 1" "1 warn panic [quarantine]" "$? $(cat $SG/policy)"
check "slubguardctl says why" grep -qi 'permission denied' /tmp/err
check "a user reads the counters" as_nobody "slubguardctl stats >/dev/null"
dmesg_mark
modprobe sg_seed reuse=0
rmmod sg_seed
check "the seed's free is reported" dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+'
check "a user cannot read the kernel log" sh -c "! su -s /bin/sh nobody -c dmesg >/dev/null 2>&1"
