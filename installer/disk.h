/*
 * disk.h: the installer's writes to the target disk, and the checks
 * before them.  Library code: negative errno and a message in ERR.
 */
#ifndef XENPLAY_DISK_H
#define XENPLAY_DISK_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"

/*
 * Is block device DEV (or one of its partitions) in use: mounted, an
 * active swap, or held by device mapper (active LVM), MD RAID or the
 * like?  SYSROOT is "/" on a live system; the unit tests point it at a
 * captured /proc and /sys.  Returns 1 with WHY saying by what, 0 when it
 * is free, or a negative errno.
 */
int disk_in_use(const char *sysroot, const char *dev, char *why, size_t len);

/*
 * The device-mapper devices (active LVM volumes, dm-crypt) that hold DEV
 * or one of its partitions, by dm name ("oldsr-vm1") into NAMES; how
 * many, or a negative errno.  A forced install removes them first.
 */
int disk_dm_holders(const char *sysroot, const char *dev, char names[][128],
                    int max);

/*
 * Write layout L as a new GPT to DEV (a block device or an image file)
 * with libfdisk, replacing whatever partition table was there, and make
 * the kernel re-read it.
 */
int disk_write_gpt(const char *dev, const struct layout *l, char *err,
                   size_t errlen);

/*
 * The partitions of an installed xenplay host on DEV, found by their GPT
 * names (layout.h), as device paths into PART ("" for one that is not
 * there) and their sizes in bytes into SIZE.  Reads only.  0 when the boot,
 * root, log partitions are all there; -ENOENT with ERR saying which is missing;
 * another negative errno when DEV cannot be read.
 */
int disk_find_parts(const char *dev, char part[P_COUNT][64],
                    uint64_t size[P_COUNT], char *err, size_t errlen);

#endif
