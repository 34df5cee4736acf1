# SPDX-License-Identifier: GPL-2.0
# Booted with no_hash_pointers, a report shows the object's real address, as
# every %p in the kernel then does (privilege: hashed otherwise).
#@ backends: ftrace
#@ cmdline: no_hash_pointers
#@ expect: ^slubguard: kfree\(ff[0-9a-f]{14}\) of a 128-byte object from cache kmalloc-128, holding 1 armed timer:$
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+

ktap_plan 1
load_slubguard policy=quarantine
modprobe sg_seed reuse=0
rmmod sg_seed
check "the seed's free is reported" dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+'
