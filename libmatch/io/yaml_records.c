/* SPDX-License-Identifier: MIT */
/*
 * yaml_records.c -- the records of a YAML document (io/yaml_parse.h):
 * the top-level mapping of record lists and `settings` is walked as a
 * stream of events; each record (one item of a list) is gathered into a
 * tree (yaml_events.c), checked key by key with yaml_values.c, and added
 * to the batch.  A bad record is reported and left out; parsing goes on,
 * so that every problem of a file is reported.
 *
 * One reader per kind (rec_place() ... rec_engagement()) names the kind's
 * keys, which of them are required, and how each value is read.
 * References (dangling ids, duplicates, cycles) are not checked here:
 * lmi_catalog_merge() does that across all files of a load.
 */
#include "io/yaml_parse.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- mappings with fixed keys --------------------------------------------- */

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

/*
 * Check that node `at` is a mapping whose keys are among keys[0..nkeys)
 * with no duplicates, and that every key whose bit is set in `required`
 * is present.  val[k] receives the node index of key k's value (0 when
 * absent; 0 is the record's root, never a value).  `kind` and `id` (may
 * be NULL) name the owner in messages.  Returns false after reporting.
 */
static bool scan_fields(yctx *c, size_t at, const char *kind, const char *id,
                        const char *const *keys, size_t nkeys,
                        unsigned required, size_t *val)
{
	const tree *t = &c->t;
	const node *m = &t->v[at];
	bool ok = true;

	memset(val, 0, nkeys * sizeof(*val));
	if (m->e.type != EV_MAP) {
		char what[64];
		snprintf(what, sizeof(what), "a mapping for %s", kind);
		if (!m->e.bad)
			lmi_yaml_expected(c, m, what, NULL);
		return false;
	}
	for (size_t k = at + 1; k < m->end; k = t->v[t->v[k].end].end) {
		const node *kn = &t->v[k];
		size_t v = kn->end;
		if (kn->e.bad) {
			ok = false;
			continue;
		}
		if (kn->e.type != EV_SCALAR) {
			lmi_yaml_expected(c, kn, "a key name", NULL);
			ok = false;
			continue;
		}
		size_t f = 0;
		while (f < nkeys && strcmp(kn->e.val, keys[f]))
			f++;
		if (f == nkeys) {
			lmi_yaml_unknown_key(c, kn, kind, keys, nkeys);
			ok = false;
		} else if (val[f]) {
			lmi_yaml_diag(c, kn->e.line, kn->e.col,
			              "duplicate key '%s'", keys[f]);
			ok = false;
		} else {
			val[f] = v;
		}
	}
	if (!id && nkeys > 0 && !strcmp(keys[0], "id"))
		id = peek_id(c, val[0]);
	for (size_t f = 0; f < nkeys; f++) {
		if (!(required & (1u << f)) || val[f])
			continue;
		if (id)
			lmi_yaml_diag(c, m->e.line, m->e.col,
			              "%s '%.*s%s': missing required key '%s'",
			              kind, SHOW(id, strlen(id)), keys[f]);
		else
			lmi_yaml_diag(c, m->e.line, m->e.col,
			              "%s: missing required key '%s'", kind,
			              keys[f]);
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

/* ---- record kinds -------------------------------------------------------- */

static const range R_LAT = {-90, 90, false};
static const range R_LON = {-180, 180, false};
static const range R_TRAVEL = {0, 20000, true};
static const range R_MAX_KM = {0, 40000, true};
static const range R_KM = {0, 40000, false};
static const range R_WEIGHT = {0, 1000, true};
static const range R_SCORE = {0, 100, false};

#define N(i) (&c->t.v[(i)])

/* Refuse a record past the per-load limit of its kind; STOP. */
static int too_many(yctx *c, size_t have, const char *kinds)
{
	if (have < LM_YAML_MAX_RECORDS)
		return LM_OK;
	lmi_yaml_diag(c, N(0)->e.line, N(0)->e.col,
	              "too many %s in one load (limit %d)", kinds,
	              LM_YAML_MAX_RECORDS);
	return STOP;
}

/* {lat, lon} of a home or company place given as coordinates. */
static bool get_coords(yctx *c, size_t at, const char *kind, const char *id,
                       double *lat, double *lon)
{
	static const char *const keys[] = {"lat", "lon"};
	size_t v[2];
	bool ok = scan_fields(c, at, kind, id, keys, 2, 0x3, v);
	if (v[0] && !lmi_yaml_get_num(c, N(v[0]), "lat", "latitude", &R_LAT,
	                              lat))
		ok = false;
	if (v[1] && !lmi_yaml_get_num(c, N(v[1]), "lon", "longitude", &R_LON,
	                              lon))
		ok = false;
	return ok;
}

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

static int rec_place(yctx *c)
{
	static const char *const keys[] = {"id", "name", "lat", "lon"};
	size_t v[4];
	lmi_place_rec r = {0};
	bool ok = scan_fields(c, 0, "place", NULL, keys, 4, 0xF, v);
	r.pos = lmi_yaml_node_pos(c, N(0));
	if (v[0] && !lmi_yaml_get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !lmi_yaml_get_str(c, N(v[1]), "name", &r.name))
		ok = false;
	if (v[2] && !lmi_yaml_get_num(c, N(v[2]), "lat", "latitude", &R_LAT,
	                              &r.lat))
		ok = false;
	if (v[3] && !lmi_yaml_get_num(c, N(v[3]), "lon", "longitude", &R_LON,
	                              &r.lon))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->places.n, "places");
	if (rc)
		return rc;
	lmi_place_rec *p = lmi_batch_place(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

static int rec_garden(yctx *c)
{
	static const char *const keys[] = {"id", "name", "place"};
	size_t v[3];
	lmi_garden_rec r = {0};
	bool ok = scan_fields(c, 0, "garden", NULL, keys, 3, 0x7, v);
	r.pos = lmi_yaml_node_pos(c, N(0));
	if (v[0] && !lmi_yaml_get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !lmi_yaml_get_str(c, N(v[1]), "name", &r.name))
		ok = false;
	if (v[2] && !lmi_yaml_get_ref(c, N(v[2]), "place", &r.place))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->gardens.n, "gardens");
	if (rc)
		return rc;
	lmi_garden_rec *p = lmi_batch_garden(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

static int rec_skill(yctx *c)
{
	static const char *const keys[] = {"id", "label", "parent", "aliases"};
	size_t v[4];
	lmi_skill_rec r = {0};
	bool ok = scan_fields(c, 0, "skill", NULL, keys, 4, 0x3, v);
	r.pos = lmi_yaml_node_pos(c, N(0));
	if (v[0] && !lmi_yaml_get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !lmi_yaml_get_str(c, N(v[1]), "label", &r.label))
		ok = false;
	if (v[2] && !lmi_yaml_is_null(N(v[2])) &&
	    !lmi_yaml_get_ref(c, N(v[2]), "parent", &r.parent))
		ok = false;
	if (v[3] && !get_str_list(c, v[3], "aliases", &r.aliases,
	                          &r.alias_pos, &r.n_aliases))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->skills.n, "skills");
	if (rc)
		return rc;
	lmi_skill_rec *p = lmi_batch_skill(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

/* The skills mapping of an expert (short form only) or of a need (short
 * `skill: level` or long `skill: {level, weight, optional}`). */
static bool get_levels(yctx *c, size_t at, bool need, const char *kind,
                       const char *id, lmi_level_rec **out, uint32_t *nout)
{
	static const char *const long_keys[] = {"level", "weight", "optional"};
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
			              kind, SHOW(id, strlen(id)));
		else
			lmi_yaml_diag(c, m->e.line, m->e.col, "%s: 'skills' "
			              "must name at least one skill", kind);
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
		l->weight = 1.0;
		if (!lmi_yaml_get_ref(c, kn, "skill", &l->skill)) {
			ok = false;
			continue;
		}
		if (need && vn->e.type == EV_MAP) {
			size_t f[3];
			if (!scan_fields(c, vi, "need skill", l->skill.id, long_keys,
			                 3, 0x1, f))
				ok = false;
			if (f[0] && !lmi_yaml_get_int(c, N(f[0]), "level",
			                              "level", 1, 5, &l->level))
				ok = false;
			if (f[0])
				l->level_pos = lmi_yaml_node_pos(c, N(f[0]));
			if (f[1] && !lmi_yaml_get_num(c, N(f[1]), "weight",
			                              "weight", &R_WEIGHT,
			                              &l->weight))
				ok = false;
			if (f[2] && !lmi_yaml_get_bool(c, N(f[2]), "optional",
			                               &l->optional))
				ok = false;
		} else if (vn->e.type == EV_SCALAR) {
			if (!lmi_yaml_get_int(c, vn, l->skill.id, "level", 1, 5,
			                      &l->level))
				ok = false;
			l->level_pos = lmi_yaml_node_pos(c, vn);
		} else {
			lmi_yaml_expected(c, vn, need
			                  ? "a level or {level, weight, optional}"
			                  : "a level 1..5", l->skill.id);
			ok = false;
		}
	}
	*out = lv;
	*nout = (uint32_t)cnt;
	return ok;
}

static int rec_expert(yctx *c)
{
	static const char *const keys[] = {
		"id", "name", "garden", "home", "skills", "capacity",
		"max_travel_km", "remote", "languages", "conflicts"};
	size_t v[10];
	lmi_expert_rec r = {0};
	bool ok = scan_fields(c, 0, "expert", NULL, keys, 10, 0x1F, v);
	r.capacity = -1;
	r.max_travel_km = -1;
	r.remote = -1;
	r.pos = lmi_yaml_node_pos(c, N(0));
	if (v[0] && !lmi_yaml_get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !lmi_yaml_get_str(c, N(v[1]), "name", &r.name))
		ok = false;
	if (v[2] && !lmi_yaml_get_ref(c, N(v[2]), "garden", &r.garden))
		ok = false;
	if (v[3]) {
		const node *h = N(v[3]);
		if (h->e.type == EV_MAP) {
			r.home_is_coords = true;
			if (!get_coords(c, v[3], "home", peek_id(c, v[0]),
			                &r.home_lat, &r.home_lon))
				ok = false;
		} else if (h->e.type == EV_SCALAR && !lmi_yaml_is_null(h)) {
			if (!lmi_yaml_get_ref(c, h, "home", &r.home))
				ok = false;
		} else {
			lmi_yaml_expected(c, h, "a place or {lat, lon}",
			                  "home");
			ok = false;
		}
	}
	if (v[4] && !get_levels(c, v[4], false, "expert", peek_id(c, v[0]),
	                        &r.skills, &r.n_skills))
		ok = false;
	if (v[5] && !lmi_yaml_get_int(c, N(v[5]), "capacity", "capacity", 0,
	                              1000, &r.capacity))
		ok = false;
	if (v[6] && !lmi_yaml_get_num(c, N(v[6]), "max_travel_km",
	                              "max_travel_km", &R_TRAVEL,
	                              &r.max_travel_km))
		ok = false;
	if (v[7]) {
		bool b;
		if (!lmi_yaml_get_bool(c, N(v[7]), "remote", &b))
			ok = false;
		else
			r.remote = b;
	}
	if (v[8] && !get_str_list(c, v[8], "languages", &r.languages, NULL,
	                          &r.n_languages))
		ok = false;
	if (v[9]) {
		const char **ids;
		lmi_pos *pos;
		uint32_t n;
		if (!get_str_list(c, v[9], "conflicts", &ids, &pos, &n)) {
			ok = false;
		} else if (n) {
			r.conflicts = lmi_arena_alloc(&c->b->arena,
			                             n * sizeof(*r.conflicts));
			if (!r.conflicts)
				return LM_ENOMEM;
			for (uint32_t i = 0; i < n; i++) {
				r.conflicts[i].id = ids[i];
				r.conflicts[i].pos = pos[i];
			}
			r.n_conflicts = n;
		}
	}
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->experts.n, "experts");
	if (rc)
		return rc;
	lmi_expert_rec *p = lmi_batch_expert(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

static int rec_company(yctx *c)
{
	static const char *const keys[] = {"id", "name", "place", "garden"};
	size_t v[4];
	lmi_company_rec r = {0};
	bool ok = scan_fields(c, 0, "company", NULL, keys, 4, 0x7, v);
	r.pos = lmi_yaml_node_pos(c, N(0));
	if (v[0] && !lmi_yaml_get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !lmi_yaml_get_str(c, N(v[1]), "name", &r.name))
		ok = false;
	if (v[2]) {
		const node *pl = N(v[2]);
		if (pl->e.type == EV_MAP) {
			r.place_is_coords = true;
			if (!get_coords(c, v[2], "place", peek_id(c, v[0]),
			                &r.place_lat, &r.place_lon))
				ok = false;
		} else if (pl->e.type == EV_SCALAR && !lmi_yaml_is_null(pl)) {
			if (!lmi_yaml_get_ref(c, pl, "place", &r.place))
				ok = false;
		} else {
			lmi_yaml_expected(c, pl, "a place or {lat, lon}",
			                  "place");
			ok = false;
		}
	}
	if (v[3] && !lmi_yaml_is_null(N(v[3])) &&
	    !lmi_yaml_get_ref(c, N(v[3]), "garden", &r.garden))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->companies.n, "companies");
	if (rc)
		return rc;
	lmi_company_rec *p = lmi_batch_company(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

static int rec_need(yctx *c)
{
	static const char *const keys[] = {
		"id", "company", "title", "skills", "mode", "experts",
		"language", "max_km"};
	static const char *const modes[] = {"onsite", "remote", "hybrid"};
	size_t v[8];
	lmi_need_rec r = {0};
	bool ok = scan_fields(c, 0, "need", NULL, keys, 8, 0xB, v);
	r.mode = LM_ONSITE;
	r.experts = 1;
	r.pos = lmi_yaml_node_pos(c, N(0));
	if (v[0] && !lmi_yaml_get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !lmi_yaml_get_ref(c, N(v[1]), "company", &r.company))
		ok = false;
	if (v[2] && !lmi_yaml_is_null(N(v[2])) &&
	    !lmi_yaml_get_str(c, N(v[2]), "title", &r.title))
		ok = false;
	if (v[3] && !get_levels(c, v[3], true, "need", peek_id(c, v[0]),
	                        &r.skills, &r.n_skills))
		ok = false;
	if (v[4]) {
		const char *m;
		if (!lmi_yaml_get_str(c, N(v[4]), "mode", &m)) {
			ok = false;
		} else {
			int i = 0;
			while (i < 3 && strcasecmp(m, modes[i]))
				i++;
			if (i == 3) {
				lmi_yaml_diag(c, N(v[4])->e.line,
				              N(v[4])->e.col,
				              "mode '%.*s%s' is not one of "
				              "onsite, remote, hybrid",
				              SHOWN(N(v[4])));
				ok = false;
			} else {
				r.mode = (lm_mode)i;
			}
		}
	}
	if (v[5] && !lmi_yaml_get_int(c, N(v[5]), "experts", "experts", 1, 100,
	                              &r.experts))
		ok = false;
	if (v[6] && !lmi_yaml_is_null(N(v[6])) &&
	    !lmi_yaml_get_str(c, N(v[6]), "language", &r.language))
		ok = false;
	if (v[7] && !lmi_yaml_get_num(c, N(v[7]), "max_km", "max_km", &R_MAX_KM,
	                              &r.max_km))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->needs.n, "needs");
	if (rc)
		return rc;
	lmi_need_rec *p = lmi_batch_need(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

static int rec_distance(yctx *c)
{
	static const char *const keys[] = {"from", "to", "km"};
	size_t v[3];
	lmi_distance_rec r = {0};
	bool ok = scan_fields(c, 0, "distance", NULL, keys, 3, 0x7, v);
	r.pos = lmi_yaml_node_pos(c, N(0));
	if (v[0] && !lmi_yaml_get_ref(c, N(v[0]), "from", &r.from))
		ok = false;
	if (v[1] && !lmi_yaml_get_ref(c, N(v[1]), "to", &r.to))
		ok = false;
	if (v[2] && !lmi_yaml_get_num(c, N(v[2]), "km", "km", &R_KM, &r.km))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->distances.n, "distances");
	if (rc)
		return rc;
	lmi_distance_rec *p = lmi_batch_distance(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

/* YYYY-QN */
static bool period_ok(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4' &&
	       s[7] == '\0';
}

static int rec_engagement(yctx *c)
{
	static const char *const keys[] = {"period", "need", "expert", "score"};
	size_t v[4];
	lmi_engagement_rec r = {0};
	bool ok = scan_fields(c, 0, "engagement", NULL, keys, 4, 0x7, v);
	r.pos = lmi_yaml_node_pos(c, N(0));
	if (v[0]) {
		if (!lmi_yaml_get_str(c, N(v[0]), "period", &r.period)) {
			ok = false;
		} else if (!period_ok(r.period)) {
			lmi_yaml_diag(c, N(v[0])->e.line, N(v[0])->e.col,
			              "period '%.*s%s' is not of the form "
			              "YYYY-QN (e.g. 2026-Q4)", SHOWN(N(v[0])));
			ok = false;
		}
	}
	if (v[1] && !lmi_yaml_get_ref(c, N(v[1]), "need", &r.need))
		ok = false;
	if (v[2] && !lmi_yaml_get_ref(c, N(v[2]), "expert", &r.expert))
		ok = false;
	if (v[3] && !lmi_yaml_get_num(c, N(v[3]), "score", "score", &R_SCORE,
	                              &r.score))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->engagements.n, "engagements");
	if (rc)
		return rc;
	lmi_engagement_rec *p = lmi_batch_engagement(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

/* The settings mapping.  Only types are checked here; lmi_catalog_merge
 * checks ranges.  A later file's value for a key replaces an earlier one. */
static int parse_settings(yctx *c)
{
	const node *m = N(0);
	lmi_settings_rec *s = &c->b->settings;
	unsigned seen = 0;
	if (lmi_yaml_is_null(m) || m->e.bad)
		return LM_OK;
	if (m->e.type != EV_MAP) {
		lmi_yaml_expected(c, m, "a mapping", "settings");
		return LM_OK;
	}
	for (size_t k = 1; k < m->end; k = N(N(k)->end)->end) {
		const node *kn = N(k);
		const node *vn = N(kn->end);
		if (kn->e.bad)
			continue;
		if (kn->e.type != EV_SCALAR) {
			lmi_yaml_expected(c, kn, "a key name", NULL);
			continue;
		}
		int f = 0;
		while (f < LM_SET_COUNT && strcmp(kn->e.val, lmi_settings_keys[f]))
			f++;
		if (f == LM_SET_COUNT) {
			lmi_yaml_unknown_key(c, kn, "settings",
			                     lmi_settings_keys, LM_SET_COUNT);
			continue;
		}
		if (seen & (1u << f)) {
			lmi_yaml_diag(c, kn->e.line, kn->e.col,
			              "duplicate key '%s'",
			              lmi_settings_keys[f]);
			continue;
		}
		seen |= 1u << f;
		if (f == LM_SET_DEFAULT_CAPACITY) {
			int n;
			if (!lmi_yaml_get_int(c, vn, lmi_settings_keys[f],
			                      lmi_settings_keys[f], -1000000,
			                      1000000, &n))
				continue;
			s->v.default_capacity = n;
		} else if (!lmi_yaml_get_num(c, vn, lmi_settings_keys[f],
		                             lmi_settings_keys[f], NULL,
		                             lmi_settings_field(&s->v, f))) {
			continue;
		}
		s->set |= 1u << f;
		s->pos[f] = lmi_yaml_node_pos(c, vn);
	}
	return LM_OK;
}

/* ---- documents ------------------------------------------------------------- */

static const char *const top_keys[] = {
	"places", "gardens", "skills", "experts", "companies", "needs",
	"distances", "engagements", "settings"};
#define TOP_SETTINGS 8

typedef int (*rec_fn)(yctx *c);
static const rec_fn rec_fns[8] = {
	rec_place, rec_garden, rec_skill, rec_expert, rec_company, rec_need,
	rec_distance, rec_engagement};

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
		snprintf(what, sizeof(what), "a list of %s", top_keys[kind]);
		lmi_yaml_expected(c, &tmp, what, top_keys[kind]);
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
			rc = rec_fns[kind](c);
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
			while (f <= TOP_SETTINGS && strcmp(k.val, top_keys[f]))
				f++;
		if (k.bad) {
			rc = lmi_yaml_skip_node(c, &v);
		} else if (f > TOP_SETTINGS) {
			lmi_yaml_unknown_key(c, &kn, "the top-level mapping",
			                     top_keys, TOP_SETTINGS + 1);
			rc = lmi_yaml_skip_node(c, &v);
		} else if (seen & (1u << f)) {
			lmi_yaml_diag(c, k.line, k.col, "duplicate key '%s'",
			              top_keys[f]);
			rc = lmi_yaml_skip_node(c, &v);
		} else if (f == TOP_SETTINGS) {
			seen |= 1u << f;
			rc = lmi_yaml_build_tree(c, &v);
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

