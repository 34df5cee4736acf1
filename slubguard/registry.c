// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: which objects are armed right now.
 *
 * Entries are hashed by the 4 KiB chunk their object starts in, so "does
 * [addr, addr + size) hold anything?" visits one bucket per chunk: one or two
 * for any slab object. Each bucket also keeps a mask of the 64-byte lines
 * (of its chunks) where its entries lie; the free path reads only the masks
 * (sg_registry_maybe()), without a lock, and takes a bucket's lock only when
 * a line of the range being freed is marked: a free next to an armed timer,
 * in the same slab page, is not slowed down by it.
 *
 * Arm and disarm events run with interrupts off, so a bucket's lock (a bit
 * of its list head) is taken as is there; everything else takes it with
 * interrupts off. Entries come from the node pool (pool.c), so tracking
 * neither recurses into the free hooks nor allocates while the timer code
 * holds its locks; when the pool is empty an arm event is counted as a track
 * failure and slubguard goes on with what it has.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/list_bl.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "slubguard.h"

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
	struct hlist_bl_node node;
	const void *obj;
	void *hint;
	const struct sg_kind *kind;
	u64 stamp;
};
static_assert(sizeof(struct sg_tracker) <= SG_NODE_SIZE);

/* 1 << SG_HASH_BITS buckets, allocated at load. */
struct sg_bucket *sg_hash;

/* Per CPU: an entry added on one CPU may be removed on another. */
static DEFINE_PER_CPU(long, sg_nr_tracked);

static struct sg_bucket *bucket_of(const void *obj)
{
	return sg_bucket_of_chunk((unsigned long)obj >> SG_CHUNK_SHIFT);
}

static struct sg_tracker *lookup(struct sg_bucket *b, const void *obj)
{
	struct hlist_bl_node *pos;
	struct sg_tracker *t;

	hlist_bl_for_each_entry(t, pos, &b->head, node)
		if (t->obj == obj)
			return t;
	return NULL;
}

/**
 * sg_track() - record that @obj is armed
 * @kind:	what @obj is
 * @obj:	the object
 * @hint:	its callback (see struct sg_tracker)
 * @stamp:	see struct sg_tracker
 *
 * Called from the kernel's arm events, which all run with interrupts off,
 * most under the timer base's lock. An object already known is updated: an
 * address holds one object at a time, so an older entry for it is stale by
 * now.
 */
void sg_track(const struct sg_kind *kind, const void *obj, void *hint, u64 stamp)
{
	struct sg_bucket *b = bucket_of(obj);
	struct sg_tracker *t;

	lockdep_assert_irqs_disabled();
	hlist_bl_lock(&b->head);
	t = lookup(b, obj);
	if (!t) {
		t = __sg_node_get();
		if (unlikely(!t)) {
			hlist_bl_unlock(&b->head);
			sg_count(SG_STAT_TRACK_FAILURES);
			return;
		}
		t->obj = obj;
		hlist_bl_add_head(&t->node, &b->head);
		WRITE_ONCE(b->lines, b->lines | sg_line_bit((unsigned long)obj));
		__this_cpu_inc(sg_nr_tracked);
	}
	t->kind = kind;
	t->hint = hint;
	t->stamp = stamp;
	hlist_bl_unlock(&b->head);
}

/* The lines still marked once an entry has left: those of the others. */
static void remask(struct sg_bucket *b)
{
	struct hlist_bl_node *pos;
	struct sg_tracker *t;
	unsigned long lines = 0;

	hlist_bl_for_each_entry(t, pos, &b->head, node)
		lines |= sg_line_bit((unsigned long)t->obj);
	WRITE_ONCE(b->lines, lines);
}

/**
 * __sg_untrack() - record that @obj is no longer armed
 * @obj:	the object
 * @max_stamp:	remove the entry only if its stamp is at most this; U64_MAX
 *		removes it whatever it holds
 *
 * With interrupts off (the disarm events run so). The limit lets an expiry
 * event that is reported after the timer's lock was dropped leave alone an
 * entry that a concurrent re-arm has just refreshed.
 */
void __sg_untrack(const void *obj, u64 max_stamp)
{
	struct sg_bucket *b = bucket_of(obj);
	struct sg_tracker *t;

	lockdep_assert_irqs_disabled();
	/*
	 * Most disarms are of objects not tracked (a cancel of an idle timer).
	 * Events of one object are serialised by its timer's lock, so an entry
	 * for it cannot be appearing now.
	 */
	if (!(READ_ONCE(b->lines) & sg_line_bit((unsigned long)obj)))
		return;
	hlist_bl_lock(&b->head);
	t = lookup(b, obj);
	if (t && t->stamp <= max_stamp) {
		hlist_bl_del(&t->node);
		remask(b);
		__this_cpu_dec(sg_nr_tracked);
	} else {
		t = NULL;
	}
	hlist_bl_unlock(&b->head);

	if (t)
		__sg_node_put(t);
}

/* __sg_untrack() in any context. */
void sg_untrack(const void *obj, u64 max_stamp)
{
	unsigned long flags;

	local_irq_save(flags);
	__sg_untrack(obj, max_stamp);
	local_irq_restore(flags);
}

static unsigned int find_in_bucket(struct sg_bucket *b, unsigned long start,
				   unsigned long end, struct sg_hit *hits,
				   unsigned int nr, unsigned int max)
{
	struct hlist_bl_node *pos;
	struct sg_tracker *t;
	unsigned long flags;
	unsigned int i;

	local_irq_save(flags);
	hlist_bl_lock(&b->head);
	hlist_bl_for_each_entry(t, pos, &b->head, node) {
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
	hlist_bl_unlock(&b->head);
	local_irq_restore(flags);
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
		struct sg_bucket *b = sg_bucket_of_chunk(chunk);

		/* An empty bucket is by far the common case: skip its lock. */
		if (!READ_ONCE(b->lines))
			continue;
		nr = find_in_bucket(b, s, e, hits, nr, max);
	}
	return nr;
}

u64 sg_registry_tracked(void)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(sg_nr_tracked, cpu);
	return max(sum, 0L);
}

int sg_registry_init(void)
{
	unsigned int i;
	int cpu;

	sg_hash = kvcalloc(1 << SG_HASH_BITS, sizeof(*sg_hash), GFP_KERNEL);
	if (!sg_hash)
		return -ENOMEM;
	for (i = 0; i < 1 << SG_HASH_BITS; i++)
		INIT_HLIST_BL_HEAD(&sg_hash[i].head);
	for_each_possible_cpu(cpu)
		per_cpu(sg_nr_tracked, cpu) = 0;
	return 0;
}

/* Called once nothing can track or look up any more; the pool goes after. */
void sg_registry_exit(void)
{
	kvfree(sg_hash);
	sg_hash = NULL;
}
