/* SPDX-License-Identifier: MIT */
/*
 * cmd_match.c -- the commands about one need: `top` ranks the best
 * experts for a stored need or an ad-hoc one (--skill, --optional-skill
 * or --text, and --at, --mode, --language, --company), `explain` shows
 * every component of one pair's score (a stored need's or an ad-hoc
 * one's), or every rule that makes the pair infeasible (a team of two or
 * more experts: cmd_team.c).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* The figures of one match as JSON members, from ", \"score\"" to the
 * components, as `top` and `explain` both print them. */
static void json_match_figures(FILE *fp, const lm_match *m)
{
	json_next_num(fp, "score", m->score);
	json_next_num(fp, "distance_km", m->distance_km);
	json_next_num(fp, "travel_minutes", m->travel_minutes);
	json_next_num(fp, "travel_cost_nok", m->travel_cost_nok);
	fprintf(fp, ", \"capacity_left\": %d, \"components\": ", m->capacity_left);
	json_components(fp, &m->components);
}

/* ---- top ------------------------------------------------------------------------- */

/* An ad-hoc need from --skill and --optional-skill (or --text), --at and
 * --mode.  The skills point into copies of their arguments, which
 * parse_skill_arg cuts, or into `cat`, the taxonomy a text was read
 * with. */
typedef struct adhoc_need {
	lm_query q;
	lm_skill_req *reqs;
	char **bufs;
	size_t n;
	lm_catalog *cat;             /* --text: the skills it was read with */
	lm_suggestion_list *words;   /* --text: what it was understood as */
} adhoc_need;

static void adhoc_free(adhoc_need *h)
{
	free_args(h->bufs, h->n);
	free(h->reqs);
	lm_suggestion_list_free(h->words);
	lm_catalog_free(h->cat);
}

/* "91,0" is two numbers that are no position: a usage error that says
 * which is out of range, not an unknown place. */
static int latlon_range_error(const char *at)
{
	const char *comma = strchr(at, ',');
	char buf[64];
	double lat, lon;
	if (!comma || (size_t)(comma - at) >= sizeof(buf))
		return EXIT_OK;
	memcpy(buf, at, (size_t)(comma - at));
	buf[comma - at] = '\0';
	if (!parse_double(buf, &lat) || !parse_double(comma + 1, &lon))
		return EXIT_OK;
	if (lat < -90 || lat > 90)
		return usage_error("--at %s: latitude %g is outside -90..90", at,
		                   lat);
	return usage_error("--at %s: longitude %g is outside -180..180", at,
	                   lon);
}

/* --at, --mode, --language and --company into the query. */
static int adhoc_where(const args *a, adhoc_need *h)
{
	h->q.language = a->language;
	h->q.company = a->company;
	if (!parse_latlon(a->at, &h->q.lat, &h->q.lon)) {
		int ex = latlon_range_error(a->at);
		if (ex)
			return ex;
		h->q.at = a->at;
	}
	if (a->mode && lm_mode_parse(a->mode, &h->q.mode))
		return usage_error("unknown --mode '%s' (onsite, remote, hybrid)",
		                   a->mode);
	return EXIT_OK;
}

/* Parse the ad-hoc need of --skill and --optional-skill (or --nice, or
 * --skill S:...:optional) into *h (adhoc_free it in every case). */
static int adhoc_parse(const args *a, adhoc_need *h)
{
	size_t required = 0;
	h->n = a->nskills + a->noptional;
	h->reqs = calloc(h->n, sizeof(*h->reqs));
	h->bufs = calloc(h->n, sizeof(*h->bufs));
	if (!h->reqs || !h->bufs)
		return EXIT_INTERNAL;
	for (size_t i = 0; i < h->n; i++) {
		bool opt = i >= a->nskills;
		const char *arg = opt ? a->optional_skills[i - a->nskills]
		                      : a->skills[i];
		h->bufs[i] = strdup(arg);
		if (!h->bufs[i] || !parse_skill_arg(h->bufs[i], &h->reqs[i]))
			return usage_error("bad --%s '%s' (want SKILL[:LEVEL[:WEIGHT]]"
			                   "[:optional], LEVEL 1..5)",
			                   opt ? "optional-skill" : "skill", arg);
		if (opt)
			h->reqs[i].optional = 1;
		required += !h->reqs[i].optional;
	}
	if (!required)
		return usage_error("an ad-hoc need wants at least one required "
		                   "--skill (optional skills add to it)");
	h->q.skills = h->reqs;
	h->q.skill_count = h->n;
	return adhoc_where(a, h);
}

/* The ad-hoc need of --text: the skills lm_suggest reads in it, the first
 * (the surest) required and the others optional, each at any level with
 * weight 1 -- the same need as `--skill FIRST --optional-skill SECOND
 * ...`.  Only one is required so that a text naming four topics still
 * finds everyone who knows the first, ranked up by the others they know
 * (docs/suggest.md). */
static int adhoc_text(const args *a, lm_db *db, adhoc_need *h)
{
	char *text = join_words(a->texts, a->ntexts);
	int rc, ex = EXIT_OK;
	size_t i, n;

	if (!text)
		return EXIT_INTERNAL;
	rc = lm_db_read_kinds(db, LM_KIND_BIT(LM_SKILL), &h->cat);
	if (rc) {
		ex = db_fail(db, rc);
		goto done;
	}
	rc = lm_suggest(h->cat, text, strlen(text), NULL, &h->words);
	if (rc) {
		ex = cat_fail(h->cat, rc);
		goto done;
	}
	n = lm_suggestion_list_count(h->words);
	if (!n) {
		fprintf(stderr, "%s: the text names no skill of the taxonomy "
		                "(try 'match suggest TEXT')\n", progname);
		ex = EXIT_UNKNOWN;
		goto done;
	}
	h->reqs = calloc(n, sizeof(*h->reqs));
	if (!h->reqs) {
		ex = EXIT_INTERNAL;
		goto done;
	}
	for (i = 0; i < n; i++) {
		h->reqs[i].skill = lm_suggestion_list_get(h->words, i)->skill_id;
		h->reqs[i].level = 1;
		h->reqs[i].weight = 1.0;
		h->reqs[i].optional = i > 0;
	}
	h->q.skills = h->reqs;
	h->q.skill_count = n;
done:
	free(text);
	return ex;
}

/* What --text was understood as, on stderr: each skill with its words,
 * and the --skill flags that ask for the same. */
static void adhoc_text_note(const args *a, const adhoc_need *h)
{
	size_t n = lm_suggestion_list_count(h->words), i, j;
	if (a->quiet)
		return;
	fprintf(stderr, "%s: understood:", progname);
	for (i = 0; i < n; i++) {
		const lm_suggestion *s = lm_suggestion_list_get(h->words, i);
		out_tprintf(stderr, "%s %s (%s:", i ? "," : "", s->skill_id,
		            i ? "optional" : "required");
		for (j = 0; j < s->evidence_count; j++)
			out_tprintf(stderr, "%s \"%s\"", j ? "," : "",
			            lm_suggestion_list_evidence(h->words, i, j)->words);
		fputc(')', stderr);
	}
	fprintf(stderr, "\n%s: the same as", progname);
	for (i = 0; i < n; i++)
		out_tprintf(stderr, " --%s %s", i ? "optional-skill" : "skill",
		            lm_suggestion_list_get(h->words, i)->skill_id);
	fputc('\n', stderr);
}

/* `top` as JSON; with `text`, what it was understood as (`words`) as
 * "query". */
static void ranking_json(FILE *fp, const lm_ranking *rk, const char *need,
                         const char *text, const lm_suggestion_list *words)
{
	size_t n = lm_ranking_count(rk);
	fputs("{\"need\": ", fp);
	json_str(fp, need);
	if (words) {
		fputs(", \"query\": {\"text\": ", fp);
		json_str(fp, text);
		fputs(", \"skills\": ", fp);
		suggestions_json(fp, words, NULL, true);
		fputc('}', fp);
	}
	fprintf(fp, ", \"feasible\": %zu, \"results\": [", lm_ranking_feasible(rk));
	for (size_t i = 0; i < n; i++) {
		const lm_match *m = lm_ranking_get(rk, i);
		fprintf(fp, "%s\n  {\"rank\": %zu, \"expert\": ", i ? "," : "", i + 1);
		json_str(fp, m->expert_id);
		json_next_str(fp, "name", m->expert_name);
		json_next_str(fp, "garden", m->garden);
		json_match_figures(fp, m);
		fputc('}', fp);
	}
	fputs(n ? "\n]}\n" : "]}\n", fp);
}

/* A table, CSV or YAML: one row per expert. */
static void ranking_rows(const args *a, const lm_ranking *rk)
{
	static const char *cols[] = {"rank", "expert", "name", "garden", "score",
	                             "km", "minutes", "left", "skill_pts",
	                             "dist_pts"};
	size_t n = lm_ranking_count(rk);
	out_table t;
	out_table_init(&t, 10, cols);
	/* On a narrow terminal: ids whole, the points and minutes go first. */
	out_col(&t, 1, OUT_COL_ID, 0), out_col(&t, 3, OUT_COL_ID, 0);
	out_col(&t, 9, 0, 1), out_col(&t, 8, 0, 2), out_col(&t, 6, 0, 3);
	out_col(&t, 7, 0, 4);
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
	out_table_print(&t, OUT_TABLE, "results", stdout);
	out_table_free(&t);
	if (!n)
		note(a, "no feasible expert; try 'match explain NEED EXPERT' "
		        "(or explain with the same --skill and --at flags and "
		        "an EXPERT) to see why a candidate is excluded");
}

/* Whether the command line describes an ad-hoc need. */
static bool adhoc_given(const args *a)
{
	return a->nskills || a->noptional || a->ntexts || a->at || a->mode ||
	       a->language || a->company;
}

/* The ad-hoc need's flags of `top` or `explain` (`cmd`, with `stored`
 * its arguments for a stored need) make one need, or a usage error. */
static int adhoc_check(const args *a, bool adhoc, const char *cmd,
                       const char *stored)
{
	bool text = a->ntexts > 0;
	if (!adhoc)
		return adhoc_given(a)
		       ? usage_error("--skill, --optional-skill, --nice, --text, "
		                     "--at, --mode, --language and --company "
		                     "describe an ad-hoc need; not with a NEED-ID")
		       : EXIT_OK;
	if (text && (a->nskills || a->noptional))
		return usage_error("--text describes the need in words; not with "
		                   "--skill or --optional-skill");
	if (!text && a->noptional && !a->nskills)
		return usage_error("an ad-hoc need wants at least one --skill "
		                   "(--optional-skill adds to it)");
	if ((!a->nskills && !text) || !a->at)
		return usage_error("%s needs %s, or --skill (or --text) and --at "
		                   "for an ad-hoc need", cmd, stored);
	return EXIT_OK;
}

/* The ad-hoc need (`adhoc`) of `top` or `explain` checked (adhoc_check's
 * `cmd` and `stored`) and parsed from the flags before the database is
 * opened, so that a usage error needs none; then --db opened read-only
 * (the library reads only what the command needs) and a --text read with
 * its taxonomy.  *h and *db are the caller's to free, also after a
 * failure. */
static int adhoc_open(const args *a, bool adhoc, const char *cmd,
                      const char *stored, adhoc_need *h, lm_db **db)
{
	int ex = adhoc_check(a, adhoc, cmd, stored);
	if (!ex && adhoc)
		ex = a->ntexts ? adhoc_where(a, h) : adhoc_parse(a, h);
	if (!ex)
		ex = open_db(a, LM_DB_READONLY, db);
	if (!ex && adhoc && a->ntexts)
		ex = adhoc_text(a, *db, h);
	return ex;
}

int cmd_top(const args *a)
{
	bool adhoc = a->npos == 0, text = a->ntexts > 0;
	if (a->npos > 1)
		return usage_error("top takes one NEED-ID");
	adhoc_need h = {LM_QUERY_INIT, NULL, NULL, 0, NULL, NULL};
	lm_db *db = NULL;
	lm_ranking *rk = NULL;
	char *joined = NULL;
	int ex = adhoc_open(a, adhoc, "top", "a NEED-ID", &h, &db);
	if (ex)
		goto done;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	fill_options(a, &o, NULL);
	int rc = adhoc ? lm_db_rank_query(db, &h.q, &o, &rk)
	               : lm_db_rank_need(db, a->pos[0], &o, &rk);
	if (rc) {
		ex = db_fail(db, rc);
		goto done;
	}
	if (text && a->fmt != OUT_JSON)
		adhoc_text_note(a, &h);
	if (a->fmt == OUT_TABLE) {
		ranking_rows(a, rk);
	} else {
		/* JSON, and the same document as YAML or CSV (its results). */
		joined = text ? join_words(a->texts, a->ntexts) : NULL;
		out_doc d;
		FILE *fp = json_doc_open(a, &d);
		if (fp)
			ranking_json(fp, rk, lm_ranking_need(rk), joined, h.words);
		ex = json_doc_close(a, &d, fp, "results");
	}
done:
	free(joined);
	lm_ranking_free(rk);
	lm_db_close(db);
	adhoc_free(&h);
	return ex;
}

/* ---- explain ----------------------------------------------------------------------- */

static void explanation_json(FILE *fp, const lm_explanation *e,
                             const char *need)
{
	const lm_match *m = lm_explanation_match(e);
	size_t nr = lm_explanation_reason_count(e), ns = lm_explanation_skill_count(e);
	fputs("{\"need\": ", fp);
	json_str(fp, need);
	json_next_str(fp, "expert", m->expert_id);
	fprintf(fp, ", \"feasible\": %s, \"reasons\": [",
	        lm_explanation_feasible(e) ? "true" : "false");
	for (size_t i = 0; i < nr; i++) {
		if (i)
			fputs(", ", fp);
		json_str(fp, lm_explanation_reason(e, i));
	}
	fputc(']', fp);
	json_match_figures(fp, m);
	fputs(", \"skills\": [", fp);
	for (size_t i = 0; i < ns; i++) {
		const lm_skill_credit *c = lm_explanation_skill(e, i);
		fputs(i ? ",\n  " : "\n  ", fp);
		json_credit_open(fp, c);
		json_credit_close(fp, c);
	}
	fputs(ns ? "\n]}\n" : "]}\n", fp);
}

/* For a person: the pair, the reasons, the score's arithmetic, travel and
 * capacity, then a table of every skill's credit. */
static void explanation_table(const lm_explanation *e, const char *need)
{
	const lm_match *m = lm_explanation_match(e);
	size_t nr = lm_explanation_reason_count(e), ns = lm_explanation_skill_count(e);
	out_tprintf(stdout, "need:      %s\n", need);
	out_tprintf(stdout, "expert:    %s (%s, %s)\n", m->expert_id, m->expert_name,
	            m->garden);
	printf("feasible:  %s\n", lm_explanation_feasible(e) ? "yes" : "no");
	for (size_t i = 0; i < nr; i++)
		out_tprintf(stdout, "  - %s\n", lm_explanation_reason(e, i));
	/* An infeasible pair scores 0; its components are what it would
	 * score, and say so rather than add up to a false sum. */
	const lm_components *comp = &m->components;
	if (lm_explanation_feasible(e))
		printf("score:     %.2f = ", m->score);
	else
		printf("score:     0 (infeasible)\nwould be:  %.2f = ",
		       comp->skill_points + comp->distance_points);
	printf("skill %.2f (fit %.4f x %.0f%%) + distance %.2f (fit %.4f x "
	       "%.0f%%)\n", comp->skill_points, comp->skill_fit,
	       100 * comp->weight_skill, comp->distance_points, comp->distance_fit,
	       100 * comp->weight_distance);
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
}

int cmd_explain(const args *a)
{
	if (a->npos > 2 && !adhoc_given(a))
		return cmd_team_explain(a);
	bool adhoc = a->npos == 1;
	if (a->npos < 1 || a->npos > 2 || (adhoc && !adhoc_given(a)))
		return usage_error("explain needs NEED-ID and EXPERT-ID (more "
		                   "experts: a team), or an ad-hoc need (--skill "
		                   "... --at PLACE) and EXPERT-ID");
	adhoc_need h = {LM_QUERY_INIT, NULL, NULL, 0, NULL, NULL};
	lm_db *db = NULL;
	lm_explanation *e = NULL;
	const char *expert = a->pos[a->npos - 1];
	int ex = adhoc_open(a, adhoc, "explain", "NEED-ID and EXPERT-ID", &h, &db);
	if (ex)
		goto done;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	fill_options(a, &o, NULL);
	int rc = adhoc ? lm_db_explain_query(db, &h.q, expert, &o, &e)
	               : lm_db_explain(db, a->pos[0], expert, &o, &e);
	if (rc) {
		ex = db_fail(db, rc);
		goto done;
	}
	if (a->ntexts && a->fmt != OUT_JSON)
		adhoc_text_note(a, &h);
	/* The need's id as the profiles spell it, not as typed; for an
	 * ad-hoc need null, "(ad hoc)" in a table. */
	const char *need = lm_explanation_need(e);
	if (!need && a->fmt == OUT_TABLE)
		need = "(ad hoc)";
	if (a->fmt == OUT_TABLE) {
		explanation_table(e, need);
	} else {
		/* JSON, and the same document as YAML or CSV. */
		out_doc d;
		FILE *fp = json_doc_open(a, &d);
		if (fp)
			explanation_json(fp, e, need);
		ex = json_doc_close(a, &d, fp, NULL);
	}
done:
	lm_explanation_free(e);
	lm_db_close(db);
	adhoc_free(&h);
	return ex;
}
