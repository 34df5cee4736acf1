// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace backend: one ftrace_ops per hook, filtered on the hooked function.
 * Each is the only ops on its function, so ftrace calls the handler straight
 * from the ops' own trampoline (see SG_FTRACE_OPS_FLAGS in compat.h).
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/string.h>

#include "compat.h"
#include "slubguard.h"

#if SG_HAVE_FTRACE

/**
 * struct sg_ftrace_slot - the ftrace side of one hook
 * @ops:	registered with ftrace
 * @hook:	what to run
 */
struct sg_ftrace_slot {
	struct ftrace_ops ops;
	struct sg_hook *hook;
};

static void sg_ftrace_handler(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
	struct sg_ftrace_slot *slot = container_of(ops, struct sg_ftrace_slot, ops);

	if (sg_hook_run(slot->hook, ip, parent_ip, sg_fregs_arg(fregs, 0),
			sg_fregs_arg(fregs, 1), sg_fregs_arg(fregs, 2)) == SG_CALL_SKIP &&
	    slot->hook->can_skip)
		sg_fregs_set_ip(fregs, (unsigned long)sg_skipped_call);
}

static int register_slot(struct sg_ftrace_slot *slot, unsigned long flags)
{
	char name[KSYM_NAME_LEN];
	int ret;

	memset(&slot->ops, 0, sizeof(slot->ops));
	slot->ops.func = sg_ftrace_handler;
	slot->ops.flags = flags;
	/* ftrace_set_filter() parses, and writes into, its buffer. */
	strscpy(name, slot->hook->symbol, sizeof(name));
	ret = ftrace_set_filter(&slot->ops, name, strlen(name), 1);
	if (!ret)
		ret = register_ftrace_function(&slot->ops);
	if (ret)
		ftrace_free_filter(&slot->ops);
	return ret;
}

/*
 * Diverting a call needs FTRACE_OPS_FL_IPMODIFY, which one ftrace user per
 * function may hold (a livepatch does). If another holds it, hook without:
 * detection works, and the quarantine policy is refused.
 */
static int ftrace_attach(struct sg_hook *hook, void *p)
{
	struct sg_ftrace_slot *slot = p;
	int ret;

	slot->hook = hook;
	ret = register_slot(slot, SG_FTRACE_OPS_FLAGS | FTRACE_OPS_FL_IPMODIFY);
	if (ret == -EBUSY) {
		pr_warn("ftrace: %s is diverted by another ftrace user; hooking it without quarantine\n",
			hook->symbol);
		ret = register_slot(slot, SG_FTRACE_OPS_FLAGS);
	} else if (!ret) {
		hook->can_skip = true;
	}
	return ret;
}

/* unregister_ftrace_function() waits until no CPU runs the handler. */
static void ftrace_detach(struct sg_hook *hook, void *p)
{
	struct sg_ftrace_slot *slot = p;

	unregister_ftrace_function(&slot->ops);
	ftrace_free_filter(&slot->ops);
}

#else /* !SG_HAVE_FTRACE */

struct sg_ftrace_slot {
	int unused;
};

static int ftrace_attach(struct sg_hook *hook, void *p)
{
	pr_err("this kernel has no function tracer with registers; use backend=kprobe\n");
	return -EOPNOTSUPP;
}

static void ftrace_detach(struct sg_hook *hook, void *p)
{
}

#endif /* SG_HAVE_FTRACE */

const struct sg_backend sg_backend_ftrace = {
	.name		= "ftrace",
	.slot_size	= sizeof(struct sg_ftrace_slot),
	.attach		= ftrace_attach,
	.detach		= ftrace_detach,
};
