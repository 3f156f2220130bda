/*
 * engine.h: the install, as a named sequence of steps with an undo stack.
 *
 *   check-hardware   the disk exists, is big enough, is not in use and is
 *                    not the medium; the admin NIC and the time zone exist
 *   script-start     <script stage="installation-start">
 *   partition        the GPT of layout.h (libfdisk), old signatures wiped
 *   make-filesystems FAT32 ESP, ext4 root and log, the guests' LVM
 *   copy-root        the live root file system (the tested image) to disk,
 *                    and dom0's initrd from the boot medium
 *   configure        config.h's files, root password, time zone, units
 *   script-populated <script stage="filesystem-populated"> with the root
 *   bootloader       GRUB for BIOS and UEFI with Debian's grub-install and
 *                    update-grub (Xen entries first)
 *   finish           <script stage="installation-complete">, the log to
 *                    /var/log, and last the mark that the install is
 *                    complete: until it is there, the disk's GRUB refuses
 *                    to boot it
 *
 * The engine never touches the terminal: it reports through struct
 * install_ui, which the unattended front end (answer file) and the
 * interactive one implement.
 */
#ifndef XENPLAY_ENGINE_H
#define XENPLAY_ENGINE_H

#include <stdio.h>

#include "answerfile.h"
#include "config.h"
#include "layout.h"

struct install_ui {
    void *ctx;
    /* step NAME has STATUS "start", "ok" or "fail"; DETAIL may be "". */
    void (*progress)(void *ctx, const char *step, const char *status,
                     const char *detail);
};

#define UNDO_MAX 16

/*
 * What the run does (xenplay-install --install, --upgrade, --restore):
 *
 *   upgrade   check-upgrade (the disk holds a complete xenplay install,
 *             the new version is not older, the other root partition is
 *             free and large enough; nothing written before this ends
 *             well), script-start, make-filesystems (the other root
 *             partition only), copy-root, carry-over (upgrade.c's table),
 *             configure, script-populated, bootloader (update-grub in the
 *             new root; the boot code stays), finish (the new root's
 *             mark, then the boot switch to it)
 *   restore   check-restore (the other root partition holds a complete
 *             install), switch (the boot switch to it)
 */
enum install_mode { MODE_FRESH, MODE_UPGRADE, MODE_RESTORE };

struct install {
    const struct install_ui *ui;
    struct answers *a;
    const char *disk;       /* the primary disk */
    const char *source;     /* the root file system to copy: /run/rootfsbase */
    const char *sysroot;    /* "/" (tests: a captured tree) */
    const char *workdir;    /* /run/xenplay-install */
    int force;              /* install over a disk in use */
    int dry_run;            /* plan and check only */
    const char *answerfile; /* kept on the host (the TUI's, hashes only) */
    enum install_mode mode;

    /* upgrade and restore: what is on the disk (check-upgrade) */
    int new_root;         /* P_ROOT_A or P_ROOT_B: the root written */
    int old_root;         /* the one that booted until now */
    char old_uuid[37];    /* its file system's UUID */
    char old_dir[256];    /* where it is mounted (read-only) */
    char old_version[64]; /* its /usr/lib/xenplay/version */
    char new_version[64]; /* the medium's */

    /* filled in by the steps */
    struct layout l;
    struct host_facts ids;
    char part[P_COUNT][64];      /* partition device paths */
    uint64_t part_size[P_COUNT]; /* their sizes (upgrade, restore) */
    char target[256];            /* where the new root is mounted */
    char admin_mac[18];          /* the management NIC, resolved */
    char admin_dev[32];
    char initrd_parts[2]
                     [256]; /* microcode, then the initrd (see find_initrd) */
    char image[256];        /* the squashfs behind source (see find_image) */
    char medium_url[1024];  /* a netbooted installer's bundle (find_initrd) */
    char logpath[256];
    FILE *log;
    char why[1024]; /* what went wrong, for the verdict */
    char failed_step[32];
    int disk_written; /* a step began to write the disk (partition on) */

    struct undo {
        int kind; /* UNDO_UMOUNT, UNDO_VG_OFF */
        char arg[256];
    } undo[UNDO_MAX];
    int nundo;
};

/* Run every step; 0 on success, -1 with in->why and in->failed_step. */
int install_run(struct install *in);

/* The steps' names, in order (for --help and the TUI). */
const char *install_step_name(int i);
int install_nsteps(void);
/* How many steps a run of MODE has (the TUI's progress bar). */
int install_mode_nsteps(enum install_mode mode);

#endif
