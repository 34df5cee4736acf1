# SPDX-License-Identifier: GPL-2.0
# The quarantine's bound in bytes holds: sg_many frees eight 1 KiB objects
# while armed, then stamps each (byte 64 = 1..8). With quarantine_kb=4, four
# stay and the four oldest leave, in order, each reported as written after
# free with its stamp. Destroying the fixture's cache gives the rest back
# first (no "objects remaining" from SLUB). An object of a cache with a
# constructor is held but not poisoned. The counters balance throughout.
#@ backends: ftrace kprobe
#@ cmdline: slab_nomerge
#@ expect: ^BUG: slubguard: free of armed timer_list in sg_many_init\+
#@ expect: ^slubguard: kmem_cache_free\([0-9a-f]+\) of a 1024-byte object from cache sg_many_obj, holding 1 armed timer:$
#@ expect: ^BUG: slubguard: write after free in sg_many_init\+
#@ expect: ^slubguard: 1 byte changed in a quarantined 1024-byte object from sg_many_obj, at offsets 64 to 64$
#@ expect: ^slubguard: action: quarantine: timers disarmed, object held; not poisoned: its cache has a constructor or is SLAB_TYPESAFE_BY_RCU$
#@ reject: still has objects|Objects remaining
#@ allow: ^BUG: slubguard: free of armed timer_list in sg_(many_init|cache_timer_exit)\+
#@ allow: ^BUG: slubguard: write after free in sg_many_init\+

# balanced: quarantined == released + held, and bytes == 1024 * held
balanced() {
	q=$(stat quarantined) r=$(stat released) h=$(stat quarantine_held)
	test "$q" = $((r + h)) && test "$(stat quarantine_bytes)" = $((h * 1024))
}

stamps() {
	dmesg_since_mark | sed -n 's/^slubguard: first changed byte: offset 64 is 0x0\([0-9]\).*/\1/p' |
		tr '\n' ' '
}

ktap_plan 14
load_slubguard policy=quarantine poison=1 quarantine_kb=4 quarantine_ms=600000
dmesg_mark
modprobe sg_many
expect_eq "8 hits, all held at first" "8 8" "$(stat armed_frees) $(stat quarantined)"
wait_stat released 4
expect_eq "over 4 KiB: the 4 oldest left" "4 4 4096" \
	"$(stat released) $(stat quarantine_held) $(stat quarantine_bytes)"
check "the counters balance" balanced
expect_eq "oldest first: stamps of objects 1 to 4" "1 2 3 4 " "$(stamps)"
sleep 1
expect_eq "nothing else leaves under the cap" 4 "$(stat released)"
expect_eq "slubguardctl stats agrees" "quarantine_held 4" \
	"$(slubguardctl stats | grep '^quarantine_held ')"
expect_eq "slubguardctl status shows the settings" "quarantine_kb 4 quarantine_ms 600000 poison 1" \
	"$(slubguardctl status | grep '^quarantine_\|^poison' | tr '\n' ' ' | sed 's/ $//')"

dmesg_mark
rmmod sg_many
expect_eq "destroying the cache gave its objects back" "8 0 0" \
	"$(stat released) $(stat quarantine_held) $(stat quarantine_bytes)"
expect_eq "then objects 5 to 8" "5 6 7 8 " "$(stamps)"
expect_eq "every stamp counted" 8 "$(stat poison_violations)"
check "the counters balance" balanced
check "the cache is gone" sh -c "! grep -q '^sg_many_obj ' /proc/slabinfo"

# A cache with a constructor: held, not poisoned, so nothing to report later.
modprobe sg_cache_timer
rmmod sg_cache_timer
expect_eq "constructor cache: held, then given back at destroy" "9 9" \
	"$(stat quarantined) $(stat released)"
expect_eq "no write after free reported" 8 "$(stat poison_violations)"
