/*
 * Unit tests of the installer's disk code: a GPT written with libfdisk to
 * a real (sparse) disk image and read back, and the in-use checks on
 * small /proc and /sys trees made here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libfdisk/libfdisk.h>

#include "disk.h"
#include "hw.h"
#include "layout.h"

static char tmp[] = "/tmp/xp-disk-XXXXXX";

static void put(const char *rel, const char *text)
{
    char path[512], cmd[600];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmp, rel);
    snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
    assert_int_equal(system(cmd), 0);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void mkdirs(const char *rel)
{
    char cmd[600];

    snprintf(cmd, sizeof(cmd), "mkdir -p '%s/%s'", tmp, rel);
    assert_int_equal(system(cmd), 0);
}

static const char *sysroot(const char *name)
{
    static char path[512];

    snprintf(path, sizeof(path), "%s/%s", tmp, name);
    return path;
}

/* A disk sda with partitions sda1 and sda2, in tree NAME. */
static void base_tree(const char *name)
{
    char rel[256];

    snprintf(rel, sizeof(rel), "%s/sys/block/sda/sda1", name);
    mkdirs(rel);
    snprintf(rel, sizeof(rel), "%s/sys/block/sda/sda2", name);
    mkdirs(rel);
    snprintf(rel, sizeof(rel), "%s/sys/class/block/sda/dev", name);
    put(rel, "8:0\n");
    snprintf(rel, sizeof(rel), "%s/sys/class/block/sda1/dev", name);
    put(rel, "8:1\n");
    snprintf(rel, sizeof(rel), "%s/sys/class/block/sda2/dev", name);
    put(rel, "8:2\n");
    snprintf(rel, sizeof(rel), "%s/proc/self/mountinfo", name);
    put(rel, "22 1 0:21 / / rw - overlay overlay rw\n"
             "30 22 8:17 / /mnt rw - ext4 /dev/sdb1 rw\n");
    snprintf(rel, sizeof(rel), "%s/proc/swaps", name);
    put(rel, "Filename Type Size Used Priority\n");
}

static void free_disk(void **state)
{
    char why[256] = "";

    (void)state;
    base_tree("free");
    assert_int_equal(disk_in_use(sysroot("free"), "/dev/sda", why, sizeof(why)),
                     0);
}

static void mounted_partition(void **state)
{
    char why[256] = "";

    (void)state;
    base_tree("mounted");
    put("mounted/proc/self/mountinfo",
        "22 1 0:21 / / rw - overlay overlay rw\n"
        "31 22 8:2 / /srv rw,relatime - ext4 /dev/sda2 rw\n");
    assert_int_equal(
        disk_in_use(sysroot("mounted"), "/dev/sda", why, sizeof(why)), 1);
    assert_string_equal(why, "/dev/sda2 is mounted on /srv (unmount it, or "
                             "force)");
}

static void active_lvm(void **state)
{
    char why[256] = "";

    (void)state;
    base_tree("lvm");
    mkdirs("lvm/sys/class/block/sda1/holders/dm-0");
    assert_int_equal(disk_in_use(sysroot("lvm"), "/dev/sda", why, sizeof(why)),
                     1);
    assert_non_null(strstr(why, "/dev/sda1 is in use by dm-0"));

    /* what a forced install takes down: the volumes, by dm name */
    {
        char names[4][128];

        mkdirs("lvm/sys/class/block/sda2/holders/dm-1");
        mkdirs("lvm/sys/class/block/sda2/holders/md0"); /* not dm */
        put("lvm/sys/block/dm-0/dm/name", "oldsr-vm1\n");
        put("lvm/sys/block/dm-1/dm/name", "oldsr-vm2\n");
        assert_int_equal(disk_dm_holders(sysroot("lvm"), "/dev/sda", names, 4),
                         2);
        assert_true(
            (!strcmp(names[0], "oldsr-vm1") &&
             !strcmp(names[1], "oldsr-vm2")) ||
            (!strcmp(names[0], "oldsr-vm2") && !strcmp(names[1], "oldsr-vm1")));
        assert_int_equal(disk_dm_holders(sysroot("lvm"), "/dev/sda", names, 1),
                         -E2BIG);
        assert_int_equal(disk_dm_holders(sysroot("free"), "/dev/sda", names, 4),
                         0);
    }
}

static void swap(void **state)
{
    char why[256] = "";

    (void)state;
    base_tree("swap");
    put("swap/proc/swaps", "Filename Type Size Used Priority\n"
                           "/dev/sda1 partition 1048572 0 -2\n");
    assert_int_equal(disk_in_use(sysroot("swap"), "/dev/sda", why, sizeof(why)),
                     1);
    assert_non_null(strstr(why, "/dev/sda1 is active swap"));
}

static void no_such_disk(void **state)
{
    char why[256] = "";

    (void)state;
    base_tree("nodisk");
    assert_int_equal(
        disk_in_use(sysroot("nodisk"), "/dev/sdz", why, sizeof(why)), -ENODEV);
    assert_non_null(strstr(why, "/dev/sdz is not a block device"));
}

/* An empty 24 GiB disk image NAME in the test's directory, as PATH. */
static void sparse_disk(char *path, size_t len, const char *name)
{
    int fd;

    snprintf(path, len, "%s/%s", tmp, name);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)(24 * GiB)), 0);
    close(fd);
}

/* Write the plan to a sparse image; libfdisk reads back what was meant. */
static void gpt_round_trip(void **state)
{
    struct fdisk_context *cxt;
    struct fdisk_table *tb = NULL;
    struct layout l;
    char img[600], err[256];

    (void)state;
    sparse_disk(img, sizeof(img), "disk.img");

    /* A first install without guest storage, then one with: the second
     * table replaces the first completely. */
    assert_int_equal(layout_plan(&l, 24 * GiB, 512, 0, err, sizeof(err)), 0);
    assert_int_equal(disk_write_gpt(img, &l, err, sizeof(err)), 0);
    assert_int_equal(layout_plan(&l, 24 * GiB, 512, 1, err, sizeof(err)), 0);
    if (disk_write_gpt(img, &l, err, sizeof(err)) < 0)
        fail_msg("%s", err);

    cxt = fdisk_new_context();
    assert_int_equal(fdisk_assign_device(cxt, img, 1), 0);
    assert_true(fdisk_is_labeltype(cxt, FDISK_DISKLABEL_GPT));
    assert_int_equal(fdisk_get_partitions(cxt, &tb), 0);
    assert_int_equal(fdisk_table_get_nents(tb), P_COUNT);
    for (int i = 0; i < P_COUNT; i++) {
        struct fdisk_partition *pa = fdisk_table_get_partition(tb, (size_t)i);
        struct fdisk_parttype *t = fdisk_partition_get_type(pa);

        assert_int_equal(fdisk_partition_get_start(pa) * 512, l.p[i].start);
        assert_int_equal(fdisk_partition_get_size(pa) * 512, l.p[i].size);
        assert_string_equal(fdisk_partition_get_name(pa), l.p[i].label);
        assert_string_equal(fdisk_parttype_get_string(t), l.p[i].type);
    }
    fdisk_unref_table(tb);
    fdisk_unref_context(cxt);
}

/* An upgrade finds an install's partitions by their GPT names, and
 * refuses a disk that holds something else. */
static void find_install_partitions(void **state)
{
    char parts[P_COUNT][64], img[600], want[700], err[256];
    uint64_t sizes[P_COUNT];
    struct layout l;

    (void)state;
    sparse_disk(img, sizeof(img), "installed.img");

    /* No partition table at all. */
    assert_int_equal(disk_find_parts(img, parts, sizes, err, sizeof(err)),
                     -ENOENT);
    assert_non_null(strstr(err, "has no GPT: it holds no xenplay install"));

    /* Without guest storage: no sr partition, the rest is there. */
    assert_int_equal(layout_plan(&l, 24 * GiB, 512, 0, err, sizeof(err)), 0);
    assert_int_equal(disk_write_gpt(img, &l, err, sizeof(err)), 0);
    if (disk_find_parts(img, parts, sizes, err, sizeof(err)) < 0)
        fail_msg("%s", err);
    snprintf(want, sizeof(want), "%s4", img);
    assert_string_equal(parts[P_ROOT_B], want);
    snprintf(want, sizeof(want), "%s2", img);
    assert_string_equal(parts[P_ESP], want);
    assert_string_equal(parts[P_SR], "");
    assert_int_equal(sizes[P_ROOT_B], l.p[P_ROOT_B].size);

    /* A GPT of someone else's: named, refused. */
    l.p[P_ROOT_B].label = "data";
    assert_int_equal(disk_write_gpt(img, &l, err, sizeof(err)), 0);
    assert_int_equal(disk_find_parts(img, parts, sizes, err, sizeof(err)),
                     -ENOENT);
    assert_non_null(strstr(err, "has no partition named 'xenplay-root-b'"));
}

static void gpt_on_missing_disk(void **state)
{
    struct layout l;
    char err[256];

    (void)state;
    assert_int_equal(layout_plan(&l, 24 * GiB, 512, 1, err, sizeof(err)), 0);
    assert_true(disk_write_gpt("/nonexistent/disk", &l, err, sizeof(err)) < 0);
    assert_non_null(strstr(err, "cannot open /nonexistent/disk for "
                                "writing"));
}

static void link_to(const char *target, const char *rel)
{
    char cmd[1200];

    snprintf(cmd, sizeof(cmd),
             "mkdir -p \"$(dirname '%s/%s')\" && ln -sfn '%s' '%s/%s'", tmp,
             rel, target, tmp, rel);
    assert_int_equal(system(cmd), 0);
}

/* Two NICs listed out of bus order, a bridge, lo and a Wi-Fi card. */
static void nics_in_bus_order(void **state)
{
    struct hw_nic n[HW_MAX];

    (void)state;
    mkdirs("hw/sys/devices/pci0000:00/0000:00:03.0");
    mkdirs("hw/sys/devices/pci0000:00/0000:00:19.0");
    mkdirs("hw/sys/devices/pci0000:00/0000:00:1c.0");
    link_to("../../../devices/pci0000:00/0000:00:19.0",
            "hw/sys/class/net/enp0s25/device");
    put("hw/sys/class/net/enp0s25/type", "1\n");
    put("hw/sys/class/net/enp0s25/address", "52:54:00:00:00:02\n");
    put("hw/sys/class/net/enp0s25/carrier", "0\n");
    link_to("../../../devices/pci0000:00/0000:00:03.0",
            "hw/sys/class/net/ens3/device");
    put("hw/sys/class/net/ens3/type", "1\n");
    put("hw/sys/class/net/ens3/address", "52:54:00:00:00:01\n");
    put("hw/sys/class/net/ens3/carrier", "1\n");
    put("hw/sys/class/net/xenbr0/type", "1\n"); /* no device: virtual */
    put("hw/sys/class/net/xenbr0/address", "52:54:00:00:00:01\n");
    put("hw/sys/class/net/lo/type", "772\n");
    link_to("../../../devices/pci0000:00/0000:00:1c.0",
            "hw/sys/class/net/wlp0s28/device");
    put("hw/sys/class/net/wlp0s28/type", "801\n");
    put("hw/sys/class/net/wlp0s28/address", "52:54:00:00:00:03\n");

    assert_int_equal(hw_nics(sysroot("hw"), n, HW_MAX), 2);
    assert_string_equal(n[0].name, "ens3");
    assert_string_equal(n[0].mac, "52:54:00:00:00:01");
    assert_int_equal(n[0].carrier, 1);
    assert_string_equal(n[1].name, "enp0s25");
    assert_int_equal(n[1].carrier, 0);
    assert_int_equal(hw_nics(sysroot("hw"), n, 1), 1);
}

static void disk_entry(const char *name, const char *sectors, const char *model)
{
    char rel[256];

    snprintf(rel, sizeof(rel), "hw/sys/block/%s/size", name);
    put(rel, sectors);
    snprintf(rel, sizeof(rel), "hw/sys/block/%s/removable", name);
    put(rel, "0\n");
    if (model) {
        snprintf(rel, sizeof(rel), "hw/sys/block/%s/device/model", name);
        put(rel, model);
    }
}

static void disks_to_install_on(void **state)
{
    struct hw_disk d[HW_MAX];

    (void)state;
    disk_entry("sdb", "41943040\n", "QEMU HARDDISK   \n");
    disk_entry("nvme0n1", "50331648\n", "QEMU NVMe Ctrl\n");
    disk_entry("sr0", "800000\n", "QEMU DVD-ROM\n");
    disk_entry("loop0", "1000\n", NULL);
    disk_entry("dm-0", "1000\n", NULL);
    disk_entry("sdc", "0\n", "Card reader\n"); /* no medium */
    assert_int_equal(hw_disks(sysroot("hw"), d, HW_MAX), 2);
    assert_string_equal(d[0].name, "nvme0n1");
    assert_true(d[0].size == 24 * GiB);
    assert_string_equal(d[0].model, "QEMU NVMe Ctrl");
    assert_string_equal(d[1].name, "sdb");
    assert_string_equal(d[1].model, "QEMU HARDDISK"); /* padding gone */
    assert_true(d[1].size == 20 * GiB);
}

/* The medium: a CD, a partition of a USB stick, or nothing. */
static void medium_is_never_a_target(void **state)
{
    char m[32];

    (void)state;
    put("hw/proc/self/mountinfo",
        "22 1 0:21 / / rw - overlay overlay rw\n"
        "25 22 11:0 / /run/initramfs/live ro - iso9660 /dev/sr0 ro\n");
    hw_medium_disk(sysroot("hw"), m, sizeof(m));
    assert_string_equal(m, "sr0");

    mkdirs("hw/sys/devices/pci0000:00/usb1/block/sdb/sdb1");
    put("hw/sys/devices/pci0000:00/usb1/block/sdb/sdb1/partition", "1\n");
    link_to("../../devices/pci0000:00/usb1/block/sdb/sdb1",
            "hw/sys/class/block/sdb1");
    put("hw/proc/self/mountinfo",
        "25 22 8:17 / /run/initramfs/live ro - iso9660 /dev/sdb1 ro\n");
    hw_medium_disk(sysroot("hw"), m, sizeof(m));
    assert_string_equal(m, "sdb");

    put("hw/proc/self/mountinfo", "22 1 0:21 / / rw - overlay overlay rw\n");
    hw_medium_disk(sysroot("hw"), m, sizeof(m));
    assert_string_equal(m, "");
}

/* The live root's image: what /run/rootfsbase is mounted from. */
static void mount_source_of_the_live_root(void **state)
{
    char src[64], t[16];

    (void)state;
    put("hw/proc/self/mountinfo",
        "25 22 11:0 / /run/initramfs/live ro - iso9660 /dev/sr0 ro\n"
        "26 22 7:0 / /run/rootfsbase ro shared:9 - squashfs /dev/loop0 ro\n"
        "22 1 0:21 / / rw - overlay overlay rw\n");
    assert_int_equal(hw_mount_source(sysroot("hw"), "/run/rootfsbase", src,
                                     sizeof(src), t, sizeof(t)),
                     0);
    assert_string_equal(src, "/dev/loop0");
    assert_string_equal(t, "squashfs");
    assert_int_equal(hw_mount_source(sysroot("hw"), "/run/elsewhere", src,
                                     sizeof(src), t, sizeof(t)),
                     -ENOENT);
    assert_string_equal(src, "");
    assert_string_equal(t, "");
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(free_disk),
        cmocka_unit_test(mounted_partition),
        cmocka_unit_test(active_lvm),
        cmocka_unit_test(swap),
        cmocka_unit_test(no_such_disk),
        cmocka_unit_test(gpt_round_trip),
        cmocka_unit_test(gpt_on_missing_disk),
        cmocka_unit_test(find_install_partitions),
        cmocka_unit_test(nics_in_bus_order),
        cmocka_unit_test(disks_to_install_on),
        cmocka_unit_test(medium_is_never_a_target),
        cmocka_unit_test(mount_source_of_the_live_root),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
