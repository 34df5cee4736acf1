# SPDX-License-Identifier: GPL-2.0
# No false alarm: drivers whose hrtimer, timer_list or work fires on the
# other CPU and whose teardown waits for the callback's signal (a flag or a
# completion, its last touch of the object), then frees the object at once.
# That is correct, and the kernel's debugobjects accepts it, though the
# kernel may still name the callback running when the free comes: the
# fixture counts how often, from the kernel's own state, just before each
# free. slubguard must not report one of them.
#@ backends: ftrace kprobe tracepoint
#@ timeout: 420
#@ expect: ^sg_done: hrtimer: 2000 correct frees after the callback's signal, [0-9]+ while the kernel still named it running$
#@ expect: ^sg_done: timer_list: 200 correct frees
#@ expect: ^sg_done: work: 2000 correct frees
#@ reject: ^BUG: slubguard

ktap_plan 9
load_slubguard
checked=$(stat frees_checked)
for k in hrtimer:2000 timer_list:200 work:2000; do
	check "sg_done kind=${k%:*} rounds=${k#*:} loads" modprobe sg_done kind=${k%:*} rounds=${k#*:}
	rmmod sg_done
done
# Ground truth: the frees did come while the kernel named the callback running.
for k in hrtimer timer_list work; do
	n=$(klog | sed -n "s/^sg_done: $k: [0-9]* correct frees after the callback's signal, \([0-9]*\) while.*/\1/p")
	check "$k: frees came while the callback was still running" test "${n:-0}" -gt 0
done
expect_eq "no report from any correct free" "0 0 0 0" \
	"$(stat armed_frees) $(stat armed_hrtimer) $(stat armed_timer_list) $(stat armed_work_struct)"
check "the frees were checked" test $(($(stat frees_checked) - checked)) -ge 4200
check "nothing was lost" test "$(stat track_failures)" -eq 0
