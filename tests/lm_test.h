/* SPDX-License-Identifier: MIT */
/*
 * lm_test.h -- helpers shared by the cmocka tests: build a catalogue from
 * YAML held in a C string, a test for each row of a table of cases, brute
 * force over sets of experts, and a small reproducible PRNG.  Header-only so
 * that every test binary can include it without extra objects.
 */
#ifndef LM_TEST_H
#define LM_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "libmatch.h"

/* A new catalogue holding `yaml`; the test fails (with every diagnostic
 * printed) when it does not load.  Free with lm_catalog_free. */
static inline lm_catalog *lmt_load(const char *yaml)
{
	lm_catalog *cat = NULL;
	int rc;
	size_t i;

	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	rc = lm_catalog_load_buffer(cat, "test.yaml", yaml, strlen(yaml));
	if (rc != LM_OK) {
		for (i = 0; i < lm_catalog_diag_count(cat); i++) {
			const lm_diag *d = lm_catalog_diag(cat, i);

			fprintf(stderr, "%s:%u:%u: %s\n", d->file ? d->file : "-",
			        d->line, d->column, d->message);
		}
		fail_msg("load failed (%d): %s", rc, lm_catalog_errmsg(cat));
	}
	return cat;
}

/* How the small random catalogues of test_plan.c and test_plan_team.c
 * begin: four places p0..p3 on a line 60 km apart (lat 60.00 to 61.62,
 * lon 11) and a garden at each end, g0 at p0 and g1 at p3. */
#define LMT_FOUR_ON_A_LINE                                                  \
	"places:\n"                                                         \
	"  - {id: p0, name: P0, lat: 60.0000, lon: 11}\n"                   \
	"  - {id: p1, name: P1, lat: 60.5400, lon: 11}\n"                   \
	"  - {id: p2, name: P2, lat: 61.0800, lon: 11}\n"                   \
	"  - {id: p3, name: P3, lat: 61.6200, lon: 11}\n"                   \
	"gardens:\n  - {id: g0, name: G0, place: p0}\n"                     \
	"  - {id: g1, name: G1, place: p3}\n"

/* A test that runs between the file's own setup() and teardown(), the
 * fixture most tests of a file share. */
#define lmt_fixture_test(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* The fixture of a test that starts from a catalogue of `yaml` alone,
 * new for each test: *state is the catalogue while the test runs. */
static inline int lmt_catalog_setup(void **state)
{
	*state = lmt_load(*state); /* the initial state is the YAML */
	return 0;
}

static inline int lmt_catalog_teardown(void **state)
{
	lm_catalog_free(*state);
	return 0;
}

#define lmt_catalog_test(f, yaml)                                          \
	cmocka_unit_test_prestate_setup_teardown(f, lmt_catalog_setup,     \
	                                         lmt_catalog_teardown,      \
	                                         (void *)(yaml))

/* A test of its own for one row of a table of cases: `fn` gets the row
 * as its state, and cmocka names the test `name`. */
static inline struct CMUnitTest lmt_case(const char *name,
                                         CMUnitTestFunction fn, void *row)
{
	struct CMUnitTest u = cmocka_unit_test_prestate(fn, row);

	u.name = name;
	return u;
}

/* A query for the one skill `req` at the place `at` (an id or a name),
 * the rest LM_QUERY_INIT's defaults; *req must outlive the query. */
static inline lm_query lmt_query_one(const char *at, const lm_skill_req *req)
{
	lm_query q = LM_QUERY_INIT;

	q.at = at;
	q.skills = req;
	q.skill_count = 1;
	return q;
}

/* The plan lm_plan_compute makes for `cat` with these pins and options;
 * the test fails (with the catalogue's message) unless it gives LM_OK.
 * Free with lm_plan_free. */
static inline lm_plan *lmt_plan(lm_catalog *cat, const lm_pin *pins,
                                size_t npins, const lm_match_options *opts)
{
	lm_plan *p = NULL;
	int rc = lm_plan_compute(cat, pins, npins, opts, &p);

	if (rc != LM_OK)
		fail_msg("lm_plan_compute: %d: %s", rc, lm_catalog_errmsg(cat));
	return p;
}

/* ---- brute force over sets of experts ----------------------------------- */

/* What giving need `need` the experts of `mask` (bit e: expert e) is
 * worth, 0 or more; negative where that set is not allowed. */
typedef double lmt_set_value(void *ctx, int need, unsigned mask);

typedef struct lmt_sets {
	int ne, nn;
	int *cap;
	lmt_set_value *value;
	void *ctx;
	double best;
} lmt_sets;

static inline void lmt_sets_from(lmt_sets *s, int need, double total)
{
	if (need == s->nn) {
		if (total > s->best)
			s->best = total;
		return;
	}
	for (unsigned mask = 0; mask < (1u << s->ne); mask++) {
		bool room = true;

		for (int e = 0; e < s->ne && room; e++)
			room = !(mask >> e & 1) || s->cap[e] > 0;
		double add = room ? s->value(s->ctx, need, mask) : -1;
		if (add < 0)
			continue;
		for (int e = 0; e < s->ne; e++)
			s->cap[e] -= mask >> e & 1;
		lmt_sets_from(s, need + 1, total + add);
		for (int e = 0; e < s->ne; e++)
			s->cap[e] += mask >> e & 1;
	}
}

/* The best total over every way to give each of the nn needs a set of
 * the ne experts (a few: every set of every need is tried), each set
 * worth value(ctx, need, mask), no expert e in more than cap[e] sets;
 * -1 when no way is allowed.  cap changes while it runs, and is as it
 * was when it returns. */
static inline double lmt_best_sets(int ne, int nn, int *cap,
                                   lmt_set_value *value, void *ctx)
{
	lmt_sets s = {ne, nn, cap, value, ctx, -1};

	lmt_sets_from(&s, 0, 0);
	return s.best;
}

/* splitmix64: reproducible on every platform. */
static inline uint64_t lmt_rng(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform integer in [lo, hi]. */
static inline int lmt_int(uint64_t *state, int lo, int hi)
{
	return lo + (int)(lmt_rng(state) % (uint64_t)(hi - lo + 1));
}

/* Uniform double in [lo, hi). */
static inline double lmt_real(uint64_t *state, double lo, double hi)
{
	return lo + (hi - lo) * (double)(lmt_rng(state) >> 11) * 0x1.0p-53;
}

#endif /* LM_TEST_H */
