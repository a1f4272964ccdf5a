/* SPDX-License-Identifier: MIT */
/*
 * lp.h -- a small linear program for the planner with teams (teamplan.c),
 * solved by COIN-OR CLP through its C interface (Clp_C_Interface.h).
 *
 * Internal to libmatch.  One model: rows with lower and upper bounds
 * fixed at creation (a row's bounds may change later), columns added in
 * batches with their bounds and objective, the objective maximised.  The
 * model keeps its basis between solves, so that adding columns (column
 * generation) or changing bounds (branching) restarts from where the
 * last solve ended.  No global state of libmatch's own; CLP is run
 * single-threaded with its messages off.  Separate models may be solved
 * on separate threads: tests/test_lp.c runs them side by side and
 * checks every answer against the same models solved one by one.
 * docs/planning.md says why CLP.
 */
#ifndef LMI_LP_H
#define LMI_LP_H

#include <stddef.h>

typedef struct lmi_lp lmi_lp;

/* The outcome of a solve. */
enum { LMI_LP_OPTIMAL = 0, LMI_LP_INFEASIBLE = 1, LMI_LP_UNBOUNDED = 2,
       LMI_LP_STOPPED = 3, LMI_LP_FAILED = 4 };

/* NULL when CLP can be used, else why not (libClp.so.1 is loaded on
 * first use, see lp.c); the string is static. */
const char *lmi_lp_unavailable(void);

/* A model with n_rows rows, row r being lo[r] <= activity <= hi[r]
 * (+-HUGE_VAL: no bound), and no column.  NULL when out of memory or
 * when CLP is unavailable. */
lmi_lp *lmi_lp_new(int n_rows, const double *lo, const double *hi);
void lmi_lp_free(lmi_lp *lp);   /* NULL is a no-op */

/* Append n columns: column j has objective obj[j], bounds lo[j]..hi[j]
 * and entries val[k] in rows row[k] for k in start[j]..start[j+1]-1
 * (start has n + 1 entries, start[0] == 0). */
void lmi_lp_add_cols(lmi_lp *lp, int n, const double *obj, const double *lo,
                     const double *hi, const int *start, const int *row,
                     const double *val);
int lmi_lp_cols(const lmi_lp *lp);

/* Change the bounds of every column (arrays of lmi_lp_cols entries), or
 * of one row. */
void lmi_lp_set_col_bounds(lmi_lp *lp, const double *lo, const double *hi);
void lmi_lp_set_row_bounds(lmi_lp *lp, int r, double lo, double hi);

/* Solve from the current basis (the primal simplex after columns were
 * added, the dual simplex after bounds changed).  An LMI_LP_* outcome. */
int lmi_lp_solve(lmi_lp *lp);

/* After LMI_LP_OPTIMAL: the objective, the columns' values and the rows'
 * duals (the marginal value of one more unit of a row's bound, so >= 0
 * for a binding upper bound of a maximisation).  The arrays belong to
 * the model and are valid until its next change. */
double lmi_lp_objective(const lmi_lp *lp);
const double *lmi_lp_primal(const lmi_lp *lp);
const double *lmi_lp_dual(const lmi_lp *lp);

#endif /* LMI_LP_H */
