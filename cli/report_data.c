/* SPDX-License-Identifier: MIT */
/*
 * report_data.c -- what `match report` shows, gathered through the public
 * API: the period's committed engagements (or, when none is committed,
 * the pairs of the plan `assign` would make), each with its gardens and
 * the km the expert travels; the headline figures of the period and of
 * every earlier quarter with engagements; the flow between gardens; the
 * needs left open with the plan's reasons; and the meeting's venue.
 * docs/report.md defines every figure; tests/cli/report.sh recomputes them.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int garden_of(lm_catalog *cat, const char *id)
{
	size_t gi;
	if (!id || lm_catalog_find(cat, LM_GARDEN, id, &gi))
		return -1;
	return (int)gi;
}

/* Fill an engagement's gardens (and its company) from need and expert. */
static int eng_gardens(lm_catalog *cat, rep_eng *e, const lm_need_info **need)
{
	size_t ni, ei, ci;
	const lm_expert_info *x;
	const lm_company_info *co;
	int rc = lm_catalog_find(cat, LM_NEED, e->need, &ni);
	if (!rc)
		rc = lm_catalog_find(cat, LM_EXPERT, e->expert, &ei);
	if (rc)
		return rc;
	if (!(*need = lm_catalog_need(cat, ni)) || !(x = lm_catalog_expert(cat, ei)))
		return LM_ENOMEM;
	rc = lm_catalog_find(cat, LM_COMPANY, (*need)->company, &ci);
	if (rc)
		return rc;
	if (!(co = lm_catalog_company(cat, ci)))
		return LM_ENOMEM;
	e->company = co->id;
	e->eg = garden_of(cat, x->garden);
	e->cg = garden_of(cat, co->garden);
	return LM_OK;
}

/* The committed engagements of `period`, each with the km the engine
 * gives the pair (lm_explain; 0 for a remote need, as in a plan). */
static int committed_of(lm_catalog *cat, const char *period,
                        const lm_match_options *opts, rep_eng **out, size_t *n)
{
	size_t ne = lm_catalog_count(cat, LM_ENGAGEMENT);
	*n = 0;
	*out = calloc(ne ? ne : 1, sizeof(**out));
	if (!*out)
		return LM_ENOMEM;
	lm_match_options o = *opts;
	o.period = period;
	for (size_t i = 0; i < ne; i++) {
		const lm_engagement_info *g = lm_catalog_engagement(cat, i);
		if (!g)
			return LM_ENOMEM;
		if (strcmp(g->period, period))
			continue;
		rep_eng *e = &(*out)[(*n)++];
		const lm_need_info *need;
		e->need = g->need, e->expert = g->expert, e->score = g->score;
		int rc = eng_gardens(cat, e, &need);
		if (rc)
			return rc;
		if (need->mode == LM_REMOTE)
			continue;
		lm_explanation *x = NULL;
		rc = lm_explain(cat, g->need, g->expert, &o, &x);
		if (rc)
			return rc;
		e->km = lm_explanation_match(x)->distance_km;
		lm_explanation_free(x);
	}
	return LM_OK;
}

/* How many engagements each need has in periods up to `period`: the
 * committed ones, and with `plan` the plan's too. */
static int fill_counts(lm_catalog *cat, const char *period, const lm_plan *plan,
                       int **out)
{
	size_t nn = lm_catalog_count(cat, LM_NEED);
	int *c = *out = calloc(nn ? nn : 1, sizeof(*c));
	if (!c)
		return LM_ENOMEM;
	for (size_t i = 0, ne = lm_catalog_count(cat, LM_ENGAGEMENT); i < ne; i++) {
		const lm_engagement_info *g = lm_catalog_engagement(cat, i);
		size_t ni;
		if (!g)
			return LM_ENOMEM;
		if (strcmp(g->period, period) <= 0 &&
		    !lm_catalog_find(cat, LM_NEED, g->need, &ni))
			c[ni]++;
	}
	for (size_t i = 0; plan && i < lm_plan_assignment_count(plan); i++) {
		size_t ni;
		if (!lm_catalog_find(cat, LM_NEED, lm_plan_assignment(plan, i)->need, &ni))
			c[ni]++;
	}
	/* A team is an engagement per member, as it is once committed. */
	for (size_t i = 0; plan && i < lm_plan_team_count(plan); i++) {
		const lm_team_assignment *t = lm_plan_team(plan, i);
		size_t ni;
		if (!lm_catalog_find(cat, LM_NEED, t->need, &ni))
			c[ni] += (int)t->n_members;
	}
	return LM_OK;
}

/* The figures of `n` engagements of `period`; `counts` as fill_counts. */
static int figures(const report *r, const rep_eng *eng, size_t n,
                   const char *period, const int *counts, rep_figures *f)
{
	lm_catalog *cat = r->cat;
	size_t nn = lm_catalog_count(cat, LM_NEED);
	bool *seen = calloc(nn ? nn : 1, sizeof(*seen));
	if (!seen)
		return LM_ENOMEM;
	memset(f, 0, sizeof(*f));
	snprintf(f->period, sizeof(f->period), "%s", period);
	double km = 0;
	for (size_t i = 0; i < n; i++) {
		size_t ni;
		const lm_need_info *need;
		f->engagements++;
		if (eng[i].cg >= 0 && eng[i].cg != eng[i].eg)
			f->across++;
		km += 2.0 * eng[i].km;
		if (lm_catalog_find(cat, LM_NEED, eng[i].need, &ni) || seen[ni])
			continue;
		seen[ni] = true;
		if (lm_catalog_need_team(cat, ni) > 1)
			f->teams++;
		if ((need = lm_catalog_need(cat, ni)) && counts[ni] >= need->experts)
			f->needs_met++;
	}
	free(seen);
	/* Each figure is rounded as the page shows it, so that the data
	 * attribute and the text say the same. */
	f->share_across = n ? round(1000.0 * (double)f->across / (double)n) / 10.0 : 0;
	f->km = round(km * 10.0) / 10.0;
	f->hours = r->speed_kmh > 0 ? round(km / r->speed_kmh * 10.0) / 10.0 : 0;
	f->nok = round(km * r->km_rate_nok);
	return LM_OK;
}

/* ---- the open needs ---------------------------------------------------------- */

static int category_of(const char *reason)
{
	if (!reason)
		return REP_OTHER;
	if (!strcmp(reason, "no feasible expert"))
		return REP_NO_EXPERT;
	if (!strcmp(reason, "no feasible team"))
		return REP_NO_TEAM;
	if (!strcmp(reason, "too few feasible experts"))
		return REP_TOO_FEW;
	if (!strcmp(reason, "capacity spent"))
		return REP_CAPACITY;
	return REP_OTHER;
}

static int open_add(report *r, const char *need_id, int missing, int category,
                    const char *detail, const char *fix)
{
	size_t ni, ci;
	const lm_need_info *n;
	const lm_company_info *co;
	for (size_t i = 0; i < r->nopen; i++)
		if (!strcmp(r->open[i].need, need_id)) {
			r->open[i].missing += missing;
			return LM_OK;
		}
	int rc = lm_catalog_find(r->cat, LM_NEED, need_id, &ni);
	if (!rc && !(n = lm_catalog_need(r->cat, ni)))
		rc = LM_ENOMEM;
	if (!rc)
		rc = lm_catalog_find(r->cat, LM_COMPANY, n->company, &ci);
	if (!rc && !(co = lm_catalog_company(r->cat, ci)))
		rc = LM_ENOMEM;
	if (rc)
		return rc;
	r->open[r->nopen++] = (rep_open){n->id, co->id, n->title,
	                                 garden_of(r->cat, co->garden), missing,
	                                 category, detail, fix};
	return LM_OK;
}

/* The plan's open needs; with engagements committed, also the needs the
 * plan would still fill (they are open until someone commits). */
static int open_needs(report *r)
{
	const lm_plan *p = r->plan;
	size_t nu = lm_plan_unassigned_count(p), na = lm_plan_assignment_count(p);
	r->open = calloc(nu + na + 1, sizeof(*r->open));
	if (!r->open)
		return LM_ENOMEM;
	int rc = LM_OK;
	for (size_t i = 0; !rc && i < nu; i++) {
		const lm_unassigned *u = lm_plan_unassigned(p, i);
		rc = open_add(r, u->need, u->missing, category_of(u->reason),
		              u->detail, u->fix);
	}
	for (size_t i = 0; !rc && !r->planned && i < na; i++)
		rc = open_add(r, lm_plan_assignment(p, i)->need, 1, REP_UNCOMMITTED,
		              NULL, NULL);
	for (size_t i = 0; i < r->nopen; i++)
		if (r->open[i].garden >= 0)
			r->open_by_garden[r->open[i].garden]++;
	return rc;
}

/* ---- the period's engagements ------------------------------------------------ */

/* One engagement of the plan: a pair, or one member of a team. */
static int planned_add(report *r, const char *need_id, const char *expert,
                       double score, double km)
{
	const lm_need_info *need;
	rep_eng *e = &r->eng[r->neng++];
	e->need = need_id, e->expert = expert, e->score = score;
	int rc = eng_gardens(r->cat, e, &need);
	if (rc)
		return rc;
	/* The plan gives a remote pair its distance too; nobody travels
	 * for it. */
	e->km = need->mode == LM_REMOTE ? 0.0 : km;
	return LM_OK;
}

/* The plan's engagements: its pairs, then each team's members (a team
 * is an engagement per member, as it is once committed). */
static int planned_of(report *r)
{
	size_t na = lm_plan_assignment_count(r->plan), n = na;
	size_t nt = lm_plan_team_count(r->plan);
	int rc = LM_OK;
	for (size_t i = 0; i < nt; i++)
		n += lm_plan_team(r->plan, i)->n_members;
	r->eng = calloc(n ? n : 1, sizeof(*r->eng));
	if (!r->eng)
		return LM_ENOMEM;
	for (size_t i = 0; rc == LM_OK && i < na; i++) {
		const lm_assignment *s = lm_plan_assignment(r->plan, i);
		rc = planned_add(r, s->need, s->expert, s->score, s->distance_km);
	}
	for (size_t i = 0; rc == LM_OK && i < nt; i++) {
		const lm_team_assignment *t = lm_plan_team(r->plan, i);
		for (size_t j = 0; rc == LM_OK && j < t->n_members; j++) {
			const lm_plan_member *m = lm_plan_team_member(r->plan, i, j);
			rc = planned_add(r, t->need, m->expert, t->score,
			                 m->distance_km);
		}
	}
	return rc;
}

/* The flow between gardens and each garden's given and received. */
static void tally(report *r)
{
	size_t w = r->ngardens + 1;
	for (size_t i = 0; i < r->neng; i++) {
		const rep_eng *e = &r->eng[i];
		size_t from = e->eg >= 0 ? (size_t)e->eg : r->ngardens;
		size_t to = e->cg >= 0 ? (size_t)e->cg : r->ngardens;
		r->flow[from * w + to]++;
		if (e->eg >= 0)
			r->given[e->eg]++;
		if (e->cg >= 0)
			r->received[e->cg]++;
	}
	/* A team's members are engagements of their own gardens (its
	 * count is in figures()). */
}

/* The earlier quarters that have committed engagements, oldest first. */
static int history(report *r, const lm_match_options *opts)
{
	lm_catalog *cat = r->cat;
	size_t ne = lm_catalog_count(cat, LM_ENGAGEMENT);
	r->hist = calloc(ne ? ne : 1, sizeof(*r->hist));
	if (!r->hist)
		return LM_ENOMEM;
	for (;;) {
		/* The latest period before the last one taken (or before the
		 * report's), so that the list comes out newest first. */
		const char *lim = r->nhist ? r->hist[r->nhist - 1].period : r->period;
		const char *best = NULL;
		for (size_t i = 0; i < ne; i++) {
			const lm_engagement_info *g = lm_catalog_engagement(cat, i);
			if (!g)
				return LM_ENOMEM;
			if (strcmp(g->period, lim) < 0 && (!best || strcmp(g->period, best) > 0))
				best = g->period;
		}
		if (!best)
			break;
		rep_eng *eng = NULL;
		int *counts = NULL;
		size_t n;
		int rc = committed_of(cat, best, opts, &eng, &n);
		if (!rc)
			rc = fill_counts(cat, best, NULL, &counts);
		if (!rc)
			rc = figures(r, eng, n, best, counts, &r->hist[r->nhist++]);
		free(eng);
		free(counts);
		if (rc)
			return rc;
	}
	for (size_t i = 0, j = r->nhist; i < j--; i++) {
		rep_figures t = r->hist[i];
		r->hist[i] = r->hist[j], r->hist[j] = t;
	}
	return LM_OK;
}

static int venue(report *r)
{
	lm_meeting_options mo = LM_MEETING_OPTIONS_INIT;
	mo.period = r->period;
	return lm_meeting_rank(r->cat, &mo, &r->meeting);
}

int report_build(report *r, lm_catalog *cat, const char *period,
                 const lm_match_options *opts, bool english)
{
	memset(r, 0, sizeof(*r));
	r->cat = cat;
	r->english = english;
	if (period)
		snprintf(r->period, sizeof(r->period), "%s", period);
	else if (lm_period_current(-1, r->period, sizeof(r->period)))
		return LM_ERROR;
	const lm_settings *st = lm_catalog_settings(cat);
	r->speed_kmh = st->speed_kmh, r->km_rate_nok = st->km_rate_nok;
	r->ngardens = lm_catalog_count(cat, LM_GARDEN);
	size_t w = r->ngardens + 1;
	r->flow = calloc(w * w, sizeof(*r->flow));
	r->given = calloc(w, sizeof(*r->given));
	r->received = calloc(w, sizeof(*r->received));
	r->open_by_garden = calloc(w, sizeof(*r->open_by_garden));
	if (!r->flow || !r->given || !r->received || !r->open_by_garden)
		return LM_ENOMEM;
	lm_match_options o = *opts;
	o.period = r->period;
	int rc = committed_of(cat, r->period, &o, &r->eng, &r->neng);
	if (!rc)
		rc = lm_plan_compute(cat, NULL, 0, &o, &r->plan);
	if (!rc && !r->neng) {
		r->planned = true;
		free(r->eng);
		r->eng = NULL;
		rc = planned_of(r);
	}
	int *counts = NULL;
	if (!rc)
		rc = fill_counts(cat, r->period, r->planned ? r->plan : NULL, &counts);
	if (!rc)
		rc = figures(r, r->eng, r->neng, r->period, counts, &r->fig);
	free(counts);
	if (!rc)
		tally(r);
	if (!rc)
		rc = open_needs(r);
	r->fig.needs_open = r->nopen;
	if (!rc)
		rc = history(r, &o);
	if (!rc)
		rc = venue(r);
	return rc;
}

void report_free(report *r)
{
	free(r->eng);
	free(r->flow);
	free(r->given);
	free(r->received);
	free(r->open_by_garden);
	free(r->open);
	free(r->hist);
	lm_plan_free(r->plan);
	lm_meeting_free(r->meeting);
	memset(r, 0, sizeof(*r));
}
