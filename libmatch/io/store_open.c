/* SPDX-License-Identifier: MIT */
/*
 * store_open.c -- opening a libmatch database: the file checked before
 * SQLite sees it, the connection's settings (foreign keys, WAL, the busy
 * timeout), the database recognised by its application id and schema
 * version, and an empty or older one created or upgraded, step by step,
 * from the constants of store_schema.h; closing it, and its last error.
 *
 * Nothing is changed in a file before it is recognised: another
 * application's database given by mistake stays as it was.
 */
#include "io/store.h"
#include "io/store_schema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LM_SQLITE_MIN 3040000  /* the oldest SQLite tested (Debian 12's) */
#define LM_SQLITE_MIN_TEXT "3.40"

#define STR_(x) #x
#define STR(x) STR_(x)

int lmi_db_image_triggers(lm_db *db, bool create)
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
		rc = lmi_db_exec(db, sql, "updating the engine image");
	}
	return rc;
}

int lmi_db_image_triggers_present(lm_db *db, bool *all)
{
	sqlite3_stmt *st = NULL;
	bool row = false;
	size_t n = sizeof(lmi_image_triggers) / sizeof(lmi_image_triggers[0]);
	*all = true;
	int rc = lmi_db_prepare(db, "SELECT 1 FROM sqlite_master WHERE type = "
	                        "'trigger' AND name = ?1 AND tbl_name = ?2",
	                        &st);
	for (size_t i = 0; !rc && *all && i < n; i++) {
		int brc = SQLITE_OK;
		lmi_bind_text(st, 1, lmi_image_triggers[i][0], &brc);
		lmi_bind_text(st, 2, lmi_image_triggers[i][1], &brc);
		rc = brc == SQLITE_OK ? lmi_db_step(db, st, "reading", &row)
		                      : lmi_db_fail(db, brc, "reading");
		*all = !rc && row;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Create the schema in an empty database (version 0), or upgrade an older
 * one, step by step.  The caller holds the write transaction.  With
 * `image`, an upgraded database gets its engine image at once (when its
 * rows read back; otherwise the next load writes it). */
static int schema_upgrade(lm_db *db, long long version, bool image)
{
	/* The image's triggers would run for every row the steps change. */
	int rc = lmi_db_image_triggers(db, false);
	for (size_t i = 0; !rc && version < 1 && lmi_schema_v1[i]; i++)
		rc = lmi_db_exec(db, lmi_schema_v1[i], "creating the schema");
	for (size_t i = 0; !rc && version < 2 && lmi_schema_v2[i]; i++)
		rc = lmi_db_exec(db, lmi_schema_v2[i], "upgrading the schema");
	for (size_t i = 0; !rc && version < 3 && lmi_schema_v3[i]; i++)
		rc = lmi_db_exec(db, lmi_schema_v3[i], "upgrading the schema");
	for (size_t i = 0; !rc && version < 4 && lmi_schema_v4[i]; i++)
		rc = lmi_db_exec(db, lmi_schema_v4[i], "upgrading the schema");
	/* Version 2's triggers on the tables version 3 drops went with
	 * them. */
	if (!rc)
		rc = lmi_db_image_triggers(db, true);
	if (!rc)
		rc = lmi_db_exec(db, "PRAGMA user_version = "
		                 STR(LM_DB_SCHEMA_VERSION), "creating the schema");
	/* The image of an older version is gone or stale. */
	if (!rc && image && version >= 1) {
		lm_catalog *cat = NULL;
		if (lmi_db_read_catalog(db, &cat) == LM_OK)
			rc = lmi_db_image_store(db, cat);
		else
			lmi_err_clear(&db->err);
		lm_catalog_free(cat);
	}
	if (!rc)
		rc = lmi_db_exec(db, "PRAGMA application_id = "
		                 STR(LM_DB_APPLICATION_ID), "creating the schema");
	return rc;
}

int lmi_db_schema_current(lm_db *db)
{
	long long version = 0;
	int rc = lmi_db_query_int(db, "PRAGMA user_version", "loading",
	                          &version);
	if (!rc && version < LM_DB_SCHEMA_VERSION)
		rc = schema_upgrade(db, version, false);
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
	int rc = create ? lmi_tx_begin_write(db) : LM_OK;
	if (!rc)
		rc = lmi_db_query_int(db, "PRAGMA user_version", "opening",
		                      &version);
	if (!rc)
		rc = lmi_db_query_int(db, "PRAGMA application_id", "opening",
		                      &app);
	if (!rc)
		rc = lmi_db_query_int(db, "SELECT count(*) FROM sqlite_master",
		                      "opening", &objects);
	if (rc)
		goto cleanup;

	bool fresh = (app == 0 || app == LM_DB_APPLICATION_ID) && version == 0 &&
	             objects == 0;
	if (!fresh && app != LM_DB_APPLICATION_ID) {
		rc = lmi_err_set(&db->err, LM_EDB,
		                "%s: not a libmatch database (it holds other "
		                "data)", lmi_db_name(db));
		goto cleanup;
	}
	/* Version 0 is a database that has no schema yet: with tables, ours
	 * by its id, it lost its version (a hand edit, a damaged header),
	 * and creating the schema over it could only fail half-way. */
	if (version == 0 && objects > 0) {
		rc = lmi_err_set(&db->err, LM_EDB,
		                "%s: a damaged libmatch database: it has tables "
		                "but no schema version (user_version 0); restore "
		                "it from a backup, or load the profiles into a new "
		                "database", lmi_db_name(db));
		goto cleanup;
	}
	if (version > LM_DB_SCHEMA_VERSION) {
		rc = lmi_err_set(&db->err, LM_EDB,
		                "%s: database schema version %lld is newer than "
		                "this libmatch (%d)", lmi_db_name(db), version,
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
			                        "init' to upgrade it", lmi_db_name(db));
			goto cleanup;
		}
		/* An empty database is created; version 1 gets the engine
		 * image's table (the next load fills it). */
		rc = schema_upgrade(db, version, true);
		if (rc)
			goto cleanup;
	}
	if (create)
		rc = lmi_tx_commit(db);

cleanup:
	if (rc)
		lmi_tx_rollback(db);
	return rc;
}

int lmi_db_fk_on(lm_db *db)
{
	if (!db->fk_off)
		return LM_OK;
	int rc = lmi_db_exec(db, "PRAGMA foreign_keys = ON", "writing");
	if (!rc)
		db->fk_off = false;
	return rc;
}

/* Switching a new database to WAL takes an exclusive lock, and SQLite
 * gives up at once, without the busy handler, when two connections would
 * deadlock waiting for it (several processes creating one database
 * together).  Retry for up to the busy timeout instead. */
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
	return rc == SQLITE_OK ? LM_OK : lmi_db_fail(db, rc, "opening");
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
		return lmi_db_nomem(db);
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
		int rc = lmi_db_fail(db, src, "opening");
		sqlite3_close(db->db);
		db->db = NULL;
		return rc;
	}
	sqlite3_extended_result_codes(db->db, 1);
	sqlite3_busy_timeout(db->db, LM_DB_BUSY_MS);

	/* Per-connection settings: SQLite enforces foreign keys only when
	 * asked, on every connection.  WAL lets readers run beside a writer;
	 * synchronous=NORMAL is durable enough with WAL and much faster. */
	int rc = lmi_db_exec(db, "PRAGMA foreign_keys = ON", "opening");
	if (!rc)
		rc = lmi_db_exec(db, "PRAGMA synchronous = NORMAL", "opening");
	/* A database created here gets 16 kB pages (SQLite's default is
	 * 4 kB): a national load writes a million rows and the engine image
	 * reads long runs, both with a quarter of the page reads.  The
	 * pragma changes nothing in a database that exists already. */
	if (!rc && (flags & LM_DB_CREATE))
		rc = lmi_db_exec(db, "PRAGMA page_size = 16384", "opening");
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

/* Does the database hold nothing but an empty schema?  The caller holds
 * the write lock. */
static int db_is_empty(lm_db *db, bool *empty)
{
	long long version = 0, objects = 0, changes = 0, eng = 0;
	*empty = false;
	int rc = lmi_db_query_int(db, "PRAGMA user_version", "removing",
	                          &version);
	if (!rc && version == 0)
		rc = lmi_db_query_int(db, "SELECT count(*) FROM sqlite_master",
		                      "removing", &objects);
	if (rc || version == 0) {
		*empty = !rc && objects == 0;
		return rc;
	}
	/* Only the current schema counts its loads. */
	if (version != LM_DB_SCHEMA_VERSION)
		return LM_OK;
	rc = lmi_db_query_int(db, "SELECT value FROM meta WHERE key = "
	                      "'data_version'", "removing", &changes);
	if (!rc)
		rc = lmi_db_query_int(db, "SELECT count(*) FROM engagements",
		                      "removing", &eng);
	*empty = !rc && changes == 1 && eng == 0;
	return rc;
}

/* Remove FILE and FILE + suffix, if they are there. */
static int unlink_db_file(lm_db *db, const char *suffix)
{
	char *p = lmi_strf("%s%s", db->path, suffix);
	if (!p)
		return lmi_db_nomem(db);
	int rc = unlink(p) != 0 && errno != ENOENT
	       ? lmi_err_set(&db->err, LM_EIO, "%s: %s", p, strerror(errno))
	       : LM_OK;
	free(p);
	return rc;
}

int lm_db_remove_empty(lm_db *db)
{
	int rc = lmi_db_enter(db);
	if (rc)
		return rc;
	if (!strcmp(db->path, ":memory:"))
		return lmi_err_set(&db->err, LM_EINVAL, "an in-memory database "
		                  "has no file to remove");
	/* The WAL into the file first, so that nothing of it is left to
	 * meet a new database of the same name (best effort: it needs no
	 * transaction open). */
	sqlite3_exec(db->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	bool empty = false;
	rc = lmi_tx_begin_write(db);
	struct stat sb;
	/* A file still of 0 bytes holds nothing, not even a schema: a full
	 * disk may refuse the lock (which needs room), and any libmatch
	 * writer that opened it meanwhile finds it gone when it takes the
	 * lock (lmi_tx_begin_write). */
	if (rc && stat(db->path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size == 0) {
		lmi_err_clear(&db->err);
		rc = LM_OK;
		empty = true;
	} else if (!rc) {
		rc = db_is_empty(db, &empty);
	}
	if (!rc && !empty)
		rc = lmi_err_set(&db->err, LM_ECONFLICT, "%s: the database holds "
		                "data; it was not removed", lmi_db_name(db));
	/* Under the write lock: the WAL and its index first, which a new
	 * database of this name would otherwise take for its own. */
	if (!rc)
		rc = unlink_db_file(db, "-wal");
	if (!rc)
		rc = unlink_db_file(db, "-shm");
	if (!rc)
		rc = unlink_db_file(db, "");
	lmi_tx_rollback(db);
	if (!rc) {
		if (sqlite3_close(db->db) != SQLITE_OK)
			sqlite3_close_v2(db->db);
		db->db = NULL;
	}
	return rc;
}

void lm_db_close(lm_db *db)
{
	if (!db)
		return;
	if (db->db) {
		lmi_tx_rollback(db);
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
