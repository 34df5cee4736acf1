#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the host packages slubguard's build and guest tests need.
# Idempotent: with everything present it does nothing. Kernels, headers and
# BusyBox for the guests are not installed: fetch-kernel.sh and mkinitramfs.sh
# download and unpack them into the cache.
set -euo pipefail

pkgs=(make gcc libc6-dev cpio kmod gzip rsync sparse python3 dwarves
      qemu-system-x86 qemu-system-arm
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross dkms)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
need_arm64=0
dpkg --print-foreign-architectures | grep -qx arm64 || need_arm64=1

if ((${#missing[@]} == 0 && need_arm64 == 0)); then
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "host-deps: need root to install: ${missing[*]} (and dpkg arch arm64)" >&2
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
