#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms.sh ARCH SERIES
#
# Build slubguard with DKMS (dkms add, dkms build) against the target's
# Debian headers, as 'dkms install' would on a machine running that kernel,
# in a private DKMS tree under .cache/dkms/ (the host's own DKMS state is
# left alone; nothing is signed). Prints the path of the module DKMS built.
# x86_64 only: DKMS builds for the kernel of the machine it runs on.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${SG_CACHE:-$top/.cache}
arch=$1 series=$2
[ "$arch" = x86_64 ] || { echo "dkms.sh: DKMS builds for x86_64 here, not $arch" >&2; exit 2; }
command -v dkms >/dev/null || { echo "dkms.sh: dkms is not installed" >&2; exit 1; }
envf=$(bash "$top/tests/lib/fetch-kernel.sh" "$arch" "$series")
# shellcheck disable=SC1090
. "$envf"

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
dir=$cache/dkms/$series-$arch
rm -rf "$dir"
mkdir -p "$dir/src/slubguard-$version" "$dir/tree"
# What a user copies to /usr/src/slubguard-<version>: the module's sources.
cp -r "$top/Kbuild" "$top/dkms.conf" "$top/slubguard" "$top/sysfs" \
	"$dir/src/slubguard-$version/"
opts=(-m slubguard -v "$version" --sourcetree "$dir/src" --dkmstree "$dir/tree")
log=$dir/dkms.log
# sign_file: a tool that is not there, so that DKMS signs nothing (and makes
# no key on the host).
if ! { dkms add "${opts[@]}" &&
	sign_file=/nonexistent dkms build "${opts[@]}" -k "$SG_RELEASE" \
		--kernelsourcedir "$SG_KDIR"; } >"$log" 2>&1; then
	tail -n 30 "$log" >&2
	echo "dkms.sh: dkms build failed (log: $log)" >&2
	exit 1
fi
ko=$dir/tree/slubguard/$version/$SG_RELEASE/x86_64/module/slubguard.ko
[ -f "$ko" ] || ko=$(find "$dir/tree/slubguard/$version/$SG_RELEASE" -name 'slubguard.ko*' | head -n 1)
[ -n "$ko" ] && [ -f "$ko" ] || { echo "dkms.sh: DKMS built no slubguard.ko" >&2; exit 1; }
echo "$ko"
