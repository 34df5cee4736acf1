# SPDX-License-Identifier: GPL-2.0
# 60 seconds of load on 4 vCPUs (sg_stress: on every CPU, objects with timers
# armed, cancelled, expired and restarted, freed from process context, from
# softirq, from hard interrupts and through kfree_rcu()), while the policy
# flips between warn and quarantine every 100 ms and slubguard is unloaded
# and loaded again after each 2-second period, with frees and timer
# callbacks in flight. Under TCG, with 4 busy vCPUs, a load takes 1.5 to 5 s
# on arm64 and an unload 1 to 2 s (text patching, grace periods; each period
# prints both), and reading the counters takes seconds more, so the run
# lasts 60 s and at least 4 periods. In each loaded period the fixture makes deliberate bad frees, from
# all three contexts and through kfree(), kmem_cache_free() and kfree_rcu():
# slubguard must count exactly as many, print or count as suppressed each
# report once, lose no arm event, and hit no correct free. After the last
# unload, no object is left in quarantine: the bad objects' cache holds none.
# Neither backend may drop a free (hooks_missed stays 0): the kprobe backend
# runs only where kprobes are breakpoints, taken with interrupts masked.
#@ backends: ftrace kprobe
#@ smp: 4
#@ timeout: 600
#@ cmdline: slab_nomerge
#@ allow: ^BUG: slubguard: free of armed (hrtimer|timer_list) in sg_stress_bad\+
#@ reject: Objects remaining|still has objects

SECONDS_TOTAL=60

# Centiseconds since boot.
now_cs() {
	tr -d . </proc/uptime | cut -d' ' -f1
}
PARAM=/sys/module/sg_stress/parameters

total() {
	sed -n 's/.*total \([0-9]*\).*/\1/p' "$PARAM/counts"
}

ktap_plan 14
expect_eq "4 CPUs online" 4 "$(nproc)"
check "the load runs" modprobe sg_stress

# The policy flips every 100 ms while slubguard is loaded; the writes fail,
# unseen, while it is not.
(
	while :; do
		echo quarantine >/sys/kernel/slubguard/policy 2>/dev/null
		usleep 100000
		echo warn >/sys/kernel/slubguard/policy 2>/dev/null
		usleep 100000
	done
) &
flipper=$!

periods=0 made_all=0 got_all=0 wrong=0 twice=0 lost=0 loaded_ok=0 unloaded_ok=0 gave_back=0 dropped=0
end=$(($(date +%s) + SECONDS_TOTAL))
while [ "$(date +%s)" -lt $end ] || [ $periods -lt 4 ]; do
	periods=$((periods + 1))
	t0=$(now_cs)
	load_slubguard quarantine_ms=200 && loaded_ok=$((loaded_ok + 1))
	load_cs=$(($(now_cs) - t0))
	dmesg_mark
	before=$(total)
	echo 1 >"$PARAM/bad"
	sleep 2
	# Returns once no bad free is under way: the counts below are final.
	echo 0 >"$PARAM/bad"
	made=$(($(total) - before))
	got=$(stat armed_frees)
	printed=$(dmesg_since_mark | grep -c '^BUG: slubguard: free of armed')
	suppressed=$(stat reports_suppressed)
	failures=$(stat track_failures)
	missed=$(stat hooks_missed)
	echo "slubguard-guest: period $periods: bad frees $made, armed_frees $got, printed $printed, suppressed $suppressed, track_failures $failures, hooks_missed $missed, quarantined $(stat quarantined), stale_skipped $(stat stale_skipped)"
	[ "$got" = "$made" ] || wrong=$((wrong + 1))
	dropped=$((dropped + missed))
	[ $((printed + suppressed)) = "$got" ] || twice=$((twice + 1))
	lost=$((lost + failures))
	made_all=$((made_all + made))
	got_all=$((got_all + got))
	# Unloaded with the load running: frees and callbacks in flight.
	t0=$(now_cs)
	rmmod slubguard && unloaded_ok=$((unloaded_ok + 1))
	echo "slubguard-guest: period $periods: load took ${load_cs}0 ms, unload $(($(now_cs) - t0))0 ms"
	# Held objects from kmalloc (kfree_rcu's) are not in the bad cache
	# checked at the end: each unload must give back all it ever held.
	dmesg_since_mark | sed -n 's/^slubguard: unloaded: .*(\([0-9]*\) quarantined, \([0-9]*\) released in all)$/\1 \2/p' |
		awk '$1 == $2 { ok = 1 } END { exit !ok }' && gave_back=$((gave_back + 1))
done
kill $flipper
wait $flipper 2>/dev/null

echo "slubguard-guest: $(cat "$PARAM/counts")"
expect_eq "loaded and unloaded $periods times, each time successfully" "$periods $periods" \
	"$loaded_ok $unloaded_ok"
check "bad frees were made ($made_all)" test $made_all -ge 50
check "from every context and through every freeing function" \
	sh -c "! grep -qw 0 $PARAM/counts"
echo "slubguard-guest: $got_all of $made_all bad frees counted; $dropped frees dropped by the backend"
expect_eq "every bad free counted, in every period" 0 $wrong
expect_eq "no free dropped by the backend" 0 $dropped
expect_eq "each reported once: printed or counted as suppressed" 0 $twice
expect_eq "no arm event lost" 0 $lost
check "slubguard is gone" test ! -d /sys/kernel/slubguard
expect_eq "nothing left in quarantine: no bad object in use" 0 "$(slab_active sg_stress_bad)"
expect_eq "each unload gave back all it held" "$periods" "$gave_back"
check "the load stops" rmmod sg_stress
check "its caches are destroyed" sh -c "! grep -Eq '^(sg_stress_obj|sg_stress_bad) ' /proc/slabinfo"
