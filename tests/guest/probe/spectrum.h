/*
 * spectrum.h: a Linux guest's row of the PV spectrum (the seed talk's
 * slide 29): for each of eight aspects of a virtual machine, whether the
 * guest gets it from emulated hardware, from paravirtualized interfaces
 * or from the hardware itself, with the evidence the verdict rests on.
 *
 * The evidence is read under a root directory: "/" in a running guest,
 * or a tree captured from one (xp-probe --dump, tests/guest/probe/undump)
 * in the unit tests.  The kernel log is read with klogctl() when the root
 * is "/" and from ROOT/dmesg otherwise.
 *
 * Outside Xen the same code answers `hardware` or `emulated`: it looks at
 * what the guest uses, not at what it was told it is.
 */
#ifndef XENPLAY_SPECTRUM_H
#define XENPLAY_SPECTRUM_H

#include <stdio.h>

enum aspect {
    A_BOOT,
    A_MEMORY,
    A_INTERRUPTS,
    A_TIMERS,
    A_SPINLOCKS,
    A_DISK,
    A_NETWORK,
    A_PRIVILEGED,
    A_COUNT
};

enum level { L_UNKNOWN, L_HARDWARE, L_EMULATED, L_PARAVIRT };

/* The four guest kinds of the boot tests, in slide 29's order. */
enum kind { K_HVM, K_PVHVM, K_PVH, K_PV, K_COUNT };

struct spectrum {
    enum level level[A_COUNT];
    char evidence[A_COUNT][256];
    int xen;             /* /sys/hypervisor/type is "xen" */
    int hypervisor;      /* any hypervisor: xen, or the CPU's flag */
    char guest_type[16]; /* /sys/hypervisor/guest_type: PV, PVH, HVM */
    char banner[128];    /* "Booting paravirtualized kernel on ..." */
};

/* Names as in the row labels and values of slide 29. */
const char *aspect_name(enum aspect a);  /* "boot", "memory", ... */
const char *aspect_title(enum aspect a); /* "Boot sequence", ... */
const char *level_name(enum level l);    /* "paravirtualized", ... */
int level_parse(const char *s, enum level *l);
const char *kind_name(enum kind k); /* "hvm", "pvhvm", "pvh", "pv" */
int kind_parse(const char *s, enum kind *k);

/* The row every guest of kind K must show. */
const enum level *kind_expected(enum kind k);

/*
 * Read the evidence under ROOT and fill in SP.  With DUMP, also write
 * every piece of evidence read to DUMP in the format undump reads back.
 * Returns 0 or a negative errno when ROOT cannot be read at all.
 */
int spectrum_probe(struct spectrum *sp, const char *root, FILE *dump);

/* The kind whose expected row equals SP's, or -1. */
int spectrum_kind(const struct spectrum *sp);

/* "xp-probe: row boot=... privileged=..." (no newline) into BUF. */
int spectrum_row_line(const struct spectrum *sp, char *buf, size_t len);

/*
 * Parse the "boot=... privileged=..." part of a row line into LEVELS.
 * Every aspect must be there exactly once.  Returns 0 or -EINVAL.
 */
int spectrum_row_parse(const char *s, enum level levels[A_COUNT]);

void spectrum_json(const struct spectrum *sp, FILE *f);

#endif
