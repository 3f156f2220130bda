/*
 * tui.h: the interactive installer, a newt TUI (the library XenServer's
 * host installer uses) that works on a serial console as on a screen.
 *
 * It asks for the disk, the management NIC and its address, the host's
 * name, time zone, keymap and NTP servers, and root's password or key;
 * it writes the answers as an answer file (form.h), runs the engine's
 * checks as a dry run, shows the plan, and installs only after the
 * person confirms the disk to erase.  Then it shows each step's
 * progress and the verdict.  A disk that holds a complete xenplay install
 * gets the choice XCP-ng's installer offers: upgrade it from this medium,
 * restore the version it ran before, or erase it (the engine's own
 * checks, writing nothing, say which of them may go ahead).
 */
#ifndef XENPLAY_TUI_H
#define XENPLAY_TUI_H

/* What the person chose at the end. */
enum tui_result {
    TUI_REBOOT = 0,   /* installed: reboot into the new host */
    TUI_FAILED = 1,   /* the install failed (the disk does not boot) */
    TUI_SHELL = 3,    /* quit to a shell */
    TUI_POWEROFF = 4, /* installed: power off */
};

/*
 * Run the installer on the terminal on stdin/stdout.  SOURCE is the root
 * file system to copy (/run/rootfsbase), WORKDIR where the log goes.
 * Prints the machine-readable step and verdict lines on stdout once the
 * screen is released.
 */
enum tui_result tui_run(const char *source, const char *workdir);

#endif
