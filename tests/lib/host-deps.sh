#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# host-deps.sh [ARCH...]
#
# Install the host packages slubguard's build and guest tests need: the
# build tools, and for each ARCH whose guests are run (x86_64, arm64;
# default: both) its QEMU, plus for arm64 the cross compiler and the arm64
# dpkg architecture (the guest's kernel, headers and BusyBox are arm64
# packages), for x86_64 dkms (tests/lib/dkms.sh builds for x86_64 only).
# Idempotent: with everything present it does nothing. Kernels, headers and
# BusyBox for the guests are not installed: fetch-kernel.sh and
# mkinitramfs.sh download and unpack them into the cache.
set -euo pipefail

pkgs=(make gcc libc6-dev cpio kmod gzip rsync sparse python3 dwarves)
(($#)) || set -- x86_64 arm64
x86_64=0 arm64=0
for a in "$@"; do
	case "$a" in
	x86_64) x86_64=1 ;;
	arm64) arm64=1 ;;
	*) echo "host-deps: unknown arch '$a' (x86_64 or arm64)" >&2; exit 2 ;;
	esac
done
((x86_64)) && pkgs+=(qemu-system-x86 dkms)
((arm64)) && pkgs+=(qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
need_arm64=0
((arm64)) && ! dpkg --print-foreign-architectures | grep -qx arm64 && need_arm64=1

if ((${#missing[@]} == 0 && need_arm64 == 0)); then
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	((need_arm64)) && missing+=("(and dpkg arch arm64)")
	echo "host-deps: need root to install: ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The arm64 guest's kernel, headers and BusyBox are arm64 packages.
((need_arm64)) && dpkg --add-architecture arm64
apt-get update -qq
if ((${#missing[@]})); then
	echo "host-deps: installing ${missing[*]}"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
