/* SPDX-License-Identifier: MIT */
/*
 * yaml.h -- the YAML reader's one entry for the rest of libmatch: parse
 * files, folders or a buffer of profiles into an unresolved batch
 * catalogue (model/catalog.h), with every problem as a diagnostic at its
 * FILE:LINE:COLUMN.  Nothing here touches a database or the engine.
 * The reader's stages, one per file, are described in io/yaml_parse.h.
 */
#ifndef LMI_YAML_H
#define LMI_YAML_H

#include "model/catalog.h"

/* Parse YAML (yaml_files.c) into a batch.  Diagnostics go to err; returns
 * LM_OK, LM_EINPUT or LM_EIO.  The batch may hold partial records after a
 * failure and must then be freed, never merged. */
int lmi_yaml_parse_paths(lm_catalog *batch, const char *const *paths,
                        size_t npaths, lmi_err *err);
int lmi_yaml_parse_buffer(lm_catalog *batch, const char *name,
                         const char *data, size_t len, lmi_err *err);
/* Whether libyaml runs on a thread of its own (yaml_events.c): for files
 * of 1 MiB or more (AUTO, what the public functions do), never or always
 * (for tests, which compare them), or always in batches of three events
 * (TINY: every handing over between the threads happens in small
 * documents too). */
typedef enum lmi_yaml_threads {
	LM_YAML_THREADS_AUTO,
	LM_YAML_THREADS_NEVER,
	LM_YAML_THREADS_ALWAYS,
	LM_YAML_THREADS_TINY
} lmi_yaml_threads;
int lmi_yaml_parse_buffer_threads(lm_catalog *batch, const char *name,
                                 const char *data, size_t len, lmi_err *err,
                                 lmi_yaml_threads threads);


#endif /* LMI_YAML_H */
