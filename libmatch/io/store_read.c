/* SPDX-License-Identifier: MIT */
/*
 * store_read.c -- reading a libmatch database into a catalogue
 * (lm_db_read, lm_db_read_kinds), all of it or only some kinds.
 *
 * The database is the durable form of a catalogue.  Reading builds an
 * unresolved batch from the tables and merges it like any other batch, so
 * the rules of model/merge.c (references, cycles, settings ranges) are the only
 * rules, and a database changed behind libmatch's back is reported, not
 * trusted.
 */
#include "io/store.h"

#include <stdlib.h>
#include <string.h>

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

/* Temporary lists, reused for every parent record while reading. */
typedef struct read_tmp {
	LM_VEC(const char *) str;
	LM_VEC(lmi_ref) ref;
	LM_VEC(lmi_level_rec) lvl;
	lmi_map intern;        /* text -> index in str_pool (keys are those) */
	LM_VEC(const char *) str_pool;
	lmi_buf text;        /* a JSON string of a list, unescaped */
	/* json_type(), then json_each() of skills and of languages:
	 * read_json_list's way for lists not in libmatch's form */
	sqlite3_stmt *json_each[3];
} read_tmp;

/* Column i as a string that many rows repeat (a skill, language, garden
 * or place id): one copy in the batch's arena serves them all, which
 * saves a copy per row (millions for a national database). */
static int intern(lm_db *db, lm_catalog *b, read_tmp *t, const char *txt,
                  size_t len, const char **out);

static int col_intern(lm_db *db, lm_catalog *b, sqlite3_stmt *st, int i,
                      read_tmp *t, const char **out)
{
	*out = NULL;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return LM_OK;
	const char *txt = (const char *)sqlite3_column_text(st, i);
	if (!txt)
		return lmi_db_nomem(db);
	return intern(db, b, t, txt, (size_t)sqlite3_column_bytes(st, i), out);
}

/* txt (len bytes, NUL-terminated) as a string many rows repeat. */
static int intern(lm_db *db, lm_catalog *b, read_tmp *t, const char *txt,
                  size_t len, const char **out)
{
	uint32_t v;
	if (lmi_map_get(&t->intern, txt, &v)) {
		*out = t->str_pool.v[v];
		return LM_OK;
	}
	char *s = lmi_arena_strndup(&b->arena, txt, len);
	const char **slot = s ? LM_VEC_PUSH(t->str_pool) : NULL;
	if (!slot)
		return lmi_db_nomem(db);
	*slot = s;
	if (lmi_map_put(&t->intern, s, (uint32_t)(t->str_pool.n - 1)))
		return lmi_db_nomem(db);
	*out = s;
	return LM_OK;
}

/*
 * Child tables are read with one query each, ordered by parent id, and
 * merged with the parents (already read in id order, the same BINARY
 * collation) by advancing through both: a query per parent would cost a
 * statement step and an index probe per record, which dominates at
 * 100,000 experts.  `row` is called for each child row with the parent's
 * index; rows of an unknown parent are an inconsistent database.
 */
typedef int (*child_row_fn)(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                            size_t parent, read_tmp *t);
typedef int (*child_done_fn)(lm_db *db, lm_catalog *b, size_t parent,
                             read_tmp *t);

static int read_children(lm_db *db, lm_catalog *b, const char *sql,
                         const char *arg, const char *what, size_t n_parents,
                         const char *(*parent_id)(const lm_catalog *, size_t),
                         child_row_fn row_fn, child_done_fn done_fn,
                         read_tmp *t)
{
	sqlite3_stmt *st = NULL;
	size_t at = 0;
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
		while (at < n_parents &&
		       (c = strcmp(parent_id(b, at), pid)) < 0) {
			if (open_list && (rc = done_fn(db, b, at, t)))
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
		rc = row_fn(db, b, st, at, t);
	}
	if (!rc && open_list)
		rc = done_fn(db, b, at, t);
	sqlite3_finalize(st);
	return rc;
}

static const char *skill_id_at(const lm_catalog *b, size_t i)
{
	return b->skills.v[i].id;
}

static const char *expert_id_at(const lm_catalog *b, size_t i)
{
	return b->experts.v[i].id;
}

static const char *need_id_at(const lm_catalog *b, size_t i)
{
	return b->needs.v[i].id;
}

/* Column 1 as a string into t->str. */
static int row_string(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                      size_t parent, read_tmp *t)
{
	(void)parent;
	const char **slot = LM_VEC_PUSH(t->str);
	if (!slot)
		return lmi_db_nomem(db);
	return col_str(db, b, st, 1, true, slot);
}

/* Column 1 as a repeated string (a language) into t->str. */
static int row_interned(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                        size_t parent, read_tmp *t)
{
	(void)parent;
	const char **slot = LM_VEC_PUSH(t->str);
	if (!slot)
		return lmi_db_nomem(db);
	return col_intern(db, b, st, 1, t, slot);
}

static int alias_done(lm_db *db, lm_catalog *b, size_t i, read_tmp *t)
{
	lmi_skill_rec *s = &b->skills.v[i];
	int rc = arena_copy(db, b, t->str.v, t->str.n, sizeof(*t->str.v),
	                    &s->aliases);
	if (!rc && t->str.n) {
		/* Positions of aliases are used in diagnostics. */
		s->alias_pos = lmi_arena_alloc(&b->arena, t->str.n * sizeof(lmi_pos));
		if (!s->alias_pos)
			rc = lmi_db_nomem(db);
		else
			memset(s->alias_pos, 0, t->str.n * sizeof(lmi_pos));
	}
	s->n_aliases = (uint32_t)t->str.n;
	return rc;
}

static int row_expert_skill(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                            size_t parent, read_tmp *t)
{
	lmi_level_rec *l = LM_VEC_PUSH(t->lvl);
	if (!l)
		return lmi_db_nomem(db);
	/* Schema 3 keeps the levels in JSON, which SQLite does not check. */
	sqlite3_int64 level = sqlite3_column_int64(st, 2);
	const char *skill = (const char *)sqlite3_column_text(st, 1);
	if (!skill)
		return lmi_err_set(&db->err, LM_EDB, "%s: expert '%s': a skill "
		                  "without an id", lmi_db_name(db),
		                  b->experts.v[parent].id);
	if (sqlite3_column_type(st, 2) != SQLITE_INTEGER || level < 1 ||
	    level > 5)
		return lmi_err_set(&db->err, LM_EDB, "%s: expert '%s': the level "
		                  "of skill '%s' is not an integer 1..5",
		                  lmi_db_name(db), b->experts.v[parent].id, skill);
	l->level = (int)level;
	l->weight = 1.0;
	return col_intern(db, b, st, 1, t, &l->skill.id);
}

/* A language: text, like every string libmatch writes. */
static int row_language(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                        size_t parent, read_tmp *t)
{
	if (sqlite3_column_type(st, 1) != SQLITE_TEXT)
		return lmi_err_set(&db->err, LM_EDB, "%s: expert '%s': a language "
		                  "is not a string", lmi_db_name(db),
		                  b->experts.v[parent].id);
	return row_interned(db, b, st, parent, t);
}

/*
 * Schema 3 keeps an expert's skills and languages as JSON in its row.
 * What libmatch writes is parsed by store_json.c, several times faster
 * than json_each() at 100,000 experts.  Anything else (edited by hand)
 * goes through SQLite's json_each(), row by row as the views give it, so
 * that its values are checked and its errors worded the same as when it
 * is read as rows.
 */
typedef struct json_entry_ctx {
	lm_db *db;
	lm_catalog *b;
	read_tmp *t;
	bool skills;
} json_entry_ctx;

/* An entry of the list (lmi_json_entry_fn): into t->lvl or t->str. */
static int json_entry(void *arg, const char *s, size_t n, int level)
{
	json_entry_ctx *c = arg;
	const char *str;
	int rc = intern(c->db, c->b, c->t, s, n, &str);
	if (rc)
		return rc;
	if (c->skills) {
		lmi_level_rec *l = LM_VEC_PUSH(c->t->lvl);
		if (!l)
			return lmi_db_nomem(c->db);
		l->skill.id = str;
		l->level = level;
		l->weight = 1.0;
	} else {
		const char **slot = LM_VEC_PUSH(c->t->str);
		if (!slot)
			return lmi_db_nomem(c->db);
		*slot = str;
	}
	return LM_OK;
}

/* Column i of st, expert `e`'s skills (or languages), into t. */
static int read_json_list(lm_db *db, lm_catalog *b, sqlite3_stmt *st, int i,
                          size_t e, read_tmp *t, bool skills)
{
	int rc = LM_OK;
	const char *expert = b->experts.v[e].id;
	t->lvl.n = t->str.n = 0;
	/* The type before anything converts the value. */
	int type = sqlite3_column_type(st, i);
	if (type == SQLITE_NULL && !skills)
		return LM_OK;
	if (type == SQLITE_TEXT) {
		const char *text = (const char *)sqlite3_column_text(st, i);
		size_t len = (size_t)sqlite3_column_bytes(st, i);
		if (!text)
			return lmi_db_nomem(db);
		json_entry_ctx ctx = {db, b, t, skills};
		if (lmi_json_list_fast(text, len, skills, &t->text, json_entry,
		                       &ctx, &rc))
			return rc;
		if (t->text.oom)
			return lmi_db_nomem(db);
		t->lvl.n = t->str.n = 0;
	}

	/* Anything else, as the views read it, and checked: an object of
	 * integer levels, an array of strings.  A value of another JSON type
	 * comes as NULL (json_each gives true as 1, an array as its text),
	 * which the row functions refuse. */
	const char *what = skills ? "reading expert skills"
	                          : "reading expert languages";
	sqlite3_stmt **kind = &t->json_each[0], **q = &t->json_each[1 + !skills];
	if (!*kind)
		rc = lmi_db_prepare(db, "SELECT json_type(?1)", kind);
	if (!rc && !*q)
		rc = lmi_db_prepare(db, skills
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
	if (!rc && (!got || strcmp(got, skills ? "object" : "array")))
		rc = lmi_err_set(&db->err, LM_EDB, "%s: expert '%s': its %s are "
		                "not a JSON %s", lmi_db_name(db), expert,
		                skills ? "skills" : "languages",
		                skills ? "object" : "array");
	sqlite3_reset(*kind);
	if (rc)
		return rc;
	sqlite3_reset(*q);
	if (sqlite3_bind_value(*q, 1, v) != SQLITE_OK)
		return lmi_db_nomem(db);
	while (!rc && !(rc = lmi_db_step(db, *q, what, &row)) && row)
		rc = skills ? row_expert_skill(db, b, *q, e, t)
		            : row_language(db, b, *q, e, t);
	sqlite3_reset(*q);
	return rc;
}

static int expert_skills_done(lm_db *db, lm_catalog *b, size_t i,
                              read_tmp *t)
{
	lmi_expert_rec *e = &b->experts.v[i];
	e->n_skills = (uint32_t)t->lvl.n;
	return arena_copy(db, b, t->lvl.v, t->lvl.n, sizeof(*t->lvl.v),
	                  &e->skills);
}

static int languages_done(lm_db *db, lm_catalog *b, size_t i, read_tmp *t)
{
	lmi_expert_rec *e = &b->experts.v[i];
	e->n_languages = (uint32_t)t->str.n;
	return arena_copy(db, b, t->str.v, t->str.n, sizeof(*t->str.v),
	                  &e->languages);
}

static int row_conflict(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                        size_t parent, read_tmp *t)
{
	(void)parent;
	lmi_ref *r = LM_VEC_PUSH(t->ref);
	if (!r)
		return lmi_db_nomem(db);
	return col_intern(db, b, st, 1, t, &r->id);
}

static int conflicts_done(lm_db *db, lm_catalog *b, size_t i, read_tmp *t)
{
	lmi_expert_rec *e = &b->experts.v[i];
	e->n_conflicts = (uint32_t)t->ref.n;
	return arena_copy(db, b, t->ref.v, t->ref.n, sizeof(*t->ref.v),
	                  &e->conflicts);
}

static int row_need_skill(lm_db *db, lm_catalog *b, sqlite3_stmt *st,
                          size_t parent, read_tmp *t)
{
	(void)parent;
	lmi_level_rec *l = LM_VEC_PUSH(t->lvl);
	if (!l)
		return lmi_db_nomem(db);
	l->level = sqlite3_column_int(st, 2);
	l->weight = lmi_col_null(st, 3) ? 1.0 : sqlite3_column_double(st, 3);
	l->optional = sqlite3_column_int(st, 4) != 0;
	return col_intern(db, b, st, 1, t, &l->skill.id);
}

static int need_skills_done(lm_db *db, lm_catalog *b, size_t i, read_tmp *t)
{
	lmi_need_rec *n = &b->needs.v[i];
	n->n_skills = (uint32_t)t->lvl.n;
	return arena_copy(db, b, t->lvl.v, t->lvl.n, sizeof(*t->lvl.v),
	                  &n->skills);
}

static int read_places(lm_db *db, lm_catalog *b)
{
	const char *what = "reading places";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = lmi_db_prepare(db, "SELECT id, name, lat, lon FROM places "
	                        "ORDER BY id", &st);
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		lmi_place_rec *p = lmi_batch_place(b);
		if (!p) {
			rc = lmi_db_nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &p->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &p->name);
		p->lat = sqlite3_column_double(st, 2);
		p->lon = sqlite3_column_double(st, 3);
	}
	sqlite3_finalize(st);
	return rc;
}

static int read_gardens(lm_db *db, lm_catalog *b)
{
	const char *what = "reading gardens";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = lmi_db_prepare(db, "SELECT id, name, place FROM gardens "
	                        "ORDER BY id", &st);
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		lmi_garden_rec *g = lmi_batch_garden(b);
		if (!g) {
			rc = lmi_db_nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &g->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &g->name);
		if (!rc)
			rc = col_str(db, b, st, 2, true, &g->place.id);
	}
	sqlite3_finalize(st);
	return rc;
}

static int read_skills(lm_db *db, lm_catalog *b, read_tmp *t)
{
	const char *what = "reading skills";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = lmi_db_prepare(db, "SELECT id, label, parent FROM skills "
	                        "ORDER BY id", &st);
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		lmi_skill_rec *s = lmi_batch_skill(b);
		if (!s) {
			rc = lmi_db_nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &s->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &s->label);
		if (!rc)
			rc = col_str(db, b, st, 2, false, &s->parent.id);
	}
	sqlite3_finalize(st);
	/* Children after the parents: the record array no longer moves. */
	if (!rc)
		rc = read_children(db, b, "SELECT skill, alias FROM skill_aliases "
		                   "ORDER BY skill, pos", NULL, "reading skill aliases",
		                   b->skills.n, skill_id_at, row_string, alias_done,
		                   t);
	return rc;
}

/* Every company, or only the company of need `need` (when not NULL). */
static int read_companies(lm_db *db, lm_catalog *b, const char *need)
{
	const char *what = "reading companies";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = lmi_db_prepare(db, need
	                        ? "SELECT id, name, place, lat, lon, garden "
	                          "FROM companies WHERE id = "
	                          "(SELECT company FROM needs WHERE id = ?1)"
	                        : "SELECT id, name, place, lat, lon, garden "
	                          "FROM companies ORDER BY id", &st);
	if (!rc && need && sqlite3_bind_text(st, 1, need, -1, SQLITE_STATIC))
		rc = lmi_db_fail(db, SQLITE_NOMEM, what);
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		lmi_company_rec *c = lmi_batch_company(b);
		if (!c) {
			rc = lmi_db_nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &c->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &c->name);
		if (!rc)
			rc = col_str(db, b, st, 2, false, &c->place.id);
		c->place_is_coords = !c->place.id;
		c->place_lat = sqlite3_column_double(st, 3);
		c->place_lon = sqlite3_column_double(st, 4);
		if (!rc)
			rc = col_str(db, b, st, 5, false, &c->garden.id);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The lists of experts kept in tables of their own: skills and languages
 * (schema versions 1 and 2; `tables`), conflicts (every version). */
static int read_expert_children(lm_db *db, lm_catalog *b, read_tmp *t,
                                bool tables)
{
	int rc = LM_OK;
	if (tables)
		rc = read_children(db, b, "SELECT expert, skill, level FROM "
		                   "expert_skills ORDER BY expert, skill", NULL,
		                   "reading expert skills", b->experts.n,
		                   expert_id_at, row_expert_skill,
		                   expert_skills_done, t);
	if (!rc && tables)
		rc = read_children(db, b, "SELECT expert, lang FROM "
		                   "expert_languages ORDER BY expert, pos", NULL,
		                   "reading expert languages", b->experts.n,
		                   expert_id_at, row_interned, languages_done, t);
	if (!rc)
		rc = read_children(db, b, "SELECT expert, company FROM "
		                   "expert_conflicts ORDER BY expert, pos", NULL,
		                   "reading expert conflicts", b->experts.n,
		                   expert_id_at, row_conflict, conflicts_done, t);
	return rc;
}

static int read_experts(lm_db *db, lm_catalog *b, read_tmp *t)
{
	const char *what = "reading experts";
	sqlite3_stmt *st = NULL;
	bool row;
	/* Schema 3 keeps skills and languages in the row (store_schema.h). */
	long long version = 0;
	int rc = lmi_db_query_int(db, "PRAGMA user_version", what, &version);
	bool json = version >= 3;
	if (!rc)
		rc = lmi_db_prepare(db, json
		                    ? "SELECT id, name, garden, home, home_lat, "
		                      "home_lon, capacity, max_travel_km, remote, "
		                      "skills, languages FROM experts ORDER BY id"
		                    : "SELECT id, name, garden, home, home_lat, "
		                      "home_lon, capacity, max_travel_km, remote "
		                      "FROM experts ORDER BY id", &st);
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		lmi_expert_rec *e = lmi_batch_expert(b); /* defaults: -1 */
		if (!e) {
			rc = lmi_db_nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &e->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &e->name);
		if (!rc)
			rc = col_intern(db, b, st, 2, t, &e->garden.id);
		if (!rc)
			rc = col_intern(db, b, st, 3, t, &e->home.id);
		e->home_is_coords = !e->home.id;
		e->home_lat = sqlite3_column_double(st, 4);
		e->home_lon = sqlite3_column_double(st, 5);
		if (!lmi_col_null(st, 6))
			e->capacity = sqlite3_column_int(st, 6);
		if (!lmi_col_null(st, 7))
			e->max_travel_km = sqlite3_column_double(st, 7);
		if (!lmi_col_null(st, 8))
			e->remote = sqlite3_column_int(st, 8) != 0;
		size_t i = b->experts.n - 1;
		if (!rc && json)
			rc = read_json_list(db, b, st, 9, i, t, true);
		if (!rc && json)
			rc = expert_skills_done(db, b, i, t);
		if (!rc && json)
			rc = read_json_list(db, b, st, 10, i, t, false);
		if (!rc && json)
			rc = languages_done(db, b, i, t);
	}
	sqlite3_finalize(st);
	if (!rc)
		rc = read_expert_children(db, b, t, !json);
	return rc;
}

/* Every need, or only the need with id `only` (when not NULL). */
static int read_needs(lm_db *db, lm_catalog *b, read_tmp *t,
                      const char *only)
{
	const char *what = "reading needs";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = lmi_db_prepare(db, only ? "SELECT id, company, title, mode, "
	                                   "experts, language, max_km FROM needs "
	                                   "WHERE id = ?1"
	                                 : "SELECT id, company, title, mode, "
	                                   "experts, language, max_km FROM needs "
	                                   "ORDER BY id", &st);
	if (!rc && only && sqlite3_bind_text(st, 1, only, -1, SQLITE_STATIC))
		rc = lmi_db_fail(db, SQLITE_NOMEM, what);
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		lmi_need_rec *n = lmi_batch_need(b); /* defaults: onsite, 1 */
		if (!n) {
			rc = lmi_db_nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &n->id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &n->company.id);
		if (!rc)
			rc = col_str(db, b, st, 2, false, &n->title);
		const unsigned char *mode = sqlite3_column_text(st, 3);
		if (!rc && mode &&
		    lm_mode_parse((const char *)mode, &n->mode) != LM_OK)
			rc = lmi_err_set(&db->err, LM_EDB, "%s: need '%s' has an "
			                "unknown mode '%s'", lmi_db_name(db), n->id,
			                (const char *)mode);
		if (!lmi_col_null(st, 4))
			n->experts = sqlite3_column_int(st, 4);
		if (!rc)
			rc = col_str(db, b, st, 5, false, &n->language);
		if (!lmi_col_null(st, 6))
			n->max_km = sqlite3_column_double(st, 6);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!rc)
		rc = read_children(db, b, only
		                   ? "SELECT need, skill, level, weight, optional "
		                     "FROM need_skills WHERE need = ?1 "
		                     "ORDER BY need, pos"
		                   : "SELECT need, skill, level, weight, optional "
		                     "FROM need_skills ORDER BY need, pos", only,
		                   "reading need skills", b->needs.n, need_id_at,
		                   row_need_skill, need_skills_done, t);
	sqlite3_finalize(st);
	return rc;
}

static int read_distances(lm_db *db, lm_catalog *b)
{
	const char *what = "reading distances";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = lmi_db_prepare(db, "SELECT a, b, km FROM distances ORDER BY a, b",
	                        &st);
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		lmi_distance_rec *d = lmi_batch_distance(b);
		if (!d) {
			rc = lmi_db_nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &d->from.id);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &d->to.id);
		d->km = sqlite3_column_double(st, 2);
	}
	sqlite3_finalize(st);
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
			if (strcmp(key, lmi_settings_keys[k]) != 0)
				continue;
			/* Out-of-range values become -1, which the merge's
			 * range check reports; the cast itself must not
			 * overflow. */
			if (k == LM_SET_DEFAULT_CAPACITY)
				b->settings.v.default_capacity =
					v >= 0 && v <= 1000000 ? (int)v : -1;
			else
				*lmi_settings_field(&b->settings.v, k) = v;
			b->settings.set |= 1u << k;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static int read_engagements(lm_db *db, lm_catalog *b)
{
	const char *what = "reading engagements";
	sqlite3_stmt *st = NULL;
	bool row;
	int rc = lmi_db_prepare(db, "SELECT period, need, expert, score "
	                        "FROM engagements "
	                        "ORDER BY period, need, expert", &st);
	while (!rc && !(rc = lmi_db_step(db, st, what, &row)) && row) {
		lmi_engagement_rec *e = lmi_batch_engagement(b);
		if (!e) {
			rc = lmi_db_nomem(db);
			break;
		}
		rc = col_str(db, b, st, 0, true, &e->period);
		if (!rc)
			rc = col_str(db, b, st, 1, true, &e->need.id);
		if (!rc)
			rc = col_str(db, b, st, 2, true, &e->expert.id);
		e->score = sqlite3_column_double(st, 3);
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
	kinds = kinds_closure(kinds);
	if (kinds & BIT(LM_PLACE))
		rc = read_places(db, b);
	if (!rc && (kinds & BIT(LM_GARDEN)))
		rc = read_gardens(db, b);
	if (!rc && (kinds & BIT(LM_SKILL)))
		rc = read_skills(db, b, &t);
	if (!rc && (kinds & BIT(LM_COMPANY)))
		rc = read_companies(db, b, only_need);
	if (!rc && (kinds & BIT(LM_EXPERT)))
		rc = read_experts(db, b, &t);
	if (!rc && (kinds & BIT(LM_NEED)))
		rc = read_needs(db, b, &t, only_need);
	if (!rc && (kinds & BIT(LM_DISTANCE)))
		rc = read_distances(db, b);
	if (!rc)
		rc = read_settings(db, b);
	if (!rc && (kinds & BIT(LM_ENGAGEMENT)))
		rc = read_engagements(db, b);
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
	*out = cat;
	cat = NULL;

cleanup:
	free(t.str.v);
	free(t.ref.v);
	free(t.lvl.v);
	free(t.str_pool.v);
	lmi_buf_free(&t.text);
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
	if (!db)
		return LM_EINVAL;
	lmi_err_clear(&db->err);
	if (!db->db)
		return lmi_err_set(&db->err, LM_EDB, "%s: the database is not open",
		                  lmi_db_name(db));
	/* One snapshot for all the tables, even while a writer commits. */
	int rc = lmi_db_exec(db, "BEGIN", "reading");
	if (!rc)
		rc = lmi_db_read_catalog_kinds(db, kinds, NULL, out);
	if (!rc)
		rc = lmi_tx_commit(db);
	if (rc) {
		lmi_tx_rollback(db);
		lm_catalog_free(*out);
		*out = NULL;
	}
	return rc;
}
