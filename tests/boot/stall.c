/*
 * stall.c: a machine whose emulated CPUs stopped running (xp-boot).
 *
 * Under TCG, Xen has been seen to sit in HLT for minutes, waiting for a
 * timer interrupt that never came, until another interrupt (a byte on
 * the serial port) woke it: docs/known-problems.md#xen-stalls.  Nothing
 * on the console says so; a guest's time limit or a stage's runs out
 * minutes later, or the scenario goes on slower and nobody knows why.
 *
 * So while the harness waits on the console it reads, every
 * STALL_SAMPLE seconds, the CPU time of QEMU's vCPU threads (QEMU names
 * them "CPU n/TCG" with -name debug-threads=on).  A machine at work uses
 * a whole core; one idle at its shell still takes its timer interrupts
 * (Xen's own every second, dom0's); a stalled one uses nothing.  When
 * the vCPUs used less than STALL_CPU (0.05 s) in --stall-after seconds,
 * the harness:
 *
 *   - saves what QEMU's monitor says of each CPU (registers, HLT, IF)
 *     and its local APIC (the timer's count, its LVT entry, what is
 *     pending) in stall-N.txt: the state the cause is to be read from;
 *   - wakes the machine with a key press (shift: no program reads a
 *     character from it) on its PS/2 keyboard, an interrupt as the
 *     serial byte was;
 *   - says so in the transcript and counts it in the time table.
 *
 * A stall is not a failure of the scenario: it is the emulator's (the
 * same Xen on hardware has a timer that fires), and the count says how
 * often it happened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "xp-boot.h"

/* At most this long between samples (the console wait's poll interval). */
#define STALL_SAMPLE 10.0
/* Less than this many seconds of vCPU time in the window is a stall. */
#define STALL_CPU 0.05
/* How long a monitor command may take. */
#define MONITOR_TIMEOUT_MS 10000

/* Seconds between samples: STALL_SAMPLE, or less for a short window (the
 * harness's self-test). */
double stall_poll_limit(const struct run *r)
{
    double w = r->opt->stall_after / 4;

    return w > 0 && w < STALL_SAMPLE ? w : STALL_SAMPLE;
}

/* Clock ticks (/proc's unit) in seconds. */
static double cpu_seconds(long ticks)
{
    return (double)ticks / (double)sysconf(_SC_CLK_TCK);
}

int stall_monitor_path(const struct run *r, char *buf, size_t len)
{
    struct sockaddr_un sa;
    int n = snprintf(buf, len, "%s/monitor.sock", r->dir);

    /* A socket's path must fit its address; the watch works without. */
    if (n < 0 || (size_t)n >= len || (size_t)n >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    return 0;
}

/* A /proc/PID/task/TID/stat line: 1 and its CPU time in *TICKS if it is
 * a vCPU thread's ("CPU n/ACCEL"), 0 if not, -EINVAL if unreadable. */
static int vcpu_stat_ticks(const char *stat, long *ticks)
{
    const char *open = strchr(stat, '('), *close = strrchr(stat, ')');
    unsigned long utime, stime;

    if (!open || !close || close < open)
        return -EINVAL;
    /* The thread's name, "CPU 0/TCG" (or /KVM): a vCPU's. */
    if (close - open - 1 < 5 || strncmp(open + 1, "CPU ", 4) ||
        !memchr(open + 1, '/', (size_t)(close - open - 1)))
        return 0;
    /* After the name: state, then fields 4-13, then utime and stime. */
    if (sscanf(close + 1,
               " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
               &stime) != 2)
        return -EINVAL;
    *ticks = (long)(utime + stime);
    return 1;
}

/* The CPU time of PID's vCPU threads, in clock ticks; -1 without any. */
static long vcpu_ticks(pid_t pid)
{
    char path[64], file[320], stat[1024];
    char **tids;
    long sum = 0, t;
    int found = 0;

    snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
    tids = xp_dir_names(path);
    for (size_t i = 0; tids && tids[i]; i++) {
        FILE *f;
        size_t n;

        snprintf(file, sizeof(file), "%s/%s/stat", path, tids[i]);
        f = fopen(file, "re");
        if (!f)
            continue;
        n = fread(stat, 1, sizeof(stat) - 1, f);
        fclose(f);
        stat[n] = '\0';
        if (vcpu_stat_ticks(stat, &t) == 1) {
            sum += t;
            found = 1;
        }
    }
    xp_strv_free(tids);
    return found ? sum : -1;
}

#define PROMPT     "(qemu) "
#define PROMPT_LEN (sizeof(PROMPT) - 1)

/* TAIL (PROMPT_LEN + 1 bytes) keeps the last bytes of what came. */
static void keep_tail(char *tail, const char *buf, size_t n)
{
    size_t have = strlen(tail);

    if (n >= PROMPT_LEN) {
        memcpy(tail, buf + n - PROMPT_LEN, PROMPT_LEN);
        tail[PROMPT_LEN] = '\0';
        return;
    }
    if (have + n > PROMPT_LEN) {
        size_t drop = have + n - PROMPT_LEN;

        memmove(tail, tail + drop, have - drop);
        have -= drop;
    }
    memcpy(tail + have, buf, n);
    tail[have + n] = '\0';
}

/*
 * Read from FD until the monitor's prompt ends what came (it may come
 * split across reads).  Into OUT: what the command printed, without the
 * monitor's echo of the line typed (its first line) and the CRs.
 */
static int monitor_read(int fd, FILE *out)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char buf[4096], tail[PROMPT_LEN + 1] = "";
    int echo = 1;
    ssize_t n;

    for (;;) {
        if (poll(&p, 1, MONITOR_TIMEOUT_MS) <= 0)
            return -ETIMEDOUT;
        n = read(fd, buf, sizeof(buf));
        if (n <= 0)
            return n < 0 ? -errno : -ECONNRESET;
        for (ssize_t i = 0; out && i < n; i++) {
            if (echo)
                echo = buf[i] != '\n';
            else if (buf[i] != '\r')
                fputc(buf[i], out);
        }
        keep_tail(tail, buf, (size_t)n);
        if (!strcmp(tail, PROMPT))
            return 0;
    }
}

/* Run each of the monitor commands CMDS, their output into OUT. */
static int monitor_run(const struct run *r, const char *const *cmds, FILE *out)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = -1, rc;

    if ((rc = stall_monitor_path(r, sa.sun_path, sizeof(sa.sun_path))) < 0)
        goto out;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        rc = -errno;
        goto out;
    }
    if ((rc = monitor_read(fd, NULL)) < 0) /* the greeting */
        goto out;
    for (; *cmds; cmds++) {
        if (out)
            fprintf(out, "\n==== %s\n", *cmds);
        if (dprintf(fd, "%s\n", *cmds) < 0) {
            rc = -errno;
            goto out;
        }
        if ((rc = monitor_read(fd, out)) < 0)
            goto out;
    }
    rc = 0;
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

void stall_start(struct run *r)
{
    r->stall.reported = 0;
    r->stall.at = r->stall.last = now_since(&r->t0);
    r->stall.ticks = vcpu_ticks(r->pid);
}

void stall_watch(struct run *r)
{
    /* A machine of the harness has one or two CPUs (a second "info lapic"
     * on a machine of one says so and does no harm). */
    static const char *const state[] = {"info registers -a", "info lapic 0",
                                        "info lapic 1", "info pic", NULL};
    static const char *const wake[] = {"sendkey shift", NULL};
    double now = now_since(&r->t0), window = r->opt->stall_after;
    char path[PATH_MAX];
    long ticks;
    FILE *f;
    int rc;

    if (window <= 0 || r->pid <= 0 || now - r->stall.last < stall_poll_limit(r))
        return;
    r->stall.last = now;
    ticks = vcpu_ticks(r->pid);
    if (ticks < 0 || r->stall.ticks < 0 ||
        cpu_seconds(ticks - r->stall.ticks) >= STALL_CPU) {
        /* The machine ran (or there is nothing to watch): a new window. */
        r->stall.at = now;
        r->stall.ticks = ticks;
        r->stall.reported = 0;
        return;
    }
    /* A machine the key did not wake is reported once, not every window. */
    if (now - r->stall.at < window || r->stall.reported)
        return;
    r->stall.reported = 1;

    r->stall.count++;
    if (r->time)
        r->time->stalls++;
    snprintf(path, sizeof(path), "%s/stall-%u.txt", r->dir, r->stall.count);
    f = fopen(path, "we");
    if (f)
        fprintf(f,
                "%s: stall %u at %.1f s: the vCPUs ran %.2f s in the last "
                "%.0f s\n",
                r->s->name, r->stall.count, now,
                cpu_seconds(ticks - r->stall.ticks), now - r->stall.at);
    rc = monitor_run(r, state, f);
    if (f)
        fclose(f);
    printf("# %s: stall at %.1f s: the emulated CPUs ran %.2f s in %.0f s "
           "(Xen waiting for an interrupt: docs/known-problems.md#xen-stalls); "
           "%s %s\n",
           r->s->name, now, cpu_seconds(ticks - r->stall.ticks),
           now - r->stall.at,
           rc < 0 ? "QEMU's monitor did not answer:"
                  : "CPU and local APIC state in",
           rc < 0 ? strerror(-rc) : path);
    rc = monitor_run(r, wake, NULL);
    printf("# %s: stall: %s\n", r->s->name,
           rc < 0 ? "could not press a key to wake it (QEMU's monitor did not "
                    "answer)"
                  : "woken with a key press (shift, PS/2 keyboard)");
    fflush(stdout);
    fprintf(r->transcript, "\n[xp-boot: stall %u at %.1f s, %s]\n",
            r->stall.count, now, rc < 0 ? "not woken" : "woken with a key");
    fflush(r->transcript);
    r->stall.at = now;
    r->stall.ticks = vcpu_ticks(r->pid);
}
