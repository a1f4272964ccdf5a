/* SPDX-License-Identifier: MIT */
/*
 * cmd_team.c -- the commands about teams: `teams NEED-ID [-k N]` lists the
 * best teams for a need (lm_rank_teams), and `explain NEED-ID EXPERT-ID
 * EXPERT-ID...` (two experts or more; cmd_match.c hands it over) shows a
 * team's score with the member that gives each skill its credit, or every
 * rule the team breaks (lm_team_explain).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* The skills member `id` gives the team its credit for, as JSON ids. */
static void json_covers(FILE *fp, const lm_team_skill *const *skills,
                        size_t ns, const char *id)
{
	bool first = true;

	fputc('[', fp);
	for (size_t s = 0; s < ns; s++)
		if (skills[s]->member && !strcmp(skills[s]->member, id)) {
			if (!first)
				fputs(", ", fp);
			json_str(fp, skills[s]->credit.need_skill);
			first = false;
		}
	fputc(']', fp);
}

/* "timber-construction german-market": the same as words. */
static char *covers_words(const lm_team_skill *const *skills, size_t ns,
                          const char *id)
{
	const char *w[64];
	size_t n = 0;

	for (size_t s = 0; s < ns && n < 64; s++)
		if (skills[s]->member && !strcmp(skills[s]->member, id))
			w[n++] = skills[s]->credit.need_skill;
	return join_with(w, n, " ");
}

static void json_member(FILE *fp, const lm_team_member *m,
                        const lm_team_skill *const *skills, size_t ns)
{
	fputs("{\"expert\": ", fp);
	json_str(fp, m->expert_id);
	json_next_str(fp, "name", m->expert_name);
	json_next_str(fp, "garden", m->garden);
	json_next_num(fp, "distance_km", m->distance_km);
	json_next_num(fp, "distance_fit", m->distance_fit);
	fprintf(fp, ", \"capacity_left\": %d, \"speaks\": %s, \"needed\": %s, "
	            "\"feasible\": %s, \"covers\": ", m->capacity_left,
	        m->speaks ? "true" : "false", m->needed ? "true" : "false",
	        m->feasible ? "true" : "false");
	json_covers(fp, skills, ns, m->expert_id);
	fputc('}', fp);
}

/* "score", "distance_km", "penalty_points" and "components". */
static void json_team_figures(FILE *fp, const lm_team *t)
{
	fputs("\"score\": ", fp);
	json_num(fp, t->score);
	json_next_num(fp, "distance_km", t->distance_km);
	json_next_num(fp, "penalty_points", t->penalty_points);
	fputs(", \"components\": ", fp);
	json_components(fp, &t->components);
}

/* ---- teams ------------------------------------------------------------------ */

static void teams_json(const lm_team_ranking *r, const char *need)
{
	size_t n = lm_team_ranking_count(r), ns = lm_team_ranking_skill_count(r);

	fputs("{\"need\": ", stdout);
	json_str(stdout, need);
	fputs(", \"results\": [", stdout);
	for (size_t i = 0; i < n; i++) {
		const lm_team *t = lm_team_ranking_get(r, i);
		const lm_team_skill *sk[64];
		size_t nsk = ns < 64 ? ns : 64;

		for (size_t s = 0; s < nsk; s++)
			sk[s] = lm_team_ranking_skill(r, i, s);
		fprintf(stdout, "%s\n  {\"rank\": %zu, ", i ? "," : "", i + 1);
		json_team_figures(stdout, t);
		fputs(", \"members\": [", stdout);
		for (size_t j = 0; j < t->member_count; j++) {
			fputs(j ? ", " : "", stdout);
			json_member(stdout, lm_team_ranking_member(r, i, j), sk, nsk);
		}
		fputs("]}", stdout);
	}
	fputs(n ? "\n]}\n" : "]}\n", stdout);
}

/* A table, CSV or YAML: one row per team. */
static int teams_rows(const args *a, const lm_team_ranking *r)
{
	static const char *cols[] = {"rank", "score", "members", "gardens", "km",
	                             "skill_pts", "dist_pts", "penalty",
	                             "covers"};
	size_t n = lm_team_ranking_count(r), ns = lm_team_ranking_skill_count(r);
	out_table t;

	out_table_init(&t, 9, cols);
	for (size_t i = 0; i < n; i++) {
		const lm_team *tm = lm_team_ranking_get(r, i);
		const char *ids[8], *gardens[8];
		char *cov[8];
		const lm_team_skill *sk[64];
		size_t m = tm->member_count < 8 ? tm->member_count : 8;
		size_t nsk = ns < 64 ? ns : 64;

		for (size_t s = 0; s < nsk; s++)
			sk[s] = lm_team_ranking_skill(r, i, s);
		for (size_t j = 0; j < m; j++) {
			const lm_team_member *mb = lm_team_ranking_member(r, i, j);
			char *w = covers_words(sk, nsk, mb->expert_id);
			size_t len = strlen(mb->expert_id) + (w ? strlen(w) : 0) + 4;

			ids[j] = mb->expert_id;
			gardens[j] = mb->garden ? mb->garden : "-";
			cov[j] = malloc(len);
			if (cov[j])
				snprintf(cov[j], len, "%s: %s", mb->expert_id,
				         w && *w ? w : "-");
			free(w);
		}
		out_int(&t, (long long)i + 1);
		out_num(&t, tm->score, 2);
		out_owned(&t, join_with(ids, m, " + "));
		out_owned(&t, join_with(gardens, m, " "));
		out_num(&t, tm->distance_km, 1);
		out_num(&t, tm->components.skill_points, 2);
		out_num(&t, tm->components.distance_points, 2);
		out_num(&t, tm->penalty_points, 2);
		out_owned(&t, join_with((const char *const *)cov, m, "; "));
		for (size_t j = 0; j < m; j++)
			free(cov[j]);
	}
	out_table_print(&t, a->fmt, "results", stdout);
	out_table_free(&t);
	if (a->fmt == OUT_TABLE && !n)
		note(a, "no team covers the need; try 'match explain NEED EXPERT "
		        "EXPERT...' to see why a team is excluded");
	return EXIT_OK;
}

int cmd_teams(const args *a)
{
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	lm_team_ranking *r = NULL;
	int ex, rc;

	if (a->npos != 1)
		return usage_error("teams needs one NEED-ID");
	ex = open_catalog(a, &db, &cat);
	if (ex)
		goto done;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.k = 5;
	fill_options(a, &o, NULL);
	rc = lm_rank_teams(cat, a->pos[0], &o, &r);
	if (rc) {
		ex = cat_fail(cat, rc);
		goto done;
	}
	if (a->fmt == OUT_JSON)
		teams_json(r, a->pos[0]);
	else
		ex = teams_rows(a, r);
done:
	lm_team_ranking_free(r);
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}

/* ---- explain NEED E1 E2 ... --------------------------------------------------- */

static void collect_skills(const lm_team_explanation *e,
                           const lm_team_skill **sk, size_t *ns)
{
	size_t n = lm_team_explanation_skill_count(e);

	*ns = n < 64 ? n : 64;
	for (size_t s = 0; s < *ns; s++)
		sk[s] = lm_team_explanation_skill(e, s);
}

static void team_explain_json(const lm_team_explanation *e, const char *need)
{
	const lm_team *t = lm_team_explanation_team(e);
	const lm_team_skill *sk[64];
	size_t ns, nr = lm_team_explanation_reason_count(e);

	collect_skills(e, sk, &ns);
	fputs("{\"need\": ", stdout);
	json_str(stdout, need);
	fputs(", \"experts\": [", stdout);
	for (size_t j = 0; j < t->member_count; j++) {
		fputs(j ? ", " : "", stdout);
		json_str(stdout, lm_team_explanation_member(e, j)->expert_id);
	}
	fprintf(stdout, "], \"feasible\": %s, \"reasons\": [",
	        lm_team_explanation_feasible(e) ? "true" : "false");
	for (size_t i = 0; i < nr; i++) {
		fputs(i ? ", " : "", stdout);
		json_str(stdout, lm_team_explanation_reason(e, i));
	}
	fputs("], ", stdout);
	json_team_figures(stdout, t);
	fputs(", \"members\": [", stdout);
	for (size_t j = 0; j < t->member_count; j++) {
		fputs(j ? ",\n  " : "\n  ", stdout);
		json_member(stdout, lm_team_explanation_member(e, j), sk, ns);
	}
	fputs("], \"skills\": [", stdout);
	for (size_t s = 0; s < ns; s++) {
		const lm_skill_credit *c = &sk[s]->credit;

		fputs(s ? ",\n  " : "\n  ", stdout);
		json_credit_open(stdout, c);
		fprintf(stdout, ", \"covered\": %s, \"member\": ",
		        sk[s]->covered ? "true" : "false");
		json_str(stdout, sk[s]->member);
		json_credit_close(stdout, c);
	}
	fputs(ns ? "\n]}\n" : "]}\n", stdout);
}

/* The farthest member: the smallest distance fit (the first of equal). */
static const lm_team_member *farthest(const lm_team_explanation *e)
{
	const lm_team *t = lm_team_explanation_team(e);
	const lm_team_member *f = lm_team_explanation_member(e, 0);

	for (size_t j = 1; j < t->member_count; j++) {
		const lm_team_member *m = lm_team_explanation_member(e, j);

		if (m->distance_fit < f->distance_fit)
			f = m;
	}
	return f;
}

static void team_members_table(const lm_team_explanation *e)
{
	static const char *cols[] = {"expert", "name", "garden", "km", "dist_fit",
	                             "left", "speaks", "needed", "covers"};
	const lm_team *t = lm_team_explanation_team(e);
	const lm_team_skill *sk[64];
	size_t ns;
	out_table tb;

	collect_skills(e, sk, &ns);
	out_table_init(&tb, 9, cols);
	for (size_t j = 0; j < t->member_count; j++) {
		const lm_team_member *m = lm_team_explanation_member(e, j);

		out_str(&tb, m->expert_id), out_str(&tb, m->expert_name);
		out_str(&tb, m->garden), out_num(&tb, m->distance_km, 1);
		out_num(&tb, m->distance_fit, 4), out_int(&tb, m->capacity_left);
		out_bool(&tb, m->speaks), out_bool(&tb, m->needed);
		out_owned(&tb, covers_words(sk, ns, m->expert_id));
	}
	out_table_print(&tb, OUT_TABLE, "members", stdout);
	out_table_free(&tb);
}

static void team_skills_table(const lm_team_explanation *e)
{
	static const char *cols[] = {"skill", "min", "weight", "optional",
	                             "member", "via", "level", "relation",
	                             "credit"};
	const lm_team_skill *sk[64];
	size_t ns;
	out_table tb;

	collect_skills(e, sk, &ns);
	out_table_init(&tb, 9, cols);
	for (size_t s = 0; s < ns; s++) {
		const lm_skill_credit *c = &sk[s]->credit;

		out_str(&tb, c->need_skill), out_int(&tb, c->min_level);
		out_num(&tb, c->weight, 1), out_bool(&tb, c->optional);
		out_str(&tb, sk[s]->member), out_str(&tb, c->via_skill);
		out_int(&tb, c->via_level), out_str(&tb, c->relation);
		out_num(&tb, c->credit, 4);
	}
	out_table_print(&tb, OUT_TABLE, "skills", stdout);
	out_table_free(&tb);
}

static void team_explain_table(const lm_team_explanation *e, const char *need)
{
	const lm_team *t = lm_team_explanation_team(e);
	const lm_team_member *f = farthest(e);
	const lm_components *c = &t->components;
	size_t nr = lm_team_explanation_reason_count(e);

	out_tprintf(stdout, "need:      %s\n", need);
	printf("team:      %zu member%s\n", t->member_count,
	       t->member_count == 1 ? "" : "s");
	printf("feasible:  %s\n", lm_team_explanation_feasible(e) ? "yes" : "no");
	for (size_t i = 0; i < nr; i++)
		out_tprintf(stdout, "  - %s\n", lm_team_explanation_reason(e, i));
	out_tprintf(stdout,
	            "score:     %.2f = skill %.2f (fit %.4f x %.0f%%) + distance "
	            "%.2f (fit %.4f x %.0f%%, the farthest member: %s, %.1f km) "
	            "- penalty %.2f\n\n",
	            t->score, c->skill_points, c->skill_fit,
	            100 * c->weight_skill, c->distance_points, c->distance_fit,
	            100 * c->weight_distance, f->expert_id, f->distance_km,
	            t->penalty_points);
	team_members_table(e);
	fputc('\n', stdout);
	team_skills_table(e);
}

/* CSV and YAML: field/value pairs, a "member" row per member and a
 * "reason" row per broken rule. */
static void team_explain_fields(const lm_team_explanation *e, const char *need,
                                out_format fmt)
{
	static const char *cols[] = {"field", "value"};
	const lm_team *t = lm_team_explanation_team(e);
	out_table tb;

	out_table_init(&tb, 2, cols);
	out_str(&tb, "need"), out_str(&tb, need);
	for (size_t j = 0; j < t->member_count; j++)
		out_str(&tb, "member"),
		    out_str(&tb, lm_team_explanation_member(e, j)->expert_id);
	out_str(&tb, "feasible"), out_bool(&tb, lm_team_explanation_feasible(e));
	out_str(&tb, "score"), out_num(&tb, t->score, 2);
	out_str(&tb, "distance_km"), out_num(&tb, t->distance_km, 2);
	out_str(&tb, "skill_points"), out_num(&tb, t->components.skill_points, 2);
	out_str(&tb, "distance_points");
	out_num(&tb, t->components.distance_points, 2);
	out_str(&tb, "penalty_points"), out_num(&tb, t->penalty_points, 2);
	for (size_t i = 0, nr = lm_team_explanation_reason_count(e); i < nr; i++)
		out_str(&tb, "reason"), out_str(&tb, lm_team_explanation_reason(e, i));
	out_table_print(&tb, fmt, "explain", stdout);
	out_table_free(&tb);
}

int cmd_team_explain(const args *a)
{
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	lm_team_explanation *e = NULL;
	int ex, rc;

	ex = open_catalog(a, &db, &cat);
	if (ex)
		goto done;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	fill_options(a, &o, NULL);
	rc = lm_team_explain(cat, a->pos[0], (const char *const *)a->pos + 1,
	                     a->npos - 1, &o, &e);
	if (rc) {
		ex = cat_fail(cat, rc);
		goto done;
	}
	if (a->fmt == OUT_JSON)
		team_explain_json(e, a->pos[0]);
	else if (a->fmt == OUT_TABLE)
		team_explain_table(e, a->pos[0]);
	else
		team_explain_fields(e, a->pos[0], a->fmt);
done:
	lm_team_explanation_free(e);
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}
