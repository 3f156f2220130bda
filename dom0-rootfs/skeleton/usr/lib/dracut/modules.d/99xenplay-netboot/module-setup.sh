#!/bin/bash
# xenplay-netboot: the netboot parts of the netboot bundle's initrd (make pxe).
#
# The live root over HTTP (livenet: root=live:http://...) needs a network
# in the initrd; systemd-networkd brings it up from ip=dhcp, which every
# entry of the bundle's menus gives.  An entry without ip= (one a user
# writes for a host with a static address) must not touch the network
# before the real root does, so the catch-all DHCP network that dracut's
# systemd-networkd module installs goes: without ip= on the command line,
# no interface is configured, and networkd does not even start.
# And when the live root's URL does not answer, the console says so
# before livenet starts its silent retries.

# dracut's module API sets initdir, moddir and the *dir variables.
# shellcheck disable=SC2154
check() {
    return 255
}

depends() {
    echo livenet systemd-networkd
}

install() {
    rm -f "$initdir$systemdnetworkconfdir/zzzz-dracut-default.network"
    mkdir -p "$initdir$systemdsystemunitdir/systemd-networkd.service.d"
    cat >"$initdir$systemdsystemunitdir/systemd-networkd.service.d/xenplay.conf" <<'UNIT'
# xenplay-netboot: the initrd needs a network only to fetch its root.
[Unit]
ConditionKernelCommandLine=|ip
ConditionKernelCommandLine=|rd.neednet
UNIT
    # A live root that cannot be fetched is said so on the console.
    inst_hook initqueue/online 94 "$moddir/xenplay-live-url.sh"
}
