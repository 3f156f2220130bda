/*
 * steps.c: a scenario's steps: console stages, checks in the booted host, host
 * steps on the build machine, the crash scan (xp-boot).
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
#include "xp-run.h"

/* Run the stages of steps [FROM, TO); 1 when all were reached. */
int run_stages(struct run *r, size_t from, size_t to)
{
    const struct scenario *s = r->s;
    size_t i;

    for (i = from; i < to; i++) {
        const struct step *st = &s->steps[i];
        double t = now_since(&r->t0), timeout = st->timeout * r->opt->scale;
        enum wait_result w = WAIT_OK;

        switch (st->kind) {
        case STEP_STAGE:
            w = wait_for(r, timeout, ready_marker, st->text);
            break;
        case STEP_SEND:
            if (send_keys(r, st->text) < 0)
                w = WAIT_ERROR;
            break;
        case STEP_SHELL:
            w = wait_shell(r, timeout);
            if (w == WAIT_OK && r->time && r->time->nboots < MAX_BOOTS)
                r->time->ready[r->time->nboots++] = now_since(&r->t0);
            break;
        case STEP_POWEROFF:
            /* The machine must switch itself off, and QEMU exit 0. */
            w = wait_for(r, timeout, ready_never, NULL);
            if (w == WAIT_DIED && r->exited && r->exit_status == 0)
                w = WAIT_OK;
            break;
        case STEP_KILL:
            /* Power cut: no shutdown, no sync, whatever was running. */
            if (r->pid > 0) {
                kill(r->pid, SIGKILL);
                waitpid(r->pid, NULL, 0);
                r->pid = -1;
            }
            break;
        case STEP_ABSENT:
            w = wait_for(r, timeout, ready_marker, st->text);
            if (w == WAIT_OK) {
                snprintf(r->why, sizeof(r->why),
                         "'%s' showed on the console, and must not", st->text);
                w = WAIT_FAILPAT;
            } else if (w == WAIT_TIMEOUT || w == WAIT_DIED) {
                w = WAIT_OK;
            }
            break;
        case STEP_CHECK:
        case STEP_GUEST:
        case STEP_HOST:
        case STEP_BOOTDISK:
        case STEP_BOOTMEDIUM: continue;
        }
        if (w != WAIT_OK) {
            char msg[sizeof(r->why)];

            if (w == WAIT_TIMEOUT)
                snprintf(r->why, sizeof(r->why), "no %s%s%s within %.0f s",
                         st->kind == STEP_SHELL      ? "shell answer"
                         : st->kind == STEP_POWEROFF ? "power-off"
                                                     : "'",
                         st->kind == STEP_STAGE ? st->text : "",
                         st->kind == STEP_STAGE ? "' on the console" : "",
                         timeout);
            snprintf(msg, sizeof(msg), "%s", r->why);
            snprintf(r->why, sizeof(r->why), "stage %s %s after %.1f s: %s",
                     st->name, wait_text(w), now_since(&r->t0), msg);
            return 0;
        }
        if (st->kind != STEP_SEND) {
            printf("# %s: stage %s at %.1f s (%.1f s)\n", s->name, st->name,
                   now_since(&r->t0), now_since(&r->t0) - t);
            timing(r, "stage", st->name, now_since(&r->t0),
                   now_since(&r->t0) - t);
            fflush(stdout);
        }
    }
    return 1;
}

/*
 * Run host step ST: sh -c its command on the build host, with the run's
 * disk images, medium and directories in the environment, its output in
 * the run's directory.  The machine must be off: nothing else may write
 * the disks meanwhile.
 */
/* XP_MEDIUM, XP_DIR, XP_RUN, XP_ACCEL and one XP_DISK_ per disk. */
#define MAX_HOST_ENV 16

static enum wait_result run_host(struct run *r, const struct step *st,
                                 double timeout, struct frame_wait *fw)
{
    char log[PATH_MAX], accel[32], env[MAX_HOST_ENV][PATH_MAX + 64];
    const char *envp[MAX_HOST_ENV + 1];
    size_t n = 0;
    const char *const argv[] = {"sh", "-c", st->text, NULL};
    struct xp_cmd sh = {.argv = argv,
                        .env = envp,
                        .out_path = log,
                        .err = XP_RUN_TO_OUT,
                        .timeout_ms = (unsigned)(timeout * 1000),
                        .own_group = 1};
    int status;
    FILE *f;

    if (r->pid > 0 && !r->exited) {
        snprintf(r->why, sizeof(r->why),
                 "host step %s would read disks the running machine "
                 "writes: put it after 'poweroff' or 'kill'",
                 st->name);
        return WAIT_ERROR;
    }
    snprintf(log, sizeof(log), "%s/host-%s.log", r->dir, st->name);
    snprintf(env[n++], sizeof(env[0]), "XP_MEDIUM=%s", r->opt->medium);
    snprintf(env[n++], sizeof(env[0]), "XP_DIR=%s", r->opt->dir);
    snprintf(env[n++], sizeof(env[0]), "XP_RUN=%s", r->dir);
    machine_accel(r->m, accel, sizeof(accel));
    snprintf(env[n++], sizeof(env[0]), "XP_ACCEL=%s", accel);
    for (size_t i = 0; i < r->s->ndisks && n < MAX_HOST_ENV; i++) {
        char name[128], path[PATH_MAX];

        snprintf(name, sizeof(name), "XP_DISK_%s", r->s->disks[i].serial);
        for (char *p = name; *p; p++)
            if (!isalnum((unsigned char)*p))
                *p = '_';
        disk_path(r, &r->s->disks[i], path, sizeof(path));
        snprintf(env[n++], sizeof(env[0]), "%s=%s", name, path);
    }
    for (size_t i = 0; i < n; i++)
        envp[i] = env[i];
    envp[n] = NULL;
    status = xp_cmd_run(&sh);
    if (status == -ETIMEDOUT)
        return WAIT_TIMEOUT;
    if (status < 0) {
        snprintf(r->why, sizeof(r->why), "cannot run host step %s: %s",
                 st->name, strerror(-status));
        return WAIT_ERROR;
    }
    fw->status =
        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    f = fopen(log, "re");
    if (f) {
        size_t len = 0;
        FILE *mem = open_memstream(&fw->output, &len);
        char buf[4096];
        size_t got;

        while (mem && (got = fread(buf, 1, sizeof(buf), f)) > 0)
            fwrite(buf, 1, got, mem);
        if (mem)
            fclose(mem);
        fclose(f);
    }
    if (!fw->output)
        fw->output = strdup("");
    return WAIT_OK;
}

/*
 * What dom0 must never log, looked for once a boot's checks are done: the
 * console shows kernel messages only until the shell is set up (dmesg -n
 * 1), so a crash after that would go unseen.  Neither the command line
 * the console echoes nor the lines it finds may match the harness's own
 * fail patterns ("segfault at" is shown as "segfault (at)").
 */
#define CRASH_SCAN                                                             \
    "{ dmesg; journalctl -b -q --no-pager -o short-monotonic 2>/dev/null; } "  \
    "| grep -E 'segfaul[t] at|general protectio[n]|BUG[:]|Oops[:]' "           \
    "| sed 's/segfaul[t] at/segfault (at)/' | sort -u | head -n 20 | grep . "  \
    "&& exit 1; echo no crash logged"

void crash_scan(struct run *r, const char *bootname, int booted,
                const char *gone, struct report *rep)
{
    char name[64], *msg = NULL;
    struct frame_wait fw = {0};
    enum wait_result w;
    double t = now_since(&r->t0);

    snprintf(name, sizeof(name), "%s-no-crashes", bootname);
    if (!booted) {
        report_add(rep, r->s->name, name, V_SKIP, 0,
                   gone[0] ? gone : "the boot failed", NULL);
        return;
    }
    /* exit in a subshell: the shell itself stays */
    w = run_command(r, "( " CRASH_SCAN " )", 120 * r->opt->scale, &fw);
    if (w != WAIT_OK) {
        if (asprintf(&msg, "the crash scan %s: %s", wait_text(w), r->why) < 0)
            msg = NULL;
    } else if (fw.status != 0) {
        if (asprintf(&msg,
                     "dom0 logged a crash (dmesg, journal); the lines:\n%s",
                     fw.output ? fw.output : "") < 0)
            msg = NULL;
    }
    report_add(rep, r->s->name, name, msg ? V_FAIL : V_PASS,
               now_since(&r->t0) - t, msg, msg ? r->transcript_path : NULL);
    free(msg);
    free(fw.output);
}

/* A check that exits with this skips itself (automake's convention). */
#define CHECK_SKIP 77

/* The last line of OUT that is not blank, trimmed, into BUF. */
static void last_line(const char *out, char *buf, size_t len)
{
    const char *end = out ? out + strlen(out) : NULL, *start;

    buf[0] = '\0';
    if (!end)
        return;
    while (end > out && isspace((unsigned char)end[-1]))
        end--;
    start = end;
    while (start > out && start[-1] != '\n')
        start--;
    while (start < end && isspace((unsigned char)*start))
        start++;
    snprintf(buf, len, "%.*s", (int)(end - start), start);
}

/* Run the checks and guests of steps [FROM, TO), or skip them. */
void run_checks(struct run *r, size_t from, size_t to, int *booted, char *gone,
                size_t gonelen, struct report *rep)
{
    const struct scenario *s = r->s;
    const struct options *opt = r->opt;
    char err[512];
    size_t i;
    int rc;

    for (i = from; i < to; i++) {
        const struct step *st = &s->steps[i];
        struct frame_wait fw = {0};
        enum wait_result w;
        double t;
        char *msg = NULL;

        if (st->kind != STEP_CHECK && st->kind != STEP_GUEST &&
            st->kind != STEP_HOST)
            continue;
        if (!*booted) {
            const char *why = gone[0] ? gone : "the boot failed";

            if (st->kind != STEP_GUEST) {
                report_add(rep, s->name, st->name, V_SKIP, 0, why, NULL);
                continue;
            }
            for (size_t k = 0; k < GUEST_RESULTS; k++) {
                static const char *const what[GUEST_RESULTS] = {
                    "boot", "disk", "network", "spectrum"};
                char nm[64];

                snprintf(nm, sizeof(nm), "guest-%s-%s", st->name, what[k]);
                report_add(rep, s->name, nm, V_SKIP, 0, why, NULL);
            }
            continue;
        }
        if (st->kind == STEP_GUEST) {
            if (run_guest(r, st, rep) < 0) {
                *booted = 0;
                snprintf(gone, gonelen,
                         "the host stopped answering while guest %s ran",
                         st->name);
            }
            continue;
        }
        t = now_since(&r->t0);
        if (st->kind == STEP_HOST)
            w = run_host(r, st, st->timeout * opt->scale, &fw);
        else
            w = run_command(r, st->text, st->timeout * opt->scale, &fw);
        if (w != WAIT_OK) {
            if (w == WAIT_TIMEOUT)
                snprintf(r->why, sizeof(r->why),
                         "'%s' did not finish within %.0f s", st->text,
                         st->timeout * opt->scale);
            report_add(rep, s->name, st->name, V_FAIL, now_since(&r->t0) - t,
                       r->why, r->transcript_path);
            free(fw.output);
            if (st->kind == STEP_HOST)
                continue;
            /* Interrupt the command and get the shell back for the next
             * check; a host that does not answer any more is gone. */
            if (w != WAIT_TIMEOUT || send_keys(r, "\003") < 0 ||
                wait_shell(r, 60 * opt->scale) != WAIT_OK) {
                *booted = 0;
                snprintf(gone, gonelen,
                         "the host stopped answering after check %s", st->name);
            }
            continue;
        }
        timing(r, "check", st->name, now_since(&r->t0), now_since(&r->t0) - t);
        if (fw.status == CHECK_SKIP) {
            char why[256];

            last_line(fw.output, why, sizeof(why));
            report_add(rep, s->name, st->name, V_SKIP, now_since(&r->t0) - t,
                       why[0] ? why : "the check skipped itself", NULL);
            free(fw.output);
            continue;
        }
        if (fw.status != 0) {
            char *ex = check_output_excerpt(fw.output);

            if (asprintf(&msg, "'%s' exited with status %d; its output:\n%s",
                         st->text, fw.status, ex ? ex : "") < 0)
                msg = NULL;
            free(ex);
        } else if (st->regex) {
            rc = regex_any_line(st->regex, fw.output, err, sizeof(err));
            if (rc < 0) {
                if (asprintf(&msg, "bad regex '%s' in the scenario: %s",
                             st->regex, err) < 0)
                    msg = NULL;
            } else if (rc == 0) {
                char *ex = check_output_excerpt(fw.output);

                if (asprintf(&msg,
                             "no line of the output of '%s' matches "
                             "'%s'; the output:\n%s",
                             st->text, st->regex, ex ? ex : "") < 0)
                    msg = NULL;
                free(ex);
            }
        }
        report_add(rep, s->name, st->name, msg ? V_FAIL : V_PASS,
                   now_since(&r->t0) - t, msg, msg ? r->transcript_path : NULL);
        free(msg);
        free(fw.output);
    }
}

/* The boot could not start for a reason of this machine: a skip. */
void host_skip(struct run *r, struct report *rep, const char *bootname,
               char *gone, size_t gonelen)
{
    char why[sizeof(r->why) + 32];

    snprintf(why, sizeof(why), HOST_PROBLEM ": %s", r->why);
    report_add(rep, r->s->name, bootname, V_SKIP, 0, why, NULL);
    snprintf(gone, gonelen, HOST_PROBLEM ": the machine did not start");
}
