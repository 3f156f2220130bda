/*
 * guests.h: the guest matrix of the boot tests, harness side.
 *
 * In the dom0 under test, tests/guest/xp-guest runs one guest and prints
 * what happened, one line each:
 *
 *   xp-guest: result boot|disk|network|probe ok|fail MESSAGE
 *   xp-guest: time create-to-verdict=S create-to-off=S
 *   xp-guest: error MESSAGE                (it could not run the guest)
 *   xp-guest: note MESSAGE                 (a retry, shown with the result)
 *   xp-probe: TITLE LEVEL EVIDENCE         (the guest's probe, per row)
 *   xp-probe: row boot=LEVEL ... privileged=LEVEL
 *   xp-guest: log-begin KIND / base64 lines / xp-guest: log-end KIND
 *
 * guest_parse() turns that into a struct guest_result; guest_table()
 * prints the spectrum of several guests side by side, as on slide 29.
 */
#ifndef XENPLAY_GUESTS_H
#define XENPLAY_GUESTS_H

#include <stddef.h>
#include <stdio.h>

#include "../guest/probe/spectrum.h"

enum guest_check { GC_BOOT, GC_DISK, GC_NETWORK, GC_COUNT };

struct guest_result {
    enum kind kind;
    struct {
        int seen, ok;
        char msg[512];
    } check[GC_COUNT];
    int have_row;
    enum level row[A_COUNT];
    char evidence[A_COUNT][256];
    double t_verdict, t_off; /* seconds after xl create; < 0: unknown */
    char error[512];         /* "xp-guest: error" or "result probe fail" */
    char note[512];          /* "xp-guest: note ...": a retry, say */
    unsigned restarts;       /* "note retried" lines: starts beyond the first */
    char *log;               /* the guest's console log and xl's output */
    size_t loglen;
};

const char *guest_check_name(enum guest_check c);

/* Parse the output of "xp-guest run" (see above).  0 or -ENOMEM. */
int guest_parse(struct guest_result *g, enum kind kind, const char *out);
void guest_free(struct guest_result *g);

/*
 * Compare G's row with the row of its kind.  0 when they are equal;
 * otherwise 1 and MSG says which rows differ and on what evidence.
 */
int guest_spectrum_check(const struct guest_result *g, char *msg, size_t len);

/* The PV-spectrum table of N guests, guests as columns, each line
 * starting with PREFIX. */
void guest_table(FILE *f, const char *prefix, const struct guest_result *g,
                 size_t n);

/* The same as JSON: per guest its kind, row, expected row and times. */
void guest_json(FILE *f, const struct guest_result *g, size_t n);

/* Decode base64 IN (whitespace ignored) into a malloc'ed buffer. */
int base64_decode(const char *in, size_t inlen, char **out, size_t *outlen);

#endif
