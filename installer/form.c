/*
 * form.c: the interactive installer's answers as an answer file (see
 * form.h).  libxml2 builds the document, so whatever a person types is
 * escaped; answerfile_parse() then checks it as it checks any file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "form.h"

static xmlNode *child(xmlNode *parent, const char *name, const char *text)
{
    return xmlNewTextChild(parent, NULL, (const xmlChar *)name,
                           (const xmlChar *)text);
}

static void prop(xmlNode *n, const char *name, const char *value)
{
    xmlNewProp(n, (const xmlChar *)name, (const xmlChar *)value);
}

/* One element NAME per word of LIST (separated by spaces or commas). */
static void list(xmlNode *parent, const char *name, const char *text)
{
    char buf[256], *save = NULL, *t;

    snprintf(buf, sizeof(buf), "%s", text);
    for (t = strtok_r(buf, " ,\t", &save); t; t = strtok_r(NULL, " ,\t", &save))
        child(parent, name, t);
}

static int is_mac(const char *s)
{
    unsigned b[6];
    char end;

    return strlen(s) == 17 &&
           sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
                  &b[4], &b[5], &end) == 6;
}

int form_answerfile(const struct form *f, char **xml, struct answers *a,
                    char *err, size_t errlen)
{
    xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
    xmlNode *root, *n;
    xmlChar *buf = NULL;
    int len = 0, rc;

    *xml = NULL;
    if (!doc)
        return -ENOMEM;
    root = xmlNewNode(NULL, (const xmlChar *)"installation");
    xmlDocSetRootElement(doc, root);
    prop(root, "mode", "fresh");
    prop(root, "srtype", f->sr_ext ? "ext" : "lvm");
    /* (no double hyphen: XML comments cannot hold one) */
    xmlAddChild(root, xmlNewComment((
                          const xmlChar *)" Written by the "
                                          "xenplay interactive installer.  To "
                                          "repeat this install unattended, "
                                          "put this file on a volume labelled "
                                          "XPANSWER as answerfile.xml and pick "
                                          "the boot entry u. "));
    n = child(root, "primary-disk", f->disk);
    prop(n, "guest-storage", f->guest_storage ? "yes" : "no");
    n = xmlNewChild(root, NULL, (const xmlChar *)"admin-interface", NULL);
    prop(n, is_mac(f->nic) ? "hwaddr" : "name", f->nic);
    prop(n, "proto", f->dhcp ? "dhcp" : "static");
    if (!f->dhcp) {
        child(n, "ipaddr", f->ipaddr);
        child(n, "subnet", f->subnet);
        if (f->gateway[0])
            child(n, "gateway", f->gateway);
        list(root, "name-server", f->dns);
    }
    child(root, "hostname", f->hostname);
    child(root, "timezone", f->timezone[0] ? f->timezone : "UTC");
    child(root, "keymap", f->keymap[0] ? f->keymap : "us");
    if (f->ntp[0]) {
        prop(child(root, "ntp", NULL), "source", "manual");
        list(root, "ntp-server", f->ntp);
    } else {
        prop(child(root, "ntp", NULL), "source", f->dhcp ? "dhcp" : "default");
    }
    if (f->root_hash[0])
        prop(child(root, "root-password", f->root_hash), "type", "hash");
    if (f->ssh_key[0])
        child(root, "root-ssh-key", f->ssh_key);
    prop(child(root, "bootloader", "grub2"), "location", "mbr");

    xmlDocDumpFormatMemoryEnc(doc, &buf, &len, "UTF-8", 1);
    xmlFreeDoc(doc);
    if (!buf)
        return -ENOMEM;
    *xml = strdup((const char *)buf);
    xmlFree(buf);
    if (!*xml)
        return -ENOMEM;
    rc = answerfile_parse(a, *xml, strlen(*xml), "", err, errlen);
    if (rc < 0) {
        free(*xml);
        *xml = NULL;
    }
    return rc;
}
