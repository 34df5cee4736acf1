# SPDX-License-Identifier: GPL-2.0
# The tracepoint fast path: kfree() and kmem_cache_free() checked from their
# kmem tracepoints. backend=auto (the default) does so where kfree() has no
# direct trampoline (arm64 6.1 here, and a kernel without a function tracer,
# where kprobes hook the rest), outside quarantine: entering
# quarantine moves the two functions to the backend's diverting hooks, and
# leaving it moves them back. backend=tracepoint does so on every kernel and
# refuses quarantine, at load and later, with a clear error. Reports from
# the tracepoints name the same culprit, cache and timer as the hooks'.
#@ backends: auto
#@ allow: ^BUG: slubguard: free of armed (hrtimer|timer_list) in sg_(seed|cache_timer)_exit\+
#@ expect: ^slubguard: backend=tracepoint checks kfree\(\) and kmem_cache_free\(\) from their tracepoints, which cannot hold an object: no quarantine \(load with backend=auto, ftrace or kprobe\)$
#@ expect: ^slubguard: backend=tracepoint cannot hold an object: policy=quarantine needs backend=auto, ftrace or kprobe$
#@ expect: ^slubguard: backend=bogus: unknown backend \(auto, ftrace, kprobe or tracepoint\)$
#@ debug-allow: ^ODEBUG: free active \(active state 0\) object type: (hrtimer|timer_list) hint: sg_(seed_poll|cache_watchdog)\+
#@ debug-allow: ^ODEBUG: assert_init not available \(active state 0\) object type: timer_list hint: sg_cache_watchdog\+
#@ debug-allow: ^BUG: KASAN: use-after-free in (hrtimer_active|del_timer_sync|__timer_delete_sync|timer_delete_sync|try_to_del_timer_sync|lock_timer_base)\+

SG=/sys/kernel/slubguard

# The state of kfree()'s and kmem_cache_free()'s hooks, one line if alike.
hot() {
	grep -E '^(kfree|kmem_cache_free) ' $SG/hooks | cut -d' ' -f2- | sort -u | xargs
}

# Where kfree() has no direct trampoline, auto takes the tracepoints; on a
# kernel without a function tracer (the GKI-shaped one, no
# set_ftrace_filter), kprobes for the rest.
base=ftrace
[ -e /sys/kernel/tracing/set_ftrace_filter ] || base=kprobe
case "$base $(uname -m) $(uname -r)" in
kprobe*)
	auto="tracepoint live nodivert"
	held="kprobe live divert"
	;;
"ftrace aarch64 6.1."*)
	auto="tracepoint live nodivert"
	held="ftrace live divert"
	;;
*)
	auto="ftrace live divert direct"
	held="ftrace live divert direct"
	;;
esac

ktap_plan 19
load_slubguard
expect_eq "auto: kfree and kmem_cache_free" "$auto" "$(hot)"
expect_eq "auto: the rest on the backend's hooks" "$base live divert" \
	"$(grep -E '^(kvfree|vfree) ' $SG/hooks | cut -d' ' -f2- | sort -u | xargs)"
echo quarantine >$SG/policy
expect_eq "auto, quarantine: kfree and kmem_cache_free divert" "$held" "$(hot)"
# A bad kfree() in quarantine: held, so never freed armed.
modprobe sg_seed reuse=0
sleep 1
rmmod sg_seed
expect_eq "auto, quarantine: the bad kfree() is held" "1 1" "$(stat armed_frees) $(stat quarantined)"
echo warn >$SG/policy
expect_eq "auto, warn again: kfree and kmem_cache_free" "$auto" "$(hot)"
wait_stat quarantine_held 0
rmmod slubguard

modprobe slubguard backend=tracepoint
expect_eq "backend=tracepoint: the backend" tracepoint "$(cat $SG/backend)"
expect_eq "backend=tracepoint: kfree and kmem_cache_free" "tracepoint live nodivert" "$(hot)"
check "backend=tracepoint: the rest hooked" test "$(stat hooks_live)" = "$(grep -c . $SG/hooks)"
dmesg_mark
modprobe sg_seed reuse=0
sleep 1
rmmod sg_seed
check "tracepoint: kfree() caught, culprit named" \
	dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+'
check "tracepoint: cache, size and freeing function" \
	dmesg_has '^slubguard: kfree\([0-9a-f]+\) of a 128-byte object from cache kmalloc-128, holding 1 armed timer:$'
first=$(dmesg_since_mark | grep -A1 '^slubguard: freed by task' | tail -n 1)
check "tracepoint: the stack starts at the culprit" sh -c "echo '$first' | grep -q '^ *sg_seed_exit+'"
modprobe sg_cache_timer
rmmod sg_cache_timer
check "tracepoint: kmem_cache_free() caught" \
	dmesg_has '^BUG: slubguard: free of armed timer_list in sg_cache_timer_exit\+'
expect_eq "tracepoint: counted once each" 2 "$(stat armed_frees)"
check "tracepoint: quarantine refused" sh -c "! echo quarantine >$SG/policy"
expect_eq "tracepoint: the policy stays" "[warn] panic quarantine" "$(cat $SG/policy)"
expect_eq "tracepoint: the hooks stay" "tracepoint live nodivert" "$(hot)"
rmmod slubguard
check "backend=tracepoint policy=quarantine: not loaded" \
	sh -c "! modprobe slubguard backend=tracepoint policy=quarantine 2>/dev/null"
check "backend=bogus: not loaded" sh -c "! modprobe slubguard backend=bogus 2>/dev/null"
check "nothing left loaded" test ! -d $SG
