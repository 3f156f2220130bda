/*
 * scenario.h: boot-test scenarios and machine profiles, declared as data.
 *
 * A scenario file (tests/boot/scenarios/NAME.scn) says which machine
 * boots which medium and what the console must show, stage by stage:
 *
 *   description TEXT
 *   machine     PROFILE            a file in tests/boot/machines/
 *   medium      KIND               cdrom, usb: how the medium is attached;
 *                                  pxe: netboot from the bundle (xp-boot
 *                                  --pxe DIR, make pxe) over the machine's
 *                                  nic, QEMU's TFTP and an HTTP server on
 *                                  the TFTP address, in a network
 *                                  namespace of the run's own;
 *                                  pxe-nohttp: the same with no HTTP
 *                                  server; pxe-ipxe: the bundle's iPXE
 *                                  script as the boot file
 *   stage NAME TIMEOUT MARKER...   wait for MARKER (text) on the console
 *   send  KEYS                     type KEYS (\r \n \t \e \xHH \\ escapes)
 *   shell NAME TIMEOUT             wait until the shell answers a framed
 *                                  command (see console.h)
 *   check NAME TIMEOUT COMMAND [:: REGEX]
 *                                  run COMMAND; it passes when it exits 0
 *                                  and, with a REGEX, a line matches it;
 *                                  exit 77 (automake's skip) skips it, its
 *                                  output's last line the reason
 *   fail  PATTERN                  fail at once when PATTERN shows
 *   disk  SERIAL SIZE              attach an empty disk of SIZE (K, M, G)
 *                                  with that serial number
 *   kit                            attach the guest kit (xp-boot --kit)
 *   http                           serve xp-boot --http DIR at
 *                                  http://10.0.2.2/ (QEMU's user network's
 *                                  gateway), as for a netboot: a network
 *                                  namespace of the run's own, in which
 *                                  the machine reaches nothing else
 *   smp [shared]                   needs its machine's CPUs: with
 *                                  xp-boot --jobs, it runs alone with
 *                                  them, where the others run two at a
 *                                  time on one CPU each; 'shared': only
 *                                  one of them ever runs (Xen's nosmp:
 *                                  the firmware parks the others, which
 *                                  cost the host nothing), so it takes
 *                                  one lane like the others
 *   mac   ADDRESS                  the network card's MAC address (a
 *                                  netboot host's own configuration)
 *   answer NAME                    attach tests/boot/answers/NAME/ as a
 *                                  volume labelled XPANSWER (the
 *                                  installer's answer file and scripts)
 *   poweroff TIMEOUT               wait for the machine to power off
 *   boot disk                      boot the same machine and disks again,
 *                                  without the medium and answer volume
 *   boot medium [ANSWER]           boot again from the medium, the disks
 *                                  as the last boot left them; with
 *                                  ANSWER, tests/boot/answers/ANSWER/ is
 *                                  the answer volume from this boot on
 *   boot medium-next [ANSWER]      the same from a newer medium of the
 *                                  same tree (xp-boot --medium-next):
 *                                  an upgrade
 *   kill                           pull the plug (QEMU killed at once)
 *   absent NAME TIMEOUT MARKER     MARKER must not show within TIMEOUT
 *   host NAME TIMEOUT COMMAND [:: REGEX]
 *                                  a check run by sh on the build host while
 *                                  the machine is off (after poweroff or
 *                                  kill), e.g. libguestfs on its disks:
 *                                  $XP_DISK_<SERIAL> is a disk image,
 *                                  $XP_MEDIUM the medium, $XP_DIR the
 *                                  scenarios' directory, $XP_RUN the run's,
 *                                  $XP_ACCEL the machine's accelerator
 *   include NAME                   the lines of NAME.inc beside the
 *                                  scenario, here (shared checks)
 *   guest KIND TIMEOUT [ARG...]    run guest KIND (pv, pvh, hvm, pvhvm)
 *                                  of the matrix in dom0, ARGs added to
 *                                  its kernel command line (guests.h)
 *
 * Within one boot (up to the next 'boot'), the stages (stage, send,
 * shell, poweroff, kill, absent) run first and the checks (check, guest,
 * host) after them; stages written after the shell or a check (an
 * orderly reboot, the machine going down) run once the checks are done
 * (scenario_after_checks()).
 *
 * Anywhere in a scenario, @XEN@ stands for Xen's version, which has its
 * one source in dom0-rootfs/mkosi.conf (xp-boot reads it there, or takes
 * --xen-version; scenario_define()).
 *
 * A machine profile (tests/boot/machines/NAME.conf):
 *
 *   description TEXT
 *   firmware    bios | uefi        uefi: OVMF with a per-run vars copy
 *   console     com1 | com2        the port the harness talks to
 *   qemu        ARGS...            QEMU arguments (any number of lines)
 *   medium.KIND ARGS...            how to attach a medium; @MEDIUM@ is
 *                                  replaced by its path
 *   attach.disk ARGS...            how to attach a scenario's disk:
 *                                  @FILE@, @ID@ and @SERIAL@ replaced
 *   attach.kit ARGS...             how to attach the guest kit (@FILE@)
 *   attach.answer ARGS...          how to attach the answer volume
 *   nic ARGS...                    the network card and its network:
 *                                  @NET@ is the netdev's type and options
 *                                  ("user", "user,tftp=...,bootfile=..."
 *                                  or "tap,ifname=..."), @NIC@ more device
 *                                  options (",bootindex=0,mac=...")
 *
 * TIMEOUT is in seconds.  Parsers return negative errno and fill in
 * ERR with "FILE:LINE: what is wrong" for the caller to print.
 */
#ifndef XENPLAY_SCENARIO_H
#define XENPLAY_SCENARIO_H

#include <stddef.h>

/* Results of one guest step: boot, disk, network, spectrum. */
#define GUEST_RESULTS 4

enum step_kind {
    STEP_POWEROFF,   /* the machine switches itself off; QEMU exits 0 */
    STEP_BOOTDISK,   /* start the machine again without the medium */
    STEP_BOOTMEDIUM, /* start it again with the medium (and disks as left) */
    STEP_KILL,       /* pull the plug: QEMU killed at once */
    STEP_ABSENT,     /* MARKER must not show within TIMEOUT */
    STEP_STAGE,
    STEP_SEND,
    STEP_SHELL,
    STEP_CHECK,
    STEP_GUEST,
    STEP_HOST, /* a check run on the build host, the machine off */
};

struct step {
    enum step_kind kind;
    char *name;
    int timeout;
    char *text;  /* stage: marker; send: keys (unescaped); check: command;
                    guest: kernel arguments */
    char *regex; /* check: optional */
};

/* A scratch disk of a scenario: its serial and its size in bytes. */
struct disk {
    char *serial;
    unsigned long long size;
};

struct scenario {
    char *name;
    char *description;
    char *machine;
    char *medium;
    char *mac; /* the network card's MAC address, or NULL: QEMU's */
    struct step *steps;
    size_t nsteps;
    char **fail; /* NULL-terminated */
    size_t nfail;
    struct disk *disks;
    size_t ndisks;
    int kit;
    int http; /* serve xp-boot --http DIR at http://10.0.2.2/ */
    enum {
        SMP_NO,     /* one CPU in a lane (xp-boot --jobs) */
        SMP_ALONE,  /* 'smp': its machine's CPUs, alone */
        SMP_SHARED, /* 'smp shared': its machine's CPUs, one busy, a lane */
    } smp;
    char *answer;    /* tests/boot/answers/NAME */
    int medium_next; /* boots xp-boot --medium-next */
};

struct machine {
    char *name;
    char *description;
    char *firmware;
    char *console;
    char **qemu; /* NULL-terminated argument vector */
    size_t nqemu;
    char **media; /* "KIND ARGS..." lines: medium.KIND and attach.WHAT */
    size_t nmedia;
};

/* A placeholder in a machine's argument line and what replaces it. */
struct subst {
    const char *key; /* "@FILE@" */
    const char *value;
};

int scenario_parse(struct scenario *s, const char *name, const char *path,
                   char *err, size_t errlen);
/* Give placeholder KEY ("@XEN@") its VALUE in every scenario parsed after;
 * -ENOENT for a KEY that is not one.  A scenario that uses one without a
 * value does not parse, and its error says where the value comes from. */
int scenario_define(const char *key, const char *value);
void scenario_free(struct scenario *s);
/* How many results a scenario reports besides the first boot: its
 * checks, host steps, guests and later boots. */
/* The first step of steps [FROM, TO) (one boot) that is a stage, a
 * send, a power-off, a kill or an absence after the boot's shell or a
 * check, guest or host step: what the machine does once its checks are
 * done (an orderly reboot, say), run after them and after the crash
 * scan of the boot's shell; TO when there is none. */
size_t scenario_after_checks(const struct scenario *s, size_t from, size_t to);
size_t scenario_checks(const struct scenario *s);

int machine_parse(struct machine *m, const char *name, const char *path,
                  char *err, size_t errlen);
void machine_free(struct machine *m);

/*
 * Append to ARGV (NULL-terminated, grown with realloc) the arguments that
 * attach MEDIUM of KIND, with @MEDIUM@ replaced.  -ENOENT if the profile
 * has no such kind.
 */
int machine_medium_args(const struct machine *m, const char *kind,
                        const char *medium, char ***argv, size_t *argc);

/*
 * The same for any LINE of the profile ("attach.kit", "medium.usb"), with
 * each of the N placeholders in SUBST replaced.
 */
int machine_line_args(const struct machine *m, const char *line,
                      const struct subst *subst, size_t n, char ***argv,
                      size_t *argc);

/* "4G", "512M", "65536": bytes, or -EINVAL. */
int parse_size(const char *s, unsigned long long *out);

/* Unescape \r \n \e \\ in place. */
void unescape_keys(char *s);

#endif
