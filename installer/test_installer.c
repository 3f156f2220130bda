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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "answerfile.h"
#include "config.h"
#include "form.h"
#include "layout.h"
#include "xen-cmdline.h" /* image/xen-cmdline, by mk/xen-cmdline-h */

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
    assert_int_equal(a.nnotes, 1);       /* <network-backend> */
    assert_string_equal(a.repo_url, ""); /* <source type="local"> */
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

/* The least an answer file needs: a disk, a NIC, a way to log in. */
#define MINIMAL_BODY                                                           \
    "<primary-disk>vda</primary-disk>"                                         \
    "<admin-interface name='eth0' proto='dhcp'/>"                              \
    "<root-ssh-key>ssh-ed25519 AAAA k</root-ssh-key>"
#define MINIMAL "<installation>" MINIMAL_BODY

static void defaults_and_key_only(void **state)
{
    struct answers a;
    char err[512];

    (void)state;
    parse_str(MINIMAL "</installation>", &a, err, sizeof(err), 0);
    assert_string_equal(a.hostname, "xenplay");
    assert_string_equal(a.timezone, "UTC");
    assert_string_equal(a.keymap, "us");
    assert_int_equal(a.ntp, AF_NTP_DEFAULT);
    assert_true(a.guest_storage);
    assert_string_equal(a.root_hash, "");
}

/* XCP-ng's srtype and <time-config-method>, as its documentation uses
 * them: what each one means here. */
static void xcp_ng_srtype_and_time_method(void **state)
{
    static const struct {
        const char *tail;
        enum af_ntp ntp;
    } time[] = {
        {"<time-config-method>ntp</time-config-method>", AF_NTP_DEFAULT},
        {"<time-config-method>ntp</time-config-method>"
         "<ntp-server>ntp.lab</ntp-server>",
         AF_NTP_MANUAL},
        {"<time-config-method>dhcp</time-config-method>", AF_NTP_DHCP},
        {"<time-config-method>manual</time-config-method>", AF_NTP_NONE},
        /* Both forms, saying the same thing. */
        {"<ntp source='dhcp'/><time-config-method>ntp</time-config-method>",
         AF_NTP_DHCP},
        {"<time-config-method>manual</time-config-method><ntp source='none'/>",
         AF_NTP_NONE},
    };
    struct answers a;
    char err[512], xml[512];

    (void)state;
    parse_str(MINIMAL "</installation>", &a, err, sizeof(err), 0);
    assert_int_equal(a.sr_type, AF_SR_LVM);
    parse_str("<installation srtype='ext'>" MINIMAL_BODY "</installation>", &a,
              err, sizeof(err), 0);
    assert_int_equal(a.sr_type, AF_SR_EXT);
    parse_str("<installation sr-type='lvm'>" MINIMAL_BODY "</installation>", &a,
              err, sizeof(err), 0);
    assert_int_equal(a.sr_type, AF_SR_LVM);
    for (size_t i = 0; i < sizeof(time) / sizeof(*time); i++) {
        snprintf(xml, sizeof(xml), MINIMAL "%s</installation>", time[i].tail);
        parse_str(xml, &a, err, sizeof(err), 0);
        assert_int_equal(a.ntp, time[i].ntp);
    }
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
        {"<installation><source type='url'>ftp://x/xenplay</source>"
         "</installation>",
         "is not http:// or https://"},
        {"<installation><source type='cdrom'/></installation>",
         "type 'cdrom' is not local, url or nfs"},
        {"<installation><bootloader location='partition'>grub2"
         "</bootloader></installation>",
         "location 'partition'"},
        {"<installation sr-type='xfs'/>", "srtype 'xfs' is not one xenplay"},
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

/* <source>: where the installed host's apt takes xenplay's packages. */
static void source_names_the_repository(void **state)
{
    struct answers a;
    char err[512];

    (void)state;
    parse_str(MINIMAL "<source type='url'>http://10.0.0.1/xenplay/</source>"
                      "<source type='url'>http://10.0.0.2/other</source>"
                      "<source type='nfs'>server:/xenplay</source>"
                      "</installation>",
              &a, err, sizeof(err), 0);
    assert_string_equal(a.repo_url, "http://10.0.0.1/xenplay");
    assert_int_equal(a.nnotes, 2); /* the second url, nfs */
    assert_non_null(strstr(a.notes[0], "http://10.0.0.1/xenplay/debian"));
    assert_non_null(strstr(a.notes[1], "nfs"));
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

/* What a person typed into the TUI, as the TUI fills it in. */
static void typed(struct form *f)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->disk, sizeof(f->disk), "/dev/nvme0n1");
    f->guest_storage = 1;
    snprintf(f->nic, sizeof(f->nic), "52:54:00:12:34:56");
    snprintf(f->ipaddr, sizeof(f->ipaddr), "10.0.2.50");
    snprintf(f->subnet, sizeof(f->subnet), "255.255.255.0");
    snprintf(f->gateway, sizeof(f->gateway), "10.0.2.2");
    snprintf(f->dns, sizeof(f->dns), "10.0.2.3, 1.1.1.1");
    snprintf(f->hostname, sizeof(f->hostname), "lab-07");
    snprintf(f->timezone, sizeof(f->timezone), "Europe/Berlin");
    snprintf(f->keymap, sizeof(f->keymap), "de");
    snprintf(f->ntp, sizeof(f->ntp), "ntp1.lab ntp2.lab");
    assert_int_equal(answerfile_hash_password("s3cret <&> \"'", f->root_hash,
                                              sizeof(f->root_hash)),
                     0);
}

static void form_becomes_an_answer_file(void **state)
{
    struct form f;
    struct answers a, again;
    struct crypt_data cd = {0};
    char err[512], *xml;

    (void)state;
    typed(&f);
    assert_int_equal(form_answerfile(&f, &xml, &a, err, sizeof(err)), 0);
    assert_string_equal(a.primary_disk, "/dev/nvme0n1");
    assert_true(a.guest_storage);
    assert_string_equal(a.admin_hwaddr, "52:54:00:12:34:56");
    assert_int_equal(a.proto, AF_PROTO_STATIC);
    assert_string_equal(a.ipaddr, "10.0.2.50");
    assert_string_equal(a.gateway, "10.0.2.2");
    assert_int_equal(a.nname_servers, 2);
    assert_string_equal(a.name_servers[1], "1.1.1.1");
    assert_string_equal(a.hostname, "lab-07");
    assert_string_equal(a.timezone, "Europe/Berlin");
    assert_string_equal(a.keymap, "de");
    assert_int_equal(a.ntp, AF_NTP_MANUAL);
    assert_int_equal(a.nntp_servers, 2);
    /* the hash goes in as a hash, and the password is not in the file */
    assert_string_equal(a.root_hash, f.root_hash);
    assert_string_equal(crypt_r("s3cret <&> \"'", a.root_hash, &cd),
                        a.root_hash);
    assert_null(strstr(xml, "s3cret"));
    assert_non_null(strstr(xml, "type=\"hash\""));
    /* the file it writes installs unattended as it is */
    assert_int_equal(
        answerfile_parse(&again, xml, strlen(xml), "kept", err, sizeof(err)),
        0);
    assert_string_equal(again.root_hash, a.root_hash);
    assert_string_equal(again.admin_hwaddr, a.admin_hwaddr);
    assert_string_equal(again.name_servers[0], a.name_servers[0]);
    assert_string_equal(again.ntp_servers[1], a.ntp_servers[1]);
    assert_string_equal(again.hostname, a.hostname);
    /* guest disks as logical volumes unless thin provisioning is ticked */
    assert_int_equal(a.sr_type, AF_SR_LVM);
    assert_int_equal(again.sr_type, AF_SR_LVM);
    assert_string_equal(answers_sr_text(&a),
                        "logical volumes in xenplay-sr (srtype lvm)");
    free(xml);
}

/* Thin provisioning: XCP-ng's srtype="ext", kept in the file it writes. */
static void form_thin_provisioning(void **state)
{
    struct form f;
    struct answers a, again;
    char err[512], *xml;

    (void)state;
    typed(&f);
    f.sr_ext = 1;
    assert_int_equal(form_answerfile(&f, &xml, &a, err, sizeof(err)), 0);
    assert_int_equal(a.sr_type, AF_SR_EXT);
    assert_non_null(strstr(xml, "srtype=\"ext\""));
    assert_int_equal(
        answerfile_parse(&again, xml, strlen(xml), "kept", err, sizeof(err)),
        0);
    assert_int_equal(again.sr_type, AF_SR_EXT);
    assert_string_equal(answers_sr_text(&a),
                        "files on ext4 in /var/lib/xenplay/sr (srtype ext)");
    free(xml);
    /* no guest storage: nothing to provision, thin or not */
    f.guest_storage = 0;
    assert_int_equal(form_answerfile(&f, &xml, &a, err, sizeof(err)), 0);
    assert_string_equal(answers_sr_text(&a), "none");
    free(xml);
}

static void form_dhcp_by_name_key_only(void **state)
{
    struct form f;
    struct answers a;
    char err[512], *xml;

    (void)state;
    typed(&f);
    f.dhcp = 1;
    f.guest_storage = 0;
    f.ntp[0] = '\0';
    f.root_hash[0] = '\0';
    snprintf(f.nic, sizeof(f.nic), "enp1s0");
    snprintf(f.ssh_key, sizeof(f.ssh_key), "ssh-ed25519 AAAAC3Nza ops@lab");
    assert_int_equal(form_answerfile(&f, &xml, &a, err, sizeof(err)), 0);
    assert_string_equal(a.admin_name, "enp1s0");
    assert_int_equal(a.proto, AF_PROTO_DHCP);
    assert_int_equal(a.nname_servers, 0); /* DHCP's */
    assert_int_equal(a.ntp, AF_NTP_DHCP);
    assert_false(a.guest_storage);
    assert_string_equal(a.root_hash, "");
    assert_int_equal(a.nroot_ssh_keys, 1);
    free(xml);
}

/* A wrong answer names the field and says what is expected, no line. */
static void form_wrong_answers(void **state)
{
    static const struct {
        size_t off, len;
        const char *value, *want;
    } cases[] = {
#define F(field) offsetof(struct form, field), sizeof(((struct form *)0)->field)
        {F(ipaddr), "10.0.2.999", "<ipaddr> '10.0.2.999' is not an IPv4"},
        {F(subnet), "255.0.255.0", "not a netmask"},
        {F(dns), "10.0.2.3 dns.lab", "<name-server> 'dns.lab' is not an IPv4"},
        {F(hostname), "lab 07", "<hostname> 'lab 07' has a character"},
        {F(hostname), "-lab", "is not a valid host name"},
        {F(timezone), "../etc/passwd", "has a character"},
        {F(keymap), "de;rm", "<keymap> 'de;rm' has a character"},
        {F(root_hash), "", "no way to log in"},
        {F(disk), "", "<primary-disk> is empty"},
#undef F
    };
    struct form f;
    struct answers a;
    char err[512], *xml = (char *)1;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        typed(&f);
        snprintf((char *)&f + cases[i].off, cases[i].len, "%s", cases[i].value);
        assert_int_equal(form_answerfile(&f, &xml, &a, err, sizeof(err)),
                         -EINVAL);
        assert_null(xml);
        if (!strstr(err, cases[i].want))
            fail_msg("case %zu: '%s' does not say '%s'", i, err, cases[i].want);
        assert_false(err[0] == ':'); /* no "NAME:LINE:" */
    }
}

/* The host keeps the consoles its installer ran with: COM2 stays COM2. */
/* systemd's table, a few of its lines as Debian 13 has them. */
static const char kbd_table[] =
    "# Originally generated from system-config-keyboard's model list.\n"
    "# consolelayout\t\txlayout\txmodel\t\txvariant\txoptions\n"
    "sg\t\t\tch\tpc105\t\tde_nodeadkeys\tterminate:ctrl_alt_bksp\n"
    "de\t\t\tde\tpc105\t\t-\t\tterminate:ctrl_alt_bksp\n"
    "us\t\t\tus\tpc105+inet\t-\t\tterminate:ctrl_alt_bksp\n"
    "dvorak\t\t\tus\tpc105\t\tdvorak\t\tterminate:ctrl_alt_bksp\n";

static void keymap_names_to_xkb(void **state)
{
    char path[] = "/tmp/xp-kbd-XXXXXX", why[256];
    struct xkb x;
    int fd;

    (void)state;
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, kbd_table, strlen(kbd_table)),
                     (ssize_t)strlen(kbd_table));
    close(fd);

    assert_int_equal(keymap_lookup(path, "de", &x, why, sizeof(why)), 0);
    assert_string_equal(x.layout, "de");
    assert_string_equal(x.model, "pc105");
    assert_string_equal(x.variant, ""); /* the table's "-" */
    assert_string_equal(x.options, "terminate:ctrl_alt_bksp");
    assert_int_equal(keymap_lookup(path, "dvorak", &x, why, sizeof(why)), 0);
    assert_string_equal(x.layout, "us");
    assert_string_equal(x.variant, "dvorak");
    /* A name the table lacks is refused with names it has; a comment
     * line's words are not names. */
    assert_int_equal(keymap_lookup(path, "de-qwerty", &x, why, sizeof(why)),
                     -1);
    assert_non_null(strstr(why, "keymap de-qwerty is not known"));
    assert_non_null(strstr(why, "(sg, de, us, dvorak, ...)"));
    assert_int_equal(keymap_lookup(path, "consolelayout", &x, why, sizeof(why)),
                     -1);
    unlink(path);
    assert_int_equal(keymap_lookup(path, "de", &x, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "cannot read the keymap table"));
}

static void grub_keeps_the_install_consoles(void **state)
{
    struct answers a;
    struct host_facts facts = {.root = "r", .log = "l", .esp = "E"};
    char dir[] = "/tmp/xp-render-XXXXXX", path[256], buf[2048], err[256];
    FILE *f;
    size_t n;

    (void)state;
    answers_defaults(&a);
    snprintf(a.root_hash, sizeof(a.root_hash), "$y$x");
    snprintf(facts.xen_console, sizeof(facts.xen_console),
             "console=com2,vga com2=115200,8n1");
    snprintf(facts.dom0_console, sizeof(facts.dom0_console), "console=hvc0");
    assert_non_null(mkdtemp(dir));
    /* Debian's link, as the image has it (dangling there): the keymap
     * goes where it points, and the link stays, as its boot would make
     * it again anyway (tmpfiles.d/debian.conf). */
    snprintf(path, sizeof(path), "%s/etc", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/etc/vconsole.conf", dir);
    assert_int_equal(symlink("default/keyboard", path), 0);
    assert_int_equal(config_render(dir, &a, &facts, err, sizeof(err)), 0);
    {
        struct stat st;

        assert_int_equal(lstat(path, &st), 0);
        assert_true(S_ISLNK(st.st_mode));
        f = fopen(path, "r");
        assert_non_null(f);
        n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = '\0';
        fclose(f);
        assert_non_null(strstr(buf, "\nKEYMAP=us\n"));
    }
    snprintf(path, sizeof(path), "%s/etc/default/grub.d/xenplay.cfg", dir);
    f = fopen(path, "r");
    assert_non_null(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "serial --unit=1 --speed=115200"));
    assert_non_null(strstr(buf, "console_timestamps=boot console=com2,vga "
                                "com2=115200,8n1\""));
    /* The live system's consoles, and the log level of image/xen-cmdline
     * for the default entries only (the recovery entries stay verbose). */
    assert_non_null(strstr(
        buf, "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT=\"console=hvc0 " DOM0_LOG
             "\""));
    assert_null(strstr(buf, "GRUB_CMDLINE_LINUX_XEN_REPLACE="));
    assert_non_null(strstr(buf, "console=tty0 console=ttyS1,115200"));
    snprintf(path, sizeof(path), "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(xcp_ng_file_installs_unchanged),
        cmocka_unit_test(every_other_element),
        cmocka_unit_test(defaults_and_key_only),
        cmocka_unit_test(xcp_ng_srtype_and_time_method),
        cmocka_unit_test(malformed_inputs),
        cmocka_unit_test(source_names_the_repository),
        cmocka_unit_test(netmasks),
        cmocka_unit_test(help_lists_every_element),
        cmocka_unit_test(layout_fills_the_disk),
        cmocka_unit_test(layout_refuses_small_disks),
        cmocka_unit_test(form_becomes_an_answer_file),
        cmocka_unit_test(form_thin_provisioning),
        cmocka_unit_test(form_dhcp_by_name_key_only),
        cmocka_unit_test(form_wrong_answers),
        cmocka_unit_test(keymap_names_to_xkb),
        cmocka_unit_test(grub_keeps_the_install_consoles),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
