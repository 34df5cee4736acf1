/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Calls read back from code: which instruction a return address follows
 * (compat.h's sg_call_before() reads the bytes; report.c names the culprit
 * by them). Apart, and free of kernel headers but for types, so that the
 * host's unit tests feed these the bytes a guest once showed.
 */
#ifndef SLUBGUARD_INSN_H
#define SLUBGUARD_INSN_H

#include <linux/types.h>
#include <linux/string.h>

/*
 * The instruction a return address follows: a direct call, with its target,
 * an indirect call, or something not known as a call. A function that ends
 * in a call of kfree() may compile to a jump (a sibling call: x86_64's ORC
 * kernels build with them, arm64's frame-pointer kernels without), and the
 * return address the free sees is then its caller's. Its caller called it,
 * not the freeing function: the call before the return address tells.
 */
enum sg_call_kind {
	SG_CALL_UNKNOWN,
	SG_CALL_DIRECT,
	SG_CALL_INDIRECT,
};

/*
 * x86_64's readings of the six bytes @b before a return address @ret.
 * They overlap: a direct call's displacement (to kfree() from a module, say)
 * can read as "call *disp8(%reg)", and an indirect call can follow a byte
 * that reads as a direct call's opcode. sg_call_before() reads a direct
 * call first; report.c believes it if it lands on a function.
 */
static inline bool sg_x86_indirect_call(const u8 *b)
{
	/* call *%reg, call *%r8..15, call *disp8(%reg), call *disp32(%reg), call *rel(%rip) */
	return (b[4] == 0xff && (b[5] & 0xf8) == 0xd0) ||
	       (b[3] == 0x41 && b[4] == 0xff && (b[5] & 0xf8) == 0xd0) ||
	       (b[3] == 0xff && (b[4] & 0xf8) == 0x50) ||
	       (b[0] == 0xff && ((b[1] & 0xf8) == 0x90 || b[1] == 0x15));
}

static inline enum sg_call_kind sg_x86_call(const u8 *b, unsigned long ret,
					    unsigned long *target)
{
	s32 rel;

	if (b[1] == 0xe8) {
		memcpy(&rel, b + 2, sizeof(rel));
		*target = ret + rel;
		return SG_CALL_DIRECT;
	}
	return sg_x86_indirect_call(b) ? SG_CALL_INDIRECT : SG_CALL_UNKNOWN;
}

/* arm64's reading of the instruction @insn before a return address @ret. */
static inline enum sg_call_kind sg_arm64_call(u32 insn, unsigned long ret,
					      unsigned long *target)
{
	/* blr, blraa, blrab, blraaz, blrabz */
	if ((insn & 0xfffffc1f) == 0xd63f0000 || (insn & 0xfefff800) == 0xd63f0800)
		return SG_CALL_INDIRECT;
	if ((insn & 0xfc000000) != 0x94000000)	/* bl */
		return SG_CALL_UNKNOWN;
	*target = ret - 4 + (long)((s32)(insn << 6) >> 6) * 4;
	return SG_CALL_DIRECT;
}

#endif /* SLUBGUARD_INSN_H */
