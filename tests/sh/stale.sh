#!/bin/sh
# SPDX-License-Identifier: MIT
# stale.sh MATCH -- a plan must never be committed from profiles that
# changed after it was read.  A large `match assign --commit` runs while a
# load gives half the experts a conflict of interest with the needs'
# company, or takes their skill below the level asked, at many points of
# the plan's run.  Afterwards SQL finds no recorded pair that breaks a
# hard rule of the profiles as they are now, and no expert or need
# overbooked.  Prints "stale: N passed, N failed".
set -u
. "$(dirname "$0")/../lib.sh"
export MATCH_DB="$T/s.db"

# N remote experts and needs of K skills without relatives (so that SQL
# can tell whether a skill is covered), capacity 2; "conflict": half the
# experts of each skill have a conflict of interest with c-race-0, whose
# needs are the even ones; "skill": they have their skill at level 1, and
# the needs ask for 3.  Either way the other half can still take every
# need.
gen() {
	awk -v N=6000 -v K=30 -v mode="$1" 'BEGIN {
		print "skills:"
		for (k = 0; k < K; k++)
			printf "  - {id: s-race-%d, label: Race skill %d}\n", k, k
		print "companies:"
		for (c = 0; c < 2; c++)
			printf "  - {id: c-race-%d, name: Race %d AS, place: skarnes, garden: odal}\n", c, c
		print "experts:"
		for (i = 0; i < N; i++) {
			lvl = 3; conf = ""
			half = int(i / K) % 2 == 0
			if (mode == "conflict" && half)
				conf = ", conflicts: [c-race-0]"
			if (mode == "skill" && half)
				lvl = 1
			printf "  - {id: e-r-%04d, name: Race %d, garden: odal, home: skarnes, skills: {s-race-%d: %d}, capacity: 2, remote: true%s}\n", i, i, i % K, lvl, conf
		}
		if (mode != "base")
			exit
		print "needs:"
		for (i = 0; i < N; i++)
			printf "  - {id: n-r-%04d, company: c-race-%d, skills: {s-race-%d: 3}, mode: remote}\n", i, i % 2, (i * 7) % K
	}' >"$T/$1.yaml"
}
for m in base conflict skill; do
	gen $m
done
"$MATCH" -q load "$ROOT/profiles" "$T/base.yaml" || { bad "loading"; exit 1; }

# Every engagement recorded, with the data version of the profiles at
# that moment: the pairs recorded after the load must be allowed by the
# profiles it loaded; those recorded before it were allowed by the old
# ones.
q "CREATE TABLE stale_log (period, need, expert, data_version);
   CREATE TRIGGER stale_log AFTER INSERT ON engagements BEGIN
     INSERT INTO stale_log VALUES (new.period, new.need, new.expert,
       (SELECT value FROM meta WHERE key = 'data_version'));
   END"

# Pairs of a period recorded under the profiles as they are now that
# those profiles do not allow.
now=" JOIN stale_log l ON l.period = e.period AND l.need = e.need
      AND l.expert = e.expert
      AND l.data_version = (SELECT value FROM meta WHERE key = 'data_version')"
conflicts() {
	q "SELECT count(*) FROM engagements e $now
	   JOIN needs n ON n.id = e.need
	   JOIN expert_conflicts c ON c.expert = e.expert AND c.company = n.company
	   WHERE e.period = '$1'"
}
uncovered() {
	q "SELECT count(*) FROM engagements e $now
	   JOIN need_skills s ON s.need = e.need
	   JOIN experts x ON x.id = e.expert
	   WHERE e.period = '$1' AND e.need LIKE 'n-r-%'
	     AND NOT coalesce(s.optional, 0)
	     AND coalesce(json_extract(x.skills, '\$.\"' || s.skill || '\"'), 0) < s.level"
}
# A team need (team > 1) takes one team of up to `team` members.
overbooked() {
	q "SELECT (SELECT count(*) FROM (SELECT e.expert, count(*) AS n,
	     x.capacity AS cap
	   FROM engagements e JOIN experts x ON x.id = e.expert
	   WHERE e.period = '$1' AND x.capacity IS NOT NULL
	   GROUP BY e.expert HAVING n > cap))
	 + (SELECT count(*) FROM (SELECT e.need, count(*) AS n,
	     CASE WHEN coalesce(d.team, 1) > 1 THEN d.team ELSE d.experts END
	       AS places
	   FROM engagements e JOIN needs d ON d.id = e.need
	   WHERE e.period = '$1' GROUP BY e.need HAVING n > places))"
}

# How long a plan takes here, to spread the loads over its run.
t0=$(now_ms)
"$MATCH" -q assign --period 2031-Q1 >/dev/null || bad "a plan failed"
dur=$(($(now_ms) - t0))

runs=12
seen=0
i=0
while [ $i -lt $runs ]; do
	P=$((2032 + i))-Q1
	mode=conflict
	[ $((i % 2)) -eq 1 ] && mode=skill
	"$MATCH" -q load "$T/base.yaml" || bad "run $i: resetting"
	# A need served in an earlier run stays served (issue 13): every
	# run starts without engagements, so that its plan has needs.
	q "DELETE FROM engagements"
	"$MATCH" assign --commit --period "$P" >/dev/null 2>"$T/assign.err" &
	pid=$!
	# From the start of the plan's run to just past its end.
	ms=$((dur * (i / 2) / 5))
	sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
	"$MATCH" -q load "$T/$mode.yaml" 2>"$T/load.err" ||
		{ bad "run $i: the $mode load failed"; cat "$T/load.err" >&2; }
	wait $pid
	st=$?
	if [ $st -eq 0 ] || { [ $st -eq 4 ] && grep -q "nothing was committed" "$T/assign.err"; }; then
		ok
	else
		bad "run $i: assign exit $st"; cat "$T/assign.err" >&2
	fi
	if grep -q "the profiles were loaded again at .* after the plan was made.*; planning again" "$T/assign.err"; then
		seen=$((seen + 1))
	fi
	n=$(conflicts "$P")
	[ "$n" -eq 0 ] && ok || bad "run $i ($mode load after ${ms} ms): $n pairs with a conflict of interest were committed"
	n=$(uncovered "$P")
	[ "$n" -eq 0 ] && ok || bad "run $i ($mode load after ${ms} ms): $n pairs without the skill asked were committed"
	n=$(overbooked "$P")
	[ "$n" -eq 0 ] && ok || bad "run $i: $n experts or needs overbooked"
	n=$(q "SELECT count(*) FROM engagements WHERE period = '$P'")
	[ "$n" -gt 0 ] && ok || bad "run $i: nothing was committed"
	i=$((i + 1))
done
# The loads must have come in the middle of some plans, or the test
# showed nothing.
[ $seen -gt 0 ] && ok || bad "no load came while a plan was made ($runs runs, a plan takes $dur ms)"

finish stale "($seen of $runs plans were made again, a plan takes $dur ms)"
