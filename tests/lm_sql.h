/* SPDX-License-Identifier: MIT */
/*
 * lm_sql.h -- raw SQLite access for the tests that look at or change a
 * database behind libmatch's back, as another process would.
 */
#ifndef LM_SQL_H
#define LM_SQL_H

#include "lm_test.h"

#include <sqlite3.h>

/* Run SQL on a separate raw connection (as another process would). */
static inline void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		fprintf(stderr, "raw_exec: %s\n", err ? err : "?");
	sqlite3_free(err);
	assert_int_equal(rc, SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Like raw_exec, for SQL that may fail: SQLite's result code. */
static inline int raw_try(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return rc;
}

/* A read-only raw connection to `path` with `sql` prepared on it (the
 * statement must prepare); raw_done finalizes it and closes the
 * connection, which sqlite3_db_handle(st) gives in the meantime. */
static inline sqlite3_stmt *raw_query(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	return st;
}

static inline void raw_done(sqlite3_stmt *st)
{
	sqlite3 *db = sqlite3_db_handle(st);

	sqlite3_finalize(st);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static inline long long raw_int(const char *path, const char *sql)
{
	sqlite3_stmt *st = raw_query(path, sql);

	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	raw_done(st);
	return v;
}

/* Every row of a query as text, its columns separated by '|' (NULL as
 * ""), a row a line; malloc'd. */
static inline char *raw_text(const char *path, const char *sql)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	sqlite3_stmt *st = raw_query(path, sql);

	assert_non_null(fp);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const unsigned char *v = sqlite3_column_text(st, c);
			fprintf(fp, "%s%s", c ? "|" : "", v ? (const char *)v : "");
		}
		fputc('\n', fp);
	}
	raw_done(st);
	assert_int_equal(fclose(fp), 0);
	return out;
}

#endif /* LM_SQL_H */
