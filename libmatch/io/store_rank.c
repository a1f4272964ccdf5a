/* SPDX-License-Identifier: MIT */
/*
 * store_rank.c -- ranking and explaining straight from the database
 * (lm_db_rank_need, lm_db_rank_query, lm_db_explain): through the engine
 * image (io/image.h) when it can serve the question, reading every row
 * when it cannot.
 *
 * Through the image, everything but the experts and the engagements is
 * read as rows (a few thousand), and of the experts only those the need's
 * candidates can be, with their engagements in the period; the experts
 * the answer names are then looked up as rows (image_rows_check), so
 * that the image never answers for rows that are gone.  The answer is
 * the same either way (tests/test_image.c compares them); the rows also
 * give the usual messages when something is wrong.
 */
#include "engine/options.h"
#include "engine/rank.h"
#include "io/store.h"
#include "model/period.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Not an error: the engine image cannot serve this ranking, so the rows
 * are read instead.  (LM_ codes are 0 or negative.) */
#define IMAGE_UNUSABLE 1

/* The stored image, read piece by piece through one blob handle moved
 * from part to part (lmi_image_reader). */
typedef struct image_blob {
	lm_db *db;
	sqlite3_blob *blob;
	sqlite3_int64 part;   /* the row the handle is on; -1: none */
} image_blob;

/* Put the handle on part `part`: LM_OK, or LM_ERROR when there is no such
 * row (no image, or a damaged one).  After a failed move the handle is
 * aborted; the caller closes it. */
static int image_blob_at(image_blob *ib, sqlite3_int64 part)
{
	if (ib->part == part)
		return LM_OK;
	int src = ib->blob ? sqlite3_blob_reopen(ib->blob, part)
	                   : sqlite3_blob_open(ib->db->db, "main",
	                                       "engine_image", "data", part, 0,
	                                       &ib->blob);
	ib->part = src == SQLITE_OK ? part : -1;
	return src == SQLITE_OK ? LM_OK : LM_ERROR;
}

static int64_t image_blob_size(void *ctx, size_t part)
{
	image_blob *ib = ctx;
	if (part > INT64_MAX || image_blob_at(ib, (sqlite3_int64)part) != LM_OK)
		return -1;
	return sqlite3_blob_bytes(ib->blob);
}

static int image_blob_read(void *ctx, size_t part, void *dst, size_t n,
                           uint64_t offset)
{
	image_blob *ib = ctx;
	if (part > INT64_MAX || n > INT_MAX || offset > (uint64_t)INT_MAX - n ||
	    image_blob_at(ib, (sqlite3_int64)part) != LM_OK ||
	    (uint64_t)sqlite3_blob_bytes(ib->blob) < offset + n)
		return LM_ERROR;
	return sqlite3_blob_read(ib->blob, dst, (int)n, (int)offset) ==
	               SQLITE_OK ? LM_OK : LM_ERROR;
}

/* The period's engagements of the experts loaded, for the capacity they
 * have left (the only use a ranking has for engagements). */
static int image_engagements(lm_db *db, lm_catalog *cat, const char *period)
{
	const char *what = "reading engagements";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = lmi_db_prepare(db, "SELECT need, expert FROM engagements "
	                        "WHERE period = ?1 ORDER BY need, expert", &st);
	if (!rc && sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC))
		rc = lmi_db_fail(db, SQLITE_NOMEM, what);
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		const char *need = (const char *)sqlite3_column_text(st, 0);
		const char *expert = (const char *)sqlite3_column_text(st, 1);
		if (!need || !expert)
			continue; /* NOT NULL columns: never */
		rc = lmi_image_add_engagement(cat, period, need, expert);
		if (rc == LM_ENOMEM)
			rc = lmi_db_nomem(db);
	}
	sqlite3_finalize(st);
	return rc;
}

/* What a ranking or an explanation through the image starts from: the
 * options with the period fixed (so that the engagements read and the
 * scorer's count agree), the image's blob handle on part 0, and the small
 * kinds and the one need (with its company) as rows.  IMAGE_UNUSABLE when
 * there is no image or the need is not there by this exact id.  `opts`
 * is of the current version (db_query normalised it). */
typedef struct image_q {
	lm_match_options o;
	char period[32];
	image_blob ib;
	lm_catalog *cat;
} image_q;

static int image_q_open(lm_db *db, const char *need_id,
                        const lm_query *query, const lm_match_options *opts,
                        image_q *q)
{
	memset(q, 0, sizeof(*q));
	q->o = *opts;
	q->ib = (image_blob){db, NULL, -1};
	/* A period that is not a quarter: the rows' path says so (the
	 * scorer refuses it with LM_EINVAL). */
	if (!lmi_period_canon(q->o.period, q->period, NULL))
		return IMAGE_UNUSABLE;
	q->o.period = q->period;
	/* No image (no load since the schema was created or upgraded, or a
	 * trigger dropped it) is the usual reason to read the rows. */
	if (image_blob_at(&q->ib, 0) != LM_OK)
		return IMAGE_UNUSABLE;
	/* An ad-hoc query has no need; its company, when it names one, may
	 * be named by its name: then every company. */
	unsigned kinds = LM_KIND_BIT(LM_PLACE) | LM_KIND_BIT(LM_GARDEN) |
	                 LM_KIND_BIT(LM_SKILL) | LM_KIND_BIT(LM_DISTANCE);
	if (!query)
		kinds |= LM_KIND_BIT(LM_COMPANY) | LM_KIND_BIT(LM_NEED);
	else if (query->company)
		kinds |= LM_KIND_BIT(LM_COMPANY);
	int rc = lmi_db_read_catalog_kinds(db, kinds, need_id, &q->cat);
	if (rc && rc != LM_ENOMEM)
		rc = IMAGE_UNUSABLE;
	if (!rc && q->cat->needs.n != (query ? 0u : 1u))
		rc = IMAGE_UNUSABLE;
	return rc;
}

/*
 * The image may answer only for the rows it was made of.  It must stand
 * for the current data version (lmi_db_image_keep); the triggers that
 * drop it when those rows change must all be there (DROP TABLE drops a
 * table's triggers with it, and a hand edit may drop them); and the
 * experts' rows must be there to read: as many as the image holds, and
 * the `n` experts of the answer (ids[i]) with every column a full read
 * reads.  IMAGE_UNUSABLE when anything is amiss, whatever SQLite says:
 * the rows then answer, or fail as `list` does.  (Damage to the pages of
 * experts the answer does not name is found by a full read only.)
 */
static int image_rows_check(lm_db *db, const lm_catalog *cat,
                            const char *const *ids, size_t n)
{
	long long same = 0, rows = -1;
	bool triggers = false;
	int rc = lmi_db_query_int(db, "SELECT (SELECT value FROM meta WHERE "
	                          "key = 'image_data_version') IS (SELECT "
	                          "value FROM meta WHERE key = "
	                          "'data_version')", "reading", &same);
	if (!rc && same)
		rc = lmi_db_image_triggers_present(db, &triggers);
	if (!rc && same && triggers)
		rc = lmi_db_query_int(db, "SELECT count(*) FROM experts",
		                      "reading", &rows);
	if (rc == LM_ENOMEM)
		return rc;
	if (rc || !same || !triggers ||
	    rows != (long long)lmi_image_expert_total(cat)) {
		lmi_err_clear(&db->err);
		return IMAGE_UNUSABLE;
	}
	lmi_buf sql = {0};
	sqlite3_stmt *st = NULL;
	lmi_row_select_sql(&sql, &lmi_kinds[LM_EXPERT], INT32_MAX,
	                   "WHERE id = ?1");
	rc = sql.oom ? lmi_db_nomem(db) : lmi_db_prepare(db, sql.v, &st);
	for (size_t i = 0; !rc && i < n; i++) {
		bool row = false;
		if (sqlite3_bind_text(st, 1, ids[i], -1, SQLITE_STATIC) !=
		        SQLITE_OK ||
		    lmi_db_step(db, st, "reading", &row) || !row)
			rc = IMAGE_UNUSABLE;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	lmi_buf_free(&sql);
	if (rc == LM_ENOMEM)
		return rc;
	if (rc)
		lmi_err_clear(&db->err);
	return rc ? IMAGE_UNUSABLE : LM_OK;
}

/* image_rows_check for the experts of a ranking. */
static int image_ranking_check(lm_db *db, const lm_catalog *cat,
                               const lm_ranking *rk)
{
	size_t n = lm_ranking_count(rk);
	const char **ids = malloc((n ? n : 1) * sizeof(*ids));
	if (!ids)
		return lmi_db_nomem(db);
	for (size_t i = 0; i < n; i++)
		ids[i] = lm_ranking_get(rk, i)->expert_id;
	int rc = image_rows_check(db, cat, ids, n);
	free(ids);
	return rc;
}

static void image_q_close(image_q *q)
{
	sqlite3_blob_close(q->ib.blob);
	q->ib.blob = NULL;
	lm_catalog_free(q->cat);
	q->cat = NULL;
}

/* An error of the image functions: out of memory is one, anything else
 * means the rows should answer. */
static int image_rc(lm_db *db, int rc)
{
	if (rc == LM_ENOMEM)
		return lmi_db_nomem(db);
	return rc ? IMAGE_UNUSABLE : LM_OK;
}

/* Rank through the engine image: everything but the experts and the
 * engagements as rows (a few thousand), from the image only the experts
 * the need's candidates can be, and their engagements in the period.
 * IMAGE_UNUSABLE when the image is missing, stale or damaged, the need id
 * is not an exact id, or anything looks odd: the caller then ranks from
 * the rows, which also gives the usual messages. */
static int rank_from_image(lm_db *db, const char *need_id,
                           const lm_query *query,
                           const lm_match_options *opts, lm_ranking **out)
{
	image_q q;
	uint32_t *list = NULL;
	size_t n = 0;
	int rc = image_q_open(db, need_id, query, opts, &q);
	if (!rc) {
		lmi_image_reader rd = {image_blob_size, image_blob_read, &q.ib};
		rc = image_rc(db, lmi_image_load_for(q.cat, query, &q.o, &rd, &list,
		                                    &n));
	}
	if (!rc)
		rc = image_engagements(db, q.cat, q.o.period);
	if (!rc) {
		rc = query ? lm_rank_query(q.cat, query, &q.o, out)
		           : lm_rank_need(q.cat, need_id, &q.o, out);
		if (rc)
			lmi_err_set(&db->err, rc, "%s", lm_catalog_errmsg(q.cat));
	}
	if (!rc && (rc = image_ranking_check(db, q.cat, *out))) {
		lm_ranking_free(*out);
		*out = NULL;
	}
	if (!rc) {
		/* The indices a full read gives. */
		lmi_ranking_remap(*out, list, n);
		lmi_ranking_adopt(*out, q.cat);
		q.cat = NULL;
	}
	free(list);
	image_q_close(&q);
	return rc;
}

/* Explain one pair (a stored need's, or an ad-hoc query's when `query`
 * is not NULL) through the engine image: as rank_from_image, with the
 * one expert found by its id in the image. */
static int explain_from_image(lm_db *db, const char *need_id,
                              const lm_query *query, const char *expert_id,
                              const lm_match_options *opts,
                              lm_explanation **out)
{
	image_q q;
	uint32_t index = LM_NONE;
	int rc = image_q_open(db, need_id, query, opts, &q);
	if (!rc) {
		lmi_image_reader rd = {image_blob_size, image_blob_read, &q.ib};
		rc = image_rc(db, lmi_image_load_expert(q.cat, &rd, expert_id,
		                                       &index));
	}
	if (!rc)
		rc = image_engagements(db, q.cat, q.o.period);
	if (!rc) {
		rc = query ? lm_explain_query(q.cat, query, expert_id, &q.o, out)
		           : lm_explain(q.cat, need_id, expert_id, &q.o, out);
		if (rc)
			lmi_err_set(&db->err, rc, "%s", lm_catalog_errmsg(q.cat));
	}
	if (!rc && (rc = image_rows_check(db, q.cat, &expert_id, 1))) {
		lm_explanation_free(*out);
		*out = NULL;
	}
	if (!rc) {
		lmi_explanation_adopt(*out, q.cat, index);
		q.cat = NULL;
	}
	image_q_close(&q);
	return rc;
}

/* Rank after reading every row. */
static int rank_from_rows(lm_db *db, const char *need_id,
                          const lm_query *query,
                          const lm_match_options *opts, lm_ranking **out)
{
	lm_catalog *cat = NULL;
	int rc = lmi_db_read_catalog(db, &cat);
	if (!rc) {
		rc = query ? lm_rank_query(cat, query, opts, out)
		           : lm_rank_need(cat, need_id, opts, out);
		if (rc)
			lmi_err_set(&db->err, rc, "%s", lm_catalog_errmsg(cat));
	}
	if (!rc) {
		lmi_ranking_adopt(*out, cat);
		cat = NULL;
	}
	lm_catalog_free(cat);
	return rc;
}

/* Explain after reading every row. */
static int explain_from_rows(lm_db *db, const char *need_id,
                             const lm_query *query, const char *expert_id,
                             const lm_match_options *opts,
                             lm_explanation **out)
{
	lm_catalog *cat = NULL;
	int rc = lmi_db_read_catalog(db, &cat);
	if (!rc) {
		rc = query ? lm_explain_query(cat, query, expert_id, opts, out)
		           : lm_explain(cat, need_id, expert_id, opts, out);
		if (rc)
			lmi_err_set(&db->err, rc, "%s", lm_catalog_errmsg(cat));
	}
	if (!rc) {
		lmi_explanation_adopt(*out, cat,
		                     lm_explanation_match(*out)->expert);
		cat = NULL;
	}
	lm_catalog_free(cat);
	return rc;
}

/* The arguments and the snapshot common to lmi_db_rank_need_how and
 * lmi_db_explain_how: `image` and `rows` are the two ways to the answer. */
typedef struct q_args {
	const char *need_id, *expert_id;
	const lm_query *query;     /* ranking an ad-hoc query */
	const lm_match_options *opts;
	lm_ranking **rk;
	lm_explanation **ex;
} q_args;

static int db_query(lm_db *db, lmi_rank_how how, const q_args *caller)
{
	int rc = lmi_db_enter(db);
	if (rc)
		return rc;
	if ((!caller->query && !caller->need_id) ||
	    (caller->ex && !caller->expert_id))
		return lmi_err_set(&db->err, LM_EINVAL, caller->ex
		                  ? "a need id and an expert id are required"
		                  : "no need id given");
	/* The caller's structs as the current version, before reading. */
	q_args n = *caller;
	const q_args *a = &n;
	lm_match_options opts;
	lm_query query;
	rc = lmi_match_options_norm(&db->err, caller->opts, &opts);
	if (!rc && caller->query)
		rc = lmi_query_norm(&db->err, caller->query, &query);
	if (rc)
		return rc;
	n.opts = &opts;
	if (caller->query)
		n.query = &query;
	/* One snapshot, as lm_db_read. */
	rc = lmi_db_exec(db, "BEGIN", "reading");
	if (!rc) {
		rc = how == LM_RANK_ROWS ? IMAGE_UNUSABLE
		   : a->rk ? rank_from_image(db, a->need_id, a->query, a->opts,
		                             a->rk)
		           : explain_from_image(db, a->need_id, a->query,
		                                a->expert_id, a->opts, a->ex);
		if (rc == IMAGE_UNUSABLE && how == LM_RANK_IMAGE) {
			rc = lmi_err_set(&db->err, LM_ERROR, "%s: no engine image "
			                "for this question", lmi_db_name(db));
		} else if (rc == IMAGE_UNUSABLE) {
			lmi_err_clear(&db->err);
			rc = a->rk ? rank_from_rows(db, a->need_id, a->query,
			                            a->opts, a->rk)
			           : explain_from_rows(db, a->need_id, a->query,
			                               a->expert_id, a->opts, a->ex);
		}
	}
	return lmi_tx_end(db, rc);
}

/* db_query for `a` into its one output (a->rk or a->ex, the other NULL),
 * which stays NULL unless it succeeds; `missing`, when not NULL, is why
 * the arguments are refused (after the output is checked). */
static int db_answer(lm_db *db, lmi_rank_how how, const q_args *a,
                     const char *missing)
{
	if (!a->rk && !a->ex)
		return db ? lmi_err_set(&db->err, LM_EINVAL, "no output given")
		          : LM_EINVAL;
	if (a->rk)
		*a->rk = NULL;
	else
		*a->ex = NULL;
	if (missing)
		return db ? lmi_err_set(&db->err, LM_EINVAL, "%s", missing)
		          : LM_EINVAL;
	int rc = db_query(db, how, a);
	if (rc && a->rk) {
		lm_ranking_free(*a->rk);
		*a->rk = NULL;
	} else if (rc) {
		lm_explanation_free(*a->ex);
		*a->ex = NULL;
	}
	return rc;
}

int lm_db_rank_need(lm_db *db, const char *need_id,
                    const lm_match_options *opts, lm_ranking **out)
{
	return lmi_db_rank_need_how(db, need_id, opts, LM_RANK_AUTO, out);
}

int lmi_db_rank_need_how(lm_db *db, const char *need_id,
                        const lm_match_options *opts, lmi_rank_how how,
                        lm_ranking **out)
{
	q_args a = {need_id, NULL, NULL, opts, out, NULL};
	return db_answer(db, how, &a, NULL);
}

int lm_db_rank_query(lm_db *db, const lm_query *query,
                     const lm_match_options *opts, lm_ranking **out)
{
	return lmi_db_rank_query_how(db, query, opts, LM_RANK_AUTO, out);
}

int lmi_db_rank_query_how(lm_db *db, const lm_query *query,
                         const lm_match_options *opts, lmi_rank_how how,
                         lm_ranking **out)
{
	q_args a = {NULL, NULL, query, opts, out, NULL};
	return db_answer(db, how, &a, query ? NULL : "no query given");
}

int lm_db_explain(lm_db *db, const char *need_id, const char *expert_id,
                  const lm_match_options *opts, lm_explanation **out)
{
	return lmi_db_explain_how(db, need_id, expert_id, opts, LM_RANK_AUTO,
	                         out);
}

int lmi_db_explain_how(lm_db *db, const char *need_id, const char *expert_id,
                      const lm_match_options *opts, lmi_rank_how how,
                      lm_explanation **out)
{
	q_args a = {need_id, expert_id, NULL, opts, NULL, out};
	return db_answer(db, how, &a, NULL);
}

int lm_db_explain_query(lm_db *db, const lm_query *query,
                        const char *expert_id, const lm_match_options *opts,
                        lm_explanation **out)
{
	q_args a = {NULL, expert_id, query, opts, NULL, out};
	return db_answer(db, LM_RANK_AUTO, &a, query ? NULL : "no query given");
}
