/*
 * upgrade.c: a newer xenplay onto the root partition not in use, with the
 * host's configuration carried over (xenplay-install --upgrade), and back
 * to the version before (--restore); the steps are in engine.h.
 *
 * An installed host has two root partitions (layout.h).  The EFI system
 * partition's boot switch (grub/xenplay.env, steps-host.c) names the
 * one that boots.  An upgrade writes the other one, carries the table
 * below over from the one in use, writes the new root's completion mark,
 * and only then replaces the switch: a power cut at any point before
 * leaves the old version booting as it did.  The old root stays as it
 * was; the new root's GRUB menu offers it as "Previous version", which,
 * chosen, becomes the default again, as a restore makes it.  The guests'
 * storage repository and /var/log (partitions of their own) are never written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "disk.h"
#include "hw.h"
#include "steps.h"
#include "upgrade.h"
#include "xp-fs.h"
#include "xp-run.h"

#define VERSION_FILE "usr/lib/xenplay/version"

/*
 * What an upgrade carries over from the old root, and nothing else: the
 * host's identity and configuration as the installer and the admin left
 * them.  A path with a '*' is a pattern; a directory comes with all it
 * holds and replaces the new root's.  What is not here is the new
 * version's (packages, /etc files no entry names, users other than root);
 * /var/log and the storage repository are partitions of their own.
 */
static const struct carry {
    const char *path; /* relative to the root */
    const char *what;
} carried[] = {
    {"etc/hostname", "host name"},
    {"etc/hosts", "host name"},
    {"etc/systemd/network", "network: the bridge, its uplink by MAC, "
                            "addresses, VLANs (systemd-networkd)"},
    {"etc/ssh/ssh_host_*", "SSH host keys"},
    {"etc/ssh/sshd_config.d", "SSH settings (root by key or password)"},
    {"root/.ssh", "root's SSH keys"},
    {"etc/localtime", "time zone"},
    {"etc/timezone", "time zone"},
    {"etc/systemd/timesyncd.conf.d", "NTP servers"},
    {"etc/xen/*.cfg", "guest configurations"},
    {"etc/xen/auto", "guests started at boot (xendomains)"},
    {"etc/machine-id", "machine id"},
    {"etc/apt/sources.list", "apt sources"},
    {"etc/apt/sources.list.d", "apt sources (xenplay's among them)"},
    {"etc/default/keyboard",
     "keymap (console-setup compiles it again in the new root; "
     "/etc/vconsole.conf links to it)"},
    {"etc/default/grub.d/xenplay.cfg",
     "Xen's and dom0's command lines (consoles, dom0 memory)"},
};

/* What carry-over does besides copying the table's paths. */
static const struct carry carried_too[] = {
    {"root's password", "its hash in /etc/shadow (root's line only)"},
    {"/etc/fstab", "as it was, its root line naming the new root"},
    {"NTP on or off", "systemd-timesyncd enabled or disabled as before"},
};

void upgrade_help(FILE *f, int markdown)
{
    char name[128];

    fputs(markdown ? "| carried over | what it is |\n| --- | --- |\n"
                   : "An upgrade carries this over from the old root, and "
                     "nothing else:\n",
          f);
    for (size_t i = 0; i < sizeof(carried) / sizeof(*carried); i++) {
        snprintf(name, sizeof(name), "/%s", carried[i].path);
        fprintf(f, markdown ? "| `%s` | %s |\n" : "  %-33s %s\n", name,
                carried[i].what);
    }
    for (size_t i = 0; i < sizeof(carried_too) / sizeof(*carried_too); i++)
        fprintf(f, markdown ? "| %s | %s |\n" : "  %-33s %s\n",
                carried_too[i].path, carried_too[i].what);
    fputs(markdown ? "\n" : "", f);
    fputs("Kept in place: /var/log (a partition of its own: the install "
          "log, the answer\nfile), the guests' storage repository "
          "(xenplay-sr) and the old root itself.\n",
          f);
}

/* The UUID of the file system on DEV, or "". */
static void fs_uuid(const char *dev, char *buf, size_t len)
{
    const char *const argv[] = {"blkid", "-o", "value", "-s",
                                "UUID",  dev,  NULL};
    struct xp_cmd c = {.argv = argv, .capture = buf, .capture_len = len};

    buf[0] = '\0';
    if (!xp_status_ok(xp_cmd_run(&c)))
        buf[0] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
}

/* The root UUID the boot switch in ESP names, or "": its environment
 * block as GRUB's own tool lists it. */
static void switch_uuid(const char *esp, char *buf, size_t len)
{
    char path[PATH_MAX], out[1024];
    const char *const argv[] = {"grub-editenv", path, "list", NULL};
    struct xp_cmd c = {
        .argv = argv, .capture = out, .capture_len = sizeof(out)};
    char *line, *save;

    buf[0] = '\0';
    snprintf(path, sizeof(path), "%s/grub/" SWITCH_ENV, esp);
    if (access(path, R_OK) < 0 || !xp_status_ok(xp_cmd_run(&c)))
        return;
    for (line = strtok_r(out, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save))
        if (!strncmp(line, SWITCH_VAR "=", strlen(SWITCH_VAR "="))) {
            snprintf(buf, len, "%s", line + strlen(SWITCH_VAR "="));
            return;
        }
}

/* The first line of ROOT/REL into BUF, or "". */
static void read_rel(const char *root, const char *rel, char *buf, size_t len)
{
    char path[PATH_MAX];

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    if (hw_read_line(path, buf, len) < 0)
        buf[0] = '\0';
}

/* 1 if version A is older than B (dpkg's order), else 0. */
static int older(const char *a, const char *b)
{
    const char *const argv[] = {"dpkg", "--compare-versions", a, "lt", b, NULL};
    struct xp_cmd c = {.argv = argv};

    return xp_status_ok(xp_cmd_run(&c));
}

/*
 * The disk's xenplay partitions, the root the boot switch names (mounted
 * read-only at old_dir) and its completion mark: what an upgrade and a
 * restore both start from.  Writes nothing.
 */
static int find_install(struct install *in)
{
    char err[512], esp[PATH_MAX], uuid[2][37], mark[PATH_MAX];
    int rc;

    if (access(in->disk, R_OK) < 0)
        return inst_fail(in,
                         "the disk %s is not there (%s): lsblk lists the "
                         "disks",
                         in->disk, strerror(errno));
    rc = disk_find_parts(in->disk, in->part, in->part_size, err, sizeof(err));
    if (rc < 0)
        return inst_fail(in, "%s; nothing was written", err);
    snprintf(esp, sizeof(esp), "%s/esp", in->workdir);
    if (inst_mount(in, in->part[P_ESP], esp, "vfat", MS_RDONLY) < 0)
        return -1;
    switch_uuid(esp, in->old_uuid, sizeof(in->old_uuid));
    if (!in->old_uuid[0])
        return inst_fail(in,
                         "%s's EFI system partition has no xenplay boot "
                         "switch (grub/" SWITCH_ENV "): it was installed by a "
                         "xenplay older than its upgrades; install it "
                         "again (the guests' volumes on another disk stay); "
                         "nothing was written",
                         in->disk);
    fs_uuid(in->part[P_ROOT_A], uuid[0], sizeof(uuid[0]));
    fs_uuid(in->part[P_ROOT_B], uuid[1], sizeof(uuid[1]));
    if (!strcmp(in->old_uuid, uuid[0]))
        in->old_root = P_ROOT_A;
    else if (!strcmp(in->old_uuid, uuid[1]))
        in->old_root = P_ROOT_B;
    else
        return inst_fail(in,
                         "%s's boot switch names the root file system %s, "
                         "which is on neither root partition: install it "
                         "again; nothing was written",
                         in->disk, in->old_uuid);
    in->new_root = in->old_root == P_ROOT_A ? P_ROOT_B : P_ROOT_A;
    snprintf(in->old_dir, sizeof(in->old_dir), "%s/old", in->workdir);
    if (inst_mount(in, in->part[in->old_root], in->old_dir, "ext4", MS_RDONLY) <
        0)
        return -1;
    snprintf(mark, sizeof(mark), "%s/" MARKER, in->old_dir);
    if (access(mark, F_OK) < 0)
        return inst_fail(in,
                         "the xenplay install on %s did not finish (no "
                         "completion mark /" MARKER "): install it again; "
                         "nothing was written",
                         in->disk);
    read_rel(in->old_dir, VERSION_FILE, in->old_version,
             sizeof(in->old_version));
    inst_log(in, "installed: %s on %s (UUID %s), version %s", in->disk,
             in->part[in->old_root], in->old_uuid,
             in->old_version[0] ? in->old_version : "unknown");
    return 0;
}

int st_up_check(struct install *in)
{
    char why[512], used[32], room[32];
    struct statvfs sv;
    uint64_t need, have;
    int rc;

    if (find_install(in) < 0 || st_check_medium(in) < 0)
        return -1;
    read_rel(in->source, VERSION_FILE, in->new_version,
             sizeof(in->new_version));
    if (!in->new_version[0] || !in->old_version[0])
        return inst_fail(in,
                         "cannot tell the versions apart (no /" VERSION_FILE
                         " in %s): nothing was written",
                         in->new_version[0] ? "the installed root"
                                            : "the medium");
    if (older(in->new_version, in->old_version) && !in->force)
        return inst_fail(in,
                         "this medium's xenplay %s is older than the "
                         "installed %s: --force to go back anyway (or "
                         "--restore, if the version before is the one "
                         "wanted); nothing was written",
                         in->new_version, in->old_version);
    /* The partition to write: not mounted, not held, large enough. */
    rc = disk_in_use(in->sysroot, in->part[in->new_root], why, sizeof(why));
    if (rc != 0)
        return inst_fail(in, "%s; nothing was written",
                         rc > 0 ? why : "cannot tell whether it is in use");
    /* The root as the old version's takes it (the medium's squashfs is
     * compressed), and what a year of updates adds. */
    if (statvfs(in->old_dir, &sv) < 0)
        return inst_fail(in, "cannot measure %s: %s", in->old_dir,
                         strerror(errno));
    need = (uint64_t)(sv.f_blocks - sv.f_bfree) * sv.f_frsize;
    have = in->part_size[in->new_root];
    if (have < need + need / 4)
        return inst_fail(in,
                         "%s holds %s, too small for the new root (%s and "
                         "room to grow): nothing was written",
                         in->part[in->new_root],
                         layout_size(have, room, sizeof(room)),
                         layout_size(need, used, sizeof(used)));
    inst_log(in, "upgrade: %s -> %s, onto %s", in->old_version, in->new_version,
             in->part[in->new_root]);
    return 0;
}

int st_up_mkfs(struct install *in)
{
    if (new_uuid(in, in->ids.root, sizeof(in->ids.root)) < 0)
        return -1;
    return RUN(in, "mkfs.ext4", "-q", "-F", "-U", in->ids.root, "-L",
               "xenplay-root", in->part[in->new_root]);
}

/* Copy ROOT_DIR/REL of the old root over the new one's (a directory
 * replaces the new one's as a whole). */
static int carry_one(struct install *in, const char *rel)
{
    char src[PATH_MAX], dst[PATH_MAX], parent[PATH_MAX];
    struct stat st;

    snprintf(src, sizeof(src), "%s/%s", in->old_dir, rel);
    if (lstat(src, &st) < 0)
        return 0; /* the old host had none: the new root's stays */
    snprintf(dst, sizeof(dst), "%s/%s", in->target, rel);
    snprintf(parent, sizeof(parent), "%s", dst);
    *strrchr(parent, '/') = '\0';
    if (xp_mkdir_p(parent, 0) < 0)
        return inst_fail(in, "cannot make %s", parent);
    if (S_ISDIR(st.st_mode) && RUN(in, "rm", "-rf", "--", dst) < 0)
        return -1;
    return RUN(in, "cp", "-a", "-T", "--", src, dst);
}

/* root's password hash: the old root's /etc/shadow line, through
 * chpasswd on its standard input (never an argument or the log). */
static int carry_root_password(struct install *in)
{
    char path[PATH_MAX], line[1024], secret[1100];
    FILE *f;
    int rc = 0;

    snprintf(path, sizeof(path), "%s/etc/shadow", in->old_dir);
    f = fopen(path, "re");
    if (!f)
        return inst_fail(in, "cannot read the old root's /etc/shadow: %s",
                         strerror(errno));
    while (fgets(line, sizeof(line), f)) {
        char *hash, *end;

        if (strncmp(line, "root:", 5))
            continue;
        hash = line + 5;
        end = strchr(hash, ':');
        if (end && end > hash && hash[0] != '!' && hash[0] != '*') {
            snprintf(secret, sizeof(secret), "root:%.*s\n", (int)(end - hash),
                     hash);
            rc = RUN_SECRET(in, secret, "chpasswd", "--root", in->target,
                            "--encrypted");
            explicit_bzero(secret, sizeof(secret));
        }
        break;
    }
    explicit_bzero(line, sizeof(line));
    fclose(f);
    return rc;
}

/* The old fstab, its root line naming the new root; and the ext storage
 * repository's UUID, if it has one (configure guards its mount point). */
static int carry_fstab(struct install *in)
{
    char path[PATH_MAX], line[1024], text[8192] = "";
    size_t used = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s/etc/fstab", in->old_dir);
    f = fopen(path, "re");
    if (!f)
        return inst_fail(in, "cannot read the old root's /etc/fstab: %s",
                         strerror(errno));
    while (fgets(line, sizeof(line), f) && used < sizeof(text) - 1) {
        char spec[256], mnt[256];

        if (sscanf(line, "%255s %255s", spec, mnt) == 2 && !strcmp(mnt, "/") &&
            line[0] != '#')
            used += (size_t)snprintf(text + used, sizeof(text) - used,
                                     "UUID=%s  /          ext4  "
                                     "errors=remount-ro  0  1\n",
                                     in->ids.root);
        else {
            if (sscanf(line, "UUID=%36s %255s", spec, mnt) == 2 &&
                !strcmp(mnt, SR_EXT_MOUNT))
                snprintf(in->ids.sr, sizeof(in->ids.sr), "%s", spec);
            used +=
                (size_t)snprintf(text + used, sizeof(text) - used, "%s", line);
        }
    }
    fclose(f);
    snprintf(path, sizeof(path), "%s/etc/fstab", in->target);
    return inst_write_file(in, path, 0644, text);
}

int st_carry(struct install *in)
{
    char pattern[PATH_MAX], path[PATH_MAX];
    glob_t g;

    for (size_t i = 0; i < sizeof(carried) / sizeof(*carried); i++) {
        if (!strchr(carried[i].path, '*')) {
            if (carry_one(in, carried[i].path) < 0)
                return -1;
            continue;
        }
        snprintf(pattern, sizeof(pattern), "%s/%s", in->old_dir,
                 carried[i].path);
        if (glob(pattern, 0, NULL, &g) == 0)
            for (size_t k = 0; k < g.gl_pathc; k++)
                if (carry_one(in, g.gl_pathv[k] + strlen(in->old_dir) + 1) <
                    0) {
                    globfree(&g);
                    return -1;
                }
        globfree(&g);
    }
    if (carry_root_password(in) < 0 || carry_fstab(in) < 0)
        return -1;
    snprintf(path, sizeof(path),
             "%s/etc/systemd/system/sysinit.target.wants/"
             "systemd-timesyncd.service",
             in->old_dir);
    if (access(path, F_OK) < 0 &&
        RUN(in, "systemctl", "--root", in->target, "disable",
            "systemd-timesyncd.service") < 0)
        return -1;
    return 0;
}

/* The new root's menu entry for the root it replaces (Debian's 41_custom
 * sources the booted root's /boot/grub/custom.cfg): chosen (key p), it
 * turns the boot switch to that root with GRUB's save_env, so that the
 * version gone back to stays the default, as after a restore. */
int upgrade_previous_entry(struct install *in, const char *root_dir,
                           const char *other_uuid, const char *other_version)
{
    char path[PATH_MAX], text[1536];

    snprintf(text, sizeof(text),
             "# xenplay: the version this host booted before (xenplay-install "
             "writes this\n"
             "# file at an upgrade or a restore).  Chosen, it becomes the "
             "default, as\n"
             "# xenplay-install --restore would make it.\n"
             "menuentry 'Previous version: xenplay %s' --id xenplay-previous "
             "--hotkey=p {\n"
             "\tset " SWITCH_VAR "=%s\n"
             "\tsave_env --file $prefix/" SWITCH_ENV " " SWITCH_VAR "\n"
             "\tsearch --no-floppy --fs-uuid --set=root $" SWITCH_VAR "\n"
             "\tconfigfile /boot/grub/grub.cfg\n"
             "}\n",
             other_version[0] ? other_version : "(unknown)", other_uuid);
    snprintf(path, sizeof(path), "%s/boot/grub/custom.cfg", root_dir);
    return inst_replace_file(in, path, 0644, text);
}

int st_re_check(struct install *in)
{
    char uuid[37], mark[PATH_MAX];

    if (find_install(in) < 0)
        return -1;
    /* Restore goes to the other root, which must be complete: read-only
     * until the switch (the TUI asks before it restores). */
    snprintf(in->target, sizeof(in->target), "%s/target", in->workdir);
    if (inst_mount(in, in->part[in->new_root], in->target, "ext4", MS_RDONLY) <
        0)
        return inst_fail(in,
                         "the other root partition %s holds no file system: "
                         "there is no version to go back to; nothing was "
                         "written",
                         in->part[in->new_root]);
    snprintf(mark, sizeof(mark), "%s/" MARKER, in->target);
    if (access(mark, F_OK) < 0)
        return inst_fail(in,
                         "the other root partition %s holds no complete "
                         "xenplay (no completion mark): there is no version "
                         "to go back to; nothing was written",
                         in->part[in->new_root]);
    fs_uuid(in->part[in->new_root], uuid, sizeof(uuid));
    snprintf(in->ids.root, sizeof(in->ids.root), "%s", uuid);
    read_rel(in->target, VERSION_FILE, in->new_version,
             sizeof(in->new_version));
    inst_log(in, "restore: %s -> %s (%s)", in->old_version, in->new_version,
             in->part[in->new_root]);
    return 0;
}

int upgrade_switch(struct install *in)
{
    char esp[PATH_MAX];

    /* The EFI system partition find_install mounted, read-write now. */
    snprintf(esp, sizeof(esp), "%s/esp", in->workdir);
    if (inst_make_writable(in, esp) < 0 ||
        boot_switch(in, esp, in->ids.root) < 0)
        return -1;
    sync();
    return 0;
}

int st_re_switch(struct install *in)
{
    /* Its menu gets the entry for the version left. */
    if (inst_make_writable(in, in->target) < 0 ||
        upgrade_previous_entry(in, in->target, in->old_uuid, in->old_version) <
            0 ||
        inst_settle_fs(in, in->target) < 0)
        return -1;
    return upgrade_switch(in);
}
