/* SPDX-License-Identifier: MIT */
/*
 * load.h -- the loader's one internal entry for the rest of libmatch:
 * YAML files and folders parsed into a new batch catalogue (load.c), for
 * lm_catalog_load_paths and the store's lm_db_load alike.
 */
#ifndef LMI_LOAD_H
#define LMI_LOAD_H

#include "model/catalog.h"

/* Parse `paths` (files or folders of YAML) into a new, unresolved batch
 * catalogue, all or nothing: on LM_OK *batch_out is the caller's, to merge
 * (lmi_catalog_merge) and free; on failure it is NULL and err holds the
 * message and diagnostics (LM_EINPUT, LM_EIO, LM_EINVAL); LM_ENOMEM may
 * come without a message, for the caller to word. */
int lmi_load_batch(const char *const *paths, size_t npaths,
                   lm_catalog **batch_out, lmi_err *err);

/* After a merge that succeeded: a note in `err` for each engagement of
 * the load (r.eng_new) whose pair breaks a hard rule today, naming the
 * rules (load_notes.c).  LM_OK, or LM_ENOMEM. */
int lmi_engagement_notes(lm_catalog *cat, lmi_err *err);

#endif /* LMI_LOAD_H */
