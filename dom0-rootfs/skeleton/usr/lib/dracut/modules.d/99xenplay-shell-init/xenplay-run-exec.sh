#!/bin/sh
# pre-pivot hook (xenplay-shell-init): /run and /dev/shm without noexec,
# as systemd mounts them (module-setup.sh says why).
for m in /run /dev/shm; do
    mount -o remount,exec "$m" ||
        echo "<3>xenplay: cannot remount $m exec: the installer's scripts will not run" >/dev/kmsg
done
