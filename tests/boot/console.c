/*
 * console.c: stream matching and command framing for the boot harness.
 * No I/O here: the harness feeds bytes in, the unit tests do the same.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

void console_init(struct console *c, size_t limit)
{
    c->buf = NULL;
    c->len = c->cap = 0;
    c->limit = limit;
}

void console_free(struct console *c)
{
    free(c->buf);
    c->buf = NULL;
    c->len = c->cap = 0;
}

/* Drop the first N bytes. */
static void consume(struct console *c, size_t n)
{
    if (n > c->len)
        n = c->len;
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
    c->buf[c->len] = '\0';
}

int console_feed(struct console *c, const char *data, size_t n)
{
    size_t i;

    if (c->len + n + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 4096;
        char *p;

        while (c->len + n + 1 > cap)
            cap *= 2;
        p = realloc(c->buf, cap);
        if (!p)
            return -ENOMEM;
        c->buf = p;
        c->cap = cap;
    }
    /* NULs from a console (firmware does send them) would cut strings. */
    for (i = 0; i < n; i++)
        c->buf[c->len + i] = data[i] ? data[i] : ' ';
    c->len += n;
    c->buf[c->len] = '\0';
    if (c->limit && c->len > c->limit)
        consume(c, c->len - c->limit);
    return 0;
}

int console_expect(struct console *c, const char *needle)
{
    char *p;

    if (!c->buf)
        return 0;
    p = memmem(c->buf, c->len, needle, strlen(needle));
    if (!p)
        return 0;
    consume(c, (size_t)(p - c->buf) + strlen(needle));
    return 1;
}

const char *console_find_any(const struct console *c,
                             const char *const *patterns, size_t tail)
{
    const char *from;

    if (!c->buf)
        return NULL;
    from = (tail && tail < c->len) ? c->buf + c->len - tail : c->buf;
    for (; *patterns; patterns++)
        if (memmem(from, (size_t)(c->buf + c->len - from), *patterns,
                   strlen(*patterns)))
            return *patterns;
    return NULL;
}

int console_line_of(const struct console *c, const char *needle, char *out,
                    size_t outlen)
{
    const char *p, *start, *end;
    size_t n;

    if (!c->buf || outlen == 0)
        return 0;
    p = memmem(c->buf, c->len, needle, strlen(needle));
    if (!p)
        return 0;
    start = p;
    while (start > c->buf && start[-1] != '\n')
        start--;
    end = p;
    while (end < c->buf + c->len && *end != '\n' && *end != '\r')
        end++;
    n = (size_t)(end - start);
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, start, n);
    out[n] = '\0';
    return end < c->buf + c->len ? 2 : 1;
}

int frame_command(char *out, size_t outlen, unsigned id, const char *cmd)
{
    int n = snprintf(out, outlen, "echo @@XP''B%u@@; %s; echo @@XP''E%u:$?@@\r",
                     id, cmd, id);

    if (n < 0 || (size_t)n >= outlen)
        return -ENAMETOOLONG;
    return 0;
}

/*
 * Length of the terminal escape sequence at P (which is ESC): CSI
 * ("ESC [" ... final byte 0x40-0x7e), OSC ("ESC ]" ... BEL or "ESC \\"),
 * or ESC and one more byte.  Colours and bracketed-paste switches are not
 * part of a command's output.
 */
static size_t escape_len(const char *p, size_t n)
{
    size_t i;

    if (n < 2)
        return n;
    if (p[1] == '[') {
        for (i = 2; i < n; i++)
            if ((unsigned char)p[i] >= 0x40 && (unsigned char)p[i] <= 0x7e)
                return i + 1;
        return n;
    }
    if (p[1] == ']') {
        for (i = 2; i < n; i++) {
            if (p[i] == '\a')
                return i + 1;
            if (p[i] == '\033' && i + 1 < n && p[i + 1] == '\\')
                return i + 2;
        }
        return n;
    }
    return 2;
}

int frame_collect(struct console *c, unsigned id, char **output, int *status)
{
    char begin[32], end[32];
    char *b, *e, *num, *stop, *res;
    size_t i, j, n;
    long st;

    if (!c->buf)
        return 0;
    snprintf(begin, sizeof(begin), "@@XPB%u@@", id);
    snprintf(end, sizeof(end), "@@XPE%u:", id);
    b = memmem(c->buf, c->len, begin, strlen(begin));
    if (!b)
        return 0;
    e = memmem(b, c->len - (size_t)(b - c->buf), end, strlen(end));
    if (!e)
        return 0;
    num = e + strlen(end);
    st = strtol(num, &stop, 10);
    if (stop == num || stop[0] != '@' || stop[1] != '@')
        return 0; /* the status has not fully arrived yet */

    b += strlen(begin);
    if (*b == '\r')
        b++;
    if (*b == '\n')
        b++;
    n = (size_t)(e - b);
    res = malloc(n + 1);
    if (!res)
        return -ENOMEM;
    for (i = j = 0; i < n; i++) {
        if (b[i] == '\r')
            continue;
        /* Xen's own messages share the serial line with dom0's console
         * and can land in the middle of a line of the command's output
         * ("...privileged=hardware(XEN) [  732.8] uart interrupt taking
         * more than 4ms, switched to polling", then the line's own end).
         * Mid-line that can only be Xen: leave its message out, so the
         * line goes on after it.  A line that starts with "(XEN)" stays,
         * as `xl dmesg` prints such lines itself. */
        if (j > 0 && res[j - 1] != '\n' && n - i > 7 &&
            !memcmp(b + i, "(XEN) [", 7)) {
            const char *nl = memchr(b + i, '\n', n - i);

            if (nl) {
                i = (size_t)(nl - b);
                continue;
            }
        }
        if (b[i] == '\033') {
            i += escape_len(b + i, n - i) - 1;
            continue;
        }
        res[j++] = b[i];
    }
    res[j] = '\0';

    *output = res;
    *status = (int)st;
    consume(c, (size_t)(stop + 2 - c->buf));
    return 1;
}
