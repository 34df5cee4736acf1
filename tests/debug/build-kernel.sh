#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-kernel.sh [JOBS]
#
# The debug kernel of 'make test KERNEL=debug': Debian's own 6.1 source
# (the linux-source-6.1 package), x86_64, a small configuration that boots
# in the test guests, with the kernel's debuggers on: lockdep
# (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP, KASAN (generic) and debugobjects for
# timers, works and frees; plus what slubguard needs (function tracer with
# arguments, kprobes, tracepoints, stack depot). Built once into
# .cache/debug/ (not part of CI); a second run does nothing. Prints the env
# file that describes it, as fetch-kernel.sh does for Debian's kernels.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/lib/kernel-source.sh"
jobs=${1:-$(nproc)}
dir=${SG_CACHE:-$top/.cache}/kernels/debug-x86_64
kernel_cached "$dir"

kernel_source "$dir" x86_64_defconfig
# What slubguard and the guests need, the debuggers, and less to build (no
# network, disks or security modules: the guests run from an initramfs).
scripts/config \
	-e MODULES -e MODULE_UNLOAD -d MODULE_SIG -d MODVERSIONS \
	-e FTRACE -e FUNCTION_TRACER -e DYNAMIC_FTRACE -e KPROBES -e KPROBE_EVENTS \
	-e STACKTRACE -e KALLSYMS -e KALLSYMS_ALL -e SLUB -e SLUB_DEBUG \
	-e DEVTMPFS -e TMPFS -e BLK_DEV_INITRD -e RD_GZIP -e SERIAL_8250_CONSOLE \
	-e PROVE_LOCKING -e DEBUG_ATOMIC_SLEEP \
	-e KASAN -e KASAN_GENERIC -e KASAN_INLINE \
	-e DEBUG_OBJECTS -e DEBUG_OBJECTS_TIMERS -e DEBUG_OBJECTS_WORK -e DEBUG_OBJECTS_FREE \
	--set-val DEBUG_OBJECTS_ENABLE_DEFAULT 1 \
	-d DEBUG_INFO -e DEBUG_INFO_NONE \
	-d DRM -d SOUND -d USB_SUPPORT -d WLAN -d WIRELESS -d CFG80211 -d HID \
	-d INPUT_JOYSTICK -d INPUT_TABLET -d INPUT_TOUCHSCREEN -d INPUT_MOUSE -d AGP -d FB \
	-d NET -d NETWORK_FILESYSTEMS -d EXT4_FS -d ATA -d SCSI -d PCCARD -d MD \
	-d SECURITY -d AUDIT -d HIBERNATION -d XEN -d HYPERVISOR_GUEST \
	--set-str LOCALVERSION -sgdebug
make -s olddefconfig >>"$log" 2>&1
for opt in PROVE_LOCKING DEBUG_ATOMIC_SLEEP KASAN_GENERIC DEBUG_OBJECTS_TIMERS \
	DEBUG_OBJECTS_FREE FUNCTION_TRACER DYNAMIC_FTRACE_WITH_ARGS KPROBES STACKDEPOT; do
	grep -q "^CONFIG_$opt=y" .config || { echo "build-kernel: CONFIG_$opt is not set" >&2; exit 1; }
done
kernel_build "$dir" "$jobs" bzImage x86_64 debug arch/x86/boot/bzImage
