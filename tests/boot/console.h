/*
 * console.h: what the boot harness reads from a serial console.
 *
 * A console is a byte stream that arrives in arbitrary pieces.  The
 * matcher keeps what has arrived since the last match and finds markers
 * in it, including markers split across reads.  A marker that was
 * matched is consumed, so the same text arriving twice is matched twice,
 * never once for two expectations.
 *
 * Commands run in the guest's shell are framed: the harness types
 *
 *     echo @@XP''B<id>@@; <command>; echo @@XP''E<id>:$?@@
 *
 * and reads back "@@XPB<id>@@", the output, "@@XPE<id>:<status>@@".  The
 * quotes keep the typed line (which the terminal echoes) from looking
 * like the markers, so the echo never counts as output.
 */
#ifndef XENPLAY_CONSOLE_H
#define XENPLAY_CONSOLE_H

#include <stddef.h>

struct console {
    char *buf; /* bytes since the last consumed match, NUL-ended */
    size_t len, cap;
    size_t limit; /* keep at most this many bytes (older ones drop) */
};

void console_init(struct console *c, size_t limit);
void console_free(struct console *c);

/* Append bytes as they came from the console.  Returns 0 or -ENOMEM. */
int console_feed(struct console *c, const char *data, size_t n);

/*
 * Find NEEDLE in what has arrived.  On a match, consume everything up to
 * and including it and return 1; else return 0.
 */
int console_expect(struct console *c, const char *needle);

/*
 * Return the first of the NULL-terminated PATTERNS found in the last TAIL
 * bytes that have arrived (0: in all of them), without consuming
 * anything, or NULL.  For fail-fast patterns such as "Kernel panic": the
 * caller passes the size of the latest read plus the longest pattern.
 */
const char *console_find_any(const struct console *c,
                             const char *const *patterns, size_t tail);

/*
 * The line that contains the first occurrence of NEEDLE, for reports.
 * Returns 0 if NEEDLE is not there, 1 if the line has not ended yet (the
 * rest is still to come), 2 if it has.
 */
int console_line_of(const struct console *c, const char *needle, char *out,
                    size_t outlen);

/* Framing of commands. */
#define FRAME_MAX 512

/* Write the line to type for command ID into OUT (ends in "\r"). */
int frame_command(char *out, size_t outlen, unsigned id, const char *cmd);

/*
 * Look for the complete frame of command ID.  When it is there, copy its
 * output (carriage returns removed) into a new string *OUTPUT, set
 * *STATUS to the command's exit status, consume the frame and return 1.
 * Terminal escape sequences (colours) are removed from the output, and
 * so is a Xen console message that lands in the middle of one of its
 * lines (from "(XEN) [" to that line's end).
 * Return 0 if the frame is not complete yet, or -ENOMEM.
 */
int frame_collect(struct console *c, unsigned id, char **output, int *status);

#endif
