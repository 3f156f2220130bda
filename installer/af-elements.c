/*
 * af-elements.c: the answer file's element parsers, each the rules of
 * one row of the schema (answerfile.c), and the helpers they share
 * (af-elements.h).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "af-elements.h"

int af_fail(struct ctx *c, const xmlNode *n, const char *fmt, ...)
{
    va_list ap;
    int off;

    /* no name: the answers were typed in, a line number means nothing */
    off = c->name[0] ? snprintf(c->err, c->errlen, "%s:%ld: ", c->name,
                                n ? xmlGetLineNo(n) : 0L)
                     : 0;
    if (off < 0 || (size_t)off >= c->errlen)
        return -EINVAL;
    va_start(ap, fmt);
    vsnprintf(c->err + off, c->errlen - (size_t)off, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

/* The element's text, trimmed, into BUF; an error if it has children. */
int af_text_of(struct ctx *c, const xmlNode *n, char *buf, size_t len,
               int empty_ok)
{
    const xmlNode *k;
    xmlChar *t;
    const char *s, *e;

    for (k = n->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            return af_fail(c, k, "<%s> cannot contain <%s>", n->name, k->name);
    t = xmlNodeGetContent(n);
    if (!t)
        return -ENOMEM;
    for (s = (const char *)t; isspace((unsigned char)*s); s++)
        ;
    for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
        ;
    if ((size_t)(e - s) >= len) {
        xmlFree(t);
        return af_fail(c, n, "<%s> is too long (at most %zu characters)",
                       n->name, len - 1);
    }
    memcpy(buf, s, (size_t)(e - s));
    buf[e - s] = '\0';
    xmlFree(t);
    if (!empty_ok && !buf[0])
        return af_fail(c, n, "<%s> is empty", n->name);
    return 0;
}

/* Attribute NAME of N, or NULL; the caller xmlFree()s it. */
char *af_attr(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

int af_parse_bool(struct ctx *c, const xmlNode *n, const char *what,
                  const char *v, int *out)
{
    if (!strcasecmp(v, "yes") || !strcasecmp(v, "true")) {
        *out = 1;
        return 0;
    }
    if (!strcasecmp(v, "no") || !strcasecmp(v, "false")) {
        *out = 0;
        return 0;
    }
    return af_fail(c, n, "%s is '%s'; use yes, no, true or false", what, v);
}

static int ipv4(struct ctx *c, const xmlNode *n, const char *v)
{
    struct in_addr a;

    if (inet_pton(AF_INET, v, &a) != 1)
        return af_fail(c, n, "<%s> '%s' is not an IPv4 address", n->name, v);
    return 0;
}

static int charset(struct ctx *c, const xmlNode *n, const char *v,
                   const char *extra)
{
    for (const char *p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(extra, *p))
            return af_fail(c, n,
                           "<%s> '%s' has a character that is not "
                           "allowed: '%c'",
                           n->name, v, *p);
    return 0;
}

/* Element parsers ------------------------------------------------------ */

int p_primary_disk(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char v[120], *gs;
    int rc;

    rc = af_text_of(c, n, v, sizeof(v), 0);
    if (rc == 0)
        rc = charset(c, n, v, "/_.:-");
    if (rc < 0)
        return rc;
    snprintf(a->primary_disk, sizeof(a->primary_disk), "%s%s",
             v[0] == '/' ? "" : "/dev/", v);
    gs = af_attr(n, "guest-storage");
    if (!gs)
        gs = af_attr(n, "gueststorage");
    if (gs) {
        rc = af_parse_bool(c, n, "guest-storage", gs, &a->guest_storage);
        xmlFree(gs);
    }
    return rc;
}

/* <existing-installation> (an upgrade) and <backup-disk> (a restore):
 * the disk the host is installed on. */
int p_existing_disk(struct ctx *c, const xmlNode *n)
{
    char v[120];
    int rc = af_text_of(c, n, v, sizeof(v), 0);

    if (rc == 0)
        rc = charset(c, n, v, "/_.:-");
    if (rc == 0)
        snprintf(c->a->existing_disk, sizeof(c->a->existing_disk), "%s%s",
                 v[0] == '/' ? "" : "/dev/", v);
    return rc;
}

int p_guest_disk(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char v[120];
    int rc;

    if (a->nguest_disks >= AF_MAX_LIST)
        return af_fail(c, n, "more than %d guest disks", AF_MAX_LIST);
    rc = af_text_of(c, n, v, sizeof(v), 0);
    if (rc == 0)
        rc = charset(c, n, v, "/_.:-");
    if (rc == 0)
        snprintf(a->guest_disks[a->nguest_disks++], sizeof(a->guest_disks[0]),
                 "%s%s", v[0] == '/' ? "" : "/dev/", v);
    return rc;
}

int p_admin_interface(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char *name = af_attr(n, "name"), *hw = af_attr(n, "hwaddr");
    char *proto = af_attr(n, "proto"), *vlan = af_attr(n, "vlan");
    int rc = 0;

    if (!!name == !!hw) {
        rc = af_fail(c, n,
                     "<admin-interface> needs name=\"eth0\" or "
                     "hwaddr=\"00:16:3e:..\", not %s",
                     name ? "both" : "neither");
        goto out;
    }
    if (name && (rc = charset(c, n, name, "_.-@")) == 0)
        snprintf(a->admin_name, sizeof(a->admin_name), "%s", name);
    if (hw) {
        char why[512];

        if (af_valid_mac(hw, why, sizeof(why)) < 0) {
            rc = af_fail(c, n, "hwaddr %s", why);
            goto out;
        }
        for (size_t i = 0; i < 17; i++)
            a->admin_hwaddr[i] = (char)tolower((unsigned char)hw[i]);
        a->admin_hwaddr[17] = '\0';
    }
    if (rc < 0)
        goto out;
    if (!proto) {
        rc = af_fail(c, n,
                     "<admin-interface> needs proto=\"dhcp\" or "
                     "proto=\"static\"");
        goto out;
    }
    if (!strcmp(proto, "dhcp"))
        a->proto = AF_PROTO_DHCP;
    else if (!strcmp(proto, "static"))
        a->proto = AF_PROTO_STATIC;
    else {
        rc = af_fail(c, n,
                     "proto '%s' is not supported: use dhcp or static "
                     "(xenplay has no IPv6-only management yet)",
                     proto);
        goto out;
    }
    if (vlan) {
        char *end;
        long v = strtol(vlan, &end, 10);

        if (*end || v < 1 || v > 4094) {
            rc = af_fail(c, n, "vlan '%s' is not a VLAN id from 1 to 4094",
                         vlan);
            goto out;
        }
        a->vlan = (int)v;
    }
    rc = p_container(c, n);
    if (rc == 0 && a->proto == AF_PROTO_STATIC &&
        (!a->ipaddr[0] || !a->subnet[0]))
        rc = af_fail(c, n,
                     "a static <admin-interface> needs <ipaddr> and "
                     "<subnet> (and usually <gateway>)");
out:
    xmlFree(name);
    xmlFree(hw);
    xmlFree(proto);
    xmlFree(vlan);
    return rc;
}

static int p_ip_field(struct ctx *c, const xmlNode *n, char *dst)
{
    char v[16];
    int rc = af_text_of(c, n, v, sizeof(v), 0);

    if (rc == 0)
        rc = ipv4(c, n, v);
    if (rc == 0)
        memcpy(dst, v, sizeof(v));
    return rc;
}

int p_ipaddr(struct ctx *c, const xmlNode *n)
{
    return p_ip_field(c, n, c->a->ipaddr);
}

int p_subnet(struct ctx *c, const xmlNode *n)
{
    int rc = p_ip_field(c, n, c->a->subnet);

    if (rc == 0 && netmask_prefix(c->a->subnet) < 1)
        rc = af_fail(c, n, "<%s> '%s' is not a netmask like 255.255.255.0",
                     n->name, c->a->subnet);
    return rc;
}

int p_gateway(struct ctx *c, const xmlNode *n)
{
    return p_ip_field(c, n, c->a->gateway);
}

int p_name_server(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char v[46];
    int rc;

    if (a->nname_servers >= AF_MAX_LIST)
        return af_fail(c, n, "more than %d name servers", AF_MAX_LIST);
    rc = af_text_of(c, n, v, sizeof(v), 0);
    if (rc == 0)
        rc = ipv4(c, n, v);
    if (rc == 0)
        memcpy(a->name_servers[a->nname_servers++], v, sizeof(v));
    return rc;
}

int p_hostname(struct ctx *c, const xmlNode *n)
{
    char *v = c->a->hostname, why[512];
    int rc = af_text_of(c, n, v, sizeof(c->a->hostname), 0);

    if (rc == 0 && af_valid_hostname(v, why, sizeof(why)) < 0)
        rc = af_fail(c, n, "<hostname> %s", why);
    return rc;
}

int p_timezone(struct ctx *c, const xmlNode *n)
{
    char *v = c->a->timezone;
    int rc = af_text_of(c, n, v, sizeof(c->a->timezone), 0);

    if (rc == 0)
        rc = charset(c, n, v, "/_+-");
    if (rc == 0 && (v[0] == '/' || strstr(v, "..")))
        rc = af_fail(c, n, "<timezone> '%s' is not a zone like Europe/Berlin",
                     v);
    return rc;
}

int p_ntp(struct ctx *c, const xmlNode *n)
{
    char *src = af_attr(n, "source");
    int rc = 0;

    if (!src)
        rc = af_fail(c, n, "<ntp> needs source=\"dhcp|default|manual|none\"");
    else if (!strcmp(src, "dhcp"))
        c->a->ntp = AF_NTP_DHCP;
    else if (!strcmp(src, "default"))
        c->a->ntp = AF_NTP_DEFAULT;
    else if (!strcmp(src, "manual"))
        c->a->ntp = AF_NTP_MANUAL;
    else if (!strcmp(src, "none"))
        c->a->ntp = AF_NTP_NONE;
    else
        rc = af_fail(c, n,
                     "<ntp> source '%s' is not dhcp, default, manual "
                     "or none",
                     src);
    xmlFree(src);
    return rc;
}

/* XCP-ng's older way to say it: ntp (NTP on, from <ntp-server> or the
 * default servers), dhcp (from the DHCP server), manual (no NTP: the
 * clock is set by hand).  answerfile.c reconciles it with <ntp>. */
int p_time_config_method(struct ctx *c, const xmlNode *n)
{
    char v[16];
    int rc = af_text_of(c, n, v, sizeof(v), 0);

    if (rc < 0)
        return rc;
    if (!strcmp(v, "ntp"))
        c->time_ntp = AF_NTP_DEFAULT;
    else if (!strcmp(v, "dhcp"))
        c->time_ntp = AF_NTP_DHCP;
    else if (!strcmp(v, "manual"))
        c->time_ntp = AF_NTP_NONE;
    else
        return af_fail(c, n,
                       "<time-config-method> '%s' is not ntp, dhcp or "
                       "manual",
                       v);
    c->time_method = n;
    return 0;
}

int p_ntp_server(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char v[256];
    int rc;

    if (a->nntp_servers >= AF_MAX_LIST)
        return af_fail(c, n, "more than %d NTP servers", AF_MAX_LIST);
    rc = af_text_of(c, n, v, sizeof(v), 0);
    if (rc == 0)
        rc = charset(c, n, v, "-.:");
    if (rc == 0)
        memcpy(a->ntp_servers[a->nntp_servers++], v, sizeof(v));
    return rc;
}

int p_keymap(struct ctx *c, const xmlNode *n)
{
    int rc = af_text_of(c, n, c->a->keymap, sizeof(c->a->keymap), 0);

    return rc == 0 ? charset(c, n, c->a->keymap, "-_.") : rc;
}

int p_root_password(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char *type = af_attr(n, "type"), v[256];
    int rc;

    rc = af_text_of(c, n, v, sizeof(v), 0);
    if (rc < 0)
        goto out;
    if (!type || !strcmp(type, "plaintext")) {
        rc = answerfile_hash_password(v, a->root_hash, sizeof(a->root_hash));
        if (rc < 0) {
            rc = af_fail(c, n, "cannot hash the root password: %s",
                         strerror(-rc));
            goto out;
        }
    } else if (!strcmp(type, "hash")) {
        if (!strcmp(v, "!!")) {
            a->root_hash[0] = '\0'; /* no password: a key must do */
        } else if (v[0] != '$' || crypt_checksalt(v) != CRYPT_SALT_OK) {
            rc = af_fail(c, n,
                         "the root password hash is not a crypt(3) hash "
                         "this system supports (make one with "
                         "'mkpasswd -m yescrypt')");
            goto out;
        } else {
            snprintf(a->root_hash, sizeof(a->root_hash), "%s", v);
        }
    } else {
        rc = af_fail(c, n, "root-password type '%s' is not plaintext or hash",
                     type);
        goto out;
    }
    a->root_password_set = 1;
out:
    explicit_bzero(v, sizeof(v));
    xmlFree(type);
    return rc;
}

int p_root_ssh_key(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char *v;
    int rc;

    if (a->nroot_ssh_keys >= AF_MAX_LIST)
        return af_fail(c, n, "more than %d SSH keys", AF_MAX_LIST);
    v = a->root_ssh_keys[a->nroot_ssh_keys];
    rc = af_text_of(c, n, v, sizeof(a->root_ssh_keys[0]), 0);
    if (rc < 0)
        return rc;
    if (strncmp(v, "ssh-", 4) && strncmp(v, "ecdsa-", 6) &&
        strncmp(v, "sk-", 3))
        return af_fail(c, n,
                       "<root-ssh-key> does not look like an OpenSSH "
                       "public key (ssh-ed25519 AAAA... comment)");
    if (strchr(v, '\n'))
        return af_fail(c, n,
                       "<root-ssh-key> holds one key: use one element "
                       "per key");
    a->nroot_ssh_keys++;
    return 0;
}

int p_ssh_root_password(struct ctx *c, const xmlNode *n)
{
    char v[8];
    int rc = af_text_of(c, n, v, sizeof(v), 0);

    return rc == 0 ? af_parse_bool(c, n, "<ssh-root-password>", v,
                                   &c->a->ssh_root_password)
                   : rc;
}

int p_script(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char *stage = af_attr(n, "stage"), *type = af_attr(n, "type");
    struct af_script *s;
    int rc = 0, i;

    if (a->nscripts >= AF_MAX_LIST) {
        rc = af_fail(c, n, "more than %d scripts", AF_MAX_LIST);
        goto out;
    }
    s = &a->scripts[a->nscripts];
    for (i = 0; i < AF_STAGE_COUNT; i++)
        if (stage && !strcmp(stage, af_stage_name(i)))
            break;
    if (i == AF_STAGE_COUNT) {
        rc = af_fail(c, n,
                     "<script> needs stage=\"installation-start\", "
                     "\"filesystem-populated\" or "
                     "\"installation-complete\"%s%s%s",
                     stage ? ", not '" : "", stage ? stage : "",
                     stage ? "'" : "");
        goto out;
    }
    s->stage = (enum af_stage)i;
    if (type && strcmp(type, "url")) {
        rc = af_fail(c, n,
                     "<script> type '%s' is not supported: use "
                     "type=\"url\" with a file:// or http:// URL",
                     type);
        goto out;
    }
    rc = af_text_of(c, n, s->url, sizeof(s->url), 0);
    if (rc == 0 && strncmp(s->url, "file://", 7) &&
        strncmp(s->url, "http://", 7))
        rc = af_fail(c, n, "<script> URL '%s' is not file:// or http://",
                     s->url);
    if (rc == 0)
        a->nscripts++;
out:
    xmlFree(stage);
    xmlFree(type);
    return rc;
}

int p_bootloader(struct ctx *c, const xmlNode *n)
{
    char *loc = af_attr(n, "location"), v[16];
    int rc = af_text_of(c, n, v, sizeof(v), 1);

    if (rc == 0 && v[0] && strcmp(v, "grub2"))
        rc = af_fail(c, n,
                     "bootloader '%s' is not supported: xenplay "
                     "installs grub2",
                     v);
    if (rc == 0 && loc && strcmp(loc, "mbr"))
        rc = af_fail(c, n,
                     "bootloader location '%s' is not supported: "
                     "xenplay installs GRUB for BIOS (location=\"mbr\") "
                     "and UEFI together",
                     loc);
    xmlFree(loc);
    return rc;
}

void af_note(struct ctx *c, const xmlNode *n, const char *fmt, ...)
{
    struct answers *a = c->a;
    va_list ap;
    int off;

    if (a->nnotes >= sizeof(a->notes) / sizeof(a->notes[0]))
        return;
    off = snprintf(a->notes[a->nnotes], sizeof(a->notes[0]),
                   "line %ld: ", xmlGetLineNo(n));
    va_start(ap, fmt);
    vsnprintf(a->notes[a->nnotes] + off, sizeof(a->notes[0]) - (size_t)off, fmt,
              ap);
    va_end(ap);
    a->nnotes++;
}

int p_source(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char *type = af_attr(n, "type");
    char url[sizeof(a->repo_url)];
    int rc = 0;

    if (!type || !strcmp(type, "local")) {
        /* the default: the medium the install runs from */
    } else if (!strcmp(type, "url")) {
        rc = af_text_of(c, n, url, sizeof(url), 0);
        if (rc == 0 && strncmp(url, "http://", 7) &&
            strncmp(url, "https://", 8))
            rc = af_fail(c, n,
                         "<source type=\"url\"> '%s' is not http:// or "
                         "https://: give the address of a xenplay medium "
                         "(an ISO's contents or make pxe's bundle) on a web "
                         "server",
                         url);
        else if (rc == 0 && a->repo_url[0])
            af_note(c, n,
                    "a second <source type=\"url\"> ignored: the host "
                    "takes xenplay's packages from %s/debian",
                    a->repo_url);
        else if (rc == 0) {
            url[strcspn(url, "\r\n")] = '\0';
            while (url[0] && url[strlen(url) - 1] == '/')
                url[strlen(url) - 1] = '\0';
            snprintf(a->repo_url, sizeof(a->repo_url), "%s", url);
        }
    } else if (!strcmp(type, "nfs")) {
        af_note(c, n,
                "<source type=\"nfs\"> ignored: xenplay installs the root "
                "file system of the medium it booted from, and its hosts "
                "take xenplay's packages over HTTP (type=\"url\")");
    } else {
        rc = af_fail(c, n, "<source> type '%s' is not local, url or nfs", type);
    }
    xmlFree(type);
    return rc;
}

int p_network_backend(struct ctx *c, const xmlNode *n)
{
    char v[32];
    int rc = af_text_of(c, n, v, sizeof(v), 0);

    if (rc == 0 && strcmp(v, "bridge"))
        af_note(c, n,
                "<network-backend> %s ignored: xenplay uses a Linux "
                "bridge (xenbr0)",
                v);
    return rc;
}
