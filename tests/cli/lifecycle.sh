#!/bin/sh
# SPDX-License-Identifier: MIT
# lifecycle.sh MATCH -- records over time through `match` (issue 13):
# retire/restore, done/withdraw, `list --all`, the needs `assign` leaves
# out, `load --sync`, the checks of engagements and settings on load and
# the filters of `list engagements`.  Runs from the project root; prints
# "N passed, N failed".
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
DATA=$ROOT/tests/data/life
export MATCH_DB="$T/m.db"
unset LC_ALL 2>/dev/null || true
# is NAME out|err TEXT: the whole output is TEXT (CSV's CRLF as LF)
is() {
	if [ "$(tr -d '\r' <"$T/$1.$2")" = "$3" ]; then ok; else
		bad "$1: $2 is not '$3'"
		sed 's/^/    /' "$T/$1.$2" | head -10 >&2
	fi
}
# same_db NAME: the database's dump equals the one saved as NAME
dump() { sqlite3 "$MATCH_DB" .dump >"$T/$1.dump"; }
same_db() {
	sqlite3 "$MATCH_DB" .dump >"$T/now.dump"
	if cmp -s "$T/$1.dump" "$T/now.dump"; then ok; else
		bad "$2: the database changed"
		diff "$T/$1.dump" "$T/now.dump" | head -10 >&2
	fi
}

# ---- retire, restore, done, withdraw (items 2, 3) -------------------------
run load 0 "$MATCH" load "$DATA/base.yaml"
run retire 0 "$MATCH" retire expert e1
is retire err "match: retired expert e1"
run retire_unknown 5 "$MATCH" retire expert e9
has retire_unknown err "no expert has id 'e9'"
run retire_kind 2 "$MATCH" retire place p0
has retire_kind err "KIND is expert, company or need, not 'place'"
run list_experts 0 "$MATCH" list experts -f csv
lacks list_experts out "e1,"
has list_experts out "e2,"
run list_all 0 "$MATCH" list experts --all -f csv
has list_all out "e1,"
run top 0 "$MATCH" top n1 -k 0 --period 2026-Q4 -f csv
lacks top out ",e1,"
run done 0 "$MATCH" done n2
is done err "match: need n2 is done"
run withdraw 0 "$MATCH" withdraw n3
run needs 0 "$MATCH" list needs -f csv
has needs out "status"
has needs out "n2,c0,,onsite,2,s0:1,,,1,done"
has needs out "n3,c0,,onsite,1,s0:1,,,1,withdrawn"
run assign 0 "$MATCH" assign --period 2026-q4 --commit -f json
has assign out '"period": "2026-Q4"'
has assign out '{"need": "n2", "reason": "done"}'
lacks assign out '"expert": "e1"'
is assign err "match: left out 2 needs: 1 done, 1 withdrawn
match: committed 1 engagement for 2026-Q4"
run assign2 0 "$MATCH" assign --period 2027-Q1
is assign2 err "match: left out 3 needs: 1 done, 1 withdrawn, 1 served"
run export 0 "$MATCH" export
has export out "retired:"
has export out "status: done"
has export out "status: withdrawn"
rm -f "$T/f.db"
run reload 0 "$MATCH" --db "$T/f.db" load "$T/export.out"
run export2 0 "$MATCH" --db "$T/f.db" export
if cmp -s "$T/export.out" "$T/export2.out"; then ok; else
	bad "export of a fresh load of the export differs"
fi
run restore 0 "$MATCH" restore expert e1
run list_back 0 "$MATCH" list experts -f csv
has list_back out "e1,"
run period_all 2 "$MATCH" top n1 --period all
has period_all err "--period all is for list engagements"

# ---- load --sync [--dry-run] and a plain load's counts (item 1) ------------
export MATCH_DB="$T/s.db"
run s_load 0 "$MATCH" load "$DATA/base.yaml"
is s_load err "match: loaded 1 path into $T/s.db: 11 added, 0 changed, 0 unchanged"
run s_again 0 "$MATCH" load "$DATA/base.yaml"
is s_again err "match: loaded 1 path into $T/s.db: 0 added, 0 changed, 11 unchanged"
dump before_sync
run s_plain_dry 2 "$MATCH" load --dry-run "$DATA/sync.yaml"
has s_plain_dry err "--dry-run goes with load --sync"
run s_dry 0 "$MATCH" load --sync --dry-run "$DATA/sync.yaml"
is s_dry err "match: would add needs: n4
match: would change experts: e2
match: would retire experts: e3
match: would retire needs: n3
match: dry run: 1 path would give 1 added, 1 changed, 8 unchanged, 2 retired; nothing was written"
same_db before_sync "load --sync --dry-run"
run s_plain 0 "$MATCH" load "$DATA/sync.yaml"
is s_plain err "match: loaded 1 path into $T/s.db: 1 added, 1 changed, 8 unchanged
match: warning: 1 expert in the database is not in these files; \`load --sync\` would retire it
match: warning: 1 need in the database is not in these files; \`load --sync\` would retire it"
run s_sync 0 "$MATCH" load --sync "$DATA/sync.yaml"
is s_sync err "match: retired experts: e3
match: retired needs: n3
match: loaded 1 path into $T/s.db: 0 added, 0 changed, 10 unchanged, 2 retired"
run s_list 0 "$MATCH" list experts -f csv
lacks s_list out "e3,"
run s_list_all 0 "$MATCH" list needs --all -f csv
has s_list_all out "n3,c0,,onsite,1,s0:1,,,1,retired"
run s_export 0 "$MATCH" export
has s_export out "id: e3"
has s_export out "retired: "
# A retired record the files give again is restored.
run s_back 0 "$MATCH" load "$DATA/base.yaml"
is s_back err "match: loaded 1 path into $T/s.db: 0 added, 3 changed, 8 unchanged
match: warning: 1 need in the database is not in these files; \`load --sync\` would retire it"
run s_list2 0 "$MATCH" list experts -f csv
has s_list2 out "e3,"

# ---- engagements are data like the rest (item 5), one value per setting
# (item 6): each refused with FILE:LINE:COL, exit 3, the database as it was
export MATCH_DB="$T/r.db"
D=tests/data/life
run r_load 0 "$MATCH" load "$D/base.yaml"
# refused NAME FILE MESSAGE: loading FILE exits 3 with exactly MESSAGE
# (and the note that nothing was loaded), and the database is unchanged.
refused() {
	dump "$1"
	run "$1" 3 "$MATCH" load "$2"
	is "$1" err "match: $3
match: nothing was loaded; $MATCH_DB is unchanged"
	same_db "$1" "$1"
}
refused r_cap "$D/eng_capacity.yaml" \
	"$D/eng_capacity.yaml:4:5: engagement 2026-Q4 n2 e2: expert 'e2' has capacity 1 in 2026-Q4, and this makes 2 engagements there"
refused r_demand "$D/eng_demand.yaml" \
	"$D/eng_demand.yaml:4:5: engagement 2026-Q4 n1 e3: need 'n1' asks for 1 expert, and this makes 2 engagements of it"
refused r_unknown "$D/eng_unknown.yaml" \
	"$D/eng_unknown.yaml:2:41: engagement refers to unknown expert 'e9' (did you mean 'e1'?)"
refused r_retired "$D/eng_retired.yaml" \
	"$D/eng_retired.yaml:6:5: engagement 2026-Q4 n3 e3: expert 'e3' was retired on 2026-06-30, before 2026-Q4 began"
refused r_settings "$D/settings" \
	"$D/settings/b.yaml:3:18: setting max_travel_km is 300 here but 250 at $D/settings/a.yaml:2:18; a setting takes one value"
run r_settings_same 0 "$MATCH" load "$D/settings_same"
run r_ok 0 "$MATCH" load "$D/eng_ok.yaml"
has r_ok err "; 2 engagements"
refused r_cap_lower "$D/cap_lower.yaml" \
	"$D/cap_lower.yaml:4:5: expert 'e1' would have capacity 0 in 2026-Q4 but has 1 engagement there (n2): release 1 of them first (match release NEED-ID e1 --period 2026-Q4), or give it availability {2026-Q4: 1}"
refused r_need_lower "$D/need_lower.yaml" \
	"$D/need_lower.yaml:3:5: need 'n2' would ask for 1 expert but has 2 engagements (2026-Q4 e1, 2026-Q4 e2): release 1 of them first"
refused r_retire_early "$D/retire_early.yaml" \
	"$D/retire_early.yaml:3:5: expert 'e2' retired on 2026-09-30 has an engagement in 2026-Q4 (n2 e2), which began later: retire it on the last day of that quarter or later"
# History: a pair that breaks a hard rule today loads, with a note.
run r_history 0 "$MATCH" load "$D/eng_history.yaml"
has r_history err "match: $D/eng_history.yaml:6:5: engagement 2026-Q3 n3 e2 is kept as history, but the pair breaks a hard rule today: expert 'e2' has s0 at level 4, the need asks for 5"
# Retiring through match keeps every engagement valid: what match
# wrote, match reads, exports and loads again.
run r_retire 0 "$MATCH" retire expert e2
run r_list_eng 0 "$MATCH" list engagements --period all -f csv
has r_list_eng out "2026-Q4,n2,e2"
run r_export 0 "$MATCH" export
rm -f "$T/r2.db"
run r_reload 0 "$MATCH" --db "$T/r2.db" load "$T/r_export.out"
run r_export2 0 "$MATCH" --db "$T/r2.db" export
if cmp -s "$T/r_export.out" "$T/r_export2.out"; then ok; else
	bad "r_export: a fresh load of the export exports differently"
fi

# Retiring a record before a quarter it works in begins would leave what
# a load refuses: refused, by retire and by load --sync alike.
export MATCH_DB="$T/fut.db"
run f_load 0 "$MATCH" load "$D/base.yaml"
run f_assign 0 "$MATCH" assign --period 2099-Q1 --commit -f csv
has f_assign out "n1,e1,"
has f_assign out "n3,e3,"
run f_retire 3 "$MATCH" retire expert e1
is f_retire err "match: $T/fut.db: expert 'e1' has an engagement in 2099-Q1 (n2), which begins after $(date +%Y-%m-%d): release it first, or retire it later"
dump f_before
run f_sync 3 "$MATCH" load --sync "$D/sync.yaml"
is f_sync err "match: expert 'e3' is not in the files, but has an engagement in 2099-Q1 (n3 e3), which begins after today ($(date +%Y-%m-%d)): release it before load --sync retires it
match: need 'n3' is not in the files, but has an engagement in 2099-Q1 (n3 e3), which begins after today ($(date +%Y-%m-%d)): release it before load --sync retires it
match: nothing was loaded; $T/fut.db is unchanged"
same_db f_before "load --sync of a record with a later engagement"

# ---- list engagements: --period (default the current quarter, `all`),
# --garden, --expert, --need, --company (item 8)
export MATCH_DB="$T/h.db"
cat >"$T/h.yaml" <<EOT
places:
  - {id: p0, name: P0, lat: 60.0, lon: 11.0}
gardens:
  - {id: g0, name: G0, place: p0}
  - {id: g1, name: G1, place: p0}
skills:
  - {id: s0, label: S0}
companies:
  - {id: c0, name: C0, place: p0, garden: g0}
  - {id: c1, name: C1, place: p0, garden: g1}
experts:
  - {id: e1, name: Eva, garden: g0, home: p0, capacity: 3, skills: {s0: 5}}
  - {id: e2, name: Ola, garden: g1, home: p0, capacity: 3, skills: {s0: 5}}
needs:
  - {id: n1, company: c0, experts: 3, skills: {s0: 1}}
  - {id: n2, company: c1, experts: 3, skills: {s0: 1}}
engagements:
  - {period: 2001-Q1, need: n1, expert: e1, score: 10}
  - {period: 2001-Q2, need: n2, expert: e1, score: 20}
  - {period: 2001-Q2, need: n1, expert: e2, score: 30}
  - {period: $(date +%Y)-Q$(( ($(date +%-m) - 1) / 3 + 1 )), need: n2, expert: e2, score: 40}
EOT
NOW=$(date +%Y)-Q$(( ($(date +%-m) - 1) / 3 + 1 ))
# listed NAME "OPTIONS" ROWS: `list engagements OPTIONS -f csv` prints its
# header and exactly the lines ROWS
listed() {
	# shellcheck disable=SC2086 # OPTIONS are words
	run "$1" 0 "$MATCH" list engagements $2 -f csv
	is "$1" out "period,need,expert,score
$3"
}
run h_load 0 "$MATCH" load "$T/h.yaml"
listed h_now "" "$NOW,n2,e2,40"
listed h_all "--period all" "2001-Q1,n1,e1,10
2001-Q2,n1,e2,30
2001-Q2,n2,e1,20
$NOW,n2,e2,40"
listed h_q2 "--period 2001-q2" "2001-Q2,n1,e2,30
2001-Q2,n2,e1,20"
listed h_expert "--period all --expert Eva" "2001-Q1,n1,e1,10
2001-Q2,n2,e1,20"
listed h_need "--period all --need n1" "2001-Q1,n1,e1,10
2001-Q2,n1,e2,30"
listed h_company "--period all --company C1" "2001-Q2,n2,e1,20
$NOW,n2,e2,40"
# A garden's: its experts' and its companies'.
listed h_garden "--period all --garden g1" "2001-Q2,n1,e2,30
2001-Q2,n2,e1,20
$NOW,n2,e2,40"
listed h_both "--period 2001-Q2 --expert e2 --need n1" "2001-Q2,n1,e2,30"
run h_unknown 5 "$MATCH" list engagements --expert e9
has h_unknown err "e9"
run h_other 2 "$MATCH" list experts --need n1
has h_other err "list experts takes no --need (it filters engagements)"
# Past engagements of a retired expert stay listed.
run h_retire 0 "$MATCH" retire expert e1
listed h_retired "--period all --expert e1" "2001-Q1,n1,e1,10
2001-Q2,n2,e1,20"

finish lifecycle
