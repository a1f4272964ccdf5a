/* SPDX-License-Identifier: MIT */
/*
 * flow.h -- the exactly optimal b-matching solver behind the quarter's plan.
 *
 * Internal to libmatch (not installed).  It knows nothing of catalogues,
 * experts or scores: it sees left nodes ("needs") with a demand, right
 * nodes ("experts") with a capacity and a sparse list of weighted edges,
 * and returns the edge set of maximum total weight, spreading load over
 * more experts among the plans of equal weight.  See flow.c for the
 * algorithm and why it is exact.
 */
#ifndef LMI_FLOW_H
#define LMI_FLOW_H

#include "libmatch.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One candidate pair.  `weight` is the integer gain of choosing it (a
 * score scaled to an integer, e.g. round(score * 10000)); it must be >= 0.
 * A non-forced edge of weight 0 is never chosen.  `forced` pins the pair:
 * it is part of every solution. */
typedef struct lmi_flow_edge {
	uint32_t need;    /* 0 .. n_needs-1 */
	uint32_t expert;  /* 0 .. n_experts-1 */
	int64_t weight;   /* >= 0 */
	bool forced;
} lmi_flow_edge;

/*
 * Choose a set of edges, each at most once, with need i used at most
 * demand[i] times and expert j at most capacity[j] times, that
 *   1. maximises the total weight (a need may stay unfilled), and then
 *   2. among those, minimises sum_j L_j (L_j + 1) / 2 over the experts'
 *      loads L_j (forced edges included): load is spread over more experts;
 *   3. is deterministic: the same input gives the same output.
 * Forced edges are always chosen and count against demand and capacity.
 *
 * Duplicate (need, expert) pairs: the first copy stands for the pair and
 * the later ones are never chosen; a forced later copy forces the pair
 * (reported through the first copy).
 *
 * `progress` (may be NULL) is called as progress("plan", done, total, ctx)
 * every few hundred units of demand and once at the end; if it returns
 * non-zero the solve stops with LM_ECANCELED (the public convention).
 *
 * Out: chosen[e] = 1 if edge e is in the plan, else 0 (n_edges bytes; may
 * be NULL when n_edges is 0); *total_weight = sum of the chosen weights.
 * Both are written only on LM_OK.
 *
 * Returns LM_OK; LM_EINVAL for a NULL array with a non-zero count, a
 * negative demand, capacity or weight, an index out of range, more than
 * UINT32_MAX - 1 edges or nodes, or weights so large that the scaled
 * int64 costs could overflow; LM_EINFEASIBLE when the forced edges alone
 * exceed some demand or capacity; LM_ENOMEM; LM_ECANCELED when canceled.
 * No global state: separate calls may run on separate threads.
 */
int lmi_flow_solve(size_t n_needs, const int *demand,
                  size_t n_experts, const int *capacity,
                  const lmi_flow_edge *edges, size_t n_edges,
                  lm_progress_fn progress, void *ctx,
                  uint8_t *chosen, int64_t *total_weight);

/*
 * The same, where expert j already carries base_load[j] >= 0 engagements
 * (committed earlier; they do not count against `capacity`, which is what
 * is left).  Objective 2 then minimises sum_j of the costs
 * (b_j + 1) + ... + (b_j + L_j), so among plans of equal weight the new
 * engagements go to the experts with less to do.  base_load may be NULL.
 */
int lmi_flow_solve_loaded(size_t n_needs, const int *demand,
                         size_t n_experts, const int *capacity,
                         const int *base_load,
                         const lmi_flow_edge *edges, size_t n_edges,
                         lm_progress_fn progress, void *ctx,
                         uint8_t *chosen, int64_t *total_weight);

#endif /* LMI_FLOW_H */
