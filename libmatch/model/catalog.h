/*
 * internal.h -- what the modules of libmatch share and callers never see:
 * the arena, the string map, error reporting, and the catalogue's records.
 *
 * A catalogue holds records exactly as they were read (ids and references
 * as strings, with their source positions) plus a "resolved" layer of
 * compact integer arrays built by lm_catalog_merge().  Loaders (YAML,
 * SQLite) fill an unresolved batch catalogue; merging it into a target
 * validates every reference against batch + target and either swaps the
 * result in or leaves the target untouched.  The engine (score, rank,
 * assign) reads only the resolved layer.
 */
#ifndef LMI_CATALOG_H
#define LMI_CATALOG_H

#include "model/util.h"

/* ---- records --------------------------------------------------------- */

/* A reference to another record by id (or name/alias where allowed). */
typedef struct lm_ref {
	const char *id;  /* as written; NULL when absent */
	lm_pos pos;
} lm_ref;

typedef struct lm_place_rec {
	const char *id, *name;
	double lat, lon;
	lm_pos pos;
} lm_place_rec;

typedef struct lm_garden_rec {
	const char *id, *name;
	lm_ref place;
	lm_pos pos;
} lm_garden_rec;

typedef struct lm_skill_rec {
	const char *id, *label;
	lm_ref parent;            /* id NULL for a root */
	const char **aliases;
	lm_pos *alias_pos;
	uint32_t n_aliases;
	lm_pos pos;
} lm_skill_rec;

typedef struct lm_level_rec {
	lm_ref skill;
	int level;
	double weight;            /* needs only; default 1 */
	bool optional;            /* needs only */
	lm_pos level_pos;
} lm_level_rec;

typedef struct lm_expert_rec {
	const char *id, *name;
	lm_ref garden;
	lm_ref home;              /* place; id NULL when home_is_coords */
	bool home_is_coords;
	double home_lat, home_lon;
	lm_level_rec *skills;
	uint32_t n_skills;
	int capacity;             /* -1 = default */
	double max_travel_km;     /* <0 = default */
	int remote;               /* -1 = default (true), 0, 1 */
	const char **languages;
	uint32_t n_languages;
	lm_ref *conflicts;        /* company ids */
	uint32_t n_conflicts;
	lm_pos pos;
} lm_expert_rec;

typedef struct lm_company_rec {
	const char *id, *name;
	lm_ref place;             /* id NULL when place_is_coords */
	bool place_is_coords;
	double place_lat, place_lon;
	lm_ref garden;            /* id NULL when absent */
	lm_pos pos;
} lm_company_rec;

typedef struct lm_need_rec {
	const char *id;
	lm_ref company;
	const char *title;        /* NULL when absent */
	lm_level_rec *skills;
	uint32_t n_skills;
	lm_mode mode;
	int experts;              /* default 1 */
	const char *language;     /* NULL when absent */
	double max_km;            /* 0 when absent */
	lm_pos pos;
} lm_need_rec;

typedef struct lm_distance_rec {
	lm_ref from, to;
	double km;
	lm_pos pos;
} lm_distance_rec;

typedef struct lm_engagement_rec {
	const char *period;
	lm_ref need, expert;
	double score;
	lm_pos pos;
} lm_engagement_rec;

/* Settings as given: `set` has bit (1 << LM_SET_x) for each key present. */
enum {
	LM_SET_MAX_TRAVEL_KM, LM_SET_ROAD_FACTOR, LM_SET_SPEED_KMH,
	LM_SET_KM_RATE_NOK, LM_SET_WEIGHT_SKILL, LM_SET_WEIGHT_DISTANCE,
	LM_SET_HYBRID_DISTANCE_FACTOR, LM_SET_CREDIT_CHILD, LM_SET_CREDIT_PARENT,
	LM_SET_LEVEL_STEP, LM_SET_DEFAULT_CAPACITY, LM_SET_COUNT
};
typedef struct lm_settings_rec {
	lm_settings v;
	unsigned set;
	lm_pos pos[LM_SET_COUNT];
} lm_settings_rec;

/* Names of the settings keys, indexed by LM_SET_*. */
extern const char *const lm_settings_keys[LM_SET_COUNT];
/* Default settings. */
void lm_settings_default(lm_settings *s);
/* Pointer to the field of LM_SET_x (default_capacity handled apart). */
double *lm_settings_field(lm_settings *s, int key);

/* ---- the resolved layer ------------------------------------------------ */

/* Compact arrays for the engine, rebuilt on every merge.  Index i of a kind
 * is its position in id order, the same as the record array. */
typedef struct lm_resolved {
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
	/* companies */
	uint32_t *company_place, *company_garden; /* LM_NONE: coords / absent */
	double *company_lat, *company_lon;
	/* needs: CSR of skills in the record's order */
	uint32_t *need_company;
	uint32_t *need_skill_off;     /* n_needs + 1 */
	uint32_t *need_skill;
	uint8_t *need_level;
	double *need_weight;
	bool *need_optional;
	/* distances: map "a\x1fb" (place indices, a < b) -> km in dist_km */
	lm_map dist_map;
	char *dist_keys;              /* storage of dist_map's keys */
	double *dist_km;
	/* engagements */
	uint32_t *eng_need, *eng_expert;
	/* The candidate index (candidates.c), built on first use by the
	 * engine and dropped with the rest of this layer. */
	struct lm_cand_index *cand;
	/* Set when the experts came from an engine image (image.h): it
	 * owns the loaded experts' strings, and the experts are only the
	 * candidates of one need, so every one is a candidate. */
	struct lm_image *image;
} lm_resolved;

/* Free the experts' arrays of the layer and set them to NULL
 * (catalog.c). */
void lm_resolved_experts_free(lm_resolved *r);

/* Free a candidate index (candidates.c); NULL is a no-op. */
void lm_cand_index_free(struct lm_cand_index *ix);

/* ---- the catalogue ------------------------------------------------------ */

struct lm_catalog {
	lm_arena arena;               /* all strings and record sub-arrays */
	LM_VEC(lm_place_rec) places;
	LM_VEC(lm_garden_rec) gardens;
	LM_VEC(lm_skill_rec) skills;
	LM_VEC(lm_expert_rec) experts;
	LM_VEC(lm_company_rec) companies;
	LM_VEC(lm_need_rec) needs;
	LM_VEC(lm_distance_rec) distances;
	LM_VEC(lm_engagement_rec) engagements;
	lm_settings_rec settings;
	lm_settings eff;              /* effective settings (defaults + set) */
	bool resolved_ok;             /* true after a successful merge */
	lm_map ids[LM_KIND_COUNT];    /* exact id -> index (not distances) */
	lm_map folded[LM_KIND_COUNT]; /* folded id/name/label/alias -> index */
	bool names_pending[LM_KIND_COUNT]; /* names not yet in `folded` */
	lm_arena fold_arena;          /* keys of `folded` */
	lm_resolved r;
	lm_err err;
};

/* Append a zeroed record to a batch catalogue; NULL on OOM. */
lm_place_rec *lm_batch_place(lm_catalog *b);
lm_garden_rec *lm_batch_garden(lm_catalog *b);
lm_skill_rec *lm_batch_skill(lm_catalog *b);
lm_expert_rec *lm_batch_expert(lm_catalog *b);
lm_company_rec *lm_batch_company(lm_catalog *b);
lm_need_rec *lm_batch_need(lm_catalog *b);
lm_distance_rec *lm_batch_distance(lm_catalog *b);
lm_engagement_rec *lm_batch_engagement(lm_catalog *b);

/* Merge the unresolved `batch` into `cat`: records of the batch replace
 * records of `cat` with the same id; duplicate ids within the batch,
 * dangling references and skill cycles are diagnostics in `err`.  On
 * success `cat` owns the batch's memory (the batch is left empty) and
 * returns LM_OK; on failure `cat` is unchanged and the result is LM_EINPUT
 * or LM_ENOMEM.  A batch read from a database is merged the same way. */
int lm_catalog_merge(lm_catalog *cat, lm_catalog *batch, lm_err *err);

/* Look up an index by exact id, then by folded id/name/alias. */
bool lm_catalog_lookup(const lm_catalog *cat, lm_kind kind, const char *key,
                       uint32_t *out);
/* lm_catalog_find for the engine: the index, or LM_ENOTFOUND with "did
 * you mean" (or "names more than one") in cat->err. */
int lm_catalog_find_ix(lm_catalog *cat, lm_kind kind, const char *key,
                       uint32_t *out);
/* The id closest to `key` among records of `kind` (for "did you mean"),
 * or NULL. */
const char *lm_catalog_suggest(const lm_catalog *cat, lm_kind kind,
                               const char *key);
/* The id of record i of a kind (not distances). */
const char *lm_catalog_id(const lm_catalog *cat, lm_kind kind, uint32_t i);

#endif /* LMI_CATALOG_H */
