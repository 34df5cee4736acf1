#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkinitramfs.sh ARCH SERIES BUILT_SRC OUTPUT [DKMS_MODULE]
#
# A BusyBox initramfs in which slubguard is installed by its own 'make
# install' (the module where modules_install puts an external one: extra/,
# or from 6.6 on updates/, compressed as the kernel's own; depmod run;
# slubguardctl and its man page under /usr), so `modprobe slubguard` works
# as on a real system; the fixtures; the guest test scripts. With
# DKMS_MODULE, that module is installed instead, where 'dkms install' puts
# it (/lib/modules/<release>/updates/dkms). With SG_PROGRESS=1 (make demo),
# what it downloads and does on stderr.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${SG_CACHE:-$top/.cache}
progress() { if [ -n "${SG_PROGRESS:-}" ]; then echo "== $*" >&2; fi; }
arch=$1 series=$2 built=$3 output=$4 dkms_module=${5:-}
# shellcheck disable=SC1090
. "$(bash "$top/tests/lib/fetch-kernel.sh" "$arch" "$series")"

case "$arch" in
x86_64) debarch=amd64 ;;
arm64) debarch=arm64 ;;
esac

# busybox-static for the guest's architecture, unpacked into the cache.
bbdir=$cache/busybox-$debarch
if [ ! -x "$bbdir/bin/busybox" ]; then
	rm -rf "$bbdir.tmp" && mkdir -p "$bbdir.tmp"
	if [ -n "${SG_PROGRESS:-}" ]; then
		mb=$(apt-cache show --no-all-versions "busybox-static:$debarch" 2>/dev/null |
			awk '/^Size:/ { s += $2 } END { printf "%.1f", s / 1048576 }' || true)
		progress "downloading Debian's busybox-static for $arch (${mb:-?} MB)"
	fi
	(cd "$bbdir.tmp" && apt-get download -qq -o APT::Sandbox::User=root "busybox-static:$debarch" 2>/dev/null)
	dpkg -x "$bbdir.tmp"/busybox-static_*.deb "$bbdir.tmp/root"
	rm -rf "$bbdir" && mv "$bbdir.tmp/root" "$bbdir" && rm -rf "$bbdir.tmp"
fi

progress "building the initramfs"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,root}
# mktemp -d made the root 0700: a user other than root (privilege) must get in.
chmod 755 "$root"
chmod 1777 "$root/tmp"
cp "$bbdir/bin/busybox" "$root/bin/busybox"
for a in sh mount; do ln -s busybox "$root/bin/$a"; done

mods=$root/lib/modules/$SG_RELEASE
mkdir -p "$mods/extra/fixtures"
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ -f "$SG_MODDIR/$f" ] && cp "$SG_MODDIR/$f" "$mods/"
done
cp "$built"/tests/fixtures/*.ko "$mods/extra/fixtures/"
# The image package ships no modules.order: list ours, as modules_install would.
(cd "$mods" && find extra -name '*.ko' | sort) >>"$mods/modules.order"

cross=(ARCH=x86_64)
[ "$arch" = arm64 ] && cross=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
if ! log=$(make -s -C "$built" "${cross[@]}" KDIR="$SG_KDIR" INSTALL_MOD_PATH="$root" \
	DESTDIR="$root" PREFIX=/usr install 2>&1); then
	echo "$log" >&2
	echo "mkinitramfs: make install failed" >&2
	exit 1
fi
if [ -n "$dkms_module" ]; then
	# Wherever modules_install put it (extra/, or updates/ from 6.6 on).
	find "$mods" -name 'slubguard.ko*' -not -path '*/fixtures/*' -delete
	install -D -m 0644 "$dkms_module" "$mods/updates/dkms/$(basename "$dkms_module")"
	depmod -b "$root" "$SG_RELEASE"
fi
install -m 0755 "$top/tests/guest/init" "$root/init"
mkdir -p "$root/tests/scenarios"
cp "$top/tests/guest/lib.sh" "$root/tests/"
cp "$top"/tests/scenarios/*.sh "$root/tests/scenarios/"
# The benchmark's guest side, booted only by 'make bench'.
cp "$top/tests/bench/bench.sh" "$root/tests/scenarios/"
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/sh" >>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$output.tmp"
mv "$output.tmp" "$output"
