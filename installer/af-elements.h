/*
 * af-elements.h: the answer-file parser's insides, shared by the schema
 * (answerfile.c: the table, the walk over the document, the help) and
 * the element parsers (af-elements.c).  Outside the parser, answerfile.h.
 */
#ifndef XENPLAY_AF_ELEMENTS_H
#define XENPLAY_AF_ELEMENTS_H

#include <stddef.h>

#include <libxml/tree.h>

#include "answerfile.h"

struct ctx {
    struct answers *a;
    const char *name;
    char *err;
    size_t errlen;
    unsigned seen[64]; /* per table entry */
    /* <time-config-method>, reconciled with <ntp> after the walk */
    const xmlNode *time_method;
    enum af_ntp time_ntp;
};

/* An error at N's line (the file's name first, when there is one):
 * -EINVAL. */
int af_fail(struct ctx *c, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A note for the user at N's line (an element accepted and ignored). */
void af_note(struct ctx *c, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* N's text, trimmed, into BUF; an error if it has children or is too
 * long (or empty, unless EMPTY_OK). */
int af_text_of(struct ctx *c, const xmlNode *n, char *buf, size_t len,
               int empty_ok);
/* Attribute NAME of N, or NULL; the caller xmlFree()s it. */
char *af_attr(const xmlNode *n, const char *name);
/* yes/no/true/false in V (WHAT names it in the error) into *OUT. */
int af_parse_bool(struct ctx *c, const xmlNode *n, const char *what,
                  const char *v, int *out);

/* The element parsers, one per row of the schema. */
int p_primary_disk(struct ctx *c, const xmlNode *n);
int p_guest_disk(struct ctx *c, const xmlNode *n);
int p_existing_disk(struct ctx *c, const xmlNode *n);
int p_admin_interface(struct ctx *c, const xmlNode *n);
int p_ipaddr(struct ctx *c, const xmlNode *n);
int p_subnet(struct ctx *c, const xmlNode *n);
int p_gateway(struct ctx *c, const xmlNode *n);
int p_name_server(struct ctx *c, const xmlNode *n);
int p_hostname(struct ctx *c, const xmlNode *n);
int p_timezone(struct ctx *c, const xmlNode *n);
int p_ntp(struct ctx *c, const xmlNode *n);
int p_ntp_server(struct ctx *c, const xmlNode *n);
int p_time_config_method(struct ctx *c, const xmlNode *n);
int p_keymap(struct ctx *c, const xmlNode *n);
int p_root_password(struct ctx *c, const xmlNode *n);
int p_root_ssh_key(struct ctx *c, const xmlNode *n);
int p_ssh_root_password(struct ctx *c, const xmlNode *n);
int p_script(struct ctx *c, const xmlNode *n);
int p_bootloader(struct ctx *c, const xmlNode *n);
int p_source(struct ctx *c, const xmlNode *n);
int p_network_backend(struct ctx *c, const xmlNode *n);
int p_container(struct ctx *c, const xmlNode *n);

#endif
