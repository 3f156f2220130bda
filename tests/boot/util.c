/*
 * util.c: small helpers of the harness: time, files, argument vectors, text
 * (xp-boot).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <sched.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "guests.h"
#include "report.h"
#include "scenario.h"

#include "xp-boot.h"

double now_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

double host_steal(void)
{
    unsigned long long v[8] = {0};
    long hz = sysconf(_SC_CLK_TCK);
    FILE *f = fopen("/proc/stat", "re");
    int n;

    if (!f)
        return -1;
    /* cpu  user nice system idle iowait irq softirq steal ... */
    n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
               &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    return n == 8 && hz > 0 ? (double)v[7] / (double)hz : -1;
}

int copy_file(const char *from, const char *to)
{
    char buf[65536];
    int in = -1, out = -1, rc;
    ssize_t n;

    in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        rc = -errno;
        goto out;
    }
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        rc = -errno;
        goto out;
    }
    while ((n = read(in, buf, sizeof(buf))) > 0) {
        if (write(out, buf, (size_t)n) != n) {
            rc = errno ? -errno : -EIO;
            goto out;
        }
    }
    rc = n < 0 ? -errno : 0;
out:
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) < 0 && rc == 0)
        rc = -errno;
    return rc;
}

int push_arg(char ***argv, size_t *argc, const char *fmt, ...)
{
    va_list ap;
    char *s, **p;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -ENOMEM;
    p = realloc(*argv, (*argc + 2) * sizeof(*p));
    if (!p) {
        free(s);
        return -ENOMEM;
    }
    *argv = p;
    p[(*argc)++] = s;
    p[*argc] = NULL;
    return 0;
}

const char *wait_text(enum wait_result w)
{
    switch (w) {
    case WAIT_TIMEOUT: return "timed out";
    case WAIT_FAILPAT: return "failed";
    case WAIT_DIED: return "QEMU ended";
    default: return "error";
    }
}

char *check_output_excerpt(const char *out)
{
    char *s = NULL;
    size_t len = strlen(out);
    const char *from = len > 1500 ? out + len - 1500 : out;

    if (asprintf(&s, "| %s", from) < 0)
        return NULL;
    return s;
}

int regex_any_line(const char *re, const char *text, char *err, size_t errlen)
{
    regex_t rx;
    int rc;

    rc = regcomp(&rx, re, REG_EXTENDED | REG_NEWLINE | REG_NOSUB);
    if (rc) {
        regerror(rc, &rx, err, errlen);
        return -EINVAL;
    }
    rc = regexec(&rx, text, 0, NULL, 0) == 0;
    regfree(&rx);
    return rc;
}

/* Run a scenario: one result for the boot, one per check. */
/* Whether PROG can be run: a path, or a name found in $PATH. */
int in_path(const char *prog)
{
    char buf[PATH_MAX];
    const char *path = getenv("PATH"), *p, *end;

    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0;
    for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
        end = p + strcspn(p, ":");
        snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p), p, prog);
        if (access(buf, X_OK) == 0)
            return 1;
    }
    return 0;
}
