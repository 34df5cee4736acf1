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

#include <linux/mm.h>		/* before list_bl.h: cpu_relax() on arm64 6.1 */
#include <linux/list_bl.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "slubguard.h"
#include "registry.h"

/* 1 << SG_HASH_BITS buckets, allocated at load. */
struct sg_bucket *sg_hash;

DEFINE_PER_CPU(long, sg_nr_tracked);

/**
 * __sg_restamp() - change an entry's stamp, with interrupts off
 * @obj:	the object
 * @max_stamp:	only if its stamp is at most this
 * @stamp:	the new stamp
 */
void __sg_restamp(const void *obj, u64 max_stamp, u64 stamp)
{
	struct sg_bucket *b = sg_bucket_of(obj);
	struct sg_tracker *t;

	lockdep_assert_irqs_disabled();
	if (!(READ_ONCE(b->lines) & sg_line_bit((unsigned long)obj)))
		return;
	hlist_bl_lock(&b->head);
	t = sg_lookup(b, obj);
	if (t && t->stamp <= max_stamp)
		t->stamp = stamp;
	hlist_bl_unlock(&b->head);
}

/* The same, in any context. */
void sg_restamp(const void *obj, u64 max_stamp, u64 stamp)
{
	unsigned long flags;

	local_irq_save(flags);
	__sg_restamp(obj, max_stamp, stamp);
	local_irq_restore(flags);
}

/* __sg_untrack() in any context. */
void sg_untrack(const void *obj, u64 stamp)
{
	unsigned long flags;

	local_irq_save(flags);
	__sg_untrack(obj, stamp);
	local_irq_restore(flags);
}

/* @obj's stamp now, or SG_STAMP_ANY if it has no entry; in any context. */
u64 sg_registry_stamp(const void *obj)
{
	struct sg_bucket *b = sg_bucket_of(obj);
	struct sg_tracker *t;
	unsigned long flags;
	u64 stamp;

	local_irq_save(flags);
	hlist_bl_lock(&b->head);
	t = sg_lookup(b, obj);
	stamp = t ? t->stamp : SG_STAMP_ANY;
	hlist_bl_unlock(&b->head);
	local_irq_restore(flags);
	return stamp;
}

/* sg_registry_maybe() for the whole chunks inside a large range. */
bool sg_registry_maybe_within(unsigned long first, unsigned long last)
{
	unsigned long chunk;

	for (chunk = first; chunk <= last; chunk++)
		if (READ_ONCE(sg_bucket_of_chunk(chunk)->lines))
			return true;
	return false;
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
		hits[nr].stamp = t->stamp;
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

/* The table, allocated at load whatever is tracked. */
u64 sg_registry_bytes(void)
{
	return sizeof(*sg_hash) << SG_HASH_BITS;
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

/**
 * sg_registry_clear() - forget every entry
 *
 * When slubguard is disabled: the events are no longer seen, so what the
 * registry holds would go stale. Called once no probe and no hook can
 * touch it.
 */
void sg_registry_clear(void)
{
	unsigned int i;

	for (i = 0; i < 1 << SG_HASH_BITS; i++) {
		struct sg_bucket *b = &sg_hash[i];
		struct hlist_bl_node *n;
		unsigned long flags;

		local_irq_save(flags);
		hlist_bl_lock(&b->head);
		while ((n = hlist_bl_first(&b->head))) {
			hlist_bl_del(n);
			__sg_node_put(hlist_bl_entry(n, struct sg_tracker, node));
			__this_cpu_dec(sg_nr_tracked);
		}
		WRITE_ONCE(b->lines, 0);
		hlist_bl_unlock(&b->head);
		local_irq_restore(flags);
	}
}

/* Called once nothing can track or look up any more; the pool goes after. */
void sg_registry_exit(void)
{
	kvfree(sg_hash);
	sg_hash = NULL;
}
