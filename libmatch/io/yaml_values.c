/* SPDX-License-Identifier: MIT */
/*
 * yaml_values.c -- one value of a record, checked and converted
 * (io/yaml_parse.h): text copied into the batch's arena, references with
 * their position, numbers parsed whole in the "C" locale and held to
 * their range, whole numbers and booleans; and unknown keys, reported
 * with the known key they were likely meant to be.  A bad value is
 * reported at its node; the caller decides what is left out.
 */
#include "io/yaml_parse.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

lmi_pos lmi_yaml_node_pos(const yctx *c, const node *nd)
{
	lmi_pos p = {c->file, nd->e.line, nd->e.col};
	return p;
}


/* ---- scalar conversions ------------------------------------------------- */

bool lmi_yaml_is_null(const node *nd)
{
	const char *v = nd->e.val;
	return nd->e.type == EV_SCALAR && nd->e.plain &&
	       (!*v || !strcmp(v, "~") || !strcmp(v, "null") ||
	        !strcmp(v, "Null") || !strcmp(v, "NULL"));
}

/* "expected ..., got X" at the node. */
void lmi_yaml_expected(yctx *c, const node *nd, const char *what,
                       const char *key)
{
	const char *sep = key ? " for '" : "";
	const char *end = key ? "'" : "";
	if (!key)
		key = "";
	if (nd->e.type == EV_SEQ)
		lmi_yaml_diag(c, nd->e.line, nd->e.col,
		              "expected %s%s%s%s, got a list",
		              what, sep, key, end);
	else if (nd->e.type == EV_MAP)
		lmi_yaml_diag(c, nd->e.line, nd->e.col,
		              "expected %s%s%s%s, got a mapping",
		              what, sep, key, end);
	else if (lmi_yaml_is_null(nd))
		lmi_yaml_diag(c, nd->e.line, nd->e.col,
		              "expected %s%s%s%s, got nothing",
		              what, sep, key, end);
	else
		lmi_yaml_diag(c, nd->e.line, nd->e.col,
		              "expected %s%s%s%s, got '%.*s%s'",
		              what, sep, key, end, SHOWN(nd));
}

/* The length of a one-line value: a block scalar (`title: >`) ends with
 * the line break its chomping keeps, which is not part of the line and
 * is dropped (as `>-` would); any other line break stays, and is
 * refused. */
static size_t line_len(const node *nd)
{
	size_t len = nd->e.len;
	if (nd->e.block)
		while (len > 0 && nd->e.val[len - 1] == '\n')
			len--;
	return len;
}

/* A text value copied into the batch's arena: non-empty, no control
 * characters (C0 or DEL) but, in a free text (`text`, at most `max`
 * bytes), newlines; anything else, quotes and bidi marks included, is
 * kept verbatim.  A block scalar of a one-line value loses its final
 * line break (line_len). */
static bool get_string(yctx *c, const node *nd, const char *key, bool text,
                       size_t max, const char **out)
{
	if (nd->e.bad)
		return false;
	size_t len = text ? nd->e.len : line_len(nd);
	if (nd->e.type != EV_SCALAR || lmi_yaml_is_null(nd) || len == 0) {
		if (nd->e.type == EV_SCALAR && len == 0 && !nd->e.plain)
			lmi_yaml_diag(c, nd->e.line, nd->e.col, "'%s' is empty",
			              key);
		else
			lmi_yaml_expected(c, nd, "a string", key);
		return false;
	}
	/* Ids are keys in exported flow mappings, which YAML limits to 1024
	 * characters; 256 bytes (at most 512 characters once escaped) keeps
	 * every export loadable, and C1 controls have no place in an id. */
	bool is_id = !strcmp(key, "id");
	if (is_id && len > LM_ID_MAX) {
		lmi_yaml_diag(c, nd->e.line, nd->e.col,
		              "id is %zu bytes; the limit is %d", len,
		              LM_ID_MAX);
		return false;
	}
	if (text && nd->e.len > max) {
		lmi_yaml_diag(c, nd->e.line, nd->e.col,
		              "%s is %zu bytes; the limit is %zu", key,
		              nd->e.len, max);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)nd->e.val[i];
		if (is_id && ch == 0xc2 && i + 1 < len &&
		    (unsigned char)nd->e.val[i + 1] >= 0x80 &&
		    (unsigned char)nd->e.val[i + 1] <= 0x9f) {
			lmi_yaml_diag(c, nd->e.line, nd->e.col,
			              "'%s' contains a control character "
			              "(U+%04X)", key,
			              (unsigned char)nd->e.val[i + 1]);
			return false;
		}
		if (ch == '\n' && !text && nd->e.block) {
			lmi_yaml_diag(c, nd->e.line, nd->e.col,
			              "'%s' is one line, but this block keeps a "
			              "line break inside it (fold it into one "
			              "line with > or >-)", key);
			return false;
		}
		if ((ch < 0x20 && !(text && ch == '\n')) || ch == 0x7f) {
			lmi_yaml_diag(c, nd->e.line, nd->e.col,
			              "'%s' contains a control character "
			              "(U+%04X)", key, (unsigned)ch);
			return false;
		}
	}
	*out = lmi_arena_strndup(&c->b->arena, nd->e.val, len);
	if (!*out) {
		c->nomem = true;
		return false;
	}
	return true;
}

bool lmi_yaml_get_str(yctx *c, const node *nd, const char *key,
                      const char **out)
{
	return get_string(c, nd, key, false, 0, out);
}

bool lmi_yaml_get_text(yctx *c, const node *nd, const char *key, size_t max,
                       const char **out)
{
	return get_string(c, nd, key, true, max, out);
}

bool lmi_yaml_get_ref(yctx *c, const node *nd, const char *key, lmi_ref *out)
{
	if (!lmi_yaml_get_str(c, nd, key, &out->id))
		return false;
	out->pos = lmi_yaml_node_pos(c, nd);
	return true;
}

/* Step *i over an optional sign at s[*i]. */
static void skip_sign(const char *s, size_t len, size_t *i)
{
	if (*i < len && (s[*i] == '+' || s[*i] == '-'))
		(*i)++;
}

/* Step *i over the decimal digits at s[*i]; how many there were. */
static size_t skip_digits(const char *s, size_t len, size_t *i)
{
	size_t n = 0;
	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		(*i)++;
		n++;
	}
	return n;
}

/* Decimal number syntax: [+-] digits [. digits] [e [+-] digits], with at
 * least one digit before the exponent.  Rules out hex, nan, inf, "". */
static bool number_syntax(const char *s, size_t len)
{
	size_t i = 0, digits;
	skip_sign(s, len, &i);
	digits = skip_digits(s, len, &i);
	if (i < len && s[i] == '.') {
		i++;
		digits += skip_digits(s, len, &i);
	}
	if (!digits)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		skip_sign(s, len, &i);
		if (!skip_digits(s, len, &i))
			return false;
	}
	return i == len;
}

/* A number from a plain scalar, parsed in the "C" locale whatever the
 * caller's locale is.  `label` names it in range messages ("latitude"). */
bool lmi_yaml_get_num(yctx *c, const node *nd, const char *key,
                      const char *label, const range *r, double *out)
{
	if (nd->e.bad)
		return false;
	if (nd->e.type != EV_SCALAR || !number_syntax(nd->e.val, nd->e.len)) {
		lmi_yaml_expected(c, nd, "a number", key);
		return false;
	}
	if (!nd->e.plain) {
		lmi_yaml_diag(c, nd->e.line, nd->e.col,
		              "expected a number for '%s', got the quoted "
		              "string '%.*s%s'", key, SHOWN(nd));
		return false;
	}
	locale_t old = uselocale(c->cloc);
	char *end = NULL;
	errno = 0;
	double v = strtod(nd->e.val, &end);
	int e = errno;
	uselocale(old);
	if (end != nd->e.val + nd->e.len || e == ERANGE || !isfinite(v)) {
		lmi_yaml_diag(c, nd->e.line, nd->e.col,
		              "%s %.*s%s is out of range", label, SHOWN(nd));
		return false;
	}
	if (r && ((r->lo_open ? !(v > r->lo) : !(v >= r->lo)) ||
	          !(v <= r->hi))) {
		if (r->lo_open)
			lmi_yaml_diag(c, nd->e.line, nd->e.col,
			              "%s %.*s%s must be more than %g and at "
			              "most %g", label, SHOWN(nd), r->lo,
			              r->hi);
		else
			lmi_yaml_diag(c, nd->e.line, nd->e.col,
			              "%s %.*s%s is outside %g..%g", label,
			              SHOWN(nd), r->lo, r->hi);
		return false;
	}
	*out = v;
	return true;
}

/* A whole number (3 and 3.0 both are) within [lo, hi]. */
bool lmi_yaml_get_int(yctx *c, const node *nd, const char *key,
                      const char *label, int lo, int hi, int *out)
{
	double v;
	if (!lmi_yaml_get_num(c, nd, key, label, NULL, &v))
		return false;
	if (v != floor(v)) {
		lmi_yaml_diag(c, nd->e.line, nd->e.col,
		              "%s %.*s%s is not a whole number", label,
		              SHOWN(nd));
		return false;
	}
	if (v < lo || v > hi) {
		lmi_yaml_diag(c, nd->e.line, nd->e.col,
		              "%s %.*s%s is outside %d..%d", label, SHOWN(nd),
		              lo, hi);
		return false;
	}
	*out = (int)v;
	return true;
}

bool lmi_yaml_get_bool(yctx *c, const node *nd, const char *key, bool *out)
{
	static const char *const yes[] = {"true", "True", "TRUE"};
	static const char *const no[] = {"false", "False", "FALSE"};
	if (nd->e.bad)
		return false;
	if (nd->e.type == EV_SCALAR && nd->e.plain) {
		for (int i = 0; i < 3; i++) {
			if (!strcmp(nd->e.val, yes[i])) {
				*out = true;
				return true;
			}
			if (!strcmp(nd->e.val, no[i])) {
				*out = false;
				return true;
			}
		}
	}
	lmi_yaml_expected(c, nd, "true or false", key);
	return false;
}

/* ---- "did you mean" ---------------------------------------------------- */

/* The candidate closest to key, if close enough to be a likely typo. */
static const char *suggest(const char *key, size_t klen,
                           const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX, dist;
	char low[SHOW_MAX];

	/* Keys are ASCII lower case; a key typed in capitals is a typo too. */
	if (klen > SHOW_MAX)
		return NULL;
	for (size_t i = 0; i < klen; i++)
		low[i] = key[i] >= 'A' && key[i] <= 'Z' ? (char)(key[i] - 'A' + 'a')
		                                        : key[i];
	for (size_t i = 0; i < n; i++)
		if (lmi_is_typo(low, klen, cands[i], strlen(cands[i]), &dist) &&
		    dist < bestd) {
			best = cands[i];
			bestd = dist;
		}
	return best;
}

void lmi_yaml_unknown_key(yctx *c, const node *k, const char *where,
                          const char *const *keys, size_t nkeys)
{
	const char *s = suggest(k->e.val, k->e.len, keys, nkeys);
	if (s)
		lmi_yaml_diag(c, k->e.line, k->e.col,
		              "unknown key '%.*s%s' in %s (did you mean '%s'?)",
		              SHOWN(k), where, s);
	else
		lmi_yaml_diag(c, k->e.line, k->e.col,
		              "unknown key '%.*s%s' in %s", SHOWN(k), where);
}

