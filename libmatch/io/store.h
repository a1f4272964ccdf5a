/* SPDX-License-Identifier: MIT */
/*
 * store.h -- the SQLite store's private header: the database handle
 * (struct lm_db), the small SQL helpers every part of the store uses, and
 * what the parts offer each other and the tests beyond the public lm_db_*
 * functions.
 *
 * The store is one job per file:
 *   store_sql.c        errors and statements (lmi_db_exec, lmi_db_run ...)
 *   store_open.c       open, create, upgrade and recognise; close; errors
 *   store_read.c       read a database into a catalogue
 *   store_row.c        a record as a row: its columns (from the field
 *                      tables of model/fields.h), their SQL and values
 *   store_json.c       the JSON lists of an expert's row (schema 3)
 *   store_rank.c       rank and explain through the engine image
 *   store_load.c       load YAML into the database (lm_db_load)
 *   store_vtab.c       lm_load_experts, the virtual table a load's experts
 *                      are written from
 *   store_imagejob.c   write the engine image, on a thread during a load
 *   store_commit.c     record and release engagements
 *   store_version.c    the data version: what changed the profiles, and
 *                      whether they changed since a catalogue was read
 * and store_schema.h holds the SQL schema, one version per constant.
 *
 * Concurrency: every handle waits up to LM_DB_BUSY_MS for a lock (busy
 * timeout); writers take the write lock first (BEGIN IMMEDIATE) and readers
 * see one snapshot (WAL), so two loads or commits run one after the other
 * instead of failing or interleaving.  Only prepared statements with bound
 * parameters touch data; every statement is finalized on every path, so
 * sqlite3_close() always succeeds.
 */
#ifndef LMI_STORE_H
#define LMI_STORE_H

#include "io/image.h"
#include "model/catalog.h"
#include "model/fields.h"

#include <pthread.h>
#include <sqlite3.h>

#define LM_DB_BUSY_MS 30000   /* wait for another writer this long */

struct lmi_load_rows;

struct lm_db {
	sqlite3 *db;      /* NULL when the open failed before a connection */
	char *path;       /* malloc'd copy of the name given to lm_db_open */
	unsigned flags;
	bool fk_off;      /* foreign keys still off after a load's cleanup
	                     failed; switched on before the next write */
	struct lmi_load_rows *loading; /* a load's experts, for
	                                  lm_load_experts */
	bool module;      /* lm_load_experts is registered */
	lmi_err err;       /* last failure: message and diagnostics */
};

/* ---- errors and small SQLite helpers (store_sql.c) ----------------------- */

static inline const char *lmi_db_name(const lm_db *db)
{
	return db->path ? db->path : "(database)";
}

static inline int lmi_db_nomem(lm_db *db)
{
	return lmi_err_set(&db->err, LM_ENOMEM, "out of memory");
}

/* How a public lm_db_* call on the open database starts: LM_EINVAL for
 * no handle, else the last error cleared, then LM_EDB (with a message)
 * when the handle holds no connection; LM_OK to go on. */
static inline int lmi_db_enter(lm_db *db)
{
	if (!db)
		return LM_EINVAL;
	lmi_err_clear(&db->err);
	if (!db->db)
		return lmi_err_set(&db->err, LM_EDB, "%s: the database is not open",
		                  lmi_db_name(db));
	return LM_OK;
}

/* Turn an SQLite result code into a status, with a message that names the
 * database, what was being done and SQLite's own text.  Call it right after
 * the failing call: sqlite3_errmsg() describes the most recent one. */
int lmi_db_fail(lm_db *db, int src, const char *what);
/* Constant SQL only (transactions, pragmas, the schema). */
int lmi_db_exec(lm_db *db, const char *sql, const char *what);
int lmi_db_prepare(lm_db *db, const char *sql, sqlite3_stmt **st);
/* One step of a query: *row tells whether a row came back.  On an error
 * the statement is reset so that it can be finalized or reused. */
int lmi_db_step(lm_db *db, sqlite3_stmt *st, const char *what, bool *row);
/* Run a bound statement that returns no rows, then make it reusable. */
int lmi_db_run(lm_db *db, sqlite3_stmt *st, int brc, const char *what);
/* The single integer a query returns (0 when it returns no row). */
int lmi_db_query_int(lm_db *db, const char *sql, const char *what,
                     long long *out);
/* Takes the write lock now, so that the reads that decide what to write
 * see what the writes will change (waits for the busy timeout). */
int lmi_tx_begin_write(lm_db *db);
int lmi_tx_commit(lm_db *db);
/* Roll back whatever transaction is open; safe to call when none is
 * (a failed COMMIT, e.g. a deferred foreign key, leaves it open). */
void lmi_tx_rollback(lm_db *db);
/* The end of a transaction that did `rc`: commit when it is LM_OK, and
 * roll back when it is not or the commit fails.  Returns rc, or the
 * commit's failure. */
int lmi_tx_end(lm_db *db, int rc);

/* Binding accumulates the first failure in *brc so that a statement is
 * bound in a few plain lines and checked once, in lmi_db_run(). */
static inline void lmi_bind_text(sqlite3_stmt *st, int i, const char *s,
                                 int *brc)
{
	if (*brc == SQLITE_OK)
		*brc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
		         : sqlite3_bind_null(st, i);
}

static inline void lmi_bind_int(sqlite3_stmt *st, int i, long long v,
                                int *brc)
{
	if (*brc == SQLITE_OK)
		*brc = sqlite3_bind_int64(st, i, v);
}

static inline void lmi_bind_double(sqlite3_stmt *st, int i, double v,
                                   int *brc)
{
	if (*brc == SQLITE_OK)
		*brc = sqlite3_bind_double(st, i, v);
}

static inline void lmi_bind_null(sqlite3_stmt *st, int i, int *brc)
{
	if (*brc == SQLITE_OK)
		*brc = sqlite3_bind_null(st, i);
}

static inline bool lmi_col_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL;
}

/* ---- the schema (store_open.c) ------------------------------------------- */

/* Create or drop the triggers that drop the engine image when the rows
 * it copies change (store_schema.h). */
int lmi_db_image_triggers(lm_db *db, bool create);
/* *all: every one of those triggers is there (on its table). */
int lmi_db_image_triggers_present(lm_db *db, bool *all);
/* Bring a database of an older schema to the current one, without its
 * engine image (the load that calls this writes it).  The caller holds
 * the write transaction. */
int lmi_db_schema_current(lm_db *db);
/* Foreign keys back on if a load's cleanup could not do it. */
int lmi_db_fk_on(lm_db *db);

/* ---- the data version (store_version.c) ---------------------------------- */

/* A writer changed the profiles (a row of what lm_db_read reads, other
 * than engagements): count meta.data_version up and keep `what` ("the
 * profiles were loaded again") and the time, for the messages of
 * lmi_db_data_check.  Call it in the write transaction of the change, on
 * a database of schema 4 or later. */
int lmi_db_data_changed(lm_db *db, const char *what);
/* Inside a write transaction: LM_OK when the profiles are still those of
 * data version `seen` (or when either side has no version: a catalogue
 * not read from a database, a database older than schema 4); else
 * LM_ECONFLICT with a message that says what changed and when, `what`
 * naming what was made from the old profiles ("the plan"). */
int lmi_db_data_check(lm_db *db, uint64_t seen, const char *what);

/* ---- what a load adds, changes and retires (store_sync.c) ----------------- */

/* The records of a load's files, per kind up to needs, as they were
 * before the load; and the stored experts, companies and needs of a
 * kind the files give that the files do not name (not retired yet). */
typedef struct lmi_sync {
	char **ids[LM_NEED + 1];     /* the files' ids (malloc'd) */
	char **before[LM_NEED + 1];  /* their stored export text, NULL: new;
	                              * NULL array: the kind was empty */
	size_t n[LM_NEED + 1];
	char **gone[LM_NEED + 1];    /* ids (malloc'd) */
	size_t ngone[LM_NEED + 1];
	/* The stored engagements: "period need expert" -> index of score */
	lmi_map eng;
	char **eng_keys;             /* malloc'd, the map's keys */
	double *eng_score;
	size_t neng;
} lmi_sync;

/* Experts, companies and needs can be retired. */
bool lmi_sync_retirable(lm_kind k);
/* Fill *s from the database's catalogue and the load's batch, before
 * they are merged.  LM_OK or LM_ENOMEM; free with lmi_sync_free. */
int lmi_sync_before(lmi_sync *s, const lm_catalog *stored,
                    const lm_catalog *batch);
void lmi_sync_free(lmi_sync *s);
/* The report of a load whose merge gave `merged`: added, changed,
 * unchanged, and the records not named as retired (`sync`) or unlisted;
 * for engagements (those of the batch, r.eng_new) added, changed (the
 * score) or unchanged. */
int lmi_sync_report(const lmi_sync *s, const lm_catalog *merged, bool sync,
                    lm_load_report **out);
/* Mark the records not named as retired on `day` in the merged
 * catalogue (records and resolved layer), for the engine image. */
int lmi_sync_retire(const lmi_sync *s, lm_catalog *merged, const char *day);
/* LM_EINPUT, with a diagnostic each, when a record the sync would
 * retire on `day` has an engagement in a quarter that begins later. */
int lmi_sync_check(const lmi_sync *s, const lm_catalog *merged,
                   const char *day, lmi_err *err);
/* The same in the database, in the load's write transaction. */
int lmi_sync_write(lm_db *db, const lmi_sync *s, const char *day);
/* Today in local time, "YYYY-MM-DD", into buf (store_life.c). */
int lmi_db_today(lm_db *db, char buf[16]);

/* ---- a record as a row (store_row.c) ------------------------------------- */

/* A column of a kind's table: the one of field f, or for a LOC field
 * also (sub 1, 2) the columns of its latitude and longitude. */
typedef struct lmi_col {
	const lmi_field *f;
	int sub;
	const char *name;
} lmi_col;

#define LMI_COLS_MAX (LMI_FIELDS_MAX + 2)

/* Whether field f is a column of its table in schema `version` (lists
 * not in the row are in child tables). */
bool lmi_row_has(const lmi_field *f, int version);
/* Whether list field f is kept in its child table in `version`. */
bool lmi_row_child(const lmi_field *f, int version);
/* The columns of kind kd's table in schema `version` (INT32_MAX: the
 * current one), in the field table's order; returns their number. */
size_t lmi_row_columns(const lmi_kind_desc *kd, int version, lmi_col *cols);
/* Into sql (emptied first): SELECT of kd's columns in `version`, then
 * `where` (which then also orders) or ORDER BY the primary key. */
void lmi_row_select_sql(lmi_buf *sql, const lmi_kind_desc *kd, int version,
                        const char *where);
/* Into sql: the UPSERT of one row of kd (from ?1... in column order), or
 * of every row that `source` ("SELECT ... WHERE true") gives. */
void lmi_row_upsert_sql(lmi_buf *sql, const lmi_kind_desc *kd,
                        const char *source);

/* A value to bind or to give as a virtual table's column. */
typedef struct lmi_sqlval {
	int type;           /* SQLITE_NULL, _INTEGER, _FLOAT or _TEXT */
	sqlite3_int64 i;
	double d;
	const char *s;      /* TEXT, n bytes (-1: up to its NUL) */
	int n;
	bool transient;     /* s is in a scratch buffer: SQLite copies it */
} lmi_sqlval;

/* What a write stores in column `col` for record `rec`, record i of
 * the merged catalogue `cat` (lists kept in the row come from its
 * resolved layer), JSON written into `scratch`.  LM_OK or LM_ENOMEM. */
int lmi_row_value(const lm_catalog *cat, const lmi_col *col, const void *rec,
                  uint32_t i, lmi_buf *scratch, lmi_sqlval *out);
/* Bind v as parameter i (a failure is kept in *brc, as lmi_bind_*). */
void lmi_bind_value(sqlite3_stmt *st, int i, const lmi_sqlval *v, int *brc);
void lmi_result_value(sqlite3_context *ctx, const lmi_sqlval *v);

/* The statements that write a load's records (store_row.c), prepared
 * once: per kind the UPSERT of a row (the experts': of every row that
 * lm_load_experts gives) and, per list kept in a child table, the DELETE
 * of a record's rows and the INSERT of one. */
typedef struct lmi_row_writer {
	lm_db *db;
	const lm_catalog *cat;          /* the merged catalogue */
	sqlite3_stmt *row[LMI_KIND_COUNT];
	sqlite3_stmt *del[LMI_KIND_COUNT][LMI_FIELDS_MAX];
	sqlite3_stmt *ins[LMI_KIND_COUNT][LMI_FIELDS_MAX];
	lmi_buf scratch;
} lmi_row_writer;

int lmi_row_writer_open(lmi_row_writer *w, lm_db *db, const lm_catalog *cat);
void lmi_row_writer_close(lmi_row_writer *w);
/* The row of record `rec` of kind k, record i of the merged catalogue
 * (lists kept in the row come from its resolved layer); a kind's copy
 * with canonical references and no such lists may pass LM_NONE. */
int lmi_row_write(lmi_row_writer *w, lm_kind k, const void *rec, uint32_t i);
/* The lists of record i of kind k kept in child tables, replacing those
 * the record had when it `existed` in the database. */
int lmi_row_write_lists(lmi_row_writer *w, lm_kind k, const void *rec,
                        uint32_t i, bool existed);

/* ---- reading (store_read.c) and the JSON lists (store_json.c) ----------- */

/* Read every table into a new, resolved catalogue; *out is the caller's.
 * The caller decides the transaction (a read snapshot, or the load's
 * write transaction).  Records from the database have no file position
 * (file NULL, line 0). */
int lmi_db_read_catalog(lm_db *db, lm_catalog **out);
/* The kinds of `kinds` and what they refer to; of the needs and companies
 * only the need with id `only_need` and its company when it is not NULL. */
int lmi_db_read_catalog_kinds(lm_db *db, unsigned kinds,
                              const char *only_need, lm_catalog **out);

/* An entry of an expert's list in JSON: a string (n bytes, NUL-terminated,
 * valid until the next entry) and, in an object, its value (a skill's
 * level, a quarter's capacity).  Anything but LM_OK stops the parse. */
typedef int (*lmi_json_entry_fn)(void *ctx, const char *s, size_t n,
                                 int value);
/* Parse `text` (len bytes) as one of an expert's lists in the compact
 * form libmatch writes -- an object of whole numbers lo..hi (`object`:
 * skills, availability) or an array of strings (languages) -- calling
 * entry for each, with the strings unescaped into scratch (store_json.c).
 * False when the text is not in that form (scratch->oom when scratch
 * could not grow) and must be read another way; true when it was parsed,
 * or when entry stopped the parse with *rc. */
bool lmi_json_list_fast(const char *text, size_t len, bool object, int lo,
                        int hi, lmi_buf *scratch, lmi_json_entry_fn entry,
                        void *ctx, int *rc);

/* Expert i of the merged catalogue c: its skills as a JSON object; a
 * list of strings (an expert's languages) as a JSON array; into j
 * (emptied first).  LM_ENOMEM when j could not grow (store_json.c). */
int lmi_json_expert_skills(lmi_buf *j, const lm_catalog *c, uint32_t i);
/* Its capacity per quarter, {"2027-Q1":0}, in quarter order. */
int lmi_json_expert_availability(lmi_buf *j, const lm_catalog *c, uint32_t i);
int lmi_json_strings(lmi_buf *j, const char *const *v, uint32_t n);

/* ---- loading (store_vtab.c, store_imagejob.c) ---------------------------- */

/* The canonical id of a resolved index; NULL for LM_NONE. */
static inline const char *lmi_canonical_id(const lm_catalog *c, lm_kind k,
                                           uint32_t ix)
{
	return ix == LM_NONE ? NULL : lmi_catalog_id(c, k, ix);
}

/* What lm_load_experts (store_vtab.c) gives a load's one INSERT of experts
 * (store_load.c): experts[0..n) of the merged catalogue, a row each, in
 * that order.  The load points db->loading at it for that statement. */
typedef struct lmi_load_rows {
	const lm_catalog *cat;
	const uint32_t *experts;   /* catalogue indices */
	size_t n;
	/* Called after each row: anything but LM_OK stops the statement
	 * and is kept in `halt` (the progress callback may stop a load). */
	int (*next)(void *ctx);
	void *ctx;
	int halt;                  /* why the table stopped the statement */
	size_t rows_read;          /* rows the table gave */
	lmi_buf scratch;           /* the current column's JSON */
} lmi_load_rows;

/* Make lm_load_experts ready on db's connection: registered (once), and
 * not shadowed by a table or view of that name, which SQLite would read
 * instead. */
int lmi_load_vtab_ready(lm_db *db);

/* Replace the engine image with `parts`, which lmi_image_build() returned
 * `built` for: one row per part (image.h).  The parts are freed. */
int lmi_db_image_write(lm_db *db, int built, lmi_image_parts *parts);
/* Replace the engine image with one of `cat`. */
int lmi_db_image_store(lm_db *db, lm_catalog *cat);
/* The engine image stands for the current data version (meta's
 * image_data_version; lmi_db_image_write sets it).  A writer whose
 * change of the profiles (lmi_db_data_changed) leaves alone every row the
 * image copies -- experts, their conflicts, the ids of companies -- calls
 * it after the change so that rankings keep using the image; without it
 * they read the rows until the next load. */
int lmi_db_image_keep(lm_db *db);

/* The engine image of a load's merged catalogue, built on a thread of
 * its own while the load writes the rows (store_imagejob.c). */
typedef struct lmi_image_job {
	lm_catalog *cat;
	lmi_image_parts parts;
	int built;               /* lmi_image_build()'s result */
	atomic_bool stop;        /* the load failed: give up */
	pthread_t thread;
	bool started;
} lmi_image_job;

void lmi_image_job_start(lmi_image_job *j, lm_catalog *cat);
/* Wait for the job (asking it to give up if it is not `wanted`);
 * without a thread, do it now if it is wanted. */
void lmi_image_job_finish(lmi_image_job *j, bool wanted);

/* ---- ranking through the image (store_rank.c), for tests ----------------- */

/* lm_db_rank_need with a choice of path, for tests: AUTO is
 * lm_db_rank_need; IMAGE fails with LM_ERROR where it would read the rows;
 * ROWS always reads them. */
typedef enum lmi_rank_how { LM_RANK_AUTO, LM_RANK_IMAGE, LM_RANK_ROWS } lmi_rank_how;
int lmi_db_rank_need_how(lm_db *db, const char *need_id,
                        const lm_match_options *opts, lmi_rank_how how,
                        lm_ranking **out);
/* lm_db_rank_query and lm_db_explain with a choice of path, as
 * lmi_db_rank_need_how. */
int lmi_db_rank_query_how(lm_db *db, const lm_query *query,
                         const lm_match_options *opts, lmi_rank_how how,
                         lm_ranking **out);
int lmi_db_explain_how(lm_db *db, const char *need_id, const char *expert_id,
                      const lm_match_options *opts, lmi_rank_how how,
                      lm_explanation **out);

#endif /* LMI_STORE_H */
