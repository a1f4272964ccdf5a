/* SPDX-License-Identifier: MIT */
/*
 * main.c -- `match`, the adviser's command line over libmatch.  It parses
 * arguments, calls the public API (include/libmatch.h only) and prints
 * results through out.c.  Data goes to stdout, diagnostics to stderr, and
 * the exit status says what went wrong (see exit_code below and --help).
 * The command line itself is parsed in args.c.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "map.h"

/* ---- init, load, validate ------------------------------------------------------ */

int cmd_init(const args *a)
{
	if (a->npos)
		return usage_error("init takes no arguments");
	lm_db *db = NULL;
	int ex = open_db(a, LM_DB_CREATE, &db);
	if (!ex)
		note(a, "database ready: %s", a->db);
	lm_db_close(db);
	return ex;
}

int cmd_load(const args *a)
{
	if (!a->npos)
		return usage_error("load needs at least one PATH");
	lm_db *db = NULL;
	struct stat st;
	bool existed = stat(a->db, &st) == 0;
	int ex = open_db(a, LM_DB_CREATE, &db);
	if (ex) {
		lm_db_close(db);
		return ex;
	}
	progress pr = {0};
	bool prog = want_progress(a);
	if (prog) {
		/* lm_db_load reports from the first record it writes; the
		 * YAML is read and checked before that. */
		fprintf(stderr, "%s: reading and checking YAML...", progname);
		pr.shown = true;
	}
	int rc = lm_db_load(db, (const char *const *)a->pos, (size_t)a->npos,
	                    prog ? on_progress : NULL, &pr);
	progress_end(&pr);
	if (rc) {
		ex = db_fail(db, rc);
		/* The database may have been created for this load (and
		 * another process may be using it by now: it is not removed). */
		if (rc == LM_EINPUT)
			fprintf(stderr, existed
			        ? "%s: nothing was loaded; %s is unchanged\n"
			        : "%s: nothing was loaded; %s was created empty\n",
			        progname, a->db);
	} else {
		note(a, "loaded %d path%s into %s", a->npos, a->npos == 1 ? "" : "s",
		     a->db);
	}
	lm_db_close(db);
	return ex;
}

int cmd_validate(const args *a)
{
	if (!a->npos)
		return usage_error("validate needs at least one PATH");
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	int ex = EXIT_OK, rc;
	struct stat st;
	if (stat(a->db, &st) == 0) {
		ex = open_catalog(a, &db, &cat);
		if (ex)
			goto done;
	} else if ((rc = lm_catalog_new(&cat))) {
		ex = exit_code(rc);
		goto done;
	}
	rc = lm_catalog_load_paths(cat, (const char *const *)a->pos, (size_t)a->npos);
	if (rc) {
		ex = cat_fail(cat, rc);
		goto done;
	}
	note(a, "valid: %zu places, %zu gardens, %zu skills, %zu experts, "
	        "%zu companies, %zu needs%s",
	     lm_catalog_count(cat, LM_PLACE), lm_catalog_count(cat, LM_GARDEN),
	     lm_catalog_count(cat, LM_SKILL), lm_catalog_count(cat, LM_EXPERT),
	     lm_catalog_count(cat, LM_COMPANY), lm_catalog_count(cat, LM_NEED),
	     db ? " (with the database)" : "");
done:
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}

/* ---- list ---------------------------------------------------------------------- */

/* "export:4 sales:3" */
static char *join_expert_skills(const lm_catalog *cat, size_t i, size_t n)
{
	size_t len = 1;
	for (size_t j = 0; j < n; j++) {
		lm_skill_req s;
		lm_catalog_expert_skill(cat, i, j, &s);
		len += strlen(s.skill) + 4;
	}
	char *buf = malloc(len), *p = buf;
	if (!buf)
		return NULL;
	*p = '\0';
	for (size_t j = 0; j < n; j++) {
		lm_skill_req s;
		lm_catalog_expert_skill(cat, i, j, &s);
		p += sprintf(p, "%s%s:%d", j ? " " : "", s.skill, s.level);
	}
	return buf;
}

static char *join_need_skills(const lm_catalog *cat, size_t i, size_t n)
{
	size_t len = 1;
	for (size_t j = 0; j < n; j++) {
		lm_skill_req s;
		lm_catalog_need_skill(cat, i, j, &s);
		len += strlen(s.skill) + 48;
	}
	char *buf = malloc(len), *p = buf;
	if (!buf)
		return NULL;
	*p = '\0';
	for (size_t j = 0; j < n; j++) {
		lm_skill_req s;
		lm_catalog_need_skill(cat, i, j, &s);
		p += sprintf(p, "%s%s:%d", j ? " " : "", s.skill, s.level);
		if (s.weight != 1.0)
			p += sprintf(p, ":%g", s.weight);
		if (s.optional)
			p += sprintf(p, "?");
	}
	return buf;
}

static char *join_strings(const char *(*get)(const lm_catalog *, size_t, size_t),
                          const lm_catalog *cat, size_t i, size_t n,
                          const char *sep)
{
	size_t len = 1;
	for (size_t j = 0; j < n; j++)
		len += strlen(get(cat, i, j)) + strlen(sep);
	char *buf = malloc(len), *p = buf;
	if (!buf)
		return NULL;
	*p = '\0';
	for (size_t j = 0; j < n; j++)
		p += sprintf(p, "%s%s", j ? sep : "", get(cat, i, j));
	return buf;
}

static void out_owned(out_table *t, char *s)
{
	if (!s)
		t->oom = true;
	out_str(t, s ? s : "");
	free(s);
}

static bool need_has_skill(const lm_catalog *cat, size_t need, size_t skill)
{
	lm_need_info ni;
	lm_catalog_need(cat, need, &ni);
	lm_skill_info si;
	lm_catalog_skill(cat, skill, &si);
	for (size_t j = 0; j < ni.skill_count; j++) {
		lm_skill_req s;
		lm_catalog_need_skill(cat, need, j, &s);
		if (!strcmp(s.skill, si.id))
			return true;
	}
	return false;
}

static const char *company_garden(const lm_catalog *cat, const char *company)
{
	size_t ci;
	lm_company_info co;
	if (lm_catalog_find((lm_catalog *)cat, LM_COMPANY, company, &ci) ||
	    lm_catalog_company(cat, ci, &co))
		return NULL;
	return co.garden;
}

int cmd_list(const args *a)
{
	if (a->npos != 1)
		return usage_error("list needs one KIND (places, gardens, skills, "
		                   "experts, companies, needs, distances, engagements)");
	lm_kind kind;
	if (lm_kind_parse(a->pos[0], &kind))
		return usage_error("unknown KIND '%s'", a->pos[0]);
	if (a->nskills > 1)
		return usage_error("list takes at most one --skill");
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	/* Only the listed kind and what its filters name: `list gardens`
	 * must not read 100,000 experts. */
	unsigned kinds = LM_KIND_BIT(kind);
	if (a->garden)
		kinds |= LM_KIND_BIT(LM_GARDEN);
	if (a->nskills)
		kinds |= LM_KIND_BIT(LM_SKILL);
	int ex = open_catalog_kinds(a, kinds, &db, &cat);
	if (ex)
		goto done;
	const char *garden = NULL;
	size_t skill = 0, gi;
	bool by_skill = a->nskills == 1;
	if (a->garden) {
		int rc = lm_catalog_find(cat, LM_GARDEN, a->garden, &gi);
		if (rc) {
			ex = cat_fail(cat, rc);
			goto done;
		}
		lm_garden_info g;
		lm_catalog_garden(cat, gi, &g);
		garden = g.id;
	}
	if (by_skill) {
		int rc = lm_catalog_find(cat, LM_SKILL, a->skills[0], &skill);
		if (rc) {
			ex = cat_fail(cat, rc);
			goto done;
		}
	}
	char period[16];
	const char *want_period = a->period;

	static const char *c_places[] = {"id", "name", "lat", "lon"};
	static const char *c_gardens[] = {"id", "name", "place"};
	static const char *c_skills[] = {"id", "label", "parent", "aliases"};
	static const char *c_experts[] = {"id", "name", "garden", "home", "skills",
	                                  "capacity", "max_km", "remote", "languages"};
	static const char *c_companies[] = {"id", "name", "place", "garden"};
	static const char *c_needs[] = {"id", "company", "title", "mode", "experts",
	                                "skills", "language", "max_km"};
	static const char *c_distances[] = {"from", "to", "km"};
	static const char *c_eng[] = {"period", "need", "expert", "score"};
	out_table t;
	size_t n = lm_catalog_count(cat, kind);
	switch (kind) {
	case LM_PLACE:
		out_table_init(&t, 4, c_places);
		for (size_t i = 0; i < n; i++) {
			lm_place_info p;
			lm_catalog_place(cat, i, &p);
			out_str(&t, p.id), out_str(&t, p.name);
			out_num(&t, p.lat, 3), out_num(&t, p.lon, 3);
		}
		break;
	case LM_GARDEN:
		out_table_init(&t, 3, c_gardens);
		for (size_t i = 0; i < n; i++) {
			lm_garden_info g;
			lm_catalog_garden(cat, i, &g);
			if (garden && strcmp(g.id, garden))
				continue;
			out_str(&t, g.id), out_str(&t, g.name), out_str(&t, g.place);
		}
		break;
	case LM_SKILL:
		out_table_init(&t, 4, c_skills);
		for (size_t i = 0; i < n; i++) {
			lm_skill_info s;
			lm_catalog_skill(cat, i, &s);
			out_str(&t, s.id), out_str(&t, s.label), out_str(&t, s.parent);
			out_owned(&t, join_strings(lm_catalog_skill_alias, cat, i,
			                           s.alias_count, ", "));
		}
		break;
	case LM_EXPERT:
		out_table_init(&t, 9, c_experts);
		for (size_t i = 0; i < n; i++) {
			lm_expert_info e;
			lm_catalog_expert(cat, i, &e);
			if (garden && strcmp(e.garden, garden))
				continue;
			if (by_skill && !lm_catalog_expert_has_skill(cat, i, skill))
				continue;
			out_str(&t, e.id), out_str(&t, e.name), out_str(&t, e.garden);
			if (e.home) {
				out_str(&t, e.home);
			} else {
				char buf[64];
				snprintf(buf, sizeof(buf), "%.4f,%.4f", e.lat, e.lon);
				out_str(&t, buf);
			}
			out_owned(&t, join_expert_skills(cat, i, e.skill_count));
			out_int(&t, e.capacity);
			out_num(&t, e.max_travel_km, 0);
			out_bool(&t, e.remote);
			out_owned(&t, join_strings(lm_catalog_expert_language, cat, i,
			                           e.language_count, " "));
		}
		break;
	case LM_COMPANY:
		out_table_init(&t, 4, c_companies);
		for (size_t i = 0; i < n; i++) {
			lm_company_info c;
			lm_catalog_company(cat, i, &c);
			if (garden && (!c.garden || strcmp(c.garden, garden)))
				continue;
			out_str(&t, c.id), out_str(&t, c.name);
			if (c.place) {
				out_str(&t, c.place);
			} else {
				char buf[64];
				snprintf(buf, sizeof(buf), "%.4f,%.4f", c.lat, c.lon);
				out_str(&t, buf);
			}
			out_str(&t, c.garden);
		}
		break;
	case LM_NEED:
		out_table_init(&t, 8, c_needs);
		for (size_t i = 0; i < n; i++) {
			lm_need_info nd;
			lm_catalog_need(cat, i, &nd);
			if (garden) {
				const char *g = company_garden(cat, nd.company);
				if (!g || strcmp(g, garden))
					continue;
			}
			if (by_skill && !need_has_skill(cat, i, skill))
				continue;
			out_str(&t, nd.id), out_str(&t, nd.company), out_str(&t, nd.title);
			out_str(&t, lm_mode_name(nd.mode));
			out_int(&t, nd.experts);
			out_owned(&t, join_need_skills(cat, i, nd.skill_count));
			out_str(&t, nd.language);
			if (nd.max_km > 0)
				out_num(&t, nd.max_km, 0);
			else
				out_str(&t, NULL);
		}
		break;
	case LM_DISTANCE:
		out_table_init(&t, 3, c_distances);
		for (size_t i = 0; i < n; i++) {
			lm_distance_info d;
			lm_catalog_distance(cat, i, &d);
			out_str(&t, d.from), out_str(&t, d.to), out_num(&t, d.km, 1);
		}
		break;
	case LM_ENGAGEMENT:
	default:
		if (!want_period && a->period == NULL) {
			/* Without --period every period is listed. */
		}
		(void)period;
		out_table_init(&t, 4, c_eng);
		for (size_t i = 0; i < n; i++) {
			lm_engagement_info e;
			lm_catalog_engagement(cat, i, &e);
			if (want_period && strcmp(e.period, want_period))
				continue;
			out_str(&t, e.period), out_str(&t, e.need), out_str(&t, e.expert);
			out_num(&t, e.score, 2);
		}
		break;
	}
	if (t.oom) {
		fprintf(stderr, "%s: out of memory\n", progname);
		ex = EXIT_INTERNAL;
	} else {
		out_table_print(&t, a->fmt, lm_kind_name(kind), stdout);
	}
	out_table_free(&t);
done:
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}

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

/* ---- assign and release --------------------------------------------------------------- */

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

int cmd_export(const args *a)
{
	if (a->npos)
		return usage_error("export takes no arguments");
	if (a->fmt == OUT_CSV)
		return usage_error("export writes YAML or JSON, not CSV");
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	int ex = open_catalog(a, &db, &cat);
	if (!ex) {
		int rc = lm_catalog_export(cat, a->fmt == OUT_JSON ? LM_FORMAT_JSON
		                                                   : LM_FORMAT_YAML,
		                           stdout);
		if (rc)
			ex = cat_fail(cat, rc);
		/* The library said why the write failed: once is enough. */
		if (rc == LM_EIO && ferror(stdout))
			output_reported = true;
	}
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}

/* `map`: the drawing is map.c's; here only options, files and errors. */
int cmd_map(const args *a)
{
	if (a->npos > 1 || (a->npos == 1 && a->plan))
		return usage_error("map takes one NEED-ID, or --plan");
	if (!a->svg)
		return usage_error("map needs --svg FILE");
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	int ex = open_catalog(a, &db, &cat);
	if (ex)
		goto done;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	progress pr = {0};
	fill_options(a, &o, want_progress(a) && !a->npos ? &pr : NULL);
	map_request req = {a->npos ? a->pos[0] : NULL, a->k_given ? (size_t)a->k : 5, &o};
	int err = 0;
	int rc = map_svg_file(cat, &req, a->svg, &err);
	progress_end(&pr);
	if (rc == LM_EIO) {
		fprintf(stderr, "%s: %s: %s\n", progname, a->svg, strerror(err));
		ex = EXIT_DB;
	} else if (rc) {
		ex = cat_fail(cat, rc);
	} else if (strcmp(a->svg, "-")) {
		note(a, "map written to %s", a->svg);
	}
done:
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}

/* ---- running a command ------------------------------------------------------------------ */

/* The functions of commands.h's rows, in the order of args_commands. */
#define MAIN_ROW(name, fn, opts, help) fn,
static int (*const commands[])(const args *) = {MATCH_COMMANDS(MAIN_ROW)};
#undef MAIN_ROW

int main(int argc, char **argv)
{
	/* A reader that goes away (`match list experts | head -1`) ends the
	 * process quietly, as it does grep and jq, even when the caller
	 * ignored SIGPIPE.  Every database write is committed before its
	 * output is printed, and a write cut short rolls back anyway. */
	signal(SIGPIPE, SIG_DFL);
	args a;
	int ex = args_parse(argc, argv, &a);
	if (ex == ARGS_RUN)
		ex = commands[a.cmd_index](&a);
	args_free(&a);
	/* A failed write to stdout (a full disk) is an I/O error. */
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE && !output_reported)
			fprintf(stderr, "%s: error writing output: %s\n", progname,
			        strerror(errno ? errno : EIO));
		return errno == EPIPE ? ex : EXIT_DB;
	}
	if (fclose(stdout) != 0) {
		fprintf(stderr, "%s: error writing output: %s\n", progname,
		        strerror(errno));
		return EXIT_DB;
	}
	return ex;
}
