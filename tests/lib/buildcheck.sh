#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# buildcheck.sh [SERIES...]
#
# Build slubguard (the module, x86_64) against every linux-headers-*-amd64
# package of each SERIES (default: 6.1 6.12) the archive offers. The headers
# are downloaded and unpacked into .cache/buildcheck/<abi>/, never installed;
# each build runs in its own copy of the sources. Prints one line per ABI and
# ends with 'N built, N failed'.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${SG_CACHE:-$top/.cache}
# shellcheck source=tests/lib/debian-headers.sh
. "$top/tests/lib/debian-headers.sh"
series=("$@")
((${#series[@]})) || series=(6.1 6.12)

bash "$top/tests/lib/host-deps.sh" || exit 1
out=$cache/buildcheck
mkdir -p "$out"
built=0 failed=0

# unpack ABI VERSION SERIES: the headers of one ABI, once.
unpack() {
	local abi=$1 ver=$2 s=$3 dir=$out/$1 kb
	[ -f "$dir/unpacked" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir/debs" "$dir/root"
	kb=$(kbuild_package "$s" "$abi")
	(cd "$dir/debs" && apt-get download -qq "linux-headers-$abi-amd64=$ver" \
		"linux-headers-$abi-common=$ver") || return 1
	# The archive keeps linux-kbuild-6.1 only at its newest uploads: the
	# series' tools, from the nearest version there is.
	(cd "$dir/debs" && { apt-get download -qq "$kb=$ver" 2>/dev/null ||
		apt-get download -qq "$kb"; }) || return 1
	for d in "$dir"/debs/*.deb; do
		dpkg -x "$d" "$dir/root" || return 1
	done
	rm -rf "$dir/debs"
	headers_fix "$dir/root" "$abi" "$abi-amd64" "$s"
	touch "$dir/unpacked"
}

for s in "${series[@]}"; do
	pkgs=$(apt-cache pkgnames "linux-headers-$s" |
		grep -E "^linux-headers-${s//./\\.}\.[0-9]+(-[0-9]+|\+deb[0-9]+)-amd64\$" | sort -V)
	[ -n "$pkgs" ] || { echo "FAIL $s: no linux-headers-*-amd64 in the archive"; failed=$((failed + 1)); }
	for p in $pkgs; do
		abi=${p#linux-headers-}
		abi=${abi%-amd64}
		ver=$(apt-cache policy "$p" | awk '/Candidate:/ { print $2 }')
		if ! unpack "$abi" "$ver" "$s" >"$out/$abi.log" 2>&1; then
			echo "FAIL $abi ($ver): cannot download or unpack its headers (log: ${out#"$top"/}/$abi.log)"
			failed=$((failed + 1))
			continue
		fi
		src=$out/$abi/src
		rsync -a --delete --exclude='.cache' --exclude='.git' --exclude='*.o' \
			--exclude='*.ko' --exclude='*.mod*' --exclude='.*.cmd' --exclude='tests' \
			--exclude='userspace/slubguardctl' "$top/" "$src/"
		if make -C "$src" KDIR="$out/$abi/root/usr/src/linux-headers-$abi-amd64" \
			module >"$out/$abi.log" 2>&1; then
			echo "ok   $abi ($ver)"
			built=$((built + 1))
		else
			echo "FAIL $abi ($ver): $(grep -m1 -E 'error|Error' "$out/$abi.log") (log: ${out#"$top"/}/$abi.log)"
			failed=$((failed + 1))
		fi
	done
done
echo "$built built, $failed failed"
((failed == 0))
