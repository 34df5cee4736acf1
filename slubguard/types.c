// SPDX-License-Identifier: GPL-2.0
/*
 * One descriptor per kind of object that must not be freed while armed.
 * Each reads the live object; none keeps state.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/hrtimer.h>
#include <linux/timer.h>
#include <linux/jiffies.h>

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

const struct sg_kind sg_kind_hrtimer = {
	.name		= "hrtimer",
	.stat		= SG_STAT_ARMED_HRTIMER,
	.is_armed	= hrtimer_armed,
	.debug_hint	= hrtimer_hint,
	.expires_ns	= hrtimer_expires,
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

const struct sg_kind sg_kind_timer_list = {
	.name		= "timer_list",
	.stat		= SG_STAT_ARMED_TIMER_LIST,
	.is_armed	= timer_list_armed,
	.debug_hint	= timer_list_hint,
	.expires_ns	= timer_list_expires,
};
