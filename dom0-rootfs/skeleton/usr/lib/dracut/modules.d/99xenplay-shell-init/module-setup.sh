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
}
