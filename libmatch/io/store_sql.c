/* SPDX-License-Identifier: MIT */
/*
 * store_sql.c -- the store's errors and statements: an SQLite result code
 * turned into a status and a message that names the database and what was
 * being done, and the few ways the store runs a statement (constant SQL,
 * prepare, step, run a bound statement, one integer) and a transaction.
 * Every part of the store (store.h) goes through these, so that every
 * failure reads the same.
 */
#include "io/store.h"

#include <errno.h>
#include <string.h>

/* A full disk reads as SQLITE_FULL when a write finds no room, but as a
 * plain SQLITE_IOERR ("disk I/O error") when SQLite cannot grow the WAL
 * index (FILE-shm) that every command needs on opening: the errno of the
 * failed system call tells them apart from a failing disk. */
static const char *full_disk(lm_db *db, int src)
{
	int sys = db->db ? sqlite3_system_errno(db->db) : 0;
	if (sys == ENOSPC)
		return "the disk is full";
#ifdef EDQUOT
	if (sys == EDQUOT)
		return "the disk quota is used up";
#endif
	/* SQLite clears the errno of a write that found no room; libmatch
	 * sets no page limit, so nothing else makes SQLITE_FULL. */
	if ((src & 0xff) == SQLITE_FULL)
		return "the disk is full";
	return NULL;
}

int lmi_db_fail(lm_db *db, int src, const char *what)
{
	const char *text = db->db ? sqlite3_errmsg(db->db) : sqlite3_errstr(src);
	const char *full = (src & 0xff) == SQLITE_FULL ||
	                   (src & 0xff) == SQLITE_IOERR ||
	                   (src & 0xff) == SQLITE_CANTOPEN
	                 ? full_disk(db, src) : NULL;
	if (full)
		return lmi_err_set(&db->err, LM_EDB, "%s: %s: %s (%s)",
		                  lmi_db_name(db), what, full,
		                  db->db && sqlite3_system_errno(db->db)
		                  ? strerror(sqlite3_system_errno(db->db)) : text);
	switch (src & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return lmi_err_set(&db->err, LM_EBUSY,
		                  "%s: %s: the database stayed locked by another "
		                  "writer for %d s (%s)", lmi_db_name(db), what,
		                  LM_DB_BUSY_MS / 1000, text);
	case SQLITE_NOMEM:
		return lmi_err_set(&db->err, LM_ENOMEM, "%s: %s: out of memory",
		                  lmi_db_name(db), what);
	default:
		return lmi_err_set(&db->err, LM_EDB, "%s: %s: %s",
		                  lmi_db_name(db), what, text);
	}
}

int lmi_db_exec(lm_db *db, const char *sql, const char *what)
{
	int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? LM_OK : lmi_db_fail(db, rc, what);
}

int lmi_db_prepare(lm_db *db, const char *sql, sqlite3_stmt **st)
{
	int rc = sqlite3_prepare_v2(db->db, sql, -1, st, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(*st); /* NULL on failure; harmless */
		*st = NULL;
		return lmi_db_fail(db, rc, "preparing a statement");
	}
	return LM_OK;
}

int lmi_db_step(lm_db *db, sqlite3_stmt *st, const char *what, bool *row)
{
	int rc = sqlite3_step(st);
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return LM_OK;
	int ret = lmi_db_fail(db, rc, what);
	sqlite3_reset(st);
	return ret;
}

int lmi_db_run(lm_db *db, sqlite3_stmt *st, int brc, const char *what)
{
	int ret = LM_OK;
	if (brc != SQLITE_OK) {
		ret = lmi_db_fail(db, brc, what);
	} else {
		int rc = sqlite3_step(st);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			ret = lmi_db_fail(db, rc, what);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

int lmi_db_query_int(lm_db *db, const char *sql, const char *what,
                     long long *out)
{
	sqlite3_stmt *st = NULL;
	int rc = lmi_db_prepare(db, sql, &st);
	bool row = false;
	if (!rc)
		rc = lmi_db_step(db, st, what, &row);
	*out = !rc && row ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc;
}

int lmi_tx_begin_write(lm_db *db)
{
	int rc = lmi_db_exec(db, "BEGIN IMMEDIATE",
	                     "starting a write transaction");
	/* A file removed or replaced since it was opened (lm_db_remove_empty
	 * of another process) would take writes that nobody ever reads:
	 * SQLite writes on in WAL mode.  Asked with the lock held, so the
	 * answer stays true until COMMIT. */
	int moved = 0;
	if (!rc && sqlite3_file_control(db->db, "main", SQLITE_FCNTL_HAS_MOVED,
	                                &moved) == SQLITE_OK && moved) {
		lmi_tx_rollback(db);
		rc = lmi_err_set(&db->err, LM_EDB, "%s: the database file was "
		                "removed or replaced since it was opened; nothing "
		                "was written", lmi_db_name(db));
	}
	return rc;
}

int lmi_tx_commit(lm_db *db)
{
	return lmi_db_exec(db, "COMMIT", "committing");
}

void lmi_tx_rollback(lm_db *db)
{
	if (db->db && !sqlite3_get_autocommit(db->db))
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
}

int lmi_tx_end(lm_db *db, int rc)
{
	if (!rc)
		rc = lmi_tx_commit(db);
	if (rc)
		lmi_tx_rollback(db);
	return rc;
}
