/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The direct trampolines of kfree() and kmem_cache_free() (arm64).
 *
 * ftrace branches to these from the function's ftrace site, in place of
 * its ftrace_caller, which saves every argument register and the frame
 * into a struct ftrace_regs and calls the handler through the ops. Here
 * only the freeing function's own arguments are saved around the call of
 * the C half (hooks.c).
 *
 * On entry (a BL from the site, or ftrace_caller's branch when the module
 * lies out of a BL's reach or another ftrace user traces the function too)
 * x9 holds the freeing function's return address into its caller and x30
 * the return into the function, after its site.
 *
 * The fast path's C half, which keeps no frame, says whether the free
 * surely holds nothing. If not, the slow path's is called with two frame
 * records, the site's above this one, as ftrace_caller makes them, so that
 * a report's stack names the caller; it returns true to make the call
 * return at once: then this returns straight to the caller. (A stack taken
 * by an interrupt during the fast path misses the caller, as one taken at
 * the start of ftrace_caller does.)
 */
#include <linux/linkage.h>
#include <asm/assembler.h>

#include "compat.h"

#if SG_HAVE_FTRACE_DIRECT

/*
 * The fast path saves 32 bytes: x9 and x30 at 0, the freeing function's
 * arguments at 16. The slow path puts the two frame records below them.
 */

/* Into the function, its x30 back (x9). */
.macro return_to_fn
	mov	x10, x30
	mov	x30, x9
	ret	x10
.endm

/* With the handler's arguments loaded: the frame records, the call; w10. */
.macro frame_call fn
	sub	sp, sp, #32
	ldp	x9, x30, [sp, #32]
	stp	x29, x9, [sp, #16]	/* the site's frame record */
	add	x29, sp, #16
	stp	x29, x30, [sp]		/* this one's */
	mov	x29, sp
	bl	\fn
	and	w10, w0, #0xff	/* a bool's low byte */
	ldr	x29, [sp, #16]
	add	sp, sp, #32
.endm

/* Off the saved area: into the function or, if w10, back to its caller. */
.macro return_or_divert
	ldp	x9, x30, [sp], #32
	cbnz	w10, .Ldivert\@
	return_to_fn
.Ldivert\@:
	mov	x30, x9
	ret
.endm

/* void kfree(const void *obj) */
SYM_CODE_START(sg_direct_kfree)
	bti	c
	stp	x9, x30, [sp, #-32]!
	str	x0, [sp, #16]
	bl	sg_direct_kfree_maybe
	tst	w0, #0xff		/* a bool: AAPCS64 leaves bits 8-31 unspecified */
	b.ne	1f
	ldr	x0, [sp, #16]
	ldp	x9, x30, [sp], #32
	return_to_fn
1:	ldr	x0, [sp, #16]
	ldr	x1, [sp]		/* kfree()'s caller */
	frame_call sg_direct_kfree_slow
	ldr	x0, [sp, #16]
	return_or_divert
SYM_CODE_END(sg_direct_kfree)

/* void kmem_cache_free(struct kmem_cache *s, void *obj) */
SYM_CODE_START(sg_direct_kmem_cache_free)
	bti	c
	stp	x9, x30, [sp, #-32]!
	stp	x0, x1, [sp, #16]
	bl	sg_direct_kmem_cache_free_maybe
	tst	w0, #0xff		/* a bool: AAPCS64 leaves bits 8-31 unspecified */
	b.ne	1f
	ldp	x0, x1, [sp, #16]
	ldp	x9, x30, [sp], #32
	return_to_fn
1:	ldp	x0, x1, [sp, #16]
	ldr	x2, [sp]		/* kmem_cache_free()'s caller */
	frame_call sg_direct_kmem_cache_free_slow
	ldp	x0, x1, [sp, #16]
	return_or_divert
SYM_CODE_END(sg_direct_kmem_cache_free)

#endif /* SG_HAVE_FTRACE_DIRECT */
