/* SPDX-License-Identifier: MIT */
/*
 * plan.h -- the quarter's plan inside the engine: the plan object and the
 * working state of one lm_plan_compute(), shared by plan.c (the problem,
 * pairs and explanations) and plan_team.c (team needs: teams from
 * team.c, the search in teamplan.c).  Internal to libmatch.
 */
#ifndef LMI_PLAN_H
#define LMI_PLAN_H

#include "engine/flow.h"
#include "engine/score.h"
#include "engine/team.h"
#include "engine/teamplan.h"

/* Scores become integer weights round(score * WEIGHT_SCALE) for the
 * exact solvers. */
#define WEIGHT_SCALE 10000.0

struct lm_plan {
	char period[16];
	uint64_t data_version;   /* the catalogue's (engine/rank.h) */
	double total;
	lm_assignment *asg;
	size_t n_asg;
	lm_unassigned *open;
	size_t n_open;
	lm_garden_report *gardens;
	size_t n_gardens;
	/* Team needs' teams (plan_team.c): members[member_first[i]..] are
	 * team i's. */
	lm_team_assignment *teams;
	size_t n_teams;
	lm_plan_member *members;
	size_t *member_first;
	int proven;
	double bound;
	lm_left_out *left;       /* needs left out before planning */
	size_t n_left;
};

/* The committed engagements: per expert those of `period`, per need and
 * per (need, expert) those of every period, since a need served in an
 * earlier quarter is not planned again, nor an expert twice on one. */
typedef struct committed {
	int *per_need;
	int *per_expert;
	lmi_map pairs; /* "need\x1fexpert" indices -> 1 */
	char *keys;
} committed;

/* The working state of one lm_plan_compute(), freed by planning_free(). */
typedef struct planning {
	lm_catalog *cat;
	const lm_match_options *opts; /* &o */
	lm_match_options o;     /* the caller's, as the current version */
	size_t nn, ne;          /* needs, experts */
	lmi_scorer *sc;
	committed com;          /* the period's engagements */
	int *demand;            /* per need: experts it still lacks */
	int *cap;               /* per expert: capacity left in the period */
	int *load;              /* per expert: assignments in this plan */
	/* The solver's problem: one edge per feasible pair of an open need,
	 * in (need, expert) order; need i's edges are first[i]..first[i+1]. */
	size_t *first;          /* nn + 1 */
	lmi_flow_edge *edges;
	double *scores, *kms;   /* per edge: exact score and distance */
	size_t n_edges, cap_edges;
	uint8_t *chosen;        /* per edge: 1 when in the plan */
	/* Team needs (plan_team.c): the open ones are t = 0..n_team-1. */
	uint32_t *team_of;      /* per need: its t, or LM_NONE */
	uint32_t *team_need;    /* per t: the need */
	size_t n_team;
	lmi_team_need *tn;      /* per t */
	lmi_tp_team *tres;      /* per t: its team in the plan (m 0: none) */
	double *tprice;         /* per expert: the oracle's prices in points */
	double time_limit;      /* lm_plan_compute_limited's */
	lm_plan *p;             /* the result, handed over on success */
} planning;

/* plan.c.  Count an engagement of expert e (of garden ge) on a need of
 * garden gn (LM_NONE: none) in w->load and in the plan's gardens: an
 * engagement of ge, received by gn, and across gardens when they differ. */
void lmi_plan_count_engagement(planning *w, uint32_t e, uint32_t ge,
                               uint32_t gn);

/* plan_team.c.  Prepare the open team needs (w->team_of is set by
 * build_edges); solve the plan with them; record their teams (after the
 * pairs: totals, loads and gardens); say why team need i got no team;
 * free what they hold. */
int lmi_plan_teams_prepare(planning *w);
int lmi_plan_teams_solve(planning *w);
int lmi_plan_teams_record(planning *w);
int lmi_plan_team_explain(planning *w, uint32_t i, lm_unassigned *u);
void lmi_plan_teams_free(planning *w);

#endif /* LMI_PLAN_H */
