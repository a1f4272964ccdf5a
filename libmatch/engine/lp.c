/* SPDX-License-Identifier: MIT */
/*
 * lp.c -- the planner's linear programs through COIN-OR CLP's C
 * interface (see lp.h).  The one job of this file is to hide CLP: its
 * types, its messages, its sign conventions.
 */
#include "engine/lp.h"

/* CLP's header declares ClpSolve_new() without a prototype. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <Clp_C_Interface.h>
#pragma GCC diagnostic pop

#include <stdbool.h>
#include <stdlib.h>

struct lmi_lp {
	Clp_Simplex *m;
	bool solved;        /* solved once: a basis to start from */
	bool new_cols;      /* columns added since the last solve */
	int n_rows;
	double *row_lo, *row_hi; /* our copy of the rows' bounds */
};

lmi_lp *lmi_lp_new(int n_rows, const double *lo, const double *hi)
{
	lmi_lp *lp = calloc(1, sizeof(*lp));
	if (!lp)
		return NULL;
	lp->n_rows = n_rows;
	lp->row_lo = malloc(((size_t)n_rows + 1) * sizeof(double));
	lp->row_hi = malloc(((size_t)n_rows + 1) * sizeof(double));
	lp->m = Clp_newModel();
	if (!lp->m || !lp->row_lo || !lp->row_hi) {
		lmi_lp_free(lp);
		return NULL;
	}
	for (int r = 0; r < n_rows; r++) {
		lp->row_lo[r] = lo[r];
		lp->row_hi[r] = hi[r];
	}
	Clp_setLogLevel(lp->m, 0);
	/* -1: maximise. */
	Clp_setOptimizationDirection(lp->m, -1.0);
	CoinBigIndex zero = 0;
	Clp_loadProblem(lp->m, 0, n_rows, &zero, NULL, NULL, NULL, NULL, NULL,
	                lo, hi);
	return lp;
}

void lmi_lp_free(lmi_lp *lp)
{
	if (!lp)
		return;
	if (lp->m)
		Clp_deleteModel(lp->m);
	free(lp->row_lo);
	free(lp->row_hi);
	free(lp);
}

void lmi_lp_add_cols(lmi_lp *lp, int n, const double *obj, const double *lo,
                     const double *hi, const int *start, const int *row,
                     const double *val)
{
	if (n <= 0)
		return;
	CoinBigIndex *st = malloc(((size_t)n + 1) * sizeof(*st));
	if (st) {
		for (int j = 0; j <= n; j++)
			st[j] = start[j];
		Clp_addColumns(lp->m, n, lo, hi, obj, st, row, val);
	} else {
		/* One at a time needs no memory of ours. */
		for (int j = 0; j < n; j++) {
			CoinBigIndex s1[2] = {0, start[j + 1] - start[j]};
			Clp_addColumns(lp->m, 1, lo + j, hi + j, obj + j, s1,
			               row + start[j], val + start[j]);
		}
	}
	free(st);
	lp->new_cols = true;
}

int lmi_lp_cols(const lmi_lp *lp)
{
	return Clp_getNumCols(lp->m);
}

void lmi_lp_set_col_bounds(lmi_lp *lp, const double *lo, const double *hi)
{
	Clp_chgColumnLower(lp->m, lo);
	Clp_chgColumnUpper(lp->m, hi);
}

void lmi_lp_set_row_bounds(lmi_lp *lp, int r, double lo, double hi)
{
	lp->row_lo[r] = lo;
	lp->row_hi[r] = hi;
	/* CLP's setters take whole arrays (and tell the simplex). */
	Clp_chgRowLower(lp->m, lp->row_lo);
	Clp_chgRowUpper(lp->m, lp->row_hi);
}

int lmi_lp_solve(lmi_lp *lp)
{
	if (!lp->solved)
		Clp_initialSolve(lp->m);
	else if (lp->new_cols)
		Clp_primal(lp->m, 0);
	else
		Clp_dual(lp->m, 0);
	int st = Clp_status(lp->m);
	if (st == 4 || st == 3 || (st == 0 && !Clp_isProvenOptimal(lp->m))) {
		/* Stopped or confused on the warm start: once more from
		 * scratch. */
		Clp_initialSolve(lp->m);
		st = Clp_status(lp->m);
	}
	lp->solved = true;
	lp->new_cols = false;
	switch (st) {
	case 0: return LMI_LP_OPTIMAL;
	case 1: return LMI_LP_INFEASIBLE;
	case 2: return LMI_LP_UNBOUNDED;
	case 3: return LMI_LP_STOPPED;
	default: return LMI_LP_FAILED;
	}
}

double lmi_lp_objective(const lmi_lp *lp)
{
	return Clp_getObjValue(lp->m);
}

const double *lmi_lp_primal(const lmi_lp *lp)
{
	return Clp_getColSolution(lp->m);
}

const double *lmi_lp_dual(const lmi_lp *lp)
{
	return Clp_getRowPrice(lp->m);
}
