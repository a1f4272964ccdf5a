#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh MATCH -- tests of the `match` command: arguments in, expected
# stdout, stderr and exit status out.  Runs from the project root; every
# database lives in a temporary folder.  Prints "N passed, N failed".
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
HERE=$ROOT/tests/cli
EXP=$HERE/expected
BAD=$HERE/../data/cli
export MATCH_DB="$T/m.db"
# MATCH_WRAPPER (e.g. "valgrind -q --error-exitcode=1") is put before
# every run of match, through a small script that stands in for it.
if [ -n "${MATCH_WRAPPER:-}" ]; then
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$MATCH_WRAPPER" "$MATCH" >"$T/match"
	chmod +x "$T/match"
	MATCH=$T/match
fi
unset LC_ALL 2>/dev/null || true
# Tables fit $COLUMNS; the expected outputs are of tables without a width.
unset COLUMNS 2>/dev/null || true
# same NAME : stdout of NAME equals expected/NAME.out (UPDATE=1 rewrites it)
same() {
	[ -n "${UPDATE:-}" ] && cp "$T/$1.out" "$EXP/$1.out"
	if cmp -s "$T/$1.out" "$EXP/$1.out"; then ok; else
		bad "$1: stdout differs from tests/cli/expected/$1.out"
		diff "$EXP/$1.out" "$T/$1.out" | head -20 >&2
	fi
}

dump() { sqlite3 "$1" .dump; }

# ---- usage --------------------------------------------------------------
run help 0 "$MATCH" --help && has help out "Usage: match" && empty help err
run help_exit 0 "$MATCH" --help && has help_exit out "5 unknown id"
run version 0 "$MATCH" --version && has version out "libmatch"
run noargs 2 "$MATCH" && has noargs err "Try 'match --help'" && empty noargs out
run badcmd 2 "$MATCH" frobnicate && has badcmd err "unknown command 'frobnicate'"
run badfmt 2 "$MATCH" --format xml list places && has badfmt err "unknown format"
run badopt 2 "$MATCH" list places --bogus && has badopt err "unknown option"
run wrongopt 2 "$MATCH" list places --commit && has wrongopt err "not an option of 'list'"
run badk 2 "$MATCH" top n-x -k -1 && has badk err "-k wants"
run badkind 2 "$MATCH" list wizards && has badkind err "unknown KIND"
run badperiod 2 "$MATCH" list engagements --period 2026-Q5
# Options past the 32nd are checked too.
many=$(i=0; while [ $i -lt 40 ]; do printf ' --garden x'; i=$((i + 1)); done)
run manyopts 2 "$MATCH" list places $many --commit && has manyopts err "not an option of 'list'"

# ---- missing database ----------------------------------------------------
run nodb 4 "$MATCH" list places && has nodb err "match init"
[ ! -e "$MATCH_DB" ] && ok || bad "list created a database"

# ---- init and load ---------------------------------------------------------
run init 0 "$MATCH" init && has init err "database ready"
run init2 0 "$MATCH" --quiet init && empty init2 err
run load 0 "$MATCH" load profiles
run gardens 0 "$MATCH" list gardens && same gardens
run gardens_json 0 "$MATCH" list gardens --format json && same gardens_json
run gardens_csv 0 "$MATCH" --format csv list gardens && same gardens_csv
run gardens_yaml 0 "$MATCH" list gardens -f yaml && same gardens_yaml
run places 0 "$MATCH" list places && same places
run skills_csv 0 "$MATCH" list skills --format csv && same skills_csv
run experts_solor 0 "$MATCH" list experts --garden solor && same experts_solor
run needs_csv 0 "$MATCH" list needs --format csv && same needs_csv
run distances 0 "$MATCH" list distances && same distances

# Case-insensitive look-ups with Norwegian letters.
run fold_garden 0 "$MATCH" list experts --garden "SØR-ØSTERDAL NÆRINGSHAGE" --format csv
run fold_garden_id 0 "$MATCH" list experts --garden sor-osterdal --format csv
cmp -s "$T/fold_garden.out" "$T/fold_garden_id.out" && ok || bad "garden by folded name"
run fold_place 0 "$MATCH" top --skill export:2 --at "LØTEN" -k 3 --format csv
run fold_place2 0 "$MATCH" top --skill export:2 --at loten -k 3 --format csv
cmp -s "$T/fold_place.out" "$T/fold_place2.out" && ok || bad "place by folded name"
run unknown_garden 5 "$MATCH" list experts --garden solr && has unknown_garden err "did you mean 'solor'"

# ---- idempotent re-load and export round trip ----------------------------
dump "$MATCH_DB" >"$T/dump1"
run reload 0 "$MATCH" load profiles
dump "$MATCH_DB" >"$T/dump2"
cmp -s "$T/dump1" "$T/dump2" && ok || bad "re-load changed the database"
run export1 0 "$MATCH" export
run export_fresh_load 0 env MATCH_DB="$T/fresh.db" "$MATCH" load "$T/export1.out"
run export2 0 env MATCH_DB="$T/fresh.db" "$MATCH" export
cmp -s "$T/export1.out" "$T/export2.out" && ok || bad "export round trip differs"
run exportj1 0 "$MATCH" export --format json
run exportj_load 0 env MATCH_DB="$T/freshj.db" "$MATCH" load "$T/export1.out"
run exportj2 0 env MATCH_DB="$T/freshj.db" "$MATCH" export --format json
cmp -s "$T/exportj1.out" "$T/exportj2.out" && ok || bad "JSON export differs"
run export_csv 2 "$MATCH" export --format csv

# ---- every round-2 key: through a database and back, YAML and JSON -------
R2=$HERE/../data/good/round2.yaml
run r2_load 0 env MATCH_DB="$T/r2.db" "$MATCH" load "$R2"
run r2_export 0 env MATCH_DB="$T/r2.db" "$MATCH" export
for key in "team: 3" "status: done" 'from: "2027-Q1"' 'retired: "2026-12-31"' \
	"team_penalty: 7.5" 'description: "Vi vil selge' \
	'availability: {"2027-Q1": 2, "2027-Q2": 0}' 'retired: "2026-06-30"' \
	'keywords: [massivtre, CLT, "krysslimt tre"]' \
	'experts: [e-anne, e-bjorn]'; do
	has r2_export out "$key"
done
run r2_reload 0 env MATCH_DB="$T/r2b.db" "$MATCH" load "$T/r2_export.out"
run r2_export2 0 env MATCH_DB="$T/r2b.db" "$MATCH" export
cmp -s "$T/r2_export.out" "$T/r2_export2.out" && ok || bad "round-2 export round trip differs"
run r2_json 0 env MATCH_DB="$T/r2.db" "$MATCH" export --format json
cp "$T/r2_json.out" "$T/r2.json"
run r2_json_load 0 env MATCH_DB="$T/r2j.db" "$MATCH" load "$T/r2.json"
run r2_json2 0 env MATCH_DB="$T/r2j.db" "$MATCH" export --format json
cmp -s "$T/r2_json.out" "$T/r2_json2.out" && ok || bad "round-2 JSON round trip differs"
# A name two records answer to finds neither (LM_EAMBIGUOUS): exit 5, as
# an unknown id, and the message says to use the id.
printf 'places: [{id: loten-2, name: Løten, lat: 60.8, lon: 11.3}]\n' >"$T/twin.yaml"
run twin_load 0 env MATCH_DB="$T/fresh.db" "$MATCH" load "$T/twin.yaml"
run twin_place 5 env MATCH_DB="$T/fresh.db" "$MATCH" top --skill export:2 --at LØTEN \
  && has twin_place err "names more than one place; use its id"
run twin_id 0 env MATCH_DB="$T/fresh.db" "$MATCH" top --skill export:2 --at loten-2 -k 1

# ---- bad input: exit 3, FILE:LINE:COLUMN, database unchanged ---------------
dump "$MATCH_DB" >"$T/before"
while IFS='|' read -r file where; do
	[ -n "$file" ] || continue
	n=bad_$(basename "$file" .yaml)
	run "$n" 3 "$MATCH" load "$BAD/$file" && has "$n" err "match: $BAD/$file:$where"
	has "$n" err "nothing was loaded"
done <<'EOF'
syntax.yaml|3:2: YAML syntax error: did not find expected key
unknown-key.yaml|5:5: unknown key 'skils' in expert (did you mean 'skills'?)
wrong-type.yaml|2:44: expected a number for 'lon', got 'east'
level.yaml|9:14: level 7 is outside 1..5
latitude.yaml|2:33: latitude 91.0 is outside -90..90
nan.yaml|2:33: expected a number for 'lat', got '.nan'
capacity.yaml|9:15: capacity -1 is outside 0..1000
dangling.yaml|7:37: expert 'e-test2' refers to unknown garden 'nowhere'
duplicate.yaml|3:5: duplicate place id 'hamar-x'
cycle.yaml|2:35: skill 'cyc-a' is its own ancestor
utf8.yaml|2:30: invalid UTF-8
aliases.yaml|5:8: alias '*d' expands to too much data
long-id.yaml|2:10: id is 257 bytes; the limit is 256
period.yaml|3:14: period 'garbage' is not of the form YYYY-QN (e.g. 2026-Q4)
team.yaml|7:11: need 'n-test-team': a team need (team: 3) takes one team; 'experts' must be 1, not 2
until.yaml|4:28: need 'n-test-until': 'until' 2027-Q2 is before 'from' 2027-Q3
retired.yaml|4:15: retired '2027-02-29' is not a day YYYY-MM-DD (e.g. 2026-12-31)
availability.yaml|5:45: duplicate key '2027-q1' (quarter 2027-Q1, given at 5:21)
keywords.yaml|5:40: skill 'test-export': keyword 'Eksport' is the same as 'eksport' (given at 5:16)
team-engagement.yaml|4:38: engagement: expert 'e-ingrid-h' is named twice in 'experts'
EOF
# Generated hostile documents: a 40 MB scalar, 100,000 levels of nesting.
head -c 40000000 /dev/zero | tr '\000' x | { printf 'places:\n  - {id: big, name: '; cat; printf ', lat: 1, lon: 1}\n'; } >"$T/big.yaml"
run bad_big 3 "$MATCH" load "$T/big.yaml" && has bad_big err "$T/big.yaml:2:"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; print "" }' >"$T/deep.yaml"
run bad_deep 3 "$MATCH" load "$T/deep.yaml" && has bad_deep err "$T/deep.yaml:1:"
dump "$MATCH_DB" >"$T/after"
cmp -s "$T/before" "$T/after" && ok || bad "a rejected load changed the database"
run validate_bad 3 "$MATCH" validate "$BAD/level.yaml"
run validate_ok 0 "$MATCH" validate profiles && has validate_ok err "valid"
run missing_file 4 "$MATCH" load "$T/no-such.yaml" && has missing_file err "no-such.yaml"
dump "$MATCH_DB" >"$T/after2"
cmp -s "$T/before" "$T/after2" && ok || bad "validate or a failed load changed the database"

# Another application's database given by mistake is left as it was.
sqlite3 "$T/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
run other_db 4 "$MATCH" --db "$T/other.db" load profiles && has other_db err "not a libmatch database"
[ "$(sqlite3 "$T/other.db" 'PRAGMA journal_mode')" = delete ] && ok || bad "other database switched to WAL"
run dir_db 4 "$MATCH" --db "$T" list places && has dir_db err "Is a directory"
# A failed first load leaves no database behind.
run new_db_bad 3 "$MATCH" --db "$T/new.db" load "$BAD/level.yaml" && has new_db_bad err "was removed again"
[ ! -e "$T/new.db" ] && [ ! -e "$T/new.db-wal" ] && [ ! -e "$T/new.db-shm" ] && ok ||
	bad "a failed first load left $(ls "$T"/new.db* 2>/dev/null)"
run new_db_missing 4 "$MATCH" --db "$T/new.db" load "$T/no-such.yaml" && has new_db_missing err "was removed again"
[ ! -e "$T/new.db" ] && ok || bad "a first load of a missing file left the database"
# A folder without YAML files is an error, as no path is.
mkdir -p "$T/no-yaml" && echo "not yaml" >"$T/no-yaml/README"
run no_yaml 3 "$MATCH" load "$T/no-yaml" && has no_yaml err "no YAML file found in $T/no-yaml"
run no_yaml_validate 3 "$MATCH" validate "$T/no-yaml" && has no_yaml_validate err "no YAML file found in"
dump "$MATCH_DB" >"$T/after3"
cmp -s "$T/before" "$T/after3" && ok || bad "a load of a folder without YAML changed the database"

# ---- top and explain ----------------------------------------------------------
run top_os 0 "$MATCH" top n-os-lean-workshop -k 5 && same top_os
run top_json 0 "$MATCH" top n-magnor-swedish-market -k 3 --format json && same top_json
run top_all 0 "$MATCH" top n-os-lean-workshop -k 0 --format csv
run top_unknown 5 "$MATCH" top n-os-lean-workshp && has top_unknown err "did you mean 'n-os-lean-workshop'"
run top_adhoc 0 "$MATCH" top --skill lean:3 --skill SEO --at 60.8,11.5 --mode hybrid -k 3
run top_adhoc_bad 2 "$MATCH" top --skill lean:9 --at hamar
run top_adhoc_place 5 "$MATCH" top --skill lean --at Hamr
# top and explain agree, pair by pair, to the last digit.
tail -n +2 "$T/top_all.out" | while IFS=, read -r rank expert rest; do
	score=$(echo "$rest" | tr -d '\r' | cut -d, -f3)
	"$MATCH" explain n-os-lean-workshop "$expert" --format csv >"$T/ex.csv"
	escore=$(tr -d '\r' <"$T/ex.csv" |
		awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "score") c = i } NR == 2 { print $c }')
	[ "$score" = "$escore" ] || echo "top/explain differ for $expert: $score vs $escore"
done >"$T/agree"
[ ! -s "$T/agree" ] && ok || { bad "top and explain disagree"; cat "$T/agree" >&2; }
run explain_no 0 "$MATCH" explain n-tynset-machine-vision e-ingrid-h --format json
has explain_no out '"feasible": false'
has explain_no out 'the need asks for'
run explain_unknown 5 "$MATCH" explain n-os-lean-workshop e-nobody

# ---- teams ----------------------------------------------------------------------
# No single expert covers n-asnes-clt-germany; a team across Solør and
# Odal does, and explaining that team gives the same score to the digit.
run top_clt 0 "$MATCH" top n-asnes-clt-germany --format json
has top_clt out '"results": []'

run teams_clt 0 "$MATCH" teams n-asnes-clt-germany
has teams_clt out "e-aud-n + e-magnus-l  solor odal"
run teams_clt_json 0 "$MATCH" teams n-asnes-clt-germany -k 1 --format json
has teams_clt_json out '"rank": 1, "score": 89.68786771077934'
has teams_clt_json out '"covers": ["timber-construction"]'
run teams_clt_csv 0 "$MATCH" teams n-asnes-clt-germany -k 1 --format csv
has teams_clt_csv out '1,89.68786771077934,e-aud-n + e-magnus-l,solor odal,'
run team_explain 0 "$MATCH" explain n-asnes-clt-germany e-magnus-l e-aud-n --format csv
has team_explain out 'score,89.68786771077934'
has team_explain out 'feasible,true'
run team_explain_txt 0 "$MATCH" explain n-asnes-clt-germany e-aud-n e-magnus-l
has team_explain_txt out 'the farthest member: e-magnus-l, 35.6 km) - penalty 5.00'
has team_explain_txt out 'german-market          4     1.0  false     e-magnus-l  german-market'
run team_explain_bad 0 "$MATCH" explain n-asnes-clt-germany e-aud-n e-ulf-h e-bjorn-e e-kari-s --format json
has team_explain_bad out '"feasible": false'
has team_explain_bad out 'the team has 4 members; the need takes at most 3'
run team_explain_lang 0 "$MATCH" explain n-asnes-clt-germany e-ulf-h e-oddvar-m --format json
has team_explain_lang out 'no member speaks de'
has team_explain_lang out 'no member has timber-construction (or a related skill) at level 5 or above'
run team_explain_unknown 5 "$MATCH" explain n-asnes-clt-germany e-aud-n e-nobody
has team_explain_unknown err "unknown expert 'e-nobody'"
run teams_unknown 5 "$MATCH" teams n-nothing
run teams_usage 2 "$MATCH" teams
# The example program says the same as `match teams`.
EX_TEAM="$(dirname "$MATCH")/examples/team_for_need"
if [ -x "$EX_TEAM" ]; then
	run ex_team 0 "$EX_TEAM" profiles n-asnes-clt-germany 1
	has ex_team out " 1.  89.69 = skill 68.25 + distance 26.44 - penalty 5.00"
	has ex_team out "Magnus Lindevall"
	run ex_team_bad 0 "$EX_TEAM" profiles n-asnes-clt-germany e-magnus-l e-ulf-h
	has ex_team_bad out "no member has timber-construction"
fi
# A need of team 1: teams of one, the same experts and scores as top.
run teams_one 0 "$MATCH" teams n-os-lean-workshop -k 3 --format csv
run top_one 0 "$MATCH" top n-os-lean-workshop -k 3 --format csv
[ "$(cut -d, -f2 "$T/teams_one.out" | tail -n +2)" = "$(cut -d, -f5 "$T/top_one.out" | tail -n +2)" ] &&
	[ "$(cut -d, -f3 "$T/teams_one.out" | tail -n +2)" = "$(cut -d, -f2 "$T/top_one.out" | tail -n +2)" ] &&
	ok || bad "teams of one differ from top"
# After "--" an id may start with a dash.
run dashdash 5 "$MATCH" explain -- -n-odd --e-odd && has dashdash err "-n-odd"

# ---- needs in words -----------------------------------------------------------
run suggest_text 0 "$MATCH" suggest Vi vil eksportere osten til det tyske markedet \
	og trenger hjelp med HMS-systemet && same suggest_text
run suggest_json 0 "$MATCH" suggest --format json \
	"Nettbutikken vår får nesten ingen besøk fra Google, trenger markedsforing pa nett" &&
	same suggest_json
run suggest_csv 0 "$MATCH" suggest -f csv "Søknad til SkatteFUNN og Miljøfyrtårn" &&
	same suggest_csv
run suggest_need 0 "$MATCH" suggest n-remote-webshop-seo && same suggest_need
run suggest_need_json 0 "$MATCH" suggest n-tolga-sweden-delis --format json &&
	same suggest_need_json
has suggest_need_json out '"listed": false'
run suggest_nothing 0 "$MATCH" suggest "Takk for møtet i går" &&
	has suggest_nothing err "names no skill" && has suggest_nothing out "skill"
run suggest_nothing_json 0 "$MATCH" suggest -f json "Takk for møtet i går" &&
	has suggest_nothing_json out '"skills": []'
run suggest_usage 2 "$MATCH" suggest && has suggest_usage err "TEXT or a NEED-ID"
run suggest_badopt 2 "$MATCH" suggest eksport -k 3 && has suggest_badopt err "not an option"
run suggest_utf8 2 "$MATCH" suggest "$(printf 'eksport \377')" &&
	has suggest_utf8 err "UTF-8"
# top --text ranks as the --skill flags it prints.
run top_text 0 "$MATCH" top --text "Vi vil eksportere osten til det tyske markedet" \
	--at tolga -k 5 && same top_text
has top_text err 'understood: german-market (required: "det tyske markedet"), dairy (optional: "osten"), export (optional: "eksportere")'
has top_text err 'the same as --skill german-market --optional-skill dairy --optional-skill export'
run top_text_skills 0 "$MATCH" top --skill german-market --optional-skill dairy \
	--optional-skill export --at tolga -k 5
cmp -s "$T/top_text.out" "$T/top_text_skills.out" && ok ||
	bad "top --text ranks otherwise than the --skill flags it printed"
run top_text_json 0 "$MATCH" top --text "Vi vil eksportere osten til det tyske markedet" \
	--at tolga -k 2 -f json && same top_text_json
run top_text_quiet 0 "$MATCH" -q top --text "lean og HMS" --at os -k 1 &&
	empty top_text_quiet err
run top_text_none 5 "$MATCH" top --text "Takk for møtet i går" --at tolga &&
	has top_text_none err "names no skill"
run top_text_skill 2 "$MATCH" top --text eksport --skill export --at tolga &&
	has top_text_skill err "not with --skill"
run top_text_need 2 "$MATCH" top n-os-lean-workshop --text eksport
run top_optional_only 2 "$MATCH" top --optional-skill export --at tolga
# validate notes a description that names none of the need's skills.
run validate_words 0 "$MATCH" validate "$HERE/../data/cli/description.yaml"
has validate_words err "need 'n-words-elsewhere': its description names none of its skills (it reads as: accounting, budgeting)"
has validate_words err "need 'n-words-nothing': its description names no skill"
if grep -q "n-words-narrower" "$T/validate_words.err"; then
	bad "validate noted a description that names a narrower skill"; else ok; fi
run validate_profiles 0 "$MATCH" validate profiles
if grep -q "description" "$T/validate_profiles.err"; then
	bad "a bundled need's description names none of its skills"; else ok; fi

# ---- assign -------------------------------------------------------------------
run assign1 0 "$MATCH" assign --period 2026-Q1 --format json
run assign2 0 "$MATCH" assign --period 2026-Q1 --format json
cmp -s "$T/assign1.out" "$T/assign2.out" && ok || bad "assign is not deterministic"
has assign1 out '"unassigned": ['
run assign_commit 0 "$MATCH" assign --period 2026-Q1 --commit -q
run engagements 0 "$MATCH" list engagements --period 2026-Q1 --format csv
n_eng=$(($(wc -l <"$T/engagements.out") - 1))
[ "$n_eng" -gt 20 ] && ok || bad "commit recorded $n_eng engagements"
# A period in any case is the same period.
run engagements_lc 0 "$MATCH" list engagements --period 2026-q1 --format csv
cmp -s "$T/engagements.out" "$T/engagements_lc.out" && ok || bad "--period 2026-q1 is not 2026-Q1"
run assign_after 0 "$MATCH" assign --period 2026-Q1 --format json
has assign_after out '"assignments": []'
run release 0 "$MATCH" release n-os-lean-workshop --period 2026-Q1
run release_again 5 "$MATCH" release n-os-lean-workshop --period 2026-Q1
run pin_bad 3 "$MATCH" assign --period 2026-Q2 --pin n-tynset-machine-vision=e-ingrid-h
has pin_bad err "cannot pin"
# Teams: the bundled n-asnes-clt-germany (timber-construction 5 and
# german-market 4, team: 3) gets a cross-garden team, proven optimal; the
# JSON agrees with the table; a commit records the team as one unit and
# release NEED releases all of it.
has assign1 out '"proven": true'
# The 2026-Q1 commit served it; released, a later quarter plans it again.
run team_release_q1 0 "$MATCH" release n-asnes-clt-germany --period 2026-Q1
has team_release_q1 err "released 2 engagements of 2026-Q1"
run assign_teams 0 "$MATCH" assign --period 2026-Q2
has assign_teams out ", proven optimal"
has assign_teams out "n-asnes-clt-germany  c-asnes-massivtre  e-aud-n, e-magnus-l  solor, odal"
run assign_teams_json 0 "$MATCH" assign --period 2026-Q2 --format json --time-limit 30
has assign_teams_json out '{"need": "n-asnes-clt-germany", "company": "c-asnes-massivtre", "need_garden": "solor", "members": [{"expert": "e-aud-n", "name": "Aud Nyhusmoen", "garden": "solor", "distance_km": 0}, {"expert": "e-magnus-l"'
run time_limit_bad 2 "$MATCH" assign --time-limit 0
has time_limit_bad err "--time-limit wants seconds > 0"
run pin_team 3 "$MATCH" assign --period 2026-Q2 --pin n-asnes-clt-germany=e-aud-n
has pin_team err "is a team need"
run assign_teams_commit 0 "$MATCH" assign --period 2026-Q2 --commit -q
run team_engagements 0 "$MATCH" list engagements --period 2026-Q2 --format csv
[ "$(grep -c '^2026-Q2,n-asnes-clt-germany,' "$T/team_engagements.out")" = 2 ] && ok ||
	bad "the team's commit did not record both members"
run team_export 0 "$MATCH" export
has team_export out 'experts: [e-aud-n, e-magnus-l]'
run team_release 0 "$MATCH" release n-asnes-clt-germany --period 2026-Q2
has team_release err "released 2 engagements of 2026-Q2"

# ---- meeting --------------------------------------------------------------------
# The venue `meeting` names has the least total travel of all places,
# checked by brute force from the km the command itself reports: each
# venue's total is recomputed from its gardens' people and km.
run meeting 0 "$MATCH" meeting --period 2026-q3 && has meeting out "Joint meeting 2026-Q3: 8 people from 4 gardens, 23 candidate places"
run meeting_json 0 "$MATCH" meeting --period 2026-Q3 --format json
run meeting_csv 0 "$MATCH" meeting --period 2026-Q3 --format csv
run meeting_att 0 "$MATCH" meeting --attendees solor=0 --attendees "ODAL NÆRINGSHAGE=6" -f json
run meeting_at 0 "$MATCH" meeting --at hamar --at Elverum --at HAMAR -f json
if command -v python3 >/dev/null 2>&1; then
	python3 - "$T" >"$T/meeting_bf" 2>&1 <<'PY'
import csv, json, sys
T = sys.argv[1]
def load(name):
    return json.load(open(f"{T}/{name}.out", encoding="utf-8"))
def check(doc, people, nvenues):
    vs = doc["venues"]
    assert len(vs) == nvenues, len(vs)
    total, longest = {}, {}
    for v in vs:
        gs = {g["garden"]: g for g in v["gardens"]}
        assert {k: g["people"] for k, g in gs.items()} == people, gs
        total[v["place"]] = sum(g["people"] * 2 * g["km"] for g in gs.values())
        longest[v["place"]] = max([g["km"] for g in gs.values() if g["people"]], default=0)
        assert abs(total[v["place"]] - v["total_km"]) < 1e-6, v
        assert abs(longest[v["place"]] - v["longest_km"]) < 1e-9, v
        for g in gs.values():
            assert abs(g["nok"] - 2 * g["km"] * 5.30) < 1e-6, g
            assert abs(g["minutes"] - g["km"] / 70 * 60) < 1e-6, g
    best = min(total.values())
    assert abs(total[doc["best_total"]] - best) < 1e-6, (doc["best_total"], best)
    assert doc["best_total"] == min(p for p in total if total[p] - best < 1e-9)
    assert vs[0]["place"] == doc["best_total"] and vs[0]["rank"] == 1
    assert [v["rank"] for v in vs] == list(range(1, nvenues + 1))
    assert all(a["total_km"] <= b["total_km"] for a, b in zip(vs, vs[1:]))
    fair = min(longest.values())
    assert abs(longest[doc["best_fair"]] - fair) < 1e-9, (doc["best_fair"], fair)
    extra = total[doc["best_fair"]] - total[doc["best_total"]]
    assert abs(doc["fair_extra_km"] - extra) < 1e-6
    return vs[0]["name"], [v for v in vs if v["place"] == doc["best_fair"]][0]["name"]
two = {"magnor": 2, "odal": 2, "solor": 2, "sor-osterdal": 2}
doc = load("meeting_json")
assert doc["period"] == "2026-Q3"
best, fair = check(doc, two, 23)
print(best)
print(fair)
check(load("meeting_att"), dict(two, solor=0, odal=6), 23)
at = load("meeting_at")
check(at, two, 2)
assert sorted(v["place"] for v in at["venues"]) == ["elverum", "hamar"]
# The CSV carries the same numbers, one row per venue and garden.
rows = list(csv.DictReader(open(f"{T}/meeting_csv.out", newline="", encoding="utf-8")))
assert len(rows) == 23 * 4, len(rows)
for r in rows:
    v = [v for v in doc["venues"] if v["place"] == r["place"]][0]
    g = [g for g in v["gardens"] if g["garden"] == r["garden"]][0]
    assert float(r["total_km"]) == v["total_km"] and float(r["km"]) == g["km"]
    assert int(r["people"]) == g["people"] and int(r["rank"]) == v["rank"]
    assert (r["best_total"] == "true") == (v["place"] == doc["best_total"])
    assert (r["best_fair"] == "true") == (v["place"] == doc["best_fair"])
PY
	if [ $? -eq 0 ]; then
		ok
		# The table names the same two places.
		has meeting out "Best total:  $(sed -n 1p "$T/meeting_bf"),"
		has meeting out "Fair choice: $(sed -n 2p "$T/meeting_bf"),"
	else
		bad "meeting: not the least total travel"; cat "$T/meeting_bf" >&2
	fi
fi
# Every table line fits 80 columns.
n=$(while IFS= read -r line; do printf '%s\n' "$line" | LC_ALL=C.UTF-8 wc -L; done <"$T/meeting.out" | sort -n | tail -1)
[ "$n" -le 80 ] && ok || bad "meeting: a table line is $n columns wide"
run meeting_garden 5 "$MATCH" meeting --attendees solr=1 && has meeting_garden err "did you mean 'solor'"
run meeting_place 5 "$MATCH" meeting --at Flisaa && has meeting_place err "did you mean 'flisa'"
run meeting_twice 2 "$MATCH" meeting --attendees solor=1 --attendees SOLOR=3 && has meeting_twice err "both 1 and 3"
for bad_att in solor solor= =3 solor=-1 solor=x solor=1001; do
	run meeting_att_bad 2 "$MATCH" meeting --attendees "$bad_att" && has meeting_att_bad err "want GARDEN=N"
done
run meeting_period 2 "$MATCH" meeting --period 2026-q5 && has meeting_period err "--period wants YYYY-QN"
run meeting_pos 2 "$MATCH" meeting flisa && has meeting_pos err "takes no arguments"
run meeting_opt 2 "$MATCH" meeting -k 3 && has meeting_opt err "not an option of 'meeting'"

# ---- hostile data: stored and printed verbatim, never breaking a table ------------
H=$T/hostile.db
HY=$BAD/hostile.yaml
long=$(awk 'BEGIN { for (i = 0; i < 1000; i++) printf "Långt navn"; }')
printf 'experts:\n  - {id: e-long, name: "%s", garden: "g;1", home: "%%s%%n%%x", skills: {s-sql: 2}, languages: [nb]}\n' "$long" >"$T/long.yaml"
run h_load 0 "$MATCH" --db "$H" load "$HY" "$T/long.yaml"
run h_table 0 "$MATCH" --db "$H" list experts
# Every data row has the same display width (all end in the same "nb").
n=$(tail -n +2 "$T/h_table.out" | while IFS= read -r line; do
	printf '%s\n' "$line" | LC_ALL=C.UTF-8 wc -L; done | sort -u | wc -l)
[ "$n" -eq 1 ] && ok || { bad "hostile rows differ in width"; cat "$T/h_table.out" >&2; }
[ "$(wc -l <"$T/h_table.out")" -eq 8 ] && ok || bad "hostile table: not 7 rows"
# No raw bidi, C1 or other control character reaches the terminal.
if LC_ALL=C grep -q "$(printf '\342\200\256')\|$(printf '\302\233')\|$(printf '\033')\|$(printf '\357\273\277')" "$T/h_table.out"; then
	bad "hostile table carries raw control or bidi characters"
else ok; fi
has h_table out '\u202e\u2067evil'
# A 10,000-character name is cut to a cell, with an ellipsis.
[ "$(LC_ALL=C.UTF-8 wc -L <"$T/h_table.out")" -lt 200 ] && ok || bad "the long name was not cut"
has h_table out 'Långt navnLångt navnLångt navnLångt navnLångt n…'
# Stored verbatim: SQL in names is data.
[ "$(sqlite3 "$H" "SELECT name FROM places WHERE id = 'q''uote\"s'")" = "Robert'); DROP TABLE places;--" ] &&
	ok || bad "SQL-looking name not stored verbatim"
[ "$(sqlite3 "$H" "SELECT length(name) FROM experts WHERE id = 'e-long'")" -eq 10000 ] && ok || bad "long name not kept whole"
run h_json 0 "$MATCH" --db "$H" list experts --format json
run h_csv 0 "$MATCH" --db "$H" list experts --format csv
run h_places 0 "$MATCH" --db "$H" list places
has h_places out '%s%s%s%n %99999999d'
run h_top 0 "$MATCH" --db "$H" top "n-%d" -k 0 --format json
run h_explain 0 "$MATCH" --db "$H" explain "n-%d" "e-csv,\"x\""
run h_assign 0 "$MATCH" --db "$H" assign --period 2026-Q3 --format json
if command -v python3 >/dev/null 2>&1; then
	for f in h_json h_top h_assign; do
		python3 -m json.tool "$T/$f.out" >/dev/null 2>"$T/$f.jerr" && ok ||
			{ bad "$f: not valid JSON"; cat "$T/$f.jerr" >&2; }
	done
	# CSV and JSON carry exactly the same strings, and the CSV parses
	# back into the table's rows and columns.
	python3 - "$T/h_csv.out" "$T/h_json.out" >"$T/h_rt" 2>&1 <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
doc = json.load(open(sys.argv[2], encoding='utf-8'))['experts']
assert len(rows) == len(doc) + 1, (len(rows), len(doc))
for r, d in zip(rows[1:], doc):
    assert len(r) == len(rows[0])
    for k in ('id', 'name', 'garden', 'home'):
        assert r[rows[0].index(k)] == d[k], (k, r, d)
assert any(d['name'].startswith('\u202e\u2067evil') for d in doc)
assert any(len(d['name']) == 10000 for d in doc)
PY
	[ $? -eq 0 ] && ok || { bad "hostile CSV/JSON round trip"; cat "$T/h_rt" >&2; }
fi
# Export and re-load give the same database.
run h_export 0 "$MATCH" --db "$H" export
run h_reload 0 "$MATCH" --db "$T/hostile2.db" load "$T/h_export.out"
run h_export2 0 "$MATCH" --db "$T/hostile2.db" export
cmp -s "$T/h_export.out" "$T/h_export2.out" && ok || bad "hostile export round trip differs"
# A C0 control character is refused with its position.
printf 'places:\n  - {id: x, name: "bell\\a", lat: 1, lon: 1}\n' >"$T/c0.yaml"
run h_c0 3 "$MATCH" --db "$H" load "$T/c0.yaml" && has h_c0 err "c0.yaml:2:" && has h_c0 err "control character"

# ---- fuzz seeds and findings, replayed without the fuzzer ---------------------------
# Every YAML input validates or is refused (0 or 3); every argument list
# (NUL-separated, as fuzz_args reads it) ends with a status of match, never
# a signal.  An input that once made a fuzzer fail is added to these folders.
FZ=$HERE/../fuzz/corpus
for f in "$FZ"/yaml/*; do
	"$MATCH" --db "$T/none.db" validate "$f" >/dev/null 2>&1
	st=$?
	[ $st -eq 0 ] || [ $st -eq 3 ] && ok || bad "fuzz input $f: exit $st"
done
mkdir -p "$T/replay"
for f in "$FZ"/args/*; do
	(cd "$T/replay" && xargs -0 sh -c '"$0" "$@" </dev/null >/dev/null 2>&1; echo $?' \
		"$MATCH" <"$f" >"$T/replay.st")
	st=$(cat "$T/replay.st")
	[ "$st" -le 5 ] && ok || bad "fuzz arguments $f: exit $st"
done

# ---- output plumbing ------------------------------------------------------------
if [ -w /dev/full ]; then
	"$MATCH" list experts >/dev/full 2>"$T/full.err"
	[ $? -eq 4 ] && ok || bad "/dev/full did not exit 4"
	has full err "error writing output"
fi
"$MATCH" list experts 2>"$T/pipe.err" | head -1 >/dev/null
empty pipe err
# Large outputs, cut off mid-write; also when the caller ignores SIGPIPE.
awk 'BEGIN { print "experts:"; for (i = 0; i < 3000; i++)
	printf "  - {id: e-big-%04d, name: Stor Ekspert %d, garden: odal, home: skarnes, skills: {export: 3}}\n", i, i }' >"$T/many.yaml"
run big_load 0 "$MATCH" --db "$T/big.db" -q load profiles "$T/many.yaml"
for fmt in table json csv yaml; do
	"$MATCH" --db "$T/big.db" list experts -f $fmt 2>"$T/pipe_$fmt.err" | head -c 100 >/dev/null
	empty pipe_$fmt err
	(trap '' PIPE; "$MATCH" --db "$T/big.db" list experts -f $fmt 2>"$T/pipei_$fmt.err" | head -1 >/dev/null)
	empty pipei_$fmt err
done
"$MATCH" --db "$T/big.db" export 2>"$T/pipe_export.err" | head -1 >/dev/null
empty pipe_export err
if [ -w /dev/full ]; then
	"$MATCH" --db "$T/big.db" export -f json >/dev/full 2>"$T/fullbig.err"
	[ $? -eq 4 ] && ok || bad "a large export to /dev/full did not exit 4"
	has fullbig err "No space left on device"
	"$MATCH" --db "$T/big.db" top --skill export --at hamar -k 0 >/dev/full 2>"$T/fulltop.err"
	[ $? -eq 4 ] && ok || bad "a large top to /dev/full did not exit 4"
	has fulltop err "error writing output"
fi
# The database is intact after readers were cut off.
[ "$(sqlite3 "$T/big.db" 'PRAGMA integrity_check')" = ok ] && ok || bad "big.db damaged"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
