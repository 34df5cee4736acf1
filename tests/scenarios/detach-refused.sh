# SPDX-License-Identifier: GPL-2.0
# The kernel refuses to take a hook away (ftrace's unregistering failed):
# the call site may still reach slubguard's handler or trampoline, so
# slubguard must never free its text. It says so once, pins itself
# (rmmod is refused, now and after the refusal is gone), and lets every
# free go from then on. sg_refuse makes the backend's detach return -EBUSY
# as the kernel's would; enabled=0 is the detach.
#@ backends: ftrace kprobe
#@ expect: ^slubguard: (ftrace|kprobe) backend: the kernel would not take every hook away \(-16\): slubguard stays loaded, rmmod is refused, and its hooks let every free go$
#@ reject: ^slubguard: unloaded

SG=/sys/kernel/slubguard
ktap_plan 8
load_slubguard
check "the backend's detach is made to fail" \
	modprobe sg_refuse target="slubguard:${SG_BACKEND}_detach"
refs=$(cat /sys/module/slubguard/refcnt)
printf 0 >$SG/enabled
expect_eq "enabled=0 detached, and the kernel refused" "0 1" \
	"$(cat $SG/enabled) $(cat /sys/module/sg_refuse/parameters/refused)"
expect_eq "slubguard took a reference on itself" "$((refs + 1))" \
	"$(cat /sys/module/slubguard/refcnt)"
check "rmmod slubguard is refused" sh -c '! rmmod slubguard 2>/dev/null'
check "and it is still there" test -d $SG
check "the refusal gone, rmmod is still refused" sh -c \
	'rmmod sg_refuse && ! rmmod slubguard 2>/dev/null && test -d /sys/module/slubguard'
check "frees go on" sh -c 'modprobe sg_correct && rmmod sg_correct'
expect_eq "none of them checked" 0 "$(stat armed_frees)"
