/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The free path: the hooked functions and their handlers (hooks.c), the
 * backends that run them (hook_ftrace.c, hook_kprobe.c, the direct
 * trampolines, the tracepoint fast path in hook_tracepoint.c) and their
 * installation (hooks_install.c).
 */
#ifndef SLUBGUARD_HOOKS_H
#define SLUBGUARD_HOOKS_H

#include "common.h"

struct kmem_cache;

/**
 * struct sg_call - one intercepted call, as the backend saw it
 * @ip:		where the backend intercepted it, in the called function
 * @caller:	return address into the function that made the call
 * @arg:	the first arguments of the call
 */
struct sg_call {
	unsigned long ip;
	unsigned long caller;
	unsigned long arg[3];
};

/**
 * struct sg_hook - one function of the free path that slubguard intercepts
 * @symbol:	the kernel function
 * @fn:		its address
 * @name:	what reports call it, if not @symbol
 * @handler:	runs before the function, in the caller's context
 * @always:	stays installed while slubguard is disabled
 * @live:	set while the hook is installed, and from just before its
 *		backend attaches it to just before its backend detaches it
 * @can_skip:	set if the backend could honour SG_CALL_SKIP for it when it
 *		was last installed
 * @direct:	set if it was then called through a direct trampoline (the
 *		ftrace backend, kfree() and kmem_cache_free())
 * @tp:		kfree() and kmem_cache_free() only: set while their kmem
 *		tracepoint checks their frees (the tracepoint fast path,
 *		hook_tracepoint.c); it cannot divert a call
 * @dedupe:	kfree() and kmem_cache_free() only: set while a call may
 *		reach both the hook and the tracepoint (hooks.c, sg_tp_marks)
 * @slot:	the backend's state for it
 */
struct sg_hook {
	const char *symbol;
	const void *fn;
	const char *name;
	enum sg_verdict (*handler)(const struct sg_hook *hook, const struct sg_call *call);
	bool always;
	bool live;
	bool can_skip;
	bool direct;
	bool tp;
	bool dedupe;
	void *slot;
};

#define SG_NR_HOOKS	10
extern struct sg_hook sg_hooks[SG_NR_HOOKS];
/* The two that have a fast path of their own (hooks.c), first in sg_hooks[]. */
enum { SG_HOOK_KFREE, SG_HOOK_KMEM_CACHE_FREE };

/**
 * struct sg_backend - a way to run code before kernel functions
 * @name:	"ftrace" or "kprobe"
 * @slot_size:	bytes of per-hook state the backend needs (@hook->slot,
 *		zeroed before the hook is first attached)
 * @usable:	at load, before anything is attached: 0, or a negative errno
 *		after saying why the backend is refused on this kernel; NULL
 *		if always usable
 * @attach:	start running the handlers of @nr hooks before their
 *		functions, all of them or none; set @hook->can_skip for each
 *		whose calls it can make return at once. Returns 0 or a
 *		negative errno.
 * @detach:	stop it for @nr hooks; on return no CPU runs their handlers.
 *		Returns 0, or a negative errno if the kernel refused to take
 *		some away: their call sites still reach slubguard's code
 * @missed:	calls of the hooked function the backend did not hand to the
 *		handler since @hook was attached; NULL if it never drops one
 *
 * hooks_install.c installs the whole table or nothing. Attaching or detaching a
 * set of hooks at once lets a backend patch the kernel and wait for its
 * grace periods once for all of them: under TCG each takes a second.
 */
struct sg_backend {
	const char *name;
	size_t slot_size;
	int (*usable)(void);
	int (*attach)(struct sg_hook *const *hooks, unsigned int nr);
	int (*detach)(struct sg_hook *const *hooks, unsigned int nr);
	unsigned long (*missed)(const struct sg_hook *hook);
};

extern const struct sg_backend sg_backend_ftrace;
extern const struct sg_backend sg_backend_kprobe;
extern const struct sg_backend *sg_backend;

enum sg_verdict sg_hook_run(const struct sg_hook *hook, unsigned long ip, unsigned long caller,
			    unsigned long arg0, unsigned long arg1, unsigned long arg2);
struct ftrace_ops;
struct ftrace_regs;
void sg_ftrace_handler(unsigned long ip, unsigned long parent_ip,
		       struct ftrace_ops *ops, struct ftrace_regs *fregs);
/* The direct trampolines (direct_<arch>.S) and their C half (hooks.c). */
void sg_direct_kfree(void);
void sg_direct_kmem_cache_free(void);
bool sg_direct_kfree_maybe(const void *obj);
bool sg_direct_kmem_cache_free_maybe(struct kmem_cache *s, const void *obj);
bool sg_direct_kfree_slow(const void *obj, unsigned long caller);
bool sg_direct_kmem_cache_free_slow(struct kmem_cache *s, const void *obj,
				    unsigned long caller);
/* backend=: how the free path is hooked (hooks_install.c). */
enum sg_backend_choice {
	SG_BACKEND_AUTO,	/* per kernel and policy */
	SG_BACKEND_FTRACE,	/* every hook through ftrace */
	SG_BACKEND_KPROBE,	/* every hook through kprobes */
	SG_BACKEND_TRACEPOINT,	/* kfree(), kmem_cache_free() by tracepoint, always */
	SG_NR_BACKEND_CHOICES
};
extern const char *const sg_backend_choice_names[SG_NR_BACKEND_CHOICES];
int sg_hooks_init(enum sg_backend_choice choice, bool enabled, bool divert);
int sg_hooks_divert(bool divert);
const char *sg_hooks_describe(void);
const char *sg_hooks_backend_name(void);
/* hook_tracepoint.c: the kmem tracepoints of kfree() and kmem_cache_free(). */
int sg_tp_fast_find(void);
int sg_tp_fast_register(void);
void sg_tp_fast_unregister(void);
void sg_tp_kfree(void *data, unsigned long call_site, const void *obj);
void sg_tp_kmem_cache_free(void *data, unsigned long call_site, const void *obj,
			   const struct kmem_cache *s);
void sg_tp_forget_marks(void);
/* hook_tracepoint.c: kmem:mm_page_free, every page the page allocator takes back. */
int sg_tp_pages_find(void);
int sg_tp_pages_register(void);
void sg_tp_pages_unregister(void);
struct page;
void sg_tp_mm_page_free(void *data, struct page *page, unsigned int order);
int sg_hooks_find_funcs(void);
void sg_hooks_exit(void);
void sg_hooks_pause(void);
int sg_hooks_resume(void);
bool sg_hooks_can_skip(void);
unsigned int sg_hooks_live(void);
u64 sg_hooks_missed(void);
u64 sg_hooks_dropped(const struct sg_backend *backend);
void sg_hooks_note_detached(u64 missed);
u64 sg_hooks_own_free_begin(void);
void sg_hooks_own_free_end(u64 before);
int sg_hooks_show(char *buf);
void sg_skipped_call(void);

#endif /* SLUBGUARD_HOOKS_H */
