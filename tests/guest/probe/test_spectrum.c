/*
 * Unit tests of the probe's verdicts, on /proc, /sys and kernel-log trees
 * captured from real guests (tests/guest/probe/fixtures/KIND, made with
 * `xp-probe --dump` in each guest of the boot tests and undump): the four
 * Xen guest kinds, and a KVM guest for "any Linux, Xen or not".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spectrum.h"

#ifndef FIXTURES
#define FIXTURES "tests/guest/probe/fixtures"
#endif

static void probe(struct spectrum *sp, const char *name)
{
    char root[256];

    snprintf(root, sizeof(root), FIXTURES "/%s", name);
    assert_int_equal(spectrum_probe(sp, root, NULL), 0);
}

static void assert_evidence(const struct spectrum *sp, enum aspect a,
                            const char *want)
{
    if (!strstr(sp->evidence[a], want))
        fail_msg("%s evidence '%s' lacks '%s'", aspect_name(a), sp->evidence[a],
                 want);
}

static void pv_guest(void **state)
{
    struct spectrum sp;

    (void)state;
    probe(&sp, "pv");
    assert_true(sp.xen);
    assert_string_equal(sp.guest_type, "PV");
    assert_int_equal(spectrum_kind(&sp), K_PV);
    assert_evidence(&sp, A_BOOT, "Booting kernel on Xen");
    assert_evidence(&sp, A_DISK, "xvda bound to driver vbd");
    assert_evidence(&sp, A_NETWORK, "bound to driver vif");
    assert_evidence(&sp, A_TIMERS, "clocksource xen");
    assert_evidence(&sp, A_SPINLOCKS, "PV spinlocks enabled");
}

static void pvh_guest(void **state)
{
    struct spectrum sp;

    (void)state;
    probe(&sp, "pvh");
    assert_string_equal(sp.guest_type, "PVH");
    assert_int_equal(spectrum_kind(&sp), K_PVH);
    assert_int_equal(sp.level[A_MEMORY], L_HARDWARE);
    assert_evidence(&sp, A_BOOT, "Xen PVH");
}

static void hvm_guest_with_nopv(void **state)
{
    struct spectrum sp;

    (void)state;
    probe(&sp, "hvm");
    assert_false(sp.xen); /* nopv: Linux does not look for Xen */
    assert_true(sp.hypervisor);
    assert_int_equal(spectrum_kind(&sp), K_HVM);
    assert_evidence(&sp, A_DISK, "bound to driver sd");
    assert_evidence(&sp, A_NETWORK, "bound to driver e1000");
    assert_evidence(&sp, A_INTERRUPTS, "no event channels");
}

static void pv_on_hvm_guest(void **state)
{
    struct spectrum sp;

    (void)state;
    probe(&sp, "pvhvm");
    assert_string_equal(sp.guest_type, "HVM");
    assert_int_equal(spectrum_kind(&sp), K_PVHVM);
    assert_evidence(&sp, A_DISK, "xen-platform-pci bound to");
    assert_evidence(&sp, A_BOOT, "Xen HVM");
}

/* Not Xen at all: nothing is called paravirtualized that is not. */
static void kvm_guest(void **state)
{
    struct spectrum sp;

    (void)state;
    probe(&sp, "kvm");
    assert_false(sp.xen);
    assert_true(sp.hypervisor);
    assert_int_equal(spectrum_kind(&sp), -1);
    assert_int_equal(sp.level[A_BOOT], L_EMULATED);
    assert_int_equal(sp.level[A_MEMORY], L_HARDWARE);
    assert_int_equal(sp.level[A_INTERRUPTS], L_EMULATED);
    assert_int_equal(sp.level[A_PRIVILEGED], L_HARDWARE);
    assert_int_equal(sp.level[A_DISK], L_PARAVIRT); /* virtio */
    assert_evidence(&sp, A_DISK, "virtio_blk");
}

/* Every aspect has evidence, and the row line parses back. */
static void row_line_round_trip(void **state)
{
    static const char *const names[] = {"pv", "pvh", "hvm", "pvhvm", "kvm"};
    enum level back[A_COUNT];
    struct spectrum sp;
    char line[512];

    (void)state;
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
        probe(&sp, names[i]);
        for (int a = 0; a < A_COUNT; a++)
            assert_true(sp.evidence[a][0] != '\0');
        assert_int_equal(spectrum_row_line(&sp, line, sizeof(line)), 0);
        assert_int_equal(strncmp(line, "xp-probe: row ", 14), 0);
        assert_int_equal(spectrum_row_parse(line + 14, back), 0);
        assert_memory_equal(back, sp.level, sizeof(back));
    }
    assert_int_equal(spectrum_row_parse("boot=emulated", back), -EINVAL);
    assert_int_equal(spectrum_row_parse("boot=emulated boot=emulated memory="
                                        "hardware interrupts=emulated "
                                        "timers=emulated spinlocks=emulated "
                                        "disk=emulated network=emulated "
                                        "privileged=hardware",
                                        back),
                     -EINVAL);
    assert_int_equal(spectrum_row_parse("boot=virtual memory=hardware "
                                        "interrupts=emulated timers=emulated "
                                        "spinlocks=emulated disk=emulated "
                                        "network=emulated privileged=hardware",
                                        back),
                     -EINVAL);
}

/* The dump of a tree names what it read and ends with the end marker. */
static void dump_lists_evidence(void **state)
{
    struct spectrum sp;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    assert_int_equal(spectrum_probe(&sp, FIXTURES "/pvhvm", f), 0);
    fclose(f);
    assert_non_null(strstr(buf, "xp-probe-dump: file proc/interrupts\n"));
    assert_non_null(strstr(buf, "xp-probe-dump: link sys/block/xvda/device/"
                                "driver "));
    assert_non_null(strstr(buf, "xp-probe-dump: end\n"));
    free(buf);
}

static void missing_root_is_an_error(void **state)
{
    struct spectrum sp;

    (void)state;
    assert_int_equal(spectrum_probe(&sp, "/nonexistent/xp", NULL), -ENOENT);
}

static void json_names_kind_and_rows(void **state)
{
    struct spectrum sp;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    probe(&sp, "pvh");
    spectrum_json(&sp, f);
    fclose(f);
    assert_non_null(strstr(buf, "\"kind\": \"pvh\""));
    assert_non_null(strstr(buf, "\"memory\": {\"level\": \"hardware\""));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pv_guest),
        cmocka_unit_test(pvh_guest),
        cmocka_unit_test(hvm_guest_with_nopv),
        cmocka_unit_test(pv_on_hvm_guest),
        cmocka_unit_test(kvm_guest),
        cmocka_unit_test(row_line_round_trip),
        cmocka_unit_test(dump_lists_evidence),
        cmocka_unit_test(missing_root_is_an_error),
        cmocka_unit_test(json_names_kind_and_rows),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
