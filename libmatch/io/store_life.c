/* SPDX-License-Identifier: MIT */
/*
 * store_life.c -- a record's life in the database, one record at a time:
 * retiring and restoring an expert, company or need (lm_db_retire,
 * lm_db_restore) and a need's status (lm_db_set_need_status).  Nothing
 * is ever deleted: a retired record keeps its row and every engagement
 * that names it, so history stays as it was (docs/database.md).
 *
 * Each change is one write transaction that also counts the profiles'
 * data version up (store_version.c), so that a plan computed before it
 * is refused at commit; the row's triggers drop the engine image, and
 * the next load writes a new one.
 */
#include "io/store.h"
#include "model/period.h"

#include <string.h>
#include <time.h>

/* The table of a kind that can be retired, or NULL. */
static const char *life_table(lm_kind kind)
{
	switch (kind) {
	case LM_EXPERT: return "experts";
	case LM_COMPANY: return "companies";
	case LM_NEED: return "needs";
	default: return NULL;
	}
}

/* The latest engagement of what is retired (?1 its id): a record may not
 * be retired before a quarter it works in begins, or the database would
 * hold what a load refuses (model/merge_eng.c). */
static const char *const latest_sql[] = {
	[LM_EXPERT] = "SELECT period, need FROM engagements WHERE expert = ?1 "
	              "ORDER BY period DESC, need DESC LIMIT 1",
	[LM_COMPANY] = "SELECT e.period, e.need FROM engagements e JOIN needs n "
	               "ON n.id = e.need WHERE n.company = ?1 "
	               "ORDER BY e.period DESC, e.need DESC LIMIT 1",
	[LM_NEED] = "SELECT period, expert FROM engagements WHERE need = ?1 "
	            "ORDER BY period DESC, expert DESC LIMIT 1",
};

/* LM_EINFEASIBLE when record `id` of `kind` has an engagement in a
 * quarter that begins after `day`. */
static int retire_check(lm_db *db, lm_kind kind, const char *id,
                        const char *day)
{
	sqlite3_stmt *st = NULL;
	int brc = SQLITE_OK;
	bool row = false;
	int rc = lmi_db_prepare(db, latest_sql[kind], &st);
	if (!rc) {
		lmi_bind_text(st, 1, id, &brc);
		rc = brc ? lmi_db_fail(db, brc, "retiring")
		         : lmi_db_step(db, st, "retiring", &row);
	}
	uint32_t q, ymd;
	const char *period = row ? (const char *)sqlite3_column_text(st, 0) : NULL;
	if (!rc && period && lmi_period_parse(period, strlen(period), &q) &&
	    lmi_date_parse(day, strlen(day), &ymd) &&
	    (q / 4) * 10000 + (3 * (q % 4) + 1) * 100 + 1 > ymd)
		rc = lmi_err_set(&db->err, LM_EINFEASIBLE, "%s: %s '%s' has an "
		                "engagement in %s (%s), which begins after %s: "
		                "release it first, or retire it later",
		                lmi_db_name(db), lmi_kind_singular[kind], id,
		                period, (const char *)sqlite3_column_text(st, 1),
		                day);
	sqlite3_finalize(st);
	return rc;
}

static int not_found(lm_db *db, lm_kind kind, const char *id)
{
	return lmi_err_set(&db->err, LM_ENOTFOUND, "%s: no %s has id '%.200s'",
	                  lmi_db_name(db), lmi_kind_singular[kind], id);
}

/* Run `sql` (?1 the id, ?2 `value`, may be NULL) on row `id` of `kind`
 * in its `table` in a write transaction with the data version counted up
 * when the row changed; with `retiring` after retire_check.  LM_ENOTFOUND
 * when there is no such row. */
static int life_update(lm_db *db, const char *sql, const char *table,
                       lm_kind kind, const char *id, const char *value,
                       const char *what, bool retiring)
{
	sqlite3_stmt *st = NULL;
	char exists[128];
	int brc = SQLITE_OK;
	bool row = false;
	snprintf(exists, sizeof(exists), "SELECT 1 FROM %s WHERE id = ?1", table);
	int rc = lmi_db_fk_on(db);
	if (!rc)
		rc = lmi_tx_begin_write(db);
	if (!rc)
		rc = lmi_db_schema_current(db);
	if (!rc)
		rc = lmi_db_prepare(db, exists, &st);
	if (!rc) {
		lmi_bind_text(st, 1, id, &brc);
		rc = brc ? lmi_db_fail(db, brc, what) : lmi_db_step(db, st, what, &row);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!rc && row && retiring)
		rc = retire_check(db, kind, id, value);
	if (!rc && row)
		rc = lmi_db_prepare(db, sql, &st);
	if (!rc && row) {
		lmi_bind_text(st, 1, id, &brc);
		if (value)
			lmi_bind_text(st, 2, value, &brc);
		else
			lmi_bind_null(st, 2, &brc);
		rc = lmi_db_run(db, st, brc, what);
	}
	if (!rc && row && sqlite3_changes(db->db) > 0)
		rc = lmi_db_data_changed(db, what);
	sqlite3_finalize(st);
	rc = lmi_tx_end(db, rc);
	if (!rc && !row)
		rc = not_found(db, kind, id);
	return rc;
}

/* The checks every call shares: a handle (else LM_EINVAL, with nowhere
 * to keep a message), an open database, a kind that can be retired and
 * an id.  *table is the kind's table. */
static int life_args(lm_db *db, lm_kind kind, const char *id,
                     const char **table)
{
	if (!db)
		return LM_EINVAL;
	lmi_err_clear(&db->err);
	*table = life_table(kind);
	if (!*table)
		return lmi_err_set(&db->err, LM_EINVAL, "only experts, companies "
		                  "and needs can be retired or restored");
	if (!id || !*id)
		return lmi_err_set(&db->err, LM_EINVAL, "no id given");
	if (!db->db)
		return lmi_err_set(&db->err, LM_EDB, "%s: the database is not open",
		                  lmi_db_name(db));
	return LM_OK;
}

/* Today in local time as "YYYY-MM-DD". */
int lmi_db_today(lm_db *db, char buf[16])
{
	time_t t = time(NULL);
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return lmi_err_set(&db->err, LM_ERROR, "cannot tell today's date");
	if (strftime(buf, 16, "%Y-%m-%d", &tm) != 10)
		return lmi_err_set(&db->err, LM_ERROR, "cannot tell today's date");
	return LM_OK;
}

int lm_db_retire(lm_db *db, lm_kind kind, const char *id, const char *day)
{
	const char *table;
	char now[16];
	uint32_t ymd;
	int rc = life_args(db, kind, id, &table);
	if (rc)
		return rc;
	if (day && !lmi_date_parse(day, strlen(day), &ymd))
		return lmi_err_set(&db->err, LM_EINVAL, "'%.64s' is not a day "
		                  "YYYY-MM-DD", day);
	if (!day && (rc = lmi_db_today(db, now)))
		return rc;
	char sql[128];
	/* A record retired already keeps the day it was retired. */
	snprintf(sql, sizeof(sql), "UPDATE %s SET retired = ?2 WHERE id = ?1 "
	         "AND retired IS NULL", table);
	char what[64];
	snprintf(what, sizeof(what), "retiring a%s %s",
	         kind == LM_EXPERT ? "n" : "", lmi_kind_singular[kind]);
	return life_update(db, sql, table, kind, id, day ? day : now, what,
	                   true);
}

int lm_db_restore(lm_db *db, lm_kind kind, const char *id)
{
	const char *table;
	int rc = life_args(db, kind, id, &table);
	if (rc)
		return rc;
	char sql[128], what[64];
	snprintf(sql, sizeof(sql), "UPDATE %s SET retired = ?2 WHERE id = ?1 "
	         "AND retired IS NOT NULL", table);
	snprintf(what, sizeof(what), "restoring a%s %s",
	         kind == LM_EXPERT ? "n" : "", lmi_kind_singular[kind]);
	return life_update(db, sql, table, kind, id, NULL, what, false);
}

int lm_db_set_need_status(lm_db *db, const char *need_id, const char *status)
{
	const char *table;
	int rc = life_args(db, LM_NEED, need_id, &table);
	if (rc)
		return rc;
	/* Open is no value at all, as in YAML (model/catalog.h). */
	const char *value = NULL;
	if (status && !strcmp(status, "done"))
		value = "done";
	else if (status && !strcmp(status, "withdrawn"))
		value = "withdrawn";
	else if (!status || strcmp(status, "open"))
		return lmi_err_set(&db->err, LM_EINVAL, "a need's status is open, "
		                  "done or withdrawn, not '%.64s'",
		                  status ? status : "(null)");
	return life_update(db, "UPDATE needs SET status = ?2 WHERE id = ?1 AND "
	                   "status IS NOT ?2", table, LM_NEED, need_id, value,
	                   "changing a need's status", false);
}
