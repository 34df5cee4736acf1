# SPDX-License-Identifier: GPL-2.0
# 60 seconds (sg.secs=N: N) of load on 4 vCPUs (sg_stress: on every CPU, objects with timers
# armed, cancelled, expired and restarted, freed from process context, from
# softirq, from hard interrupts and through kfree_rcu()), while the policy
# flips between warn and quarantine every 100 ms and slubguard is unloaded
# and loaded again after each 2-second period, with frees and timer
# callbacks in flight. In each loaded period the fixture makes deliberate
# bad frees, from all three contexts and through kfree(), kmem_cache_free()
# and kfree_rcu(): slubguard must count exactly as many, print or count as
# suppressed each report once, lose no arm event, and hit no correct free.
# After the last unload, no object is left in quarantine: the bad objects'
# cache holds none. Neither backend may drop a free (hooks_missed stays 0):
# the kprobe backend runs only where kprobes are breakpoints, taken with
# interrupts masked.
#
# Each period prints how long its steps took. Under TCG, with 4 busy vCPUs
# (and another guest beside, in the suite), a load takes 0.6 to 4 s on arm64
# and an unload 0.2 to 0.8 s (text patching, interprocessor calls, grace
# periods), and the shell that drives it all at nice -20; the periods' logs
# are read in the background, and judged after the last: slubguard is
# loaded again every 4 to 10 s on arm64, and the test requires it every
# 20 s at most (80 s on the debug kernel, which KASAN and lockdep make
# several times slower; there debugobjects also warns of the bad frees,
# cancels their timers inside the free, from hard interrupts too, where its
# del_timer_sync() warns and lockdep sees the timer's lock taken in hardirq
# (or under the fixture's hardirq-safe lock),
# and the fixture's late del_timer() then reads freed memory (KASAN) and
# meets an object debugobjects no longer knows).
#@ backends: ftrace kprobe auto
#@ smp: 4
#@ timeout: 600
#@ cmdline: slab_nomerge
#@ allow: ^BUG: slubguard: free of armed (hrtimer|timer_list) in sg_stress_bad\+
#@ reject: Objects remaining|still has objects
#@ debug-allow: ^ODEBUG: free active \(active state 0\) object type: (hrtimer|timer_list) hint: sg_stress_(ht|tl)_fn\+
#@ debug-allow: ^ODEBUG: assert_init not available \(active state 0\) object type: timer_list hint: sg_stress_tl_fn\+
#@ debug-allow: ^WARNING: CPU: [0-9]+ PID: [0-9]+ at kernel/time/timer.c:[0-9]+ __timer_delete_sync\+[\s\S]* timer_fixup_free\+
#@ debug-allow: ^WARNING: (inconsistent lock state|HARDIRQ-safe -> HARDIRQ-unsafe lock order detected)[\s\S]*\(&o->tl\)[\s\S]* timer_fixup_free\+
#@ debug-allow: ^BUG: KASAN: use-after-free in [\s\S]* sg_stress_bad\+
#@ debug-allow: ^BUG: KFENCE: use-after-free read in [\s\S]* sg_stress_bad\+

# Shorter on the wide run's kernels (tests/targets).
SECONDS_TOTAL=${SG_SECS:-60}

# Centiseconds since boot.
now_cs() {
	# Not "0.95" without its dot: a leading 0 is octal to the shell.
	awk '{ printf "%d\n", $1 * 100 + 0.5 }' /proc/uptime
}
PARAM=/sys/module/sg_stress/parameters

total() {
	sed -n 's/.*total \([0-9]*\).*/\1/p' "$PARAM/counts"
}

ktap_plan 15
expect_eq "4 CPUs online" 4 "$(nproc)"
check "the load runs" modprobe sg_stress
# The load's threads keep every vCPU busy: the shell that loads, unloads
# and reads the counters goes first, as an administrator's would not have
# to, or each command waits seconds for a CPU.
renice -n -20 -p $$ >/dev/null

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

# The counters of one moment, in one read: "armed_frees suppressed
# track_failures hooks_missed quarantined stale_skipped repeat_hits".
counters() {
	(cd /sys/kernel/slubguard/stats &&
		cat armed_frees reports_suppressed track_failures hooks_missed quarantined \
			stale_skipped repeat_hits) | tr '\n' ' '
}

# The kernel log from mark $1 to the next.
period_log() {
	klog | awk -v m="slubguard-guest-mark $1" '$0 == m { seen = 1; next }
		seen && /^slubguard-guest-mark / { exit } seen'
}

periods=0 loaded_ok=0 unloaded_ok=0 cycle_cs=0
: >/tmp/periods
end=$(($(date +%s) + SECONDS_TOTAL))
t0=$(now_cs)
while [ "$(date +%s)" -lt $end ] || [ $periods -lt 4 ]; do
	periods=$((periods + 1))
	dmesg_mark
	mark=$(cat /tmp/dmesg.mark)
	load_slubguard quarantine_ms=200 && loaded_ok=$((loaded_ok + 1))
	t1=$(now_cs)
	before=$(total)
	echo 1 >"$PARAM/bad"
	sleep 2
	# Returns once no bad free is under way: the counts below are final.
	echo 0 >"$PARAM/bad"
	made=$(($(total) - before))
	t2=$(now_cs)
	echo "$periods $made $(counters)" >>/tmp/periods
	t3=$(now_cs)
	# Unloaded with the load running: frees and callbacks in flight.
	rmmod slubguard && unloaded_ok=$((unloaded_ok + 1))
	t4=$(now_cs)
	# Its log is read meanwhile, in the background: the next load goes on.
	period_log "$mark" >"/tmp/period.$periods.log" &
	echo "slubguard-guest: period $periods: cycle $(((t4 - t0) * 10)) ms: load $(((t1 - t0) * 10)), bad frees $(((t2 - t1) * 10)), counters $(((t3 - t2) * 10)), unload $(((t4 - t3) * 10))"
	cycle_cs=$((cycle_cs + t4 - t0))
	t0=$t4
done
kill $flipper
wait

made_all=0 got_all=0 wrong=0 twice=0 lost=0 gave_back=0 dropped=0
while read -r p made got suppressed failures missed quarantined stale repeats; do
	printed=$(grep -c '^BUG: slubguard: free of armed' "/tmp/period.$p.log")
	echo "slubguard-guest: period $p: bad frees $made, armed_frees $got, printed $printed, suppressed $suppressed, track_failures $failures, hooks_missed $missed, quarantined $quarantined, stale_skipped $stale, repeat_hits $repeats"
	[ "$got" = "$made" ] || wrong=$((wrong + 1))
	dropped=$((dropped + missed))
	[ $((printed + suppressed)) = "$got" ] || twice=$((twice + 1))
	lost=$((lost + failures))
	made_all=$((made_all + made))
	got_all=$((got_all + got))
	# Held objects from kmalloc (kfree_rcu's) are not in the bad cache
	# checked at the end: each unload must give back all it ever held.
	sed -n 's/^slubguard: unloaded: .*(\([0-9]*\) quarantined, \([0-9]*\) released in all)$/\1 \2/p' \
		"/tmp/period.$p.log" | awk '$1 == $2 { ok = 1 } END { exit !ok }' &&
		gave_back=$((gave_back + 1))
done </tmp/periods

echo "slubguard-guest: $(cat "$PARAM/counts")"
cycle_ms=$((cycle_cs * 10 / periods))
echo "slubguard-guest: $periods periods, slubguard loaded again every $cycle_ms ms"
limit_ms=20000
case "$(uname -r)" in *-sgdebug) limit_ms=80000 ;; esac
check "loaded again every few seconds ($cycle_ms ms on average)" test $cycle_ms -le $limit_ms
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
