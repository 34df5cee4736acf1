# SPDX-License-Identifier: GPL-2.0
# The guest's half of 'make bench' (run as sg.scenario=bench, never by
# 'make test'). Ten phases, interleaved round by round so that drift in
# a noisy TCG guest spreads over all of them: no slubguard, slubguard as
# loaded by default (backend=auto), with backend=ftrace, with
# backend=kprobe, with backend=tracepoint, loaded with ftrace but
# enabled=0, the floor: sg_floor's hooks that do nothing, where slubguard's
# are (ftrace, kprobe, tracepoint), and slubguard with track_stacks=1; each round
# starts one phase later than the one before. In each: sg_bench's pairs; in
# slubguard's phases (but track_stacks=1) also the free path with 10, 1000
# and 100000 timers armed, and a shell workload timed by the clock. Then,
# once: slubguard's memory per armed timer, its module size, and the
# quarantine's bound under 64 hits.
# One line per result: 'bench PHASE ROUND MEASURE VALUE'.

rounds=5 clock=host
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	sg.rounds=*) rounds=${arg#sg.rounds=} ;;
	sg.clock=*) clock=${arg#sg.clock=} ;;
	esac
done

# Processes, pipes, files in tmpfs.
workload() {
	i=0
	while [ $i -lt 25 ]; do
		mkdir -p /tmp/w/$i
		dd if=/dev/zero bs=4k count=32 2>/dev/null | gzip -1 >/tmp/w/$i/z.gz
		gunzip -c /tmp/w/$i/z.gz | wc -c >/dev/null
		echo a | tr a b | cat >/tmp/w/$i/p
		ls -R /tmp/w >/dev/null
		rm -rf /tmp/w/$i
		i=$((i + 1))
	done
}

# Centiseconds since boot.
now_cs() {
	# Not "0.95" without its dot: a leading 0 is octal to the shell.
	awk '{ printf "%d\n", $1 * 100 + 0.5 }' /proc/uptime
}

load() {
	case "$1" in
	none) ;;
	auto) modprobe slubguard ;;
	ftrace) modprobe slubguard backend=ftrace ;;
	tracepoint) modprobe slubguard backend=tracepoint ;;
	stacks) modprobe slubguard backend=ftrace track_stacks=1 ;;
	kprobe) modprobe slubguard backend=kprobe ;;
	disabled) modprobe slubguard backend=ftrace enabled=0 ;;
	floor) modprobe sg_floor backend=ftrace ;;
	floor-kprobe) modprobe sg_floor backend=kprobe ;;
	floor-tracepoint) modprobe sg_floor backend=tracepoint ;;
	esac
}

# sg_bench stays loaded for the whole boot, its code at one address in
# every phase; each write runs one set of measures.
bench_run() {
	dmesg_mark
	echo "$1" >/sys/module/sg_bench/parameters/run
	dmesg_since_mark | sed -n "s/^sg_bench: \([a-z0-9_]*\) \([0-9]*\)\$/bench $p $r \1 \2/p"
}

echo "bench begin $(uname -r) $(uname -m) rounds $rounds clock $clock"
modprobe sg_bench resident=1 n=100000
r=0
while [ $r -lt "$rounds" ]; do
	r=$((r + 1))
	# Each round starts one phase later: no phase always follows the same.
	phases=$(echo none auto ftrace kprobe tracepoint disabled floor floor-kprobe \
		floor-tracepoint stacks |
		awk -v r=$r '{ for (i = 0; i < NF; i++) printf "%s ", $((i + r - 1) % NF + 1) }')
	for p in $phases; do
		# backend=kprobe is refused where kprobes sit on ftrace.
		if ! load $p; then
			echo "bench $p $r refused 1"
			continue
		fi
		bench_run pairs
		case $p in floor*) rmmod sg_floor; continue ;; stacks) rmmod slubguard; continue ;; esac
		for k in 10 1000 100000; do
			bench_run "armed $k"
		done
		t0=$(now_cs)
		workload
		echo "bench $p $r workload_ms $((($(now_cs) - t0) * 10))"
		if [ $p != none ]; then
			echo "bench $p $r track_failures $(stat track_failures)"
			rmmod slubguard
		fi
	done
done
rmmod sg_bench

# Memory: what 100000 more armed timers cost, the fixed part, the module.
modprobe slubguard
b0=$(stat tracker_bytes) t0=$(stat tracked)
modprobe sg_bench n=1 armed=100000 hold=1
b1=$(stat tracker_bytes) t1=$(stat tracked)
rmmod sg_bench
echo "bench mem 1 tracker_bytes_idle $b0"
echo "bench mem 1 timers_added $((t1 - t0))"
echo "bench mem 1 bytes_per_timer $(((b1 - b0) / (t1 - t0)))"
echo "bench mem 1 module_bytes $(awk '$1 == "slubguard" { print $2 }' /proc/modules)"
rmmod slubguard

# The quarantine's bound: 64 hits of 1 KiB against a 16 KiB bound.
modprobe slubguard policy=quarantine quarantine_kb=16
modprobe sg_many count=64
echo "bench mem 1 quarantine_bound_bytes 16384"
echo "bench mem 1 quarantine_hits $(stat armed_frees)"
echo "bench mem 1 quarantine_held_bytes $(stat quarantine_bytes)"
rmmod sg_many
rmmod slubguard
echo "bench end"
