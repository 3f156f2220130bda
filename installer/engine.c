/*
 * engine.c: the install as a sequence of steps (see engine.h), and what
 * the steps share (steps.h): the log, commands, the undo stack, fetching
 * and the answer file's scripts.  Every command the steps run is one of
 * Debian's tools (mkfs, lvm, cp, grub-install, update-grub) and writes
 * to the install log, never to the terminal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "fetch.h"
#include "steps.h"
#include "xp-fs.h"
#include "xp-run.h"

void inst_log(struct install *in, const char *fmt, ...)
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

int inst_fail(struct install *in, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(in->why, sizeof(in->why), fmt, ap);
    va_end(ap);
    inst_log(in, "error: %s", in->why);
    return -1;
}

/*
 * Run ARGV (NULL-terminated) with its output in the log (lib/xp-run.c).
 * SECRET, when not NULL, is what the command reads on its standard
 * input: the way to hand it a password hash, which must reach neither
 * the log nor an argument list (/proc/PID/cmdline is readable by every
 * user).
 */
int inst_run(struct install *in, const char *secret, const char *const argv[])
{
    int fd = in->log ? fileno(in->log) : XP_RUN_NULL;
    struct xp_cmd c = {
        .argv = argv, .input = secret, .out = fd, .err = XP_RUN_TO_OUT};
    char cmd[1024], how[128];
    struct timespec t0, t1;
    int st;

    xp_cmd_str(&c, cmd, sizeof(cmd));
    inst_log(in, "+ %s", cmd);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    st = xp_cmd_run(&c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* Where an install's time goes, command by command. */
    inst_log(in, "  (%.1f s)",
             (double)(t1.tv_sec - t0.tv_sec) +
                 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    if (st < 0)
        return inst_fail(in, "cannot run %s: %s", argv[0], strerror(-st));
    if (!xp_status_ok(st)) {
        xp_status_str(st, how, sizeof(how));
        return inst_fail(in, "'%s' failed (%s); its output is in %s", cmd, how,
                         in->logpath);
    }
    return 0;
}

void inst_push_undo(struct install *in, int kind, const char *arg)
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
            inst_log(in, "undo: umount %s", u->arg);
            if (umount2(u->arg, 0) < 0 && umount2(u->arg, MNT_DETACH) < 0)
                inst_log(in, "undo: umount %s: %s", u->arg, strerror(errno));
        } else if (u->kind == UNDO_VG_OFF) {
            const char *const argv[] = {"vgchange", "-an", u->arg, NULL};

            inst_run(in, NULL, argv);
        }
    }
}

/*
 * Read-only where the file system is already mounted read-write (an
 * upgrade or a restore run on the installed host itself): the same file
 * system once more, this one mount of it read-only.
 */
static int mount_again_ro(const char *src, const char *dst, const char *type,
                          unsigned long flags)
{
    int e;

    if (mount(src, dst, type, flags & ~MS_RDONLY, NULL) < 0)
        return -1;
    if (mount(NULL, dst, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0)
        return 0;
    e = errno;
    umount2(dst, MNT_DETACH);
    errno = e;
    return -1;
}

int inst_mount(struct install *in, const char *src, const char *dst,
               const char *type, unsigned long flags)
{
    if (mkdir(dst, 0755) < 0 && errno != EEXIST)
        return inst_fail(in, "cannot create %s: %s", dst, strerror(errno));
    if (mount(src, dst, type, flags, NULL) < 0 &&
        !(errno == EBUSY && (flags & MS_RDONLY) &&
          mount_again_ro(src, dst, type, flags) == 0))
        return inst_fail(in, "cannot mount %s on %s: %s", src, dst,
                         strerror(errno));
    inst_push_undo(in, UNDO_UMOUNT, dst);
    /*
     * A bind mount of the live system's /dev, /proc, /sys or /run joins the
     * peer groups of its shared mounts, so taking it down again unmounted
     * their originals too: the live system lost its cgroup file system
     * (among others), and its orderly power-off after an install then
     * hung for good once poweroff.target was reached.  A slave copy
     * receives the live system's mounts and sends nothing back.
     */
    if ((flags & MS_BIND) &&
        mount(NULL, dst, NULL, MS_SLAVE | (flags & MS_REC), NULL) < 0)
        return inst_fail(in, "cannot make %s a slave mount: %s", dst,
                         strerror(errno));
    inst_log(in, "mounted %s on %s", src, dst);
    return 0;
}

int inst_write_file(struct install *in, const char *path, mode_t mode,
                    const char *text)
{
    FILE *f;
    int rc = xp_mkdir_p(path, 1);

    if (rc < 0)
        return inst_fail(in, "cannot create the directories of %s: %s", path,
                         strerror(-rc));
    f = fopen(path, "we");
    if (!f)
        return inst_fail(in, "cannot write %s: %s", path, strerror(errno));
    fputs(text, f);
    if (fchmod(fileno(f), mode) < 0 || fflush(f) != 0 || fsync(fileno(f)) < 0) {
        fclose(f);
        return inst_fail(in, "cannot write %s: %s", path, strerror(errno));
    }
    fclose(f);
    return 0;
}

int inst_commit_file(struct install *in, const char *tmp, const char *path)
{
    char dir[PATH_MAX];
    char *slash;
    int fd;

    fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0) {
        if (fd >= 0)
            close(fd);
        return inst_fail(in, "cannot write %s: %s", tmp, strerror(errno));
    }
    close(fd);
    if (rename(tmp, path) < 0)
        return inst_fail(in, "cannot write %s: %s", path, strerror(errno));
    snprintf(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0) {
        if (fd >= 0)
            close(fd);
        return inst_fail(in, "cannot write %s: %s", path, strerror(errno));
    }
    close(fd);
    return 0;
}

int inst_replace_file(struct install *in, const char *path, mode_t mode,
                      const char *text)
{
    char tmp[PATH_MAX];

    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if (inst_write_file(in, tmp, mode, text) < 0)
        return -1;
    return inst_commit_file(in, tmp, path);
}

int inst_make_writable(struct install *in, const char *dir)
{
    struct statvfs sv;

    /* This mount of it first: where the file system is mounted read-write
     * elsewhere (the host's own /boot/efi), that is all it takes, and its
     * options stay as they are. */
    if (mount(NULL, dir, NULL, MS_REMOUNT | MS_BIND, NULL) == 0 &&
        statvfs(dir, &sv) == 0 && !(sv.f_flag & ST_RDONLY))
        return 0;
    if (mount(NULL, dir, NULL, MS_REMOUNT, NULL) < 0)
        return inst_fail(in, "cannot write to %s: %s", dir, strerror(errno));
    return 0;
}

int inst_settle_fs(struct install *in, const char *dir)
{
    /* Freezing an ext4 file system flushes its journal into place. */
    if (RUN(in, "fsfreeze", "--freeze", dir) < 0)
        return -1;
    return RUN(in, "fsfreeze", "--unfreeze", dir);
}

/* Fetch a script or boot file URL (file:// or http://) to PATH
 * (fetch.c), the command and its failure in the log. */
int inst_fetch(struct install *in, const char *url, const char *path)
{
    char cmd[1024], why[512];
    int rc = fetch_url(url, path, cmd, sizeof(cmd), why, sizeof(why));

    inst_log(in, "+ %s", cmd);
    if (rc < 0)
        inst_log(in, "%s", why);
    return rc;
}

int inst_run_scripts(struct install *in, enum af_stage stage, const char *arg)
{
    char path[PATH_MAX];

    for (size_t i = 0; i < in->a->nscripts; i++) {
        const struct af_script *s = &in->a->scripts[i];

        if (s->stage != stage)
            continue;
        snprintf(path, sizeof(path), "%s/script-%zu", in->workdir, i);
        if (inst_fetch(in, s->url, path) < 0)
            return inst_fail(in, "cannot fetch the %s script %s: see %s",
                             af_stage_name(stage), s->url, in->logpath);
        chmod(path, 0755);
        if (inst_run(in, NULL, (const char *const[]){path, arg, NULL}) < 0)
            return inst_fail(in, "the %s script %s failed: see %s",
                             af_stage_name(stage), s->url, in->logpath);
    }
    return 0;
}

int st_script_start(struct install *in)
{
    return inst_run_scripts(in, AF_STAGE_START, NULL);
}

int st_script_populated(struct install *in)
{
    return inst_run_scripts(in, AF_STAGE_POPULATED, in->target);
}

struct step {
    const char *name;
    int (*run)(struct install *in);
};

static const struct step steps[] = {
    {"check-hardware", st_check},
    {"script-start", st_script_start},
    {"partition", st_partition},
    {"make-filesystems", st_mkfs},
    {"copy-root", st_copy},
    {"configure", st_configure},
    {"script-populated", st_script_populated},
    {"bootloader", st_bootloader},
    {"finish", st_finish},
    {NULL, NULL},
};

static const struct step upgrade_steps[] = {
    {"check-upgrade", st_up_check},
    {"script-start", st_script_start},
    {"make-filesystems", st_up_mkfs},
    {"copy-root", st_copy},
    {"carry-over", st_carry},
    {"configure", st_up_configure},
    {"script-populated", st_script_populated},
    {"bootloader", st_bootloader},
    {"finish", st_finish},
    {NULL, NULL},
};

static const struct step restore_steps[] = {
    {"check-restore", st_re_check},
    {"switch", st_re_switch},
    {NULL, NULL},
};

const char *install_step_name(int i)
{
    return i >= 0 && i < install_nsteps() ? steps[i].name : NULL;
}

int install_nsteps(void)
{
    return (int)(sizeof(steps) / sizeof(*steps)) - 1;
}

int install_mode_nsteps(enum install_mode mode)
{
    return mode == MODE_UPGRADE
               ? (int)(sizeof(upgrade_steps) / sizeof(*upgrade_steps)) - 1
           : mode == MODE_RESTORE
               ? (int)(sizeof(restore_steps) / sizeof(*restore_steps)) - 1
               : install_nsteps();
}

int install_run(struct install *in)
{
    const struct step *run = in->mode == MODE_UPGRADE   ? upgrade_steps
                             : in->mode == MODE_RESTORE ? restore_steps
                                                        : steps;
    int i, n = 0, rc = 0;

    while (run[n].name)
        n++;
    if (in->dry_run)
        n = 1;
    if (in->mode == MODE_FRESH)
        in->new_root = P_ROOT_A;
    mkdir(in->workdir, 0700);
    snprintf(in->logpath, sizeof(in->logpath), "%s/install.log", in->workdir);
    in->log = fopen(in->logpath, "ae");
    /*
     * The run's mounts in a mount namespace of its own, which receives the
     * live system's and sends nothing back.  Made under /run, a shared
     * mount, they were copied into the namespaces of services too, where
     * the undo could not take them down: the target's file system stayed
     * mounted, unseen, after the run.  They end with this process now.
     */
    if (!in->dry_run && (unshare(CLONE_NEWNS) < 0 ||
                         mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)) {
        inst_fail(in, "cannot make a mount namespace: %s", strerror(errno));
        snprintf(in->failed_step, sizeof(in->failed_step), "%s", run[0].name);
        if (in->log)
            fclose(in->log);
        in->log = NULL;
        return -1;
    }
    for (i = 0; i < n; i++) {
        in->ui->progress(in->ui->ctx, run[i].name, "start", "");
        /* the TUI's dry run shares the log: keep it apart */
        inst_log(in, "%sstep=%s", in->dry_run ? "dry-run " : "", run[i].name);
        rc = run[i].run(in);
        in->ui->progress(in->ui->ctx, run[i].name, rc < 0 ? "fail" : "ok",
                         rc < 0 ? in->why : "");
        if (rc < 0) {
            snprintf(in->failed_step, sizeof(in->failed_step), "%s",
                     run[i].name);
            if (i > 0)
                inst_run_scripts(in, AF_STAGE_COMPLETE, "1");
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
