/*
 * steps-host.c: the install's steps that make the copied root a host (see
 * engine.h): configure, bootloader, finish.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "hw.h"
#include "steps.h"
#include "xen-cmdline.h" /* image/xen-cmdline, by mk/xen-cmdline-h */
#include "xp-fs.h"
#include "xp-run.h"

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
    int st = xp_cmd_run(&xl);

    if (!xp_status_ok(st)) {
        char how[64];

        /* The installer's units start after xen.service (xenstored),
         * so this is a broken live system, not a race: say so. */
        xp_status_str(st, how, sizeof(how));
        inst_log(in,
                 "note: xl info xen_commandline %s: the installed host "
                 "gets the boot menu's default Xen console (%s), not this "
                 "boot's",
                 how, XEN_COM1);
        line[0] = '\0';
    }
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

/*
 * The installed host's apt source for xenplay's packages (make packages'
 * signed repository, the debian/ of a xenplay medium), with the key that
 * xenplay-archive-keyring installs: the answer file's <source
 * type="url">, else the netboot bundle the installer came from, else a
 * copy of the ISO's repository on the host itself (the ISO is gone once
 * the host boots from its disk), so that the host can reinstall its
 * packages offline.
 */
#define HOST_REPO "/var/lib/xenplay/debian"

/* The medium's repository into the new root's HOST_REPO: 1, or 0 when
 * the medium has none (noted in the log), or -1. */
static int copy_medium_repo(struct install *in)
{
    char src[PATH_MAX], dst[PATH_MAX];

    snprintf(src, sizeof(src), "%s%s/debian", in->sysroot, LIVE_MEDIUM);
    if (access(src, R_OK) < 0) {
        inst_log(in,
                 "note: no package repository on the medium (%s): "
                 "the host gets no apt source for xenplay",
                 src);
        return 0;
    }
    snprintf(dst, sizeof(dst), "%s%s", in->target, HOST_REPO);
    if (xp_mkdir_p(dst, 1) < 0 || RUN(in, "cp", "-a", "-T", src, dst) < 0)
        return inst_fail(in, "cannot copy the medium's repository %s to %s",
                         src, dst);
    return 1;
}

static int apt_source(struct install *in)
{
    char uri[1200], dst[PATH_MAX], text[1600];

    if (in->a->repo_url[0]) {
        snprintf(uri, sizeof(uri), "%s/debian", in->a->repo_url);
    } else if (in->medium_url[0]) {
        snprintf(uri, sizeof(uri), "%s/debian", in->medium_url);
    } else {
        int rc = copy_medium_repo(in);

        if (rc <= 0)
            return rc;
        snprintf(uri, sizeof(uri), "file:%s", HOST_REPO);
    }
    snprintf(text, sizeof(text),
             "# xenplay's packages (written by xenplay-install)\n"
             "Types: deb\n"
             "URIs: %s\n"
             "Suites: trixie\n"
             "Components: main\n"
             "Signed-By: /usr/share/keyrings/xenplay-archive-keyring.pgp\n",
             uri);
    snprintf(dst, sizeof(dst), "%s/etc/apt/sources.list.d/xenplay.sources",
             in->target);
    inst_log(in, "apt source for xenplay's packages: %s", uri);
    return inst_write_file(in, dst, 0644, text);
}

/* What makes the new root an installed host rather than the live
 * system, whatever its configuration: an install's and an upgrade's. */
static int installed_system(struct install *in)
{
    char path[PATH_MAX + 64];
    int rc;

    /* The live system's uplink guess gives way to the host's own
     * network configuration (the NIC by MAC). */
    if (RUN(in, "systemctl", "--root", in->target, "disable",
            "xenplay-uplink.service") < 0)
        return -1;
    /* The console keymap of /etc/default/keyboard (written by the install,
     * carried by an upgrade) compiled now, as console-setup keeps it for
     * the boot's keyboard-setup.service: the boot does not compile it. */
    if (RUN(in, "chroot", in->target, "setupcon", "--save-only") < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/etc/grub.d/01_xenplay_installed",
             in->target);
    if (inst_write_file(in, path, 0755, grub_gate) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/etc/kernel/postinst.d/zz-update-grub",
             in->target);
    if (inst_write_file(in, path, 0755, kernel_hook) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/etc/kernel/postrm.d/zz-update-grub",
             in->target);
    if (inst_write_file(in, path, 0755, kernel_hook) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/etc/xenplay", in->target);
    mkdir(path, 0755);
    /* The ext storage repository's mount point, immutable: while the
     * repository is not mounted, no guest disk lands on the root. */
    if (in->ids.sr[0]) {
        snprintf(path, sizeof(path), "%s" SR_EXT_MOUNT, in->target);
        rc = xp_mkdir_p(path, 0);
        if (rc < 0)
            return inst_fail(in, "cannot make %s: %s", path, strerror(-rc));
        if (RUN(in, "chattr", "+i", path) < 0)
            return -1;
    }
    return 0;
}

int st_configure(struct install *in)
{
    struct answers *a = in->a;
    char path[PATH_MAX + 64], err[512], zone[PATH_MAX];
    int rc;

    consoles(in);
    /* The NIC by MAC: stable whatever the kernel names it. */
    snprintf(a->admin_hwaddr, sizeof(a->admin_hwaddr), "%s", in->admin_mac);
    if (config_render(in->target, a, &in->ids, err, sizeof(err)) < 0)
        return inst_fail(in, "%s", err);
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
        return inst_fail(in, "cannot link %s: %s", path, strerror(errno));
    snprintf(path, sizeof(path), "%s/etc/timezone", in->target);
    snprintf(zone, sizeof(zone), "%s\n", a->timezone);
    if (inst_write_file(in, path, 0644, zone) < 0)
        return -1;
    /* NTP as asked. */
    if (a->ntp == AF_NTP_NONE &&
        RUN(in, "systemctl", "--root", in->target, "disable",
            "systemd-timesyncd.service") < 0)
        inst_log(in, "note: no systemd-timesyncd to disable");
    if (installed_system(in) < 0)
        return -1;
    return apt_source(in);
}

int st_up_configure(struct install *in)
{
    /* The apt sources came over as they were; a medium's repository is
     * this version's. */
    if (installed_system(in) < 0 || copy_medium_repo(in) < 0)
        return -1;
    return upgrade_previous_entry(in, in->target, in->old_uuid,
                                  in->old_version);
}

/*
 * GRUB itself (its core image, modules and fonts) lives on the EFI system
 * partition, for BIOS and UEFI alike, and so does the boot switch: a GRUB
 * environment block there (/boot/efi/grub/xenplay.env) names the root
 * partition that boots, and the partition's grub.cfg, always the same,
 * reads it.  That root's own /boot/grub/grub.cfg, written by Debian's
 * update-grub and kept current by its kernel hooks, is the menu.
 * Switching roots (an upgrade writes the root partition not in use, a
 * restore goes back) is then the atomic replacement of the block, never
 * a rewrite of the boot code; GRUB's own save_env can switch too, which
 * the menu's "Previous version" does (upgrade.c).
 */
#define ESP_DIR "/boot/efi"

static const char boot_switch_cfg[] =
    "# xenplay: the boot switch.  xenplay.env beside this file names the\n"
    "# root file system this host boots (" SWITCH_VAR ", a UUID):\n"
    "# xenplay-install replaces it at an install, an upgrade or a restore,\n"
    "# the menu's \"Previous version\" with save_env.  The menu is that\n"
    "# root's own /boot/grub/grub.cfg (Debian's update-grub).\n"
    "load_env --file $prefix/" SWITCH_ENV " " SWITCH_VAR "\n"
    "search --no-floppy --fs-uuid --set=root $" SWITCH_VAR "\n"
    "configfile ($root)/boot/grub/grub.cfg\n";

int boot_switch(struct install *in, const char *esp, const char *root_uuid)
{
    char path[PATH_MAX], tmp[PATH_MAX + 8], var[64];

    /* The block first: grub.cfg of a host installed before it named the
     * root itself, and goes on booting that one until it is replaced. */
    snprintf(path, sizeof(path), "%s/grub/" SWITCH_ENV, esp);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    snprintf(var, sizeof(var), SWITCH_VAR "=%s", root_uuid);
    inst_log(in, "boot switch %s: root UUID %s", path, root_uuid);
    if (unlink(tmp) < 0 && errno != ENOENT)
        return inst_fail(in, "cannot remove %s: %s", tmp, strerror(errno));
    if (RUN(in, "grub-editenv", tmp, "set", var) < 0 ||
        inst_commit_file(in, tmp, path) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/grub/grub.cfg", esp);
    return inst_replace_file(in, path, 0644, boot_switch_cfg);
}

/* GRUB onto the EFI system partition: the BIOS boot code, the UEFI
 * removable path, and on a UEFI machine the firmware's boot entry. */
static int install_grub(struct install *in)
{
    struct stat st;
    char part[8];

    if (RUN(in, "chroot", in->target, "grub-install", "--target=i386-pc",
            "--boot-directory=" ESP_DIR, in->disk) < 0)
        return -1;
    /* The removable path boots on any UEFI firmware, NVRAM or not. */
    if (RUN(in, "chroot", in->target, "grub-install", "--target=x86_64-efi",
            "--efi-directory=" ESP_DIR, "--boot-directory=" ESP_DIR,
            "--removable", "--no-nvram") < 0)
        return -1;
    /* Booted by UEFI: the firmware's boot entry too, for that same
     * image (a second grub-install would copy GRUB a second time). */
    snprintf(part, sizeof(part), "%d", P_ESP + 1);
    if (stat("/sys/firmware/efi/efivars", &st) == 0 &&
        RUN(in, "efibootmgr", "--quiet", "--create", "--disk", in->disk,
            "--part", part, "--label", "xenplay", "--loader",
            "\\EFI\\BOOT\\BOOTX64.EFI") < 0)
        return -1;
    return 0;
}

int st_bootloader(struct install *in)
{
    /* /run without what is mounted below it: that holds the work
     * directory, the target itself among its mounts, and a recursive
     * copy of it kept the target's file systems mounted after the undo. */
    static const struct {
        const char *dir;
        unsigned long flags;
    } binds[] = {{"dev", MS_BIND | MS_REC},
                 {"proc", MS_BIND | MS_REC},
                 {"sys", MS_BIND | MS_REC},
                 {"run", MS_BIND}};
    char path[PATH_MAX + 64], cfg[PATH_MAX + 64];
    FILE *f;
    char line[512];
    int have_mb2 = 0, rc;

    for (size_t i = 0; i < sizeof(binds) / sizeof(*binds); i++) {
        char src[16];

        snprintf(src, sizeof(src), "/%s", binds[i].dir);
        snprintf(path, sizeof(path), "%s/%s", in->target, binds[i].dir);
        if (inst_mount(in, src, path, NULL, binds[i].flags) < 0)
            return -1;
    }
    /* Xen's entries before plain Linux, kept across upgrades. */
    if (RUN(in, "chroot", in->target, "dpkg-divert", "--local", "--rename",
            "--divert", "/etc/grub.d/08_linux_xen", "--add",
            "/etc/grub.d/20_linux_xen") < 0)
        return -1;
    /* An upgrade keeps the boot code and GRUB on the EFI system
     * partition as they are: it only switches them to the new root. */
    if (in->mode != MODE_UPGRADE && install_grub(in) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/boot/grub", in->target);
    rc = xp_mkdir_p(path, 0);
    if (rc < 0)
        return inst_fail(in, "cannot make %s: %s", path, strerror(-rc));
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
        return inst_fail(in,
                         "update-grub wrote no Xen (multiboot2) entry to "
                         "%s",
                         cfg);
    if (in->mode == MODE_UPGRADE)
        return 0; /* the switch comes after the new root's mark */
    snprintf(path, sizeof(path), "%s" ESP_DIR, in->target);
    return boot_switch(in, path, in->ids.root);
}

int st_finish(struct install *in)
{
    char path[PATH_MAX + 64], logdir[PATH_MAX], stamp[256];
    time_t now = time(NULL);
    int up = in->mode == MODE_UPGRADE;

    if (inst_run_scripts(in, AF_STAGE_COMPLETE, "0") < 0)
        return -1;
    /* The log partition: the new root's at an install; the host's own,
     * mounted now, at an upgrade (the install's log stays beside it). */
    snprintf(logdir, sizeof(logdir), "%s/var/log", in->target);
    if (up) {
        snprintf(logdir, sizeof(logdir), "%s/log", in->workdir);
        if (inst_mount(in, in->part[P_LOG], logdir, "ext4", 0) < 0)
            return -1;
    }
    snprintf(path, sizeof(path), "%s/xenplay-%s.log", logdir,
             up ? "upgrade" : "install");
    if (in->log)
        fflush(in->log);
    /* Root's only: it names the disks, the network and the scripts run. */
    if (RUN(in, "install", "-m", "0600", "--", in->logpath, path) < 0)
        return -1;
    if (in->answerfile) {
        snprintf(path, sizeof(path), "%s/xenplay-%s.xml", logdir,
                 up ? "upgrade-answerfile" : "answerfile");
        if (RUN(in, "install", "-m", "0600", "--", in->answerfile, path) < 0)
            return -1;
    }
    if (RUN(in, "sync") < 0)
        return -1;
    /* Last: the mark the disk's GRUB looks for. */
    snprintf(stamp, sizeof(stamp), "installed %s", ctime(&now));
    snprintf(path, sizeof(path), "%s/" MARKER, in->target);
    if (inst_replace_file(in, path, 0644, stamp) < 0)
        return -1;
    sync();
    /* Where GRUB, which reads the root without its journal, finds the
     * mark and the menu. */
    if (inst_settle_fs(in, in->target) < 0)
        return -1;
    /* An upgrade's new root is complete now, and only now boots. */
    return up ? upgrade_switch(in) : 0;
}
