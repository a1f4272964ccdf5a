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

static void load_ok(lm_catalog *cat, const char *yaml)
{
	const lm_diag *d;
	assert_int_equal(load(cat, yaml, &d), LM_OK);
}

/* Loading `yaml` into cat fails with LM_EINPUT; its first diagnostic,
 * at line:column (0: not checked), says `text` (NULL: not checked). */
static const lm_diag *load_fails(lm_catalog *cat, const char *yaml,
                                 unsigned line, unsigned column,
                                 const char *text)
{
	const lm_diag *d;
	assert_int_equal(load(cat, yaml, &d), LM_EINPUT);
	if (line)
		assert_int_equal(d->line, line);
	if (column)
		assert_int_equal(d->column, column);
	if (text)
		assert_non_null(strstr(d->message, text));
	return d;
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
	lm_catalog *cat = *state;
	const lm_company_info *co = lm_catalog_company(cat, 0);
	assert_string_equal(co->place, "tyn");
	/* A later record named "Tynset" must not take the company over. */
	load_ok(cat, "places:\n  - {id: aaa, name: Tynset, lat: 59, lon: 10}\n");
	size_t i;
	assert_int_equal(lm_catalog_find(cat, LM_COMPANY, "c", &i), LM_OK);
	co = lm_catalog_company(cat, i);
	assert_string_equal(co->place, "tyn");
	assert_true(co->lat > 62);
	/* Names and aliases were written down as ids. */
	char *y = export_text(cat);
	assert_non_null(strstr(y, "place: tyn\n"));
	assert_non_null(strstr(y, "skills: {seo: 3}"));
	assert_non_null(strstr(y, "skills: {seo: 2}"));
	free(y);
}

static void test_ambiguous_name(void **state)
{
	lm_catalog *cat = *state;
	/* Two places are now called Tynset: a reference by that name is an
	 * error, and a look-up by it finds nothing. */
	load_fails(cat,
	           "places:\n  - {id: aaa, name: Tynset, lat: 59, lon: 10}\n"
	           "companies:\n  - {id: c2, name: C2, place: tynset}\n",
	           4, 31, "more than one place");
	assert_int_equal(lm_catalog_count(cat, LM_PLACE), 2);
	size_t i;
	/* The id still wins over a name. */
	assert_int_equal(lm_catalog_find(cat, LM_PLACE, "tyn", &i), LM_OK);
}

static void test_ids_equal_after_folding(void **state)
{
	lm_catalog *cat = *state;
	load_fails(cat, "places:\n  - {id: TYN, name: X, lat: 59, lon: 10}\n",
	           2, 5, "only in letter case");
	assert_int_equal(lm_catalog_count(cat, LM_PLACE), 2);
}

static void test_all_or_nothing(void **state)
{
	lm_catalog *cat = *state;
	char *before = export_text(cat);
	/* A batch that replaces records, adds settings and distances, and
	 * has one dangling reference changes nothing. */
	load_fails(cat,
	           "settings: {max_travel_km: 100}\n"
	           "places:\n  - {id: tyn, name: Moved, lat: 1, lon: 1}\n"
	           "distances:\n  - {from: tyn, to: os, km: 5}\n"
	           "experts:\n  - {id: e1, name: New, garden: nowhere, home: os, skills: {seo: 1}}\n",
	           7, 33, NULL);
	char *after = export_text(cat);
	assert_string_equal(before, after);
	assert_true(lm_catalog_settings(cat)->max_travel_km == 300);
	free(before);
	free(after);
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
	const lm_diag *d = load_fails(cat, y, 0, 0, "has a cycle");
	assert_true(d->line >= 2);
	assert_int_equal(lm_catalog_diag_count(cat), LM_DIAG_CAP);
	assert_int_equal(lm_catalog_count(cat, LM_SKILL), 0);
	free(y);
	lm_catalog_free(cat);
}

static void test_cycle_through_existing_records(void **state)
{
	lm_catalog *cat = *state;
	/* Re-parenting marketing under seo closes a cycle with a record
	 * already held: reported at the new record, with its position. */
	load_fails(cat, "skills:\n  - {id: marketing, label: M, parent: seo}\n",
	           2, 39, NULL);
}

static void test_alias_clash(void **state)
{
	lm_catalog *cat = *state;
	load_fails(cat, "skills:\n  - {id: web, label: Web, aliases: [seo-ARBEID]}\n",
	           2, 37, "already names skill 'seo'");
	/* A label two skills share is no error: it just finds neither. */
	load_ok(cat, "skills:\n  - {id: aaa, label: Søkemotoroptimalisering}\n");
	size_t i;
	assert_int_equal(lm_catalog_find(cat, LM_SKILL, "søkemotoroptimalisering", &i),
	                 LM_EAMBIGUOUS);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "more than one skill"));
	/* Its id still finds each; a query naming it by the label fails the
	 * same way. */
	assert_int_equal(lm_catalog_find(cat, LM_SKILL, "aaa", &i), LM_OK);
	lm_skill_req req = {"Søkemotoroptimalisering", 1, 1.0, 0};
	lm_query q = lmt_query_one("tyn", &req);
	lm_ranking *r = NULL;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_EAMBIGUOUS);
	assert_null(r);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "more than one skill"));
}

/* The two codes of the API pass have their own text; an unknown code
 * has one too. */
static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(lm_strerror(LM_ECANCELED), "canceled");
	assert_string_equal(lm_strerror(LM_EAMBIGUOUS), "ambiguous name");
	assert_string_equal(lm_strerror(LM_ENOTFOUND), "not found");
	assert_string_equal(lm_strerror(-99), "unknown error");
}

/* No count of kinds is public: lm_kind_name ends the list, and every
 * name parses back to its kind. */
static void test_kinds(void **state)
{
	(void)state;
	int n = 0;
	for (lm_kind k = LM_PLACE; lm_kind_name(k); k = (lm_kind)(k + 1)) {
		lm_kind back;
		assert_int_equal(lm_kind_parse(lm_kind_name(k), &back), LM_OK);
		assert_int_equal(back, k);
		n++;
	}
	assert_int_equal(n, LMI_KIND_COUNT);
	assert_null(lm_kind_name((lm_kind)-1));
}

/* The names of modes and kinds: NULL parses to nothing (issue 14). */
static void test_parse_null(void **state)
{
	(void)state;
	lm_mode m = LM_HYBRID;
	lm_kind k = LM_NEED;
	assert_int_equal(lm_mode_parse(NULL, &m), LM_EINVAL);
	assert_int_equal(m, LM_HYBRID);
	assert_int_equal(lm_mode_parse("REMOTE", NULL), LM_EINVAL);
	assert_int_equal(lm_mode_parse("Remote", &m), LM_OK);
	assert_int_equal(m, LM_REMOTE);
	assert_int_equal(lm_kind_parse(NULL, &k), LM_EINVAL);
	assert_int_equal(k, LM_NEED);
	assert_int_equal(lm_kind_parse("experts", NULL), LM_EINVAL);
}

/* Only -1 means now; any other negative instant is an error, and a
 * buffer too small for "YYYY-QN" too (issue 14). */
static void test_period_current(void **state)
{
	(void)state;
	char buf[16];
	assert_int_equal(lm_period_current(-1, buf, sizeof buf), LM_OK);
	assert_int_equal(strlen(buf), 7);
	assert_int_equal(lm_period_current(-2, buf, sizeof buf), LM_EINVAL);
	assert_int_equal(lm_period_current(INT64_MIN, buf, sizeof buf), LM_EINVAL);
	/* 2026-05-15 12:00 UTC is in Q2 in every time zone. */
	assert_int_equal(lm_period_current(1778846400, buf, sizeof buf), LM_OK);
	assert_string_equal(buf, "2026-Q2");
	assert_int_equal(lm_period_current(0, buf, 7), LM_EINVAL);
	assert_int_equal(lm_period_current(0, NULL, 8), LM_EINVAL);
}

/* Say something else than `stale`, and something. */
static void fresh_message(const lm_catalog *cat, const char *stale,
                          const char *what)
{
	const char *m = lm_catalog_errmsg(cat);
	if (!m[0] || !strcmp(m, stale))
		fail_msg("%s: the message is '%s'", what, m);
}

/* Every failure of a call on a catalogue leaves its own message there,
 * not the previous failure's (issue 14): each call below fails right
 * after an unknown need set "unknown need 'zzz-none'". */
static void test_every_failure_says_why(void **state)
{
	lm_catalog *cat = *state;
	size_t i;
	lm_ranking *r = NULL;
	lm_explanation *x = NULL;
	lm_plan *p = NULL;
	lm_skill_req req = {"seo", 1, 1.0, 0};
	lm_query q = lmt_query_one("tyn", &req);
	const char *stale = "unknown need 'zzz-none'";
	FILE *fp = tmpfile();
	assert_non_null(fp);
#define FAILS(call, code)                                                      \
	do {                                                                   \
		assert_int_equal(lm_catalog_find(cat, LM_NEED, "zzz-none", &i), \
		                 LM_ENOTFOUND);                                \
		assert_string_equal(lm_catalog_errmsg(cat), stale);            \
		assert_int_equal(call, code);                                  \
		fresh_message(cat, stale, #call);                              \
	} while (0)
	FAILS(lm_catalog_find(cat, LM_NEED, NULL, &i), LM_EINVAL);
	FAILS(lm_catalog_find(cat, LM_NEED, "n1", NULL), LM_EINVAL);
	FAILS(lm_catalog_find(cat, (lm_kind)99, "n1", &i), LM_EINVAL);
	FAILS(lm_catalog_find(cat, LM_DISTANCE, "n1", &i), LM_EINVAL);
	FAILS(lm_catalog_load_paths(cat, NULL, 1), LM_EINVAL);
	FAILS(lm_catalog_load_paths(cat, (const char *const[]){NULL}, 1),
	      LM_EINVAL);
	FAILS(lm_catalog_load_buffer(cat, "t.yaml", NULL, 3), LM_EINVAL);
	FAILS(lm_catalog_export(cat, LM_FORMAT_YAML, NULL), LM_EINVAL);
	FAILS(lm_catalog_export(cat, (lm_format)7, fp), LM_EINVAL);
	FAILS(lm_rank_need(cat, NULL, NULL, &r), LM_EINVAL);
	FAILS(lm_rank_need(cat, "n1", NULL, NULL), LM_EINVAL);
	FAILS(lm_rank_query(cat, NULL, NULL, &r), LM_EINVAL);
	FAILS(lm_rank_query(cat, &q, NULL, NULL), LM_EINVAL);
	FAILS(lm_explain(cat, NULL, "e1", NULL, &x), LM_EINVAL);
	FAILS(lm_explain(cat, "n1", "e1", NULL, NULL), LM_EINVAL);
	FAILS(lm_plan_compute(cat, NULL, 1, NULL, &p), LM_EINVAL);
	FAILS(lm_plan_compute(cat, NULL, 0, NULL, NULL), LM_EINVAL);
	FAILS(lm_plan_compute(cat, &(lm_pin){NULL, "e1"}, 1, NULL, &p),
	      LM_EINVAL);
	FAILS(lm_plan_compute(cat, &(lm_pin){"n1", NULL}, 1, NULL, &p),
	      LM_EINVAL);
#undef FAILS
	assert_null(r);
	assert_null(x);
	assert_null(p);
	fclose(fp);
}

static void test_self_distance_and_settings(void **state)
{
	lm_catalog *cat = *state;
	load_fails(cat, "distances:\n  - {from: os, to: Os, km: 5}\n", 0, 0,
	           "to itself");
	load_fails(cat, "settings: {weight_skill: 0}\n", 1, 26, "weight_skill");
	load_fails(cat, "settings: {road_factor: 0.5}\n", 0, 0, NULL);
	load_ok(cat, "settings: {road_factor: 1.25, weight_distance: 0}\n");
	const lm_settings *s = lm_catalog_settings(cat);
	assert_true(s->road_factor == 1.25);
	assert_true(s->weight_distance == 0);
}

static void test_suggestions(void **state)
{
	lm_catalog *cat = *state;
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
	assert_string_equal(lm_catalog_skill(cat, i)->id, "seo");
}

static void test_id_order(void **state)
{
	lm_catalog *cat = *state;
	load_ok(cat, "places:\n  - {id: b, name: B, lat: 1, lon: 1}\n"
	             "  - {id: a, name: A, lat: 1, lon: 1}\n");
	const char *want[] = {"a", "b", "os", "tyn"};
	for (size_t k = 0; k < 4; k++) {
		const lm_place_info *p = lm_catalog_place(cat, k);
		assert_non_null(p);
		assert_string_equal(p->id, want[k]);
	}
	assert_null(lm_catalog_place(cat, 4));
}

/* The views are the catalogue's: the same pointer on every call, NULL
 * out of range, every kind and sub-list filled as the records say, and
 * after a load that changes the catalogue the new values. */
static void test_views(void **state)
{
	lm_catalog *cat = *state;
	load_ok(cat, "distances:\n  - {from: Tynset, to: os, km: 51}\n"
	             "engagements:\n  - {period: 2026-Q4, need: n1, "
	             "expert: e1, score: 80}\n");
	const lm_expert_info *e = lm_catalog_expert(cat, 0);
	assert_non_null(e);
	assert_ptr_equal(e, lm_catalog_expert(cat, 0));
	assert_string_equal(e->id, "e1");
	assert_string_equal(e->garden, "g");
	assert_string_equal(e->home, "os");
	assert_int_equal(e->skill_count, 1);
	assert_int_equal(e->capacity, 2);
	assert_true(e->remote);
	const lm_skill_req *s = lm_catalog_expert_skill(cat, 0, 0);
	assert_string_equal(s->skill, "seo");
	assert_int_equal(s->level, 3);
	assert_true(s->weight == 1.0);
	assert_ptr_equal(s, lm_catalog_expert_skill(cat, 0, 0));
	assert_null(lm_catalog_expert_skill(cat, 0, 1));
	assert_null(lm_catalog_expert_skill(cat, 1, 0));
	assert_null(lm_catalog_expert(cat, 1));
	const lm_need_info *n = lm_catalog_need(cat, 0);
	assert_string_equal(n->id, "n1");
	assert_string_equal(n->company, "c");
	assert_null(n->title);
	assert_int_equal(n->skill_count, 1);
	s = lm_catalog_need_skill(cat, 0, 0);
	assert_string_equal(s->skill, "seo");
	assert_int_equal(s->level, 2);
	assert_null(lm_catalog_need_skill(cat, 0, 1));
	assert_null(lm_catalog_need(cat, 1));
	const lm_garden_info *g = lm_catalog_garden(cat, 0);
	assert_string_equal(g->place, "tyn");
	assert_null(lm_catalog_garden(cat, 1));
	const lm_skill_info *sk = lm_catalog_skill(cat, 1);
	assert_string_equal(sk->id, "seo");
	assert_string_equal(sk->parent, "marketing");
	assert_int_equal(sk->alias_count, 1);
	assert_null(lm_catalog_skill(cat, 2));
	const lm_distance_info *di = lm_catalog_distance(cat, 0);
	assert_string_equal(di->from, "tyn");
	assert_string_equal(di->to, "os");
	assert_true(di->km == 51);
	assert_null(lm_catalog_distance(cat, 1));
	const lm_engagement_info *en = lm_catalog_engagement(cat, 0);
	assert_string_equal(en->period, "2026-Q4");
	assert_string_equal(en->expert, "e1");
	assert_null(lm_catalog_engagement(cat, 1));
	assert_null(lm_catalog_company(cat, 1));
	assert_null(lm_catalog_place(cat, 2));
	assert_null(lm_catalog_place(NULL, 0));
	assert_null(lm_catalog_expert(NULL, 0));
	assert_null(lm_catalog_settings(NULL));
	const lm_settings *st = lm_catalog_settings(cat);
	assert_int_equal(st->default_capacity, 2);

	/* A load replaces the views: the next call gives the new record. */
	load_ok(cat, "experts:\n  - {id: e1, name: E1, garden: g, "
	             "home: tyn, capacity: 4, skills: {marketing: 5, "
	             "seo: 1}}\n"
	             "settings: {default_capacity: 3}\n");
	e = lm_catalog_expert(cat, 0);
	assert_string_equal(e->home, "tyn");
	assert_int_equal(e->capacity, 4);
	assert_int_equal(e->skill_count, 2);
	assert_string_equal(lm_catalog_expert_skill(cat, 0, 0)->skill, "marketing");
	assert_int_equal(lm_catalog_expert_skill(cat, 0, 0)->level, 5);
	assert_int_equal(lm_catalog_settings(cat)->default_capacity, 3);
	/* A failed load leaves them as they were. */
	load_fails(cat, "experts:\n  - {id: e1, name: E1, garden: nowhere, "
	           "home: tyn, skills: {seo: 1}}\n", 0, 0, NULL);
	assert_ptr_equal(e, lm_catalog_expert(cat, 0));
	assert_int_equal(e->capacity, 4);

	/* An empty catalogue has none. */
	lm_catalog *empty = NULL;
	assert_int_equal(lm_catalog_new(&empty), LM_OK);
	assert_null(lm_catalog_expert(empty, 0));
	assert_null(lm_catalog_need_skill(empty, 0, 0));
	assert_int_equal(lm_catalog_settings(empty)->default_capacity, 2);
	lm_catalog_free(empty);
}

/* What the merge makes of the round-2 keys for the engine: a team size
 * for every need, its status, retired records, quarters as numbers. */
static void test_round2_resolved(void **state)
{
	lm_catalog *cat = *state;
	assert_true(cat->settings.team_penalty == 5);   /* the default */
	load_ok(cat, "needs:\n"
	             "  - {id: n2, company: c, skills: {seo: 2}, "
	             "team: 3, status: Done, from: 2027-q1, "
	             "until: 2027-Q3, retired: 2027-10-01}\n"
	             "settings: {team_penalty: 0}\n");
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
	const lm_diag *d = load_fails(cat, "settings: {team_penalty: 100.5}\n",
	                              1, 26, NULL);
	assert_string_equal(d->message, "setting team_penalty = 100.5 is "
	                    "outside 0..100");
	load_fails(cat, "settings: {team_penalty: -1}\n", 0, 0, NULL);
	assert_true(cat->settings.team_penalty == 0);

	/* Experts' capacity per quarter in quarter order; retired records. */
	load_ok(cat, "experts:\n"
	             "  - {id: e2, name: E2, garden: g, home: os, "
	             "skills: {seo: 1}, retired: 2027-01-01, "
	             "availability: {2027-Q3: 4, 2026-Q4: 0, "
	             "2027-q1: 2}}\n"
	             "companies:\n"
	             "  - {id: c2, name: C2, place: os, "
	             "retired: 2026-01-01}\n");
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
}

/* A team need's engagements in a period are written back as one record
 * with `experts:` when they share a score, and one by one when not. */
static void test_team_engagements_export(void **state)
{
	lm_catalog *cat = *state;
	load_ok(cat, "experts:\n"
	             "  - {id: e3, name: E3, garden: g, home: os, "
	             "skills: {seo: 1}}\n"
	             "needs:\n"
	             "  - {id: n1, company: c, experts: 2, skills: {seo: 1}}\n"
	             "  - {id: n2, company: c, skills: {seo: 1}, "
	             "team: 2}\n"
	             "  - {id: n3, company: c, skills: {seo: 1}, team: 2}\n"
	             "  - {id: n4, company: c, skills: {seo: 1}, team: 2}\n"
	             "engagements:\n"
	             "  - {period: 2026-Q4, need: n2, "
	             "experts: [E3, e1], score: 50}\n"
	             "  - {period: 2027-Q1, need: n3, expert: e1, "
	             "score: 40}\n"
	             "  - {period: 2027-Q1, need: n3, expert: e3, "
	             "score: 41}\n"
	             "  - {period: 2027-Q2, need: n4, expert: e3}\n"
	             "  - {period: 2027-Q2, need: n1, "
	             "experts: [e1, e3], score: 9}\n");
	assert_int_equal(lm_catalog_count(cat, LM_ENGAGEMENT), 7);
	char *text = export_text(cat);
	const char *want =
		"engagements:\n"
		"  - period: \"2026-Q4\"\n    need: n2\n"
		"    experts: [e1, e3]\n    score: 50\n"
		"  - period: \"2027-Q1\"\n    need: n3\n"
		"    expert: e1\n    score: 40\n"
		"  - period: \"2027-Q1\"\n    need: n3\n"
		"    expert: e3\n    score: 41\n"
		"  - period: \"2027-Q2\"\n    need: n1\n"
		"    expert: e1\n    score: 9\n"
		"  - period: \"2027-Q2\"\n    need: n1\n"
		"    expert: e3\n    score: 9\n"
		"  - period: \"2027-Q2\"\n    need: n4\n"
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
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_parse_null),
		cmocka_unit_test(test_period_current),
		lmt_catalog_test(test_every_failure_says_why, BASE),
		lmt_catalog_test(test_references_become_ids, BASE),
		lmt_catalog_test(test_ambiguous_name, BASE),
		lmt_catalog_test(test_ids_equal_after_folding, BASE),
		lmt_catalog_test(test_all_or_nothing, BASE),
		cmocka_unit_test(test_cycle_linear_and_positioned),
		lmt_catalog_test(test_cycle_through_existing_records, BASE),
		lmt_catalog_test(test_alias_clash, BASE),
		lmt_catalog_test(test_self_distance_and_settings, BASE),
		lmt_catalog_test(test_suggestions, BASE),
		lmt_catalog_test(test_id_order, BASE),
		cmocka_unit_test(test_periods_and_dates),
		lmt_catalog_test(test_round2_resolved, BASE),
		lmt_catalog_test(test_team_engagements_export, BASE),
		lmt_catalog_test(test_views, BASE),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
