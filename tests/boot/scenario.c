/*
 * scenario.c: parse scenario files (see scenario.h); machine profiles are
 * machine.c's, the file format lines.c's.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "lines.h"
#include "scenario.h"
#include "xp-fs.h"

void unescape_keys(char *s)
{
    char *d = s;

    for (; *s; s++) {
        if (*s != '\\' || !s[1]) {
            *d++ = *s;
            continue;
        }
        s++;
        switch (*s) {
        case 'r': *d++ = '\r'; break;
        case 'n': *d++ = '\n'; break;
        case 't': *d++ = '\t'; break;
        case 'x': /* \xHH: a control key, e.g. \x01 for Ctrl-A */
            if (isxdigit((unsigned char)s[1]) &&
                isxdigit((unsigned char)s[2])) {
                char hex[3] = {s[1], s[2], '\0'};

                *d++ = (char)strtol(hex, NULL, 16);
                s += 2;
            } else {
                *d++ = *s;
            }
            break;
        case 'e': *d++ = '\033'; break;
        default: *d++ = *s; break;
        }
    }
    *d = '\0';
}

static int parse_timeout(const char *s, int *out)
{
    char *end;
    long v;

    if (!s)
        return -EINVAL;
    v = strtol(s, &end, 10);
    if (*end || v <= 0 || v > 24 * 3600)
        return -EINVAL;
    *out = (int)v;
    return 0;
}

static int add_step(struct scenario *s, enum step_kind kind, const char *name,
                    int timeout, const char *text, const char *regex)
{
    struct step *p = realloc(s->steps, (s->nsteps + 1) * sizeof(*p));
    struct step *st;

    if (!p)
        return -ENOMEM;
    s->steps = p;
    st = &p[s->nsteps];
    memset(st, 0, sizeof(*st));
    st->kind = kind;
    st->timeout = timeout;
    st->name = strdup(name ? name : "");
    st->text = strdup(text ? text : "");
    st->regex = regex ? strdup(regex) : NULL;
    s->nsteps++;
    if (!st->name || !st->text || (regex && !st->regex))
        return -ENOMEM;
    return 0;
}

/*
 * The placeholders a scenario may write instead of a fact that has its
 * one source elsewhere, and how the harness learns its value.
 */
static struct placeholder {
    const char *key;
    char *value;
    const char *how;
} placeholders[] = {
    {"@XEN@", NULL,
     "Xen's version, which xp-boot takes from debian/control "
     "beside its --dir, or from --xen-version VERSION"},
};

int scenario_define(const char *key, const char *value)
{
    for (size_t i = 0; i < sizeof(placeholders) / sizeof(*placeholders); i++)
        if (!strcmp(placeholders[i].key, key)) {
            char *v = strdup(value);

            if (!v)
                return -ENOMEM;
            free(placeholders[i].value);
            placeholders[i].value = v;
            return 0;
        }
    return -ENOENT;
}

/* REST with every placeholder replaced, in a new string (*OUT). */
static int expand(const char *rest, char **out, struct where *w)
{
    size_t cap = strlen(rest) + 1, len = 0;
    char *buf = malloc(cap);

    if (!buf)
        return -ENOMEM;
    while (*rest) {
        const struct placeholder *ph = NULL;
        const char *add = rest;
        size_t n = 1;

        for (size_t i = 0; i < sizeof(placeholders) / sizeof(*placeholders);
             i++)
            if (!strncmp(rest, placeholders[i].key,
                         strlen(placeholders[i].key)))
                ph = &placeholders[i];
        if (ph && !ph->value) {
            seterr(w, "%s stands for %s", ph->key, ph->how);
            free(buf);
            return -EINVAL;
        }
        if (ph) {
            add = ph->value;
            n = strlen(ph->value);
            rest += strlen(ph->key);
        } else {
            rest++;
        }
        if (len + n + 1 > cap) {
            char *p = realloc(buf, cap = 2 * (len + n + 1));

            if (!p) {
                free(buf);
                return -ENOMEM;
            }
            buf = p;
        }
        memcpy(buf + len, add, n);
        len += n;
    }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

static int scenario_step_line(void *obj, char *key, char *rest,
                              struct where *w);

static int scenario_line(void *obj, char *key, char *rest, struct where *w);

/* What the include being read puts before its checks' names ("" outside
 * one): the same checks, run on several boots of one scenario, each with
 * a name of its own. */
static const char *include_prefix = "";

/* include NAME [PREFIX]: the lines of NAME.inc beside the including
 * file; with PREFIX, each check and host step is named PREFIX-NAME. */
static int include_file(void *obj, char *rest, struct where *w)
{
    static int depth;
    char path[PATH_MAX], *name = word(&rest), *prefix = word(&rest);
    const char *outer = include_prefix;
    const char *slash = strrchr(w->path, '/');
    struct where inner = *w;
    int rc;

    if (!name || *rest || strchr(name, '/') || (prefix && *outer)) {
        seterr(w, "'include' takes a name, the file NAME.inc beside "
                  "the scenario, and a prefix for its checks' names "
                  "(not inside an include that has one)");
        return -EINVAL;
    }
    if (depth >= 4) {
        seterr(w, "includes nested more than 4 deep (one including itself?)");
        return -ELOOP;
    }
    snprintf(path, sizeof(path), "%.*s%s.inc",
             slash ? (int)(slash - w->path + 1) : 0, w->path, name);
    if (access(path, R_OK) < 0) {
        seterr(w, "cannot include %s: %s", path, strerror(errno));
        return -errno;
    }
    depth++;
    if (prefix)
        include_prefix = prefix;
    rc = read_keyed_lines(path, scenario_line, obj, &inner);
    include_prefix = outer;
    depth--;
    return rc;
}

static int scenario_line(void *obj, char *key, char *rest, struct where *w)
{
    char *text;
    int rc = expand(rest, &text, w);

    if (rc < 0)
        return rc;
    if (!strcmp(key, "include"))
        rc = include_file(obj, text, w);
    else
        rc = scenario_step_line(obj, key, text, w);
    free(text);
    return rc;
}

static int scenario_step_line(void *obj, char *key, char *rest, struct where *w)
{
    struct scenario *s = obj;
    char *nm, *to, *sep, *v;
    int timeout = 0;

    if (!strcmp(key, "description"))
        return set_str(&s->description, rest);
    if (!strcmp(key, "machine") || !strcmp(key, "medium")) {
        v = word(&rest);
        if (!v || *rest) {
            seterr(w, "'%s' takes one word", key);
            return -EINVAL;
        }
        return set_str(key[1] == 'a' ? &s->machine : &s->medium, v);
    }
    if (!strcmp(key, "mac")) {
        unsigned b[6];
        char end;

        v = word(&rest);
        if (!v || *rest ||
            sscanf(v, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
                   &b[4], &b[5], &end) != 6 ||
            strlen(v) != 17 || (b[0] & 1)) {
            seterr(w, "'mac' takes one unicast MAC address, like "
                      "52:54:00:12:34:56");
            return -EINVAL;
        }
        return set_str(&s->mac, v);
    }
    if (!strcmp(key, "stage") || !strcmp(key, "shell") ||
        !strcmp(key, "check") || !strcmp(key, "host")) {
        nm = word(&rest);
        to = word(&rest);
        if (!nm || parse_timeout(to, &timeout) < 0) {
            seterr(w, "'%s' needs a NAME and a TIMEOUT in seconds", key);
            return -EINVAL;
        }
        if (!strcmp(key, "shell"))
            return add_step(s, STEP_SHELL, nm, timeout, "", NULL);
        if (!*rest) {
            seterr(w, "'%s %s' has no %s", key, nm,
                   key[1] == 't' ? "marker" : "command");
            return -EINVAL;
        }
        if (!strcmp(key, "stage"))
            return add_step(s, STEP_STAGE, nm, timeout, rest, NULL);
        sep = strstr(rest, " :: ");
        if (sep)
            *sep = '\0';
        /* A check is typed on the console as one framed line: one that
         * does not fit would fail only when its machine gets there. */
        if (key[0] == 'c') {
            char framed[FRAME_MAX];

            if (frame_command(framed, sizeof(framed), UINT_MAX, rest) < 0) {
                seterr(w,
                       "'check %s' is %zu bytes long, more than one console "
                       "line takes with its framing (%d): split it into two "
                       "checks",
                       nm, strlen(rest), FRAME_MAX);
                return -EINVAL;
            }
        }
        if (*include_prefix) {
            char named[256];

            snprintf(named, sizeof(named), "%s-%s", include_prefix, nm);
            return add_step(s, key[0] == 'h' ? STEP_HOST : STEP_CHECK, named,
                            timeout, rest, sep ? sep + 4 : NULL);
        }
        return add_step(s, key[0] == 'h' ? STEP_HOST : STEP_CHECK, nm, timeout,
                        rest, sep ? sep + 4 : NULL);
    }
    if (!strcmp(key, "send")) {
        if (!*rest) {
            seterr(w, "'send' needs keys");
            return -EINVAL;
        }
        unescape_keys(rest);
        return add_step(s, STEP_SEND, "send", 1, rest, NULL);
    }
    if (!strcmp(key, "fail"))
        return push_str(&s->fail, &s->nfail, rest);
    if (!strcmp(key, "disk")) {
        struct disk *d;
        unsigned long long size;

        nm = word(&rest);
        v = word(&rest);
        if (!nm || !v || *rest || parse_size(v, &size) < 0) {
            seterr(w, "'disk' needs a SERIAL and a SIZE (like 4G)");
            return -EINVAL;
        }
        d = realloc(s->disks, (s->ndisks + 1) * sizeof(*d));
        if (!d)
            return -ENOMEM;
        s->disks = d;
        d[s->ndisks].size = size;
        d[s->ndisks].serial = strdup(nm);
        if (!d[s->ndisks++].serial)
            return -ENOMEM;
        return 0;
    }
    if (!strcmp(key, "answer")) {
        v = word(&rest);
        if (!v || *rest || strchr(v, '/')) {
            seterr(w, "'answer' takes one NAME (a directory in "
                      "tests/boot/answers/)");
            return -EINVAL;
        }
        return set_str(&s->answer, v);
    }
    if (!strcmp(key, "poweroff")) {
        to = word(&rest);
        if (parse_timeout(to, &timeout) < 0 || *rest) {
            seterr(w, "'poweroff' needs a TIMEOUT in seconds");
            return -EINVAL;
        }
        return add_step(s, STEP_POWEROFF, "poweroff", timeout, "", NULL);
    }
    if (!strcmp(key, "boot")) {
        v = word(&rest);
        nm = word(&rest);
        if (!v ||
            (strcmp(v, "disk") && strcmp(v, "medium") &&
             strcmp(v, "medium-next")) ||
            *rest || (nm && (v[0] == 'd' || strchr(nm, '/')))) {
            seterr(w, "'boot' takes 'disk' (boot again from the scenario's "
                      "disks), or 'medium' (again from the medium) or "
                      "'medium-next' (from xp-boot --medium-next) and "
                      "optionally the answer volume NAME for that boot");
            return -EINVAL;
        }
        if (!strcmp(v, "medium-next"))
            s->medium_next = 1;
        /* The step's text: the answer volume of that boot, if it changes. */
        return add_step(s, v[0] == 'd' ? STEP_BOOTDISK : STEP_BOOTMEDIUM, v, 1,
                        nm ? nm : "", NULL);
    }
    if (!strcmp(key, "kill")) {
        if (*rest) {
            seterr(w, "'kill' takes no arguments");
            return -EINVAL;
        }
        return add_step(s, STEP_KILL, "kill", 1, "", NULL);
    }
    if (!strcmp(key, "absent")) {
        nm = word(&rest);
        to = word(&rest);
        if (!nm || parse_timeout(to, &timeout) < 0 || !*rest) {
            seterr(w, "'absent' needs a NAME, a TIMEOUT and a MARKER");
            return -EINVAL;
        }
        return add_step(s, STEP_ABSENT, nm, timeout, rest, NULL);
    }
    if (!strcmp(key, "kit")) {
        if (*rest) {
            seterr(w, "'kit' takes no arguments");
            return -EINVAL;
        }
        s->kit = 1;
        return 0;
    }
    if (!strcmp(key, "http")) {
        if (*rest) {
            seterr(w, "'http' takes no arguments (xp-boot --http DIR "
                      "says what is served)");
            return -EINVAL;
        }
        s->http = 1;
        return 0;
    }
    if (!strcmp(key, "smp")) {
        if (*rest && strcmp(rest, "shared")) {
            seterr(w, "'smp' takes no argument but 'shared' (one of the "
                      "machine's CPUs busy: it shares the lanes)");
            return -EINVAL;
        }
        s->smp = *rest ? SMP_SHARED : SMP_ALONE;
        return 0;
    }
    if (!strcmp(key, "guest")) {
        nm = word(&rest);
        to = word(&rest);
        if (!nm || parse_timeout(to, &timeout) < 0) {
            seterr(w, "'guest' needs a KIND and a TIMEOUT in seconds");
            return -EINVAL;
        }
        if (strcmp(nm, "pv") && strcmp(nm, "pvh") && strcmp(nm, "hvm") &&
            strcmp(nm, "pvhvm")) {
            seterr(w, "unknown guest kind '%s' (pv, pvh, hvm, pvhvm)", nm);
            return -EINVAL;
        }
        if (!s->kit) {
            seterr(w, "'guest' needs the guest kit: add a 'kit' line first");
            return -EINVAL;
        }
        return add_step(s, STEP_GUEST, nm, timeout, rest, NULL);
    }
    seterr(w,
           "unknown keyword '%s' (known: description machine medium "
           "stage send shell check fail disk kit http smp mac answer poweroff "
           "boot kill absent guest host)",
           key);
    return -EINVAL;
}

int scenario_parse(struct scenario *s, const char *name, const char *path,
                   char *err, size_t errlen)
{
    struct where w = {.err = err, .errlen = errlen};
    int rc;

    memset(s, 0, sizeof(*s));
    s->name = strdup(name);
    rc = s->name ? read_keyed_lines(path, scenario_line, s, &w) : -ENOMEM;
    if (rc == 0 && (!s->machine || !s->medium || !s->nsteps)) {
        seterr(&w, "a scenario needs 'machine', 'medium' and at least one "
                   "step");
        rc = -EINVAL;
    }
    if (rc < 0)
        scenario_free(s);
    return rc;
}

void scenario_free(struct scenario *s)
{
    size_t i;

    for (i = 0; i < s->nsteps; i++) {
        free(s->steps[i].name);
        free(s->steps[i].text);
        free(s->steps[i].regex);
    }
    free(s->steps);
    xp_strv_free(s->fail);
    for (i = 0; i < s->ndisks; i++)
        free(s->disks[i].serial);
    free(s->disks);
    free(s->answer);
    free(s->name);
    free(s->description);
    free(s->machine);
    free(s->medium);
    free(s->mac);
    memset(s, 0, sizeof(*s));
}

size_t scenario_after_checks(const struct scenario *s, size_t from, size_t to)
{
    int seen_check = 0;

    for (size_t k = from; k < to; k++) {
        enum step_kind kind = s->steps[k].kind;

        if (kind == STEP_SHELL || kind == STEP_CHECK || kind == STEP_GUEST ||
            kind == STEP_HOST)
            seen_check = 1;
        else if (seen_check)
            return k;
    }
    return to;
}

size_t scenario_checks(const struct scenario *s)
{
    size_t i, n = 0, from = 0;

    int shell = 0; /* this boot has a shell: one crash scan at its end */

    for (i = 0; i < s->nsteps; i++) {
        enum step_kind k = s->steps[i].kind;

        if (k == STEP_BOOTDISK || k == STEP_BOOTMEDIUM) {
            n += shell + (scenario_after_checks(s, from, i) < i);
            shell = 0;
            from = i + 1;
        }
        if (k == STEP_SHELL)
            shell = 1;
        n += k == STEP_CHECK || k == STEP_HOST || k == STEP_BOOTDISK ||
                     k == STEP_BOOTMEDIUM
                 ? 1
             : k == STEP_GUEST ? GUEST_RESULTS
                               : 0;
    }
    return n + shell + (scenario_after_checks(s, from, s->nsteps) < s->nsteps);
}
int parse_size(const char *s, unsigned long long *out)
{
    unsigned long long v, mult = 1;
    char *end;

    if (!s || !*s || *s == '-')
        return -EINVAL;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -EINVAL;
    switch (*end) {
    case '\0': break;
    case 'K':
        mult = 1ULL << 10;
        end++;
        break;
    case 'M':
        mult = 1ULL << 20;
        end++;
        break;
    case 'G':
        mult = 1ULL << 30;
        end++;
        break;
    default: return -EINVAL;
    }
    if (*end || v == 0 || v > (1ULL << 50) / mult)
        return -EINVAL;
    *out = v * mult;
    return 0;
}
