# Tests: C unit tests (cmocka, under ASan and UBSan) and the boot tests
# (tests/boot/xp-boot driving QEMU).  Included by the top Makefile.

T := $(B)/tests
CC ?= gcc
# Messages are cut to their buffers on purpose: no format-truncation.
WARN := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-truncation
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
CMOCKA := $(shell pkg-config --cflags --libs cmocka 2>/dev/null || echo -lcmocka)

HARNESS_SRC := tests/boot/console.c tests/boot/scenario.c tests/boot/report.c
HARNESS_HDR := $(wildcard tests/boot/*.h)
XPBOOT := $(T)/xp-boot

$(XPBOOT): tests/boot/xp-boot.c $(HARNESS_SRC) $(HARNESS_HDR) | host-tools $(T)
	$(Q)$(CC) $(WARN) -O2 -g -o $@ tests/boot/xp-boot.c $(HARNESS_SRC)

UNIT_TESTS := $(T)/test-console $(T)/test-scenario

$(T)/test-console: tests/boot/test_console.c tests/boot/console.c $(HARNESS_HDR) | host-tools $(T)
	$(Q)$(CC) $(WARN) $(SAN) -O1 -g -o $@ $(filter %.c,$^) $(CMOCKA)

$(T)/test-scenario: tests/boot/test_scenario.c tests/boot/scenario.c $(HARNESS_HDR) | host-tools $(T)
	$(Q)$(CC) $(WARN) $(SAN) -O1 -g -o $@ $(filter %.c,$^) $(CMOCKA)

$(T):
	$(Q)mkdir -p $@

R := $(B)/test-results

# The harness tested against a stand-in QEMU (tests/boot/selftest/).
SELFTEST := harness:tests/boot/selftest/run $(XPBOOT) $(R)/selftest

# Unit tests need no ISO: `make unit-tests` runs them alone.
unit-tests: $(UNIT_TESTS) $(XPBOOT)
	$(Q)tests/run-suites $(R) $(addprefix unit:,$(UNIT_TESTS)) "$(SELFTEST)"

# The boot tests; BOOT_TESTS="name ..." picks scenarios (xp-boot --list).
BOOT_TESTS ?=
boot-tests: $(XPBOOT) $(ISO)
	$(Q)tests/run-suites $(R) "boot:$(XPBOOT) --medium $(ISO) --results $(R) $(BOOT_TESTS)"

check: $(UNIT_TESTS) $(XPBOOT) $(ISO)
	$(Q)tests/run-suites $(R) $(addprefix unit:,$(UNIT_TESTS)) "$(SELFTEST)" \
		"boot:$(XPBOOT) --medium $(ISO) --results $(R) $(BOOT_TESTS)"
