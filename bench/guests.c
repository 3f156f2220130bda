/*
 * guests.c: the workloads in a PV, a PVH, a PV-on-HVM and an HVM guest
 * of the same size, started one after another from dom0 with xl.
 *
 * Each guest boots the guest kit's kernel and initrd (tests/guest/mkkit),
 * whose /bench-init (bench/kit/init) mounts the kit's root.squashfs (a
 * Debian root with the workloads' tools and a kernel tree, bench/mkroot:
 * the guest's first disk, read-only), runs the probe and
 * `xenplay-bench workloads` in it, and
 * powers off.  What it printed comes back through its console, which
 * xenconsoled logs in dom0 (an HVM guest's serial port goes to a file):
 *
 *   xp-probe: row boot=... memory=...   its PV-spectrum row
 *   xenplay-bench: result NAME VALUE    one per run
 *   xenplay-bench: failed NAME: WHY     a workload that could not run
 *   xenplay-bench: done                 the end: the rest is complete
 *
 * The guests are on a bridge of their own (BENCH_BRIDGE, with dom0's end
 * at BENCH_DOM0_ADDR), not on the host's LAN: nobody's addresses are
 * taken, and iperf measures the guest's path to dom0 alone.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "xp-fs.h"
#include "xp-run.h"

#define BENCH_BRIDGE     "xbbench0"
#define BENCH_NET        "192.168.250"
#define BENCH_DOM0_ADDR  BENCH_NET ".1"
#define BENCH_IPERF_PORT 5299
#define BENCH_RUN_DIR    "/run/xenplay-bench"
#define CONSOLE_DIR      "/var/log/xen/console"
/* bench/kit/in-root, as the xenplay-bench package installs it (the
 * tests' build names the source tree's). */
#ifndef BENCH_IN_ROOT
#define BENCH_IN_ROOT "/usr/lib/xenplay-bench/in-root"
#endif

const char *bench_guest_name(enum bench_col c)
{
    static const char *const names[COL_COUNT] = {
        [COL_PV] = "xb-pv",
        [COL_PVH] = "xb-pvh",
        [COL_PVHVM] = "xb-pvhvm",
        [COL_HVM] = "xb-hvm",
    };
    return names[c];
}

/* Where xenconsoled (hooks/rootfs.d/0100-xen-host: --log=guest) or the
 * HVM guest's serial port writes what the guest prints. */
static void console_path(enum bench_col c, char *buf, size_t len)
{
    snprintf(buf, len, "%s/guest-%s.%s", CONSOLE_DIR, bench_guest_name(c),
             c == COL_HVM ? "serial" : "log");
}

int bench_kit_args(const char *path, enum bench_col c, char *buf, size_t len)
{
    char line[1024], *save, *word;
    size_t used = 0;
    FILE *f;

    if (c == COL_NATIVE || c >= COL_COUNT)
        return -EINVAL;
    if (!(f = fopen(path, "re")))
        return -errno;
    buf[0] = '\0';
    while (fgets(line, sizeof(line), f)) {
        word = strtok_r(line, " \t\n", &save);
        if (!word || (strcmp(word, "all") && strcmp(word, bench_col_name(c))))
            continue;
        while ((word = strtok_r(NULL, " \t\n", &save))) {
            int n =
                snprintf(buf + used, len - used, "%s%s", used ? " " : "", word);

            if (n < 0 || (size_t)n >= len - used) {
                fclose(f);
                return -E2BIG;
            }
            used += (size_t)n;
        }
    }
    fclose(f);
    return used ? 0 : -ENOENT;
}

int bench_guest_config(const struct bench_guest *g, FILE *f)
{
    const char *type = g->col == COL_PV    ? "pv"
                       : g->col == COL_PVH ? "pvh"
                                           : "hvm";
    bool hvm = !strcmp(type, "hvm");
    char console[256];

    if (g->col == COL_NATIVE || g->col >= COL_COUNT)
        return -EINVAL;
    console_path(g->col, console, sizeof(console));
    fprintf(f, "name = \"%s\"\n", bench_guest_name(g->col));
    fprintf(f, "type = \"%s\"\n", type);
    fprintf(f, "vcpus = %d\n", g->vcpus);
    if (g->cpus)
        fprintf(f, "cpus = \"%s\"\n", g->cpus);
    fprintf(f, "memory = %ld\n", g->mem_mib);
    fprintf(f, "kernel = \"%s/vmlinuz\"\n", g->kit);
    fprintf(f, "ramdisk = \"%s/initrd.img\"\n", g->kit);
    /* The kit's arguments for the kind (its console, what it need not
     * start), then /bench-init's. */
    fprintf(f,
            "extra = \"%s xb.kind=%s xb.ip=%s.%d/24 xb.server=%s xb.port=%d "
            "%s\"\n",
            g->boot_args, bench_col_name(g->col), BENCH_NET, 10 + g->col,
            BENCH_DOM0_ADDR, BENCH_IPERF_PORT, g->args);
    /* The root, read-only, where each kind reads its disk: PV and PVH
     * through blkback; PV-on-HVM too, as xvde, which Xen's device model
     * does not also emulate (it emulates xvda-xvdd as IDE disks, and
     * refuses a read-only one); the emulated-only guest from the
     * device model's IDE CD drive. */
    fprintf(f,
            "disk = [ \"vdev=%s,format=raw,access=ro,devtype=%s,"
            "target=%s/root.squashfs\" ]\n",
            g->col == COL_HVM     ? "hdc"
            : g->col == COL_PVHVM ? "xvde"
                                  : "xvda",
            g->col == COL_HVM ? "cdrom" : "disk", g->kit);
    fprintf(f, "vif = [ \"bridge=%s,mac=00:16:3e:58:42:%02x%s\" ]\n",
            BENCH_BRIDGE, 0x10 + g->col, hvm ? ",model=e1000e" : "");
    if (hvm)
        fprintf(f, "vga = \"none\"\nvnc = 0\n");
    if (g->col == COL_HVM)
        fprintf(f, "serial = \"file:%s\"\n", console);
    fprintf(f, "on_poweroff = \"destroy\"\non_reboot = \"destroy\"\n"
               "on_crash = \"destroy\"\n");
    return ferror(f) ? -EIO : 0;
}

/* Append "; WHAT" (or WHAT first) to ERR. */
static void add_err(char *err, size_t errlen, const char *what, size_t n)
{
    size_t used = strlen(err);

    if (used + 3 >= errlen)
        return;
    snprintf(err + used, errlen - used, "%s%.*s", used ? "; " : "", (int)n,
             what);
}

int bench_guest_log(const char *text, struct bench_results *r,
                    enum bench_col col, char *err, size_t errlen)
{
    const char *line = text, *end, *at, *last = NULL;
    bool done = false, failed = false;
    size_t last_len = 0;
    enum bench_wl w;
    double v;
    char buf[1024];
    int rc;

    err[0] = '\0';
    for (; *line; line = *end ? end + 1 : end) {
        size_t n;

        end = strchrnul(line, '\n');
        n = (size_t)(end - line);
        if (n && line[n - 1] == '\r')
            n--;
        if (n >= sizeof(buf))
            continue;
        memcpy(buf, line, n);
        buf[n] = '\0';
        if (n) {
            last = line;
            last_len = n;
        }
        /* xenconsoled's timestamps come first: the lines are found where
         * they start. */
        if ((at = strstr(buf, "xp-probe: row "))) {
            if (spectrum_row_parse(at + strlen("xp-probe: row "),
                                   r->spectrum[col]) == 0)
                r->has_spectrum[col] = true;
        } else if ((at = strstr(buf, "xenplay-bench: result "))) {
            rc = bench_parse_result(at, &w, &v);
            if (rc == 0)
                rc = bench_add(r, col, w, v);
            if (rc < 0) {
                add_err(err, errlen, at, strlen(at));
                failed = true;
            }
        } else if ((at = strstr(buf, "xenplay-bench: failed "))) {
            at += strlen("xenplay-bench: ");
            add_err(err, errlen, at, strlen(at));
            failed = true;
        } else if (strstr(buf, "xenplay-bench: done")) {
            done = true;
        }
    }
    if (!done) {
        snprintf(buf, sizeof(buf),
                 "the guest did not finish; its last line: %.*s",
                 (int)(last_len > 200 ? 200 : last_len), last ? last : "");
        add_err(err, errlen, buf, strlen(buf));
        return -EIO;
    }
    return failed ? -EIO : 0;
}

/* Run ARGV to its end, its output to LOG_FD; true when it exited 0. */
static bool run_ok(const char *const *argv, int log_fd, unsigned timeout_ms)
{
    struct xp_cmd c = {.argv = argv,
                       .out = log_fd,
                       .err = XP_RUN_TO_OUT,
                       .timeout_ms = timeout_ms};

    return xp_status_ok(xp_cmd_run(&c));
}

/* The guests' bridge with dom0's address on it, made unless it is there. */
static int bridge_up(int log_fd, char *err, size_t errlen)
{
    const char *const show[] = {"ip", "link", "show", BENCH_BRIDGE, NULL};
    const char *const add[] = {"ip",         "link", "add",    "name",
                               BENCH_BRIDGE, "type", "bridge", NULL};
    const char *const addr[] = {
        "ip",  "addr",       "replace", BENCH_DOM0_ADDR "/24",
        "dev", BENCH_BRIDGE, NULL};
    const char *const up[] = {"ip", "link", "set", BENCH_BRIDGE, "up", NULL};

    if (!run_ok(show, XP_RUN_NULL, 10000) && !run_ok(add, log_fd, 10000)) {
        snprintf(err, errlen, "cannot make the guests' bridge %s (ip link add)",
                 BENCH_BRIDGE);
        return -EIO;
    }
    if (!run_ok(addr, log_fd, 10000) || !run_ok(up, log_fd, 10000)) {
        snprintf(err, errlen,
                 "cannot give %s dom0's address %s/24: is %s.0/24 in use on "
                 "this host?",
                 BENCH_BRIDGE, BENCH_DOM0_ADDR, BENCH_NET);
        return -EIO;
    }
    return 0;
}

static void bridge_down(int log_fd)
{
    const char *const del[] = {"ip", "link", "del", BENCH_BRIDGE, NULL};

    run_ok(del, log_fd, 10000);
}

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "re");
    char *buf = NULL;
    size_t len = 0;

    if (!f)
        return NULL;
    if (getdelim(&buf, &len, '\0', f) < 0) {
        free(buf);
        buf = strdup("");
    }
    fclose(f);
    return buf;
}

/* What Xen's log says of domain ID (a triple fault, a crash): its lines
 * of `xl dmesg`, the last 20, to OUT. */
static void xen_said(const char *id, FILE *out)
{
    const char *const dmesg[] = {"xl", "dmesg", NULL};
    const size_t len = 1 << 20;
    char *buf = malloc(len), *line, *save = NULL, tag[40];
    const char *keep[20];
    struct xp_cmd c = {.argv = dmesg, .capture = buf, .capture_len = len};
    int n = 0, i;

    if (!buf || !id[0])
        goto out;
    if (!xp_status_ok(xp_cmd_run(&c)))
        goto out;
    snprintf(tag, sizeof(tag), " d%s", id);
    for (line = strtok_r(buf, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        const char *at = strstr(line, tag);

        if (at && !isdigit((unsigned char)at[strlen(tag)]))
            keep[n++ % 20] = line;
    }
    for (i = n > 20 ? n - 20 : 0; i < n; i++)
        fprintf(out, "xenplay-bench: xen: %s\n", keep[i % 20]);
out:
    free(buf);
}

/* One guest, from xl create to its power-off (or its deadline). */
static int run_guest(const struct bench_run *o, enum bench_col col,
                     struct bench_results *r, FILE *out)
{
    const char *name = bench_guest_name(col);
    char boot_args[1024], args_path[4096];
    struct bench_guest g = {.col = col,
                            .vcpus = o->vcpus,
                            .mem_mib = o->mem_mib,
                            .kit = o->kit,
                            .boot_args = boot_args,
                            .args = o->args,
                            .cpus = o->cpus};
    const char *const domid[] = {"xl", "domid", name, NULL};
    struct xp_cmd id_cmd = {.argv = domid};
    char id[32] = "";
    const char *const destroy[] = {"xl", "destroy", name, NULL};
    char cfg[256], console[256], err[2048], path[64];
    const char *const create[] = {"xl", "create", cfg, NULL};
    const char *const exists[] = {"xenstore-exists", path, NULL};
    double t0, t;
    bool timed_out = false;
    char *text;
    FILE *f;
    int rc;

    snprintf(args_path, sizeof(args_path), "%s/boot-args", o->kit);
    if ((rc = bench_kit_args(args_path, col, boot_args, sizeof(boot_args))) <
        0) {
        fprintf(out,
                "xenplay-bench: %s: no kernel arguments for it in %s: %s; "
                "is --kit a guest kit (make guest-kit)?\n",
                bench_col_label(col), args_path, strerror(-rc));
        return -EINVAL;
    }
    snprintf(cfg, sizeof(cfg), "%s/%s.cfg", BENCH_RUN_DIR, name);
    console_path(col, console, sizeof(console));
    f = fopen(cfg, "we");
    if (!f || bench_guest_config(&g, f) < 0 || fclose(f) != 0) {
        fprintf(out, "xenplay-bench: %s: cannot write %s: %s\n",
                bench_col_label(col), cfg, strerror(errno));
        return -EIO;
    }
    run_ok(destroy, XP_RUN_NULL, 60000);
    unlink(console);
    fprintf(out, "xenplay-bench: %s: starting %s (%d vCPUs, %ld MiB)\n",
            bench_col_label(col), name, o->vcpus, o->mem_mib);
    fflush(out);
    t0 = now();
    if (!run_ok(create, o->log_fd, 300000)) {
        fprintf(out,
                "xenplay-bench: %s: xl create %s failed: see its messages "
                "in %s\n",
                bench_col_label(col), cfg, o->log ? o->log : "the log");
        return -EIO;
    }
    id_cmd.capture = id;
    id_cmd.capture_len = sizeof(id);
    xp_cmd_run(&id_cmd);
    id[strcspn(id, "\n")] = '\0';
    /*
     * Whether the guest is still there, from xenstore: xl's start-up
     * costs dom0 several times the CPU (docs/testing.md, session 33),
     * which a guest sharing few CPUs with dom0 would lose from its
     * measured time.
     */
    snprintf(path, sizeof(path), "/local/domain/%s", id);
    while (id[0] && run_ok(exists, XP_RUN_NULL, 60000)) {
        if (now() - t0 > o->timeout_s) {
            run_ok(destroy, o->log_fd, 60000);
            timed_out = true;
            break;
        }
        sleep(2);
    }
    t = now() - t0;
    /* xenconsoled writes what the ring still held after the domain went. */
    sleep(1);
    text = read_all(console);
    if (!text) {
        fprintf(out,
                "xenplay-bench: %s: no console log %s after %.0f s: is "
                "xenconsoled logging guests (--log=guest)?\n",
                bench_col_label(col), console, t);
        return -EIO;
    }
    rc = bench_guest_log(text, r, col, err, sizeof(err));
    free(text);
    if (timed_out)
        fprintf(out,
                "xenplay-bench: %s: stopped at its deadline, %d s (--timeout): "
                "%s\n",
                bench_col_label(col), o->timeout_s, err);
    else if (rc < 0)
        fprintf(out, "xenplay-bench: %s: %s (its console: %s)\n",
                bench_col_label(col), err, console);
    if (timed_out || rc < 0)
        xen_said(id, out);
    else
        fprintf(out, "xenplay-bench: %s: done in %.0f s\n",
                bench_col_label(col), t);
    fflush(out);
    return timed_out || rc < 0 ? -EIO : 0;
}

/*
 * iperf3's server for one guest, started before it and stopped after it.
 * The server counts its receive timeout from when it began to wait for
 * a test, not from the test's start: with its default of 120 s, a guest
 * that reaches iperf later than that and is slow to send its first byte
 * (the HVM guest after kernbench, under emulation) has its test ended
 * at once ("idle timeout for receiving data").  So the timeout is the
 * guest's own deadline, and a test left hanging by a guest that was
 * stopped dies with its server instead of keeping the next guest out.
 */
static pid_t iperf_server(const struct bench_run *o)
{
    char port[16], rcv[32];
    const char *const argv[] = {"iperf3",        "-s", "-B",
                                BENCH_DOM0_ADDR, "-p", port,
                                "--rcv-timeout", rcv,  NULL};
    struct xp_cmd server = {.argv = argv,
                            .out = o->log_fd,
                            .err = XP_RUN_TO_OUT,
                            .own_group = 1,
                            .die_with_parent = 1};
    long ms = (long)o->timeout_s * 1000;

    snprintf(port, sizeof(port), "%d", BENCH_IPERF_PORT);
    /* iperf3 takes at most a day */
    snprintf(rcv, sizeof(rcv), "%ld", ms < 86400000 ? ms : 86400000);
    return xp_cmd_start(&server);
}

int bench_guests_run(const struct bench_run *o, struct bench_results *r,
                     FILE *out)
{
    char err[512];
    pid_t pid;
    int c, rc = 0;

    if ((c = xp_mkdir_p(BENCH_RUN_DIR, 0)) < 0 ||
        (c = xp_mkdir_p(CONSOLE_DIR, 0)) < 0) {
        fprintf(out, "xenplay-bench: cannot make %s and %s: %s\n",
                BENCH_RUN_DIR, CONSOLE_DIR, strerror(-c));
        return -EIO;
    }
    if (bridge_up(o->log_fd, err, sizeof(err)) < 0) {
        fprintf(out, "xenplay-bench: %s\n", err);
        return -EIO;
    }
    for (c = COL_PV; c < COL_COUNT; c++) {
        if (!(o->cols & 1u << c))
            continue;
        pid = iperf_server(o);
        if (pid < 0) {
            fprintf(out, "xenplay-bench: cannot start iperf3's server: %s\n",
                    strerror((int)-pid));
            rc = -EIO;
            break;
        }
        if (run_guest(o, (enum bench_col)c, r, out) < 0)
            rc = -EIO;
        kill(-pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    bridge_down(o->log_fd);
    return rc;
}

int bench_native_run(const struct bench_native *o, FILE *out)
{
    char root[] = BENCH_RUN_DIR "/native", image[4096], runs[16], jobs[16];
    char json[sizeof(root) + 32], how[64];
    const char *const mount[] = {"mount", "-o", "ro,loop", image, root, NULL};
    const char *const umount[] = {"umount", "-R", root, NULL};
    const char *const in_root[] = {BENCH_IN_ROOT, root,     "--size",
                                   o->size,       "--runs", runs,
                                   "--jobs",      jobs,     "--only",
                                   o->only,       "--json", "/tmp/native.json",
                                   "--column",    "native", NULL};
    char self[4096 + 16] = "XENPLAY_BENCH=";
    const char *const env[] = {self, NULL};
    struct xp_cmd c = {.argv = in_root,
                       .env = env,
                       .out = XP_RUN_INHERIT,
                       .err = XP_RUN_TO_OUT};
    ssize_t n;
    char type[16] = "";
    FILE *f = fopen("/sys/hypervisor/type", "re");
    int st, rc;

    if (f) {
        if (fgets(type, sizeof(type), f))
            type[strcspn(type, "\n")] = '\0';
        fclose(f);
    }
    if (!strcmp(type, "xen")) {
        fprintf(out,
                "xenplay-bench native: this machine runs Xen: a native run "
                "needs the same kernel without it; boot the ISO's rescue "
                "entry (r) and run it there\n");
        return -EINVAL;
    }
    /* This very program goes into the root (in-root copies it). */
    n = readlink("/proc/self/exe", self + strlen(self), 4096);
    if (n <= 0 || n >= 4096) {
        fprintf(out, "xenplay-bench: cannot read /proc/self/exe\n");
        return -EIO;
    }
    self[strlen("XENPLAY_BENCH=") + (size_t)n] = '\0';
    snprintf(image, sizeof(image), "%s/root.squashfs", o->kit);
    snprintf(runs, sizeof(runs), "%d", o->runs);
    snprintf(jobs, sizeof(jobs), "%d", o->jobs);
    snprintf(json, sizeof(json), "%s/tmp/native.json", root);
    if (access(image, R_OK) < 0) {
        fprintf(out,
                "xenplay-bench: no %s: --kit is where the kit (XPKIT, make "
                "guest-kit) is mounted\n",
                image);
        return -EINVAL;
    }
    if ((rc = xp_mkdir_p(root, 0)) < 0) {
        fprintf(out, "xenplay-bench: cannot make %s: %s\n", root,
                strerror(-rc));
        return -EIO;
    }
    run_ok(umount, XP_RUN_NULL, 60000); /* a run stopped half-way */
    if (!run_ok(mount, XP_RUN_INHERIT, 60000)) {
        fprintf(out, "xenplay-bench: cannot mount %s on %s\n", image, root);
        return -EIO;
    }
    fflush(out);
    st = xp_cmd_run(&c);
    rc = xp_status_ok(st) ? 0 : -EIO;
    if (rc < 0) {
        xp_status_str(st, how, sizeof(how));
        fprintf(out, "xenplay-bench: the workloads in %s: %s\n", root, how);
    }
    /* What the run kept, even of a run with a failed workload. */
    if (access(json, R_OK) == 0) {
        const char *const cp[] = {"cp", json, o->json, NULL};

        if (!run_ok(cp, XP_RUN_INHERIT, 60000)) {
            fprintf(out, "xenplay-bench: cannot write %s\n", o->json);
            rc = -EIO;
        }
    } else {
        fprintf(out, "xenplay-bench: the run wrote no result set\n");
        rc = -EIO;
    }
    if (!run_ok(umount, XP_RUN_INHERIT, 60000))
        fprintf(out, "xenplay-bench: cannot unmount %s: see what holds it\n",
                root);
    return rc;
}
