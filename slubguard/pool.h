/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pool.c: fixed-size records for code that must not allocate (the
 * registry's trackers, the quarantine's records).
 */
#ifndef SLUBGUARD_POOL_H
#define SLUBGUARD_POOL_H

#include <linux/list.h>
#include <linux/percpu.h>

#define SG_NODE_SIZE	48

/*
 * Each CPU keeps a few free nodes of its own, taken from and given back to
 * the pool a batch at a time, so that arming and disarming a timer takes no
 * shared lock. With interrupts off, nothing else on the CPU touches them.
 */
/* tracker_max: the most pool nodes (trackers and quarantine records). */
#define SG_TRACKER_MAX_MIN	64
#define SG_TRACKER_MAX		(1U << 20)
extern unsigned int sg_tracker_max;

#define SG_CPU_BATCH	32
#define SG_CPU_MAX	(2 * SG_CPU_BATCH)

struct sg_cpu_nodes {
	struct hlist_head free;
	unsigned int nr;
};
DECLARE_PER_CPU(struct sg_cpu_nodes, sg_cpu_nodes);

bool sg_cpu_refill(struct sg_cpu_nodes *c);
void sg_cpu_spill(struct sg_cpu_nodes *c);

/**
 * __sg_node_get() - a free node, with interrupts off
 *
 * Return: SG_NODE_SIZE bytes, uninitialised, or NULL if the pool is empty.
 */
static inline void *__sg_node_get(void)
{
	struct sg_cpu_nodes *c = this_cpu_ptr(&sg_cpu_nodes);
	struct hlist_node *n;

	if (unlikely(!c->nr) && !sg_cpu_refill(c))
		return NULL;
	n = c->free.first;
	hlist_del(n);
	c->nr--;
	return n;
}

/**
 * __sg_node_put() - give a node back, with interrupts off
 * @node:	from a get, on any CPU
 */
static inline void __sg_node_put(void *node)
{
	struct sg_cpu_nodes *c = this_cpu_ptr(&sg_cpu_nodes);

	hlist_add_head(node, &c->free);
	if (unlikely(++c->nr > SG_CPU_MAX))
		sg_cpu_spill(c);
}

void *sg_node_get(void);
void sg_node_put(void *node);
u64 sg_pool_capacity(void);
u64 sg_pool_bytes(void);
int sg_pool_init(void);
void sg_pool_exit(void);

#endif /* SLUBGUARD_POOL_H */
