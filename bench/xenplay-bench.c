/*
 * xenplay-bench: the seed talk's benchmarks (slides 30-36) on this host,
 * each guest kind as a percentage of native.
 *
 *   xenplay-bench host
 *       what a report says of this machine: its CPU, sockets, CPUs and
 *       memory (xl info in dom0), Xen's version, and whether it is itself
 *       a virtual machine (systemd-detect-virt)
 *   xenplay-bench workloads --scratch DIR [--tree DIR] [--size S] ...
 *       the workloads here, natively or in a guest (workloads.c): a
 *       result line per run, and a result set's column with --json
 *   xenplay-bench native --kit DIR [--size S] [--jobs N] [--json OUT]
 *       without Xen: the workloads in the kit's root as the guests run
 *       them (bench/kit/in-root), the native column's result set
 *   xenplay-bench run --kit DIR [--kinds LIST] [--vcpus N] [--memory MIB]
 *       in dom0: the workloads in a guest of each kind, one after
 *       another (guests.c), with a native run's set (--native FILE): the
 *       tables, the JSON and the chart
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
#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "xp-fs.h"
#include "xp-run.h"

static const char *prog = "xenplay-bench";
static const char *verb = "";

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

/* What getopt_long answered for an option that is not the verb's: one
 * without its value (':') or one it does not know.  Says so; exit 2. */
static int bad_opt(int c, char **argv)
{
    if (c == ':')
        fprintf(stderr, "%s %s: %s needs a value; see %s --help\n", prog, verb,
                argv[optind - 1], prog);
    else
        fprintf(stderr, "%s %s: unknown option '%s'; see %s --help\n", prog,
                verb, argv[optind - 1], prog);
    return 2;
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
        default: return bad_opt(c, argv);
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

static int wl_parse(const char *s, int *v)
{
    enum bench_wl w;

    if (bench_wl_parse(s, &w) < 0)
        return -EINVAL;
    *v = (int)w;
    return 0;
}

/* A guest kind: a column other than native's. */
static int guest_kind_parse(const char *s, int *v)
{
    enum bench_col c;

    if (bench_col_parse(s, &c) < 0 || c == COL_NATIVE)
        return -EINVAL;
    *v = (int)c;
    return 0;
}

/* OPT's LIST, "kernbench,pbzip2" say, into a mask of 1 << what PARSE
 * makes of each name; -EINVAL names the first it does not take, and
 * the list of CHOICES, or says the list is empty. */
static int parse_list(const char *opt, const char *list,
                      int (*parse)(const char *, int *), const char *choices,
                      unsigned *mask)
{
    char *copy = strdup(list), *tok, *save = NULL;
    int v, rc = 0;

    if (!copy)
        return -ENOMEM;
    *mask = 0;
    for (tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (parse(tok, &v) < 0) {
            fprintf(stderr, "%s %s: %s: no '%s' (%s)\n", prog, verb, opt, tok,
                    choices);
            rc = -EINVAL;
            break;
        }
        *mask |= 1u << v;
    }
    free(copy);
    if (rc == 0 && !*mask) {
        fprintf(stderr, "%s %s: %s: name one or more of %s\n", prog, verb, opt,
                choices);
        rc = -EINVAL;
    }
    return rc;
}

#define WORKLOADS "kernbench, pbzip2, jvm, iperf"

static int positive(const char *opt, const char *s, long max, int *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < 1 || v > max) {
        fprintf(stderr, "%s %s: %s '%s' is not a number from 1 to %ld\n", prog,
                verb, opt, s, max);
        return -EINVAL;
    }
    *out = (int)v;
    return 0;
}

/* The options the workloads' verbs share (workloads, native, run). */
struct wl_opts {
    const char *size; /* --size: full or smoke */
    int runs;         /* --runs */
    int jobs;         /* --jobs (not run's: its guests' --vcpus) */
    const char *only; /* --only, as given */
    unsigned mask;    /* --only: 1 << enum bench_wl for each */
};

/* Option C of a workloads verb into W: 0, or -EINVAL (said) when its
 * value is bad or C is none of them. */
static int wl_opt(int c, char **argv, struct wl_opts *w)
{
    switch (c) {
    case 's':
        if (!bench_size_parse(optarg)) {
            fprintf(stderr, "%s %s: --size %s: say full or smoke\n", prog, verb,
                    optarg);
            return -EINVAL;
        }
        w->size = optarg;
        return 0;
    case 'r': return positive("--runs", optarg, BENCH_MAX_RUNS, &w->runs);
    case 'j': return positive("--jobs", optarg, 1024, &w->jobs);
    case 'o':
        if (parse_list("--only", optarg, wl_parse, WORKLOADS, &w->mask) < 0)
            return -EINVAL;
        w->only = optarg;
        return 0;
    default: bad_opt(c, argv); return -EINVAL;
    }
}

static int cmd_workloads(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"size", required_argument, NULL, 's'},
        {"runs", required_argument, NULL, 'r'},
        {"jobs", required_argument, NULL, 'j'},
        {"only", required_argument, NULL, 'o'},
        {"tree", required_argument, NULL, 't'},
        {"scratch", required_argument, NULL, 'S'},
        {"h2-jar", required_argument, NULL, 'H'},
        {"iperf-server", required_argument, NULL, 'i'},
        {"iperf-port", required_argument, NULL, 'p'},
        {"log", required_argument, NULL, 'l'},
        {"json", required_argument, NULL, 'J'},
        {"column", required_argument, NULL, 'c'},
        {"prepare", no_argument, NULL, 'P'},
        {0},
    };
    struct wl_opts w = {.size = "full",
                        .runs = 3,
                        .jobs = (int)sysconf(_SC_NPROCESSORS_ONLN),
                        .mask = (1u << WL_COUNT) - 1};
    struct bench_opts o = {.h2_jar = "/usr/share/java/h2.jar",
                           .iperf_port = 5201,
                           .log_fd = STDERR_FILENO};
    const char *log = NULL, *json = NULL;
    enum bench_col col = COL_NATIVE;
    struct bench_results *r = NULL;
    bool only = false;
    char err[512];
    int c, rc = 2;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (positive("--iperf-port", optarg, 65535, &o.iperf_port) < 0)
                return 2;
            break;
        case 't': o.tree = optarg; break;
        case 'S': o.scratch = optarg; break;
        case 'H': o.h2_jar = optarg; break;
        case 'i': o.iperf_server = optarg; break;
        case 'l': log = optarg; break;
        case 'J': json = optarg; break;
        case 'P': o.prepare_only = true; break;
        case 'c':
            if (bench_col_parse(optarg, &col) < 0) {
                fprintf(stderr,
                        "%s workloads: --column %s: say native, pv, pvh, "
                        "pvhvm or hvm\n",
                        prog, optarg);
                return 2;
            }
            break;
        default:
            if (wl_opt(c, argv, &w) < 0)
                return 2;
        }
    }
    o.size = bench_size_parse(w.size);
    o.runs = w.runs;
    o.jobs = w.jobs;
    o.mask = w.mask;
    only = w.only != NULL;
    if (optind < argc) {
        fprintf(stderr,
                "%s workloads: unexpected argument '%s'; see %s "
                "--help\n",
                prog, argv[optind], prog);
        return 2;
    }
    /* iperf measures a guest against dom0: a native result set has no
     * place for it. */
    if (json && col == COL_NATIVE && (o.mask & 1u << WL_IPERF)) {
        if (only) {
            fprintf(stderr,
                    "%s workloads: iperf is measured from a guest to dom0 and "
                    "has no native column: leave it out of --only, or give "
                    "the guest's --column\n",
                    prog);
            return 2;
        }
        o.mask &= ~(1u << WL_IPERF);
        printf("xenplay-bench: skipped iperf: no native column\n");
    }
    /* iperf needs dom0's end: without it, it is left out unless asked. */
    else if (!o.iperf_server && !only) {
        o.mask &= ~(1u << WL_IPERF);
        printf("xenplay-bench: skipped iperf: no --iperf-server\n");
    }
    if (!o.scratch ||
        (!o.tree && (o.mask & (1u << WL_KERNBENCH | 1u << WL_PBZIP2)))) {
        fprintf(stderr,
                "%s workloads: say where the kernel tree is (--tree DIR) "
                "and where to build (--scratch DIR); see %s --help\n",
                prog, prog);
        return 2;
    }
    if ((c = xp_mkdir_p(o.scratch, 0)) < 0) {
        fprintf(stderr, "%s: cannot make --scratch %s: %s\n", prog, o.scratch,
                strerror(-c));
        return 1;
    }
    if (log) {
        o.log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (o.log_fd < 0) {
            fprintf(stderr, "%s: cannot write %s: %s\n", prog, log,
                    strerror(errno));
            return 1;
        }
    }
    r = calloc(1, sizeof(*r));
    if (!r)
        goto out;
    if (json) {
        if (bench_host_read(&r->host, err, sizeof(err)) < 0) {
            fprintf(stderr, "%s: %s\n", prog, err);
            rc = 1;
            goto out;
        }
        r->vcpus = o.jobs;
        r->mem_mib = r->host.mem_mib;
    }
    rc = bench_workloads(&o, r, col, stdout) < 0 ? 1 : 0;
    if (json && (c = write_file(json, json_fn, r)) < 0) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, json, strerror(-c));
        rc = 1;
    }
out:
    if (log && o.log_fd >= 0)
        close(o.log_fd);
    free(r);
    return rc;
}

static int cmd_run(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"kit", required_argument, NULL, 'k'},
        {"kinds", required_argument, NULL, 'K'},
        {"vcpus", required_argument, NULL, 'v'},
        {"memory", required_argument, NULL, 'm'},
        {"size", required_argument, NULL, 's'},
        {"runs", required_argument, NULL, 'r'},
        {"only", required_argument, NULL, 'o'},
        {"timeout", required_argument, NULL, 'T'},
        {"native", required_argument, NULL, 'n'},
        {"json", required_argument, NULL, 'J'},
        {"chart", required_argument, NULL, 'c'},
        {"log", required_argument, NULL, 'l'},
        {0},
    };
    struct bench_run o = {.cols = 1u << COL_PV | 1u << COL_PVH |
                                  1u << COL_PVHVM | 1u << COL_HVM,
                          .log_fd = STDERR_FILENO};
    struct wl_opts w = {
        .size = "full", .runs = 3, .only = "kernbench,pbzip2,jvm,iperf"};
    const char *native = NULL, *json = NULL, *chart = NULL;
    struct bench_results *r = NULL, *nat = NULL;
    int c, vcpus = 0, mem = 8192, timeout = 0, rc = 2;
    char err[512], args[512], pin[32];
    int host_cpus;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'k': o.kit = optarg; break;
        case 'K':
            if (parse_list("--kinds", optarg, guest_kind_parse,
                           "pv, pvh, pvhvm, hvm", &o.cols) < 0)
                return 2;
            break;
        case 'v':
            if (positive("--vcpus", optarg, 512, &vcpus) < 0)
                return 2;
            break;
        case 'm':
            if (positive("--memory", optarg, 1 << 24, &mem) < 0)
                return 2;
            break;
        case 'T':
            if (positive("--timeout", optarg, 7 * 24 * 3600, &timeout) < 0)
                return 2;
            break;
        case 'n': native = optarg; break;
        case 'J': json = optarg; break;
        case 'c': chart = optarg; break;
        case 'l': o.log = optarg; break;
        default:
            if (wl_opt(c, argv, &w) < 0)
                return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s run: unexpected argument '%s'; see %s --help\n",
                prog, argv[optind], prog);
        return 2;
    }
    if (!o.kit) {
        fprintf(stderr,
                "%s run: say where the kit is (--kit DIR: its vmlinuz, "
                "initrd.img and root.squashfs): make guest-kit builds it, "
                "an ISO labelled XPKIT; mount it, as mount -o ro "
                "LABEL=XPKIT /mnt\n",
                prog);
        return 2;
    }
    r = calloc(1, sizeof(*r));
    nat = calloc(1, sizeof(*nat));
    if (!r || !nat) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto out;
    }
    rc = 1;
    if (bench_host_read(&r->host, err, sizeof(err)) < 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        goto out;
    }
    if (!r->host.xen[0]) {
        fprintf(stderr,
                "%s run: this is not dom0 of a Xen host (xl info found no "
                "Xen): start the host in Xen; natively, run %s workloads "
                "--json native.json --column native\n",
                prog, prog);
        goto out;
    }
    /* Under QEMU's emulation, the guests keep off CPU 0 when there is
     * another: QEMU 10 races on CPU 0's state at VM entry and exit, and a
     * guest there can lose its nested paging and triple-fault
     * (docs/known-problems.md, "Guest restarts"). */
    host_cpus = r->host.cpus;
    if (!strcmp(r->host.vm, "qemu") && host_cpus > 1) {
        snprintf(pin, sizeof(pin), "1-%d", host_cpus - 1);
        o.cpus = pin;
        host_cpus--;
    }
    /* The talk's guests had 8 vCPUs: as many, up to the CPUs they have. */
    o.vcpus = vcpus ? vcpus : (host_cpus < 8 ? host_cpus : 8);
    o.mem_mib = mem;
    o.timeout_s =
        timeout ? timeout : (!strcmp(w.size, "smoke") ? 1200 : 4 * 3600);
    r->vcpus = o.vcpus;
    r->mem_mib = o.mem_mib;
    if (native) {
        if (bench_json_read(nat, native, err, sizeof(err)) < 0 ||
            bench_merge(r, nat, err, sizeof(err)) < 0) {
            fprintf(stderr, "%s run: --native %s: %s\n", prog, native, err);
            goto out;
        }
    }
    snprintf(args, sizeof(args), "xb.size=%s xb.runs=%d xb.jobs=%d xb.only=%s",
             w.size, w.runs, o.vcpus, w.only);
    o.args = args;
    if (o.log) {
        o.log_fd = open(o.log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (o.log_fd < 0) {
            fprintf(stderr, "%s: cannot write %s: %s\n", prog, o.log,
                    strerror(errno));
            goto out;
        }
    }
    rc = bench_guests_run(&o, r, stdout) < 0 ? 1 : 0;
    printf("\n");
    bench_report(r, stdout);
    if (json && (c = write_file(json, json_fn, r)) < 0) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, json, strerror(-c));
        rc = 1;
    }
    if (chart && draw_chart(r, chart))
        rc = 1;
    if (fflush(stdout) != 0)
        rc = 1;
out:
    if (o.log && o.log_fd >= 0)
        close(o.log_fd);
    free(r);
    free(nat);
    return rc;
}

static int cmd_native(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"kit", required_argument, NULL, 'k'},
        {"size", required_argument, NULL, 's'},
        {"runs", required_argument, NULL, 'r'},
        {"jobs", required_argument, NULL, 'j'},
        {"only", required_argument, NULL, 'o'},
        {"json", required_argument, NULL, 'J'},
        {0},
    };
    struct wl_opts w = {.size = "full",
                        .runs = 3,
                        .jobs = (int)sysconf(_SC_NPROCESSORS_ONLN),
                        .only = "kernbench,pbzip2,jvm"};
    struct bench_native o = {.json = "native.json"};
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'k': o.kit = optarg; break;
        case 'J': o.json = optarg; break;
        default:
            if (wl_opt(c, argv, &w) < 0)
                return 2;
        }
    }
    o.size = w.size;
    o.runs = w.runs;
    o.jobs = w.jobs;
    o.only = w.only;
    if (optind < argc || !o.kit) {
        fprintf(stderr,
                "%s native: say where the kit is (--kit DIR, as for run); "
                "see %s --help\n",
                prog, prog);
        return 2;
    }
    c = bench_native_run(&o, stdout);
    return c == -EINVAL ? 2 : c < 0 ? 1 : 0;
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
    {"workloads", cmd_workloads,
     "--scratch DIR [--tree DIR] [--size full|smoke] [--runs N] [--jobs N] "
     "[--only LIST] [--iperf-server ADDR] [--json OUT --column COL] "
     "[--prepare]",
     "run the workloads here (natively, or in a guest), a result line per "
     "run; --prepare: their untimed steps only, into --scratch, which a "
     "later run keeps (the bench root's configured kernel build)"},
    {"native", cmd_native,
     "--kit DIR [--size full|smoke] [--runs N] [--jobs N] [--only LIST] "
     "[--json OUT]",
     "without Xen (the ISO's rescue entry): the workloads in the kit's "
     "root, as the guests run them, into a result set for run --native"},
    {"run", cmd_run,
     "--kit DIR [--kinds LIST] [--vcpus N] [--memory MIB] [--size "
     "full|smoke] [--runs N] [--only LIST] [--timeout S] [--native FILE] "
     "[--json OUT] [--chart OUT.svg] [--log FILE]",
     "in dom0: the workloads in a PV, PVH, PV-on-HVM and HVM guest each, "
     "one after another; the tables, with a native run's column"},
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
        fprintf(stderr,
                "%s: say what to do (run, workloads, report, host); see %s "
                "--help\n",
                prog, prog);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
        if (!strcmp(cmds[i].name, argv[1])) {
            verb = cmds[i].name;
            return cmds[i].fn(argc - 1, argv + 1);
        }
    fprintf(stderr, "%s: unknown verb '%s'; see %s --help\n", prog, argv[1],
            prog);
    return 2;
}
