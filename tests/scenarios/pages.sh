# SPDX-License-Identifier: GPL-2.0
# Pages given back to the page allocator while a timer_list in them is
# armed: free_pages(), __free_pages() and free_pages_exact() (whose pages
# no hooked function frees) are caught from kmem:mm_page_free, with the
# code that freed them as the culprit, the freeing function, the size and
# the timer's offset; the same frees done right draw nothing. A large
# kmalloc()'s kfree() gives its pages back too: reported once, by kfree(),
# the page free counted as a repeat, even when the timer is armed again in
# between (the fixture's own probe, before slubguard's). Under quarantine
# a page free is reported but cannot be held. The fixture cancels the
# timer right after each free, before the pages can be reused (see
# sg_pages.c).
#@ backends: ftrace kprobe tracepoint
#@ allow: ^BUG: slubguard: free of armed timer_list in sg_pages_[a-z_]+\+
#@ debug-allow: ^ODEBUG: free active \(active state 0\) object type: timer_list hint: sg_pages_timer\+
#@ debug-allow: ^ODEBUG: assert_init not available \(active state 0\) object type: timer_list hint: sg_pages_timer\+
#@ debug-allow: ^BUG: KASAN: use-after-free in [\s\S]* sg_pages_init\+
#@ debug-allow: ^BUG: KFENCE: use-after-free read in [\s\S]* sg_pages_init\+

SG=/sys/kernel/slubguard

# The page size (4 KiB, or 16 KiB on arm64-16k), from the kernel's own
# page tables for this shell.
P=$(awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)
# path VIA SIZE OFFSET: what the report says of each way (sg_pages.c:
# the timer lies 0x140 into the last page).
cat >/tmp/pages <<END
free_pages free_pages $((2 * P)) $((P + 320))
__free_pages __free_pages $((2 * P)) $((P + 320))
free_pages_exact free_pages_exact $P 320
END

ktap_plan 20
load_slubguard report_limit=0
check "page frees are checked" grep -qx '__free_pages tracepoint live nodivert' $SG/hooks
while read -r p via size off; do
	dmesg_mark
	before=$(stat armed_frees)
	modprobe sg_pages path="$p"
	rmmod sg_pages
	check "$p: caught, culprit sg_pages_$p" \
		dmesg_has "^BUG: slubguard: free of armed timer_list in sg_pages_$p\\+"
	line=$(dmesg_since_mark | grep -E '^slubguard: [a-z_]+\([0-9a-f]+\) of a [0-9]+-byte object from ' | head -n 1)
	expect_eq "$p: freed by $via, $size bytes from the page allocator" \
		"slubguard: $via() of a $size-byte object from (page allocator), holding 1 armed timer:" \
		"$(echo "$line" | sed 's/(\([0-9a-f]*\))/()/')"
	check "$p: the timer at offset $off" dmesg_has "^slubguard: +timer_list at offset $off"
	expect_eq "$p: counted once" $((before + 1)) "$(stat armed_frees)"
done </tmp/pages

dmesg_mark
before="$(stat armed_frees) $(stat repeat_hits)"
for p in free_pages __free_pages free_pages_exact kmalloc_large; do
	modprobe sg_pages path=$p cancel=1 && rmmod sg_pages
done
expect_eq "done right: nothing reported" "$before" "$(stat armed_frees) $(stat repeat_hits)"

dmesg_mark
set -- $(stat armed_frees) $(stat repeat_hits)
modprobe sg_pages path=kmalloc_large
rmmod sg_pages
expect_eq "kmalloc_large: reported once, by kfree; its pages' free a repeat" \
	"1 $(($1 + 1)) $(($2 + 1))" \
	"$(dmesg_since_mark | grep -c '^BUG: slubguard: free of armed') $(stat armed_frees) $(stat repeat_hits)"
check "kmalloc_large: culprit sg_pages_kmalloc_large, by kfree" sh -c \
	"dmesg | grep -q 'BUG: slubguard: free of armed timer_list in sg_pages_kmalloc_large+' &&
	 dmesg | grep -Eq 'slubguard: kfree\\([0-9a-f]+\\) of a $((4 * P))-byte object from \\(page allocator\\)'"

# A callback still running may arm the timer again between kfree()'s check
# and its pages' free: a new entry, without the reported mark.
dmesg_mark
set -- $(stat armed_frees) $(stat repeat_hits)
modprobe sg_pages path=kmalloc_large rearm=1
rmmod sg_pages
expect_eq "kmalloc_large, armed again before its pages go: still reported once" \
	"1 $(($1 + 1)) $(($2 + 1))" \
	"$(dmesg_since_mark | grep -c '^BUG: slubguard: free of armed') $(stat armed_frees) $(stat repeat_hits)"

if echo quarantine >$SG/policy 2>/dev/null; then
	dmesg_mark
	modprobe sg_pages path=free_pages
	rmmod sg_pages
	check "quarantine: reported, not held" dmesg_has \
		'^slubguard: action: warn: the free goes on, the timer stays armed \(quarantine cannot hold this free: it cannot be diverted\)$'
	expect_eq "quarantine: nothing held" 0 "$(stat quarantined)"
else
	# backend=tracepoint refuses quarantine (fast-path checks why).
	ktap_skip "quarantine: reported, not held" "backend=tracepoint has no quarantine"
	ktap_skip "quarantine: nothing held" "backend=tracepoint has no quarantine"
fi
echo 0 >$SG/enabled
check "disabled: page frees are not checked" grep -qx '__free_pages off' $SG/hooks
rmmod slubguard
