/* SPDX-License-Identifier: MIT */
/*
 * store_load.c -- loading YAML into a database (lm_db_load) in one
 * all-or-nothing write transaction: which records a load writes, in what
 * order (the rows themselves are written by store_row.c, as the kinds'
 * field tables say).
 *
 * A load first reads and checks its input without any lock: it parses
 * the files (which may be a FIFO or a slow pipe, and wait for a writer),
 * reads the database in a read snapshot and merges the YAML into that
 * catalogue (references resolve across files and what is stored).  Bad
 * input is reported without ever taking the write lock.  Only then does
 * it take the write lock; if another connection committed since the
 * snapshot (PRAGMA data_version), it reads the database again inside the
 * write transaction and merges the same records into it, so that what it
 * writes is checked against the rows as they are.  It writes back only
 * the records the files named, with every reference replaced by the
 * canonical id it resolved to.  The experts are written in one statement
 * from the virtual table lm_load_experts (store_vtab.c), and the engine
 * image is rebuilt on a second thread meanwhile (store_imagejob.c).  Any
 * failure, or a progress callback that says stop, rolls everything back.
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
	/* Distances and engagements have no ids: the load writes each one
	 * the files gave. */
	t->ndist = b->distances.n;
	t->neng = b->engagements.n;
	if (t->ndist)
		t->dist = lmi_arena_alloc(a, t->ndist * sizeof(*t->dist));
	if (t->neng)
		t->eng = lmi_arena_alloc(a, t->neng * sizeof(*t->eng));
	if ((t->ndist && !t->dist) || (t->neng && !t->eng))
		return lmi_db_nomem(db);
	for (size_t i = 0; i < t->ndist; i++)
		if (lmi_record_copy_text(&lmi_kinds[LM_DISTANCE], &t->dist[i],
		                         &b->distances.v[i], a))
			return lmi_db_nomem(db);
	for (size_t i = 0; i < t->neng; i++)
		if (lmi_record_copy_text(&lmi_kinds[LM_ENGAGEMENT], &t->eng[i],
		                         &b->engagements.v[i], a))
			return lmi_db_nomem(db);
	t->settings = b->settings;
	return LM_OK;
}

/* What a load writes besides records. */
static const char *const sql_distance_del =
	/* One row per unordered pair: a re-load written the other way
	 * round replaces the old row. */
	"DELETE FROM distances WHERE a = ?2 AND b = ?1";
static const char *const sql_setting =
	"INSERT INTO settings (key, value) VALUES (?1, ?2) "
	"ON CONFLICT(key) DO UPDATE SET value = excluded.value "
	"WHERE value IS NOT excluded.value";

typedef struct writer {
	lm_db *db;
	const lm_catalog *cat; /* the merged catalogue: DB + files */
	lmi_row_writer rw;     /* the records' statements (store_row.c) */
	sqlite3_stmt *distance_del, *setting;
	lm_progress_fn progress;
	void *ctx;
	size_t done, total;
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

/* Experts w->rows (the `existed` ones were stored before), in one
 * statement from lm_load_experts (store_vtab.c), then each one's lists
 * in child tables, which replace those it had. */
static int write_experts(writer *w, const bool *existed)
{
	const lm_catalog *c = w->cat;
	lmi_load_rows *rows = &w->rows;
	sqlite3_stmt *st = w->rw.row[LM_EXPERT];
	int rc = LM_OK;
	if (rows->n) {
		w->db->loading = rows;
		rows->halt = LM_OK;
		rows->rows_read = 0;
		int src = sqlite3_step(st);
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
		sqlite3_reset(st);
	}
	for (size_t n = 0; !rc && n < rows->n; n++) {
		uint32_t i = rows->experts[n];
		rc = lmi_row_write_lists(&w->rw, LM_EXPERT, &c->experts.v[i], i,
		                         existed && existed[n]);
	}
	return rc;
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
			rc = touched_index(w, t, k, i, &at);
			const void *rec = rc ? NULL : lmi_record_at(w->cat, k, at);
			if (!rc)
				rc = lmi_row_write(&w->rw, k, rec, at);
			if (!rc)
				rc = lmi_row_write_lists(&w->rw, k, rec, at,
				                         !t->all[k] &&
				                         t->existed[k][i]);
			if (!rc)
				rc = tick(w);
		}
	}
	for (size_t i = 0; !rc && i < t->ndist; i++) {
		lmi_distance_rec d = t->dist[i];
		int brc = SQLITE_OK;
		rc = resolve_id(w, LM_PLACE, t->dist[i].from.id, &d.from.id);
		if (!rc)
			rc = resolve_id(w, LM_PLACE, t->dist[i].to.id, &d.to.id);
		if (rc)
			break;
		lmi_bind_text(w->distance_del, 1, d.from.id, &brc);
		lmi_bind_text(w->distance_del, 2, d.to.id, &brc);
		rc = lmi_db_run(w->db, w->distance_del, brc, "writing a distance");
		if (!rc)
			rc = lmi_row_write(&w->rw, LM_DISTANCE, &d, LM_NONE);
		if (!rc)
			rc = tick(w);
	}
	for (int k = 0; !rc && k < LM_SET_COUNT; k++) {
		if (!(t->settings.set & (1u << k)))
			continue;
		int brc = SQLITE_OK;
		lmi_bind_text(w->setting, 1, lmi_settings[k].key, &brc);
		lmi_bind_double(w->setting, 2, lmi_setting_get(&t->settings, k),
		                &brc);
		rc = lmi_db_run(w->db, w->setting, brc, "writing a setting");
	}
	for (size_t i = 0; !rc && i < t->neng; i++) {
		lmi_engagement_rec e = t->eng[i];
		rc = resolve_id(w, LM_NEED, t->eng[i].need.id, &e.need.id);
		if (!rc)
			rc = resolve_id(w, LM_EXPERT, t->eng[i].expert.id,
			                &e.expert.id);
		if (!rc)
			rc = lmi_row_write(&w->rw, LM_ENGAGEMENT, &e, LM_NONE);
		if (!rc)
			rc = tick(w);
	}
	return rc;
}

/* PRAGMA data_version: changes when another connection commits. */
static int data_version_now(lm_db *db, long long *out)
{
	return lmi_db_query_int(db, "PRAGMA data_version", "loading", out);
}

/*
 * Check the parsed batch against what the database holds, without a
 * lock: read the database in one read snapshot into *cat and merge the
 * batch into it (the batch is emptied); what the files named is copied
 * into t first, and into *sy (when not NULL) what the records were
 * before and which the files omit (store_sync.c).  *seen is the
 * snapshot's PRAGMA data_version.
 */
static int load_check(lm_db *db, lm_catalog *batch, lm_catalog **cat,
                      touched *t, lmi_sync *sy, long long *seen)
{
	int rc = lmi_db_exec(db, "BEGIN", "loading");
	if (!rc)
		rc = lmi_db_read_catalog(db, cat);
	/* After the first read: the snapshot's own value (a deferred BEGIN
	 * starts reading only then). */
	if (!rc)
		rc = data_version_now(db, seen);
	rc = lmi_tx_end(db, rc);
	if (!rc)
		rc = touched_collect(db, t, batch, *cat);
	if (!rc && sy && lmi_sync_before(sy, *cat, batch))
		rc = lmi_db_nomem(db);
	if (!rc)
		rc = lmi_catalog_merge(*cat, batch, &db->err);
	return rc;
}

/* Take the write lock, and make the connection ready to write.
 * *version is PRAGMA data_version once the lock is held. */
static int load_begin(lm_db *db, long long *version)
{
	/* The merge (load_check) checked every reference against the files
	 * and what the database holds, and load_recheck does it again in
	 * the write transaction if anything changed, so SQLite's own
	 * foreign-key checks would only repeat it, at a cost of an index
	 * probe per reference (millions for a national load).  The pragma
	 * works only outside a transaction; load_end switches it on again. */
	int rc = lmi_db_exec(db, "PRAGMA foreign_keys = OFF", "loading");
	if (!rc)
		rc = lmi_tx_begin_write(db);
	/* Before anything of ours is written (the connection's own writes
	 * do not count anyway). */
	if (!rc)
		rc = data_version_now(db, version);
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
	return rc;
}

/* A batch of the records the files named, taken from the catalogue
 * `from` they were merged into (t says which): shallow copies, whose
 * strings and lists stay `from`'s, so `from` must outlive the batch and
 * whatever it is merged into. */
static int touched_batch(lm_db *db, const lm_catalog *from, const touched *t,
                         lm_catalog **out)
{
	lm_catalog *b = NULL;
	*out = NULL;
	if (lm_catalog_new(&b))
		return lmi_db_nomem(db);
	int rc = LM_OK;
	for (size_t w = 0; !rc && w < N_WRITE_KINDS; w++) {
		lm_kind k = write_order[w];
		size_t n = t->all[k] ? kind_count(from, k) : t->n[k];
		for (size_t i = 0; !rc && i < n; i++) {
			uint32_t at = (uint32_t)i;
			if (!t->all[k] &&
			    !lmi_map_get(&from->ids[k], t->ids[k][i], &at)) {
				rc = lmi_err_set(&db->err, LM_ERROR, "internal "
				                "error: %s '%s' is missing after "
				                "the merge", lm_kind_name(k),
				                t->ids[k][i]);
				break;
			}
			void *rec = lmi_record_add(b, k);
			if (!rec)
				rc = lmi_db_nomem(db);
			else
				memcpy(rec, lmi_record_at(from, k, at),
				       lmi_kinds[k].size);
		}
	}
	for (size_t i = 0; !rc && i < t->ndist; i++) {
		lmi_distance_rec *d = lmi_record_add(b, LM_DISTANCE);
		if (!d)
			rc = lmi_db_nomem(db);
		else
			*d = t->dist[i];
	}
	for (size_t i = 0; !rc && i < t->neng; i++) {
		lmi_engagement_rec *e = lmi_record_add(b, LM_ENGAGEMENT);
		if (!e)
			rc = lmi_db_nomem(db);
		else
			*e = t->eng[i];
	}
	b->settings = t->settings;
	if (rc)
		lm_catalog_free(b);
	else
		*out = b;
	return rc;
}

/*
 * In the write transaction: when another connection committed since the
 * snapshot load_check read (`seen`, `now`: PRAGMA data_version), the
 * records the files named are merged again into the database as it is
 * now, and *cat and *t become the new merge and what it writes.  The old
 * merge is kept in *old, which the new one borrows from: free it last.
 */
static int load_recheck(lm_db *db, long long seen, long long now,
                        lm_catalog **cat, touched *t, lmi_sync *sy,
                        lm_catalog **old)
{
	*old = NULL;
	if (now == seen)
		return LM_OK;
	lm_catalog *cur = NULL, *batch = NULL;
	touched t2;
	lmi_sync sy2;
	memset(&t2, 0, sizeof(t2));
	memset(&sy2, 0, sizeof(sy2));
	int rc = lmi_db_read_catalog(db, &cur);
	if (!rc)
		rc = touched_batch(db, *cat, t, &batch);
	if (!rc)
		rc = touched_collect(db, &t2, batch, cur);
	if (!rc && sy && lmi_sync_before(&sy2, cur, batch))
		rc = lmi_db_nomem(db);
	if (!rc)
		rc = lmi_catalog_merge(cur, batch, &db->err);
	lm_catalog_free(batch);
	if (rc) {
		lmi_arena_free(&t2.arena);
		lmi_sync_free(&sy2);
		lm_catalog_free(cur);
		return rc;
	}
	*old = *cat;
	*cat = cur;
	lmi_arena_free(&t->arena);
	*t = t2;
	if (sy) {
		lmi_sync_free(sy);
		*sy = sy2;
	}
	return LM_OK;
}

/* Write what the files named (t) of the merged catalogue `cat`, and its
 * engine image, built on a second thread meanwhile; then commit. */
static int load_write(lm_db *db, lm_catalog *cat, const touched *t,
                      const lmi_sync *sy, const char *retire_day,
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

	/* A sync's retirements are in the image too. */
	if (retire_day && lmi_sync_retire(sy, cat, retire_day))
		return lmi_db_nomem(db);
	lmi_image_job_start(&job, cat);
	int rc = lmi_row_writer_open(&w.rw, db, cat);
	if (!rc)
		rc = lmi_db_prepare(db, sql_distance_del, &w.distance_del);
	if (!rc)
		rc = lmi_db_prepare(db, sql_setting, &w.setting);
	int changes = sqlite3_total_changes(db->db);
	if (!rc)
		rc = write_touched(&w, t);
	if (!rc && retire_day)
		rc = lmi_sync_write(db, sy, retire_day);
	/* A load that changed a row (the UPSERTs change none that they
	 * would write as it is) tells readers so (store_version.c). */
	if (!rc && sqlite3_total_changes(db->db) != changes)
		rc = lmi_db_data_changed(db, "the profiles were loaded again");
	lmi_image_job_finish(&job, !rc);
	if (!rc)
		rc = lmi_db_image_write(db, job.built, &job.parts);
	if (!rc)
		rc = lmi_db_image_triggers(db, true);
	if (!rc)
		rc = lmi_tx_commit(db);

	lmi_image_job_finish(&job, false);
	lmi_image_parts_free(&job.parts);
	lmi_row_writer_close(&w.rw);
	sqlite3_finalize(w.distance_del);
	sqlite3_finalize(w.setting);
	lmi_buf_free(&w.rows.scratch);
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

int lm_db_load_with(lm_db *db, const char *const *paths, size_t npaths,
                    unsigned flags, lm_progress_fn progress,
                    void *progress_ctx, lm_load_report **report)
{
	if (report)
		*report = NULL;
	if (!db)
		return LM_EINVAL;
	lmi_err_clear(&db->err);
	if (!paths && npaths)
		return lmi_err_set(&db->err, LM_EINVAL, "no paths given");
	if (flags & ~(LM_LOAD_SYNC | LM_LOAD_DRY_RUN))
		return lmi_err_set(&db->err, LM_EINVAL, "unknown load flags 0x%x",
		                  flags & ~(LM_LOAD_SYNC | LM_LOAD_DRY_RUN));
	if (!db->db)
		return lmi_err_set(&db->err, LM_EDB, "%s: the database is not open",
		                  lmi_db_name(db));

	lm_catalog *batch = NULL, *cat = NULL, *old = NULL;
	touched t;
	lmi_sync sy;
	memset(&t, 0, sizeof(t));
	memset(&sy, 0, sizeof(sy));
	long long seen = 0, now = 0;
	char day[16];
	bool sync = flags & LM_LOAD_SYNC, dry = flags & LM_LOAD_DRY_RUN;
	/* What a plain load without a report does not need to know. */
	lmi_sync *syp = sync || report ? &sy : NULL;
	/* The input first, with no transaction open: reading it may wait
	 * (a FIFO, a slow pipe) for as long as it likes. */
	int rc = lmi_load_batch(paths, npaths, &batch, &db->err);
	if (rc == LM_ENOMEM && !db->err.msg)
		rc = lmi_db_nomem(db);
	if (!rc)
		rc = load_check(db, batch, &cat, &t, syp, &seen);
	if (!rc && lmi_engagement_notes(cat, &db->err))
		rc = lmi_db_nomem(db);
	if (!rc && sync)
		rc = lmi_db_today(db, day);
	if (!rc && sync)
		rc = lmi_sync_check(&sy, cat, day, &db->err);
	if (!rc && !dry)
		rc = load_begin(db, &now);
	if (!rc && !dry)
		rc = load_recheck(db, seen, now, &cat, &t, syp, &old);
	if (!rc && !dry && sync && old)
		rc = lmi_sync_check(&sy, cat, day, &db->err);
	if (!rc && !dry)
		rc = lmi_load_vtab_ready(db);
	/* The report of what is written, before the retirements mark the
	 * merged catalogue. */
	lm_load_report *rep = NULL;
	if (!rc && report && lmi_sync_report(&sy, cat, sync, &rep))
		rc = lmi_db_nomem(db);
	if (!rc && !dry)
		rc = load_write(db, cat, &t, &sy, sync ? day : NULL, progress,
		                progress_ctx);
	if (!dry)
		load_end(db, rc);
	if (!rc && report)
		*report = rep;
	else
		lm_load_report_free(rep);
	lmi_sync_free(&sy);
	lmi_arena_free(&t.arena);
	lm_catalog_free(batch);
	lm_catalog_free(cat);
	lm_catalog_free(old);
	return rc;
}

int lm_db_load(lm_db *db, const char *const *paths, size_t npaths,
               lm_progress_fn progress, void *progress_ctx)
{
	return lm_db_load_with(db, paths, npaths, 0, progress, progress_ctx,
	                       NULL);
}
