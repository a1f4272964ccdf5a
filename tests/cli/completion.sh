#!/bin/bash
# SPDX-License-Identifier: MIT
# completion.sh MATCH -- tests of completion/match.bash: source it, set
# COMP_WORDS and COMP_CWORD as bash would, call _match and compare
# COMPREPLY.  Uses a database of the bundled profiles in a temporary
# folder.  Prints "N passed, N failed"; exits 1 on a failure.
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
DB=$T/c.db
"$MATCH" --db "$DB" -q load "$ROOT/profiles" || { echo "cannot load profiles" >&2; exit 1; }
unset MATCH_DB
# shellcheck source=../../completion/match.bash
. "$ROOT/completion/match.bash"

# expect "WORDS" "EXPECTED" : complete the last word of WORDS (a trailing
# space means an empty word); EXPECTED is the sorted, space-joined reply.
expect()
{
	local line=$1 want=$2
	read -r -a COMP_WORDS <<<"$line"
	[ "${line: -1}" = " " ] && COMP_WORDS+=("")
	COMP_WORDS[0]=$MATCH
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_match
	local got
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' ')
	got=${got% }
	if [ "$got" = "$want" ]; then ok; else bad "'$line' -> '$got', want '$want'"; fi
}

needs_os=$("$MATCH" --db "$DB" list needs --format csv -q | tail -n +2 | cut -d, -f1 | grep '^n-os' | sort | tr '\n' ' ')
needs_os=${needs_os% }
[ -n "$needs_os" ] || { echo "FAIL: no n-os needs in the profiles" >&2; exit 1; }

expect "match to" "top"
expect "match e" "explain export"
expect "match --db $DB top n-os" "$needs_os"
MATCH_DB=$DB expect "match top n-os" "$needs_os"
MATCH_DB=$DB expect "match --quiet top n-os" "$needs_os"
MATCH_DB=$DB expect "match explain n-os-lean-workshop e-ingrid-" "e-ingrid-h"
MATCH_DB=$DB expect "match top --at lo" "loten"
MATCH_DB=$DB expect "match list experts --garden so" "solor sor-osterdal"
expect "match list pl" "places"
expect "match --format j" "json"
expect "match top --mode h" "hybrid"
expect "match assign --c" "--commit"
expect "match map --s" "--svg"
expect "match list --g" "--garden"
expect "match me" "meeting"
expect "match meeting --att" "--attendees"
expect "match rep" "report"
expect "match report --la" "--lang"
expect "match report --lang " "en nb"
MATCH_DB=$DB expect "match meeting --attendees so" "solor sor-osterdal"
MATCH_DB=$DB expect "match meeting --attendees solor = 3 --at fl" "flisa"
expect "match tea" "teams"
expect "match teams --ma" "--max-km"
MATCH_DB=$DB expect "match teams n-os" "$needs_os"
MATCH_DB=$DB expect "match explain n-os-lean-workshop e-anders-f e-ingrid-" "e-ingrid-h"
expect "match su" "suggest"
MATCH_DB=$DB expect "match suggest n-os" "$needs_os"
expect "match top --opt" "--optional-skill"
MATCH_DB=$DB expect "match top --optional-skill lean-p" "lean-production"
expect "match top --text " ""
# Records over time (issue 13).
expect "match ret" "retire"
expect "match res" "restore"
expect "match wi" "withdraw"
expect "match retire e" "expert"
MATCH_DB=$DB expect "match retire expert e-ingrid-" "e-ingrid-h"
MATCH_DB=$DB expect "match done n-os-lean-" "n-os-lean-workshop"
expect "match load --s" "--sync"
expect "match load --dr" "--dry-run"
expect "match list --a" "--all"
expect "match list --e" "--expert"
expect "match list engagements --period a" "all"
MATCH_DB=$DB expect "match list engagements --expert e-ingrid-" "e-ingrid-h"
# A missing database: silent and empty.
expect "match --db $T/none.db top n-" ""
MATCH_DB=$T/none.db expect "match explain n-os-lean-workshop e-" ""

finish completion
