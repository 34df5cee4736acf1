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
 * interrupts off. A disarm of a bucket's own entry takes no lock at all
 * (__sg_untrack()): the mask then says more than the entries, never less,
 * until the next arm there or the next free that looks. Each bucket holds
 * one entry of its own; the entries past it
 * come from the node pool (pool.c), so tracking neither recurses into the
 * free hooks nor allocates while the timer code holds its locks; when the
 * pool is empty an arm event is counted as a track failure and slubguard
 * goes on with what it has. With one timer armed in a chunk at a time, the
 * common case, arming and disarming it touches its bucket alone.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/kasan.h>
#include <linux/mm.h>		/* before list_bl.h: cpu_relax() on arm64 6.1 */
#include <linux/list_bl.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "registry.h"
#include "trace.h"

/* 1 << SG_HASH_BITS buckets, allocated at load. */
struct sg_bucket *sg_hash;
/* The kinds the entries name (enum sg_kind_id), from sg_registry_init(). */
static const struct sg_kind *const *sg_reg_kinds;

/* Under the bucket's lock. */
static struct sg_entry *lookup(struct sg_bucket *b, const void *obj)
{
	struct hlist_bl_node *pos;
	struct sg_tracker *t;

	if (READ_ONCE(b->own.obj) == obj)
		return &b->own;
	hlist_bl_for_each_entry(t, pos, &b->head, node)
		if (t->e.obj == obj)
			return &t->e;
	return NULL;
}

/* Under the bucket's lock: an entry for @obj is added. */
static void sg_mark(struct sg_bucket *b, const void *obj)
{
	if (!b->lines)
		WRITE_ONCE(b->chunk, sg_chunk_tag(obj));
	else if (b->chunk != sg_chunk_tag(obj))
		WRITE_ONCE(b->chunk, SG_CHUNK_MIXED);
	WRITE_ONCE(b->lines, b->lines | sg_line_bit((unsigned long)obj));
}

/*
 * Under the bucket's lock, once an entry has left: the lines (and chunk)
 * of the others. The own entry may be given back meanwhile (see
 * __sg_untrack()): its line then stays marked until the next time.
 */
static void remask(struct sg_bucket *b)
{
	const void *own = READ_ONCE(b->own.obj);
	struct hlist_bl_node *pos;
	struct sg_tracker *t;
	unsigned long lines = 0;
	u32 chunk = 0;

	if (own) {
		lines = sg_line_bit((unsigned long)own);
		chunk = sg_chunk_tag(own);
	}
	hlist_bl_for_each_entry(t, pos, &b->head, node) {
		if (!lines)
			chunk = sg_chunk_tag(t->e.obj);
		else if (chunk != sg_chunk_tag(t->e.obj))
			chunk = SG_CHUNK_MIXED;
		lines |= sg_line_bit((unsigned long)t->e.obj);
	}
	WRITE_ONCE(b->lines, lines);
	if (lines)
		WRITE_ONCE(b->chunk, chunk);
}

/*
 * Under the bucket's lock: take @e out of it. Return: the tracker it was
 * in, for the caller to give back once the lock is dropped, or NULL if it
 * was the bucket's own.
 */
static struct sg_tracker *unlink(struct sg_bucket *b, struct sg_entry *e)
{
	struct sg_tracker *t = NULL;

	if (e == &b->own) {
		WRITE_ONCE(b->own.obj, NULL);
	} else {
		t = container_of(e, struct sg_tracker, e);
		hlist_bl_del(&t->node);
	}
	remask(b);
	return t;
}

/*
 * Under the bucket's lock: a new entry for @obj, the bucket's own if free,
 * else a tracker from the pool; NULL (counted, traced) if the pool is empty.
 */
static struct sg_entry *new_entry(struct sg_bucket *b, enum sg_kind_id kind,
				  const void *obj, u32 stack)
{
	struct sg_tracker *t;
	struct sg_entry *e;

	if (!READ_ONCE(b->own.obj)) {
		e = &b->own;
	} else {
		t = __sg_node_get();
		if (unlikely(!t)) {
			sg_count(SG_STAT_TRACK_FAILURES);
			trace_track_failure(obj, sg_reg_kinds[kind]->name);
			return NULL;
		}
		hlist_bl_add_head(&t->node, &b->head);
		e = &t->e;
	}
	WRITE_ONCE(e->obj, obj);
	e->stack = stack;
	sg_mark(b, obj);
	return e;
}

/**
 * sg_track() - record that @obj is armed
 * @kind:	what @obj is
 * @obj:	the object
 * @hint:	its callback (see struct sg_entry)
 * @stamp:	see struct sg_entry
 * @stack:	the stack that armed it, or 0 (see struct sg_entry)
 *
 * Called from the kernel's arm events, which all run with interrupts off,
 * most under the timer base's lock. An object already known is updated: an
 * address holds one object at a time, so an older entry for it is stale by
 * now.
 */
void sg_track(enum sg_kind_id kind, const void *obj, void *hint, u64 stamp, u32 stack)
{
	struct sg_bucket *b = sg_bucket_of(obj);
	struct sg_entry *e;

	sg_bucket_lock(b);
	e = lookup(b, obj);
	if (e)
		sg_set_stack(e, kind, hint, stack);
	else
		e = new_entry(b, kind, obj, stack);
	if (e) {
		e->kind = kind;
		e->hint = hint;
		e->stamp = stamp;
		e->reported = 0;
	}
	sg_bucket_unlock(b);
}

/**
 * sg_track_running() - record that @obj's callback is starting
 * @kind:	see sg_track()
 * @obj:	see sg_track()
 * @hint:	see sg_track()
 * @stamp:	the running stamp
 * @max_stamp:	an entry whose stamp is above this is left as it is: armed
 *		again by then, from another CPU
 * @queued:	if not NULL and true for @obj under the lock, the entry is
 *		left as it is too: queued again, and its queue event tracks it
 *		(or did)
 *
 * In any context. The kernel has taken the object off its queue by now
 * (some kernels with a cancel event, which dropped the entry): it is
 * tracked again, as running, until its callback returns. Arm events and
 * this take the bucket's lock, so whichever comes last wins; @queued is
 * read under it, so a re-queue from another CPU that this misses is one
 * whose event comes after.
 */
void sg_track_running(enum sg_kind_id kind, const void *obj, void *hint, u64 stamp,
		      u64 max_stamp, bool (*queued)(const void *obj))
{
	struct sg_bucket *b = sg_bucket_of(obj);
	struct sg_entry *e;
	unsigned long flags;

	local_irq_save(flags);
	sg_bucket_lock(b);
	if (queued && queued(obj))
		goto out;
	e = lookup(b, obj);
	if (e && e->stamp > max_stamp)
		goto out;
	if (!e)
		e = new_entry(b, kind, obj, 0);
	if (!e)
		goto out;
	e->kind = kind;
	e->hint = hint;
	e->stamp = stamp;
	e->reported = 0;
out:
	sg_bucket_unlock(b);
	local_irq_restore(flags);
}

/**
 * __sg_untrack_slow() - __sg_untrack() where the bucket holds other entries
 * @b:		the object's bucket, locked, with interrupts off
 * @obj:	see __sg_untrack()
 * @stamp:	see __sg_untrack()
 *
 * Drops the bucket's lock.
 */
void __sg_untrack_slow(struct sg_bucket *b, const void *obj, u64 stamp)
	__releases(b)
{
	struct sg_tracker *t = NULL;
	struct sg_entry *e;

	e = lookup(b, obj);
	if (e && (stamp == SG_STAMP_ANY || e->stamp == stamp))
		t = unlink(b, e);
	sg_bucket_unlock(b);

	if (t)
		__sg_node_put(t);
}

/**
 * __sg_restamp() - change an entry's stamp, with interrupts off
 * @obj:	the object
 * @max_stamp:	only if its stamp is at most this
 * @stamp:	the new stamp
 */
void __sg_restamp(const void *obj, u64 max_stamp, u64 stamp)
{
	struct sg_bucket *b = sg_bucket_of(obj);
	struct sg_entry *e;

	if (!(READ_ONCE(b->lines) & sg_line_bit((unsigned long)obj)))
		return;
	sg_bucket_lock(b);
	e = lookup(b, obj);
	if (e && e->stamp <= max_stamp)
		e->stamp = stamp;
	sg_bucket_unlock(b);
}

/* __sg_untrack() in any context. */
void sg_untrack(const void *obj, u64 stamp)
{
	unsigned long flags;

	local_irq_save(flags);
	__sg_untrack(obj, stamp);
	local_irq_restore(flags);
}

/**
 * sg_untrack_stale() - drop @obj's entry if it still names callback @hint
 * @obj:	an object being freed, whose live callback is another
 * @hint:	the callback the entry had when it was found
 *
 * In any context. The memory was reused for something else: the entry is
 * stale, and goes, unless an arm since has given it its new callback.
 */
void sg_untrack_stale(const void *obj, void *hint)
{
	struct sg_bucket *b = sg_bucket_of(obj);
	struct sg_tracker *t = NULL;
	struct sg_entry *e;
	unsigned long flags;

	local_irq_save(flags);
	sg_bucket_lock(b);
	e = lookup(b, obj);
	if (e && e->hint == hint)
		t = unlink(b, e);
	sg_bucket_unlock(b);
	if (t)
		__sg_node_put(t);
	local_irq_restore(flags);
}

/**
 * sg_registry_mark_reported() - a free of @obj's memory was reported
 * @obj:	the object, still armed in that memory
 * @stamp:	its stamp when found: an arm since is a new story, left alone
 *
 * In any context.
 */
void sg_registry_mark_reported(const void *obj, u64 stamp)
{
	struct sg_bucket *b = sg_bucket_of(obj);
	struct sg_entry *e;
	unsigned long flags;

	local_irq_save(flags);
	sg_bucket_lock(b);
	e = lookup(b, obj);
	if (e && e->stamp == stamp)
		e->reported = 1;
	sg_bucket_unlock(b);
	local_irq_restore(flags);
}

/* @obj's stamp now, or SG_STAMP_ANY if it has no entry; in any context. */
u64 sg_registry_stamp(const void *obj)
{
	struct sg_bucket *b = sg_bucket_of(obj);
	struct sg_entry *e;
	unsigned long flags;
	u64 stamp;

	local_irq_save(flags);
	sg_bucket_lock(b);
	e = lookup(b, obj);
	stamp = e ? e->stamp : SG_STAMP_ANY;
	sg_bucket_unlock(b);
	local_irq_restore(flags);
	return stamp;
}

/* sg_registry_maybe() for the whole chunks inside a large range. */
bool sg_registry_maybe_within(unsigned long first, unsigned long last)
{
	unsigned long chunk;

	for (chunk = first; chunk <= last; chunk++)
		if (sg_chunk_lines(chunk))
			return true;
	return false;
}

/*
 * Under the bucket's lock: add @e to @hits if it lies in [start, end). Its
 * object is read once: an own entry may be given back meanwhile.
 */
static unsigned int hit_add(const struct sg_entry *e, unsigned long start, unsigned long end,
			    struct sg_hit *hits, unsigned int nr, unsigned int max)
{
	const void *obj = READ_ONCE(e->obj);
	unsigned long addr = (unsigned long)obj;
	const struct sg_kind *kind;
	void *hint;
	unsigned int i;

	if (addr < start || addr >= end || nr >= max)
		return nr;
	/* Two chunks of one range can share a bucket. */
	for (i = 0; i < nr; i++)
		if (hits[i].obj == obj)
			return nr;
	kind = sg_reg_kinds[e->kind];
	hint = e->hint;
	/*
	 * A delayed_work's timer, but the range starts after the delayed_work
	 * would: it is not that object (memory reused, or a timer_list armed
	 * with delayed_work_timer_fn()), and what lies before the range may be
	 * a guard page. What is in the range is a timer_list: checked,
	 * reported and disarmed as one, its fingerprint read from itself.
	 */
	if (addr - kind->outer_offset < start) {
		kind = kind->inner;
		/* Read only where the object lies whole in the range. */
		if (addr + kind->size <= end) {
			kasan_disable_current();
			hint = kind->debug_hint(obj);
			kasan_enable_current();
		}
	}
	hits[nr].kind = kind;
	hits[nr].obj = obj;
	hits[nr].hint = hint;
	hits[nr].past_end = addr + kind->size > end;
	hits[nr].stamp = e->stamp;
	hits[nr].stack = e->stack;
	hits[nr].reported = e->reported;
	return nr + 1;
}

static unsigned int find_in_bucket(struct sg_bucket *b, unsigned long start,
				   unsigned long end, struct sg_hit *hits,
				   unsigned int nr, unsigned int max)
{
	struct hlist_bl_node *pos;
	struct sg_tracker *t;
	unsigned long flags;

	local_irq_save(flags);
	sg_bucket_lock(b);
	/* A free own entry's NULL lies in no range. */
	nr = hit_add(&b->own, start, end, hits, nr, max);
	hlist_bl_for_each_entry(t, pos, &b->head, node)
		nr = hit_add(&t->e, start, end, hits, nr, max);
	/* The lines of entries given back without the lock go now. */
	remask(b);
	sg_bucket_unlock(b);
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
		/* An empty bucket is by far the common case: skip its lock. */
		if (!sg_chunk_lines(chunk))
			continue;
		nr = find_in_bucket(sg_bucket_of_chunk(chunk), s, e, hits, nr, max);
	}
	return nr;
}

/*
 * Counted when asked, not kept: a count kept per CPU cost every arm and
 * every disarm an update, and the own entries are given back without a
 * lock. A snapshot, exact while nothing is armed or disarmed.
 */
u64 sg_registry_tracked(void)
{
	unsigned int i;
	u64 nr = 0;

	for (i = 0; i < 1 << SG_HASH_BITS; i++) {
		struct sg_bucket *b = &sg_hash[i];
		struct hlist_bl_node *pos;
		struct sg_tracker *t;
		unsigned long flags;

		nr += !!READ_ONCE(b->own.obj);
		if (hlist_bl_empty(&b->head))
			continue;
		local_irq_save(flags);
		sg_bucket_lock(b);
		hlist_bl_for_each_entry(t, pos, &b->head, node)
			nr++;
		sg_bucket_unlock(b);
		local_irq_restore(flags);
	}
	return nr;
}

/* The table, allocated at load whatever is tracked. */
u64 sg_registry_bytes(void)
{
	return sizeof(*sg_hash) << SG_HASH_BITS;
}

int sg_registry_init(const struct sg_kind *const *kinds)
{
	unsigned int i;

	sg_reg_kinds = kinds;
	sg_hash = kvcalloc(1 << SG_HASH_BITS, sizeof(*sg_hash), GFP_KERNEL);
	if (!sg_hash)
		return -ENOMEM;
	for (i = 0; i < 1 << SG_HASH_BITS; i++)
		INIT_HLIST_BL_HEAD(&sg_hash[i].head);
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
		sg_bucket_lock(b);
		b->own.obj = NULL;
		while ((n = hlist_bl_first(&b->head))) {
			hlist_bl_del(n);
			__sg_node_put(hlist_bl_entry(n, struct sg_tracker, node));
		}
		WRITE_ONCE(b->lines, 0);
		sg_bucket_unlock(b);
		local_irq_restore(flags);
	}
}

/* Called once nothing can track or look up any more; the pool goes after. */
void sg_registry_exit(void)
{
	kvfree(sg_hash);
	sg_hash = NULL;
}
