/* SPDX-License-Identifier: MIT */
/*
 * lp.c -- the planner's linear programs through COIN-OR CLP's C
 * interface (see lp.h).  The one job of this file is to hide CLP: its
 * types, its messages, its sign conventions, and how it is loaded.
 *
 * CLP is loaded with dlopen() the first time a model is made, not linked:
 * libClp brings LAPACK and with it libgfortran and libquadmath, whose
 * start-up registers printf modifiers with glibc, which then takes its
 * slow path for every printf of the process (a plan of 3,000 experts
 * without team needs took 60 % longer, all of it in the explanations'
 * formatting).  So only a process that plans team needs pays for CLP.
 * The table of CLP's functions is written once (pthread_once) and only
 * read after; it is the one static state of the library here.
 */
#include "engine/lp.h"
#include "model/util.h"

/* CLP's header declares ClpSolve_new() without a prototype. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#include <Clp_C_Interface.h>
#pragma GCC diagnostic pop

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CLP's functions that lp.c calls, resolved from libClp.so.1. */
static struct clp {
	Clp_Simplex *(*newModel)(void);
	void (*deleteModel)(Clp_Simplex *);
	void (*setLogLevel)(Clp_Simplex *, int);
	void (*setOptimizationDirection)(Clp_Simplex *, double);
	void (*loadProblem)(Clp_Simplex *, const int, const int,
	                    const CoinBigIndex *, const int *, const double *,
	                    const double *, const double *, const double *,
	                    const double *, const double *);
	void (*addColumns)(Clp_Simplex *, int, const double *, const double *,
	                   const double *, const CoinBigIndex *, const int *,
	                   const double *);
	int (*getNumCols)(Clp_Simplex *);
	void (*chgColumnLower)(Clp_Simplex *, const double *);
	void (*chgColumnUpper)(Clp_Simplex *, const double *);
	void (*chgRowLower)(Clp_Simplex *, const double *);
	void (*chgRowUpper)(Clp_Simplex *, const double *);
	int (*initialSolve)(Clp_Simplex *);
	int (*primal)(Clp_Simplex *, int);
	int (*dual)(Clp_Simplex *, int);
	int (*status)(Clp_Simplex *);
	int (*isProvenOptimal)(Clp_Simplex *);
	double (*getObjValue)(Clp_Simplex *);
	const double *(*getColSolution)(Clp_Simplex *);
	const double *(*getRowPrice)(Clp_Simplex *);
} clp;
static bool clp_ok;
static char clp_why[256];
static pthread_once_t clp_once = PTHREAD_ONCE_INIT;

/* dlsym into a function pointer (POSIX guarantees the conversion). */
#define CLP_SYM(field, name)                                               \
	do {                                                               \
		void *f_ = dlsym(h, name);                                 \
		if (!f_) {                                                 \
			snprintf(clp_why, sizeof(clp_why), "%s has no %s",  \
			         LMI_CLP_SONAME, name);                     \
			return;                                            \
		}                                                          \
		memcpy(&clp.field, &f_, sizeof(f_));                       \
	} while (0)

#define LMI_CLP_SONAME "libClp.so.1"

static void clp_load(void)
{
	void *h = dlopen(LMI_CLP_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(clp_why, sizeof(clp_why), "%s", e ? e : LMI_CLP_SONAME);
		return;
	}
	CLP_SYM(newModel, "Clp_newModel");
	CLP_SYM(deleteModel, "Clp_deleteModel");
	CLP_SYM(setLogLevel, "Clp_setLogLevel");
	CLP_SYM(setOptimizationDirection, "Clp_setOptimizationDirection");
	CLP_SYM(loadProblem, "Clp_loadProblem");
	CLP_SYM(addColumns, "Clp_addColumns");
	CLP_SYM(getNumCols, "Clp_getNumCols");
	CLP_SYM(chgColumnLower, "Clp_chgColumnLower");
	CLP_SYM(chgColumnUpper, "Clp_chgColumnUpper");
	CLP_SYM(chgRowLower, "Clp_chgRowLower");
	CLP_SYM(chgRowUpper, "Clp_chgRowUpper");
	CLP_SYM(initialSolve, "Clp_initialSolve");
	CLP_SYM(primal, "Clp_primal");
	CLP_SYM(dual, "Clp_dual");
	CLP_SYM(status, "Clp_status");
	CLP_SYM(isProvenOptimal, "Clp_isProvenOptimal");
	CLP_SYM(getObjValue, "Clp_getObjValue");
	CLP_SYM(getColSolution, "Clp_getColSolution");
	CLP_SYM(getRowPrice, "Clp_getRowPrice");
	clp_ok = true; /* the handle stays open for the process */
}

const char *lmi_lp_unavailable(void)
{
	pthread_once(&clp_once, clp_load);
	return clp_ok ? NULL : clp_why;
}

struct lmi_lp {
	Clp_Simplex *m;
	bool solved;        /* solved once: a basis to start from */
	bool new_cols;      /* columns added since the last solve */
	int n_rows;
	double *row_lo, *row_hi; /* our copy of the rows' bounds */
	/* Columns added but not yet handed to CLP: CLP copies the whole
	 * model on every addition, so they go in one batch per solve. */
	int pend, pend_cap, pend_nz, pend_nz_cap;
	double *p_obj, *p_lo, *p_hi, *p_val;
	int *p_start, *p_row;  /* p_start has pend + 1 entries */
};

lmi_lp *lmi_lp_new(int n_rows, const double *lo, const double *hi)
{
	if (lmi_lp_unavailable())
		return NULL;
	lmi_lp *lp = calloc(1, sizeof(*lp));
	if (!lp)
		return NULL;
	lp->n_rows = n_rows;
	lp->row_lo = malloc(((size_t)n_rows + 1) * sizeof(double));
	lp->row_hi = malloc(((size_t)n_rows + 1) * sizeof(double));
	lp->m = clp.newModel();
	if (!lp->m || !lp->row_lo || !lp->row_hi) {
		lmi_lp_free(lp);
		return NULL;
	}
	for (int r = 0; r < n_rows; r++) {
		lp->row_lo[r] = lo[r];
		lp->row_hi[r] = hi[r];
	}
	clp.setLogLevel(lp->m, 0);
	/* -1: maximise. */
	clp.setOptimizationDirection(lp->m, -1.0);
	CoinBigIndex zero = 0;
	clp.loadProblem(lp->m, 0, n_rows, &zero, NULL, NULL, NULL, NULL, NULL,
	                lo, hi);
	return lp;
}

void lmi_lp_free(lmi_lp *lp)
{
	if (!lp)
		return;
	if (lp->m)
		clp.deleteModel(lp->m);
	free(lp->row_lo);
	free(lp->row_hi);
	free(lp->p_obj);
	free(lp->p_lo);
	free(lp->p_hi);
	free(lp->p_val);
	free(lp->p_start);
	free(lp->p_row);
	free(lp);
}

/* Hand the pending columns to CLP. */
static void flush(lmi_lp *lp)
{
	if (!lp->pend)
		return;
	CoinBigIndex *st = malloc(((size_t)lp->pend + 1) * sizeof(*st));
	if (st) {
		for (int j = 0; j <= lp->pend; j++)
			st[j] = lp->p_start[j];
		clp.addColumns(lp->m, lp->pend, lp->p_lo, lp->p_hi, lp->p_obj, st,
		               lp->p_row, lp->p_val);
	} else {
		for (int j = 0; j < lp->pend; j++) {
			CoinBigIndex s1[2] = {0, lp->p_start[j + 1] - lp->p_start[j]};
			clp.addColumns(lp->m, 1, lp->p_lo + j, lp->p_hi + j,
			               lp->p_obj + j, s1, lp->p_row + lp->p_start[j],
			               lp->p_val + lp->p_start[j]);
		}
	}
	free(st);
	lp->pend = lp->pend_nz = 0;
	lp->new_cols = true;
}

/* A capacity of at least `want`: `cap` (`first` while 0) doubled. */
static int doubled(int cap, int first, int want)
{
	int c = cap ? cap : first;
	while (c < want)
		c *= 2;
	return c;
}

/* Room for n more pending columns with nz entries. */
static bool reserve(lmi_lp *lp, int n, int nz)
{
	if (lp->pend + n > lp->pend_cap) {
		int c = doubled(lp->pend_cap, 256, lp->pend + n);
		if (!LMI_RESIZE(lp->p_obj, (size_t)c) ||
		    !LMI_RESIZE(lp->p_lo, (size_t)c) ||
		    !LMI_RESIZE(lp->p_hi, (size_t)c) ||
		    !LMI_RESIZE(lp->p_start, (size_t)c + 1))
			return false;
		lp->pend_cap = c;
	}
	if (lp->pend_nz + nz > lp->pend_nz_cap) {
		int c = doubled(lp->pend_nz_cap, 1024, lp->pend_nz + nz);
		if (!LMI_RESIZE(lp->p_row, (size_t)c) ||
		    !LMI_RESIZE(lp->p_val, (size_t)c))
			return false;
		lp->pend_nz_cap = c;
	}
	return true;
}

void lmi_lp_add_cols(lmi_lp *lp, int n, const double *obj, const double *lo,
                     const double *hi, const int *start, const int *row,
                     const double *val)
{
	if (n <= 0)
		return;
	int nz = start[n] - start[0];
	if (!reserve(lp, n, nz)) {
		/* No memory for the batch: straight to CLP, one at a time. */
		flush(lp);
		for (int j = 0; j < n; j++) {
			CoinBigIndex s1[2] = {0, start[j + 1] - start[j]};
			clp.addColumns(lp->m, 1, lo + j, hi + j, obj + j, s1,
			               row + start[j], val + start[j]);
		}
		lp->new_cols = true;
		return;
	}
	if (!lp->pend)
		lp->p_start[0] = 0;
	for (int j = 0; j < n; j++) {
		int at = lp->pend++;
		lp->p_obj[at] = obj[j];
		lp->p_lo[at] = lo[j];
		lp->p_hi[at] = hi[j];
		for (int k = start[j]; k < start[j + 1]; k++) {
			lp->p_row[lp->pend_nz] = row[k];
			lp->p_val[lp->pend_nz++] = val[k];
		}
		lp->p_start[at + 1] = lp->pend_nz;
	}
}

int lmi_lp_cols(const lmi_lp *lp)
{
	return clp.getNumCols(lp->m) + lp->pend;
}

void lmi_lp_set_col_bounds(lmi_lp *lp, const double *lo, const double *hi)
{
	flush(lp);
	clp.chgColumnLower(lp->m, lo);
	clp.chgColumnUpper(lp->m, hi);
}

void lmi_lp_set_row_bounds(lmi_lp *lp, int r, double lo, double hi)
{
	lp->row_lo[r] = lo;
	lp->row_hi[r] = hi;
	/* CLP's setters take whole arrays (and tell the simplex). */
	clp.chgRowLower(lp->m, lp->row_lo);
	clp.chgRowUpper(lp->m, lp->row_hi);
}

int lmi_lp_solve(lmi_lp *lp)
{
	flush(lp);
	if (!lp->solved)
		clp.initialSolve(lp->m);
	else if (lp->new_cols)
		clp.primal(lp->m, 0);
	else
		clp.dual(lp->m, 0);
	int st = clp.status(lp->m);
	if (st == 4 || st == 3 || (st == 0 && !clp.isProvenOptimal(lp->m))) {
		/* Stopped or confused on the warm start: once more from
		 * scratch. */
		clp.initialSolve(lp->m);
		st = clp.status(lp->m);
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
	return clp.getObjValue(lp->m);
}

const double *lmi_lp_primal(const lmi_lp *lp)
{
	return clp.getColSolution(lp->m);
}

const double *lmi_lp_dual(const lmi_lp *lp)
{
	return clp.getRowPrice(lp->m);
}
