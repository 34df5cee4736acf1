// SPDX-License-Identifier: GPL-2.0
/*
 * kprobe backend: a kprobe at the entry of each hooked function. For kernels
 * with kprobes but no function tracer, such as Android GKI, where a kprobe
 * is a breakpoint. A kprobe hit while a handler runs is dropped by the
 * kprobe core, so a handler never re-enters.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/kprobes.h>

#include "compat.h"
#include "hooks.h"
#include "report.h"

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
	enum sg_verdict verdict;

	/* A report is printed once this returns (sg_print_deferred). */
	__this_cpu_inc(sg_print_deferred);
	verdict = sg_hook_run(slot->hook, (unsigned long)kp->addr, sg_entry_return_address(regs),
			      regs_get_kernel_argument(regs, 0), regs_get_kernel_argument(regs, 1),
			      regs_get_kernel_argument(regs, 2));
	__this_cpu_dec(sg_print_deferred);
	if (verdict == SG_CALL_SKIP) {
		/* Return to the caller at once; no single-step. */
		sg_entry_return_now(regs);
		return 1;
	}
	return 0;
}
NOKPROBE_SYMBOL(sg_kprobe_handler);

/*
 * A kprobe at a function's entry is placed through ftrace where the kernel
 * can (x86_64 with a function tracer: CONFIG_KPROBES_ON_FTRACE). There its
 * handler runs with interrupts on, and the kprobe core drops a hit while
 * another kprobe's handler runs on the same CPU: a free in an interrupt
 * that lands during another free's hook would not be checked (the stress
 * scenario saw dozens a second, and missed bad frees). The ftrace
 * backend does the same job on such a kernel without dropping any, so
 * backend=kprobe is refused there. Where a kprobe is a breakpoint (arm64,
 * kernels without a function tracer), it is taken with interrupts masked
 * and nothing nests.
 */
static int kprobe_usable(void)
{
	struct kprobe kp = { .symbol_name = "kfree" };
	bool on_ftrace;
	int ret;

	ret = register_kprobe(&kp);
	if (ret) {
		pr_err("backend=kprobe: no kprobe can be placed on kfree (%d)\n", ret);
		return ret;
	}
	on_ftrace = kprobe_ftrace(&kp);
	unregister_kprobe(&kp);
	if (on_ftrace) {
		pr_err("backend=kprobe: kprobes sit on ftrace on this kernel, where a free that interrupts another free's kprobe goes unchecked; use backend=ftrace\n");
		return -EINVAL;
	}
	return 0;
}

static struct sg_kprobe_slot *slot_of(const struct sg_hook *hook)
{
	return hook->slot;
}

/*
 * A breakpoint diverts the call before any ftrace user runs, so a livepatch
 * on the same function does not keep the quarantine out.
 */
static int kprobe_attach(struct sg_hook *const *hooks, unsigned int nr)
{
	struct kprobe *kps[SG_NR_HOOKS];
	unsigned int i;
	int ret;

	for (i = 0; i < nr; i++) {
		struct sg_kprobe_slot *slot = slot_of(hooks[i]);

		memset(slot, 0, sizeof(*slot));
		slot->hook = hooks[i];
		slot->kp.symbol_name = hooks[i]->symbol;
		slot->kp.pre_handler = sg_kprobe_handler;
		kps[i] = &slot->kp;
	}
	/* All or none. */
	ret = register_kprobes(kps, nr);
	for (i = 0; !ret && i < nr; i++)
		WRITE_ONCE(hooks[i]->can_skip, true);
	return ret;
}

/*
 * unregister_kprobes() waits, once for all of them, until no CPU runs the
 * handler.
 */
static int kprobe_detach(struct sg_hook *const *hooks, unsigned int nr)
{
	struct kprobe *kps[SG_NR_HOOKS];
	unsigned int i;

	for (i = 0; i < nr; i++)
		kps[i] = &slot_of(hooks[i])->kp;
	unregister_kprobes(kps, nr);
	return 0;
}

/* The kprobe core counts the hits it did not hand to the handler. */
static unsigned long kprobe_missed(const struct sg_hook *hook)
{
	return READ_ONCE(slot_of(hook)->kp.nmissed);
}

const struct sg_backend sg_backend_kprobe = {
	.name		= "kprobe",
	.slot_size	= sizeof(struct sg_kprobe_slot),
	.usable		= kprobe_usable,
	.attach		= kprobe_attach,
	.detach		= kprobe_detach,
	.missed		= kprobe_missed,
};
