# SPDX-License-Identifier: GPL-2.0
# A title that blames the right code. Teardown whose last statement is
# kfree(priv) reaches the free by a jump on x86_64 (sibling calls): the
# return address the hook sees is the caller's. slubguard reads the call
# before it: a direct call of another function names that function (the
# helper that freed), an indirect one (a module's exit, called by
# delete_module()) names the module that owns the timer's callback, marked
# so. arm64's kernels build without sibling calls: there the free is a
# plain call, and the title names the function that made it. Each object
# is held in quarantine, so nothing crashes.
#@ backends: ftrace kprobe
#@ allow: ^BUG: slubguard: free of armed hrtimer in (sg_tail_teardown\+|sg_tail_exit\+|cleanup_module\+|\[sg_tail\]$)

ktap_plan 6
load_slubguard policy=quarantine quarantine_ms=200
dmesg_mark
modprobe sg_tail where=helper
if [ "$(uname -m)" = x86_64 ]; then
	check "helper: the title names the function that jumped to kfree()" \
		dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_tail_teardown\+0x0/0x[0-9a-f]+ \[sg_tail\]$'
	check "helper: the report says it was a tail call, and who called" \
		dmesg_has '^slubguard: freed by a tail call in sg_tail_teardown\+0x0/0x[0-9a-f]+ \[sg_tail\], which sg_tail_init\+0x[0-9a-f]+/0x[0-9a-f]+ \[sg_tail\] called$'
else
	check "helper: the title names the function that called kfree()" \
		dmesg_has '^BUG: slubguard: free of armed hrtimer in sg_tail_teardown\+0x[0-9a-f]+/0x[0-9a-f]+ \[sg_tail\]$'
	check "helper: no tail call is claimed" sh -c "! dmesg | grep -q 'freed by a tail call'"
fi
rmmod sg_tail

modprobe sg_tail where=exit
dmesg_mark
rmmod sg_tail
if [ "$(uname -m)" = x86_64 ]; then
	check "exit: the title names the module that owns the callback" \
		dmesg_has '^BUG: slubguard: free of armed hrtimer in \[sg_tail\]$'
	check "exit: the report says why" \
		dmesg_has "^slubguard: freed by a tail call in a function __do_sys_delete_module\\+0x[0-9a-f]+/0x[0-9a-f]+ called indirectly; \\[sg_tail\\] owns the timer's callback$"
else
	check "exit: the title names the exit function" \
		dmesg_has '^BUG: slubguard: free of armed hrtimer in (sg_tail_exit|cleanup_module)\+0x[0-9a-f]+/0x[0-9a-f]+ \[sg_tail\]$'
	check "exit: no tail call is claimed" sh -c "! dmesg | grep -q 'freed by a tail call'"
fi
expect_eq "two hits, both held" "2 2" "$(stat armed_frees) $(stat quarantined)"
wait_stat released 2
expect_eq "both given back" 2 "$(stat released)"
