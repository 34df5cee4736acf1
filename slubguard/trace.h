/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slubguard's trace events, for perf, trace-cmd and bpftrace users:
 *
 *	slubguard:armed_free		a free of memory holding an armed timer
 *	slubguard:write_after_free	a held object written to (poison=1)
 *	slubguard:quarantine_release	a held object given back
 *	slubguard:track_failure		an arm event no tracker was left for
 *
 * Each fires for every occurrence, whatever report_limit lets reach the
 * console. Defined in common.c (CREATE_TRACE_POINTS).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM slubguard

#if !defined(SLUBGUARD_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define SLUBGUARD_TRACE_H

#include <linux/tracepoint.h>

#include "compat.h"

/*
 * The culprit and the callback are symbol names, made when the event is
 * recorded: the bug is often in a module's exit function, gone by the time
 * the trace is read. @action is the policy applied, @outcome what became
 * of the object: "freed" (warn: the free went on), "held", "held-deferred"
 * (a callback still running or a work is stopped before it leaves),
 * "not-held" (no room: the free went on), "panic".
 */
TRACE_EVENT(armed_free,

	TP_PROTO(const char *culprit, const char *via, const void *obj, size_t size,
		 const char *cache, const char *kind, unsigned long offset,
		 const char *callback, unsigned int nr_timers, const char *action,
		 const char *outcome),

	TP_ARGS(culprit, via, obj, size, cache, kind, offset, callback, nr_timers, action,
		outcome),

	TP_STRUCT__entry(
		__string(culprit,	culprit)
		__string(via,		via)
		__field(const void *,	obj)
		__field(size_t,		size)
		__string(cache,		cache)
		__string(kind,		kind)
		__field(unsigned long,	offset)
		__string(callback,	callback)
		__field(unsigned int,	nr_timers)
		__string(action,	action)
		__string(outcome,	outcome)
	),

	TP_fast_assign(
		sg_assign_str(culprit, culprit);
		sg_assign_str(via, via);
		__entry->obj = obj;
		__entry->size = size;
		sg_assign_str(cache, cache);
		sg_assign_str(kind, kind);
		__entry->offset = offset;
		sg_assign_str(callback, callback);
		__entry->nr_timers = nr_timers;
		sg_assign_str(action, action);
		sg_assign_str(outcome, outcome);
	),

	TP_printk("culprit=%s via=%s obj=%p size=%zu cache=%s kind=%s offset=%lu callback=%s timers=%u action=%s outcome=%s",
		  __get_str(culprit), __get_str(via), __entry->obj, __entry->size,
		  __get_str(cache), __get_str(kind), __entry->offset, __get_str(callback),
		  __entry->nr_timers, __get_str(action), __get_str(outcome))
);

TRACE_EVENT(write_after_free,

	TP_PROTO(const char *culprit, const void *obj, size_t size, const char *cache,
		 size_t first, size_t last, size_t changed),

	TP_ARGS(culprit, obj, size, cache, first, last, changed),

	TP_STRUCT__entry(
		__string(culprit,	culprit)
		__field(const void *,	obj)
		__field(size_t,		size)
		__string(cache,		cache)
		__field(size_t,		first)
		__field(size_t,		last)
		__field(size_t,		changed)
	),

	TP_fast_assign(
		sg_assign_str(culprit, culprit);
		__entry->obj = obj;
		__entry->size = size;
		sg_assign_str(cache, cache);
		__entry->first = first;
		__entry->last = last;
		__entry->changed = changed;
	),

	TP_printk("culprit=%s obj=%p size=%zu cache=%s first=%zu last=%zu changed=%zu",
		  __get_str(culprit), __entry->obj, __entry->size, __get_str(cache),
		  __entry->first, __entry->last, __entry->changed)
);

TRACE_EVENT(quarantine_release,

	TP_PROTO(const void *obj, size_t size, unsigned int held_ms),

	TP_ARGS(obj, size, held_ms),

	TP_STRUCT__entry(
		__field(const void *,	obj)
		__field(size_t,		size)
		__field(unsigned int,	held_ms)
	),

	TP_fast_assign(
		__entry->obj = obj;
		__entry->size = size;
		__entry->held_ms = held_ms;
	),

	TP_printk("obj=%p size=%zu held_ms=%u", __entry->obj, __entry->size, __entry->held_ms)
);

TRACE_EVENT(track_failure,

	TP_PROTO(const void *obj, const char *kind),

	TP_ARGS(obj, kind),

	TP_STRUCT__entry(
		__field(const void *,	obj)
		__string(kind,		kind)
	),

	TP_fast_assign(
		__entry->obj = obj;
		sg_assign_str(kind, kind);
	),

	TP_printk("obj=%p kind=%s", __entry->obj, __get_str(kind))
);

#endif /* SLUBGUARD_TRACE_H */

/* An out-of-tree module's trace header: found through -I$(src)/slubguard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
