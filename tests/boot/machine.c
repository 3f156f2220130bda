/*
 * machine.c: machine profiles (tests/boot/machines/NAME.conf; scenario.h).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lines.h"
#include "scenario.h"
#include "xp-fs.h"

static int machine_line(void *obj, char *key, char *rest, struct where *w)
{
    struct machine *m = obj;
    char *arg, *l;
    int rc;

    if (!strcmp(key, "description"))
        return set_str(&m->description, rest);
    if (!strcmp(key, "firmware")) {
        if (strcmp(rest, "bios") && strcmp(rest, "uefi")) {
            seterr(w, "firmware is 'bios' or 'uefi', not '%s'", rest);
            return -EINVAL;
        }
        return set_str(&m->firmware, rest);
    }
    if (!strcmp(key, "console")) {
        if (strcmp(rest, "com1") && strcmp(rest, "com2")) {
            seterr(w, "console is 'com1' or 'com2', not '%s'", rest);
            return -EINVAL;
        }
        return set_str(&m->console, rest);
    }
    if (!strcmp(key, "qemu")) {
        rc = 0;
        while (rc == 0 && (arg = word(&rest)))
            rc = push_str(&m->qemu, &m->nqemu, arg);
        return rc;
    }
    if ((!strncmp(key, "medium.", 7) && key[7]) ||
        !strcmp(key, "attach.disk") || !strcmp(key, "attach.kit") ||
        !strcmp(key, "attach.answer") || !strcmp(key, "nic")) {
        if (asprintf(&l, "%s %s", key, rest) < 0)
            return -ENOMEM;
        rc = push_str(&m->media, &m->nmedia, l);
        free(l);
        return rc;
    }
    seterr(w,
           "unknown keyword '%s' (known: description firmware console "
           "qemu medium.KIND attach.disk attach.kit attach.answer nic)",
           key);
    return -EINVAL;
}

int machine_parse(struct machine *m, const char *name, const char *path,
                  char *err, size_t errlen)
{
    struct where w = {.err = err, .errlen = errlen};
    int rc;

    memset(m, 0, sizeof(*m));
    m->name = strdup(name);
    rc = m->name ? read_keyed_lines(path, machine_line, m, &w) : -ENOMEM;
    if (rc == 0 && (!m->firmware || !m->console || !m->nqemu)) {
        seterr(&w, "a machine needs 'firmware', 'console' and 'qemu' lines");
        rc = -EINVAL;
    }
    if (rc < 0)
        machine_free(m);
    return rc;
}

void machine_free(struct machine *m)
{
    xp_strv_free(m->qemu);
    xp_strv_free(m->media);
    free(m->name);
    free(m->description);
    free(m->firmware);
    free(m->console);
    memset(m, 0, sizeof(*m));
}

int machine_line_args(const struct machine *m, const char *line,
                      const struct subst *subst, size_t n, char ***argv,
                      size_t *argc)
{
    size_t i, j, klen = strlen(line);
    char *copy = NULL, *rest, *w, *arg, *at, *tmp;
    int rc = -ENOENT;

    for (i = 0; i < m->nmedia; i++) {
        if (strncmp(m->media[i], line, klen) || m->media[i][klen] != ' ')
            continue;
        copy = strdup(m->media[i] + klen + 1);
        if (!copy)
            return -ENOMEM;
        rest = copy;
        rc = 0;
        while (rc == 0 && (w = word(&rest))) {
            arg = strdup(w);
            for (j = 0; arg && j < n; j++) {
                while (arg && (at = strstr(arg, subst[j].key))) {
                    if (asprintf(&tmp, "%.*s%s%s", (int)(at - arg), arg,
                                 subst[j].value, at + strlen(subst[j].key)) < 0)
                        tmp = NULL;
                    free(arg);
                    arg = tmp;
                }
            }
            rc = arg ? push_str(argv, argc, arg) : -ENOMEM;
            free(arg);
        }
        break;
    }
    free(copy);
    return rc;
}

int machine_medium_args(const struct machine *m, const char *kind,
                        const char *medium, char ***argv, size_t *argc)
{
    struct subst s = {"@MEDIUM@", medium};
    char line[64];

    snprintf(line, sizeof(line), "medium.%s", kind);
    return machine_line_args(m, line, &s, 1, argv, argc);
}
