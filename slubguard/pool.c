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
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "slubguard.h"

#define SG_POOL_LOW		256	/* below this many free nodes, refill */
#define SG_POOL_TARGET		1024	/* refill up to this many free */
#define SG_POOL_MAX		(1U << 20) /* never allocate more than this */

struct sg_node {
	struct hlist_node free;
	char payload[SG_NODE_SIZE - sizeof(struct hlist_node)];
};

/**
 * struct sg_pool - free nodes and the pages they live in
 * @lock:	guards every field; innermost lock of slubguard
 * @free:	free nodes
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

static void pool_refill_fn(struct work_struct *work);
static DECLARE_WORK(sg_refill_work, pool_refill_fn);

static void pool_kick_fn(struct irq_work *work)
{
	schedule_work(&sg_refill_work);
}
static DEFINE_IRQ_WORK(sg_refill_kick, pool_kick_fn);

static void pool_refill_fn(struct work_struct *work)
{
	const unsigned int per_page = PAGE_SIZE / sizeof(struct sg_node);

	for (;;) {
		struct sg_node *n;
		struct page *page;
		unsigned long flags;
		unsigned int i;

		raw_spin_lock_irqsave(&sg_pool.lock, flags);
		if (sg_pool.nr_free >= SG_POOL_TARGET ||
		    sg_pool.nr_total + per_page > SG_POOL_MAX) {
			raw_spin_unlock_irqrestore(&sg_pool.lock, flags);
			return;
		}
		raw_spin_unlock_irqrestore(&sg_pool.lock, flags);

		page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (!page)
			return;
		n = page_address(page);

		raw_spin_lock_irqsave(&sg_pool.lock, flags);
		list_add(&page->lru, &sg_pool.pages);
		for (i = 0; i < per_page; i++)
			hlist_add_head(&n[i].free, &sg_pool.free);
		sg_pool.nr_free += per_page;
		sg_pool.nr_total += per_page;
		raw_spin_unlock_irqrestore(&sg_pool.lock, flags);
	}
}

/**
 * sg_node_get() - a free node, in any context
 *
 * Return: SG_NODE_SIZE bytes, uninitialised, or NULL if the pool is empty.
 */
void *sg_node_get(void)
{
	struct sg_node *n = NULL;
	unsigned long flags;
	bool low;

	raw_spin_lock_irqsave(&sg_pool.lock, flags);
	if (!hlist_empty(&sg_pool.free)) {
		n = hlist_entry(sg_pool.free.first, struct sg_node, free);
		hlist_del(&n->free);
		sg_pool.nr_free--;
	}
	low = sg_pool.nr_free < SG_POOL_LOW;
	raw_spin_unlock_irqrestore(&sg_pool.lock, flags);

	if (low)
		irq_work_queue(&sg_refill_kick);
	return n;
}

/**
 * sg_node_put() - give a node back, in any context
 * @node:	from sg_node_get()
 */
void sg_node_put(void *node)
{
	struct sg_node *n = node;
	unsigned long flags;

	raw_spin_lock_irqsave(&sg_pool.lock, flags);
	hlist_add_head(&n->free, &sg_pool.free);
	sg_pool.nr_free++;
	raw_spin_unlock_irqrestore(&sg_pool.lock, flags);
}

u64 sg_pool_capacity(void)
{
	return READ_ONCE(sg_pool.nr_total);
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

	irq_work_sync(&sg_refill_kick);
	cancel_work_sync(&sg_refill_work);
	list_for_each_entry_safe(page, next, &sg_pool.pages, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	INIT_HLIST_HEAD(&sg_pool.free);
	sg_pool.nr_free = 0;
	sg_pool.nr_total = 0;
}
