# SPDX-License-Identifier: GPL-2.0
# policy=quarantine with poison=1: the seed bug fails at its culprit. The
# object freed while armed is held and filled with 0x6b, which is no valid
# address on x86_64 or arm64, so the fixture's late hrtimer_cancel() faults at
# once on the timer's base pointer, and the fault's trace names the fixture's
# exit function. Every boot, not by luck: five boots per backend. (On the
# debug kernel KASAN's check faults first, on the address's shadow, and
# names the 0x6b range.)
#@ backends: ftrace kprobe
#@ repeat: 5
#@ cmdline: oops=panic
#@ end: panic
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+
#@ expect: ^slubguard: action: quarantine: timers disarmed, object held$
#@ expect: ^sg_seed: freed memory not reused$
#@ expect: (general protection fault, probably for non-canonical address 0x6b6b6b6b6b6b|Unable to handle kernel paging request at virtual address (00)?6b6b6b6b6b6b|KASAN: maybe wild-memory-access in range \[0x6b6b6b6b6b6b)
#@ expect: (RIP: 0010:|pc : )hrtimer_
#@ expect: ^\s*(\? )?sg_seed_exit\+0x[0-9a-f]+/0x[0-9a-f]+ \[sg_seed\]
#@ reject: reused and overwritten
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+
#@ allow: general protection fault, probably for non-canonical address 0x6b6b6b6b6b6b
#@ allow: general protection fault, probably for non-canonical address 0x[0-9a-f]+: 0000 \[#1\] .*KASAN
#@ allow: Unable to handle kernel paging request at virtual address (00)?6b6b6b6b6b6b
#@ allow: ^Internal error: Oops: |^Oops: 
#@ allow: ^Call Trace:$|^Call trace:$
#@ allow: Kernel panic - not syncing: Fatal exception|Kernel panic - not syncing: Oops

ktap_plan 2
load_slubguard policy=quarantine poison=1
expect_eq "poison=1 at load" 1 "$(cat /sys/kernel/slubguard/poison)"
modprobe sg_seed
check "the fixture armed its timer" dmesg_has 'sg_seed: armed hrtimer'
rmmod sg_seed
echo "slubguard-guest: the late hrtimer_cancel() did not fault"
