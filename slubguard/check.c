// SPDX-License-Identifier: GPL-2.0
/*
 * One free, checked: does the range being freed hold an object the kernel
 * still has armed? And if it does, what the policy says to do.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/kernel.h>
#include <linux/panic.h>
#include <linux/slab.h>

#include "compat.h"
#include "check.h"
#include "quarantine.h"
#include "report.h"
#include "types.h"

int sg_policy = SG_POLICY_WARN;

/*
 * Objects reported under policy=warn when kfree_rcu() queued them: the RCU
 * batch frees them later, and that free must not report them again. Kept
 * until that free (or until 16 newer ones push them out); empty almost
 * always, so the free path reads one counter (sg_check_pending()).
 */
#define SG_QUEUED_MAX	16
static struct {
	raw_spinlock_t lock;
	const void *obj[SG_QUEUED_MAX];
	unsigned int next;
} sg_queued = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(sg_queued.lock),
};
unsigned int sg_queued_nr;

static void remember_queued(const void *obj)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&sg_queued.lock, flags);
	if (!sg_queued.obj[sg_queued.next])
		WRITE_ONCE(sg_queued_nr, sg_queued_nr + 1);
	sg_queued.obj[sg_queued.next] = obj;
	sg_queued.next = (sg_queued.next + 1) % SG_QUEUED_MAX;
	raw_spin_unlock_irqrestore(&sg_queued.lock, flags);
}

/*
 * The last frees reported and let go, by range. Their pages come to the
 * page allocator later, a large kmalloc()'s within the same kfree(), and
 * a callback still running may arm its timer again between the two looks:
 * a new entry, without the reported mark (oracle 2 found it: a delayed
 * work whose callback queued it again). Kept until the memory's pages go
 * (or 16 newer ones push them out); empty almost always, so a page free
 * reads one counter.
 */
#define SG_LET_GO_MAX	16
static struct {
	raw_spinlock_t lock;
	struct {
		unsigned long start, end;
	} range[SG_LET_GO_MAX];
	unsigned int next;
} sg_let_go = {
	.lock = __RAW_SPIN_LOCK_UNLOCKED(sg_let_go.lock),
};
static unsigned int sg_let_go_nr;

static void remember_let_go(const struct sg_free *free)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&sg_let_go.lock, flags);
	if (!sg_let_go.range[sg_let_go.next].end)
		WRITE_ONCE(sg_let_go_nr, sg_let_go_nr + 1);
	sg_let_go.range[sg_let_go.next].start = (unsigned long)free->obj;
	sg_let_go.range[sg_let_go.next].end = (unsigned long)free->obj + free->size;
	sg_let_go.next = (sg_let_go.next + 1) % SG_LET_GO_MAX;
	raw_spin_unlock_irqrestore(&sg_let_go.lock, flags);
}

static void forget_let_go(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&sg_let_go.lock, flags);
	memset(sg_let_go.range, 0, sizeof(sg_let_go.range));
	WRITE_ONCE(sg_let_go_nr, 0);
	raw_spin_unlock_irqrestore(&sg_let_go.lock, flags);
}

/**
 * sg_check_forget_queued() - forget every object reported when queued
 *
 * When slubguard is disabled: their real frees will not be seen, and a
 * later object at one of those addresses, freed while armed, would be taken
 * for a repeat and not reported. So do the notes of memory let go after a
 * report, for the same reason.
 */
void sg_check_forget_queued(void)
{
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&sg_queued.lock, flags);
	for (i = 0; i < SG_QUEUED_MAX; i++)
		sg_queued.obj[i] = NULL;
	WRITE_ONCE(sg_queued_nr, 0);
	raw_spin_unlock_irqrestore(&sg_queued.lock, flags);
	forget_let_go();
}

/*
 * Is the free only queued, to be finished later through a freeing function
 * slubguard hooks? kfree_rcu(), and on kernels whose deferred vfree() ends
 * in vfree() again, vfree() in an interrupt and vfree_atomic().
 */
static bool finished_later(const struct sg_free *free)
{
	return free->how == SG_GIVE_RCU ||
	       (SG_VFREE_DEFERRED_SEEN && free->how == SG_GIVE_KVFREE_DEFERRED);
}

/* Is this the real free of an object reported when it was queued? */
static bool forget_queued(const void *obj)
{
	unsigned long flags;
	bool found = false;
	unsigned int i;

	if (likely(!READ_ONCE(sg_queued_nr)))
		return false;
	raw_spin_lock_irqsave(&sg_queued.lock, flags);
	for (i = 0; i < SG_QUEUED_MAX; i++) {
		if (sg_queued.obj[i] != obj)
			continue;
		sg_queued.obj[i] = NULL;
		WRITE_ONCE(sg_queued_nr, sg_queued_nr - 1);
		found = true;
	}
	raw_spin_unlock_irqrestore(&sg_queued.lock, flags);
	return found;
}

/*
 * A delayed work's own work lies where the delayed work does, and while its
 * timer is pending it can look queued too (a kthread_work is linked on the
 * worker's list of delayed works; a work_struct has its pending bit set).
 * Both hits are one object, reported and stopped as the delayed work.
 */
static unsigned int one_per_object(struct sg_hit *hits, unsigned int nr)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < nr; i++) {
		bool inner = false;

		for (j = 0; j < nr && !hits[i].kind->outer_offset; j++)
			if (hits[j].kind->outer_offset &&
			    (unsigned long)hits[j].obj - hits[j].kind->outer_offset ==
			    (unsigned long)hits[i].obj)
				inner = true;
		if (!inner)
			hits[n++] = hits[i];
	}
	return n;
}

/* In the order they lie in the object: the report reads like its layout. */
static void sort_by_offset(struct sg_hit *hits, unsigned int nr)
{
	unsigned int i, j;

	for (i = 1; i < nr; i++) {
		struct sg_hit h = hits[i];

		for (j = i; j && hits[j - 1].obj > h.obj; j--)
			hits[j] = hits[j - 1];
		hits[j] = h;
	}
}

static void fill_report(struct sg_report *r, const struct sg_free *free,
			const struct sg_hit *hits, unsigned int nr)
{
	unsigned int i;

	r->free = free;
	r->cache_name = sg_alloc_name(free->obj, free->cache);
	r->nr_timers = nr;
	for (i = 0; i < nr; i++) {
		r->timers[i].kind = hits[i].kind;
		r->timers[i].offset = (unsigned long)hits[i].obj - hits[i].kind->outer_offset -
				      (unsigned long)free->obj;
		r->timers[i].hint = hits[i].hint;
		r->timers[i].stack = hits[i].stack;
		r->timers[i].running_cpu = hits[i].state == SG_RUNNING ? hits[i].cpu : -1;
		if (hits[i].kind->expires_ns)
			r->timers[i].expires_ns = hits[i].kind->expires_ns(hits[i].obj);
	}
	r->action = READ_ONCE(sg_policy);
	/* Never held where the call cannot be diverted: it frees the object. */
	r->not_held = r->action == SG_POLICY_QUARANTINE && !free->can_hold;
	if (r->not_held)
		r->action = SG_POLICY_WARN;
	r->unpoisonable = r->action == SG_POLICY_QUARANTINE && READ_ONCE(sg_poison) &&
			  !sg_quarantine_poisonable(free);
	sg_report_fill_context(r);
}

/*
 * Mark the hits of pages going back (@free) that lie in memory let go
 * after a report; the notes of memory inside those pages go with them.
 */
static void mark_let_go(const struct sg_free *free, struct sg_hit *hits, unsigned int nr)
{
	unsigned long start = (unsigned long)free->obj, end = start + free->size;
	unsigned long flags;
	unsigned int i, j;

	if (likely(!READ_ONCE(sg_let_go_nr)))
		return;
	raw_spin_lock_irqsave(&sg_let_go.lock, flags);
	for (j = 0; j < SG_LET_GO_MAX; j++) {
		unsigned long s = sg_let_go.range[j].start, e = sg_let_go.range[j].end;

		if (!e)
			continue;
		for (i = 0; i < nr; i++)
			if ((unsigned long)hits[i].obj >= s && (unsigned long)hits[i].obj < e)
				hits[i].reported = true;
		if (s >= start && e <= end) {
			sg_let_go.range[j].start = 0;
			sg_let_go.range[j].end = 0;
			WRITE_ONCE(sg_let_go_nr, sg_let_go_nr - 1);
		}
	}
	raw_spin_unlock_irqrestore(&sg_let_go.lock, flags);
}

/*
 * Pages going back to the page allocator: a timer whose memory's free was
 * reported already (a large kmalloc()'s kfree() a moment ago, or an object
 * of a slab that now goes) is not reported again. Return: the hits left.
 */
static unsigned int not_reported(const struct sg_free *free, struct sg_hit *hits,
				 unsigned int nr)
{
	unsigned int i, n = 0;

	mark_let_go(free, hits, nr);
	for (i = 0; i < nr; i++)
		if (!hits[i].reported)
			hits[n++] = hits[i];
	return n;
}

/**
 * sg_check_free() - check one free exactly, and act on a hit
 * @free:	the free, before the memory is given back
 *
 * Runs in the context of the free (any context but NMI), inside a hook,
 * with preemption off, for the few frees the registry's filter could not
 * clear (sg_registry_maybe()); the hook has counted it and left out the
 * quarantine's own give-backs. Kept out of line: its report and hits make a
 * stack frame that the compiler may zero on entry.
 *
 * Return: SG_CALL_SKIP if the object went into quarantine instead.
 */
noinline enum sg_verdict sg_check_free(const struct sg_free *free)
{
	enum sg_verdict verdict = SG_CALL_PROCEED;
	struct sg_hit hits[SG_MAX_HITS];
	struct sg_report report;
	unsigned int nr, live, i;
	bool reported;

	reported = !finished_later(free) && forget_queued(free->obj);
	nr = sg_registry_find(free->obj, free->size, hits, ARRAY_SIZE(hits));
	if (likely(!nr))
		return SG_CALL_PROCEED;

	for (i = 0, live = 0; i < nr; i++) {
		if (!sg_hit_is_live(&hits[i])) {
			/*
			 * The object is going away: so does what was left of
			 * it, unless an arm restamped the entry meanwhile, or
			 * gave it another callback.
			 */
			if (hits[i].stale)
				sg_untrack_stale(hits[i].obj, hits[i].hint);
			else
				sg_untrack(hits[i].obj, hits[i].stamp);
			sg_count(SG_STAT_STALE_SKIPPED);
			continue;
		}
		hits[live++] = hits[i];
	}
	live = one_per_object(hits, live);
	if (!live)
		return SG_CALL_PROCEED;
	if (free->how == SG_GIVE_PAGES) {
		live = not_reported(free, hits, live);
		reported = !live;
	}
	if (reported) {
		sg_count(SG_STAT_REPEATS);
		return SG_CALL_PROCEED;
	}

	sg_count(SG_STAT_ARMED_FREES);
	for (i = 0; i < live; i++)
		sg_count(hits[i].kind->stat);
	sort_by_offset(hits, live);
	/* Filled in first: it reads the timers' expiries before any disarm. */
	fill_report(&report, free, hits, live);
	if (report.action == SG_POLICY_QUARANTINE) {
		report.outcome = sg_quarantine(free, report.culprit, hits, live);
		if (report.outcome != SG_Q_NO_ROOM)
			verdict = SG_CALL_SKIP;
	}
	sg_report_print(&report);
	if (report.action == SG_POLICY_WARN && finished_later(free))
		remember_queued(free->obj);
	/*
	 * Not vmalloc memory: its pages go back by their linear-map address,
	 * which no note of a vmalloc range would match.
	 */
	if (verdict == SG_CALL_PROCEED && free->how != SG_GIVE_PAGES &&
	    !is_vmalloc_addr(free->obj))
		remember_let_go(free);
	/*
	 * A callback running in memory given back was reported once: its
	 * entry goes, or every later free of that memory, reused by an
	 * innocent owner, would be blamed while the callback lasts (a work
	 * that sleeps; the torture generator found it). A queued timer keeps
	 * its entry: it is still armed in that memory, and reported (the
	 * page allocator's free of that memory later is not a new bug).
	 */
	for (i = 0; verdict == SG_CALL_PROCEED && i < live; i++) {
		if (hits[i].state == SG_RUNNING)
			sg_untrack(hits[i].obj, hits[i].stamp);
		else
			sg_registry_mark_reported(hits[i].obj, hits[i].stamp);
	}
	if (report.action == SG_POLICY_PANIC)
		panic("slubguard: free of armed %s in %pS\n",
		      hits[0].kind->name, (void *)report.culprit);
	return verdict;
}
