/* SPDX-License-Identifier: MIT */
/*
 * options.h -- the caller's options structs (lm_match_options, lm_query,
 * lm_suggest_options) of any version this libmatch knows, turned into the current version
 * once, where a public call comes in (options.c).
 *
 * Every public entry point that takes such a struct passes it through
 * here and reads only the copy: a caller compiled against an older header
 * allocated a shorter struct, so nothing may read the caller's struct
 * past what its version has.
 */
#ifndef LMI_OPTIONS_H
#define LMI_OPTIONS_H

#include "model/util.h"

/* *out = *in as the current version, with the defaults (LM_..._INIT) for
 * the fields in's version lacks; NULL `in` gives the defaults.  LM_EINVAL,
 * with a message in `err` naming the version, for version 0 or one newer
 * than this libmatch. */
int lmi_match_options_norm(lmi_err *err, const lm_match_options *in,
                          lm_match_options *out);
/* The same for a query; a NULL query is LM_EINVAL ("no query given"). */
int lmi_query_norm(lmi_err *err, const lm_query *in, lm_query *out);
/* The same for lm_suggest's options (NULL: the defaults). */
int lmi_suggest_options_norm(lmi_err *err, const lm_suggest_options *in,
                            lm_suggest_options *out);

#endif /* LMI_OPTIONS_H */
