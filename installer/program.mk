# xenplay-install's sources, flags and libraries: the one list.  The
# host's build for the tests includes it (installer/installer.mk); the
# image's build runs it in mkosi's build overlay against Debian 13's
# libraries (installer/mkosi.build.chroot):
#   make -f installer/program.mk OUT=PATH INC=DIR   (DIR has xen-cmdline.h)

# lib/: what the installer and the boot-test harness share.
XP_LIB_SRC := lib/xp-fs.c lib/xp-run.c

# The answer-file parser: the schema, its elements, the values' rules.
ANSWERFILE_SRC := installer/answerfile.c installer/af-elements.c \
	installer/values.c

INSTALL_PROG_SRC := installer/xenplay-install.c installer/tui.c installer/ui.c \
	$(ANSWERFILE_SRC) installer/layout.c installer/config.c \
	installer/disk.c installer/engine.c installer/steps-disk.c \
	installer/steps-host.c installer/upgrade.c installer/fetch.c installer/hw.c \
	installer/form.c installer/keymap.c \
	$(XP_LIB_SRC)
INSTALL_PROG_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 \
	-Wno-format-truncation -Ilib \
	$(shell pkg-config --cflags libxml-2.0 fdisk 2>/dev/null || echo -I/usr/include/libxml2)
INSTALL_PROG_LIBS := $(shell pkg-config --libs libxml-2.0 fdisk 2>/dev/null || echo -lxml2 -lfdisk) \
	-lcrypt -lnewt

ifdef OUT
$(OUT): $(INSTALL_PROG_SRC) $(wildcard installer/*.h lib/*.h)
	$(CC) $(INSTALL_PROG_CFLAGS) -O2 -g $(CPPFLAGS) $(CFLAGS) -I$(INC) -o $@ \
		$(INSTALL_PROG_SRC) $(LDFLAGS) $(INSTALL_PROG_LIBS)
endif
