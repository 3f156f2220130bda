/*
 * host.c: what a report says of the machine it ran on (see bench.h).
 *
 * Under Xen, dom0 sees its own vCPUs and memory, not the machine's: the
 * machine is what `xl info` says.  Natively, `lscpu --json` and
 * /proc/meminfo.  Whether the machine is itself a virtual one is
 * systemd-detect-virt's answer (on a Xen host under QEMU it reads QEMU
 * from the firmware tables; on a real server's dom0 it says none).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench.h"
#include "xp-run.h"

/* The value of "KEY : value" in xl info's output, trimmed, into BUF. */
static int xl_field(const char *text, const char *key, char *buf, size_t len)
{
    size_t klen = strlen(key);
    const char *p;

    for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        const char *v, *end;

        if (strncmp(p, key, klen) || (p[klen] != ' ' && p[klen] != ':'))
            continue;
        v = strchr(p, ':');
        end = strchr(p, '\n');
        if (!v || (end && v > end))
            continue;
        for (v++; *v == ' '; v++)
            ;
        if (!end)
            end = v + strlen(v);
        while (end > v && (end[-1] == ' ' || end[-1] == '\r'))
            end--;
        snprintf(buf, len, "%.*s", (int)(end - v), v);
        return 0;
    }
    return -ENOENT;
}

static int xl_int(const char *text, const char *key, long *out)
{
    char buf[64], *end;

    if (xl_field(text, key, buf, sizeof(buf)) < 0)
        return -ENOENT;
    errno = 0;
    *out = strtol(buf, &end, 10);
    return errno || end == buf || *end || *out <= 0 ? -EINVAL : 0;
}

int bench_host_from_xl_info(const char *text, struct bench_host *h)
{
    long cpus, cores, threads, mem;

    if (xl_int(text, "nr_cpus", &cpus) < 0 ||
        xl_int(text, "cores_per_socket", &cores) < 0 ||
        xl_int(text, "threads_per_core", &threads) < 0 ||
        xl_int(text, "total_memory", &mem) < 0 ||
        xl_field(text, "xen_version", h->xen, sizeof(h->xen)) < 0)
        return -EINVAL;
    h->cpus = (int)cpus;
    h->sockets = (int)(cpus / (cores * threads));
    if (h->sockets < 1)
        h->sockets = 1;
    h->mem_mib = mem;
    return 0;
}

/* lscpu's "FIELD:" anywhere in its tree (entries nest under "children"
 * in newer util-linux). */
static const char *lscpu_field(json_t *list, const char *field)
{
    json_t *e;
    size_t i;

    json_array_foreach(list, i, e)
    {
        const char *f = json_string_value(json_object_get(e, "field"));
        const char *found;

        if (f && !strcmp(f, field))
            return json_string_value(json_object_get(e, "data"));
        found = lscpu_field(json_object_get(e, "children"), field);
        if (found)
            return found;
    }
    return NULL;
}

int bench_host_from_lscpu(const char *text, struct bench_host *h)
{
    json_t *root = json_loads(text, 0, NULL), *list;
    const char *model, *cpus, *sockets;
    int rc = -EINVAL;

    list = json_object_get(root, "lscpu");
    model = lscpu_field(list, "Model name:");
    cpus = lscpu_field(list, "CPU(s):");
    sockets = lscpu_field(list, "Socket(s):");
    if (model && cpus && sockets) {
        size_t n = 0;

        /* Intel's names pad with spaces: "CPU           E5520  @". */
        for (; *model && n + 1 < sizeof(h->cpu); model++)
            if (*model != ' ' || (n && h->cpu[n - 1] != ' '))
                h->cpu[n++] = *model;
        while (n && h->cpu[n - 1] == ' ')
            n--;
        h->cpu[n] = '\0';
        h->cpus = atoi(cpus);
        h->sockets = atoi(sockets);
        rc = h->cpus > 0 && h->sockets > 0 ? 0 : -EINVAL;
    }
    json_decref(root);
    return rc;
}

/* PROG's standard output into BUF; its status as xp_cmd_run gives it. */
static int capture(const char *const *argv, char *buf, size_t len)
{
    struct xp_cmd c = {.argv = argv,
                       .capture = buf,
                       .capture_len = len,
                       .err = XP_RUN_NULL,
                       .timeout_ms = 30000};

    buf[0] = '\0';
    return xp_cmd_run(&c);
}

/* The first line of PATH without its newline; "" when unreadable. */
static void first_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");

    buf[0] = '\0';
    if (f) {
        if (!fgets(buf, (int)len, f))
            buf[0] = '\0';
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = '\0';
}

static long meminfo_mib(void)
{
    char line[256];
    long kib = 0;
    FILE *f = fopen("/proc/meminfo", "r");

    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "MemTotal: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib / 1024;
}

int bench_host_read(struct bench_host *h, char *err, size_t errlen)
{
    static const char *const xl[] = {"xl", "info", NULL};
    static const char *const lscpu[] = {"lscpu", "--json", NULL};
    static const char *const virt[] = {"systemd-detect-virt", "--vm", NULL};
    const size_t len = 1 << 16;
    char *out = malloc(len), how[64], type[16];
    int rc = -EIO, st;

    memset(h, 0, sizeof(*h));
    if (!out)
        return -ENOMEM;
    st = capture(lscpu, out, len);
    if (!xp_status_ok(st) || bench_host_from_lscpu(out, h) < 0) {
        xp_status_str(st, how, sizeof(how));
        snprintf(err, errlen, "lscpu --json (%s) does not name the CPU", how);
        goto out;
    }
    first_line("/sys/hypervisor/type", type, sizeof(type));
    if (!strcmp(type, "xen")) {
        st = capture(xl, out, len);
        if (!xp_status_ok(st) || bench_host_from_xl_info(out, h) < 0) {
            xp_status_str(st, how, sizeof(how));
            snprintf(err, errlen,
                     "xl info (%s) does not say the machine's CPUs and "
                     "memory: run xenplay-bench in dom0, as root",
                     how);
            goto out;
        }
    } else
        h->mem_mib = meminfo_mib();
    /* "none" and exit status 1 on bare metal. */
    capture(virt, out, len);
    out[strcspn(out, "\n")] = '\0';
    if (out[0] && strcmp(out, "none"))
        snprintf(h->vm, sizeof(h->vm), "%s", out);
    rc = 0;
out:
    free(out);
    return rc;
}
