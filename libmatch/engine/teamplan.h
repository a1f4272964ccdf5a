/* SPDX-License-Identifier: MIT */
/*
 * teamplan.h -- the exactly optimal plan when some needs take teams:
 * branch-and-price over team columns and pair variables with shared
 * capacities, with a certificate of optimality that does not trust the
 * LP.  Internal to libmatch (not installed); plan.c builds the problem,
 * docs/planning.md explains the method.
 *
 * Like flow.h it knows nothing of catalogues: it sees experts with a
 * capacity, ordinary needs with a demand and weighted pairs (the flow's
 * edges), and team needs whose teams come from a pricing callback.
 */
#ifndef LMI_TEAMPLAN_H
#define LMI_TEAMPLAN_H

#include "engine/flow.h"
#include "model/catalog.h"   /* LMI_TEAM_MAX */

/* A team: its members (expert indices, ascending) and integer weight
 * (a team of weight <= 0 adds nothing and is never chosen). */
typedef struct lmi_tp_team {
	uint32_t member[LMI_TEAM_MAX];
	int m;                 /* 0: no team */
	int64_t weight;        /* > 0 for a team worth choosing */
} lmi_tp_team;

/* Expert states for the pricing of one team need. */
enum { LMI_TP_FREE = 0, LMI_TP_FORBIDDEN = 1, LMI_TP_FORCED = 2 };

/*
 * The pricing oracle: for team need t, the feasible team T that
 * maximises weight(T) - sum of price[e] over its members, among the
 * teams that contain no expert with state[e] == LMI_TP_FORBIDDEN and
 * every expert with state[e] == LMI_TP_FORCED (state may be NULL: all
 * free).  price has one entry per expert (>= 0, in weight units; NULL:
 * all 0).  It must be exact when the prices are integers -- the
 * certificate depends on it -- and deterministic.  *found = false when
 * no feasible team exists.  Returns LM_OK or an error (LM_ENOMEM), which
 * stops the solve.
 */
typedef int (*lmi_tp_price_fn)(void *ctx, uint32_t t, const double *price,
                               const uint8_t *state, lmi_tp_team *out,
                               bool *found);

typedef struct lmi_tp_problem {
	size_t n_experts;
	const int *capacity;       /* per expert: engagements left, >= 0 */
	const int *base_load;      /* per expert: committed already (may be
	                              NULL), for spreading load */
	size_t n_needs;            /* ordinary needs */
	const int *demand;         /* per ordinary need: experts it lacks */
	const lmi_flow_edge *edges; /* pairs of ordinary needs (flow.h);
	                              forced edges are pins */
	size_t n_edges;
	size_t n_teams;            /* team needs 0..n_teams-1 */
	lmi_tp_price_fn price;
	void *ctx;
	double time_limit;         /* seconds; <= 0: none */
} lmi_tp_problem;

typedef struct lmi_tp_result {
	uint8_t *chosen;           /* caller's, n_edges: 1 when in the plan */
	lmi_tp_team *team;         /* caller's, n_teams: m == 0 for none */
	int64_t value;             /* the plan's total weight */
	int64_t bound;             /* certified: no plan weighs more */
	bool proven;               /* bound == value */
	size_t nodes;              /* branch-and-price nodes solved */
	size_t columns;            /* team columns generated */
	size_t lp_solves;
} lmi_tp_result;

/*
 * The plan of maximum total weight: each ordinary need at most its
 * demand, each team need at most one team, each expert at most its
 * capacity over pairs and team memberships; forced edges always in.
 * Among the plans with that total found, the ordinary pairs spread load
 * as lmi_flow_solve_loaded does, given the teams (counting each member's
 * engagement as load).  Deterministic.
 *
 * `proven` is set only when the certificate says the value is maximal:
 * the bound is the largest value of the Lagrangian bound
 *   L(pi) = sum_e cap_e pi_e + sum_i best-demand_i (w - pi_e)+
 *         + sum_t max(0, max_T weight(T) - pi(T))
 * (restricted to the branch's decisions) over the tree's open leaves,
 * computed in integers with integer prices pi >= 0 and the oracle.
 * When the time limit stops the search, the best plan found is returned
 * with proven false and the certified bound.
 *
 * LM_OK; LM_EINVAL for bad input; LM_EINFEASIBLE when the forced edges
 * alone exceed a demand or capacity; LM_ENOMEM; LM_EINTERNAL when the LP
 * solver fails; the oracle's error.
 */
int lmi_tp_solve(const lmi_tp_problem *pb, lmi_tp_result *res);

#endif /* LMI_TEAMPLAN_H */
