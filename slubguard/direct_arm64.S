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
 * the return into the function, after its site. As ftrace_caller does, two
 * frame records are made, the site's above this one, so that an unwinder
 * sees the caller. The C half returns true to make the call return at once:
 * then this returns straight to the caller.
 */
#include <linux/linkage.h>
#include <asm/assembler.h>

#include "compat.h"

#if SG_HAVE_FTRACE_DIRECT

/* void kfree(const void *obj) */
SYM_CODE_START(sg_direct_kfree)
	bti	c
	sub	sp, sp, #48
	stp	x29, x9, [sp, #16]	/* the site's frame record */
	add	x29, sp, #16
	stp	x29, x30, [sp]		/* this one's */
	mov	x29, sp
	str	x0, [sp, #32]
	mov	x1, x9			/* kfree()'s caller */
	bl	sg_direct_kfree_check
	mov	w10, w0
	ldr	x0, [sp, #32]
	ldr	x30, [sp, #8]
	ldp	x29, x9, [sp, #16]
	add	sp, sp, #48
	cbnz	w10, 1f
	mov	x10, x30
	mov	x30, x9
	ret	x10
1:	mov	x30, x9
	ret
SYM_CODE_END(sg_direct_kfree)

/* void kmem_cache_free(struct kmem_cache *s, void *obj) */
SYM_CODE_START(sg_direct_kmem_cache_free)
	bti	c
	sub	sp, sp, #48
	stp	x29, x9, [sp, #16]
	add	x29, sp, #16
	stp	x29, x30, [sp]
	mov	x29, sp
	stp	x0, x1, [sp, #32]
	mov	x2, x9			/* kmem_cache_free()'s caller */
	bl	sg_direct_kmem_cache_free_check
	mov	w10, w0
	ldp	x0, x1, [sp, #32]
	ldr	x30, [sp, #8]
	ldp	x29, x9, [sp, #16]
	add	sp, sp, #48
	cbnz	w10, 1f
	mov	x10, x30
	mov	x30, x9
	ret	x10
1:	mov	x30, x9
	ret
SYM_CODE_END(sg_direct_kmem_cache_free)

#endif /* SG_HAVE_FTRACE_DIRECT */
