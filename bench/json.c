/*
 * json.c: a result set as JSON, written and read back with jansson.
 *
 *   {"tool": "xenplay-bench", "version": 1,
 *    "host": {"cpu", "sockets", "cpus", "memory_mib", "vm", "xen"},
 *    "guest": {"vcpus", "memory_mib"},
 *    "columns": {"pv": {"spectrum": {"boot": "paravirtualized", ...},
 *                       "workloads": {"kernbench": {"unit", "samples",
 *                           "median", "min", "max", "spread_pct",
 *                           "of_native_pct"}}}}}
 *
 * Reading takes the samples, the spectrum rows, the host and the size;
 * the statistics are computed again from the samples.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include <jansson.h>

#include "bench.h"

#define JSON_VERSION 1

static json_t *workload_json(const struct bench_results *r, enum bench_col c,
                             enum bench_wl w)
{
    const struct bench_samples *s = &r->s[c][w];
    struct bench_stats st;
    json_t *o, *samples;
    double pct;
    int i;

    if (bench_stats(s, &st) < 0)
        return NULL;
    samples = json_array();
    for (i = 0; i < s->n; i++)
        json_array_append_new(samples, json_real(s->v[i]));
    o = json_pack("{s:s, s:o, s:f, s:f, s:f, s:f}", "unit", bench_wl(w)->unit,
                  "samples", samples, "median", st.median, "min", st.min, "max",
                  st.max, "spread_pct", st.spread);
    if (o && bench_wl(w)->of_native && bench_of_native(r, c, w, &pct) == 0)
        json_object_set_new(o, "of_native_pct", json_real(pct));
    return o;
}

int bench_json_write(const struct bench_results *r, FILE *f)
{
    json_t *root, *columns;
    int c, w, a, rc;

    columns = json_object();
    for (c = 0; c < COL_COUNT; c++) {
        json_t *col = json_object(), *wl = json_object();

        for (w = 0; w < WL_COUNT; w++) {
            json_t *o = workload_json(r, c, w);

            if (o)
                json_object_set_new(wl, bench_wl(w)->name, o);
        }
        if (r->has_spectrum[c]) {
            json_t *sp = json_object();

            for (a = 0; a < A_COUNT; a++)
                json_object_set_new(sp, aspect_name(a),
                                    json_string(level_name(r->spectrum[c][a])));
            json_object_set_new(col, "spectrum", sp);
        }
        json_object_set_new(col, "workloads", wl);
        if (json_object_size(wl) || r->has_spectrum[c])
            json_object_set_new(columns, bench_col_name(c), col);
        else
            json_decref(col);
    }
    root =
        json_pack("{s:s, s:i, s:{s:s, s:i, s:i, s:I, s:s, s:s}, "
                  "s:{s:i, s:I}, s:o}",
                  "tool", "xenplay-bench", "version", JSON_VERSION, "host",
                  "cpu", r->host.cpu, "sockets", r->host.sockets, "cpus",
                  r->host.cpus, "memory_mib", (json_int_t)r->host.mem_mib, "vm",
                  r->host.vm, "xen", r->host.xen, "guest", "vcpus", r->vcpus,
                  "memory_mib", (json_int_t)r->mem_mib, "columns", columns);
    if (!root)
        return -ENOMEM;
    rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
    fputc('\n', f);
    json_decref(root);
    return rc < 0 || ferror(f) ? -EIO : 0;
}

static void copy_str(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src ? src : "");
}

/* One column's object into R; names the bad part in ERR. */
static int read_column(struct bench_results *r, const char *path,
                       enum bench_col c, json_t *col, char *err, size_t errlen)
{
    json_t *sp = json_object_get(col, "spectrum");
    json_t *wls = json_object_get(col, "workloads"), *o;
    const char *key;
    enum bench_wl w;
    enum level l;
    int a;

    if (sp) {
        enum level row[A_COUNT];

        for (a = 0; a < A_COUNT; a++) {
            const char *s = json_string_value(
                json_object_get(sp, aspect_name((enum aspect)a)));

            if (!s || level_parse(s, &l) < 0) {
                snprintf(err, errlen, "%s: column %s: spectrum row %s is %s",
                         path, bench_col_name(c), aspect_name((enum aspect)a),
                         s ? s : "missing");
                return -EINVAL;
            }
            row[a] = l;
        }
        memcpy(r->spectrum[c], row, sizeof(row));
        r->has_spectrum[c] = true;
    }
    json_object_foreach(wls, key, o)
    {
        json_t *samples = json_object_get(o, "samples"), *v;
        size_t i;

        if (bench_wl_parse(key, &w) < 0) {
            snprintf(err, errlen, "%s: column %s: unknown workload '%s'", path,
                     bench_col_name(c), key);
            return -EINVAL;
        }
        if (!json_is_array(samples) || !json_array_size(samples)) {
            snprintf(err, errlen, "%s: column %s: %s has no samples", path,
                     bench_col_name(c), key);
            return -EINVAL;
        }
        json_array_foreach(samples, i, v)
        {
            int rc = json_is_number(v)
                         ? bench_add(r, c, w, json_number_value(v))
                         : -EINVAL;

            if (rc < 0) {
                snprintf(err, errlen, "%s: column %s: %s sample %zu: %s", path,
                         bench_col_name(c), key, i + 1,
                         rc == -ENOSPC ? "too many samples"
                                       : "not a positive number");
                return -EINVAL;
            }
        }
    }
    return 0;
}

int bench_json_read(struct bench_results *r, const char *path, char *err,
                    size_t errlen)
{
    json_t *root, *columns, *col;
    json_error_t je;
    const char *tool = NULL, *cpu = NULL, *xen = NULL, *vm = NULL, *key;
    json_int_t hmem = 0, gmem = 0;
    int version = 0, sockets = 0, cpus = 0, vcpus = 0;
    enum bench_col c;
    int rc = -EINVAL;

    memset(r, 0, sizeof(*r));
    root = json_load_file(path, 0, &je);
    if (!root) {
        if (je.line > 0)
            snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
        else
            snprintf(err, errlen, "%s", je.text);
        return -EINVAL;
    }
    if (json_unpack_ex(root, &je, 0,
                       "{s:s, s:i, s:{s:s, s:i, s:i, s:I, s:s, s:s}, "
                       "s:{s:i, s:I}, s:o}",
                       "tool", &tool, "version", &version, "host", "cpu", &cpu,
                       "sockets", &sockets, "cpus", &cpus, "memory_mib", &hmem,
                       "vm", &vm, "xen", &xen, "guest", "vcpus", &vcpus,
                       "memory_mib", &gmem, "columns", &columns) < 0) {
        snprintf(err, errlen, "%s: not a xenplay-bench result set: %s", path,
                 je.text);
        goto out;
    }
    if (strcmp(tool, "xenplay-bench") || version != JSON_VERSION) {
        snprintf(err, errlen,
                 "%s: written by %s, format %d; this xenplay-bench reads "
                 "format %d: run the benchmark again with this version",
                 path, tool, version, JSON_VERSION);
        goto out;
    }
    copy_str(r->host.cpu, sizeof(r->host.cpu), cpu);
    copy_str(r->host.xen, sizeof(r->host.xen), xen);
    r->host.sockets = sockets;
    r->host.cpus = cpus;
    r->host.mem_mib = (long)hmem;
    copy_str(r->host.vm, sizeof(r->host.vm), vm);
    r->vcpus = vcpus;
    r->mem_mib = (long)gmem;
    json_object_foreach(columns, key, col)
    {
        if (bench_col_parse(key, &c) < 0) {
            snprintf(err, errlen, "%s: unknown column '%s'", path, key);
            goto out;
        }
        if (read_column(r, path, c, col, err, errlen) < 0)
            goto out;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}
