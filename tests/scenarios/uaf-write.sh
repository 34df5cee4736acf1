# SPDX-License-Identifier: GPL-2.0
# A write into a quarantined object: the fixture frees its state with the
# watchdog timer pending, then sets a u32 at offset 40. The object was held
# and poisoned, so when it leaves the quarantine the changed bytes are found
# and reported with their offset and value, and counted; the title names
# the code that freed it, though its module is gone by then.
#@ backends: ftrace kprobe
#@ expect: ^BUG: slubguard: free of armed timer_list in sg_uaf_write_exit\+
#@ expect: ^slubguard: kfree\([0-9a-f]+\) of a 128-byte object from cache kmalloc-128, holding 1 armed timer:$
#@ expect: ^BUG: slubguard: write after free in sg_uaf_write_exit\+
#@ expect: ^slubguard: 4 bytes changed in a quarantined 128-byte object from kmalloc-128, at offsets 40 to 43$
#@ expect: ^slubguard: first changed byte: offset 40 is 0x01, poison is 0x6b$
#@ expect: ^slubguard: bytes 40 to 43: 01 00 00 00$
#@ allow: ^BUG: slubguard: free of armed timer_list in sg_uaf_write_exit\+
#@ allow: ^BUG: slubguard: write after free in sg_uaf_write_exit\+
#@ expect: ^slubguard: first changed byte: offset 3[2-9], in a word that holds a kernel address, poison is 0x6b$

ktap_plan 11
load_slubguard policy=quarantine poison=1 quarantine_ms=3000
modprobe sg_uaf_write
dmesg_mark
rmmod sg_uaf_write
expect_eq "the free was held" "1 1" "$(stat quarantined) $(stat quarantine_held)"
expect_eq "its timer was disarmed" 1 "$(stat disarmed)"
expect_eq "no violation before release" 0 "$(stat poison_violations)"
wait_stat released 1
expect_eq "released after quarantine_ms" "1 0" "$(stat released) $(stat quarantine_held)"
expect_eq "one write after free counted" 1 "$(stat poison_violations)"
check "reported at release, naming the code that freed it (its module is gone by then)" \
	dmesg_has '^BUG: slubguard: write after free in sg_uaf_write_exit\+0x[0-9a-f]+/0x[0-9a-f]+ \[sg_uaf_write\]$'
check "with the offset of the field" dmesg_has 'at offsets 40 to 43$'
expect_eq "slubguardctl stats shows it" "poison_violations 1" \
	"$(slubguardctl stats | grep '^poison_violations ')"

# A kernel address written after the free (ptr=1, at offset 32): shown as
# %p shows one, hashed, never raw.
dmesg_mark
modprobe sg_uaf_write ptr=1
rmmod sg_uaf_write
wait_stat released 2
check "the written address is shown hashed" \
	dmesg_has '^slubguard: bytes 3[2-9] to 3[2-9]: \[00000000[0-9a-f]{8}\]$'
check "no raw kernel address in the report" sh -c \
	"! dmesg | sed -n '/write after free/,/====/p' | grep -qE '(^|[^0-9a-f])ff[0-9a-f]{14}'"
expect_eq "two writes after free counted" 2 "$(stat poison_violations)"
