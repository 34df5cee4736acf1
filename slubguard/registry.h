/* SPDX-License-Identifier: GPL-2.0 */
/*
 * registry.c: which objects are armed right now. The kinds it holds are
 * described by struct sg_kind (types.c implements them; the registry is
 * handed their table at init and calls nothing else of theirs).
 */
#ifndef SLUBGUARD_REGISTRY_H
#define SLUBGUARD_REGISTRY_H

#include <linux/bits.h>
#include <linux/processor.h>	/* before list_bl.h: cpu_relax() on arm64 6.1 */
#include <linux/list_bl.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>

#include "common.h"
#include "pool.h"

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

int sg_registry_init(const struct sg_kind *const *kinds);
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
u64 sg_registry_stamp(const void *obj);
void sg_registry_mark_reported(const void *obj, u64 stamp);
u64 sg_registry_tracked(void);
u64 sg_registry_bytes(void);
unsigned int sg_registry_find(const void *start, size_t size,
			      struct sg_hit *hits, unsigned int max);

/*
 * The entries' arm and disarm operations, inline: the tracepoint probes
 * run them on every timer event, where a call more is a cost that shows
 * (registry.c explains the structure).
 */
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
