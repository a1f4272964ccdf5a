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
height=${HEIGHT:-3350}
name=render-report
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/tools/render-lib.sh"
"$match" --db "$db" -q report --period "$period" "$@" --html "$tmp/report.html"
render_png "$tmp/report.html" 1040,"$height"
