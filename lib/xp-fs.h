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

/* The names in directory PATH without the dot files, sorted: a
 * NULL-terminated vector to free with xp_strv_free(), or NULL when PATH
 * cannot be read (errno says why) or memory runs out. */
char **xp_dir_names(const char *path);

/* Free a NULL-terminated vector of strings and the strings (NULL: no-op). */
void xp_strv_free(char **v);

#endif
