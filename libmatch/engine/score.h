/* SPDX-License-Identifier: MIT */
/*
 * score.h -- the engine's scoring interface, shared by ranking (rank.c),
 * explanations (explain.c) and the quarter's planner: feasibility of one
 * expert for one need, with every broken hard rule in words, and the score
 * with its components.  docs/scoring.md states the formula.
 *
 * Two objects:
 *  - lmi_scorer: per catalogue and lm_match_options, reusable across many
 *    needs.  It holds what is worth computing once (the skill tree as DFS
 *    intervals, credit tables, a per-place distance cache, engagements
 *    left per expert).  It reads only the resolved layer (cat->r), the
 *    effective settings (cat->eff) and a few strings of the records.
 *  - lmi_need_view: one need independent of where it came from (a stored
 *    need, or an ad-hoc lm_query resolved to indices).
 *
 * Both are used by one thread at a time (the scorer's caches are written
 * while scoring).  The catalogue must not change while they live.
 *
 * Bit-identity: lmi_score_fast, lmi_score_fill and lmi_score_full compute the
 * score through the same code in the same order, so a feasible pair has
 * the same score (to the last bit) in a ranking, a plan and an explanation.
 */
#ifndef LMI_SCORE_H
#define LMI_SCORE_H

#include "model/catalog.h"
#include "engine/geo.h"

/* Which of the distance limits binds (the first strictly smallest in this
 * order, so an expert whose own limit equals the global one is reported
 * as the global limit). */
typedef enum lmi_limit_src {
	LM_LIMIT_GLOBAL = 0, /* settings.max_travel_km */
	LM_LIMIT_EXPERT,     /* the expert's max_travel_km */
	LM_LIMIT_NEED,       /* the need's max_km */
	LM_LIMIT_OPTION      /* lm_match_options.max_km (CLI --max-km) */
} lmi_limit_src;

/* One skill of a need view. */
typedef struct lmi_need_skill {
	uint32_t skill;      /* skill index */
	int min_level;       /* 1..5 */
	double weight;       /* > 0 */
	bool optional;       /* not a hard rule; still in the denominator */
	uint32_t tin, tout;  /* DFS interval of the skill (from the scorer) */
	uint32_t depth;
} lmi_need_skill;

/* A need as the engine sees it.  Filled by lmi_need_view_stored or
 * lmi_need_view_query; release with lmi_need_view_free. */
typedef struct lmi_need_view {
	uint32_t need;         /* need index; LM_NONE for an ad-hoc query */
	uint32_t company;      /* company index; LM_NONE when none given */
	lm_mode mode;
	const char *language;  /* NULL: any.  Borrowed (catalogue or query) */
	double max_km;         /* 0: none */
	uint32_t place;        /* place index of the location, or LM_NONE */
	double lat, lon;       /* the location */
	const char *where;     /* the location in words (borrowed), for reasons */
	int experts;           /* how many experts it needs (1 for a query) */
	lmi_need_skill *skills; /* owned (malloc) */
	uint32_t n_skills;
	double weight_total;   /* sum of the skills' weights */
	double ws, wd;         /* raw weights for this need's mode, ws+wd > 0 */
	uint32_t gen;          /* the scorer's distance-cache generation */
	bool place_in_table;   /* the location is a place in the distance table */
} lmi_need_view;

typedef struct lmi_scorer lmi_scorer;

/* A scorer for `cat` with `opts` (NULL: defaults).  LM_EINVAL for a wrong
 * options version or a negative max_km; LM_ENOMEM.  The message is in
 * cat->err.  Free with lmi_scorer_free (NULL is a no-op). */
int lmi_scorer_new(lm_catalog *cat, const lm_match_options *opts,
                  lmi_scorer **out);
void lmi_scorer_free(lmi_scorer *sc);
/* The period capacity is counted for ("2026-Q4"); owned by the scorer. */
const char *lmi_scorer_period(const lmi_scorer *sc);
/* That period as a number (model/period.h). */
uint32_t lmi_scorer_quarter(const lmi_scorer *sc);
/* Engagements expert `e` has left in the scorer's period (never below 0):
 * its capacity in that quarter (its availability's, else `capacity`)
 * minus lm_catalog_expert_committed, memoised; 0 for a retired expert. */
int lmi_scorer_capacity_left(lmi_scorer *sc, uint32_t e);

/* A view of stored need `need` (an index).  LM_EINVAL when the weights of
 * its mode add up to 0; LM_ENOMEM.  Message in cat->err. */
int lmi_need_view_stored(lmi_scorer *sc, uint32_t need, lmi_need_view *out);
/* A view of an ad-hoc query: skill keys resolve through
 * lmi_catalog_lookup (ids, labels, aliases, case-insensitively), `at`
 * through the places; `company` (optional) through the companies.
 * LM_ENOTFOUND with a "did you mean" for an unknown key; LM_EINVAL for a
 * wrong version, no skills, a level outside 1..5, a negative or non-finite
 * weight (0 means the default 1), coordinates out of range, a negative
 * max_km or weights that add up to 0.  The view borrows the query's
 * strings: keep the query alive as long as the view. */
int lmi_need_view_query(lmi_scorer *sc, const lm_query *q, lmi_need_view *out);
/* Release what a view owns; safe on a zeroed or already freed view. */
void lmi_need_view_free(lmi_need_view *nv);
/* The scorer and need view most questions start with: lmi_scorer_new,
 * then into *nv (zeroed first) the view of `query`, or of stored need
 * `need` when query is NULL.  Whatever it returns, release both with
 * lmi_scorer_view_free (which takes a NULL scorer and a zeroed view). */
int lmi_scorer_view_new(lm_catalog *cat, const lm_match_options *opts,
                       uint32_t need, const lm_query *query,
                       lmi_scorer **sc, lmi_need_view *nv);
void lmi_scorer_view_free(lmi_scorer *sc, lmi_need_view *nv);

/* Is expert `e` feasible for the need, and with what score?  Allocates
 * nothing; cheap rejections come first.  On true, *score is the score and,
 * if km is not NULL, *km the distance (computed for remote needs too). */
bool lmi_score_fast(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                   double *score, double *km);

/* The per-expert part of a team member (engine/team.c): false when e
 * breaks a per-expert hard rule (retired, distance for onsite and hybrid
 * needs, remote for remote and hybrid ones, a conflict).  Otherwise the distance
 * in *km, the distance fit in *dfit (1 for remote needs) and, per need
 * skill i, credit[i] (exactly the credit the one-expert score uses) and
 * covers[i] (1 when e has a related skill at the minimum level).  Skills
 * and language are not checked: those rules are joint for a team. */
bool lmi_score_member(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                     double *km, double *dfit, double *credit,
                     uint8_t *covers);
/* The score from skill fit S and distance fit D, the one expression every
 * entry point uses (so a team of one scores bit for bit like the expert);
 * c (may be NULL) gets the components. */
double lmi_score_finish(const lmi_need_view *nv, double S, double D,
                       lm_components *c);

/* Fill a whole lm_match for expert `e` (strings point into the
 * catalogue): score (0 when infeasible), distance, travel, capacity left,
 * components.  Returns whether the pair is feasible.  Allocates nothing. */
bool lmi_score_fill(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                   lm_match *out);

/* Everything about one pair, for explanations. */
typedef struct lmi_eval {
	bool feasible;
	lm_match match;            /* score 0 when infeasible */
	double limit_km;           /* applies to onsite and hybrid needs */
	lmi_limit_src limit_src;
	bool km_from_table;        /* distance came from the distances table */
	char **reasons;            /* every broken rule; malloc'd strings */
	size_t n_reasons;
	lm_skill_credit *credits;  /* one per need skill (strings borrowed) */
	size_t n_credits;
	bool *joint;               /* per reason: a skill or language rule,
	                              which a team meets jointly */
} lmi_eval;

/* Evaluate one pair fully.  LM_OK or LM_ENOMEM (message in cat->err).
 * On success free with lmi_eval_free; on failure nothing is left to free. */
int lmi_score_full(lmi_scorer *sc, const lmi_need_view *nv, uint32_t e,
                  lmi_eval *out);
void lmi_eval_free(lmi_eval *ev);

/* ---- candidate generation (candidates.c) ----------------------------------
 *
 * The experts that may be feasible for a view, in increasing index order:
 * a superset of the experts for which lmi_score_fast returns true, so that
 * scoring only the candidates gives the same result, bit for bit, as
 * scoring every expert.  Candidates come from an inverted index built once
 * per catalogue (on first use; it lives in cat->r): for every skill, the
 * experts who have it, sorted by home latitude.  A need's required skill
 * with the fewest holders drives: its related skills (itself, narrower and
 * broader ones) at the minimum level or above, within the latitude band
 * the distance limit allows (none for remote needs, or when the distances
 * table could answer for the need's place).
 *
 * On LM_OK, *out points to *n indices owned by the scorer (valid until the
 * next call with the same scorer), or is NULL when no required skill can
 * drive: then every expert is a candidate.  LM_ENOMEM (message in
 * cat->err). */
int lmi_candidates(lmi_scorer *sc, const lmi_need_view *nv, const uint32_t **out,
                  size_t *n);

/* The same for a team need (engine/team.c): a superset of the experts who
 * obey the per-expert rules and cover one of the need's skills, required
 * or optional, at its minimum, in increasing index order.  NULL (every
 * expert) when the need has a language, since a member may be needed for
 * the language alone.  Same ownership and errors as lmi_candidates. */
int lmi_candidates_team(lmi_scorer *sc, const lmi_need_view *nv,
                       const uint32_t **out, size_t *n);

/* The index itself: for every skill s the postings [off[s], off[s+1]),
 * sorted by home latitude, then expert index.  An engine image (image.h)
 * stores these arrays and loads them again skill by skill. */
#define LM_CAND_LEVEL 0x7f  /* bits of an entry's level byte: the level */
#define LM_CAND_REMOTE 0x80 /* the expert works remotely */
struct lmi_cand_index {
	uint32_t n_skills;
	uint32_t *off;     /* n_skills + 1 */
	uint32_t *expert;  /* postings: expert index */
	uint8_t *level;    /* the level (LM_CAND_LEVEL), | LM_CAND_REMOTE */
	double *lat;       /* the expert's home latitude */
};

/* Mark in want[0..n_skills) every skill whose entries lmi_candidates may
 * read for the view: the skills related to its required skills (none
 * when it has none, and then every expert is a candidate). */
void lmi_candidates_skills(lmi_scorer *sc, const lmi_need_view *nv, bool *want);

/* The catalogue's candidate index (in the slot cat->r.cand), or NULL. */
static inline struct lmi_cand_index *lmi_cand_of(const lm_catalog *cat)
{
	return (struct lmi_cand_index *)cat->r.cand.obj;
}
/* Put `ix` into the catalogue's slot (NULL empties it), freeing the index
 * it held; the catalogue frees `ix` with its resolved layer. */
void lmi_cand_index_set(lm_catalog *cat, struct lmi_cand_index *ix);
/* Free an index that is in no slot; NULL is a no-op. */
void lmi_cand_index_free(struct lmi_cand_index *ix);

/* Build the catalogue's index if it is not there yet.  LM_OK or LM_ENOMEM (message
 * in cat->err). */
int lmi_cand_index_ensure(lm_catalog *cat);

/* What candidates.c needs of the scorer. */
lm_catalog *lmi_scorer_catalog(const lmi_scorer *sc);
void lmi_scorer_tree(const lmi_scorer *sc, const uint32_t **tin,
                    const uint32_t **tout);
/* The loosest distance limit any expert can have for the view (-1: none
 * applies, a remote need); the road factor in *road_factor. */
double lmi_scorer_reach_km(const lmi_scorer *sc, const lmi_need_view *nv,
                          double *road_factor);
/* Scratch memory of the scorer for candidates.c: a bitmap of n_experts
 * bits and an index array of n_experts entries, allocated on first use. */
int lmi_scorer_scratch(lmi_scorer *sc, uint64_t **bits, uint32_t **list);

/* Does expert `e` speak `language` (ASCII case-insensitively)? */
bool lmi_expert_speaks(const lm_catalog *cat, uint32_t e, const char *language);

#endif /* LMI_SCORE_H */
