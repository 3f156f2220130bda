/*
 * xenplay-bench: the seed talk's benchmarks (slides 30-36) on this host,
 * each guest kind as a percentage of native.
 *
 *   xenplay-bench host
 *       what a report says of this machine: its CPU, sockets, CPUs and
 *       memory (xl info in dom0), Xen's version, and whether it is itself
 *       a virtual machine (systemd-detect-virt)
 *   xenplay-bench report [--json OUT] [--chart OUT.svg] RESULTS.json...
 *       the tables of slides 32-35 from one or more result sets (a native
 *       run and a guest run, say: a later file's columns replace an
 *       earlier one's), the merged set as JSON, and a chart (gnuplot)
 *
 * Each verb is one line of the command table; main() dispatches on the
 * first argument and the verb parses its own options.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "xp-run.h"

static const char *prog = "xenplay-bench";

struct cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *args;
    const char *help;
};

/* Write PATH through a temporary file beside it, so that a failed write
 * leaves no half a file under the name. */
static int write_file(const char *path, int (*fn)(const void *, FILE *),
                      const void *arg)
{
    char tmp[4096];
    FILE *f;
    int rc;

    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "w");
    if (!f)
        return -errno;
    rc = fn(arg, f);
    if (!rc && ferror(f))
        rc = -EIO;
    if (fclose(f) != 0 && !rc)
        rc = -errno;
    if (!rc && rename(tmp, path) != 0)
        rc = -errno;
    if (rc)
        unlink(tmp);
    return rc;
}

static int json_fn(const void *r, FILE *f)
{
    return bench_json_write(r, f);
}

static int data_fn(const void *r, FILE *f)
{
    bench_chart_data(r, f);
    return 0;
}

struct chart_paths {
    const struct bench_results *r;
    const char *data, *out;
};

static int script_fn(const void *arg, FILE *f)
{
    const struct chart_paths *p = arg;

    bench_chart_script(p->r, p->data, p->out, f);
    return 0;
}

/* The chart: its data and script beside it (OUT.dat, OUT.gp), drawn by
 * gnuplot. */
static int draw_chart(const struct bench_results *r, const char *out)
{
    char data[4096], script[4096], how[128];
    struct chart_paths p = {r, data, out};
    const char *argv[] = {"gnuplot", script, NULL};
    struct xp_cmd cmd = {
        .argv = argv, .err = XP_RUN_INHERIT, .timeout_ms = 60000};
    int rc;

    snprintf(data, sizeof(data), "%s.dat", out);
    snprintf(script, sizeof(script), "%s.gp", out);
    if ((rc = write_file(data, data_fn, r)) < 0 ||
        (rc = write_file(script, script_fn, &p)) < 0) {
        fprintf(stderr, "%s: cannot write the chart's files beside %s: %s\n",
                prog, out, strerror(-rc));
        return 1;
    }
    rc = xp_cmd_run(&cmd);
    if (!xp_status_ok(rc)) {
        xp_status_str(rc, how, sizeof(how));
        fprintf(stderr, "%s: gnuplot could not draw %s (%s)%s\n", prog, out,
                how, rc == -ENOENT ? ": install gnuplot-nox" : "");
        return 1;
    }
    return 0;
}

static int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"json", required_argument, NULL, 'j'},
        {"chart", required_argument, NULL, 'c'},
        {0},
    };
    const char *json = NULL, *chart = NULL;
    struct bench_results *all = NULL, *one = NULL;
    char err[512];
    int c, i, rc = 2;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1)
        switch (c) {
        case 'j': json = optarg; break;
        case 'c': chart = optarg; break;
        case ':':
            fprintf(stderr, "%s report: %s needs a value; see %s --help\n",
                    prog, argv[optind - 1], prog);
            return 2;
        default:
            fprintf(stderr, "%s report: unknown option '%s'; see %s --help\n",
                    prog, argv[optind - 1], prog);
            return 2;
        }
    if (optind == argc) {
        fprintf(stderr,
                "%s report: name the result files (RESULTS.json...); see "
                "%s --help\n",
                prog, prog);
        return 2;
    }
    all = calloc(1, sizeof(*all));
    one = calloc(1, sizeof(*one));
    if (!all || !one) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto out;
    }
    for (i = optind; i < argc; i++) {
        if (bench_json_read(i == optind ? all : one, argv[i], err,
                            sizeof(err)) < 0) {
            fprintf(stderr, "%s: %s\n", prog, err);
            goto out;
        }
        if (i > optind && bench_merge(all, one, err, sizeof(err)) < 0) {
            fprintf(stderr, "%s: %s and %s: %s\n", prog, argv[optind], argv[i],
                    err);
            goto out;
        }
    }
    bench_report(all, stdout);
    rc = 1;
    if (json && (c = write_file(json, json_fn, all)) < 0) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, json, strerror(-c));
        goto out;
    }
    if (chart && draw_chart(all, chart))
        goto out;
    rc = fflush(stdout) == 0 ? 0 : 1;
out:
    free(all);
    free(one);
    return rc;
}

static int cmd_host(int argc, char **argv)
{
    struct bench_host h;
    char err[512];

    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "%s host: takes no arguments; see %s --help\n", prog,
                prog);
        return 2;
    }
    if (bench_host_read(&h, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return 1;
    }
    printf("cpu: %s\nsockets: %d\ncpus: %d\nmemory: %ld MiB\nxen: %s\n"
           "vm: %s\n",
           h.cpu, h.sockets, h.cpus, h.mem_mib, h.xen[0] ? h.xen : "-",
           h.vm[0] ? h.vm : "-");
    return fflush(stdout) == 0 ? 0 : 1;
}

static const struct cmd cmds[] = {
    {"host", cmd_host, "",
     "what a report will say of this machine (xl info in dom0, else lscpu) "
     "and whether it is itself a virtual machine"},
    {"report", cmd_report, "[--json OUT] [--chart OUT.svg] RESULTS.json...",
     "the tables of slides 32-35 from result sets, merged; JSON and a chart"},
};

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "Usage: %s VERB [OPTIONS]\n\nVerbs:\n", prog);
    for (i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
        fprintf(f, "  %s %s\n      %s\n", cmds[i].name, cmds[i].args,
                cmds[i].help);
}

int main(int argc, char **argv)
{
    size_t i;

    if (argc < 2) {
        fprintf(stderr, "%s: say what to do (host, report); see %s --help\n",
                prog, prog);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
        if (!strcmp(cmds[i].name, argv[1]))
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "%s: unknown verb '%s'; see %s --help\n", prog, argv[1],
            prog);
    return 2;
}
