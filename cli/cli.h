/* SPDX-License-Identifier: MIT */
/*
 * cli.h -- what every command of `match` shares (cli/common.c): the exit
 * status for a library status, diagnostics on stderr, notes, progress,
 * opening the database and the catalogue, the matching options from the
 * command line, and the commands' own functions (one per row of
 * commands.h, each in its cli/cmd_*.c).  The CLI uses the public API
 * (include/libmatch.h) and nothing else of the library.
 */
#ifndef MATCH_CLI_H
#define MATCH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "args.h"
#include "commands.h"
#include "libmatch.h"
#include "out.h"

/* Set by a command that has already said why writing stdout failed, so
 * that main() does not say it again. */
extern bool output_reported;

/* The exit status (args.h) for a library status. */
int exit_code(int rc);

/* Print the handle's diagnostics (`match: FILE:LINE:COL: message`), or
 * its last error when it has none, and return the exit status for `rc`.
 * db may be NULL (then lm_strerror(rc) is printed). */
int db_fail(lm_db *db, int rc);
int cat_fail(lm_catalog *cat, int rc);
/* The same for writing the file `path` (map, report): LM_EIO is the
 * system's reason `err` (an errno) and EXIT_DB; anything else cat_fail's. */
int file_fail(lm_catalog *cat, int rc, const char *path, int err);
/* The notes of a load that succeeded (files of a folder it skipped). */
void db_notes(const lm_db *db);
void cat_notes(const lm_catalog *cat);

/* "match: out of memory" on stderr; returns EXIT_INTERNAL. */
int out_of_memory(void);

/* Copies of the n strings v, for a command to cut as it parses them
 * (free_args them); NULL when out of memory. */
char **copy_args(const char *const *v, size_t n);
void free_args(char **c, size_t n);

/* The values a command parses from a repeated option's arguments (the
 * pins of --pin, the attendees of --attendees): `values` is room for n
 * zeroed values of `size` bytes, which may point into `bufs`, copies of
 * the n strings v for the parser to cut.  arg_values_new allocates both
 * (false when out of memory); arg_values_free frees both, in every case
 * (a zeroed arg_values too). */
typedef struct arg_values {
	void *values;
	char **bufs;
	size_t n;
} arg_values;
bool arg_values_new(arg_values *l, const char *const *v, size_t n,
                    size_t size);
void arg_values_free(arg_values *l);

/* "match: MESSAGE" on stderr, unless --quiet. */
void note(const args *a, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Progress on stderr, only on a terminal and without --quiet: pass
 * on_progress with a zeroed `progress` as its context, and call
 * progress_end when the work is done to clear the line. */
typedef struct progress {
	struct timespec start, last;
	bool shown;
} progress;
int on_progress(const char *what, size_t done, size_t total, void *ctx);
void progress_end(progress *p);
bool want_progress(const args *a);

/* Open --db with lm_db_open's `flags`; on failure the reason is printed
 * and the exit status returned (*db may be set anyway: close it). */
int open_db(const args *a, unsigned flags, lm_db **db);
/* Open --db read-only and read it whole, or only the kinds in `kinds`
 * (and what they refer to), into *cat.  Close and free both in every
 * case. */
int open_catalog(const args *a, lm_db **db, lm_catalog **cat);
int open_catalog_kinds(const args *a, unsigned kinds, lm_db **db,
                       lm_catalog **cat);

/* The matching options given on the command line (-k, --max-km, the
 * weights, --period, --available) into *o; with `pr`, progress is shown
 * through it. */
void fill_options(const args *a, lm_match_options *o, progress *pr);

/* A command's JSON document on stdout in --format: JSON as it is
 * written, YAML or CSV (of its list `rows_only`, or NULL: as
 * out_doc_close) through an out_doc.  json_doc_open gives the stream to
 * write the document to (NULL when out of memory); json_doc_close, with
 * that stream, prints it and returns the exit status (EXIT_INTERNAL,
 * said on stderr, when out of memory). */
FILE *json_doc_open(const args *a, out_doc *d);
int json_doc_close(const args *a, out_doc *d, FILE *fp, const char *rows_only);

/* A score's components as a JSON object (top, explain). */
void json_components(FILE *fp, const lm_components *c);
/* A skill credit as a JSON object (explain, a team's explain), in two
 * halves so that a caller may add members between: "skill",
 * "min_level", "weight", "optional"; then "via", "level", "relation",
 * "credit" and the closing brace. */
void json_credit_open(FILE *fp, const lm_skill_credit *c);
void json_credit_close(FILE *fp, const lm_skill_credit *c);

/* A table cell from a malloc'd string, which it frees (NULL: out of
 * memory, marked in the table). */
void out_owned(out_table *t, char *s);

/* Needs in words (cmd_suggest.c).  The words joined by `sep`, or by
 * single spaces (malloc'd; NULL on OOM). */
char *join_with(const char *const *w, size_t n, const char *sep);
char *join_words(const char *const *w, size_t n);
/* The suggestions as a JSON array of {"skill", "label", "evidence",
 * "confidence"}, with "listed" from `listed` (may be NULL) and, with
 * `required_first`, "optional" (false for the first, true after). */
void suggestions_json(FILE *fp, const lm_suggestion_list *l,
                      const bool *listed, bool required_first);
/* Does a suggestion name one of need `need`'s skills, or a narrower or
 * broader one? */
bool names_need_skill(lm_catalog *cat, size_t need,
                      const lm_suggestion_list *l);

/* The commands. */
#define CLI_DECLARE(name, fn, opts, help) int fn(const args *a);
MATCH_COMMANDS(CLI_DECLARE)
/* `explain NEED E1 E2 ...`, a team (cmd_team.c). */
int cmd_team_explain(const args *a);
#undef CLI_DECLARE

#endif
