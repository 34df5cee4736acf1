/* SPDX-License-Identifier: GPL-2.0 */
/*
 * check.c: what one free is checked against (the registry), and what a
 * hit does (the policy: a report, a panic, the quarantine).
 */
#ifndef SLUBGUARD_CHECK_H
#define SLUBGUARD_CHECK_H

#include "common.h"

enum sg_verdict sg_check_free(const struct sg_free *free);
void sg_check_forget_queued(void);

extern int sg_policy;			/* READ_ONCE()/WRITE_ONCE(); enum sg_policy */

extern unsigned int sg_queued_nr;	/* READ_ONCE() */

/* Has an earlier report left a note that this free must look at? */
static inline bool sg_check_pending(void)
{
	return READ_ONCE(sg_queued_nr);
}

#endif /* SLUBGUARD_CHECK_H */
