/*
 * workloads.c: the four workloads, run where this program runs (a guest,
 * or the machine natively), each prepared untimed and then timed RUNS
 * times; every run prints its result line (see bench.h).
 *
 *   kernbench  `make -jN` of a fixed kernel tree (read-only, built out
 *              of tree in the scratch directory) with its defconfig, each
 *              run in a fresh copy of the configured build directory
 *              (what kernbench's untimed `make clean` is for, without
 *              walking the tree again): seconds, as kernbench counts them.
 *              Its targets are the core of the kernel (sizes[] below),
 *              about a seventh of `vmlinux`'s compile work, so that the
 *              default run, fifteen kernbench runs, fits an hour on a
 *              server like the talk's R710 (the README has the
 *              measurements); kbuild's own recursion, the many short
 *              compiler processes, is the same as in a whole build
 *   pbzip2     `pbzip2 -pN` of a fixed input, a tar of that tree made in
 *              the scratch directory: seconds
 *   jvm        N Java VMs at once (one per CPU, as SPECjbb2005's
 *              warehouses scale), each running the same order-entry
 *              transactions (new order, payment, order status, stock
 *              level; TPC-C's mix) on an in-memory H2 database: their
 *              transactions per second, together.  Allocation, garbage
 *              collection and JIT-compiled code over a large heap are what
 *              made SPECjbb2005 tell PV's MMU from nested paging (slide
 *              34); SPECjbb itself cannot be shipped
 *   iperf      `iperf3 -c SERVER` for T seconds: Gbit/s received
 *
 * The sizes: "full" as above; "smoke" the same steps on tiny inputs (one
 * object of the tree, one directory's tar, 10 transactions on smaller
 * tables, two seconds), to prove the machinery under emulation, not to
 * measure.  The smoke's kernbench builds its objects with make -jN from
 * a makefile that holds kbuild's own command for each (their .cmd files,
 * written when kbuild built them at prepare time): kbuild's top Makefile
 * probes the compiler some 30 times on every make, which under emulation
 * was most of the smoke's kernbench (a PV-on-HVM guest: 81 s, now 36 s).
 * One object: each is a compiler run of 9-19 s in a guest under
 * emulation, and one proves the machinery as well as several would.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bench.h"
#include "xp-fs.h"
#include "xp-run.h"

static const struct bench_size {
    const char *name;
    const char *make_config;    /* kernbench's .config, unless it has one */
    const char *const *targets; /* full: kbuild's targets */
    const char *const *objects; /* smoke: these, kbuild's commands */
    const char *tar_dir;        /* pbzip2's input: this part of the tree */
    struct bench_jvm_size jvm;
    int iperf_seconds;
} sizes[] = {
    {"full",
     "defconfig",
     (const char *const[]){"kernel/", "mm/", "lib/", "block/", "ipc/", "init/",
                           NULL},
     NULL,
     ".",
     {20000, 10000, 3000},
     10},
    {"smoke",
     "tinyconfig",
     NULL,
     (const char *const[]){"lib/ctype.o", NULL},
     "Documentation/process",
     {10, 500, 150},
     2},
};

/* The smoke's makefile, in the configured build directory. */
#define KERNBENCH_MK "kernbench.mk"

const struct bench_size *bench_size_parse(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(sizes) / sizeof(*sizes); i++)
        if (!strcmp(name, sizes[i].name))
            return &sizes[i];
    return NULL;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run ARGV to its end, its output to OUT (stderr with it); 0, or -EIO
 * with the command and how it ended in ERR. */
static int run(const struct bench_opts *o, const char *const *argv,
               const char *out_path, char *err, size_t errlen)
{
    struct xp_cmd c = {.argv = argv,
                       .out = out_path ? 0 : o->log_fd,
                       .out_path = out_path,
                       .err = out_path ? o->log_fd : XP_RUN_TO_OUT};
    char cmd[512], how[64];
    int st = xp_cmd_run(&c);

    if (xp_status_ok(st))
        return 0;
    xp_cmd_str(&c, cmd, sizeof(cmd));
    xp_status_str(st, how, sizeof(how));
    snprintf(err, errlen, "%s: %s", cmd, how);
    return st == -ENOENT ? -ENOENT : -EIO;
}

static void jobs_arg(const struct bench_opts *o, char *buf, size_t len)
{
    snprintf(buf, len, "-j%d", o->jobs);
}

/* ARGV, CAP slots whose words end at its first NULL, with LIST's words
 * after them, as many as leave room for the NULL that ends it. */
static void argv_append(const char **argv, size_t cap, const char *const *list)
{
    size_t n = 0;

    while (n < cap - 1 && argv[n])
        n++;
    for (; list && *list && n < cap - 1; list++)
        argv[n++] = *list;
    argv[n] = NULL;
}

/* OBJ's .cmd file in kbuild's build directory: lib/ctype.o's is
 * lib/.ctype.o.cmd. */
static void kbuild_cmd_file(const char *obj, char *buf, size_t len)
{
    const char *base = strrchr(obj, '/');

    base = base ? base + 1 : obj;
    snprintf(buf, len, "%.*s.%s.cmd", (int)(base - obj), obj, base);
}

/* The smoke's makefile in the configured build directory OUT: kbuild
 * builds S's objects once (O=OBJ_ARG), their commands stay in its .cmd
 * files, which the makefile includes, and the objects go, for every run
 * to build them again. */
static int kernbench_objects_mk(const struct bench_opts *o,
                                const struct bench_size *s, const char *out,
                                const char *obj_arg, char *err, size_t errlen)
{
    const char *argv[16] = {"make", "-s", "-C", o->tree, obj_arg};
    char path[4200], tmp[4300], cmd[4300];
    size_t i;
    struct stat st;
    FILE *f;

    argv_append(argv, sizeof(argv) / sizeof(*argv), s->objects);
    if (run(o, argv, NULL, err, errlen) < 0)
        return -EIO;
    snprintf(path, sizeof(path), "%s/" KERNBENCH_MK, out);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        return -EIO;
    }
    fprintf(f, "# xenplay-bench's smoke kernbench (bench/workloads.c): "
               "make -jN of these\n"
               "# objects, each with the command kbuild built it with "
               "(its .cmd file).\n"
               "pound := \\#\nobjs :=");
    for (i = 0; s->objects[i]; i++)
        fprintf(f, " %s", s->objects[i]);
    fprintf(f, "\nall: $(objs)\ninclude");
    for (i = 0; s->objects[i]; i++) {
        kbuild_cmd_file(s->objects[i], cmd, sizeof(cmd));
        snprintf(path, sizeof(path), "%s/%s", out, cmd);
        if (stat(path, &st) < 0) {
            fclose(f);
            snprintf(err, errlen, "kbuild built %s but left no %s",
                     s->objects[i], path);
            return -EIO;
        }
        fprintf(f, " %s", cmd);
    }
    fprintf(f, "\n$(objs):\n\t$(savedcmd_$@)\n");
    if (fclose(f) != 0) {
        snprintf(err, errlen, "cannot write %s", tmp);
        return -EIO;
    }
    for (i = 0; s->objects[i]; i++) {
        snprintf(path, sizeof(path), "%s/%s", out, s->objects[i]);
        if (unlink(path) < 0) {
            snprintf(err, errlen, "cannot remove %s: %s", path,
                     strerror(errno));
            return -EIO;
        }
    }
    snprintf(path, sizeof(path), "%s/" KERNBENCH_MK, out);
    if (rename(tmp, path) < 0) {
        snprintf(err, errlen, "cannot rename %s: %s", tmp, strerror(errno));
        return -EIO;
    }
    return 0;
}

/* SCRATCH/kernbench.base is the configured build directory, copied to
 * SCRATCH/kernbench for each run; one already there (a guest kit brings
 * it, configured at native speed) is kept. */
static int kernbench_prepare(const struct bench_opts *o,
                             const struct bench_size *s, char *err,
                             size_t errlen)
{
    char out[4096], obj[4100], path[4200];
    struct stat st;
    const char *const make[] = {"make", "-s",           "-C", o->tree,
                                obj,    s->make_config, NULL};
    int rc;

    snprintf(out, sizeof(out), "%s/kernbench.base", o->scratch);
    snprintf(obj, sizeof(obj), "O=%s", out);
    if (xp_mkdir_p(out, 0) < 0) {
        snprintf(err, errlen, "cannot make %s: %s", out, strerror(errno));
        return -EIO;
    }
    snprintf(path, sizeof(path), "%s/.config", out);
    if (stat(path, &st) < 0 && (rc = run(o, make, NULL, err, errlen)) < 0)
        return rc;
    if (!s->objects)
        return 0;
    snprintf(path, sizeof(path), "%s/" KERNBENCH_MK, out);
    if (stat(path, &st) == 0)
        return 0;
    return kernbench_objects_mk(o, s, out, obj, err, errlen);
}

static int kernbench_run(const struct bench_opts *o, const struct bench_size *s,
                         double *value, char *err, size_t errlen)
{
    char dir[4096], base[4100], obj[4100], jobs[16];
    const char *const clean[] = {"rm", "-rf", dir, NULL};
    const char *const copy[] = {"cp", "-a", base, dir, NULL};
    const char *kbuild[16] = {"make", "-s", "-C", o->tree, obj, jobs};
    const char *const objects[] = {"make", "-s",         "-C", dir,
                                   "-f",   KERNBENCH_MK, jobs, NULL};
    double t0;
    int rc;

    snprintf(dir, sizeof(dir), "%s/kernbench", o->scratch);
    snprintf(base, sizeof(base), "%s.base", dir);
    snprintf(obj, sizeof(obj), "O=%s", dir);
    jobs_arg(o, jobs, sizeof(jobs));
    argv_append(kbuild, sizeof(kbuild) / sizeof(*kbuild), s->targets);
    if ((rc = run(o, clean, NULL, err, errlen)) < 0 ||
        (rc = run(o, copy, NULL, err, errlen)) < 0)
        return rc;
    t0 = now();
    if ((rc = run(o, s->objects ? objects : kbuild, NULL, err, errlen)) < 0)
        return rc;
    *value = now() - t0;
    return 0;
}

static int pbzip2_prepare(const struct bench_opts *o,
                          const struct bench_size *s, char *err, size_t errlen)
{
    char tar[4096];
    /* Sorted names, fixed owners and dates: the same input every time. */
    const char *const argv[] = {"tar",        "-c",        "--sort=name",
                                "--owner=0",  "--group=0", "--numeric-owner",
                                "--mtime=@0", "-C",        o->tree,
                                s->tar_dir,   NULL};

    snprintf(tar, sizeof(tar), "%s/pbzip2-input.tar", o->scratch);
    return run(o, argv, tar, err, errlen);
}

static int pbzip2_run(const struct bench_opts *o, const struct bench_size *s,
                      double *value, char *err, size_t errlen)
{
    char tar[4096], procs[16];
    const char *const argv[] = {"pbzip2", procs, "-c", "-k", tar, NULL};
    struct xp_cmd c = {.argv = argv, .out = XP_RUN_NULL, .err = o->log_fd};
    char cmd[512], how[64];
    double t0;
    int st;

    (void)s;
    snprintf(tar, sizeof(tar), "%s/pbzip2-input.tar", o->scratch);
    snprintf(procs, sizeof(procs), "-p%d", o->jobs);
    t0 = now();
    st = xp_cmd_run(&c);
    if (!xp_status_ok(st)) {
        xp_cmd_str(&c, cmd, sizeof(cmd));
        xp_status_str(st, how, sizeof(how));
        snprintf(err, errlen, "%s: %s", cmd, how);
        return -EIO;
    }
    *value = now() - t0;
    return 0;
}

/* A fixed pseudo-random sequence (the same script on every host). */
static uint32_t next(uint32_t *x)
{
    *x = *x * 1103515245u + 12345u;
    return (*x >> 8) % 1000003u;
}

/* The order-entry script: the tables, then Z's transactions of TPC-C's
 * mix (45 new order, 43 payment, 4 order status, 8 stock level). */
int bench_jvm_script(FILE *f, const struct bench_jvm_size *z)
{
    uint32_t x = 20261204;
    int t, o = 0;

    fprintf(f,
            "CREATE TABLE item(i_id INT PRIMARY KEY, i_price DECIMAL(7,2), "
            "i_name VARCHAR(24));\n"
            "CREATE TABLE stock(s_i_id INT PRIMARY KEY, s_quantity INT, "
            "s_ytd INT, s_order_cnt INT);\n"
            "CREATE TABLE customer(c_id INT PRIMARY KEY, c_balance "
            "DECIMAL(12,2), c_ytd DECIMAL(12,2), c_cnt INT);\n"
            "CREATE TABLE orders(o_id INT PRIMARY KEY, o_c_id INT, "
            "o_ol_cnt INT);\n"
            "CREATE INDEX orders_c ON orders(o_c_id);\n"
            "CREATE TABLE order_line(ol_o_id INT, ol_number INT, ol_i_id "
            "INT, ol_quantity INT, ol_amount DECIMAL(9,2), "
            "PRIMARY KEY(ol_o_id, ol_number));\n"
            "INSERT INTO item SELECT X, MOD(X * 7919, 10000) / 100.0 + 1, "
            "'item' || X FROM SYSTEM_RANGE(1, %d);\n"
            "INSERT INTO stock SELECT X, 50 + MOD(X, 50), 0, 0 FROM "
            "SYSTEM_RANGE(1, %d);\n"
            "INSERT INTO customer SELECT X, 0, 0, 0 FROM "
            "SYSTEM_RANGE(1, %d);\n",
            z->items, z->items, z->customers);
    for (t = 0; t < z->transactions; t++) {
        unsigned kind = next(&x) % 100,
                 c = 1 + next(&x) % (unsigned)z->customers;

        if (kind < 45) {
            unsigned lines = 5 + next(&x) % 11, k;

            o++;
            fprintf(f, "INSERT INTO orders VALUES(%d, %u, %u);\n", o, c, lines);
            for (k = 1; k <= lines; k++) {
                unsigned i = 1 + next(&x) % (unsigned)z->items,
                         q = 1 + next(&x) % 10;

                fprintf(f,
                        "UPDATE stock SET s_quantity = CASE WHEN "
                        "s_quantity >= %u THEN s_quantity - %u ELSE "
                        "s_quantity - %u + 91 END, s_ytd = s_ytd + %u, "
                        "s_order_cnt = s_order_cnt + 1 WHERE s_i_id = %u;\n"
                        "INSERT INTO order_line SELECT %d, %u, i_id, %u, "
                        "%u * i_price FROM item WHERE i_id = %u;\n",
                        q + 10, q, q, q, i, o, k, q, q, i);
            }
        } else if (kind < 88) {
            unsigned cents = 100 + next(&x) % 500000;

            fprintf(f,
                    "UPDATE customer SET c_balance = c_balance - %u.%02u, "
                    "c_ytd = c_ytd + %u.%02u, c_cnt = c_cnt + 1 WHERE "
                    "c_id = %u;\n",
                    cents / 100, cents % 100, cents / 100, cents % 100, c);
        } else if (kind < 92)
            fprintf(f,
                    "SELECT ol_i_id, ol_quantity, ol_amount FROM order_line "
                    "WHERE ol_o_id = (SELECT MAX(o_id) FROM orders WHERE "
                    "o_c_id = %u);\n",
                    c);
        else
            fprintf(f,
                    "SELECT COUNT(DISTINCT s_i_id) FROM order_line JOIN "
                    "stock ON s_i_id = ol_i_id WHERE ol_o_id > %d AND "
                    "s_quantity < 15;\n",
                    o - 20);
    }
    return ferror(f) ? -EIO : 0;
}

/* The java command of one VM: H2's RunScript of SCRIPT on an in-memory
 * database named URL, with FLAG (a class-data sharing option) if any. */
static void jvm_argv(const struct bench_opts *o, const char *flag,
                     const char *url, const char *script, const char *argv[12])
{
    int n = 0;

    argv[n++] = "java";
    if (flag)
        argv[n++] = flag;
    argv[n++] = "-Xmx256m";
    argv[n++] = "-cp";
    argv[n++] = o->h2_jar;
    argv[n++] = "org.h2.tools.RunScript";
    argv[n++] = "-url";
    argv[n++] = url;
    argv[n++] = "-script";
    argv[n++] = script;
    argv[n] = NULL;
}

/* The jvm workload's class-data archive, in the scratch directory. */
static void jvm_archive_path(const struct bench_opts *o, char *buf, size_t len)
{
    snprintf(buf, len, "%s/jvm.jsa", o->scratch);
}

/* SCRATCH/jvm.jsa: H2's classes as the JVM has loaded and verified them
 * (class-data sharing, CDS), dumped by one run of SCRIPT when the root is
 * made (--prepare), and mapped by every timed run, which would otherwise
 * spend a JVM start in reading them out of the jar: 40% of the smoke's
 * run on one CPU natively, more under emulation.  It is the run's start
 * that it shortens, not its transactions. */
static int jvm_archive(const struct bench_opts *o, const char *script,
                       char *err, size_t errlen)
{
    char jsa[4096], flag[4200];
    const char *argv[12];
    struct stat st;
    int rc;

    jvm_archive_path(o, jsa, sizeof(jsa));
    if (stat(jsa, &st) == 0)
        return 0;
    snprintf(flag, sizeof(flag), "-XX:ArchiveClassesAtExit=%s", jsa);
    jvm_argv(o, flag, "jdbc:h2:mem:archive", script, argv);
    if ((rc = run(o, argv, NULL, err, errlen)) < 0)
        return rc;
    if (stat(jsa, &st) < 0) {
        snprintf(err, errlen, "java -XX:ArchiveClassesAtExit wrote no %s", jsa);
        return -EIO;
    }
    return 0;
}

static int jvm_prepare(const struct bench_opts *o, const struct bench_size *s,
                       char *err, size_t errlen)
{
    char path[4096];
    FILE *f;
    int rc;

    snprintf(path, sizeof(path), "%s/jvm-order-entry.sql", o->scratch);
    f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -EIO;
    }
    rc = bench_jvm_script(f, &s->jvm);
    if (fclose(f) != 0 || rc < 0) {
        snprintf(err, errlen, "cannot write %s", path);
        return -EIO;
    }
    return o->prepare_only ? jvm_archive(o, path, err, errlen) : 0;
}

static int jvm_run(const struct bench_opts *o, const struct bench_size *s,
                   double *value, char *err, size_t errlen)
{
    char script[4096], url[8][64], how[64], cmd[512], jsa[4096], flag[4200];
    const char *argv[8][12];
    struct xp_cmd c[8];
    struct stat sb;
    pid_t pid[8];
    int i, n = o->jobs > 8 ? 8 : o->jobs, st, rc = 0, shared;
    double t0;

    snprintf(script, sizeof(script), "%s/jvm-order-entry.sql", o->scratch);
    jvm_archive_path(o, jsa, sizeof(jsa));
    snprintf(flag, sizeof(flag), "-XX:SharedArchiveFile=%s", jsa);
    shared = stat(jsa, &sb) == 0;
    for (i = 0; i < n; i++) {
        snprintf(url[i], sizeof(url[i]), "jdbc:h2:mem:warehouse%d", i);
        jvm_argv(o, shared ? flag : NULL, url[i], script, argv[i]);
        c[i] = (struct xp_cmd){.argv = argv[i],
                               .out = o->log_fd,
                               .err = XP_RUN_TO_OUT,
                               .die_with_parent = 1};
    }
    t0 = now();
    for (i = 0; i < n; i++)
        pid[i] = xp_cmd_start(&c[i]);
    for (i = 0; i < n; i++) {
        if (pid[i] < 0) {
            st = pid[i];
        } else if (waitpid(pid[i], &st, 0) < 0)
            st = -errno;
        if (!xp_status_ok(st) && !rc) {
            xp_cmd_str(&c[i], cmd, sizeof(cmd));
            xp_status_str(st, how, sizeof(how));
            snprintf(err, errlen, "%s: %s", cmd, how);
            rc = -EIO;
        }
    }
    if (rc)
        return rc;
    *value = (double)n * s->jvm.transactions / (now() - t0);
    return 0;
}

static int iperf_prepare(const struct bench_opts *o, const struct bench_size *s,
                         char *err, size_t errlen)
{
    (void)s;
    if (!o->iperf_server) {
        snprintf(err, errlen, "no iperf3 server (--iperf-server ADDR)");
        return -ENOENT;
    }
    return 0;
}

/* iperf3 -J's end.sum_received.bits_per_second, in Gbit/s; else its
 * "error" into ERR. */
int bench_iperf_gbits(const char *json, double *gbits, char *err, size_t errlen)
{
    json_t *root = json_loads(json, 0, NULL);
    json_t *bps = json_object_get(
        json_object_get(json_object_get(root, "end"), "sum_received"),
        "bits_per_second");
    const char *why = json_string_value(json_object_get(root, "error"));
    int rc = -EINVAL;

    if (json_is_number(bps) && json_number_value(bps) > 0) {
        *gbits = json_number_value(bps) / 1e9;
        rc = 0;
    } else
        snprintf(err, errlen, "%s",
                 why    ? why
                 : root ? "no end.sum_received.bits_per_second in its JSON"
                        : "its output is not JSON");
    json_decref(root);
    return rc;
}

static int iperf_run(const struct bench_opts *o, const struct bench_size *s,
                     double *value, char *err, size_t errlen)
{
    char secs[16], port[16], how[64], why[256];
    const char *const argv[] = {
        "iperf3", "-c", o->iperf_server, "-p", port, "-t", secs, "-J", NULL};
    const size_t len = 1 << 20;
    char *out = malloc(len);
    struct xp_cmd c = {.argv = argv,
                       .capture = out,
                       .capture_len = len,
                       .err = o->log_fd,
                       .timeout_ms = (unsigned)(s->iperf_seconds + 60) * 1000};
    int st, rc = -EIO;

    if (!out)
        return -ENOMEM;
    snprintf(secs, sizeof(secs), "%d", s->iperf_seconds);
    snprintf(port, sizeof(port), "%d", o->iperf_port);
    st = xp_cmd_run(&c);
    if (!xp_status_ok(st)) {
        /* iperf3 -J says why in its JSON ("error"), on stdout. */
        xp_status_str(st, how, sizeof(how));
        why[0] = '\0';
        if (bench_iperf_gbits(out, value, why, sizeof(why)) == 0)
            why[0] = '\0';
        snprintf(err, errlen, "iperf3 -c %s -p %d: %s%s%s", o->iperf_server,
                 o->iperf_port, how, why[0] ? ": " : "", why);
    } else if (bench_iperf_gbits(out, value, why, sizeof(why)) < 0)
        snprintf(err, errlen, "iperf3 -c %s -p %d: %s", o->iperf_server,
                 o->iperf_port, why);
    else
        rc = 0;
    free(out);
    return rc;
}

static const struct {
    int (*prepare)(const struct bench_opts *, const struct bench_size *, char *,
                   size_t);
    int (*run)(const struct bench_opts *, const struct bench_size *, double *,
               char *, size_t);
} wl_fns[WL_COUNT] = {
    [WL_KERNBENCH] = {kernbench_prepare, kernbench_run},
    [WL_PBZIP2] = {pbzip2_prepare, pbzip2_run},
    [WL_JVM] = {jvm_prepare, jvm_run},
    [WL_IPERF] = {iperf_prepare, iperf_run},
};

int bench_workloads(const struct bench_opts *o, struct bench_results *r,
                    enum bench_col col, FILE *out)
{
    char err[1024];
    int w, i, failed = 0;

    for (w = 0; w < WL_COUNT; w++) {
        const char *name = bench_wl(w)->name;

        if (!(o->mask & (1u << w)))
            continue;
        err[0] = '\0';
        if (wl_fns[w].prepare(o, o->size, err, sizeof(err)) < 0) {
            fprintf(out, "xenplay-bench: failed %s: %s\n", name, err);
            fflush(out);
            failed++;
            continue;
        }
        for (i = 0; i < (o->prepare_only ? 0 : o->runs); i++) {
            double v;

            if (wl_fns[w].run(o, o->size, &v, err, sizeof(err)) < 0) {
                fprintf(out, "xenplay-bench: failed %s: %s\n", name, err);
                failed++;
                break;
            }
            fprintf(out, "xenplay-bench: result %s %.6g\n", name, v);
            fflush(out);
            if (r)
                bench_add(r, col, w, v);
        }
    }
    return failed ? -EIO : 0;
}
