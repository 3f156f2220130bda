/*
 * keymap.h: a console keymap name (the answer file's <keymap>, as XCP-ng
 * and systemd's vconsole.conf name them: us, de, fr, uk, ...) and the XKB
 * keyboard it stands for, which console-setup (Debian's way of setting
 * the console's keymap) reads from /etc/default/keyboard.
 *
 * The table is systemd's own, /usr/share/systemd/kbd-model-map, the list
 * systemd-localed converts with: one line per console name, then the XKB
 * layout, model, variant and options ("-" for none).  The names it lists
 * are the names an answer file may give.
 */
#ifndef XENPLAY_KEYMAP_H
#define XENPLAY_KEYMAP_H

#include <stddef.h>

/* systemd's table, under the root the installer copies. */
#define KBD_MODEL_MAP "usr/share/systemd/kbd-model-map"

struct xkb {
    char layout[64], model[64], variant[64], options[128];
};

/*
 * Look NAME up in the table at PATH (KBD_MODEL_MAP under some root).  0
 * with OUT filled; -1 with the reason in WHY (the name unknown, with some
 * names that are known; the table unreadable).
 */
int keymap_lookup(const char *path, const char *name, struct xkb *out,
                  char *why, size_t whylen);

#endif
