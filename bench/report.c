/*
 * report.c: a result set as the talk's tables (slides 32-35), and as the
 * data and the gnuplot script of a chart (see bench.h).
 */
#define _GNU_SOURCE
#include <math.h>
#include <string.h>

#include "bench.h"

#define LABEL_W 16
#define COL_W   11

static void header_row(FILE *f, const char *label)
{
    int c;

    fprintf(f, "%-*s", LABEL_W, label);
    for (c = 0; c < COL_COUNT; c++)
        fprintf(f, "%*s", COL_W, bench_col_label(c));
    fputc('\n', f);
}

/* One cell: a number with DIGITS decimals, or "-". */
static void cell(FILE *f, bool have, double v, int digits)
{
    if (have)
        fprintf(f, "%*.*f", COL_W, digits, v);
    else
        fprintf(f, "%*s", COL_W, "-");
}

static void spectrum_block(const struct bench_results *r, FILE *f)
{
    static const char letter[] = {[L_UNKNOWN] = '?',
                                  [L_HARDWARE] = 'H',
                                  [L_EMULATED] = 'E',
                                  [L_PARAVIRT] = 'P'};
    int a, c;

    fprintf(f, "What each column used, the probe's PV-spectrum row (slide "
               "29): P paravirtualized, H hardware, E emulated\n");
    header_row(f, "");
    for (a = 0; a < A_COUNT; a++) {
        fprintf(f, "%-*s", LABEL_W, aspect_name((enum aspect)a));
        for (c = 0; c < COL_COUNT; c++)
            fprintf(f, "%*c", COL_W,
                    r->has_spectrum[c] ? letter[r->spectrum[c][a]] : '-');
        fputc('\n', f);
    }
}

static void workload_table(const struct bench_results *r, enum bench_wl w,
                           FILE *f)
{
    const struct bench_wl_info *wl = bench_wl(w);
    struct bench_stats st[COL_COUNT];
    bool have[COL_COUNT];
    char label[LABEL_W + 1];
    double pct;
    int c;

    for (c = 0; c < COL_COUNT; c++)
        have[c] = bench_stats(&r->s[c][w], &st[c]) == 0;
    if (wl->of_native)
        fprintf(f, "\n%s: percentage of native, %s is better (slide %d)\n",
                wl->title, wl->lower_better ? "lower" : "higher", wl->slide);
    else
        fprintf(f, "\n%s: %s, %s is better (slide %d)\n", wl->title, wl->unit,
                wl->lower_better ? "lower" : "higher", wl->slide);
    header_row(f, "");
    if (wl->of_native) {
        fprintf(f, "%-*s", LABEL_W, "% of native");
        for (c = 0; c < COL_COUNT; c++) {
            bool ok = bench_of_native(r, c, w, &pct) == 0;

            cell(f, ok, ok ? pct : 0, 1);
        }
        fputc('\n', f);
    }
    snprintf(label, sizeof(label), "median (%s)", wl->unit);
    fprintf(f, "%-*s", LABEL_W, label);
    for (c = 0; c < COL_COUNT; c++)
        cell(f, have[c], have[c] ? st[c].median : 0, 2);
    fprintf(f, "\n%-*s", LABEL_W, "spread (%)");
    for (c = 0; c < COL_COUNT; c++)
        cell(f, have[c], have[c] ? st[c].spread : 0, 1);
    fprintf(f, "\n%-*s", LABEL_W, "runs");
    for (c = 0; c < COL_COUNT; c++)
        if (have[c])
            fprintf(f, "%*d", COL_W, st[c].n);
        else
            fprintf(f, "%*s", COL_W, "-");
    fputc('\n', f);
}

void bench_report(const struct bench_results *r, FILE *f)
{
    const struct bench_host *h = &r->host;
    int w;

    fprintf(f, "xenplay-bench on %s: %d socket%s, %d CPUs, %ld MiB", h->cpu,
            h->sockets, h->sockets == 1 ? "" : "s", h->cpus, h->mem_mib);
    if (h->xen[0])
        fprintf(f, ", Xen %s", h->xen);
    fprintf(f,
            "\nEach guest, and the native run: %d vCPUs, %ld MiB; the "
            "median of the runs, spread = (max - min) / median\n",
            r->vcpus, r->mem_mib);
    if (h->vm[0])
        fprintf(f,
                "WARNING: this host is itself a virtual machine (%s): Xen "
                "and its guests run emulated or nested, and these numbers "
                "say nothing about hardware; run xenplay-bench on a real "
                "server\n",
                h->vm);
    fputc('\n', f);
    spectrum_block(r, f);
    for (w = 0; w < WL_COUNT; w++)
        workload_table(r, w, f);
}

/* The guest columns: the chart has no native bar (it is 100). */
static void data_block(const struct bench_results *r, bool of_native, FILE *f)
{
    struct bench_stats st;
    double pct;
    int c, w;

    fprintf(f, "workload");
    for (c = COL_PV; c < COL_COUNT; c++)
        fprintf(f, " \"%s\"", bench_col_label(c));
    fputc('\n', f);
    for (w = 0; w < WL_COUNT; w++) {
        if (bench_wl(w)->of_native != of_native)
            continue;
        fprintf(f, "%s", bench_wl(w)->name);
        for (c = COL_PV; c < COL_COUNT; c++) {
            if (of_native && bench_of_native(r, c, w, &pct) == 0)
                fprintf(f, " %.2f", pct);
            else if (!of_native && bench_stats(&r->s[c][w], &st) == 0)
                fprintf(f, " %.3f", st.median);
            else
                fprintf(f, " -");
        }
        fputc('\n', f);
    }
}

void bench_chart_data(const struct bench_results *r, FILE *f)
{
    fprintf(f, "# xenplay-bench: percentage of native\n");
    data_block(r, true, f);
    fprintf(f, "\n\n# xenplay-bench: Gbit/s\n");
    data_block(r, false, f);
}

/* A gnuplot string: single-quoted, where only '' is special. */
static void gp_string(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc(*s, f);
    }
    fputc('\'', f);
}

/* Whether column C has a number in the chart's block OF_NATIVE. */
static bool in_block(const struct bench_results *r, bool of_native,
                     enum bench_col c)
{
    struct bench_stats st;
    double pct;
    int w;

    for (w = 0; w < WL_COUNT; w++)
        if (bench_wl(w)->of_native == of_native &&
            (of_native ? bench_of_native(r, c, w, &pct)
                       : bench_stats(&r->s[c][w], &st)) == 0)
            return true;
    return false;
}

void bench_chart_script(const struct bench_results *r, const char *data,
                        const char *out, FILE *f)
{
    static const char *const ylabel[] = {
        "% of native (time: lower is better; jvm: higher)",
        "Gbit/s (higher is better)"};
    int block, c, plots = 0;

    for (block = 0; block < 2; block++)
        for (c = COL_PV; c < COL_COUNT; c++)
            if (in_block(r, !block, c)) {
                plots++;
                break;
            }
    fprintf(f, "set terminal svg size %d,420 font 'sans,11'\nset output ",
            plots > 1 ? 960 : 480);
    gp_string(f, out);
    fprintf(f,
            "\nset datafile missing '-'\n"
            "set style data histograms\n"
            "set style histogram clustered gap 1\n"
            "set style fill solid 0.8 border -1\n"
            "set key below horizontal autotitle columnheader\n"
            "set yrange [0:*]\n"
            "set offsets 0, 0, graph 0.1, 0\n"
            "set multiplot layout 1,%d title 'xenplay-bench: each guest "
            "kind'\n",
            plots > 0 ? plots : 1);
    for (block = 0; block < 2; block++) {
        bool first = true;

        for (c = COL_PV; c < COL_COUNT; c++) {
            if (!in_block(r, !block, c))
                continue;
            if (first) {
                /* Native is 100: a dashed line across the bars. */
                fprintf(f, "%s\nset ylabel '%s'\nplot ",
                        block ? "unset arrow"
                              : "set arrow from graph 0, first 100 to graph "
                                "1, first 100 nohead dashtype 2",
                        ylabel[block]);
                gp_string(f, data);
                fprintf(f, " index %d using %d:xtic(1)", block, c - COL_PV + 2);
                first = false;
            } else
                fprintf(f, ", '' index %d using %d", block, c - COL_PV + 2);
        }
        if (!first)
            fputc('\n', f);
    }
    fprintf(f, "unset multiplot\n");
}
