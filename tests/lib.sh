# SPDX-License-Identifier: MIT
# lib.sh -- the prelude the shell tests share (tests/cli/*.sh and
# tests/sh/*.sh, each run as `sh SCRIPT MATCH` from anywhere): sourced
# with `. "$(dirname "$0")/../lib.sh"`, it sets MATCH to the absolute path
# of the binary under test, ROOT to the project root and T to a new
# temporary folder, removed at exit; `ok` and `bad MESSAGE` count a
# check, and `finish NAME [NOTE]` prints "NAME: N passed, N failed [NOTE]"
# and is true only when nothing failed (the script's last command);
# `q SQL` runs SQL on $MATCH_DB with the sqlite3 shell, and `now_ms`
# prints the clock in milliseconds.
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
