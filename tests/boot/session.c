/*
 * session.c: the serial console of a running machine: keys in, markers and
 * framed command output out (xp-boot).
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

/* Type KEYS slowly: a UART and Xen's console ring hold few characters. */
int send_keys(struct run *r, const char *keys)
{
    size_t n = strlen(keys), off = 0, chunk;
    ssize_t w;

    fprintf(r->transcript, "%s", ""); /* keep ordering with reads */
    while (off < n) {
        chunk = n - off > 8 ? 8 : n - off;
        w = write(r->in_fd, keys + off, chunk);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            snprintf(r->why, sizeof(r->why), "writing to QEMU's console: %s",
                     strerror(errno));
            return -errno;
        }
        off += (size_t)w;
        usleep(15000);
    }
    return 0;
}

/*
 * Read what the console has within TIMEOUT_MS into the transcript and
 * the matcher.  Returns the number of bytes read, 0 if none came,
 * -WAIT_DIED if QEMU is gone, -WAIT_ERROR (r->why says why).
 */
static ssize_t read_console(struct run *r, int timeout_ms)
{
    struct pollfd p = {.fd = r->out_fd, .events = POLLIN};
    char buf[4096];
    ssize_t n;
    int rc;

    rc = poll(&p, 1, timeout_ms);
    if (rc < 0 && errno != EINTR) {
        snprintf(r->why, sizeof(r->why), "poll: %s", strerror(errno));
        return -WAIT_ERROR;
    }
    if (rc <= 0)
        return 0;
    n = read(r->out_fd, buf, sizeof(buf));
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return 0;
    if (n <= 0) {
        qemu_died(r);
        return -WAIT_DIED;
    }
    if (fwrite(buf, 1, (size_t)n, r->transcript) != (size_t)n ||
        fflush(r->transcript) != 0) {
        snprintf(r->why, sizeof(r->why),
                 "cannot write the transcript %s: %s (is the disk "
                 "under build/ full?)",
                 r->transcript_path, strerror(errno));
        return -WAIT_ERROR;
    }
    if (console_feed(&r->con, buf, (size_t)n) < 0) {
        snprintf(r->why, sizeof(r->why), "out of memory");
        return -WAIT_ERROR;
    }
    return n;
}

/* Seconds the report waits for the rest of a fail pattern's line (the
 * CPU and the task of a soft lockup, the address of a segfault). */
#define FAIL_LINE_WAIT 5

/*
 * Read the console until READY says so, a fail pattern shows, QEMU dies
 * or TIMEOUT seconds pass.  Everything read goes to the transcript.
 */
enum wait_result wait_for(struct run *r, double timeout, ready_fn ready,
                          void *arg)
{
    struct timespec start;
    const char *pat;
    ssize_t n;
    int rc;

    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        double left = timeout - now_since(&start);
        char line[400];

        rc = ready(r, arg);
        if (rc < 0) {
            snprintf(r->why, sizeof(r->why), "out of memory");
            return WAIT_ERROR;
        }
        if (rc > 0)
            return WAIT_OK;
        if (left <= 0)
            return WAIT_TIMEOUT;
        if (left > stall_poll_limit(r))
            left = stall_poll_limit(r);
        n = read_console(r, (int)(left * 1000) + 1);
        if (n < 0)
            return (enum wait_result) - n;
        stall_watch(r);
        if (n == 0)
            continue;
        pat = console_find_any(&r->con, r->fail, (size_t)n + r->longest_fail);
        if (!pat)
            continue;
        /* The line as far as it came, then the rest of it if it comes. */
        clock_gettime(CLOCK_MONOTONIC, &start);
        while (console_line_of(&r->con, pat, line, sizeof(line)) == 1 &&
               now_since(&start) < FAIL_LINE_WAIT && read_console(r, 1000) >= 0)
            ;
        if (!console_line_of(&r->con, pat, line, sizeof(line)))
            snprintf(line, sizeof(line), "%s", pat);
        snprintf(r->why, sizeof(r->why),
                 "the console showed '%s', which means failure:\n%s", pat,
                 line);
        return WAIT_FAILPAT;
    }
}

int ready_marker(struct run *r, void *arg)
{
    return console_expect(&r->con, arg);
}

int ready_never(struct run *r, void *arg)
{
    (void)r;
    (void)arg;
    return 0;
}

static int ready_frame(struct run *r, void *arg)
{
    struct frame_wait *fw = arg;

    return frame_collect(&r->con, fw->id, &fw->output, &fw->status);
}

void timing(struct run *r, const char *kind, const char *name, double at,
            double took)
{
    if (!r->timings)
        return;
    fprintf(r->timings, "%s\n    {\"kind\": ", r->timings_first ? "" : ",");
    json_string(r->timings, kind);
    fprintf(r->timings, ", \"name\": ");
    json_string(r->timings, name);
    fprintf(r->timings, ", \"at\": %.2f, \"seconds\": %.2f}", at, took);
    r->timings_first = 0;
}

/* Run one framed command; the result is in *FW. */
enum wait_result run_command(struct run *r, const char *cmd, double timeout,
                             struct frame_wait *fw)
{
    char line[FRAME_MAX];

    fw->id = ++r->next_id;
    fw->output = NULL;
    fw->status = -1;
    if (frame_command(line, sizeof(line), fw->id, cmd) < 0) {
        snprintf(r->why, sizeof(r->why), "command too long: %s", cmd);
        return WAIT_ERROR;
    }
    if (send_keys(r, line) < 0)
        return WAIT_ERROR;
    return wait_for(r, timeout, ready_frame, fw);
}

/*
 * Set up the shell for commands: kernel messages off the console, wide
 * lines (no wrapping, no cut-off ps output), no pager, no colours.
 */
#define SHELL_SETUP                                                            \
    "dmesg -n 1 2>/dev/null; stty cols 1000 2>/dev/null; "                     \
    "export PAGER=cat SYSTEMD_PAGER= SYSTEMD_COLORS=0 NO_COLOR=1; true"

/*
 * Wait until the shell answers: type a framed no-op every few seconds
 * (what was typed before the shell read its terminal may be lost).
 */
enum wait_result wait_shell(struct run *r, double timeout)
{
    struct timespec start;
    struct frame_wait fw;
    enum wait_result w;

    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        double left = timeout - now_since(&start);

        if (left <= 0)
            return WAIT_TIMEOUT;
        /* Keep kernel messages off the console the commands use. */
        w = run_command(r, SHELL_SETUP, left < 5 ? left : 5, &fw);
        free(fw.output);
        if (w != WAIT_TIMEOUT)
            return w;
    }
}
