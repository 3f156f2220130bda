/*
 * ui.c: the newt building blocks of the interactive installer's screens
 * (see ui.h).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <newt.h>

#include "ui.h"

void ui_message(const char *title, const char *fmt, ...)
{
    char text[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    newtWinMessage((char *)title, (char *)"OK", (char *)"%s", text);
}

int ui_run_form(newtComponent form, newtComponent next, newtComponent also)
{
    struct newtExitStruct es;

    newtFormRun(form, &es);
    return es.reason == NEWT_EXIT_COMPONENT &&
           (es.u.co == next || (also && es.u.co == also));
}

void ui_window(newtGrid g, newtComponent form, const char *title)
{
    newtGridWrappedWindow(g, (char *)title);
    newtGridAddComponentsToForm(g, form, 1);
    newtGridFree(g, 1);
}

newtGrid ui_stack(newtComponent list, newtComponent a, newtComponent b)
{
    newtGrid g = newtCreateGrid(1, b ? 3 : 2);

    newtGridSetField(g, 0, 0, NEWT_GRID_COMPONENT, list, 0, 0, 0, 0,
                     NEWT_ANCHOR_LEFT, 0);
    newtGridSetField(g, 0, 1, NEWT_GRID_COMPONENT, a, 0, 1, 0, 0,
                     NEWT_ANCHOR_LEFT, 0);
    if (b)
        newtGridSetField(g, 0, 2, NEWT_GRID_COMPONENT, b, 0, 0, 0, 0,
                         NEWT_ANCHOR_LEFT, 0);
    return g;
}

int ui_entries(const char *title, const char *text, int n,
               const char *const labels[], char *const fields[],
               const size_t sizes[], const int flags[])
{
    struct newtWinEntry items[8] = {{0}};
    char *values[8];
    int r;

    for (int i = 0; i < n; i++) {
        values[i] = fields[i];
        items[i].text = (char *)labels[i];
        items[i].value = &values[i];
        items[i].flags = NEWT_FLAG_SCROLL | (flags ? flags[i] : 0);
    }
    r = newtWinEntries((char *)title, (char *)text, UI_WIDTH, 0, 0, 40, items,
                       (char *)"Next", (char *)"Back", NULL);
    for (int i = 0; i < n; i++) {
        if (r == 1)
            snprintf(fields[i], sizes[i], "%s", values[i]);
        if (values[i] != fields[i]) {
            explicit_bzero(values[i], strlen(values[i]));
            free(values[i]);
        }
    }
    return r == 1 ? 0 : -1;
}
