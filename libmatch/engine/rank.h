/* SPDX-License-Identifier: MIT */
/*
 * rank.h -- what rankings, explanations and plans offer the layers above
 * the engine: handing them a catalogue to free with them, renumbering
 * their experts (for the store, which ranks a catalogue of candidates
 * loaded from the engine image), and the data version a plan was made at
 * (for the store's commit).
 */
#ifndef LMI_RANK_H
#define LMI_RANK_H

#include "model/catalog.h"

/* Give ranking `r` catalogue `cat` to free with it (rank.c): for rankings
 * whose catalogue the caller never sees (lm_db_rank_need). */
void lmi_ranking_adopt(lm_ranking *r, lm_catalog *cat);
/* Give explanation `e` catalogue `cat` to free with it, and set its
 * match's expert index (explain.c). */
void lmi_explanation_adopt(lm_explanation *e, lm_catalog *cat,
                          size_t expert_index);
/* Replace each match's expert index i (< n) with map[i]. */
void lmi_ranking_remap(lm_ranking *r, const uint32_t *map, size_t n);

/* The data version of the catalogue the plan was made from (its
 * data_version when lm_plan_compute ran; plan.c): 0 when it was not read
 * from a database. */
uint64_t lmi_plan_data_version(const lm_plan *p);

#endif /* LMI_RANK_H */
