/* SPDX-License-Identifier: MIT */
/*
 * plan_team.c -- the quarter's plan when some open needs take teams: the
 * team needs' candidates and exact pricing (team.c) as the oracle of the
 * branch-and-price search (teamplan.c), the teams it chooses in the
 * plan, and why a team need got none.  plan.c does the rest; plans
 * without open team needs never come here (docs/planning.md).
 *
 * A team's integer weight is round(score * WEIGHT_SCALE), as a pair's;
 * the oracle gets the search's prices (weight units) in points, so the
 * team it returns maximises score - prices exactly as team.c computes
 * it, and for integer prices its rounded weight minus the prices is
 * the largest too (rounding commutes with subtracting integers).
 */
#include "engine/plan.h"
#include "engine/lp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int lmi_plan_teams_prepare(planning *w)
{
	w->team_need = calloc(w->n_team + 1, sizeof(uint32_t));
	w->tn = calloc(w->n_team + 1, sizeof(lmi_team_need));
	w->tres = calloc(w->n_team + 1, sizeof(lmi_tp_team));
	w->tprice = calloc(w->ne + 1, sizeof(double));
	if (!w->team_need || !w->tn || !w->tres || !w->tprice)
		return LM_ENOMEM;
	for (uint32_t i = 0; i < w->nn; i++) {
		uint32_t t = w->team_of[i];
		if (t == LM_NONE)
			continue;
		w->team_need[t] = i;
		int rc = lmi_team_need_prepare(w->sc, i, &w->tn[t]);
		if (rc)
			return rc;
	}
	return LM_OK;
}

void lmi_plan_teams_free(planning *w)
{
	if (w->tn)
		for (size_t t = 0; t < w->n_team; t++)
			lmi_team_need_free(&w->tn[t]);
	free(w->tn);
	free(w->team_need);
	free(w->tres);
	free(w->tprice);
	free(w->team_of);
	w->tn = NULL;
}

/* The members of team `tm` as expert indices, ascending. */
static void team_members(const lmi_team_need *tn, const lmi_team *tm,
                         lmi_tp_team *out)
{
	out->m = tm->m;
	for (int i = 0; i < tm->m; i++) {
		uint32_t e = tn->cand[tm->pos[i]];
		int at = i;
		while (at > 0 && out->member[at - 1] > e) {
			out->member[at] = out->member[at - 1];
			at--;
		}
		out->member[at] = e;
	}
}

/* teamplan.h's oracle over team.c's exact pricing. */
static int oracle(void *ctx, uint32_t t, const double *price,
                  const uint8_t *state, lmi_tp_team *out, bool *found)
{
	planning *w = ctx;
	const lmi_team_need *tn = &w->tn[t];
	/* team.c reads the prices of the candidates only. */
	if (price)
		for (uint32_t c = 0; c < tn->n_cand; c++)
			w->tprice[tn->cand[c]] = price[tn->cand[c]] / WEIGHT_SCALE;
	lmi_team tm;
	*found = lmi_team_best(tn, price ? w->tprice : NULL, state, &tm);
	if (!*found)
		return LM_OK;
	team_members(tn, &tm, out);
	out->weight = llround(tm.score * WEIGHT_SCALE);
	return LM_OK;
}

int lmi_plan_teams_solve(planning *w)
{
	lm_catalog *cat = w->cat;
	w->chosen = calloc(w->n_edges + 1, 1);
	if (!w->chosen)
		return LM_ENOMEM;
	double limit = w->time_limit;
	lmi_tp_problem pb = {
		.n_experts = w->ne, .capacity = w->cap,
		.base_load = w->com.per_expert, .n_needs = w->nn,
		.demand = w->demand, .edges = w->edges, .n_edges = w->n_edges,
		.n_teams = w->n_team, .price = oracle, .ctx = w,
		.time_limit = limit == 0 ? LM_PLAN_TIME_LIMIT : limit};
	lmi_tp_result res = {.chosen = w->chosen, .team = w->tres};
	int rc = lmi_tp_solve(&pb, &res);
	if (rc == LM_EINFEASIBLE)
		return lmi_err_set(&cat->err, rc, "the pins ask more of a need or "
		                   "an expert than its open demand or remaining "
		                   "capacity");
	if (rc == LM_ENOMEM)
		return rc;
	const char *no_lp = rc == LM_ERROR ? lmi_lp_unavailable() : NULL;
	if (no_lp)
		return lmi_err_set(&cat->err, rc, "planning with team needs takes "
		                   "COIN-OR CLP, which could not be loaded (%s); "
		                   "install coinor-libclp1", no_lp);
	if (rc)
		return lmi_err_set(&cat->err, rc, "planning with teams failed: %s",
		                   rc == LM_ERROR ? "the LP solver gave up"
		                                  : lm_strerror(rc));
	w->p->proven = res.proven;
	/* The bound in points, against the exact total recorded later. */
	w->p->bound = (double)(res.bound - res.value) / WEIGHT_SCALE;
	return LM_OK;
}

/* The position of expert e among need t's candidates. */
static uint32_t cand_pos(const lmi_team_need *tn, uint32_t e)
{
	uint32_t c = 0;
	while (c < tn->n_cand && tn->cand[c] != e)
		c++;
	return c;
}

/* Team t of the plan into p->teams[p->n_teams] and its members. */
static void record_team(planning *w, uint32_t t, size_t *at_member)
{
	lm_catalog *cat = w->cat;
	lm_plan *p = w->p;
	const lmi_team_need *tn = &w->tn[t];
	const lmi_tp_team *tm = &w->tres[t];
	uint32_t i = w->team_need[t], pos[LMI_TEAM_MAX];
	uint32_t co = cat->r.need_company[i];
	uint32_t gn = cat->r.company_garden[co];
	lm_team_assignment *pt = &p->teams[p->n_teams];
	p->member_first[p->n_teams++] = *at_member;
	pt->need = cat->needs.v[i].id;
	pt->company = cat->companies.v[co].id;
	pt->need_garden = gn != LM_NONE ? cat->gardens.v[gn].id : NULL;
	pt->n_members = (size_t)tm->m;
	for (int m = 0; m < tm->m; m++) {
		uint32_t e = tm->member[m], ge = cat->r.expert_garden[e];
		pos[m] = cand_pos(tn, e);
		double km = tn->km[pos[m]];
		p->members[(*at_member)++] = (lm_plan_member){
			cat->experts.v[e].id, cat->experts.v[e].name,
			cat->gardens.v[ge].id, km};
		if (km > pt->distance_km)
			pt->distance_km = km;
		lmi_plan_count_engagement(w, e, ge, gn);
	}
	/* The exact score, as team.c computes it (the weight is rounded). */
	double score = 0;
	(void)lmi_team_score(tn, pos, tm->m, &score);
	pt->score = score;
	p->total += score;
}

int lmi_plan_teams_record(planning *w)
{
	lm_plan *p = w->p;
	size_t n_members = 0;
	for (size_t t = 0; t < w->n_team; t++)
		n_members += (size_t)w->tres[t].m;
	p->teams = calloc(w->n_team + 1, sizeof(*p->teams));
	p->member_first = calloc(w->n_team + 1, sizeof(size_t));
	p->members = calloc(n_members + 1, sizeof(*p->members));
	if (!p->teams || !p->member_first || !p->members)
		return LM_ENOMEM;
	size_t at = 0;
	for (uint32_t t = 0; t < w->n_team; t++)
		if (w->tres[t].m)
			record_team(w, t, &at);
	p->bound += p->total;
	return LM_OK;
}

/* ---- why a team need got no team ------------------------------------------ */

/* The rules no team within reach can meet: each required skill that no
 * candidate has at its level, the language nobody speaks. */
static void explain_no_team(planning *w, const lmi_team_need *tn,
                            lmi_buf *d, lmi_buf *f)
{
	lm_catalog *cat = w->cat;
	const lmi_need_view *nv = &tn->nv;
	bool any = false;
	if (!tn->n_cand)
		lmi_buf_printf(d, "no expert within reach passes the rules every "
		               "member must (distance, remote work, conflicts of "
		               "interest) and has one of the skills");
	for (uint32_t s = 0; s < nv->n_skills && tn->n_cand; s++) {
		if (nv->skills[s].optional)
			continue;
		bool covered = false;
		for (uint32_t c = 0; c < tn->n_cand && !covered; c++)
			covered = tn->covers[(size_t)c * nv->n_skills + s];
		if (covered)
			continue;
		lmi_buf_printf(d, "%sno team of up to %d covers %s: nobody within "
		               "reach has it at level >= %d", any ? "; " : "",
		               tn->team_max, cat->skills.v[nv->skills[s].skill].id,
		               nv->skills[s].min_level);
		any = true;
	}
	bool speaks = !nv->language;
	for (uint32_t c = 0; c < tn->n_cand && !speaks; c++)
		speaks = tn->speaks[c];
	if (!speaks && tn->n_cand) {
		lmi_buf_printf(d, "%snobody within reach speaks %s", any ? "; " : "",
		               nv->language);
		any = true;
	}
	if (!any && tn->n_cand)
		lmi_buf_printf(d, "no team of up to %d experts within reach covers "
		               "every required skill together", tn->team_max);
	lmi_buf_printf(f, "relax a skill level, mark a skill optional, allow "
	               "remote work or a longer travel, raise the team size, "
	               "or recruit the skill");
}

/* The best team (capacity ignored) and who of it is fully booked. */
static void explain_booked(planning *w, const lmi_team_need *tn,
                           const lmi_team *best, lmi_buf *d, lmi_buf *f)
{
	lm_catalog *cat = w->cat;
	lmi_tp_team tm;
	team_members(tn, best, &tm);
	lmi_buf_printf(d, "the best team (");
	for (int m = 0; m < tm.m; m++)
		lmi_buf_printf(d, "%s%s", m ? ", " : "",
		               cat->experts.v[tm.member[m]].id);
	lmi_buf_printf(d, "; score %.1f) needs ", best->score);
	int n_full = 0;
	uint32_t first = 0;
	for (int m = 0; m < tm.m; m++) {
		uint32_t e = tm.member[m];
		int total = cat->r.expert_capacity[e];
		int used = total - w->cap[e] + w->load[e];
		if (w->load[e] < w->cap[e])
			continue;
		if (!n_full++)
			first = e;
		lmi_buf_printf(d, "%s%s (%d/%d engagements)", n_full > 1 ? ", " : "",
		               cat->experts.v[e].id, used, total);
	}
	if (n_full) {
		lmi_buf_printf(d, ", fully booked by better pairs or teams");
		lmi_buf_printf(f, "raise the capacity of %s, or release one of its "
		               "engagements", cat->experts.v[first].id);
	} else {
		lmi_buf_printf(d, "experts whose capacity gives more elsewhere");
		lmi_buf_printf(f, "raise the capacity of the team's members");
	}
}

int lmi_plan_team_explain(planning *w, uint32_t i, lm_unassigned *u)
{
	const lmi_team_need *tn = &w->tn[w->team_of[i]];
	lmi_buf d = {0}, f = {0};
	lmi_team best;
	u->need = w->cat->needs.v[i].id;
	u->missing = 1;
	if (!lmi_team_best(tn, NULL, NULL, &best)) {
		u->reason = "no feasible team";
		explain_no_team(w, tn, &d, &f);
	} else if (llround(best.score * WEIGHT_SCALE) <= 0) {
		u->reason = "no feasible team";
		lmi_buf_printf(&d, "the best team scores %.1f, which adds nothing",
		               best.score);
		lmi_buf_printf(&f, "lower settings.team_penalty, or relax the "
		               "need's skills or distance");
	} else {
		u->reason = "capacity spent";
		explain_booked(w, tn, &best, &d, &f);
	}
	u->detail = lmi_buf_take(&d);
	u->fix = lmi_buf_take(&f);
	return u->detail && u->fix ? LM_OK : LM_ENOMEM;
}
