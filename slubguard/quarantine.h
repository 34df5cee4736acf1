/* SPDX-License-Identifier: GPL-2.0 */
/*
 * quarantine.c: hits kept off the allocator for a while, disarmed and
 * optionally poisoned, then given back the way their owner freed them.
 */
#ifndef SLUBGUARD_QUARANTINE_H
#define SLUBGUARD_QUARANTINE_H

#include <linux/percpu.h>
#include <asm/current.h>

#include "common.h"
#include "registry.h"
#include "report.h"

extern unsigned int sg_quarantine_kb;	/* READ_ONCE(); bound on bytes held */
extern unsigned int sg_quarantine_ms;	/* READ_ONCE(); bound on time held */
extern bool sg_poison;			/* READ_ONCE(); poison what is held */

enum sg_quarantine_result sg_quarantine(const struct sg_free *free, unsigned long culprit,
					const struct sg_hit *hits, unsigned int nr);
DECLARE_PER_CPU(const void *, sg_releasing);
extern const void *sg_releasing_slow;
extern struct task_struct *sg_releasing_task;

/**
 * sg_quarantine_releasing() - is @ptr being given back by the quarantine?
 * @ptr:	an object being freed, or a cache being destroyed
 *
 * Return: true if the hooks must let this call through unchecked.
 */
static inline bool sg_quarantine_releasing(const void *ptr)
{
	return this_cpu_read(sg_releasing) == ptr ||
	       (READ_ONCE(sg_releasing_slow) == ptr && READ_ONCE(sg_releasing_task) == current);
}
bool sg_quarantine_poisonable(const struct sg_free *free);
void sg_quarantine_give_back(const void *obj, struct kmem_cache *cache, size_t size,
			     enum sg_giveback how);
bool sg_quarantine_cache_destroy(struct kmem_cache *cache, bool can_defer);
void sg_quarantine_kick(void);
u64 sg_quarantine_stat(enum sg_stat stat);
int sg_quarantine_kb_parse(const char *buf, unsigned int *val);
int sg_quarantine_ms_parse(const char *buf, unsigned int *val);
void sg_quarantine_own_frees(u64 (*begin)(void), void (*end)(u64 before));
void sg_quarantine_init(void);
void sg_quarantine_exit(void);

#endif /* SLUBGUARD_QUARANTINE_H */
