# SPDX-License-Identifier: GPL-2.0
# Sourced by fetch-kernel.sh and buildcheck.sh: Debian's kernel headers,
# unpacked anywhere (not installed), made usable for an out-of-tree build.

# headers_fix ROOT ABI RELEASE SERIES: in ROOT (where the headers, their
# -common package and, if fetched, linux-kbuild were unpacked with dpkg -x),
# point the arch headers' scripts/ and tools/ at the unpacked kbuild when it
# is there (else they keep pointing at the host's /usr/lib/linux-kbuild-*),
# and their Makefile at the unpacked -common headers.
headers_fix() {
	local root=$1 abi=$2 release=$3 series=$4 final=${5:-$1}
	local hdr=$root/usr/src/linux-headers-$release kb l
	for kb in "linux-kbuild-$series" "linux-kbuild-$abi"; do
		[ -d "$root/usr/lib/$kb" ] || continue
		for l in scripts tools; do
			if [ -L "$hdr/$l" ] || [ ! -e "$hdr/$l" ]; then
				rm -f "$hdr/$l"
				ln -s "$final/usr/lib/$kb/$l" "$hdr/$l"
			fi
		done
	done
	sed -i "s#/usr/src/linux-headers-$abi-common#$final/usr/src/linux-headers-$abi-common#g" \
		"$hdr/Makefile"
}

# kbuild_package SERIES ABI: the linux-kbuild package that goes with them.
kbuild_package() {
	case "$1" in
	6.1) echo linux-kbuild-6.1 ;;
	*) echo "linux-kbuild-$2" ;;
	esac
}
