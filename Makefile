# SPDX-License-Identifier: GPL-2.0
#
# make            build the module, the agent and the tests
# make check      install what is missing, build, run every test (host + VM)
# make check-debug  the VM tests on a debug kernel (KASAN, UBSAN, lockdep,
#                 kmemleak...) built from linux-source-6.1 into build/kdebug
# make demo       boot the VM and show leaseguard at work
# make lint       checkpatch and sparse on kmod/
# make fuzz       fuzz the wire-format parsers, FUZZ_SECONDS (600) each
# make fuzz-netlink  fuzz the netlink family in the VM for SECONDS (300)
# make bench      benchmarks in the VM; prints figures, never fails on them
# make man        man pages into build/man (lgctl.8, leaseguardd.8, leaseguardd.conf.5)
# make deps       install the Debian packages needed to build and test
# make install    lgctl, leaseguardd, the unit, configs, man pages, keepalived's
#                 notify script and examples, the Kea hook, the DKMS source
#                 (PREFIX, DESTDIR...; Documentation/packaging.rst)
# make deb        the Debian packages, into build/deb

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

.PHONY: all module agent kea selftests deps check check-debug check-ha demo lint fuzz bench clean man
.PHONY: fuzz-netlink
.PHONY: install install-agent install-kea-hook install-dkms install-keepalived \
	uninstall deb

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

# The first run builds the kernel (21 minutes on two cores), later ones
# reuse it: selftests/vm/debug-kernel.sh, Documentation/testing.rst.
check-debug:
	@$(DEPS) --debug-kernel --check 2>/dev/null || $(DEPS) --debug-kernel
	@$(MAKE) all
	@SUITE=$(SUITE) selftests/check-debug

# The router pair under keepalived with Kea, dhcrelay and dhclient
# (selftests/failover.sh): a quarter of an hour in the VM for its three
# advert intervals, so not in check (Documentation/testing.rst).
check-ha:
	@$(DEPS) --check 2>/dev/null || $(DEPS)
	@$(MAKE) all
	@selftests/vm/run.sh --timeout 2400 -- env LG_FAILOVER_SYNC=$(or $(SYNC),1) \
		LG_FAILOVER_ADVERTS="$(or $(ADVERTS),1 0.5 0.1)" selftests/failover.sh

demo:
	@$(DEPS) --check 2>/dev/null || $(DEPS)
	@$(MAKE) all
	@selftests/vm/run.sh --timeout 300 -- scripts/demo

fuzz: selftests
	$(MAKE) -C selftests/unit fuzz

# The generic netlink fuzzer (selftests/fuzz/genl_fuzz.c) on the production
# kernel for SECONDS (SEED= repeats a run); make check-debug runs it too.
SECONDS ?= 300
fuzz-netlink: all
	selftests/vm/run.sh --timeout $$(($(SECONDS) + 600)) -- bash -c \
		'insmod kmod/leaseguard.ko && selftests/fuzz/genl_fuzz --seconds $(SECONDS) $(if $(SEED),--seed $(SEED)); \
		rc=$$?; rmmod leaseguard || rc=1; exit $$rc'

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

# ---------------------------------------------------------------------------
# make install [DESTDIR=] [PREFIX=/usr/local] [sbindir= sysconfdir= mandir=
# docdir= bashcompdir= systemdunitdir= keahookdir= pkglibexecdir=
# usrsrcdir=]: the files
# the packages ship, from one recipe (debian/rules runs it into
# debian/tmp). leaseguardd reads /etc/leaseguard/leaseguardd.conf whatever
# the prefix, so sysconfdir is /etc; DKMS looks only in /usr/src. The
# module is not built here: DKMS builds it (dkms install leaseguard/VERSION).
LG_VERSION = $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
PREFIX ?= /usr/local
sbindir ?= $(PREFIX)/sbin
sysconfdir ?= /etc
datarootdir ?= $(PREFIX)/share
mandir ?= $(datarootdir)/man
docdir ?= $(datarootdir)/doc/leaseguard
bashcompdir ?= $(datarootdir)/bash-completion/completions
systemdunitdir ?= $(PREFIX)/lib/systemd/system
MULTIARCH ?= $(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
keahookdir ?= $(PREFIX)/lib/$(MULTIARCH)/kea/hooks
# keepalived's notify script (dist/keepalived/), which no user runs.
pkglibexecdir ?= $(PREFIX)/lib/leaseguard
usrsrcdir ?= /usr/src
INSTALL ?= install
KEA_HOOK := kea/libdhcp_release_request.so
DKMS_SRCDIR = $(DESTDIR)$(usrsrcdir)/leaseguard-$(LG_VERSION)

install: install-agent install-keepalived install-kea-hook install-dkms

# Man pages and bash completion: whichever exist.
install-agent: agent man
	$(INSTALL) -d $(DESTDIR)$(sbindir)
	$(INSTALL) -m 755 agent/lgctl/lgctl agent/leaseguardd/leaseguardd $(DESTDIR)$(sbindir)/
	$(INSTALL) -d $(DESTDIR)$(systemdunitdir)
	@set -e; for unit in leaseguardd.service leaseguard-metrics.service \
			leaseguard-metrics.timer; do \
		echo "install dist/$$unit $(DESTDIR)$(systemdunitdir)/$$unit"; \
		sed 's|/usr/sbin/|$(sbindir)/|g; s|/usr/share/doc/leaseguard/|$(docdir)/|g' \
			dist/$$unit >$(DESTDIR)$(systemdunitdir)/$$unit; \
		chmod 644 $(DESTDIR)$(systemdunitdir)/$$unit; \
	done
	$(INSTALL) -D -m 644 dist/leaseguardd.conf $(DESTDIR)$(sysconfdir)/leaseguard/leaseguardd.conf
	$(INSTALL) -D -m 644 dist/rt_protos.d-leaseguard.conf \
		$(DESTDIR)$(sysconfdir)/iproute2/rt_protos.d/leaseguard.conf
	$(INSTALL) -d $(DESTDIR)$(docdir)
	$(INSTALL) -m 644 Documentation/admin-guide.rst Documentation/leaseguardd.rst \
		Documentation/packaging.rst Documentation/metrics.rst $(DESTDIR)$(docdir)/
	@set -e; for page in $(wildcard $(BUILD)/man/*.[1-9]); do \
		sec=$${page##*.}; \
		echo "$(INSTALL) -D -m 644 $$page $(DESTDIR)$(mandir)/man$$sec/$${page##*/}"; \
		$(INSTALL) -D -m 644 $$page $(DESTDIR)$(mandir)/man$$sec/$${page##*/}; \
	done
	$(if $(wildcard dist/bash-completion/lgctl),$(INSTALL) -D -m 644 dist/bash-completion/lgctl $(DESTDIR)$(bashcompdir)/lgctl)

# The failover pair's keepalived (Documentation/failover.rst): the notify
# script, and as examples only the configuration and the drop-in, which
# would change keepalived's service where installed; their paths are
# those of the script and of lgctl here.
KEEPALIVED_SED = sed 's|/usr/lib/leaseguard/|$(pkglibexecdir)/|g; s|/usr/sbin/|$(sbindir)/|g'
install-keepalived:
	$(INSTALL) -d $(DESTDIR)$(pkglibexecdir) $(DESTDIR)$(docdir)/examples/keepalived
	$(KEEPALIVED_SED) dist/keepalived/leaseguard-notify >$(DESTDIR)$(pkglibexecdir)/leaseguard-notify
	chmod 755 $(DESTDIR)$(pkglibexecdir)/leaseguard-notify
	@set -e; for f in keepalived.conf keepalived.service.d-leaseguard.conf; do \
		echo "install dist/keepalived/$$f $(DESTDIR)$(docdir)/examples/keepalived/$$f"; \
		$(KEEPALIVED_SED) dist/keepalived/$$f >$(DESTDIR)$(docdir)/examples/keepalived/$$f; \
		chmod 644 $(DESTDIR)$(docdir)/examples/keepalived/$$f; \
	done

# The hook when kea-dev is installed (as "make kea"), without its tests.
install-kea-hook:
	@if [ -e /usr/include/kea/hooks/hooks.h ]; then \
		$(MAKE) -C kea libdhcp_release_request.so && \
		echo "$(INSTALL) -D -m 644 $(KEA_HOOK) $(DESTDIR)$(keahookdir)/libdhcp_release_request.so" && \
		$(INSTALL) -D -m 644 $(KEA_HOOK) $(DESTDIR)$(keahookdir)/libdhcp_release_request.so; \
	else \
		echo "kea-dev is not installed: the Kea hook is not installed"; \
	fi

# The module's source as DKMS wants it: /usr/src/leaseguard-VERSION/ with
# kmod/, uapi/ and dkms.conf; and the modules-load.d entry.
install-dkms:
	$(INSTALL) -d $(DKMS_SRCDIR)/kmod $(DKMS_SRCDIR)/uapi/linux
	$(INSTALL) -m 644 kmod/Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c)) \
		$(wildcard kmod/*.h) $(DKMS_SRCDIR)/kmod/
	$(INSTALL) -m 644 uapi/linux/leaseguard.h $(DKMS_SRCDIR)/uapi/linux/
	sed 's/#MODULE_VERSION#/$(LG_VERSION)/' dkms.conf >$(DKMS_SRCDIR)/dkms.conf
	chmod 644 $(DKMS_SRCDIR)/dkms.conf
	$(INSTALL) -D -m 644 dist/modules-load.d-leaseguard.conf \
		$(DESTDIR)$(sysconfdir)/modules-load.d/leaseguard.conf

# What install put there (the configuration files too). A DKMS-built
# module is DKMS's: dkms remove leaseguard/VERSION --all first.
uninstall:
	rm -f $(DESTDIR)$(sbindir)/lgctl $(DESTDIR)$(sbindir)/leaseguardd \
		$(DESTDIR)$(systemdunitdir)/leaseguardd.service \
		$(DESTDIR)$(systemdunitdir)/leaseguard-metrics.service \
		$(DESTDIR)$(systemdunitdir)/leaseguard-metrics.timer \
		$(DESTDIR)$(sysconfdir)/leaseguard/leaseguardd.conf \
		$(DESTDIR)$(sysconfdir)/iproute2/rt_protos.d/leaseguard.conf \
		$(DESTDIR)$(sysconfdir)/modules-load.d/leaseguard.conf \
		$(DESTDIR)$(mandir)/man8/lgctl.8 $(DESTDIR)$(mandir)/man8/leaseguardd.8 \
		$(DESTDIR)$(mandir)/man5/leaseguardd.conf.5 \
		$(DESTDIR)$(bashcompdir)/lgctl \
		$(DESTDIR)$(keahookdir)/libdhcp_release_request.so \
		$(DESTDIR)$(pkglibexecdir)/leaseguard-notify
	rm -rf $(DESTDIR)$(docdir) $(DKMS_SRCDIR)
	-rmdir $(DESTDIR)$(sysconfdir)/leaseguard $(DESTDIR)$(pkglibexecdir)

# make deb: leaseguard, leaseguard-dkms and leaseguard-kea-hook (and the
# native source package) into $(DEB_OUT) (build/deb). The build runs in a
# copy of the tree (the files git knows or would add), so that nothing is
# written into the tree nor into its parent directory. The Build-Depends
# are checked, but not the build-essential package itself (-I): make deps
# installs what it stands for (gcc, g++, make, libc6-dev), not it.
DEB_OUT ?= $(BUILD)/deb
deb:
	rm -rf $(DEB_OUT)
	mkdir -p $(DEB_OUT)/leaseguard-$(LG_VERSION)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z -c -o --exclude-standard | \
			xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
			tar -c --null -T - -f - | tar -x -C $(DEB_OUT)/leaseguard-$(LG_VERSION); \
	else \
		tar -c --exclude=./build --exclude=./.git --exclude='*.o' --exclude='*.ko' \
			-f - . | tar -x -C $(DEB_OUT)/leaseguard-$(LG_VERSION); \
	fi
	cd $(DEB_OUT)/leaseguard-$(LG_VERSION) && dpkg-checkbuilddeps -I && \
		dpkg-buildpackage --no-sign --no-check-builddeps -j$$(nproc) \
			>../build.log 2>&1 || \
		{ tail -n 40 ../build.log; exit 1; }
	rm -rf $(DEB_OUT)/leaseguard-$(LG_VERSION)
	@ls -1 $(DEB_OUT)/*.deb
