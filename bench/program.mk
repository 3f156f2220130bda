# xenplay-bench's sources, flags and libraries: the one list.  The host's
# build for the tests includes it (bench/bench.mk):
#   make -f bench/program.mk OUT=PATH
BENCH_LIB_SRC := bench/bench.c bench/json.c bench/report.c bench/host.c \
	bench/workloads.c bench/guests.c \
	tests/guest/probe/spectrum.c lib/xp-fs.c lib/xp-run.c
BENCH_PROG_SRC := bench/xenplay-bench.c $(BENCH_LIB_SRC)
BENCH_HDR := bench/bench.h tests/guest/probe/spectrum.h lib/xp-fs.h lib/xp-run.h
BENCH_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 \
	-Wno-format-truncation -Ilib -Itests/guest/probe \
	$(shell pkg-config --cflags jansson 2>/dev/null)
BENCH_LIBS := $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson) -lm

ifdef OUT
$(OUT): $(BENCH_PROG_SRC) $(BENCH_HDR)
	$(CC) $(BENCH_CFLAGS) -O2 -g $(CPPFLAGS) $(CFLAGS) -o $@ \
		$(BENCH_PROG_SRC) $(LDFLAGS) $(BENCH_LIBS)
endif
