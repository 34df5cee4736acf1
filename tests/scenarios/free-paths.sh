# SPDX-License-Identifier: GPL-2.0
# Every free path: an object whose hrtimer is armed, freed through each way
# the kernel gives memory back, is caught at that free, with the code that
# freed it as the culprit (for kfree_rcu(), the code that queued the free;
# for krealloc(), its caller), the freeing function, the allocator and the
# timer's offset; each object is held in quarantine, so nothing crashes. And
# an hrtimer armed before slubguard was loaded is caught too.
#@ backends: ftrace kprobe
#@ timeout: 300
#@ expect: ^slubguard: [0-9]+ hrtimers were armed before load; tracking them$
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_free_[a-z_]+\+
#@ expect: ^slubguard: devres memory of device sg_free_paths \(driver \(none\)\)$
#@ expect: ^slubguard: freed by (release_nodes|devres_release_all)\+0x[0-9a-f]+/0x[0-9a-f]+ for it \(generic code; the stack shows the path\)$

SG=/sys/kernel/slubguard

# path VIA WHAT: the report's line 'VIA(...) of a WHAT...', for each path. A
# vmalloc object is three pages with the timer in the third, so the whole
# area must be checked, not its first page; a large kmalloc() is four pages
# (4 KiB, or 16 KiB on arm64-16k: the kernel's page size for this shell).
P=$(awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)
V=$((3 * P)) L=$((4 * P))
cat >/tmp/paths <<END
kfree_sensitive kfree_sensitive -byte object from cache kmalloc-
kvfree_sensitive kvfree_sensitive -byte object from cache kmalloc-
kvfree_kmalloc kvfree -byte object from cache kmalloc-
kvfree_vmalloc kvfree $V-byte object from vmalloc
vfree vfree $V-byte object from vmalloc
vfree_irq vfree $V-byte object from vmalloc
kmalloc_large kfree $L-byte object from (page allocator)
krealloc krealloc -byte object from cache kmalloc-
kmem_cache_free_bulk kmem_cache_free_bulk -byte object from cache
kfree_bulk kfree_bulk -byte object from cache kmalloc-
kfree_rcu kfree_rcu -byte object from cache kmalloc-
kvfree_rcu kfree_rcu $V-byte object from vmalloc
devm kfree -byte object from cache kmalloc-
END

ktap_plan 32
# Armed before slubguard is loaded: known from the walk of the hrtimer bases.
modprobe sg_free_paths path=kfree defer=1
load_slubguard policy=quarantine quarantine_ms=200 report_limit=0
dmesg_mark
rmmod sg_free_paths
check "armed before load: caught" dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_free_kfree\+'
check "armed before load: held" dmesg_has '^slubguard: action: quarantine: timers disarmed, object held$'

while read -r p via what; do
	dmesg_mark
	before=$(stat armed_frees)
	modprobe sg_free_paths path="$p"
	culprit="sg_free_$p"
	# devres frees for the driver: the title names the driver's frame.
	[ "$p" = devm ] && culprit="sg_free_devm"
	[ "$p" = vfree_irq ] && culprit="sg_free_vfree_irq_fn"
	check "$p: caught, culprit $culprit" dmesg_has "^BUG: slubguard: free of armed hrtimer in $culprit\\+"
	line=$(dmesg_since_mark | grep -E '^slubguard: [a-z_]+\([0-9a-f]+\) of a [0-9]+-byte object from ' | head -n 1)
	case "$line" in
	"slubguard: $via("*") of a "*"$what"*) ok=1 ;;
	*) ok=0 ;;
	esac
	expect_eq "$p: freed by $via, a ...$what" 1 "$ok"
	[ "$ok" = 1 ] || echo "# got: $line"
	[ "$(stat armed_frees)" = $((before + 1)) ] || echo "# $p: armed_frees $before -> $(stat armed_frees)"
	rmmod sg_free_paths
done </tmp/paths
expect_eq "one hit per object, none missed" 14 "$(stat armed_frees)"
wait_stat quarantine_held 0
expect_eq "every object released" "14 14" "$(stat quarantined) $(stat released)"
# The bulk frees' other objects are given back from inside the hook: under
# the kprobe backend each is a kprobe hit the kprobe core drops, slubguard's
# own, which it does not count as a free missed.
expect_eq "nothing failed, no free dropped" "0 0 0" \
	"$(stat quarantine_failures) $(stat track_failures) $(stat hooks_missed)"
rmmod slubguard
check "slubguard unloads" test ! -d $SG
