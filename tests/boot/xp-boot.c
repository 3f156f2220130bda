/*
 * xp-boot: xenplay's boot-test harness.
 *
 * Starts QEMU with a machine profile and a boot medium, drives the serial
 * console stage by stage (see scenario.h), runs framed commands in the
 * booted host's shell (see console.h), and reports TAP on stdout, JUnit
 * XML, the raw console transcripts, the exact QEMU command line and the
 * time of every stage under the results directory.
 *
 * Usage: xp-boot [OPTIONS] [SCENARIO...]   (xp-boot --help)
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

/* Patterns that can only mean failure, whatever the stage. */
static const char *const fail_always[] = {
    "Panic on CPU",
    "Kernel panic",
    "libxl: error",
    "segfault at",
    /* Not "Triple fault": Xen says that of a guest (dNvM), which is that
     * guest's failure; the machine's own triple fault ends QEMU. */
    "unknown!", /* Xen: parameter "x" unknown! */
    "Entering emergency mode",
    "BUG: soft lockup", /* a dom0 that hangs: no use waiting */
    "dracut: FATAL",
    "Boot failed: ", /* SeaBIOS */
    "No bootable device",
    NULL,
};
static void usage(FILE *f)
{
    fprintf(
        f,
        "Usage: xp-boot [OPTIONS] [SCENARIO...]\n"
        "Boot xenplay media in QEMU and check, over the serial console, that "
        "Xen,\n"
        "dom0 and the host's tools come up.  Without SCENARIO, run them all.\n"
        "\n"
        "  --medium PATH     the ISO (or disk image) to boot (required to "
        "run)\n"
        "  --medium-next PATH\n"
        "                    a newer build of the same tree, for the "
        "scenarios that\n"
        "                    upgrade ('boot medium-next'; make check "
        "builds one)\n"
        "  --dir DIR         where machines/ and scenarios/ are [tests/boot]\n"
        "  --results DIR     transcripts, JUnit XML, timings "
        "[build/test-results]\n"
        "  --qemu PATH       QEMU binary [qemu-system-x86_64]\n"
        "  --timeout-scale F multiply every timeout by F (slow or busy "
        "machines)\n"
        "  --stall-after S   a machine whose emulated CPUs ran less than "
        "0.05 s in S\n"
        "                    seconds is stalled: save what QEMU says of its "
        "CPUs and\n"
        "                    wake it with a key press (0: do not watch) [60]\n"
        "  --keep            keep each run's writable images (OVMF vars, "
        "disks)\n"
        "  --kit PATH        the guest kit for scenarios with guests "
        "(make guest-kit)\n"
        "  --pxe DIR         the netboot bundle for 'medium pxe' scenarios "
        "(make pxe)\n"
        "  --http DIR        what scenarios that say 'http' find at "
        "http://10.0.2.2/\n"
        "  --tap IFNAME      the NIC on tap device IFNAME (a network with "
        "its own\n"
        "                    DHCP, TFTP and HTTP), not QEMU's user-mode "
        "network\n"
        "  --cpus N          give each machine N CPUs (one per socket), not "
        "its own:\n"
        "                    for several machines at once on a small "
        "host\n"
        "  --jobs N          run N scenarios at a time, each on a machine of "
        "one CPU\n"
        "                    ('smp' scenarios alone, with their machine's "
        "CPUs;\n"
        "                    'smp shared' ones in a lane, with them) [1]\n"
        "  --guest-args KIND=ARGS\n"
        "                    add ARGS to guest KIND's kernel command line "
        "(to break\n"
        "                    one on purpose: --guest-args pvhvm=xen_nopv)\n"
        "  --xen-version V   what scenarios' @XEN@ stands for [the "
        "version\n"
        "                    debian/control names]\n"
        "  --list            list the scenarios and exit (--markdown: "
        "as\n"
        "                    docs/scenarios.md, with their machines)\n"
        "  --help            this text\n");
}

int run_scenario(const struct options *opt, const struct scenario *s,
                 struct report *rep, struct scn_time *tt)
{
    struct machine m = {0};
    struct run r = {0};
    char path[PATH_MAX], err[512], gone[256] = "", accel[32] = "tcg";
    char **argv = NULL;
    size_t i, nfail = 0;
    int booted = 1, rc;
    double t_boot = 0, steal0 = host_steal(), steal1;
    struct timespec t_start;

    clock_gettime(CLOCK_MONOTONIC, &t_start);
    r.opt = opt;
    r.s = s;
    r.m = &m;
    r.pid = -1;
    r.in_fd = r.out_fd = -1;
    r.timings_first = 1;
    r.time = tt;
    r.medium = opt->medium;
    r.answer = s->answer;
    tt->name = s->name;
    tt->machine = s->machine;
    console_init(&r.con, 1 << 20);

    snprintf(r.dir, sizeof(r.dir), "%s/%s", opt->results, s->name);
    snprintf(r.transcript_path, sizeof(r.transcript_path), "%s/console.log",
             r.dir);
    rc = xp_mkdir_p(r.dir, 0);
    if (rc < 0) {
        snprintf(r.why, sizeof(r.why), "cannot create %s: %s", r.dir,
                 strerror(-rc));
        booted = 0;
        goto report_boot;
    }
    snprintf(path, sizeof(path), "%s/machines/%s.conf", opt->dir, s->machine);
    rc = machine_parse(&m, s->machine, path, err, sizeof(err));
    if (rc < 0) {
        snprintf(r.why, sizeof(r.why), "machine profile: %s", err);
        booted = 0;
        goto report_boot;
    }
    machine_accel(&m, accel, sizeof(accel));
    printf("# %s: %s\n# machine %s (accelerator %s): %s\n", s->name,
           s->description ? s->description : "", m.name, accel,
           m.description ? m.description : "");
    if (opt->cpus)
        printf("# machine %s: %d CPU%s, one per socket (--cpus), not its "
               "own\n",
               m.name, opt->cpus, opt->cpus == 1 ? "" : "s");

    /* Fail-fast patterns: the harness's and the scenario's. */
    r.fail = calloc(sizeof(fail_always) / sizeof(*fail_always) + s->nfail,
                    sizeof(*r.fail));
    if (!r.fail) {
        snprintf(r.why, sizeof(r.why), "out of memory");
        booted = 0;
        goto report_boot;
    }
    for (i = 0; fail_always[i]; i++)
        r.fail[nfail++] = fail_always[i];
    for (i = 0; i < s->nfail; i++)
        r.fail[nfail++] = s->fail[i];
    for (i = 0; i < nfail; i++)
        if (strlen(r.fail[i]) > r.longest_fail)
            r.longest_fail = strlen(r.fail[i]);

    if (access(opt->medium, R_OK) < 0) {
        snprintf(r.why, sizeof(r.why), "medium %s: %s (build it: make iso)",
                 opt->medium, strerror(errno));
        r.host_problem = 1;
        booted = 0;
        goto report_boot;
    }
    if (s->medium_next &&
        (!opt->medium_next || access(opt->medium_next, R_OK) < 0)) {
        snprintf(r.why, sizeof(r.why),
                 "scenario %s upgrades to a newer medium: pass "
                 "--medium-next PATH (make check builds it: %s)",
                 s->name,
                 opt->medium_next ? strerror(errno) : "no --medium-next");
        r.host_problem = 1;
        booted = 0;
        goto report_boot;
    }
    if (!in_path(opt->qemu)) {
        snprintf(r.why, sizeof(r.why),
                 "no %s on this machine: install QEMU 10 (make host-tools)",
                 opt->qemu);
        r.host_problem = 1;
        booted = 0;
        goto report_boot;
    }
    if (s->ndisks || s->kit) {
        struct statvfs vfs;
        unsigned long long avail;

        /* QEMU would stop the guest on a full disk: say so first. */
        if (statvfs(r.dir, &vfs) == 0) {
            avail = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
            if (avail < MIN_FREE) {
                snprintf(r.why, sizeof(r.why),
                         "only %llu MiB free under %s; scenario %s writes "
                         "up to %llu MiB of disk images there: free some "
                         "space (make clean) or pass --results DIR",
                         avail >> 20, r.dir, s->name, MIN_FREE >> 20);
                r.host_problem = 1;
                booted = 0;
                goto report_boot;
            }
        }
    }
    if (s->answer && make_answer_volume(&r, s->answer) < 0) {
        booted = 0;
        goto report_boot;
    }
    snprintf(path, sizeof(path), "%s/timings.json", r.dir);
    r.timings = fopen(path, "we");
    if (!r.timings) {
        snprintf(r.why, sizeof(r.why), "cannot write under %s: %s", r.dir,
                 strerror(errno));
        booted = 0;
        goto report_boot;
    }
    fprintf(r.timings, "{\"scenario\": ");
    json_string(r.timings, s->name);
    fprintf(r.timings, ", \"machine\": ");
    json_string(r.timings, m.name);
    fprintf(r.timings, ", \"accel\": ");
    json_string(r.timings, accel);
    fprintf(r.timings, ", \"steps\": [");

report_boot:
    /* Phases: the medium's boot, then after each 'boot disk' a boot of
     * the same machine and disks without the medium. */
    for (size_t from = 0, to, mid, phase = 0;; phase++) {
        char bootname[32] = "boot";
        const char *new_answer = NULL;

        for (to = from; to < s->nsteps && s->steps[to].kind != STEP_BOOTDISK &&
                        s->steps[to].kind != STEP_BOOTMEDIUM;
             to++)
            ;
        /* Stages after the phase's checks (an orderly reboot, say) run
         * once the checks are done: MID is the first of them. */
        mid = scenario_after_checks(s, from, to);
        if (phase) {
            const struct step *b = &s->steps[from - 1];

            r.no_medium = b->kind == STEP_BOOTDISK;
            if (b->kind == STEP_BOOTMEDIUM)
                r.medium = strcmp(b->name, "medium-next") ? opt->medium
                                                          : opt->medium_next;
            snprintf(bootname, sizeof(bootname), "boot-%zu-%s", phase + 1,
                     b->name);
            /* A new boot: the guest kit is mounted again when needed. */
            r.guest_setup = 0;
            r.guest_setup_why[0] = '\0';
            if (b->text[0])
                r.answer = new_answer = b->text;
        }
        r.reuse_disks = phase > 0;
        if (phase)
            snprintf(r.transcript_path, sizeof(r.transcript_path),
                     "%s/console-%s.log", r.dir, bootname);
        if (booted) {
            t_boot = 0;
            console_free(&r.con);
            console_init(&r.con, 1 << 20);
            r.transcript = fopen(r.transcript_path, "we");
            if (!r.transcript) {
                snprintf(r.why, sizeof(r.why), "cannot write %s: %s",
                         r.transcript_path, strerror(errno));
                booted = 0;
            } else if (new_answer && make_answer_volume(&r, new_answer) < 0) {
                booted = 0;
            } else if (build_argv(&r, &argv) < 0) {
                booted = 0;
            } else {
                printf("# qemu: see %s/qemu.cmdline%s\n", r.dir,
                       r.no_medium ? " (booting from the disk)" : "");
                fflush(stdout);
                if (start_qemu(&r, argv) < 0)
                    booted = 0;
            }
            if (booted)
                booted = run_stages(&r, from, mid);
            /* No QEMU, no time: t0 is set when QEMU starts. */
            t_boot = r.t0.tv_sec || r.t0.tv_nsec ? now_since(&r.t0) : 0;
            if (r.host_problem) {
                host_skip(&r, rep, bootname, gone, sizeof(gone));
            } else {
                report_add(rep, s->name, bootname, booted ? V_PASS : V_FAIL,
                           t_boot, booted ? NULL : r.why,
                           r.transcript ? r.transcript_path : NULL);
                if (!booted)
                    snprintf(gone, sizeof(gone), "%s",
                             phase ? "the boot from the disk failed"
                                   : "the boot failed");
            }
        } else if (phase == 0 && r.host_problem) {
            host_skip(&r, rep, bootname, gone, sizeof(gone));
        } else if (phase == 0) {
            report_add(rep, s->name, bootname, V_FAIL, 0, r.why, NULL);
        } else {
            report_add(rep, s->name, bootname, V_SKIP, 0,
                       gone[0] ? gone : "the boot failed", NULL);
        }
        run_checks(&r, from, mid, &booted, gone, sizeof(gone), rep);
        for (size_t k = from; k < mid; k++)
            if (s->steps[k].kind == STEP_SHELL) {
                crash_scan(&r, bootname, booted, gone, rep);
                break;
            }
        /* What the machine does once its checks are done (an orderly
         * reboot or power-off), reported under its first stage's name. */
        if (mid < to) {
            const char *what = s->steps[mid].name;

            for (size_t k = mid; k < to; k++)
                if (s->steps[k].kind != STEP_SEND) {
                    what = s->steps[k].name;
                    break;
                }
            if (booted && !r.host_problem) {
                /* Its own time, not the checks' before it. */
                double t_end = now_since(&r.t0);
                int ended = run_stages(&r, mid, to);

                report_add(rep, s->name, what, ended ? V_PASS : V_FAIL,
                           now_since(&r.t0) - t_end, ended ? NULL : r.why,
                           r.transcript ? r.transcript_path : NULL);
                if (!ended) {
                    booted = 0;
                    snprintf(gone, sizeof(gone), "%s did not end as it should",
                             what);
                }
            } else {
                report_add(rep, s->name, what, V_SKIP, 0,
                           gone[0] ? gone : "the boot failed", NULL);
            }
        }
        stop_qemu(&r);
        if (r.transcript)
            fclose(r.transcript);
        r.transcript = NULL;
        if (r.in_fd >= 0)
            close(r.in_fd);
        if (r.out_fd >= 0)
            close(r.out_fd);
        r.in_fd = r.out_fd = -1;
        xp_strv_free(argv);
        argv = NULL;
        if (to >= s->nsteps)
            break;
        from = to + 1;
    }

    spectrum_report(&r);
    for (i = 0; i < rep->n; i++)
        if (rep->r[i].verdict == V_FAIL && !strcmp(rep->r[i].scenario, s->name))
            tt->failed++;
    for (i = 0; i < r.nguests; i++)
        guest_free(&r.guests[i]);
    if (r.timings) {
        fprintf(r.timings, "\n  ]}\n");
        fclose(r.timings);
    }
    if (!opt->keep) {
        snprintf(path, sizeof(path), "%s/OVMF_VARS.fd", r.dir);
        unlink(path);
        for (i = 0; i < s->ndisks; i++) {
            disk_path(&r, &s->disks[i], path, sizeof(path));
            unlink(path);
        }
        snprintf(path, sizeof(path), "%s/answer.iso", r.dir);
        unlink(path);
    }
    free(r.fail);
    console_free(&r.con);
    machine_free(&m);
    tt->wall = now_since(&t_start);
    steal1 = host_steal();
    tt->steal = steal0 >= 0 && steal1 >= 0 ? steal1 - steal0 : -1;
    return 0;
}

/* ARG as a count from 1 to MAX for option OPT, or a message and -1. */
static int count_arg(const char *opt, const char *what, const char *arg,
                     long max, int *out)
{
    char *end;
    long n = strtol(arg, &end, 10);

    if (*end || n < 1 || n > max) {
        fprintf(stderr,
                "xp-boot: %s wants a number of %s from 1 to %ld, not '%s'; "
                "see --help\n",
                opt, what, max, arg);
        return -1;
    }
    *out = (int)n;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"medium", required_argument, NULL, 'm'},
        {"medium-next", required_argument, NULL, 'N'},
        {"dir", required_argument, NULL, 'd'},
        {"results", required_argument, NULL, 'r'},
        {"qemu", required_argument, NULL, 'q'},
        {"timeout-scale", required_argument, NULL, 's'},
        {"stall-after", required_argument, NULL, 'S'},
        {"keep", no_argument, NULL, 'k'},
        {"kit", required_argument, NULL, 'K'},
        {"pxe", required_argument, NULL, 'P'},
        {"http", required_argument, NULL, 'H'},
        {"tap", required_argument, NULL, 'T'},
        {"guest-args", required_argument, NULL, 'g'},
        {"xen-version", required_argument, NULL, 'X'},
        {"cpus", required_argument, NULL, 'c'},
        {"jobs", required_argument, NULL, 'j'},
        {"list", no_argument, NULL, 'l'},
        {"markdown", no_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    struct options opt = {
        .dir = "tests/boot",
        .results = "build/test-results",
        .qemu = "qemu-system-x86_64",
        .scale = 1.0,
        .stall_after = 60,
        .jobs = 1,
    };
    struct scenario *sc = NULL;
    struct report rep = {0};
    struct scn_time *times = NULL;
    char **names = NULL, err[512], path[PATH_MAX];
    size_t nnames = 0, i, total = 0;
    unsigned pass, fail, skip;
    int c, rc = 2, xen_given = 0;
    struct timespec t_run;
    char *end;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': opt.medium = optarg; break;
        case 'N': opt.medium_next = optarg; break;
        case 'd': opt.dir = optarg; break;
        case 'r': opt.results = optarg; break;
        case 'q': opt.qemu = optarg; break;
        case 'k': opt.keep = 1; break;
        case 'K': opt.kit = optarg; break;
        case 'P': opt.pxe = optarg; break;
        case 'H': opt.http = optarg; break;
        case 'T': opt.tap = optarg; break;
        case 'g': {
            char **v, *eq = strchr(optarg, '=');
            enum kind k;

            if (eq)
                *eq = '\0';
            if (!eq || kind_parse(optarg, &k) < 0) {
                fprintf(stderr,
                        "xp-boot: --guest-args wants KIND=ARGS with KIND "
                        "one of pv, pvh, hvm, pvhvm; see --help\n");
                return 2;
            }
            *eq = '=';
            v = realloc(opt.guest_args, (opt.nguest_args + 2) * sizeof(*v));
            if (!v)
                return 2;
            opt.guest_args = v;
            v[opt.nguest_args++] = optarg;
            v[opt.nguest_args] = NULL;
            break;
        }
        case 'X':
            if (scenario_define("@XEN@", optarg) < 0)
                return 2;
            xen_given = 1;
            break;
        case 'l': opt.list = 1; break;
        case 'M': opt.markdown = 1; break;
        case 'c':
            if (count_arg("--cpus", "CPUs", optarg, 64, &opt.cpus) < 0)
                return 2;
            break;
        case 'j':
            if (count_arg("--jobs", "scenarios at a time", optarg, 16,
                          &opt.jobs) < 0)
                return 2;
            break;
        case 'S':
            opt.stall_after = strtod(optarg, &end);
            if (*end || opt.stall_after < 0) {
                fprintf(stderr,
                        "xp-boot: --stall-after wants seconds (0: no "
                        "watch), not '%s'; see --help\n",
                        optarg);
                return 2;
            }
            break;
        case 's':
            opt.scale = strtod(optarg, &end);
            if (*end || opt.scale <= 0) {
                fprintf(stderr,
                        "xp-boot: --timeout-scale wants a positive "
                        "number, not '%s'; see --help\n",
                        optarg);
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: fprintf(stderr, "xp-boot: see --help\n"); return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    if (!xen_given)
        define_xen_version(opt.dir);

    if (optind < argc) {
        nnames = (size_t)(argc - optind);
        names = calloc(nnames, sizeof(*names));
        if (!names)
            goto out;
        for (i = 0; i < nnames; i++)
            names[i] = strdup(argv[optind + i]);
    } else if (list_scenarios(opt.dir, &names, &nnames) < 0) {
        fprintf(stderr, "xp-boot: cannot read %s/scenarios: %s\n", opt.dir,
                strerror(errno));
        goto out;
    }

    sc = calloc(nnames ? nnames : 1, sizeof(*sc));
    if (!sc)
        goto out;
    for (i = 0; i < nnames; i++) {
        snprintf(path, sizeof(path), "%s/scenarios/%s.scn", opt.dir, names[i]);
        if (scenario_parse(&sc[i], names[i], path, err, sizeof(err)) < 0) {
            fprintf(stderr, "xp-boot: %s\n", err);
            if (access(path, F_OK) < 0)
                fprintf(stderr, "xp-boot: no scenario '%s': see --list\n",
                        names[i]);
            goto out;
        }
        total += 1 + scenario_checks(&sc[i]);
    }
    if (opt.list && opt.markdown) {
        rc = list_markdown(&opt, sc, nnames);
        goto out;
    }
    if (opt.list) {
        for (i = 0; i < nnames; i++)
            printf("%-20s %-10s %s\n", sc[i].name, sc[i].machine,
                   sc[i].description ? sc[i].description : "");
        rc = 0;
        goto out;
    }
    if (!opt.medium) {
        fprintf(stderr, "xp-boot: which medium? pass --medium PATH "
                        "(make check passes the ISO); see --help\n");
        goto out;
    }
    if (xp_mkdir_p(opt.results, 0) < 0) {
        fprintf(stderr, "xp-boot: cannot create %s: %s\n", opt.results,
                strerror(errno));
        goto out;
    }

    times = calloc(nnames ? nnames : 1, sizeof(*times));
    if (!times)
        goto out;
    report_plan(total);
    clock_gettime(CLOCK_MONOTONIC, &t_run);
    if (opt.jobs > 1 && nnames > 1) {
        if (run_lanes(&opt, sc, nnames, &rep, times) < 0)
            goto out;
    } else {
        for (i = 0; i < nnames; i++)
            run_scenario(&opt, &sc[i], &rep, &times[i]);
    }
    time_table(times, nnames, opt.results, now_since(&t_run));

    snprintf(path, sizeof(path), "%s/junit-boot.xml", opt.results);
    if (report_junit(&rep, path) < 0)
        fprintf(stderr, "xp-boot: cannot write %s: %s\n", path,
                strerror(errno));
    report_counts(&rep, &pass, &fail, &skip);
    printf("# boot tests: %u passed, %u failed, %u skipped\n", pass, fail,
           skip);
    rc = fail ? 1 : 0;
    /* Skipped, not failed: the ISO did not fail them.  But they were not
     * tested either, and a run that tested nothing must not pass. */
    unsigned unstarted = 0;
    for (i = 0; i < rep.n; i++)
        if (rep.r[i].verdict == V_SKIP && rep.r[i].message &&
            !strncmp(rep.r[i].message, HOST_PROBLEM, strlen(HOST_PROBLEM)))
            unstarted++;
    if (unstarted) {
        fprintf(stderr,
                "xp-boot: %u of the tests were skipped for a host problem "
                "(the SKIP lines above say which): they tested nothing; fix "
                "what those lines name and run again\n",
                unstarted);
        rc = 1;
    }
out:
    for (i = 0; sc && i < nnames; i++)
        scenario_free(&sc[i]);
    free(sc);
    for (i = 0; names && i < nnames; i++)
        free(names[i]);
    free(names);
    report_free(&rep);
    free(times);
    free(opt.guest_args);
    return rc;
}
