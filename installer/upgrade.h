/*
 * upgrade.h: what an upgrade carries over (upgrade.c), for --help-upgrade
 * and the README.
 */
#ifndef XENPLAY_UPGRADE_H
#define XENPLAY_UPGRADE_H

#include <stdio.h>

/* The table of what an upgrade carries over, as text or Markdown. */
void upgrade_help(FILE *f, int markdown);

#endif
