# SPDX-License-Identifier: GPL-2.0
# slubguard built by DKMS: on the host, 'dkms add' and 'dkms build' against
# this kernel's Debian headers (tests/lib/dkms.sh), the result installed
# where 'dkms install' puts it (/lib/modules/<release>/updates/dkms), and
# no other copy. modprobe finds that module, loads it, and it catches the
# seed's bug. Under quarantine: under warn the seed's late cancel touches
# freed memory, which once hung 6.12-rt (the cancel spun on its timer
# base's lock); this scenario is about DKMS, not about that.
#@ arch: x86_64
#@ arch-why: DKMS builds for the kernel of the machine it runs on, an x86_64 host here
#@ initramfs: dkms
#@ kernels: 6.1 6.12
#@ kernels-why: DKMS is tested against Debian's headers packages
#@ expect: ^slubguard: loaded: version [0-9]+\.[0-9]+\.[0-9]+, backend ftrace, policy quarantine, enabled$
#@ allow: ^BUG: slubguard: free of armed hrtimer in sg_seed_exit\+

# Compressed as the kernel's own modules are, if they are (6.12).
built_by_dkms() {
	case "$(modinfo -n slubguard)" in
	/lib/modules/$(uname -r)/updates/dkms/slubguard.ko | \
	/lib/modules/$(uname -r)/updates/dkms/slubguard.ko.[gxz]*) ;;
	*) return 1 ;;
	esac
}

ktap_plan 6
check "modprobe finds the module DKMS built" built_by_dkms
expect_eq "and no other" 1 "$(find /lib/modules/$(uname -r) -name 'slubguard.ko*' | wc -l)"
check "modprobe slubguard" load_slubguard policy=quarantine
expect_eq "the module loaded is that one" "$(modinfo -F srcversion slubguard) $(modinfo -F version slubguard)" \
	"$(cat /sys/module/slubguard/srcversion) $(cat /sys/module/slubguard/version)"
modprobe sg_seed reuse=0
rmmod sg_seed
expect_eq "it catches the seed's bug" 1 "$(stat armed_frees)"
check "rmmod slubguard" rmmod slubguard
