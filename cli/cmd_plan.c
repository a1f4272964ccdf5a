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

/* Parse every --pin into *p, lm_pins that point into copies of their
 * arguments, which parse_pin cuts (arg_values_free it in every case). */
static int pins_parse(const args *a, arg_values *p)
{
	if (!arg_values_new(p, a->pins, a->npins, sizeof(lm_pin)))
		return EXIT_INTERNAL;
	lm_pin *pins = p->values;
	for (size_t i = 0; i < p->n; i++)
		if (!parse_pin(p->bufs[i], &pins[i]))
			return usage_error("bad --pin '%s' (want NEED=EXPERT)", a->pins[i]);
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
static int plan_and_commit(const args *a, const arg_values *pins, lm_db **db,
                           lm_catalog **cat, lm_plan **plan, size_t *committed)
{
	for (int attempt = 1;; attempt++) {
		int ex = open_catalog(a, db, cat);
		if (ex)
			return ex;
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		progress pr = {0};
		fill_options(a, &o, want_progress(a) ? &pr : NULL);
		int rc = lm_plan_compute_limited(*cat, pins->values, pins->n, &o,
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

/* ---- what the period held before the plan ------------------------------------- */

/* The engagements of the plan's period committed before it (the plan
 * adds to them), counted per garden as lm_garden_report counts the
 * plan's own: given by the garden's experts, of those for another
 * garden's companies, and received by the garden's companies. */
typedef struct before_report {
	size_t n;              /* engagements of the period before the plan */
	size_t ng;             /* = lm_plan_garden_count(plan) */
	int *given, *cross, *received; /* per garden report of the plan */
} before_report;

static void before_free(before_report *b)
{
	free(b->given), free(b->cross), free(b->received);
}

/* The index of the plan's garden report with this id, or ng. */
static size_t report_index(const lm_plan *plan, size_t ng, const char *id)
{
	for (size_t g = 0; id && g < ng; g++)
		if (!strcmp(lm_plan_garden(plan, g)->garden, id))
			return g;
	return ng;
}

/* The garden of need `need`'s company, or NULL. */
static const char *need_garden(lm_catalog *cat, const char *need)
{
	size_t ni, ci;
	const lm_need_info *n;
	const lm_company_info *c;
	if (lm_catalog_find(cat, LM_NEED, need, &ni) ||
	    !(n = lm_catalog_need(cat, ni)) ||
	    lm_catalog_find(cat, LM_COMPANY, n->company, &ci) ||
	    !(c = lm_catalog_company(cat, ci)))
		return NULL;
	return c->garden;
}

static int before_build(lm_catalog *cat, const lm_plan *plan, before_report *b)
{
	memset(b, 0, sizeof(*b));
	b->ng = lm_plan_garden_count(plan);
	b->given = calloc(b->ng + 1, sizeof(int));
	b->cross = calloc(b->ng + 1, sizeof(int));
	b->received = calloc(b->ng + 1, sizeof(int));
	if (!b->given || !b->cross || !b->received)
		return EXIT_INTERNAL;
	const char *period = lm_plan_period(plan);
	for (size_t i = 0, n = lm_catalog_count(cat, LM_ENGAGEMENT); i < n; i++) {
		const lm_engagement_info *e = lm_catalog_engagement(cat, i);
		size_t ei;
		const lm_expert_info *x;
		if (!e)
			return EXIT_INTERNAL;
		if (strcmp(e->period, period))
			continue;
		b->n++;
		if (lm_catalog_find(cat, LM_EXPERT, e->expert, &ei) ||
		    !(x = lm_catalog_expert(cat, ei)))
			continue;
		size_t ge = report_index(plan, b->ng, x->garden);
		size_t gn = report_index(plan, b->ng, need_garden(cat, e->need));
		b->given[ge]++;
		if (gn < b->ng) {
			b->received[gn]++;
			if (gn != ge)
				b->cross[ge]++;
		}
	}
	return EXIT_OK;
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

/* The opening of a list's object i, each on a line of its own: its
 * first member, `key` with the string `s`. */
static void json_item(FILE *fp, size_t i, const char *key, const char *s)
{
	fprintf(fp, "%s\n  {\"%s\": ", i ? "," : "", key);
	json_str(fp, s);
}

static void teams_json(FILE *fp, const lm_plan *plan)
{
	size_t nt = lm_plan_team_count(plan);
	fputs(", \"teams\": [", fp);
	for (size_t i = 0; i < nt; i++) {
		const lm_team_assignment *t = lm_plan_team(plan, i);
		json_item(fp, i, "need", t->need);
		json_next_str(fp, "company", t->company);
		json_next_str(fp, "need_garden", t->need_garden);
		fputs(", \"members\": [", fp);
		for (size_t j = 0; j < t->n_members; j++) {
			const lm_plan_member *m = lm_plan_team_member(plan, i, j);
			fputs(j ? ", {\"expert\": " : "{\"expert\": ", fp);
			json_str(fp, m->expert);
			json_next_str(fp, "name", m->name);
			json_next_str(fp, "garden", m->garden);
			json_next_num(fp, "distance_km", m->distance_km);
			fputc('}', fp);
		}
		fputs("], \"score\": ", fp);
		json_num(fp, t->score);
		json_next_num(fp, "distance_km", t->distance_km);
		fputc('}', fp);
	}
	fputs(nt ? "\n]" : "]", fp);
}

static void plan_json(FILE *fp, const lm_plan *plan, size_t committed,
                      const before_report *b, bool teams)
{
	size_t na = lm_plan_assignment_count(plan), nu = lm_plan_unassigned_count(plan);
	size_t ng = lm_plan_garden_count(plan);
	fputs("{\"period\": ", fp);
	json_str(fp, lm_plan_period(plan));
	json_next_num(fp, "total_score", lm_plan_total_score(plan));
	if (teams) {
		fprintf(fp, ", \"proven\": %s, \"bound\": ",
		        lm_plan_proven(plan) ? "true" : "false");
		json_num(fp, lm_plan_bound(plan));
	}
	fprintf(fp, ", \"committed\": %zu, \"committed_before\": %zu, "
	                "\"assignments\": [", committed, b->n);
	for (size_t i = 0; i < na; i++) {
		const lm_assignment *s = lm_plan_assignment(plan, i);
		json_item(fp, i, "need", s->need);
		json_next_str(fp, "expert", s->expert);
		json_next_str(fp, "company", s->company);
		json_next_str(fp, "expert_garden", s->expert_garden);
		json_next_str(fp, "need_garden", s->need_garden);
		json_next_num(fp, "score", s->score);
		json_next_num(fp, "distance_km", s->distance_km);
		fprintf(fp, ", \"pinned\": %s}", s->pinned ? "true" : "false");
	}
	fputs(na ? "\n]" : "]", fp);
	if (teams)
		teams_json(fp, plan);
	fputs(", \"unassigned\": [", fp);
	for (size_t i = 0; i < nu; i++) {
		const lm_unassigned *u = lm_plan_unassigned(plan, i);
		json_item(fp, i, "need", u->need);
		fprintf(fp, ", \"missing\": %d, \"reason\": ", u->missing);
		json_str(fp, u->reason);
		json_next_str(fp, "detail", u->detail);
		json_next_str(fp, "fix", u->fix);
		fputc('}', fp);
	}
	fputs(nu ? "\n], \"gardens\": [" : "], \"gardens\": [", fp);
	for (size_t i = 0; i < ng; i++) {
		const lm_garden_report *g = lm_plan_garden(plan, i);
		json_item(fp, i, "garden", g->garden);
		fprintf(fp, ", \"engagements\": %d, \"cross_garden\": %d, "
		                "\"received\": %d, \"before\": {\"engagements\": "
		                "%d, \"cross_garden\": %d, \"received\": %d}}",
		        g->engagements, g->cross_garden, g->received,
		        b->given[i], b->cross[i], b->received[i]);
	}
	fputs(ng ? "\n], \"left_out\": [" : "], \"left_out\": [", fp);
	size_t nl = lm_plan_left_out_count(plan);
	for (size_t i = 0; i < nl; i++) {
		const lm_left_out *l = lm_plan_left_out(plan, i);
		json_item(fp, i, "need", l->need);
		json_next_str(fp, "reason", l->reason);
		fputc('}', fp);
	}
	fputs(nl ? "\n]}\n" : "]}\n", fp);
}

/* "left out 31 needs: 30 served, 1 done" on stderr: the needs the plan
 * did not consider, counted by reason in the order of lm_left_out's. */
static void note_left_out(const args *a, const lm_plan *plan)
{
	static const char *const reasons[] = {"done", "withdrawn", "served",
	                                      "not yet due", "retired"};
	size_t nl = lm_plan_left_out_count(plan), at = 0;
	if (!nl)
		return;
	char buf[256];
	at = (size_t)snprintf(buf, sizeof(buf), "left out %zu need%s:", nl,
	                      nl == 1 ? "" : "s");
	bool first = true;
	for (size_t r = 0; r < sizeof(reasons) / sizeof(*reasons); r++) {
		size_t n = 0;
		for (size_t i = 0; i < nl; i++)
			n += !strcmp(lm_plan_left_out(plan, i)->reason, reasons[r]);
		if (n && at < sizeof(buf))
			at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s %zu %s",
			                       first ? "" : ",", n, reasons[r]);
		first &= !n;
	}
	note(a, "%s", buf);
}

/* The plan's pairs and its teams are tables of the same columns: need,
 * company, who (an expert, or a team's members), from (their gardens),
 * to (the need's garden), score and km.  On a narrow terminal the ids
 * stay whole, who and from are `who` (OUT_COL_ID, or OUT_COL_WRAP for a
 * team's lists), and the company (its need names it) and the gardens
 * go first. */
static void plan_cols(out_table *t, const char **cols, unsigned who)
{
	out_table_init(t, 7, cols);
	out_col(t, 0, OUT_COL_ID, 0), out_col(t, 1, OUT_COL_ID, 1);
	out_col(t, 2, who, 0), out_col(t, 3, who, 3);
	out_col(t, 4, OUT_COL_ID, 2);
}

static void plan_row(out_table *t, const char *need, const char *company,
                     const char *who, const char *from, const char *to,
                     double score, double km)
{
	out_str(t, need), out_str(t, company);
	out_str(t, who), out_str(t, from), out_str(t, to);
	out_num(t, score, 2), out_num(t, km, 1);
}

/* The teams' table: a row per team, its members and their gardens. */
static void teams_table(const lm_plan *plan)
{
	static const char *cols[] = {"need", "company", "members", "from",
	                             "to", "score", "km"};
	out_table t;
	/* Ids stay whole: the members wrap at their commas' spaces. */
	plan_cols(&t, cols, OUT_COL_WRAP);
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
		plan_row(&t, tm->need, tm->company, who, from, tm->need_garden,
		         tm->score, tm->distance_km);
	}
	out_table_print(&t, OUT_TABLE, "teams", stdout);
	out_table_free(&t);
}

/* The table for a person: the pairs, the open needs with why and what
 * would fix it, and the cooperation report. */
static void plan_table(const lm_plan *plan, const before_report *b, bool teams)
{
	size_t na = lm_plan_assignment_count(plan), nu = lm_plan_unassigned_count(plan);
	const char *period = lm_plan_period(plan);
	size_t width = out_term_columns();
	size_t ne = plan_engagements(plan);
	if (!teams) {
		printf("Plan for %s: %zu engagement%s, total score %.2f\n", period,
		       na, na == 1 ? "" : "s", lm_plan_total_score(plan));
	} else {
		char *h = lm_plan_proven(plan)
			? out_strf("Plan for %s: %zu engagement%s, total score "
			           "%.2f, proven optimal", period, ne,
			           ne == 1 ? "" : "s", lm_plan_total_score(plan))
			: out_strf("Plan for %s: %zu engagement%s, total score "
			           "%.2f, not proven optimal: the time limit came "
			           "first; no plan scores more than %.2f (gap %.2f "
			           "points)", period, ne, ne == 1 ? "" : "s",
			           lm_plan_total_score(plan), lm_plan_bound(plan),
			           lm_plan_bound(plan) - lm_plan_total_score(plan));
		if (h)
			out_wrap(stdout, "", "", h, width);
		free(h);
	}
	if (b->n) {
		char *s = out_strf("It adds to the %zu engagement%s already "
		                   "committed for %s (match list engagements "
		                   "--period %s).", b->n, b->n == 1 ? "" : "s",
		                   period, period);
		if (s)
			out_wrap(stdout, "", "", s, width);
		free(s);
	}
	putchar('\n');
	static const char *cols[] = {"need", "company", "expert", "from",
	                             "to", "score", "km"};
	out_table t;
	plan_cols(&t, cols, OUT_COL_ID);
	for (size_t i = 0; i < na; i++) {
		const lm_assignment *s = lm_plan_assignment(plan, i);
		plan_row(&t, s->need, s->company, s->expert, s->expert_garden,
		         s->need_garden, s->score, s->distance_km);
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
			/* Wrapped under their need on a narrow terminal. */
			if (u->detail && *u->detail)
				out_wrap(stdout, "      why: ", "           ",
				         u->detail, width);
			if (u->fix && *u->fix)
				out_wrap(stdout, "      fix: ", "           ", u->fix,
				         width);
		}
	}
	/* The quarter's cooperation: what was committed before and what the
	 * plan adds, together. */
	char *title = b->n ? out_strf("Cooperation across gardens in %s (the "
	                              "%zu committed and the plan's %zu):",
	                              period, b->n, na)
	                   : NULL;
	putchar('\n');
	out_wrap(stdout, "", "", title ? title : "Cooperation across gardens:",
	         width);
	free(title);
	static const char *gcols[] = {"garden", "engagements", "cross_garden",
	                              "received"};
	out_table_init(&t, 4, gcols);
	out_col(&t, 0, OUT_COL_ID, 0);
	for (size_t i = 0, ng = lm_plan_garden_count(plan); i < ng; i++) {
		const lm_garden_report *g = lm_plan_garden(plan, i);
		out_str(&t, g->garden);
		out_int(&t, g->engagements + b->given[i]);
		out_int(&t, g->cross_garden + b->cross[i]);
		out_int(&t, g->received + b->received[i]);
	}
	out_table_print(&t, OUT_TABLE, "gardens", stdout);
	out_table_free(&t);
}

/* ---- the commands ---------------------------------------------------------------- */

int cmd_assign(const args *a)
{
	if (a->npos)
		return usage_error("assign takes no arguments");
	arg_values pins = {0};
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	lm_plan *plan = NULL;
	size_t committed = 0;
	before_report before = {0};
	int ex = pins_parse(a, &pins);
	if (!ex)
		ex = plan_and_commit(a, &pins, &db, &cat, &plan, &committed);
	if (!ex && (ex = before_build(cat, plan, &before)))
		fprintf(stderr, "%s: out of memory\n", progname);
	if (!ex) {
		if (a->fmt == OUT_TABLE) {
			plan_table(plan, &before, has_team_needs(cat));
		} else {
			/* JSON, and the same document as YAML or CSV. */
			out_doc d;
			FILE *fp = json_doc_open(a, &d);
			if (fp)
				plan_json(fp, plan, committed, &before,
				          has_team_needs(cat));
			ex = json_doc_close(a, &d, fp, NULL);
		}
		note_left_out(a, plan);
		if (a->commit)
			note(a, "committed %zu engagement%s for %s", committed,
			     committed == 1 ? "" : "s", lm_plan_period(plan));
	}
	before_free(&before);
	lm_plan_free(plan);
	lm_catalog_free(cat);
	lm_db_close(db);
	arg_values_free(&pins);
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
