// SPDX-License-Identifier: GPL-2.0
/*
 * What every layer uses: the counters, the names of the policies and
 * counters, the settings' parsers, and slubguard's trace events.
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "common.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

const char * const sg_policy_names[SG_NR_POLICIES] = {
	[SG_POLICY_WARN]	= "warn",
	[SG_POLICY_PANIC]	= "panic",
	[SG_POLICY_QUARANTINE]	= "quarantine",
};

const char * const sg_stat_names[SG_NR_STATS] = {
	[SG_STAT_FREES_CHECKED]		= "frees_checked",
	[SG_STAT_ARMED_FREES]		= "armed_frees",
	[SG_STAT_ARMED_HRTIMER]		= "armed_hrtimer",
	[SG_STAT_ARMED_TIMER_LIST]	= "armed_timer_list",
	[SG_STAT_ARMED_DELAYED_WORK]	= "armed_delayed_work",
	[SG_STAT_ARMED_WORK]		= "armed_work_struct",
	[SG_STAT_ARMED_KTHREAD_WORK]	= "armed_kthread_work",
	[SG_STAT_ARMED_KTHREAD_DELAYED_WORK] = "armed_kthread_delayed_work",
	[SG_STAT_STALE_SKIPPED]		= "stale_skipped",
	[SG_STAT_TRACK_FAILURES]	= "track_failures",
	[SG_STAT_DISARMED]		= "disarmed",
	[SG_STAT_DISARM_DEFERRED]	= "disarm_deferred",
	[SG_STAT_QUARANTINE_FAILURES]	= "quarantine_failures",
	[SG_STAT_POISON_VIOLATIONS]	= "poison_violations",
	[SG_STAT_REPEATS]		= "repeat_hits",
	[SG_STAT_REPORTS_SUPPRESSED]	= "reports_suppressed",
	[SG_STAT_STACK_FAILURES]	= "stack_failures",
	[SG_STAT_ARMED_AFTER_FREE]	= "armed_after_free",
	[SG_STAT_QUARANTINED]		= "quarantined",
	[SG_STAT_RELEASED]		= "released",
	[SG_STAT_QUARANTINE_HELD]	= "quarantine_held",
	[SG_STAT_QUARANTINE_BYTES]	= "quarantine_bytes",
	[SG_STAT_TRACKED]		= "tracked",
	[SG_STAT_TRACKER_CAPACITY]	= "tracker_capacity",
	[SG_STAT_TRACKER_BYTES]		= "tracker_bytes",
	[SG_STAT_HOOKS_LIVE]		= "hooks_live",
	[SG_STAT_HOOKS_MISSED]		= "hooks_missed",
};
static_assert(ARRAY_SIZE(sg_stat_names) == SG_NR_STATS);

DEFINE_PER_CPU(unsigned long [SG_NR_COUNTERS], sg_counters);

/**
 * sg_policy_parse() - a policy from its name
 * @buf:	the name, optionally followed by one newline
 *
 * Return: the policy, or -EINVAL if @buf is not exactly one of the names.
 */
int sg_policy_parse(const char *buf)
{
	int i = sysfs_match_string(sg_policy_names, buf);

	return i < 0 ? -EINVAL : i;
}

/**
 * sg_enabled_parse() - "1" or "0", optionally followed by one newline
 * @buf:	the text
 * @val:	set to the value when it is valid
 *
 * Stricter than kstrtobool(), which takes "yes-no" for yes: a setting either
 * parses whole or is refused.
 *
 * Return: 0, or -EINVAL.
 */
int sg_enabled_parse(const char *buf, bool *val)
{
	if ((buf[0] != '0' && buf[0] != '1') ||
	    (buf[1] && !(buf[1] == '\n' && !buf[2])))
		return -EINVAL;
	*val = buf[0] == '1';
	return 0;
}

/**
 * sg_parse_uint() - a decimal number in a range, optionally followed by one newline
 * @buf:	the text
 * @min:	the smallest value accepted
 * @max:	the largest
 * @val:	set to the value when it is valid
 *
 * No sign, no base prefix, no spaces: a setting either parses whole or is
 * refused.
 *
 * Return: 0, or -EINVAL.
 */
int sg_parse_uint(const char *buf, unsigned int min, unsigned int max, unsigned int *val)
{
	unsigned int v;
	size_t len = strlen(buf);

	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len > 10 || buf[0] < '0' || buf[0] > '9')
		return -EINVAL;
	if (kstrtouint(buf, 10, &v) || v < min || v > max)
		return -EINVAL;
	*val = v;
	return 0;
}
