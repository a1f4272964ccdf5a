#!/bin/sh
# SPDX-License-Identifier: MIT
# report.sh MATCH -- `match report` as a reader sees it: the page is
# well-formed (XML, so also HTML5), refers to nothing outside itself,
# and every figure it shows is the one recomputed from `match assign
# --format json` and `match list engagements --period all --format json`, for the
# bundled profiles (nothing committed: the plan) and for a generated
# history of four committed quarters; then headless Chromium renders it
# to PNG and PDF: no console message, no network request, a PNG that is
# not blank, a PDF of A4 pages (3 for the bundled profiles).  Without
# chromium or pdfinfo only the rendering is skipped, and it says so.
# Prints "N passed, N failed".
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
CHECK="python3 $ROOT/tests/cli/report_check.py"
xmlok() { xmllint --noout "$1" 2>"$T/xml.err" || { cat "$T/xml.err" >&2; false; }; }

# collect DB PERIOD DIR: the JSON report_check.py recomputes from.
collect() {
	db=$1 p=$2 d=$3
	mkdir -p "$d"
	"$MATCH" --db "$db" -q assign --period "$p" --format json >"$d/plan.json" &&
	"$MATCH" --db "$db" -q list engagements --period all --format json >"$d/engagements.json" &&
	"$MATCH" --db "$db" -q list needs --format json >"$d/needs.json" &&
	"$MATCH" --db "$db" -q list companies --format json >"$d/companies.json" &&
	"$MATCH" --db "$db" -q list experts --format json >"$d/experts.json" &&
	"$MATCH" --db "$db" -q list gardens --format json >"$d/gardens.json" &&
	"$MATCH" --db "$db" -q export --format json >"$d/export.json" &&
	"$MATCH" --db "$db" -q meeting --period "$p" --format json >"$d/meeting.json" ||
		bad "collect $p"
}

# page NAME DB PERIOD LANG [DIR]: write the report, check it is XML with no
# external reference, and that its figures are those of the JSON in DIR.
page() {
	name=$1 db=$2 p=$3 lang=$4 d=${5:-$T/$1.d}
	"$MATCH" --db "$db" -q report --period "$p" --lang "$lang" --html "$T/$name.html" \
		2>"$T/$name.err" && ok || bad "report $name: $(cat "$T/$name.err")"
	xmlok "$T/$name.html" && ok || bad "$name: not well-formed"
	$CHECK static "$T/$name.html" >"$T/$name.static" && ok ||
		bad "$name: $(cat "$T/$name.static")"
	[ -d "$d" ] || collect "$db" "$p" "$d"
	$CHECK figures "$T/$name.html" "$d" "$p" "$lang" >"$T/$name.fig" && ok ||
		bad "$name figures: $(cat "$T/$name.fig")"
	sed -n 's/^report_check: /  /p' "$T/$name.fig"
}

# ---- the bundled profiles: nothing committed, so the plan --------------------
B=$T/bundled.db
"$MATCH" --db "$B" -q load "$ROOT/profiles" || bad "load profiles"
page bundled "$B" 2026-Q4 nb
page bundled-en "$B" 2026-Q4 en "$T/bundled.d"
grep -q 'lang="nb"' "$T/bundled.html" && grep -q 'Kvartalsrapport 2026-Q4' "$T/bundled.html" &&
	ok || bad "the page is not Norwegian by default"
grep -q 'lang="en"' "$T/bundled-en.html" && grep -q 'Quarterly report 2026-Q4' "$T/bundled-en.html" &&
	ok || bad "--lang en is not English"
grep -q 'data-basis="plan"' "$T/bundled.html" && grep -q 'Ingen oppdrag er forpliktet' "$T/bundled.html" &&
	ok || bad "the page does not say it shows the plan"
# The map is inline, with one line per engagement (a team's: one per member).
n_lines=$(sed -n '/<svg class="map"/,/<\/svg>/p' "$T/bundled.html" | grep -c '<line x1=.*stroke-opacity')
n_plan=$(python3 -c 'import json,sys; p = json.load(open(sys.argv[1])); print(len(p["assignments"]) + sum(len(t["members"]) for t in p.get("teams", [])))' "$T/bundled.d/plan.json")
[ "$n_lines" -eq "$n_plan" ] && [ "$n_plan" -gt 0 ] && ok || bad "map draws $n_lines lines for $n_plan engagements"
"$MATCH" --db "$B" report --period 2026-Q4 --html - >"$T/stdout.html" 2>"$T/stdout.err" &&
	cmp -s "$T/stdout.html" "$T/bundled.html" && [ ! -s "$T/stdout.err" ] && ok ||
	bad "--html - differs from the file"
"$MATCH" --db "$B" report --period 2026-Q4 >/dev/null 2>"$T/err"; [ $? -eq 2 ] &&
	grep -q "needs --html" "$T/err" && ok || bad "report without --html"
"$MATCH" --db "$B" report --lang de --html "$T/x.html" 2>/dev/null; [ $? -eq 2 ] &&
	[ ! -e "$T/x.html" ] && ok || bad "report --lang de"
"$MATCH" --db "$B" report --html "$T/no/such/dir.html" 2>/dev/null; [ $? -eq 4 ] && ok ||
	bad "report to a bad path"
"$MATCH" --db "$T/none.db" report --html "$T/x.html" 2>/dev/null; [ $? -eq 4 ] &&
	[ ! -e "$T/x.html" ] && ok || bad "report without a database"
ls "$T" | grep -q '\.html\.' && bad "report left a temporary file" || ok

# Markup in ids and names is escaped, in text and in attributes; a company
# without a garden has its column in the flow.
E=$T/esc.db
"$MATCH" --db "$E" -q load "$ROOT/tests/data/report/escape.yaml" || bad "load escape.yaml"
page esc "$E" 2026-Q4 nb
grep -qF 'Garden &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;' "$T/esc.html" &&
	grep -qF 'data-garden="g&quot;&lt;esc&gt;"' "$T/esc.html" && grep -qF 'data-to=""' "$T/esc.html" &&
	ok || bad "markup in the escape profiles is not escaped as expected"

# ---- a generated history: four committed quarters ---------------------------
# Each quarter after the first brings new needs (copies of a third of the
# bundled ones under new ids), and each quarter's plan is committed.
H=$T/history.db
"$MATCH" --db "$H" -q load "$ROOT/profiles" || bad "load profiles (history)"
for q in 1 2 3 4; do
	p=2026-Q$q
	if [ "$q" -gt 1 ]; then
		python3 - "$T/bundled.d/export.json" "$q" >"$T/needs-$q.yaml" <<'PY' || bad "gen $q"
import json, sys
q = int(sys.argv[2])
needs = json.load(open(sys.argv[1], encoding="utf-8"))["needs"]
out = [dict(n, id="%s-q%d" % (n["id"], q)) for i, n in enumerate(needs) if (i * 7 + q) % 3 == 0]
print(json.dumps({"needs": out}, ensure_ascii=False))
PY
		"$MATCH" --db "$H" -q load "$T/needs-$q.yaml" || bad "load needs of $p"
	fi
	mkdir -p "$T/h.d"
	"$MATCH" --db "$H" -q assign --period "$p" --commit --format json >"$T/h.d/commit-$p.json" ||
		bad "commit $p"
done
"$MATCH" --db "$H" -q list engagements --period 2026-Q2 --format csv | tail -n +2 | grep -q . &&
	ok || bad "the history has no engagements in 2026-Q2"
collect "$H" 2026-Q4 "$T/h.d"
page history "$H" 2026-Q4 nb "$T/h.d"
grep -q 'data-basis="committed"' "$T/history.html" && ok || bad "history report is not of committed engagements"
n_bars=$(grep -c '<g data-period="2026-Q[1-4]"><rect' "$T/history.html")
[ "$n_bars" -eq 4 ] && ok || bad "the trend chart has $n_bars quarters, want 4"
# The quarter after: nothing committed, the plan, and four earlier quarters.
collect "$H" 2027-Q1 "$T/h1.d"
cp "$T"/h.d/commit-*.json "$T/h1.d/"
page history-next "$H" 2027-Q1 nb "$T/h1.d"
n_bars=$(grep -c '<g data-period="20[0-9-]*Q[1-4]"><rect' "$T/history-next.html")
[ "$n_bars" -eq 5 ] && ok || bad "the 2027-Q1 chart has $n_bars quarters, want 5"

# ---- rendered in headless Chromium --------------------------------------------
chromium=${CHROMIUM:-chromium}
if ! command -v "$chromium" >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1; then
	finish report "(rendering SKIPPED: chromium or pdfinfo missing; sh tools/deps.sh test)"
	exit
fi
sandbox=""
[ "$(id -u)" = 0 ] && sandbox=--no-sandbox
# render NAME RUN ARGS...: headless Chromium on $T/NAME.html, with its
# log in $T/RUN.log and its network log in $T/RUN.net.
render() {
	name=$1 run=$2
	shift 2
	"$chromium" --headless $sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$T/profile-$run" \
		--enable-logging=stderr --v=0 --log-net-log="$T/$run.net" \
		"$@" "file://$T/$name.html" >"$T/$run.log" 2>&1
}
for name in bundled history; do
	render "$name" "$name" --screenshot="$T/$name.png" --window-size=1100,3100 &&
		[ -s "$T/$name.png" ] && ok || bad "chromium --screenshot $name: $(tail -3 "$T/$name.log")"
	$CHECK png "$T/$name.png" >"$T/$name.pngcheck" && ok || bad "$(cat "$T/$name.pngcheck")"
	sed -n 's/^report_check: /  /p' "$T/$name.pngcheck"
	grep -q 'CONSOLE' "$T/$name.log" && bad "console messages: $(grep CONSOLE "$T/$name.log")" || ok
	$CHECK netlog "$T/$name.net" >"$T/$name.netcheck" && ok || bad "$(cat "$T/$name.netcheck")"
	render "$name" "$name-pdf" --no-pdf-header-footer --print-to-pdf="$T/$name.pdf" &&
		[ -s "$T/$name.pdf" ] && ok || bad "chromium --print-to-pdf $name: $(tail -3 "$T/$name-pdf.log")"
	grep -q 'CONSOLE' "$T/$name-pdf.log" && bad "console messages (print)" || ok
	info=$(pdfinfo "$T/$name.pdf" 2>&1)
	pages=$(echo "$info" | sed -n 's/^Pages: *//p')
	echo "  $name.pdf: $pages pages, $(echo "$info" | sed -n 's/^Page size: *//p')"
	# Every page is A4 (595 x 842 points, to the point).
	sizes=$(pdfinfo -f 1 -l "${pages:-1}" "$T/$name.pdf" | sed -n 's/^Page *[0-9]* size: *\([0-9.]*\) x \([0-9.]*\).*/\1 \2/p' |
		awk '{ printf "%s\n", ($1 > 594 && $1 < 596 && $2 > 841 && $2 < 843) ? "A4" : $1 "x" $2 }' | sort -u)
	[ "$sizes" = A4 ] && ok || bad "$name.pdf pages are not all A4: $sizes"
	if [ "$name" = bundled ]; then
		[ "$pages" = 3 ] && ok || bad "bundled.pdf has ${pages:-no} pages, want 3"
	else
		[ "${pages:-0}" -ge 3 ] && ok || bad "history.pdf has ${pages:-no} pages, want 3 or more"
	fi
done
finish report
