#!/bin/sh
# SPDX-License-Identifier: MIT
# year.sh MATCH -- a year of quarters as the gardens live it (issue 13):
# the bundled profiles are copied to a folder that stands in for the
# staff's YAML in git; each quarter some needs are marked done there, new
# needs are added, two experts leave, a capacity changes and an expert
# takes leave for a quarter (availability); `load --sync` makes the
# folder the truth, and the quarter is planned and committed.  After
# every step:
#   - no retired expert, company or need is ranked or planned;
#   - no need that was done, withdrawn or served is planned again;
#   - no expert has more engagements in a quarter than its capacity there;
#   - every engagement committed before is still listed;
#   - export, load into a fresh database, export again: the same bytes;
#   - PRAGMA integrity_check says ok, PRAGMA foreign_key_check nothing.
# Prints "year: N passed, N failed".
set -u
. "$(dirname "$0")/../lib.sh"
export MATCH_DB="$T/m.db"
Y=$T/yaml
cp -R "$ROOT/profiles" "$Y"
q() { sqlite3 "$MATCH_DB" "$1"; }
now=$(date +%Y)-Q$((($(date +%m | sed 's/^0//') + 2) / 3))

# ---- editing the YAML as the staff would ------------------------------------

# The file of the record with id $1.
file_of() { grep -l -- "^  - id: $1\$" "$Y"/*.yaml "$Y"/*/*.yaml | head -n 1; }
# Drop the record with id $1 from its file.
drop() {
	f=$(file_of "$1")
	awk -v id="$1" '/^  - id: / { skip = ($3 == id) } !skip' "$f" >"$f.new" &&
		mv "$f.new" "$f"
}
# Give the record with id $1 the line "    $2" right after its id.
add_line() {
	f=$(file_of "$1")
	awk -v id="$1" -v line="    $2" '{ print } /^  - id: / && $3 == id { print line }' \
		"$f" >"$f.new" && mv "$f.new" "$f"
}
# Set key $2 of the record with id $1 to $3 (the key is there).
set_key() {
	f=$(file_of "$1")
	awk -v id="$1" -v key="$2" -v val="$3" '
		/^  - id: / { in_rec = ($3 == id) }
		in_rec && $1 == key ":" { sub(/:.*/, ": " val) }
		{ print }' "$f" >"$f.new" && mv "$f.new" "$f"
}
# Does the record with id $1 give key $2?
has_key() {
	awk -v id="$1" -v key="$2" '
		/^  - id: / { in_rec = ($3 == id) }
		in_rec && $1 == key ":" { found = 1 }
		END { exit !found }' "$(file_of "$1")"
}
# Three new needs for quarter $1 in a file of their own.
new_needs() {
	tag=$(echo "$1" | tr 'Q' 'q')
	cat >"$Y/needs-$tag.yaml" <<EOF
needs:
  - id: n-new-$tag-lean
    company: c-os-sveis
    title: Lean follow-up ($1)
    skills: {lean-production: 2}
    from: $1
  - id: n-new-$tag-web
    company: c-rendalen-villmark
    title: A new web shop ($1)
    skills: {ecommerce: 2}
    mode: remote
    from: $1
  - id: n-new-$tag-pair
    company: c-asnes-massivtre
    title: Two advisers on marketing ($1)
    skills: {marketing: 2}
    experts: 2
    mode: hybrid
    from: $1
EOF
}

# ---- the checks after each step ------------------------------------------------

# Experts of the YAML that no engagement of a quarter after today holds
# (those a sync may retire today), in id order.
retirable() {
	q "SELECT id FROM experts x WHERE retired IS NULL AND NOT EXISTS
	   (SELECT 1 FROM engagements e WHERE e.expert = x.id AND
	    e.period > '$now') ORDER BY id" | while read -r id; do
		[ -n "$(file_of "$id")" ] && echo "$id"
	done
}

check_step() {
	step=$1 P=$2
	n=$(q "SELECT count(*) FROM engagements e JOIN experts x ON x.id = e.expert
	       WHERE e.period = '$P' AND x.retired IS NOT NULL")
	[ "$n" -eq 0 ] && ok || bad "$step: $n engagements of retired experts in $P"
	n=$(q "SELECT count(*) FROM engagements e JOIN needs d ON d.id = e.need
	       JOIN companies c ON c.id = d.company
	       WHERE e.period = '$P' AND (d.retired IS NOT NULL OR c.retired IS NOT NULL)")
	[ "$n" -eq 0 ] && ok || bad "$step: $n engagements of retired needs in $P"
	# Closed before the plan: none of them got an engagement in P.
	n=0
	while read -r id; do
		[ -z "$id" ] && continue
		n=$((n + $(q "SELECT count(*) FROM engagements WHERE period = '$P' AND need = '$id'")))
	done <"$T/closed"
	[ "$n" -eq 0 ] && ok || bad "$step: $n engagements in $P of needs that were closed"
	# A need never has more engagements (all quarters) than experts.
	n=$(q "SELECT count(*) FROM (SELECT e.need FROM engagements e
	       JOIN needs d ON d.id = e.need GROUP BY e.need
	       HAVING count(*) > max(d.experts, coalesce(d.team, 1)))")
	[ "$n" -eq 0 ] && ok || bad "$step: $n needs over their experts"
	# Capacity per quarter: its availability, else capacity, else the
	# default (settings, else 2).
	n=$(q "SELECT count(*) FROM (SELECT e.expert, e.period, count(*) AS k,
	       coalesce((SELECT value FROM json_each(x.availability) WHERE key = e.period),
	                x.capacity,
	                (SELECT value FROM settings WHERE key = 'default_capacity'), 2) AS cap
	       FROM engagements e JOIN experts x ON x.id = e.expert
	       GROUP BY e.expert, e.period HAVING k > cap)")
	[ "$n" -eq 0 ] && ok || bad "$step: $n experts over capacity in a quarter"
	# Every engagement listed before is listed still.
	"$MATCH" list engagements --period all -f csv | tr -d '\r' | sort >"$T/eng.now"
	missing=$(comm -23 "$T/eng.before" "$T/eng.now" | wc -l)
	[ "$missing" -eq 0 ] && ok || bad "$step: $missing engagements no longer listed"
	cp "$T/eng.now" "$T/eng.before"
	# No retired expert in a ranking of any need of the quarter.
	"$MATCH" list experts --all -f csv | tr -d '\r' | awk -F, 'NR > 1 { print $1 }' | sort >"$T/all"
	"$MATCH" list experts -f csv | tr -d '\r' | awk -F, 'NR > 1 { print $1 }' | sort >"$T/active"
	comm -23 "$T/all" "$T/active" >"$T/retired"
	[ "$step" = 0 ] || [ -s "$T/retired" ] && ok || bad "$step: no expert retired"
	hit=0
	for need in n-os-lean-workshop n-asnes-epd n-bergset-booking; do
		"$MATCH" top "$need" -k 0 --period "$P" -f csv | tr -d '\r' |
			awk -F, 'NR > 1 { print $2 }' | sort >"$T/ranked"
		hit=$((hit + $(comm -12 "$T/ranked" "$T/retired" | wc -l)))
	done
	[ "$hit" -eq 0 ] && ok || bad "$step: $hit retired experts ranked"
	# The export loads into a fresh database and exports the same.
	"$MATCH" export >"$T/e1.yaml" || bad "$step: export"
	rm -f "$T/fresh.db"
	"$MATCH" --db "$T/fresh.db" -q load "$T/e1.yaml" || bad "$step: loading the export"
	"$MATCH" --db "$T/fresh.db" export >"$T/e2.yaml"
	cmp -s "$T/e1.yaml" "$T/e2.yaml" && ok || bad "$step: export -> load -> export differs"
	[ "$(q 'PRAGMA integrity_check')" = ok ] && ok || bad "$step: integrity_check"
	[ -z "$(q 'PRAGMA foreign_key_check')" ] && ok || bad "$step: foreign_key_check"
}

# The needs a plan of quarter $1 must leave alone: done, withdrawn,
# retired (or of a retired company), or served by committed engagements.
closed_needs() {
	q "SELECT d.id FROM needs d JOIN companies c ON c.id = d.company
	   WHERE d.status IN ('done', 'withdrawn') OR d.retired IS NOT NULL
	      OR c.retired IS NOT NULL
	      OR (SELECT count(*) FROM engagements e WHERE e.need = d.id) >= d.experts
	      OR (d.period_until IS NOT NULL AND d.period_until < '$1')
	      OR (d.period_from IS NOT NULL AND d.period_from > '$1')" >"$T/closed"
}

plan_commit() {
	step=$1 P=$2
	closed_needs "$P"
	"$MATCH" assign --period "$P" --commit -f json >"$T/plan.json" 2>"$T/plan.err" ||
		bad "$step: assign --commit $P"
	grep -q '"committed": [1-9]' "$T/plan.json" && ok || bad "$step: nothing committed in $P"
	grep -q "left out" "$T/plan.err" && ok || { [ "$step" = 0 ] && ok; } ||
		bad "$step: assign does not say which needs it left out"
}

# ---- the year ---------------------------------------------------------------------

: >"$T/eng.before"
"$MATCH" -q load "$Y" || { bad "loading the profiles"; finish year; exit 1; }
plan_commit 0 2026-Q4
check_step 0 2026-Q4

step=0
for P in 2027-Q1 2027-Q2 2027-Q3; do
	step=$((step + 1))
	# Two needs are done, as the advisers write in the YAML.
	for id in $(q "SELECT id FROM needs WHERE status IS NULL AND retired IS NULL
	                 AND id NOT LIKE 'n-new-%' ORDER BY id LIMIT 2 OFFSET $((step * 3))"); do
		add_line "$id" "status: done"
	done
	new_needs "$P"
	# Two experts leave; one expert's capacity changes; one takes the
	# quarter off.
	for id in $(retirable | sed -n "$((step * 5)),$((step * 5 + 1))p"); do
		drop "$id"
	done
	e=$(retirable | sed -n 2p)
	set_key "$e" capacity 1
	e=$(retirable | sed -n 3p)
	if has_key "$e" availability; then
		set_key "$e" availability "{$P: 0}"
	else
		add_line "$e" "availability: {$P: 0}"
	fi
	"$MATCH" load --sync --dry-run "$Y" 2>"$T/dry.err" || bad "$step: load --sync --dry-run"
	grep -q "would retire experts" "$T/dry.err" && ok || bad "$step: the dry run retires no expert"
	"$MATCH" load --sync "$Y" 2>"$T/sync.err" || { bad "$step: load --sync"; cat "$T/sync.err" >&2; }
	grep -q "^match: retired experts: " "$T/sync.err" && ok || bad "$step: the sync retired no expert"
	n=$(q "SELECT count(*) FROM experts WHERE retired IS NOT NULL")
	[ "$n" -eq $((step * 2)) ] && ok || bad "$step: $n experts retired, want $((step * 2))"
	# The expert on leave gets nothing this quarter.
	plan_commit "$step" "$P"
	n=$(q "SELECT count(*) FROM engagements WHERE period = '$P' AND expert = '$e'")
	[ "$n" -eq 0 ] && ok || bad "$step: $e on leave in $P has $n engagements"
	check_step "$step" "$P"
done
# A need withdrawn from the command line is not planned either.
id=$(q "SELECT id FROM needs WHERE status IS NULL AND retired IS NULL ORDER BY id DESC LIMIT 1")
"$MATCH" -q withdraw "$id" || bad "withdraw $id"
closed_needs 2027-Q4
"$MATCH" assign --period 2027-Q4 -f json >"$T/last.json" 2>"$T/last.err" || bad "assign 2027-Q4"
grep -q "\"need\": \"$id\", \"reason\": \"withdrawn\"" "$T/last.json" && ok ||
	bad "$id withdrawn is not left out"

finish year
