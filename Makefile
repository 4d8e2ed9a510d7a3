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

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/connprobe clean
	$(MAKE) -C tools/connect-mix clean
	$(MAKE) -C selftests clean
