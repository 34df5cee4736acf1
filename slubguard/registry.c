// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: which objects are armed right now.
 *
 * Entries are hashed by the page-sized chunk their object starts in, so "does
 * [addr, addr + size) hold anything?" visits one bucket per chunk: one or two
 * for any slab object. Entries come from the node pool (pool.c), so tracking
 * neither recurses into the free hooks nor allocates while the timer code
 * holds its locks; when the pool is empty an arm event is counted as a track
 * failure and slubguard goes on with what it has.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/hash.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/spinlock.h>

#include "slubguard.h"

#define SG_HASH_BITS		14
#define SG_CHUNK_SHIFT		PAGE_SHIFT

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
static_assert(sizeof(struct sg_tracker) <= SG_NODE_SIZE);

/**
 * struct sg_bucket - one hash chain
 * @head:	trackers; written under @lock, first pointer also read
 *		locklessly to skip empty buckets (pairs with the WRITE_ONCE()
 *		in hlist_add_head() and __hlist_del())
 * @lock:	guards @head; taken in any context, also under the timer
 *		bases' locks, so it is raw; only the node pool's lock nests in it
 */
struct sg_bucket {
	struct hlist_head head;
	raw_spinlock_t lock;
};

static struct sg_bucket sg_hash[1 << SG_HASH_BITS];

static atomic_long_t sg_nr_tracked = ATOMIC_LONG_INIT(0);

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
		t = sg_node_get();
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
		sg_node_put(t);
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

void sg_registry_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sg_hash); i++) {
		INIT_HLIST_HEAD(&sg_hash[i].head);
		raw_spin_lock_init(&sg_hash[i].lock);
	}
	atomic_long_set(&sg_nr_tracked, 0);
}

/* Called once nothing can track or look up any more; the pool goes after. */
void sg_registry_exit(void)
{
	atomic_long_set(&sg_nr_tracked, 0);
}
