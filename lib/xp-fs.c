/*
 * xp-fs.c: file-system helpers shared by xenplay's C programs (xp-fs.h).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xp-fs.h"

int xp_mkdir_p(const char *path, int parents_only)
{
    char buf[PATH_MAX];

    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
        return -ENAMETOOLONG;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (!parents_only && mkdir(buf, 0755) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **xp_dir_names(const char *path)
{
    char **v = calloc(1, sizeof(*v)), **p;
    size_t n = 0;
    struct dirent *de;
    DIR *d = opendir(path);

    if (!d || !v) {
        int e = errno;

        if (d)
            closedir(d);
        free(v);
        errno = e;
        return NULL;
    }
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        p = realloc(v, (n + 2) * sizeof(*v));
        if (!p || !(p[n] = strdup(de->d_name))) {
            v = p ? p : v;
            v[n] = NULL;
            xp_strv_free(v);
            closedir(d);
            errno = ENOMEM;
            return NULL;
        }
        v = p;
        v[++n] = NULL;
    }
    closedir(d);
    qsort(v, n, sizeof(*v), cmp_name);
    return v;
}

void xp_strv_free(char **v)
{
    for (char **p = v; p && *p; p++)
        free(*p);
    free(v);
}
