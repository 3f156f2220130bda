/*
 * layout.h: the disk layout of an installed xenplay host, planned before
 * anything is written (xenplay-install --dry-run prints it).
 *
 *   1  bios     BIOS boot partition, 1 MiB (GRUB's core image, BIOS)
 *   2  esp      EFI system partition, 512 MiB, FAT32, /boot/efi
 *   3  root-a   the root file system, 8 GiB, ext4, /
 *   4  root-b   as large as root-a, left empty for an upgrade or restore
 *   5  log      4 GiB, ext4, /var/log (a full log cannot fill /)
 *   6  sr       the rest: LVM physical volume of the guests' volume group
 *                (with guest-storage; without it the rest stays free)
 *
 * The guests' volume group, VG_NAME, is made of the sr partition and the
 * answer file's guest disks.  Its logical volumes are the guests' disks,
 * or (srtype="ext") it holds one, SR_EXT_LV, with an ext4 file system
 * mounted at SR_EXT_MOUNT, where the guests' disks are files.
 *
 * GPT, every partition aligned to 1 MiB.  Nothing here prints or writes.
 */
#ifndef XENPLAY_LAYOUT_H
#define XENPLAY_LAYOUT_H

#include <stdint.h>
#include <stdio.h>

#define VG_NAME      "xenplay-sr"
#define SR_EXT_LV    "sr"
#define SR_EXT_MOUNT "/var/lib/xenplay/sr"

#define MiB (1024ULL * 1024ULL)
#define GiB (1024ULL * MiB)

enum part_id { P_BIOS, P_ESP, P_ROOT_A, P_ROOT_B, P_LOG, P_SR, P_COUNT };

struct part {
    const char *name;  /* "root-a" */
    const char *label; /* GPT partition name: "xenplay-root-a" */
    const char *type;  /* GPT type GUID */
    const char *fs;    /* "ext4", "vfat", "lvm", NULL: none */
    const char *mount; /* "/", "/boot/efi", NULL */
    uint64_t start;    /* bytes */
    uint64_t size;     /* bytes */
};

struct layout {
    uint64_t disk_size; /* bytes */
    unsigned sector_size;
    int guest_storage;
    struct part p[P_COUNT];
    int np; /* P_COUNT with guest storage, P_SR without */
};

/* The smallest disk the layout fits on. */
uint64_t layout_min_size(int guest_storage);

/*
 * Plan the layout of a DISK_SIZE-byte disk with SECTOR_SIZE-byte logical
 * sectors.  -ENOSPC with ERR saying how much is needed when it does not
 * fit, -EINVAL for a sector size GPT cannot use.
 */
int layout_plan(struct layout *l, uint64_t disk_size, unsigned sector_size,
                int guest_storage, char *err, size_t errlen);

/* The plan for a person: one line per partition. */
void layout_print(FILE *f, const struct layout *l, const char *disk);

/* The GPT partition name of part ID ("xenplay-root-a"). */
const char *layout_label(enum part_id id);

/* Human-readable size: "8.0 GiB". */
const char *layout_size(uint64_t bytes, char *buf, size_t len);

#endif
