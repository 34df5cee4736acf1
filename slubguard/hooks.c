// SPDX-License-Identifier: GPL-2.0
/*
 * The free path: which functions are intercepted and what each hands to the
 * check. Declared as data and installed by one backend (ftrace or kprobe);
 * nothing here knows which backend runs.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "slubguard.h"

const struct sg_backend *sg_backend;

static bool sg_hot_enabled(void)
{
	return static_branch_likely(&sg_enabled_key);
}

/*
 * Where a diverted call resumes: it returns to the caller at once, so the
 * function it replaces must return void. It takes no arguments and touches
 * none; the caller's argument registers are simply left alone.
 */
noinline void sg_skipped_call(void)
{
	barrier();
}

/* kfree(): the size and cache come from the slab the object lives in. */
static enum sg_verdict on_kfree(const struct sg_hook *hook, const struct sg_call *call)
{
	const void *obj = (const void *)call->arg[0];
	struct sg_free free;

	if (!sg_hot_enabled() || ZERO_OR_NULL_PTR(obj) || !virt_addr_valid(obj))
		return SG_CALL_PROCEED;
	free.obj = obj;
	free.cache = sg_obj_cache(obj);
	free.by_cache = false;
	free.size = free.cache ? kmem_cache_size(free.cache) : sg_obj_page_size(obj);
	free.via = hook->symbol;
	free.ip = call->ip;
	free.caller = call->caller;
	return sg_check_free(&free);
}

static enum sg_verdict on_kmem_cache_free(const struct sg_hook *hook,
					  const struct sg_call *call)
{
	struct kmem_cache *cache = (struct kmem_cache *)call->arg[0];
	const void *obj = (const void *)call->arg[1];
	struct sg_free free;

	if (!sg_hot_enabled() || !cache || ZERO_OR_NULL_PTR(obj))
		return SG_CALL_PROCEED;
	free.obj = obj;
	free.cache = cache;
	free.by_cache = true;
	free.size = kmem_cache_size(cache);
	free.via = hook->symbol;
	free.ip = call->ip;
	free.caller = call->caller;
	return sg_check_free(&free);
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

static struct sg_hook sg_hooks[] = {
	{ .symbol = "kfree",			.handler = on_kfree },
	{ .symbol = "kmem_cache_free",		.handler = on_kmem_cache_free },
	{ .symbol = "kmem_cache_destroy",	.handler = on_kmem_cache_destroy },
};

/**
 * sg_hooks_can_skip() - can every hook make its call return at once?
 *
 * Return: true if the quarantine policy can work now.
 */
bool sg_hooks_can_skip(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sg_hooks); i++)
		if (!sg_hooks[i].live || !sg_hooks[i].can_skip)
			return false;
	return true;
}

static void *sg_slots;	/* ARRAY_SIZE(sg_hooks) slots of the backend's size */

static void *slot_of(const struct sg_backend *backend, unsigned int i)
{
	return (char *)sg_slots + i * backend->slot_size;
}

static void detach_all(const struct sg_backend *backend)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sg_hooks); i++) {
		if (!sg_hooks[i].live)
			continue;
		backend->detach(&sg_hooks[i], slot_of(backend, i));
		sg_hooks[i].live = false;
		sg_hooks[i].can_skip = false;
	}
	kfree(sg_slots);
	sg_slots = NULL;
}

/**
 * sg_hooks_init() - hook the whole free path, or none of it
 * @backend:	how
 *
 * Return: 0, or the negative errno of the first hook that failed.
 */
int sg_hooks_init(const struct sg_backend *backend)
{
	unsigned int i;
	int ret;

	sg_slots = kcalloc(ARRAY_SIZE(sg_hooks), backend->slot_size, GFP_KERNEL);
	if (!sg_slots)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(sg_hooks); i++) {
		ret = backend->attach(&sg_hooks[i], slot_of(backend, i));
		if (ret) {
			pr_err("%s backend: cannot hook %s: %d\n", backend->name,
			       sg_hooks[i].symbol, ret);
			detach_all(backend);
			return ret;
		}
		sg_hooks[i].live = true;
	}
	sg_backend = backend;
	return 0;
}

/* Once this returns, no handler of slubguard's runs in the free path. */
void sg_hooks_exit(void)
{
	if (!sg_backend)
		return;
	detach_all(sg_backend);
	sg_backend = NULL;
}
