// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: which objects are armed right now.
 *
 * Entries are hashed by the page-sized chunk their object starts in, so "does
 * [addr, addr + size) hold anything?" visits one bucket per chunk: one or two
 * for any slab object. Entries come from a pool of pages that slubguard owns
 * and never frees through a hooked function, so tracking can neither recurse
 * into the free hooks nor allocate while the timer code holds its locks. The
 * pool is refilled from process context; when it is empty an arm event is
 * counted as a track failure and slubguard goes on with what it has.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/hash.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "slubguard.h"

#define SG_HASH_BITS		14
#define SG_CHUNK_SHIFT		PAGE_SHIFT

/* Pool levels, in trackers. */
#define SG_POOL_LOW		256	/* below this, refill */
#define SG_POOL_TARGET		1024	/* refill up to this many free */
#define SG_POOL_MAX		(1U << 20) /* never allocate more than this */

/**
 * struct sg_tracker - one armed object
 * @node:	in its bucket, or on the pool's free list
 * @obj:	the object (a struct hrtimer, a struct timer_list, ...)
 * @hint:	its callback when it was armed: a fingerprint checked at report
 *		time, so memory reused for something else never matches
 * @kind:	what @obj is
 * @stamp:	a value the tracker of @kind gives at arm time (the hrtimer's
 *		expiry), compared when an expiry may remove the entry
 */
struct sg_tracker {
	struct hlist_node node;
	const void *obj;
	void *hint;
	const struct sg_kind *kind;
	u64 stamp;
};

/**
 * struct sg_bucket - one hash chain
 * @head:	trackers; written under @lock, first pointer also read
 *		locklessly to skip empty buckets (pairs with the WRITE_ONCE()
 *		in hlist_add_head() and __hlist_del())
 * @lock:	guards @head; taken in any context, also under the timer
 *		bases' locks, so it is raw and nothing is called under it
 */
struct sg_bucket {
	struct hlist_head head;
	raw_spinlock_t lock;
};

static struct sg_bucket sg_hash[1 << SG_HASH_BITS];

/**
 * struct sg_pool - free trackers and the pages they live in
 * @lock:	guards every field; nests inside a bucket's lock
 * @free:	free trackers
 * @nr_free:	trackers on @free
 * @nr_total:	trackers allocated, free or in use
 * @pages:	pages holding the trackers, linked through page->lru
 */
static struct sg_pool {
	raw_spinlock_t lock;
	struct hlist_head free;
	unsigned int nr_free;
	unsigned int nr_total;
	struct list_head pages;
} sg_pool = {
	.lock	= __RAW_SPIN_LOCK_UNLOCKED(sg_pool.lock),
	.pages	= LIST_HEAD_INIT(sg_pool.pages),
};

static atomic_long_t sg_nr_tracked = ATOMIC_LONG_INIT(0);

static void pool_refill_fn(struct work_struct *work);
static DECLARE_WORK(sg_refill_work, pool_refill_fn);

/* An arm event can come with any lock held: kick the refill from irq_work. */
static void pool_kick_fn(struct irq_work *work)
{
	schedule_work(&sg_refill_work);
}
static DEFINE_IRQ_WORK(sg_refill_kick, pool_kick_fn);

static void pool_refill_fn(struct work_struct *work)
{
	const unsigned int per_page = PAGE_SIZE / sizeof(struct sg_tracker);

	for (;;) {
		struct sg_tracker *t;
		struct page *page;
		unsigned long flags;
		unsigned int i;

		raw_spin_lock_irqsave(&sg_pool.lock, flags);
		if (sg_pool.nr_free >= SG_POOL_TARGET ||
		    sg_pool.nr_total + per_page > SG_POOL_MAX) {
			raw_spin_unlock_irqrestore(&sg_pool.lock, flags);
			return;
		}
		raw_spin_unlock_irqrestore(&sg_pool.lock, flags);

		page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (!page)
			return;
		t = page_address(page);

		raw_spin_lock_irqsave(&sg_pool.lock, flags);
		list_add(&page->lru, &sg_pool.pages);
		for (i = 0; i < per_page; i++)
			hlist_add_head(&t[i].node, &sg_pool.free);
		sg_pool.nr_free += per_page;
		sg_pool.nr_total += per_page;
		raw_spin_unlock_irqrestore(&sg_pool.lock, flags);
	}
}

static struct sg_tracker *pool_get(void)
{
	struct sg_tracker *t = NULL;
	bool low;

	raw_spin_lock(&sg_pool.lock);
	if (!hlist_empty(&sg_pool.free)) {
		t = hlist_entry(sg_pool.free.first, struct sg_tracker, node);
		hlist_del(&t->node);
		sg_pool.nr_free--;
	}
	low = sg_pool.nr_free < SG_POOL_LOW;
	raw_spin_unlock(&sg_pool.lock);

	if (low)
		irq_work_queue(&sg_refill_kick);
	return t;
}

static void pool_put(struct sg_tracker *t)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&sg_pool.lock, flags);
	hlist_add_head(&t->node, &sg_pool.free);
	sg_pool.nr_free++;
	raw_spin_unlock_irqrestore(&sg_pool.lock, flags);
}

static struct sg_bucket *bucket_of(const void *obj)
{
	return &sg_hash[hash_long((unsigned long)obj >> SG_CHUNK_SHIFT, SG_HASH_BITS)];
}

static struct sg_tracker *lookup(struct sg_bucket *b, const void *obj)
{
	struct sg_tracker *t;

	hlist_for_each_entry(t, &b->head, node)
		if (t->obj == obj)
			return t;
	return NULL;
}

/**
 * sg_track() - record that @obj is armed
 * @kind:	what @obj is
 * @obj:	the object
 * @stamp:	see struct sg_tracker
 *
 * Called from the kernel's arm events, in any context, possibly under the
 * timer base's lock. An object already known is updated: an address holds
 * one object at a time, so an older entry for it is stale by now.
 */
void sg_track(const struct sg_kind *kind, const void *obj, u64 stamp)
{
	struct sg_bucket *b = bucket_of(obj);
	struct sg_tracker *t;
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	t = lookup(b, obj);
	if (!t) {
		t = pool_get();
		if (!t) {
			raw_spin_unlock_irqrestore(&b->lock, flags);
			sg_count(SG_STAT_TRACK_FAILURES);
			return;
		}
		t->obj = obj;
		hlist_add_head(&t->node, &b->head);
		atomic_long_inc(&sg_nr_tracked);
	}
	t->kind = kind;
	t->hint = kind->debug_hint(obj);
	t->stamp = stamp;
	raw_spin_unlock_irqrestore(&b->lock, flags);
}

/**
 * sg_untrack() - record that @obj is no longer armed
 * @obj:	the object
 * @max_stamp:	remove the entry only if its stamp is at most this; U64_MAX
 *		removes it whatever it holds
 *
 * The limit lets an expiry event that is reported after the timer's lock was
 * dropped leave alone an entry that a concurrent re-arm has just refreshed.
 */
void sg_untrack(const void *obj, u64 max_stamp)
{
	struct sg_bucket *b = bucket_of(obj);
	struct sg_tracker *t;
	unsigned long flags;

	raw_spin_lock_irqsave(&b->lock, flags);
	t = lookup(b, obj);
	if (t && t->stamp <= max_stamp) {
		hlist_del(&t->node);
		atomic_long_dec(&sg_nr_tracked);
	} else {
		t = NULL;
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);

	if (t)
		pool_put(t);
}

static unsigned int find_in_bucket(struct sg_bucket *b, unsigned long start,
				   unsigned long end, struct sg_hit *hits,
				   unsigned int nr, unsigned int max)
{
	struct sg_tracker *t;
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&b->lock, flags);
	hlist_for_each_entry(t, &b->head, node) {
		unsigned long addr = (unsigned long)t->obj;

		if (addr < start || addr >= end || nr >= max)
			continue;
		/* Two chunks of one range can share a bucket. */
		for (i = 0; i < nr && hits[i].obj != t->obj; i++)
			;
		if (i < nr)
			continue;
		hits[nr].kind = t->kind;
		hits[nr].obj = t->obj;
		hits[nr].hint = t->hint;
		nr++;
	}
	raw_spin_unlock_irqrestore(&b->lock, flags);
	return nr;
}

/**
 * sg_registry_find() - the armed objects that start inside a range
 * @start:	the range's first byte
 * @size:	its length
 * @hits:	filled with what is found
 * @max:	room in @hits
 *
 * What is found is what the registry knows; the caller re-checks each live
 * object before it believes it.
 *
 * Return: the number of entries filled in @hits.
 */
unsigned int sg_registry_find(const void *start, size_t size,
			      struct sg_hit *hits, unsigned int max)
{
	unsigned long s = (unsigned long)start, e = s + size;
	unsigned long chunk, last = (e - 1) >> SG_CHUNK_SHIFT;
	unsigned int nr = 0;

	if (!size)
		return 0;
	for (chunk = s >> SG_CHUNK_SHIFT; chunk <= last; chunk++) {
		struct sg_bucket *b = &sg_hash[hash_long(chunk, SG_HASH_BITS)];

		/* An empty bucket is by far the common case: skip its lock. */
		if (!READ_ONCE(b->head.first))
			continue;
		nr = find_in_bucket(b, s, e, hits, nr, max);
	}
	return nr;
}

u64 sg_registry_tracked(void)
{
	return atomic_long_read(&sg_nr_tracked);
}

u64 sg_registry_capacity(void)
{
	return READ_ONCE(sg_pool.nr_total);
}

int sg_registry_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sg_hash); i++) {
		INIT_HLIST_HEAD(&sg_hash[i].head);
		raw_spin_lock_init(&sg_hash[i].lock);
	}
	pool_refill_fn(NULL);
	if (!sg_pool.nr_free) {
		pr_err("cannot allocate the tracker pool\n");
		return -ENOMEM;
	}
	return 0;
}

/* Called once nothing can track or look up any more. */
void sg_registry_exit(void)
{
	struct page *page, *next;

	irq_work_sync(&sg_refill_kick);
	cancel_work_sync(&sg_refill_work);
	list_for_each_entry_safe(page, next, &sg_pool.pages, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	INIT_HLIST_HEAD(&sg_pool.free);
	sg_pool.nr_free = 0;
	sg_pool.nr_total = 0;
	atomic_long_set(&sg_nr_tracked, 0);
}
