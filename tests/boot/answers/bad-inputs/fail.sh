#!/bin/sh
# installation-start script that fails: the install must stop
# before it writes anything.
echo "fail.sh: refusing on purpose" >&2
exit 3
