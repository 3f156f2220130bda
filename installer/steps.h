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
/* Fetch URL to PATH (fetch.c), logged. */
int inst_fetch(struct install *in, const char *url, const char *path);
/* Run the answer file's scripts of STAGE with ARG. */
int inst_run_scripts(struct install *in, enum af_stage stage, const char *arg);

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

#endif
