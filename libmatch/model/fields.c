/* SPDX-License-Identifier: MIT */
/*
 * fields.c -- the tables of fields.h: each record kind's fields and the
 * settings, described once, and the generic accesses the readers and
 * writers share (a field's value, whether it was given, defaults, a
 * record of a kind by index, a new record of a batch).
 *
 * The order of a kind's rows is the order of its keys everywhere: the
 * reader checks them in it (so messages come in that order, and "did you
 * mean" prefers the earlier of two equally close keys), the exporter
 * writes them in it, and the store's columns follow it.
 */
#include "model/fields.h"

#include <string.h>

/* The engine reads an ENUM field through its enum type, the tables
 * through int. */
_Static_assert(sizeof(lm_mode) == sizeof(int), "lm_mode is an int");
_Static_assert(sizeof(lmi_need_status) == sizeof(int),
               "lmi_need_status is an int");

/* ---- field rows ------------------------------------------------------------ */

#define OFF(T, m) offsetof(T, m)

/* A text, a reference, a number, a whole number; `fl` are LMI_F_*. */
#define STR(T, m, k, fl, col) \
	{.key = k, .type = LMI_T_STR, .flags = fl, .off = OFF(T, m), \
	 .column = col}
#define REF(T, m, k, kind, fl, col) \
	{.key = k, .type = LMI_T_REF, .flags = fl, .off = OFF(T, m), \
	 .ref = kind, .column = col}
#define NUM(T, m, k, fl, l, h, open, d, col) \
	{.key = k, .type = LMI_T_NUM, .flags = fl, .off = OFF(T, m), \
	 .lo = l, .hi = h, .lo_open = open, .dflt = d, .column = col}
#define INT(T, m, k, fl, l, h, d, col) \
	{.key = k, .type = LMI_T_INT, .flags = fl, .off = OFF(T, m), \
	 .lo = l, .hi = h, .dflt = d, .column = col}
/* Latitude and longitude, wherever they are. */
#define LAT(T, m, col) \
	{.key = "lat", .type = LMI_T_NUM, .flags = LMI_F_REQUIRED, \
	 .off = OFF(T, m), .lo = -90, .hi = 90, .noun = "latitude", \
	 .column = col}
#define LON(T, m, col) \
	{.key = "lon", .type = LMI_T_NUM, .flags = LMI_F_REQUIRED, \
	 .off = OFF(T, m), .lo = -180, .hi = 180, .noun = "longitude", \
	 .column = col}
/* A place or {lat, lon}: ref m, flag c, coordinates la and lo. */
#define LOC(T, m, c, la, lo_, k, fl, col, col_la, col_lo) \
	{.key = k, .type = LMI_T_LOC, .flags = fl, .off = OFF(T, m), \
	 .off_coords = OFF(T, c), .off_lat = OFF(T, la), \
	 .off_lon = OFF(T, lo_), .ref = LM_PLACE, .column = col, \
	 .column_lat = col_la, .column_lon = col_lo}

/* A day a record was retired; every kind that can be has this row. */
#define RETIRED(T) \
	{.key = "retired", .type = LMI_T_DATE, .off = OFF(T, retired), \
	 .column = "retired", .since = 4}

#define ROWS(a) (a), (sizeof(a) / sizeof((a)[0]))
#define DESC(k, noun_, plural_, T, rows, keys) \
	{.kind = k, .noun = noun_, .plural = plural_, .size = sizeof(T), \
	 .off_pos = OFF(T, pos), .fields = ROWS(rows), .key_columns = keys}

static const lmi_field place_fields[] = {
	STR(lmi_place_rec, id, "id", LMI_F_REQUIRED, "id"),
	STR(lmi_place_rec, name, "name", LMI_F_REQUIRED, "name"),
	LAT(lmi_place_rec, lat, "lat"),
	LON(lmi_place_rec, lon, "lon"),
};

static const lmi_field garden_fields[] = {
	STR(lmi_garden_rec, id, "id", LMI_F_REQUIRED, "id"),
	STR(lmi_garden_rec, name, "name", LMI_F_REQUIRED, "name"),
	REF(lmi_garden_rec, place, "place", LM_PLACE, LMI_F_REQUIRED, "place"),
};

static const lmi_field skill_fields[] = {
	STR(lmi_skill_rec, id, "id", LMI_F_REQUIRED, "id"),
	STR(lmi_skill_rec, label, "label", LMI_F_REQUIRED, "label"),
	REF(lmi_skill_rec, parent, "parent", LM_SKILL, LMI_F_NULLABLE,
	    "parent"),
	{.key = "aliases", .type = LMI_T_STRS, .flags = LMI_F_POS,
	 .off = OFF(lmi_skill_rec, aliases),
	 .off_count = OFF(lmi_skill_rec, n_aliases),
	 .off_pos = OFF(lmi_skill_rec, alias_pos),
	 .child = "skill_aliases", .child_value = "alias"},
	{.key = "keywords", .type = LMI_T_STRS, .flags = LMI_F_POS,
	 .noun = "keyword", .off = OFF(lmi_skill_rec, keywords),
	 .off_count = OFF(lmi_skill_rec, n_keywords),
	 .off_pos = OFF(lmi_skill_rec, keyword_pos), .since = 4,
	 .child = "skill_keywords", .child_value = "keyword"},
};

static const lmi_field expert_fields[] = {
	STR(lmi_expert_rec, id, "id", LMI_F_REQUIRED, "id"),
	STR(lmi_expert_rec, name, "name", LMI_F_REQUIRED, "name"),
	REF(lmi_expert_rec, garden, "garden", LM_GARDEN,
	    LMI_F_REQUIRED | LMI_F_REPEATS, "garden"),
	LOC(lmi_expert_rec, home, home_is_coords, home_lat, home_lon, "home",
	    LMI_F_REQUIRED | LMI_F_REPEATS, "home", "home_lat", "home_lon"),
	/* Schema 3 keeps skills and languages in the row, as JSON
	 * (io/store_schema.h); versions 1 and 2 had tables of their own. */
	{.key = "skills", .type = LMI_T_LEVELS, .flags = LMI_F_REQUIRED,
	 .off = OFF(lmi_expert_rec, skills),
	 .off_count = OFF(lmi_expert_rec, n_skills),
	 .column = "skills", .since = 3, .child = "expert_skills"},
	INT(lmi_expert_rec, capacity, "capacity", 0, 0, 1000, -1, "capacity"),
	NUM(lmi_expert_rec, max_travel_km, "max_travel_km", 0, 0, 20000, true,
	    -1, "max_travel_km"),
	{.key = "remote", .type = LMI_T_BOOL, .off = OFF(lmi_expert_rec, remote),
	 .dflt = -1, .column = "remote"},
	{.key = "languages", .type = LMI_T_STRS, .flags = LMI_F_REPEATS,
	 .noun = "language", .off = OFF(lmi_expert_rec, languages),
	 .off_count = OFF(lmi_expert_rec, n_languages),
	 .column = "languages", .since = 3,
	 .child = "expert_languages", .child_value = "lang"},
	{.key = "conflicts", .type = LMI_T_REFS, .flags = LMI_F_REPEATS,
	 .off = OFF(lmi_expert_rec, conflicts),
	 .off_count = OFF(lmi_expert_rec, n_conflicts), .ref = LM_COMPANY,
	 .child = "expert_conflicts", .child_value = "company"},
	RETIRED(lmi_expert_rec),
	{.key = "availability", .type = LMI_T_AVAIL, .noun = "capacity",
	 .off = OFF(lmi_expert_rec, availability),
	 .off_count = OFF(lmi_expert_rec, n_availability), .lo = 0,
	 .hi = 1000, .column = "availability", .since = 4},
};

static const lmi_field company_fields[] = {
	STR(lmi_company_rec, id, "id", LMI_F_REQUIRED, "id"),
	STR(lmi_company_rec, name, "name", LMI_F_REQUIRED, "name"),
	LOC(lmi_company_rec, place, place_is_coords, place_lat, place_lon,
	    "place", LMI_F_REQUIRED, "place", "lat", "lon"),
	REF(lmi_company_rec, garden, "garden", LM_GARDEN, LMI_F_NULLABLE,
	    "garden"),
	RETIRED(lmi_company_rec),
};

static const char *const mode_names[] = {"onsite", "remote", "hybrid"};
static const char *const status_names[] = {"open", "done", "withdrawn"};

const char *lmi_need_status_name(lmi_need_status st)
{
	return (unsigned)st < sizeof(status_names) / sizeof(status_names[0])
	           ? status_names[st] : "open";
}

static const lmi_field need_fields[] = {
	STR(lmi_need_rec, id, "id", LMI_F_REQUIRED, "id"),
	REF(lmi_need_rec, company, "company", LM_COMPANY, LMI_F_REQUIRED,
	    "company"),
	STR(lmi_need_rec, title, "title", LMI_F_NULLABLE, "title"),
	{.key = "skills", .type = LMI_T_LEVELS,
	 .flags = LMI_F_REQUIRED | LMI_F_LONG,
	 .off = OFF(lmi_need_rec, skills),
	 .off_count = OFF(lmi_need_rec, n_skills), .child = "need_skills"},
	{.key = "mode", .type = LMI_T_ENUM, .flags = LMI_F_STORE_DEFAULT,
	 .off = OFF(lmi_need_rec, mode), .dflt = LM_ONSITE,
	 .names = ROWS(mode_names), .column = "mode"},
	INT(lmi_need_rec, experts, "experts", LMI_F_STORE_DEFAULT, 1, 100, 1,
	    "experts"),
	STR(lmi_need_rec, language, "language", LMI_F_NULLABLE, "language"),
	NUM(lmi_need_rec, max_km, "max_km", 0, 0, 40000, true, 0, "max_km"),
	/* Schema 4: teams, the life cycle, words. */
	{.key = "team", .type = LMI_T_INT, .flags = LMI_F_POS,
	 .off = OFF(lmi_need_rec, team), .off_pos = OFF(lmi_need_rec, team_pos),
	 .lo = 1, .hi = 8, .dflt = 0, .column = "team", .since = 4},
	{.key = "status", .type = LMI_T_ENUM, .off = OFF(lmi_need_rec, status),
	 .dflt = LMI_NEED_OPEN, .names = ROWS(status_names),
	 .column = "status", .since = 4},
	{.key = "from", .type = LMI_T_PERIOD, .flags = LMI_F_POS,
	 .off = OFF(lmi_need_rec, from), .off_pos = OFF(lmi_need_rec, from_pos),
	 .column = "period_from", .since = 4},
	{.key = "until", .type = LMI_T_PERIOD, .flags = LMI_F_POS,
	 .off = OFF(lmi_need_rec, until),
	 .off_pos = OFF(lmi_need_rec, until_pos),
	 .column = "period_until", .since = 4},
	{.key = "description", .type = LMI_T_TEXT,
	 .off = OFF(lmi_need_rec, description), .hi = LMI_TEXT_MAX,
	 .column = "description", .since = 4},
	RETIRED(lmi_need_rec),
};

static const lmi_field distance_fields[] = {
	REF(lmi_distance_rec, from, "from", LM_PLACE, LMI_F_REQUIRED, "a"),
	REF(lmi_distance_rec, to, "to", LM_PLACE, LMI_F_REQUIRED, "b"),
	NUM(lmi_distance_rec, km, "km", LMI_F_REQUIRED, 0, 40000, false, 0,
	    "km"),
};

static const lmi_field engagement_fields[] = {
	{.key = "period", .type = LMI_T_PERIOD, .flags = LMI_F_REQUIRED,
	 .off = OFF(lmi_engagement_rec, period), .column = "period"},
	REF(lmi_engagement_rec, need, "need", LM_NEED, LMI_F_REQUIRED, "need"),
	{.key = "expert", .type = LMI_T_REF, .flags = LMI_F_REQUIRED,
	 .off = OFF(lmi_engagement_rec, expert), .ref = LM_EXPERT,
	 .alt = "experts", .column = "expert"},
	/* A team's engagements in one record: a row each (not a column). */
	{.key = "experts", .type = LMI_T_REFS,
	 .off = OFF(lmi_engagement_rec, members),
	 .off_count = OFF(lmi_engagement_rec, n_members), .ref = LM_EXPERT,
	 .lo = 1, .hi = LMI_TEAM_MAX, .alt = "expert"},
	NUM(lmi_engagement_rec, score, "score",
	    LMI_F_EXPORT_DEFAULT | LMI_F_STORE_DEFAULT, 0, 100, false, 0,
	    "score"),
};

const lmi_kind_desc lmi_kinds[LMI_KIND_COUNT] = {
	[LM_PLACE] = DESC(LM_PLACE, "place", "places", lmi_place_rec,
	                  place_fields, "id"),
	[LM_GARDEN] = DESC(LM_GARDEN, "garden", "gardens", lmi_garden_rec,
	                   garden_fields, "id"),
	[LM_SKILL] = DESC(LM_SKILL, "skill", "skills", lmi_skill_rec,
	                  skill_fields, "id"),
	[LM_EXPERT] = DESC(LM_EXPERT, "expert", "experts", lmi_expert_rec,
	                   expert_fields, "id"),
	[LM_COMPANY] = DESC(LM_COMPANY, "company", "companies",
	                    lmi_company_rec, company_fields, "id"),
	[LM_NEED] = DESC(LM_NEED, "need", "needs", lmi_need_rec, need_fields,
	                 "id"),
	[LM_DISTANCE] = DESC(LM_DISTANCE, "distance", "distances",
	                     lmi_distance_rec, distance_fields, "a, b"),
	[LM_ENGAGEMENT] = {
		.kind = LM_ENGAGEMENT, .noun = "engagement",
		.plural = "engagements", .size = sizeof(lmi_engagement_rec),
		.off_pos = OFF(lmi_engagement_rec, pos),
		.fields = ROWS(engagement_fields),
		.key_columns = "period, need, expert",
		.insert_column = "committed_at",
		.insert_value = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"},
};

_Static_assert(sizeof(expert_fields) / sizeof(expert_fields[0]) <=
               LMI_FIELDS_MAX, "LMI_FIELDS_MAX");
_Static_assert(sizeof(need_fields) / sizeof(need_fields[0]) <=
               LMI_FIELDS_MAX, "LMI_FIELDS_MAX");

/* ---- sub-records ------------------------------------------------------------ */

static const lmi_field coords_fields[] = {
	LAT(lmi_coords, lat, NULL),
	LON(lmi_coords, lon, NULL),
};

const lmi_kind_desc lmi_coords_desc = {
	.kind = LM_PLACE, .size = sizeof(lmi_coords),
	.fields = ROWS(coords_fields)};

static const lmi_field level_fields[] = {
	{.key = "level", .type = LMI_T_INT,
	 .flags = LMI_F_REQUIRED | LMI_F_POS,
	 .off = OFF(lmi_level_rec, level),
	 .off_pos = OFF(lmi_level_rec, level_pos), .lo = 1, .hi = 5},
	NUM(lmi_level_rec, weight, "weight", 0, 0, 1000, true, 1, NULL),
	{.key = "optional", .type = LMI_T_FLAG,
	 .off = OFF(lmi_level_rec, optional)},
};

const lmi_kind_desc lmi_level_desc = {
	.kind = LM_SKILL, .noun = "need skill", .size = sizeof(lmi_level_rec),
	.fields = ROWS(level_fields)};

/* ---- values ------------------------------------------------------------------ */

double lmi_field_num(const lmi_field *f, const void *rec)
{
	switch (f->type) {
	case LMI_T_NUM: return *LMI_CAT(double, rec, f->off);
	case LMI_T_INT:
	case LMI_T_BOOL:
	case LMI_T_ENUM: return *LMI_CAT(int, rec, f->off);
	case LMI_T_FLAG: return *LMI_CAT(bool, rec, f->off);
	default: return 0;
	}
}

void lmi_field_set_num(const lmi_field *f, void *rec, double v)
{
	switch (f->type) {
	case LMI_T_NUM: *LMI_AT(double, rec, f->off) = v; break;
	case LMI_T_INT:
	case LMI_T_BOOL:
	case LMI_T_ENUM: *LMI_AT(int, rec, f->off) = (int)v; break;
	case LMI_T_FLAG: *LMI_AT(bool, rec, f->off) = v != 0; break;
	default: break;
	}
}

bool lmi_field_given(const lmi_field *f, const void *rec)
{
	switch (f->type) {
	case LMI_T_STR:
	case LMI_T_PERIOD:
	case LMI_T_DATE:
	case LMI_T_TEXT:
		return *LMI_CAT(const char *, rec, f->off) != NULL;
	case LMI_T_REF:
		return LMI_CAT(lmi_ref, rec, f->off)->id != NULL;
	case LMI_T_LOC:
		return *LMI_CAT(bool, rec, f->off_coords) ||
		       LMI_CAT(lmi_ref, rec, f->off)->id != NULL;
	case LMI_T_STRS:
	case LMI_T_REFS:
	case LMI_T_LEVELS:
	case LMI_T_AVAIL:
		return (f->flags & LMI_F_REQUIRED) ||
		       *LMI_CAT(uint32_t, rec, f->off_count) != 0;
	default:
		return (f->flags & LMI_F_REQUIRED) ||
		       lmi_field_num(f, rec) != f->dflt;
	}
}

const lmi_field *lmi_field_find(const lmi_kind_desc *kd, const char *key)
{
	for (size_t i = 0; i < kd->n_fields; i++)
		if (!strcmp(kd->fields[i].key, key))
			return &kd->fields[i];
	return NULL;
}

void lmi_record_init(const lmi_kind_desc *kd, void *rec)
{
	for (size_t i = 0; i < kd->n_fields; i++) {
		const lmi_field *f = &kd->fields[i];
		if (f->type == LMI_T_NUM || f->type == LMI_T_INT ||
		    f->type == LMI_T_BOOL || f->type == LMI_T_ENUM)
			lmi_field_set_num(f, rec, f->dflt);
	}
}

int lmi_record_copy_text(const lmi_kind_desc *kd, void *dst, const void *src,
                         lmi_arena *a)
{
	memcpy(dst, src, kd->size);
	for (size_t i = 0; i < kd->n_fields; i++) {
		const lmi_field *f = &kd->fields[i];
		const char **s = NULL;
		if (lmi_ftype_text(f->type))
			s = LMI_AT(const char *, dst, f->off);
		else if (f->type == LMI_T_REF || f->type == LMI_T_LOC)
			s = &LMI_AT(lmi_ref, dst, f->off)->id;
		if (s && *s && !(*s = lmi_arena_strdup(a, *s)))
			return LM_ENOMEM;
	}
	return LM_OK;
}

/* ---- records of a catalogue ------------------------------------------------- */

void *lmi_record_at(const lm_catalog *c, lm_kind k, size_t i)
{
	switch (k) {
	case LM_PLACE: return &c->places.v[i];
	case LM_GARDEN: return &c->gardens.v[i];
	case LM_SKILL: return &c->skills.v[i];
	case LM_EXPERT: return &c->experts.v[i];
	case LM_COMPANY: return &c->companies.v[i];
	case LM_NEED: return &c->needs.v[i];
	case LM_DISTANCE: return &c->distances.v[i];
	case LM_ENGAGEMENT: return &c->engagements.v[i];
	default: return NULL;
	}
}

void *lmi_record_add(lm_catalog *b, lm_kind k)
{
	void *rec;
	switch (k) {
	case LM_PLACE: rec = LM_VEC_PUSH(b->places); break;
	case LM_GARDEN: rec = LM_VEC_PUSH(b->gardens); break;
	case LM_SKILL: rec = LM_VEC_PUSH(b->skills); break;
	case LM_EXPERT: rec = LM_VEC_PUSH(b->experts); break;
	case LM_COMPANY: rec = LM_VEC_PUSH(b->companies); break;
	case LM_NEED: rec = LM_VEC_PUSH(b->needs); break;
	case LM_DISTANCE: rec = LM_VEC_PUSH(b->distances); break;
	case LM_ENGAGEMENT: rec = LM_VEC_PUSH(b->engagements); break;
	default: return NULL;
	}
	b->resolved_ok = false;
	if (rec)
		lmi_record_init(&lmi_kinds[k], rec);
	return rec;
}

/* ---- settings ------------------------------------------------------------------- */

#define SET(k, m, d, l, h, open) \
	{k, offsetof(lmi_settings_rec, v.m), false, d, l, h, open}

const lmi_setting_desc lmi_settings[LM_SET_COUNT] = {
	[LM_SET_MAX_TRAVEL_KM] = SET("max_travel_km", max_travel_km, 300.0,
	                             0, 20000, true),
	[LM_SET_ROAD_FACTOR] = SET("road_factor", road_factor, 1.0, 1, 5,
	                           false),
	[LM_SET_SPEED_KMH] = SET("speed_kmh", speed_kmh, 70.0, 0, 1000, true),
	[LM_SET_KM_RATE_NOK] = SET("km_rate_nok", km_rate_nok, 5.30, 0, 1000,
	                           false),
	/* > 0: remote needs are scored by skill alone */
	[LM_SET_WEIGHT_SKILL] = SET("weight_skill", weight_skill, 0.7, 0, 1000,
	                            true),
	[LM_SET_WEIGHT_DISTANCE] = SET("weight_distance", weight_distance, 0.3,
	                               0, 1000, false),
	[LM_SET_HYBRID_DISTANCE_FACTOR] = SET("hybrid_distance_factor",
	                                      hybrid_distance_factor, 0.5, 0,
	                                      1, false),
	[LM_SET_CREDIT_CHILD] = SET("credit_child", credit_child, 0.8, 0, 1,
	                            false),
	[LM_SET_CREDIT_PARENT] = SET("credit_parent", credit_parent, 0.5, 0, 1,
	                             false),
	[LM_SET_LEVEL_STEP] = SET("level_step", level_step, 0.05, 0, 0.25,
	                          false),
	[LM_SET_DEFAULT_CAPACITY] = {"default_capacity",
	                             offsetof(lmi_settings_rec,
	                                      v.default_capacity),
	                             true, 2, 0, 1000, false},
	[LM_SET_TEAM_PENALTY] = {"team_penalty",
	                         offsetof(lmi_settings_rec, team_penalty),
	                         false, 5, 0, 100, false},
};

void lmi_settings_init(lmi_settings_rec *s)
{
	memset(s, 0, sizeof(*s));
	for (int k = 0; k < LM_SET_COUNT; k++)
		lmi_setting_set(s, k, lmi_settings[k].dflt);
}

double lmi_setting_get(const lmi_settings_rec *s, int key)
{
	const lmi_setting_desc *d = &lmi_settings[key];
	return d->is_int ? *LMI_CAT(int, s, d->off) : *LMI_CAT(double, s, d->off);
}

void lmi_setting_set(lmi_settings_rec *s, int key, double v)
{
	const lmi_setting_desc *d = &lmi_settings[key];
	if (!d->is_int)
		*LMI_AT(double, s, d->off) = v;
	else
		/* The cast itself must not overflow. */
		*LMI_AT(int, s, d->off) = v >= -1000000 && v <= 1000000
		                          ? (int)v : -1;
}
