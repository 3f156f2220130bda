/*
 * xp-fs.c: file-system helpers shared by xenplay's C programs (xp-fs.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
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
