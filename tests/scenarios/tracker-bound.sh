# SPDX-License-Identifier: GPL-2.0
# Trackers run out, and slubguard degrades predictably. With tracker_max=1024,
# 3000 armed timer_lists (sg_bench hold=1) overflow the pool (past the one
# entry each bucket of the table holds of its own, one per 4 KiB chunk
# here): the pool stays within its bound, every arm it could not record is
# counted in
# track_failures (shown by slubguardctl too), slubguard stays enabled, and
# once the timers are gone it catches the seed's bug as before. Then
# 1,000,000 armed timers with the default bound: each tracked or counted
# (at most 5% lost to a refill that a tight loop outruns), memory as the
# bound says, the free path still checked, and everything given back. Bad
# tracker_max values refuse the load.
#@ backends: ftrace
#@ timeout: 600
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: hrtimer hint: sg_seed_poll\+
#@ debug-expect: ^BUG: KASAN: use-after-free in hrtimer_active\+

ktap_plan 13
for v in 63 1048577 -1 '' 12abc 0x400; do
	modprobe slubguard tracker_max="$v" 2>/dev/null && { echo "loaded with tracker_max=$v"; rmmod slubguard; }
done >/tmp/bad
check "bad tracker_max values refuse the load" test ! -s /tmp/bad

load_slubguard tracker_max=1024
modprobe sg_bench n=10 armed=3000 hold=1
# The refill work may still be running: give it time to reach the bound.
wait_stat tracker_capacity 1024
cap=$(stat tracker_capacity) lost=$(stat track_failures) now=$(stat tracked)
echo "slubguard-guest: 3000 armed, tracker_max 1024: capacity $cap, tracked $now, track_failures $lost, tracker_bytes $(stat tracker_bytes)"
expect_eq "the pool grows to tracker_max, not past it" 1024 "$cap"
# The 3000 objects of 64 bytes lie in some 50 chunks, each bucket's own
# entry holding one of them: fewer than 200 in any case.
check "arms past the bound are counted ($lost)" test "$lost" -ge $((3000 - cap - 200))
check "every arm tracked or counted ($now + $lost)" test $((now + lost)) -ge 3000
check "the others are tracked ($now)" test "$now" -ge $((cap - 2 * 64 - 4))
# System timers armed meanwhile fail too: the count can only grow, so
# slubguardctl's lies between two reads of the file.
ctl=$(slubguardctl stats | awk '$1 == "track_failures" { print $2 }')
check "slubguardctl stats shows them ($lost <= $ctl <= now)" \
	sh -c "[ $lost -le ${ctl:-x} ] && [ ${ctl:-x} -le $(stat track_failures) ]"
expect_eq "slubguard stays enabled" 1 "$(cat /sys/kernel/slubguard/enabled)"
rmmod sg_bench
modprobe sg_seed reuse=0
rmmod sg_seed
expect_eq "and catches the next bug" 1 "$(stat armed_frees)"
rmmod slubguard

# 1,000,000 armed timers, 64-byte objects, with the default bound, which
# they nearly fill.
load_slubguard
t0=$(date +%s)
modprobe sg_bench n=1000 armed=1000000 hold=1
t1=$(date +%s)
now=$(stat tracked) lost=$(stat track_failures) cap=$(stat tracker_capacity)
bytes=$(stat tracker_bytes) checked=$(stat frees_checked)
echo "slubguard-guest: 1000000 armed in $((t1 - t0)) s: tracked $now, track_failures $lost, capacity $cap, tracker_bytes $bytes"
dmesg | grep 'sg_bench: kfree_at' | sed 's/^\[[^]]*\] /slubguard-guest: /'
# Armed in a tight loop, the arms can outrun the pool's refill (a work):
# those few are counted, never silent.
check "every arm tracked or counted ($now + $lost)" test $((now + lost)) -ge 1000000
check "at most 5% counted lost ($lost)" test "$lost" -le 50000
# The bound in pages (85 trackers of 48 bytes in 4 KiB), plus the table's
# 16384 buckets of 64 bytes.
check "memory within the bound ($bytes bytes)" \
	test "$bytes" -le $(((1048576 + 84) / 85 * 4096 + 16384 * 64))
check "the free path was checked meanwhile ($checked)" test "$checked" -ge 1000
rmmod sg_bench
check "all given back once cancelled ($(stat tracked))" test "$(stat tracked)" -lt 1000
