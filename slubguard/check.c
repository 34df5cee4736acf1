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
#include "slubguard.h"

int sg_policy = SG_POLICY_WARN;

/*
 * Believe the registry only if the live object agrees: still armed, with the
 * callback it was armed with. An entry left behind by memory that was freed
 * and reused can then never produce a report.
 */
static bool hit_is_live(const struct sg_hit *hit)
{
	return hit->kind->is_armed(hit->obj) && hit->kind->debug_hint(hit->obj) == hit->hint;
}

static void fill_report(struct sg_report *r, const struct sg_free *free,
			const struct sg_hit *hits, unsigned int nr)
{
	unsigned int i;

	r->free = free;
	r->cache_name = free->cache ? sg_cache_name(free->cache) : "(page allocator)";
	r->nr_timers = nr;
	for (i = 0; i < nr; i++) {
		r->timers[i].kind = hits[i].kind;
		r->timers[i].offset = (unsigned long)hits[i].obj - (unsigned long)free->obj;
		r->timers[i].hint = hits[i].hint;
		r->timers[i].expires_ns = hits[i].kind->expires_ns(hits[i].obj);
	}
	r->action = READ_ONCE(sg_policy);
	r->unpoisonable = r->action == SG_POLICY_QUARANTINE && READ_ONCE(sg_poison) &&
			  !sg_quarantine_poisonable(free);
	sg_report_fill_context(r);
}

/**
 * sg_check_free() - check one free, and act on a hit
 * @free:	the free, before the memory is given back
 *
 * Runs in the context of the free (any context but NMI), inside a hook.
 *
 * Return: SG_CALL_SKIP if the object went into quarantine instead.
 */
enum sg_verdict sg_check_free(const struct sg_free *free)
{
	enum sg_verdict verdict = SG_CALL_PROCEED;
	struct sg_hit hits[SG_MAX_HITS];
	struct sg_report report;
	unsigned int nr, live, i;

	/* The quarantine giving an object back is not a free to check. */
	if (unlikely(sg_quarantine_releasing(free->obj)))
		return SG_CALL_PROCEED;
	sg_count(SG_STAT_FREES_CHECKED);
	nr = sg_registry_find(free->obj, free->size, hits, ARRAY_SIZE(hits));
	if (likely(!nr))
		return SG_CALL_PROCEED;

	for (i = 0, live = 0; i < nr; i++) {
		if (!hit_is_live(&hits[i])) {
			sg_count(SG_STAT_STALE_SKIPPED);
			continue;
		}
		sg_count(hits[i].kind->stat);
		hits[live++] = hits[i];
	}
	if (!live)
		return SG_CALL_PROCEED;

	sg_count(SG_STAT_ARMED_FREES);
	/* Filled in first: it reads the timers' expiries before any disarm. */
	fill_report(&report, free, hits, live);
	if (report.action == SG_POLICY_QUARANTINE) {
		report.outcome = sg_quarantine(free, hits, live);
		if (report.outcome != SG_Q_NO_ROOM)
			verdict = SG_CALL_SKIP;
	}
	sg_report_print(&report);
	if (report.action == SG_POLICY_PANIC)
		panic("slubguard: free of armed %s in %pS\n",
		      hits[0].kind->name, (void *)free->caller);
	return verdict;
}
