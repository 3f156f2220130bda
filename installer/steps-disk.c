/*
 * steps-disk.c: the install's steps up to the copy (see engine.h):
 * check-hardware, partition, make-filesystems, copy-root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdisk/libfdisk.h>

#include "disk.h"
#include "hw.h"
#include "steps.h"

/*
 * The admin NIC: by MAC, by kernel name, or an XCP-ng name "ethN" taken
 * as the Nth wired NIC in bus order (what XCP-ng's ethN are), so that an
 * XCP-ng answer file needs no change.
 */
static int resolve_nic(struct install *in)
{
    struct answers *a = in->a;
    struct hw_nic nics[HW_MAX];
    char found[2048] = "";
    int n = hw_nics(in->sysroot, nics, HW_MAX), want = -1;

    for (int i = 0; i < n; i++) {
        size_t l = strlen(found);

        snprintf(found + l, sizeof(found) - l, "%s%s (%s)", i ? ", " : "",
                 nics[i].name, nics[i].mac);
        if (a->admin_hwaddr[0] ? !strcmp(nics[i].mac, a->admin_hwaddr)
                               : !strcmp(nics[i].name, a->admin_name))
            want = i;
    }
    if (want < 0 && !a->admin_hwaddr[0] && !strncmp(a->admin_name, "eth", 3)) {
        char *end;
        long k = strtol(a->admin_name + 3, &end, 10);

        if (!*end && k >= 0 && k < n) {
            want = (int)k;
            inst_log(in,
                     "admin-interface %s: XCP-ng's name for the NIC %ld in "
                     "bus order, here %s",
                     a->admin_name, k, nics[k].name);
        }
    }
    if (want < 0)
        return inst_fail(in,
                         "admin-interface %s is not on this host; its NICs "
                         "are: %s",
                         a->admin_hwaddr[0] ? a->admin_hwaddr : a->admin_name,
                         found[0] ? found : "none");
    snprintf(in->admin_mac, sizeof(in->admin_mac), "%s", nics[want].mac);
    snprintf(in->admin_dev, sizeof(in->admin_dev), "%s", nics[want].name);
    return 0;
}

/*
 * The installed host's initrd.  The live root file system has none in its
 * /boot (the ISO would carry it twice): the boot medium has it, split in
 * two by mk/copy-boot-files, microcode first, and the two parts together
 * are the initrd byte for byte.  The ISO is mounted at LIVE_MEDIUM; a
 * netbooted installer fetches the parts from beside its live root
 * (root=live:URL/LiveOS/squashfs.img) into the work directory.  Found
 * before anything is written.
 */
static const char *const initrd_names[2] = {"ucode.img", "initrd.img"};

static int find_initrd(struct install *in)
{
    char line[4096], *root, *end, url[1024];
    const char *suffix = "/LiveOS/squashfs.img";
    int i;

    for (i = 0; i < 2; i++)
        snprintf(in->initrd_parts[i], sizeof(in->initrd_parts[i]),
                 LIVE_MEDIUM "/boot/%s", initrd_names[i]);
    if (access(in->initrd_parts[0], R_OK) == 0 &&
        access(in->initrd_parts[1], R_OK) == 0)
        return 0;

    if (hw_read_line("/proc/cmdline", line, sizeof(line)) < 0)
        line[0] = '\0';
    root = strstr(line, "root=live:http");
    if (!root)
        return inst_fail(
            in,
            "dom0's initrd is not on the boot medium (%s/boot/%s): "
            "boot the installer from the xenplay ISO or its netboot "
            "bundle",
            LIVE_MEDIUM, initrd_names[1]);
    root += strlen("root=live:");
    end = root + strcspn(root, " \t\n");
    if ((size_t)(end - root) <= strlen(suffix) ||
        strncmp(end - strlen(suffix), suffix, strlen(suffix)))
        return inst_fail(
            in,
            "the live root %.*s is not the netboot bundle's "
            "LiveOS/squashfs.img: cannot tell where dom0's initrd is",
            (int)(end - root), root);
    snprintf(in->medium_url, sizeof(in->medium_url), "%.*s",
             (int)(end - root - strlen(suffix)), root);
    for (i = 0; i < 2; i++) {
        snprintf(url, sizeof(url), "%s/boot/%s", in->medium_url,
                 initrd_names[i]);
        snprintf(in->initrd_parts[i], sizeof(in->initrd_parts[i]), "%s/%s",
                 in->workdir, initrd_names[i]);
        if (in->dry_run)
            continue;
        if (inst_fetch(in, url, in->initrd_parts[i]) < 0)
            return inst_fail(in,
                             "cannot fetch dom0's initrd %s from the netboot "
                             "server (see %s); nothing was written",
                             url, in->logpath);
    }
    return 0;
}

/*
 * The live root's squashfs image: the loop device that SOURCE is mounted
 * from (over the ISO's LiveOS/squashfs.img, or over the netboot server's
 * copy in memory).  copy-root unpacks it with unsquashfs: under
 * emulation 28 s, where cp -a through the mounted file system took 67 s
 * (it reads each block once, in order).  Found before anything is
 * written.
 */
static int find_image(struct install *in)
{
    char fstype[64];

    if (hw_mount_source(in->sysroot, in->source, in->image, sizeof(in->image),
                        fstype, sizeof(fstype)) < 0 ||
        strcmp(fstype, "squashfs"))
        return inst_fail(in,
                         "%s is not the live system's squashfs (%s%s%s): "
                         "boot the installer from the xenplay ISO or its "
                         "netboot bundle",
                         in->source, fstype[0] ? fstype : "nothing mounted",
                         in->image[0] ? " from " : "", in->image);
    return 0;
}

/* Write the initrd's parts as one file into the new root's /boot. */
static int write_initrd(struct install *in)
{
    char pattern[PATH_MAX + 64], dest[PATH_MAX + 64], buf[1 << 16];
    const char *kernel;
    glob_t g;
    int out = -1, src = -1, rc = -1;
    ssize_t n;

    snprintf(pattern, sizeof(pattern), "%s/boot/vmlinuz-*", in->target);
    if (glob(pattern, 0, NULL, &g) != 0 || g.gl_pathc != 1) {
        rc = inst_fail(in, "expected one kernel in %s/boot, found %zu",
                       in->target, g.gl_pathc);
        globfree(&g);
        return rc;
    }
    kernel = strrchr(g.gl_pathv[0], '/') + strlen("/vmlinuz-");
    snprintf(dest, sizeof(dest), "%s/boot/initrd.img-%s", in->target, kernel);
    globfree(&g);
    out = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        rc = inst_fail(in, "cannot write %s: %s", dest, strerror(errno));
        goto out;
    }
    for (int i = 0; i < 2; i++) {
        src = open(in->initrd_parts[i], O_RDONLY | O_CLOEXEC);
        if (src < 0) {
            rc = inst_fail(in, "cannot read %s: %s", in->initrd_parts[i],
                           strerror(errno));
            goto out;
        }
        while ((n = read(src, buf, sizeof(buf))) > 0)
            if (write(out, buf, (size_t)n) != n) {
                rc =
                    inst_fail(in, "cannot write %s: %s", dest, strerror(errno));
                goto out;
            }
        if (n < 0) {
            rc = inst_fail(in, "cannot read %s: %s", in->initrd_parts[i],
                           strerror(errno));
            goto out;
        }
        close(src);
        src = -1;
    }
    if (fsync(out) < 0) {
        rc = inst_fail(in, "cannot write %s: %s", dest, strerror(errno));
        goto out;
    }
    inst_log(in, "initrd %s from %s and %s", dest, in->initrd_parts[0],
             in->initrd_parts[1]);
    rc = 0;
out:
    if (src >= 0)
        close(src);
    if (out >= 0)
        close(out);
    return rc;
}

int st_check_medium(struct install *in)
{
    char path[PATH_MAX];

    snprintf(path, sizeof(path), "%s/usr/sbin/xl", in->source);
    if (access(path, X_OK) < 0)
        return inst_fail(in,
                         "%s does not hold the xenplay root file system "
                         "(no usr/sbin/xl): boot the installer from the "
                         "xenplay ISO",
                         in->source);
    return find_initrd(in) < 0 || find_image(in) < 0 ? -1 : 0;
}

int st_check(struct install *in)
{
    struct answers *a = in->a;
    char why[512], path[PATH_MAX], real[PATH_MAX], medium[64];
    uint64_t size = 0;
    unsigned ssz = 512;
    int fd, rc;

    fd = open(in->disk, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return inst_fail(in,
                         "the disk %s is not there (%s): check "
                         "<primary-disk>; lsblk lists the disks",
                         in->disk, strerror(errno));
    {
        struct fdisk_context *cxt = fdisk_new_context();

        if (cxt && fdisk_assign_device(cxt, in->disk, 1) == 0) {
            size = fdisk_get_nsectors(cxt) * fdisk_get_sector_size(cxt);
            ssz = (unsigned)fdisk_get_sector_size(cxt);
        }
        fdisk_unref_context(cxt);
    }
    close(fd);
    if (!size)
        return inst_fail(in, "cannot read the size of %s", in->disk);
    if (layout_plan(&in->l, size, ssz, a->guest_storage, why, sizeof(why)) < 0)
        return inst_fail(in, "%s: %s", in->disk, why);
    hw_medium_disk(in->sysroot, medium, sizeof(medium));
    if (realpath(in->disk, real) && medium[0] &&
        !strcmp(strrchr(real, '/') + 1, medium))
        return inst_fail(in, "%s is the medium this installer booted from",
                         in->disk);
    rc = disk_in_use(in->sysroot, in->disk, why, sizeof(why));
    if (rc < 0)
        return inst_fail(in, "%s", why);
    if (rc > 0 && !in->force)
        return inst_fail(in, "%s; nothing was written", why);
    for (size_t i = 0; i < a->nguest_disks; i++) {
        rc = disk_in_use(in->sysroot, a->guest_disks[i], why, sizeof(why));
        if (rc != 0 && !(rc > 0 && in->force))
            return inst_fail(in, "guest disk: %s; nothing was written", why);
    }
    snprintf(path, sizeof(path), "%s/usr/share/zoneinfo/%s", in->source,
             a->timezone);
    if (access(path, R_OK) < 0)
        return inst_fail(in,
                         "time zone %s is not known (see "
                         "/usr/share/zoneinfo)",
                         a->timezone);
    snprintf(path, sizeof(path), "%s/" KBD_MODEL_MAP, in->source);
    if (keymap_lookup(path, a->keymap, &in->ids.xkb, why, sizeof(why)) < 0)
        return inst_fail(in, "%s", why);
    if (st_check_medium(in) < 0 || resolve_nic(in) < 0)
        return -1;
    inst_log(in, "disk %s: %llu bytes, %u-byte sectors; admin NIC %s (%s)",
             in->disk, (unsigned long long)size, ssz, in->admin_dev,
             in->admin_mac);
    return 0;
}

/* Zero LEN bytes at OFF of FD. */
static int zero_at(int fd, uint64_t off, size_t len)
{
    static const char zeros[65536];

    while (len > 0) {
        size_t n = len < sizeof(zeros) ? len : sizeof(zeros);
        ssize_t w = pwrite(fd, zeros, n, (off_t)off);

        if (w <= 0)
            return -errno;
        off += (uint64_t)w;
        len -= (size_t)w;
    }
    return 0;
}

int st_partition(struct install *in)
{
    struct fdisk_context *cxt;
    char err[512];
    int fd, rc, i;

    in->disk_written = 1;
    /* Forced over active LVM (a host being reinstalled: its guests'
     * volumes were activated at boot): take the volumes down, or the
     * kernel cannot take the new partition table. */
    if (in->force) {
        char holders[32][128];
        int n = disk_dm_holders(in->sysroot, in->disk, holders, 32);

        if (n < 0)
            return inst_fail(in, "cannot list what holds %s: %s", in->disk,
                             strerror(-n));
        for (i = 0; i < n; i++) {
            inst_log(in, "forced: removing the device-mapper device %s",
                     holders[i]);
            if (RUN(in, "dmsetup", "remove", "--retry", holders[i]) < 0)
                return inst_fail(in,
                                 "%s holds %s and cannot be removed (is it "
                                 "mounted or used by a guest?); see %s",
                                 holders[i], in->disk, in->logpath);
        }
    }
    /* Old boot code and the old backup GPT go first: nothing of an old
     * install may boot from this disk. */
    fd = open(in->disk, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return inst_fail(in, "cannot open %s: %s", in->disk, strerror(errno));
    rc = zero_at(fd, 0, MiB);
    if (rc == 0)
        rc = zero_at(fd, in->l.disk_size - MiB, MiB);
    if (rc == 0 && fsync(fd) < 0)
        rc = -errno;
    close(fd);
    if (rc < 0)
        return inst_fail(in, "cannot clear the start of %s: %s", in->disk,
                         strerror(-rc));
    if (disk_write_gpt(in->disk, &in->l, err, sizeof(err)) < 0)
        return inst_fail(in, "%s", err);
    RUN(in, "udevadm", "settle", "--timeout=60");
    cxt = fdisk_new_context();
    if (!cxt)
        return inst_fail(in, "out of memory");
    for (i = 0; i < in->l.np; i++) {
        char *name = fdisk_partname(in->disk, (size_t)i + 1);

        snprintf(in->part[i], sizeof(in->part[i]), "%s", name ? name : "");
        free(name);
        for (int t = 0; t < 100 && access(in->part[i], F_OK) < 0; t++)
            usleep(100000);
        if (access(in->part[i], F_OK) < 0) {
            fdisk_unref_context(cxt);
            return inst_fail(in, "partition %s did not appear", in->part[i]);
        }
        /* No old file system or RAID signature may survive. */
        if (RUN(in, "wipefs", "--all", "--quiet", in->part[i]) < 0) {
            fdisk_unref_context(cxt);
            return -1;
        }
    }
    fdisk_unref_context(cxt);
    return 0;
}

int new_uuid(struct install *in, char *buf, size_t len)
{
    if (hw_read_line("/proc/sys/kernel/random/uuid", buf, len) < 0 ||
        strlen(buf) != 36)
        return inst_fail(in, "cannot make a UUID");
    return 0;
}

int st_mkfs(struct install *in)
{
    struct answers *a = in->a;
    unsigned char r[4];
    char volid[9];

    if (new_uuid(in, in->ids.root, sizeof(in->ids.root)) < 0 ||
        new_uuid(in, in->ids.log, sizeof(in->ids.log)) < 0)
        return -1;
    if (getrandom(r, sizeof(r), 0) != sizeof(r))
        return inst_fail(in, "getrandom: %s", strerror(errno));
    snprintf(volid, sizeof(volid), "%02X%02X%02X%02X", r[0], r[1], r[2], r[3]);
    snprintf(in->ids.esp, sizeof(in->ids.esp), "%.4s-%.4s", volid, volid + 4);
    if (RUN(in, "mkfs.vfat", "-F", "32", "-n", "EFI", "-i", volid,
            in->part[P_ESP]) < 0 ||
        RUN(in, "mkfs.ext4", "-q", "-F", "-U", in->ids.root, "-L",
            "xenplay-root", in->part[in->new_root]) < 0 ||
        RUN(in, "mkfs.ext4", "-q", "-F", "-U", in->ids.log, "-L", "xenplay-log",
            in->part[P_LOG]) < 0)
        return -1;
    if (answers_have_sr(a)) {
        const char *pv[AF_MAX_LIST + 8] = {"pvcreate", "-ff", "-y"};
        const char *vg[AF_MAX_LIST + 8] = {"vgcreate", VG_NAME};
        int np = 3, nv = 2;

        if (in->l.guest_storage) {
            pv[np++] = in->part[P_SR];
            vg[nv++] = in->part[P_SR];
        }
        for (size_t i = 0; i < a->nguest_disks; i++) {
            if (RUN(in, "wipefs", "--all", "--quiet", a->guest_disks[i]) < 0)
                return -1;
            pv[np++] = a->guest_disks[i];
            vg[nv++] = a->guest_disks[i];
        }
        pv[np] = vg[nv] = NULL;
        if (inst_run(in, NULL, pv) < 0 || inst_run(in, NULL, vg) < 0)
            return -1;
        inst_push_undo(in, UNDO_VG_OFF, VG_NAME);
        /* srtype ext: the whole group is one file system of guest disk
         * files, as XCP-ng's ext storage repository is. */
        if (a->sr_type == AF_SR_EXT &&
            (new_uuid(in, in->ids.sr, sizeof(in->ids.sr)) < 0 ||
             RUN(in, "lvcreate", "-q", "-y", "-W", "y", "-Z", "y", "-l",
                 "100%FREE", "-n", SR_EXT_LV, VG_NAME) < 0 ||
             RUN(in, "mkfs.ext4", "-q", "-F", "-U", in->ids.sr, "-L", VG_NAME,
                 "/dev/" VG_NAME "/" SR_EXT_LV) < 0))
            return -1;
    }
    return 0;
}

/* Mount DEV at the new root's REL ("var/log"). */
static int mount_in_target(struct install *in, const char *dev, const char *rel,
                           const char *type)
{
    char path[PATH_MAX + 64];

    snprintf(path, sizeof(path), "%s/%s", in->target, rel);
    *strrchr(path, '/') = '\0';
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/%s", in->target, rel);
    return inst_mount(in, dev, path, type, 0);
}

int st_copy(struct install *in)
{
    snprintf(in->target, sizeof(in->target), "%s/target", in->workdir);
    if (inst_mount(in, in->part[in->new_root], in->target, "ext4", 0) < 0)
        return -1;
    /* An upgrade leaves /var/log (the host's logs) and the EFI system
     * partition (its boot switch) alone until its finish. */
    if (in->mode != MODE_UPGRADE &&
        (mount_in_target(in, in->part[P_LOG], "var/log", "ext4") < 0 ||
         mount_in_target(in, in->part[P_ESP], "boot/efi", "vfat") < 0))
        return -1;
    /* The tested image as it is: the squashfs the live system runs,
     * with its owners, modes, links, times and extended attributes
     * (file capabilities), into the mounted file systems. */
    if (RUN(in, "unsquashfs", "-quiet", "-no-progress", "-force", "-dest",
            in->target, in->image) < 0 ||
        write_initrd(in) < 0)
        return -1;
    if (RUN(in, "sync") < 0)
        return -1;
    return 0;
}
