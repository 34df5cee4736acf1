# SPDX-License-Identifier: GPL-2.0
# slubguard and debugobjects side by side, on the debug kernel: with
# policy=warn slubguard reports each fixture's free at its entry and lets it
# go on; inside it, debugobjects finds the active timer, warns and cancels
# it. The fixtures' late uses of their objects are KASAN's, which reports
# the first of a boot: the write after free first, then (silent) the late
# cancels (with kasan_multi_shot, the seed's late hrtimer_cancel() loops on
# the freed timer and floods the console). Five bugs, as many as debugobjects
# warns of in a boot: the kmem_cache one last, as its late del_timer_sync()
# makes a sixth.
# Documentation/debugobjects.rst sets the reports side by side.
#@ backends: ftrace
#@ kernels: debug
#@ kernels-why: debugobjects and KASAN are in the debug kernel only
#@ cmdline: slab_nomerge
#@ timeout: 240
#@ allow: ^BUG: slubguard: free of armed (hrtimer|timer_list|delayed_work) in (sg_seed_exit|sg_cache_timer_exit|sg_free_kfree_rcu|sg_kinds_free|sg_uaf_write_exit)\+
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: hrtimer hint: sg_seed_poll\+
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: timer_list hint: sg_cache_watchdog\+
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: hrtimer hint: sg_path_timer\+
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: timer_list hint: sg_kinds_work_fn\+
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: timer_list hint: sg_uaf_watchdog\+
#@ debug-allow: ^ODEBUG: assert_init not available \(active state 0\) object type: timer_list hint: sg_cache_watchdog\+
#@ debug-expect: ^BUG: KASAN: use-after-free in sg_uaf_write_exit\+

# wait_log REGEX: until the kernel log since the mark has it, at most 20 s
# (kfree_rcu() frees a batch seconds later).
wait_log() {
	t=0
	while ! dmesg_has "$1" && [ $t -lt 100 ]; do
		sleep 0.2
		t=$((t + 1))
	done
	dmesg_has "$1"
}

ktap_plan 10
load_slubguard policy=warn

dmesg_mark
modprobe sg_uaf_write
rmmod sg_uaf_write
check "write after free: slubguard caught the free" dmesg_has '^BUG: slubguard: free of armed timer_list in sg_uaf_write_exit\+'
check "write after free: KASAN caught the write" dmesg_has '^BUG: KASAN: use-after-free in sg_uaf_write_exit\+'

dmesg_mark
modprobe sg_seed reuse=0
rmmod sg_seed
check "seed: slubguard names the culprit" dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+'
check "seed: debugobjects names the callback" dmesg_has '^ODEBUG: free active .* hint: sg_seed_poll\+'

dmesg_mark
modprobe sg_free_paths path=kfree_rcu
check "kfree_rcu: slubguard, at the queueing" dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_free_kfree_rcu\+'
check "kfree_rcu: debugobjects, at the free" wait_log '^ODEBUG: free active .* hint: sg_path_timer\+'
rmmod sg_free_paths

dmesg_mark
modprobe sg_kinds what=delayed_work
rmmod sg_kinds
check "delayed_work: slubguard names the work function" \
	dmesg_has '^slubguard: delayed_work at offset [0-9]+: callback sg_kinds_work_fn\+'
check "delayed_work: debugobjects names it too (its timer's hint)" \
	dmesg_has '^ODEBUG: free active .* object type: timer_list hint: sg_kinds_work_fn\+'

dmesg_mark
modprobe sg_cache_timer
rmmod sg_cache_timer
check "kmem_cache: slubguard names the cache" dmesg_has 'of a [0-9]+-byte object from cache sg_cache_obj,'
check "kmem_cache: debugobjects names the callback" dmesg_has '^ODEBUG: free active .* hint: sg_cache_watchdog\+'
