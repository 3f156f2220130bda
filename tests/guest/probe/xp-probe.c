/*
 * xp-probe: print this Linux system's row of the PV spectrum (slide 29 of
 * the seed talk) with the evidence for each verdict, as text, as one
 * machine-readable "xp-probe: row ..." line and as JSON.  Built static, it
 * runs in the boot tests' guests from their initramfs; it works on any
 * Linux, Xen or not.
 *
 * Usage: xp-probe [--root DIR] [--json] [--dump]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spectrum.h"

static void usage(FILE *f)
{
    fprintf(f, "Usage: xp-probe [OPTIONS]\n"
               "Print this system's row of the PV spectrum: for boot, memory,\n"
               "interrupts, timers, spinlocks, disk, network and privileged\n"
               "operations, whether they are emulated, paravirtualized or\n"
               "hardware, and why.\n\n"
               "  --root DIR  read /proc, /sys and the kernel log ('dmesg')\n"
               "              from a captured tree under DIR (default /)\n"
               "  --json      print only the JSON\n"
               "  --dump      first print every piece of evidence read, for\n"
               "              tests/guest/probe/undump to turn into a tree\n"
               "  --help      this text\n");
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"root", required_argument, NULL, 'r'},
        {"json", no_argument, NULL, 'j'},
        {"dump", no_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *root = "/";
    struct spectrum sp;
    char line[512];
    int json_only = 0, dump = 0, c, a, k, rc;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r': root = optarg; break;
        case 'j': json_only = 1; break;
        case 'd': dump = 1; break;
        case 'h': usage(stdout); return 0;
        default: fprintf(stderr, "xp-probe: see --help\n"); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "xp-probe: unexpected argument '%s'; see --help\n",
                argv[optind]);
        return 2;
    }

    rc = spectrum_probe(&sp, root, dump ? stdout : NULL);
    if (rc < 0) {
        fprintf(stderr,
                "xp-probe: cannot read %s/proc: %s (is /proc "
                "mounted?)\n",
                strcmp(root, "/") ? root : "", strerror(-rc));
        return 1;
    }
    if (json_only) {
        spectrum_json(&sp, stdout);
        return 0;
    }
    for (a = 0; a < A_COUNT; a++)
        printf("xp-probe: %-21s %-15s %s\n", aspect_title(a),
               level_name(sp.level[a]), sp.evidence[a]);
    k = spectrum_kind(&sp);
    printf("xp-probe: kind %s\n", k < 0 ? "unknown" : kind_name(k));
    if (spectrum_row_line(&sp, line, sizeof(line)) == 0)
        printf("%s\n", line);
    printf("xp-probe: json ");
    spectrum_json(&sp, stdout);
    return 0;
}
