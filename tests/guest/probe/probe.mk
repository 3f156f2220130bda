# xp-probe's sources, flags and the one way to build it:
#   make -f tests/guest/probe/probe.mk OUT=PATH [CFLAGS=...] [LDFLAGS=...]
# The boot tests' guest kit links it statically (tests/tests.mk); the
# xenplay-guest-tools packages build it in their Debian 13 build root:
# for Debian (debian/rules), and statically for RPM-based guests, whose
# C library may be older (packages/xenplay-guest-tools.spec).
PROBE_SRC := tests/guest/probe/xp-probe.c tests/guest/probe/spectrum.c lib/xp-fs.c
PROBE_HDR := tests/guest/probe/spectrum.h lib/xp-fs.h
PROBE_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 \
	-Wno-format-truncation -Ilib

ifdef OUT
$(OUT): $(PROBE_SRC) $(PROBE_HDR)
	$(CC) $(PROBE_CFLAGS) $(CPPFLAGS) $(CFLAGS) -o $@ $(PROBE_SRC) $(LDFLAGS)
endif
