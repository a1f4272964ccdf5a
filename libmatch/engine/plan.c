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
#include "engine/flow.h"
#include "engine/score.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WEIGHT_SCALE 10000.0
#define DETAIL_CANDIDATES 3 /* experts named in an unassigned need's detail */

struct lm_plan {
	char period[16];
	double total;
	lm_assignment *asg;
	size_t n_asg;
	lm_unassigned *open;
	size_t n_open;
	lm_garden_report *gardens;
	size_t n_gardens;
};

const char *lm_plan_period(const lm_plan *p) { return p ? p->period : NULL; }
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
	free(p);
}

/* The engagements of `period` per need, per expert and per (need, expert). */
typedef struct committed {
	int *per_need;
	int *per_expert;
	lmi_map pairs; /* "need\x1fexpert" indices -> 1 */
	char *keys;
} committed;

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
		if (strcmp(cat->engagements.v[i].period, period))
			continue;
		uint32_t n = cat->r.eng_need[i], e = cat->r.eng_expert[i];
		c->per_need[n]++;
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

/* The detail and fix for a need that no expert can take at all. */
static int explain_infeasible(lmi_scorer *sc, lm_catalog *cat,
                              const lmi_need_view *nv, const char *prefix,
                              lm_unassigned *u)
{
	size_t n = cat->experts.n;
	/* The nearest candidates by distance, and the single rule that most
	 * often stands alone between the need and an expert. */
	uint32_t near[DETAIL_CANDIDATES];
	double near_km[DETAIL_CANDIDATES];
	size_t n_near = 0;
	size_t alone[5] = {0};
	uint32_t alone_ex[5];
	for (uint32_t e = 0; e < n; e++) {
		/* Feasible experts are not candidates that something excludes. */
		double ignored;
		if (lmi_score_fast(sc, nv, e, &ignored, NULL))
			continue;
		double km = lmi_geo_km(cat, cat->r.expert_home[e], cat->r.expert_lat[e],
		                      cat->r.expert_lon[e], nv->place, nv->lat, nv->lon);
		size_t at = n_near;
		while (at > 0 && (near_km[at - 1] > km))
			at--;
		if (at < DETAIL_CANDIDATES) {
			size_t last = n_near < DETAIL_CANDIDATES ? n_near : DETAIL_CANDIDATES - 1;
			for (size_t k = last; k > at; k--) {
				near[k] = near[k - 1];
				near_km[k] = near_km[k - 1];
			}
			near[at] = e;
			near_km[at] = km;
			if (n_near < DETAIL_CANDIDATES)
				n_near++;
		}
	}
	lmi_buf d = {0}, f = {0};
	int rc = LM_OK;
	if (prefix)
		lmi_buf_printf(&d, "%s", prefix);
	for (size_t k = 0; k < n_near; k++) {
		lmi_eval ev;
		if ((rc = lmi_score_full(sc, nv, near[k], &ev)))
			goto done;
		lmi_buf_printf(&d, "%s%s (%.0f km): ", k ? "; " : "nearest candidates: ",
		       cat->experts.v[near[k]].id, ev.match.distance_km);
		for (size_t r = 0; r < ev.n_reasons; r++)
			lmi_buf_printf(&d, "%s%s", r ? " / " : "", ev.reasons[r]);
		lmi_eval_free(&ev);
	}
	/* Near misses over all experts: one broken rule only. */
	for (uint32_t e = 0; e < n; e++) {
		lmi_eval ev;
		if ((rc = lmi_score_full(sc, nv, e, &ev)))
			goto done;
		unsigned b = broken_rules(cat, nv, e, &ev);
		lmi_eval_free(&ev);
		for (int bit = 0; bit < 5; bit++)
			if (b == (1u << bit) && alone[bit]++ == 0)
				alone_ex[bit] = e;
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
		lmi_buf_printf(&f, "%s%s (%zu expert%s miss only this rule, e.g. %s)",
		       any ? "; or " : "", fixes[bit], alone[bit],
		       alone[bit] == 1 ? "" : "s", cat->experts.v[alone_ex[bit]].id);
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
		if (chosen[k])
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

int lm_plan_compute(lm_catalog *cat, const lm_pin *pins, size_t npins,
                    const lm_match_options *opts, lm_plan **out)
{
	if (!cat || !out || (npins && !pins))
		return LM_EINVAL;
	*out = NULL;
	lmi_err_clear(&cat->err);
	size_t nn = cat->needs.n, ne = cat->experts.n;
	lmi_scorer *sc = NULL;
	lm_plan *p = calloc(1, sizeof(*p));
	int *demand = calloc(nn + 1, sizeof(int));
	int *cap = calloc(ne + 1, sizeof(int));
	int *load = calloc(ne + 1, sizeof(int));
	size_t *first = calloc(nn + 1, sizeof(size_t));
	lmi_flow_edge *edges = NULL;
	double *scores = NULL, *kms = NULL;
	uint8_t *chosen = NULL;
	size_t n_edges = 0, cap_edges = 0;
	committed com;
	memset(&com, 0, sizeof(com));
	lmi_need_view nv;
	memset(&nv, 0, sizeof(nv));
	int rc;
	if (!p || !demand || !cap || !load || !first) {
		rc = LM_ENOMEM;
		goto fail;
	}
	if ((rc = lmi_scorer_new(cat, opts, &sc)))
		goto fail;
	snprintf(p->period, sizeof(p->period), "%s", lmi_scorer_period(sc));
	if ((rc = committed_build(cat, p->period, &com)))
		goto fail;
	for (uint32_t e = 0; e < ne; e++)
		cap[e] = lmi_scorer_capacity_left(sc, e);

	/* Every feasible pair of an open need is an edge. */
	for (uint32_t i = 0; i < nn; i++) {
		int d = cat->needs.v[i].experts - com.per_need[i];
		demand[i] = d > 0 ? d : 0;
		first[i] = n_edges;
		if (!demand[i])
			continue;
		if ((rc = lmi_need_view_stored(sc, i, &nv)))
			goto fail;
		/* Candidates come in index order: edges stay in (need, expert)
		 * order, as with a scan of every expert. */
		const uint32_t *list;
		size_t n_scan;
		if ((rc = lmi_candidates(sc, &nv, &list, &n_scan)))
			goto fail;
		if (!list)
			n_scan = ne;
		for (size_t c = 0; c < n_scan; c++) {
			uint32_t e = list ? list[c] : (uint32_t)c;
			double s, km;
			if (!lmi_score_fast(sc, &nv, e, &s, &km) ||
			    committed_pair(&com, i, e))
				continue;
			if (n_edges == cap_edges) {
				size_t nc = cap_edges ? cap_edges * 2 : 1024;
				lmi_flow_edge *ne2 = lmi_reallocarray(edges, nc, sizeof(*edges));
				if (ne2)
					edges = ne2;
				double *s2 = lmi_reallocarray(scores, nc, sizeof(*scores));
				if (s2)
					scores = s2;
				double *k2 = lmi_reallocarray(kms, nc, sizeof(*kms));
				if (k2)
					kms = k2;
				if (!ne2 || !s2 || !k2) {
					rc = LM_ENOMEM;
					goto fail;
				}
				cap_edges = nc;
			}
			/* A feasible pair is worth at least one unit, so that a
			 * pair scoring (nearly) 0 still fills a need no one else
			 * can: the total moves by at most 1/10,000 a pair. */
			long long w = llround(s * WEIGHT_SCALE);
			edges[n_edges] = (lmi_flow_edge){i, e, w > 0 ? w : 1, false};
			scores[n_edges] = s;
			kms[n_edges] = km;
			n_edges++;
		}
		lmi_need_view_free(&nv);
		if (opts && opts->progress && (i + 1) % 64 == 0 &&
		    !opts->progress("scoring", i + 1, nn, opts->progress_ctx)) {
			rc = lmi_err_set(&cat->err, LM_ERROR, "cancelled");
			goto fail;
		}
	}
	first[nn] = n_edges;

	/* Pins must name a feasible pair of an open need. */
	for (size_t k = 0; k < npins; k++) {
		size_t ni, ei;
		if ((rc = lm_catalog_find(cat, LM_NEED, pins[k].need, &ni)) ||
		    (rc = lm_catalog_find(cat, LM_EXPERT, pins[k].expert, &ei)))
			goto fail;
		size_t at = first[ni];
		while (at < first[ni + 1] && edges[at].expert != ei)
			at++;
		if (at == first[ni + 1]) {
			if (!demand[ni]) {
				rc = lmi_err_set(&cat->err, LM_EINFEASIBLE,
				                "cannot pin %s to %s: the need is already "
				                "covered in %s", pins[k].expert,
				                cat->needs.v[ni].id, p->period);
				goto fail;
			}
			lmi_eval ev;
			if ((rc = lmi_need_view_stored(sc, (uint32_t)ni, &nv)) ||
			    (rc = lmi_score_full(sc, &nv, (uint32_t)ei, &ev)))
				goto fail;
			lmi_buf why = {0};
			for (size_t r = 0; r < ev.n_reasons; r++)
				lmi_buf_printf(&why, "%s%s", r ? "; " : "", ev.reasons[r]);
			if (!ev.n_reasons)
				lmi_buf_printf(&why, "it is already committed in %s", p->period);
			lmi_eval_free(&ev);
			char *w = lmi_buf_take(&why);
			rc = lmi_err_set(&cat->err, LM_EINFEASIBLE,
			                "cannot pin %s to %s: %s", cat->experts.v[ei].id,
			                cat->needs.v[ni].id, w ? w : "infeasible");
			free(w);
			goto fail;
		}
		edges[at].forced = true;
	}

	chosen = calloc(n_edges + 1, 1);
	if (!chosen) {
		rc = LM_ENOMEM;
		goto fail;
	}
	int64_t total_w;
	/* Engagements already committed count as load, so that ties go to
	 * the experts with less to do this period. */
	rc = lmi_flow_solve_loaded(nn, demand, ne, cap, com.per_expert, edges,
	                   n_edges,
	                   opts ? opts->progress : NULL,
	                   opts ? opts->progress_ctx : NULL, chosen, &total_w);
	if (rc == LM_EINFEASIBLE) {
		lmi_err_set(&cat->err, rc, "the pins ask more of a need or an expert "
		           "than its open demand or remaining capacity");
		goto fail;
	}
	if (rc) {
		lmi_err_set(&cat->err, rc, "planning failed: %s", lm_strerror(rc));
		goto fail;
	}

	/* Assignments in (need, expert) id order, which is edge order. */
	size_t n_chosen = 0;
	for (size_t k = 0; k < n_edges; k++)
		n_chosen += chosen[k];
	p->asg = calloc(n_chosen + 1, sizeof(*p->asg));
	p->open = calloc(nn + 1, sizeof(*p->open));
	p->gardens = calloc(cat->gardens.n + 1, sizeof(*p->gardens));
	if (!p->asg || !p->open || !p->gardens) {
		rc = LM_ENOMEM;
		goto fail;
	}
	for (size_t g = 0; g < cat->gardens.n; g++)
		p->gardens[g].garden = cat->gardens.v[g].id;
	p->n_gardens = cat->gardens.n;
	for (size_t k = 0; k < n_edges; k++) {
		if (!chosen[k])
			continue;
		uint32_t i = edges[k].need, e = edges[k].expert;
		uint32_t co = cat->r.need_company[i];
		uint32_t gn = cat->r.company_garden[co], ge = cat->r.expert_garden[e];
		p->asg[p->n_asg++] = (lm_assignment){
			.need = cat->needs.v[i].id, .expert = cat->experts.v[e].id,
			.company = cat->companies.v[co].id,
			.need_garden = gn != LM_NONE ? cat->gardens.v[gn].id : NULL,
			.expert_garden = cat->gardens.v[ge].id,
			.score = scores[k], .distance_km = kms[k],
			.pinned = edges[k].forced};
		p->total += scores[k];
		load[e]++;
		p->gardens[ge].engagements++;
		if (gn != LM_NONE) {
			p->gardens[gn].received++;
			if (gn != ge)
				p->gardens[ge].cross_garden++;
		}
	}

	/* Open needs and why. */
	for (uint32_t i = 0; i < nn; i++) {
		int got = 0;
		for (size_t k = first[i]; k < first[i + 1]; k++)
			got += chosen[k];
		if (got >= demand[i])
			continue;
		lm_unassigned *u = &p->open[p->n_open++];
		u->need = cat->needs.v[i].id;
		u->missing = demand[i] - got;
		size_t n_feasible = first[i + 1] - first[i];
		if (n_feasible == (size_t)got) {
			/* Every feasible expert is on it already (or there is
			 * none): what keeps the others out are the hard rules. */
			char prefix[96] = "";
			if (got)
				snprintf(prefix, sizeof(prefix), "only %d feasible "
				         "expert%s, all assigned to it; ", got,
				         got == 1 ? "" : "s");
			u->reason = got ? "too few feasible experts"
			                : "no feasible expert";
			if ((rc = lmi_need_view_stored(sc, i, &nv)) ||
			    (rc = explain_infeasible(sc, cat, &nv, prefix, u)))
				goto fail;
			lmi_need_view_free(&nv);
		} else {
			u->reason = "capacity spent";
			if ((rc = explain_capacity(cat, edges, scores, chosen, first[i],
			                           first[i + 1], cap, load, u)))
				goto fail;
		}
	}
	rc = LM_OK;
	*out = p;
	p = NULL;
fail:
	if (rc == LM_ENOMEM)
		lmi_err_set(&cat->err, rc, "out of memory while planning");
	lmi_need_view_free(&nv);
	committed_free(&com);
	lmi_scorer_free(sc);
	lm_plan_free(p);
	free(demand);
	free(cap);
	free(load);
	free(first);
	free(edges);
	free(scores);
	free(kms);
	free(chosen);
	return rc;
}
