/*
 * config.h: the files the installer writes into the installed system,
 * generated from the answers and the layout.  Pure: each function writes
 * one file's text to a stream; config_render() writes them all under a
 * directory (the new root, or a directory to review them in).
 *
 *   /etc/fstab                               by file-system UUID (the
 *                                            ext storage repository too)
 *   /etc/hostname, /etc/hosts
 *   /etc/default/grub.d/xenplay.cfg          Xen and dom0 command lines
 *                                            for Debian's update-grub
 *   /etc/systemd/network/20-xenbr0-uplink.network   the admin NIC in xenbr0
 *   /etc/systemd/network/10-xenbr0.network          DHCP or static address
 *   /etc/systemd/network/30-xenbr0.VLAN.{netdev,network}  with a VLAN
 *   /etc/ssh/sshd_config.d/50-xenplay.conf   root by key unless allowed
 *   /etc/systemd/timesyncd.conf.d/50-xenplay.conf   manual NTP servers
 *   /etc/default/keyboard                    the keymap, as console-setup
 *                                            reads it (vconsole.conf
 *                                            links to it)
 *   /root/.ssh/authorized_keys               the answer file's keys
 */
#ifndef XENPLAY_CONFIG_H
#define XENPLAY_CONFIG_H

#include <stdio.h>

#include "answerfile.h"
#include "keymap.h"
#include "layout.h"

/* What the install learns about the host, besides the answers. */
struct host_facts {
    char root[37], log[37]; /* ext4 UUIDs */
    char sr[37];  /* the ext storage repository's ext4 UUID ("": none) */
    char esp[10]; /* FAT volume id: "ABCD-1234" */
    /* The consoles the installer itself was booted with ("" for COM1 and
     * the screen): the installed host keeps them. */
    char xen_console[128];  /* "console=com2,vga com2=115200,8n1" */
    char dom0_console[128]; /* "console=hvc0 console=tty0" */
    /* The answers' keymap as an XKB keyboard (keymap_lookup). */
    struct xkb xkb;
};

/*
 * Write every file under ROOT (creating directories).  Returns 0 or a
 * negative errno, with the failing path in ERR.
 */
int config_render(const char *root, const struct answers *a,
                  const struct host_facts *ids, char *err, size_t errlen);

#endif
