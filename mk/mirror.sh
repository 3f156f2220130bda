#!/bin/sh
# Print the Debian archive (or, with "security", the security archive)
# that this machine's apt already uses, so that the build needs no host
# name of its own.  Override with MIRROR= / SECURITY_MIRROR= on make's
# command line.
# Apt-get's --format fields look like shell expansions.
# shellcheck disable=SC2016
set -eu
want=${1:-debian}
case "$want" in
debian)   label=Debian ;;
security) label=Debian-Security ;;
*) echo "usage: $0 [debian|security]" >&2; exit 2 ;;
esac
uri=$(apt-get indextargets --format '$(LABEL) $(REPO_URI)' 2>/dev/null |
      awk -v l="$label" '$1 == l { print $2; exit }')
if [ -z "$uri" ] && [ "$want" = security ]; then
    base=$("$0" debian) || exit 1
    uri="${base%/}-security/"
fi
if [ -z "$uri" ]; then
    echo "xenplay: no Debian archive in this machine's apt sources;" \
         "pass one: make iso MIRROR=http://HOST/debian" >&2
    exit 1
fi
printf '%s\n' "${uri%/}"
