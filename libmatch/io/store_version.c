/* SPDX-License-Identifier: MIT */
/*
 * store_version.c -- the data version of a database (table meta, schema
 * version 4): counted up by every writer that changes the profiles
 * (lmi_db_data_changed), with what changed and when, and compared with
 * the version a catalogue was read at before something that depends on
 * that catalogue is written (lmi_db_data_check).
 *
 * A plan is made from a snapshot and committed later.  When a load (or
 * any other writer of the profiles) committed in between, the plan may
 * hold pairs that the profiles no longer allow -- a conflict of interest
 * added, a skill removed -- so the commit refuses it as a whole and says
 * what changed; `match assign --commit` then plans again from the new
 * profiles.  Comparing one number is what lets the commit check this in
 * its write transaction without reading the profiles again.
 */
#include "io/store.h"

#include <inttypes.h>
#include <stdlib.h>

/* The schema version that has the table meta. */
#define META_SINCE 4

static const char sql_count[] =
	"UPDATE meta SET value = value + 1 WHERE key = 'data_version'";
/* What changed and when: upserts, as databases of schema 4 made before
 * these keys existed do not have them. */
static const char sql_when[] =
	"INSERT INTO meta (key, value) VALUES ('data_changed_at', "
	"strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
	"ON CONFLICT(key) DO UPDATE SET value = excluded.value";
static const char sql_what[] =
	"INSERT INTO meta (key, value) VALUES ('data_change', ?1) "
	"ON CONFLICT(key) DO UPDATE SET value = excluded.value";
static const char *const sql_changed[] = {sql_count, sql_when, sql_what};

int lmi_db_data_changed(lm_db *db, const char *what)
{
	int rc = LM_OK;
	for (size_t i = 0; !rc && i < sizeof(sql_changed) / sizeof(*sql_changed);
	     i++) {
		sqlite3_stmt *st = NULL;
		int brc = SQLITE_OK;
		rc = lmi_db_prepare(db, sql_changed[i], &st);
		if (!rc && sqlite3_bind_parameter_count(st) == 1)
			lmi_bind_text(st, 1, what, &brc);
		if (!rc)
			rc = lmi_db_run(db, st, brc, "counting the change");
		sqlite3_finalize(st);
	}
	return rc;
}

/* The text of meta's row `key` into *out (a copy; NULL when missing). */
static int meta_text(lm_db *db, const char *key, char **out)
{
	sqlite3_stmt *st = NULL;
	bool row = false;
	int brc = SQLITE_OK;
	*out = NULL;
	int rc = lmi_db_prepare(db, "SELECT value FROM meta WHERE key = ?1",
	                        &st);
	if (!rc)
		lmi_bind_text(st, 1, key, &brc);
	if (!rc && brc != SQLITE_OK)
		rc = lmi_db_fail(db, brc, "reading the data version");
	if (!rc)
		rc = lmi_db_step(db, st, "reading the data version", &row);
	if (!rc && row && !lmi_col_null(st, 0)) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		if (s && !(*out = lmi_strf("%s", s)))
			rc = lmi_db_nomem(db);
	}
	sqlite3_finalize(st);
	return rc;
}

int lmi_db_data_check(lm_db *db, uint64_t seen, const char *what)
{
	long long schema = 0, now = 0;
	/* A catalogue not read from a database that counts (no version)
	 * cannot be compared. */
	if (!seen)
		return LM_OK;
	int rc = lmi_db_query_int(db, "PRAGMA user_version",
	                          "reading the data version", &schema);
	if (!rc && schema >= META_SINCE)
		rc = lmi_db_query_int(db, "SELECT value FROM meta "
		                      "WHERE key = 'data_version'",
		                      "reading the data version", &now);
	if (rc || schema < META_SINCE || now == (long long)seen)
		return rc;

	char *change = NULL, *at = NULL;
	rc = meta_text(db, "data_change", &change);
	if (!rc)
		rc = meta_text(db, "data_changed_at", &at);
	if (!rc)
		rc = lmi_err_set(&db->err, LM_ECONFLICT,
		                "%s: %s%s%s after %s was made (data version "
		                "%lld now, %" PRIu64 " when %s was made); nothing "
		                "was committed", lmi_db_name(db),
		                change ? change : "the profiles changed",
		                at ? " at " : "", at ? at : "", what, now, seen,
		                what);
	free(change);
	free(at);
	return rc;
}
