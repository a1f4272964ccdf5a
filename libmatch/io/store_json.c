/* SPDX-License-Identifier: MIT */
/*
 * store_json.c -- the JSON lists of an expert's row (schemas 3 and 4,
 * store_schema.h) in the compact form libmatch writes: its skills as an
 * object of canonical id -> level, its languages as an array of strings,
 * its availability as an object of quarter -> capacity.
 * A load writes them (store_vtab.c); a read parses them (store_read.c).
 *
 * The form is objects and arrays of strings with only \" and \\ escaped,
 * whole numbers without a leading zero, any JSON white space.  Parsing just that is
 * several times faster than SQLite's json_each() at 100,000 experts;
 * anything else (edited by hand) is left to json_each() by the reader,
 * which checks it.
 */
#include "io/store.h"
#include "model/period.h"

#include <stdio.h>
#include <string.h>

/* ---- reading ------------------------------------------------------------- */

typedef struct json_in {
	const char *p, *end;
} json_in;

static void json_ws(json_in *in)
{
	while (in->p < in->end && (*in->p == ' ' || *in->p == '\t' ||
	                           *in->p == '\n' || *in->p == '\r'))
		in->p++;
}

/* Past white space and then c, if c is there. */
static bool json_at(json_in *in, char c)
{
	json_ws(in);
	if (in->p < in->end && *in->p == c) {
		in->p++;
		return true;
	}
	return false;
}

/* A string of the compact form into *out (NUL-terminated); false for
 * anything else: another escape, a control character, no end. */
static bool json_str(json_in *in, lmi_buf *out)
{
	out->n = 0;
	lmi_buf_put(out, "", 0);
	if (!json_at(in, '"'))
		return false;
	for (const char *run = in->p; in->p < in->end; in->p++) {
		unsigned char ch = (unsigned char)*in->p;
		if (ch == '"' || ch == '\\') {
			lmi_buf_put(out, run, (size_t)(in->p - run));
			if (ch == '"') {
				in->p++;
				return !out->oom;
			}
			if (++in->p == in->end ||
			    (*in->p != '"' && *in->p != '\\'))
				return false;
			run = in->p; /* the escaped character starts the next run */
		} else if (ch < 0x20) {
			return false;
		}
	}
	return false;
}

/* A whole number in lo..hi written as libmatch writes it: digits, no
 * leading zero, at most four of them. */
static bool json_count(json_in *in, int lo, int hi, int *out)
{
	int v = 0, n = 0;
	while (in->p < in->end && *in->p >= '0' && *in->p <= '9') {
		if (++n > 4 || (n == 2 && v == 0))
			return false;
		v = v * 10 + (*in->p++ - '0');
	}
	*out = v;
	return n > 0 && v >= lo && v <= hi;
}

bool lmi_json_list_fast(const char *text, size_t len, bool object, int lo,
                        int hi, lmi_buf *scratch, lmi_json_entry_fn entry,
                        void *ctx, int *rc)
{
	json_in in = {text, text + len};
	char open = object ? '{' : '[', close = object ? '}' : ']';
	if (!json_at(&in, open))
		return false;
	for (bool first = true; !json_at(&in, close); first = false) {
		if ((!first && !json_at(&in, ',')) || !json_str(&in, scratch))
			return false;
		int value = 0;
		if (object && (!json_at(&in, ':') ||
		               !json_count(&in, lo, hi, &value)))
			return false;
		if ((*rc = entry(ctx, scratch->v, scratch->n, value)))
			return true;
	}
	json_ws(&in);
	return in.p == in.end;
}

/* ---- writing ------------------------------------------------------------- */

/* A JSON string: quotes, backslashes and control characters escaped, the
 * rest (valid UTF-8, no NUL: the loader checked) as it is. */
static void json_string(lmi_buf *j, const char *s)
{
	lmi_buf_put(j, "\"", 1);
	for (const char *run = s;; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		lmi_buf_put(j, run, (size_t)(s - run));
		if (!ch)
			break;
		char esc[8];
		if (ch == '"' || ch == '\\')
			snprintf(esc, sizeof esc, "\\%c", ch);
		else
			snprintf(esc, sizeof esc, "\\u%04x", ch);
		lmi_buf_put(j, esc, strlen(esc));
		run = s + 1;
	}
	lmi_buf_put(j, "\"", 1);
}
/* "key":v of an object, after a comma unless it is the first. */
static void json_member(lmi_buf *j, bool first, const char *key, unsigned v)
{
	/* Levels are 1..5 (checked by the loader and the reader): one
	 * digit, without printf, for the 650,000 of a national load. */
	char num[16] = {':', (char)('0' + v)};
	size_t len = 2;
	if (v > 9)
		len = (size_t)snprintf(num, sizeof num, ":%u", v);
	if (!first)
		lmi_buf_put(j, ",", 1);
	json_string(j, key);
	lmi_buf_put(j, num, len);
}

/* The resolved list is in skill index order, which is id order (skills
 * are sorted by id), the order schema 3 keeps. */
int lmi_json_expert_skills(lmi_buf *j, const lm_catalog *c, uint32_t i)
{
	const lmi_resolved *r = &c->r;
	uint32_t k0 = r->expert_skill_off[i];
	j->n = 0;
	lmi_buf_put(j, "{", 1);
	for (uint32_t k = k0; k < r->expert_skill_off[i + 1]; k++)
		json_member(j, k == k0,
		            lmi_catalog_id(c, LM_SKILL, r->expert_skill[k]),
		            r->expert_level[k]);
	lmi_buf_put(j, "}", 1);
	return j->oom ? LM_ENOMEM : LM_OK;
}

/* The resolved list is in quarter order, the order schema 4 keeps. */
int lmi_json_expert_availability(lmi_buf *j, const lm_catalog *c, uint32_t i)
{
	const lmi_resolved *r = &c->r;
	uint32_t k0 = r->expert_avail_off[i];
	j->n = 0;
	lmi_buf_put(j, "{", 1);
	for (uint32_t k = k0; k < r->expert_avail_off[i + 1]; k++) {
		char q[LMI_PERIOD_SIZE];
		lmi_period_format(r->expert_avail_period[k], q);
		json_member(j, k == k0, q, (unsigned)r->expert_avail_cap[k]);
	}
	lmi_buf_put(j, "}", 1);
	return j->oom ? LM_ENOMEM : LM_OK;
}

int lmi_json_strings(lmi_buf *j, const char *const *v, uint32_t n)
{
	j->n = 0;
	lmi_buf_put(j, "[", 1);
	for (uint32_t k = 0; k < n; k++) {
		if (k)
			lmi_buf_put(j, ",", 1);
		json_string(j, v[k]);
	}
	lmi_buf_put(j, "]", 1);
	return j->oom ? LM_ENOMEM : LM_OK;
}
