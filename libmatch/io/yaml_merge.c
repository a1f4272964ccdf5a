/* SPDX-License-Identifier: MIT */
/*
 * yaml_merge.c -- merge keys (io/yaml_parse.h): `<<: *base` and
 * `<<: [*a, *b]` in any mapping of a record's tree, expanded in place,
 * so that the stage above (yaml_records.c) sees plain mappings, as it
 * sees no aliases.
 *
 * YAML 1.1's merge type: the pairs of the merged mappings are added to
 * the mapping that holds the `<<` key, except those whose key it already
 * has; in a list, an earlier mapping wins over a later one; a merged
 * mapping may merge others in turn.  Explicit keys override merged ones.
 * The aliases were expanded already (yaml_events.c), within their limits,
 * so merging moves nodes of the tree and never adds any: merged pairs
 * keep the positions of the mapping they come from, which is where a
 * message about one of them points.  Only a plain `<<` is a merge key;
 * a quoted "<<" is a key like any other (and unknown to every record).
 *
 * Memory: the tree is rebuilt into a new array of the same nodes; those
 * left out (the `<<` keys, their values' containers, overridden pairs)
 * are released as the tree would release them.
 */
#include "io/yaml_parse.h"

#include <stdlib.h>
#include <string.h>

typedef struct merger {
	yctx *c;
	const node *v;     /* the old tree's nodes */
	node *out;         /* the new array */
	size_t n;          /* nodes in `out` */
	bool *used;        /* per old node: moved into `out` */
	size_t *pairs;     /* scratch: key node indices of one mapping */
	size_t npairs, cap_pairs;
	int rc;
} merger;

static bool is_merge_key(const node *k)
{
	return k->e.type == EV_SCALAR && k->e.plain && !k->e.bad &&
	       k->e.len == 2 && !memcmp(k->e.val, "<<", 2);
}

/* Does node `at` hold a merge key anywhere below? */
static bool has_merge(const node *v, size_t at)
{
	for (size_t i = at; i < v[at].end; i++)
		if (v[i].e.type == EV_MAP)
			for (size_t k = i + 1; k < v[i].end; k = v[v[k].end].end)
				if (is_merge_key(&v[k]))
					return true;
	return false;
}

static void pair_push(merger *m, size_t k)
{
	if (m->rc)
		return;
	size_t *slot = lmi_vec_push((void **)&m->pairs, &m->npairs,
	                            &m->cap_pairs, sizeof(*m->pairs));
	if (slot)
		*slot = k;
	else
		m->rc = LM_ENOMEM;
}

static void merge_from(merger *m, size_t src, lmi_map *seen, int depth);

/* The merge key's value `mv`: a mapping, or a sequence of mappings. */
static void merge_value(merger *m, size_t mv, lmi_map *seen, int depth)
{
	const node *v = m->v;
	if (v[mv].e.type == EV_MAP) {
		merge_from(m, mv, seen, depth + 1);
		return;
	}
	if (v[mv].e.type == EV_SEQ) {
		for (size_t i = mv + 1; i < v[mv].end; i = v[i].end) {
			if (v[i].e.type == EV_MAP)
				merge_from(m, i, seen, depth + 1);
			else if (!v[i].e.bad)
				lmi_yaml_expected(m->c, &v[i], "a mapping to merge",
				                  "<<");
		}
		return;
	}
	if (!v[mv].e.bad)
		lmi_yaml_expected(m->c, &v[mv], "a mapping or a list of mappings "
		                  "(such as *defaults)", "<<");
}

/* The pairs of merged mapping `src` whose keys are not `seen` yet, then
 * those of the mappings it merges in turn. */
static void merge_from(merger *m, size_t src, lmi_map *seen, int depth)
{
	const node *v = m->v;
	size_t mv = 0;
	/* Nesting is bounded by the tree's depth; this only guards it. */
	if (depth > LM_YAML_MAX_DEPTH)
		return;
	for (size_t k = src + 1; !m->rc && k < v[src].end; k = v[v[k].end].end) {
		if (is_merge_key(&v[k])) {
			if (!mv)
				mv = v[k].end;
			continue;
		}
		if (v[k].e.type == EV_SCALAR && !v[k].e.bad) {
			if (lmi_map_get(seen, v[k].e.val, NULL))
				continue;
			if (lmi_map_put(seen, v[k].e.val, 0) != LM_OK) {
				m->rc = LM_ENOMEM;
				return;
			}
		}
		pair_push(m, k);
	}
	if (mv && !m->rc)
		merge_value(m, mv, seen, depth);
}

static size_t emit(merger *m, size_t i);

/* Does mapping `at` itself hold a merge key? */
static bool own_merge(const node *v, size_t at)
{
	for (size_t k = at + 1; k < v[at].end; k = v[v[k].end].end)
		if (is_merge_key(&v[k]))
			return true;
	return false;
}

/* Mapping `at`'s pairs with its merge key expanded: its own pairs as
 * they are (a repeated key stays, for the reader to report), then the
 * merged ones it does not have. */
static void emit_map(merger *m, size_t at)
{
	const node *v = m->v;
	lmi_map seen = {0};
	size_t first = m->npairs, mv = 0;
	if (!own_merge(v, at)) {
		for (size_t j = at + 1; !m->rc && j < v[at].end; j = v[j].end)
			emit(m, j);
		return;
	}
	for (size_t k = at + 1; !m->rc && k < v[at].end; k = v[v[k].end].end) {
		if (is_merge_key(&v[k])) {
			if (mv)
				lmi_yaml_diag(m->c, v[k].e.line, v[k].e.col,
				              "duplicate key '<<'");
			else
				mv = v[k].end;
			continue;
		}
		if (v[k].e.type == EV_SCALAR && !v[k].e.bad &&
		    lmi_map_put(&seen, v[k].e.val, 0) != LM_OK)
			m->rc = LM_ENOMEM;
		pair_push(m, k);
	}
	if (mv && !m->rc)
		merge_value(m, mv, &seen, 0);
	lmi_map_free(&seen);
	/* The pairs are emitted after all are known: emitting a value may
	 * use the scratch list for a mapping inside it. */
	size_t last = m->npairs;
	for (size_t p = first; !m->rc && p < last; p++) {
		size_t k = m->pairs[p];
		emit(m, k);
		emit(m, v[k].end);
	}
	m->npairs = first;
}

/* Node i and what is below it into `out`; returns its new index. */
static size_t emit(merger *m, size_t i)
{
	const node *v = m->v;
	size_t at = m->n++;
	m->out[at] = v[i];
	m->used[i] = true;
	if (v[i].e.type == EV_MAP)
		emit_map(m, i);
	else if (v[i].e.type == EV_SEQ)
		for (size_t j = i + 1; !m->rc && j < v[i].end; j = v[j].end)
			emit(m, j);
	m->out[at].end = m->n;
	return at;
}

int lmi_yaml_merge_keys(yctx *c)
{
	tree *t = &c->t;
	if (t->n == 0 || t->overflow || !has_merge(t->v, 0))
		return LM_OK;
	merger m = {c, t->v, malloc(t->n * sizeof(*t->v)),
	            0, calloc(t->n, sizeof(bool)), NULL, 0, 0, LM_OK};
	if (!m.out || !m.used) {
		free(m.out);
		free(m.used);
		return LM_ENOMEM;
	}
	emit(&m, 0);
	if (m.rc) {
		/* The old tree is whole still: it is released as it is. */
		free(m.out);
		free(m.used);
		free(m.pairs);
		return m.rc;
	}
	for (size_t i = 0; i < t->n; i++)
		if (!m.used[i])
			lmi_yaml_node_release(t, &t->v[i]);
	free(t->v);
	t->v = m.out;
	t->cap = t->n;
	t->n = m.n;
	free(m.used);
	free(m.pairs);
	return LM_OK;
}
