# SPDX-License-Identifier: GPL-2.0
# Frees from interrupt context under quarantine: an hrtimer callback (hardirq)
# frees its object while the object's timer_list is pending, and a
# timer_list callback (softirq) frees its object while the object's hrtimer
# is armed. Both are caught and disarmed on the spot, without sleeping or
# waiting (any such attempt in hardirq is a splat the oracle rejects); both
# objects are poisoned, held and later given back intact.
#@ backends: ftrace kprobe
#@ expect: ^BUG: slubguard: free of armed timer_list in sg_irq_hard_fire\+
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_irq_soft_tick\+
#@ expect: ^slubguard: action: quarantine: timers disarmed, object held$
#@ reject: sleeping function called|scheduling while atomic|inconsistent lock state|possible recursive locking
#@ allow: ^BUG: slubguard: free of armed (timer_list in sg_irq_hard_fire|hrtimer in sg_irq_soft_tick)\+

ktap_plan 7
load_slubguard policy=quarantine poison=1 quarantine_ms=300
dmesg_mark
modprobe sg_irq_free
wait_stat armed_frees 2
expect_eq "both frees caught" "2 1 1" \
	"$(stat armed_frees) $(stat armed_hrtimer) $(stat armed_timer_list)"
expect_eq "both timers disarmed in the free's context" "2 0" \
	"$(stat disarmed) $(stat disarm_deferred)"
first=$(dmesg_since_mark | grep -A1 '^slubguard: freed by task' | sed -n 2p)
check "a stack starts at the interrupt-context culprit" sh -c \
	"echo '$first' | grep -Eq '^ *sg_irq_(hard_fire|soft_tick)\+'"
wait_stat released 2
expect_eq "both released" "2 2 0" \
	"$(stat quarantined) $(stat released) $(stat quarantine_held)"
expect_eq "poison intact: no write after free" 0 "$(stat poison_violations)"
expect_eq "nothing failed" "0 0" "$(stat quarantine_failures) $(stat track_failures)"
check "the fixture unloads" rmmod sg_irq_free
