/*
 * answerfile.c: the XenServer/XCP-ng answer-file schema xenplay supports,
 * as one table, the walk of a document (libxml2) over it, and its help.
 * The element parsers are in af-elements.c, the rules for values in
 * values.c.  See answerfile.h.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "af-elements.h"
#include "keymap.h"
#include "layout.h"

/* The schema ----------------------------------------------------------- */

/* F_REQUIRED: in a fresh install.  F_UPGRADE: has a meaning in an
 * upgrade too (the others are the old host's, carried over). */
enum {
    F_REQUIRED = 1,
    F_MULTI = 2,
    F_DEPRECATED = 4,
    F_IGNORED = 8,
    F_UPGRADE = 16
};

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
     "becomes the guest storage repository (see srtype)."},
    {"guest-disks", "installation", "", p_container, 0,
     "<guest-disks><guest-disk>DEV</guest-disk>...</guest-disks>",
     "More disks for the guest storage repository; they are wiped."},
    {"guest-disk", "guest-disks installation", "", p_guest_disk, F_MULTI,
     "<guest-disk>DEV</guest-disk>",
     "One disk for the guest storage repository."},
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
    {"time-config-method", "installation", "", p_time_config_method, 0,
     "<time-config-method>ntp|dhcp|manual</time-config-method>",
     "XCP-ng's older form of <ntp>: ntp (servers from <ntp-server>, else "
     "the default ones), dhcp (from the DHCP server), manual (no NTP).  "
     "With <ntp> too, the two must agree."},
    {"ntp-server", "installation", "", p_ntp_server, F_MULTI,
     "<ntp-server>HOST</ntp-server>", "An NTP server."},
    {"ntp-servers", "installation", "", p_ntp_server, F_MULTI | F_DEPRECATED,
     "<ntp-servers>HOST</ntp-servers>", "Old name of <ntp-server>."},
    {"keymap", "installation", "", p_keymap, 0, "<keymap>us</keymap>",
     "The console keymap (default us): a console name of systemd's "
     "/" KBD_MODEL_MAP " (us, de, fr, uk, ...), checked "
     "before the disk is written; console-setup loads it at boot."},
    {"script", "installation", "stage type", p_script, F_MULTI | F_UPGRADE,
     "<script stage=\"installation-start|filesystem-populated|"
     "installation-complete\" type=\"url\">URL</script>",
     "A script (file:// or http://) run at that stage; "
     "filesystem-populated gets the new root's mount point, "
     "installation-complete 0 on success.  A script that fails fails the "
     "install."},
    {"bootloader", "installation", "location write-boot-entry", p_bootloader,
     F_UPGRADE, "<bootloader location=\"mbr\">grub2</bootloader>",
     "GRUB 2 for BIOS and UEFI; the only choice."},
    {"source", "installation", "type", p_source, F_MULTI | F_UPGRADE,
     "<source type=\"local|url|nfs\">REPO</source>",
     "Where the installed host's apt finds xenplay's packages: type=\"url\" "
     "names a xenplay medium on an HTTP server (an ISO's contents or make "
     "pxe's bundle), whose debian/ is the repository; local (the default) "
     "keeps a copy of the repository of the medium the install runs from "
     "on the host; nfs is accepted and ignored. The installed root file "
     "system is always the medium's own."},
    {"network-backend", "installation", "", p_network_backend,
     F_IGNORED | F_UPGRADE, "<network-backend>bridge</network-backend>",
     "Accepted and ignored: xenplay always uses a Linux bridge."},
    {"existing-installation", "installation", "", p_existing_disk, F_UPGRADE,
     "<existing-installation>DEV</existing-installation>",
     "With mode=\"upgrade\" (and then required): the disk the host to "
     "upgrade is installed on.  The upgrade writes this medium's xenplay to "
     "the root partition not in use and carries the host's configuration "
     "over (xenplay-install --help-upgrade); the old root stays as the "
     "\"previous version\".  Elements without a meaning in an upgrade (the "
     "host's settings: it keeps its own) are accepted with a note."},
    {"backup-disk", "restore", "", p_existing_disk, 0,
     "<restore><backup-disk>DEV</backup-disk></restore>",
     "A restore (XCP-ng's <restore> answer file, required there): the disk "
     "whose previous version, the root partition an upgrade left, boots "
     "again by default."},
};

#define NSCHEMA (sizeof(schema) / sizeof(schema[0]))

/* Where the guests' disks go (XCP-ng's srtype): one source for the
 * parser, its errors and the help. */
#define SR_TYPES "lvm|ext"
#define SR_HELP                                                                \
    "srtype (or sr-type) is where the guests' disks go: lvm (the "             \
    "default), logical volumes of the volume group " VG_NAME " made of the "   \
    "rest of the primary disk and the guest disks; ext, files on one ext4 "    \
    "file system on that volume group, mounted at " SR_EXT_MOUNT " (XCP-ng's " \
    "thin, file-based local storage)."

static size_t schema_index(const char *name)
{
    size_t i;

    for (i = 0; i < NSCHEMA && strcmp(schema[i].name, name); i++)
        ;
    return i;
}

/* <time-config-method> and <ntp> say the same thing, or it is an error. */
static int reconcile_time(struct ctx *c)
{
    struct answers *a = c->a;
    enum af_ntp m = c->time_ntp;
    int agree;

    if (!c->time_method)
        return 0;
    if (!c->seen[schema_index("ntp")]) {
        a->ntp = m;
        return 0;
    }
    agree = m == AF_NTP_DEFAULT ? a->ntp != AF_NTP_NONE : a->ntp == m;
    if (!agree)
        return af_fail(c, c->time_method,
                       "<time-config-method> and <ntp source> disagree: "
                       "give one of them");
    return 0;
}

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
int p_container(struct ctx *c, const xmlNode *n)
{
    const xmlNode *k;
    const xmlAttr *at;
    size_t i;
    int rc;

    for (k = n->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE) {
            for (const xmlChar *t = k->content; t && *t; t++)
                if (!isspace(*t))
                    return af_fail(c, k,
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
            return af_fail(c, k,
                           "<%s> is not supported inside <%s> (see "
                           "xenplay-install --help-answerfile)",
                           k->name, n->name);
        for (at = k->properties; at; at = at->next)
            if (!attr_allowed(schema[i].attrs, (const char *)at->name))
                return af_fail(c, k, "<%s> has no attribute '%s'%s%s", k->name,
                               at->name, schema[i].attrs[0] ? " (it has: " : "",
                               schema[i].attrs[0] ? schema[i].attrs : "");
        if (c->seen[i]++ && !(schema[i].flags & F_MULTI))
            return af_fail(c, k, "<%s> given twice", k->name);
        rc = schema[i].parse(c, k);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/*
 * <installation mode="upgrade">: the disk, and what has a meaning in an
 * upgrade; the host's own settings are the old host's (carried over), so
 * an element that would set one is accepted with a note.
 */
static int upgrade_answers(struct ctx *c, const xmlNode *root)
{
    int rc = p_container(c, root);

    if (rc < 0)
        return rc;
    if (!c->a->existing_disk[0])
        return af_fail(c, root,
                       "mode=\"upgrade\" needs "
                       "<existing-installation>DEV</existing-installation>: "
                       "the disk the host is installed on");
    for (size_t i = 0; i < NSCHEMA; i++)
        if (c->seen[i] && !(schema[i].flags & (F_UPGRADE | F_IGNORED)))
            af_note(c, root,
                    "<%s> is ignored in an upgrade: the host keeps its own "
                    "(xenplay-install --help-upgrade)",
                    schema[i].name);
    return 0;
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
    if (root && !strcmp((const char *)root->name, "restore")) {
        snprintf(a->mode, sizeof(a->mode), "restore");
        rc = p_container(&c, root);
        if (rc == 0 && !a->existing_disk[0])
            rc = af_fail(&c, root,
                         "<restore> needs <backup-disk>DEV</backup-disk>: "
                         "the disk the host is installed on");
        goto out;
    }
    if (!root || strcmp((const char *)root->name, "installation")) {
        rc = af_fail(&c, root,
                     "the answer file's top element is <%s>; xenplay "
                     "supports <installation> (an install or an upgrade) "
                     "and <restore>",
                     root ? (const char *)root->name : "nothing");
        goto out;
    }
    for (const xmlAttr *at = root->properties; at; at = at->next)
        if (!attr_allowed("mode srtype sr-type", (const char *)at->name)) {
            rc = af_fail(&c, root,
                         "<installation> has no attribute '%s' (it "
                         "has: mode srtype)",
                         at->name);
            goto out;
        }
    mode = af_attr(root, "mode");
    if (mode && strcmp(mode, "fresh") && strcmp(mode, "upgrade")) {
        rc = af_fail(&c, root,
                     "installation mode '%s' is not one xenplay has: "
                     "mode=\"fresh\" (the default) or mode=\"upgrade\"",
                     mode);
        goto out;
    }
    if (mode && !strcmp(mode, "upgrade")) {
        snprintf(a->mode, sizeof(a->mode), "upgrade");
        rc = upgrade_answers(&c, root);
        goto out;
    }
    sr = af_attr(root, "sr-type");
    if (!sr)
        sr = af_attr(root, "srtype");
    if (sr && !strcmp(sr, "ext")) {
        a->sr_type = AF_SR_EXT;
    } else if (sr && strcmp(sr, "lvm")) {
        rc = af_fail(&c, root,
                     "srtype '%s' is not one xenplay has: give "
                     "srtype=\"lvm\" (guest disks as logical volumes, the "
                     "default) or srtype=\"ext\" (guest disks as files on "
                     "ext4)",
                     sr);
        goto out;
    }
    rc = p_container(&c, root);
    if (rc == 0)
        rc = reconcile_time(&c);
    if (rc < 0)
        goto out;
    if (a->existing_disk[0]) {
        rc = af_fail(&c, root,
                     "<existing-installation> is for an upgrade: give "
                     "<installation mode=\"upgrade\">, or drop it for a "
                     "fresh install");
        goto out;
    }
    for (i = 0; i < NSCHEMA; i++)
        if ((schema[i].flags & F_REQUIRED) && !c.seen[i]) {
            rc = af_fail(&c, root, "<%s> is missing: %s", schema[i].name,
                         schema[i].syntax);
            goto out;
        }
    if (!a->root_hash[0] && !a->nroot_ssh_keys) {
        rc = af_fail(&c, root,
                     "no way to log in: give <root-password> or "
                     "<root-ssh-key> (the installed host has no "
                     "passwordless root)");
        goto out;
    }
    if (a->ntp == AF_NTP_MANUAL && !a->nntp_servers) {
        rc = af_fail(&c, root,
                     "<ntp source=\"manual\"> needs at least one "
                     "<ntp-server>");
        goto out;
    }
    if (a->nntp_servers && a->ntp != AF_NTP_MANUAL &&
        a->ntp != AF_NTP_DEFAULT) {
        rc = af_fail(&c, root,
                     "<ntp-server> given, but the NTP servers are to come "
                     "from %s: drop one or the other",
                     a->ntp == AF_NTP_DHCP ? "DHCP" : "nowhere (NTP off)");
        goto out;
    }
    if (a->nntp_servers)
        a->ntp = AF_NTP_MANUAL;
    for (i = 0; i < a->nguest_disks; i++)
        if (!strcmp(a->guest_disks[i], a->primary_disk)) {
            rc = af_fail(&c, root,
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
                   "mode=\"fresh\" srtype=\"" SR_TYPES "\">`) element holding "
                   "the elements below.  " SR_HELP "  `<installation "
                   "mode=\"upgrade\">` upgrades the host on its "
                   "`<existing-installation>` disk, and a `<restore>` "
                   "answer file boots the version before again (see "
                   "README's \"Upgrading and restoring\").  An "
                   "element that is not listed here is an error that names it "
                   "and its line; elements marked *ignored* are accepted so "
                   "that XCP-ng answer files install unchanged.  Check a file "
                   "with `xenplay-install --check FILE`.\n\n"
                   "| element | required | meaning |\n| --- | --- | --- |\n");
    else
        fprintf(f, "Answer-file elements, inside <installation mode=\"fresh\" "
                   "srtype=\"" SR_TYPES "\">.\n" SR_HELP
                   "\n<installation mode=\"upgrade\"> upgrades the host on "
                   "its <existing-installation>; <restore> boots the version "
                   "before again (xenplay-install --help-upgrade).\n\n");
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
