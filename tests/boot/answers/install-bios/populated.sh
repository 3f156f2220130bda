#!/bin/sh
# filesystem-populated: $1 is the new root.  Leaves a mark the scenario
# checks on the installed host.
set -e
echo populated > "$1/etc/xenplay/script-ran"
