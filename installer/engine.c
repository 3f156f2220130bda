/*
 * engine.c: the install's steps (see engine.h).  Every command the steps
 * run is one of Debian's tools (mkfs, lvm, cp, grub-install, update-grub)
 * and writes to the install log, never to the terminal.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libfdisk/libfdisk.h>

#include "disk.h"
#include "engine.h"
#include "fetch.h"
#include "hw.h"
#include "xp-run.h"

enum { UNDO_UMOUNT = 1, UNDO_VG_OFF };

#define VG_NAME "xenplay-sr"
#define MARKER  "etc/xenplay/installed"

static void logf_(struct install *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void logf_(struct install *in, const char *fmt, ...)
{
    va_list ap;

    if (!in->log)
        return;
    va_start(ap, fmt);
    vfprintf(in->log, fmt, ap);
    va_end(ap);
    fputc('\n', in->log);
    fflush(in->log);
}

static int failf(struct install *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int failf(struct install *in, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(in->why, sizeof(in->why), fmt, ap);
    va_end(ap);
    logf_(in, "error: %s", in->why);
    return -1;
}

/*
 * Run ARGV (NULL-terminated) with its output in the log (lib/xp-run.c).
 * SECRET, when not NULL, is what the command reads on its standard
 * input: the way to hand it a password hash, which must reach neither
 * the log nor an argument list (/proc/PID/cmdline is readable by every
 * user).
 */
static int run_argv(struct install *in, const char *secret,
                    const char *const argv[])
{
    int fd = in->log ? fileno(in->log) : XP_RUN_NULL;
    struct xp_cmd c = {
        .argv = argv, .input = secret, .out = fd, .err = XP_RUN_TO_OUT};
    char cmd[1024], how[128];
    int st;

    xp_cmd_str(&c, cmd, sizeof(cmd));
    logf_(in, "+ %s", cmd);
    st = xp_cmd_run(&c);
    if (st < 0)
        return failf(in, "cannot run %s: %s", argv[0], strerror(-st));
    if (!xp_status_ok(st)) {
        xp_status_str(st, how, sizeof(how));
        return failf(in, "'%s' failed (%s); its output is in %s", cmd, how,
                     in->logpath);
    }
    return 0;
}

#define RUN(in, ...)                                                           \
    run_argv(in, NULL, (const char *const[]){__VA_ARGS__, NULL})
#define RUN_SECRET(in, secret, ...)                                            \
    run_argv(in, secret, (const char *const[]){__VA_ARGS__, NULL})

static void push_undo(struct install *in, int kind, const char *arg)
{
    if (in->nundo >= UNDO_MAX)
        return;
    in->undo[in->nundo].kind = kind;
    snprintf(in->undo[in->nundo].arg, sizeof(in->undo[0].arg), "%s", arg);
    in->nundo++;
}

/* Unwind: unmount what was mounted, deactivate what was activated. */
static void undo_all(struct install *in)
{
    while (in->nundo > 0) {
        struct undo *u = &in->undo[--in->nundo];

        if (u->kind == UNDO_UMOUNT) {
            logf_(in, "undo: umount %s", u->arg);
            if (umount2(u->arg, 0) < 0 && umount2(u->arg, MNT_DETACH) < 0)
                logf_(in, "undo: umount %s: %s", u->arg, strerror(errno));
        } else if (u->kind == UNDO_VG_OFF) {
            const char *const argv[] = {"vgchange", "-an", u->arg, NULL};

            run_argv(in, NULL, argv);
        }
    }
}

static int mount_undo(struct install *in, const char *src, const char *dst,
                      const char *type, unsigned long flags)
{
    if (mkdir(dst, 0755) < 0 && errno != EEXIST)
        return failf(in, "cannot create %s: %s", dst, strerror(errno));
    if (mount(src, dst, type, flags, NULL) < 0)
        return failf(in, "cannot mount %s on %s: %s", src, dst,
                     strerror(errno));
    push_undo(in, UNDO_UMOUNT, dst);
    logf_(in, "mounted %s on %s", src, dst);
    return 0;
}

static int write_file(struct install *in, const char *path, mode_t mode,
                      const char *text)
{
    FILE *f = fopen(path, "we");

    if (!f)
        return failf(in, "cannot write %s: %s", path, strerror(errno));
    fputs(text, f);
    if (fchmod(fileno(f), mode) < 0 || fflush(f) != 0 || fsync(fileno(f)) < 0) {
        fclose(f);
        return failf(in, "cannot write %s: %s", path, strerror(errno));
    }
    fclose(f);
    return 0;
}

/* Steps --------------------------------------------------------------- */

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
            logf_(in,
                  "admin-interface %s: XCP-ng's name for the NIC %ld in "
                  "bus order, here %s",
                  a->admin_name, k, nics[k].name);
        }
    }
    if (want < 0)
        return failf(in,
                     "admin-interface %s is not on this host; its NICs "
                     "are: %s",
                     a->admin_hwaddr[0] ? a->admin_hwaddr : a->admin_name,
                     found[0] ? found : "none");
    snprintf(in->admin_mac, sizeof(in->admin_mac), "%s", nics[want].mac);
    snprintf(in->admin_dev, sizeof(in->admin_dev), "%s", nics[want].name);
    return 0;
}

/* Fetch a script or boot file URL (file:// or http://) to PATH
 * (fetch.c), the command and its failure in the log. */
static int fetch(struct install *in, const char *url, const char *path)
{
    char cmd[1024], why[512];
    int rc = fetch_url(url, path, cmd, sizeof(cmd), why, sizeof(why));

    logf_(in, "+ %s", cmd);
    if (rc < 0)
        logf_(in, "%s", why);
    return rc;
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
#define LIVE_MEDIUM "/run/initramfs/live"
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
        return failf(in,
                     "dom0's initrd is not on the boot medium (%s/boot/%s): "
                     "boot the installer from the xenplay ISO or its netboot "
                     "bundle",
                     LIVE_MEDIUM, initrd_names[1]);
    root += strlen("root=live:");
    end = root + strcspn(root, " \t\n");
    if ((size_t)(end - root) <= strlen(suffix) ||
        strncmp(end - strlen(suffix), suffix, strlen(suffix)))
        return failf(in,
                     "the live root %.*s is not the netboot bundle's "
                     "LiveOS/squashfs.img: cannot tell where dom0's initrd is",
                     (int)(end - root), root);
    for (i = 0; i < 2; i++) {
        snprintf(url, sizeof(url), "%.*s/boot/%s",
                 (int)(end - root - strlen(suffix)), root, initrd_names[i]);
        snprintf(in->initrd_parts[i], sizeof(in->initrd_parts[i]), "%s/%s",
                 in->workdir, initrd_names[i]);
        if (in->dry_run)
            continue;
        if (fetch(in, url, in->initrd_parts[i]) < 0)
            return failf(in,
                         "cannot fetch dom0's initrd %s from the netboot "
                         "server (see %s); nothing was written",
                         url, in->logpath);
    }
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
        rc = failf(in, "expected one kernel in %s/boot, found %zu", in->target,
                   g.gl_pathc);
        globfree(&g);
        return rc;
    }
    kernel = strrchr(g.gl_pathv[0], '/') + strlen("/vmlinuz-");
    snprintf(dest, sizeof(dest), "%s/boot/initrd.img-%s", in->target, kernel);
    globfree(&g);
    out = open(dest, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        rc = failf(in, "cannot write %s: %s", dest, strerror(errno));
        goto out;
    }
    for (int i = 0; i < 2; i++) {
        src = open(in->initrd_parts[i], O_RDONLY | O_CLOEXEC);
        if (src < 0) {
            rc = failf(in, "cannot read %s: %s", in->initrd_parts[i],
                       strerror(errno));
            goto out;
        }
        while ((n = read(src, buf, sizeof(buf))) > 0)
            if (write(out, buf, (size_t)n) != n) {
                rc = failf(in, "cannot write %s: %s", dest, strerror(errno));
                goto out;
            }
        if (n < 0) {
            rc = failf(in, "cannot read %s: %s", in->initrd_parts[i],
                       strerror(errno));
            goto out;
        }
        close(src);
        src = -1;
    }
    if (fsync(out) < 0) {
        rc = failf(in, "cannot write %s: %s", dest, strerror(errno));
        goto out;
    }
    logf_(in, "initrd %s from %s and %s", dest, in->initrd_parts[0],
          in->initrd_parts[1]);
    rc = 0;
out:
    if (src >= 0)
        close(src);
    if (out >= 0)
        close(out);
    return rc;
}

static int st_check(struct install *in)
{
    struct answers *a = in->a;
    char why[512], path[PATH_MAX], real[PATH_MAX], medium[64];
    uint64_t size = 0;
    unsigned ssz = 512;
    int fd, rc;

    fd = open(in->disk, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return failf(in,
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
        return failf(in, "cannot read the size of %s", in->disk);
    if (layout_plan(&in->l, size, ssz, a->guest_storage, why, sizeof(why)) < 0)
        return failf(in, "%s: %s", in->disk, why);
    hw_medium_disk(in->sysroot, medium, sizeof(medium));
    if (realpath(in->disk, real) && medium[0] &&
        !strcmp(strrchr(real, '/') + 1, medium))
        return failf(in, "%s is the medium this installer booted from",
                     in->disk);
    rc = disk_in_use(in->sysroot, in->disk, why, sizeof(why));
    if (rc < 0)
        return failf(in, "%s", why);
    if (rc > 0 && !in->force)
        return failf(in, "%s; nothing was written", why);
    for (size_t i = 0; i < a->nguest_disks; i++) {
        rc = disk_in_use(in->sysroot, a->guest_disks[i], why, sizeof(why));
        if (rc != 0 && !(rc > 0 && in->force))
            return failf(in, "guest disk: %s; nothing was written", why);
    }
    snprintf(path, sizeof(path), "%s/usr/share/zoneinfo/%s", in->source,
             a->timezone);
    if (access(path, R_OK) < 0)
        return failf(in,
                     "time zone %s is not known (see "
                     "/usr/share/zoneinfo)",
                     a->timezone);
    snprintf(path, sizeof(path), "%s/usr/sbin/xl", in->source);
    if (access(path, X_OK) < 0)
        return failf(in,
                     "%s does not hold the xenplay root file system "
                     "(no usr/sbin/xl): boot the installer from the "
                     "xenplay ISO",
                     in->source);
    if (resolve_nic(in) < 0 || find_initrd(in) < 0)
        return -1;
    logf_(in, "disk %s: %llu bytes, %u-byte sectors; admin NIC %s (%s)",
          in->disk, (unsigned long long)size, ssz, in->admin_dev,
          in->admin_mac);
    return 0;
}

static int run_scripts(struct install *in, enum af_stage stage, const char *arg)
{
    char path[PATH_MAX];

    for (size_t i = 0; i < in->a->nscripts; i++) {
        const struct af_script *s = &in->a->scripts[i];

        if (s->stage != stage)
            continue;
        snprintf(path, sizeof(path), "%s/script-%zu", in->workdir, i);
        if (fetch(in, s->url, path) < 0)
            return failf(in, "cannot fetch the %s script %s: see %s",
                         af_stage_name(stage), s->url, in->logpath);
        chmod(path, 0755);
        if (run_argv(in, NULL, (const char *const[]){path, arg, NULL}) < 0)
            return failf(in, "the %s script %s failed: see %s",
                         af_stage_name(stage), s->url, in->logpath);
    }
    return 0;
}

static int st_script_start(struct install *in)
{
    return run_scripts(in, AF_STAGE_START, NULL);
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

static int st_partition(struct install *in)
{
    struct fdisk_context *cxt;
    char err[512];
    int fd, rc, i;

    /* Forced over active LVM (a host being reinstalled: its guests'
     * volumes were activated at boot): take the volumes down, or the
     * kernel cannot take the new partition table. */
    if (in->force) {
        char holders[32][128];
        int n = disk_dm_holders(in->sysroot, in->disk, holders, 32);

        if (n < 0)
            return failf(in, "cannot list what holds %s: %s", in->disk,
                         strerror(-n));
        for (i = 0; i < n; i++) {
            logf_(in, "forced: removing the device-mapper device %s",
                  holders[i]);
            if (RUN(in, "dmsetup", "remove", "--retry", holders[i]) < 0)
                return failf(in,
                             "%s holds %s and cannot be removed (is it "
                             "mounted or used by a guest?); see %s",
                             holders[i], in->disk, in->logpath);
        }
    }
    /* Old boot code and the old backup GPT go first: nothing of an old
     * install may boot from this disk. */
    fd = open(in->disk, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return failf(in, "cannot open %s: %s", in->disk, strerror(errno));
    rc = zero_at(fd, 0, MiB);
    if (rc == 0)
        rc = zero_at(fd, in->l.disk_size - MiB, MiB);
    if (rc == 0 && fsync(fd) < 0)
        rc = -errno;
    close(fd);
    if (rc < 0)
        return failf(in, "cannot clear the start of %s: %s", in->disk,
                     strerror(-rc));
    if (disk_write_gpt(in->disk, &in->l, err, sizeof(err)) < 0)
        return failf(in, "%s", err);
    RUN(in, "udevadm", "settle", "--timeout=60");
    cxt = fdisk_new_context();
    if (!cxt)
        return failf(in, "out of memory");
    for (i = 0; i < in->l.np; i++) {
        char *name = fdisk_partname(in->disk, (size_t)i + 1);

        snprintf(in->part[i], sizeof(in->part[i]), "%s", name ? name : "");
        free(name);
        for (int t = 0; t < 100 && access(in->part[i], F_OK) < 0; t++)
            usleep(100000);
        if (access(in->part[i], F_OK) < 0) {
            fdisk_unref_context(cxt);
            return failf(in, "partition %s did not appear", in->part[i]);
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

static int new_uuid(struct install *in, char *buf, size_t len)
{
    if (hw_read_line("/proc/sys/kernel/random/uuid", buf, len) < 0 ||
        strlen(buf) != 36)
        return failf(in, "cannot make a UUID");
    return 0;
}

static int st_mkfs(struct install *in)
{
    struct answers *a = in->a;
    unsigned char r[4];
    char volid[9];

    if (new_uuid(in, in->ids.root, sizeof(in->ids.root)) < 0 ||
        new_uuid(in, in->ids.log, sizeof(in->ids.log)) < 0)
        return -1;
    if (getrandom(r, sizeof(r), 0) != sizeof(r))
        return failf(in, "getrandom: %s", strerror(errno));
    snprintf(volid, sizeof(volid), "%02X%02X%02X%02X", r[0], r[1], r[2], r[3]);
    snprintf(in->ids.esp, sizeof(in->ids.esp), "%.4s-%.4s", volid, volid + 4);
    if (RUN(in, "mkfs.vfat", "-F", "32", "-n", "EFI", "-i", volid,
            in->part[P_ESP]) < 0 ||
        RUN(in, "mkfs.ext4", "-q", "-F", "-U", in->ids.root, "-L",
            "xenplay-root", in->part[P_ROOT_A]) < 0 ||
        RUN(in, "mkfs.ext4", "-q", "-F", "-U", in->ids.log, "-L", "xenplay-log",
            in->part[P_LOG]) < 0)
        return -1;
    if (in->l.guest_storage || a->nguest_disks) {
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
        if (run_argv(in, NULL, pv) < 0 || run_argv(in, NULL, vg) < 0)
            return -1;
        push_undo(in, UNDO_VG_OFF, VG_NAME);
    }
    return 0;
}

static int st_copy(struct install *in)
{
    char path[PATH_MAX + 64], src[PATH_MAX];

    snprintf(in->target, sizeof(in->target), "%s/target", in->workdir);
    if (mount_undo(in, in->part[P_ROOT_A], in->target, "ext4", 0) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/var", in->target);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/var/log", in->target);
    if (mount_undo(in, in->part[P_LOG], path, "ext4", 0) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/boot", in->target);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/boot/efi", in->target);
    if (mount_undo(in, in->part[P_ESP], path, "vfat", 0) < 0)
        return -1;
    /* The tested image as it is: the squashfs the live system runs. */
    snprintf(src, sizeof(src), "%s/.", in->source);
    if (RUN(in, "cp", "-a", "--", src, in->target) < 0 || write_initrd(in) < 0)
        return -1;
    if (RUN(in, "sync") < 0)
        return -1;
    return 0;
}

/* Tokens of LINE that start with one of PREFIXES, into OUT. */
static void pick_tokens(const char *line, const char *const prefixes[],
                        char *out, size_t len)
{
    char *copy = strdup(line), *save = NULL, *t;
    size_t used = 0;

    out[0] = '\0';
    if (!copy)
        return;
    for (t = strtok_r(copy, " \t\n", &save); t;
         t = strtok_r(NULL, " \t\n", &save))
        for (int i = 0; prefixes[i]; i++)
            if (!strncmp(t, prefixes[i], strlen(prefixes[i])) && used < len) {
                used += (size_t)snprintf(out + used, len - used, "%s%s",
                                         used ? " " : "", t);
                break;
            }
    free(copy);
}

/* The consoles the live system runs on carry over to the installed one. */
static void consoles(struct install *in)
{
    static const char *const xen[] = {"console=", "com1=", "com2=", NULL};
    static const char *const dom0[] = {"console=", NULL};
    char line[4096] = "";
    const char *const argv[] = {"xl", "info", "xen_commandline", NULL};
    struct xp_cmd xl = {
        .argv = argv, .capture = line, .capture_len = sizeof(line)};

    if (!xp_status_ok(xp_cmd_run(&xl)))
        line[0] = '\0';
    /* None found: config.c writes the menu's defaults. */
    pick_tokens(line, xen, in->ids.xen_console, sizeof(in->ids.xen_console));
    if (hw_read_line("/proc/cmdline", line, sizeof(line)) == 0)
        pick_tokens(line, dom0, in->ids.dom0_console,
                    sizeof(in->ids.dom0_console));
}

/* grub.cfg starts with this: no boot until the install has finished. */
static const char grub_gate[] =
    "#!/bin/sh\n"
    "# xenplay: boot this host only once its installation has finished\n"
    "# (xenplay-install writes /" MARKER " last).\n"
    "set -e\n"
    "uuid=$(grub-probe --target=fs_uuid /)\n"
    "cat <<EOF\n"
    "search --no-floppy --fs-uuid --set=xenplay_root $uuid\n"
    "if [ ! -f (\\$xenplay_root)/" MARKER " ]; then\n"
    "  echo \"xenplay: the installation of this host did not finish.\"\n"
    "  echo \"xenplay: boot the xenplay ISO and install it again.\"\n"
    "  sleep --interruptible 600\n"
    "  halt\n"
    "fi\n"
    "EOF\n";

/* Debian's grub-pc and grub-efi-amd64 ship these; this host has
 * neither (they conflict), so kernel upgrades call update-grub here. */
static const char kernel_hook[] =
    "#!/bin/sh\n"
    "# xenplay: regenerate GRUB's entries (Xen first) when a kernel is\n"
    "# installed or removed.\n"
    "set -e\n"
    "command -v update-grub >/dev/null || exit 0\n"
    "[ -e /boot/grub/grub.cfg ] || exit 0\n"
    "exec update-grub\n";

static int st_configure(struct install *in)
{
    struct answers *a = in->a;
    char path[PATH_MAX + 64], err[512], zone[PATH_MAX];
    int rc;

    consoles(in);
    /* The NIC by MAC: stable whatever the kernel names it. */
    snprintf(a->admin_hwaddr, sizeof(a->admin_hwaddr), "%s", in->admin_mac);
    if (config_render(in->target, a, &in->ids, err, sizeof(err)) < 0)
        return failf(in, "%s", err);
    if (a->root_hash[0]) {
        char line[sizeof(a->root_hash) + 8];

        snprintf(line, sizeof(line), "root:%s\n", a->root_hash);
        rc = RUN_SECRET(in, line, "chpasswd", "--root", in->target,
                        "--encrypted");
        explicit_bzero(line, sizeof(line));
        if (rc < 0)
            return -1;
    }
    snprintf(zone, sizeof(zone), "/usr/share/zoneinfo/%s", a->timezone);
    snprintf(path, sizeof(path), "%s/etc/localtime", in->target);
    unlink(path);
    if (symlink(zone, path) < 0)
        return failf(in, "cannot link %s: %s", path, strerror(errno));
    snprintf(path, sizeof(path), "%s/etc/timezone", in->target);
    snprintf(zone, sizeof(zone), "%s\n", a->timezone);
    if (write_file(in, path, 0644, zone) < 0)
        return -1;
    /* The live system's uplink guess gives way to the answer file's NIC;
     * NTP as asked. */
    if (RUN(in, "systemctl", "--root", in->target, "disable",
            "xenplay-uplink.service") < 0)
        return -1;
    if (a->ntp == AF_NTP_NONE &&
        RUN(in, "systemctl", "--root", in->target, "disable",
            "systemd-timesyncd.service") < 0)
        logf_(in, "note: no systemd-timesyncd to disable");
    snprintf(path, sizeof(path), "%s/etc/grub.d/01_xenplay_installed",
             in->target);
    if (write_file(in, path, 0755, grub_gate) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/etc/kernel/postinst.d", in->target);
    RUN(in, "mkdir", "-p", path);
    snprintf(path, sizeof(path), "%s/etc/kernel/postinst.d/zz-update-grub",
             in->target);
    if (write_file(in, path, 0755, kernel_hook) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/etc/kernel/postrm.d", in->target);
    RUN(in, "mkdir", "-p", path);
    snprintf(path, sizeof(path), "%s/etc/kernel/postrm.d/zz-update-grub",
             in->target);
    if (write_file(in, path, 0755, kernel_hook) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/etc/xenplay", in->target);
    mkdir(path, 0755);
    return 0;
}

static int st_script_populated(struct install *in)
{
    return run_scripts(in, AF_STAGE_POPULATED, in->target);
}

static int st_bootloader(struct install *in)
{
    static const char *const binds[] = {"dev", "proc", "sys", "run"};
    char path[PATH_MAX + 64], cfg[PATH_MAX + 64];
    struct stat st;
    FILE *f;
    char line[512];
    int have_mb2 = 0;

    for (size_t i = 0; i < sizeof(binds) / sizeof(*binds); i++) {
        char src[16];

        snprintf(src, sizeof(src), "/%s", binds[i]);
        snprintf(path, sizeof(path), "%s/%s", in->target, binds[i]);
        if (mount_undo(in, src, path, NULL, MS_BIND | MS_REC) < 0)
            return -1;
    }
    /* Xen's entries before plain Linux, kept across upgrades. */
    if (RUN(in, "chroot", in->target, "dpkg-divert", "--local", "--rename",
            "--divert", "/etc/grub.d/08_linux_xen", "--add",
            "/etc/grub.d/20_linux_xen") < 0)
        return -1;
    if (RUN(in, "chroot", in->target, "grub-install", "--target=i386-pc",
            in->disk) < 0)
        return -1;
    /* The removable path boots on any UEFI firmware, NVRAM or not. */
    if (RUN(in, "chroot", in->target, "grub-install", "--target=x86_64-efi",
            "--efi-directory=/boot/efi", "--removable", "--no-nvram") < 0)
        return -1;
    if (stat("/sys/firmware/efi/efivars", &st) == 0 &&
        RUN(in, "chroot", in->target, "grub-install", "--target=x86_64-efi",
            "--efi-directory=/boot/efi", "--bootloader-id=xenplay") < 0)
        return -1;
    if (RUN(in, "chroot", in->target, "update-grub") < 0)
        return -1;
    snprintf(cfg, sizeof(cfg), "%s/boot/grub/grub.cfg", in->target);
    f = fopen(cfg, "re");
    while (f && fgets(line, sizeof(line), f))
        if (strstr(line, "multiboot2") && strstr(line, "xen"))
            have_mb2 = 1;
    if (f)
        fclose(f);
    if (!have_mb2)
        return failf(in,
                     "update-grub wrote no Xen (multiboot2) entry to "
                     "%s",
                     cfg);
    return 0;
}

static int st_finish(struct install *in)
{
    char path[PATH_MAX + 64], stamp[256];
    time_t now = time(NULL);
    int fd;

    if (run_scripts(in, AF_STAGE_COMPLETE, "0") < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/var/log/xenplay-install.log", in->target);
    if (in->log)
        fflush(in->log);
    /* Root's only: it names the disks, the network and the scripts run. */
    if (RUN(in, "install", "-m", "0600", "--", in->logpath, path) < 0)
        return -1;
    if (in->answerfile) {
        snprintf(path, sizeof(path), "%s/var/log/xenplay-answerfile.xml",
                 in->target);
        if (RUN(in, "install", "-m", "0600", "--", in->answerfile, path) < 0)
            return -1;
    }
    if (RUN(in, "sync") < 0)
        return -1;
    /* Last: the mark the disk's GRUB looks for. */
    snprintf(stamp, sizeof(stamp), "installed %s", ctime(&now));
    snprintf(path, sizeof(path), "%s/" MARKER ".tmp", in->target);
    if (write_file(in, path, 0644, stamp) < 0)
        return -1;
    {
        char final[PATH_MAX + 64];

        snprintf(final, sizeof(final), "%s/" MARKER, in->target);
        if (rename(path, final) < 0)
            return failf(in, "cannot write %s: %s", final, strerror(errno));
    }
    snprintf(path, sizeof(path), "%s/etc/xenplay", in->target);
    fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    sync();
    return 0;
}

static const struct step {
    const char *name;
    int (*run)(struct install *in);
} steps[] = {
    {"check-hardware", st_check},
    {"script-start", st_script_start},
    {"partition", st_partition},
    {"make-filesystems", st_mkfs},
    {"copy-root", st_copy},
    {"configure", st_configure},
    {"script-populated", st_script_populated},
    {"bootloader", st_bootloader},
    {"finish", st_finish},
};

const char *install_step_name(int i)
{
    return i >= 0 && i < install_nsteps() ? steps[i].name : NULL;
}

int install_nsteps(void)
{
    return (int)(sizeof(steps) / sizeof(*steps));
}

int install_run(struct install *in)
{
    int i, n = in->dry_run ? 1 : install_nsteps(), rc = 0;

    mkdir(in->workdir, 0700);
    snprintf(in->logpath, sizeof(in->logpath), "%s/install.log", in->workdir);
    in->log = fopen(in->logpath, "ae");
    for (i = 0; i < n; i++) {
        in->ui->progress(in->ui->ctx, steps[i].name, "start", "");
        /* the TUI's dry run shares the log: keep it apart */
        logf_(in, "%sstep=%s", in->dry_run ? "dry-run " : "", steps[i].name);
        rc = steps[i].run(in);
        in->ui->progress(in->ui->ctx, steps[i].name, rc < 0 ? "fail" : "ok",
                         rc < 0 ? in->why : "");
        if (rc < 0) {
            snprintf(in->failed_step, sizeof(in->failed_step), "%s",
                     steps[i].name);
            if (i > 0)
                run_scripts(in, AF_STAGE_COMPLETE, "1");
            break;
        }
    }
    undo_all(in);
    if (in->log) {
        fclose(in->log);
        in->log = NULL;
    }
    return rc < 0 ? -1 : 0;
}
