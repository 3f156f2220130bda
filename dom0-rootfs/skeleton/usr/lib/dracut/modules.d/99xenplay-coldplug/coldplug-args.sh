#!/bin/bash
# What udev replays in an initrd, which only has to find the root (the
# storage and USB controllers, disks, the CD, the NIC of a netboot, a
# keyboard for the emergency shell).  Sourced by the module-setup.sh of
# xenplay-coldplug (the netboot initrd, systemd's trigger unit) and of
# xenplay-shell-init (the ISO's and the installed host's, dracut's shell
# /init): one list for both.
#
# A full coldplug replays an "add" event for every device and every
# subsystem (udevadm trigger --type=all): about 620 on a small server,
# each about 20 ms of CPU under emulation, and a boot replays them twice,
# in the initrd and in the real root (whose coldplug is systemd's, see
# hooks/rootfs.d/0860-root-coldplug).  Here: devices only (the subsystem
# events serve rules of the real root: fuse and configfs mounts, the
# block layer's polling for media changes, which the initrd does not
# need: its medium is in the drive when the drive is probed), and not the
# device classes that nothing in an initrd waits for: the 64 virtual
# terminals and their screens, memory blocks, CPUs and NUMA nodes,
# clocks, ACPI namespace objects (a device an ACPI entry describes is
# also a platform device, whose driver still loads), wakeup sources,
# LEDs, graphics.
xenplay_coldplug_args() {
    local s args='--type=devices --action=add --prioritized-subsystem=block,tpmrm,net,input'
    for s in tty vc vtconsole memory memory_tiering node cpu machinecheck \
        edac wakeup mem bdi workqueue event_source clockevents clocksource \
        container leds graphics drm thermal rtc regulator dma_heap devlink \
        acpi xen_memory xen_cpu; do
        args="$args --subsystem-nomatch=$s"
    done
    echo "$args"
}
