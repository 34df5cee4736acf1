// SPDX-License-Identifier: GPL-2.0
/*
 * slubguard: catch kfree() of memory whose hrtimer or timer_list is still armed.
 *
 * Module parameters, and the order things start and stop in at load and
 * unload.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "slubguard.h"
#include "check.h"
#include "hooks.h"
#include "pool.h"
#include "quarantine.h"
#include "registry.h"
#include "report.h"
#include "stacks.h"
#include "tracepoints.h"
#include "types.h"

/*
 * Module parameters. They are read once, at load; /sys/kernel/slubguard is
 * where settings change afterwards, so the parameters are read-only in
 * /sys/module/slubguard/parameters and always show the live value.
 */
static bool param_enabled = true;
static enum sg_backend_choice param_backend = SG_BACKEND_AUTO;

static int param_policy = SG_POLICY_WARN;

static int policy_param_set(const char *val, const struct kernel_param *kp)
{
	int p = sg_policy_parse(val);

	if (p < 0) {
		pr_err("policy=%s: unknown policy (warn, panic or quarantine)\n", val);
		return -EINVAL;
	}
	param_policy = p;
	return 0;
}

static int policy_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", sg_policy_names[READ_ONCE(sg_policy)]);
}

static const struct kernel_param_ops policy_param_ops = {
	.set = policy_param_set,
	.get = policy_param_get,
};
module_param_cb(policy, &policy_param_ops, NULL, 0444);
MODULE_PARM_DESC(policy, "what a hit does: warn (default), panic or quarantine");

static int enabled_param_set(const char *val, const struct kernel_param *kp)
{
	if (sg_enabled_parse(val, &param_enabled)) {
		pr_err("enabled=%s: must be 1 or 0\n", val);
		return -EINVAL;
	}
	return 0;
}

static int enabled_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", sg_is_enabled());
}

static const struct kernel_param_ops enabled_param_ops = {
	.set = enabled_param_set,
	.get = enabled_param_get,
};
module_param_cb(enabled, &enabled_param_ops, NULL, 0444);
MODULE_PARM_DESC(enabled, "check frees from the start: 1 (default) or 0");

static int backend_param_set(const char *val, const struct kernel_param *kp)
{
	int b = sysfs_match_string(sg_backend_choice_names, val);

	if (b < 0) {
		pr_err("backend=%s: unknown backend (auto, ftrace, kprobe or tracepoint)\n", val);
		return -EINVAL;
	}
	param_backend = b;
	return 0;
}

static int backend_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", sg_backend_choice_names[param_backend]);
}

static const struct kernel_param_ops backend_param_ops = {
	.set = backend_param_set,
	.get = backend_param_get,
};
module_param_cb(backend, &backend_param_ops, NULL, 0444);
MODULE_PARM_DESC(backend, "how frees are hooked: auto (default: per kernel and policy), ftrace, kprobe, or tracepoint (kfree and kmem_cache_free from their tracepoints; no quarantine)");

/* Quarantine bounds: parsed and range-checked by the same code as sysfs. */
static int quarantine_kb_param_set(const char *val, const struct kernel_param *kp)
{
	int ret = sg_quarantine_kb_parse(val, &sg_quarantine_kb);

	if (ret)
		pr_err("quarantine_kb=%s: must be a number of KiB from %u to %u\n",
		       val, SG_QUARANTINE_KB_MIN, SG_QUARANTINE_KB_MAX);
	return ret;
}

static int quarantine_ms_param_set(const char *val, const struct kernel_param *kp)
{
	int ret = sg_quarantine_ms_parse(val, &sg_quarantine_ms);

	if (ret)
		pr_err("quarantine_ms=%s: must be a number of ms from %u to %u\n",
		       val, SG_QUARANTINE_MS_MIN, SG_QUARANTINE_MS_MAX);
	return ret;
}

static int poison_param_set(const char *val, const struct kernel_param *kp)
{
	if (sg_enabled_parse(val, &sg_poison)) {
		pr_err("poison=%s: must be 1 or 0\n", val);
		return -EINVAL;
	}
	return 0;
}

static int report_limit_param_set(const char *val, const struct kernel_param *kp)
{
	int ret = sg_report_limit_parse(val, &sg_report_limit);

	if (ret)
		pr_err("report_limit=%s: must be a number of reports per %d s from 0 (no limit) to %u\n",
		       val, SG_REPORT_WINDOW_S, SG_REPORT_LIMIT_MAX);
	return ret;
}

static const struct kernel_param_ops quarantine_kb_param_ops = {
	.set = quarantine_kb_param_set,
	.get = param_get_uint,
};
static const struct kernel_param_ops quarantine_ms_param_ops = {
	.set = quarantine_ms_param_set,
	.get = param_get_uint,
};
static const struct kernel_param_ops poison_param_ops = {
	.set = poison_param_set,
	.get = param_get_bool,
};
module_param_cb(quarantine_kb, &quarantine_kb_param_ops, &sg_quarantine_kb, 0444);
MODULE_PARM_DESC(quarantine_kb, "quarantine: most KiB held before the oldest leaves");
module_param_cb(quarantine_ms, &quarantine_ms_param_ops, &sg_quarantine_ms, 0444);
MODULE_PARM_DESC(quarantine_ms, "quarantine: most ms an object is held");
module_param_cb(poison, &poison_param_ops, &sg_poison, 0444);
MODULE_PARM_DESC(poison, "quarantine: fill held objects with a pattern, check it on release: 0 (default) or 1");
static int tracker_max_param_set(const char *val, const struct kernel_param *kp)
{
	int ret = sg_parse_uint(val, SG_TRACKER_MAX_MIN, SG_TRACKER_MAX, &sg_tracker_max);

	if (ret)
		pr_err("tracker_max=%s: must be a number of trackers from %u to %u\n",
		       val, SG_TRACKER_MAX_MIN, SG_TRACKER_MAX);
	return ret;
}

static const struct kernel_param_ops tracker_max_param_ops = {
	.set = tracker_max_param_set,
	.get = param_get_uint,
};
module_param_cb(tracker_max, &tracker_max_param_ops, &sg_tracker_max, 0444);
MODULE_PARM_DESC(tracker_max, "most trackers (48 bytes each, allocated by the page) for armed timers and held objects (default 1048576)");
static const struct kernel_param_ops report_limit_param_ops = {
	.set = report_limit_param_set,
	.get = param_get_uint,
};
module_param_cb(report_limit, &report_limit_param_ops, &sg_report_limit, 0444);
MODULE_PARM_DESC(report_limit, "reports printed per 5 s, the others only counted; 0: all (default 10)");

/* Read at load, and turned on then: the stack depot is set up in init. */
static bool param_track_stacks;

static int track_stacks_param_set(const char *val, const struct kernel_param *kp)
{
	if (sg_enabled_parse(val, &param_track_stacks)) {
		pr_err("track_stacks=%s: must be 1 or 0\n", val);
		return -EINVAL;
	}
	return 0;
}

static int track_stacks_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", READ_ONCE(sg_track_stacks) ? 'Y' : 'N');
}

static const struct kernel_param_ops track_stacks_param_ops = {
	.set = track_stacks_param_set,
	.get = track_stacks_param_get,
};
module_param_cb(track_stacks, &track_stacks_param_ops, NULL, 0444);
MODULE_PARM_DESC(track_stacks, "record the stack that armed each timer, and report it: 0 (default) or 1");

static int __init slubguard_init(void)
{
	int ret;

	ret = sg_compat_init();
	if (ret)
		return ret;
	ret = sg_pool_init();
	if (ret)
		return ret;
	ret = sg_registry_init(sg_kinds);
	if (ret)
		goto out_pool;
	ret = sg_tracepoints_init();
	if (ret)
		goto out_registry;
	/* Before the events: who armed a timer is known from the first on. */
	ret = sg_stacks_set(param_track_stacks);
	if (ret) {
		pr_err("track_stacks=1: the stack depot cannot be set up; not loading\n");
		goto out_registry;
	}
	if (param_enabled) {
		ret = sg_tracepoints_start("load");
		if (ret)
			goto out_registry;
	}
	sg_control_init(param_enabled);
	sg_quarantine_init();
	sg_quarantine_own_frees(sg_hooks_own_free_begin, sg_hooks_own_free_end);
	ret = sg_hooks_init(param_backend, param_enabled, param_policy == SG_POLICY_QUARANTINE);
	if (ret)
		goto out_quarantine;
	ret = sg_policy_set(param_policy);
	if (ret) {
		pr_err("policy=quarantine is not possible on this kernel now; not loading\n");
		goto out_hooks;
	}
	ret = sg_sysfs_init();
	if (ret)
		goto out_hooks;
	pr_info("loaded: version " SG_VERSION ", backend %s, policy %s, %s\n",
		sg_hooks_describe(), sg_policy_names[READ_ONCE(sg_policy)],
		param_enabled ? "enabled" : "disabled");
	return 0;

out_hooks:
	sg_hooks_exit();
out_quarantine:
	sg_quarantine_exit();
	sg_report_exit();
	sg_tracepoints_stop();
out_registry:
	sg_stacks_exit();
	sg_registry_exit();
out_pool:
	sg_pool_exit();
	return ret;
}

/*
 * Hooks first: once they are gone no free looks at the registry or adds to
 * the quarantine. Then everything held goes back to its allocator, then the
 * tracepoint probes go, and only then the memory they all used.
 */
static void __exit slubguard_exit(void)
{
	u64 held;

	sg_sysfs_exit();
	sg_hooks_exit();
	held = sg_quarantine_stat(SG_STAT_QUARANTINE_HELD);
	sg_quarantine_exit();
	sg_report_exit();
	sg_tracepoints_stop();
	sg_stacks_exit();
	sg_registry_exit();
	sg_pool_exit();
	pr_info("unloaded: released the %llu objects still in quarantine (%llu quarantined, %llu released in all)\n",
		held, sg_quarantine_stat(SG_STAT_QUARANTINED),
		sg_quarantine_stat(SG_STAT_RELEASED));
}

module_init(slubguard_init);
module_exit(slubguard_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION(SG_VERSION);
MODULE_DESCRIPTION("Catch frees of memory holding an armed hrtimer or timer_list");
MODULE_AUTHOR("The slubguard developers");
