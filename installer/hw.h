/*
 * hw.h: the host's disks and NICs as the installer offers them, read
 * from sysfs.  SYSROOT is "/" on a live system; the unit tests point it
 * at a captured tree.  Nothing here writes.
 */
#ifndef XENPLAY_HW_H
#define XENPLAY_HW_H

#include <limits.h>
#include <stdint.h>
#include <stddef.h>

#define HW_MAX 32

struct hw_nic {
    char name[32]; /* kernel name: enp1s0 */
    char mac[18];
    char bus[PATH_MAX]; /* the device's sysfs path, for bus order */
    int carrier;        /* 1 link up, 0 down, -1 unknown */
};

/*
 * The wired Ethernet NICs with a device behind them (not lo, bridges or
 * vifs), in bus order: the order XCP-ng numbers them eth0, eth1, ...
 * Returns how many (at most MAX).
 */
int hw_nics(const char *sysroot, struct hw_nic *out, int max);

struct hw_disk {
    char name[32];   /* sda, nvme0n1 */
    char model[64];  /* from the device, or "" */
    char serial[64]; /* or "" */
    uint64_t size;   /* bytes */
    int removable;
};

/*
 * The disks one could install on: whole block devices with a size, not
 * loop, RAM, optical, device-mapper or MD devices.  Sorted by name.
 */
int hw_disks(const char *sysroot, struct hw_disk *out, int max);

/*
 * The disk the live system booted from ("sr0", "sdb"), from the mount
 * on /run/initramfs/live in SYSROOT's /proc/self/mountinfo; "" if none.
 */
void hw_medium_disk(const char *sysroot, char *buf, size_t len);

/*
 * What is mounted on MNT, from SYSROOT's /proc/self/mountinfo: its source
 * ("/dev/loop0") into SRC and its file system type ("squashfs") into
 * FSTYPE.  0, or -ENOENT when nothing is mounted there (SRC and FSTYPE
 * then "").  The last mount on MNT counts, as for path lookups.
 */
int hw_mount_source(const char *sysroot, const char *mnt, char *src,
                    size_t srclen, char *fstype, size_t fslen);

/*
 * The first line of PATH into BUF, without its newline and trailing
 * spaces (sysfs pads some values).  0, or a negative errno.
 */
int hw_read_line(const char *path, char *buf, size_t len);

#endif
