// SPDX-License-Identifier: GPL-2.0
/*
 * The node pool: fixed-size records (registry trackers, quarantine entries)
 * for code that runs with any lock held and must not allocate.
 *
 * Nodes live in pages slubguard owns and never gives back through a hooked
 * function. The pool is refilled from process context: a get that leaves it
 * low kicks an irq_work, which is safe in any context, and that schedules the
 * refill work. An empty pool makes a get fail; callers count that and go on.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/percpu.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "pool.h"

/*
 * Below this many free nodes, or an eighth of those in use, refill: up to
 * this many free, or a quarter of those in use. The pool grows ahead of a
 * burst of arms (a million timers armed in a loop) by a share of its size
 * rather than a page at a time, and idles with at most a quarter spare
 * (60 bytes per armed timer at most, with trackers of 48).
 */
#define SG_POOL_LOW		256
#define SG_POOL_TARGET		1024

/*
 * The most nodes allocated, free or in use (tracker_max, read at load); the
 * last page is used in part when the bound falls inside it.
 */
unsigned int sg_tracker_max = SG_TRACKER_MAX;

struct sg_node {
	struct hlist_node free;
	char payload[SG_NODE_SIZE - sizeof(struct hlist_node)];
};

/**
 * struct sg_pool - free nodes and the pages they live in
 * @lock:	guards every field; innermost lock of slubguard
 * @free:	free nodes not kept by a CPU
 * @nr_free:	nodes on @free
 * @nr_total:	nodes allocated, free or in use
 * @pages:	pages holding the nodes, linked through page->lru
 */
static struct sg_pool {
	raw_spinlock_t lock;
	struct hlist_head free;
	unsigned int nr_free;
	unsigned int nr_total;
	struct list_head pages;
} sg_pool = {
	.lock	= __RAW_SPIN_LOCK_UNLOCKED(sg_pool.lock),
	.pages	= LIST_HEAD_INIT(sg_pool.pages),
};

/* Under the pool's lock. */
static unsigned int pool_low(void)
{
	return max(SG_POOL_LOW, (sg_pool.nr_total - sg_pool.nr_free) / 8);
}

static unsigned int pool_target(void)
{
	return max(SG_POOL_TARGET, (sg_pool.nr_total - sg_pool.nr_free) / 4);
}

static void pool_refill_fn(struct work_struct *work);
static DECLARE_WORK(sg_refill_work, pool_refill_fn);

/* Unbound: another CPU may refill while the one arming goes on arming. */
static void pool_kick_fn(struct irq_work *work)
{
	queue_work(system_unbound_wq, &sg_refill_work);
}
static DEFINE_IRQ_WORK(sg_refill_kick, pool_kick_fn);

static void pool_refill_fn(struct work_struct *work)
{
	const unsigned int per_page = PAGE_SIZE / sizeof(struct sg_node);

	for (;;) {
		unsigned int i, nr;
		struct sg_node *n;
		struct page *page;
		unsigned long flags;

		raw_spin_lock_irqsave(&sg_pool.lock, flags);
		nr = min(per_page, sg_tracker_max - sg_pool.nr_total);
		if (sg_pool.nr_free >= pool_target() || !nr) {
			raw_spin_unlock_irqrestore(&sg_pool.lock, flags);
			return;
		}
		raw_spin_unlock_irqrestore(&sg_pool.lock, flags);

		page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (!page)
			return;
		n = page_address(page);

		/* Only this work adds nodes: @nr still fits. */
		raw_spin_lock_irqsave(&sg_pool.lock, flags);
		list_add(&page->lru, &sg_pool.pages);
		for (i = 0; i < nr; i++)
			hlist_add_head(&n[i].free, &sg_pool.free);
		sg_pool.nr_free += nr;
		sg_pool.nr_total += nr;
		raw_spin_unlock_irqrestore(&sg_pool.lock, flags);
	}
}

DEFINE_PER_CPU(struct sg_cpu_nodes, sg_cpu_nodes);

static void move_nodes(struct hlist_head *from, struct hlist_head *to, unsigned int nr)
{
	while (nr--) {
		struct hlist_node *n = from->first;

		hlist_del(n);
		hlist_add_head(n, to);
	}
}

/**
 * sg_cpu_refill() - a batch of free nodes for this CPU, interrupts off
 * @c:		this CPU's nodes
 *
 * Return: false if the pool is empty.
 */
bool sg_cpu_refill(struct sg_cpu_nodes *c)
{
	unsigned int nr;
	bool low;

	raw_spin_lock(&sg_pool.lock);
	nr = min_t(unsigned int, SG_CPU_BATCH, sg_pool.nr_free);
	move_nodes(&sg_pool.free, &c->free, nr);
	sg_pool.nr_free -= nr;
	c->nr += nr;
	low = sg_pool.nr_free < pool_low();
	raw_spin_unlock(&sg_pool.lock);

	if (low)
		irq_work_queue(&sg_refill_kick);
	return nr;
}

/**
 * sg_cpu_spill() - give a batch of this CPU's free nodes back, interrupts off
 * @c:		this CPU's nodes
 */
void sg_cpu_spill(struct sg_cpu_nodes *c)
{
	raw_spin_lock(&sg_pool.lock);
	move_nodes(&c->free, &sg_pool.free, SG_CPU_BATCH);
	sg_pool.nr_free += SG_CPU_BATCH;
	raw_spin_unlock(&sg_pool.lock);
	c->nr -= SG_CPU_BATCH;
}

/* The same, in any context. */
void *sg_node_get(void)
{
	unsigned long flags;
	void *n;

	local_irq_save(flags);
	n = __sg_node_get();
	local_irq_restore(flags);
	return n;
}

void sg_node_put(void *node)
{
	unsigned long flags;

	local_irq_save(flags);
	__sg_node_put(node);
	local_irq_restore(flags);
}

u64 sg_pool_capacity(void)
{
	return READ_ONCE(sg_pool.nr_total);
}

/* The pages the nodes live in. */
u64 sg_pool_bytes(void)
{
	const unsigned int per_page = PAGE_SIZE / sizeof(struct sg_node);

	return (u64)DIV_ROUND_UP(READ_ONCE(sg_pool.nr_total), per_page) * PAGE_SIZE;
}

int sg_pool_init(void)
{
	pool_refill_fn(NULL);
	if (!sg_pool.nr_free) {
		pr_err("cannot allocate the node pool\n");
		return -ENOMEM;
	}
	return 0;
}

/* Called once no node is in use any more. */
void sg_pool_exit(void)
{
	struct page *page, *next;
	int cpu;

	irq_work_sync(&sg_refill_kick);
	cancel_work_sync(&sg_refill_work);
	list_for_each_entry_safe(page, next, &sg_pool.pages, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	INIT_HLIST_HEAD(&sg_pool.free);
	for_each_possible_cpu(cpu) {
		INIT_HLIST_HEAD(&per_cpu(sg_cpu_nodes, cpu).free);
		per_cpu(sg_cpu_nodes, cpu).nr = 0;
	}
	sg_pool.nr_free = 0;
	sg_pool.nr_total = 0;
}
