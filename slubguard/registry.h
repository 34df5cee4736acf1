/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry's entries and its arm and disarm operations, inline: the
 * tracepoint probes run them on every timer event, where a call more is a
 * cost that shows (registry.c explains the structure).
 */
#ifndef SLUBGUARD_REGISTRY_H
#define SLUBGUARD_REGISTRY_H

#include <linux/processor.h>	/* before list_bl.h: cpu_relax() on arm64 6.1 */
#include <linux/list_bl.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>

#include "slubguard.h"

/**
 * struct sg_tracker - an entry from the pool, for a bucket whose own entry
 *		is taken
 * @node:	in its bucket, or on the pool's free list
 * @e:		the entry
 */
struct sg_tracker {
	struct hlist_bl_node node;
	struct sg_entry e;
};
static_assert(sizeof(struct sg_tracker) <= SG_NODE_SIZE);

/* Per CPU: an entry added on one CPU may be removed on another. */
DECLARE_PER_CPU(long, sg_nr_tracked);

static __always_inline struct sg_bucket *sg_bucket_of(const void *obj)
{
	return sg_bucket_of_chunk((unsigned long)obj >> SG_CHUNK_SHIFT);
}

/*
 * A bucket's lock is bit 0 of its list head, as hlist_bl_lock() takes it,
 * but it is only ever taken with interrupts off: nothing can preempt its
 * holder, so the preemption count hlist_bl_lock() also raises is left
 * alone (the timer events take it on every arm and disarm).
 */
static_assert(LIST_BL_LOCKMASK == 1, "slubguard needs an SMP kernel (list_bl's lock bit)");

static __always_inline void sg_bucket_lock(struct sg_bucket *b)
	__acquires(b)
{
	unsigned long *word = (unsigned long *)&b->head.first;

	lockdep_assert_irqs_disabled();
	while (unlikely(test_and_set_bit_lock(0, word))) {
		do {
			cpu_relax();
		} while (test_bit(0, word));
	}
	__acquire(b);
}

static __always_inline void sg_bucket_unlock(struct sg_bucket *b)
	__releases(b)
{
	__clear_bit_unlock(0, (unsigned long *)&b->head.first);
	__release(b);
}

static __always_inline u32 sg_chunk_tag(const void *obj)
{
	return (unsigned long)obj >> SG_CHUNK_SHIFT;
}

/* Under the bucket's lock: an entry for @obj is added. */
static __always_inline void sg_mark(struct sg_bucket *b, const void *obj)
{
	if (!b->lines)
		WRITE_ONCE(b->chunk, sg_chunk_tag(obj));
	else if (b->chunk != sg_chunk_tag(obj))
		WRITE_ONCE(b->chunk, SG_CHUNK_MIXED);
	WRITE_ONCE(b->lines, b->lines | sg_line_bit((unsigned long)obj));
}

void __sg_track_slow(struct sg_bucket *b, enum sg_kind_id kind, const void *obj,
		     void *hint, u64 stamp, u32 stack) __releases(b);
void __sg_untrack_slow(struct sg_bucket *b, const void *obj, u64 stamp) __releases(b);

/*
 * An hrtimer armed again as its callback returns (HRTIMER_RESTART), or by
 * its callback, keeps the stack that first armed it: the one a report of
 * a periodic timer should name. Its entry shows it fired (the expiry's
 * stamps) and has the same callback.
 */
static __always_inline void sg_set_stack(struct sg_entry *e, enum sg_kind_id kind,
					 void *hint, u32 stack)
{
	if (kind == SG_KIND_HRTIMER && e->hint == hint && sg_stamp_fired(e->stamp))
		return;
	e->stack = stack;
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
static __always_inline void sg_track(enum sg_kind_id kind, const void *obj,
				     void *hint, u64 stamp, u32 stack)
{
	struct sg_bucket *b = sg_bucket_of(obj);

	sg_bucket_lock(b);
	/* The common case: the bucket's own entry is this object's, or free. */
	if (unlikely(b->own.obj != obj && (b->own.obj || !hlist_bl_empty(&b->head)))) {
		__sg_track_slow(b, kind, obj, hint, stamp, stack);
		return;
	}
	if (!b->own.obj) {
		b->own.obj = obj;
		b->own.stack = stack;
		sg_mark(b, obj);
		__this_cpu_inc(sg_nr_tracked);
	} else {
		sg_set_stack(&b->own, kind, hint, stack);
	}
	b->own.kind = kind;
	b->own.hint = hint;
	b->own.stamp = stamp;
	sg_bucket_unlock(b);
}

/**
 * __sg_untrack() - record that @obj is no longer armed
 * @obj:	the object
 * @stamp:	remove the entry only if its stamp is this one; SG_STAMP_ANY
 *		removes it whatever it holds
 *
 * With interrupts off (the disarm events run so). The stamp lets an event
 * that is reported after the timer's lock was dropped (an hrtimer's expiry)
 * leave alone an entry that a concurrent re-arm has just refreshed.
 */
static __always_inline void __sg_untrack(const void *obj, u64 stamp)
{
	struct sg_bucket *b = sg_bucket_of(obj);

	/*
	 * Most disarms are of objects not tracked (a cancel of an idle timer).
	 * Events of one object are serialised by its timer's lock, so an entry
	 * for it cannot be appearing now.
	 */
	if (!(READ_ONCE(b->lines) & sg_line_bit((unsigned long)obj)))
		return;
	sg_bucket_lock(b);
	/* The common case: the bucket's own entry is this object's, alone. */
	if (unlikely(b->own.obj != obj || !hlist_bl_empty(&b->head))) {
		__sg_untrack_slow(b, obj, stamp);
		return;
	}
	if (stamp == SG_STAMP_ANY || b->own.stamp == stamp) {
		b->own.obj = NULL;
		WRITE_ONCE(b->lines, 0);
		__this_cpu_dec(sg_nr_tracked);
	}
	sg_bucket_unlock(b);
}

#endif /* SLUBGUARD_REGISTRY_H */
