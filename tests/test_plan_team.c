/* SPDX-License-Identifier: MIT */
/*
 * test_plan_team.c -- cmocka tests of the quarter's plan with team needs
 * through the public API (libmatch/engine/plan_team.c over teamplan.c):
 * on random small catalogues, the plan's total against brute force over
 * every combination of teams (every set of a team need's candidates
 * within its size, scored by team.c) and pairs under capacity, in the
 * solver's integer scores; a cross-garden team for a need that no single
 * expert covers; the reasons of team needs left open; pins on team needs.
 */
#include "lm_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/plan.h"

#define NE 6
#define NN 4

static char *random_catalogue(uint64_t *rng, int ne, int nn, int *n_team)
{
	size_t cap = 16384, len = 0;
	char *y = malloc(cap);
	assert_non_null(y);
#define OUT(...) len += (size_t)snprintf(y + len, cap - len, __VA_ARGS__)
	OUT("settings: {team_penalty: %d}\n", lmt_int(rng, 0, 1) ? 5 : 0);
	OUT("%s", LMT_FOUR_ON_A_LINE);
	OUT("skills:\n");
	for (int s = 0; s < 5; s++)
		OUT("  - {id: s%d, label: S%d}\n", s, s);
	OUT("companies:\n  - {id: c0, name: C0, place: p0, garden: g0}\n"
	    "  - {id: c1, name: C1, place: p3, garden: g1}\n");
	OUT("experts:\n");
	for (int e = 0; e < ne; e++) {
		int a = lmt_int(rng, 0, 4), b = (a + lmt_int(rng, 1, 4)) % 5;
		OUT("  - {id: e%d, name: E%d, garden: g%d, home: p%d, capacity: %d, "
		    "remote: %s, skills: {s%d: %d, s%d: %d}}\n", e, e, e % 2,
		    lmt_int(rng, 0, 3), lmt_int(rng, 0, 3) ? lmt_int(rng, 1, 2) : 0,
		    lmt_int(rng, 0, 2) ? "true" : "false", a, lmt_int(rng, 2, 5), b,
		    lmt_int(rng, 2, 5));
	}
	OUT("needs:\n");
	static const char *modes[] = {"onsite", "remote", "hybrid"};
	*n_team = 0;
	for (int n = 0; n < nn; n++) {
		bool team = n == 0 || lmt_int(rng, 0, 1);
		int a = lmt_int(rng, 0, 4), b = (a + lmt_int(rng, 1, 4)) % 5;
		OUT("  - {id: n%d, company: c%d, mode: %s, max_km: %d, ", n,
		    lmt_int(rng, 0, 1), modes[lmt_int(rng, 0, 2)],
		    lmt_int(rng, 60, 250));
		if (team) {
			(*n_team)++;
			OUT("team: %d, skills: {s%d: %d, s%d: %s}}\n",
			    lmt_int(rng, 2, 3), a, lmt_int(rng, 2, 4), b,
			    lmt_int(rng, 0, 2) ? "4" : "{level: 3, optional: true}");
		} else {
			OUT("experts: %d, skills: {s%d: %d}}\n", lmt_int(rng, 1, 2),
			    a, lmt_int(rng, 1, 3));
		}
	}
#undef OUT
	return y;
}

/* ---- brute force in the solver's integer scores ------------------------ */

typedef struct brute {
	int ne, nn;
	int cap[NE];
	bool team[NN];
	int64_t pair[NN][NE];           /* -1: infeasible */
	int demand[NN];
	int64_t tw[NN][1 << NE];        /* by expert mask; -1: no team */
} brute;

/* A set of experts for need n: no team, or a team worth something; or
 * pairs within the need's demand, each worth something. */
static double set_value(void *ctx, int n, unsigned mask)
{
	const brute *b = ctx;
	int64_t add = 0;

	if (b->team[n]) {
		if (!mask)
			return 0;
		return b->tw[n][mask] > 0 ? (double)b->tw[n][mask] : -1;
	}
	if (__builtin_popcount(mask) > b->demand[n])
		return -1;
	for (int e = 0; e < b->ne; e++)
		if (mask >> e & 1) {
			if (b->pair[n][e] <= 0)
				return -1;
			add += b->pair[n][e];
		}
	return (double)add;
}

/* The integer weights of every team and pair, from the engine. */
static void brute_fill(brute *b, lm_catalog *cat)
{
	lmi_scorer *sc = NULL;
	assert_int_equal(lmi_scorer_new(cat, NULL, &sc), LM_OK);
	for (int e = 0; e < b->ne; e++)
		b->cap[e] = lmi_scorer_capacity_left(sc, (uint32_t)e);
	for (int n = 0; n < b->nn; n++) {
		b->team[n] = lm_catalog_need_team(cat, (size_t)n) > 1;
		b->demand[n] = lm_catalog_need(cat, (size_t)n)->experts;
		for (unsigned m = 0; m < (1u << b->ne); m++)
			b->tw[n][m] = -1;
		if (b->team[n]) {
			lmi_team_need tn;
			assert_int_equal(lmi_team_need_prepare(sc, (uint32_t)n, &tn),
			                 LM_OK);
			for (unsigned s = 1; s < (1u << tn.n_cand); s++) {
				uint32_t pos[LMI_TEAM_MAX];
				int m = 0;
				unsigned em = 0;
				for (uint32_t c = 0; c < tn.n_cand; c++)
					if (s >> c & 1) {
						if (m < LMI_TEAM_MAX)
							pos[m] = c;
						m++;
						em |= 1u << tn.cand[c];
					}
				double score;
				if (m <= tn.team_max && lmi_team_score(&tn, pos, m, &score))
					b->tw[n][em] = llround(score * WEIGHT_SCALE);
			}
			lmi_team_need_free(&tn);
			continue;
		}
		lmi_need_view nv;
		assert_int_equal(lmi_need_view_stored(sc, (uint32_t)n, &nv), LM_OK);
		for (int e = 0; e < b->ne; e++) {
			double s, km;
			b->pair[n][e] = lmi_score_fast(sc, &nv, (uint32_t)e, &s, &km)
			                ? llround(s * WEIGHT_SCALE) : -1;
		}
		lmi_need_view_free(&nv);
	}
	lmi_scorer_free(sc);
}

/* The plan's value in the same integers, and its limits respected. */
static int64_t plan_value(lm_catalog *cat, const lm_plan *p, const brute *b)
{
	int used[NE] = {0};
	int64_t v = 0;
	for (size_t i = 0; i < lm_plan_assignment_count(p); i++) {
		const lm_assignment *a = lm_plan_assignment(p, i);
		size_t e;
		assert_int_equal(lm_catalog_find(cat, LM_EXPERT, a->expert, &e), LM_OK);
		used[e]++;
		v += llround(a->score * WEIGHT_SCALE);
	}
	for (size_t i = 0; i < lm_plan_team_count(p); i++) {
		const lm_team_assignment *t = lm_plan_team(p, i);
		size_t n;
		unsigned mask = 0;
		assert_int_equal(lm_catalog_find(cat, LM_NEED, t->need, &n), LM_OK);
		assert_true(b->team[n]);
		for (size_t j = 0; j < t->n_members; j++) {
			size_t e;
			assert_int_equal(lm_catalog_find(cat, LM_EXPERT,
			                 lm_plan_team_member(p, i, j)->expert, &e), LM_OK);
			used[e]++;
			mask |= 1u << e;
		}
		assert_int_equal(llround(t->score * WEIGHT_SCALE), b->tw[n][mask]);
		v += b->tw[n][mask];
	}
	for (int e = 0; e < b->ne; e++)
		assert_true(used[e] <= b->cap[e]);
	return v;
}

static void test_against_brute_force(void **state)
{
	(void)state;
	uint64_t rng = 1515;
	int n_teams = 0;
	for (int run = 0; run < 400; run++) {
		int ne = lmt_int(&rng, 1, NE), nn = lmt_int(&rng, 1, NN), nt;
		char *y = random_catalogue(&rng, ne, nn, &nt);
		lm_catalog *cat = lmt_load(y);
		brute b = {.ne = ne, .nn = nn};
		brute_fill(&b, cat);
		/* The weights are integers far below 2^53: exact as doubles. */
		int64_t best = llround(lmt_best_sets(ne, nn, b.cap, set_value, &b));
		lm_plan *p = NULL;
		assert_int_equal(lm_plan_compute(cat, NULL, 0, NULL, &p), LM_OK);
		int64_t v = plan_value(cat, p, &b);
		if (v != best)
			fail_msg("run %d: plan %lld, brute force %lld\n%s", run,
			         (long long)v, (long long)best, y);
		assert_true(lm_plan_proven(p));
		assert_true(lm_plan_bound(p) == lm_plan_total_score(p));
		n_teams += (int)lm_plan_team_count(p);
		lm_plan_free(p);
		lm_catalog_free(cat);
		free(y);
	}
	/* The instances do form teams. */
	assert_true(n_teams > 100);
}

/* No one has both skills: a team of one from each garden takes it. */
static const char *CROSS =
	"places:\n"
	"  - {id: p0, name: P0, lat: 60.0, lon: 11}\n"
	"  - {id: p1, name: P1, lat: 60.3, lon: 11}\n"
	"gardens:\n  - {id: g0, name: G0, place: p0}\n"
	"  - {id: g1, name: G1, place: p1}\n"
	"skills:\n  - {id: timber, label: Timber}\n"
	"  - {id: german, label: German market}\n"
	"  - {id: ai, label: AI}\n"
	"companies:\n  - {id: c0, name: C0, place: p0, garden: g0}\n"
	"experts:\n"
	"  - {id: e-a, name: A, garden: g0, home: p0, capacity: 1, skills: {timber: 5}}\n"
	"  - {id: e-b, name: B, garden: g1, home: p1, capacity: 1, skills: {german: 4}}\n"
	"  - {id: e-c, name: C, garden: g1, home: p1, capacity: 1, skills: {timber: 3}}\n"
	"needs:\n"
	"  - {id: n-clt, company: c0, team: 3, skills: {timber: 5, german: 4}}\n"
	"  - {id: n-ai, company: c0, team: 2, skills: {ai: 5, german: 2}}\n"
	"  - {id: n-solo, company: c0, skills: {german: 3, ai: {level: 3, optional: true}}}\n";

static void test_cross_garden(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(CROSS);
	lm_plan *p = NULL;
	assert_int_equal(lm_plan_compute(cat, NULL, 0, NULL, &p), LM_OK);
	assert_true(lm_plan_proven(p));
	assert_int_equal(lm_plan_team_count(p), 1);
	const lm_team_assignment *t = lm_plan_team(p, 0);
	assert_string_equal(t->need, "n-clt");
	assert_int_equal(t->n_members, 2);
	assert_string_equal(lm_plan_team_member(p, 0, 0)->expert, "e-a");
	assert_string_equal(lm_plan_team_member(p, 0, 0)->garden, "g0");
	assert_string_equal(lm_plan_team_member(p, 0, 1)->expert, "e-b");
	assert_string_equal(lm_plan_team_member(p, 0, 1)->garden, "g1");
	assert_null(lm_plan_team_member(p, 0, 2));
	assert_null(lm_plan_team(p, 1));
	/* e-b's one engagement goes to the team: n-solo is open, and so is
	 * n-ai, which nobody can cover. */
	assert_int_equal(lm_plan_assignment_count(p), 0);
	assert_int_equal(lm_plan_unassigned_count(p), 2);
	const lm_unassigned *u = lm_plan_unassigned(p, 0);
	assert_string_equal(u->need, "n-ai");
	assert_string_equal(u->reason, "no feasible team");
	assert_string_equal(u->detail, "no team of up to 2 covers ai: nobody "
	                    "within reach has it at level >= 5");
	u = lm_plan_unassigned(p, 1);
	assert_string_equal(u->need, "n-solo");
	assert_string_equal(u->reason, "capacity spent");
	/* The gardens count the members. */
	assert_int_equal(lm_plan_garden(p, 0)->engagements, 1);
	assert_int_equal(lm_plan_garden(p, 1)->engagements, 1);
	assert_int_equal(lm_plan_garden(p, 1)->cross_garden, 1);
	assert_int_equal(lm_plan_garden(p, 0)->received, 2);
	assert_true(fabs(lm_plan_total_score(p) - t->score) < 1e-12);
	lm_plan_free(p);

	/* Pins name needs of one expert. */
	lm_pin pin = {"n-clt", "e-a"};
	assert_int_equal(lm_plan_compute(cat, &pin, 1, NULL, &p), LM_EINFEASIBLE);
	assert_null(p);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "is a team need"));
	/* With e-b pinned to n-solo, the team's need is open: capacity. */
	lm_pin solo = {"n-solo", "e-b"};
	assert_int_equal(lm_plan_compute(cat, &solo, 1, NULL, &p), LM_OK);
	assert_int_equal(lm_plan_team_count(p), 0);
	u = lm_plan_unassigned(p, 0);
	assert_string_equal(u->need, "n-ai");
	u = lm_plan_unassigned(p, 1);
	assert_string_equal(u->need, "n-clt");
	assert_string_equal(u->reason, "capacity spent");
	assert_non_null(strstr(u->detail, "needs e-b (1/1 engagements)"));
	lm_plan_free(p);
	/* A time limit that stops the search at once still gives a plan
	 * and a bound that holds; no limit gives the proven plan. */
	assert_int_equal(lm_plan_compute_limited(cat, NULL, 0, NULL, 1e-12, &p),
	                 LM_OK);
	assert_true(lm_plan_bound(p) >= lm_plan_total_score(p));
	assert_true(!lm_plan_proven(p) ||
	            lm_plan_bound(p) == lm_plan_total_score(p));
	lm_plan_free(p);
	assert_int_equal(lm_plan_compute_limited(cat, NULL, 0, NULL, -1, &p),
	                 LM_OK);
	assert_true(lm_plan_proven(p));
	assert_int_equal(lm_plan_team_count(p), 1);
	lm_plan_free(p);
	assert_int_equal(lm_plan_team_count(NULL), 0);
	assert_int_equal(lm_plan_proven(NULL), 0);
	lm_catalog_free(cat);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_brute_force),
		cmocka_unit_test(test_cross_garden),
	};
	return cmocka_run_group_tests_name("plan_team", tests, NULL, NULL);
}
