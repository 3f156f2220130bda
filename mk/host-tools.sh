#!/bin/sh
# Install the host tools that building and testing xenplay need, and say
# what was installed.  Debian 12 gets mkosi and QEMU 10 from
# bookworm-backports (QEMU 7.2 cannot run PVH/HVM guests under nested
# emulation: see ../shared/notes); Debian 13 has them in the release.
#
# Usage: mk/host-tools.sh [--check]
#   --check  only report what is missing; exit 1 if anything is.
set -eu

say() { printf 'xenplay: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# One line per package, with the command or file that tells it is there.
# Keep this the only list of host packages.
packages() {
    cat <<'LIST'
mkosi           /usr/bin/mkosi
bubblewrap      /usr/bin/bwrap
debian-archive-keyring /usr/share/keyrings/debian-archive-keyring.gpg
apt             /usr/bin/apt-get
dpkg            /usr/bin/dpkg
zstd            /usr/bin/zstd
cpio            /usr/bin/cpio
squashfs-tools  /usr/bin/mksquashfs
xorriso         /usr/bin/xorriso
mtools          /usr/bin/mcopy
dosfstools      /usr/sbin/mkfs.vfat
qemu-system-x86 /usr/bin/qemu-system-x86_64
qemu-utils      /usr/bin/qemu-img
ovmf            /usr/share/OVMF/OVMF_CODE_4M.fd
seabios         /usr/share/seabios/bios-256k.bin
gcc             /usr/bin/gcc
make            /usr/bin/make
pkg-config      /usr/bin/pkg-config
libcmocka-dev   /usr/include/cmocka.h
git             /usr/bin/git
busybox-static  /bin/busybox
kmod            /usr/bin/kmod
xz-utils        /usr/bin/xz
libc6-dev       /usr/lib/x86_64-linux-gnu/libc.a
libxml2-dev     /usr/include/libxml2/libxml/parser.h
libfdisk-dev    /usr/include/libfdisk/libfdisk.h
libnewt-dev     /usr/include/newt.h
libcrypt-dev    /usr/include/crypt.h
libjansson-dev  /usr/include/jansson.h
gnuplot-nox     /usr/bin/gnuplot
pbzip2          /usr/bin/pbzip2
iperf3          /usr/bin/iperf3
default-jre-headless /usr/bin/java
libh2-java      /usr/share/java/h2.jar
clang           /usr/bin/clang
libguestfs-tools /usr/bin/guestfish
fdisk           /sbin/sfdisk
dnsmasq-base    /usr/sbin/dnsmasq
shellcheck      /usr/bin/shellcheck
clang-format    /usr/bin/clang-format
bc              /usr/bin/bc
bison           /usr/bin/bison
flex            /usr/bin/flex
libssl-dev      /usr/include/openssl/ssl.h
libelf-dev      /usr/include/libelf.h
dpkg-dev        /usr/bin/dpkg-buildpackage
debhelper       /usr/bin/dh
rsync           /usr/bin/rsync
ccache          /usr/bin/ccache
patch           /usr/bin/patch
apt-utils       /usr/bin/apt-ftparchive
gnupg           /usr/bin/gpg
gpgv            /usr/bin/gpgv
reprepro        /usr/bin/reprepro
rpm             /usr/bin/rpmsign
createrepo-c    /usr/bin/createrepo_c
LIST
}

missing() {
    packages | while read -r pkg path; do
        [ -e "$path" ] || printf '%s\n' "$pkg"
    done
}

# QEMU must be 10.x or newer: older ones boot Xen but not PVH/HVM guests.
qemu_ok() {
    [ -x /usr/bin/qemu-system-x86_64 ] || return 1
    v=$(/usr/bin/qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
    [ "${v:-0}" -ge 10 ]
}

# mkosi 24 or newer: the configuration uses its settings.
mkosi_ok() {
    [ -x /usr/bin/mkosi ] || return 1
    v=$(/usr/bin/mkosi --version | sed -n 's/^mkosi \([0-9]*\).*/\1/p')
    [ "${v:-0}" -ge 24 ]
}

need=$(missing | tr '\n' ' ')
qemu_ok || need="$need qemu-system-x86"
mkosi_ok || need="$need mkosi"
# shellcheck disable=SC2086 # a list of package names
need=$(printf '%s\n' $need | sort -u | tr '\n' ' ')
need=${need% }

# supermin (libguestfs's appliance builder) reads /lib/modules even when
# it is given a kernel (tests/boot/inspect-disk gives it the ISO's); a
# container without a kernel of its own lacks the directory.
if [ ! -d /lib/modules ] && [ "$(id -u)" -eq 0 ] && [ "${1:-}" != --check ]; then
    mkdir -p /lib/modules
fi

if [ -z "$need" ]; then
    exit 0
fi
if [ "${1:-}" = --check ]; then
    say "missing host tools: $need"
    exit 1
fi
[ "$(id -u)" -eq 0 ] ||
    die "host tools missing ($need); installing them needs root: run 'sudo make iso'"

. /etc/os-release
target=
case "${VERSION_CODENAME:-}" in
bookworm)
    # Backports for mkosi and QEMU 10, from the mirror this machine
    # already uses.
    if ! apt-cache policy 2>/dev/null | grep -q 'bookworm-backports'; then
        mirror=$("$(dirname "$0")/mirror.sh" debian)
        say "adding bookworm-backports from $mirror"
        cat >/etc/apt/sources.list.d/xenplay-backports.sources <<SRC
# Added by xenplay's mk/host-tools.sh: mkosi and QEMU 10 for Debian 12.
Types: deb
URIs: $mirror
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    fi
    target="-t bookworm-backports"
    ;;
trixie|forky|sid) ;;
*)
    die "unsupported build host '${PRETTY_NAME:-unknown}': use Debian 12 or 13" ;;
esac

say "installing host tools: $need"
apt-get update -q >/dev/null ||
    die "apt-get update failed: check this machine's apt sources and network"
# One transaction, so that backports' dependencies resolve together.
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    $target $need ||
    die "installing host tools failed (see apt's message above)"
qemu_ok || die "QEMU 10 or newer is needed, got: $(qemu-system-x86_64 --version | head -n1)"
mkosi_ok || die "mkosi 24 or newer is needed, got: $(mkosi --version)"
say "installed host tools: $need"
