/* SPDX-License-Identifier: MIT */
/*
 * test_score.c -- cmocka tests of scoring and explanations (geo.c,
 * score.c, explain.c): every hard rule on both sides of its boundary with
 * the exact sentence, skill credit through aliases and the taxonomy,
 * exact scores where the formula fixes them, the distances table in both
 * directions, the great circle, option and query errors.
 *
 * Distances along the meridian 11 E: 1 degree of latitude is
 * 6371.0088 * pi / 180 = 111.19508023 km, so a place at latitude
 * 60 + km / 111.19508023 lies `km` from (60, 11).
 */
#include "lm_test.h"

#include <math.h>
#include <stdlib.h>

#include "engine/score.h"

static const char fixture[] =
    "places:\n"
    "  - {id: p0, name: Base, lat: 60.0, lon: 11.0}\n"
    "  - {id: p150, name: Mid, lat: 61.3489805456, lon: 11.0}\n"
    "  - {id: p199, name: Near199, lat: 61.7977414071, lon: 11.0}\n"
    "  - {id: p201, name: Near201, lat: 61.7995400478, lon: 11.0}\n"
    "  - {id: p249, name: Own249, lat: 62.2474015889, lon: 11.0}\n"
    "  - {id: p251, name: Own251, lat: 62.2492002297, lon: 11.0}\n"
    "  - {id: p299, name: Far299, lat: 62.6970617708, lon: 11.0}\n"
    "  - {id: p301, name: Far301, lat: 62.6988604115, lon: 11.0}\n"
    "  - {id: t1, name: Tabell, lat: 61.0, lon: 11.0}\n"
    "  - {id: os, name: Os, lat: 62.496, lon: 11.223}\n"
    "  - {id: magnor, name: Magnor, lat: 59.951, lon: 12.202}\n"
    "gardens:\n"
    "  - {id: g, name: Hagen, place: p0}\n"
    "skills:\n"
    "  - {id: marketing, label: Markedsføring}\n"
    "  - {id: digital-marketing, label: Digital markedsføring, parent: marketing}\n"
    "  - {id: seo, label: Søkemotoroptimalisering, parent: digital-marketing,\n"
    "     aliases: [SEO, Search engine optimization]}\n"
    "  - {id: export, label: Eksport, aliases: [Export]}\n"
    "  - {id: sales, label: Salg}\n"
    "companies:\n"
    "  - {id: c0, name: Base AS, place: p0}\n"
    "  - {id: ct, name: Tabell AS, place: t1}\n"
    "needs:\n"
    "  - {id: n-export1, company: c0, skills: {export: 1}}\n"
    "  - {id: n-export3, company: c0, skills: {export: 3}}\n"
    "  - {id: n-near, company: c0, skills: {export: 1}, max_km: 200}\n"
    "  - {id: n-remote, company: c0, skills: {export: 1}, mode: remote}\n"
    "  - {id: n-hybrid, company: c0, skills: {export: 1}, mode: hybrid}\n"
    "  - {id: n-sv, company: c0, skills: {export: 1}, language: sv}\n"
    "  - id: n-opt\n"
    "    company: c0\n"
    "    skills: {export: 1, sales: {level: 4, optional: true}}\n"
    "  - id: n-weighted\n"
    "    company: c0\n"
    "    skills: {export: {level: 1, weight: 3}, marketing: 1}\n"
    "  - {id: n-mkt, company: c0, skills: {marketing: 1}}\n"
    "  - {id: n-seo, company: c0, skills: {seo: 1}}\n"
    "  - {id: n-tab, company: ct, skills: {export: 1}}\n"
    "  - id: n-all\n"
    "    company: c0\n"
    "    skills: {export: 3}\n"
    "    mode: hybrid\n"
    "    language: sv\n"
    "experts:\n"
    "  - {id: e-d199, name: A199, garden: g, home: p199, skills: {export: 5}}\n"
    "  - {id: e-d201, name: A201, garden: g, home: p201, skills: {export: 5}}\n"
    "  - {id: e-d299, name: A299, garden: g, home: p299, skills: {export: 5}}\n"
    "  - {id: e-d301, name: A301, garden: g, home: p301, skills: {export: 5}}\n"
    "  - {id: e-own249, name: O249, garden: g, home: p249, skills: {export: 5},\n"
    "     max_travel_km: 250}\n"
    "  - {id: e-own251, name: O251, garden: g, home: p251, skills: {export: 5},\n"
    "     max_travel_km: 250}\n"
    "  - {id: e-p0, name: Nullpunkt, garden: g, home: p0, skills: {export: 5},\n"
    "     capacity: 3}\n"
    "  - {id: e-t1, name: Tab, garden: g, home: t1, skills: {export: 5}}\n"
    "  - {id: e-p150, name: Mid, garden: g, home: p150, skills: {export: 5}}\n"
    "  - {id: e-noremote, name: Lokal, garden: g, home: p0,\n"
    "     skills: {export: 5}, remote: false}\n"
    "  - {id: e-lvl2, name: L2, garden: g, home: p0, skills: {export: 2}}\n"
    "  - {id: e-lvl3, name: L3, garden: g, home: p0, skills: {export: 3}}\n"
    "  - {id: e-lvl4, name: L4, garden: g, home: p0, skills: {export: 4}}\n"
    "  - {id: e-sales, name: Selger, garden: g, home: p0, skills: {sales: 5}}\n"
    "  - {id: e-nb, name: Norsk, garden: g, home: p0, skills: {export: 5},\n"
    "     languages: [nb, en]}\n"
    "  - {id: e-sv, name: Svensk, garden: g, home: p0, skills: {export: 5},\n"
    "     languages: [nb, SV]}\n"
    "  - {id: e-conf, name: Inhabil, garden: g, home: p0, skills: {export: 5},\n"
    "     conflicts: [c0]}\n"
    "  - {id: e-mkt, name: Mkt, garden: g, home: p0, skills: {marketing: 5}}\n"
    "  - {id: e-dm, name: Dm, garden: g, home: p0,\n"
    "     skills: {digital-marketing: 5}}\n"
    "  - {id: e-seo, name: Seo, garden: g, home: p0, skills: {seo: 5}}\n"
    "  - {id: e-seo3, name: Seo3, garden: g, home: p0, skills: {seo: 3}}\n"
    "  - {id: e-both, name: Both, garden: g, home: p0,\n"
    "     skills: {export: 4, sales: 3}}\n"
    "  - id: e-worst\n"
    "    name: Alt galt\n"
    "    garden: g\n"
    "    home: p301\n"
    "    skills: {export: 2}\n"
    "    remote: false\n"
    "    languages: [nb]\n"
    "    conflicts: [c0]\n"
    "distances:\n"
    "  - {from: t1, to: p0, km: 150}\n";

/* Explain need/expert with options; the test owns the result. */
static lm_explanation *explain_opts(lm_catalog *cat, const char *need,
                                    const char *expert,
                                    const lm_match_options *opts)
{
	lm_explanation *x = NULL;
	int rc = lm_explain(cat, need, expert, opts, &x);

	if (rc != LM_OK)
		fail_msg("lm_explain(%s, %s) = %d: %s", need, expert, rc,
		         lm_catalog_errmsg(cat));
	return x;
}

static lm_explanation *explain(lm_catalog *cat, const char *need,
                               const char *expert)
{
	return explain_opts(cat, need, expert, NULL);
}

/* The pair is feasible with no reasons. */
static void assert_feasible(lm_catalog *cat, const char *need,
                            const char *expert)
{
	lm_explanation *x = explain(cat, need, expert);

	if (!lm_explanation_feasible(x))
		fail_msg("%s/%s infeasible: %s", need, expert,
		         lm_explanation_reason(x, 0));
	assert_int_equal(lm_explanation_reason_count(x), 0);
	assert_true(lm_explanation_match(x)->score > 0.0);
	lm_explanation_free(x);
}

/* The pair is infeasible with exactly one reason, this sentence. */
static void assert_reason(lm_catalog *cat, const char *need,
                          const char *expert, const lm_match_options *opts,
                          const char *sentence)
{
	lm_explanation *x = explain_opts(cat, need, expert, opts);

	assert_false(lm_explanation_feasible(x));
	assert_int_equal(lm_explanation_reason_count(x), 1);
	assert_string_equal(lm_explanation_reason(x, 0), sentence);
	assert_true(lm_explanation_match(x)->score == 0.0);
	lm_explanation_free(x);
}

static double score_of(lm_catalog *cat, const char *need, const char *expert)
{
	lm_explanation *x = explain(cat, need, expert);
	double s;

	assert_true(lm_explanation_feasible(x));
	s = lm_explanation_match(x)->score;
	lm_explanation_free(x);
	return s;
}

/* ---- geography ---------------------------------------------------------- */

static void test_haversine(void **state)
{
	lm_catalog *cat = *state;
	uint32_t os, magnor;

	assert_true(fabs(lm_haversine_km(62.496, 11.223, 59.951, 12.202) -
	                 287.8) < 0.1);
	assert_true(lm_haversine_km(60.0, 11.0, 60.0, 11.0) == 0.0);
	/* Antipodes: half the circumference, no NaN from rounding. */
	assert_true(fabs(lm_haversine_km(0, 0, 0, 180) - 6371.0088 * 3.14159265358979323846) <
	            1e-6);
	assert_true(lmi_catalog_lookup(cat, LM_PLACE, "os", &os));
	assert_true(lmi_catalog_lookup(cat, LM_PLACE, "magnor", &magnor));
	assert_true(fabs(lmi_geo_km(cat, os, 62.496, 11.223, magnor, 59.951,
	                           12.202) - 287.8) < 0.1);
	assert_true(fabs(lm_haversine_km(60.0, 11.0, 61.7977414071, 11.0) -
	                 199.9) < 1e-6);
}

static void test_distance_table(void **state)
{
	lm_catalog *cat = *state;
	lm_explanation *x;
	uint32_t t1, p0;
	bool table = false;

	assert_true(lmi_catalog_lookup(cat, LM_PLACE, "t1", &t1));
	assert_true(lmi_catalog_lookup(cat, LM_PLACE, "p0", &p0));
	/* Given t1 -> p0, asked both ways; the great circle is 111.2 km. */
	assert_true(lmi_geo_km(cat, t1, 61.0, 11.0, p0, 60.0, 11.0) == 150.0);
	assert_true(lmi_geo_km(cat, p0, 60.0, 11.0, t1, 61.0, 11.0) == 150.0);
	assert_true(lmi_geo_km_src(cat, p0, 60.0, 11.0, t1, 61.0, 11.0, &table) ==
	            150.0);
	assert_true(table);
	/* Coordinates never use the table. */
	assert_true(fabs(lmi_geo_km(cat, LM_NONE, 61.0, 11.0, p0, 60.0, 11.0) -
	                 111.19508023) < 1e-6);

	/* Need at t1, expert at p0: 150 km, D = 0.5, S = 1. */
	x = explain(cat, "n-tab", "e-p0");
	assert_true(lm_explanation_feasible(x));
	assert_true(lm_explanation_match(x)->distance_km == 150.0);
	assert_true(fabs(lm_explanation_match(x)->score - 85.0) < 1e-9);
	assert_true(fabs(lm_explanation_match(x)->travel_minutes -
	                 150.0 / 70.0 * 60.0) < 1e-9);
	assert_true(fabs(lm_explanation_match(x)->travel_cost_nok -
	                 2 * 150.0 * 5.30) < 1e-9);
	lm_explanation_free(x);
	/* Need at p0, expert at t1: the same entry the other way round. */
	x = explain(cat, "n-export1", "e-t1");
	assert_true(lm_explanation_match(x)->distance_km == 150.0);
	assert_true(fabs(lm_explanation_match(x)->score - 85.0) < 1e-9);
	lm_explanation_free(x);
}

/* ---- hard rules ---------------------------------------------------------- */

static void test_rule_global_limit(void **state)
{
	lm_catalog *cat = *state;

	assert_feasible(cat, "n-export1", "e-d299");
	assert_reason(cat, "n-export1", "e-d301", NULL,
	              "Base is 300.1 km away (road factor 1.00); the limit is "
	              "300 km (the global limit)");
}

static void test_rule_expert_limit(void **state)
{
	lm_catalog *cat = *state;

	assert_feasible(cat, "n-export1", "e-own249");
	assert_reason(cat, "n-export1", "e-own251", NULL,
	              "Base is 250.1 km away (road factor 1.00); the limit is "
	              "250 km (the expert's own limit)");
}

static void test_rule_need_limit(void **state)
{
	lm_catalog *cat = *state;

	assert_feasible(cat, "n-near", "e-d199");
	assert_reason(cat, "n-near", "e-d201", NULL,
	              "Base is 200.1 km away (road factor 1.00); the limit is "
	              "200 km (the need's limit)");
}

static void test_rule_option_limit(void **state)
{
	lm_catalog *cat = *state;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	lm_explanation *x;

	o.max_km = 199.95;
	x = explain_opts(cat, "n-export1", "e-d199", &o);
	assert_true(lm_explanation_feasible(x));
	lm_explanation_free(x);
	assert_reason(cat, "n-export1", "e-d201", &o,
	              "Base is 200.1 km away (road factor 1.00); the limit is "
	              "199.95 km (the requested limit)");
	/* A looser option than the need's own limit does not loosen it. */
	o.max_km = 250;
	assert_reason(cat, "n-near", "e-d201", &o,
	              "Base is 200.1 km away (road factor 1.00); the limit is "
	              "200 km (the need's limit)");
	o.max_km = -1;
	x = (lm_explanation *)1;
	assert_int_equal(lm_explain(cat, "n-export1", "e-d199", &o, &x),
	                 LM_EINVAL);
	assert_null(x);
}

/* A limit just under the distance: the sentence prints as many decimals
 * as it takes for the km to read as more than the limit (never "33.7 km
 * away; the limit is 33.73 km"), and the limit to those decimals. */
static void test_rule_limit_digits(void **state)
{
	lm_catalog *cat = *state;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	lm_explanation *x = explain(cat, "n-export1", "e-d201");
	double km = lm_explanation_match(x)->distance_km;
	lm_explanation_free(x);
	static const double below[] = {0.15, 0.01, 0.004, 0.0004, 0.00002};
	for (size_t i = 0; i < sizeof below / sizeof *below; i++) {
		char printed_km[64], printed_lim[64], one[64];
		o.max_km = km - below[i];
		x = explain_opts(cat, "n-export1", "e-d201", &o);
		assert_false(lm_explanation_feasible(x));
		assert_int_equal(lm_explanation_reason_count(x), 1);
		const char *r = lm_explanation_reason(x, 0);
		assert_int_equal(sscanf(r, "Base is %63s km away (road factor "
		                        "1.00); the limit is %63s km",
		                        printed_km, printed_lim), 2);
		assert_true(strtod(printed_km, NULL) > strtod(printed_lim, NULL));
		/* The limit as given, the km rounded to its decimals, and no
		 * more decimals than it takes. */
		assert_true(fabs(strtod(printed_lim, NULL) - o.max_km) <= 5e-7);
		const char *dot = strchr(printed_km, '.');
		assert_non_null(dot);
		int d = (int)strlen(dot + 1);
		snprintf(one, sizeof one, "%.*f", d, km);
		assert_string_equal(printed_km, one);
		if (d > 1) {
			snprintf(one, sizeof one, "%.*f", d - 1, km);
			assert_true(strtod(one, NULL) <= strtod(printed_lim, NULL));
		}
		if (i == 0)
			assert_int_equal(d, 1);
		lm_explanation_free(x);
	}
}

static void test_rule_remote(void **state)
{
	lm_catalog *cat = *state;
	lm_explanation *x;

	/* Remote needs ignore distance but still report it. */
	x = explain(cat, "n-remote", "e-d301");
	assert_true(lm_explanation_feasible(x));
	assert_true(fabs(lm_explanation_match(x)->distance_km - 300.1) < 1e-6);
	assert_true(lm_explanation_match(x)->components.distance_fit == 1.0);
	assert_true(lm_explanation_match(x)->components.weight_distance == 0.0);
	assert_true(fabs(lm_explanation_match(x)->score - 100.0) < 1e-9);
	lm_explanation_free(x);
	assert_feasible(cat, "n-remote", "e-p0");
	assert_reason(cat, "n-remote", "e-noremote", NULL,
	              "does not work remotely; the need is remote");
	/* Onsite: remote: false does not matter. */
	assert_feasible(cat, "n-export1", "e-noremote");
}

static void test_rule_hybrid(void **state)
{
	lm_catalog *cat = *state;

	assert_feasible(cat, "n-hybrid", "e-d299");
	assert_reason(cat, "n-hybrid", "e-d301", NULL,
	              "Base is 300.1 km away (road factor 1.00); the limit is "
	              "300 km (the global limit)");
	assert_reason(cat, "n-hybrid", "e-noremote", NULL,
	              "does not work remotely; the need is hybrid");
}

static void test_rule_level(void **state)
{
	lm_catalog *cat = *state;

	assert_reason(cat, "n-export3", "e-lvl2", NULL,
	              "has export at level 2, the need asks for 3");
	assert_feasible(cat, "n-export3", "e-lvl3");
	assert_reason(cat, "n-export3", "e-sales", NULL,
	              "has no skill related to export (level 3 asked)");
	/* A related skill below the level is named with its relation. */
	assert_reason(cat, "n-seo", "e-sales", NULL,
	              "has no skill related to seo (level 1 asked)");
}

static const char related_yaml[] =
    "places: [{id: p, name: P, lat: 60, lon: 11}]\n"
    "gardens: [{id: g, name: G, place: p}]\n"
    "skills:\n"
    "  - {id: marketing, label: M}\n"
    "  - {id: digital-marketing, label: D, parent: marketing}\n"
    "companies: [{id: c, name: C, place: p}]\n"
    "needs: [{id: n, company: c, skills: {marketing: 3}}]\n"
    "experts:\n"
    "  - {id: e, name: E, garden: g, home: p,\n"
    "     skills: {digital-marketing: 2}}\n";

static void test_rule_level_related(void **state)
{
	lm_catalog *cat = *state;

	assert_reason(cat, "n", "e", NULL,
	              "has digital-marketing at level 2 (narrower than "
	              "marketing), the need asks for 3");
}

static void test_rule_language(void **state)
{
	lm_catalog *cat = *state;

	assert_reason(cat, "n-sv", "e-nb", NULL, "does not speak sv");
	assert_feasible(cat, "n-sv", "e-sv"); /* case-insensitive */
	assert_reason(cat, "n-sv", "e-p0", NULL, "does not speak sv");
}

static void test_rule_conflict(void **state)
{
	lm_catalog *cat = *state;

	assert_reason(cat, "n-export1", "e-conf", NULL,
	              "has a conflict of interest with c0");
	assert_feasible(cat, "n-tab", "e-conf"); /* another company */
}

static void test_all_rules_at_once(void **state)
{
	lm_catalog *cat = *state;
	lm_explanation *x = explain(cat, "n-all", "e-worst");
	const lm_match *m;

	assert_false(lm_explanation_feasible(x));
	assert_int_equal(lm_explanation_reason_count(x), 5);
	assert_string_equal(lm_explanation_reason(x, 0),
	                    "Base is 300.1 km away (road factor 1.00); the "
	                    "limit is 300 km (the global limit)");
	assert_string_equal(lm_explanation_reason(x, 1),
	                    "does not work remotely; the need is hybrid");
	assert_string_equal(lm_explanation_reason(x, 2),
	                    "has export at level 2, the need asks for 3");
	assert_string_equal(lm_explanation_reason(x, 3), "does not speak sv");
	assert_string_equal(lm_explanation_reason(x, 4),
	                    "has a conflict of interest with c0");
	assert_null(lm_explanation_reason(x, 5));
	/* The components are there even though the score is 0. */
	m = lm_explanation_match(x);
	assert_true(m->score == 0.0);
	assert_true(m->components.skill_fit == 0.0);
	assert_true(m->components.distance_fit == 0.0);
	assert_true(fabs(m->components.weight_skill - 0.7 / 0.85) < 1e-12);
	assert_string_equal(m->expert_id, "e-worst");
	assert_int_equal(lm_explanation_skill_count(x), 1);
	assert_string_equal(lm_explanation_skill(x, 0)->relation, "none");
	assert_null(lm_explanation_skill(x, 0)->via_skill);
	lm_explanation_free(x);
}

/* ---- credit and exact scores ----------------------------------------------- */

/* Score of a pair 0 km apart with default weights: 100 (0.7 S + 0.3). */
static double at_home(double S)
{
	return 100.0 * (0.7 * S + 0.3 * 1.0) / (0.7 + 0.3);
}

static void check_credit(lm_catalog *cat, const char *need, const char *expert,
                         const char *relation, const char *via, double credit)
{
	lm_explanation *x = explain(cat, need, expert);
	const lm_skill_credit *k;

	assert_true(lm_explanation_feasible(x));
	assert_int_equal(lm_explanation_skill_count(x), 1);
	k = lm_explanation_skill(x, 0);
	assert_string_equal(k->relation, relation);
	assert_string_equal(k->via_skill, via);
	assert_true(fabs(k->credit - credit) < 1e-9);
	assert_true(fabs(lm_explanation_match(x)->components.skill_fit - credit) <
	            1e-9);
	assert_true(fabs(lm_explanation_match(x)->score - at_home(credit)) <
	            1e-9);
	lm_explanation_free(x);
}

static void test_credit_hierarchy(void **state)
{
	lm_catalog *cat = *state;

	check_credit(cat, "n-mkt", "e-mkt", "exact", "marketing", 1.0);
	check_credit(cat, "n-mkt", "e-dm", "narrower", "digital-marketing", 0.8);
	check_credit(cat, "n-mkt", "e-seo", "narrower", "seo", 0.64);
	check_credit(cat, "n-seo", "e-dm", "broader", "digital-marketing", 0.5);
	check_credit(cat, "n-seo", "e-mkt", "broader", "marketing", 0.25);
	/* Levels: 1 - 0.05 (5 - L). */
	check_credit(cat, "n-export3", "e-lvl3", "exact", "export", 0.9);
	check_credit(cat, "n-export3", "e-lvl4", "exact", "export", 0.95);
	check_credit(cat, "n-mkt", "e-seo3", "narrower", "seo", 0.64 * 0.9);
}

static const char best_via_yaml[] =
    "places: [{id: p, name: P, lat: 60, lon: 11}]\n"
    "gardens: [{id: g, name: G, place: p}]\n"
    "skills:\n"
    "  - {id: a, label: A}\n"
    "  - {id: b, label: B, parent: a}\n"
    "  - {id: c, label: C, parent: a}\n"
    "companies: [{id: co, name: Co, place: p}]\n"
    "needs: [{id: n, company: co, skills: {a: 1}}]\n"
    "experts:\n"
    "  - {id: e1, name: E1, garden: g, home: p, skills: {a: 3, b: 5}}\n"
    "  - {id: e2, name: E2, garden: g, home: p, skills: {c: 5, b: 5}}\n";

static void test_credit_best_via(void **state)
{
	/* Two related skills: the better credit wins (exact at 3 = 0.90
	 * beats narrower at 5 = 0.80); on a tie the smaller index. */
	lm_catalog *cat = *state;

	check_credit(cat, "n", "e1", "exact", "a", 0.9);
	check_credit(cat, "n", "e2", "narrower", "b", 0.8);
}

static void test_optional_and_weights(void **state)
{
	lm_catalog *cat = *state;
	lm_explanation *x;

	/* Optional sales at 4 unmet: feasible, S = (1 + 0) / 2. */
	x = explain(cat, "n-opt", "e-p0");
	assert_true(lm_explanation_feasible(x));
	assert_true(fabs(lm_explanation_match(x)->components.skill_fit - 0.5) <
	            1e-12);
	assert_true(fabs(lm_explanation_match(x)->score - at_home(0.5)) < 1e-9);
	assert_true(lm_explanation_skill(x, 1)->optional);
	assert_string_equal(lm_explanation_skill(x, 1)->relation, "none");
	lm_explanation_free(x);
	/* Sales 3 is below the optional 4: still no credit. */
	assert_true(fabs(score_of(cat, "n-opt", "e-both") - at_home(0.95 / 2)) <
	             1e-9);

	/* A required skill without any related one is still a hard rule
	 * when the need has other, weightier skills. */
	assert_reason(cat, "n-weighted", "e-both", NULL,
	              "has no skill related to marketing (level 1 asked)");
}

static const char weighted_yaml[] =
    "places: [{id: p, name: P, lat: 60, lon: 11}]\n"
    "gardens: [{id: g, name: G, place: p}]\n"
    "skills: [{id: a, label: A}, {id: b, label: B}]\n"
    "companies: [{id: co, name: Co, place: p}]\n"
    "needs:\n"
    "  - {id: n, company: co,\n"
    "     skills: {a: {level: 2, weight: 3}, b: {level: 1, weight: 1}}}\n"
    "experts:\n"
    "  - {id: e, name: E, garden: g, home: p, skills: {a: 4, b: 1}}\n";

static void test_weighted_fit(void **state)
{
	lm_catalog *cat = *state;
	lm_explanation *x = explain(cat, "n", "e");
	double S = (3 * 0.95 + 1 * 0.80) / 4;
	const lm_components *c = &lm_explanation_match(x)->components;

	assert_true(fabs(c->skill_fit - S) < 1e-12);
	assert_true(fabs(c->skill_points - 70 * S) < 1e-9);
	assert_true(fabs(c->distance_points - 30) < 1e-9);
	assert_true(fabs(lm_explanation_match(x)->score - (70 * S + 30)) < 1e-9);
	assert_true(lm_explanation_skill(x, 0)->weight == 3.0);
	lm_explanation_free(x);
}

static void test_weights_options(void **state)
{
	lm_catalog *cat = *state;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	lm_explanation *x;
	const lm_match *m;

	/* 150 km by the table: D = 0.5, S = 1; equal weights give 75. */
	o.weight_skill = 1;
	o.weight_distance = 1;
	x = explain_opts(cat, "n-tab", "e-p0", &o);
	m = lm_explanation_match(x);
	assert_true(fabs(m->score - 75.0) < 1e-9);
	assert_true(fabs(m->components.weight_skill - 0.5) < 1e-12);
	assert_true(fabs(m->components.skill_points - 50.0) < 1e-9);
	assert_true(fabs(m->components.distance_points - 25.0) < 1e-9);
	lm_explanation_free(x);

	/* Hybrid: the distance weight is halved, 0.3 * 0.5 = 0.15. */
	x = explain(cat, "n-hybrid", "e-t1");
	m = lm_explanation_match(x);
	assert_true(fabs(m->score - 100.0 * (0.7 + 0.15 * 0.5) / 0.85) < 1e-9);
	assert_true(fabs(m->components.weight_distance - 0.15 / 0.85) < 1e-12);
	lm_explanation_free(x);

	/* Both weights 0: nothing to score with. */
	o.weight_skill = 0;
	o.weight_distance = 0;
	x = (lm_explanation *)1;
	assert_int_equal(lm_explain(cat, "n-export1", "e-p0", &o, &x), LM_EINVAL);
	assert_null(x);
	/* Remote ignores distance, so a skill weight of 0 is 0 in all. */
	o.weight_distance = 1;
	assert_int_equal(lm_explain(cat, "n-remote", "e-p0", &o, &x), LM_EINVAL);
	assert_int_equal(lm_explain(cat, "n-export1", "e-p0", &o, &x), LM_OK);
	assert_true(fabs(lm_explanation_match(x)->score - 100.0) < 1e-9);
	lm_explanation_free(x);
}

static void test_distance_monotone(void **state)
{
	lm_catalog *cat = *state;
	double s0 = score_of(cat, "n-export1", "e-p0");
	double s150 = score_of(cat, "n-export1", "e-p150");
	double s199 = score_of(cat, "n-export1", "e-d199");
	double s299 = score_of(cat, "n-export1", "e-d299");

	assert_true(s0 > s150 && s150 > s199 && s199 > s299);
	assert_true(fabs(s0 - 100.0) < 1e-9);
	assert_true(fabs(s299 - 100.0 * (0.7 + 0.3 * (1 - 299.9 / 300))) < 1e-6);
}

static void test_match_fields(void **state)
{
	lm_catalog *cat = *state;
	lm_explanation *x = explain(cat, "n-export1", "e-p0");
	const lm_match *m = lm_explanation_match(x);
	const lm_components *c = &m->components;

	assert_string_equal(m->expert_id, "e-p0");
	assert_string_equal(m->expert_name, "Nullpunkt");
	assert_string_equal(m->garden, "g");
	assert_int_equal(m->capacity_left, 3);
	assert_true(m->distance_km == 0.0);
	assert_true(fabs(c->weight_skill + c->weight_distance - 1.0) < 1e-12);
	assert_true(fabs(c->skill_points + c->distance_points - m->score) < 1e-9);
	lm_explanation_free(x);
}

/* ---- errors ------------------------------------------------------------------ */

static void test_explain_unknown(void **state)
{
	lm_catalog *cat = *state;
	lm_explanation *x = (lm_explanation *)1;

	assert_int_equal(lm_explain(cat, "n-exprt3", "e-p0", NULL, &x),
	                 LM_ENOTFOUND);
	assert_null(x);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "did you mean 'n-export3'"));
	assert_int_equal(lm_explain(cat, "n-export3", "e-lvl9", NULL, &x),
	                 LM_ENOTFOUND);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "unknown expert 'e-lvl9'"));
	assert_non_null(strstr(lm_catalog_errmsg(cat), "did you mean"));
	assert_int_equal(lm_explain(cat, NULL, "e-p0", NULL, &x), LM_EINVAL);
	assert_int_equal(lm_explain(NULL, "n", "e", NULL, &x), LM_EINVAL);
	lm_explanation_free(NULL);
	assert_int_equal(lm_explanation_feasible(NULL), 0);
	assert_null(lm_explanation_match(NULL));
}

static void test_options_version(void **state)
{
	lm_catalog *cat = *state;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	lm_explanation *x = NULL;

	o.version = 99;
	assert_int_equal(lm_explain(cat, "n-export1", "e-p0", &o, &x), LM_EINVAL);
	assert_null(x);
	assert_string_equal(lm_catalog_errmsg(cat), "match options version 99 "
	                    "is not supported (this libmatch knows 1 to 1)");
	/* Version 0 (a zeroed struct) is not version 1. */
	lm_ranking *r = NULL;
	lm_plan *p = NULL;
	o.version = 0;
	assert_int_equal(lm_rank_need(cat, "n-export1", &o, &r), LM_EINVAL);
	assert_null(r);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "version 0 is not"));
	assert_int_equal(lm_plan_compute(cat, NULL, 0, &o, &p), LM_EINVAL);
	assert_null(p);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "version 0 is not"));
	/* Every version from 1 to the current one is taken. */
	for (unsigned v = 1; v <= LM_MATCH_OPTIONS_VERSION; v++) {
		assert_int_equal(lm_match_options_init(&o, v), LM_OK);
		assert_int_equal(o.version, v);
		assert_int_equal(lm_rank_need(cat, "n-export1", &o, &r), LM_OK);
		lm_ranking_free(r);
		r = NULL;
	}
	lm_query q = LM_QUERY_INIT;
	lm_skill_req req = {"export", 1, 1.0, 0};
	q.at = "p0";
	q.skills = &req;
	q.skill_count = 1;
	q.version = 0;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_EINVAL);
	assert_string_equal(lm_catalog_errmsg(cat), "query version 0 is not "
	                    "supported (this libmatch knows 1 to 1)");
	assert_int_equal(lm_query_init(&q, LM_QUERY_VERSION), LM_OK);
	q.at = "p0";
	q.skills = &req;
	q.skill_count = 1;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_OK);
	lm_ranking_free(r);
}

/* The _init functions fill exactly what the _INIT macros give, and refuse
 * a version they do not know without touching the struct. */
static void test_options_init(void **state)
{
	(void)state;
	lm_match_options a, b = LM_MATCH_OPTIONS_INIT;
	lm_query qa, qb = LM_QUERY_INIT;

	memset(&a, 0x5a, sizeof a);
	memset(&qa, 0x5a, sizeof qa);
	assert_int_equal(lm_match_options_init(&a, LM_MATCH_OPTIONS_VERSION),
	                 LM_OK);
	assert_int_equal(a.version, b.version);
	assert_int_equal(a.k, b.k);
	assert_true(a.max_km == b.max_km);
	assert_true(a.weight_skill == b.weight_skill);
	assert_true(a.weight_distance == b.weight_distance);
	assert_null(a.period);
	assert_int_equal(a.available_only, b.available_only);
	assert_null(a.progress);
	assert_null(a.progress_ctx);
	assert_int_equal(lm_query_init(&qa, LM_QUERY_VERSION), LM_OK);
	assert_int_equal(qa.version, qb.version);
	assert_null(qa.at);
	assert_true(qa.lat == 0.0 && qa.lon == 0.0);
	assert_int_equal(qa.mode, LM_ONSITE);
	assert_null(qa.skills);
	assert_int_equal(qa.skill_count, 0);
	assert_null(qa.language);
	assert_true(qa.max_km == 0.0);
	assert_null(qa.company);

	memset(&a, 0x5a, sizeof a);
	memset(&b, 0x5a, sizeof b);
	assert_int_equal(lm_match_options_init(&a, 0), LM_EINVAL);
	assert_int_equal(lm_match_options_init(&a, LM_MATCH_OPTIONS_VERSION + 1),
	                 LM_EINVAL);
	assert_memory_equal(&a, &b, sizeof a);
	assert_int_equal(lm_match_options_init(NULL, 1), LM_EINVAL);
	assert_int_equal(lm_query_init(&qa, 0), LM_EINVAL);
	assert_int_equal(lm_query_init(&qa, LM_QUERY_VERSION + 1), LM_EINVAL);
	assert_int_equal(lm_query_init(NULL, 1), LM_EINVAL);
}

/* ---- the internal API the planner uses --------------------------------------- */

static void test_scorer_api(void **state)
{
	lm_catalog *cat = *state;
	lmi_scorer *sc = NULL;
	lmi_need_view nv;
	uint32_t need, e;
	double score, km;
	lm_match m;

	assert_int_equal(lmi_scorer_new(cat, NULL, &sc), LM_OK);
	assert_true(lmi_catalog_lookup(cat, LM_NEED, "n-tab", &need));
	assert_int_equal(lmi_need_view_stored(sc, need, &nv), LM_OK);
	assert_int_equal(nv.n_skills, 1);
	assert_true(nv.place_in_table);
	assert_true(lmi_catalog_lookup(cat, LM_EXPERT, "e-p0", &e));
	assert_true(lmi_score_fast(sc, &nv, e, &score, &km));
	assert_true(km == 150.0);
	assert_true(lmi_score_fill(sc, &nv, e, &m));
	assert_true(m.score == score);
	assert_true(fabs(score - 85.0) < 1e-9);
	assert_int_equal(lmi_scorer_capacity_left(sc, e), 3);
	assert_non_null(lmi_scorer_period(sc));
	assert_true(lmi_catalog_lookup(cat, LM_EXPERT, "e-conf", &e));
	assert_true(lmi_score_fast(sc, &nv, e, &score, NULL));
	assert_true(lmi_catalog_lookup(cat, LM_EXPERT, "e-sales", &e));
	assert_false(lmi_score_fast(sc, &nv, e, &score, NULL));
	assert_false(lmi_score_fill(sc, &nv, e, &m));
	assert_true(m.score == 0.0);
	lmi_need_view_free(&nv);
	lmi_need_view_free(&nv); /* twice is fine */
	lmi_scorer_free(sc);
	lmi_scorer_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		lmt_catalog_test(test_haversine, fixture),
		lmt_catalog_test(test_distance_table, fixture),
		lmt_catalog_test(test_rule_global_limit, fixture),
		lmt_catalog_test(test_rule_expert_limit, fixture),
		lmt_catalog_test(test_rule_need_limit, fixture),
		lmt_catalog_test(test_rule_option_limit, fixture),
		lmt_catalog_test(test_rule_limit_digits, fixture),
		lmt_catalog_test(test_rule_remote, fixture),
		lmt_catalog_test(test_rule_hybrid, fixture),
		lmt_catalog_test(test_rule_level, fixture),
		lmt_catalog_test(test_rule_level_related, related_yaml),
		lmt_catalog_test(test_rule_language, fixture),
		lmt_catalog_test(test_rule_conflict, fixture),
		lmt_catalog_test(test_all_rules_at_once, fixture),
		lmt_catalog_test(test_credit_hierarchy, fixture),
		lmt_catalog_test(test_credit_best_via, best_via_yaml),
		lmt_catalog_test(test_optional_and_weights, fixture),
		lmt_catalog_test(test_weighted_fit, weighted_yaml),
		lmt_catalog_test(test_weights_options, fixture),
		lmt_catalog_test(test_distance_monotone, fixture),
		lmt_catalog_test(test_match_fields, fixture),
		lmt_catalog_test(test_explain_unknown, fixture),
		lmt_catalog_test(test_options_version, fixture),
		cmocka_unit_test(test_options_init),
		lmt_catalog_test(test_scorer_api, fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
