/* SPDX-License-Identifier: MIT */
/*
 * common.c -- what the commands of `match` share (declared in cli.h): the
 * exit status for a library status, diagnostics and notes on stderr,
 * progress on a terminal, opening the database and reading the
 * catalogue, the matching options taken from the command line, and
 * pieces of JSON and table output that several commands print.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool output_reported;

/* The exit status for a library status (the statuses: args.h). */
int exit_code(int rc)
{
	switch (rc) {
	case LM_OK: return EXIT_OK;
	case LM_EINVAL: return EXIT_USAGE;
	case LM_EINPUT: case LM_EINFEASIBLE: return EXIT_INPUT;
	case LM_EIO: case LM_EDB: case LM_EBUSY: case LM_ECONFLICT: return EXIT_DB;
	case LM_ENOTFOUND: case LM_EAMBIGUOUS: return EXIT_UNKNOWN;
	default: return EXIT_INTERNAL;
	}
}

/* ---- diagnostics and notes --------------------------------------------------- */

static void print_diags(size_t n, const lm_diag *(*get)(const void *, size_t),
                        const void *h, const char *fallback)
{
	if (!n) {
		out_tprintf(stderr, "%s: %s\n", progname, fallback);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const lm_diag *d = get(h, i);
		if (d->file && d->line)
			out_tprintf(stderr, "%s: %s:%u:%u: %s\n", progname, d->file,
			        d->line, d->column, d->message);
		else if (d->file)
			out_tprintf(stderr, "%s: %s: %s\n", progname, d->file, d->message);
		else
			out_tprintf(stderr, "%s: %s\n", progname, d->message);
	}
	if (n >= 50)
		fprintf(stderr, "%s: (further problems not shown)\n", progname);
}

static const lm_diag *db_diag(const void *h, size_t i)
{
	return lm_db_diag(h, i);
}

static const lm_diag *cat_diag(const void *h, size_t i)
{
	return lm_catalog_diag(h, i);
}

int db_fail(lm_db *db, int rc)
{
	print_diags(db ? lm_db_diag_count(db) : 0, db_diag, db,
	            db ? lm_db_errmsg(db) : lm_strerror(rc));
	return exit_code(rc);
}

int cat_fail(lm_catalog *cat, int rc)
{
	print_diags(lm_catalog_diag_count(cat), cat_diag, cat,
	            lm_catalog_errmsg(cat));
	return exit_code(rc);
}

int file_fail(lm_catalog *cat, int rc, const char *path, int err)
{
	if (rc != LM_EIO)
		return cat_fail(cat, rc);
	fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(err));
	return EXIT_DB;
}

void db_notes(const lm_db *db)
{
	size_t n = lm_db_diag_count(db);
	if (n)
		print_diags(n, db_diag, db, "");
}

void cat_notes(const lm_catalog *cat)
{
	size_t n = lm_catalog_diag_count(cat);
	if (n)
		print_diags(n, cat_diag, cat, "");
}

int out_of_memory(void)
{
	fprintf(stderr, "%s: out of memory\n", progname);
	return EXIT_INTERNAL;
}

char **copy_args(const char *const *v, size_t n)
{
	char **c = calloc(n ? n : 1, sizeof(*c));
	for (size_t i = 0; c && i < n; i++)
		if (!(c[i] = strdup(v[i]))) {
			free_args(c, i);
			return NULL;
		}
	return c;
}

void free_args(char **c, size_t n)
{
	if (c)
		for (size_t i = 0; i < n; i++)
			free(c[i]);
	free(c);
}

bool arg_values_new(arg_values *l, const char *const *v, size_t n,
                    size_t size)
{
	l->n = n;
	l->values = calloc(n ? n : 1, size);
	l->bufs = copy_args(v, n);
	return l->values && l->bufs;
}

void arg_values_free(arg_values *l)
{
	free_args(l->bufs, l->n);
	free(l->values);
}

void note(const args *a, const char *fmt, ...)
{
	if (a->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- progress --------------------------------------------------------------- */

static double secs(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (b->tv_nsec - a->tv_nsec) / 1e9;
}

int on_progress(const char *what, size_t done, size_t total, void *ctx)
{
	progress *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!p->start.tv_sec && !p->start.tv_nsec)
		p->start = p->last = now;
	bool finished = total && done >= total;
	if (secs(&p->last, &now) < 0.2 && !finished)
		return 0;
	p->last = now;
	double el = secs(&p->start, &now);
	double rate = el > 0 ? (double)done / el : 0;
	if (el < 0.5) {
		/* Too early for a rate worth showing. */
		if (total)
			fprintf(stderr, "\r%s: %s %zu/%zu   ", progname, what, done, total);
		else
			fprintf(stderr, "\r%s: %s %zu   ", progname, what, done);
	} else if (total) {
		double left = rate > 0 ? (double)(total - done) / rate : 0;
		fprintf(stderr, "\r%s: %s %zu/%zu (%.0f/s, %.0f s left)   ",
		        progname, what, done, total, rate, left);
	} else {
		fprintf(stderr, "\r%s: %s %zu (%.0f/s)   ", progname, what, done, rate);
	}
	p->shown = true;
	return 0; /* go on: the CLI never cancels */
}

void progress_end(progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

bool want_progress(const args *a)
{
	return !a->quiet && isatty(STDERR_FILENO);
}

int open_db(const args *a, unsigned flags, lm_db **db)
{
	int rc = lm_db_open(a->db, flags, db);
	if (rc)
		return db_fail(*db, rc);
	return EXIT_OK;
}

/* Read only the kinds in `kinds` (and what they refer to). */
int open_catalog_kinds(const args *a, unsigned kinds, lm_db **db,
                       lm_catalog **cat)
{
	int ex = open_db(a, LM_DB_READONLY, db);
	if (ex)
		return ex;
	int rc = lm_db_read_kinds(*db, kinds, cat);
	if (rc)
		return db_fail(*db, rc);
	return EXIT_OK;
}

int open_catalog(const args *a, lm_db **db, lm_catalog **cat)
{
	int ex = open_db(a, LM_DB_READONLY, db);
	if (ex)
		return ex;
	int rc = lm_db_read(*db, cat);
	if (rc)
		return db_fail(*db, rc);
	return EXIT_OK;
}

void fill_options(const args *a, lm_match_options *o, progress *pr)
{
	if (a->k_given)
		o->k = (size_t)a->k;
	o->max_km = a->max_km;
	o->weight_skill = a->w_skill;
	o->weight_distance = a->w_distance;
	o->period = a->period;
	o->available_only = a->available;
	if (pr) {
		o->progress = on_progress;
		o->progress_ctx = pr;
	}
}

/* ---- JSON pieces ----------------------------------------------------------- */

FILE *json_doc_open(const args *a, out_doc *d)
{
	return a->fmt == OUT_JSON ? stdout : out_doc_open(d);
}

int json_doc_close(const args *a, out_doc *d, FILE *fp, const char *rows_only)
{
	if (!fp || (fp != stdout && out_doc_close(d, a->fmt, rows_only, stdout)))
		return out_of_memory();
	return EXIT_OK;
}

void json_components(FILE *fp, const lm_components *c)
{
	fputs("{\"skill_fit\": ", fp);
	json_num(fp, c->skill_fit);
	json_next_num(fp, "distance_fit", c->distance_fit);
	json_next_num(fp, "weight_skill", c->weight_skill);
	json_next_num(fp, "weight_distance", c->weight_distance);
	json_next_num(fp, "skill_points", c->skill_points);
	json_next_num(fp, "distance_points", c->distance_points);
	fputc('}', fp);
}

void json_credit_open(FILE *fp, const lm_skill_credit *c)
{
	fputs("{\"skill\": ", fp);
	json_str(fp, c->need_skill);
	fprintf(fp, ", \"min_level\": %d, \"weight\": ", c->min_level);
	json_num(fp, c->weight);
	fprintf(fp, ", \"optional\": %s", c->optional ? "true" : "false");
}

void json_credit_close(FILE *fp, const lm_skill_credit *c)
{
	json_next_str(fp, "via", c->via_skill);
	fprintf(fp, ", \"level\": %d, \"relation\": ", c->via_level);
	json_str(fp, c->relation);
	json_next_num(fp, "credit", c->credit);
	fputc('}', fp);
}

/* ---- table cells ----------------------------------------------------------- */

void out_owned(out_table *t, char *s)
{
	if (!s)
		t->oom = true;
	out_str(t, s ? s : "");
	free(s);
}
