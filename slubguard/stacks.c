// SPDX-License-Identifier: GPL-2.0
/*
 * Who armed the timer: with track_stacks=1, each arm event saves its stack
 * in the kernel's stack depot, which keeps one copy of each distinct stack,
 * and the registry's entry keeps the 32-bit handle; a report prints it.
 *
 * An arm event runs under the timer base's raw lock, where nothing may be
 * allocated: it saves only into the depot's room at hand. That room is
 * topped up from process context, by a work queued whenever a save failed
 * and each time track_stacks is turned on; a save that failed is counted
 * in stats/stack_failures, and that timer's report says its stack is not
 * known.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/irq_work.h>
#include <linux/jump_label.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/stacktrace.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "common.h"
#include "stacks.h"

DEFINE_STATIC_KEY_FALSE(sg_track_stacks_key);

/* The module parameter and sysfs file; changed under sg_stacks_mutex. */
bool sg_track_stacks;
static DEFINE_MUTEX(sg_stacks_mutex);

/*
 * A stack saved, with GFP_KERNEL: if the depot's room for new stacks was
 * used up, this allocates the next. Which stack does not matter.
 */
static void topup_fn(struct work_struct *work)
{
	unsigned long entries[4];
	unsigned int nr = stack_trace_save(entries, ARRAY_SIZE(entries), 0);

	stack_depot_save(entries, nr, GFP_KERNEL);
}
static DECLARE_WORK(sg_topup_work, topup_fn);

static void kick_fn(struct irq_work *work)
{
	queue_work(system_unbound_wq, &sg_topup_work);
}
static DEFINE_IRQ_WORK(sg_topup_kick, kick_fn);

/**
 * sg_stack_save() - save the stack of an arm event
 *
 * With interrupts off, under the timer's lock; allocates nothing.
 *
 * Return: its handle in the stack depot, or 0 (counted) if it found no room.
 */
noinline u32 sg_stack_save(void)
{
	unsigned long entries[SG_ARM_STACK_DEPTH];
	unsigned int nr = stack_trace_save(entries, ARRAY_SIZE(entries), 1);
	u32 handle = sg_depot_save_noalloc(entries, nr);

	if (unlikely(!handle)) {
		sg_count(SG_STAT_STACK_FAILURES);
		irq_work_queue(&sg_topup_kick);
	}
	return handle;
}

/*
 * Frames of the arm event's own path: slubguard's probe and the
 * tracepoint's iterator.
 */
static bool arm_path(unsigned long addr)
{
	char name[KSYM_SYMBOL_LEN];

	if (within_module(addr, THIS_MODULE))
		return true;
	sprint_symbol_no_offset(name, addr);
	return str_has_prefix(name, "__traceiter_");
}

/**
 * sg_stack_fetch() - the stack a handle stands for
 * @handle:	from sg_stack_save()
 * @entries:	set to its frames, from the code that armed the timer on
 *
 * Return: the number of frames; 0 for no stack.
 */
unsigned int sg_stack_fetch(u32 handle, unsigned long **entries)
{
	unsigned int nr, skip = 0;

	if (!handle)
		return 0;
	nr = stack_depot_fetch(handle, entries);
	while (skip < nr && arm_path((*entries)[skip]))
		skip++;
	*entries += skip;
	return nr - skip;
}

/**
 * sg_stacks_set() - turn the recording of arming stacks on or off
 * @on:		the new value
 *
 * Process context. Timers armed before it was on have no stack.
 *
 * Return: 0, or -ENOMEM if the stack depot cannot be set up.
 */
int sg_stacks_set(bool on)
{
	int ret = 0;

	mutex_lock(&sg_stacks_mutex);
	if (on && !sg_track_stacks) {
		ret = stack_depot_init();
		if (!ret) {
			topup_fn(NULL);
			static_branch_enable(&sg_track_stacks_key);
		}
	} else if (!on && sg_track_stacks) {
		static_branch_disable(&sg_track_stacks_key);
	}
	if (!ret)
		WRITE_ONCE(sg_track_stacks, on);
	mutex_unlock(&sg_stacks_mutex);
	return ret;
}

/* Once no arm event reaches slubguard any more. */
void sg_stacks_exit(void)
{
	static_branch_disable(&sg_track_stacks_key);
	irq_work_sync(&sg_topup_kick);
	cancel_work_sync(&sg_topup_work);
}
