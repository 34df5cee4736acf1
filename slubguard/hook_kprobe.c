// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe backend: a kprobe at the entry of each hooked function. For kernels
 * with kprobes but no function tracer, such as Android GKI. A kprobe hit while
 * a handler runs is dropped by the kprobe core, so a handler never re-enters.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/kprobes.h>
#include <linux/slab.h>

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

static struct sg_kprobe_slot *sg_slots;

static int sg_kprobe_handler(struct kprobe *kp, struct pt_regs *regs)
{
	struct sg_kprobe_slot *slot = container_of(kp, struct sg_kprobe_slot, kp);
	struct sg_call call = {
		.ip	= (unsigned long)kp->addr,
		.caller	= sg_entry_return_address(regs),
		.arg	= { regs_get_kernel_argument(regs, 0),
			    regs_get_kernel_argument(regs, 1) },
	};

	slot->hook->handler(slot->hook, &call);
	return 0;
}
NOKPROBE_SYMBOL(sg_kprobe_handler);

static void kprobe_remove(struct sg_hook *hooks, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (!hooks[i].live)
			continue;
		/* Waits until no handler of this probe runs. */
		unregister_kprobe(&sg_slots[i].kp);
		hooks[i].live = false;
	}
	kfree(sg_slots);
	sg_slots = NULL;
}

static int kprobe_install(struct sg_hook *hooks, unsigned int nr)
{
	unsigned int i;
	int ret;

	sg_slots = kcalloc(nr, sizeof(*sg_slots), GFP_KERNEL);
	if (!sg_slots)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		struct sg_kprobe_slot *slot = &sg_slots[i];

		slot->hook = &hooks[i];
		slot->kp.symbol_name = hooks[i].symbol;
		slot->kp.pre_handler = sg_kprobe_handler;
		ret = register_kprobe(&slot->kp);
		if (ret) {
			pr_err("kprobe: cannot hook %s: %d\n", hooks[i].symbol, ret);
			kprobe_remove(hooks, nr);
			return ret;
		}
		hooks[i].live = true;
	}
	return 0;
}

const struct sg_backend sg_backend_kprobe = {
	.name		= "kprobe",
	.install	= kprobe_install,
	.remove		= kprobe_remove,
};
