/* SPDX-License-Identifier: MIT */
/*
 * quarter_plan.c -- read a libmatch database and print the quarter's
 * optimal plan: who goes where, what stays open and why, and how much
 * the gardens share their experts.
 *
 *   quarter_plan DATABASE [PERIOD]
 *
 * Uses only the public API in libmatch.h.  It never writes: committing a
 * plan is `match assign --commit` (lm_db_commit_plan).
 */
#include <stdio.h>

#include <libmatch.h>

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s DATABASE [PERIOD]\n", argv[0]);
		return 2;
	}
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	lm_plan *plan = NULL;
	int status = 1;

	if (lm_db_open(argv[1], LM_DB_READONLY, &db) != LM_OK ||
	    lm_db_read(db, &cat) != LM_OK) {
		fprintf(stderr, "%s\n", db ? lm_db_errmsg(db) : "out of memory");
		goto done;
	}
	lm_match_options opts = LM_MATCH_OPTIONS_INIT;
	opts.period = argc == 3 ? argv[2] : NULL;
	if (lm_plan_compute(cat, NULL, 0, &opts, &plan) != LM_OK) {
		fprintf(stderr, "%s\n", lm_catalog_errmsg(cat));
		goto done;
	}
	printf("Plan for %s: total score %.2f\n", lm_plan_period(plan),
	       lm_plan_total_score(plan));
	for (size_t i = 0; i < lm_plan_assignment_count(plan); i++) {
		const lm_assignment *a = lm_plan_assignment(plan, i);
		printf("  %-32s <- %-14s (%s -> %s) %6.2f %6.1f km\n", a->need,
		       a->expert, a->expert_garden,
		       a->need_garden ? a->need_garden : "-", a->score,
		       a->distance_km);
	}
	for (size_t i = 0; i < lm_plan_unassigned_count(plan); i++) {
		const lm_unassigned *u = lm_plan_unassigned(plan, i);
		printf("  open: %s: %s\n        %s\n        fix: %s\n", u->need,
		       u->reason, u->detail, u->fix);
	}
	for (size_t i = 0; i < lm_plan_garden_count(plan); i++) {
		const lm_garden_report *g = lm_plan_garden(plan, i);
		printf("  %-14s gives %2d (%d to other gardens), receives %2d\n",
		       g->garden, g->engagements, g->cross_garden, g->received);
	}
	status = 0;
done:
	lm_plan_free(plan);
	lm_catalog_free(cat);
	lm_db_close(db);
	return status;
}
