// SPDX-License-Identifier: GPL-2.0
/*
 * The quarantine: objects freed while armed, kept off the allocator.
 *
 * On a hit under policy=quarantine the free never happens: the object's armed
 * timers are disarmed and the object is held, oldest first, until it is over
 * quarantine_kb or older than quarantine_ms. It then goes back through the
 * allocator it came from, marked so that slubguard's own hooks let it pass.
 * With poison=1 a held object is filled with SG_POISON_BYTE, a value that is
 * no valid address on x86_64 or arm64, so a late pointer load from it faults
 * in the function that makes it; the pattern is checked on release.
 *
 * A hit can come in any context, so holding only takes a node from the pool
 * and a raw lock. A timer whose callback is running cannot be waited for
 * there (it may be this CPU's own callback): the object is held, and the
 * release work, in process context, waits for the callback before the object
 * can leave.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/kasan.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "quarantine.h"
#include "types.h"
#include "trace.h"

unsigned int sg_quarantine_kb = 4096;
unsigned int sg_quarantine_ms = 10000;
bool sg_poison;

/**
 * struct sg_qentry - one object held
 * @list:	in sg_q.held, oldest first
 * @obj:	the object
 * @cache:	its slab cache; NULL for memory from the page allocator
 * @size:	its size
 * @name:	the name of the code that freed it, in sg_names; or SG_NO_NAME
 * @waiting:	timers whose running callback must finish before it can leave
 * @how:	enum sg_giveback: how it goes back
 * @poisonable:	to be filled with SG_POISON_BYTE once nothing runs in it
 * @poisoned:	filled with SG_POISON_BYTE
 * @poison_later: poisonable, and to be poisoned by the release work, in
 *		steps (larger than SG_POISON_NOW_MAX, or waited for)
 * @gp_seen:	(SG_GIVE_RCU) held when the release work began a grace period
 * @gp_done:	(SG_GIVE_RCU) a grace period has passed since it was held
 * @since:	jiffies when it was held
 */
struct sg_qentry {
	struct list_head list;
	void *obj;
	struct kmem_cache *cache;
	unsigned int size;
	u8 name;
	u8 waiting;
	u8 how;
	u8 poisonable:1;
	u8 poisoned:1;
	u8 poison_later:1;
	u8 gp_seen:1;
	u8 gp_done:1;
	unsigned long since;
};
static_assert(sizeof(struct sg_qentry) <= SG_NODE_SIZE);

/*
 * The names of the code that freed the poisoned objects held, made when
 * each was held: a write after free is found when the object leaves, and
 * by then that code may be gone (a module's exit function, its init
 * section). One name per culprit, shared by its objects, cut at
 * SG_NAME_LEN; past SG_NAMES culprits held at once, an object has none.
 */
#define SG_NAMES	64
#define SG_NAME_LEN	128
#define SG_NO_NAME	U8_MAX
static_assert(SG_NAMES < SG_NO_NAME);

static struct {
	unsigned long addr[SG_NAMES];
	unsigned int refs[SG_NAMES];
	char name[SG_NAMES][SG_NAME_LEN];
	char made[KSYM_SYMBOL_LEN];
} sg_names;
static DEFINE_RAW_SPINLOCK(sg_names_lock);

/* Any context: @culprit's name, shared or made now; SG_NO_NAME if no room. */
static u8 name_get(unsigned long culprit)
{
	unsigned int i, free = SG_NO_NAME;
	unsigned long flags;

	raw_spin_lock_irqsave(&sg_names_lock, flags);
	for (i = 0; i < SG_NAMES; i++) {
		if (sg_names.refs[i] && sg_names.addr[i] == culprit)
			break;
		if (!sg_names.refs[i] && free == SG_NO_NAME)
			free = i;
	}
	if (i == SG_NAMES && free != SG_NO_NAME) {
		i = free;
		sg_names.addr[i] = culprit;
		sprint_symbol(sg_names.made, culprit);
		strscpy(sg_names.name[i], sg_names.made, SG_NAME_LEN);
	}
	if (i < SG_NAMES)
		sg_names.refs[i]++;
	raw_spin_unlock_irqrestore(&sg_names_lock, flags);
	return i < SG_NAMES ? i : SG_NO_NAME;
}

static void name_put(u8 i)
{
	unsigned long flags;

	if (i == SG_NO_NAME)
		return;
	raw_spin_lock_irqsave(&sg_names_lock, flags);
	sg_names.refs[i]--;
	raw_spin_unlock_irqrestore(&sg_names_lock, flags);
}

/* The name of the code that freed @e; its objects hold it (name_get()). */
static const char *culprit_name(const struct sg_qentry *e)
{
	return e->name != SG_NO_NAME ? sg_names.name[e->name] :
	       "(not known: " __stringify(SG_NAMES) " other culprits held)";
}

/**
 * struct sg_qwait - a timer of a held object, disarmed in process context
 * @list:	in sg_q.waits
 * @timer:	the armed object
 * @kind:	what it is
 * @entry:	the held object it lies in
 */
struct sg_qwait {
	struct list_head list;
	void *timer;
	const struct sg_kind *kind;
	struct sg_qentry *entry;
};
static_assert(sizeof(struct sg_qwait) <= SG_NODE_SIZE);

/**
 * struct sg_qdestroy - a kmem_cache_destroy() put off until its objects leave
 * @list:	in sg_q.destroys
 * @cache:	the cache
 */
struct sg_qdestroy {
	struct list_head list;
	struct kmem_cache *cache;
};
static_assert(sizeof(struct sg_qdestroy) <= SG_NODE_SIZE);

/**
 * struct sg_quarantine - everything held
 * @lock:	guards every field; nests inside no lock but the pool's
 * @held:	struct sg_qentry, oldest first
 * @waits:	struct sg_qwait, for the release work
 * @destroys:	struct sg_qdestroy, for the release work
 * @quarantined: objects held since load
 * @released:	objects given back since load
 * @nr_held:	objects on @held
 * @bytes:	their bytes
 */
static struct sg_quarantine {
	raw_spinlock_t lock;
	struct list_head held;
	struct list_head waits;
	struct list_head destroys;
	u64 quarantined;
	u64 released;
	u64 nr_held;
	u64 bytes;
} sg_q = {
	.lock		= __RAW_SPIN_LOCK_UNLOCKED(sg_q.lock),
	.held		= LIST_HEAD_INIT(sg_q.held),
	.waits		= LIST_HEAD_INIT(sg_q.waits),
	.destroys	= LIST_HEAD_INIT(sg_q.destroys),
};

/*
 * The object this CPU is giving back right now: the hooks let it pass. Set
 * with interrupts off: SLUB hands out the object freed last first, and an
 * interrupt that took the slot back and freed it with a timer armed would
 * otherwise find it marked and go unchecked.
 */
DEFINE_PER_CPU(const void *, sg_releasing);
/*
 * What the release work gives back where it may sleep (a vmalloc area, a
 * cache it destroys), so not per-CPU: set under sg_release_mutex, and only
 * that task's calls match it (another CPU may be handed the same address as
 * soon as it is given back).
 */
const void *sg_releasing_slow;
struct task_struct *sg_releasing_task;
static DEFINE_MUTEX(sg_release_mutex);

/* Under sg_release_mutex: what this task gives back where it may sleep. */
static void releasing_slow(const void *ptr)
{
	if (ptr)
		WRITE_ONCE(sg_releasing_task, current);
	WRITE_ONCE(sg_releasing_slow, ptr);
	if (!ptr)
		WRITE_ONCE(sg_releasing_task, NULL);
}

static void release_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(sg_release_work, release_fn);

static void kick_fn(struct irq_work *work)
{
	mod_delayed_work(system_wq, &sg_release_work, 0);
}
static DEFINE_IRQ_WORK(sg_release_kick, kick_fn);

/**
 * sg_quarantine_kick() - have the release work run soon, from any context
 */
void sg_quarantine_kick(void)
{
	irq_work_queue(&sg_release_kick);
}

/**
 * sg_quarantine_poisonable() - may this object be poisoned while held?
 * @free:	the free
 *
 * Return: false for objects of caches with a constructor or
 * SLAB_TYPESAFE_BY_RCU, which are held but left as they are.
 */
bool sg_quarantine_poisonable(const struct sg_free *free)
{
	return !free->cache || sg_cache_poisonable(free->cache);
}

/*
 * The object is poisoned and checked in full, up to the size its slab gives
 * it. KASAN knows only the size it was asked for, and takes the rest for a
 * redzone: its reports are off meanwhile (its memset() would refuse the
 * write, and the check would then see every byte changed).
 *
 * An object up to SG_POISON_NOW_MAX is poisoned where it is held, in any
 * context; a larger one (a vmalloc area may be a GiB) by the release work,
 * as is its check, in steps of SG_POISON_STEP with the CPU given up between
 * them: never a stall in the free path, a soft lockup or an RCU stall.
 */
#define SG_POISON_NOW_MAX	(64 * 1024)
#define SG_POISON_STEP		(256 * 1024)

/* @can_sleep: process context, where the CPU is given up between steps. */
static void poison_check(const struct sg_qentry *e, bool can_sleep)
{
	const u8 *p = e->obj;
	size_t i, step, end, first = 0, last = 0, changed = 0;

	kasan_disable_current();
	for (step = 0; step < e->size; step += SG_POISON_STEP) {
		end = min_t(size_t, e->size, step + SG_POISON_STEP);
		if (can_sleep)
			cond_resched();
		if (!memchr_inv(p + step, SG_POISON_BYTE, end - step))
			continue;
		for (i = step; i < end; i++) {
			if (p[i] == SG_POISON_BYTE)
				continue;
			if (!changed++)
				first = i;
			last = i;
		}
	}
	if (changed) {
		sg_count(SG_STAT_POISON_VIOLATIONS);
		/* Its own name: no one else frees it, nor reuses its slot, meanwhile. */
		sg_report_poison(culprit_name(e), sg_alloc_name(e->obj, e->cache), p, e->size,
				 first, last, changed);
	}
	kasan_enable_current();
}

/*
 * The hooks' count of their own frees inside a kprobe handler, handed down
 * once at load (sg_quarantine_own_frees()): the quarantine lies below the
 * hooks and calls them through these alone.
 */
static struct {
	u64 (*begin)(void);
	void (*end)(u64 before);
} sg_own_free;

/**
 * sg_quarantine_own_frees() - how to bracket a free made in a kprobe handler
 * @begin:	sg_hooks_own_free_begin()
 * @end:	sg_hooks_own_free_end()
 *
 * At load, before any hook is attached.
 */
void sg_quarantine_own_frees(u64 (*begin)(void), void (*end)(u64 before))
{
	sg_own_free.begin = begin;
	sg_own_free.end = end;
}

/**
 * sg_quarantine_give_back() - free an object the way it was meant to be
 * @obj:	the object
 * @cache:	its cache, for SG_GIVE_CACHE
 * @size:	its size, for SG_GIVE_SENSITIVE
 * @how:	enum sg_giveback
 *
 * Past slubguard's own hooks: they let this call through unchecked; inside
 * a kprobe handler, bracketed by the hooks' count of their backend's own
 * drops (sg_own_free, sg_hooks_own_free_begin()). Slab
 * and page-allocator memory in any context but NMI; vmalloc memory, whose
 * vfree() may sleep, only from the release work, under sg_release_mutex;
 * SG_GIVE_RCU only after a grace period.
 */
void sg_quarantine_give_back(const void *obj, struct kmem_cache *cache, size_t size,
			     enum sg_giveback how)
{
	bool may_sleep = is_vmalloc_addr(obj);
	/* Inside a kprobe handler of slubguard's (hook_kprobe.c)? */
	bool in_kprobe = raw_cpu_read(sg_print_deferred) && sg_own_free.begin;
	unsigned long flags = 0;
	u64 missed = 0;

	if (may_sleep) {
		lockdep_assert_held(&sg_release_mutex);
		releasing_slow(obj);
	} else {
		local_irq_save(flags);
		this_cpu_write(sg_releasing, obj);
		if (in_kprobe)
			missed = sg_own_free.begin();
	}
	switch (how) {
	case SG_GIVE_CACHE:
		kmem_cache_free(cache, (void *)obj);
		break;
	case SG_GIVE_KVFREE:
	case SG_GIVE_KVFREE_DEFERRED:
	case SG_GIVE_RCU:
		kvfree(obj);
		break;
	case SG_GIVE_SENSITIVE:
		kvfree_sensitive(obj, size);
		break;
	default:
		kfree(obj);
		break;
	}
	if (may_sleep) {
		releasing_slow(NULL);
	} else {
		if (in_kprobe)
			sg_own_free.end(missed);
		this_cpu_write(sg_releasing, NULL);
		local_irq_restore(flags);
	}
}

/*
 * Armed again while held: the driver's stale pointer at work (mod_timer(),
 * hrtimer_start(), queue_work() on the freed object), or a timer armed by
 * a callback that was waited for. No object leaves armed: reported as a
 * use after free, then disarmed, waiting for a running callback where
 * @can_wait (process context). Where it cannot wait (a cache destroyed
 * from atomic context), an object whose callback runs stays held, and so
 * does one armed again each time it is disarmed.
 *
 * Return: true if nothing is armed in @e now.
 */
static bool disarm_rearmed(struct sg_qentry *e, bool can_wait)
{
	struct sg_hit hits[SG_MAX_HITS];
	unsigned int nr, i, live, pass;

	for (pass = 0; pass < 3; pass++) {
		nr = sg_registry_find(e->obj, e->size, hits, ARRAY_SIZE(hits));
		for (i = 0, live = 0; i < nr; i++)
			if (sg_hit_is_live(&hits[i]))
				hits[live++] = hits[i];
		if (!live)
			return true;
		if (!pass) {
			sg_count(SG_STAT_ARMED_AFTER_FREE);
			sg_report_rearmed(culprit_name(e), sg_alloc_name(e->obj, e->cache),
					  e->obj, e->size, hits, live);
		}
		for (i = 0; i < live; i++) {
			if (can_wait)
				hits[i].kind->disarm_wait((void *)hits[i].obj);
			else if (!hits[i].kind->disarm((void *)hits[i].obj))
				return false;
		}
	}
	return false;
}

/* Back to the allocator it came from; @can_sleep as for poison_check(). */
static void release_one(struct sg_qentry *e, bool can_sleep)
{
	trace_quarantine_release(e->obj, e->size, jiffies_to_msecs(jiffies - e->since));
	if (e->poisoned)
		poison_check(e, can_sleep);
	name_put(e->name);
	sg_quarantine_give_back(e->obj, e->cache, e->size, e->how);
	sg_node_put(e);
}

/* Can @e leave now? Not while a callback runs in it, nor before an RCU grace period. */
static bool can_leave(const struct sg_qentry *e)
{
	return !e->waiting && (e->how != SG_GIVE_RCU || e->gp_done);
}

/* Take @e off the list; the caller holds sg_q.lock and releases it after. */
static void unlink_entry(struct sg_qentry *e)
{
	list_del(&e->list);
	sg_q.released++;
	sg_q.nr_held--;
	sg_q.bytes -= e->size;
}

/* Put @e, unlinked, back as the newest held: it was armed again. */
static void hold_again(struct sg_qentry *e)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&sg_q.lock, flags);
	e->since = jiffies;
	list_add_tail(&e->list, &sg_q.held);
	sg_q.released--;
	sg_q.nr_held++;
	sg_q.bytes += e->size;
	raw_spin_unlock_irqrestore(&sg_q.lock, flags);
}

static void poison(struct sg_qentry *e)
{
	kasan_disable_current();
	memset(e->obj, SG_POISON_BYTE, e->size);
	kasan_enable_current();
	e->poisoned = true;
}

/*
 * The release work: poison the objects left to it, in steps. Each is
 * pinned meanwhile (@waiting), so that no cache destroy gives it back from
 * under the memset.
 */
static void poison_later(void)
{
	struct sg_qentry *e, *found;
	unsigned long flags;
	size_t step;

	for (;;) {
		found = NULL;
		raw_spin_lock_irqsave(&sg_q.lock, flags);
		list_for_each_entry(e, &sg_q.held, list) {
			if (e->poison_later && !e->waiting) {
				e->poison_later = false;
				e->waiting++;
				found = e;
				break;
			}
		}
		raw_spin_unlock_irqrestore(&sg_q.lock, flags);
		if (!found)
			return;
		kasan_disable_current();
		for (step = 0; step < found->size; step += SG_POISON_STEP) {
			memset(found->obj + step, SG_POISON_BYTE,
			       min_t(size_t, SG_POISON_STEP, found->size - step));
			cond_resched();
		}
		kasan_enable_current();
		raw_spin_lock_irqsave(&sg_q.lock, flags);
		found->poisoned = true;
		found->waiting--;
		raw_spin_unlock_irqrestore(&sg_q.lock, flags);
	}
}

/**
 * sg_quarantine() - hold a freed object instead of freeing it
 * @free:	the free
 * @culprit:	the code that freed it, as the report names it
 * @hits:	the armed objects in it, already checked live
 * @nr:		how many
 *
 * Any context. Disarms what can be disarmed here and records the rest.
 *
 * Return: what became of the object; on SG_Q_NO_ROOM the caller lets the
 * free go on.
 */
enum sg_quarantine_result sg_quarantine(const struct sg_free *free, unsigned long culprit,
					const struct sg_hit *hits, unsigned int nr)
{
	struct sg_qentry *e = sg_node_get();
	struct sg_qwait *waits[SG_MAX_HITS];
	unsigned int i, nr_waits = 0;
	unsigned long flags;

	for (i = 0; i < nr; i++) {
		if (hits[i].kind->disarm((void *)hits[i].obj)) {
			sg_count(SG_STAT_DISARMED);
			continue;
		}
		/* Its callback is running: wait for it later, in process context. */
		waits[nr_waits] = e ? sg_node_get() : NULL;
		if (!waits[nr_waits])
			goto no_room;
		/*
		 * Its entry goes now: an entry there when the wait is done was
		 * made by an arm after this free (report_if_queued()).
		 */
		sg_untrack(hits[i].obj, hits[i].stamp);
		waits[nr_waits]->timer = (void *)hits[i].obj;
		waits[nr_waits]->kind = hits[i].kind;
		waits[nr_waits]->entry = e;
		nr_waits++;
		sg_count(SG_STAT_DISARM_DEFERRED);
	}
	if (!e)
		goto no_room;

	e->obj = (void *)free->obj;
	e->cache = free->cache;
	e->how = free->how;
	e->size = free->size;
	e->waiting = nr_waits;
	e->poisoned = false;
	e->poison_later = false;
	e->gp_seen = false;
	e->gp_done = false;
	e->poisonable = READ_ONCE(sg_poison) && sg_quarantine_poisonable(free);
	e->name = name_get(culprit);
	e->since = jiffies;
	if (e->poisonable && !nr_waits) {
		if (e->size <= SG_POISON_NOW_MAX)
			poison(e);
		else
			e->poison_later = true;
	}

	raw_spin_lock_irqsave(&sg_q.lock, flags);
	list_add_tail(&e->list, &sg_q.held);
	for (i = 0; i < nr_waits; i++)
		list_add_tail(&waits[i]->list, &sg_q.waits);
	sg_q.quarantined++;
	sg_q.nr_held++;
	sg_q.bytes += e->size;
	raw_spin_unlock_irqrestore(&sg_q.lock, flags);

	sg_quarantine_kick();
	return nr_waits ? SG_Q_HELD_DEFERRED : SG_Q_HELD;

no_room:
	for (i = 0; i < nr_waits; i++)
		sg_node_put(waits[i]);
	if (e)
		sg_node_put(e);
	sg_count(SG_STAT_QUARANTINE_FAILURES);
	return SG_Q_NO_ROOM;
}

/* Move everything on @from to @to, under the quarantine's lock. */
static void take_all(struct list_head *from, struct list_head *to)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&sg_q.lock, flags);
	list_splice_init(from, to);
	raw_spin_unlock_irqrestore(&sg_q.lock, flags);
}

/*
 * Before the wait for @w's callback: its registry entry went at the free,
 * so one found queued now was armed again since (a stale pointer, or its
 * own callback): a use after free, reported before the wait disarms it.
 */
static void report_if_queued(const struct sg_qwait *w)
{
	const struct sg_qentry *e = w->entry;
	struct sg_hit hits[SG_MAX_HITS];
	unsigned int nr, i;

	nr = sg_registry_find(e->obj, e->size, hits, ARRAY_SIZE(hits));
	for (i = 0; i < nr; i++) {
		if (hits[i].obj != w->timer)
			continue;
		if (!sg_hit_is_live(&hits[i]) || hits[i].state != SG_QUEUED)
			return;
		sg_count(SG_STAT_ARMED_AFTER_FREE);
		sg_report_rearmed(culprit_name(e), sg_alloc_name(e->obj, e->cache),
				  e->obj, e->size, &hits[i], 1);
		return;
	}
}

/* Process context: wait for running callbacks; poison_later() poisons after. */
static void finish_waits(void)
{
	struct sg_qwait *w, *next;
	unsigned long flags;
	LIST_HEAD(waits);

	take_all(&sg_q.waits, &waits);

	list_for_each_entry_safe(w, next, &waits, list) {
		report_if_queued(w);
		w->kind->disarm_wait(w->timer);
		raw_spin_lock_irqsave(&sg_q.lock, flags);
		if (!--w->entry->waiting && w->entry->poisonable)
			w->entry->poison_later = true;
		raw_spin_unlock_irqrestore(&sg_q.lock, flags);
		list_del(&w->list);
		sg_node_put(w);
	}
}

/*
 * The oldest object that must leave now, off the list; NULL if none. With
 * @cache, every object of that cache leaves; with @all, everything.
 */
static struct sg_qentry *next_to_release(struct kmem_cache *cache, bool all)
{
	unsigned long max_age = msecs_to_jiffies(READ_ONCE(sg_quarantine_ms));
	u64 max_bytes = (u64)READ_ONCE(sg_quarantine_kb) * 1024;
	struct sg_qentry *e, *found = NULL;
	unsigned long flags;

	raw_spin_lock_irqsave(&sg_q.lock, flags);
	list_for_each_entry(e, &sg_q.held, list) {
		if (!can_leave(e))
			continue;
		if (all || (cache && e->cache == cache) ||
		    (!cache && (sg_q.bytes > max_bytes ||
				time_after_eq(jiffies, e->since + max_age)))) {
			unlink_entry(e);
			found = e;
		}
		break;
	}
	raw_spin_unlock_irqrestore(&sg_q.lock, flags);
	return found;
}

/*
 * Give back what of @cache can leave; return true if some of it must stay.
 * @can_wait: in process context (disarm_rearmed()).
 */
static bool release_cache(struct kmem_cache *cache, bool can_wait)
{
	struct sg_qentry *e, *next;
	unsigned long flags;
	bool stays = false;
	LIST_HEAD(mine);

	raw_spin_lock_irqsave(&sg_q.lock, flags);
	list_for_each_entry_safe(e, next, &sg_q.held, list) {
		if (e->cache != cache)
			continue;
		if (!can_leave(e)) {
			stays = true;
			continue;
		}
		unlink_entry(e);
		list_add_tail(&e->list, &mine);
	}
	raw_spin_unlock_irqrestore(&sg_q.lock, flags);

	list_for_each_entry_safe(e, next, &mine, list) {
		list_del(&e->list);
		if (!disarm_rearmed(e, can_wait)) {
			hold_again(e);
			stays = true;
			continue;
		}
		release_one(e, can_wait);
	}
	return stays;
}

/*
 * The destroys put off by sg_quarantine_cache_destroy(), once none of the
 * cache's objects is held; one that still has some waits for a later pass.
 */
static void finish_destroys(void)
{
	struct sg_qdestroy *d, *next;
	unsigned long flags;
	LIST_HEAD(destroys);

	take_all(&sg_q.destroys, &destroys);
	list_for_each_entry_safe(d, next, &destroys, list) {
		list_del(&d->list);
		if (release_cache(d->cache, true)) {
			raw_spin_lock_irqsave(&sg_q.lock, flags);
			list_add_tail(&d->list, &sg_q.destroys);
			raw_spin_unlock_irqrestore(&sg_q.lock, flags);
			continue;
		}
		releasing_slow(d->cache);
		kmem_cache_destroy(d->cache);
		releasing_slow(NULL);
		sg_node_put(d);
	}
}

/*
 * Objects from kfree_rcu() may still be read by RCU readers: they leave only
 * once a grace period has passed since they were held. Process context.
 */
static void rcu_grace(void)
{
	struct sg_qentry *e;
	unsigned long flags;
	bool any = false;

	raw_spin_lock_irqsave(&sg_q.lock, flags);
	list_for_each_entry(e, &sg_q.held, list) {
		if (e->how == SG_GIVE_RCU && !e->gp_done) {
			e->gp_seen = true;
			any = true;
		}
	}
	raw_spin_unlock_irqrestore(&sg_q.lock, flags);
	if (!any)
		return;
	synchronize_rcu();
	raw_spin_lock_irqsave(&sg_q.lock, flags);
	list_for_each_entry(e, &sg_q.held, list)
		if (e->gp_seen)
			e->gp_done = true;
	raw_spin_unlock_irqrestore(&sg_q.lock, flags);
}

static void release_all(bool all)
{
	struct sg_qentry *e;

	mutex_lock(&sg_release_mutex);
	finish_waits();
	poison_later();
	rcu_grace();
	finish_destroys();
	while ((e = next_to_release(NULL, all))) {
		if (disarm_rearmed(e, true)) {
			release_one(e, true);
		} else if (all) {
			/* Unloading, and armed again each time: never give it back. */
			pr_err("leaving a %u-byte object at %p allocated: armed again each time it was disarmed\n",
			       e->size, e->obj);
			name_put(e->name);
			sg_node_put(e);
		} else {
			hold_again(e);
			break;
		}
	}
	mutex_unlock(&sg_release_mutex);
}

static void release_fn(struct work_struct *work)
{
	unsigned long flags, next = 0;
	struct sg_qentry *e;

	release_all(false);

	/* Come back when the oldest object is due. */
	raw_spin_lock_irqsave(&sg_q.lock, flags);
	e = list_first_entry_or_null(&sg_q.held, struct sg_qentry, list);
	if (e)
		next = e->since + msecs_to_jiffies(READ_ONCE(sg_quarantine_ms));
	raw_spin_unlock_irqrestore(&sg_q.lock, flags);
	if (e)
		mod_delayed_work(system_wq, &sg_release_work,
				 time_after(next, jiffies) ? next - jiffies : 1);
}

/**
 * sg_quarantine_cache_destroy() - a cache is being destroyed
 * @cache:	the cache
 * @can_defer:	the hook can make kmem_cache_destroy() return at once
 *
 * Runs before kmem_cache_destroy(), with preemption off. Objects of the cache
 * that can leave now are given back; if one is still waiting for a running
 * callback, the destroy is put off (when @can_defer) and the release work
 * makes it once the object is out.
 *
 * Return: true if the destroy must not happen now.
 */
bool sg_quarantine_cache_destroy(struct kmem_cache *cache, bool can_defer)
{
	struct sg_qdestroy *d;
	unsigned long flags;

	if (!READ_ONCE(sg_q.nr_held) || sg_quarantine_releasing(cache))
		return false;
	if (!release_cache(cache, false) || !can_defer)
		return false;

	d = sg_node_get();
	if (!d)
		return false;
	d->cache = cache;
	raw_spin_lock_irqsave(&sg_q.lock, flags);
	list_add_tail(&d->list, &sg_q.destroys);
	raw_spin_unlock_irqrestore(&sg_q.lock, flags);
	sg_quarantine_kick();
	return true;
}

u64 sg_quarantine_stat(enum sg_stat stat)
{
	unsigned long flags;
	u64 val = 0;

	raw_spin_lock_irqsave(&sg_q.lock, flags);
	switch (stat) {
	case SG_STAT_QUARANTINED:
		val = sg_q.quarantined;
		break;
	case SG_STAT_RELEASED:
		val = sg_q.released;
		break;
	case SG_STAT_QUARANTINE_HELD:
		val = sg_q.nr_held;
		break;
	case SG_STAT_QUARANTINE_BYTES:
		val = sg_q.bytes;
		break;
	default:
		break;
	}
	raw_spin_unlock_irqrestore(&sg_q.lock, flags);
	return val;
}

int sg_quarantine_kb_parse(const char *buf, unsigned int *val)
{
	return sg_parse_uint(buf, SG_QUARANTINE_KB_MIN, SG_QUARANTINE_KB_MAX, val);
}

int sg_quarantine_ms_parse(const char *buf, unsigned int *val)
{
	return sg_parse_uint(buf, SG_QUARANTINE_MS_MIN, SG_QUARANTINE_MS_MAX, val);
}

/*
 * A module is going, its exit function has returned: before its text and
 * data are freed, finish now what the release work would later. A held
 * object's callback that runs is often that module's (its exit stopped the
 * timer without waiting): it is waited for while its text is there. And a
 * kmem_cache_destroy() put off in its exit happens now, while its cache's
 * constructor is there, and before a reload of the module asks for a cache
 * of the same name.
 */
static int module_going(struct notifier_block *nb, unsigned long action, void *data)
{
	unsigned long flags;
	bool pending;

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	raw_spin_lock_irqsave(&sg_q.lock, flags);
	pending = !list_empty(&sg_q.waits) || !list_empty(&sg_q.destroys);
	raw_spin_unlock_irqrestore(&sg_q.lock, flags);
	if (pending)
		release_all(false);
	return NOTIFY_OK;
}

static struct notifier_block sg_module_nb = {
	.notifier_call = module_going,
};

/* At load, before the hooks. */
void sg_quarantine_init(void)
{
	register_module_notifier(&sg_module_nb);
}

/*
 * At unload, after the hooks are gone: stop the release work, then give back
 * everything, waiting for running callbacks where needed.
 */
void sg_quarantine_exit(void)
{
	unregister_module_notifier(&sg_module_nb);
	irq_work_sync(&sg_release_kick);
	cancel_delayed_work_sync(&sg_release_work);
	release_all(true);
}
