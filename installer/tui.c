/*
 * tui.c: the interactive installer (see tui.h).  Each screen is one
 * function that returns where to go next; the answers live in a struct
 * form, which becomes an answer file that the unattended installer's
 * parser checks (form.h), and then the same engine installs it.
 *
 * newt on a serial line: only Tab, the arrows, Space and Enter are
 * needed; nothing depends on function keys.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <newt.h>

#include "disk.h"
#include "engine.h"
#include "form.h"
#include "hw.h"
#include "layout.h"
#include "tui.h"
#include "ui.h"

#define LOCK "/run/xenplay-install.lock"

enum screen {
    S_WELCOME,
    S_DISK,
    S_NET,
    S_ADDR,
    S_HOST,
    S_ROOT,
    S_CONFIRM,
    S_INSTALL,
    S_DONE,
    S_QUIT,
};

struct tui {
    struct form f;
    struct answers a;
    char *xml;
    int force;
    const char *source, *workdir;
    struct hw_disk disks[HW_MAX];
    int ndisks;
    struct hw_nic nics[HW_MAX];
    int nnics;
    char medium[32];
    char dummy_hash[256]; /* stands in for the password until it is asked */
    enum tui_result result;
    /* the install's progress */
    newtComponent scale, label, log;
    char steps[2048]; /* the machine-readable lines, printed at the end */
    char shown[2048]; /* the step list on the screen */
    int nstep;
    int quiet; /* the dry run reports nothing */
    /* an installed xenplay on the chosen disk: upgrade or restore it */
    enum install_mode mode;
    char installed[64], newer[64], previous[64];
};

/* The answers so far, checked; the password may not be asked yet. */
static int check(struct tui *t)
{
    struct form f = t->f;
    char err[1024], *xml;
    int rc;

    if (!f.root_hash[0] && !f.ssh_key[0])
        snprintf(f.root_hash, sizeof(f.root_hash), "%s", t->dummy_hash);
    rc = form_answerfile(&f, &xml, &t->a, err, sizeof(err));
    explicit_bzero(&f, sizeof(f));
    if (rc < 0) {
        ui_message("Please check", "%s", err);
        return -1;
    }
    free(xml);
    return 0;
}

static enum screen s_welcome(struct tui *t)
{
    int r = newtWinTernary(
        (char *)"xenplay installer", (char *)"Install", (char *)"Shell",
        (char *)"Reboot",
        (char *)"This installs a xenplay Xen host on a disk of this machine: "
                "the Xen hypervisor, dom0 with the xl toolstack and QEMU, "
                "and a volume group for guest disks.\n\n"
                "Everything on the disk you choose will be erased.  "
                "Nothing is written before you confirm it.  A disk that "
                "holds a xenplay host can be upgraded or restored "
                "instead.\n\n"
                "Unattended installs use an answer file: see "
                "xenplay-install --help-answerfile.");

    switch (r) {
    case 1: return S_DISK;
    case 2: t->result = TUI_SHELL; return S_QUIT;
    default: t->result = TUI_REBOOT; return S_QUIT;
    }
}

/* Why disk K cannot be chosen as it is, or "". */
static void disk_note(struct tui *t, const struct hw_disk *k, char *buf,
                      size_t len)
{
    char dev[64], why[512], size[32];
    struct layout l;

    buf[0] = '\0';
    snprintf(dev, sizeof(dev), "/dev/%s", k->name);
    if (!strcmp(k->name, t->medium))
        snprintf(buf, len, "the installer's medium");
    else if (layout_plan(&l, k->size, 512, 0, why, sizeof(why)) < 0)
        snprintf(buf, len, "too small: needs %s",
                 layout_size(layout_min_size(0), size, sizeof(size)));
    else if (disk_in_use("/", dev, why, sizeof(why)) > 0)
        snprintf(buf, len, "in use");
}

static void progress(void *ctx, const char *step, const char *status,
                     const char *detail);
static void install_init(struct tui *t, struct install *in,
                         const struct install_ui *ui);

/*
 * The engine's own checks of an upgrade or a restore of the chosen disk,
 * writing nothing: 0 when it may go ahead, else -1 with WHY.  VERSION gets
 * the version found (installed, or the one a restore goes back to).
 */
static int probe(struct tui *t, enum install_mode mode, char *version,
                 size_t vlen, char *why, size_t wlen)
{
    const struct install_ui ui = {t, progress};
    struct install in;
    int rc;

    install_init(t, &in, &ui);
    in.mode = mode;
    in.dry_run = 1;
    t->quiet = 1;
    rc = install_run(&in);
    t->quiet = 0;
    snprintf(version, vlen, "%s",
             mode == MODE_RESTORE ? in.new_version : in.old_version);
    if (mode == MODE_UPGRADE)
        snprintf(t->newer, sizeof(t->newer), "%s", in.new_version);
    snprintf(why, wlen, "%s", rc < 0 ? in.why : "");
    return rc;
}

/*
 * The chosen disk holds a complete xenplay install: upgrade it, restore
 * the version before, or erase it (XCP-ng's installer asks the same).
 * Where to go next: S_NET goes on with a fresh install (the disk's
 * checks in s_disk first).
 */
static enum screen s_existing(struct tui *t)
{
    char up_why[1024], re_why[1024], text[3072];
    newtComponent form, tb, bup = NULL, bre = NULL, berase, bback, hit;
    newtComponent buttons[4];
    newtGrid bar, grid;
    int up, re, nb = 0;

    up = probe(t, MODE_UPGRADE, t->installed, sizeof(t->installed), up_why,
               sizeof(up_why));
    if (!t->installed[0])
        return S_NET; /* no complete xenplay here: a fresh install */
    re = probe(t, MODE_RESTORE, t->previous, sizeof(t->previous), re_why,
               sizeof(re_why));
    snprintf(text, sizeof(text),
             "%s holds xenplay %s.\n\n"
             "Upgrade: %s%s%s\n\n"
             "Restore: %s%s%s\n\n"
             "Erase and install: a new host; its guests' volumes are lost.",
             t->f.disk, t->installed,
             up == 0 ? "to this medium's xenplay " : "not possible: ",
             up == 0 ? t->newer : up_why,
             up == 0 ? ", on the other root partition, with the host's "
                       "configuration, guests and their storage kept; the "
                       "version now installed stays as the previous one."
                     : "",
             re == 0 ? "back to xenplay " : "not possible: ",
             re == 0 ? t->previous : re_why,
             re == 0 ? ", the version this host ran before." : "");
    tb = newtTextboxReflowed(-1, -1, text, UI_WIDTH, 0, 0, 0);
    /* Only the buttons that may go ahead.  The text above them, the
     * buttons as newtButtonBar lays them out (newtGridBasicWindow wants a
     * middle grid, and a NULL one crashes newt). */
    if (up == 0)
        buttons[nb++] = bup = newtButton(-1, -1, "Upgrade");
    if (re == 0)
        buttons[nb++] = bre = newtButton(-1, -1, "Restore");
    buttons[nb++] = berase = newtButton(-1, -1, "Erase and install");
    buttons[nb++] = bback = newtButton(-1, -1, "Back");
    bar = newtCreateGrid(nb, 1);
    for (int i = 0; i < nb; i++)
        newtGridSetField(bar, i, 0, NEWT_GRID_COMPONENT, buttons[i], i ? 1 : 0,
                         0, 0, 0, 0, 0);
    grid = newtCreateGrid(1, 2);
    newtGridSetField(grid, 0, 0, NEWT_GRID_COMPONENT, tb, 0, 0, 0, 0,
                     NEWT_ANCHOR_LEFT, 0);
    newtGridSetField(grid, 0, 1, NEWT_GRID_SUBGRID, bar, 0, 1, 0, 0, 0,
                     NEWT_GRID_FLAG_GROWX);
    form = newtForm(NULL, NULL, 0);
    ui_window(grid, form, "xenplay found");
    hit = newtRunForm(form);
    newtFormDestroy(form);
    newtPopWindow();
    if (hit && hit == bup) {
        t->mode = MODE_UPGRADE;
        return S_INSTALL;
    }
    if (hit && hit == bre) {
        t->mode = MODE_RESTORE;
        return S_INSTALL;
    }
    return hit && hit == berase ? S_NET : S_DISK;
}

static enum screen s_disk(struct tui *t)
{
    static const char storage[] = "Use the rest of the disk for guest storage",
                      thin_label[] =
                          "Thin provisioning: guest disks as files on ext4";
    newtComponent form, text, lb, cb, thin, bnext, bback;
    char line[160], size[32], note[128], why[512], dev[64];
    int cur = 0;

    t->ndisks = hw_disks("/", t->disks, HW_MAX);
    if (!t->ndisks) {
        ui_message("No disk",
                   "This machine has no disk to install on.  Check the "
                   "controller's drivers (the Shell has lsblk and dmesg).");
        return S_WELCOME;
    }
    text = newtTextboxReflowed(-1, -1,
                               (char *)"Install on which disk?  Everything "
                                       "on it will be erased.",
                               UI_WIDTH, 0, 0, 0);
    lb =
        newtListbox(-1, -1, (t->ndisks < 8 ? t->ndisks : 8) + 2,
                    NEWT_FLAG_RETURNEXIT | NEWT_FLAG_SCROLL | NEWT_FLAG_BORDER);
    newtListboxSetWidth(lb, UI_WIDTH);
    for (int i = 0; i < t->ndisks; i++) {
        const struct hw_disk *k = &t->disks[i];

        disk_note(t, k, note, sizeof(note));
        snprintf(line, sizeof(line), "%-9s %10s  %-24.24s %s", k->name,
                 layout_size(k->size, size, sizeof(size)),
                 k->model[0] ? k->model : "-", note[0] ? note : "");
        newtListboxAppendEntry(lb, line, (void *)(intptr_t)i);
        snprintf(dev, sizeof(dev), "/dev/%s", k->name);
        if (!strcmp(dev, t->f.disk))
            cur = i;
    }
    newtListboxSetCurrent(lb, cur);
    cb = newtCheckbox(-1, -1, storage, t->f.guest_storage ? '*' : ' ', NULL,
                      NULL);
    /* XCP-ng's "thin provisioning": srtype ext instead of lvm. */
    thin =
        newtCheckbox(-1, -1, thin_label, t->f.sr_ext ? '*' : ' ', NULL, NULL);
    form = newtForm(NULL, NULL, 0);
    ui_window(newtGridBasicWindow(text, ui_stack(lb, cb, thin),
                                  newtButtonBar((char *)"Next", &bnext,
                                                (char *)"Back", &bback, NULL)),
              form, "Disk");
    if (!ui_run_form(form, bnext, lb)) {
        newtFormDestroy(form);
        newtPopWindow();
        return S_WELCOME;
    }
    cur = (int)(intptr_t)newtListboxGetCurrent(lb);
    t->f.guest_storage = newtCheckboxGetValue(cb) == '*';
    t->f.sr_ext = newtCheckboxGetValue(thin) == '*';
    newtFormDestroy(form);
    newtPopWindow();
    if (t->f.sr_ext && !t->f.guest_storage) {
        ui_message("Disk",
                   "Thin provisioning puts the guests' disks on the guest "
                   "storage: tick \"%s\" too, or untick \"%s\".",
                   storage, thin_label);
        return S_DISK;
    }

    snprintf(dev, sizeof(dev), "/dev/%s", t->disks[cur].name);
    snprintf(t->f.disk, sizeof(t->f.disk), "%s", dev);
    t->force = 0;
    if (!strcmp(t->disks[cur].name, t->medium)) {
        ui_message("Disk",
                   "%s is the medium this installer runs from; choose "
                   "another disk.",
                   t->f.disk);
        return S_DISK;
    }
    t->mode = MODE_FRESH;
    {
        enum screen next = s_existing(t);

        if (next != S_NET)
            return next;
    }
    if (layout_plan(&(struct layout){0}, t->disks[cur].size, 512,
                    t->f.guest_storage, why, sizeof(why)) < 0) {
        ui_message("Disk", "%s: %s", t->f.disk, why);
        return S_DISK;
    }
    if (disk_in_use("/", t->f.disk, why, sizeof(why)) > 0) {
        if (newtWinChoice((char *)"Disk in use", (char *)"Back",
                          (char *)"Use it anyway",
                          (char *)"%s.\n\nInstalling on it takes its LVM "
                                  "volumes down and erases it all; a "
                                  "mounted file system stops the install.",
                          why) != 2)
            return S_DISK;
        t->force = 1;
    }
    return S_NET;
}

static enum screen s_net(struct tui *t)
{
    newtComponent form, text, lb, rdhcp, rstatic, bnext, bback;
    char line[160];
    int cur = 0;

    t->nnics = hw_nics("/", t->nics, HW_MAX);
    if (!t->nnics) {
        ui_message("No network interface",
                   "This machine has no Ethernet interface for the management "
                   "network.  Check the NIC's drivers (the Shell has ip link "
                   "and dmesg).");
        return S_DISK;
    }
    text = newtTextboxReflowed(-1, -1,
                               (char *)"The management interface: it "
                                       "becomes the port of the xenbr0 "
                                       "bridge, which dom0 and the guests "
                                       "share.",
                               UI_WIDTH, 0, 0, 0);
    lb = newtListbox(-1, -1, (t->nnics < 6 ? t->nnics : 6) + 2,
                     NEWT_FLAG_SCROLL | NEWT_FLAG_BORDER);
    newtListboxSetWidth(lb, UI_WIDTH);
    for (int i = 0; i < t->nnics; i++) {
        const struct hw_nic *n = &t->nics[i];

        snprintf(line, sizeof(line), "eth%-2d %-16s %s  %s", i, n->name, n->mac,
                 n->carrier == 1   ? "link up"
                 : n->carrier == 0 ? "no link"
                                   : "");
        newtListboxAppendEntry(lb, line, (void *)(intptr_t)i);
        if (!strcmp(n->mac, t->f.nic))
            cur = i;
    }
    newtListboxSetCurrent(lb, cur);
    rdhcp = newtRadiobutton(-1, -1, "Address by DHCP", t->f.dhcp, NULL);
    rstatic = newtRadiobutton(-1, -1, "Static address", !t->f.dhcp, rdhcp);
    form = newtForm(NULL, NULL, 0);
    ui_window(newtGridBasicWindow(text, ui_stack(lb, rdhcp, rstatic),
                                  newtButtonBar((char *)"Next", &bnext,
                                                (char *)"Back", &bback, NULL)),
              form, "Network");
    if (!ui_run_form(form, bnext, NULL)) {
        newtFormDestroy(form);
        newtPopWindow();
        return S_DISK;
    }
    cur = (int)(intptr_t)newtListboxGetCurrent(lb);
    t->f.dhcp = newtRadioGetCurrent(rdhcp) == rdhcp;
    newtFormDestroy(form);
    newtPopWindow();
    /* by MAC: names can change between the live system and the host */
    snprintf(t->f.nic, sizeof(t->f.nic), "%s", t->nics[cur].mac);
    return t->f.dhcp ? S_HOST : S_ADDR;
}

static enum screen s_addr(struct tui *t)
{
    struct form *f = &t->f;
    const char *labels[] = {"IP address", "Netmask", "Gateway", "Name servers"};
    char *fields[] = {f->ipaddr, f->subnet, f->gateway, f->dns};
    const size_t sizes[] = {sizeof(f->ipaddr), sizeof(f->subnet),
                            sizeof(f->gateway), sizeof(f->dns)};

    if (ui_entries("Static address",
                   "The management address (IPv4).  Name servers: one or "
                   "more, separated by spaces.",
                   4, labels, fields, sizes, NULL) < 0)
        return S_NET;
    return check(t) < 0 ? S_ADDR : S_HOST;
}

static enum screen s_host(struct tui *t)
{
    struct form *f = &t->f;
    const char *labels[] = {"Host name", "Time zone", "Keymap", "NTP servers"};
    char *fields[] = {f->hostname, f->timezone, f->keymap, f->ntp};
    const size_t sizes[] = {sizeof(f->hostname), sizeof(f->timezone),
                            sizeof(f->keymap), sizeof(f->ntp)};
    char path[PATH_MAX];

    if (ui_entries("Host",
                   "Time zone like Europe/Berlin; keymap like us or de.  NTP "
                   "servers: separated by spaces, or empty for the "
                   "network's (DHCP) or Debian's pool.",
                   4, labels, fields, sizes, NULL) < 0)
        return f->dhcp ? S_NET : S_ADDR;
    if (check(t) < 0)
        return S_HOST;
    snprintf(path, sizeof(path), "%s/usr/share/zoneinfo/%s", t->source,
             f->timezone);
    if (access(path, R_OK) < 0) {
        ui_message("Please check",
                   "The time zone %s is not known: use one like Europe/Berlin, "
                   "America/New_York or UTC.",
                   f->timezone);
        return S_HOST;
    }
    return S_ROOT;
}

static enum screen s_root(struct tui *t)
{
    struct form *f = &t->f;
    char pw1[128] = "", pw2[128] = "", key[1024];
    const char *labels[] = {"Root password", "Again", "or SSH key"};
    char *fields[] = {pw1, pw2, key};
    const size_t sizes[] = {sizeof(pw1), sizeof(pw2), sizeof(key)};
    const int flags[] = {NEWT_FLAG_PASSWORD, NEWT_FLAG_PASSWORD, 0};
    enum screen next = S_ROOT;
    int rc;

    snprintf(key, sizeof(key), "%s", f->ssh_key);
    if (ui_entries("Root",
                   "The installed host has no passwordless root.  Give root a "
                   "password, an SSH public key (ssh-ed25519 AAAA...), or "
                   "both; over SSH root logs in by key only.",
                   3, labels, fields, sizes, flags) < 0) {
        next = S_HOST;
    } else if (strcmp(pw1, pw2)) {
        ui_message("Root", "The two passwords differ; type them again.");
    } else if (!pw1[0] && !key[0]) {
        ui_message("Root", "Give root a password or an SSH key.");
    } else {
        f->root_hash[0] = '\0';
        rc = pw1[0] ? answerfile_hash_password(pw1, f->root_hash,
                                               sizeof(f->root_hash))
                    : 0;
        snprintf(f->ssh_key, sizeof(f->ssh_key), "%s", key);
        if (rc < 0)
            ui_message("Root", "Cannot hash the password: %s", strerror(-rc));
        else if (check(t) == 0)
            next = S_CONFIRM;
    }
    explicit_bzero(pw1, sizeof(pw1));
    explicit_bzero(pw2, sizeof(pw2));
    return next;
}

static void progress(void *ctx, const char *step, const char *status,
                     const char *detail)
{
    struct tui *t = ctx;
    size_t l = strlen(t->steps);

    if (t->quiet)
        return;
    snprintf(t->steps + l, sizeof(t->steps) - l,
             "xenplay-install: step=%s status=%s%s%s\n", step, status,
             detail[0] ? " " : "", detail);
    if (!strcmp(status, "start")) {
        char label[80];

        /* padded: newt does not clear what a longer label left */
        snprintf(label, sizeof(label), "Step %d of %d: %-*s", t->nstep + 1,
                 install_mode_nsteps(t->mode), UI_WIDTH - 20, step);
        newtLabelSetText(t->label, label);
    } else {
        l = strlen(t->shown);
        snprintf(t->shown + l, sizeof(t->shown) - l, "%-5s %s\n",
                 !strcmp(status, "ok") ? "ok" : "FAIL", step);
        newtTextboxSetText(t->log, t->shown);
        newtScaleSet(t->scale, (unsigned long long)++t->nstep);
    }
    newtRefresh();
}

static void install_init(struct tui *t, struct install *in,
                         const struct install_ui *ui)
{
    memset(in, 0, sizeof(*in));
    in->ui = ui;
    in->a = &t->a;
    in->disk = t->f.disk;
    in->source = t->source;
    in->sysroot = "/";
    in->workdir = t->workdir;
    in->force = t->force;
    in->mode = t->mode;
}

static enum screen s_confirm(struct tui *t)
{
    const struct install_ui ui = {t, progress};
    struct install in;
    char err[1024], *plan = NULL, size[32];
    size_t len = 0;
    FILE *mem;
    int r;

    free(t->xml);
    if (form_answerfile(&t->f, &t->xml, &t->a, err, sizeof(err)) < 0) {
        ui_message("Please check", "%s", err);
        return S_ROOT;
    }
    /* the engine's own checks, writing nothing */
    install_init(t, &in, &ui);
    in.dry_run = 1;
    t->quiet = 1;
    r = install_run(&in);
    t->quiet = 0;
    if (r < 0) {
        ui_message("Cannot install", "%s", in.why);
        return S_DISK;
    }
    mem = open_memstream(&plan, &len);
    if (!mem)
        return S_QUIT;
    layout_print(mem, &in.l, t->f.disk);
    /* no blank line between: the window has to fit 24 rows with its
     * shadow and the help line */
    fprintf(mem, "Guest disks: %s.\n", answers_sr_text(&t->a));
    fprintf(mem, "Host %s, management NIC %s (%s), %s.\n", t->a.hostname,
            in.admin_dev, in.admin_mac, t->f.dhcp ? "DHCP" : t->f.ipaddr);
    fclose(mem);
    {
        newtComponent form, text, warn, bback, berase;
        int lines = 0;
        char line[160];

        for (const char *p = plan; *p; p++)
            lines += *p == '\n'; /* the plan ends with one */
        text = newtTextbox(-1, -1, UI_WIDTH + 4, lines, 0);
        newtTextboxSetText(text, plan);
        snprintf(line, sizeof(line), "Everything on %s (%s) will be erased.",
                 t->f.disk, layout_size(in.l.disk_size, size, sizeof(size)));
        warn = newtLabel(-1, -1, line);
        form = newtForm(NULL, NULL, 0);
        ui_window(
            newtGridSimpleWindow(text, warn,
                                 newtButtonBar((char *)"Back", &bback,
                                               (char *)"Erase and install",
                                               &berase, NULL)),
            form, "Confirm");
        r = ui_run_form(form, berase, NULL) ? 2 : 1;
        newtFormDestroy(form);
        newtPopWindow();
    }
    free(plan);
    return r == 2 ? S_INSTALL : S_ROOT;
}

static enum screen s_install(struct tui *t)
{
    const struct install_ui ui = {t, progress};
    struct install in;
    newtComponent form;
    char path[PATH_MAX];
    int lock, rc;
    FILE *f;

    lock = open(LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) < 0) {
        ui_message("Busy",
                   "An install is already running on another console of this "
                   "machine.");
        if (lock >= 0)
            close(lock);
        return S_CONFIRM;
    }
    install_init(t, &in, &ui);
    if (t->mode == MODE_FRESH) {
        /* the answers, for the log partition: the same install,
         * unattended */
        snprintf(path, sizeof(path), "%s/answerfile.xml", t->workdir);
        f = fopen(path, "we");
        if (f) {
            fchmod(fileno(f), 0600);
            fputs(t->xml, f);
            fclose(f);
        }
        in.answerfile = path;
    }

    newtCenteredWindow(UI_WIDTH, 16,
                       t->mode == MODE_UPGRADE   ? "Upgrading"
                       : t->mode == MODE_RESTORE ? "Restoring"
                                                 : "Installing");
    form = newtForm(NULL, NULL, 0);
    t->label = newtLabel(1, 1, "");
    t->scale = newtScale(1, 3, UI_WIDTH - 2, install_mode_nsteps(t->mode));
    t->log = newtTextbox(1, 5, UI_WIDTH - 2, 10, 0); /* 9 steps: no scrolling */
    newtFormAddComponents(form, t->label, t->scale, t->log, NULL);
    newtDrawForm(form);
    newtRefresh();
    t->nstep = 0;
    t->shown[0] = t->steps[0] = '\0';
    rc = install_run(&in);
    newtFormDestroy(form);
    newtPopWindow();
    flock(lock, LOCK_UN);
    close(lock);

    {
        size_t l = strlen(t->steps);

        if (rc == 0 && t->mode != MODE_FRESH)
            snprintf(t->steps + l, sizeof(t->steps) - l,
                     "xenplay-install: result=success disk=%s %s=%s "
                     "version=%s previous=%s\n",
                     in.disk, t->mode == MODE_UPGRADE ? "upgrade" : "restore",
                     in.part[in.new_root], in.new_version, in.old_version);
        else if (rc == 0)
            snprintf(t->steps + l, sizeof(t->steps) - l,
                     "xenplay-install: result=success disk=%s host=%s\n",
                     in.disk, t->a.hostname);
        else
            snprintf(t->steps + l, sizeof(t->steps) - l,
                     "xenplay-install: result=failure step=%s reason=%s\n",
                     in.failed_step, in.why);
    }
    if (rc < 0) {
        int r = newtWinChoice(
            (char *)(t->mode == MODE_FRESH ? "Install failed" : "Failed"),
            (char *)"Back", (char *)"Shell",
            (char *)"The step %s failed:\n\n%s\n\n%s  The log is %s.",
            in.failed_step, in.why,
            t->mode != MODE_FRESH
                ? "The host boots the version it booted before."
            : in.disk_written
                ? "The disk does not boot: its GRUB refuses a host whose "
                  "install did not finish."
                : "The installer wrote nothing to the disk.",
            in.logpath);

        t->result = TUI_FAILED;
        if (r == 2) {
            t->result = TUI_SHELL;
            return S_QUIT;
        }
        return t->mode == MODE_FRESH ? S_CONFIRM : S_DISK;
    }
    t->result = TUI_REBOOT;
    return S_DONE;
}

static enum screen s_done(struct tui *t)
{
    char done[256];
    int r;

    if (t->mode == MODE_UPGRADE)
        snprintf(done, sizeof(done), "Upgraded: the host on %s runs xenplay %s",
                 t->f.disk, t->newer);
    else if (t->mode == MODE_RESTORE)
        snprintf(done, sizeof(done),
                 "Restored: the host on %s runs xenplay %s again", t->f.disk,
                 t->previous);
    else
        snprintf(done, sizeof(done), "%s is installed on %s", t->a.hostname,
                 t->f.disk);
    r = newtWinChoice((char *)"Done", (char *)"Reboot", (char *)"Power off",
                      (char *)"%s.\n\nRemove the installation medium, then "
                              "reboot into the host.",
                      done);

    t->result = r == 2 ? TUI_POWEROFF : TUI_REBOOT;
    return S_QUIT;
}

static void defaults(struct tui *t)
{
    struct form *f = &t->f;
    int n;

    f->dhcp = 1;
    f->guest_storage = 1;
    snprintf(f->hostname, sizeof(f->hostname), "xenplay");
    snprintf(f->timezone, sizeof(f->timezone), "UTC");
    snprintf(f->keymap, sizeof(f->keymap), "us");
    snprintf(f->subnet, sizeof(f->subnet), "255.255.255.0");
    hw_medium_disk("/", t->medium, sizeof(t->medium));
    t->ndisks = hw_disks("/", t->disks, HW_MAX);
    for (int i = 0; i < t->ndisks; i++)
        if (strcmp(t->disks[i].name, t->medium)) {
            snprintf(f->disk, sizeof(f->disk), "/dev/%s", t->disks[i].name);
            break;
        }
    /* the first NIC with a link, else the first */
    n = hw_nics("/", t->nics, HW_MAX);
    for (int i = n - 1; i >= 0; i--)
        if (t->nics[i].carrier == 1 || !f->nic[0])
            snprintf(f->nic, sizeof(f->nic), "%s", t->nics[i].mac);
    answerfile_hash_password("unset", t->dummy_hash, sizeof(t->dummy_hash));
}

enum tui_result tui_run(const char *source, const char *workdir)
{
    static enum screen (*const screens[])(struct tui *) = {
        [S_WELCOME] = s_welcome, [S_DISK] = s_disk,       [S_NET] = s_net,
        [S_ADDR] = s_addr,       [S_HOST] = s_host,       [S_ROOT] = s_root,
        [S_CONFIRM] = s_confirm, [S_INSTALL] = s_install, [S_DONE] = s_done,
    };
    struct tui *t = calloc(1, sizeof(*t));
    enum screen s = S_WELCOME;
    enum tui_result result;

    if (!t)
        return TUI_FAILED;
    t->source = source;
    t->workdir = workdir;
    defaults(t);
    newtInit();
    newtCls();
    newtDrawRootText(0, 0, "xenplay host installer");
    newtPushHelpLine(" <Tab> next field  |  <Space> select  |  <Enter> "
                     "press the button");
    while (s != S_QUIT)
        s = screens[s](t);
    newtFinished();
    fputs(t->steps, stdout);
    fflush(stdout);
    result = t->result;
    free(t->xml);
    explicit_bzero(t, sizeof(*t));
    free(t);
    return result;
}
