/* SPDX-License-Identifier: GPL-2.0 */
/*
 * report.c: a filled-in struct sg_report, printed by one printer, and the
 * last reports kept for /sys/kernel/slubguard/reports.
 */
#ifndef SLUBGUARD_REPORT_H
#define SLUBGUARD_REPORT_H

#include <linux/percpu.h>

#include "common.h"
#include "registry.h"

/**
 * enum sg_quarantine_result - what became of a hit under the quarantine policy
 * @SG_Q_HELD:		disarmed and held
 * @SG_Q_HELD_DEFERRED:	held; a running callback is waited for later
 * @SG_Q_NO_ROOM:	no record free: disarmed if possible, the free goes on
 */
enum sg_quarantine_result {
	SG_Q_HELD,
	SG_Q_HELD_DEFERRED,
	SG_Q_NO_ROOM,
};

extern unsigned int sg_report_limit;	/* READ_ONCE(); reports per window, 0: all */
#define SG_REPORT_WINDOW_S	5
#define SG_REPORT_LIMIT_MAX	1000000
int sg_report_limit_parse(const char *buf, unsigned int *val);
#define SG_STACK_DEPTH	24

/**
 * struct sg_report - everything one report prints, filled in before printing
 * @free:	the offending free
 * @cache_name:	name of its cache, or a description of where the memory came from
 * @nr_timers:	how many armed objects it holds (entries used in @timers)
 * @timers:	each armed object: kind, offset in the object, callback, expiry,
 *		the stack that armed it (track_stacks=1), and the CPU its
 *		callback runs on if it is running rather than queued (else -1)
 * @action:	the policy applied
 * @outcome:	for SG_POLICY_QUARANTINE, what became of the object
 * @not_held:	the policy is quarantine, but this free cannot be diverted
 *		(the page allocator's): @action is SG_POLICY_WARN
 * @stack:	the stack of the free, starting at the culprit when found
 * @nr_stack:	entries used in @stack
 * @cpu:	where the free ran
 * @pid:	who freed
 * @comm:	who freed
 * @device:	for a devres node, its device's name; else empty
 * @driver:	for a devres node, its device's driver's name
 */
struct sg_report {
	const struct sg_free *free;
	unsigned long culprit;
	const char *via;
	const char *cache_name;
	unsigned int nr_timers;
	struct {
		const struct sg_kind *kind;
		unsigned long offset;
		void *hint;
		s64 expires_ns;
		u32 stack;
		int running_cpu;
	} timers[SG_MAX_HITS];
	enum sg_policy action;
	enum sg_quarantine_result outcome;
	bool not_held;
	bool unpoisonable;
	unsigned long stack[SG_STACK_DEPTH];
	unsigned int nr_stack;
	int cpu;
	pid_t pid;
	char comm[16];
	char device[40];
	char driver[24];
};

const char *sg_alloc_name(const void *obj, struct kmem_cache *cache);
void sg_report_fill_context(struct sg_report *r);

/* Reports kept for /sys/kernel/slubguard/reports, and the text of each. */
#define SG_REPORTS_KEPT		8
#define SG_REPORT_TEXT		16384	/* one report, kept */
#define SG_REPORTS_SPACE	32768	/* all kept reports */
ssize_t sg_report_read(char *buf, loff_t off, size_t count);
void sg_report_print(const struct sg_report *r);
void sg_report_exit(void);
DECLARE_PER_CPU(unsigned int, sg_print_deferred);
void sg_report_rearmed(const char *culprit, const char *cache_name, const void *obj,
		       size_t size, const struct sg_hit *hits, unsigned int nr);
void sg_report_poison(const char *culprit, const char *cache_name, const u8 *obj,
		      size_t size, size_t first, size_t last, size_t changed);

#endif /* SLUBGUARD_REPORT_H */
