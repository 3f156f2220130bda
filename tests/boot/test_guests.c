/*
 * Unit tests of the harness's side of the guest matrix: reading what
 * tests/guest/xp-guest printed, and judging a guest's spectrum row.
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

#include "guests.h"

/* What xp-guest printed for a good PV-on-HVM guest, as the console
 * delivers it (carriage returns included). */
static const char good_pvhvm[] =
    "xp-guest: result boot ok verdict 21.5 s after xl create, off after "
    "23.0 s\r\n"
    "xp-guest: time create-to-verdict=21.5 create-to-off=23.0\r\n"
    "xp-guest: result disk ok xvda pattern 0f00 written and read back; "
    "/dev/xpguests/pvhvm in dom0 holds it too\r\n"
    "xp-guest: result network ok ping 10.0.2.15 and 1024 KiB over TCP\r\n"
    "xp-probe: Boot sequence         emulated        firmware boot under a "
    "hypervisor: 'Booting paravirtualized kernel on Xen HVM'\r\n"
    "xp-probe: Interrupts            paravirtualized 9 event-channel lines\r\n"
    "xp-probe: row boot=emulated memory=hardware interrupts=paravirtualized "
    "timers=paravirtualized spinlocks=paravirtualized disk=paravirtualized "
    "network=paravirtualized privileged=hardware\r\n"
    "xp-guest: log-begin pvhvm\r\n"
    "eHAtZ3Vlc3Q6IHVwIGtpbmQ9cHZodm0KS2VybmVsIHBhbmljIC0gbm90IHN5bmNpbmc6\r\n"
    "IHRlc3QK\r\n"
    "xp-guest: log-end pvhvm\r\n";

static void parses_results_row_and_log(void **state)
{
    struct guest_result g;
    char msg[1024];

    (void)state;
    assert_int_equal(guest_parse(&g, K_PVHVM, good_pvhvm), 0);
    for (int c = 0; c < GC_COUNT; c++) {
        assert_true(g.check[c].seen);
        assert_true(g.check[c].ok);
    }
    assert_non_null(strstr(g.check[GC_DISK].msg, "xvda pattern"));
    assert_true(g.t_verdict > 21.4 && g.t_verdict < 21.6);
    assert_true(g.t_off > 22.9 && g.t_off < 23.1);
    assert_true(g.have_row);
    assert_int_equal(g.row[A_INTERRUPTS], L_PARAVIRT);
    assert_string_equal(g.evidence[A_INTERRUPTS], "9 event-channel lines");
    assert_non_null(g.log);
    assert_string_equal(g.log, "xp-guest: up kind=pvhvm\n"
                               "Kernel panic - not syncing: test\n");
    assert_int_equal(guest_spectrum_check(&g, msg, sizeof(msg)), 0);
    guest_free(&g);
}

/* A PV-on-HVM guest booted with xen_nopv looks like plain HVM: the check
 * names each row that differs, with the evidence. */
static void a_wrong_row_names_the_rows(void **state)
{
    struct guest_result g;
    char msg[2048];

    (void)state;
    assert_int_equal(
        guest_parse(&g, K_PVHVM,
                    "xp-probe: Disk                  emulated        sda "
                    "bound to driver sd (ATA QEMU HARDDISK)\n"
                    "xp-probe: row boot=emulated memory=hardware "
                    "interrupts=emulated timers=emulated spinlocks=emulated "
                    "disk=emulated network=emulated privileged=hardware\n"),
        0);
    assert_int_equal(guest_spectrum_check(&g, msg, sizeof(msg)), 1);
    assert_non_null(strstr(msg, "row 'Interrupts' is emulated, expected "
                                "paravirtualized for a pvhvm guest"));
    assert_non_null(strstr(msg, "row 'Disk' is emulated, expected "
                                "paravirtualized for a pvhvm guest "
                                "(evidence: sda bound to driver sd (ATA "
                                "QEMU HARDDISK))"));
    assert_null(strstr(msg, "Boot sequence"));
    /* Nothing but the probe: the checks were not seen, so they fail. */
    assert_false(g.check[GC_BOOT].seen);
    guest_free(&g);
}

static void no_row_is_a_failure(void **state)
{
    struct guest_result g;
    char msg[512];

    (void)state;
    assert_int_equal(
        guest_parse(&g, K_PV,
                    "xp-guest: result boot fail the guest did not power off "
                    "within 300 s\n"
                    "xp-guest: result probe fail the probe printed no row\n"
                    "xp-probe: row boot=emulated memory=hardware\n"),
        0);
    assert_true(g.check[GC_BOOT].seen);
    assert_false(g.check[GC_BOOT].ok);
    assert_string_equal(g.check[GC_BOOT].msg,
                        "the guest did not power off within 300 s");
    assert_false(g.have_row); /* a row with rows missing is no row */
    assert_int_equal(guest_spectrum_check(&g, msg, sizeof(msg)), 1);
    assert_non_null(strstr(msg, "printed no row: the probe printed no row"));
    assert_true(g.t_verdict < 0);
    guest_free(&g);
}

static void base64_ignores_line_breaks(void **state)
{
    char *out;
    size_t n;

    (void)state;
    assert_int_equal(base64_decode("aGVs\r\nbG8=\n", 11, &out, &n), 0);
    assert_int_equal(n, 5);
    assert_memory_equal(out, "hello", 5);
    free(out);
    assert_int_equal(base64_decode("", 0, &out, &n), 0);
    assert_int_equal(n, 0);
    free(out);
}

static void table_marks_differences(void **state)
{
    struct guest_result g[2];
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    assert_int_equal(guest_parse(&g[0], K_PVHVM, good_pvhvm), 0);
    assert_int_equal(guest_parse(&g[1], K_PV,
                                 "xp-probe: row boot=paravirtualized "
                                 "memory=paravirtualized "
                                 "interrupts=paravirtualized "
                                 "timers=paravirtualized "
                                 "spinlocks=paravirtualized "
                                 "disk=paravirtualized network=emulated "
                                 "privileged=paravirtualized\n"),
                     0);
    guest_table(f, "# ", g, 2);
    fclose(f);
    assert_non_null(
        strstr(buf, "# PV spectrum            pvhvm            pv"));
    assert_non_null(strstr(buf, "# Network                paravirtualized  "
                                "emulated       !"));
    assert_non_null(strstr(buf, "21.5 s"));
    free(buf);
    guest_free(&g[0]);
    guest_free(&g[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_results_row_and_log),
        cmocka_unit_test(a_wrong_row_names_the_rows),
        cmocka_unit_test(no_row_is_a_failure),
        cmocka_unit_test(base64_ignores_line_breaks),
        cmocka_unit_test(table_marks_differences),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
