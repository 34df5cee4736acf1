/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The direct trampolines of kfree() and kmem_cache_free() (x86_64).
 *
 * ftrace calls these straight from the function's ftrace site, in place of
 * its own trampoline, which saves every argument register into a
 * struct ftrace_regs, loads the ops and calls the handler (35 to 40
 * instructions on every free before slubguard does anything). Here only
 * the freeing function's own arguments are saved around the call of the C
 * half (hooks.c): at the site, the first instruction of the function, no
 * other register holds anything its caller may rely on.
 *
 * On entry (a call from the site, or ftrace's own trampoline returning
 * here when another ftrace user traces the function too), 0(%rsp) returns
 * into the freeing function and 8(%rsp) into its caller. The fast path's
 * C half says whether the free surely holds nothing; if not, the slow
 * path's decides, and returns true to make the call return at once: the
 * return into the function is then replaced by one into sg_skipped_call(),
 * which returns to the caller.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

#include "compat.h"

#if SG_HAVE_FTRACE_DIRECT

/* After the slow path: return into the function or, if %al, divert it. */
.macro return_or_divert
	testb	%al, %al
	jnz	.Ldivert\@
	RET
.Ldivert\@:
	leaq	sg_skipped_call(%rip), %rax
	movq	%rax, (%rsp)
	RET
.endm

/* void kfree(const void *obj) */
SYM_FUNC_START(sg_direct_kfree)
	CALL_DEPTH_ACCOUNT
	pushq	%rdi
	call	sg_direct_kfree_maybe
	testb	%al, %al
	jnz	1f
	popq	%rdi
	RET
1:	movq	(%rsp), %rdi
	movq	16(%rsp), %rsi		/* kfree()'s caller */
	call	sg_direct_kfree_slow
	popq	%rdi
	return_or_divert
SYM_FUNC_END(sg_direct_kfree)

/* void kmem_cache_free(struct kmem_cache *s, void *obj) */
SYM_FUNC_START(sg_direct_kmem_cache_free)
	CALL_DEPTH_ACCOUNT
	pushq	%rdi
	pushq	%rsi
	call	sg_direct_kmem_cache_free_maybe
	testb	%al, %al
	jnz	1f
	popq	%rsi
	popq	%rdi
	RET
1:	movq	8(%rsp), %rdi
	movq	(%rsp), %rsi
	movq	24(%rsp), %rdx		/* kmem_cache_free()'s caller */
	call	sg_direct_kmem_cache_free_slow
	popq	%rsi
	popq	%rdi
	return_or_divert
SYM_FUNC_END(sg_direct_kmem_cache_free)

#endif /* SG_HAVE_FTRACE_DIRECT */
