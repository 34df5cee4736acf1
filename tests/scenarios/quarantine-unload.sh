# SPDX-License-Identifier: GPL-2.0
# rmmod slubguard with a full quarantine: the hooks go first, then every held
# object goes back to its cache, so nothing leaks. The fixture's cache then
# shows no object in use, and destroying it finds none left.
#@ backends: ftrace kprobe
#@ cmdline: slab_nomerge
#@ expect: ^slubguard: unloaded: released the 8 objects still in quarantine \(8 quarantined, 8 released in all\)$
#@ reject: still has objects|Objects remaining
#@ allow: ^BUG: slubguard: free of armed timer_list in sg_many_init\+

ktap_plan 5
load_slubguard policy=quarantine quarantine_ms=600000
modprobe sg_many
expect_eq "8 objects held" "8 8192" "$(stat quarantine_held) $(stat quarantine_bytes)"
expect_eq "the cache counts them in use" 8 "$(slab_active sg_many_obj)"
rmmod slubguard
check "slubguard is gone" test ! -d /sys/kernel/slubguard
expect_eq "the cache got every object back" 0 "$(slab_active sg_many_obj)"
rmmod sg_many
check "the cache is destroyed" sh -c "! grep -q '^sg_many_obj ' /proc/slabinfo"
