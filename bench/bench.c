/*
 * bench.c: the workloads, the columns, the samples and their statistics
 * (see bench.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* Slides 32-35 of the seed talk. */
static const struct bench_wl_info wls[WL_COUNT] = {
    [WL_KERNBENCH] = {"kernbench", "Kernbench", "s", true, true, 32},
    [WL_PBZIP2] = {"pbzip2", "PBZIP2", "s", true, true, 33},
    [WL_JVM] = {"jvm", "JVM throughput (in SPECjbb2005's place)", "ops/s",
                false, true, 34},
    [WL_IPERF] = {"iperf", "iperf TCP, guest to dom0", "Gbit/s", false, false,
                  35},
};

static const struct {
    const char *name, *label;
    int kind;
} cols[COL_COUNT] = {
    [COL_NATIVE] = {"native", "native", -1},
    [COL_PV] = {"pv", "PV", K_PV},
    [COL_PVH] = {"pvh", "PVH", K_PVH},
    [COL_PVHVM] = {"pvhvm", "PV-on-HVM", K_PVHVM},
    [COL_HVM] = {"hvm", "HVM", K_HVM},
};

const struct bench_wl_info *bench_wl(enum bench_wl w)
{
    return w < WL_COUNT ? &wls[w] : NULL;
}

int bench_wl_parse(const char *s, enum bench_wl *w)
{
    int i;

    for (i = 0; i < WL_COUNT; i++)
        if (!strcmp(s, wls[i].name)) {
            *w = (enum bench_wl)i;
            return 0;
        }
    return -EINVAL;
}

const char *bench_col_name(enum bench_col c)
{
    return c < COL_COUNT ? cols[c].name : "?";
}

const char *bench_col_label(enum bench_col c)
{
    return c < COL_COUNT ? cols[c].label : "?";
}

int bench_col_parse(const char *s, enum bench_col *c)
{
    int i;

    for (i = 0; i < COL_COUNT; i++)
        if (!strcmp(s, cols[i].name)) {
            *c = (enum bench_col)i;
            return 0;
        }
    return -EINVAL;
}

int bench_col_kind(enum bench_col c)
{
    return c < COL_COUNT ? cols[c].kind : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

int bench_stats(const struct bench_samples *s, struct bench_stats *out)
{
    double v[BENCH_MAX_RUNS];
    int n = s->n;

    if (n <= 0 || n > BENCH_MAX_RUNS)
        return -EINVAL;
    memcpy(v, s->v, (size_t)n * sizeof(*v));
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    out->n = n;
    out->min = v[0];
    out->max = v[n - 1];
    out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    out->spread =
        out->median > 0 ? (out->max - out->min) / out->median * 100 : 0;
    return 0;
}

int bench_parse_result(const char *line, enum bench_wl *w, double *value)
{
    static const char tag[] = "xenplay-bench: result ";
    char name[32], rest[2];
    const char *p = strstr(line, tag);
    double v;

    /* A console line may carry a prefix (a time stamp, a guest's name). */
    if (!p)
        return -ENOENT;
    p += sizeof(tag) - 1;
    if (sscanf(p, "%31s %lf %1s", name, &v, rest) != 2)
        return -EINVAL;
    if (bench_wl_parse(name, w) < 0 || !isfinite(v) || v <= 0)
        return -EINVAL;
    *value = v;
    return 0;
}

int bench_add(struct bench_results *r, enum bench_col c, enum bench_wl w,
              double value)
{
    struct bench_samples *s;

    if (c >= COL_COUNT || w >= WL_COUNT || !isfinite(value) || value <= 0)
        return -EINVAL;
    s = &r->s[c][w];
    if (s->n >= BENCH_MAX_RUNS)
        return -ENOSPC;
    s->v[s->n++] = value;
    return 0;
}

int bench_of_native(const struct bench_results *r, enum bench_col c,
                    enum bench_wl w, double *pct)
{
    struct bench_stats col, native;

    if (bench_stats(&r->s[c][w], &col) < 0 ||
        bench_stats(&r->s[COL_NATIVE][w], &native) < 0)
        return -ENOENT;
    *pct = col.median / native.median * 100;
    return 0;
}

int bench_merge(struct bench_results *r, const struct bench_results *from,
                char *err, size_t errlen)
{
    int c, w;

    long big = r->mem_mib > from->mem_mib ? r->mem_mib : from->mem_mib;

    /* The memory within a tenth: a native run counts what its kernel
     * has (MemTotal, of a boot with mem=), a guest what xl gave it. */
    if (r->vcpus != from->vcpus ||
        labs(r->mem_mib - from->mem_mib) * 10 > big) {
        snprintf(err, errlen,
                 "the runs are of different sizes (%d vCPUs and %ld MiB, "
                 "against %d and %ld): run both with the same --vcpus and "
                 "--memory",
                 from->vcpus, from->mem_mib, r->vcpus, r->mem_mib);
        return -EINVAL;
    }
    for (c = 0; c < COL_COUNT; c++) {
        bool any = false;

        for (w = 0; w < WL_COUNT; w++)
            any |= from->s[c][w].n > 0;
        if (!any)
            continue;
        memcpy(r->s[c], from->s[c], sizeof(r->s[c]));
        r->has_spectrum[c] = from->has_spectrum[c];
        memcpy(r->spectrum[c], from->spectrum[c], sizeof(r->spectrum[c]));
    }
    return 0;
}
