/* SPDX-License-Identifier: MIT */
/*
 * lookup.c -- finding a record of the catalogue by what an adviser types:
 * its exact id, or its id, name, label or alias folded for case (the
 * folded maps), and "did you mean" for what finds nothing.
 *
 * The merge builds the maps of the next state here (ids must stay
 * distinct after folding, an alias must not name another skill); names
 * other than skills' are folded only on the first look-up that an id
 * does not answer.  A folded name that several records share finds none
 * of them, so that a reference never picks one silently.
 */
#include "model/catalog.h"

#include <stdlib.h>
#include <string.h>

/* ---- the folded maps ----------------------------------------------------- */

/* The display name of a record (name or label) used for look-ups. */
static const char *record_name(const lm_catalog *cat, lm_kind kind, uint32_t i)
{
	switch (kind) {
	case LM_PLACE: return cat->places.v[i].name;
	case LM_GARDEN: return cat->gardens.v[i].name;
	case LM_SKILL: return cat->skills.v[i].label;
	case LM_EXPERT: return cat->experts.v[i].name;
	case LM_COMPANY: return cat->companies.v[i].name;
	default: return NULL;
	}
}

/* The position to report a clash between records a and b at: the one read
 * from a file (the database's records have none), else a. */
static const lmi_pos *clash_pos(const lmi_pos *a, const lmi_pos *b)
{
	return a->line || !b->line ? a : b;
}

static const lmi_pos *record_pos(const lm_catalog *c, lm_kind kind, uint32_t i)
{
	switch (kind) {
	case LM_PLACE: return &c->places.v[i].pos;
	case LM_GARDEN: return &c->gardens.v[i].pos;
	case LM_SKILL: return &c->skills.v[i].pos;
	case LM_EXPERT: return &c->experts.v[i].pos;
	case LM_COMPANY: return &c->companies.v[i].pos;
	default: return &c->needs.v[i].pos;
	}
}

/* Is s already its own case fold?  Lower-case ASCII letters, digits and
 * punctuation are, which spares utf8proc (and a copy) for most ids. */
static bool fold_is_identity(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80 || (*p >= 'A' && *p <= 'Z'))
			return false;
	return true;
}

/*
 * Folded look-up keys.  Ids go in first and must stay distinct after
 * folding ("Tynset" and "tynset" would be one place to an adviser).  A
 * name or label then finds its record unless it is another record's id
 * (the id wins) or another record's name too (then it is ambiguous and
 * finds nothing, so that a reference never picks one silently).  A clash
 * of ids is a diagnostic in `err` (NULL: not checked).  Returns LM_OK or
 * LM_ENOMEM.
 */
static int put_folded(lm_catalog *c, lmi_err *err, lm_kind kind, const char *s,
                      uint32_t i, bool is_id)
{
	bool same = fold_is_identity(s);
	char *f = same ? (char *)s : lmi_fold(s);
	if (!f)
		return LM_OK; /* invalid UTF-8 cannot be looked up by name */
	lmi_map *m = &c->folded[kind];
	uint32_t other;
	int rc = LM_OK;
	if (!lmi_map_get(m, f, &other)) {
		/* An identity fold can key the map with the record's own
		 * string, which lives as long as the catalogue does. */
		const char *k = same ? s : lmi_arena_strdup(&c->fold_arena, f);
		rc = k ? lmi_map_put(m, k, i) : LM_ENOMEM;
	} else if (other != i && is_id) {
		if (err) {
			const lmi_pos *p = clash_pos(record_pos(c, kind, i),
			                            record_pos(c, kind, other));
			lmi_err_diag(err, p, "%s id '%s' differs from '%s' only in "
			            "letter case", lmi_kind_singular[kind], s,
			            lmi_catalog_id(c, kind, other));
		}
	} else if (other != i && other != LMI_AMBIGUOUS) {
		const char *oid = lmi_catalog_id(c, kind, other);
		char *of = fold_is_identity(oid) ? NULL : lmi_fold(oid);
		bool other_by_id = !strcmp(of ? of : oid, f);
		free(of);
		/* The key is there, so this only replaces its value and
		 * keeps no pointer to f. */
		if (!other_by_id)
			rc = lmi_map_put(m, f, LMI_AMBIGUOUS);
	}
	if (!same)
		free(f);
	return rc;
}

/* The names (labels) of a kind into its folded map.  Only skills need
 * them at merge time (alias clashes); for the other kinds they are added
 * on the first look-up that an id does not answer, which spares folding
 * 100,000 names for loads and reads that refer by id only. */
static int add_names(lm_catalog *c, lm_kind kind)
{
	size_t n = lm_catalog_count(c, kind);
	for (uint32_t i = 0; i < n; i++) {
		const char *name = record_name(c, kind, i);
		if (name && put_folded(c, NULL, kind, name, i, false))
			return LM_ENOMEM;
	}
	c->names_pending[kind] = false;
	return LM_OK;
}

int lmi_catalog_build_maps(lm_catalog *c, lmi_err *err)
{
	for (int k = LM_PLACE; k <= LM_NEED; k++) {
		size_t n = lm_catalog_count(c, (lm_kind)k);
		/* Sized once: every id, and folded ids about as many. */
		if (lmi_map_reserve(&c->ids[k], n) ||
		    lmi_map_reserve(&c->folded[k], n))
			return LM_ENOMEM;
		for (uint32_t i = 0; i < n; i++) {
			const char *id = lmi_catalog_id(c, (lm_kind)k, i);
			if (lmi_map_put(&c->ids[k], id, i))
				return LM_ENOMEM;
		}
		for (uint32_t i = 0; i < n; i++)
			if (put_folded(c, err, (lm_kind)k,
			               lmi_catalog_id(c, (lm_kind)k, i), i, true))
				return LM_ENOMEM;
		c->names_pending[k] = true;
	}
	if (add_names(c, LM_SKILL))
		return LM_ENOMEM;
	/* Aliases: a folded alias that already names another skill is
	 * ambiguous and rejected. */
	for (uint32_t i = 0; i < c->skills.n; i++) {
		const lmi_skill_rec *s = &c->skills.v[i];
		for (uint32_t j = 0; j < s->n_aliases; j++) {
			char *f = lmi_fold(s->aliases[j]);
			if (!f)
				return LM_ENOMEM;
			uint32_t other;
			if (lmi_map_get(&c->folded[LM_SKILL], f, &other)) {
				if (other == LMI_AMBIGUOUS)
					lmi_err_diag(err, &s->alias_pos[j],
					            "alias '%s' of skill '%s' is the "
					            "label of more than one skill",
					            s->aliases[j], s->id);
				else if (other != i)
					lmi_err_diag(err,
					            clash_pos(&s->alias_pos[j],
					                      &c->skills.v[other].pos),
					            "alias '%s' of skill '%s' already "
					            "names skill '%s'",
					            s->aliases[j], s->id,
					            c->skills.v[other].id);
				free(f);
				continue;
			}
			char *k = lmi_arena_strdup(&c->fold_arena, f);
			free(f);
			if (!k || lmi_map_put(&c->folded[LM_SKILL], k, i))
				return LM_ENOMEM;
		}
	}
	return LM_OK;
}

/* ---- look-ups ------------------------------------------------------------ */

bool lmi_catalog_lookup_folded(const lm_catalog *cat, lm_kind kind,
                               const char *key, uint32_t *out, bool *ambiguous)
{
	*ambiguous = false;
	if ((unsigned)kind > LM_NEED || !key)
		return false;
	if (lmi_map_get(&cat->ids[kind], key, out))
		return true;
	char *f = lmi_fold(key);
	if (!f)
		return false;
	uint32_t v;
	bool ok = lmi_map_get(&cat->folded[kind], f, &v);
	if (!ok && cat->names_pending[kind]) {
		/* The names were left for the first look-up that needs them;
		 * the catalogue is not shared between threads, so it may be
		 * completed here.  Out of memory leaves it pending. */
		if (add_names((lm_catalog *)cat, kind) == LM_OK)
			ok = lmi_map_get(&cat->folded[kind], f, &v);
	}
	free(f);
	if (ok && v == LMI_AMBIGUOUS) {
		*ambiguous = true;
		return false;
	}
	if (ok && out)
		*out = v;
	return ok;
}

bool lmi_catalog_lookup(const lm_catalog *cat, lm_kind kind, const char *key,
                       uint32_t *out)
{
	bool ambiguous;
	return lmi_catalog_lookup_folded(cat, kind, key, out, &ambiguous);
}

/* The id of the record whose folded id, name, label or alias is closest
 * to the folded key, if it is a likely typo of it (lmi_is_typo). */
const char *lmi_catalog_suggest(const lm_catalog *cat, lm_kind kind,
                               const char *key)
{
	if ((unsigned)kind > LM_NEED)
		return NULL;
	if (cat->names_pending[kind] && add_names((lm_catalog *)cat, kind))
		return NULL;
	char *f = lmi_fold(key);
	if (!f)
		return NULL;
	size_t len = strlen(f);
	const lmi_map *m = &cat->folded[kind];
	uint32_t best = LM_NONE;
	size_t best_d = SIZE_MAX, d;
	for (size_t j = 0; j < m->cap; j++) {
		if (!m->keys[j] || m->vals[j] == LMI_AMBIGUOUS)
			continue;
		if (!lmi_is_typo(f, len, m->keys[j], strlen(m->keys[j]), &d) ||
		    d > best_d)
			continue;
		/* Equal distances: the smaller index, for a stable answer. */
		if (best == LM_NONE || d < best_d ||
		    (d == best_d && m->vals[j] < best)) {
			best_d = d;
			best = m->vals[j];
		}
	}
	free(f);
	return best == LM_NONE ? NULL : lmi_catalog_id(cat, kind, best);
}

int lm_catalog_find(lm_catalog *cat, lm_kind kind, const char *key, size_t *out)
{
	if (!cat)
		return LM_EINVAL;
	if (!key || !out)
		return lmi_err_set(&cat->err, LM_EINVAL, key ? "no output given"
		                                            : "no id or name given");
	if ((unsigned)kind > LM_NEED && lm_kind_name(kind))
		return lmi_err_set(&cat->err, LM_EINVAL, "%s have no id to find "
		                  "them by", lm_kind_name(kind));
	if ((unsigned)kind > LM_NEED)
		return lmi_err_set(&cat->err, LM_EINVAL, "unknown kind %d",
		                  (int)kind);
	uint32_t i;
	int rc = lmi_catalog_find_ix(cat, kind, key, &i);
	if (rc == LM_OK)
		*out = i;
	return rc;
}

int lmi_catalog_find_ix(lm_catalog *cat, lm_kind kind, const char *key,
                       uint32_t *out)
{
	uint32_t i;
	bool ambiguous;
	if (lmi_catalog_lookup_folded(cat, kind, key, &i, &ambiguous)) {
		*out = i;
		return LM_OK;
	}
	if (ambiguous)
		return lmi_err_set(&cat->err, LM_EAMBIGUOUS,
		                  "'%s' names more than one %s; use its id", key,
		                  lmi_kind_singular[kind]);
	const char *s = lmi_catalog_suggest(cat, kind, key);
	if (s)
		return lmi_err_set(&cat->err, LM_ENOTFOUND,
		                  "unknown %s '%s'; did you mean '%s'?",
		                  lmi_kind_singular[kind], key, s);
	return lmi_err_set(&cat->err, LM_ENOTFOUND, "unknown %s '%s'",
	                  lmi_kind_singular[kind], key);
}
