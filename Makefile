# SPDX-License-Identifier: GPL-2.0
#
# make                  slubguard.ko and userspace/slubguardctl for the running kernel
# make KDIR=<headers>   the same for another kernel's headers
# make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- KDIR=...   cross-build both
# make install          the module (modules_install, depmod), slubguardctl and its man page
#                       [DESTDIR=... for slubguardctl, INSTALL_MOD_PATH=... for the module]
# make check            sparse (C=2) on the module, plus the project's own rules
#                       (kernel versions in compat.h only, files calling one way)
# make test             the guest test suite on {6.1, 6.12} x {x86_64, arm64}
#                       (fetches kernels, boots QEMU); KERNELS=6.12 ARCH=arm64 narrows it,
#                       KERNELS="6.1-rt 6.12-16k 6.1.0-47" picks others, KERNELS=list lists them,
#                       KERNELS="6.1 6.12 wide" adds tests/targets (old ABIs, rt, cloud, 16k) as CI does
# make buildcheck       build against every Debian 6.1 and 6.12 amd64 headers package, and the
#                       newest of arm64, rt, cloud and arm64-16k (ALL=1: every one of each)
# make bench            what slubguard costs: ratios with / without it, same boot
# make symbols          every kernel symbol slubguard.ko imports, by what needs it
#                       (KDIR=, ARCH=, CROSS_COMPILE= as for make)
# make demo             one guest: slubguard catches the seed bug

KDIR ?= /lib/modules/$(shell uname -r)/build
# The release modules_install installs for (Debian's kernel.release differs).
KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
CC_USER ?= $(CROSS_COMPILE)gcc
USER_CFLAGS ?= -O2 -Wall -Wextra -Werror -static
export ARCH CROSS_COMPILE

.PHONY: torture all module userspace fixtures install check test buildcheck bench demo clean kdir-check symbols

all: module userspace

# Without headers: what to install, and the headers make test / make demo
# left in .cache/, if any (tests/lib/cached-headers.sh).
kdir-check:
	@test -d "$(KDIR)" || { \
		echo "No kernel headers at $(KDIR)."; \
		echo "Install linux-headers-$$(uname -r), or pass KDIR=<headers dir>;"; \
		echo "'make test' fetches Debian's own into .cache/ by itself."; \
		if [ -f "$(CURDIR)/tests/lib/cached-headers.sh" ]; then \
			bash "$(CURDIR)/tests/lib/cached-headers.sh"; fi; \
		exit 1; }

module: kdir-check
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userspace: userspace/slubguardctl

# The tool's version is the module's (dkms.conf).
SG_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(CURDIR)/dkms.conf)

userspace/slubguardctl: userspace/slubguardctl.c dkms.conf
	$(CC_USER) $(USER_CFLAGS) -DSG_TOOL_VERSION='"$(SG_VERSION)"' -o $@ $<

# The module goes where modules_install puts an external module
# (/lib/modules/<release>/extra, or updates/ from 6.6 on, compressed as the
# kernel's own); depmod is run here, as Debian's headers lack the
# System.map that would let modules_install run it.
# Without the kernel's signing certificate (Debian's headers have none),
# modules_install is told not to sign, rather than fail to: the module is
# installed unsigned either way.
SIGN_OFF = $(if $(wildcard $(KDIR)/certs/signing_key.x509),,CONFIG_MODULE_SIG_ALL=)
install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install $(SIGN_OFF)
	depmod -b "$(or $(INSTALL_MOD_PATH),/)" -a "$(KRELEASE)"
	install -D -m 0755 userspace/slubguardctl $(DESTDIR)$(SBINDIR)/slubguardctl
	install -D -m 0644 userspace/slubguardctl.8 $(DESTDIR)$(MANDIR)/man8/slubguardctl.8

# For a vendor's list of allowed symbols (Android GKI's KMI): tests/lib/symbols.sh.
symbols: module
	@bash tests/lib/symbols.sh $(CURDIR) $(CROSS_COMPILE)nm

fixtures: kdir-check
	$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/fixtures modules

# Sparse must be silent on slubguard's own files (kernel headers may warn);
# LINUX_VERSION_CODE belongs in compat.h alone; the files call one way only
# (slubguard/slubguard.h, tests/lib/layers.py).
check: kdir-check
	@command -v sparse >/dev/null || { echo "make check needs sparse (apt-get install sparse)"; exit 1; }
	@bad=$$(grep -rl LINUX_VERSION_CODE slubguard sysfs | grep -v '^slubguard/compat.h$$'); \
	if [ -n "$$bad" ]; then echo "LINUX_VERSION_CODE outside slubguard/compat.h: $$bad"; exit 1; fi
	@$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules >.sparse.log 2>&1; rc=$$?; \
	cat .sparse.log; \
	found=$$(grep -E '^($(CURDIR)/|\./)?(slubguard|sysfs)/[^:/]+:[0-9]+:[0-9]+: (warning|error)' .sparse.log); \
	rm -f .sparse.log; \
	if [ $$rc != 0 ]; then echo "make check: the build failed"; exit 1; fi; \
	if [ -n "$$found" ]; then echo "$$found"; echo "make check: sparse warnings in slubguard"; exit 1; fi; \
	echo "make check: sparse clean"
	@python3 tests/lib/layers.py $(CURDIR)

# make test [KERNELS="6.1 6.12"] [ARCH=x86_64|arm64]: every target by default;
# a kernel is a series, an ABI or a flavour (tests/lib/targets.sh), and
# KERNELS=list lists those the archive serves. The kernel "wide" stands for
# those of tests/targets, each with the scenarios listed there: CI runs
# KERNELS="6.1 6.12 wide".
# make test KERNEL=debug: the suite on the debug kernel (tests/debug/; built
# once, 30 min or more; not part of CI). KERNEL=gki: on the GKI-shaped arm64
# kernel, without a function tracer (tests/gki/; built once; not part of CI).
test:
ifeq ($(KERNELS),list)
	@bash tests/lib/list-kernels.sh
else ifeq ($(KERNEL),debug)
	bash tests/run.sh --series debug --arch $(if $(filter command line,$(origin ARCH)),$(ARCH),x86_64)
else ifeq ($(KERNEL),gki)
	bash tests/run.sh --series gki --arch arm64
else
	bash tests/run.sh $(if $(filter command line,$(origin ARCH)),--arch $(ARCH)) \
		$(foreach k,$(KERNELS),--series $(k))
endif

# make torture [SEED=N] [FREES=N] [SECS=N] [KERNELS=...] [ARCH=...]: the
# torture scenario alone (tests/scenarios/torture.sh); SEED replays one run's
# programs, KERNEL=debug runs oracle 2 (debugobjects) on the debug kernel,
# KERNEL=gki oracle 1 on the GKI-shaped kernel.
torture:
ifeq ($(KERNEL),gki)
	SG_GUEST_ARGS="$(if $(SEED),sg.seed=$(SEED)) $(if $(FREES),sg.frees=$(FREES)) $(if $(SECS),sg.secs=$(SECS))" \
	$(if $(SECS),SG_TIMEOUT=$$(($(SECS) + 600))) \
		bash tests/run.sh --series gki --arch arm64 --scenario torture
else ifeq ($(KERNEL),debug)
	SG_GUEST_ARGS="$(if $(SEED),sg.seed=$(SEED)) $(if $(FREES),sg.frees=$(FREES)) $(if $(SECS),sg.secs=$(SECS))" \
	$(if $(SECS),SG_TIMEOUT=$$(($(SECS) * 2 + 600))) \
		bash tests/run.sh --series debug --arch x86_64 --scenario torture
else
	SG_GUEST_ARGS="$(if $(SEED),sg.seed=$(SEED)) $(if $(FREES),sg.frees=$(FREES)) $(if $(SECS),sg.secs=$(SECS))" \
	$(if $(SECS),SG_TIMEOUT=$$(($(SECS) + 600))) \
		bash tests/run.sh $(if $(filter command line,$(origin ARCH)),--arch $(ARCH)) \
		$(foreach k,$(KERNELS),--series $(k)) --scenario torture
endif

buildcheck:
	bash tests/lib/buildcheck.sh $(if $(ALL),--all) $(KERNELS)

# make bench [KERNELS=...] [ARCH=...] [ROUNDS=N] [CLOCK=icount|host]
# [BOOT_ARGS=...]: ratios with / without slubguard; CLOCK=icount (default)
# counts instructions; KERNELS=debug ARCH=x86_64 on the debug kernel.
bench:
	bash tests/bench/run.sh $(if $(filter command line,$(origin ARCH)),--arch $(ARCH)) \
		$(foreach k,$(KERNELS),--series $(k)) $(if $(ROUNDS),--rounds $(ROUNDS)) \
		$(if $(CLOCK),--clock $(CLOCK)) $(if $(BOOT_ARGS),--cmdline "$(BOOT_ARGS)")

demo:
	bash tests/demo.sh $(if $(filter command line,$(origin ARCH)),$(ARCH))

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/fixtures clean 2>/dev/null
	rm -f userspace/slubguardctl
