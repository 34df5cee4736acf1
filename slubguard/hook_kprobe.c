// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe backend: a kprobe at the entry of each hooked function. For kernels
 * with kprobes but no function tracer, such as Android GKI. A kprobe hit while
 * a handler runs is dropped by the kprobe core, so a handler never re-enters.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/kprobes.h>

#include "compat.h"
#include "slubguard.h"

/**
 * struct sg_kprobe_slot - the kprobe side of one hook
 * @kp:		registered with the kprobe core
 * @hook:	what to run
 */
struct sg_kprobe_slot {
	struct kprobe kp;
	struct sg_hook *hook;
};

static int sg_kprobe_handler(struct kprobe *kp, struct pt_regs *regs)
{
	struct sg_kprobe_slot *slot = container_of(kp, struct sg_kprobe_slot, kp);

	if (sg_hook_run(slot->hook, (unsigned long)kp->addr, sg_entry_return_address(regs),
			regs_get_kernel_argument(regs, 0), regs_get_kernel_argument(regs, 1),
			regs_get_kernel_argument(regs, 2)) == SG_CALL_SKIP) {
		/* Resume in a function that returns at once; no single-step. */
		instruction_pointer_set(regs, (unsigned long)sg_skipped_call);
		return 1;
	}
	return 0;
}
NOKPROBE_SYMBOL(sg_kprobe_handler);

/*
 * Where a kprobe at a function's entry is placed through ftrace (x86_64), the
 * kprobe core claims FTRACE_OPS_FL_IPMODIFY only for a kprobe with a
 * post-handler, hence this empty one. With the claim, the kernel refuses the
 * kprobe where a livepatch already diverts the function, and a later
 * livepatch where slubguard does, as with the ftrace backend. A breakpoint
 * kprobe (arm64) diverts before any ftrace user runs and needs no claim.
 */
static void sg_kprobe_post(struct kprobe *kp, struct pt_regs *regs, unsigned long flags)
{
}
NOKPROBE_SYMBOL(sg_kprobe_post);

static int register_slot(struct sg_kprobe_slot *slot, bool claim)
{
	memset(&slot->kp, 0, sizeof(slot->kp));
	slot->kp.symbol_name = slot->hook->symbol;
	slot->kp.pre_handler = sg_kprobe_handler;
	if (claim)
		slot->kp.post_handler = sg_kprobe_post;
	return register_kprobe(&slot->kp);
}

/* If another ftrace user holds IPMODIFY, hook without: no quarantine. */
static int kprobe_attach(struct sg_hook *hook, void *p)
{
	struct sg_kprobe_slot *slot = p;
	int ret;

	slot->hook = hook;
	ret = register_slot(slot, true);
	if (ret == -EBUSY) {
		pr_warn("kprobe: %s is diverted by another ftrace user; hooking it without quarantine\n",
			hook->symbol);
		ret = register_slot(slot, false);
	} else if (!ret) {
		hook->can_skip = true;
	}
	return ret;
}

/* unregister_kprobe() waits until no CPU runs the handler. */
static void kprobe_detach(struct sg_hook *hook, void *p)
{
	struct sg_kprobe_slot *slot = p;

	unregister_kprobe(&slot->kp);
}

/* The kprobe core counts the hits it did not hand to the handler. */
static unsigned long kprobe_missed(void *p)
{
	struct sg_kprobe_slot *slot = p;

	return READ_ONCE(slot->kp.nmissed);
}

const struct sg_backend sg_backend_kprobe = {
	.name		= "kprobe",
	.slot_size	= sizeof(struct sg_kprobe_slot),
	.attach		= kprobe_attach,
	.detach		= kprobe_detach,
	.missed		= kprobe_missed,
};
