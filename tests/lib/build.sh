#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build.sh ARCH SERIES
#
# Build slubguard.ko, the fixtures and slubguardctl for one target, from a copy
# of the working tree under .cache/build/ (so the developer's own build at the
# repo root is left alone), then the guest's initramfs. Prints the build dir;
# with SG_PROGRESS=1 (make demo), each step on stderr too.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${SG_CACHE:-$top/.cache}
arch=$1 series=$2
envf=$(bash "$top/tests/lib/fetch-kernel.sh" "$arch" "$series")
# shellcheck disable=SC1090
. "$envf"

out=$cache/build/$series-$arch
src=$out/src
mkdir -p "$src"
# Only the sources: the build products of other targets must not leak in.
# A changed file gets the time of the copy, not its own: make must see it
# newer than the objects, even if they were built after it was written
# (from another tree sharing SG_CACHE, or after a checkout of older files).
rsync -rlp --checksum --delete --exclude='.cache' --exclude='.git' --exclude='*.o' --exclude='*.ko' \
	--exclude='*.mod*' --exclude='.*.cmd' --exclude='userspace/slubguardctl' \
	--exclude='modules.order' --exclude='Module.symvers' --exclude='tests/out' \
	"$top/" "$src/"

cross=()
if [ "$arch" = arm64 ]; then
	cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
else
	cross=(ARCH=x86_64)
fi
log=$out/build.log
if [ -n "${SG_PROGRESS:-}" ]; then echo "== building slubguard for $SG_RELEASE ($arch)" >&2; fi
if ! make -C "$src" "${cross[@]}" KDIR="$SG_KDIR" all fixtures >"$log" 2>&1; then
	tail -n 30 "$log" >&2
	echo "build.sh: build for $series/$arch failed (full log: $log)" >&2
	exit 1
fi
bash "$top/tests/lib/mkinitramfs.sh" "$arch" "$series" "$src" "$out/initramfs.cpio.gz"
# Made again from these sources when a scenario asks for it (run.sh).
rm -f "$out/initramfs-dkms.cpio.gz"
echo "$out"
