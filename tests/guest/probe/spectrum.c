/*
 * spectrum.c: classify a Linux guest on the PV spectrum (see spectrum.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <unistd.h>

#include "spectrum.h"
#include "xp-fs.h"

static const struct {
    const char *name, *title;
} aspects[A_COUNT] = {
    [A_BOOT] = {"boot", "Boot sequence"},
    [A_MEMORY] = {"memory", "Memory"},
    [A_INTERRUPTS] = {"interrupts", "Interrupts"},
    [A_TIMERS] = {"timers", "Timers"},
    [A_SPINLOCKS] = {"spinlocks", "Spinlocks"},
    [A_DISK] = {"disk", "Disk"},
    [A_NETWORK] = {"network", "Network"},
    [A_PRIVILEGED] = {"privileged", "Privileged operations"},
};

static const char *const levels[] = {
    [L_UNKNOWN] = "none",
    [L_HARDWARE] = "hardware",
    [L_EMULATED] = "emulated",
    [L_PARAVIRT] = "paravirtualized",
};

static const char *const kinds[K_COUNT] = {
    [K_HVM] = "hvm", [K_PVHVM] = "pvhvm", [K_PVH] = "pvh", [K_PV] = "pv"};

#define E L_EMULATED
#define H L_HARDWARE
#define P L_PARAVIRT
/*
 * Slide 29, one column per kind; rows in enum aspect order.  PV-on-HVM is
 * the slide's "Hybrid" column: Linux guests since 2.6.36 take interrupts,
 * timers and spinlocks paravirtualized too, not just disk and network.
 */
static const enum level expected[K_COUNT][A_COUNT] = {
    [K_HVM] = {E, H, E, E, E, E, E, H},
    [K_PVHVM] = {E, H, P, P, P, P, P, H},
    [K_PVH] = {P, H, P, P, P, P, P, H},
    [K_PV] = {P, P, P, P, P, P, P, P},
};
#undef E
#undef H
#undef P

const char *aspect_name(enum aspect a)
{
    return a < A_COUNT ? aspects[a].name : "?";
}

const char *aspect_title(enum aspect a)
{
    return a < A_COUNT ? aspects[a].title : "?";
}

const char *level_name(enum level l)
{
    return l <= L_PARAVIRT ? levels[l] : "?";
}

int level_parse(const char *s, enum level *l)
{
    size_t i;

    for (i = 0; i < sizeof(levels) / sizeof(*levels); i++)
        if (!strcmp(s, levels[i])) {
            *l = (enum level)i;
            return 0;
        }
    return -EINVAL;
}

const char *kind_name(enum kind k)
{
    return k < K_COUNT ? kinds[k] : "?";
}

int kind_parse(const char *s, enum kind *k)
{
    int i;

    for (i = 0; i < K_COUNT; i++)
        if (!strcmp(s, kinds[i])) {
            *k = (enum kind)i;
            return 0;
        }
    return -EINVAL;
}

const enum level *kind_expected(enum kind k)
{
    return k < K_COUNT ? expected[k] : NULL;
}

/* Evidence reading ----------------------------------------------------- */

struct ctx {
    const char *root;
    FILE *dump;
};

static void path_of(const struct ctx *c, const char *rel, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", strcmp(c->root, "/") ? c->root : "", rel);
}

static void dump_text(const struct ctx *c, const char *rel, const char *text)
{
    const char *p = text, *nl;

    if (!c->dump)
        return;
    fprintf(c->dump, "xp-probe-dump: file %s\n", rel);
    while (*p) {
        nl = strchrnul(p, '\n');
        fprintf(c->dump, "| %.*s\n", (int)(nl - p), p);
        p = *nl ? nl + 1 : nl;
    }
}

/*
 * Read REL under the root into a malloc'ed string (NULL when it is not
 * there).  Files in /proc and /sys do not know their size: read to EOF.
 */
static char *slurp(const struct ctx *c, const char *rel)
{
    char path[PATH_MAX], *buf = NULL, *p;
    size_t len = 0, cap = 0;
    FILE *f;

    path_of(c, rel, path, sizeof(path));
    f = fopen(path, "re");
    if (!f)
        return NULL;
    for (;;) {
        if (cap - len < 4096) {
            p = realloc(buf, cap + 65536);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap += 65536;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* The first line of REL, trimmed; "" when it is not there. */
static void read_line(const struct ctx *c, const char *rel, char *out,
                      size_t len)
{
    char *s = slurp(c, rel);

    out[0] = '\0';
    if (!s)
        return;
    s[strcspn(s, "\n")] = '\0';
    /* sysfs pads SCSI vendor and model strings with blanks */
    for (size_t n = strlen(s); n && (s[n - 1] == ' ' || s[n - 1] == '\t');)
        s[--n] = '\0';
    snprintf(out, len, "%s", s);
    dump_text(c, rel, out);
    free(s);
}

/* The last component of the symlink REL ("vbd" for .../drivers/vbd). */
static void read_link_base(const struct ctx *c, const char *rel, char *out,
                           size_t len)
{
    char path[PATH_MAX], target[PATH_MAX];
    ssize_t n;
    const char *base;

    out[0] = '\0';
    path_of(c, rel, path, sizeof(path));
    n = readlink(path, target, sizeof(target) - 1);
    if (n <= 0)
        return;
    target[n] = '\0';
    if (c->dump)
        fprintf(c->dump, "xp-probe-dump: link %s %s\n", rel, target);
    base = strrchr(target, '/');
    snprintf(out, len, "%s", base ? base + 1 : target);
}

/* Sorted entries of directory REL (no dot files); NULL-terminated. */
static char **list_dir(const struct ctx *c, const char *rel)
{
    char path[PATH_MAX];

    path_of(c, rel, path, sizeof(path));
    return xp_dir_names(path);
}

/* Kernel log lines the verdicts use; everything else is left out. */
static const char *const klog_keys[] = {
    "kernel on ", "PV spinlocks", "Hypervisor detected", "Xen", "xen",
    "DMI:",       NULL,
};

static int klog_wanted(const char *line, size_t len)
{
    size_t i;

    for (i = 0; klog_keys[i]; i++)
        if (memmem(line, len, klog_keys[i], strlen(klog_keys[i])))
            return 1;
    return 0;
}

/* The kernel log, only the lines klog_keys select. */
static char *read_klog(const struct ctx *c)
{
    char *all = NULL, *out = NULL, *p, *nl, *o;
    int n;

    if (!strcmp(c->root, "/")) {
        n = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
        if (n <= 0)
            return NULL;
        all = malloc((size_t)n + 1);
        if (!all)
            return NULL;
        n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, all, n);
        if (n < 0) {
            free(all);
            return NULL;
        }
        all[n] = '\0';
    } else {
        all = slurp(c, "dmesg");
        if (!all)
            return NULL;
    }
    out = malloc(strlen(all) + 1);
    if (!out) {
        free(all);
        return NULL;
    }
    o = out;
    for (p = all; *p; p = *nl ? nl + 1 : nl) {
        nl = strchrnul(p, '\n');
        if (klog_wanted(p, (size_t)(nl - p))) {
            memcpy(o, p, (size_t)(nl - p));
            o += nl - p;
            *o++ = '\n';
        }
    }
    *o = '\0';
    free(all);
    dump_text(c, "dmesg", out);
    return out;
}

/* The kernel log line that contains KEY, without its timestamp, or "". */
static void klog_line(const char *log, const char *key, char *out, size_t len)
{
    const char *p = log ? strstr(log, key) : NULL;
    const char *start, *end, *ts;

    out[0] = '\0';
    if (!p)
        return;
    for (start = p; start > log && start[-1] != '\n'; start--)
        ;
    ts = strstr(start, "] ");
    if (ts && ts < p)
        start = ts + 2;
    end = strchrnul(p, '\n');
    snprintf(out, len, "%.*s", (int)(end - start), start);
}

/* The "flags" line of the first CPU in /proc/cpuinfo. */
static int cpu_has_hypervisor_flag(const struct ctx *c)
{
    char *s = slurp(c, "proc/cpuinfo"), *p, *nl;
    int found = 0;

    if (!s)
        return 0;
    for (p = s; *p; p = *nl ? nl + 1 : nl) {
        nl = strchrnul(p, '\n');
        if (!strncmp(p, "flags", 5)) {
            *nl = '\0';
            dump_text(c, "proc/cpuinfo", p);
            found = strstr(p, " hypervisor") != NULL;
            break;
        }
    }
    free(s);
    return found;
}

/*
 * Lines of /proc/interrupts that are Xen event channels (xen-percpu-virq,
 * xen-dyn-event, xen-pirq-...); EXAMPLE gets the first one's name.
 */
static int count_event_channels(const struct ctx *c, char *example, size_t len)
{
    char *s = slurp(c, "proc/interrupts"), *p, *nl, *hit;
    int n = 0;

    example[0] = '\0';
    if (!s)
        return -1;
    dump_text(c, "proc/interrupts", s);
    for (p = s; *p; p = *nl ? nl + 1 : nl) {
        nl = strchrnul(p, '\n');
        hit = memmem(p, (size_t)(nl - p), "xen-", 4);
        if (!hit)
            continue;
        if (!example[0]) {
            /* The name, with the column padding squeezed out. */
            size_t o = 0;
            const char *q;

            for (q = hit; q < nl && o + 1 < len; q++)
                if (*q != ' ' || (o && example[o - 1] != ' '))
                    example[o++] = *q;
            example[o] = '\0';
        }
        n++;
    }
    free(s);
    return n;
}

/* Block devices that are disks (not loop, ram, zram, CD, floppy, dm, md). */
static int is_disk_name(const char *n)
{
    static const char *const skip[] = {"loop", "ram", "zram", "sr",
                                       "fd",   "dm-", "md",   NULL};
    size_t i;

    for (i = 0; skip[i]; i++)
        if (!strncmp(n, skip[i], strlen(skip[i])))
            return 0;
    return 1;
}

static void probe_disk(const struct ctx *c, struct spectrum *sp)
{
    char **names = list_dir(c, "sys/block"), **p;
    char rel[PATH_MAX], drv[64], model[64], vendor[64];

    sp->level[A_DISK] = L_UNKNOWN;
    snprintf(sp->evidence[A_DISK], sizeof(sp->evidence[A_DISK]),
             "no disk in /sys/block");
    for (p = names; p && *p; p++) {
        if (!is_disk_name(*p))
            continue;
        snprintf(rel, sizeof(rel), "sys/block/%s/device/driver", *p);
        read_link_base(c, rel, drv, sizeof(drv));
        if (!drv[0])
            continue;
        snprintf(rel, sizeof(rel), "sys/block/%s/device/vendor", *p);
        read_line(c, rel, vendor, sizeof(vendor));
        snprintf(rel, sizeof(rel), "sys/block/%s/device/model", *p);
        read_line(c, rel, model, sizeof(model));
        if (!strcmp(drv, "vbd") || !strcmp(drv, "virtio_blk"))
            sp->level[A_DISK] = L_PARAVIRT;
        else
            sp->level[A_DISK] = sp->hypervisor ? L_EMULATED : L_HARDWARE;
        snprintf(sp->evidence[A_DISK], sizeof(sp->evidence[A_DISK]),
                 "%s bound to driver %s%s%s%s%s", *p, drv,
                 vendor[0] || model[0] ? " (" : "", vendor,
                 vendor[0] && model[0] ? " " : "",
                 vendor[0] || model[0] ? model : "");
        if (vendor[0] || model[0])
            strncat(sp->evidence[A_DISK], ")",
                    sizeof(sp->evidence[A_DISK]) -
                        strlen(sp->evidence[A_DISK]) - 1);
        break;
    }
    xp_strv_free(names);
}

static void probe_network(const struct ctx *c, struct spectrum *sp)
{
    char **names = list_dir(c, "sys/class/net"), **p;
    char rel[PATH_MAX], drv[64];

    sp->level[A_NETWORK] = L_UNKNOWN;
    snprintf(sp->evidence[A_NETWORK], sizeof(sp->evidence[A_NETWORK]),
             "no network device with a driver in /sys/class/net");
    for (p = names; p && *p; p++) {
        snprintf(rel, sizeof(rel), "sys/class/net/%s/device/driver", *p);
        read_link_base(c, rel, drv, sizeof(drv));
        if (!drv[0])
            continue;
        if (!strcmp(drv, "vif") || !strcmp(drv, "virtio_net"))
            sp->level[A_NETWORK] = L_PARAVIRT;
        else
            sp->level[A_NETWORK] = sp->hypervisor ? L_EMULATED : L_HARDWARE;
        snprintf(sp->evidence[A_NETWORK], sizeof(sp->evidence[A_NETWORK]),
                 "%s bound to driver %s", *p, drv);
        break;
    }
    xp_strv_free(names);
}

/* A device bound to xen-platform-pci: the PV drivers' way into HVM. */
static void probe_platform_pci(const struct ctx *c, char *out, size_t len)
{
    char **names = list_dir(c, "sys/bus/pci/drivers/xen-platform-pci"), **p;
    char rel[PATH_MAX], target[64];

    out[0] = '\0';
    for (p = names; p && *p; p++) {
        if (strncmp(*p, "0000:", 5))
            continue;
        snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/xen-platform-pci/%s",
                 *p);
        read_link_base(c, rel, target, sizeof(target));
        snprintf(out, len, "; xen-platform-pci bound to %s", *p);
        break;
    }
    xp_strv_free(names);
}

#define EV(a, ...)                                                             \
    snprintf(sp->evidence[a], sizeof(sp->evidence[a]), __VA_ARGS__)

int spectrum_probe(struct spectrum *sp, const char *root, FILE *dump)
{
    struct ctx c = {.root = root, .dump = dump};
    char type[16], cs[32], ce[32], ev[64], line[160], platform[80];
    char path[PATH_MAX];
    char *klog;
    int pv, pvh, nev;

    memset(sp, 0, sizeof(*sp));
    path_of(&c, "proc", path, sizeof(path));
    if (access(path, R_OK) < 0)
        return -errno;

    read_line(&c, "sys/hypervisor/type", type, sizeof(type));
    read_line(&c, "sys/hypervisor/guest_type", sp->guest_type,
              sizeof(sp->guest_type));
    sp->xen = !strcmp(type, "xen");
    sp->hypervisor = sp->xen || cpu_has_hypervisor_flag(&c);
    klog = read_klog(&c);
    klog_line(klog, "kernel on ", line, sizeof(line));
    snprintf(sp->banner, sizeof(sp->banner), "%s", line);
    pv = sp->xen && !strcmp(sp->guest_type, "PV");
    pvh = sp->xen && !strcmp(sp->guest_type, "PVH");
    probe_platform_pci(&c, platform, sizeof(platform));

    /* Boot: PV and PVH start at the kernel's Xen entry point; everything
     * else comes up through firmware, emulated under a hypervisor. */
    if (pv || pvh) {
        sp->level[A_BOOT] = L_PARAVIRT;
        EV(A_BOOT, "guest_type %s, no firmware: '%s'", sp->guest_type,
           sp->banner);
    } else {
        sp->level[A_BOOT] = sp->hypervisor ? L_EMULATED : L_HARDWARE;
        EV(A_BOOT, "firmware boot%s: '%s'",
           sp->hypervisor ? " under a hypervisor" : "", sp->banner);
    }

    /* Memory and privileged operations: only a PV guest asks Xen for its
     * page-table updates and privileged work; the others use SVM/VT-x
     * and nested paging. */
    sp->level[A_MEMORY] = pv ? L_PARAVIRT : L_HARDWARE;
    sp->level[A_PRIVILEGED] = pv ? L_PARAVIRT : L_HARDWARE;
    if (pv) {
        EV(A_MEMORY, "guest_type PV: page tables validated by Xen");
        EV(A_PRIVILEGED, "guest_type PV: hypercalls, not privileged "
                         "instructions");
    } else {
        EV(A_MEMORY, "%s%s: the CPU's (nested) paging",
           sp->guest_type[0] ? "guest_type " : "no PV guest_type",
           sp->guest_type);
        EV(A_PRIVILEGED,
           "%s%s: runs privileged instructions in a "
           "hardware container",
           sp->guest_type[0] ? "guest_type " : "no PV guest_type",
           sp->guest_type);
    }

    nev = count_event_channels(&c, ev, sizeof(ev));
    if (nev > 0) {
        sp->level[A_INTERRUPTS] = L_PARAVIRT;
        EV(A_INTERRUPTS, "%d event-channel lines in /proc/interrupts (%s)%s",
           nev, ev, platform);
    } else {
        sp->level[A_INTERRUPTS] = sp->hypervisor ? L_EMULATED : L_HARDWARE;
        EV(A_INTERRUPTS, "no event channels in /proc/interrupts: %s APIC",
           sp->hypervisor ? "emulated" : "the hardware");
    }

    read_line(&c,
              "sys/devices/system/clocksource/clocksource0/"
              "current_clocksource",
              cs, sizeof(cs));
    read_line(&c,
              "sys/devices/system/clockevents/clockevent0/"
              "current_device",
              ce, sizeof(ce));
    if (!strcmp(cs, "xen") || !strcmp(ce, "xen") || !strcmp(cs, "kvm-clock") ||
        !strncmp(cs, "hyperv", 6))
        sp->level[A_TIMERS] = L_PARAVIRT;
    else
        sp->level[A_TIMERS] = sp->hypervisor ? L_EMULATED : L_HARDWARE;
    EV(A_TIMERS, "clocksource %s, clockevent %s", cs[0] ? cs : "(none)",
       ce[0] ? ce : "(none)");

    klog_line(klog, "PV spinlocks", line, sizeof(line));
    if (strstr(line, "PV spinlocks enabled")) {
        sp->level[A_SPINLOCKS] = L_PARAVIRT;
        EV(A_SPINLOCKS, "kernel log: '%s'", line);
    } else {
        sp->level[A_SPINLOCKS] = sp->hypervisor ? L_EMULATED : L_HARDWARE;
        EV(A_SPINLOCKS, "%s%s%s: native spinlocks%s",
           line[0] ? "kernel log: '"
                   : "no 'PV spinlocks enabled' in the "
                     "kernel log",
           line, line[0] ? "'" : "", sp->hypervisor ? " on virtual CPUs" : "");
    }

    probe_disk(&c, sp);
    probe_network(&c, sp);
    if (platform[0] && sp->level[A_DISK] == L_PARAVIRT)
        strncat(sp->evidence[A_DISK], platform,
                sizeof(sp->evidence[A_DISK]) - strlen(sp->evidence[A_DISK]) -
                    1);
    free(klog);
    if (dump) {
        fprintf(dump, "xp-probe-dump: end\n");
        fflush(dump);
    }
    return 0;
}

int spectrum_kind(const struct spectrum *sp)
{
    int k;

    for (k = 0; k < K_COUNT; k++)
        if (!memcmp(sp->level, expected[k], sizeof(expected[k])))
            return k;
    return -1;
}

int spectrum_row_line(const struct spectrum *sp, char *buf, size_t len)
{
    size_t used;
    int a, n;

    n = snprintf(buf, len, "xp-probe: row");
    if (n < 0 || (size_t)n >= len)
        return -ENOSPC;
    used = (size_t)n;
    for (a = 0; a < A_COUNT; a++) {
        n = snprintf(buf + used, len - used, " %s=%s", aspect_name(a),
                     level_name(sp->level[a]));
        if (n < 0 || (size_t)n >= len - used)
            return -ENOSPC;
        used += (size_t)n;
    }
    return 0;
}

int spectrum_row_parse(const char *s, enum level out[A_COUNT])
{
    char *copy = strdup(s), *save = NULL, *tok, *eq;
    int seen[A_COUNT] = {0}, a, rc = 0;

    if (!copy)
        return -ENOMEM;
    for (tok = strtok_r(copy, " \t", &save); tok && rc == 0;
         tok = strtok_r(NULL, " \t", &save)) {
        eq = strchr(tok, '=');
        if (!eq) {
            rc = -EINVAL;
            break;
        }
        *eq = '\0';
        for (a = 0; a < A_COUNT; a++)
            if (!strcmp(tok, aspect_name(a)))
                break;
        if (a == A_COUNT || seen[a] || level_parse(eq + 1, &out[a]) < 0)
            rc = -EINVAL;
        else
            seen[a] = 1;
    }
    for (a = 0; rc == 0 && a < A_COUNT; a++)
        if (!seen[a])
            rc = -EINVAL;
    free(copy);
    return rc;
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

void spectrum_json(const struct spectrum *sp, FILE *f)
{
    int a, k = spectrum_kind(sp);

    fprintf(f, "{\"xen\": %s, \"hypervisor\": %s, \"guest_type\": ",
            sp->xen ? "true" : "false", sp->hypervisor ? "true" : "false");
    json_str(f, sp->guest_type);
    fprintf(f, ", \"banner\": ");
    json_str(f, sp->banner);
    fprintf(f, ", \"kind\": ");
    if (k < 0)
        fprintf(f, "null");
    else
        json_str(f, kind_name(k));
    fprintf(f, ", \"rows\": {");
    for (a = 0; a < A_COUNT; a++) {
        fprintf(f,
                "%s\"%s\": {\"level\": \"%s\", \"evidence\": ", a ? ", " : "",
                aspect_name(a), level_name(sp->level[a]));
        json_str(f, sp->evidence[a]);
        fputc('}', f);
    }
    fprintf(f, "}}\n");
}
