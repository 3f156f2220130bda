/*
 * xp-boot.h: what the harness's files share: the options, one run of
 * one scenario, the time table, and the functions each file offers the
 * others (util.c, qemu.c, session.c, steps.c, matrix.c, xp-boot.c).
 */
#ifndef XP_BOOT_H
#define XP_BOOT_H

#include <limits.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "console.h"
#include "guests.h"
#include "lines.h"
#include "report.h"
#include "scenario.h"
#include "xp-fs.h"

struct options {
    int markdown;    /* --list --markdown */
    const char *dir; /* where machines/ and scenarios/ are */
    const char *results;
    const char *medium;
    const char *medium_next; /* a newer build of the same tree */
    const char *qemu;
    const char *kit;
    const char *pxe;   /* the netboot bundle (make pxe) */
    const char *http;  /* what 'http' scenarios find at http://10.0.2.2/ */
    const char *tap;   /* the NIC on this tap device, not QEMU's network */
    char **guest_args; /* "KIND=ARGS", NULL-terminated */
    size_t nguest_args;
    double scale;
    double stall_after; /* stall.c: seconds of idle vCPUs; 0: no watch */
    int cpus; /* 0: the machine's own; else this many, one per socket */
    int jobs; /* scenarios at a time (lanes.c) */
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
    int guest_setup;    /* 0 not yet, 1 done, < 0 failed */
    int no_medium;      /* booting from the scenario's disks */
    const char *medium; /* this boot's: opt->medium or opt->medium_next */
    const char *answer; /* this boot's answer volume (NULL: none) */
    int reuse_disks;    /* a later boot: keep the disks as they are */
    int exited, exit_status;
    char guest_setup_why[1024];
    struct scn_time *time; /* this scenario's line of the time table */
    struct {               /* stall.c's watch of the vCPUs */
        double at;         /* when the window began (since t0) */
        double last;       /* the last sample */
        long ticks;        /* the vCPUs' CPU time at the window's start */
        unsigned count;    /* stalls so far in this run */
        int reported;      /* this stall was; the vCPUs have not run since */
    } stall;
    /* The boot could not even start for a reason of the build machine
     * (no OVMF, no guest kit, no ISO, no QEMU, a full disk): a skip that
     * says "host problem", never a failed boot of the ISO. */
    int host_problem;
};

/* One line of the time table that ends the run: where a scenario's time
 * went, to compare runs and find the slow ones. */
#define MAX_BOOTS 8
struct scn_time {
    const char *name, *machine;
    double wall;             /* the whole scenario */
    double ready[MAX_BOOTS]; /* QEMU start to the shell, per boot */
    size_t nboots;
    unsigned restarts; /* guests started again (xp-guest) */
    /* CPU time the build machine's own hypervisor took from it while the
     * scenario ran (/proc/stat's steal, all CPUs); < 0: unknown.  A slow
     * or failed scenario with much of it says the machine was busy. */
    double steal;
    unsigned stalls; /* machines woken from a stall (stall.c) */
    int failed;
};

/* Free space a scenario with disks wants under the results directory. */
#define MIN_FREE (1ULL << 30)

enum wait_result { WAIT_OK, WAIT_TIMEOUT, WAIT_FAILPAT, WAIT_DIED, WAIT_ERROR };

typedef int (*ready_fn)(struct run *r, void *arg);

struct frame_wait {
    unsigned id;
    char *output;
    int status;
};

#define KIT_DIR "/run/xpkit"

/* util.c: time, files, argument vectors, text. */
double now_since(const struct timespec *t0);
/* Seconds of steal time of this machine's CPUs since it booted, or -1. */
double host_steal(void);
int copy_file(const char *from, const char *to);
int push_arg(char ***argv, size_t *argc, const char *fmt, ...);
const char *wait_text(enum wait_result w);
char *check_output_excerpt(const char *out);
int regex_any_line(const char *re, const char *text, char *err, size_t errlen);
int in_path(const char *prog);

/* qemu.c: QEMU's command line and process. */
void disk_path(const struct run *r, const struct disk *d, char *buf,
               size_t len);
int build_argv(struct run *r, char ***argvp);
int start_qemu(struct run *r, char **argv);
void stop_qemu(struct run *r);
void qemu_died(struct run *r);
void machine_accel(const struct machine *m, char *buf, size_t len);
int make_answer_volume(struct run *r, const char *name);

/* session.c: the serial console of a running machine. */
int send_keys(struct run *r, const char *keys);
enum wait_result wait_for(struct run *r, double timeout, ready_fn ready,
                          void *arg);
int ready_marker(struct run *r, void *arg);
int ready_never(struct run *r, void *arg);
void timing(struct run *r, const char *kind, const char *name, double at,
            double took);
enum wait_result run_command(struct run *r, const char *cmd, double timeout,
                             struct frame_wait *fw);
enum wait_result wait_shell(struct run *r, double timeout);

/* stall.c: a machine whose emulated CPUs stopped (known-problems.md).
 * stall_start when QEMU starts; stall_watch while waiting on the console,
 * at least every stall_poll_limit() seconds. */
double stall_poll_limit(const struct run *r);
void stall_start(struct run *r);
void stall_watch(struct run *r);
/* Where QEMU's monitor listens for run R; -ENAMETOOLONG: nowhere. */
int stall_monitor_path(const struct run *r, char *buf, size_t len);

/* matrix.c: the guest matrix. */
int run_guest(struct run *r, const struct step *st, struct report *rep);
void spectrum_report(struct run *r);

/* steps.c: a scenario's stages, checks and host steps. */
int run_stages(struct run *r, size_t from, size_t to);
void crash_scan(struct run *r, const char *bootname, int booted,
                const char *gone, struct report *rep);
void run_checks(struct run *r, size_t from, size_t to, int *booted, char *gone,
                size_t gonelen, struct report *rep);
void host_skip(struct run *r, struct report *rep, const char *bootname,
               char *gone, size_t gonelen);
/* How host_skip()'s reasons begin, and what the run counts at its end: a
 * run with such skips tested nothing there, and exits 1. */
#define HOST_PROBLEM "host problem"

/* xp-boot.c: one scenario, its results into REP and its line of the time
 * table (its wall time included) into TT. */
int run_scenario(const struct options *opt, const struct scenario *s,
                 struct report *rep, struct scn_time *tt);

/* lanes.c: the scenarios OPT->jobs at a time, each in a process of its
 * own; their TAP played back as each ends. */
int run_lanes(const struct options *opt, const struct scenario *sc, size_t n,
              struct report *rep, struct scn_time *times);

/* tables.c: the time table and the scenario listings.  ELAPSED: the
 * run's own time (scenarios side by side overlap). */
void time_table(const struct scn_time *tt, size_t n, const char *dir,
                double elapsed);
int list_scenarios(const char *dir, char ***names, size_t *n);
int list_markdown(const struct options *opt, const struct scenario *sc,
                  size_t n);
void define_xen_version(const char *dir);

#endif
