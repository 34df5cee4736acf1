#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cached-headers.sh [MAX]
#
# For make's kdir-check: the Debian headers 'make test' and 'make demo' left
# unpacked in the cache (fetch-kernel.sh), as the make command lines that
# build against them, at most MAX (default 4): the running kernel's own
# first, then the default series (6.1, 6.12) before ABIs and flavours, this
# machine's architecture first. Prints nothing when there are none.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${SG_CACHE:-$top/.cache}
max=${1:-4}
[ -d "$cache/kernels" ] || exit 0
cache=$(cd "$cache" && pwd)
case "$(uname -m)" in
x86_64) host=x86_64 ;;
aarch64 | arm64) host=arm64 ;;
*) host=other ;;
esac

# "rank make-arguments" per usable headers dir, best first.
found=$(for d in "$cache"/kernels/*/root/usr/src/linux-headers-*; do
	if [ ! -f "$d/Makefile" ] || [ ! -f "$d/include/generated/utsrelease.h" ]; then
		continue
	fi
	t=${d#"$cache"/kernels/}
	t=${t%%/*}
	arch=${t##*-}
	case "$arch" in
	x86_64) cross="ARCH=x86_64 CROSS_COMPILE=x86_64-linux-gnu- " ;;
	arm64) cross="ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- " ;;
	*) continue ;;
	esac
	[ "$arch" = "$host" ] && cross=
	rank=4
	[[ "$t" =~ ^6\.[0-9]+-(x86_64|arm64)$ ]] && rank=2
	[ "$arch" = "$host" ] && rank=$((rank - 1))
	note=
	[ "${d##*/linux-headers-}" = "$(uname -r)" ] && rank=0 note="   # the running kernel's"
	echo "$rank ${cross}KDIR=$d$note"
done | sort -k1,1n -k2V)
[ -n "$found" ] || exit 0
n=$(echo "$found" | wc -l)
echo "Or build against the Debian headers 'make test' or 'make demo' left in"
echo "${cache/#"$top"\//}/ (the module then loads only into that Debian kernel):"
echo "$found" | head -n "$max" | sed 's/^[0-9]* /  make /'
((n <= max)) || echo "  ($((n - max)) more under $cache/kernels/)"
