/* SPDX-License-Identifier: MIT */
/*
 * out_fit.c -- aligned tables and text that fit the terminal.  The width
 * is $COLUMNS, else the terminal's (no limit when stdout is neither).  A
 * table wider than that first has its text columns cut with an ellipsis
 * or wrapped onto more lines (words whole), never an id; when that is
 * not enough, the columns its command marked as droppable go, least
 * useful first, and the others get their room back.  Without a limit a
 * table is printed as it always was.
 */
#include "out.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define TABLE_MAX_COLS 48 /* widest text cell shown before cutting */
#define SOFT_MIN 16       /* text cut this far before a column is dropped */
#define GAP 2             /* spaces between columns */

size_t out_term_columns(void)
{
	const char *c = getenv("COLUMNS");
	if (c && *c) {
		char *end;
		long v = strtol(c, &end, 10);
		if (!*end && v > 0 && v < 100000)
			return (size_t)v;
	}
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

/* ---- words onto lines ------------------------------------------------------ */

/* The next line of `s` (from *pos) of at most `width` columns, broken at
 * a space (a longer word is a line of its own), malloc'd; NULL at the
 * end or when out of memory (*oom). */
static char *next_line(const char *s, size_t *pos, size_t width, bool *oom)
{
	const char *p = s + *pos;
	while (*p == ' ')
		p++;
	if (!*p)
		return NULL;
	const char *end = p, *q = p;
	size_t w = 0;
	while (*q) {
		const char *word = q;
		while (*q && *q != ' ')
			q++;
		size_t len = (size_t)(q - word);
		char *tmp = malloc(len + 1);
		if (!tmp) {
			*oom = true;
			return NULL;
		}
		memcpy(tmp, word, len);
		tmp[len] = '\0';
		size_t ww = out_width(tmp);
		free(tmp);
		if (end != p && w + 1 + ww > width)
			break;
		w += (end != p) + ww;
		end = q;
		while (*q == ' ')
			q++;
	}
	size_t len = (size_t)(end - p);
	char *line = malloc(len + 1);
	if (!line) {
		*oom = true;
		return NULL;
	}
	memcpy(line, p, len);
	line[len] = '\0';
	*pos = (size_t)(end - s);
	return line;
}

void out_wrap(FILE *fp, const char *first, const char *rest,
              const char *text, size_t width)
{
	char *safe = out_term_safe(text, 0);
	if (!safe)
		return;
	size_t indent = out_width(rest) > out_width(first) ? out_width(rest)
	                                                   : out_width(first);
	size_t room = width > indent + 20 ? width - indent : 0;
	if (!room) {
		fprintf(fp, "%s%s\n", first, safe);
		free(safe);
		return;
	}
	size_t pos = 0;
	bool oom = false;
	char *line;
	for (int n = 0; (line = next_line(safe, &pos, room, &oom)); n++) {
		fprintf(fp, "%s%s\n", n ? rest : first, line);
		free(line);
	}
	if (oom || !pos)
		fprintf(fp, "%s%s\n", first, oom ? "?" : "");
	free(safe);
}

/* ---- the columns' widths ------------------------------------------------------ */

typedef struct fit {
	const out_table *t;
	bool limited;     /* a width to fit: wrapped columns wrap */
	char **text;      /* per cell: terminal-safe, uncut (ids) or cut to 48 */
	size_t *natural;  /* per column: the width it wants */
	size_t *w;        /* per column: the width it gets */
	size_t *hard;     /* per column: the narrowest it may be */
	bool *shown;
} fit;

static bool numeric(const out_table *t, size_t j)
{
	return t->decimals[j] >= 0 || (t->nrows && (t->cells[j].type == CELL_INT ||
	                                            t->cells[j].type == CELL_NUM));
}

static bool shrinkable(const fit *f, size_t j)
{
	return !(f->t->flags[j] & OUT_COL_ID) && !numeric(f->t, j);
}

static size_t total(const fit *f)
{
	size_t sum = 0, n = 0;
	for (size_t j = 0; j < f->t->ncols; j++)
		if (f->shown[j])
			sum += f->w[j], n++;
	return n ? sum + GAP * (n - 1) : 0;
}

/* Narrow the widest text column by a column at a time, not below `min`
 * (nor its hard minimum), until the table fits `width`. */
static void shrink(fit *f, size_t width, size_t min)
{
	while (total(f) > width) {
		size_t best = f->t->ncols;
		for (size_t j = 0; j < f->t->ncols; j++) {
			size_t lo = f->hard[j] > min ? f->hard[j] : min;
			if (f->shown[j] && shrinkable(f, j) && f->w[j] > lo &&
			    (best == f->t->ncols || f->w[j] > f->w[best]))
				best = j;
		}
		if (best == f->t->ncols)
			return;
		f->w[best]--;
	}
}

/* Give the cut columns their width back while the table fits. */
static void grow(fit *f, size_t width)
{
	for (bool more = true; more && total(f) < width;) {
		more = false;
		for (size_t j = 0; j < f->t->ncols && total(f) < width; j++)
			if (f->shown[j] && f->w[j] < f->natural[j])
				f->w[j]++, more = true;
	}
}

/* Drop the droppable column of the lowest rank; false when none is left. */
static bool drop_one(fit *f)
{
	size_t best = f->t->ncols;
	for (size_t j = 0; j < f->t->ncols; j++)
		if (f->shown[j] && f->t->drop[j] > 0 &&
		    (best == f->t->ncols || f->t->drop[j] < f->t->drop[best]))
			best = j;
	if (best == f->t->ncols)
		return false;
	f->shown[best] = false;
	return true;
}

/* The widest word of a wrapped column: its narrowest. */
static size_t widest_word(const char *s)
{
	size_t best = 0, pos = 0;
	bool oom = false;
	char *word;
	while ((word = next_line(s, &pos, 1, &oom))) {
		size_t w = out_width(word);
		best = w > best ? w : best;
		free(word);
	}
	return best;
}

static bool fit_measure(fit *f)
{
	const out_table *t = f->t;
	for (size_t j = 0; j < t->ncols; j++) {
		f->natural[j] = f->hard[j] = out_width(t->cols[j]);
		f->shown[j] = true;
	}
	for (size_t i = 0; i < t->nrows * t->ncols; i++) {
		const out_cell *c = &t->cells[i];
		size_t j = i % t->ncols;
		/* Ids whole; words whole, to be wrapped or cut to the width
		 * (TABLE_MAX_COLS at most); other text cut to that. */
		bool whole = t->flags[j] & (OUT_COL_ID | OUT_COL_WRAP);
		f->text[i] = out_term_safe(c->text ? c->text : "-",
		                           whole ? 0 : TABLE_MAX_COLS);
		if (!f->text[i])
			return false;
		size_t cw = out_width(f->text[i]);
		if ((t->flags[j] & OUT_COL_WRAP) && cw > TABLE_MAX_COLS)
			cw = TABLE_MAX_COLS;
		if (cw > f->natural[j])
			f->natural[j] = cw;
		if (t->flags[j] & OUT_COL_WRAP) {
			size_t ww = widest_word(f->text[i]);
			if (ww > f->hard[j])
				f->hard[j] = ww;
		}
	}
	memcpy(f->w, f->natural, t->ncols * sizeof(*f->w));
	return true;
}

/* Widths for `width` columns (0: none): cut, then drop, then cut more. */
static void fit_layout(fit *f, size_t width)
{
	if (!width || total(f) <= width)
		return;
	shrink(f, width, SOFT_MIN);
	while (total(f) > width && drop_one(f))
		grow(f, width), shrink(f, width, SOFT_MIN);
	shrink(f, width, 0);
	grow(f, width);
}

/* ---- printing ---------------------------------------------------------------- */

/* Cell `s` of column j as the lines it takes at width w (one unless it
 * wraps); *n lines, malloc'd, NULL when out of memory. */
static char **cell_lines(const fit *f, size_t j, const char *s, size_t *n)
{
	size_t cap = 4;
	char **v = malloc(cap * sizeof(*v));
	*n = 0;
	if (!v)
		return NULL;
	if (!(f->t->flags[j] & OUT_COL_WRAP) || !f->limited ||
	    out_width(s) <= f->w[j]) {
		bool cut = out_width(s) > f->w[j];
		v[0] = cut ? out_term_safe(s, f->w[j]) : strdup(s);
		*n = v[0] != NULL;
		if (!v[0]) {
			free(v);
			return NULL;
		}
		return v;
	}
	size_t pos = 0;
	bool oom = false;
	char *line;
	while ((line = next_line(s, &pos, f->w[j], &oom))) {
		if (*n == cap) {
			char **nv = realloc(v, (cap *= 2) * sizeof(*v));
			if (!nv) {
				free(line);
				oom = true;
				break;
			}
			v = nv;
		}
		v[(*n)++] = line;
	}
	if (oom || !*n) {
		while (*n)
			free(v[--*n]);
		free(v);
		return NULL;
	}
	return v;
}

/* One line of the table: `cell(j)` is column j's text on it (NULL:
 * blank); continuation lines lose their trailing blanks. */
static void print_line(const fit *f, FILE *fp, const char *const *cell,
                       const bool *right, bool cont)
{
	size_t last = 0;
	for (size_t j = 0; j < f->t->ncols; j++)
		if (f->shown[j] && (!cont || (cell[j] && *cell[j])))
			last = j + 1;
	bool first = true;
	for (size_t j = 0; j < last; j++) {
		if (!f->shown[j])
			continue;
		const char *s = cell[j] ? cell[j] : "";
		size_t pad = f->w[j] > out_width(s) ? f->w[j] - out_width(s) : 0;
		if (!first)
			fprintf(fp, "%*s", GAP, "");
		first = false;
		if (right[j])
			fprintf(fp, "%*s%s", (int)pad, "", s);
		else if (j + 1 < last)
			fprintf(fp, "%s%*s", s, (int)pad, "");
		else
			fputs(s, fp);
	}
	fputc('\n', fp);
}

/* The rows, each on as many lines as its tallest cell; `lines` and `n`
 * are room for a cell's lines per column. */
static bool print_rows(const fit *f, FILE *fp, const char **cell, bool *right,
                       char ***lines, size_t *n)
{
	const out_table *t = f->t;
	for (size_t r = 0; r < t->nrows; r++) {
		size_t h = 1;
		bool ok = true;
		for (size_t j = 0; j < t->ncols; j++) {
			const out_cell *c = &t->cells[r * t->ncols + j];
			right[j] = c->type == CELL_NUM || c->type == CELL_INT;
			lines[j] = ok && f->shown[j]
			           ? cell_lines(f, j, f->text[r * t->ncols + j], &n[j])
			           : NULL;
			if (f->shown[j] && !lines[j])
				ok = false;
			if (!lines[j])
				n[j] = 0;
			h = n[j] > h ? n[j] : h;
		}
		for (size_t k = 0; ok && k < h; k++) {
			for (size_t j = 0; j < t->ncols; j++)
				cell[j] = k < n[j] ? lines[j][k] : NULL;
			print_line(f, fp, cell, right, k > 0);
		}
		for (size_t j = 0; j < t->ncols; j++) {
			for (size_t k = 0; k < n[j]; k++)
				free(lines[j][k]);
			free(lines[j]);
		}
		if (!ok)
			return false;
	}
	return true;
}

void out_fit_print(const out_table *t, FILE *fp)
{
	size_t nc = t->ncols ? t->ncols : 1, ncell = t->nrows * t->ncols;
	fit f = {t, false, calloc(ncell + 1, sizeof(char *)), calloc(nc, sizeof(size_t)),
	         calloc(nc, sizeof(size_t)), calloc(nc, sizeof(size_t)),
	         calloc(nc, sizeof(bool))};
	const char **cell = calloc(nc, sizeof(*cell));
	bool *right = calloc(nc, sizeof(*right));
	char ***lines = calloc(nc, sizeof(*lines));
	size_t *n = calloc(nc, sizeof(*n));
	if (!f.text || !f.natural || !f.w || !f.hard || !f.shown || !cell ||
	    !right || !lines || !n || !t->flags || !t->drop || !fit_measure(&f))
		goto done;
	size_t width = out_term_columns();
	f.limited = width > 0;
	fit_layout(&f, width);
	/* The header: right-aligned over numbers. */
	for (size_t j = 0; j < t->ncols; j++) {
		cell[j] = t->cols[j];
		right[j] = numeric(t, j);
	}
	print_line(&f, fp, cell, right, false);
	print_rows(&f, fp, cell, right, lines, n);
done:
	free(lines);
	free(n);
	if (f.text)
		for (size_t i = 0; i < ncell; i++)
			free(f.text[i]);
	free(f.text), free(f.natural), free(f.w), free(f.hard), free(f.shown);
	free(cell);
	free(right);
}
