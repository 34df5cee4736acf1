# SPDX-License-Identifier: GPL-2.0
# The control interface: policy, enabled, quarantine_kb, quarantine_ms,
# poison, report_limit and track_stacks accept exactly their values and
# reject everything else with EINVAL,
# changing nothing; enabled=0 takes slubguard off the free path and the
# timer events (but kmem_cache_destroy), and enabled=1 puts it back and
# re-learns the armed hrtimers; slubguardctl agrees with sysfs; module
# parameters set the same state at load and bad ones make the load fail
# with a reason.
#@ backends: ftrace kprobe
#@ expect: slubguard: policy=bogus: unknown policy \(warn, panic or quarantine\)
#@ expect: slubguard: enabled=2: must be 1 or 0
#@ expect: slubguard: backend=dtrace: unknown backend \(auto, ftrace, kprobe or tracepoint\)
#@ expect: slubguard: quarantine_kb=0: must be a number of KiB from 1 to 1048576
#@ expect: slubguard: quarantine_ms=9: must be a number of ms from 10 to 3600000
#@ expect: slubguard: poison=yes: must be 1 or 0
#@ expect: slubguard: report_limit=-1: must be a number of reports per 5 s from 0 \(no limit\) to 1000000
#@ expect: ^slubguard: disabled: frees and timers are no longer followed$
#@ expect: ^slubguard: [0-9]+ hrtimers were armed before enabling; tracking them$
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+
#@ reject: ^BUG: slubguard: (?!free of armed hrtimer in sg_seed_exit\+)
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: hrtimer hint: sg_seed_poll\+
#@ debug-expect: ^BUG: KASAN: use-after-free in hrtimer_active\+

SG=/sys/kernel/slubguard

# try_write FILE VALUE: succeeds only if the kernel accepted the write.
try_write() {
	printf '%s' "$2" >"$SG/$1" 2>/dev/null
}

# einval_on FILE VALUE: the write fails, and the error is EINVAL.
einval_on() {
	printf '%s' "$2" | dd of="$SG/$1" 2>&1 | grep -q 'Invalid argument'
}

ktap_plan 64
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
# Page frees are checked from the page allocator's tracepoint (pages).
expect_eq "every free function is hooked, and page frees checked" \
	"$(grep -c . $SG/hooks) 0 1" \
	"$(stat hooks_live) $(grep -vcE " $SG_BACKEND live divert( direct)?\$|^__free_pages tracepoint live nodivert\$" $SG/hooks) $(grep -c '^__free_pages tracepoint live nodivert$' $SG/hooks)"
# ftrace calls kfree()'s and kmem_cache_free()'s own trampolines where the
# kernel has direct calls, and ftrace's own list says so too.
if [ "$SG_BACKEND" = ftrace ] && [ "$SG_DIRECT" = 1 ]; then
	want="kfree kmem_cache_free"
else
	want=
fi
expect_eq "the hooks called directly" "$want" "$(grep ' direct$' $SG/hooks | cut -d' ' -f1 | xargs)"
expect_eq "ftrace calls them: sg_direct_<function>" "$want" \
	"$(for f in $want; do grep -A1 "^$f " /sys/kernel/tracing/enabled_functions |
		grep -q "direct-->sg_direct_$f+0x0/" && echo $f; done | xargs)"
check "slubguardctl stats lists backend and hooks" sh -c \
	"slubguardctl stats | grep -q '^backend $SG_BACKEND\$' && slubguardctl stats | grep -q '^hook kvfree_call_rcu $SG_BACKEND live divert\$'"

# The quarantine's settings: defaults, bounds, and the same strictness.
expect_eq "quarantine defaults" "4096 10000 0" \
	"$(cat $SG/quarantine_kb) $(cat $SG/quarantine_ms) $(cat $SG/poison)"
check "quarantine_kb accepts its bounds" sh -c \
	"printf 1 >$SG/quarantine_kb && printf 1048576 >$SG/quarantine_kb"
check "quarantine_ms accepts its bounds" sh -c \
	"printf 10 >$SG/quarantine_ms && printf '3600000\n' >$SG/quarantine_ms"
bad=0
for v in "
" "0" "1048577" "-1" "+5" " 5" "5 " "5k" "0x10" "4096

" "99999999999" "four"; do
	try_write quarantine_kb "$v" && { bad=1; echo "accepted quarantine_kb '$v'"; }
done
expect_eq "quarantine_kb rejects bad values" 0 "$bad"
bad=0
for v in "
" "9" "3600001" "-10" "10ms" "1e3" " 100" "100

" "4294967296"; do
	try_write quarantine_ms "$v" && { bad=1; echo "accepted quarantine_ms '$v'"; }
done
expect_eq "quarantine_ms rejects bad values" 0 "$bad"
check "a bad quarantine_kb fails with EINVAL" einval_on quarantine_kb 0
expect_eq "bounds unchanged by bad writes" "1048576 3600000" \
	"$(cat $SG/quarantine_kb) $(cat $SG/quarantine_ms)"
check "poison accepts 1" try_write poison 1
bad=0
for v in "2" "-1" "yes" "on" "10" " 1" "1x"; do
	try_write poison "$v" && { bad=1; echo "accepted poison '$v'"; }
done
expect_eq "poison rejects bad values" 0 "$bad"
expect_eq "poison unchanged" 1 "$(cat $SG/poison)"
check "track_stacks accepts 1 and 0" sh -c "printf 1 >$SG/track_stacks && printf '0\n' >$SG/track_stacks"
bad=0
for v in "2" "-1" "yes" "on" "10" " 1" "1x"; do
	try_write track_stacks "$v" && { bad=1; echo "accepted track_stacks '$v'"; }
done
expect_eq "track_stacks rejects bad values, unchanged" "0 0" "$bad $(cat $SG/track_stacks)"

# report_limit: 0 (no limit) to 1000000; the same strictness. No bad write
# logs anything at error level or worse.
errs=$(dmesg -l err,crit,alert,emerg | wc -l)
expect_eq "report_limit default" 10 "$(cat $SG/report_limit)"
check "report_limit accepts its bounds" sh -c \
	"printf 0 >$SG/report_limit && printf 1000000 >$SG/report_limit && printf '7\n' >$SG/report_limit"
long=$(head -c 5000 /dev/zero | tr '\0' 1)
bad=0
for v in "
" "-1" "1000001" "+5" " 5" "5 " "5x" "ten" "0x10" "7

" "4294967296" "$long"; do
	try_write report_limit "$v" && { bad=1; echo "accepted report_limit '$v'"; }
done
expect_eq "report_limit rejects bad values" 0 "$bad"
check "a bad report_limit fails with EINVAL" einval_on report_limit -1
expect_eq "report_limit unchanged by bad writes" 7 "$(cat $SG/report_limit)"
bad=0
for f in policy enabled quarantine_kb quarantine_ms poison track_stacks; do
	before=$(cat $SG/$f)
	einval_on $f "$long" || { bad=1; echo "overlong $f: not EINVAL"; }
	[ "$(cat $SG/$f)" = "$before" ] || { bad=1; echo "overlong $f: changed"; }
done
expect_eq "every setting refuses an overlong value with EINVAL, unchanged" 0 "$bad"
expect_eq "no bad write logged at error level" "$errs" "$(dmesg -l err,crit,alert,emerg | wc -l)"
check "slubguardctl status shows report_limit" sh -c "slubguardctl status | grep -qx 'report_limit 7'"
printf 10 >$SG/report_limit
check "policy accepts quarantine" try_write policy quarantine
expect_eq "policy is quarantine" "warn panic [quarantine]" "$(cat $SG/policy)"
try_write policy warn
try_write poison 0
for s in frees_checked armed_frees armed_hrtimer armed_timer_list tracked track_failures \
	quarantined released quarantine_held quarantine_bytes disarmed disarm_deferred \
	quarantine_failures poison_violations armed_delayed_work armed_work_struct \
	repeat_hits reports_suppressed hooks_live hooks_missed tracker_capacity tracker_bytes \
	stack_failures armed_after_free armed_kthread_work armed_kthread_delayed_work; do
	[ -r $SG/stats/$s ] || echo "missing stats/$s"
done >/tmp/missing
check "every counter file exists" test ! -s /tmp/missing

# enabled=0: off the free path, so the seed bug goes unreported.
check "enabled accepts 0" try_write enabled 0
expect_eq "disabled: only kmem_cache_destroy stays hooked" \
	"1 kmem_cache_destroy $SG_BACKEND live divert" "$(stat hooks_live) $(grep -v ' off$' $SG/hooks)"
expect_eq "disabled: nothing tracked" 0 "$(stat tracked)"
modprobe sg_seed reuse=0
checked=$(stat frees_checked)
rmmod sg_seed
expect_eq "disabled: no hit" 0 "$(stat armed_frees)"
expect_eq "disabled: no free checked" "$checked" "$(stat frees_checked)"

# slubguardctl against sysfs, while frees_checked stands still.
slubguardctl stats | grep -v '^tracked \|^tracker_capacity \|^tracker_bytes \|^backend \|^hook ' >/tmp/ctl
for f in $SG/stats/*; do echo "$(basename $f) $(cat $f)"; done |
	grep -v '^tracked \|^tracker_capacity \|^tracker_bytes ' >/tmp/sys
check "slubguardctl stats agrees with sysfs" cmp /tmp/ctl /tmp/sys
check "slubguardctl --version names the loaded module's version" sh -c \
	"slubguardctl --version | grep -qx \"slubguard module: \$(cat /sys/module/slubguard/version)\" &&
	 slubguardctl -j --version | grep -Eqx '\\{\"tool\": \"[0-9.]+\", \"module\": \"[0-9.]+\"\\}'"
check "slubguardctl stats -j is one JSON object" sh -c \
	"slubguardctl stats -j | grep -q '^{\"armed_after_free\":0,\"armed_delayed_work\":0,\"armed_frees\":0,.*,\"backend\":\"$SG_BACKEND\",\"hooks\":{\"kfree\":\"off\",.*}}\$'"
expect_eq "slubguardctl policy" warn "$(slubguardctl policy)"
check "slubguardctl sets a policy" slubguardctl policy panic
expect_eq "sysfs sees it" "warn [panic] quarantine" "$(cat $SG/policy)"
slubguardctl policy bogus 2>/tmp/err
expect_eq "slubguardctl: bad policy is a usage error" 2 "$?"
# Each bad command line: exit 2, a usage hint, and the policy unchanged.
for args in frobnicate --bogus "stats extra" "status -x" "policy a b" "enable 1" \
	"policy ''" "-j frobnicate" "--json=1 stats"; do
	eval "slubguardctl $args" >/dev/null 2>/tmp/err
	rc=$?
	[ $rc = 2 ] && grep -q "Try 'slubguardctl --help'" /tmp/err ||
		echo "slubguardctl $args: exit $rc: $(cat /tmp/err)"
done >/tmp/bad
cat /tmp/bad
check "slubguardctl: every bad command line exits 2 with a usage hint" test ! -s /tmp/bad
expect_eq "and changes nothing" "warn [panic] quarantine" "$(cat $SG/policy)"

# enabled=1: hooked again; the seed's hrtimer, armed while disabled, is
# found by the walk of the timer queues, and its free is caught.
modprobe sg_seed reuse=0
slubguardctl policy warn
check "enabled accepts 1" try_write enabled 1
expect_eq "enabled: every free function is hooked again, and page frees checked" \
	"$(grep -c . $SG/hooks) 0 1" \
	"$(stat hooks_live) $(grep -vcE " $SG_BACKEND live divert( direct)?\$|^__free_pages tracepoint live nodivert\$" $SG/hooks) $(grep -c '^__free_pages tracepoint live nodivert$' $SG/hooks)"
expect_eq "enabled: the same called directly" "$want" "$(grep ' direct$' $SG/hooks | cut -d' ' -f1 | xargs)"
dmesg_mark
rmmod sg_seed
echo "slubguard-guest: after the seed: $(for s in armed_frees stale_skipped repeat_hits frees_checked tracked track_failures; do printf '%s %s ' $s "$(stat $s)"; done)"
expect_eq "enabled: an hrtimer armed while disabled is caught" 1 "$(stat armed_frees)"
check "enabled: reported" dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+'

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
modprobe slubguard quarantine_kb=0 2>/dev/null && fails=1
modprobe slubguard quarantine_ms=9 2>/dev/null && fails=1
modprobe slubguard poison=yes 2>/dev/null && fails=1
modprobe slubguard report_limit=-1 2>/dev/null && fails=1
modprobe slubguard track_stacks=2 2>/dev/null && fails=1
expect_eq "bad parameters refuse the load" "0 no" "$fails $( [ -d $SG ] && echo yes || echo no)"
modprobe slubguard policy=panic enabled=0 backend="$SG_BACKEND"
expect_eq "modprobe policy=panic" "warn [panic] quarantine" "$(cat $SG/policy)"
expect_eq "modprobe enabled=0 backend=$SG_BACKEND" "0 $SG_BACKEND" "$(cat $SG/enabled) $(cat $SG/backend)"
rmmod slubguard
modprobe slubguard policy=quarantine quarantine_kb=64 quarantine_ms=250 poison=1
expect_eq "modprobe quarantine settings" "warn panic [quarantine] 64 250 1" \
	"$(cat $SG/policy) $(cat $SG/quarantine_kb) $(cat $SG/quarantine_ms) $(cat $SG/poison)"
rmmod slubguard
check "unload removes the interface" test ! -d $SG
