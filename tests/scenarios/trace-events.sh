# SPDX-License-Identifier: GPL-2.0
# slubguard's trace events, read through tracefs as perf or trace-cmd would:
# armed_free for every hit, with the culprit, the freeing function, the
# object's cache, size and timer (even those report_limit keeps off the
# console); write_after_free and quarantine_release for a held object
# written to after its free; track_failure for each arm no tracker was left
# for, as many as stats/track_failures counts.
#@ backends: ftrace kprobe
#@ cmdline: slab_nomerge
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+
#@ allow: ^BUG: slubguard: free of armed timer_list in (sg_uaf_write_exit|sg_many_init)\+
#@ allow: ^BUG: slubguard: write after free in sg_uaf_write_exit\+
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: hrtimer hint: sg_seed_poll\+
#@ debug-expect: ^BUG: KASAN: use-after-free in hrtimer_active\+
#@ debug-allow: ^ODEBUG: free active \(active state 0\) object type: timer_list hint: (sg_uaf_watchdog|sg_many_timer)\+

T=/sys/kernel/tracing

# The trace's lines for one event, without the task and time columns.
events() {
	sed -n "s/^.* $1: //p" $T/trace
}

# slubguard loaded with "$@", its events on (a module's events start off,
# at each load), the trace emptied.
load_traced() {
	load_slubguard "$@" && echo 1 >$T/events/slubguard/enable && echo >$T/trace
}

ktap_plan 13
load_traced
for e in armed_free write_after_free quarantine_release track_failure; do
	test -d $T/events/slubguard/$e || echo "$e"
done >/tmp/missing
expect_eq "the four events are in tracefs" "" "$(cat /tmp/missing)"

modprobe sg_seed reuse=0
rmmod sg_seed
events armed_free >/tmp/ev
echo "slubguard-guest: $(cat /tmp/ev)"
expect_eq "one armed_free for the seed's free" 1 "$(wc -l </tmp/ev)"
check "it names the culprit and the freeing function" grep -q '^culprit=sg_seed_exit+0x[0-9a-f]*/0x[0-9a-f]* \[sg_seed\] via=kfree ' /tmp/ev
check "the object: 128 bytes of kmalloc-128" grep -q ' obj=[0-9a-f]* size=128 cache=kmalloc-128 ' /tmp/ev
check "its timer: an hrtimer at offset 0, its callback" \
	grep -q ' kind=hrtimer offset=0 callback=sg_seed_poll+0x0/0x[0-9a-f]* \[sg_seed\] timers=1 action=warn outcome=freed$' /tmp/ev
rmmod slubguard

# Every hit, whatever reaches the console.
load_traced policy=quarantine report_limit=1 quarantine_ms=600000
modprobe sg_many count=20
expect_eq "20 hits, 20 armed_free events" "20 20" \
	"$(stat armed_frees) $(events armed_free | grep -c 'culprit=sg_many_init+.* via=kmem_cache_free .* cache=sg_many_obj kind=timer_list .* action=quarantine outcome=held$')"
expect_eq "while the console printed one" 19 "$(stat reports_suppressed)"
rmmod sg_many
rmmod slubguard

# A held object written to: write_after_free, and its release.
load_traced policy=quarantine poison=1 quarantine_ms=500
modprobe sg_uaf_write
rmmod sg_uaf_write
wait_stat released 1
check "write_after_free: the culprit, 4 bytes at offset 40 of kmalloc-128" \
	sh -c "grep -q ' write_after_free: culprit=sg_uaf_write_exit+0x[0-9a-f]*/0x[0-9a-f]* \\[sg_uaf_write\\] obj=[0-9a-f]* size=128 cache=kmalloc-128 first=40 last=43 changed=4$' $T/trace"
check "quarantine_release: held at least quarantine_ms" \
	sh -c "sed -n 's/.* quarantine_release: obj=[0-9a-f]* size=128 held_ms=\([0-9]*\)$/\1/p' $T/trace | awk '\$1 >= 500 { ok = 1 } END { exit !ok }'"
rmmod slubguard

# Arms past tracker_max: one track_failure each. Tens of thousands: room
# for them all (6.1-cloud arm64's buffer dropped a fifth).
echo 4096 >$T/buffer_size_kb
load_traced tracker_max=64
modprobe sg_bench n=10 armed=3000 hold=1
# The guest's own timers keep arming (and failing) meanwhile: the count
# read before the trace stops and the one read after bound the events.
lost=$(stat track_failures)
echo 0 >$T/tracing_on
after=$(stat track_failures)
traced=$(events track_failure | grep -c 'kind=')
echo 1 >$T/tracing_on
check "arms were lost ($lost)" test "$lost" -gt 0
check "one track_failure for each ($lost <= $traced <= $after)" \
	test "$lost" -le "$traced" -a "$traced" -le "$after"
check "the fixture's timer_lists among them" sh -c "grep -q ' track_failure: obj=[0-9a-f]* kind=timer_list$' $T/trace"
rmmod sg_bench
echo 0 >$T/events/slubguard/enable
rmmod slubguard
check "gone from tracefs with the module" test ! -d $T/events/slubguard
