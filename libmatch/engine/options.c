/* SPDX-License-Identifier: MIT */
/*
 * options.c -- the versions of the options structs a caller fills in
 * (lm_match_options, lm_query): their _init functions, and the one
 * normalisation every public entry point applies (options.h).
 *
 * The rule (libmatch.h): fields are only ever appended, and a caller
 * compiled against version v sets .version = v.  So version v of a struct
 * is the prefix of the current one up to the first field of version
 * v + 1, and a struct of any version 1..current becomes a current one by
 * copying that prefix over the defaults.  Adding version 2 of
 * lm_match_options is: append its fields, give them defaults in
 * LM_MATCH_OPTIONS_INIT, bump LM_MATCH_OPTIONS_VERSION, and here set
 *     [1] = offsetof(lm_match_options, <its first new field>),
 *     [2] = sizeof(lm_match_options),
 * (offsetof, not the old sizeof: a new field may sit in the old struct's
 * tail padding, and the old caller's struct ends before it).
 */
#include "engine/options.h"

#include <string.h>

/* Bytes of each version that a caller of that version has. */
static const size_t match_options_size[LM_MATCH_OPTIONS_VERSION + 1] = {
	[1] = sizeof(lm_match_options),
};

static const size_t query_size[LM_QUERY_VERSION + 1] = {
	[1] = sizeof(lm_query),
};

static bool known(unsigned int version, unsigned int current)
{
	return version >= 1 && version <= current;
}

int lm_match_options_init(lm_match_options *opts, unsigned int version)
{
	const lm_match_options def = LM_MATCH_OPTIONS_INIT;
	if (!opts || !known(version, LM_MATCH_OPTIONS_VERSION))
		return LM_EINVAL;
	/* Only the caller's version's bytes: its struct may be shorter. */
	memcpy(opts, &def, match_options_size[version]);
	opts->version = version;
	return LM_OK;
}

int lm_query_init(lm_query *query, unsigned int version)
{
	const lm_query def = LM_QUERY_INIT;
	if (!query || !known(version, LM_QUERY_VERSION))
		return LM_EINVAL;
	memcpy(query, &def, query_size[version]);
	query->version = version;
	return LM_OK;
}

int lmi_match_options_norm(lmi_err *err, const lm_match_options *in,
                          lm_match_options *out)
{
	const lm_match_options def = LM_MATCH_OPTIONS_INIT;
	*out = def;
	if (!in)
		return LM_OK;
	if (!known(in->version, LM_MATCH_OPTIONS_VERSION))
		return lmi_err_set(err, LM_EINVAL, "match options version %u is "
		                  "not supported (this libmatch knows 1 to %d)",
		                  in->version, LM_MATCH_OPTIONS_VERSION);
	memcpy(out, in, match_options_size[in->version]);
	out->version = LM_MATCH_OPTIONS_VERSION;
	return LM_OK;
}

int lmi_query_norm(lmi_err *err, const lm_query *in, lm_query *out)
{
	const lm_query def = LM_QUERY_INIT;
	*out = def;
	if (!in)
		return lmi_err_set(err, LM_EINVAL, "no query given");
	if (!known(in->version, LM_QUERY_VERSION))
		return lmi_err_set(err, LM_EINVAL, "query version %u is not "
		                  "supported (this libmatch knows 1 to %d)",
		                  in->version, LM_QUERY_VERSION);
	memcpy(out, in, query_size[in->version]);
	out->version = LM_QUERY_VERSION;
	return LM_OK;
}
