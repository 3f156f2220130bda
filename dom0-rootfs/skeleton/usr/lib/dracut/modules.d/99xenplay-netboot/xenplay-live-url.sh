#!/bin/sh
# initqueue/online hook (xenplay-netboot), before livenet fetches the
# live root: when the root's URL does not answer, say so on the console
# in words an operator can act on.  livenet goes on retrying after it.
# shellcheck source=/dev/null # dracut's, in the initrd only
command -v getarg >/dev/null || . /lib/dracut-lib.sh

xenplay_check_live_url() {
    # dracut's hooks run in dash or bash, both of which have local.
    # shellcheck disable=SC3043
    local root url err
    root=$(getarg root=)
    case "$root" in
    live:http://* | live:https://*) url=${root#live:} ;;
    *) return 0 ;;
    esac
    [ -e /tmp/xenplay-live-url.checked ] && return 0
    : >/tmp/xenplay-live-url.checked
    # The kernel log reaches every console; /dev/console only the last.
    if err=$(curl --silent --show-error --fail --head --max-time 20 "$url" 2>&1 >/dev/null); then
        echo "<5>xenplay: fetching the live root $url" >/dev/kmsg
    else
        echo "<3>xenplay: cannot fetch the live root $url (${err:-no answer}): is the HTTP server up and serving the netboot bundle (make pxe, PXE_HTTP=)?  Still trying." >/dev/kmsg
    fi
    return 0
}
xenplay_check_live_url
