#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fetch-kernel.sh ARCH KERNEL
#
# Fetch Debian's kernel image and the matching headers for ARCH (x86_64 or
# arm64) and KERNEL (a series, an ABI, a flavour: tests/lib/targets.sh)
# into the cache, unpacked, ready for a module build and a QEMU boot. A
# series or flavour without an ABI is resolved from the archive each time
# the cache is empty, so a newer Debian upload is picked up without editing
# anything. A second run with the cache filled is a no-op. Prints the path
# of the env file that describes the result; with SG_PROGRESS=1 (make demo),
# what it downloads on stderr too.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib/debian-headers.sh
. "$top/tests/lib/debian-headers.sh"
# shellcheck source=tests/lib/targets.sh
. "$top/tests/lib/targets.sh"
cache=${SG_CACHE:-$top/.cache}
progress() { if [ -n "${SG_PROGRESS:-}" ]; then echo "== $*" >&2; fi; }
arch=${1:?usage: fetch-kernel.sh ARCH KERNEL}
target=${2:?usage: fetch-kernel.sh ARCH KERNEL}

case "$arch" in
x86_64 | amd64) arch=x86_64 debarch=amd64 ;;
arm64 | aarch64) arch=arm64 debarch=arm64 ;;
*) echo "fetch-kernel: unknown arch '$arch' (x86_64 or arm64)" >&2; exit 2 ;;
esac
t_prog="fetch-kernel: " target_parse "$target" "$arch" || exit 2
series=$t_series flavour=$t_debflavour
case "$series" in
debug)
	# Not Debian's image: built here from Debian's source, with the
	# kernel's debuggers on (make test KERNEL=debug).
	[ "$arch" = x86_64 ] || { echo "fetch-kernel: the debug kernel is x86_64 only" >&2; exit 2; }
	exec bash "$top/tests/debug/build-kernel.sh"
	;;
gki)
	# Built here from Debian's source, shaped as Android's GKI kernels:
	# no function tracer (make test KERNEL=gki).
	[ "$arch" = arm64 ] || { echo "fetch-kernel: the GKI-shaped kernel is arm64 only" >&2; exit 2; }
	exec bash "$top/tests/gki/build-kernel.sh"
	;;
esac

dir=$cache/kernels/$target-$arch
envf=$dir/env
if [ -s "$envf" ]; then
	echo "$envf"
	exit 0
fi

if [ "$debarch" != amd64 ] && ! dpkg --print-foreign-architectures | grep -qx "$debarch"; then
	progress "adding the $debarch dpkg architecture (apt-get update)"
	dpkg --add-architecture "$debarch"
	apt-get update -qq
fi

# The ABI name (6.1.0-56, 6.12.115+deb12) and its version: the one asked
# for, or for 6.1's generic flavour the one the meta package
# linux-headers-<flavour> points at, or else the newest
# linux-headers-<series>.*-<flavour> the archive offers.
resolve() {
	local dep='' ver pkgs
	if [ -n "$t_abi" ]; then
		dep=linux-headers-$t_abi-$flavour
	elif [ "$t_flavour" = generic ]; then
		dep=$(apt-cache show "linux-headers-$flavour:$debarch" 2>/dev/null |
			awk '/^Depends:/ { print; exit }' | grep -o "linux-headers-$series[.-][^ ,]*-$flavour" || true)
	fi
	if [ -z "$dep" ]; then
		pkgs=$(apt-cache pkgnames "linux-headers-$series" |
			grep -E "^linux-headers-${series//./\\.}\.[0-9]+(-[0-9]+|\+deb[0-9]+)-$flavour\$" || true)
		dep=$(for p in $pkgs; do
			v=$(apt-cache policy "$p:$debarch" | awk '/Candidate:/ { print $2 }')
			[ -n "$v" ] && [ "$v" != "(none)" ] && echo "$v $p"
		done | sort -V | tail -n 1 | cut -d' ' -f2)
	fi
	ver=$(apt-cache policy "$dep:$debarch" 2>/dev/null | awk '/Candidate:/ { print $2 }')
	if [ -z "$dep" ] || [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		echo "fetch-kernel: the archive has no ${dep:-linux-headers for $target ($flavour)} (make test KERNELS=list)" >&2
		exit 1
	fi
	abi=${dep#linux-headers-}
	abi=${abi%-"$flavour"}
	echo "$abi $ver"
}
read -r abi ver < <(resolve)
release=$abi-$flavour
debs=("linux-image-$release-unsigned:$debarch=$ver" "linux-headers-$release:$debarch=$ver"
	"$(target_common "$abi" "$t_flavour")=$ver")
# The build tools (linux-kbuild). The archive keeps linux-kbuild-6.1 only at
# its newest uploads: for an older 6.1 ABI, the newest there is (the same
# series' tools). Without it, the headers point at the host's
# /usr/lib/linux-kbuild-*.
kb=$(kbuild_package "$series" "$abi")
if [ -n "${SG_PROGRESS:-}" ]; then
	mb=$(apt-cache show --no-all-versions "${debs[@]}" "$kb:amd64" 2>/dev/null |
		awk '/^Size:/ { s += $2 } END { printf "%.0f", s / 1048576 }' || true)
	progress "downloading Debian's linux-image-$release ($ver) and its headers for $arch (${mb:-?} MB)"
fi

rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/debs" "$dir.tmp/root"
(
	cd "$dir.tmp/debs"
	apt-get download -qq -o APT::Sandbox::User=root "${debs[@]}"
	apt-get download -qq -o APT::Sandbox::User=root "$kb:amd64=$ver" 2>/dev/null ||
		apt-get download -qq -o APT::Sandbox::User=root "$kb:amd64" 2>/dev/null || true
)
for d in "$dir.tmp"/debs/*.deb; do
	dpkg -x "$d" "$dir.tmp/root"
done

kdir=$dir/root/usr/src/linux-headers-$release
# The headers' tools and -common part, where they were unpacked (the cache
# folder is renamed below, hence the final path).
headers_fix "$dir.tmp/root" "$abi" "$release" "$series" "$dir/root"

image=$(ls "$dir.tmp"/root/boot/vmlinuz-"$release")
cat >"$dir.tmp/env" <<ENV
SG_ARCH=$arch
SG_SERIES=$series
SG_TARGET=$target
SG_FLAVOUR=$t_flavour
SG_ABI=$abi
SG_DEBVER=$ver
SG_RELEASE=$release
SG_KDIR=$kdir
SG_KERNEL=$dir/root/boot/vmlinuz-$release
SG_MODDIR=$dir/root/lib/modules/$release
ENV
rm -rf "$dir.tmp/debs"
mv "$dir.tmp" "$dir"
echo "$envf"
