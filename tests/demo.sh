#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo [ARCH=x86_64|arm64]: boot one guest with Debian's stock 6.1 kernel,
# load slubguard, run the seed bug, show the report and the counters.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${SG_CACHE:-$top/.cache}
arch=${1:-x86_64}

bash "$top/tests/lib/host-deps.sh" "$arch"
# Each step on stderr as it goes: the downloads (first run only), the builds.
SG_PROGRESS=1 bash "$top/tests/lib/build.sh" "$arch" 6.1 >/dev/null
# shellcheck disable=SC1090
. "$cache/kernels/6.1-$arch/env"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "== booting $SG_RELEASE in QEMU"
bash "$top/tests/lib/boot.sh" "$arch" "$SG_KERNEL" "$cache/build/6.1-$arch/initramfs.cpio.gz" \
	"$log" 120 sg.scenario=demo sg.backend=ftrace quiet >/dev/null
# The guest's side of the story, from init on; KTAP bookkeeping left out.
sed -n '/^slubguard-guest: scenario/,$p' "$log" | tr -d '\r' |
	grep -v -E '^(KTAP version|1\.\.|ok |not ok |# Totals|.*reboot: Power down)'
python3 "$top/tests/lib/oracle.py" "$top/tests/scenarios/demo.sh" "$log" exited >/dev/null ||
	{ echo "== the demo did not go as expected; full console: kept at $log.keep"; cp "$log" "$log.keep"; exit 1; }
