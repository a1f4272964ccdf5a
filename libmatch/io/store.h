/* SPDX-License-Identifier: MIT */
/*
 * store.h -- what the store (store.c) offers the rest of libmatch and its
 * tests beyond the public lm_db_* functions.
 */
#ifndef LMI_STORE_H
#define LMI_STORE_H

#include "model/catalog.h"

/* lm_db_rank_need (store.c) with a choice of path, for tests: AUTO is
 * lm_db_rank_need; IMAGE fails with LM_ERROR where it would read the rows;
 * ROWS always reads them. */
typedef enum lmi_rank_how { LM_RANK_AUTO, LM_RANK_IMAGE, LM_RANK_ROWS } lmi_rank_how;
int lmi_db_rank_need_how(lm_db *db, const char *need_id,
                        const lm_match_options *opts, lmi_rank_how how,
                        lm_ranking **out);
/* lm_db_rank_query and lm_db_explain (store.c) with a choice of path, as
 * lmi_db_rank_need_how. */
int lmi_db_rank_query_how(lm_db *db, const lm_query *query,
                         const lm_match_options *opts, lmi_rank_how how,
                         lm_ranking **out);
int lmi_db_explain_how(lm_db *db, const char *need_id, const char *expert_id,
                      const lm_match_options *opts, lmi_rank_how how,
                      lm_explanation **out);

#endif /* LMI_STORE_H */
