#!/bin/bash
# xenplay-coldplug: the netboot initrd's coldplug (systemd's trigger
# unit) replays only the devices that finding the root can need
# (coldplug-args.sh says which, and why).

# dracut's module API sets moddir, initdir and the *dir variables.
# shellcheck disable=SC2154
check() {
    return 255
}

depends() {
    echo systemd-udevd
}

install() {
    # shellcheck source=coldplug-args.sh
    . "$moddir/coldplug-args.sh"
    # A drop-in can only replace ExecStart: the line below is systemd
    # 257's own (systemd-udev-trigger.service) with --type and the skips
    # changed, and module and tty out of the prioritized subsystems.  The
    # build stops when the packaged line changes (the image's hook
    # 0860-root-coldplug, which starts from the same line).
    mkdir -p "$initdir$systemdsystemunitdir/systemd-udev-trigger.service.d"
    cat >"$initdir$systemdsystemunitdir/systemd-udev-trigger.service.d/xenplay.conf" <<UNIT
# xenplay-coldplug: devices only, not the classes an initrd never waits
# for (see modules.d/99xenplay-coldplug/coldplug-args.sh on the host).
[Service]
ExecStart=
ExecStart=-udevadm trigger $(xenplay_coldplug_args)
UNIT
}
