/*
 * config.c: the installed system's configuration files (see config.h).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "xp-fs.h"
#include "xen-cmdline.h" /* image/xen-cmdline, by mk/xen-cmdline-h */

#define HEADER "# Written by xenplay-install from the answer file.\n"

static void gen_fstab(FILE *f, const struct answers *a,
                      const struct host_facts *ids)
{
    fprintf(f,
            HEADER
            "# <file system>  <mount point>  <type>  <options>  <dump>  "
            "<pass>\n"
            "UUID=%s  /          ext4  errors=remount-ro  0  1\n"
            "UUID=%s  /boot/efi  vfat  umask=0077         0  2\n"
            "UUID=%s  /var/log   ext4  defaults,nodev,nosuid,noexec  0  2\n",
            ids->root, ids->esp, ids->log);
    /* Guest disk files are neither devices nor programs.  nofail: a host
     * whose storage repository is missing still boots to be repaired;
     * the mount point is immutable (xenplay-install), so nothing can be
     * written there in its place.  The logical volume appears when udev's
     * coldplug in the real root has found the volume group (lvm2's
     * event activation; the initrd has no LVM): 55 s after the mount
     * was queued on an emulated host, more than systemd's default 90 s
     * wait for the device when the build machine was busy, and a mount
     * whose device timed out is not started again.  A real server's takes
     * a second; the wait only ends early when the disk is gone. */
    if (a->sr_type == AF_SR_EXT && answers_have_sr(a))
        fprintf(f,
                "UUID=%s  " SR_EXT_MOUNT
                "  ext4  defaults,nodev,nosuid,noexec,nofail,"
                "x-systemd.device-timeout=5min  0  2\n",
                ids->sr);
}

static void gen_hosts(FILE *f, const struct answers *a,
                      const struct host_facts *ids)
{
    (void)ids;
    char shortname[64];

    snprintf(shortname, sizeof(shortname), "%.*s",
             (int)strcspn(a->hostname, "."), a->hostname);
    fprintf(f, "127.0.0.1\tlocalhost\n");
    if (strcmp(shortname, a->hostname))
        fprintf(f, "127.0.1.1\t%s %s\n", a->hostname, shortname);
    else
        fprintf(f, "127.0.1.1\t%s\n", a->hostname);
    fprintf(f, "::1\t\tlocalhost ip6-localhost ip6-loopback\n"
               "ff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n");
}

/*
 * Debian's update-grub (20_linux_xen, moved before 10_linux by the
 * installer with dpkg-divert, so Xen boots by default) reads these; a
 * kernel or Xen upgrade through apt regenerates the entries with them.
 */
static void config_grub(FILE *f, const char *xen_console,
                        const char *dom0_console, const char *linux_console)
{
    /* GRUB's menu on the serial port Xen's console uses. */
    int unit = strstr(xen_console, "com2") ? 1 : 0;

    fprintf(f,
            HEADER
            "# Read by update-grub (Debian's 20_linux_xen): kernel and Xen "
            "upgrades\n# through apt regenerate the boot entries with "
            "these.\n"
            "GRUB_TIMEOUT=5\n"
            "GRUB_TERMINAL=\"console serial\"\n"
            "GRUB_SERIAL_COMMAND=\"serial --unit=%d --speed=115200\"\n"
            "GRUB_CMDLINE_XEN_DEFAULT=\"" XEN_BASE " %s\"\n"
            "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT=\"%s " DOM0_LOG "\"\n"
            "# Linux without Xen (a rescue entry) has no hvc0.\n"
            "GRUB_CMDLINE_LINUX_DEFAULT=\"%s\"\n"
            "GRUB_DISABLE_OS_PROBER=true\n",
            unit, xen_console, dom0_console, linux_console);
}

static void gen_uplink(FILE *f, const struct answers *a,
                       const struct host_facts *ids)
{
    (void)ids;
    fprintf(f, HEADER "# The management NIC, the port of xenbr0.\n[Match]\n");
    if (a->admin_hwaddr[0])
        fprintf(f, "MACAddress=%s\nType=ether\n", a->admin_hwaddr);
    else
        fprintf(f, "Name=%s\n", a->admin_name);
    fprintf(f, "\n[Network]\nBridge=xenbr0\n");
}

/* The address settings, for xenbr0 or its VLAN interface. */
static void addressing(FILE *f, const struct answers *a)
{
    size_t i;

    if (a->proto == AF_PROTO_DHCP) {
        fprintf(f, "DHCP=yes\n");
    } else {
        fprintf(f, "Address=%s/%d\n", a->ipaddr, netmask_prefix(a->subnet));
        if (a->gateway[0])
            fprintf(f, "Gateway=%s\n", a->gateway);
        for (i = 0; i < a->nname_servers; i++)
            fprintf(f, "DNS=%s\n", a->name_servers[i]);
    }
}

static void gen_bridge(FILE *f, const struct answers *a,
                       const struct host_facts *ids)
{
    (void)ids;
    fprintf(f, HEADER "[Match]\nName=xenbr0\n\n[Network]\n");
    if (a->vlan)
        fprintf(f,
                "# The host's address is on VLAN %d: no address here.\n"
                "VLAN=xenbr0.%d\nLinkLocalAddressing=no\n",
                a->vlan, a->vlan);
    else
        addressing(f, a);
    fprintf(f, "# Guests' vifs join late; do not hold up boot for them.\n"
               "ConfigureWithoutCarrier=yes\n");
    if (!a->vlan && a->proto == AF_PROTO_DHCP)
        fprintf(f, "\n[DHCPv4]\nClientIdentifier=mac\n");
}

static void gen_vlan_netdev(FILE *f, const struct answers *a,
                            const struct host_facts *ids)
{
    (void)ids;
    fprintf(f, HEADER "[NetDev]\nName=xenbr0.%d\nKind=vlan\n\n[VLAN]\nId=%d\n",
            a->vlan, a->vlan);
}

static void gen_vlan_network(FILE *f, const struct answers *a,
                             const struct host_facts *ids)
{
    (void)ids;
    fprintf(f, HEADER "[Match]\nName=xenbr0.%d\n\n[Network]\n", a->vlan);
    addressing(f, a);
}

static void gen_sshd(FILE *f, const struct answers *a,
                     const struct host_facts *ids)
{
    (void)ids;
    fprintf(f, HEADER "PermitRootLogin %s\n",
            a->ssh_root_password ? "yes" : "prohibit-password");
    if (!a->ssh_root_password)
        fprintf(f, "PasswordAuthentication no\n");
}

static void gen_timesyncd(FILE *f, const struct answers *a,
                          const struct host_facts *ids)
{
    (void)ids;
    size_t i;

    fprintf(f, HEADER "[Time]\n");
    if (a->ntp == AF_NTP_MANUAL) {
        fprintf(f, "NTP=");
        for (i = 0; i < a->nntp_servers; i++)
            fprintf(f, "%s%s", i ? " " : "", a->ntp_servers[i]);
        fprintf(f, "\n");
    } else if (a->ntp == AF_NTP_DHCP) {
        fprintf(f, "# Servers from DHCP (networkd passes them on).\n"
                   "FallbackNTP=\n");
    } else {
        fprintf(f, "# Debian's default servers.\n");
    }
}

static int chmod_parent(const char *path, mode_t mode)
{
    char buf[PATH_MAX], *slash;

    snprintf(buf, sizeof(buf), "%s", path);
    slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    return chmod(buf, mode) < 0 ? -errno : 0;
}

struct out {
    const char *path;
    mode_t mode;
    int want; /* write this file */
    void (*gen)(FILE *f, const struct answers *a, const struct host_facts *ids);
};

static void gen_hostname(FILE *f, const struct answers *a,
                         const struct host_facts *i)
{
    (void)i;
    fprintf(f, "%s\n", a->hostname);
}
static void gen_grub(FILE *f, const struct answers *a,
                     const struct host_facts *i)
{
    const char *xen = i->xen_console[0] ? i->xen_console : XEN_COM1;

    (void)a;
    config_grub(f, xen, i->dom0_console[0] ? i->dom0_console : DOM0_CONSOLE,
                strstr(xen, "com2") ? "console=tty0 console=ttyS1,115200"
                                    : "console=tty0 console=ttyS0,115200");
}
/* console-setup's file: it compiles the XKB keyboard into the console's
 * keymap (setupcon), and keyboard-setup.service loads that at boot.
 * KEYMAP= is for readers of vconsole.conf (systemd-localed). */
static void gen_vconsole(FILE *f, const struct answers *a,
                         const struct host_facts *i)
{
    fprintf(f,
            "# Written by xenplay-install: the console keymap <keymap>%s"
            "</keymap>.\n"
            "KEYMAP=%s\n"
            "XKBMODEL=\"%s\"\n"
            "XKBLAYOUT=\"%s\"\n"
            "XKBVARIANT=\"%s\"\n"
            "XKBOPTIONS=\"%s\"\n"
            "BACKSPACE=\"guess\"\n",
            a->keymap, a->keymap, i->xkb.model, i->xkb.layout, i->xkb.variant,
            i->xkb.options);
}
static void gen_keys(FILE *f, const struct answers *a,
                     const struct host_facts *i)
{
    size_t k;

    (void)i;
    for (k = 0; k < a->nroot_ssh_keys; k++)
        fprintf(f, "%s\n", a->root_ssh_keys[k]);
}

int config_render(const char *root, const struct answers *a,
                  const struct host_facts *ids, char *err, size_t errlen)
{
    char vnetdev[64], vnetwork[64];
    const struct out outs[] = {
        {"etc/fstab", 0644, 1, gen_fstab},
        {"etc/hostname", 0644, 1, gen_hostname},
        {"etc/hosts", 0644, 1, gen_hosts},
        {"etc/default/grub.d/xenplay.cfg", 0644, 1, gen_grub},
        {"etc/systemd/network/20-xenbr0-uplink.network", 0644, 1, gen_uplink},
        {"etc/systemd/network/10-xenbr0.network", 0644, 1, gen_bridge},
        {vnetdev, 0644, a->vlan != 0, gen_vlan_netdev},
        {vnetwork, 0644, a->vlan != 0, gen_vlan_network},
        {"etc/ssh/sshd_config.d/50-xenplay.conf", 0644, 1, gen_sshd},
        {"etc/systemd/timesyncd.conf.d/50-xenplay.conf", 0644,
         a->ntp != AF_NTP_NONE, gen_timesyncd},
        /* Debian's systemd makes /etc/vconsole.conf a link to this file
         * at every boot (tmpfiles.d/debian.conf, L+): the keymap goes
         * where the link points, a file of its own would not last. */
        {"etc/default/keyboard", 0644, 1, gen_vconsole},
        {"root/.ssh/authorized_keys", 0600, a->nroot_ssh_keys > 0, gen_keys},
    };
    char path[PATH_MAX];
    size_t i;
    FILE *f;
    int rc;

    snprintf(vnetdev, sizeof(vnetdev),
             "etc/systemd/network/30-xenbr0.%d.netdev", a->vlan);
    snprintf(vnetwork, sizeof(vnetwork),
             "etc/systemd/network/30-xenbr0.%d.network", a->vlan);
    for (i = 0; i < sizeof(outs) / sizeof(*outs); i++) {
        if (!outs[i].want)
            continue;
        snprintf(path, sizeof(path), "%s/%s", root, outs[i].path);
        rc = xp_mkdir_p(path, 1);
        if (rc == 0) {
            f = fopen(path, "we");
            if (!f) {
                rc = -errno;
            } else if (strstr(outs[i].path, "/.ssh/") &&
                       (rc = chmod_parent(path, 0700)) < 0) {
                fclose(f);
            } else {
                outs[i].gen(f, a, ids);
                if (fchmod(fileno(f), outs[i].mode) < 0 || ferror(f))
                    rc = -EIO;
                if (fclose(f) != 0 && rc == 0)
                    rc = -errno;
            }
        }
        if (rc < 0) {
            snprintf(err, errlen, "cannot write %s: %s", path, strerror(-rc));
            return rc;
        }
    }
    return 0;
}
