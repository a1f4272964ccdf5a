/* SPDX-License-Identifier: MIT */
/*
 * test_flow.c -- cmocka tests of the b-matching solver (libmatch/engine/flow.c):
 * exact optimality against exhaustive search and against an independent
 * Bellman-Ford min-cost flow, load spreading, pins, determinism, input
 * errors, and a large instance certified by a negative-cycle search.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "engine/flow.h"

/* ---- helpers ------------------------------------------------------------ */

/* splitmix64: a tiny PRNG of our own so that runs are reproducible on
 * every platform. */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int rng_int(uint64_t *state, int lo, int hi)
{
	return lo + (int)(rng_next(state) % (uint64_t)(hi - lo + 1));
}

typedef struct instance {
	size_t n, m, ne;
	int *demand, *capacity;
	lmi_flow_edge *edges;
	int *base;            /* load already carried per expert, or NULL */
} instance;

static void instance_free(instance *in)
{
	free(in->demand);
	free(in->capacity);
	free(in->base);
	free(in->edges);
	memset(in, 0, sizeof *in);
}

/* A random instance: each pair present with probability pct/100, plus a
 * few duplicate copies when dups is set. */
static void instance_random(instance *in, uint64_t *rng, size_t n, size_t m,
                            int dmax, int cmax, int pct, int wlo, int whi,
                            int dups)
{
	size_t cap = n * m * 2 + 1;
	in->n = n;
	in->m = m;
	in->ne = 0;
	in->base = NULL;
	in->demand = calloc(n + 1, sizeof *in->demand);
	in->capacity = calloc(m + 1, sizeof *in->capacity);
	in->edges = calloc(cap, sizeof *in->edges);
	assert_non_null(in->demand);
	assert_non_null(in->capacity);
	assert_non_null(in->edges);
	for (size_t i = 0; i < n; i++)
		in->demand[i] = rng_int(rng, 0, dmax);
	for (size_t j = 0; j < m; j++)
		in->capacity[j] = rng_int(rng, 0, cmax);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < m; j++)
			if (rng_int(rng, 1, 100) <= pct)
				in->edges[in->ne++] = (lmi_flow_edge){
					(uint32_t)i, (uint32_t)j,
					rng_int(rng, wlo, whi), false};
	if (dups && in->ne > 0) {
		size_t extra = (size_t)rng_int(rng, 0, 2);
		for (size_t k = 0; k < extra; k++) {
			lmi_flow_edge e = in->edges[rng_next(rng) % in->ne];
			e.weight = rng_int(rng, wlo, whi);
			in->edges[in->ne++] = e;
		}
	}
}

/* The pair representative of each edge, as flow.h defines it: the first
 * copy stands for the pair, a forced later copy forces it.  rep[e] is 1
 * for a free representative, 2 for a forced one, 0 for a later copy. */
static void representatives(const instance *in, uint8_t *rep)
{
	/* first[i * m + j]: index + 1 of the first copy of pair (i, j) */
	size_t *first = calloc(in->n * in->m + 1, sizeof *first);
	assert_non_null(first);
	for (size_t e = 0; e < in->ne; e++) {
		size_t *f = &first[in->edges[e].need * in->m + in->edges[e].expert];
		rep[e] = 0;
		if (*f == 0) {
			*f = e + 1;
			rep[e] = in->edges[e].forced ? 2 : 1;
		} else if (in->edges[e].forced) {
			rep[*f - 1] = 2;
		}
	}
	free(first);
}

/* sum over experts of (b + 1) + ... + (b + L): b the base load (0 when
 * base is NULL), L the plan's load */
static int64_t spread_of(const int *load, const int *base, size_t m)
{
	int64_t s = 0;
	for (size_t j = 0; j < m; j++) {
		int64_t b = base ? base[j] : 0;
		s += (int64_t)load[j] * (2 * b + load[j] + 1) / 2;
	}
	return s;
}

/* Check that `chosen` is a valid plan of `in` (limits, no pair twice, pins
 * kept, total right) and return its spread. */
static int64_t check_plan(const instance *in, const uint8_t *chosen,
                          int64_t total)
{
	int *nl = calloc(in->n + 1, sizeof *nl);
	int *el = calloc(in->m + 1, sizeof *el);
	uint8_t *rep = calloc(in->ne + 1, 1);
	int64_t sum = 0, spread;
	assert_non_null(nl);
	assert_non_null(el);
	assert_non_null(rep);
	representatives(in, rep);
	for (size_t e = 0; e < in->ne; e++) {
		if (rep[e] == 2)
			assert_int_equal(chosen[e], 1);
		if (!chosen[e])
			continue;
		assert_int_equal(chosen[e], 1);
		assert_true(rep[e] != 0); /* never a later copy of a pair */
		nl[in->edges[e].need]++;
		el[in->edges[e].expert]++;
		sum += in->edges[e].weight;
	}
	for (size_t i = 0; i < in->n; i++)
		assert_true(nl[i] <= in->demand[i]);
	for (size_t j = 0; j < in->m; j++)
		assert_true(el[j] <= in->capacity[j]);
	assert_int_equal(sum, total);
	spread = spread_of(el, in->base, in->m);
	free(nl);
	free(el);
	free(rep);
	return spread;
}

/* ---- exhaustive search ---------------------------------------------------- */

typedef struct brute {
	const instance *in;
	const uint8_t *rep;
	int *nl, *el;
	int64_t best_w, best_s;
} brute;

static void brute_rec(brute *b, size_t e, int64_t w)
{
	if (e == b->in->ne) {
		int64_t s = spread_of(b->el, b->in->base, b->in->m);
		if (w > b->best_w || (w == b->best_w && s < b->best_s)) {
			b->best_w = w;
			b->best_s = s;
		}
		return;
	}
	const lmi_flow_edge *ed = &b->in->edges[e];
	int can = b->rep[e] != 0 && b->nl[ed->need] < b->in->demand[ed->need] &&
	          b->el[ed->expert] < b->in->capacity[ed->expert];
	if (b->rep[e] == 2 && !can)
		return; /* a pin that does not fit: no plan on this branch */
	if (can) {
		b->nl[ed->need]++;
		b->el[ed->expert]++;
		brute_rec(b, e + 1, w + ed->weight);
		b->nl[ed->need]--;
		b->el[ed->expert]--;
	}
	if (b->rep[e] != 2)
		brute_rec(b, e + 1, w);
}

/* Best (weight, spread) over all plans; best_w = -1 when the pins admit
 * none. */
static void brute_solve(const instance *in, int64_t *best_w, int64_t *best_s)
{
	uint8_t *rep = calloc(in->ne + 1, 1);
	brute b = {in, rep, calloc(in->n + 1, sizeof(int)),
	           calloc(in->m + 1, sizeof(int)), -1, 0};
	assert_non_null(rep);
	assert_non_null(b.nl);
	assert_non_null(b.el);
	representatives(in, rep);
	brute_rec(&b, 0, 0);
	*best_w = b.best_w;
	*best_s = b.best_s;
	free(rep);
	free(b.nl);
	free(b.el);
}

static void check_against_brute(const instance *in)
{
	uint8_t *chosen = calloc(in->ne + 1, 1);
	int64_t total = -1, bw, bs;
	int rc;
	assert_non_null(chosen);
	brute_solve(in, &bw, &bs);
	rc = lmi_flow_solve_loaded(in->n, in->demand, in->m, in->capacity,
	                          in->base, in->edges, in->ne, NULL, NULL,
	                          chosen, &total);
	if (bw < 0) {
		assert_int_equal(rc, LM_EINFEASIBLE);
	} else {
		assert_int_equal(rc, LM_OK);
		assert_int_equal(total, bw);
		assert_int_equal(check_plan(in, chosen, total), bs);
	}
	free(chosen);
}

/* ---- (1) random small instances against exhaustive search ----------------- */

static void test_brute_force_random(void **state)
{
	(void)state;
	uint64_t rng = 12345;
	for (int t = 0; t < 3000; t++) {
		instance in;
		/* narrow weight ranges now and then, so that ties exercise the
		 * spreading rule */
		int whi = (t % 3 == 0) ? 3 : 100;
		instance_random(&in, &rng, (size_t)rng_int(&rng, 1, 4),
		                (size_t)rng_int(&rng, 1, 4), 2, 3,
		                rng_int(&rng, 30, 100), 1, whi, t % 5 == 0);
		check_against_brute(&in);
		instance_free(&in);
	}
}

/* The same with engagements already carried by the experts: the spread
 * counts them, so ties go to the less loaded expert. */
static void test_base_load_random(void **state)
{
	(void)state;
	uint64_t rng = 777;
	for (int t = 0; t < 1500; t++) {
		instance in;
		int whi = (t % 2 == 0) ? 2 : 100;
		instance_random(&in, &rng, (size_t)rng_int(&rng, 1, 4),
		                (size_t)rng_int(&rng, 1, 4), 2, 3,
		                rng_int(&rng, 30, 100), 1, whi, t % 7 == 0);
		in.base = calloc(in.m, sizeof *in.base);
		assert_non_null(in.base);
		for (size_t j = 0; j < in.m; j++)
			in.base[j] = rng_int(&rng, 0, 3);
		check_against_brute(&in);
		instance_free(&in);
	}
}

static void test_base_load_breaks_ties(void **state)
{
	(void)state;
	/* One need, two experts of equal weight; expert 0 already has two
	 * engagements, so the new one goes to expert 1. */
	int demand[] = {1}, capacity[] = {1, 1}, base[] = {2, 0};
	lmi_flow_edge edges[] = {{0, 0, 50, false}, {0, 1, 50, false}};
	uint8_t chosen[2];
	int64_t total;
	assert_int_equal(lmi_flow_solve_loaded(1, demand, 2, capacity, base, edges,
	                                      2, NULL, NULL, chosen, &total),
	                 LM_OK);
	assert_int_equal(chosen[0], 0);
	assert_int_equal(chosen[1], 1);
	assert_int_equal(total, 50);
	/* Without the base load the lower index wins the tie. */
	assert_int_equal(lmi_flow_solve(1, demand, 2, capacity, edges, 2, NULL,
	                               NULL, chosen, &total), LM_OK);
	assert_int_equal(chosen[0], 1);
	/* A negative base load is a caller error. */
	int bad[] = {-1, 0};
	assert_int_equal(lmi_flow_solve_loaded(1, demand, 2, capacity, bad, edges,
	                                      2, NULL, NULL, chosen, &total),
	                 LM_EINVAL);
}

/* ---- (2) spreading ------------------------------------------------------ */

static void test_spreads_equal_weight(void **state)
{
	(void)state;
	/* Two needs, expert 0 could take both (capacity 2); expert 1 gives
	 * the same total.  The spread plan must win, although expert 0 has
	 * the lower index and comes first in every list. */
	int demand[] = {1, 1};
	int capacity[] = {2, 1};
	lmi_flow_edge edges[] = {
		{0, 0, 10, false}, {1, 0, 10, false}, {1, 1, 10, false},
	};
	uint8_t chosen[3];
	int64_t total;
	assert_int_equal(lmi_flow_solve(2, demand, 2, capacity, edges, 3, NULL,
	                               NULL, chosen, &total), LM_OK);
	assert_int_equal(total, 20);
	assert_int_equal(chosen[0], 1);
	assert_int_equal(chosen[1], 0);
	assert_int_equal(chosen[2], 1);
}

static void test_spread_never_costs_weight(void **state)
{
	(void)state;
	/* The same, but expert 1 is worth one point less: weight wins. */
	int demand[] = {1, 1};
	int capacity[] = {2, 1};
	lmi_flow_edge edges[] = {
		{0, 0, 10, false}, {1, 0, 10, false}, {1, 1, 9, false},
	};
	uint8_t chosen[3];
	int64_t total;
	assert_int_equal(lmi_flow_solve(2, demand, 2, capacity, edges, 3, NULL,
	                               NULL, chosen, &total), LM_OK);
	assert_int_equal(total, 20);
	assert_int_equal(chosen[0], 1);
	assert_int_equal(chosen[1], 1);
	assert_int_equal(chosen[2], 0);
}

static void test_unfilled_when_nothing_fits(void **state)
{
	(void)state;
	/* Maximum weight, not maximum cardinality: need 1 stays open rather
	 * than taking expert 0 from need 0 (100 > 1 + 1). */
	int demand[] = {1, 1};
	int capacity[] = {1, 1};
	lmi_flow_edge edges[] = {
		{0, 0, 100, false}, {0, 1, 1, false}, {1, 0, 1, false},
	};
	uint8_t chosen[3];
	int64_t total;
	assert_int_equal(lmi_flow_solve(2, demand, 2, capacity, edges, 3, NULL,
	                               NULL, chosen, &total), LM_OK);
	assert_int_equal(total, 100);
	assert_int_equal(chosen[0], 1);
	assert_int_equal(chosen[1], 0);
	assert_int_equal(chosen[2], 0);
}

/* ---- (3) pins --------------------------------------------------------- */

static void test_pin_suboptimal_kept(void **state)
{
	(void)state;
	/* Without the pin: (0,0)+(1,1) = 200.  Pinning (0,1) forces need 0 on
	 * expert 1; the best rest is (1,0) = 50, total 51. */
	int demand[] = {1, 1};
	int capacity[] = {1, 1};
	lmi_flow_edge edges[] = {
		{0, 0, 100, false}, {0, 1, 1, true}, {1, 0, 50, false},
		{1, 1, 100, false},
	};
	uint8_t chosen[4];
	int64_t total;
	instance in = {2, 2, 4, demand, capacity, edges, NULL};
	assert_int_equal(lmi_flow_solve(2, demand, 2, capacity, edges, 4, NULL,
	                               NULL, chosen, &total), LM_OK);
	assert_int_equal(total, 51);
	assert_int_equal(chosen[1], 1);
	assert_int_equal(chosen[2], 1);
	check_plan(&in, chosen, total);
	check_against_brute(&in);
}

static void test_pins_random(void **state)
{
	(void)state;
	uint64_t rng = 777;
	for (int t = 0; t < 1500; t++) {
		instance in;
		instance_random(&in, &rng, (size_t)rng_int(&rng, 1, 4),
		                (size_t)rng_int(&rng, 1, 4), 2, 3, 70, 1,
		                t % 2 ? 100 : 4, t % 4 == 0);
		size_t npins = in.ne ? (size_t)rng_int(&rng, 1, 2) : 0;
		for (size_t k = 0; k < npins; k++)
			in.edges[rng_next(&rng) % in.ne].forced = true;
		check_against_brute(&in); /* includes impossible pins */
		instance_free(&in);
	}
}

static void test_pins_impossible(void **state)
{
	(void)state;
	uint8_t chosen[2] = {7, 7};
	int64_t total = 7;
	/* two pins on a need of demand 1 */
	int d1[] = {1};
	int c1[] = {1, 1};
	lmi_flow_edge e1[] = {{0, 0, 5, true}, {0, 1, 5, true}};
	assert_int_equal(lmi_flow_solve(1, d1, 2, c1, e1, 2, NULL, NULL, chosen,
	                               &total), LM_EINFEASIBLE);
	/* a pin on an expert without capacity */
	int d2[] = {1, 1};
	int c2[] = {0};
	lmi_flow_edge e2[] = {{0, 0, 5, true}, {1, 0, 5, false}};
	assert_int_equal(lmi_flow_solve(2, d2, 1, c2, e2, 2, NULL, NULL, chosen,
	                               &total), LM_EINFEASIBLE);
	/* failures leave the outputs alone */
	assert_int_equal(chosen[0], 7);
	assert_int_equal(total, 7);
}

static void test_duplicates(void **state)
{
	(void)state;
	/* The second copy of (0,0) is ignored even though it weighs more;
	 * a forced third copy forces the pair through the first. */
	int demand[] = {2};
	int capacity[] = {2, 1};
	lmi_flow_edge edges[] = {
		{0, 0, 1, false}, {0, 0, 90, false}, {0, 1, 5, false},
	};
	uint8_t chosen[4];
	int64_t total;
	assert_int_equal(lmi_flow_solve(1, demand, 2, capacity, edges, 3, NULL,
	                               NULL, chosen, &total), LM_OK);
	assert_int_equal(total, 6);
	assert_int_equal(chosen[0], 1);
	assert_int_equal(chosen[1], 0);
	assert_int_equal(chosen[2], 1);

	int d1[] = {1};
	lmi_flow_edge e2[] = {
		{0, 1, 50, false}, {0, 0, 1, false}, {0, 0, 2, true},
	};
	assert_int_equal(lmi_flow_solve(1, d1, 2, capacity, e2, 3, NULL, NULL,
	                               chosen, &total), LM_OK);
	assert_int_equal(total, 1);
	assert_int_equal(chosen[0], 0);
	assert_int_equal(chosen[1], 1);
	assert_int_equal(chosen[2], 0);
}

/* ---- errors, edge cases ---------------------------------------------------- */

static int cancel_at_first(const char *what, size_t done, size_t total,
                           void *ctx)
{
	(void)done;
	(void)total;
	assert_string_equal(what, "plan");
	(*(int *)ctx)++;
	return 1; /* stop */
}

static int count_calls(const char *what, size_t done, size_t total, void *ctx)
{
	assert_string_equal(what, "plan");
	assert_true(done <= total);
	(*(int *)ctx)++;
	return 0; /* go on */
}

static void test_errors(void **state)
{
	(void)state;
	int demand[] = {1};
	int capacity[] = {1};
	int neg[] = {-1};
	lmi_flow_edge ok[] = {{0, 0, 5, false}};
	lmi_flow_edge bad_need[] = {{1, 0, 5, false}};
	lmi_flow_edge bad_exp[] = {{0, 1, 5, false}};
	lmi_flow_edge bad_w[] = {{0, 0, -5, false}};
	lmi_flow_edge huge[] = {{0, 0, INT64_MAX / 4, false}};
	uint8_t chosen[1] = {9};
	int64_t total = 9;
	int calls = 0;

	assert_int_equal(lmi_flow_solve(1, demand, 1, capacity, bad_need, 1,
	                               NULL, NULL, chosen, &total), LM_EINVAL);
	assert_int_equal(lmi_flow_solve(1, demand, 1, capacity, bad_exp, 1,
	                               NULL, NULL, chosen, &total), LM_EINVAL);
	assert_int_equal(lmi_flow_solve(1, demand, 1, capacity, bad_w, 1,
	                               NULL, NULL, chosen, &total), LM_EINVAL);
	assert_int_equal(lmi_flow_solve(1, neg, 1, capacity, ok, 1, NULL, NULL,
	                               chosen, &total), LM_EINVAL);
	assert_int_equal(lmi_flow_solve(1, demand, 1, neg, ok, 1, NULL, NULL,
	                               chosen, &total), LM_EINVAL);
	assert_int_equal(lmi_flow_solve(1, NULL, 1, capacity, ok, 1, NULL, NULL,
	                               chosen, &total), LM_EINVAL);
	assert_int_equal(lmi_flow_solve(1, demand, 1, capacity, ok, 1, NULL,
	                               NULL, NULL, &total), LM_EINVAL);
	assert_int_equal(lmi_flow_solve(1, demand, 1, capacity, ok, 1, NULL,
	                               NULL, chosen, NULL), LM_EINVAL);
	/* scaled costs would overflow int64 */
	assert_int_equal(lmi_flow_solve(1, demand, 1, capacity, huge, 1, NULL,
	                               NULL, chosen, &total), LM_EINVAL);
	/* canceled by the progress callback */
	assert_int_equal(lmi_flow_solve(1, demand, 1, capacity, ok, 1,
	                               cancel_at_first, &calls, chosen, &total),
	                 LM_ECANCELED);
	assert_int_equal(calls, 1);
	assert_int_equal(chosen[0], 9);
	assert_int_equal(total, 9);

	/* nothing at all is a valid, empty problem */
	assert_int_equal(lmi_flow_solve(0, NULL, 0, NULL, NULL, 0, NULL, NULL,
	                               NULL, &total), LM_OK);
	assert_int_equal(total, 0);
	/* weight 0 is never worth taking unless pinned */
	lmi_flow_edge zero[] = {{0, 0, 0, false}};
	assert_int_equal(lmi_flow_solve(1, demand, 1, capacity, zero, 1, NULL,
	                               NULL, chosen, &total), LM_OK);
	assert_int_equal(chosen[0], 0);
	zero[0].forced = true;
	assert_int_equal(lmi_flow_solve(1, demand, 1, capacity, zero, 1, NULL,
	                               NULL, chosen, &total), LM_OK);
	assert_int_equal(chosen[0], 1);
	assert_int_equal(total, 0);
	/* huge demand and capacity are clipped, not scaled */
	int big_d[] = {2000000000};
	int big_c[] = {2000000000};
	assert_int_equal(lmi_flow_solve(1, big_d, 1, big_c, ok, 1, NULL, NULL,
	                               chosen, &total), LM_OK);
	assert_int_equal(total, 5);
}

/* ---- an independent reference: min-cost flow by Bellman-Ford ------------- */

/* Plain residual network with explicit arcs (arc k and k^1 are a pair). */
typedef struct net {
	size_t nv, na, cap;
	size_t *from, *to;
	int64_t *cost;
	int *resid;
} net;

static void net_arc(net *g, size_t u, size_t v, int c, int64_t cost)
{
	assert_true(g->na + 2 <= g->cap);
	g->from[g->na] = u; g->to[g->na] = v; g->cost[g->na] = cost;
	g->resid[g->na++] = c;
	g->from[g->na] = v; g->to[g->na] = u; g->cost[g->na] = -cost;
	g->resid[g->na++] = 0;
}

/* Max weight (lexicographically min spread) by successive shortest paths
 * from s with Bellman-Ford, stopping when no path has negative cost.  The
 * network: s -> need (demand), need -> expert (1, -w * B), expert -> t as
 * c_j unit arcs costing 1, 2, ..., c_j.  Returns weight and spread. */
static void reference_solve(const instance *in, int64_t *wout, int64_t *sout)
{
	int64_t B = 1;
	size_t s = 0, t = in->n + in->m + 1, nv = t + 1;
	net g;
	uint8_t *rep = calloc(in->ne + 1, 1);
	int64_t *dist = malloc(nv * sizeof *dist);
	size_t *pre = malloc(nv * sizeof *pre);
	int64_t w = 0;
	int *load = calloc(in->m + 1, sizeof *load);
	size_t arcs = in->n + in->ne;

	for (size_t j = 0; j < in->m; j++) {
		arcs += (size_t)in->capacity[j];
		B += (int64_t)in->capacity[j] * (in->capacity[j] + 1) / 2;
	}
	g.nv = nv;
	g.na = 0;
	g.cap = 2 * arcs;
	g.from = malloc(g.cap * sizeof *g.from);
	g.to = malloc(g.cap * sizeof *g.to);
	g.cost = malloc(g.cap * sizeof *g.cost);
	g.resid = malloc(g.cap * sizeof *g.resid);
	assert_true(rep && dist && pre && load && g.from && g.to && g.cost &&
	            g.resid);
	representatives(in, rep);
	for (size_t i = 0; i < in->n; i++)
		net_arc(&g, s, 1 + i, in->demand[i], 0);
	size_t first_pair = g.na;
	for (size_t e = 0; e < in->ne; e++) {
		/* no pins here; later copies of a pair get no arc at all */
		assert_true(rep[e] != 2);
		if (rep[e] == 1)
			net_arc(&g, 1 + in->edges[e].need,
			        1 + in->n + in->edges[e].expert, 1,
			        -in->edges[e].weight * B);
	}
	size_t end_pair = g.na;
	for (size_t j = 0; j < in->m; j++)
		for (int k = 1; k <= in->capacity[j]; k++)
			net_arc(&g, 1 + in->n + j, t, 1, k);

	for (;;) {
		for (size_t v = 0; v < nv; v++) {
			dist[v] = INT64_MAX;
			pre[v] = SIZE_MAX;
		}
		dist[s] = 0;
		for (size_t round = 0; round < nv; round++) {
			int changed = 0;
			for (size_t a = 0; a < g.na; a++) {
				if (g.resid[a] <= 0 || dist[g.from[a]] == INT64_MAX)
					continue;
				int64_t nd = dist[g.from[a]] + g.cost[a];
				if (nd < dist[g.to[a]]) {
					dist[g.to[a]] = nd;
					pre[g.to[a]] = a;
					changed = 1;
				}
			}
			if (!changed)
				break;
		}
		if (dist[t] == INT64_MAX || dist[t] >= 0)
			break;
		for (size_t v = t; v != s; v = g.from[pre[v]]) {
			g.resid[pre[v]]--;
			g.resid[pre[v] ^ 1]++;
		}
	}
	for (size_t a = first_pair; a < end_pair; a += 2)
		if (g.resid[a] == 0) {
			w += -g.cost[a] / B;
			load[g.to[a] - 1 - in->n]++;
		}
	*wout = w;
	*sout = spread_of(load, in->base, in->m);
	free(rep);
	free(dist);
	free(pre);
	free(load);
	free(g.from);
	free(g.to);
	free(g.cost);
	free(g.resid);
}

/* ---- (4) determinism, (5) medium and large instances -------------------- */

static void test_deterministic(void **state)
{
	(void)state;
	uint64_t rng = 99;
	instance in;
	/* weights from a tiny range: many optimal plans tie */
	instance_random(&in, &rng, 150, 120, 3, 3, 25, 1, 3, 0);
	uint8_t *a = calloc(in.ne, 1), *b = calloc(in.ne, 1);
	int64_t ta, tb;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(lmi_flow_solve(in.n, in.demand, in.m, in.capacity,
	                               in.edges, in.ne, NULL, NULL, a, &ta), LM_OK);
	assert_int_equal(lmi_flow_solve(in.n, in.demand, in.m, in.capacity,
	                               in.edges, in.ne, NULL, NULL, b, &tb), LM_OK);
	assert_int_equal(ta, tb);
	assert_memory_equal(a, b, in.ne);
	free(a);
	free(b);
	instance_free(&in);
}

static void test_medium_against_reference(void **state)
{
	(void)state;
	uint64_t rng = 2024;
	for (int t = 0; t < 12; t++) {
		instance in;
		int whi = t % 2 ? 1000000 : 5;
		instance_random(&in, &rng, 60, 60, 3, 4, 30, 1, whi, 0);
		uint8_t *chosen = calloc(in.ne, 1);
		int64_t total, rw, rs;
		assert_non_null(chosen);
		assert_int_equal(lmi_flow_solve(in.n, in.demand, in.m, in.capacity,
		                               in.edges, in.ne, NULL, NULL, chosen,
		                               &total), LM_OK);
		reference_solve(&in, &rw, &rs);
		assert_int_equal(total, rw);
		assert_int_equal(check_plan(&in, chosen, total), rs);
		free(chosen);
		instance_free(&in);
	}
}

/*
 * Optimality certificate: no negative cycle in the residual graph of the
 * plan, with the flow amount free (arcs t -> s and, with flow, s -> t).
 * Nodes: s, needs, experts, t.  Cost of a pair -w * B, expert's k-th unit
 * k.  Searched by queue-based Bellman-Ford from a virtual source; a node
 * whose shortest path has nv arcs proves a negative cycle.
 */
static int has_negative_cycle(const instance *in, const uint8_t *chosen)
{
	size_t n = in->n, m = in->m, s = 0, t = n + m + 1, nv = t + 1;
	int *nl = calloc(n + 1, sizeof *nl), *el = calloc(m + 1, sizeof *el);
	size_t cap = 2 * (in->ne + n + m + 2), na = 0;
	size_t *from = malloc(cap * sizeof *from), *to = malloc(cap * sizeof *to);
	int64_t *cost = malloc(cap * sizeof *cost), B = 1, flow = 0;
	int64_t *dist = calloc(nv, sizeof *dist);
	size_t *len = calloc(nv, sizeof *len), *start = calloc(nv + 1, sizeof *start);
	size_t *order = malloc(cap * sizeof *order), *queue = malloc(nv * sizeof *queue);
	uint8_t *inq = malloc(nv);
	int negative = 0;
	assert_true(nl && el && from && to && cost && dist && len && start &&
	            order && queue && inq);
	for (size_t j = 0; j < m; j++)
		B += (int64_t)in->capacity[j] * (in->capacity[j] + 1) / 2;
	for (size_t e = 0; e < in->ne; e++) {
		size_t i = 1 + in->edges[e].need, j = 1 + n + in->edges[e].expert;
		if (chosen[e]) {
			nl[in->edges[e].need]++;
			el[in->edges[e].expert]++;
			flow++;
			from[na] = j; to[na] = i; cost[na++] = in->edges[e].weight * B;
		} else {
			from[na] = i; to[na] = j; cost[na++] = -in->edges[e].weight * B;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (nl[i] < in->demand[i]) { from[na] = s; to[na] = 1 + i; cost[na++] = 0; }
		if (nl[i] > 0) { from[na] = 1 + i; to[na] = s; cost[na++] = 0; }
	}
	for (size_t j = 0; j < m; j++) {
		if (el[j] < in->capacity[j]) { from[na] = 1 + n + j; to[na] = t; cost[na++] = el[j] + 1; }
		if (el[j] > 0) { from[na] = t; to[na] = 1 + n + j; cost[na++] = -el[j]; }
	}
	from[na] = t; to[na] = s; cost[na++] = 0;
	if (flow > 0) { from[na] = s; to[na] = t; cost[na++] = 0; }

	/* adjacency by source node */
	for (size_t a = 0; a < na; a++)
		start[from[a] + 1]++;
	for (size_t v = 0; v < nv; v++)
		start[v + 1] += start[v];
	for (size_t a = 0; a < na; a++)
		order[start[from[a]] + len[from[a]]++] = a;
	memset(len, 0, nv * sizeof *len);

	size_t head = 0, count = nv;
	for (size_t v = 0; v < nv; v++) {
		queue[v] = v;
		inq[v] = 1;
	}
	while (count > 0 && !negative) {
		size_t u = queue[head];
		head = (head + 1) % nv;
		count--;
		inq[u] = 0;
		for (size_t k = start[u]; k < start[u + 1]; k++) {
			size_t a = order[k], v = to[a];
			if (dist[u] + cost[a] < dist[v]) {
				dist[v] = dist[u] + cost[a];
				len[v] = len[u] + 1;
				if (len[v] >= nv) {
					negative = 1;
					break;
				}
				if (!inq[v]) {
					inq[v] = 1;
					queue[(head + count) % nv] = v;
					count++;
				}
			}
		}
	}
	free(nl); free(el); free(from); free(to); free(cost); free(dist);
	free(len); free(start); free(order); free(queue); free(inq);
	return negative;
}

static void test_certificate_small(void **state)
{
	(void)state;
	/* The certificate itself must catch a non-optimal plan. */
	int demand[] = {1, 1};
	int capacity[] = {1, 1};
	lmi_flow_edge edges[] = {
		{0, 0, 100, false}, {0, 1, 1, false}, {1, 0, 50, false},
		{1, 1, 100, false},
	};
	instance in = {2, 2, 4, demand, capacity, edges, NULL};
	uint8_t bad[4] = {0, 1, 1, 0}, good[4];
	int64_t total;
	assert_true(has_negative_cycle(&in, bad));
	assert_int_equal(lmi_flow_solve(2, demand, 2, capacity, edges, 4, NULL,
	                               NULL, good, &total), LM_OK);
	assert_false(has_negative_cycle(&in, good));
	/* and a plan that is heavy but badly spread */
	int d2[] = {1, 1};
	int c2[] = {2, 1};
	lmi_flow_edge e2[] = {{0, 0, 10, false}, {1, 0, 10, false}, {1, 1, 10, false}};
	instance in2 = {2, 2, 3, d2, c2, e2, NULL};
	uint8_t lumpy[3] = {1, 1, 0};
	assert_true(has_negative_cycle(&in2, lumpy));
}

static void test_large_certified(void **state)
{
	(void)state;
	uint64_t rng = 31337;
	instance in;
	int calls = 0;
	instance_random(&in, &rng, 2000, 2000, 3, 4, 20, 1, 1000000, 0);
	uint8_t *chosen = calloc(in.ne, 1);
	int64_t total;
	assert_non_null(chosen);
	assert_int_equal(lmi_flow_solve(in.n, in.demand, in.m, in.capacity,
	                               in.edges, in.ne, count_calls, &calls,
	                               chosen, &total), LM_OK);
	assert_true(calls > 1);
	check_plan(&in, chosen, total);
	assert_false(has_negative_cycle(&in, chosen));
	free(chosen);
	instance_free(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brute_force_random),
		cmocka_unit_test(test_base_load_random),
		cmocka_unit_test(test_base_load_breaks_ties),
		cmocka_unit_test(test_spreads_equal_weight),
		cmocka_unit_test(test_spread_never_costs_weight),
		cmocka_unit_test(test_unfilled_when_nothing_fits),
		cmocka_unit_test(test_pin_suboptimal_kept),
		cmocka_unit_test(test_pins_random),
		cmocka_unit_test(test_pins_impossible),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_medium_against_reference),
		cmocka_unit_test(test_certificate_small),
		cmocka_unit_test(test_large_certified),
	};
	return cmocka_run_group_tests_name("flow", tests, NULL, NULL);
}
