// SPDX-License-Identifier: GPL-2.0
/*
 * One descriptor per kind of object that must not be freed while armed.
 * Each reads the live object; none keeps state.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kasan.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/timekeeping.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "types.h"

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

struct hrtimer_seen {
	struct hrtimer_clock_base *base;
	bool queued;
	bool runs;
	unsigned int cpu;	/* the base's */
};

/* False if the base cannot be read: not a live timer's. */
static bool hrtimer_read(const struct hrtimer *t, struct hrtimer_seen *seen)
{
	struct hrtimer_clock_base *base, *checked = NULL;
	struct hrtimer_cpu_base *cpu_base;
	struct hrtimer *running;
	unsigned int seq, spins;

	seen->queued = seen->runs = false;
	for (spins = 0; spins < SG_SEQ_SPINS; spins++) {
		base = READ_ONCE(t->base);
		if (!checked || base != checked) {
			if (copy_from_kernel_nofault(&cpu_base, &base->cpu_base, sizeof(cpu_base)) ||
			    copy_from_kernel_nofault(&running, &base->running, sizeof(running)) ||
			    copy_from_kernel_nofault(&seen->cpu, &cpu_base->cpu, sizeof(seen->cpu)))
				return false;
			checked = base;
		}
		seq = raw_read_seqcount(&base->seq);
		if (seq & 1) {
			cpu_relax();
			continue;
		}
		seen->queued = READ_ONCE(t->state) != HRTIMER_STATE_INACTIVE;
		seen->runs = READ_ONCE(base->running) == t;
		if (seen->queued || seen->runs ||
		    (!read_seqcount_retry(&base->seq, seq) && base == READ_ONCE(t->base)))
			break;
	}
	seen->base = base;
	return true;
}

/*
 * Its callback runs on another CPU: wait for the base to let it go. The
 * base names it running past the callback's return, while the hrtimer
 * core enqueues it again if it asked to restart; a callback that returned
 * HRTIMER_NORESTART leaves it idle, and a driver that waited for it (a
 * completion, a flag) freed it correctly.
 */
static bool hrtimer_wait_running(const struct hrtimer *t, struct hrtimer_seen *seen)
{
	struct sg_wait w;

	sg_wait_start(&w, seen->cpu);
	while (seen->runs && seen->cpu != raw_smp_processor_id()) {
		if (sg_wait_over(&w))
			return false;
		cpu_relax();
		if (!hrtimer_read(t, seen))
			return true;
	}
	return true;
}

static enum sg_armed hrtimer_armed(const void *obj, u64 stamp, int *cpu)
{
	const struct hrtimer *t = obj;
	struct hrtimer_seen seen;

	if (!hrtimer_read(t, &seen))
		return SG_IDLE;
	if (!hrtimer_wait_running(t, &seen)) {
		*cpu = seen.cpu;
		return SG_RUNNING;
	}
	if (seen.queued && sg_stamp_fired(stamp)) {
		/* Armed again since the entry was read? Its event came first. */
		smp_rmb();
		stamp = sg_registry_stamp(t);
		seen.queued = !sg_stamp_fired(stamp) && stamp != SG_STAMP_ANY;
	}
	/*
	 * Still running, then here: this is its callback, or what interrupted
	 * it, and it may free its own timer.
	 */
	return seen.queued ? SG_QUEUED : SG_IDLE;
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
	.size		= sizeof(struct hrtimer),
	.is_armed	= hrtimer_armed,
	.debug_hint	= hrtimer_hint,
	.expires_ns	= hrtimer_expires,
	.disarm		= hrtimer_disarm,
	.disarm_wait	= hrtimer_disarm_wait,
};

/* Each CPU's hrtimer base, as found at load or enabling (sg_cpu_events()). */
static struct hrtimer_cpu_base *sg_cpu_bases[NR_CPUS];

/* tracepoints.c finds them (track_armed_hrtimers()). */
void sg_cpu_base_set(int cpu, struct hrtimer_cpu_base *base)
{
	WRITE_ONCE(sg_cpu_bases[cpu], base);
}

/**
 * sg_cpu_events() - how many timer interrupts @cpu has taken
 * @cpu:	the CPU
 * @events:	set to the count, which only moves while @cpu runs with
 *		interrupts on (every tick, in hrtimer_interrupt())
 *
 * Return: false if it cannot be read for @cpu (not online when slubguard
 * last looked; no high-resolution timers).
 */
bool sg_cpu_events(int cpu, unsigned int *events)
{
	const struct hrtimer_cpu_base *base;

	if (cpu < 0 || cpu >= NR_CPUS)
		return false;
	base = READ_ONCE(sg_cpu_bases[cpu]);
	return base && sg_hrtimer_base_events(base, events);
}

/**
 * sg_wait_start() - a free starts waiting for a callback running on @cpu
 * @w:		the wait
 * @cpu:	the callback's CPU
 */
void sg_wait_start(struct sg_wait *w, int cpu)
{
	u64 now = ktime_get_mono_fast_ns();

	w->deadline = now + SG_RUNNING_WAIT_MS * NSEC_PER_MSEC;
	w->last = now + SG_RUNNING_WAIT_MAX_MS * NSEC_PER_MSEC;
	w->cpu = cpu;
	w->known = sg_cpu_events(cpu, &w->events);
}

/**
 * sg_wait_over() - has the callback had its time?
 * @w:		the wait
 *
 * SG_RUNNING_WAIT_MS, and for as long as SG_RUNNING_WAIT_MAX_MS while its
 * CPU has taken no timer interrupt since the wait began: that CPU is not
 * running, and its callback may be past its last store already.
 *
 * Return: true to stop waiting (the callback is running).
 */
bool sg_wait_over(struct sg_wait *w)
{
	u64 now = ktime_get_mono_fast_ns();
	unsigned int events;

	if (now <= w->deadline)
		return false;
	if (now > w->last || !w->known)
		return true;
	return sg_cpu_events(w->cpu, &events) && events != w->events;
}

/**
 * sg_wait_stamp() - wait while @obj's entry keeps a stamp
 * @obj:	the object
 * @stamp:	the stamp its entry had
 * @cpu:	the CPU whose callback is waited for (struct sg_wait)
 *
 * In any context, spinning: for the few frees that find a callback running
 * on another CPU, whose return event changes the stamp.
 *
 * Return: true if the stamp changed (or the entry went) in time.
 */
bool sg_wait_stamp(const void *obj, u64 stamp, int cpu)
{
	struct sg_wait w;
	unsigned int i;

	sg_wait_start(&w, cpu);
	while (sg_registry_stamp(obj) == stamp) {
		if (sg_wait_over(&w))
			return false;
		/* Leave the bucket's lock to the event that ends the wait. */
		for (i = 0; i < 256; i++)
			cpu_relax();
	}
	return true;
}

/*
 * Pending, or its callback running on another CPU: tracked from its expiry
 * event to its return (tracepoints.c), as the timer core's own
 * running_timer, which is not reachable from a module. A free from the
 * callback, or from what interrupted it on its CPU, is allowed.
 */
static enum sg_armed timer_list_armed(const void *obj, u64 stamp, int *cpu)
{
	if (timer_pending(obj))
		return SG_QUEUED;
	if (stamp >= SG_STAMP_FIRST_ARM || stamp == SG_STAMP_ON_CPU(raw_smp_processor_id()))
		return SG_IDLE;
	if (sg_wait_stamp(obj, stamp, stamp - SG_STAMP_ON_CPU(0)))
		return timer_pending(obj) ? SG_QUEUED : SG_IDLE;
	*cpu = stamp - SG_STAMP_ON_CPU(0);
	return SG_RUNNING;
}

/* A delayed_work's timer: its callback only queues the work. */
static enum sg_armed dwork_timer_armed(const void *obj, u64 stamp, int *cpu)
{
	return timer_pending(obj) ? SG_QUEUED : SG_IDLE;
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
	.size		= sizeof(struct timer_list),
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

/*
 * The work function lies before the timer, outside the range a free checks
 * if that range starts at the timer: read without faulting, for a stale
 * entry's memory may start a page there (a guard page, a KFENCE object).
 */
static void *dwork_hint(const void *timer)
{
	work_func_t func;

	if (copy_from_kernel_nofault(&func, &dwork_of(timer)->work.func, sizeof(func)))
		return NULL;
	return func;
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
	.size		= sizeof(struct timer_list),
	.outer_offset	= offsetof(struct delayed_work, timer),
	.inner		= &sg_kind_timer_list,
	.is_armed	= dwork_timer_armed,
	.debug_hint	= dwork_hint,
	.expires_ns	= timer_list_expires,
	.disarm		= dwork_disarm,
	.disarm_wait	= dwork_disarm_wait,
};

/*
 * work_struct: queued, or its function running, known from the workqueue's
 * events (queued; started, with the worker's task as stamp; ended). A
 * cancel has no event; the live re-check (still pending, same function)
 * keeps such an entry from ever being reported.
 *
 * A worker running its function on another CPU is waited for. One that
 * sleeps in it will not be back soon: its object is freed under it. One
 * that was preempted cannot be told from a work that completed its owner's
 * completion and was preempted by the owner it woke, on its way out: that
 * free is correct, and is let go (a limit, Documentation/slubguard.rst).
 * The task is alive while its entry names it: the worker ends its entry
 * before it can go, and a free path runs with preemption off.
 */
static enum sg_armed worker_runs(const void *obj, u64 stamp, int *cpu,
				 bool (*queued)(const void *obj));

/*
 * Queued: pending, and on a pool_workqueue's list. Pending without that is
 * a delayed_work's timer pending (the timer's own entry reports and stops
 * it), a queueing under way on another CPU, or a cancel under way; there
 * cancel_work() and cancel_work_sync() would spin until it changes, for
 * ever under a delayed_work's timer (the torture generator hung on it).
 */
static bool work_on_queue(const struct work_struct *work)
{
	unsigned long data = READ_ONCE(*work_data_bits((struct work_struct *)work));

	return (data & WORK_STRUCT_PENDING) && (data & WORK_STRUCT_PWQ);
}

static bool work_queued(const void *obj)
{
	return work_on_queue(obj);
}

static enum sg_armed work_armed(const void *obj, u64 stamp, int *cpu)
{
	return worker_runs(obj, stamp, cpu, work_queued);
}

/*
 * A worker not on its CPU, in a work: preempted (it may be one that woke
 * its owner with complete(), preempted by that owner) is let go; asleep in
 * the work is running it.
 */
static enum sg_armed worker_off_cpu(const struct task_struct *worker)
{
	return READ_ONCE(worker->__state) == TASK_RUNNING ? SG_IDLE : SG_RUNNING;
}

/* A work's, or a kthread_work's: queued, or running in the worker @stamp. */
static enum sg_armed worker_runs(const void *obj, u64 stamp, int *cpu,
				 bool (*queued)(const void *obj))
{
	const struct task_struct *worker = (const void *)(unsigned long)stamp;
	struct sg_wait w;
	unsigned int i;

	if (queued(obj))
		return SG_QUEUED;
	if (stamp == SG_STAMP_QUEUED || worker == current)
		return SG_IDLE;
	/*
	 * Freed where RCU callbacks run (softirq, or bh off in the rcuc and
	 * rcuo threads), a work that is not queued is let go: its free was
	 * asked for a grace period before, which the work itself may do and
	 * then sleep (the workqueue core's own pool_workqueue release, on a
	 * kernel with lockdep: call_rcu(), then lockdep's synchronize_rcu()).
	 * A limit (Documentation/slubguard.rst).
	 */
	if (in_softirq())
		return SG_IDLE;
	*cpu = task_cpu(worker);
	if (!READ_ONCE(worker->on_cpu))
		return worker_off_cpu(worker);
	sg_wait_start(&w, *cpu);
	while (sg_registry_stamp(obj) == stamp) {
		/*
		 * Off its CPU meanwhile, and its entry still the same (read
		 * under the bucket's lock after on_cpu, so a work that ended
		 * before its worker went off is seen ended): judged as above.
		 * A worker preempted while the free waits, its CPU busy with
		 * another task, would otherwise look running for ever.
		 */
		if (!READ_ONCE(worker->on_cpu)) {
			if (sg_registry_stamp(obj) != stamp)
				break;
			return worker_off_cpu(worker);
		}
		if (sg_wait_over(&w))
			return SG_RUNNING;
		for (i = 0; i < 256; i++)
			cpu_relax();
	}
	return queued(obj) ? SG_QUEUED : SG_IDLE;
}

static void *work_hint(const void *obj)
{
	return READ_ONCE(((const struct work_struct *)obj)->func);
}

static bool work_disarm(void *obj)
{
	if (work_on_queue(obj))
		cancel_work(obj);
	return false;
}

static void work_disarm_wait(void *obj)
{
	if (work_pending((struct work_struct *)obj) && !work_on_queue(obj))
		flush_work(obj);
	else
		cancel_work_sync(obj);
}

static const struct sg_kind sg_kind_work = {
	.name		= "work_struct",
	.stat		= SG_STAT_ARMED_WORK,
	.size		= sizeof(struct work_struct),
	.is_armed	= work_armed,
	.debug_hint	= work_hint,
	.disarm		= work_disarm,
	.disarm_wait	= work_disarm_wait,
};

/*
 * kthread_work: queued on a kthread_worker's list (its node linked), or its
 * function running in the worker, known from the sched_kthread_work_*
 * events as a work is from the workqueue's. Nothing stops it without
 * waiting: kthread_cancel_work_sync() runs in the release work, which
 * unlinks it from the worker's list before the object can leave.
 */
bool sg_kthread_work_queued(const void *obj)
{
	return !list_empty_careful(&((const struct kthread_work *)obj)->node);
}

static enum sg_armed kthread_work_armed(const void *obj, u64 stamp, int *cpu)
{
	return worker_runs(obj, stamp, cpu, sg_kthread_work_queued);
}

static void *kthread_work_hint(const void *obj)
{
	return READ_ONCE(((const struct kthread_work *)obj)->func);
}

static bool cannot_disarm_here(void *obj)
{
	return false;
}

static void kthread_work_disarm_wait(void *obj)
{
	kthread_cancel_work_sync(obj);
}

static const struct sg_kind sg_kind_kthread_work = {
	.name		= "kthread_work",
	.stat		= SG_STAT_ARMED_KTHREAD_WORK,
	.size		= sizeof(struct kthread_work),
	.is_armed	= kthread_work_armed,
	.debug_hint	= kthread_work_hint,
	.disarm		= cannot_disarm_here,
	.disarm_wait	= kthread_work_disarm_wait,
};

/*
 * kthread_delayed_work: its timer_list, armed with
 * kthread_delayed_work_timer_fn(), reported at the kthread_delayed_work's
 * offset with the function it will run, as a delayed_work is. Stopped, as
 * kthread_cancel_delayed_work_sync() stops it, by the release work.
 */
static const struct kthread_delayed_work *kdwork_of(const void *timer)
{
	return container_of(timer, struct kthread_delayed_work, timer);
}

static void *kdwork_hint(const void *timer)
{
	kthread_work_func_t func;

	if (copy_from_kernel_nofault(&func, &kdwork_of(timer)->work.func, sizeof(func)))
		return NULL;
	return func;
}

static void kdwork_disarm_wait(void *timer)
{
	kthread_cancel_delayed_work_sync((struct kthread_delayed_work *)kdwork_of(timer));
}

static const struct sg_kind sg_kind_kthread_delayed_work = {
	.name		= "kthread_delayed_work",
	.stat		= SG_STAT_ARMED_KTHREAD_DELAYED_WORK,
	.size		= sizeof(struct timer_list),
	.outer_offset	= offsetof(struct kthread_delayed_work, timer),
	.inner		= &sg_kind_timer_list,
	.is_armed	= dwork_timer_armed,
	.debug_hint	= kdwork_hint,
	.expires_ns	= timer_list_expires,
	.disarm		= cannot_disarm_here,
	.disarm_wait	= kdwork_disarm_wait,
};

const struct sg_kind *const sg_kinds[SG_NR_KINDS] = {
	[SG_KIND_HRTIMER]	= &sg_kind_hrtimer,
	[SG_KIND_TIMER_LIST]	= &sg_kind_timer_list,
	[SG_KIND_DELAYED_WORK]	= &sg_kind_delayed_work,
	[SG_KIND_WORK]		= &sg_kind_work,
	[SG_KIND_KTHREAD_WORK]	= &sg_kind_kthread_work,
	[SG_KIND_KTHREAD_DELAYED_WORK] = &sg_kind_kthread_delayed_work,
};

/**
 * sg_hit_is_live() - does the live object agree with the registry?
 * @hit:	an entry found in a range; its @state is set
 *
 * Believe the registry only if the live object agrees: still armed, or its
 * callback running, with the callback it was armed with. An entry left
 * behind by memory that was freed and reused can then never produce a
 * report. Any context; a callback running on another CPU is waited for
 * (struct sg_kind).
 *
 * Return: true if it is armed, or its callback runs.
 */
bool sg_hit_is_live(struct sg_hit *hit)
{
	/* Another callback by now: reused memory (check_free() drops it). */
	hit->state = SG_IDLE;
	/* Not read: it would run past the object (struct sg_kind's @size). */
	if (hit->past_end) {
		hit->stale = true;
		return false;
	}
	/*
	 * The range is the allocation's, which KASAN may poison past the size
	 * asked for (a large kmalloc's last page): an entry left there by an
	 * earlier object is read, not reported.
	 */
	kasan_disable_current();
	hit->stale = hit->kind->debug_hint(hit->obj) != hit->hint;
	if (!hit->stale)
		hit->state = hit->kind->is_armed(hit->obj, hit->stamp, &hit->cpu);
	kasan_enable_current();
	return !hit->stale && hit->state != SG_IDLE;
}
