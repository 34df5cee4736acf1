/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every layer of slubguard uses: its counters, its settings' names and
 * parsers, and a free as the hooks hand it down. Defined in common.c, with
 * the trace events (trace.h).
 */
#ifndef SLUBGUARD_COMMON_H
#define SLUBGUARD_COMMON_H

#include <linux/types.h>
#include <linux/percpu.h>

struct kmem_cache;

/* Counters: one enum, one names table (common.c), kept in step by a static_assert. */
enum sg_stat {
	SG_STAT_FREES_CHECKED,	/* frees seen by a hook while enabled */
	SG_STAT_ARMED_FREES,	/* frees of an object holding an armed timer */
	SG_STAT_ARMED_HRTIMER,	/* armed hrtimers found in freed objects */
	SG_STAT_ARMED_TIMER_LIST, /* armed timer_lists found in freed objects */
	SG_STAT_ARMED_DELAYED_WORK, /* delayed_works with their timer armed */
	SG_STAT_ARMED_WORK,	/* work_structs queued, or running */
	SG_STAT_ARMED_KTHREAD_WORK, /* kthread_works queued, or running */
	SG_STAT_ARMED_KTHREAD_DELAYED_WORK, /* kthread_delayed_works with their timer armed */
	SG_STAT_STALE_SKIPPED,	/* registry entries in range whose object was not armed */
	SG_STAT_TRACK_FAILURES,	/* arm events not tracked: no free tracker */
	SG_STAT_DISARMED,	/* armed timers disarmed by quarantine */
	SG_STAT_DISARM_DEFERRED, /* of those, disarms finished later (callback running) */
	SG_STAT_QUARANTINE_FAILURES, /* hits not quarantined: no free record */
	SG_STAT_POISON_VIOLATIONS, /* quarantined objects written to after the free */
	SG_STAT_REPEATS,	/* hits not reported again: at kfree_rcu(), or when their pages go */
	SG_STAT_REPORTS_SUPPRESSED, /* reports not printed: over report_limit */
	SG_STAT_STACK_FAILURES,	/* arming stacks not saved: no room in the depot */
	SG_STAT_ARMED_AFTER_FREE, /* held objects found armed again, disarmed before release */
	SG_NR_COUNTERS,
	/* Kept by the quarantine under its lock, so they agree with each other. */
	SG_STAT_QUARANTINED = SG_NR_COUNTERS, /* objects put in quarantine */
	SG_STAT_RELEASED,	/* objects given back to their allocator */
	SG_STAT_QUARANTINE_HELD, /* objects in quarantine now */
	SG_STAT_QUARANTINE_BYTES, /* their bytes, now */
	/* Gauges: values now, not event counts. */
	SG_STAT_TRACKED,	/* armed timers known right now */
	SG_STAT_TRACKER_CAPACITY, /* pool nodes allocated (free + in use) */
	SG_STAT_TRACKER_BYTES,	/* memory held for tracking: table and pool */
	SG_STAT_HOOKS_LIVE,	/* free-path functions hooked now */
	/* Counted by the backend. */
	SG_STAT_HOOKS_MISSED,	/* frees a hook did not see: the backend dropped them */
	SG_NR_STATS,
};

extern const char * const sg_stat_names[SG_NR_STATS];
DECLARE_PER_CPU(unsigned long [SG_NR_COUNTERS], sg_counters);

static inline void sg_count(enum sg_stat stat)
{
	this_cpu_inc(sg_counters[stat]);
}

/* What happens on a hit. Names in sg_policy_names[], same order. */
enum sg_policy {
	SG_POLICY_WARN,
	SG_POLICY_PANIC,
	SG_POLICY_QUARANTINE,
	SG_NR_POLICIES,
};

extern const char * const sg_policy_names[SG_NR_POLICIES];

int sg_policy_parse(const char *buf);
int sg_enabled_parse(const char *buf, bool *val);

/* The quarantine's bounds (quarantine_kb=, quarantine_ms=). */
#define SG_QUARANTINE_KB_MIN	1
#define SG_QUARANTINE_KB_MAX	1048576		/* 1 GiB */
#define SG_QUARANTINE_MS_MIN	10
#define SG_QUARANTINE_MS_MAX	3600000		/* an hour */
#define SG_POISON_BYTE		0x6b		/* as the kernel's POISON_FREE */

int sg_parse_uint(const char *buf, unsigned int min, unsigned int max, unsigned int *val);

/*
 * The events and the hooks are checked on every CPU once attached; a silent
 * one is attached again at most this many times before the load (or the
 * enabling) fails. Under QEMU's multi-threaded TCG (arm64) the emulated
 * CPUs sometimes run a stale translation of freshly patched kernel text.
 */
#define SG_SELFTEST_RETRIES	2

/* A free, as the hooks hand it down to the check. */
/* What a hook's handler tells its backend to do with the call. */
enum sg_verdict {
	SG_CALL_PROCEED,	/* let the function run */
	SG_CALL_SKIP,		/* return to the caller at once: the call never happens */
};

/**
 * enum sg_giveback - how an object held in quarantine is freed when it leaves:
 * the way its owner freed it
 * @SG_GIVE_KFREE:	kfree()
 * @SG_GIVE_CACHE:	kmem_cache_free() on its own cache
 * @SG_GIVE_KVFREE:	kvfree(): vmalloc'd or not
 * @SG_GIVE_SENSITIVE:	kvfree_sensitive(): zeroed, then freed
 * @SG_GIVE_RCU:	kvfree(), once an RCU grace period has passed
 * @SG_GIVE_KVFREE_DEFERRED: kvfree(); the owner's free (vfree() in an
 *		interrupt, vfree_atomic()) would have finished later, in a work
 * @SG_GIVE_PAGES:	never held: pages seen going back to the page allocator
 *		(kmem:mm_page_free), whose free cannot be diverted
 */
enum sg_giveback {
	SG_GIVE_KFREE,
	SG_GIVE_CACHE,
	SG_GIVE_KVFREE,
	SG_GIVE_SENSITIVE,
	SG_GIVE_RCU,
	SG_GIVE_KVFREE_DEFERRED,
	SG_GIVE_PAGES,
};

/**
 * struct sg_free - a free being checked
 * @obj:	start of the object
 * @size:	its size: the range [obj, obj + size) is checked
 * @cache:	its slab cache, NULL for memory from the page allocator or vmalloc
 * @how:	enum sg_giveback: how it would be freed, were it held
 * @via:	the freeing function ("kfree")
 * @ip:		where the hook intercepted the freeing function
 * @caller:	return address into the code that freed it
 */
struct sg_free {
	const void *obj;
	size_t size;
	struct kmem_cache *cache;
	enum sg_giveback how;
	const char *via;
	unsigned long ip;
	unsigned long caller;
	bool can_hold;		/* the call can be diverted (quarantine) */
};

#endif /* SLUBGUARD_COMMON_H */
