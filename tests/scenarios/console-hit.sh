# SPDX-License-Identifier: GPL-2.0
# A console driver whose own write frees an armed object, called from
# inside the printk of slubguard's report of another such free: that nested
# report is queued and printed after the one in progress, so nothing waits
# for a lock the CPU holds (a deadlock, under the old report path) and no
# two reports interleave. All four frees are reported and held, in order
# (on PREEMPT_RT the console writes from a thread: nothing nests there, and
# the order is the race's).
#@ backends: ftrace kprobe
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_console_init\+
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_console_write\+
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_console_(init|write)\+

ktap_plan 5
load_slubguard policy=quarantine report_limit=0
dmesg_mark
check "the fixture loads" modprobe sg_console
expect_eq "four frees, the last three by the console's write" "4 4 4" \
	"$(cat /sys/module/sg_console/parameters/freed) $(stat armed_frees) $(stat quarantined)"
titles=$(dmesg_since_mark | grep -E '^BUG: slubguard: free of armed hrtimer in sg_console_' |
	sed -E 's/.* in (sg_console_[a-z]+)\+.*/\1/')
if uname -v | grep -q PREEMPT_RT; then
	# PREEMPT_RT prints to consoles from a thread: the console's write
	# runs there, beside the module's init rather than inside its
	# report, and its frees race with init's. Nothing nests; each free
	# is still reported once, whole (below).
	expect_eq "each printed once (PREEMPT_RT: the console writes from a thread, no order)" \
		"sg_console_init sg_console_write sg_console_write sg_console_write " \
		"$(echo "$titles" | sort | tr '\n' ' ')"
else
	expect_eq "each printed, in the order of the frees" \
		"sg_console_init sg_console_write sg_console_write sg_console_write " \
		"$(echo "$titles" | tr '\n' ' ')"
fi
# Whole reports: after each title, exactly one "hrtimer at offset" line.
interleaved=$(dmesg_since_mark | awk '
	/^BUG: slubguard: free of armed hrtimer in sg_console_/ { if (n && t != 1) bad++; n++; t = 0 }
	/^slubguard: hrtimer at offset 0: callback sg_console_flush/ { t++ }
	END { if (t != 1) bad++; print n + 0, bad + 0 }')
expect_eq "four whole reports, none interleaved" "4 0" "$interleaved"
check "the console goes" rmmod sg_console
