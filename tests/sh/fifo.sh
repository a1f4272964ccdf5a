#!/bin/sh
# SPDX-License-Identifier: MIT
# fifo.sh MATCH -- a load that waits for its input holds no lock: while
# `match load FIFO` waits for a writer, other loads, commits and releases
# finish at once; the waiting load then loads what comes through the
# FIFO.  A FIFO among the files of a folder is skipped with a note, not
# waited for.  A load checks its input before it takes the write lock, and
# again against the rows if another writer committed in between.
# Prints "fifo: N passed, N failed".
set -u
. "$(dirname "$0")/../lib.sh"
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
export MATCH_DB="$T/f.db"
# A writer must finish well inside the 30 s a lock is waited for.
QUICK_MS=5000

"$MATCH" -q load "$ROOT/profiles" || { bad "loading"; exit 1; }
cat >"$T/piped.yaml" <<'EOF'
experts:
  - {id: e-piped, name: Through the FIFO, garden: odal, home: skarnes, skills: {export: 3}}
EOF
cat >"$T/other.yaml" <<'EOF'
experts:
  - {id: e-other, name: Beside the FIFO, garden: odal, home: skarnes, skills: {export: 2}}
EOF

# A load that waits for its input, and writers beside it.
mkfifo "$T/in.yaml"
"$MATCH" -q load "$T/in.yaml" 2>"$T/wait.err" &
waiting=$!
pids="$waiting"
sleep 0.3
writer() {
	name=$1
	shift
	t0=$(now_ms)
	timeout 20 "$MATCH" -q "$@" >/dev/null 2>"$T/$name.err"
	st=$?
	ms=$(($(now_ms) - t0))
	if [ $st -eq 0 ] && [ $ms -lt $QUICK_MS ]; then
		ok
	else
		bad "$name while a load waits for its input: exit $st after $ms ms: $(cat "$T/$name.err")"
	fi
}
writer load load "$T/other.yaml"
writer commit assign --commit --period 2031-Q1
writer release release n-os-lean-workshop --period 2031-Q1
kill -0 "$waiting" 2>/dev/null && ok || bad "the FIFO load did not wait for its input"
cat "$T/piped.yaml" >"$T/in.yaml"
wait "$waiting"
st=$?
pids=
[ $st -eq 0 ] && ok || bad "the FIFO load: exit $st: $(cat "$T/wait.err")"
n=$(q "SELECT count(*) FROM experts WHERE id IN ('e-piped', 'e-other')")
[ "$n" -eq 2 ] && ok || bad "experts loaded: $n of 2"

# A FIFO in a folder is not waited for: skipped, and said so.
mkdir "$T/dir"
mkfifo "$T/dir/pipe.yaml"
cp "$T/piped.yaml" "$T/dir/experts.yaml"
timeout 20 "$MATCH" load "$T/dir" >/dev/null 2>"$T/dir.err"
st=$?
[ $st -eq 0 ] && grep -q "dir/pipe.yaml: skipped: not a regular file" "$T/dir.err" && ok ||
	bad "a folder with a FIFO: exit $st: $(cat "$T/dir.err")"
# With only the FIFO, there is no YAML file to load.
rm "$T/dir/experts.yaml"
timeout 20 "$MATCH" load "$T/dir" >/dev/null 2>"$T/dir.err"
st=$?
[ $st -eq 3 ] && grep -q "skipped: not a regular file" "$T/dir.err" &&
	grep -q "no YAML file found in $T/dir" "$T/dir.err" && ok ||
	bad "a folder with only a FIFO: exit $st: $(cat "$T/dir.err")"

# Checked again under the lock: a place the load refers to is removed by
# another writer after the load read the database and before it gets the
# write lock.  The load must see it gone, not write a company without its
# place.
cat >"$T/place.yaml" <<'EOF'
places:
  - {id: p-gone, name: Soon Gone, lat: 60.5, lon: 11.5}
EOF
cat >"$T/company.yaml" <<'EOF'
companies:
  - {id: c-late, name: Late AS, place: p-gone, garden: odal}
EOF
"$MATCH" -q load "$T/place.yaml" || bad "loading the place"
# The load opens the database (which takes the write lock for a moment)
# and waits for its input; then another writer takes the lock; then the
# input comes, and the load reads, checks and waits for the lock.
mkfifo "$T/late.yaml" "$T/ctl"
"$MATCH" load "$T/late.yaml" >/dev/null 2>"$T/late.err" &
late=$!
pids="$late"
sleep 0.3
sqlite3 "$MATCH_DB" <"$T/ctl" >/dev/null 2>"$T/sql.err" &
holder=$!
pids="$pids $holder"
exec 3>"$T/ctl"
echo "BEGIN IMMEDIATE;" >&3
sleep 0.3
cat "$T/company.yaml" >"$T/late.yaml"
sleep 0.5
echo "DELETE FROM places WHERE id = 'p-gone'; COMMIT;" >&3
exec 3>&-
wait "$holder"
wait "$late"
st=$?
pids=
[ $st -eq 3 ] && grep -q "late.yaml:2:.*unknown place 'p-gone'" "$T/late.err" && ok ||
	bad "a load whose place went meanwhile: exit $st: $(cat "$T/late.err" "$T/sql.err")"
n=$(q "SELECT count(*) FROM companies WHERE id = 'c-late'")
[ "$n" -eq 0 ] && ok || bad "a company was written without its place"

finish fifo
