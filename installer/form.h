/*
 * form.h: what the interactive installer asks, turned into an answer
 * file.  The TUI fills in a struct form; form_answerfile() writes it as
 * XCP-ng answer-file XML (with libxml2) and the same parser as for an
 * unattended install checks it, so both front ends accept exactly the
 * same settings, and the installed host keeps the file
 * (/var/log/xenplay-answerfile.xml) to repeat the install unattended.
 * Passwords go in as crypt(3) hashes only.
 */
#ifndef XENPLAY_FORM_H
#define XENPLAY_FORM_H

#include <stddef.h>

#include "answerfile.h"

struct form {
    char disk[128]; /* /dev/sda */
    int guest_storage;
    int sr_ext;   /* thin provisioning: the guests' disks as files on ext4
                     (XCP-ng's srtype="ext"), not logical volumes */
    char nic[32]; /* the admin NIC, by MAC (stable) or by name */
    int dhcp;
    char ipaddr[32], subnet[32], gateway[32];
    char dns[128]; /* name servers, separated by spaces or commas */
    char hostname[64];
    char timezone[64];
    char keymap[32];
    char ntp[256]; /* NTP servers, separated by spaces; "": DHCP's */
    char root_hash[256];
    char ssh_key[1024]; /* "" or one OpenSSH public key */
};

/*
 * FORM as an answer file in a malloc()ed, NUL-terminated *XML, checked by
 * answerfile_parse() into A.  0, or -EINVAL with ERR saying which answer
 * is wrong (without a file name or line: the person typed it).
 */
int form_answerfile(const struct form *form, char **xml, struct answers *a,
                    char *err, size_t errlen);

#endif
