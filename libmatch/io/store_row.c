/* SPDX-License-Identifier: MIT */
/*
 * store_row.c -- a record as a row of its table, from the kind's field
 * table (model/fields.h): which columns a kind's table has in a schema
 * version, the SQL that selects and upserts them, and the value a write
 * gives each column.  store_read.c reads rows by these columns,
 * store_load.c and store_vtab.c write them.
 *
 * A value the profile did not give is NULL (store_schema.h), except in a
 * column that is NOT NULL (LMI_F_STORE_DEFAULT), which holds the default.
 * References are written as the canonical id the merge left in the
 * record.  Lists kept in the row (an expert's skills and languages) are
 * JSON (store_json.c); lists kept in child tables are written by
 * store_load.c.
 */
#include "io/store.h"

#include <string.h>

bool lmi_row_has(const lmi_field *f, int version)
{
	return f->column && version >= f->since;
}

bool lmi_row_child(const lmi_field *f, int version)
{
	return f->child && (f->column ? version < f->since
	                              : version >= f->since);
}

size_t lmi_row_columns(const lmi_kind_desc *kd, int version, lmi_col *cols)
{
	size_t n = 0;
	for (size_t i = 0; i < kd->n_fields; i++) {
		const lmi_field *f = &kd->fields[i];
		if (!lmi_row_has(f, version))
			continue;
		cols[n++] = (lmi_col){f, 0, f->column};
		if (f->type == LMI_T_LOC) {
			cols[n++] = (lmi_col){f, 1, f->column_lat};
			cols[n++] = (lmi_col){f, 2, f->column_lon};
		}
	}
	return n;
}

static void put_columns(lmi_buf *sql, const lmi_col *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		lmi_buf_printf(sql, "%s%s", i ? ", " : "", cols[i].name);
}

void lmi_row_select_sql(lmi_buf *sql, const lmi_kind_desc *kd, int version,
                        const char *where)
{
	lmi_col cols[LMI_COLS_MAX];
	size_t n = lmi_row_columns(kd, version, cols);
	sql->n = 0;
	lmi_buf_puts(sql, "SELECT ");
	put_columns(sql, cols, n);
	lmi_buf_printf(sql, " FROM %s ", kd->plural);
	if (where)
		lmi_buf_puts(sql, where);
	else
		lmi_buf_printf(sql, "ORDER BY %s", kd->key_columns);
}

/* Is `name` one of the columns of the primary key? */
static bool in_key(const lmi_kind_desc *kd, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = kd->key_columns; *p;) {
		size_t k = strcspn(p, ",");
		if (k == len && !strncmp(p, name, len))
			return true;
		p += k;
		p += strspn(p, ", ");
	}
	return false;
}

/* ", a = excluded.a, ..." and " WHERE (a, ...) IS NOT (excluded.a, ...)"
 * for the columns names[0..n): an UPSERT that changes nothing changes no
 * row, so that a load can tell whether it changed anything (data_version,
 * store_load.c). */
static void put_update(lmi_buf *sql, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		lmi_buf_printf(sql, "%s%s = excluded.%s", i ? ", " : "",
		               names[i], names[i]);
	lmi_buf_puts(sql, " WHERE (");
	for (size_t i = 0; i < n; i++)
		lmi_buf_printf(sql, "%s%s", i ? ", " : "", names[i]);
	lmi_buf_puts(sql, ") IS NOT (");
	for (size_t i = 0; i < n; i++)
		lmi_buf_printf(sql, "%sexcluded.%s", i ? ", " : "", names[i]);
	lmi_buf_puts(sql, ")");
}

/* UPSERT rather than INSERT OR REPLACE: a replace deletes the row first,
 * which would cascade to (or be refused by) the rows that refer to it. */
void lmi_row_upsert_sql(lmi_buf *sql, const lmi_kind_desc *kd,
                        const char *source)
{
	lmi_col cols[LMI_COLS_MAX];
	const char *set[LMI_COLS_MAX];
	size_t n = lmi_row_columns(kd, INT32_MAX, cols), nset = 0;
	sql->n = 0;
	lmi_buf_printf(sql, "INSERT INTO %s (", kd->plural);
	put_columns(sql, cols, n);
	if (kd->insert_column)
		lmi_buf_printf(sql, ", %s", kd->insert_column);
	if (source) {
		lmi_buf_printf(sql, ") %s", source);
	} else {
		lmi_buf_puts(sql, ") VALUES (");
		for (size_t i = 0; i < n; i++)
			lmi_buf_printf(sql, "%s?%zu", i ? ", " : "", i + 1);
		if (kd->insert_value)
			lmi_buf_printf(sql, ", %s", kd->insert_value);
		lmi_buf_puts(sql, ")");
	}
	for (size_t i = 0; i < n; i++)
		if (!in_key(kd, cols[i].name))
			set[nset++] = cols[i].name;
	lmi_buf_printf(sql, " ON CONFLICT(%s) DO UPDATE SET ", kd->key_columns);
	put_update(sql, set, nset);
}

static void text(lmi_sqlval *out, const char *s)
{
	*out = (lmi_sqlval){.type = s ? SQLITE_TEXT : SQLITE_NULL, .s = s,
	                    .n = -1};
}

int lmi_row_value(const lm_catalog *cat, const lmi_col *col, const void *rec,
                  uint32_t i, lmi_buf *scratch, lmi_sqlval *out)
{
	const lmi_field *f = col->f;
	*out = (lmi_sqlval){.type = SQLITE_NULL};
	switch (f->type) {
	case LMI_T_STR:
	case LMI_T_PERIOD:
	case LMI_T_DATE:
	case LMI_T_TEXT:
		text(out, *LMI_CAT(const char *, rec, f->off));
		return LM_OK;
	case LMI_T_REF:
		text(out, LMI_CAT(lmi_ref, rec, f->off)->id);
		return LM_OK;
	case LMI_T_LOC: {
		bool coords = *LMI_CAT(bool, rec, f->off_coords);
		if (col->sub == 0 && !coords)
			text(out, LMI_CAT(lmi_ref, rec, f->off)->id);
		else if (col->sub && coords)
			*out = (lmi_sqlval){.type = SQLITE_FLOAT,
			                    .d = *LMI_CAT(double, rec, col->sub == 1
			                                  ? f->off_lat : f->off_lon)};
		return LM_OK;
	}
	case LMI_T_LEVELS:
		/* The only one kept in a row: an expert's skills, from the
		 * resolved layer (canonical ids in id order). */
		if (lmi_json_expert_skills(scratch, cat, i) != LM_OK)
			return LM_ENOMEM;
		*out = (lmi_sqlval){.type = SQLITE_TEXT, .s = scratch->v,
		                    .n = (int)scratch->n, .transient = true};
		return LM_OK;
	case LMI_T_AVAIL:
		/* An expert's, from the resolved layer (in quarter order). */
		if (cat->r.expert_avail_off[i] == cat->r.expert_avail_off[i + 1])
			return LM_OK;
		if (lmi_json_expert_availability(scratch, cat, i) != LM_OK)
			return LM_ENOMEM;
		*out = (lmi_sqlval){.type = SQLITE_TEXT, .s = scratch->v,
		                    .n = (int)scratch->n, .transient = true};
		return LM_OK;
	case LMI_T_STRS: {
		uint32_t n = *LMI_CAT(uint32_t, rec, f->off_count);
		if (!n)
			return LM_OK;
		if (lmi_json_strings(scratch, *LMI_CAT(const char **, rec, f->off),
		                     n) != LM_OK)
			return LM_ENOMEM;
		*out = (lmi_sqlval){.type = SQLITE_TEXT, .s = scratch->v,
		                    .n = (int)scratch->n, .transient = true};
		return LM_OK;
	}
	case LMI_T_REFS:
		return LM_OK; /* kept in a child table */
	default:
		break;
	}
	if (!lmi_field_given(f, rec) && !(f->flags & LMI_F_STORE_DEFAULT))
		return LM_OK;
	double v = lmi_field_num(f, rec);
	switch (f->type) {
	case LMI_T_NUM:
		*out = (lmi_sqlval){.type = SQLITE_FLOAT, .d = v};
		break;
	case LMI_T_ENUM:
		text(out, f->names[(size_t)v]);
		break;
	case LMI_T_BOOL:
	case LMI_T_FLAG:
		*out = (lmi_sqlval){.type = SQLITE_INTEGER, .i = v != 0};
		break;
	default:
		*out = (lmi_sqlval){.type = SQLITE_INTEGER, .i = (sqlite3_int64)v};
		break;
	}
	return LM_OK;
}

void lmi_bind_value(sqlite3_stmt *st, int i, const lmi_sqlval *v, int *brc)
{
	if (*brc != SQLITE_OK)
		return;
	switch (v->type) {
	case SQLITE_TEXT:
		*brc = sqlite3_bind_text(st, i, v->s, v->n, v->transient
		                         ? SQLITE_TRANSIENT : SQLITE_STATIC);
		break;
	case SQLITE_FLOAT:
		*brc = sqlite3_bind_double(st, i, v->d);
		break;
	case SQLITE_INTEGER:
		*brc = sqlite3_bind_int64(st, i, v->i);
		break;
	default:
		*brc = sqlite3_bind_null(st, i);
	}
}

void lmi_result_value(sqlite3_context *ctx, const lmi_sqlval *v)
{
	switch (v->type) {
	case SQLITE_TEXT:
		sqlite3_result_text(ctx, v->s, v->n, v->transient
		                    ? SQLITE_TRANSIENT : SQLITE_STATIC);
		break;
	case SQLITE_FLOAT:
		sqlite3_result_double(ctx, v->d);
		break;
	case SQLITE_INTEGER:
		sqlite3_result_int64(ctx, v->i);
		break;
	default:
		sqlite3_result_null(ctx);
	}
}

/* ---- writing records --------------------------------------------------------- */

/* "a" or "an" before a noun, for messages. */
static const char *article(const char *noun)
{
	return strchr("aeiou", noun[0]) ? "an" : "a";
}

/* Does field f of a load's writes go to a child table? */
static bool in_child(const lmi_field *f)
{
	return lmi_row_child(f, INT32_MAX);
}

int lmi_row_writer_open(lmi_row_writer *w, lm_db *db, const lm_catalog *cat)
{
	lmi_buf sql = {0};
	int rc = LM_OK;
	memset(w, 0, sizeof(*w));
	w->db = db;
	w->cat = cat;
	for (int k = 0; !rc && k < LMI_KIND_COUNT; k++) {
		const lmi_kind_desc *kd = &lmi_kinds[k];
		/* Every expert of a load in one statement (store_vtab.c);
		 * "WHERE true" keeps ON CONFLICT from being read as a
		 * join's. */
		lmi_row_upsert_sql(&sql, kd, k == LM_EXPERT
		                   ? "SELECT * FROM lm_load_experts WHERE true"
		                   : NULL);
		rc = sql.oom ? lmi_db_nomem(db)
		             : lmi_db_prepare(db, sql.v, &w->row[k]);
		for (size_t f = 0; !rc && f < kd->n_fields; f++) {
			const lmi_field *fl = &kd->fields[f];
			if (!in_child(fl))
				continue;
			/* Item by item, by position, then what is left of a
			 * longer list before: a list written again as it was
			 * changes no row. */
			static const char *const levels[] = {
				"skill", "level", "weight", "optional"};
			bool lv = fl->type == LMI_T_LEVELS;
			sql.n = 0;
			if (lv)
				lmi_buf_printf(&sql, "INSERT INTO %s (%s, pos, skill, "
				               "level, weight, optional) VALUES (?1, "
				               "?2, ?3, ?4, ?5, ?6)", fl->child,
				               kd->noun);
			else
				lmi_buf_printf(&sql, "INSERT INTO %s (%s, pos, %s) "
				               "VALUES (?1, ?2, ?3)", fl->child,
				               kd->noun, fl->child_value);
			lmi_buf_printf(&sql, " ON CONFLICT(%s, pos) DO UPDATE SET ",
			               kd->noun);
			put_update(&sql, lv ? levels : &fl->child_value,
			           lv ? 4 : 1);
			rc = sql.oom ? lmi_db_nomem(db)
			             : lmi_db_prepare(db, sql.v, &w->ins[k][f]);
			sql.n = 0;
			lmi_buf_printf(&sql, "DELETE FROM %s WHERE %s = ?1 AND "
			               "pos >= ?2", fl->child, kd->noun);
			if (!rc)
				rc = sql.oom ? lmi_db_nomem(db)
				             : lmi_db_prepare(db, sql.v,
				                              &w->del[k][f]);
		}
	}
	lmi_buf_free(&sql);
	return rc;
}

void lmi_row_writer_close(lmi_row_writer *w)
{
	for (int k = 0; k < LMI_KIND_COUNT; k++) {
		sqlite3_finalize(w->row[k]);
		for (size_t f = 0; f < LMI_FIELDS_MAX; f++) {
			sqlite3_finalize(w->del[k][f]);
			sqlite3_finalize(w->ins[k][f]);
		}
	}
	lmi_buf_free(&w->scratch);
	memset(w, 0, sizeof(*w));
}

int lmi_row_write(lmi_row_writer *w, lm_kind k, const void *rec, uint32_t i)
{
	const lmi_kind_desc *kd = &lmi_kinds[k];
	lmi_col cols[LMI_COLS_MAX];
	size_t n = lmi_row_columns(kd, INT32_MAX, cols);
	sqlite3_stmt *st = w->row[k];
	int brc = SQLITE_OK;
	for (size_t c = 0; c < n; c++) {
		lmi_sqlval v;
		if (lmi_row_value(w->cat, &cols[c], rec, i, &w->scratch, &v))
			return lmi_db_nomem(w->db);
		lmi_bind_value(st, (int)c + 1, &v, &brc);
	}
	char what[64];
	snprintf(what, sizeof(what), "writing %s %s", article(kd->noun),
	         kd->noun);
	return lmi_db_run(w->db, st, brc, what);
}

/* Item j of list field f of record rec (record i) into the child row
 * statement st, after the parent's id and the position. */
static void bind_item(const lmi_row_writer *w, sqlite3_stmt *st,
                      const lmi_field *f, const void *rec, uint32_t i,
                      uint32_t j, int *brc)
{
	const lm_catalog *c = w->cat;
	const lmi_resolved *r = &c->r;
	switch (f->type) {
	case LMI_T_STRS:
		lmi_bind_text(st, 3, (*LMI_CAT(const char **, rec, f->off))[j],
		              brc);
		break;
	case LMI_T_REFS:
		lmi_bind_text(st, 3, (*LMI_CAT(lmi_ref *, rec, f->off))[j].id,
		              brc);
		break;
	default: {
		/* A need's skills, from the resolved layer, which keeps the
		 * record's order. */
		uint32_t k = r->need_skill_off[i] + j;
		lmi_bind_text(st, 3, lmi_catalog_id(c, LM_SKILL, r->need_skill[k]),
		              brc);
		lmi_bind_int(st, 4, r->need_level[k], brc);
		lmi_bind_double(st, 5, r->need_weight[k], brc);
		lmi_bind_int(st, 6, r->need_optional[k] ? 1 : 0, brc);
		break;
	}
	}
}

int lmi_row_write_lists(lmi_row_writer *w, lm_kind k, const void *rec,
                        uint32_t i, bool existed)
{
	const lmi_kind_desc *kd = &lmi_kinds[k];
	const char *id = *LMI_CAT(const char *, rec, kd->fields[0].off);
	int rc = LM_OK;
	for (size_t f = 0; !rc && f < kd->n_fields; f++) {
		const lmi_field *fl = &kd->fields[f];
		if (!in_child(fl))
			continue;
		char what[64];
		snprintf(what, sizeof(what), "writing %s %s", kd->noun, fl->key);
		uint32_t n = fl->type == LMI_T_LEVELS
			? w->cat->r.need_skill_off[i + 1] - w->cat->r.need_skill_off[i]
			: *LMI_CAT(uint32_t, rec, fl->off_count);
		for (uint32_t j = 0; !rc && j < n; j++) {
			sqlite3_stmt *st = w->ins[k][f];
			int brc = SQLITE_OK;
			lmi_bind_text(st, 1, id, &brc);
			lmi_bind_int(st, 2, j, &brc);
			bind_item(w, st, fl, rec, i, j, &brc);
			rc = lmi_db_run(w->db, st, brc, what);
		}
		/* A record new to the database had no list before. */
		if (!rc && existed) {
			int brc = SQLITE_OK;
			lmi_bind_text(w->del[k][f], 1, id, &brc);
			lmi_bind_int(w->del[k][f], 2, n, &brc);
			rc = lmi_db_run(w->db, w->del[k][f], brc,
			                "replacing a record's lists");
		}
	}
	return rc;
}
