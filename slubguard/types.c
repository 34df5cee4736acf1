// SPDX-License-Identifier: GPL-2.0
/*
 * One descriptor per kind of object that must not be freed while armed.
 * Each reads the live object; none keeps state.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/hrtimer.h>
#include <linux/timer.h>
#include <linux/jiffies.h>

#include "compat.h"
#include "slubguard.h"

static bool hrtimer_armed(const void *obj)
{
	return hrtimer_is_queued((struct hrtimer *)obj);
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

const struct sg_kind sg_kind_hrtimer = {
	.name		= "hrtimer",
	.stat		= SG_STAT_ARMED_HRTIMER,
	.is_armed	= hrtimer_armed,
	.debug_hint	= hrtimer_hint,
	.expires_ns	= hrtimer_expires,
	.disarm		= hrtimer_disarm,
	.disarm_wait	= hrtimer_disarm_wait,
};

static bool timer_list_armed(const void *obj)
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

const struct sg_kind sg_kind_timer_list = {
	.name		= "timer_list",
	.stat		= SG_STAT_ARMED_TIMER_LIST,
	.is_armed	= timer_list_armed,
	.debug_hint	= timer_list_hint,
	.expires_ns	= timer_list_expires,
	.disarm		= timer_list_disarm,
	.disarm_wait	= timer_list_disarm_wait,
};
