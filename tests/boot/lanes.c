/*
 * lanes.c: scenarios side by side (xp-boot --jobs N).
 *
 * Under TCG one emulated CPU keeps one host core busy, and a machine of
 * two CPUs uses about 1.6 of them: two machines of one CPU each, one per
 * core, boot in about the time one machine of two CPUs does (measured on
 * the 2-core build machine: both at the shell after 89 s, 123 s for the
 * pair, against 66 s and 91 s for one machine of two CPUs alone).
 *
 * So each scenario runs in a child process of its own, on a machine of
 * one CPU, up to N at a time.  A scenario that says 'smp' needs its
 * machine's CPUs: it runs with them, alone.  One that says 'smp shared'
 * has them too, but only one of them ever runs (safe mode: Xen's nosmp
 * leaves the others parked by the firmware, halted, which costs the host
 * nothing; measured: its QEMU used 126 s of CPU in 126 s), so it takes a
 * lane like the others.  The child's TAP goes to a
 * file in its results directory and its results (for the JUnit report
 * and the time table) to a second one; as each scenario ends, the parent
 * plays its TAP back on stdout, numbered in the order they end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "report.h"
#include "scenario.h"

#include "xp-boot.h"

#define LANE_TAP     "lane.tap"
#define LANE_RESULTS "lane.results"

/* What a guest of KIND costs on a machine of one CPU: medians of the
 * guest steps of a clean-clone make check (session 17's CI, TCG). */
static double guest_cost(const char *kind)
{
    if (!strcmp(kind, "pv"))
        return 90;
    if (!strcmp(kind, "pvh"))
        return 200;
    if (!strcmp(kind, "hvm"))
        return 430;
    return 240; /* pvhvm */
}

/* What a scenario costs, roughly, in seconds on a machine of one CPU: the
 * costly ones start first, so that the last to end is a short one.  The
 * figures are what the steps took in a clean-clone make check; an order
 * that starts the longest scenario late leaves one lane idle at the end
 * (session 17: iso-bios-cd, the longest, estimated fourth). */
static double scenario_cost(const struct scenario *s)
{
    double c = 130; /* a boot to the shell */

    for (size_t i = 0; i < s->nsteps; i++) {
        const struct step *st = &s->steps[i];

        switch (st->kind) {
        case STEP_BOOTDISK:
        case STEP_BOOTMEDIUM: c += 150; break;
        case STEP_GUEST: c += guest_cost(st->name); break;
        case STEP_HOST: c += st->timeout >= 600 ? 45 : 1; break;
        /* A check given minutes: an install from the shell, say. */
        case STEP_CHECK: c += st->timeout >= 600 ? 100 : 1; break;
        /* An install's copy of the root: the stage given a long time. */
        case STEP_STAGE: c += st->timeout >= 1200 ? 150 : 0; break;
        default: break;
        }
    }
    return c;
}

/* Write S with tab, newline and backslash escaped. */
static void put_field(FILE *f, const char *s)
{
    fputc('\t', f);
    for (; s && *s; s++) {
        switch (*s) {
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\\': fputs("\\\\", f); break;
        default: fputc(*s, f);
        }
    }
}

/* The next tab-separated field of *P, unescaped in place; NULL if empty. */
static char *get_field(char **p)
{
    char *start = *p, *r, *w;

    if (!start)
        return NULL;
    for (r = w = start; *r && *r != '\t'; r++, w++) {
        if (*r == '\\' && r[1]) {
            r++;
            *w = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
        } else {
            *w = *r;
        }
    }
    *p = *r ? r + 1 : NULL;
    *w = '\0';
    return *start ? start : NULL;
}

static void lane_dir(const struct options *opt, const struct scenario *s,
                     const char *file, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s/%s", opt->results, s->name, file);
}

/* In the child: run scenario S with its TAP to a file, then write its
 * results and its line of the time table; never returns. */
static void lane_child(const struct options *opt, const struct scenario *s)
{
    struct options o = *opt;
    struct report rep = {0};
    struct scn_time tt = {0};
    char path[PATH_MAX];
    FILE *f;
    int fd;

    /* xp-boot stopped (Ctrl-C, a CI timeout): its lanes and their QEMUs
     * with it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    lane_dir(opt, s, LANE_TAP, path, sizeof(path));
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) {
        fprintf(stderr, "xp-boot: cannot write %s: %s\n", path,
                strerror(errno));
        _exit(2);
    }
    close(fd);
    if (s->smp == SMP_NO && !o.cpus)
        o.cpus = 1;
    run_scenario(&o, s, &rep, &tt);
    fflush(stdout);

    lane_dir(opt, s, LANE_RESULTS, path, sizeof(path));
    f = fopen(path, "we");
    if (!f)
        _exit(2);
    fprintf(f, "time\t%.2f\t%u\t%d\t%.2f\t%u", tt.wall, tt.restarts, tt.failed,
            tt.steal, tt.stalls);
    for (size_t b = 0; b < tt.nboots; b++)
        fprintf(f, "\t%.2f", tt.ready[b]);
    fputc('\n', f);
    for (size_t i = 0; i < rep.n; i++) {
        fprintf(f, "result\t%d\t%.2f", rep.r[i].verdict, rep.r[i].seconds);
        put_field(f, rep.r[i].name);
        put_field(f, rep.r[i].message);
        put_field(f, rep.r[i].log);
        fputc('\n', f);
    }
    _exit(fclose(f) == 0 ? 0 : 2);
}

/* In the parent, once scenario S's child has ended with STATUS: its TAP
 * on stdout, numbered on from REP's, and its results into REP and TT. */
static void lane_collect(const struct options *opt, const struct scenario *s,
                         int status, struct report *rep, struct scn_time *tt)
{
    char path[PATH_MAX], *line = NULL, why[256];
    size_t cap = 0, nres = 0;
    unsigned base = rep->tap_next;
    FILE *f;

    tt->name = s->name;
    tt->machine = s->machine;
    lane_dir(opt, s, LANE_TAP, path, sizeof(path));
    f = fopen(path, "re");
    while (f && getline(&line, &cap, f) > 0) {
        unsigned n;
        int at = 0;

        /* The child numbered its results from 1: number them on. */
        if (sscanf(line, "ok %u %n", &n, &at) == 1 && at)
            printf("ok %u %s", base + (unsigned)++nres, line + at);
        else if (sscanf(line, "not ok %u %n", &n, &at) == 1 && at)
            printf("not ok %u %s", base + (unsigned)++nres, line + at);
        else
            fputs(line, stdout);
    }
    if (f)
        fclose(f);

    lane_dir(opt, s, LANE_RESULTS, path, sizeof(path));
    f = fopen(path, "re");
    rep->quiet = 1;
    while (f && getline(&line, &cap, f) > 0) {
        char *p = line, *kind;

        line[strcspn(line, "\n")] = '\0';
        kind = get_field(&p);
        if (kind && !strcmp(kind, "time")) {
            char *v;

            tt->wall = strtod(get_field(&p) ?: "0", NULL);
            tt->restarts = (unsigned)strtoul(get_field(&p) ?: "0", NULL, 10);
            tt->failed = atoi(get_field(&p) ?: "0");
            tt->steal = strtod(get_field(&p) ?: "-1", NULL);
            tt->stalls = (unsigned)strtoul(get_field(&p) ?: "0", NULL, 10);
            while ((v = get_field(&p)) && tt->nboots < MAX_BOOTS)
                tt->ready[tt->nboots++] = strtod(v, NULL);
        } else if (kind && !strcmp(kind, "result")) {
            enum verdict v = (enum verdict)atoi(get_field(&p) ?: "1");
            double secs = strtod(get_field(&p) ?: "0", NULL);
            const char *name = get_field(&p), *msg = get_field(&p),
                       *log = get_field(&p);

            report_add(rep, s->name, name ? name : "?", v, secs, msg, log);
        }
    }
    rep->quiet = 0;
    /* The numbers played back are the ones taken, whatever was read. */
    rep->tap_next = base + (unsigned)nres;
    if (f)
        fclose(f);
    free(line);

    /* A child that died without its results still fails, and says so. */
    if (!f || !WIFEXITED(status) || WEXITSTATUS(status)) {
        if (WIFSIGNALED(status))
            snprintf(why, sizeof(why),
                     "xp-boot's process for this scenario was killed by "
                     "signal %d (%s); its transcript is in %s/%s",
                     WTERMSIG(status), strsignal(WTERMSIG(status)),
                     opt->results, s->name);
        else
            snprintf(why, sizeof(why),
                     "xp-boot's process for this scenario ended without "
                     "its results (status %d); see %s/%s",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1, opt->results,
                     s->name);
        report_add(rep, s->name, "harness", V_FAIL, 0, why, NULL);
        tt->failed++;
    }
    fflush(stdout);
}

int run_lanes(const struct options *opt, const struct scenario *sc, size_t n,
              struct report *rep, struct scn_time *times)
{
    size_t *order = calloc(n ? n : 1, sizeof(*order));
    pid_t *pids = calloc(n ? n : 1, sizeof(*pids));
    size_t next = 0, running = 0;
    int alone = 0; /* an 'smp' scenario is running */

    if (!order || !pids) {
        free(order);
        free(pids);
        return -ENOMEM;
    }
    /* The 'smp' ones first, while nothing else runs; then the rest, the
     * costly ones first. */
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0; j--) {
            const struct scenario *a = &sc[order[j - 1]], *b = &sc[order[j]];

            int sa = a->smp == SMP_ALONE, sb = b->smp == SMP_ALONE;

            if (sa > sb || (sa == sb && scenario_cost(a) >= scenario_cost(b)))
                break;
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }

    printf("# %d lanes: each scenario on a machine of one CPU, up to %d at "
           "a time; 'smp' scenarios alone with their machine's CPUs\n",
           opt->jobs, opt->jobs);
    fflush(stdout);
    while (next < n || running) {
        int status;
        pid_t pid;

        while (next < n && !alone && running < (size_t)opt->jobs &&
               !(sc[order[next]].smp == SMP_ALONE && running)) {
            const struct scenario *s = &sc[order[next]];
            char dir[PATH_MAX];

            snprintf(dir, sizeof(dir), "%s/%s", opt->results, s->name);
            xp_mkdir_p(dir, 0);
            fflush(stdout);
            pid = fork();
            if (pid < 0) {
                char why[128];

                snprintf(why, sizeof(why), "cannot fork: %s (host problem)",
                         strerror(errno));
                report_add(rep, s->name, "harness", V_FAIL, 0, why, NULL);
                times[order[next]].name = s->name;
                times[order[next]].machine = s->machine;
                times[order[next]].failed = 1;
                next++;
                continue;
            }
            if (pid == 0)
                lane_child(opt, s);
            printf("# lane: %s started (estimated %.0f s)%s\n", s->name,
                   scenario_cost(s),
                   s->smp == SMP_ALONE
                       ? " (smp: alone, with its machine's CPUs)"
                   : s->smp == SMP_SHARED
                       ? " (smp shared: its machine's CPUs, one of them busy)"
                       : "");
            fflush(stdout);
            pids[order[next]] = pid;
            alone = s->smp == SMP_ALONE;
            running++;
            next++;
        }
        if (!running)
            break;
        pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (size_t i = 0; i < n; i++)
            if (pids[i] == pid) {
                pids[i] = 0;
                running--;
                alone = 0;
                lane_collect(opt, &sc[i], status, rep, &times[i]);
                break;
            }
    }
    free(order);
    free(pids);
    return 0;
}
