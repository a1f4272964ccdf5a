/* SPDX-License-Identifier: MIT */
/*
 * test_lifecycle.c -- records over time through the public API (issue
 * 13): periods checked wherever a caller gives one, retired records kept
 * out of rankings and plans, a need's life cycle (done, withdrawn, served,
 * from/until) and an expert's capacity per quarter.
 */
#include "lm_test.h"

#include <stdlib.h>
#include <unistd.h>

/* Two places 30 km apart, one skill, three experts and three needs. */
static const char BASE[] =
	"places:\n"
	"  - {id: p0, name: P0, lat: 60.0, lon: 11.0}\n"
	"  - {id: p1, name: P1, lat: 60.27, lon: 11.0}\n"
	"gardens:\n  - {id: g0, name: G0, place: p0}\n"
	"skills:\n  - {id: s0, label: S0}\n"
	"companies:\n  - {id: c0, name: C0, place: p0, garden: g0}\n"
	"experts:\n"
	"  - {id: e1, name: E1, garden: g0, home: p0, capacity: 2, skills: {s0: 5}}\n"
	"  - {id: e2, name: E2, garden: g0, home: p1, capacity: 1, skills: {s0: 4}}\n"
	"  - {id: e3, name: E3, garden: g0, home: p1, capacity: 1, skills: {s0: 3}}\n"
	"needs:\n"
	"  - {id: n1, company: c0, skills: {s0: 1}}\n"
	"  - {id: n2, company: c0, experts: 2, skills: {s0: 1}}\n"
	"  - {id: n3, company: c0, skills: {s0: 1}}\n";

/* ---- periods (item 7) ------------------------------------------------ */

/* A period that is not YYYY-QN is the caller's mistake wherever it is
 * given: LM_EINVAL with the period in the message; any case is fine and
 * comes back canonical. */
static void test_bad_period(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	static const char *const bad[] = {"garbage", "2026-Q5", "2026-Q0",
	                                  "2026Q4", "26-Q4", "2026-Q4 ", ""};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		o.period = bad[i];
		lm_ranking *r = (lm_ranking *)1;
		assert_int_equal(lm_rank_need(cat, "n1", &o, &r), LM_EINVAL);
		assert_null(r);
		char want[128];
		snprintf(want, sizeof(want), "period '%s' is not a quarter "
		         "YYYY-QN (like 2026-Q4)", bad[i]);
		assert_string_equal(lm_catalog_errmsg(cat), want);
		lm_plan *p = (lm_plan *)1;
		assert_int_equal(lm_plan_compute(cat, NULL, 0, &o, &p), LM_EINVAL);
		assert_null(p);
		assert_string_equal(lm_catalog_errmsg(cat), want);
		lm_explanation *x = NULL;
		assert_int_equal(lm_explain(cat, "n1", "e1", &o, &x), LM_EINVAL);
		assert_null(x);
	}
	/* Lower case is read as the quarter it names. */
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.period = "2026-q4";
	lm_plan *p = NULL;
	assert_int_equal(lm_plan_compute(cat, NULL, 0, &o, &p), LM_OK);
	assert_string_equal(lm_plan_period(p), "2026-Q4");
	lm_plan_free(p);
	lm_catalog_free(cat);
}

/* Engagements are counted for a period in any case; lm_db_release
 * refuses a bad one before it touches the database. */
static void test_period_case(void **state)
{
	(void)state;
	char y[4096];
	snprintf(y, sizeof(y), "%sengagements:\n"
	         "  - {period: 2026-q4, need: n1, expert: e1}\n", BASE);
	lm_catalog *cat = lmt_load(y);
	const lm_engagement_info *en = lm_catalog_engagement(cat, 0);
	assert_non_null(en);
	assert_string_equal(en->period, "2026-Q4");
	assert_int_equal(lm_catalog_expert_committed(cat, 0, "2026-Q4"), 1);
	assert_int_equal(lm_catalog_expert_committed(cat, 0, "2026-q4"), 1);
	assert_int_equal(lm_catalog_expert_committed(cat, 0, "garbage"), 0);
	lm_catalog_free(cat);

	char dir[] = "/tmp/lm-life-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.db", dir);
	lm_db *db = NULL;
	assert_int_equal(lm_db_open(path, LM_DB_CREATE, &db), LM_OK);
	size_t n = 9;
	assert_int_equal(lm_db_release(db, "2026-Q9", "n1", NULL, &n), LM_EINVAL);
	assert_int_equal(n, 0);
	assert_string_equal(lm_db_errmsg(db), "period '2026-Q9' is not a "
	                    "quarter YYYY-QN (like 2026-Q4)");
	lm_db_close(db);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_period),
		cmocka_unit_test(test_period_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
