/* SPDX-License-Identifier: MIT */
/*
 * test_example.c -- recomputes the worked example of docs/scoring.md on
 * the bundled profiles, from the formula and the profiles' own numbers,
 * and checks that ranking, explaining and planning give that exact score.
 * If this test fails after the profiles change, update the document too.
 */
#include "lm_test.h"

#include <math.h>
#include <stdlib.h>

static lm_catalog *load_profiles(void)
{
	lm_catalog *cat = NULL;
	const char *paths[] = {"../profiles"};
	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	int rc = lm_catalog_load_paths(cat, paths, 1);
	if (rc)
		fail_msg("profiles do not load: %s", lm_catalog_errmsg(cat));
	return cat;
}

static void place_coords(lm_catalog *cat, const char *id, double *lat,
                         double *lon)
{
	size_t i;
	const lm_place_info *p;
	assert_int_equal(lm_catalog_find(cat, LM_PLACE, id, &i), LM_OK);
	assert_non_null(p = lm_catalog_place(cat, i));
	*lat = p->lat;
	*lon = p->lon;
}

/* The document's numbers: Ingrid Haugseth (Tynset) for the lean workshop
 * in Os.  lean-production 4 for a level-3, weight-2 need skill (credit
 * 1 x (1 - 0.05 x 1) = 0.95); health-safety 2 for an optional level-2,
 * weight-1 skill (credit 1 - 0.05 x 3 = 0.85). */
static void test_worked_example(void **state)
{
	(void)state;
	lm_catalog *cat = load_profiles();
	double tlat, tlon, olat, olon;
	place_coords(cat, "tynset", &tlat, &tlon);
	place_coords(cat, "os", &olat, &olon);

	/* Haversine with the mean Earth radius, written out here on purpose
	 * rather than calling the library. */
	const double R = 6371.0088, rad = M_PI / 180.0;
	double dphi = (olat - tlat) * rad, dl = (olon - tlon) * rad;
	double h = sin(dphi / 2) * sin(dphi / 2) +
	           cos(tlat * rad) * cos(olat * rad) * sin(dl / 2) * sin(dl / 2);
	double km = 2 * R * asin(sqrt(h));
	double S = (2 * 0.95 + 1 * 0.85) / 3.0;
	double D = 1 - km / 300.0;
	double score = 100 * (0.7 * S + 0.3 * D) / (0.7 + 0.3);

	/* The rounded values printed in docs/scoring.md. */
	assert_true(fabs(km - 33.73) < 0.005);
	assert_true(fabs(S - 0.9167) < 0.00005);
	assert_true(fabs(D - 0.8876) < 0.00005);
	assert_true(fabs(score - 90.79) < 0.005);

	lm_explanation *e = NULL;
	assert_int_equal(lm_explain(cat, "n-os-lean-workshop", "e-ingrid-h", NULL,
	                            &e), LM_OK);
	assert_true(lm_explanation_feasible(e));
	const lm_match *m = lm_explanation_match(e);
	assert_true(fabs(m->distance_km - km) < 1e-9);
	assert_true(fabs(m->components.skill_fit - S) < 1e-12);
	assert_true(fabs(m->components.distance_fit - D) < 1e-12);
	assert_true(fabs(m->score - score) < 1e-9);
	assert_true(fabs(m->travel_minutes - km / 70.0 * 60.0) < 1e-9);
	assert_true(fabs(m->travel_cost_nok - 2 * km * 5.30) < 1e-9);
	assert_int_equal(lm_explanation_skill_count(e), 2);
	const lm_skill_credit *c0 = lm_explanation_skill(e, 0);
	const lm_skill_credit *c1 = lm_explanation_skill(e, 1);
	assert_string_equal(c0->need_skill, "lean-production");
	assert_string_equal(c0->relation, "exact");
	assert_true(fabs(c0->credit - 0.95) < 1e-12);
	assert_string_equal(c1->need_skill, "health-safety");
	assert_true(fabs(c1->credit - 0.85) < 1e-12);

	/* She ranks first of four, with the very same score. */
	lm_ranking *r = NULL;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.k = 0;
	assert_int_equal(lm_rank_need(cat, "n-os-lean-workshop", &o, &r), LM_OK);
	assert_int_equal(lm_ranking_feasible(r), 4);
	assert_string_equal(lm_ranking_get(r, 0)->expert_id, "e-ingrid-h");
	assert_true(lm_ranking_get(r, 0)->score == m->score);

	/* The contrast case: e-kjetil-o via the broader production skill. */
	lm_explanation *e2 = NULL;
	assert_int_equal(lm_explain(cat, "n-os-lean-workshop", "e-kjetil-o", NULL,
	                            &e2), LM_OK);
	assert_true(fabs(lm_explanation_match(e2)->components.skill_fit - 0.30) < 1e-12);
	assert_true(fabs(lm_explanation_match(e2)->score - 35.82) < 0.005);

	/* The plan uses the same score for a pair it chooses. */
	lm_plan *p = NULL;
	assert_int_equal(lm_plan_compute(cat, NULL, 0, &o, &p), LM_OK);
	bool found = false;
	for (size_t i = 0; i < lm_plan_assignment_count(p); i++) {
		const lm_assignment *a = lm_plan_assignment(p, i);
		if (!strcmp(a->need, "n-os-lean-workshop") &&
		    !strcmp(a->expert, "e-ingrid-h")) {
			assert_true(a->score == m->score);
			found = true;
		}
	}
	assert_true(found);
	lm_plan_free(p);
	lm_explanation_free(e2);
	lm_ranking_free(r);
	lm_explanation_free(e);
	lm_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_example),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
