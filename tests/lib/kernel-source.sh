# SPDX-License-Identifier: GPL-2.0
# Sourced by the scripts that build a test kernel from Debian's own 6.1
# source (tests/debug/build-kernel.sh, tests/gki/build-kernel.sh).
#
# kernel_cached DIR: built already: print its env file, and exit.
kernel_cached() {
	if [ -s "$1/env" ]; then
		echo "$1/env"
		exit 0
	fi
}

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
	(cd "$dir.tmp/dl" && apt-get download -qq -o APT::Sandbox::User=root linux-source-6.1 2>/dev/null)
	dpkg -x "$dir.tmp"/dl/linux-source-6.1_*.deb "$dir.tmp/dl/x"
	ver=$(dpkg-deb -f "$dir.tmp"/dl/linux-source-6.1_*.deb Version)
	tar -C "$dir.tmp" -xaf "$dir.tmp"/dl/x/usr/src/linux-source-6.1.tar.xz
	rm -rf "$dir.tmp/dl"
	cd "$src"
	make -s "$defconfig" >"$log" 2>&1
	echo "$ver" >"$dir.tmp/version"
}

# kernel_build DIR JOBS TARGET ARCH SERIES IMAGE: in the source tree, build
# TARGET (the kernel image) and the modules, install the modules under
# DIR.tmp/root, write DIR.tmp/env the way fetch-kernel.sh does for Debian's
# kernels (IMAGE: the image's path in the tree), move DIR.tmp to DIR and
# print the env file's path.
kernel_build() {
	local dir=$1 jobs=$2 target=$3 arch=$4 series=$5 image=$6 start release
	start=$(date +%s)
	if ! make -j"$jobs" "$target" modules >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		echo "build-kernel: the build failed (log: $log)" >&2
		exit 1
	fi
	make -s INSTALL_MOD_PATH="$dir.tmp/root" modules_install >>"$log" 2>&1
	release=$(make -s kernelrelease)
	echo "build-kernel: built $release in $(($(date +%s) - start)) s" | tee -a "$log" >&2
	cat >"$dir.tmp/env" <<ENV
SG_ARCH=$arch
SG_SERIES=$series
SG_ABI=$series
SG_DEBVER=$ver
SG_RELEASE=$release
SG_KDIR=$dir/linux-source-6.1
SG_KERNEL=$dir/linux-source-6.1/$image
SG_MODDIR=$dir/root/lib/modules/$release
ENV
	cd /
	mv "$dir.tmp" "$dir"
	echo "$dir/env"
}
