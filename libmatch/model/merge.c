/* SPDX-License-Identifier: MIT */
/*
 * merge.c -- merging a batch of new records into a catalogue: every
 * reference is checked against batch + catalogue before anything changes.
 *
 * A merge builds the complete next state (record arrays in id order, id
 * maps and the resolved integer layer the engine reads) beside the
 * current one, and swaps it in only when there is no diagnostic.  That is
 * what makes a load all or nothing.  Records are copied by value; their
 * strings live in arenas, and the target takes over the batch's arena on
 * success.  The steps, in lmi_catalog_merge()'s order: settings, records
 * combined by id, look-up maps (lookup.c), references resolved kind by
 * kind (with skill cycles and duplicates), then, on success only, every
 * reference rewritten to the id it resolved to.
 */
#include "model/catalog.h"
#include "model/fields.h"
#include "model/period.h"

#include <stdlib.h>
#include <string.h>

/* ---- the next state ------------------------------------------------------ */

/* The next state of a catalogue while it is being built. */
typedef struct next_state {
	lm_catalog c;    /* vectors, maps, resolved; arena unused */
	lmi_err *err;
	int rc;          /* LM_OK, or the first hard failure (ENOMEM) */
} next_state;

static int oom(next_state *ns)
{
	ns->rc = LM_ENOMEM;
	return LM_ENOMEM;
}

static void pos_text(const lmi_pos *p, char *buf, size_t size)
{
	if (p->file && p->line)
		snprintf(buf, size, "%s:%u:%u", p->file, p->line, p->col);
	else
		snprintf(buf, size, "the database");
}

/* Order of two positions: the database's records (no file) first, then by
 * file name, line and column, which is the order of reading for files
 * loaded in sorted order. */
static int pos_cmp(const lmi_pos *a, const lmi_pos *b)
{
	if (!a->file || !b->file)
		return (a->file != NULL) - (b->file != NULL);
	int d = strcmp(a->file, b->file);
	if (d)
		return d;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

/* Whether v is in order already (files are often written sorted by id,
 * and a database is read in id order): then no sort is needed. */
static bool is_sorted(const void *v, size_t n, size_t size,
                      int (*cmp)(const void *, const void *))
{
	const char *p = v;
	for (size_t i = 1; i < n; i++)
		if (cmp(p + (i - 1) * size, p + i * size) > 0)
			return false;
	return true;
}

/* ---- records combined by id ---------------------------------------------- */

/*
 * Combine records of one kind into the next state, sorted by id.
 *
 * Into an empty catalogue (a first load, or a database read) the batch's
 * array is taken over rather than copied, which halves the peak memory of
 * reading a million experts, and sorted by (id, position): two records
 * with one id are then neighbours, the first one read stays and the
 * others are diagnostics.  Otherwise each batch record replaces the
 * catalogue's record with its id or is appended, a map of the batch's ids
 * finds duplicates, and the result is sorted.
 */
#define COMBINE(FIELD, T, KIND, WHAT, CMP)                                     \
	static int combine_##FIELD(next_state *ns, const lm_catalog *cat,      \
	                           lm_catalog *batch)                          \
	{                                                                      \
		size_t n0 = cat->FIELD.n, nb = batch->FIELD.n;                 \
		if (n0 == 0) {                                                 \
			ns->c.FIELD = batch->FIELD;                            \
			batch->FIELD.v = NULL;                                 \
			batch->FIELD.n = batch->FIELD.cap = 0;                 \
			T *v = ns->c.FIELD.v;                                  \
			if (nb > 1 && /* qsort wants an array, even of 0 */ \
			    !is_sorted(v, nb, sizeof(*v), CMP##_pos))       \
				qsort(v, nb, sizeof(*v), CMP##_pos);           \
			size_t m = 0;                                          \
			for (size_t i = 0; i < nb; i++) {                      \
				if (m && !strcmp(v[m - 1].id, v[i].id)) {      \
					char where[512];                       \
					pos_text(&v[m - 1].pos, where,         \
					         sizeof(where));               \
					lmi_err_diag(ns->err, &v[i].pos,        \
					            "duplicate " WHAT " id "   \
					            "'%s' (first defined at "  \
					            "%s)", v[i].id, where);    \
					continue;                              \
				}                                              \
				v[m++] = v[i];                                 \
			}                                                      \
			ns->c.FIELD.n = m;                                     \
			return LM_OK;                                          \
		}                                                              \
		if (n0 + nb < n0)                                              \
			return oom(ns);                                        \
		ns->c.FIELD.v = lmi_reallocarray(NULL, n0 + nb,                 \
		                                sizeof(*ns->c.FIELD.v));       \
		if (!ns->c.FIELD.v)                                            \
			return oom(ns);                                        \
		ns->c.FIELD.cap = n0 + nb;                                     \
		memcpy(ns->c.FIELD.v, cat->FIELD.v,                            \
		       n0 * sizeof(*ns->c.FIELD.v));                           \
		ns->c.FIELD.n = n0;                                            \
		lmi_map seen = {0};                                             \
		for (size_t i = 0; i < nb; i++) {                              \
			const T *src = &batch->FIELD.v[i];                     \
			uint32_t at;                                           \
			if (lmi_map_get(&seen, src->id, &at)) {                 \
				char where[512];                               \
				pos_text(&ns->c.FIELD.v[at].pos, where,        \
				         sizeof(where));                       \
				lmi_err_diag(ns->err, &src->pos,                \
				            "duplicate " WHAT " id '%s' "      \
				            "(first defined at %s)", src->id,  \
				            where);                            \
				continue;                                      \
			}                                                      \
			if (!lmi_map_get(&cat->ids[KIND], src->id, &at))        \
				at = (uint32_t)ns->c.FIELD.n++;                \
			ns->c.FIELD.v[at] = *src;                              \
			if (lmi_map_put(&seen, src->id, at)) {                  \
				lmi_map_free(&seen);                            \
				return oom(ns);                                \
			}                                                      \
		}                                                              \
		lmi_map_free(&seen);                                            \
		if (!is_sorted(ns->c.FIELD.v, ns->c.FIELD.n, sizeof(T), CMP))  \
			qsort(ns->c.FIELD.v, ns->c.FIELD.n, sizeof(T), CMP);  \
		return LM_OK;                                                  \
	}

#define CMP_BY_ID(NAME, T)                                                     \
	static int NAME(const void *a, const void *b)                          \
	{                                                                      \
		return strcmp(((const T *)a)->id, ((const T *)b)->id);         \
	}                                                                      \
	static int NAME##_pos(const void *a, const void *b)                    \
	{                                                                      \
		int d = strcmp(((const T *)a)->id, ((const T *)b)->id);        \
		return d ? d : pos_cmp(&((const T *)a)->pos,                   \
		                       &((const T *)b)->pos);                  \
	}
CMP_BY_ID(cmp_place, lmi_place_rec)
CMP_BY_ID(cmp_garden, lmi_garden_rec)
CMP_BY_ID(cmp_skill, lmi_skill_rec)
CMP_BY_ID(cmp_expert, lmi_expert_rec)
CMP_BY_ID(cmp_company, lmi_company_rec)
CMP_BY_ID(cmp_need, lmi_need_rec)

COMBINE(places, lmi_place_rec, LM_PLACE, "place", cmp_place)
COMBINE(gardens, lmi_garden_rec, LM_GARDEN, "garden", cmp_garden)
COMBINE(skills, lmi_skill_rec, LM_SKILL, "skill", cmp_skill)
COMBINE(experts, lmi_expert_rec, LM_EXPERT, "expert", cmp_expert)
COMBINE(companies, lmi_company_rec, LM_COMPANY, "company", cmp_company)
COMBINE(needs, lmi_need_rec, LM_NEED, "need", cmp_need)

static int combine_records(next_state *ns, const lm_catalog *cat,
                           lm_catalog *batch)
{
	if (combine_places(ns, cat, batch) || combine_gardens(ns, cat, batch) ||
	    combine_skills(ns, cat, batch) || combine_experts(ns, cat, batch) ||
	    combine_companies(ns, cat, batch) || combine_needs(ns, cat, batch))
		return ns->rc;
	return LM_OK;
}

/* ---- look-up maps and references ---------------------------------------- */

/* The id maps and folded maps of the next state (lookup.c); a clash of
 * folded ids or aliases is a diagnostic. */
static int build_maps(next_state *ns)
{
	return lmi_catalog_build_maps(&ns->c, ns->err) ? oom(ns) : LM_OK;
}

/* Resolve a reference in the next state; a diagnostic when it dangles. */
static uint32_t resolve(next_state *ns, lm_kind kind, const lmi_ref *ref,
                        const char *context)
{
	uint32_t i;
	bool ambiguous = false;
	if (ref->id && lmi_catalog_lookup_folded(&ns->c, kind, ref->id, &i, &ambiguous))
		return i;
	if (!ref->id) {
		lmi_err_diag(ns->err, &ref->pos, "%s: missing %s reference",
		            context, lmi_kind_singular[kind]);
		return LM_NONE;
	}
	if (ambiguous) {
		lmi_err_diag(ns->err, &ref->pos, "%s refers to %s '%s', a name of "
		            "more than one %s; use its id", context,
		            lmi_kind_singular[kind], ref->id, lmi_kind_singular[kind]);
		return LM_NONE;
	}
	/* Suggestions scan every id: only worth it for reported problems. */
	const char *s = ns->err->ndiags < LM_DIAG_CAP
		? lmi_catalog_suggest(&ns->c, kind, ref->id) : NULL;
	if (s)
		lmi_err_diag(ns->err, &ref->pos,
		            "%s refers to unknown %s '%s' (did you mean '%s'?)",
		            context, lmi_kind_singular[kind], ref->id, s);
	else
		lmi_err_diag(ns->err, &ref->pos, "%s refers to unknown %s '%s'",
		            context, lmi_kind_singular[kind], ref->id);
	return LM_NONE;
}

#define ALLOC(p, n)                                                            \
	do {                                                                   \
		(p) = lmi_reallocarray(NULL, (n) != 0 ? (n) : 1, sizeof(*(p))); \
		if (!(p)) return oom(ns);                                      \
	} while (0)

/*
 * Where a company or an expert is: the index of the place its reference
 * names (LM_NONE when it gives coordinates instead, or when the reference
 * dangles), and in *lat, *lon that place's coordinates, else its own.
 */
static uint32_t locate(next_state *ns, bool is_coords, const lmi_ref *place,
                       double own_lat, double own_lon, const char *context,
                       double *lat, double *lon)
{
	*lat = own_lat;
	*lon = own_lon;
	if (is_coords)
		return LM_NONE;
	uint32_t p = resolve(ns, LM_PLACE, place, context);
	if (p != LM_NONE) {
		*lat = ns->c.r.place_lat[p];
		*lon = ns->c.r.place_lon[p];
	}
	return p;
}

static int resolve_geo(next_state *ns)
{
	lm_catalog *c = &ns->c;
	lmi_resolved *r = &c->r;
	ALLOC(r->place_lat, c->places.n);
	ALLOC(r->place_lon, c->places.n);
	for (size_t i = 0; i < c->places.n; i++) {
		r->place_lat[i] = c->places.v[i].lat;
		r->place_lon[i] = c->places.v[i].lon;
	}
	ALLOC(r->garden_place, c->gardens.n);
	for (size_t i = 0; i < c->gardens.n; i++) {
		char ctx[300];
		snprintf(ctx, sizeof(ctx), "garden '%.256s'", c->gardens.v[i].id);
		r->garden_place[i] = resolve(ns, LM_PLACE, &c->gardens.v[i].place, ctx);
	}
	ALLOC(r->company_place, c->companies.n);
	ALLOC(r->company_garden, c->companies.n);
	ALLOC(r->company_lat, c->companies.n);
	ALLOC(r->company_lon, c->companies.n);
	for (size_t i = 0; i < c->companies.n; i++) {
		const lmi_company_rec *co = &c->companies.v[i];
		char ctx[300];
		snprintf(ctx, sizeof(ctx), "company '%.256s'", co->id);
		r->company_place[i] = locate(ns, co->place_is_coords, &co->place,
		                             co->place_lat, co->place_lon, ctx,
		                             &r->company_lat[i], &r->company_lon[i]);
		r->company_garden[i] = co->garden.id
			? resolve(ns, LM_GARDEN, &co->garden, ctx) : LM_NONE;
	}
	ALLOC(r->company_retired, c->companies.n);
	for (size_t i = 0; i < c->companies.n; i++)
		r->company_retired[i] = c->companies.v[i].retired != NULL;
	return ns->rc;
}

static int resolve_skills(next_state *ns)
{
	lm_catalog *c = &ns->c;
	lmi_resolved *r = &c->r;
	size_t n = c->skills.n;
	ALLOC(r->skill_parent, n);
	ALLOC(r->skill_depth, n);
	for (size_t i = 0; i < n; i++) {
		const lmi_skill_rec *s = &c->skills.v[i];
		char ctx[300];
		snprintf(ctx, sizeof(ctx), "skill '%.256s'", s->id);
		r->skill_parent[i] = s->parent.id
			? resolve(ns, LM_SKILL, &s->parent, ctx) : LM_NONE;
		r->skill_depth[i] = UINT32_MAX; /* not yet known */
	}
	/*
	 * Depths by walking up from each skill not yet done, marking the path
	 * (GREY) until a root or a skill of known depth (BLACK).  Reaching a
	 * GREY skill means the path closed a cycle: it is reported once, at a
	 * member read from a file when there is one, and broken there, and
	 * the walk is redone.  Every skill turns BLACK once: linear time.
	 */
	enum { WHITE, GREY, BLACK };
	uint8_t *colour = calloc(n + 1, 1);
	uint32_t *path = lmi_reallocarray(NULL, n + 1, sizeof(*path));
	if (!colour || !path) {
		free(colour);
		free(path);
		return oom(ns);
	}
	for (size_t i = 0; i < n; i++) {
		if (colour[i] == BLACK)
			continue;
		size_t len = 0;
		uint32_t j = (uint32_t)i;
		while (j != LM_NONE && colour[j] == WHITE) {
			colour[j] = GREY;
			path[len++] = j;
			j = r->skill_parent[j];
		}
		if (j != LM_NONE && colour[j] == GREY) {
			uint32_t at = j, k = j;
			do {
				if (c->skills.v[k].parent.pos.line) {
					at = k;
					break;
				}
				k = r->skill_parent[k];
			} while (k != j);
			lmi_err_diag(ns->err, &c->skills.v[at].parent.pos,
			            "skill '%s' is its own ancestor: the taxonomy "
			            "has a cycle", c->skills.v[at].id);
			r->skill_parent[at] = LM_NONE;
			for (size_t t = 0; t < len; t++)
				colour[path[t]] = WHITE;
			i--;
			continue;
		}
		uint32_t d = j == LM_NONE ? 0 : r->skill_depth[j] + 1;
		while (len > 0) {
			uint32_t k = path[--len];
			r->skill_depth[k] = d++;
			colour[k] = BLACK;
		}
	}
	free(colour);
	free(path);
	return ns->rc;
}

/* An item of a record's list by what it resolved to (a skill index, a
 * quarter), with its index in the list. */
typedef struct key_pair {
	uint32_t key;
	uint32_t src;
} key_pair;

static int cmp_key_pair(const void *a, const void *b)
{
	const key_pair *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->src < y->src ? -1 : x->src > y->src;
}

/* v[0..m) by key, then by place in the list, so that an item given twice
 * is next to its first: a handful sorts fastest by insertion. */
static void sort_pairs(key_pair *v, size_t m)
{
	if (m > 16) {
		qsort(v, m, sizeof(*v), cmp_key_pair);
		return;
	}
	for (size_t a = 1; a < m; a++) {
		key_pair x = v[a];
		size_t b = a;
		for (; b > 0 && cmp_key_pair(&v[b - 1], &x) > 0; b--)
			v[b] = v[b - 1];
		v[b] = x;
	}
}

static int resolve_experts(next_state *ns)
{
	lm_catalog *c = &ns->c;
	lmi_resolved *r = &c->r;
	size_t n = c->experts.n, nsk = 0, ncf = 0, nl = 0;
	for (size_t i = 0; i < n; i++) {
		nsk += c->experts.v[i].n_skills;
		ncf += c->experts.v[i].n_conflicts;
		nl += c->experts.v[i].n_languages;
	}
	ALLOC(r->expert_garden, n);
	ALLOC(r->expert_home, n);
	ALLOC(r->expert_lat, n);
	ALLOC(r->expert_lon, n);
	ALLOC(r->expert_max_km, n);
	ALLOC(r->expert_capacity, n);
	ALLOC(r->expert_remote, n);
	ALLOC(r->expert_skill_off, n + 1);
	ALLOC(r->expert_skill, nsk);
	ALLOC(r->expert_level, nsk);
	ALLOC(r->expert_conflict_off, n + 1);
	ALLOC(r->expert_conflict, ncf);
	ALLOC(r->expert_lang_off, n + 1);
	ALLOC(r->expert_lang, nl);
	key_pair *tmp = NULL;
	size_t tmp_cap = 0, at = 0, cat_ = 0, lat_ = 0;
	for (size_t i = 0; i < n; i++) {
		const lmi_expert_rec *e = &c->experts.v[i];
		char ctx[300];
		snprintf(ctx, sizeof(ctx), "expert '%.256s'", e->id);
		r->expert_garden[i] = resolve(ns, LM_GARDEN, &e->garden, ctx);
		r->expert_home[i] = locate(ns, e->home_is_coords, &e->home,
		                           e->home_lat, e->home_lon, ctx,
		                           &r->expert_lat[i], &r->expert_lon[i]);
		r->expert_max_km[i] = e->max_travel_km >= 0
			? e->max_travel_km : c->eff.max_travel_km;
		r->expert_capacity[i] = e->capacity >= 0
			? e->capacity : c->eff.default_capacity;
		r->expert_remote[i] = e->remote != 0;

		if (e->n_skills > tmp_cap) {
			key_pair *t = lmi_reallocarray(tmp, e->n_skills, sizeof(*t));
			if (!t) { free(tmp); return oom(ns); }
			tmp = t;
			tmp_cap = e->n_skills;
		}
		size_t m = 0;
		for (uint32_t j = 0; j < e->n_skills; j++) {
			uint32_t s = resolve(ns, LM_SKILL, &e->skills[j].skill, ctx);
			if (s != LM_NONE)
				tmp[m++] = (key_pair){s, j};
		}
		/* Skill index order, which is id order. */
		sort_pairs(tmp, m);
		r->expert_skill_off[i] = (uint32_t)at;
		for (size_t j = 0; j < m; j++) {
			if (j && tmp[j].key == tmp[j - 1].key) {
				lmi_err_diag(ns->err, &e->skills[tmp[j].src].skill.pos,
				            "expert '%s' lists skill '%s' twice",
				            e->id, c->skills.v[tmp[j].key].id);
				continue;
			}
			r->expert_skill[at] = tmp[j].key;
			r->expert_level[at] = (uint8_t)e->skills[tmp[j].src].level;
			at++;
		}
		r->expert_conflict_off[i] = (uint32_t)cat_;
		for (uint32_t j = 0; j < e->n_conflicts; j++) {
			uint32_t co = resolve(ns, LM_COMPANY, &e->conflicts[j], ctx);
			if (co != LM_NONE)
				r->expert_conflict[cat_++] = co;
		}
		r->expert_lang_off[i] = (uint32_t)lat_;
		for (uint32_t j = 0; j < e->n_languages; j++)
			if (e->languages[j])
				r->expert_lang[lat_++] = e->languages[j];
	}
	r->expert_skill_off[n] = (uint32_t)at;
	r->expert_conflict_off[n] = (uint32_t)cat_;
	r->expert_lang_off[n] = (uint32_t)lat_;
	free(tmp);
	return ns->rc;
}

/* A quarter of a record as a number (model/period.h), 0 for none; one
 * that is not a quarter (the YAML reader refuses it: a database changed
 * by hand) is a diagnostic. */
static uint32_t quarter(next_state *ns, const char *s, const lmi_pos *pos,
                        const char *context)
{
	uint32_t q = 0;
	if (s && !lmi_period_parse(s, strlen(s), &q))
		lmi_err_diag(ns->err, pos, "%s: '%s' is not a quarter YYYY-QN",
		            context, s);
	return q;
}

/* When experts work: retired or not, and their capacity in the quarters
 * their availability names, sorted by quarter. */
static int resolve_expert_time(next_state *ns)
{
	lm_catalog *c = &ns->c;
	lmi_resolved *r = &c->r;
	size_t n = c->experts.n, total = 0, at = 0;
	for (size_t i = 0; i < n; i++)
		total += c->experts.v[i].n_availability;
	ALLOC(r->expert_retired, n);
	ALLOC(r->expert_avail_off, n + 1);
	ALLOC(r->expert_avail_period, total);
	ALLOC(r->expert_avail_cap, total);
	key_pair *tmp;
	ALLOC(tmp, total);
	for (size_t i = 0; i < n; i++) {
		const lmi_expert_rec *e = &c->experts.v[i];
		char ctx[300];
		snprintf(ctx, sizeof(ctx), "expert '%.256s'", e->id);
		r->expert_retired[i] = e->retired != NULL;
		r->expert_avail_off[i] = (uint32_t)at;
		size_t m = 0;
		for (uint32_t j = 0; j < e->n_availability; j++) {
			const lmi_availability_rec *a = &e->availability[j];
			uint32_t q = quarter(ns, a->period, &a->pos, ctx);
			if (q)
				tmp[m++] = (key_pair){q, j};
		}
		/* Read in quarter order (the YAML reader sorts them, the
		 * store keeps them so), but a database changed by hand may
		 * not be. */
		sort_pairs(tmp, m);
		for (size_t j = 0; j < m; j++) {
			const lmi_availability_rec *a = &e->availability[tmp[j].src];
			if (j && tmp[j].key == tmp[j - 1].key) {
				lmi_err_diag(ns->err, &a->pos, "%s gives quarter %s "
				            "twice", ctx, a->period);
				continue;
			}
			r->expert_avail_period[at] = tmp[j].key;
			r->expert_avail_cap[at] = a->capacity;
			at++;
		}
	}
	r->expert_avail_off[n] = (uint32_t)at;
	free(tmp);
	return ns->rc;
}

static int resolve_needs(next_state *ns)
{
	lm_catalog *c = &ns->c;
	lmi_resolved *r = &c->r;
	size_t n = c->needs.n, nsk = 0;
	for (size_t i = 0; i < n; i++)
		nsk += c->needs.v[i].n_skills;
	ALLOC(r->need_company, n);
	ALLOC(r->need_skill_off, n + 1);
	ALLOC(r->need_skill, nsk);
	ALLOC(r->need_level, nsk);
	ALLOC(r->need_weight, nsk);
	ALLOC(r->need_optional, nsk);
	ALLOC(r->need_team, n);
	ALLOC(r->need_status, n);
	ALLOC(r->need_retired, n);
	ALLOC(r->need_from, n);
	ALLOC(r->need_until, n);
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		const lmi_need_rec *nd = &c->needs.v[i];
		char ctx[300];
		snprintf(ctx, sizeof(ctx), "need '%.256s'", nd->id);
		r->need_company[i] = resolve(ns, LM_COMPANY, &nd->company, ctx);
		r->need_team[i] = nd->team > 0 ? nd->team : 1;
		r->need_status[i] = (uint8_t)nd->status;
		r->need_retired[i] = nd->retired != NULL;
		r->need_from[i] = quarter(ns, nd->from, &nd->from_pos, ctx);
		r->need_until[i] = quarter(ns, nd->until, &nd->until_pos, ctx);
		r->need_skill_off[i] = (uint32_t)at;
		size_t first = at;
		for (uint32_t j = 0; j < nd->n_skills; j++) {
			uint32_t s = resolve(ns, LM_SKILL, &nd->skills[j].skill, ctx);
			if (s == LM_NONE)
				continue;
			bool dup = false;
			for (size_t k = first; k < at; k++)
				dup |= r->need_skill[k] == s;
			if (dup) {
				lmi_err_diag(ns->err, &nd->skills[j].skill.pos,
				            "need '%s' names skill '%s' twice",
				            nd->id, c->skills.v[s].id);
				continue;
			}
			r->need_skill[at] = s;
			r->need_level[at] = (uint8_t)nd->skills[j].level;
			r->need_weight[at] = nd->skills[j].weight;
			r->need_optional[at] = nd->skills[j].optional;
			at++;
		}
	}
	r->need_skill_off[n] = (uint32_t)at;
	return ns->rc;
}

/* Distances are keyed by the unordered pair of places they join. */
static void dist_key(uint32_t a, uint32_t b, char *buf, size_t size)
{
	if (a > b) {
		uint32_t t = a; a = b; b = t;
	}
	snprintf(buf, size, "%u\x1f%u", a, b);
}

static int resolve_distances(next_state *ns, const lm_catalog *cat,
                             const lm_catalog *batch)
{
	lm_catalog *c = &ns->c;
	lmi_resolved *r = &c->r;
	size_t n0 = cat->distances.n, nb = batch->distances.n, total = n0 + nb;
	ALLOC(c->distances.v, total);
	ALLOC(r->dist_km, total);
	ALLOC(r->dist_keys, total * 24);
	c->distances.cap = total;
	size_t n = 0;
	lmi_map from_batch = {0};
	for (size_t i = 0; i < total; i++) {
		bool is_batch = i >= n0;
		const lmi_distance_rec *d = is_batch ? &batch->distances.v[i - n0]
		                                    : &cat->distances.v[i];
		uint32_t a = resolve(ns, LM_PLACE, &d->from, "distance");
		uint32_t b = resolve(ns, LM_PLACE, &d->to, "distance");
		if (a == LM_NONE || b == LM_NONE)
			continue;
		if (a == b) {
			lmi_err_diag(ns->err, &d->to.pos, "distance from '%s' to "
			            "itself", d->from.id);
			continue;
		}
		char key[24];
		dist_key(a, b, key, sizeof(key));
		uint32_t at;
		if (lmi_map_get(&r->dist_map, key, &at)) {
			if (is_batch && lmi_map_get(&from_batch, key, NULL)) {
				char where[512];
				pos_text(&c->distances.v[at].pos, where, sizeof(where));
				lmi_err_diag(ns->err, &d->pos,
				            "duplicate distance %s-%s (first given "
				            "at %s)", d->from.id, d->to.id, where);
				continue;
			}
		} else {
			at = (uint32_t)n++;
			char *k = r->dist_keys + (size_t)at * 24;
			memcpy(k, key, sizeof(key));
			if (lmi_map_put(&r->dist_map, k, at)) {
				lmi_map_free(&from_batch);
				return oom(ns);
			}
		}
		c->distances.v[at] = *d;
		r->dist_km[at] = d->km;
		if (is_batch && lmi_map_put(&from_batch,
		                           r->dist_keys + (size_t)at * 24, at)) {
			lmi_map_free(&from_batch);
			return oom(ns);
		}
	}
	lmi_map_free(&from_batch);
	c->distances.n = n;
	return ns->rc;
}

/* An engagement with its origin, so that a batch record sorts after the
 * catalogue's record with the same key and replaces it. */
typedef struct eng_item {
	lmi_engagement_rec rec;
	size_t order;
	uint32_t need, expert; /* resolved indices, LM_NONE when dangling */
} eng_item;

static int cmp_eng_key(const lmi_engagement_rec *x, const lmi_engagement_rec *y)
{
	int d = strcmp(x->period, y->period);
	if (!d)
		d = strcmp(x->need.id, y->need.id);
	if (!d)
		d = strcmp(x->expert.id, y->expert.id);
	return d;
}

static int cmp_eng_item(const void *a, const void *b)
{
	const eng_item *x = a, *y = b;
	int d = cmp_eng_key(&x->rec, &y->rec);
	if (d)
		return d;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int resolve_engagements(next_state *ns, const lm_catalog *cat,
                               const lm_catalog *batch)
{
	lm_catalog *c = &ns->c;
	lmi_resolved *r = &c->r;
	size_t n0 = cat->engagements.n, total = n0 + batch->engagements.n;
	eng_item *items;
	ALLOC(items, total);
	for (size_t i = 0; i < total; i++) {
		items[i].rec = i < n0 ? cat->engagements.v[i]
		                      : batch->engagements.v[i - n0];
		items[i].order = i;
		lmi_engagement_rec *e = &items[i].rec;
		uint32_t nd = resolve(ns, LM_NEED, &e->need, "engagement");
		uint32_t ex = resolve(ns, LM_EXPERT, &e->expert, "engagement");
		/* Canonical ids, so that names given in YAML export as ids. */
		if (nd != LM_NONE)
			e->need.id = c->needs.v[nd].id;
		if (ex != LM_NONE)
			e->expert.id = c->experts.v[ex].id;
		items[i].need = nd;
		items[i].expert = ex;
	}
	qsort(items, total, sizeof(*items), cmp_eng_item);
	c->engagements.v = lmi_reallocarray(NULL, total ? total : 1,
	                                   sizeof(*c->engagements.v));
	r->eng_need = lmi_reallocarray(NULL, total ? total : 1, sizeof(uint32_t));
	r->eng_expert = lmi_reallocarray(NULL, total ? total : 1, sizeof(uint32_t));
	r->eng_new = lmi_reallocarray(NULL, total ? total : 1, sizeof(bool));
	if (!c->engagements.v || !r->eng_need || !r->eng_expert || !r->eng_new) {
		free(items);
		return oom(ns);
	}
	c->engagements.cap = total;
	size_t m = 0;
	for (size_t i = 0; i < total; i++) {
		if (m && !cmp_eng_key(&c->engagements.v[m - 1], &items[i].rec)) {
			if (items[i - 1].order >= n0) {
				lmi_err_diag(ns->err, &items[i].rec.pos,
				            "engagement %s %s %s is given twice",
				            items[i].rec.period, items[i].rec.need.id,
				            items[i].rec.expert.id);
				continue;
			}
			m--; /* the batch's record replaces the catalogue's */
		}
		c->engagements.v[m] = items[i].rec;
		r->eng_need[m] = items[i].need;
		r->eng_expert[m] = items[i].expert;
		/* Of the batch, and read from a file (not a database). */
		r->eng_new[m] = items[i].order >= n0 && items[i].rec.pos.file;
		m++;
	}
	free(items);
	c->engagements.n = m;
	return ns->rc;
}

/* ---- settings and canonical ids ------------------------------------------ */

static void merge_settings(next_state *ns, const lm_catalog *cat,
                           const lm_catalog *batch)
{
	lmi_settings_rec *s = &ns->c.settings;
	*s = cat->settings;
	const lmi_settings_rec *b = &batch->settings;
	for (int k = 0; k < LM_SET_COUNT; k++) {
		if (!(b->set & (1u << k)))
			continue;
		const lmi_setting_desc *d = &lmi_settings[k];
		double v = lmi_setting_get(b, k);
		bool bad = d->lo_open ? !(v > d->lo) : !(v >= d->lo);
		if (bad || !(v <= d->hi)) {
			/* As the loader words its ranges (io/yaml_values.c). */
			if (d->lo_open)
				lmi_err_diag(ns->err, &b->pos[k],
				            "setting %s = %g must be more than %g "
				            "and at most %g", d->key, v, d->lo, d->hi);
			else
				lmi_err_diag(ns->err, &b->pos[k],
				            "setting %s = %g is outside %g..%g", d->key,
				            v, d->lo, d->hi);
			continue;
		}
		lmi_setting_set(s, k, v);
		s->set |= 1u << k;
		s->pos[k] = b->pos[k];
	}
	ns->c.eff = s->v;
}

/* Rewrite a reference to the canonical id of what it resolved to. */
static void canon(const lm_catalog *c, lm_kind kind, lmi_ref *ref, uint32_t ix)
{
	if (ref->id && ix == LM_NONE)
		lmi_catalog_lookup(c, kind, ref->id, &ix);
	if (ix != LM_NONE && ix != LMI_AMBIGUOUS)
		ref->id = lmi_catalog_id(c, kind, ix);
}

/*
 * After a successful merge every reference holds the id of the record it
 * resolved to, not the name it was written with: otherwise a later load
 * that adds a record with that name (or makes it ambiguous) would quietly
 * re-point it.  Runs only on success, since record sub-arrays are shared
 * with the catalogue being replaced.
 */
static void canonicalize(lm_catalog *c)
{
	const lmi_resolved *r = &c->r;
	for (size_t i = 0; i < c->gardens.n; i++)
		canon(c, LM_PLACE, &c->gardens.v[i].place, r->garden_place[i]);
	for (size_t i = 0; i < c->skills.n; i++)
		if (c->skills.v[i].parent.id)
			canon(c, LM_SKILL, &c->skills.v[i].parent, r->skill_parent[i]);
	for (size_t i = 0; i < c->companies.n; i++) {
		lmi_company_rec *co = &c->companies.v[i];
		if (!co->place_is_coords)
			canon(c, LM_PLACE, &co->place, r->company_place[i]);
		if (co->garden.id)
			canon(c, LM_GARDEN, &co->garden, r->company_garden[i]);
	}
	for (size_t i = 0; i < c->experts.n; i++) {
		lmi_expert_rec *e = &c->experts.v[i];
		canon(c, LM_GARDEN, &e->garden, r->expert_garden[i]);
		if (!e->home_is_coords)
			canon(c, LM_PLACE, &e->home, r->expert_home[i]);
		for (uint32_t j = 0; j < e->n_skills; j++)
			canon(c, LM_SKILL, &e->skills[j].skill, LM_NONE);
		for (uint32_t j = 0; j < e->n_conflicts; j++)
			canon(c, LM_COMPANY, &e->conflicts[j], LM_NONE);
	}
	for (size_t i = 0; i < c->needs.n; i++) {
		lmi_need_rec *nd = &c->needs.v[i];
		canon(c, LM_COMPANY, &nd->company, r->need_company[i]);
		for (uint32_t j = 0; j < nd->n_skills; j++)
			canon(c, LM_SKILL, &nd->skills[j].skill, LM_NONE);
	}
	for (size_t i = 0; i < c->distances.n; i++) {
		canon(c, LM_PLACE, &c->distances.v[i].from, LM_NONE);
		canon(c, LM_PLACE, &c->distances.v[i].to, LM_NONE);
	}
}

/* ---- the merge ----------------------------------------------------------- */

static void next_free(next_state *ns)
{
	lmi_catalog_free_vectors(&ns->c);
	lmi_catalog_free_maps(&ns->c);
	lmi_resolved_free(&ns->c.r);
}

int lmi_catalog_merge(lm_catalog *cat, lm_catalog *batch, lmi_err *err)
{
	next_state ns;
	memset(&ns, 0, sizeof(ns));
	ns.err = err;
	size_t before = err->ndiags + err->dropped;

	merge_settings(&ns, cat, batch);
	if (combine_records(&ns, cat, batch) ||
	    build_maps(&ns) ||
	    resolve_geo(&ns) ||
	    resolve_skills(&ns) ||
	    resolve_experts(&ns) ||
	    resolve_expert_time(&ns) ||
	    resolve_needs(&ns) ||
	    resolve_distances(&ns, cat, batch) ||
	    resolve_engagements(&ns, cat, batch))
		goto fail;
	/* Engagements against the records, once every reference holds. */
	if (err->ndiags + err->dropped == before &&
	    lmi_merge_check_engagements(&ns.c, batch, err))
		goto fail;
	if (err->ndiags + err->dropped > before)
		goto fail;
	canonicalize(&ns.c);

	/* Success: the next state becomes the catalogue. */
	lmi_catalog_free_vectors(cat);
	lmi_catalog_free_maps(cat);
	lmi_resolved_free(&cat->r);
	lmi_arena arena = cat->arena;
	lmi_err keep = cat->err;
	uint64_t data_version = cat->data_version;
	*cat = ns.c;
	cat->arena = arena;
	cat->err = keep;
	cat->data_version = data_version;
	cat->resolved_ok = true;
	lmi_arena_steal(&cat->arena, &batch->arena);
	lmi_catalog_free_vectors(batch);
	memset(&batch->settings, 0, sizeof(batch->settings));
	return LM_OK;

fail:
	next_free(&ns);
	/* A problem that could not even be recorded was out of memory. */
	if (ns.rc || err->ndiags + err->dropped == before)
		return lmi_err_set(err, LM_ENOMEM, "out of memory while merging");
	return LM_EINPUT;
}
