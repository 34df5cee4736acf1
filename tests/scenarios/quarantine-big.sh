# SPDX-License-Identifier: GPL-2.0
# A large object held and poisoned without stalling a CPU: a 256 MiB vmalloc
# area freed with its hrtimer armed (in the last page), under quarantine
# with poison=1 and room for a GiB. The free returns at once (the area is
# poisoned by the release work, in steps, giving the CPU up between them),
# and so is its check when it leaves; no soft lockup, no RCU stall, and a
# write-free area is released clean.
#@ backends: ftrace
#@ timeout: 300
#@ expect: ^sg_big: vfree\(\) of a 256 MiB area took [0-9]+ ms$
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_big_init\+

ktap_plan 5
load_slubguard policy=quarantine poison=1 quarantine_kb=1048576 quarantine_ms=3000
modprobe sg_big
ms=$(klog | sed -n 's/^sg_big: vfree() of a 256 MiB area took \([0-9]*\) ms$/\1/p')
check "the free returned within 100 ms (took ${ms:-?} ms)" test "${ms:-100000}" -lt 100
expect_eq "held" "1 1" "$(stat quarantined) $(stat quarantine_held)"
# The release work poisons it, then checks it when it is due.
t=0
while [ "$(stat released)" != 1 ] && [ $t -lt 120 ]; do
	sleep 1
	t=$((t + 1))
done
expect_eq "released" "1 0" "$(stat released) $(stat quarantine_held)"
expect_eq "poisoned, checked, and nothing written" 0 "$(stat poison_violations)"
check "the fixture unloads" rmmod sg_big
