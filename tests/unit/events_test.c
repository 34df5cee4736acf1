// SPDX-License-Identifier: GPL-2.0
/*
 * slubguard's registry, timer and workqueue events and free check, run on
 * the host: the kernel's events are replayed, in the order each kernel
 * generation fires them, into the module's own code (registry.c,
 * tracepoints.c, types.c, check.c, built here against tests/unit/shim.h),
 * and each free is checked as the hooks would check it. Every case says
 * what a correct detector reports; a "CPU" is a thread.
 *
 * Kernel generations, for an hrtimer's expiry:
 *	new	no cancel event at expiry (6.1.170 and 6.12.85 on: Debian's)
 *	old	hrtimer_cancel fires as the timer is dequeued, before
 *		hrtimer_expire_entry (upstream before those, many vendor and
 *		Android kernels)
 * A timer_list's expiry fires timer_cancel as it is detached, then
 * timer_expire_entry and timer_expire_exit around the callback, in both.
 */
#include <pthread.h>
#include <unistd.h>

/* registry.c's own unlink(), not the C library's. */
#define unlink registry_unlink
#include "../../slubguard/insn.h"
#include "../../slubguard/registry.c"
#undef unlink
#include "../../slubguard/types.c"
#include "../../slubguard/tracepoints.c"
#include "../../slubguard/check.c"

__thread int shim_cpu;
__thread struct task_struct *current;
unsigned long jiffies;
DEFINE_PER_CPU(unsigned long [SG_NR_COUNTERS], sg_counters);
DEFINE_PER_CPU(struct sg_cpu_nodes, sg_cpu_nodes);
struct static_key_false sg_track_stacks_key;
bool sg_track_stacks;
bool sg_poison;

static struct task_struct tasks[NR_CPUS], workers[NR_CPUS];

/* The pool: nodes from the heap, never given back (a test's worth). */
bool sg_cpu_refill(struct sg_cpu_nodes *c)
{
	for (; c->nr < SG_CPU_BATCH; c->nr++)
		hlist_add_head(calloc(1, SG_NODE_SIZE), &c->free);
	return true;
}

void sg_cpu_spill(struct sg_cpu_nodes *c)
{
}

u32 sg_stack_save(void)
{
	return 0;
}

/* What check.c hands over when it reports. */
static struct {
	unsigned int nr;
	const char *kind;
	int running_cpu;
} reported;

void sg_report_print(const struct sg_report *r)
{
	reported.nr++;
	reported.kind = r->timers[0].kind->name;
	reported.running_cpu = r->timers[0].running_cpu;
}

const char *sg_alloc_name(const void *obj, struct kmem_cache *cache)
{
	return "test";
}

void sg_report_fill_context(struct sg_report *r)
{
	r->culprit = 0;
}

enum sg_quarantine_result sg_quarantine(const struct sg_free *free, unsigned long culprit,
					const struct sg_hit *hits, unsigned int nr)
{
	abort();
}

bool sg_quarantine_poisonable(const struct sg_free *free)
{
	abort();
}

int hrtimer_try_to_cancel(struct hrtimer *t) { abort(); }
int hrtimer_cancel(struct hrtimer *t) { abort(); }
int try_to_del_timer_sync(struct timer_list *t) { abort(); }
void delayed_work_timer_fn(struct timer_list *t) { }
bool cancel_work(struct work_struct *w) { abort(); }
bool cancel_work_sync(struct work_struct *w) { abort(); }
bool flush_work(struct work_struct *w) { abort(); }
bool cancel_delayed_work(struct delayed_work *w) { abort(); }
bool cancel_delayed_work_sync(struct delayed_work *w) { abort(); }
void kthread_delayed_work_timer_fn(struct timer_list *t) { }
bool kthread_cancel_work_sync(struct kthread_work *w) { abort(); }
bool kthread_cancel_delayed_work_sync(struct kthread_delayed_work *w) { abort(); }

/* Run @fn on "CPU" @cpu, as task @task (NULL: that CPU's own task). */
struct on_cpu {
	int cpu;
	struct task_struct *task;
	void (*fn)(void *);
	void *arg;
	unsigned int delay_ms;
	pthread_t thread;
};

static void *on_cpu_thread(void *p)
{
	struct on_cpu *o = p;

	shim_cpu = o->cpu;
	current = o->task ?: &tasks[o->cpu];
	if (o->delay_ms)
		usleep(o->delay_ms * 1000);
	o->fn(o->arg);
	return NULL;
}

static void start_on_cpu(struct on_cpu *o)
{
	if (pthread_create(&o->thread, NULL, on_cpu_thread, o))
		abort();
}

static void on_cpu(int cpu, struct task_struct *task, void (*fn)(void *), void *arg)
{
	struct on_cpu o = { cpu, task, fn, arg, 0 };

	start_on_cpu(&o);
	pthread_join(o.thread, NULL);
}

/* The objects: an hrtimer, a timer_list and a work in one driver's state. */
struct priv {
	struct hrtimer ht;
	struct timer_list tl;
	struct work_struct work;
	struct kthread_work kwork;
	char tail[64];
};

static struct priv *obj;
static struct hrtimer_cpu_base cpu_bases[NR_CPUS];
static struct hrtimer_clock_base clock_bases[NR_CPUS];

static enum hrtimer_restart ht_fn(struct hrtimer *t) { return HRTIMER_NORESTART; }
static void tl_fn(struct timer_list *t) { }
static void work_fn(struct work_struct *w) { }
static void kwork_fn(struct kthread_work *w) { }

static void fresh(void)
{
	int cpu;

	sg_registry_clear();
	sg_check_forget_queued();
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		cpu_bases[cpu].cpu = cpu;
		clock_bases[cpu] = (struct hrtimer_clock_base){ .cpu_base = &cpu_bases[cpu] };
		tasks[cpu] = (struct task_struct){ .on_cpu = 1, .cpu = cpu };
		workers[cpu] = (struct task_struct){ .on_cpu = 1, .cpu = cpu };
	}
	memset(obj, 0, sizeof(*obj));
	obj->ht.function = ht_fn;
	obj->ht.base = &clock_bases[0];
	obj->tl.function = tl_fn;
	obj->work.func = work_fn;
	obj->kwork.func = kwork_fn;
	obj->kwork.node.next = obj->kwork.node.prev = &obj->kwork.node;
	memset(&reported, 0, sizeof(reported));
}

/* The check a hook makes of kfree(obj). */
static void free_obj(void *unused)
{
	struct sg_free f = {
		.obj = obj, .size = sizeof(*obj), .how = SG_GIVE_KFREE, .via = "kfree",
		.can_hold = true,
	};

	if (sg_registry_maybe(f.obj, f.size))
		sg_check_free(&f);
}

/* The kernel's events and state changes, by what the kernel does. */
static bool old_order;

static void ht_arm(void *unused)
{
	obj->ht.expires = 3600 * NSEC_PER_SEC;
	obj->ht.base = &clock_bases[shim_cpu];
	obj->ht.state = HRTIMER_STATE_ENQUEUED;
	probe_hrtimer_start(NULL, &obj->ht, HRTIMER_MODE_REL, false);
}

/* __run_hrtimer() up to the callback, on this CPU. */
static void ht_expire_entry(void *unused)
{
	ktime_t now = obj->ht.expires;

	obj->ht.state = HRTIMER_STATE_INACTIVE;
	obj->ht.base->running = &obj->ht;
	if (old_order)
		probe_hrtimer_cancel(NULL, &obj->ht);
	probe_hrtimer_expire_entry(NULL, &obj->ht, &now);
}

static void ht_expire_exit(void *unused)
{
	probe_hrtimer_expire_exit(NULL, &obj->ht);
}

/* After the callback: re-enqueued if it asked, then no longer running. */
static void ht_restart(void *unused)
{
	obj->ht.expires += NSEC_PER_SEC;
	obj->ht.state = HRTIMER_STATE_ENQUEUED;
	probe_hrtimer_start(NULL, &obj->ht, HRTIMER_MODE_ABS, false);
}

static void ht_not_running(void *unused)
{
	WRITE_ONCE(obj->ht.base->running, NULL);
}

static void tl_arm(void *unused)
{
	obj->tl.entry.pprev = &obj->tl.entry.next;
	obj->tl.flags = shim_cpu;
	probe_timer_start(NULL, &obj->tl, 1, 0);
}

/* expire_timers(): detached (a cancel event), then the callback's entry. */
static void tl_expire_entry(void *unused)
{
	probe_timer_cancel(NULL, &obj->tl);
	obj->tl.entry.pprev = NULL;
	probe_timer_expire_entry(NULL, &obj->tl, 0);
}

static void tl_expire_exit(void *unused)
{
	probe_timer_expire_exit(NULL, &obj->tl);
}

static void work_queue(void *unused)
{
	obj->work.data |= WORK_STRUCT_PENDING | WORK_STRUCT_PWQ;
	probe_work_queue(NULL, shim_cpu, NULL, &obj->work);
}

/* process_one_work(): the pending bit cleared, then the start event. */
static void work_clear_pending(void *unused)
{
	obj->work.data &= ~(WORK_STRUCT_PENDING | WORK_STRUCT_PWQ);
}

static void work_start(void *unused)
{
	probe_work_start(NULL, &obj->work);
}

static void work_end(void *unused)
{
	probe_work_end(NULL, &obj->work, work_fn);
}

/* kthread_insert_work(), and kthread_worker_fn() taking the work off. */
static struct list_head kworker_list = { &kworker_list, &kworker_list };

static void kwork_queue(void *unused)
{
	obj->kwork.node.next = obj->kwork.node.prev = &kworker_list;
	probe_kthread_work_queue(NULL, NULL, &obj->kwork);
}

static void kwork_dequeue(void *unused)
{
	obj->kwork.node.next = obj->kwork.node.prev = &obj->kwork.node;
}

static void kwork_start(void *unused)
{
	probe_kthread_work_start(NULL, &obj->kwork);
}

static void kwork_end(void *unused)
{
	probe_kthread_work_end(NULL, &obj->kwork, kwork_fn);
}

/* Results, as KTAP, and the suite's closing count. */
static unsigned int passed, failed, nr;

static void expect(const char *name, unsigned int want_reports, const char *kind,
		   int running_cpu)
{
	bool ok = reported.nr == want_reports &&
		  (!want_reports || (!strcmp(reported.kind, kind) &&
				     reported.running_cpu == running_cpu));

	printf("%sok %u %s%s", ok ? "" : "not ", ++nr, old_order ? "old order: " : "", name);
	if (!ok)
		printf(" # want %u report(s) %s cpu %d, got %u %s cpu %d", want_reports,
		       kind ?: "-", running_cpu, reported.nr, reported.kind ?: "-",
		       reported.running_cpu);
	printf("\n");
	ok ? passed++ : failed++;
}

static void hrtimer_cases(void)
{
	struct on_cpu o;

	fresh();
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("hrtimer armed, freed: reported queued", 1, "hrtimer", -1);

	/* The seed's bug: freed while its callback runs, before it re-arms. */
	fresh();
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(0, NULL, ht_expire_entry, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("hrtimer callback running on CPU 0, freed from CPU 1: reported running", 1,
	       "hrtimer", 0);

	/* The callback signalled and returns as the free waits. */
	fresh();
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(0, NULL, ht_expire_entry, NULL);
	o = (struct on_cpu){ .cpu = 0, .fn = ht_not_running, .delay_ms = 20 };
	start_on_cpu(&o);
	on_cpu(0, NULL, ht_expire_exit, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	pthread_join(o.thread, NULL);
	expect("hrtimer callback returned NORESTART, base still names it running: not reported",
	       0, NULL, -1);

	fresh();
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(0, NULL, ht_expire_entry, NULL);
	on_cpu(0, NULL, ht_expire_exit, NULL);
	on_cpu(0, NULL, ht_restart, NULL);
	on_cpu(0, NULL, ht_not_running, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("hrtimer callback returned HRTIMER_RESTART: reported queued", 1, "hrtimer", -1);

	fresh();
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(0, NULL, ht_expire_entry, NULL);
	on_cpu(0, NULL, free_obj, NULL);
	expect("hrtimer freed by its own callback: not reported", 0, NULL, -1);

	fresh();
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(0, NULL, ht_expire_entry, NULL);
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(0, NULL, ht_expire_exit, NULL);
	on_cpu(0, NULL, ht_not_running, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("hrtimer re-armed by its callback, freed after: reported queued", 1, "hrtimer", -1);
}

static enum hrtimer_restart other_fn(struct hrtimer *t) { return HRTIMER_NORESTART; }

/* Memory reused: the entry is stale, and the free of that memory drops it. */
static void stale_case(void)
{
	struct sg_hit hit;
	unsigned int left;

	fresh();
	on_cpu(0, NULL, ht_arm, NULL);
	obj->ht.state = HRTIMER_STATE_INACTIVE;
	obj->ht.function = other_fn;
	on_cpu(1, NULL, free_obj, NULL);
	left = sg_registry_find(obj, sizeof(*obj), &hit, 1);
	reported.nr += left;	/* an entry left behind counts as a failure */
	expect("entry of reused memory (another callback): not reported, and dropped", 0, NULL, -1);
}

/* A free whose range ends inside the hrtimer: kfree() of a smaller object there. */
static void free_short(void *unused)
{
	struct sg_free f = {
		.obj = obj, .size = (char *)&obj->ht - (char *)obj + 8,
		.how = SG_GIVE_KFREE, .via = "kfree", .can_hold = true,
	};

	if (sg_registry_maybe(f.obj, f.size))
		sg_check_free(&f);
}

/* An entry that runs past the end of the range: an earlier object's, never read. */
static void past_end_case(void)
{
	struct sg_hit hit;
	unsigned int left;

	fresh();
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(1, NULL, free_short, NULL);
	left = sg_registry_find(obj, sizeof(*obj), &hit, 1);
	reported.nr += left;
	expect("entry running past the end of the freed range: not read, not reported, dropped",
	       0, NULL, -1);
}

/* The page allocator's free of the memory obj lies in (kmem:mm_page_free). */
static void free_pages_of_obj(void *unused)
{
	struct sg_free f = {
		.obj = obj, .size = sizeof(*obj), .how = SG_GIVE_PAGES, .via = "__free_pages",
	};

	if (sg_registry_maybe(f.obj, f.size))
		sg_check_free(&f);
}

/*
 * A large kmalloc()'s kfree() gives its pages back at once, and a slab's
 * pages go back once its objects are freed: a timer reported at kfree() is
 * not reported again there, unless armed again since.
 */
static void pages_case(void)
{
	fresh();
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	on_cpu(1, NULL, free_pages_of_obj, NULL);
	expect("kfree() of armed hrtimer, then its pages' free: reported once", 1, "hrtimer", -1);

	memset(&reported, 0, sizeof(reported));
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(1, NULL, free_pages_of_obj, NULL);
	expect("armed again since: the pages' free is reported", 1, "hrtimer", -1);

	/* Armed again between the two, as a callback still running may. */
	fresh();
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(1, NULL, free_pages_of_obj, NULL);
	expect("kfree() reported, armed again, then its pages' free: reported once", 1,
	       "hrtimer", -1);

	fresh();
	on_cpu(0, NULL, ht_arm, NULL);
	on_cpu(1, NULL, free_pages_of_obj, NULL);
	expect("pages freed with an hrtimer armed in them, no kfree(): reported", 1, "hrtimer", -1);
}

/* CPU 0's hrtimer base, which counts its timer interrupts. */
static struct hrtimer_cpu_base cpu0_base;
static bool ticking;

/* CPU 0 taking a tick every 4 ms of the host's clock, while told to. */
static void tick_cpu0(void *unused)
{
	while (READ_ONCE(ticking)) {
		__atomic_add_fetch(&cpu0_base.nr_events, 1, __ATOMIC_RELAXED);
		usleep(4000);
	}
}

static void timer_list_cases(void)
{
	struct on_cpu o;

	fresh();
	on_cpu(0, NULL, tl_arm, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("timer_list pending, freed: reported queued", 1, "timer_list", -1);

	fresh();
	on_cpu(0, NULL, tl_arm, NULL);
	on_cpu(0, NULL, tl_expire_entry, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("timer_list callback running on CPU 0 (del_timer, kfree): reported running", 1,
	       "timer_list", 0);

	fresh();
	on_cpu(0, NULL, tl_arm, NULL);
	on_cpu(0, NULL, tl_expire_entry, NULL);
	on_cpu(0, NULL, tl_expire_exit, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("timer_list callback returned: not reported", 0, NULL, -1);

	fresh();
	on_cpu(0, NULL, tl_arm, NULL);
	on_cpu(0, NULL, tl_expire_entry, NULL);
	o = (struct on_cpu){ .cpu = 0, .fn = tl_expire_exit, .delay_ms = 20 };
	start_on_cpu(&o);
	on_cpu(1, NULL, free_obj, NULL);
	pthread_join(o.thread, NULL);
	expect("timer_list callback returns while the free waits: not reported", 0, NULL, -1);

	/*
	 * CPU 0 stops between the callback's last store and its return (a
	 * virtual CPU the host descheduled) for longer than the first bound:
	 * it takes no timer interrupt meanwhile, so the free waits on.
	 */
	fresh();
	cpu0_base.events_known = true;
	WRITE_ONCE(sg_cpu_bases[0], &cpu0_base);
	on_cpu(0, NULL, tl_arm, NULL);
	on_cpu(0, NULL, tl_expire_entry, NULL);
	o = (struct on_cpu){ .cpu = 0, .fn = tl_expire_exit,
			     .delay_ms = 3 * SG_RUNNING_WAIT_MS * 5 / 2 };
	start_on_cpu(&o);
	on_cpu(1, NULL, free_obj, NULL);
	pthread_join(o.thread, NULL);
	expect("timer_list callback returns late, its CPU stopped meanwhile: not reported", 0,
	       NULL, -1);

	/* CPU 0 takes its ticks, and the callback runs on: running. */
	fresh();
	on_cpu(0, NULL, tl_arm, NULL);
	on_cpu(0, NULL, tl_expire_entry, NULL);
	ticking = true;
	o = (struct on_cpu){ .cpu = 0, .fn = tick_cpu0 };
	start_on_cpu(&o);
	on_cpu(1, NULL, free_obj, NULL);
	WRITE_ONCE(ticking, false);
	pthread_join(o.thread, NULL);
	expect("timer_list callback runs on while its CPU takes interrupts: reported running", 1,
	       "timer_list", 0);
	WRITE_ONCE(sg_cpu_bases[0], NULL);

	fresh();
	on_cpu(0, NULL, tl_arm, NULL);
	on_cpu(0, NULL, tl_expire_entry, NULL);
	on_cpu(0, NULL, free_obj, NULL);
	expect("timer_list freed by its own callback: not reported", 0, NULL, -1);

	fresh();
	on_cpu(0, NULL, tl_arm, NULL);
	on_cpu(0, NULL, tl_expire_entry, NULL);
	on_cpu(0, NULL, tl_arm, NULL);
	on_cpu(0, NULL, tl_expire_exit, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("timer_list re-armed by its callback, freed after: reported queued", 1,
	       "timer_list", -1);
}

/* Worker 0 taken off its CPU, runnable: preempted. */
static void worker0_preempted(void *unused)
{
	WRITE_ONCE(workers[0].on_cpu, 0);
}

static void work_cases(void)
{
	struct on_cpu o;

	fresh();
	on_cpu(0, NULL, work_queue, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("work queued, freed: reported queued", 1, "work_struct", -1);

	fresh();
	on_cpu(0, NULL, work_queue, NULL);
	on_cpu(0, &workers[0], work_clear_pending, NULL);
	on_cpu(0, &workers[0], work_start, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("work running in a worker on CPU 0 (cancel_work, kfree): reported running", 1,
	       "work_struct", 0);

	fresh();
	on_cpu(0, NULL, work_queue, NULL);
	on_cpu(0, &workers[0], work_clear_pending, NULL);
	on_cpu(0, &workers[0], work_start, NULL);
	workers[0].on_cpu = 0;
	workers[0].__state = TASK_INTERRUPTIBLE;
	on_cpu(1, NULL, free_obj, NULL);
	expect("work sleeping in its function: reported running", 1, "work_struct", 0);

	fresh();
	on_cpu(0, NULL, work_queue, NULL);
	on_cpu(0, &workers[0], work_clear_pending, NULL);
	on_cpu(0, &workers[0], work_start, NULL);
	workers[0].on_cpu = 0;
	on_cpu(0, NULL, free_obj, NULL);
	expect("work preempted by its owner after complete(): not reported", 0, NULL, -1);

	/* Preempted on CPU 0 while the free on CPU 1 waits for its end event. */
	fresh();
	on_cpu(0, NULL, work_queue, NULL);
	on_cpu(0, &workers[0], work_clear_pending, NULL);
	on_cpu(0, &workers[0], work_start, NULL);
	o = (struct on_cpu){ .cpu = 0, .fn = worker0_preempted, .delay_ms = 20 };
	start_on_cpu(&o);
	on_cpu(1, NULL, free_obj, NULL);
	pthread_join(o.thread, NULL);
	expect("work preempted while the free waits: not reported", 0, NULL, -1);

	fresh();
	on_cpu(0, NULL, work_queue, NULL);
	on_cpu(0, &workers[0], work_clear_pending, NULL);
	on_cpu(1, NULL, work_queue, NULL);
	on_cpu(0, &workers[0], work_start, NULL);
	on_cpu(0, &workers[0], work_end, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("work queued again before its start event: still tracked, reported queued", 1,
	       "work_struct", -1);

	fresh();
	on_cpu(0, NULL, work_queue, NULL);
	on_cpu(0, &workers[0], work_clear_pending, NULL);
	on_cpu(0, &workers[0], work_start, NULL);
	on_cpu(1, NULL, work_queue, NULL);
	on_cpu(0, &workers[0], work_end, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("work queued again while it runs: still tracked, reported queued", 1,
	       "work_struct", -1);

	fresh();
	on_cpu(0, NULL, work_queue, NULL);
	on_cpu(0, &workers[0], work_clear_pending, NULL);
	on_cpu(0, &workers[0], work_start, NULL);
	on_cpu(0, &workers[0], free_obj, NULL);
	expect("work freed by its own function: not reported", 0, NULL, -1);

	fresh();
	on_cpu(0, NULL, work_queue, NULL);
	on_cpu(0, &workers[0], work_clear_pending, NULL);
	on_cpu(0, &workers[0], work_start, NULL);
	on_cpu(0, &workers[0], work_end, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("work returned: not reported", 0, NULL, -1);
}

static void kthread_work_cases(void)
{
	fresh();
	on_cpu(0, NULL, kwork_queue, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("kthread_work queued, freed: reported queued", 1, "kthread_work", -1);

	fresh();
	on_cpu(0, NULL, kwork_queue, NULL);
	on_cpu(0, &workers[0], kwork_dequeue, NULL);
	on_cpu(0, &workers[0], kwork_start, NULL);
	workers[0].on_cpu = 0;
	workers[0].__state = TASK_INTERRUPTIBLE;
	on_cpu(1, NULL, free_obj, NULL);
	expect("kthread_work sleeping in its function: reported running", 1, "kthread_work", 0);

	fresh();
	on_cpu(0, NULL, kwork_queue, NULL);
	on_cpu(0, &workers[0], kwork_dequeue, NULL);
	on_cpu(1, NULL, kwork_queue, NULL);
	on_cpu(0, &workers[0], kwork_start, NULL);
	on_cpu(0, &workers[0], kwork_end, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("kthread_work queued again before its start event: reported queued", 1,
	       "kthread_work", -1);

	fresh();
	on_cpu(0, NULL, kwork_queue, NULL);
	on_cpu(0, &workers[0], kwork_dequeue, NULL);
	on_cpu(0, &workers[0], kwork_start, NULL);
	on_cpu(0, &workers[0], kwork_end, NULL);
	on_cpu(1, NULL, free_obj, NULL);
	expect("kthread_work returned: not reported", 0, NULL, -1);
}

/* One result of its own, outside the registry's cases. */
static void expect_true(const char *name, bool ok)
{
	printf("%sok %u %s\n", ok ? "" : "not ", ++nr, name);
	if (ok)
		passed++;
	else
		failed++;
}

/*
 * The report's reading of the call before a culprit's return address
 * (compat.h), on x86_64's bytes. A module's "call kfree" whose displacement
 * reads as "call *disp8(%rbx)" (ff 53) was taken for an indirect call, and
 * the report blamed a tail call in a function called indirectly.
 */
static void call_reading_cases(void)
{
	/* nop; call rel32 = 0xbf53ff10: bytes ff 53 inside the displacement. */
	const u8 direct[6] = { 0x90, 0xe8, 0x10, 0xff, 0x53, 0xbf };
	/* mov $..., %eax's last byte, then call *0x10(%rbx) */
	const u8 indirect[6] = { 0x00, 0x00, 0x00, 0xff, 0x53, 0x10 };
	/* call *%rax after a byte that reads as a direct call's opcode */
	const u8 reg[6] = { 0x00, 0xe8, 0x01, 0x02, 0xff, 0xd0 };
	unsigned long ret = 0xffffffffc0801234UL, target = 0;

	expect_true("call reading: a direct call whose displacement reads as call *disp8(%reg)",
		    sg_x86_call(direct, ret, &target) == SG_CALL_DIRECT &&
		    target == ret + (long)(s32)0xbf53ff10 && sg_x86_indirect_call(direct));
	expect_true("call reading: call *disp8(%reg) alone is indirect",
		    sg_x86_call(indirect, ret, &target) == SG_CALL_INDIRECT);
	expect_true("call reading: call *%reg after an e8 byte reads direct first, and indirect too",
		    sg_x86_call(reg, ret, &target) == SG_CALL_DIRECT && sg_x86_indirect_call(reg));
	/* arm64: bl -8 (0x97fffffe), blr x1 (0xd63f0020), a nop. */
	expect_true("call reading: arm64 bl, blr, and neither",
		    sg_arm64_call(0x97fffffe, ret, &target) == SG_CALL_DIRECT &&
		    target == ret - 4 - 8 &&
		    sg_arm64_call(0xd63f0020, ret, &target) == SG_CALL_INDIRECT &&
		    sg_arm64_call(0xd503201f, ret, &target) == SG_CALL_UNKNOWN);
}

int main(void)
{
	obj = aligned_alloc(64, sizeof(*obj));
	if (!obj || sg_registry_init(sg_kinds))
		return 2;
	printf("KTAP version 1\n");
	for (old_order = false;; old_order = true) {
		hrtimer_cases();
		if (old_order)
			break;
	}
	old_order = false;
	stale_case();
	past_end_case();
	pages_case();
	timer_list_cases();
	work_cases();
	kthread_work_cases();
	call_reading_cases();
	printf("1..%u\n", nr);
	printf("# Totals: pass:%u fail:%u xfail:0 xpass:0 skip:0 error:0\n", passed, failed);
	return failed ? 1 : 0;
}
