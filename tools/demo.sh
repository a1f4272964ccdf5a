#!/bin/sh
# SPDX-License-Identifier: MIT
# demo.sh MATCH DB -- the main job on the bundled profiles: load them into
# a fresh database, show what is there, rank experts for three needs (far
# north, far south, remote), explain one pair, turn a need written in words
# into skills and experts, print the quarter's plan, and end by writing
# the quarter's report for the joint meeting (REPORT.html beside DB).
set -eu
match=$1
db=$2
rm -f "$db" "$db-wal" "$db-shm"
export MATCH_DB="$db"
say() { printf '\n== %s\n$ %s\n' "$1" "$2"; }

say "Load the four gardens' profiles" "match load profiles"
"$match" load profiles

say "The gardens" "match list gardens"
"$match" list gardens
say "Places" "match list places"
"$match" list places
say "Experts of Solør Næringshage" "match list experts --garden solor"
"$match" list experts --garden solor
say "Open needs" "match list needs"
"$match" list needs

say "Far north: who can run a lean workshop in Os?" "match top n-os-lean-workshop -k 5"
"$match" top n-os-lean-workshop -k 5
say "Far south: entering the Swedish market from Magnor" "match top n-magnor-swedish-market -k 5"
"$match" top n-magnor-swedish-market -k 5
say "Remote: a webshop and SEO for a Trysil company" "match top n-remote-webshop-seo -k 5"
"$match" top n-remote-webshop-seo -k 5

best=$("$match" top n-os-lean-workshop -k 1 --format csv | sed -n '2p' | cut -d, -f2)
if [ -n "$best" ]; then
	say "Why is $best first for Os?" "match explain n-os-lean-workshop $best"
	"$match" explain n-os-lean-workshop "$best"
fi

text="Vi vil selge fjellosten vår i Sverige og trenger noen som kjenner det svenske markedet"
say "A need in words: which skills does it ask for?" "match suggest $text"
"$match" suggest "$text"
say "... and who can help, near Tolga?" "match top --text \"$text\" --at tolga -k 5"
"$match" top --text "$text" --at tolga -k 5

say "The quarter's plan for all open needs" "match assign"
"$match" assign

report="$(cd "$(dirname "$db")" && pwd)/report.html"
say "The quarter's report for the joint meeting" "match report --html $report"
"$match" -q report --html "$report"
printf '\nThe report is %s: open it in a browser, or print it on A4.\n' "$report"
