/* SPDX-License-Identifier: MIT */
/*
 * cmd_plan.c -- the quarter's plan: `assign` computes the optimal plan
 * for all open needs (with --pin pairs forced in) and with --commit
 * records its engagements, planning again when another commit came
 * first; `release` undoes committed engagements of a period.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Plans made and committed before a conflicting commit is reported. */
#define ASSIGN_ATTEMPTS 10

int cmd_assign(const args *a)
{
	if (a->npos)
		return usage_error("assign takes no arguments");
	lm_pin *pins = calloc(a->npins ? a->npins : 1, sizeof(*pins));
	char **pinbuf = calloc(a->npins ? a->npins : 1, sizeof(*pinbuf));
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	lm_plan *plan = NULL;
	int ex = EXIT_OK;
	if (!pins || !pinbuf) {
		ex = EXIT_INTERNAL;
		goto done;
	}
	for (size_t i = 0; i < a->npins; i++) {
		pinbuf[i] = strdup(a->pins[i]);
		if (!pinbuf[i]) {
			ex = EXIT_INTERNAL;
			goto done;
		}
		if (!parse_pin(pinbuf[i], &pins[i])) {
			ex = usage_error("bad --pin '%s' (want NEED=EXPERT)", a->pins[i]);
			goto done;
		}
	}
	size_t committed = 0;
	/* The plan is computed from a snapshot and re-checked at commit.  When
	 * another process committed in between (LM_ECONFLICT), read again and
	 * plan what is still open, a few times, before giving up. */
	for (int attempt = 1;; attempt++) {
		ex = open_catalog(a, &db, &cat);
		if (ex)
			goto done;
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		progress pr = {0};
		fill_options(a, &o, want_progress(a) ? &pr : NULL);
		int rc = lm_plan_compute(cat, pins, a->npins, &o, &plan);
		progress_end(&pr);
		if (rc) {
			ex = cat_fail(cat, rc);
			goto done;
		}
		if (!a->commit)
			break;
		/* The read-only handle cannot write: reopen for the commit. */
		lm_db_close(db);
		db = NULL;
		ex = open_db(a, 0, &db);
		if (ex)
			goto done;
		rc = lm_db_commit_plan(db, plan, &committed);
		if (rc == LM_ECONFLICT && attempt < ASSIGN_ATTEMPTS) {
			note(a, "another commit came first; planning again "
			        "(attempt %d of %d)", attempt + 1, ASSIGN_ATTEMPTS);
			lm_plan_free(plan);
			lm_catalog_free(cat);
			lm_db_close(db);
			plan = NULL, cat = NULL, db = NULL;
			continue;
		}
		if (rc) {
			ex = db_fail(db, rc);
			goto done;
		}
		break;
	}
	size_t na = lm_plan_assignment_count(plan), nu = lm_plan_unassigned_count(plan);
	size_t ng = lm_plan_garden_count(plan);
	if (a->fmt == OUT_JSON) {
		fputs("{\"period\": ", stdout);
		json_str(stdout, lm_plan_period(plan));
		fputs(", \"total_score\": ", stdout);
		json_num(stdout, lm_plan_total_score(plan));
		fprintf(stdout, ", \"committed\": %zu, \"assignments\": [", committed);
		for (size_t i = 0; i < na; i++) {
			const lm_assignment *s = lm_plan_assignment(plan, i);
			fputs(i ? ",\n  {\"need\": " : "\n  {\"need\": ", stdout);
			json_str(stdout, s->need);
			fputs(", \"expert\": ", stdout);
			json_str(stdout, s->expert);
			fputs(", \"company\": ", stdout);
			json_str(stdout, s->company);
			fputs(", \"expert_garden\": ", stdout);
			json_str(stdout, s->expert_garden);
			fputs(", \"need_garden\": ", stdout);
			json_str(stdout, s->need_garden);
			fputs(", \"score\": ", stdout);
			json_num(stdout, s->score);
			fputs(", \"distance_km\": ", stdout);
			json_num(stdout, s->distance_km);
			fprintf(stdout, ", \"pinned\": %s}", s->pinned ? "true" : "false");
		}
		fputs(na ? "\n], \"unassigned\": [" : "], \"unassigned\": [", stdout);
		for (size_t i = 0; i < nu; i++) {
			const lm_unassigned *u = lm_plan_unassigned(plan, i);
			fputs(i ? ",\n  {\"need\": " : "\n  {\"need\": ", stdout);
			json_str(stdout, u->need);
			fprintf(stdout, ", \"missing\": %d, \"reason\": ", u->missing);
			json_str(stdout, u->reason);
			fputs(", \"detail\": ", stdout);
			json_str(stdout, u->detail);
			fputs(", \"fix\": ", stdout);
			json_str(stdout, u->fix);
			fputc('}', stdout);
		}
		fputs(nu ? "\n], \"gardens\": [" : "], \"gardens\": [", stdout);
		for (size_t i = 0; i < ng; i++) {
			const lm_garden_report *g = lm_plan_garden(plan, i);
			fputs(i ? ",\n  {\"garden\": " : "\n  {\"garden\": ", stdout);
			json_str(stdout, g->garden);
			fprintf(stdout, ", \"engagements\": %d, \"cross_garden\": %d, "
			                "\"received\": %d}",
			        g->engagements, g->cross_garden, g->received);
		}
		fputs(ng ? "\n]}\n" : "]}\n", stdout);
	} else if (a->fmt == OUT_CSV || a->fmt == OUT_YAML) {
		static const char *cols[] = {"need", "expert", "score", "distance_km",
		                             "reason"};
		out_table t;
		out_table_init(&t, 5, cols);
		for (size_t i = 0; i < na; i++) {
			const lm_assignment *s = lm_plan_assignment(plan, i);
			out_str(&t, s->need), out_str(&t, s->expert);
			out_num(&t, s->score, 4), out_num(&t, s->distance_km, 1);
			out_str(&t, NULL);
		}
		for (size_t i = 0; i < nu; i++) {
			const lm_unassigned *u = lm_plan_unassigned(plan, i);
			out_str(&t, u->need), out_str(&t, NULL), out_str(&t, NULL);
			out_str(&t, NULL), out_str(&t, u->reason);
		}
		out_table_print(&t, a->fmt, "plan", stdout);
		out_table_free(&t);
	} else {
		printf("Plan for %s: %zu engagement%s, total score %.2f\n\n",
		       lm_plan_period(plan), na, na == 1 ? "" : "s",
		       lm_plan_total_score(plan));
		static const char *cols[] = {"need", "company", "expert", "from",
		                             "to", "score", "km"};
		out_table t;
		out_table_init(&t, 7, cols);
		for (size_t i = 0; i < na; i++) {
			const lm_assignment *s = lm_plan_assignment(plan, i);
			out_str(&t, s->need), out_str(&t, s->company);
			out_str(&t, s->expert), out_str(&t, s->expert_garden);
			out_str(&t, s->need_garden);
			out_num(&t, s->score, 2), out_num(&t, s->distance_km, 1);
		}
		out_table_print(&t, OUT_TABLE, "plan", stdout);
		out_table_free(&t);
		if (nu) {
			printf("\nOpen needs:\n");
			for (size_t i = 0; i < nu; i++) {
				const lm_unassigned *u = lm_plan_unassigned(plan, i);
				out_tprintf(stdout, "  %s (%d missing): %s\n", u->need, u->missing,
				       u->reason);
				if (u->detail && *u->detail)
					out_tprintf(stdout, "      why: %s\n", u->detail);
				if (u->fix && *u->fix)
					out_tprintf(stdout, "      fix: %s\n", u->fix);
			}
		}
		printf("\nCooperation across gardens:\n");
		static const char *gcols[] = {"garden", "engagements", "cross_garden",
		                              "received"};
		out_table_init(&t, 4, gcols);
		for (size_t i = 0; i < ng; i++) {
			const lm_garden_report *g = lm_plan_garden(plan, i);
			out_str(&t, g->garden), out_int(&t, g->engagements);
			out_int(&t, g->cross_garden), out_int(&t, g->received);
		}
		out_table_print(&t, OUT_TABLE, "gardens", stdout);
		out_table_free(&t);
	}
	if (a->commit)
		note(a, "committed %zu engagement%s for %s", committed,
		     committed == 1 ? "" : "s", lm_plan_period(plan));
done:
	lm_plan_free(plan);
	lm_catalog_free(cat);
	lm_db_close(db);
	if (pinbuf)
		for (size_t i = 0; i < a->npins; i++)
			free(pinbuf[i]);
	free(pinbuf);
	free(pins);
	return ex;
}

int cmd_release(const args *a)
{
	if (a->npos < 1 || a->npos > 2)
		return usage_error("release needs NEED-ID and optionally EXPERT-ID");
	char cur[16];
	const char *period = a->period;
	if (!period) {
		lm_period_current(-1, cur, sizeof(cur));
		period = cur;
	}
	lm_db *db = NULL;
	int ex = open_db(a, 0, &db);
	if (!ex) {
		size_t n = 0;
		int rc = lm_db_release(db, period, a->pos[0],
		                       a->npos == 2 ? a->pos[1] : NULL, &n);
		if (rc)
			ex = db_fail(db, rc);
		else
			note(a, "released %zu engagement%s of %s", n, n == 1 ? "" : "s",
			     period);
	}
	lm_db_close(db);
	return ex;
}
