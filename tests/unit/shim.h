/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough of the kernel for slubguard's registry, its timer events and
 * its free check (registry.c, tracepoints.c, types.c, check.c) to build and
 * run as a host program: force-included before them (tests/unit/run.sh),
 * with every <linux/...> header they name made empty.
 *
 * A "CPU" is a thread of the test (shim_on_cpu()): per-CPU variables are
 * thread-local, smp_processor_id() is the thread's number. Interrupts are
 * not modelled: local_irq_save() does nothing, and the bucket locks are
 * real atomics, so events run from two threads at once really race.
 */
#ifndef SG_UNIT_SHIM_H
#define SG_UNIT_SHIM_H

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* slubguard's own compat.h and trace.h are replaced by what follows. */
#define SLUBGUARD_COMPAT_H
#define SLUBGUARD_TRACE_H

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int32_t s32;
typedef uint64_t u64;
typedef int64_t s64;
typedef s64 ktime_t;
typedef unsigned int gfp_t;
typedef int pid_t_;

#define U8_MAX		UINT8_MAX
#define U32_MAX		UINT32_MAX
#define U64_MAX		UINT64_MAX
#define BITS_PER_LONG	64
#define NR_CPUS		8
#define GFP_KERNEL	0
#define NSEC_PER_USEC	1000L
#define NSEC_PER_MSEC	1000000L
#define NSEC_PER_SEC	1000000000L
#define MSEC_PER_SEC	1000L
#define HZ		250
#define TICK_NSEC	(NSEC_PER_SEC / HZ)

#define __acquires(x)
#define __releases(x)
#define __acquire(x)	((void)0)
#define __release(x)	((void)0)
#undef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#define noinline	__attribute__((noinline))
#define __init
#define __exit
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#define __aligned(x)	__attribute__((aligned(x)))
#define __maybe_unused	__attribute__((unused))
#define fallthrough	__attribute__((fallthrough))
#define BIT(n)		(1UL << (n))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define IS_ENABLED(x)	0
#define pr_info(...)	((void)0)
#define pr_warn(...)	((void)0)
#define pr_err(...)	((void)0)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define READ_ONCE(x)	(*(volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define smp_rmb()	__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n(p, v, __ATOMIC_RELEASE)
#define cmpxchg_relaxed(p, o, n) ({					\
	__typeof__(*(p)) __old = (o);					\
	__atomic_compare_exchange_n(p, &__old, n, false,		\
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);\
	__old; })
#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax()	__builtin_ia32_pause()
#else
#define cpu_relax()	__asm__ volatile("" ::: "memory")
#endif
#define lockdep_assert_irqs_disabled()	((void)0)
#define lockdep_assert_held(l)		((void)0)
#define local_irq_save(f)	((f) = 0)
#define local_irq_restore(f)	((void)(f))
#define preempt_disable()	((void)0)
#define preempt_enable()	((void)0)
#define in_hardirq()		0
#define in_softirq()		0
#define kasan_disable_current()	do { } while (0)
#define kasan_enable_current()	do { } while (0)
#define ZERO_OR_NULL_PTR(p)	((unsigned long)(p) <= 16)

/* One "CPU" a thread. */
extern __thread int shim_cpu;
#define DECLARE_PER_CPU(type, name)	extern __thread __typeof__(type) name
#define DEFINE_PER_CPU(type, name)	__thread __typeof__(type) name
#define this_cpu_ptr(p)			(p)
#define this_cpu_inc(x)			((x)++)
#define this_cpu_read(x)		(x)
#define this_cpu_write(x, v)		((x) = (v))
#define __this_cpu_read(x)		(x)
#define __this_cpu_write(x, v)		((x) = (v))
#define smp_processor_id()		shim_cpu
#define raw_smp_processor_id()		shim_cpu

/* Static keys: plain flags. */
struct static_key_false { bool enabled; };
#define DECLARE_STATIC_KEY_FALSE(name)	extern struct static_key_false name
#define static_branch_unlikely(k)	((k)->enabled)

/* hlist and hlist_bl, as the kernel's. */
struct hlist_node { struct hlist_node *next, **pprev; };
struct hlist_head { struct hlist_node *first; };
struct list_head { struct list_head *next, *prev; };

static inline void hlist_del(struct hlist_node *n)
{
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
}

static inline void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	n->next = h->first;
	if (h->first)
		h->first->pprev = &n->next;
	h->first = n;
	n->pprev = &h->first;
}

struct hlist_bl_node { struct hlist_bl_node *next, **pprev; };
struct hlist_bl_head { struct hlist_bl_node *first; };
#define LIST_BL_LOCKMASK	1UL
#define INIT_HLIST_BL_HEAD(h)	((h)->first = NULL)
#define hlist_bl_first(h) \
	((struct hlist_bl_node *)((unsigned long)(h)->first & ~LIST_BL_LOCKMASK))
#define hlist_bl_empty(h)	(!hlist_bl_first(h))
#define hlist_bl_entry(ptr, type, member)	container_of(ptr, type, member)
#define hlist_bl_for_each_entry(tpos, pos, head, member)			\
	for (pos = hlist_bl_first(head);					\
	     pos && ((tpos = hlist_bl_entry(pos, __typeof__(*tpos), member)), 1); \
	     pos = pos->next)

static inline void hlist_bl_set_first(struct hlist_bl_head *h, struct hlist_bl_node *n)
{
	h->first = (struct hlist_bl_node *)((unsigned long)n | LIST_BL_LOCKMASK);
}

static inline void hlist_bl_add_head(struct hlist_bl_node *n, struct hlist_bl_head *h)
{
	struct hlist_bl_node *first = hlist_bl_first(h);

	n->next = first;
	if (first)
		first->pprev = &n->next;
	n->pprev = &h->first;
	hlist_bl_set_first(h, n);
}

static inline void hlist_bl_del(struct hlist_bl_node *n)
{
	struct hlist_bl_node *next = n->next;
	struct hlist_bl_node **pprev = n->pprev;
	unsigned long lock = (unsigned long)*pprev & LIST_BL_LOCKMASK;

	WRITE_ONCE(*pprev, (struct hlist_bl_node *)((unsigned long)next | lock));
	if (next)
		next->pprev = pprev;
}

/* Atomics and bits. */
typedef struct { long counter; } atomic_long_t;
#define atomic_long_fetch_or_acquire(v, p) \
	__atomic_fetch_or(&(p)->counter, v, __ATOMIC_ACQUIRE)
static inline bool test_and_set_bit_lock(int nr, unsigned long *w)
{
	return __atomic_fetch_or(w, 1UL << nr, __ATOMIC_ACQUIRE) & (1UL << nr);
}
static inline bool test_bit(int nr, const unsigned long *w)
{
	return __atomic_load_n(w, __ATOMIC_RELAXED) & (1UL << nr);
}
static inline void __clear_bit_unlock(int nr, unsigned long *w)
{
	__atomic_fetch_and(w, ~(1UL << nr), __ATOMIC_RELEASE);
}

/* Memory, time, symbols. */
#define kvcalloc(n, s, f)	calloc(n, s)
#define kvfree(p)		free(p)
#define kzalloc(s, f)		calloc(1, s)
#define kfree(p)		free(p)
static inline long copy_from_kernel_nofault(void *dst, const void *src, size_t n)
{
	if (!src || (unsigned long)src < 4096)
		return -EFAULT;
	memcpy(dst, src, n);
	return 0;
}
/*
 * A fifth of the host's clock: the module's bounds on a wait (200 ms for a
 * callback to be let go) are 1 s of the host's time here, where busy
 * guests beside the tests can starve a thread for a few hundred ms (a test
 * of a callback returning while the free waits failed so once).
 */
static inline u64 ktime_get_mono_fast_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec) / 5;
}
#define ktime_to_ns(t)		((s64)(t))
#define ms_to_ktime(ms)		((ktime_t)(ms) * NSEC_PER_MSEC)
extern unsigned long jiffies;

/* The timer and workqueue objects, with the fields slubguard reads. */
typedef struct { unsigned int sequence; } seqcount_raw_spinlock_t;
#define raw_read_seqcount(s)		READ_ONCE((s)->sequence)
#define read_seqcount_retry(s, seq)	(READ_ONCE((s)->sequence) != (seq))

struct hrtimer;
struct timerqueue_node { int unused; };
struct hrtimer_cpu_base {
	unsigned int cpu;
	int lock;
	struct { int active; } clock_base[1];
	unsigned int nr_events;		/* as with CONFIG_HIGH_RES_TIMERS */
	bool events_known;		/* the shim's: false stands for its absence */
};

/* compat.h's, for the shim's bases. */
static inline bool sg_hrtimer_base_events(const struct hrtimer_cpu_base *base,
					  unsigned int *events)
{
	*events = __atomic_load_n(&base->nr_events, __ATOMIC_RELAXED);
	return base->events_known;
}
struct hrtimer_clock_base {
	struct hrtimer_cpu_base *cpu_base;
	seqcount_raw_spinlock_t seq;
	struct hrtimer *running;
};
enum hrtimer_restart { HRTIMER_NORESTART, HRTIMER_RESTART };
#define HRTIMER_STATE_INACTIVE	0
#define HRTIMER_STATE_ENQUEUED	1
struct hrtimer {
	struct timerqueue_node node;
	ktime_t expires;
	enum hrtimer_restart (*function)(struct hrtimer *);
	struct hrtimer_clock_base *base;
	u8 state;
};
enum hrtimer_mode { HRTIMER_MODE_ABS, HRTIMER_MODE_REL };
static inline s64 hrtimer_get_softexpires_tv64(const struct hrtimer *t) { return t->expires; }
static inline ktime_t hrtimer_expires_remaining(const struct hrtimer *t) { return t->expires; }
int hrtimer_try_to_cancel(struct hrtimer *t);
int hrtimer_cancel(struct hrtimer *t);

struct timer_list {
	struct hlist_node entry;
	unsigned long expires;
	void (*function)(struct timer_list *);
	u32 flags;
};
static inline bool timer_pending(const struct timer_list *t)
{
	return READ_ONCE(t->entry.pprev) != NULL;
}
int try_to_del_timer_sync(struct timer_list *t);
static inline void sg_timer_delete_sync(struct timer_list *t) { try_to_del_timer_sync(t); }

struct work_struct;
typedef void (*work_func_t)(struct work_struct *);
struct work_struct {
	unsigned long data;
	struct list_head entry;
	work_func_t func;
};
#define WORK_STRUCT_PENDING	1UL
#define WORK_STRUCT_PWQ		4UL
#define work_data_bits(w)	(&(w)->data)
#define work_pending(w)		(READ_ONCE((w)->data) & WORK_STRUCT_PENDING)
struct delayed_work {
	struct work_struct work;
	struct timer_list timer;
};
void delayed_work_timer_fn(struct timer_list *t);
bool cancel_work(struct work_struct *w);
bool cancel_work_sync(struct work_struct *w);
bool flush_work(struct work_struct *w);
bool cancel_delayed_work(struct delayed_work *w);
bool cancel_delayed_work_sync(struct delayed_work *w);
struct pool_workqueue;

struct kthread_work;
typedef void (*kthread_work_func_t)(struct kthread_work *);
struct kthread_worker { int unused; };
struct kthread_work {
	struct list_head node;
	kthread_work_func_t func;
	struct kthread_worker *worker;
	int canceling;
};
struct kthread_delayed_work {
	struct kthread_work work;
	struct timer_list timer;
};
static inline bool list_empty_careful(const struct list_head *h)
{
	return h->next == h && h->prev == h;
}
void kthread_delayed_work_timer_fn(struct timer_list *t);
bool kthread_cancel_work_sync(struct kthread_work *w);
bool kthread_cancel_delayed_work_sync(struct kthread_delayed_work *w);

struct device_driver { const char *name; };
struct device {
	const char *name;
	struct device_driver *driver;
};
static inline const char *dev_name(const struct device *d) { return d->name; }
static inline void strscpy(char *dst, const char *src, size_t n)
{
	snprintf(dst, n, "%s", src);
}

/* Tasks: a worker is one of these; current is the thread's. */
#define TASK_RUNNING	0
#define TASK_INTERRUPTIBLE 1
struct task_struct {
	unsigned int __state;
	int on_cpu;
	int cpu;
	int pid;
	char comm[16];
};
extern __thread struct task_struct *current;
#define task_cpu(t)	((t)->cpu)

/* The tracepoint probes' prototypes (compat.h's), as on 6.1.170 and later. */
#define SG_HRTIMER_START_PROTO	struct hrtimer *timer, enum hrtimer_mode mode, bool was_armed
#define SG_TIMER_START_PROTO	struct timer_list *timer, unsigned long expires, unsigned int flags
#define SG_WORK_QUEUE_PROTO	int req_cpu, struct pool_workqueue *pwq, struct work_struct *work
#define SG_VFREE_DEFERRED_SEEN	1

/* What tracepoints.c's attach code calls: never, in these tests. */
struct tracepoint { const char *name; };
struct kmem_cache;
struct module;
#define for_each_kernel_tracepoint(fn, priv)	((void)0)
#define tracepoint_probe_register(tp, probe, data)	({ abort(); 0; })
#define tracepoint_probe_unregister(tp, probe, data)	abort()
#define tracepoint_synchronize_unregister()	((void)0)
#define cpus_read_lock()	((void)0)
#define cpus_read_unlock()	((void)0)
#define for_each_online_cpu(c)	for ((c) = 0; (c) < 0; (c)++)
#define work_on_cpu(c, fn, a)	({ abort(); 0L; })
#define hrtimer_init_on_stack(t, c, m)	abort()
#define hrtimer_init(t, c, m)		abort()
#define destroy_hrtimer_on_stack(t)	abort()
#define hrtimer_start(t, e, m)		abort()
#define timer_setup(t, f, fl)		abort()
#define mod_timer(t, e)			abort()
#define del_timer(t)			abort()
#define smp_call_function_single(c, f, i, w)	({ abort(); 0; })
#define raw_spin_lock_irqsave(l, f)	((void)(f = 0))
#define raw_spin_unlock_irqrestore(l, f) ((void)(f))
#define HRTIMER_MAX_CLOCK_BASES	0
#define timerqueue_getnext(q)	((struct timerqueue_node *)NULL)
#define timerqueue_iterate_next(n) ((struct timerqueue_node *)NULL)
#define CLOCK_MONOTONIC_	1
#define HRTIMER_MODE_REL_PINNED	HRTIMER_MODE_REL
#define TIMER_PINNED	0
#define jiffies_shim	jiffies

/* The trace event slubguard's registry fires. */
#define trace_track_failure(obj, kind)	((void)0)

/* check.c's locks. */
typedef struct { int unused; } raw_spinlock_t;
#define __RAW_SPIN_LOCK_UNLOCKED(x)	{ 0 }
#define panic(...)	abort()
/* The unit tests' objects are ordinary memory. */
static inline bool is_vmalloc_addr(const void *p)
{
	return false;
}

#endif /* SG_UNIT_SHIM_H */
