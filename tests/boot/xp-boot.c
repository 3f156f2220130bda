/*
 * xp-boot: xenplay's boot-test harness.
 *
 * Starts QEMU with a machine profile and a boot medium, drives the serial
 * console stage by stage (see scenario.h), runs framed commands in the
 * booted host's shell (see console.h), and reports TAP on stdout, JUnit
 * XML, the raw console transcripts, the exact QEMU command line and the
 * time of every stage under the results directory.
 *
 * Usage: xp-boot [OPTIONS] [SCENARIO...]   (xp-boot --help)
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

#define OVMF_CODE "/usr/share/OVMF/OVMF_CODE_4M.fd"
#define OVMF_VARS "/usr/share/OVMF/OVMF_VARS_4M.fd"

/* Patterns that can only mean failure, whatever the stage. */
static const char *const fail_always[] = {
    "Panic on CPU",
    "Kernel panic",
    "libxl: error",
    "segfault at",
    /* Not "Triple fault": Xen says that of a guest (dNvM), which is that
     * guest's failure; the machine's own triple fault ends QEMU. */
    "unknown!", /* Xen: parameter "x" unknown! */
    "Entering emergency mode",
    "BUG: soft lockup", /* a dom0 that hangs: no use waiting */
    "dracut: FATAL",
    "Boot failed: ", /* SeaBIOS */
    "No bootable device",
    NULL,
};

struct options {
    int markdown;    /* --list --markdown */
    const char *dir; /* where machines/ and scenarios/ are */
    const char *results;
    const char *medium;
    const char *qemu;
    const char *kit;
    const char *pxe;   /* the netboot bundle (make pxe) */
    const char *tap;   /* the NIC on this tap device, not QEMU's network */
    char **guest_args; /* "KIND=ARGS", NULL-terminated */
    size_t nguest_args;
    double scale;
    int cpus; /* 0: the machine's own; else this many, one per socket */
    int keep;
    int list;
};

/* One run of one scenario. */
struct run {
    const struct options *opt;
    const struct scenario *s;
    const struct machine *m;
    char dir[PATH_MAX];
    char transcript_path[PATH_MAX];
    pid_t pid;
    int in_fd, out_fd;
    FILE *transcript;
    struct console con;
    struct timespec t0;
    const char **fail; /* fail_always + the scenario's */
    size_t longest_fail;
    char why[1024]; /* what went wrong, for the report */
    unsigned next_id;
    FILE *timings;
    int timings_first;
    struct guest_result guests[16]; /* for the spectrum table */
    size_t nguests;
    int guest_setup; /* 0 not yet, 1 done, < 0 failed */
    int no_medium;   /* booting from the scenario's disks */
    int reuse_disks; /* a later boot: keep the disks as they are */
    int exited, exit_status;
    char guest_setup_why[1024];
    struct scn_time *time; /* this scenario's line of the time table */
    /* The boot could not even start for a reason of the build machine
     * (no OVMF, no guest kit, no ISO, no QEMU, a full disk): a skip that
     * says "host problem", never a failed boot of the ISO. */
    int host_problem;
};

/* One line of the time table that ends the run: where a scenario's time
 * went, to compare runs and find the slow ones. */
#define MAX_BOOTS 4
struct scn_time {
    const char *name, *machine;
    double wall;             /* the whole scenario */
    double ready[MAX_BOOTS]; /* QEMU start to the shell, per boot */
    size_t nboots;
    unsigned restarts; /* guests started again (xp-guest) */
    int failed;
};

/* Free space a scenario with disks wants under the results directory. */
#define MIN_FREE (1ULL << 30)

enum wait_result { WAIT_OK, WAIT_TIMEOUT, WAIT_FAILPAT, WAIT_DIED, WAIT_ERROR };

static double now_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) +
           (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void usage(FILE *f)
{
    fprintf(
        f,
        "Usage: xp-boot [OPTIONS] [SCENARIO...]\n"
        "Boot xenplay media in QEMU and check, over the serial console, that "
        "Xen,\n"
        "dom0 and the host's tools come up.  Without SCENARIO, run them all.\n"
        "\n"
        "  --medium PATH     the ISO (or disk image) to boot (required to "
        "run)\n"
        "  --dir DIR         where machines/ and scenarios/ are [tests/boot]\n"
        "  --results DIR     transcripts, JUnit XML, timings "
        "[build/test-results]\n"
        "  --qemu PATH       QEMU binary [qemu-system-x86_64]\n"
        "  --timeout-scale F multiply every timeout by F (slow or busy "
        "machines)\n"
        "  --keep            keep each run's writable images (OVMF vars, "
        "disks)\n"
        "  --kit PATH        the guest kit for scenarios with guests "
        "(make guest-kit)\n"
        "  --pxe DIR         the netboot bundle for 'medium pxe' scenarios "
        "(make pxe)\n"
        "  --tap IFNAME      the NIC on tap device IFNAME (a network with "
        "its own\n"
        "                    DHCP, TFTP and HTTP), not QEMU's user-mode "
        "network\n"
        "  --cpus N          give each machine N CPUs (one per socket), not "
        "its own:\n"
        "                    for several machines at once on a small "
        "host\n"
        "  --guest-args KIND=ARGS\n"
        "                    add ARGS to guest KIND's kernel command line "
        "(to break\n"
        "                    one on purpose: --guest-args pvhvm=xen_nopv)\n"
        "  --xen-version V   what scenarios' @XEN@ stands for [the "
        "version\n"
        "                    dom0-rootfs/mkosi.conf installs]\n"
        "  --list            list the scenarios and exit (--markdown: "
        "as\n"
        "                    docs/scenarios.md, with their machines)\n"
        "  --help            this text\n");
}

static int mkdir_p(const char *path)
{
    char buf[PATH_MAX];
    char *p;

    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
        return -ENAMETOOLONG;
    for (p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

static int copy_file(const char *from, const char *to)
{
    char buf[65536];
    int in = -1, out = -1, rc;
    ssize_t n;

    in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        rc = -errno;
        goto out;
    }
    out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        rc = -errno;
        goto out;
    }
    while ((n = read(in, buf, sizeof(buf))) > 0) {
        if (write(out, buf, (size_t)n) != n) {
            rc = errno ? -errno : -EIO;
            goto out;
        }
    }
    rc = n < 0 ? -errno : 0;
out:
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) < 0 && rc == 0)
        rc = -errno;
    return rc;
}

static int push_arg(char ***argv, size_t *argc, const char *fmt, ...)
{
    va_list ap;
    char *s, **p;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -ENOMEM;
    p = realloc(*argv, (*argc + 2) * sizeof(*p));
    if (!p) {
        free(s);
        return -ENOMEM;
    }
    *argv = p;
    p[(*argc)++] = s;
    p[*argc] = NULL;
    return 0;
}

static void free_argv(char **argv)
{
    char **p;

    for (p = argv; p && *p; p++)
        free(*p);
    free(argv);
}

static void disk_path(const struct run *r, const struct disk *d, char *buf,
                      size_t len)
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
    int fd, devnull;
    pid_t pid;

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
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (devnull >= 0) {
            dup2(devnull, 0);
            dup2(devnull, 1);
        }
        execlp("busybox", "busybox", "httpd", "-f", "-p", "127.0.0.1:80", "-h",
               bundle, (char *)NULL);
        fprintf(stderr,
                "xp-boot: cannot run busybox httpd: %s (install "
                "busybox-static: make host-tools)\n",
                strerror(errno));
        _exit(127);
    }
    return 0;
}

/* The QEMU command line of a run. */
static int build_argv(struct run *r, char ***argvp)
{
    const struct machine *m = r->m;
    char **argv = NULL;
    size_t argc = 0, i;
    char vars[PATH_MAX];
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
        rc = machine_medium_args(m, r->s->medium, r->opt->medium, &argv, &argc);
        if (rc == -ENOENT)
            snprintf(r->why, sizeof(r->why),
                     "machine %s has no 'medium.%s' line: scenario %s "
                     "cannot attach its medium",
                     m->name, r->s->medium, r->s->name);
    }
    for (i = 0; rc == 0 && i < r->s->ndisks; i++)
        rc = attach_disk(r, &r->s->disks[i], i, &argv, &argc);
    if (rc == 0 && r->s->answer && !r->no_medium) {
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
    if (rc == 0 && r->s->kit) {
        struct subst sub = {"@FILE@", r->opt->kit};

        if (!r->opt->kit || access(r->opt->kit, R_OK) < 0) {
            snprintf(r->why, sizeof(r->why),
                     "scenario %s runs guests and needs the guest kit: %s "
                     "(build it with 'make guest-kit', pass --kit PATH)",
                     r->s->name,
                     r->opt->kit ? strerror(errno) : "no --kit given");
            r->host_problem = 1;
            rc = -ENOENT;
            goto out;
        }
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
        free_argv(argv);
        return rc;
    }
    *argvp = argv;
    return 0;
}

static int start_qemu(struct run *r, char **argv)
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
    r->pid = fork();
    if (r->pid < 0) {
        snprintf(r->why, sizeof(r->why), "fork: %s", strerror(errno));
        goto fail;
    }
    if (r->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(errfd, 2);
        if (is_pxe(r) && !r->opt->tap &&
            netboot_namespace(strcmp(r->s->medium, "pxe-nohttp") ? r->opt->pxe
                                                                 : NULL) < 0)
            _exit(127);
        execvp(argv[0], argv);
        fprintf(stderr, "xp-boot: cannot run %s: %s\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(errfd);
    r->in_fd = in[1];
    r->out_fd = out[0];
    fcntl(r->out_fd, F_SETFL, O_NONBLOCK);
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
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

static void stop_qemu(struct run *r)
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
static void qemu_died(struct run *r)
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
    else
        snprintf(r->why, sizeof(r->why), "QEMU exited with status %d%s%s",
                 WEXITSTATUS(status), last[0] ? ": " : "", last);
}

/* Type KEYS slowly: a UART and Xen's console ring hold few characters. */
static int send_keys(struct run *r, const char *keys)
{
    size_t n = strlen(keys), off = 0, chunk;
    ssize_t w;

    fprintf(r->transcript, "%s", ""); /* keep ordering with reads */
    while (off < n) {
        chunk = n - off > 8 ? 8 : n - off;
        w = write(r->in_fd, keys + off, chunk);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            snprintf(r->why, sizeof(r->why), "writing to QEMU's console: %s",
                     strerror(errno));
            return -errno;
        }
        off += (size_t)w;
        usleep(15000);
    }
    return 0;
}

typedef int (*ready_fn)(struct run *r, void *arg);

/*
 * Read the console until READY says so, a fail pattern shows, QEMU dies
 * or TIMEOUT seconds pass.  Everything read goes to the transcript.
 */
static enum wait_result wait_for(struct run *r, double timeout, ready_fn ready,
                                 void *arg)
{
    struct timespec start;
    char buf[4096];
    const char *pat;
    ssize_t n;
    int rc;

    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        double left = timeout - now_since(&start);
        struct pollfd p = {.fd = r->out_fd, .events = POLLIN};

        rc = ready(r, arg);
        if (rc < 0) {
            snprintf(r->why, sizeof(r->why), "out of memory");
            return WAIT_ERROR;
        }
        if (rc > 0)
            return WAIT_OK;
        if (left <= 0)
            return WAIT_TIMEOUT;
        rc = poll(&p, 1, (int)(left * 1000) + 1);
        if (rc < 0 && errno != EINTR) {
            snprintf(r->why, sizeof(r->why), "poll: %s", strerror(errno));
            return WAIT_ERROR;
        }
        if (rc <= 0)
            continue;
        n = read(r->out_fd, buf, sizeof(buf));
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n <= 0) {
            qemu_died(r);
            return WAIT_DIED;
        }
        if (fwrite(buf, 1, (size_t)n, r->transcript) != (size_t)n ||
            fflush(r->transcript) != 0) {
            snprintf(r->why, sizeof(r->why),
                     "cannot write the transcript %s: %s (is the disk "
                     "under build/ full?)",
                     r->transcript_path, strerror(errno));
            return WAIT_ERROR;
        }
        if (console_feed(&r->con, buf, (size_t)n) < 0) {
            snprintf(r->why, sizeof(r->why), "out of memory");
            return WAIT_ERROR;
        }
        pat = console_find_any(&r->con, r->fail, (size_t)n + r->longest_fail);
        if (pat) {
            char line[400];

            if (!console_line_of(&r->con, pat, line, sizeof(line)))
                snprintf(line, sizeof(line), "%s", pat);
            snprintf(r->why, sizeof(r->why),
                     "the console showed '%s', which means failure:\n%s", pat,
                     line);
            return WAIT_FAILPAT;
        }
    }
}

static int ready_marker(struct run *r, void *arg)
{
    return console_expect(&r->con, arg);
}

struct frame_wait {
    unsigned id;
    char *output;
    int status;
};

static int ready_never(struct run *r, void *arg)
{
    (void)r;
    (void)arg;
    return 0;
}

static int ready_frame(struct run *r, void *arg)
{
    struct frame_wait *fw = arg;

    return frame_collect(&r->con, fw->id, &fw->output, &fw->status);
}

static void timing(struct run *r, const char *kind, const char *name, double at,
                   double took)
{
    if (!r->timings)
        return;
    fprintf(r->timings, "%s\n    {\"kind\": ", r->timings_first ? "" : ",");
    json_string(r->timings, kind);
    fprintf(r->timings, ", \"name\": ");
    json_string(r->timings, name);
    fprintf(r->timings, ", \"at\": %.2f, \"seconds\": %.2f}", at, took);
    r->timings_first = 0;
}

static const char *wait_text(enum wait_result w)
{
    switch (w) {
    case WAIT_TIMEOUT: return "timed out";
    case WAIT_FAILPAT: return "failed";
    case WAIT_DIED: return "QEMU ended";
    default: return "error";
    }
}

/* Run one framed command; the result is in *FW. */
static enum wait_result run_command(struct run *r, const char *cmd,
                                    double timeout, struct frame_wait *fw)
{
    char line[FRAME_MAX];

    fw->id = ++r->next_id;
    fw->output = NULL;
    fw->status = -1;
    if (frame_command(line, sizeof(line), fw->id, cmd) < 0) {
        snprintf(r->why, sizeof(r->why), "command too long: %s", cmd);
        return WAIT_ERROR;
    }
    if (send_keys(r, line) < 0)
        return WAIT_ERROR;
    return wait_for(r, timeout, ready_frame, fw);
}

/*
 * Set up the shell for commands: kernel messages off the console, wide
 * lines (no wrapping, no cut-off ps output), no pager, no colours.
 */
#define SHELL_SETUP                                                            \
    "dmesg -n 1 2>/dev/null; stty cols 1000 2>/dev/null; "                     \
    "export PAGER=cat SYSTEMD_PAGER= SYSTEMD_COLORS=0 NO_COLOR=1; true"

/*
 * Wait until the shell answers: type a framed no-op every few seconds
 * (what was typed before the shell read its terminal may be lost).
 */
static enum wait_result wait_shell(struct run *r, double timeout)
{
    struct timespec start;
    struct frame_wait fw;
    enum wait_result w;

    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        double left = timeout - now_since(&start);

        if (left <= 0)
            return WAIT_TIMEOUT;
        /* Keep kernel messages off the console the commands use. */
        w = run_command(r, SHELL_SETUP, left < 5 ? left : 5, &fw);
        free(fw.output);
        if (w != WAIT_TIMEOUT)
            return w;
    }
}

static char *check_output_excerpt(const char *out)
{
    char *s = NULL;
    size_t len = strlen(out);
    const char *from = len > 1500 ? out + len - 1500 : out;

    if (asprintf(&s, "| %s", from) < 0)
        return NULL;
    return s;
}

static int regex_any_line(const char *re, const char *text, char *err,
                          size_t errlen)
{
    regex_t rx;
    int rc;

    rc = regcomp(&rx, re, REG_EXTENDED | REG_NEWLINE | REG_NOSUB);
    if (rc) {
        regerror(rc, &rx, err, errlen);
        return -EINVAL;
    }
    rc = regexec(&rx, text, 0, NULL, 0) == 0;
    regfree(&rx);
    return rc;
}

/* The accelerator the profile asks QEMU for ("accel=tcg"); QEMU's
 * default, TCG, when it names none. */
static void machine_accel(const struct machine *m, char *buf, size_t len)
{
    size_t i;

    snprintf(buf, len, "tcg");
    for (i = 0; i < m->nqemu; i++) {
        const char *a = strstr(m->qemu[i], "accel=");

        if (a)
            snprintf(buf, len, "%.*s", (int)strcspn(a + 6, ",:"), a + 6);
    }
}

/* Extra kernel arguments for guest KIND from --guest-args, or "". */
static const char *guest_args_for(const struct options *opt, const char *kind)
{
    size_t i, n = strlen(kind);

    for (i = 0; i < opt->nguest_args; i++)
        if (!strncmp(opt->guest_args[i], kind, n) &&
            opt->guest_args[i][n] == '=')
            return opt->guest_args[i] + n + 1;
    return "";
}

#define KIT_DIR "/run/xpkit"

/*
 * Mount the guest kit in dom0 and make the volume group on the scratch
 * disk, once per run.
 */
static int guest_setup(struct run *r)
{
    struct frame_wait fw = {0};
    enum wait_result w;

    if (r->guest_setup)
        return r->guest_setup;
    w = run_command(r,
                    "mkdir -p " KIT_DIR " && { mountpoint -q " KIT_DIR
                    " || mount -o ro LABEL=XPKIT " KIT_DIR "; } && " KIT_DIR
                    "/xp-guest setup",
                    180 * r->opt->scale, &fw);
    if (w != WAIT_OK)
        snprintf(r->guest_setup_why, sizeof(r->guest_setup_why),
                 "setting up the guests failed: %s",
                 w == WAIT_TIMEOUT ? "no answer within 180 s" : r->why);
    else if (fw.status != 0)
        snprintf(r->guest_setup_why, sizeof(r->guest_setup_why),
                 "setting up the guests failed (mounting the kit labelled "
                 "XPKIT, LVM on the disk with serial XPSCRATCH): %.700s",
                 fw.output ? fw.output : "");
    r->guest_setup = r->guest_setup_why[0] ? -1 : 1;
    free(fw.output);
    return r->guest_setup;
}

static void save_guest_log(struct run *r, const struct guest_result *g,
                           char *path, size_t len)
{
    FILE *f;

    snprintf(path, len, "%s/guest-%s.log", r->dir, kind_name(g->kind));
    f = fopen(path, "we");
    if (!f) {
        path[0] = '\0';
        return;
    }
    if (g->log)
        fwrite(g->log, 1, g->loglen, f);
    else
        fprintf(f, "(xp-guest printed no log for this guest)\n");
    fclose(f);
}

/* The last lines of a guest's log, for a failed test's message. */
static const char *log_tail(const struct guest_result *g)
{
    const char *p;
    int lines = 0;

    if (!g->log || !g->loglen)
        return "(no guest log)";
    p = g->log + g->loglen;
    while (p > g->log && lines < 25 && (size_t)(g->log + g->loglen - p) < 2000)
        if (*--p == '\n')
            lines++;
    return p;
}

/*
 * Run one guest of the matrix (tests/guest/xp-guest in dom0) and report
 * its boot, disk, network and spectrum as four results.  Returns -1 when
 * the host stopped answering.
 */
static int run_guest(struct run *r, const struct step *st, struct report *rep)
{
    const char *kinds = st->name, *extra = guest_args_for(r->opt, st->name);
    char cmd[1024], name[64], logpath[PATH_MAX], *msg = NULL;
    struct guest_result g0, *g = &g0;
    struct frame_wait fw = {0};
    enum wait_result w;
    enum kind kind;
    double t = now_since(&r->t0), timeout = st->timeout * r->opt->scale;
    int c, alive = 0;

    if (kind_parse(kinds, &kind) < 0)
        return 0; /* the parser allows only known kinds */
    memset(&g0, 0, sizeof(g0));
    g0.kind = kind;
    if (guest_setup(r) < 0) {
        for (c = 0; c < GC_COUNT; c++) {
            snprintf(name, sizeof(name), "guest-%s-%s", kinds,
                     guest_check_name(c));
            report_add(rep, r->s->name, name, V_FAIL, 0, r->guest_setup_why,
                       r->transcript_path);
        }
        snprintf(name, sizeof(name), "guest-%s-spectrum", kinds);
        report_add(rep, r->s->name, name, V_FAIL, 0, r->guest_setup_why,
                   r->transcript_path);
        return 0;
    }
    printf("# %s: guest %s%s%s\n", r->s->name, kinds, *st->text ? " with " : "",
           st->text);
    if (*extra)
        printf("# %s: guest %s: --guest-args adds '%s'\n", r->s->name, kinds,
               extra);
    fflush(stdout);
    snprintf(cmd, sizeof(cmd), KIT_DIR "/xp-guest run %s %.0f %s %s", kinds,
             timeout, st->text, extra);
    w = run_command(r, cmd, timeout + 120 * r->opt->scale, &fw);
    if (w == WAIT_OK) {
        alive = 1;
        guest_parse(g, kind, fw.output ? fw.output : "");
    } else {
        if (w == WAIT_TIMEOUT)
            snprintf(g->error, sizeof(g->error),
                     "'%s' did not finish within %.0f s", cmd,
                     timeout + 120 * r->opt->scale);
        else
            snprintf(g->error, sizeof(g->error), "'%s' %s: %s", cmd,
                     wait_text(w), r->why);
        if (w == WAIT_TIMEOUT && send_keys(r, "\003") == 0 &&
            wait_shell(r, 60 * r->opt->scale) == WAIT_OK)
            alive = 1;
    }
    save_guest_log(r, g, logpath, sizeof(logpath));
    if (r->time)
        r->time->restarts += g->restarts;
    timing(r, "guest", kinds, now_since(&r->t0), now_since(&r->t0) - t);
    if (g->t_verdict >= 0)
        timing(r, "guest-verdict", kinds, now_since(&r->t0), g->t_verdict);

    for (c = 0; c < GC_COUNT; c++) {
        int ok = g->check[c].seen && g->check[c].ok;

        snprintf(name, sizeof(name), "guest-%s-%s", kinds, guest_check_name(c));
        if (ok) {
            report_add(rep, r->s->name, name, V_PASS, 0, NULL, NULL);
            printf("# %s: %s: %s\n", r->s->name, name, g->check[c].msg);
            if (c == GC_BOOT && g->note[0])
                printf("# %s: %s: %s\n", r->s->name, name, g->note);
            continue;
        }
        if (asprintf(&msg, "%s; the guest's log (%s) ends:\n%s",
                     g->check[c].seen ? g->check[c].msg
                     : g->error[0]    ? g->error
                                      : "xp-guest printed no result",
                     logpath, log_tail(g)) < 0)
            msg = NULL;
        report_add(rep, r->s->name, name, V_FAIL, 0, msg, logpath);
        free(msg);
        msg = NULL;
    }
    snprintf(name, sizeof(name), "guest-%s-spectrum", kinds);
    {
        char why[2048];

        if (guest_spectrum_check(g, why, sizeof(why)) == 0) {
            report_add(rep, r->s->name, name, V_PASS, now_since(&r->t0) - t,
                       NULL, NULL);
        } else {
            if (asprintf(&msg, "%s; the guest's log (%s) ends:\n%s", why,
                         logpath, log_tail(g)) < 0)
                msg = NULL;
            report_add(rep, r->s->name, name, V_FAIL, now_since(&r->t0) - t,
                       msg, logpath);
            free(msg);
        }
    }
    if (r->nguests < sizeof(r->guests) / sizeof(*r->guests))
        r->guests[r->nguests++] = *g; /* keeps the log; freed at the end */
    else
        guest_free(g);
    free(fw.output);
    return alive ? 0 : -1;
}

/* The spectrum table of the run's guests, on stdout and in a file. */
static void spectrum_report(struct run *r)
{
    char path[PATH_MAX];
    FILE *f;

    if (!r->nguests)
        return;
    printf("# %s: PV spectrum (slide 29), measured in the guests:\n",
           r->s->name);
    guest_table(stdout, "#   ", r->guests, r->nguests);
    snprintf(path, sizeof(path), "%s/spectrum.txt", r->dir);
    f = fopen(path, "we");
    if (f) {
        guest_table(f, "", r->guests, r->nguests);
        fclose(f);
    }
    snprintf(path, sizeof(path), "%s/spectrum.json", r->dir);
    f = fopen(path, "we");
    if (f) {
        guest_json(f, r->guests, r->nguests);
        fclose(f);
    }
    fflush(stdout);
}

/*
 * The scenario's answer volume: tests/boot/answers/NAME/ as an ISO 9660
 * image labelled XPANSWER (xorriso), as a user would attach a USB stick.
 */
static int make_answer_volume(struct run *r)
{
    char src[PATH_MAX], iso[PATH_MAX], log[PATH_MAX];
    pid_t pid;
    int st, fd;

    snprintf(src, sizeof(src), "%s/answers/%s", r->opt->dir, r->s->answer);
    snprintf(iso, sizeof(iso), "%s/answer.iso", r->dir);
    snprintf(log, sizeof(log), "%s/answer.log", r->dir);
    if (access(src, R_OK) < 0) {
        snprintf(r->why, sizeof(r->why), "answer volume %s: %s", src,
                 strerror(errno));
        return -1;
    }
    pid = fork();
    if (pid == 0) {
        fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execlp("xorriso", "xorriso", "-no_rc", "-as", "mkisofs", "-R", "-J",
               "-V", "XPANSWER", "-o", iso, src, (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) ||
        WEXITSTATUS(st) != 0) {
        snprintf(r->why, sizeof(r->why),
                 "cannot make the answer volume %s with xorriso: see %s", iso,
                 log);
        return -1;
    }
    return 0;
}

/* Run the stages of steps [FROM, TO); 1 when all were reached. */
static int run_stages(struct run *r, size_t from, size_t to)
{
    const struct scenario *s = r->s;
    size_t i;

    for (i = from; i < to; i++) {
        const struct step *st = &s->steps[i];
        double t = now_since(&r->t0), timeout = st->timeout * r->opt->scale;
        enum wait_result w = WAIT_OK;

        switch (st->kind) {
        case STEP_STAGE:
            w = wait_for(r, timeout, ready_marker, st->text);
            break;
        case STEP_SEND:
            if (send_keys(r, st->text) < 0)
                w = WAIT_ERROR;
            break;
        case STEP_SHELL:
            w = wait_shell(r, timeout);
            if (w == WAIT_OK && r->time && r->time->nboots < MAX_BOOTS)
                r->time->ready[r->time->nboots++] = now_since(&r->t0);
            break;
        case STEP_POWEROFF:
            /* The machine must switch itself off, and QEMU exit 0. */
            w = wait_for(r, timeout, ready_never, NULL);
            if (w == WAIT_DIED && r->exited && r->exit_status == 0)
                w = WAIT_OK;
            break;
        case STEP_KILL:
            /* Power cut: no shutdown, no sync, whatever was running. */
            if (r->pid > 0) {
                kill(r->pid, SIGKILL);
                waitpid(r->pid, NULL, 0);
                r->pid = -1;
            }
            break;
        case STEP_ABSENT:
            w = wait_for(r, timeout, ready_marker, st->text);
            if (w == WAIT_OK) {
                snprintf(r->why, sizeof(r->why),
                         "'%s' showed on the console, and must not", st->text);
                w = WAIT_FAILPAT;
            } else if (w == WAIT_TIMEOUT || w == WAIT_DIED) {
                w = WAIT_OK;
            }
            break;
        case STEP_CHECK:
        case STEP_GUEST:
        case STEP_HOST:
        case STEP_BOOTDISK:
        case STEP_BOOTMEDIUM: continue;
        }
        if (w != WAIT_OK) {
            char msg[sizeof(r->why)];

            if (w == WAIT_TIMEOUT)
                snprintf(r->why, sizeof(r->why), "no %s%s%s within %.0f s",
                         st->kind == STEP_SHELL      ? "shell answer"
                         : st->kind == STEP_POWEROFF ? "power-off"
                                                     : "'",
                         st->kind == STEP_STAGE ? st->text : "",
                         st->kind == STEP_STAGE ? "' on the console" : "",
                         timeout);
            snprintf(msg, sizeof(msg), "%s", r->why);
            snprintf(r->why, sizeof(r->why), "stage %s %s after %.1f s: %s",
                     st->name, wait_text(w), now_since(&r->t0), msg);
            return 0;
        }
        if (st->kind != STEP_SEND) {
            printf("# %s: stage %s at %.1f s (%.1f s)\n", s->name, st->name,
                   now_since(&r->t0), now_since(&r->t0) - t);
            timing(r, "stage", st->name, now_since(&r->t0),
                   now_since(&r->t0) - t);
            fflush(stdout);
        }
    }
    return 1;
}

/*
 * Run host step ST: sh -c its command on the build host, with the run's
 * disk images, medium and directories in the environment, its output in
 * the run's directory.  The machine must be off: nothing else may write
 * the disks meanwhile.
 */
static enum wait_result run_host(struct run *r, const struct step *st,
                                 double timeout, struct frame_wait *fw)
{
    char log[PATH_MAX];
    struct timespec t0;
    pid_t pid;
    int status = 0, fd;
    FILE *f;

    if (r->pid > 0 && !r->exited) {
        snprintf(r->why, sizeof(r->why),
                 "host step %s would read disks the running machine "
                 "writes: put it after 'poweroff' or 'kill'",
                 st->name);
        return WAIT_ERROR;
    }
    snprintf(log, sizeof(log), "%s/host-%s.log", r->dir, st->name);
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        snprintf(r->why, sizeof(r->why), "fork: %s", strerror(errno));
        return WAIT_ERROR;
    }
    if (pid == 0) {
        setpgid(0, 0);
        fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0)
            _exit(126);
        dup2(fd, 1);
        dup2(fd, 2);
        fd = open("/dev/null", O_RDONLY);
        if (fd >= 0)
            dup2(fd, 0);
        setenv("XP_MEDIUM", r->opt->medium, 1);
        setenv("XP_DIR", r->opt->dir, 1);
        setenv("XP_RUN", r->dir, 1);
        {
            char accel[32];

            machine_accel(r->m, accel, sizeof(accel));
            setenv("XP_ACCEL", accel, 1);
        }
        for (size_t i = 0; i < r->s->ndisks; i++) {
            char name[128], path[PATH_MAX];

            snprintf(name, sizeof(name), "XP_DISK_%s", r->s->disks[i].serial);
            for (char *p = name; *p; p++)
                if (!isalnum((unsigned char)*p))
                    *p = '_';
            disk_path(r, &r->s->disks[i], path, sizeof(path));
            setenv(name, path, 1);
        }
        execl("/bin/sh", "sh", "-c", st->text, (char *)NULL);
        _exit(127);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (now_since(&t0) > timeout) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            return WAIT_TIMEOUT;
        }
        usleep(100000);
    }
    fw->status =
        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    f = fopen(log, "re");
    if (f) {
        size_t len = 0;
        FILE *mem = open_memstream(&fw->output, &len);
        char buf[4096];
        size_t n;

        while (mem && (n = fread(buf, 1, sizeof(buf), f)) > 0)
            fwrite(buf, 1, n, mem);
        if (mem)
            fclose(mem);
        fclose(f);
    }
    if (!fw->output)
        fw->output = strdup("");
    return WAIT_OK;
}

/*
 * What dom0 must never log, looked for once a boot's checks are done: the
 * console shows kernel messages only until the shell is set up (dmesg -n
 * 1), so a crash after that would go unseen.  Neither the command line
 * the console echoes nor the lines it finds may match the harness's own
 * fail patterns ("segfault at" is shown as "segfault (at)").
 */
#define CRASH_SCAN                                                             \
    "{ dmesg; journalctl -b -q --no-pager -o short-monotonic 2>/dev/null; } "  \
    "| grep -E 'segfaul[t] at|general protectio[n]|BUG[:]|Oops[:]' "           \
    "| sed 's/segfaul[t] at/segfault (at)/' | sort -u | head -n 20 | grep . "  \
    "&& exit 1; echo no crash logged"

static void crash_scan(struct run *r, const char *bootname, int booted,
                       const char *gone, struct report *rep)
{
    char name[64], *msg = NULL;
    struct frame_wait fw = {0};
    enum wait_result w;
    double t = now_since(&r->t0);

    snprintf(name, sizeof(name), "%s-no-crashes", bootname);
    if (!booted) {
        report_add(rep, r->s->name, name, V_SKIP, 0,
                   gone[0] ? gone : "the boot failed", NULL);
        return;
    }
    /* exit in a subshell: the shell itself stays */
    w = run_command(r, "( " CRASH_SCAN " )", 120 * r->opt->scale, &fw);
    if (w != WAIT_OK) {
        if (asprintf(&msg, "the crash scan %s: %s", wait_text(w), r->why) < 0)
            msg = NULL;
    } else if (fw.status != 0) {
        if (asprintf(&msg,
                     "dom0 logged a crash (dmesg, journal); the lines:\n%s",
                     fw.output ? fw.output : "") < 0)
            msg = NULL;
    }
    report_add(rep, r->s->name, name, msg ? V_FAIL : V_PASS,
               now_since(&r->t0) - t, msg, msg ? r->transcript_path : NULL);
    free(msg);
    free(fw.output);
}

/* Run the checks and guests of steps [FROM, TO), or skip them. */
static void run_checks(struct run *r, size_t from, size_t to, int *booted,
                       char *gone, size_t gonelen, struct report *rep)
{
    const struct scenario *s = r->s;
    const struct options *opt = r->opt;
    char err[512];
    size_t i;
    int rc;

    for (i = from; i < to; i++) {
        const struct step *st = &s->steps[i];
        struct frame_wait fw = {0};
        enum wait_result w;
        double t;
        char *msg = NULL;

        if (st->kind != STEP_CHECK && st->kind != STEP_GUEST &&
            st->kind != STEP_HOST)
            continue;
        if (!*booted) {
            const char *why = gone[0] ? gone : "the boot failed";

            if (st->kind != STEP_GUEST) {
                report_add(rep, s->name, st->name, V_SKIP, 0, why, NULL);
                continue;
            }
            for (size_t k = 0; k < GUEST_RESULTS; k++) {
                static const char *const what[GUEST_RESULTS] = {
                    "boot", "disk", "network", "spectrum"};
                char nm[64];

                snprintf(nm, sizeof(nm), "guest-%s-%s", st->name, what[k]);
                report_add(rep, s->name, nm, V_SKIP, 0, why, NULL);
            }
            continue;
        }
        if (st->kind == STEP_GUEST) {
            if (run_guest(r, st, rep) < 0) {
                *booted = 0;
                snprintf(gone, gonelen,
                         "the host stopped answering while guest %s ran",
                         st->name);
            }
            continue;
        }
        t = now_since(&r->t0);
        if (st->kind == STEP_HOST)
            w = run_host(r, st, st->timeout * opt->scale, &fw);
        else
            w = run_command(r, st->text, st->timeout * opt->scale, &fw);
        if (w != WAIT_OK) {
            if (w == WAIT_TIMEOUT)
                snprintf(r->why, sizeof(r->why),
                         "'%s' did not finish within %.0f s", st->text,
                         st->timeout * opt->scale);
            report_add(rep, s->name, st->name, V_FAIL, now_since(&r->t0) - t,
                       r->why, r->transcript_path);
            free(fw.output);
            if (st->kind == STEP_HOST)
                continue;
            /* Interrupt the command and get the shell back for the next
             * check; a host that does not answer any more is gone. */
            if (w != WAIT_TIMEOUT || send_keys(r, "\003") < 0 ||
                wait_shell(r, 60 * opt->scale) != WAIT_OK) {
                *booted = 0;
                snprintf(gone, gonelen,
                         "the host stopped answering after check %s", st->name);
            }
            continue;
        }
        timing(r, "check", st->name, now_since(&r->t0), now_since(&r->t0) - t);
        if (fw.status != 0) {
            char *ex = check_output_excerpt(fw.output);

            if (asprintf(&msg, "'%s' exited with status %d; its output:\n%s",
                         st->text, fw.status, ex ? ex : "") < 0)
                msg = NULL;
            free(ex);
        } else if (st->regex) {
            rc = regex_any_line(st->regex, fw.output, err, sizeof(err));
            if (rc < 0) {
                if (asprintf(&msg, "bad regex '%s' in the scenario: %s",
                             st->regex, err) < 0)
                    msg = NULL;
            } else if (rc == 0) {
                char *ex = check_output_excerpt(fw.output);

                if (asprintf(&msg,
                             "no line of the output of '%s' matches "
                             "'%s'; the output:\n%s",
                             st->text, st->regex, ex ? ex : "") < 0)
                    msg = NULL;
                free(ex);
            }
        }
        report_add(rep, s->name, st->name, msg ? V_FAIL : V_PASS,
                   now_since(&r->t0) - t, msg, msg ? r->transcript_path : NULL);
        free(msg);
        free(fw.output);
    }
}

/* Run a scenario: one result for the boot, one per check. */
/* Whether PROG can be run: a path, or a name found in $PATH. */
static int in_path(const char *prog)
{
    char buf[PATH_MAX];
    const char *path = getenv("PATH"), *p, *end;

    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0;
    for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
        end = p + strcspn(p, ":");
        snprintf(buf, sizeof(buf), "%.*s/%s", (int)(end - p), p, prog);
        if (access(buf, X_OK) == 0)
            return 1;
    }
    return 0;
}

/* The boot could not start for a reason of this machine: a skip. */
static void host_skip(struct run *r, struct report *rep, const char *bootname,
                      char *gone, size_t gonelen)
{
    char why[sizeof(r->why) + 32];

    snprintf(why, sizeof(why), "host problem: %s", r->why);
    report_add(rep, r->s->name, bootname, V_SKIP, 0, why, NULL);
    snprintf(gone, gonelen, "host problem: the machine did not start");
}

static int run_scenario(const struct options *opt, const struct scenario *s,
                        struct report *rep, struct scn_time *tt)
{
    struct machine m = {0};
    struct run r = {0};
    char path[PATH_MAX], err[512], gone[256] = "", accel[32] = "tcg";
    char **argv = NULL;
    size_t i, nfail = 0;
    int booted = 1, rc;
    double t_boot = 0;

    r.opt = opt;
    r.s = s;
    r.m = &m;
    r.pid = -1;
    r.in_fd = r.out_fd = -1;
    r.timings_first = 1;
    r.time = tt;
    tt->name = s->name;
    tt->machine = s->machine;
    console_init(&r.con, 1 << 20);

    snprintf(r.dir, sizeof(r.dir), "%s/%s", opt->results, s->name);
    snprintf(r.transcript_path, sizeof(r.transcript_path), "%s/console.log",
             r.dir);
    rc = mkdir_p(r.dir);
    if (rc < 0) {
        snprintf(r.why, sizeof(r.why), "cannot create %s: %s", r.dir,
                 strerror(-rc));
        booted = 0;
        goto report_boot;
    }
    snprintf(path, sizeof(path), "%s/machines/%s.conf", opt->dir, s->machine);
    rc = machine_parse(&m, s->machine, path, err, sizeof(err));
    if (rc < 0) {
        snprintf(r.why, sizeof(r.why), "machine profile: %s", err);
        booted = 0;
        goto report_boot;
    }
    machine_accel(&m, accel, sizeof(accel));
    printf("# %s: %s\n# machine %s (accelerator %s): %s\n", s->name,
           s->description ? s->description : "", m.name, accel,
           m.description ? m.description : "");
    if (opt->cpus)
        printf("# machine %s: %d CPU%s, one per socket (--cpus), not its "
               "own\n",
               m.name, opt->cpus, opt->cpus == 1 ? "" : "s");

    /* Fail-fast patterns: the harness's and the scenario's. */
    r.fail = calloc(sizeof(fail_always) / sizeof(*fail_always) + s->nfail,
                    sizeof(*r.fail));
    if (!r.fail) {
        snprintf(r.why, sizeof(r.why), "out of memory");
        booted = 0;
        goto report_boot;
    }
    for (i = 0; fail_always[i]; i++)
        r.fail[nfail++] = fail_always[i];
    for (i = 0; i < s->nfail; i++)
        r.fail[nfail++] = s->fail[i];
    for (i = 0; i < nfail; i++)
        if (strlen(r.fail[i]) > r.longest_fail)
            r.longest_fail = strlen(r.fail[i]);

    if (access(opt->medium, R_OK) < 0) {
        snprintf(r.why, sizeof(r.why), "medium %s: %s (build it: make iso)",
                 opt->medium, strerror(errno));
        r.host_problem = 1;
        booted = 0;
        goto report_boot;
    }
    if (!in_path(opt->qemu)) {
        snprintf(r.why, sizeof(r.why),
                 "no %s on this machine: install QEMU 10 (make host-tools)",
                 opt->qemu);
        r.host_problem = 1;
        booted = 0;
        goto report_boot;
    }
    if (s->ndisks || s->kit) {
        struct statvfs vfs;
        unsigned long long avail;

        /* QEMU would stop the guest on a full disk: say so first. */
        if (statvfs(r.dir, &vfs) == 0) {
            avail = (unsigned long long)vfs.f_bavail * vfs.f_frsize;
            if (avail < MIN_FREE) {
                snprintf(r.why, sizeof(r.why),
                         "only %llu MiB free under %s; scenario %s writes "
                         "up to %llu MiB of disk images there: free some "
                         "space (make clean) or pass --results DIR",
                         avail >> 20, r.dir, s->name, MIN_FREE >> 20);
                r.host_problem = 1;
                booted = 0;
                goto report_boot;
            }
        }
    }
    if (s->answer && make_answer_volume(&r) < 0) {
        booted = 0;
        goto report_boot;
    }
    snprintf(path, sizeof(path), "%s/timings.json", r.dir);
    r.timings = fopen(path, "we");
    if (!r.timings) {
        snprintf(r.why, sizeof(r.why), "cannot write under %s: %s", r.dir,
                 strerror(errno));
        booted = 0;
        goto report_boot;
    }
    fprintf(r.timings, "{\"scenario\": ");
    json_string(r.timings, s->name);
    fprintf(r.timings, ", \"machine\": ");
    json_string(r.timings, m.name);
    fprintf(r.timings, ", \"accel\": ");
    json_string(r.timings, accel);
    fprintf(r.timings, ", \"steps\": [");

report_boot:
    /* Phases: the medium's boot, then after each 'boot disk' a boot of
     * the same machine and disks without the medium. */
    for (size_t from = 0, to, phase = 0;; phase++) {
        char bootname[32] = "boot";

        for (to = from; to < s->nsteps && s->steps[to].kind != STEP_BOOTDISK &&
                        s->steps[to].kind != STEP_BOOTMEDIUM;
             to++)
            ;
        if (phase) {
            const struct step *b = &s->steps[from - 1];

            r.no_medium = b->kind == STEP_BOOTDISK;
            snprintf(bootname, sizeof(bootname), "boot-%zu-%s", phase + 1,
                     b->name);
        }
        r.reuse_disks = phase > 0;
        if (phase)
            snprintf(r.transcript_path, sizeof(r.transcript_path),
                     "%s/console-%s.log", r.dir, bootname);
        if (booted) {
            t_boot = 0;
            console_free(&r.con);
            console_init(&r.con, 1 << 20);
            r.transcript = fopen(r.transcript_path, "we");
            if (!r.transcript) {
                snprintf(r.why, sizeof(r.why), "cannot write %s: %s",
                         r.transcript_path, strerror(errno));
                booted = 0;
            } else if (build_argv(&r, &argv) < 0) {
                booted = 0;
            } else {
                printf("# qemu: see %s/qemu.cmdline%s\n", r.dir,
                       r.no_medium ? " (booting from the disk)" : "");
                fflush(stdout);
                if (start_qemu(&r, argv) < 0)
                    booted = 0;
            }
            if (booted)
                booted = run_stages(&r, from, to);
            /* No QEMU, no time: t0 is set when QEMU starts. */
            t_boot = r.t0.tv_sec || r.t0.tv_nsec ? now_since(&r.t0) : 0;
            if (r.host_problem) {
                host_skip(&r, rep, bootname, gone, sizeof(gone));
            } else {
                report_add(rep, s->name, bootname, booted ? V_PASS : V_FAIL,
                           t_boot, booted ? NULL : r.why,
                           r.transcript ? r.transcript_path : NULL);
                if (!booted)
                    snprintf(gone, sizeof(gone), "%s",
                             phase ? "the boot from the disk failed"
                                   : "the boot failed");
            }
        } else if (phase == 0 && r.host_problem) {
            host_skip(&r, rep, bootname, gone, sizeof(gone));
        } else if (phase == 0) {
            report_add(rep, s->name, bootname, V_FAIL, 0, r.why, NULL);
        } else {
            report_add(rep, s->name, bootname, V_SKIP, 0,
                       gone[0] ? gone : "the boot failed", NULL);
        }
        run_checks(&r, from, to, &booted, gone, sizeof(gone), rep);
        for (size_t k = from; k < to; k++)
            if (s->steps[k].kind == STEP_SHELL) {
                crash_scan(&r, bootname, booted, gone, rep);
                break;
            }
        stop_qemu(&r);
        if (r.transcript)
            fclose(r.transcript);
        r.transcript = NULL;
        if (r.in_fd >= 0)
            close(r.in_fd);
        if (r.out_fd >= 0)
            close(r.out_fd);
        r.in_fd = r.out_fd = -1;
        free_argv(argv);
        argv = NULL;
        if (to >= s->nsteps)
            break;
        from = to + 1;
    }

    spectrum_report(&r);
    for (i = 0; i < rep->n; i++)
        if (rep->r[i].verdict == V_FAIL && !strcmp(rep->r[i].scenario, s->name))
            tt->failed++;
    for (i = 0; i < r.nguests; i++)
        guest_free(&r.guests[i]);
    if (r.timings) {
        fprintf(r.timings, "\n  ]}\n");
        fclose(r.timings);
    }
    if (!opt->keep) {
        snprintf(path, sizeof(path), "%s/OVMF_VARS.fd", r.dir);
        unlink(path);
        for (i = 0; i < s->ndisks; i++) {
            disk_path(&r, &s->disks[i], path, sizeof(path));
            unlink(path);
        }
        snprintf(path, sizeof(path), "%s/answer.iso", r.dir);
        unlink(path);
    }
    free(r.fail);
    console_free(&r.con);
    machine_free(&m);
    return 0;
}

/*
 * The time table: one line per scenario, on stdout as TAP diagnostics
 * and in RESULTS/times.txt, so that a slow scenario stands out and runs
 * can be compared.
 */
static void time_table(const struct scn_time *tt, size_t n, const char *dir)
{
    char path[PATH_MAX];
    double total = 0;
    unsigned restarts = 0;
    FILE *f;

    snprintf(path, sizeof(path), "%s/times.txt", dir);
    f = fopen(path, "we");
    for (int out = 0; out < 2; out++) {
        FILE *o = out ? f : stdout;
        const char *pre = out ? "" : "# ";

        if (!o)
            continue;
        fprintf(o, "%s%-24s %-9s %8s  %-23s %s\n", pre, "scenario", "machine",
                "wall (s)", "QEMU start to shell (s)", "guest restarts");
        for (size_t i = 0; i < n; i++) {
            char ready[64] = "";
            size_t used = 0;

            for (size_t b = 0; b < tt[i].nboots && used < sizeof(ready); b++)
                used +=
                    (size_t)snprintf(ready + used, sizeof(ready) - used,
                                     "%s%.1f", b ? " " : "", tt[i].ready[b]);
            fprintf(o, "%s%-24s %-9s %8.1f  %-23s %u%s\n", pre, tt[i].name,
                    tt[i].machine, tt[i].wall, ready[0] ? ready : "-",
                    tt[i].restarts, tt[i].failed ? "  (failed)" : "");
            if (!out) {
                total += tt[i].wall;
                restarts += tt[i].restarts;
            }
        }
        fprintf(o, "%s%-24s %-9s %8.1f  %-23s %u\n", pre, "all", "", total, "",
                restarts);
    }
    if (f)
        fclose(f);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of all scenarios in DIR/scenarios, sorted. */
static int list_scenarios(const char *dir, char ***names, size_t *n)
{
    char path[PATH_MAX];
    struct dirent *de;
    DIR *d;
    char **v = NULL;
    size_t count = 0;

    snprintf(path, sizeof(path), "%s/scenarios", dir);
    d = opendir(path);
    if (!d)
        return -errno;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        char **p;

        if (len < 5 || strcmp(de->d_name + len - 4, ".scn"))
            continue;
        p = realloc(v, (count + 1) * sizeof(*v));
        if (!p)
            break;
        v = p;
        v[count] = strndup(de->d_name, len - 4);
        if (v[count])
            count++;
    }
    closedir(d);
    qsort(v, count, sizeof(*v), cmp_str);
    *names = v;
    *n = count;
    return 0;
}

/* TEXT in a Markdown table cell: '|' escaped. */
static void md_cell(const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '|')
            putchar('\\');
        putchar(*p);
    }
}

/*
 * The scenarios and the machines they boot, as the Markdown of
 * docs/scenarios.md (make check compares the two: tests/docs-current).
 */
static int list_markdown(const struct options *opt, const struct scenario *sc,
                         size_t n)
{
    char path[PATH_MAX], err[512];
    int rc = 0;

    printf("# Boot scenarios\n\n"
           "Generated by `build/tests/xp-boot --list --markdown` from the "
           "scenarios'\nand machines' own descriptions (`%s/`): edit "
           "those, then\n`make docs/scenarios.md`.\n\n"
           "| scenario | machine | what it proves |\n| --- | --- | --- |\n",
           opt->dir);
    for (size_t i = 0; i < n; i++) {
        printf("| `%s` | `%s` | ", sc[i].name, sc[i].machine);
        md_cell(sc[i].description);
        printf(" |\n");
    }
    printf("\n| machine | what it is |\n| --- | --- |\n");
    for (size_t i = 0; i < n; i++) {
        struct machine m;
        size_t j;

        for (j = 0; j < i && strcmp(sc[j].machine, sc[i].machine); j++)
            ;
        if (j < i)
            continue; /* listed already */
        snprintf(path, sizeof(path), "%s/machines/%s.conf", opt->dir,
                 sc[i].machine);
        if (machine_parse(&m, sc[i].machine, path, err, sizeof(err)) < 0) {
            fprintf(stderr, "xp-boot: %s\n", err);
            rc = 2;
            continue;
        }
        printf("| `%s` | ", m.name);
        md_cell(m.description);
        printf(" |\n");
        machine_free(&m);
    }
    return rc;
}

/*
 * Xen's version as the image installs it (dom0-rootfs/mkosi.conf, its one
 * source: "xen-hypervisor-VERSION-amd64"), for the scenarios' @XEN@ when
 * --xen-version did not give it.  Looked for beside the scenarios'
 * directory (DIR/../..) and in the current one.
 */
static void define_xen_version(const char *dir)
{
    char path[PATH_MAX], line[256], version[32];
    const char *where[] = {path, "dom0-rootfs/mkosi.conf"};

    snprintf(path, sizeof(path), "%s/../../dom0-rootfs/mkosi.conf", dir);
    for (size_t i = 0; i < sizeof(where) / sizeof(*where); i++) {
        FILE *f = fopen(where[i], "re");

        if (!f)
            continue;
        while (fgets(line, sizeof(line), f))
            if (sscanf(line, " xen-hypervisor-%31[0-9.]-amd64", version) == 1) {
                fclose(f);
                scenario_define("@XEN@", version);
                return;
            }
        fclose(f);
    }
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"medium", required_argument, NULL, 'm'},
        {"dir", required_argument, NULL, 'd'},
        {"results", required_argument, NULL, 'r'},
        {"qemu", required_argument, NULL, 'q'},
        {"timeout-scale", required_argument, NULL, 's'},
        {"keep", no_argument, NULL, 'k'},
        {"kit", required_argument, NULL, 'K'},
        {"pxe", required_argument, NULL, 'P'},
        {"tap", required_argument, NULL, 'T'},
        {"guest-args", required_argument, NULL, 'g'},
        {"xen-version", required_argument, NULL, 'X'},
        {"cpus", required_argument, NULL, 'c'},
        {"list", no_argument, NULL, 'l'},
        {"markdown", no_argument, NULL, 'M'},
        {"help", no_argument, NULL, 'h'},
        {0},
    };
    struct options opt = {
        .dir = "tests/boot",
        .results = "build/test-results",
        .qemu = "qemu-system-x86_64",
        .scale = 1.0,
    };
    struct scenario *sc = NULL;
    struct report rep = {0};
    struct scn_time *times = NULL;
    char **names = NULL, err[512], path[PATH_MAX];
    size_t nnames = 0, i, total = 0;
    unsigned pass, fail, skip;
    int c, rc = 2, xen_given = 0;
    char *end;

    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': opt.medium = optarg; break;
        case 'd': opt.dir = optarg; break;
        case 'r': opt.results = optarg; break;
        case 'q': opt.qemu = optarg; break;
        case 'k': opt.keep = 1; break;
        case 'K': opt.kit = optarg; break;
        case 'P': opt.pxe = optarg; break;
        case 'T': opt.tap = optarg; break;
        case 'g': {
            char **v, *eq = strchr(optarg, '=');
            enum kind k;

            if (eq)
                *eq = '\0';
            if (!eq || kind_parse(optarg, &k) < 0) {
                fprintf(stderr,
                        "xp-boot: --guest-args wants KIND=ARGS with KIND "
                        "one of pv, pvh, hvm, pvhvm; see --help\n");
                return 2;
            }
            *eq = '=';
            v = realloc(opt.guest_args, (opt.nguest_args + 2) * sizeof(*v));
            if (!v)
                return 2;
            opt.guest_args = v;
            v[opt.nguest_args++] = optarg;
            v[opt.nguest_args] = NULL;
            break;
        }
        case 'X':
            if (scenario_define("@XEN@", optarg) < 0)
                return 2;
            xen_given = 1;
            break;
        case 'l': opt.list = 1; break;
        case 'M': opt.markdown = 1; break;
        case 'c': {
            long n = strtol(optarg, &end, 10);

            if (*end || n < 1 || n > 64) {
                fprintf(stderr,
                        "xp-boot: --cpus wants a number of CPUs from 1 to "
                        "64, not '%s'; see --help\n",
                        optarg);
                return 2;
            }
            opt.cpus = (int)n;
            break;
        }
        case 's':
            opt.scale = strtod(optarg, &end);
            if (*end || opt.scale <= 0) {
                fprintf(stderr,
                        "xp-boot: --timeout-scale wants a positive "
                        "number, not '%s'; see --help\n",
                        optarg);
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: fprintf(stderr, "xp-boot: see --help\n"); return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    if (!xen_given)
        define_xen_version(opt.dir);

    if (optind < argc) {
        nnames = (size_t)(argc - optind);
        names = calloc(nnames, sizeof(*names));
        if (!names)
            goto out;
        for (i = 0; i < nnames; i++)
            names[i] = strdup(argv[optind + i]);
    } else if (list_scenarios(opt.dir, &names, &nnames) < 0) {
        fprintf(stderr, "xp-boot: cannot read %s/scenarios: %s\n", opt.dir,
                strerror(errno));
        goto out;
    }

    sc = calloc(nnames ? nnames : 1, sizeof(*sc));
    if (!sc)
        goto out;
    for (i = 0; i < nnames; i++) {
        snprintf(path, sizeof(path), "%s/scenarios/%s.scn", opt.dir, names[i]);
        if (scenario_parse(&sc[i], names[i], path, err, sizeof(err)) < 0) {
            fprintf(stderr, "xp-boot: %s\n", err);
            if (access(path, F_OK) < 0)
                fprintf(stderr, "xp-boot: no scenario '%s': see --list\n",
                        names[i]);
            goto out;
        }
        total += 1 + scenario_checks(&sc[i]);
    }
    if (opt.list && opt.markdown) {
        rc = list_markdown(&opt, sc, nnames);
        goto out;
    }
    if (opt.list) {
        for (i = 0; i < nnames; i++)
            printf("%-20s %-10s %s\n", sc[i].name, sc[i].machine,
                   sc[i].description ? sc[i].description : "");
        rc = 0;
        goto out;
    }
    if (!opt.medium) {
        fprintf(stderr, "xp-boot: which medium? pass --medium PATH "
                        "(make check passes the ISO); see --help\n");
        goto out;
    }
    if (mkdir_p(opt.results) < 0) {
        fprintf(stderr, "xp-boot: cannot create %s: %s\n", opt.results,
                strerror(errno));
        goto out;
    }

    times = calloc(nnames ? nnames : 1, sizeof(*times));
    if (!times)
        goto out;
    report_plan(total);
    for (i = 0; i < nnames; i++) {
        struct timespec t0;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        run_scenario(&opt, &sc[i], &rep, &times[i]);
        times[i].wall = now_since(&t0);
    }
    time_table(times, nnames, opt.results);

    snprintf(path, sizeof(path), "%s/junit-boot.xml", opt.results);
    if (report_junit(&rep, path) < 0)
        fprintf(stderr, "xp-boot: cannot write %s: %s\n", path,
                strerror(errno));
    report_counts(&rep, &pass, &fail, &skip);
    printf("# boot tests: %u passed, %u failed, %u skipped\n", pass, fail,
           skip);
    rc = fail ? 1 : 0;
out:
    for (i = 0; sc && i < nnames; i++)
        scenario_free(&sc[i]);
    free(sc);
    for (i = 0; names && i < nnames; i++)
        free(names[i]);
    free(names);
    report_free(&rep);
    free(times);
    free(opt.guest_args);
    return rc;
}
