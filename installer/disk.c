/*
 * disk.c: is the target disk free, and its new GPT (libfdisk).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <libfdisk/libfdisk.h>

#include "disk.h"
#include "xp-fs.h"

static void path_in(const char *sysroot, const char *rel, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", strcmp(sysroot, "/") ? sysroot : "", rel);
}

/* "sda" for /dev/sda (following /dev/disk/by-id links), or NULL. */
static const char *kernel_name(const char *dev, char *buf, size_t len)
{
    char real[PATH_MAX];
    const char *base;

    if (!realpath(dev, real))
        snprintf(real, sizeof(real), "%s", dev);
    base = strrchr(real, '/');
    snprintf(buf, len, "%s", base ? base + 1 : real);
    return buf;
}

/* Names of DISK and its partitions (the subdirectories of its
 * /sys/block entry named after it), as in /sys/class/block. */
static int block_names(const char *sysroot, const char *disk, char ***out)
{
    char path[PATH_MAX], full[PATH_MAX], **names, **v;
    size_t n = 0, len = strlen(disk), count = 0;

    snprintf(path, sizeof(path), "sys/block/%s", disk);
    path_in(sysroot, path, full, sizeof(full));
    names = xp_dir_names(full);
    for (char **p = names; p && *p; p++)
        count++;
    v = calloc(count + 2, sizeof(*v));
    if (!v || !(v[n++] = strdup(disk))) {
        xp_strv_free(names);
        free(v);
        return -ENOMEM;
    }
    for (char **p = names; p && *p; p++)
        if (!strncmp(*p, disk, len) && (*p)[len] && (v[n] = strdup(*p)))
            n++;
    xp_strv_free(names);
    *out = v;
    return 0;
}

/* The first line of SYSROOT/REL, without its newline. */
static int read_rel(const char *sysroot, const char *rel, char *buf, size_t len)
{
    char path[PATH_MAX];
    FILE *f;

    path_in(sysroot, rel, path, sizeof(path));
    f = fopen(path, "re");
    if (!f)
        return -errno;
    if (!fgets(buf, (int)len, f)) {
        fclose(f);
        return -EIO;
    }
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

/* The "major:minor" of NAME from /sys/class/block/NAME/dev. */
static int dev_numbers(const char *sysroot, const char *name, char *buf,
                       size_t len)
{
    char rel[PATH_MAX];

    snprintf(rel, sizeof(rel), "sys/class/block/%s/dev", name);
    return read_rel(sysroot, rel, buf, len);
}

int disk_in_use(const char *sysroot, const char *dev, char *why, size_t len)
{
    char disk[64], path[PATH_MAX], rel[PATH_MAX], num[32], line[4096];
    char **names = NULL;
    struct dirent *de;
    FILE *f;
    DIR *d;
    int rc;

    kernel_name(dev, disk, sizeof(disk));
    snprintf(rel, sizeof(rel), "sys/class/block/%s", disk);
    path_in(sysroot, rel, path, sizeof(path));
    if (access(path, F_OK) < 0) {
        snprintf(why, len,
                 "%s is not a block device the kernel knows "
                 "(lsblk lists them)",
                 dev);
        return -ENODEV;
    }
    rc = block_names(sysroot, disk, &names);
    if (rc < 0)
        return rc;
    rc = 0;
    for (char **n = names; *n && rc == 0; n++) {
        /* Held by device mapper, MD, bcache...: active LVM and the like. */
        snprintf(rel, sizeof(rel), "sys/class/block/%s/holders", *n);
        path_in(sysroot, rel, path, sizeof(path));
        d = opendir(path);
        while (d && (de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            snprintf(why, len,
                     "/dev/%s is in use by %s (active LVM, RAID "
                     "or encryption: deactivate it, e.g. "
                     "vgchange -an, or force)",
                     *n, de->d_name);
            rc = 1;
            break;
        }
        if (d)
            closedir(d);
        if (rc || dev_numbers(sysroot, *n, num, sizeof(num)) < 0)
            continue;
        /* Mounted: field 3 of mountinfo is major:minor. */
        path_in(sysroot, "proc/self/mountinfo", path, sizeof(path));
        f = fopen(path, "re");
        while (f && fgets(line, sizeof(line), f)) {
            char mm[32], mnt[1024];

            if (sscanf(line, "%*s %*s %31s %*s %1023s", mm, mnt) == 2 &&
                !strcmp(mm, num)) {
                snprintf(why, len,
                         "/dev/%s is mounted on %s (unmount it, "
                         "or force)",
                         *n, mnt);
                rc = 1;
                break;
            }
        }
        if (f)
            fclose(f);
        if (rc)
            continue;
        path_in(sysroot, "proc/swaps", path, sizeof(path));
        f = fopen(path, "re");
        while (f && fgets(line, sizeof(line), f)) {
            char sw[256], base[64];

            if (sscanf(line, "%255s", sw) == 1 && !strncmp(sw, "/dev/", 5) &&
                !strcmp(kernel_name(sw, base, sizeof(base)), *n)) {
                snprintf(why, len,
                         "/dev/%s is active swap (swapoff it, or "
                         "force)",
                         *n);
                rc = 1;
                break;
            }
        }
        if (f)
            fclose(f);
    }
    xp_strv_free(names);
    return rc;
}

int disk_dm_holders(const char *sysroot, const char *dev, char names[][128],
                    int max)
{
    char disk[64], rel[PATH_MAX], path[PATH_MAX];
    char **parts = NULL;
    struct dirent *de;
    int n = 0, rc;
    DIR *d;

    kernel_name(dev, disk, sizeof(disk));
    rc = block_names(sysroot, disk, &parts);
    if (rc < 0)
        return rc;
    for (char **p = parts; *p; p++) {
        snprintf(rel, sizeof(rel), "sys/class/block/%s/holders", *p);
        path_in(sysroot, rel, path, sizeof(path));
        d = opendir(path);
        while (d && (de = readdir(d))) {
            if (strncmp(de->d_name, "dm-", 3))
                continue;
            if (n >= max) {
                rc = -E2BIG;
                break;
            }
            snprintf(rel, sizeof(rel), "sys/block/%s/dm/name", de->d_name);
            if (read_rel(sysroot, rel, names[n], 128) == 0 && names[n][0])
                n++;
        }
        if (d)
            closedir(d);
    }
    xp_strv_free(parts);
    return rc < 0 ? rc : n;
}

int disk_write_gpt(const char *dev, const struct layout *l, char *err,
                   size_t errlen)
{
    struct fdisk_context *cxt = NULL;
    struct fdisk_label *lb;
    struct fdisk_partition *pa = NULL;
    struct fdisk_parttype *type = NULL;
    unsigned long ssz;
    int i, rc;

    cxt = fdisk_new_context();
    if (!cxt)
        return -ENOMEM;
    rc = fdisk_assign_device(cxt, dev, 0);
    if (rc < 0) {
        snprintf(err, errlen, "cannot open %s for writing: %s", dev,
                 strerror(-rc));
        goto out;
    }
    ssz = fdisk_get_sector_size(cxt);
    if (ssz != l->sector_size) {
        snprintf(err, errlen, "%s has %lu-byte sectors, the plan %u", dev, ssz,
                 l->sector_size);
        rc = -EINVAL;
        goto out;
    }
    /* Old signatures (file systems, RAID, LVM) go with the old table. */
    fdisk_enable_wipe(cxt, 1);
    rc = fdisk_create_disklabel(cxt, "gpt");
    if (rc < 0) {
        snprintf(err, errlen, "cannot create a GPT on %s: %s", dev,
                 strerror(-rc));
        goto out;
    }
    lb = fdisk_get_label(cxt, "gpt");
    for (i = 0; i < l->np; i++) {
        const struct part *p = &l->p[i];

        pa = fdisk_new_partition();
        type = fdisk_label_parse_parttype(lb, p->type);
        if (!pa || !type) {
            rc = -ENOMEM;
            goto out;
        }
        fdisk_partition_set_partno(pa, (size_t)i);
        fdisk_partition_set_start(pa, p->start / ssz);
        fdisk_partition_set_size(pa, p->size / ssz);
        fdisk_partition_set_type(pa, type);
        fdisk_partition_set_name(pa, p->label);
        rc = fdisk_add_partition(cxt, pa, NULL);
        fdisk_unref_parttype(type);
        type = NULL;
        fdisk_unref_partition(pa);
        pa = NULL;
        if (rc < 0) {
            snprintf(err, errlen, "cannot add partition %d (%s) on %s: %s",
                     i + 1, p->name, dev, strerror(-rc));
            goto out;
        }
    }
    rc = fdisk_write_disklabel(cxt);
    if (rc < 0) {
        snprintf(err, errlen, "failed to write the GPT to %s: %s", dev,
                 strerror(-rc));
        goto out;
    }
    /* The kernel learns a block device's new partitions now (a regular
     * file, an image, has no kernel view to update). */
    if (!fdisk_is_regfile(cxt)) {
        rc = fdisk_reread_partition_table(cxt);
        if (rc < 0) {
            snprintf(err, errlen,
                     "wrote the GPT to %s, but the kernel did "
                     "not take it (%s): is the disk in use?",
                     dev, strerror(-rc));
            goto out;
        }
    }
    rc = fdisk_deassign_device(cxt, 0);
    if (rc < 0)
        snprintf(err, errlen,
                 "wrote the GPT to %s, but closing it failed: "
                 "%s",
                 dev, strerror(-rc));
out:
    fdisk_unref_parttype(type);
    fdisk_unref_partition(pa);
    fdisk_unref_context(cxt);
    return rc;
}

int disk_find_parts(const char *dev, char part[P_COUNT][64],
                    uint64_t size[P_COUNT], char *err, size_t errlen)
{
    static const enum part_id needed[] = {P_ESP, P_ROOT_A, P_ROOT_B, P_LOG};
    struct fdisk_context *cxt = fdisk_new_context();
    struct fdisk_table *tb = NULL;
    struct fdisk_iter *itr = NULL;
    struct fdisk_partition *pa;
    int rc;

    for (int i = 0; i < P_COUNT; i++) {
        part[i][0] = '\0';
        size[i] = 0;
    }
    if (!cxt)
        return -ENOMEM;
    rc = fdisk_assign_device(cxt, dev, 1);
    if (rc < 0) {
        snprintf(err, errlen, "cannot read %s: %s", dev, strerror(-rc));
        goto out;
    }
    if (!fdisk_is_labeltype(cxt, FDISK_DISKLABEL_GPT)) {
        snprintf(err, errlen,
                 "%s has no GPT: it holds no xenplay install (lsblk -o "
                 "NAME,PARTLABEL shows what it holds)",
                 dev);
        rc = -ENOENT;
        goto out;
    }
    itr = fdisk_new_iter(FDISK_ITER_FORWARD);
    rc = itr ? fdisk_get_partitions(cxt, &tb) : -ENOMEM;
    if (rc < 0) {
        snprintf(err, errlen, "cannot read the partitions of %s: %s", dev,
                 strerror(-rc));
        goto out;
    }
    while (fdisk_table_next_partition(tb, itr, &pa) == 0) {
        const char *name = fdisk_partition_get_name(pa);

        for (int i = 0; name && i < P_COUNT; i++)
            if (!strcmp(name, layout_label((enum part_id)i))) {
                char *path =
                    fdisk_partname(dev, fdisk_partition_get_partno(pa) + 1);

                snprintf(part[i], sizeof(part[i]), "%s", path ? path : "");
                free(path);
                size[i] =
                    fdisk_partition_get_size(pa) * fdisk_get_sector_size(cxt);
            }
    }
    rc = 0;
    for (size_t i = 0; i < sizeof(needed) / sizeof(*needed); i++)
        if (!part[needed[i]][0]) {
            snprintf(err, errlen,
                     "%s has no partition named '%s': it holds no xenplay "
                     "install (lsblk -o NAME,PARTLABEL shows what it holds)",
                     dev, layout_label(needed[i]));
            rc = -ENOENT;
            break;
        }
out:
    fdisk_free_iter(itr);
    fdisk_unref_table(tb);
    fdisk_unref_context(cxt);
    return rc;
}
