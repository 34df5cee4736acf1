# SPDX-License-Identifier: GPL-2.0
# Bad frees while kfree() and kmem_cache_free() move between the
# tracepoint fast path and the backend's hooks (backend=auto, policy
# flipping between warn and quarantine), with something in each free's gap
# between the function's entry and its tracepoint: sg_handover's own probe
# on the same tracepoints, called first, waits there and makes a second bad
# free, nested as an interrupt's would be (see the fixture). Every bad free
# must be counted exactly once: none missed because the probes stopped
# checking while it waited, none counted twice because the hook saw it and
# the nested free made the tracepoint forget. Where auto hooks these two
# through ftrace throughout (a direct trampoline: x86_64, arm64 6.12), the
# same run checks that the quarantine's flips lose or double nothing.
# KFENCE is off: the fixture's late cancel reads freed memory on purpose,
# and KFENCE's report of it, for every object it samples, would push the
# reports counted here out of the kernel log.
#@ backends: auto
#@ timeout: 300
#@ cmdline: slab_nomerge kfence.sample_interval=0
#@ allow: ^BUG: slubguard: free of armed timer_list in sg_handover_(free|bad|gap)\+
#@ debug-allow: ^ODEBUG: free active \(active state 0\) object type: timer_list hint: sg_handover_tl_fn\+
#@ debug-allow: ^ODEBUG: assert_init not available \(active state 0\) object type: timer_list hint: sg_handover_tl_fn\+
#@ debug-allow: ^BUG: KASAN: use-after-free in [\s\S]* sg_handover_(bad|gap)\+

SG=/sys/kernel/slubguard
PARAM=/sys/module/sg_handover/parameters
ROUNDS=12

total() {
	sed -n 's/.*total \([0-9]*\).*/\1/p' "$PARAM/counts"
}

# kfree()'s and kmem_cache_free()'s checker now, one line if alike.
hot() {
	grep -E '^(kfree|kmem_cache_free) ' $SG/hooks | cut -d' ' -f2 | sort -u | xargs
}

ktap_plan 8
load_slubguard quarantine_ms=100
warn_by=$(hot)
check "the fixture loads" modprobe sg_handover
echo 1 >"$PARAM/bad"
sleep 1
held_by=
flips=0
i=0
while [ $i -lt $ROUNDS ]; do
	echo quarantine >$SG/policy && flips=$((flips + 1))
	[ -n "$held_by" ] || held_by=$(hot)
	sleep 0.2
	echo warn >$SG/policy && flips=$((flips + 1))
	sleep 0.2
	i=$((i + 1))
done
# Returns once no bad free is under way: the counts below are final.
echo 0 >"$PARAM/bad"
made=$(total)
echo "slubguard-guest: $(cat "$PARAM/counts"); kfree checked by $warn_by under warn, by $held_by under quarantine; $flips policy changes"
expect_eq "every policy change done" $((ROUNDS * 2)) $flips
check "bad frees were made, nested ones too" \
	sh -c "grep -q 'nested [1-9]' $PARAM/counts && test $made -ge 100"
expect_eq "each bad free counted exactly once" "$made" "$(stat armed_frees)"
expect_eq "each reported once: printed or counted as suppressed" "$made" \
	$(($(klog | grep -c '^BUG: slubguard: free of armed') + $(stat reports_suppressed)))
expect_eq "no free dropped by the backend" 0 "$(stat hooks_missed)"
expect_eq "kfree is checked from its tracepoint again" "$warn_by" "$(hot)"
check "the fixture unloads (its cache: nothing held is left in it)" rmmod sg_handover
rmmod slubguard
