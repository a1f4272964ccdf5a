/* SPDX-License-Identifier: MIT */
/*
 * test_plan.c -- the quarter's plan through the public API: the total
 * against exhaustive enumeration on generated catalogues, capacity and
 * demand never exceeded, determinism, pins, committed engagements, and
 * the reasons given for needs that stay open.
 */
#include "lm_test.h"
#include "lm_gen.h"

#include <math.h>
#include <stdlib.h>

/* A random small catalogue: 4 places on a line 60 km apart, 3 skills in a
 * chain (s0 > s1 > s2), ne experts and nn needs. */
static char *random_catalogue(uint64_t *rng, int ne, int nn)
{
	size_t cap = 8192, len = 0;
	char *y = malloc(cap);
	assert_non_null(y);
#define OUT(...) len += (size_t)snprintf(y + len, cap - len, __VA_ARGS__)
	OUT("%s", LMT_FOUR_ON_A_LINE);
	OUT("skills:\n  - {id: s0, label: S0}\n"
	    "  - {id: s1, label: S1, parent: s0}\n"
	    "  - {id: s2, label: S2, parent: s1}\n");
	OUT("companies:\n  - {id: c0, name: C0, place: p0, garden: g0}\n"
	    "  - {id: c1, name: C1, place: p3, garden: g1}\n");
	OUT("experts:\n");
	for (int e = 0; e < ne; e++)
		OUT("  - {id: e%d, name: E%d, garden: g%d, home: p%d, capacity: %d, "
		    "remote: %s, skills: {s%d: %d, s%d: %d}}\n",
		    e, e, e % 2, lmt_int(rng, 0, 3), lmt_int(rng, 0, 2),
		    lmt_int(rng, 0, 3) ? "true" : "false", lmt_int(rng, 0, 1),
		    lmt_int(rng, 1, 5), 2, lmt_int(rng, 1, 5));
	OUT("needs:\n");
	static const char *modes[] = {"onsite", "remote", "hybrid"};
	for (int n = 0; n < nn; n++)
		OUT("  - {id: n%d, company: c%d, experts: %d, mode: %s, max_km: %d, "
		    "skills: {s%d: %d}}\n",
		    n, lmt_int(rng, 0, 1), lmt_int(rng, 1, 2),
		    modes[lmt_int(rng, 0, 2)], lmt_int(rng, 50, 200),
		    lmt_int(rng, 0, 2), lmt_int(rng, 1, 3));
#undef OUT
	return y;
}

typedef struct enumerator {
	int ne;
	double *score;        /* nn x ne, < 0 when infeasible */
	int *cap, *dem;
} enumerator;

/* A set of experts for a need: at most its demand, each feasible. */
static double set_value(void *ctx, int need, unsigned mask)
{
	const enumerator *en = ctx;
	double add = 0;

	if (__builtin_popcount(mask) > en->dem[need])
		return -1;
	for (int e = 0; e < en->ne; e++) {
		if (!(mask & (1u << e)))
			continue;
		double s = en->score[need * en->ne + e];
		if (s < 0)
			return -1;
		add += s;
	}
	return add;
}

static void test_against_enumeration(void **state)
{
	(void)state;
	uint64_t rng = 2026;
	for (int t = 0; t < 300; t++) {
		int ne = lmt_int(&rng, 1, 5), nn = lmt_int(&rng, 1, 4);
		char *y = random_catalogue(&rng, ne, nn);
		lm_catalog *cat = lmt_load(y);
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		o.period = "2026-Q1";
		enumerator en = {ne, calloc((size_t)(ne * nn), sizeof(double)),
		                 calloc((size_t)ne, sizeof(int)),
		                 calloc((size_t)nn, sizeof(int))};
		for (int e = 0; e < ne; e++) {
			const lm_expert_info *ei = lm_catalog_expert(cat, (size_t)e);
			en.cap[e] = ei->capacity;
		}
		for (int n = 0; n < nn; n++) {
			const lm_need_info *ni = lm_catalog_need(cat, (size_t)n);
			en.dem[n] = ni->experts;
			for (int e = 0; e < ne; e++) {
				lm_explanation *x = NULL;
				const lm_expert_info *ei = lm_catalog_expert(cat, (size_t)e);
				assert_int_equal(lm_explain(cat, ni->id, ei->id, &o, &x),
				                 LM_OK);
				en.score[n * ne + e] = lm_explanation_feasible(x)
					? lm_explanation_match(x)->score : -1;
				lm_explanation_free(x);
			}
		}
		/* Every way to give each need a subset of experts within the
		 * limits. */
		double best = lmt_best_sets(ne, nn, en.cap, set_value, &en);

		lm_plan *p = lmt_plan(cat, NULL, 0, &o);
		/* Optimal to the solver's 1/10,000 of a point per pair. */
		assert_true(fabs(lm_plan_total_score(p) - best) < 1e-4 * ne * nn + 1e-9);
		/* Limits respected, no expert twice on a need. */
		int *used = calloc((size_t)ne, sizeof(int));
		int *got = calloc((size_t)nn, sizeof(int));
		for (size_t i = 0; i < lm_plan_assignment_count(p); i++) {
			const lm_assignment *a = lm_plan_assignment(p, i);
			size_t n, e;
			assert_int_equal(lm_catalog_find(cat, LM_NEED, a->need, &n), LM_OK);
			assert_int_equal(lm_catalog_find(cat, LM_EXPERT, a->expert, &e), LM_OK);
			assert_true(en.score[n * (size_t)ne + e] >= 0);
			assert_true(a->score == en.score[n * (size_t)ne + e]);
			used[e]++;
			got[n]++;
			if (i > 0) {
				const lm_assignment *b = lm_plan_assignment(p, i - 1);
				assert_true(strcmp(b->need, a->need) < 0 ||
				            (!strcmp(b->need, a->need) &&
				             strcmp(b->expert, a->expert) < 0));
			}
		}
		for (int e = 0; e < ne; e++)
			assert_true(used[e] <= en.cap[e]);
		for (int n = 0; n < nn; n++)
			assert_true(got[n] <= en.dem[n]);
		/* Every need short of experts is reported, with a reason. */
		size_t short_needs = 0;
		for (int n = 0; n < nn; n++)
			short_needs += got[n] < en.dem[n];
		assert_int_equal(lm_plan_unassigned_count(p), short_needs);
		for (size_t i = 0; i < lm_plan_unassigned_count(p); i++) {
			const lm_unassigned *u = lm_plan_unassigned(p, i);
			assert_true(u->missing > 0);
			assert_non_null(u->reason);
			assert_non_null(u->detail);
			assert_non_null(u->fix);
		}
		/* The same input gives the same plan. */
		lm_plan *p2 = lmt_plan(cat, NULL, 0, &o);
		assert_int_equal(lm_plan_assignment_count(p2), lm_plan_assignment_count(p));
		for (size_t i = 0; i < lm_plan_assignment_count(p); i++) {
			assert_string_equal(lm_plan_assignment(p, i)->need,
			                    lm_plan_assignment(p2, i)->need);
			assert_string_equal(lm_plan_assignment(p, i)->expert,
			                    lm_plan_assignment(p2, i)->expert);
		}
		lm_plan_free(p2);
		lm_plan_free(p);
		free(used);
		free(got);
		free(en.score);
		free(en.cap);
		free(en.dem);
		lm_catalog_free(cat);
		free(y);
	}
}

static const char *SMALL =
    "places:\n  - {id: p, name: P, lat: 60, lon: 11}\n"
    "gardens:\n  - {id: g, name: G, place: p}\n  - {id: h, name: H, place: p}\n"
    "skills:\n  - {id: s1, label: S1}\n  - {id: s2, label: S2}\n"
    "companies:\n  - {id: c1, name: C1, place: p, garden: g}\n"
    "experts:\n"
    "  - {id: e1, name: E1, garden: g, home: p, capacity: 2, skills: {s1: 5}}\n"
    "  - {id: e2, name: E2, garden: g, home: p, capacity: 0, skills: {s1: 3}}\n"
    "  - {id: e3, name: E3, garden: h, home: p, capacity: 1, skills: {s1: 1, s2: 3}}\n"
    "needs:\n"
    "  - {id: n1, company: c1, experts: 2, skills: {s1: 1}}\n"
    "  - {id: n2, company: c1, experts: 3, skills: {s2: 2}}\n"
    "  - {id: n3, company: c1, skills: {s2: 5}}\n";

/* Need `id` as plan p leaves it open; the test fails unless it is open
 * for `reason`. */
static const lm_unassigned *open_need(const lm_plan *p, const char *id,
                                      const char *reason)
{
	for (size_t i = 0; i < lm_plan_unassigned_count(p); i++) {
		const lm_unassigned *u = lm_plan_unassigned(p, i);

		if (!strcmp(u->need, id)) {
			assert_string_equal(u->reason, reason);
			return u;
		}
	}
	fail_msg("need %s is not open", id);
	return NULL;
}

static void test_reasons(void **state)
{
	lm_catalog *cat = *state;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.period = "2026-Q2";
	lm_plan *p = lmt_plan(cat, NULL, 0, &o);
	assert_int_equal(lm_plan_assignment_count(p), 2);
	/* n1 got e1; e2 is feasible but has no capacity. */
	const lm_unassigned *u = open_need(p, "n1", "capacity spent");
	assert_non_null(strstr(u->detail, "e2"));
	assert_null(strstr(u->detail, "e1 ("));
	assert_non_null(strstr(u->fix, "capacity of e2"));
	/* n2: e3 is its only feasible expert and has it. */
	u = open_need(p, "n2", "too few feasible experts");
	assert_int_equal(u->missing, 2);
	assert_non_null(strstr(u->detail, "only 1 feasible expert"));
	assert_null(strstr(u->detail, "e3 ("));
	/* n3: nobody has s2 at 5. */
	u = open_need(p, "n3", "no feasible expert");
	assert_non_null(strstr(u->detail, "has s2 at level 3, the need asks for 5"));
	assert_non_null(strstr(u->fix, "relax a skill level"));
	/* The cooperation report: g's e1 and h's e3 both work for c1 of g. */
	assert_int_equal(lm_plan_garden_count(p), 2);
	assert_string_equal(lm_plan_garden(p, 0)->garden, "g");
	assert_int_equal(lm_plan_garden(p, 0)->engagements, 1);
	assert_int_equal(lm_plan_garden(p, 0)->received, 2);
	assert_int_equal(lm_plan_garden(p, 1)->cross_garden, 1);
	lm_plan_free(p);
}

/* The candidates named for a need nobody qualifies for are those who
 * miss the fewest of its requirements, then the nearest (issue 14, item
 * 9): not the nearest by km alone. */
static void test_nearest_candidates(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(
	    "places:\n  - {id: p0, name: P0, lat: 60, lon: 11}\n"
	    "  - {id: p1, name: P1, lat: 60.45, lon: 11}\n"
	    "  - {id: p2, name: P2, lat: 61.35, lon: 11}\n"
	    "gardens:\n  - {id: g, name: G, place: p0}\n"
	    "skills:\n  - {id: s1, label: S1}\n  - {id: s2, label: S2}\n"
	    "  - {id: s3, label: S3}\n"
	    "companies:\n  - {id: c1, name: C1, place: p0}\n"
	    "experts:\n"
	    "  - {id: e-near, name: Near, garden: g, home: p0, skills: {s3: 5}}\n"
	    "  - {id: e-mid, name: Mid, garden: g, home: p1, skills: {s1: 3}}\n"
	    "  - {id: e-far, name: Far, garden: g, home: p2, skills: {s1: 4, s2: 2}}\n"
	    "  - {id: e-also, name: Also, garden: g, home: p1, skills: {s3: 1},\n"
	    "     conflicts: [c1]}\n"
	    "needs:\n  - {id: n1, company: c1, skills: {s1: 3, s2: 3}}\n");
	lm_plan *p = lmt_plan(cat, NULL, 0, NULL);
	const lm_unassigned *u = open_need(p, "n1", "no feasible expert");
	assert_string_equal(u->detail,
	    "nearest candidates: "
	    "e-mid (50 km): has no skill related to s2 (level 3 asked); "
	    "e-far (150 km): has s2 at level 2, the need asks for 3; "
	    "e-near (0 km): has no skill related to s1 (level 3 asked) / "
	    "has no skill related to s2 (level 3 asked)");
	assert_string_equal(u->fix, "relax a skill level, mark a skill "
	                    "optional, or recruit the skill (3 experts miss "
	                    "only this rule, e.g. e-far)");
	lm_plan_free(p);
	lm_catalog_free(cat);
}

static void test_pins(void **state)
{
	lm_catalog *cat = *state;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	lm_plan *p = NULL;
	/* e3 is better used on n2, but a pin puts it on n1. */
	lm_pin pin = {"n1", "e3"};
	p = lmt_plan(cat, &pin, 1, &o);
	bool pinned = false;
	for (size_t i = 0; i < lm_plan_assignment_count(p); i++) {
		const lm_assignment *a = lm_plan_assignment(p, i);
		assert_false(!strcmp(a->need, "n2"));
		if (!strcmp(a->need, "n1") && !strcmp(a->expert, "e3"))
			pinned = a->pinned;
	}
	assert_true(pinned);
	lm_plan_free(p);
	/* An infeasible pin is refused with the rule it breaks. */
	lm_pin bad = {"n3", "e3"};
	assert_int_equal(lm_plan_compute(cat, &bad, 1, &o, &p), LM_EINFEASIBLE);
	assert_null(p);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "asks for 5"));
	/* Unknown ids are LM_ENOTFOUND. */
	lm_pin unknown = {"n1", "e9"};
	assert_int_equal(lm_plan_compute(cat, &unknown, 1, &o, &p), LM_ENOTFOUND);
	/* Pins over an expert's capacity name the pin that goes over and
	 * the numbers (e3 has one engagement a quarter, e2 none). */
	lm_pin two[] = {{"n1", "e3"}, {"n2", "e3"}};
	assert_int_equal(lm_plan_compute(cat, two, 2, &o, &p), LM_EINFEASIBLE);
	assert_null(p);
	assert_non_null(strstr(lm_catalog_errmsg(cat),
	                       "cannot pin e3 to n2: the pins give e3 2 engagements in "));
	assert_non_null(strstr(lm_catalog_errmsg(cat),
	                       ", and 1 is left (capacity 1, 0 committed)"));
	lm_pin none = {"n1", "e2"};
	assert_int_equal(lm_plan_compute(cat, &none, 1, &o, &p), LM_EINFEASIBLE);
	assert_non_null(strstr(lm_catalog_errmsg(cat),
	                       "the pins give e2 1 engagement in "));
	assert_non_null(strstr(lm_catalog_errmsg(cat),
	                       ", and 0 are left (capacity 0, 0 committed)"));
	/* The same pin twice is one pin. */
	lm_pin twice[] = {{"n1", "e3"}, {"N1", "E3"}};
	assert_int_equal(lm_plan_compute(cat, twice, 2, &o, &p), LM_OK);
	lm_plan_free(p);
}

static void test_committed(void **state)
{
	(void)state;
	/* e1 already works on n1 in 2026-Q3: n1 needs one more, e1 has one
	 * engagement left and may not take n1 twice. */
	char y[4096];
	snprintf(y, sizeof(y), "%s"
	         "engagements:\n  - {period: 2026-Q3, need: n1, expert: e1, score: 90}\n",
	         SMALL);
	lm_catalog *cat = lmt_load(y);
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.period = "2026-Q3";
	lm_plan *p = lmt_plan(cat, NULL, 0, &o);
	for (size_t i = 0; i < lm_plan_assignment_count(p); i++) {
		const lm_assignment *a = lm_plan_assignment(p, i);
		assert_false(!strcmp(a->need, "n1") && !strcmp(a->expert, "e1"));
	}
	lm_plan_free(p);
	/* Another period sees it too (issue 13): n1 still lacks one expert
	 * and e1, who has its capacity again, is already on it. */
	o.period = "2026-Q4";
	assert_int_equal(lm_plan_compute(cat, NULL, 0, &o, &p), LM_OK);
	int on_n1 = 0;
	for (size_t i = 0; i < lm_plan_assignment_count(p); i++) {
		const lm_assignment *a = lm_plan_assignment(p, i);
		assert_false(!strcmp(a->need, "n1") && !strcmp(a->expert, "e1"));
		on_n1 += !strcmp(a->need, "n1");
	}
	assert_true(on_n1 <= 1);
	lm_plan_free(p);
	lm_catalog_free(cat);
}

/* One place p with one garden g and one company c1 there, for the
 * catalogues below to add skills, experts and needs to. */
#define ONE_PLACE                                                          \
	"places:\n  - {id: p, name: P, lat: 60, lon: 11}\n"                   \
	"gardens:\n  - {id: g, name: G, place: p}\n"                          \
	"companies:\n  - {id: c1, name: C1, place: p}\n"

/* A pair that scores 0 adds nothing: the plan leaves the need open
 * rather than assign it (issue 14, item 7), unless it is pinned.  And a
 * need whose skills are all optional takes only experts who have one of
 * them: without, the pair is not even feasible. */
static void test_zero_score_pairs(void **state)
{
	(void)state;
	/* Only an optional skill nobody has: nobody is feasible. */
	lm_catalog *cat = lmt_load(
	    "settings: {weight_distance: 0}\n" ONE_PLACE
	    "skills:\n  - {id: s1, label: S1}\n  - {id: s2, label: S2}\n"
	    "experts:\n  - {id: e1, name: E1, garden: g, home: p, skills: {s1: 3}}\n"
	    "needs:\n  - {id: n1, company: c1, skills: {s2: {level: 1, optional: true}}}\n");
	lm_plan *p = lmt_plan(cat, NULL, 0, NULL);
	assert_int_equal(lm_plan_assignment_count(p), 0);
	const lm_unassigned *u = open_need(p, "n1", "no feasible expert");
	assert_non_null(strstr(u->detail, "e1 (0 km): has none of the need's "
	                       "skills at the level asked (every one is "
	                       "optional; at least one is needed)"));
	lm_plan_free(p);
	lm_explanation *x = NULL;
	assert_int_equal(lm_explain(cat, "n1", "e1", NULL, &x), LM_OK);
	assert_false(lm_explanation_feasible(x));
	assert_int_equal(lm_explanation_reason_count(x), 1);
	lm_explanation_free(x);
	lm_catalog_free(cat);

	/* A narrower skill that earns no credit (credit_child 0), and no
	 * distance weight: feasible, score 0, left open. */
	cat = lmt_load(
	    "settings: {weight_distance: 0, credit_child: 0}\n" ONE_PLACE
	    "skills:\n  - {id: s1, label: S1}\n  - {id: s2, label: S2, parent: s1}\n"
	    "experts:\n  - {id: e1, name: E1, garden: g, home: p, skills: {s2: 3}}\n"
	    "needs:\n  - {id: n1, company: c1, skills: {s1: 2}}\n");
	assert_int_equal(lm_explain(cat, "n1", "e1", NULL, &x), LM_OK);
	assert_true(lm_explanation_feasible(x));
	assert_true(lm_explanation_match(x)->score == 0);
	lm_explanation_free(x);
	p = lmt_plan(cat, NULL, 0, NULL);
	assert_int_equal(lm_plan_assignment_count(p), 0);
	u = open_need(p, "n1", "no feasible expert");
	assert_non_null(strstr(u->detail, "1 more passes the hard rules but "
	                       "scores 0, which adds nothing; "));
	lm_plan_free(p);
	/* Pinned, it is assigned. */
	static const lm_pin pin = {"n1", "e1"};
	p = lmt_plan(cat, &pin, 1, NULL);
	assert_int_equal(lm_plan_assignment_count(p), 1);
	assert_true(lm_plan_assignment(p, 0)->score == 0);
	assert_true(lm_plan_assignment(p, 0)->pinned);
	assert_int_equal(lm_plan_unassigned_count(p), 0);
	lm_plan_free(p);
	lm_catalog_free(cat);
}

/* Stop when `what` is reported (ctx: the name, then the number of
 * calls); go on otherwise. */
typedef struct stop_at {
	const char *what;
	int calls;
} stop_at;

static int stop_on(const char *what, size_t done, size_t total, void *ctx)
{
	stop_at *s = ctx;
	assert_true(done <= total);
	s->calls++;
	return s->what && !strcmp(what, s->what);
}

/* A progress callback that returns non-zero stops the plan: LM_ECANCELED,
 * no plan, a message; one that returns 0 lets it finish. */
static void test_canceled(void **state)
{
	(void)state;
	char *y = gen_catalog(7, 40, 150, false);
	lm_catalog *cat = lmt_load(y);
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	lm_plan *p = NULL;
	stop_at s = {NULL, 0};
	o.progress = stop_on;
	o.progress_ctx = &s;
	p = lmt_plan(cat, NULL, 0, &o);
	assert_true(s.calls > 1);
	lm_plan_free(p);
	/* While scoring (every 64 needs), and in the solve (at its end). */
	const char *stages[] = {"scoring", "plan"};
	for (size_t k = 0; k < 2; k++) {
		s = (stop_at){stages[k], 0};
		p = (lm_plan *)&s; /* set to NULL on failure */
		assert_int_equal(lm_plan_compute(cat, NULL, 0, &o, &p),
		                 LM_ECANCELED);
		assert_null(p);
		assert_non_null(strstr(lm_catalog_errmsg(cat), "planning was "
		                       "canceled by the progress callback"));
	}
	free(y);
	lm_catalog_free(cat);
}

/* On random data sets of every shape (needs with optional skills only,
 * settings that make covered skills earn nothing, no distance weight,
 * random pins), no plan holds a pair of score 0 that is not pinned, and
 * every pair covers one of its need's skills.  (Ids as gen_catalog makes
 * them: n00.., e000...) */
static void test_no_zero_score_pair(void **state)
{
	(void)state;
	static const char *const settings[] = {
		"", "settings: {weight_distance: 0}\n",
		"settings: {weight_distance: 0, credit_child: 0}\n",
		"settings: {weight_distance: 0, credit_parent: 0, level_step: 0.25}\n",
	};
	enum { NE = 12, NN = 10 };
	uint64_t rng = 14007;
	size_t zero_feasible = 0, all_optional = 0, pinned = 0;
	for (int t = 0; t < 300; t++) {
		char *gen = gen_catalog(lmt_rng(&rng), NE, NN, false);
		const char *set = settings[t % 4];
		size_t n = strlen(set) + strlen(gen) + 1;
		char *y = malloc(n);
		assert_non_null(y);
		snprintf(y, n, "%s%s", set, gen);
		free(gen);
		lm_catalog *cat = lmt_load(y);
		free(y);
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		o.period = "2026-Q1";
		char need[16], expert[16], pin_need[16] = "", pin_expert[16] = "";
		for (int ni = 0; ni < NN; ni++) {
			snprintf(need, sizeof need, "n%02d", ni);
			for (int ei = 0; ei < NE; ei++) {
				snprintf(expert, sizeof expert, "e%03d", ei);
				lm_explanation *x = NULL;
				assert_int_equal(lm_explain(cat, need, expert, &o, &x),
				                 LM_OK);
				bool optional_only = true;
				for (size_t k = 0; k < lm_explanation_skill_count(x); k++)
					optional_only &= lm_explanation_skill(x, k)->optional != 0;
				all_optional += ei == 0 && optional_only;
				bool ok = lm_explanation_feasible(x);
				bool zero = ok && lm_explanation_match(x)->score == 0;
				zero_feasible += zero;
				/* Pin a pair that scores 0, every other data set. */
				if (zero && t % 2 && !*pin_need) {
					snprintf(pin_need, sizeof pin_need, "%s", need);
					snprintf(pin_expert, sizeof pin_expert, "%s", expert);
				}
				lm_explanation_free(x);
			}
		}
		lm_pin pin = {pin_need, pin_expert};
		lm_plan *p = NULL;
		int rc = lm_plan_compute(cat, &pin, *pin_need ? 1 : 0, &o, &p);
		/* The expert may have no capacity: then without the pin. */
		if (rc == LM_EINFEASIBLE)
			rc = lm_plan_compute(cat, NULL, 0, &o, &p);
		assert_int_equal(rc, LM_OK);
		for (size_t i = 0; i < lm_plan_assignment_count(p); i++) {
			const lm_assignment *a = lm_plan_assignment(p, i);
			pinned += a->pinned && a->score == 0;
			if (a->score == 0 && !a->pinned)
				fail_msg("data set %d: %s gets %s at score 0", t,
				         a->need, a->expert);
			lm_explanation *x = NULL;
			assert_int_equal(lm_explain(cat, a->need, a->expert, &o, &x),
			                 LM_OK);
			bool covered = false;
			for (size_t k = 0; k < lm_explanation_skill_count(x); k++)
				covered |= strcmp(lm_explanation_skill(x, k)->relation,
				                  "none") != 0;
			if (!covered)
				fail_msg("data set %d: %s gets %s, who has none of its "
				         "skills", t, a->need, a->expert);
			lm_explanation_free(x);
		}
		lm_plan_free(p);
		lm_catalog_free(cat);
	}
	/* The data sets had what the test is about. */
	assert_true(zero_feasible > 100);
	assert_true(all_optional > 50);
	assert_true(pinned > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_enumeration),
		lmt_catalog_test(test_reasons, SMALL),
		lmt_catalog_test(test_pins, SMALL),
		cmocka_unit_test(test_committed),
		cmocka_unit_test(test_nearest_candidates),
		cmocka_unit_test(test_zero_score_pairs),
		cmocka_unit_test(test_no_zero_score_pair),
		cmocka_unit_test(test_canceled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
