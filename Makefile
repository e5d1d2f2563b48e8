# SPDX-License-Identifier: GPL-2.0
#
# make            build the module, the agent and the tests
# make check      install what is missing, build, run every test (host + VM)
# make demo       boot the VM and show leaseguard at work
# make lint       checkpatch and sparse on kmod/
# make fuzz       fuzz the wire-format parsers, FUZZ_SECONDS (600) each
# make bench      benchmarks in the VM; prints figures, never fails on them
# make deps       install the Debian packages needed to build and test

KREL ?= $(shell scripts/kernel-release 2>/dev/null)
KDIR ?= /lib/modules/$(KREL)/build
BUILD ?= $(CURDIR)/build
KSRC := $(BUILD)/ksrc

MAKEFLAGS += --no-print-directory
export KREL

.PHONY: all module agent kea selftests deps check demo lint fuzz bench clean

all: module agent kea selftests

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules

agent:
	$(MAKE) -C agent

# The Kea hook (kea/): built when kea-dev is installed.
kea:
	$(MAKE) -C kea

$(KSRC)/.stamp:
	scripts/extract-ksrc $(KSRC)

selftests: $(KSRC)/.stamp
	$(MAKE) -C selftests KSRC=$(KSRC)
	$(MAKE) -C selftests/unit KSRC=$(KSRC)

deps:
	scripts/deps

check:
	@scripts/deps --check 2>/dev/null || scripts/deps
	@$(MAKE) all
	@selftests/check

demo:
	@scripts/deps --check 2>/dev/null || scripts/deps
	@$(MAKE) all
	@selftests/vm/run.sh --timeout 300 -- scripts/demo

fuzz: selftests
	$(MAKE) -C selftests/unit fuzz

bench: all
	$(MAKE) -C selftests/bench
	selftests/bench/run.sh

lint: $(KSRC)/.stamp
	scripts/lint $(KSRC) $(KDIR)

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean
	$(MAKE) -C agent clean
	$(MAKE) -C kea clean
	$(MAKE) -C selftests clean
	$(MAKE) -C selftests/unit clean
	rm -rf $(BUILD)
