/* SPDX-License-Identifier: MIT */
/*
 * plan.c -- the quarter's plan: turns the catalogue's open needs and the
 * experts' remaining capacity into a b-matching problem for flow.c, and
 * explains the result: the assignments, why each open need stayed open
 * and what would fix it, and how much the gardens shared their experts.
 *
 * Scores become integer weights round(score * 10^4) for the exact solver,
 * so the plan is optimal to 1/10,000 of a score point; the reported
 * total is the sum of the chosen pairs' exact scores.
 */
#include "engine/plan.h"
#include "engine/lifecycle.h"
#include "engine/options.h"
#include "engine/rank.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DETAIL_CANDIDATES 3 /* experts named in an unassigned need's detail */


const char *lm_plan_period(const lm_plan *p) { return p ? p->period : NULL; }
uint64_t lmi_plan_data_version(const lm_plan *p) { return p ? p->data_version : 0; }
double lm_plan_total_score(const lm_plan *p) { return p ? p->total : 0; }
size_t lm_plan_assignment_count(const lm_plan *p) { return p ? p->n_asg : 0; }
size_t lm_plan_unassigned_count(const lm_plan *p) { return p ? p->n_open : 0; }
size_t lm_plan_garden_count(const lm_plan *p) { return p ? p->n_gardens : 0; }

const lm_assignment *lm_plan_assignment(const lm_plan *p, size_t i)
{
	return p && i < p->n_asg ? &p->asg[i] : NULL;
}

const lm_unassigned *lm_plan_unassigned(const lm_plan *p, size_t i)
{
	return p && i < p->n_open ? &p->open[i] : NULL;
}

const lm_garden_report *lm_plan_garden(const lm_plan *p, size_t i)
{
	return p && i < p->n_gardens ? &p->gardens[i] : NULL;
}

size_t lm_plan_left_out_count(const lm_plan *p) { return p ? p->n_left : 0; }

const lm_left_out *lm_plan_left_out(const lm_plan *p, size_t i)
{
	return p && i < p->n_left ? &p->left[i] : NULL;
}

size_t lm_plan_team_count(const lm_plan *p) { return p ? p->n_teams : 0; }
int lm_plan_proven(const lm_plan *p) { return p ? p->proven : 0; }
double lm_plan_bound(const lm_plan *p) { return p ? p->bound : 0; }

const lm_team_assignment *lm_plan_team(const lm_plan *p, size_t i)
{
	return p && i < p->n_teams ? &p->teams[i] : NULL;
}

const lm_plan_member *lm_plan_team_member(const lm_plan *p, size_t i,
                                          size_t j)
{
	if (!p || i >= p->n_teams || j >= p->teams[i].n_members)
		return NULL;
	return &p->members[p->member_first[i] + j];
}

void lm_plan_free(lm_plan *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_open; i++) {
		free((char *)p->open[i].detail);
		free((char *)p->open[i].fix);
	}
	free(p->open);
	free(p->asg);
	free(p->gardens);
	free(p->left);
	free(p->teams);
	free(p->members);
	free(p->member_first);
	free(p);
}


static int committed_build(const lm_catalog *cat, const char *period,
                           committed *c)
{
	memset(c, 0, sizeof(*c));
	c->per_need = calloc(cat->needs.n + 1, sizeof(int));
	c->per_expert = calloc(cat->experts.n + 1, sizeof(int));
	c->keys = malloc(cat->engagements.n * 24 + 1);
	if (!c->per_need || !c->per_expert || !c->keys)
		return LM_ENOMEM;
	for (size_t i = 0; i < cat->engagements.n; i++) {
		uint32_t n = cat->r.eng_need[i], e = cat->r.eng_expert[i];
		c->per_need[n]++;
		if (!strcmp(cat->engagements.v[i].period, period))
			c->per_expert[e]++;
		char *k = c->keys + i * 24;
		snprintf(k, 24, "%u\x1f%u", n, e);
		if (lmi_map_put(&c->pairs, k, 1))
			return LM_ENOMEM;
	}
	return LM_OK;
}

static bool committed_pair(const committed *c, uint32_t n, uint32_t e)
{
	if (!c->pairs.len)
		return false;
	char k[24];
	snprintf(k, sizeof(k), "%u\x1f%u", n, e);
	return lmi_map_get(&c->pairs, k, NULL);
}

static void committed_free(committed *c)
{
	free(c->per_need);
	free(c->per_expert);
	free(c->keys);
	lmi_map_free(&c->pairs);
}

/* Which rules does expert e break for the need?  Bits of these: */
enum { BR_DISTANCE = 1, BR_REMOTE = 2, BR_SKILL = 4, BR_LANGUAGE = 8,
       BR_CONFLICT = 16 };

static unsigned broken_rules(const lm_catalog *cat, const lmi_need_view *nv,
                             uint32_t e, const lmi_eval *ev)
{
	unsigned b = 0;
	if (nv->mode != LM_REMOTE && ev->match.distance_km > ev->limit_km)
		b |= BR_DISTANCE;
	if (nv->mode != LM_ONSITE && !cat->r.expert_remote[e])
		b |= BR_REMOTE;
	if (nv->language && !lmi_expert_speaks(cat, e, nv->language))
		b |= BR_LANGUAGE;
	if (nv->company != LM_NONE)
		for (uint32_t k = cat->r.expert_conflict_off[e];
		     k < cat->r.expert_conflict_off[e + 1]; k++)
			if (cat->r.expert_conflict[k] == nv->company)
				b |= BR_CONFLICT;
	/* Whatever the named rules do not account for is a skill rule. */
	size_t named = 0;
	for (unsigned bit = 1; bit <= BR_CONFLICT; bit <<= 1)
		named += (b & bit) != 0;
	if (ev->n_reasons > named)
		b |= BR_SKILL;
	return b;
}

/* The experts closest to qualifying for a need, best first: those who
 * break the fewest of its hard requirements (each rule broken and each
 * skill missed counts one), then the nearest, then by id. */
typedef struct nearest {
	uint32_t e[DETAIL_CANDIDATES];
	size_t misses[DETAIL_CANDIDATES];
	double km[DETAIL_CANDIDATES];
	size_t n;
} nearest;

static bool nearer(size_t misses, double km, const nearest *c, size_t k)
{
	if (misses != c->misses[k])
		return misses < c->misses[k];
	return km < c->km[k]; /* equal: the earlier expert (id order) stays */
}

/* Offer infeasible expert e, who breaks `misses` requirements at `km`. */
static void nearest_offer(nearest *c, uint32_t e, size_t misses, double km)
{
	size_t at = c->n;
	while (at > 0 && nearer(misses, km, c, at - 1))
		at--;
	if (at >= DETAIL_CANDIDATES)
		return;
	size_t last = c->n < DETAIL_CANDIDATES ? c->n : DETAIL_CANDIDATES - 1;
	for (size_t k = last; k > at; k--) {
		c->e[k] = c->e[k - 1];
		c->misses[k] = c->misses[k - 1];
		c->km[k] = c->km[k - 1];
	}
	c->e[at] = e;
	c->misses[at] = misses;
	c->km[at] = km;
	if (c->n < DETAIL_CANDIDATES)
		c->n++;
}

/* The detail and fix for a need that the hard rules keep the experts
 * from: "no feasible expert", or "too few feasible experts", when `prefix`
 * (may be NULL) says how many it got.  Names the experts closest to
 * qualifying (nearest_offer) and, as the fix, the rule most often
 * standing alone. */
static int explain_infeasible(lmi_scorer *sc, lm_catalog *cat,
                              const lmi_need_view *nv, const char *prefix,
                              lm_unassigned *u)
{
	size_t n = cat->experts.n;
	/* The closest candidates, and the single rule that most often
	 * stands alone between the need and an expert, from one look at
	 * every expert. */
	nearest near = {.n = 0};
	size_t alone[5] = {0};
	uint32_t alone_ex[5];
	lmi_buf d = {0}, f = {0};
	int rc = LM_OK;
	for (uint32_t e = 0; e < n; e++) {
		lmi_eval ev;
		/* A retired expert is nobody's candidate. */
		if (lmi_expert_is_retired(&cat->r, e))
			continue;
		if ((rc = lmi_score_full(sc, nv, e, &ev)))
			goto done;
		/* Feasible experts are not candidates that something
		 * excludes. */
		if (!ev.feasible)
			nearest_offer(&near, e, ev.n_reasons, ev.match.distance_km);
		unsigned b = broken_rules(cat, nv, e, &ev);
		lmi_eval_free(&ev);
		for (int bit = 0; bit < 5; bit++)
			if (b == (1u << bit) && alone[bit]++ == 0)
				alone_ex[bit] = e;
	}
	if (prefix)
		lmi_buf_printf(&d, "%s", prefix);
	for (size_t k = 0; k < near.n; k++) {
		lmi_eval ev;
		if ((rc = lmi_score_full(sc, nv, near.e[k], &ev)))
			goto done;
		lmi_buf_printf(&d, "%s%s (%.0f km): ", k ? "; " : "nearest candidates: ",
		       cat->experts.v[near.e[k]].id, ev.match.distance_km);
		for (size_t r = 0; r < ev.n_reasons; r++)
			lmi_buf_printf(&d, "%s%s", r ? " / " : "", ev.reasons[r]);
		lmi_eval_free(&ev);
	}
	static const char *const fixes[5] = {
		"allow remote or hybrid work, or raise the travel limit",
		"let the need be done on site (mode onsite)",
		"relax a skill level, mark a skill optional, or recruit the skill",
		"drop the language requirement",
		"find an expert without a conflict of interest"};
	bool any = false;
	for (int bit = 0; bit < 5; bit++) {
		if (!alone[bit])
			continue;
		lmi_buf_printf(&f, "%s%s (%zu %s only this rule, e.g. %s)",
		       any ? "; or " : "", fixes[bit], alone[bit],
		       alone[bit] == 1 ? "expert misses" : "experts miss",
		       cat->experts.v[alone_ex[bit]].id);
		any = true;
	}
	if (!any)
		lmi_buf_printf(&f, "no expert misses by only one rule: relax the need's "
		           "skills or distance, or recruit an expert for it");
done:
	u->detail = lmi_buf_take(&d);
	u->fix = lmi_buf_take(&f);
	if (!rc && (!u->detail || !u->fix))
		rc = LM_ENOMEM;
	return rc;
}

/* The detail and fix for a need whose feasible experts are all taken. */
static int explain_capacity(lm_catalog *cat, const lmi_flow_edge *edges,
                            const double *scores, const uint8_t *chosen,
                            size_t first, size_t last, const int *cap_left,
                            const int *load, lm_unassigned *u)
{
	lmi_buf d = {0}, f = {0};
	/* The best-scoring feasible experts this need did not get. */
	size_t best[DETAIL_CANDIDATES], nb = 0, n_other = 0;
	for (size_t k = first; k < last; k++) {
		/* A pair of weight 0 (score 0) is not one the plan could use. */
		if (chosen[k] || !edges[k].weight)
			continue;
		n_other++;
		size_t at = nb;
		while (at > 0 && scores[best[at - 1]] < scores[k])
			at--;
		if (at >= DETAIL_CANDIDATES)
			continue;
		size_t end = nb < DETAIL_CANDIDATES ? nb : DETAIL_CANDIDATES - 1;
		for (size_t j = end; j > at; j--)
			best[j] = best[j - 1];
		best[at] = k;
		if (nb < DETAIL_CANDIDATES)
			nb++;
	}
	lmi_buf_printf(&d, "%zu more feasible expert%s, all fully booked: ", n_other,
	       n_other == 1 ? "" : "s");
	for (size_t j = 0; j < nb; j++) {
		uint32_t e = edges[best[j]].expert;
		int total = cat->r.expert_capacity[e];
		int used = total - cap_left[e] + load[e];
		lmi_buf_printf(&d, "%s%s (score %.1f, %d/%d engagements)", j ? ", " : "",
		       cat->experts.v[e].id, scores[best[j]], used, total);
	}
	if (nb)
		lmi_buf_printf(&f, "raise the capacity of %s, or release one of its "
		           "engagements", cat->experts.v[edges[best[0]].expert].id);
	u->detail = lmi_buf_take(&d);
	u->fix = lmi_buf_take(&f);
	return u->detail && u->fix ? LM_OK : LM_ENOMEM;
}


static int planning_init(planning *w, lm_catalog *cat,
                         const lm_match_options *opts, double time_limit)
{
	memset(w, 0, sizeof(*w));
	w->time_limit = time_limit;
	w->cat = cat;
	w->opts = &w->o;
	int rc = lmi_match_options_norm(&cat->err, opts, &w->o);
	if (rc)
		return rc;
	w->nn = cat->needs.n;
	w->ne = cat->experts.n;
	w->p = calloc(1, sizeof(*w->p));
	w->demand = calloc(w->nn + 1, sizeof(int));
	w->cap = calloc(w->ne + 1, sizeof(int));
	w->load = calloc(w->ne + 1, sizeof(int));
	w->first = calloc(w->nn + 1, sizeof(size_t));
	w->team_of = calloc(w->nn + 1, sizeof(uint32_t));
	if (w->p)
		w->p->left = calloc(w->nn + 1, sizeof(*w->p->left));
	if (!w->p || !w->p->left || !w->demand || !w->cap || !w->load ||
	    !w->first || !w->team_of)
		return LM_ENOMEM;
	w->p->proven = 1;
	if ((rc = lmi_scorer_new(cat, w->opts, &w->sc)))
		return rc;
	snprintf(w->p->period, sizeof(w->p->period), "%s",
	         lmi_scorer_period(w->sc));
	w->p->data_version = cat->data_version;
	if ((rc = committed_build(cat, w->p->period, &w->com)))
		return rc;
	for (uint32_t e = 0; e < w->ne; e++)
		w->cap[e] = lmi_scorer_capacity_left(w->sc, e);
	return LM_OK;
}

static void planning_free(planning *w)
{
	lmi_plan_teams_free(w);
	committed_free(&w->com);
	lmi_scorer_free(w->sc);
	lm_plan_free(w->p);
	free(w->demand);
	free(w->cap);
	free(w->load);
	free(w->first);
	free(w->edges);
	free(w->scores);
	free(w->kms);
	free(w->chosen);
}

/* Room for one more edge: the edge arrays double together. */
static int edges_reserve(planning *w)
{
	if (w->n_edges < w->cap_edges)
		return LM_OK;
	size_t nc = w->cap_edges ? w->cap_edges * 2 : 1024;
	if (!LMI_RESIZE(w->edges, nc) || !LMI_RESIZE(w->scores, nc) ||
	    !LMI_RESIZE(w->kms, nc))
		return LM_ENOMEM;
	w->cap_edges = nc;
	return LM_OK;
}

/* The edges of open need i, whose view is nv: its feasible pairs not yet
 * committed in the period. */
static int add_need_edges(planning *w, uint32_t i, const lmi_need_view *nv)
{
	/* Candidates come in index order: edges stay in (need, expert)
	 * order, as with a scan of every expert. */
	const uint32_t *list;
	size_t n_scan;
	int rc;
	if ((rc = lmi_candidates(w->sc, nv, &list, &n_scan)))
		return rc;
	if (!list)
		n_scan = w->ne;
	for (size_t c = 0; c < n_scan; c++) {
		uint32_t e = list ? list[c] : (uint32_t)c;
		double s, km;
		if (!lmi_score_fast(w->sc, nv, e, &s, &km) ||
		    committed_pair(&w->com, i, e))
			continue;
		if ((rc = edges_reserve(w)))
			return rc;
		/* A pair that scores anything is worth at least one unit,
		 * so that one scoring nearly 0 still fills a need no one
		 * else can (the total moves by at most 1/10,000 a pair); one
		 * that scores 0 adds nothing and has weight 0, which the
		 * solver never chooses unless it is pinned (flow.h): leaving
		 * the need open is better for the spread of the load. */
		long long wt = llround(s * WEIGHT_SCALE);
		w->edges[w->n_edges] = (lmi_flow_edge){i, e,
		                                       wt > 0 ? wt : s > 0 ? 1 : 0,
		                                       false};
		w->scores[w->n_edges] = s;
		w->kms[w->n_edges] = km;
		w->n_edges++;
	}
	return LM_OK;
}

/* Every feasible pair of an open need is an edge. */
static int build_edges(planning *w)
{
	lm_catalog *cat = w->cat;
	const lm_match_options *opts = w->opts;
	lmi_need_view nv;
	memset(&nv, 0, sizeof(nv));
	int rc = LM_OK;
	for (uint32_t i = 0; i < w->nn; i++) {
		int d = cat->needs.v[i].experts - w->com.per_need[i];
		const char *why = lmi_need_left_out(cat, i,
		                                    lmi_scorer_quarter(w->sc),
		                                    w->com.per_need[i]);
		w->demand[i] = d > 0 && !why ? d : 0;
		w->first[i] = w->n_edges;
		if (why)
			w->p->left[w->p->n_left++] =
				(lm_left_out){cat->needs.v[i].id, why};
		w->team_of[i] = LM_NONE;
		/* A team need takes one team, planned by plan_team.c: no
		 * pairs, and no demand for the pairs' solver. */
		if (cat->r.need_team[i] > 1) {
			if (w->demand[i])
				w->team_of[i] = (uint32_t)w->n_team++;
			w->demand[i] = 0;
			continue;
		}
		if (!w->demand[i])
			continue;
		if ((rc = lmi_need_view_stored(w->sc, i, &nv)) ||
		    (rc = add_need_edges(w, i, &nv)))
			goto done;
		lmi_need_view_free(&nv);
		if (opts->progress && (i + 1) % 64 == 0 &&
		    opts->progress("scoring", i + 1, w->nn, opts->progress_ctx)) {
			rc = lmi_err_set(&cat->err, LM_ECANCELED, "planning was "
			                "canceled by the progress callback");
			goto done;
		}
	}
	w->first[w->nn] = w->n_edges;
done:
	lmi_need_view_free(&nv);
	return rc;
}

/* Why expert ei cannot be pinned to open need ni, which has no edge to it:
 * the rules it breaks, or its commitment in the period.  LM_EINFEASIBLE
 * with the message in cat->err, or the failure that prevented it. */
static int pin_refused(planning *w, uint32_t ni, uint32_t ei)
{
	lm_catalog *cat = w->cat;
	lmi_need_view nv;
	lmi_eval ev;
	int rc;
	if ((rc = lmi_need_view_stored(w->sc, ni, &nv)))
		return rc;
	if ((rc = lmi_score_full(w->sc, &nv, ei, &ev))) {
		lmi_need_view_free(&nv);
		return rc;
	}
	lmi_need_view_free(&nv);
	lmi_buf why = {0};
	for (size_t r = 0; r < ev.n_reasons; r++)
		lmi_buf_printf(&why, "%s%s", r ? "; " : "", ev.reasons[r]);
	if (!ev.n_reasons)
		lmi_buf_printf(&why, "it is already committed in %s", w->p->period);
	lmi_eval_free(&ev);
	char *wh = lmi_buf_take(&why);
	rc = lmi_err_set(&cat->err, LM_EINFEASIBLE,
	                "cannot pin %s to %s: %s", cat->experts.v[ei].id,
	                cat->needs.v[ni].id, wh ? wh : "infeasible");
	free(wh);
	return rc;
}

/* Pin (ni, ei) is the first to ask more of the expert's capacity or the
 * need's demand than the period has left (`pe` and `pn` count the pins
 * so far, this one included): say which, with the numbers. */
static int pin_over(planning *w, size_t ni, size_t ei, int pe, int pn)
{
	lm_catalog *cat = w->cat;
	const char *e = cat->experts.v[ei].id, *n = cat->needs.v[ni].id;
	if (pe > w->cap[ei])
		return lmi_err_set(&cat->err, LM_EINFEASIBLE,
		                  "cannot pin %s to %s: the pins give %s %d "
		                  "engagement%s in %s, and %d %s left (capacity "
		                  "%d, %d committed)", e, n, e, pe,
		                  pe == 1 ? "" : "s", w->p->period,
		                  w->cap[ei], w->cap[ei] == 1 ? "is" : "are",
		                  cat->r.expert_capacity[ei],
		                  w->com.per_expert[ei]);
	return lmi_err_set(&cat->err, LM_EINFEASIBLE,
	                  "cannot pin %s to %s: the pins give %s %d experts in "
	                  "%s, and it lacks only %d", e, n, n, pn,
	                  w->p->period, w->demand[ni]);
}

/* One pin of apply_pins; pe and pn count the pins of each expert and
 * need so far. */
static int apply_pin(planning *w, const lm_pin *pin, size_t k, int *pe,
                     int *pn)
{
	lm_catalog *cat = w->cat;
	int rc;
	size_t ni, ei;
	if (!pin->need || !pin->expert)
		return lmi_err_set(&cat->err, LM_EINVAL, "pin %zu lacks "
		                  "its %s", k + 1, pin->need ? "expert"
		                                             : "need");
	if ((rc = lm_catalog_find(cat, LM_NEED, pin->need, &ni)) ||
	    (rc = lm_catalog_find(cat, LM_EXPERT, pin->expert, &ei)))
		return rc;
	if (cat->r.need_team[ni] > 1)
		return lmi_err_set(&cat->err, LM_EINFEASIBLE,
		                  "cannot pin %s to %s: it is a team need "
		                  "(team: %d), which the plan gives a team; "
		                  "pins name needs of one expert",
		                  cat->experts.v[ei].id, cat->needs.v[ni].id,
		                  cat->r.need_team[ni]);
	size_t at = w->first[ni];
	while (at < w->first[ni + 1] && w->edges[at].expert != ei)
		at++;
	const char *why = lmi_need_left_out(cat, (uint32_t)ni,
	                                    lmi_scorer_quarter(w->sc),
	                                    w->com.per_need[ni]);
	if (why && strcmp(why, "served"))
		return lmi_err_set(&cat->err, LM_EINFEASIBLE,
		                  "cannot pin %s to %s: the need is %s in %s",
		                  cat->experts.v[ei].id, cat->needs.v[ni].id, why,
		                  w->p->period);
	if (at == w->first[ni + 1]) {
		if (!w->demand[ni])
			return lmi_err_set(&cat->err, LM_EINFEASIBLE,
			                  "cannot pin %s to %s: the need is "
			                  "already covered in %s",
			                  cat->experts.v[ei].id,
			                  cat->needs.v[ni].id, w->p->period);
		return pin_refused(w, (uint32_t)ni, (uint32_t)ei);
	}
	if (w->edges[at].forced)
		return LM_OK; /* the same pin twice */
	w->edges[at].forced = true;
	if (++pe[ei] > w->cap[ei] || ++pn[ni] > w->demand[ni])
		return pin_over(w, ni, ei, pe[ei], pn[ni]);
	return LM_OK;
}

/* Pins must name a feasible pair of an open need: its edge is forced.
 * Together they may not ask more of an expert or a need than is left. */
static int apply_pins(planning *w, const lm_pin *pins, size_t npins)
{
	lm_catalog *cat = w->cat;
	int *pe = calloc(w->ne + 1, sizeof(int)), *pn = calloc(w->nn + 1,
	                                                        sizeof(int));
	int rc = pe && pn ? LM_OK
	                  : lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	for (size_t k = 0; !rc && k < npins; k++)
		rc = apply_pin(w, &pins[k], k, pe, pn);
	free(pe);
	free(pn);
	return rc;
}

static int solve(planning *w)
{
	lm_catalog *cat = w->cat;
	const lm_match_options *opts = w->opts;
	w->chosen = calloc(w->n_edges + 1, 1);
	if (!w->chosen)
		return LM_ENOMEM;
	int64_t total_w;
	/* Engagements already committed count as load, so that ties go to
	 * the experts with less to do this period. */
	int rc = lmi_flow_solve_loaded(w->nn, w->demand, w->ne, w->cap,
	                   w->com.per_expert, w->edges, w->n_edges,
	                   opts->progress, opts->progress_ctx, w->chosen,
	                   &total_w);
	if (rc == LM_EINFEASIBLE)
		lmi_err_set(&cat->err, rc, "the pins ask more of a need or an expert "
		           "than its open demand or remaining capacity");
	else if (rc == LM_ECANCELED)
		lmi_err_set(&cat->err, rc, "planning was canceled by the "
		           "progress callback");
	else if (rc)
		lmi_err_set(&cat->err, rc, "planning failed: %s", lm_strerror(rc));
	return rc;
}

void lmi_plan_count_engagement(planning *w, uint32_t e, uint32_t ge,
                               uint32_t gn)
{
	lm_plan *p = w->p;
	w->load[e]++;
	p->gardens[ge].engagements++;
	if (gn != LM_NONE) {
		p->gardens[gn].received++;
		if (gn != ge)
			p->gardens[ge].cross_garden++;
	}
}

/* The chosen edges as assignments, with the plan's total and the
 * gardens' counts; load[e] counts expert e's.  Also makes room for the
 * open needs. */
static int record_assignments(planning *w)
{
	lm_catalog *cat = w->cat;
	lm_plan *p = w->p;
	/* Assignments in (need, expert) id order, which is edge order. */
	size_t n_chosen = 0;
	for (size_t k = 0; k < w->n_edges; k++)
		n_chosen += w->chosen[k];
	p->asg = calloc(n_chosen + 1, sizeof(*p->asg));
	p->open = calloc(w->nn + 1, sizeof(*p->open));
	p->gardens = calloc(cat->gardens.n + 1, sizeof(*p->gardens));
	if (!p->asg || !p->open || !p->gardens)
		return LM_ENOMEM;
	for (size_t g = 0; g < cat->gardens.n; g++)
		p->gardens[g].garden = cat->gardens.v[g].id;
	p->n_gardens = cat->gardens.n;
	for (size_t k = 0; k < w->n_edges; k++) {
		if (!w->chosen[k])
			continue;
		uint32_t i = w->edges[k].need, e = w->edges[k].expert;
		uint32_t co = cat->r.need_company[i];
		uint32_t gn = cat->r.company_garden[co], ge = cat->r.expert_garden[e];
		p->asg[p->n_asg++] = (lm_assignment){
			.need = cat->needs.v[i].id, .expert = cat->experts.v[e].id,
			.company = cat->companies.v[co].id,
			.need_garden = gn != LM_NONE ? cat->gardens.v[gn].id : NULL,
			.expert_garden = cat->gardens.v[ge].id,
			.score = w->scores[k], .distance_km = w->kms[k],
			.pinned = w->edges[k].forced};
		p->total += w->scores[k];
		lmi_plan_count_engagement(w, e, ge, gn);
	}
	return LM_OK;
}

/* The pairs of need i that score 0 and were not chosen (not pinned):
 * feasible, but of no use to the plan (add_need_edges). */
static size_t zero_score_edges(const planning *w, uint32_t i)
{
	size_t n = 0;
	for (size_t k = w->first[i]; k < w->first[i + 1]; k++)
		n += !w->edges[k].weight && !w->chosen[k];
	return n;
}

/*
 * Open needs and why, one of three reasons:
 *  - "no feasible expert": the hard rules keep every expert out (but
 *    those that pass them and score 0, which the plan does not use);
 *  - "too few feasible experts": every feasible expert is assigned to the
 *    need and it still lacks some (the hard rules keep the others out);
 *  - "capacity spent": feasible experts are left, but all are booked.
 */
static int explain_open(planning *w)
{
	lm_catalog *cat = w->cat;
	lm_plan *p = w->p;
	int rc;
	for (uint32_t i = 0; i < w->nn; i++) {
		if (w->team_of[i] != LM_NONE) {
			if (!w->tres[w->team_of[i]].m &&
			    (rc = lmi_plan_team_explain(w, i, &p->open[p->n_open++])))
				return rc;
			continue;
		}
		int got = 0;
		for (size_t k = w->first[i]; k < w->first[i + 1]; k++)
			got += w->chosen[k];
		if (got >= w->demand[i])
			continue;
		lm_unassigned *u = &p->open[p->n_open++];
		u->need = cat->needs.v[i].id;
		u->missing = w->demand[i] - got;
		size_t n_zero = zero_score_edges(w, i);
		size_t n_feasible = w->first[i + 1] - w->first[i] - n_zero;
		if (n_feasible == (size_t)got) {
			/* Every feasible expert is on it already (or there is
			 * none, or only ones that add nothing): what keeps the
			 * others out are the hard rules. */
			char prefix[192] = "";
			int at = 0;
			if (got)
				at = snprintf(prefix, sizeof(prefix), "only %d "
				              "feasible expert%s, all assigned to "
				              "it; ", got, got == 1 ? "" : "s");
			if (n_zero && at >= 0 && (size_t)at < sizeof(prefix))
				snprintf(prefix + at, sizeof(prefix) - (size_t)at,
				         "%zu more pass%s the hard rules but "
				         "score%s 0, which adds nothing; ", n_zero,
				         n_zero == 1 ? "es" : "",
				         n_zero == 1 ? "s" : "");
			u->reason = got ? "too few feasible experts"
			                : "no feasible expert";
			lmi_need_view nv;
			if ((rc = lmi_need_view_stored(w->sc, i, &nv)))
				return rc;
			rc = explain_infeasible(w->sc, cat, &nv, prefix, u);
			lmi_need_view_free(&nv);
			if (rc)
				return rc;
		} else {
			u->reason = "capacity spent";
			if ((rc = explain_capacity(cat, w->edges, w->scores, w->chosen,
			                           w->first[i], w->first[i + 1],
			                           w->cap, w->load, u)))
				return rc;
		}
	}
	return LM_OK;
}

int lm_plan_compute(lm_catalog *cat, const lm_pin *pins, size_t npins,
                    const lm_match_options *opts, lm_plan **out)
{
	return lm_plan_compute_limited(cat, pins, npins, opts, 0, out);
}

int lm_plan_compute_limited(lm_catalog *cat, const lm_pin *pins,
                            size_t npins, const lm_match_options *opts,
                            double time_limit, lm_plan **out)
{
	if (out)
		*out = NULL;
	if (!cat)
		return LM_EINVAL;
	lmi_err_clear(&cat->err);
	if (!out || (npins && !pins))
		return lmi_err_set(&cat->err, LM_EINVAL, out ? "no pins given"
		                                            : "no output given");
	planning w;
	int rc;
	/* Without open team needs, the min-cost flow alone (flow.c);
	 * with them, branch-and-price (plan_team.c, teamplan.c). */
	if ((rc = planning_init(&w, cat, opts, time_limit)) ||
	    (rc = build_edges(&w)) ||
	    (rc = apply_pins(&w, pins, npins)) ||
	    (rc = w.n_team ? lmi_plan_teams_prepare(&w) : LM_OK) ||
	    (rc = w.n_team ? lmi_plan_teams_solve(&w) : solve(&w)) ||
	    (rc = record_assignments(&w)) ||
	    (rc = w.n_team ? lmi_plan_teams_record(&w) : LM_OK) ||
	    (rc = explain_open(&w)))
		goto fail;
	if (w.p->proven)
		w.p->bound = w.p->total;
	*out = w.p;
	w.p = NULL;
fail:
	if (rc == LM_ENOMEM)
		lmi_err_set(&cat->err, rc, "out of memory while planning");
	planning_free(&w);
	return rc;
}
