/* SPDX-License-Identifier: MIT */
/*
 * rank.c -- the best experts for one need (stored or ad-hoc): every
 * candidate expert (lmi_candidates: the inverted skill index and latitude
 * band; every expert when no required skill can drive it) is scored with
 * lmi_score_fast, the best k are kept in a bounded min-heap, and only those
 * k are filled in full.  Order: score descending, then
 * expert id ascending (index order is id order).  Capacity never removes
 * an expert unless available_only is set.
 *
 * Cost: one pass over the candidates with no allocation per expert (the
 * heap is allocated once; for k = 0 a growing array of every feasible
 * expert).  Candidates are a superset of the feasible experts, so the
 * result is the one a scan of every expert gives, to the bit.
 */
#include "engine/rank.h"
#include "engine/options.h"
#include "engine/score.h"

#include <stdlib.h>
#include <string.h>

struct lm_ranking {
	lm_match *m;        /* owned; strings point into the catalogue */
	size_t n;
	size_t feasible;
	lm_catalog *owned;  /* the catalogue, when the ranking owns it */
	const char *need_id; /* the stored need's id; NULL for a query */
};

typedef struct cand {
	double score;
	uint32_t e;
} cand;

/* a ranks below b: lower score, or the same score and a later id. */
static bool worse(const cand *a, const cand *b)
{
	return a->score < b->score || (a->score == b->score && a->e > b->e);
}

static int cmp_best_first(const void *pa, const void *pb)
{
	const cand *a = pa, *b = pb;

	if (worse(a, b))
		return 1;
	if (worse(b, a))
		return -1;
	return 0;
}

/* Min-heap on `worse`: h[0] is the worst kept candidate. */
static void sift_down(cand *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		cand t;

		if (l < n && worse(&h[l], &h[m]))
			m = l;
		if (r < n && worse(&h[r], &h[m]))
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void sift_up(cand *h, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		cand t;

		if (!worse(&h[i], &h[p]))
			return;
		t = h[i];
		h[i] = h[p];
		h[p] = t;
		i = p;
	}
}

#define PROGRESS_EVERY 4096u

static int rank_view(lm_catalog *cat, lmi_scorer *sc, const lmi_need_view *nv,
                     const lm_match_options *opts, lm_ranking **out)
{
	size_t n_experts = cat->experts.n, k = opts->k, n = 0, cap, i;
	size_t n_scan;
	const uint32_t *list = NULL;
	cand *h = NULL;
	lm_ranking *rk = NULL;
	int rc;
	uint32_t e;

	rc = lmi_candidates(sc, nv, &list, &n_scan);
	if (rc != LM_OK)
		return rc;
	if (!list)
		n_scan = n_experts;
	rc = LM_ENOMEM;

	if (k == 0 || k > n_experts)
		k = 0; /* keep every feasible expert */
	/* With a cut the heap never grows; without one the array grows
	 * geometrically, so allocations are O(log feasible). */
	cap = k ? k : (n_experts < 64 ? n_experts : 64);
	h = malloc((cap ? cap : 1) * sizeof *h);
	rk = calloc(1, sizeof *rk);
	if (!h || !rk)
		goto cleanup;

	for (i = 0; i < n_scan; i++) {
		cand c;

		e = list ? list[i] : (uint32_t)i;
		if (opts->progress && i % PROGRESS_EVERY == 0 &&
		    opts->progress("rank", i, n_scan, opts->progress_ctx)) {
			rc = lmi_err_set(&cat->err, LM_ECANCELED, "ranking was "
			                "canceled by the progress callback");
			goto cleanup;
		}
		if (!lmi_score_fast(sc, nv, e, &c.score, NULL))
			continue;
		rk->feasible++;
		if (opts->available_only && lmi_scorer_capacity_left(sc, e) == 0)
			continue;
		c.e = e;
		if (k) {
			if (n < k) {
				h[n] = c;
				sift_up(h, n++);
			} else if (worse(&h[0], &c)) {
				h[0] = c;
				sift_down(h, n, 0);
			}
		} else {
			if (n == cap) {
				cand *t = lmi_reallocarray(h, cap * 2, sizeof *t);

				if (!t)
					goto cleanup;
				h = t;
				cap *= 2;
			}
			h[n++] = c;
		}
	}
	if (opts->progress &&
	    opts->progress("rank", n_scan, n_scan, opts->progress_ctx)) {
		rc = lmi_err_set(&cat->err, LM_ECANCELED, "ranking was canceled "
		                "by the progress callback");
		goto cleanup;
	}

	qsort(h, n, sizeof *h, cmp_best_first);
	rk->m = calloc(n ? n : 1, sizeof *rk->m);
	if (!rk->m)
		goto cleanup;
	for (i = 0; i < n; i++)
		lmi_score_fill(sc, nv, h[i].e, &rk->m[i]);
	rk->n = n;
	*out = rk;
	rk = NULL;
	rc = LM_OK;
cleanup:
	if (rc == LM_ENOMEM)
		lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	free(h);
	lm_ranking_free(rk);
	return rc;
}

/* Rank stored need `need`, or `query` when it is not NULL. */
static int rank_one(lm_catalog *cat, uint32_t need, const lm_query *query,
                    const lm_match_options *caller, lm_ranking **out)
{
	lm_match_options opts;
	lmi_scorer *sc = NULL;
	lmi_need_view nv;
	int rc;

	memset(&nv, 0, sizeof nv);
	rc = lmi_match_options_norm(&cat->err, caller, &opts);
	if (rc == LM_OK)
		rc = lmi_scorer_view_new(cat, &opts, need, query, &sc, &nv);
	if (rc == LM_OK)
		rc = rank_view(cat, sc, &nv, &opts, out);
	lmi_scorer_view_free(sc, &nv);
	return rc;
}

LM_EXTERN int lm_rank_need(lm_catalog *cat, const char *need_id,
                           const lm_match_options *opts, lm_ranking **out)
{
	uint32_t need;
	int rc;

	if (out)
		*out = NULL;
	rc = lmi_catalog_enter(cat, out, need_id, "no need id given");
	if (rc != LM_OK)
		return rc;
	rc = lmi_catalog_find_ix(cat, LM_NEED, need_id, &need);
	if (rc != LM_OK)
		return rc;
	rc = rank_one(cat, need, NULL, opts, out);
	if (rc == LM_OK)
		(*out)->need_id = cat->needs.v[need].id;
	return rc;
}

LM_EXTERN int lm_rank_query(lm_catalog *cat, const lm_query *query,
                            const lm_match_options *opts, lm_ranking **out)
{
	if (out)
		*out = NULL;
	int rc = lmi_catalog_enter(cat, out, query, "no query given");
	return rc != LM_OK ? rc : rank_one(cat, LM_NONE, query, opts, out);
}

LM_EXTERN size_t lm_ranking_count(const lm_ranking *r)
{
	return r ? r->n : 0;
}

LM_EXTERN const lm_match *lm_ranking_get(const lm_ranking *r, size_t i)
{
	return r && i < r->n ? &r->m[i] : NULL;
}

LM_EXTERN size_t lm_ranking_feasible(const lm_ranking *r)
{
	return r ? r->feasible : 0;
}

LM_EXTERN const char *lm_ranking_need(const lm_ranking *r)
{
	return r ? r->need_id : NULL;
}

LM_EXTERN void lm_ranking_free(lm_ranking *r)
{
	if (!r)
		return;
	free(r->m);
	lm_catalog_free(r->owned);
	free(r);
}

void lmi_ranking_remap(lm_ranking *r, const uint32_t *map, size_t n)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->m[i].expert < n)
			r->m[i].expert = map[r->m[i].expert];
}

void lmi_ranking_adopt(lm_ranking *r, lm_catalog *cat)
{
	lm_catalog_free(r->owned);
	r->owned = cat;
}
