/*
 * layout.c: plan an installed host's partitions (see layout.h).
 */
#include <errno.h>
#include <string.h>

#include "layout.h"

/* GPT leaves 1 MiB at the start (alignment) and 33 sectors at the end
 * for the backup table: keep a whole MiB there too. */
#define HEAD   MiB
#define TAIL   MiB
#define SR_MIN GiB

static const struct part templ[P_COUNT] = {
    [P_BIOS] = {"bios", "BIOS boot", "21686148-6449-6E6F-744E-656564454649",
                NULL, NULL, 0, MiB},
    [P_ESP] = {"esp", "EFI system", "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
               "vfat", "/boot/efi", 0, 512 * MiB},
    /* Root (x86-64) of the Discoverable Partitions Specification. */
    [P_ROOT_A] = {"root-a", "xenplay-root-a",
                  "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", "ext4", "/", 0,
                  8 * GiB},
    /* Linux data, not root: nothing should ever mount it by type. */
    [P_ROOT_B] = {"root-b", "xenplay-root-b",
                  "0FC63DAF-8483-4772-8E79-3D69D8477DE4", NULL, NULL, 0,
                  8 * GiB},
    [P_LOG] = {"log", "xenplay-log", "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
               "ext4", "/var/log", 0, 4 * GiB},
    [P_SR] = {"sr", "xenplay-sr", "E6D6D379-F507-44C2-A23C-238F2A3DF928", "lvm",
              NULL, 0, 0},
};

const char *layout_label(enum part_id id)
{
    return id < P_COUNT ? templ[id].label : NULL;
}

uint64_t layout_min_size(int guest_storage)
{
    uint64_t n = HEAD + TAIL;
    int i;

    for (i = 0; i < P_SR; i++)
        n += templ[i].size;
    return n + (guest_storage ? SR_MIN : 0);
}

const char *layout_size(uint64_t b, char *buf, size_t len)
{
    if (b >= GiB)
        snprintf(buf, len, "%.1f GiB", (double)b / (double)GiB);
    else
        snprintf(buf, len, "%llu MiB", (unsigned long long)(b / MiB));
    return buf;
}

int layout_plan(struct layout *l, uint64_t disk_size, unsigned sector_size,
                int guest_storage, char *err, size_t errlen)
{
    uint64_t at = HEAD, need = layout_min_size(guest_storage);
    char have[32], want[32], bare[32];
    int i;

    memset(l, 0, sizeof(*l));
    if (sector_size != 512 && sector_size != 4096) {
        snprintf(err, errlen, "logical sector size %u is not 512 or 4096",
                 sector_size);
        return -EINVAL;
    }
    if (disk_size < need) {
        snprintf(err, errlen,
                 "the disk is too small: %s, and xenplay needs at least %s "
                 "(%s without guest storage: guest-storage=\"no\")",
                 layout_size(disk_size, have, sizeof(have)),
                 layout_size(need, want, sizeof(want)),
                 layout_size(layout_min_size(0), bare, sizeof(bare)));
        return -ENOSPC;
    }
    l->disk_size = disk_size;
    l->sector_size = sector_size;
    l->guest_storage = guest_storage;
    l->np = guest_storage ? P_COUNT : P_SR;
    for (i = 0; i < l->np; i++) {
        l->p[i] = templ[i];
        l->p[i].start = at;
        if (i == P_SR) /* the rest, whole MiBs */
            l->p[i].size = (disk_size - TAIL - at) / MiB * MiB;
        at += l->p[i].size;
    }
    return 0;
}

void layout_print(FILE *f, const struct layout *l, const char *disk)
{
    char sz[32], dsz[32];
    int i;

    fprintf(f, "disk %s: %s, %u-byte sectors, GPT\n", disk,
            layout_size(l->disk_size, dsz, sizeof(dsz)), l->sector_size);
    fprintf(f, "  # %-7s %12s %12s %-5s %-10s %s\n", "name", "start MiB",
            "size", "fs", "mount", "GPT name");
    for (i = 0; i < l->np; i++) {
        const struct part *p = &l->p[i];

        fprintf(f, "  %d %-7s %12llu %12s %-5s %-10s %s\n", i + 1, p->name,
                (unsigned long long)(p->start / MiB),
                layout_size(p->size, sz, sizeof(sz)), p->fs ? p->fs : "-",
                p->mount ? p->mount : "-", p->label);
    }
    if (!l->guest_storage)
        fprintf(f, "  (no guest storage: the rest of the disk stays free)\n");
}
