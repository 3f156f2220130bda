/*
 * fetch.c: copy a file the installer is pointed at to a local path (see
 * fetch.h).
 */
#include <stdio.h>
#include <string.h>

#include "fetch.h"
#include "xp-run.h"

int fetch_url(const char *url, const char *path, char *cmd, size_t cmdlen,
              char *why, size_t len)
{
    char out[512] = "", how[128];
    int http = !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8);
    const char *src = strncmp(url, "file://", 7) ? url : url + 7;
    const char *const cp[] = {"cp", "--", src, path, NULL};
    const char *const curl[] = {
        "curl",       "--fail",     "--silent", "--show-error",
        "--location", "--max-time", "60",       "--retry",
        "3",          "-o",         path,       url,
        NULL};
    struct xp_cmd c = {.argv = http ? curl : cp,
                       .err = XP_RUN_TO_OUT,
                       .capture = out,
                       .capture_len = sizeof(out)};
    int st;

    if (http) {
        /* Not under systemd (the tests), there is nothing to wait for. */
        const char *const online[] = {"systemctl", "start",
                                      "network-online.target", NULL};
        struct xp_cmd net = {.argv = online};

        xp_cmd_run(&net);
    }
    if (cmd)
        xp_cmd_str(&c, cmd, cmdlen);
    st = xp_cmd_run(&c);
    if (xp_status_ok(st))
        return 0;
    out[strcspn(out, "\n")] = '\0';
    if (out[0]) {
        snprintf(why, len, "%s", out);
    } else {
        xp_status_str(st, how, sizeof(how));
        snprintf(why, len, "%s: %s", c.argv[0], how);
    }
    return -1;
}
