#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make symbols: every kernel symbol slubguard.ko imports, and what needs it.
# On an Android GKI kernel an unsigned vendor module may use only the
# symbols of its KMI list; the module loader resolves every import at load,
# so all of them must be there, whichever backend is chosen. The group says
# which part of slubguard calls it:
#   core        always
#   ftrace      the ftrace backend (built only where the kernel has a
#               function tracer: hook_ftrace.c, the direct trampolines)
#   kprobe      the kprobe backend
#   tracepoint  the tracepoint fast path
# Symbols slubguard finds by name at load (not imports): see
# Documentation/slubguard.rst, "Symbols a vendor must allow".
# Usage: symbols.sh TOP NM
set -euo pipefail
top=$1 nm=${2:-nm}
ko=$top/slubguard.ko
[ -f "$ko" ] || { echo "symbols.sh: no $ko; build the module first" >&2; exit 2; }

group_of() {
	case $1 in
	hook_ftrace.o | direct_*.o) echo ftrace ;;
	hook_kprobe.o) echo kprobe ;;
	hook_tracepoint.o) echo tracepoint ;;
	*) echo core ;;
	esac
}

imports=$("$nm" -u "$ko" | awk '{ print $2 }' | sort -u)
for o in "$top"/slubguard/*.o "$top"/sysfs/*.o; do
	case $(basename "$o") in *.mod.o) continue ;; esac
	g=$(group_of "$(basename "$o")")
	"$nm" -u "$o" | awk -v g="$g" '{ print $2, g }'
done | sort -u | awk '
	NR == FNR { want[$1] = 1; next }
	!($1 in want) { next }
	# core wins over a backend; otherwise every group that needs it.
	$2 == "core" { core[$1] = 1; next }
	{ by[$1] = by[$1] ? by[$1] "," $2 : $2 }
	END {
		for (s in want) {
			if (s in core) print "core", s
			else if (s in by) print by[s], s
			else print "core", s
		}
	}' <(echo "$imports") - | sort -k1,1 -k2,2
echo "# $(echo "$imports" | grep -c .) symbols imported by $ko" >&2
