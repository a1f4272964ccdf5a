/* SPDX-License-Identifier: MIT */
/*
 * team.c -- teams for one need: its candidates with their credit per need
 * skill (lmi_team_need_prepare), the SPEC.md team score (lmi_team_score)
 * and exact pricing (lmi_team_best), the best team under prices on its
 * members with experts forbidden or forced in.
 *
 * Pricing.  The need's k skills, plus an element for its language and
 * one for "covers any skill" (a need whose skills are all optional), are
 * the elements.  Fix a threshold t of distance fit: only candidates with
 * dfit >= t may be members, and D is counted as t.  A team is then a
 * partition of the elements into blocks, each block taken by one member
 * (who must cover the required skills in it, speak the language if the
 * block holds it), and the value is separable: the sum over blocks of the
 * member's weighted credit minus its price and the penalty.  A dynamic
 * programme over subsets of elements (3^E per threshold, E <= 12) gives
 * the best value for each threshold; the best over thresholds is the
 * optimum, because at t = D(team) it is exact and elsewhere a lower bound
 * (a block structure that uses a member twice is beaten by merging its
 * blocks).  A second pass enumerates every block structure within a
 * tolerance of the optimum (the DP tables bound every completion
 * exactly, so it visits only near-optimal ones) and compares those teams
 * with lmi_team_score itself, so ties are decided on the very numbers a
 * ranking prints.  docs/scoring.md "Teams" has the argument.
 */
#include "engine/team.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ELEMS (LMI_TEAM_MAX_SKILLS + 2)

/* Scratch of lmi_team_best, sized at prepare for the need's elements. */
typedef struct team_work {
	int E;                /* elements: skills, [language], [any] */
	int lang_bit, any_bit; /* element numbers, -1 when absent */
	uint32_t W;           /* 1 << E */
	uint16_t *allow;      /* per candidate: elements it may take */
	double a[MAX_ELEMS];  /* points per unit of credit (0 for flags) */
	double *best1;        /* W: best single block over free members */
	double *Q[LMI_TEAM_MAX + 1]; /* W each: <= j free blocks */
	double *G[LMI_TEAM_MAX + 1]; /* W each: forced members i.. + free */
	double *tval;         /* thresholds' DP values, one per candidate */
} team_work;

/* ---- preparing a need ------------------------------------------------- */

typedef struct member_tmp {
	uint32_t e, row;
	double dfit, km;
} member_tmp;

static int cmp_member(const void *pa, const void *pb)
{
	const member_tmp *a = pa, *b = pb;

	if (a->dfit != b->dfit)
		return a->dfit > b->dfit ? -1 : 1;
	return a->e < b->e ? -1 : a->e > b->e;
}

void lmi_team_need_free(lmi_team_need *tn)
{
	team_work *w;

	if (!tn)
		return;
	lmi_need_view_free(&tn->nv);
	free(tn->cand);
	free(tn->dfit);
	free(tn->km);
	free(tn->credit);
	free(tn->covers);
	free(tn->speaks);
	w = tn->work;
	if (w) {
		free(w->allow);
		free(w->best1);
		free(w->tval);
		free(w);
	}
	memset(tn, 0, sizeof *tn);
}

static bool all_optional(const lmi_need_view *nv)
{
	for (uint32_t i = 0; i < nv->n_skills; i++)
		if (!nv->skills[i].optional)
			return false;
	return nv->n_skills > 0;
}

/* Grow the candidate arrays to hold n + 1 rows. */
static int grow(lmi_team_need *tn, member_tmp **tmp, size_t *cap, size_t n)
{
	size_t k = tn->nv.n_skills ? tn->nv.n_skills : 1, c;
	void *p;

	if (n < *cap)
		return LM_OK;
	c = *cap ? 2 * *cap : 64;
	if (!(p = lmi_reallocarray(*tmp, c, sizeof **tmp)))
		return LM_ENOMEM;
	*tmp = p;
	if (!(p = lmi_reallocarray(tn->credit, c, k * sizeof *tn->credit)))
		return LM_ENOMEM;
	tn->credit = p;
	if (!(p = lmi_reallocarray(tn->covers, c, k)))
		return LM_ENOMEM;
	tn->covers = p;
	if (!(p = lmi_reallocarray(tn->speaks, c, 1)))
		return LM_ENOMEM;
	tn->speaks = p;
	*cap = c;
	return LM_OK;
}

/* Every expert who obeys the per-expert rules and can be needed, in
 * expert order; *tmp gets expert, dfit and km of each. */
static int collect(lmi_scorer *sc, lmi_team_need *tn, member_tmp **tmp)
{
	lm_catalog *cat = lmi_scorer_catalog(sc);
	const lmi_need_view *nv = &tn->nv;
	size_t k = nv->n_skills, cap = 0, n = 0, nl = 0, ne, j;
	const uint32_t *list;

	if (lmi_candidates_team(sc, nv, &list, &nl) != LM_OK)
		return LM_ENOMEM;
	ne = list ? nl : cat->experts.n;
	for (j = 0; j < ne; j++) {
		uint32_t e = list ? list[j] : (uint32_t)j;
		double km, dfit, *cr;
		uint8_t *cv, sp;
		bool any = false;

		if (grow(tn, tmp, &cap, n) != LM_OK)
			return LM_ENOMEM;
		cr = tn->credit + n * k;
		cv = tn->covers + n * k;
		if (!lmi_score_member(sc, nv, e, &km, &dfit, cr, cv))
			continue;
		for (size_t i = 0; i < k; i++)
			any |= cv[i] != 0;
		sp = !nv->language || lmi_expert_speaks(cat, e, nv->language);
		if (!any && !(nv->language && sp))
			continue;
		tn->speaks[n] = sp;
		(*tmp)[n].e = e;
		(*tmp)[n].row = (uint32_t)n;
		(*tmp)[n].dfit = dfit;
		(*tmp)[n].km = km;
		n++;
	}
	tn->n_cand = (uint32_t)n;
	return LM_OK;
}

/* Sort the candidates by distance fit (descending), then index, and
 * move their rows of credit, covers and speaks along. */
static int sort_cands(lmi_team_need *tn, member_tmp *tmp)
{
	size_t n = tn->n_cand, k = tn->nv.n_skills, p, n1 = n ? n : 1;
	size_t k1 = k ? k : 1;
	double *cr;
	uint8_t *cv, *sp;

	if (n > 1)
		qsort(tmp, n, sizeof *tmp, cmp_member);
	tn->cand = malloc(n1 * sizeof *tn->cand);
	tn->dfit = malloc(n1 * sizeof *tn->dfit);
	tn->km = malloc(n1 * sizeof *tn->km);
	cr = malloc(n1 * k1 * sizeof *cr);
	cv = malloc(n1 * k1);
	sp = malloc(n1);
	if (!tn->cand || !tn->dfit || !tn->km || !cr || !cv || !sp) {
		free(cr);
		free(cv);
		free(sp);
		return LM_ENOMEM;
	}
	for (p = 0; p < n; p++) {
		size_t row = tmp[p].row;

		tn->cand[p] = tmp[p].e;
		tn->dfit[p] = tmp[p].dfit;
		tn->km[p] = tmp[p].km;
		if (k) {
			memcpy(cr + p * k, tn->credit + row * k, k * sizeof *cr);
			memcpy(cv + p * k, tn->covers + row * k, k);
		}
		sp[p] = tn->speaks[row];
	}
	free(tn->credit);
	free(tn->covers);
	free(tn->speaks);
	tn->credit = cr;
	tn->covers = cv;
	tn->speaks = sp;
	return LM_OK;
}

/* The elements and their scratch tables (only for team > 1). */
static int work_new(lmi_team_need *tn)
{
	const lmi_need_view *nv = &tn->nv;
	team_work *w = calloc(1, sizeof *w);
	size_t n1 = tn->n_cand ? tn->n_cand : 1, tables;
	uint32_t i, p;

	if (!w)
		return LM_ENOMEM;
	tn->work = w;
	w->E = (int)nv->n_skills;
	w->lang_bit = w->any_bit = -1;
	if (nv->language)
		w->lang_bit = w->E++;
	if (all_optional(nv))
		w->any_bit = w->E++;
	w->W = 1u << w->E;
	for (i = 0; i < nv->n_skills; i++)
		w->a[i] = 100.0 * nv->ws * nv->skills[i].weight /
		          (nv->weight_total * (nv->ws + nv->wd));
	/* best1, Q[0..8], G[0..8] in one block. */
	tables = 1 + 2 * (LMI_TEAM_MAX + 1);
	w->best1 = malloc(tables * w->W * sizeof *w->best1);
	w->allow = malloc(n1 * sizeof *w->allow);
	w->tval = malloc(n1 * sizeof *w->tval);
	if (!w->best1 || !w->allow || !w->tval)
		return LM_ENOMEM;
	for (i = 0; i <= LMI_TEAM_MAX; i++) {
		w->Q[i] = w->best1 + (1 + i) * (size_t)w->W;
		w->G[i] = w->best1 + (2 + LMI_TEAM_MAX + i) * (size_t)w->W;
	}
	for (p = 0; p < tn->n_cand; p++) {
		const uint8_t *cv = tn->covers + (size_t)p * nv->n_skills;
		uint16_t m = 0;
		bool any = false;

		for (i = 0; i < nv->n_skills; i++) {
			if (cv[i] || nv->skills[i].optional)
				m |= (uint16_t)(1u << i);
			any |= cv[i] != 0;
		}
		if (w->lang_bit >= 0 && tn->speaks[p])
			m |= (uint16_t)(1u << w->lang_bit);
		if (w->any_bit >= 0 && any)
			m |= (uint16_t)(1u << w->any_bit);
		w->allow[p] = m;
	}
	return LM_OK;
}

int lmi_team_need_prepare(lmi_scorer *sc, uint32_t need, lmi_team_need *out)
{
	lm_catalog *cat = lmi_scorer_catalog(sc);
	member_tmp *tmp = NULL;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = lmi_need_view_stored(sc, need, &out->nv)) != LM_OK)
		return rc;
	out->team_max = cat->r.need_team ? cat->r.need_team[need] : 1;
	if (out->team_max < 1 || out->team_max > LMI_TEAM_MAX)
		out->team_max = 1;
	out->penalty = cat->settings.team_penalty;
	if (out->team_max > 1 && out->nv.n_skills > LMI_TEAM_MAX_SKILLS) {
		rc = lmi_err_set(&cat->err, LM_EINVAL,
		                 "need %s: a team need may name at most %d skills",
		                 cat->needs.v[need].id, LMI_TEAM_MAX_SKILLS);
		goto fail;
	}
	rc = LM_ENOMEM;
	if (collect(sc, out, &tmp) != LM_OK || sort_cands(out, tmp) != LM_OK)
		goto oom;
	if (out->team_max > 1 && work_new(out) != LM_OK)
		goto oom;
	free(tmp);
	return LM_OK;
oom:
	rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
fail:
	free(tmp);
	lmi_team_need_free(out);
	return rc;
}

/* ---- the team score ----------------------------------------------------- */

bool lmi_team_score(const lmi_team_need *tn, const uint32_t *pos, int m,
                    double *score)
{
	const lmi_need_view *nv = &tn->nv;
	size_t k = nv->n_skills;
	double acc = 0.0, D = 1.0, S;
	bool spoken = !nv->language, any = false;
	int j;

	if (m < 1 || m > LMI_TEAM_MAX)
		return false;
	for (j = 0; j < m; j++) {
		if (pos[j] >= tn->n_cand)
			return false;
		if (j == 0 || tn->dfit[pos[j]] < D)
			D = tn->dfit[pos[j]];
		spoken |= tn->speaks[pos[j]] != 0;
	}
	if (!spoken)
		return false;
	/* The sum runs in the need's skill order, as in the one-expert score. */
	for (size_t i = 0; i < k; i++) {
		double best = 0.0;
		bool cov = false;

		for (j = 0; j < m; j++) {
			double c = tn->credit[(size_t)pos[j] * k + i];

			if (c > best)
				best = c;
			cov |= tn->covers[(size_t)pos[j] * k + i] != 0;
		}
		if (!cov && !nv->skills[i].optional)
			return false;
		any |= cov;
		acc += nv->skills[i].weight * best;
	}
	if (!any && all_optional(nv))
		return false;
	S = acc / nv->weight_total;
	*score = lmi_score_finish(nv, S, D, NULL) - tn->penalty * (double)(m - 1);
	return true;
}

/* ---- pricing ------------------------------------------------------------- */

typedef struct price_ctx {
	const lmi_team_need *tn;
	team_work *w;
	const double *price;
	const uint8_t *state;
	uint32_t forced[LMI_TEAM_MAX]; /* positions */
	int nF, L;                 /* forced members, free blocks allowed */
	uint32_t end;              /* the threshold's prefix [0, end) */
	double thr;                /* DFS: least value a completion may reach */
	double scale;              /* 100 + the team's largest possible price */
	uint32_t stack[LMI_TEAM_MAX];
	uint32_t block[LMI_TEAM_MAX]; /* the elements each takes */
	int depth;
	uint32_t group;            /* the threshold's group starts here */
	bool have;
	double best_value;
	lmi_team best;
	uint32_t best_ids[LMI_TEAM_MAX];
	/* k-best (lmi_team_top): every team reached is kept here instead. */
	bool collect;
	lmi_team *got;
	size_t n_got, cap_got;
	bool oom;
} price_ctx;

static double price_of(const price_ctx *c, uint32_t p)
{
	return c->price ? c->price[c->tn->cand[p]] : 0.0;
}

static uint8_t state_of(const price_ctx *c, uint32_t p)
{
	return c->state ? c->state[c->tn->cand[p]] : 0;
}

/* The value of block B taken by candidate p: its points on the skills of
 * B, minus its price and the penalty (added back once per team). */
static double block_value(const price_ctx *c, uint32_t B, uint32_t p)
{
	const lmi_team_need *tn = c->tn;
	const double *cr = tn->credit + (size_t)p * tn->nv.n_skills;
	double v = 0.0;

	for (uint32_t b = B; b; b &= b - 1) {
		int i = __builtin_ctz(b);

		if (i < (int)tn->nv.n_skills)
			v += c->w->a[i] * cr[i];
	}
	return v - price_of(c, p) - tn->penalty;
}

/* best1 gains free candidate p: every block it may take. */
static void add_free(price_ctx *c, uint32_t p)
{
	team_work *w = c->w;
	uint32_t al = w->allow[p], B = 0;

	do {
		double v;

		B = (B - al) & al;
		if (!B)
			break;
		v = block_value(c, B, p);
		if (v > w->best1[B])
			w->best1[B] = v;
	} while (B != al);
}

/* Q[j][R]: the best R split into at most j free blocks; G[i][M]: forced
 * members i.. take blocks (maybe empty) and free blocks the rest of M. */
static void run_dp(price_ctx *c)
{
	team_work *w = c->w;
	uint32_t W = w->W, R, M, S;
	int j, i;

	for (R = 0; R < W; R++)
		w->Q[0][R] = R ? -INFINITY : 0.0;
	for (j = 1; j <= c->L; j++) {
		w->Q[j][0] = 0.0;
		for (R = 1; R < W; R++) {
			uint32_t low = R & -R, rest = R ^ low;
			double best = -INFINITY;

			S = 0;
			do {
				double v = w->best1[low | S] + w->Q[j - 1][rest ^ S];

				if (v > best)
					best = v;
				S = (S - rest) & rest;
			} while (S != 0);
			w->Q[j][R] = best;
		}
	}
	memcpy(w->G[c->nF], w->Q[c->L], W * sizeof(double));
	for (i = c->nF - 1; i >= 0; i--) {
		uint32_t p = c->forced[i];

		for (M = 0; M < W; M++) {
			uint32_t al = w->allow[p] & M;
			double best = -INFINITY;

			S = 0;
			do {
				double v = block_value(c, S, p) + w->G[i + 1][M ^ S];

				if (v > best)
					best = v;
				S = (S - al) & al;
			} while (S != 0);
			w->G[i][M] = best;
		}
	}
}

/* The distance points at threshold dfit t. */
static double dist_points(const lmi_team_need *tn, double t)
{
	const lmi_need_view *nv = &tn->nv;

	return 100.0 * nv->wd * t / (nv->ws + nv->wd);
}

static int cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return a < b ? -1 : a > b;
}

/* k-best: keep the team (duplicates are removed at the end). */
static void keep(price_ctx *c, lmi_team *t, int m, double score)
{
	if (c->n_got == c->cap_got) {
		size_t cap = c->cap_got ? 2 * c->cap_got : 64;
		lmi_team *v = lmi_reallocarray(c->got, cap, sizeof *v);

		if (!v) {
			c->oom = true;
			return;
		}
		c->got = v;
		c->cap_got = cap;
	}
	t->m = m;
	t->score = score;
	c->got[c->n_got++] = *t;
}

/* Insertion sort: a team has at most LMI_TEAM_MAX members. */
static void sort_small(uint32_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		uint32_t x = v[i];
		int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static bool on_stack(const price_ctx *c, uint32_t p)
{
	for (int i = 0; i < c->depth; i++)
		if (c->stack[i] == p)
			return true;
	return false;
}

static bool anchored(const price_ctx *c)
{
	for (int i = 0; i < c->depth; i++)
		if (c->stack[i] >= c->group)
			return true;
	return false;
}

/* The credit candidate p gives element e (0 for the flags). */
static double elem_credit(const price_ctx *c, uint32_t p, int e)
{
	size_t k = c->tn->nv.n_skills;

	return (size_t)e < k ? c->tn->credit[(size_t)p * k + (size_t)e] : 0.0;
}

/* Would candidate q own element e rather than p (canonical: the better
 * credit, then the smaller position)? */
static bool beats(const price_ctx *c, uint32_t q, uint32_t p, int e)
{
	double a = elem_credit(c, q, e), b = elem_credit(c, p, e);

	return (c->w->allow[q] >> e & 1) && (a > b || (a == b && q < p));
}

/* Can q stand in for p on element e (at least the same credit)? */
static bool stands_in(const price_ctx *c, uint32_t q, uint32_t p, int e)
{
	return (c->w->allow[q] >> e & 1) &&
	       elem_credit(c, q, e) >= elem_credit(c, p, e);
}

/* Is the member at stack slot j (or p with block B, j = -1) still
 * essential: some element of its block that nobody else in the team,
 * p included, can stand in for?  One that is not can never be needed
 * (removing it lowers neither the skill fit nor a rule), and adding
 * members cannot make it essential again. */
static bool essential(const price_ctx *c, int j, uint32_t p, uint32_t B)
{
	uint32_t me = j < 0 ? p : c->stack[j], blk = j < 0 ? B : c->block[j];

	for (uint32_t b = blk; b; b &= b - 1) {
		int e = __builtin_ctz(b);
		bool sub = j >= 0 && stands_in(c, p, me, e);

		for (int i = 0; i < c->depth && !sub; i++)
			sub = i != j && stands_in(c, c->stack[i], me, e);
		if (!sub)
			return true;
	}
	return false;
}

/* k-best: may p join the team on the stack with block B?  Only if the
 * split stays canonical (p owns B, and takes nothing another member
 * owns) and every member stays essential. */
static bool joins(const price_ctx *c, uint32_t p, uint32_t B)
{
	for (int j = 0; j < c->depth; j++) {
		uint32_t q = c->stack[j];

		for (uint32_t b = B; b; b &= b - 1)
			if (beats(c, q, p, __builtin_ctz(b)))
				return false;
		for (uint32_t b = c->block[j]; b; b &= b - 1)
			if (beats(c, p, q, __builtin_ctz(b)))
				return false;
	}
	if (!essential(c, -1, p, B))
		return false;
	for (int j = 0; j < c->depth; j++)
		if (!essential(c, j, p, B))
			return false;
	return true;
}

/* k-best: is the split on the stack the team's canonical one, found at
 * its own threshold?  Then every team is kept once.  Canonical: each
 * skill goes to the member with the highest credit among those who may
 * take it (ties: the first position), a flag to the first who may, and
 * the farthest member is in the threshold's group. */
static bool canonical(const price_ctx *c)
{
	const lmi_team_need *tn = c->tn;
	size_t k = tn->nv.n_skills;
	bool at_t = false;

	for (int j = 0; j < c->depth; j++)
		at_t |= c->stack[j] >= c->group;
	if (!at_t)
		return false;
	for (int e = 0; e < c->w->E; e++) {
		uint32_t bit = 1u << e, owner = UINT32_MAX, got = UINT32_MAX;
		double best = -1.0;

		for (int j = 0; j < c->depth; j++) {
			uint32_t p = c->stack[j];
			double cr = (size_t)e < k ? tn->credit[(size_t)p * k + e] : 0.0;

			if (c->block[j] & bit)
				got = p;
			if (!(c->w->allow[p] & bit))
				continue;
			if (cr > best || (cr == best && p < owner)) {
				best = cr;
				owner = p;
			}
		}
		if (got != owner)
			return false;
	}
	return true;
}

/* A complete block structure: its team (members merged), judged by
 * lmi_team_score itself. */
static void leaf(price_ctx *c)
{
	lmi_team t;
	uint32_t ids[LMI_TEAM_MAX];
	double score, value;
	int i, m = 0;

	if (c->collect && c->w && !canonical(c)) /* no w: a single */
		return;
	memcpy(t.pos, c->stack, (size_t)c->depth * sizeof *t.pos);
	sort_small(t.pos, c->depth);
	for (i = 0; i < c->depth; i++)
		if (m == 0 || t.pos[m - 1] != t.pos[i])
			t.pos[m++] = t.pos[i];
	if (m > c->tn->team_max || !lmi_team_score(c->tn, t.pos, m, &score))
		return;
	if (c->collect) {
		keep(c, &t, m, score);
		return;
	}
	value = score;
	for (i = 0; i < m; i++)
		value -= price_of(c, t.pos[i]);
	for (i = 0; i < m; i++)
		ids[i] = c->tn->cand[t.pos[i]];
	sort_small(ids, m);
	if (c->have) {
		if (value < c->best_value)
			return;
		if (value == c->best_value) {
			if (m > c->best.m)
				return;
			if (m == c->best.m) {
				for (i = 0; i < m && ids[i] == c->best_ids[i]; i++)
					;
				if (i == m || ids[i] > c->best_ids[i])
					return;
			}
		}
	}
	t.m = m;
	t.score = score;
	c->best = t;
	c->best_value = value;
	memcpy(c->best_ids, ids, (size_t)m * sizeof *ids);
	c->have = true;
}

/* Free blocks for the elements R, at most `left` of them. */
static void dfs_free(price_ctx *c, uint32_t R, int left, double acc)
{
	team_work *w = c->w;
	uint32_t low, rest, S = 0;

	if (R == 0) {
		leaf(c);
		return;
	}
	if (left == 0)
		return;
	low = R & -R;
	rest = R ^ low;
	do {
		uint32_t B = low | S;
		double tail = w->Q[left - 1][R ^ B];

		if (acc + w->best1[B] + tail >= c->thr) {
			/* k-best: the last block of a team not yet at its own
			 * threshold must go to a member of the threshold's group. */
			uint32_t from = c->collect && B == R && !anchored(c) ? c->group : 0;

			for (uint32_t p = from; p < c->end; p++) {
				if ((w->allow[p] & B) != B || state_of(c, p) != 0)
					continue;
				double v = block_value(c, B, p);

				if (acc + v + tail < c->thr)
					continue;
				if (c->collect && (on_stack(c, p) || !joins(c, p, B)))
					continue;
				c->block[c->depth] = B;
				c->stack[c->depth++] = p;
				dfs_free(c, R ^ B, left - 1, acc + v);
				c->depth--;
			}
		}
		S = (S - rest) & rest;
	} while (S != 0);
}

/* Forced member i takes a block of M (maybe empty), then the next. */
static void dfs_forced(price_ctx *c, int i, uint32_t M, double acc)
{
	team_work *w = c->w;
	uint32_t p, al, S = 0;

	if (i == c->nF) {
		dfs_free(c, M, c->L, acc);
		return;
	}
	p = c->forced[i];
	al = w->allow[p] & M;
	do {
		double v = block_value(c, S, p);

		if (acc + v + w->G[i + 1][M ^ S] >= c->thr) {
			c->block[c->depth] = S;
			c->stack[c->depth++] = p;
			dfs_forced(c, i + 1, M ^ S, acc + v);
			c->depth--;
		}
		S = (S - al) & al;
	} while (S != 0);
}

/* A need of team 1: the best single candidate, by a scan. */
static bool best_single(price_ctx *c)
{
	const lmi_team_need *tn = c->tn;

	for (uint32_t p = 0; p < tn->n_cand; p++) {
		uint8_t st = state_of(c, p);

		if (st == 1 || (c->nF && c->forced[0] != p))
			continue;
		c->stack[0] = p;
		c->depth = 1;
		leaf(c);
	}
	return c->have;
}

/* The forced candidates; false when more than the team can hold. */
static bool find_forced(price_ctx *c)
{
	c->nF = 0;
	if (!c->state)
		return true;
	for (uint32_t p = 0; p < c->tn->n_cand; p++) {
		if (state_of(c, p) != 2)
			continue;
		if (c->nF == c->tn->team_max)
			return false;
		c->forced[c->nF++] = p;
	}
	return true;
}

/* Candidates [from, to) of one distance fit join best1; the prefix is
 * then [0, to).  true when best1 changed. */
static bool add_group(price_ctx *c, uint32_t from, uint32_t to)
{
	bool changed = false;

	for (uint32_t p = from; p < to; p++)
		if (state_of(c, p) == 0) {
			add_free(c, p);
			changed = true;
		}
	c->end = to;
	return changed;
}

static void reset_best1(price_ctx *c)
{
	for (uint32_t B = 0; B < c->w->W; B++)
		c->w->best1[B] = -INFINITY;
}

/* The end of the group of equal distance fit that starts at p. */
static uint32_t group_end(const lmi_team_need *tn, uint32_t p)
{
	uint32_t q = p + 1;

	while (q < tn->n_cand && tn->dfit[q] == tn->dfit[p])
		q++;
	return q;
}

/* Pass 1: the DP value of every threshold (tval, -inf where none), and
 * the best of them; it stops where no threshold further on can reach the
 * best (their distance points only fall).  Returns the end of the last
 * group looked at. */
static uint32_t pass_values(price_ctx *c, double ub, double floor,
                            double *vbest, double *eps)
{
	const lmi_team_need *tn = c->tn;
	team_work *w = c->w;
	uint32_t p, q, last = 0, full = w->W - 1;
	uint32_t min_forced_end = c->nF ? c->forced[c->nF - 1] + 1 : 0;

	bool dirty = true;

	*vbest = -INFINITY;
	reset_best1(c);
	for (p = 0; p < tn->n_cand; p = q) {
		double t = tn->dfit[p], v;

		q = group_end(tn, p);
		dirty |= add_group(c, p, q);
		last = q;
		for (uint32_t r = p; r < q; r++)
			w->tval[r] = -INFINITY;
		if (q < min_forced_end)
			continue;
		if (*vbest > -INFINITY &&
		    dist_points(tn, t) + ub < (floor < *vbest ? floor : *vbest) - *eps)
			break;
		if (dirty)
			run_dp(c);
		dirty = false;
		v = dist_points(tn, t) + tn->penalty + w->G[0][full];
		w->tval[p] = v;
		if (v > *vbest) {
			*vbest = v;
			*eps = 1e-9 * (c->scale + fabs(v));
		}
	}
	return last;
}

/* Pass 2: at every threshold whose value is within eps of the best, every
 * block structure that reaches it, judged by leaf(). */
static void pass_teams(price_ctx *c, uint32_t last, double floor, double eps)
{
	const lmi_team_need *tn = c->tn;
	uint32_t p, q, full = c->w->W - 1;
	bool dirty = true;

	reset_best1(c);
	for (p = 0; p < last; p = q) {
		q = group_end(tn, p);
		dirty |= add_group(c, p, q);
		if (!(c->w->tval[p] >= floor - eps))
			continue;
		if (dirty)
			run_dp(c);
		dirty = false;
		c->thr = floor - eps - dist_points(tn, tn->dfit[p]) - tn->penalty;
		c->depth = 0;
		c->group = p;
		dfs_forced(c, 0, full, 0.0);
	}
}

bool lmi_team_best(const lmi_team_need *tn, const double *price,
                   const uint8_t *state, lmi_team *out)
{
	price_ctx c;
	double ub, vbest, eps = 0.0, maxp = 0.0;
	uint32_t p, last;

	memset(&c, 0, sizeof c);
	memset(out, 0, sizeof *out);
	c.tn = tn;
	c.w = tn->work;
	c.price = price;
	c.state = state;
	if (!find_forced(&c))
		return false;
	if (tn->team_max <= 1 || !c.w) {
		if (!best_single(&c))
			return false;
		*out = c.best;
		return true;
	}
	c.L = tn->team_max - c.nF;
	for (p = 0; price && p < tn->n_cand; p++)
		if (price[tn->cand[p]] > maxp)
			maxp = price[tn->cand[p]];
	c.scale = 100.0 + maxp * tn->team_max;
	/* Pass 0: an upper bound of the skill part, from every candidate. */
	reset_best1(&c);
	add_group(&c, 0, tn->n_cand);
	run_dp(&c);
	ub = tn->penalty + c.w->G[0][c.w->W - 1];
	if (ub == -INFINITY)
		return false;
	last = pass_values(&c, ub, INFINITY, &vbest, &eps);
	if (vbest == -INFINITY)
		return false;
	pass_teams(&c, last, vbest, eps);
	if (!c.have)
		return false;
	*out = c.best;
	return true;
}

/* ---- the k best teams ------------------------------------------------------ */

typedef struct ranked {
	lmi_team t;
	uint32_t ids[LMI_TEAM_MAX]; /* the members' expert indices, sorted */
} ranked;

static int cmp_pos(const void *pa, const void *pb)
{
	const lmi_team *a = pa, *b = pb;

	if (a->m != b->m)
		return a->m < b->m ? -1 : 1;
	for (int i = 0; i < a->m; i++)
		if (a->pos[i] != b->pos[i])
			return a->pos[i] < b->pos[i] ? -1 : 1;
	return 0;
}

/* Best first: higher score, fewer members, smaller sorted member ids. */
static int cmp_ranked(const void *pa, const void *pb)
{
	const ranked *a = pa, *b = pb;

	if (a->t.score != b->t.score)
		return a->t.score > b->t.score ? -1 : 1;
	if (a->t.m != b->t.m)
		return a->t.m < b->t.m ? -1 : 1;
	for (int i = 0; i < a->t.m; i++)
		if (a->ids[i] != b->ids[i])
			return a->ids[i] < b->ids[i] ? -1 : 1;
	return 0;
}

bool lmi_team_needed(const lmi_team_need *tn, const uint32_t *pos, int m,
                     double score)
{
	uint32_t rest[LMI_TEAM_MAX];
	double s2;

	if (m == 1)
		return true;
	for (int j = 0; j < m; j++) {
		int k = 0;

		for (int i = 0; i < m; i++)
			if (i != j)
				rest[k++] = pos[i];
		if (lmi_team_score(tn, rest, k, &s2) && !(s2 < score))
			return false;
	}
	return true;
}

/* Dedupe c->got, keep the teams of score >= floor in which every member
 * is needed, sort them best first into *out. */
static int finish_top(price_ctx *c, double floor, ranked **out, size_t *n)
{
	const lmi_team_need *tn = c->tn;
	ranked *v;
	size_t i, m = 0;

	*out = NULL;
	*n = 0;
	if (c->n_got > 1)
		qsort(c->got, c->n_got, sizeof *c->got, cmp_pos);
	v = malloc((c->n_got ? c->n_got : 1) * sizeof *v);
	if (!v)
		return LM_ENOMEM;
	for (i = 0; i < c->n_got; i++) {
		lmi_team *t = &c->got[i];

		if (i > 0 && cmp_pos(t, &c->got[i - 1]) == 0)
			continue;
		if (!(t->score >= floor) || !lmi_team_needed(tn, t->pos, t->m, t->score))
			continue;
		v[m].t = *t;
		for (int j = 0; j < t->m; j++)
			v[m].ids[j] = tn->cand[t->pos[j]];
		qsort(v[m].ids, (size_t)t->m, sizeof *v[m].ids, cmp_u32);
		m++;
	}
	if (m > 1)
		qsort(v, m, sizeof *v, cmp_ranked);
	*out = v;
	*n = m;
	return LM_OK;
}

/* Every single candidate (a need of team 1). */
static void top_singles(price_ctx *c)
{
	for (uint32_t p = 0; p < c->tn->n_cand; p++) {
		c->stack[0] = p;
		c->depth = 1;
		leaf(c);
	}
}

/* Teams of up to team_max: enumerate every split within delta of the
 * best, widening delta until k teams are certainly among them (every team
 * of score >= best - delta + eps is reached). */
static int top_teams(price_ctx *c, size_t k, ranked **v, size_t *n)
{
	const lmi_team_need *tn = c->tn;
	double ub, vbest, eps = 0.0, delta = 1.0, floor;
	double range = 101.0 + tn->penalty * LMI_TEAM_MAX;
	uint32_t last;
	int rc = LM_OK;

	c->L = tn->team_max;
	reset_best1(c);
	add_group(c, 0, tn->n_cand);
	run_dp(c);
	ub = tn->penalty + c->w->G[0][c->w->W - 1];
	if (ub == -INFINITY)
		return LM_OK;
	pass_values(c, ub, INFINITY, &vbest, &eps);
	if (vbest == -INFINITY)
		return LM_OK;
	for (;;) {
		bool all = delta > range;

		/* -1e300, not -inf: -inf marks what no split reaches. */
		floor = all ? -1e300 : vbest - delta;
		last = pass_values(c, ub, floor, &vbest, &eps);
		c->n_got = 0;
		pass_teams(c, last, floor, eps);
		if (c->oom)
			return LM_ENOMEM;
		free(*v);
		*v = NULL;
		if ((rc = finish_top(c, all ? floor : floor + eps, v, n)))
			return rc;
		if (all || (k > 0 && *n >= k))
			return LM_OK;
		delta *= 2.0;
	}
}

int lmi_team_top(const lmi_team_need *tn, size_t k, lmi_team **out,
                 size_t *n_out)
{
	price_ctx c;
	ranked *v = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	*n_out = 0;
	memset(&c, 0, sizeof c);
	c.tn = tn;
	c.w = tn->work;
	c.collect = true;
	c.scale = 100.0;
	if (tn->team_max <= 1 || !c.w) {
		top_singles(&c);
		rc = c.oom ? LM_ENOMEM : finish_top(&c, -1e300, &v, &n);
	} else {
		rc = top_teams(&c, k, &v, &n);
	}
	if (rc == LM_OK && n > 0) {
		size_t keep_n = k > 0 && n > k ? k : n;
		lmi_team *t = malloc(keep_n * sizeof *t);

		if (!t) {
			rc = LM_ENOMEM;
		} else {
			for (size_t i = 0; i < keep_n; i++)
				t[i] = v[i].t;
			*out = t;
			*n_out = keep_n;
		}
	}
	free(v);
	free(c.got);
	return rc;
}
