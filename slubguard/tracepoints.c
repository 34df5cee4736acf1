// SPDX-License-Identifier: GPL-2.0
/*
 * Keeps the registry in step with the kernel's own timer events.
 *
 * The timer tracepoints are not exported to modules, so they are found the
 * way out-of-tree tracers find them: by name, walking the kernel's table.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/string.h>
#include <linux/tracepoint.h>

#include "compat.h"
#include "slubguard.h"

static void probe_hrtimer_start(void *data, SG_HRTIMER_START_PROTO)
{
	sg_track(&sg_kind_hrtimer, timer, hrtimer_get_softexpires_tv64(timer));
}

static void probe_hrtimer_cancel(void *data, struct hrtimer *timer)
{
	sg_untrack(timer, U64_MAX);
}

/*
 * The timer was dequeued under its base lock, which is dropped by now: a
 * re-arm from another CPU may already have refreshed the entry with a later
 * expiry. Remove only an entry that is due at @now, the one that fired.
 */
static void probe_hrtimer_expire_entry(void *data, struct hrtimer *timer, ktime_t *now)
{
	sg_untrack(timer, ktime_to_ns(*now));
}

static void probe_timer_start(void *data, SG_TIMER_START_PROTO)
{
	sg_track(&sg_kind_timer_list, timer, 0);
}

/* Also fires when an expiring timer is detached, under the base lock. */
static void probe_timer_cancel(void *data, struct timer_list *timer)
{
	sg_untrack(timer, U64_MAX);
}

/**
 * struct sg_tp - a tracepoint slubguard attaches to
 * @name:	the event's name
 * @probe:	the function attached
 * @tp:		the tracepoint, once found
 * @attached:	whether @probe is registered
 */
struct sg_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool attached;
};

static struct sg_tp sg_tps[] = {
	{ "hrtimer_start",		probe_hrtimer_start },
	{ "hrtimer_cancel",		probe_hrtimer_cancel },
	{ "hrtimer_expire_entry",	probe_hrtimer_expire_entry },
	{ "timer_start",		probe_timer_start },
	{ "timer_cancel",		probe_timer_cancel },
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

	for (i = 0; i < ARRAY_SIZE(sg_tps); i++) {
		if (!sg_tps[i].attached)
			continue;
		tracepoint_probe_unregister(sg_tps[i].tp, sg_tps[i].probe, NULL);
		sg_tps[i].attached = false;
	}
	/* No probe of ours runs past this point. */
	tracepoint_synchronize_unregister();
}

int sg_tracepoints_init(void)
{
	unsigned int i;
	int ret;

	for_each_kernel_tracepoint(match_tracepoint, NULL);
	for (i = 0; i < ARRAY_SIZE(sg_tps); i++) {
		if (!sg_tps[i].tp) {
			pr_err("tracepoint %s not found in this kernel\n", sg_tps[i].name);
			ret = -ENOENT;
			goto fail;
		}
		ret = tracepoint_probe_register(sg_tps[i].tp, sg_tps[i].probe, NULL);
		if (ret) {
			pr_err("cannot attach to tracepoint %s: %d\n", sg_tps[i].name, ret);
			goto fail;
		}
		sg_tps[i].attached = true;
	}
	return 0;
fail:
	detach_all();
	return ret;
}

void sg_tracepoints_exit(void)
{
	detach_all();
}
