#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# list-kernels.sh: the kernels make test can run on (make test KERNELS=list),
# as Debian's archive serves them now (tests/lib/targets.sh).
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tests/lib/targets.sh
. "$top/tests/lib/targets.sh"

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	echo "(arm64 is not a dpkg architecture here yet: make test adds it; x86_64 only below)" >&2
fi
cat <<'END'
make test KERNELS="..." [ARCH=x86_64|arm64] runs the suite on each of:
  6.1, 6.12              the newest generic ABI of the series (the default)
  6.1.0-47, 6.12.107 ... one ABI (below)
  ...-rt, ...-cloud      either of those, PREEMPT_RT or the cloud flavour
  ...-16k                either, arm64 6.12 with 16 KiB pages
  debug, gki             built here from Debian's 6.1 source (x86_64, arm64)
for example KERNELS="6.1-rt 6.12-16k 6.1.0-47".

END
targets_list | awk '
	{
		key = $1
		if (!(key in order)) { order[key] = n++; names[n - 1] = key }
		if (index(" " arches[key] " ", " " $3 " ") == 0) arches[key] = arches[key] " " $3
		f = $2 ($2 == "16k" ? " (arm64)" : "")
		if (index(flav[key], f) == 0) flav[key] = flav[key] " " f
	}
	END {
		printf "%-10s %-14s %s\n", "ABI", "arches", "flavours"
		for (i = 0; i < n; i++) {
			k = names[i]
			printf "%-10s %-14s %s\n", k, substr(arches[k], 2), substr(flav[k], 2)
		}
	}'
