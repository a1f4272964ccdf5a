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

/* The kinds a load reports on, with their plural for messages. */
static const lm_kind report_kinds[] = {LM_PLACE, LM_GARDEN, LM_SKILL,
                                       LM_EXPERT, LM_COMPANY, LM_NEED};
#define N_REPORT_KINDS (sizeof(report_kinds) / sizeof(*report_kinds))
static const char *const singular_names[] = {"place", "garden", "skill",
                                             "expert", "company", "need"};
/* Ids are listed when there are at most this many. */
#define FEW_IDS 10

static size_t report_total(const lm_load_report *r, int what)
{
	size_t n = 0;
	for (size_t k = 0; k < N_REPORT_KINDS; k++)
		n += lm_load_report_count(r, report_kinds[k], what);
	return n;
}

/* "match: retired experts: e-a, e-b" for each kind with at most FEW_IDS
 * records of `what` (a count alone for more). */
static void note_ids(const args *a, const lm_load_report *r, int what,
                     const char *verb)
{
	for (size_t k = 0; k < N_REPORT_KINDS; k++) {
		lm_kind kind = report_kinds[k];
		size_t n = lm_load_report_count(r, kind, what);
		if (!n)
			continue;
		if (n > FEW_IDS) {
			note(a, "%s %zu %s", verb, n, lm_kind_name(kind));
			continue;
		}
		/* At most FEW_IDS ids, but each as long as it is. */
		char *buf = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&buf, &len);
		for (size_t i = 0; fp && i < n; i++)
			fprintf(fp, "%s%s", i ? ", " : "",
			        lm_load_report_id(r, kind, what, i));
		if (!fp || fclose(fp) || !buf)
			note(a, "%s %zu %s", verb, n, lm_kind_name(kind));
		else
			note(a, "%s %s: %s", verb, lm_kind_name(kind), buf);
		free(buf);
	}
}

/* What a load did (or, --dry-run, would do): the counts in its final
 * line, the ids when few for --sync, and for a plain load a warning per
 * kind of the records the files no longer name. */
static void note_report(const args *a, const lm_load_report *r)
{
	size_t add = report_total(r, LM_LOAD_ADDED);
	size_t chg = report_total(r, LM_LOAD_CHANGED);
	size_t same = report_total(r, LM_LOAD_UNCHANGED);
	size_t ret = report_total(r, LM_LOAD_RETIRED);
	char tail[64] = "";
	if (a->sync)
		snprintf(tail, sizeof(tail), ", %zu retired", ret);
	if (a->sync) {
		note_ids(a, r, LM_LOAD_ADDED, a->dry_run ? "would add" : "added");
		note_ids(a, r, LM_LOAD_CHANGED,
		         a->dry_run ? "would change" : "changed");
		note_ids(a, r, LM_LOAD_RETIRED,
		         a->dry_run ? "would retire" : "retired");
	}
	size_t eng = lm_load_report_count(r, LM_ENGAGEMENT, LM_LOAD_ADDED) +
	             lm_load_report_count(r, LM_ENGAGEMENT, LM_LOAD_CHANGED);
	if (eng) {
		size_t at = strlen(tail);
		snprintf(tail + at, sizeof(tail) - at, "; %zu engagement%s",
		         eng, eng == 1 ? "" : "s");
	}
	if (a->dry_run)
		note(a, "dry run: %d path%s would give %zu added, %zu changed, "
		     "%zu unchanged%s; nothing was written", a->npos,
		     a->npos == 1 ? "" : "s", add, chg, same, tail);
	else
		note(a, "loaded %d path%s into %s: %zu added, %zu changed, "
		     "%zu unchanged%s", a->npos, a->npos == 1 ? "" : "s", a->db,
		     add, chg, same, tail);
	for (size_t k = 0; k < N_REPORT_KINDS; k++) {
		size_t n = lm_load_report_count(r, report_kinds[k],
		                                LM_LOAD_UNLISTED);
		if (n)
			note(a, "warning: %zu %s in the database %s not in these "
			     "files; `load --sync` would retire %s", n,
			     n == 1 ? singular_names[k]
			            : lm_kind_name(report_kinds[k]),
			     n == 1 ? "is" : "are", n == 1 ? "it" : "them");
	}
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
	lm_load_report *rep = NULL;
	unsigned flags = (a->sync ? LM_LOAD_SYNC : 0u) |
	                 (a->dry_run ? LM_LOAD_DRY_RUN : 0u);
	int rc = lm_db_load_with(db, (const char *const *)a->pos,
	                         (size_t)a->npos, flags,
	                         prog ? on_progress : NULL, &pr, &rep);
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
		note_report(a, rep);
		/* A dry run into a database made for it leaves none. */
		if (a->dry_run && !existed)
			lm_db_remove_empty(db);
	}
	lm_load_report_free(rep);
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
