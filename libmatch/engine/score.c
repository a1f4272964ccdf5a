/* SPDX-License-Identifier: MIT */
/*
 * score.c -- the scoring engine: whether one expert may take one need
 * (the hard rules) and how well they fit (the score and its components).
 * docs/scoring.md is the contract for every number computed here.
 *
 * Everything reads the catalogue's resolved layer.  The scorer precomputes
 * the skill tree as DFS intervals, so "is t the same as, narrower or
 * broader than s, and by how many steps" is two comparisons, and caches
 * road distances from the current need to each place, so ranking 100,000
 * experts who live in a few hundred places costs a few hundred distance
 * computations.  The hot path (lmi_score_fast) allocates nothing.
 */
#include "engine/score.h"
#include "engine/options.h"
#include "model/period.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { REL_EXACT = 0, REL_NARROWER, REL_BROADER, REL_NONE };

static const char *const rel_names[] = {"exact", "narrower", "broader",
                                        "none"};

struct lmi_scorer {
	lm_catalog *cat;            /* borrowed; must outlive the scorer */
	lm_settings eff;
	double opt_max_km;          /* 0: none */
	double ws, wd;              /* weights after options, before the mode */
	char *period;               /* owned copy, "YYYY-QN" */
	uint32_t quarter;           /* its number (model/period.h) */
	uint32_t n_skills, n_places, n_experts;
	uint32_t *tin, *tout, *depth; /* per skill: DFS interval and depth */
	uint32_t max_depth;
	double *child_pow, *parent_pow; /* credit per d steps, 0..max_depth */
	double g[6];                /* level factor for levels 1..5 */
	bool *place_in_table;       /* place appears in the distances table */
	/* Distance cache from the current view's location to each place:
	 * valid where pc_gen[p] equals the view's generation. */
	double *pc_km;
	uint32_t *pc_gen;
	bool *pc_table;
	uint32_t gen;
	int *committed;             /* engagements in the period per expert;
	                               NULL when the catalogue has none */
	uint64_t *cand_bits;        /* candidates.c scratch; lazily */
	uint32_t *cand_list;
};

/* ---- small helpers ---------------------------------------------------- */

static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = (unsigned char)*a, cb = (unsigned char)*b;

		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb || ca == 0)
			return ca - cb;
	}
}

/* "300.0" to "300", "12.250" to "12.25": a number as a person writes it. */
static void trim_zeros(char *buf)
{
	char *p = strchr(buf, '.');
	if (p) {
		char *end = p + strlen(p) - 1;

		while (end > p && *end == '0')
			*end-- = '\0';
		if (end == p)
			*p = '\0';
	}
}

/* ---- the scorer --------------------------------------------------------- */

/* Number the skill tree depth-first: a skill's descendants get the
 * numbers in [tin, tout) after its own tin.  Children are visited in index
 * order so the numbering is deterministic. */
static int build_tree(lmi_scorer *sc)
{
	const lmi_resolved *r = &sc->cat->r;
	uint32_t n = sc->n_skills, counter = 0, i;
	uint32_t *off = NULL, *kids = NULL, *fill = NULL, *stack = NULL, *it = NULL;
	int rc = LM_ENOMEM;

	sc->tin = malloc((n ? n : 1) * sizeof *sc->tin);
	sc->tout = malloc((n ? n : 1) * sizeof *sc->tout);
	sc->depth = malloc((n ? n : 1) * sizeof *sc->depth);
	off = calloc((size_t)n + 1, sizeof *off);
	kids = malloc((n ? n : 1) * sizeof *kids);
	fill = malloc((n ? n : 1) * sizeof *fill);
	stack = malloc((n ? n : 1) * sizeof *stack);
	it = calloc(n ? n : 1, sizeof *it);
	if (!sc->tin || !sc->tout || !sc->depth || !off || !kids || !fill ||
	    !stack || !it)
		goto cleanup;

	for (i = 0; i < n; i++) {
		uint32_t p = r->skill_parent ? r->skill_parent[i] : LM_NONE;

		sc->tin[i] = LM_NONE;
		if (p != LM_NONE && p < n)
			off[p + 1]++;
	}
	for (i = 0; i < n; i++)
		off[i + 1] += off[i];
	memcpy(fill, off, n * sizeof *fill);
	for (i = 0; i < n; i++) {
		uint32_t p = r->skill_parent ? r->skill_parent[i] : LM_NONE;

		if (p != LM_NONE && p < n)
			kids[fill[p]++] = i;
	}

	sc->max_depth = 0;
	for (i = 0; i < n; i++) {
		uint32_t p = r->skill_parent ? r->skill_parent[i] : LM_NONE;
		size_t top = 0;

		if (p != LM_NONE && p < n)
			continue;
		sc->tin[i] = counter++;
		sc->depth[i] = 0;
		stack[top++] = i;
		while (top > 0) {
			uint32_t v = stack[top - 1];

			if (it[v] < off[v + 1] - off[v]) {
				uint32_t c = kids[off[v] + it[v]++];

				sc->tin[c] = counter++;
				sc->depth[c] = sc->depth[v] + 1;
				if (sc->depth[c] > sc->max_depth)
					sc->max_depth = sc->depth[c];
				stack[top++] = c;
			} else {
				sc->tout[v] = counter;
				top--;
			}
		}
	}
	/* The merge rejects cycles; should one slip through, its skills are
	 * related only to themselves rather than looping here. */
	for (i = 0; i < n; i++) {
		if (sc->tin[i] == LM_NONE) {
			sc->tin[i] = counter++;
			sc->tout[i] = counter;
			sc->depth[i] = 0;
		}
	}

	sc->child_pow = malloc(((size_t)sc->max_depth + 1) * sizeof(double));
	sc->parent_pow = malloc(((size_t)sc->max_depth + 1) * sizeof(double));
	if (!sc->child_pow || !sc->parent_pow)
		goto cleanup;
	/* Repeated multiplication rather than pow(): exact for d = 1 and the
	 * same on every libm. */
	sc->child_pow[0] = sc->parent_pow[0] = 1.0;
	for (i = 1; i <= sc->max_depth; i++) {
		sc->child_pow[i] = sc->child_pow[i - 1] * sc->eff.credit_child;
		sc->parent_pow[i] = sc->parent_pow[i - 1] * sc->eff.credit_parent;
	}
	rc = LM_OK;
cleanup:
	free(off);
	free(kids);
	free(fill);
	free(stack);
	free(it);
	return rc;
}

static int build_places(lmi_scorer *sc)
{
	lm_catalog *cat = sc->cat;
	size_t n = sc->n_places ? sc->n_places : 1, i;

	sc->place_in_table = calloc(n, sizeof *sc->place_in_table);
	sc->pc_km = calloc(n, sizeof *sc->pc_km);
	sc->pc_gen = calloc(n, sizeof *sc->pc_gen);
	sc->pc_table = calloc(n, sizeof *sc->pc_table);
	if (!sc->place_in_table || !sc->pc_km || !sc->pc_gen || !sc->pc_table)
		return LM_ENOMEM;
	for (i = 0; i < cat->distances.n; i++) {
		const lmi_distance_rec *d = &cat->distances.v[i];
		uint32_t a, b;

		if (d->from.id && lmi_catalog_lookup(cat, LM_PLACE, d->from.id, &a) &&
		    a < sc->n_places)
			sc->place_in_table[a] = true;
		if (d->to.id && lmi_catalog_lookup(cat, LM_PLACE, d->to.id, &b) &&
		    b < sc->n_places)
			sc->place_in_table[b] = true;
	}
	return LM_OK;
}

int lmi_scorer_new(lm_catalog *cat, const lm_match_options *caller,
                  lmi_scorer **out)
{
	lm_match_options o;
	const lm_match_options *opts = &o;
	lmi_scorer *sc = NULL;
	char buf[32];
	const char *period;
	size_t len;
	uint32_t i;
	int rc;

	*out = NULL;
	if ((rc = lmi_match_options_norm(&cat->err, caller, &o)))
		return rc;
	if (!(opts->max_km >= 0.0) || isinf(opts->max_km))
		return lmi_err_set(&cat->err, LM_EINVAL,
		                  "the distance limit must be 0 (none) or positive");
	/* Weights as the settings allow them (0..1000); negative means "use
	 * the setting", anything else (NaN, inf, huge) would make every
	 * score NaN and the order arbitrary. */
	if (isnan(opts->weight_skill) || opts->weight_skill > 1000.0 ||
	    isnan(opts->weight_distance) || opts->weight_distance > 1000.0)
		return lmi_err_set(&cat->err, LM_EINVAL,
		                  "score weights must be 0..1000 (or negative "
		                  "for the settings)");
	sc = calloc(1, sizeof *sc);
	if (!sc)
		return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	sc->cat = cat;
	sc->eff = cat->eff;
	sc->opt_max_km = opts->max_km;
	sc->ws = opts->weight_skill >= 0.0 ? opts->weight_skill
	                                   : cat->eff.weight_skill;
	sc->wd = opts->weight_distance >= 0.0 ? opts->weight_distance
	                                      : cat->eff.weight_distance;
	sc->n_skills = (uint32_t)cat->skills.n;
	sc->n_places = (uint32_t)cat->places.n;
	sc->n_experts = (uint32_t)cat->experts.n;

	/* The period as libmatch writes it, whatever case it was given
	 * in; one that is not a quarter is the caller's mistake. */
	if (!lmi_period_canon(opts->period, buf, &sc->quarter)) {
		if (opts->period)
			rc = lmi_err_set(&cat->err, LM_EINVAL,
			                "period '%.64s' is not a quarter YYYY-QN "
			                "(like 2026-Q4)", opts->period);
		else
			rc = lmi_err_set(&cat->err, LM_ERROR,
			                "cannot tell the current quarter");
		goto fail;
	}
	period = buf;
	len = strlen(period);
	sc->period = malloc(len + 1);
	if (!sc->period)
		goto oom;
	memcpy(sc->period, period, len + 1);

	for (i = 1; i <= 5; i++)
		sc->g[i] = 1.0 - sc->eff.level_step * (double)(5 - i);
	sc->g[0] = 0.0;

	if (build_tree(sc) != LM_OK || build_places(sc) != LM_OK)
		goto oom;
	/* One pass over the engagements (lm_catalog_expert_committed per
	 * expert would be a pass per expert). */
	if (cat->engagements.n) {
		sc->committed = calloc(sc->n_experts ? sc->n_experts : 1,
		                       sizeof *sc->committed);
		if (!sc->committed)
			goto oom;
		for (size_t k = 0; k < cat->engagements.n; k++) {
			uint32_t e = cat->r.eng_expert[k];

			if (e < sc->n_experts &&
			    !strcmp(cat->engagements.v[k].period, sc->period))
				sc->committed[e]++;
		}
	}
	*out = sc;
	return LM_OK;
oom:
	rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
fail:
	lmi_scorer_free(sc);
	return rc;
}

void lmi_scorer_free(lmi_scorer *sc)
{
	if (!sc)
		return;
	free(sc->period);
	free(sc->tin);
	free(sc->tout);
	free(sc->depth);
	free(sc->child_pow);
	free(sc->parent_pow);
	free(sc->place_in_table);
	free(sc->pc_km);
	free(sc->pc_gen);
	free(sc->pc_table);
	free(sc->committed);
	free(sc->cand_bits);
	free(sc->cand_list);
	free(sc);
}

lm_catalog *lmi_scorer_catalog(const lmi_scorer *sc)
{
	return sc->cat;
}

void lmi_scorer_tree(const lmi_scorer *sc, const uint32_t **tin,
                    const uint32_t **tout)
{
	*tin = sc->tin;
	*tout = sc->tout;
}

double lmi_scorer_reach_km(const lmi_scorer *sc, const lmi_need_view *nv,
                          double *road_factor)
{
	double limit = sc->eff.max_travel_km;

	*road_factor = sc->eff.road_factor;
	if (nv->mode == LM_REMOTE)
		return -1.0;
	/* pair_limit: the expert's own limit can only tighten these. */
	if (nv->max_km > 0.0 && nv->max_km < limit)
		limit = nv->max_km;
	if (sc->opt_max_km > 0.0 && sc->opt_max_km < limit)
		limit = sc->opt_max_km;
	return limit;
}

int lmi_scorer_scratch(lmi_scorer *sc, uint64_t **bits, uint32_t **list)
{
	size_t n = sc->n_experts ? sc->n_experts : 1;

	if (!sc->cand_bits)
		sc->cand_bits = calloc((n + 63) / 64, sizeof *sc->cand_bits);
	if (!sc->cand_list)
		sc->cand_list = malloc(n * sizeof *sc->cand_list);
	if (!sc->cand_bits || !sc->cand_list)
		return LM_ENOMEM;
	*bits = sc->cand_bits;
	*list = sc->cand_list;
	return LM_OK;
}

const char *lmi_scorer_period(const lmi_scorer *sc)
{
	return sc->period;
}

uint32_t lmi_scorer_quarter(const lmi_scorer *sc)
{
	return sc->quarter;
}

int lmi_scorer_capacity_left(lmi_scorer *sc, uint32_t e)
{
	int left;

	if (e >= sc->n_experts || lmi_expert_is_retired(&sc->cat->r, e))
		return 0;
	left = lmi_expert_capacity_in(&sc->cat->r, e, sc->quarter) -
	       (sc->committed ? sc->committed[e] : 0);
	return left < 0 ? 0 : left;
}

/* ---- need views --------------------------------------------------------- */

/* What every view needs once its skills and location are known: the
 * skills' tree positions, the mode's weights, a cache generation. */
static int view_finish(lmi_scorer *sc, lmi_need_view *nv)
{
	lm_catalog *cat = sc->cat;
	uint32_t i;

	nv->weight_total = 0.0;
	for (i = 0; i < nv->n_skills; i++) {
		lmi_need_skill *ns = &nv->skills[i];

		ns->tin = sc->tin[ns->skill];
		ns->tout = sc->tout[ns->skill];
		ns->depth = sc->depth[ns->skill];
		nv->weight_total += ns->weight;
	}
	if (!(nv->weight_total > 0.0))
		return lmi_err_set(&cat->err, LM_EINVAL,
		                  "the need's skill weights add up to 0");

	nv->ws = sc->ws;
	nv->wd = sc->wd;
	if (nv->mode == LM_HYBRID)
		nv->wd *= sc->eff.hybrid_distance_factor;
	else if (nv->mode == LM_REMOTE)
		nv->wd = 0.0;
	if (!(nv->ws >= 0.0) || !(nv->wd >= 0.0) || !(nv->ws + nv->wd > 0.0))
		return lmi_err_set(&cat->err, LM_EINVAL,
		                  "the score weights add up to 0 for a%s %s need",
		                  nv->mode == LM_ONSITE ? "n" : "",
		                  lm_mode_name(nv->mode));

	nv->place_in_table = nv->place != LM_NONE && nv->place < sc->n_places &&
	                     sc->place_in_table[nv->place];
	if (++sc->gen == 0) {
		/* After 2^32 views the generations wrap: forget every entry. */
		memset(sc->pc_gen, 0, (sc->n_places ? sc->n_places : 1) *
		                          sizeof *sc->pc_gen);
		sc->gen = 1;
	}
	nv->gen = sc->gen;
	return LM_OK;
}

int lmi_need_view_stored(lmi_scorer *sc, uint32_t need, lmi_need_view *out)
{
	lm_catalog *cat = sc->cat;
	const lmi_resolved *r = &cat->r;
	const lmi_need_rec *rec;
	uint32_t off, end, i, c;
	int rc;

	memset(out, 0, sizeof *out);
	if (need >= cat->needs.n)
		return lmi_err_set(&cat->err, LM_ENOTFOUND, "no need number %u",
		                  (unsigned)need);
	rec = &cat->needs.v[need];
	out->need = need;
	out->company = c = r->need_company[need];
	out->mode = rec->mode;
	out->language = rec->language && rec->language[0] ? rec->language : NULL;
	out->max_km = rec->max_km > 0.0 ? rec->max_km : 0.0;
	out->experts = rec->experts;
	out->place = LM_NONE;
	if (c != LM_NONE && c < cat->companies.n) {
		out->place = r->company_place[c];
		if (out->place != LM_NONE) {
			out->lat = r->place_lat[out->place];
			out->lon = r->place_lon[out->place];
			out->where = cat->places.v[out->place].name;
		} else {
			out->lat = r->company_lat[c];
			out->lon = r->company_lon[c];
			out->where = cat->companies.v[c].name;
		}
	}

	off = r->need_skill_off[need];
	end = r->need_skill_off[need + 1];
	out->n_skills = end - off;
	out->skills = calloc(out->n_skills ? out->n_skills : 1,
	                     sizeof *out->skills);
	if (!out->skills)
		return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	for (i = 0; i < out->n_skills; i++) {
		lmi_need_skill *ns = &out->skills[i];

		ns->skill = r->need_skill[off + i];
		ns->min_level = r->need_level[off + i];
		ns->weight = r->need_weight[off + i];
		ns->optional = r->need_optional[off + i];
	}
	rc = view_finish(sc, out);
	if (rc != LM_OK)
		lmi_need_view_free(out);
	return rc;
}

int lmi_need_view_query(lmi_scorer *sc, const lm_query *caller,
                       lmi_need_view *out)
{
	lm_catalog *cat = sc->cat;
	lm_query qv;
	const lm_query *q = &qv;
	uint32_t i, idx;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = lmi_query_norm(&cat->err, caller, &qv)))
		return rc;
	if (!q->skills || q->skill_count == 0)
		return lmi_err_set(&cat->err, LM_EINVAL,
		                  "a query needs at least one skill");
	if (q->skill_count > UINT32_MAX / 2)
		return lmi_err_set(&cat->err, LM_EINVAL, "too many skills");
	if ((int)q->mode < LM_ONSITE || (int)q->mode > LM_HYBRID)
		return lmi_err_set(&cat->err, LM_EINVAL, "invalid mode %d",
		                  (int)q->mode);
	if (!(q->max_km >= 0.0) || isinf(q->max_km))
		return lmi_err_set(&cat->err, LM_EINVAL,
		                  "the distance limit must be 0 (none) or positive");

	out->need = LM_NONE;
	out->company = LM_NONE;
	out->mode = q->mode;
	out->language = q->language && q->language[0] ? q->language : NULL;
	out->max_km = q->max_km;
	out->experts = 1;
	out->place = LM_NONE;
	if (q->at) {
		if ((rc = lmi_catalog_find_ix(cat, LM_PLACE, q->at, &idx)))
			return rc;
		out->place = idx;
		out->lat = cat->r.place_lat[idx];
		out->lon = cat->r.place_lon[idx];
		out->where = cat->places.v[idx].name;
	} else {
		if (!(q->lat >= -90.0 && q->lat <= 90.0) ||
		    !(q->lon >= -180.0 && q->lon <= 180.0))
			return lmi_err_set(&cat->err, LM_EINVAL,
			                  "coordinates %g,%g are outside the Earth",
			                  q->lat, q->lon);
		out->lat = q->lat;
		out->lon = q->lon;
	}
	if (q->company) {
		if ((rc = lmi_catalog_find_ix(cat, LM_COMPANY, q->company, &idx)))
			return rc;
		out->company = idx;
	}

	out->n_skills = (uint32_t)q->skill_count;
	out->skills = calloc(out->n_skills, sizeof *out->skills);
	if (!out->skills)
		return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	for (i = 0; i < out->n_skills; i++) {
		const lm_skill_req *req = &q->skills[i];
		lmi_need_skill *ns = &out->skills[i];

		if (!req->skill) {
			rc = lmi_err_set(&cat->err, LM_EINVAL, "skill %u has no name",
			                (unsigned)i + 1);
			goto fail;
		}
		if ((rc = lmi_catalog_find_ix(cat, LM_SKILL, req->skill, &idx)))
			goto fail;
		if (req->level < 1 || req->level > 5) {
			rc = lmi_err_set(&cat->err, LM_EINVAL,
			                "level %d of skill '%s' is outside 1..5",
			                req->level, req->skill);
			goto fail;
		}
		if (!(req->weight >= 0.0) || req->weight > 1000.0) {
			rc = lmi_err_set(&cat->err, LM_EINVAL,
			                "weight %g of skill '%s' is outside 0..1000",
			                req->weight, req->skill);
			goto fail;
		}
		/* The same skill twice (by id and by alias, say) would count
		 * twice; a stored need may not do that either. */
		for (uint32_t k = 0; k < i; k++) {
			if (out->skills[k].skill == idx) {
				rc = lmi_err_set(&cat->err, LM_EINVAL,
				                "skill '%s' is named twice",
				                cat->skills.v[idx].id);
				goto fail;
			}
		}
		ns->skill = idx;
		ns->min_level = req->level;
		/* 0 is what a zero-initialised lm_skill_req holds: the default. */
		ns->weight = req->weight > 0.0 ? req->weight : 1.0;
		ns->optional = req->optional != 0;
	}
	rc = view_finish(sc, out);
	if (rc == LM_OK)
		return LM_OK;
fail:
	lmi_need_view_free(out);
	return rc;
}

void lmi_need_view_free(lmi_need_view *nv)
{
	if (!nv)
		return;
	free(nv->skills);
	nv->skills = NULL;
	nv->n_skills = 0;
}

int lmi_scorer_view_new(lm_catalog *cat, const lm_match_options *opts,
                       uint32_t need, const lm_query *query,
                       lmi_scorer **sc, lmi_need_view *nv)
{
	memset(nv, 0, sizeof *nv);
	int rc = lmi_scorer_new(cat, opts, sc);
	if (rc == LM_OK)
		rc = query ? lmi_need_view_query(*sc, query, nv)
		           : lmi_need_view_stored(*sc, need, nv);
	return rc;
}

void lmi_scorer_view_free(lmi_scorer *sc, lmi_need_view *nv)
{
	lmi_need_view_free(nv);
	lmi_scorer_free(sc);
}

/* ---- the pieces of a score ----------------------------------------------- */

/* How one need skill is met by one expert. */
typedef struct hit {
	double credit;     /* best f * g(L) over related skills at >= min level */
	uint32_t via;      /* the skill giving it, LM_NONE when none */
	int via_level;
	int rel;           /* REL_* */
	bool covered;
	/* The best related skill below the minimum level, for the reason. */
	uint32_t near;
	int near_level, near_rel;
	double near_val;
} hit;

static void credit_one(const lmi_scorer *sc, const lmi_need_skill *ns,
                       const uint32_t *es, const uint8_t *el, uint32_t ne,
                       hit *h)
{
	uint32_t j;

	h->credit = 0.0;
	h->via = LM_NONE;
	h->via_level = 0;
	h->rel = REL_NONE;
	h->covered = false;
	h->near = LM_NONE;
	h->near_level = 0;
	h->near_rel = REL_NONE;
	h->near_val = 0.0;
	/* es is sorted by skill index, and only a strictly better credit
	 * replaces the best so far: ties go to the smaller skill index. */
	for (j = 0; j < ne; j++) {
		uint32_t t = es[j], tt, d;
		int L = el[j], rel;
		double v;

		if (t >= sc->n_skills || L < 1 || L > 5)
			continue;
		tt = sc->tin[t];
		if (tt >= ns->tin && tt < ns->tout) {
			d = sc->depth[t] - ns->depth;
			v = sc->child_pow[d] * sc->g[L];
			rel = d == 0 ? REL_EXACT : REL_NARROWER;
		} else if (tt < ns->tin && sc->tout[t] >= ns->tout) {
			d = ns->depth - sc->depth[t];
			v = sc->parent_pow[d] * sc->g[L];
			rel = REL_BROADER;
		} else {
			continue;
		}
		if (L >= ns->min_level) {
			if (!h->covered || v > h->credit) {
				h->credit = v;
				h->via = t;
				h->via_level = L;
				h->rel = rel;
			}
			h->covered = true;
		} else if (h->near == LM_NONE || v > h->near_val ||
		           (v == h->near_val && L > h->near_level)) {
			h->near = t;
			h->near_level = L;
			h->near_rel = rel;
			h->near_val = v;
		}
	}
}

/* Does the view ask for no skill as a hard rule?  Then it asks for at
 * least one of its (optional) skills to be covered (skills_eval). */
static bool all_optional(const lmi_need_view *nv)
{
	for (uint32_t i = 0; i < nv->n_skills; i++)
		if (!nv->skills[i].optional)
			return false;
	return nv->n_skills > 0;
}

/* Skill fit S of expert e; false when a required skill is not covered,
 * or, when every skill is optional, none is: an expert with none of the
 * skills a need names has nothing to bring to it (docs/scoring.md, rule
 * 3).  With `stop` it returns at the first uncovered required skill (S
 * is then unset); the sum runs in the need's skill order either way, so
 * S is the same bits on every path.  hits (may be NULL) gets one entry
 * per skill. */
static bool skills_eval(const lmi_scorer *sc, const lmi_need_view *nv,
                        uint32_t e, bool stop, double *S, hit *hits)
{
	const lmi_resolved *r = &sc->cat->r;
	uint32_t off = r->expert_skill_off[e], end = r->expert_skill_off[e + 1];
	double acc = 0.0;
	bool ok = true, any = false;
	uint32_t i;

	for (i = 0; i < nv->n_skills; i++) {
		const lmi_need_skill *ns = &nv->skills[i];
		hit h;

		credit_one(sc, ns, r->expert_skill + off, r->expert_level + off,
		           end - off, &h);
		if (!h.covered && !ns->optional) {
			ok = false;
			if (stop)
				return false;
		}
		any |= h.covered;
		acc += ns->weight * h.credit;
		if (hits)
			hits[i] = h;
	}
	*S = acc / nv->weight_total;
	return ok && (any || !all_optional(nv));
}

/* Road km from expert e's home to the need's location; places go through
 * the per-view cache (the value is the one lmi_geo_km gives). */
static double pair_km(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                      bool *from_table)
{
	const lmi_resolved *r = &sc->cat->r;
	uint32_t p = r->expert_home[e];

	if (p != LM_NONE && p < sc->n_places) {
		if (sc->pc_gen[p] != nv->gen) {
			sc->pc_km[p] = lmi_geo_km_src(sc->cat, p, r->place_lat[p],
			                             r->place_lon[p], nv->place,
			                             nv->lat, nv->lon, &sc->pc_table[p]);
			sc->pc_gen[p] = nv->gen;
		}
		*from_table = sc->pc_table[p];
		return sc->pc_km[p];
	}
	return lmi_geo_km_src(sc->cat, LM_NONE, r->expert_lat[e], r->expert_lon[e],
	                     nv->place, nv->lat, nv->lon, from_table);
}

/* The binding distance limit for a pair: the first strictly smallest of
 * global, expert, need, option. */
static double pair_limit(const lmi_scorer *sc, const lmi_need_view *nv,
                         uint32_t e, lmi_limit_src *src)
{
	double limit = sc->eff.max_travel_km, x;
	lmi_limit_src s = LM_LIMIT_GLOBAL;

	x = sc->cat->r.expert_max_km[e];
	if (x < limit) {
		limit = x;
		s = LM_LIMIT_EXPERT;
	}
	if (nv->max_km > 0.0 && nv->max_km < limit) {
		limit = nv->max_km;
		s = LM_LIMIT_NEED;
	}
	if (sc->opt_max_km > 0.0 && sc->opt_max_km < limit) {
		limit = sc->opt_max_km;
		s = LM_LIMIT_OPTION;
	}
	if (src)
		*src = s;
	return limit;
}

static double distance_fit(const lmi_scorer *sc, const lmi_need_view *nv,
                           double km)
{
	double max = sc->eff.max_travel_km, d;

	if (nv->mode == LM_REMOTE)
		return 1.0;
	if (!(max > 0.0))
		return km <= 0.0 ? 1.0 : 0.0;
	d = 1.0 - km / max;
	if (d < 0.0)
		d = 0.0;
	if (d > 1.0)
		d = 1.0;
	return d;
}

/* The score from the fits; the only place it is computed. */
static double finish(const lmi_need_view *nv, double S, double D,
                     lm_components *c)
{
	double ws = nv->ws, wd = nv->wd, tot = ws + wd;

	if (c) {
		c->skill_fit = S;
		c->distance_fit = D;
		c->weight_skill = ws / tot;
		c->weight_distance = wd / tot;
		c->skill_points = 100.0 * ws * S / tot;
		c->distance_points = 100.0 * wd * D / tot;
	}
	/* With S = D = 1 the division can round to 100 plus one ulp. */
	double score = 100.0 * (ws * S + wd * D) / tot;
	return score > 100.0 ? 100.0 : score;
}

static bool has_conflict(const lmi_scorer *sc, const lmi_need_view *nv,
                         uint32_t e)
{
	const lmi_resolved *r = &sc->cat->r;
	uint32_t i;

	if (nv->company == LM_NONE || !r->expert_conflict_off)
		return false;
	for (i = r->expert_conflict_off[e]; i < r->expert_conflict_off[e + 1]; i++)
		if (r->expert_conflict[i] == nv->company)
			return true;
	return false;
}

bool lmi_expert_speaks(const lm_catalog *cat, uint32_t e, const char *language)
{
	const lmi_resolved *r = &cat->r;
	uint32_t i;

	for (i = r->expert_lang_off[e]; i < r->expert_lang_off[e + 1]; i++)
		if (ascii_casecmp(r->expert_lang[i], language) == 0)
			return true;
	return false;
}

static bool speaks(const lmi_scorer *sc, const char *language, uint32_t e)
{
	return lmi_expert_speaks(sc->cat, e, language);
}

static double home_lat(const lmi_scorer *sc, uint32_t e)
{
	const lmi_resolved *r = &sc->cat->r;
	uint32_t p = r->expert_home[e];

	return p != LM_NONE && p < sc->n_places ? r->place_lat[p]
	                                        : r->expert_lat[e];
}

/* The meridian arc never exceeds the great circle, so unless the
 * distances table could answer for this pair, a latitude gap alone can
 * prove the pair too far.  The margin covers rounding: a pair is never
 * rejected here that the exact test accepts. */
static bool lat_too_far(const lmi_scorer *sc, const lmi_need_view *nv,
                        uint32_t e, double limit)
{
	uint32_t p = sc->cat->r.expert_home[e];
	bool home_in_table = p != LM_NONE && p < sc->n_places &&
	                     sc->place_in_table[p];

	return !(nv->place_in_table && home_in_table) &&
	       sc->eff.road_factor > 0.0 &&
	       lmi_geo_lat_bound_km(home_lat(sc, e), nv->lat) *
	               sc->eff.road_factor >
	           limit * (1.0 + 1e-9) + 1e-9;
}

/* ---- the three entry points ------------------------------------------------ */

/* The per-expert rules of one pair that do not look at skills: not
 * retired, remote work for remote and hybrid needs, the distance limit for
 * onsite and hybrid ones, no conflict of interest, cheapest first.  *km is
 * the distance when the limit needed it (*have_km), else 0. */
static bool expert_rules(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                         double *km, bool *have_km)
{
	const lmi_resolved *r = &sc->cat->r;
	bool table;

	*km = 0.0;
	*have_km = false;
	if (e >= sc->n_experts || lmi_expert_is_retired(r, e))
		return false;
	if (nv->mode != LM_ONSITE && !r->expert_remote[e])
		return false;
	if (nv->mode != LM_REMOTE) {
		double limit = pair_limit(sc, nv, e, NULL);

		if (lat_too_far(sc, nv, e, limit))
			return false;
		*km = pair_km(sc, nv, e, &table);
		*have_km = true;
		if (!(*km <= limit))
			return false;
	}
	return !has_conflict(sc, nv, e);
}

bool lmi_score_fast(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                   double *score, double *km_out)
{
	double km, S, D;
	bool have_km, table;

	if (!expert_rules(sc, nv, e, &km, &have_km))
		return false;
	if (nv->language && !speaks(sc, nv->language, e))
		return false;
	if (!skills_eval(sc, nv, e, true, &S, NULL))
		return false;
	D = distance_fit(sc, nv, km);
	*score = finish(nv, S, D, NULL);
	if (km_out) {
		if (!have_km)
			km = pair_km(sc, nv, e, &table);
		*km_out = km;
	}
	return true;
}

/* A team member's part (engine/team.c): the per-expert hard rules
 * (retired, remote, distance, conflict: expert_rules), then every need skill's credit and
 * coverage through credit_one, the code the one-expert score uses. */
bool lmi_score_member(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                     double *km_out, double *dfit, double *credit,
                     uint8_t *covers)
{
	const lmi_resolved *r = &sc->cat->r;
	uint32_t off, end, i;
	double km;
	bool have_km, table;

	if (!expert_rules(sc, nv, e, &km, &have_km))
		return false;
	if (!have_km)
		km = pair_km(sc, nv, e, &table);
	off = r->expert_skill_off[e];
	end = r->expert_skill_off[e + 1];
	for (i = 0; i < nv->n_skills; i++) {
		hit h;

		credit_one(sc, &nv->skills[i], r->expert_skill + off,
		           r->expert_level + off, end - off, &h);
		credit[i] = h.credit;
		covers[i] = h.covered;
	}
	*km_out = km;
	*dfit = distance_fit(sc, nv, nv->mode == LM_REMOTE ? 0.0 : km);
	return true;
}

double lmi_score_finish(const lmi_need_view *nv, double S, double D,
                       lm_components *c)
{
	return finish(nv, S, D, c);
}

/* Every rule without stopping early, for explanations and full matches. */
typedef struct core {
	bool feasible;
	bool far, not_remote, uncovered, no_language, conflict, retired;
	double km, limit, S, D;
	lmi_limit_src src;
	bool from_table;
} core;

static void eval_core(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                      core *c, hit *hits)
{
	const lmi_resolved *r = &sc->cat->r;

	memset(c, 0, sizeof *c);
	c->km = pair_km(sc, nv, e, &c->from_table);
	c->limit = pair_limit(sc, nv, e, &c->src);
	c->far = nv->mode != LM_REMOTE && !(c->km <= c->limit);
	c->not_remote = nv->mode != LM_ONSITE && !r->expert_remote[e];
	c->conflict = has_conflict(sc, nv, e);
	c->no_language = nv->language && !speaks(sc, nv->language, e);
	c->uncovered = !skills_eval(sc, nv, e, false, &c->S, hits);
	c->D = distance_fit(sc, nv, nv->mode == LM_REMOTE ? 0.0 : c->km);
	c->retired = lmi_expert_is_retired(r, e);
	c->feasible = !c->far && !c->not_remote && !c->conflict &&
	              !c->no_language && !c->uncovered && !c->retired;
}

static void fill_match(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                       const core *c, lm_match *m)
{
	lm_catalog *cat = sc->cat;
	uint32_t g = cat->r.expert_garden[e];
	double score;

	memset(m, 0, sizeof *m);
	m->expert = e;
	m->expert_id = cat->experts.v[e].id;
	m->expert_name = cat->experts.v[e].name;
	m->garden = g != LM_NONE && g < cat->gardens.n ? cat->gardens.v[g].id
	                                               : NULL;
	score = finish(nv, c->S, c->D, &m->components);
	m->score = c->feasible ? score : 0.0;
	m->distance_km = c->km;
	m->travel_minutes =
	    sc->eff.speed_kmh > 0.0 ? c->km / sc->eff.speed_kmh * 60.0 : 0.0;
	m->travel_cost_nok = 2.0 * c->km * sc->eff.km_rate_nok;
	m->capacity_left = lmi_scorer_capacity_left(sc, e);
}

bool lmi_score_fill(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                   lm_match *out)
{
	core c;

	if (e >= sc->n_experts) {
		memset(out, 0, sizeof *out);
		return false;
	}
	eval_core(sc, nv, e, &c, NULL);
	fill_match(sc, nv, e, &c, out);
	return c.feasible;
}

static const char *const limit_names[] = {
	"the global limit", "the expert's own limit", "the need's limit",
	"the requested limit"};

static const char *skill_id(const lm_catalog *cat, uint32_t s)
{
	return s < cat->skills.n ? cat->skills.v[s].id : "?";
}

static int push_reason(lmi_eval *ev, char *s, bool joint)
{
	/* joint[] first: it has an entry for every reason pushed. */
	bool *jv = s ? lmi_reallocarray(ev->joint, ev->n_reasons + 1, sizeof *jv)
	             : NULL;

	if (!jv) {
		free(s);
		return LM_ENOMEM;
	}
	ev->joint = jv;
	jv[ev->n_reasons] = joint;
	return lmi_strv_push(&ev->reasons, &ev->n_reasons, s);
}

/* The limit as it was given (up to six decimals, no trailing zeros:
 * "300", "33.73"), and km with as many decimals as it takes to read as
 * more than that limit (33.731 km for a limit of 33.73, never 33.7). */
static void fmt_km_over(char *kbuf, char *lbuf, size_t size, double km,
                        double limit)
{
	snprintf(lbuf, size, "%.6f", limit);
	trim_zeros(lbuf);
	double shown = strtod(lbuf, NULL);
	int d = 1;
	for (; d < 12; d++) {
		snprintf(kbuf, size, "%.*f", d, km);
		if (strtod(kbuf, NULL) > shown)
			return;
	}
}

static char *far_reason(const lmi_scorer *sc, const lmi_need_view *nv,
                        const core *c)
{
	char kms[64], lim[64], where[96];
	const char *w = nv->where;

	fmt_km_over(kms, lim, sizeof lim, c->km, c->limit);
	if (!w) {
		snprintf(where, sizeof where, "the location (%.4f, %.4f)", nv->lat,
		         nv->lon);
		w = where;
	}
	if (c->from_table)
		return lmi_strf("%s is %s km away (distances table); the limit "
		                  "is %s km (%s)", w, kms, lim,
		                  limit_names[c->src]);
	return lmi_strf("%s is %s km away (road factor %.2f); the limit is "
	                  "%s km (%s)", w, kms, sc->eff.road_factor, lim,
	                  limit_names[c->src]);
}

static char *skill_reason(const lm_catalog *cat, const lmi_need_skill *ns,
                          const hit *h)
{
	const char *s = skill_id(cat, ns->skill);

	if (h->near == LM_NONE)
		return lmi_strf("has no skill related to %s (level %d asked)", s,
		                  ns->min_level);
	if (h->near_rel == REL_EXACT)
		return lmi_strf("has %s at level %d, the need asks for %d", s,
		                  h->near_level, ns->min_level);
	return lmi_strf("has %s at level %d (%s than %s), the need asks for %d",
	                  skill_id(cat, h->near), h->near_level,
	                  h->near_rel == REL_NARROWER ? "narrower" : "broader", s,
	                  ns->min_level);
}

int lmi_score_full(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                  lmi_eval *out)
{
	lm_catalog *cat = sc->cat;
	hit *hits = NULL;
	core c;
	uint32_t i;
	int rc = LM_ENOMEM;

	memset(out, 0, sizeof *out);
	if (e >= sc->n_experts)
		return lmi_err_set(&cat->err, LM_EINVAL, "no expert number %u",
		                  (unsigned)e);
	hits = calloc(nv->n_skills ? nv->n_skills : 1, sizeof *hits);
	out->credits = calloc(nv->n_skills ? nv->n_skills : 1,
	                      sizeof *out->credits);
	if (!hits || !out->credits)
		goto cleanup;

	eval_core(sc, nv, e, &c, hits);
	fill_match(sc, nv, e, &c, &out->match);
	out->feasible = c.feasible;
	out->limit_km = c.limit;
	out->limit_src = c.src;
	out->km_from_table = c.from_table;

	for (i = 0; i < nv->n_skills; i++) {
		const lmi_need_skill *ns = &nv->skills[i];
		lm_skill_credit *k = &out->credits[i];

		k->need_skill = skill_id(cat, ns->skill);
		k->min_level = ns->min_level;
		k->weight = ns->weight;
		k->optional = ns->optional;
		k->via_skill = hits[i].via != LM_NONE ? skill_id(cat, hits[i].via)
		                                      : NULL;
		k->via_level = hits[i].via_level;
		k->relation = rel_names[hits[i].rel];
		k->credit = hits[i].credit;
	}
	out->n_credits = nv->n_skills;

	/* Reasons in the order of the rules in docs/scoring.md. */
	if (c.far && push_reason(out, far_reason(sc, nv, &c), false) != LM_OK)
		goto cleanup;
	if (c.not_remote &&
	    push_reason(out, lmi_strf("does not work remotely; the need is %s",
	                                lm_mode_name(nv->mode)), false) != LM_OK)
		goto cleanup;
	for (i = 0; c.uncovered && i < nv->n_skills; i++) {
		if (hits[i].covered || nv->skills[i].optional)
			continue;
		if (push_reason(out, skill_reason(cat, &nv->skills[i], &hits[i]), true) !=
		    LM_OK)
			goto cleanup;
	}
	if (c.uncovered && all_optional(nv) &&
	    push_reason(out, lmi_strf("has none of the need's skills at the "
	                                "level asked (every one is optional; "
	                                "at least one is needed)"), true) != LM_OK)
		goto cleanup;
	if (c.no_language &&
	    push_reason(out, lmi_strf("does not speak %s", nv->language), true) !=
	        LM_OK)
		goto cleanup;
	if (c.conflict &&
	    push_reason(out, lmi_strf("has a conflict of interest with %s",
	                                cat->companies.v[nv->company].id), false) != LM_OK)
		goto cleanup;
	/* Last: the plan's summary of rules (plan.c) reads the others
	 * in their order. */
	if (c.retired &&
	    push_reason(out, lmi_strf("is retired"), false) != LM_OK)
		goto cleanup;
	rc = LM_OK;
cleanup:
	free(hits);
	if (rc != LM_OK) {
		lmi_eval_free(out);
		return lmi_err_set(&cat->err, rc, "out of memory");
	}
	return LM_OK;
}

void lmi_eval_free(lmi_eval *ev)
{
	if (!ev)
		return;
	lmi_strv_free(ev->reasons, ev->n_reasons);
	free(ev->joint);
	free(ev->credits);
	ev->joint = NULL;
	ev->reasons = NULL;
	ev->credits = NULL;
	ev->n_reasons = ev->n_credits = 0;
}
