/* SPDX-License-Identifier: MIT */
/*
 * store_vtab.c -- lm_load_experts, the virtual table a load's experts are
 * written from: one row per expert of the load (lmi_load_rows, store.h),
 * its columns those of the experts table, its skills and languages as the
 * JSON of schema 3 (store_json.c).
 *
 * Experts are written by one INSERT ... SELECT from lm_load_experts, an
 * eponymous virtual table over the load's list (db->loading): a
 * statement per expert costs SQLite a cursor opened and a B-tree searched
 * from its root for each row, which was half the time of writing 100,000
 * experts.  Outside a load the table is empty.
 */
#include "io/store.h"

#include <string.h>

typedef struct load_vtab {
	sqlite3_vtab base;
	lm_db *db;
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
	lmi_load_rows *rows = c->rows;
	const lm_catalog *cat = rows->cat;
	const lmi_resolved *r = &cat->r;
	uint32_t i = rows->experts[c->i];
	const lmi_expert_rec *e = &cat->experts.v[i];
	bool coords = r->expert_home[i] == LM_NONE;
	switch (col) {
	case 0: result_text(ctx, e->id); break;
	case 1: result_text(ctx, e->name); break;
	case 2:
		result_text(ctx, lmi_canonical_id(cat, LM_GARDEN,
		                                  r->expert_garden[i]));
		break;
	case 3:
		result_text(ctx, lmi_canonical_id(cat, LM_PLACE,
		                                  r->expert_home[i]));
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
		if (lmi_json_expert_skills(&rows->skills, cat, i) != LM_OK) {
			sqlite3_result_error_nomem(ctx);
			break;
		}
		sqlite3_result_text(ctx, rows->skills.v, (int)rows->skills.n,
		                    SQLITE_TRANSIENT);
		break;
	case 10:
		if (!e->n_languages) {
			sqlite3_result_null(ctx);
		} else if (lmi_json_expert_languages(&rows->languages, e)
		           != LM_OK) {
			sqlite3_result_error_nomem(ctx);
		} else {
			sqlite3_result_text(ctx, rows->languages.v,
			                    (int)rows->languages.n, SQLITE_TRANSIENT);
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
