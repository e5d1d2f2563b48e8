# SPDX-License-Identifier: GPL-2.0
#
# make            build the module, the agent and the tests
# make check      install what is missing, build, run every test (host + VM)
# make demo       boot the VM and show leaseguard at work
# make lint       checkpatch and sparse on kmod/
# make fuzz       fuzz the wire-format parsers, FUZZ_SECONDS (600) each
# make bench      benchmarks in the VM; prints figures, never fails on them
# make man        man pages into build/man (lgctl.8, leaseguardd.8, leaseguardd.conf.5)
# make deps       install the Debian packages needed to build and test

# The kernel release is looked up when a recipe first needs it, never when
# make starts: "make check" on a fresh machine installs the kernel first.
# It is not exported either: an empty KREL in the environment would stick
# in every sub-make (and scripts/kernel-release finds it on its own). A
# KREL= or KDIR= given on the command line still reaches every sub-make.
KERNEL_RELEASE ?= scripts/kernel-release
DEPS ?= scripts/deps
KREL ?= $(eval KREL := $(shell $(KERNEL_RELEASE) 2>/dev/null))$(KREL)
KDIR ?= /lib/modules/$(KREL)/build
BUILD ?= $(CURDIR)/build
KSRC := $(BUILD)/ksrc

MAKEFLAGS += --no-print-directory

.PHONY: all module agent kea selftests deps check demo lint fuzz bench clean man

all: module agent kea selftests

module:
	@test -n "$(KREL)$(filter command line environment,$(origin KDIR))" || \
		{ echo "no Debian 6.1 kernel with headers installed (make deps)" >&2; exit 1; }
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

# Man pages, rendered from Documentation/man/NAME.SECTION.rst by docutils.
MAN_PAGES := $(patsubst Documentation/man/%.rst,$(BUILD)/man/%,$(wildcard Documentation/man/*.rst))

man: $(MAN_PAGES)

$(BUILD)/man/%: Documentation/man/%.rst
	@mkdir -p $(@D)
	rst2man --exit-status=warning $< $@

deps:
	$(DEPS)

# Each of these installs what is missing first, then builds in a new make,
# which reads the kernel release only once the kernel is installed.
check:
	@$(DEPS) --check 2>/dev/null || $(DEPS)
	@$(MAKE) all
	@selftests/check

demo:
	@$(DEPS) --check 2>/dev/null || $(DEPS)
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
