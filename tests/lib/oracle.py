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

Usage: oracle.py SCENARIO_FILE CONSOLE_LOG QEMU_STATUS
Prints 'PASS' or 'FAIL: reasons' and exits 0 or 1.
"""
import re
import sys

ERROR = re.compile(r'Oops|BUG:|WARNING:|Call Trace|general protection fault|'
                   r'Unable to handle|Kernel panic|kernel BUG|rcu_.*stall|'
                   r'soft lockup|hung_task|Internal error|segfault')
STAMP = re.compile(r'^\[\s*\d+\.\d+\]\s?')
KTAP = re.compile(r'^(not )?ok (\d+) (.*)$')
PLAN = re.compile(r'^1\.\.(\d+)$')


def directives(path):
    d = {'expect': [], 'reject': [], 'allow': [], 'end': 'poweroff'}
    for line in open(path, encoding='utf-8'):
        m = re.match(r'^#@\s*(\w+):\s*(.*?)\s*$', line)
        if not m:
            continue
        key, val = m.groups()
        if key in ('expect', 'reject', 'allow'):
            d[key].append(re.compile(val))
        elif key == 'end':
            d['end'] = val
    return d


def main():
    scenario, logpath, status = sys.argv[1:4]
    d = directives(scenario)
    raw = open(logpath, encoding='utf-8', errors='replace').read()
    lines = [STAMP.sub('', l.rstrip('\r')) for l in raw.split('\n')]
    problems = []

    if status == 'timeout':
        problems.append('guest timed out')
    for rx in d['expect']:
        if not any(rx.search(l) for l in lines):
            problems.append('missing expected line /%s/' % rx.pattern)
    for rx in d['reject']:
        bad = [l for l in lines if rx.search(l)]
        if bad:
            problems.append('rejected line: %s' % bad[0].strip()[:160])
    for l in lines:
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
