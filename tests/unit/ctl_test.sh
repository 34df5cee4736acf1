#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ctl_test.sh CTL: slubguardctl treats $SLUBGUARD_SYSFS as untrusted, on the
# host, against a directory made to look like /sys/kernel/slubguard: outside
# sysfs it is refused unless SLUBGUARD_SYSFS_ANY=1; then no write follows a
# symbolic link or cuts a file short, nothing but a regular file is opened,
# and no read is unbounded. KTAP lines.
set -uo pipefail
ctl=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
n=0

t() {
	local name=$1
	shift
	n=$((n + 1))
	if "$@" >"$dir/out" 2>&1; then
		echo "ok $n slubguardctl: $name"
	else
		echo "not ok $n slubguardctl: $name # $(tr '\n' ' ' <"$dir/out" | cut -c1-200)"
	fi
}

fake=$dir/slubguard
mkdir -p "$fake/stats"
printf 'warn [panic] quarantine\n' >"$fake/policy"
printf '1\n' >"$fake/enabled"
printf 'secret: do not touch\n' >"$dir/victim"
export SLUBGUARD_SYSFS=$fake

t "a directory outside sysfs is refused" sh -c "! '$ctl' policy >/dev/null 2>&1"
t "the refusal says why" sh -c "'$ctl' policy 2>&1 | grep -q 'is not in sysfs: refused'"
export SLUBGUARD_SYSFS_ANY=1
t "with SLUBGUARD_SYSFS_ANY=1 it is read" sh -c "[ \"\$('$ctl' policy)\" = panic ]"

before=$(stat -c %s "$fake/policy")
"$ctl" policy warn >/dev/null 2>&1
t "a write does not cut the file short" test "$(stat -c %s "$fake/policy")" = "$before"

mv "$fake/policy" "$dir/policy.real"
ln -s "$dir/victim" "$fake/policy"
t "a write never follows a symbolic link" sh -c \
	"! '$ctl' policy quarantine >/dev/null 2>&1 && grep -qx 'secret: do not touch' '$dir/victim'"
rm "$fake/policy"

mkfifo "$fake/policy"
t "a FIFO is refused, not waited on" sh -c "! timeout 5 '$ctl' policy >/dev/null 2>&1"
rm "$fake/policy"
mv "$dir/policy.real" "$fake/policy"

head -c 2097152 /dev/zero | tr '\0' 'x' >"$fake/reports"
t "an oversized reports file is refused" sh -c \
	"'$ctl' reports 2>&1 >/dev/null | grep -q 'more than 1048576 bytes'"

t "--version names the tool's version and that no module is loaded" sh -c \
	"'$ctl' --version | grep -qx 'slubguardctl [0-9][0-9.]*' && '$ctl' --version | grep -qx 'slubguard module: not loaded'"
t "-j --version is JSON" sh -c "'$ctl' -j --version | grep -Eqx '\\{\"tool\": \"[0-9.]+\", \"module\": null\\}'"
t "-j: an error is JSON on stdout too, exit status 1" sh -c \
	"SLUBGUARD_SYSFS=$dir/none '$ctl' -j stats 2>/dev/null | grep -qx '{\"error\": \"slubguard is not loaded (no $dir/none)\"}'; [ \$? = 0 ] && ! SLUBGUARD_SYSFS=$dir/none '$ctl' -j stats >/dev/null 2>&1; SLUBGUARD_SYSFS=$dir/none '$ctl' -j stats >/dev/null 2>&1; [ \$? = 1 ]"
t "-j: a usage error is JSON on stdout too, exit status 2" sh -c \
	"'$ctl' -j bogus 2>/dev/null | grep -qx '{\"error\": \"unknown command .bogus.\"}'; [ \$? = 0 ] || exit 1; '$ctl' -j bogus >/dev/null 2>&1; [ \$? = 2 ]"
