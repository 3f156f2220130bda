/*
 * hw.c: the host's disks and NICs, from sysfs (see hw.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hw.h"

static const char *root_of(const char *sysroot)
{
    return strcmp(sysroot, "/") ? sysroot : "";
}

int hw_read_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "re");

    buf[0] = '\0';
    if (!f)
        return -errno;
    if (!fgets(buf, (int)len, f))
        buf[0] = '\0';
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    /* sysfs pads model names with spaces */
    for (size_t l = strlen(buf); l > 0 && buf[l - 1] == ' '; l--)
        buf[l - 1] = '\0';
    return 0;
}

int hw_nics(const char *sysroot, struct hw_nic *out, int max)
{
    char path[PATH_MAX], buf[PATH_MAX];
    struct dirent *de;
    DIR *d;
    int n = 0;

    snprintf(path, sizeof(path), "%s/sys/class/net", root_of(sysroot));
    d = opendir(path);
    while (d && (de = readdir(d)) && n < max) {
        char f[PATH_MAX + 300], v[32];

        if (de->d_name[0] == '.')
            continue;
        snprintf(f, sizeof(f), "%s/%s/device", path, de->d_name);
        if (!realpath(f, buf))
            continue; /* virtual: lo, bridges, vifs */
        snprintf(f, sizeof(f), "%s/%s/type", path, de->d_name);
        if (hw_read_line(f, v, sizeof(v)) < 0 || strcmp(v, "1"))
            continue; /* not Ethernet */
        snprintf(f, sizeof(f), "%s/%s/address", path, de->d_name);
        if (hw_read_line(f, out[n].mac, sizeof(out[n].mac)) < 0)
            continue;
        snprintf(out[n].bus, sizeof(out[n].bus), "%s", buf);
        snprintf(out[n].name, sizeof(out[n].name), "%s", de->d_name);
        snprintf(f, sizeof(f), "%s/%s/carrier", path, de->d_name);
        out[n].carrier =
            hw_read_line(f, v, sizeof(v)) < 0 || !v[0] ? -1 : v[0] == '1';
        n++;
    }
    if (d)
        closedir(d);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(out[j - 1].bus, out[j].bus) > 0; j--) {
            struct hw_nic t = out[j];

            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}

static int skip_disk(const char *name)
{
    static const char *const prefixes[] = {"loop", "ram",  "sr",  "dm-",
                                           "md",   "zram", "nbd", "fd"};

    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
            return 1;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct hw_disk *)a)->name,
                  ((const struct hw_disk *)b)->name);
}

int hw_disks(const char *sysroot, struct hw_disk *out, int max)
{
    char path[PATH_MAX];
    struct dirent *de;
    DIR *d;
    int n = 0;

    snprintf(path, sizeof(path), "%s/sys/block", root_of(sysroot));
    d = opendir(path);
    while (d && (de = readdir(d)) && n < max) {
        char f[PATH_MAX + 300], v[64];
        struct hw_disk *k = &out[n];

        if (de->d_name[0] == '.' || skip_disk(de->d_name))
            continue;
        snprintf(f, sizeof(f), "%s/%s/size", path, de->d_name);
        if (hw_read_line(f, v, sizeof(v)) < 0 || !strtoull(v, NULL, 10))
            continue; /* an empty card reader */
        memset(k, 0, sizeof(*k));
        k->size = strtoull(v, NULL, 10) * 512; /* sysfs counts 512 bytes */
        snprintf(k->name, sizeof(k->name), "%s", de->d_name);
        snprintf(f, sizeof(f), "%s/%s/device/model", path, de->d_name);
        hw_read_line(f, k->model, sizeof(k->model));
        snprintf(f, sizeof(f), "%s/%s/device/serial", path, de->d_name);
        hw_read_line(f, k->serial, sizeof(k->serial));
        snprintf(f, sizeof(f), "%s/%s/removable", path, de->d_name);
        k->removable = hw_read_line(f, v, sizeof(v)) == 0 && v[0] == '1';
        n++;
    }
    if (d)
        closedir(d);
    qsort(out, (size_t)n, sizeof(*out), by_name);
    return n;
}

int hw_mount_source(const char *sysroot, const char *mnt, char *src,
                    size_t srclen, char *fstype, size_t fslen)
{
    char line[1024], path[PATH_MAX];
    FILE *f;
    int found = 0;

    src[0] = fstype[0] = '\0';
    snprintf(path, sizeof(path), "%s/proc/self/mountinfo", root_of(sysroot));
    f = fopen(path, "re");
    while (f && fgets(line, sizeof(line), f)) {
        char m[512], t[64], s[256];

        if (sscanf(line, "%*s %*s %*s %*s %511s %*[^-]- %63s %255s", m, t, s) ==
                3 &&
            !strcmp(m, mnt)) {
            snprintf(src, srclen, "%s", s);
            snprintf(fstype, fslen, "%s", t);
            found = 1;
        }
    }
    if (f)
        fclose(f);
    return found ? 0 : -ENOENT;
}

void hw_medium_disk(const char *sysroot, char *buf, size_t len)
{
    char dev[256], fstype[64], path[PATH_MAX], real[PATH_MAX];

    buf[0] = '\0';
    if (hw_mount_source(sysroot, "/run/initramfs/live", dev, sizeof(dev),
                        fstype, sizeof(fstype)) < 0)
        return;
    /* /dev/disk/by-label/XENPLAY -> /dev/sr0 on a live system */
    if (!realpath(dev, real))
        snprintf(real, sizeof(real), "%s", dev);
    if (!strrchr(real, '/'))
        return;
    /* a partition (sdb1, nvme0n1p1): its disk is its sysfs parent */
    snprintf(buf, len, "%s", strrchr(real, '/') + 1);
    snprintf(path, sizeof(path), "%s/sys/class/block/%s/partition",
             root_of(sysroot), buf);
    if (access(path, F_OK) == 0) {
        snprintf(path, sizeof(path), "%s/sys/class/block/%s/..",
                 root_of(sysroot), buf);
        if (realpath(path, real) && strrchr(real, '/'))
            snprintf(buf, len, "%s", strrchr(real, '/') + 1);
    }
}
