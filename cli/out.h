/* SPDX-License-Identifier: MIT */
/*
 * out.h -- how the `match` command prints results: one table model that
 * becomes aligned columns, CSV (RFC 4180), JSON or YAML, plus a small
 * JSON writer for the nested shapes of `top`, `explain` and `assign`.
 */
#ifndef MATCH_OUT_H
#define MATCH_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum out_format { OUT_TABLE, OUT_JSON, OUT_CSV, OUT_YAML } out_format;

typedef enum cell_type { CELL_STR, CELL_NUM, CELL_INT, CELL_BOOL, CELL_NULL } cell_type;

typedef struct out_cell {
	cell_type type;
	char *text;     /* malloc'd text form (table/CSV); NULL for CELL_NULL */
	double num;     /* CELL_NUM: exact value for JSON/YAML */
} out_cell;

typedef struct out_table {
	size_t ncols;
	const char **cols;   /* column names (static strings) */
	int *decimals;       /* per column: decimals shown in tables, -1 = text */
	unsigned *flags;     /* per column: OUT_COL_* */
	int *drop;           /* per column: 0 never dropped; else the order in
	                      * which a narrow terminal drops it, 1 first */
	out_cell *cells;     /* row-major */
	size_t nrows, cap;
	size_t row_fill;     /* cells filled in the current row */
	bool oom;
} out_table;

void out_table_init(out_table *t, size_t ncols, const char **cols);
void out_table_free(out_table *t);
/* Cells are appended left to right; a row ends after ncols cells. */
void out_str(out_table *t, const char *s);   /* NULL gives null */
void out_num(out_table *t, double v, int decimals);
void out_int(out_table *t, long long v);
void out_bool(out_table *t, bool v);

/* How a table column fits a narrow terminal (out_col).  By default a
 * text column is cut with an ellipsis, never below its header's width. */
enum {
	OUT_COL_ID = 1u,     /* an id: never cut (it must stay copyable) */
	OUT_COL_WRAP = 2u    /* words: wrapped onto more lines, not cut */
};
/* Column j's flags, and its rank among the columns dropped when the
 * table does not fit even with its text columns cut (1 is dropped
 * first; 0, the default, never). */
void out_col(out_table *t, size_t j, unsigned flags, int drop);

/* The width tables and wrapped text fit: $COLUMNS when it is a number,
 * else the terminal's when stdout is one; 0 (no limit) otherwise. */
size_t out_term_columns(void);
/* `text` wrapped at spaces to `width` columns (0: no limit), the first
 * line after `first` and the others after `rest` (indents, counted in
 * the width); a word longer than a line is not cut.  Made terminal-safe
 * as out_tprintf does. */
void out_wrap(FILE *fp, const char *first, const char *rest,
              const char *text, size_t width);

/* Print the table; `key` names the JSON/YAML wrapper ("experts").  A
 * table fits out_term_columns(): text columns cut (ids never) or
 * wrapped, and if need be the droppable columns dropped. */
void out_table_print(const out_table *t, out_format fmt, const char *key,
                     FILE *fp);
/* The table format of out_table_print (out_fit.c). */
void out_fit_print(const out_table *t, FILE *fp);
/* One CSV field (RFC 4180 quoting when needed); NULL prints nothing. */
void out_csv_field(FILE *fp, const char *s);
/* The JSON document `json` (as a command printed it) as YAML or CSV
 * (out_doc.c; JSON: as it is).  CSV with `rows_only`: only the table of
 * that top-level list.  -1 when out of memory or not such a document. */
int out_doc_print(const char *json, size_t len, out_format fmt,
                  const char *rows_only, FILE *fp);
/* A command's JSON written to memory (out_doc_open's stream), then
 * printed as `fmt` by out_doc_close (-1 when out of memory). */
typedef struct out_doc {
	char *buf;
	size_t len;
	FILE *fp;
} out_doc;
FILE *out_doc_open(out_doc *d);
int out_doc_close(out_doc *d, out_format fmt, const char *rows_only,
                  FILE *fp);

/* JSON pieces. */
void json_str(FILE *fp, const char *s);       /* NULL prints null */
void json_num(FILE *fp, double v);            /* shortest exact form */

/* A string made safe for a terminal table: control and bidi characters
 * shown as \uXXXX escapes, cut to `max` columns with an ellipsis.
 * malloc'd. */
char *out_term_safe(const char *s, size_t max); /* max 0: no cut */
/* printf into a new malloc'd string; NULL on OOM. */
char *out_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* printf for text meant for a person (explanations, notes, diagnostics):
 * the result goes through out_term_safe line by line. */
void out_tprintf(FILE *fp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
size_t out_width(const char *s);

#endif
