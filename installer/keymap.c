/*
 * keymap.c: a console keymap name to its XKB keyboard, from systemd's
 * kbd-model-map (keymap.h).
 */
#include "keymap.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* FIELD, or "" for the table's "-". */
static void take(char *dst, size_t len, const char *field)
{
    snprintf(dst, len, "%s", strcmp(field, "-") == 0 ? "" : field);
}

int keymap_lookup(const char *path, const char *name, struct xkb *out,
                  char *why, size_t whylen)
{
    char line[512], known[160] = "";
    FILE *f = fopen(path, "re");
    int found = 0;

    if (!f) {
        snprintf(why, whylen, "cannot read the keymap table %s: %s", path,
                 strerror(errno));
        return -1;
    }
    while (!found && fgets(line, sizeof(line), f)) {
        char *save = NULL, *field[5];
        int n = 0;

        if (line[0] == '#')
            continue;
        for (char *t = strtok_r(line, " \t\n", &save); t && n < 5;
             t = strtok_r(NULL, " \t\n", &save))
            field[n++] = t;
        if (n != 5)
            continue;
        if (strcmp(field[0], name) == 0) {
            take(out->layout, sizeof(out->layout), field[1]);
            take(out->model, sizeof(out->model), field[2]);
            take(out->variant, sizeof(out->variant), field[3]);
            take(out->options, sizeof(out->options), field[4]);
            found = 1;
        } else if (strlen(known) + strlen(field[0]) + 3 < sizeof(known) - 8) {
            /* A sample of the names, for the message. */
            strcat(known, known[0] ? ", " : "");
            strcat(known, field[0]);
        }
    }
    fclose(f);
    if (!found)
        snprintf(why, whylen,
                 "keymap %s is not known: give one of the console names in "
                 "/" KBD_MODEL_MAP " (%s, ...)",
                 name, known);
    return found ? 0 : -1;
}
