/*
 * ui.h: the few newt building blocks the interactive installer's screens
 * (tui.c) are made of.
 */
#ifndef XENPLAY_UI_H
#define XENPLAY_UI_H

#include <stddef.h>

#include <newt.h>

/* The width of the installer's windows, in columns (a serial console's
 * 80 with room for the border). */
#define UI_WIDTH 66

/* A message box with an OK button. */
void ui_message(const char *title, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Run FORM; 1 if NEXT (or ALSO, e.g. a list's Enter) ended it. */
int ui_run_form(newtComponent form, newtComponent next, newtComponent also);
/* G as a window titled TITLE, its components in FORM. */
void ui_window(newtGrid g, newtComponent form, const char *title);
/* A list, a blank line, then one or two options under it. */
newtGrid ui_stack(newtComponent list, newtComponent a, newtComponent b);
/* An entries screen: LABELS[i] edits FIELDS[i] (of SIZES[i] bytes), with
 * newt's FLAGS[i] (FLAGS may be NULL).  0 on Next, -1 on Back. */
int ui_entries(const char *title, const char *text, int n,
               const char *const labels[], char *const fields[],
               const size_t sizes[], const int flags[]);

#endif
