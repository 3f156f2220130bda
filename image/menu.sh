# The boot menu: every entry of every medium (ISO, netboot, installed
# host) is declared here once, and image/grub-menu renders it.
#
#   entry ID HOTKEY KIND TITLE XEN-OPTIONS DOM0-OPTIONS
#
# KIND is "xen" (Xen by multiboot2, dom0 kernel and initrd as modules) or
# "linux" (the dom0 kernel alone, without Xen).  The medium's renderer
# adds the root file system's arguments ($XP_ROOT) to DOM0-OPTIONS.
# HOTKEY is one key that picks the entry on a slow serial line; it is
# shown in the title.

# Xen's command line, its consoles and dom0's: image/xen-cmdline, which
# the installer is compiled with too.
# shellcheck source=xen-cmdline
. "$here/xen-cmdline"
# Conservative options in the spirit of XCP-ng's safe mode: one CPU, no
# IOMMU, no NUMA, no deep C-states, no MMCONFIG, no boot-time scrubbing.
XEN_SAFE="nosmp dom0_mem=2048M,max:2048M dom0_max_vcpus=1 noreboot numa=off"
XEN_SAFE="$XEN_SAFE iommu=0 max_cstate=0 mmcfg=0 bootscrub=0 nmi=ignore loglvl=all guest_loglvl=all"

# The default: the interactive installer.  It asks before it writes
# anything, so booting the medium by accident destroys nothing.
entry install i xen "Install (console on COM1 and screen)" \
    "$XEN_BASE $XEN_COM1" "xenplay.mode=install $DOM0_CONSOLE $DOM0_LOG"
entry install-com2 j xen "Install, console on COM2 (iDRAC/iLO serial-over-LAN)" \
    "$XEN_BASE $XEN_COM2" "xenplay.mode=install $DOM0_CONSOLE $DOM0_LOG"
entry live l xen "Live host (console on COM1 and screen)" \
    "$XEN_BASE $XEN_COM1" "xenplay.mode=live $DOM0_CONSOLE $DOM0_LOG"
entry live-com2 2 xen "Live host, console on COM2 (iDRAC/iLO serial-over-LAN)" \
    "$XEN_BASE $XEN_COM2" "xenplay.mode=live $DOM0_CONSOLE $DOM0_LOG"
entry safe s xen "Safe mode (one CPU, no IOMMU, verbose)" \
    "$XEN_SAFE $XEN_COM1" "xenplay.mode=live $DOM0_CONSOLE nomodeset earlyprintk=xen"
entry rescue r linux "Rescue shell (Linux without Xen, COM1 and screen)" \
    "" "xenplay.mode=rescue systemd.unit=rescue.target systemd.setenv=SYSTEMD_SULOGIN_FORCE=1 console=tty0 console=ttyS0,115200n8"
# Unattended install from an answer file: xenplay.answerfile=URL on the
# command line, else a volume labelled XPANSWER (answerfile.xml).  Never
# the default entry: it repartitions a disk.  (Not 'v': GRUB's menu
# takes 'v' and '^' as down and up.)
entry install-auto u xen "Unattended install (answer file), console on COM1" \
    "$XEN_BASE $XEN_COM1" "xenplay.mode=install-auto $DOM0_CONSOLE $DOM0_LOG"
entry install-auto-com2 w xen "Unattended install (answer file), console on COM2" \
    "$XEN_BASE $XEN_COM2" "xenplay.mode=install-auto $DOM0_CONSOLE $DOM0_LOG"
