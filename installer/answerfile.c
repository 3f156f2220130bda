/*
 * answerfile.c: the XenServer/XCP-ng answer-file schema xenplay supports,
 * as one table, and its parser (libxml2).  See answerfile.h.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "answerfile.h"

struct ctx {
    struct answers *a;
    const char *name;
    char *err;
    size_t errlen;
    unsigned seen[64]; /* per table entry */
};

static int fail(struct ctx *c, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct ctx *c, const xmlNode *n, const char *fmt, ...)
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
static int text_of(struct ctx *c, const xmlNode *n, char *buf, size_t len,
                   int empty_ok)
{
    const xmlNode *k;
    xmlChar *t;
    const char *s, *e;

    for (k = n->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            return fail(c, k, "<%s> cannot contain <%s>", n->name, k->name);
    t = xmlNodeGetContent(n);
    if (!t)
        return -ENOMEM;
    for (s = (const char *)t; isspace((unsigned char)*s); s++)
        ;
    for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
        ;
    if ((size_t)(e - s) >= len) {
        xmlFree(t);
        return fail(c, n, "<%s> is too long (at most %zu characters)", n->name,
                    len - 1);
    }
    memcpy(buf, s, (size_t)(e - s));
    buf[e - s] = '\0';
    xmlFree(t);
    if (!empty_ok && !buf[0])
        return fail(c, n, "<%s> is empty", n->name);
    return 0;
}

/* Attribute NAME of N, or NULL; the caller xmlFree()s it. */
static char *attr(const xmlNode *n, const char *name)
{
    return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static int parse_bool(struct ctx *c, const xmlNode *n, const char *what,
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
    return fail(c, n, "%s is '%s'; use yes, no, true or false", what, v);
}

static int ipv4(struct ctx *c, const xmlNode *n, const char *v)
{
    struct in_addr a;

    if (inet_pton(AF_INET, v, &a) != 1)
        return fail(c, n, "<%s> '%s' is not an IPv4 address", n->name, v);
    return 0;
}

static int charset(struct ctx *c, const xmlNode *n, const char *v,
                   const char *extra)
{
    for (const char *p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(extra, *p))
            return fail(c, n,
                        "<%s> '%s' has a character that is not "
                        "allowed: '%c'",
                        n->name, v, *p);
    return 0;
}

/* Element parsers ------------------------------------------------------ */

static int p_primary_disk(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char v[120], *gs;
    int rc;

    rc = text_of(c, n, v, sizeof(v), 0);
    if (rc == 0)
        rc = charset(c, n, v, "/_.:-");
    if (rc < 0)
        return rc;
    snprintf(a->primary_disk, sizeof(a->primary_disk), "%s%s",
             v[0] == '/' ? "" : "/dev/", v);
    gs = attr(n, "guest-storage");
    if (!gs)
        gs = attr(n, "gueststorage");
    if (gs) {
        rc = parse_bool(c, n, "guest-storage", gs, &a->guest_storage);
        xmlFree(gs);
    }
    return rc;
}

static int p_guest_disk(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char v[120];
    int rc;

    if (a->nguest_disks >= AF_MAX_LIST)
        return fail(c, n, "more than %d guest disks", AF_MAX_LIST);
    rc = text_of(c, n, v, sizeof(v), 0);
    if (rc == 0)
        rc = charset(c, n, v, "/_.:-");
    if (rc == 0)
        snprintf(a->guest_disks[a->nguest_disks++], sizeof(a->guest_disks[0]),
                 "%s%s", v[0] == '/' ? "" : "/dev/", v);
    return rc;
}

static int p_container(struct ctx *c, const xmlNode *n);

static int p_admin_interface(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char *name = attr(n, "name"), *hw = attr(n, "hwaddr");
    char *proto = attr(n, "proto"), *vlan = attr(n, "vlan");
    int rc = 0;

    if (!!name == !!hw) {
        rc = fail(c, n,
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
            rc = fail(c, n, "hwaddr %s", why);
            goto out;
        }
        for (size_t i = 0; i < 17; i++)
            a->admin_hwaddr[i] = (char)tolower((unsigned char)hw[i]);
        a->admin_hwaddr[17] = '\0';
    }
    if (rc < 0)
        goto out;
    if (!proto) {
        rc = fail(c, n,
                  "<admin-interface> needs proto=\"dhcp\" or "
                  "proto=\"static\"");
        goto out;
    }
    if (!strcmp(proto, "dhcp"))
        a->proto = AF_PROTO_DHCP;
    else if (!strcmp(proto, "static"))
        a->proto = AF_PROTO_STATIC;
    else {
        rc = fail(c, n,
                  "proto '%s' is not supported: use dhcp or static "
                  "(xenplay has no IPv6-only management yet)",
                  proto);
        goto out;
    }
    if (vlan) {
        char *end;
        long v = strtol(vlan, &end, 10);

        if (*end || v < 1 || v > 4094) {
            rc = fail(c, n, "vlan '%s' is not a VLAN id from 1 to 4094", vlan);
            goto out;
        }
        a->vlan = (int)v;
    }
    rc = p_container(c, n);
    if (rc == 0 && a->proto == AF_PROTO_STATIC &&
        (!a->ipaddr[0] || !a->subnet[0]))
        rc = fail(c, n,
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
    int rc = text_of(c, n, v, sizeof(v), 0);

    if (rc == 0)
        rc = ipv4(c, n, v);
    if (rc == 0)
        memcpy(dst, v, sizeof(v));
    return rc;
}

static int p_ipaddr(struct ctx *c, const xmlNode *n)
{
    return p_ip_field(c, n, c->a->ipaddr);
}

static int p_subnet(struct ctx *c, const xmlNode *n)
{
    int rc = p_ip_field(c, n, c->a->subnet);

    if (rc == 0 && netmask_prefix(c->a->subnet) < 1)
        rc = fail(c, n, "<%s> '%s' is not a netmask like 255.255.255.0",
                  n->name, c->a->subnet);
    return rc;
}

static int p_gateway(struct ctx *c, const xmlNode *n)
{
    return p_ip_field(c, n, c->a->gateway);
}

static int p_name_server(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char v[46];
    int rc;

    if (a->nname_servers >= AF_MAX_LIST)
        return fail(c, n, "more than %d name servers", AF_MAX_LIST);
    rc = text_of(c, n, v, sizeof(v), 0);
    if (rc == 0)
        rc = ipv4(c, n, v);
    if (rc == 0)
        memcpy(a->name_servers[a->nname_servers++], v, sizeof(v));
    return rc;
}

int af_valid_hostname(const char *v, char *why, size_t len)
{
    const char *p;

    for (p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.') {
            snprintf(why, len, "'%s' has a character that is not allowed: '%c'",
                     v, *p);
            return -EINVAL;
        }
    for (p = v; *p;) {
        size_t l = strcspn(p, ".");

        if (l == 0 || l > 63 || p[0] == '-' || p[l - 1] == '-') {
            snprintf(why, len,
                     "'%s' is not a valid host name (labels of 1 to 63 "
                     "letters, digits and inner hyphens, joined by dots)",
                     v);
            return -EINVAL;
        }
        p += l;
        if (*p && !*++p) { /* a trailing dot */
            snprintf(why, len,
                     "'%s' is not a valid host name (it ends "
                     "with a dot)",
                     v);
            return -EINVAL;
        }
    }
    if (!*v || strlen(v) > 253) {
        snprintf(why, len,
                 "'%s' is not a valid host name (1 to 253 characters)", v);
        return -EINVAL;
    }
    return 0;
}

int af_valid_mac(const char *v, char *why, size_t len)
{
    for (int i = 0; i < 17; i++) {
        int hex = i % 3 != 2;

        if (hex ? !isxdigit((unsigned char)v[i]) : v[i] != ':') {
            snprintf(why, len,
                     "'%s' is not a MAC address like 00:16:3e:12:34:56", v);
            return -EINVAL;
        }
    }
    if (v[17]) {
        snprintf(why, len, "'%s' is not a MAC address like 00:16:3e:12:34:56",
                 v);
        return -EINVAL;
    }
    return 0;
}

static int p_hostname(struct ctx *c, const xmlNode *n)
{
    char *v = c->a->hostname, why[512];
    int rc = text_of(c, n, v, sizeof(c->a->hostname), 0);

    if (rc == 0 && af_valid_hostname(v, why, sizeof(why)) < 0)
        rc = fail(c, n, "<hostname> %s", why);
    return rc;
}

static int p_timezone(struct ctx *c, const xmlNode *n)
{
    char *v = c->a->timezone;
    int rc = text_of(c, n, v, sizeof(c->a->timezone), 0);

    if (rc == 0)
        rc = charset(c, n, v, "/_+-");
    if (rc == 0 && (v[0] == '/' || strstr(v, "..")))
        rc = fail(c, n, "<timezone> '%s' is not a zone like Europe/Berlin", v);
    return rc;
}

static int p_ntp(struct ctx *c, const xmlNode *n)
{
    char *src = attr(n, "source");
    int rc = 0;

    if (!src)
        rc = fail(c, n, "<ntp> needs source=\"dhcp|default|manual|none\"");
    else if (!strcmp(src, "dhcp"))
        c->a->ntp = AF_NTP_DHCP;
    else if (!strcmp(src, "default"))
        c->a->ntp = AF_NTP_DEFAULT;
    else if (!strcmp(src, "manual"))
        c->a->ntp = AF_NTP_MANUAL;
    else if (!strcmp(src, "none"))
        c->a->ntp = AF_NTP_NONE;
    else
        rc = fail(c, n,
                  "<ntp> source '%s' is not dhcp, default, manual "
                  "or none",
                  src);
    xmlFree(src);
    return rc;
}

static int p_ntp_server(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char v[256];
    int rc;

    if (a->nntp_servers >= AF_MAX_LIST)
        return fail(c, n, "more than %d NTP servers", AF_MAX_LIST);
    rc = text_of(c, n, v, sizeof(v), 0);
    if (rc == 0)
        rc = charset(c, n, v, "-.:");
    if (rc == 0)
        memcpy(a->ntp_servers[a->nntp_servers++], v, sizeof(v));
    return rc;
}

static int p_keymap(struct ctx *c, const xmlNode *n)
{
    int rc = text_of(c, n, c->a->keymap, sizeof(c->a->keymap), 0);

    return rc == 0 ? charset(c, n, c->a->keymap, "-_.") : rc;
}

int answerfile_hash_password(const char *password, char *hash, size_t len)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data *cd = calloc(1, sizeof(*cd));
    const char *h;
    int rc = 0;

    if (!cd)
        return -ENOMEM;
    if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) ||
        !(h = crypt_r(password, salt, cd)) || h[0] == '*')
        rc = errno ? -errno : -EINVAL;
    else if (strlen(h) >= len)
        rc = -ENAMETOOLONG;
    else
        snprintf(hash, len, "%s", h);
    explicit_bzero(cd, sizeof(*cd));
    free(cd);
    return rc;
}

static int p_root_password(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char *type = attr(n, "type"), v[256];
    int rc;

    rc = text_of(c, n, v, sizeof(v), 0);
    if (rc < 0)
        goto out;
    if (!type || !strcmp(type, "plaintext")) {
        rc = answerfile_hash_password(v, a->root_hash, sizeof(a->root_hash));
        if (rc < 0) {
            rc = fail(c, n, "cannot hash the root password: %s", strerror(-rc));
            goto out;
        }
    } else if (!strcmp(type, "hash")) {
        if (!strcmp(v, "!!")) {
            a->root_hash[0] = '\0'; /* no password: a key must do */
        } else if (v[0] != '$' || crypt_checksalt(v) != CRYPT_SALT_OK) {
            rc = fail(c, n,
                      "the root password hash is not a crypt(3) hash "
                      "this system supports (make one with "
                      "'mkpasswd -m yescrypt')");
            goto out;
        } else {
            snprintf(a->root_hash, sizeof(a->root_hash), "%s", v);
        }
    } else {
        rc = fail(c, n, "root-password type '%s' is not plaintext or hash",
                  type);
        goto out;
    }
    a->root_password_set = 1;
out:
    explicit_bzero(v, sizeof(v));
    xmlFree(type);
    return rc;
}

static int p_root_ssh_key(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char *v;
    int rc;

    if (a->nroot_ssh_keys >= AF_MAX_LIST)
        return fail(c, n, "more than %d SSH keys", AF_MAX_LIST);
    v = a->root_ssh_keys[a->nroot_ssh_keys];
    rc = text_of(c, n, v, sizeof(a->root_ssh_keys[0]), 0);
    if (rc < 0)
        return rc;
    if (strncmp(v, "ssh-", 4) && strncmp(v, "ecdsa-", 6) &&
        strncmp(v, "sk-", 3))
        return fail(c, n,
                    "<root-ssh-key> does not look like an OpenSSH "
                    "public key (ssh-ed25519 AAAA... comment)");
    if (strchr(v, '\n'))
        return fail(c, n,
                    "<root-ssh-key> holds one key: use one element "
                    "per key");
    a->nroot_ssh_keys++;
    return 0;
}

static int p_ssh_root_password(struct ctx *c, const xmlNode *n)
{
    char v[8];
    int rc = text_of(c, n, v, sizeof(v), 0);

    return rc == 0 ? parse_bool(c, n, "<ssh-root-password>", v,
                                &c->a->ssh_root_password)
                   : rc;
}

static int p_script(struct ctx *c, const xmlNode *n)
{
    struct answers *a = c->a;
    char *stage = attr(n, "stage"), *type = attr(n, "type");
    struct af_script *s;
    int rc = 0, i;

    if (a->nscripts >= AF_MAX_LIST) {
        rc = fail(c, n, "more than %d scripts", AF_MAX_LIST);
        goto out;
    }
    s = &a->scripts[a->nscripts];
    for (i = 0; i < AF_STAGE_COUNT; i++)
        if (stage && !strcmp(stage, af_stage_name(i)))
            break;
    if (i == AF_STAGE_COUNT) {
        rc = fail(c, n,
                  "<script> needs stage=\"installation-start\", "
                  "\"filesystem-populated\" or "
                  "\"installation-complete\"%s%s%s",
                  stage ? ", not '" : "", stage ? stage : "", stage ? "'" : "");
        goto out;
    }
    s->stage = (enum af_stage)i;
    if (type && strcmp(type, "url")) {
        rc = fail(c, n,
                  "<script> type '%s' is not supported: use "
                  "type=\"url\" with a file:// or http:// URL",
                  type);
        goto out;
    }
    rc = text_of(c, n, s->url, sizeof(s->url), 0);
    if (rc == 0 && strncmp(s->url, "file://", 7) &&
        strncmp(s->url, "http://", 7))
        rc = fail(c, n, "<script> URL '%s' is not file:// or http://", s->url);
    if (rc == 0)
        a->nscripts++;
out:
    xmlFree(stage);
    xmlFree(type);
    return rc;
}

static int p_bootloader(struct ctx *c, const xmlNode *n)
{
    char *loc = attr(n, "location"), v[16];
    int rc = text_of(c, n, v, sizeof(v), 1);

    if (rc == 0 && v[0] && strcmp(v, "grub2"))
        rc = fail(c, n,
                  "bootloader '%s' is not supported: xenplay "
                  "installs grub2",
                  v);
    if (rc == 0 && loc && strcmp(loc, "mbr"))
        rc = fail(c, n,
                  "bootloader location '%s' is not supported: "
                  "xenplay installs GRUB for BIOS (location=\"mbr\") "
                  "and UEFI together",
                  loc);
    xmlFree(loc);
    return rc;
}

static void note(struct ctx *c, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(struct ctx *c, const xmlNode *n, const char *fmt, ...)
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

static int p_source(struct ctx *c, const xmlNode *n)
{
    char *type = attr(n, "type");

    note(c, n,
         "<source type=\"%s\"> ignored: xenplay installs the root "
         "file system of the medium it booted from",
         type ? type : "local");
    xmlFree(type);
    return 0;
}

static int p_network_backend(struct ctx *c, const xmlNode *n)
{
    char v[32];
    int rc = text_of(c, n, v, sizeof(v), 0);

    if (rc == 0 && strcmp(v, "bridge"))
        note(c, n,
             "<network-backend> %s ignored: xenplay uses a Linux "
             "bridge (xenbr0)",
             v);
    return rc;
}

/* The schema ----------------------------------------------------------- */

enum { F_REQUIRED = 1, F_MULTI = 2, F_DEPRECATED = 4, F_IGNORED = 8 };

struct element {
    const char *name;
    const char *parent;
    const char *attrs; /* allowed attributes, space-separated */
    int (*parse)(struct ctx *c, const xmlNode *n);
    unsigned flags;
    const char *syntax;
    const char *help;
};

static const struct element schema[] = {
    {"primary-disk", "installation", "guest-storage gueststorage",
     p_primary_disk, F_REQUIRED,
     "<primary-disk guest-storage=\"yes|no\">DEV</primary-disk>",
     "The disk to install on (sda, /dev/nvme0n1, /dev/disk/by-id/...); it "
     "is repartitioned.  guest-storage (default yes): the rest of the disk "
     "becomes the LVM volume group for guest disks."},
    {"guest-disks", "installation", "", p_container, 0,
     "<guest-disks><guest-disk>DEV</guest-disk>...</guest-disks>",
     "More disks for the guest volume group; they are wiped."},
    {"guest-disk", "guest-disks installation", "", p_guest_disk, F_MULTI,
     "<guest-disk>DEV</guest-disk>", "One disk for the guest volume group."},
    {"admin-interface", "installation", "name hwaddr proto vlan",
     p_admin_interface, F_REQUIRED,
     "<admin-interface name=\"eth0\" | hwaddr=\"MAC\" proto=\"dhcp|static\" "
     "vlan=\"N\">",
     "The management NIC, by kernel name or MAC address; it becomes the "
     "port of the xenbr0 bridge.  proto=\"static\" needs <ipaddr> and "
     "<subnet> inside."},
    {"ipaddr", "admin-interface", "", p_ipaddr, 0, "<ipaddr>IP</ipaddr>",
     "Static IPv4 address of the management interface."},
    {"ip", "admin-interface", "", p_ipaddr, F_DEPRECATED, "<ip>IP</ip>",
     "Old name of <ipaddr>."},
    {"subnet", "admin-interface", "", p_subnet, 0,
     "<subnet>255.255.255.0</subnet>", "Netmask of the static address."},
    {"subnet-mask", "admin-interface", "", p_subnet, F_DEPRECATED,
     "<subnet-mask>MASK</subnet-mask>", "Old name of <subnet>."},
    {"gateway", "admin-interface", "", p_gateway, 0, "<gateway>IP</gateway>",
     "Default gateway of the static address."},
    {"name-server", "installation", "", p_name_server, F_MULTI,
     "<name-server>IP</name-server>", "A DNS server (static addressing)."},
    {"nameserver", "installation", "", p_name_server, F_MULTI | F_DEPRECATED,
     "<nameserver>IP</nameserver>", "Old name of <name-server>."},
    {"hostname", "installation", "", p_hostname, 0, "<hostname>NAME</hostname>",
     "The host name (default: xenplay)."},
    {"root-password", "installation", "type", p_root_password, 0,
     "<root-password type=\"plaintext|hash\">PW</root-password>",
     "The root password: plain text (hashed with yescrypt at once, never "
     "stored) or a crypt(3) hash; type=\"hash\" with '!!' sets none.  A "
     "root password or a <root-ssh-key> is required."},
    {"root-ssh-key", "installation", "", p_root_ssh_key, F_MULTI,
     "<root-ssh-key>ssh-ed25519 AAAA... comment</root-ssh-key>",
     "xenplay: a public key for root's authorized_keys."},
    {"ssh-root-password", "installation", "", p_ssh_root_password, 0,
     "<ssh-root-password>yes|no</ssh-root-password>",
     "xenplay: allow root to log in over SSH with the password (default "
     "no: keys only)."},
    {"timezone", "installation", "", p_timezone, 0,
     "<timezone>Region/City</timezone>", "The time zone (default UTC)."},
    {"ntp", "installation", "source", p_ntp, 0,
     "<ntp source=\"dhcp|default|manual|none\"/>",
     "Where NTP servers come from (systemd-timesyncd); manual uses "
     "<ntp-server>."},
    {"ntp-server", "installation", "", p_ntp_server, F_MULTI,
     "<ntp-server>HOST</ntp-server>", "An NTP server."},
    {"ntp-servers", "installation", "", p_ntp_server, F_MULTI | F_DEPRECATED,
     "<ntp-servers>HOST</ntp-servers>", "Old name of <ntp-server>."},
    {"keymap", "installation", "", p_keymap, 0, "<keymap>us</keymap>",
     "The console keymap (default us)."},
    {"script", "installation", "stage type", p_script, F_MULTI,
     "<script stage=\"installation-start|filesystem-populated|"
     "installation-complete\" type=\"url\">URL</script>",
     "A script (file:// or http://) run at that stage; "
     "filesystem-populated gets the new root's mount point, "
     "installation-complete 0 on success.  A script that fails fails the "
     "install."},
    {"bootloader", "installation", "location write-boot-entry", p_bootloader, 0,
     "<bootloader location=\"mbr\">grub2</bootloader>",
     "GRUB 2 for BIOS and UEFI; the only choice."},
    {"source", "installation", "type", p_source, F_MULTI | F_IGNORED,
     "<source type=\"local|url|nfs\">REPO</source>",
     "Accepted and ignored: the installed system is the medium's own root "
     "file system."},
    {"network-backend", "installation", "", p_network_backend, F_IGNORED,
     "<network-backend>bridge</network-backend>",
     "Accepted and ignored: xenplay always uses a Linux bridge."},
};

#define NSCHEMA (sizeof(schema) / sizeof(schema[0]))

static int attr_allowed(const char *list, const char *name)
{
    size_t n = strlen(name);
    const char *p = list;

    while ((p = strstr(p, name))) {
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
        p += n;
    }
    return 0;
}

/* Parse the element children of N against the schema. */
static int p_container(struct ctx *c, const xmlNode *n)
{
    const xmlNode *k;
    const xmlAttr *at;
    size_t i;
    int rc;

    for (k = n->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE) {
            for (const xmlChar *t = k->content; t && *t; t++)
                if (!isspace(*t))
                    return fail(c, k,
                                "text '%.20s' outside any element "
                                "in <%s>",
                                (const char *)t, n->name);
            continue;
        }
        if (k->type != XML_ELEMENT_NODE)
            continue;
        for (i = 0; i < NSCHEMA; i++)
            if (!strcmp((const char *)k->name, schema[i].name) &&
                attr_allowed(schema[i].parent, (const char *)n->name))
                break;
        if (i == NSCHEMA)
            return fail(c, k,
                        "<%s> is not supported inside <%s> (see "
                        "xenplay-install --help-answerfile)",
                        k->name, n->name);
        for (at = k->properties; at; at = at->next)
            if (!attr_allowed(schema[i].attrs, (const char *)at->name))
                return fail(c, k, "<%s> has no attribute '%s'%s%s", k->name,
                            at->name, schema[i].attrs[0] ? " (it has: " : "",
                            schema[i].attrs[0] ? schema[i].attrs : "");
        if (c->seen[i]++ && !(schema[i].flags & F_MULTI))
            return fail(c, k, "<%s> given twice", k->name);
        rc = schema[i].parse(c, k);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int netmask_prefix(const char *mask)
{
    struct in_addr in;
    uint32_t m;
    int n = 0;

    if (inet_pton(AF_INET, mask, &in) != 1)
        return -1;
    m = ntohl(in.s_addr);
    while (m & 0x80000000u) {
        n++;
        m <<= 1;
    }
    return m ? -1 : n; /* bits after the first 0: not a netmask */
}

const char *af_stage_name(enum af_stage s)
{
    static const char *const names[AF_STAGE_COUNT] = {
        "installation-start", "filesystem-populated", "installation-complete"};

    return s < AF_STAGE_COUNT ? names[s] : "?";
}

void answers_defaults(struct answers *a)
{
    memset(a, 0, sizeof(*a));
    snprintf(a->mode, sizeof(a->mode), "fresh");
    a->guest_storage = 1;
    snprintf(a->hostname, sizeof(a->hostname), "xenplay");
    snprintf(a->timezone, sizeof(a->timezone), "UTC");
    snprintf(a->keymap, sizeof(a->keymap), "us");
    snprintf(a->bootloader_location, sizeof(a->bootloader_location), "mbr");
    a->ntp = AF_NTP_DEFAULT;
}

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

int answerfile_parse(struct answers *a, const char *buf, size_t len,
                     const char *name, char *err, size_t errlen)
{
    struct ctx c = {.a = a, .name = name, .err = err, .errlen = errlen};
    xmlDoc *doc = NULL;
    xmlNode *root;
    char *mode = NULL, *sr = NULL;
    size_t i;
    int rc;

    answers_defaults(a);
    err[0] = '\0';
    if (len > 1 << 20) {
        snprintf(err, errlen, "%s: larger than 1 MiB: not an answer file",
                 name);
        return -EINVAL;
    }
    xmlSetGenericErrorFunc(NULL, silent);
    /* No network, no external entities, no DTD loading. */
    doc = xmlReadMemory(buf, (int)len, name, NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlGetLastError();

        if (name[0])
            snprintf(err, errlen, "%s:%d: not well-formed XML: %s", name,
                     e ? e->line : 0,
                     e && e->message ? e->message : "parse error\n");
        else
            snprintf(err, errlen, "not well-formed XML: %s",
                     e && e->message ? e->message : "parse error\n");
        err[strcspn(err, "\n")] = '\0';
        return -EINVAL;
    }
    root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "installation")) {
        rc = fail(&c, root,
                  "the answer file's top element is <%s>; xenplay "
                  "supports <installation> (fresh installs)",
                  root ? (const char *)root->name : "nothing");
        goto out;
    }
    for (const xmlAttr *at = root->properties; at; at = at->next)
        if (!attr_allowed("mode srtype sr-type", (const char *)at->name)) {
            rc = fail(&c, root,
                      "<installation> has no attribute '%s' (it "
                      "has: mode sr-type)",
                      at->name);
            goto out;
        }
    mode = attr(root, "mode");
    if (mode && strcmp(mode, "fresh")) {
        rc = fail(&c, root,
                  "installation mode '%s' is not supported: "
                  "xenplay installs fresh (mode=\"fresh\")",
                  mode);
        goto out;
    }
    sr = attr(root, "sr-type");
    if (!sr)
        sr = attr(root, "srtype");
    if (sr && strcmp(sr, "lvm")) {
        rc = fail(&c, root,
                  "sr-type '%s' is not supported: xenplay's guest "
                  "storage is LVM (sr-type=\"lvm\")",
                  sr);
        goto out;
    }
    rc = p_container(&c, root);
    if (rc < 0)
        goto out;
    for (i = 0; i < NSCHEMA; i++)
        if ((schema[i].flags & F_REQUIRED) && !c.seen[i]) {
            rc = fail(&c, root, "<%s> is missing: %s", schema[i].name,
                      schema[i].syntax);
            goto out;
        }
    if (!a->root_hash[0] && !a->nroot_ssh_keys) {
        rc = fail(&c, root,
                  "no way to log in: give <root-password> or "
                  "<root-ssh-key> (the installed host has no "
                  "passwordless root)");
        goto out;
    }
    if (a->ntp == AF_NTP_MANUAL && !a->nntp_servers) {
        rc = fail(&c, root,
                  "<ntp source=\"manual\"> needs at least one "
                  "<ntp-server>");
        goto out;
    }
    if (a->nntp_servers && a->ntp != AF_NTP_MANUAL &&
        a->ntp != AF_NTP_DEFAULT) {
        rc = fail(&c, root,
                  "<ntp-server> given with <ntp source> other than "
                  "manual");
        goto out;
    }
    if (a->nntp_servers)
        a->ntp = AF_NTP_MANUAL;
    for (i = 0; i < a->nguest_disks; i++)
        if (!strcmp(a->guest_disks[i], a->primary_disk)) {
            rc = fail(&c, root,
                      "%s is both the primary disk and a guest "
                      "disk",
                      a->primary_disk);
            goto out;
        }
    rc = 0;
out:
    xmlFree(mode);
    xmlFree(sr);
    xmlFreeDoc(doc);
    if (rc < 0)
        explicit_bzero(a->root_hash, sizeof(a->root_hash));
    return rc;
}

int answerfile_load(struct answers *a, const char *path, char *err,
                    size_t errlen)
{
    return answerfile_load_as(a, path, path, err, errlen);
}

int answerfile_load_as(struct answers *a, const char *path, const char *name,
                       char *err, size_t errlen)
{
    FILE *f = fopen(path, "re");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    int rc;

    if (!f) {
        rc = -errno;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return rc;
    }
    do {
        if (cap - len < 4096) {
            char *p = realloc(buf, cap + 65536);

            if (!p) {
                free(buf);
                fclose(f);
                return -ENOMEM;
            }
            buf = p;
            cap += 65536;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0 && len <= 1 << 20);
    fclose(f);
    rc = answerfile_parse(a, buf, len, name, err, errlen);
    explicit_bzero(buf, cap);
    free(buf);
    return rc;
}

/* A Markdown table cell: a '|' would end it. */
static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s, f);
    }
}

void answerfile_help(FILE *f, int md)
{
    size_t i;

    if (md)
        fprintf(f, "# xenplay answer files\n\n"
                   "<!-- Generated by `xenplay-install --help-answerfile "
                   "--markdown` from the schema table in "
                   "installer/answerfile.c: edit that, then `make "
                   "installer/answerfile.md`. -->\n\n"
                   "xenplay-install reads the XenServer/XCP-ng answer-file "
                   "format: one `<installation>` (or `<installation "
                   "mode=\"fresh\">`) element holding the elements below.  An "
                   "element that is not listed here is an error that names it "
                   "and its line; elements marked *ignored* are accepted so "
                   "that XCP-ng answer files install unchanged.  Check a file "
                   "with `xenplay-install --check FILE`.\n\n"
                   "| element | required | meaning |\n| --- | --- | --- |\n");
    else
        fprintf(f, "Answer-file elements (inside <installation "
                   "mode=\"fresh\">):\n\n");
    for (i = 0; i < NSCHEMA; i++) {
        const struct element *e = &schema[i];
        const char *req = e->flags & F_REQUIRED     ? "yes"
                          : e->flags & F_IGNORED    ? "ignored"
                          : e->flags & F_DEPRECATED ? "deprecated"
                                                    : "no";

        if (md) {
            fputs("| `", f);
            md_cell(f, e->syntax);
            fprintf(f, "`%s | %s | ", e->flags & F_MULTI ? " (repeatable)" : "",
                    req);
            md_cell(f, e->help);
            fputs(" |\n", f);
        } else
            fprintf(f, "  %s%s%s\n      %s\n", e->syntax,
                    e->flags & F_MULTI ? "  (repeatable)" : "",
                    e->flags & F_REQUIRED     ? "  (required)"
                    : e->flags & F_IGNORED    ? "  (ignored)"
                    : e->flags & F_DEPRECATED ? "  (deprecated)"
                                              : "",
                    e->help);
    }
}
