/* SPDX-License-Identifier: MIT */
/*
 * store_vtab.c -- lm_load_experts, the virtual table a load's experts are
 * written from: one row per expert of the load (lmi_load_rows, store.h),
 * its columns those of the experts table (store_row.c, from the experts'
 * field table), its skills and languages as the JSON of schema 3
 * (store_json.c).
 *
 * Experts are written by one INSERT ... SELECT from lm_load_experts, an
 * eponymous virtual table over the load's list (db->loading): a
 * statement per expert costs SQLite a cursor opened and a B-tree searched
 * from its root for each row, which was half the time of writing 100,000
 * experts.  Outside a load the table is empty.
 */
#include "io/store.h"

#include <stdint.h>
#include <string.h>

typedef struct load_vtab {
	sqlite3_vtab base;
	lm_db *db;
	lmi_col cols[LMI_COLS_MAX];   /* the experts table's */
	size_t ncols;
} load_vtab;

typedef struct load_cursor {
	sqlite3_vtab_cursor base;
	lmi_load_rows *rows;
	size_t i;
} load_cursor;

static int load_connect(sqlite3 *db, void *aux, int argc,
                        const char *const *argv, sqlite3_vtab **out,
                        char **err)
{
	(void)argc;
	(void)argv;
	(void)err;
	lmi_col cols[LMI_COLS_MAX];
	size_t n = lmi_row_columns(&lmi_kinds[LM_EXPERT], INT32_MAX, cols);
	lmi_buf decl = {0};
	lmi_buf_puts(&decl, "CREATE TABLE x(");
	for (size_t i = 0; i < n; i++)
		lmi_buf_printf(&decl, "%s%s", i ? ", " : "", cols[i].name);
	lmi_buf_puts(&decl, ")");
	int rc = decl.oom ? SQLITE_NOMEM : sqlite3_declare_vtab(db, decl.v);
	lmi_buf_free(&decl);
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
	memcpy(vt->cols, cols, n * sizeof(*cols));
	vt->ncols = n;
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
	c->rows = ((load_vtab *)cur->pVtab)->db->loading;
	c->i = 0;
	return SQLITE_OK;
}

static int load_eof(sqlite3_vtab_cursor *cur)
{
	load_cursor *c = (load_cursor *)cur;
	return !c->rows || c->i >= c->rows->n;
}

/* After each expert: the progress callback may stop the load. */
static int load_next(sqlite3_vtab_cursor *cur)
{
	load_cursor *c = (load_cursor *)cur;
	c->i++;
	c->rows->rows_read++;
	int rc = c->rows->next(c->rows->ctx);
	if (rc == LM_OK)
		return SQLITE_OK;
	c->rows->halt = rc;
	return SQLITE_ABORT;
}

static int load_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
	*out = (sqlite3_int64)((load_cursor *)cur)->i;
	return SQLITE_OK;
}

/* Column `col` of the current expert, as a write of its row stores it
 * (store_row.c): values not given stay NULL, and the default applies when
 * read. */
static int load_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx,
                       int col)
{
	load_cursor *c = (load_cursor *)cur;
	const load_vtab *vt = (const load_vtab *)cur->pVtab;
	lmi_load_rows *rows = c->rows;
	uint32_t i = rows->experts[c->i];
	lmi_sqlval v;
	if (col < 0 || (size_t)col >= vt->ncols) {
		sqlite3_result_null(ctx);
		return SQLITE_OK;
	}
	if (lmi_row_value(rows->cat, &vt->cols[col], &rows->cat->experts.v[i],
	                  i, &rows->scratch, &v) != LM_OK)
		sqlite3_result_error_nomem(ctx);
	else
		lmi_result_value(ctx, &v);
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

int lmi_load_vtab_ready(lm_db *db)
{
	int rc = LM_OK;
	if (!db->module) {
		int src = sqlite3_create_module_v2(db->db, "lm_load_experts",
		                                   &load_module, db, NULL);
		if (src != SQLITE_OK)
			rc = lmi_db_fail(db, src, "loading");
		db->module = !rc;
	}
	long long shadow = 0;
	if (!rc)
		rc = lmi_db_query_int(db, "SELECT count(*) FROM sqlite_master "
		                      "WHERE name = 'lm_load_experts' "
		                      "COLLATE NOCASE", "loading", &shadow);
	if (!rc && shadow)
		rc = lmi_err_set(&db->err, LM_EDB, "%s: the database has an "
		                "object named 'lm_load_experts', a name libmatch "
		                "uses for loading; rename or drop it",
		                lmi_db_name(db));
	return rc;
}
