/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slubguard: catch frees of memory that still holds an armed timer.
 *
 * Private interface between the module's files. Detection (hooks, registry,
 * check) is kept apart from presentation (report) and control (sysfs).
 */
#ifndef SLUBGUARD_H
#define SLUBGUARD_H

#include <linux/types.h>
#include <linux/percpu.h>
#include <linux/jump_label.h>

struct kmem_cache;
struct pt_regs;

/* Counters: one enum, one names table (stats.c), kept in step by a static_assert. */
enum sg_stat {
	SG_STAT_FREES_CHECKED,	/* frees seen by a hook while enabled */
	SG_STAT_ARMED_FREES,	/* frees of an object holding an armed timer */
	SG_STAT_ARMED_HRTIMER,	/* armed hrtimers found in freed objects */
	SG_STAT_ARMED_TIMER_LIST, /* armed timer_lists found in freed objects */
	SG_STAT_STALE_SKIPPED,	/* registry entries in range whose object was not armed */
	SG_STAT_TRACK_FAILURES,	/* arm events not tracked: no free tracker */
	SG_NR_COUNTERS,
	/* Gauges: values now, not event counts. */
	SG_STAT_TRACKED = SG_NR_COUNTERS, /* armed timers known right now */
	SG_STAT_TRACKER_CAPACITY, /* trackers allocated (free + in use) */
	SG_NR_STATS,
};

extern const char * const sg_stat_names[SG_NR_STATS];
DECLARE_PER_CPU(unsigned long [SG_NR_COUNTERS], sg_counters);

static inline void sg_count(enum sg_stat stat)
{
	this_cpu_inc(sg_counters[stat]);
}

u64 sg_stat_read(enum sg_stat stat);

/**
 * struct sg_kind - one kind of object that must not be freed while armed
 * @name:	how reports and counters name it ("hrtimer")
 * @stat:	the counter bumped when a freed object holds an armed one
 * @is_armed:	reads the live object: true if the kernel has it queued
 * @debug_hint:	the callback the object will run; also its fingerprint, so a
 *		registry entry left behind by reused memory never matches
 * @expires_ns:	nanoseconds until it fires (negative if overdue)
 *
 * The core never looks inside an object; everything kind-specific is here.
 * Adding a kind is one descriptor and one line in sg_kinds[].
 */
struct sg_kind {
	const char *name;
	enum sg_stat stat;
	bool (*is_armed)(const void *obj);
	void *(*debug_hint)(const void *obj);
	s64 (*expires_ns)(const void *obj);
};

extern const struct sg_kind sg_kind_hrtimer;
extern const struct sg_kind sg_kind_timer_list;

/* What happens on a hit. Names in sg_policy_names[], same order. */
enum sg_policy {
	SG_POLICY_WARN,
	SG_POLICY_PANIC,
	SG_NR_POLICIES,
};

extern const char * const sg_policy_names[SG_NR_POLICIES];
extern int sg_policy;			/* READ_ONCE()/WRITE_ONCE() */
DECLARE_STATIC_KEY_TRUE(sg_enabled_key);

int sg_policy_parse(const char *buf);
int sg_enabled_parse(const char *buf, bool *val);
void sg_set_enabled(bool on);

/* registry.c: which objects are armed right now. */
#define SG_MAX_HITS	8

/**
 * struct sg_hit - an armed object found inside a range being freed
 * @kind:	what it is
 * @obj:	where it is
 * @hint:	the callback recorded when it was armed
 */
struct sg_hit {
	const struct sg_kind *kind;
	const void *obj;
	void *hint;
};

int sg_registry_init(void);
void sg_registry_exit(void);
void sg_track(const struct sg_kind *kind, const void *obj, u64 stamp);
void sg_untrack(const void *obj, u64 max_stamp);
u64 sg_registry_tracked(void);
u64 sg_registry_capacity(void);
unsigned int sg_registry_find(const void *start, size_t size,
			      struct sg_hit *hits, unsigned int max);

/* tracepoints.c: keeps the registry in step with the kernel's timer events. */
int sg_tracepoints_init(void);
void sg_tracepoints_exit(void);

/* hooks.c: the free path. */
/**
 * struct sg_call - one intercepted call, as the backend saw it
 * @ip:		where the backend intercepted it, in the called function
 * @caller:	return address into the function that made the call
 * @arg:	the first arguments of the call
 */
struct sg_call {
	unsigned long ip;
	unsigned long caller;
	unsigned long arg[2];
};

/**
 * struct sg_hook - one function of the free path that slubguard intercepts
 * @symbol:	the kernel function
 * @handler:	runs before the function, in the caller's context
 * @live:	set by the backend while the hook is installed
 */
struct sg_hook {
	const char *symbol;
	void (*handler)(const struct sg_hook *hook, const struct sg_call *call);
	bool live;
};

/**
 * struct sg_backend - a way to run code before a kernel function
 * @name:	"ftrace" or "kprobe"
 * @slot_size:	bytes of per-hook state the backend needs
 * @attach:	start running @hook's handler before its function, using
 *		@slot (zeroed) for its state; returns 0 or a negative errno
 * @detach:	stop it; on return the handler no longer runs
 *
 * hooks.c installs the whole table or nothing; a backend handles one hook.
 */
struct sg_backend {
	const char *name;
	size_t slot_size;
	int (*attach)(struct sg_hook *hook, void *slot);
	void (*detach)(struct sg_hook *hook, void *slot);
};

extern const struct sg_backend sg_backend_ftrace;
extern const struct sg_backend sg_backend_kprobe;
extern const struct sg_backend *sg_backend;

int sg_hooks_init(const struct sg_backend *backend);
void sg_hooks_exit(void);

/* check.c: what one free is checked against, and what a hit does. */
/**
 * struct sg_free - a free being checked
 * @obj:	start of the object
 * @size:	its size: the range [obj, obj + size) is checked
 * @cache:	its slab cache, NULL for memory from the page allocator
 * @via:	the freeing function ("kfree")
 * @ip:		where the hook intercepted the freeing function
 * @caller:	return address into the code that freed it
 */
struct sg_free {
	const void *obj;
	size_t size;
	struct kmem_cache *cache;
	const char *via;
	unsigned long ip;
	unsigned long caller;
};

void sg_check_free(const struct sg_free *free);

/* report.c */
#define SG_STACK_DEPTH	24

/**
 * struct sg_report - everything one report prints, filled in before printing
 * @free:	the offending free
 * @cache_name:	name of its cache, or a description of where the memory came from
 * @nr_timers:	how many armed objects it holds (entries used in @timers)
 * @timers:	each armed object: kind, offset in the object, callback, expiry
 * @action:	the policy applied
 * @stack:	the stack of the free, starting at the culprit when found
 * @nr_stack:	entries used in @stack
 * @cpu:	where the free ran
 * @pid:	who freed
 * @comm:	who freed
 */
struct sg_report {
	const struct sg_free *free;
	const char *cache_name;
	unsigned int nr_timers;
	struct {
		const struct sg_kind *kind;
		unsigned long offset;
		void *hint;
		s64 expires_ns;
	} timers[SG_MAX_HITS];
	enum sg_policy action;
	unsigned long stack[SG_STACK_DEPTH];
	unsigned int nr_stack;
	int cpu;
	pid_t pid;
	char comm[16];
};

void sg_report_fill_context(struct sg_report *r);
void sg_report_print(const struct sg_report *r);

/* sysfs/sysfs.c */
int sg_sysfs_init(void);
void sg_sysfs_exit(void);

#endif /* SLUBGUARD_H */
