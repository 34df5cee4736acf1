// SPDX-License-Identifier: GPL-2.0
/*
 * The module's control: enabling and disabling slubguard, switching policy,
 * and the counters as sysfs/ and the module parameters read and set them.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/kernel.h>
#include <linux/mutex.h>

#include "compat.h"
#include "slubguard.h"
#include "check.h"
#include "hooks.h"
#include "pool.h"
#include "quarantine.h"
#include "registry.h"
#include "tracepoints.h"

/* Serialises enabling, disabling and policy changes. */
static DEFINE_MUTEX(sg_control_mutex);
static bool sg_enabled;		/* READ_ONCE(); written under the mutex */

/* At load, before anything else can call here: enabled from the start? */
void sg_control_init(bool enabled)
{
	sg_enabled = enabled;
}

u64 sg_stat_read(enum sg_stat stat)
{
	u64 sum = 0;
	int cpu;

	switch (stat) {
	case SG_STAT_TRACKED:
		return sg_registry_tracked();
	case SG_STAT_TRACKER_CAPACITY:
		return sg_pool_capacity();
	case SG_STAT_TRACKER_BYTES:
		return sg_registry_bytes() + sg_pool_bytes();
	case SG_STAT_HOOKS_LIVE:
		return sg_hooks_live();
	case SG_STAT_HOOKS_MISSED:
		return sg_hooks_missed();
	case SG_STAT_QUARANTINED ... SG_STAT_QUARANTINE_BYTES:
		return sg_quarantine_stat(stat);
	default:
		break;
	}
	for_each_possible_cpu(cpu)
		sum += per_cpu(sg_counters, cpu)[stat];
	return sum;
}

/**
 * sg_policy_set() - switch policy, if this kernel allows it
 * @policy:	the new policy
 *
 * Quarantine keeps the freed object from the allocator, so every free hook
 * must be able to make the call return at once; a function that another
 * ftrace user already diverts (a livepatch) cannot be, and then the policy
 * stays as it was.
 *
 * Return: 0, or -EBUSY (after saying why).
 */
int sg_policy_set(int policy)
{
	int ret = 0;

	mutex_lock(&sg_control_mutex);
	if (policy == SG_POLICY_QUARANTINE) {
		/* kfree() and kmem_cache_free() off their tracepoints first. */
		ret = sg_hooks_divert(true);
		/* While disabled, checked when enabled (start()). */
		if (!ret && sg_enabled && !sg_hooks_can_skip()) {
			pr_warn("quarantine needs to divert the free functions; another ftrace user (a livepatch?) owns one of them\n");
			sg_hooks_divert(false);
			ret = -EBUSY;
		}
		if (!ret)
			WRITE_ONCE(sg_policy, policy);
	} else {
		WRITE_ONCE(sg_policy, policy);
		/* Back to the tracepoints, if that is the cheaper way. */
		if (sg_hooks_divert(false))
			pr_warn("kfree() and kmem_cache_free() stay on the backend's hooks\n");
	}
	mutex_unlock(&sg_control_mutex);
	return ret;
}

bool sg_is_enabled(void)
{
	return READ_ONCE(sg_enabled);
}

/*
 * Disabled, slubguard is off the free path and the timer events altogether
 * (it costs nothing there) and forgets what it knew; enabling it again
 * re-learns the armed hrtimers, as at load. kmem_cache_destroy() stays
 * hooked, and the quarantine keeps releasing what it holds.
 */
static void stop(void)
{
	sg_hooks_pause();
	sg_tracepoints_stop();
	sg_registry_clear();
	sg_check_forget_queued();
}

static int start(void)
{
	int ret = sg_tracepoints_start("enabling");

	if (ret)
		return ret;
	ret = sg_hooks_resume();
	if (!ret && READ_ONCE(sg_policy) == SG_POLICY_QUARANTINE && !sg_hooks_can_skip()) {
		pr_warn("enabled=1: policy quarantine needs to divert the free functions, and another ftrace user (a livepatch?) owns one of them now; staying disabled\n");
		ret = -EBUSY;
	}
	if (ret)
		stop();
	return ret;
}

/**
 * sg_set_enabled() - enable or disable slubguard, in process context
 * @on:		the new state
 *
 * Return: 0, or the negative errno that kept it disabled.
 */
int sg_set_enabled(bool on)
{
	int ret = 0;

	mutex_lock(&sg_control_mutex);
	if (on != sg_enabled) {
		if (on)
			ret = start();
		else
			stop();
		if (!ret) {
			WRITE_ONCE(sg_enabled, on);
			pr_info("%s\n", on ? "enabled" : "disabled: frees and timers are no longer followed");
		}
	}
	mutex_unlock(&sg_control_mutex);
	return ret;
}
