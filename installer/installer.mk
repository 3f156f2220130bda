# The installer, xenplay-install (C: libxml2, libcrypt, libfdisk, and newt
# for the interactive front end).  Host builds for the tests; the copy in
# the image is built against Debian 13's libraries.  Included by the top
# Makefile before tests/tests.mk.

include installer/program.mk

# The program's sources but its main() and its text UI: what the unit
# tests link.
INSTALLER_SRC := $(filter-out installer/xenplay-install.c installer/tui.c installer/ui.c,$(INSTALL_PROG_SRC))
INSTALLER_HDR := $(wildcard installer/*.h lib/*.h) $(B)/include/xen-cmdline.h
INSTALLER_CFLAGS := -I$(B)/include -Ilib \
	$(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
INSTALLER_LIBS := $(filter-out -lnewt,$(INSTALL_PROG_LIBS))

# Xen's and dom0's command lines, as the ISO's menu has them.
$(B)/include/xen-cmdline.h: image/xen-cmdline mk/xen-cmdline-h
	$(Q)mkdir -p $(@D)
	$(Q)mk/xen-cmdline-h >$@.tmp && mv $@.tmp $@

$(B)/tests/xenplay-install: $(INSTALL_PROG_SRC) $(INSTALLER_HDR) installer/program.mk | host-tools
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(INSTALL_PROG_CFLAGS) -O2 -g -I$(B)/include -o $@ \
		$(INSTALL_PROG_SRC) $(INSTALL_PROG_LIBS)

$(B)/tests/test-installer: installer/test_installer.c $(INSTALLER_SRC) $(INSTALLER_HDR) | host-tools
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(WARN) $(SAN) -O1 -g $(INSTALLER_CFLAGS) -o $@ $(filter %.c,$^) \
		$(INSTALLER_LIBS) $(CMOCKA)

FDISK_FLAGS := $(shell pkg-config --cflags --libs fdisk 2>/dev/null || echo -lfdisk)

# The disk code on a real (sparse) image and on small /proc and /sys trees.
$(B)/tests/test-disk: installer/test_disk.c installer/disk.c installer/layout.c installer/hw.c lib/xp-fs.c $(INSTALLER_HDR) | host-tools
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(WARN) $(SAN) -O1 -g -Ilib -o $@ $(filter %.c,$^) $(FDISK_FLAGS) $(CMOCKA)

# libFuzzer needs clang.
$(B)/tests/fuzz-answerfile: installer/fuzz_answerfile.c $(ANSWERFILE_SRC) $(INSTALLER_HDR) | host-tools
	$(Q)mkdir -p $(@D)
	$(Q)clang -g -O1 -fsanitize=fuzzer,address,undefined $(INSTALLER_CFLAGS) \
		-o $@ $(filter %.c,$^) $(INSTALLER_LIBS)

# The answer-file reference is generated from the schema table.
installer/answerfile.md: $(B)/tests/xenplay-install
	$(Q)$< --help-answerfile --markdown > $@.tmp && mv $@.tmp $@

# So is README's table of what an upgrade carries over (mk/md-block).
README.md: $(B)/tests/xenplay-install
	$(Q)$< --help-upgrade --markdown | mk/md-block $@ "xenplay-install --help-upgrade --markdown"

FUZZ_SECONDS ?= 20
INSTALLER_TESTS := $(B)/tests/test-installer $(B)/tests/test-disk $(B)/tests/xenplay-install $(B)/tests/fuzz-answerfile
INSTALLER_SUITES := unit:$(B)/tests/test-installer unit:$(B)/tests/test-disk \
	"installer-cli:installer/tests/run-cli $(B)/tests/xenplay-install" \
	"fuzz:installer/tests/run-fuzz $(B)/tests/fuzz-answerfile $(FUZZ_SECONDS) $(B)/fuzz"
