/* SPDX-License-Identifier: MIT */
/*
 * cmd_match.c -- the commands about one need: `top` ranks the best
 * experts for a stored need or an ad-hoc one (--skill, --at), `explain`
 * shows every component of one pair's score, or every rule that makes
 * the pair infeasible.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- top ------------------------------------------------------------------------- */

int cmd_top(const args *a)
{
	bool adhoc = a->npos == 0;
	if (a->npos > 1)
		return usage_error("top takes one NEED-ID");
	if (adhoc && (!a->nskills || !a->at))
		return usage_error("top needs a NEED-ID, or --skill and --at for an "
		                   "ad-hoc need");
	if (!adhoc && (a->nskills || a->at || a->mode))
		return usage_error("--skill, --at and --mode describe an ad-hoc need; "
		                   "not with a NEED-ID");
	lm_query q = LM_QUERY_INIT;
	lm_skill_req *reqs = NULL;
	char **bufs = NULL;
	if (adhoc) {
		reqs = calloc(a->nskills, sizeof(*reqs));
		bufs = calloc(a->nskills, sizeof(*bufs));
		if (!reqs || !bufs) {
			free(reqs), free(bufs);
			return EXIT_INTERNAL;
		}
		for (size_t i = 0; i < a->nskills; i++) {
			bufs[i] = strdup(a->skills[i]);
			if (!bufs[i] || !parse_skill_arg(bufs[i], &reqs[i])) {
				for (size_t j = 0; j <= i; j++)
					free(bufs[j]);
				free(reqs), free(bufs);
				return usage_error("bad --skill '%s' (want SKILL[:LEVEL[:WEIGHT]], "
				                   "LEVEL 1..5)", a->skills[i]);
			}
		}
		q.skills = reqs;
		q.skill_count = a->nskills;
		if (!parse_latlon(a->at, &q.lat, &q.lon))
			q.at = a->at;
		if (a->mode && lm_mode_parse(a->mode, &q.mode)) {
			for (size_t j = 0; j < a->nskills; j++)
				free(bufs[j]);
			free(reqs), free(bufs);
			return usage_error("unknown --mode '%s' (onsite, remote, hybrid)",
			                   a->mode);
		}
	}
	lm_db *db = NULL;
	lm_ranking *rk = NULL;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	fill_options(a, &o, NULL);
	/* The library reads only what the ranking needs. */
	int ex = open_db(a, LM_DB_READONLY, &db);
	if (ex)
		goto done;
	int rc = adhoc ? lm_db_rank_query(db, &q, &o, &rk)
	               : lm_db_rank_need(db, a->pos[0], &o, &rk);
	if (rc) {
		ex = db_fail(db, rc);
		goto done;
	}
	size_t n = lm_ranking_count(rk);
	if (a->fmt == OUT_JSON) {
		fputs("{\"need\": ", stdout);
		json_str(stdout, adhoc ? NULL : a->pos[0]);
		fprintf(stdout, ", \"feasible\": %zu, \"results\": [",
		        lm_ranking_feasible(rk));
		for (size_t i = 0; i < n; i++) {
			const lm_match *m = lm_ranking_get(rk, i);
			fprintf(stdout, "%s\n  {\"rank\": %zu, \"expert\": ", i ? "," : "",
			        i + 1);
			json_str(stdout, m->expert_id);
			fputs(", \"name\": ", stdout);
			json_str(stdout, m->expert_name);
			fputs(", \"garden\": ", stdout);
			json_str(stdout, m->garden);
			fputs(", \"score\": ", stdout);
			json_num(stdout, m->score);
			fputs(", \"distance_km\": ", stdout);
			json_num(stdout, m->distance_km);
			fputs(", \"travel_minutes\": ", stdout);
			json_num(stdout, m->travel_minutes);
			fputs(", \"travel_cost_nok\": ", stdout);
			json_num(stdout, m->travel_cost_nok);
			fprintf(stdout, ", \"capacity_left\": %d, \"components\": ",
			        m->capacity_left);
			json_components(stdout, &m->components);
			fputc('}', stdout);
		}
		fputs(n ? "\n]}\n" : "]}\n", stdout);
	} else {
		static const char *cols[] = {"rank", "expert", "name", "garden", "score",
		                             "km", "minutes", "left", "skill_pts",
		                             "dist_pts"};
		out_table t;
		out_table_init(&t, 10, cols);
		for (size_t i = 0; i < n; i++) {
			const lm_match *m = lm_ranking_get(rk, i);
			out_int(&t, (long long)i + 1);
			out_str(&t, m->expert_id), out_str(&t, m->expert_name);
			out_str(&t, m->garden);
			out_num(&t, m->score, 2), out_num(&t, m->distance_km, 1);
			out_num(&t, m->travel_minutes, 0);
			out_int(&t, m->capacity_left);
			out_num(&t, m->components.skill_points, 2);
			out_num(&t, m->components.distance_points, 2);
		}
		out_table_print(&t, a->fmt, "results", stdout);
		out_table_free(&t);
		if (a->fmt == OUT_TABLE && !n)
			note(a, "no feasible expert; try 'match explain NEED EXPERT' "
			        "to see why a candidate is excluded");
	}
done:
	lm_ranking_free(rk);
	lm_db_close(db);
	if (bufs)
		for (size_t j = 0; j < a->nskills; j++)
			free(bufs[j]);
	free(bufs);
	free(reqs);
	return ex;
}

/* ---- explain ----------------------------------------------------------------------- */

int cmd_explain(const args *a)
{
	if (a->npos != 2)
		return usage_error("explain needs NEED-ID and EXPERT-ID");
	lm_db *db = NULL;
	lm_explanation *e = NULL;
	/* The library reads only the need and the one expert. */
	int ex = open_db(a, LM_DB_READONLY, &db);
	if (ex)
		goto done;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	fill_options(a, &o, NULL);
	int rc = lm_db_explain(db, a->pos[0], a->pos[1], &o, &e);
	if (rc) {
		ex = db_fail(db, rc);
		goto done;
	}
	const lm_match *m = lm_explanation_match(e);
	bool feasible = lm_explanation_feasible(e);
	size_t nr = lm_explanation_reason_count(e), ns = lm_explanation_skill_count(e);
	if (a->fmt == OUT_JSON) {
		fputs("{\"need\": ", stdout);
		json_str(stdout, a->pos[0]);
		fputs(", \"expert\": ", stdout);
		json_str(stdout, m->expert_id);
		fprintf(stdout, ", \"feasible\": %s, \"reasons\": [",
		        feasible ? "true" : "false");
		for (size_t i = 0; i < nr; i++) {
			if (i)
				fputs(", ", stdout);
			json_str(stdout, lm_explanation_reason(e, i));
		}
		fputs("], \"score\": ", stdout);
		json_num(stdout, m->score);
		fputs(", \"distance_km\": ", stdout);
		json_num(stdout, m->distance_km);
		fputs(", \"travel_minutes\": ", stdout);
		json_num(stdout, m->travel_minutes);
		fputs(", \"travel_cost_nok\": ", stdout);
		json_num(stdout, m->travel_cost_nok);
		fprintf(stdout, ", \"capacity_left\": %d", m->capacity_left);
		fputs(", \"components\": ", stdout);
		json_components(stdout, &m->components);
		fputs(", \"skills\": [", stdout);
		for (size_t i = 0; i < ns; i++) {
			const lm_skill_credit *c = lm_explanation_skill(e, i);
			fputs(i ? ",\n  {\"skill\": " : "\n  {\"skill\": ", stdout);
			json_str(stdout, c->need_skill);
			fprintf(stdout, ", \"min_level\": %d, \"weight\": ", c->min_level);
			json_num(stdout, c->weight);
			fprintf(stdout, ", \"optional\": %s, \"via\": ",
			        c->optional ? "true" : "false");
			json_str(stdout, c->via_skill);
			fprintf(stdout, ", \"level\": %d, \"relation\": ", c->via_level);
			json_str(stdout, c->relation);
			fputs(", \"credit\": ", stdout);
			json_num(stdout, c->credit);
			fputc('}', stdout);
		}
		fputs(ns ? "\n]}\n" : "]}\n", stdout);
	} else if (a->fmt == OUT_TABLE) {
		out_tprintf(stdout, "need:      %s\n", a->pos[0]);
		out_tprintf(stdout, "expert:    %s (%s, %s)\n", m->expert_id, m->expert_name,
		       m->garden);
		printf("feasible:  %s\n", feasible ? "yes" : "no");
		for (size_t i = 0; i < nr; i++)
			out_tprintf(stdout, "  - %s\n", lm_explanation_reason(e, i));
		printf("score:     %.2f = skill %.2f (fit %.4f x %.0f%%) + distance "
		       "%.2f (fit %.4f x %.0f%%)\n",
		       m->score, m->components.skill_points, m->components.skill_fit,
		       100 * m->components.weight_skill, m->components.distance_points,
		       m->components.distance_fit, 100 * m->components.weight_distance);
		printf("distance:  %.1f km, %.0f min one way, %.0f NOK round trip\n",
		       m->distance_km, m->travel_minutes, m->travel_cost_nok);
		printf("capacity:  %d engagement%s left this period\n\n",
		       m->capacity_left, m->capacity_left == 1 ? "" : "s");
		static const char *cols[] = {"skill", "min", "weight", "optional",
		                             "via", "level", "relation", "credit"};
		out_table t;
		out_table_init(&t, 8, cols);
		for (size_t i = 0; i < ns; i++) {
			const lm_skill_credit *c = lm_explanation_skill(e, i);
			out_str(&t, c->need_skill), out_int(&t, c->min_level);
			out_num(&t, c->weight, 1), out_bool(&t, c->optional);
			out_str(&t, c->via_skill), out_int(&t, c->via_level);
			out_str(&t, c->relation), out_num(&t, c->credit, 4);
		}
		out_table_print(&t, OUT_TABLE, "skills", stdout);
		out_table_free(&t);
	} else {
		static const char *cols[] = {"field", "value"};
		out_table t;
		out_table_init(&t, 2, cols);
		out_str(&t, "need"), out_str(&t, a->pos[0]);
		out_str(&t, "expert"), out_str(&t, m->expert_id);
		out_str(&t, "feasible"), out_bool(&t, feasible);
		out_str(&t, "score");
		out_num(&t, m->score, 2);
		out_str(&t, "distance_km");
		out_num(&t, m->distance_km, 2);
		out_str(&t, "skill_points");
		out_num(&t, m->components.skill_points, 2);
		out_str(&t, "distance_points");
		out_num(&t, m->components.distance_points, 2);
		for (size_t i = 0; i < nr; i++)
			out_str(&t, "reason"), out_str(&t, lm_explanation_reason(e, i));
		out_table_print(&t, a->fmt, "explain", stdout);
		out_table_free(&t);
	}
done:
	lm_explanation_free(e);
	lm_db_close(db);
	return ex;
}
