// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/slubguard: the control interface.
 *
 *	policy		every policy, the active one in brackets; write a name
 *	enabled		1 or 0
 *	backend		how frees are hooked (read-only)
 *	hooks		each hooked function and its state (read-only)
 *	quarantine_kb	most KiB the quarantine holds
 *	quarantine_ms	most ms it holds an object
 *	poison		1 or 0: poison what it holds
 *	report_limit	reports printed per 5 s (0: all)
 *	track_stacks	1 or 0: record who armed each timer
 *	reports		the last reports, as the console printed them (root)
 *	stats/<name>	one decimal number per counter
 *
 * A write that is not exactly valid fails with -EINVAL and changes nothing.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "../slubguard/slubguard.h"
#include "../slubguard/check.h"
#include "../slubguard/hooks.h"
#include "../slubguard/quarantine.h"
#include "../slubguard/report.h"
#include "../slubguard/stacks.h"

static struct kobject *sg_kobj;

static ssize_t policy_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	int active = READ_ONCE(sg_policy);
	int i, len = 0;

	for (i = 0; i < SG_NR_POLICIES; i++)
		len += sysfs_emit_at(buf, len, i == active ? "%s[%s]" : "%s%s",
				     i ? " " : "", sg_policy_names[i]);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

static ssize_t policy_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	int p = sg_policy_parse(buf);
	int ret = p < 0 ? p : sg_policy_set(p);

	return ret ?: count;
}

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", sg_is_enabled());
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	bool on;
	int ret = sg_enabled_parse(buf, &on);

	if (ret)
		return ret;
	return sg_set_enabled(on) ?: count;
}

static ssize_t hooks_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sg_hooks_show(buf);
}

static ssize_t backend_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", sg_hooks_backend_name());
}

/*
 * The quarantine's bounds and the report limit: a number each, parsed as its
 * module parameter is.
 */
struct sg_bound_attr {
	struct kobj_attribute attr;
	unsigned int *val;
	int (*parse)(const char *buf, unsigned int *val);
};

static ssize_t bound_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct sg_bound_attr *ba = container_of(attr, struct sg_bound_attr, attr);

	return sysfs_emit(buf, "%u\n", READ_ONCE(*ba->val));
}

static ssize_t bound_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct sg_bound_attr *ba = container_of(attr, struct sg_bound_attr, attr);
	unsigned int val;
	int ret = ba->parse(buf, &val);

	if (ret)
		return ret;
	WRITE_ONCE(*ba->val, val);
	/* A lower bound may let objects leave now. */
	sg_quarantine_kick();
	return count;
}

#define SG_BOUND_ATTR(_name) {						\
	.attr	= __ATTR(_name, 0644, bound_show, bound_store),		\
	.val	= &sg_##_name,						\
	.parse	= sg_##_name##_parse,					\
}

static struct sg_bound_attr quarantine_kb_attr = SG_BOUND_ATTR(quarantine_kb);
static struct sg_bound_attr quarantine_ms_attr = SG_BOUND_ATTR(quarantine_ms);
static struct sg_bound_attr report_limit_attr = SG_BOUND_ATTR(report_limit);

static ssize_t poison_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(sg_poison));
}

static ssize_t poison_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	bool on;
	int ret = sg_enabled_parse(buf, &on);

	if (ret)
		return ret;
	WRITE_ONCE(sg_poison, on);
	return count;
}

static ssize_t track_stacks_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(sg_track_stacks));
}

static ssize_t track_stacks_store(struct kobject *kobj, struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	bool on;
	int ret = sg_enabled_parse(buf, &on);

	if (ret)
		return ret;
	return sg_stacks_set(on) ?: count;
}

static struct kobj_attribute policy_attr = __ATTR_RW_MODE(policy, 0644);
static struct kobj_attribute enabled_attr = __ATTR_RW_MODE(enabled, 0644);
static struct kobj_attribute backend_attr = __ATTR_RO(backend);
static struct kobj_attribute hooks_attr = __ATTR_RO(hooks);
static struct kobj_attribute poison_attr = __ATTR_RW_MODE(poison, 0644);
static struct kobj_attribute track_stacks_attr = __ATTR_RW_MODE(track_stacks, 0644);

static struct attribute *sg_attrs[] = {
	&policy_attr.attr,
	&enabled_attr.attr,
	&backend_attr.attr,
	&hooks_attr.attr,
	&quarantine_kb_attr.attr.attr,
	&quarantine_ms_attr.attr.attr,
	&poison_attr.attr,
	&report_limit_attr.attr.attr,
	&track_stacks_attr.attr,
	NULL,
};

/*
 * The last reports in full: text longer than a page, so a binary attribute.
 * Only root reads it: reports hold addresses.
 */
static ssize_t reports_read(struct file *file, struct kobject *kobj,
			    struct bin_attribute *attr, char *buf, loff_t off, size_t count)
{
	return sg_report_read(buf, off, count);
}

static struct bin_attribute reports_attr = {
	.attr	= { .name = "reports", .mode = 0400 },
	.read	= reports_read,
};

static struct bin_attribute *sg_bin_attrs[] = {
	&reports_attr,
	NULL,
};

static const struct attribute_group sg_group = {
	.attrs = sg_attrs,
	.bin_attrs = sg_bin_attrs,
};

/* stats/: one file per entry of sg_stat_names[], all read by one function. */
struct sg_stat_attr {
	struct kobj_attribute attr;
	enum sg_stat stat;
};

static struct sg_stat_attr sg_stat_attrs[SG_NR_STATS];
static struct attribute *sg_stat_ptrs[SG_NR_STATS + 1];

static ssize_t stat_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct sg_stat_attr *sa = container_of(attr, struct sg_stat_attr, attr);

	return sysfs_emit(buf, "%llu\n", sg_stat_read(sa->stat));
}

static const struct attribute_group sg_stats_group = {
	.name	= "stats",
	.attrs	= sg_stat_ptrs,
};

int sg_sysfs_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < SG_NR_STATS; i++) {
		struct sg_stat_attr *sa = &sg_stat_attrs[i];

		sysfs_attr_init(&sa->attr.attr);
		sa->attr.attr.name = sg_stat_names[i];
		sa->attr.attr.mode = 0444;
		sa->attr.show = stat_show;
		sa->stat = i;
		sg_stat_ptrs[i] = &sa->attr.attr;
	}

	sg_kobj = kobject_create_and_add("slubguard", kernel_kobj);
	if (!sg_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(sg_kobj, &sg_group);
	if (!ret)
		ret = sysfs_create_group(sg_kobj, &sg_stats_group);
	if (ret) {
		pr_err("cannot create /sys/kernel/slubguard: %d\n", ret);
		kobject_put(sg_kobj);
		sg_kobj = NULL;
	}
	return ret;
}

void sg_sysfs_exit(void)
{
	kobject_put(sg_kobj);
	sg_kobj = NULL;
}
