/* SPDX-License-Identifier: MIT */
/*
 * store_commit.c -- engagements: recording a plan's assignments and
 * its teams' members (lm_db_commit_plan) and releasing them
 * (lm_db_release; a team need's release is its whole team).
 *
 * A plan was computed from a snapshot that may be stale by the time it is
 * committed, so every assignment is checked again inside the write
 * transaction, against what is committed so far (the plan's own earlier
 * assignments included): the pair not engaged already, the expert's
 * capacity and the need's number of experts.  Before those, the plan's
 * catalogue must still be the profiles' current data version
 * (store_version.c): a profile changed since may have made any pair
 * infeasible (a conflict of interest, a skill removed), and the plan is
 * refused as a whole.  One failed check commits nothing.
 */
#include "engine/rank.h"
#include "io/store.h"
#include "model/period.h"

#include <stdlib.h>
#include <string.h>

/* The statements of a commit's re-check, finalized together. */
enum {
	C_DEFAULT_CAP, C_EXPERT, C_NEED, C_EXPERT_COUNT, C_NEED_COUNT,
	C_PAIR, C_INSERT, C_COUNT
};

static const char *const commit_sql[C_COUNT] = {
	[C_DEFAULT_CAP] = "SELECT value FROM settings "
	                  "WHERE key = 'default_capacity'",
	/* The capacity of the period: its availability's, else its own. */
	[C_EXPERT] = "SELECT coalesce((SELECT value FROM "
	             "json_each(experts.availability) WHERE key = ?2), "
	             "capacity) FROM experts WHERE id = ?1",
	[C_NEED] = "SELECT experts FROM needs WHERE id = ?1",
	[C_EXPERT_COUNT] = "SELECT count(*) FROM engagements "
	                   "WHERE period = ?1 AND expert = ?2",
	/* A need's engagements and pairs count in every period (a need
	 * served once is served; engine/lifecycle.c). */
	[C_NEED_COUNT] = "SELECT count(*) FROM engagements "
	                 "WHERE need = ?2 AND ?1 IS NOT NULL",
	[C_PAIR] = "SELECT 1 FROM engagements "
	           "WHERE need = ?2 AND expert = ?3 AND ?1 IS NOT NULL",
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
		lmi_bind_text(st, 1, a, &brc);
	if (n >= 2)
		lmi_bind_text(st, 2, b, &brc);
	if (n >= 3)
		lmi_bind_text(st, 3, c, &brc);
	int rc = brc == SQLITE_OK ? LM_OK : lmi_db_fail(db, brc, "checking a plan");
	if (!rc)
		rc = lmi_db_step(db, st, "checking a plan", row);
	if (!rc && *row) {
		if (null)
			*null = lmi_col_null(st, 0);
		if (value)
			*value = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

/* Check one assignment against what is committed so far in this
 * transaction (including the plan's earlier assignments).  A team's
 * members after the first skip the need's count (`check_need` false):
 * the team takes the need's one place as one unit. */
static int commit_check(lm_db *db, sqlite3_stmt **st, const char *period,
                        const lm_assignment *as, long long default_cap,
                        bool check_need)
{
	bool row, null = false;
	long long v = 0, used = 0;
	int rc = query_row(db, st[C_PAIR], period, as->need, as->expert, &row,
	                   NULL, NULL);
	if (rc)
		return rc;
	if (row)
		return lmi_err_set(&db->err, LM_ECONFLICT,
		                  "%s: expert '%s' is already engaged on need '%s'; "
		                  "nothing was committed", lmi_db_name(db),
		                  as->expert, as->need);

	rc = query_row(db, st[C_EXPERT], as->expert, period, NULL, &row, &v,
	               &null);
	if (rc)
		return rc;
	if (!row)
		return lmi_err_set(&db->err, LM_ENOTFOUND,
		                  "%s: unknown expert '%s'; nothing was committed",
		                  lmi_db_name(db), as->expert);
	long long cap = null ? default_cap : v;
	rc = query_row(db, st[C_EXPERT_COUNT], period, as->expert, NULL, &row,
	               &used, NULL);
	if (rc)
		return rc;
	if (used + 1 > cap)
		return lmi_err_set(&db->err, LM_ECONFLICT,
		                  "%s: expert '%s' would have %lld engagements in "
		                  "%s but has capacity %lld (another commit came "
		                  "first?); nothing was committed", lmi_db_name(db),
		                  as->expert, used + 1, period, cap);
	if (!check_need)
		return LM_OK;

	rc = query_row(db, st[C_NEED], as->need, NULL, NULL, &row, &v, &null);
	if (rc)
		return rc;
	if (!row)
		return lmi_err_set(&db->err, LM_ENOTFOUND,
		                  "%s: unknown need '%s'; nothing was committed",
		                  lmi_db_name(db), as->need);
	long long want = null ? 1 : v;
	rc = query_row(db, st[C_NEED_COUNT], period, as->need, NULL, &row,
	               &used, NULL);
	if (rc)
		return rc;
	if (used + 1 > want)
		return lmi_err_set(&db->err, LM_ECONFLICT,
		                  "%s: need '%s' would have %lld experts but "
		                  "asks for %lld (another commit came first?); "
		                  "nothing was committed", lmi_db_name(db), as->need,
		                  used + 1, want);
	return LM_OK;
}

/* Check and insert one engagement; *done counts it. */
static int commit_one(lm_db *db, sqlite3_stmt **st, const char *period,
                      const lm_assignment *as, long long default_cap,
                      bool check_need, size_t *done)
{
	int rc = commit_check(db, st, period, as, default_cap, check_need);
	if (rc)
		return rc;
	int brc = SQLITE_OK;
	lmi_bind_text(st[C_INSERT], 1, period, &brc);
	lmi_bind_text(st[C_INSERT], 2, as->need, &brc);
	lmi_bind_text(st[C_INSERT], 3, as->expert, &brc);
	lmi_bind_double(st[C_INSERT], 4, as->score, &brc);
	rc = lmi_db_run(db, st[C_INSERT], brc, "recording an engagement");
	if (!rc)
		(*done)++;
	return rc;
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
		                  lmi_db_name(db));

	sqlite3_stmt *st[C_COUNT] = {0};
	size_t n = lm_plan_assignment_count(plan), done = 0;
	long long default_cap = 2;
	bool row, null = false;
	int rc = lmi_db_fk_on(db);
	if (!rc)
		rc = lmi_tx_begin_write(db);
	if (!rc)
		rc = lmi_db_data_check(db, lmi_plan_data_version(plan),
		                       "the plan");
	for (int i = 0; !rc && i < C_COUNT; i++)
		rc = lmi_db_prepare(db, commit_sql[i], &st[i]);
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
		rc = commit_one(db, st, period, as, default_cap, true, &done);
	}
	/* A team: every member's engagement, with the team's score (which
	 * export and load use to keep them one record). */
	for (size_t i = 0, nt = lm_plan_team_count(plan); !rc && i < nt; i++) {
		const lm_team_assignment *t = lm_plan_team(plan, i);
		for (size_t j = 0; !rc && j < t->n_members; j++) {
			lm_assignment as = {.need = t->need, .score = t->score,
			                    .expert = lm_plan_team_member(plan, i, j)->expert};
			rc = commit_one(db, st, period, &as, default_cap, j == 0,
			                &done);
		}
	}
	if (!rc)
		rc = lmi_tx_commit(db);
	for (int i = 0; i < C_COUNT; i++)
		sqlite3_finalize(st[i]);
	if (rc) {
		lmi_tx_rollback(db);
		done = 0;
	}
	if (committed)
		*committed = done;
	return rc;
}

/* Delete the engagements of `period` for the need (and the expert, when
 * not NULL) spelled exactly so; *n is how many went. */
static int release_exact(lm_db *db, const char *period, const char *need_id,
                         const char *expert_id, size_t *n)
{
	sqlite3_stmt *st = NULL;
	int brc = SQLITE_OK;
	*n = 0;
	/* One statement is atomic on its own: no explicit transaction. */
	int rc = lmi_db_fk_on(db);
	if (!rc)
		rc = lmi_db_prepare(db, "DELETE FROM engagements WHERE period = ?1 "
		                    "AND need = ?2 AND (?3 IS NULL OR expert = ?3)",
		                    &st);
	if (!rc) {
		lmi_bind_text(st, 1, period, &brc);
		lmi_bind_text(st, 2, need_id, &brc);
		lmi_bind_text(st, 3, expert_id, &brc);
		rc = lmi_db_run(db, st, brc, "releasing engagements");
	}
	if (!rc)
		*n = (size_t)sqlite3_changes(db->db);
	sqlite3_finalize(st);
	return rc;
}

/* The id of the `kind` record that `key` names, as lm_catalog_find finds
 * it (any case, or a name), copied into *id; an unknown key is
 * LM_ENOTFOUND with the catalogue's "did you mean". */
static int release_find(lm_db *db, lm_catalog *cat, lm_kind kind,
                        const char *key, char **id)
{
	size_t i;
	int rc = lm_catalog_find(cat, kind, key, &i);
	if (rc)
		return lmi_err_set(&db->err, rc, "%s: %s", lmi_db_name(db),
		                  lm_catalog_errmsg(cat));
	const lm_need_info *ni = kind == LM_NEED ? lm_catalog_need(cat, i) : NULL;
	const lm_expert_info *ei = kind == LM_NEED ? NULL
	                                           : lm_catalog_expert(cat, i);
	const char *canon = ni ? ni->id : ei ? ei->id : NULL;
	*id = canon ? strdup(canon) : NULL;
	return *id ? LM_OK : lmi_db_nomem(db);
}

/* The ids as the profiles spell them, for ids given in another case or
 * as names (every other look-up takes them so).  Read only when the ids
 * as given released nothing, so the usual release reads no profile. */
static int release_resolve(lm_db *db, const char *need_id,
                           const char *expert_id, char **need, char **expert)
{
	lm_catalog *cat = NULL;
	unsigned kinds = LM_KIND_BIT(LM_NEED) |
	                 (expert_id ? LM_KIND_BIT(LM_EXPERT) : 0u);
	int rc = lm_db_read_kinds(db, kinds, &cat);
	if (!rc)
		rc = release_find(db, cat, LM_NEED, need_id, need);
	if (!rc && expert_id)
		rc = release_find(db, cat, LM_EXPERT, expert_id, expert);
	lm_catalog_free(cat);
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
	char canon[LMI_PERIOD_SIZE];
	if (!lmi_period_canon(period, canon, NULL))
		return lmi_err_set(&db->err, LM_EINVAL, "period '%.64s' is not a "
		                  "quarter YYYY-QN (like 2026-Q4)", period);
	period = canon;
	if (!db->db)
		return lmi_err_set(&db->err, LM_EDB, "%s: the database is not open",
		                  lmi_db_name(db));

	size_t n = 0;
	char *need = NULL, *expert = NULL;
	int rc = release_exact(db, period, need_id, expert_id, &n);
	if (!rc && n == 0) {
		rc = release_resolve(db, need_id, expert_id, &need, &expert);
		if (!rc && (strcmp(need, need_id) ||
		            (expert_id && strcmp(expert, expert_id))))
			rc = release_exact(db, period, need, expert, &n);
		if (!rc) {
			need_id = need;
			expert_id = expert;
		}
	}
	if (!rc && released)
		*released = n;
	if (!rc && n == 0) {
		if (expert_id)
			rc = lmi_err_set(&db->err, LM_ENOTFOUND,
			                "%s: expert '%s' has no engagement on need "
			                "'%s' in %s", lmi_db_name(db), expert_id,
			                need_id, period);
		else
			rc = lmi_err_set(&db->err, LM_ENOTFOUND,
			                "%s: need '%s' has no engagements in %s",
			                lmi_db_name(db), need_id, period);
	}
	free(need);
	free(expert);
	return rc;
}
