#!/bin/sh
# SPDX-License-Identifier: MIT
# ecosystem.sh MATCH -- what makes `match` fit in: the man pages render
# without warnings, --help names every command, `match map` writes valid,
# escaped SVG and fails cleanly, and progress never reaches a stderr that
# is not a terminal (and does reach one that is).  Prints "N passed, N failed".
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
export MATCH_DB="$T/m.db"
# xmlok FILE: FILE is well-formed XML.
if command -v xmllint >/dev/null 2>&1; then
	xmlok() { xmllint --noout "$1" 2>/dev/null; }
else
	xmlok() { python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$1" 2>/dev/null; }
fi

# ---- man pages ----------------------------------------------------------------
for page in man/match.1 man/libmatch.3; do
	out=$(groff -ww -man -z "$ROOT/$page" 2>&1)
	[ -z "$out" ] && ok || bad "groff warns on $page: $out"
	if command -v man >/dev/null 2>&1; then
		out=$(MANWIDTH=80 man -l "$ROOT/$page" 2>&1 >/dev/null)
		[ -z "$out" ] && ok || bad "man -l warns on $page: $out"
	fi
done
# Every command of --help is in match(1).
for c in $("$MATCH" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && /^  [a-z]/ {print $1}' | sort -u); do
	grep -q "^\.B.* $c\|^\.B $c\|^\.BI \"\?$c\|^\\\\fB$c" "$ROOT/man/match.1" && ok || bad "match(1) lacks command $c"
done
for o in $("$MATCH" --help | grep -o -- '--[a-z-]*' | sort -u); do
	grep -qF -- "$(echo "$o" | sed 's/-/\\-/g')" "$ROOT/man/match.1" && ok || bad "match(1) lacks option $o"
done

# ---- map ------------------------------------------------------------------------
"$MATCH" -q load "$ROOT/profiles" || bad "load profiles"
"$MATCH" --help | grep -q "map \[NEED-ID|--plan\] --svg FILE" && ok || bad "--help lacks map"
"$MATCH" map --plan --svg "$T/plan.svg" 2>"$T/err" && ok || bad "map --plan failed: $(cat "$T/err")"
xmlok "$T/plan.svg" && ok || bad "plan map is not XML"
grep -q "The quarter&apos;s plan" "$T/plan.svg" && grep -q "Sør-Østerdal Næringshage" "$T/plan.svg" &&
	ok || bad "plan map lacks title or gardens"
n_lines=$(grep -c '<line x1=.*stroke-opacity' "$T/plan.svg")
# The rows of the CSV's section "assignments" (docs/json.md).
n_plan=$("$MATCH" assign --format csv | tr -d '\r' |
	awk '$0 == "assignments" { f = 1; getline; next } /^$/ { f = 0 } f' | wc -l)
# And a line for each member of a team (JSON: {"expert": ...} only in
# the teams' members).
n_members=$("$MATCH" assign --format json | grep -o '{"expert": ' | wc -l)
[ "$n_members" -gt 0 ] && ok || bad "the bundled plan has no team"
n_plan=$((n_plan + n_members))
[ "$n_lines" -eq "$n_plan" ] && ok || bad "plan map draws $n_lines lines for $n_plan assignments and members"
"$MATCH" map n-os-lean-workshop -k 3 --svg "$T/need.svg" -q 2>"$T/err" && ok || bad "map NEED failed"
[ ! -s "$T/err" ] && ok || bad "map -q wrote to stderr"
xmlok "$T/need.svg" && ok || bad "need map is not XML"
grep -q '>1\. Ingrid Haugseth<' "$T/need.svg" && grep -q '>3\. ' "$T/need.svg" && ! grep -q '>4\. ' "$T/need.svg" &&
	ok || bad "need map does not label exactly the top 3"
grep -q 'stroke-dasharray="8 5"' "$T/need.svg" && ok || bad "need map lacks the reach circle"
"$MATCH" map n-os-lean-workshop --svg - >"$T/stdout.svg" && xmlok "$T/stdout.svg" && ok || bad "map --svg - "
"$MATCH" map --plan >/dev/null 2>"$T/err"; [ $? -eq 2 ] && grep -q "needs --svg" "$T/err" && ok || bad "map without --svg"
"$MATCH" map n-x --svg "$T/x.svg" 2>/dev/null; [ $? -eq 5 ] && [ ! -e "$T/x.svg" ] && ok || bad "map of an unknown need"
"$MATCH" map n-os-lean-workshop --plan --svg "$T/x.svg" 2>/dev/null; [ $? -eq 2 ] && ok || bad "map NEED --plan"
"$MATCH" map --svg "$T/no/such/dir.svg" 2>/dev/null; [ $? -eq 4 ] && ok || bad "map to a bad path"
"$MATCH" map --plan --commit --svg "$T/x.svg" 2>/dev/null; [ $? -eq 2 ] && ok || bad "map --commit accepted"
if [ -w /dev/full ]; then
	"$MATCH" map --plan --svg /dev/full 2>/dev/null; [ $? -eq 4 ] && ok || bad "map to /dev/full"
	[ -c /dev/full ] && ok || bad "map removed /dev/full"
fi
ls "$T" | grep -q '\.svg\.' && bad "map left a temporary file" || ok
# Markup in names is escaped.
"$MATCH" --db "$T/esc.db" -q load "$ROOT/tests/data/map/escape.yaml" || bad "load escape.yaml"
"$MATCH" --db "$T/esc.db" map n-esc --svg "$T/esc.svg" -q && xmlok "$T/esc.svg" && ok || bad "escaped map is not XML"
grep -q 'A&amp;B &lt;Co&gt; &apos;Ltd&apos;' "$T/esc.svg" && ! grep -q '<script' "$T/esc.svg" && ok || bad "names not escaped"
"$MATCH" --db "$T/esc.db" map --plan --svg "$T/esc2.svg" -q && xmlok "$T/esc2.svg" && ok || bad "escaped plan map"

# ---- progress -------------------------------------------------------------------
awk 'BEGIN { print "experts:"; for (i = 0; i < 3000; i++)
	printf "  - {id: e-p%04d, name: P %d, garden: odal, home: hamar, skills: {lean: 3}}\n", i, i }' >"$T/many.yaml"
"$MATCH" load "$T/many.yaml" 2>"$T/load.err" >/dev/null
grep -q "$(printf '\r')" "$T/load.err" && bad "load wrote progress to a file" || ok
grep -q "load [0-9]" "$T/load.err" && bad "load wrote progress to a file" || ok
"$MATCH" -q load "$T/many.yaml" 2>"$T/loadq.err"; [ ! -s "$T/loadq.err" ] && ok || bad "load -q wrote to stderr"
"$MATCH" assign >/dev/null 2>"$T/assign.err"; [ ! -s "$T/assign.err" ] && ok || bad "assign wrote to stderr"
"$MATCH" map --plan --svg "$T/p.svg" -q 2>"$T/map.err"; [ ! -s "$T/map.err" ] && ok || bad "map -q wrote to stderr"
# On a terminal (script(1) gives one) progress shows, and -q silences it.
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
	rm -f "$T/tty.db"
	script -qec "'$MATCH' --db '$T/tty.db' load '$ROOT/profiles' '$T/many.yaml'" /dev/null >"$T/tty.out" 2>&1
	grep -q "match: load [0-9]*/[0-9]*" "$T/tty.out" && ok || bad "no progress on a terminal: $(cat -v "$T/tty.out" | head -3)"
	script -qec "'$MATCH' --db '$T/tty.db' -q load '$T/many.yaml'" /dev/null >"$T/ttyq.out" 2>&1
	[ ! -s "$T/ttyq.out" ] && ok || bad "progress with --quiet: $(cat -v "$T/ttyq.out" | head -3)"
fi

finish ecosystem
