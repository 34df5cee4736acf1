/* SPDX-License-Identifier: GPL-2.0 */
/*
 * funcs.c: the kernel's freeing functions as code addresses, for the hooks
 * (a free made inside an outer freeing function) and for the report (who
 * the culprit is, past the freeing functions on the stack).
 */
#ifndef SLUBGUARD_FUNCS_H
#define SLUBGUARD_FUNCS_H

#include <linux/types.h>

/* The most hooked functions sg_funcs_init() is told of. */
#define SG_FUNCS_HOOKED_MAX	16

void sg_funcs_init(const void *const *hooked, unsigned int nr);
bool sg_in_outer_function(unsigned long addr);
const char *sg_freeing_wrapper(unsigned long addr);
bool sg_is_freeing_function(unsigned long addr);

#endif /* SLUBGUARD_FUNCS_H */
