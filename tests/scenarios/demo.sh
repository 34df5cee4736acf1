# SPDX-License-Identifier: GPL-2.0
# What `make demo` shows: slubguard loaded like any module, the seed bug
# caught at its kfree(), and the counters. Also run by `make test`, so the
# demo cannot rot.
#@ backends: ftrace kprobe
#@ expect: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+
#@ expect: ^armed_frees 1$
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit
#@ debug-expect: ^ODEBUG: free active \(active state 0\) object type: hrtimer hint: sg_seed_poll\+
#@ debug-expect: ^BUG: KASAN: use-after-free in hrtimer_active\+

say() {
	echo "demo\$ $*"
}

ktap_plan 2
say modprobe slubguard
load_slubguard
say cat /sys/kernel/slubguard/policy
cat /sys/kernel/slubguard/policy
say "modprobe sg_seed reuse=0      # a driver whose hrtimer restarts itself every 100 ms"
modprobe sg_seed reuse=0
sleep 1
say "rmmod sg_seed                 # its exit frees the object, then cancels the timer"
rmmod sg_seed
sleep 0.2
say slubguardctl stats
slubguardctl stats
check "the demo's bug was caught" test "$(stat armed_frees)" = 1
check "slubguardctl ran" slubguardctl status
