/* SPDX-License-Identifier: MIT */
/*
 * explain.c -- everything about one stored need (or an ad-hoc query) and
 * one expert: whether the pair is feasible, every hard rule it breaks as a
 * sentence, the score with its components and how each of the need's
 * skills was met.  The
 * numbers come from lmi_score_full, the same code ranking uses, so a
 * feasible pair explains to exactly the score it ranks with.
 */
#include "engine/rank.h"
#include "engine/score.h"

#include <stdlib.h>
#include <string.h>

struct lm_explanation {
	lmi_eval ev;  /* owns the reasons and the per-skill rows */
	lm_catalog *owned; /* the catalogue, when the explanation owns it */
	const char *need_id; /* the need's id as the profiles spell it */
};

void lmi_explanation_adopt(lm_explanation *e, lm_catalog *cat,
                          size_t expert_index)
{
	lm_catalog_free(e->owned);
	e->owned = cat;
	e->ev.match.expert = expert_index;
}

/* Explain expert `expert_id` for stored need `need_id`, or for `query`
 * when it is not NULL. */
static int explain_one(lm_catalog *cat, const char *need_id,
                       const lm_query *query, const char *expert_id,
                       const lm_match_options *opts, lm_explanation **out)
{
	lmi_scorer *sc = NULL;
	lmi_need_view nv;
	lm_explanation *x = NULL;
	uint32_t need = LM_NONE, expert;
	int rc;

	memset(&nv, 0, sizeof nv);
	if (out)
		*out = NULL;
	if (!cat)
		return LM_EINVAL;
	lmi_err_clear(&cat->err);
	if (!out)
		return lmi_err_set(&cat->err, LM_EINVAL, "no output given");
	if (query ? !expert_id : !need_id || !expert_id)
		return lmi_err_set(&cat->err, LM_EINVAL, query
		                  ? "an expert id is required"
		                  : "a need id and an expert id are required");
	if ((!query && (rc = lmi_catalog_find_ix(cat, LM_NEED, need_id, &need))) ||
	    (rc = lmi_catalog_find_ix(cat, LM_EXPERT, expert_id, &expert)))
		return rc;

	rc = lmi_scorer_view_new(cat, opts, need, query, &sc, &nv);
	if (rc != LM_OK)
		goto cleanup;
	x = calloc(1, sizeof *x);
	if (!x) {
		rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = lmi_score_full(sc, &nv, expert, &x->ev);
	if (rc != LM_OK)
		goto cleanup;
	x->need_id = query ? NULL : cat->needs.v[need].id;
	*out = x;
	x = NULL;
cleanup:
	free(x);
	lmi_scorer_view_free(sc, &nv);
	return rc;
}

LM_EXTERN int lm_explain(lm_catalog *cat, const char *need_id,
                         const char *expert_id, const lm_match_options *opts,
                         lm_explanation **out)
{
	return explain_one(cat, need_id, NULL, expert_id, opts, out);
}

LM_EXTERN int lm_explain_query(lm_catalog *cat, const lm_query *query,
                               const char *expert_id,
                               const lm_match_options *opts,
                               lm_explanation **out)
{
	if (query)
		return explain_one(cat, NULL, query, expert_id, opts, out);
	if (out)
		*out = NULL;
	return cat ? lmi_err_set(&cat->err, LM_EINVAL, "no query given")
	           : LM_EINVAL;
}

LM_EXTERN int lm_explanation_feasible(const lm_explanation *e)
{
	return e && e->ev.feasible;
}

LM_EXTERN const lm_match *lm_explanation_match(const lm_explanation *e)
{
	return e ? &e->ev.match : NULL;
}

LM_EXTERN size_t lm_explanation_reason_count(const lm_explanation *e)
{
	return e ? e->ev.n_reasons : 0;
}

LM_EXTERN const char *lm_explanation_reason(const lm_explanation *e, size_t i)
{
	return e && i < e->ev.n_reasons ? e->ev.reasons[i] : NULL;
}

LM_EXTERN size_t lm_explanation_skill_count(const lm_explanation *e)
{
	return e ? e->ev.n_credits : 0;
}

LM_EXTERN const lm_skill_credit *lm_explanation_skill(const lm_explanation *e,
                                                      size_t i)
{
	return e && i < e->ev.n_credits ? &e->ev.credits[i] : NULL;
}

LM_EXTERN const char *lm_explanation_need(const lm_explanation *e)
{
	return e ? e->need_id : NULL;
}

LM_EXTERN void lm_explanation_free(lm_explanation *e)
{
	if (!e)
		return;
	lmi_eval_free(&e->ev);
	lm_catalog_free(e->owned);
	free(e);
}
