#!/bin/bash
# xenplay-coldplug: what udev replays in the initrd, which only has to
# find the root (the storage and USB controllers, disks, the CD, the NIC
# of a netboot, a keyboard for the emergency shell).
#
# systemd's coldplug replays an "add" event for every device and every
# subsystem (udevadm trigger --type=all): about 620 on a small server,
# 11 s of CPU under emulation, and a boot replays them twice, in the
# initrd and in the real root (whose systemd-udev-trigger.service is
# left as it is).  Here: devices only (the subsystem events serve rules
# of the real root: fuse and configfs mounts, the block layer's polling
# for media changes, which the initrd does not need: its medium is in the
# drive when the drive is probed), and not the device classes
# that nothing in an initrd waits for: the 64 virtual terminals and
# their screens, memory blocks, CPUs and NUMA nodes, clocks, ACPI
# namespace objects (a device an ACPI entry describes is also a platform
# device, whose driver still loads), wakeup sources, LEDs, graphics.

# dracut's module API sets initdir and the *dir variables.
# shellcheck disable=SC2154
check() {
    return 255
}

depends() {
    echo systemd-udevd
}

install() {
    local skip='' s
    for s in tty vc vtconsole memory memory_tiering node cpu machinecheck \
        edac wakeup mem bdi workqueue event_source clockevents clocksource \
        container leds graphics drm thermal rtc regulator dma_heap devlink \
        acpi xen_memory xen_cpu; do
        skip="$skip --subsystem-nomatch=$s"
    done
    # A drop-in can only replace ExecStart: the line below is systemd
    # 257's own (systemd-udev-trigger.service) with --type and the skips
    # changed, and module and tty out of the prioritized subsystems.  The
    # build stops when the packaged line changes (the image's hook
    # 0860-root-coldplug, which starts from the same line).
    mkdir -p "$initdir$systemdsystemunitdir/systemd-udev-trigger.service.d"
    cat >"$initdir$systemdsystemunitdir/systemd-udev-trigger.service.d/xenplay.conf" <<UNIT
# xenplay-coldplug: devices only, not the classes an initrd never waits
# for (see modules.d/99xenplay-coldplug/module-setup.sh on the host).
[Service]
ExecStart=
ExecStart=-udevadm trigger --type=devices --action=add --prioritized-subsystem=block,tpmrm,net,input$skip
UNIT
}
