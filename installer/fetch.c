/*
 * fetch.c: copy a file the installer is pointed at to a local path (see
 * fetch.h).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "xp-run.h"

/*
 * Before anything goes over HTTP: up to two minutes for the live system's
 * management bridge (xenbr0, dom0-rootfs/overlay/etc/systemd/network/) to
 * have a routable address; its DHCP lease takes tens of seconds under
 * emulation.  Not --any: on a netboot the uplink NIC still holds the
 * initrd's lease until it joins the bridge, and a fetch then found no
 * route.  network-online.target says less on a xenplay host: the uplink is
 * in the bridge (xenplay-uplink; systemd-networkd-wait-online.service is
 * masked).  Where networkd does not run (the unit tests on a build
 * machine) there is nothing to wait for.
 */
static void wait_routable(void)
{
    const char *const argv[] = {"/usr/lib/systemd/systemd-networkd-wait-online",
                                "--interface=xenbr0:routable", "--timeout=120",
                                NULL};
    struct xp_cmd c = {.argv = argv};

    if (access("/run/systemd/netif/links", F_OK) == 0)
        xp_cmd_run(&c);
}

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

    if (http)
        wait_routable();
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
