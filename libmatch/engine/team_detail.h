/* SPDX-License-Identifier: MIT */
/*
 * team_detail.h -- one team described in full (team_explain.c), the rows
 * lm_team_explain and lm_rank_teams hand out.
 */
#ifndef LMI_TEAM_DETAIL_H
#define LMI_TEAM_DETAIL_H

#include "engine/score.h"

typedef struct lmi_team_detail {
	const lm_catalog *cat;
	bool feasible;
	lm_team team;
	lm_team_member members[LMI_TEAM_MAX]; /* in the order given */
	int m;
	lm_team_skill *skills;  /* one per need skill; owned */
	size_t n_skills;
	char **reasons;         /* every broken rule; owned */
	size_t n_reasons;
} lmi_team_detail;

/* Describe the team of experts[0..m) for the view: each member through
 * lmi_score_full, the score with the arithmetic of lmi_team_score (so
 * the same bits), every broken rule.  LM_OK; LM_EINVAL (m not 1..8);
 * LM_ENOMEM (message in the catalogue's error, *d zeroed).  Free with
 * lmi_team_detail_free. */
int lmi_team_detail_build(lmi_scorer *sc, const lmi_need_view *nv,
                          int team_max, double penalty,
                          const uint32_t *experts, int m,
                          lmi_team_detail *d);
void lmi_team_detail_free(lmi_team_detail *d);

#endif /* LMI_TEAM_DETAIL_H */
