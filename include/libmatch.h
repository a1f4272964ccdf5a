/* SPDX-License-Identifier: MIT */
/*
 * libmatch.h -- the whole public interface of libmatch.
 *
 * libmatch matches experts of the four Hedmark business gardens (Sør-Østerdal,
 * Magnor, Odal, Solør) against the needs of target companies: it loads
 * expertise profiles from YAML, keeps them in SQLite, scores every
 * expert-need pair with an explanation, ranks experts for a need and computes
 * the quarter's exactly optimal plan.
 *
 * Conventions (see libmatch(3)):
 *  - Handles are opaque.  Every fallible function returns an int: LM_OK (0)
 *    or a negative LM_E* code.  Out-parameters come last.
 *  - Whatever a function hands back through a `**out` belongs to the caller
 *    and has exactly one free function, which accepts NULL.
 *  - After any failure of a call that has a handle (also a NULL argument),
 *    the handle named first in the call holds that failure's message
 *    (lm_catalog_errmsg, lm_db_errmsg); for invalid input data it also holds
 *    one diagnostic per problem with FILE, LINE and COLUMN (1-based).
 *  - Strings are UTF-8.  Pointers into a catalogue stay valid until that
 *    catalogue is changed (a load) or freed.
 *  - Structs the library hands out through const pointers (record views,
 *    matches, plans, diagnostics) are the library's: later versions may
 *    add fields at their end, so never allocate one yourself.  Structs
 *    the caller fills in either carry a version (lm_query,
 *    lm_match_options) or are frozen (lm_pin, lm_skill_req).  Nothing
 *    that will grow, such as the number of kinds, is a constant here.
 *  - Progress callbacks return 0 to go on; anything else stops the call,
 *    which returns LM_ECANCELED.
 *  - There is no global mutable state: separate handles may be used on
 *    separate threads at the same time; one handle is not thread-safe.
 *    A load may use one more thread of its own for the time of the call
 *    (libyaml's parser on a file of 1 MiB or more; lm_db_load builds the
 *    engine image beside the rows), so link with -pthread.
 *  - The library never prints and never exits.
 */
#ifndef LIBMATCH_H
#define LIBMATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(LM_BUILDING) && defined(__GNUC__)
#define LM_EXTERN __attribute__((visibility("default")))
#else
#define LM_EXTERN
#endif

#define LM_VERSION "0.2.0" /* release version: the file VERSION */
#define LM_VERSION_MAJOR 0
#define LM_VERSION_MINOR 2
#define LM_VERSION_PATCH 0
#define LM_ABI_VERSION 2 /* soname major, libmatch.so.2: see ABI_VERSION */

/* ------------------------------------------------------------------ */
/* Status codes                                                        */

enum {
	LM_OK = 0,          /* success */
	LM_ERROR = -1,      /* internal error that fits no other code */
	LM_ENOMEM = -2,     /* out of memory */
	LM_EINVAL = -3,     /* invalid argument from the caller */
	LM_EINPUT = -4,     /* invalid input data; see the diagnostics */
	LM_EIO = -5,        /* a file could not be read or written */
	LM_EDB = -6,        /* database error (missing, corrupt, newer schema) */
	LM_ENOTFOUND = -7,  /* an id or name names no record */
	LM_EINFEASIBLE = -8,/* a requested pair breaks a hard rule */
	LM_EBUSY = -9,      /* the database stayed locked past the busy timeout */
	LM_ECONFLICT = -10, /* another writer changed the data first (retry) */
	LM_ECANCELED = -11, /* a progress callback asked to stop */
	LM_EAMBIGUOUS = -12 /* a name of more than one record (use its id) */
};

/* Short English text for a status code; never NULL, static storage. */
LM_EXTERN const char *lm_strerror(int code);

/* The run-time library version, e.g. "0.1.0"; static storage. */
LM_EXTERN const char *lm_version(void);

/* One problem found in input data.  `file` is the name given to the
 * loader (NULL if the problem has no position); line and column are
 * 1-based.  Owned by the handle that reports it (lm_catalog_diag,
 * lm_db_diag); fields may be added at the end. */
typedef struct lm_diag {
	const char *file;
	unsigned line;
	unsigned column;
	const char *message;
} lm_diag;

/* Kinds of records.  Later versions add kinds, so there is no count to
 * compile in: lm_kind_name() is NULL past the last kind this library
 * knows, and `for (k = 0; lm_kind_name(k); k++)` visits them all. */
typedef enum lm_kind {
	LM_PLACE = 0,
	LM_GARDEN,
	LM_SKILL,
	LM_EXPERT,
	LM_COMPANY,
	LM_NEED,
	LM_DISTANCE,
	LM_ENGAGEMENT
} lm_kind;

/* The plural YAML key of a kind ("experts"); NULL for an invalid kind. */
LM_EXTERN const char *lm_kind_name(lm_kind kind);
/* Parse a plural or singular kind name; LM_OK or LM_EINVAL (also for
 * NULL). */
LM_EXTERN int lm_kind_parse(const char *name, lm_kind *out);

typedef enum lm_mode {
	LM_ONSITE = 0,
	LM_REMOTE = 1,
	LM_HYBRID = 2
} lm_mode;

/* "onsite", "remote", "hybrid"; NULL for an invalid mode. */
LM_EXTERN const char *lm_mode_name(lm_mode mode);
/* Parse a mode name (case-insensitive); LM_OK or LM_EINVAL (also for
 * NULL). */
LM_EXTERN int lm_mode_parse(const char *name, lm_mode *out);

/* The formats of lm_catalog_export. */
typedef enum lm_format {
	LM_FORMAT_YAML = 0,
	LM_FORMAT_JSON = 1
} lm_format;

/* Progress callback for long operations: `done` of `total` units (total 0
 * when unknown).  Return 0 to go on; anything else asks the operation to
 * stop, and it fails with LM_ECANCELED and changes nothing (as libgit2's
 * and SQLite's progress handlers). */
typedef int (*lm_progress_fn)(const char *what, size_t done, size_t total,
                              void *ctx);

/* ------------------------------------------------------------------ */
/* The in-memory catalogue                                             */

typedef struct lm_catalog lm_catalog;

/* A new, empty catalogue with default settings.  Free with lm_catalog_free. */
LM_EXTERN int lm_catalog_new(lm_catalog **out);
/* Free a catalogue and everything it owns; NULL is a no-op. */
LM_EXTERN void lm_catalog_free(lm_catalog *cat);

/* The message of the last failure on this catalogue; never NULL (empty
 * when there was none).  For LM_EINPUT it is the first diagnostic as
 * "FILE:LINE:COLUMN: message".  Valid until the next call on `cat`. */
LM_EXTERN const char *lm_catalog_errmsg(const lm_catalog *cat);
/* Diagnostics of the last load: its problems when it failed; after a
 * success only its notes (a *.yaml of a folder that was skipped), which
 * are usually none. */
LM_EXTERN size_t lm_catalog_diag_count(const lm_catalog *cat);
/* The i-th diagnostic, or NULL when i is out of range.  Owned by `cat`. */
LM_EXTERN const lm_diag *lm_catalog_diag(const lm_catalog *cat, size_t i);

/* Load YAML files and folders (recursively, *.yaml and *.yml, in a sorted
 * order that does not matter) into the catalogue.  All or nothing: on any
 * error the catalogue is unchanged and every problem (up to a cap per file)
 * is a diagnostic.  References resolve across all files and what the
 * catalogue already holds; a record whose id exists replaces it.  The
 * strings of a replaced record stay allocated until the catalogue is
 * freed: a long-running program that re-loads often should load into a
 * new catalogue and swap.
 * Returns LM_EINPUT for bad data (a folder without any YAML file too),
 * LM_EIO for an unreadable path.  A *.yaml of a folder that is not a
 * regular file (a FIFO, a device) is not read: the diagnostics then hold
 * a note saying so, also after a success. */
LM_EXTERN int lm_catalog_load_paths(lm_catalog *cat, const char *const *paths,
                                    size_t npaths);
/* The same for one in-memory document; `name` is used in diagnostics. */
LM_EXTERN int lm_catalog_load_buffer(lm_catalog *cat, const char *name,
                                     const char *data, size_t len);

/* Write the whole catalogue as YAML or JSON, sorted by id, re-loadable.
 * Returns LM_EIO when a write fails. */
LM_EXTERN int lm_catalog_export(lm_catalog *cat, lm_format format, FILE *fp);

/* Number of records of a kind. */
LM_EXTERN size_t lm_catalog_count(const lm_catalog *cat, lm_kind kind);

/* Index of the record with this id, found exactly or else by a
 * case-insensitive (Unicode case-folded) match of id or name/label, or, for
 * skills, an alias.  LM_ENOTFOUND (with a "did you mean" in the message)
 * when there is none; LM_EAMBIGUOUS when the key is a name of more than
 * one record and no record's id (the message says so: use the id). */
LM_EXTERN int lm_catalog_find(lm_catalog *cat, lm_kind kind, const char *key,
                              size_t *out);

/* Read-only views of records, owned by the catalogue: the accessors below
 * return a pointer into it, valid until the catalogue changes (a load)
 * or is freed, and so is every string in a view.  `index` runs from 0 to
 * lm_catalog_count()-1 in id order.  Fields may be added at the end of
 * these structs in later versions: read them through the pointer (or
 * copy one for reading), but never allocate one yourself or keep an
 * array of them in storage of your own compiled size.
 * An accessor returns NULL when `index` (or `j`) is out of range, and
 * also when memory runs out on the first call for a kind, which builds
 * that kind's views (lm_catalog_errmsg then says so).  Because of that
 * first call, reading one catalogue from two threads at once needs a
 * lock, as every other use of one handle does. */
typedef struct lm_place_info {
	const char *id, *name;
	double lat, lon;
} lm_place_info;

typedef struct lm_garden_info {
	const char *id, *name, *place;
} lm_garden_info;

typedef struct lm_skill_info {
	const char *id, *label;
	const char *parent;          /* NULL for a root */
	size_t alias_count;
} lm_skill_info;

typedef struct lm_expert_info {
	const char *id, *name, *garden;
	const char *home;            /* place id, or NULL for coordinates */
	double lat, lon;             /* home coordinates */
	int capacity;                /* engagements per quarter */
	double max_travel_km;        /* effective limit (own or default) */
	int remote;                  /* 1 if the expert can work remotely */
	size_t skill_count, language_count, conflict_count;
	const char *retired;         /* the day it was retired, "YYYY-MM-DD",
	                              * or NULL: never ranked or planned */
} lm_expert_info;

typedef struct lm_company_info {
	const char *id, *name, *place;
	const char *garden;          /* NULL when not given */
	double lat, lon;
	const char *retired;         /* "YYYY-MM-DD", or NULL */
} lm_company_info;

typedef struct lm_need_info {
	const char *id, *company, *title; /* title may be NULL */
	lm_mode mode;
	int experts;                 /* how many experts it needs */
	const char *language;        /* NULL when any language will do */
	double max_km;               /* 0 when not given */
	size_t skill_count;
	const char *description;     /* the need in words; NULL when none */
	const char *status;          /* "open", "done" or "withdrawn" */
	const char *from, *until;    /* its first and last quarter, "YYYY-QN",
	                              * or NULL when not given */
	const char *retired;         /* "YYYY-MM-DD", or NULL */
} lm_need_info;

typedef struct lm_distance_info {
	const char *from, *to;
	double km;
} lm_distance_info;

typedef struct lm_engagement_info {
	const char *period, *need, *expert;
	double score;
} lm_engagement_info;

/* A skill requirement (a need's, or an ad-hoc query's as input) or an
 * expert's skill.  As an element of lm_query.skills it is input that the
 * caller allocates, so it is frozen as it is: a later query version may
 * point to a new element type instead of growing this one. */
typedef struct lm_skill_req {
	const char *skill;  /* skill id */
	int level;          /* 1..5 */
	double weight;      /* need skills: weight (default 1); experts: 1 */
	int optional;       /* need skills: 1 if not a hard rule */
} lm_skill_req;

LM_EXTERN const lm_place_info *lm_catalog_place(const lm_catalog *cat,
                                                size_t index);
LM_EXTERN const lm_garden_info *lm_catalog_garden(const lm_catalog *cat,
                                                  size_t index);
LM_EXTERN const lm_skill_info *lm_catalog_skill(const lm_catalog *cat,
                                                size_t index);
/* The j-th alias of skill `index`; NULL when out of range. */
LM_EXTERN const char *lm_catalog_skill_alias(const lm_catalog *cat,
                                             size_t index, size_t j);
LM_EXTERN const lm_expert_info *lm_catalog_expert(const lm_catalog *cat,
                                                  size_t index);
/* The j-th skill (0..skill_count-1, in the order of the skills' ids),
 * language or conflicting company id of expert `index`; NULL when out of
 * range. */
LM_EXTERN const lm_skill_req *lm_catalog_expert_skill(const lm_catalog *cat,
                                                      size_t index, size_t j);
LM_EXTERN const char *lm_catalog_expert_language(const lm_catalog *cat,
                                                 size_t index, size_t j);
LM_EXTERN const char *lm_catalog_expert_conflict(const lm_catalog *cat,
                                                 size_t index, size_t j);
LM_EXTERN const lm_company_info *lm_catalog_company(const lm_catalog *cat,
                                                    size_t index);
LM_EXTERN const lm_need_info *lm_catalog_need(const lm_catalog *cat,
                                              size_t index);
/* The j-th skill of need `index`, in the need's order. */
LM_EXTERN const lm_skill_req *lm_catalog_need_skill(const lm_catalog *cat,
                                                    size_t index, size_t j);
LM_EXTERN const lm_distance_info *lm_catalog_distance(const lm_catalog *cat,
                                                      size_t index);
LM_EXTERN const lm_engagement_info *
lm_catalog_engagement(const lm_catalog *cat, size_t index);

/* 1 if expert `index` has skill `skill` (an index into skills) or a
 * narrower one of it, at any level. */
LM_EXTERN int lm_catalog_expert_has_skill(const lm_catalog *cat, size_t index,
                                          size_t skill);

/* Effective settings of the catalogue (the defaults, and what the
 * settings of the profiles changed), owned by the catalogue like the
 * record views above, and like them open to fields added at the end. */
typedef struct lm_settings {
	double max_travel_km;   /* global travel limit, default 300 */
	double road_factor;     /* great-circle km to road km, default 1.0 */
	double speed_kmh;       /* travel speed, default 70 */
	double km_rate_nok;     /* mileage rate, default 5.30 */
	double weight_skill;    /* score weight of skill fit, default 0.7 */
	double weight_distance; /* score weight of distance, default 0.3 */
	double hybrid_distance_factor; /* distance weight factor, hybrid, 0.5 */
	double credit_child;    /* credit of a narrower skill per step, 0.8 */
	double credit_parent;   /* credit of a broader skill per step, 0.5 */
	double level_step;      /* credit per level below 5, 0.05 */
	int default_capacity;   /* engagements per quarter, default 2 */
} lm_settings;

/* The catalogue's settings; valid until it changes or is freed.  NULL
 * only for a NULL catalogue. */
LM_EXTERN const lm_settings *lm_catalog_settings(const lm_catalog *cat);

/* Engagements already committed for `period` (e.g. "2026-Q4"; NULL: the
 * current quarter); 0 for a NULL catalogue or an unknown index. */
LM_EXTERN int lm_catalog_expert_committed(const lm_catalog *cat, size_t expert,
                                          const char *period);

/* The most experts of need `index`'s team (`team: T`, 1..8; 1 for an
 * ordinary need, which one expert takes per `experts` place); 0 for a
 * NULL catalogue or an unknown index. */
LM_EXTERN int lm_catalog_need_team(const lm_catalog *cat, size_t index);
/* settings.team_penalty: the points a team's score loses per member
 * beyond the first (default 5); 0 for a NULL catalogue. */
LM_EXTERN double lm_catalog_team_penalty(const lm_catalog *cat);

/* ------------------------------------------------------------------ */
/* Geography                                                           */

/* The mean Earth radius (IUGG) in km: the one radius of every great-circle
 * distance libmatch computes, and of a caller's own map projection. */
#define LM_EARTH_RADIUS_KM 6371.0088

/* Great-circle distance in km (haversine on LM_EARTH_RADIUS_KM). */
LM_EXTERN double lm_haversine_km(double lat1, double lon1, double lat2,
                                 double lon2);

/* ------------------------------------------------------------------ */
/* Scoring, ranking and explanations                                   */

/* Structs the caller fills in as input.  lm_query and lm_match_options
 * carry a version: fields are only ever appended, and a caller compiled
 * against version v sets .version = v (the _INIT macro or the _init
 * function does), so that a newer libmatch reads no further than that
 * version has and gives the later fields their defaults.  Version 0 or
 * one newer than the library is LM_EINVAL, with the version in the
 * message.  lm_skill_req (as query input) and lm_pin are array elements
 * and frozen as they are: a later query version may point to a new
 * element type instead. */

/* A need described by the caller instead of one stored in the catalogue. */
typedef struct lm_query {
	unsigned int version;        /* LM_QUERY_VERSION (or older) */
	const char *at;              /* place id or name; NULL: use lat/lon */
	double lat, lon;
	lm_mode mode;
	const lm_skill_req *skills;  /* skill ids, names or aliases */
	size_t skill_count;
	const char *language;        /* NULL: any */
	double max_km;               /* 0: none */
	const char *company;         /* company id for conflicts; may be NULL */
} lm_query;
#define LM_QUERY_VERSION 1
#define LM_QUERY_INIT {LM_QUERY_VERSION, NULL, 0.0, 0.0, LM_ONSITE, NULL, 0, NULL, 0.0, NULL}
/* Fill *query with the defaults of `version` (pass LM_QUERY_VERSION),
 * as LM_QUERY_INIT does, for callers that cannot use the macro (other
 * languages).  LM_EINVAL for NULL or a version this libmatch does not
 * know. */
LM_EXTERN int lm_query_init(lm_query *query, unsigned int version);

/* Options of ranking, explaining and planning.  NULL means defaults.
 * A negative weight means "take it from settings". */
typedef struct lm_match_options {
	unsigned int version;        /* LM_MATCH_OPTIONS_VERSION (or older) */
	size_t k;                    /* ranking: how many; 0 = every feasible */
	double max_km;               /* extra distance limit; 0 = none */
	double weight_skill;
	double weight_distance;
	const char *period;          /* for capacity; NULL = current quarter */
	int available_only;          /* ranking: hide experts with none left */
	lm_progress_fn progress;     /* may be NULL */
	void *progress_ctx;
} lm_match_options;
#define LM_MATCH_OPTIONS_VERSION 1
#define LM_MATCH_OPTIONS_INIT {LM_MATCH_OPTIONS_VERSION, 10, 0.0, -1.0, -1.0, NULL, 0, NULL, NULL}
/* Fill *opts with the defaults of `version` (pass
 * LM_MATCH_OPTIONS_VERSION), as LM_MATCH_OPTIONS_INIT does.  LM_EINVAL
 * for NULL or a version this libmatch does not know. */
LM_EXTERN int lm_match_options_init(lm_match_options *opts,
                                    unsigned int version);

/* The quarter an instant falls in, as "YYYY-QN", written to buf (>= 8
 * bytes), in local time.  `when` is seconds since the epoch (a time_t);
 * pass -1 for now.  LM_EINVAL for any other negative `when`, one beyond
 * time_t, or a short buffer. */
LM_EXTERN int lm_period_current(int64_t when, char *buf, size_t size);

/* The score components of a feasible pair.  Fractions are 0..1; points
 * are their share of the 0..100 score (points add up to the score). */
typedef struct lm_components {
	double skill_fit;        /* weighted credit over the need's skills */
	double distance_fit;     /* 1 - km / max_travel_km; 1 for remote */
	double weight_skill;     /* weights as applied to this pair */
	double weight_distance;
	double skill_points;
	double distance_points;
} lm_components;

/* One expert for one need, owned by the ranking or explanation that
 * returns it; fields may be added at the end (after `components`). */
typedef struct lm_match {
	size_t expert;           /* expert index in the catalogue */
	const char *expert_id, *expert_name, *garden;
	double score;            /* 0..100 */
	double distance_km;
	double travel_minutes;   /* one way */
	double travel_cost_nok;  /* round trip */
	int capacity_left;       /* engagements left in the period */
	lm_components components;
} lm_match;

typedef struct lm_ranking lm_ranking;

/* Rank experts for a stored need / an ad-hoc query.  Ties are broken by
 * expert id; capacity never removes an expert unless available_only.
 * LM_ENOTFOUND for an unknown need id, place, skill or company,
 * LM_EAMBIGUOUS for a name of more than one; LM_EINVAL for a bad query.
 * Free the result with lm_ranking_free, before the catalogue: the
 * matches' strings point into it. */
LM_EXTERN int lm_rank_need(lm_catalog *cat, const char *need_id,
                           const lm_match_options *opts, lm_ranking **out);
LM_EXTERN int lm_rank_query(lm_catalog *cat, const lm_query *query,
                            const lm_match_options *opts, lm_ranking **out);
LM_EXTERN size_t lm_ranking_count(const lm_ranking *r);
/* The i-th best match; NULL when out of range.  Owned by the ranking. */
LM_EXTERN const lm_match *lm_ranking_get(const lm_ranking *r, size_t i);
/* Number of feasible experts found (may exceed the count when k cut). */
LM_EXTERN size_t lm_ranking_feasible(const lm_ranking *r);
LM_EXTERN void lm_ranking_free(lm_ranking *r);

/* How one of the need's skills was met by the expert; owned by the
 * explanation, and open to fields added at the end. */
typedef struct lm_skill_credit {
	const char *need_skill;    /* skill id the need names */
	int min_level;
	double weight;
	int optional;
	const char *via_skill;     /* expert's skill that gives the credit, or NULL */
	int via_level;             /* its level, 0 if none */
	const char *relation;      /* "exact", "narrower", "broader", "none" */
	double credit;             /* 0..1 */
} lm_skill_credit;

typedef struct lm_explanation lm_explanation;

/* Everything about one expert-need pair: feasibility with every broken
 * rule in words, the score components and per-skill credit.  An
 * infeasible pair is not an error.  Free with lm_explanation_free. */
LM_EXTERN int lm_explain(lm_catalog *cat, const char *need_id,
                         const char *expert_id, const lm_match_options *opts,
                         lm_explanation **out);
LM_EXTERN int lm_explanation_feasible(const lm_explanation *e);
/* The pair's match (score, distance, components); for an infeasible pair
 * the score is 0 and the components are those it would have. */
LM_EXTERN const lm_match *lm_explanation_match(const lm_explanation *e);
LM_EXTERN size_t lm_explanation_reason_count(const lm_explanation *e);
/* The i-th broken rule as a sentence; NULL when out of range. */
LM_EXTERN const char *lm_explanation_reason(const lm_explanation *e, size_t i);
LM_EXTERN size_t lm_explanation_skill_count(const lm_explanation *e);
LM_EXTERN const lm_skill_credit *lm_explanation_skill(const lm_explanation *e,
                                                      size_t i);
LM_EXTERN void lm_explanation_free(lm_explanation *e);

/* The id of the ranked or explained need as the profiles spell it (the
 * caller may have named it in another case): owned like the matches'
 * strings.  lm_ranking_need is NULL for a ranking of an ad-hoc query. */
LM_EXTERN const char *lm_ranking_need(const lm_ranking *r);
LM_EXTERN const char *lm_explanation_need(const lm_explanation *e);

/* Explain one expert for an ad-hoc query, as lm_explain does for a
 * stored need (lm_explanation_need is then NULL); errors as
 * lm_rank_query's and lm_explain's. */
LM_EXTERN int lm_explain_query(lm_catalog *cat, const lm_query *query,
                               const char *expert_id,
                               const lm_match_options *opts,
                               lm_explanation **out);

/* Teams (docs/scoring.md "Teams"): a need with `team: T` may be served by
 * up to T experts together.  The views below are owned by the team
 * ranking or explanation that returns them; fields may be added at the
 * end of each. */

/* One member of a team. */
typedef struct lm_team_member {
	size_t expert;           /* expert index in the catalogue */
	const char *expert_id, *expert_name, *garden;
	double distance_km;
	double distance_fit;     /* 1 for remote needs */
	double travel_minutes;   /* one way */
	int capacity_left;       /* engagements left in the period */
	int speaks;              /* speaks the need's language (1: none asked) */
	int needed;              /* removing it would break a rule or lower
	                            the score */
	int feasible;            /* obeys the per-expert rules (distance,
	                            remote, conflicts, not retired) */
} lm_team_member;

/* One of the need's skills as the team meets it: the best credit of any
 * member, with that member's skill, level and relation in `credit`. */
typedef struct lm_team_skill {
	const char *member;      /* expert id of the member that gives the
	                            credit (the first in id order among equal
	                            ones); NULL when no member covers it */
	int covered;             /* some member meets its minimum level */
	lm_skill_credit credit;  /* last, so that lm_skill_credit may grow */
} lm_team_skill;

/* A team's score: 100 * (ws*S + wd*D) / (ws + wd) - penalty_points, with
 * S over the best member per skill and D the farthest member's fit. */
typedef struct lm_team {
	double score;            /* 0 for a team that breaks a rule */
	size_t member_count;
	double penalty_points;   /* settings.team_penalty * (members - 1) */
	double distance_km;      /* the farthest member's distance */
	lm_components components; /* skill_fit S, distance_fit D, the weights
	                            and points before the penalty; last, so
	                            that lm_components may grow */
} lm_team;

typedef struct lm_team_ranking lm_team_ranking;

/* The best teams for stored need `need_id`: opts->k of them (0 is every
 * team, which may be very many for a need of many candidates), capacity
 * ignored, only teams in which every member is needed; best first by
 * score, then fewer members, then the members' sorted ids.  A need of
 * team 1 gets teams of one (its ranking of experts).  Errors as
 * lm_rank_need.  Free with lm_team_ranking_free, before the catalogue. */
LM_EXTERN int lm_rank_teams(lm_catalog *cat, const char *need_id,
                            const lm_match_options *opts,
                            lm_team_ranking **out);
LM_EXTERN size_t lm_team_ranking_count(const lm_team_ranking *r);
/* The i-th team; NULL when out of range. */
LM_EXTERN const lm_team *lm_team_ranking_get(const lm_team_ranking *r,
                                             size_t i);
/* Member j of team i, in id order; NULL when out of range. */
LM_EXTERN const lm_team_member *
lm_team_ranking_member(const lm_team_ranking *r, size_t i, size_t j);
/* Need skill s of team i, in the need's order; NULL when out of range. */
LM_EXTERN const lm_team_skill *lm_team_ranking_skill(const lm_team_ranking *r,
                                                     size_t i, size_t s);
/* How many skills the need names (the same for every team). */
LM_EXTERN size_t lm_team_ranking_skill_count(const lm_team_ranking *r);
LM_EXTERN void lm_team_ranking_free(lm_team_ranking *r);

typedef struct lm_team_explanation lm_team_explanation;

/* Everything about a team of `n` experts (ids or names, 1..8) for stored
 * need `need_id`: its score with the member that gives each skill its
 * credit, or every rule it breaks (a member's own rule, prefixed with the
 * member's id; a skill no member covers; a language nobody speaks; more
 * members than the need's team takes; an expert named twice).  A team
 * that breaks rules is not an error.  A team of one scores exactly as
 * lm_explain.  Free with lm_team_explanation_free. */
LM_EXTERN int lm_team_explain(lm_catalog *cat, const char *need_id,
                              const char *const *expert_ids, size_t n,
                              const lm_match_options *opts,
                              lm_team_explanation **out);
LM_EXTERN int lm_team_explanation_feasible(const lm_team_explanation *e);
LM_EXTERN const lm_team *lm_team_explanation_team(const lm_team_explanation *e);
/* Member j, in the order given; NULL when out of range. */
LM_EXTERN const lm_team_member *
lm_team_explanation_member(const lm_team_explanation *e, size_t j);
LM_EXTERN size_t lm_team_explanation_skill_count(const lm_team_explanation *e);
LM_EXTERN const lm_team_skill *
lm_team_explanation_skill(const lm_team_explanation *e, size_t s);
LM_EXTERN size_t lm_team_explanation_reason_count(const lm_team_explanation *e);
LM_EXTERN const char *lm_team_explanation_reason(const lm_team_explanation *e,
                                                 size_t i);
LM_EXTERN void lm_team_explanation_free(lm_team_explanation *e);

/* ------------------------------------------------------------------ */
/* The quarter's plan                                                  */

typedef struct lm_plan lm_plan;

/* A pair the plan must contain: need and expert by id or name.  Input
 * the caller allocates as an array, so frozen as it is. */
typedef struct lm_pin {
	const char *need;
	const char *expert;
} lm_pin;

/* The exactly optimal plan for every open need of the period: maximal
 * total score, each need at most its `experts` count (less what is already
 * committed), each expert at most its capacity (less its committed
 * engagements).  Among plans of equal total the one spreading load over
 * more experts wins, deterministically.  Pins force pairs; a pin that
 * breaks a hard rule fails with LM_EINFEASIBLE.  Already committed
 * engagements count as load when spreading.  The plan's strings point into
 * the catalogue: free the plan (lm_plan_free) before the catalogue. */
LM_EXTERN int lm_plan_compute(lm_catalog *cat, const lm_pin *pins,
                              size_t npins, const lm_match_options *opts,
                              lm_plan **out);

/* What a plan holds, owned by the plan (lm_plan_assignment,
 * lm_plan_unassigned, lm_plan_garden); fields may be added at the end. */

/* One pair of the plan. */
typedef struct lm_assignment {
	const char *need, *expert, *company;
	const char *need_garden, *expert_garden; /* need_garden may be NULL */
	double score;
	double distance_km;
	int pinned;
} lm_assignment;

/* A need the plan leaves (partly) open, and why. */
typedef struct lm_unassigned {
	const char *need;
	int missing;             /* experts still lacking */
	/* "no feasible expert" (the hard rules keep every expert out), "too
	 * few feasible experts" (every feasible expert is on the need and
	 * it still lacks some) or "capacity spent" (feasible experts are
	 * left, but all are booked). */
	const char *reason;
	const char *detail;      /* who/what excluded it, in words */
	const char *fix;         /* what would fix it, in words */
} lm_unassigned;

/* What one garden gave and received in the plan. */
typedef struct lm_garden_report {
	const char *garden;
	int engagements;         /* taken by this garden's experts */
	int cross_garden;        /* of those, for companies of another garden */
	int received;            /* engagements for this garden's companies */
} lm_garden_report;

/* The plan's period ("2026-Q4") and total score; its entries by index,
 * NULL when out of range.  Everything is owned by the plan. */
LM_EXTERN const char *lm_plan_period(const lm_plan *p);
LM_EXTERN double lm_plan_total_score(const lm_plan *p);
LM_EXTERN size_t lm_plan_assignment_count(const lm_plan *p);
LM_EXTERN const lm_assignment *lm_plan_assignment(const lm_plan *p, size_t i);
LM_EXTERN size_t lm_plan_unassigned_count(const lm_plan *p);
LM_EXTERN const lm_unassigned *lm_plan_unassigned(const lm_plan *p, size_t i);
LM_EXTERN size_t lm_plan_garden_count(const lm_plan *p);
LM_EXTERN const lm_garden_report *lm_plan_garden(const lm_plan *p, size_t i);
LM_EXTERN void lm_plan_free(lm_plan *p);

/* A need the plan left out before planning, and why: "retired" (the need
 * or its company), "done", "withdrawn" (its status, or the period is
 * after its `until`), "not yet due" (before its `from`) or "served" (the
 * engagements committed for it in any period fill its `experts`).
 * Owned by the plan; fields may be added at the end. */
typedef struct lm_left_out {
	const char *need;
	const char *reason;          /* static storage */
} lm_left_out;

/* The needs left out, in id order; NULL when out of range. */
LM_EXTERN size_t lm_plan_left_out_count(const lm_plan *p);
LM_EXTERN const lm_left_out *lm_plan_left_out(const lm_plan *p, size_t i);

/* A team need's team in the plan (a team need, `team` > 1, is never an
 * assignment, even when its team has one member); owned by the plan,
 * fields may be added at the end. */
typedef struct lm_team_assignment {
	const char *need, *company;
	const char *need_garden;  /* may be NULL */
	double score;             /* the team's score (docs/scoring.md) */
	double distance_km;       /* its farthest member's distance */
	size_t n_members;
} lm_team_assignment;

/* One member of a team in the plan; fields may be added at the end. */
typedef struct lm_plan_member {
	const char *expert, *name, *garden;
	double distance_km;
} lm_plan_member;

/* The plan's teams by index (in need id order), and member j of team i
 * (members in expert id order); NULL when out of range. */
LM_EXTERN size_t lm_plan_team_count(const lm_plan *p);
LM_EXTERN const lm_team_assignment *lm_plan_team(const lm_plan *p, size_t i);
LM_EXTERN const lm_plan_member *lm_plan_team_member(const lm_plan *p,
                                                    size_t i, size_t j);
/* Seconds lm_plan_compute gives the search for a proof of optimality of
 * a plan with team needs before it returns the best plan found. */
#define LM_PLAN_TIME_LIMIT 120.0
/* lm_plan_compute with that time limit in seconds: 0 = the default
 * (LM_PLAN_TIME_LIMIT), < 0 = none.  Plans without team needs are exact
 * at once and take no notice of it. */
LM_EXTERN int lm_plan_compute_limited(lm_catalog *cat, const lm_pin *pins,
                                      size_t npins,
                                      const lm_match_options *opts,
                                      double time_limit, lm_plan **out);
/* 1 when the plan's total is proven maximal (always without team needs;
 * with them, by a certificate libmatch checks itself, docs/planning.md),
 * 0 when the time limit stopped the search first. */
LM_EXTERN int lm_plan_proven(const lm_plan *p);
/* An upper bound of every plan's total, in score points (to 1/10,000):
 * the total itself when proven. */
LM_EXTERN double lm_plan_bound(const lm_plan *p);

/* ------------------------------------------------------------------ */
/* The SQLite store                                                    */

typedef struct lm_db lm_db;

#define LM_DB_CREATE   0x1u  /* create the database file if missing */
#define LM_DB_READONLY 0x2u  /* open read-only */

/* Open (and with LM_DB_CREATE, create or upgrade) a database.  Without
 * LM_DB_CREATE a missing file is LM_EDB with a message saying so.  On
 * failure *out is still set when a handle could be made, so that
 * lm_db_errmsg() can say why; free it with lm_db_close.  */
LM_EXTERN int lm_db_open(const char *path, unsigned flags, lm_db **out);
/* Close the database; NULL is a no-op. */
LM_EXTERN void lm_db_close(lm_db *db);
/* The message of the last failure on this handle; never NULL. */
LM_EXTERN const char *lm_db_errmsg(const lm_db *db);
/* The diagnostics of the last load, as lm_catalog_diag's (notes only
 * after a success). */
LM_EXTERN size_t lm_db_diag_count(const lm_db *db);
LM_EXTERN const lm_diag *lm_db_diag(const lm_db *db, size_t i);

/* Read the whole database into a new catalogue (free with
 * lm_catalog_free). */
LM_EXTERN int lm_db_read(lm_db *db, lm_catalog **out);

/* The bit of a kind in the mask of lm_db_read_kinds. */
#define LM_KIND_BIT(kind) (1u << (unsigned)(kind))
/* Every kind, also the kinds later versions add. */
#define LM_KINDS_ALL 0xffffffffu

/* Read only the kinds in `kinds` (LM_KIND_BIT(LM_GARDEN) | ...) and the
 * kinds they refer to (gardens need places; companies places and gardens;
 * experts gardens, places, skills and companies; needs companies and
 * skills; distances places; engagements needs and experts); settings are
 * always read.  The other kinds are empty in the result, so a command that
 * lists gardens need not read 100,000 experts.  LM_KINDS_ALL is
 * lm_db_read.  Bits of kinds this library does not know are ignored (it
 * has no such records to read), so that a mask built with a newer header
 * works as far as it can.  Free the result with lm_catalog_free. */
LM_EXTERN int lm_db_read_kinds(lm_db *db, unsigned kinds, lm_catalog **out);

/* Rank experts for stored need `need_id` straight from the database: the
 * same ranking as lm_db_read followed by lm_rank_need, to the bit, but
 * reading only what the ranking depends on when the database has a
 * current engine image (every load writes one), which makes it about as
 * quick as opening the database.  The ranking owns what was read: free
 * it with lm_ranking_free.  Errors as lm_rank_need's, with the message in
 * lm_db_errmsg. */
LM_EXTERN int lm_db_rank_need(lm_db *db, const char *need_id,
                              const lm_match_options *opts,
                              lm_ranking **out);

/* Rank experts for an ad-hoc query straight from the database: as
 * lm_db_rank_need for lm_rank_query (the query's strings are only read
 * during the call). */
LM_EXTERN int lm_db_rank_query(lm_db *db, const lm_query *query,
                               const lm_match_options *opts,
                               lm_ranking **out);

/* Explain one pair straight from the database: lm_explain's answer, read
 * as lm_db_rank_need reads (the need and, through the engine image, the
 * one expert).  The explanation owns what was read: free it with
 * lm_explanation_free.  Errors as lm_explain's, with the message in
 * lm_db_errmsg. */
LM_EXTERN int lm_db_explain(lm_db *db, const char *need_id,
                            const char *expert_id,
                            const lm_match_options *opts,
                            lm_explanation **out);

/* Load YAML files and folders into the database in one transaction: all
 * or nothing, validated against what the database holds.  Diagnostics as
 * for lm_catalog_load_paths, on the db handle.  `progress` may be NULL.
 * The input is read and checked before the write lock is taken (and
 * checked again under it when another writer committed meanwhile). */
LM_EXTERN int lm_db_load(lm_db *db, const char *const *paths, size_t npaths,
                         lm_progress_fn progress, void *progress_ctx);

/* Record the plan's assignments as engagements of its period.  Capacity
 * and demand are re-checked inside the write transaction: if another
 * writer committed meanwhile so that an expert would be overbooked or a
 * need over-covered, nothing is written and LM_ECONFLICT is returned.
 * The same when the profiles changed since the plan's catalogue was read
 * with lm_db_read (a load came between: the message says when). */
LM_EXTERN int lm_db_commit_plan(lm_db *db, const lm_plan *plan,
                                size_t *committed);

/* Remove engagements of `period` for a need (all its experts when
 * `expert_id` is NULL).  LM_ENOTFOUND when nothing matched. */
LM_EXTERN int lm_db_release(lm_db *db, const char *period, const char *need_id,
                            const char *expert_id, size_t *released);

/* Explain one expert for an ad-hoc query straight from the database:
 * lm_explain_query's answer, read as lm_db_explain reads. */
LM_EXTERN int lm_db_explain_query(lm_db *db, const lm_query *query,
                                  const char *expert_id,
                                  const lm_match_options *opts,
                                  lm_explanation **out);

/* Retire expert, company or need `id` (its exact id) as of `day`
 * ("YYYY-MM-DD"; NULL: today, local time): it stays in the database
 * with its engagements, which stay valid and keep counting, but is
 * never ranked, planned or suggested again (a retired company's needs
 * are not planned either).  A record retired already keeps its day.
 * LM_ENOTFOUND for an unknown id; LM_EINVAL for another kind or a bad
 * day. */
LM_EXTERN int lm_db_retire(lm_db *db, lm_kind kind, const char *id,
                           const char *day);
/* Undo lm_db_retire (a record that is not retired stays as it is). */
LM_EXTERN int lm_db_restore(lm_db *db, lm_kind kind, const char *id);
/* Set need `need_id`'s status: "open", "done" (it needs nothing more)
 * or "withdrawn" (the company no longer wants it).  Only an open need
 * is planned.  LM_ENOTFOUND for an unknown id, LM_EINVAL for another
 * status. */
LM_EXTERN int lm_db_set_need_status(lm_db *db, const char *need_id,
                                    const char *status);

/* What lm_db_load_with did to the records of each kind (places to
 * needs, and engagements: their "PERIOD NEED EXPERT" as ids, changed
 * when the score is): the counts and ids of lm_load_report_count/_id. */
enum {
	LM_LOAD_ADDED = 0,     /* new ids */
	LM_LOAD_CHANGED = 1,   /* ids the database held, now different */
	LM_LOAD_UNCHANGED = 2, /* ids the database held exactly so */
	LM_LOAD_RETIRED = 3,   /* LM_LOAD_SYNC: retired, not in the files */
	LM_LOAD_UNLISTED = 4   /* without LM_LOAD_SYNC: experts, companies
	                        * and needs of a kind the files give that
	                        * the files do not name (not retired) */
};
#define LM_LOAD_SYNC    0x1u /* the files are every record of their kinds:
                              * retire the experts, companies and needs
                              * of those kinds that they do not name */
#define LM_LOAD_DRY_RUN 0x2u /* check and report, write nothing */

typedef struct lm_load_report lm_load_report;

/* lm_db_load with `flags` (LM_LOAD_*; another bit is LM_EINVAL) and,
 * when `report` is not NULL, a report of what it did (or, with
 * LM_LOAD_DRY_RUN, would do) in *report on success, freed with
 * lm_load_report_free.  Retired records keep their rows and
 * engagements; a retired record the files give again is restored. */
LM_EXTERN int lm_db_load_with(lm_db *db, const char *const *paths,
                              size_t npaths, unsigned flags,
                              lm_progress_fn progress, void *progress_ctx,
                              lm_load_report **report);
/* How many records of `kind` the load counted as `what` (LM_LOAD_*);
 * 0 for a NULL report, another kind or another `what`. */
LM_EXTERN size_t lm_load_report_count(const lm_load_report *r, lm_kind kind,
                                      int what);
/* Their ids, in id order; NULL when i is out of range. */
LM_EXTERN const char *lm_load_report_id(const lm_load_report *r,
                                        lm_kind kind, int what, size_t i);
LM_EXTERN void lm_load_report_free(lm_load_report *r);

/* ------------------------------------------------------------------ */
/* The quarter's joint meeting                                         */

/* Where should the four gardens meet?  Every candidate place is ranked by
 * the total travel of all delegations, each from its garden's place, with
 * the engine's geography (the distances table where it has the pair, else
 * the great circle times settings.road_factor), minutes at
 * settings.speed_kmh and money at settings.km_rate_nok. */

/* People a garden sends when the options do not say. */
#define LM_MEETING_PEOPLE 2
/* The largest delegation the options accept. */
#define LM_MEETING_PEOPLE_MAX 1000

/* How many people one garden sends; 0: the garden does not travel. */
typedef struct lm_meeting_attendees {
	const char *garden;          /* garden id or name (case-insensitive) */
	int people;                  /* 0..LM_MEETING_PEOPLE_MAX */
} lm_meeting_attendees;

/* Options of lm_meeting_rank.  NULL means defaults. */
typedef struct lm_meeting_options {
	unsigned int version;        /* LM_MEETING_OPTIONS_VERSION */
	const char *period;          /* the meeting's quarter, "YYYY-QN" in any
	                              * case; NULL = the current quarter.  Only
	                              * a label: travel does not depend on it */
	const lm_meeting_attendees *attendees; /* per garden; the others send
	                              * LM_MEETING_PEOPLE.  A garden given twice
	                              * must be given the same number */
	size_t attendee_count;
	const char *const *places;   /* candidate places (ids or names); NULL
	                              * or place_count 0: every place */
	size_t place_count;
} lm_meeting_options;
#define LM_MEETING_OPTIONS_VERSION 1
#define LM_MEETING_OPTIONS_INIT {LM_MEETING_OPTIONS_VERSION, NULL, NULL, 0, NULL, 0}

/* Fill *opts with the defaults of options version `version`, as
 * LM_MEETING_OPTIONS_INIT does.  LM_EINVAL for a version this library
 * does not know (then *opts is untouched). */
LM_EXTERN int lm_meeting_options_init(lm_meeting_options *opts,
                                      unsigned int version);

/* One garden's delegation to one venue.  km, minutes and nok are per
 * person; the totals count every person of the delegation. */
typedef struct lm_meeting_trip {
	const char *garden;          /* garden id */
	const char *from;            /* the garden's place id */
	int people;                  /* 0 when the garden does not travel */
	double km;                   /* one way, per person */
	double minutes;              /* one way: km / speed_kmh * 60 */
	double nok;                  /* per person, round trip: 2 * km * rate */
	double total_km;             /* people * 2 * km */
	double total_minutes;        /* people * 2 * minutes */
	double total_nok;            /* people * nok */
	int from_table;              /* 1 when km is the distances table's */
} lm_meeting_trip;

/* One candidate place with everyone's travel to it. */
typedef struct lm_meeting_venue {
	size_t rank;                 /* 1, 2, ...: by total_km, ties by place id */
	size_t place_index;          /* index of the place in the catalogue */
	const char *place, *name;    /* the place's id and name */
	double total_km;             /* sum of the trips' total_km */
	double total_minutes;        /* sum of the trips' total_minutes */
	double total_nok;            /* sum of the trips' total_nok */
	double longest_km;           /* the longest one-way trip of anyone who
	                              * travels (0 when nobody does) */
	size_t trip_count;           /* one trip per garden, in garden id order */
	const lm_meeting_trip *trips;/* owned by the meeting */
} lm_meeting_venue;

typedef struct lm_meeting lm_meeting;

/* Rank the candidate places for the quarter's meeting.  LM_ENOTFOUND
 * (with a "did you mean" in lm_catalog_errmsg) for a garden or place that
 * names no record; LM_EINVAL for bad options (unknown version, a period
 * that is not YYYY-QN, people outside 0..LM_MEETING_PEOPLE_MAX, a garden
 * given twice with different numbers).  A catalogue without places gives
 * a meeting without venues.  The meeting's strings point into the
 * catalogue: free it (lm_meeting_free) before the catalogue. */
LM_EXTERN int lm_meeting_rank(lm_catalog *cat, const lm_meeting_options *opts,
                              lm_meeting **out);
/* The meeting's quarter as "YYYY-QN"; owned by the meeting. */
LM_EXTERN const char *lm_meeting_period(const lm_meeting *m);
/* People travelling in all (the sum over the gardens). */
LM_EXTERN size_t lm_meeting_people(const lm_meeting *m);
LM_EXTERN size_t lm_meeting_venue_count(const lm_meeting *m);
/* The venue of rank i + 1; NULL when out of range.  Owned by the meeting. */
LM_EXTERN const lm_meeting_venue *lm_meeting_venue_get(const lm_meeting *m,
                                                       size_t i);
/* The venue with the least total_km (rank 1), and the fair choice: the
 * venue whose longest single trip is shortest, ties by total_km, then by
 * place id.  NULL when there are no venues.  Owned by the meeting. */
LM_EXTERN const lm_meeting_venue *lm_meeting_best_total(const lm_meeting *m);
LM_EXTERN const lm_meeting_venue *lm_meeting_best_fair(const lm_meeting *m);
/* Free a meeting; NULL is a no-op. */
LM_EXTERN void lm_meeting_free(lm_meeting *m);

/* ------------------------------------------------------------------ */
/* Needs in words: skills suggested for a text                         */

/* The longest text lm_suggest takes, in bytes (a need's description is
 * far shorter; the limit bounds the work of one call). */
#define LM_SUGGEST_MAX_TEXT 65536

/* Options of lm_suggest.  NULL means defaults.  Fields are only ever
 * appended: a caller compiled against version v sets .version = v. */
typedef struct lm_suggest_options {
	unsigned int version;        /* LM_SUGGEST_OPTIONS_VERSION */
	double min_confidence;       /* leave out suggestions below; default 0 */
	size_t max_results;          /* at most this many; 0 = every one */
} lm_suggest_options;
#define LM_SUGGEST_OPTIONS_VERSION 1
#define LM_SUGGEST_OPTIONS_INIT {LM_SUGGEST_OPTIONS_VERSION, 0.0, 0}

/* Fill *opts with the defaults of options version `version`, as
 * LM_SUGGEST_OPTIONS_INIT does.  LM_EINVAL for a version this library
 * does not know (then *opts is untouched). */
LM_EXTERN int lm_suggest_options_init(lm_suggest_options *opts,
                                      unsigned int version);

/* The words of the text that named a skill: whole words as written,
 * NUL-terminated, and where they are in the text (bytes).  Owned by its
 * list; fields may be added at the end. */
typedef struct lm_evidence {
	const char *words;
	size_t offset, length;
} lm_evidence;

/* One suggested skill.  Owned by its list; fields may be added at the
 * end in later versions. */
typedef struct lm_suggestion {
	size_t skill;                /* skill index in the catalogue */
	const char *skill_id, *label;
	double confidence;           /* 0..1, to 3 decimals: how surely the
	                              * text names it */
	size_t evidence_count;       /* lm_suggestion_list_evidence */
} lm_suggestion;

typedef struct lm_suggestion_list lm_suggestion_list;

/* The skills of the catalogue that `text` (len bytes of UTF-8, not
 * NUL-terminated necessarily) asks for, best first (highest confidence,
 * then the narrower skill, then the one named first in the text, then
 * skill index), each with the
 * words that named it: labels, aliases and keywords of the skills matched
 * through Snowball stems (Norwegian and English), compounds, text typed
 * without æ/ø/å and phrases, the narrower skill preferred when the same
 * words name a broader one too (docs/suggest.md has the rules).  A text
 * that names no skill gives an empty list, not an error.  LM_EINVAL for
 * a NULL argument, a text over LM_SUGGEST_MAX_TEXT bytes, text that is
 * not valid UTF-8 or holds a NUL byte, or bad options; the message in
 * lm_catalog_errmsg.  The first call on a catalogue builds its index of
 * skill names (kept until the catalogue changes).  Free the list with
 * lm_suggestion_list_free, before the catalogue: skill ids and labels
 * point into it. */
LM_EXTERN int lm_suggest(lm_catalog *cat, const char *text, size_t len,
                         const lm_suggest_options *opts,
                         lm_suggestion_list **out);
LM_EXTERN size_t lm_suggestion_list_count(const lm_suggestion_list *l);
/* The i-th suggestion; NULL when out of range.  Owned by the list. */
LM_EXTERN const lm_suggestion *lm_suggestion_list_get(
	const lm_suggestion_list *l, size_t i);
/* The j-th evidence of the i-th suggestion, in the order of the text;
 * NULL when out of range.  Owned by the list. */
LM_EXTERN const lm_evidence *lm_suggestion_list_evidence(
	const lm_suggestion_list *l, size_t i, size_t j);
/* Free a list; NULL is a no-op. */
LM_EXTERN void lm_suggestion_list_free(lm_suggestion_list *l);

/* ------------------------------------------------------------------ */
/* A database file that was created for nothing                        */

/* Remove the file of database `db`, with its FILE-wal and FILE-shm, when
 * it holds nothing but an empty schema: no load ever changed a row and no
 * engagement was committed (or it has no schema at all).  For a program
 * that created the file (LM_DB_CREATE) for a load that then failed.  The
 * check and the removal happen under the write lock, so no writer can
 * have written meanwhile; a writer whose handle is still open on the
 * removed file fails with LM_EDB when it next writes, instead of writing
 * where nobody will find it.  On LM_OK the file is gone and the handle is
 * closed (lm_db_close still frees it); LM_ECONFLICT when the database
 * holds data, and nothing is removed. */
LM_EXTERN int lm_db_remove_empty(lm_db *db);

#ifdef __cplusplus
}
#endif

#endif /* LIBMATCH_H */
