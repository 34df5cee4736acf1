#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-kernel.sh [JOBS]
#
# The GKI-shaped kernel of 'make test KERNEL=gki': Debian's own 6.1 source
# (the linux-source-6.1 package), arm64, cross-built, shaped as Android's
# GKI kernels (android14-6.1's gki_defconfig) are where slubguard cares:
# no function tracer (no FUNCTION_TRACER, DYNAMIC_FTRACE or anything that
# needs them: slubguard hooks through kprobes, which are breakpoints
# there), kprobes and tracepoints on (vendor hooks are tracepoints; the
# tracing core stays, as on GKI, for trace events), KFENCE, PAGE_OWNER (and
# so the stack depot), pointer authentication in the kernel. Not GKI:
# GCC rather than Clang (no CFI_CLANG, no shadow call stack; and no BTI in
# the kernel, which 6.1 allows with Clang only: ARM64_BTI_KERNEL depends on
# !CC_IS_GCC; android14-6.1's gki_defconfig leaves it off as well), no
# KASAN_HW_TAGS (QEMU's TCG would need MTE), and a configuration trimmed to
# what the test guests boot (QEMU's virt machine, an initramfs, a PL011
# console). Built once into .cache/kernels/gki-arm64 (not part of CI); a
# second run does nothing. Prints the env file that describes it, as
# fetch-kernel.sh does for Debian's kernels.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/kernel-source.sh"
jobs=${1:-$(nproc)}
dir=${SG_CACHE:-$top/.cache}/kernels/gki-arm64
kernel_cached "$dir"
export ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-

kernel_source "$dir" defconfig gcc-aarch64-linux-gnu
# Every SoC platform off: QEMU's virt machine needs none of their drivers.
platforms=$(sed -n 's/^CONFIG_\(ARCH_[A-Z0-9_]*\)=y$/\1/p' .config |
	grep -vx 'ARCH_[A-Z0-9_]*\(BITS\|SUPPORTS\|HAS\|WANT\|USE\|MMAP\|ENABLE\|DMA\|FLATMEM\|SPARSEMEM\|SELECT\|HIBERNATION\|KEEP\|STACKWALK\|FORCE\|MAY\|PROC\|INLINE\|BINFMT\|CORRECT\|THP\|OPTIONAL\|MIGHT\|NO\|MHP\)[A-Z0-9_]*' || true)
args=()
for p in $platforms; do args+=(-d "$p"); done
scripts/config "${args[@]}" \
	-e MODULES -e MODULE_UNLOAD -d MODULE_SIG -d MODVERSIONS \
	-e FTRACE -d FUNCTION_TRACER -d FUNCTION_GRAPH_TRACER -d DYNAMIC_FTRACE \
	-d STACK_TRACER -d FUNCTION_PROFILER -d IRQSOFF_TRACER -d PREEMPT_TRACER \
	-d SCHED_TRACER -d HWLAT_TRACER -d OSNOISE_TRACER -d TIMERLAT_TRACER \
	-e KPROBES -e KPROBE_EVENTS -e TRACEPOINTS -e HIST_TRIGGERS \
	-e KFENCE -e PAGE_OWNER -e STACKTRACE -e KALLSYMS -e KALLSYMS_ALL -e SLUB \
	-e ARM64_PTR_AUTH -e ARM64_PTR_AUTH_KERNEL -e ARM64_BTI \
	-e DEVTMPFS -e TMPFS -e BLK_DEV_INITRD -e RD_GZIP \
	-e SERIAL_AMBA_PL011 -e SERIAL_AMBA_PL011_CONSOLE \
	-e PREEMPT \
	-d DEBUG_INFO -e DEBUG_INFO_NONE \
	-d VIRTUALIZATION -d KVM -d DRM -d SOUND -d USB_SUPPORT -d WLAN -d WIRELESS \
	-d CFG80211 -d BT -d HID -d MEDIA_SUPPORT -d INPUT_JOYSTICK -d INPUT_TABLET \
	-d INPUT_TOUCHSCREEN -d INPUT_MOUSE -d FB -d NET -d NETWORK_FILESYSTEMS \
	-d EXT4_FS -d BTRFS_FS -d XFS_FS -d ATA -d SCSI -d MD -d MMC -d MTD \
	-d PCI -d SPI -d I2C -d SECURITY -d AUDIT -d HIBERNATION -d XEN \
	-d CRYPTO_DEV_CCREE -d REMOTEPROC -d RPMSG -d SOUNDWIRE -d IIO -d PWM \
	-d NVMEM -d THERMAL -d WATCHDOG -d REGULATOR -d RESET_CONTROLLER -d PHY_MIXEL_MIPI_DPHY \
	--set-str LOCALVERSION -sggki
make -s olddefconfig >>"$log" 2>&1
for opt in KPROBES TRACEPOINTS KFENCE STACKDEPOT ARM64_PTR_AUTH_KERNEL \
	SERIAL_AMBA_PL011_CONSOLE BLK_DEV_INITRD; do
	grep -q "^CONFIG_$opt=y" .config || { echo "build-kernel: CONFIG_$opt is not set" >&2; exit 1; }
done
for opt in FUNCTION_TRACER DYNAMIC_FTRACE KPROBES_ON_FTRACE; do
	if grep -q "^CONFIG_$opt=y" .config; then
		echo "build-kernel: CONFIG_$opt is set: not GKI-shaped" >&2
		exit 1
	fi
done
kernel_build "$dir" "$jobs" Image arm64 gki arch/arm64/boot/Image
