/* SPDX-License-Identifier: MIT */
/*
 * out.c -- the output formats of `match`: aligned tables measured in
 * terminal columns (so "Sør-Østerdal Næringshage" lines up), RFC 4180
 * CSV, JSON and YAML.  Data from profiles is printed verbatim where the
 * format can carry it (escaped in JSON/CSV/YAML) and made harmless in
 * tables, where a control or bidi character could break the alignment or
 * the terminal.
 */
#include "out.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);
	if (p)
		memcpy(p, s, n);
	return p;
}

void out_table_init(out_table *t, size_t ncols, const char **cols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->cols = cols;
	t->decimals = calloc(ncols, sizeof(int));
	t->flags = calloc(ncols + 1, sizeof(unsigned));
	t->drop = calloc(ncols + 1, sizeof(int));
	if (!t->decimals || !t->flags || !t->drop)
		t->oom = true;
	else
		for (size_t i = 0; i < ncols; i++)
			t->decimals[i] = -1;
}

void out_table_free(out_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols + t->row_fill; i++)
		free(t->cells[i].text);
	free(t->cells);
	free(t->decimals);
	free(t->flags);
	free(t->drop);
	memset(t, 0, sizeof(*t));
}

void out_col(out_table *t, size_t j, unsigned flags, int drop)
{
	if (j < t->ncols && t->flags && t->drop) {
		t->flags[j] = flags;
		t->drop[j] = drop;
	}
}

static out_cell *next_cell(out_table *t)
{
	size_t used = t->nrows * t->ncols + t->row_fill;
	if (used == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 64;
		out_cell *c = realloc(t->cells, ncap * sizeof(*c));
		if (!c) {
			t->oom = true;
			return NULL;
		}
		t->cells = c;
		t->cap = ncap;
	}
	out_cell *c = &t->cells[used];
	memset(c, 0, sizeof(*c));
	if (++t->row_fill == t->ncols) {
		t->row_fill = 0;
		t->nrows++;
	}
	return c;
}

void out_str(out_table *t, const char *s)
{
	out_cell *c = next_cell(t);
	if (!c)
		return;
	if (!s) {
		c->type = CELL_NULL;
		return;
	}
	c->type = CELL_STR;
	c->text = xstrdup(s);
	if (!c->text)
		t->oom = true;
}

/* Shortest "%.*g" that reads back to exactly v. */
static void shortest(double v, char *buf, size_t size)
{
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

void out_num(out_table *t, double v, int decimals)
{
	size_t col = t->row_fill;
	out_cell *c = next_cell(t);
	if (!c)
		return;
	c->type = CELL_NUM;
	c->num = v;
	char buf[64];
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	c->text = xstrdup(buf);
	if (!c->text)
		t->oom = true;
	t->decimals[col] = decimals;
}

void out_int(out_table *t, long long v)
{
	out_cell *c = next_cell(t);
	if (!c)
		return;
	c->type = CELL_INT;
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", v);
	c->text = xstrdup(buf);
	c->num = (double)v;
	if (!c->text)
		t->oom = true;
}

void out_bool(out_table *t, bool v)
{
	out_cell *c = next_cell(t);
	if (!c)
		return;
	c->type = CELL_BOOL;
	c->text = xstrdup(v ? "true" : "false");
	if (!c->text)
		t->oom = true;
}

/* ---- JSON --------------------------------------------------------------- */

void json_str(FILE *fp, const char *s)
{
	if (!s) {
		fputs("null", fp);
		return;
	}
	const unsigned char *p = (const unsigned char *)s;
	fputc('"', fp);
	while (*p) {
		unsigned c = *p;
		if (c == '"' || c == '\\')
			fputc('\\', fp), fputc((int)c, fp), p++;
		else if (c == '\n')
			fputs("\\n", fp), p++;
		else if (c == '\r')
			fputs("\\r", fp), p++;
		else if (c == '\t')
			fputs("\\t", fp), p++;
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\u%04x", c), p++;
		else if (c == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fprintf(fp, "\\u%04x", (unsigned)p[1]), p += 2;
		else if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			fprintf(fp, "\\u%04x", 0x2000u + (p[2] - 0x80u)), p += 3;
		else if (c == 0xef && ((p[1] == 0xbb && p[2] == 0xbf) ||
		                       (p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf))))
			/* U+FEFF, U+FFFE, U+FFFF: legal JSON, but not YAML, which
			 * shares this writer */
			fprintf(fp, "\\u%04x", 0xf000u | ((p[1] & 0x3fu) << 6) |
			        (p[2] & 0x3fu)), p += 3;
		else
			fputc((int)c, fp), p++;
	}
	fputc('"', fp);
}

void json_num(FILE *fp, double v)
{
	char buf[64];
	shortest(v, buf, sizeof(buf));
	fputs(buf, fp);
}

/* ---- terminal safety ----------------------------------------------------- */

static bool is_bidi_or_invisible(utf8proc_int32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f || cp == 0x061c || cp == 0xfeff ||
	       (cp >= 0x200b && cp <= 0x200d) || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0xfff9 && cp <= 0xfffb) ||
	       (cp >= 0xe0000 && cp <= 0xe007f) || cp == 0xfffe || cp == 0xffff;
}

size_t out_width(const char *s)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t w = 0;
	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
		if (k <= 0) {
			w++;
			p++;
			continue;
		}
		int cw = utf8proc_charwidth(cp);
		w += cw > 0 ? (size_t)cw : 0;
		p += k;
	}
	return w;
}

char *out_term_safe(const char *s, size_t max)
{
	size_t len = strlen(s);
	/* Worst case every byte becomes a 6-byte escape, plus the ellipsis. */
	if (len > (SIZE_MAX - 8) / 6)
		return NULL;
	char *out = malloc(len * 6 + 8);
	if (!out)
		return NULL;
	size_t o = 0, w = 0;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	while (*p) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, -1, &cp);
		char esc[16];
		size_t ew;
		const char *piece;
		size_t plen;
		if (k <= 0) {
			snprintf(esc, sizeof(esc), "\\x%02x", *p);
			piece = esc, plen = strlen(esc), ew = plen, k = 1;
		} else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
		           is_bidi_or_invisible(cp)) {
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)cp);
			piece = esc, plen = strlen(esc), ew = plen;
		} else {
			int cw = utf8proc_charwidth(cp);
			piece = (const char *)p, plen = (size_t)k;
			ew = cw > 0 ? (size_t)cw : 0;
		}
		if (w + ew > max - 1 && max) {
			/* Cut here unless the rest fits exactly. */
			if (out_width((const char *)p) + w > max) {
				memcpy(out + o, "\xe2\x80\xa6", 3); /* … */
				o += 3;
				break;
			}
		}
		memcpy(out + o, piece, plen);
		o += plen;
		w += ew;
		p += k;
	}
	out[o] = '\0';
	return out;
}

static char *out_vstrf(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0)));
static char *out_vstrf(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *out_strf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = out_vstrf(fmt, ap);
	va_end(ap);
	return s;
}

void out_tprintf(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *buf = out_vstrf(fmt, ap);
	va_end(ap);
	if (!buf)
		return;
	/* Line by line, so that the format's own newlines stay newlines. */
	char *line = buf;
	for (;;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *safe = out_term_safe(line, 0);
		fputs(safe ? safe : "?", fp);
		free(safe);
		if (!nl)
			break;
		fputc('\n', fp);
		line = nl + 1;
	}
	free(buf);
}

/* ---- printing ------------------------------------------------------------ */

void out_csv_field(FILE *fp, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void yaml_scalar(FILE *fp, const out_cell *c)
{
	switch (c->type) {
	case CELL_NULL: fputs("null", fp); break;
	case CELL_NUM: json_num(fp, c->num); break;
	case CELL_INT: case CELL_BOOL: fputs(c->text, fp); break;
	case CELL_STR: json_str(fp, c->text); break; /* JSON strings are YAML */
	}
}

void out_table_print(const out_table *t, out_format fmt, const char *key,
                     FILE *fp)
{
	switch (fmt) {
	case OUT_TABLE:
		out_fit_print(t, fp);
		break;
	case OUT_CSV:
		for (size_t j = 0; j < t->ncols; j++) {
			if (j)
				fputc(',', fp);
			out_csv_field(fp, t->cols[j]);
		}
		fputs("\r\n", fp);
		for (size_t r = 0; r < t->nrows; r++) {
			for (size_t j = 0; j < t->ncols; j++) {
				const out_cell *c = &t->cells[r * t->ncols + j];
				if (j)
					fputc(',', fp);
				/* Data for programs: numbers at full precision. */
				if (c->type == CELL_NUM)
					json_num(fp, c->num);
				else
					out_csv_field(fp, c->text);
			}
			fputs("\r\n", fp);
		}
		break;
	case OUT_JSON:
		fprintf(fp, "{\"%s\": [", key);
		for (size_t r = 0; r < t->nrows; r++) {
			fputs(r ? ",\n  {" : "\n  {", fp);
			for (size_t j = 0; j < t->ncols; j++) {
				const out_cell *c = &t->cells[r * t->ncols + j];
				fprintf(fp, "%s\"%s\": ", j ? ", " : "", t->cols[j]);
				yaml_scalar(fp, c);
			}
			fputc('}', fp);
		}
		fputs(t->nrows ? "\n]}\n" : "]}\n", fp);
		break;
	case OUT_YAML:
		fprintf(fp, "%s:%s\n", key, t->nrows ? "" : " []");
		for (size_t r = 0; r < t->nrows; r++) {
			for (size_t j = 0; j < t->ncols; j++) {
				fprintf(fp, "  %s %s: ", j ? " " : "-", t->cols[j]);
				yaml_scalar(fp, &t->cells[r * t->ncols + j]);
				fputc('\n', fp);
			}
		}
		break;
	}
}
