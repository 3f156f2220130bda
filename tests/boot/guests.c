/*
 * guests.c: read what tests/guest/xp-guest printed about one guest, and
 * print the PV-spectrum table (see guests.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guests.h"

static const char *const check_names[GC_COUNT] = {
    [GC_BOOT] = "boot", [GC_DISK] = "disk", [GC_NETWORK] = "network"};

const char *guest_check_name(enum guest_check c)
{
    return c < GC_COUNT ? check_names[c] : "?";
}

static int b64_value(int ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+')
        return 62;
    if (ch == '/')
        return 63;
    return -1;
}

int base64_decode(const char *in, size_t inlen, char **out, size_t *outlen)
{
    char *buf = malloc(inlen / 4 * 3 + 4);
    unsigned acc = 0;
    size_t i, n = 0;
    int bits = 0, v;

    if (!buf)
        return -ENOMEM;
    for (i = 0; i < inlen; i++) {
        if (in[i] == '=')
            break;
        v = b64_value((unsigned char)in[i]);
        if (v < 0)
            continue; /* line breaks, carriage returns */
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[n++] = (char)((acc >> bits) & 0xff);
        }
    }
    buf[n] = '\0';
    *out = buf;
    *outlen = n;
    return 0;
}

/* "xp-probe: TITLE   LEVEL EVIDENCE" */
static void parse_evidence(struct guest_result *g, const char *s)
{
    int a;

    for (a = 0; a < A_COUNT; a++) {
        const char *t = aspect_title(a), *p;
        size_t tl = strlen(t);

        if (strncmp(s, t, tl) || s[tl] != ' ')
            continue;
        p = s + tl;
        p += strspn(p, " ");
        p += strcspn(p, " "); /* the level */
        p += strspn(p, " ");
        snprintf(g->evidence[a], sizeof(g->evidence[a]), "%s", p);
        return;
    }
}

static void parse_line(struct guest_result *g, char *line)
{
    char *p, *word;
    int c;

    if (!strncmp(line, "xp-probe: row ", 14)) {
        g->have_row = spectrum_row_parse(line + 14, g->row) == 0;
        return;
    }
    if (!strncmp(line, "xp-probe: ", 10)) {
        parse_evidence(g, line + 10);
        return;
    }
    if (!strncmp(line, "xp-guest: note ", 15)) {
        snprintf(g->note, sizeof(g->note), "%s", line + 15);
        if (!strncmp(line + 15, "retried", 7))
            g->restarts++;
        return;
    }
    if (!strncmp(line, "xp-guest: error ", 16)) {
        snprintf(g->error, sizeof(g->error), "%s", line + 16);
        return;
    }
    if (!strncmp(line, "xp-guest: time ", 15)) {
        p = strstr(line, "create-to-verdict=");
        if (p && p[18] != '-')
            g->t_verdict = strtod(p + 18, NULL);
        p = strstr(line, "create-to-off=");
        if (p && p[14] != '-')
            g->t_off = strtod(p + 14, NULL);
        return;
    }
    if (strncmp(line, "xp-guest: result ", 17))
        return;
    p = line + 17;
    word = p;
    p += strcspn(p, " ");
    if (*p)
        *p++ = '\0';
    if (!strcmp(word, "probe")) {
        if (!strncmp(p, "fail ", 5))
            snprintf(g->error, sizeof(g->error), "%s", p + 5);
        return;
    }
    for (c = 0; c < GC_COUNT; c++) {
        if (strcmp(word, check_names[c]))
            continue;
        g->check[c].seen = 1;
        g->check[c].ok = !strncmp(p, "ok", 2) && (p[2] == ' ' || !p[2]);
        p += strcspn(p, " ");
        p += strspn(p, " ");
        snprintf(g->check[c].msg, sizeof(g->check[c].msg), "%s", p);
    }
}

int guest_parse(struct guest_result *g, enum kind kind, const char *out)
{
    char *copy = strdup(out), *line, *next, *b64 = NULL;
    size_t b64len = 0;
    int in_log = 0, rc = 0;

    memset(g, 0, sizeof(*g));
    g->kind = kind;
    g->t_verdict = g->t_off = -1;
    if (!copy)
        return -ENOMEM;
    for (line = copy; line && *line; line = next) {
        size_t len;

        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        len = strcspn(line, "\r");
        line[len] = '\0';
        if (!strncmp(line, "xp-guest: log-begin", 19)) {
            in_log = 1;
            continue;
        }
        if (!strncmp(line, "xp-guest: log-end", 17)) {
            in_log = 0;
            continue;
        }
        if (in_log) {
            char *p = realloc(b64, b64len + len + 1);

            if (!p) {
                rc = -ENOMEM;
                break;
            }
            b64 = p;
            memcpy(b64 + b64len, line, len);
            b64len += len;
            b64[b64len] = '\0';
            continue;
        }
        parse_line(g, line);
    }
    if (rc == 0 && b64)
        rc = base64_decode(b64, b64len, &g->log, &g->loglen);
    free(b64);
    free(copy);
    return rc;
}

void guest_free(struct guest_result *g)
{
    free(g->log);
    g->log = NULL;
}

int guest_spectrum_check(const struct guest_result *g, char *msg, size_t len)
{
    const enum level *want = kind_expected(g->kind);
    size_t used = 0;
    int a, n, bad = 0;

    msg[0] = '\0';
    if (!g->have_row) {
        snprintf(msg, len, "the guest's probe printed no row%s%s",
                 g->error[0] ? ": " : "", g->error);
        return 1;
    }
    for (a = 0; a < A_COUNT; a++) {
        if (g->row[a] == want[a])
            continue;
        n = snprintf(msg + used, len - used,
                     "%srow '%s' is %s, expected %s for a %s guest "
                     "(evidence: %s)",
                     bad ? "; " : "", aspect_title(a), level_name(g->row[a]),
                     level_name(want[a]), kind_name(g->kind),
                     g->evidence[a][0] ? g->evidence[a] : "none printed");
        bad = 1;
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
    return bad;
}

static const char *short_level(enum level l)
{
    switch (l) {
    case L_PARAVIRT: return "paravirtualized";
    case L_EMULATED: return "emulated";
    case L_HARDWARE: return "hardware";
    default: return "-";
    }
}

void guest_table(FILE *f, const char *prefix, const struct guest_result *g,
                 size_t n)
{
    size_t i;
    int a;

    fprintf(f, "%s%-22s", prefix, "PV spectrum");
    for (i = 0; i < n; i++)
        fprintf(f, " %-16s", kind_name(g[i].kind));
    fprintf(f, "\n");
    for (a = 0; a < A_COUNT; a++) {
        fprintf(f, "%s%-22s", prefix, aspect_title(a));
        for (i = 0; i < n; i++) {
            const enum level *want = kind_expected(g[i].kind);

            if (!g[i].have_row)
                fprintf(f, " %-16s", "(no probe)");
            else
                fprintf(f, " %-15s%c", short_level(g[i].row[a]),
                        g[i].row[a] == want[a] ? ' ' : '!');
        }
        fprintf(f, "\n");
    }
    fprintf(f, "%s%-22s", prefix, "xl create to verdict");
    for (i = 0; i < n; i++) {
        char t[32] = "-";

        if (g[i].t_verdict >= 0)
            snprintf(t, sizeof(t), "%.1f s", g[i].t_verdict);
        fprintf(f, " %-16s", t);
    }
    fprintf(f,
            "\n%s(! marks a row that differs from the guest kind's "
            "expected row)\n",
            prefix);
}

static void json_row(FILE *f, const enum level *row)
{
    int a;

    fputc('{', f);
    for (a = 0; a < A_COUNT; a++)
        fprintf(f, "%s\"%s\": \"%s\"", a ? ", " : "", aspect_name(a),
                level_name(row[a]));
    fputc('}', f);
}

void guest_json(FILE *f, const struct guest_result *g, size_t n)
{
    size_t i;

    fprintf(f, "{\"guests\": [");
    for (i = 0; i < n; i++) {
        fprintf(f, "%s\n  {\"kind\": \"%s\", \"row\": ", i ? "," : "",
                kind_name(g[i].kind));
        if (g[i].have_row)
            json_row(f, g[i].row);
        else
            fprintf(f, "null");
        fprintf(f, ", \"expected\": ");
        json_row(f, kind_expected(g[i].kind));
        fprintf(f, ", \"create_to_verdict_s\": ");
        if (g[i].t_verdict >= 0)
            fprintf(f, "%.1f", g[i].t_verdict);
        else
            fprintf(f, "null");
        fprintf(f, ", \"create_to_off_s\": ");
        if (g[i].t_off >= 0)
            fprintf(f, "%.1f", g[i].t_off);
        else
            fprintf(f, "null");
        fprintf(f, "}");
    }
    fprintf(f, "\n]}\n");
}
