#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge one guest's console log against its scenario's directives.

A scenario file states, in '#@ key: value' lines:
  expect: REGEX   a line matching REGEX must be on the console
  reject: REGEX   no line may match REGEX
  allow: REGEX    a line matching REGEX may look like a kernel error
  end: poweroff|panic   how the guest must end (default poweroff)
Besides, the console must hold no unexpected kernel error line, and every
KTAP result the guest printed must be 'ok' (with the plan complete when the
guest powers off normally).

On the debug kernel (SERIES debug: lockdep, KASAN, debugobjects) and the
GKI-shaped one (SERIES gki: KFENCE), every report of the kernel's
debuggers (a splat: its title line, then its stack and registers, up to
its end marker) must be one the scenario expects, caused by the bug its
fixture holds:
  debug-expect: REGEX   a splat whose title matches must be there (on the
                        debug kernel; on the GKI-shaped one, may be there:
                        KFENCE samples, and the others are not built in)
  debug-allow: REGEX    a splat whose title matches may be there
Any other splat fails the scenario, and so does any splat before the
scenario starts (the kernel's own: it turns lockdep off for the boot).

Usage: oracle.py SCENARIO_FILE CONSOLE_LOG QEMU_STATUS [SERIES]
Prints 'PASS' or 'FAIL: reasons' and exits 0 or 1.
"""
import re
import sys

ERROR = re.compile(r'Oops|BUG:|WARNING:|Call Trace|general protection fault|'
                   r'Unable to handle|Kernel panic|kernel BUG|rcu_.*stall|'
                   r'soft lockup|hung_task|Internal error|segfault')
STAMP = re.compile(r'^\[\s*\d+\.\d+\]\s?')
# Where a kernel message starts inside a console line (console_lines()).
MIDSTAMP = re.compile(r'(?=\[\s*\d+\.\d{6}\] )')
# The first line of a report by one of the kernel's debuggers.
SPLAT = re.compile(r'^(ODEBUG: |BUG: KASAN: |BUG: KFENCE: |BUG: sleeping function|BUG: scheduling while atomic|'
                   r'BUG: workqueue|BUG: Bad page|BUG: lock |BUG: spinlock |'
                   r'WARNING: (possible|suspicious|inconsistent|bad unlock|lock held|'
                   r'held lock|nested lock|Nested lock|(HARDIRQ|SOFTIRQ)-safe -> |'
                   r'.* still has locks held)|INFO: trying to register non-static key|'
                   r'DEBUG_LOCKS_WARN_ON|WARNING: CPU: \d+ PID: \d+ at )')
# Where a splat's block ends: a KASAN report at its closing rule, a WARN
# (ODEBUG's too) at the end of its trace, the others (lockdep's, might-sleep's)
# at the end of their stack.
KASAN_END = re.compile(r'^={20,}$')
# debugobjects prints its report as a WARN: that title is part of its splat.
ODEBUG_WARN = re.compile(r'^WARNING: CPU: \d+ PID: \d+ at lib/debugobjects\.c:')
# Checked even inside an expected splat: no splat excuses a crash.
FATAL = re.compile(r'Oops|Kernel panic|general protection fault|Unable to handle|'
                   r'kernel BUG|BUG: kernel NULL|BUG: unable to handle|soft lockup|'
                   r'rcu_.*stall|hung_task')
WARN_END = re.compile(r'^---\[ end trace')
STACK_END = re.compile(r'^\s*</TASK>$|^---\[ end trace')


def splat_end(title):
    if title.startswith(('BUG: KASAN: ', 'BUG: KFENCE: ')):
        return KASAN_END
    if title.startswith(('ODEBUG: ', 'WARNING: CPU: ')):
        return WARN_END
    return STACK_END
KTAP = re.compile(r'^(not )?ok (\d+) (.*)$')
PLAN = re.compile(r'^1\.\.(\d+)$')


def directives(path):
    d = {'expect': [], 'reject': [], 'allow': [], 'end': 'poweroff',
         'debug-expect': [], 'debug-allow': []}
    for line in open(path, encoding='utf-8'):
        m = re.match(r'^#@\s*([\w-]+):\s*(.*?)\s*$', line)
        if not m:
            continue
        key, val = m.groups()
        if key in ('expect', 'reject', 'allow', 'debug-expect', 'debug-allow'):
            d[key].append(re.compile(val))
        elif key == 'end':
            d['end'] = val
    return d


def debug_splats(lines, d, problems, required=True):
    """Check the debuggers' reports; return the lines outside them.

    A debug-expect or debug-allow pattern is searched in the whole splat,
    its lines joined by newlines: '^' anchors it at the title, and
    '[\\s\\S]*' reaches into the stack.

    A title inside a splat starts a splat of its own (but for
    debugobjects' WARN line under its ODEBUG title), so that no report
    hides in another one that never reached its end marker; and the lines
    of a crash are returned with the outside ones wherever they lie.
    """
    outside, blocks, end = [], [], None
    for l in lines:
        m = SPLAT.search(l)
        if end and m and not (blocks[-1][0].startswith('ODEBUG: ') and ODEBUG_WARN.search(l)):
            end = None
        if end:
            blocks[-1].append(l)
            if FATAL.search(l):
                outside.append(l)
            if end.search(l):
                end = None
            continue
        if m:
            blocks.append([l])
            end = splat_end(m.group(0))
            continue
        outside.append(l)
    seen = set()
    for b in blocks:
        text = '\n'.join(b)
        known = [rx for rx in d['debug-expect'] + d['debug-allow'] if rx.search(text)]
        if not known:
            problems.append('unexpected debug splat: %s' % b[0].strip()[:160])
        seen.update(rx.pattern for rx in known)
    for rx in d['debug-expect'] if required else []:
        if rx.pattern not in seen:
            problems.append('missing expected debug splat /%s/' % rx.pattern)
    return outside


def console_lines(raw):
    """The console's lines without their timestamps, each kernel message on
    a line of its own: where the kernel prints from a thread (PREEMPT_RT),
    a message can land in the middle of a line the guest's shell is
    writing ("ok 14 ...refused[   15.765390] slubguard: ...")."""
    lines = []
    for l in raw.split('\n'):
        parts = [p for p in MIDSTAMP.split(l.rstrip('\r')) if p] or ['']
        lines += [STAMP.sub('', p) for p in parts]
    return lines


def main():
    scenario, logpath, status = sys.argv[1:4]
    series = sys.argv[4] if len(sys.argv) > 4 else ''
    d = directives(scenario)
    raw = open(logpath, encoding='utf-8', errors='replace').read()
    lines = console_lines(raw)
    problems = []
    # Within a splat the scenario expects, its stack is no error of its own.
    checked = lines
    if series in ('debug', 'gki'):
        start = next((i for i, l in enumerate(lines)
                      if l.startswith('slubguard-guest: scenario')), len(lines))
        # Before the scenario nothing of slubguard's ran; a splat there is
        # the kernel's own, and it leaves the boot without lockdep.
        boot = [l for l in lines[:start] if SPLAT.search(l)]
        if boot:
            problems.append('the debug kernel reported at boot, before the scenario '
                            '(nothing of slubguard ran yet; lockdep is off after it): %s'
                            % boot[0].strip()[:120])
        # debug-expect names the debug kernel's debuggers (debugobjects,
        # KASAN); on the GKI-shaped kernel, whose KFENCE samples, it allows.
        checked = ([] if boot else lines[:start]) + debug_splats(lines[start:], d, problems,
                                                                 series == 'debug')

    if status == 'timeout':
        problems.append('guest timed out')
    for rx in d['expect']:
        if not any(rx.search(l) for l in lines):
            problems.append('missing expected line /%s/' % rx.pattern)
    for rx in d['reject']:
        bad = [l for l in lines if rx.search(l)]
        if bad:
            problems.append('rejected line: %s' % bad[0].strip()[:160])
    for l in checked:
        if ERROR.search(l) and not any(rx.search(l) for rx in d['allow']):
            problems.append('unexpected: %s' % l.strip()[:160])
            break

    done = any(l.startswith('slubguard-guest: done') for l in lines)
    panicked = any('Kernel panic - not syncing' in l for l in lines)
    if d['end'] == 'poweroff' and not done:
        problems.append('guest did not reach the end of its scenario')
    if d['end'] == 'panic' and not panicked:
        problems.append('guest did not panic')
    if d['end'] == 'panic' and done:
        problems.append('guest finished its scenario instead of panicking')

    plan, results = None, []
    for l in lines:
        m = PLAN.match(l)
        if m:
            plan = int(m.group(1))
        m = KTAP.match(l)
        if m:
            results.append(m.groups())
    for notok, num, desc in results:
        if notok:
            problems.append('not ok %s %s' % (num, desc))
    if d['end'] == 'poweroff' and plan is not None and len(results) != plan:
        problems.append('KTAP plan 1..%d but %d results' % (plan, len(results)))
    if d['end'] == 'poweroff' and plan is None:
        problems.append('no KTAP plan')

    if problems:
        print('FAIL: ' + '; '.join(problems))
        return 1
    print('PASS (%d KTAP results)' % len(results))
    return 0


if __name__ == '__main__':
    sys.exit(main())
