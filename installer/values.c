/*
 * values.c: the rules for an answer's values and its defaults, the one
 * source of each: the answer-file parser, the interactive installer's
 * form and make pxe's hosts file (xenplay-install --check-hostname,
 * --check-mac) all ask these.  See answerfile.h.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <crypt.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answerfile.h"
#include "layout.h"

int af_valid_hostname(const char *v, char *why, size_t len)
{
    const char *p;

    for (p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.') {
            snprintf(why, len, "'%s' has a character that is not allowed: '%c'",
                     v, *p);
            return -EINVAL;
        }
    for (p = v; *p;) {
        size_t l = strcspn(p, ".");

        if (l == 0 || l > 63 || p[0] == '-' || p[l - 1] == '-') {
            snprintf(why, len,
                     "'%s' is not a valid host name (labels of 1 to 63 "
                     "letters, digits and inner hyphens, joined by dots)",
                     v);
            return -EINVAL;
        }
        p += l;
        if (*p && !*++p) { /* a trailing dot */
            snprintf(why, len,
                     "'%s' is not a valid host name (it ends "
                     "with a dot)",
                     v);
            return -EINVAL;
        }
    }
    if (!*v || strlen(v) > 253) {
        snprintf(why, len,
                 "'%s' is not a valid host name (1 to 253 characters)", v);
        return -EINVAL;
    }
    return 0;
}

int af_valid_mac(const char *v, char *why, size_t len)
{
    for (int i = 0; i < 17; i++) {
        int hex = i % 3 != 2;

        if (hex ? !isxdigit((unsigned char)v[i]) : v[i] != ':') {
            snprintf(why, len,
                     "'%s' is not a MAC address like 00:16:3e:12:34:56", v);
            return -EINVAL;
        }
    }
    if (v[17]) {
        snprintf(why, len, "'%s' is not a MAC address like 00:16:3e:12:34:56",
                 v);
        return -EINVAL;
    }
    return 0;
}

int answerfile_hash_password(const char *password, char *hash, size_t len)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data *cd = calloc(1, sizeof(*cd));
    const char *h;
    int rc = 0;

    if (!cd)
        return -ENOMEM;
    if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof(salt)) ||
        !(h = crypt_r(password, salt, cd)) || h[0] == '*')
        rc = errno ? -errno : -EINVAL;
    else if (strlen(h) >= len)
        rc = -ENAMETOOLONG;
    else
        snprintf(hash, len, "%s", h);
    explicit_bzero(cd, sizeof(*cd));
    free(cd);
    return rc;
}

int netmask_prefix(const char *mask)
{
    struct in_addr in;
    uint32_t m;
    int n = 0;

    if (inet_pton(AF_INET, mask, &in) != 1)
        return -1;
    m = ntohl(in.s_addr);
    while (m & 0x80000000u) {
        n++;
        m <<= 1;
    }
    return m ? -1 : n; /* bits after the first 0: not a netmask */
}

const char *af_stage_name(enum af_stage s)
{
    static const char *const names[AF_STAGE_COUNT] = {
        "installation-start", "filesystem-populated", "installation-complete"};

    return s < AF_STAGE_COUNT ? names[s] : "?";
}

int answers_have_sr(const struct answers *a)
{
    return a->guest_storage || a->nguest_disks;
}

const char *answers_sr_text(const struct answers *a)
{
    if (!answers_have_sr(a))
        return "none";
    /* short enough for a line of the interactive installer's plan */
    return a->sr_type == AF_SR_EXT
               ? "files on ext4 in " SR_EXT_MOUNT " (srtype ext)"
               : "logical volumes in " VG_NAME " (srtype lvm)";
}

void answers_defaults(struct answers *a)
{
    memset(a, 0, sizeof(*a));
    snprintf(a->mode, sizeof(a->mode), "fresh");
    a->guest_storage = 1;
    snprintf(a->hostname, sizeof(a->hostname), "xenplay");
    snprintf(a->timezone, sizeof(a->timezone), "UTC");
    snprintf(a->keymap, sizeof(a->keymap), "us");
    snprintf(a->bootloader_location, sizeof(a->bootloader_location), "mbr");
    a->ntp = AF_NTP_DEFAULT;
}
