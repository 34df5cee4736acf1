# SPDX-License-Identifier: GPL-2.0
# KTAP helpers for guest scenarios (Documentation/dev-tools/ktap.rst).
# A scenario calls ktap_plan N, then one result per check; init calls
# ktap_finish, which prints the totals.

KTAP_N=0 KTAP_PASS=0 KTAP_FAIL=0 KTAP_SKIP=0

ktap_plan() {
	echo "KTAP version 1"
	echo "1..$1"
}

ktap_ok() {
	KTAP_N=$((KTAP_N + 1)) KTAP_PASS=$((KTAP_PASS + 1))
	echo "ok $KTAP_N $1"
}

ktap_fail() {
	KTAP_N=$((KTAP_N + 1)) KTAP_FAIL=$((KTAP_FAIL + 1))
	echo "not ok $KTAP_N $1${2:+ # $2}"
}

ktap_skip() {
	KTAP_N=$((KTAP_N + 1)) KTAP_SKIP=$((KTAP_SKIP + 1))
	echo "ok $KTAP_N $1 # SKIP $2"
}

ktap_finish() {
	echo "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL xfail:0 xpass:0 skip:$KTAP_SKIP error:0"
}

# check NAME COMMAND...: one result, from the command's exit status.
check() {
	name=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then
		ktap_ok "$name"
	else
		ktap_fail "$name" "$(tr '\n' ' ' </tmp/check.out | cut -c1-200)"
	fi
}

# expect_eq NAME WANT GOT
expect_eq() {
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "want '$2', got '$3'"
	fi
}

# The value of a slubguard counter.
stat() {
	cat "/sys/kernel/slubguard/stats/$1"
}

# The kernel log without timestamps.
klog() {
	dmesg | sed 's/^\[[^]]*\] //'
}

# A numbered line in the kernel log (debug level: not on the console). A
# line count would drift once the log buffer wraps.
dmesg_mark() {
	echo $(($(cat /tmp/dmesg.mark 2>/dev/null || echo 0) + 1)) >/tmp/dmesg.mark
	echo "<7>slubguard-guest-mark $(cat /tmp/dmesg.mark)" >/dev/kmsg
}

# The kernel log since the last mark; all of it before the first mark.
dmesg_since_mark() {
	if [ -f /tmp/dmesg.mark ]; then
		klog | awk -v m="slubguard-guest-mark $(cat /tmp/dmesg.mark)" 'seen; $0 == m { seen = 1 }'
	else
		klog
	fi
}

# dmesg_has REGEX: the log since the mark has a line matching REGEX.
dmesg_has() {
	dmesg_since_mark | grep -Eq "$1"
}

# wait_stat NAME VALUE: until counter NAME reads VALUE, at most 10 s.
wait_stat() {
	t=0
	while [ "$(stat "$1")" != "$2" ] && [ $t -lt 50 ]; do
		sleep 0.2
		t=$((t + 1))
	done
}

# slab_active CACHE: objects of CACHE in use, from /proc/slabinfo. SLUB counts
# every object of a CPU's current slab as in use, so the cache is shrunk
# first: that flushes the CPU slabs and frees empty ones.
slab_active() {
	echo 1 >"/sys/kernel/slab/$1/shrink"
	awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo
}

load_slubguard() {
	modprobe slubguard backend="$SG_BACKEND" "$@"
}
