/* SPDX-License-Identifier: MIT */
/*
 * cmd_data.c -- the commands that move data in and out of the database:
 * `init` creates or upgrades it, `load` writes YAML into it (all or
 * nothing), `validate` checks YAML without writing (against the database
 * when there is one), `export` writes it all back as YAML or JSON.
 */
#include "cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>

int cmd_init(const args *a)
{
	if (a->npos)
		return usage_error("init takes no arguments");
	lm_db *db = NULL;
	int ex = open_db(a, LM_DB_CREATE, &db);
	if (!ex)
		note(a, "database ready: %s", a->db);
	lm_db_close(db);
	return ex;
}

int cmd_load(const args *a)
{
	if (!a->npos)
		return usage_error("load needs at least one PATH");
	lm_db *db = NULL;
	struct stat st;
	bool existed = stat(a->db, &st) == 0;
	int ex = open_db(a, LM_DB_CREATE, &db);
	if (ex) {
		/* Creating it failed half-way (a full disk): leave nothing. */
		if (!existed && db)
			lm_db_remove_empty(db);
		lm_db_close(db);
		return ex;
	}
	progress pr = {0};
	bool prog = want_progress(a);
	if (prog) {
		/* lm_db_load reports from the first record it writes; the
		 * YAML is read and checked before that. */
		fprintf(stderr, "%s: reading and checking YAML...", progname);
		pr.shown = true;
	}
	int rc = lm_db_load(db, (const char *const *)a->pos, (size_t)a->npos,
	                    prog ? on_progress : NULL, &pr);
	progress_end(&pr);
	if (rc) {
		ex = db_fail(db, rc);
		/* A database created for this load is removed again, unless
		 * another process loaded into it meanwhile (or still holds
		 * the write lock: no second wait). */
		bool removed = !existed && rc != LM_EBUSY &&
		               lm_db_remove_empty(db) == LM_OK;
		if (removed)
			fprintf(stderr, "%s: nothing was loaded; %s was removed "
			        "again\n", progname, a->db);
		else if (rc == LM_EINPUT)
			fprintf(stderr, existed
			        ? "%s: nothing was loaded; %s is unchanged\n"
			        : "%s: nothing was loaded; %s was created empty\n",
			        progname, a->db);
	} else {
		db_notes(db);
		note(a, "loaded %d path%s into %s", a->npos, a->npos == 1 ? "" : "s",
		     a->db);
	}
	lm_db_close(db);
	return ex;
}

int cmd_validate(const args *a)
{
	if (!a->npos)
		return usage_error("validate needs at least one PATH");
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	int ex = EXIT_OK, rc;
	struct stat st;
	if (stat(a->db, &st) == 0) {
		ex = open_catalog(a, &db, &cat);
		if (ex)
			goto done;
	} else if ((rc = lm_catalog_new(&cat))) {
		ex = exit_code(rc);
		goto done;
	}
	rc = lm_catalog_load_paths(cat, (const char *const *)a->pos, (size_t)a->npos);
	if (rc) {
		ex = cat_fail(cat, rc);
		goto done;
	}
	cat_notes(cat);
	note(a, "valid: %zu places, %zu gardens, %zu skills, %zu experts, "
	        "%zu companies, %zu needs%s",
	     lm_catalog_count(cat, LM_PLACE), lm_catalog_count(cat, LM_GARDEN),
	     lm_catalog_count(cat, LM_SKILL), lm_catalog_count(cat, LM_EXPERT),
	     lm_catalog_count(cat, LM_COMPANY), lm_catalog_count(cat, LM_NEED),
	     db ? " (with the database)" : "");
done:
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}

int cmd_export(const args *a)
{
	if (a->npos)
		return usage_error("export takes no arguments");
	if (a->fmt == OUT_CSV)
		return usage_error("export writes YAML or JSON, not CSV");
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	int ex = open_catalog(a, &db, &cat);
	if (!ex) {
		int rc = lm_catalog_export(cat, a->fmt == OUT_JSON ? LM_FORMAT_JSON
		                                                   : LM_FORMAT_YAML,
		                           stdout);
		if (rc)
			ex = cat_fail(cat, rc);
		/* The library said why the write failed: once is enough. */
		if (rc == LM_EIO && ferror(stdout))
			output_reported = true;
	}
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}
