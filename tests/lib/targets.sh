# SPDX-License-Identifier: GPL-2.0
# Sourced by fetch-kernel.sh, run.sh and buildcheck.sh: the names of the
# kernels the suite runs on, and what each means in Debian's archive.
#
# A target is a series, or one ABI of it, and a flavour:
#
#	6.1, 6.12		the newest generic kernel of the series
#	6.1.0-47, 6.12.107	that ABI (6.12's are named by their stable
#				version; Debian's ABI is 6.12.107+deb12)
#	...-rt			PREEMPT_RT (Debian's rt flavour)
#	...-cloud		the cloud flavour's smaller configuration
#	...-16k			arm64 with 16 KiB pages (6.12 only)
#	debug, gki		built here from Debian's 6.1 source (tests/debug/,
#				tests/gki/)
#
# for example 6.1-rt, 6.12-16k, 6.1.0-47, 6.12.107-rt.

# target_parse TARGET ARCH: set t_series (6.1, 6.12, debug or gki), t_abi
# (Debian's ABI if the target names one, else empty), t_flavour (generic,
# rt, cloud or 16k) and t_debflavour (the package suffix: amd64,
# rt-arm64, arm64-16k, ...). ARCH is x86_64 or arm64. Returns 2 with a
# message on stderr for a name that is none of the above, led by $t_prog.
target_parse() {
	local t=$1 arch=$2 base deb
	t_series='' t_abi='' t_flavour=generic t_debflavour=''
	case "$arch" in
	x86_64) deb=amd64 ;;
	arm64) deb=arm64 ;;
	*) echo "${t_prog:-}unknown arch '$arch' (x86_64 or arm64)" >&2; return 2 ;;
	esac
	case "$t" in
	debug | gki) t_series=$t; return 0 ;;
	esac
	base=$t
	case "$t" in
	*-rt) t_flavour=rt base=${t%-rt} ;;
	*-cloud) t_flavour=cloud base=${t%-cloud} ;;
	*-16k) t_flavour=16k base=${t%-16k} ;;
	esac
	if [[ "$base" =~ ^6\.1(\.0-[0-9]+)?$ ]]; then
		t_series=6.1
		[ "$base" != 6.1 ] && t_abi=$base
	elif [[ "$base" =~ ^6\.12(\.[0-9]+)?$ ]]; then
		t_series=6.12
		[ "$base" != 6.12 ] && t_abi=$base+deb12
	else
		echo "${t_prog:-}unknown kernel '$t': a series (6.1, 6.12), an ABI (6.1.0-47, 6.12.107), either with -rt, -cloud or -16k, or debug, gki (make test KERNELS=list)" >&2
		return 2
	fi
	case "$t_flavour" in
	generic) t_debflavour=$deb ;;
	rt | cloud) t_debflavour=$t_flavour-$deb ;;
	16k)
		if [ "$arch" != arm64 ] || [ "$t_series" != 6.12 ]; then
			echo "${t_prog:-}kernel '$t': Debian builds 16 KiB pages for arm64 6.12 only" >&2
			return 2
		fi
		t_debflavour=arm64-16k
		;;
	esac
	return 0
}

# target_family TARGET: the series a target belongs to (6.1-rt: 6.1), for
# a scenario's '#@ kernels:' line.
target_family() {
	case "$1" in
	6.1 | 6.1[-.]*) echo 6.1 ;;
	6.12 | 6.12[-.]*) echo 6.12 ;;
	*) echo "$1" ;;
	esac
}

# target_common ABI FLAVOUR: the headers' -common package's suffix.
target_common() {
	[ "$2" = rt ] && echo "linux-headers-$1-common-rt" || echo "linux-headers-$1-common"
}

# targets_list: every ABI and flavour the archive serves, a line each,
# "ABI FLAVOUR ARCH" (6.1.0-47 rt x86_64), oldest ABI first. An image an
# index still names but the archive no longer serves is left out.
targets_list() {
	local p fl arch
	apt-cache pkgnames linux-image-6.1 |
		grep -E -- '-(amd64|arm64)(-16k)?-unsigned$' | sed -E 's/-(amd64|arm64)((-16k)?-unsigned)$/-\1\2:\1/' |
		xargs apt-cache policy 2>/dev/null |
		awk '/^linux-image/ { p = $1 } /Candidate: [0-9]/ { print p }' | sort -V | while read -r p; do
		p=${p#linux-image-}
		p=${p%-unsigned:*}
		[[ "$p" =~ ^(6\.1\.0-[0-9]+|6\.12\.[0-9]+)(\+deb[0-9]+)?-(rt-|cloud-)?(amd64|arm64)(-16k)?$ ]] ||
			continue
		fl=${BASH_REMATCH[3]%-}
		[ -n "${BASH_REMATCH[5]}" ] && fl=16k
		[ "${BASH_REMATCH[4]}" = amd64 ] && arch=x86_64 || arch=arm64
		echo "${BASH_REMATCH[1]} ${fl:-generic} $arch"
	done
}
