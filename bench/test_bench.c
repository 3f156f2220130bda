/*
 * test_bench.c: xenplay-bench's statistics, result lines, result sets as
 * JSON, the tables, and the chart drawn by the real gnuplot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "bench.h"
#include "xp-run.h"

static struct bench_samples samples(int n, const double *v)
{
    struct bench_samples s = {.n = n};

    memcpy(s.v, v, (size_t)n * sizeof(*v));
    return s;
}

static void test_stats_odd_even(void **state)
{
    static const double odd[] = {30, 10, 20}, even[] = {4, 1, 3, 2};
    struct bench_samples s = samples(3, odd);
    struct bench_stats st;

    (void)state;
    assert_int_equal(bench_stats(&s, &st), 0);
    assert_int_equal(st.n, 3);
    assert_true(st.median == 20 && st.min == 10 && st.max == 30);
    assert_true(fabs(st.spread - 100) < 1e-9);
    /* The samples keep their order (they are the runs, in order). */
    assert_true(s.v[0] == 30 && s.v[1] == 10);

    s = samples(4, even);
    assert_int_equal(bench_stats(&s, &st), 0);
    assert_true(st.median == 2.5);
    assert_true(fabs(st.spread - 120) < 1e-9);

    s.n = 0;
    assert_int_equal(bench_stats(&s, &st), -EINVAL);
}

static void test_parse_result(void **state)
{
    enum bench_wl w;
    double v;

    (void)state;
    assert_int_equal(
        bench_parse_result("xenplay-bench: result kernbench 612.5", &w, &v), 0);
    assert_int_equal(w, WL_KERNBENCH);
    assert_true(v == 612.5);
    /* A guest's console line, as xenconsoled stamps it. */
    assert_int_equal(bench_parse_result("[2026-12-04 23:00:01] xenplay-bench: "
                                        "result iperf 7.25\r",
                                        &w, &v),
                     0);
    assert_int_equal(w, WL_IPERF);
    assert_int_equal(bench_parse_result("xp-guest: verdict ok", &w, &v),
                     -ENOENT);
    assert_int_equal(
        bench_parse_result("xenplay-bench: result specjbb 1000", &w, &v),
        -EINVAL);
    assert_int_equal(
        bench_parse_result("xenplay-bench: result pbzip2 12 s", &w, &v),
        -EINVAL);
    assert_int_equal(
        bench_parse_result("xenplay-bench: result pbzip2 -3", &w, &v), -EINVAL);
    assert_int_equal(
        bench_parse_result("xenplay-bench: result pbzip2 nan", &w, &v),
        -EINVAL);
    assert_int_equal(
        bench_parse_result("xenplay-bench: result pbzip2 inf", &w, &v),
        -EINVAL);
    assert_int_equal(bench_parse_result("xenplay-bench: result pbzip2", &w, &v),
                     -EINVAL);
}

static void test_add_limits(void **state)
{
    static struct bench_results r;
    int i;

    (void)state;
    memset(&r, 0, sizeof(r));
    for (i = 0; i < BENCH_MAX_RUNS; i++)
        assert_int_equal(bench_add(&r, COL_PV, WL_JVM, 1 + i), 0);
    assert_int_equal(bench_add(&r, COL_PV, WL_JVM, 1), -ENOSPC);
    assert_int_equal(bench_add(&r, COL_PV, WL_PBZIP2, 0), -EINVAL);
    assert_int_equal(bench_add(&r, COL_COUNT, WL_PBZIP2, 1), -EINVAL);
}

/* A set as a host would measure it: native, PV and HVM ran; PVH and
 * PV-on-HVM did not. */
static void fill(struct bench_results *r, const char *vm)
{
    static const enum level pv[A_COUNT] = {L_PARAVIRT, L_PARAVIRT, L_PARAVIRT,
                                           L_PARAVIRT, L_PARAVIRT, L_PARAVIRT,
                                           L_PARAVIRT, L_PARAVIRT};

    memset(r, 0, sizeof(*r));
    snprintf(r->host.cpu, sizeof(r->host.cpu), "%s",
             "Intel(R) Xeon(R) CPU E5520 @ 2.27GHz");
    r->host.sockets = 2;
    r->host.cpus = 16;
    r->host.mem_mib = 22528;
    snprintf(r->host.vm, sizeof(r->host.vm), "%s", vm);
    snprintf(r->host.xen, sizeof(r->host.xen), "%s", "4.20.5");
    r->vcpus = 8;
    r->mem_mib = 8192;
    bench_add(r, COL_NATIVE, WL_KERNBENCH, 100);
    bench_add(r, COL_NATIVE, WL_KERNBENCH, 104);
    bench_add(r, COL_NATIVE, WL_KERNBENCH, 102);
    bench_add(r, COL_PV, WL_KERNBENCH, 110);
    bench_add(r, COL_PV, WL_KERNBENCH, 112);
    bench_add(r, COL_PV, WL_KERNBENCH, 111);
    bench_add(r, COL_HVM, WL_KERNBENCH, 130);
    bench_add(r, COL_NATIVE, WL_JVM, 50000);
    bench_add(r, COL_PV, WL_JVM, 40000);
    bench_add(r, COL_PV, WL_IPERF, 7.5);
    r->has_spectrum[COL_PV] = true;
    memcpy(r->spectrum[COL_PV], pv, sizeof(pv));
}

static void test_of_native(void **state)
{
    static struct bench_results r;
    double pct;

    (void)state;
    fill(&r, "");
    assert_int_equal(bench_of_native(&r, COL_PV, WL_KERNBENCH, &pct), 0);
    assert_true(fabs(pct - 111.0 / 102 * 100) < 1e-9);
    assert_int_equal(bench_of_native(&r, COL_PV, WL_JVM, &pct), 0);
    assert_true(fabs(pct - 80) < 1e-9);
    assert_int_equal(bench_of_native(&r, COL_PVH, WL_KERNBENCH, &pct), -ENOENT);
    assert_int_equal(bench_of_native(&r, COL_PV, WL_IPERF, &pct), -ENOENT);
}

static char dir[64];

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int remove_tmp(void **state)
{
    (void)state;
    return dir[0] ? nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS) : 0;
}

static char *tmp_path(const char *name)
{
    char *p;

    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "/tmp/test-bench.XXXXXX");
        assert_non_null(mkdtemp(dir));
    }
    assert_true(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void test_json_round_trip(void **state)
{
    static struct bench_results r, back;
    char *path = tmp_path("round.json"), err[256] = "";
    FILE *f;
    int c, w;

    (void)state;
    fill(&r, "qemu");
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(bench_json_write(&r, f), 0);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(bench_json_read(&back, path, err, sizeof(err)), 0);
    assert_string_equal(back.host.cpu, r.host.cpu);
    assert_string_equal(back.host.xen, "4.20.5");
    assert_string_equal(back.host.vm, "qemu");
    assert_int_equal(back.host.sockets, 2);
    assert_int_equal(back.host.mem_mib, 22528);
    assert_int_equal(back.vcpus, 8);
    assert_int_equal(back.mem_mib, 8192);
    for (c = 0; c < COL_COUNT; c++) {
        assert_int_equal(back.has_spectrum[c], r.has_spectrum[c]);
        for (w = 0; w < WL_COUNT; w++) {
            assert_int_equal(back.s[c][w].n, r.s[c][w].n);
            assert_memory_equal(back.s[c][w].v, r.s[c][w].v,
                                (size_t)r.s[c][w].n * sizeof(double));
        }
    }
    assert_memory_equal(back.spectrum[COL_PV], r.spectrum[COL_PV],
                        sizeof(r.spectrum[COL_PV]));
    free(path);
}

/* What a bad file says: the file, and what is wrong in it. */
static void expect_read_error(const char *name, const char *text,
                              const char *want)
{
    static struct bench_results r;
    char *path = tmp_path(name), err[512] = "";

    write_text(path, text);
    assert_int_equal(bench_json_read(&r, path, err, sizeof(err)), -EINVAL);
    if (!strstr(err, want) || !strstr(err, path))
        fail_msg("%s: said '%s', not '%s'", name, err, want);
    free(path);
}

#define HEAD                                                                   \
    "{\"tool\": \"xenplay-bench\", \"version\": 1, \"host\": {\"cpu\": "       \
    "\"x\", \"sockets\": 1, \"cpus\": 2, \"memory_mib\": 4096, "               \
    "\"vm\": \"qemu\", \"xen\": \"\"}, \"guest\": {\"vcpus\": 1, "             \
    "\"memory_mib\": 512}, "

static void test_json_errors(void **state)
{
    (void)state;
    expect_read_error("broken.json", "{\"tool\": \n", "broken.json:2:");
    expect_read_error("other.json", "{\"tool\": \"fio\"}",
                      "not a xenplay-bench result set");
    expect_read_error("newer.json",
                      "{\"tool\": \"xenplay-bench\", \"version\": 2, "
                      "\"host\": {\"cpu\": \"x\", \"sockets\": 1, \"cpus\": "
                      "2, \"memory_mib\": 1, \"vm\": \"\", \"xen\": "
                      "\"\"}, \"guest\": {\"vcpus\": 1, \"memory_mib\": 1}, "
                      "\"columns\": {}}",
                      "run the benchmark again");
    expect_read_error("column.json", HEAD "\"columns\": {\"kvm\": {}}}",
                      "unknown column 'kvm'");
    expect_read_error("workload.json",
                      HEAD "\"columns\": {\"pv\": {\"workloads\": "
                           "{\"specjbb\": {\"samples\": [1]}}}}}",
                      "unknown workload 'specjbb'");
    expect_read_error("sample.json",
                      HEAD "\"columns\": {\"pv\": {\"workloads\": "
                           "{\"pbzip2\": {\"samples\": [1, -2]}}}}}",
                      "pbzip2 sample 2: not a positive number");
    expect_read_error("empty.json",
                      HEAD "\"columns\": {\"pv\": {\"workloads\": "
                           "{\"pbzip2\": {\"samples\": []}}}}}",
                      "pbzip2 has no samples");
    expect_read_error("row.json",
                      HEAD "\"columns\": {\"pv\": {\"spectrum\": "
                           "{\"boot\": \"paravirtualized\"}}}}",
                      "spectrum row memory is missing");
}

static void test_merge(void **state)
{
    static struct bench_results guests, native;
    char err[256] = "";
    double pct;

    (void)state;
    fill(&guests, "");
    memset(guests.s[COL_NATIVE], 0, sizeof(guests.s[COL_NATIVE]));
    memset(&native, 0, sizeof(native));
    native.vcpus = 8;
    native.mem_mib = 8192;
    bench_add(&native, COL_NATIVE, WL_KERNBENCH, 100);
    assert_int_equal(bench_merge(&guests, &native, err, sizeof(err)), 0);
    assert_int_equal(bench_of_native(&guests, COL_PV, WL_KERNBENCH, &pct), 0);
    assert_true(fabs(pct - 111) < 1e-9);
    /* The columns the native run did not have stay the guests'. */
    assert_int_equal(guests.s[COL_PV][WL_KERNBENCH].n, 3);

    native.vcpus = 4;
    assert_int_equal(bench_merge(&guests, &native, err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, "same --vcpus and --memory"));
}

static char *report_of(const struct bench_results *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    assert_non_null(f);
    bench_report(r, f);
    assert_int_equal(fclose(f), 0);
    return text;
}

static void expect_line(const char *text, const char *line)
{
    const char *p = text;
    size_t n = strlen(line);

    for (; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (!strncmp(p, line, n) && (p[n] == '\n' || p[n] == '\0'))
            return;
    fprintf(stderr, "%s", text);
    fail_msg("no line '%s' in the report above", line);
}

static void test_report(void **state)
{
    static struct bench_results r;
    char *text;

    (void)state;
    fill(&r, "");
    text = report_of(&r);
    expect_line(text, "xenplay-bench on Intel(R) Xeon(R) CPU E5520 @ 2.27GHz: "
                      "2 sockets, 16 CPUs, 22528 MiB, Xen 4.20.5");
    expect_line(text, "                     native         PV        PVH  "
                      "PV-on-HVM        HVM");
    expect_line(text, "boot                      -          P          -    "
                      "      -          -");
    expect_line(text, "Kernbench: percentage of native, lower is better "
                      "(slide 32)");
    expect_line(text, "% of native           100.0      108.8          -    "
                      "      -      127.5");
    expect_line(text, "median (s)           102.00     111.00          -    "
                      "      -     130.00");
    expect_line(text, "spread (%)              3.9        1.8          -    "
                      "      -        0.0");
    expect_line(text, "runs                      3          3          -    "
                      "      -          1");
    expect_line(text, "JVM throughput (in SPECjbb2005's place): percentage "
                      "of native, higher is better (slide 34)");
    expect_line(text, "iperf TCP, guest to dom0: Gbit/s, higher is better "
                      "(slide 35)");
    expect_line(text, "median (Gbit/s)           -       7.50          -    "
                      "      -          -");
    assert_null(strstr(text, "WARNING"));
    free(text);

    snprintf(r.host.vm, sizeof(r.host.vm), "qemu");
    r.host.xen[0] = '\0';
    text = report_of(&r);
    assert_non_null(strstr(text, "WARNING: this host is itself a virtual "
                                 "machine (qemu)"));
    assert_null(strstr(text, ", Xen "));
    free(text);
}

/* The chart as gnuplot draws it from the files xenplay-bench writes: an
 * SVG document with the guest kinds in its key. */
static void test_chart(void **state)
{
    static struct bench_results r;
    char *data = tmp_path("chart.dat"), *script = tmp_path("chart.gp");
    char *svg = tmp_path("it's a chart.svg"), how[128];
    const char *argv[] = {"gnuplot", script, NULL};
    struct xp_cmd cmd = {
        .argv = argv, .err = XP_RUN_INHERIT, .timeout_ms = 60000};
    xmlDocPtr doc;
    xmlNodePtr root;
    FILE *f;
    int rc;

    (void)state;
    fill(&r, "qemu");
    f = fopen(data, "w");
    assert_non_null(f);
    bench_chart_data(&r, f);
    assert_int_equal(fclose(f), 0);
    f = fopen(script, "w");
    assert_non_null(f);
    bench_chart_script(&r, data, svg, f);
    assert_int_equal(fclose(f), 0);
    rc = xp_cmd_run(&cmd);
    xp_status_str(rc, how, sizeof(how));
    if (!xp_status_ok(rc))
        fail_msg("gnuplot %s: %s", script, how);
    doc = xmlReadFile(svg, NULL, XML_PARSE_NONET | XML_PARSE_NOWARNING);
    assert_non_null(doc);
    root = xmlDocGetRootElement(doc);
    assert_non_null(root);
    assert_string_equal((const char *)root->name, "svg");
    xmlFreeDoc(doc);
    f = fopen(svg, "r");
    {
        char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof(buf) - 1, f);

        buf[n] = '\0';
        /* fill() has numbers for PV and HVM only. */
        assert_non_null(strstr(buf, ">HVM<"));
        assert_non_null(strstr(buf, ">PV<"));
        assert_null(strstr(buf, "PV-on-HVM"));
        assert_non_null(strstr(buf, ">kernbench<"));
    }
    fclose(f);
    free(data);
    free(script);
    free(svg);
}

static char *fixture(const char *name)
{
    char path[512], *text;
    FILE *f;
    long n;

    snprintf(path, sizeof(path), "%s/%s", BENCH_FIXTURES, name);
    f = fopen(path, "r");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    text = calloc(1, (size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return text;
}

/* dom0 on r710-ci under TCG (one CPU, 4 GiB), as xl info printed it. */
static void test_host_xl_info(void **state)
{
    struct bench_host h = {0};
    char *text = fixture("host/xl-info-r710-ci.txt"), *p;

    (void)state;
    assert_int_equal(bench_host_from_xl_info(text, &h), 0);
    assert_int_equal(h.cpus, 1);
    assert_int_equal(h.sockets, 1);
    assert_int_equal(h.mem_mib, 4095);
    assert_string_equal(h.xen, "4.20.5-pre");
    /* Without total_memory it is not the machine's whole story. */
    p = strstr(text, "total_memory");
    assert_non_null(p);
    p[0] = 'X';
    assert_int_equal(bench_host_from_xl_info(text, &h), -EINVAL);
    free(text);
}

static void test_host_lscpu(void **state)
{
    struct bench_host h = {0};
    char *flat = fixture("host/lscpu-bookworm-bhyve.json");
    char *nested = fixture("host/lscpu-nested.json");

    (void)state;
    assert_int_equal(bench_host_from_lscpu(flat, &h), 0);
    assert_string_equal(h.cpu, "AMD EPYC");
    assert_int_equal(h.cpus, 2);
    assert_int_equal(h.sockets, 1);
    memset(&h, 0, sizeof(h));
    assert_int_equal(bench_host_from_lscpu(nested, &h), 0);
    assert_string_equal(h.cpu, "Intel(R) Xeon(R) CPU E5520 @ 2.27GHz");
    assert_int_equal(h.cpus, 16);
    assert_int_equal(h.sockets, 2);
    assert_int_equal(bench_host_from_lscpu("{\"lscpu\": []}", &h), -EINVAL);
    assert_int_equal(bench_host_from_lscpu("not json", &h), -EINVAL);
    free(flat);
    free(nested);
}

/* This build machine, read with the real lscpu and systemd-detect-virt. */
static void test_host_read(void **state)
{
    struct bench_host h;
    char err[256] = "";
    long cpus = sysconf(_SC_NPROCESSORS_CONF);
    long mib = sysconf(_SC_PHYS_PAGES) / 1024 * sysconf(_SC_PAGESIZE) / 1024;

    (void)state;
    if (bench_host_read(&h, err, sizeof(err)) < 0)
        fail_msg("%s", err);
    assert_true(h.cpu[0] != '\0');
    assert_int_equal(h.cpus, cpus);
    assert_true(h.sockets >= 1 && h.sockets <= h.cpus);
    assert_true(h.mem_mib > mib * 9 / 10 && h.mem_mib <= mib + 1);
}

/* iperf3 3.12's -J output: a second over loopback, and a refused
 * connection (which it reports with exit status 0). */
static void test_iperf_json(void **state)
{
    char *ok = fixture("iperf/loopback-1s.json");
    char *refused = fixture("iperf/refused.json"), err[256] = "";
    double gbits = 0;

    (void)state;
    assert_int_equal(bench_iperf_gbits(ok, &gbits, err, sizeof(err)), 0);
    assert_true(fabs(gbits - 20.655909529) < 1e-6);
    assert_int_equal(bench_iperf_gbits(refused, &gbits, err, sizeof(err)),
                     -EINVAL);
    assert_string_equal(err, "unable to connect to server: Connection refused");
    assert_int_equal(bench_iperf_gbits("{}", &gbits, err, sizeof(err)),
                     -EINVAL);
    assert_non_null(strstr(err, "no end.sum_received.bits_per_second"));
    assert_int_equal(
        bench_iperf_gbits("iperf3: error", &gbits, err, sizeof(err)), -EINVAL);
    assert_string_equal(err, "its output is not JSON");
    free(ok);
    free(refused);
}

/* The order-entry script is the same on every host: its statements,
 * counted by kind, for a fixed number of transactions. */
static void test_jvm_script(void **state)
{
    const struct bench_jvm_size z = {1000, 500, 150};
    char *a = NULL, *b = NULL, *p;
    size_t alen, blen;
    FILE *f;
    int orders = 0, payments = 0, selects = 0;

    (void)state;
    f = open_memstream(&a, &alen);
    assert_int_equal(bench_jvm_script(f, &z), 0);
    fclose(f);
    f = open_memstream(&b, &blen);
    assert_int_equal(bench_jvm_script(f, &z), 0);
    fclose(f);
    assert_int_equal(alen, blen);
    assert_memory_equal(a, b, alen);
    for (p = a; (p = strchr(p, '\n')); p++) {
        if (!strncmp(p + 1, "INSERT INTO orders ", 19))
            orders++;
        else if (!strncmp(p + 1, "UPDATE customer ", 16))
            payments++;
        else if (!strncmp(p + 1, "SELECT ", 7))
            selects++;
    }
    assert_int_equal(orders + payments + selects, 1000);
    /* The tables' sizes: every item and customer it names exists. */
    assert_non_null(strstr(a, "SYSTEM_RANGE(1, 500);\nINSERT INTO stock"));
    assert_non_null(strstr(a, "FROM SYSTEM_RANGE(1, 150);\n"));
    for (p = a; (p = strstr(p, "WHERE c_id = ")); p++)
        assert_true(atoi(p + 13) >= 1 && atoi(p + 13) <= 150);
    for (p = a; (p = strstr(p, "WHERE i_id = ")); p++)
        assert_true(atoi(p + 13) >= 1 && atoi(p + 13) <= 500);
    /* TPC-C's mix, give or take the sequence. */
    assert_true(orders > 400 && orders < 500);
    assert_true(payments > 380 && payments < 480);
    free(a);
    free(b);
}

static void test_sizes(void **state)
{
    (void)state;
    assert_non_null(bench_size_parse("full"));
    assert_non_null(bench_size_parse("smoke"));
    assert_null(bench_size_parse("tiny"));
}

/* The xl configuration of each kind: the type, the emulated-only guest's
 * nopv and serial file, the kit's files, the bench's own bridge. */
static void test_guest_config(void **state)
{
    struct bench_guest g = {.col = COL_HVM,
                            .vcpus = 8,
                            .mem_mib = 8192,
                            .kit = "/run/kit",
                            .boot_args = "console=ttyS0 nopv",
                            .args = "xb.size=smoke xb.runs=1"};
    char *text = NULL;
    size_t len;
    FILE *f = open_memstream(&text, &len);

    (void)state;
    assert_int_equal(bench_guest_config(&g, f), 0);
    fclose(f);
    assert_non_null(strstr(text, "name = \"xb-hvm\"\ntype = \"hvm\"\n"
                                 "vcpus = 8\nmemory = 8192\n"));
    assert_non_null(strstr(text, "kernel = \"/run/kit/vmlinuz\"\n"));
    assert_non_null(strstr(text, "extra = \"console=ttyS0 nopv "
                                 "xb.kind=hvm xb.ip=192.168.250.14/24 "
                                 "xb.server=192.168.250.1 xb.port=5299 "
                                 "xb.size=smoke xb.runs=1\"\n"));
    assert_non_null(strstr(text,
                           "disk = [ \"vdev=hdc,format=raw,access=ro,"
                           "devtype=cdrom,target=/run/kit/root.squashfs"));
    assert_non_null(strstr(text, "bridge=xbbench0,mac=00:16:3e:58:42:14,"
                                 "model=e1000e"));
    assert_non_null(strstr(text, "serial = \"file:/var/log/xen/console/"
                                 "guest-xb-hvm.serial\"\n"));
    free(text);

    g.col = COL_PVH;
    g.boot_args = "console=hvc0";
    f = open_memstream(&text, &len);
    assert_int_equal(bench_guest_config(&g, f), 0);
    fclose(f);
    assert_non_null(strstr(text, "type = \"pvh\"\n"));
    assert_non_null(strstr(text, "extra = \"console=hvc0 xb.kind=pvh"));
    assert_null(strstr(text, "nopv"));
    assert_null(strstr(text, "serial"));
    assert_null(strstr(text, "model="));
    assert_non_null(
        strstr(text, "vdev=xvda,format=raw,access=ro,devtype=disk"));
    assert_null(strstr(text, "\ncpus ="));
    free(text);

    g.cpus = "1-3";
    f = open_memstream(&text, &len);
    assert_int_equal(bench_guest_config(&g, f), 0);
    fclose(f);
    assert_non_null(strstr(text, "vcpus = 8\ncpus = \"1-3\"\n"));
    free(text);
    g.cpus = NULL;

    g.col = COL_PVHVM;
    f = open_memstream(&text, &len);
    assert_int_equal(bench_guest_config(&g, f), 0);
    fclose(f);
    assert_non_null(
        strstr(text, "vdev=xvde,format=raw,access=ro,devtype=disk"));
    free(text);

    g.col = COL_NATIVE;
    f = open_memstream(&text, &len);
    assert_int_equal(bench_guest_config(&g, f), -EINVAL);
    fclose(f);
    free(text);
}

/* The kit's boot-args file, the real one (tests/guest/boot-args): each
 * kind its console, the emulated-only guest nopv, every kind the "all"
 * lines; a file without the kind's lines, or none, is said. */
static void test_kit_args(void **state)
{
    char buf[1024], path[] = "/tmp/xp-boot-args.XXXXXX";
    int fd;

    (void)state;
    assert_int_equal(
        bench_kit_args(BENCH_GUEST_KIT "/boot-args", COL_HVM, buf, sizeof(buf)),
        0);
    assert_non_null(strstr(buf, "console=ttyS0"));
    assert_non_null(strstr(buf, " nopv"));
    assert_non_null(strstr(buf, "quiet"));
    assert_non_null(strstr(buf, "cryptomgr.notests"));
    assert_null(strstr(buf, "hvc0"));
    assert_int_equal(
        bench_kit_args(BENCH_GUEST_KIT "/boot-args", COL_PV, buf, sizeof(buf)),
        0);
    assert_non_null(strstr(buf, "console=hvc0"));
    assert_non_null(strstr(buf, "cryptomgr.notests"));
    assert_null(strstr(buf, "nopv"));
    assert_null(strstr(buf, "pci=noearly"));
    assert_int_equal(bench_kit_args(BENCH_GUEST_KIT "/boot-args", COL_NATIVE,
                                    buf, sizeof(buf)),
                     -EINVAL);
    assert_int_equal(
        bench_kit_args(BENCH_GUEST_KIT "/boot-args", COL_PV, buf, 8), -E2BIG);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_true(write(fd, "# nothing\npvh console=hvc0\n", 27) == 27);
    close(fd);
    assert_int_equal(bench_kit_args(path, COL_PV, buf, sizeof(buf)), -ENOENT);
    unlink(path);
    assert_int_equal(bench_kit_args(path, COL_PV, buf, sizeof(buf)), -ENOENT);
}

/* A guest's console as xenconsoled logs it (timestamps first): the row
 * and the results are taken, a failure or a guest that never finished
 * is said. */
static void test_guest_log(void **state)
{
    struct bench_results *r = calloc(1, sizeof(*r));
    char err[512];
    const char *good =
        "[2026-12-05 11:00:01] Linux version 6.12\n"
        "[2026-12-05 11:00:09] xp-probe: row boot=paravirtualized "
        "memory=paravirtualized interrupts=paravirtualized "
        "timers=paravirtualized spinlocks=paravirtualized "
        "disk=paravirtualized network=paravirtualized "
        "privileged=paravirtualized\r\n"
        "[2026-12-05 11:00:20] xenplay-bench: result kernbench 12.5\n"
        "[2026-12-05 11:00:30] xenplay-bench: result pbzip2 0.5\n"
        "[2026-12-05 11:00:31] xenplay-bench: done\n";

    (void)state;
    assert_non_null(r);
    assert_int_equal(bench_guest_log(good, r, COL_PV, err, sizeof(err)), 0);
    assert_true(r->has_spectrum[COL_PV]);
    assert_int_equal(r->spectrum[COL_PV][A_BOOT], L_PARAVIRT);
    assert_int_equal(r->s[COL_PV][WL_KERNBENCH].n, 1);
    assert_true(r->s[COL_PV][WL_KERNBENCH].v[0] == 12.5);
    assert_int_equal(r->s[COL_PV][WL_PBZIP2].n, 1);

    assert_int_equal(bench_guest_log("xenplay-bench: result jvm 80\n"
                                     "xenplay-bench: failed iperf: iperf3 -c "
                                     "192.168.250.1: Connection refused\n"
                                     "xenplay-bench: done\n",
                                     r, COL_HVM, err, sizeof(err)),
                     -EIO);
    assert_string_equal(err, "failed iperf: iperf3 -c 192.168.250.1: "
                             "Connection refused");
    assert_int_equal(r->s[COL_HVM][WL_JVM].n, 1);

    assert_int_equal(bench_guest_log("[t] Kernel panic - not syncing: VFS\n", r,
                                     COL_PVH, err, sizeof(err)),
                     -EIO);
    assert_string_equal(err, "the guest did not finish; its last line: "
                             "[t] Kernel panic - not syncing: VFS");
    assert_int_equal(bench_guest_log("", r, COL_PVH, err, sizeof(err)), -EIO);
    assert_string_equal(err, "the guest did not finish; its last line: ");
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stats_odd_even),
        cmocka_unit_test(test_parse_result),
        cmocka_unit_test(test_add_limits),
        cmocka_unit_test(test_of_native),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_chart),
        cmocka_unit_test(test_host_xl_info),
        cmocka_unit_test(test_host_lscpu),
        cmocka_unit_test(test_host_read),
        cmocka_unit_test(test_iperf_json),
        cmocka_unit_test(test_jvm_script),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_guest_config),
        cmocka_unit_test(test_kit_args),
        cmocka_unit_test(test_guest_log),
    };

    return cmocka_run_group_tests(tests, NULL, remove_tmp);
}
