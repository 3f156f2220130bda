/*
 * lines.c: reading "KEY REST" files and small string helpers (lines.h).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"

void seterr(struct where *w, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!w->err || !w->errlen)
        return;
    n = snprintf(w->err, w->errlen, "%s:%u: ", w->path, w->line);
    if (n < 0 || (size_t)n >= w->errlen)
        return;
    va_start(ap, fmt);
    vsnprintf(w->err + n, w->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

/* Split off the first word of *S (in place); NULL at the end. */
char *word(char **s)
{
    char *p = *s, *w;

    p += strspn(p, " \t");
    if (!*p)
        return NULL;
    w = p;
    p += strcspn(p, " \t");
    if (*p)
        *p++ = '\0';
    p += strspn(p, " \t");
    *s = p;
    return w;
}

void rtrim(char *s)
{
    size_t n = strlen(s);

    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' ||
                 s[n - 1] == '\t'))
        s[--n] = '\0';
}

int read_keyed_lines(const char *path, line_fn fn, void *obj, struct where *w)
{
    char *line = NULL;
    size_t cap = 0;
    FILE *f;
    int rc = 0;

    w->path = path;
    w->line = 0;
    f = fopen(path, "re");
    if (!f) {
        rc = -errno;
        seterr(w, "%s", strerror(errno));
        return rc;
    }
    while (rc == 0 && getline(&line, &cap, f) > 0) {
        char *rest = line, *key;

        w->line++;
        rtrim(line);
        key = word(&rest);
        if (key && key[0] != '#')
            rc = fn(obj, key, rest, w);
    }
    fclose(f);
    free(line);
    return rc;
}

int push_str(char ***v, size_t *n, const char *s)
{
    char **p = realloc(*v, (*n + 2) * sizeof(**v));

    if (!p)
        return -ENOMEM;
    *v = p;
    p[*n] = s ? strdup(s) : NULL;
    if (s && !p[*n])
        return -ENOMEM;
    (*n)++;
    p[*n] = NULL;
    return 0;
}

int set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = strdup(s);
    return *dst ? 0 : -ENOMEM;
}
