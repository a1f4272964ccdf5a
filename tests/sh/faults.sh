#!/bin/sh
# SPDX-License-Identifier: MIT
# faults.sh MATCH -- what `match` says when the machine or the file is at
# fault: every command on a full disk says that the disk is full (a small
# tmpfs, mounted in a user namespace where unshare(1) allows it), and a
# database that lost its schema version says that it is damaged instead
# of asking for `match init`, which must not fail half-way on it; and
# `top` and `explain` never answer from the engine image when the rows it
# stands for are gone, changed behind its back or damaged.
# Prints "faults: N passed, N failed".
set -u
. "$(dirname "$0")/../lib.sh"
note=

"$MATCH" --db "$T/p.db" -q load "$ROOT/profiles" || { bad "loading"; exit 1; }
# One file, no WAL beside it, to copy onto the small disk.
sqlite3 "$T/p.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null

# ---- a full disk -----------------------------------------------------------

# Run inside a mount namespace of its own: a 1 MiB tmpfs at $T/disk,
# filled up, then every command.  Prints one line per check.
cat >"$T/full.sh" <<'EOF'
set -u
M=$1 T=$2 ROOT=$3
mkdir -p "$T/disk"
mount -t tmpfs -o size=1m tmpfs "$T/disk" || exit 97
cp "$T/p.db" "$T/disk/p.db"
cd "$T/disk" || exit 97
dd if=/dev/zero of=fill bs=4k >/dev/null 2>&1
check() {
	name=$1
	shift
	"$M" --db p.db "$@" >/dev/null 2>"$T/err"
	st=$?
	if [ $st -eq 4 ] && grep -q "the disk is full" "$T/err"; then
		echo ok
	else
		echo "FAIL: $name on a full disk: exit $st: $(cat "$T/err")"
	fi
}
check init init
check load load "$ROOT/profiles"
check validate validate "$ROOT/profiles"
check list list experts
check top top n-os-lean-workshop
check top-adhoc top --skill export --at hamar
check explain explain n-os-lean-workshop e-arne-b
check assign assign
check commit assign --commit --period 2031-Q1
check release release n-os-lean-workshop --period 2031-Q1
check export export
check map map n-os-lean-workshop --svg "$T/m.svg"
check meeting meeting
# A new database on the full disk.
"$M" --db new.db load "$ROOT/profiles" >/dev/null 2>"$T/err"
st=$?
if [ $st -eq 4 ] && grep -q "the disk is full" "$T/err"; then
	echo ok
else
	echo "FAIL: a first load on a full disk: exit $st: $(cat "$T/err")"
fi
# ... leaves no file behind.
if [ -e new.db ] || [ -e new.db-wal ] || [ -e new.db-shm ]; then
	echo "FAIL: a first load on a full disk left $(ls new.db*)"
else
	echo ok
fi
EOF
if unshare -rm true 2>/dev/null; then
	unshare -rm sh "$T/full.sh" "$MATCH" "$T" "$ROOT" >"$T/full.out" 2>&1
	st=$?
	if [ $st -eq 97 ]; then
		note="(full disk skipped: no tmpfs in a user namespace)"
	else
		while read -r line; do
			case $line in
			ok) ok ;;
			*) bad "${line#FAIL: }" ;;
			esac
		done <"$T/full.out"
		[ "$pass" -ge 15 ] && ok || bad "the full-disk checks did not all run"
	fi
else
	note="(full disk skipped: unshare -rm is not allowed here)"
fi

# ---- a database that lost its schema version ---------------------------------

cp "$T/p.db" "$T/v0.db"
sqlite3 "$T/v0.db" "PRAGMA user_version = 0"
for cmd in "list gardens" "init" "load $ROOT/profiles" "top n-os-lean-workshop"; do
	# shellcheck disable=SC2086
	"$MATCH" --db "$T/v0.db" $cmd >/dev/null 2>"$T/err"
	st=$?
	if [ $st -eq 4 ] && grep -q "a damaged libmatch database: it has tables but no schema version" "$T/err" &&
	   ! grep -q "already exists\|run 'match init'" "$T/err"; then
		ok
	else
		bad "'$cmd' on user_version 0: exit $st: $(cat "$T/err")"
	fi
done
n=$(sqlite3 "$T/v0.db" "PRAGMA user_version")
[ "$n" -eq 0 ] && ok || bad "the damaged database was changed (user_version $n)"
# Another application's database, and an empty file with libmatch's id.
sqlite3 "$T/other.db" "CREATE TABLE places (x)"
"$MATCH" --db "$T/other.db" init >/dev/null 2>"$T/err"
st=$?
[ $st -eq 4 ] && grep -q "not a libmatch database" "$T/err" && ok ||
	bad "init on another database: exit $st: $(cat "$T/err")"
sqlite3 "$T/id.db" "PRAGMA application_id = 1280139636"
"$MATCH" --db "$T/id.db" list gardens >/dev/null 2>"$T/err"
st=$?
[ $st -eq 4 ] && grep -q "empty database; run 'match init'" "$T/err" && ok ||
	bad "an empty database with libmatch's id: exit $st: $(cat "$T/err")"
"$MATCH" --db "$T/id.db" init >/dev/null 2>"$T/err" && ok ||
	bad "init of an empty database with libmatch's id: $(cat "$T/err")"

# ---- the engine image without the rows it stands for ------------------------

# Whatever was done to the experts' rows, `top` and `explain` answer as
# the rows do: fail as `list` does when it fails, else the same as with
# no image at all.
N=n-os-lean-workshop
E=e-ingrid-h
image_cases() {
	case $1 in
	drop) echo "DROP TABLE experts" ;;
	rename) echo "ALTER TABLE experts RENAME TO old_experts" ;;
	empty) echo "DROP TABLE expert_conflicts; DROP TABLE experts;
	             CREATE TABLE experts (id TEXT PRIMARY KEY)" ;;
	delete) echo "DROP TRIGGER engine_image_experts_del;
	              DELETE FROM experts WHERE id = '$E'" ;;
	update) echo "DROP TRIGGER engine_image_experts_upd;
	              UPDATE experts SET skills = '{\"lean-production\":1}' WHERE id = '$E'" ;;
	damage) echo "DROP TRIGGER engine_image_experts_upd;
	              UPDATE experts SET skills = 'not json' WHERE id = '$E'" ;;
	version) echo "UPDATE meta SET value = value - 1 WHERE key = 'image_data_version'" ;;
	esac
}
for c in drop rename empty delete update damage version; do
	cp "$T/p.db" "$T/i.db"
	sqlite3 "$T/i.db" "$(image_cases $c)"
	cp "$T/i.db" "$T/rows.db"
	sqlite3 "$T/rows.db" "DELETE FROM engine_image"
	for cmd in "list experts" "top $N" "top $N -k 0" "explain $N $E" \
	           "top --skill lean-production --at os"; do
		# shellcheck disable=SC2086
		"$MATCH" --db "$T/i.db" $cmd >"$T/i.out" 2>"$T/i.err"
		st=$?
		# shellcheck disable=SC2086
		"$MATCH" --db "$T/rows.db" $cmd >"$T/r.out" 2>"$T/r.err"
		rst=$?
		sed -i "s|$T/rows.db|DB|g" "$T/r.err"
		sed -i "s|$T/i.db|DB|g" "$T/i.err"
		if [ $st -eq $rst ] && cmp -s "$T/i.out" "$T/r.out" && cmp -s "$T/i.err" "$T/r.err"; then
			ok
		else
			bad "image case $c: '$cmd' exit $st, the rows' $rst: $(head -c 300 "$T/i.out") $(cat "$T/i.err") / $(head -c 300 "$T/r.out") $(cat "$T/r.err")"
		fi
	done
done

finish faults "$note"
