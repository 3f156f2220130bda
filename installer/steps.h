/*
 * steps.h: what the install's steps share with the engine that runs
 * them (engine.c: the log, commands, the undo stack, fetching, scripts;
 * steps-disk.c: check-hardware to copy-root; steps-host.c: configure to
 * finish).  The front ends use engine.h only.
 */
#ifndef XENPLAY_STEPS_H
#define XENPLAY_STEPS_H

#include <sys/types.h>

#include "engine.h"

#define MARKER "etc/xenplay/installed"
/* The boot switch: a GRUB environment block in the EFI system partition's
 * grub/ and the variable in it that names the root to boot (steps-host.c). */
#define SWITCH_ENV "xenplay.env"
#define SWITCH_VAR "xenplay_root_uuid"
/* Where dracut mounts the boot medium (the ISO, a USB stick). */
#define LIVE_MEDIUM "/run/initramfs/live"

enum { UNDO_UMOUNT = 1, UNDO_VG_OFF };

/* A line in the install log. */
void inst_log(struct install *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The reason the install fails, in in->why and the log; -1. */
int inst_fail(struct install *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Run ARGV with its output in the log, SECRET (or NULL) on its stdin. */
int inst_run(struct install *in, const char *secret, const char *const argv[]);
#define RUN(in, ...)                                                           \
    inst_run(in, NULL, (const char *const[]){__VA_ARGS__, NULL})
#define RUN_SECRET(in, secret, ...)                                            \
    inst_run(in, secret, (const char *const[]){__VA_ARGS__, NULL})
/* Undo (unmount, deactivate) ARG when the install ends, in reverse. */
void inst_push_undo(struct install *in, int kind, const char *arg);
/* Mount SRC at DST (made if need be), unmounted when the install ends. */
int inst_mount(struct install *in, const char *src, const char *dst,
               const char *type, unsigned long flags);
/* Write TEXT to PATH with MODE, its directories made as need be. */
int inst_write_file(struct install *in, const char *path, mode_t mode,
                    const char *text);
/* Replace PATH with TEXT as one step: written beside it, synced, renamed
 * over it, its directory synced.  A power cut leaves the old file or the
 * new one, never a part of either. */
int inst_replace_file(struct install *in, const char *path, mode_t mode,
                      const char *text);
/* The second half of that, for TMP written by another program: TMP
 * synced and renamed over PATH, its directory synced. */
int inst_commit_file(struct install *in, const char *tmp, const char *path);
/* The read-only mount at DIR (inst_mount) read-write. */
int inst_make_writable(struct install *in, const char *dir);
/* Everything written to the file system mounted at DIR where a reader
 * that ignores its journal finds it: GRUB reads ext4 without replaying
 * the journal, so a root it is switched to must be settled first. */
int inst_settle_fs(struct install *in, const char *dir);
/* Fetch URL to PATH (fetch.c), logged. */
int inst_fetch(struct install *in, const char *url, const char *path);
/* Run the answer file's scripts of STAGE with ARG. */
int inst_run_scripts(struct install *in, enum af_stage stage, const char *arg);

/* A new file system UUID into BUF. */
int new_uuid(struct install *in, char *buf, size_t len);
/* The medium holds a xenplay root, its squashfs and dom0's initrd. */
int st_check_medium(struct install *in);

/* The steps, in the order engine.c runs them (engine.h says what each
 * does); 0, or -1 with in->why. */
int st_check(struct install *in);
int st_script_start(struct install *in);
int st_partition(struct install *in);
int st_mkfs(struct install *in);
int st_copy(struct install *in);
int st_configure(struct install *in);
int st_script_populated(struct install *in);
int st_bootloader(struct install *in);
int st_finish(struct install *in);
/* upgrade.c */
int st_up_check(struct install *in);
int st_up_mkfs(struct install *in);
int st_carry(struct install *in);
int st_up_configure(struct install *in);
int st_re_check(struct install *in);
int st_re_switch(struct install *in);
/* The boot switch to in->ids.root, on the EFI system partition that the
 * upgrade's or restore's check mounted. */
int upgrade_switch(struct install *in);
/* ROOT_DIR's GRUB menu gains "Previous version" for the root OTHER_UUID. */
int upgrade_previous_entry(struct install *in, const char *root_dir,
                           const char *other_uuid, const char *other_version);

/* Make ESP's GRUB boot the root file system whose UUID is ROOT_UUID
 * (ESP: where the EFI system partition is mounted). */
int boot_switch(struct install *in, const char *esp, const char *root_uuid);

#endif
