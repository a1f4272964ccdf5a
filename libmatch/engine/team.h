/* SPDX-License-Identifier: MIT */
/*
 * team.h -- the engine's team interface: one team need's candidates with
 * their credit per need skill, the SPEC.md team score, and exact pricing
 * (the best team under prices on its members, with experts forbidden or
 * forced in).  Ranking teams (lm_rank_teams), explaining one and the
 * planner's column generation all use it.  docs/scoring.md "Teams" states
 * the formula and the method.
 */
#ifndef LMI_TEAM_H
#define LMI_TEAM_H

#include "engine/score.h"

/* The most skills a team need may name: pricing works on the subsets of
 * its skills (plus a language and an "any skill" element), 2^12 at most. */
#define LMI_TEAM_MAX_SKILLS 10

/* One team need's candidates, prepared once per need and per scorer. */
typedef struct lmi_team_need {
	lmi_need_view nv;     /* the need (owned) */
	int team_max;         /* the need's team size T (1..8) */
	uint32_t n_cand;      /* experts that obey every PER-EXPERT hard rule
	                         (distance for onsite/hybrid, remote for
	                         remote/hybrid, conflicts, not retired) and can
	                         be needed in a team (they cover one of the
	                         need's skills at its minimum, or speak its
	                         language), sorted by distance fit descending,
	                         ties by id (index) */
	uint32_t *cand;       /* expert index of each candidate */
	double *dfit;         /* distance fit of each (1 for remote needs) */
	double *km;           /* distance of each */
	double *credit;       /* n_cand x nv.n_skills, row-major: the credit
	                         the candidate gives that skill, 0..1, exactly
	                         as the one-expert score computes it */
	uint8_t *covers;      /* n_cand x nv.n_skills: 1 when the candidate
	                         meets that skill's minimum (same "related"
	                         rule as for one expert); the joint rule asks
	                         it of every REQUIRED skill */
	uint8_t *speaks;      /* the need's language (1 when no language) */
	/* Private to team.c: the penalty, and scratch for lmi_team_best
	 * (so one lmi_team_need is used by one thread at a time). */
	double penalty;
	void *work;
} lmi_team_need;

/* Prepare stored need `need` (an index) for scorer sc.  LM_OK;
 * LM_ENOTFOUND; LM_EINVAL (the need's weights add up to 0, or a need of
 * team > 1 names more than LMI_TEAM_MAX_SKILLS skills); LM_ENOMEM.  The
 * message is in the catalogue's error.  On failure *out is zeroed. */
int lmi_team_need_prepare(lmi_scorer *sc, uint32_t need, lmi_team_need *out);
void lmi_team_need_free(lmi_team_need *tn);   /* zeroed/NULL safe */

/* A team: candidate positions (indices into tn->cand), sorted ascending. */
typedef struct lmi_team {
	uint32_t pos[LMI_TEAM_MAX];
	int m;
	double score;         /* the SPEC.md team score */
} lmi_team;

/* The team's score per SPEC.md "Teams" (S = weighted best-member credit,
 * D = min member dfit, minus team_penalty*(m-1)).  false when the team
 * breaks a joint rule (a required skill uncovered, nobody speaks the
 * language; for a need whose skills are all optional, none covered), or
 * m is not 1..LMI_TEAM_MAX.  For m == 1 the score is bit-identical to
 * lmi_score_fast.  pos need not be sorted; duplicates are not checked. */
bool lmi_team_score(const lmi_team_need *tn, const uint32_t *pos, int m,
                    double *score);

/* Exact pricing.  The feasible team of at most team_max members that
 * maximises score(T) - sum of price[cand[p]] over members, with
 * state[e] (indexed by EXPERT index, may be NULL): 0 free, 1 forbidden,
 * 2 forced in.  price may be NULL (all 0); prices must be >= 0 and
 * finite.  Every member that is not forced is needed (removing it would
 * lower the score or break a rule); a forced member may not be, since the
 * caller asked for it.  Deterministic ties: higher value (computed as
 * lmi_team_score minus the members' prices in position order), then
 * fewer members, then lexicographically smaller sorted member ids.
 * Returns false when no feasible team exists under state. */
bool lmi_team_best(const lmi_team_need *tn, const double *price,
                   const uint8_t *state, lmi_team *out);

#endif /* LMI_TEAM_H */
