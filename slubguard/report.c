// SPDX-License-Identifier: GPL-2.0
/*
 * Reports: a filled-in struct sg_report, printed by one printer.
 *
 * The title has a fixed grammar, like KASAN's and KFENCE's, so that tools that
 * bucket kernel crashes by title group slubguard's findings by culprit:
 *	BUG: slubguard: free of armed <kind> in <culprit>
 *	BUG: slubguard: write after free in <culprit>
 * The culprit is the code that freed the object; for a write after free
 * too, since the write is only found when the object leaves the quarantine.
 */
#define pr_fmt(fmt) "slubguard: " fmt

#include <linux/irq_work.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

#include "compat.h"
#include "funcs.h"
#include "report.h"
#include "stacks.h"
#include "tracepoints.h"
#include "trace.h"

static DEFINE_RAW_SPINLOCK(sg_report_lock);

/*
 * The last reports, each as the console shows it, for
 * /sys/kernel/slubguard/reports: every hit's report is kept, whether or not
 * report_limit let it reach the console. A report is written whole into
 * @staging first, then appended to @text, the oldest reports making room:
 * at most SG_REPORTS_KEPT of them, as many as fit in SG_REPORTS_SPACE
 * bytes, and always the newest. Guarded by sg_report_lock.
 */
static struct {
	char staging[SG_REPORT_TEXT];
	char text[SG_REPORTS_SPACE];
	unsigned int len[SG_REPORTS_KEPT];	/* oldest first */
	unsigned int nr;
	unsigned int used;
} sg_kept;
static_assert(SG_REPORTS_SPACE >= SG_REPORT_TEXT);

/* Room kept in @staging for the line saying a report was cut, and the rule. */
#define SG_REPORT_RESERVE	192

/* The trace event's symbol names, made under sg_report_lock. */
static char sg_trace_culprit[KSYM_SYMBOL_LEN], sg_trace_callback[KSYM_SYMBOL_LEN];

/**
 * struct sg_out - where one report goes
 * @console:	printed on the console
 * @len:	bytes of it in sg_kept.staging
 * @cut:	bytes of lines that did not fit there (a report larger than
 *		SG_REPORT_TEXT, which takes many timers with their arming stacks)
 *
 * One printer writes a report to both, line by line, so that the kept text
 * is the console's.
 */
struct sg_out {
	bool console;
	unsigned int len;
	unsigned int cut;
};

static const char sg_report_rule[] =
	"==================================================================\n";

static __printf(3, 4) void out(struct sg_out *o, bool bare, const char *fmt, ...);

/* Under sg_report_lock: start a report, with its opening rule. */
static void out_start(struct sg_out *o, bool console)
{
	o->console = console;
	o->len = 0;
	o->cut = 0;
	out(o, false, "%s", sg_report_rule);
}

/*
 * The console's side. A report is written whole under sg_report_lock, with
 * interrupts off; it is printed after the lock is dropped, line by line, by
 * whichever CPU finds no other printing: reports made meanwhile on other
 * CPUs wait here, in order, and their free paths go on at once. So a slow
 * serial console stalls no free with interrupts off behind another, two
 * reports never interleave, and a console driver whose own free is a hit,
 * on the CPU printing, only adds its report here, printed after.
 */
#define SG_CONSOLE_SPACE	(4 * SG_REPORT_TEXT)
#define SG_CONSOLE_LINE		512

static struct {
	char text[SG_CONSOLE_SPACE];	/* under sg_report_lock */
	unsigned int head, tail;	/* under sg_report_lock */
	unsigned int dropped;		/* under sg_report_lock */
	unsigned long printing;		/* bit 0: a CPU is printing */
	char line[SG_CONSOLE_LINE];	/* the printing CPU's */
} sg_console;

/* Under sg_report_lock: queue @len bytes of whole lines for the console. */
static void console_queue(const char *text, unsigned int len)
{
	if (sg_console.tail - sg_console.head + len > SG_CONSOLE_SPACE) {
		sg_console.dropped++;
		return;
	}
	while (len--)
		sg_console.text[sg_console.tail++ % SG_CONSOLE_SPACE] = *text++;
}

/* Under sg_report_lock: the next queued line into sg_console.line. */
static bool console_next_line(void)
{
	unsigned int n = 0;
	char c;

	if (sg_console.dropped) {
		scnprintf(sg_console.line, SG_CONSOLE_LINE,
			  "slubguard: %u reports not printed: the console fell behind (kept in /sys/kernel/slubguard/reports)",
			  sg_console.dropped);
		sg_console.dropped = 0;
		return true;
	}
	if (sg_console.head == sg_console.tail)
		return false;
	while (sg_console.head != sg_console.tail) {
		c = sg_console.text[sg_console.head++ % SG_CONSOLE_SPACE];
		if (c == '\n')
			break;
		if (n < SG_CONSOLE_LINE - 1)
			sg_console.line[n++] = c;
	}
	sg_console.line[n] = '\0';
	return true;
}

static void console_print(bool always);

/*
 * Raised on a CPU while a kprobe handler of slubguard's runs there
 * (hook_kprobe.c). The kprobe core never nests handlers: a console driver's
 * own free, made as that handler prints, would hit a kprobe dropped
 * unchecked. There the report is printed from an irq_work instead, once the
 * handler has returned and interrupts are on. The quarantine reads it too:
 * its own frees there are such dropped hits (sg_hooks_own_free_begin()).
 */
DEFINE_PER_CPU(unsigned int, sg_print_deferred);

static void console_print_work(struct irq_work *work)
{
	console_print(false);
}

static DEFINE_IRQ_WORK(sg_console_work, console_print_work);

/*
 * After sg_report_lock is dropped: print what is queued, unless another CPU
 * (or what this CPU interrupted) is printing it. @always (a panic follows):
 * print it here all the same.
 */
static void console_print(bool always)
{
	unsigned long flags;
	bool more;

	if (!always && raw_cpu_read(sg_print_deferred)) {
		irq_work_queue(&sg_console_work);
		return;
	}
	do {
		if (!always && test_and_set_bit_lock(0, &sg_console.printing))
			return;
		for (;;) {
			raw_spin_lock_irqsave(&sg_report_lock, flags);
			more = console_next_line();
			if (!more && !always)
				clear_bit_unlock(0, &sg_console.printing);
			raw_spin_unlock_irqrestore(&sg_report_lock, flags);
			if (!more)
				break;
			printk(KERN_ERR "%s\n", sg_console.line);
		}
		/* A report queued as the bit was cleared: print it too. */
	} while (!always && READ_ONCE(sg_console.head) != READ_ONCE(sg_console.tail));
}

/*
 * Close the report with its rule (and, if it could not be kept whole, a line
 * that says so), keep it, and queue it for the console if it goes there.
 */
static void out_end(struct sg_out *o)
{
	unsigned int i;

	if (o->cut)
		o->len += scnprintf(sg_kept.staging + o->len, SG_REPORT_TEXT - o->len,
				    "slubguard: this report leaves out its last %u bytes\n",
				    o->cut);
	o->len += scnprintf(sg_kept.staging + o->len, SG_REPORT_TEXT - o->len, "slubguard: %s",
			    sg_report_rule);
	if (o->console)
		console_queue(sg_kept.staging, o->len);

	while (sg_kept.nr && (sg_kept.nr == SG_REPORTS_KEPT ||
			      sg_kept.used + o->len > SG_REPORTS_SPACE)) {
		sg_kept.used -= sg_kept.len[0];
		memmove(sg_kept.text, sg_kept.text + sg_kept.len[0], sg_kept.used);
		for (i = 1; i < sg_kept.nr; i++)
			sg_kept.len[i - 1] = sg_kept.len[i];
		sg_kept.nr--;
	}
	memcpy(sg_kept.text + sg_kept.used, sg_kept.staging, o->len);
	sg_kept.used += o->len;
	sg_kept.len[sg_kept.nr++] = o->len;
}

/*
 * One line of a report, "slubguard: " first unless @bare (the title, which
 * has a fixed grammar, and the stack's lines), printed at KERN_ERR: a
 * console booted with "quiet" still shows the whole report. A line that
 * does not fit in what is left of the report's SG_REPORT_TEXT bytes is left
 * out from there on.
 */
static __printf(3, 4) void out(struct sg_out *o, bool bare, const char *fmt, ...)
{
	const char *prefix = bare ? "" : "slubguard: ";
	unsigned int room = SG_REPORT_TEXT - SG_REPORT_RESERVE;
	struct va_format vaf;
	va_list args;
	int n;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (!o->cut) {
		n = snprintf(sg_kept.staging + o->len, room - o->len, "%s%pV", prefix, &vaf);
		if (o->len + n < room)
			o->len += n;
		else
			o->cut = n;
	} else {
		o->cut += snprintf(NULL, 0, "%s%pV", prefix, &vaf);
	}
	va_end(args);
}

/**
 * sg_report_read() - the kept reports, oldest first, as one text
 * @buf:	where to copy
 * @off:	from which byte of the text
 * @count:	at most this many bytes
 *
 * A report kept between two reads moves the text: a reader that wants a
 * whole copy reads until two copies agree (slubguardctl reports does).
 *
 * Return: the bytes copied; 0 past the end.
 */
ssize_t sg_report_read(char *buf, loff_t off, size_t count)
{
	unsigned long flags;
	size_t n = 0;

	raw_spin_lock_irqsave(&sg_report_lock, flags);
	if (off < sg_kept.used) {
		n = min_t(size_t, sg_kept.used - off, count);
		memcpy(buf, sg_kept.text + off, n);
	}
	raw_spin_unlock_irqrestore(&sg_report_lock, flags);
	return n;
}

unsigned int sg_report_limit = 10;

int sg_report_limit_parse(const char *buf, unsigned int *val)
{
	return sg_parse_uint(buf, 0, SG_REPORT_LIMIT_MAX, val);
}

/**
 * struct sg_report_window - how many reports of one sort were printed lately
 * @start:	when the window began, in jiffies
 * @printed:	reports printed in it
 * @missed:	reports not printed since the last one that was
 *
 * A storm of hits (thousands a second) must not flood the console: at most
 * sg_report_limit reports of each sort are printed per SG_REPORT_WINDOW_S
 * seconds; every hit is still counted. Guarded by sg_report_lock.
 */
struct sg_report_window {
	unsigned long start;
	unsigned int printed;
	unsigned int missed;
};

static struct sg_report_window sg_free_window, sg_poison_window;

/* sg_report_rearmed()'s, filled under sg_report_lock: too large for a stack. */
static struct sg_report sg_rearmed_report;

/* Under sg_report_lock: may a report be printed now? */
static bool report_allowed(struct sg_report_window *w, bool always)
{
	unsigned int limit = READ_ONCE(sg_report_limit);

	if (!w->printed || time_after(jiffies, w->start + SG_REPORT_WINDOW_S * HZ)) {
		w->start = jiffies;
		w->printed = 0;
	}
	if (limit && w->printed >= limit && !always) {
		w->missed++;
		sg_count(SG_STAT_REPORTS_SUPPRESSED);
		return false;
	}
	w->printed++;
	if (w->missed) {
		char line[128];

		console_queue(line, scnprintf(line, sizeof(line),
			      "slubguard: %u reports suppressed (report_limit: %u per %d s; stats/reports_suppressed counts them)\n",
			      w->missed, limit, SG_REPORT_WINDOW_S));
		w->missed = 0;
	}
	return true;
}

static const char * const sg_action_text[SG_NR_POLICIES] = {
	[SG_POLICY_WARN]	= "warn: the free goes on, the timer stays armed",
	[SG_POLICY_PANIC]	= "panic",
	[SG_POLICY_QUARANTINE]	= "quarantine",
};

/* The trace event's word for what became of the object. */
static const char *outcome_word(const struct sg_report *r)
{
	static const char * const held[] = {
		[SG_Q_HELD]		= "held",
		[SG_Q_HELD_DEFERRED]	= "held-deferred",
		[SG_Q_NO_ROOM]		= "not-held",
	};

	if (r->action == SG_POLICY_QUARANTINE)
		return held[r->outcome];
	return r->action == SG_POLICY_PANIC ? "panic" : "freed";
}

static const char * const sg_outcome_text[] = {
	[SG_Q_HELD]		= "timers disarmed, object held",
	[SG_Q_HELD_DEFERRED]	= "object held; what could not be stopped here (a callback running, a work) is stopped in process context before it leaves",
	[SG_Q_NO_ROOM]		= "no room to hold the object: timers disarmed where possible, the free goes on",
};

static unsigned int find_entry(const unsigned long *entries, unsigned int nr,
			       unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < nr && entries[i] != addr; i++)
		;
	return i;
}

/*
 * The page allocator's functions that free pages for their callers, from
 * kmem:mm_page_free up (6.1 and 6.12; inlined ones are never on a stack,
 * and a name this kernel lacks costs nothing).
 */
static const char *const sg_page_freers[] = {
	"__traceiter_mm_page_free", "free_pages_prepare", "free_pcp_prepare",
	"free_unref_page_prepare", "free_unref_page", "free_unref_page_list",
	"free_unref_folios", "free_frozen_pages", "__free_pages_ok", "free_the_page",
	"__free_pages", "free_pages", "free_pages_exact",
};

static const char *page_freer(unsigned long addr)
{
	char name[KSYM_SYMBOL_LEN];
	unsigned int i;

	sprint_symbol_no_offset(name, addr);
	for (i = 0; i < ARRAY_SIZE(sg_page_freers); i++)
		if (!strcmp(name, sg_page_freers[i]))
			return sg_page_freers[i];
	return NULL;
}

/* How deep the page allocator's own frames may go, past slubguard's. */
#define SG_PAGE_FREE_DEPTH	8

/*
 * A page free seen from its tracepoint has no return address to start from:
 * the culprit is the frame after the last of the page allocator's freeing
 * functions near the top of the stack (helpers this list lacks may lie
 * between), past slubguard's own frames; else the first past those. The
 * freeing function named is the one the culprit called, if it is one of
 * them, else the last of them on the stack.
 */
static unsigned int page_culprit(struct sg_report *r, const unsigned long *entries,
				 unsigned int nr)
{
	unsigned int i, first, last = nr;
	unsigned long target;
	const char *freer;

	for (first = 0; first < nr && within_module(entries[first], THIS_MODULE); first++)
		;
	for (i = first; i < nr && i < first + SG_PAGE_FREE_DEPTH; i++) {
		freer = page_freer(entries[i]);
		if (freer) {
			r->via = freer;
			last = i;
		}
	}
	i = last < nr ? last + 1 : first;
	if (i >= nr)
		return 0;
	r->culprit = entries[i];
	if (sg_call_before(r->culprit, &target) == SG_CALL_DIRECT && (freer = page_freer(target)))
		r->via = freer;
	return i;
}

/*
 * Where a hook saw the free: the culprit is the return address it saw.
 *
 * A frame-pointer unwinder that starts at a breakpoint on a function's first
 * instruction (the kprobe backend on arm64) reports the probed address, then
 * skips the caller, whose return address is still only in the link register.
 * The hook knows that address, so it is put back in its place. If neither is
 * found, the whole stack is kept.
 */
static unsigned int hook_culprit(struct sg_report *r, unsigned long *entries, unsigned int nr)
{
	const char *wrapper;
	unsigned int i;

	i = find_entry(entries, nr, r->free->caller);
	if (i == nr) {
		i = find_entry(entries, nr, r->free->ip);
		if (i < nr) {
			entries[i] = r->free->caller;
		} else {
			i = 0;
		}
	}
	/* A free made for its caller by krealloc() names that caller. */
	while (i + 1 < nr && entries[i] == r->culprit &&
	       (wrapper = sg_freeing_wrapper(entries[i]))) {
		r->via = wrapper;
		r->culprit = entries[++i];
	}
	return i;
}

/*
 * The stack of the free without slubguard's and the allocator's frames: the
 * first frame kept is the culprit.
 */
static void fill_stack(struct sg_report *r)
{
	unsigned long entries[SG_STACK_DEPTH + 16];
	unsigned int nr, i, n;

	r->culprit = r->free->caller;
	r->via = r->free->via;
	nr = stack_trace_save(entries, ARRAY_SIZE(entries), 0);
	if (r->free->how == SG_GIVE_PAGES)
		i = page_culprit(r, entries, nr);
	else
		i = hook_culprit(r, entries, nr);
	n = min_t(unsigned int, nr - i, SG_STACK_DEPTH);
	memcpy(r->stack, &entries[i], n * sizeof(r->stack[0]));
	r->nr_stack = n;
}

/**
 * sg_alloc_name() - where an object came from, for a report
 * @obj:	the object
 * @cache:	its slab cache, or NULL
 *
 * Return: the cache's name, "vmalloc" or "(page allocator)".
 */
const char *sg_alloc_name(const void *obj, struct kmem_cache *cache)
{
	if (cache)
		return sg_cache_name(cache);
	return is_vmalloc_addr(obj) ? "vmalloc" : "(page allocator)";
}

/**
 * sg_report_fill_context() - fill in where and by whom the free was made
 * @r:	the report, with @r->free set
 */
void sg_report_fill_context(struct sg_report *r)
{
	struct sg_devres_note *n = this_cpu_ptr(&sg_devres_note);

	r->cpu = raw_smp_processor_id();
	r->pid = task_pid_nr(current);
	strscpy(r->comm, current->comm, sizeof(r->comm));
	r->device[0] = '\0';
	if (READ_ONCE(n->node) == r->free->obj) {
		strscpy(r->device, n->device, sizeof(r->device));
		strscpy(r->driver, n->driver, sizeof(r->driver));
		WRITE_ONCE(n->node, NULL);
	}
	fill_stack(r);
}

/*
 * Who armed timer @i, where track_stacks=1: its stack from the code that
 * armed it on (slubguard's probe and the tracepoint left out).
 */
static void print_armed_by(struct sg_out *o, const struct sg_report *r, unsigned int i)
{
	unsigned long *entries;
	unsigned int nr, k;

	if (!READ_ONCE(sg_track_stacks) && !r->timers[i].stack)
		return;
	nr = sg_stack_fetch(r->timers[i].stack, &entries);
	if (!nr) {
		out(o, false, "armed by: not known (armed before track_stacks=1, or the stack depot was full: stats/stack_failures)\n");
		return;
	}
	out(o, false, "armed by:\n");
	for (k = 0; k < nr; k++)
		out(o, true, "  %pS\n", (void *)entries[k]);
}

static void print_timer(struct sg_out *o, const struct sg_report *r, unsigned int i)
{
	s64 ns = r->timers[i].expires_ns;

	if (r->timers[i].running_cpu >= 0) {
		out(o, false, "%s at offset %lu: callback %pS, running on CPU %d, not queued\n",
		    r->timers[i].kind->name, r->timers[i].offset, r->timers[i].hint,
		    r->timers[i].running_cpu);
		return;
	}
	if (!r->timers[i].kind->expires_ns) {
		out(o, false, "%s at offset %lu: callback %pS, queued, not started\n",
		    r->timers[i].kind->name, r->timers[i].offset, r->timers[i].hint);
		return;
	}
	/* Overdue: not run yet, or its callback is running on another CPU. */
	if (ns < 0) {
		out(o, false, "%s at offset %lu: callback %pS, due %lld.%03lld ms ago\n",
		    r->timers[i].kind->name, r->timers[i].offset, r->timers[i].hint,
		    -ns / NSEC_PER_MSEC, -ns % NSEC_PER_MSEC / NSEC_PER_USEC);
		return;
	}
	out(o, false, "%s at offset %lu: callback %pS, expires in %lld.%03lld ms\n",
	    r->timers[i].kind->name, r->timers[i].offset, r->timers[i].hint,
	    ns / NSEC_PER_MSEC, ns % NSEC_PER_MSEC / NSEC_PER_USEC);
}

/*
 * Who the title blames. The return address a hook sees is the culprit's
 * whenever the culprit called the free; two common shapes of teardown make
 * it another's:
 * @SG_BLAME_CALLER:	the culprit called the free: the title names it
 * @SG_BLAME_TAIL:	the culprit called @fn, which freed by a tail call
 *			(its last statement was the free): @fn is named
 * @SG_BLAME_INDIRECT:	the culprit called a function indirectly (a module's
 *			exit, a driver's remove) that freed by a tail call:
 *			which one is not known, so the module that owns the
 *			timer's callback is named, marked so
 * @SG_BLAME_FOR:	generic code freed for a driver (devres at unbind):
 *			@fn is the first frame of the callback's module in
 *			the stack, and is named
 * @SG_BLAME_OWNER:	the same, with no frame of that module in the stack:
 *			the module is named
 */
enum sg_blame_how {
	SG_BLAME_CALLER,
	SG_BLAME_TAIL,
	SG_BLAME_INDIRECT,
	SG_BLAME_FOR,
	SG_BLAME_OWNER,
};

struct sg_blame {
	enum sg_blame_how how;
	unsigned long fn;
	char module[MODULE_NAME_LEN];
};

/* Who a report blames, found under sg_report_lock. */
static struct sg_blame sg_blame;

/* Scratch for symbol names, under sg_report_lock. */
static char sg_sym[KSYM_SYMBOL_LEN];

/*
 * Under sg_report_lock: the module @addr lies in, in @mod ("" for the
 * kernel's own text), from sprint_symbol()'s "name+0xoff/0xsize [module]".
 * Return: @addr's offset in its function, or -1 if it has no symbol.
 */
static long sym_of(unsigned long addr, char *mod)
{
	char *open, *plus, *slash;
	unsigned long off;

	sprint_symbol(sg_sym, addr);
	mod[0] = '\0';
	open = strchr(sg_sym, '[');
	if (open) {
		strscpy(mod, open + 1, MODULE_NAME_LEN);
		mod[strcspn(mod, "]")] = '\0';
	}
	plus = strchr(sg_sym, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!slash)
		return -1;
	*slash = '\0';
	if (kstrtoul(plus + 1, 16, &off))
		return -1;
	*plus = '\0';		/* sg_sym is now the name */
	return off;
}

/* Under sg_report_lock: who the title of @r blames, in @b. */
static void find_blame(const struct sg_report *r, struct sg_blame *b)
{
	char mod[MODULE_NAME_LEN], cb_mod[MODULE_NAME_LEN];
	unsigned long subject = r->culprit, target;
	enum sg_call_kind call;
	unsigned int i;

	b->how = SG_BLAME_CALLER;
	b->fn = r->culprit;
	sym_of((unsigned long)r->timers[0].hint, cb_mod);

	call = sg_call_before(r->culprit, &target);
	/* Not a call of a function: an indirect call's bytes (compat.h). */
	if (call == SG_CALL_DIRECT && !sg_is_freeing_function(target) && !page_freer(target) &&
	    sym_of(target, mod) != 0 && sg_call_indirect_before(r->culprit))
		call = SG_CALL_INDIRECT;
	switch (call) {
	case SG_CALL_DIRECT:
		if (sg_is_freeing_function(target) || page_freer(target) ||
		    sym_of(target, mod) != 0)
			break;
		/* A retpoline's thunk is an indirect call. */
		if (!str_has_prefix(sg_sym, "__x86_indirect_")) {
			b->how = SG_BLAME_TAIL;
			b->fn = subject = target;
			break;
		}
		fallthrough;
	case SG_CALL_INDIRECT:
		if (cb_mod[0]) {
			b->how = SG_BLAME_INDIRECT;
			strscpy(b->module, cb_mod, sizeof(b->module));
			return;
		}
		break;
	default:
		break;
	}

	/* Generic code freed a driver's object: name the driver. */
	if (!cb_mod[0] || sym_of(subject, mod) < 0 || mod[0])
		return;
	for (i = 1; i < r->nr_stack; i++) {
		if (sym_of(r->stack[i], mod) >= 0 && !strcmp(mod, cb_mod)) {
			b->how = SG_BLAME_FOR;
			b->fn = r->stack[i];
			return;
		}
	}
	b->how = SG_BLAME_OWNER;
	strscpy(b->module, cb_mod, sizeof(b->module));
}

/* Under sg_report_lock: the title, and the line that says why it blames so. */
static void print_title(struct sg_out *o, const struct sg_report *r, const struct sg_blame *b)
{
	const char *kind = r->timers[0].kind->name;
	void *culprit = (void *)r->culprit;

	switch (b->how) {
	case SG_BLAME_TAIL:
		out(o, true, "BUG: slubguard: free of armed %s in %pS\n", kind, (void *)b->fn);
		out(o, false, "freed by a tail call in %pS, which %pS called\n", (void *)b->fn,
		    culprit);
		break;
	case SG_BLAME_INDIRECT:
		out(o, true, "BUG: slubguard: free of armed %s in [%s]\n", kind, b->module);
		out(o, false, "freed by a tail call in a function %pS called indirectly; [%s] owns the timer's callback\n",
		    culprit, b->module);
		break;
	case SG_BLAME_FOR:
		out(o, true, "BUG: slubguard: free of armed %s in %pS\n", kind, (void *)b->fn);
		out(o, false, "freed by %pS for it (generic code; the stack shows the path)\n", culprit);
		break;
	case SG_BLAME_OWNER:
		out(o, true, "BUG: slubguard: free of armed %s in [%s]\n", kind, b->module);
		out(o, false, "freed by %pS (generic code); [%s] owns the timer's callback\n",
		    culprit, b->module);
		break;
	default:
		out(o, true, "BUG: slubguard: free of armed %s in %pS\n", kind, culprit);
		break;
	}
}

/* Under sg_report_lock: what the title names, for the trace event. */
static void blame_name(const struct sg_blame *b, char *buf)
{
	if (b->how == SG_BLAME_INDIRECT || b->how == SG_BLAME_OWNER)
		snprintf(buf, KSYM_SYMBOL_LEN, "[%s]", b->module);
	else
		sprint_symbol(buf, b->fn);
}

/**
 * sg_report_print() - report a free of memory holding armed timers
 * @r:	the report
 *
 * On the console (as report_limit lets it), in the kept reports, and as the
 * trace event slubguard:armed_free.
 */
void sg_report_print(const struct sg_report *r)
{
	const struct sg_free *f = r->free;
	unsigned long flags;
	struct sg_out o;
	unsigned int i;

	/* One report at a time, so concurrent ones do not interleave. */
	raw_spin_lock_irqsave(&sg_report_lock, flags);
	find_blame(r, &sg_blame);
	if (trace_armed_free_enabled()) {
		blame_name(&sg_blame, sg_trace_culprit);
		sprint_symbol(sg_trace_callback, (unsigned long)r->timers[0].hint);
		trace_armed_free(sg_trace_culprit, r->via, f->obj, f->size, r->cache_name,
				 r->timers[0].kind->name, r->timers[0].offset, sg_trace_callback,
				 r->nr_timers, sg_policy_names[r->action], outcome_word(r));
	}
	/* A report before a panic is always printed. */
	out_start(&o, report_allowed(&sg_free_window, r->action == SG_POLICY_PANIC));
	print_title(&o, r, &sg_blame);
	if (r->device[0])
		out(&o, false, "devres memory of device %s (driver %s)\n",
		    r->device, r->driver);
	out(&o, false, "%s(%p) of a %zu-byte object from %s%s, holding %u armed timer%s:\n",
	    r->via, f->obj, f->size, f->cache ? "cache " : "", r->cache_name, r->nr_timers,
	    r->nr_timers == 1 ? "" : "s");
	for (i = 0; i < r->nr_timers; i++) {
		print_timer(&o, r, i);
		print_armed_by(&o, r, i);
	}
	if (r->action == SG_POLICY_QUARANTINE)
		out(&o, false, "action: %s: %s%s\n", sg_action_text[r->action],
		    sg_outcome_text[r->outcome],
		    r->unpoisonable ? "; not poisoned: its cache has a constructor or is SLAB_TYPESAFE_BY_RCU" : "");
	else
		out(&o, false, "action: %s%s\n", sg_action_text[r->action],
		    r->not_held ? " (quarantine cannot hold this free: it cannot be diverted)" : "");
	out(&o, false, "freed by task %d (%s) on cpu %d:\n", r->pid, r->comm, r->cpu);
	for (i = 0; i < r->nr_stack; i++)
		out(&o, true, "  %pS\n", (void *)r->stack[i]);
	out_end(&o);
	raw_spin_unlock_irqrestore(&sg_report_lock, flags);
	console_print(r->action == SG_POLICY_PANIC);
}

/**
 * sg_report_rearmed() - report a quarantined object armed again
 * @culprit:	the name of the code that freed it (with its timers armed)
 * @cache_name:	where the object came from
 * @obj:	the object
 * @size:	its size
 * @hits:	what is armed in it now, checked live
 * @nr:		how many
 *
 * Found when the object is about to leave the quarantine: something armed
 * a timer, or queued a work, in it after it was freed (a stale pointer), or
 * a callback that was waited for armed another. As a write after free, the
 * title names the code that freed the object too early; who armed it is
 * the timer's "armed by" stack (track_stacks=1). Process context, or a
 * cache destroy's.
 */
void sg_report_rearmed(const char *culprit, const char *cache_name, const void *obj,
		       size_t size, const struct sg_hit *hits, unsigned int nr)
{
	struct sg_report *r = &sg_rearmed_report;
	unsigned long flags;
	struct sg_out o;
	unsigned int i;

	raw_spin_lock_irqsave(&sg_report_lock, flags);
	memset(r, 0, sizeof(*r));
	r->nr_timers = min_t(unsigned int, nr, SG_MAX_HITS);
	for (i = 0; i < r->nr_timers; i++) {
		r->timers[i].kind = hits[i].kind;
		r->timers[i].offset = (unsigned long)hits[i].obj - hits[i].kind->outer_offset -
				      (unsigned long)obj;
		r->timers[i].hint = hits[i].hint;
		r->timers[i].stack = hits[i].stack;
		r->timers[i].running_cpu = hits[i].state == SG_RUNNING ? hits[i].cpu : -1;
		if (hits[i].kind->expires_ns)
			r->timers[i].expires_ns = hits[i].kind->expires_ns(hits[i].obj);
	}
	out_start(&o, report_allowed(&sg_poison_window, false));
	out(&o, true, "BUG: slubguard: armed after free in %s\n", culprit);
	out(&o, false, "%u timer%s armed again in a quarantined %zu-byte object from %s:\n",
	    r->nr_timers, r->nr_timers == 1 ? "" : "s", size, cache_name);
	for (i = 0; i < r->nr_timers; i++) {
		print_timer(&o, r, i);
		print_armed_by(&o, r, i);
	}
	out(&o, false, "action: quarantine: disarmed before the object goes back\n");
	out_end(&o);
	raw_spin_unlock_irqrestore(&sg_report_lock, flags);
	console_print(false);
}

/* At most this many bytes of a written range are shown. */
#define SG_POISON_SHOWN	32

/*
 * A word of the object that holds a kernel address (the upper half of the
 * address space, less the error codes) is shown as %p shows an address:
 * hashed, unless the kernel was booted with no_hash_pointers. The bytes of
 * a list head or a pointer written after the free would otherwise print
 * raw kernel addresses.
 */
static bool word_is_kernel_address(const u8 *obj, size_t size, size_t off, unsigned long *word)
{
	off = round_down(off, sizeof(*word));
	if (off + sizeof(*word) > size)
		return false;
	memcpy(word, obj + off, sizeof(*word));
	return (long)*word < 0 && !IS_ERR_VALUE(*word);
}

/* The bytes shown, a space between each, under sg_report_lock. */
static char sg_poison_bytes[SG_POISON_SHOWN * 3 + 64];

static const char *show_bytes(const u8 *obj, size_t size, size_t first, size_t end)
{
	unsigned long word;
	size_t i = first;
	int len = 0;

	while (i < end) {
		if (word_is_kernel_address(obj, size, i, &word)) {
			len += scnprintf(sg_poison_bytes + len, sizeof(sg_poison_bytes) - len,
					 "%s[%p]", len ? " " : "", (void *)word);
			i = round_down(i, sizeof(word)) + sizeof(word);
			continue;
		}
		len += scnprintf(sg_poison_bytes + len, sizeof(sg_poison_bytes) - len,
				 "%s%02x", len ? " " : "", obj[i]);
		i++;
	}
	return sg_poison_bytes;
}

/**
 * sg_report_poison() - report a write into a poisoned object in quarantine
 * @culprit:	the name of the code that freed it (with its timers armed)
 * @cache_name:	where the object came from
 * @obj:	the object
 * @size:	its size
 * @first:	offset of the first byte found changed
 * @last:	offset of the last
 * @changed:	how many bytes changed
 *
 * Found when the object leaves the quarantine, so the writer is not known:
 * the title names the code that freed the object too early, as its first
 * report did, and the offsets and the bytes written there say which field
 * was written (a word holding a kernel address as %p shows it).
 */
void sg_report_poison(const char *culprit, const char *cache_name, const u8 *obj,
		      size_t size, size_t first, size_t last, size_t changed)
{
	int shown = min_t(size_t, last - first + 1, SG_POISON_SHOWN);
	unsigned long flags, word;
	struct sg_out o;

	trace_write_after_free(culprit, obj, size, cache_name, first, last, changed);
	raw_spin_lock_irqsave(&sg_report_lock, flags);
	out_start(&o, report_allowed(&sg_poison_window, false));
	out(&o, true, "BUG: slubguard: write after free in %s\n", culprit);
	out(&o, false, "%zu byte%s changed in a quarantined %zu-byte object from %s, at offsets %zu to %zu\n",
	    changed, changed == 1 ? "" : "s", size, cache_name, first, last);
	if (word_is_kernel_address(obj, size, first, &word))
		out(&o, false, "first changed byte: offset %zu, in a word that holds a kernel address, poison is 0x%02x\n",
		    first, SG_POISON_BYTE);
	else
		out(&o, false, "first changed byte: offset %zu is 0x%02x, poison is 0x%02x\n",
		    first, obj[first], SG_POISON_BYTE);
	out(&o, false, "bytes %zu to %zu: %s%s\n", first, first + shown - 1,
	    show_bytes(obj, size, first, first + shown),
	    first + shown - 1 < last ? " ..." : "");
	out_end(&o);
	raw_spin_unlock_irqrestore(&sg_report_lock, flags);
	console_print(false);
}

/**
 * sg_report_exit() - wait for a report's printing that was put off
 *
 * At unload, once no hook runs and the quarantine is gone: nothing queues
 * the irq_work any more.
 */
void sg_report_exit(void)
{
	irq_work_sync(&sg_console_work);
}
