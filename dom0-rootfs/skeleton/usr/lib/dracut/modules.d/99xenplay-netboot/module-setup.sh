#!/bin/bash
# xenplay-netboot: the netboot parts of xenplay's one initrd (make pxe).
#
# The live root over HTTP (livenet: root=live:http://...) needs a network
# in the initrd; systemd-networkd brings it up from ip=dhcp.  Every other
# boot of the same initrd (the ISO, an installed host with a static
# address) must not touch the network before the real root does, so the
# catch-all DHCP network that dracut's systemd-networkd module installs
# goes: without ip= on the command line, no interface is configured.
# And when the live root's URL does not answer, the console says so
# before livenet starts its silent retries.

check() {
    return 255
}

depends() {
    echo livenet systemd-networkd
}

install() {
    rm -f "$initdir$systemdnetworkconfdir/zzzz-dracut-default.network"
    # A live root that cannot be fetched is said so on the console.
    inst_hook initqueue/online 94 "$moddir/xenplay-live-url.sh"
}
