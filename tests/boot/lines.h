/*
 * lines.h: the file format of scenarios and machine profiles, "KEY REST"
 * lines with "#" comments, and the small string helpers their parsers
 * share (scenario.c, machine.c).  Internal to the harness.
 */
#ifndef LINES_H
#define LINES_H

#include <stddef.h>

/* Where a parser is, for its error messages. */
struct where {
    const char *path;
    unsigned line;
    char *err;
    size_t errlen;
};

/*
 * Call FN for every "KEY REST" line of PATH (blank lines and "#" comments
 * skipped) until it returns an error.  FN sets W's message on errors.
 */
typedef int (*line_fn)(void *obj, char *key, char *rest, struct where *w);

/* W's message: "PATH:LINE: " and the rest. */
void seterr(struct where *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Split off the first word of *S (in place); NULL at the end. */
char *word(char **s);
void rtrim(char *s);
int read_keyed_lines(const char *path, line_fn fn, void *obj, struct where *w);
int push_str(char ***v, size_t *n, const char *s);
int set_str(char **dst, const char *s);

#endif
