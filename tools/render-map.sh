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
match=${MATCH:-build/match}
chromium=${CHROMIUM:-chromium}
period=${PERIOD:-2026-Q4}
root=$(cd "$(dirname "$0")/.." && pwd)
command -v "$chromium" >/dev/null 2>&1 || {
	echo "render-map: $chromium not found (apt-get install chromium)" >&2
	exit 1
}
tmp=$(mktemp -d /tmp/render-map.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$match" --db "$tmp/map.db" -q load "$root/profiles"
"$match" --db "$tmp/map.db" -q map "$@" --period "$period" --svg "$tmp/map.svg"
sandbox=""
[ "$(id -u)" = 0 ] && sandbox=--no-sandbox
# The SVG is 1150 x 1350; the window is the same size.
"$chromium" --headless $sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--hide-scrollbars --user-data-dir="$tmp/profile" \
	--screenshot="$tmp/map.png" --window-size=1150,1350 \
	"file://$tmp/map.svg" >"$tmp/chromium.log" 2>&1 || {
	cat "$tmp/chromium.log" >&2
	exit 1
}
cp "$tmp/map.png" "$out"
echo "render-map: wrote $out"
