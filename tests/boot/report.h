/*
 * report.h: results of the boot tests as TAP (stdout), JUnit XML and a
 * JSON file of timings per scenario.
 */
#ifndef XENPLAY_REPORT_H
#define XENPLAY_REPORT_H

#include <stdio.h>

enum verdict { V_PASS, V_FAIL, V_SKIP };

struct result {
    char *scenario;
    char *name;
    enum verdict verdict;
    double seconds;
    char *message; /* why it failed or was skipped; NULL when it passed */
    char *log;     /* path of the transcript to look at */
};

struct report {
    struct result *r;
    size_t n;
    unsigned tap_next;
    int quiet; /* report_add() keeps results without printing them */
};

void report_plan(size_t total);
int report_add(struct report *rep, const char *scenario, const char *name,
               enum verdict v, double seconds, const char *message,
               const char *log);
int report_junit(const struct report *rep, const char *path);
void report_counts(const struct report *rep, unsigned *pass, unsigned *fail,
                   unsigned *skip);
void report_free(struct report *rep);

/* Write S to F as a JSON string (with quotes). */
void json_string(FILE *f, const char *s);

#endif
