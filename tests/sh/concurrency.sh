#!/bin/sh
# SPDX-License-Identifier: MIT
# concurrency.sh MATCH -- several `match load` and `match assign --commit`
# processes on one database at the same time, with readers beside them.
# None may fail with "database is locked", nothing loaded may be lost, and
# no expert or need may be overbooked.  Prints "concurrency: N passed, N failed".
set -u
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
export MATCH_DB="$T/c.db"
P=2031-Q1

# Four processes creating and loading one new database together.
pids=
for f in 1 2 3 4; do
	"$MATCH" -q load "$ROOT/profiles" 2>"$T/create$f.err" &
	pids="$pids $!"
done
for p in $pids; do
	wait $p && ok || { bad "creating load: exit $?"; cat "$T"/create*.err >&2; }
done
base=$(q 'SELECT count(*) FROM experts')
[ "$base" -gt 0 ] && ok || bad "the created database holds no experts"

# Four files of new experts (capacity 1) and remote needs for two each,
# so that every commit competes for the same few experts.
for f in 1 2 3 4; do
	awk -v f="$f" 'BEGIN {
		print "experts:"
		for (i = 0; i < 30; i++)
			printf "  - {id: e-c%d-%02d, name: Samtidig %d-%d, garden: odal, home: skarnes, skills: {export: %d}, capacity: 1}\n", f, i, f, i, i % 5 + 1
		print "needs:"
		for (i = 0; i < 20; i++)
			printf "  - {id: n-c%d-%02d, company: c-os-sveis, skills: {export: %d}, mode: remote, experts: 2}\n", f, i, i % 3 + 1
	}' >"$T/new$f.yaml"
done

# Everything at once: 4 loads, 3 commits of the same period, 2 readers.
# A commit may start before, between or after the loads.
i=0
for f in 1 2 3 4; do
	"$MATCH" -q load "$T/new$f.yaml" >"$T/load$f.out" 2>"$T/load$f.err" &
	eval "pid_load$f=\$!"
	"$MATCH" -q assign --commit --period $P >/dev/null 2>"$T/assign$f.err" &
	eval "pid_assign$f=\$!"
done
"$MATCH" list experts >/dev/null 2>"$T/read1.err" &
pid_read1=$!
"$MATCH" top --skill export:2 --at hamar -k 0 >/dev/null 2>"$T/read2.err" &
pid_read2=$!

for f in 1 2 3 4; do
	eval "wait \$pid_load$f"
	st=$?
	[ $st -eq 0 ] && ok || { bad "load $f: exit $st"; cat "$T/load$f.err" >&2; }
	eval "wait \$pid_assign$f"
	st=$?
	# A commit that lost every retry must say so cleanly (exit 4).
	if [ $st -eq 0 ] || { [ $st -eq 4 ] && grep -q "nothing was committed" "$T/assign$f.err"; }; then
		ok
	else
		bad "assign $f: exit $st"; cat "$T/assign$f.err" >&2
	fi
done
wait $pid_read1 && ok || { bad "list during writes"; cat "$T/read1.err" >&2; }
wait $pid_read2 && ok || { bad "top during writes"; cat "$T/read2.err" >&2; }
if grep -l "locked" "$T"/*.err >/dev/null 2>&1; then
	bad "a process saw 'database is locked'"; cat "$T"/*.err >&2
else
	ok
fi

# Nothing lost.
n=$(q 'SELECT count(*) FROM experts')
[ "$n" -eq $((base + 120)) ] && ok || bad "experts: $n, want $((base + 120))"
n=$(q "SELECT count(*) FROM needs WHERE id LIKE 'n-c%'")
[ "$n" -eq 80 ] && ok || bad "needs: $n, want 80"

# No overbooking, per expert and period, and per need and period.
over() {
	q "SELECT count(*) FROM (SELECT e.period, e.expert, count(*) AS n,
	     coalesce(x.capacity, (SELECT value FROM settings
	                           WHERE key = 'default_capacity'), 2) AS cap
	   FROM engagements e JOIN experts x ON x.id = e.expert
	   GROUP BY e.period, e.expert HAVING n > cap)"
}
over_need() {
	# A team need (team > 1) takes one team of up to `team` members.
	q "SELECT count(*) FROM (SELECT e.period, e.need, count(*) AS n,
	     CASE WHEN coalesce(d.team, 1) > 1 THEN d.team ELSE d.experts END
	       AS places
	   FROM engagements e JOIN needs d ON d.id = e.need
	   GROUP BY e.period, e.need HAVING n > places)"
}
[ "$(over)" -eq 0 ] && ok || bad "an expert is overbooked"
[ "$(over_need)" -eq 0 ] && ok || bad "a need has too many experts"
n=$(q "SELECT count(*) FROM engagements WHERE period = '$P'")
[ "$n" -gt 0 ] && ok || bad "no engagement was committed"

# Two commits of a fresh period racing each other: both succeed (the
# second plans again after the first) or one reports the conflict.
P2=2031-Q2
"$MATCH" -q assign --commit --period $P2 >/dev/null 2>"$T/r1.err" &
a1=$!
"$MATCH" -q assign --commit --period $P2 >/dev/null 2>"$T/r2.err" &
a2=$!
for p in $a1 $a2; do
	wait $p
	st=$?
	[ $st -eq 0 ] || { [ $st -eq 4 ] && grep -q "nothing was committed" "$T"/r*.err; } &&
		ok || { bad "racing commit: exit $st"; cat "$T"/r*.err >&2; }
done
[ "$(over)" -eq 0 ] && [ "$(over_need)" -eq 0 ] && ok || bad "racing commits overbooked"
# Whatever was committed, a new plan finds nothing more to add.
"$MATCH" -q assign --commit --period $P2 >/dev/null 2>"$T/r3.err" && ok || { bad "third commit"; cat "$T/r3.err" >&2; }
n1=$(q "SELECT count(*) FROM engagements WHERE period = '$P2'")
"$MATCH" -q assign --commit --period $P2 >/dev/null 2>&1
n2=$(q "SELECT count(*) FROM engagements WHERE period = '$P2'")
[ "$n1" -eq "$n2" ] && [ "$n1" -gt 0 ] && ok || bad "commits of $P2: $n1 then $n2"

finish concurrency
