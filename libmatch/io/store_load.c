/* SPDX-License-Identifier: MIT */
/*
 * store_load.c -- loading YAML into a database (lm_db_load) in one
 * all-or-nothing write transaction, and the writer of the records a load
 * names.
 *
 * A load reads the database inside its write transaction, merges the YAML
 * into that catalogue (references resolve across files and what is
 * stored), and writes back only the records the files named, with every
 * reference replaced by the canonical id it resolved to.  The experts are
 * written in one statement from the virtual table lm_load_experts
 * (store_vtab.c), and the engine image is rebuilt on a second thread
 * meanwhile (store_imagejob.c).  Any failure, or a progress callback that
 * says stop, rolls everything back.
 */
#include "io/load.h"
#include "io/store.h"

#include <stdlib.h>
#include <string.h>

#define LM_PROGRESS_STEP 1000 /* records between progress reports */

/* The order in which kinds are written: every immediate foreign key points
 * to a kind written before it (skill parents are deferred). */
static const lm_kind write_order[] = {LM_PLACE, LM_GARDEN, LM_SKILL,
                                      LM_COMPANY, LM_EXPERT, LM_NEED};
#define N_WRITE_KINDS (sizeof(write_order) / sizeof(write_order[0]))

/* What a load's files named, copied before the merge empties the batch.
 * Every string is owned by `arena`. */
typedef struct touched {
	lmi_arena arena;
	const char **ids[LM_NEED + 1];
	bool *existed[LM_NEED + 1]; /* the id was in the database before */
	size_t n[LM_NEED + 1];
	/* The database held no record of the kind (a first load): every one
	 * of the merged catalogue is the load's and new, written in id
	 * order without ids or look-ups. */
	bool all[LM_NEED + 1];
	lmi_distance_rec *dist;
	size_t ndist;
	lmi_engagement_rec *eng;
	size_t neng;
	lmi_settings_rec settings;
} touched;

static size_t kind_count(const lm_catalog *c, lm_kind k)
{
	return lm_catalog_count(c, k);
}

static int touched_collect(lm_db *db, touched *t, const lm_catalog *b,
                           const lm_catalog *stored)
{
	lmi_arena *a = &t->arena;
	for (size_t w = 0; w < N_WRITE_KINDS; w++) {
		lm_kind k = write_order[w];
		size_t n = kind_count(b, k);
		if (!n)
			continue;
		if (kind_count(stored, k) == 0) {
			t->all[k] = true;
			continue;
		}
		t->ids[k] = lmi_arena_alloc(a, n * sizeof(*t->ids[k]));
		t->existed[k] = lmi_arena_alloc(a, n * sizeof(*t->existed[k]));
		if (!t->ids[k] || !t->existed[k])
			return lmi_db_nomem(db);
		for (size_t i = 0; i < n; i++) {
			t->ids[k][i] = lmi_arena_strdup(a,
			                               lmi_catalog_id(b, k, (uint32_t)i));
			if (!t->ids[k][i])
				return lmi_db_nomem(db);
			/* A record new to the database has no child rows to
			 * delete before its lists are written. */
			t->existed[k][i] = lmi_map_get(&stored->ids[k], t->ids[k][i],
			                              NULL);
		}
		t->n[k] = n;
	}
	if (b->distances.n) {
		t->dist = lmi_arena_alloc(a, b->distances.n * sizeof(*t->dist));
		if (!t->dist)
			return lmi_db_nomem(db);
		for (size_t i = 0; i < b->distances.n; i++) {
			const lmi_distance_rec *d = &b->distances.v[i];
			t->dist[i].from.id = lmi_arena_strdup(a, d->from.id);
			t->dist[i].to.id = lmi_arena_strdup(a, d->to.id);
			t->dist[i].km = d->km;
			if (!t->dist[i].from.id || !t->dist[i].to.id)
				return lmi_db_nomem(db);
		}
		t->ndist = b->distances.n;
	}
	if (b->engagements.n) {
		t->eng = lmi_arena_alloc(a, b->engagements.n * sizeof(*t->eng));
		if (!t->eng)
			return lmi_db_nomem(db);
		for (size_t i = 0; i < b->engagements.n; i++) {
			const lmi_engagement_rec *e = &b->engagements.v[i];
			t->eng[i].period = lmi_arena_strdup(a, e->period);
			t->eng[i].need.id = lmi_arena_strdup(a, e->need.id);
			t->eng[i].expert.id = lmi_arena_strdup(a, e->expert.id);
			t->eng[i].score = e->score;
			if (!t->eng[i].period || !t->eng[i].need.id ||
			    !t->eng[i].expert.id)
				return lmi_db_nomem(db);
		}
		t->neng = b->engagements.n;
	}
	t->settings = b->settings;
	return LM_OK;
}

/* The write statements of a load, prepared once and reused. */
enum {
	W_PLACE, W_GARDEN, W_SKILL, W_ALIAS_DEL, W_ALIAS, W_COMPANY,
	W_EXPERT, W_CONFL_DEL, W_CONFL, W_NEED, W_NSKILL_DEL, W_NSKILL,
	W_DIST_DEL, W_DIST, W_SETTING, W_ENGAGE, W_COUNT
};

/* UPSERT rather than INSERT OR REPLACE: a replace deletes the row first,
 * which would cascade to (or be refused by) the rows that refer to it. */
static const char *const write_sql[W_COUNT] = {
	[W_PLACE] = "INSERT INTO places (id, name, lat, lon) "
	            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET "
	            "name = excluded.name, lat = excluded.lat, "
	            "lon = excluded.lon",
	[W_GARDEN] = "INSERT INTO gardens (id, name, place) "
	             "VALUES (?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET "
	             "name = excluded.name, place = excluded.place",
	[W_SKILL] = "INSERT INTO skills (id, label, parent) "
	            "VALUES (?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET "
	            "label = excluded.label, parent = excluded.parent",
	[W_ALIAS_DEL] = "DELETE FROM skill_aliases WHERE skill = ?1",
	[W_ALIAS] = "INSERT INTO skill_aliases (skill, pos, alias) "
	            "VALUES (?1, ?2, ?3)",
	[W_COMPANY] = "INSERT INTO companies (id, name, place, lat, lon, "
	              "garden) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
	              "ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
	              "place = excluded.place, lat = excluded.lat, "
	              "lon = excluded.lon, garden = excluded.garden",
	/* Every expert of the load in one statement (lm_load_experts);
	 * "WHERE true" keeps ON CONFLICT from being read as a join's. */
	[W_EXPERT] = "INSERT INTO experts (id, name, garden, home, home_lat, "
	             "home_lon, capacity, max_travel_km, remote, skills, "
	             "languages) SELECT * FROM lm_load_experts WHERE true "
	             "ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
	             "garden = excluded.garden, home = excluded.home, "
	             "home_lat = excluded.home_lat, "
	             "home_lon = excluded.home_lon, "
	             "capacity = excluded.capacity, "
	             "max_travel_km = excluded.max_travel_km, "
	             "remote = excluded.remote, skills = excluded.skills, "
	             "languages = excluded.languages",
	[W_CONFL_DEL] = "DELETE FROM expert_conflicts WHERE expert = ?1",
	[W_CONFL] = "INSERT INTO expert_conflicts (expert, pos, company) "
	            "VALUES (?1, ?2, ?3)",
	[W_NEED] = "INSERT INTO needs (id, company, title, mode, experts, "
	           "language, max_km) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
	           "ON CONFLICT(id) DO UPDATE SET company = excluded.company, "
	           "title = excluded.title, mode = excluded.mode, "
	           "experts = excluded.experts, language = excluded.language, "
	           "max_km = excluded.max_km",
	[W_NSKILL_DEL] = "DELETE FROM need_skills WHERE need = ?1",
	[W_NSKILL] = "INSERT INTO need_skills (need, pos, skill, level, "
	             "weight, optional) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	/* One row per unordered pair: a re-load written the other way
	 * round replaces the old row. */
	[W_DIST_DEL] = "DELETE FROM distances WHERE (a = ?1 AND b = ?2) "
	               "OR (a = ?2 AND b = ?1)",
	[W_DIST] = "INSERT INTO distances (a, b, km) VALUES (?1, ?2, ?3)",
	[W_SETTING] = "INSERT INTO settings (key, value) VALUES (?1, ?2) "
	              "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	[W_ENGAGE] = "INSERT INTO engagements (period, need, expert, score, "
	             "committed_at) VALUES (?1, ?2, ?3, ?4, "
	             "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
	             "ON CONFLICT(period, need, expert) DO UPDATE SET "
	             "score = excluded.score",
};

typedef struct writer {
	lm_db *db;
	const lm_catalog *cat; /* the merged catalogue: DB + files */
	sqlite3_stmt *st[W_COUNT];
	lm_progress_fn progress;
	void *ctx;
	size_t done, total;
	bool existed;     /* the record being written was stored before */
	lmi_load_rows rows; /* the experts to write, for lm_load_experts */
} writer;

static int tick(writer *w)
{
	w->done++;
	if (w->progress && (w->done % LM_PROGRESS_STEP == 0 ||
	                    w->done == w->total) &&
	    w->progress("load", w->done, w->total, w->ctx))
		return lmi_err_set(&w->db->err, LM_ECANCELED,
		                  "%s: load stopped by the progress callback; "
		                  "nothing was written", lmi_db_name(w->db));
	return LM_OK;
}

/* After each expert lm_load_experts gives (lmi_load_rows.next). */
static int tick_row(void *w)
{
	return tick(w);
}

/* The canonical id a reference (id, name or alias) resolves to. */
static int resolve_id(writer *w, lm_kind k, const char *key, const char **out)
{
	uint32_t ix;
	*out = NULL;
	if (key && lmi_catalog_lookup(w->cat, k, key, &ix))
		*out = lmi_catalog_id(w->cat, k, ix);
	if (!*out)
		return lmi_err_set(&w->db->err, LM_ERROR,
		                  "internal error: %s reference '%s' did not "
		                  "resolve after the merge", lm_kind_name(k),
		                  key ? key : "(null)");
	return LM_OK;
}

/* Delete the child rows of a parent (statement `del`), for re-insertion. */
static int clear_children(writer *w, int del, const char *parent)
{
	int brc = SQLITE_OK;
	if (!w->existed)
		return LM_OK;
	lmi_bind_text(w->st[del], 1, parent, &brc);
	return lmi_db_run(w->db, w->st[del], brc, "replacing a record's lists");
}

static int write_place(writer *w, uint32_t i)
{
	const lmi_place_rec *p = &w->cat->places.v[i];
	sqlite3_stmt *st = w->st[W_PLACE];
	int brc = SQLITE_OK;
	lmi_bind_text(st, 1, p->id, &brc);
	lmi_bind_text(st, 2, p->name, &brc);
	lmi_bind_double(st, 3, p->lat, &brc);
	lmi_bind_double(st, 4, p->lon, &brc);
	return lmi_db_run(w->db, st, brc, "writing a place");
}

static int write_garden(writer *w, uint32_t i)
{
	const lm_catalog *c = w->cat;
	const lmi_garden_rec *g = &c->gardens.v[i];
	sqlite3_stmt *st = w->st[W_GARDEN];
	int brc = SQLITE_OK;
	lmi_bind_text(st, 1, g->id, &brc);
	lmi_bind_text(st, 2, g->name, &brc);
	lmi_bind_text(st, 3, lmi_canonical_id(c, LM_PLACE, c->r.garden_place[i]),
	              &brc);
	return lmi_db_run(w->db, st, brc, "writing a garden");
}

static int write_skill(writer *w, uint32_t i)
{
	const lm_catalog *c = w->cat;
	const lmi_skill_rec *s = &c->skills.v[i];
	sqlite3_stmt *st = w->st[W_SKILL];
	int brc = SQLITE_OK;
	lmi_bind_text(st, 1, s->id, &brc);
	lmi_bind_text(st, 2, s->label, &brc);
	lmi_bind_text(st, 3, lmi_canonical_id(c, LM_SKILL, c->r.skill_parent[i]),
	              &brc);
	int rc = lmi_db_run(w->db, st, brc, "writing a skill");
	if (!rc)
		rc = clear_children(w, W_ALIAS_DEL, s->id);
	for (uint32_t j = 0; !rc && j < s->n_aliases; j++) {
		st = w->st[W_ALIAS];
		brc = SQLITE_OK;
		lmi_bind_text(st, 1, s->id, &brc);
		lmi_bind_int(st, 2, j, &brc);
		lmi_bind_text(st, 3, s->aliases[j], &brc);
		rc = lmi_db_run(w->db, st, brc, "writing a skill alias");
	}
	return rc;
}

static int write_company(writer *w, uint32_t i)
{
	const lm_catalog *c = w->cat;
	const lmi_company_rec *co = &c->companies.v[i];
	sqlite3_stmt *st = w->st[W_COMPANY];
	int brc = SQLITE_OK;
	uint32_t place = c->r.company_place[i];
	lmi_bind_text(st, 1, co->id, &brc);
	lmi_bind_text(st, 2, co->name, &brc);
	lmi_bind_text(st, 3, lmi_canonical_id(c, LM_PLACE, place), &brc);
	if (place == LM_NONE) {
		lmi_bind_double(st, 4, co->place_lat, &brc);
		lmi_bind_double(st, 5, co->place_lon, &brc);
	} else {
		lmi_bind_null(st, 4, &brc);
		lmi_bind_null(st, 5, &brc);
	}
	lmi_bind_text(st, 6, lmi_canonical_id(c, LM_GARDEN,
	                                      c->r.company_garden[i]), &brc);
	return lmi_db_run(w->db, st, brc, "writing a company");
}

/* Experts w->rows (the `existed` ones were stored before), in one
 * statement from lm_load_experts (store_vtab.c), then each one's
 * conflicts, which replace those it had. */
static int write_experts(writer *w, const bool *existed)
{
	const lm_catalog *c = w->cat;
	const lmi_resolved *r = &c->r;
	lmi_load_rows *rows = &w->rows;
	int rc = LM_OK;
	if (rows->n) {
		w->db->loading = rows;
		rows->halt = LM_OK;
		rows->rows_read = 0;
		int src = sqlite3_step(w->st[W_EXPERT]);
		w->db->loading = NULL;
		if (rows->halt)
			rc = rows->halt; /* the progress callback's message */
		else if (src != SQLITE_DONE)
			rc = lmi_db_fail(w->db, src, "writing experts");
		else if (rows->rows_read != rows->n)
			/* Not the virtual table's rows: something of that name
			 * in the database (lm_db_load refuses one first). */
			rc = lmi_err_set(&w->db->err, LM_EDB, "%s: writing "
			                "experts: %zu of %zu were written",
			                lmi_db_name(w->db), rows->rows_read,
			                rows->n);
		sqlite3_reset(w->st[W_EXPERT]);
	}
	for (size_t n = 0; !rc && n < rows->n; n++) {
		uint32_t i = rows->experts[n];
		const char *id = c->experts.v[i].id;
		w->existed = existed && existed[n];
		rc = clear_children(w, W_CONFL_DEL, id);
		for (uint32_t k = r->expert_conflict_off[i];
		     !rc && k < r->expert_conflict_off[i + 1]; k++) {
			sqlite3_stmt *st = w->st[W_CONFL];
			int brc = SQLITE_OK;
			lmi_bind_text(st, 1, id, &brc);
			lmi_bind_int(st, 2, k - r->expert_conflict_off[i], &brc);
			lmi_bind_text(st, 3,
			              lmi_canonical_id(c, LM_COMPANY,
			                               r->expert_conflict[k]),
			              &brc);
			rc = lmi_db_run(w->db, st, brc,
			                "writing an expert's conflict");
		}
	}
	return rc;
}

static int write_need(writer *w, uint32_t i)
{
	const lm_catalog *c = w->cat;
	const lmi_resolved *r = &c->r;
	const lmi_need_rec *n = &c->needs.v[i];
	sqlite3_stmt *st = w->st[W_NEED];
	int brc = SQLITE_OK;
	lmi_bind_text(st, 1, n->id, &brc);
	lmi_bind_text(st, 2, lmi_canonical_id(c, LM_COMPANY, r->need_company[i]),
	              &brc);
	lmi_bind_text(st, 3, n->title, &brc);
	lmi_bind_text(st, 4, lm_mode_name(n->mode), &brc);
	lmi_bind_int(st, 5, n->experts, &brc);
	lmi_bind_text(st, 6, n->language, &brc);
	if (n->max_km > 0)
		lmi_bind_double(st, 7, n->max_km, &brc);
	else
		lmi_bind_null(st, 7, &brc);
	int rc = lmi_db_run(w->db, st, brc, "writing a need");
	if (!rc)
		rc = clear_children(w, W_NSKILL_DEL, n->id);
	/* The resolved list keeps the record's order. */
	for (uint32_t k = r->need_skill_off[i];
	     !rc && k < r->need_skill_off[i + 1]; k++) {
		st = w->st[W_NSKILL];
		brc = SQLITE_OK;
		lmi_bind_text(st, 1, n->id, &brc);
		lmi_bind_int(st, 2, k - r->need_skill_off[i], &brc);
		lmi_bind_text(st, 3, lmi_canonical_id(c, LM_SKILL, r->need_skill[k]),
		              &brc);
		lmi_bind_int(st, 4, r->need_level[k], &brc);
		lmi_bind_double(st, 5, r->need_weight[k], &brc);
		lmi_bind_int(st, 6, r->need_optional[k] ? 1 : 0, &brc);
		rc = lmi_db_run(w->db, st, brc, "writing a need's skill");
	}
	return rc;
}

/* Record i of kind k of the merged catalogue. */
static int write_record(writer *w, lm_kind k, uint32_t i)
{
	switch (k) {
	case LM_PLACE: return write_place(w, i);
	case LM_GARDEN: return write_garden(w, i);
	case LM_SKILL: return write_skill(w, i);
	case LM_COMPANY: return write_company(w, i);
	case LM_NEED: return write_need(w, i);
	default: return LM_ERROR;
	}
}

/* The merged catalogue's index of the i-th record of kind k the load
 * writes: i itself on a first load (touched.all), else its id's. */
static int touched_index(writer *w, const touched *t, lm_kind k, size_t i,
                         uint32_t *at)
{
	*at = (uint32_t)i;
	if (t->all[k] || lmi_map_get(&w->cat->ids[k], t->ids[k][i], at))
		return LM_OK;
	return lmi_err_set(&w->db->err, LM_ERROR, "internal error: %s '%s' is "
	                  "missing after the merge", lm_kind_name(k),
	                  t->ids[k][i]);
}

/* The n experts of the load, in one statement (write_experts). */
static int write_touched_experts(writer *w, const touched *t, size_t n)
{
	uint32_t *ix = n ? malloc(n * sizeof(*ix)) : NULL;
	if (n && !ix)
		return lmi_db_nomem(w->db);
	int rc = LM_OK;
	for (size_t i = 0; !rc && i < n; i++)
		rc = touched_index(w, t, LM_EXPERT, i, &ix[i]);
	w->rows.experts = ix;
	w->rows.n = n;
	if (!rc)
		rc = write_experts(w, t->all[LM_EXPERT] ? NULL
		                                       : t->existed[LM_EXPERT]);
	w->rows.experts = NULL;
	w->rows.n = 0;
	free(ix);
	return rc;
}

static int write_touched(writer *w, const touched *t)
{
	int rc = LM_OK;
	for (size_t k = 0; k <= LM_NEED; k++)
		w->total += t->all[k] ? kind_count(w->cat, (lm_kind)k) : t->n[k];
	w->total += t->ndist + t->neng;
	if (w->progress && w->progress("load", 0, w->total, w->ctx))
		return lmi_err_set(&w->db->err, LM_ECANCELED,
		                  "%s: load stopped by the progress callback; "
		                  "nothing was written", lmi_db_name(w->db));

	for (size_t o = 0; !rc && o < N_WRITE_KINDS; o++) {
		lm_kind k = write_order[o];
		size_t n = t->all[k] ? kind_count(w->cat, k) : t->n[k];
		if (k == LM_EXPERT) {
			rc = write_touched_experts(w, t, n);
			continue;
		}
		for (size_t i = 0; !rc && i < n; i++) {
			uint32_t at;
			w->existed = !t->all[k] && t->existed[k][i];
			rc = touched_index(w, t, k, i, &at);
			if (!rc)
				rc = write_record(w, k, at);
			if (!rc)
				rc = tick(w);
		}
	}
	for (size_t i = 0; !rc && i < t->ndist; i++) {
		const char *a, *b;
		int brc = SQLITE_OK;
		rc = resolve_id(w, LM_PLACE, t->dist[i].from.id, &a);
		if (!rc)
			rc = resolve_id(w, LM_PLACE, t->dist[i].to.id, &b);
		if (rc)
			break;
		lmi_bind_text(w->st[W_DIST_DEL], 1, a, &brc);
		lmi_bind_text(w->st[W_DIST_DEL], 2, b, &brc);
		rc = lmi_db_run(w->db, w->st[W_DIST_DEL], brc,
		                "writing a distance");
		brc = SQLITE_OK;
		lmi_bind_text(w->st[W_DIST], 1, a, &brc);
		lmi_bind_text(w->st[W_DIST], 2, b, &brc);
		lmi_bind_double(w->st[W_DIST], 3, t->dist[i].km, &brc);
		if (!rc)
			rc = lmi_db_run(w->db, w->st[W_DIST], brc,
			                "writing a distance");
		if (!rc)
			rc = tick(w);
	}
	for (int k = 0; !rc && k < LM_SET_COUNT; k++) {
		if (!(t->settings.set & (1u << k)))
			continue;
		lm_settings v = t->settings.v;
		double value = k == LM_SET_DEFAULT_CAPACITY
			? (double)v.default_capacity : *lmi_settings_field(&v, k);
		int brc = SQLITE_OK;
		lmi_bind_text(w->st[W_SETTING], 1, lmi_settings_keys[k], &brc);
		lmi_bind_double(w->st[W_SETTING], 2, value, &brc);
		rc = lmi_db_run(w->db, w->st[W_SETTING], brc,
		                "writing a setting");
	}
	for (size_t i = 0; !rc && i < t->neng; i++) {
		const char *need, *expert;
		int brc = SQLITE_OK;
		rc = resolve_id(w, LM_NEED, t->eng[i].need.id, &need);
		if (!rc)
			rc = resolve_id(w, LM_EXPERT, t->eng[i].expert.id, &expert);
		if (rc)
			break;
		sqlite3_stmt *st = w->st[W_ENGAGE];
		lmi_bind_text(st, 1, t->eng[i].period, &brc);
		lmi_bind_text(st, 2, need, &brc);
		lmi_bind_text(st, 3, expert, &brc);
		lmi_bind_double(st, 4, t->eng[i].score, &brc);
		rc = lmi_db_run(w->db, st, brc, "writing an engagement");
		if (!rc)
			rc = tick(w);
	}
	return rc;
}

/*
 * Take the write lock and read what the database holds into *stored, the
 * catalogue the files are validated against.
 */
static int load_begin(lm_db *db, lm_catalog **stored)
{
	/* The write lock first: the catalogue read below is what the files
	 * are validated against, and nobody may change it before COMMIT. */
	/* The merge (load_merge) checks every reference against the files and
	 * what the database holds, inside this write transaction, so SQLite's
	 * own foreign-key checks would only repeat it, at a cost of an index
	 * probe per reference (millions for a national load).  The pragma
	 * works only outside a transaction; load_end switches it on again. */
	int rc = lmi_db_exec(db, "PRAGMA foreign_keys = OFF", "loading");
	if (!rc)
		rc = lmi_tx_begin_write(db);
	/* A bulk load touches many index pages: with the default 2 MB page
	 * cache SQLite would spill dirty pages to the WAL before COMMIT and
	 * re-read them.  64 MB for the load, the default again after. */
	if (!rc)
		rc = lmi_db_exec(db, "PRAGMA cache_size = -65536", "loading");
	/* A database of an older schema gets the current one first. */
	if (!rc)
		rc = lmi_db_schema_current(db);
	/* The image is written again (load_write); its triggers would
	 * otherwise run once per row written. */
	if (!rc)
		rc = lmi_db_image_triggers(db, false);
	if (!rc)
		rc = lmi_db_read_catalog(db, stored);
	return rc;
}

/* Parse the files into a batch (io/load.h) and merge it into `cat`, what
 * the database holds; what the files named is copied into t first, since
 * the merge empties the batch. */
static int load_merge(lm_db *db, const char *const *paths, size_t npaths,
                      lm_catalog *cat, touched *t)
{
	lm_catalog *batch = NULL;
	int rc = lmi_load_batch(paths, npaths, &batch, &db->err);
	if (rc == LM_ENOMEM && !db->err.msg)
		rc = lmi_db_nomem(db);
	if (!rc)
		rc = touched_collect(db, t, batch, cat);
	if (!rc)
		rc = lmi_catalog_merge(cat, batch, &db->err);
	lm_catalog_free(batch);
	return rc;
}

/* Write what the files named (t) of the merged catalogue `cat`, and its
 * engine image, built on a second thread meanwhile; then commit. */
static int load_write(lm_db *db, lm_catalog *cat, const touched *t,
                      lm_progress_fn progress, void *progress_ctx)
{
	writer w;
	lmi_image_job job;
	memset(&w, 0, sizeof(w));
	w.db = db;
	w.cat = cat;
	w.progress = progress;
	w.ctx = progress_ctx;
	w.rows.cat = cat;
	w.rows.next = tick_row;
	w.rows.ctx = &w;

	lmi_image_job_start(&job, cat);
	int rc = LM_OK;
	for (int i = 0; !rc && i < W_COUNT; i++)
		rc = lmi_db_prepare(db, write_sql[i], &w.st[i]);
	if (!rc)
		rc = write_touched(&w, t);
	lmi_image_job_finish(&job, !rc);
	if (!rc)
		rc = lmi_db_image_write(db, job.built, &job.parts);
	if (!rc)
		rc = lmi_db_image_triggers(db, true);
	if (!rc)
		rc = lmi_tx_commit(db);

	lmi_image_job_finish(&job, false);
	lmi_image_parts_free(&job.parts);
	for (int i = 0; i < W_COUNT; i++)
		sqlite3_finalize(w.st[i]);
	lmi_buf_free(&w.rows.skills);
	lmi_buf_free(&w.rows.languages);
	return rc;
}

/* Roll a failed load back, and the connection's settings after any. */
static void load_end(lm_db *db, int rc)
{
	if (rc)
		lmi_tx_rollback(db);
	if (db->db) {
		/* After COMMIT the load has happened whatever this says: a
		 * failure here must not turn it into a reported failure.  The
		 * next write switches the foreign keys on again first. */
		sqlite3_exec(db->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
		db->fk_off = sqlite3_exec(db->db, "PRAGMA foreign_keys = ON", NULL,
		                          NULL, NULL) != SQLITE_OK;
	}
}

int lm_db_load(lm_db *db, const char *const *paths, size_t npaths,
               lm_progress_fn progress, void *progress_ctx)
{
	if (!db)
		return LM_EINVAL;
	lmi_err_clear(&db->err);
	if (!paths && npaths)
		return lmi_err_set(&db->err, LM_EINVAL, "no paths given");
	if (!db->db)
		return lmi_err_set(&db->err, LM_EDB, "%s: the database is not open",
		                  lmi_db_name(db));

	lm_catalog *cat = NULL;
	touched t;
	memset(&t, 0, sizeof(t));
	int rc = load_begin(db, &cat);
	if (!rc)
		rc = load_merge(db, paths, npaths, cat, &t);
	if (!rc)
		rc = lmi_load_vtab_ready(db);
	if (!rc)
		rc = load_write(db, cat, &t, progress, progress_ctx);
	load_end(db, rc);
	lmi_arena_free(&t.arena);
	lm_catalog_free(cat);
	return rc;
}
