# xp-probe's sources: the one list.  The boot tests' guest kit links it
# statically (tests/tests.mk); the xenplay-guest-tools package builds it
# for Debian 13 (debian/rules).
PROBE_SRC := tests/guest/probe/xp-probe.c tests/guest/probe/spectrum.c lib/xp-fs.c
PROBE_HDR := tests/guest/probe/spectrum.h lib/xp-fs.h
PROBE_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 \
	-Wno-format-truncation -Ilib
