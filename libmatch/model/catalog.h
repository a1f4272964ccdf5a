/* SPDX-License-Identifier: MIT */
/*
 * catalog.h -- the catalogue's records, its resolved layer and what the
 * catalogue's files share (catalog.c: life cycle and accessors; merge.c:
 * the merge; lookup.c: look-ups by id or name).  Callers never see it;
 * the arena, the string map and error reporting are in util.h.  Each
 * record kind's fields are described once, for every reader and writer,
 * in the tables of fields.h: a field added here gets its row there.
 *
 * A catalogue holds records exactly as they were read (ids and references
 * as strings, with their source positions) plus a "resolved" layer of
 * compact integer arrays built by lmi_catalog_merge().  Loaders (YAML,
 * SQLite) fill an unresolved batch catalogue; merging it into a target
 * validates every reference against batch + target and either swaps the
 * result in or leaves the target untouched.  The engine (score, rank,
 * assign) reads only the resolved layer.
 */
#ifndef LMI_CATALOG_H
#define LMI_CATALOG_H

#include "model/util.h"

/* The number of kinds this build knows.  Not public: kinds will be added,
 * so a caller must not compile a count in (libmatch.h, lm_kind). */
#define LMI_KIND_COUNT ((int)LM_ENGAGEMENT + 1)

/* ---- records --------------------------------------------------------- */

/* A reference to another record by id (or name/alias where allowed). */
typedef struct lmi_ref {
	const char *id;  /* as written; NULL when absent */
	lmi_pos pos;
} lmi_ref;

typedef struct lmi_place_rec {
	const char *id, *name;
	double lat, lon;
	lmi_pos pos;
} lmi_place_rec;

typedef struct lmi_garden_rec {
	const char *id, *name;
	lmi_ref place;
	lmi_pos pos;
} lmi_garden_rec;

typedef struct lmi_skill_rec {
	const char *id, *label;
	lmi_ref parent;            /* id NULL for a root */
	const char **aliases;
	lmi_pos *alias_pos;
	uint32_t n_aliases;
	/* Words or phrases that name the skill in a text, in any language;
	 * distinct after folding. */
	const char **keywords;
	lmi_pos *keyword_pos;
	uint32_t n_keywords;
	lmi_pos pos;
} lmi_skill_rec;

typedef struct lmi_level_rec {
	lmi_ref skill;
	int level;
	double weight;            /* needs only; default 1 */
	bool optional;            /* needs only */
	lmi_pos level_pos;
} lmi_level_rec;

/* An expert's capacity in one quarter, instead of `capacity`. */
typedef struct lmi_availability_rec {
	const char *period;       /* "YYYY-QN" */
	int capacity;             /* 0..1000 */
	lmi_pos pos;
} lmi_availability_rec;

typedef struct lmi_expert_rec {
	const char *id, *name;
	lmi_ref garden;
	lmi_ref home;              /* place; id NULL when home_is_coords */
	bool home_is_coords;
	double home_lat, home_lon;
	lmi_level_rec *skills;
	uint32_t n_skills;
	int capacity;             /* -1 = default */
	double max_travel_km;     /* <0 = default */
	int remote;               /* -1 = default (true), 0, 1 */
	const char **languages;
	uint32_t n_languages;
	lmi_ref *conflicts;        /* company ids */
	uint32_t n_conflicts;
	const char *retired;      /* the day, "YYYY-MM-DD", or NULL */
	lmi_availability_rec *availability; /* in quarter order */
	uint32_t n_availability;
	lmi_pos pos;
} lmi_expert_rec;

typedef struct lmi_company_rec {
	const char *id, *name;
	lmi_ref place;             /* id NULL when place_is_coords */
	bool place_is_coords;
	double place_lat, place_lon;
	lmi_ref garden;            /* id NULL when absent */
	const char *retired;      /* the day, "YYYY-MM-DD", or NULL */
	lmi_pos pos;
} lmi_company_rec;

/* A need's life cycle: open until it is done or withdrawn. */
typedef enum lmi_need_status {
	LMI_NEED_OPEN = 0, LMI_NEED_DONE, LMI_NEED_WITHDRAWN
} lmi_need_status;

/* "open", "done", "withdrawn" (fields.c, the names YAML uses). */
const char *lmi_need_status_name(lmi_need_status st);

typedef struct lmi_need_rec {
	const char *id;
	lmi_ref company;
	const char *title;        /* NULL when absent */
	lmi_level_rec *skills;
	uint32_t n_skills;
	lm_mode mode;
	int experts;              /* default 1 */
	const char *language;     /* NULL when absent */
	double max_km;            /* 0 when absent */
	int team;                 /* 1..8 members of one team; 0 when absent */
	/* LMI_NEED_OPEN unless given; `status: open` is the same as none
	 * (neither stored nor exported), as mode onsite is. */
	lmi_need_status status;
	const char *from, *until; /* quarters "YYYY-QN", or NULL */
	const char *description;  /* free text (newlines allowed), or NULL */
	const char *retired;      /* the day, "YYYY-MM-DD", or NULL */
	lmi_pos team_pos, from_pos, until_pos; /* of those values */
	lmi_pos pos;
} lmi_need_rec;

typedef struct lmi_distance_rec {
	lmi_ref from, to;
	double km;
	lmi_pos pos;
} lmi_distance_rec;

/* One expert's engagement for a need in a period.  A team's record in
 * YAML ({period, need, experts: [...], score}) holds its members in
 * `members` while it is read; a batch holds one record per member
 * instead, each with the record's position and members NULL. */
typedef struct lmi_engagement_rec {
	const char *period;
	lmi_ref need, expert;
	lmi_ref *members;
	uint32_t n_members;
	double score;
	lmi_pos pos;
} lmi_engagement_rec;

/* The most members of one team. */
#define LMI_TEAM_MAX 8

/* Settings as given: `set` has bit (1 << LM_SET_x) for each key present. */
enum {
	LM_SET_MAX_TRAVEL_KM, LM_SET_ROAD_FACTOR, LM_SET_SPEED_KMH,
	LM_SET_KM_RATE_NOK, LM_SET_WEIGHT_SKILL, LM_SET_WEIGHT_DISTANCE,
	LM_SET_HYBRID_DISTANCE_FACTOR, LM_SET_CREDIT_CHILD, LM_SET_CREDIT_PARENT,
	LM_SET_LEVEL_STEP, LM_SET_DEFAULT_CAPACITY, LM_SET_TEAM_PENALTY,
	LM_SET_COUNT
};
typedef struct lmi_settings_rec {
	lm_settings v;
	/* Settings lm_settings does not carry (yet): points taken from a
	 * team's score per member beyond the first.  In a merged catalogue,
	 * as v, the effective value (the default unless given). */
	double team_penalty;
	unsigned set;
	lmi_pos pos[LM_SET_COUNT];
} lmi_settings_rec;

/* The settings' keys, defaults and ranges are in model/fields.h. */

/* ---- the resolved layer ------------------------------------------------ */

/* An object of a higher layer kept with the resolved layer and freed with
 * it.  The slot carries its own destructor (as Redis's dictType does), so
 * the model frees what the engine or the store put there without calling
 * into them: dependencies point one way only. */
typedef struct lmi_slot {
	void *obj;               /* NULL when empty */
	void (*free)(void *obj); /* frees obj; called once */
} lmi_slot;

/* Hold `obj` (freed later by `free_fn`), freeing what the slot held. */
void lmi_slot_set(lmi_slot *s, void *obj, void (*free_fn)(void *obj));
/* Free what the slot holds, if anything, and empty it. */
void lmi_slot_clear(lmi_slot *s);

/* The public read-only views of one kind of record (an lm_*_info or
 * lm_skill_req array) that the accessors return (catalog.c).  The array
 * is allocated by the first access to the kind and left untouched; an
 * entry is filled by the first access to it, which sets its bit in
 * `filled`.  So a merge pays nothing, a first lm_catalog_expert() a
 * malloc and a small calloc, and memory grows only with what is read. */
typedef struct lmi_view_set {
	void *v;                 /* n entries of the kind's view struct */
	unsigned char *filled;   /* one bit per entry */
} lmi_view_set;

/* Every kind's views.  The library itself never reads records through
 * them: the load's two threads (store_imagejob.c) may then read one
 * catalogue at once. */
typedef struct lmi_views {
	lmi_view_set places, gardens, skills, experts, companies, needs,
	             distances, engagements;
	lmi_view_set expert_skills;  /* per entry of expert_skill */
	lmi_view_set need_skills;    /* per entry of need_skill */
} lmi_views;

/* Compact arrays for the engine, rebuilt on every merge.  Index i of a kind
 * is its position in id order, the same as the record array. */
typedef struct lmi_resolved {
	/* places */
	double *place_lat, *place_lon;
	/* gardens */
	uint32_t *garden_place;
	/* skills */
	uint32_t *skill_parent;       /* LM_NONE for a root */
	uint32_t *skill_depth;        /* 0 for a root */
	/* experts: CSR of skills, sorted by skill index */
	uint32_t *expert_garden, *expert_home; /* home LM_NONE for coordinates */
	double *expert_lat, *expert_lon, *expert_max_km;
	int *expert_capacity;
	bool *expert_remote;
	uint32_t *expert_skill_off;   /* n_experts + 1 */
	uint32_t *expert_skill;       /* skill index */
	uint8_t *expert_level;
	uint32_t *expert_conflict_off;/* n_experts + 1 */
	uint32_t *expert_conflict;    /* company index */
	uint32_t *expert_lang_off;    /* n_experts + 1 */
	const char **expert_lang;     /* language codes (borrowed strings) */
	bool *expert_retired;
	/* CSR of capacities per quarter, sorted by quarter (year * 4 +
	 * quarter - 1, model/period.h); other quarters: expert_capacity. */
	uint32_t *expert_avail_off;   /* n_experts + 1 */
	uint32_t *expert_avail_period;
	int *expert_avail_cap;
	/* companies */
	uint32_t *company_place, *company_garden; /* LM_NONE: coords / absent */
	double *company_lat, *company_lon;
	bool *company_retired;
	/* needs: CSR of skills in the record's order */
	uint32_t *need_company;
	uint32_t *need_skill_off;     /* n_needs + 1 */
	uint32_t *need_skill;
	uint8_t *need_level;
	double *need_weight;
	bool *need_optional;
	int *need_team;               /* members of its team, >= 1 */
	uint8_t *need_status;         /* lmi_need_status */
	bool *need_retired;
	/* Quarters as year * 4 + quarter - 1 (model/period.h), 0: none. */
	uint32_t *need_from, *need_until;
	/* distances: map "a\x1fb" (place indices, a < b) -> km in dist_km */
	lmi_map dist_map;
	char *dist_keys;              /* storage of dist_map's keys */
	double *dist_km;
	/* engagements */
	uint32_t *eng_need, *eng_expert;
	/* Whether each came with the batch of the merge that built this
	 * layer (merge_eng.c reports on those); NULL: none did. */
	bool *eng_new;
	/* The engine's cache: the candidate index (engine/candidates.c,
	 * a struct lmi_cand_index), built on first use and dropped with
	 * the rest of this layer. */
	lmi_slot cand;
	/* The suggester's index of skill names (engine/suggest.h, a
	 * struct lmi_suggest_index), built on first use like `cand`. */
	lmi_slot suggest;
	/* Set when the experts came from an engine image (io/image.h, a
	 * struct lmi_image): it owns the loaded experts' strings, and the
	 * experts are only the candidates of one need, so every one is a
	 * candidate.  Freed first, before the arrays. */
	lmi_slot image;
	/* What the public accessors hand out, dropped with the layer (the
	 * experts' part with the experts' arrays). */
	lmi_views views;
} lmi_resolved;

/* Expert e's capacity in quarter q (model/period.h; 0: none given),
 * its availability's for that quarter, else its capacity (catalog.c). */
int lmi_expert_capacity_in(const lmi_resolved *r, uint32_t e, uint32_t q);
/* Whether expert e is retired (false when the layer does not say). */
static inline bool lmi_expert_is_retired(const lmi_resolved *r, uint32_t e)
{
	return r->expert_retired && r->expert_retired[e];
}

/* Free the experts' arrays of the layer, and their views, and set them
 * to NULL (catalog.c). */
void lmi_resolved_experts_free(lmi_resolved *r);
/* Free everything the layer holds, slots first, and zero it. */
void lmi_resolved_free(lmi_resolved *r);


/* ---- the catalogue (catalog.c) ------------------------------------------ */

struct lm_catalog {
	lmi_arena arena;               /* all strings and record sub-arrays */
	LM_VEC(lmi_place_rec) places;
	LM_VEC(lmi_garden_rec) gardens;
	LM_VEC(lmi_skill_rec) skills;
	LM_VEC(lmi_expert_rec) experts;
	LM_VEC(lmi_company_rec) companies;
	LM_VEC(lmi_need_rec) needs;
	LM_VEC(lmi_distance_rec) distances;
	LM_VEC(lmi_engagement_rec) engagements;
	lmi_settings_rec settings;
	lm_settings eff;              /* effective settings (defaults + set) */
	/* The database's data_version when the catalogue was read from one
	 * (io/store_schema.h, version 4): a later load that changed the
	 * profiles has made it larger.  0 when not read from a database. */
	uint64_t data_version;
	bool resolved_ok;             /* true after a successful merge */
	lmi_map ids[LMI_KIND_COUNT];    /* exact id -> index (not distances) */
	lmi_map folded[LMI_KIND_COUNT]; /* folded id/name/label/alias -> index */
	bool names_pending[LMI_KIND_COUNT]; /* names not yet in `folded` */
	lmi_arena fold_arena;          /* keys of `folded` */
	lmi_resolved r;
	lmi_err err;
};

/* Free the record arrays of `c` and empty them; their strings stay in
 * the arena. */
void lmi_catalog_free_vectors(lm_catalog *c);
/* Free the id and folded maps of `c` with the folded keys' arena. */
void lmi_catalog_free_maps(lm_catalog *c);

/* Singular name of each kind ("place", ...), for messages. */
extern const char *const lmi_kind_singular[LMI_KIND_COUNT];

/* Records are added to a batch with lmi_record_add (model/fields.h). */

/* The id of record i of a kind (not distances). */
const char *lmi_catalog_id(const lm_catalog *cat, lm_kind kind, uint32_t i);

/* ---- the merge (merge.c) ------------------------------------------------ */

/* Merge the unresolved `batch` into `cat`: records of the batch replace
 * records of `cat` with the same id; duplicate ids within the batch,
 * dangling references and skill cycles are diagnostics in `err`.  On
 * success `cat` owns the batch's memory (the batch is left empty) and
 * returns LM_OK; on failure `cat` is unchanged and the result is LM_EINPUT
 * or LM_ENOMEM.  A batch read from a database is merged the same way. */
int lmi_catalog_merge(lm_catalog *cat, lm_catalog *batch, lmi_err *err);

/* The checks of the engagements of the merged next state `c` (resolved,
 * its engagements with eng_new set) against its records, as diagnostics
 * in `err` for what `batch` brought (merge_eng.c).  LM_OK or LM_ENOMEM. */
int lmi_merge_check_engagements(const lm_catalog *c, const lm_catalog *batch,
                                lmi_err *err);

/* ---- look-ups (lookup.c) ------------------------------------------------ */

/* The value of a folded map's key that more than one record answers to:
 * it finds none of them. */
#define LMI_AMBIGUOUS (UINT32_MAX - 1)

/* Fill the empty id and folded maps of `c` from its records (ids, skill
 * labels and aliases; other names wait for the first look-up by name).
 * Ids equal after folding and aliases that name another skill are
 * diagnostics in `err`.  Returns LM_OK or LM_ENOMEM.  (For the merge.) */
int lmi_catalog_build_maps(lm_catalog *c, lmi_err *err);
/* Look up an index by exact id, then by folded id, name, label or alias;
 * *ambiguous is set when the key is a name of more than one record. */
bool lmi_catalog_lookup_folded(const lm_catalog *cat, lm_kind kind,
                               const char *key, uint32_t *out, bool *ambiguous);
/* Look up an index by exact id, then by folded id/name/alias. */
bool lmi_catalog_lookup(const lm_catalog *cat, lm_kind kind, const char *key,
                       uint32_t *out);
/* lm_catalog_find for the engine: the index, or LM_ENOTFOUND with "did
 * you mean", or LM_EAMBIGUOUS with "names more than one", in cat->err. */
int lmi_catalog_find_ix(lm_catalog *cat, lm_kind kind, const char *key,
                       uint32_t *out);
/* How a public call on `cat` that answers through an out-parameter
 * starts, once that is set to NULL where given: LM_EINVAL for no
 * catalogue, else the last error cleared, then LM_EINVAL with "no
 * output given" without `has_out`, or with `missing` without
 * `has_args`; LM_OK to go on. */
static inline int lmi_catalog_enter(lm_catalog *cat, bool has_out,
                                    bool has_args, const char *missing)
{
	if (!cat)
		return LM_EINVAL;
	lmi_err_clear(&cat->err);
	if (!has_out)
		return lmi_err_set(&cat->err, LM_EINVAL, "no output given");
	if (!has_args)
		return lmi_err_set(&cat->err, LM_EINVAL, "%s", missing);
	return LM_OK;
}
/* The id closest to `key` among records of `kind` (for "did you mean"),
 * or NULL. */
const char *lmi_catalog_suggest(const lm_catalog *cat, lm_kind kind,
                               const char *key);
#endif /* LMI_CATALOG_H */
