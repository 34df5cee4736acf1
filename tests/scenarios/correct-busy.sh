# SPDX-License-Identifier: GPL-2.0
# No false hits: a driver that cancels before it frees, every free path and
# every kind done right (cancelled first), then a busy guest (processes,
# pipes, files in tmpfs, sleeping timers), report nothing, while slubguard
# demonstrably checks frees and tracks armed timers all along.
#@ backends: ftrace kprobe tracepoint
#@ reject: ^slubguard: [a-z_]+\([0-9a-f]+\) of a
#@ reject: ^BUG: slubguard

ktap_plan 9
load_slubguard
checked=$(stat frees_checked)
modprobe sg_correct
check "the driver's two timers are tracked" test "$(stat tracked)" -ge 2
sleep 1
rmmod sg_correct
expect_eq "no hit from the correct driver" 0 "$(stat armed_frees)"

bad=
for p in kfree kfree_sensitive kvfree_sensitive kvfree_kmalloc kvfree_vmalloc vfree \
	kmalloc_large krealloc kmem_cache_free_bulk kfree_bulk kfree_rcu kvfree_rcu devm; do
	modprobe sg_free_paths path=$p cancel=1 && rmmod sg_free_paths || bad="$bad $p"
done
for k in delayed_work work all; do
	modprobe sg_kinds what=$k cancel=1 && rmmod sg_kinds || bad="$bad $k"
done
expect_eq "every free path and kind, done right, loads and unloads" "" "$bad"
expect_eq "no hit from any of them" 0 "$(stat armed_frees)"

busy() {
	i=0
	while [ $i -lt 40 ]; do
		mkdir -p /tmp/busy/$i
		dd if=/dev/urandom bs=4k count=16 2>/dev/null | gzip -1 | cat >/tmp/busy/$i/data.gz
		gunzip -c /tmp/busy/$i/data.gz | wc -c >/tmp/busy/$i/size
		ls -R /tmp/busy | sort | uniq >/dev/null
		sh -c 'usleep 1000; echo x' | tr x y >/dev/null
		rm -rf /tmp/busy/$i
		i=$((i + 1))
	done
}
busy &
busy &
# Sample the registry while the workload runs.
seen=0
for n in 1 2 3 4 5 6 7 8 9 10; do
	t=$(stat tracked)
	[ "$t" -gt "$seen" ] && seen=$t
	usleep 100000
done
wait
check "timers were tracked during the workload" test "$seen" -gt 0
check "thousands of frees were checked" test $(($(stat frees_checked) - checked)) -gt 2000
expect_eq "no hit from the workload" 0 "$(stat armed_frees)"
expect_eq "no armed timer found in any free" "00" "$(stat armed_hrtimer)$(stat armed_timer_list)"
check "no tracker was lost" test "$(stat track_failures)" -eq 0
