/* SPDX-License-Identifier: MIT */
/*
 * test_teamplan.c -- cmocka tests of branch-and-price for plans with team
 * needs (libmatch/engine/teamplan.c): on thousands of tiny random
 * instances, the plan against brute-force enumeration of every
 * combination of teams and pairs under capacity (value equal to the
 * optimum, the certified bound never below it and equal to the value
 * when proven); without team needs, the same plan as the min-cost flow.
 *
 * The oracle here is a table: each team need has a few candidates and a
 * random weight (or none: infeasible) for every subset of them, so the
 * solver is tested against set functions with no structure at all.
 */
#include "lm_test.h"

#include <stdlib.h>
#include <string.h>

#include "engine/teamplan.h"

#define MAXE 6     /* experts */
#define MAXN 4     /* ordinary needs */
#define MAXT 3     /* team needs */
#define MAXC 4     /* candidates of a team need */
#define MAXK 32    /* pairs */
#define NOPE INT64_MIN /* an infeasible subset */

typedef struct inst {
	int ne, nn, nt, nk;
	int cap[MAXE], base[MAXE], demand[MAXN];
	lmi_flow_edge edges[MAXK];
	int nc[MAXT];
	uint32_t cand[MAXT][MAXC];          /* ascending expert indices */
	int64_t w[MAXT][1 << MAXC];          /* NOPE, or <= 0: never chosen */
	int calls;
} inst;

static int popcount(unsigned v)
{
	int n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* The table's best team: value, then fewer members, then smaller
 * sorted member ids (the subset mask over ascending candidates). */
static int table_price(void *ctx, uint32_t t, const double *price,
                       const uint8_t *state, lmi_tp_team *out, bool *found)
{
	inst *in = ctx;
	in->calls++;
	double best = 0;
	unsigned bm = 0;
	*found = false;
	for (unsigned s = 1; s < (1u << in->nc[t]); s++) {
		if (in->w[t][s] == NOPE)
			continue;
		double v = (double)in->w[t][s];
		bool ok = true;
		for (int c = 0; c < in->nc[t]; c++) {
			uint32_t e = in->cand[t][c];
			bool inside = s >> c & 1;
			if (state && ((state[e] == LMI_TP_FORBIDDEN && inside) ||
			              (state[e] == LMI_TP_FORCED && !inside)))
				ok = false;
			if (inside && price)
				v -= price[e];
		}
		if (state)
			for (int e = 0; e < in->ne; e++) {
				bool cand = false;
				for (int c = 0; c < in->nc[t]; c++)
					cand |= in->cand[t][c] == (uint32_t)e;
				if (!cand && state[e] == LMI_TP_FORCED)
					ok = false;
			}
		if (!ok)
			continue;
		bool better = !*found || v > best ||
		              (v == best && popcount(s) < popcount(bm));
		if (v == best && *found && popcount(s) == popcount(bm)) {
			/* Lexicographically smaller sorted members. */
			for (int c = 0; c < in->nc[t]; c++) {
				if ((s >> c & 1) != (bm >> c & 1)) {
					better = s >> c & 1;
					break;
				}
			}
		}
		if (better) {
			*found = true;
			best = v;
			bm = s;
		}
	}
	if (*found) {
		out->m = 0;
		for (int c = 0; c < in->nc[t]; c++)
			if (bm >> c & 1)
				out->member[out->m++] = in->cand[t][c];
		out->weight = in->w[t][bm];
	}
	return LM_OK;
}

static void inst_random(inst *in, uint64_t *rng, bool teams, bool pins,
                        bool tight)
{
	memset(in, 0, sizeof(*in));
	in->ne = lmt_int(rng, 1, MAXE);
	in->nn = lmt_int(rng, 0, MAXN);
	in->nt = teams ? tight ? MAXT : lmt_int(rng, 1, MAXT) : 0;
	for (int e = 0; e < in->ne; e++) {
		in->cap[e] = tight ? 1 : lmt_int(rng, 0, 3) ? lmt_int(rng, 1, 2) : 0;
		in->base[e] = lmt_int(rng, 0, 2);
	}
	/* Ties on purpose: weights from a small range. */
	int whi = lmt_int(rng, 0, 1) ? 5 : 100;
	for (int i = 0; i < in->nn; i++) {
		in->demand[i] = lmt_int(rng, 1, 2);
		for (int e = 0; e < in->ne && in->nk < MAXK; e++)
			if (lmt_int(rng, 0, 99) < 45)
				in->edges[in->nk++] = (lmi_flow_edge){
					(uint32_t)i, (uint32_t)e, lmt_int(rng, 1, whi),
					false};
	}
	if (pins && in->nk && lmt_int(rng, 0, 2) == 0)
		in->edges[lmt_int(rng, 0, in->nk - 1)].forced = true;
	for (int t = 0; t < in->nt; t++) {
		int top = in->ne < MAXC ? in->ne : MAXC;
		int nc = tight ? top : lmt_int(rng, 1, top);
		/* nc distinct experts, ascending. */
		int have = 0;
		for (int e = 0; e < in->ne && have < nc; e++)
			if (lmt_int(rng, 1, in->ne - e) <= nc - have)
				in->cand[t][have++] = (uint32_t)e;
		in->nc[t] = have;
		for (unsigned s = 1; s < (1u << have); s++)
			in->w[t][s] = lmt_int(rng, 0, 3) ? lmt_int(rng, -2, 2 * whi)
			                                 : NOPE;
	}
}

/* ---- brute force ------------------------------------------------------- */

typedef struct brute {
	const inst *in;
	int load[MAXE];
	int64_t best;
} brute;

static void brute_needs(brute *bf, int i, int64_t v);

/* Every subset of need i's pairs within its demand, then need i + 1. */
static void brute_need_pairs(brute *bf, int i, int k, int used, int64_t v)
{
	const inst *in = bf->in;
	if (k == in->nk) {
		brute_needs(bf, i + 1, v);
		return;
	}
	const lmi_flow_edge *ed = &in->edges[k];
	if ((int)ed->need != i) {
		brute_need_pairs(bf, i, k + 1, used, v);
		return;
	}
	if (!ed->forced)
		brute_need_pairs(bf, i, k + 1, used, v);
	if (used < in->demand[i] && bf->load[ed->expert] < in->cap[ed->expert]) {
		bf->load[ed->expert]++;
		brute_need_pairs(bf, i, k + 1, used + 1, v + ed->weight);
		bf->load[ed->expert]--;
	}
}

static void brute_needs(brute *bf, int i, int64_t v)
{
	if (i == bf->in->nn) {
		if (v > bf->best)
			bf->best = v;
		return;
	}
	brute_need_pairs(bf, i, 0, 0, v);
}

static void brute_teams(brute *bf, int t, int64_t v)
{
	const inst *in = bf->in;
	if (t == in->nt) {
		brute_needs(bf, 0, v);
		return;
	}
	brute_teams(bf, t + 1, v); /* no team */
	for (unsigned s = 1; s < (1u << in->nc[t]); s++) {
		if (in->w[t][s] <= 0) /* NOPE, or adds nothing */
			continue;
		bool room = true;
		for (int c = 0; c < in->nc[t]; c++)
			if (s >> c & 1)
				room &= bf->load[in->cand[t][c]] < in->cap[in->cand[t][c]];
		if (!room)
			continue;
		for (int c = 0; c < in->nc[t]; c++)
			bf->load[in->cand[t][c]] += s >> c & 1;
		brute_teams(bf, t + 1, v + in->w[t][s]);
		for (int c = 0; c < in->nc[t]; c++)
			bf->load[in->cand[t][c]] -= s >> c & 1;
	}
}

/* The optimum, or -1 when the pins cannot all be had. */
static int64_t brute_optimum(const inst *in)
{
	brute bf = {.in = in, .best = -1};
	brute_teams(&bf, 0, 0);
	return bf.best;
}

/* ---- checks ----------------------------------------------------------- */

/* The plan is one: within demands and capacities, pins in, teams from
 * the table; returns its weight. */
static int64_t plan_weight(const inst *in, const lmi_tp_result *r)
{
	int load[MAXE] = {0}, got[MAXN] = {0};
	int64_t v = 0;
	for (int k = 0; k < in->nk; k++) {
		if (in->edges[k].forced)
			assert_int_equal(r->chosen[k], 1);
		if (!r->chosen[k])
			continue;
		load[in->edges[k].expert]++;
		got[in->edges[k].need]++;
		v += in->edges[k].weight;
	}
	for (int t = 0; t < in->nt; t++) {
		const lmi_tp_team *tm = &r->team[t];
		if (!tm->m)
			continue;
		unsigned s = 0;
		for (int m = 0; m < tm->m; m++) {
			int c = 0;
			while (c < in->nc[t] && in->cand[t][c] != tm->member[m])
				c++;
			assert_true(c < in->nc[t]);
			s |= 1u << c;
			load[tm->member[m]]++;
		}
		assert_true(in->w[t][s] != NOPE && in->w[t][s] > 0);
		assert_int_equal(tm->weight, in->w[t][s]);
		v += tm->weight;
	}
	for (int e = 0; e < in->ne; e++)
		assert_true(load[e] <= in->cap[e]);
	for (int i = 0; i < in->nn; i++)
		assert_true(got[i] <= in->demand[i]);
	return v;
}

static int solve(inst *in, lmi_tp_result *r, uint8_t *chosen, lmi_tp_team *team)
{
	lmi_tp_problem pb = {
		.n_experts = (size_t)in->ne, .capacity = in->cap,
		.base_load = in->base, .n_needs = (size_t)in->nn,
		.demand = in->demand, .edges = in->edges,
		.n_edges = (size_t)in->nk, .n_teams = (size_t)in->nt,
		.price = table_price, .ctx = in, .time_limit = 0};
	memset(r, 0, sizeof(*r));
	r->chosen = chosen;
	r->team = team;
	return lmi_tp_solve(&pb, r);
}

static void test_brute_force(void **state)
{
	(void)state;
	uint64_t rng = 15042026;
	int n_proven = 0, n_nodes = 0, n_branched = 0, n_feasible = 0;
	enum { RUNS = 6000 };
	for (int run = 0; run < RUNS; run++) {
		inst in;
		inst_random(&in, &rng, true, run % 3 == 0, run % 2 == 1);
		int64_t opt = brute_optimum(&in);
		uint8_t chosen[MAXK];
		lmi_tp_team team[MAXT];
		lmi_tp_result r;
		int rc = solve(&in, &r, chosen, team);
		if (opt < 0) {
			assert_int_equal(rc, LM_EINFEASIBLE);
			continue;
		}
		assert_int_equal(rc, LM_OK);
		n_feasible++;
		int64_t v = plan_weight(&in, &r);
		if (v != r.value || v != opt || r.bound < opt)
			fail_msg("run %d: plan %lld, reported %lld, optimum %lld, "
			         "bound %lld", run, (long long)v, (long long)r.value,
			         (long long)opt, (long long)r.bound);
		if (r.proven)
			assert_true(r.bound == r.value);
		n_proven += r.proven;
		n_nodes += (int)r.nodes;
		n_branched += r.nodes > 1;
	}
	print_message("teamplan: %d random instances, %d feasible, %d proven, "
	              "%d branched, %d nodes\n", RUNS, n_feasible, n_proven,
	              n_branched, n_nodes);
	/* No time limit: the certificate proves every plan. */
	assert_int_equal(n_proven, n_feasible);
}

/* Without team needs the plan is the min-cost flow's, pair for pair. */
static void test_same_as_flow(void **state)
{
	(void)state;
	uint64_t rng = 4711;
	for (int run = 0; run < 2000; run++) {
		inst in;
		inst_random(&in, &rng, false, run % 2 == 0, run % 3 == 0);
		uint8_t chosen[MAXK], fchosen[MAXK];
		lmi_tp_team team[1];
		lmi_tp_result r;
		int64_t fw = 0;
		int frc = lmi_flow_solve_loaded((size_t)in.nn, in.demand,
		                                (size_t)in.ne, in.cap, in.base,
		                                in.edges, (size_t)in.nk, NULL,
		                                NULL, fchosen, &fw);
		int rc = solve(&in, &r, chosen, team);
		assert_int_equal(rc, frc);
		if (rc)
			continue;
		assert_int_equal(r.value, fw);
		assert_memory_equal(chosen, fchosen, (size_t)in.nk);
		assert_true(r.proven);
		assert_int_equal(in.calls, 0);
	}
}

/* Stopped at once by the time limit: still a plan, with a bound that
 * holds. */
static void test_time_limit(void **state)
{
	(void)state;
	uint64_t rng = 99;
	for (int run = 0; run < 300; run++) {
		inst in;
		inst_random(&in, &rng, true, false, true);
		int64_t opt = brute_optimum(&in);
		uint8_t chosen[MAXK];
		lmi_tp_team team[MAXT];
		lmi_tp_result r = {.chosen = chosen, .team = team};
		lmi_tp_problem pb = {
			.n_experts = (size_t)in.ne, .capacity = in.cap,
			.n_needs = (size_t)in.nn, .demand = in.demand,
			.edges = in.edges, .n_edges = (size_t)in.nk,
			.n_teams = (size_t)in.nt, .price = table_price,
			.ctx = &in, .time_limit = 1e-12};
		assert_int_equal(lmi_tp_solve(&pb, &r), LM_OK);
		assert_int_equal(plan_weight(&in, &r), r.value);
		assert_true(r.value <= opt && r.bound >= opt);
		assert_true(!r.proven || r.value == opt);
	}
}

static void test_bad_input(void **state)
{
	(void)state;
	inst in;
	memset(&in, 0, sizeof(in));
	in.ne = 1;
	in.cap[0] = -1;
	lmi_tp_result r = {0};
	lmi_tp_problem pb = {.n_experts = 1, .capacity = in.cap,
	                     .price = table_price, .ctx = &in};
	assert_int_equal(lmi_tp_solve(&pb, &r), LM_EINVAL);
	assert_int_equal(lmi_tp_solve(NULL, &r), LM_EINVAL);
	in.cap[0] = 1;
	pb.price = NULL;
	assert_int_equal(lmi_tp_solve(&pb, &r), LM_EINVAL);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brute_force),
		cmocka_unit_test(test_same_as_flow),
		cmocka_unit_test(test_time_limit),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests_name("teamplan", tests, NULL, NULL);
}
