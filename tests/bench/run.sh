#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench/run.sh [--arch A]... [--series S]... [--rounds N] [--clock icount|host]
#              [--cmdline 'ARGS']
#
# make bench: for each target, boot one guest that measures, in the same
# boot, the cost of slubguard's hooks and tracking against no slubguard
# (tests/bench/bench.sh, tests/fixtures/sg_bench.c), then print the table
# of ratios (tests/bench/table.py). Logs in tests/out/bench-*.log.
#
# --clock icount (the default): the guest's clock counts instructions
# (tests/lib/boot.sh, SG_ICOUNT), on one vCPU: every ratio is one of
# instructions executed, the same from run to run. --clock host: the guest
# keeps real time, on two vCPUs: ratios of time under TCG, which the host's
# load moves by tens of percent.
#
# --cmdline adds kernel arguments to the guest's (no_debug_objects, for the
# debug kernel: series debug, x86_64).
#
# x86_64 guests keep CMPXCHG16B here (SG_CX16, tests/lib/boot.sh): the
# allocator measured is the one x86_64 CPUs run.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
export SG_CX16=1
cache=${SG_CACHE:-$top/.cache}
arches=() series=() rounds= clock=icount cmdline=
while (($#)); do
	case "$1" in
	--arch) arches+=("${2:?}"); shift 2 ;;
	--series) series+=("${2:?}"); shift 2 ;;
	--rounds) rounds=${2:?}; shift 2 ;;
	--clock) clock=${2:?}; shift 2 ;;
	--cmdline) cmdline=${2?}; shift 2 ;;
	*) sed -n '3,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done
((${#arches[@]})) || arches=(x86_64 arm64)
((${#series[@]})) || series=(6.1 6.12)
case "$clock" in
icount) export SG_ICOUNT=1 SG_SMP=1; rounds=${rounds:-3} ;;
host) rounds=${rounds:-7} ;;
*) echo "bench: --clock is icount or host" >&2; exit 2 ;;
esac
case "$rounds" in '' | *[!0-9]* | 0) echo "bench: --rounds wants a positive number" >&2; exit 2 ;; esac

# The host packages for the arches measured (debug: x86_64 only, below).
deps=()
for a in "${arches[@]}"; do
	for s in "${series[@]}"; do
		if [ "$s" != debug ] || [ "$a" = x86_64 ]; then deps+=("$a"); break; fi
	done
done
bash "$top/tests/lib/host-deps.sh" "${deps[@]}" || exit 1
mkdir -p "$top/tests/out"
for s in "${series[@]}"; do
	for a in "${arches[@]}"; do
		# The debug kernel is built for x86_64 only.
		if [ "$s" = debug ] && [ "$a" != x86_64 ]; then
			echo "== $s/$a: skipped: the debug kernel is built for x86_64 only"
			continue
		fi
		echo "== $s/$a: building"
		bash "$top/tests/lib/build.sh" "$a" "$s" >/dev/null || exit 1
		# shellcheck disable=SC1090
		. "$cache/kernels/$s-$a/env"
		log=$top/tests/out/bench-$s-$a${cmdline:+-$(echo "$cmdline" | tr ' =' '__')}.log
		echo "== $s/$a: measuring ($rounds rounds, one guest, clock $clock)"
		status=$(bash "$top/tests/lib/boot.sh" "$a" "$SG_KERNEL" \
			"$cache/build/$s-$a/initramfs.cpio.gz" "$log" 3600 \
			sg.scenario=bench sg.rounds="$rounds" sg.clock="$clock" quiet $cmdline)
		grep -q '^bench end' "$log" || { echo "bench: guest did not finish ($status); log: $log"; exit 1; }
		python3 "$top/tests/bench/table.py" "$log" "$SG_RELEASE ($a${cmdline:+, $cmdline}), $(date -u +%Y-%m-%d)"
	done
done
