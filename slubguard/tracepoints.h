/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracepoints.c: keeps the registry in step with the kernel's timer and
 * workqueue events, and notes the devres node a CPU gives back last.
 */
#ifndef SLUBGUARD_TRACEPOINTS_H
#define SLUBGUARD_TRACEPOINTS_H

#include <linux/percpu.h>

/**
 * struct sg_devres_note - the devres node this CPU gives back last
 * @node:	the node, which its kfree() frees next
 * @device:	its device's name
 * @driver:	the device's driver's name, or "(none)"
 */
struct sg_devres_note {
	const void *node;
	char device[40];
	char driver[24];
};
DECLARE_PER_CPU(struct sg_devres_note, sg_devres_note);

int sg_tracepoints_init(void);
int sg_tracepoints_start(const char *when);
void sg_tracepoints_stop(void);

#endif /* SLUBGUARD_TRACEPOINTS_H */
