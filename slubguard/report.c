// SPDX-License-Identifier: GPL-2.0
/*
 * Reports: a filled-in struct sg_report, printed by one printer.
 *
 * The title has a fixed grammar, like KASAN's and KFENCE's, so that tools that
 * bucket kernel crashes by title group slubguard's findings by culprit:
 *	BUG: slubguard: free of armed <kind> in <culprit>
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

#include "compat.h"
#include "slubguard.h"

static DEFINE_RAW_SPINLOCK(sg_report_lock);

unsigned int sg_report_limit = 10;

int sg_report_limit_parse(const char *buf, unsigned int *val)
{
	return sg_parse_uint(buf, 0, SG_REPORT_LIMIT_MAX, val);
}

/**
 * struct sg_report_window - how many reports of one sort were printed lately
 * @start:	when the window began, in jiffies
 * @printed:	reports printed in it
 * @missed:	reports not printed since the last one that was
 *
 * A storm of hits (thousands a second) must not flood the console: at most
 * sg_report_limit reports of each sort are printed per SG_REPORT_WINDOW_S
 * seconds; every hit is still counted. Guarded by sg_report_lock.
 */
struct sg_report_window {
	unsigned long start;
	unsigned int printed;
	unsigned int missed;
};

static struct sg_report_window sg_free_window, sg_poison_window;

/* Under sg_report_lock: may a report be printed now? */
static bool report_allowed(struct sg_report_window *w, bool always)
{
	unsigned int limit = READ_ONCE(sg_report_limit);

	if (!w->printed || time_after(jiffies, w->start + SG_REPORT_WINDOW_S * HZ)) {
		w->start = jiffies;
		w->printed = 0;
	}
	if (limit && w->printed >= limit && !always) {
		w->missed++;
		sg_count(SG_STAT_REPORTS_SUPPRESSED);
		return false;
	}
	w->printed++;
	if (w->missed) {
		pr_err("%u reports suppressed (report_limit: %u per %d s; stats/reports_suppressed counts them)\n",
		       w->missed, limit, SG_REPORT_WINDOW_S);
		w->missed = 0;
	}
	return true;
}

static const char * const sg_action_text[SG_NR_POLICIES] = {
	[SG_POLICY_WARN]	= "warn: the free goes on, the timer stays armed",
	[SG_POLICY_PANIC]	= "panic",
	[SG_POLICY_QUARANTINE]	= "quarantine",
};

static const char * const sg_outcome_text[] = {
	[SG_Q_HELD]		= "timers disarmed, object held",
	[SG_Q_HELD_DEFERRED]	= "object held; what could not be stopped here (a callback running, a work) is stopped in process context before it leaves",
	[SG_Q_NO_ROOM]		= "no room to hold the object: timers disarmed where possible, the free goes on",
};

static unsigned int find_entry(const unsigned long *entries, unsigned int nr,
			       unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < nr && entries[i] != addr; i++)
		;
	return i;
}

/*
 * The stack of the free without slubguard's and the allocator's frames: the
 * first frame kept is the culprit, found as the return address the hook saw.
 *
 * A frame-pointer unwinder that starts at a breakpoint on a function's first
 * instruction (the kprobe backend on arm64) reports the probed address, then
 * skips the caller, whose return address is still only in the link register.
 * The hook knows that address, so it is put back in its place. If neither is
 * found, the whole stack is kept.
 */
static void fill_stack(struct sg_report *r)
{
	unsigned long entries[SG_STACK_DEPTH + 16];
	unsigned int nr, i, n = 0;

	const char *wrapper;

	r->culprit = r->free->caller;
	r->via = r->free->via;
	nr = stack_trace_save(entries, ARRAY_SIZE(entries), 0);
	i = find_entry(entries, nr, r->free->caller);
	if (i == nr) {
		i = find_entry(entries, nr, r->free->ip);
		if (i < nr) {
			entries[i] = r->free->caller;
		} else {
			i = 0;
		}
	}
	/* A free made for its caller by krealloc() names that caller. */
	while (i + 1 < nr && entries[i] == r->culprit &&
	       (wrapper = sg_freeing_wrapper(entries[i]))) {
		r->via = wrapper;
		r->culprit = entries[++i];
	}
	n = min_t(unsigned int, nr - i, SG_STACK_DEPTH);
	memcpy(r->stack, &entries[i], n * sizeof(r->stack[0]));
	r->nr_stack = n;
}

/**
 * sg_alloc_name() - where an object came from, for a report
 * @obj:	the object
 * @cache:	its slab cache, or NULL
 *
 * Return: the cache's name, "vmalloc" or "(page allocator)".
 */
const char *sg_alloc_name(const void *obj, struct kmem_cache *cache)
{
	if (cache)
		return sg_cache_name(cache);
	return is_vmalloc_addr(obj) ? "vmalloc" : "(page allocator)";
}

/**
 * sg_report_fill_context() - fill in where and by whom the free was made
 * @r:	the report, with @r->free set
 */
void sg_report_fill_context(struct sg_report *r)
{
	r->cpu = raw_smp_processor_id();
	r->pid = task_pid_nr(current);
	strscpy(r->comm, current->comm, sizeof(r->comm));
	fill_stack(r);
}

static void print_timer(const struct sg_report *r, unsigned int i)
{
	s64 ns = r->timers[i].expires_ns;

	if (!r->timers[i].kind->expires_ns) {
		pr_err("%s at offset %lu: callback %pS, queued, not started\n",
		       r->timers[i].kind->name, r->timers[i].offset, r->timers[i].hint);
		return;
	}
	/* Overdue: not run yet, or its callback is running on another CPU. */
	if (ns < 0) {
		pr_err("%s at offset %lu: callback %pS, due %lld.%03lld ms ago\n",
		       r->timers[i].kind->name, r->timers[i].offset, r->timers[i].hint,
		       -ns / NSEC_PER_MSEC, -ns % NSEC_PER_MSEC / NSEC_PER_USEC);
		return;
	}
	pr_err("%s at offset %lu: callback %pS, expires in %lld.%03lld ms\n",
	       r->timers[i].kind->name, r->timers[i].offset, r->timers[i].hint,
	       ns / NSEC_PER_MSEC, ns % NSEC_PER_MSEC / NSEC_PER_USEC);
}

/**
 * sg_report_print() - print a report on the console
 * @r:	the report
 */
void sg_report_print(const struct sg_report *r)
{
	const struct sg_free *f = r->free;
	unsigned long flags;
	unsigned int i;

	/* One report at a time, so concurrent ones do not interleave. */
	raw_spin_lock_irqsave(&sg_report_lock, flags);
	/* A report before a panic is always printed. */
	if (!report_allowed(&sg_free_window, r->action == SG_POLICY_PANIC)) {
		raw_spin_unlock_irqrestore(&sg_report_lock, flags);
		return;
	}
	pr_err("==================================================================\n");
	/* The title carries no pr_fmt() prefix: its grammar is fixed. */
	printk(KERN_ERR "BUG: slubguard: free of armed %s in %pS\n",
	       r->timers[0].kind->name, (void *)r->culprit);
	pr_err("%s(%p) of a %zu-byte object from %s%s, holding %u armed timer%s:\n",
	       r->via, f->obj, f->size, f->cache ? "cache " : "", r->cache_name, r->nr_timers,
	       r->nr_timers == 1 ? "" : "s");
	for (i = 0; i < r->nr_timers; i++)
		print_timer(r, i);
	if (r->action == SG_POLICY_QUARANTINE)
		pr_err("action: %s: %s%s\n", sg_action_text[r->action],
		       sg_outcome_text[r->outcome],
		       r->unpoisonable ? "; not poisoned: its cache has a constructor or is SLAB_TYPESAFE_BY_RCU" : "");
	else
		pr_err("action: %s\n", sg_action_text[r->action]);
	pr_err("freed by task %d (%s) on cpu %d:\n", r->pid, r->comm, r->cpu);
	/*
	 * At KERN_ERR, not stack_trace_print()'s default level: a console
	 * booted with "quiet" still shows the whole report.
	 */
	for (i = 0; i < r->nr_stack; i++)
		printk(KERN_ERR "  %pS\n", (void *)r->stack[i]);
	pr_err("==================================================================\n");
	raw_spin_unlock_irqrestore(&sg_report_lock, flags);
}

/* At most this many bytes of a written range are shown. */
#define SG_POISON_SHOWN	32

/**
 * sg_report_poison() - report a write into a poisoned object in quarantine
 * @cache_name:	where the object came from
 * @obj:	the object
 * @size:	its size
 * @first:	offset of the first byte found changed
 * @last:	offset of the last
 * @changed:	how many bytes changed
 *
 * Found when the object leaves the quarantine, so there is no culprit stack:
 * the offsets, and the bytes written there, say which field was written.
 */
void sg_report_poison(const char *cache_name, const u8 *obj, size_t size,
		      size_t first, size_t last, size_t changed)
{
	int shown = min_t(size_t, last - first + 1, SG_POISON_SHOWN);
	unsigned long flags;

	raw_spin_lock_irqsave(&sg_report_lock, flags);
	if (!report_allowed(&sg_poison_window, false)) {
		raw_spin_unlock_irqrestore(&sg_report_lock, flags);
		return;
	}
	pr_err("==================================================================\n");
	printk(KERN_ERR "BUG: slubguard: write after free in %s\n", cache_name);
	pr_err("%zu byte%s changed in a quarantined %zu-byte object, at offsets %zu to %zu\n",
	       changed, changed == 1 ? "" : "s", size, first, last);
	pr_err("first changed byte: offset %zu is 0x%02x, poison is 0x%02x\n",
	       first, obj[first], SG_POISON_BYTE);
	pr_err("bytes %zu to %zu: %*ph%s\n", first, first + shown - 1, shown,
	       obj + first, first + shown - 1 < last ? " ..." : "");
	pr_err("==================================================================\n");
	raw_spin_unlock_irqrestore(&sg_report_lock, flags);
}
