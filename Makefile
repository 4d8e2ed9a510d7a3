# SPDX-License-Identifier: GPL-2.0
#
# connprobe: `make` builds the module and the tool; `make check` runs every
# test (host and VM); `make demo` shows it at work in a VM.

# The kernel build tree: the running kernel's, or else the newest Debian
# cloud headers installed (these machines run a kernel without one).
KVER ?= $(shell uname -r)
KDIR ?= $(or $(wildcard /lib/modules/$(KVER)/build),$(shell scripts/kernel.sh kdir))

.PHONY: all module tool connect-mix selftests check demo clean

all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tools/connprobe

# Demo and benchmark workload (static, for the VM).
connect-mix:
	$(MAKE) -C tools/connect-mix

selftests:
	$(MAKE) -C selftests

check:
	scripts/check.sh

demo:
	scripts/demo.sh

# The module under fire in the VM (load/unload under load, hostile input);
# see scripts/stress.sh.  Not part of check: it takes minutes per kernel.
.PHONY: stress
stress:
	scripts/stress.sh

# Every control operation at random, from several threads at once, under
# a connect load, for TORTURE_SECONDS (600) per kernel; see
# scripts/torture.sh.  Not part of check: ten minutes per kernel.
.PHONY: torture
torture:
	scripts/torture.sh

# The module in a debug kernel (KASAN, lockdep, kmemleak, UBSAN, ...) built
# from Debian's source; see scripts/check-debug.sh.  Not part of check: the
# kernel's first build takes half an hour or more.
.PHONY: check-debug
check-debug:
	scripts/check-debug.sh

# Faults made on purpose in a copy of the tree, each of which a test must
# catch; see scripts/mutate.sh.  Not part of check: a VM boot per fault in
# the module.
.PHONY: mutate
mutate:
	scripts/mutate.sh

# Benchmarks, one section each; see scripts/bench.sh.
.PHONY: bench
bench:
	scripts/bench.sh $(BENCH)

# Each tracer's cost per connect() in one instruction-counted VM; see
# scripts/bench-vm.sh.
.PHONY: bench-vm
bench-vm: ; scripts/bench-vm.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/connprobe clean
	$(MAKE) -C tools/connect-mix clean
	$(MAKE) -C selftests clean

# Installing.  `make install` puts the module built against KDIR in
# /lib/modules/<its release>/updates, where modules that do not come with
# the kernel package go, the tool in $(SBINDIR) and the man page, once
# written, in $(MANDIR).  DESTDIR stages a package: depmod is then left to
# the package's installation.
.PHONY: install uninstall dkms-src dkms-install dkms-uninstall

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
MAN8 := $(wildcard tools/connprobe/connprobe.8)
# The release KDIR builds for; Debian's 6.1 trees say 6.1.192 in
# include/config/kernel.release, so read the one compiled into modules.
KRELEASE = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	     $(KDIR)/include/generated/utsrelease.h)
MODDIR = $(DESTDIR)/lib/modules/$(KRELEASE)/updates
DEPMOD = $(if $(DESTDIR),,depmod -a $(KRELEASE))

install: all
	install -D -m 0644 module/connprobe.ko $(MODDIR)/connprobe.ko
	install -D -m 0755 tools/connprobe/connprobe $(DESTDIR)$(SBINDIR)/connprobe
	$(if $(MAN8),install -D -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/connprobe.8)
	$(DEPMOD)

uninstall:
	rm -f $(MODDIR)/connprobe.ko $(DESTDIR)$(SBINDIR)/connprobe \
	      $(DESTDIR)$(MANDIR)/man8/connprobe.8
	$(DEPMOD)

# DKMS (dkms.conf): the module's source goes to /usr/src/connprobe-<version>,
# then DKMS builds and installs it for every kernel whose headers are
# installed, and for kernels installed later on its own.
PKG_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DKMS_SRC = $(DESTDIR)/usr/src/connprobe-$(PKG_VERSION)
KERNELS_WITH_HEADERS = $(notdir $(patsubst %/build,%,$(wildcard /lib/modules/*/build)))

dkms-src:
	install -D -m 0644 -t $(DKMS_SRC) Kbuild dkms.conf
	install -D -m 0644 -t $(DKMS_SRC)/module module/Kbuild \
		$(filter-out %.mod.c,$(wildcard module/*.c)) $(wildcard module/*.h)
	install -D -m 0644 -t $(DKMS_SRC)/module/uapi $(wildcard module/uapi/*.h)

dkms-install: dkms-src
	for k in $(KERNELS_WITH_HEADERS); do \
		dkms install connprobe/$(PKG_VERSION) -k $$k || exit 1; \
	done

dkms-uninstall:
	dkms remove connprobe/$(PKG_VERSION) --all
	rm -rf $(DKMS_SRC)
