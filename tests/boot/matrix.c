/*
 * matrix.c: the guest matrix: the guest kit in dom0, one guest run by xp-guest,
 * the spectrum table (xp-boot).
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

/* Extra kernel arguments for guest KIND from --guest-args, or "". */
static const char *guest_args_for(const struct options *opt, const char *kind)
{
    size_t i, n = strlen(kind);

    for (i = 0; i < opt->nguest_args; i++)
        if (!strncmp(opt->guest_args[i], kind, n) &&
            opt->guest_args[i][n] == '=')
            return opt->guest_args[i] + n + 1;
    return "";
}

/*
 * Mount the guest kit in dom0 and make the volume group on the scratch
 * disk, once per run.
 */
static int guest_setup(struct run *r)
{
    struct frame_wait fw = {0};
    enum wait_result w;

    if (r->guest_setup)
        return r->guest_setup;
    w = run_command(r,
                    "mkdir -p " KIT_DIR " && { mountpoint -q " KIT_DIR
                    " || mount -o ro LABEL=XPKIT " KIT_DIR "; } && " KIT_DIR
                    "/xp-guest setup",
                    180 * r->opt->scale, &fw);
    if (w != WAIT_OK)
        snprintf(r->guest_setup_why, sizeof(r->guest_setup_why),
                 "setting up the guests failed: %s",
                 w == WAIT_TIMEOUT ? "no answer within 180 s" : r->why);
    else if (fw.status != 0)
        snprintf(r->guest_setup_why, sizeof(r->guest_setup_why),
                 "setting up the guests failed (mounting the kit labelled "
                 "XPKIT, LVM on the disk with serial XPSCRATCH): %.700s",
                 fw.output ? fw.output : "");
    r->guest_setup = r->guest_setup_why[0] ? -1 : 1;
    free(fw.output);
    return r->guest_setup;
}

static void save_guest_log(struct run *r, const struct guest_result *g,
                           char *path, size_t len)
{
    FILE *f;

    snprintf(path, len, "%s/guest-%s.log", r->dir, kind_name(g->kind));
    f = fopen(path, "we");
    if (!f) {
        path[0] = '\0';
        return;
    }
    if (g->log)
        fwrite(g->log, 1, g->loglen, f);
    else
        fprintf(f, "(xp-guest printed no log for this guest)\n");
    fclose(f);
}

/* The last lines of a guest's log, for a failed test's message. */
static const char *log_tail(const struct guest_result *g)
{
    const char *p;
    int lines = 0;

    if (!g->log || !g->loglen)
        return "(no guest log)";
    p = g->log + g->loglen;
    while (p > g->log && lines < 25 && (size_t)(g->log + g->loglen - p) < 2000)
        if (*--p == '\n')
            lines++;
    return p;
}

/*
 * A guest's run that ended without its results (a fail pattern on dom0's
 * console, such as a soft lockup, or no answer in time): get the shell
 * back if the host still answers, stop the guest, and make what dom0 saw
 * of it (xp-guest aftermath: xl's messages, the guest's console, Xen's
 * and dom0's kernel logs) the guest's log, printed here in full so that
 * the report says what happened.  Returns 1 if the host answers.
 */
static int guest_aftermath(struct run *r, struct guest_result *g,
                           const char *kind)
{
    struct frame_wait fw = {0};
    struct guest_result a;
    char cmd[128];

    if (send_keys(r, "\003") < 0 ||
        wait_shell(r, 60 * r->opt->scale) != WAIT_OK)
        return 0;
    memset(&a, 0, sizeof(a));
    snprintf(cmd, sizeof(cmd), KIT_DIR "/xp-guest aftermath %s", kind);
    if (run_command(r, cmd, 120 * r->opt->scale, &fw) == WAIT_OK &&
        guest_parse(&a, g->kind, fw.output ? fw.output : "") == 0 && a.log) {
        const char *p = a.log, *end = a.log + a.loglen;

        printf("# %s: guest %s after its failure, dom0 says:\n", r->s->name,
               kind);
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            int n = (int)((nl ? nl : end) - p);

            printf("#   %.*s\n", n, p);
            p += n + 1;
        }
        fflush(stdout);
        guest_free(g);
        g->log = a.log;
        g->loglen = a.loglen;
        a.log = NULL;
    }
    guest_free(&a);
    free(fw.output);
    return 1;
}

/*
 * Run one guest of the matrix (tests/guest/xp-guest in dom0) and report
 * its boot, disk, network and spectrum as four results.  Returns -1 when
 * the host stopped answering.
 */
int run_guest(struct run *r, const struct step *st, struct report *rep)
{
    const char *kinds = st->name, *extra = guest_args_for(r->opt, st->name);
    char cmd[1024], name[64], logpath[PATH_MAX], *msg = NULL;
    struct guest_result g0, *g = &g0;
    struct frame_wait fw = {0};
    enum wait_result w;
    enum kind kind;
    double t = now_since(&r->t0), timeout = st->timeout * r->opt->scale;
    int c, alive = 0;

    if (kind_parse(kinds, &kind) < 0)
        return 0; /* the parser allows only known kinds */
    memset(&g0, 0, sizeof(g0));
    g0.kind = kind;
    g0.t_verdict = g0.t_off = -1; /* unknown until xp-guest says */
    if (guest_setup(r) < 0) {
        for (c = 0; c < GC_COUNT; c++) {
            snprintf(name, sizeof(name), "guest-%s-%s", kinds,
                     guest_check_name(c));
            report_add(rep, r->s->name, name, V_FAIL, 0, r->guest_setup_why,
                       r->transcript_path);
        }
        snprintf(name, sizeof(name), "guest-%s-spectrum", kinds);
        report_add(rep, r->s->name, name, V_FAIL, 0, r->guest_setup_why,
                   r->transcript_path);
        return 0;
    }
    printf("# %s: guest %s%s%s\n", r->s->name, kinds, *st->text ? " with " : "",
           st->text);
    if (*extra)
        printf("# %s: guest %s: --guest-args adds '%s'\n", r->s->name, kinds,
               extra);
    fflush(stdout);
    snprintf(cmd, sizeof(cmd), KIT_DIR "/xp-guest run %s %.0f %s %s", kinds,
             timeout, st->text, extra);
    w = run_command(r, cmd, timeout + 120 * r->opt->scale, &fw);
    if (w == WAIT_OK) {
        alive = 1;
        guest_parse(g, kind, fw.output ? fw.output : "");
    } else {
        if (w == WAIT_TIMEOUT)
            snprintf(g->error, sizeof(g->error),
                     "'%s' did not finish within %.0f s", cmd,
                     timeout + 120 * r->opt->scale);
        else
            snprintf(g->error, sizeof(g->error), "'%s' %s: %s", cmd,
                     wait_text(w), r->why);
        if (w == WAIT_TIMEOUT || w == WAIT_FAILPAT)
            alive = guest_aftermath(r, g, kinds);
    }
    save_guest_log(r, g, logpath, sizeof(logpath));
    if (r->time)
        r->time->restarts += g->restarts;
    timing(r, "guest", kinds, now_since(&r->t0), now_since(&r->t0) - t);
    if (g->t_verdict >= 0)
        timing(r, "guest-verdict", kinds, now_since(&r->t0), g->t_verdict);

    for (c = 0; c < GC_COUNT; c++) {
        int ok = g->check[c].seen && g->check[c].ok;

        snprintf(name, sizeof(name), "guest-%s-%s", kinds, guest_check_name(c));
        if (ok) {
            report_add(rep, r->s->name, name, V_PASS, 0, NULL, NULL);
            printf("# %s: %s: %s\n", r->s->name, name, g->check[c].msg);
            if (c == GC_BOOT && g->note[0])
                printf("# %s: %s: %s\n", r->s->name, name, g->note);
            continue;
        }
        if (asprintf(&msg, "%s; the guest's log (%s) ends:\n%s",
                     g->check[c].seen ? g->check[c].msg
                     : g->error[0]    ? g->error
                                      : "xp-guest printed no result",
                     logpath, log_tail(g)) < 0)
            msg = NULL;
        report_add(rep, r->s->name, name, V_FAIL, 0, msg, logpath);
        free(msg);
        msg = NULL;
    }
    snprintf(name, sizeof(name), "guest-%s-spectrum", kinds);
    {
        char why[2048];

        if (guest_spectrum_check(g, why, sizeof(why)) == 0) {
            report_add(rep, r->s->name, name, V_PASS, now_since(&r->t0) - t,
                       NULL, NULL);
        } else {
            if (asprintf(&msg, "%s; the guest's log (%s) ends:\n%s", why,
                         logpath, log_tail(g)) < 0)
                msg = NULL;
            report_add(rep, r->s->name, name, V_FAIL, now_since(&r->t0) - t,
                       msg, logpath);
            free(msg);
        }
    }
    if (r->nguests < sizeof(r->guests) / sizeof(*r->guests))
        r->guests[r->nguests++] = *g; /* keeps the log; freed at the end */
    else
        guest_free(g);
    free(fw.output);
    return alive ? 0 : -1;
}

/* The spectrum table of the run's guests, on stdout and in a file. */
void spectrum_report(struct run *r)
{
    char path[PATH_MAX];
    FILE *f;

    if (!r->nguests)
        return;
    printf("# %s: PV spectrum (slide 29), measured in the guests:\n",
           r->s->name);
    guest_table(stdout, "#   ", r->guests, r->nguests);
    snprintf(path, sizeof(path), "%s/spectrum.txt", r->dir);
    f = fopen(path, "we");
    if (f) {
        guest_table(f, "", r->guests, r->nguests);
        fclose(f);
    }
    snprintf(path, sizeof(path), "%s/spectrum.json", r->dir);
    f = fopen(path, "we");
    if (f) {
        guest_json(f, r->guests, r->nguests);
        fclose(f);
    }
    fflush(stdout);
}
