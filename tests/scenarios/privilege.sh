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
# Each value is valid and differs from the current one: a write that got
# through would change the setting, and root's write of it succeeds.
bad=0
for fv in policy:panic enabled:0 quarantine_kb:1 quarantine_ms:20 poison:1 report_limit:1 \
	track_stacks:1; do
	f=${fv%%:*} v=${fv#*:}
	before=$(cat $SG/$f)
	as_nobody "printf $v >$SG/$f" 2>/tmp/err && { bad=1; echo "nobody wrote $f"; }
	grep -q 'Permission denied' /tmp/err || { bad=1; echo "$f: $(cat /tmp/err)"; }
	[ "$(cat $SG/$f)" = "$before" ] || { bad=1; echo "$f changed"; }
	printf "$v" >$SG/$f && printf "$before" | sed 's/.*\[\(.*\)\].*/\1/' >$SG/$f ||
		{ bad=1; echo "root could not write $f=$v and back"; }
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
# Debian's kernels restrict the log (CONFIG_SECURITY_DMESG_RESTRICT); the
# debug kernel, built from defconfig, is told to, as a system would be.
grep -q 1 /proc/sys/kernel/dmesg_restrict || echo 1 >/proc/sys/kernel/dmesg_restrict
check "a user cannot read the kernel log" sh -c "! su -s /bin/sh nobody -c dmesg >/dev/null 2>&1"
