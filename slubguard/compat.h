/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels slubguard builds for lives here: kernel
 * versions, configurations and architectures. Nothing else in the module tests
 * LINUX_VERSION_CODE, a CONFIG_ option that changes an API, or an architecture.
 */
#ifndef SLUBGUARD_COMPAT_H
#define SLUBGUARD_COMPAT_H

#include <linux/version.h>

/*
 * Direct trampolines for the two hottest hooks (direct_<arch>.S): ftrace
 * calls them from the function's site in place of its own trampoline.
 * Every x86_64 kernel slubguard builds for has direct calls; arm64 6.12
 * has them (a module out of a BL's reach is branched to through
 * ftrace_caller, a few instructions more), 6.1 not.
 */
#if defined(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS) && \
	defined(CONFIG_DYNAMIC_FTRACE_WITH_ARGS)
#define SG_HAVE_FTRACE_DIRECT 1
#else
#define SG_HAVE_FTRACE_DIRECT 0
#endif

#ifdef __ASSEMBLY__

/* Call depth tracking (a retbleed mitigation) came in 6.2. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
.macro CALL_DEPTH_ACCOUNT
.endm
#endif

#else /* !__ASSEMBLY__ */

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/stackdepot.h>
#include <linux/ftrace.h>
#include <linux/hrtimer.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/ptrace.h>

#include "insn.h"
#include <linux/rcupdate.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#ifdef CONFIG_X86_KERNEL_IBT
#include <asm/ibt.h>
#endif

/*
 * A trace event's __assign_str() lost its second argument in 6.10: it copies
 * the string its __string() field was sized from.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define sg_assign_str(dst, src)	__assign_str(dst)
#else
#define sg_assign_str(dst, src)	__assign_str(dst, src)
#endif

/*
 * The stack depot: an arm event may save a stack only where nothing is
 * allocated (it runs under the timer base's raw lock). 6.1 says so with
 * __stack_depot_save()'s can_alloc; 6.8 replaced it by the flags of
 * stack_depot_save_flags().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
static inline u32 sg_depot_save_noalloc(unsigned long *entries, unsigned int nr)
{
	return stack_depot_save_flags(entries, nr, 0, 0);
}
#else
static inline u32 sg_depot_save_noalloc(unsigned long *entries, unsigned int nr)
{
	return __stack_depot_save(entries, nr, 0, 0, false);
}
#endif

/* What slubguard cannot work without: fail the build, naming the option. */
#ifndef CONFIG_TRACEPOINTS
#error "slubguard needs CONFIG_TRACEPOINTS (it tracks timers from their tracepoints)"
#endif
#ifndef CONFIG_KPROBES
#error "slubguard needs CONFIG_KPROBES (its kprobe backend, and symbol lookup)"
#endif
#ifndef CONFIG_SLUB
#error "slubguard needs CONFIG_SLUB (it reads the SLUB slab of a freed object)"
#endif
#ifndef CONFIG_STACKTRACE
#error "slubguard needs CONFIG_STACKTRACE (reports carry the stack of the free)"
#endif
#ifndef CONFIG_KALLSYMS
#error "slubguard needs CONFIG_KALLSYMS (reports name functions)"
#endif
#ifndef CONFIG_STACKDEPOT
#error "slubguard needs CONFIG_STACKDEPOT (track_stacks keeps who armed each timer)"
#endif
#if !defined(CONFIG_X86_64) && !defined(CONFIG_ARM64)
#error "slubguard supports x86_64 and arm64"
#endif
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "slubguard needs Linux 6.1 or later"
#endif

/*
 * The ftrace backend needs a function tracer that hands it the arguments of
 * the traced call and lets it change where the call resumes: with the
 * argument registers only (x86_64; arm64 from 6.2), or else with full
 * registers (arm64 6.1), which costs more on every call (x86 saves and
 * restores the flags register for it). Kernels with neither (Android GKI)
 * use the kprobe backend.
 *
 * The ops do not ask ftrace for its recursion guard: that would put
 * ftrace_ops_assist_func() between the trampoline and the handler on every
 * free. The handlers call no hooked function on their fast path, and the
 * free that a report or the quarantine may make is checked like any other.
 */
#if defined(CONFIG_DYNAMIC_FTRACE_WITH_ARGS)
#define SG_HAVE_FTRACE 1
#define SG_FTRACE_OPS_FLAGS 0

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
static inline unsigned long sg_fregs_arg(struct ftrace_regs *fregs, unsigned int n)
{
	return ftrace_regs_get_argument(fregs, n);
}

/* Resume at @ip instead of the traced function (the ops has IPMODIFY). */
static inline void sg_fregs_set_ip(struct ftrace_regs *fregs, unsigned long ip)
{
	ftrace_regs_set_instruction_pointer(fregs, ip);
}
#else /* 6.1: x86_64 only; its ftrace_regs wraps a partly filled pt_regs */
static inline unsigned long sg_fregs_arg(struct ftrace_regs *fregs, unsigned int n)
{
	return regs_get_kernel_argument(&fregs->regs, n);
}

static inline void sg_fregs_set_ip(struct ftrace_regs *fregs, unsigned long ip)
{
	ftrace_instruction_pointer_set(fregs, ip);
}
#endif
#elif defined(CONFIG_DYNAMIC_FTRACE_WITH_REGS)
#define SG_HAVE_FTRACE 1
#define SG_FTRACE_OPS_FLAGS FTRACE_OPS_FL_SAVE_REGS

static inline unsigned long sg_fregs_arg(struct ftrace_regs *fregs, unsigned int n)
{
	return regs_get_kernel_argument(ftrace_get_regs(fregs), n);
}

static inline void sg_fregs_set_ip(struct ftrace_regs *fregs, unsigned long ip)
{
	instruction_pointer_set(ftrace_get_regs(fregs), ip);
}
#else
#define SG_HAVE_FTRACE 0
#endif

/*
 * Add one to a per-CPU count, safe against interrupts, for a caller that
 * already runs with preemption off (a tracepoint probe). this_cpu_inc() is
 * that too, but on arm64 it brackets its atomic add with the preemption
 * count, and on a preemptible kernel (GKI) those two brackets are half the
 * instructions of a clean free's check. x86's is one instruction anyway.
 */
#ifdef CONFIG_ARM64
#define sg_cpu_inc_nopreempt(pcp)					\
	do {								\
		BUILD_BUG_ON(sizeof(pcp) != 8);				\
		__percpu_add_case_64(raw_cpu_ptr(&(pcp)), 1);		\
	} while (0)
#else
#define sg_cpu_inc_nopreempt(pcp)	this_cpu_inc(pcp)
#endif

/*
 * A count that moves each time the CPU of @base takes its timer interrupt
 * (hrtimer_interrupt(), high-resolution timers only).
 */
static inline bool sg_hrtimer_base_events(const struct hrtimer_cpu_base *base,
					  unsigned int *events)
{
#ifdef CONFIG_HIGH_RES_TIMERS
	*events = READ_ONCE(base->nr_events);
	return true;
#else
	return false;
#endif
}

/*
 * One ops per direct trampoline. The _multi calls (6.1) later lost their
 * suffix, when the single-function ones went, and unregistering learnt to
 * free the filter, which the backend does itself. Which one the kernel has
 * is tested at build time (Kbuild: SG_FTRACE_DIRECT_MULTI).
 */
#if SG_HAVE_FTRACE_DIRECT
#ifndef SG_FTRACE_DIRECT_MULTI
static inline int sg_register_direct(struct ftrace_ops *ops, unsigned long addr)
{
	return register_ftrace_direct(ops, addr);
}

static inline int sg_unregister_direct(struct ftrace_ops *ops, unsigned long addr)
{
	return unregister_ftrace_direct(ops, addr, false);
}
#else
static inline int sg_register_direct(struct ftrace_ops *ops, unsigned long addr)
{
	return register_ftrace_direct_multi(ops, addr);
}

static inline int sg_unregister_direct(struct ftrace_ops *ops, unsigned long addr)
{
	return unregister_ftrace_direct_multi(ops, addr);
}
#endif
#endif

/*
 * Make a function return at once, from a kprobe at its first instruction:
 * resume at its return address, as its own return would, with the stack as
 * the caller left it. No module text is involved (a stub in slubguard would
 * be, and a task preempted there could find it gone after an unload: the
 * kprobe core waits for its handlers, not for the code they divert to).
 * Every function slubguard hooks returns void.
 */
static inline void sg_entry_return_now(struct pt_regs *regs)
{
#if defined(CONFIG_X86_64)
	regs->ip = *(unsigned long *)regs->sp;
	regs->sp += sizeof(unsigned long);
#else
	instruction_pointer_set(regs, procedure_link_pointer(regs));
#endif
}

/*
 * The return address of a function, read at its first instruction (a kprobe
 * at function entry): on x86_64 the call pushed it, on arm64 it is in the
 * link register.
 */
static inline unsigned long sg_entry_return_address(struct pt_regs *regs)
{
#if defined(CONFIG_X86_64)
	return *(unsigned long *)kernel_stack_pointer(regs);
#else
	return procedure_link_pointer(regs);
#endif
}

/*
 * hrtimer_start tracepoint. Some 6.1 stable releases (Debian's 6.1.192 is one)
 * added @was_armed to it; earlier ones do not have it. The version number
 * cannot tell them apart, so Kbuild reads the header and defines
 * SG_TP_HRTIMER_START_WAS_ARMED when the argument is there.
 */
#ifdef SG_TP_HRTIMER_START_WAS_ARMED
#define SG_HRTIMER_START_PROTO	struct hrtimer *timer, enum hrtimer_mode mode, bool was_armed
#else
#define SG_HRTIMER_START_PROTO	struct hrtimer *timer, enum hrtimer_mode mode
#endif

/*
 * timer_start tracepoint: (timer, expires, flags) in 6.1, (timer,
 * bucket_expiry) in later kernels; Kbuild reads the header.
 */
#ifdef SG_TP_TIMER_START_BUCKET_EXPIRY
#define SG_TIMER_START_PROTO	struct timer_list *timer, unsigned long bucket_expiry
#else
#define SG_TIMER_START_PROTO	struct timer_list *timer, unsigned long expires, unsigned int flags
#endif

/* workqueue_queue_work tracepoint: (req_cpu, pwq, work). */
struct pool_workqueue;
#define SG_WORK_QUEUE_PROTO	int req_cpu, struct pool_workqueue *pwq, struct work_struct *work

/* del_timer_sync() in 6.1; timer_delete_sync() from 6.2. */
static inline void sg_timer_delete_sync(struct timer_list *timer)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	timer_delete_sync(timer);
#else
	del_timer_sync(timer);
#endif
}

/*
 * The slab cache an object belongs to, and a cache's name, constructor and
 * flags. They live in structures private to mm/ (struct slab, struct
 * kmem_cache) whose layout changes between versions and configurations.
 * Rather than mirror them, sg_compat_init() finds the fields at load time in
 * caches it creates itself, cross-checks them on several caches and on
 * kmalloc, and refuses to load if they do not agree; afterwards reading one
 * is one load.
 */
extern unsigned int sg_slab_cache_offset;
extern unsigned int sg_cache_name_offset;
extern unsigned int sg_cache_ctor_offset;
extern unsigned int sg_cache_flags_offset;
extern unsigned int sg_cache_size_offset;

static inline struct kmem_cache *sg_folio_cache(struct folio *folio)
{
	if (!folio_test_slab(folio))
		return NULL;
	return *(struct kmem_cache **)((char *)folio + sg_slab_cache_offset);
}

static inline struct kmem_cache *sg_obj_cache(const void *obj)
{
	return sg_folio_cache(virt_to_folio(obj));
}

/* kmem_cache_size(), without the call. */
static inline unsigned int sg_cache_size(const struct kmem_cache *s)
{
	return *(const unsigned int *)((const char *)s + sg_cache_size_offset);
}

static inline const char *sg_cache_name(const struct kmem_cache *s)
{
	return *(const char * const *)((const char *)s + sg_cache_name_offset);
}

/*
 * May a freed object of @s be overwritten? Not if the cache has a
 * constructor (its free objects must stay constructed) or is
 * SLAB_TYPESAFE_BY_RCU (readers may still look at freed objects): SLUB does
 * not poison those either.
 */
static inline bool sg_cache_poisonable(const struct kmem_cache *s)
{
	const char *p = (const char *)s;
	slab_flags_t flags = *(const slab_flags_t *)(p + sg_cache_flags_offset);

	return !*(void * const *)(p + sg_cache_ctor_offset) &&
	       !(flags & SLAB_TYPESAFE_BY_RCU);
}

/* The size of memory from the page allocator that kfree() would free. */
static inline size_t sg_obj_page_size(const void *obj)
{
	return folio_size(virt_to_folio(obj));
}

/*
 * Memory allocation profiling (6.10) made krealloc() a macro around
 * krealloc_noprof(), the function that runs.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define sg_krealloc_fn	krealloc_noprof
#else
#define sg_krealloc_fn	krealloc
#endif

/*
 * kvfree_call_rcu(), behind kfree_rcu() and kvfree_rcu(): in 6.1 its second
 * argument is the offset of the rcu_head in the object, or, with no head,
 * the object itself; from 6.3 it is always the object.
 */
static inline const void *sg_kvfree_rcu_object(unsigned long head, unsigned long arg)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	return (const void *)arg;
#else
	return head ? (const void *)(head - arg) : (const void *)arg;
#endif
}

/*
 * The size of a vmalloc area, from find_vm_area(), which is not exported and
 * takes vmap_area_lock (6.1; a vmap node's lock from 6.9): a plain spinlock
 * the kernel never takes in interrupt context (vfree() defers there), and a
 * sleeping lock on PREEMPT_RT, where a hook (preemption off) must not take
 * it. Elsewhere, or without find_vm_area(), the area's pages are counted
 * from its page tables (sg_vmalloc_mapped_size()).
 */
extern struct vm_struct *(*sg_find_vm_area)(const void *addr);
size_t sg_vmalloc_mapped_size(const void *addr);

static inline size_t sg_vmalloc_size(const void *addr)
{
	struct vm_struct *area;

	if (IS_ENABLED(CONFIG_PREEMPT_RT) || in_interrupt() || !sg_find_vm_area)
		return sg_vmalloc_mapped_size(addr);
	area = sg_find_vm_area(addr);
	return area && area->addr == addr ? get_vm_area_size(area) :
					   sg_vmalloc_mapped_size(addr);
}

/*
 * vfree() from interrupt context, and vfree_atomic(), defer the free to a
 * work. From 6.3 that work frees with vfree(), which slubguard sees again
 * in process context (6.12: delayed_vfree_work()); 6.1's work calls
 * __vunmap(), which is not hooked.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define SG_VFREE_DEFERRED_SEEN	1
#else
#define SG_VFREE_DEFERRED_SEEN	0
#endif

/*
 * The function a kprobe was placed at the entry of: with x86's IBT, the
 * kprobe sits after the function's ENDBR, and an indirect call must land on
 * the ENDBR.
 */
static inline unsigned long sg_kprobe_function(unsigned long addr)
{
#ifdef CONFIG_X86_KERNEL_IBT
	u32 insn;

	if (!copy_from_kernel_nofault(&insn, (void *)(addr - ENDBR_INSN_SIZE), sizeof(insn)) &&
	    is_endbr(insn))
		addr -= ENDBR_INSN_SIZE;
#endif
	return addr;
}

/* Does an indirect call end at @ret? x86_64 only: elsewhere no overlap. */
static inline bool sg_call_indirect_before(unsigned long ret)
{
#if defined(CONFIG_X86_64)
	u8 b[6];

	return !copy_from_kernel_nofault(b, (void *)(ret - sizeof(b)), sizeof(b)) &&
	       sg_x86_indirect_call(b);
#else
	return false;
#endif
}

static inline enum sg_call_kind sg_call_before(unsigned long ret, unsigned long *target)
{
#if defined(CONFIG_X86_64)
	u8 b[6];

	if (copy_from_kernel_nofault(b, (void *)(ret - sizeof(b)), sizeof(b)))
		return SG_CALL_UNKNOWN;
	return sg_x86_call(b, ret, target);
#elif defined(CONFIG_ARM64)
	__le32 raw;

	if (copy_from_kernel_nofault(&raw, (void *)(ret - 4), sizeof(raw)))
		return SG_CALL_UNKNOWN;
	return sg_arm64_call(le32_to_cpu(raw), ret, target);
#else
	return SG_CALL_UNKNOWN;
#endif
}

unsigned long sg_lookup_name(const char *name);
/*
 * Wait until every call that had passed a hooked function's entry when this
 * was called has also passed the few instructions after it (kfree()'s
 * tracepoint). A call there that an interrupt stops, or that cannot be
 * preempted (no CONFIG_PREEMPTION), gets through before its CPU reports an
 * RCU quiescent state. On a preemptible kernel the task may be preempted
 * there: RCU Tasks waits for it, as the function tracer and kprobes do for
 * their trampolines (both select TASKS_RCU where the kernel is
 * preemptible). Process context; sleeps.
 */
static inline void sg_wait_calls_in_flight(void)
{
	synchronize_rcu();
#ifdef CONFIG_PREEMPTION
	synchronize_rcu_tasks();
#endif
}

/*
 * Run @fn(@arg) on @cpu and wait, for a check at load that allocates and
 * frees there: from an interprocessor call (interrupts off: nothing else on
 * that CPU runs meanwhile), except on PREEMPT_RT, where memory must not be
 * allocated or freed with interrupts off (SLUB's locks sleep there: a
 * "scheduling while atomic" and then an RCU stall, seen on 6.1-rt arm64
 * under load): in a worker bound to that CPU. The caller holds the CPU
 * online (cpus_read_lock()). Process context; sleeps.
 */
#ifdef CONFIG_PREEMPT_RT
struct sg_on_cpu {
	void (*fn)(void *arg);
	void *arg;
};

static inline long sg_on_cpu_work(void *data)
{
	struct sg_on_cpu *on = data;

	on->fn(on->arg);
	return 0;
}

static inline void sg_run_on_cpu(int cpu, void (*fn)(void *arg), void *arg)
{
	struct sg_on_cpu on = { fn, arg };

	work_on_cpu(cpu, sg_on_cpu_work, &on);
}
#else
static inline void sg_run_on_cpu(int cpu, void (*fn)(void *arg), void *arg)
{
	smp_call_function_single(cpu, fn, arg, 1);
}
#endif

int sg_compat_init(void);

#endif /* __ASSEMBLY__ */

#endif /* SLUBGUARD_COMPAT_H */
