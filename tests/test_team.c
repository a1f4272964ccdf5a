/* SPDX-License-Identifier: MIT */
/*
 * test_team.c -- cmocka tests of the team module (engine/team.c): a team
 * of one scores bit for bit like lmi_score_fast; the team score agrees
 * with the SPEC.md formula recomputed from each member's one-expert
 * explanation; lmi_team_best agrees with brute-force enumeration of every
 * team on many small random catalogues, with random prices and random
 * forbidden and forced experts.
 */
#include "lm_gen.h"

#include <math.h>
#include <stdlib.h>
#include <unistd.h>

#include "engine/team.h"

/* gen_catalog's text with `team: T` (random 1..4, mostly > 1) on every
 * need and a random team penalty. */
static char *gen_team_catalog(uint64_t seed, int n_experts, int n_needs,
                              bool twins, int *penalty_out)
{
	uint64_t rng = seed ^ 0x7ea11ull;
	char *base = gen_catalog(seed, n_experts, n_needs, twins);
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	static const double penalties[] = {0, 5, 2.5, 20};
	int pk = lmt_int(&rng, 0, 3);
	bool in_needs = false;

	assert_non_null(f);
	fprintf(f, "settings: {team_penalty: %g}\n", penalties[pk]);
	*penalty_out = pk;
	for (line = strtok_r(base, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		fprintf(f, "%s\n", line);
		if (!strcmp(line, "needs:"))
			in_needs = true;
		else if (in_needs && !strncmp(line, "  - id: ", 8))
			fprintf(f, "    team: %d\n", lmt_int(&rng, 0, 5) == 0
			                                 ? 1
			                                 : lmt_int(&rng, 2, 4));
	}
	/* Needs with more skills than gen_catalog gives, so that teams of
	 * three and four are common. */
	for (int i = 0; i < 4; i++) {
		int picked[6], ns = lmt_int(&rng, 3, 6);

		gen_skill_set(&rng, ns, picked);
		fprintf(f, "  - id: nx%d\n    company: c%d\n    mode: %s\n"
		           "    team: %d\n    skills:\n", i,
		        lmt_int(&rng, 0, N_COMPANIES - 1),
		        i == 3 ? "remote" : i == 2 ? "hybrid" : "onsite",
		        lmt_int(&rng, 2, 5));
		for (int j = 0; j < ns; j++)
			fprintf(f, "      s%02d: {level: %d, weight: %d, optional: %s}\n",
			        picked[j], lmt_int(&rng, 1, 3), lmt_int(&rng, 1, 3),
			        lmt_int(&rng, 0, 3) == 0 || i == 1 ? "true" : "false");
		if (lmt_int(&rng, 0, 2) == 0)
			fprintf(f, "    language: %s\n", langs[lmt_int(&rng, 0, 2)]);
	}
	assert_int_equal(fclose(f), 0);
	free(base);
	return buf;
}

/* A random team catalogue loaded with a scorer: how each seeded test
 * starts (penalty index in pk). */
typedef struct world {
	char *yaml;
	lm_catalog *cat;
	lmi_scorer *sc;
	int pk;
} world;

static void world_open(world *w, uint64_t seed, int n_experts, int n_needs,
                       bool twins)
{
	w->yaml = gen_team_catalog(seed, n_experts, n_needs, twins, &w->pk);
	w->cat = lmt_load(w->yaml);
	assert_int_equal(lmi_scorer_new(w->cat, NULL, &w->sc), LM_OK);
}

static void world_close(world *w)
{
	lmi_scorer_free(w->sc);
	lm_catalog_free(w->cat);
	free(w->yaml);
}

/* ---- a team of one ------------------------------------------------------- */

static void check_singles(lm_catalog *cat, lmi_scorer *sc, uint32_t need)
{
	lmi_team_need tn;
	lmi_need_view nv;
	uint32_t e, p = 0;

	assert_int_equal(lmi_team_need_prepare(sc, need, &tn), LM_OK);
	assert_int_equal(lmi_need_view_stored(sc, need, &nv), LM_OK);
	for (e = 0; e < cat->experts.n; e++) {
		double s1 = 0, s2 = 0, km;
		bool f1 = lmi_score_fast(sc, &nv, e, &s1, &km), f2 = false;
		uint32_t q;

		for (q = 0; q < tn.n_cand && tn.cand[q] != e; q++)
			;
		if (q < tn.n_cand) {
			f2 = lmi_team_score(&tn, &q, 1, &s2);
			p++;
		}
		assert_int_equal(f1, f2);
		if (f1)
			assert_memory_equal(&s1, &s2, sizeof s1);
	}
	assert_int_equal(p, tn.n_cand);
	/* The candidates are exactly the experts a scan of everyone finds. */
	p = 0;
	for (e = 0; e < cat->experts.n; e++) {
		double km, dfit, cr[16];
		uint8_t cv[16];
		bool any = false;

		if (!lmi_score_member(sc, &nv, e, &km, &dfit, cr, cv))
			continue;
		for (uint32_t i = 0; i < nv.n_skills; i++)
			any |= cv[i] != 0;
		if (any || (nv.language &&
		            lmi_expert_speaks(cat, e, nv.language)))
			p++;
	}
	assert_int_equal(p, tn.n_cand);
	/* Sorted by distance fit, then index. */
	for (p = 1; p < tn.n_cand; p++)
		assert_true(tn.dfit[p - 1] > tn.dfit[p] ||
		            (tn.dfit[p - 1] == tn.dfit[p] &&
		             tn.cand[p - 1] < tn.cand[p]));
	lmi_need_view_free(&nv);
	lmi_team_need_free(&tn);
}

static void test_single_bit_identical(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 30; seed++) {
		world w;

		world_open(&w, seed, 40, 12, seed % 3 == 0);
		for (uint32_t n = 0; n < w.cat->needs.n; n++)
			check_singles(w.cat, w.sc, n);
		world_close(&w);
	}
}

/* ---- the formula, from one-expert explanations ------------------------------ */

/* SPEC.md's team score recomputed from lmi_score_full of each member. */
static bool formula(lmi_scorer *sc, const lmi_team_need *tn,
                    const uint32_t *pos, int m, double penalty, double *out)
{
	const lmi_need_view *nv = &tn->nv;
	double best[16] = {0}, D = 1.0, num = 0.0, den = 0.0;
	bool cov[16] = {0}, spoken = !nv->language, any = false, allopt = true;

	for (int j = 0; j < m; j++) {
		lmi_eval ev;

		assert_int_equal(lmi_score_full(sc, nv, tn->cand[pos[j]], &ev), LM_OK);
		if (j == 0 || ev.match.components.distance_fit < D)
			D = ev.match.components.distance_fit;
		for (size_t i = 0; i < ev.n_credits; i++) {
			if (ev.credits[i].credit > best[i])
				best[i] = ev.credits[i].credit;
			cov[i] |= ev.credits[i].via_skill != NULL;
		}
		spoken |= lmi_expert_speaks(lmi_scorer_catalog(sc),
		                            tn->cand[pos[j]], nv->language ? nv->language : "");
		lmi_eval_free(&ev);
	}
	for (uint32_t i = 0; i < nv->n_skills; i++) {
		if (!cov[i] && !nv->skills[i].optional)
			return false;
		allopt &= nv->skills[i].optional;
		any |= cov[i];
		num += nv->skills[i].weight * best[i];
		den += nv->skills[i].weight;
	}
	if (!spoken || (allopt && !any))
		return false;
	*out = 100.0 * (nv->ws * num / den + nv->wd * D) / (nv->ws + nv->wd) -
	       penalty * (m - 1);
	return true;
}

static void test_score_formula(void **state)
{
	static const double penalties[] = {0, 5, 2.5, 20};

	(void)state;
	for (uint64_t seed = 100; seed < 120; seed++) {
		uint64_t rng = seed;
		world w;

		world_open(&w, seed, 30, 10, false);
		for (uint32_t n = 0; n < w.cat->needs.n; n++) {
			lmi_team_need tn;

			assert_int_equal(lmi_team_need_prepare(w.sc, n, &tn), LM_OK);
			for (int t = 0; t < 40 && tn.n_cand > 0; t++) {
				uint32_t pos[LMI_TEAM_MAX];
				int m = lmt_int(&rng, 1, 4);
				double a = 0, b = 0;
				bool fa, fb;

				for (int j = 0; j < m; j++)
					pos[j] = (uint32_t)lmt_int(&rng, 0, (int)tn.n_cand - 1);
				fa = lmi_team_score(&tn, pos, m, &a);
				fb = formula(w.sc, &tn, pos, m, penalties[w.pk], &b);
				assert_int_equal(fa, fb);
				if (fa)
					assert_true(fabs(a - b) < 1e-9);
			}
			lmi_team_need_free(&tn);
		}
		world_close(&w);
	}
}

/* ---- pricing against brute force -------------------------------------------- */

typedef struct brute {
	const double *price;  /* per expert, or NULL */
	const uint8_t *st;    /* per expert: 1 forbidden, 2 forced; or NULL */
	bool have;
	double value;
	lmi_team team;
	uint32_t ids[LMI_TEAM_MAX];
} brute;

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Is member j of the team needed: removing it breaks a rule or lowers
 * the score? */
static bool needed(const lmi_team_need *tn, const uint32_t *pos, int m, int j,
                   double score)
{
	uint32_t rest[LMI_TEAM_MAX];
	double s2;
	int k = 0;

	if (m == 1)
		return true;
	for (int i = 0; i < m; i++)
		if (i != j)
			rest[k++] = pos[i];
	return !lmi_team_score(tn, rest, k, &s2) || s2 < score;
}

/* What every_team shows each team of sorted positions pos[0..m). */
typedef void team_visit(const lmi_team_need *tn, const uint32_t *pos, int m,
                        void *ctx);

/* Every team of sorted positions, sizes 1..team_max, from position
 * `from` on after the m already in pos. */
static void every_team(const lmi_team_need *tn, uint32_t *pos, int m,
                       uint32_t from, team_visit *visit, void *ctx)
{
	if (m > 0)
		visit(tn, pos, m, ctx);
	if (m == tn->team_max)
		return;
	for (uint32_t p = from; p < tn->n_cand; p++) {
		pos[m] = p;
		every_team(tn, pos, m + 1, p + 1, visit, ctx);
	}
}

/* The team, if it is allowed and better than b's best so far. */
static void consider(const lmi_team_need *tn, const uint32_t *pos, int m,
                     void *ctx)
{
	brute *b = ctx;
	const double *price = b->price;
	const uint8_t *st = b->st;
	uint32_t ids[LMI_TEAM_MAX];
	double score, value;
	int j, nforced = 0;

	for (j = 0; j < m; j++)
		if (st && st[tn->cand[pos[j]]] == 1)
			return;
	for (uint32_t p = 0; st && p < tn->n_cand; p++)
		if (st[tn->cand[p]] == 2)
			nforced++;
	for (j = 0; j < m; j++)
		if (st && st[tn->cand[pos[j]]] == 2)
			nforced--;
	if (nforced)
		return;
	if (!lmi_team_score(tn, pos, m, &score))
		return;
	for (j = 0; j < m; j++)
		if (!(st && st[tn->cand[pos[j]]] == 2) &&
		    !needed(tn, pos, m, j, score))
			return;
	value = score;
	for (j = 0; j < m; j++)
		value -= price ? price[tn->cand[pos[j]]] : 0.0;
	for (j = 0; j < m; j++)
		ids[j] = tn->cand[pos[j]];
	qsort(ids, (size_t)m, sizeof *ids, cmp_u32);
	if (b->have) {
		if (value < b->value)
			return;
		if (value == b->value) {
			if (m > b->team.m)
				return;
			if (m == b->team.m) {
				for (j = 0; j < m && ids[j] == b->ids[j]; j++)
					;
				if (j == m || ids[j] > b->ids[j])
					return;
			}
		}
	}
	b->have = true;
	b->value = value;
	b->team.m = m;
	b->team.score = score;
	memcpy(b->team.pos, pos, (size_t)m * sizeof *pos);
	memcpy(b->ids, ids, (size_t)m * sizeof *ids);
}

static void check_best(const lmi_team_need *tn, const double *price,
                       const uint8_t *st)
{
	brute b = {.price = price, .st = st};
	uint32_t pos[LMI_TEAM_MAX];
	lmi_team got;
	bool have;

	every_team(tn, pos, 0, 0, consider, &b);
	have = lmi_team_best(tn, price, st, &got);
	assert_int_equal(have, b.have);
	if (!have)
		return;
	assert_int_equal(got.m, b.team.m);
	assert_memory_equal(got.pos, b.team.pos, (size_t)got.m * sizeof *got.pos);
	assert_memory_equal(&got.score, &b.team.score, sizeof got.score);
}

static void price_round(lm_catalog *cat, lmi_scorer *sc, uint64_t *rng,
                        int *checked)
{
	size_t ne = cat->experts.n ? cat->experts.n : 1;
	double *price = calloc(ne, sizeof *price);
	uint8_t *st = calloc(ne, 1);

	assert_non_null(price);
	assert_non_null(st);
	for (uint32_t n = 0; n < cat->needs.n; n++) {
		lmi_team_need tn;

		assert_int_equal(lmi_team_need_prepare(sc, n, &tn), LM_OK);
		if (tn.n_cand > 14) { /* keep brute force small */
			lmi_team_need_free(&tn);
			continue;
		}
		for (int r = 0; r < 6; r++) {
			int kind = lmt_int(rng, 0, 2);

			for (size_t e = 0; e < ne; e++) {
				price[e] = kind == 0 ? 0.0
				           : kind == 1 ? (double)lmt_int(rng, 0, 3) * 5.0
				                       : lmt_real(rng, 0.0, 40.0);
				st[e] = 0;
			}
			for (uint32_t p = 0; p < tn.n_cand && r >= 2; p++) {
				int x = lmt_int(rng, 0, 19);

				st[tn.cand[p]] = x < 3 ? 1 : x < 5 ? 2 : 0;
			}
			check_best(&tn, r == 0 ? NULL : price, r < 2 ? NULL : st);
			(*checked)++;
		}
		lmi_team_need_free(&tn);
	}
	free(price);
	free(st);
}

static void test_best_vs_brute_force(void **state)
{
	int checked = 0;

	(void)state;
	for (uint64_t seed = 1000; seed < 1150; seed++) {
		uint64_t rng = seed * 31;
		world w;

		world_open(&w, seed, lmt_int(&rng, 4, 14), 10, seed % 4 == 0);
		price_round(w.cat, w.sc, &rng, &checked);
		world_close(&w);
	}
	assert_true(checked > 3000);
}

/* ---- the k best teams against brute force ------------------------------------ */

typedef struct all_teams {
	lmi_team *v;
	uint32_t (*ids)[LMI_TEAM_MAX];
	size_t n, cap;
} all_teams;

/* The team, if every member is needed. */
static void all_add(const lmi_team_need *tn, const uint32_t *pos, int m,
                    void *ctx)
{
	all_teams *a = ctx;
	double score;

	if (!lmi_team_score(tn, pos, m, &score))
		return;
	for (int j = 0; j < m; j++)
		if (!needed(tn, pos, m, j, score))
			return;
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 64;
		a->v = realloc(a->v, a->cap * sizeof *a->v);
		a->ids = realloc(a->ids, a->cap * sizeof *a->ids);
		assert_non_null(a->v);
		assert_non_null(a->ids);
	}
	a->v[a->n].m = m;
	a->v[a->n].score = score;
	memcpy(a->v[a->n].pos, pos, (size_t)m * sizeof *pos);
	for (int j = 0; j < m; j++)
		a->ids[a->n][j] = tn->cand[pos[j]];
	qsort(a->ids[a->n], (size_t)m, sizeof **a->ids, cmp_u32);
	a->n++;
}

/* Is team i of a before team j (score, members, sorted ids)? */
static bool before(const all_teams *a, size_t i, size_t j)
{
	if (a->v[i].score != a->v[j].score)
		return a->v[i].score > a->v[j].score;
	if (a->v[i].m != a->v[j].m)
		return a->v[i].m < a->v[j].m;
	for (int k = 0; k < a->v[i].m; k++)
		if (a->ids[i][k] != a->ids[j][k])
			return a->ids[i][k] < a->ids[j][k];
	return false;
}

static void check_top(const lmi_team_need *tn, size_t k)
{
	all_teams a = {0};
	uint32_t pos[LMI_TEAM_MAX];
	lmi_team *got = NULL, best;
	size_t n = 0, want;
	bool have;

	every_team(tn, pos, 0, 0, all_add, &a);
	/* Selection sort of the first `want` (the lists are small). */
	want = k == 0 || k > a.n ? a.n : k;
	for (size_t i = 0; i < want; i++) {
		size_t b = i;

		for (size_t j = i + 1; j < a.n; j++)
			if (before(&a, j, b))
				b = j;
		if (b != i) {
			lmi_team t = a.v[i];
			uint32_t ids[LMI_TEAM_MAX];

			memcpy(ids, a.ids[i], sizeof ids);
			a.v[i] = a.v[b];
			memcpy(a.ids[i], a.ids[b], sizeof ids);
			a.v[b] = t;
			memcpy(a.ids[b], ids, sizeof ids);
		}
	}
	assert_int_equal(lmi_team_top(tn, k, &got, &n), LM_OK);
	assert_int_equal(n, want);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(got[i].m, a.v[i].m);
		assert_memory_equal(got[i].pos, a.v[i].pos,
		                    (size_t)got[i].m * sizeof *got[i].pos);
		assert_memory_equal(&got[i].score, &a.v[i].score, sizeof(double));
	}
	/* The first is the best team with no prices and no states. */
	have = lmi_team_best(tn, NULL, NULL, &best);
	assert_int_equal(have, n > 0);
	if (have) {
		assert_int_equal(best.m, got[0].m);
		assert_memory_equal(best.pos, got[0].pos,
		                    (size_t)best.m * sizeof *best.pos);
	}
	free(got);
	free(a.v);
	free(a.ids);
}

static void test_top_vs_brute_force(void **state)
{
	int checked = 0;

	(void)state;
	for (uint64_t seed = 5000; seed < 5120; seed++) {
		uint64_t rng = seed * 17;
		world w;

		world_open(&w, seed, lmt_int(&rng, 4, 13), 8, seed % 5 == 0);
		for (uint32_t nd = 0; nd < w.cat->needs.n; nd++) {
			lmi_team_need tn;

			assert_int_equal(lmi_team_need_prepare(w.sc, nd, &tn), LM_OK);
			if (tn.n_cand <= 13) {
				check_top(&tn, seed % 4 == 0 ? 0 : (size_t)lmt_int(&rng, 1, 12));
				check_top(&tn, 1);
				checked++;
			}
			lmi_team_need_free(&tn);
		}
		world_close(&w);
	}
	assert_true(checked > 1000);
}

static const char team_yaml[] =
    "settings: {team_penalty: 3.5}\n"
    "places:\n  - {id: p0, name: Base, lat: 60.0, lon: 11.0}\n"
    "gardens:\n  - {id: g, name: Hagen, place: p0}\n"
    "skills:\n  - {id: export, label: Eksport}\n  - {id: sales, label: Salg}\n"
    "experts:\n"
    "  - {id: e1, name: En, garden: g, home: p0, skills: {export: 4}}\n"
    "  - {id: e2, name: To, garden: g, home: p0, skills: {sales: 4}}\n"
    "companies:\n  - {id: c0, name: Base AS, place: p0}\n"
    "needs:\n"
    "  - {id: n1, company: c0, skills: {export: 3, sales: 3}, team: 3}\n"
    "  - {id: n2, company: c0, skills: {export: 3}}\n";

/* ---- the public API agrees with the engine ------------------------------------ */

static void check_public(lm_catalog *cat, lmi_scorer *sc, uint32_t nd)
{
	lmi_team_need tn;
	lmi_team *top = NULL;
	size_t n = 0;
	lm_team_ranking *r = NULL;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	const char *need = cat->needs.v[nd].id;

	o.k = 4;
	assert_int_equal(lmi_team_need_prepare(sc, nd, &tn), LM_OK);
	assert_int_equal(lmi_team_top(&tn, 4, &top, &n), LM_OK);
	assert_int_equal(lm_rank_teams(cat, need, &o, &r), LM_OK);
	assert_int_equal(lm_team_ranking_count(r), n);
	assert_int_equal(lm_team_ranking_skill_count(r), tn.nv.n_skills);
	for (size_t i = 0; i < n; i++) {
		const lm_team *t = lm_team_ranking_get(r, i);
		const char *ids[LMI_TEAM_MAX];
		lm_team_explanation *x = NULL;

		assert_int_equal(t->member_count, (size_t)top[i].m);
		assert_memory_equal(&t->score, &top[i].score, sizeof t->score);
		for (size_t j = 0; j < t->member_count; j++) {
			const lm_team_member *mb = lm_team_ranking_member(r, i, j);

			assert_true(mb->needed && mb->feasible);
			ids[j] = mb->expert_id;
			if (j > 0)
				assert_true(strcmp(ids[j - 1], ids[j]) < 0);
		}
		assert_null(lm_team_ranking_member(r, i, t->member_count));
		/* Explaining the team gives the same, in any order. */
		if (t->member_count > 1) {
			const char *tmp = ids[0];

			ids[0] = ids[t->member_count - 1];
			ids[t->member_count - 1] = tmp;
		}
		assert_int_equal(lm_team_explain(cat, need, ids, t->member_count,
		                                 NULL, &x), LM_OK);
		assert_true(lm_team_explanation_feasible(x));
		assert_int_equal(lm_team_explanation_reason_count(x), 0);
		assert_memory_equal(&lm_team_explanation_team(x)->score, &t->score,
		                    sizeof t->score);
		lm_team_explanation_free(x);
	}
	assert_null(lm_team_ranking_get(r, n));
	lm_team_ranking_free(r);
	free(top);
	/* A team of one explains exactly as lm_explain. */
	for (size_t e = 0; e < cat->experts.n; e += 3) {
		const char *id = cat->experts.v[e].id;
		lm_team_explanation *x = NULL;
		lm_explanation *y = NULL;

		assert_int_equal(lm_team_explain(cat, need, &id, 1, NULL, &x), LM_OK);
		assert_int_equal(lm_explain(cat, need, id, NULL, &y), LM_OK);
		assert_int_equal(lm_team_explanation_feasible(x),
		                 lm_explanation_feasible(y));
		assert_memory_equal(&lm_team_explanation_team(x)->score,
		                    &lm_explanation_match(y)->score, sizeof(double));
		lm_team_explanation_free(x);
		lm_explanation_free(y);
	}
	lmi_team_need_free(&tn);
}

static void test_public_api(void **state)
{
	(void)state;
	for (uint64_t seed = 7000; seed < 7030; seed++) {
		world w;

		world_open(&w, seed, 25, 8, seed % 3 == 0);
		for (uint32_t nd = 0; nd < w.cat->needs.n; nd++)
			check_public(w.cat, w.sc, nd);
		world_close(&w);
	}
}

static void test_public_errors(void **state)
{
	lm_catalog *cat = lmt_load(team_yaml);
	lm_team_ranking *r = NULL;
	lm_team_explanation *x = NULL;
	const char *ids[9] = {"e1", "e2", "e1", "e2", "e1", "e2", "e1", "e2", "e1"};

	(void)state;
	assert_int_equal(lm_rank_teams(cat, "nx", NULL, &r), LM_ENOTFOUND);
	assert_null(r);
	assert_int_equal(lm_rank_teams(NULL, "n1", NULL, &r), LM_EINVAL);
	assert_int_equal(lm_team_explain(cat, "n1", ids, 0, NULL, &x), LM_EINVAL);
	assert_int_equal(lm_team_explain(cat, "n1", ids, 9, NULL, &x), LM_EINVAL);
	ids[1] = "e-nobody";
	assert_int_equal(lm_team_explain(cat, "n1", ids, 2, NULL, &x), LM_ENOTFOUND);
	assert_null(x);
	ids[1] = "e2";
	/* e1 twice and four members for a team of three: both said. */
	assert_int_equal(lm_team_explain(cat, "n1", ids, 4, NULL, &x), LM_OK);
	assert_false(lm_team_explanation_feasible(x));
	assert_int_equal(lm_team_explanation_reason_count(x), 3);
	assert_string_equal(lm_team_explanation_reason(x, 0),
	                    "the team has 4 members; the need takes at most 3");
	assert_string_equal(lm_team_explanation_reason(x, 1), "e1 is named twice");
	assert_string_equal(lm_team_explanation_reason(x, 2), "e2 is named twice");
	lm_team_explanation_free(x);
	/* One member: a skill uncovered. */
	assert_int_equal(lm_team_explain(cat, "n1", ids, 1, NULL, &x), LM_OK);
	assert_int_equal(lm_team_explanation_reason_count(x), 1);
	assert_string_equal(lm_team_explanation_reason(x, 0),
	                    "no member has sales (or a related skill) at level 3 "
	                    "or above");
	assert_true(lm_team_explanation_team(x)->score == 0.0);
	lm_team_explanation_free(x);
	/* The pair: exact numbers.  S = (0.95 + 0.95) / 2, D = 1, penalty 3.5. */
	assert_int_equal(lm_team_explain(cat, "n1", ids, 2, NULL, &x), LM_OK);
	assert_true(lm_team_explanation_feasible(x));
	assert_true(fabs(lm_team_explanation_team(x)->score -
	                 (100.0 * (0.7 * 0.95 + 0.3) - 3.5)) < 1e-9);
	assert_string_equal(lm_team_explanation_skill(x, 1)->member, "e2");
	assert_true(lm_team_explanation_member(x, 0)->needed);
	lm_team_explanation_free(x);
	assert_int_equal(lm_rank_teams(cat, "n1", NULL, &r), LM_OK);
	assert_int_equal(lm_team_ranking_count(r), 1);
	assert_int_equal(lm_team_ranking_get(r, 0)->member_count, 2);
	lm_team_ranking_free(r);
	lm_catalog_free(cat);
}

/* ---- the data: team and team_penalty through the API and a database -------- */


static void check_team_data(lm_catalog *cat, double penalty)
{
	size_t i;

	assert_int_equal(lm_catalog_find(cat, LM_NEED, "n1", &i), LM_OK);
	assert_int_equal(lm_catalog_need_team(cat, i), 3);
	assert_int_equal(lm_catalog_find(cat, LM_NEED, "n2", &i), LM_OK);
	assert_int_equal(lm_catalog_need_team(cat, i), 1);
	assert_int_equal(lm_catalog_need_team(cat, 99), 0);
	assert_true(lm_catalog_team_penalty(cat) == penalty);
}

static void test_team_data(void **state)
{
	char path[] = "/tmp/test_team_XXXXXX";
	lm_catalog *cat = lmt_load(team_yaml), *back = NULL, *plain;
	char *yaml = NULL;
	size_t len = 0;
	FILE *f;
	lm_db *db = NULL;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	check_team_data(cat, 3.5);
	assert_int_equal(lm_catalog_need_team(NULL, 0), 0);
	assert_true(lm_catalog_team_penalty(NULL) == 0.0);
	/* The default penalty is 5. */
	plain = lmt_load("skills:\n  - {id: a, label: A}\n");
	assert_true(lm_catalog_team_penalty(plain) == 5.0);
	lm_catalog_free(plain);
	/* Exported and loaded again. */
	f = open_memstream(&yaml, &len);
	assert_non_null(f);
	assert_int_equal(lm_catalog_export(cat, LM_FORMAT_YAML, f), LM_OK);
	assert_int_equal(fclose(f), 0);
	plain = lmt_load(yaml);
	check_team_data(plain, 3.5);
	lm_catalog_free(plain);
	free(yaml);
	/* Stored in a database and read back. */
	close(fd);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(team_yaml, f);
	fclose(f);
	{
		char dbpath[64];
		const char *paths[] = {path};

		snprintf(dbpath, sizeof dbpath, "%s.db", path);
		assert_int_equal(lm_db_open(dbpath, LM_DB_CREATE, &db), LM_OK);
		assert_int_equal(lm_db_load(db, paths, 1, NULL, NULL), LM_OK);
		assert_int_equal(lm_db_read(db, &back), LM_OK);
		check_team_data(back, 3.5);
		lm_catalog_free(back);
		lm_db_close(db);
		unlink(dbpath);
	}
	unlink(path);
	lm_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_bit_identical),
		cmocka_unit_test(test_score_formula),
		cmocka_unit_test(test_best_vs_brute_force),
		cmocka_unit_test(test_top_vs_brute_force),
		cmocka_unit_test(test_team_data),
		cmocka_unit_test(test_public_api),
		cmocka_unit_test(test_public_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
