// SPDX-License-Identifier: GPL-2.0
/*
 * Installing the free path's hooks (hooks.c declares them): attach and
 * detach them through the backend, a set at a time; check at load and at
 * each enabling that kfree() and kmem_cache_free() really reach their
 * handlers on every CPU; show their state.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/cpu.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "hooks.h"

/*
 * The page allocator's frees, checked from kmem:mm_page_free while the free
 * path is hooked (@sg_pages_on), where the kernel has that tracepoint
 * (@sg_pages_found). Changed under the control lock.
 */
static bool sg_pages_found;
static bool sg_pages_on;

/**
 * sg_hooks_can_skip() - can every hook make its call return at once?
 *
 * As of each hook's last attach; asked only while slubguard is enabled
 * (enabling it asks again).
 *
 * Return: true if the quarantine policy can work.
 */
bool sg_hooks_can_skip(void)
{
	unsigned int i;

	for (i = 0; i < SG_NR_HOOKS; i++)
		if (!READ_ONCE(sg_hooks[i].live) || !READ_ONCE(sg_hooks[i].can_skip))
			return false;
	return true;
}

unsigned int sg_hooks_live(void)
{
	unsigned int i, nr = 0;

	for (i = 0; i < SG_NR_HOOKS; i++)
		nr += READ_ONCE(sg_hooks[i].live) || READ_ONCE(sg_hooks[i].tp);
	return nr + READ_ONCE(sg_pages_on);
}

const char *const sg_backend_choice_names[SG_NR_BACKEND_CHOICES] = {
	[SG_BACKEND_AUTO]	= "auto",
	[SG_BACKEND_FTRACE]	= "ftrace",
	[SG_BACKEND_KPROBE]	= "kprobe",
	[SG_BACKEND_TRACEPOINT]	= "tracepoint",
};

/*
 * The tracepoint fast path (hook_tracepoint.c), as backend= chose at load:
 * kfree() and kmem_cache_free() are checked from their tracepoints while
 * the policy does not need to divert them (@sg_tp_mode; backend=auto where
 * that is the cheaper way, backend=tracepoint always), by the backend's
 * hooks while it does (@sg_diverting: quarantine). Changed under the
 * control lock (main.c), in process context.
 */
static bool sg_tp_mode;
static bool sg_tp_forced;
static bool sg_diverting;
static bool sg_tp_registered;
static bool sg_hooks_on;	/* the free path is hooked (enabled) */

#define SG_HOT_HOOKS	(BIT(SG_HOOK_KFREE) | BIT(SG_HOOK_KMEM_CACHE_FREE))

static bool hot_by_tp(void)
{
	return sg_tp_mode && !sg_diverting;
}

/**
 * sg_hooks_show() - one line per hooked function, for sysfs
 * @buf:	a sysfs page
 *
 * "<function> <backend> live divert": hooked, and able to hold an object
 * (quarantine); "... live nodivert": hooked, reports only; "<function> off".
 * A function called through a direct trampoline has " direct" after.
 *
 * Return: the length written.
 */
int sg_hooks_show(char *buf)
{
	const char *backend = sg_backend ? sg_backend->name : "none";
	unsigned int i;
	int len = 0;

	for (i = 0; i < SG_NR_HOOKS; i++) {
		const struct sg_hook *h = &sg_hooks[i];

		if (!READ_ONCE(h->live) && READ_ONCE(h->tp))
			len += sysfs_emit_at(buf, len, "%s tracepoint live nodivert\n", h->symbol);
		else if (!READ_ONCE(h->live))
			len += sysfs_emit_at(buf, len, "%s off\n", h->symbol);
		else
			len += sysfs_emit_at(buf, len, "%s %s live %s%s\n", h->symbol, backend,
					     READ_ONCE(h->can_skip) ? "divert" : "nodivert",
					     READ_ONCE(h->direct) ? " direct" : "");
	}
	/* Every way pages go back, from the page allocator's tracepoint. */
	if (sg_pages_found)
		len += sysfs_emit_at(buf, len, READ_ONCE(sg_pages_on) ?
				     "__free_pages tracepoint live nodivert\n" : "__free_pages off\n");
	return len;
}

static void *sg_slots;	/* SG_NR_HOOKS slots of the backend's size */

/* Hooks, as bits of their index in sg_hooks[]. */
#define SG_ALL_HOOKS	GENMASK(SG_NR_HOOKS - 1, 0)

static unsigned long hooks_always(void)
{
	unsigned long mask = 0;
	unsigned int i;

	for (i = 0; i < SG_NR_HOOKS; i++)
		if (sg_hooks[i].always)
			mask |= BIT(i);
	return mask;
}

/*
 * Attach the hooks of @mask not attached yet, all or none, in one call of
 * the backend. They are live from just before: a handler that runs before
 * the backend returns does its job.
 */
static int attach(const struct sg_backend *backend, unsigned long mask)
{
	struct sg_hook *set[SG_NR_HOOKS];
	unsigned int i, nr = 0;
	int ret;

	for (i = 0; i < SG_NR_HOOKS; i++) {
		struct sg_hook *h = &sg_hooks[i];

		if (!(mask & BIT(i)) || h->live)
			continue;
		WRITE_ONCE(h->can_skip, false);
		WRITE_ONCE(h->direct, false);
		WRITE_ONCE(h->live, true);
		set[nr++] = h;
	}
	if (!nr)
		return 0;
	ret = backend->attach(set, nr);
	if (ret) {
		pr_err("%s backend: cannot hook %s%s: %d\n", backend->name, set[0]->symbol,
		       nr > 1 ? " and the rest of the free path" : "", ret);
		for (i = 0; i < nr; i++)
			WRITE_ONCE(set[i]->live, false);
	}
	return ret;
}

/*
 * Set once the kernel refused to take a hook away (ftrace's unregistering
 * failed): its call site still reaches slubguard's handler or trampoline,
 * which let every call go from then on. slubguard pins itself in memory, so
 * that rmmod is refused rather than its text freed under that call site.
 */
static bool sg_hooks_stuck;

static void stuck(const struct sg_backend *backend, int err)
{
	if (sg_hooks_stuck)
		return;
	sg_hooks_stuck = true;
	__module_get(THIS_MODULE);
	pr_err("%s backend: the kernel would not take every hook away (%d): slubguard stays loaded, rmmod is refused, and its hooks let every free go\n",
	       backend->name, err);
}

/*
 * Where the module is about to go all the same (its exit, a failed load),
 * a hook that could not be taken away would call into freed text: that
 * task waits for ever instead, idle (no hung-task warning), the module's
 * text kept.
 */
static void never_leave_if_stuck(void)
{
	if (!READ_ONCE(sg_hooks_stuck))
		return;
	pr_emerg("cannot leave: a hook the kernel would not take away still calls into slubguard; this task waits for ever\n");
	for (;;)
		schedule_timeout_idle(3600 * HZ);
}

/*
 * Detach the live hooks of @mask, in one call of the backend. They are not
 * live from just before: a handler still on its way to the backend's
 * trampoline lets the call go.
 */
static void detach(const struct sg_backend *backend, unsigned long mask)
{
	struct sg_hook *set[SG_NR_HOOKS];
	unsigned int i, nr = 0;
	int ret;

	for (i = 0; i < SG_NR_HOOKS; i++) {
		struct sg_hook *h = &sg_hooks[i];

		if (!(mask & BIT(i)) || !h->live)
			continue;
		WRITE_ONCE(h->live, false);
		set[nr++] = h;
	}
	if (!nr)
		return;
	ret = backend->detach(set, nr);
	if (ret)
		stuck(backend, ret);
	for (i = 0; backend->missed && i < nr; i++)
		sg_hooks_note_detached(backend->missed(set[i]));
}

/* Every hook but those that stay while disabled. */
static void unhook(const struct sg_backend *backend)
{
	detach(backend, SG_ALL_HOOKS & ~hooks_always());
}

/* The hooks the backend attaches while enabled. */
static unsigned long backend_hooks(void)
{
	return hot_by_tp() ? SG_ALL_HOOKS & ~SG_HOT_HOOKS : SG_ALL_HOOKS;
}

/* Every hook of the backend's not attached. Return: 0, or a negative errno. */
static int hook_rest(const struct sg_backend *backend)
{
	return attach(backend, backend_hooks());
}

/*
 * kfree() and kmem_cache_free() checked by their tracepoints from now on:
 * checking from the moment each probe is registered.
 */
static int tp_on(void)
{
	int ret;

	if (sg_tp_registered)
		return 0;
	WRITE_ONCE(sg_hooks[SG_HOOK_KFREE].tp, true);
	WRITE_ONCE(sg_hooks[SG_HOOK_KMEM_CACHE_FREE].tp, true);
	ret = sg_tp_fast_register();
	if (ret) {
		pr_err("cannot register the kmem tracepoints' probes: %d\n", ret);
		WRITE_ONCE(sg_hooks[SG_HOOK_KFREE].tp, false);
		WRITE_ONCE(sg_hooks[SG_HOOK_KMEM_CACHE_FREE].tp, false);
		return ret;
	}
	sg_tp_registered = true;
	return 0;
}

/* Page frees checked from now on, where the kernel has the tracepoint. */
static int pages_on(void)
{
	int ret;

	if (!sg_pages_found || sg_pages_on)
		return 0;
	ret = sg_tp_pages_register();
	if (ret) {
		pr_err("cannot register the kmem:mm_page_free probe: %d\n", ret);
		return ret;
	}
	WRITE_ONCE(sg_pages_on, true);
	return 0;
}

static void pages_off(void)
{
	if (!sg_pages_on)
		return;
	sg_tp_pages_unregister();
	WRITE_ONCE(sg_pages_on, false);
}

/* Once this returns, no tracepoint probe of slubguard's runs. */
static void tp_off(void)
{
	WRITE_ONCE(sg_hooks[SG_HOOK_KFREE].tp, false);
	WRITE_ONCE(sg_hooks[SG_HOOK_KMEM_CACHE_FREE].tp, false);
	if (!sg_tp_registered)
		return;
	sg_tp_fast_unregister();
	sg_tp_registered = false;
}

static void hot_dedupe(bool on)
{
	WRITE_ONCE(sg_hooks[SG_HOOK_KFREE].dedupe, on);
	WRITE_ONCE(sg_hooks[SG_HOOK_KMEM_CACHE_FREE].dedupe, on);
}

/*
 * kfree() and kmem_cache_free() move from their tracepoints to the
 * backend's hooks, which can divert a call. Every free is checked, once:
 * a call that passed the function's entry before its hook was attached
 * meets the tracepoint while it still checks; a call the hook checked
 * leaves a note that the tracepoint, while it is registered, takes out and
 * checks no further (hooks.c, sg_tp_marks).
 */
static int hooks_take_over(void)
{
	int ret;

	hot_dedupe(true);
	ret = attach(sg_backend, SG_HOT_HOOKS);
	if (!ret) {
		sg_wait_calls_in_flight();
		tp_off();
	}
	hot_dedupe(false);
	/* The last notes are left; those whose call met no probe go. */
	sg_wait_calls_in_flight();
	sg_tp_forget_marks();
	return ret;
}

/*
 * And back. The probes are registered first, checking nothing yet; once
 * every call that passed a hook without a note is past its tracepoint, they
 * check the calls no hook noted; the hooks are detached, and once every
 * noted call is past its tracepoint, the notes stop.
 */
static int tp_take_over(void)
{
	int ret = sg_tp_fast_register();

	if (ret) {
		pr_err("cannot register the kmem tracepoints' probes: %d\n", ret);
		return ret;
	}
	sg_tp_registered = true;
	hot_dedupe(true);
	sg_wait_calls_in_flight();
	WRITE_ONCE(sg_hooks[SG_HOOK_KFREE].tp, true);
	WRITE_ONCE(sg_hooks[SG_HOOK_KMEM_CACHE_FREE].tp, true);
	detach(sg_backend, SG_HOT_HOOKS);
	sg_wait_calls_in_flight();
	hot_dedupe(false);
	sg_tp_forget_marks();
	return 0;
}

/*
 * The two hottest hooks, checked once attached: on each online CPU, a
 * kfree() and a kmem_cache_free() must reach the handler (this CPU's count
 * of frees checked moves). A hook registered but not run on some CPU (its
 * patched call not seen there) would leave every free there unchecked, in
 * silence.
 */
struct sg_hook_test {
	struct kmem_cache *cache;
	const char *silent;	/* the first function whose hook did not run */
};

static unsigned long frees_checked_here(void)
{
	return this_cpu_read(sg_counters[SG_STAT_FREES_CHECKED]);
}

/*
 * On the CPU under test, interrupts off: no other free counts meanwhile. On
 * PREEMPT_RT, in a worker bound to that CPU (sg_run_on_cpu()): a free there
 * in an interrupt's thread meanwhile counts too, and may hide a silent hook.
 */
static void hook_test_cpu(void *info)
{
	struct sg_hook_test *ht = info;
	unsigned long before = frees_checked_here();
	void *p = kmalloc(16, GFP_ATOMIC | __GFP_NOWARN);

	if (p) {
		kfree(p);
		if (frees_checked_here() == before) {
			ht->silent = "kfree";
			return;
		}
	}
	before = frees_checked_here();
	p = kmem_cache_alloc(ht->cache, GFP_ATOMIC | __GFP_NOWARN);
	if (p) {
		kmem_cache_free(ht->cache, p);
		if (frees_checked_here() == before)
			ht->silent = "kmem_cache_free";
	}
}

/*
 * Return: NULL, or the function whose hook did not run on some CPU. A test
 * free the backend dropped because it nested in another free's kprobe (the
 * interprocessor call landed in one) proves nothing: that CPU is tested
 * again.
 */
static const char *hook_test(const struct sg_backend *backend)
{
	struct sg_hook_test ht = { };
	unsigned int tries;
	u64 missed;
	int cpu;

	ht.cache = kmem_cache_create("slubguard_hook_test", 16, 0, 0, NULL);
	if (!ht.cache)
		return NULL;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		for (tries = 0; tries < 10; tries++) {
			missed = sg_hooks_dropped(backend);
			ht.silent = NULL;
			sg_run_on_cpu(cpu, hook_test_cpu, &ht);
			if (!ht.silent || sg_hooks_dropped(backend) == missed)
				break;
		}
		if (ht.silent) {
			pr_warn("%s is hooked but its hook did not run on CPU %d\n", ht.silent, cpu);
			break;
		}
	}
	cpus_read_unlock();
	kmem_cache_destroy(ht.cache);
	return ht.silent;
}

/*
 * After the free path is hooked: check, and while a hook is silent, hook it
 * all again (its call is patched again) and check again, SG_SELFTEST_RETRIES
 * times at most.
 *
 * Return: 0, or -EIO (the caller unhooks).
 */
static int hooks_check(const struct sg_backend *backend)
{
	unsigned int tries;

	for (tries = 0; hook_test(backend); tries++) {
		if (tries == SG_SELFTEST_RETRIES) {
			pr_err("the free path does not reach slubguard; not enabled\n");
			return -EIO;
		}
		unhook(backend);
		if (hook_rest(backend))
			return -EIO;
	}
	return 0;
}

/**
 * sg_hooks_pause() - unhook the free path, but for what must stay
 *
 * enabled=0: once this returns, no free runs a handler of slubguard's and
 * the free path costs what it costs without slubguard. kmem_cache_destroy()
 * stays hooked: the quarantine may hold objects of the cache. Process
 * context, under the caller's lock.
 */
void sg_hooks_pause(void)
{
	unhook(sg_backend);
	tp_off();
	pages_off();
	sg_hooks_on = false;
}

/**
 * sg_hooks_resume() - hook the free path again, all of it or none
 *
 * Return: 0, or the negative errno of the first hook that failed.
 */
int sg_hooks_resume(void)
{
	int ret = hook_rest(sg_backend);

	if (!ret && hot_by_tp())
		ret = tp_on();
	if (!ret)
		ret = pages_on();
	if (!ret)
		ret = hooks_check(sg_backend);
	if (ret) {
		unhook(sg_backend);
		tp_off();
		pages_off();
		return ret;
	}
	sg_hooks_on = true;
	return 0;
}

/**
 * sg_hooks_divert() - make every hooked call divertible, or let the
 * tracepoint fast path check kfree() and kmem_cache_free() again
 * @divert:	true for policy=quarantine
 *
 * With the tracepoint fast path, entering quarantine first attaches the
 * backend's hooks to those two functions, then takes the probes away;
 * leaving it registers the probes, then detaches the hooks. Each path
 * checks until the other does (a free in between reaches both, and is
 * checked once): no free goes unchecked. Each way waits for frees under
 * way, twice (under TCG, tens of milliseconds; more on a preemptible
 * kernel). Process context, under the control lock; slubguard enabled or
 * not.
 *
 * Return: 0, or a negative errno (nothing changed): -EINVAL with
 * backend=tracepoint, whose two hottest functions are never diverted.
 */
int sg_hooks_divert(bool divert)
{
	int ret;

	if (divert == sg_diverting)
		return 0;
	if (divert && sg_tp_forced) {
		pr_err("backend=tracepoint checks kfree() and kmem_cache_free() from their tracepoints, which cannot hold an object: no quarantine (load with backend=auto, ftrace or kprobe)\n");
		return -EINVAL;
	}
	if (!sg_tp_mode || !sg_hooks_on) {
		sg_diverting = divert;
		return 0;
	}
	sg_diverting = divert;
	ret = divert ? hooks_take_over() : tp_take_over();
	if (ret)
		sg_diverting = !divert;
	return ret;
}

/**
 * sg_hooks_backend_name() - the backend, for sysfs
 *
 * "tracepoint" with backend=tracepoint; otherwise the backend of the hooks
 * (with backend=auto, the hooks file says which functions a tracepoint
 * checks now).
 *
 * Return: a constant string.
 */
const char *sg_hooks_backend_name(void)
{
	if (!sg_backend)
		return "none";
	return sg_tp_forced ? "tracepoint" : sg_backend->name;
}

/**
 * sg_hooks_describe() - how the free path is hooked, for the load message
 *
 * Return: a constant string.
 */
const char *sg_hooks_describe(void)
{
	if (!sg_backend)
		return "none";
	if (sg_tp_forced)
		return sg_backend == &sg_backend_ftrace ?
		       "tracepoint (kfree, kmem_cache_free; ftrace for the rest)" :
		       "tracepoint (kfree, kmem_cache_free; kprobe for the rest)";
	if (sg_tp_mode)
		return sg_backend == &sg_backend_ftrace ?
		       "ftrace (kfree, kmem_cache_free by tracepoint outside quarantine)" :
		       "kprobe (kfree, kmem_cache_free by tracepoint outside quarantine)";
	return sg_backend->name;
}

static void detach_all(const struct sg_backend *backend)
{
	detach(backend, SG_ALL_HOOKS);
	kfree(sg_slots);
	sg_slots = NULL;
}

/**
 * sg_hooks_init() - hook the whole free path, or none of it
 * @backend:	how
 * @enabled:	false: only the hooks that stay while disabled, for now
 *
 * Return: 0, or a negative errno.
 */
int sg_hooks_init(enum sg_backend_choice choice, bool enabled, bool divert)
{
	const struct sg_backend *backend;
	unsigned int i;
	int ret;

	if (choice == SG_BACKEND_FTRACE) {
		backend = &sg_backend_ftrace;
	} else if (choice == SG_BACKEND_KPROBE) {
		backend = &sg_backend_kprobe;
	} else {
		/* The other hooks: ftrace where the kernel has a function tracer. */
		backend = SG_HAVE_FTRACE ? &sg_backend_ftrace : &sg_backend_kprobe;
		sg_tp_forced = choice == SG_BACKEND_TRACEPOINT;
		/* Where kfree() has no direct trampoline, its tracepoint costs less. */
		sg_tp_mode = sg_tp_forced || !SG_HAVE_FTRACE || !SG_HAVE_FTRACE_DIRECT;
	}
	if (sg_tp_forced && divert) {
		pr_err("backend=tracepoint cannot hold an object: policy=quarantine needs backend=auto, ftrace or kprobe\n");
		return -EINVAL;
	}
	if (sg_tp_mode && sg_tp_fast_find()) {
		if (sg_tp_forced) {
			pr_err("backend=tracepoint: this kernel has no kmem:kfree and kmem:kmem_cache_free tracepoints\n");
			return -ENOENT;
		}
		sg_tp_mode = false;
	}
	sg_pages_found = !sg_tp_pages_find();
	if (!sg_pages_found)
		pr_info("this kernel has no kmem:mm_page_free tracepoint: page frees (free_pages() and the like) are not checked\n");
	sg_diverting = divert;
	if (backend->usable) {
		ret = backend->usable();
		if (ret)
			return ret;
	}
	ret = sg_hooks_find_funcs();
	if (ret)
		return ret;

	sg_slots = kcalloc(SG_NR_HOOKS, backend->slot_size, GFP_KERNEL);
	if (!sg_slots)
		return -ENOMEM;
	for (i = 0; i < SG_NR_HOOKS; i++)
		sg_hooks[i].slot = (char *)sg_slots + i * backend->slot_size;
	/* Before anything is attached: hook_rest() and the checks read it. */
	sg_backend = backend;
	ret = attach(backend, enabled ? backend_hooks() : hooks_always());
	if (!ret && enabled && hot_by_tp())
		ret = tp_on();
	if (!ret && enabled)
		ret = pages_on();
	if (!ret && enabled)
		ret = hooks_check(backend);
	if (ret) {
		detach_all(backend);
		tp_off();
		pages_off();
		never_leave_if_stuck();
		sg_backend = NULL;
		return ret;
	}
	sg_hooks_on = enabled;
	return 0;
}

/* Once this returns, no handler of slubguard's runs in the free path. */
void sg_hooks_exit(void)
{
	if (!sg_backend)
		return;
	detach_all(sg_backend);
	tp_off();
	pages_off();
	never_leave_if_stuck();
	sg_hooks_on = false;
	sg_backend = NULL;
}
