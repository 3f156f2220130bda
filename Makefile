# xenplay: the only entry point.  See README.md.
#
#   make iso      out/xenplay-VERSION-amd64.iso
#   make pxe      out/pxe/: the netboot bundle (TFTP and HTTP tree)
#   make kernel   out/kernel/: the dom0 kernel's packages (kernel-config/)
#   make packages out/packages/: xenplay's packages and their signed apt
#                 and RPM repositories (debian/, packages/)
#   make check    unit tests, then the boot tests (builds the ISO first)
#   make bench    build and boot figures, medians of several runs
#   make check-repro  build the ISO twice from clean clones: one SHA-256
#   make clean    remove build/ and out/
#   make distclean  the same (CACHE_DIR's caches stay: remove it by hand)
#
# Stages leave a stamp under build/stamps/, touched last, so an
# interrupted or failed stage runs again and a finished one does not.
# Variables: MIRROR=URL SECURITY_MIRROR=URL (default: this machine's apt
# sources), PXE_HTTP=URL PXE_HOSTS=FILE PXE_SERVER=ADDRESS (make pxe),
# KEY=FILE|ID (the repository's signing key), V=1 (show commands).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules
# A symbolic link is as new as the link itself when that is newer than
# what it points to: build/bench-root.squashfs links to the cached root
# (bench/mkroot), made long before, and was remade at every make.
MAKEFLAGS += --check-symlink-times

B := build
O := out
S := $(B)/stamps
# What the build keeps across make clean and fresh clones on one machine
# (as on a CI machine that built before): make kernel's caches (below),
# the bench guests' root (bench/kit.mk) and mkosi's: the archive's
# packages that the build's mkosi runs download, and the packages' build
# root (packages/mkosi.conf, Incremental=yes).  Builds that share them
# run mkosi one at a time (mk/cache-lock).
CACHE_DIR ?= /var/cache/xenplay
MKOSI_CACHE := $(abspath $(CACHE_DIR))/mkosi
MKOSI_LOCK := mk/cache-lock $(MKOSI_CACHE)/lock

ifeq ($(V),1)
Q :=
else
Q := @
endif

# One SOURCE_DATE_EPOCH for the whole build: the last commit's date.
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || echo 1)
export SOURCE_DATE_EPOCH

# Between releases, a snapshot of the next one that sorts by commit date
# (dpkg and the installer compare versions): 0.1.0~git20261202.031500.HASH.
VERSION := $(shell git describe --tags --match 'v[0-9]*' 2>/dev/null | sed 's/^v//')
ifeq ($(VERSION),)
VERSION := 0.1.0~git$(shell date -u -d @$(SOURCE_DATE_EPOCH) +%Y%m%d.%H%M%S).$(shell git rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
endif

ISO := $(O)/xenplay-$(VERSION)-amd64.iso
# GRUB's name for the ISO 9660 volume (its modification date), which the
# GRUB images search for.
ISO_DATE := $(shell date -u -d @$(SOURCE_DATE_EPOCH) +%Y%m%d%H%M%S00)
ISO_UUID := $(shell date -u -d @$(SOURCE_DATE_EPOCH) +%Y-%m-%d-%H-%M-%S-00)

ifeq ($(origin MIRROR),undefined)
MIRROR := $(shell mk/mirror.sh debian)
endif
ifeq ($(origin SECURITY_MIRROR),undefined)
SECURITY_MIRROR := $(shell mk/mirror.sh security)
endif

# Run a stage's command, keep its log, and say which stage failed.
stage = mk/stage $(1) $(B)/logs/$(1).log

.PHONY: all iso kernel packages pxe check check-images check-cluster check-bench check-repro unit-tests boot-tests guest-kit bench-root bench clean distclean host-tools FORCE
all: iso

# --- host tools ------------------------------------------------------------

host-tools:
	$(Q)if [ "$$(id -u)" -ne 0 ]; then \
		echo "xenplay: building and testing need root (mkosi, loop devices):" \
		     "run 'sudo make $(or $(MAKECMDGOALS),iso)'" >&2; exit 1; fi
	$(Q)mk/host-tools.sh

# --- xenplay's packages (debian/) --------------------------------------------
# out/packages/debs: the .deb files (and in rpm/ the guest tools' RPM),
# built in a Debian 13 build root (packages/mkosi.conf) and checked with
# lintian and rpmlint; out/packages/debian: the signed apt repository of
# them (mk/apt-repo), which the ISO carries; out/packages/rpm: the signed
# RPM repository of the guest tools (mk/rpm-repo).  The
# signing key: KEY= (a secret key file or a key id), else the build's own,
# made once under build/packages/gnupg (mk/repo-key).
KEY ?=
PKG := $(O)/packages
PKG_INPUTS := $(shell find bench debian packages dom0-rootfs/host installer lib tests/guest/probe \
		-type f ! -name '*~' 2>/dev/null) \
	image/xen-cmdline mk/xen-cmdline-h mk/apt-repo mk/rpm-repo mk/version-forward $(B)/version

$(B)/packages/keyring.pgp: mk/repo-key FORCE | $(B)
	$(Q)mk/repo-key "$(KEY)" $(B)/packages

# $(call build_packages,VERSION,DIR,LOG): the .deb files (and the RPM) at
# VERSION in DIR/debs, and their signed apt repository in DIR/debian.
define build_packages
	$(Q)rm -rf $(2)/debs $(B)/logs/$(3).log
	$(Q)mkdir -p $(2)/debs
	$(Q)$(MKOSI_LOCK) $(call stage,$(3)) mkosi -C packages --force \
		$(MKOSI_ARCHIVE) \
		--environment=XENPLAY_VERSION=$(1) \
		--environment=XENPLAY_KEYRING=$(B)/packages/keyring.pgp \
		--cache-dir=$(MKOSI_CACHE)/packages-root \
		--output-dir=$(CURDIR)/$(2)/debs build
	$(Q)$(call stage,$(3)) mk/apt-repo $(2)/debs $(2)/debian $(B)/packages/signer
endef

$(S)/packages: $(PKG_INPUTS) $(B)/packages/keyring.pgp \
		$(B)/apt/etc/apt/sources.list.d/mkosi.sources | host-tools $(S) \
		$(MKOSI_CACHE)/packages $(MKOSI_CACHE)/packages-root
	$(Q)echo "xenplay: [packages] xenplay's packages $(VERSION) and their apt repository"
	$(Q)rm -f $@
	$(Q)mk/version-forward "$(VERSION)" $(PKG)/debs
	$(call build_packages,$(VERSION),$(B)/packages,packages)
	$(Q)$(call stage,packages) mk/rpm-repo $(B)/packages/debs/rpm $(B)/packages/rpm \
		$(B)/packages/signer
	$(Q)gpgconf --homedir $(B)/packages/gnupg --kill gpg-agent 2>/dev/null || true
	$(Q)rm -rf $(PKG)
	$(Q)mkdir -p $(PKG)
	$(Q)cp -r $(B)/packages/debs $(B)/packages/debian $(B)/packages/rpm $(PKG)/
	$(Q)touch $@

packages: $(S)/packages
	$(Q)ls $(PKG)/debs

# --- stage 1: the host root file system (mkosi) ----------------------------

# The apt sources for the build (mkosi's package-manager tree) and for the
# image (a skeleton tree: the host upgrades from the same archive), from
# MIRROR; replaced only when their content changes, so a new make run
# rebuilds nothing.  The image's file has the name mkosi gives a
# release's sources, and is in place before apt installs: mkosi writes
# its own default list (source and debug suites, the archive's own host
# names, every suite a second time beside ours) where that file is
# missing.
$(B)/apt/etc/apt/sources.list.d/mkosi.sources: FORCE | $(B)/apt/etc/apt/sources.list.d
	$(Q)mk/apt-sources "$(MIRROR)" "$(SECURITY_MIRROR)" >$@.tmp
	$(Q)mk/move-if-changed $@.tmp $@

RELEASE := $(shell sed -n 's/^Release=//p' mkosi.conf)
IMAGE_SOURCES := $(B)/apt-image/etc/apt/sources.list.d/$(RELEASE).sources
$(IMAGE_SOURCES): $(B)/apt/etc/apt/sources.list.d/mkosi.sources
	$(Q)rm -rf $(B)/apt-image
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

# The image's dpkg path excludes (no translations, no modules for
# hardware dom0 does not drive) must hold while mkosi
# installs the packages, and mkosi's dpkg reads its configuration from
# the sandbox tree, not from the image: the same files in both (copied
# again whole when one changes, comes or goes).
DPKG_CFG := dom0-rootfs/skeleton/etc/dpkg/dpkg.cfg.d
DPKG_EXCLUDES := $(S)/dpkg-excludes
$(DPKG_EXCLUDES): $(DPKG_CFG) $(wildcard $(DPKG_CFG)/*) | $(S)
	$(Q)rm -rf $(B)/apt/etc/dpkg/dpkg.cfg.d
	$(Q)mkdir -p $(B)/apt/etc/dpkg/dpkg.cfg.d
	$(Q)cp $(DPKG_CFG)/* $(B)/apt/etc/dpkg/dpkg.cfg.d/
	$(Q)touch $@

# mkosi 25 (Debian 13) calls the package-manager tree a sandbox tree.
MKOSI_TREE_OPT = $(shell mkosi --help 2>/dev/null | grep -q -- '--sandbox-tree' \
	&& echo --sandbox-tree || echo --package-manager-tree)
# Every mkosi run of the build takes the archive the same way: the build's
# apt sources and one package cache.
MKOSI_ARCHIVE = $(MKOSI_TREE_OPT)=$(CURDIR)/$(B)/apt --package-cache-dir=$(MKOSI_CACHE)/packages

# The dom0 kernel the image carries, the one place its package is named
# (mkosi gets it with --package): Debian's linux-image-amd64
# (DOM0_KERNEL=debian, the default) or xenplay's own (DOM0_KERNEL=xenplay:
# make kernel's packages in out/kernel/, kernel-config/).  The guest kit,
# the ISO's and the netboot bundle's boot files take the kernel the root
# has.
DOM0_KERNEL ?= debian
ifeq ($(DOM0_KERNEL),debian)
DOM0_KERNEL_PKG := linux-image-amd64
DOM0_KERNEL_DEPS :=
DOM0_KERNEL_OPTS :=
else ifeq ($(DOM0_KERNEL),xenplay)
DOM0_KERNEL_PKG := linux-image-$(shell mk/kernel release)
DOM0_KERNEL_DEPS := $(S)/kernel
DOM0_KERNEL_OPTS = --package-directory=$(CURDIR)/$(O)/kernel
else
$(error DOM0_KERNEL=$(DOM0_KERNEL): say debian (Debian's linux-image-amd64) or xenplay (make kernel's, kernel-config/))
endif

# Which kernel, replaced only when it changes: the root is built again
# when DOM0_KERNEL does.
$(B)/dom0-kernel: FORCE | $(B)
	$(Q)echo "$(DOM0_KERNEL_PKG)" >$@.tmp
	$(Q)mk/move-if-changed $@.tmp $@

ROOTFS_INPUTS := mkosi.conf $(wildcard mkosi.conf.d/*) \
	$(shell find dom0-rootfs/mkosi.conf dom0-rootfs/skeleton firmware hooks/rootfs.d \
		hooks/rootfs.postinst.chroot -type f -o -type l) \
	$(B)/apt/etc/apt/sources.list.d/mkosi.sources \
	$(DPKG_EXCLUDES) \
	$(IMAGE_SOURCES) \
	$(B)/dom0-kernel $(DOM0_KERNEL_DEPS)

$(S)/rootfs: $(ROOTFS_INPUTS) $(S)/packages | host-tools $(S) $(MKOSI_CACHE)/packages
	$(Q)echo "xenplay: [rootfs] mkosi: Debian 13 host root file system"
	$(Q)rm -f $@ $(O)/xenplay-*-amd64.iso $(O)/xenplay-*-amd64.iso.sha256 $(B)/logs/rootfs.log
	$(Q)$(MKOSI_LOCK) $(call stage,rootfs) mkosi --force \
		$(MKOSI_ARCHIVE) \
		--skeleton-tree=$(B)/apt-image \
		--package-directory=$(B)/packages/debs \
		$(DOM0_KERNEL_OPTS) --package=$(DOM0_KERNEL_PKG) \
		--output-dir=$(B) build
	$(Q)touch $@

# --- stage 2: the live root as squashfs ------------------------------------
# (image/mksquashfs: dates from SOURCE_DATE_EPOCH.)  Without dom0's
# initrds: the ISO has its own in /boot already (mk/copy-boot-files), and
# the installer writes it from there to the installed host; the netboot
# bundle has its own (image/mkpxe).

$(B)/version: FORCE | $(B)
	$(Q)echo "$(VERSION)" >$@.tmp
	$(Q)mk/move-if-changed $@.tmp $@

IMAGE_HOOKS := $(sort $(wildcard hooks/image.d/[0-9][0-9][0-9][0-9]-*))

$(B)/iso/LiveOS/squashfs.img: $(S)/rootfs $(B)/version $(IMAGE_HOOKS) mk/run-hooks image/mksquashfs | $(B)/iso/LiveOS
	$(Q)echo "xenplay: [squashfs] live root file system"
	$(Q)rm -f $(B)/logs/squashfs.log
	$(Q)$(call stage,squashfs) mk/run-hooks image.d $(B)/rootfs $(VERSION)
	$(Q)$(call stage,squashfs) image/mksquashfs $(B)/rootfs $@.tmp
	$(Q)mv $@.tmp $@

# --- stage 3: boot files and GRUB ------------------------------------------

$(S)/boot-files: $(S)/rootfs mk/copy-boot-files mk/in-image | $(B)/iso/boot
	$(Q)echo "xenplay: [boot-files] Xen, dom0 kernel, initrd, microcode"
	$(Q)rm -f $(B)/logs/boot-files.log
	$(Q)$(call stage,boot-files) mk/copy-boot-files $(B)/rootfs $(B)/iso/boot
	$(Q)touch $@

# The GRUB images find the ISO by its volume date, which changes with
# every commit: they are made again whenever it does.
$(B)/iso-uuid: FORCE | $(B)
	$(Q)echo "$(ISO_UUID)" >$@.tmp
	$(Q)mk/move-if-changed $@.tmp $@

$(S)/grub: $(S)/rootfs image/grub-images mk/in-image $(B)/iso-uuid | $(B)/iso/boot/grub
	$(Q)echo "xenplay: [grub] GRUB 2 images for BIOS and UEFI"
	$(Q)rm -f $(B)/logs/grub.log
	$(Q)$(call stage,grub) image/grub-images $(B)/rootfs $(B)/grub $(ISO_UUID)
	$(Q)rm -rf $(B)/iso/boot/grub/i386-pc $(B)/iso/boot/grub/x86_64-efi
	$(Q)cp -r $(B)/grub/i386-pc $(B)/grub/x86_64-efi $(B)/grub/eltorito.img \
		$(B)/grub/efi.img $(B)/iso/boot/grub/
	$(Q)touch $@

$(B)/iso/boot/grub/grub.cfg: image/menu.sh image/xen-cmdline image/grub-menu $(B)/version | $(B)/iso/boot/grub
	$(Q)image/grub-menu iso $(VERSION) >$@.tmp
	$(Q)mv $@.tmp $@

# --- stage 4: the ISO --------------------------------------------------------

# The ISO carries xenplay's signed apt repository (make packages) at
# /debian, for hosts without a network, and the guest tools' RPM
# repository at /rpm.
$(B)/iso/debian/dists/trixie/InRelease: $(S)/packages | $(B)/iso
	$(Q)rm -rf $(B)/iso/debian $(B)/iso/rpm
	$(Q)cp -r $(B)/packages/debian $(B)/packages/rpm $(B)/iso/

ISO_PARTS := $(B)/iso/LiveOS/squashfs.img $(S)/boot-files $(S)/grub \
	$(B)/iso/boot/grub/grub.cfg $(B)/iso/debian/dists/trixie/InRelease image/mkiso

# Beside it: its SHA-256, and every package the image holds with its
# version (the image's own dpkg database), the other input a second build
# of the same commit needs to give the same ISO (make check-repro).
$(ISO): $(ISO_PARTS) | $(O)
	$(Q)echo "xenplay: [iso] $@"
	$(Q)rm -f $(O)/xenplay-*-amd64.iso $(O)/xenplay-*-amd64.iso.sha256 \
		$(O)/xenplay-*-amd64.packages
	$(Q)rm -f $(B)/iso.tmp $(B)/logs/iso.log
	$(Q)$(call stage,iso) image/mkiso $(B)/iso $(B)/grub/boot_hybrid.img \
		$(ISO_DATE) $(B)/iso.tmp
	$(Q)dpkg-query --admindir=$(B)/rootfs/var/lib/dpkg -W \
		-f '$${Package} $${Version} $${Architecture}\n' | sort \
		>$(O)/xenplay-$(VERSION)-amd64.packages
	$(Q)mv $(B)/iso.tmp $@
	$(Q)(cd $(O) && sha256sum $(notdir $@) >$(notdir $@).sha256)
	$(Q)echo "xenplay: built $@ ($$(($$(stat -c %s $@) / 1048576)) MiB)"

iso: $(ISO)

# --- the dom0 kernel (kernel-config/) -----------------------------------------
# out/kernel/: linux-image-*-xenplay and its headers, built by mk/kernel
# from Debian's linux-source of the version in kernel-config/source, or
# taken from the result cache under CACHE_DIR when nothing that goes in
# changed (kernel-config/README.md).  Its build date is the last change
# to what goes in, so an unchanged kernel is the same kernel.
KERNEL_SIGNING_KEY ?=
KERNEL_EPOCH := $(shell git log -1 --format=%ct -- kernel-config mk/kernel 2>/dev/null)

KERNEL_ENV = CACHE_DIR="$(CACHE_DIR)" KERNEL_SIGNING_KEY="$(KERNEL_SIGNING_KEY)"

# The hash of what goes into the kernel, replaced only when it changes:
# the kernel stage runs again only then.
$(B)/kernel.key: FORCE | $(B)
	$(Q)$(KERNEL_ENV) mk/kernel key >$@.tmp
	$(Q)mk/move-if-changed $@.tmp $@

$(S)/kernel: $(B)/kernel.key $(B)/apt/etc/apt/sources.list.d/mkosi.sources | host-tools $(S) $(O)
	$(Q)echo "xenplay: [kernel] dom0 kernel packages (kernel-config/)"
	$(Q)$(KERNEL_ENV) APT_SOURCES="$(B)/apt/etc/apt/sources.list.d/mkosi.sources" \
		SOURCE_DATE_EPOCH="$(or $(KERNEL_EPOCH),$(SOURCE_DATE_EPOCH))" \
		mk/kernel build $(O)/kernel
	$(Q)touch $@

kernel: $(S)/kernel
	$(Q)ls $(O)/kernel

# --- the netboot bundle -------------------------------------------------------
# out/pxe: one tree for TFTP and HTTP (image/mkpxe).  PXE_HTTP is where
# clients find it over HTTP (default: the TFTP server, port 80); PXE_HOSTS
# is a file of per-host configurations (image/pxe-hosts.example);
# PXE_SERVER the TFTP server's address, for networks where a proxy DHCP
# server hands out the boot files (default: the DHCP answer's).
PXE_HTTP ?=
PXE_HOSTS ?=
PXE_SERVER ?=
PXE_PARTS := $(B)/iso/LiveOS/squashfs.img $(S)/boot-files $(S)/rootfs \
	$(B)/iso/debian/dists/trixie/InRelease \
	image/mkpxe image/grub-menu image/menu.sh image/xen-cmdline

pxe: $(PXE_PARTS) | $(O)
	$(Q)echo "xenplay: [pxe] $(O)/pxe"
	$(Q)rm -f $(B)/logs/pxe.log
	$(Q)$(call stage,pxe) image/mkpxe $(B)/rootfs $(B)/iso $(VERSION) $(O)/pxe \
		"$(PXE_HTTP)" "$(PXE_HOSTS)" "$(PXE_SERVER)"
	$(Q)grep -E '^(tftp-root|bios-bootfile|uefi-bootfile)=' $(O)/pxe/bootfiles

# --- tests --------------------------------------------------------------------

include installer/installer.mk
include bench/kit.mk
include bench/bench.mk
include tests/tests.mk

# --- benchmark -----------------------------------------------------------------

# Figures, each the median of BENCH_RUNS runs (cold builds: BENCH_COLD_RUNS).
# It starts from scratch: it throws away build/ and out/.
BENCH_RUNS ?= 3
BENCH_COLD_RUNS ?= $(BENCH_RUNS)
bench: | host-tools
	$(Q)mk/bench $(BENCH_RUNS) $(BENCH_COLD_RUNS)

# --- reproducibility ------------------------------------------------------------

# Two clean builds of the committed tree at two paths, one SHA-256; a
# second full build, so apart from make check (which runs its cheap part,
# tests/repro/run-image-stages).
check-repro: | host-tools
	$(Q)tests/run-suites $(B)/test-results/repro \
		"repro:env MIRROR=$(MIRROR) SECURITY_MIRROR=$(SECURITY_MIRROR) mk/check-repro $(B)/repro"

# --- housekeeping -------------------------------------------------------------

$(B) $(O) $(S) $(MKOSI_CACHE)/packages $(MKOSI_CACHE)/packages-root $(B)/apt/etc/apt/sources.list.d $(B)/iso \
$(B)/iso/LiveOS $(B)/iso/boot $(B)/iso/boot/grub:
	$(Q)mkdir -p $@

clean:
	$(Q)rm -rf $(B) $(O)

distclean: clean

FORCE:
