/* SPDX-License-Identifier: MIT */
/*
 * store.c -- the SQLite store: opens (creating, upgrading and recognising)
 * a libmatch database, reads it into a catalogue, loads YAML into it in one
 * all-or-nothing write transaction, and records and releases engagements.
 *
 * The database is the durable form of a catalogue.  Reading builds an
 * unresolved batch from the tables and merges it like any other batch, so
 * the rules of catalog.c (references, cycles, settings ranges) are the only
 * rules.  A load reads the database inside its write transaction, merges
 * the YAML into that catalogue (references resolve across files and what
 * is stored), and writes back only the records the files named, with every
 * reference replaced by the canonical id it resolved to.
 *
 * Concurrency: every handle waits up to LM_DB_BUSY_MS for a lock (busy
 * timeout); writers take the write lock first (BEGIN IMMEDIATE) and readers
 * see one snapshot (WAL), so two loads or commits run one after the other
 * instead of failing or interleaving.  Only prepared statements with bound
 * parameters touch data; every statement is finalized on every path, so
 * sqlite3_close() always succeeds.
 */
#include "engine/rank.h"
#include "io/image.h"
#include "io/store.h"
#include "io/store_schema.h"
#include "io/yaml.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pthread.h>
#include <sqlite3.h>

#define LM_DB_BUSY_MS 30000   /* wait for another writer this long */
#define LM_PROGRESS_STEP 1000 /* records between progress reports */
#define LM_SQLITE_MIN 3040000  /* the oldest SQLite tested (Debian 12's) */
#define LM_SQLITE_MIN_TEXT "3.40"

struct lm_db {
	sqlite3 *db;      /* NULL when the open failed before a connection */
	char *path;       /* malloc'd copy of the name given to lm_db_open */
	unsigned flags;
	bool fk_off;      /* foreign keys still off after a load's cleanup
	                     failed; switched on before the next write */
	struct writer *loading; /* a load's rows, for lm_load_experts */
	bool module;      /* lm_load_experts is registered */
	lmi_err err;       /* last failure: message and diagnostics */
};

/* ---- errors and small SQLite helpers ----------------------------------- */

static const char *db_name(const lm_db *db)
{
	return db->path ? db->path : "(database)";
}

static int nomem(lm_db *db)
{
	return lmi_err_set(&db->err, LM_ENOMEM, "out of memory");
}

/* Turn an SQLite result code into a status, with a message that names the
 * database, what was being done and SQLite's own text.  Call it right after
 * the failing call: sqlite3_errmsg() describes the most recent one. */
static int db_fail(lm_db *db, int src, const char *what)
{
	const char *text = db->db ? sqlite3_errmsg(db->db) : sqlite3_errstr(src);
	switch (src & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return lmi_err_set(&db->err, LM_EBUSY,
		                  "%s: %s: the database stayed locked by another "
		                  "writer for %d s (%s)", db_name(db), what,
		                  LM_DB_BUSY_MS / 1000, text);
	case SQLITE_NOMEM:
		return lmi_err_set(&db->err, LM_ENOMEM, "%s: %s: out of memory",
		                  db_name(db), what);
	default:
		return lmi_err_set(&db->err, LM_EDB, "%s: %s: %s", db_name(db),
		                  what, text);
	}
}

/* Constant SQL only (transactions, pragmas, the schema). */
static int db_exec(lm_db *db, const char *sql, const char *what)
{
	int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? LM_OK : db_fail(db, rc, what);
}

static int db_prepare(lm_db *db, const char *sql, sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(db->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(*st); /* NULL on failure; harmless */
		*st = NULL;
		return db_fail(db, rc, "preparing a statement");
	}
	return LM_OK;
}

/* One step of a query: *row tells whether a row came back.  On an error
 * the statement is reset so that it can be finalized or reused. */
static int db_step(lm_db *db, sqlite3_stmt *st, const char *what, bool *row)
{
	int rc = sqlite3_step(st);
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return LM_OK;
	int ret = db_fail(db, rc, what);
	sqlite3_reset(st);
	return ret;
}

/* Binding accumulates the first failure in *brc so that a statement is
 * bound in a few plain lines and checked once, in db_run(). */
static void bind_text(sqlite3_stmt *st, int i, const char *s, int *brc)
{
	if (*brc == SQLITE_OK)
		*brc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
		         : sqlite3_bind_null(st, i);
}

static void bind_int(sqlite3_stmt *st, int i, long long v, int *brc)
{
	if (*brc == SQLITE_OK)
		*brc = sqlite3_bind_int64(st, i, v);
}

static void bind_double(sqlite3_stmt *st, int i, double v, int *brc)
{
	if (*brc == SQLITE_OK)
		*brc = sqlite3_bind_double(st, i, v);
}

static void bind_null(sqlite3_stmt *st, int i, int *brc)
{
	if (*brc == SQLITE_OK)
		*brc = sqlite3_bind_null(st, i);
}

/* Run a bound statement that returns no rows, then make it reusable. */
static int db_run(lm_db *db, sqlite3_stmt *st, int brc, const char *what)
{
	int ret = LM_OK;
	if (brc != SQLITE_OK) {
		ret = db_fail(db, brc, what);
	} else {
		int rc = sqlite3_step(st);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			ret = db_fail(db, rc, what);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

/* The single integer a query returns (0 when it returns no row). */
static int db_query_int(lm_db *db, const char *sql, const char *what,
                        long long *out)
{
	sqlite3_stmt *st = NULL;
	int rc = db_prepare(db, sql, &st);
	bool row = false;
	if (!rc)
		rc = db_step(db, st, what, &row);
	*out = !rc && row ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc;
}

/* Takes the write lock now, so that the reads that decide what to write
 * see what the writes will change (waits for the busy timeout). */
static int tx_begin_write(lm_db *db)
{
	return db_exec(db, "BEGIN IMMEDIATE", "starting a write transaction");
}

static int tx_commit(lm_db *db)
{
	return db_exec(db, "COMMIT", "committing");
}

/* Roll back whatever transaction is open; safe to call when none is
 * (a failed COMMIT, e.g. a deferred foreign key, leaves it open). */
static void tx_rollback(lm_db *db)
{
	if (db->db && !sqlite3_get_autocommit(db->db))
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- open and close ---------------------------------------------------- */

#define STR_(x) #x
#define STR(x) STR_(x)

/* Create or drop the triggers that drop the engine image when the rows
 * it copies change (store_schema.h). */
static int image_triggers(lm_db *db, bool create)
{
	char sql[256];
	int rc = LM_OK;
	size_t n = sizeof(lmi_image_triggers) / sizeof(lmi_image_triggers[0]);
	for (size_t i = 0; !rc && i < n; i++) {
		const char *const *t = lmi_image_triggers[i];
		if (create)
			snprintf(sql, sizeof(sql), "CREATE TRIGGER IF NOT EXISTS %s "
			         "AFTER %s ON %s "
			         "BEGIN DELETE FROM engine_image; END", t[0], t[2],
			         t[1]);
		else
			snprintf(sql, sizeof(sql), "DROP TRIGGER IF EXISTS %s", t[0]);
		rc = db_exec(db, sql, "updating the engine image");
	}
	return rc;
}

static int read_catalog(lm_db *db, lm_catalog **out);
static int image_store(lm_db *db, lm_catalog *cat);

/* Create the schema in an empty database (version 0), or upgrade an older
 * one, step by step.  The caller holds the write transaction.  With
 * `image`, an upgraded database gets its engine image at once (when its
 * rows read back; otherwise the next load writes it). */
static int schema_upgrade(lm_db *db, long long version, bool image)
{
	/* The image's triggers would run for every row the steps change. */
	int rc = image_triggers(db, false);
	for (size_t i = 0; !rc && version < 1 && lmi_schema_v1[i]; i++)
		rc = db_exec(db, lmi_schema_v1[i], "creating the schema");
	for (size_t i = 0; !rc && version < 2 && lmi_schema_v2[i]; i++)
		rc = db_exec(db, lmi_schema_v2[i], "upgrading the schema");
	for (size_t i = 0; !rc && version < 3 && lmi_schema_v3[i]; i++)
		rc = db_exec(db, lmi_schema_v3[i], "upgrading the schema");
	/* Version 2's triggers on the tables version 3 drops went with
	 * them. */
	if (!rc)
		rc = image_triggers(db, true);
	if (!rc)
		rc = db_exec(db, "PRAGMA user_version = "
		             STR(LM_DB_SCHEMA_VERSION), "creating the schema");
	/* The image of an older version is gone or stale. */
	if (!rc && image && version >= 1) {
		lm_catalog *cat = NULL;
		if (read_catalog(db, &cat) == LM_OK)
			rc = image_store(db, cat);
		else
			lmi_err_clear(&db->err);
		lm_catalog_free(cat);
	}
	if (!rc)
		rc = db_exec(db, "PRAGMA application_id = "
		             STR(LM_DB_APPLICATION_ID), "creating the schema");
	return rc;
}

/*
 * Recognise the database and, when `create`, create its schema.  The
 * check runs inside a write transaction when creating, so that two
 * processes creating the same file do not both create tables.
 */
static int schema_check(lm_db *db, bool create)
{
	long long version = 0, app = 0, objects = 0;
	int rc = create ? tx_begin_write(db) : LM_OK;
	if (!rc)
		rc = db_query_int(db, "PRAGMA user_version", "opening", &version);
	if (!rc)
		rc = db_query_int(db, "PRAGMA application_id", "opening", &app);
	if (!rc)
		rc = db_query_int(db, "SELECT count(*) FROM sqlite_master",
		                  "opening", &objects);
	if (rc)
		goto cleanup;

	bool fresh = app == 0 && version == 0 && objects == 0;
	if (!fresh && app != LM_DB_APPLICATION_ID) {
		rc = lmi_err_set(&db->err, LM_EDB,
		                "%s: not a libmatch database (it holds other "
		                "data)", db_name(db));
		goto cleanup;
	}
	if (version > LM_DB_SCHEMA_VERSION) {
		rc = lmi_err_set(&db->err, LM_EDB,
		                "%s: database schema version %lld is newer than "
		                "this libmatch (%d)", db_name(db), version,
		                LM_DB_SCHEMA_VERSION);
		goto cleanup;
	}
	if (version < LM_DB_SCHEMA_VERSION) {
		/* An older schema this libmatch reads is read as it is;
		 * writers upgrade it (lm_db_load, or opening to create). */
		if (!create && version >= LM_DB_SCHEMA_READABLE)
			goto cleanup;
		if (!create) {
			rc = lmi_err_set(&db->err, LM_EDB,
			                fresh ? "%s: empty database; run 'match init' "
			                        "to create it"
			                      : "%s: old database schema; run 'match "
			                        "init' to upgrade it", db_name(db));
			goto cleanup;
		}
		/* An empty database is created; version 1 gets the engine
		 * image's table (the next load fills it). */
		rc = schema_upgrade(db, version, true);
		if (rc)
			goto cleanup;
	}
	if (create)
		rc = tx_commit(db);

cleanup:
	if (rc)
		tx_rollback(db);
	return rc;
}

/* Switching a new database to WAL takes an exclusive lock, and SQLite
 * gives up at once, without the busy handler, when two connections would
 * deadlock waiting for it (several processes creating one database
 * together).  Retry for up to the busy timeout instead. */
/* Foreign keys back on if a load's cleanup could not do it. */
static int fk_on(lm_db *db)
{
	if (!db->fk_off)
		return LM_OK;
	int rc = db_exec(db, "PRAGMA foreign_keys = ON", "writing");
	if (!rc)
		db->fk_off = false;
	return rc;
}

static int set_wal(lm_db *db)
{
	int rc;
	for (int waited = 0;; waited += 10) {
		rc = sqlite3_exec(db->db, "PRAGMA journal_mode = WAL", NULL, NULL,
		                  NULL);
		if ((rc & 0xff) != SQLITE_BUSY || waited >= LM_DB_BUSY_MS)
			break;
		sqlite3_sleep(10);
	}
	return rc == SQLITE_OK ? LM_OK : db_fail(db, rc, "opening");
}

/* Would SQLite be unable to create the WAL index (FILE-shm) of a
 * read-only open?  Only when it is missing and its folder is read-only. */
static bool wal_index_blocked(const char *path)
{
	size_t n = strlen(path);
	char *shm = malloc(n + 5), *dir = malloc(n + 2);
	bool blocked = false;
	if (shm && dir) {
		memcpy(shm, path, n);
		memcpy(shm + n, "-shm", 5);
		memcpy(dir, path, n + 1);
		char *slash = strrchr(dir, '/');
		if (!slash)
			strcpy(dir, ".");
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
		blocked = access(shm, F_OK) != 0 && access(dir, W_OK) != 0;
	}
	free(shm);
	free(dir);
	return blocked;
}

int lm_db_open(const char *path, unsigned flags, lm_db **out)
{
	if (!out)
		return LM_EINVAL;
	lm_db *db = calloc(1, sizeof(*db));
	*out = db;
	if (!db)
		return LM_ENOMEM;
	db->flags = flags;
	if (!path || !*path)
		return lmi_err_set(&db->err, LM_EINVAL, "no database file given");
	if (flags & ~(LM_DB_CREATE | LM_DB_READONLY))
		return lmi_err_set(&db->err, LM_EINVAL, "unknown lm_db_open flags");
	if ((flags & LM_DB_CREATE) && (flags & LM_DB_READONLY))
		return lmi_err_set(&db->err, LM_EINVAL,
		                  "a database cannot be created read-only");
	db->path = strdup(path);
	if (!db->path)
		return nomem(db);
	/* The JSON functions (schema 3), UPSERT and SQLITE_VTAB_DIRECTONLY
	 * (the load's virtual table) need 3.31. */
	if (sqlite3_libversion_number() < LM_SQLITE_MIN)
		return lmi_err_set(&db->err, LM_EDB, "%s: SQLite %s is too old; "
		                  "libmatch needs %s or later", path,
		                  sqlite3_libversion(), LM_SQLITE_MIN_TEXT);

	/* Ask the file system first: SQLite's "unable to open" does not say
	 * that the file is simply not there. */
	if (strcmp(path, ":memory:") != 0) {
		struct stat sb;
		if (stat(path, &sb) != 0) {
			if (errno == ENOENT && (flags & LM_DB_CREATE))
				; /* SQLite creates it */
			else if (errno == ENOENT)
				return lmi_err_set(&db->err, LM_EDB,
				                  "%s: no database here; run 'match "
				                  "init' to create it", path);
			else
				return lmi_err_set(&db->err, LM_EDB, "%s: %s", path,
				                  strerror(errno));
		} else if (S_ISDIR(sb.st_mode)) {
			return lmi_err_set(&db->err, LM_EDB, "%s: %s", path,
			                  strerror(EISDIR));
		}
	}

	int oflags = SQLITE_OPEN_NOMUTEX; /* one handle, one thread at a time */
	if (flags & LM_DB_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE;
	if (flags & LM_DB_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	int src = sqlite3_open_v2(path, &db->db, oflags, NULL);
	if (src != SQLITE_OK) {
		int rc = db_fail(db, src, "opening");
		sqlite3_close(db->db);
		db->db = NULL;
		return rc;
	}
	sqlite3_extended_result_codes(db->db, 1);
	sqlite3_busy_timeout(db->db, LM_DB_BUSY_MS);

	/* Per-connection settings: SQLite enforces foreign keys only when
	 * asked, on every connection.  WAL lets readers run beside a writer;
	 * synchronous=NORMAL is durable enough with WAL and much faster. */
	int rc = db_exec(db, "PRAGMA foreign_keys = ON", "opening");
	if (!rc)
		rc = db_exec(db, "PRAGMA synchronous = NORMAL", "opening");
	/* A database created here gets 16 kB pages (SQLite's default is
	 * 4 kB): a national load writes a million rows and the engine image
	 * reads long runs, both with a quarter of the page reads.  The
	 * pragma changes nothing in a database that exists already. */
	if (!rc && (flags & LM_DB_CREATE))
		rc = db_exec(db, "PRAGMA page_size = 16384", "opening");
	/* Recognise the file before changing anything in it: another
	 * application's database given by mistake must stay as it was, WAL
	 * mode included. */
	if (!rc)
		rc = schema_check(db, (flags & LM_DB_CREATE) != 0);
	if (!rc && !(flags & LM_DB_READONLY))
		rc = set_wal(db);
	if (rc == LM_EDB && (flags & LM_DB_READONLY) && wal_index_blocked(path))
		rc = lmi_err_set(&db->err, LM_EDB, "%s: cannot be read here: a "
		                "database in WAL mode needs %s-shm beside it, and "
		                "the folder is not writable (copy the database "
		                "to a writable folder)", path, path);
	return rc;
}

void lm_db_close(lm_db *db)
{
	if (!db)
		return;
	if (db->db) {
		tx_rollback(db);
		/* Every statement is finalized where it was prepared, so this
		 * succeeds; close_v2 is the fallback that still frees the
		 * connection if a bug left a statement behind. */
		if (sqlite3_close(db->db) != SQLITE_OK)
			sqlite3_close_v2(db->db);
	}
	free(db->path);
	lmi_err_free(&db->err);
	free(db);
}

const char *lm_db_errmsg(const lm_db *db)
{
	return db ? lmi_err_msg(&db->err) : "out of memory";
}

size_t lm_db_diag_count(const lm_db *db)
{
	return db ? db->err.ndiags : 0;
}

const lm_diag *lm_db_diag(const lm_db *db, size_t i)
{
	return db && i < db->err.ndiags ? &db->err.diags[i] : NULL;
}

/* ---- reading ------------------------------------------------------------ */

/* Column i as a string owned by the batch's arena; NULL for SQL NULL,
 * which is an error for a column that must hold a value. */
static int col_str(lm_db *db, lm_catalog *b, sqlite3_stmt *st, int i,
                   bool required, const char **out)
{
	*out = NULL;
	if (sqlite3_column_type(st, i) == SQLITE_NULL) {
		if (!required)
			return LM_OK;
		return lmi_err_set(&db->err, LM_EDB, "%s: column %s is NULL",
		                  db_name(db), sqlite3_column_name(st, i));
	}
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return nomem(db);
	int n = sqlite3_column_bytes(st, i);
	char *s = lmi_arena_strndup(&b->arena, (const char *)t, (size_t)n);
	if (!s)
		return nomem(db);
	*out = s;
	return LM_OK;
}

static bool col_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL;
}

/* Copy a temporary vector into the batch's arena; *out is NULL for n 0. */
static int arena_copy(lm_db *db, lm_catalog *b, const void *src, size_t n,
                      size_t elem, void *out)
{
	void *p = NULL;
	if (n > UINT32_MAX)
		return lmi_err_set(&db->err, LM_EDB, "%s: a list is too long",
		                  db_name(db));
	if (n) {
		p = lmi_arena_alloc(&b->arena, n * elem);
		if (!p)
			return nomem(db);
		memcpy(p, src, n * elem);
	}
	memcpy(out, &p, sizeof(p));
	return LM_OK;
}

/* Temporary lists, reused for every parent record while reading. */
typedef struct read_tmp {
	LM_VEC(const char *) str;
	LM_VEC(lmi_ref) ref;
	LM_VEC(lmi_level_rec) lvl;
	lmi_map intern;        /* text -> index in str_pool (keys are those) */
	LM_VEC(const char *) str_pool;
	lmi_buf text;        /* a JSON string of a list, unescaped */
	/* json_type(), then json_each() of skills and of languages:
	 * read_json_list's way for lists not in libmatch's form */
	sqlite3_stmt *json_each[3];
} read_tmp;

/* Column i as a string that many rows repeat (a skill, language, garden
 * or place id): one copy in the batch's arena serves them all, which
 * saves a copy per row (millions for a national database). */
static int intern(lm_db *db, lm_catalog *b, read_tmp *t, const char *txt,
                  size_t len, const char **out);

static int col_intern(lm_db *db, lm_catalog *b, sqlite3_stmt *st, int i,
                      read_tmp *t, const char **out)
{
	*out = NULL;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return LM_OK;
	const char *txt = (const char *)sqlite3_column_text(st, i);
	if (!txt)
		return nomem(db);
	return intern(db, b, t, txt, (size_t)sqlite3_column_bytes(st, i), out);
}

/* txt (len bytes, NUL-terminated) as a string many rows repeat. */
static int intern(lm_db *db, lm_catalog *b, read_tmp *t, const char *txt,
                  size_t len, const char **out)
{
	uint32_t v;
	if (lmi_map_get(&t->intern, txt, &v)) {
		*out = t->str_pool.v[v];
		return LM_OK;
	}
	char *s = lmi_arena_strndup(&b->arena, txt, len);
	const char **slot = s ? LM_VEC_PUSH(t->str_pool) : NULL;
	if (!slot)
		return nomem(db);
	*slot = s;
	if (lmi_map_put(&t->intern, s, (uint32_t)(t->str_pool.n - 1)))
		return nomem(db);
	*out = s;
	return LM_OK;
}

/*
 * Child tables are read with one query each, ordered by parent id, and
 * merged with the parents (already read in id order, the same BINARY
 * collation) by advancing through both: a query per parent would cost a
 * statement step and an index probe per record, which dominates at
 * 100,000 experts.  `row` is called for each child row with the parent's
 * index; rows of an unknown parent are an inconsistent database.
 */
typedef int (*child_row_fn)(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                            size_t parent, read_tmp *t);
typedef int (*child_done_fn)(lm_db *db, lm_catalog *b, size_t parent,
                             read_tmp *t);

static int read_children(lm_db *db, lm_catalog *b, const char *sql,
                         const char *arg, const char *what, size_t n_parents,
                         const char *(*parent_id)(const lm_catalog *, size_t),
                         child_row_fn row_fn, child_done_fn done_fn,
                         read_tmp *t)
{
	sqlite3_stmt *st = NULL;
	size_t at = 0;
	bool row;
	int rc = db_prepare(db, sql, &st);
	if (!rc && arg && sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC))
		rc = db_fail(db, SQLITE_NOMEM, what);
	bool open_list = false;
	while (!rc && !(rc = db_step(db, st, what, &row)) && row) {
		const char *pid = (const char *)sqlite3_column_text(st, 0);
		if (!pid) {
			rc = lmi_err_set(&db->err, LM_EDB, "%s: %s: NULL parent id",
			                db_name(db), what);
			break;
		}
		int c = 1;
		while (at < n_parents &&
		       (c = strcmp(parent_id(b, at), pid)) < 0) {
			if (open_list && (rc = done_fn(db, b, at, t)))
				break;
			open_list = false;
			at++;
		}
		if (rc)
			break;
		if (at == n_parents || c != 0) {
			rc = lmi_err_set(&db->err, LM_EDB, "%s: %s: a row refers to "
			                "the unknown record '%s'", db_name(db), what,
			                pid);
			break;
		}
		if (!open_list) {
			t->str.n = t->ref.n = t->lvl.n = 0;
			open_list = true;
		}
		rc = row_fn(db, b, st, at, t);
	}
	if (!rc && open_list)
		rc = done_fn(db, b, at, t);
	sqlite3_finalize(st);
	return rc;
}

static const char *skill_id_at(const lm_catalog *b, size_t i)
{
	return b->skills.v[i].id;
}

static const char *expert_id_at(const lm_catalog *b, size_t i)
{
	return b->experts.v[i].id;
}

static const char *need_id_at(const lm_catalog *b, size_t i)
{
	return b->needs.v[i].id;
}

/* Column 1 as a string into t->str. */
static int row_string(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                      size_t parent, read_tmp *t)
{
	(void)parent;
	const char **slot = LM_VEC_PUSH(t->str);
	if (!slot)
		return nomem(db);
	return col_str(db, b, st, 1, true, slot);
}

/* Column 1 as a repeated string (a language) into t->str. */
static int row_interned(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                        size_t parent, read_tmp *t)
{
	(void)parent;
	const char **slot = LM_VEC_PUSH(t->str);
	if (!slot)
		return nomem(db);
	return col_intern(db, b, st, 1, t, slot);
}

static int alias_done(lm_db *db, lm_catalog *b, size_t i, read_tmp *t)
{
	lmi_skill_rec *s = &b->skills.v[i];
	int rc = arena_copy(db, b, t->str.v, t->str.n, sizeof(*t->str.v),
	                    &s->aliases);
	if (!rc && t->str.n) {
		/* Positions of aliases are used in diagnostics. */
		s->alias_pos = lmi_arena_alloc(&b->arena, t->str.n * sizeof(lmi_pos));
		if (!s->alias_pos)
			rc = nomem(db);
		else
			memset(s->alias_pos, 0, t->str.n * sizeof(lmi_pos));
	}
	s->n_aliases = (uint32_t)t->str.n;
	return rc;
}

static int row_expert_skill(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                            size_t parent, read_tmp *t)
{
	lmi_level_rec *l = LM_VEC_PUSH(t->lvl);
	if (!l)
		return nomem(db);
	/* Schema 3 keeps the levels in JSON, which SQLite does not check. */
	sqlite3_int64 level = sqlite3_column_int64(st, 2);
	const char *skill = (const char *)sqlite3_column_text(st, 1);
	if (!skill)
		return lmi_err_set(&db->err, LM_EDB, "%s: expert '%s': a skill "
		                  "without an id", db_name(db),
		                  b->experts.v[parent].id);
	if (sqlite3_column_type(st, 2) != SQLITE_INTEGER || level < 1 ||
	    level > 5)
		return lmi_err_set(&db->err, LM_EDB, "%s: expert '%s': the level "
		                  "of skill '%s' is not an integer 1..5",
		                  db_name(db), b->experts.v[parent].id, skill);
	l->level = (int)level;
	l->weight = 1.0;
	return col_intern(db, b, st, 1, t, &l->skill.id);
}

/* A language: text, like every string libmatch writes. */
static int row_language(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                        size_t parent, read_tmp *t)
{
	if (sqlite3_column_type(st, 1) != SQLITE_TEXT)
		return lmi_err_set(&db->err, LM_EDB, "%s: expert '%s': a language "
		                  "is not a string", db_name(db),
		                  b->experts.v[parent].id);
	return row_interned(db, b, st, parent, t);
}

/*
 * Schema 3 keeps an expert's skills and languages as JSON in its row.
 * What libmatch writes (store_schema.h) is parsed here, which is several
 * times faster than json_each() at 100,000 experts: objects and arrays of
 * strings with only \" and \\ escaped, levels of one digit 1..5, any
 * JSON white space.  Anything else (edited by hand) goes through SQLite's
 * json_each(), row by row as the views give it, so that its values are
 * checked and its errors worded the same as when it is read as rows.
 */
typedef struct json_in {
	const char *p, *end;
} json_in;

static void json_ws(json_in *in)
{
	while (in->p < in->end && (*in->p == ' ' || *in->p == '\t' ||
	                           *in->p == '\n' || *in->p == '\r'))
		in->p++;
}

/* Past white space and then c, if c is there. */
static bool json_at(json_in *in, char c)
{
	json_ws(in);
	if (in->p < in->end && *in->p == c) {
		in->p++;
		return true;
	}
	return false;
}

/* A string of the compact form into *out (NUL-terminated); false for
 * anything else: another escape, a control character, no end. */
static bool json_str(json_in *in, lmi_buf *out)
{
	out->n = 0;
	lmi_buf_put(out, "", 0);
	if (!json_at(in, '"'))
		return false;
	for (const char *run = in->p; in->p < in->end; in->p++) {
		unsigned char ch = (unsigned char)*in->p;
		if (ch == '"' || ch == '\\') {
			lmi_buf_put(out, run, (size_t)(in->p - run));
			if (ch == '"') {
				in->p++;
				return !out->oom;
			}
			if (++in->p == in->end ||
			    (*in->p != '"' && *in->p != '\\'))
				return false;
			run = in->p; /* the escaped character starts the next run */
		} else if (ch < 0x20) {
			return false;
		}
	}
	return false;
}

/* Parse `text` as a list of expert `e` into t (skills into t->lvl,
 * languages into t->str); false when it is not in the compact form. */
static bool json_list_fast(lm_db *db, lm_catalog *b, read_tmp *t,
                           const char *text, size_t len, bool skills,
                           int *rc)
{
	json_in in = {text, text + len};
	char open = skills ? '{' : '[', close = skills ? '}' : ']';
	if (!json_at(&in, open))
		return false;
	for (bool first = true; !json_at(&in, close); first = false) {
		if ((!first && !json_at(&in, ',')) || !json_str(&in, &t->text))
			return false;
		const char *str;
		int level = 0;
		if (skills) {
			if (!json_at(&in, ':') || in.p == in.end ||
			    *in.p < '1' || *in.p > '5')
				return false;
			level = *in.p++ - '0';
			if (in.p < in.end && *in.p >= '0' && *in.p <= '9')
				return false;
		}
		if ((*rc = intern(db, b, t, t->text.v, t->text.n, &str)))
			return true;
		if (skills) {
			lmi_level_rec *l = LM_VEC_PUSH(t->lvl);
			if (!l) {
				*rc = nomem(db);
				return true;
			}
			l->skill.id = str;
			l->level = level;
			l->weight = 1.0;
		} else {
			const char **slot = LM_VEC_PUSH(t->str);
			if (!slot) {
				*rc = nomem(db);
				return true;
			}
			*slot = str;
		}
	}
	json_ws(&in);
	return in.p == in.end;
}

/* Column i of st, expert `e`'s skills (or languages), into t. */
static int read_json_list(lm_db *db, lm_catalog *b, sqlite3_stmt *st, int i,
                          size_t e, read_tmp *t, bool skills)
{
	int rc = LM_OK;
	const char *expert = b->experts.v[e].id;
	t->lvl.n = t->str.n = 0;
	/* The type before anything converts the value. */
	int type = sqlite3_column_type(st, i);
	if (type == SQLITE_NULL && !skills)
		return LM_OK;
	if (type == SQLITE_TEXT) {
		const char *text = (const char *)sqlite3_column_text(st, i);
		size_t len = (size_t)sqlite3_column_bytes(st, i);
		if (!text)
			return nomem(db);
		if (json_list_fast(db, b, t, text, len, skills, &rc))
			return rc;
		if (t->text.oom)
			return nomem(db);
		t->lvl.n = t->str.n = 0;
	}

	/* Anything else, as the views read it, and checked: an object of
	 * integer levels, an array of strings.  A value of another JSON type
	 * comes as NULL (json_each gives true as 1, an array as its text),
	 * which the row functions refuse. */
	const char *what = skills ? "reading expert skills"
	                          : "reading expert languages";
	sqlite3_stmt **kind = &t->json_each[0], **q = &t->json_each[1 + !skills];
	if (!*kind)
		rc = db_prepare(db, "SELECT json_type(?1)", kind);
	if (!rc && !*q)
		rc = db_prepare(db, skills
		                ? "SELECT NULL, key, CASE type WHEN 'integer' "
		                  "THEN value END FROM json_each(?1)"
		                : "SELECT NULL, CASE type WHEN 'text' "
		                  "THEN value END FROM json_each(?1)", q);
	if (rc)
		return rc;
	sqlite3_value *v = sqlite3_column_value(st, i);
	bool row;
	sqlite3_reset(*kind);
	if (sqlite3_bind_value(*kind, 1, v) != SQLITE_OK)
		return nomem(db);
	rc = db_step(db, *kind, what, &row);
	const char *got = rc || !row ? NULL
	                             : (const char *)sqlite3_column_text(*kind, 0);
	if (!rc && (!got || strcmp(got, skills ? "object" : "array")))
		rc = lmi_err_set(&db->err, LM_EDB, "%s: expert '%s': its %s are "
		                "not a JSON %s", db_name(db), expert,
		                skills ? "skills" : "languages",
		                skills ? "object" : "array");
	sqlite3_reset(*kind);
	if (rc)
		return rc;
	sqlite3_reset(*q);
	if (sqlite3_bind_value(*q, 1, v) != SQLITE_OK)
		return nomem(db);
	while (!rc && !(rc = db_step(db, *q, what, &row)) && row)
		rc = skills ? row_expert_skill(db, b, *q, e, t)
		            : row_language(db, b, *q, e, t);
	sqlite3_reset(*q);
	return rc;
}

static int expert_skills_done(lm_db *db, lm_catalog *b, size_t i,
                              read_tmp *t)
{
	lmi_expert_rec *e = &b->experts.v[i];
	e->n_skills = (uint32_t)t->lvl.n;
	return arena_copy(db, b, t->lvl.v, t->lvl.n, sizeof(*t->lvl.v),
	                  &e->skills);
}

static int languages_done(lm_db *db, lm_catalog *b, size_t i, read_tmp *t)
{
	lmi_expert_rec *e = &b->experts.v[i];
	e->n_languages = (uint32_t)t->str.n;
	return arena_copy(db, b, t->str.v, t->str.n, sizeof(*t->str.v),
	                  &e->languages);
}

static int row_conflict(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                        size_t parent, read_tmp *t)
{
	(void)parent;
	lmi_ref *r = LM_VEC_PUSH(t->ref);
	if (!r)
		return nomem(db);
	return col_intern(db, b, st, 1, t, &r->id);
}

static int conflicts_done(lm_db *db, lm_catalog *b, size_t i, read_tmp *t)
{
	lmi_expert_rec *e = &b->experts.v[i];
	e->n_conflicts = (uint32_t)t->ref.n;
	return arena_copy(db, b, t->ref.v, t->ref.n, sizeof(*t->ref.v),
	                  &e->conflicts);
}

static int row_need_skill(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                          size_t parent, read_tmp *t)
{
	(void)parent;
	lmi_level_rec *l = LM_VEC_PUSH(t->lvl);
	if (!l)
		return nomem(db);
	l->level = sqlite3_column_int(st, 2);
	l->weight = col_null(st, 3) ? 1.0 : sqlite3_column_double(st, 3);
	l->optional = sqlite3_column_int(st, 4) != 0;
	return col_intern(db, b, st, 1, t, &l->skill.id);
}

static int need_skills_done(lm_db *db, lm_catalog *b, size_t i, read_tmp *t)
{
	lmi_need_rec *n = &b->needs.v[i];
	n->n_skills = (uint32_t)t->lvl.n;
	return arena_copy(db, b, t->lvl.v, t->lvl.n, sizeof(*t->lvl.v),
	                  &n->skills);
}

static int read_places(lm_db *db, lm_catalog *b)
{
	const char *what = "reading places";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = db_prepare(db, "SELECT id, name, lat, lon FROM places "
	                        "ORDER BY id", &st);
	while (!rc && !(rc = db_step(db, st, what, &row)) && row) {
		lmi_place_rec *p = lmi_batch_place(b);
		if (!p) {
			rc = nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &p->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &p->name);
		p->lat = sqlite3_column_double(st, 2);
		p->lon = sqlite3_column_double(st, 3);
	}
	sqlite3_finalize(st);
	return rc;
}

static int read_gardens(lm_db *db, lm_catalog *b)
{
	const char *what = "reading gardens";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = db_prepare(db, "SELECT id, name, place FROM gardens "
	                        "ORDER BY id", &st);
	while (!rc && !(rc = db_step(db, st, what, &row)) && row) {
		lmi_garden_rec *g = lmi_batch_garden(b);
		if (!g) {
			rc = nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &g->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &g->name);
		if (!rc)
			rc = col_str(db, b, st, 2, true, &g->place.id);
	}
	sqlite3_finalize(st);
	return rc;
}

static int read_skills(lm_db *db, lm_catalog *b, read_tmp *t)
{
	const char *what = "reading skills";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = db_prepare(db, "SELECT id, label, parent FROM skills "
	                        "ORDER BY id", &st);
	while (!rc && !(rc = db_step(db, st, what, &row)) && row) {
		lmi_skill_rec *s = lmi_batch_skill(b);
		if (!s) {
			rc = nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &s->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &s->label);
		if (!rc)
			rc = col_str(db, b, st, 2, false, &s->parent.id);
	}
	sqlite3_finalize(st);
	/* Children after the parents: the record array no longer moves. */
	if (!rc)
		rc = read_children(db, b, "SELECT skill, alias FROM skill_aliases "
		                   "ORDER BY skill, pos", NULL, "reading skill aliases",
		                   b->skills.n, skill_id_at, row_string, alias_done,
		                   t);
	return rc;
}

/* Every company, or only the company of need `need` (when not NULL). */
static int read_companies(lm_db *db, lm_catalog *b, const char *need)
{
	const char *what = "reading companies";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = db_prepare(db, need ? "SELECT id, name, place, lat, lon, "
	                               "garden FROM companies WHERE id = "
	                               "(SELECT company FROM needs WHERE id = ?1)"
	                             : "SELECT id, name, place, lat, lon, "
	                               "garden FROM companies ORDER BY id", &st);
	if (!rc && need && sqlite3_bind_text(st, 1, need, -1, SQLITE_STATIC))
		rc = db_fail(db, SQLITE_NOMEM, what);
	while (!rc && !(rc = db_step(db, st, what, &row)) && row) {
		lmi_company_rec *c = lmi_batch_company(b);
		if (!c) {
			rc = nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &c->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &c->name);
		if (!rc)
			rc = col_str(db, b, st, 2, false, &c->place.id);
		c->place_is_coords = !c->place.id;
		c->place_lat = sqlite3_column_double(st, 3);
		c->place_lon = sqlite3_column_double(st, 4);
		if (!rc)
			rc = col_str(db, b, st, 5, false, &c->garden.id);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The lists of experts kept in tables of their own: skills and languages
 * (schema versions 1 and 2; `tables`), conflicts (every version). */
static int read_expert_children(lm_db *db, lm_catalog *b, read_tmp *t,
                                bool tables)
{
	int rc = LM_OK;
	if (tables)
		rc = read_children(db, b, "SELECT expert, skill, level FROM "
		                   "expert_skills ORDER BY expert, skill", NULL,
		                   "reading expert skills", b->experts.n,
		                   expert_id_at, row_expert_skill,
		                   expert_skills_done, t);
	if (!rc && tables)
		rc = read_children(db, b, "SELECT expert, lang FROM "
		                   "expert_languages ORDER BY expert, pos", NULL,
		                   "reading expert languages", b->experts.n,
		                   expert_id_at, row_interned, languages_done, t);
	if (!rc)
		rc = read_children(db, b, "SELECT expert, company FROM "
		                   "expert_conflicts ORDER BY expert, pos", NULL,
		                   "reading expert conflicts", b->experts.n,
		                   expert_id_at, row_conflict, conflicts_done, t);
	return rc;
}

static int read_experts(lm_db *db, lm_catalog *b, read_tmp *t)
{
	const char *what = "reading experts";
	sqlite3_stmt *st = NULL;
	bool row;
	/* Schema 3 keeps skills and languages in the row (store_schema.h). */
	long long version = 0;
	int rc = db_query_int(db, "PRAGMA user_version", what, &version);
	bool json = version >= 3;
	if (!rc)
		rc = db_prepare(db, json
		                ? "SELECT id, name, garden, home, home_lat, "
		                  "home_lon, capacity, max_travel_km, remote, "
		                  "skills, languages FROM experts ORDER BY id"
		                : "SELECT id, name, garden, home, home_lat, "
		                  "home_lon, capacity, max_travel_km, remote "
		                  "FROM experts ORDER BY id", &st);
	while (!rc && !(rc = db_step(db, st, what, &row)) && row) {
		lmi_expert_rec *e = lmi_batch_expert(b); /* defaults: -1 */
		if (!e) {
			rc = nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &e->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &e->name);
		if (!rc)
			rc = col_intern(db, b, st, 2, t, &e->garden.id);
		if (!rc)
			rc = col_intern(db, b, st, 3, t, &e->home.id);
		e->home_is_coords = !e->home.id;
		e->home_lat = sqlite3_column_double(st, 4);
		e->home_lon = sqlite3_column_double(st, 5);
		if (!col_null(st, 6))
			e->capacity = sqlite3_column_int(st, 6);
		if (!col_null(st, 7))
			e->max_travel_km = sqlite3_column_double(st, 7);
		if (!col_null(st, 8))
			e->remote = sqlite3_column_int(st, 8) != 0;
		size_t i = b->experts.n - 1;
		if (!rc && json)
			rc = read_json_list(db, b, st, 9, i, t, true);
		if (!rc && json)
			rc = expert_skills_done(db, b, i, t);
		if (!rc && json)
			rc = read_json_list(db, b, st, 10, i, t, false);
		if (!rc && json)
			rc = languages_done(db, b, i, t);
	}
	sqlite3_finalize(st);
	if (!rc)
		rc = read_expert_children(db, b, t, !json);
	return rc;
}

/* Every need, or only the need with id `only` (when not NULL). */
static int read_needs(lm_db *db, lm_catalog *b, read_tmp *t, const char *only)
{
	const char *what = "reading needs";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = db_prepare(db, only ? "SELECT id, company, title, mode, "
	                               "experts, language, max_km FROM needs "
	                               "WHERE id = ?1"
	                             : "SELECT id, company, title, mode, "
	                               "experts, language, max_km FROM needs "
	                               "ORDER BY id", &st);
	if (!rc && only && sqlite3_bind_text(st, 1, only, -1, SQLITE_STATIC))
		rc = db_fail(db, SQLITE_NOMEM, what);
	while (!rc && !(rc = db_step(db, st, what, &row)) && row) {
		lmi_need_rec *n = lmi_batch_need(b); /* defaults: onsite, 1 */
		if (!n) {
			rc = nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &n->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &n->company.id);
		if (!rc)
			rc = col_str(db, b, st, 2, false, &n->title);
		const unsigned char *mode = sqlite3_column_text(st, 3);
		if (!rc && mode &&
		    lm_mode_parse((const char *)mode, &n->mode) != LM_OK)
			rc = lmi_err_set(&db->err, LM_EDB, "%s: need '%s' has an "
			                "unknown mode '%s'", db_name(db), n->id,
			                (const char *)mode);
		if (!col_null(st, 4))
			n->experts = sqlite3_column_int(st, 4);
		if (!rc)
			rc = col_str(db, b, st, 5, false, &n->language);
		if (!col_null(st, 6))
			n->max_km = sqlite3_column_double(st, 6);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!rc)
		rc = read_children(db, b, only
		                   ? "SELECT need, skill, level, weight, optional "
		                     "FROM need_skills WHERE need = ?1 "
		                     "ORDER BY need, pos"
		                   : "SELECT need, skill, level, weight, optional "
		                     "FROM need_skills ORDER BY need, pos", only,
		                   "reading need skills", b->needs.n, need_id_at,
		                   row_need_skill, need_skills_done, t);
	sqlite3_finalize(st);
	return rc;
}

static int read_distances(lm_db *db, lm_catalog *b)
{
	const char *what = "reading distances";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = db_prepare(db, "SELECT a, b, km FROM distances ORDER BY a, b",
	                    &st);
	while (!rc && !(rc = db_step(db, st, what, &row)) && row) {
		lmi_distance_rec *d = lmi_batch_distance(b);
		if (!d) {
			rc = nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &d->from.id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &d->to.id);
		d->km = sqlite3_column_double(st, 2);
	}
	sqlite3_finalize(st);
	return rc;
}

static int read_settings(lm_db *db, lm_catalog *b)
{
	const char *what = "reading settings";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = db_prepare(db, "SELECT key, value FROM settings ORDER BY key",
	                    &st);
	while (!rc && !(rc = db_step(db, st, what, &row)) && row) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		double v = sqlite3_column_double(st, 1);
		/* A key this version does not know is skipped, not fatal: it
		 * changes no behaviour here, and a newer libmatch may add
		 * settings without a new schema. */
		for (int k = 0; key && k < LM_SET_COUNT; k++) {
			if (strcmp(key, lmi_settings_keys[k]) != 0)
				continue;
			/* Out-of-range values become -1, which the merge's
			 * range check reports; the cast itself must not
			 * overflow. */
			if (k == LM_SET_DEFAULT_CAPACITY)
				b->settings.v.default_capacity =
					v >= 0 && v <= 1000000 ? (int)v : -1;
			else
				*lmi_settings_field(&b->settings.v, k) = v;
			b->settings.set |= 1u << k;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static int read_engagements(lm_db *db, lm_catalog *b)
{
	const char *what = "reading engagements";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = db_prepare(db, "SELECT period, need, expert, score "
	                        "FROM engagements "
	                        "ORDER BY period, need, expert", &st);
	while (!rc && !(rc = db_step(db, st, what, &row)) && row) {
		lmi_engagement_rec *e = lmi_batch_engagement(b);
		if (!e) {
			rc = nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &e->period);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &e->need.id);
		if (!rc)
			rc = col_str(db, b, st, 2, true, &e->expert.id);
		e->score = sqlite3_column_double(st, 3);
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * Read every table into a new, resolved catalogue.  The caller decides the
 * transaction (a read snapshot, or the load's write transaction).  Records
 * from the database have no file position (file NULL, line 0).
 */
#define BIT(k) LM_KIND_BIT(k)

/* The kinds a mask needs, with everything they refer to. */
static unsigned kinds_closure(unsigned k)
{
	if (k & BIT(LM_ENGAGEMENT))
		k |= BIT(LM_NEED) | BIT(LM_EXPERT);
	if (k & BIT(LM_NEED))
		k |= BIT(LM_COMPANY) | BIT(LM_SKILL);
	if (k & BIT(LM_EXPERT))
		k |= BIT(LM_GARDEN) | BIT(LM_PLACE) | BIT(LM_SKILL) |
		     BIT(LM_COMPANY);
	if (k & BIT(LM_COMPANY))
		k |= BIT(LM_PLACE) | BIT(LM_GARDEN);
	if (k & (BIT(LM_GARDEN) | BIT(LM_DISTANCE)))
		k |= BIT(LM_PLACE);
	return k;
}

static int read_catalog_kinds(lm_db *db, unsigned kinds, const char *only_need,
                              lm_catalog **out);

static int read_catalog(lm_db *db, lm_catalog **out)
{
	return read_catalog_kinds(db, LM_KINDS_ALL, NULL, out);
}

/* The kinds of `kinds` and what they refer to; of the needs and companies
 * only the need with id `only_need` and its company when it is not NULL. */
static int read_catalog_kinds(lm_db *db, unsigned kinds, const char *only_need,
                              lm_catalog **out)
{
	lm_catalog *cat = NULL, *b = NULL;
	read_tmp t;
	memset(&t, 0, sizeof(t));
	*out = NULL;
	int rc = lm_catalog_new(&cat);
	if (!rc)
		rc = lm_catalog_new(&b);
	if (rc) {
		rc = nomem(db);
		goto cleanup;
	}
	kinds = kinds_closure(kinds);
	if (kinds & BIT(LM_PLACE))
		rc = read_places(db, b);
	if (!rc && (kinds & BIT(LM_GARDEN)))
		rc = read_gardens(db, b);
	if (!rc && (kinds & BIT(LM_SKILL)))
		rc = read_skills(db, b, &t);
	if (!rc && (kinds & BIT(LM_COMPANY)))
		rc = read_companies(db, b, only_need);
	if (!rc && (kinds & BIT(LM_EXPERT)))
		rc = read_experts(db, b, &t);
	if (!rc && (kinds & BIT(LM_NEED)))
		rc = read_needs(db, b, &t, only_need);
	if (!rc && (kinds & BIT(LM_DISTANCE)))
		rc = read_distances(db, b);
	if (!rc)
		rc = read_settings(db, b);
	if (!rc && (kinds & BIT(LM_ENGAGEMENT)))
		rc = read_engagements(db, b);
	if (rc)
		goto cleanup;
	rc = lmi_catalog_merge(cat, b, &db->err);
	if (rc == LM_EINPUT)
		/* The schema's constraints should make this impossible; it
		 * means the file was changed behind libmatch's back. */
		rc = lmi_err_set(&db->err, LM_EDB,
		                "%s: the database holds inconsistent data: %s",
		                db_name(db), lmi_err_msg(&db->err));
	if (rc)
		goto cleanup;
	*out = cat;
	cat = NULL;

cleanup:
	free(t.str.v);
	free(t.ref.v);
	free(t.lvl.v);
	free(t.str_pool.v);
	lmi_buf_free(&t.text);
	for (int i = 0; i < 3; i++)
		sqlite3_finalize(t.json_each[i]);
	lmi_map_free(&t.intern);
	lm_catalog_free(b);
	lm_catalog_free(cat);
	return rc;
}

int lm_db_read(lm_db *db, lm_catalog **out)
{
	return lm_db_read_kinds(db, LM_KINDS_ALL, out);
}

int lm_db_read_kinds(lm_db *db, unsigned kinds, lm_catalog **out)
{
	if (!out)
		return db ? lmi_err_set(&db->err, LM_EINVAL, "no output given")
		          : LM_EINVAL;
	*out = NULL;
	if (!db)
		return LM_EINVAL;
	lmi_err_clear(&db->err);
	if (!db->db)
		return lmi_err_set(&db->err, LM_EDB, "%s: the database is not open",
		                  db_name(db));
	if (kinds & ~LM_KINDS_ALL)
		return lmi_err_set(&db->err, LM_EINVAL, "unknown kinds in mask "
		                  "0x%x", kinds);
	/* One snapshot for all the tables, even while a writer commits. */
	int rc = db_exec(db, "BEGIN", "reading");
	if (!rc)
		rc = read_catalog_kinds(db, kinds, NULL, out);
	if (!rc)
		rc = tx_commit(db);
	if (rc) {
		tx_rollback(db);
		lm_catalog_free(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- ranking straight from the database ------------------------------------ */

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
	int rc = db_prepare(db, "SELECT need, expert FROM engagements "
	                    "WHERE period = ?1 ORDER BY need, expert", &st);
	if (!rc && sqlite3_bind_text(st, 1, period, -1, SQLITE_STATIC))
		rc = db_fail(db, SQLITE_NOMEM, what);
	while (!rc && !(rc = db_step(db, st, what, &row)) && row) {
		const char *need = (const char *)sqlite3_column_text(st, 0);
		const char *expert = (const char *)sqlite3_column_text(st, 1);
		if (!need || !expert)
			continue; /* NOT NULL columns: never */
		rc = lmi_image_add_engagement(cat, period, need, expert);
		if (rc == LM_ENOMEM)
			rc = nomem(db);
	}
	sqlite3_finalize(st);
	return rc;
}

/* What a ranking or an explanation through the image starts from: the
 * options with the period fixed (so that the engagements read and the
 * scorer's count agree), the image's blob handle on part 0, and the small
 * kinds and the one need (with its company) as rows.  IMAGE_UNUSABLE when
 * there is no image, the need is not there by this exact id, or the
 * options are of another version. */
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
	lm_match_options init = LM_MATCH_OPTIONS_INIT;
	memset(q, 0, sizeof(*q));
	q->o = init;
	q->ib = (image_blob){db, NULL, -1};
	if (opts && opts->version != LM_MATCH_OPTIONS_VERSION)
		return IMAGE_UNUSABLE;
	if (opts)
		q->o = *opts;
	if (!q->o.period) {
		if (lm_period_current(-1, q->period, sizeof(q->period)) != LM_OK)
			return IMAGE_UNUSABLE;
		q->o.period = q->period;
	}
	/* No image (no load since the schema was created or upgraded, or a
	 * trigger dropped it) is the usual reason to read the rows. */
	if (image_blob_at(&q->ib, 0) != LM_OK)
		return IMAGE_UNUSABLE;
	/* An ad-hoc query has no need; its company, when it names one, may
	 * be named by its name: then every company. */
	unsigned kinds = BIT(LM_PLACE) | BIT(LM_GARDEN) | BIT(LM_SKILL) |
	                 BIT(LM_DISTANCE);
	if (!query)
		kinds |= BIT(LM_COMPANY) | BIT(LM_NEED);
	else if (query->company)
		kinds |= BIT(LM_COMPANY);
	int rc = read_catalog_kinds(db, kinds, need_id, &q->cat);
	if (rc && rc != LM_ENOMEM)
		rc = IMAGE_UNUSABLE;
	if (!rc && q->cat->needs.n != (query ? 0u : 1u))
		rc = IMAGE_UNUSABLE;
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
		return nomem(db);
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

/* Explain one pair through the engine image: as rank_from_image, with the
 * one expert found by its id in the image. */
static int explain_from_image(lm_db *db, const char *need_id,
                              const char *expert_id,
                              const lm_match_options *opts,
                              lm_explanation **out)
{
	image_q q;
	uint32_t index = LM_NONE;
	int rc = image_q_open(db, need_id, NULL, opts, &q);
	if (!rc) {
		lmi_image_reader rd = {image_blob_size, image_blob_read, &q.ib};
		rc = image_rc(db, lmi_image_load_expert(q.cat, &rd, expert_id,
		                                       &index));
	}
	if (!rc)
		rc = image_engagements(db, q.cat, q.o.period);
	if (!rc) {
		rc = lm_explain(q.cat, need_id, expert_id, &q.o, out);
		if (rc)
			lmi_err_set(&db->err, rc, "%s", lm_catalog_errmsg(q.cat));
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
	int rc = read_catalog(db, &cat);
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
                             const char *expert_id,
                             const lm_match_options *opts,
                             lm_explanation **out)
{
	lm_catalog *cat = NULL;
	int rc = read_catalog(db, &cat);
	if (!rc) {
		rc = lm_explain(cat, need_id, expert_id, opts, out);
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

static int db_query(lm_db *db, lmi_rank_how how, const q_args *a)
{
	if (!db)
		return LM_EINVAL;
	lmi_err_clear(&db->err);
	if (!db->db)
		return lmi_err_set(&db->err, LM_EDB, "%s: the database is not open",
		                  db_name(db));
	if ((!a->query && !a->need_id) || (a->ex && !a->expert_id))
		return lmi_err_set(&db->err, LM_EINVAL, a->ex
		                  ? "a need id and an expert id are required"
		                  : "no need id given");
	/* One snapshot, as lm_db_read. */
	int rc = db_exec(db, "BEGIN", "reading");
	if (!rc) {
		rc = how == LM_RANK_ROWS ? IMAGE_UNUSABLE
		   : a->rk ? rank_from_image(db, a->need_id, a->query, a->opts,
		                             a->rk)
		           : explain_from_image(db, a->need_id, a->expert_id,
		                                a->opts, a->ex);
		if (rc == IMAGE_UNUSABLE && how == LM_RANK_IMAGE) {
			rc = lmi_err_set(&db->err, LM_ERROR, "%s: no engine image "
			                "for this question", db_name(db));
		} else if (rc == IMAGE_UNUSABLE) {
			lmi_err_clear(&db->err);
			rc = a->rk ? rank_from_rows(db, a->need_id, a->query,
			                            a->opts, a->rk)
			           : explain_from_rows(db, a->need_id, a->expert_id,
			                               a->opts, a->ex);
		}
	}
	if (!rc)
		rc = tx_commit(db);
	if (rc)
		tx_rollback(db);
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
	if (!out)
		return db ? lmi_err_set(&db->err, LM_EINVAL, "no output given")
		          : LM_EINVAL;
	*out = NULL;
	q_args a = {need_id, NULL, NULL, opts, out, NULL};
	int rc = db_query(db, how, &a);
	if (rc) {
		lm_ranking_free(*out);
		*out = NULL;
	}
	return rc;
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
	if (!out)
		return db ? lmi_err_set(&db->err, LM_EINVAL, "no output given")
		          : LM_EINVAL;
	*out = NULL;
	if (!query)
		return db ? lmi_err_set(&db->err, LM_EINVAL, "no query given")
		          : LM_EINVAL;
	q_args a = {NULL, NULL, query, opts, out, NULL};
	int rc = db_query(db, how, &a);
	if (rc) {
		lm_ranking_free(*out);
		*out = NULL;
	}
	return rc;
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
	if (!out)
		return db ? lmi_err_set(&db->err, LM_EINVAL, "no output given")
		          : LM_EINVAL;
	*out = NULL;
	q_args a = {need_id, expert_id, NULL, opts, NULL, out};
	int rc = db_query(db, how, &a);
	if (rc) {
		lm_explanation_free(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- loading --------------------------------------------------------------- */

/* The order in which kinds are written: every immediate foreign key points
 * to a kind written before it (skill parents are deferred). */
static const lm_kind write_order[] = {LM_PLACE, LM_GARDEN, LM_SKILL,
                                      LM_COMPANY, LM_EXPERT, LM_NEED};
#define N_WRITE_KINDS (sizeof(write_order) / sizeof(write_order[0]))

/* What a load's files named, copied before the merge empties the batch.
 * Every string is owned by `arena`. */
typedef struct touched {
	lmi_arena arena;
	const char **ids[LM_NEED + 1];
	bool *existed[LM_NEED + 1]; /* the id was in the database before */
	size_t n[LM_NEED + 1];
	/* The database held no record of the kind (a first load): every one
	 * of the merged catalogue is the load's and new, written in id
	 * order without ids or look-ups. */
	bool all[LM_NEED + 1];
	lmi_distance_rec *dist;
	size_t ndist;
	lmi_engagement_rec *eng;
	size_t neng;
	lmi_settings_rec settings;
} touched;

static size_t kind_count(const lm_catalog *c, lm_kind k)
{
	return lm_catalog_count(c, k);
}

static int touched_collect(lm_db *db, touched *t, const lm_catalog *b,
                           const lm_catalog *stored)
{
	lmi_arena *a = &t->arena;
	for (size_t w = 0; w < N_WRITE_KINDS; w++) {
		lm_kind k = write_order[w];
		size_t n = kind_count(b, k);
		if (!n)
			continue;
		if (kind_count(stored, k) == 0) {
			t->all[k] = true;
			continue;
		}
		t->ids[k] = lmi_arena_alloc(a, n * sizeof(*t->ids[k]));
		t->existed[k] = lmi_arena_alloc(a, n * sizeof(*t->existed[k]));
		if (!t->ids[k] || !t->existed[k])
			return nomem(db);
		for (size_t i = 0; i < n; i++) {
			t->ids[k][i] = lmi_arena_strdup(a,
			                               lmi_catalog_id(b, k, (uint32_t)i));
			if (!t->ids[k][i])
				return nomem(db);
			/* A record new to the database has no child rows to
			 * delete before its lists are written. */
			t->existed[k][i] = lmi_map_get(&stored->ids[k], t->ids[k][i],
			                              NULL);
		}
		t->n[k] = n;
	}
	if (b->distances.n) {
		t->dist = lmi_arena_alloc(a, b->distances.n * sizeof(*t->dist));
		if (!t->dist)
			return nomem(db);
		for (size_t i = 0; i < b->distances.n; i++) {
			const lmi_distance_rec *d = &b->distances.v[i];
			t->dist[i].from.id = lmi_arena_strdup(a, d->from.id);
			t->dist[i].to.id = lmi_arena_strdup(a, d->to.id);
			t->dist[i].km = d->km;
			if (!t->dist[i].from.id || !t->dist[i].to.id)
				return nomem(db);
		}
		t->ndist = b->distances.n;
	}
	if (b->engagements.n) {
		t->eng = lmi_arena_alloc(a, b->engagements.n * sizeof(*t->eng));
		if (!t->eng)
			return nomem(db);
		for (size_t i = 0; i < b->engagements.n; i++) {
			const lmi_engagement_rec *e = &b->engagements.v[i];
			t->eng[i].period = lmi_arena_strdup(a, e->period);
			t->eng[i].need.id = lmi_arena_strdup(a, e->need.id);
			t->eng[i].expert.id = lmi_arena_strdup(a, e->expert.id);
			t->eng[i].score = e->score;
			if (!t->eng[i].period || !t->eng[i].need.id ||
			    !t->eng[i].expert.id)
				return nomem(db);
		}
		t->neng = b->engagements.n;
	}
	t->settings = b->settings;
	return LM_OK;
}

/* The write statements of a load, prepared once and reused. */
enum {
	W_PLACE, W_GARDEN, W_SKILL, W_ALIAS_DEL, W_ALIAS, W_COMPANY,
	W_EXPERT, W_CONFL_DEL, W_CONFL, W_NEED, W_NSKILL_DEL, W_NSKILL,
	W_DIST_DEL, W_DIST, W_SETTING, W_ENGAGE, W_COUNT
};

/* UPSERT rather than INSERT OR REPLACE: a replace deletes the row first,
 * which would cascade to (or be refused by) the rows that refer to it. */
static const char *const write_sql[W_COUNT] = {
	[W_PLACE] = "INSERT INTO places (id, name, lat, lon) "
	            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET "
	            "name = excluded.name, lat = excluded.lat, "
	            "lon = excluded.lon",
	[W_GARDEN] = "INSERT INTO gardens (id, name, place) "
	             "VALUES (?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET "
	             "name = excluded.name, place = excluded.place",
	[W_SKILL] = "INSERT INTO skills (id, label, parent) "
	            "VALUES (?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET "
	            "label = excluded.label, parent = excluded.parent",
	[W_ALIAS_DEL] = "DELETE FROM skill_aliases WHERE skill = ?1",
	[W_ALIAS] = "INSERT INTO skill_aliases (skill, pos, alias) "
	            "VALUES (?1, ?2, ?3)",
	[W_COMPANY] = "INSERT INTO companies (id, name, place, lat, lon, "
	              "garden) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	              "ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
	              "place = excluded.place, lat = excluded.lat, "
	              "lon = excluded.lon, garden = excluded.garden",
	/* Every expert of the load in one statement (lm_load_experts);
	 * "WHERE true" keeps ON CONFLICT from being read as a join's. */
	[W_EXPERT] = "INSERT INTO experts (id, name, garden, home, home_lat, "
	             "home_lon, capacity, max_travel_km, remote, skills, "
	             "languages) SELECT * FROM lm_load_experts WHERE true "
	             "ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
	             "garden = excluded.garden, home = excluded.home, "
	             "home_lat = excluded.home_lat, "
	             "home_lon = excluded.home_lon, "
	             "capacity = excluded.capacity, "
	             "max_travel_km = excluded.max_travel_km, "
	             "remote = excluded.remote, skills = excluded.skills, "
	             "languages = excluded.languages",
	[W_CONFL_DEL] = "DELETE FROM expert_conflicts WHERE expert = ?1",
	[W_CONFL] = "INSERT INTO expert_conflicts (expert, pos, company) "
	            "VALUES (?1, ?2, ?3)",
	[W_NEED] = "INSERT INTO needs (id, company, title, mode, experts, "
	           "language, max_km) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	           "ON CONFLICT(id) DO UPDATE SET company = excluded.company, "
	           "title = excluded.title, mode = excluded.mode, "
	           "experts = excluded.experts, language = excluded.language, "
	           "max_km = excluded.max_km",
	[W_NSKILL_DEL] = "DELETE FROM need_skills WHERE need = ?1",
	[W_NSKILL] = "INSERT INTO need_skills (need, pos, skill, level, "
	             "weight, optional) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* One row per unordered pair: a re-load written the other way
	 * round replaces the old row. */
	[W_DIST_DEL] = "DELETE FROM distances WHERE (a = ?1 AND b = ?2) "
	               "OR (a = ?2 AND b = ?1)",
	[W_DIST] = "INSERT INTO distances (a, b, km) VALUES (?1, ?2, ?3)",
	[W_SETTING] = "INSERT INTO settings (key, value) VALUES (?1, ?2) "
	              "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[W_ENGAGE] = "INSERT INTO engagements (period, need, expert, score, "
	             "committed_at) VALUES (?1, ?2, ?3, ?4, "
	             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
	             "ON CONFLICT(period, need, expert) DO UPDATE SET "
	             "score = excluded.score",
};

/* A JSON string: quotes, backslashes and control characters escaped, the
 * rest (valid UTF-8, no NUL: the loader checked) as it is. */
static void json_string(lmi_buf *j, const char *s)
{
	lmi_buf_put(j, "\"", 1);
	for (const char *run = s;; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		lmi_buf_put(j, run, (size_t)(s - run));
		if (!ch)
			break;
		char esc[8];
		if (ch == '"' || ch == '\\')
			snprintf(esc, sizeof esc, "\\%c", ch);
		else
			snprintf(esc, sizeof esc, "\\u%04x", ch);
		lmi_buf_put(j, esc, strlen(esc));
		run = s + 1;
	}
	lmi_buf_put(j, "\"", 1);
}

typedef struct writer {
	lm_db *db;
	const lm_catalog *cat; /* the merged catalogue: DB + files */
	sqlite3_stmt *st[W_COUNT];
	lmi_buf skills, languages;
	lm_progress_fn progress;
	void *ctx;
	size_t done, total;
	bool existed;     /* the record being written was stored before */
	const uint32_t *experts; /* the experts to write (catalogue indices) */
	size_t nexperts;
	int halt;         /* why lm_load_experts stopped a statement */
	size_t rows_read; /* rows lm_load_experts gave */
} writer;

static int tick(writer *w)
{
	w->done++;
	if (w->progress && (w->done % LM_PROGRESS_STEP == 0 ||
	                    w->done == w->total) &&
	    !w->progress("load", w->done, w->total, w->ctx))
		return lmi_err_set(&w->db->err, LM_ERROR,
		                  "%s: load stopped by the progress callback; "
		                  "nothing was written", db_name(w->db));
	return LM_OK;
}

/* The canonical id of a resolved index; NULL for LM_NONE. */
static const char *id_of(const lm_catalog *c, lm_kind k, uint32_t ix)
{
	return ix == LM_NONE ? NULL : lmi_catalog_id(c, k, ix);
}

/* The canonical id a reference (id, name or alias) resolves to. */
static int resolve_id(writer *w, lm_kind k, const char *key, const char **out)
{
	uint32_t ix;
	*out = NULL;
	if (key && lmi_catalog_lookup(w->cat, k, key, &ix))
		*out = lmi_catalog_id(w->cat, k, ix);
	if (!*out)
		return lmi_err_set(&w->db->err, LM_ERROR,
		                  "internal error: %s reference '%s' did not "
		                  "resolve after the merge", lm_kind_name(k),
		                  key ? key : "(null)");
	return LM_OK;
}

/* Delete the child rows of a parent (statement `del`), for re-insertion. */
static int clear_children(writer *w, int del, const char *parent)
{
	int brc = SQLITE_OK;
	if (!w->existed)
		return LM_OK;
	bind_text(w->st[del], 1, parent, &brc);
	return db_run(w->db, w->st[del], brc, "replacing a record's lists");
}

static int write_place(writer *w, uint32_t i)
{
	const lmi_place_rec *p = &w->cat->places.v[i];
	sqlite3_stmt *st = w->st[W_PLACE];
	int brc = SQLITE_OK;
	bind_text(st, 1, p->id, &brc);
	bind_text(st, 2, p->name, &brc);
	bind_double(st, 3, p->lat, &brc);
	bind_double(st, 4, p->lon, &brc);
	return db_run(w->db, st, brc, "writing a place");
}

static int write_garden(writer *w, uint32_t i)
{
	const lm_catalog *c = w->cat;
	const lmi_garden_rec *g = &c->gardens.v[i];
	sqlite3_stmt *st = w->st[W_GARDEN];
	int brc = SQLITE_OK;
	bind_text(st, 1, g->id, &brc);
	bind_text(st, 2, g->name, &brc);
	bind_text(st, 3, id_of(c, LM_PLACE, c->r.garden_place[i]), &brc);
	return db_run(w->db, st, brc, "writing a garden");
}

static int write_skill(writer *w, uint32_t i)
{
	const lm_catalog *c = w->cat;
	const lmi_skill_rec *s = &c->skills.v[i];
	sqlite3_stmt *st = w->st[W_SKILL];
	int brc = SQLITE_OK;
	bind_text(st, 1, s->id, &brc);
	bind_text(st, 2, s->label, &brc);
	bind_text(st, 3, id_of(c, LM_SKILL, c->r.skill_parent[i]), &brc);
	int rc = db_run(w->db, st, brc, "writing a skill");
	if (!rc)
		rc = clear_children(w, W_ALIAS_DEL, s->id);
	for (uint32_t j = 0; !rc && j < s->n_aliases; j++) {
		st = w->st[W_ALIAS];
		brc = SQLITE_OK;
		bind_text(st, 1, s->id, &brc);
		bind_int(st, 2, j, &brc);
		bind_text(st, 3, s->aliases[j], &brc);
		rc = db_run(w->db, st, brc, "writing a skill alias");
	}
	return rc;
}

static int write_company(writer *w, uint32_t i)
{
	const lm_catalog *c = w->cat;
	const lmi_company_rec *co = &c->companies.v[i];
	sqlite3_stmt *st = w->st[W_COMPANY];
	int brc = SQLITE_OK;
	uint32_t place = c->r.company_place[i];
	bind_text(st, 1, co->id, &brc);
	bind_text(st, 2, co->name, &brc);
	bind_text(st, 3, id_of(c, LM_PLACE, place), &brc);
	if (place == LM_NONE) {
		bind_double(st, 4, co->place_lat, &brc);
		bind_double(st, 5, co->place_lon, &brc);
	} else {
		bind_null(st, 4, &brc);
		bind_null(st, 5, &brc);
	}
	bind_text(st, 6, id_of(c, LM_GARDEN, c->r.company_garden[i]), &brc);
	return db_run(w->db, st, brc, "writing a company");
}

/* Expert i's skills as a JSON object, into w->skills.  The resolved list
 * is in skill index order, which is id order (skills are sorted by id). */
static int expert_skills_json(writer *w, uint32_t i)
{
	const lm_catalog *c = w->cat;
	const lmi_resolved *r = &c->r;
	lmi_buf *j = &w->skills;
	j->n = 0;
	lmi_buf_put(j, "{", 1);
	for (uint32_t k = r->expert_skill_off[i]; k < r->expert_skill_off[i + 1];
	     k++) {
		/* Levels are 1..5 (checked by the loader and the reader):
		 * one digit. */
		char level[8] = {':', (char)('0' + r->expert_level[k])};
		size_t len = 2;
		if (r->expert_level[k] > 9)
			len = (size_t)snprintf(level, sizeof level, ":%u",
			                       r->expert_level[k]);
		if (k > r->expert_skill_off[i])
			lmi_buf_put(j, ",", 1);
		json_string(j, lmi_catalog_id(c, LM_SKILL, r->expert_skill[k]));
		lmi_buf_put(j, level, len);
	}
	lmi_buf_put(j, "}", 1);
	return j->oom ? LM_ENOMEM : LM_OK;
}

/* An expert's languages as a JSON array, into w->languages. */
static int expert_languages_json(writer *w, const lmi_expert_rec *e)
{
	lmi_buf *j = &w->languages;
	j->n = 0;
	lmi_buf_put(j, "[", 1);
	for (uint32_t k = 0; k < e->n_languages; k++) {
		if (k)
			lmi_buf_put(j, ",", 1);
		json_string(j, e->languages[k]);
	}
	lmi_buf_put(j, "]", 1);
	return j->oom ? LM_ENOMEM : LM_OK;
}

/*
 * Experts are written by one INSERT ... SELECT from lm_load_experts, an
 * eponymous virtual table over the writer's list (w->experts): a
 * statement per expert costs SQLite a cursor opened and a B-tree searched
 * from its root for each row, which was half the time of writing 100,000
 * experts.  Outside a load the table is empty.
 */
typedef struct load_vtab {
	sqlite3_vtab base;
	lm_db *db;
} load_vtab;

typedef struct load_cursor {
	sqlite3_vtab_cursor base;
	writer *w;
	size_t i;
} load_cursor;

static int load_connect(sqlite3 *db, void *aux, int argc,
                        const char *const *argv, sqlite3_vtab **out,
                        char **err)
{
	(void)argc;
	(void)argv;
	(void)err;
	int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(id, name, garden, "
	                              "home, home_lat, home_lon, capacity, "
	                              "max_travel_km, remote, skills, "
	                              "languages)");
	/* Only libmatch's own statement, never a trigger or view. */
	if (rc == SQLITE_OK)
		rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
	if (rc != SQLITE_OK)
		return rc;
	load_vtab *vt = sqlite3_malloc(sizeof(*vt));
	if (!vt)
		return SQLITE_NOMEM;
	memset(vt, 0, sizeof(*vt));
	vt->db = aux;
	*out = &vt->base;
	return SQLITE_OK;
}

static int load_disconnect(sqlite3_vtab *vt)
{
	sqlite3_free(vt);
	return SQLITE_OK;
}

static int load_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	(void)vt;
	info->estimatedCost = 1e6;
	return SQLITE_OK;
}

static int load_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	(void)vt;
	load_cursor *c = sqlite3_malloc(sizeof(*c));
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	*out = &c->base;
	return SQLITE_OK;
}

static int load_close(sqlite3_vtab_cursor *cur)
{
	sqlite3_free(cur);
	return SQLITE_OK;
}

static int load_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs,
                       int argc, sqlite3_value **argv)
{
	(void)idx;
	(void)idxs;
	(void)argc;
	(void)argv;
	load_cursor *c = (load_cursor *)cur;
	c->w = ((load_vtab *)cur->pVtab)->db->loading;
	c->i = 0;
	return SQLITE_OK;
}

static int load_eof(sqlite3_vtab_cursor *cur)
{
	load_cursor *c = (load_cursor *)cur;
	return !c->w || c->i >= c->w->nexperts;
}

/* After each expert: the progress callback may stop the load. */
static int load_next(sqlite3_vtab_cursor *cur)
{
	load_cursor *c = (load_cursor *)cur;
	c->i++;
	c->w->rows_read++;
	int rc = tick(c->w);
	if (rc == LM_OK)
		return SQLITE_OK;
	c->w->halt = rc;
	return SQLITE_ABORT;
}

static int load_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
	*out = (sqlite3_int64)((load_cursor *)cur)->i;
	return SQLITE_OK;
}

static void result_text(sqlite3_context *ctx, const char *s)
{
	if (s)
		sqlite3_result_text(ctx, s, -1, SQLITE_STATIC);
	else
		sqlite3_result_null(ctx);
}

/* Column `col` of the current expert; values not given stay NULL, and
 * the default applies when read. */
static int load_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx,
                       int col)
{
	load_cursor *c = (load_cursor *)cur;
	writer *w = c->w;
	const lm_catalog *cat = w->cat;
	const lmi_resolved *r = &cat->r;
	uint32_t i = w->experts[c->i];
	const lmi_expert_rec *e = &cat->experts.v[i];
	bool coords = r->expert_home[i] == LM_NONE;
	switch (col) {
	case 0: result_text(ctx, e->id); break;
	case 1: result_text(ctx, e->name); break;
	case 2: result_text(ctx, id_of(cat, LM_GARDEN, r->expert_garden[i]));
		break;
	case 3: result_text(ctx, id_of(cat, LM_PLACE, r->expert_home[i]));
		break;
	case 4:
	case 5:
		if (coords)
			sqlite3_result_double(ctx, col == 4 ? e->home_lat
			                                    : e->home_lon);
		else
			sqlite3_result_null(ctx);
		break;
	case 6:
		if (e->capacity >= 0)
			sqlite3_result_int64(ctx, e->capacity);
		else
			sqlite3_result_null(ctx);
		break;
	case 7:
		if (e->max_travel_km >= 0)
			sqlite3_result_double(ctx, e->max_travel_km);
		else
			sqlite3_result_null(ctx);
		break;
	case 8:
		if (e->remote >= 0)
			sqlite3_result_int(ctx, e->remote != 0);
		else
			sqlite3_result_null(ctx);
		break;
	/* Skills from the resolved layer (canonical ids, one per skill)
	 * and languages as given, as JSON (store_schema.h, version 3). */
	case 9:
		if (expert_skills_json(w, i) != LM_OK) {
			sqlite3_result_error_nomem(ctx);
			break;
		}
		sqlite3_result_text(ctx, w->skills.v, (int)w->skills.n,
		                    SQLITE_TRANSIENT);
		break;
	case 10:
		if (!e->n_languages) {
			sqlite3_result_null(ctx);
		} else if (expert_languages_json(w, e) != LM_OK) {
			sqlite3_result_error_nomem(ctx);
		} else {
			sqlite3_result_text(ctx, w->languages.v,
			                    (int)w->languages.n, SQLITE_TRANSIENT);
		}
		break;
	default:
		sqlite3_result_null(ctx);
	}
	return SQLITE_OK;
}

/* Eponymous-only (no xCreate): usable as lm_load_experts in a FROM. */
static const sqlite3_module load_module = {
	.iVersion = 1,
	.xConnect = load_connect,
	.xBestIndex = load_best_index,
	.xDisconnect = load_disconnect,
	.xOpen = load_open,
	.xClose = load_close,
	.xFilter = load_filter,
	.xNext = load_next,
	.xEof = load_eof,
	.xColumn = load_column,
	.xRowid = load_rowid,
};

/* Experts w->experts (the `existed` ones were stored before), then each
 * one's conflicts, which replace those it had. */
static int write_experts(writer *w, const bool *existed)
{
	const lm_catalog *c = w->cat;
	const lmi_resolved *r = &c->r;
	int rc = LM_OK;
	if (w->nexperts) {
		w->db->loading = w;
		w->halt = LM_OK;
		w->rows_read = 0;
		int src = sqlite3_step(w->st[W_EXPERT]);
		w->db->loading = NULL;
		if (w->halt)
			rc = w->halt; /* the message is the progress callback's */
		else if (src != SQLITE_DONE)
			rc = db_fail(w->db, src, "writing experts");
		else if (w->rows_read != w->nexperts)
			/* Not the virtual table's rows: something of that name
			 * in the database (lm_db_load refuses one first). */
			rc = lmi_err_set(&w->db->err, LM_EDB, "%s: writing "
			                "experts: %zu of %zu were written",
			                db_name(w->db), w->rows_read,
			                w->nexperts);
		sqlite3_reset(w->st[W_EXPERT]);
	}
	for (size_t n = 0; !rc && n < w->nexperts; n++) {
		uint32_t i = w->experts[n];
		const char *id = c->experts.v[i].id;
		w->existed = existed && existed[n];
		rc = clear_children(w, W_CONFL_DEL, id);
		for (uint32_t k = r->expert_conflict_off[i];
		     !rc && k < r->expert_conflict_off[i + 1]; k++) {
			sqlite3_stmt *st = w->st[W_CONFL];
			int brc = SQLITE_OK;
			bind_text(st, 1, id, &brc);
			bind_int(st, 2, k - r->expert_conflict_off[i], &brc);
			bind_text(st, 3, id_of(c, LM_COMPANY,
			                       r->expert_conflict[k]), &brc);
			rc = db_run(w->db, st, brc,
			            "writing an expert's conflict");
		}
	}
	return rc;
}

static int write_need(writer *w, uint32_t i)
{
	const lm_catalog *c = w->cat;
	const lmi_resolved *r = &c->r;
	const lmi_need_rec *n = &c->needs.v[i];
	sqlite3_stmt *st = w->st[W_NEED];
	int brc = SQLITE_OK;
	bind_text(st, 1, n->id, &brc);
	bind_text(st, 2, id_of(c, LM_COMPANY, r->need_company[i]), &brc);
	bind_text(st, 3, n->title, &brc);
	bind_text(st, 4, lm_mode_name(n->mode), &brc);
	bind_int(st, 5, n->experts, &brc);
	bind_text(st, 6, n->language, &brc);
	if (n->max_km > 0)
		bind_double(st, 7, n->max_km, &brc);
	else
		bind_null(st, 7, &brc);
	int rc = db_run(w->db, st, brc, "writing a need");
	if (!rc)
		rc = clear_children(w, W_NSKILL_DEL, n->id);
	/* The resolved list keeps the record's order. */
	for (uint32_t k = r->need_skill_off[i];
	     !rc && k < r->need_skill_off[i + 1]; k++) {
		st = w->st[W_NSKILL];
		brc = SQLITE_OK;
		bind_text(st, 1, n->id, &brc);
		bind_int(st, 2, k - r->need_skill_off[i], &brc);
		bind_text(st, 3, id_of(c, LM_SKILL, r->need_skill[k]), &brc);
		bind_int(st, 4, r->need_level[k], &brc);
		bind_double(st, 5, r->need_weight[k], &brc);
		bind_int(st, 6, r->need_optional[k] ? 1 : 0, &brc);
		rc = db_run(w->db, st, brc, "writing a need's skill");
	}
	return rc;
}

/* Record i of kind k of the merged catalogue. */
static int write_record(writer *w, lm_kind k, uint32_t i)
{
	switch (k) {
	case LM_PLACE: return write_place(w, i);
	case LM_GARDEN: return write_garden(w, i);
	case LM_SKILL: return write_skill(w, i);
	case LM_COMPANY: return write_company(w, i);
	case LM_NEED: return write_need(w, i);
	default: return LM_ERROR;
	}
}

/* The merged catalogue's index of the i-th record of kind k the load
 * writes: i itself on a first load (touched.all), else its id's. */
static int touched_index(writer *w, const touched *t, lm_kind k, size_t i,
                         uint32_t *at)
{
	*at = (uint32_t)i;
	if (t->all[k] || lmi_map_get(&w->cat->ids[k], t->ids[k][i], at))
		return LM_OK;
	return lmi_err_set(&w->db->err, LM_ERROR, "internal error: %s '%s' is "
	                  "missing after the merge", lm_kind_name(k),
	                  t->ids[k][i]);
}

/* The n experts of the load, in one statement (write_experts). */
static int write_touched_experts(writer *w, const touched *t, size_t n)
{
	uint32_t *ix = n ? malloc(n * sizeof(*ix)) : NULL;
	if (n && !ix)
		return nomem(w->db);
	int rc = LM_OK;
	for (size_t i = 0; !rc && i < n; i++)
		rc = touched_index(w, t, LM_EXPERT, i, &ix[i]);
	w->experts = ix;
	w->nexperts = n;
	if (!rc)
		rc = write_experts(w, t->all[LM_EXPERT] ? NULL
		                                       : t->existed[LM_EXPERT]);
	w->experts = NULL;
	w->nexperts = 0;
	free(ix);
	return rc;
}

static int write_touched(writer *w, const touched *t)
{
	int rc = LM_OK;
	for (size_t k = 0; k <= LM_NEED; k++)
		w->total += t->all[k] ? kind_count(w->cat, (lm_kind)k) : t->n[k];
	w->total += t->ndist + t->neng;
	if (w->progress && !w->progress("load", 0, w->total, w->ctx))
		return lmi_err_set(&w->db->err, LM_ERROR,
		                  "%s: load stopped by the progress callback; "
		                  "nothing was written", db_name(w->db));

	for (size_t o = 0; !rc && o < N_WRITE_KINDS; o++) {
		lm_kind k = write_order[o];
		size_t n = t->all[k] ? kind_count(w->cat, k) : t->n[k];
		if (k == LM_EXPERT) {
			rc = write_touched_experts(w, t, n);
			continue;
		}
		for (size_t i = 0; !rc && i < n; i++) {
			uint32_t at;
			w->existed = !t->all[k] && t->existed[k][i];
			rc = touched_index(w, t, k, i, &at);
			if (!rc)
				rc = write_record(w, k, at);
			if (!rc)
				rc = tick(w);
		}
	}
	for (size_t i = 0; !rc && i < t->ndist; i++) {
		const char *a, *b;
		int brc = SQLITE_OK;
		rc = resolve_id(w, LM_PLACE, t->dist[i].from.id, &a);
		if (!rc)
			rc = resolve_id(w, LM_PLACE, t->dist[i].to.id, &b);
		if (rc)
			break;
		bind_text(w->st[W_DIST_DEL], 1, a, &brc);
		bind_text(w->st[W_DIST_DEL], 2, b, &brc);
		rc = db_run(w->db, w->st[W_DIST_DEL], brc, "writing a distance");
		brc = SQLITE_OK;
		bind_text(w->st[W_DIST], 1, a, &brc);
		bind_text(w->st[W_DIST], 2, b, &brc);
		bind_double(w->st[W_DIST], 3, t->dist[i].km, &brc);
		if (!rc)
			rc = db_run(w->db, w->st[W_DIST], brc,
			            "writing a distance");
		if (!rc)
			rc = tick(w);
	}
	for (int k = 0; !rc && k < LM_SET_COUNT; k++) {
		if (!(t->settings.set & (1u << k)))
			continue;
		lm_settings v = t->settings.v;
		double value = k == LM_SET_DEFAULT_CAPACITY
			? (double)v.default_capacity : *lmi_settings_field(&v, k);
		int brc = SQLITE_OK;
		bind_text(w->st[W_SETTING], 1, lmi_settings_keys[k], &brc);
		bind_double(w->st[W_SETTING], 2, value, &brc);
		rc = db_run(w->db, w->st[W_SETTING], brc, "writing a setting");
	}
	for (size_t i = 0; !rc && i < t->neng; i++) {
		const char *need, *expert;
		int brc = SQLITE_OK;
		rc = resolve_id(w, LM_NEED, t->eng[i].need.id, &need);
		if (!rc)
			rc = resolve_id(w, LM_EXPERT, t->eng[i].expert.id, &expert);
		if (rc)
			break;
		sqlite3_stmt *st = w->st[W_ENGAGE];
		bind_text(st, 1, t->eng[i].period, &brc);
		bind_text(st, 2, need, &brc);
		bind_text(st, 3, expert, &brc);
		bind_double(st, 4, t->eng[i].score, &brc);
		rc = db_run(w->db, st, brc, "writing an engagement");
		if (!rc)
			rc = tick(w);
	}
	return rc;
}

/* Replace the engine image with `parts`, which lmi_image_build() returned
 * `built` for: one row per part (image.h).  The parts are freed. */
static int image_write(lm_db *db, int built, lmi_image_parts *parts)
{
	sqlite3_stmt *st = NULL;
	int rc = db_exec(db, "DELETE FROM engine_image",
	                 "writing the engine image");
	if (!rc && built == LM_ENOMEM)
		rc = nomem(db);
	/* Beyond 32-bit offsets there is no image, and rankings read the
	 * rows. */
	if (!rc && built == LM_OK)
		rc = db_prepare(db, "INSERT INTO engine_image (part, data) "
		                "VALUES (?1, ?2)", &st);
	int limit = sqlite3_limit(db->db, SQLITE_LIMIT_LENGTH, -1);
	for (size_t i = 0; !rc && built == LM_OK && i < parts->n; i++) {
		/* A part beyond SQLite's largest value (1 GB by default;
		 * the row around it needs a few bytes more): no image
		 * either. */
		if (parts->len[i] > (size_t)limit - 1024) {
			rc = db_exec(db, "DELETE FROM engine_image",
			             "writing the engine image");
			break;
		}
		int brc = sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
		/* An empty part is an empty blob, not NULL. */
		if (brc == SQLITE_OK)
			brc = parts->len[i]
				? sqlite3_bind_blob64(st, 2, parts->data[i],
				                      parts->len[i], SQLITE_STATIC)
				: sqlite3_bind_zeroblob(st, 2, 0);
		rc = db_run(db, st, brc, "writing the engine image");
	}
	sqlite3_finalize(st);
	lmi_image_parts_free(parts);
	return rc;
}

/* Replace the engine image with one of `cat`. */
static int image_store(lm_db *db, lm_catalog *cat)
{
	lmi_image_parts parts;
	memset(&parts, 0, sizeof(parts));
	return image_write(db, lmi_image_build(cat, &parts), &parts);
}

/*
 * A load builds the engine image on a second thread while it writes the
 * rows.  Both only read the merged catalogue, with two exceptions that do
 * not meet: the builder adds the candidate index (cat->r.cand), which
 * writing never reads, and the writer's look-ups of distances and
 * engagements may add names to the folded maps, which the builder never
 * reads.  If no thread can be started the image is built after the rows;
 * if the rows fail, the builder is told to give up.
 */
typedef struct image_job {
	lm_catalog *cat;
	lmi_image_parts parts;
	int built;               /* lmi_image_build()'s result */
	atomic_bool stop;        /* the load failed: give up */
	pthread_t thread;
	bool started;
} image_job;

static void *image_job_run(void *arg)
{
	image_job *j = arg;
	j->built = lmi_image_build_until(j->cat, &j->stop, &j->parts);
	return NULL;
}

static void image_job_start(image_job *j, lm_catalog *cat)
{
	memset(j, 0, sizeof(*j));
	atomic_init(&j->stop, false);
	j->cat = cat;
	j->started = pthread_create(&j->thread, NULL, image_job_run, j) == 0;
}

/* Wait for the job (asking it to give up if it is not `wanted`);
 * without a thread, do it now if it is wanted. */
static void image_job_finish(image_job *j, bool wanted)
{
	if (!wanted)
		atomic_store(&j->stop, true);
	if (j->started)
		pthread_join(j->thread, NULL);
	else if (j->cat && wanted)
		image_job_run(j);
	j->started = false;
	j->cat = NULL;
}

int lm_db_load(lm_db *db, const char *const *paths, size_t npaths,
               lm_progress_fn progress, void *progress_ctx)
{
	if (!db)
		return LM_EINVAL;
	lmi_err_clear(&db->err);
	if (!paths && npaths)
		return lmi_err_set(&db->err, LM_EINVAL, "no paths given");
	if (!db->db)
		return lmi_err_set(&db->err, LM_EDB, "%s: the database is not open",
		                  db_name(db));

	lm_catalog *cat = NULL, *batch = NULL;
	touched t;
	writer w;
	image_job job;
	memset(&t, 0, sizeof(t));
	memset(&w, 0, sizeof(w));
	memset(&job, 0, sizeof(job));
	atomic_init(&job.stop, false);
	w.db = db;
	w.progress = progress;
	w.ctx = progress_ctx;

	/* The write lock first: the catalogue read below is what the files
	 * are validated against, and nobody may change it before COMMIT. */
	/* The merge below checks every reference against the files and what
	 * the database holds, inside this write transaction, so SQLite's own
	 * foreign-key checks would only repeat it, at a cost of an index
	 * probe per reference (millions for a national load).  The pragma
	 * works only outside a transaction; it is switched on again below. */
	int rc = db_exec(db, "PRAGMA foreign_keys = OFF", "loading");
	if (!rc)
		rc = tx_begin_write(db);
	/* A bulk load touches many index pages: with the default 2 MB page
	 * cache SQLite would spill dirty pages to the WAL before COMMIT and
	 * re-read them.  64 MB for the load, the default again after. */
	if (!rc)
		rc = db_exec(db, "PRAGMA cache_size = -65536", "loading");
	/* A database of an older schema gets the current one first. */
	long long version = 0;
	if (!rc)
		rc = db_query_int(db, "PRAGMA user_version", "loading", &version);
	if (!rc && version < LM_DB_SCHEMA_VERSION)
		rc = schema_upgrade(db, version, false);
	/* The image is written again below; its triggers would otherwise
	 * run once per row written. */
	if (!rc)
		rc = image_triggers(db, false);
	if (!rc)
		rc = read_catalog(db, &cat);
	if (rc)
		goto cleanup;
	if (lm_catalog_new(&batch) != LM_OK) {
		rc = nomem(db);
		goto cleanup;
	}
	rc = lmi_yaml_parse_paths(batch, paths, npaths, &db->err);
	if (!rc)
		rc = touched_collect(db, &t, batch, cat);
	if (!rc)
		rc = lmi_catalog_merge(cat, batch, &db->err);
	if (rc)
		goto cleanup;

	w.cat = cat;
	if (!db->module) {
		int src = sqlite3_create_module_v2(db->db, "lm_load_experts",
		                                   &load_module, db, NULL);
		if (src != SQLITE_OK)
			rc = db_fail(db, src, "loading");
		db->module = !rc;
	}
	/* A table or view of that name would be read instead of it. */
	long long shadow = 0;
	if (!rc)
		rc = db_query_int(db, "SELECT count(*) FROM sqlite_master WHERE "
		                  "name = 'lm_load_experts' COLLATE NOCASE",
		                  "loading", &shadow);
	if (!rc && shadow)
		rc = lmi_err_set(&db->err, LM_EDB, "%s: the database has an "
		                "object named 'lm_load_experts', a name libmatch "
		                "uses for loading; rename or drop it",
		                db_name(db));
	if (rc)
		goto cleanup;
	image_job_start(&job, cat);
	for (int i = 0; !rc && i < W_COUNT; i++)
		rc = db_prepare(db, write_sql[i], &w.st[i]);
	if (!rc)
		rc = write_touched(&w, &t);
	image_job_finish(&job, !rc);
	if (!rc)
		rc = image_write(db, job.built, &job.parts);
	if (!rc)
		rc = image_triggers(db, true);
	if (!rc)
		rc = tx_commit(db);

cleanup:
	image_job_finish(&job, false);
	lmi_image_parts_free(&job.parts);
	for (int i = 0; i < W_COUNT; i++)
		sqlite3_finalize(w.st[i]);
	lmi_buf_free(&w.skills);
	lmi_buf_free(&w.languages);
	if (rc)
		tx_rollback(db);
	if (db->db) {
		/* After COMMIT the load has happened whatever this says: a
		 * failure here must not turn it into a reported failure.  The
		 * next write switches the foreign keys on again first. */
		sqlite3_exec(db->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
		db->fk_off = sqlite3_exec(db->db, "PRAGMA foreign_keys = ON", NULL,
		                          NULL, NULL) != SQLITE_OK;
	}
	lmi_arena_free(&t.arena);
	lm_catalog_free(batch);
	lm_catalog_free(cat);
	return rc;
}

/* ---- engagements ------------------------------------------------------------ */

/* The statements of a commit's re-check, finalized together. */
enum {
	C_DEFAULT_CAP, C_EXPERT, C_NEED, C_EXPERT_COUNT, C_NEED_COUNT,
	C_PAIR, C_INSERT, C_COUNT
};

static const char *const commit_sql[C_COUNT] = {
	[C_DEFAULT_CAP] = "SELECT value FROM settings "
	                  "WHERE key = 'default_capacity'",
	[C_EXPERT] = "SELECT capacity FROM experts WHERE id = ?1",
	[C_NEED] = "SELECT experts FROM needs WHERE id = ?1",
	[C_EXPERT_COUNT] = "SELECT count(*) FROM engagements "
	                   "WHERE period = ?1 AND expert = ?2",
	[C_NEED_COUNT] = "SELECT count(*) FROM engagements "
	                 "WHERE period = ?1 AND need = ?2",
	[C_PAIR] = "SELECT 1 FROM engagements "
	           "WHERE period = ?1 AND need = ?2 AND expert = ?3",
	[C_INSERT] = "INSERT INTO engagements (period, need, expert, score, "
	             "committed_at) VALUES (?1, ?2, ?3, ?4, "
	             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
};

/* Run a query bound to up to three texts; *row says if it returned one,
 * and then *value (if given) is column 0, *null whether that was NULL.
 * The statement is reset before returning. */
static int query_row(lm_db *db, sqlite3_stmt *st, const char *a,
                     const char *b, const char *c, bool *row,
                     long long *value, bool *null)
{
	int brc = SQLITE_OK;
	int n = sqlite3_bind_parameter_count(st);
	if (n >= 1)
		bind_text(st, 1, a, &brc);
	if (n >= 2)
		bind_text(st, 2, b, &brc);
	if (n >= 3)
		bind_text(st, 3, c, &brc);
	int rc = brc == SQLITE_OK ? LM_OK : db_fail(db, brc, "checking a plan");
	if (!rc)
		rc = db_step(db, st, "checking a plan", row);
	if (!rc && *row) {
		if (null)
			*null = col_null(st, 0);
		if (value)
			*value = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

/* Check one assignment against what is committed so far in this
 * transaction (including the plan's earlier assignments). */
static int commit_check(lm_db *db, sqlite3_stmt **st, const char *period,
                        const lm_assignment *as, long long default_cap)
{
	bool row, null = false;
	long long v = 0, used = 0;
	int rc = query_row(db, st[C_PAIR], period, as->need, as->expert, &row,
	                   NULL, NULL);
	if (rc)
		return rc;
	if (row)
		return lmi_err_set(&db->err, LM_ECONFLICT,
		                  "%s: expert '%s' is already engaged on need '%s' "
		                  "in %s; nothing was committed", db_name(db),
		                  as->expert, as->need, period);

	rc = query_row(db, st[C_EXPERT], as->expert, NULL, NULL, &row, &v, &null);
	if (rc)
		return rc;
	if (!row)
		return lmi_err_set(&db->err, LM_ENOTFOUND,
		                  "%s: unknown expert '%s'; nothing was committed",
		                  db_name(db), as->expert);
	long long cap = null ? default_cap : v;
	rc = query_row(db, st[C_EXPERT_COUNT], period, as->expert, NULL, &row,
	               &used, NULL);
	if (rc)
		return rc;
	if (used + 1 > cap)
		return lmi_err_set(&db->err, LM_ECONFLICT,
		                  "%s: expert '%s' would have %lld engagements in "
		                  "%s but has capacity %lld (another commit came "
		                  "first?); nothing was committed", db_name(db),
		                  as->expert, used + 1, period, cap);

	rc = query_row(db, st[C_NEED], as->need, NULL, NULL, &row, &v, &null);
	if (rc)
		return rc;
	if (!row)
		return lmi_err_set(&db->err, LM_ENOTFOUND,
		                  "%s: unknown need '%s'; nothing was committed",
		                  db_name(db), as->need);
	long long want = null ? 1 : v;
	rc = query_row(db, st[C_NEED_COUNT], period, as->need, NULL, &row,
	               &used, NULL);
	if (rc)
		return rc;
	if (used + 1 > want)
		return lmi_err_set(&db->err, LM_ECONFLICT,
		                  "%s: need '%s' would have %lld experts in %s but "
		                  "asks for %lld (another commit came first?); "
		                  "nothing was committed", db_name(db), as->need,
		                  used + 1, period, want);
	return LM_OK;
}

int lm_db_commit_plan(lm_db *db, const lm_plan *plan, size_t *committed)
{
	if (committed)
		*committed = 0;
	if (!db)
		return LM_EINVAL;
	lmi_err_clear(&db->err);
	const char *period = plan ? lm_plan_period(plan) : NULL;
	if (!period)
		return lmi_err_set(&db->err, LM_EINVAL, "no plan (or no period) "
		                  "given");
	if (!db->db)
		return lmi_err_set(&db->err, LM_EDB, "%s: the database is not open",
		                  db_name(db));

	sqlite3_stmt *st[C_COUNT] = {0};
	size_t n = lm_plan_assignment_count(plan), done = 0;
	long long default_cap = 2;
	bool row, null = false;
	int rc = fk_on(db);
	if (!rc)
		rc = tx_begin_write(db);
	for (int i = 0; !rc && i < C_COUNT; i++)
		rc = db_prepare(db, commit_sql[i], &st[i]);
	if (!rc) {
		long long v = 0;
		rc = query_row(db, st[C_DEFAULT_CAP], NULL, NULL, NULL, &row, &v,
		               &null);
		if (!rc && row && !null)
			default_cap = v;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		const lm_assignment *as = lm_plan_assignment(plan, i);
		if (!as || !as->need || !as->expert) {
			rc = lmi_err_set(&db->err, LM_EINVAL,
			                "plan assignment %zu is empty", i);
			break;
		}
		/* Insert as we go, so that the counts of later checks include
		 * the plan's own earlier assignments. */
		rc = commit_check(db, st, period, as, default_cap);
		if (rc)
			break;
		int brc = SQLITE_OK;
		bind_text(st[C_INSERT], 1, period, &brc);
		bind_text(st[C_INSERT], 2, as->need, &brc);
		bind_text(st[C_INSERT], 3, as->expert, &brc);
		bind_double(st[C_INSERT], 4, as->score, &brc);
		rc = db_run(db, st[C_INSERT], brc, "recording an engagement");
		if (!rc)
			done++;
	}
	if (!rc)
		rc = tx_commit(db);
	for (int i = 0; i < C_COUNT; i++)
		sqlite3_finalize(st[i]);
	if (rc) {
		tx_rollback(db);
		done = 0;
	}
	if (committed)
		*committed = done;
	return rc;
}

int lm_db_release(lm_db *db, const char *period, const char *need_id,
                  const char *expert_id, size_t *released)
{
	if (released)
		*released = 0;
	if (!db)
		return LM_EINVAL;
	lmi_err_clear(&db->err);
	if (!period || !need_id)
		return lmi_err_set(&db->err, LM_EINVAL,
		                  "a period and a need id are required");
	if (!db->db)
		return lmi_err_set(&db->err, LM_EDB, "%s: the database is not open",
		                  db_name(db));

	sqlite3_stmt *st = NULL;
	int brc = SQLITE_OK;
	/* One statement is atomic on its own: no explicit transaction. */
	int rc = fk_on(db);
	if (!rc)
		rc = db_prepare(db, "DELETE FROM engagements WHERE period = ?1 "
		                    "AND need = ?2 AND (?3 IS NULL OR expert = ?3)",
		                &st);
	if (!rc) {
		bind_text(st, 1, period, &brc);
		bind_text(st, 2, need_id, &brc);
		bind_text(st, 3, expert_id, &brc);
		rc = db_run(db, st, brc, "releasing engagements");
	}
	size_t n = rc ? 0 : (size_t)sqlite3_changes(db->db);
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (released)
		*released = n;
	if (n == 0) {
		if (expert_id)
			return lmi_err_set(&db->err, LM_ENOTFOUND,
			                  "%s: expert '%s' has no engagement on need "
			                  "'%s' in %s", db_name(db), expert_id,
			                  need_id, period);
		return lmi_err_set(&db->err, LM_ENOTFOUND,
		                  "%s: need '%s' has no engagements in %s",
		                  db_name(db), need_id, period);
	}
	return LM_OK;
}
