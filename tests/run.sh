#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh [--arch A]... [--series K]... [--scenario NAME]... [--jobs N]
#
# The host-side unit tests (tests/unit/run.sh), then the guest test suite:
# for each target (kernel x arch), fetch Debian's kernel and headers, build
# slubguard and the fixtures, then boot one guest per scenario and backend,
# at most --jobs (default 2) at a time, and judge each console log with the
# oracle. Ends with 'N passed, N failed', both counted.
#
# Kernels (--series, tests/lib/targets.sh): 6.1 and 6.12, the newest generic
# Debian kernel of each (the default); an ABI (6.1.0-47, 6.12.107); either
# with -rt (PREEMPT_RT), -cloud or -16k (arm64 6.12, 16 KiB pages); debug
# (x86_64 only: Debian's 6.1 source built with lockdep, KASAN and
# debugobjects, tests/debug/); gki (arm64 only: Debian's 6.1 source shaped
# as Android's GKI kernels, without a function tracer, tests/gki/; every
# ftrace run is a kprobe run there). make test KERNELS=list lists what the
# archive serves. --series wide: the kernels of tests/targets, each with
# the scenarios listed there. Arches: x86_64, arm64 (default: both).
# Scenarios: the names of tests/scenarios/*.sh (default: all).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${SG_CACHE:-$top/.cache}
# shellcheck source=tests/lib/targets.sh
. "$top/tests/lib/targets.sh"
arches=() series=() only=() jobs=2

usage() {
	sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'
	exit "${1:-2}"
}
while (($#)); do
	case "$1" in
	--arch) arches+=("${2:?}"); shift 2 ;;
	--series) series+=("${2:?}"); shift 2 ;;
	--scenario) only+=("${2:?}"); shift 2 ;;
	--jobs) jobs=${2:?}; shift 2 ;;
	-h | --help) usage 0 ;;
	*) echo "run.sh: unknown argument '$1'" >&2; usage ;;
	esac
done
# Without --arch, a kernel built for one architecture only runs on it.
any_arch=0
((${#arches[@]})) || { arches=(x86_64 arm64) any_arch=1; }
((${#series[@]})) || series=(6.1 6.12)
for a in "${arches[@]}"; do
	case "$a" in x86_64 | arm64) ;; *) echo "run.sh: unknown arch '$a' (x86_64 or arm64)" >&2; exit 2 ;; esac
done
# The targets, "kernel arch" each, and for each the scenarios it runs
# (all: every one) and the guests' extra arguments.
targets=()
declare -A t_scenarios t_args
for s in "${series[@]}"; do
	[ "$s" = wide ] && continue
	t_prog="run.sh: " target_parse "$s" x86_64 2>/dev/null ||
		t_prog="run.sh: " target_parse "$s" arm64 || exit 2
	for a in "${arches[@]}"; do
		only_on=''
		case "$t_series-$t_flavour" in
		debug-*) only_on=x86_64 ;;
		gki-* | *-16k) only_on=arm64 ;;
		esac
		if [ -n "$only_on" ] && [ "$a" != "$only_on" ]; then
			((any_arch)) && continue
			echo "run.sh: kernel '$s' is built for $only_on only: --series $s --arch $only_on" >&2
			exit 2
		fi
		targets+=("$s $a")
		t_scenarios[$s $a]=all
		t_args[$s $a]=
	done
done
# wide: the kernels of tests/targets, each with its own scenarios.
if printf '%s\n' "${series[@]}" | grep -qx wide; then
	while IFS='|' read -r k ka ks kargs; do
		k=$(echo $k)
		[ -z "$k" ] || [ "${k#\#}" != "$k" ] && continue
		for a in $ka; do
			((any_arch)) || printf '%s\n' "${arches[@]}" | grep -qx "$a" || continue
			t_prog="run.sh: tests/targets: " target_parse "$k" "$a" || exit 2
			# Named on its own too: the whole suite runs there.
			[ -n "${t_scenarios[$k $a]+x}" ] && continue
			targets+=("$k $a")
			t_scenarios[$k $a]=$(echo $ks)
			t_args[$k $a]=$(echo $kargs)
			for n in ${t_scenarios[$k $a]}; do
				[ -f "$top/tests/scenarios/$n.sh" ] ||
					{ echo "run.sh: tests/targets: unknown scenario '$n' for $k" >&2; exit 2; }
			done
		done
	done <"$top/tests/targets"
fi
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --jobs wants a number above 0, not '$jobs'" >&2; exit 2; }
for n in "${only[@]}"; do
	if [ ! -f "$top/tests/scenarios/$n.sh" ]; then
		echo "run.sh: unknown scenario '$n'; there are:" >&2
		(cd "$top/tests/scenarios" && ls -- *.sh | sed 's/\.sh$//' | tr '\n' ' ' | fold -s -w 76 | sed 's/^/  /'; echo) >&2
		exit 2
	fi
done

# The host packages for the targets' architectures only.
mapfile -t deps < <(printf '%s\n' "${targets[@]}" | awk 'NF { print $2 }' | sort -u)
bash "$top/tests/lib/host-deps.sh" "${deps[@]}" || exit 1

out=$top/tests/out
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)

# First, on the host: the registry and the event logic, each kernel
# generation's order of events (tests/unit/); counted with the guests.
echo "== unit tests on the host (tests/unit)"
bash "$top/tests/unit/run.sh" "$out" | grep -E '^(not ok|[0-9]+ passed)' | sed 's/^/== unit: /'

# One line per guest to boot: series arch scenario backend run, where run
# counts the boots of a scenario that asks for '#@ repeat: N' (default 1).
jobfile=$out/jobs
: >"$jobfile"
build_failed=()
for t in "${targets[@]}"; do
	read -r s a <<<"$t"
	{
		echo "== building $s/$a"
		if ! bash "$top/tests/lib/build.sh" "$a" "$s" >/dev/null; then
			build_failed+=("$s/$a")
			continue
		fi
		# Where kprobes sit on ftrace, slubguard refuses backend=kprobe:
		# only the scenarios marked so run with it there.
		kof=$(. "$cache/kernels/$s-$a/env" && grep -c '^CONFIG_KPROBES_ON_FTRACE=y' "$SG_KDIR/.config")
		not_run=()
		for f in "$top"/tests/scenarios/*.sh; do
			name=$(basename "$f" .sh)
			if ((${#only[@]})) && ! printf '%s\n' "${only[@]}" | grep -qx "$name"; then
				continue
			fi
			if [ "${t_scenarios[$t]}" != all ] && ! printf '%s\n' ${t_scenarios[$t]} | grep -qx "$name"; then
				continue
			fi
			# '#@ kernels: K...': the scenario runs on those kernels
			# only; a series stands for its ABIs and flavours too.
			kernels=$(sed -n 's/^#@ kernels: *//p' "$f")
			if [ -n "$kernels" ] && ! printf '%s\n' $kernels | grep -qx -e "$s" -e "$(target_family "$s")"; then
				echo "== $s/$a: $name skipped: $(sed -n 's/^#@ kernels-why: *//p' "$f")"
				continue
			fi
			# '#@ arch: A': the scenario needs that architecture.
			want=$(sed -n 's/^#@ arch: *//p' "$f")
			if [ -n "$want" ] && [ "$want" != "$a" ]; then
				echo "== $s/$a: $name skipped: $(sed -n 's/^#@ arch-why: *//p' "$f")"
				continue
			fi
			# '#@ initramfs: dkms': slubguard built and installed by DKMS.
			if grep -q '^#@ initramfs: dkms' "$f" && [ ! -s "$cache/build/$s-$a/initramfs-dkms.cpio.gz" ]; then
				if ! ko=$(bash "$top/tests/lib/dkms.sh" "$a" "$s") ||
					! bash "$top/tests/lib/mkinitramfs.sh" "$a" "$s" "$cache/build/$s-$a/src" \
						"$cache/build/$s-$a/initramfs-dkms.cpio.gz" "$ko"; then
					build_failed+=("$s/$a $name (DKMS)")
					continue
				fi
			fi
			backends=$(sed -n 's/^#@ backends: *//p' "$f")
			# Without a function tracer (the GKI-shaped kernel) every
			# hook is a kprobe: an ftrace run is a kprobe run there.
			if [ "$s" = gki ]; then
				backends=$(printf '%s\n' ${backends:-ftrace} | sed 's/^ftrace$/kprobe/' | awk '!seen[$0]++')
			fi
			repeat=$(sed -n 's/^#@ repeat: *//p' "$f")
			for b in ${backends:-ftrace}; do
				if [ "$b" = kprobe ] && [ "$kof" != 0 ] && ! grep -q '^#@ kprobes-on-ftrace: run' "$f"; then
					not_run+=("$name")
					continue
				fi
				for r in $(seq 1 "${repeat:-1}"); do
					# No blank at the end: xargs -L would join the next line.
					echo "$s $a $name $b $r${t_args[$t]:+ ${t_args[$t]}}" >>"$jobfile"
				done
			done
		done
		if ((${#not_run[@]})); then
			echo "== $s/$a: backend=kprobe skipped in ${#not_run[@]} scenarios (${not_run[*]}):" \
				"kprobes sit on ftrace in this kernel (CONFIG_KPROBES_ON_FTRACE=y)," \
				"where slubguard refuses that backend; kprobe-refused checks the refusal"
		fi
	}
done

run_one() {
	local s=$1 a=$2 name=$3 b=$4 r=$5
	shift 5
	# The rest: this target's extra guest arguments (tests/targets).
	local envf scenario log status verdict extra timeout smp tag initramfs direct
	envf=$cache/kernels/$s-$a/env
	# shellcheck disable=SC1090
	. "$envf"
	scenario=$top/tests/scenarios/$name.sh
	extra="$(sed -n 's/^#@ cmdline: *//p' "$scenario") $* ${SG_GUEST_ARGS:-}"
	timeout=$(sed -n 's/^#@ timeout: *//p' "$scenario")
	timeout=${timeout:-180}
	# KASAN and lockdep make the debug kernel several times slower. Its
	# KASAN once reported a wild access in an early interrupt at boot,
	# with 5-level paging (QEMU's -cpu max has it): boot it with 4 levels.
	if [ "$s" = debug ]; then
		timeout=$((timeout * 4))
		extra="$extra no5lvl"
	fi
	# make torture SECS=N: a run longer than the scenario's own bound.
	[ -n "${SG_TIMEOUT:-}" ] && timeout=$SG_TIMEOUT
	smp=$(sed -n 's/^#@ smp: *//p' "$scenario")
	tag=$b
	grep -q '^#@ repeat:' "$scenario" && tag="$b #$r"
	log=$out/$s-$a-$name-$b-$r.log
	initramfs=$cache/build/$s-$a/initramfs.cpio.gz
	grep -q '^#@ initramfs: dkms' "$scenario" && initramfs=$cache/build/$s-$a/initramfs-dkms.cpio.gz
	# Whether ftrace can call slubguard's direct trampolines (compat.h).
	direct=$(grep -cE '^CONFIG_DYNAMIC_FTRACE_WITH_(DIRECT_CALLS|ARGS)=y' "$SG_KDIR/.config")
	[ "$direct" = 2 ] && direct=1 || direct=0
	status=$(SG_SMP=${smp:-2} bash "$top/tests/lib/boot.sh" "$a" "$SG_KERNEL" \
		"$initramfs" "$log" "$timeout" sg.scenario="$name" sg.backend="$b" \
		sg.direct="$direct" $extra)
	verdict=$(python3 "$top/tests/lib/oracle.py" "$scenario" "$log" "$status" "$s")
	echo "$s $a $name $b $r $verdict" >"$log.result"
	case "$verdict" in
	PASS*) echo "ok   $s/$a $name [$tag] $verdict" ;;
	*) echo "FAIL $s/$a $name [$tag] $verdict (log: ${log#"$top"/})" ;;
	esac
}
export -f run_one
export top cache out

echo "== booting $(wc -l <"$jobfile") guests, $jobs at a time"
xargs -r -P "$jobs" -L 1 bash -c 'run_one "$@"' _ <"$jobfile"

passed=$(cat "$out"/*.result 2>/dev/null | grep -c ' PASS' || true)
failed=$(cat "$out"/*.result 2>/dev/null | grep -vc ' PASS' || true)
for t in "${build_failed[@]}"; do
	echo "FAIL $t build"
	failed=$((failed + 1))
done
echo "== $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
((failed == 0))
