/* SPDX-License-Identifier: MIT */
/*
 * team_explain.c -- everything about one team for one need: each
 * member's one-expert evaluation (lmi_score_full), the team's credit per
 * skill with the member that gives it, the farthest member's distance
 * fit, the penalty, and every rule the team breaks.  lm_team_explain and
 * lm_rank_teams (team_rank.c) both describe teams through
 * lmi_team_detail_build, with the arithmetic of lmi_team_score, so a team
 * has the same score to the last bit in both and in the planner.
 */
#include "engine/team.h"
#include "engine/team_detail.h"

#include <stdlib.h>
#include <string.h>

struct lm_team_explanation {
	lmi_team_detail d;
};

void lmi_team_detail_free(lmi_team_detail *d)
{
	if (!d)
		return;
	lmi_strv_free(d->reasons, d->n_reasons);
	free(d->skills);
	memset(d, 0, sizeof *d);
}

static int add_reason(lmi_team_detail *d, char *s)
{
	return lmi_strv_push(&d->reasons, &d->n_reasons, s);
}

/* The team's score without member `skip` (-1: none), with the arithmetic
 * of lmi_team_score; false when those members break a joint rule. */
static bool score_of(const lmi_need_view *nv, const lmi_eval *ev,
                     const bool *speaks, int m, int skip, double penalty,
                     lm_components *c, double *out)
{
	double acc = 0.0, D = 1.0, S;
	bool spoken = !nv->language, any = false, allopt = nv->n_skills > 0;
	bool req = true;
	int j, n = 0;

	for (j = 0; j < m; j++) {
		if (j == skip)
			continue;
		if (n++ == 0 || ev[j].match.components.distance_fit < D)
			D = ev[j].match.components.distance_fit;
		spoken |= speaks[j];
	}
	if (n == 0)
		return false;
	for (size_t i = 0; i < nv->n_skills; i++) {
		double best = 0.0;
		bool cov = false;

		for (j = 0; j < m; j++) {
			if (j == skip)
				continue;
			if (ev[j].credits[i].credit > best)
				best = ev[j].credits[i].credit;
			cov |= ev[j].credits[i].via_skill != NULL;
		}
		if (!cov && !nv->skills[i].optional)
			req = false;
		allopt &= nv->skills[i].optional;
		any |= cov;
		acc += nv->skills[i].weight * best;
	}
	S = acc / nv->weight_total;
	*out = lmi_score_finish(nv, S, D, c) - penalty * (double)(n - 1);
	return spoken && req && (any || !allopt);
}

/* The per-skill rows: the best credit and the member giving it (the
 * smallest expert index among equal ones). */
static void fill_skills(const lmi_need_view *nv, const lmi_eval *ev, int m,
                        const uint32_t *experts, lmi_team_detail *d)
{
	const lm_catalog *cat = d->cat;

	for (size_t i = 0; i < nv->n_skills; i++) {
		lm_team_skill *t = &d->skills[i];
		int giver = -1;

		for (int j = 0; j < m; j++) {
			const lm_skill_credit *k = &ev[j].credits[i];

			if (!k->via_skill)
				continue;
			if (giver < 0 || k->credit > ev[giver].credits[i].credit ||
			    (k->credit == ev[giver].credits[i].credit &&
			     experts[j] < experts[giver]))
				giver = j;
		}
		t->credit = ev[giver >= 0 ? giver : 0].credits[i];
		t->covered = giver >= 0;
		t->member = giver >= 0 ? cat->experts.v[experts[giver]].id : NULL;
	}
}

static void fill_member(const lmi_eval *ev, bool speaks, bool feasible,
                        lm_team_member *mb)
{
	memset(mb, 0, sizeof *mb);
	mb->expert = ev->match.expert;
	mb->expert_id = ev->match.expert_id;
	mb->expert_name = ev->match.expert_name;
	mb->garden = ev->match.garden;
	mb->distance_km = ev->match.distance_km;
	mb->distance_fit = ev->match.components.distance_fit;
	mb->travel_minutes = ev->match.travel_minutes;
	mb->capacity_left = ev->match.capacity_left;
	mb->speaks = speaks;
	mb->feasible = feasible;
}

/* A member's own rules (distance, remote, conflict, retired), prefixed
 * with its id; *ok is whether it obeys them. */
static int member_reasons(lmi_team_detail *d, const lmi_eval *ev, uint32_t e,
                          bool *ok)
{
	const char *id = d->cat->experts.v[e].id;

	*ok = true;
	for (size_t r = 0; r < ev->n_reasons; r++) {
		if (ev->joint[r])
			continue;
		*ok = false;
		if (add_reason(d, lmi_strf("%s: %s", id, ev->reasons[r])))
			return LM_ENOMEM;
	}
	return LM_OK;
}

/* The rules only the team as a whole can break. */
static int team_reasons(lmi_team_detail *d, const lmi_need_view *nv,
                        int team_max, const uint32_t *experts, int m,
                        const bool *speaks)
{
	const lm_catalog *cat = d->cat;
	bool spoken = false, any = false, allopt = nv->n_skills > 0;
	int rc = LM_OK;

	if (m > team_max)
		rc = add_reason(d, team_max == 1
		                       ? lmi_strf("the team has %d members; the "
		                                  "need takes one expert (team: 1)", m)
		                       : lmi_strf("the team has %d members; the "
		                                  "need takes at most %d", m,
		                                  team_max));
	for (int j = 0; rc == LM_OK && j < m; j++)
		for (int i = 0; rc == LM_OK && i < j; i++)
			if (experts[i] == experts[j]) {
				rc = add_reason(d, lmi_strf("%s is named twice",
				                cat->experts.v[experts[j]].id));
				break;
			}
	for (size_t i = 0; rc == LM_OK && i < nv->n_skills; i++) {
		const lmi_need_skill *ns = &nv->skills[i];

		allopt &= ns->optional;
		any |= d->skills[i].covered;
		if (!d->skills[i].covered && !ns->optional)
			rc = add_reason(d, lmi_strf("no member has %s (or a related "
			                           "skill) at level %d or above",
			                           cat->skills.v[ns->skill].id,
			                           ns->min_level));
	}
	if (rc == LM_OK && allopt && !any)
		rc = add_reason(d, lmi_strf("no member has any of the need's skills "
		                           "at the level asked (every one is "
		                           "optional; at least one is needed)"));
	for (int j = 0; j < m; j++)
		spoken |= speaks[j];
	if (rc == LM_OK && nv->language && !spoken)
		rc = add_reason(d, lmi_strf("no member speaks %s", nv->language));
	return rc;
}

int lmi_team_detail_build(lmi_scorer *sc, const lmi_need_view *nv,
                          int team_max, double penalty,
                          const uint32_t *experts, int m,
                          lmi_team_detail *d)
{
	lm_catalog *cat = lmi_scorer_catalog(sc);
	lmi_eval ev[LMI_TEAM_MAX];
	bool speaks[LMI_TEAM_MAX], ok[LMI_TEAM_MAX], all_ok = true;
	int j, built = 0, rc = LM_ENOMEM;
	double score = 0.0;

	memset(d, 0, sizeof *d);
	d->cat = cat;
	if (m < 1 || m > LMI_TEAM_MAX)
		return lmi_err_set(&cat->err, LM_EINVAL,
		                  "a team has 1 to %d members", LMI_TEAM_MAX);
	d->skills = calloc(nv->n_skills ? nv->n_skills : 1, sizeof *d->skills);
	if (!d->skills)
		goto cleanup;
	d->n_skills = nv->n_skills;
	for (j = 0; j < m; j++, built++) {
		if (lmi_score_full(sc, nv, experts[j], &ev[j]) != LM_OK)
			goto cleanup;
		speaks[j] = !nv->language ||
		            lmi_expert_speaks(cat, experts[j], nv->language);
		if (member_reasons(d, &ev[j], experts[j], &ok[j]))
			goto cleanup;
		all_ok &= ok[j];
		fill_member(&ev[j], speaks[j], ok[j], &d->members[j]);
	}
	fill_skills(nv, ev, m, experts, d);
	if (team_reasons(d, nv, team_max, experts, m, speaks))
		goto cleanup;
	d->feasible = all_ok && d->n_reasons == 0;
	score_of(nv, ev, speaks, m, -1, penalty, &d->team.components, &score);
	d->team.score = d->feasible ? score : 0.0;
	d->team.member_count = (size_t)m;
	d->team.penalty_points = penalty * (double)(m - 1);
	for (j = 0; j < m; j++) {
		double s2;

		if (ev[j].match.distance_km > d->team.distance_km)
			d->team.distance_km = ev[j].match.distance_km;
		d->members[j].needed =
		    d->feasible &&
		    (m == 1 || !score_of(nv, ev, speaks, m, j, penalty, NULL, &s2) ||
		     s2 < score);
	}
	d->m = m;
	rc = LM_OK;
cleanup:
	for (j = 0; j < built; j++)
		lmi_eval_free(&ev[j]);
	if (rc != LM_OK) {
		lmi_team_detail_free(d);
		return lmi_err_set(&cat->err, rc, "out of memory");
	}
	return LM_OK;
}

/* ---- lm_team_explain ----------------------------------------------------- */

static int resolve_members(lm_catalog *cat, const char *const *ids, size_t n,
                           uint32_t *experts)
{
	if (!ids || n < 1 || n > LMI_TEAM_MAX)
		return lmi_err_set(&cat->err, LM_EINVAL,
		                  "a team has 1 to %d experts, not %zu",
		                  LMI_TEAM_MAX, ids ? n : (size_t)0);
	for (size_t j = 0; j < n; j++) {
		int rc;

		if (!ids[j])
			return lmi_err_set(&cat->err, LM_EINVAL, "no expert id given");
		if ((rc = lmi_catalog_find_ix(cat, LM_EXPERT, ids[j], &experts[j])))
			return rc;
	}
	return LM_OK;
}

LM_EXTERN int lm_team_explain(lm_catalog *cat, const char *need_id,
                              const char *const *expert_ids, size_t n,
                              const lm_match_options *opts,
                              lm_team_explanation **out)
{
	uint32_t experts[LMI_TEAM_MAX], need;
	lmi_scorer *sc = NULL;
	lmi_need_view nv;
	lm_team_explanation *x = NULL;
	int rc;

	memset(&nv, 0, sizeof nv);
	if (out)
		*out = NULL;
	if ((rc = lmi_catalog_enter(cat, true, out && need_id, "a need id, "
	                            "experts and an output are required")) ||
	    (rc = lmi_catalog_find_ix(cat, LM_NEED, need_id, &need)) ||
	    (rc = resolve_members(cat, expert_ids, n, experts)))
		return rc;
	if ((rc = lmi_scorer_view_new(cat, opts, need, NULL, &sc, &nv)))
		goto cleanup;
	if (!(x = calloc(1, sizeof *x))) {
		rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	rc = lmi_team_detail_build(sc, &nv, cat->r.need_team[need],
	                           cat->settings.team_penalty, experts, (int)n,
	                           &x->d);
	if (rc == LM_OK) {
		*out = x;
		x = NULL;
	}
cleanup:
	free(x);
	lmi_scorer_view_free(sc, &nv);
	return rc;
}

LM_EXTERN int lm_team_explanation_feasible(const lm_team_explanation *e)
{
	return e && e->d.feasible;
}

LM_EXTERN const lm_team *lm_team_explanation_team(const lm_team_explanation *e)
{
	return e ? &e->d.team : NULL;
}

LM_EXTERN const lm_team_member *
lm_team_explanation_member(const lm_team_explanation *e, size_t j)
{
	return e && j < (size_t)e->d.m ? &e->d.members[j] : NULL;
}

LM_EXTERN size_t lm_team_explanation_skill_count(const lm_team_explanation *e)
{
	return e ? e->d.n_skills : 0;
}

LM_EXTERN const lm_team_skill *
lm_team_explanation_skill(const lm_team_explanation *e, size_t s)
{
	return e && s < e->d.n_skills ? &e->d.skills[s] : NULL;
}

LM_EXTERN size_t lm_team_explanation_reason_count(const lm_team_explanation *e)
{
	return e ? e->d.n_reasons : 0;
}

LM_EXTERN const char *lm_team_explanation_reason(const lm_team_explanation *e,
                                                 size_t i)
{
	return e && i < e->d.n_reasons ? e->d.reasons[i] : NULL;
}

LM_EXTERN void lm_team_explanation_free(lm_team_explanation *e)
{
	if (!e)
		return;
	lmi_team_detail_free(&e->d);
	free(e);
}
