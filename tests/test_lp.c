/* SPDX-License-Identifier: MIT */
/*
 * test_lp.c -- cmocka tests of the planner's LP wrapper over COIN-OR CLP
 * (libmatch/engine/lp.c): a hand-solved LP with its duals, warm restarts
 * after adding columns and changing bounds, random LPs certified by
 * their duals (weak duality met with equality), and separate models
 * solved on separate threads giving the same answers as one by one.
 */
#include "lm_test.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "engine/lp.h"

/* max 3x + 2y: x + y <= 4, x + 3y <= 6, 0 <= x <= 3 as a row. */
static void test_hand(void **state)
{
	(void)state;
	double lo[3] = {-HUGE_VAL, -HUGE_VAL, -HUGE_VAL}, hi[3] = {4, 6, 3};
	lmi_lp *lp = lmi_lp_new(3, lo, hi);
	assert_non_null(lp);
	double obj[2] = {3, 2}, cl[2] = {0, 0}, cu[2] = {HUGE_VAL, HUGE_VAL};
	int start[3] = {0, 3, 5}, row[5] = {0, 1, 2, 0, 1};
	double val[5] = {1, 1, 1, 1, 3};
	lmi_lp_add_cols(lp, 2, obj, cl, cu, start, row, val);
	assert_int_equal(lmi_lp_cols(lp), 2);
	assert_int_equal(lmi_lp_solve(lp), LMI_LP_OPTIMAL);
	assert_true(fabs(lmi_lp_objective(lp) - 11) < 1e-9);
	const double *x = lmi_lp_primal(lp), *y = lmi_lp_dual(lp);
	assert_true(fabs(x[0] - 3) < 1e-9 && fabs(x[1] - 1) < 1e-9);
	/* The vertex is degenerate (all three rows bind): any duals y >= 0
	 * with y0 + y1 + y2 = 3 and y0 + 3 y1 = 2 prove the optimum, and
	 * then 4 y0 + 6 y1 + 3 y2 = 11. */
	for (int r = 0; r < 3; r++)
		assert_true(y[r] >= -1e-9);
	assert_true(fabs(y[0] + y[1] + y[2] - 3) < 1e-9);
	assert_true(fabs(y[0] + 3 * y[1] - 2) < 1e-9);
	assert_true(fabs(4 * y[0] + 6 * y[1] + 3 * y[2] - 11) < 1e-9);
	/* A new column z (objective 5, in row 1 only) from the basis. */
	double o2 = 5, l2 = 0, u2 = 1, v2 = 1;
	int s2[2] = {0, 1}, r2 = 1;
	lmi_lp_add_cols(lp, 1, &o2, &l2, &u2, s2, &r2, &v2);
	assert_int_equal(lmi_lp_solve(lp), LMI_LP_OPTIMAL);
	/* Now x = 3, z = 1 and y = 2/3 (row 1 binds): 9 + 4/3 + 5. */
	assert_true(fabs(lmi_lp_objective(lp) - (14 + 4.0 / 3)) < 1e-9);
	/* Bounds: z fixed to 0 again, and row 0 tightened to x + y <= 3. */
	double nl[3] = {0, 0, 0}, nu[3] = {HUGE_VAL, HUGE_VAL, 0};
	lmi_lp_set_col_bounds(lp, nl, nu);
	lmi_lp_set_row_bounds(lp, 0, -HUGE_VAL, 3);
	assert_int_equal(lmi_lp_solve(lp), LMI_LP_OPTIMAL);
	assert_true(fabs(lmi_lp_objective(lp) - 9) < 1e-9);
	/* An infeasible row. */
	lmi_lp_set_row_bounds(lp, 0, 7, 8);
	assert_int_equal(lmi_lp_solve(lp), LMI_LP_INFEASIBLE);
	lmi_lp_free(lp);
	lmi_lp_free(NULL);
}

/* A random packing LP: rows <= b (1..3), columns 0..1 with 1..4 entries
 * of 1 and objectives 1..100, as the planner's master. */
typedef struct rlp {
	int nr, nc;
	double *hi, *obj, *cu;
	int *start, *row;
	double *val;
} rlp;

static void rlp_make(rlp *p, uint64_t *rng)
{
	p->nr = lmt_int(rng, 2, 30);
	p->nc = lmt_int(rng, 1, 80);
	p->hi = calloc((size_t)p->nr, sizeof(double));
	p->obj = calloc((size_t)p->nc, sizeof(double));
	p->cu = calloc((size_t)p->nc, sizeof(double));
	p->start = calloc((size_t)p->nc + 1, sizeof(int));
	p->row = calloc((size_t)p->nc * 4, sizeof(int));
	p->val = calloc((size_t)p->nc * 4, sizeof(double));
	for (int r = 0; r < p->nr; r++)
		p->hi[r] = lmt_int(rng, 1, 3);
	int k = 0;
	for (int j = 0; j < p->nc; j++) {
		p->obj[j] = lmt_int(rng, 1, 100);
		p->cu[j] = 1;
		int m = lmt_int(rng, 1, 4 < p->nr ? 4 : p->nr);
		int first = lmt_int(rng, 0, p->nr - m);
		for (int t = 0; t < m; t++) {
			p->row[k] = first + t;
			p->val[k++] = 1;
		}
		p->start[j + 1] = k;
	}
}

static void rlp_free(rlp *p)
{
	free(p->hi);
	free(p->obj);
	free(p->cu);
	free(p->start);
	free(p->row);
	free(p->val);
}

/* Solve; the objective and primal values into obj/x (nc). */
static void rlp_solve(const rlp *p, double *obj, double *x, double *dualgap)
{
	double *lo = malloc((size_t)p->nr * sizeof(double));
	double *cl = calloc((size_t)p->nc, sizeof(double));
	for (int r = 0; r < p->nr; r++)
		lo[r] = -HUGE_VAL;
	lmi_lp *lp = lmi_lp_new(p->nr, lo, p->hi);
	/* In two batches, to warm-start on the second. */
	int h = p->nc / 2;
	lmi_lp_add_cols(lp, h, p->obj, cl, p->cu, p->start, p->row, p->val);
	if (h)
		(void)lmi_lp_solve(lp);
	int st2[81];
	for (int j = h; j <= p->nc; j++)
		st2[j - h] = p->start[j] - p->start[h];
	lmi_lp_add_cols(lp, p->nc - h, p->obj + h, cl + h, p->cu + h, st2,
	                p->row + p->start[h], p->val + p->start[h]);
	int rc = lmi_lp_solve(lp);
	if (rc != LMI_LP_OPTIMAL)
		fail_msg("random LP not solved: %d", rc);
	*obj = lmi_lp_objective(lp);
	const double *px = lmi_lp_primal(lp), *y = lmi_lp_dual(lp);
	for (int j = 0; j < p->nc; j++)
		x[j] = px[j];
	/* The dual bound b.y + sum_j u_j (c_j - A_j y)+ for y >= 0. */
	double bound = 0;
	for (int r = 0; r < p->nr; r++)
		bound += p->hi[r] * (y[r] > 0 ? y[r] : 0);
	for (int j = 0; j < p->nc; j++) {
		double red = p->obj[j];
		for (int k = p->start[j]; k < p->start[j + 1]; k++)
			red -= p->val[k] * (y[p->row[k]] > 0 ? y[p->row[k]] : 0);
		bound += red > 0 ? red : 0;
	}
	*dualgap = bound - *obj;
	lmi_lp_free(lp);
	free(lo);
	free(cl);
}

static void test_random_certified(void **state)
{
	(void)state;
	uint64_t rng = 20261203;
	for (int t = 0; t < 300; t++) {
		rlp p;
		rlp_make(&p, &rng);
		double obj, x[80], gap;
		rlp_solve(&p, &obj, x, &gap);
		/* Feasible, and the duals prove it optimal. */
		for (int r = 0; r < p.nr; r++) {
			double act = 0;
			for (int j = 0; j < p.nc; j++)
				for (int k = p.start[j]; k < p.start[j + 1]; k++)
					act += p.row[k] == r ? x[j] : 0;
			assert_true(act <= p.hi[r] + 1e-7);
		}
		assert_true(fabs(gap) < 1e-6);
		rlp_free(&p);
	}
}

/* ---- separate models on separate threads ------------------------------ */

#define N_THREAD_LPS 120
typedef struct job {
	uint64_t seed;
	double obj[N_THREAD_LPS];
	double x0[N_THREAD_LPS];
} job;

static void *run_job(void *arg)
{
	job *j = arg;
	uint64_t rng = j->seed;
	for (int t = 0; t < N_THREAD_LPS; t++) {
		rlp p;
		rlp_make(&p, &rng);
		double x[80], gap;
		rlp_solve(&p, &j->obj[t], x, &gap);
		j->x0[t] = x[0];
		rlp_free(&p);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	enum { N = 4 };
	job alone[N], together[N];
	for (int i = 0; i < N; i++) {
		alone[i].seed = together[i].seed = 77 + (uint64_t)i * 1000003;
		run_job(&alone[i]);
	}
	pthread_t th[N];
	for (int i = 0; i < N; i++)
		assert_int_equal(pthread_create(&th[i], NULL, run_job,
		                                &together[i]), 0);
	for (int i = 0; i < N; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < N; i++)
		for (int t = 0; t < N_THREAD_LPS; t++) {
			/* The same answer, to the bit. */
			assert_memory_equal(&alone[i].obj[t], &together[i].obj[t],
			                    sizeof(double));
			assert_memory_equal(&alone[i].x0[t], &together[i].x0[t],
			                    sizeof(double));
		}
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand),
		cmocka_unit_test(test_random_certified),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests_name("lp", tests, NULL, NULL);
}
