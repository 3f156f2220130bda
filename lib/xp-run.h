/*
 * xp-run.h: the one way xenplay's C programs (the installer and the
 * boot-test harness) run another program.  No shell in between: the
 * program is ARGV[0], found in PATH, with ARGV as its arguments.
 *
 * A command's secrets never reach an argument list (/proc/PID/cmdline is
 * readable by every user) or a log: a secret goes in INPUT, which the
 * program reads on its standard input, and an argument that names one
 * (a file of secrets, say) is marked in SECRET_ARGS and shown as
 * <secret> by xp_cmd_str().
 */
#ifndef XP_RUN_H
#define XP_RUN_H

#include <stddef.h>
#include <sys/types.h>

/* Special values for xp_cmd's in, out and err. */
#define XP_RUN_NULL    (-1) /* /dev/null (the default for 0) */
#define XP_RUN_INHERIT (-2) /* the caller's own */
#define XP_RUN_TO_OUT  (-3) /* err only: wherever out goes */

struct xp_cmd {
    const char *const *argv; /* NULL-terminated; argv[0] is looked up */
    /* "NAME=VALUE" strings added to the caller's environment, or NULL. */
    const char *const *env;
    /* What the program reads on its standard input, then end of file:
     * at most a pipe's buffer (64 KiB), never logged.  NULL: IN. */
    const char *input;
    /* Its stdin (with INPUT NULL), stdout and stderr: a descriptor, or
     * XP_RUN_*.  0 means /dev/null, so that a command left at its zero
     * values reads and writes nothing of the caller's. */
    int in, out, err;
    /* With OUT_PATH set, stdout goes to that file (made 0644, emptied). */
    const char *out_path;
    /* With CAPTURE set, its stdout is read into CAPTURE (CAPTURE_LEN
     * bytes, NUL-terminated, the rest dropped) instead of OUT. */
    char *capture;
    size_t capture_len;
    unsigned timeout_ms;  /* 0: no limit; else killed (SIGKILL) at it */
    unsigned secret_args; /* bit I: argv[I] is shown as <secret> */
    int own_group;        /* its own process group, killed as a whole */
    int die_with_parent;  /* SIGKILL when the caller dies (Linux) */
    /* Run in the child just before the program, which does not start
     * unless it returns 0. */
    int (*child_setup)(void *arg);
    void *child_arg;
};

/* C's command line for a log: "prog arg <secret> ...", and
 * " < (input not logged)" when it has INPUT.  Truncated to LEN. */
void xp_cmd_str(const struct xp_cmd *c, char *buf, size_t len);

/* Start C without waiting for it: its pid, or -errno.  C's INPUT and
 * CAPTURE need xp_cmd_run(). */
pid_t xp_cmd_start(const struct xp_cmd *c);

/* Run C to its end: its wait status (see waitpid(2)), or -errno when it
 * could not be started (-ENOENT: no such program), -ETIMEDOUT when it
 * was killed at its deadline. */
int xp_cmd_run(const struct xp_cmd *c);

/* How a wait status from xp_cmd_run() ended, in words: "exit status 2",
 * "signal 9", "timed out", or the error. */
void xp_status_str(int status, char *buf, size_t len);

/* True when STATUS (from xp_cmd_run) is a clean exit 0. */
int xp_status_ok(int status);

#endif
