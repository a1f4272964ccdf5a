/* SPDX-License-Identifier: MIT */
/*
 * store_imagejob.c -- the engine image in the database: written as rows
 * of engine_image (one per part, io/image.h), and built during a load on
 * a thread of its own.
 *
 * A load builds the engine image on a second thread while it writes the
 * rows.  Both only read the merged catalogue, with two exceptions that do
 * not meet: the builder adds the candidate index (cat->r.cand), which
 * writing never reads, and the writer's look-ups of distances and
 * engagements may add names to the folded maps, which the builder never
 * reads.  If no thread can be started the image is built after the rows;
 * if the rows fail, the builder is told to give up.
 */
#include "io/store.h"

#include <string.h>

int lmi_db_image_write(lm_db *db, int built, lmi_image_parts *parts)
{
	sqlite3_stmt *st = NULL;
	int rc = lmi_db_exec(db, "DELETE FROM engine_image",
	                     "writing the engine image");
	if (!rc && built == LM_ENOMEM)
		rc = lmi_db_nomem(db);
	/* Beyond 32-bit offsets there is no image, and rankings read the
	 * rows. */
	if (!rc && built == LM_OK)
		rc = lmi_db_prepare(db, "INSERT INTO engine_image (part, data) "
		                    "VALUES (?1, ?2)", &st);
	int limit = sqlite3_limit(db->db, SQLITE_LIMIT_LENGTH, -1);
	for (size_t i = 0; !rc && built == LM_OK && i < parts->n; i++) {
		/* A part beyond SQLite's largest value (1 GB by default;
		 * the row around it needs a few bytes more): no image
		 * either. */
		if (parts->len[i] > (size_t)limit - 1024) {
			rc = lmi_db_exec(db, "DELETE FROM engine_image",
			                 "writing the engine image");
			break;
		}
		int brc = sqlite3_bind_int64(st, 1, (sqlite3_int64)i);
		/* An empty part is an empty blob, not NULL. */
		if (brc == SQLITE_OK)
			brc = parts->len[i]
				? sqlite3_bind_blob64(st, 2, parts->data[i],
				                      parts->len[i], SQLITE_STATIC)
				: sqlite3_bind_zeroblob(st, 2, 0);
		rc = lmi_db_run(db, st, brc, "writing the engine image");
	}
	/* The data version the image stands for (store_rank.c uses it
	 * only while it is the current one). */
	if (!rc)
		rc = lmi_db_image_keep(db);
	sqlite3_finalize(st);
	lmi_image_parts_free(parts);
	return rc;
}

int lmi_db_image_keep(lm_db *db)
{
	return lmi_db_exec(db, "INSERT INTO meta (key, value) "
	                   "SELECT 'image_data_version', value FROM meta "
	                   "WHERE key = 'data_version' "
	                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	                   "writing the engine image");
}

int lmi_db_image_store(lm_db *db, lm_catalog *cat)
{
	lmi_image_parts parts;
	memset(&parts, 0, sizeof(parts));
	return lmi_db_image_write(db, lmi_image_build(cat, &parts), &parts);
}

static void *image_job_run(void *arg)
{
	lmi_image_job *j = arg;
	j->built = lmi_image_build_until(j->cat, &j->stop, &j->parts);
	return NULL;
}

static void image_job_init(lmi_image_job *j)
{
	memset(j, 0, sizeof(*j));
	atomic_init(&j->stop, false);
}

void lmi_image_job_start(lmi_image_job *j, lm_catalog *cat)
{
	image_job_init(j);
	j->cat = cat;
	j->started = pthread_create(&j->thread, NULL, image_job_run, j) == 0;
}

void lmi_image_job_finish(lmi_image_job *j, bool wanted)
{
	if (!wanted)
		atomic_store(&j->stop, true);
	if (j->started)
		pthread_join(j->thread, NULL);
	else if (j->cat && wanted)
		image_job_run(j);
	j->started = false;
	j->cat = NULL;
}
