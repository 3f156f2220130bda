/*
 * fetch.h: copy a file the installer is pointed at (an answer file, a
 * script, dom0's initrd on a netboot server) to a local path: one way,
 * for every caller.
 */
#ifndef FETCH_H
#define FETCH_H

#include <stddef.h>

/*
 * Copy URL (http://, https://, file:// or a plain path) to PATH.  Over
 * HTTP it first asks systemd for the network (the unattended installer
 * starts before it is up) and lets curl retry.  0, or -1 with the tool's
 * own last words in WHY ("curl: (22) The requested URL returned error:
 * 404", "cp: cannot stat ...").  CMD, when not NULL, gets the command
 * line that ran, for a log.
 */
int fetch_url(const char *url, const char *path, char *cmd, size_t cmdlen,
              char *why, size_t len);

#endif
