# SPDX-License-Identifier: GPL-2.0
# The control interface: policy and enabled accept exactly their values and
# reject everything else with EINVAL, changing nothing; enabled=0 stops the
# checks; slubguardctl agrees with sysfs; module parameters set the same
# state at load and bad ones make the load fail with a reason.
#@ backends: ftrace
#@ expect: slubguard: policy=bogus: unknown policy \(warn, panic or quarantine\)
#@ expect: slubguard: enabled=2: must be 1 or 0
#@ expect: slubguard: backend=dtrace: unknown backend \(ftrace or kprobe\)
#@ reject: ^BUG: slubguard

SG=/sys/kernel/slubguard

# try_write FILE VALUE: succeeds only if the kernel accepted the write.
try_write() {
	printf '%s' "$2" >"$SG/$1" 2>/dev/null
}

# einval_on FILE VALUE: the write fails, and the error is EINVAL.
einval_on() {
	printf '%s' "$2" | dd of="$SG/$1" 2>&1 | grep -q 'Invalid argument'
}

ktap_plan 28
load_slubguard
expect_eq "policy lists all, active in brackets" "[warn] panic quarantine" "$(cat $SG/policy)"
check "policy accepts panic" try_write policy panic
expect_eq "policy switched" "warn [panic] quarantine" "$(cat $SG/policy)"
check "policy accepts a trailing newline" try_write policy "warn
"
expect_eq "policy switched back" "[warn] panic quarantine" "$(cat $SG/policy)"
bad=0
# (An empty write never reaches the kernel; a lone newline does.)
for v in "
" "wa" "warnx" "warn " " warn" "WARN" "panic

" "quarantin" "warn panic" "-1"; do
	try_write policy "$v" && { bad=1; echo "accepted policy '$v'"; }
done
expect_eq "policy rejects bad values" 0 "$bad"
expect_eq "policy unchanged by bad writes" "[warn] panic quarantine" "$(cat $SG/policy)"
check "a bad write fails with EINVAL" einval_on policy wrn

bad=0
for v in "
" "2" "-1" "yes" "y" "on" "1x" " 1" "10" "01" "1

"; do
	try_write enabled "$v" && { bad=1; echo "accepted enabled '$v'"; }
done
expect_eq "enabled rejects bad values" 0 "$bad"
expect_eq "enabled unchanged" 1 "$(cat $SG/enabled)"
check "backend is read-only" sh -c "! printf kprobe >$SG/backend 2>/dev/null"
for s in frees_checked armed_frees armed_hrtimer armed_timer_list tracked track_failures; do
	[ -r $SG/stats/$s ] || echo "missing stats/$s"
done >/tmp/missing
check "every counter file exists" test ! -s /tmp/missing

# enabled=0: frees are no longer checked, so the seed bug goes unreported.
check "enabled accepts 0" try_write enabled 0
modprobe sg_seed reuse=0
checked=$(stat frees_checked)
rmmod sg_seed
expect_eq "disabled: no hit" 0 "$(stat armed_frees)"
expect_eq "disabled: no free checked" "$checked" "$(stat frees_checked)"

# slubguardctl against sysfs, while frees_checked stands still.
slubguardctl stats | grep -v '^tracked \|^tracker_capacity ' >/tmp/ctl
for f in $SG/stats/*; do echo "$(basename $f) $(cat $f)"; done |
	grep -v '^tracked \|^tracker_capacity ' >/tmp/sys
check "slubguardctl stats agrees with sysfs" cmp /tmp/ctl /tmp/sys
check "slubguardctl stats -j is one JSON object" sh -c \
	"slubguardctl stats -j | grep -q '^{\"armed_frees\":0,\"armed_hrtimer\":0,.*}\$'"
expect_eq "slubguardctl policy" warn "$(slubguardctl policy)"
check "slubguardctl sets a policy" slubguardctl policy panic
expect_eq "sysfs sees it" "warn [panic] quarantine" "$(cat $SG/policy)"
slubguardctl policy bogus 2>/tmp/err
expect_eq "slubguardctl: bad policy exits 1" 1 "$?"
slubguardctl frobnicate 2>/dev/null
expect_eq "slubguardctl: usage error exits 2" 2 "$?"
try_write enabled 1

# Module parameters: the same state at load; bad values refuse the load.
echo "slubguard-guest: unloading"
rmmod slubguard
echo "slubguard-guest: unloaded"
slubguardctl stats >/dev/null 2>/tmp/err
expect_eq "slubguardctl: not loaded exits 1" 1 "$?"
check "slubguardctl says it is not loaded" grep -q 'not loaded' /tmp/err
fails=0
modprobe slubguard policy=bogus 2>/dev/null && fails=1
modprobe slubguard enabled=2 2>/dev/null && fails=1
modprobe slubguard backend=dtrace 2>/dev/null && fails=1
expect_eq "bad parameters refuse the load" "0 no" "$fails $( [ -d $SG ] && echo yes || echo no)"
modprobe slubguard policy=panic enabled=0 backend=kprobe
expect_eq "modprobe policy=panic" "warn [panic] quarantine" "$(cat $SG/policy)"
expect_eq "modprobe enabled=0 backend=kprobe" "0 kprobe" "$(cat $SG/enabled) $(cat $SG/backend)"
rmmod slubguard
check "unload removes the interface" test ! -d $SG
