#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn a bench guest's console log into the table of ratios.

Reads 'bench PHASE ROUND MEASURE VALUE' lines. sg_bench times each
operation in batches and gives the fastest batch (MEASURE) and the mean of
all (MEASURE_mean); the ratios are judged on the fastest batch, which noise
cannot make faster, and the means are printed after, for context. For each
measure and phase: the median over rounds, and the spread
((max - min) / median). Ratios are
medians with slubguard over the median without, all from the same boot; the
registry line compares the free at 100000 armed timers with the free at 10,
within one phase. The floor columns are hooks that do nothing (sg_floor):
what the mechanism costs before slubguard does any work, so a budget line
below its floor cannot be met on this machine; the table says so. Absolute
times are printed for context only.

A log from a guest whose clock counts instructions ('clock icount' on the
'bench begin' line) holds instructions where it says nanoseconds: the
table says so, and leaves out the means, which are then the same numbers.

Usage: table.py CONSOLE_LOG [TITLE]
"""
import re
import statistics
import sys

LINE = re.compile(r'^bench (\S+) (\d+) (\S+) (\d+)\s*$')
BEGIN = re.compile(r'^bench begin .* clock (\S+)')
# 'auto' is slubguard as loaded by default: the budget is judged on it.
PHASES = ('auto', 'ftrace', 'kprobe', 'tracepoint', 'disabled')
FLOORS = ('floor', 'floor-kprobe', 'floor-tracepoint')
ROWS = [
    ('kmalloc64', 'kmalloc(64) + kfree', 1.25),
    ('kmalloc1k', 'kmalloc(1024) + kfree', 1.25),
    ('cache', 'kmem_cache_alloc + kmem_cache_free', 1.25),
    ('hrtimer', 'hrtimer_start + hrtimer_cancel', 1.25),
    ('timer', 'mod_timer + del_timer', 1.25),
    ('workload_ms', 'workload (processes, pipes, tmpfs)', 1.03),
]


def main():
    raw = open(sys.argv[1], encoding='utf-8', errors='replace').read()
    data = {}
    clock = 'host'
    for line in raw.split('\n'):
        line = re.sub(r'^\[[^]]*\]\s*', '', line.strip('\r'))
        b = BEGIN.match(line)
        if b:
            clock = b.group(1)
        m = LINE.match(line)
        if m:
            phase, _, measure, value = m.groups()
            data.setdefault((phase, measure), []).append(int(value))
    if not data:
        print('no benchmark results in %s' % sys.argv[1])
        return 1

    def med(phase, measure):
        v = data.get((phase, measure))
        return statistics.median(v) if v else None

    def spread(phase, measure):
        v = data.get((phase, measure))
        m = med(phase, measure)
        return (max(v) - min(v)) / m * 100 if v and m else 0

    title = sys.argv[2] if len(sys.argv) > 2 else ''
    rounds = max(len(v) for v in data.values())
    icount = clock == 'icount'
    op, run = ('insn/op', 'Minsn') if icount else ('ns/op', 'ms')
    print('%s (median of %d rounds; ratio = with / without slubguard, same boot;'
          % (title, rounds))
    if icount:
        print('the guest clock counts instructions (QEMU -icount), one vCPU: %s are'
              % op)
        print('instructions executed per operation, in the fastest batch of 500 in a round)')
    else:
        print('ns/op: the fastest batch of 500 in a round)')
    judged = 'auto' if any(p == 'auto' for p, _ in data) else 'ftrace'
    print('%-36s %14s %13s %13s %13s %13s %13s %9s %9s %9s  %s' % (
        'measure', 'without', 'auto', 'ftrace', 'kprobe', 'tracepoint', 'enabled=0',
        'floor', 'floor', 'floor', 'budget (%s)' % judged))
    print('%-36s %14s %13s %13s %13s %13s %13s %9s %9s %9s' % (
        '', '', '', '', '', '', '', 'ftrace', 'kprobe', 'tracept'))
    failed = 0
    for key, name, budget in ROWS:
        base = med('none', key)
        if base is None:
            continue
        unit = run if key.endswith('_ms') else op
        cells = []
        for p in PHASES:
            m = med(p, key)
            cells.append('%.2fx ±%2.0f%%' % (m / base, spread(p, key)) if m else '-')
        floors = []
        for p in FLOORS:
            m = med(p, key)
            floors.append('%.2fx' % (m / base) if m else '-')
        ratio = med(judged, key) / base if med(judged, key) else None
        ok = ratio is not None and ratio <= budget
        failed += not ok
        verdict = 'met' if ok else 'NOT MET'
        floor = min([f for f in (med(p, key) for p in FLOORS) if f] or [0])
        if not ok and floor and floor / base > budget:
            verdict += ' (floor above budget)'
        print('%-36s %7.0f %-7s%13s %13s %13s %13s %13s %9s %9s %9s  <= %.2fx %s' % (
            name, base, unit, *cells, *floors, budget, verdict))
    # The free check as the registry grows: within one phase.
    cells = []
    for p in ('none',) + PHASES:
        lo, hi = med(p, 'kfree_at_10'), med(p, 'kfree_at_100000')
        cells.append('%.2fx' % (hi / lo) if lo and hi else '-')
    mine = cells[1 + PHASES.index(judged)]
    ok = mine != '-' and float(mine[:-1]) <= 1.10
    failed += not ok
    print('%-36s %14s %13s %13s %13s %13s %13s %29s  <= 1.10x %s' % (
        'kfree at 100000 armed / at 10 armed', *cells, '',
        'met' if ok else 'NOT MET'))
    for k in ('10', '1000', '100000'):
        base = med('none', 'kfree_at_' + k)
        m = med(judged, 'kfree_at_' + k)
        if base and m:
            print('%-36s %7.0f %-7s%13s' % ('  kfree with %s timers armed' % k, base, op,
                                             '%.2fx' % (m / base)))
    # Disabled, nothing of slubguard is on the path: judged against 1.02x,
    # or against the noise of the runs without slubguard if that is larger
    # (their interquartile range: one stray round does not widen it).
    dis = med('disabled', 'kmalloc64')
    base = med('none', 'kmalloc64')
    if dis and base:
        v = data[('none', 'kmalloc64')]
        # One round (ROUNDS=1) has no spread to measure.
        q = statistics.quantiles(v, n=4) if len(v) > 1 else [base] * 3
        noise = (q[2] - q[0]) / base
        ok = dis / base <= max(1.02, 1 + noise)
        failed += not ok
        print('%-36s %14s  <= 1.02x or the noise without (IQR %.0f%%) %s' % (
            'loaded, enabled=0 (kmalloc64 pairs)', '%.2fx' % (dis / base), noise * 100,
            'met' if ok else 'NOT MET'))
    per = med('mem', 'bytes_per_timer')
    if per is not None:
        ok = per <= 64
        failed += not ok
        print('%-36s %9d bytes  <= 64 %s' % (
            'memory per armed timer (%d added)' % med('mem', 'timers_added'), per,
            'met' if ok else 'NOT MET'))
        print('%-36s %9d bytes' % ('  fixed: hash table and idle pool',
                                   med('mem', 'tracker_bytes_idle')))
    mod = med('mem', 'module_bytes')
    if mod:
        print('%-36s %9d bytes' % ('module size (/proc/modules)', mod))
    bound, held = med('mem', 'quarantine_bound_bytes'), med('mem', 'quarantine_held_bytes')
    if bound is not None and held is not None:
        # Held nothing, or saw too few hits to fill it: the bound was not tested.
        hits = med('mem', 'quarantine_hits')
        ok = 0 < held <= bound and hits * 1024 > bound
        failed += not ok
        print('%-36s %9d bytes  <= %d %s' % (
            'quarantine held after %d hits' % med('mem', 'quarantine_hits'), held, bound,
            'met' if ok else 'NOT MET'))
    # Who armed the timer: what recording each arm's stack adds.
    cells = []
    for key, name, _ in ROWS[:-1]:
        base, m = med('none', key), med('stacks', key)
        if base and m:
            cells.append('%s %.2fx' % (name.split(' ')[0], m / base))
    if cells:
        print('%-36s %s' % ('track_stacks=1, ftrace (not judged)', ', '.join(cells)))
    # The means: what the noise of this boot adds, not judged.
    if not icount:
        print('means over whole runs (context; not judged):')
    for key, name, _ in ([] if icount else ROWS[:-1]):
        base = med('none', key + '_mean')
        if base is None:
            continue
        cells = []
        for p in PHASES + FLOORS:
            m = med(p, key + '_mean')
            cells.append('%.2fx ±%2.0f%%' % (m / base, spread(p, key + '_mean')) if m else '-')
        print('  %-34s %7.0f %-6s %s' % (name, base, 'ns/op', ' '.join('%13s' % c for c in cells)))
    for p in PHASES + FLOORS:
        if med(p, 'refused'):
            # The kprobe phases load backend=kprobe, every other backend=ftrace.
            why = ('backend=kprobe: kprobes sit on ftrace here' if 'kprobe' in p else
                   'backend=ftrace: this kernel has no function tracer')
            print('%-36s refused to load (%s)' % ('phase ' + p, why))
    tf = [med(p, 'track_failures') for p in PHASES]
    print('%-36s %s' % ('track failures (per phase)', ' '.join(str(t) for t in tf)))
    print('%d budget line(s) not met' % failed)
    return 0


if __name__ == '__main__':
    sys.exit(main())
