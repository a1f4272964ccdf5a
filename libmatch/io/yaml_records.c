/* SPDX-License-Identifier: MIT */
/*
 * yaml_records.c -- the records of a YAML document (io/yaml_parse.h):
 * the top-level mapping of record lists and `settings` is walked as a
 * stream of events; each record (one item of a list) is gathered into a
 * tree (yaml_events.c), checked key by key with yaml_values.c, and added
 * to the batch.  A bad record is reported and left out; parsing goes on,
 * so that every problem of a file is reported.
 *
 * One reader serves every kind: it walks the kind's field table
 * (model/fields.h), which names the keys, which of them are required,
 * and the type, range and noun of each value; a value is read by its
 * type.  References (dangling ids, duplicates, cycles) are not checked
 * here: lmi_catalog_merge() does that across all files of a load.
 */
#include "io/yaml_parse.h"
#include "model/fields.h"
#include "model/period.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- mappings with fixed keys --------------------------------------------- */

#define N(i) (&c->t.v[(i)])

/* The id of a record for messages, if its `id` value is a usable scalar
 * (not copied; valid while the tree is). */
static const char *peek_id(const yctx *c, size_t v)
{
	if (!v)
		return NULL;
	const node *nd = &c->t.v[v];
	if (nd->e.type != EV_SCALAR || nd->e.bad || nd->e.len == 0)
		return NULL;
	return nd->e.val;
}

/* The index of key node kn among keys[0..n) of a mapping (named `where`
 * in messages) in which val[i] is not 0 for a key already given; SIZE_MAX
 * after reporting a bad, complex, unknown or repeated key. */
static size_t match_key(yctx *c, const node *kn, const char *const *keys,
                        size_t n, const char *where, const size_t *val)
{
	if (kn->e.bad)
		return SIZE_MAX;
	if (kn->e.type != EV_SCALAR) {
		lmi_yaml_expected(c, kn, "a key name", NULL);
		return SIZE_MAX;
	}
	size_t f = 0;
	while (f < n && strcmp(kn->e.val, keys[f]))
		f++;
	if (f == n) {
		lmi_yaml_unknown_key(c, kn, where, keys, n);
		return SIZE_MAX;
	}
	if (val[f]) {
		lmi_yaml_diag(c, kn->e.line, kn->e.col, "duplicate key '%s'",
		              keys[f]);
		return SIZE_MAX;
	}
	return f;
}

/*
 * Check that node `at` is a mapping whose keys are fields of `kd` with no
 * duplicates, and that every required field is present.  val[f] receives
 * the node index of field f's value (0 when absent; 0 is the record's
 * root, never a value).  `noun` and `id` (may be NULL) name the owner in
 * messages.  Returns false after reporting.
 */
static bool scan_fields(yctx *c, size_t at, const char *noun, const char *id,
                        const lmi_kind_desc *kd, size_t *val)
{
	const tree *t = &c->t;
	const node *m = &t->v[at];
	const lmi_field *fl = kd->fields;
	size_t nkeys = kd->n_fields;
	const char *keys[LMI_FIELDS_MAX];
	bool ok = true;

	memset(val, 0, nkeys * sizeof(*val));
	if (m->e.type != EV_MAP) {
		char what[64];
		snprintf(what, sizeof(what), "a mapping for %s", noun);
		if (!m->e.bad)
			lmi_yaml_expected(c, m, what, NULL);
		return false;
	}
	for (size_t i = 0; i < nkeys; i++)
		keys[i] = fl[i].key;
	for (size_t k = at + 1; k < m->end; k = t->v[t->v[k].end].end) {
		const node *kn = &t->v[k];
		size_t f = match_key(c, kn, keys, nkeys, noun, val);
		if (f == SIZE_MAX)
			ok = false;
		else
			val[f] = kn->end;
	}
	if (!id && nkeys > 0 && !strcmp(fl[0].key, "id"))
		id = peek_id(c, val[0]);
	for (size_t f = 0; f < nkeys; f++) {
		const lmi_field *alt = fl[f].alt ? lmi_field_find(kd, fl[f].alt)
		                                 : NULL;
		size_t a = alt ? (size_t)(alt - fl) : 0;
		/* Two keys for one thing: the one that is not required says
		 * so when both are given. */
		if (alt && val[f] && val[a] && !(fl[f].flags & LMI_F_REQUIRED)) {
			const node *v = &t->v[val[f]];
			lmi_yaml_diag(c, v->e.line, v->e.col, "%s: give '%s' or "
			              "'%s', not both", noun, alt->key, fl[f].key);
			ok = false;
		}
		if (!(fl[f].flags & LMI_F_REQUIRED) || val[f] || (alt && val[a]))
			continue;
		if (id)
			lmi_yaml_diag(c, m->e.line, m->e.col,
			              "%s '%.*s%s': missing required key '%s'",
			              noun, SHOW(id, strlen(id)), fl[f].key);
		else
			lmi_yaml_diag(c, m->e.line, m->e.col,
			              "%s: missing required key '%s'", noun,
			              fl[f].key);
		ok = false;
	}
	return ok;
}

/* Number of items of a sequence, or of pairs of a mapping. */
static size_t child_count(const tree *t, size_t at)
{
	size_t n = 0;
	for (size_t i = at + 1; i < t->v[at].end; i = t->v[i].end)
		n++;
	return t->v[at].e.type == EV_MAP ? n / 2 : n;
}

/* Report every key of mapping `at` that repeats an earlier one. */
static bool keys_unique(yctx *c, size_t at)
{
	const tree *t = &c->t;
	lmi_map seen = {0};
	bool ok = true, small = child_count(t, at) <= 16;

	for (size_t k = at + 1; k < t->v[at].end; k = t->v[t->v[k].end].end) {
		const node *kn = &t->v[k];
		bool dup = false;
		if (kn->e.type != EV_SCALAR || kn->e.bad)
			continue;
		if (small) {
			for (size_t j = at + 1; j < k; j = t->v[t->v[j].end].end)
				if (t->v[j].e.type == EV_SCALAR &&
				    !strcmp(t->v[j].e.val, kn->e.val))
					dup = true;
		} else if (lmi_map_get(&seen, kn->e.val, NULL)) {
			dup = true;
		} else if (lmi_map_put(&seen, kn->e.val, 0) != LM_OK) {
			c->nomem = true;
			ok = false;
			break;
		}
		if (dup) {
			lmi_yaml_diag(c, kn->e.line, kn->e.col,
			              "duplicate key '%.*s%s'", SHOWN(kn));
			ok = false;
		}
	}
	lmi_map_free(&seen);
	return ok;
}

/* ---- values by type ---------------------------------------------------------- */

static bool read_fields(yctx *c, const lmi_kind_desc *kd, const char *noun,
                        const char *id, size_t at, void *rec);

/* A sequence of strings; a missing or null value is an empty list. */
static bool get_str_list(yctx *c, size_t at, const char *key,
                         const char ***strs, lmi_pos **pos, uint32_t *n)
{
	const node *s = N(at);
	bool ok = true;
	*strs = NULL;
	*n = 0;
	if (pos)
		*pos = NULL;
	if (lmi_yaml_is_null(s))
		return true;
	if (s->e.type != EV_SEQ) {
		if (!s->e.bad)
			lmi_yaml_expected(c, s, "a list", key);
		return false;
	}
	size_t cnt = child_count(&c->t, at);
	if (!cnt)
		return true;
	*strs = lmi_arena_alloc(&c->b->arena, cnt * sizeof(**strs));
	if (pos)
		*pos = lmi_arena_alloc(&c->b->arena, cnt * sizeof(**pos));
	if (!*strs || (pos && !*pos)) {
		c->nomem = true;
		return false;
	}
	size_t j = 0;
	for (size_t i = at + 1; i < s->end; i = N(i)->end, j++) {
		if (!lmi_yaml_get_str(c, N(i), key, &(*strs)[j]))
			ok = false;
		else if (pos)
			(*pos)[j] = lmi_yaml_node_pos(c, N(i));
	}
	*n = (uint32_t)cnt;
	return ok;
}

/* A sequence of references (ids or names). */
static bool get_ref_list(yctx *c, size_t at, const char *key, lmi_ref **out,
                         uint32_t *nout)
{
	const char **ids;
	lmi_pos *pos;
	uint32_t n;
	*out = NULL;
	*nout = 0;
	if (!get_str_list(c, at, key, &ids, &pos, &n))
		return false;
	if (!n)
		return true;
	*out = lmi_arena_alloc(&c->b->arena, n * sizeof(**out));
	if (!*out) {
		c->nomem = true;
		return false;
	}
	for (uint32_t i = 0; i < n; i++) {
		(*out)[i].id = ids[i];
		(*out)[i].pos = pos[i];
	}
	*nout = n;
	return true;
}

/* The skills mapping of an expert (short form only) or of a need (`long`:
 * short `skill: level` or long `skill: {level, weight, optional}`). */
static bool get_levels(yctx *c, size_t at, bool long_form, const char *noun,
                       const char *id, lmi_level_rec **out, uint32_t *nout)
{
	const node *m = N(at);
	*out = NULL;
	*nout = 0;
	if (m->e.type != EV_MAP) {
		if (!m->e.bad)
			lmi_yaml_expected(c, m, "a mapping of skill: level",
			                  "skills");
		return false;
	}
	size_t cnt = child_count(&c->t, at);
	if (!cnt) {
		if (id)
			lmi_yaml_diag(c, m->e.line, m->e.col, "%s '%.*s%s': "
			              "'skills' must name at least one skill",
			              noun, SHOW(id, strlen(id)));
		else
			lmi_yaml_diag(c, m->e.line, m->e.col, "%s: 'skills' "
			              "must name at least one skill", noun);
		return false;
	}
	bool ok = keys_unique(c, at);
	lmi_level_rec *lv = lmi_arena_alloc(&c->b->arena, cnt * sizeof(*lv));
	if (!lv) {
		c->nomem = true;
		return false;
	}
	size_t j = 0;
	for (size_t k = at + 1; k < m->end; k = N(N(k)->end)->end, j++) {
		const node *kn = N(k);
		size_t vi = kn->end;
		const node *vn = N(vi);
		lmi_level_rec *l = &lv[j];
		lmi_record_init(&lmi_level_desc, l);
		if (!lmi_yaml_get_ref(c, kn, "skill", &l->skill)) {
			ok = false;
			continue;
		}
		if (long_form && vn->e.type == EV_MAP) {
			if (!read_fields(c, &lmi_level_desc, lmi_level_desc.noun,
			                 l->skill.id, vi, l))
				ok = false;
		} else if (vn->e.type == EV_SCALAR) {
			if (!lmi_yaml_get_int(c, vn, l->skill.id, "level", 1, 5,
			                      &l->level))
				ok = false;
			l->level_pos = lmi_yaml_node_pos(c, vn);
		} else {
			lmi_yaml_expected(c, vn, long_form
			                  ? "a level or {level, weight, optional}"
			                  : "a level 1..5", l->skill.id);
			ok = false;
		}
	}
	*out = lv;
	*nout = (uint32_t)cnt;
	return ok;
}

/* A mapping of quarter (in any case) -> capacity, kept in quarter order
 * and as libmatch writes quarters; two keys that name one quarter are
 * the same key twice.  A null value is no mapping. */
static bool get_avail(yctx *c, const lmi_field *f, size_t at,
                      lmi_availability_rec **out, uint32_t *nout)
{
	const node *m = N(at);
	*out = NULL;
	*nout = 0;
	if (lmi_yaml_is_null(m))
		return true;
	if (m->e.type != EV_MAP) {
		if (!m->e.bad)
			lmi_yaml_expected(c, m, "a mapping of quarter: capacity",
			                  f->key);
		return false;
	}
	size_t cnt = child_count(&c->t, at);
	if (!cnt)
		return true;
	lmi_availability_rec *av = lmi_arena_alloc(&c->b->arena,
	                                           cnt * sizeof(*av));
	uint32_t *q = lmi_reallocarray(NULL, cnt, sizeof(*q));
	if (!av || !q) {
		free(q);
		c->nomem = true;
		return false;
	}
	bool ok = true;
	size_t n = 0;
	for (size_t k = at + 1; k < m->end; k = N(N(k)->end)->end) {
		const node *kn = N(k);
		const char *p;
		uint32_t qk;
		if (!lmi_yaml_get_str(c, kn, f->key, &p)) {
			ok = false;
			continue;
		}
		if (!lmi_period_parse(p, kn->e.len, &qk)) {
			lmi_yaml_diag(c, kn->e.line, kn->e.col, "%s: '%.*s%s' is "
			              "not a quarter YYYY-QN (e.g. 2026-Q4)",
			              f->key, SHOWN(kn));
			ok = false;
			continue;
		}
		/* Sorted as they come: a handful each. */
		size_t j = n;
		while (j && q[j - 1] > qk)
			j--;
		if (j && q[j - 1] == qk) {
			lmi_yaml_diag(c, kn->e.line, kn->e.col, "duplicate key "
			              "'%.*s%s' (quarter %s, given at %u:%u)",
			              SHOWN(kn), av[j - 1].period,
			              av[j - 1].pos.line, av[j - 1].pos.col);
			ok = false;
			continue;
		}
		memmove(&q[j + 1], &q[j], (n - j) * sizeof(*q));
		memmove(&av[j + 1], &av[j], (n - j) * sizeof(*av));
		q[j] = qk;
		lmi_availability_rec *a = &av[j];
		char canon[LMI_PERIOD_SIZE];
		lmi_period_format(qk, canon);
		memcpy((char *)p, canon, sizeof(canon));
		a->period = p;
		a->pos = lmi_yaml_node_pos(c, kn);
		a->capacity = 0;
		n++;
		if (!lmi_yaml_get_int(c, N(kn->end), a->period, f->noun,
		                      (int)f->lo, (int)f->hi, &a->capacity))
			ok = false;
	}
	free(q);
	*out = av;
	*nout = (uint32_t)n;
	return ok;
}

/* A place (an id or name) or {lat, lon}. */
static bool get_loc(yctx *c, const lmi_field *f, const char *id, size_t at,
                    void *rec)
{
	const node *nd = N(at);
	if (nd->e.type == EV_MAP) {
		lmi_coords xy = {0, 0};
		*LMI_AT(bool, rec, f->off_coords) = true;
		bool ok = read_fields(c, &lmi_coords_desc, f->key, id, at, &xy);
		*LMI_AT(double, rec, f->off_lat) = xy.lat;
		*LMI_AT(double, rec, f->off_lon) = xy.lon;
		return ok;
	}
	if (nd->e.type == EV_SCALAR && !lmi_yaml_is_null(nd))
		return lmi_yaml_get_ref(c, nd, f->key,
		                        LMI_AT(lmi_ref, rec, f->off));
	lmi_yaml_expected(c, nd, "a place or {lat, lon}", f->key);
	return false;
}

/* One of the names of an ENUM field, in any case. */
static bool get_enum(yctx *c, const lmi_field *f, const node *nd, int *out)
{
	const char *s;
	if (!lmi_yaml_get_str(c, nd, f->key, &s))
		return false;
	for (size_t i = 0; i < f->n_names; i++) {
		if (!strcasecmp(s, f->names[i])) {
			*out = (int)i;
			return true;
		}
	}
	lmi_buf all = {0};
	for (size_t i = 0; i < f->n_names; i++)
		lmi_buf_printf(&all, "%s%s", i ? ", " : "", f->names[i]);
	if (all.oom)
		c->nomem = true;
	else
		lmi_yaml_diag(c, nd->e.line, nd->e.col,
		              "%s '%.*s%s' is not one of %s", f->key, SHOWN(nd),
		              all.v);
	lmi_buf_free(&all);
	return false;
}

/* A quarter (PERIOD: YYYY-QN in any case, kept as libmatch writes it,
 * "2027-Q1") or a day (DATE: YYYY-MM-DD that exists). */
static bool get_when(yctx *c, const lmi_field *f, const node *nd,
                     const char **out)
{
	bool period = f->type == LMI_T_PERIOD;
	uint32_t v;
	if (!lmi_yaml_get_str(c, nd, f->key, out))
		return false;
	if (period ? lmi_period_parse(*out, nd->e.len, &v)
	           : lmi_date_parse(*out, nd->e.len, &v)) {
		char canon[LMI_PERIOD_SIZE];
		if (period) {
			lmi_period_format(v, canon);
			/* The same length: the copy in the batch's arena is
			 * ours. */
			memcpy((char *)*out, canon, sizeof(canon));
		}
		return true;
	}
	if (period)
		lmi_yaml_diag(c, nd->e.line, nd->e.col, "%s '%.*s%s' is not of "
		              "the form YYYY-QN (e.g. 2026-Q4)", f->key,
		              SHOWN(nd));
	else
		lmi_yaml_diag(c, nd->e.line, nd->e.col, "%s '%.*s%s' is not a "
		              "day YYYY-MM-DD (e.g. 2026-12-31)", f->key,
		              SHOWN(nd));
	return false;
}

/* The value at node `at` of field f into rec, by the field's type;
 * `kd` and `id` name the record in messages.  False after reporting. */
static bool read_value(yctx *c, const lmi_kind_desc *kd, const char *id,
                       const lmi_field *f, size_t at, void *rec)
{
	const node *nd = N(at);
	const char *noun = f->noun ? f->noun : f->key;
	if ((f->flags & LMI_F_POS) && f->type != LMI_T_STRS)
		*LMI_AT(lmi_pos, rec, f->off_pos) = lmi_yaml_node_pos(c, nd);
	if ((f->flags & LMI_F_NULLABLE) && lmi_yaml_is_null(nd))
		return true;
	switch (f->type) {
	case LMI_T_STR:
		return lmi_yaml_get_str(c, nd, f->key,
		                        LMI_AT(const char *, rec, f->off));
	case LMI_T_REF:
		return lmi_yaml_get_ref(c, nd, f->key,
		                        LMI_AT(lmi_ref, rec, f->off));
	case LMI_T_NUM: {
		range r = {f->lo, f->hi, f->lo_open};
		return lmi_yaml_get_num(c, nd, f->key, noun, &r,
		                        LMI_AT(double, rec, f->off));
	}
	case LMI_T_INT:
		return lmi_yaml_get_int(c, nd, f->key, noun, (int)f->lo,
		                        (int)f->hi, LMI_AT(int, rec, f->off));
	case LMI_T_BOOL: {
		bool b;
		if (!lmi_yaml_get_bool(c, nd, f->key, &b))
			return false;
		*LMI_AT(int, rec, f->off) = b;
		return true;
	}
	case LMI_T_FLAG:
		return lmi_yaml_get_bool(c, nd, f->key,
		                         LMI_AT(bool, rec, f->off));
	case LMI_T_ENUM:
		return get_enum(c, f, nd, LMI_AT(int, rec, f->off));
	case LMI_T_PERIOD:
	case LMI_T_DATE:
		return get_when(c, f, nd, LMI_AT(const char *, rec, f->off));
	case LMI_T_TEXT:
		return lmi_yaml_get_text(c, nd, f->key, (size_t)f->hi,
		                         LMI_AT(const char *, rec, f->off));
	case LMI_T_LOC:
		return get_loc(c, f, id, at, rec);
	case LMI_T_STRS:
		return get_str_list(c, at, f->key,
		                    LMI_AT(const char **, rec, f->off),
		                    (f->flags & LMI_F_POS)
		                    ? LMI_AT(lmi_pos *, rec, f->off_pos) : NULL,
		                    LMI_AT(uint32_t, rec, f->off_count));
	case LMI_T_REFS:
		return get_ref_list(c, at, f->key, LMI_AT(lmi_ref *, rec, f->off),
		                    LMI_AT(uint32_t, rec, f->off_count));
	case LMI_T_LEVELS:
		return get_levels(c, at, (f->flags & LMI_F_LONG) != 0, kd->noun,
		                  id, LMI_AT(lmi_level_rec *, rec, f->off),
		                  LMI_AT(uint32_t, rec, f->off_count));
	case LMI_T_AVAIL:
		return get_avail(c, f, at,
		                 LMI_AT(lmi_availability_rec *, rec, f->off),
		                 LMI_AT(uint32_t, rec, f->off_count));
	}
	return false;
}

/* The mapping at node `at` as a record of `kd` (named `noun` and `id` in
 * messages): its keys checked, then every value given, in the table's
 * order.  False after reporting. */
static bool read_fields(yctx *c, const lmi_kind_desc *kd, const char *noun,
                        const char *id, size_t at, void *rec)
{
	size_t v[LMI_FIELDS_MAX];
	bool ok = scan_fields(c, at, noun, id, kd, v);
	if (!id && kd->n_fields && !strcmp(kd->fields[0].key, "id"))
		id = peek_id(c, v[0]);
	for (size_t f = 0; f < kd->n_fields; f++)
		if (v[f] && !read_value(c, kd, id, &kd->fields[f], v[f], rec))
			ok = false;
	return ok;
}

/* ---- rules between the fields of a record ------------------------------------- */

/* The record's id quoted in a message, "'n-x'". */
#define REC_ID(id) SHOW((id), strlen(id))

static bool check_need(yctx *c, const void *rec)
{
	const lmi_need_rec *n = rec;
	bool ok = true;
	/* One team serves a team need; a need for several experts is served
	 * by that many, one each. */
	if (n->team > 1 && n->experts > 1) {
		lmi_yaml_diag(c, n->team_pos.line, n->team_pos.col,
		              "need '%.*s%s': a team need (team: %d) takes one "
		              "team; 'experts' must be 1, not %d", REC_ID(n->id),
		              n->team, n->experts);
		ok = false;
	}
	/* Canonical quarters compare as text. */
	if (n->from && n->until && strcmp(n->until, n->from) < 0) {
		lmi_yaml_diag(c, n->until_pos.line, n->until_pos.col,
		              "need '%.*s%s': 'until' %s is before 'from' %s",
		              REC_ID(n->id), n->until, n->from);
		ok = false;
	}
	return ok;
}

/* A skill's keywords are distinct after folding (case, Unicode forms):
 * one that repeats an earlier one is refused, naming where that one is. */
static bool check_skill(yctx *c, const void *rec)
{
	const lmi_skill_rec *s = rec;
	lmi_map seen = {0};
	char **folded = s->n_keywords
		? calloc(s->n_keywords, sizeof(*folded)) : NULL;
	bool ok = true;
	if (s->n_keywords && !folded)
		c->nomem = true;
	for (uint32_t i = 0; folded && !c->nomem && i < s->n_keywords; i++) {
		uint32_t first;
		folded[i] = lmi_fold(s->keywords[i]);
		if (!folded[i]) {
			c->nomem = true;
		} else if (lmi_map_get(&seen, folded[i], &first)) {
			const lmi_pos *p = &s->keyword_pos[i];
			const lmi_pos *q = &s->keyword_pos[first];
			lmi_yaml_diag(c, p->line, p->col, "skill '%.*s%s': keyword "
			              "'%.*s%s' is the same as '%.*s%s' (given at "
			              "%u:%u)", REC_ID(s->id),
			              REC_ID(s->keywords[i]),
			              REC_ID(s->keywords[first]), q->line, q->col);
			ok = false;
		} else if (lmi_map_put(&seen, folded[i], i) != LM_OK) {
			c->nomem = true;
		}
	}
	for (uint32_t i = 0; folded && i < s->n_keywords; i++)
		free(folded[i]);
	free(folded);
	lmi_map_free(&seen);
	return ok && !c->nomem;
}

/* A team's engagement names 1 to LMI_TEAM_MAX members, each once (as
 * written; two names of one expert are the merge's to find). */
static bool check_engagement(yctx *c, const void *rec)
{
	const lmi_engagement_rec *e = rec;
	const lmi_field *f = lmi_field_find(&lmi_kinds[LM_ENGAGEMENT],
	                                    "experts");
	bool ok = true;
	/* With `expert` there are no members; experts: [] (or null) is no
	 * expert at all, said at the record. */
	if (!e->expert.id && (e->n_members < f->lo || e->n_members > f->hi)) {
		const lmi_pos *p = e->n_members ? &e->members[0].pos : &e->pos;
		lmi_yaml_diag(c, p->line, p->col, "engagement: 'experts' must "
		              "name %g to %g experts, not %u", f->lo, f->hi,
		              e->n_members);
		return false;
	}
	for (uint32_t i = 1; i < e->n_members; i++) {
		for (uint32_t j = 0; j < i; j++) {
			if (strcmp(e->members[i].id, e->members[j].id))
				continue;
			const lmi_pos *p = &e->members[i].pos;
			lmi_yaml_diag(c, p->line, p->col, "engagement: expert "
			              "'%.*s%s' is named twice in 'experts'",
			              REC_ID(e->members[i].id));
			ok = false;
			break;
		}
	}
	return ok;
}

/* What a kind checks between its fields, once each was read right. */
static bool (*const check_record[LMI_KIND_COUNT])(yctx *c, const void *rec) = {
	[LM_SKILL] = check_skill,
	[LM_NEED] = check_need,
	[LM_ENGAGEMENT] = check_engagement,
};

/* ---- records ------------------------------------------------------------------ */

/* The record of kind k that the current tree holds, added to the batch
 * when it is right; a bad one is reported and left out.  LM_OK, STOP
 * (past the per-load limit of its kind) or LM_ENOMEM. */
static int read_record(yctx *c, lm_kind k)
{
	const lmi_kind_desc *kd = &lmi_kinds[k];
	lmi_any_rec r;
	memset(&r, 0, sizeof(r));
	lmi_record_init(kd, &r);
	*LMI_AT(lmi_pos, &r, kd->off_pos) = lmi_yaml_node_pos(c, N(0));
	if (!read_fields(c, kd, kd->noun, NULL, 0, &r) ||
	    (check_record[k] && !check_record[k](c, &r)))
		return LM_OK;
	/* A team's engagement is a record for each member. */
	size_t n = k == LM_ENGAGEMENT && r.engagement.n_members
	           ? r.engagement.n_members : 1;
	if (lm_catalog_count(c->b, k) + n > LM_YAML_MAX_RECORDS) {
		lmi_yaml_diag(c, N(0)->e.line, N(0)->e.col,
		              "too many %s in one load (limit %d)", kd->plural,
		              LM_YAML_MAX_RECORDS);
		return STOP;
	}
	for (size_t j = 0; j < n; j++) {
		void *p = lmi_record_add(c->b, k);
		if (!p)
			return LM_ENOMEM;
		memcpy(p, &r, kd->size);
		if (k == LM_ENGAGEMENT && r.engagement.n_members) {
			lmi_engagement_rec *e = p;
			e->expert = r.engagement.members[j];
			e->members = NULL;
			e->n_members = 0;
		}
	}
	return LM_OK;
}

/* The settings mapping.  Only types are checked here; lmi_catalog_merge
 * checks ranges.  A key that an earlier file (or document) gave must
 * have the same value here. */
static int parse_settings(yctx *c)
{
	const node *m = N(0);
	lmi_settings_rec *s = &c->b->settings;
	const char *keys[LM_SET_COUNT];
	size_t val[LM_SET_COUNT] = {0};
	if (lmi_yaml_is_null(m) || m->e.bad)
		return LM_OK;
	if (m->e.type != EV_MAP) {
		lmi_yaml_expected(c, m, "a mapping", "settings");
		return LM_OK;
	}
	for (int i = 0; i < LM_SET_COUNT; i++)
		keys[i] = lmi_settings[i].key;
	for (size_t k = 1; k < m->end; k = N(N(k)->end)->end) {
		const node *kn = N(k);
		const node *vn = N(kn->end);
		size_t f = match_key(c, kn, keys, LM_SET_COUNT, "settings", val);
		if (f == SIZE_MAX)
			continue;
		val[f] = kn->end;
		const lmi_setting_desc *d = &lmi_settings[f];
		double v;
		if (d->is_int) {
			int n;
			if (!lmi_yaml_get_int(c, vn, d->key, d->key, -1000000,
			                      1000000, &n))
				continue;
			v = n;
		} else if (!lmi_yaml_get_num(c, vn, d->key, d->key, NULL, &v)) {
			continue;
		}
		lmi_pos at = lmi_yaml_node_pos(c, vn);
		/* One value per setting, whatever the files' order: the same
		 * value twice is fine, two values are an error naming both. */
		if ((s->set & (1u << f)) && !(lmi_setting_get(s, (int)f) == v)) {
			const lmi_pos *was = &s->pos[f];
			lmi_yaml_diag(c, at.line, at.col, "setting %s is %g here but "
			              "%g at %s:%u:%u; a setting takes one value",
			              d->key, v, lmi_setting_get(s, (int)f),
			              was->file ? was->file : "?", was->line,
			              was->col);
			continue;
		}
		if (s->set & (1u << f))
			continue; /* the same value: the first place stays */
		lmi_setting_set(s, (int)f, v);
		s->set |= 1u << f;
		s->pos[f] = at;
	}
	return LM_OK;
}

/* ---- documents ------------------------------------------------------------- */

/* The keys of the top-level mapping: the kinds' lists (lm_kind order),
 * then `settings`. */
#define TOP_SETTINGS LMI_KIND_COUNT

static const char *top_key(size_t f)
{
	return f == TOP_SETTINGS ? "settings" : lmi_kinds[f].plural;
}

/* The value of a top-level record key: a list of records, one tree at a
 * time; *first is taken over. */
static int parse_list(yctx *c, int kind, ev *first)
{
	node tmp = {*first, 0};
	if (first->bad ||
	    (first->type == EV_SCALAR && lmi_yaml_is_null(&tmp))) {
		lmi_yaml_ev_free(first);
		return LM_OK;
	}
	if (first->type != EV_SEQ) {
		char what[48];
		snprintf(what, sizeof(what), "a list of %s", top_key(kind));
		lmi_yaml_expected(c, &tmp, what, top_key(kind));
		return lmi_yaml_skip_node(c, first);
	}
	lmi_yaml_ev_free(first);
	for (;;) {
		ev e;
		int rc = lmi_yaml_next_event(c, &e);
		if (rc != LM_OK)
			return rc;
		if (e.type == EV_SEQ_END)
			return LM_OK;
		rc = lmi_yaml_build_tree(c, &e);
		if (rc == LM_OK && !c->t.overflow)
			rc = lmi_yaml_merge_keys(c);
		if (rc == LM_OK && !c->t.overflow)
			rc = read_record(c, (lm_kind)kind);
		if (rc == LM_OK && c->nomem)
			rc = LM_ENOMEM;
		lmi_yaml_tree_reset(&c->t);
		if (rc != LM_OK)
			return rc;
	}
}

/* The top-level mapping of a document, after its start event. */
static int parse_top(yctx *c)
{
	unsigned seen = 0;
	for (;;) {
		ev k, v;
		int rc = lmi_yaml_next_event(c, &k);
		if (rc != LM_OK)
			return rc;
		if (k.type == EV_MAP_END)
			return LM_OK;
		node kn = {k, 0};
		if (k.type != EV_SCALAR) {
			/* A complex key: skip it, then its value. */
			lmi_yaml_expected(c, &kn, "a key name", NULL);
			rc = lmi_yaml_skip_node(c, &k);
			if (rc == LM_OK)
				rc = lmi_yaml_next_event(c, &v);
			if (rc == LM_OK)
				rc = lmi_yaml_skip_node(c, &v);
			if (rc != LM_OK)
				return rc;
			continue;
		}
		rc = lmi_yaml_next_event(c, &v);
		if (rc != LM_OK) {
			lmi_yaml_ev_free(&k);
			return rc;
		}
		size_t f = 0;
		if (!k.bad)
			while (f <= TOP_SETTINGS && strcmp(k.val, top_key(f)))
				f++;
		if (k.bad) {
			rc = lmi_yaml_skip_node(c, &v);
		} else if (f > TOP_SETTINGS) {
			const char *keys[TOP_SETTINGS + 1];
			for (size_t i = 0; i <= TOP_SETTINGS; i++)
				keys[i] = top_key(i);
			lmi_yaml_unknown_key(c, &kn, "the top-level mapping",
			                     keys, TOP_SETTINGS + 1);
			rc = lmi_yaml_skip_node(c, &v);
		} else if (seen & (1u << f)) {
			lmi_yaml_diag(c, k.line, k.col, "duplicate key '%s'",
			              top_key(f));
			rc = lmi_yaml_skip_node(c, &v);
		} else if (f == TOP_SETTINGS) {
			seen |= 1u << f;
			rc = lmi_yaml_build_tree(c, &v);
			if (rc == LM_OK && !c->t.overflow)
				rc = lmi_yaml_merge_keys(c);
			if (rc == LM_OK && !c->t.overflow)
				rc = parse_settings(c);
			lmi_yaml_tree_reset(&c->t);
		} else {
			seen |= 1u << f;
			rc = parse_list(c, (int)f, &v);
		}
		lmi_yaml_ev_free(&k);
		if (rc == LM_OK && c->nomem)
			rc = LM_ENOMEM;
		if (rc != LM_OK)
			return rc;
	}
}

/* One document, after its start event, up to and including its end. */
static int parse_document(yctx *c)
{
	ev e;
	int rc = lmi_yaml_next_event(c, &e);
	if (rc != LM_OK)
		return rc;
	node tmp = {e, 0};
	if (e.type == EV_MAP) {
		lmi_yaml_ev_free(&e);
		rc = parse_top(c);
	} else {
		if (!e.bad && !lmi_yaml_is_null(&tmp))
			lmi_yaml_expected(c, &tmp, "a mapping of places, "
			                  "gardens, skills, experts, "
			                  "companies, needs, distances, "
			                  "engagements or settings", NULL);
		rc = lmi_yaml_skip_node(c, &e);
	}
	if (rc != LM_OK)
		return rc;
	rc = lmi_yaml_next_event(c, &e); /* the document's end */
	lmi_yaml_ev_free(&e);
	return rc;
}

/* Every document of the current file, up to the stream's end. */
int lmi_yaml_parse_stream(yctx *c)
{
	for (;;) {
		ev e;
		int rc = lmi_yaml_next_event(c, &e);
		if (rc != LM_OK)
			return rc;
		ev_type type = e.type;
		lmi_yaml_ev_free(&e);
		if (type == EV_STREAM_END)
			return LM_OK;
		rc = parse_document(c); /* type is EV_DOC_START */
		if (rc != LM_OK)
			return rc;
	}
}

