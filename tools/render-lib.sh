# SPDX-License-Identifier: MIT
# render-lib.sh -- what render-map.sh and render-report.sh share; they
# source it after setting $name (their own, for messages) and $root (the
# source tree).  It sets $match, $chromium and $period from MATCH,
# CHROMIUM and PERIOD, checks that Chromium is there, makes the temporary
# folder $tmp (removed on exit) and loads the bundled profiles into
# $tmp/profiles.db; render_png then draws a page to the PNG $out.
match=${MATCH:-build/match}
chromium=${CHROMIUM:-chromium}
period=${PERIOD:-2026-Q4}
command -v "$chromium" >/dev/null 2>&1 || {
	echo "$name: $chromium not found (apt-get install chromium)" >&2
	exit 1
}
tmp=$(mktemp -d "/tmp/$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db=$tmp/profiles.db
"$match" --db "$db" -q load "$root/profiles"

# render_png FILE WIDTH,HEIGHT: FILE (in $tmp) in a headless Chromium
# window of that size, as a PNG to $out.  Chromium runs without a sandbox
# only when run as root, which it requires; its profile lives in $tmp.
render_png() {
	sandbox=""
	[ "$(id -u)" = 0 ] && sandbox=--no-sandbox
	"$chromium" --headless $sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$tmp/profile" \
		--screenshot="$tmp/page.png" --window-size="$2" \
		"file://$1" >"$tmp/chromium.log" 2>&1 || {
		cat "$tmp/chromium.log" >&2
		exit 1
	}
	cp "$tmp/page.png" "$out"
	echo "$name: wrote $out"
}
