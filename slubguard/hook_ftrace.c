// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace backend: one ftrace_ops for every hooked function. Attaching or
 * detaching the free path then patches the kernel and waits for ftrace's
 * grace periods once, not once per function (under TCG with busy vCPUs,
 * each took half a second); and where a traced call runs the list of all
 * ops (arm64 6.1, whose ftrace has no per-ops trampolines), the list holds
 * one ops, which ftrace calls straight. The handler (sg_ftrace_handler(),
 * in hooks.c) finds its hook by the address ftrace hands it.
 *
 * A function that another ftrace user diverts already (a livepatch) cannot
 * be in an ops that may divert (FTRACE_OPS_FL_IPMODIFY): it goes into a
 * second ops, without, and is hooked for reports only.
 *
 * Where the kernel has direct calls, kfree() and kmem_cache_free() are in
 * neither: each has an ops whose site calls its direct trampoline
 * (direct_<arch>.S), which saves and does far less than ftrace's shared
 * trampoline on every free.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/ftrace.h>
#include <linux/rcupdate.h>

#include "compat.h"
#include "hooks.h"

#if SG_HAVE_FTRACE

enum { SG_OPS_DIVERT, SG_OPS_PLAIN, SG_NR_OPS, SG_OPS_DIRECT = SG_NR_OPS };

/**
 * struct sg_ftrace_slot - the ftrace side of one hook
 * @in:		its function is in the filter of an ops
 * @ops:	which (SG_OPS_*; SG_OPS_DIRECT: its own, with a direct trampoline)
 */
struct sg_ftrace_slot {
	bool in;
	unsigned int ops;
};

/* Registered while their filters hold a function: @sg_ops_nr of them. */
static struct ftrace_ops sg_ops[SG_NR_OPS];
static unsigned int sg_ops_nr[SG_NR_OPS];

/* Functions into an ops' filter: the ops is registered with the first. */
static int ops_add(unsigned int o, unsigned long *ips, unsigned int nr)
{
	struct ftrace_ops *ops = &sg_ops[o];
	int ret;

	if (sg_ops_nr[o]) {
		ret = ftrace_set_filter_ips(ops, ips, nr, 0, 0);
	} else {
		memset(ops, 0, sizeof(*ops));
		ops->func = sg_ftrace_handler;
		ops->flags = SG_FTRACE_OPS_FLAGS | (o == SG_OPS_DIVERT ? FTRACE_OPS_FL_IPMODIFY : 0);
		ret = ftrace_set_filter_ips(ops, ips, nr, 0, 1);
		if (!ret)
			ret = register_ftrace_function(ops);
		if (ret)
			ftrace_free_filter(ops);
	}
	if (!ret)
		sg_ops_nr[o] += nr;
	return ret;
}

/*
 * Functions out of an ops' filter; the ops is unregistered with the last
 * (an empty filter would trace every function). Return: 1 if it was, and
 * unregister_ftrace_function() waited until no CPU runs the handler; 0 if
 * the filter was changed; a negative errno if it could not be.
 */
static int ops_remove(unsigned int o, unsigned long *ips, unsigned int nr)
{
	struct ftrace_ops *ops = &sg_ops[o];
	int ret;

	if (sg_ops_nr[o] == nr) {
		ret = unregister_ftrace_function(ops);
		if (ret) {
			pr_warn("ftrace: cannot unregister the handler of %u functions (%d)\n",
				nr, ret);
			return ret;
		}
		ftrace_free_filter(ops);
		sg_ops_nr[o] = 0;
		return 1;
	}
	ret = ftrace_set_filter_ips(ops, ips, nr, 1, 0);
	if (ret) {
		/* Their calls still reach the handler, which lets them go. */
		pr_warn("ftrace: cannot unpatch %u functions (%d); they stay in the filter\n",
			nr, ret);
		return ret;
	}
	sg_ops_nr[o] -= nr;
	return 0;
}

static struct sg_ftrace_slot *slot_of(const struct sg_hook *hook)
{
	return hook->slot;
}

static void mark(struct sg_hook *hook, unsigned int o)
{
	slot_of(hook)->in = true;
	slot_of(hook)->ops = o;
	WRITE_ONCE(hook->can_skip, o == SG_OPS_DIVERT || o == SG_OPS_DIRECT);
	WRITE_ONCE(hook->direct, o == SG_OPS_DIRECT);
}

#if SG_HAVE_FTRACE_DIRECT
/*
 * kfree() and kmem_cache_free() each get an ops of their own that calls
 * their direct trampoline. A function takes one direct trampoline at most:
 * where another is there already (a BPF program attached to it), the hook
 * goes into the ops list as any other.
 */
static struct ftrace_ops sg_direct_ops[2];

static unsigned long direct_tramp(const struct sg_hook *hook, unsigned int *d)
{
	if (hook == &sg_hooks[SG_HOOK_KFREE]) {
		*d = 0;
		return (unsigned long)sg_direct_kfree;
	}
	if (hook == &sg_hooks[SG_HOOK_KMEM_CACHE_FREE]) {
		*d = 1;
		return (unsigned long)sg_direct_kmem_cache_free;
	}
	return 0;
}

/* Return: true if @hook is now called through its direct trampoline. */
static bool direct_add(struct sg_hook *hook)
{
	unsigned long tramp;
	struct ftrace_ops *ops;
	unsigned int d;
	int ret;

	tramp = direct_tramp(hook, &d);
	if (!tramp)
		return false;
	ops = &sg_direct_ops[d];
	memset(ops, 0, sizeof(*ops));
	ret = ftrace_set_filter_ip(ops, (unsigned long)hook->fn, 0, 1);
	if (!ret)
		ret = sg_register_direct(ops, tramp);
	if (ret) {
		ftrace_free_filter(ops);
		pr_info("ftrace: no direct call for %s (%d): through ftrace's trampoline\n",
			hook->symbol, ret);
		return false;
	}
	mark(hook, SG_OPS_DIRECT);
	return true;
}

/* Like ops_remove(): 1 once ftrace has waited for the trampoline's users. */
static int direct_remove(struct sg_hook *hook)
{
	unsigned long tramp;
	unsigned int d;
	int ret;

	tramp = direct_tramp(hook, &d);
	ret = sg_unregister_direct(&sg_direct_ops[d], tramp);
	if (ret) {
		pr_warn("ftrace: cannot unpatch %s (%d); its direct call stays\n",
			hook->symbol, ret);
		return ret;
	}
	ftrace_free_filter(&sg_direct_ops[d]);
	return 1;
}
#else
static bool direct_add(struct sg_hook *hook)
{
	return false;
}

static int direct_remove(struct sg_hook *hook)
{
	return -EINVAL;
}
#endif

static int ftrace_detach(struct sg_hook *const *hooks, unsigned int nr);

/*
 * Each that has a direct trampoline into its own ops; the others all at
 * once into the ops that diverts, or if another ftrace user diverts one of
 * them (-EBUSY), one by one, each that is diverted already into the other
 * ops. A function still in a filter (its removal failed) is there.
 */
static int ftrace_attach(struct sg_hook *const *hooks, unsigned int nr)
{
	unsigned long ips[SG_NR_HOOKS];
	unsigned int i, n = 0;
	int ret;

	for (i = 0; i < nr; i++)
		if (!slot_of(hooks[i])->in && !direct_add(hooks[i]))
			ips[n++] = (unsigned long)hooks[i]->fn;
	if (!n)
		return 0;
	ret = ops_add(SG_OPS_DIVERT, ips, n);
	if (!ret) {
		for (i = 0; i < nr; i++)
			if (!slot_of(hooks[i])->in)
				mark(hooks[i], SG_OPS_DIVERT);
		return 0;
	}
	if (ret != -EBUSY) {
		ftrace_detach(hooks, nr);
		return ret;
	}

	for (i = 0; i < nr; i++) {
		struct sg_hook *h = hooks[i];
		unsigned long ip = (unsigned long)h->fn;

		if (slot_of(h)->in)
			continue;
		ret = ops_add(SG_OPS_DIVERT, &ip, 1);
		if (!ret) {
			mark(h, SG_OPS_DIVERT);
			continue;
		}
		if (ret == -EBUSY) {
			pr_warn("ftrace: %s is diverted by another ftrace user; hooking it without quarantine\n",
				h->symbol);
			ret = ops_add(SG_OPS_PLAIN, &ip, 1);
		}
		if (ret) {
			ftrace_detach(hooks, nr);
			return ret;
		}
		mark(h, SG_OPS_PLAIN);
	}
	return 0;
}

/*
 * Out of the filters. A handler may have read its hook live just before it
 * was not, and still run: an ops unregistered was waited for by ftrace;
 * otherwise wait here as ftrace would, for every CPU to schedule (a handler
 * runs with interrupts or preemption off, or where RCU does not watch),
 * and on a preemptible kernel for every task preempted in one.
 */
static int ftrace_detach(struct sg_hook *const *hooks, unsigned int nr)
{
	unsigned long ips[SG_NR_OPS][SG_NR_HOOKS];
	unsigned int n[SG_NR_OPS] = { }, i, o;
	bool wait = false;
	int ret, err = 0;

	for (i = 0; i < nr; i++) {
		struct sg_ftrace_slot *slot = slot_of(hooks[i]);

		if (!slot->in)
			continue;
		if (slot->ops == SG_OPS_DIRECT) {
			ret = direct_remove(hooks[i]);
			if (ret > 0)
				slot->in = false;
			else
				err = ret;
			continue;
		}
		ips[slot->ops][n[slot->ops]++] = (unsigned long)hooks[i]->fn;
	}
	for (o = 0; o < SG_NR_OPS; o++) {
		if (!n[o])
			continue;
		ret = ops_remove(o, ips[o], n[o]);
		if (ret < 0) {
			err = ret;
			continue;
		}
		wait |= !ret;
		for (i = 0; i < nr; i++)
			if (slot_of(hooks[i])->in && slot_of(hooks[i])->ops == o)
				slot_of(hooks[i])->in = false;
	}
	if (wait) {
		synchronize_rcu_tasks_rude();
		if (IS_ENABLED(CONFIG_PREEMPTION))
			synchronize_rcu_tasks();
	}
	return err;
}

#else /* !SG_HAVE_FTRACE */

struct sg_ftrace_slot {
	int unused;
};

static int ftrace_attach(struct sg_hook *const *hooks, unsigned int nr)
{
	pr_err("this kernel has no function tracer with registers; use backend=kprobe\n");
	return -EOPNOTSUPP;
}

static int ftrace_detach(struct sg_hook *const *hooks, unsigned int nr)
{
	return 0;
}

#endif /* SG_HAVE_FTRACE */

const struct sg_backend sg_backend_ftrace = {
	.name		= "ftrace",
	.slot_size	= sizeof(struct sg_ftrace_slot),
	.attach		= ftrace_attach,
	.detach		= ftrace_detach,
};
