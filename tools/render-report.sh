#!/bin/sh
# SPDX-License-Identifier: MIT
# render-report.sh [OUT.png [REPORT-ARGS...]] -- write the quarter's
# report of the bundled profiles with `match report` and render the page
# to a PNG in headless Chromium, as docs/report.png is made:
#
#   make && sh tools/render-report.sh docs/report.png
#   sh tools/render-report.sh /tmp/en.png --lang en
#
# MATCH (default build/match), PERIOD (default 2026-Q4, so that the
# picture does not change with the date), CHROMIUM (default chromium)
# and HEIGHT (the window's, default 3350 px: the whole page) may be set.
# Chromium runs without a sandbox only when run as root, which it
# requires; its profile lives in a temporary folder.
set -eu
out=${1:-docs/report.png}
[ $# -gt 0 ] && shift
match=${MATCH:-build/match}
chromium=${CHROMIUM:-chromium}
period=${PERIOD:-2026-Q4}
height=${HEIGHT:-3350}
root=$(cd "$(dirname "$0")/.." && pwd)
command -v "$chromium" >/dev/null 2>&1 || {
	echo "render-report: $chromium not found (apt-get install chromium)" >&2
	exit 1
}
tmp=$(mktemp -d /tmp/render-report.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$match" --db "$tmp/r.db" -q load "$root/profiles"
"$match" --db "$tmp/r.db" -q report --period "$period" "$@" --html "$tmp/report.html"
sandbox=""
[ "$(id -u)" = 0 ] && sandbox=--no-sandbox
"$chromium" --headless $sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--hide-scrollbars --user-data-dir="$tmp/profile" \
	--screenshot="$tmp/report.png" --window-size=1040,"$height" \
	"file://$tmp/report.html" >"$tmp/chromium.log" 2>&1 || {
	cat "$tmp/chromium.log" >&2
	exit 1
}
cp "$tmp/report.png" "$out"
echo "render-report: wrote $out"
