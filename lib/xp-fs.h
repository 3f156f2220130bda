/*
 * xp-fs.h: file-system helpers shared by xenplay's C programs (the
 * installer and the boot-test harness).
 */
#ifndef XP_FS_H
#define XP_FS_H

/* Make PATH's directories, mode 0755, as mkdir -p does; with
 * PARENTS_ONLY, all but its last component (PATH names a file to be
 * created).  0, or -errno. */
int xp_mkdir_p(const char *path, int parents_only);

#endif
