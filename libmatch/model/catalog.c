/* SPDX-License-Identifier: MIT */
/*
 * catalog.c -- the in-memory catalogue: records in id order, the maps
 * that find them, and the merge that validates a batch of new records
 * against everything already known before anything changes.
 *
 * A merge builds the complete next state (record arrays, id maps and the
 * resolved integer layer the engine reads) beside the current one, and
 * swaps it in only when there is no diagnostic.  That is what makes a load
 * all or nothing.  Records are copied by value; their strings live in
 * arenas, and the target takes over the batch's arena on success.
 */
#include "model/catalog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- small public helpers --------------------------------------------- */

const char *lm_strerror(int code)
{
	switch (code) {
	case LM_OK: return "success";
	case LM_ERROR: return "internal error";
	case LM_ENOMEM: return "out of memory";
	case LM_EINVAL: return "invalid argument";
	case LM_EINPUT: return "invalid input data";
	case LM_EIO: return "input/output error";
	case LM_EDB: return "database error";
	case LM_ENOTFOUND: return "not found";
	case LM_EINFEASIBLE: return "infeasible pair";
	case LM_EBUSY: return "database is busy";
	case LM_ECONFLICT: return "conflicting change";
	default: return "unknown error";
	}
}

const char *lm_version(void)
{
	return LM_VERSION;
}

static const char *const kind_names[LM_KIND_COUNT] = {
	"places", "gardens", "skills", "experts", "companies", "needs",
	"distances", "engagements"};
static const char *const kind_singular[LM_KIND_COUNT] = {
	"place", "garden", "skill", "expert", "company", "need",
	"distance", "engagement"};

const char *lm_kind_name(lm_kind kind)
{
	return (unsigned)kind < LM_KIND_COUNT ? kind_names[kind] : NULL;
}

int lm_kind_parse(const char *name, lm_kind *out)
{
	for (int k = 0; k < LM_KIND_COUNT; k++) {
		if (!strcasecmp(name, kind_names[k]) ||
		    !strcasecmp(name, kind_singular[k])) {
			*out = (lm_kind)k;
			return LM_OK;
		}
	}
	return LM_EINVAL;
}

static const char *const mode_names[] = {"onsite", "remote", "hybrid"};

const char *lm_mode_name(lm_mode mode)
{
	return (unsigned)mode < 3 ? mode_names[mode] : NULL;
}

int lm_mode_parse(const char *name, lm_mode *out)
{
	for (int m = 0; m < 3; m++) {
		if (!strcasecmp(name, mode_names[m])) {
			*out = (lm_mode)m;
			return LM_OK;
		}
	}
	return LM_EINVAL;
}

int lm_period_current(long long when, char *buf, size_t size)
{
	time_t t = when < 0 ? time(NULL) : (time_t)when;
	struct tm tm;
	if (!buf || size < 8 || !localtime_r(&t, &tm))
		return LM_EINVAL;
	snprintf(buf, size, "%04d-Q%d", tm.tm_year + 1900, tm.tm_mon / 3 + 1);
	return LM_OK;
}

/* ---- settings ------------------------------------------------------------ */

const char *const lmi_settings_keys[LM_SET_COUNT] = {
	"max_travel_km", "road_factor", "speed_kmh", "km_rate_nok",
	"weight_skill", "weight_distance", "hybrid_distance_factor",
	"credit_child", "credit_parent", "level_step", "default_capacity"};

void lmi_settings_default(lm_settings *s)
{
	s->max_travel_km = 300.0;
	s->road_factor = 1.0;
	s->speed_kmh = 70.0;
	s->km_rate_nok = 5.30;
	s->weight_skill = 0.7;
	s->weight_distance = 0.3;
	s->hybrid_distance_factor = 0.5;
	s->credit_child = 0.8;
	s->credit_parent = 0.5;
	s->level_step = 0.05;
	s->default_capacity = 2;
}

double *lmi_settings_field(lm_settings *s, int key)
{
	switch (key) {
	case LM_SET_MAX_TRAVEL_KM: return &s->max_travel_km;
	case LM_SET_ROAD_FACTOR: return &s->road_factor;
	case LM_SET_SPEED_KMH: return &s->speed_kmh;
	case LM_SET_KM_RATE_NOK: return &s->km_rate_nok;
	case LM_SET_WEIGHT_SKILL: return &s->weight_skill;
	case LM_SET_WEIGHT_DISTANCE: return &s->weight_distance;
	case LM_SET_HYBRID_DISTANCE_FACTOR: return &s->hybrid_distance_factor;
	case LM_SET_CREDIT_CHILD: return &s->credit_child;
	case LM_SET_CREDIT_PARENT: return &s->credit_parent;
	case LM_SET_LEVEL_STEP: return &s->level_step;
	default: return NULL;
	}
}

/* Allowed range of each setting, checked at merge time. */
static const struct {
	double lo, hi;
	bool lo_open;
} settings_range[LM_SET_COUNT] = {
	[LM_SET_MAX_TRAVEL_KM] = {0, 20000, true},
	[LM_SET_ROAD_FACTOR] = {1, 5, false},
	[LM_SET_SPEED_KMH] = {0, 1000, true},
	[LM_SET_KM_RATE_NOK] = {0, 1000, false},
	/* > 0: remote needs are scored by skill alone */
	[LM_SET_WEIGHT_SKILL] = {0, 1000, true},
	[LM_SET_WEIGHT_DISTANCE] = {0, 1000, false},
	[LM_SET_HYBRID_DISTANCE_FACTOR] = {0, 1, false},
	[LM_SET_CREDIT_CHILD] = {0, 1, false},
	[LM_SET_CREDIT_PARENT] = {0, 1, false},
	[LM_SET_LEVEL_STEP] = {0, 0.25, false},
	[LM_SET_DEFAULT_CAPACITY] = {0, 1000, false},
};

/* ---- life cycle ------------------------------------------------------------ */

void lmi_resolved_experts_free(lmi_resolved *r)
{
	free(r->expert_garden); free(r->expert_home);
	free(r->expert_lat); free(r->expert_lon); free(r->expert_max_km);
	free(r->expert_capacity); free(r->expert_remote);
	free(r->expert_skill_off); free(r->expert_skill); free(r->expert_level);
	free(r->expert_conflict_off); free(r->expert_conflict);
	free(r->expert_lang_off); free(r->expert_lang);
	r->expert_garden = r->expert_home = NULL;
	r->expert_lat = r->expert_lon = r->expert_max_km = NULL;
	r->expert_capacity = NULL;
	r->expert_remote = NULL;
	r->expert_skill_off = r->expert_skill = NULL;
	r->expert_level = NULL;
	r->expert_conflict_off = r->expert_conflict = NULL;
	r->expert_lang_off = NULL;
	r->expert_lang = NULL;
}

void lmi_slot_set(lmi_slot *s, void *obj, void (*free_fn)(void *obj))
{
	lmi_slot_clear(s);
	s->obj = obj;
	s->free = free_fn;
}

void lmi_slot_clear(lmi_slot *s)
{
	if (s->obj && s->free)
		s->free(s->obj);
	s->obj = NULL;
	s->free = NULL;
}

static void resolved_free(lmi_resolved *r)
{
	lmi_slot_clear(&r->image);
	free(r->place_lat); free(r->place_lon);
	free(r->garden_place);
	free(r->skill_parent); free(r->skill_depth);
	lmi_resolved_experts_free(r);
	free(r->company_place); free(r->company_garden);
	free(r->company_lat); free(r->company_lon);
	free(r->need_company); free(r->need_skill_off); free(r->need_skill);
	free(r->need_level); free(r->need_weight); free(r->need_optional);
	lmi_map_free(&r->dist_map);
	free(r->dist_keys); free(r->dist_km);
	free(r->eng_need); free(r->eng_expert);
	lmi_slot_clear(&r->cand);
	memset(r, 0, sizeof(*r));
}

int lm_catalog_new(lm_catalog **out)
{
	if (!out)
		return LM_EINVAL;
	lm_catalog *cat = calloc(1, sizeof(*cat));
	*out = cat;
	if (!cat)
		return LM_ENOMEM;
	lmi_settings_default(&cat->settings.v);
	cat->eff = cat->settings.v;
	cat->resolved_ok = true;
	return LM_OK;
}

static void free_vectors(lm_catalog *c)
{
	free(c->places.v); free(c->gardens.v); free(c->skills.v);
	free(c->experts.v); free(c->companies.v); free(c->needs.v);
	free(c->distances.v); free(c->engagements.v);
	memset(&c->places, 0, sizeof(c->places));
	memset(&c->gardens, 0, sizeof(c->gardens));
	memset(&c->skills, 0, sizeof(c->skills));
	memset(&c->experts, 0, sizeof(c->experts));
	memset(&c->companies, 0, sizeof(c->companies));
	memset(&c->needs, 0, sizeof(c->needs));
	memset(&c->distances, 0, sizeof(c->distances));
	memset(&c->engagements, 0, sizeof(c->engagements));
}

static void free_maps(lm_catalog *c)
{
	for (int k = 0; k < LM_KIND_COUNT; k++) {
		lmi_map_free(&c->ids[k]);
		lmi_map_free(&c->folded[k]);
		c->names_pending[k] = false;
	}
	lmi_arena_free(&c->fold_arena);
}

void lm_catalog_free(lm_catalog *cat)
{
	if (!cat)
		return;
	free_vectors(cat);
	free_maps(cat);
	resolved_free(&cat->r);
	lmi_arena_free(&cat->arena);
	lmi_err_free(&cat->err);
	free(cat);
}

const char *lm_catalog_errmsg(const lm_catalog *cat)
{
	return cat ? lmi_err_msg(&cat->err) : "no catalogue";
}

size_t lm_catalog_diag_count(const lm_catalog *cat)
{
	return cat ? cat->err.ndiags : 0;
}

const lm_diag *lm_catalog_diag(const lm_catalog *cat, size_t i)
{
	return cat && i < cat->err.ndiags ? &cat->err.diags[i] : NULL;
}

/* ---- batch construction ---------------------------------------------------- */

#define BATCH_PUSH(fn, T, field)                                               \
	T *fn(lm_catalog *b)                                                   \
	{                                                                      \
		b->resolved_ok = false;                                        \
		return LM_VEC_PUSH(b->field);                                  \
	}
BATCH_PUSH(lmi_batch_place, lmi_place_rec, places)
BATCH_PUSH(lmi_batch_garden, lmi_garden_rec, gardens)
BATCH_PUSH(lmi_batch_skill, lmi_skill_rec, skills)
BATCH_PUSH(lmi_batch_company, lmi_company_rec, companies)
BATCH_PUSH(lmi_batch_distance, lmi_distance_rec, distances)
BATCH_PUSH(lmi_batch_engagement, lmi_engagement_rec, engagements)

lmi_expert_rec *lmi_batch_expert(lm_catalog *b)
{
	b->resolved_ok = false;
	lmi_expert_rec *e = LM_VEC_PUSH(b->experts);
	if (e) {
		e->capacity = -1;
		e->max_travel_km = -1;
		e->remote = -1;
	}
	return e;
}

lmi_need_rec *lmi_batch_need(lm_catalog *b)
{
	b->resolved_ok = false;
	lmi_need_rec *n = LM_VEC_PUSH(b->needs);
	if (n) {
		n->mode = LM_ONSITE;
		n->experts = 1;
	}
	return n;
}

/* ---- generic access to the id of a record ----------------------------------- */

const char *lmi_catalog_id(const lm_catalog *cat, lm_kind kind, uint32_t i)
{
	switch (kind) {
	case LM_PLACE: return i < cat->places.n ? cat->places.v[i].id : NULL;
	case LM_GARDEN: return i < cat->gardens.n ? cat->gardens.v[i].id : NULL;
	case LM_SKILL: return i < cat->skills.n ? cat->skills.v[i].id : NULL;
	case LM_EXPERT: return i < cat->experts.n ? cat->experts.v[i].id : NULL;
	case LM_COMPANY:
		return i < cat->companies.n ? cat->companies.v[i].id : NULL;
	case LM_NEED: return i < cat->needs.n ? cat->needs.v[i].id : NULL;
	default: return NULL;
	}
}

size_t lm_catalog_count(const lm_catalog *cat, lm_kind kind)
{
	if (!cat)
		return 0;
	switch (kind) {
	case LM_PLACE: return cat->places.n;
	case LM_GARDEN: return cat->gardens.n;
	case LM_SKILL: return cat->skills.n;
	case LM_EXPERT: return cat->experts.n;
	case LM_COMPANY: return cat->companies.n;
	case LM_NEED: return cat->needs.n;
	case LM_DISTANCE: return cat->distances.n;
	case LM_ENGAGEMENT: return cat->engagements.n;
	default: return 0;
	}
}

/* The display name of a record (name, label or title) used for look-ups. */
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

/* ---- the merge -------------------------------------------------------------- */

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

/*
 * Combine records of one kind: start from the target's, then each batch
 * record replaces the target's record of the same id or is appended.  Two
 * batch records with one id are a diagnostic at the second.
 */
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

/* A folded name that more than one record answers to: it finds none. */
#define LM_AMBIGUOUS (UINT32_MAX - 1)

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
			            "letter case", kind_singular[kind], s,
			            lmi_catalog_id(c, kind, other));
		}
	} else if (other != i && other != LM_AMBIGUOUS) {
		const char *oid = lmi_catalog_id(c, kind, other);
		char *of = fold_is_identity(oid) ? NULL : lmi_fold(oid);
		bool other_by_id = !strcmp(of ? of : oid, f);
		free(of);
		/* The key is there, so this only replaces its value and
		 * keeps no pointer to f. */
		if (!other_by_id)
			rc = lmi_map_put(m, f, LM_AMBIGUOUS);
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

static int build_maps(next_state *ns)
{
	for (int k = LM_PLACE; k <= LM_NEED; k++) {
		size_t n = lm_catalog_count(&ns->c, (lm_kind)k);
		/* Sized once: every id, and folded ids about as many. */
		if (lmi_map_reserve(&ns->c.ids[k], n) ||
		    lmi_map_reserve(&ns->c.folded[k], n))
			return oom(ns);
		for (uint32_t i = 0; i < n; i++) {
			const char *id = lmi_catalog_id(&ns->c, (lm_kind)k, i);
			if (lmi_map_put(&ns->c.ids[k], id, i))
				return oom(ns);
		}
		for (uint32_t i = 0; i < n; i++)
			if (put_folded(&ns->c, ns->err, (lm_kind)k,
			               lmi_catalog_id(&ns->c, (lm_kind)k, i), i, true))
				return oom(ns);
		ns->c.names_pending[k] = true;
	}
	if (add_names(&ns->c, LM_SKILL))
		return oom(ns);
	/* Aliases: a folded alias that already names another skill is
	 * ambiguous and rejected. */
	for (uint32_t i = 0; i < ns->c.skills.n; i++) {
		const lmi_skill_rec *s = &ns->c.skills.v[i];
		for (uint32_t j = 0; j < s->n_aliases; j++) {
			char *f = lmi_fold(s->aliases[j]);
			if (!f)
				return oom(ns);
			uint32_t other;
			if (lmi_map_get(&ns->c.folded[LM_SKILL], f, &other)) {
				if (other == LM_AMBIGUOUS)
					lmi_err_diag(ns->err, &s->alias_pos[j],
					            "alias '%s' of skill '%s' is the "
					            "label of more than one skill",
					            s->aliases[j], s->id);
				else if (other != i)
					lmi_err_diag(ns->err,
					            clash_pos(&s->alias_pos[j],
					                      &ns->c.skills.v[other].pos),
					            "alias '%s' of skill '%s' already "
					            "names skill '%s'",
					            s->aliases[j], s->id,
					            ns->c.skills.v[other].id);
				free(f);
				continue;
			}
			char *k = lmi_arena_strdup(&ns->c.fold_arena, f);
			free(f);
			if (!k || lmi_map_put(&ns->c.folded[LM_SKILL], k, i))
				return oom(ns);
		}
	}
	return LM_OK;
}

/* Look up by exact id, then by folded id, name, label or alias. */
static bool lookup_folded(const lm_catalog *cat, lm_kind kind, const char *key,
                          uint32_t *out, bool *ambiguous)
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
	if (ok && v == LM_AMBIGUOUS) {
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
	return lookup_folded(cat, kind, key, out, &ambiguous);
}

/* Levenshtein distance of two byte strings, capped at `cap`. */
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
		if (!m->keys[j] || m->vals[j] == LM_AMBIGUOUS)
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
	if (!cat || !key || !out || (unsigned)kind > LM_NEED)
		return LM_EINVAL;
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
	if (lookup_folded(cat, kind, key, &i, &ambiguous)) {
		*out = i;
		return LM_OK;
	}
	if (ambiguous)
		return lmi_err_set(&cat->err, LM_ENOTFOUND,
		                  "'%s' names more than one %s; use its id", key,
		                  kind_singular[kind]);
	const char *s = lmi_catalog_suggest(cat, kind, key);
	if (s)
		return lmi_err_set(&cat->err, LM_ENOTFOUND,
		                  "unknown %s '%s'; did you mean '%s'?",
		                  kind_singular[kind], key, s);
	return lmi_err_set(&cat->err, LM_ENOTFOUND, "unknown %s '%s'",
	                  kind_singular[kind], key);
}

/* Resolve a reference in the next state; a diagnostic when it dangles. */
static uint32_t resolve(next_state *ns, lm_kind kind, const lmi_ref *ref,
                        const char *context)
{
	uint32_t i;
	bool ambiguous = false;
	if (ref->id && lookup_folded(&ns->c, kind, ref->id, &i, &ambiguous))
		return i;
	if (!ref->id) {
		lmi_err_diag(ns->err, &ref->pos, "%s: missing %s reference",
		            context, kind_singular[kind]);
		return LM_NONE;
	}
	if (ambiguous) {
		lmi_err_diag(ns->err, &ref->pos, "%s refers to %s '%s', a name of "
		            "more than one %s; use its id", context,
		            kind_singular[kind], ref->id, kind_singular[kind]);
		return LM_NONE;
	}
	/* Suggestions scan every id: only worth it for reported problems. */
	const char *s = ns->err->ndiags < LM_DIAG_CAP
		? lmi_catalog_suggest(&ns->c, kind, ref->id) : NULL;
	if (s)
		lmi_err_diag(ns->err, &ref->pos,
		            "%s refers to unknown %s '%s' (did you mean '%s'?)",
		            context, kind_singular[kind], ref->id, s);
	else
		lmi_err_diag(ns->err, &ref->pos, "%s refers to unknown %s '%s'",
		            context, kind_singular[kind], ref->id);
	return LM_NONE;
}

#define ALLOC(p, n)                                                            \
	do {                                                                   \
		(p) = lmi_reallocarray(NULL, (n) != 0 ? (n) : 1, sizeof(*(p))); \
		if (!(p)) return oom(ns);                                      \
	} while (0)

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
		r->company_place[i] = LM_NONE;
		r->company_lat[i] = co->place_lat;
		r->company_lon[i] = co->place_lon;
		if (!co->place_is_coords) {
			uint32_t p = resolve(ns, LM_PLACE, &co->place, ctx);
			r->company_place[i] = p;
			if (p != LM_NONE) {
				r->company_lat[i] = r->place_lat[p];
				r->company_lon[i] = r->place_lon[p];
			}
		}
		r->company_garden[i] = co->garden.id
			? resolve(ns, LM_GARDEN, &co->garden, ctx) : LM_NONE;
	}
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

typedef struct sk_pair {
	uint32_t skill;
	uint32_t src; /* index in the record's list */
} sk_pair;

static int cmp_sk_pair(const void *a, const void *b)
{
	const sk_pair *x = a, *y = b;
	if (x->skill != y->skill)
		return x->skill < y->skill ? -1 : 1;
	return x->src < y->src ? -1 : x->src > y->src;
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
	sk_pair *tmp = NULL;
	size_t tmp_cap = 0, at = 0, cat_ = 0, lat_ = 0;
	for (size_t i = 0; i < n; i++) {
		const lmi_expert_rec *e = &c->experts.v[i];
		char ctx[300];
		snprintf(ctx, sizeof(ctx), "expert '%.256s'", e->id);
		r->expert_garden[i] = resolve(ns, LM_GARDEN, &e->garden, ctx);
		r->expert_home[i] = LM_NONE;
		r->expert_lat[i] = e->home_lat;
		r->expert_lon[i] = e->home_lon;
		if (!e->home_is_coords) {
			uint32_t p = resolve(ns, LM_PLACE, &e->home, ctx);
			r->expert_home[i] = p;
			if (p != LM_NONE) {
				r->expert_lat[i] = r->place_lat[p];
				r->expert_lon[i] = r->place_lon[p];
			}
		}
		r->expert_max_km[i] = e->max_travel_km >= 0
			? e->max_travel_km : c->eff.max_travel_km;
		r->expert_capacity[i] = e->capacity >= 0
			? e->capacity : c->eff.default_capacity;
		r->expert_remote[i] = e->remote != 0;

		if (e->n_skills > tmp_cap) {
			sk_pair *t = lmi_reallocarray(tmp, e->n_skills, sizeof(*t));
			if (!t) { free(tmp); return oom(ns); }
			tmp = t;
			tmp_cap = e->n_skills;
		}
		size_t m = 0;
		for (uint32_t j = 0; j < e->n_skills; j++) {
			uint32_t s = resolve(ns, LM_SKILL, &e->skills[j].skill, ctx);
			if (s != LM_NONE)
				tmp[m++] = (sk_pair){s, j};
		}
		/* Skill index order, which is id order: a handful of
		 * skills sorts fastest by insertion. */
		if (m > 16) {
			qsort(tmp, m, sizeof(*tmp), cmp_sk_pair);
		} else {
			for (size_t a = 1; a < m; a++) {
				sk_pair x = tmp[a];
				size_t b = a;
				for (; b > 0 && cmp_sk_pair(&tmp[b - 1], &x) > 0; b--)
					tmp[b] = tmp[b - 1];
				tmp[b] = x;
			}
		}
		r->expert_skill_off[i] = (uint32_t)at;
		for (size_t j = 0; j < m; j++) {
			if (j && tmp[j].skill == tmp[j - 1].skill) {
				lmi_err_diag(ns->err, &e->skills[tmp[j].src].skill.pos,
				            "expert '%s' lists skill '%s' twice",
				            e->id, c->skills.v[tmp[j].skill].id);
				continue;
			}
			r->expert_skill[at] = tmp[j].skill;
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
	size_t at = 0;
	for (size_t i = 0; i < n; i++) {
		const lmi_need_rec *nd = &c->needs.v[i];
		char ctx[300];
		snprintf(ctx, sizeof(ctx), "need '%.256s'", nd->id);
		r->need_company[i] = resolve(ns, LM_COMPANY, &nd->company, ctx);
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
	if (!c->engagements.v || !r->eng_need || !r->eng_expert) {
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
		m++;
	}
	free(items);
	c->engagements.n = m;
	return ns->rc;
}

static void merge_settings(next_state *ns, const lm_catalog *cat,
                           const lm_catalog *batch)
{
	lmi_settings_rec *s = &ns->c.settings;
	*s = cat->settings;
	const lmi_settings_rec *b = &batch->settings;
	for (int k = 0; k < LM_SET_COUNT; k++) {
		if (!(b->set & (1u << k)))
			continue;
		double v = k == LM_SET_DEFAULT_CAPACITY
			? (double)b->v.default_capacity
			: *lmi_settings_field((lm_settings *)&b->v, k);
		bool bad = settings_range[k].lo_open ? !(v > settings_range[k].lo)
		                                     : !(v >= settings_range[k].lo);
		if (bad || !(v <= settings_range[k].hi)) {
			lmi_err_diag(ns->err, &b->pos[k],
			            "setting %s = %g is outside %s%g..%g",
			            lmi_settings_keys[k], v,
			            settings_range[k].lo_open ? "(" : "",
			            settings_range[k].lo, settings_range[k].hi);
			continue;
		}
		if (k == LM_SET_DEFAULT_CAPACITY)
			s->v.default_capacity = b->v.default_capacity;
		else
			*lmi_settings_field(&s->v, k) = v;
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
	if (ix != LM_NONE && ix != LM_AMBIGUOUS)
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

static void next_free(next_state *ns)
{
	free_vectors(&ns->c);
	free_maps(&ns->c);
	resolved_free(&ns->c.r);
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
	    resolve_needs(&ns) ||
	    resolve_distances(&ns, cat, batch) ||
	    resolve_engagements(&ns, cat, batch))
		goto fail;
	if (err->ndiags + err->dropped > before)
		goto fail;
	canonicalize(&ns.c);

	/* Success: the next state becomes the catalogue. */
	free_vectors(cat);
	free_maps(cat);
	resolved_free(&cat->r);
	lmi_arena arena = cat->arena;
	lmi_err keep = cat->err;
	*cat = ns.c;
	cat->arena = arena;
	cat->err = keep;
	cat->resolved_ok = true;
	lmi_arena_steal(&cat->arena, &batch->arena);
	free_vectors(batch);
	memset(&batch->settings, 0, sizeof(batch->settings));
	return LM_OK;

fail:
	next_free(&ns);
	/* A problem that could not even be recorded was out of memory. */
	if (ns.rc || !err->ndiags)
		return lmi_err_set(err, LM_ENOMEM, "out of memory while merging");
	return LM_EINPUT;
}

/* ---- accessors ------------------------------------------------------------ */

#define CHECK_INDEX(field)                                                     \
	if (!cat || !out || index >= cat->field.n) return LM_EINVAL

int lm_catalog_place(const lm_catalog *cat, size_t index, lm_place_info *out)
{
	CHECK_INDEX(places);
	const lmi_place_rec *p = &cat->places.v[index];
	*out = (lm_place_info){p->id, p->name, p->lat, p->lon};
	return LM_OK;
}

int lm_catalog_garden(const lm_catalog *cat, size_t index, lm_garden_info *out)
{
	CHECK_INDEX(gardens);
	const lmi_garden_rec *g = &cat->gardens.v[index];
	uint32_t p = cat->r.garden_place[index];
	*out = (lm_garden_info){g->id, g->name,
	                        p != LM_NONE ? cat->places.v[p].id : g->place.id};
	return LM_OK;
}

int lm_catalog_skill(const lm_catalog *cat, size_t index, lm_skill_info *out)
{
	CHECK_INDEX(skills);
	const lmi_skill_rec *s = &cat->skills.v[index];
	uint32_t p = cat->r.skill_parent[index];
	*out = (lm_skill_info){s->id, s->label,
	                       p != LM_NONE ? cat->skills.v[p].id : NULL,
	                       s->n_aliases};
	return LM_OK;
}

const char *lm_catalog_skill_alias(const lm_catalog *cat, size_t index, size_t j)
{
	if (!cat || index >= cat->skills.n || j >= cat->skills.v[index].n_aliases)
		return NULL;
	return cat->skills.v[index].aliases[j];
}

int lm_catalog_expert(const lm_catalog *cat, size_t index, lm_expert_info *out)
{
	CHECK_INDEX(experts);
	const lmi_expert_rec *e = &cat->experts.v[index];
	const lmi_resolved *r = &cat->r;
	uint32_t g = r->expert_garden[index], h = r->expert_home[index];
	*out = (lm_expert_info){
		.id = e->id, .name = e->name,
		.garden = cat->gardens.v[g].id,
		.home = h != LM_NONE ? cat->places.v[h].id : NULL,
		.lat = r->expert_lat[index], .lon = r->expert_lon[index],
		.capacity = r->expert_capacity[index],
		.max_travel_km = r->expert_max_km[index],
		.remote = r->expert_remote[index],
		.skill_count = r->expert_skill_off[index + 1] -
		               r->expert_skill_off[index],
		.language_count = e->n_languages,
		.conflict_count = r->expert_conflict_off[index + 1] -
		                  r->expert_conflict_off[index],
	};
	return LM_OK;
}

int lm_catalog_expert_skill(const lm_catalog *cat, size_t index, size_t j,
                            lm_skill_req *out)
{
	CHECK_INDEX(experts);
	const lmi_resolved *r = &cat->r;
	size_t at = r->expert_skill_off[index] + j;
	if (at >= r->expert_skill_off[index + 1])
		return LM_EINVAL;
	*out = (lm_skill_req){cat->skills.v[r->expert_skill[at]].id,
	                      r->expert_level[at], 1.0, 0};
	return LM_OK;
}

const char *lm_catalog_expert_language(const lm_catalog *cat, size_t index,
                                       size_t j)
{
	if (!cat || index >= cat->experts.n || j >= cat->experts.v[index].n_languages)
		return NULL;
	return cat->experts.v[index].languages[j];
}

const char *lm_catalog_expert_conflict(const lm_catalog *cat, size_t index,
                                       size_t j)
{
	if (!cat || index >= cat->experts.n)
		return NULL;
	size_t at = cat->r.expert_conflict_off[index] + j;
	if (at >= cat->r.expert_conflict_off[index + 1])
		return NULL;
	return cat->companies.v[cat->r.expert_conflict[at]].id;
}

int lm_catalog_company(const lm_catalog *cat, size_t index, lm_company_info *out)
{
	CHECK_INDEX(companies);
	const lmi_company_rec *c = &cat->companies.v[index];
	uint32_t p = cat->r.company_place[index], g = cat->r.company_garden[index];
	*out = (lm_company_info){
		c->id, c->name, p != LM_NONE ? cat->places.v[p].id : NULL,
		g != LM_NONE ? cat->gardens.v[g].id : NULL,
		cat->r.company_lat[index], cat->r.company_lon[index]};
	return LM_OK;
}

int lm_catalog_need(const lm_catalog *cat, size_t index, lm_need_info *out)
{
	CHECK_INDEX(needs);
	const lmi_need_rec *n = &cat->needs.v[index];
	*out = (lm_need_info){
		n->id, cat->companies.v[cat->r.need_company[index]].id, n->title,
		n->mode, n->experts, n->language, n->max_km,
		cat->r.need_skill_off[index + 1] - cat->r.need_skill_off[index]};
	return LM_OK;
}

int lm_catalog_need_skill(const lm_catalog *cat, size_t index, size_t j,
                          lm_skill_req *out)
{
	CHECK_INDEX(needs);
	const lmi_resolved *r = &cat->r;
	size_t at = r->need_skill_off[index] + j;
	if (at >= r->need_skill_off[index + 1])
		return LM_EINVAL;
	*out = (lm_skill_req){cat->skills.v[r->need_skill[at]].id,
	                      r->need_level[at], r->need_weight[at],
	                      r->need_optional[at]};
	return LM_OK;
}

int lm_catalog_distance(const lm_catalog *cat, size_t index,
                        lm_distance_info *out)
{
	CHECK_INDEX(distances);
	const lmi_distance_rec *d = &cat->distances.v[index];
	uint32_t a, b;
	lmi_catalog_lookup(cat, LM_PLACE, d->from.id, &a);
	lmi_catalog_lookup(cat, LM_PLACE, d->to.id, &b);
	*out = (lm_distance_info){cat->places.v[a].id, cat->places.v[b].id, d->km};
	return LM_OK;
}

int lm_catalog_engagement(const lm_catalog *cat, size_t index,
                          lm_engagement_info *out)
{
	CHECK_INDEX(engagements);
	const lmi_engagement_rec *e = &cat->engagements.v[index];
	*out = (lm_engagement_info){e->period, e->need.id, e->expert.id, e->score};
	return LM_OK;
}

int lm_catalog_expert_has_skill(const lm_catalog *cat, size_t index, size_t skill)
{
	if (!cat || index >= cat->experts.n || skill >= cat->skills.n)
		return 0;
	const lmi_resolved *r = &cat->r;
	for (uint32_t k = r->expert_skill_off[index];
	     k < r->expert_skill_off[index + 1]; k++) {
		for (uint32_t s = r->expert_skill[k]; s != LM_NONE;
		     s = r->skill_parent[s])
			if (s == skill)
				return 1;
	}
	return 0;
}

void lm_catalog_settings(const lm_catalog *cat, lm_settings *out)
{
	*out = cat->eff;
}

int lm_catalog_expert_committed(const lm_catalog *cat, size_t expert,
                                const char *period)
{
	char cur[16];
	if (!period) {
		lm_period_current(-1, cur, sizeof(cur));
		period = cur;
	}
	int n = 0;
	for (size_t i = 0; i < cat->engagements.n; i++)
		if (cat->r.eng_expert[i] == expert &&
		    !strcmp(cat->engagements.v[i].period, period))
			n++;
	return n;
}
