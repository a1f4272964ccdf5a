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

/* One place, garden, skill and company (p0, g0, s0, c0): how the
 * catalogues of one place below begin. */
#define ONE_OF_EACH                                                         \
	"places:\n  - {id: p0, name: P0, lat: 60.0, lon: 11.0}\n"          \
	"gardens:\n  - {id: g0, name: G0, place: p0}\n"                     \
	"skills:\n  - {id: s0, label: S0}\n"                                \
	"companies:\n  - {id: c0, name: C0, place: p0}\n"

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


/* ---- retired records and a need's life cycle (items 2, 3) -------------- */

/* The plan for `period` of `cat`; the test fails when there is none. */
static lm_plan *plan_for(lm_catalog *cat, const char *period)
{
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.period = period;
	lm_plan *p = NULL;
	int rc = lm_plan_compute(cat, NULL, 0, &o, &p);
	if (rc)
		fail_msg("plan failed (%d): %s", rc, lm_catalog_errmsg(cat));
	return p;
}

static bool planned(const lm_plan *p, const char *need, const char *expert)
{
	for (size_t i = 0; i < lm_plan_assignment_count(p); i++) {
		const lm_assignment *a = lm_plan_assignment(p, i);
		if ((!need || !strcmp(a->need, need)) &&
		    (!expert || !strcmp(a->expert, expert)))
			return true;
	}
	return false;
}

/* "n1=served n3=done": the plan's left-out needs with their reasons. */
static void left_out_text(const lm_plan *p, char *buf, size_t size)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < lm_plan_left_out_count(p) && at < size; i++) {
		const lm_left_out *l = lm_plan_left_out(p, i);
		at += (size_t)snprintf(buf + at, size - at, "%s%s=%s", i ? " " : "",
		                       l->need, l->reason);
	}
	assert_null(lm_plan_left_out(p, lm_plan_left_out_count(p)));
}

/* A retired expert is never ranked or planned, and explain says why;
 * its past engagement stays and still counts for the need. */
static void test_retired_expert(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(
	    ONE_OF_EACH
	    "experts:\n"
	    "  - {id: e1, name: E1, garden: g0, home: p0, capacity: 5, skills: {s0: 5},"
	    " retired: 2026-11-01}\n"
	    "  - {id: e2, name: E2, garden: g0, home: p0, capacity: 5, skills: {s0: 2}}\n"
	    "needs:\n  - {id: n1, company: c0, experts: 2, skills: {s0: 1}}\n"
	    "  - {id: n2, company: c0, skills: {s0: 1}}\n"
	    "engagements:\n  - {period: 2026-Q3, need: n1, expert: e1, score: 90}\n");
	assert_string_equal(lm_catalog_expert(cat, 0)->retired, "2026-11-01");
	assert_null(lm_catalog_expert(cat, 1)->retired);
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.period = "2026-Q4";
	o.k = 0;
	lm_ranking *r = NULL;
	assert_int_equal(lm_rank_need(cat, "n2", &o, &r), LM_OK);
	assert_int_equal(lm_ranking_feasible(r), 1);
	assert_string_equal(lm_ranking_get(r, 0)->expert_id, "e2");
	lm_ranking_free(r);
	lm_explanation *x = NULL;
	assert_int_equal(lm_explain(cat, "n2", "e1", &o, &x), LM_OK);
	assert_false(lm_explanation_feasible(x));
	assert_int_equal(lm_explanation_reason_count(x), 1);
	assert_string_equal(lm_explanation_reason(x, 0), "is retired");
	assert_int_equal(lm_explanation_match(x)->capacity_left, 0);
	lm_explanation_free(x);
	/* The plan: e2 on both needs (n1 lacks one more beside e1's past
	 * engagement), never e1, and a pin of e1 is refused. */
	lm_plan *p = plan_for(cat, "2026-Q4");
	assert_true(planned(p, "n1", "e2"));
	assert_true(planned(p, "n2", "e2"));
	assert_false(planned(p, NULL, "e1"));
	assert_int_equal(lm_plan_assignment_count(p), 2);
	lm_plan_free(p);
	lm_pin pin = {"n2", "e1"};
	assert_int_equal(lm_plan_compute(cat, &pin, 1, &o, &p), LM_EINFEASIBLE);
	assert_string_equal(lm_catalog_errmsg(cat),
	                    "cannot pin e1 to n2: is retired");
	assert_int_equal(lm_catalog_count(cat, LM_ENGAGEMENT), 1);
	lm_catalog_free(cat);
}

/* Each reason a need is left out, in the order lm_left_out gives them,
 * and the periods around from/until. */
static void test_need_life_cycle(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(
	    ONE_OF_EACH
	    "  - {id: c9, name: C9, place: p0, retired: 2026-10-01}\n"
	    "experts:\n"
	    "  - {id: e1, name: E1, garden: g0, home: p0, capacity: 9, skills: {s0: 5}}\n"
	    "  - {id: e2, name: E2, garden: g0, home: p0, capacity: 9, skills: {s0: 4}}\n"
	    "needs:\n"
	    "  - {id: n-done, company: c0, status: done, skills: {s0: 1}}\n"
	    "  - {id: n-from, company: c0, from: 2027-q2, skills: {s0: 1}}\n"
	    "  - {id: n-gone, company: c0, status: withdrawn, skills: {s0: 1}}\n"
	    "  - {id: n-half, company: c0, experts: 2, skills: {s0: 1}}\n"
	    "  - {id: n-old, company: c9, skills: {s0: 1}}\n"
	    "  - {id: n-open, company: c0, status: open, skills: {s0: 1}}\n"
	    "  - {id: n-ret, company: c0, retired: 2026-12-24, skills: {s0: 1}}\n"
	    "  - {id: n-served, company: c0, skills: {s0: 1}}\n"
	    "  - {id: n-until, company: c0, from: 2026-Q4, until: 2027-Q1, skills: {s0: 1}}\n"
	    "engagements:\n"
	    "  - {period: 2026-Q3, need: n-served, expert: e2}\n"
	    "  - {period: 2026-Q3, need: n-half, expert: e1}\n");
	const lm_need_info *ni = lm_catalog_need(cat, 1);
	assert_string_equal(ni->id, "n-from");
	assert_string_equal(ni->from, "2027-Q2");
	assert_null(ni->until);
	assert_string_equal(ni->status, "open");
	assert_string_equal(lm_catalog_need(cat, 0)->status, "done");
	assert_string_equal(lm_catalog_need(cat, 2)->status, "withdrawn");
	assert_string_equal(lm_catalog_need(cat, 6)->retired, "2026-12-24");
	assert_string_equal(lm_catalog_company(cat, 1)->retired, "2026-10-01");

	char buf[512];
	lm_plan *p = plan_for(cat, "2027-Q1");
	left_out_text(p, buf, sizeof(buf));
	assert_string_equal(buf, "n-done=done n-from=not yet due "
	                    "n-gone=withdrawn n-old=retired n-ret=retired "
	                    "n-served=served");
	/* n-half gets the one expert it lacks, not e1 again. */
	assert_true(planned(p, "n-half", "e2"));
	assert_false(planned(p, "n-half", "e1"));
	assert_true(planned(p, "n-open", NULL));
	assert_true(planned(p, "n-until", NULL));
	assert_int_equal(lm_plan_assignment_count(p), 3);
	lm_plan_free(p);
	/* 2027-Q2: n-from is due, n-until is over. */
	p = plan_for(cat, "2027-Q2");
	left_out_text(p, buf, sizeof(buf));
	assert_string_equal(buf, "n-done=done n-gone=withdrawn n-old=retired "
	                    "n-ret=retired n-served=served n-until=withdrawn");
	assert_true(planned(p, "n-from", NULL));
	assert_false(planned(p, "n-until", NULL));
	lm_plan_free(p);
	/* A pin to a need that is left out says why. */
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.period = "2027-Q1";
	lm_pin pin = {"n-done", "e1"};
	assert_int_equal(lm_plan_compute(cat, &pin, 1, &o, &p), LM_EINFEASIBLE);
	assert_string_equal(lm_catalog_errmsg(cat),
	                    "cannot pin e1 to n-done: the need is done in 2027-Q1");
	lm_catalog_free(cat);
}

/* The file `name` in `dir` holding `yaml`; its path is put in path. */
static void write_yaml(const char *dir, const char *name, const char *yaml,
                       char path[64])
{
	snprintf(path, 64, "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(yaml, fp);
	fclose(fp);
}

/* A database of `yaml` in a new folder: *dir and *path are filled. */
static lm_db *db_of(const char *yaml, char dir[32], char path[64])
{
	snprintf(dir, 32, "/tmp/lm-life-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, 64, "%s/m.db", dir);
	char yp[64];
	write_yaml(dir, "in.yaml", yaml, yp);
	lm_db *db = NULL;
	assert_int_equal(lm_db_open(path, LM_DB_CREATE, &db), LM_OK);
	const char *paths[] = {yp};
	if (lm_db_load(db, paths, 1, NULL, NULL))
		fail_msg("load: %s", lm_db_errmsg(db));
	unlink(yp);
	return db;
}

static void db_gone(lm_db *db, const char *dir, const char *path)
{
	char p[96];
	lm_db_close(db);
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	rmdir(dir);
}

/* A plan of `cat` made before the database changed: its commit is refused
 * as a whole, nothing committed.  Frees p and cat. */
static void commit_refused(lm_db *db, lm_plan *p, lm_catalog *cat)
{
	size_t n = 9;
	assert_int_equal(lm_db_commit_plan(db, p, &n), LM_ECONFLICT);
	assert_int_equal(n, 0);
	lm_plan_free(p);
	lm_catalog_free(cat);
}

/* retire, restore, done and withdraw through the database: each change
 * is read back, unknown ids and kinds are refused, and a plan made
 * before a change is refused at commit. */
static void test_db_life(void **state)
{
	(void)state;
	char dir[32], path[64];
	lm_db *db = db_of(BASE, dir, path);
	lm_catalog *cat = NULL;
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	lm_plan *p = plan_for(cat, "2026-Q4");

	assert_int_equal(lm_db_retire(db, LM_EXPERT, "e1", "2026-12-01"), LM_OK);
	/* Already retired: the first day stays. */
	assert_int_equal(lm_db_retire(db, LM_EXPERT, "e1", "2027-01-05"), LM_OK);
	assert_int_equal(lm_db_retire(db, LM_EXPERT, "e9", NULL), LM_ENOTFOUND);
	char want[128];
	snprintf(want, sizeof(want), "%s: no expert has id 'e9'", path);
	assert_string_equal(lm_db_errmsg(db), want);
	assert_int_equal(lm_db_retire(db, LM_PLACE, "p0", NULL), LM_EINVAL);
	assert_int_equal(lm_db_retire(db, LM_NEED, "n1", "2026-02-30"), LM_EINVAL);
	assert_string_equal(lm_db_errmsg(db), "'2026-02-30' is not a day YYYY-MM-DD");
	assert_int_equal(lm_db_set_need_status(db, "n2", "done"), LM_OK);
	assert_int_equal(lm_db_set_need_status(db, "n3", "withdrawn"), LM_OK);
	assert_int_equal(lm_db_set_need_status(db, "n3", "finished"), LM_EINVAL);
	assert_int_equal(lm_db_set_need_status(db, "n7", "done"), LM_ENOTFOUND);
	assert_int_equal(lm_db_retire(db, LM_COMPANY, "c0", NULL), LM_OK);

	/* The plan was made before: refused as a whole. */
	commit_refused(db, p, cat);

	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	assert_string_equal(lm_catalog_expert(cat, 0)->retired, "2026-12-01");
	assert_string_equal(lm_catalog_need(cat, 1)->status, "done");
	assert_string_equal(lm_catalog_need(cat, 2)->status, "withdrawn");
	assert_non_null(lm_catalog_company(cat, 0)->retired);
	p = plan_for(cat, "2026-Q4");
	assert_int_equal(lm_plan_assignment_count(p), 0);
	assert_int_equal(lm_plan_left_out_count(p), 3);
	lm_plan_free(p);
	lm_catalog_free(cat);

	assert_int_equal(lm_db_restore(db, LM_COMPANY, "c0"), LM_OK);
	assert_int_equal(lm_db_restore(db, LM_EXPERT, "e1"), LM_OK);
	assert_int_equal(lm_db_set_need_status(db, "n2", "open"), LM_OK);
	assert_int_equal(lm_db_restore(db, LM_NEED, "n9"), LM_ENOTFOUND);
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	assert_null(lm_catalog_expert(cat, 0)->retired);
	assert_null(lm_catalog_company(cat, 0)->retired);
	assert_string_equal(lm_catalog_need(cat, 1)->status, "open");
	p = plan_for(cat, "2026-Q4");
	assert_true(planned(p, "n1", "e1"));
	assert_int_equal(lm_plan_left_out_count(p), 1); /* n3, withdrawn */
	size_t n = 0;
	assert_int_equal(lm_db_commit_plan(db, p, &n), LM_OK);
	assert_int_equal(n, lm_plan_assignment_count(p));
	lm_plan_free(p);
	lm_catalog_free(cat);
	/* The next quarter leaves the served needs alone. */
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	p = plan_for(cat, "2027-Q1");
	assert_int_equal(lm_plan_assignment_count(p), 0);
	char buf[256];
	left_out_text(p, buf, sizeof(buf));
	assert_string_equal(buf, "n1=served n2=served n3=withdrawn");
	lm_plan_free(p);
	lm_catalog_free(cat);
	db_gone(db, dir, path);
}

/* ---- availability per quarter (item 4) ---------------------------------- */

static const char AVAIL[] =
	ONE_OF_EACH
	"experts:\n"
	"  - {id: e1, name: E1, garden: g0, home: p0, capacity: 2, skills: {s0: 5},\n"
	"     availability: {2027-Q1: 0, 2027-q2: 1}}\n"
	"needs:\n"
	"  - {id: n1, company: c0, skills: {s0: 1}}\n"
	"  - {id: n2, company: c0, skills: {s0: 1}}\n"
	"  - {id: n3, company: c0, skills: {s0: 1}}\n";

/* The capacity of the quarter asked for: its availability, else
 * `capacity`; in rankings (capacity left), plans and commits. */
static void test_availability(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(AVAIL);
	static const struct {
		const char *period;
		int left, planned;
	} rows[] = {{"2026-Q4", 2, 2}, {"2027-Q1", 0, 0}, {"2027-Q2", 1, 1},
	            {"2027-Q3", 2, 2}};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		o.period = rows[i].period;
		lm_ranking *r = NULL;
		assert_int_equal(lm_rank_need(cat, "n1", &o, &r), LM_OK);
		assert_int_equal(lm_ranking_get(r, 0)->capacity_left, rows[i].left);
		lm_ranking_free(r);
		o.available_only = 1;
		assert_int_equal(lm_rank_need(cat, "n1", &o, &r), LM_OK);
		assert_int_equal(lm_ranking_count(r), rows[i].left ? 1 : 0);
		lm_ranking_free(r);
		lm_plan *p = plan_for(cat, rows[i].period);
		assert_int_equal(lm_plan_assignment_count(p), rows[i].planned);
		lm_plan_free(p);
	}
	lm_catalog_free(cat);

	/* A commit checks the quarter's capacity again: a plan of 2027-Q3
	 * (capacity 2) cannot be committed once 2027-Q3 is given 1. */
	char dir[32], path[64];
	lm_db *db = db_of(AVAIL, dir, path);
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	lm_plan *p = plan_for(cat, "2027-Q3");
	assert_int_equal(lm_plan_assignment_count(p), 2);
	lm_db *other = NULL;
	assert_int_equal(lm_db_open(path, 0, &other), LM_OK);
	char y[64];
	write_yaml(dir, "a.yaml",
	           "experts:\n  - {id: e1, name: E1, garden: g0, home: p0, "
	           "capacity: 2, skills: {s0: 5},\n     availability: {2027-Q3: 1}}\n",
	           y);
	const char *paths[] = {y};
	assert_int_equal(lm_db_load(other, paths, 1, NULL, NULL), LM_OK);
	lm_db_close(other);
	unlink(y);
	commit_refused(db, p, cat);
	/* Planned again, it takes one, and commits. */
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	p = plan_for(cat, "2027-Q3");
	assert_int_equal(lm_plan_assignment_count(p), 1);
	size_t n = 0;
	assert_int_equal(lm_db_commit_plan(db, p, &n), LM_OK);
	assert_int_equal(n, 1);
	lm_plan_free(p);
	lm_catalog_free(cat);
	/* Through the engine image too (the record loaded last gives
	 * 2027-Q3 only: 2027-Q2 has its capacity again). */
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.period = "2027-Q2";
	lm_ranking *r = NULL;
	assert_int_equal(lm_db_rank_need(db, "n1", &o, &r), LM_OK);
	assert_int_equal(lm_ranking_get(r, 0)->capacity_left, 2);
	lm_ranking_free(r);
	o.period = "2027-Q3";
	assert_int_equal(lm_db_rank_need(db, "n1", &o, &r), LM_OK);
	assert_int_equal(lm_ranking_get(r, 0)->capacity_left, 0);
	lm_ranking_free(r);
	db_gone(db, dir, path);
}

/* ---- load --sync through the API (item 1) --------------------------------- */

static const char *report_ids(const lm_load_report *r, lm_kind k, int what,
                              char *buf, size_t size)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < lm_load_report_count(r, k, what) && at < size; i++)
		at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? " " : "",
		                       lm_load_report_id(r, k, what, i));
	assert_null(lm_load_report_id(r, k, what, lm_load_report_count(r, k, what)));
	return buf;
}

static void test_load_with(void **state)
{
	(void)state;
	char dir[32], path[64], y[64], buf[256];
	lm_db *db = db_of(BASE, dir, path);
	/* e3 and n3 are gone, e2 changed, n4 new, e1 and n1 as they were. */
	write_yaml(dir, "b.yaml",
	           "experts:\n"
	           "  - {id: e1, name: E1, garden: g0, home: p0, capacity: 2, skills: {s0: 5}}\n"
	           "  - {id: e2, name: E2, garden: g0, home: p1, capacity: 2, skills: {s0: 4}}\n"
	           "needs:\n"
	           "  - {id: n1, company: c0, skills: {s0: 1}}\n"
	           "  - {id: n2, company: c0, experts: 2, skills: {s0: 1}}\n"
	           "  - {id: n4, company: c0, skills: {s0: 2}}\n"
	           "engagements:\n  - {period: 2001-Q1, need: n1, expert: e1}\n",
	           y);
	const char *paths[] = {y};
	lm_load_report *r = (lm_load_report *)1;
	assert_int_equal(lm_db_load_with(db, paths, 1, 4u, NULL, NULL, &r),
	                 LM_EINVAL);
	assert_null(r);
	/* A dry run reports and writes nothing. */
	assert_int_equal(lm_db_load_with(db, paths, 1,
	                                 LM_LOAD_SYNC | LM_LOAD_DRY_RUN, NULL,
	                                 NULL, &r), LM_OK);
	assert_string_equal(report_ids(r, LM_EXPERT, LM_LOAD_CHANGED, buf, 256), "e2");
	assert_string_equal(report_ids(r, LM_EXPERT, LM_LOAD_UNCHANGED, buf, 256), "e1");
	assert_string_equal(report_ids(r, LM_EXPERT, LM_LOAD_RETIRED, buf, 256), "e3");
	assert_string_equal(report_ids(r, LM_NEED, LM_LOAD_ADDED, buf, 256), "n4");
	assert_string_equal(report_ids(r, LM_NEED, LM_LOAD_UNCHANGED, buf, 256), "n1 n2");
	assert_string_equal(report_ids(r, LM_NEED, LM_LOAD_RETIRED, buf, 256), "n3");
	assert_string_equal(report_ids(r, LM_ENGAGEMENT, LM_LOAD_ADDED, buf, 256),
	                    "2001-Q1 n1 e1");
	assert_int_equal(lm_load_report_count(r, LM_PLACE, LM_LOAD_ADDED), 0);
	assert_int_equal(lm_load_report_count(r, LM_EXPERT, LM_LOAD_UNLISTED), 0);
	assert_int_equal(lm_load_report_count(r, (lm_kind)99, LM_LOAD_ADDED), 0);
	assert_int_equal(lm_load_report_count(r, LM_EXPERT, 99), 0);
	lm_load_report_free(r);
	lm_catalog *cat = NULL;
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	assert_int_equal(lm_catalog_count(cat, LM_NEED), 3);
	assert_null(lm_catalog_expert(cat, 2)->retired);
	assert_int_equal(lm_catalog_count(cat, LM_ENGAGEMENT), 0);
	lm_catalog_free(cat);
	/* A plain load counts what the files omit as unlisted. */
	assert_int_equal(lm_db_load_with(db, paths, 1, 0, NULL, NULL, &r), LM_OK);
	assert_string_equal(report_ids(r, LM_EXPERT, LM_LOAD_UNLISTED, buf, 256), "e3");
	assert_int_equal(lm_load_report_count(r, LM_EXPERT, LM_LOAD_RETIRED), 0);
	lm_load_report_free(r);
	/* The sync retires them, in the rows and in the engine image. */
	assert_int_equal(lm_db_load_with(db, paths, 1, LM_LOAD_SYNC, NULL, NULL,
	                                 &r), LM_OK);
	assert_string_equal(report_ids(r, LM_EXPERT, LM_LOAD_RETIRED, buf, 256), "e3");
	assert_string_equal(report_ids(r, LM_EXPERT, LM_LOAD_UNCHANGED, buf, 256), "e1 e2");
	assert_int_equal(lm_load_report_count(r, LM_ENGAGEMENT, LM_LOAD_UNCHANGED), 1);
	lm_load_report_free(r);
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	assert_non_null(lm_catalog_expert(cat, 2)->retired);
	assert_non_null(lm_catalog_need(cat, 2)->retired);
	assert_null(lm_catalog_need(cat, 3)->retired);
	lm_catalog_free(cat);
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.period = "2026-Q4";
	o.k = 0;
	lm_ranking *rk = NULL;
	assert_int_equal(lm_db_rank_need(db, "n1", &o, &rk), LM_OK);
	for (size_t i = 0; i < lm_ranking_count(rk); i++)
		assert_string_not_equal(lm_ranking_get(rk, i)->expert_id, "e3");
	assert_int_equal(lm_ranking_count(rk), 2);
	lm_ranking_free(rk);
	/* A sync that changes nothing retires nothing more. */
	assert_int_equal(lm_db_load_with(db, paths, 1, LM_LOAD_SYNC, NULL, NULL,
	                                 &r), LM_OK);
	assert_int_equal(lm_load_report_count(r, LM_EXPERT, LM_LOAD_RETIRED), 0);
	lm_load_report_free(r);
	unlink(y);
	db_gone(db, dir, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_period),
		cmocka_unit_test(test_period_case),
		cmocka_unit_test(test_retired_expert),
		cmocka_unit_test(test_need_life_cycle),
		cmocka_unit_test(test_db_life),
		cmocka_unit_test(test_availability),
		cmocka_unit_test(test_load_with),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
