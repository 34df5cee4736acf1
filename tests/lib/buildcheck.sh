#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# buildcheck.sh [--all] [SERIES...]
#
# Build slubguard (the module) against Debian's headers packages of each
# SERIES (default: 6.1 6.12): every ABI the archive serves for x86_64's
# generic flavour, and the newest ABI of every other flavour and
# architecture (arm64, rt, cloud, arm64-16k); --all builds every ABI of
# every flavour and architecture. The headers are downloaded and unpacked
# into .cache/buildcheck/<abi>-<flavour>/, never installed; each build runs
# in its own copy of the sources. Prints one line per build and ends with
# 'N built, N failed'.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${SG_CACHE:-$top/.cache}
# shellcheck source=tests/lib/debian-headers.sh
. "$top/tests/lib/debian-headers.sh"
# shellcheck source=tests/lib/targets.sh
. "$top/tests/lib/targets.sh"
all=0
series=()
for s in "$@"; do
	case "$s" in
	--all) all=1 ;;
	6.1 | 6.12) series+=("$s") ;;
	*) echo "buildcheck: unknown series '$s' (6.1, 6.12, or --all)" >&2; exit 2 ;;
	esac
done
((${#series[@]})) || series=(6.1 6.12)

# Both: every run builds arm64 headers too (the newest of each series), and
# the archive lists arm64's only with the arm64 dpkg architecture.
bash "$top/tests/lib/host-deps.sh" x86_64 arm64 || exit 1
out=$cache/buildcheck
mkdir -p "$out"
built=0 failed=0

# unpack DIR ABI FLAVOUR DEBFLAVOUR DEBARCH VERSION SERIES: the headers of
# one ABI and flavour, once.
unpack() {
	local dir=$1 abi=$2 fl=$3 debfl=$4 debarch=$5 ver=$6 s=$7 kb
	[ -f "$dir/unpacked" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir/debs" "$dir/root"
	kb=$(kbuild_package "$s" "$abi")
	(cd "$dir/debs" && apt-get download -qq -o APT::Sandbox::User=root "linux-headers-$abi-$debfl:$debarch=$ver" \
		"$(target_common "$abi" "$fl")=$ver") || return 1
	# The archive keeps linux-kbuild-6.1 only at its newest uploads: the
	# series' tools, from the nearest version there is.
	(cd "$dir/debs" && { apt-get download -qq -o APT::Sandbox::User=root "$kb:amd64=$ver" 2>/dev/null ||
		apt-get download -qq -o APT::Sandbox::User=root "$kb:amd64"; }) || return 1
	for d in "$dir"/debs/*.deb; do
		dpkg -x "$d" "$dir/root" || return 1
	done
	rm -rf "$dir/debs"
	headers_fix "$dir/root" "$abi" "$abi-$debfl" "$s"
	touch "$dir/unpacked"
}

# Which to build: "ABI FLAVOUR ARCH" lines, oldest ABI first.
targets_list >"$out/targets"
want=$(awk -v all=$all -v series="${series[*]}" '
	BEGIN { n = split(series, ss, " "); for (i = 1; i <= n; i++) want[ss[i]] = 1 }
	{
		s = ($1 ~ /^6\.12\./) ? "6.12" : "6.1"
		if (!(s in want)) next
		if (all || ($2 == "generic" && $3 == "x86_64")) { print; next }
		newest[s " " $2 " " $3] = $0
	}
	END { for (k in newest) print newest[k] }' "$out/targets" | sort -V)
[ -n "$want" ] || { echo "FAIL: the archive serves no headers for ${series[*]}"; exit 1; }

while read -r abi fl arch; do
	s=$(target_family "$abi")
	[ "$s" = 6.12 ] && abi=$abi+deb12
	[ "$arch" = x86_64 ] && debarch=amd64 || debarch=arm64
	case "$fl" in
	generic) debfl=$debarch ;;
	16k) debfl=arm64-16k ;;
	*) debfl=$fl-$debarch ;;
	esac
	name=$abi-$debfl
	ver=$(apt-cache policy "linux-headers-$name:$debarch" | awk '/Candidate:/ { print $2 }')
	if ! unpack "$out/$name" "$abi" "$fl" "$debfl" "$debarch" "$ver" "$s" >"$out/$name.log" 2>&1; then
		echo "FAIL $name ($ver): cannot download or unpack its headers (log: ${out#"$top"/}/$name.log)"
		failed=$((failed + 1))
		continue
	fi
	src=$out/$name/src
	rsync -a --delete --exclude='.cache' --exclude='.git' --exclude='*.o' \
		--exclude='*.ko' --exclude='*.mod*' --exclude='.*.cmd' --exclude='tests' \
		--exclude='userspace/slubguardctl' "$top/" "$src/"
	cross=(ARCH=x86_64)
	[ "$arch" = arm64 ] && cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	if make -C "$src" "${cross[@]}" KDIR="$out/$name/root/usr/src/linux-headers-$name" \
		module >"$out/$name.log" 2>&1; then
		echo "ok   $name ($ver)"
		built=$((built + 1))
	else
		echo "FAIL $name ($ver): $(grep -m1 -E 'error|Error' "$out/$name.log") (log: ${out#"$top"/}/$name.log)"
		failed=$((failed + 1))
	fi
done <<<"$want"
echo "$built built, $failed failed"
((failed == 0))
