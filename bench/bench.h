/*
 * bench.h: xenplay-bench's results and what is computed from them.
 *
 * The seed talk's benchmarks (slides 30-36): kernbench, pbzip2, a
 * JVM-class workload and iperf, each run natively (the same kernel
 * without Xen) and in a PV, a PVH, an HVM and a PV-on-HVM guest of one
 * size, shown per guest kind as a percentage of native (iperf: Gbit/s).
 *
 * A result set is what one host measured: the hardware, the guests' size,
 * each column's PV-spectrum row (the probe's, tests/guest/probe) and the
 * samples.  It is kept as JSON (bench_json_write, bench_json_read), so a
 * native run and a guest run on another boot make one report.  Nothing
 * here prints but the writers, to the stream they are given; errors are
 * negative errnos, with a message in the caller's buffer where one helps.
 */
#ifndef XENPLAY_BENCH_H
#define XENPLAY_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "spectrum.h"

#define BENCH_MAX_RUNS 64

/* The columns of the report, in its order: native first. */
enum bench_col { COL_NATIVE, COL_PV, COL_PVH, COL_PVHVM, COL_HVM, COL_COUNT };

enum bench_wl { WL_KERNBENCH, WL_PBZIP2, WL_JVM, WL_IPERF, WL_COUNT };

struct bench_wl_info {
    const char *name;  /* "kernbench": in result lines and JSON */
    const char *title; /* the slide's title */
    const char *unit;  /* of a sample: "s", "ops/s", "Gbit/s" */
    bool lower_better; /* time-based */
    bool of_native;    /* shown as a percentage of native */
    int slide;         /* of the seed talk */
};

const struct bench_wl_info *bench_wl(enum bench_wl w);
int bench_wl_parse(const char *s, enum bench_wl *w);

const char *bench_col_name(enum bench_col c);  /* "native", "pv", ... */
const char *bench_col_label(enum bench_col c); /* "native", "PV", ... */
int bench_col_parse(const char *s, enum bench_col *c);
/* The probe's guest kind of a column; -1 for native. */
int bench_col_kind(enum bench_col c);

struct bench_samples {
    int n;
    double v[BENCH_MAX_RUNS];
};

struct bench_stats {
    int n;
    double median, min, max;
    double spread; /* (max - min) / median, in percent */
};

/* -EINVAL when S has no samples; a median of 0 gives a spread of 0. */
int bench_stats(const struct bench_samples *s, struct bench_stats *out);

struct bench_host {
    char cpu[128]; /* model name */
    int sockets;   /* physical packages */
    int cpus;      /* logical CPUs */
    long mem_mib;  /* the machine's memory */
    char vm[32];   /* systemd-detect-virt --vm: the machine is itself a
                    * virtual one ("qemu"): its numbers say nothing of
                    * hardware; "" on bare metal */
    char xen[32];  /* Xen's version, "" natively */
};

struct bench_results {
    struct bench_host host;
    int vcpus;    /* each guest's, and the native run's CPUs */
    long mem_mib; /* each guest's memory */
    bool has_spectrum[COL_COUNT];
    enum level spectrum[COL_COUNT][A_COUNT];
    struct bench_samples s[COL_COUNT][WL_COUNT];
};

/*
 * The machine: `xl info` in dom0 (dom0's own view is its vCPUs), else
 * `lscpu --json` and /proc/meminfo; systemd-detect-virt --vm for VM.
 * Returns 0, or -EIO with what could not be read in ERR.
 */
int bench_host_read(struct bench_host *h, char *err, size_t errlen);
/* Parsers of those tools' output, for the tests: 0 or -EINVAL. */
int bench_host_from_xl_info(const char *text, struct bench_host *h);
int bench_host_from_lscpu(const char *json, struct bench_host *h);

/*
 * A workload's result line, as a guest or the native run prints it:
 *   xenplay-bench: result WORKLOAD VALUE
 * VALUE in the workload's unit, finite and positive.  Returns 0, -ENOENT
 * for a line that is no result line, -EINVAL for a malformed one.
 */
int bench_parse_result(const char *line, enum bench_wl *w, double *value);

/* Add a sample; -ENOSPC past BENCH_MAX_RUNS, -EINVAL when not > 0. */
int bench_add(struct bench_results *r, enum bench_col c, enum bench_wl w,
              double value);

/* The median of column C as a percentage of native's; -ENOENT when
 * either has no samples. */
int bench_of_native(const struct bench_results *r, enum bench_col c,
                    enum bench_wl w, double *pct);

/* Take in every column of FROM that has samples (a native run into a
 * guest run's set, say); FROM's host stays FROM's.  -EINVAL when the
 * two sets' sizes differ. */
int bench_merge(struct bench_results *r, const struct bench_results *from,
                char *err, size_t errlen);

int bench_json_write(const struct bench_results *r, FILE *f);
/* -EINVAL with the reason in ERR for a file that is not a result set. */
int bench_json_read(struct bench_results *r, const char *path, char *err,
                    size_t errlen);

/* The tables of slides 32-35 with the spectrum rows above the columns,
 * and the emulation warning. */
void bench_report(const struct bench_results *r, FILE *f);

/* The chart's data (one line per workload, a column per guest kind) and
 * a gnuplot script that draws it from DATA into OUT (an SVG): a plot of
 * the percentages of native, one of iperf's Gbit/s, each with the guest
 * kinds that have a number in it. */
void bench_chart_data(const struct bench_results *r, FILE *f);
void bench_chart_script(const struct bench_results *r, const char *data,
                        const char *out, FILE *f);

/* The workloads (workloads.c). */
struct bench_size;
/* "full" or "smoke"; NULL for another name. */
const struct bench_size *bench_size_parse(const char *name);

struct bench_opts {
    const struct bench_size *size;
    unsigned mask;            /* 1 << enum bench_wl for each to run */
    int runs;                 /* timed runs of each */
    int jobs;                 /* make -j, pbzip2 -p, Java VMs */
    const char *tree;         /* a kernel tree, read-only */
    const char *scratch;      /* where builds and inputs go */
    const char *h2_jar;       /* jvm: H2's jar */
    const char *iperf_server; /* iperf: dom0's address, or NULL */
    int iperf_port;
    int log_fd;        /* the commands' own output */
    bool prepare_only; /* the untimed steps, no runs */
};

/*
 * Prepare and run each workload of O's mask, printing a result line to
 * OUT for each run ("xenplay-bench: result NAME VALUE") and a line
 * "xenplay-bench: failed NAME: why" for one that cannot run; the
 * samples also go to R's column COL when R is not NULL.  -EIO when one
 * failed (the others still run).
 */
int bench_workloads(const struct bench_opts *o, struct bench_results *r,
                    enum bench_col col, FILE *out);

/* The guests (guests.c). */
struct bench_guest {
    enum bench_col col; /* PV, PVH, PV-on-HVM or HVM */
    int vcpus;
    long mem_mib;
    const char *kit;       /* vmlinuz, initrd.img, root.squashfs: the kit */
    const char *boot_args; /* the kit's for the kind (bench_kit_args) */
    const char *args;      /* xb.* for the guest's /init: size, runs, ... */
    const char *cpus;      /* xl's cpus: the host CPUs it may use; NULL: any */
};

/* The kernel arguments the guest kit's boot-args file at PATH
 * (tests/guest/boot-args) gives kind C: its "all" lines' and C's own,
 * space-separated, into BUF.  0; -ENOENT when it gives none, -E2BIG, or
 * -errno when PATH cannot be read. */
int bench_kit_args(const char *path, enum bench_col c, char *buf, size_t len);

/* "xb-pv", ...: the guest's name in xl. */
const char *bench_guest_name(enum bench_col c);
/* G's xl configuration; -EINVAL for the native column. */
int bench_guest_config(const struct bench_guest *g, FILE *f);
/*
 * What a guest printed on its console (TEXT, xenconsoled's log): its
 * spectrum row and results into R's column COL.  0 when it got to
 * "xenplay-bench: done" and nothing failed; else -EIO with the failures,
 * or the last line of a guest that did not finish, in ERR.
 */
int bench_guest_log(const char *text, struct bench_results *r,
                    enum bench_col col, char *err, size_t errlen);

struct bench_run {
    const char *kit;
    unsigned cols; /* 1 << enum bench_col for each guest kind to run */
    int vcpus;
    long mem_mib;
    const char *args;
    const char *cpus; /* the guests' host CPUs (bench_guest), or NULL */
    int timeout_s;    /* each guest's, from xl create to its power-off */
    int log_fd;       /* xl's and iperf3's messages */
    const char *log;
};

/* Each guest of O's columns in turn, on the guests' own bridge with an
 * iperf3 server in dom0; its results into R, what happens to OUT.  -EIO
 * when one failed (the others still run). */
int bench_guests_run(const struct bench_run *o, struct bench_results *r,
                     FILE *out);

struct bench_native {
    const char *kit; /* its root.squashfs */
    const char *size;
    int runs, jobs;
    const char *only; /* the workloads, as --only names them */
    const char *json; /* where the result set goes */
};

/* The workloads natively, in the kit's root as the guests run them
 * (bench/kit/in-root), into O's JSON; -EINVAL under Xen (a native run
 * needs the kernel alone), -EIO when one failed. */
int bench_native_run(const struct bench_native *o, FILE *out);

/* The jvm workload's size: its transactions, on tables of this many
 * items (and stock) and customers. */
struct bench_jvm_size {
    int transactions;
    int items;
    int customers;
};
/* The jvm workload's SQL script of Z's size. */
int bench_jvm_script(FILE *f, const struct bench_jvm_size *z);
/* iperf3 -J's received rate in Gbit/s; -EINVAL when it has none, with
 * iperf3's own error, if it gave one, in ERR. */
int bench_iperf_gbits(const char *json, double *gbits, char *err,
                      size_t errlen);

#endif
