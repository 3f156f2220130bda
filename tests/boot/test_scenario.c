/*
 * Unit tests of the scenario and machine-profile parsers, on the real
 * files of tests/boot/ and on broken ones written here.
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
#include <unistd.h>

#include <cmocka.h>

#include "console.h"
#include "scenario.h"

static char tmpdir[] = "/tmp/xp-scenario-XXXXXX";

static const char *write_tmp(const char *name, const char *text)
{
    static char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void parses_steps_in_order(void **state)
{
    struct scenario s;
    char err[256] = "";
    const char *p =
        write_tmp("a.scn", "# comment\n"
                           "description Live ISO as CD\n"
                           "machine r710-ci\n"
                           "medium cdrom\n"
                           "stage grub 120 GNU GRUB\n"
                           "send 2\n"
                           "stage xen 300 Xen version 4.20\n"
                           "shell shell 600\n"
                           "check xl-list 60 xl list :: ^Domain-0 +0 \n"
                           "check uname 10 uname -a\n"
                           "fail Oops: \n");

    (void)state;
    assert_int_equal(scenario_parse(&s, "a", p, err, sizeof(err)), 0);
    assert_string_equal(s.machine, "r710-ci");
    assert_string_equal(s.medium, "cdrom");
    assert_int_equal(s.nsteps, 6);
    assert_int_equal(s.steps[0].kind, STEP_STAGE);
    assert_string_equal(s.steps[0].text, "GNU GRUB");
    assert_int_equal(s.steps[0].timeout, 120);
    assert_int_equal(s.steps[1].kind, STEP_SEND);
    assert_string_equal(s.steps[1].text, "2");
    assert_int_equal(s.steps[3].kind, STEP_SHELL);
    assert_int_equal(s.steps[4].kind, STEP_CHECK);
    assert_string_equal(s.steps[4].text, "xl list");
    assert_string_equal(s.steps[4].regex, "^Domain-0 +0");
    assert_null(s.steps[5].regex);
    /* two checks and the crash scan of the shell's boot */
    assert_int_equal(scenario_checks(&s), 3);
    assert_int_equal(s.nfail, 1);
    assert_string_equal(s.fail[0], "Oops:");
    scenario_free(&s);
}

static void rejects_with_file_and_line(void **state)
{
    struct scenario s;
    char err[256] = "";
    const char *p;

    (void)state;
    p = write_tmp("b.scn", "machine m\nmedium cdrom\nstage xen soon Xen\n");
    assert_int_equal(scenario_parse(&s, "b", p, err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, "b.scn:3:"));
    assert_non_null(strstr(err, "TIMEOUT"));

    p = write_tmp("c.scn", "machine m\nmedium cdrom\nwait 10\n");
    assert_int_equal(scenario_parse(&s, "c", p, err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, "c.scn:3: unknown keyword 'wait'"));

    p = write_tmp("d.scn", "medium cdrom\nstage a 1 x\n");
    assert_int_equal(scenario_parse(&s, "d", p, err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, "needs 'machine'"));

    /* A check that would not fit one console line: refused when read,
     * not when its machine reaches it. */
    {
        char text[1024];

        snprintf(text, sizeof(text),
                 "machine m\nmedium cdrom\ncheck long 10 %0*d :: x\n",
                 (int)FRAME_MAX - 40, 0);
        p = write_tmp("l.scn", text);
        assert_int_equal(scenario_parse(&s, "l", p, err, sizeof(err)), -EINVAL);
        assert_non_null(strstr(err, "l.scn:3: 'check long' is"));
        assert_non_null(strstr(err, "split it into two checks"));
        snprintf(text, sizeof(text),
                 "machine m\nmedium cdrom\ncheck short 10 %0*d :: x\n",
                 (int)FRAME_MAX - 80, 0);
        p = write_tmp("m.scn", text);
        assert_int_equal(scenario_parse(&s, "m", p, err, sizeof(err)), 0);
        scenario_free(&s);
    }
}

static void missing_file_is_an_error(void **state)
{
    struct scenario s;
    char err[256] = "";

    (void)state;
    assert_int_equal(
        scenario_parse(&s, "x", "/nonexistent/x.scn", err, sizeof(err)),
        -ENOENT);
    assert_non_null(strstr(err, "No such file"));
}

static void keys_are_unescaped(void **state)
{
    char k[] = "a\\r\\e\\\\b\\n\\t\\x01\\x0bz\\xg";

    (void)state;
    unescape_keys(k);
    assert_string_equal(k, "a\r\033\\b\n\t\001\013zxg");
}

static void machine_media_are_substituted(void **state)
{
    struct machine m;
    char err[256] = "";
    char **argv = NULL;
    size_t argc = 0;
    const char *p = write_tmp(
        "m.conf", "description test\n"
                  "firmware uefi\n"
                  "console com2\n"
                  "qemu -machine q35 -m 1024\n"
                  "qemu -smp 2\n"
                  "medium.cdrom -drive file=@MEDIUM@,media=cdrom -boot d\n");

    (void)state;
    assert_int_equal(machine_parse(&m, "m", p, err, sizeof(err)), 0);
    assert_int_equal(m.nqemu, 6);
    assert_string_equal(m.qemu[5], "2");
    assert_int_equal(machine_medium_args(&m, "cdrom", "/x.iso", &argv, &argc),
                     0);
    assert_int_equal(argc, 4);
    assert_string_equal(argv[1], "file=/x.iso,media=cdrom");
    assert_int_equal(machine_medium_args(&m, "usb", "/x.iso", &argv, &argc),
                     -ENOENT);
    for (size_t i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    machine_free(&m);

    p = write_tmp("n.conf", "firmware coreboot\n");
    assert_int_equal(machine_parse(&m, "n", p, err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, "n.conf:1: firmware is 'bios' or 'uefi'"));
}

static void guests_disks_and_kit(void **state)
{
    struct scenario s;
    struct machine m;
    char err[256] = "";
    char **argv = NULL;
    size_t argc = 0;
    struct subst sub[3] = {
        {"@FILE@", "/r/d.img"}, {"@ID@", "disk0"}, {"@SERIAL@", "XPS"}};
    const char *p = write_tmp("g.scn", "machine r710-ci\n"
                                       "medium cdrom\n"
                                       "disk XPSCRATCH 2G\n"
                                       "kit\n"
                                       "smp\n"
                                       "shell shell 60\n"
                                       "guest pv 300\n"
                                       "guest pvhvm 400 xen_nopv loglevel=7\n");
    unsigned long long v;

    (void)state;
    assert_int_equal(scenario_parse(&s, "g", p, err, sizeof(err)), 0);
    assert_int_equal(s.ndisks, 1);
    assert_string_equal(s.disks[0].serial, "XPSCRATCH");
    assert_true(s.disks[0].size == 2ULL << 30);
    assert_int_equal(s.kit, 1);
    assert_int_equal(s.smp, SMP_ALONE);
    assert_int_equal(s.steps[2].kind, STEP_GUEST);
    assert_string_equal(s.steps[2].name, "pvhvm");
    assert_string_equal(s.steps[2].text, "xen_nopv loglevel=7");
    assert_int_equal(scenario_checks(&s), 2 * GUEST_RESULTS + 1);
    scenario_free(&s);

    p = write_tmp("h.scn", "machine x\nmedium cdrom\nkit\nguest xen 60\n");
    assert_int_equal(scenario_parse(&s, "h", p, err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, "h.scn:4: unknown guest kind 'xen'"));
    p = write_tmp("i.scn", "machine x\nmedium cdrom\nguest pv 60\n");
    assert_int_equal(scenario_parse(&s, "i", p, err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, "add a 'kit' line"));
    p = write_tmp("k.scn", "machine x\nmedium cdrom\nsmp 2\n");
    assert_int_equal(scenario_parse(&s, "k", p, err, sizeof(err)), -EINVAL);
    assert_non_null(
        strstr(err, "k.scn:3: 'smp' takes no argument but 'shared'"));
    p = write_tmp(
        "l.scn", "machine r710-ci\nmedium cdrom\nsmp shared\nshell shell 60\n");
    assert_int_equal(scenario_parse(&s, "l", p, err, sizeof(err)), 0);
    assert_int_equal(s.smp, SMP_SHARED);
    scenario_free(&s);
    p = write_tmp("j.scn", "machine x\nmedium cdrom\ndisk X 2T0\n");
    assert_int_equal(scenario_parse(&s, "j", p, err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, "j.scn:3: 'disk' needs a SERIAL and a SIZE"));

    assert_int_equal(parse_size("512M", &v), 0);
    assert_true(v == 512ULL << 20);
    assert_int_equal(parse_size("0", &v), -EINVAL);
    assert_int_equal(parse_size("-1G", &v), -EINVAL);
    assert_int_equal(parse_size("1T", &v), -EINVAL);

    p = write_tmp("g.conf", "firmware bios\nconsole com1\nqemu -m 1\n"
                            "attach.disk -drive file=@FILE@,id=@ID@ "
                            "-device scsi-hd,drive=@ID@,serial=@SERIAL@\n");
    assert_int_equal(machine_parse(&m, "g", p, err, sizeof(err)), 0);
    assert_int_equal(machine_line_args(&m, "attach.disk", sub, 3, &argv, &argc),
                     0);
    assert_int_equal(argc, 4);
    assert_string_equal(argv[1], "file=/r/d.img,id=disk0");
    assert_string_equal(argv[3], "scsi-hd,drive=disk0,serial=XPS");
    assert_int_equal(machine_line_args(&m, "attach.kit", sub, 1, &argv, &argc),
                     -ENOENT);
    for (size_t i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    machine_free(&m);
}

/* Host steps parse like checks; every later boot is a result too. */
static void host_steps_and_later_boots(void **state)
{
    struct scenario s;
    char err[256] = "";
    const char *p =
        write_tmp("k.scn", "machine r710-ci\n"
                           "medium cdrom\n"
                           "disk XPTARGET 24G\n"
                           "poweroff 300\n"
                           "host inspect 900 inspect-disk \"$XP_DISK_XPTARGET\""
                           " :: ^parttype: gpt$\n"
                           "boot disk\n"
                           "check hostname 10 hostname\n"
                           "kill\n"
                           "boot medium\n");

    (void)state;
    assert_int_equal(scenario_parse(&s, "k", p, err, sizeof(err)), 0);
    assert_int_equal(s.steps[1].kind, STEP_HOST);
    assert_string_equal(s.steps[1].name, "inspect");
    assert_int_equal(s.steps[1].timeout, 900);
    assert_string_equal(s.steps[1].text, "inspect-disk \"$XP_DISK_XPTARGET\"");
    assert_string_equal(s.steps[1].regex, "^parttype: gpt$");
    /* the host step, the check, the kill after it (what the machine does
     * once its checks are done is a result of its own), and the two later
     * boots */
    assert_int_equal(scenario_checks(&s), 5);
    /* A power-off before the host step is a stage of the boot; the kill
     * after the check runs after the checks. */
    assert_int_equal(scenario_after_checks(&s, 0, 2), 2);
    assert_int_equal(scenario_after_checks(&s, 3, 5), 4);
    scenario_free(&s);
    p = write_tmp("r.scn", "machine r710-ci\n"
                           "medium cdrom\n"
                           "stage login 900 login:\n"
                           "shell shell 120\n"
                           "send systemctl poweroff\\r\n"
                           "stage acpi-s5 60 Entering ACPI S5 state\n"
                           "poweroff 60\n");
    assert_int_equal(scenario_parse(&s, "r", p, err, sizeof(err)), 0);
    /* after the shell: the power-off waits for the crash scan */
    assert_int_equal(scenario_after_checks(&s, 0, s.nsteps), 2);
    assert_int_equal(scenario_checks(&s), 2);
    scenario_free(&s);
}

/* An upgrade: a later boot from the newer medium, with its own answer
 * volume; only a medium boot names one. */
static void later_boot_from_newer_medium(void **state)
{
    struct scenario s;
    char err[256] = "";
    const char *bad[] = {"boot disk upgrade\n", "boot medium-next a/b\n",
                         "boot medium-next upgrade extra\n", "boot newer\n"};
    const char *p = write_tmp("u.scn", "machine r710-ci\n"
                                       "medium cdrom\n"
                                       "answer install-bios\n"
                                       "poweroff 300\n"
                                       "boot medium-next upgrade\n"
                                       "poweroff 300\n"
                                       "boot medium\n");

    (void)state;
    assert_int_equal(scenario_parse(&s, "u", p, err, sizeof(err)), 0);
    assert_int_equal(s.medium_next, 1);
    assert_int_equal(s.steps[1].kind, STEP_BOOTMEDIUM);
    assert_string_equal(s.steps[1].name, "medium-next");
    assert_string_equal(s.steps[1].text, "upgrade");
    assert_string_equal(s.steps[3].name, "medium");
    assert_string_equal(s.steps[3].text, "");
    scenario_free(&s);
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        char text[256];

        snprintf(text, sizeof(text), "machine r710-ci\nmedium cdrom\n%s",
                 bad[i]);
        p = write_tmp("b.scn", text);
        err[0] = '\0';
        assert_int_equal(scenario_parse(&s, "b", p, err, sizeof(err)), -EINVAL);
        assert_non_null(strstr(err, "b.scn:3:"));
    }
}

/* Every scenario in the tree parses and names a machine that parses. */
/* @XEN@ stands for Xen's version, which the harness is told once. */
static void placeholders_stand_for_one_fact(void **state)
{
    struct scenario s;
    char err[512] = "";
    const char *p = write_tmp("x.scn", "machine r710-ci\n"
                                       "medium cdrom\n"
                                       "stage xen 300 Xen version @XEN@\n"
                                       "shell shell 60\n"
                                       "check v 60 xl info :: ^xen_version +: "
                                       "@XEN@$\n");

    (void)state;
    assert_int_equal(scenario_parse(&s, "x", p, err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, "x.scn:3"));
    assert_non_null(strstr(err, "--xen-version"));
    assert_int_equal(scenario_define("@NOPE@", "1"), -ENOENT);
    assert_int_equal(scenario_define("@XEN@", "4.20"), 0);
    assert_int_equal(scenario_parse(&s, "x", p, err, sizeof(err)), 0);
    assert_string_equal(s.steps[0].text, "Xen version 4.20");
    assert_string_equal(s.steps[2].regex, "^xen_version +: 4.20$");
    scenario_free(&s);
}

/* include NAME reads NAME.inc beside the scenario, where it stands. */
static void include_reads_shared_lines(void **state)
{
    struct scenario s;
    char err[512] = "";
    const char *p;

    (void)state;
    write_tmp("common.inc", "check one 10 true\ncheck two 10 true\n");
    write_tmp("loop.inc", "include loop\n");
    p = write_tmp("inc.scn", "machine r710-ci\nmedium cdrom\n"
                             "shell shell 60\ninclude common\n"
                             "check three 10 true\n");
    assert_int_equal(scenario_parse(&s, "inc", p, err, sizeof(err)), 0);
    assert_int_equal(s.nsteps, 4);
    assert_string_equal(s.steps[1].name, "one");
    assert_string_equal(s.steps[3].name, "three");
    scenario_free(&s);
    /* With a prefix: the same checks twice, each named for its boot. */
    p = write_tmp("pre.scn", "machine r710-ci\nmedium cdrom\n"
                             "include common first\ninclude common second\n"
                             "check three 10 true\n");
    assert_int_equal(scenario_parse(&s, "pre", p, err, sizeof(err)), 0);
    assert_int_equal(s.nsteps, 5);
    assert_string_equal(s.steps[0].name, "first-one");
    assert_string_equal(s.steps[3].name, "second-two");
    assert_string_equal(s.steps[4].name, "three");
    scenario_free(&s);
    p = write_tmp("noinc.scn", "machine r710-ci\nmedium cdrom\n"
                               "include nothere\n");
    assert_int_equal(scenario_parse(&s, "noinc", p, err, sizeof(err)), -ENOENT);
    assert_non_null(strstr(err, "noinc.scn:3: cannot include"));
    p = write_tmp("loop.scn", "machine r710-ci\nmedium cdrom\n"
                              "include loop\n");
    assert_int_equal(scenario_parse(&s, "loop", p, err, sizeof(err)), -ELOOP);
    assert_non_null(strstr(err, "loop.inc:1: includes nested"));
}

static void shipped_scenarios_parse(void **state)
{
    char err[512], path[512];
    FILE *ls;
    char name[256];
    int n = 0;

    (void)state;
    assert_int_equal(scenario_define("@XEN@", "4.20"), 0);
    ls = popen("cd tests/boot/scenarios && ls *.scn", "r");
    assert_non_null(ls);
    while (fscanf(ls, "%255s", name) == 1) {
        struct scenario s;
        struct machine m;

        name[strlen(name) - 4] = '\0';
        snprintf(path, sizeof(path), "tests/boot/scenarios/%s.scn", name);
        if (scenario_parse(&s, name, path, err, sizeof(err)) < 0)
            fail_msg("%s", err);
        snprintf(path, sizeof(path), "tests/boot/machines/%s.conf", s.machine);
        if (machine_parse(&m, s.machine, path, err, sizeof(err)) < 0)
            fail_msg("%s", err);
        {
            char **argv = NULL;
            size_t argc = 0;

            if (!strncmp(s.medium, "pxe", 3)) {
                if (machine_line_args(&m, "nic", NULL, 0, &argv, &argc) < 0)
                    fail_msg("scenario %s: machine %s has no nic to "
                             "netboot with",
                             name, m.name);
            } else if (machine_medium_args(&m, s.medium, "x", &argv, &argc) < 0)
                fail_msg("scenario %s: machine %s has no medium.%s", name,
                         m.name, s.medium);
            if (s.ndisks &&
                machine_line_args(&m, "attach.disk", NULL, 0, &argv, &argc) < 0)
                fail_msg("scenario %s: machine %s has no attach.disk", name,
                         m.name);
            if (s.kit &&
                machine_line_args(&m, "attach.kit", NULL, 0, &argv, &argc) < 0)
                fail_msg("scenario %s: machine %s has no attach.kit", name,
                         m.name);
            for (size_t i = 0; i < argc; i++)
                free(argv[i]);
            free(argv);
        }
        machine_free(&m);
        scenario_free(&s);
        n++;
    }
    pclose(ls);
    assert_true(n > 0);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_steps_in_order),
        cmocka_unit_test(rejects_with_file_and_line),
        cmocka_unit_test(missing_file_is_an_error),
        cmocka_unit_test(keys_are_unescaped),
        cmocka_unit_test(machine_media_are_substituted),
        cmocka_unit_test(guests_disks_and_kit),
        cmocka_unit_test(host_steps_and_later_boots),
        cmocka_unit_test(later_boot_from_newer_medium),
        cmocka_unit_test(placeholders_stand_for_one_fact),
        cmocka_unit_test(include_reads_shared_lines),
        cmocka_unit_test(shipped_scenarios_parse),
    };

    return cmocka_run_group_tests_name("scenario", tests, setup, teardown);
}
