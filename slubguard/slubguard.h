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
#include <linux/bits.h>
#include <linux/list.h>
#include <linux/processor.h>	/* before list_bl.h: cpu_relax() on arm64 6.1 */
#include <linux/list_bl.h>
#include <linux/percpu.h>
#include <linux/jump_label.h>

#include <asm/current.h>

struct kmem_cache;
struct pt_regs;
struct timer_list;

/* Counters: one enum, one names table (stats.c), kept in step by a static_assert. */
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

u64 sg_stat_read(enum sg_stat stat);

/**
 * enum sg_armed - what the kernel is doing with an object, read live
 * @SG_IDLE:	nothing: it may be freed (its callback may be the code
 *		freeing it, or what that code interrupted)
 * @SG_QUEUED:	armed or queued: it will run
 * @SG_RUNNING:	not queued, but its callback runs on another CPU (or, for a
 *		work, sleeps in the middle) and did not return in time
 */
enum sg_armed {
	SG_IDLE,
	SG_QUEUED,
	SG_RUNNING,
};

/*
 * How long a free waits for a callback running on another CPU before it
 * calls the free a use of the object under its callback. A callback that
 * signalled its owner returns within microseconds; the bound is that long
 * because an emulated or overcommitted CPU may not run for tens of ms.
 * While the callback's CPU takes no timer interrupt at all, it is not
 * running (its virtual CPU is descheduled by the host) or runs with
 * interrupts off: the wait goes on, up to SG_RUNNING_WAIT_MAX_MS (a
 * correct driver's free was once reported so, under TCG with the host
 * overloaded: the callback's CPU stopped between its last store and its
 * return for more than 200 ms).
 */
#define SG_RUNNING_WAIT_MS	200
#define SG_RUNNING_WAIT_MAX_MS	2000

/**
 * struct sg_wait - a free waiting for a callback on another CPU
 * @deadline:	SG_RUNNING_WAIT_MS from the start
 * @last:	SG_RUNNING_WAIT_MAX_MS from the start
 * @events:	the CPU's timer interrupts at the start
 * @known:	@events can be read for that CPU
 * @cpu:	the CPU the callback runs on
 */
struct sg_wait {
	u64 deadline;
	u64 last;
	unsigned int events;
	bool known;
	int cpu;
};

void sg_wait_start(struct sg_wait *w, int cpu);
bool sg_wait_over(struct sg_wait *w);
bool sg_cpu_events(int cpu, unsigned int *events);

/**
 * struct sg_kind - one kind of object that must not be freed while armed
 * @name:	how reports and counters name it ("hrtimer")
 * @stat:	the counter bumped when a freed object holds an armed one
 * @outer_offset: where the tracked object lies in the one reported (the
 *		timer_list of a delayed_work); usually 0
 * @size:	the size of the tracked object: one that would run past the end
 *		of the freed range is not in it (an entry left by an earlier
 *		object; reading it would read past the object being freed)
 * @inner:	with @outer_offset: the kind of the tracked object alone, for a
 *		free whose range starts after the outer object would (so that
 *		nothing before the range is read, or written by a disarm)
 * @is_armed:	reads the live object: whether the kernel has it queued, or
 *		runs its callback elsewhere (enum sg_armed); the second argument
 *		is the entry's stamp when it was found, the third is set to the
 *		CPU a running callback is on. A callback running on another CPU
 *		is waited for, SG_RUNNING_WAIT_MS at most, in the free's own
 *		context: one that returns and leaves its object alone was not
 *		freed under (the driver waited for it, as a completion does)
 * @debug_hint:	the callback the object will run; also its fingerprint, so a
 *		registry entry left behind by reused memory never matches
 * @expires_ns:	nanoseconds until it fires (negative if overdue); NULL for
 *		kinds that are queued rather than timed
 * @disarm:	in any context, without waiting: dequeue it; false if its
 *		callback is running, so it cannot be stopped for sure here
 * @disarm_wait: in process context: dequeue it and wait for its callback
 *
 * The core never looks inside an object; everything kind-specific is here.
 * Adding a kind is one descriptor, its counter, and the probe of the event
 * that arms it (or one line in a table of kinds sharing an event, such as
 * sg_timer_list_kinds[]).
 */
struct sg_kind {
	const char *name;
	enum sg_stat stat;
	unsigned int outer_offset;
	unsigned int size;
	const struct sg_kind *inner;
	enum sg_armed (*is_armed)(const void *obj, u64 stamp, int *cpu);
	void *(*debug_hint)(const void *obj);
	s64 (*expires_ns)(const void *obj);
	bool (*disarm)(void *obj);
	void (*disarm_wait)(void *obj);
};

/* stacks.c: who armed each timer (track_stacks=1). */
#define SG_ARM_STACK_DEPTH	16
DECLARE_STATIC_KEY_FALSE(sg_track_stacks_key);
extern bool sg_track_stacks;		/* READ_ONCE() */
u32 sg_stack_save(void);
unsigned int sg_stack_fetch(u32 handle, unsigned long **entries);
int sg_stacks_set(bool on);
void sg_stacks_exit(void);

/* The kinds, as the registry's entries name them (struct sg_entry). */
enum sg_kind_id {
	SG_KIND_HRTIMER,
	SG_KIND_TIMER_LIST,
	SG_KIND_DELAYED_WORK,
	SG_KIND_WORK,
	SG_KIND_KTHREAD_WORK,
	SG_KIND_KTHREAD_DELAYED_WORK,
	SG_NR_KINDS,
};

extern const struct sg_kind *const sg_kinds[SG_NR_KINDS];
bool sg_kthread_work_queued(const void *obj);

/* What happens on a hit. Names in sg_policy_names[], same order. */
enum sg_policy {
	SG_POLICY_WARN,
	SG_POLICY_PANIC,
	SG_POLICY_QUARANTINE,
	SG_NR_POLICIES,
};

extern const char * const sg_policy_names[SG_NR_POLICIES];
extern int sg_policy;			/* READ_ONCE()/WRITE_ONCE() */

int sg_policy_parse(const char *buf);
int sg_policy_set(int policy);
int sg_enabled_parse(const char *buf, bool *val);
bool sg_is_enabled(void);
int sg_set_enabled(bool on);

/* pool.c: fixed-size records for code that must not allocate. */
#define SG_NODE_SIZE	48

/*
 * Each CPU keeps a few free nodes of its own, taken from and given back to
 * the pool a batch at a time, so that arming and disarming a timer takes no
 * shared lock. With interrupts off, nothing else on the CPU touches them.
 */
/* tracker_max: the most pool nodes (trackers and quarantine records). */
#define SG_TRACKER_MAX_MIN	64
#define SG_TRACKER_MAX		(1U << 20)
extern unsigned int sg_tracker_max;

#define SG_CPU_BATCH	32
#define SG_CPU_MAX	(2 * SG_CPU_BATCH)

struct sg_cpu_nodes {
	struct hlist_head free;
	unsigned int nr;
};
DECLARE_PER_CPU(struct sg_cpu_nodes, sg_cpu_nodes);

bool sg_cpu_refill(struct sg_cpu_nodes *c);
void sg_cpu_spill(struct sg_cpu_nodes *c);

/**
 * __sg_node_get() - a free node, with interrupts off
 *
 * Return: SG_NODE_SIZE bytes, uninitialised, or NULL if the pool is empty.
 */
static inline void *__sg_node_get(void)
{
	struct sg_cpu_nodes *c = this_cpu_ptr(&sg_cpu_nodes);
	struct hlist_node *n;

	if (unlikely(!c->nr) && !sg_cpu_refill(c))
		return NULL;
	n = c->free.first;
	hlist_del(n);
	c->nr--;
	return n;
}

/**
 * __sg_node_put() - give a node back, with interrupts off
 * @node:	from a get, on any CPU
 */
static inline void __sg_node_put(void *node)
{
	struct sg_cpu_nodes *c = this_cpu_ptr(&sg_cpu_nodes);

	hlist_add_head(node, &c->free);
	if (unlikely(++c->nr > SG_CPU_MAX))
		sg_cpu_spill(c);
}

void *sg_node_get(void);
void sg_node_put(void *node);
u64 sg_pool_capacity(void);
u64 sg_pool_bytes(void);
int sg_pool_init(void);
void sg_pool_exit(void);

/* registry.c: which objects are armed right now. */
#define SG_MAX_HITS	8

/**
 * struct sg_hit - an armed object found inside a range being freed
 * @kind:	what it is
 * @obj:	where it is
 * @hint:	the callback recorded when it was armed
 * @stamp:	its entry's stamp (struct sg_entry)
 * @stack:	the stack that armed it, or 0 (struct sg_entry)
 * @state:	what the live check found (enum sg_armed)
 * @stale:	the live object's callback is another: its memory was reused
 * @past_end:	the tracked object would run past the end of the range: an
 *		entry left by an earlier object there, never read
 * @cpu:	with SG_RUNNING, where its callback runs
 * @reported:	its entry's @reported (struct sg_entry)
 */
struct sg_hit {
	const struct sg_kind *kind;
	const void *obj;
	void *hint;
	u64 stamp;
	u32 stack;
	u8 state;
	bool stale;
	bool past_end;
	int cpu;
	bool reported;
};

/**
 * struct sg_entry - what the registry knows of one armed object
 * @obj:	the object (a struct hrtimer, a struct timer_list, ...); NULL
 *		in a bucket's own entry that is free
 * @hint:	its callback when it was armed: a fingerprint checked at report
 *		time, so memory reused for something else never matches
 * @stamp:	a value the tracker of @kind gives at arm time (the hrtimer's
 *		expiry, then a fired stamp as its callback runs and returns),
 *		compared when an expiry may remove the entry and when a free
 *		finds it
 * @stack:	the stack that armed it, in the stack depot (track_stacks=1);
 *		0 if none was recorded
 * @kind:	what @obj is (enum sg_kind_id)
 * @reported:	a free of its memory was reported since it was last armed
 *		(the page allocator's later free of that memory is not
 *		reported again)
 */
struct sg_entry {
	const void *obj;
	void *hint;
	u64 stamp;
	u32 stack;
	u8 kind;
	u8 reported;
};

/* A bucket is one cache line: the free path reads two of its fields. */
#define SG_BUCKET_SIZE		64

/**
 * struct sg_bucket - one hash chain of the registry
 * @head:	trackers from the pool, for the entries past @own; bit 0 is
 *		the bucket's lock, which guards every field
 * @lines:	a bit for each 64-byte line of a 4 KiB chunk where one of the
 *		entries lies, and maybe lines of entries given back since;
 *		written under the lock, read without it
 * @chunk:	the chunk all the entries lie in (the low 32 bits of its
 *		number), or SG_CHUNK_MIXED if they lie in several; written
 *		under the lock, read without it. Chunks share buckets: a free
 *		in another chunk than the one the entries are in need not
 *		look at @lines at all
 * @own:	the bucket's own entry, used first: arming a timer where no
 *		other is armed, and disarming it, then take no tracker from
 *		the pool and link nothing. Its @obj is given back (set to
 *		NULL) without the lock, by a compare-and-exchange
 */
struct sg_bucket {
	struct hlist_bl_head head;
	unsigned long lines;
	u32 chunk;
	struct sg_entry own;
} __aligned(SG_BUCKET_SIZE);

/*
 * Look at the lines whatever the chunk. A chunk whose own tag is this value
 * is only ever looked at too much, never too little.
 */
#define SG_CHUNK_MIXED		U32_MAX

static_assert(sizeof(struct sg_bucket) == SG_BUCKET_SIZE);

#define SG_HASH_BITS		14
#define SG_CHUNK_SHIFT		12
#define SG_LINE_SHIFT		6
static_assert(BITS_PER_LONG == 1 << (SG_CHUNK_SHIFT - SG_LINE_SHIFT));

extern struct sg_bucket *sg_hash;

/*
 * A chunk's bucket: the low bits of its number pick it, which costs the
 * free path no multiplication. Neighbouring chunks (a slab's pages, a
 * stack's) never share a bucket; chunks that do lie a multiple of 64 MiB
 * apart, and the bucket's tag tells them apart.
 */
static __always_inline struct sg_bucket *sg_bucket_of_chunk(unsigned long chunk)
{
	return &sg_hash[chunk & ((1UL << SG_HASH_BITS) - 1)];
}

static inline unsigned long sg_line_bit(unsigned long addr)
{
	return 1UL << ((addr >> SG_LINE_SHIFT) & (BITS_PER_LONG - 1));
}

/*
 * The lines of @chunk where entries may lie, without a lock: none if its
 * bucket's entries all lie in another chunk.
 */
static __always_inline unsigned long sg_chunk_lines(unsigned long chunk)
{
	struct sg_bucket *b = sg_bucket_of_chunk(chunk);
	u32 tag = READ_ONCE(b->chunk);

	if (tag != (u32)chunk && tag != SG_CHUNK_MIXED)
		return 0;
	return READ_ONCE(b->lines);
}

bool sg_registry_maybe_within(unsigned long first, unsigned long last);

/* sg_registry_maybe() for a range [@s, @e] within one chunk. */
static __always_inline bool sg_registry_maybe_one(unsigned long s, unsigned long e)
{
	unsigned long chunk = s >> SG_CHUNK_SHIFT;

	/* Most buckets are empty: one load decides. */
	if (likely(!READ_ONCE(sg_bucket_of_chunk(chunk)->lines)))
		return false;
	/* The range's lines, from its first's on. */
	return (sg_chunk_lines(chunk) >> ((s >> SG_LINE_SHIFT) & (BITS_PER_LONG - 1))) &
	       ((2UL << ((e >> SG_LINE_SHIFT) - (s >> SG_LINE_SHIFT))) - 1);
}

/* sg_registry_maybe() for the chunks a range [@s, @e] starts and ends in. */
static __always_inline bool sg_registry_maybe_ends(unsigned long s, unsigned long e)
{
	return (sg_chunk_lines(s >> SG_CHUNK_SHIFT) >> ((s >> SG_LINE_SHIFT) & (BITS_PER_LONG - 1))) ||
	       (sg_chunk_lines(e >> SG_CHUNK_SHIFT) &
		(~0UL >> (BITS_PER_LONG - 1 - ((e >> SG_LINE_SHIFT) & (BITS_PER_LONG - 1)))));
}

/**
 * sg_registry_maybe() - the filter before the exact check
 * @start:	a range being freed
 * @size:	its length, not 0
 *
 * For the chunks the range starts and ends in, one bucket each: the mask of
 * lines holding tracked objects there (most often empty, which one load
 * tells), against the lines the range covers; a range longer than that
 * (larger than most slab objects) also has the chunks in between looked
 * at, out of line. No lock.
 *
 * Return: false if the range surely holds nothing the registry knows.
 */
static inline bool sg_registry_maybe(const void *start, size_t size)
{
	unsigned long s = (unsigned long)start, e = s + size - 1;
	unsigned long first = s >> SG_CHUNK_SHIFT, last = e >> SG_CHUNK_SHIFT;

	if (likely(first == last))
		return sg_registry_maybe_one(s, e);
	return sg_registry_maybe_ends(s, e) ||
	       (last - first > 1 && sg_registry_maybe_within(first + 1, last - 1));
}

/*
 * sg_registry_maybe() that calls nothing and needs few registers, for the
 * hooks' first filter (a handler that calls nothing and spills nothing
 * saves no register). Across chunks it looks only at whether the two end
 * buckets are empty; a range with chunks in between, or a bucket in use,
 * is a "maybe", left to the whole filter.
 */
static __always_inline bool sg_registry_maybe_near(const void *start, size_t size)
{
	unsigned long s = (unsigned long)start, e = s + size - 1;

	if (likely(!((s ^ e) >> SG_CHUNK_SHIFT)))
		return sg_registry_maybe_one(s, e);
	return (e >> SG_CHUNK_SHIFT) - (s >> SG_CHUNK_SHIFT) > 1 ||
	       READ_ONCE(sg_bucket_of_chunk(s >> SG_CHUNK_SHIFT)->lines) ||
	       READ_ONCE(sg_bucket_of_chunk(e >> SG_CHUNK_SHIFT)->lines);
}

int sg_registry_init(void);
void sg_registry_clear(void);
void sg_registry_exit(void);
void sg_untrack(const void *obj, u64 stamp);
void sg_untrack_stale(const void *obj, void *hint);
void __sg_restamp(const void *obj, u64 max_stamp, u64 stamp);
/*
 * Stamps other than an hrtimer's expiry (a time since boot, in ns, at least
 * SG_STAMP_FIRST_ARM): its callback runs now; its callback has returned on a
 * CPU, in a context (0: hard interrupt, 1: softirq), and it is not known yet
 * whether the timer is enqueued again. Either way the timer has not been
 * armed since its callback was entered: an arm event would have restamped
 * the entry with the new expiry.
 */
#define SG_STAMP_FIRING		0
#define SG_STAMP_EXITED(cpu, ctx) (1 + 2 * (u64)(cpu) + (ctx))
#define SG_STAMP_FIRST_ARM	SG_STAMP_EXITED(NR_CPUS, 0)
#define SG_STAMP_ANY		U64_MAX
/*
 * The other kinds' stamps: queued (a timer_list armed, a work queued), or
 * its callback running: a timer_list's on a CPU (its number, below
 * SG_STAMP_FIRST_ARM), a work's in a worker (the task's address).
 */
#define SG_STAMP_QUEUED		(U64_MAX - 1)
#define SG_STAMP_ON_CPU(cpu)	(1 + (u64)(cpu))

/* An entry whose hrtimer fired and was not armed since. */
static inline bool sg_stamp_fired(u64 stamp)
{
	return stamp < SG_STAMP_FIRST_ARM;
}

void sg_track_running(enum sg_kind_id kind, const void *obj, void *hint, u64 stamp,
		      u64 max_stamp, bool (*queued)(const void *obj));
bool sg_wait_stamp(const void *obj, u64 stamp, int cpu);
u64 sg_registry_stamp(const void *obj);
void sg_registry_mark_reported(const void *obj, u64 stamp);
u64 sg_registry_tracked(void);
u64 sg_registry_bytes(void);
unsigned int sg_registry_find(const void *start, size_t size,
			      struct sg_hit *hits, unsigned int max);

/*
 * The events and the hooks are checked on every CPU once attached; a silent
 * one is attached again at most this many times before the load (or the
 * enabling) fails. Under QEMU's multi-threaded TCG (arm64) the emulated
 * CPUs sometimes run a stale translation of freshly patched kernel text.
 */
#define SG_SELFTEST_RETRIES	2

/**
 * struct sg_devres_note - the devres node this CPU gives back last
 * @node:	the node, which its kfree() frees next
 * @device:	its device's name
 * @driver:	the device's driver's name, or "(none)"
 */
struct sg_devres_note {
	const void *node;
	char device[40];
	char driver[24];
};
DECLARE_PER_CPU(struct sg_devres_note, sg_devres_note);

/* tracepoints.c: keeps the registry in step with the kernel's timer events. */
int sg_tracepoints_init(void);
int sg_tracepoints_start(const char *when);
void sg_tracepoints_stop(void);

/* hooks.c: the free path. */
/* What a hook's handler tells its backend to do with the call. */
enum sg_verdict {
	SG_CALL_PROCEED,	/* let the function run */
	SG_CALL_SKIP,		/* return to the caller at once: the call never happens */
};

/**
 * struct sg_call - one intercepted call, as the backend saw it
 * @ip:		where the backend intercepted it, in the called function
 * @caller:	return address into the function that made the call
 * @arg:	the first arguments of the call
 */
struct sg_call {
	unsigned long ip;
	unsigned long caller;
	unsigned long arg[3];
};

/**
 * struct sg_hook - one function of the free path that slubguard intercepts
 * @symbol:	the kernel function
 * @fn:		its address
 * @name:	what reports call it, if not @symbol
 * @handler:	runs before the function, in the caller's context
 * @always:	stays installed while slubguard is disabled
 * @live:	set while the hook is installed, and from just before its
 *		backend attaches it to just before its backend detaches it
 * @can_skip:	set if the backend could honour SG_CALL_SKIP for it when it
 *		was last installed
 * @direct:	set if it was then called through a direct trampoline (the
 *		ftrace backend, kfree() and kmem_cache_free())
 * @tp:		kfree() and kmem_cache_free() only: set while their kmem
 *		tracepoint checks their frees (the tracepoint fast path,
 *		hook_tracepoint.c); it cannot divert a call
 * @dedupe:	kfree() and kmem_cache_free() only: set while a call may
 *		reach both the hook and the tracepoint (hooks.c, sg_tp_marks)
 * @slot:	the backend's state for it
 */
struct sg_hook {
	const char *symbol;
	const void *fn;
	const char *name;
	enum sg_verdict (*handler)(const struct sg_hook *hook, const struct sg_call *call);
	bool always;
	bool live;
	bool can_skip;
	bool direct;
	bool tp;
	bool dedupe;
	void *slot;
};

#define SG_NR_HOOKS	10
extern struct sg_hook sg_hooks[SG_NR_HOOKS];
/* The two that have a fast path of their own (hooks.c), first in sg_hooks[]. */
enum { SG_HOOK_KFREE, SG_HOOK_KMEM_CACHE_FREE };

/**
 * struct sg_backend - a way to run code before kernel functions
 * @name:	"ftrace" or "kprobe"
 * @slot_size:	bytes of per-hook state the backend needs (@hook->slot,
 *		zeroed before the hook is first attached)
 * @usable:	at load, before anything is attached: 0, or a negative errno
 *		after saying why the backend is refused on this kernel; NULL
 *		if always usable
 * @attach:	start running the handlers of @nr hooks before their
 *		functions, all of them or none; set @hook->can_skip for each
 *		whose calls it can make return at once. Returns 0 or a
 *		negative errno.
 * @detach:	stop it for @nr hooks; on return no CPU runs their handlers.
 *		Returns 0, or a negative errno if the kernel refused to take
 *		some away: their call sites still reach slubguard's code
 * @missed:	calls of the hooked function the backend did not hand to the
 *		handler since @hook was attached; NULL if it never drops one
 *
 * hooks_install.c installs the whole table or nothing. Attaching or detaching a
 * set of hooks at once lets a backend patch the kernel and wait for its
 * grace periods once for all of them: under TCG each takes a second.
 */
struct sg_backend {
	const char *name;
	size_t slot_size;
	int (*usable)(void);
	int (*attach)(struct sg_hook *const *hooks, unsigned int nr);
	int (*detach)(struct sg_hook *const *hooks, unsigned int nr);
	unsigned long (*missed)(const struct sg_hook *hook);
};

extern const struct sg_backend sg_backend_ftrace;
extern const struct sg_backend sg_backend_kprobe;
extern const struct sg_backend *sg_backend;

enum sg_verdict sg_hook_run(const struct sg_hook *hook, unsigned long ip, unsigned long caller,
			    unsigned long arg0, unsigned long arg1, unsigned long arg2);
struct ftrace_ops;
struct ftrace_regs;
void sg_ftrace_handler(unsigned long ip, unsigned long parent_ip,
		       struct ftrace_ops *ops, struct ftrace_regs *fregs);
/* The direct trampolines (direct_<arch>.S) and their C half (hooks.c). */
void sg_direct_kfree(void);
void sg_direct_kmem_cache_free(void);
bool sg_direct_kfree_maybe(const void *obj);
bool sg_direct_kmem_cache_free_maybe(struct kmem_cache *s, const void *obj);
bool sg_direct_kfree_slow(const void *obj, unsigned long caller);
bool sg_direct_kmem_cache_free_slow(struct kmem_cache *s, const void *obj,
				    unsigned long caller);
/* backend=: how the free path is hooked (hooks_install.c). */
enum sg_backend_choice {
	SG_BACKEND_AUTO,	/* per kernel and policy */
	SG_BACKEND_FTRACE,	/* every hook through ftrace */
	SG_BACKEND_KPROBE,	/* every hook through kprobes */
	SG_BACKEND_TRACEPOINT,	/* kfree(), kmem_cache_free() by tracepoint, always */
	SG_NR_BACKEND_CHOICES
};
extern const char *const sg_backend_choice_names[SG_NR_BACKEND_CHOICES];
int sg_hooks_init(enum sg_backend_choice choice, bool enabled, bool divert);
int sg_hooks_divert(bool divert);
const char *sg_hooks_describe(void);
const char *sg_hooks_backend_name(void);
/* hook_tracepoint.c: the kmem tracepoints of kfree() and kmem_cache_free(). */
int sg_tp_fast_find(void);
int sg_tp_fast_register(void);
void sg_tp_fast_unregister(void);
void sg_tp_kfree(void *data, unsigned long call_site, const void *obj);
void sg_tp_kmem_cache_free(void *data, unsigned long call_site, const void *obj,
			   const struct kmem_cache *s);
void sg_tp_forget_marks(void);
/* hook_tracepoint.c: kmem:mm_page_free, every page the page allocator takes back. */
int sg_tp_pages_find(void);
int sg_tp_pages_register(void);
void sg_tp_pages_unregister(void);
struct page;
void sg_tp_mm_page_free(void *data, struct page *page, unsigned int order);
int sg_hooks_find_funcs(void);
void sg_hooks_exit(void);
void sg_hooks_pause(void);
int sg_hooks_resume(void);
bool sg_hooks_can_skip(void);
unsigned int sg_hooks_live(void);
u64 sg_hooks_missed(void);
u64 sg_hooks_own_free_begin(void);
void sg_hooks_own_free_end(u64 before);
int sg_hooks_show(char *buf);
const char *sg_freeing_wrapper(unsigned long addr);
bool sg_is_freeing_function(unsigned long addr);
void sg_skipped_call(void);

/* check.c: what one free is checked against, and what a hit does. */
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

enum sg_verdict sg_check_free(const struct sg_free *free);
bool sg_hit_is_live(struct sg_hit *hit);
void sg_check_forget_queued(void);
int sg_parse_uint(const char *buf, unsigned int min, unsigned int max, unsigned int *val);

extern unsigned int sg_queued_nr;	/* READ_ONCE() */

/* Has an earlier report left a note that this free must look at? */
static inline bool sg_check_pending(void)
{
	return READ_ONCE(sg_queued_nr);
}

/* quarantine.c: hits kept off the allocator for a while. */
extern unsigned int sg_quarantine_kb;	/* READ_ONCE(); bound on bytes held */
extern unsigned int sg_quarantine_ms;	/* READ_ONCE(); bound on time held */
extern bool sg_poison;			/* READ_ONCE(); poison what is held */

/**
 * enum sg_quarantine_result - what became of a hit under the quarantine policy
 * @SG_Q_HELD:		disarmed and held
 * @SG_Q_HELD_DEFERRED:	held; a running callback is waited for later
 * @SG_Q_NO_ROOM:	no record free: disarmed if possible, the free goes on
 */
enum sg_quarantine_result {
	SG_Q_HELD,
	SG_Q_HELD_DEFERRED,
	SG_Q_NO_ROOM,
};

#define SG_QUARANTINE_KB_MIN	1
#define SG_QUARANTINE_KB_MAX	1048576		/* 1 GiB */
#define SG_QUARANTINE_MS_MIN	10
#define SG_QUARANTINE_MS_MAX	3600000		/* an hour */
#define SG_POISON_BYTE		0x6b		/* as the kernel's POISON_FREE */

enum sg_quarantine_result sg_quarantine(const struct sg_free *free, unsigned long culprit,
					const struct sg_hit *hits, unsigned int nr);
DECLARE_PER_CPU(const void *, sg_releasing);
extern const void *sg_releasing_slow;
extern struct task_struct *sg_releasing_task;

/**
 * sg_quarantine_releasing() - is @ptr being given back by the quarantine?
 * @ptr:	an object being freed, or a cache being destroyed
 *
 * Return: true if the hooks must let this call through unchecked.
 */
static inline bool sg_quarantine_releasing(const void *ptr)
{
	return this_cpu_read(sg_releasing) == ptr ||
	       (READ_ONCE(sg_releasing_slow) == ptr && READ_ONCE(sg_releasing_task) == current);
}
bool sg_quarantine_poisonable(const struct sg_free *free);
void sg_quarantine_give_back(const void *obj, struct kmem_cache *cache, size_t size,
			     enum sg_giveback how);
bool sg_quarantine_cache_destroy(struct kmem_cache *cache, bool can_defer);
void sg_quarantine_kick(void);
u64 sg_quarantine_stat(enum sg_stat stat);
int sg_quarantine_kb_parse(const char *buf, unsigned int *val);
int sg_quarantine_ms_parse(const char *buf, unsigned int *val);
void sg_quarantine_init(void);
void sg_quarantine_exit(void);

/* report.c */
extern unsigned int sg_report_limit;	/* READ_ONCE(); reports per window, 0: all */
#define SG_REPORT_WINDOW_S	5
#define SG_REPORT_LIMIT_MAX	1000000
int sg_report_limit_parse(const char *buf, unsigned int *val);
#define SG_STACK_DEPTH	24

/**
 * struct sg_report - everything one report prints, filled in before printing
 * @free:	the offending free
 * @cache_name:	name of its cache, or a description of where the memory came from
 * @nr_timers:	how many armed objects it holds (entries used in @timers)
 * @timers:	each armed object: kind, offset in the object, callback, expiry,
 *		the stack that armed it (track_stacks=1), and the CPU its
 *		callback runs on if it is running rather than queued (else -1)
 * @action:	the policy applied
 * @outcome:	for SG_POLICY_QUARANTINE, what became of the object
 * @not_held:	the policy is quarantine, but this free cannot be diverted
 *		(the page allocator's): @action is SG_POLICY_WARN
 * @stack:	the stack of the free, starting at the culprit when found
 * @nr_stack:	entries used in @stack
 * @cpu:	where the free ran
 * @pid:	who freed
 * @comm:	who freed
 * @device:	for a devres node, its device's name; else empty
 * @driver:	for a devres node, its device's driver's name
 */
struct sg_report {
	const struct sg_free *free;
	unsigned long culprit;
	const char *via;
	const char *cache_name;
	unsigned int nr_timers;
	struct {
		const struct sg_kind *kind;
		unsigned long offset;
		void *hint;
		s64 expires_ns;
		u32 stack;
		int running_cpu;
	} timers[SG_MAX_HITS];
	enum sg_policy action;
	enum sg_quarantine_result outcome;
	bool not_held;
	bool unpoisonable;
	unsigned long stack[SG_STACK_DEPTH];
	unsigned int nr_stack;
	int cpu;
	pid_t pid;
	char comm[16];
	char device[40];
	char driver[24];
};

const char *sg_alloc_name(const void *obj, struct kmem_cache *cache);
void sg_report_fill_context(struct sg_report *r);

/* Reports kept for /sys/kernel/slubguard/reports, and the text of each. */
#define SG_REPORTS_KEPT		8
#define SG_REPORT_TEXT		16384	/* one report, kept */
#define SG_REPORTS_SPACE	32768	/* all kept reports */
ssize_t sg_report_read(char *buf, loff_t off, size_t count);
void sg_report_print(const struct sg_report *r);
void sg_report_exit(void);
DECLARE_PER_CPU(unsigned int, sg_print_deferred);
void sg_report_rearmed(const char *culprit, const char *cache_name, const void *obj,
		       size_t size, const struct sg_hit *hits, unsigned int nr);
void sg_report_poison(const char *culprit, const char *cache_name, const u8 *obj,
		      size_t size, size_t first, size_t last, size_t changed);

/* sysfs/sysfs.c */
int sg_sysfs_init(void);
void sg_sysfs_exit(void);

#endif /* SLUBGUARD_H */
