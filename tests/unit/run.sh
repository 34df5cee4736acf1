#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run.sh [OUT]
#
# The host-side unit tests: slubguard's registry, timer and workqueue events
# and free check (slubguard/registry.c, tracepoints.c, types.c, check.c)
# built as a host program against tests/unit/shim.h, each kernel
# generation's order of events replayed into them (events_test.c); and
# slubguardctl against a directory that is not slubguard's (ctl_test.sh).
# Prints KTAP, then 'N passed, N failed'; with OUT, also one line per case
# in OUT/unit.result for tests/run.sh's count. Takes about a second.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/tests/out}
build=$out/unit
rm -rf "$build"
mkdir -p "$build/include/linux" "$build/include/asm" "$build/include/trace"
# The kernel headers the sources name: empty, shim.h stands for them all.
for f in $(cat "$top"/slubguard/{registry.c,tracepoints.c,types.c,check.c} "$top"/slubguard/*.h |
	   sed -n 's/^#include <\(\(linux\|asm\|trace\)\/[a-z_]*\.h\)>.*/\1/p' | sort -u); do
	: >"$build/include/$f"
done

if ! gcc -O1 -g -Wall -Werror -Wno-unused-function -pthread -I"$build/include" \
	-include "$top/tests/unit/shim.h" -o "$build/events_test" \
	"$top/tests/unit/events_test.c" 2>"$build/build.log"; then
	cat "$build/build.log"
	echo "not ok 1 unit tests build"
	[ "${1:-}" ] && echo "unit FAIL events_test builds" >"$out/unit.result"
	echo "0 passed, 1 failed"
	exit 1
fi
"$build/events_test" | tee "$build/ktap"
rc=${PIPESTATUS[0]}
# slubguardctl against a directory that is not slubguard's.
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
if gcc -O2 -Wall -Wextra -Werror -DSG_TOOL_VERSION="\"$ver\"" -o "$build/slubguardctl" \
	"$top/userspace/slubguardctl.c" 2>"$build/ctl-build.log"; then
	bash "$top/tests/unit/ctl_test.sh" "$build/slubguardctl" | tee "$build/ctl-ktap"
else
	cat "$build/ctl-build.log"
	echo "not ok 1 slubguardctl builds" | tee "$build/ctl-ktap"
fi
passed=$(cat "$build/ktap" "$build/ctl-ktap" | grep -c '^ok ')
failed=$(cat "$build/ktap" "$build/ctl-ktap" | grep -c '^not ok ')
if [ "${1:-}" ]; then
	cat "$build/ktap" "$build/ctl-ktap" |
		sed -n 's/^ok [0-9]* \(.*\)/unit PASS \1/p; s/^not ok [0-9]* \(.*\)/unit FAIL \1/p' \
		>"$out/unit.result"
fi
if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
	echo "unit tests exited $rc"
	failed=1
fi
echo "$passed passed, $failed failed"
((failed == 0))
