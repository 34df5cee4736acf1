/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slubguard: catch frees of memory that still holds an armed timer.
 *
 * The module's control, as sysfs/ and main.c see it (control.c). Each
 * subsystem has its own header next to it; the files call one way only,
 * down this list, the way a free's data flows (a file may call those below
 * it, never above):
 *
 *	main.c			module parameters; load and unload
 *	sysfs/sysfs.c		/sys/kernel/slubguard
 *	control.c		enabling, disabling, policy changes, counters
 *	hooks_install.c		installs the hooks by one backend
 *	hook_ftrace.c, hook_kprobe.c, hook_tracepoint.c	the backends
 *	direct_<arch>.S		kfree()'s and kmem_cache_free()'s trampolines
 *	hooks.c			the free path: each freeing function's handler
 *	check.c			a free against the registry; what a hit does
 *	quarantine.c		hits kept off the allocator
 *	report.c		what a hit prints
 *	tracepoints.c		timer and workqueue events into the registry
 *	types.c			the kinds of timer, read live
 *	registry.c		which objects are armed
 *	pool.c, stacks.c, funcs.c	records, arming stacks, freeing functions
 *	common.c, compat.c	counters, names, parsing, trace events; kernel
 *				versions
 *
 * Files on one line do not call each other. Calls upward go through data a
 * lower file is handed, never by name: the registry calls a kind's
 * operations through the table main.c hands it (types.c's), the quarantine
 * the hooks' count of their own frees (sg_quarantine_own_frees()). make
 * check checks the order on the built objects (tests/lib/layers.py).
 */
#ifndef SLUBGUARD_H
#define SLUBGUARD_H

#include "common.h"

void sg_control_init(bool enabled);
u64 sg_stat_read(enum sg_stat stat);
int sg_policy_set(int policy);
bool sg_is_enabled(void);
int sg_set_enabled(bool on);

/* sysfs/sysfs.c */
int sg_sysfs_init(void);
void sg_sysfs_exit(void);

#endif /* SLUBGUARD_H */
