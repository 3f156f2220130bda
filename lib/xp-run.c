/*
 * xp-run.c: run another program (see xp-run.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xp-run.h"

void xp_cmd_str(const struct xp_cmd *c, char *buf, size_t len)
{
    size_t used = 0;

    if (!len)
        return;
    buf[0] = '\0';
    for (int i = 0; c->argv[i] && used < len - 1; i++) {
        int secret = i < 32 && (c->secret_args & (1u << i));

        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "",
                                 secret ? "<secret>" : c->argv[i]);
    }
    if (c->input && used < len - 1)
        snprintf(buf + used, len - used, " < (input not logged)");
}

/* Make FD the child's descriptor TARGET: XP_RUN_* or a descriptor. */
static int child_fd(int fd, int target, int out_fd)
{
    if (fd == XP_RUN_INHERIT)
        return 0;
    if (fd == XP_RUN_TO_OUT)
        return dup2(out_fd, target) < 0 ? -1 : 0;
    if (fd == XP_RUN_NULL || fd == 0) {
        int n = open("/dev/null", target == 0 ? O_RDONLY : O_WRONLY);

        if (n < 0 || dup2(n, target) < 0)
            return -1;
        if (n != target)
            close(n);
        return 0;
    }
    return fd == target ? fcntl(fd, F_SETFD, 0) : dup2(fd, target);
}

/* In the child: set up and exec; on failure, errno to REPORT and exit. */
static void child(const struct xp_cmd *c, int in, int out, int report)
{
    int err = c->err;

    if (c->own_group)
        setpgid(0, 0);
    if (c->die_with_parent)
        prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGPIPE, SIG_DFL);
    if (out >= 0 && err == XP_RUN_TO_OUT)
        err = out;
    if (child_fd(in, 0, -1) < 0 || child_fd(out, 1, -1) < 0 ||
        child_fd(err, 2, 1) < 0)
        goto fail;
    for (int i = 0; c->env && c->env[i]; i++)
        if (putenv((char *)c->env[i]) != 0)
            goto fail;
    if (c->child_setup && c->child_setup(c->child_arg) != 0) {
        errno = errno ? errno : ECANCELED;
        goto fail;
    }
    execvp(c->argv[0], (char *const *)c->argv);
fail:;
    int e = errno ? errno : EIO;

    if (write(report, &e, sizeof(e)) < 0) {
        /* nothing left to tell it with */
    }
    _exit(127);
}

/* Fork C with IN and OUT as its stdin and stdout: pid, or -errno. */
static pid_t start(const struct xp_cmd *c, int in, int out)
{
    int report[2], e = 0;
    pid_t pid;
    ssize_t n;

    if (!c->argv || !c->argv[0])
        return -EINVAL;
    if (pipe2(report, O_CLOEXEC) < 0)
        return -errno;
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        e = errno;
        close(report[0]);
        close(report[1]);
        return -e;
    }
    if (pid == 0) {
        close(report[0]);
        child(c, in, out, report[1]);
    }
    close(report[1]);
    /* The child's exec closes the pipe; a failure writes its errno. */
    do
        n = read(report[0], &e, sizeof(e));
    while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == sizeof(e)) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        return -e;
    }
    return pid;
}

/* OUT for the child: OUT_PATH opened, or C's OUT.  *OPENED is closed by
 * the caller. */
static int out_fd(const struct xp_cmd *c, int *opened)
{
    *opened = -1;
    if (!c->out_path)
        return c->out;
    *opened = open(c->out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    return *opened < 0 ? -errno : *opened;
}

pid_t xp_cmd_start(const struct xp_cmd *c)
{
    int opened, out = out_fd(c, &opened);
    pid_t pid;

    if (c->out_path && out < 0)
        return out;
    if (c->input || c->capture)
        pid = -EINVAL;
    else
        pid = start(c, c->in, out);
    if (opened >= 0)
        close(opened);
    return pid;
}

static long now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Feed INPUT to FD and close it; a program that exits without reading
 * must not take the caller with it (SIGPIPE). */
static void feed(int fd, const char *input)
{
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    size_t len = strlen(input), off = 0;

    sigaction(SIGPIPE, &ign, &old);
    while (off < len) {
        ssize_t n = write(fd, input + off, len - off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        off += (size_t)n;
    }
    close(fd);
    sigaction(SIGPIPE, &old, NULL);
}

int xp_cmd_run(const struct xp_cmd *c)
{
    int inp[2] = {-1, -1}, cap[2] = {-1, -1}, opened = -1, status = 0;
    int in = c->in, out, rc;
    long deadline = c->timeout_ms ? now_ms() + c->timeout_ms : 0;
    size_t got = 0;
    pid_t pid;

    out = out_fd(c, &opened);
    if (c->out_path && out < 0)
        return out;
    if ((c->input && pipe2(inp, O_CLOEXEC) < 0) ||
        (c->capture && pipe2(cap, O_CLOEXEC) < 0)) {
        rc = -errno;
        goto out;
    }
    if (c->input)
        in = inp[0];
    if (c->capture) {
        out = cap[1];
        c->capture[0] = '\0';
    }
    pid = start(c, in, out);
    if (pid < 0) {
        rc = pid;
        goto out;
    }
    if (c->input) {
        close(inp[0]);
        inp[0] = -1;
        feed(inp[1], c->input);
        inp[1] = -1;
    }
    if (c->capture) {
        close(cap[1]);
        cap[1] = -1;
        for (;;) {
            struct pollfd p = {.fd = cap[0], .events = POLLIN};
            long wait = deadline ? deadline - now_ms() : -1;
            char sink[4096];
            ssize_t n;

            if (deadline && wait <= 0)
                break;
            if (poll(&p, 1, deadline ? (int)wait : -1) < 0) {
                if (errno == EINTR)
                    continue;
                break;
            }
            if (!p.revents)
                continue;
            if (got + 1 < c->capture_len)
                n = read(cap[0], c->capture + got, c->capture_len - 1 - got);
            else
                n = read(cap[0], sink, sizeof(sink));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            if (got + 1 < c->capture_len) {
                got += (size_t)n;
                c->capture[got] = '\0';
            }
        }
    }
    for (;;) {
        pid_t w = waitpid(pid, &status, deadline ? WNOHANG : 0);

        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            rc = -errno;
            goto out;
        }
        if (deadline && now_ms() >= deadline) {
            if (c->own_group)
                kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                ;
            rc = -ETIMEDOUT;
            goto out;
        }
        if (deadline)
            usleep(20000);
    }
    rc = status;
out:
    for (int i = 0; i < 2; i++) {
        if (inp[i] >= 0)
            close(inp[i]);
        if (cap[i] >= 0)
            close(cap[i]);
    }
    if (opened >= 0)
        close(opened);
    return rc;
}

void xp_status_str(int status, char *buf, size_t len)
{
    if (status == -ETIMEDOUT)
        snprintf(buf, len, "timed out");
    else if (status < 0)
        snprintf(buf, len, "%s", strerror(-status));
    else if (WIFEXITED(status))
        snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, len, "signal %d", WTERMSIG(status));
    else
        snprintf(buf, len, "wait status %d", status);
}

int xp_status_ok(int status)
{
    return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
