#!/bin/bash
# xenplay-shell-init: what the initrd without systemd (dracut's shell
# /init, 30-xenplay-shell-init.conf) changes before it hands over to
# systemd in the real root.
#
# dracut's shell /init mounts /run and /dev/shm noexec, and switch_root
# moves them into the real root, where systemd keeps them as it finds
# them.  systemd mounts both without noexec when it mounts them itself
# (as it did when the initrd ran systemd), and the host's programs
# expect that: the installer runs an answer file's scripts from
# /run/xenplay-install, and dracut's shutdown runs from /run/initramfs.
# The hook gives the real root those two as systemd would have.
#
# dracut's shell /init replays every subsystem and every device
# (udevadm trigger, twice); the initrd only has to find the root, and the
# real root replays what it needs itself.  The two lines become the one
# coldplug of xenplay-coldplug (coldplug-args.sh there: the same list as
# the netboot initrd's), measured in docs/testing.md (session 38).
# Where dracut's /init no longer has the lines as written here, it stays
# as it is, with a warning, and the image's build stops (0900-check-initrd).

# dracut's module API sets moddir.
# shellcheck disable=SC2154
check() {
    return 255
}

depends() {
    return 0
}

install() {
    inst_hook pre-pivot 99 "$moddir/xenplay-run-exec.sh"
    # shellcheck source=../99xenplay-coldplug/coldplug-args.sh
    . "$moddir/../99xenplay-coldplug/coldplug-args.sh"
    local init="$initdir/init" new
    new=$(awk -v args="$(xenplay_coldplug_args)" '
        $0 == "udevadm trigger --type=subsystems --action=add > /dev/null 2>&1" {
            print "# xenplay-shell-init: devices only, not the classes an initrd never waits for"; n++; next }
        $0 == "udevadm trigger --type=devices --action=add > /dev/null 2>&1" {
            print "udevadm trigger " args " > /dev/null 2>&1"; n++; next }
        { print }
        END { exit n != 2 }' "$init") || {
        # A newer dracut on an installed host: its /init as it is (slower,
        # not wrong), and the kernel's upgrade goes on.  The image's build
        # stops instead (hooks/rootfs.d/0900-check-initrd).
        dwarn "xenplay-shell-init: dracut's /init no longer has the two 'udevadm trigger' lines that $moddir/module-setup.sh replaces: it replays every subsystem and device"
        return 0
    }
    printf '%s\n' "$new" >"$init"
}
