/*
 * xenplay-install: install a Xen host from the xenplay medium.
 *
 * This is the front of the installer: the answer-file checker, the
 * schema's help and the dry run of the disk layout.  Each verb is one
 * line of the command table; main() parses the options and dispatches.
 *
 *   xenplay-install --check FILE           validate an answer file offline
 *   xenplay-install --check-hostname NAME  the answer file's rule for one
 *   xenplay-install --check-mac MAC        value (make pxe's hosts file)
 *   xenplay-install --help-answerfile      the supported elements
 *   xenplay-install --interactive          install, asking on the terminal
 *   xenplay-install --dry-run --answerfile FILE [--disk-size N]
 *                                          print the plan, write nothing
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "answerfile.h"
#include "config.h"
#include "engine.h"
#include "fetch.h"
#include "layout.h"
#include "tui.h"
#include "upgrade.h"
#include "xp-fs.h"
#include "xp-run.h"

struct opts {
    const char *answerfile;
    const char *check;
    const char *value;  /* --check-hostname, --check-mac */
    const char *render; /* --render-config DIR */
    int force;
    const char *disk; /* overrides the answer file's primary disk */
    uint64_t disk_size;
    unsigned sector_size;
    int markdown;
};

struct cmd {
    const char *name;
    int (*fn)(const struct opts *o);
    const char *args;
    const char *help;
    int dry_run_ok; /* writes nothing */
};

static const char *prog = "xenplay-install";

static int parse_bytes(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-')
        return -EINVAL;
    switch (*end) {
    case '\0': break;
    case 'M':
        v *= MiB;
        end++;
        break;
    case 'G':
        v *= GiB;
        end++;
        break;
    case 'T':
        v *= 1024 * GiB;
        end++;
        break;
    default: return -EINVAL;
    }
    if (*end)
        return -EINVAL;
    *out = v;
    return 0;
}

/* Size and logical sector size of a block device or an image file. */
static int disk_geometry(const char *path, uint64_t *size, unsigned *sector)
{
    struct stat st;
    int fd, ssz = 512, rc = 0;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (fstat(fd, &st) < 0) {
        rc = -errno;
    } else if (S_ISBLK(st.st_mode)) {
        if (ioctl(fd, BLKGETSIZE64, size) < 0 || ioctl(fd, BLKSSZGET, &ssz) < 0)
            rc = -errno;
    } else if (S_ISREG(st.st_mode)) {
        *size = (uint64_t)st.st_size;
    } else {
        rc = -ENOTBLK;
    }
    close(fd);
    *sector = (unsigned)ssz;
    return rc;
}

static int load_answers(const char *path, struct answers *a)
{
    char err[1024];
    int rc = answerfile_load(a, path, err, sizeof(err));

    if (rc < 0)
        fprintf(stderr, "%s: %s\n", prog, err);
    return rc;
}

static int cmd_check(const struct opts *o)
{
    struct answers a;
    size_t i;

    if (load_answers(o->check, &a) < 0)
        return 1;
    if (strcmp(a.mode, "fresh"))
        printf("%s: valid: %s of the host installed on %s\n", o->check, a.mode,
               a.existing_disk);
    else
        printf("%s: valid: install on %s%s, %s on %s%s, host name %s\n",
               o->check, a.primary_disk,
               !a.guest_storage         ? ""
               : a.sr_type == AF_SR_EXT ? " with guest storage (ext)"
                                        : " with guest storage",
               a.proto == AF_PROTO_DHCP ? "DHCP" : a.ipaddr,
               a.admin_name[0] ? a.admin_name : a.admin_hwaddr,
               a.vlan ? " (VLAN)" : "", a.hostname);
    for (i = 0; i < a.nnotes; i++)
        printf("%s: note: %s\n", o->check, a.notes[i]);
    explicit_bzero(a.root_hash, sizeof(a.root_hash));
    return 0;
}

/* One value by the answer file's own rule: silent and 0, or why and 1. */
static int check_value(const char *v,
                       int (*valid)(const char *, char *, size_t))
{
    char why[512];

    if (valid(v, why, sizeof(why)) == 0)
        return 0;
    fprintf(stderr, "%s: %s\n", prog, why);
    return 1;
}

static int cmd_check_hostname(const struct opts *o)
{
    return check_value(o->value, af_valid_hostname);
}

static int cmd_check_mac(const struct opts *o)
{
    return check_value(o->value, af_valid_mac);
}

static int cmd_help_answerfile(const struct opts *o)
{
    answerfile_help(stdout, o->markdown);
    return 0;
}

static int cmd_dry_run(const struct opts *o)
{
    struct answers a;
    struct layout l;
    const char *disk;
    uint64_t size = o->disk_size;
    unsigned sector = o->sector_size ? o->sector_size : 512;
    char err[512];
    size_t i;
    int rc;

    if (!o->answerfile) {
        fprintf(stderr,
                "%s: --dry-run needs --answerfile FILE (the "
                "interactive installer shows its plan on screen)\n",
                prog);
        return 2;
    }
    if (load_answers(o->answerfile, &a) < 0)
        return 1;
    disk = o->disk ? o->disk : a.primary_disk;
    if (!size) {
        rc = disk_geometry(disk, &size, &sector);
        if (rc < 0) {
            fprintf(stderr,
                    "%s: cannot read the size of %s: %s (is it the "
                    "right disk? lsblk lists them)\n",
                    prog, disk, strerror(-rc));
            return 1;
        }
    }
    rc = layout_plan(&l, size, sector, a.guest_storage, err, sizeof(err));
    if (rc < 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, disk, err);
        return 1;
    }
    printf("dry run: nothing is written\n");
    layout_print(stdout, &l, disk);
    for (i = 0; i < a.nguest_disks; i++)
        printf("guest disk %s: whole disk, LVM physical volume\n",
               a.guest_disks[i]);
    printf("guest disks: %s\n", answers_sr_text(&a));
    printf("host name %s, management on %s (%s%s%s), time zone %s, "
           "keymap %s\n",
           a.hostname, a.admin_name[0] ? a.admin_name : a.admin_hwaddr,
           a.proto == AF_PROTO_DHCP ? "DHCP" : a.ipaddr,
           a.proto == AF_PROTO_STATIC ? "/" : "",
           a.proto == AF_PROTO_STATIC ? a.subnet : "", a.timezone, a.keymap);
    printf("root login: %s%s%s\n", a.root_hash[0] ? "password" : "",
           a.root_hash[0] && a.nroot_ssh_keys ? " and " : "",
           a.nroot_ssh_keys ? "SSH key" : "");
    for (i = 0; i < a.nnotes; i++)
        printf("note: %s\n", a.notes[i]);
    explicit_bzero(a.root_hash, sizeof(a.root_hash));
    return 0;
}

static int cmd_render_config(const struct opts *o)
{
    /* Placeholders: the real ids are made when the file systems are. */
    struct host_facts ids = {
        .root = "00000000-0000-4000-8000-000000000003",
        .log = "00000000-0000-4000-8000-000000000005",
        .esp = "0000-0002",
        .sr = "00000000-0000-4000-8000-000000000006",
    };
    struct answers a;
    char err[512];
    int rc;

    if (!o->answerfile) {
        fprintf(stderr, "%s: --render-config needs --answerfile FILE\n", prog);
        return 2;
    }
    if (load_answers(o->answerfile, &a) < 0)
        return 1;
    /* The keymap as this system's table has it (an install: the ISO's). */
    rc = keymap_lookup("/" KBD_MODEL_MAP, a.keymap, &ids.xkb, err, sizeof(err));
    if (rc == 0)
        rc = config_render(o->render, &a, &ids, err, sizeof(err));
    explicit_bzero(a.root_hash, sizeof(a.root_hash));
    if (rc < 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        return 1;
    }
    printf("wrote the configuration of %s under %s (file-system ids are "
           "placeholders)\n",
           a.hostname, o->render);
    return 0;
}

/* The unattended front end: one machine-readable line per step. */
static void progress_lines(void *ctx, const char *step, const char *status,
                           const char *detail)
{
    static struct timespec t0;
    struct timespec t;

    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (!strcmp(status, "start")) {
        t0 = t;
        printf("%s: step=%s status=%s\n", prog, step, status);
    } else {
        /* How long the step took, for whoever wonders where the time
         * went; then the reason of a failure. */
        printf("%s: step=%s status=%s seconds=%.1f%s%s\n", prog, step, status,
               (double)(t.tv_sec - t0.tv_sec) +
                   (double)(t.tv_nsec - t0.tv_nsec) / 1e9,
               detail[0] ? " " : "", detail);
    }
    fflush(stdout);
}

#define WORKDIR    "/run/xenplay-install"
#define ANSWER_MNT "/run/xpanswer"

/* The answer file's URL from the kernel command line, or "". */
static void cmdline_answerfile(char *buf, size_t len)
{
    char line[4096], *save = NULL, *t;
    FILE *f = fopen("/proc/cmdline", "re");

    buf[0] = '\0';
    if (!f)
        return;
    if (!fgets(line, sizeof(line), f))
        line[0] = '\0';
    fclose(f);
    for (t = strtok_r(line, " \t\n", &save); t;
         t = strtok_r(NULL, " \t\n", &save)) {
        if (!strncmp(t, "xenplay.answerfile=", 19))
            snprintf(buf, len, "%s", t + 19);
        else if (!strncmp(t, "answerfile=", 11) && !buf[0])
            snprintf(buf, len, "%s", t + 11);
    }
}

/* The volume labelled XPANSWER, mounted read-only at ANSWER_MNT. */
static int mount_answer_volume(void)
{
    char dev[256] = "";
    const char *const is_mounted[] = {"mountpoint", "-q", ANSWER_MNT, NULL};
    const char *const find[] = {"blkid", "-L", "XPANSWER", NULL};
    const char *const mount[] = {"mount", "-o", "ro", dev, ANSWER_MNT, NULL};
    struct xp_cmd mounted = {.argv = is_mounted};
    struct xp_cmd blkid = {
        .argv = find, .capture = dev, .capture_len = sizeof(dev)};
    struct xp_cmd mnt = {.argv = mount};

    if (xp_mkdir_p(ANSWER_MNT, 0) < 0)
        return -1;
    if (xp_status_ok(xp_cmd_run(&mounted)))
        return 0;
    if (!xp_status_ok(xp_cmd_run(&blkid)))
        return -1;
    dev[strcspn(dev, "\n")] = '\0';
    return dev[0] && xp_status_ok(xp_cmd_run(&mnt)) ? 0 : -1;
}

/*
 * Get the answer file to PATH from SRC: a path, file://, http://, or
 * "auto": the kernel command line, else a volume labelled XPANSWER.
 */
static int get_answerfile(const char *src, const char *path, char *from,
                          size_t fromlen, char *why, size_t len)
{
    char url[2048], err[512];

    if (strcmp(src, "auto")) {
        snprintf(url, sizeof(url), "%s", src);
    } else {
        cmdline_answerfile(url, sizeof(url));
        if (!url[0]) {
            if (mount_answer_volume() < 0) {
                snprintf(why, len,
                         "no answer file: put xenplay.answerfile=URL "
                         "(file:// or http://) on the kernel command line, "
                         "or attach a volume labelled XPANSWER holding "
                         "answerfile.xml");
                return -ENOENT;
            }
            snprintf(url, sizeof(url), "file://%s/answerfile.xml", ANSWER_MNT);
        }
    }
    snprintf(from, fromlen, "%s", url);
    if (!strncmp(url, "http://", 7) || !strncmp(url, "https://", 8)) {
        if (fetch_url(url, path, NULL, 0, err, sizeof(err)) < 0) {
            snprintf(why, len,
                     "cannot fetch the answer file %s: %s (is the server up "
                     "and the URL right?)",
                     url, err);
            return -EIO;
        }
        return 0;
    }
    if (!strncmp(url, "file://", 7))
        memmove(url, url + 7, strlen(url + 7) + 1);
    if (access(url, R_OK) < 0) {
        snprintf(why, len, "the answer file %s is not there: %s", url,
                 strerror(errno));
        return -ENOENT;
    }
    if (fetch_url(url, path, NULL, 0, err, sizeof(err)) < 0) {
        snprintf(why, len, "cannot copy the answer file %s: %s", url, err);
        return -EIO;
    }
    return 0;
}

/*
 * --upgrade and --restore on the disk --disk names (or the answer file's
 * <existing-installation>, <backup-disk>): the steps of
 * engine.h, with the same result lines as an install.
 */
static int upgrade_or_restore(const struct opts *o, enum install_mode mode,
                              struct answers *af)
{
    static const struct install_ui ui = {NULL, progress_lines};
    const char *verb = mode == MODE_UPGRADE ? "upgrade" : "restore";
    const char *disk = o->disk ? o->disk : af ? af->existing_disk : NULL;
    struct install in = {0};
    struct answers a;

    if (geteuid() != 0) {
        fprintf(stderr, "%s: --%s needs root\n", prog, verb);
        return 2;
    }
    if (!disk) {
        fprintf(stderr,
                "%s: --%s needs --disk DEV, the disk the host is installed "
                "on (lsblk -o NAME,PARTLABEL: the one with "
                "xenplay-root-a)\n",
                prog, verb);
        return 2;
    }
    if (af)
        a = *af;
    else
        answers_defaults(&a);
    mkdir(WORKDIR, 0700);
    in.ui = &ui;
    in.a = &a;
    in.mode = mode;
    in.disk = disk;
    in.source = "/run/rootfsbase";
    in.sysroot = "/";
    in.workdir = WORKDIR;
    in.force = o->force;
    if (install_run(&in) < 0) {
        printf("%s: result=failure step=%s reason=%s\n", prog, in.failed_step,
               in.why);
        printf("%s: the host boots as before.  The log is %s.\n", prog,
               in.logpath);
        return 1;
    }
    printf("%s: result=success disk=%s %s=%s version=%s previous=%s\n", prog,
           in.disk, verb, in.part[in.new_root], in.new_version, in.old_version);
    return 0;
}

static int cmd_install(const struct opts *o)
{
    static const struct install_ui ui = {NULL, progress_lines};
    struct install in = {0};
    struct answers a;
    char why[1024], from[2048] = "", af[] = WORKDIR "/answerfile.xml";
    int rc;

    if (geteuid() != 0) {
        fprintf(stderr, "%s: installing needs root\n", prog);
        return 2;
    }
    mkdir(WORKDIR, 0700);
    rc = get_answerfile(o->answerfile ? o->answerfile : "auto", af, from,
                        sizeof(from), why, sizeof(why));
    if (rc == 0 && answerfile_load_as(&a, af, from, why, sizeof(why)) < 0) {
        fprintf(stderr, "%s: %s\n", prog, why);
        snprintf(why, sizeof(why),
                 "the answer file is not valid (see the "
                 "line above); nothing was written");
        rc = -EINVAL;
    }
    if (rc < 0) {
        printf("%s: result=failure step=answerfile reason=%s\n", prog, why);
        return 1;
    }
    printf("%s: answer file %s\n", prog, from);
    fflush(stdout);
    /* XCP-ng's answer files for the other two: the same steps as
     * --upgrade and --restore, on the disk they name. */
    if (!strcmp(a.mode, "upgrade") || !strcmp(a.mode, "restore"))
        return upgrade_or_restore(
            o, !strcmp(a.mode, "upgrade") ? MODE_UPGRADE : MODE_RESTORE, &a);
    in.ui = &ui;
    in.a = &a;
    in.disk = o->disk ? o->disk : a.primary_disk;
    in.source = "/run/rootfsbase";
    in.sysroot = "/";
    in.workdir = WORKDIR;
    in.force = o->force;
    rc = install_run(&in);
    explicit_bzero(a.root_hash, sizeof(a.root_hash));
    if (rc < 0) {
        printf("%s: result=failure step=%s reason=%s\n", prog, in.failed_step,
               in.why);
        if (in.disk_written)
            printf("%s: the disk does not boot: GRUB refuses a host whose "
                   "install did not finish.  The log is %s.\n",
                   prog, in.logpath);
        else
            printf("%s: wrote nothing to %s.  The log is %s.\n", prog, in.disk,
                   in.logpath);
        return 1;
    }
    printf("%s: result=success disk=%s host=%s\n", prog, in.disk, a.hostname);
    return 0;
}

static int cmd_upgrade(const struct opts *o)
{
    return upgrade_or_restore(o, MODE_UPGRADE, NULL);
}

static int cmd_restore(const struct opts *o)
{
    return upgrade_or_restore(o, MODE_RESTORE, NULL);
}

static int cmd_help_upgrade(const struct opts *o)
{
    upgrade_help(stdout, o->markdown);
    return 0;
}

/* The interactive installer (newt); exit status as enum tui_result. */
static int cmd_interactive(const struct opts *o)
{
    (void)o;
    if (geteuid() != 0) {
        fprintf(stderr, "%s: installing needs root\n", prog);
        return 2;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr,
                "%s: --interactive needs a terminal; for an "
                "unattended install use --install --answerfile\n",
                prog);
        return 2;
    }
    mkdir(WORKDIR, 0700);
    return (int)tui_run("/run/rootfsbase", WORKDIR);
}

static const struct cmd cmds[] = {
    {"check", cmd_check, "FILE", "validate an answer file offline", 1},
    {"check-hostname", cmd_check_hostname, "NAME",
     "check a host name by the answer file's rule (exit status 1: not one)", 1},
    {"check-mac", cmd_check_mac, "MAC",
     "check a MAC address by the answer file's rule (exit status 1: not one)",
     1},
    {"help-answerfile", cmd_help_answerfile, "",
     "list the answer-file elements (--markdown: as installer/answerfile.md)",
     1},
    {"dry-run", cmd_dry_run, "",
     "print the disk layout and settings an answer file asks for", 1},
    {"install", cmd_install, "",
     "install (unattended): --answerfile PATH|URL|auto, --force to take a "
     "disk in use",
     0},
    {"interactive", cmd_interactive, "",
     "install interactively (a text UI on this terminal); exit status 0 "
     "reboot, 1 failed, 3 shell, 4 power off",
     0},
    {"render-config", cmd_render_config, "DIR",
     "write the installed system's configuration files under DIR, to review",
     1},
    {"upgrade", cmd_upgrade, "",
     "this medium's xenplay onto --disk's other root partition, the "
     "configuration carried over (--help-upgrade); --force to go back to an "
     "older version",
     0},
    {"restore", cmd_restore, "",
     "boot --disk's other root partition again: the version before the last "
     "upgrade",
     0},
    {"help-upgrade", cmd_help_upgrade, "",
     "list what an upgrade carries over (--markdown: as in the README)", 1},
};

static void usage(FILE *f)
{
    size_t i;

    fprintf(f, "Usage: %s --VERB [OPTIONS]\n\nVerbs:\n", prog);
    for (i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
        fprintf(f, "  --%-16s %-5s %s\n", cmds[i].name, cmds[i].args,
                cmds[i].help);
    fprintf(f,
            "\nOptions:\n"
            "  --answerfile FILE   the answer file\n"
            "  --disk DEV          the disk to plan for (default: the "
            "answer file's primary disk)\n"
            "  --disk-size N[MGT]  plan for a disk of this size, without "
            "reading one\n"
            "  --sector-size N     with --disk-size: 512 or 4096\n"
            "  --markdown          with --help-answerfile, --help-upgrade\n");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"check", required_argument, NULL, 'c'},
        {"check-hostname", required_argument, NULL, 'N'},
        {"check-mac", required_argument, NULL, 'M'},
        {"help-answerfile", no_argument, NULL, 'H'},
        {"dry-run", no_argument, NULL, 'n'},
        {"render-config", required_argument, NULL, 'R'},
        {"install", no_argument, NULL, 'I'},
        {"upgrade", no_argument, NULL, 'U'},
        {"restore", no_argument, NULL, 'r'},
        {"help-upgrade", no_argument, NULL, 'u'},
        {"interactive", no_argument, NULL, 'i'},
        {"force", no_argument, NULL, 'f'},
        {"answerfile", required_argument, NULL, 'a'},
        {"disk", required_argument, NULL, 'd'},
        {"disk-size", required_argument, NULL, 's'},
        {"sector-size", required_argument, NULL, 'S'},
        {"markdown", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    struct opts o = {0};
    const char *verb = NULL;
    size_t i;
    int c;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        const char *v = NULL;

        switch (c) {
        case 'c':
            o.check = optarg;
            v = "check";
            break;
        case 'N':
            o.value = optarg;
            v = "check-hostname";
            break;
        case 'M':
            o.value = optarg;
            v = "check-mac";
            break;
        case 'H': v = "help-answerfile"; break;
        case 'n': v = "dry-run"; break;
        case 'R':
            o.render = optarg;
            v = "render-config";
            break;
        case 'I': v = "install"; break;
        case 'U': v = "upgrade"; break;
        case 'r': v = "restore"; break;
        case 'u': v = "help-upgrade"; break;
        case 'i': v = "interactive"; break;
        case 'f': o.force = 1; break;
        case 'a': o.answerfile = optarg; break;
        case 'd': o.disk = optarg; break;
        case 'm': o.markdown = 1; break;
        case 's':
            if (parse_bytes(optarg, &o.disk_size) < 0) {
                fprintf(stderr,
                        "%s: --disk-size '%s' is not a size like "
                        "64G; see --help\n",
                        prog, optarg);
                return 2;
            }
            break;
        case 'S': o.sector_size = (unsigned)strtoul(optarg, NULL, 10); break;
        case 'h': usage(stdout); return 0;
        default: fprintf(stderr, "%s: see --help\n", prog); return 2;
        }
        if (v && verb && strcmp(v, verb)) {
            fprintf(stderr,
                    "%s: --%s and --%s cannot go together; see "
                    "--help\n",
                    prog, verb, v);
            return 2;
        }
        if (v)
            verb = v;
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'; see --help\n", prog,
                argv[optind]);
        return 2;
    }
    if (!verb) {
        fprintf(stderr,
                "%s: say what to do (--check, --dry-run, "
                "--help-answerfile); see --help\n",
                prog);
        return 2;
    }
    for (i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
        if (!strcmp(cmds[i].name, verb))
            return cmds[i].fn(&o);
    return 2;
}
