// SPDX-License-Identifier: GPL-2.0
/*
 * The free path: which functions are intercepted and what each hands to the
 * check. Declared as data and installed by one backend (ftrace or kprobe);
 * nothing here knows which backend runs.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/ftrace.h>
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "check.h"
#include "funcs.h"
#include "hooks.h"
#include "quarantine.h"
#include "registry.h"
#include "report.h"

const struct sg_backend *sg_backend;

/*
 * Where a diverted call resumes: it returns to the caller at once, so the
 * function it replaces must return void. It takes no arguments and touches
 * none; the caller's argument registers are simply left alone.
 */
noinline void sg_skipped_call(void)
{
	barrier();
}

/*
 * Where an object came from and how large it is, whatever the allocator:
 * its slab cache, the page allocator (a large kmalloc()), or vmalloc (only
 * where @how says the freeing function takes vmalloc memory: kfree() and
 * kmem_cache_free() do not).
 *
 * kfree() and kmem_cache_free() look up the object's folio without checking
 * the pointer first, and so does this. The others are checked: vfree() also
 * frees module memory, and kfree_rcu() frees much later (a bad pointer must
 * not fault in the code that queued it).
 */
static __always_inline bool describe(const void *obj, enum sg_giveback how,
				     struct kmem_cache **cache, size_t *size)
{
	struct folio *folio;

	if (how != SG_GIVE_KFREE && how != SG_GIVE_CACHE) {
		if (is_vmalloc_addr(obj)) {
			*cache = NULL;
			*size = sg_vmalloc_size(obj);
			return true;
		}
		if (!virt_addr_valid(obj))
			return false;
	}
	folio = virt_to_folio(obj);
	*cache = sg_folio_cache(folio);
	*size = *cache ? sg_cache_size(*cache) : folio_size(folio);
	return true;
}

/*
 * Set while a tracepoint probe of kfree() or kmem_cache_free() checks a
 * free, a bit per context level (task, softirq, hardirq, NMI): a free in an
 * interrupt that lands meanwhile, through a hook that can divert its call,
 * may still hold its object, and the probe's own check never may.
 */
static DEFINE_PER_CPU(unsigned int, sg_in_tracepoint);

static __always_inline unsigned int context_bit(void)
{
	return BIT(interrupt_context_level());
}

/*
 * The exact check, for the few frees the filter could not clear. @via names
 * the freeing function, or else @hook does.
 */
static noinline enum sg_verdict check_slow(unsigned long ip, unsigned long caller,
					   const void *obj, struct kmem_cache *cache,
					   size_t size, enum sg_giveback how,
					   const struct sg_hook *hook, const char *via)
{
	struct sg_free free = {
		.obj	= obj,
		.size	= size,
		.cache	= cache,
		.how	= how,
		.via	= via ?: hook->name ?: hook->symbol,
		.ip	= ip,
		.caller	= caller,
		/* A tracepoint cannot divert the call it is in. */
		.can_hold = READ_ONCE(hook->can_skip) &&
			    !(this_cpu_read(sg_in_tracepoint) & context_bit()),
	};
	enum sg_verdict v;

	/*
	 * The quarantine giving an object back is not a free to check: what
	 * the registry still holds of it is the driver's use after free,
	 * reported when the object went in.
	 */
	if (unlikely(sg_quarantine_releasing(obj)))
		return SG_CALL_PROCEED;
	preempt_disable();
	v = sg_check_free(&free);
	preempt_enable();
	return v;
}

/* The filter before the exact check: true if the free surely holds nothing. */
static __always_inline bool filter_clears(const void *obj, size_t size)
{
	return likely(!sg_registry_maybe(obj, size) && !sg_check_pending());
}

/*
 * Check the free of @obj by @hook's function (or @via): into @cache when
 * the freeing function names one (no need to look it up), else wherever the
 * object lives.
 *
 * The fast path, taken by nearly every free, is inline and calls nothing,
 * and keeps nothing on the stack (a compiler that zeroes stack variables, as
 * Debian's does, would clear a structure on every free): where the object
 * lives, one counter, and the registry's filter. Only a free that the
 * filter cannot clear goes on to the exact check, with preemption off (a
 * report, the quarantine).
 */
static __always_inline enum sg_verdict check_in(const struct sg_call *call, const void *obj,
						struct kmem_cache *cache, enum sg_giveback how,
						const struct sg_hook *hook, const char *via)
{
	size_t size;

	if (cache)
		size = sg_cache_size(cache);
	else if (!describe(obj, how, &cache, &size))
		return SG_CALL_PROCEED;
	sg_count(SG_STAT_FREES_CHECKED);
	if (filter_clears(obj, size))
		return SG_CALL_PROCEED;
	return check_slow(call->ip, call->caller, obj, cache, size, how, hook, via);
}

static __always_inline enum sg_verdict check(const struct sg_hook *hook,
					     const struct sg_call *call,
					     const void *obj, enum sg_giveback how)
{
	return check_in(call, obj, NULL, how, hook, NULL);
}

/*
 * Some freeing functions free through others: kvfree() through kfree() or
 * vfree(), kfree_sensitive() through kfree() after zeroing the object (so it
 * must be checked before: the zeroing alone corrupts an armed timer's
 * links). The outer hook checks the object and leaves this note; the inner
 * call, on the same CPU, for the same object, from the outer function or
 * from its caller (a tail call), is then not checked again.
 */
struct sg_outer {
	const void *obj;
	unsigned long caller;
};
static DEFINE_PER_CPU(struct sg_outer, sg_outer);

static __always_inline enum sg_verdict outer_check(const struct sg_hook *hook,
						   const struct sg_call *call,
						   const void *obj, enum sg_giveback how)
{
	enum sg_verdict v = check(hook, call, obj, how);

	if (v == SG_CALL_PROCEED) {
		this_cpu_write(sg_outer.obj, obj);
		this_cpu_write(sg_outer.caller, call->caller);
	}
	return v;
}

/* Was @obj just checked by an outer freeing function that now frees it? */
static __always_inline bool checked_by_outer(const struct sg_call *call, const void *obj)
{
	if (likely(this_cpu_read(sg_outer.obj) != obj))
		return false;
	return this_cpu_read(sg_outer.caller) == call->caller ||
	       sg_in_outer_function(call->caller);
}

static __always_inline bool skip(const void *obj)
{
	return ZERO_OR_NULL_PTR(obj);
}

/* kfree() and vfree(): inner to kvfree() and the sensitive frees. */
static __always_inline enum sg_verdict inner_check(const struct sg_hook *hook,
						   const struct sg_call *call,
						   enum sg_giveback how)
{
	const void *obj = (const void *)call->arg[0];

	if (skip(obj))
		return SG_CALL_PROCEED;
	if (checked_by_outer(call, obj)) {
		this_cpu_write(sg_outer.obj, NULL);
		return SG_CALL_PROCEED;
	}
	return check(hook, call, obj, how);
}

static enum sg_verdict on_kfree(const struct sg_hook *hook, const struct sg_call *call)
{
	return inner_check(hook, call, SG_GIVE_KFREE);
}

/*
 * vfree() is inner to kvfree(), and in interrupt context outer to
 * vfree_atomic(), through which it defers the free there.
 */
static enum sg_verdict on_vfree(const struct sg_hook *hook, const struct sg_call *call)
{
	const void *obj = (const void *)call->arg[0];

	if (!in_interrupt())
		return inner_check(hook, call, SG_GIVE_KVFREE);
	if (skip(obj) || checked_by_outer(call, obj))
		return SG_CALL_PROCEED;
	return outer_check(hook, call, obj, SG_GIVE_KVFREE_DEFERRED);
}

static enum sg_verdict on_vfree_atomic(const struct sg_hook *hook, const struct sg_call *call)
{
	return inner_check(hook, call, SG_GIVE_KVFREE_DEFERRED);
}

/* kvfree() is outer to kfree() and vfree(), inner to kvfree_sensitive(). */
static enum sg_verdict on_kvfree(const struct sg_hook *hook, const struct sg_call *call)
{
	const void *obj = (const void *)call->arg[0];

	if (skip(obj) || checked_by_outer(call, obj))
		return SG_CALL_PROCEED;
	return outer_check(hook, call, obj, SG_GIVE_KVFREE);
}

static enum sg_verdict on_kvfree_sensitive(const struct sg_hook *hook,
					   const struct sg_call *call)
{
	const void *obj = (const void *)call->arg[0];

	if (skip(obj))
		return SG_CALL_PROCEED;
	return outer_check(hook, call, obj, SG_GIVE_SENSITIVE);
}

static __always_inline enum sg_verdict cache_free_check(const struct sg_hook *hook,
							const struct sg_call *call)
{
	struct kmem_cache *cache = (struct kmem_cache *)call->arg[0];
	const void *obj = (const void *)call->arg[1];

	if (skip(obj) || !cache)
		return SG_CALL_PROCEED;
	return check_in(call, obj, cache, SG_GIVE_CACHE, hook, NULL);
}

static enum sg_verdict on_kmem_cache_free(const struct sg_hook *hook,
					  const struct sg_call *call)
{
	return cache_free_check(hook, call);
}

/* Calls the backend dropped while hooks now detached were attached. */
static u64 sg_missed_detached;
/* Of the backend's dropped calls, those slubguard made (sg_hooks_own_free_begin()). */
static u64 sg_missed_own;
static DEFINE_RAW_SPINLOCK(sg_own_free_lock);

/* hooks_install.c detached hooks that had dropped @missed calls. */
void sg_hooks_note_detached(u64 missed)
{
	WRITE_ONCE(sg_missed_detached, sg_missed_detached + missed);
}

/* Dropped calls, slubguard's own included. */
u64 sg_hooks_dropped(const struct sg_backend *backend)
{
	u64 sum = READ_ONCE(sg_missed_detached);
	unsigned int i;

	if (!backend->missed)
		return sum;
	for (i = 0; i < SG_NR_HOOKS; i++)
		if (READ_ONCE(sg_hooks[i].live))
			sum += backend->missed(&sg_hooks[i]);
	return sum;
}

/**
 * sg_hooks_missed() - calls of hooked functions no handler saw
 *
 * A kprobe hit while another kprobe's handler runs on the same CPU is
 * dropped by the kprobe core: with kprobes placed through ftrace (x86_64),
 * a free in an interrupt that lands during the hook of a free in the code
 * it interrupted. Read without the control lock: a hook being attached or
 * detached meanwhile may be counted on either side.
 *
 * Return: the number since load.
 */
u64 sg_hooks_missed(void)
{
	const struct sg_backend *backend = READ_ONCE(sg_backend);
	u64 sum = backend ? sg_hooks_dropped(backend) : READ_ONCE(sg_missed_detached);
	u64 own = READ_ONCE(sg_missed_own);

	return sum > own ? sum - own : 0;
}

/**
 * sg_hooks_own_free_begin() - slubguard frees from inside a kprobe handler
 *
 * The rest of a bulk free a hook diverted, or a cache's held objects before
 * the cache goes, are given back from the hook. Inside a kprobe handler,
 * the kprobe of the freeing function is hit while one is being handled:
 * the kprobe core lets the call through and counts it missed. slubguard's
 * own frees need no check, and are not counted in hooks_missed: the
 * backend's count is read before and after, one such free at a time. Where
 * a kprobe is a breakpoint (the only place the kprobe backend runs), taken
 * with interrupts masked, nothing else nests, so the difference is exactly
 * this free's. Interrupts off; any context but NMI. The quarantine calls
 * it around each such free, through the pointers main.c hands it.
 *
 * Return: the count before, for sg_hooks_own_free_end().
 */
u64 sg_hooks_own_free_begin(void)
	__acquires(&sg_own_free_lock)
{
	const struct sg_backend *backend = READ_ONCE(sg_backend);

	raw_spin_lock(&sg_own_free_lock);
	return backend ? sg_hooks_dropped(backend) : 0;
}

/**
 * sg_hooks_own_free_end() - the free of sg_hooks_own_free_begin() is made
 * @before:	what sg_hooks_own_free_begin() returned
 */
void sg_hooks_own_free_end(u64 before)
	__releases(&sg_own_free_lock)
{
	const struct sg_backend *backend = READ_ONCE(sg_backend);

	if (backend)
		WRITE_ONCE(sg_missed_own, sg_missed_own + sg_hooks_dropped(backend) - before);
	raw_spin_unlock(&sg_own_free_lock);
}

/*
 * kmem_cache_free_bulk(), and kfree_bulk() through it: each object is
 * checked. If one goes into quarantine, the bulk free cannot go on (it
 * takes no hole in its array), so the call is diverted and every other
 * object is freed here, one by one, the way the call would have.
 */
static enum sg_verdict on_kmem_cache_free_bulk(const struct sg_hook *hook,
					       const struct sg_call *call)
{
	struct kmem_cache *cache = (struct kmem_cache *)call->arg[0];
	enum sg_giveback how = cache ? SG_GIVE_CACHE : SG_GIVE_KFREE;
	const char *via = cache ? "kmem_cache_free_bulk" : "kfree_bulk";
	size_t i, j, nr = call->arg[1];
	void **p = (void **)call->arg[2];
	bool diverted = false;

	if (!p)
		return SG_CALL_PROCEED;
	for (i = 0; i < nr; i++) {
		bool held = !ZERO_OR_NULL_PTR(p[i]) &&
			    check_in(call, p[i], cache, how, hook, via) == SG_CALL_SKIP;

		if (held && !diverted) {
			/* Those before it were checked and found clean. */
			for (j = 0; j < i; j++)
				sg_quarantine_give_back(p[j], cache, 0, how);
			diverted = true;
		} else if (!held && diverted) {
			sg_quarantine_give_back(p[i], cache, 0, how);
		}
	}
	return diverted ? SG_CALL_SKIP : SG_CALL_PROCEED;
}

/*
 * kfree_rcu() and kvfree_rcu() queue the free here: the report then names
 * the code that queued it, not the RCU batch that frees it later.
 */
static enum sg_verdict on_kvfree_call_rcu(const struct sg_hook *hook,
					  const struct sg_call *call)
{
	const void *obj = sg_kvfree_rcu_object(call->arg[0], call->arg[1]);

	if (skip(obj))
		return SG_CALL_PROCEED;
	return check(hook, call, obj, SG_GIVE_RCU);
}

/* Objects of a cache being destroyed leave the quarantine first. */
static enum sg_verdict on_kmem_cache_destroy(const struct sg_hook *hook,
					     const struct sg_call *call)
{
	struct kmem_cache *cache = (struct kmem_cache *)call->arg[0];

	if (cache && sg_quarantine_cache_destroy(cache, hook->can_skip))
		return SG_CALL_SKIP;
	return SG_CALL_PROCEED;
}

#define SG_HOOK(f, h)	.symbol = #f, .fn = f, .handler = h

/* The hottest first: hook_at() knows them by their address. */
struct sg_hook sg_hooks[] = {
	[SG_HOOK_KFREE] =		{ SG_HOOK(kfree,		on_kfree) },
	[SG_HOOK_KMEM_CACHE_FREE] =	{ SG_HOOK(kmem_cache_free,	on_kmem_cache_free) },
	{ SG_HOOK(kfree_sensitive,	on_kvfree_sensitive) },
	{ SG_HOOK(kvfree_sensitive,	on_kvfree_sensitive) },
	{ SG_HOOK(kvfree,		on_kvfree) },
	{ SG_HOOK(vfree,		on_vfree) },
	/* Not exported: the kernel's own deferred frees (found at load). */
	{ .symbol = "vfree_atomic", .handler = on_vfree_atomic },
	{ SG_HOOK(kmem_cache_free_bulk,	on_kmem_cache_free_bulk) },
	{ SG_HOOK(kvfree_call_rcu,	on_kvfree_call_rcu), .name = "kfree_rcu" },
	/* Even while disabled: the quarantine may hold objects of the cache. */
	{ SG_HOOK(kmem_cache_destroy,	on_kmem_cache_destroy), .always = true },
};
static_assert(ARRAY_SIZE(sg_hooks) == SG_NR_HOOKS);

static noinline enum sg_verdict run_handler(const struct sg_hook *hook, unsigned long ip,
					    unsigned long caller, unsigned long arg0,
					    unsigned long arg1, unsigned long arg2)
{
	const struct sg_call call = { ip, caller, { arg0, arg1, arg2 } };

	return hook->handler(hook, &call);
}

/*
 * The fast path of the two hottest hooks, kfree() and kmem_cache_free(),
 * ahead of their handlers: true once a free is known to hold nothing armed
 * (and is counted), false to run the handler. It calls nothing and needs
 * few registers, so that the handler's entry saves none on a clean free.
 *
 * It leaves out the notes of objects reported when kfree_rcu() queued them
 * (sg_check_pending()): RCU frees those through kfree_bulk(), vfree() or
 * kvfree() (kernel/rcu/tree.c, 6.1 and 6.12), whose handlers look at the
 * notes; kvfree()'s own kfree() is then the handler's (sg_outer).
 *
 * @nopreempt: the caller runs with preemption off (a tracepoint probe), so
 * its per-CPU accesses need no guard of their own (compat.h).
 */
static __always_inline bool __clean_free(const struct sg_hook *hook, unsigned long arg0,
					 unsigned long arg1, bool nopreempt)
{
	struct kmem_cache *cache;
	const void *obj;
	size_t size;

	if (hook == &sg_hooks[SG_HOOK_KFREE]) {
		obj = (const void *)arg0;
		if (skip(obj))
			return true;
		/* The inner call of an outer freeing function: the handler's. */
		if (unlikely((nopreempt ? __this_cpu_read(sg_outer.obj) :
					  this_cpu_read(sg_outer.obj)) == obj))
			return false;
		describe(obj, SG_GIVE_KFREE, &cache, &size);
	} else if (hook == &sg_hooks[SG_HOOK_KMEM_CACHE_FREE]) {
		cache = (struct kmem_cache *)arg0;
		obj = (const void *)arg1;
		if (skip(obj) || !cache)
			return true;
		size = sg_cache_size(cache);
	} else {
		return false;
	}
	if (sg_registry_maybe_near(obj, size))
		return false;
	if (nopreempt)
		sg_cpu_inc_nopreempt(sg_counters[SG_STAT_FREES_CHECKED]);
	else
		sg_count(SG_STAT_FREES_CHECKED);
	return true;
}

static __always_inline bool clean_free(const struct sg_hook *hook, unsigned long arg0,
				       unsigned long arg1)
{
	return __clean_free(hook, arg0, arg1, false);
}

/*
 * The tracepoint fast path (hook_tracepoint.c): kfree() and
 * kmem_cache_free() run their kmem tracepoint before anything else, and
 * these probes check the free there, through the same fast path and
 * handlers as the hooks. A tracepoint cannot make the call return, so the
 * object is never held from here: the quarantine moves these two functions
 * to the backend's hooks first (sg_hooks_divert()).
 *
 * While one path takes over from the other, a free may reach both: the
 * hook at the function's entry, then the tracepoint a few instructions in.
 * While the hook's @dedupe is set, its slow path leaves the object in
 * sg_tp_marks, and the probe, finding it there, takes it out and does not
 * check the free again (a bad free would be counted and reported twice).
 * The note is keyed by the object, not by the CPU: between the two, another
 * free may interrupt this one, and on a preemptible kernel the task may
 * move to another CPU. An object is in one free at a time (two would be a
 * double free, whose notes are alike), and a note lives from a hook to the
 * tracepoint of the same call: the table holds at most one per free under
 * way, and 16 places from the object's hash always have room.
 * hooks_install.c sets and clears @dedupe so that no note outlives its
 * call.
 */
#define SG_TP_MARKS_BITS	10
#define SG_TP_MARKS		(1U << SG_TP_MARKS_BITS)
#define SG_TP_MARK_PLACES	16
static unsigned long sg_tp_marks[SG_TP_MARKS];

/* Process context, while no hook leaves a note (@dedupe clear). */
void sg_tp_forget_marks(void)
{
	unsigned int i;

	for (i = 0; i < SG_TP_MARKS; i++)
		WRITE_ONCE(sg_tp_marks[i], 0);
}

static __always_inline unsigned long *tp_mark_place(const void *obj, unsigned int i)
{
	return &sg_tp_marks[(hash_ptr(obj, SG_TP_MARKS_BITS) + i) & (SG_TP_MARKS - 1)];
}

/* Return: true if the note is left (false: no room, the free may be counted twice). */
static bool tp_mark(const void *obj)
{
	unsigned int i;

	for (i = 0; i < SG_TP_MARK_PLACES; i++) {
		unsigned long *place = tp_mark_place(obj, i);

		if (!READ_ONCE(*place) && !cmpxchg(place, 0, (unsigned long)obj))
			return true;
	}
	return false;
}

/* Return: true if a hook left a note for @obj (it is taken out). */
static bool tp_unmark(const void *obj)
{
	unsigned int i;

	for (i = 0; i < SG_TP_MARK_PLACES; i++) {
		unsigned long *place = tp_mark_place(obj, i);

		if (READ_ONCE(*place) == (unsigned long)obj &&
		    cmpxchg(place, (unsigned long)obj, 0) == (unsigned long)obj)
			return true;
	}
	return false;
}

/*
 * After clean_free(), the two hottest handlers are inlined here, where the
 * call's fields stay in registers: no indirect call (a retpoline on most
 * x86 kernels), nothing built on the stack.
 */
static __always_inline enum sg_verdict hook_run(const struct sg_hook *hook, unsigned long ip,
						unsigned long caller, unsigned long arg0,
						unsigned long arg1, unsigned long arg2)
{
	const struct sg_call call = { ip, caller, { arg0, arg1, arg2 } };

	if (hook->handler == on_kfree)
		return inner_check(hook, &call, SG_GIVE_KFREE);
	if (hook->handler == on_kmem_cache_free)
		return cache_free_check(hook, &call);
	return run_handler(hook, ip, caller, arg0, arg1, arg2);
}

/*
 * hook_run() from a hook, for a free the fast path could not clear: while
 * the function's tracepoint may meet the same call, a note for it first
 * (kfree()'s object is its first argument, kmem_cache_free()'s its second).
 * A diverted call returns before its tracepoint: its note goes at once.
 */
static __always_inline enum sg_verdict hook_run_once(const struct sg_hook *hook,
						     unsigned long ip, unsigned long caller,
						     unsigned long arg0, unsigned long arg1,
						     unsigned long arg2)
{
	const void *obj = (const void *)(hook == &sg_hooks[SG_HOOK_KFREE] ? arg0 : arg1);
	bool noted = unlikely(READ_ONCE(hook->dedupe)) && tp_mark(obj);
	enum sg_verdict v = hook_run(hook, ip, caller, arg0, arg1, arg2);

	if (unlikely(noted) && v == SG_CALL_SKIP && READ_ONCE(hook->can_skip))
		tp_unmark(obj);
	return v;
}

/**
 * sg_hook_run() - run a hook's handler, for its backend
 * @hook:	the hook
 * @ip:		see struct sg_call
 * @caller:	see struct sg_call
 * @arg0:	the call's first argument
 * @arg1:	its second
 * @arg2:	its third
 *
 * Return: the handler's verdict.
 */
enum sg_verdict sg_hook_run(const struct sg_hook *hook, unsigned long ip, unsigned long caller,
			    unsigned long arg0, unsigned long arg1, unsigned long arg2)
{
	if (clean_free(hook, arg0, arg1))
		return SG_CALL_PROCEED;
	return hook_run_once(hook, ip, caller, arg0, arg1, arg2);
}

/*
 * How far into a hooked function a backend may intercept it: after an
 * x86 ENDBR, or arm64's BTI and its instruction saving the link register.
 */
#define SG_HOOK_SITE_MAX	16

/*
 * The hook of the function intercepted at @ip, or NULL. The two hottest
 * are told by their address alone, without a load.
 */
static __always_inline const struct sg_hook *hook_at(unsigned long ip)
{
	unsigned int i;

	if (likely(ip - (unsigned long)kfree < SG_HOOK_SITE_MAX))
		return &sg_hooks[SG_HOOK_KFREE];
	if (likely(ip - (unsigned long)kmem_cache_free < SG_HOOK_SITE_MAX))
		return &sg_hooks[SG_HOOK_KMEM_CACHE_FREE];
	for (i = 0; i < SG_NR_HOOKS; i++)
		if (ip - (unsigned long)sg_hooks[i].fn < SG_HOOK_SITE_MAX)
			return &sg_hooks[i];
	return NULL;
}

#if SG_HAVE_FTRACE
/*
 * Apart, and called as the handler is, so that its fast path keeps the
 * handler's arguments where they came and saves no register.
 */
static noinline void ftrace_handler_slow(unsigned long ip, unsigned long parent_ip,
					 struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
	const struct sg_hook *hook = hook_at(ip);

	/* Not live: a call that reached the trampoline as it was detached. */
	if (unlikely(!READ_ONCE(hook->live)))
		return;
	if (hook_run_once(hook, ip, parent_ip, sg_fregs_arg(fregs, 0), sg_fregs_arg(fregs, 1),
			  sg_fregs_arg(fregs, 2)) == SG_CALL_SKIP && hook->can_skip)
		sg_fregs_set_ip(fregs, (unsigned long)sg_skipped_call);
}

/**
 * sg_ftrace_handler() - the ftrace backend's handler, for every hooked call
 * @ip:		where ftrace intercepted the call, in the hooked function
 * @parent_ip:	the call's return address
 * @ops:	the backend's ftrace_ops
 * @fregs:	the call's registers
 *
 * It lives here rather than in hook_ftrace.c so that the fast path of the
 * hottest hooks is compiled into it: ftrace's trampoline calls it on every
 * free, and a call more per free is a cost that shows.
 */
void sg_ftrace_handler(unsigned long ip, unsigned long parent_ip,
		       struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
	const struct sg_hook *hook = hook_at(ip);

	if (unlikely(!hook))
		return;
	/*
	 * A clean free is let go before the hook is asked whether it is
	 * live: one that reached the trampoline as its hook was detached
	 * has only been counted, before the detach returned.
	 */
	if (likely(clean_free(hook, sg_fregs_arg(fregs, 0), sg_fregs_arg(fregs, 1))))
		return;
	ftrace_handler_slow(ip, parent_ip, ops, fregs);
}
#endif

/*
 * The tracepoint probes' rest: a free the filter could not clear, or any
 * free while the paths hand over (@handover, the hook's @dedupe as the
 * probe read it). Apart, so that a clean free's probe keeps no frame.
 */
static noinline void tp_slow(const struct sg_hook *hook, unsigned long caller,
			     const void *obj, unsigned long arg0, unsigned long arg1,
			     bool handover)
{
	unsigned int bit = context_bit();

	if (handover) {
		/* First: a note must not outlive its call. */
		if (tp_unmark(obj))
			return;
		if (__clean_free(hook, arg0, arg1, true))
			return;
	}
	/* Registered ahead of the switch, or on its way out. */
	if (unlikely(!READ_ONCE(hook->tp)))
		return;
	/* Probes run with preemption off: the bit is this call's alone. */
	this_cpu_or(sg_in_tracepoint, bit);
	hook_run(hook, (unsigned long)hook->fn, caller, arg0, arg1, 0);
	this_cpu_and(sg_in_tracepoint, ~bit);
}

/**
 * sg_tp_kfree() - the probe of the kmem:kfree tracepoint
 * @data:	unused
 * @call_site:	kfree()'s return address
 * @obj:	kfree()'s argument
 */
void sg_tp_kfree(void *data, unsigned long call_site, const void *obj)
{
	const struct sg_hook *hook = &sg_hooks[SG_HOOK_KFREE];
	bool handover = READ_ONCE(hook->dedupe);

	/* Probes run with preemption off (__DO_TRACE()). */
	if (likely(!handover) && likely(__clean_free(hook, (unsigned long)obj, 0, true)))
		return;
	tp_slow(hook, call_site, obj, (unsigned long)obj, 0, handover);
}

/**
 * sg_tp_kmem_cache_free() - the probe of the kmem:kmem_cache_free tracepoint
 * @data:	unused
 * @call_site:	kmem_cache_free()'s return address
 * @obj:	the object
 * @s:		its cache
 */
void sg_tp_kmem_cache_free(void *data, unsigned long call_site, const void *obj,
			   const struct kmem_cache *s)
{
	const struct sg_hook *hook = &sg_hooks[SG_HOOK_KMEM_CACHE_FREE];
	bool handover = READ_ONCE(hook->dedupe);

	if (likely(!handover) &&
	    likely(__clean_free(hook, (unsigned long)s, (unsigned long)obj, true)))
		return;
	tp_slow(hook, call_site, obj, (unsigned long)s, (unsigned long)obj, handover);
}

/*
 * The page allocator's free, for pages the filter could not clear: never
 * held (the tracepoint cannot divert the call). The report finds the
 * culprit on the stack (report.c).
 */
static noinline void pages_slow(const void *obj, size_t size)
{
	const struct sg_free free = {
		.obj	= obj,
		.size	= size,
		.how	= SG_GIVE_PAGES,
		.via	= "__free_pages",
	};

	/* A large kmalloc() the quarantine gives back. */
	if (unlikely(sg_quarantine_releasing(obj)))
		return;
	sg_check_free(&free);
}

/**
 * sg_tp_mm_page_free() - the probe of the kmem:mm_page_free tracepoint
 * @data:	unused
 * @page:	the first page going back to the page allocator
 * @order:	2^@order pages
 *
 * Where debugobjects checks page frees (free_pages_prepare()): every way
 * pages go back, free_pages(), __free_pages() and free_pages_exact() among
 * them. A large kmalloc()'s pages and a slab's come here too, after
 * kfree() or kmem_cache_free() checked what they held (check.c reports
 * nothing twice). Preemption off, as in every tracepoint probe.
 */
void sg_tp_mm_page_free(void *data, struct page *page, unsigned int order)
{
	const void *obj;
	size_t size;

	/* Not mapped; no timer lives there. */
	if (PageHighMem(page))
		return;
	obj = page_address(page);
	size = PAGE_SIZE << order;
	if (likely(!sg_registry_maybe(obj, size)))
		return;
	pages_slow(obj, size);
}

#if SG_HAVE_FTRACE_DIRECT
/*
 * The C half of the direct trampolines (direct_<arch>.S), in two calls: the
 * fast path, which saves nothing and keeps no frame, and, only for a free
 * it could not clear, the rest, called with the frame a report's stack
 * needs.
 */

/**
 * sg_direct_kfree_maybe() - kfree()'s fast path, from its direct trampoline
 * @obj:	kfree()'s argument
 *
 * Asked the other way round from clean_free(): the compiler then lays the
 * clean free out as one straight run.
 *
 * Return: false if the free surely holds nothing armed (it is counted),
 * true if the slow path must look.
 */
bool sg_direct_kfree_maybe(const void *obj)
{
	return !clean_free(&sg_hooks[SG_HOOK_KFREE], (unsigned long)obj, 0);
}

/**
 * sg_direct_kmem_cache_free_maybe() - kmem_cache_free()'s, the same way
 * @s:		its cache
 * @obj:	its object
 *
 * Return: false if the free surely holds nothing armed, true if the slow
 * path must look.
 */
bool sg_direct_kmem_cache_free_maybe(struct kmem_cache *s, const void *obj)
{
	return !clean_free(&sg_hooks[SG_HOOK_KMEM_CACHE_FREE], (unsigned long)s,
			   (unsigned long)obj);
}

/* After the fast path: the handler, unless the hook is being detached. */
static __always_inline bool direct_slow(const struct sg_hook *hook, unsigned long caller,
					unsigned long arg0, unsigned long arg1)
{
	/* Not live: a call that reached the trampoline as it was detached. */
	if (unlikely(!READ_ONCE(hook->live)))
		return false;
	return hook_run_once(hook, (unsigned long)hook->fn, caller, arg0, arg1, 0) ==
	       SG_CALL_SKIP && hook->can_skip;
}

/**
 * sg_direct_kfree_slow() - kfree()'s handler, after its fast path
 * @obj:	kfree()'s argument
 * @caller:	kfree()'s return address
 *
 * Return: true to make the call return at once (the quarantine keeps @obj).
 */
bool sg_direct_kfree_slow(const void *obj, unsigned long caller)
{
	return direct_slow(&sg_hooks[SG_HOOK_KFREE], caller, (unsigned long)obj, 0);
}

/**
 * sg_direct_kmem_cache_free_slow() - kmem_cache_free()'s, the same way
 * @s:		its cache
 * @obj:	its object
 * @caller:	its return address
 *
 * Return: true to make the call return at once.
 */
bool sg_direct_kmem_cache_free_slow(struct kmem_cache *s, const void *obj,
				    unsigned long caller)
{
	return direct_slow(&sg_hooks[SG_HOOK_KMEM_CACHE_FREE], caller, (unsigned long)s,
			   (unsigned long)obj);
}
#endif

/* funcs.c's table of the hooked functions holds them all. */
static_assert(SG_NR_HOOKS <= SG_FUNCS_HOOKED_MAX);

/**
 * sg_hooks_find_funcs() - learn where the freeing wrappers lie, at load,
 * and where the hooked functions that are not exported are
 *
 * Return: 0, or -ENOENT after saying which function is missing.
 */
int sg_hooks_find_funcs(void)
{
	const void *fns[SG_NR_HOOKS];
	unsigned int i;

	for (i = 0; i < SG_NR_HOOKS; i++) {
		if (!sg_hooks[i].fn)
			sg_hooks[i].fn = (void *)sg_lookup_name(sg_hooks[i].symbol);
		if (!sg_hooks[i].fn) {
			pr_err("%s not found in this kernel; not loading\n", sg_hooks[i].symbol);
			return -ENOENT;
		}
		fns[i] = sg_hooks[i].fn;
	}
	sg_funcs_init(fns, SG_NR_HOOKS);
	return 0;
}
