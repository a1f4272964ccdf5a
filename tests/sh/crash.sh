#!/bin/sh
# SPDX-License-Identifier: MIT
# crash.sh MATCH -- crash safety of `match load`: a load of 20,000
# generated experts (which also changes stored experts) is killed with
# SIGKILL at ten points of its run.  Every time the database must pass
# PRAGMA integrity_check and hold entirely the old or entirely the new
# content, never a mix.  Prints "crash: N passed, N failed".
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

# The state of a database: every expert with its capacity and skills,
# hashed, so that "old" and "new" differ in many rows, not only in counts.
state() {
	sqlite3 "$1" "SELECT id, coalesce(capacity, '-'), name FROM experts
	              ORDER BY id; SELECT expert, skill, level FROM expert_skills
	              ORDER BY expert, skill;" | cksum
}

# New experts, and new capacities and names for all 48 bundled ones.
awk 'BEGIN {
	print "experts:"
	for (i = 0; i < 20000; i++)
		printf "  - {id: e-gen-%05d, name: \"Generert \\\"%d\\\"; DROP TABLE experts;\", garden: odal, home: skarnes, skills: {export: %d, lean-production: 2}, capacity: %d, languages: [nb, en]}\n", i, i, i % 5 + 1, i % 4
}' >"$T/big.yaml"
"$MATCH" --db "$T/old.db" -q load "$ROOT/profiles" || { bad "loading profiles"; exit 1; }
"$MATCH" --db "$T/old.db" export >"$T/old.yaml"
sed -n 's/^  - id: \(e-.*\)$/\1/p' "$T/old.yaml" |
	awk '{ printf "  - {id: %s, name: Endret %d, garden: solor, home: flisa, skills: {sales: 3}, capacity: 5}\n", $1, NR }' >>"$T/big.yaml"
old=$(state "$T/old.db")

# The new state, and how long a whole load takes here.
cp "$T/old.db" "$T/new.db"
t0=$(now_ms)
"$MATCH" --db "$T/new.db" -q load "$T/big.yaml" || { bad "the whole load failed"; exit 1; }
dur=$(($(now_ms) - t0))
new=$(state "$T/new.db")
[ "$old" != "$new" ] && ok || bad "the load changed nothing"

n_old=0 n_new=0
for i in 0 1 2 3 4 5 6 7 8 9; do
	rm -f "$T/k.db" "$T/k.db-wal" "$T/k.db-shm"
	cp "$T/old.db" "$T/k.db"
	"$MATCH" --db "$T/k.db" -q load "$T/big.yaml" 2>/dev/null &
	pid=$!
	# From just after the start to just past the end of a normal run.
	ms=$((dur * i / 8 + 5))
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	chk=$(sqlite3 "$T/k.db" 'PRAGMA integrity_check' 2>&1)
	[ "$chk" = ok ] && ok || bad "kill at ${ms} ms: integrity_check: $chk"
	fk=$(sqlite3 "$T/k.db" 'PRAGMA foreign_key_check' 2>&1)
	[ -z "$fk" ] && ok || bad "kill at ${ms} ms: foreign_key_check: $fk"
	s=$(state "$T/k.db")
	if [ "$s" = "$old" ]; then
		n_old=$((n_old + 1)); ok
	elif [ "$s" = "$new" ]; then
		n_new=$((n_new + 1)); ok
	else
		bad "kill at ${ms} ms: the database is neither the old nor the new state"
	fi
	# The database still works after the crash.
	"$MATCH" --db "$T/k.db" list gardens >/dev/null 2>"$T/err" && ok ||
		{ bad "kill at ${ms} ms: match list fails afterwards"; cat "$T/err" >&2; }
done
finish crash "(load ${dur} ms; killed before commit $n_old, after $n_new)"
