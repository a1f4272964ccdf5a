#!/bin/sh
# SPDX-License-Identifier: MIT
# render-map.sh [OUT.png [MAP-ARGS...]] -- draw the map of the bundled
# profiles with `match map` and render the SVG to a PNG in headless
# Chromium, as docs/map.png is made:
#
#   make && sh tools/render-map.sh docs/map.png              # the plan
#   sh tools/render-map.sh /tmp/os.png n-os-lean-workshop -k 5   # one need
#
# MATCH (default build/match), PERIOD (default 2026-Q4, so that the
# picture does not change with the date) and CHROMIUM (default chromium)
# may be set.  Chromium runs without a sandbox only when run as root,
# which it requires; its profile lives in a temporary folder.
set -eu
out=${1:-docs/map.png}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- --plan
name=render-map
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tools/render-lib.sh"
"$match" --db "$db" -q map "$@" --period "$period" --svg "$tmp/map.svg"
# The SVG is 1150 x 1350; the window is the same size.
render_png "$tmp/map.svg" 1150,1350
