# SPDX-License-Identifier: GPL-2.0
# The torture generator and its oracles. sg_torture plays random programs
# from a seed (printed; `make torture SEED=N` replays it): objects of every
# allocator slubguard hooks, holding hrtimers, timer_lists, delayed_works,
# work_structs and kthread_delayed_works, armed, re-armed, cancelled,
# handed to their own callbacks, waited for and freed at once, krealloc()ed
# and freed from threads, callbacks and IPIs. One free in 100 is
# deliberately bad and written down first.
#
# Oracle 1 (every kernel): slubguard, under policy=quarantine (which makes
# each bad free harmless), reports every bad free exactly once with the
# object, kind, offset, callback and number of armed timers the fixture
# wrote down, and no other free: its armed_free trace events are compared
# with the fixture's list, line for line, and the first disagreement is
# printed with the seed. Timers armed again through the stale pointer in a
# held object are each found before it leaves (armed_after_free).
#
# Oracle 2 (the debug kernel): policy=warn, and the kernel's own
# debugobjects watches the same frees. The fixture puts a kprobe on its
# fixup_free functions (one call per armed object found in a free, which
# also makes the bad free harmless) and writes each down against the bad
# free under way: those must be, one for one, the timers the fixture left
# armed in each bad free, and none may fall outside one; slubguard's
# reports are checked against the same bad frees by oracle 1. A work
# still running is not armed for debugobjects: slubguard's lead. Bad frees there come from threads only (a fixup's
# del_timer_sync() in an IPI warns), leave no kthread_delayed_work armed
# (the fixup would leave the worker's list linked into freed memory), never
# go through kfree_sensitive() (it wipes the timer before debugobjects
# looks: the fixup then oopses), kmem_cache_free_bulk() or kfree_rcu()
# (whose batches end in kfree_bulk()): a bulk free writes the slab's free
# pointer into each object before debugobjects looks, so an armed timer
# across that word is corrupted first, and the fixup oopses or leaves it
# linked in the wheel (KASAN in enqueue_timer). slubguard checks at the
# entry, before that write: its lead, left out because it ends the run;
# and they are not armed again after the free.
#@ backends: ftrace kprobe
#@ timeout: 600
#@ cmdline: slab_nomerge
#@ allow: ^BUG: slubguard: free of armed (hrtimer|timer_list|delayed_work|work_struct|kthread_delayed_work) in
#@ allow: ^BUG: slubguard: armed after free in
#@ reject: ^BUG: slubguard: (?!free of armed|armed after free)
#@ debug-allow: ^ODEBUG: free active \(active state 0\) object type: (hrtimer|timer_list|work_struct) hint: (t_[a-z]+_fn|delayed_work_timer_fn)\+

T=/sys/kernel/tracing
D=/sys/kernel/debug/sg_torture
O=/sys/kernel/debug/debug_objects/stats
SEED=${SG_SEED:-0}
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
debug=0
uname -r | grep -q sgdebug && debug=1
if [ $debug = 1 ]; then
	FREES=${SG_FREES:-20000}
	policy=warn
	fixture="bad_ipi=0 rearm=0 bad_kinds=15 bad_mems=223"
else
	FREES=${SG_FREES:-100000}
	policy=quarantine
	fixture=
fi
SECS=${SG_SECS:-300}
# A regression scenario's own fixture settings (bad_spin=0: its seed's programs).
fixture="$fixture ${SG_TORTURE_ARGS:-}"

# A field of debugobjects' stats ("fixups        :12").
odebug() {
	sed -n "s/^$1 *: *//p" $O 2>/dev/null
}

ktap_plan 9
load_slubguard policy=$policy poison=0 quarantine_kb=65536
echo $((8192 + debug * 24576)) >$T/buffer_size_kb
echo 1 >$T/events/slubguard/armed_free/enable
fixups0=$(odebug fixups)
check "the generator starts" modprobe sg_torture seed="$SEED" frees="$FREES" secs="$SECS" $fixture
echo "slubguard-guest: torture: $(dmesg | grep -o 'sg_torture: seed [0-9]*.*' | tail -1)"
renice -n -20 -p $$ >/dev/null
i=0
while ! grep -q 'done 1 threads 0 ' $D/counts && [ $i -lt $((SECS + 100)) ]; do
	sleep 1
	i=$((i + 1))
done
counts=$(cat $D/counts)
echo "$counts" | sed 's/^/slubguard-guest: torture: /'
seed=$(echo "$counts" | sed -n 's/^seed \([0-9]*\).*/\1/p')
check "seed $seed: the run ended" sh -c "echo '$counts' | grep -q 'done 1 threads 0 '"
field() {
	echo "$counts" | tr ' ' '\n' | awk -v f="$1" 'p { print; exit } $0 == f { p = 1 }'
}
frees=$(field frees) bad=$(field bad) lost=$(field lost) rearmed=$(field rearmed)
rearmed_work=$(field rearmed_work)
running=$(field running)
# A run bounded by time (SG_SECS, make torture SECS=N) makes what it can.
min=$FREES
[ -n "${SG_SECS:-}" ] && min=1
# SG_MIN_RUNNING: a regression that needs callbacks running when freed.
check "seed $seed: at least $min frees ($frees), some of them bad ($bad, $running with a callback running), none unrecorded" \
	test "$frees" -ge "$min" -a "$bad" -gt 0 -a "$lost" = 0 -a "$running" -ge "${SG_MIN_RUNNING:-0}"
sort $D/truth >/tmp/truth
echo 0 >$T/events/slubguard/armed_free/enable
sed -n 's/.*armed_free: .* obj=\([^ ]*\) .* kind=\([^ ]*\) offset=\([0-9]*\) callback=\(.*\) timers=\([0-9]*\) action=.*/\1 \2 \3 \4 \5/p' \
	$T/trace | sort >/tmp/seen
# Lines of $1 not matched one for one in $2 (BusyBox's comm counts no repeats).
only_in() {
	awk 'NR == FNR { n[$0]++; next } n[$0] > 0 { n[$0]--; next } { print }' "$2" "$1"
}
only_in /tmp/truth /tmp/seen >/tmp/missed
only_in /tmp/seen /tmp/truth >/tmp/false
missed=$(wc -l </tmp/missed)
false=$(wc -l </tmp/false)
echo "slubguard-guest: torture: seed $seed frees $frees bad $bad reported $(wc -l </tmp/seen) missed $missed false $false"
head -5 /tmp/missed | sed 's/^/slubguard-guest: torture: missed: /'
head -5 /tmp/false | sed 's/^/slubguard-guest: torture: false alarm or repeat: /'
first="$(head -1 /tmp/missed | sed 's/^/; first missed: /')$(head -1 /tmp/false | sed 's/^/; first false alarm or repeat: /')"
expect_eq "seed $seed: every bad free reported as written down, nothing else$first" "0 0" "$missed $false"
expect_eq "seed $seed: the counters agree" "$bad" "$(stat armed_frees)"
if [ $debug = 1 ]; then
	# Oracle 2, one to one: each armed object debugobjects fixed up (a
	# kprobe on its fixup_free functions, by the bad free under way) against
	# each timer the fixture left armed in that bad free. slubguard's side
	# is oracle 1 above: its reports are the truth file, line for line.
	grep -v '^stray\|^lost' $D/odebug | sort >/tmp/ofix
	sort $D/armed >/tmp/armed
	only_in /tmp/armed /tmp/ofix >/tmp/omissed
	only_in /tmp/ofix /tmp/armed >/tmp/oextra
	stray=$(awk '$1 == "stray" || $1 == "lost" { n += $NF } END { print n + 0 }' $D/odebug)
	got=$(($(odebug fixups) - fixups0))
	lead=$(grep -cE ' (t_wk_sleepy_fn|t_tl_spin_fn)\+' /tmp/truth)
	echo "slubguard-guest: torture: oracle 2: bad frees $bad, armed timers $(wc -l </tmp/armed), debugobjects fixups $(wc -l </tmp/ofix) (stats: $got), not fixed up $(wc -l </tmp/omissed), fixed up but not armed $(wc -l </tmp/oextra), outside bad frees $stray; slubguard's lead: $lead callbacks running"
	head -5 /tmp/omissed | sed 's/^/slubguard-guest: torture: debugobjects missed (truth line, type, offset): /'
	head -5 /tmp/oextra | sed 's/^/slubguard-guest: torture: debugobjects fixed up, not armed: /'
	expect_eq "seed $seed: debugobjects fixed up exactly the timers left armed, bad free by bad free, nothing else" \
		"0 0 0 $(wc -l </tmp/armed)" "$(wc -l </tmp/omissed) $(wc -l </tmp/oextra) $stray $got"
	ktap_skip "armed again after the free" "policy=quarantine only"
else
	# Let the quarantine go: each timer armed again is found on the way out.
	printf 10 >/sys/kernel/slubguard/quarantine_ms
	wait_stat quarantine_held 0
	expect_eq "the quarantine let everything go" 0 "$(stat quarantine_held)"
	# Each timer armed again is reported, none twice; a work's may be
	# taken by the cancel that ends the wait for it (Limits), so at most
	# those the generator armed again in works go unreported.
	found=$(stat armed_after_free)
	check "seed $seed: every timer armed again in a held object found ($found of $rearmed, $rearmed_work of them works)" \
		test "$found" -le "$rearmed" -a "$found" -ge $((rearmed - rearmed_work))
fi
check "the generator unloads" rmmod sg_torture
check "slubguard unloads, giving back what it held" rmmod slubguard
