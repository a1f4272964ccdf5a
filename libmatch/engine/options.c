/* SPDX-License-Identifier: MIT */
/*
 * options.c -- the versions of the options structs a caller fills in
 * (lm_match_options, lm_query, lm_suggest_options): their _init
 * functions, and the one normalisation every public entry point applies
 * (options.h).
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

static const size_t suggest_options_size[LM_SUGGEST_OPTIONS_VERSION + 1] = {
	[1] = sizeof(lm_suggest_options),
};

static const lm_match_options match_options_def = LM_MATCH_OPTIONS_INIT;
static const lm_query query_def = LM_QUERY_INIT;
static const lm_suggest_options suggest_options_def = LM_SUGGEST_OPTIONS_INIT;

/* What the structs share: `unsigned int version` first, then fields
 * only ever appended. */
typedef struct versions {
	const size_t *size;     /* bytes of each version, 1..current */
	unsigned current;
	const char *what;       /* the struct in messages */
	const void *def;        /* the defaults: size[current] bytes */
} versions;

static const versions match_options_v = {
	match_options_size, LM_MATCH_OPTIONS_VERSION, "match options",
	&match_options_def};
static const versions query_v = {
	query_size, LM_QUERY_VERSION, "query", &query_def};
static const versions suggest_options_v = {
	suggest_options_size, LM_SUGGEST_OPTIONS_VERSION, "suggest options",
	&suggest_options_def};

static bool known(const versions *v, unsigned version)
{
	return version >= 1 && version <= v->current;
}

/* The first `version` bytes of the defaults into the caller's struct of
 * that version: its struct may be shorter than the current one. */
static int init_as(const versions *v, void *dst, unsigned version)
{
	if (!dst || !known(v, version))
		return LM_EINVAL;
	memcpy(dst, v->def, v->size[version]);
	*(unsigned int *)dst = version;
	return LM_OK;
}

/* The caller's struct `in`, of its own version, over the defaults, into
 * `out` as the current version; `in` NULL: the defaults. */
static int norm_as(const versions *v, lmi_err *err, const void *in, void *out)
{
	memcpy(out, v->def, v->size[v->current]);
	if (!in)
		return LM_OK;
	unsigned version = *(const unsigned int *)in;
	if (!known(v, version))
		return lmi_err_set(err, LM_EINVAL, "%s version %u is not "
		                  "supported (this libmatch knows 1 to %u)",
		                  v->what, version, v->current);
	memcpy(out, in, v->size[version]);
	*(unsigned int *)out = v->current;
	return LM_OK;
}

int lm_match_options_init(lm_match_options *opts, unsigned int version)
{
	return init_as(&match_options_v, opts, version);
}

int lm_query_init(lm_query *query, unsigned int version)
{
	return init_as(&query_v, query, version);
}

int lmi_match_options_norm(lmi_err *err, const lm_match_options *in,
                          lm_match_options *out)
{
	return norm_as(&match_options_v, err, in, out);
}

int lmi_query_norm(lmi_err *err, const lm_query *in, lm_query *out)
{
	int rc = norm_as(&query_v, err, in, out);
	return in ? rc : lmi_err_set(err, LM_EINVAL, "no query given");
}

int lm_suggest_options_init(lm_suggest_options *opts, unsigned int version)
{
	return init_as(&suggest_options_v, opts, version);
}

int lmi_suggest_options_norm(lmi_err *err, const lm_suggest_options *in,
                            lm_suggest_options *out)
{
	return norm_as(&suggest_options_v, err, in, out);
}
