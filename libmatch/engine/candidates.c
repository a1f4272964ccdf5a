/* SPDX-License-Identifier: MIT */
/*
 * candidates.c -- candidate generation for the engine: which experts can
 * possibly be feasible for a need, found through an inverted skill index
 * with a latitude prefilter instead of scoring every expert.  rank.c and
 * plan.c score only these; score.h states the contract (a superset of the
 * feasible experts, in index order, so results are bit-identical to the
 * brute-force scan that tests/test_rank.c compares against).
 *
 * The index (one per catalogue, built on first use and kept in cat->r):
 * for every skill, the experts who hold it with their level, whether they
 * work remotely (remote and hybrid needs take no one else) and their home
 * latitude, sorted by latitude (then index).  Built with one sort of the
 * experts by latitude and a stable counting sort by skill: O(n log n) once,
 * 13 bytes per (expert, skill) pair.  The engine image (image.h) stores it
 * and loads back only the skills a need's candidates come from.
 *
 * Why latitude alone and not a 2-D grid: lmi_score_fast already rejects by
 * latitude gap before it computes a distance, so the band costs nothing to
 * prove safe (the same bound, with a margin), and a band of +-300 km keeps
 * about a third of Norway; the per-place distance cache makes the rest of
 * the check cheap.
 */
#include "engine/score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool related(const uint32_t *tin, const uint32_t *tout, uint32_t t,
                    uint32_t s);

void lmi_cand_index_free(struct lmi_cand_index *ix)
{
	if (!ix)
		return;
	free(ix->off);
	free(ix->expert);
	free(ix->level);
	free(ix->lat);
	free(ix);
}

static void cand_index_free_slot(void *ix)
{
	lmi_cand_index_free(ix);
}

void lmi_cand_index_set(lm_catalog *cat, struct lmi_cand_index *ix)
{
	if (ix)
		lmi_slot_set(&cat->r.cand, ix, cand_index_free_slot);
	else
		lmi_slot_clear(&cat->r.cand);
}

typedef struct by_lat {
	double lat;
	uint32_t e;
} by_lat;

static int cmp_lat(const void *pa, const void *pb)
{
	const by_lat *a = pa, *b = pb;

	if (a->lat < b->lat)
		return -1;
	if (a->lat > b->lat)
		return 1;
	return a->e < b->e ? -1 : a->e > b->e;
}

/* The home latitude as lmi_score_fast sees it (home_lat in score.c). */
static double expert_lat(const lm_catalog *cat, uint32_t e)
{
	const lmi_resolved *r = &cat->r;
	uint32_t p = r->expert_home[e];

	return p != LM_NONE && p < cat->places.n ? r->place_lat[p]
	                                         : r->expert_lat[e];
}

static struct lmi_cand_index *index_build(const lm_catalog *cat)
{
	const lmi_resolved *r = &cat->r;
	uint32_t ne = (uint32_t)cat->experts.n, ns = (uint32_t)cat->skills.n;
	size_t np = ne ? r->expert_skill_off[ne] : 0;
	struct lmi_cand_index *ix = calloc(1, sizeof *ix);
	by_lat *order = malloc((ne ? ne : 1) * sizeof *order);
	uint32_t *fill = NULL;

	if (!ix || !order)
		goto fail;
	ix->n_skills = ns;
	ix->off = calloc((size_t)ns + 1, sizeof *ix->off);
	ix->expert = malloc((np ? np : 1) * sizeof *ix->expert);
	ix->level = malloc(np ? np : 1);
	ix->lat = malloc((np ? np : 1) * sizeof *ix->lat);
	fill = malloc(((size_t)ns + 1) * sizeof *fill);
	if (!ix->off || !ix->expert || !ix->level || !ix->lat || !fill)
		goto fail;
	for (uint32_t e = 0; e < ne; e++) {
		order[e].lat = expert_lat(cat, e);
		order[e].e = e;
	}
	qsort(order, ne, sizeof *order, cmp_lat);
	for (size_t k = 0; k < np; k++)
		if (r->expert_skill[k] < ns)
			ix->off[r->expert_skill[k] + 1]++;
	for (uint32_t s = 0; s < ns; s++)
		ix->off[s + 1] += ix->off[s];
	memcpy(fill, ix->off, ((size_t)ns + 1) * sizeof *fill);
	for (uint32_t i = 0; i < ne; i++) {
		uint32_t e = order[i].e;

		for (uint32_t k = r->expert_skill_off[e];
		     k < r->expert_skill_off[e + 1]; k++) {
			uint32_t s = r->expert_skill[k], at;

			if (s >= ns)
				continue;
			at = fill[s]++;
			ix->expert[at] = e;
			ix->level[at] = (uint8_t)(r->expert_level[k] |
			                          (r->expert_remote[e] ? LM_CAND_REMOTE
			                                               : 0));
			ix->lat[at] = order[i].lat;
		}
	}
	free(order);
	free(fill);
	return ix;
fail:
	free(order);
	free(fill);
	lmi_cand_index_free(ix);
	return NULL;
}

/* First posting in [lo, hi) with lat >= x. */
static uint32_t lower_bound(const double *lat, uint32_t lo, uint32_t hi,
                            double x)
{
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (lat[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Is skill t related to need skill s (the same, narrower or broader)?
 * The same test as credit_one in score.c. */
static bool related(const uint32_t *tin, const uint32_t *tout, uint32_t t,
                    uint32_t s)
{
	return (tin[t] >= tin[s] && tin[t] < tout[s]) ||
	       (tin[t] < tin[s] && tout[t] >= tout[s]);
}

/* First posting in [lo, hi) with lat > x. */
static uint32_t upper_bound(const double *lat, uint32_t lo, uint32_t hi,
                            double x)
{
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (lat[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void lmi_candidates_skills(lmi_scorer *sc, const lmi_need_view *nv, bool *want)
{
	const uint32_t *tin, *tout;
	uint32_t ns = (uint32_t)lmi_scorer_catalog(sc)->skills.n;

	memset(want, 0, ns * sizeof *want);
	lmi_scorer_tree(sc, &tin, &tout);
	for (uint32_t i = 0; i < nv->n_skills; i++) {
		uint32_t s = nv->skills[i].skill;

		if (nv->skills[i].optional || s >= ns)
			continue;
		for (uint32_t t = 0; t < ns; t++)
			if (related(tin, tout, t, s))
				want[t] = true;
	}
}

int lmi_cand_index_ensure(lm_catalog *cat)
{
	if (!lmi_cand_of(cat)) {
		struct lmi_cand_index *ix = index_build(cat);

		if (!ix)
			return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
		lmi_cand_index_set(cat, ix);
	}
	return LM_OK;
}

/*
 * The band of latitudes lmi_score_fast's latitude test leaves open,
 * widened by a margin so that rounding can only let more experts in; on
 * the radius of lmi_geo_lat_bound_km, so that the band is the one its
 * bound implies.  False when no band applies: the distances table may
 * answer for the need's place, or there is no limit.
 */
static bool lat_band(lmi_scorer *sc, const lmi_need_view *nv, double *lo,
                     double *hi)
{
	double rf, reach = lmi_scorer_reach_km(sc, nv, &rf), d;

	if (!(reach >= 0.0 && isfinite(reach) && rf > 0.0 && isfinite(rf) &&
	      !nv->place_in_table))
		return false;
	d = (reach * (1.0 + 1e-9) + 1e-9) / rf /
	    (LM_EARTH_RADIUS_KM * (M_PI / 180.0));
	d = d * (1.0 + 1e-6) + 1e-6;
	*lo = nv->lat - d;
	*hi = nv->lat + d;
	return true;
}

/* What a scan for one need marks its candidates with: the postings, the
 * skill tree, the band of latitudes (when `band`), the remote bit the
 * need asks for (0xff: any) and a bit an expert (`words` of them). */
typedef struct scan {
	const struct lmi_cand_index *ix;
	const uint32_t *tin, *tout;
	uint32_t ns;
	bool band;
	double lo, hi;
	uint8_t need_remote;
	uint64_t *bits;
	size_t words;
} scan;

/* Start a scan of ix for need nv: no expert marked yet, the bits and
 * *list the scorer's scratch.  LM_ENOMEM with the message in cat->err. */
static int scan_start(scan *sn, lmi_scorer *sc, const lmi_need_view *nv,
                      const struct lmi_cand_index *ix, uint32_t **list)
{
	lm_catalog *cat = lmi_scorer_catalog(sc);

	/* Remote and hybrid needs take only experts who work remotely (the
	 * same rule as lmi_score_fast). */
	*sn = (scan){.ix = ix, .ns = (uint32_t)cat->skills.n,
	             .need_remote = nv->mode != LM_ONSITE ? LM_CAND_REMOTE : 0xff,
	             .words = (cat->experts.n + 63) / 64};
	lmi_scorer_tree(sc, &sn->tin, &sn->tout);
	sn->band = lat_band(sc, nv, &sn->lo, &sn->hi);
	if (lmi_scorer_scratch(sc, &sn->bits, list) != LM_OK)
		return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	memset(sn->bits, 0, (sn->words ? sn->words : 1) * sizeof *sn->bits);
	return LM_OK;
}

/* Mark the experts holding a skill related to need skill s at min_level
 * or more, within the band and remote when the need asks for it. */
static void mark_holders(const scan *sn, uint32_t s, int min_level)
{
	const struct lmi_cand_index *ix = sn->ix;

	for (uint32_t t = 0; t < sn->ns; t++) {
		uint32_t a = ix->off[t], b = ix->off[t + 1];

		if (a == b || !related(sn->tin, sn->tout, t, s))
			continue;
		if (sn->band) {
			a = lower_bound(ix->lat, a, b, sn->lo);
			b = upper_bound(ix->lat, a, b, sn->hi);
		}
		for (uint32_t k = a; k < b; k++)
			if ((ix->level[k] & LM_CAND_LEVEL) >= min_level &&
			    (ix->level[k] & sn->need_remote)) {
				uint32_t e = ix->expert[k];

				sn->bits[e >> 6] |= (uint64_t)1 << (e & 63);
			}
	}
}

/* The experts the scan marked into `list` in index order; how many
 * there are. */
static size_t marked_list(const scan *sn, uint32_t *list)
{
	size_t m = 0;

	for (size_t w = 0; w < sn->words; w++)
		for (uint64_t x = sn->bits[w]; x; x &= x - 1)
			list[m++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(x));
	return m;
}

int lmi_candidates(lmi_scorer *sc, const lmi_need_view *nv, const uint32_t **out,
                  size_t *n)
{
	lm_catalog *cat = lmi_scorer_catalog(sc);
	const struct lmi_cand_index *ix;
	const uint32_t *tin, *tout;
	uint32_t ns = (uint32_t)cat->skills.n;
	uint32_t drive = LM_NONE, s, t;
	size_t best = SIZE_MAX;
	scan sn;
	uint32_t *list;

	*out = NULL;
	*n = 0;
	/* Experts loaded from an engine image for this need are its
	 * candidates already (the store loads only those); before they are
	 * loaded the image's index is in place. */
	if (cat->r.image.obj && !lmi_cand_of(cat))
		return LM_OK;
	if (lmi_cand_index_ensure(cat) != LM_OK)
		return LM_ENOMEM;
	ix = lmi_cand_of(cat);
	if (ix->n_skills != ns)
		return LM_OK; /* cannot happen; scanning everyone is still right */
	lmi_scorer_tree(sc, &tin, &tout);

	/* The required skill whose related skills have the fewest holders. */
	for (uint32_t i = 0; i < nv->n_skills; i++) {
		size_t count = 0;

		if (nv->skills[i].optional)
			continue;
		s = nv->skills[i].skill;
		if (s >= ns)
			return LM_OK;
		for (t = 0; t < ns; t++)
			if (related(tin, tout, t, s))
				count += ix->off[t + 1] - ix->off[t];
		if (count < best) {
			best = count;
			drive = i;
		}
	}
	if (drive == LM_NONE)
		return LM_OK; /* only optional skills: anyone may qualify */
	if (scan_start(&sn, sc, nv, ix, &list) != LM_OK)
		return LM_ENOMEM;
	mark_holders(&sn, nv->skills[drive].skill, nv->skills[drive].min_level);
	*out = list;
	*n = marked_list(&sn, list);
	return LM_OK;
}

int lmi_candidates_team(lmi_scorer *sc, const lmi_need_view *nv,
                       const uint32_t **out, size_t *n)
{
	lm_catalog *cat = lmi_scorer_catalog(sc);
	const struct lmi_cand_index *ix;
	uint32_t ns = (uint32_t)cat->skills.n;
	scan sn;
	uint32_t *list;

	*out = NULL;
	*n = 0;
	if (nv->language || (cat->r.image.obj && !lmi_cand_of(cat)))
		return LM_OK; /* a speaker may be needed for the language alone */
	if (lmi_cand_index_ensure(cat) != LM_OK)
		return LM_ENOMEM;
	ix = lmi_cand_of(cat);
	if (ix->n_skills != ns)
		return LM_OK;
	if (scan_start(&sn, sc, nv, ix, &list) != LM_OK)
		return LM_ENOMEM;
	for (uint32_t i = 0; i < nv->n_skills; i++) {
		if (nv->skills[i].skill >= ns)
			return LM_OK;
		mark_holders(&sn, nv->skills[i].skill, nv->skills[i].min_level);
	}
	*out = list;
	*n = marked_list(&sn, list);
	return LM_OK;
}
