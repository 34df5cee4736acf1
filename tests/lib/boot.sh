#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# boot.sh ARCH KERNEL INITRD LOG TIMEOUT_S KERNEL_ARGS...
#
# Boot one guest under QEMU (TCG), with $SG_SMP vCPUs (default 2), console on
# the serial port into LOG. The guest powers off at the end of its scenario;
# a panic exits QEMU at once (panic=-1 with -no-reboot). Prints how it ended:
# exited or timeout.
#
# With SG_ICOUNT=1 (make bench), the guest's clock counts the instructions
# it executes, one nanosecond each (QEMU -icount shift=0), on one host
# thread: what the guest times is then the same in every run, whatever the
# host is doing. x86_64 guests boot so with one vCPU only (a second never
# comes up).
set -uo pipefail
arch=$1 kernel=$2 initrd=$3 log=$4 tmo=$5
shift 5

# The vCPUs run on one host thread (single-threaded TCG). With QEMU 7.2's
# multi-threaded TCG, the emulated CPUs sometimes go on running kernel text
# as it was before ftrace, kprobes or a jump label patched it: on x86_64 a
# vCPU spun forever on a stale int3 (with or without slubguard: the kernel's
# own function tracer did it too); on arm64 slubguard's check at load found
# a freshly attached timer event silent in one load in five under stress,
# and once a stress period lost 11 of its 51 bad frees with that check
# passed. Single-threaded TCG showed neither, and runs stress faster on a
# 2-core host (Documentation/slubguard.rst, Testing).
#
# x86_64 guests have no CMPXCHG16B (cx16=off). QEMU 7.2's helper for it
# computes the old flags with the condition-code operation last stored in
# the CPU state, which the translator does not update before the call (no
# gen_update_cc_op()): in a block entered by an interrupt's return, that is
# "EFLAGS", while the instructions before the CMPXCHG16B in the block have
# left one of their operands where EFLAGS would be. The helper writes that
# value into the flags: DF, TF and reserved bits set in kernel code, then
# memcpy() copying backwards, a double fault, a debug trap. A QEMU built to
# check every flags value it computes saw it in 8 of 60 guests of 6.12
# x86_64 stress (7 of them failed); both looked at were CMPXCHG16Bs of
# SLUB's allocation fast path. Without the instruction the kernel uses its
# own emulation (this_cpu_cmpxchg16b_emu) and its slab locks. make bench
# keeps it (SG_CX16=1): it measures the allocator x86_64 CPUs run; a guest
# the bug hit would most likely crash (DF and TF set), not measure wrong.
case "$arch" in
x86_64)
	cpu=max,cx16=off
	[ "${SG_CX16:-0}" = 1 ] && cpu=max
	qemu=(qemu-system-x86_64 -machine q35 -accel tcg,thread=single -cpu "$cpu")
	console=ttyS0
	;;
arm64)
	qemu=(qemu-system-aarch64 -machine virt -accel tcg,thread=single -cpu max,pauth-impdef=on)
	console=ttyAMA0
	;;
esac

[ "${SG_ICOUNT:-0}" = 1 ] && qemu+=(-icount shift=0,sleep=off)

timeout --foreground -k 5 "$tmo" "${qemu[@]}" -smp "${SG_SMP:-2}" -m 1G \
	-display none -monitor none -serial stdio -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=$console panic=-1 $*" </dev/null >"$log" 2>&1
rc=$?
if [ $rc = 124 ] || [ $rc = 137 ]; then
	echo timeout
else
	echo exited
fi
