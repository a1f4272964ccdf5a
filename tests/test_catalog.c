/* SPDX-License-Identifier: MIT */
/*
 * test_catalog.c -- the catalogue's merge: all or nothing, references
 * kept as canonical ids, ambiguous names, ids equal after case folding,
 * taxonomy cycles, alias clashes, self distances, settings ranges,
 * suggestions, and the accessors' id order.
 */
#include "lm_test.h"

#include <stdlib.h>

#include "model/catalog.h"
#include "model/period.h"

static const char *BASE =
    "places:\n"
    "  - {id: tyn, name: Tynset, lat: 62.274, lon: 10.777}\n"
    "  - {id: os, name: Os, lat: 62.496, lon: 11.223}\n"
    "gardens:\n"
    "  - {id: g, name: Garden, place: Tynset}\n"
    "skills:\n"
    "  - {id: marketing, label: Markedsføring}\n"
    "  - {id: seo, label: Søkemotoroptimalisering, parent: marketing, aliases: [SEO-arbeid]}\n"
    "companies:\n"
    "  - {id: c, name: C AS, place: TYNSET}\n"
    "experts:\n"
    "  - {id: e1, name: E1, garden: g, home: os, skills: {søkemotoroptimalisering: 3}}\n"
    "needs:\n"
    "  - {id: n1, company: c, skills: {SEO-ARBEID: 2}}\n";

/* Load `yaml` into cat; return the status and the first diagnostic. */
static int load(lm_catalog *cat, const char *yaml, const lm_diag **first)
{
	int rc = lm_catalog_load_buffer(cat, "t.yaml", yaml, strlen(yaml));
	*first = lm_catalog_diag(cat, 0);
	return rc;
}

static char *export_text(lm_catalog *cat)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	assert_int_equal(lm_catalog_export(cat, LM_FORMAT_YAML, fp), LM_OK);
	fclose(fp);
	return buf;
}

static void test_references_become_ids(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	lm_company_info co;
	lm_catalog_company(cat, 0, &co);
	assert_string_equal(co.place, "tyn");
	/* A later record named "Tynset" must not take the company over. */
	const lm_diag *d;
	assert_int_equal(load(cat, "places:\n  - {id: aaa, name: Tynset, lat: 59, lon: 10}\n",
	                      &d), LM_OK);
	size_t i;
	assert_int_equal(lm_catalog_find(cat, LM_COMPANY, "c", &i), LM_OK);
	lm_catalog_company(cat, i, &co);
	assert_string_equal(co.place, "tyn");
	assert_true(co.lat > 62);
	/* Names and aliases were written down as ids. */
	char *y = export_text(cat);
	assert_non_null(strstr(y, "place: tyn\n"));
	assert_non_null(strstr(y, "skills: {seo: 3}"));
	assert_non_null(strstr(y, "skills: {seo: 2}"));
	free(y);
	lm_catalog_free(cat);
}

static void test_ambiguous_name(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	const lm_diag *d;
	/* Two places are now called Tynset: a reference by that name is an
	 * error, and a look-up by it finds nothing. */
	assert_int_equal(load(cat,
	                      "places:\n  - {id: aaa, name: Tynset, lat: 59, lon: 10}\n"
	                      "companies:\n  - {id: c2, name: C2, place: tynset}\n",
	                      &d), LM_EINPUT);
	assert_int_equal(d->line, 4);
	assert_int_equal(d->column, 31);
	assert_non_null(strstr(d->message, "more than one place"));
	assert_int_equal(lm_catalog_count(cat, LM_PLACE), 2);
	size_t i;
	/* The id still wins over a name. */
	assert_int_equal(lm_catalog_find(cat, LM_PLACE, "tyn", &i), LM_OK);
	lm_catalog_free(cat);
}

static void test_ids_equal_after_folding(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	const lm_diag *d;
	assert_int_equal(load(cat, "places:\n  - {id: TYN, name: X, lat: 59, lon: 10}\n",
	                      &d), LM_EINPUT);
	assert_int_equal(d->line, 2);
	assert_int_equal(d->column, 5);
	assert_non_null(strstr(d->message, "only in letter case"));
	assert_int_equal(lm_catalog_count(cat, LM_PLACE), 2);
	lm_catalog_free(cat);
}

static void test_all_or_nothing(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	char *before = export_text(cat);
	const lm_diag *d;
	/* A batch that replaces records, adds settings and distances, and
	 * has one dangling reference changes nothing. */
	assert_int_equal(load(cat,
	                      "settings: {max_travel_km: 100}\n"
	                      "places:\n  - {id: tyn, name: Moved, lat: 1, lon: 1}\n"
	                      "distances:\n  - {from: tyn, to: os, km: 5}\n"
	                      "experts:\n  - {id: e1, name: New, garden: nowhere, home: os, skills: {seo: 1}}\n",
	                      &d), LM_EINPUT);
	assert_int_equal(d->line, 7);
	assert_int_equal(d->column, 33);
	char *after = export_text(cat);
	assert_string_equal(before, after);
	lm_settings s;
	lm_catalog_settings(cat, &s);
	assert_true(s.max_travel_km == 300);
	free(before);
	free(after);
	lm_catalog_free(cat);
}

static void test_cycle_linear_and_positioned(void **state)
{
	(void)state;
	/* Many disjoint two-skill cycles: each reported once with a position
	 * (diagnostics are capped), quickly. */
	size_t n = 20000, cap = n * 64 + 64, len = 0;
	char *y = malloc(cap);
	assert_non_null(y);
	len += (size_t)snprintf(y + len, cap - len, "skills:\n");
	for (size_t i = 0; i < n; i += 2) {
		len += (size_t)snprintf(y + len, cap - len,
		                        "  - {id: a%zu, label: A%zu, parent: a%zu}\n"
		                        "  - {id: a%zu, label: A%zu, parent: a%zu}\n",
		                        i, i, i + 1, i + 1, i + 1, i);
	}
	lm_catalog *cat;
	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	const lm_diag *d;
	assert_int_equal(load(cat, y, &d), LM_EINPUT);
	assert_non_null(strstr(d->message, "has a cycle"));
	assert_true(d->line >= 2);
	assert_int_equal(lm_catalog_diag_count(cat), LM_DIAG_CAP);
	assert_int_equal(lm_catalog_count(cat, LM_SKILL), 0);
	free(y);
	lm_catalog_free(cat);
}

static void test_cycle_through_existing_records(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	const lm_diag *d;
	/* Re-parenting marketing under seo closes a cycle with a record
	 * already held: reported at the new record, with its position. */
	assert_int_equal(load(cat, "skills:\n  - {id: marketing, label: M, parent: seo}\n",
	                      &d), LM_EINPUT);
	assert_int_equal(d->line, 2);
	assert_int_equal(d->column, 39);
	lm_catalog_free(cat);
}

static void test_alias_clash(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	const lm_diag *d;
	assert_int_equal(load(cat, "skills:\n  - {id: web, label: Web, aliases: [seo-ARBEID]}\n",
	                      &d), LM_EINPUT);
	assert_int_equal(d->line, 2);
	assert_int_equal(d->column, 37);
	assert_non_null(strstr(d->message, "already names skill 'seo'"));
	/* A label two skills share is no error: it just finds neither. */
	assert_int_equal(load(cat, "skills:\n  - {id: aaa, label: Søkemotoroptimalisering}\n",
	                      &d), LM_OK);
	size_t i;
	assert_int_equal(lm_catalog_find(cat, LM_SKILL, "søkemotoroptimalisering", &i),
	                 LM_ENOTFOUND);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "more than one skill"));
	lm_catalog_free(cat);
}

static void test_self_distance_and_settings(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	const lm_diag *d;
	assert_int_equal(load(cat, "distances:\n  - {from: os, to: Os, km: 5}\n", &d),
	                 LM_EINPUT);
	assert_non_null(strstr(d->message, "to itself"));
	assert_int_equal(load(cat, "settings: {weight_skill: 0}\n", &d), LM_EINPUT);
	assert_int_equal(d->line, 1);
	assert_int_equal(d->column, 26);
	assert_non_null(strstr(d->message, "weight_skill"));
	assert_int_equal(load(cat, "settings: {road_factor: 0.5}\n", &d), LM_EINPUT);
	assert_int_equal(load(cat, "settings: {road_factor: 1.25, weight_distance: 0}\n", &d),
	                 LM_OK);
	lm_settings s;
	lm_catalog_settings(cat, &s);
	assert_true(s.road_factor == 1.25);
	assert_true(s.weight_distance == 0);
	lm_catalog_free(cat);
}

static void test_suggestions(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	size_t i;
	/* Folded, and against names as well as ids. */
	assert_int_equal(lm_catalog_find(cat, LM_PLACE, "TYNSETT", &i), LM_ENOTFOUND);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "did you mean 'tyn'"));
	assert_int_equal(lm_catalog_find(cat, LM_NEED, "n2", &i), LM_ENOTFOUND);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "did you mean 'n1'"));
	/* Nothing close: no suggestion. */
	assert_int_equal(lm_catalog_find(cat, LM_EXPERT, "zzzzzzzz", &i), LM_ENOTFOUND);
	assert_null(strstr(lm_catalog_errmsg(cat), "did you mean"));
	/* Unicode folding finds names with æ, ø, å. */
	assert_int_equal(lm_catalog_find(cat, LM_SKILL, "MARKEDSFØRING", &i), LM_OK);
	assert_int_equal(lm_catalog_find(cat, LM_SKILL, "seo-arbeid", &i), LM_OK);
	lm_skill_info si;
	lm_catalog_skill(cat, i, &si);
	assert_string_equal(si.id, "seo");
	lm_catalog_free(cat);
}

static void test_id_order(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	const lm_diag *d;
	assert_int_equal(load(cat, "places:\n  - {id: b, name: B, lat: 1, lon: 1}\n"
	                           "  - {id: a, name: A, lat: 1, lon: 1}\n", &d), LM_OK);
	const char *want[] = {"a", "b", "os", "tyn"};
	for (size_t k = 0; k < 4; k++) {
		lm_place_info p;
		assert_int_equal(lm_catalog_place(cat, k, &p), LM_OK);
		assert_string_equal(p.id, want[k]);
	}
	lm_place_info p;
	assert_int_equal(lm_catalog_place(cat, 4, &p), LM_EINVAL);
	lm_catalog_free(cat);
}

/* What the merge makes of the round-2 keys for the engine: a team size
 * for every need, its status, retired records, quarters as numbers. */
static void test_round2_resolved(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	const lm_diag *d;
	assert_true(cat->settings.team_penalty == 5);   /* the default */
	assert_int_equal(load(cat, "needs:\n"
	                           "  - {id: n2, company: c, skills: {seo: 2}, "
	                           "team: 3, status: Done, from: 2027-q1, "
	                           "until: 2027-Q3, retired: 2027-10-01}\n"
	                           "settings: {team_penalty: 0}\n", &d), LM_OK);
	const lmi_resolved *r = &cat->r;
	uint32_t n1, n2;
	assert_true(lmi_catalog_lookup(cat, LM_NEED, "n1", &n1));
	assert_true(lmi_catalog_lookup(cat, LM_NEED, "n2", &n2));
	assert_int_equal(r->need_team[n1], 1);
	assert_int_equal(r->need_team[n2], 3);
	assert_int_equal(r->need_status[n1], LMI_NEED_OPEN);
	assert_int_equal(r->need_status[n2], LMI_NEED_DONE);
	assert_false(r->need_retired[n1]);
	assert_true(r->need_retired[n2]);
	assert_int_equal(r->need_from[n1], 0);
	assert_int_equal(r->need_until[n1], 0);
	assert_int_equal(r->need_from[n2], 2027 * 4);
	assert_int_equal(r->need_until[n2], 2027 * 4 + 2);
	assert_true(cat->settings.team_penalty == 0);
	assert_true(cat->settings.set & (1u << LM_SET_TEAM_PENALTY));

	/* Its range, at the value. */
	assert_int_equal(load(cat, "settings: {team_penalty: 100.5}\n", &d),
	                 LM_EINPUT);
	assert_int_equal(d->line, 1);
	assert_int_equal(d->column, 26);
	assert_string_equal(d->message, "setting team_penalty = 100.5 is "
	                    "outside 0..100");
	assert_int_equal(load(cat, "settings: {team_penalty: -1}\n", &d),
	                 LM_EINPUT);
	assert_true(cat->settings.team_penalty == 0);

	/* Experts' capacity per quarter in quarter order; retired records. */
	assert_int_equal(load(cat, "experts:\n"
	                           "  - {id: e2, name: E2, garden: g, home: os, "
	                           "skills: {seo: 1}, retired: 2027-01-01, "
	                           "availability: {2027-Q3: 4, 2026-Q4: 0, "
	                           "2027-q1: 2}}\n"
	                           "companies:\n"
	                           "  - {id: c2, name: C2, place: os, "
	                           "retired: 2026-01-01}\n", &d), LM_OK);
	uint32_t e1, e2, c1, c2;
	assert_true(lmi_catalog_lookup(cat, LM_EXPERT, "e1", &e1));
	assert_true(lmi_catalog_lookup(cat, LM_EXPERT, "e2", &e2));
	assert_true(lmi_catalog_lookup(cat, LM_COMPANY, "c", &c1));
	assert_true(lmi_catalog_lookup(cat, LM_COMPANY, "c2", &c2));
	assert_false(r->expert_retired[e1]);
	assert_true(r->expert_retired[e2]);
	assert_false(r->company_retired[c1]);
	assert_true(r->company_retired[c2]);
	assert_int_equal(r->expert_avail_off[e1 + 1] - r->expert_avail_off[e1],
	                 0);
	uint32_t a = r->expert_avail_off[e2];
	assert_int_equal(r->expert_avail_off[e2 + 1] - a, 3);
	static const uint32_t want_q[] = {2026 * 4 + 3, 2027 * 4, 2027 * 4 + 2};
	static const int want_cap[] = {0, 2, 4};
	for (int k = 0; k < 3; k++) {
		assert_int_equal(r->expert_avail_period[a + k], want_q[k]);
		assert_int_equal(r->expert_avail_cap[a + k], want_cap[k]);
	}
	/* Written back in that order, each quarter one way. */
	char *text = export_text(cat);
	assert_non_null(strstr(text, "    retired: \"2027-01-01\"\n"
	                             "    availability: {\"2026-Q4\": 0, "
	                             "\"2027-Q1\": 2, \"2027-Q3\": 4}\n"));
	free(text);
	lm_catalog_free(cat);
}

/* A team need's engagements in a period are written back as one record
 * with `experts:` when they share a score, and one by one when not. */
static void test_team_engagements_export(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(BASE);
	const lm_diag *d;
	assert_int_equal(load(cat, "experts:\n"
	                           "  - {id: e3, name: E3, garden: g, home: os, "
	                           "skills: {seo: 1}}\n"
	                           "needs:\n"
	                           "  - {id: n2, company: c, skills: {seo: 1}, "
	                           "team: 2}\n"
	                           "engagements:\n"
	                           "  - {period: 2026-Q4, need: n2, "
	                           "experts: [E3, e1], score: 50}\n"
	                           "  - {period: 2027-Q1, need: n2, expert: e1, "
	                           "score: 40}\n"
	                           "  - {period: 2027-Q1, need: n2, expert: e3, "
	                           "score: 41}\n"
	                           "  - {period: 2027-Q2, need: n2, expert: e3}\n"
	                           "  - {period: 2027-Q2, need: n1, "
	                           "experts: [e1, e3], score: 9}\n", &d),
	                 LM_OK);
	assert_int_equal(lm_catalog_count(cat, LM_ENGAGEMENT), 7);
	char *text = export_text(cat);
	const char *want =
		"engagements:\n"
		"  - period: \"2026-Q4\"\n    need: n2\n"
		"    experts: [e1, e3]\n    score: 50\n"
		"  - period: \"2027-Q1\"\n    need: n2\n"
		"    expert: e1\n    score: 40\n"
		"  - period: \"2027-Q1\"\n    need: n2\n"
		"    expert: e3\n    score: 41\n"
		"  - period: \"2027-Q2\"\n    need: n1\n"
		"    expert: e1\n    score: 9\n"
		"  - period: \"2027-Q2\"\n    need: n1\n"
		"    expert: e3\n    score: 9\n"
		"  - period: \"2027-Q2\"\n    need: n2\n"
		"    experts: [e3]\n    score: 0\n";
	const char *at = strstr(text, "engagements:\n");
	assert_non_null(at);
	assert_string_equal(at, want);
	/* And it reads back to the same engagements. */
	lm_catalog *again = lmt_load(text);
	char *text2 = export_text(again);
	assert_string_equal(text, text2);
	free(text2);
	lm_catalog_free(again);
	free(text);
	lm_catalog_free(cat);
}

/* Quarters in any case, written one way; dates that exist. */
static void test_periods_and_dates(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		uint32_t q;      /* 0: refused */
	} periods[] = {
		{"2027-Q1", 2027 * 4}, {"2027-q4", 2027 * 4 + 3},
		{"1900-Q1", 1900 * 4}, {"9999-Q4", 9999 * 4 + 3},
		{"1899-Q4", 0}, {"2027-Q0", 0}, {"2027-Q5", 0}, {"2027-Q", 0},
		{"2027-Q11", 0}, {"27-Q1", 0}, {"2027Q1", 0}, {"2027-K1", 0},
		{"garbage", 0}, {"", 0}, {"２０２７-Q1", 0}, {" 2027-Q1", 0},
	};
	for (size_t i = 0; i < sizeof periods / sizeof *periods; i++) {
		uint32_t q = 0;
		bool ok = lmi_period_parse(periods[i].s, strlen(periods[i].s), &q);
		if (ok != (periods[i].q != 0) || (ok && q != periods[i].q))
			fail_msg("period '%s': %d %u", periods[i].s, ok, q);
	}
	char buf[LMI_PERIOD_SIZE];
	uint32_t q;
	assert_true(lmi_period_parse("2026-q4", 7, &q));
	lmi_period_format(q, buf);
	assert_string_equal(buf, "2026-Q4");
	/* Only the first len bytes count. */
	assert_true(lmi_period_parse("2026-Q3 and more", 7, &q));
	assert_int_equal(q, 2026 * 4 + 2);

	static const struct {
		const char *s;
		bool ok;
	} dates[] = {
		{"2026-12-31", true}, {"2024-02-29", true}, {"2000-02-29", true},
		{"1900-01-01", true}, {"2023-02-29", false},
		{"1900-02-29", false}, {"2026-04-31", false},
		{"2026-13-01", false}, {"2026-00-10", false},
		{"2026-01-00", false}, {"2026-1-01", false},
		{"2026/01/01", false}, {"1899-12-31", false},
		{"2026-01-01T00:00", false}, {"", false},
	};
	for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
		uint32_t ymd = 0;
		if (lmi_date_parse(dates[i].s, strlen(dates[i].s), &ymd) !=
		    dates[i].ok)
			fail_msg("date '%s'", dates[i].s);
	}
	uint32_t a, b;
	assert_true(lmi_date_parse("2026-12-31", 10, &a));
	assert_true(lmi_date_parse("2027-01-01", 10, &b));
	assert_int_equal(a, 20261231);
	assert_true(a < b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_references_become_ids),
		cmocka_unit_test(test_ambiguous_name),
		cmocka_unit_test(test_ids_equal_after_folding),
		cmocka_unit_test(test_all_or_nothing),
		cmocka_unit_test(test_cycle_linear_and_positioned),
		cmocka_unit_test(test_cycle_through_existing_records),
		cmocka_unit_test(test_alias_clash),
		cmocka_unit_test(test_self_distance_and_settings),
		cmocka_unit_test(test_suggestions),
		cmocka_unit_test(test_id_order),
		cmocka_unit_test(test_periods_and_dates),
		cmocka_unit_test(test_round2_resolved),
		cmocka_unit_test(test_team_engagements_export),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
