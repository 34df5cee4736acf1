// SPDX-License-Identifier: GPL-2.0
/*
 * The tracepoint fast path: kfree() and kmem_cache_free() call their kmem
 * tracepoint (kmem:kfree, kmem:kmem_cache_free) before they give anything
 * back, large kmallocs included. A probe there checks the free as the
 * hooks do (sg_tp_kfree(), sg_tp_kmem_cache_free() in hooks.c), at the cost
 * of a tracepoint call: far less than ftrace's shared trampoline, which
 * looks the function up among every ops on every call (arm64 6.1, which has
 * no direct calls), or a kprobe's breakpoint (kernels without a function
 * tracer, such as Android GKI). It cannot divert the call, so quarantine
 * moves these two functions to the backend's hooks while it is the policy
 * (hooks_install.c).
 *
 * The page allocator's own tracepoint, kmem:mm_page_free, checks what
 * goes back there by any way (free_pages(), __free_pages(),
 * free_pages_exact(), ...), under every policy, while slubguard is enabled.
 *
 * The tracepoints are found by name, as the timer events are
 * (tracepoints.c): on some kernels they are not exported.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/string.h>
#include <linux/tracepoint.h>

#include "compat.h"
#include "hooks.h"

static struct tracepoint *sg_tp_kfree_tp, *sg_tp_cache_free_tp, *sg_tp_page_free_tp;

static void match(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "kfree"))
		sg_tp_kfree_tp = tp;
	else if (!strcmp(tp->name, "kmem_cache_free"))
		sg_tp_cache_free_tp = tp;
	else if (!strcmp(tp->name, "mm_page_free"))
		sg_tp_page_free_tp = tp;
}

/**
 * sg_tp_fast_find() - find the two tracepoints, at load
 *
 * Return: 0, or -ENOENT if this kernel lacks one (CONFIG_TRACEPOINTS off).
 */
int sg_tp_fast_find(void)
{
	for_each_kernel_tracepoint(match, NULL);
	if (!sg_tp_kfree_tp || !sg_tp_cache_free_tp)
		return -ENOENT;
	return 0;
}

/**
 * sg_tp_fast_register() - the probes run from now on
 *
 * Process context. The hooks' @tp flags say whether a probe checks.
 *
 * Return: 0, or a negative errno (neither is registered).
 */
int sg_tp_fast_register(void)
{
	int ret;

	ret = tracepoint_probe_register(sg_tp_kfree_tp, sg_tp_kfree, NULL);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(sg_tp_cache_free_tp, sg_tp_kmem_cache_free, NULL);
	if (ret) {
		tracepoint_probe_unregister(sg_tp_kfree_tp, sg_tp_kfree, NULL);
		tracepoint_synchronize_unregister();
	}
	return ret;
}

/**
 * sg_tp_fast_unregister() - on return, no CPU runs either probe
 *
 * Process context.
 */
void sg_tp_fast_unregister(void)
{
	tracepoint_probe_unregister(sg_tp_kfree_tp, sg_tp_kfree, NULL);
	tracepoint_probe_unregister(sg_tp_cache_free_tp, sg_tp_kmem_cache_free, NULL);
	tracepoint_synchronize_unregister();
}

/**
 * sg_tp_pages_find() - find kmem:mm_page_free, at load
 *
 * Return: 0, or -ENOENT if this kernel lacks it (page frees go unchecked).
 */
int sg_tp_pages_find(void)
{
	if (!sg_tp_page_free_tp)
		for_each_kernel_tracepoint(match, NULL);
	return sg_tp_page_free_tp ? 0 : -ENOENT;
}

/**
 * sg_tp_pages_register() - page frees are checked from now on
 *
 * Process context.
 *
 * Return: 0, or a negative errno.
 */
int sg_tp_pages_register(void)
{
	return tracepoint_probe_register(sg_tp_page_free_tp, sg_tp_mm_page_free, NULL);
}

/**
 * sg_tp_pages_unregister() - on return, no CPU runs the probe
 *
 * Process context.
 */
void sg_tp_pages_unregister(void)
{
	tracepoint_probe_unregister(sg_tp_page_free_tp, sg_tp_mm_page_free, NULL);
	tracepoint_synchronize_unregister();
}
