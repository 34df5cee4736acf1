// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace backend: one ftrace_ops per hook, filtered on the hooked function.
 * ftrace's own recursion guard (FTRACE_OPS_FL_RECURSION) keeps a free made
 * while a handler runs from entering slubguard again.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/slab.h>

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

static struct sg_ftrace_slot *sg_slots;

static void sg_ftrace_handler(unsigned long ip, unsigned long parent_ip,
			      struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
	struct sg_ftrace_slot *slot = container_of(ops, struct sg_ftrace_slot, ops);
	struct sg_call call = {
		.ip	= ip,
		.caller	= parent_ip,
		.arg	= { sg_fregs_arg(fregs, 0), sg_fregs_arg(fregs, 1) },
	};

	slot->hook->handler(slot->hook, &call);
}

static void ftrace_remove(struct sg_hook *hooks, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (!hooks[i].live)
			continue;
		unregister_ftrace_function(&sg_slots[i].ops);
		hooks[i].live = false;
	}
	for (i = 0; i < nr; i++)
		ftrace_free_filter(&sg_slots[i].ops);
	kfree(sg_slots);
	sg_slots = NULL;
}

static int ftrace_install(struct sg_hook *hooks, unsigned int nr)
{
	char name[KSYM_NAME_LEN];
	unsigned int i;
	int ret;

	sg_slots = kcalloc(nr, sizeof(*sg_slots), GFP_KERNEL);
	if (!sg_slots)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		struct sg_ftrace_slot *slot = &sg_slots[i];

		slot->hook = &hooks[i];
		slot->ops.func = sg_ftrace_handler;
		slot->ops.flags = SG_FTRACE_OPS_FLAGS;
		/* ftrace_set_filter() parses, and writes into, its buffer. */
		strscpy(name, hooks[i].symbol, sizeof(name));
		ret = ftrace_set_filter(&slot->ops, name, strlen(name), 1);
		if (ret) {
			pr_err("ftrace: cannot filter on %s: %d\n", hooks[i].symbol, ret);
			goto fail;
		}
		ret = register_ftrace_function(&slot->ops);
		if (ret) {
			pr_err("ftrace: cannot hook %s: %d\n", hooks[i].symbol, ret);
			goto fail;
		}
		hooks[i].live = true;
	}
	return 0;
fail:
	ftrace_remove(hooks, nr);
	return ret;
}

#else /* !SG_HAVE_FTRACE */

static int ftrace_install(struct sg_hook *hooks, unsigned int nr)
{
	pr_err("this kernel has no function tracer with registers; use backend=kprobe\n");
	return -EOPNOTSUPP;
}

static void ftrace_remove(struct sg_hook *hooks, unsigned int nr)
{
}

#endif /* SG_HAVE_FTRACE */

const struct sg_backend sg_backend_ftrace = {
	.name		= "ftrace",
	.install	= ftrace_install,
	.remove		= ftrace_remove,
};
