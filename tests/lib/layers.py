#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""layers.py TOP: slubguard's files call one way only (make check).

The order is the one slubguard/slubguard.h's first comment lists, top
first; names on one line are one layer. Every symbol an object file of the
module uses from another of its objects (nm) must come from a lower layer.
Prints each call that goes up or sideways and exits 1, or says how many
calls it checked.
"""
import re
import subprocess
import sys
from pathlib import Path

top = Path(sys.argv[1] if len(sys.argv) > 1 else '.')
head = (top / 'slubguard/slubguard.h').read_text()
block = head[head.index('data flows'):head.index('Files on one line')]
layer = {}
rows = [r for r in block.splitlines()[1:] if re.search(r'[\w>]\.[cS]\b', r)]
for depth, row in enumerate(reversed(rows)):
    for name in re.findall(r'([\w<>]+)\.[cS]\b', row):
        layer[name.replace('<arch>', '*')] = depth


def layer_of(obj):
    for name, depth in layer.items():
        if Path(obj).stem == name or ('*' in name and Path(obj).match(name + '.o')):
            return depth
    return None


objs = [o for o in sorted((top / 'slubguard').glob('*.o')) + sorted((top / 'sysfs').glob('*.o'))
        if not o.name.endswith('.mod.o')]
missing = [o.name for o in objs if layer_of(o) is None]
if not objs or missing:
    print('layers.py: no built objects' if not objs else
          'layers.py: not in slubguard.h\'s list: ' + ' '.join(missing))
    sys.exit(1)
defined, used = {}, {}
for o in objs:
    for line in subprocess.run(['nm', str(o)], capture_output=True, text=True,
                               check=True).stdout.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in 'TDBRV':
            defined[f[2]] = o
        elif len(f) == 2 and f[0] == 'U':
            used.setdefault(o, set()).add(f[1])
bad = checked = 0
for o, syms in sorted(used.items()):
    for sym in sorted(syms):
        d = defined.get(sym)
        if d is None or d == o:
            continue
        checked += 1
        if layer_of(d) >= layer_of(o):
            print(f'layers.py: {o.stem} calls {sym} of {d.stem}, not below it')
            bad += 1
if bad:
    sys.exit(1)
print(f'layers.py: {checked} calls between {len(objs)} files, every one downward')
