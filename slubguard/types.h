/* SPDX-License-Identifier: GPL-2.0 */
/*
 * types.c: the kinds of object slubguard tracks (struct sg_kind), how each
 * is read live, and a free waiting for a callback on another CPU.
 */
#ifndef SLUBGUARD_TYPES_H
#define SLUBGUARD_TYPES_H

#include "registry.h"

/*
 * How long a free waits for a callback running on another CPU before it
 * calls the free a use of the object under its callback. A callback that
 * signalled its owner returns within microseconds; the bound is that long
 * because an emulated or overcommitted CPU may not run for tens of ms.
 * While the callback's CPU takes no timer interrupt at all, it is not
 * running (its virtual CPU is descheduled by the host) or runs with
 * interrupts off: the wait goes on, up to SG_RUNNING_WAIT_MAX_MS (a
 * correct driver's free was once reported so, under TCG with the host
 * overloaded: the callback's CPU stopped between its last store and its
 * return for more than 200 ms).
 */
#define SG_RUNNING_WAIT_MS	200
#define SG_RUNNING_WAIT_MAX_MS	2000

/**
 * struct sg_wait - a free waiting for a callback on another CPU
 * @deadline:	SG_RUNNING_WAIT_MS from the start
 * @last:	SG_RUNNING_WAIT_MAX_MS from the start
 * @events:	the CPU's timer interrupts at the start
 * @known:	@events can be read for that CPU
 * @cpu:	the CPU the callback runs on
 */
struct sg_wait {
	u64 deadline;
	u64 last;
	unsigned int events;
	bool known;
	int cpu;
};

void sg_wait_start(struct sg_wait *w, int cpu);
bool sg_wait_over(struct sg_wait *w);
bool sg_wait_stamp(const void *obj, u64 stamp, int cpu);

struct hrtimer_cpu_base;
void sg_cpu_base_set(int cpu, struct hrtimer_cpu_base *base);
bool sg_cpu_events(int cpu, unsigned int *events);

extern const struct sg_kind *const sg_kinds[SG_NR_KINDS];
bool sg_kthread_work_queued(const void *obj);

bool sg_hit_is_live(struct sg_hit *hit);

#endif /* SLUBGUARD_TYPES_H */
