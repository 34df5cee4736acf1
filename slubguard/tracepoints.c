// SPDX-License-Identifier: GPL-2.0
/*
 * Keeps the registry in step with the kernel's own timer and workqueue events.
 *
 * The timer tracepoints are not exported to modules, so they are found the
 * way out-of-tree tracers find them: by name, walking the kernel's table.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/cpu.h>
#include <linux/device.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/timerqueue.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "registry.h"
#include "stacks.h"
#include "tracepoints.h"
#include "types.h"

/*
 * The arm and disarm events run with interrupts off (under the timer base's
 * lock, or the worker pool's), so the registry takes no interrupt-saving
 * lock for them; those that may not (an hrtimer's expiry and its callback's
 * return in a softirq, a work starting) turn interrupts off themselves.
 */
/* Everything but the common case, and every arm with track_stacks=1. */
static noinline void track_slow(enum sg_kind_id kind, const void *obj, void *hint, u64 stamp)
{
	u32 stack = 0;

	if (static_branch_unlikely(&sg_track_stacks_key))
		stack = sg_stack_save();
	sg_track(kind, obj, hint, stamp, stack);
}

/* The common case inline; one call out for the rest, and no frame for it. */
static __always_inline void track(enum sg_kind_id kind, const void *obj, void *hint, u64 stamp)
{
	if (static_branch_unlikely(&sg_track_stacks_key) ||
	    unlikely(!sg_track_fast(kind, obj, hint, stamp)))
		track_slow(kind, obj, hint, stamp);
}

/* An hrtimer's stamp when armed: its expiry, above every fired stamp. */
static u64 arm_stamp(const struct hrtimer *timer)
{
	return max_t(s64, hrtimer_get_softexpires_tv64(timer), SG_STAMP_FIRST_ARM);
}

static void probe_hrtimer_start(void *data, SG_HRTIMER_START_PROTO)
{
	track(SG_KIND_HRTIMER, timer, READ_ONCE(timer->function), arm_stamp(timer));
}

static void probe_hrtimer_cancel(void *data, struct hrtimer *timer)
{
	__sg_untrack(timer, SG_STAMP_ANY);
}

/*
 * The timer was dequeued and its callback is about to run: the entry stays,
 * marked as firing (stamp 0), while the callback runs, for a free from
 * another CPU meanwhile is the seed's bug too (the callback may re-arm the
 * timer in freed memory). The base lock is dropped by now: a re-arm from
 * another CPU may already have refreshed the entry with a later expiry, so
 * only an entry due at @now, the one that fired, is marked. Kernels that
 * report the dequeue as a cancel event first (upstream before 6.1.170 and
 * 6.12.85) dropped the entry: it is made again.
 */
static void probe_hrtimer_expire_entry(void *data, struct hrtimer *timer, ktime_t *now)
{
	sg_track_running(SG_KIND_HRTIMER, timer, READ_ONCE(timer->function), SG_STAMP_FIRING,
			 ktime_to_ns(*now), NULL);
}

/*
 * Per CPU, per expiry context (hard interrupt, softirq): the hrtimer whose
 * callback returned last there. Its entry is dropped only at the next
 * return in the same place, once its own expiry is surely over.
 */
static DEFINE_PER_CPU(const void *, sg_hrtimer_exited[2]);

/*
 * The callback has returned, and the timer is enqueued again right after
 * this event (a start event refreshes the entry) if the callback asked to
 * restart. Until then it is neither queued nor tracked: dropping the entry
 * now would leave a window in which a free from another CPU finds nothing,
 * though the timer is about to be queued in the memory being freed. So the
 * entry stays, marked as exited here, and goes at the next return on this
 * CPU in this context, if nothing armed the timer again meanwhile; its
 * expiry was over long before. A free before then still finds it, and the
 * check asks the timer's base whether its callback still runs there (its
 * own state is not believed: the memory may be reused by then, see
 * types.c). @timer may be freed memory by now: only its address is used.
 */
static void probe_hrtimer_expire_exit(void *data, struct hrtimer *timer)
{
	unsigned int ctx = !in_hardirq();
	unsigned long flags;
	const void *prev;
	u64 exited;

	local_irq_save(flags);
	exited = SG_STAMP_EXITED(smp_processor_id(), ctx);
	prev = __this_cpu_read(sg_hrtimer_exited[ctx]);
	if (prev && prev != timer)
		__sg_untrack(prev, exited);
	__sg_restamp(timer, SG_STAMP_FIRING, exited);
	__this_cpu_write(sg_hrtimer_exited[ctx], timer);
	local_irq_restore(flags);
}

/*
 * The kinds a timer_list can be besides a plain one, told apart by the timer
 * function they arm it with. A table known at build time: each arm of a
 * plain timer costs one compare per line.
 */
static const struct {
	void (*fn)(struct timer_list *timer);
	enum sg_kind_id kind;
} sg_timer_list_kinds[] = {
	{ delayed_work_timer_fn,	SG_KIND_DELAYED_WORK },
	{ kthread_delayed_work_timer_fn, SG_KIND_KTHREAD_DELAYED_WORK },
};

/* The kind @fn makes of a timer_list. */
static __always_inline enum sg_kind_id timer_list_kind(void (*fn)(struct timer_list *))
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sg_timer_list_kinds); i++)
		if (unlikely(fn == sg_timer_list_kinds[i].fn))
			return sg_timer_list_kinds[i].kind;
	return SG_KIND_TIMER_LIST;
}

/* Out of line, and the only call out of its probe (see track()). */
static noinline void timer_start_slow(struct timer_list *timer,
				      void (*fn)(struct timer_list *))
{
	enum sg_kind_id kind = timer_list_kind(fn);

	if (kind == SG_KIND_TIMER_LIST)
		track_slow(kind, timer, fn, SG_STAMP_QUEUED);
	else
		track_slow(kind, timer, sg_kinds[kind]->debug_hint(timer), SG_STAMP_QUEUED);
}

static void probe_timer_start(void *data, SG_TIMER_START_PROTO)
{
	void (*fn)(struct timer_list *) = READ_ONCE(timer->function);

	if (likely(timer_list_kind(fn) == SG_KIND_TIMER_LIST) &&
	    !static_branch_unlikely(&sg_track_stacks_key) &&
	    likely(sg_track_fast(SG_KIND_TIMER_LIST, timer, fn, SG_STAMP_QUEUED)))
		return;
	timer_start_slow(timer, fn);
}

/* Also fires when an expiring timer is detached, under the base lock. */
static void probe_timer_cancel(void *data, struct timer_list *timer)
{
	__sg_untrack(timer, SG_STAMP_ANY);
}

/*
 * A timer_list's callback is about to run: the timer was detached (its
 * cancel event dropped the entry) and is tracked again, as running on this
 * CPU, until the callback returns; a free from another CPU meanwhile is the
 * bug of a del_timer() where del_timer_sync() was needed. A delayed_work's
 * timer only queues its work, whose own events follow it. Armed again from
 * another CPU by now, it keeps its queued entry.
 */
static void probe_timer_expire_entry(void *data, struct timer_list *timer,
				     unsigned long baseclk)
{
	void (*fn)(struct timer_list *) = READ_ONCE(timer->function);

	if (timer_list_kind(fn) != SG_KIND_TIMER_LIST)
		return;
	sg_track_running(SG_KIND_TIMER_LIST, timer, fn, SG_STAMP_ON_CPU(raw_smp_processor_id()),
			 SG_STAMP_FIRST_ARM - 1, NULL);
}

/*
 * Its callback has returned; re-armed meanwhile, or freed by itself, the
 * entry is not this one's any more. @timer may be freed memory by now.
 */
static void probe_timer_expire_exit(void *data, struct timer_list *timer)
{
	sg_untrack(timer, SG_STAMP_ON_CPU(raw_smp_processor_id()));
}

static void probe_work_queue(void *data, SG_WORK_QUEUE_PROTO)
{
	track(SG_KIND_WORK, work, READ_ONCE(work->func), SG_STAMP_QUEUED);
}

/* Under the bucket's lock (sg_track_running()). */
static bool work_queued_again(const void *obj)
{
	return work_pending((struct work_struct *)obj);
}

/*
 * The work is off its queue (its pending bit cleared) and its function is
 * about to run in this worker: tracked as running in it until the function
 * returns. A queue_work() from another CPU since the pending bit was
 * cleared set it again, and its queued entry stays.
 */
static void probe_work_start(void *data, struct work_struct *work)
{
	sg_track_running(SG_KIND_WORK, work, READ_ONCE(work->func),
			 (u64)(unsigned long)current, SG_STAMP_ANY, work_queued_again);
}

/* @work may be freed memory by now (a work may free itself). */
static void probe_work_end(void *data, struct work_struct *work, work_func_t function)
{
	sg_untrack(work, (u64)(unsigned long)current);
}

/* kthread_works: the same three events, from a kthread_worker. */
static void probe_kthread_work_queue(void *data, struct kthread_worker *worker,
				     struct kthread_work *work)
{
	track(SG_KIND_KTHREAD_WORK, work, READ_ONCE(work->func), SG_STAMP_QUEUED);
}

static void probe_kthread_work_start(void *data, struct kthread_work *work)
{
	sg_track_running(SG_KIND_KTHREAD_WORK, work, READ_ONCE(work->func),
			 (u64)(unsigned long)current, SG_STAMP_ANY, sg_kthread_work_queued);
}

static void probe_kthread_work_end(void *data, struct kthread_work *work,
				   kthread_work_func_t function)
{
	sg_untrack(work, (u64)(unsigned long)current);
}

/*
 * devres gives a device's managed memory back at unbind, each node after a
 * "REL" event (kernels from 5.15): the node is the object its kfree() then
 * frees, so a report of that free can name the device and its driver. The
 * names are copied here, in process context with interrupts off for the
 * copy; a free on another CPU, or after another node's event, matches
 * nothing and names nothing.
 */
DEFINE_PER_CPU(struct sg_devres_note, sg_devres_note);

static void probe_devres_log(void *data, struct device *dev, const char *op, void *node,
			     const char *name, size_t size)
{
	struct sg_devres_note *n;
	unsigned long flags;

	if (strcmp(op, "REL"))
		return;
	local_irq_save(flags);
	n = this_cpu_ptr(&sg_devres_note);
	n->node = node;
	strscpy(n->device, dev_name(dev), sizeof(n->device));
	strscpy(n->driver, dev->driver ? dev->driver->name : "(none)", sizeof(n->driver));
	local_irq_restore(flags);
}

/**
 * struct sg_tp - a tracepoint slubguard attaches to
 * @name:	the event's name
 * @probe:	the function attached
 * @optional:	slubguard works without it (a kernel may not have it)
 * @tp:		the tracepoint, once found
 * @attached:	whether @probe is registered
 */
struct sg_tp {
	const char *name;
	void *probe;
	bool optional;
	struct tracepoint *tp;
	bool attached;
};

/*
 * Attached in this order, detached in the reverse: a callback's end event
 * before its start, so that no start is seen whose end is not (under TCG
 * each attach patches text for milliseconds: a timer_list callback that
 * began between the two and was over before the second stayed "running" in
 * the registry, and a correct kfree_rcu() of its object later was reported,
 * once, in stress).
 */
static struct sg_tp sg_tps[] = {
	{ "hrtimer_start",		probe_hrtimer_start },
	{ "hrtimer_cancel",		probe_hrtimer_cancel },
	{ "hrtimer_expire_exit",	probe_hrtimer_expire_exit },
	{ "hrtimer_expire_entry",	probe_hrtimer_expire_entry },
	{ "timer_start",		probe_timer_start },
	{ "timer_cancel",		probe_timer_cancel },
	{ "timer_expire_exit",		probe_timer_expire_exit },
	{ "timer_expire_entry",		probe_timer_expire_entry },
	{ "workqueue_queue_work",	probe_work_queue },
	{ "workqueue_execute_end",	probe_work_end },
	{ "workqueue_execute_start",	probe_work_start },
	{ "sched_kthread_work_queue_work", probe_kthread_work_queue },
	{ "sched_kthread_work_execute_end", probe_kthread_work_end },
	{ "sched_kthread_work_execute_start", probe_kthread_work_start },
	{ "devres_log",			probe_devres_log, true },
};

static void match_tracepoint(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sg_tps); i++)
		if (!strcmp(tp->name, sg_tps[i].name))
			sg_tps[i].tp = tp;
}

static void detach_all(void)
{
	unsigned int i;

	for (i = ARRAY_SIZE(sg_tps); i-- > 0;) {
		if (!sg_tps[i].attached)
			continue;
		tracepoint_probe_unregister(sg_tps[i].tp, sg_tps[i].probe, NULL);
		sg_tps[i].attached = false;
	}
	/* No probe of ours runs past this point. */
	tracepoint_synchronize_unregister();
}

/*
 * hrtimer_init() on a CPU points the timer at that CPU's bases. Run by a
 * worker bound to the CPU, so that the probe is on a task's stack, as
 * debugobjects wants an on-stack timer to be (an IPI would run it on the
 * interrupt stack).
 */
static long find_cpu_base(void *info)
{
	struct hrtimer probe;

	hrtimer_init_on_stack(&probe, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	*(struct hrtimer_cpu_base **)info = probe.base->cpu_base;
	destroy_hrtimer_on_stack(&probe);
	return 0;
}

/*
 * hrtimers armed before slubguard loaded: walk every CPU's queues under
 * their lock, once the tracepoints are attached, so that nothing armed from
 * now on is missed either (an entry met twice is simply refreshed). The
 * per-CPU bases are not exported, so hrtimer_init() on each CPU finds them.
 * timer_lists have no such way in: their wheels are private to the timer
 * core, and they are known from their next arming on.
 */
static unsigned int track_armed_hrtimers(void)
{
	struct hrtimer_cpu_base *cpu_base;
	unsigned int nr = 0, i;
	unsigned long flags;
	int cpu;

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		cpu_base = NULL;
		work_on_cpu(cpu, find_cpu_base, &cpu_base);
		if (!cpu_base)
			continue;
		sg_cpu_base_set(cpu, cpu_base);
		raw_spin_lock_irqsave(&cpu_base->lock, flags);
		for (i = 0; i < HRTIMER_MAX_CLOCK_BASES; i++) {
			struct timerqueue_node *node;

			node = timerqueue_getnext(&cpu_base->clock_base[i].active);
			for (; node; node = timerqueue_iterate_next(node)) {
				struct hrtimer *timer = container_of(node, struct hrtimer, node);

				/* Who armed it is not known. */
				sg_track(SG_KIND_HRTIMER, timer, READ_ONCE(timer->function),
					 arm_stamp(timer), 0);
				nr++;
			}
		}
		raw_spin_unlock_irqrestore(&cpu_base->lock, flags);
	}
	cpus_read_unlock();
	return nr;
}

/*
 * The events, checked once attached: on each online CPU an hrtimer and a
 * timer_list of slubguard's own are armed and cancelled, and the registry
 * must have followed each step. A probe that is registered but never
 * called (a jump label not seen patched on some CPU) would otherwise leave
 * every timer of that kind unseen for as long as slubguard runs, in
 * silence.
 */
struct sg_selftest {
	struct hrtimer ht;
	struct timer_list tl;
	const char *silent;	/* the first event that was not seen */
};

static enum hrtimer_restart selftest_ht_fn(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

static void selftest_tl_fn(struct timer_list *t)
{
}

static bool tracked(const void *obj)
{
	struct sg_hit hit;

	return sg_registry_find(obj, 1, &hit, 1);
}

/* On the CPU under test, interrupts off; they expire in an hour. */
static void selftest_cpu(void *info)
{
	struct sg_selftest *st = info;

	hrtimer_start(&st->ht, ms_to_ktime(3600 * MSEC_PER_SEC), HRTIMER_MODE_REL_PINNED);
	mod_timer(&st->tl, jiffies + 3600 * HZ);
	if (!tracked(&st->ht))
		st->silent = "hrtimer_start";
	else if (!tracked(&st->tl))
		st->silent = "timer_start";
	hrtimer_try_to_cancel(&st->ht);
	del_timer(&st->tl);
	if (st->silent)
		return;
	if (tracked(&st->ht))
		st->silent = "hrtimer_cancel";
	else if (tracked(&st->tl))
		st->silent = "timer_cancel";
}

/*
 * Return: 0, or -EIO after saying which event was not seen where, or
 * -ENOMEM.
 */
static int selftest(void)
{
	struct sg_selftest *st = kzalloc(sizeof(*st), GFP_KERNEL);
	int cpu, ret = 0;

	if (!st)
		return -ENOMEM;
	hrtimer_init(&st->ht, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
	st->ht.function = selftest_ht_fn;
	timer_setup(&st->tl, selftest_tl_fn, TIMER_PINNED);
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		if (smp_call_function_single(cpu, selftest_cpu, st, 1) || st->silent) {
			pr_warn("timer events: %s is attached but did not reach slubguard on CPU %d\n",
				st->silent ?: "the test", cpu);
			ret = -EIO;
			break;
		}
	}
	cpus_read_unlock();
	/* What a silent cancel event left behind. */
	sg_untrack(&st->ht, SG_STAMP_ANY);
	sg_untrack(&st->tl, SG_STAMP_ANY);
	kfree(st);
	return ret;
}

/**
 * sg_tracepoints_init() - find the events slubguard attaches to
 *
 * Return: 0, or -ENOENT (after saying which is missing).
 */
int sg_tracepoints_init(void)
{
	unsigned int i;

	for_each_kernel_tracepoint(match_tracepoint, NULL);
	for (i = 0; i < ARRAY_SIZE(sg_tps); i++) {
		if (!sg_tps[i].tp && !sg_tps[i].optional) {
			pr_err("tracepoint %s not found in this kernel\n", sg_tps[i].name);
			return -ENOENT;
		}
	}
	return 0;
}

static int attach_all(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sg_tps); i++) {
		if (!sg_tps[i].tp)
			continue;	/* an optional one this kernel lacks */
		ret = tracepoint_probe_register(sg_tps[i].tp, sg_tps[i].probe, NULL);
		if (ret) {
			pr_err("cannot attach to tracepoint %s: %d\n", sg_tps[i].name, ret);
			detach_all();
			return ret;
		}
		sg_tps[i].attached = true;
	}
	return 0;
}

/**
 * sg_tracepoints_start() - attach the probes, check them, learn what is armed
 * @when:	"load" or "enabling", for the log
 *
 * While a probe does not fire, all are attached again (which patches their
 * events' jump labels again, where slubguard is their only user), up to
 * SG_SELFTEST_RETRIES times; then slubguard refuses to run blind.
 *
 * Process context.
 *
 * Return: 0, or a negative errno (no probe is left attached).
 */
int sg_tracepoints_start(const char *when)
{
	int ret, tries = 1 + SG_SELFTEST_RETRIES;

	do {
		ret = attach_all();
		if (ret)
			return ret;
		ret = selftest();
		if (ret)
			detach_all();
	} while (ret == -EIO && --tries);
	if (ret) {
		if (ret == -EIO)
			pr_err("timer events do not reach slubguard; not enabled\n");
		return ret;
	}
	pr_info("%u hrtimers were armed before %s; tracking them\n", track_armed_hrtimers(), when);
	return 0;
}

/* Once this returns, no probe of slubguard's runs. */
void sg_tracepoints_stop(void)
{
	detach_all();
}
