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
#@ allow: ^BUG: slubguard: free of armed hrtimer in (sg_free_[a-z_]+|release_nodes|devres_release_all)\+

SG=/sys/kernel/slubguard

# path VIA FROM: a line of the report, for each path.
cat >/tmp/paths <<'END'
kfree_sensitive kfree_sensitive cache kmalloc-
kvfree_sensitive kvfree_sensitive cache kmalloc-
kvfree_kmalloc kvfree cache kmalloc-
kvfree_vmalloc kvfree vmalloc
vfree vfree vmalloc
kmalloc_large kfree (page allocator)
krealloc krealloc cache kmalloc-
kmem_cache_free_bulk kmem_cache_free_bulk cache
kfree_bulk kfree_bulk cache kmalloc-
kfree_rcu kfree_rcu cache kmalloc-
kvfree_rcu kfree_rcu vmalloc
devm kfree cache kmalloc-
END

ktap_plan 30
# Armed before slubguard is loaded: known from the walk of the hrtimer bases.
modprobe sg_free_paths path=kfree defer=1
load_slubguard policy=quarantine quarantine_ms=200
dmesg_mark
rmmod sg_free_paths
check "armed before load: caught" dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_free_kfree\+'
check "armed before load: held" dmesg_has '^slubguard: action: quarantine: timers disarmed, object held$'

while read -r p via from; do
	dmesg_mark
	before=$(stat armed_frees)
	modprobe sg_free_paths path="$p"
	culprit="sg_free_$p"
	[ "$p" = devm ] && culprit="(release_nodes|devres_release_all)"
	check "$p: caught, culprit $culprit" dmesg_has "^BUG: slubguard: free of armed hrtimer in $culprit\\+"
	line=$(dmesg_since_mark | grep -E '^slubguard: [a-z_]+\([0-9a-f]+\) of a [0-9]+-byte object from ' | head -n 1)
	case "$line" in
	"slubguard: $via("*") of a "*"-byte object from $from"*) ok=1 ;;
	*) ok=0 ;;
	esac
	expect_eq "$p: freed by $via, from $from" 1 "$ok"
	[ "$ok" = 1 ] || echo "# got: $line"
	[ "$(stat armed_frees)" = $((before + 1)) ] || echo "# $p: armed_frees $before -> $(stat armed_frees)"
	rmmod sg_free_paths
done </tmp/paths
expect_eq "one hit per object, none missed" 13 "$(stat armed_frees)"
wait_stat quarantine_held 0
expect_eq "every object released" "13 13" "$(stat quarantined) $(stat released)"
expect_eq "nothing failed" "0 0" "$(stat quarantine_failures) $(stat track_failures)"
rmmod slubguard
check "slubguard unloads" test ! -d $SG
