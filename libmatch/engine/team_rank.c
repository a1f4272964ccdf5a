/* SPDX-License-Identifier: MIT */
/*
 * team_rank.c -- lm_rank_teams: the best teams for one stored need.  The
 * need's candidates come from the inverted skill index
 * (lmi_team_need_prepare), the k best teams from the exact DP of team.c
 * (lmi_team_top, no enumeration of subsets of candidates), and each is
 * described in full by lmi_team_detail_build, members in id order.
 */
#include "engine/team.h"
#include "engine/team_detail.h"

#include <stdlib.h>
#include <string.h>

struct lm_team_ranking {
	lmi_team_detail *t;
	size_t n;
	size_t n_skills;
};

static int cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return a < b ? -1 : a > b;
}

/* Describe the teams found, members sorted by index (id order). */
static int describe(lmi_scorer *sc, const lmi_team_need *tn,
                    const lmi_team *teams, size_t n, lm_team_ranking *r)
{
	lm_catalog *cat = lmi_scorer_catalog(sc);

	r->t = calloc(n ? n : 1, sizeof *r->t);
	if (!r->t)
		return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		uint32_t experts[LMI_TEAM_MAX];
		int rc;

		for (int j = 0; j < teams[i].m; j++)
			experts[j] = tn->cand[teams[i].pos[j]];
		qsort(experts, (size_t)teams[i].m, sizeof *experts, cmp_u32);
		rc = lmi_team_detail_build(sc, &tn->nv, tn->team_max, tn->penalty,
		                           experts, teams[i].m, &r->t[i]);
		if (rc != LM_OK)
			return rc;
		r->n = i + 1;
	}
	return LM_OK;
}

LM_EXTERN int lm_rank_teams(lm_catalog *cat, const char *need_id,
                            const lm_match_options *opts,
                            lm_team_ranking **out)
{
	lmi_scorer *sc = NULL;
	lmi_team_need tn;
	lmi_team *teams = NULL;
	lm_team_ranking *r = NULL;
	size_t n = 0, k = opts ? opts->k : 10;
	uint32_t need;
	int rc;

	memset(&tn, 0, sizeof tn);
	if (out)
		*out = NULL;
	if ((rc = lmi_catalog_enter(cat, true, out && need_id,
	                            "a need id and an output are required")) ||
	    (rc = lmi_catalog_find_ix(cat, LM_NEED, need_id, &need)))
		return rc;
	if ((rc = lmi_scorer_new(cat, opts, &sc)) ||
	    (rc = lmi_team_need_prepare(sc, need, &tn)))
		goto cleanup;
	if (lmi_team_top(&tn, k, &teams, &n) != LM_OK) {
		rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (!(r = calloc(1, sizeof *r))) {
		rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	r->n_skills = tn.nv.n_skills;
	if ((rc = describe(sc, &tn, teams, n, r)) != LM_OK)
		goto cleanup;
	*out = r;
	r = NULL;
cleanup:
	lm_team_ranking_free(r);
	free(teams);
	lmi_team_need_free(&tn);
	lmi_scorer_free(sc);
	return rc;
}

LM_EXTERN size_t lm_team_ranking_count(const lm_team_ranking *r)
{
	return r ? r->n : 0;
}

LM_EXTERN const lm_team *lm_team_ranking_get(const lm_team_ranking *r,
                                             size_t i)
{
	return r && i < r->n ? &r->t[i].team : NULL;
}

LM_EXTERN const lm_team_member *
lm_team_ranking_member(const lm_team_ranking *r, size_t i, size_t j)
{
	return r && i < r->n && j < (size_t)r->t[i].m ? &r->t[i].members[j]
	                                              : NULL;
}

LM_EXTERN const lm_team_skill *lm_team_ranking_skill(const lm_team_ranking *r,
                                                     size_t i, size_t s)
{
	return r && i < r->n && s < r->t[i].n_skills ? &r->t[i].skills[s] : NULL;
}

LM_EXTERN size_t lm_team_ranking_skill_count(const lm_team_ranking *r)
{
	return r ? r->n_skills : 0;
}

LM_EXTERN void lm_team_ranking_free(lm_team_ranking *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		lmi_team_detail_free(&r->t[i]);
	free(r->t);
	free(r);
}
