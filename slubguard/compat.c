// SPDX-License-Identifier: GPL-2.0
/*
 * Finds, at load time, the fields of mm/'s private structures slubguard reads
 * (see compat.h), and refuses to load if they cannot be found for sure.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "common.h"
#include "compat.h"

struct vm_struct *(*sg_find_vm_area)(const void *addr);

/* Past this the count stops: the largest area quarantine_kb may hold. */
#define SG_VMALLOC_WALK_MAX	(SG_QUARANTINE_KB_MAX * 1024UL / PAGE_SIZE)

/**
 * sg_vmalloc_mapped_size() - the size of the vmalloc area at @addr, lock-free
 * @addr:	the start of an area being freed (page aligned)
 *
 * Its pages are mapped, and the guard page after it is not: they are counted
 * with vmalloc_to_page(), which walks the kernel's page tables and takes no
 * lock, so in any context. The area's owner is freeing it: its mappings
 * stay until the free. An area allocated with VM_NO_GUARD may run on into
 * the next one, which is then counted too.
 *
 * Return: its size in bytes; one page if @addr is not mapped or not aligned.
 */
size_t sg_vmalloc_mapped_size(const void *addr)
{
	unsigned long n;

	if (offset_in_page(addr))
		return PAGE_SIZE - offset_in_page(addr);
	for (n = 1; n < SG_VMALLOC_WALK_MAX; n++)
		if (!vmalloc_to_page(addr + n * PAGE_SIZE))
			break;
	return n * PAGE_SIZE;
}
unsigned int sg_slab_cache_offset;
unsigned int sg_cache_name_offset;
unsigned int sg_cache_ctor_offset;
unsigned int sg_cache_flags_offset;
unsigned int sg_cache_size_offset;

#define SG_SCAN_SLAB	64	/* bytes of struct slab searched */
#define SG_SCAN_CACHE	512	/* bytes of struct kmem_cache searched, at most */
#define SG_NOT_FOUND	UINT_MAX

struct sg_probe_cache {
	const char *name;
	unsigned int size;
	slab_flags_t flags;
	struct kmem_cache *cache;
	void *obj;
};

/* A constructor keeps the probe caches from being merged with others. */
static void probe_ctor(void *obj)
{
}

static unsigned int find_slab_cache(const struct sg_probe_cache *pc)
{
	const char *slab = (const char *)virt_to_folio(pc->obj);
	unsigned int off;

	if (!folio_test_slab(virt_to_folio(pc->obj)))
		return SG_NOT_FOUND;
	for (off = 0; off < SG_SCAN_SLAB; off += sizeof(void *))
		if (*(struct kmem_cache * const *)(slab + off) == pc->cache)
			return off;
	return SG_NOT_FOUND;
}

static unsigned int find_name(const struct sg_probe_cache *pc, unsigned int limit)
{
	size_t len = strlen(pc->name) + 1;
	char buf[32];
	unsigned int off;

	if (len > sizeof(buf))
		return SG_NOT_FOUND;
	for (off = 0; off + sizeof(void *) <= limit; off += sizeof(void *)) {
		const char *p;

		if (copy_from_kernel_nofault(&p, (const char *)pc->cache + off, sizeof(p)))
			break;
		/*
		 * Not a kernel address: not tried. A random word (SLUB's
		 * freelist key) can be non-canonical, and where the CPU
		 * reports more address bits than the kernel pages with (x86
		 * booted with no5lvl) the nofault copy then takes a general
		 * protection fault, which the kernel warns of.
		 */
		if ((unsigned long)p < PAGE_OFFSET)
			continue;
		/* Only as many bytes as the name: a match is the whole string. */
		if (copy_from_kernel_nofault(buf, p, len))
			continue;
		if (!memcmp(buf, pc->name, len))
			return off;
	}
	return SG_NOT_FOUND;
}

/* The constructor: the one word that points to probe_ctor(). */
static unsigned int find_ctor(const struct sg_probe_cache *pc, unsigned int limit)
{
	unsigned int off, found = SG_NOT_FOUND;

	for (off = 0; off + sizeof(void *) <= limit; off += sizeof(void *)) {
		if (*(void * const *)((const char *)pc->cache + off) != probe_ctor)
			continue;
		if (found != SG_NOT_FOUND)
			return SG_NOT_FOUND;
		found = off;
	}
	return found;
}

static u32 cache_word(const struct sg_probe_cache *pc, unsigned int off)
{
	return *(const u32 *)((const char *)pc->cache + off);
}

/*
 * The flags: the one 32-bit word that, in every probe cache, differs from the
 * first one's (created without flags) by exactly the flags it was created
 * with. Several probes of several sizes rule out a field that differs by
 * that bit by chance (6.12's first try found one).
 */
static unsigned int find_flags(const struct sg_probe_cache *pcs, unsigned int nr,
			       unsigned int limit)
{
	unsigned int off, i, found = SG_NOT_FOUND;

	for (off = 0; off + sizeof(u32) <= limit; off += sizeof(u32)) {
		u32 base = cache_word(&pcs[0], off);

		for (i = 1; i < nr; i++) {
			u32 flags = (__force u32)pcs[i].flags;

			if (base & flags || (base ^ cache_word(&pcs[i], off)) != flags)
				break;
		}
		if (i < nr)
			continue;
		if (found != SG_NOT_FOUND)
			return SG_NOT_FOUND;
		found = off;
	}
	return found;
}

/*
 * The object size: the first 32-bit word that holds kmem_cache_size() in
 * every probe cache. Read directly, it saves the free path a call.
 */
static unsigned int find_size(const struct sg_probe_cache *pcs, unsigned int nr,
			      unsigned int limit)
{
	unsigned int off, i;

	for (off = 0; off + sizeof(u32) <= limit; off += sizeof(u32)) {
		for (i = 0; i < nr; i++)
			if (cache_word(&pcs[i], off) != kmem_cache_size(pcs[i].cache))
				break;
		if (i == nr)
			return off;
	}
	return SG_NOT_FOUND;
}

/* What was found must also describe kmalloc's caches and large kmallocs. */
static bool check_kmalloc(void)
{
	void *small = kmalloc(64, GFP_KERNEL);
	void *large = kmalloc(4 * PAGE_SIZE, GFP_KERNEL);
	struct kmem_cache *s;
	bool ok = false;

	if (small && large) {
		s = sg_obj_cache(small);
		ok = s && kmem_cache_size(s) >= 64 && sg_cache_size(s) == kmem_cache_size(s) &&
		     !strncmp(sg_cache_name(s), "kmalloc", 7) && sg_cache_poisonable(s) &&
		     !sg_obj_cache(large) && sg_obj_page_size(large) >= 4 * PAGE_SIZE;
	}
	kfree(large);
	kfree(small);
	return ok;
}

/*
 * Every field, found in every probe cache at the same place.
 * Return: NULL, or the name of the field that was not found.
 */
static const char *find_offsets(struct sg_probe_cache *pcs, unsigned int nr)
{
	unsigned int i, slab_off, name_off, ctor_off, limit = SG_SCAN_CACHE;

	for (i = 0; i < nr; i++) {
		slab_off = find_slab_cache(&pcs[i]);
		if (slab_off == SG_NOT_FOUND || (i && slab_off != sg_slab_cache_offset))
			return "slab->slab_cache";
		sg_slab_cache_offset = slab_off;

		/* Search no further than the kmem_cache object itself. */
		limit = min_t(unsigned int, SG_SCAN_CACHE,
			      kmem_cache_size(sg_obj_cache(pcs[i].cache)));
		name_off = find_name(&pcs[i], limit);
		if (name_off == SG_NOT_FOUND || (i && name_off != sg_cache_name_offset))
			return "kmem_cache->name";
		sg_cache_name_offset = name_off;

		ctor_off = find_ctor(&pcs[i], limit);
		if (ctor_off == SG_NOT_FOUND || (i && ctor_off != sg_cache_ctor_offset))
			return "kmem_cache->ctor";
		sg_cache_ctor_offset = ctor_off;
	}
	sg_cache_flags_offset = find_flags(pcs, nr, limit);
	if (sg_cache_flags_offset == SG_NOT_FOUND)
		return "kmem_cache->flags";
	sg_cache_size_offset = find_size(pcs, nr, limit);
	if (sg_cache_size_offset == SG_NOT_FOUND)
		return "kmem_cache->object_size";
	return check_kmalloc() ? NULL : "the cache of a kmalloc() object";
}

/**
 * sg_lookup_name() - the address of a kernel symbol that is not exported
 * @name:	the symbol
 *
 * kallsyms_lookup_name() is not exported either; a kprobe placed on it (and
 * removed at once) tells where it is, as out-of-tree tracers do. Process
 * context, at load.
 *
 * Return: the address, or 0.
 */
unsigned long sg_lookup_name(const char *name)
{
	static unsigned long (*lookup)(const char *name);

	if (!lookup) {
		struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };

		if (register_kprobe(&kp))
			return 0;
		lookup = (void *)sg_kprobe_function((unsigned long)kp.addr);
		unregister_kprobe(&kp);
	}
	return lookup(name);
}

/**
 * sg_compat_init() - find what compat.h reads in mm/'s private structures
 *
 * Runs before anything is hooked.
 *
 * Return: 0, -ENOMEM, or -ENODEV (after saying why) if the fields cannot be
 * found for sure on this kernel.
 */
int sg_compat_init(void)
{
	struct sg_probe_cache pcs[] = {
		{ .name = "slubguard_probe_a", .size = 40 },
		{ .name = "slubguard_probe_b", .size = 200, .flags = SLAB_TYPESAFE_BY_RCU },
		{ .name = "slubguard_probe_c", .size = 120, .flags = SLAB_TYPESAFE_BY_RCU },
		{ .name = "slubguard_probe_d", .size = 72, .flags = SLAB_RECLAIM_ACCOUNT },
	};
	const char *missing = NULL;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(pcs); i++) {
		pcs[i].cache = kmem_cache_create(pcs[i].name, pcs[i].size, 0,
					  pcs[i].flags, probe_ctor);
		pcs[i].obj = pcs[i].cache ? kmem_cache_alloc(pcs[i].cache, GFP_KERNEL) : NULL;
		if (!pcs[i].obj)
			ret = -ENOMEM;
	}
	if (!ret)
		missing = find_offsets(pcs, ARRAY_SIZE(pcs));
	for (i = 0; i < ARRAY_SIZE(pcs); i++) {
		if (pcs[i].obj)
			kmem_cache_free(pcs[i].cache, pcs[i].obj);
		kmem_cache_destroy(pcs[i].cache);
	}
	if (!ret && missing) {
		pr_err("cannot find %s in this kernel's slab structures; not loading\n", missing);
		ret = -ENODEV;
	}
	/* Without it, a vmalloc area's size is counted from its page tables. */
	sg_find_vm_area = (void *)sg_lookup_name("find_vm_area");
	if (!ret && !sg_find_vm_area)
		pr_warn("find_vm_area not found: vmalloc areas are measured from their page tables\n");
	return ret;
}
