# xenplay-bench (C: jansson; gnuplot draws its chart): the seed talk's
# benchmarks on a host.  The host's build and the unit tests; included
# by the top Makefile after bench/kit.mk, before tests/tests.mk.

include bench/program.mk

$(B)/tests/xenplay-bench: $(BENCH_PROG_SRC) $(BENCH_HDR) bench/program.mk | host-tools
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BENCH_CFLAGS) -O2 -g -DBENCH_IN_ROOT='"$(CURDIR)/bench/kit/in-root"' \
		-o $@ $(BENCH_PROG_SRC) $(BENCH_LIBS)

# The statistics, the result sets, the tables; the chart by the real
# gnuplot, its SVG read back with libxml2.
$(B)/tests/test-bench: bench/test_bench.c $(BENCH_LIB_SRC) $(BENCH_HDR) tests/guest/boot-args \
		bench/program.mk bench/bench.mk | host-tools
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(BENCH_CFLAGS) $(SAN) -O1 -g -DBENCH_FIXTURES='"bench/tests"' -DBENCH_GUEST_KIT='"tests/guest"' \
		$(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2) \
		-o $@ $(filter %.c,$^) $(BENCH_LIBS) \
		$(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2) $(CMOCKA)

BENCH_TESTS := $(B)/tests/test-bench $(B)/tests/xenplay-bench $(BENCH_ROOT)
BENCH_SUITES := unit:$(B)/tests/test-bench \
	"bench-cli:bench/tests/run-cli $(B)/tests/xenplay-bench $(BENCH_ROOT)"
