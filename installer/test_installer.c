/*
 * Unit tests of the installer's answer-file parser and layout planner.
 * (installer/tests/run-cli checks the command line, the bad files and the
 * golden --dry-run output.)
 */
#define _GNU_SOURCE
#include <crypt.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "answerfile.h"
#include "layout.h"

#define AF "installer/tests/answerfiles/"

static void xcp_ng_file_installs_unchanged(void **state)
{
    struct answers a;
    char err[512];
    struct crypt_data cd = {0};

    (void)state;
    assert_int_equal(
        answerfile_load(&a, AF "xcp-ng-dhcp.xml", err, sizeof(err)), 0);
    assert_string_equal(a.primary_disk, "/dev/sda");
    assert_true(a.guest_storage);
    assert_string_equal(a.admin_name, "eth0");
    assert_int_equal(a.proto, AF_PROTO_DHCP);
    assert_string_equal(a.hostname, "xcp-host1");
    assert_string_equal(a.timezone, "Europe/Paris");
    assert_int_equal(a.ntp, AF_NTP_MANUAL);
    assert_int_equal(a.nntp_servers, 2);
    assert_string_equal(a.ntp_servers[1], "1.pool.ntp.org");
    assert_int_equal(a.nscripts, 1);
    assert_int_equal(a.scripts[0].stage, AF_STAGE_POPULATED);
    assert_string_equal(a.scripts[0].url, "http://10.0.0.1/post.sh");
    assert_int_equal(a.nnotes, 2); /* <source>, <network-backend> */
    /* The plain-text password is kept only as a yescrypt hash. */
    assert_int_equal(strncmp(a.root_hash, "$y$", 3), 0);
    assert_null(strstr(a.root_hash, "changeme"));
    assert_string_equal(crypt_r("changeme", a.root_hash, &cd), a.root_hash);
    assert_false(a.ssh_root_password);
}

static void every_other_element(void **state)
{
    struct answers a;
    char err[512];

    (void)state;
    assert_int_equal(
        answerfile_load(&a, AF "static-hash-key.xml", err, sizeof(err)), 0);
    assert_string_equal(a.primary_disk, "/dev/nvme0n1");
    assert_false(a.guest_storage);
    assert_int_equal(a.nguest_disks, 2);
    assert_string_equal(a.guest_disks[1], "/dev/sdc");
    assert_string_equal(a.admin_hwaddr, "52:54:00:ab:cd:ef");
    assert_int_equal(a.proto, AF_PROTO_STATIC);
    assert_int_equal(a.vlan, 20);
    assert_string_equal(a.ipaddr, "192.168.20.10");
    assert_string_equal(a.subnet, "255.255.255.0");
    assert_string_equal(a.gateway, "192.168.20.1");
    assert_int_equal(a.nname_servers, 2);
    assert_string_equal(a.name_servers[1], "9.9.9.9");
    assert_int_equal(strncmp(a.root_hash, "$y$j9T$F5Jx", 11), 0);
    assert_int_equal(a.nroot_ssh_keys, 1);
    assert_int_equal(strncmp(a.root_ssh_keys[0], "ssh-ed25519 ", 12), 0);
    assert_int_equal(a.ntp, AF_NTP_NONE);
    assert_string_equal(a.keymap, "de");
    assert_int_equal(a.nscripts, 2);
    assert_int_equal(a.scripts[1].stage, AF_STAGE_COMPLETE);
}

static void parse_str(const char *xml, struct answers *a, char *err, size_t len,
                      int want)
{
    int rc = answerfile_parse(a, xml, strlen(xml), "t.xml", err, len);

    if (rc != want)
        fail_msg("rc %d, wanted %d: %s", rc, want, err);
}

static void defaults_and_key_only(void **state)
{
    struct answers a;
    char err[512];

    (void)state;
    parse_str("<installation><primary-disk>vda</primary-disk>"
              "<admin-interface name='eth0' proto='dhcp'/>"
              "<root-ssh-key>ssh-ed25519 AAAA k</root-ssh-key>"
              "</installation>",
              &a, err, sizeof(err), 0);
    assert_string_equal(a.hostname, "xenplay");
    assert_string_equal(a.timezone, "UTC");
    assert_string_equal(a.keymap, "us");
    assert_int_equal(a.ntp, AF_NTP_DEFAULT);
    assert_true(a.guest_storage);
    assert_string_equal(a.root_hash, "");
}

static void malformed_inputs(void **state)
{
    static const struct {
        const char *xml, *msg;
    } cases[] = {
        {"", "t.xml:"},
        {"<installation>", "not well-formed XML"},
        {"<installation><primary-disk>sda</primary-disk><primary-disk>sdb"
         "</primary-disk></installation>",
         "<primary-disk> given twice"},
        {"<installation>junk</installation>", "text 'junk' outside"},
        {"<installation><hostname><b/></hostname></installation>",
         "<hostname> cannot contain <b>"},
        {"<installation><primary-disk>sd a</primary-disk></installation>",
         "not allowed: ' '"},
        {"<installation><primary-disk guest-storage='maybe'>sda"
         "</primary-disk></installation>",
         "guest-storage is 'maybe'"},
        {"<installation><admin-interface name='eth0'/></installation>",
         "needs proto="},
        {"<installation><admin-interface hwaddr='00:16:3e:zz:00:01' "
         "proto='dhcp'/></installation>",
         "is not a MAC address"},
        {"<installation><admin-interface name='e' proto='dhcp' "
         "vlan='4095'/></installation>",
         "vlan '4095'"},
        {"<installation><ntp source='gps'/></installation>", "source 'gps'"},
        {"<installation><root-ssh-key>AAAA</root-ssh-key></installation>",
         "OpenSSH public key"},
        {"<installation><script stage='later'>file:///x</script>"
         "</installation>",
         "stage=\"installation-start\""},
        {"<installation><script stage='installation-start'>ftp://x/y"
         "</script></installation>",
         "is not file:// or http://"},
        {"<installation><bootloader location='partition'>grub2"
         "</bootloader></installation>",
         "location 'partition'"},
        {"<installation sr-type='ext'/>", "sr-type 'ext'"},
        {"<installation><timezone>../../etc/passwd</timezone>"
         "</installation>",
         "not allowed: '.'"},
        {"<installation><timezone>/UTC</timezone></installation>",
         "is not a zone"},
        {"<installation><admin-interface name='e' proto='static'>"
         "<ipaddr>10.0.0.2</ipaddr><subnet>255.0.255.0</subnet>"
         "</admin-interface></installation>",
         "is not a netmask"},
        {"<installation><ipaddr>1.2.3.4</ipaddr></installation>",
         "<ipaddr> is not supported inside <installation>"},
    };
    struct answers a;
    char err[512];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        int rc = answerfile_parse(&a, cases[i].xml, strlen(cases[i].xml),
                                  "t.xml", err, sizeof(err));

        if (rc != -EINVAL || !strstr(err, cases[i].msg))
            fail_msg("case %zu: rc %d, message '%s' lacks '%s'", i, rc, err,
                     cases[i].msg);
    }
}

static void netmasks(void **state)
{
    (void)state;
    assert_int_equal(netmask_prefix("255.255.255.0"), 24);
    assert_int_equal(netmask_prefix("255.255.240.0"), 20);
    assert_int_equal(netmask_prefix("255.255.255.255"), 32);
    assert_int_equal(netmask_prefix("0.0.0.0"), 0);
    assert_int_equal(netmask_prefix("255.0.255.0"), -1);
    assert_int_equal(netmask_prefix("24"), -1);
}

static void help_lists_every_element(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void)state;
    answerfile_help(f, 1);
    fclose(f);
    assert_non_null(strstr(buf, "| `<primary-disk guest-storage="));
    assert_non_null(strstr(buf, "| `<source type="));
    assert_non_null(strstr(buf, "| ignored |"));
    free(buf);
}

static void layout_fills_the_disk(void **state)
{
    struct layout l;
    char err[256];
    uint64_t end;

    (void)state;
    assert_int_equal(layout_plan(&l, 64 * GiB, 512, 1, err, sizeof(err)), 0);
    assert_int_equal(l.np, P_COUNT);
    assert_true(l.p[P_BIOS].start == MiB);
    for (int i = 0; i < l.np; i++) {
        assert_true(l.p[i].start % MiB == 0);
        assert_true(l.p[i].size % MiB == 0);
        if (i)
            assert_true(l.p[i].start == l.p[i - 1].start + l.p[i - 1].size);
    }
    assert_true(l.p[P_ROOT_B].size == l.p[P_ROOT_A].size);
    end = l.p[P_SR].start + l.p[P_SR].size;
    assert_true(end <= 64 * GiB - MiB && end > 64 * GiB - 2 * MiB);
    assert_string_equal(l.p[P_SR].fs, "lvm");

    assert_int_equal(layout_plan(&l, 64 * GiB, 4096, 0, err, sizeof(err)), 0);
    assert_int_equal(l.np, P_SR);
}

static void layout_refuses_small_disks(void **state)
{
    struct layout l;
    char err[256];

    (void)state;
    assert_int_equal(
        layout_plan(&l, layout_min_size(1), 512, 1, err, sizeof(err)), 0);
    assert_int_equal(
        layout_plan(&l, layout_min_size(1) - 1, 512, 1, err, sizeof(err)),
        -ENOSPC);
    assert_non_null(strstr(err, "the disk is too small"));
    assert_int_equal(
        layout_plan(&l, layout_min_size(0), 512, 0, err, sizeof(err)), 0);
    assert_int_equal(layout_plan(&l, 64 * GiB, 520, 1, err, sizeof(err)),
                     -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xcp_ng_file_installs_unchanged),
        cmocka_unit_test(every_other_element),
        cmocka_unit_test(defaults_and_key_only),
        cmocka_unit_test(malformed_inputs),
        cmocka_unit_test(netmasks),
        cmocka_unit_test(help_lists_every_element),
        cmocka_unit_test(layout_fills_the_disk),
        cmocka_unit_test(layout_refuses_small_disks),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
