# SPDX-License-Identifier: GPL-2.0
# Sourced by the scripts that build a test kernel from Debian's own 6.1
# source (tests/debug/build-kernel.sh, tests/gki/build-kernel.sh).
#
# kernel_source DIR DEFCONFIG [PACKAGE...]: install what a kernel build
# needs (and PACKAGEs), unpack linux-source-6.1 into DIR.tmp/linux-source-6.1
# and make DEFCONFIG there, or carry on with an interrupted build; cd there
# and set $ver (the package's version) and $log (DIR.tmp/build.log).
kernel_source() {
	local dir=$1 defconfig=$2 p need=()
	shift 2
	for p in flex bison bc libelf-dev libssl-dev xz-utils "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || need+=("$p")
	done
	if ((${#need[@]})); then
		echo "build-kernel: installing ${need[*]}" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
	fi

	local src=$dir.tmp/linux-source-6.1
	log=$dir.tmp/build.log
	if [ -s "$dir.tmp/version" ] && [ -s "$src/.config" ]; then
		ver=$(cat "$dir.tmp/version")
		echo "build-kernel: resuming the build in $src" >&2
		cd "$src"
		return
	fi
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp/dl"
	(cd "$dir.tmp/dl" && apt-get download -qq linux-source-6.1 2>/dev/null)
	dpkg -x "$dir.tmp"/dl/linux-source-6.1_*.deb "$dir.tmp/dl/x"
	ver=$(dpkg-deb -f "$dir.tmp"/dl/linux-source-6.1_*.deb Version)
	tar -C "$dir.tmp" -xaf "$dir.tmp"/dl/x/usr/src/linux-source-6.1.tar.xz
	rm -rf "$dir.tmp/dl"
	cd "$src"
	make -s "$defconfig" >"$log" 2>&1
	echo "$ver" >"$dir.tmp/version"
}
