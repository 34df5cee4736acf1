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

static __always_inline struct sg_bucket *sg_bucket_of(const void *obj)
{
	return sg_bucket_of_chunk((unsigned long)obj >> SG_CHUNK_SHIFT);
}

/*
 * A bucket's lock is bit 0 of its list head, as hlist_bl_lock() takes it,
 * but it is only ever taken with interrupts off: nothing can preempt its
 * holder, so the preemption count hlist_bl_lock() also raises is left
 * alone (the timer events take it on every arm).
 */
static_assert(LIST_BL_LOCKMASK == 1, "slubguard needs an SMP kernel (list_bl's lock bit)");

/*
 * Return: the list's first node as it is under the lock (NULL: the bucket
 * holds no tracker), which the fast paths hand back to
 * sg_bucket_unlock_to(). x86 sets the bit with one locked instruction that
 * returns nothing else, and reads the head apart; elsewhere one atomic
 * fetch-or sets the bit and returns the head.
 */
static __always_inline unsigned long sg_bucket_lock(struct sg_bucket *b)
	__acquires(b)
{
	unsigned long *word = (unsigned long *)&b->head.first;
	unsigned long old;

	lockdep_assert_irqs_disabled();
	if (IS_ENABLED(CONFIG_X86)) {
		while (unlikely(test_and_set_bit_lock(0, word))) {
			do {
				cpu_relax();
			} while (test_bit(0, word));
		}
		old = READ_ONCE(*word) & ~LIST_BL_LOCKMASK;
	} else {
		while (unlikely((old = atomic_long_fetch_or_acquire(LIST_BL_LOCKMASK,
							(atomic_long_t *)word)) & LIST_BL_LOCKMASK)) {
			do {
				cpu_relax();
			} while (test_bit(0, word));
		}
	}
	__acquire(b);
	return old;
}

/* Unlock a bucket whose list may have changed under the lock. */
static __always_inline void sg_bucket_unlock(struct sg_bucket *b)
	__releases(b)
{
	__clear_bit_unlock(0, (unsigned long *)&b->head.first);
	__release(b);
}

/* Unlock a bucket whose list is still @head, as sg_bucket_lock() said. */
static __always_inline void sg_bucket_unlock_to(struct sg_bucket *b, unsigned long head)
	__releases(b)
{
	smp_store_release((unsigned long *)&b->head.first, head);
	__release(b);
}

static __always_inline u32 sg_chunk_tag(const void *obj)
{
	return (unsigned long)obj >> SG_CHUNK_SHIFT;
}

void sg_track(enum sg_kind_id kind, const void *obj, void *hint, u64 stamp, u32 stack);
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
 * sg_track_fast() - sg_track() for the common case, inline
 * @kind:	see sg_track()
 * @obj:	see sg_track()
 * @hint:	see sg_track()
 * @stamp:	see sg_track()
 *
 * With interrupts off. The common case is a bucket without trackers whose
 * own entry is @obj's already, or free; no stack is recorded.
 *
 * Return: false if the case is another: nothing was done, and the caller
 * calls sg_track(). The arm events thus call out from one place only,
 * where the compiler sets up their frame; the common case needs none.
 */
static __always_inline bool sg_track_fast(enum sg_kind_id kind, const void *obj,
					  void *hint, u64 stamp)
{
	struct sg_bucket *b = sg_bucket_of(obj);
	unsigned long head = sg_bucket_lock(b);
	const void *own = READ_ONCE(b->own.obj);

	if (unlikely(head))
		goto other;
	if (own == obj) {
		sg_set_stack(&b->own, kind, hint, 0);
	} else if (likely(!own)) {
		/* The only entry: the lines are this object's alone. */
		WRITE_ONCE(b->own.obj, obj);
		b->own.stack = 0;
		WRITE_ONCE(b->chunk, sg_chunk_tag(obj));
		WRITE_ONCE(b->lines, sg_line_bit((unsigned long)obj));
	} else {
		goto other;
	}
	b->own.kind = kind;
	b->own.hint = hint;
	b->own.stamp = stamp;
	b->own.reported = 0;
	sg_bucket_unlock_to(b, head);
	return true;
other:
	sg_bucket_unlock_to(b, head);
	return false;
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
	 * A bucket's own entry is given back without the lock, whatever its
	 * stamp, by one compare-and-exchange. Only the object's own arm
	 * events put its address there, and they are serialised with this
	 * disarm by its timer's lock; whatever takes it away meanwhile under
	 * the lock (a free that found it stale) leaves NULL, and the exchange
	 * then changes nothing. The lines are left as they are, more than the
	 * entries now; the next arm in the bucket, or the next free looking
	 * there, makes them exact again.
	 */
	if (stamp == SG_STAMP_ANY && likely(cmpxchg_relaxed(&b->own.obj, obj, NULL) == obj))
		return;
	/*
	 * Most other disarms are of objects not tracked (armed before
	 * slubguard, or when the pool was empty).
	 */
	if (!(READ_ONCE(b->lines) & sg_line_bit((unsigned long)obj)))
		return;
	sg_bucket_lock(b);
	__sg_untrack_slow(b, obj, stamp);
}

#endif /* SLUBGUARD_REGISTRY_H */
