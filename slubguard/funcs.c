// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's freeing functions as code addresses: those slubguard hooks,
 * and those that free through one of them (kvfree() through kfree(),
 * krealloc()). Learnt once at load (sg_funcs_init()), read after without
 * a lock.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "funcs.h"

/* The hooked functions' addresses (sg_funcs_init()). */
static unsigned long sg_hooked[SG_FUNCS_HOOKED_MAX];
static unsigned int sg_nr_hooked;

/**
 * struct sg_func - a freeing function that frees through another
 * @fn:		the function
 * @name:	its name, for a report
 * @outer:	hooked itself: what it frees was checked on entry
 * @start:	its first byte, once known
 * @end:	the byte after its last
 *
 * A call made from inside one comes from its code, or from its caller if the
 * compiler turned the call into a tail call.
 */
struct sg_func {
	const void *fn;
	const char *name;
	bool outer;
	unsigned long start, end;
};

static struct sg_func sg_funcs[] = {
	{ kvfree,		"kvfree",		true },
	{ kfree_sensitive,	"kfree_sensitive",	true },
	{ kvfree_sensitive,	"kvfree_sensitive",	true },
	/* In an interrupt, through vfree_atomic(). */
	{ vfree,		"vfree",		true },
	/* krealloc() frees the old object once the new one holds a copy. */
	{ sg_krealloc_fn,	"krealloc",		false },
};

/* A function's extent, from kallsyms: "name+0x0/0xsize". */
static void find_extent(struct sg_func *f)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long size;
	char *slash;

	sprint_symbol(buf, (unsigned long)f->fn);
	slash = strrchr(buf, '/');
	if (!slash || kstrtoul(slash + 1, 16, &size))
		return;
	f->start = (unsigned long)f->fn;
	f->end = f->start + size;
}

static struct sg_func *func_at(unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sg_funcs); i++)
		if (addr >= sg_funcs[i].start && addr < sg_funcs[i].end)
			return &sg_funcs[i];
	return NULL;
}

bool sg_in_outer_function(unsigned long addr)
{
	struct sg_func *f = func_at(addr);

	return f && f->outer;
}

/**
 * sg_freeing_wrapper() - is @addr inside a function that frees for its caller?
 * @addr:	a return address from the stack of a free
 *
 * Return: the function's name (the report then names its caller as the
 * culprit), or NULL.
 */
const char *sg_freeing_wrapper(unsigned long addr)
{
	struct sg_func *f = func_at(addr);

	return f ? f->name : NULL;
}

/*
 * Is a call of @addr a call of a freeing function (hooked, or one freeing
 * through a hooked one)? A call through the patchable padding before a
 * function (call depth tracking) lands up to 32 bytes before it.
 */
bool sg_is_freeing_function(unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < sg_nr_hooked; i++)
		if (addr <= sg_hooked[i] && addr + 32 >= sg_hooked[i])
			return true;
	for (i = 0; i < ARRAY_SIZE(sg_funcs); i++)
		if (sg_funcs[i].start && addr <= sg_funcs[i].start && addr + 32 >= sg_funcs[i].start)
			return true;
	return false;
}

/**
 * sg_funcs_init() - learn where the freeing functions lie, at load
 * @hooked:	the hooked functions' addresses
 * @nr:		how many, at most SG_FUNCS_HOOKED_MAX
 */
void sg_funcs_init(const void *const *hooked, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sg_funcs); i++)
		find_extent(&sg_funcs[i]);
	sg_nr_hooked = min_t(unsigned int, nr, SG_FUNCS_HOOKED_MAX);
	for (i = 0; i < sg_nr_hooked; i++)
		sg_hooked[i] = (unsigned long)hooked[i];
}
