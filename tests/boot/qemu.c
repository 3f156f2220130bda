/*
 * qemu.c: QEMU's command line from a machine profile and a scenario, the
 * netboot namespace, and the QEMU process (xp-boot).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <sched.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "guests.h"
#include "report.h"
#include "scenario.h"

#include "xp-boot.h"
#include "xp-run.h"

#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define OVMF_VARS "/usr/share/OVMF/OVMF_VARS_4M.fd"

void disk_path(const struct run *r, const struct disk *d, char *buf, size_t len)
{
    snprintf(buf, len, "%s/disk-%s.img", r->dir, d->serial);
}

/*
 * Create the scenario's empty disk D (sparse, raw) and add the machine's
 * attach.disk arguments for it.
 */
static int attach_disk(struct run *r, const struct disk *d, size_t i,
                       char ***argv, size_t *argc)
{
    char path[PATH_MAX], id[32];
    struct subst sub[3] = {
        {"@FILE@", path}, {"@ID@", id}, {"@SERIAL@", d->serial}};
    int fd, rc;

    disk_path(r, d, path, sizeof(path));
    snprintf(id, sizeof(id), "disk%zu", i);
    if (r->reuse_disks) /* a later boot: the disk as the last one left it */
        return machine_line_args(r->m, "attach.disk", sub, 3, argv, argc);
    unlink(path);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 || ftruncate(fd, (off_t)d->size) < 0) {
        rc = -errno;
        snprintf(r->why, sizeof(r->why),
                 "cannot create the %llu-byte disk %s: %s%s", d->size, path,
                 strerror(-rc),
                 rc == -ENOSPC ? " (free some space under the results "
                                 "directory)"
                               : "");
        if (fd >= 0)
            close(fd);
        return rc;
    }
    close(fd);
    rc = machine_line_args(r->m, "attach.disk", sub, 3, argv, argc);
    if (rc == -ENOENT)
        snprintf(r->why, sizeof(r->why),
                 "machine %s has no 'attach.disk' line: scenario %s cannot "
                 "attach disk %s",
                 r->m->name, r->s->name, d->serial);
    return rc;
}

/*
 * pxe: a netboot; pxe-nohttp: the same with the HTTP server down;
 * pxe-ipxe: the NIC's iPXE runs the bundle's iPXE script.
 */
static int is_pxe(const struct run *r)
{
    return !strcmp(r->s->medium, "pxe") ||
           !strcmp(r->s->medium, "pxe-nohttp") ||
           !strcmp(r->s->medium, "pxe-ipxe");
}

/*
 * The netboot bundle's boot file for the machine's firmware: the
 * "bios-bootfile=" or "uefi-bootfile=" line of DIR/bootfiles, which make
 * pxe writes, or for pxe-ipxe its "ipxe-script=".
 */
static int pxe_bootfile(struct run *r, char *out, size_t len)
{
    char path[PATH_MAX], line[512], key[32];
    FILE *f;
    int found = 0;

    if (!r->opt->pxe) {
        snprintf(r->why, sizeof(r->why),
                 "scenario %s boots from the network and needs the netboot "
                 "bundle: pass --pxe DIR (make pxe)",
                 r->s->name);
        return -ENOENT;
    }
    snprintf(path, sizeof(path), "%s/bootfiles", r->opt->pxe);
    if (!strcmp(r->s->medium, "pxe-ipxe"))
        snprintf(key, sizeof(key), "ipxe-script=");
    else
        snprintf(key, sizeof(key), "%s-bootfile=", r->m->firmware);
    f = fopen(path, "re");
    if (!f) {
        snprintf(r->why, sizeof(r->why),
                 "%s: %s (is %s a netboot bundle? make pxe)", path,
                 strerror(errno), r->opt->pxe);
        return -ENOENT;
    }
    while (!found && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strncmp(line, key, strlen(key))) {
            snprintf(out, len, "%s", line + strlen(key));
            found = 1;
        }
    }
    fclose(f);
    if (!found || !*out) {
        snprintf(r->why, sizeof(r->why), "%s has no '%s' line (make pxe)", path,
                 key);
        return -ENOENT;
    }
    return 0;
}

/*
 * The machine's network card.  On QEMU's user-mode network, a netboot
 * gets QEMU's TFTP server on the bundle and the bundle's boot file for
 * the firmware; on a tap device (--tap: a network someone else serves,
 * as the cluster test's dnsmasq does) the network's DHCP server says.  A
 * netboot puts the card first in the boot order.
 */
static int nic_args(struct run *r, char ***argv, size_t *argc)
{
    char net[PATH_MAX + 300] = "user", nic[64] = "", bootfile[256] = "";
    char root[PATH_MAX];
    struct subst sub[2] = {{"@NET@", net}, {"@NIC@", nic}};
    int rc;

    if (r->opt->tap)
        snprintf(net, sizeof(net), "tap,ifname=%s,script=no,downscript=no",
                 r->opt->tap);
    if (is_pxe(r) && !r->no_medium) {
        snprintf(nic, sizeof(nic), ",bootindex=0");
        if (!r->opt->tap) {
            rc = pxe_bootfile(r, bootfile, sizeof(bootfile));
            if (rc < 0)
                return rc;
            if (!realpath(r->opt->pxe, root)) {
                rc = -errno;
                snprintf(r->why, sizeof(r->why), "netboot bundle %s: %s",
                         r->opt->pxe, strerror(-rc));
                return rc;
            }
            if (strchr(root, ',')) {
                snprintf(r->why, sizeof(r->why),
                         "netboot bundle %s: QEMU cannot take a path with a "
                         "comma as its TFTP root: move it",
                         root);
                return -EINVAL;
            }
            snprintf(net, sizeof(net), "user,tftp=%s,bootfile=%s", root,
                     bootfile);
        }
    }
    if (r->s->mac)
        snprintf(nic + strlen(nic), sizeof(nic) - strlen(nic), ",mac=%s",
                 r->s->mac);
    rc = machine_line_args(r->m, "nic", sub, 2, argv, argc);
    if (rc == -ENOENT && !is_pxe(r))
        return 0; /* a machine without a network */
    if (rc == -ENOENT)
        snprintf(r->why, sizeof(r->why),
                 "machine %s has no 'nic' line: scenario %s cannot boot "
                 "from the network",
                 r->m->name, r->s->name);
    return rc;
}

/*
 * In QEMU's child, for a netboot: a network namespace of its own, so that
 * the HTTP server can take port 80 on loopback, which QEMU's user-mode
 * network shows its guest as port 80 of the TFTP server (10.0.2.2), as a
 * real netboot server would serve it.  The server (busybox httpd) dies
 * with QEMU; with BUNDLE NULL there is none (a server that is down).  Messages
 * go to QEMU's stderr file.
 */
static int netboot_namespace(const char *bundle)
{
    struct ifreq ifr;
    int fd;

    if (unshare(CLONE_NEWNET) < 0) {
        fprintf(stderr,
                "xp-boot: cannot make a network namespace for the netboot "
                "(unshare: %s): run the boot tests as root\n",
                strerror(errno));
        return -1;
    }
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ||
        (ifr.ifr_flags |= IFF_UP, ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)) {
        fprintf(stderr,
                "xp-boot: cannot bring up lo in the netboot "
                "namespace: %s\n",
                strerror(errno));
        return -1;
    }
    close(fd);
    if (!bundle) /* the HTTP server is down */
        return 0;
    {
        const char *const argv[] = {"busybox",      "httpd", "-f",   "-p",
                                    "127.0.0.1:80", "-h",    bundle, NULL};
        struct xp_cmd httpd = {
            .argv = argv, .err = XP_RUN_INHERIT, .die_with_parent = 1};
        pid_t pid = xp_cmd_start(&httpd);

        if (pid < 0) {
            fprintf(stderr,
                    "xp-boot: cannot run busybox httpd: %s (install "
                    "busybox-static: make host-tools)\n",
                    strerror((int)-pid));
            return -1;
        }
    }
    return 0;
}

/* child_setup of QEMU for a netboot: BUNDLE is the HTTP server's tree,
 * NULL for a server that is down. */
static int netboot_setup(void *bundle)
{
    if (netboot_namespace(bundle) == 0)
        return 0;
    errno = ECANCELED;
    return -1;
}

/*
 * A file the scenario needs from the command line (OPTION's PATH): a host
 * problem, not a failed boot, when it is not given or cannot be read.
 */
static int need_input(struct run *r, const char *path, int mode,
                      const char *option, const char *what, const char *fix)
{
    if (path && access(path, mode) == 0)
        return 0;
    snprintf(r->why, sizeof(r->why), "scenario %s %s: %s (%s, pass %s)",
             r->s->name, what, path ? strerror(errno) : "not given", fix,
             option);
    r->host_problem = 1;
    return -ENOENT;
}

/* The QEMU command line of a run. */
int build_argv(struct run *r, char ***argvp)
{
    const struct machine *m = r->m;
    char **argv = NULL;
    size_t argc = 0, i;
    char vars[PATH_MAX], mon[PATH_MAX];
    int rc;

    rc = push_arg(&argv, &argc, "%s", r->opt->qemu);
    for (i = 0; rc == 0 && i < m->nqemu; i++)
        rc = push_arg(&argv, &argc, "%s", m->qemu[i]);
    /* QEMU merges a second -smp into the first: name every field. */
    if (rc == 0 && r->opt->cpus) {
        rc = push_arg(&argv, &argc, "-smp");
        if (rc == 0)
            rc = push_arg(&argv, &argc, "%d,sockets=%d,cores=1,threads=1",
                          r->opt->cpus, r->opt->cpus);
    }
    if (rc == 0 && !strcmp(m->firmware, "uefi")) {
        if (access(OVMF_CODE, R_OK) < 0 || access(OVMF_VARS, R_OK) < 0) {
            snprintf(r->why, sizeof(r->why),
                     "machine %s needs UEFI firmware, but %s or %s is "
                     "missing: install the 'ovmf' package (make host-tools)",
                     m->name, OVMF_CODE, OVMF_VARS);
            r->host_problem = 1;
            rc = -ENOENT;
            goto out;
        }
        snprintf(vars, sizeof(vars), "%s/OVMF_VARS.fd", r->dir);
        rc = copy_file(OVMF_VARS, vars);
        if (rc < 0) {
            snprintf(r->why, sizeof(r->why), "cannot copy %s to %s: %s",
                     OVMF_VARS, vars, strerror(-rc));
            goto out;
        }
        rc = push_arg(&argv, &argc, "-drive");
        if (rc == 0)
            rc = push_arg(&argv, &argc,
                          "if=pflash,format=raw,unit=0,readonly=on,file=%s",
                          OVMF_CODE);
        if (rc == 0)
            rc = push_arg(&argv, &argc, "-drive");
        if (rc == 0)
            rc = push_arg(&argv, &argc, "if=pflash,format=raw,unit=1,file=%s",
                          vars);
    }
    /* For stall.c: vCPU threads it can tell apart ("CPU 0/TCG"), and a
     * monitor to ask what a stalled machine's CPUs are doing. */
    if (rc == 0)
        rc = push_arg(&argv, &argc, "-name");
    if (rc == 0)
        rc = push_arg(&argv, &argc, "%s,debug-threads=on", r->s->name);
    if (rc == 0 && stall_monitor_path(r, mon, sizeof(mon)) == 0) {
        rc = push_arg(&argv, &argc, "-monitor");
        if (rc == 0)
            rc = push_arg(&argv, &argc, "unix:%s,server=on,wait=off", mon);
    }
    /* The console port is the harness's stdio; the other goes to a file. */
    if (rc == 0)
        rc = push_arg(&argv, &argc, "-chardev");
    if (rc == 0)
        rc = push_arg(&argv, &argc, "stdio,id=con,signal=off");
    if (!strcmp(m->console, "com1")) {
        if (rc == 0)
            rc = push_arg(&argv, &argc, "-serial");
        if (rc == 0)
            rc = push_arg(&argv, &argc, "chardev:con");
        if (rc == 0)
            rc = push_arg(&argv, &argc, "-serial");
        if (rc == 0)
            rc = push_arg(&argv, &argc, "file:%s/com2.log", r->dir);
    } else {
        if (rc == 0)
            rc = push_arg(&argv, &argc, "-serial");
        if (rc == 0)
            rc = push_arg(&argv, &argc, "file:%s/com1.log", r->dir);
        if (rc == 0)
            rc = push_arg(&argv, &argc, "-serial");
        if (rc == 0)
            rc = push_arg(&argv, &argc, "chardev:con");
    }
    if (rc == 0)
        rc = nic_args(r, &argv, &argc);
    if (rc == 0 && !r->no_medium && !is_pxe(r)) {
        rc = machine_medium_args(m, r->s->medium, r->medium, &argv, &argc);
        if (rc == -ENOENT)
            snprintf(r->why, sizeof(r->why),
                     "machine %s has no 'medium.%s' line: scenario %s "
                     "cannot attach its medium",
                     m->name, r->s->medium, r->s->name);
    }
    for (i = 0; rc == 0 && i < r->s->ndisks; i++)
        rc = attach_disk(r, &r->s->disks[i], i, &argv, &argc);
    if (rc == 0 && r->answer && !r->no_medium) {
        char iso[PATH_MAX];
        struct subst sub = {"@FILE@", iso};

        snprintf(iso, sizeof(iso), "%s/answer.iso", r->dir);
        rc = machine_line_args(m, "attach.answer", &sub, 1, &argv, &argc);
        if (rc == -ENOENT)
            snprintf(r->why, sizeof(r->why),
                     "machine %s has no 'attach.answer' line: scenario %s "
                     "cannot attach its answer volume",
                     m->name, r->s->name);
    }
    if (rc == 0 && r->s->http && !r->opt->tap)
        rc = need_input(r, r->opt->http, R_OK | X_OK, "--http",
                        "serves a directory over HTTP",
                        "make check gives it the newer build's repository");
    if (rc == 0 && r->s->kit) {
        struct subst sub = {"@FILE@", r->opt->kit};

        rc = need_input(r, r->opt->kit, R_OK, "--kit",
                        "runs guests and needs the guest kit",
                        "build it with 'make guest-kit'");
        if (rc < 0)
            goto out;
        rc = machine_line_args(m, "attach.kit", &sub, 1, &argv, &argc);
        if (rc == -ENOENT)
            snprintf(r->why, sizeof(r->why),
                     "machine %s has no 'attach.kit' line: scenario %s "
                     "cannot attach the guest kit",
                     m->name, r->s->name);
    }
out:
    if (rc < 0) {
        if (!r->why[0])
            snprintf(r->why, sizeof(r->why),
                     "building the QEMU command "
                     "line: %s",
                     strerror(-rc));
        xp_strv_free(argv);
        return rc;
    }
    *argvp = argv;
    return 0;
}

int start_qemu(struct run *r, char **argv)
{
    int in[2] = {-1, -1}, out[2] = {-1, -1};
    char path[PATH_MAX];
    FILE *f;
    size_t i;
    int errfd;

    snprintf(path, sizeof(path), "%s/qemu.cmdline", r->dir);
    f = fopen(path, "we");
    if (f) {
        for (i = 0; argv[i]; i++)
            fprintf(f, "%s%s", i ? " " : "", argv[i]);
        fputc('\n', f);
        fclose(f);
    }
    snprintf(path, sizeof(path), "%s/qemu.stderr", r->dir);
    errfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (errfd < 0 || pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
        snprintf(r->why, sizeof(r->why), "cannot set up QEMU's pipes: %s",
                 strerror(errno));
        goto fail;
    }
    {
        /* A harness that is stopped leaves no machine running. */
        struct xp_cmd qemu = {.argv = (const char *const *)argv,
                              .in = in[0],
                              .out = out[1],
                              .err = errfd,
                              .die_with_parent = 1};

        if (is_pxe(r) && !r->opt->tap) {
            qemu.child_setup = netboot_setup;
            qemu.child_arg =
                strcmp(r->s->medium, "pxe-nohttp") ? (void *)r->opt->pxe : NULL;
        } else if (r->s->http && !r->opt->tap) {
            qemu.child_setup = netboot_setup;
            qemu.child_arg = (void *)r->opt->http;
        }
        r->pid = xp_cmd_start(&qemu);
    }
    if (r->pid < 0) {
        snprintf(r->why, sizeof(r->why), "cannot start %s: %s%s", argv[0],
                 strerror((int)-r->pid),
                 r->pid == -ECANCELED ? " (the netboot's network: see "
                                        "qemu.stderr)"
                                      : "");
        r->pid = -1;
        goto fail;
    }
    close(in[0]);
    close(out[1]);
    close(errfd);
    r->in_fd = in[1];
    r->out_fd = out[0];
    fcntl(r->out_fd, F_SETFL, O_NONBLOCK);
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    stall_start(r);
    return 0;
fail:
    if (errfd >= 0)
        close(errfd);
    for (i = 0; i < 2; i++) {
        if (in[i] >= 0)
            close(in[i]);
        if (out[i] >= 0)
            close(out[i]);
    }
    return -1;
}

void stop_qemu(struct run *r)
{
    int i, status;

    if (r->pid <= 0)
        return;
    kill(r->pid, SIGTERM);
    for (i = 0; i < 50; i++) {
        if (waitpid(r->pid, &status, WNOHANG) == r->pid) {
            r->pid = -1;
            return;
        }
        usleep(100000);
    }
    kill(r->pid, SIGKILL);
    waitpid(r->pid, &status, 0);
    r->pid = -1;
}

/* Describe how QEMU ended, with the last line it printed to stderr. */
void qemu_died(struct run *r)
{
    char path[PATH_MAX], line[512] = "", last[512] = "";
    int status = 0;
    FILE *f;

    if (r->pid > 0 && waitpid(r->pid, &status, 0) == r->pid)
        r->pid = -1;
    r->exited = WIFEXITED(status);
    r->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    snprintf(path, sizeof(path), "%s/qemu.stderr", r->dir);
    f = fopen(path, "re");
    if (f) {
        while (fgets(line, sizeof(line), f))
            if (line[0] != '\n')
                snprintf(last, sizeof(last), "%s", line);
        fclose(f);
    }
    last[strcspn(last, "\n")] = '\0';
    if (WIFSIGNALED(status))
        snprintf(r->why, sizeof(r->why),
                 "QEMU was killed by signal %d (%s)%s%s", WTERMSIG(status),
                 strsignal(WTERMSIG(status)), last[0] ? ": " : "", last);
    else if (WEXITSTATUS(status) == 0 && !last[0])
        /* -no-reboot: a reset, the machine's own triple fault included,
         * ends QEMU as a power-off does. */
        snprintf(r->why, sizeof(r->why),
                 "QEMU exited with status 0: the machine powered off or "
                 "reset itself (QEMU runs with -no-reboot, so a reset or "
                 "a triple fault of Xen itself ends it too)");
    else
        snprintf(r->why, sizeof(r->why), "QEMU exited with status %d%s%s",
                 WEXITSTATUS(status), last[0] ? ": " : "", last);
}

/* The accelerator the profile asks QEMU for ("accel=tcg"); QEMU's
 * default, TCG, when it names none. */
void machine_accel(const struct machine *m, char *buf, size_t len)
{
    size_t i;

    snprintf(buf, len, "tcg");
    for (i = 0; i < m->nqemu; i++) {
        const char *a = strstr(m->qemu[i], "accel=");

        if (a)
            snprintf(buf, len, "%.*s", (int)strcspn(a + 6, ",:"), a + 6);
    }
}

/*
 * The scenario's answer volume: tests/boot/answers/NAME/ as an ISO 9660
 * image labelled XPANSWER (xorriso), as a user would attach a USB stick;
 * made again for a later boot that names another.
 */
int make_answer_volume(struct run *r, const char *name)
{
    char src[PATH_MAX], iso[PATH_MAX], log[PATH_MAX];
    const char *const argv[] = {"xorriso", "-no_rc", "-as", "mkisofs",
                                "-R",      "-J",     "-V",  "XPANSWER",
                                "-o",      iso,      src,   NULL};
    struct xp_cmd xorriso = {
        .argv = argv, .out_path = log, .err = XP_RUN_TO_OUT};

    snprintf(src, sizeof(src), "%s/answers/%s", r->opt->dir, name);
    snprintf(iso, sizeof(iso), "%s/answer.iso", r->dir);
    snprintf(log, sizeof(log), "%s/answer.log", r->dir);
    if (access(src, R_OK) < 0) {
        snprintf(r->why, sizeof(r->why), "answer volume %s: %s", src,
                 strerror(errno));
        return -1;
    }
    if (!xp_status_ok(xp_cmd_run(&xorriso))) {
        snprintf(r->why, sizeof(r->why),
                 "cannot make the answer volume %s with xorriso: see %s", iso,
                 log);
        return -1;
    }
    return 0;
}
