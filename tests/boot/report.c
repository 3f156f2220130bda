/*
 * report.c: TAP on stdout as results come in, JUnit XML at the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

void report_plan(size_t total)
{
    printf("TAP version 13\n1..%zu\n", total);
    fflush(stdout);
}

/* Print MSG as TAP diagnostics, one "# " line per line. */
static void diag(const char *msg)
{
    const char *p = msg, *nl;

    while (p && *p) {
        nl = strchr(p, '\n');
        printf("#   %.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
        p = nl ? nl + 1 : NULL;
    }
}

int report_add(struct report *rep, const char *scenario, const char *name,
               enum verdict v, double seconds, const char *message,
               const char *log)
{
    struct result *p = realloc(rep->r, (rep->n + 1) * sizeof(*p));
    struct result *r;

    if (!p)
        return -ENOMEM;
    rep->r = p;
    r = &p[rep->n++];
    r->scenario = strdup(scenario);
    r->name = strdup(name);
    r->verdict = v;
    r->seconds = seconds;
    r->message = message ? strdup(message) : NULL;
    r->log = log ? strdup(log) : NULL;

    rep->tap_next++;
    if (rep->quiet)
        return 0;
    switch (v) {
    case V_PASS:
        printf("ok %u - %s: %s (%.1f s)\n", rep->tap_next, scenario, name,
               seconds);
        break;
    case V_SKIP:
        printf("ok %u - %s: %s # SKIP %s\n", rep->tap_next, scenario, name,
               message ? message : "");
        break;
    case V_FAIL:
        printf("not ok %u - %s: %s (%.1f s)\n", rep->tap_next, scenario, name,
               seconds);
        diag(message);
        if (log)
            printf("#   console transcript: %s\n", log);
        break;
    }
    fflush(stdout);
    return 0;
}

static void xml_escaped(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            /* XML 1.0 allows no control characters but tab and newline. */
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                fputc('?', f);
            else
                fputc(*s, f);
        }
    }
}

void report_counts(const struct report *rep, unsigned *pass, unsigned *fail,
                   unsigned *skip)
{
    size_t i;

    *pass = *fail = *skip = 0;
    for (i = 0; i < rep->n; i++) {
        switch (rep->r[i].verdict) {
        case V_PASS: (*pass)++; break;
        case V_FAIL: (*fail)++; break;
        case V_SKIP: (*skip)++; break;
        }
    }
}

int report_junit(const struct report *rep, const char *path)
{
    unsigned pass, fail, skip;
    FILE *f;
    size_t i;
    int rc;

    f = fopen(path, "we");
    if (!f)
        return -errno;
    report_counts(rep, &pass, &fail, &skip);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f,
            "<testsuite name=\"xenplay-boot\" tests=\"%zu\" "
            "failures=\"%u\" skipped=\"%u\">\n",
            rep->n, fail, skip);
    for (i = 0; i < rep->n; i++) {
        const struct result *r = &rep->r[i];

        fprintf(f, "  <testcase classname=\"");
        xml_escaped(f, r->scenario);
        fprintf(f, "\" name=\"");
        xml_escaped(f, r->name);
        fprintf(f, "\" time=\"%.3f\">", r->seconds);
        if (r->verdict == V_FAIL) {
            fprintf(f, "\n    <failure message=\"");
            xml_escaped(f, r->message);
            fprintf(f, "\"/>\n");
            if (r->log) {
                fprintf(f, "    <system-out>console transcript: ");
                xml_escaped(f, r->log);
                fprintf(f, "</system-out>\n");
            }
            fprintf(f, "  ");
        } else if (r->verdict == V_SKIP) {
            fprintf(f, "\n    <skipped message=\"");
            xml_escaped(f, r->message);
            fprintf(f, "\"/>\n  ");
        }
        fprintf(f, "</testcase>\n");
    }
    fprintf(f, "</testsuite>\n");
    rc = ferror(f) ? -EIO : 0;
    if (fclose(f) != 0 && rc == 0)
        rc = -errno;
    return rc;
}

void report_free(struct report *rep)
{
    size_t i;

    for (i = 0; i < rep->n; i++) {
        free(rep->r[i].scenario);
        free(rep->r[i].name);
        free(rep->r[i].message);
        free(rep->r[i].log);
    }
    free(rep->r);
    memset(rep, 0, sizeof(*rep));
}

void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(f, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(f, "\\u%04x", (unsigned char)*s);
        else
            fputc(*s, f);
    }
    fputc('"', f);
}
