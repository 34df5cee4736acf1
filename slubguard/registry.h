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
 * struct sg_tracker - one armed object
 * @node:	in its bucket, or on the pool's free list
 * @obj:	the object (a struct hrtimer, a struct timer_list, ...)
 * @hint:	its callback when it was armed: a fingerprint checked at report
 *		time, so memory reused for something else never matches
 * @kind:	what @obj is
 * @stamp:	a value the tracker of @kind gives at arm time (the hrtimer's
 *		expiry, then a fired stamp as its callback runs and returns),
 *		compared when an expiry may remove the entry and when a free
 *		finds it
 */
struct sg_tracker {
	struct hlist_bl_node node;
	const void *obj;
	void *hint;
	const struct sg_kind *kind;
	u64 stamp;
};
static_assert(sizeof(struct sg_tracker) <= SG_NODE_SIZE);

/* Per CPU: an entry added on one CPU may be removed on another. */
DECLARE_PER_CPU(long, sg_nr_tracked);

static __always_inline struct sg_bucket *sg_bucket_of(const void *obj)
{
	return sg_bucket_of_chunk((unsigned long)obj >> SG_CHUNK_SHIFT);
}

static __always_inline struct sg_tracker *sg_lookup(struct sg_bucket *b, const void *obj)
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
static __always_inline void sg_track(const struct sg_kind *kind, const void *obj,
				     void *hint, u64 stamp)
{
	struct sg_bucket *b = sg_bucket_of(obj);
	struct sg_tracker *t;

	lockdep_assert_irqs_disabled();
	hlist_bl_lock(&b->head);
	t = sg_lookup(b, obj);
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
static __always_inline void sg_remask(struct sg_bucket *b)
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
	t = sg_lookup(b, obj);
	if (t && (stamp == SG_STAMP_ANY || t->stamp == stamp)) {
		hlist_bl_del(&t->node);
		sg_remask(b);
		__this_cpu_dec(sg_nr_tracked);
	} else {
		t = NULL;
	}
	hlist_bl_unlock(&b->head);

	if (t)
		__sg_node_put(t);
}

#endif /* SLUBGUARD_REGISTRY_H */
