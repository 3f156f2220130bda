/*
 * answerfile.h: XenServer/XCP-ng answer files, as xenplay-install reads
 * them.
 *
 * The format is host-installer's (doc/answerfile.txt there): an
 * <installation> element with the host's settings as children.  The
 * elements xenplay supports are one table in answerfile.c; the same table
 * prints `xenplay-install --help-answerfile` and installer/answerfile.md.
 * An element that is not in the table is an error naming the element and
 * its line.
 *
 * Nothing here prints: functions return a negative errno and fill in ERR
 * with "FILE:LINE: what is wrong and what to do".
 */
#ifndef XENPLAY_ANSWERFILE_H
#define XENPLAY_ANSWERFILE_H

#include <stddef.h>
#include <stdio.h>

#define AF_MAX_LIST 8

enum af_proto { AF_PROTO_DHCP, AF_PROTO_STATIC };
enum af_ntp { AF_NTP_DEFAULT, AF_NTP_DHCP, AF_NTP_MANUAL, AF_NTP_NONE };
/* The guest storage repository (XCP-ng's srtype): an LVM volume group
 * whose logical volumes are the guests' disks, or (ext) one ext4 file
 * system on that volume group holding the guests' disks as files. */
enum af_sr { AF_SR_LVM, AF_SR_EXT };
enum af_stage {
    AF_STAGE_START,     /* installation-start */
    AF_STAGE_POPULATED, /* filesystem-populated: argument: the root */
    AF_STAGE_COMPLETE,  /* installation-complete: argument: 0 or 1 */
    AF_STAGE_COUNT
};

struct af_script {
    enum af_stage stage;
    char url[512]; /* file:// or http:// */
};

struct answers {
    /* "fresh"; "upgrade" (<installation mode="upgrade">) or "restore"
     * (<restore>): existing_disk holds the installed host */
    char mode[16];
    char existing_disk[128];
    char primary_disk[128];
    int guest_storage; /* the rest of the primary disk is guest storage */
    enum af_sr sr_type;
    char guest_disks[AF_MAX_LIST][128];
    size_t nguest_disks;

    /* admin-interface: by name or by MAC */
    char admin_name[32];
    char admin_hwaddr[18];
    enum af_proto proto;
    char ipaddr[16], subnet[16], gateway[16];
    int vlan; /* 0: untagged */

    char name_servers[AF_MAX_LIST][46];
    size_t nname_servers;
    char hostname[64];
    char timezone[64];
    enum af_ntp ntp;
    char ntp_servers[AF_MAX_LIST][256];
    size_t nntp_servers;
    char keymap[32];

    /* root-password: stored as a crypt(3) hash, never as plain text */
    char root_hash[256];
    int root_password_set;
    char root_ssh_keys[AF_MAX_LIST][1024];
    size_t nroot_ssh_keys;
    int ssh_root_password; /* allow root password logins over SSH */

    struct af_script scripts[AF_MAX_LIST];
    size_t nscripts;
    char bootloader_location[16]; /* "mbr" */
    /* <source type="url">: the xenplay medium (an ISO's contents or make
     * pxe's bundle, over HTTP) whose debian/ the installed host's apt
     * takes xenplay's packages from; empty: the medium it installs from */
    char repo_url[512];

    char notes[4][256]; /* accepted and ignored elements, for the log */
    size_t nnotes;
};

void answers_defaults(struct answers *a);
/* 1 if the install makes a guest storage repository: the rest of the
 * primary disk (guest-storage) or guest disks. */
int answers_have_sr(const struct answers *a);
/* Where the install puts the guests' disks, in words (--check,
 * --dry-run and the interactive installer's plan): "none" when it makes
 * no storage repository. */
const char *answers_sr_text(const struct answers *a);

/*
 * Parse the answer file in BUF (LEN bytes) named NAME (for messages).
 * Plain-text passwords are hashed here (yescrypt); the plain text is not
 * kept.  0, or -EINVAL / -ENOMEM with ERR set.
 */
int answerfile_parse(struct answers *a, const char *buf, size_t len,
                     const char *name, char *err, size_t errlen);

/* Read PATH and parse it; messages name it NAME (where it came from). */
int answerfile_load(struct answers *a, const char *path, char *err,
                    size_t errlen);
int answerfile_load_as(struct answers *a, const char *path, const char *name,
                       char *err, size_t errlen);

/* A yescrypt crypt(3) hash of PASSWORD into HASH; 0 or a negative errno. */
int answerfile_hash_password(const char *password, char *hash, size_t len);

/* The schema as help text (--help-answerfile) or as Markdown. */
void answerfile_help(FILE *f, int markdown);

const char *af_stage_name(enum af_stage s);

/* A dotted netmask as a prefix length, or -1 when it is not one. */
int netmask_prefix(const char *mask);

/*
 * The rules for values that also come from outside an answer file (make
 * pxe's hosts file asks xenplay-install --check-hostname/--check-mac):
 * 0, or -EINVAL with WHY saying what is wrong, starting with the value
 * in quotes.
 */
int af_valid_hostname(const char *v, char *why, size_t len);
int af_valid_mac(const char *v, char *why, size_t len);

#endif
