/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stacks.c: who armed each timer (track_stacks=1).
 */
#ifndef SLUBGUARD_STACKS_H
#define SLUBGUARD_STACKS_H

#include <linux/types.h>
#include <linux/jump_label.h>

#define SG_ARM_STACK_DEPTH	16
DECLARE_STATIC_KEY_FALSE(sg_track_stacks_key);
extern bool sg_track_stacks;		/* READ_ONCE() */
u32 sg_stack_save(void);
unsigned int sg_stack_fetch(u32 handle, unsigned long **entries);
int sg_stacks_set(bool on);
void sg_stacks_exit(void);

#endif /* SLUBGUARD_STACKS_H */
