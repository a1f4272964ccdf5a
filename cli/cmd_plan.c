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

/* Room for a team's member ids or gardens in one cell. */
#define LM_TEAM_LINE 512

/* ---- the --pin pairs ------------------------------------------------------------ */

/* The pins point into copies of their arguments, which parse_pin cuts. */
typedef struct pin_list {
	lm_pin *pins;
	char **bufs;
	size_t n;
} pin_list;

static void pins_free(pin_list *p)
{
	if (p->bufs)
		for (size_t i = 0; i < p->n; i++)
			free(p->bufs[i]);
	free(p->bufs);
	free(p->pins);
}

/* Parse every --pin into *p (pins_free it in every case). */
static int pins_parse(const args *a, pin_list *p)
{
	p->n = a->npins;
	p->pins = calloc(p->n ? p->n : 1, sizeof(*p->pins));
	p->bufs = calloc(p->n ? p->n : 1, sizeof(*p->bufs));
	if (!p->pins || !p->bufs)
		return EXIT_INTERNAL;
	for (size_t i = 0; i < p->n; i++) {
		p->bufs[i] = strdup(a->pins[i]);
		if (!p->bufs[i])
			return EXIT_INTERNAL;
		if (!parse_pin(p->bufs[i], &p->pins[i]))
			return usage_error("bad --pin '%s' (want NEED=EXPERT)", a->pins[i]);
	}
	return EXIT_OK;
}

/* ---- planning and committing ---------------------------------------------------- */

/* Plans made and committed before a conflicting commit is reported. */
#define ASSIGN_ATTEMPTS 10

/*
 * Compute the plan and, with --commit, record it (*committed engagements).
 * The plan is computed from a snapshot and re-checked at commit.  When
 * another process committed in between (LM_ECONFLICT: engagements that
 * leave no room for the plan's, or profiles loaded again), read again
 * and plan what is still open, a few times, before giving up.  *db, *cat and
 * *plan are the caller's to free, also after a failure.
 */
static int plan_and_commit(const args *a, const pin_list *pins, lm_db **db,
                           lm_catalog **cat, lm_plan **plan, size_t *committed)
{
	for (int attempt = 1;; attempt++) {
		int ex = open_catalog(a, db, cat);
		if (ex)
			return ex;
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		progress pr = {0};
		fill_options(a, &o, want_progress(a) ? &pr : NULL);
		int rc = lm_plan_compute_limited(*cat, pins->pins, pins->n, &o,
		                                 a->time_limit, plan);
		progress_end(&pr);
		if (rc)
			return cat_fail(*cat, rc);
		if (!a->commit)
			return EXIT_OK;
		/* The read-only handle cannot write: reopen for the commit. */
		lm_db_close(*db);
		*db = NULL;
		ex = open_db(a, 0, db);
		if (ex)
			return ex;
		rc = lm_db_commit_plan(*db, *plan, committed);
		if (rc == LM_ECONFLICT && attempt < ASSIGN_ATTEMPTS) {
			/* The message says what changed: the profiles, or
			 * another commit's engagements. */
			note(a, "%s; planning again (attempt %d of %d)",
			     lm_db_errmsg(*db), attempt + 1, ASSIGN_ATTEMPTS);
			lm_plan_free(*plan);
			lm_catalog_free(*cat);
			lm_db_close(*db);
			*plan = NULL, *cat = NULL, *db = NULL;
			continue;
		}
		return rc ? db_fail(*db, rc) : EXIT_OK;
	}
}

/* ---- printing the plan ---------------------------------------------------------- */

/* Does the catalogue have team needs?  Then the plan's output says
 * whether it is proven and lists its teams; without, it is as before. */
static bool has_team_needs(const lm_catalog *cat)
{
	for (size_t i = 0, n = lm_catalog_count(cat, LM_NEED); i < n; i++)
		if (lm_catalog_need_team(cat, i) > 1)
			return true;
	return false;
}

/* Engagements in the plan: its pairs and its teams' members. */
static size_t plan_engagements(const lm_plan *plan)
{
	size_t n = lm_plan_assignment_count(plan);
	for (size_t i = 0, nt = lm_plan_team_count(plan); i < nt; i++)
		n += lm_plan_team(plan, i)->n_members;
	return n;
}

static void teams_json(const lm_plan *plan)
{
	size_t nt = lm_plan_team_count(plan);
	fputs(", \"teams\": [", stdout);
	for (size_t i = 0; i < nt; i++) {
		const lm_team_assignment *t = lm_plan_team(plan, i);
		fputs(i ? ",\n  {\"need\": " : "\n  {\"need\": ", stdout);
		json_str(stdout, t->need);
		fputs(", \"company\": ", stdout);
		json_str(stdout, t->company);
		fputs(", \"need_garden\": ", stdout);
		json_str(stdout, t->need_garden);
		fputs(", \"members\": [", stdout);
		for (size_t j = 0; j < t->n_members; j++) {
			const lm_plan_member *m = lm_plan_team_member(plan, i, j);
			fputs(j ? ", {\"expert\": " : "{\"expert\": ", stdout);
			json_str(stdout, m->expert);
			fputs(", \"name\": ", stdout);
			json_str(stdout, m->name);
			fputs(", \"garden\": ", stdout);
			json_str(stdout, m->garden);
			fputs(", \"distance_km\": ", stdout);
			json_num(stdout, m->distance_km);
			fputc('}', stdout);
		}
		fputs("], \"score\": ", stdout);
		json_num(stdout, t->score);
		fputs(", \"distance_km\": ", stdout);
		json_num(stdout, t->distance_km);
		fputc('}', stdout);
	}
	fputs(nt ? "\n]" : "]", stdout);
}

static void plan_json(const lm_plan *plan, size_t committed, bool teams)
{
	size_t na = lm_plan_assignment_count(plan), nu = lm_plan_unassigned_count(plan);
	size_t ng = lm_plan_garden_count(plan);
	fputs("{\"period\": ", stdout);
	json_str(stdout, lm_plan_period(plan));
	fputs(", \"total_score\": ", stdout);
	json_num(stdout, lm_plan_total_score(plan));
	if (teams) {
		fprintf(stdout, ", \"proven\": %s, \"bound\": ",
		        lm_plan_proven(plan) ? "true" : "false");
		json_num(stdout, lm_plan_bound(plan));
	}
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
	fputs(na ? "\n]" : "]", stdout);
	if (teams)
		teams_json(plan);
	fputs(", \"unassigned\": [", stdout);
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
}

/* CSV and YAML: one table of the pairs, then the open needs with their
 * reason. */
static void plan_rows(const lm_plan *plan, out_format fmt)
{
	static const char *cols[] = {"need", "expert", "score", "distance_km",
	                             "reason"};
	out_table t;
	out_table_init(&t, 5, cols);
	for (size_t i = 0, na = lm_plan_assignment_count(plan); i < na; i++) {
		const lm_assignment *s = lm_plan_assignment(plan, i);
		out_str(&t, s->need), out_str(&t, s->expert);
		out_num(&t, s->score, 4), out_num(&t, s->distance_km, 1);
		out_str(&t, NULL);
	}
	/* A team: a row per member, with the team's score. */
	for (size_t i = 0, nt = lm_plan_team_count(plan); i < nt; i++) {
		const lm_team_assignment *tm = lm_plan_team(plan, i);
		for (size_t j = 0; j < tm->n_members; j++) {
			const lm_plan_member *m = lm_plan_team_member(plan, i, j);
			out_str(&t, tm->need), out_str(&t, m->expert);
			out_num(&t, tm->score, 4), out_num(&t, m->distance_km, 1);
			out_str(&t, NULL);
		}
	}
	for (size_t i = 0, nu = lm_plan_unassigned_count(plan); i < nu; i++) {
		const lm_unassigned *u = lm_plan_unassigned(plan, i);
		out_str(&t, u->need), out_str(&t, NULL), out_str(&t, NULL);
		out_str(&t, NULL), out_str(&t, u->reason);
	}
	out_table_print(&t, fmt, "plan", stdout);
	out_table_free(&t);
}

/* The table for a person: the pairs, the open needs with why and what
 * would fix it, and the cooperation report. */
/* The teams' table: a row per team, its members and their gardens. */
static void teams_table(const lm_plan *plan)
{
	static const char *cols[] = {"need", "company", "members", "from",
	                             "to", "score", "km"};
	out_table t;
	out_table_init(&t, 7, cols);
	char who[LM_TEAM_LINE], from[LM_TEAM_LINE];
	for (size_t i = 0, nt = lm_plan_team_count(plan); i < nt; i++) {
		const lm_team_assignment *tm = lm_plan_team(plan, i);
		size_t aw = 0, af = 0;
		who[0] = from[0] = '\0';
		for (size_t j = 0; j < tm->n_members; j++) {
			const lm_plan_member *m = lm_plan_team_member(plan, i, j);
			int w1 = snprintf(who + aw, sizeof(who) - aw, "%s%s",
			                  j ? ", " : "", m->expert);
			int w2 = snprintf(from + af, sizeof(from) - af, "%s%s",
			                  j ? ", " : "", m->garden);
			if (w1 > 0 && aw + (size_t)w1 < sizeof(who))
				aw += (size_t)w1;
			if (w2 > 0 && af + (size_t)w2 < sizeof(from))
				af += (size_t)w2;
		}
		out_str(&t, tm->need), out_str(&t, tm->company);
		out_str(&t, who), out_str(&t, from), out_str(&t, tm->need_garden);
		out_num(&t, tm->score, 2), out_num(&t, tm->distance_km, 1);
	}
	out_table_print(&t, OUT_TABLE, "teams", stdout);
	out_table_free(&t);
}

static void plan_table(const lm_plan *plan, bool teams)
{
	size_t na = lm_plan_assignment_count(plan), nu = lm_plan_unassigned_count(plan);
	size_t ne = plan_engagements(plan);
	printf("Plan for %s: %zu engagement%s, total score %.2f", lm_plan_period(plan),
	       ne, ne == 1 ? "" : "s", lm_plan_total_score(plan));
	if (teams && lm_plan_proven(plan))
		printf(", proven optimal");
	else if (teams)
		printf(", not proven optimal: the time limit came first; no plan "
		       "scores more than %.2f (gap %.2f points)", lm_plan_bound(plan),
		       lm_plan_bound(plan) - lm_plan_total_score(plan));
	printf("\n\n");
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
	if (lm_plan_team_count(plan)) {
		printf("\nTeams:\n");
		teams_table(plan);
	}
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
	for (size_t i = 0, ng = lm_plan_garden_count(plan); i < ng; i++) {
		const lm_garden_report *g = lm_plan_garden(plan, i);
		out_str(&t, g->garden), out_int(&t, g->engagements);
		out_int(&t, g->cross_garden), out_int(&t, g->received);
	}
	out_table_print(&t, OUT_TABLE, "gardens", stdout);
	out_table_free(&t);
}

/* ---- the commands ---------------------------------------------------------------- */

int cmd_assign(const args *a)
{
	if (a->npos)
		return usage_error("assign takes no arguments");
	pin_list pins = {0};
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	lm_plan *plan = NULL;
	size_t committed = 0;
	int ex = pins_parse(a, &pins);
	if (!ex)
		ex = plan_and_commit(a, &pins, &db, &cat, &plan, &committed);
	if (!ex) {
		bool teams = has_team_needs(cat);
		if (a->fmt == OUT_JSON)
			plan_json(plan, committed, teams);
		else if (a->fmt == OUT_CSV || a->fmt == OUT_YAML)
			plan_rows(plan, a->fmt);
		else
			plan_table(plan, teams);
		if (a->commit)
			note(a, "committed %zu engagement%s for %s", committed,
			     committed == 1 ? "" : "s", lm_plan_period(plan));
	}
	lm_plan_free(plan);
	lm_catalog_free(cat);
	lm_db_close(db);
	pins_free(&pins);
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
