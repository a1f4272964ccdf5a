# SPDX-License-Identifier: MIT
# lib.sh -- the prelude the shell tests share (tests/cli/*.sh and
# tests/sh/*.sh, each run as `sh SCRIPT MATCH` from anywhere): sourced
# with `. "$(dirname "$0")/../lib.sh"`, it sets MATCH to the absolute path
# of the binary under test, ROOT to the project root and T to a new
# temporary folder, removed at exit; `ok` and `bad MESSAGE` count a
# check, and `finish NAME [NOTE]` prints "NAME: N passed, N failed [NOTE]"
# and is true only when nothing failed (the script's last command);
# `q SQL` runs SQL on $MATCH_DB with the sqlite3 shell, and `now_ms`
# prints the clock in milliseconds.  For the CLI's tests: `run NAME STATUS
# CMD...` keeps CMD's stdout in $T/NAME.out and stderr in $T/NAME.err and
# checks its exit status; `has NAME out|err TEXT` and `lacks NAME out|err
# TEXT` check for a fixed string there, and `empty NAME out|err` that
# nothing was written.
MATCH=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d "/tmp/match-$(basename "$0" .sh).XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
q() { sqlite3 "$MATCH_DB" "$1"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
finish() {
	echo "$1: $pass passed, $fail failed${2:+ $2}"
	[ "$fail" -eq 0 ]
}
run() {
	name=$1 want=$2
	shift 2
	"$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null
	got=$?
	if [ "$got" -ne "$want" ]; then
		bad "$name: exit $got, want $want ($*)"
		sed 's/^/    /' "$T/$name.err" >&2
		return 1
	fi
	ok
	return 0
}
has() {
	if grep -qF -- "$3" "$T/$1.$2"; then ok; else
		bad "$1: $2 lacks '$3'"
		sed 's/^/    /' "$T/$1.$2" | head -10 >&2
	fi
}
lacks() {
	if grep -qF -- "$3" "$T/$1.$2"; then
		bad "$1: $2 has '$3'"
		grep -F -- "$3" "$T/$1.$2" | head -5 | sed 's/^/    /' >&2
	else ok; fi
}
empty() {
	if [ ! -s "$T/$1.$2" ]; then ok; else
		bad "$1: $2 is not empty"
		head -5 "$T/$1.$2" >&2
	fi
}
