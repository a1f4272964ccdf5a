/* SPDX-License-Identifier: MIT */
/*
 * store_read.c -- reading a libmatch database into a catalogue
 * (lm_db_read, lm_db_read_kinds), all of it or only some kinds.
 *
 * The database is the durable form of a catalogue.  Reading builds an
 * unresolved batch from the tables and merges it like any other batch, so
 * the rules of model/merge.c (references, cycles, settings ranges) are the only
 * rules, and a database changed behind libmatch's back is reported, not
 * trusted.  A kind's rows are read by the columns its field table gives
 * (store_row.c), each by its field's type; lists come from JSON in the
 * row or from child tables, as the schema version keeps them.
 */
#include "io/store.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
		                  lmi_db_name(db), sqlite3_column_name(st, i));
	}
	const unsigned char *t = sqlite3_column_text(st, i);
	if (!t)
		return lmi_db_nomem(db);
	int n = sqlite3_column_bytes(st, i);
	char *s = lmi_arena_strndup(&b->arena, (const char *)t, (size_t)n);
	if (!s)
		return lmi_db_nomem(db);
	*out = s;
	return LM_OK;
}

/* Copy a temporary vector into the batch's arena; *out is NULL for n 0. */
static int arena_copy(lm_db *db, lm_catalog *b, const void *src, size_t n,
                      size_t elem, void *out)
{
	void *p = NULL;
	if (n > UINT32_MAX)
		return lmi_err_set(&db->err, LM_EDB, "%s: a list is too long",
		                  lmi_db_name(db));
	if (n) {
		p = lmi_arena_alloc(&b->arena, n * elem);
		if (!p)
			return lmi_db_nomem(db);
		memcpy(p, src, n * elem);
	}
	memcpy(out, &p, sizeof(p));
	return LM_OK;
}

/* What a read keeps while it reads, reused for every record. */
typedef struct read_tmp {
	lm_db *db;
	lm_catalog *b;          /* the batch read into */
	int version;            /* the database's schema */
	const lmi_kind_desc *kd; /* the kind being read */
	const lmi_field *f;     /* the list being read */
	/* a record's list while it is read */
	LM_VEC(const char *) str;
	LM_VEC(lmi_ref) ref;
	LM_VEC(lmi_level_rec) lvl;
	LM_VEC(lmi_availability_rec) avail;
	lmi_map intern;        /* text -> index in str_pool (keys are those) */
	LM_VEC(const char *) str_pool;
	lmi_buf text;        /* a JSON string of a list, unescaped */
	lmi_buf sql;         /* the statement being prepared */
	/* json_type(), then json_each() of skills and of languages:
	 * read_json_list's way for lists not in libmatch's form */
	sqlite3_stmt *json_each[3];
} read_tmp;

/* txt (len bytes, NUL-terminated) as a string that many rows repeat (a
 * skill, language, garden or place id): one copy in the batch's arena
 * serves them all, which saves a copy per row (millions for a national
 * database). */
static int intern(read_tmp *t, const char *txt, size_t len, const char **out)
{
	uint32_t v;
	if (lmi_map_get(&t->intern, txt, &v)) {
		*out = t->str_pool.v[v];
		return LM_OK;
	}
	char *s = lmi_arena_strndup(&t->b->arena, txt, len);
	const char **slot = s ? LM_VEC_PUSH(t->str_pool) : NULL;
	if (!slot)
		return lmi_db_nomem(t->db);
	*slot = s;
	if (lmi_map_put(&t->intern, s, (uint32_t)(t->str_pool.n - 1)))
		return lmi_db_nomem(t->db);
	*out = s;
	return LM_OK;
}

/* Column i as a repeated string (NULL for SQL NULL). */
static int col_intern(read_tmp *t, sqlite3_stmt *st, int i, const char **out)
{
	*out = NULL;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return LM_OK;
	const char *txt = (const char *)sqlite3_column_text(st, i);
	if (!txt)
		return lmi_db_nomem(t->db);
	return intern(t, txt, (size_t)sqlite3_column_bytes(st, i), out);
}

/* Column i as the text of field f: interned when its values repeat, and
 * required when the field is. */
static int col_text(read_tmp *t, sqlite3_stmt *st, int i, const lmi_field *f,
                    const char **out)
{
	if (f->flags & LMI_F_REPEATS)
		return col_intern(t, st, i, out);
	return col_str(t->db, t->b, st, i,
	               (f->flags & LMI_F_REQUIRED) && f->type != LMI_T_LOC, out);
}

/* The id of record i of the kind being read. */
static const char *record_id(const read_tmp *t, size_t i)
{
	const void *rec = lmi_record_at(t->b, t->kd->kind, i);
	return *LMI_CAT(const char *, rec, t->kd->fields[0].off);
}

/* ---- lists ------------------------------------------------------------------ */

/* The list read into t, as field t->f of record i. */
static int list_done(read_tmp *t, size_t i)
{
	const lmi_field *f = t->f;
	void *rec = lmi_record_at(t->b, t->kd->kind, i);
	uint32_t *count = LMI_AT(uint32_t, rec, f->off_count);
	int rc;
	switch (f->type) {
	case LMI_T_LEVELS:
		*count = (uint32_t)t->lvl.n;
		return arena_copy(t->db, t->b, t->lvl.v, t->lvl.n,
		                  sizeof(*t->lvl.v), LMI_AT(void *, rec, f->off));
	case LMI_T_REFS:
		*count = (uint32_t)t->ref.n;
		return arena_copy(t->db, t->b, t->ref.v, t->ref.n,
		                  sizeof(*t->ref.v), LMI_AT(void *, rec, f->off));
	case LMI_T_AVAIL:
		*count = (uint32_t)t->avail.n;
		return arena_copy(t->db, t->b, t->avail.v, t->avail.n,
		                  sizeof(*t->avail.v), LMI_AT(void *, rec, f->off));
	default:
		*count = (uint32_t)t->str.n;
		rc = arena_copy(t->db, t->b, t->str.v, t->str.n, sizeof(*t->str.v),
		                LMI_AT(void *, rec, f->off));
		if (!rc && t->str.n && (f->flags & LMI_F_POS)) {
			/* Positions are used in diagnostics; these have none. */
			lmi_pos *pos = lmi_arena_alloc(&t->b->arena,
			                               t->str.n * sizeof(lmi_pos));
			if (!pos)
				return lmi_db_nomem(t->db);
			memset(pos, 0, t->str.n * sizeof(lmi_pos));
			*LMI_AT(lmi_pos *, rec, f->off_pos) = pos;
		}
		return rc;
	}
}

/* An item of the list being read, into t: a string or a reference, a
 * skill with its level, or a quarter with its capacity. */
static int push_item(read_tmp *t, const char *s, int level)
{
	if (t->f->type == LMI_T_AVAIL) {
		lmi_availability_rec *a = LM_VEC_PUSH(t->avail);
		if (!a)
			return lmi_db_nomem(t->db);
		/* The merge checks that it is a quarter. */
		a->period = s;
		a->capacity = level;
	} else if (t->f->type == LMI_T_LEVELS) {
		lmi_level_rec *l = LM_VEC_PUSH(t->lvl);
		if (!l)
			return lmi_db_nomem(t->db);
		l->skill.id = s;
		l->level = level;
		l->weight = 1.0;
	} else if (t->f->type == LMI_T_REFS) {
		lmi_ref *r = LM_VEC_PUSH(t->ref);
		if (!r)
			return lmi_db_nomem(t->db);
		r->id = s;
	} else {
		const char **slot = LM_VEC_PUSH(t->str);
		if (!slot)
			return lmi_db_nomem(t->db);
		*slot = s;
	}
	return LM_OK;
}

/* A list's item in column 1 of st (record `parent`): a string or a
 * reference, into t. */
static int row_item(read_tmp *t, sqlite3_stmt *st, size_t parent)
{
	(void)parent;
	const char *s;
	int rc = t->f->flags & LMI_F_REPEATS
	         ? col_intern(t, st, 1, &s)
	         : col_str(t->db, t->b, st, 1, true, &s);
	return rc ? rc : push_item(t, s, 0);
}

/* A skill with its level in columns 1 and 2 (and with LMI_F_LONG, weight
 * and optional in 3 and 4), into t. */
static int row_level(read_tmp *t, sqlite3_stmt *st, size_t parent)
{
	if (t->f->flags & LMI_F_LONG) {
		lmi_level_rec *l = LM_VEC_PUSH(t->lvl);
		if (!l)
			return lmi_db_nomem(t->db);
		l->level = sqlite3_column_int(st, 2);
		l->weight = lmi_col_null(st, 3) ? 1.0
		                                : sqlite3_column_double(st, 3);
		l->optional = sqlite3_column_int(st, 4) != 0;
		return col_intern(t, st, 1, &l->skill.id);
	}
	/* Schema 3 keeps the levels in JSON, which SQLite does not check. */
	sqlite3_int64 level = sqlite3_column_int64(st, 2);
	const char *skill = (const char *)sqlite3_column_text(st, 1);
	if (!skill)
		return lmi_err_set(&t->db->err, LM_EDB, "%s: %s '%s': a skill "
		                  "without an id", lmi_db_name(t->db),
		                  t->kd->noun, record_id(t, parent));
	if (sqlite3_column_type(st, 2) != SQLITE_INTEGER || level < 1 ||
	    level > 5)
		return lmi_err_set(&t->db->err, LM_EDB, "%s: %s '%s': the level "
		                  "of skill '%s' is not an integer 1..5",
		                  lmi_db_name(t->db), t->kd->noun,
		                  record_id(t, parent), skill);
	const char *id;
	int rc = col_intern(t, st, 1, &id);
	return rc ? rc : push_item(t, id, (int)level);
}

/* A quarter's capacity in columns 1 and 2 (json_each), checked as the
 * schema cannot. */
static int row_avail(read_tmp *t, sqlite3_stmt *st, size_t parent)
{
	const lmi_field *f = t->f;
	sqlite3_int64 v = sqlite3_column_int64(st, 2);
	const char *q = (const char *)sqlite3_column_text(st, 1), *s;
	if (!q)
		return lmi_db_nomem(t->db);
	if (sqlite3_column_type(st, 2) != SQLITE_INTEGER || v < f->lo ||
	    v > f->hi)
		return lmi_err_set(&t->db->err, LM_EDB, "%s: %s '%s': the %s of "
		                  "quarter '%s' is not an integer %g..%g",
		                  lmi_db_name(t->db), t->kd->noun,
		                  record_id(t, parent), f->noun, q, f->lo, f->hi);
	int rc = col_intern(t, st, 1, &s);
	return rc ? rc : push_item(t, s, (int)v);
}

/* A string of a list kept as JSON: text, like every string libmatch
 * writes. */
static int row_json_string(read_tmp *t, sqlite3_stmt *st, size_t parent)
{
	if (sqlite3_column_type(st, 1) != SQLITE_TEXT)
		return lmi_err_set(&t->db->err, LM_EDB, "%s: %s '%s': a %s "
		                  "is not a string", lmi_db_name(t->db),
		                  t->kd->noun, record_id(t, parent), t->f->noun);
	return row_item(t, st, parent);
}

/*
 * Child tables are read with one query each, ordered by parent id, and
 * merged with the parents (already read in id order, the same BINARY
 * collation) by advancing through both: a query per parent would cost a
 * statement step and an index probe per record, which dominates at
 * 100,000 experts.  Each row is read into t for the parent's index;
 * rows of an unknown parent are an inconsistent database.  `arg`, when
 * not NULL, is bound to ?1.
 */
static int read_children(read_tmp *t, const char *sql, const char *arg,
                         const char *what,
                         int (*row_fn)(read_tmp *, sqlite3_stmt *, size_t))
{
	lm_db *db = t->db;
	sqlite3_stmt *st = NULL;
	size_t at = 0, n_parents = lm_catalog_count(t->b, t->kd->kind);
	bool row;
	int rc = lmi_db_prepare(db, sql, &st);
	if (!rc && arg && sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC))
		rc = lmi_db_fail(db, SQLITE_NOMEM, what);
	bool open_list = false;
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		const char *pid = (const char *)sqlite3_column_text(st, 0);
		if (!pid) {
			rc = lmi_err_set(&db->err, LM_EDB, "%s: %s: NULL parent id",
			                lmi_db_name(db), what);
			break;
		}
		int c = 1;
		while (at < n_parents && (c = strcmp(record_id(t, at), pid)) < 0) {
			if (open_list && (rc = list_done(t, at)))
				break;
			open_list = false;
			at++;
		}
		if (rc)
			break;
		if (at == n_parents || c != 0) {
			rc = lmi_err_set(&db->err, LM_EDB, "%s: %s: a row refers to "
			                "the unknown record '%s'", lmi_db_name(db), what,
			                pid);
			break;
		}
		if (!open_list) {
			t->str.n = t->ref.n = t->lvl.n = 0;
			open_list = true;
		}
		rc = row_fn(t, st, at);
	}
	if (!rc && open_list)
		rc = list_done(t, at);
	sqlite3_finalize(st);
	return rc;
}

/* The list field t->f of every record of the kind from its child table,
 * only the rows of the parent `arg` when it is not NULL. */
static int read_child_list(read_tmp *t, const char *arg)
{
	const lmi_field *f = t->f;
	const char *noun = t->kd->noun;
	lmi_buf *sql = &t->sql;
	char what[64];
	sql->n = 0;
	if (f->type != LMI_T_LEVELS)
		lmi_buf_printf(sql, "SELECT %s, %s FROM %s", noun, f->child_value,
		               f->child);
	else if (f->flags & LMI_F_LONG)
		lmi_buf_printf(sql, "SELECT %s, skill, level, weight, optional "
		               "FROM %s", noun, f->child);
	else
		lmi_buf_printf(sql, "SELECT %s, skill, level FROM %s", noun,
		               f->child);
	if (arg)
		lmi_buf_printf(sql, " WHERE %s = ?1", noun);
	/* A short list of levels (an expert's, schema 1 and 2) has no
	 * positions: it is in skill order. */
	lmi_buf_printf(sql, " ORDER BY %s, %s", noun,
	               f->type == LMI_T_LEVELS && !(f->flags & LMI_F_LONG)
	               ? "skill" : "pos");
	if (sql->oom)
		return lmi_db_nomem(t->db);
	snprintf(what, sizeof(what), "reading %s %s", noun, f->key);
	return read_children(t, sql->v, arg, what,
	                     f->type == LMI_T_LEVELS ? row_level : row_item);
}

/*
 * Schema 3 keeps an expert's skills and languages as JSON in its row.
 * What libmatch writes is parsed by store_json.c, several times faster
 * than json_each() at 100,000 experts.  Anything else (edited by hand)
 * goes through SQLite's json_each(), row by row as the views give it, so
 * that its values are checked and its errors worded the same as when it
 * is read as rows.
 */

/* An entry of the list (lmi_json_entry_fn), into t. */
static int json_entry(void *arg, const char *s, size_t n, int level)
{
	read_tmp *t = arg;
	const char *str;
	int rc = intern(t, s, n, &str);
	return rc ? rc : push_item(t, str, level);
}

/* Column i of st, list field t->f of record e, into t. */
static int read_json_list(read_tmp *t, sqlite3_stmt *st, int i, size_t e)
{
	lm_db *db = t->db;
	const lmi_field *f = t->f;
	bool skills = f->type == LMI_T_LEVELS;
	bool object = f->type != LMI_T_STRS; /* skills, availability */
	int lo = skills ? 1 : (int)f->lo, hi = skills ? 5 : (int)f->hi;
	int rc = LM_OK;
	t->lvl.n = t->str.n = t->avail.n = 0;
	/* The type before anything converts the value. */
	int type = sqlite3_column_type(st, i);
	if (type == SQLITE_NULL && !skills)
		return LM_OK;
	if (type == SQLITE_TEXT) {
		const char *text = (const char *)sqlite3_column_text(st, i);
		size_t len = (size_t)sqlite3_column_bytes(st, i);
		if (!text)
			return lmi_db_nomem(db);
		if (lmi_json_list_fast(text, len, object, lo, hi, &t->text,
		                       json_entry, t, &rc))
			return rc;
		if (t->text.oom)
			return lmi_db_nomem(db);
		t->lvl.n = t->str.n = t->avail.n = 0;
	}

	/* Anything else, as the views read it, and checked: an object of
	 * integer levels, an array of strings.  A value of another JSON type
	 * comes as NULL (json_each gives true as 1, an array as its text),
	 * which the row functions refuse. */
	char what[64];
	snprintf(what, sizeof(what), "reading %s %s", t->kd->noun, f->key);
	sqlite3_stmt **kind = &t->json_each[0], **q = &t->json_each[1 + !object];
	if (!*kind)
		rc = lmi_db_prepare(db, "SELECT json_type(?1)", kind);
	if (!rc && !*q)
		rc = lmi_db_prepare(db, object
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
		return lmi_db_nomem(db);
	rc = lmi_db_step(db, *kind, what, &row);
	const char *got = rc || !row ? NULL
	                             : (const char *)sqlite3_column_text(*kind, 0);
	if (!rc && (!got || strcmp(got, object ? "object" : "array")))
		rc = lmi_err_set(&db->err, LM_EDB, "%s: %s '%s': its %s %s "
		                "not a JSON %s", lmi_db_name(db), t->kd->noun,
		                record_id(t, e), f->key,
		                f->type == LMI_T_AVAIL ? "is" : "are",
		                object ? "object" : "array");
	sqlite3_reset(*kind);
	if (rc)
		return rc;
	sqlite3_reset(*q);
	if (sqlite3_bind_value(*q, 1, v) != SQLITE_OK)
		return lmi_db_nomem(db);
	while (!rc && !(rc = lmi_db_step(db, *q, what, &row)) && row)
		rc = skills ? row_level(t, *q, e)
		   : object ? row_avail(t, *q, e) : row_json_string(t, *q, e);
	sqlite3_reset(*q);
	return rc;
}

/* ---- rows ---------------------------------------------------------------------- */

/* Column c of st, the column `col` of record i, into the record. */
static int read_col(read_tmp *t, sqlite3_stmt *st, int c, const lmi_col *col,
                    size_t i)
{
	const lmi_field *f = col->f;
	void *rec = lmi_record_at(t->b, t->kd->kind, i);
	bool null = lmi_col_null(st, c);
	switch (f->type) {
	case LMI_T_STR:
	case LMI_T_PERIOD:
	case LMI_T_DATE:
	case LMI_T_TEXT:
		return col_text(t, st, c, f, LMI_AT(const char *, rec, f->off));
	case LMI_T_REF:
		return col_text(t, st, c, f, &LMI_AT(lmi_ref, rec, f->off)->id);
	case LMI_T_LOC:
		if (col->sub) {
			*LMI_AT(double, rec, col->sub == 1 ? f->off_lat
			                                   : f->off_lon) =
				sqlite3_column_double(st, c);
			return LM_OK;
		}
		*LMI_AT(bool, rec, f->off_coords) = null;
		return col_text(t, st, c, f, &LMI_AT(lmi_ref, rec, f->off)->id);
	case LMI_T_LEVELS:
	case LMI_T_STRS:
	case LMI_T_REFS:
	case LMI_T_AVAIL: {
		t->f = f;
		int rc = read_json_list(t, st, c, i);
		return rc ? rc : list_done(t, i);
	}
	case LMI_T_ENUM: {
		const char *s = (const char *)sqlite3_column_text(st, c);
		if (!s)
			return LM_OK;
		for (size_t k = 0; k < f->n_names; k++) {
			if (!strcasecmp(s, f->names[k])) {
				lmi_field_set_num(f, rec, (double)k);
				return LM_OK;
			}
		}
		return lmi_err_set(&t->db->err, LM_EDB, "%s: %s '%s' has an "
		                  "unknown %s '%s'", lmi_db_name(t->db),
		                  t->kd->noun, record_id(t, i), f->key, s);
	}
	case LMI_T_BOOL:
	case LMI_T_FLAG:
		if (!null)
			lmi_field_set_num(f, rec, sqlite3_column_int(st, c) != 0);
		return LM_OK;
	case LMI_T_INT:
		if (!null)
			lmi_field_set_num(f, rec, sqlite3_column_int(st, c));
		return LM_OK;
	case LMI_T_NUM:
		if (!null)
			lmi_field_set_num(f, rec, sqlite3_column_double(st, c));
		return LM_OK;
	}
	return LM_OK;
}

/*
 * Every record of kind k, or those that `where` (with `arg` bound to ?1)
 * selects, then the lists it keeps in child tables (only the rows of
 * parent `arg` when `child_arg` is set).
 */
static int read_kind(read_tmp *t, lm_kind k, const char *where,
                     const char *arg, bool child_arg)
{
	lm_db *db = t->db;
	const lmi_kind_desc *kd = &lmi_kinds[k];
	lmi_col cols[LMI_COLS_MAX];
	size_t ncols = lmi_row_columns(kd, t->version, cols);
	sqlite3_stmt *st = NULL;
	char what[64];
	bool row;
	t->kd = kd;
	snprintf(what, sizeof(what), "reading %s", kd->plural);
	lmi_row_select_sql(&t->sql, kd, t->version, where);
	int rc = t->sql.oom ? lmi_db_nomem(db)
	                    : lmi_db_prepare(db, t->sql.v, &st);
	if (!rc && arg && sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC))
		rc = lmi_db_fail(db, SQLITE_NOMEM, what);
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		if (!lmi_record_add(t->b, k)) { /* with its defaults */
			rc = lmi_db_nomem(db);
			break;
		}
		size_t i = lm_catalog_count(t->b, k) - 1;
		for (size_t c = 0; !rc && c < ncols; c++)
			rc = read_col(t, st, (int)c, &cols[c], i);
	}
	sqlite3_finalize(st);
	/* Children after the parents: the record array no longer moves. */
	for (size_t f = 0; !rc && f < kd->n_fields; f++) {
		t->f = &kd->fields[f];
		if (lmi_row_child(t->f, t->version))
			rc = read_child_list(t, child_arg ? arg : NULL);
	}
	return rc;
}

static int read_settings(lm_db *db, lm_catalog *b)
{
	const char *what = "reading settings";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = lmi_db_prepare(db, "SELECT key, value FROM settings ORDER BY key",
	                        &st);
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		double v = sqlite3_column_double(st, 1);
		/* A key this version does not know is skipped, not fatal: it
		 * changes no behaviour here, and a newer libmatch may add
		 * settings without a new schema. */
		for (int k = 0; key && k < LM_SET_COUNT; k++) {
			if (strcmp(key, lmi_settings[k].key) != 0)
				continue;
			/* A whole number out of range becomes -1, which the
			 * merge's range check reports. */
			if (lmi_settings[k].is_int && !(v >= 0 && v <= 1000000))
				v = -1;
			lmi_setting_set(&b->settings, k, v);
			b->settings.set |= 1u << k;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

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

int lmi_db_read_catalog_kinds(lm_db *db, unsigned kinds,
                              const char *only_need, lm_catalog **out)
{
	/* The order of reading: a damaged database is reported at the same
	 * first problem every time. */
	static const lm_kind order[] = {
		LM_PLACE, LM_GARDEN, LM_SKILL, LM_COMPANY, LM_EXPERT, LM_NEED,
		LM_DISTANCE, LM_ENGAGEMENT};
	lm_catalog *cat = NULL, *b = NULL;
	read_tmp t;
	memset(&t, 0, sizeof(t));
	*out = NULL;
	int rc = lm_catalog_new(&cat);
	if (!rc)
		rc = lm_catalog_new(&b);
	if (rc) {
		rc = lmi_db_nomem(db);
		goto cleanup;
	}
	long long version = 0, data_version = 0;
	rc = lmi_db_query_int(db, "PRAGMA user_version", "reading", &version);
	/* In the same snapshot as the rows (store_schema.h, version 4). */
	if (!rc && version >= 4)
		rc = lmi_db_query_int(db, "SELECT value FROM meta "
		                      "WHERE key = 'data_version'", "reading",
		                      &data_version);
	t.db = db;
	t.b = b;
	t.version = (int)version;
	kinds = kinds_closure(kinds);
	for (size_t i = 0; !rc && i < sizeof(order) / sizeof(order[0]); i++) {
		lm_kind k = order[i];
		if (!(kinds & BIT(k)))
			continue;
		if (k == LM_COMPANY && only_need)
			rc = read_kind(&t, k, "WHERE id = (SELECT company FROM "
			               "needs WHERE id = ?1)", only_need, false);
		else if (k == LM_NEED && only_need)
			rc = read_kind(&t, k, "WHERE id = ?1", only_need, true);
		else
			rc = read_kind(&t, k, NULL, NULL, false);
	}
	if (!rc)
		rc = read_settings(db, b);
	if (rc)
		goto cleanup;
	rc = lmi_catalog_merge(cat, b, &db->err);
	if (rc == LM_EINPUT)
		/* The schema's constraints should make this impossible; it
		 * means the file was changed behind libmatch's back. */
		rc = lmi_err_set(&db->err, LM_EDB,
		                "%s: the database holds inconsistent data: %s",
		                lmi_db_name(db), lmi_err_msg(&db->err));
	if (rc)
		goto cleanup;
	cat->data_version = data_version > 0 ? (uint64_t)data_version : 0;
	*out = cat;
	cat = NULL;

cleanup:
	free(t.str.v);
	free(t.ref.v);
	free(t.lvl.v);
	free(t.avail.v);
	free(t.str_pool.v);
	lmi_buf_free(&t.text);
	lmi_buf_free(&t.sql);
	for (int i = 0; i < 3; i++)
		sqlite3_finalize(t.json_each[i]);
	lmi_map_free(&t.intern);
	lm_catalog_free(b);
	lm_catalog_free(cat);
	return rc;
}

int lmi_db_read_catalog(lm_db *db, lm_catalog **out)
{
	return lmi_db_read_catalog_kinds(db, LM_KINDS_ALL, NULL, out);
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
	int rc = lmi_db_enter(db);
	if (rc)
		return rc;
	/* One snapshot for all the tables, even while a writer commits. */
	rc = lmi_db_exec(db, "BEGIN", "reading");
	if (!rc)
		rc = lmi_db_read_catalog_kinds(db, kinds, NULL, out);
	rc = lmi_tx_end(db, rc);
	if (rc) {
		lm_catalog_free(*out);
		*out = NULL;
	}
	return rc;
}
