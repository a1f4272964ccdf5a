/* SPDX-License-Identifier: MIT */
/*
 * cmd_data.c -- the commands that move data in and out of the database:
 * `init` creates or upgrades it, `load` writes YAML into it (all or
 * nothing), `validate` checks YAML without writing (against the database
 * when there is one; it notes a need whose description names none of its
 * skills), `export` writes it all back as YAML or JSON.
 */
#include "cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* A need's description as it was before the load: a need whose
 * description pointer is still the same came from the database, and was
 * noted when it was loaded. */
typedef struct need_desc {
	const char *id, *description;
} need_desc;

static int cmp_need_desc(const void *pa, const void *pb)
{
	return strcmp(((const need_desc *)pa)->id, ((const need_desc *)pb)->id);
}

/* Every need of the catalogue with its description, sorted by id
 * (malloc'd; NULL on OOM, or for no needs with *n 0). */
static need_desc *need_descs(lm_catalog *cat, size_t *n)
{
	need_desc *v;
	size_t i;

	*n = lm_catalog_count(cat, LM_NEED);
	v = calloc(*n + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (i = 0; i < *n; i++) {
		const lm_need_info *ni = lm_catalog_need(cat, i);
		v[i].id = ni->id;
		v[i].description = ni->description;
	}
	qsort(v, *n, sizeof(*v), cmp_need_desc);
	return v;
}

/* Note each need of the files (not one the database had as it is) whose
 * description names none of its skills, nor a narrower or broader one.
 * A note, not an error: the exit status stays. */
static int note_descriptions(const args *a, lm_catalog *cat,
                             const need_desc *before, size_t nbefore)
{
	size_t i, j;

	for (i = 0; i < lm_catalog_count(cat, LM_NEED); i++) {
		const lm_need_info *ni = lm_catalog_need(cat, i);
		need_desc key = {ni->id, NULL};
		const need_desc *old = nbefore ? bsearch(&key, before, nbefore,
		                                         sizeof(*before),
		                                         cmp_need_desc) : NULL;
		lm_suggestion_list *l = NULL;
		int rc;

		if (!ni->description || (old && old->description == ni->description))
			continue;
		rc = lm_suggest(cat, ni->description, strlen(ni->description), NULL,
		                &l);
		if (rc)
			return cat_fail(cat, rc);
		if (!names_need_skill(cat, i, l)) {
			char *names = NULL;
			size_t n = lm_suggestion_list_count(l);
			const char **ids = calloc(n + 1, sizeof(*ids));
			for (j = 0; ids && j < n; j++)
				ids[j] = lm_suggestion_list_get(l, j)->skill_id;
			names = ids ? join_with(ids, n, ", ") : NULL;
			if (n)
				note(a, "need '%s': its description names none of its "
				        "skills (it reads as: %s)", ni->id,
				     names ? names : "?");
			else
				note(a, "need '%s': its description names no skill",
				     ni->id);
			free(names);
			free(ids);
		}
		lm_suggestion_list_free(l);
	}
	return EXIT_OK;
}

int cmd_validate(const args *a)
{
	if (!a->npos)
		return usage_error("validate needs at least one PATH");
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	int ex = EXIT_OK, rc;
	need_desc *before = NULL;
	size_t nbefore = 0;
	struct stat st;
	if (stat(a->db, &st) == 0) {
		ex = open_catalog(a, &db, &cat);
		if (ex)
			goto done;
	} else if ((rc = lm_catalog_new(&cat))) {
		ex = exit_code(rc);
		goto done;
	}
	before = need_descs(cat, &nbefore);
	if (!before) {
		ex = EXIT_INTERNAL;
		goto done;
	}
	rc = lm_catalog_load_paths(cat, (const char *const *)a->pos, (size_t)a->npos);
	if (rc) {
		ex = cat_fail(cat, rc);
		goto done;
	}
	cat_notes(cat);
	if ((ex = note_descriptions(a, cat, before, nbefore)))
		goto done;
	size_t np = lm_catalog_count(cat, LM_PLACE),
	       ng = lm_catalog_count(cat, LM_GARDEN),
	       ns = lm_catalog_count(cat, LM_SKILL),
	       ne = lm_catalog_count(cat, LM_EXPERT),
	       nc = lm_catalog_count(cat, LM_COMPANY),
	       nn = lm_catalog_count(cat, LM_NEED);
	note(a, "valid: %zu place%s, %zu garden%s, %zu skill%s, %zu expert%s, "
	        "%zu compan%s, %zu need%s%s",
	     np, np == 1 ? "" : "s", ng, ng == 1 ? "" : "s",
	     ns, ns == 1 ? "" : "s", ne, ne == 1 ? "" : "s",
	     nc, nc == 1 ? "y" : "ies", nn, nn == 1 ? "" : "s",
	     db ? " (with the database)" : "");
done:
	free(before);
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
