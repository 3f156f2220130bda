# Tests: C unit tests (cmocka, under ASan and UBSan) and the boot tests
# (tests/boot/xp-boot driving QEMU).  Included by the top Makefile.

T := $(B)/tests
CC ?= gcc
# Messages are cut to their buffers on purpose: no format-truncation.
WARN := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-truncation
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
CMOCKA := $(shell pkg-config --cflags --libs cmocka 2>/dev/null || echo -lcmocka)

HARNESS_SRC := tests/boot/console.c tests/boot/scenario.c tests/boot/machine.c \
	tests/boot/lines.c tests/boot/report.c \
	tests/boot/guests.c tests/guest/probe/spectrum.c
HARNESS_HDR := $(wildcard tests/boot/*.h lib/*.h) tests/guest/probe/spectrum.h
XPBOOT := $(T)/xp-boot

# xp-boot's own files, one job each (tests/boot/xp-boot.h).
XPBOOT_SRC := tests/boot/xp-boot.c tests/boot/util.c tests/boot/qemu.c \
	tests/boot/session.c tests/boot/steps.c tests/boot/matrix.c \
	tests/boot/tables.c tests/boot/lanes.c tests/boot/stall.c $(XP_LIB_SRC)

$(XPBOOT): $(XPBOOT_SRC) $(HARNESS_SRC) $(HARNESS_HDR) | host-tools $(T)
	$(Q)$(CC) $(WARN) -O2 -g -Ilib -o $@ $(XPBOOT_SRC) $(HARNESS_SRC)

UNIT_TESTS := $(T)/test-console $(T)/test-scenario $(T)/test-spectrum \
	$(T)/test-guests $(T)/test-xp-run

# The probe that runs inside the test guests: static, no libraries there.
include tests/guest/probe/probe.mk
PROBE := $(T)/xp-probe
$(PROBE): $(PROBE_SRC) $(PROBE_HDR) tests/guest/probe/probe.mk | host-tools $(T)
	$(Q)$(MAKE) -s -f tests/guest/probe/probe.mk OUT=$@ CFLAGS=-Os LDFLAGS=-static

# The guest kit: kernel, initrd with busybox and the probe, and the dom0
# script that runs each guest; the bench guests' root (tests/guest/mkkit).
GUEST_KIT := $(B)/guest-kit.iso
$(GUEST_KIT): $(S)/rootfs $(PROBE) tests/guest/mkkit tests/guest/init \
		tests/guest/xp-guest tests/guest/xp-state tests/guest/boot-args \
		bench/kit/init bench/kit/in-root \
		$(BENCH_ROOT)
	$(Q)echo "xenplay: [guest-kit] $@"
	$(Q)mkdir -p $(B)/logs && tests/guest/mkkit $(B)/rootfs $(PROBE) $(BENCH_ROOT) $@ 2>$(B)/logs/guest-kit.log || \
		{ cat $(B)/logs/guest-kit.log; exit 1; }

guest-kit: $(GUEST_KIT)

$(T)/test-console: tests/boot/test_console.c tests/boot/console.c $(HARNESS_HDR) | host-tools $(T)
	$(Q)$(CC) $(WARN) $(SAN) -O1 -g -o $@ $(filter %.c,$^) $(CMOCKA)

# lib/'s way to run a program, on real programs of the build host.
$(T)/test-xp-run: lib/test_xp_run.c lib/xp-run.c lib/xp-run.h | host-tools $(T)
	$(Q)$(CC) $(WARN) $(SAN) -O1 -g -Ilib -o $@ $(filter %.c,$^) $(CMOCKA)

$(T)/test-scenario: tests/boot/test_scenario.c tests/boot/scenario.c tests/boot/console.c tests/boot/machine.c tests/boot/lines.c lib/xp-fs.c $(HARNESS_HDR) | host-tools $(T)
	$(Q)$(CC) $(WARN) $(SAN) -O1 -g -Ilib -o $@ $(filter %.c,$^) $(CMOCKA)

# The probe's verdicts on /proc and /sys trees captured from real guests.
$(T)/test-spectrum: tests/guest/probe/test_spectrum.c tests/guest/probe/spectrum.c \
		tests/guest/probe/spectrum.h lib/xp-fs.c | host-tools $(T)
	$(Q)$(CC) $(WARN) $(SAN) -O1 -g -Ilib -DFIXTURES='"tests/guest/probe/fixtures"' \
		-o $@ $(filter %.c,$^) $(CMOCKA)

$(T)/test-guests: tests/boot/test_guests.c tests/boot/guests.c \
		tests/guest/probe/spectrum.c lib/xp-fs.c $(HARNESS_HDR) | host-tools $(T)
	$(Q)$(CC) $(WARN) $(SAN) -O1 -g -Ilib -o $@ $(filter %.c,$^) $(CMOCKA)

$(T):
	$(Q)mkdir -p $@

R := $(B)/test-results

# The harness tested against a stand-in QEMU (tests/boot/selftest/).
SELFTEST := harness:tests/boot/selftest/run $(XPBOOT) $(R)/selftest

# shellcheck and clang-format on the tree (tests/lint); the generated
# documents are the tree's (tests/docs-current).
LINT := lint:tests/lint
DOCS := docs:tests/docs-current $(XPBOOT) $(B)/tests/xenplay-install

docs/scenarios.md: $(XPBOOT) $(wildcard tests/boot/scenarios/* tests/boot/machines/*)
	$(Q)$(XPBOOT) --list --markdown >$@.tmp && mv $@.tmp $@

# The dom0 kernel's guards (mk/kernel) against a broken fragment and a
# missing module: Debian's kernel source once into CACHE_DIR, then a
# minute of configuration, no kernel build.
KERNEL_GUARDS := kernel:env CACHE_DIR=$(CACHE_DIR) \
	APT_SOURCES=$(B)/apt/etc/apt/sources.list.d/mkosi.sources \
	tests/kernel/run-guards $(B)/kernel-guards

# The suites that need no ISO, in the order both unit-tests and check
# run them.
UNIT_SUITES = "$(LINT)" "$(DOCS)" $(addprefix unit:,$(UNIT_TESTS)) \
	"$(SELFTEST)" $(INSTALLER_SUITES) $(BENCH_SUITES) "$(KERNEL_GUARDS)"
UNIT_DEPS = $(UNIT_TESTS) $(XPBOOT) $(INSTALLER_TESTS) $(BENCH_TESTS) \
	$(B)/apt/etc/apt/sources.list.d/mkosi.sources

# Unit tests need no ISO: `make unit-tests` runs them alone.
unit-tests: $(UNIT_DEPS)
	$(Q)tests/run-suites $(R) $(UNIT_SUITES)

# The boot tests; BOOT_TESTS="name ..." picks scenarios (xp-boot --list).
BOOT_TESTS ?=
# XPBOOT_FLAGS adds harness options, e.g. --guest-args pvhvm=xen_nopv.
XPBOOT_FLAGS ?=
# Scenarios at a time: two machines of one CPU each keep the two cores of
# a small build machine busy (tests/boot/lanes.c); BOOT_JOBS=1 runs them
# one after another with their machines' own CPUs.
BOOT_JOBS ?= 2
XPBOOT_RUN = $(XPBOOT) --medium $(ISO) --medium-next $(NEXT_ISO) --kit $(GUEST_KIT) \
	--pxe $(PXE_TEST) --http $(HTTP_TEST) --results $(R) --jobs $(BOOT_JOBS) \
	$(XPBOOT_FLAGS)

# A newer build for install-uefi's apt upgrade (and the upgrade
# scenario's ISO, below): the same tree's packages built again at a
# higher version, their signed repository (the same key) at
# http://10.0.2.2/xenplay/debian for the installed host (xp-boot --http;
# the scenario's answer file names it in <source type="url">).
NEXT_VERSION := $(VERSION)+next
HTTP_TEST := $(B)/http-test
$(S)/packages-next: $(S)/packages | host-tools $(S) $(MKOSI_CACHE)/packages-root
	$(Q)echo "xenplay: [packages-next] xenplay's packages again at $(NEXT_VERSION), for the apt upgrade scenario"
	$(Q)rm -f $@
	$(call build_packages,$(NEXT_VERSION),$(B)/packages-next,packages-next)
	$(Q)gpgconf --homedir $(B)/packages/gnupg --kill gpg-agent 2>/dev/null || true
	$(Q)rm -rf $(HTTP_TEST)
	$(Q)mkdir -p $(HTTP_TEST)/xenplay
	$(Q)cp -r $(B)/packages-next/debian $(HTTP_TEST)/xenplay/
	$(Q)touch $@

# The newer ISO the upgrade scenario upgrades to (xp-boot --medium-next):
# this ISO with the packages above installed over its root, the image
# hooks run for their version, a new squashfs and GRUB menu
# (tests/boot/mknext).
NEXT_ISO := $(B)/xenplay-next-amd64.iso
$(NEXT_ISO): $(ISO) $(S)/packages-next tests/boot/mknext $(IMAGE_HOOKS)
	$(Q)echo "xenplay: [next-iso] $@: the ISO again at $(NEXT_VERSION), for the upgrade scenario"
	$(Q)rm -f $(B)/logs/next-iso.log
	$(Q)$(call stage,next-iso) tests/boot/mknext $(B)/rootfs $(B)/iso $(B)/packages-next \
		$(NEXT_VERSION) $(B)/grub/boot_hybrid.img $(ISO_DATE) $(B)/next $@

# The netboot scenarios' bundle: make pxe's, with the test hosts.
# $(call pxe_test_bundle,DIR[,SERVER]): one made with the test hosts.
PXE_TEST_HOSTS := tests/boot/pxe/hosts
define pxe_test_bundle
	$(Q)echo "xenplay: [$(notdir $(1))] $(1)"
	$(Q)rm -f $(B)/logs/$(notdir $(1)).log
	$(Q)$(call stage,$(notdir $(1))) image/mkpxe $(B)/rootfs $(B)/iso $(VERSION) \
		$(1) "" $(PXE_TEST_HOSTS) $(2)
endef
PXE_TEST := $(B)/pxe-test
$(PXE_TEST)/bootfiles: $(PXE_PARTS) $(wildcard tests/boot/pxe/*)
	$(call pxe_test_bundle,$(PXE_TEST))
	$(Q)rm $(PXE_TEST)/hosts/52:54:00:58:50:22.xml  # pxe-missing-answerfile

boot-tests: $(XPBOOT) $(ISO) $(NEXT_ISO) $(GUEST_KIT) $(PXE_TEST)/bootfiles $(S)/packages-next
	$(Q)tests/run-suites $(R) "boot:$(XPBOOT_RUN) $(BOOT_TESTS)"

# make pxe's hosts file and bad input (needs the image's GRUB and installer).
PXE_SUITE := pxe:tests/pxe/run-mkpxe $(B)/rootfs $(B)/iso $(B)/pxe-unit

# make check-repro's cheap part: the image stages again on the same root.
REPRO_SUITE := repro:tests/repro/run-image-stages $(B)/rootfs $(B)/iso $(B)/grub \
	$(ISO) $(ISO_UUID) $(ISO_DATE) $(B)/repro-stages

# A plain Debian 13 root (tests/packages/plain-root) with the image's apt
# sources, which the packages suite makes a xenplay host with apt.
$(S)/plain-root: tests/packages/plain-root/mkosi.conf \
		$(B)/apt/etc/apt/sources.list.d/mkosi.sources \
		$(IMAGE_SOURCES) | host-tools $(S) $(MKOSI_CACHE)/packages
	$(Q)echo "xenplay: [plain-root] mkosi: a plain Debian 13 root for the packages suite"
	$(Q)rm -f $@ $(B)/logs/plain-root.log
	$(Q)$(MKOSI_LOCK) $(call stage,plain-root) mkosi -C tests/packages/plain-root --force \
		$(MKOSI_ARCHIVE) \
		--skeleton-tree=$(CURDIR)/$(B)/apt-image \
		--output-dir=$(CURDIR)/$(B) build
	$(Q)touch $@

# make packages' repository (apt takes it, refuses it altered or
# unsigned), the image made of the packages, and a plain Debian 13 root
# made a xenplay host and back (the archive's .deb files from the image
# build's cache).
PACKAGES_SUITE := packages:$(MKOSI_LOCK) tests/packages/run $(PKG) $(B)/rootfs \
	$(B)/packages/keyring.pgp dom0-rootfs/skeleton $(B)/plain-root \
	$(MKOSI_CACHE)/packages/cache/apt/archives $(B)/packages-test
# What the image suites read (the ISO's root, tree and GRUB images, the
# packages and the plain root), and what the boot tests need besides.
IMAGE_SUITES_DEPS := $(ISO) $(S)/plain-root
CHECK_IMAGES := $(IMAGE_SUITES_DEPS) $(NEXT_ISO) $(GUEST_KIT) \
	$(PXE_TEST)/bootfiles $(S)/packages-next
check-images: $(CHECK_IMAGES)

# make check: the suites that need no image run (niced) while the image
# builds, which is mostly one core's work (apt, dpkg, dracut); the
# suites of the image run while the boot tests' own images build (the
# newer ISO, the guest kit, the netboot bundle: about a minute of one
# core), and the boot tests once all are there.  Each part's output
# follows the build's; a suite's failure is in its TAP, and the closing
# line counts every suite.  The recipe runs under set -e: what may fail
# (a build, a part of the suites) is caught, so that the suites' output
# and the closing line still come, the failed build counted in it.
check: $(UNIT_DEPS)
	$(Q)mkdir -p $(R) && rm -f $(R)/*.tap $(R)/image.log
	$(Q)nice -n 10 tests/run-suites --part $(R) $(UNIT_SUITES) >$(R)/no-image.log 2>&1 & \
	suites=$$!; image=; built=0; \
	$(MAKE) --no-print-directory $(IMAGE_SUITES_DEPS) || built=$$?; \
	if [ $$built -eq 0 ]; then \
		tests/run-suites --part $(R) "$(PXE_SUITE)" "$(PACKAGES_SUITE)" \
			"$(REPRO_SUITE)" >$(R)/image.log 2>&1 & image=$$!; \
		$(MAKE) --no-print-directory check-images || built=$$?; \
	fi; \
	wait $$suites || true; cat $(R)/no-image.log; \
	if [ -n "$$image" ]; then wait $$image || true; cat $(R)/image.log; fi; \
	if [ $$built -ne 0 ]; then \
		echo "not ok - build: the image build failed (above), so no boot tests ran" \
			| tee $(R)/build.tap; \
		tests/run-suites --last $(R); exit 1; fi
	$(Q)tests/run-suites --last $(R) "boot:$(XPBOOT_RUN) $(BOOT_TESTS)"

# The same for a network with proxy DHCP: the boot server's address (on
# check-cluster's network) in GRUB, as make pxe PXE_SERVER= puts it.
PXE_PROXY_TEST := $(B)/pxe-test-proxy
$(PXE_PROXY_TEST)/bootfiles: $(PXE_PARTS) $(wildcard tests/boot/pxe/*)
	$(call pxe_test_bundle,$(PXE_PROXY_TEST),192.168.50.1)

# xenplay-bench's smoke run in a guest of each kind, alone: the scenario
# of make check that has it (iso-uefi-cd, tests/boot/scenarios/bench-smoke.inc).
check-bench:
	$(Q)$(MAKE) --no-print-directory boot-tests BOOT_TESTS=iso-uefi-cd

# Diskless hosts netbooted two at a time by a real dnsmasq in a network
# namespace (tests/cluster/run); two emulated hosts at once, so not part
# of make check (docs/testing.md).
check-cluster: $(XPBOOT) $(ISO) $(PXE_TEST)/bootfiles $(PXE_PROXY_TEST)/bootfiles
	$(Q)tests/run-suites $(R)/cluster-suite \
		"cluster:tests/cluster/run $(XPBOOT) $(PXE_TEST) $(PXE_PROXY_TEST) $(ISO) $(R)/cluster $(XPBOOT_FLAGS)"
