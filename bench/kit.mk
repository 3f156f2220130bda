# The root xenplay-bench's guests mount (bench/guests.c): Debian's
# packages of the workloads and a kernel tree (bench/mkroot), kept in
# CACHE_DIR until what goes in changes.  The guest kit carries it
# (tests/guest/mkkit), beside the kernel and the initrd whose
# /bench-init (bench/kit/init) mounts it.  Included by the top Makefile
# before bench/bench.mk and tests/tests.mk.

BENCH_ROOT := $(B)/bench-root.squashfs

$(BENCH_ROOT): $(shell find bench/root -type f) bench/mkroot bench/workloads.c \
		$(B)/tests/xenplay-bench kernel-config/source \
		$(B)/apt/etc/apt/sources.list.d/mkosi.sources | host-tools
	$(Q)echo "xenplay: [bench-root] mkosi: the bench guests' Debian root and kernel tree"
	$(Q)mkdir -p $(B)/logs
	$(Q)$(KERNEL_ENV) APT_SOURCES="$(B)/apt/etc/apt/sources.list.d/mkosi.sources" \
		SOURCE_DATE_EPOCH="$(or $(KERNEL_EPOCH),$(SOURCE_DATE_EPOCH))" \
		$(MKOSI_LOCK) bench/mkroot $@ $(B)/tests/xenplay-bench -- mkosi -C bench/root --force $(MKOSI_ARCHIVE) \
		--release=$(RELEASE) 2>$(B)/logs/bench-root.log || \
		{ cat $(B)/logs/bench-root.log; exit 1; }

bench-root: $(BENCH_ROOT)
