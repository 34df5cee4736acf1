// SPDX-License-Identifier: GPL-2.0
/*
 * One descriptor per kind of object that must not be freed while armed.
 * Each reads the live object; none keeps state.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "slubguard.h"

/*
 * Queued, or its callback running on another CPU (it may re-arm the timer
 * in the memory being freed). From the callback itself, on this CPU,
 * freeing the timer is allowed.
 *
 * The two states are read the way hrtimer_active() reads them, under the
 * base's sequence count: read one at a time, a timer being re-enqueued on
 * another CPU at that moment can look neither queued (read before) nor
 * running (read after). But not by hrtimer_active() itself: the base is
 * reached through the object, which may be memory reused for something
 * else (a dead task's stack, freed by vfree(), where a sleeper's hrtimer
 * was), and a "sequence count" there may be odd for ever. hrtimer_active()
 * would spin on it with preemption off (seen: a soft lockup in the stress
 * test). So each base met is first read without faulting, at both ends of
 * what is read of it, and an odd count is waited for SG_SEQ_SPINS times at
 * most; a real writer holds it odd for a few instructions, under the base's
 * lock with interrupts off.
 *
 * Once its callback was entered (@stamp says it fired), the timer is queued
 * again only through an arm event, which restamps its entry first: its
 * "queued" state is not believed without one. The entry of a sleeper that
 * fired stays until its CPU runs another callback (tracepoints.c); the task
 * may be gone by then and its stack freed, with other frames' bytes where
 * the state was (seen: a report in delayed_vfree_work() under stress).
 */
#define SG_SEQ_SPINS	100000

static bool hrtimer_armed(const void *obj, u64 stamp)
{
	const struct hrtimer *t = obj;
	struct hrtimer_clock_base *base, *checked = NULL;
	struct hrtimer_cpu_base *cpu_base;
	struct hrtimer *running;
	bool queued = false, runs = false;
	unsigned int cpu, seq, spins;

	for (spins = 0; spins < SG_SEQ_SPINS; spins++) {
		base = READ_ONCE(t->base);
		if (!checked || base != checked) {
			if (copy_from_kernel_nofault(&cpu_base, &base->cpu_base, sizeof(cpu_base)) ||
			    copy_from_kernel_nofault(&running, &base->running, sizeof(running)) ||
			    copy_from_kernel_nofault(&cpu, &cpu_base->cpu, sizeof(cpu)))
				return false;
			checked = base;
		}
		seq = raw_read_seqcount(&base->seq);
		if (seq & 1) {
			cpu_relax();
			continue;
		}
		queued = READ_ONCE(t->state) != HRTIMER_STATE_INACTIVE;
		runs = READ_ONCE(base->running) == t;
		if (queued || runs ||
		    (!read_seqcount_retry(&base->seq, seq) && base == READ_ONCE(t->base)))
			break;
	}
	if (queued && sg_stamp_fired(stamp)) {
		/* Armed again since the entry was read? Its event came first. */
		smp_rmb();
		stamp = sg_registry_stamp(t);
		queued = !sg_stamp_fired(stamp) && stamp != SG_STAMP_ANY;
	}
	if (queued)
		return true;
	if (!runs)
		return false;
	/*
	 * Running here: this is its callback, or what interrupted it. Neither
	 * can change while this runs, so these plain reads are stable.
	 */
	return cpu != raw_smp_processor_id() || READ_ONCE(base->running) != t ||
	       READ_ONCE(t->base) != base;
}

static void *hrtimer_hint(const void *obj)
{
	return READ_ONCE(((const struct hrtimer *)obj)->function);
}

static s64 hrtimer_expires(const void *obj)
{
	return ktime_to_ns(hrtimer_expires_remaining(obj));
}

/* hrtimer_try_to_cancel() is -1 only while the callback runs. */
static bool hrtimer_disarm(void *obj)
{
	return hrtimer_try_to_cancel(obj) >= 0;
}

static void hrtimer_disarm_wait(void *obj)
{
	hrtimer_cancel(obj);
}

static const struct sg_kind sg_kind_hrtimer = {
	.name		= "hrtimer",
	.stat		= SG_STAT_ARMED_HRTIMER,
	.is_armed	= hrtimer_armed,
	.debug_hint	= hrtimer_hint,
	.expires_ns	= hrtimer_expires,
	.disarm		= hrtimer_disarm,
	.disarm_wait	= hrtimer_disarm_wait,
};

static bool timer_list_armed(const void *obj, u64 stamp)
{
	return timer_pending(obj);
}

static void *timer_list_hint(const void *obj)
{
	return READ_ONCE(((const struct timer_list *)obj)->function);
}

static s64 timer_list_expires(const void *obj)
{
	long delta = READ_ONCE(((const struct timer_list *)obj)->expires) - jiffies;

	return (s64)delta * TICK_NSEC;
}

/* try_to_del_timer_sync() is -1 only while the callback runs. */
static bool timer_list_disarm(void *obj)
{
	return try_to_del_timer_sync(obj) >= 0;
}

static void timer_list_disarm_wait(void *obj)
{
	sg_timer_delete_sync(obj);
}

static const struct sg_kind sg_kind_timer_list = {
	.name		= "timer_list",
	.stat		= SG_STAT_ARMED_TIMER_LIST,
	.is_armed	= timer_list_armed,
	.debug_hint	= timer_list_hint,
	.expires_ns	= timer_list_expires,
	.disarm		= timer_list_disarm,
	.disarm_wait	= timer_list_disarm_wait,
};

/*
 * delayed_work: its timer_list, armed with delayed_work_timer_fn(), is
 * tracked as a delayed_work, reported at the delayed_work's own offset with
 * the work function it will queue. Cancelling works any context; the work
 * may be running as well (a work that re-arms itself), so the wait for it
 * is always left to the release work.
 */
static const struct delayed_work *dwork_of(const void *timer)
{
	return container_of(timer, struct delayed_work, timer);
}

static void *dwork_hint(const void *timer)
{
	return READ_ONCE(dwork_of(timer)->work.func);
}

static bool dwork_disarm(void *timer)
{
	cancel_delayed_work((struct delayed_work *)dwork_of(timer));
	return false;
}

static void dwork_disarm_wait(void *timer)
{
	cancel_delayed_work_sync((struct delayed_work *)dwork_of(timer));
}

static const struct sg_kind sg_kind_delayed_work = {
	.name		= "delayed_work",
	.stat		= SG_STAT_ARMED_DELAYED_WORK,
	.outer_offset	= offsetof(struct delayed_work, timer),
	.is_armed	= timer_list_armed,
	.debug_hint	= dwork_hint,
	.expires_ns	= timer_list_expires,
	.disarm		= dwork_disarm,
	.disarm_wait	= dwork_disarm_wait,
};

/*
 * work_struct: queued and not started yet, known from the workqueue's
 * events (queued; started). A cancel has no event; the live re-check (still
 * pending, same function) keeps such an entry from ever being reported.
 */
static bool work_armed(const void *obj, u64 stamp)
{
	return work_pending((struct work_struct *)obj);
}

static void *work_hint(const void *obj)
{
	return READ_ONCE(((const struct work_struct *)obj)->func);
}

static bool work_disarm(void *obj)
{
	cancel_work(obj);
	return false;
}

static void work_disarm_wait(void *obj)
{
	cancel_work_sync(obj);
}

static const struct sg_kind sg_kind_work = {
	.name		= "work_struct",
	.stat		= SG_STAT_ARMED_WORK,
	.is_armed	= work_armed,
	.debug_hint	= work_hint,
	.disarm		= work_disarm,
	.disarm_wait	= work_disarm_wait,
};

const struct sg_kind *const sg_kinds[SG_NR_KINDS] = {
	[SG_KIND_HRTIMER]	= &sg_kind_hrtimer,
	[SG_KIND_TIMER_LIST]	= &sg_kind_timer_list,
	[SG_KIND_DELAYED_WORK]	= &sg_kind_delayed_work,
	[SG_KIND_WORK]		= &sg_kind_work,
};
