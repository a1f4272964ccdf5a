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
#ifndef LM_INTERNAL_H
#define LM_INTERNAL_H

#include "libmatch.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define LM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LM_PRINTF(a, b)
#endif

#define LM_NONE UINT32_MAX /* "no index" in resolved arrays */

/* ---- arena: bump allocator for strings and record arrays ------------ */

typedef struct lm_arena_block lm_arena_block;
typedef struct lm_arena {
	lm_arena_block *head;
} lm_arena;

void *lm_arena_alloc(lm_arena *a, size_t size);          /* NULL on OOM */
char *lm_arena_strndup(lm_arena *a, const char *s, size_t n);
char *lm_arena_strdup(lm_arena *a, const char *s);
/* Move all blocks of `from` into `to`; `from` becomes empty. */
void lm_arena_steal(lm_arena *to, lm_arena *from);
void lm_arena_free(lm_arena *a);

/* ---- string -> uint32 map (open addressing; keys not owned) ---------- */

typedef struct lm_map {
	const char **keys;
	uint32_t *vals;
	uint32_t *hashes; /* of each key: most probes end without a strcmp */
	size_t cap, len;
} lm_map;

int lm_map_put(lm_map *m, const char *key, uint32_t val); /* LM_OK/ENOMEM; replaces */
int lm_map_reserve(lm_map *m, size_t n); /* room for n keys; LM_OK/ENOMEM */
bool lm_map_get(const lm_map *m, const char *key, uint32_t *val);
void lm_map_free(lm_map *m);

/* ---- formatting ----------------------------------------------------- */

/* printf into a new malloc'd string; NULL on OOM or a bad format. */
char *lm_strf(const char *fmt, ...) LM_PRINTF(1, 2);
char *lm_vstrf(const char *fmt, va_list ap) LM_PRINTF(1, 0);

/* ---- errors --------------------------------------------------------- */

typedef struct lm_pos {
	const char *file; /* arena-owned; NULL for records read from a database */
	uint32_t line;    /* 1-based; 0 = unknown */
	uint32_t col;     /* 1-based */
} lm_pos;

#define LM_DIAG_CAP 50 /* diagnostics kept per load */

typedef struct lm_err {
	char *msg;          /* malloc'd; NULL means "" */
	lm_diag *diags;     /* file and message strings malloc'd */
	size_t ndiags, cap;
	size_t dropped;     /* diagnostics past the cap */
} lm_err;

void lm_err_clear(lm_err *e);
void lm_err_free(lm_err *e);
/* Set the message; returns `code` so that `return lm_err_set(...)` works. */
int lm_err_set(lm_err *e, int code, const char *fmt, ...) LM_PRINTF(3, 4);
int lm_err_vset(lm_err *e, int code, const char *fmt, va_list ap) LM_PRINTF(3, 0);
/* Add a diagnostic at pos (may be NULL).  The message is set to the first
 * diagnostic as "FILE:LINE:COL: message".  Returns LM_EINPUT (or LM_ENOMEM). */
int lm_err_diag(lm_err *e, const lm_pos *pos, const char *fmt, ...) LM_PRINTF(3, 4);
const char *lm_err_msg(const lm_err *e);

/* ---- Unicode -------------------------------------------------------- */

/* NFC + case fold; malloc'd, NULL on OOM or invalid UTF-8. */
char *lm_fold(const char *s);
/* true if s[0..n) is valid UTF-8 without NUL bytes. */
bool lm_utf8_valid(const char *s, size_t n);

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

/* A growable array of records of one kind. */
#define LM_VEC(T) struct { T *v; size_t n, cap; }

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

/* Parse YAML (loader_yaml.c) into a batch.  Diagnostics go to err; returns
 * LM_OK, LM_EINPUT or LM_EIO.  The batch may hold partial records after a
 * failure and must then be freed, never merged. */
int lm_yaml_parse_paths(lm_catalog *batch, const char *const *paths,
                        size_t npaths, lm_err *err);
int lm_yaml_parse_buffer(lm_catalog *batch, const char *name,
                         const char *data, size_t len, lm_err *err);
/* Whether libyaml runs on a thread of its own (loader_yaml.c): for files
 * of 1 MiB or more (AUTO, what the public functions do), never or always
 * (for tests, which compare them), or always in batches of three events
 * (TINY: every handing over between the threads happens in small
 * documents too). */
typedef enum lm_yaml_threads {
	LM_YAML_THREADS_AUTO,
	LM_YAML_THREADS_NEVER,
	LM_YAML_THREADS_ALWAYS,
	LM_YAML_THREADS_TINY
} lm_yaml_threads;
int lm_yaml_parse_buffer_threads(lm_catalog *batch, const char *name,
                                 const char *data, size_t len, lm_err *err,
                                 lm_yaml_threads threads);

/* Write the catalogue as YAML or JSON (export.c). */
int lm_export(const lm_catalog *cat, lm_format format, FILE *fp, lm_err *err);

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

/* lm_db_rank_need (store.c) with a choice of path, for tests: AUTO is
 * lm_db_rank_need; IMAGE fails with LM_ERROR where it would read the rows;
 * ROWS always reads them. */
typedef enum lm_rank_how { LM_RANK_AUTO, LM_RANK_IMAGE, LM_RANK_ROWS } lm_rank_how;
int lm_db_rank_need_how(lm_db *db, const char *need_id,
                        const lm_match_options *opts, lm_rank_how how,
                        lm_ranking **out);

/* Give ranking `r` catalogue `cat` to free with it (rank.c): for rankings
 * whose catalogue the caller never sees (lm_db_rank_need). */
void lm_ranking_adopt(lm_ranking *r, lm_catalog *cat);
/* Give explanation `e` catalogue `cat` to free with it, and set its
 * match's expert index (explain.c). */
void lm_explanation_adopt(lm_explanation *e, lm_catalog *cat,
                          size_t expert_index);
/* lm_db_rank_query and lm_db_explain (store.c) with a choice of path, as
 * lm_db_rank_need_how. */
int lm_db_rank_query_how(lm_db *db, const lm_query *query,
                         const lm_match_options *opts, lm_rank_how how,
                         lm_ranking **out);
int lm_db_explain_how(lm_db *db, const char *need_id, const char *expert_id,
                      const lm_match_options *opts, lm_rank_how how,
                      lm_explanation **out);
/* Replace each match's expert index i (< n) with map[i]. */
void lm_ranking_remap(lm_ranking *r, const uint32_t *map, size_t n);

/* Geography (geo.c): road km between place/coordinates, using the
 * distances table for place pairs, else haversine * road_factor. */
double lm_geo_km(const lm_catalog *cat, uint32_t place_a, double lat_a,
                 double lon_a, uint32_t place_b, double lat_b, double lon_b);

/* Safe sized allocation helpers. */
void *lm_reallocarray(void *p, size_t n, size_t size);
/* Grow a LM_VEC by one element; returns pointer to it (zeroed) or NULL. */
void *lm_vec_push(void **v, size_t *n, size_t *cap, size_t elem);
#define LM_VEC_PUSH(vec) \
	lm_vec_push((void **)&(vec).v, &(vec).n, &(vec).cap, sizeof(*(vec).v))

#endif /* LM_INTERNAL_H */
