/* SPDX-License-Identifier: MIT */
/*
 * out_doc.c -- one document, three formats: the JSON a command prints
 * (top, explain, assign) read back and written as YAML or CSV, so that
 * every format has the same keys, values and nesting.  YAML is the same
 * tree in block style.  CSV is tables: the document's values as one row
 * (nested objects as dotted keys, "components.skill_fit"), then each
 * list of objects as a table of its own after an empty line and a line
 * with its name; a list of values in a cell is joined with "; ", an
 * object or list deeper down is its JSON text.  docs/json.md documents
 * the layout.
 */
#include "out.h"

#include <stdlib.h>
#include <string.h>

typedef enum { N_NULL, N_BOOL, N_NUM, N_STR, N_LIST, N_MAP } ntype;

typedef struct node {
	ntype type;
	char *key;          /* member name in a map, else NULL */
	char *text;         /* N_STR: the string; N_NUM, N_BOOL: as written */
	const char *src;    /* the node's JSON text in the input ... */
	size_t srclen;      /* ... and its length */
	struct node **kids;
	size_t n;
} node;

static void node_free(node *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		node_free(d->kids[i]);
	free(d->kids);
	free(d->key);
	free(d->text);
	free(d);
}

/* ---- reading the JSON the commands write ----------------------------------- */

typedef struct reader {
	const char *p, *end;
	int depth;
} reader;

static void skip_ws(reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\t' ||
	                         *r->p == '\r'))
		r->p++;
}

static void put_utf8(char **o, unsigned cp)
{
	unsigned char *q = (unsigned char *)*o;
	if (cp < 0x80) {
		*q++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*q++ = (unsigned char)(0xc0 | cp >> 6);
		*q++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*q++ = (unsigned char)(0xe0 | cp >> 12);
		*q++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*q++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = (char *)q;
}

/* A JSON string at r->p (the opening quote), decoded and malloc'd. */
static char *read_string(reader *r)
{
	const char *s = ++r->p;
	while (r->p < r->end && *r->p != '"')
		r->p += *r->p == '\\' ? 2 : 1;
	if (r->p >= r->end)
		return NULL;
	char *out = malloc((size_t)(r->p - s) + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *q = s; q < r->p; q++) {
		if (*q != '\\') {
			*o++ = *q;
			continue;
		}
		q++;
		switch (*q) {
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			char hex[5] = {0};
			memcpy(hex, q + 1, r->p - q > 4 ? 4 : 0);
			put_utf8(&o, (unsigned)strtoul(hex, NULL, 16));
			q += 4;
			break;
		}
		default: *o++ = *q; break;
		}
	}
	*o = '\0';
	r->p++;
	return out;
}

static node *read_value(reader *r);

/* The members of an object or the elements of an array, up to `close`. */
static bool read_kids(reader *r, node *d, char close)
{
	r->p++;
	skip_ws(r);
	while (r->p < r->end && *r->p != close) {
		char *key = NULL;
		if (d->type == N_MAP) {
			if (*r->p != '"' || !(key = read_string(r)))
				return false;
			skip_ws(r);
			if (r->p >= r->end || *r->p != ':') {
				free(key);
				return false;
			}
			r->p++;
		}
		node *k = read_value(r);
		node **v = k ? realloc(d->kids, (d->n + 1) * sizeof(*v)) : NULL;
		if (!v) {
			free(key);
			node_free(k);
			return false;
		}
		d->kids = v;
		k->key = key;
		d->kids[d->n++] = k;
		skip_ws(r);
		if (r->p < r->end && *r->p == ',')
			r->p++, skip_ws(r);
	}
	if (r->p >= r->end)
		return false;
	r->p++;
	return true;
}

static node *read_value(reader *r)
{
	skip_ws(r);
	if (r->p >= r->end || ++r->depth > 64)
		return NULL;
	node *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->src = r->p;
	bool ok = true;
	char c = *r->p;
	if (c == '{' || c == '[') {
		d->type = c == '{' ? N_MAP : N_LIST;
		ok = read_kids(r, d, c == '{' ? '}' : ']');
	} else if (c == '"') {
		d->type = N_STR;
		ok = (d->text = read_string(r)) != NULL;
	} else {
		const char *s = r->p;
		while (r->p < r->end && !strchr(",]} \n\r\t", *r->p))
			r->p++;
		size_t len = (size_t)(r->p - s);
		d->type = len == 4 && !memcmp(s, "null", 4) ? N_NULL
		        : (len == 4 && !memcmp(s, "true", 4)) ||
		          (len == 5 && !memcmp(s, "false", 5)) ? N_BOOL : N_NUM;
		ok = len > 0 && (d->text = strndup(s, len)) != NULL;
	}
	d->srclen = (size_t)(r->p - d->src);
	r->depth--;
	if (!ok) {
		node_free(d);
		return NULL;
	}
	return d;
}

/* ---- YAML ---------------------------------------------------------------------- */

static void yaml_scalar(FILE *fp, const node *d)
{
	if (d->type == N_STR)
		json_str(fp, d->text); /* a JSON string is a YAML one */
	else
		fputs(d->type == N_NULL ? "null" : d->text, fp);
}

static void yaml_items(FILE *fp, const node *l, int indent);
static void yaml_members(FILE *fp, const node *m, int indent, bool dashed);

/* What follows "key:" or "-": a scalar on the line, or the block below. */
static void yaml_value(FILE *fp, const node *d, int indent)
{
	if (d->type != N_LIST && d->type != N_MAP) {
		fputc(' ', fp);
		yaml_scalar(fp, d);
		fputc('\n', fp);
	} else if (!d->n) {
		fputs(d->type == N_LIST ? " []\n" : " {}\n", fp);
	} else if (d->type == N_MAP) {
		fputc('\n', fp);
		yaml_members(fp, d, indent + 2, false);
	} else {
		fputc('\n', fp);
		yaml_items(fp, d, indent + 2);
	}
}

static void yaml_members(FILE *fp, const node *m, int indent, bool dashed)
{
	for (size_t i = 0; i < m->n; i++) {
		if (i || !dashed)
			fprintf(fp, "%*s", indent, "");
		fprintf(fp, "%s:", m->kids[i]->key);
		yaml_value(fp, m->kids[i], indent);
	}
}

static void yaml_items(FILE *fp, const node *l, int indent)
{
	for (size_t i = 0; i < l->n; i++) {
		const node *e = l->kids[i];
		fprintf(fp, "%*s-", indent, "");
		if (e->type == N_MAP && e->n) {
			fputc(' ', fp);
			yaml_members(fp, e, indent + 2, true);
		} else {
			yaml_value(fp, e, indent);
		}
	}
}

/* ---- CSV ------------------------------------------------------------------------ */

/* A row being built: cells by dotted key, in the order first seen. */
typedef struct row {
	char **keys, **vals;
	size_t n;
	bool oom;
} row;

static void row_free(row *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->keys[i]), free(w->vals[i]);
	free(w->keys), free(w->vals);
	memset(w, 0, sizeof(*w));
}

static void row_put(row *w, const char *key, char *val)
{
	char **k = realloc(w->keys, (w->n + 1) * sizeof(*k));
	if (k)
		w->keys = k;
	char **v = k ? realloc(w->vals, (w->n + 1) * sizeof(*v)) : NULL;
	if (v)
		w->vals = v;
	char *kc = v ? strdup(key) : NULL;
	if (!kc || !val) {
		free(kc), free(val);
		w->oom = true;
		return;
	}
	w->keys[w->n] = kc;
	w->vals[w->n++] = val;
}

/* A cell's text: a scalar as written (null empty), a list of scalars
 * joined with "; ", anything deeper its JSON text. */
static char *cell_text(const node *d)
{
	if (d->type == N_NULL)
		return strdup("");
	if (d->type != N_LIST && d->type != N_MAP)
		return strdup(d->text);
	bool flat = d->type == N_LIST;
	size_t len = 1;
	for (size_t i = 0; i < d->n; i++) {
		const node *k = d->kids[i];
		flat = flat && k->type != N_LIST && k->type != N_MAP;
		len += (k->text ? strlen(k->text) : 0) + 2;
	}
	if (!flat)
		return strndup(d->src, d->srclen);
	char *s = malloc(len), *p = s;
	if (!s)
		return NULL;
	*p = '\0';
	for (size_t i = 0; i < d->n; i++)
		p += sprintf(p, "%s%s", i ? "; " : "", d->kids[i]->text ?
		             d->kids[i]->text : "");
	return s;
}

static bool is_table(const node *d)
{
	if (d->type != N_LIST)
		return false;
	for (size_t i = 0; i < d->n; i++)
		if (d->kids[i]->type != N_MAP)
			return false;
	return true;
}

/* The members of map `m` into row `w` under `prefix`; lists are skipped
 * when `tables` is set (they get sections of their own). */
static void flatten(row *w, const node *m, const char *prefix, bool tables)
{
	for (size_t i = 0; i < m->n && !w->oom; i++) {
		const node *k = m->kids[i];
		char *key = out_strf("%s%s%s", prefix, *prefix ? "." : "", k->key);
		if (!key) {
			w->oom = true;
			return;
		}
		if (k->type == N_MAP && k->n)
			flatten(w, k, key, tables);
		else if (!(tables && k->type == N_LIST))
			row_put(w, key, cell_text(k));
		free(key);
	}
}

static void csv_row(FILE *fp, char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', fp);
		out_csv_field(fp, cells[i]);
	}
	fputs("\r\n", fp);
}

/* List `l` of objects as one table: the keys of all its rows. */
static bool csv_table(FILE *fp, const node *l)
{
	row *rows = calloc(l->n + 1, sizeof(*rows));
	row head = {0};
	bool ok = rows != NULL;
	for (size_t i = 0; ok && i < l->n; i++) {
		flatten(&rows[i], l->kids[i], "", false);
		for (size_t j = 0; j < rows[i].n; j++) {
			size_t h = 0;
			while (h < head.n && strcmp(head.keys[h], rows[i].keys[j]))
				h++;
			if (h == head.n)
				row_put(&head, rows[i].keys[j], strdup(""));
		}
		ok = !rows[i].oom && !head.oom;
	}
	if (ok && head.n) {
		csv_row(fp, head.keys, head.n);
		char **cells = calloc(head.n, sizeof(*cells));
		ok = cells != NULL;
		for (size_t i = 0; ok && i < l->n; i++) {
			for (size_t h = 0; h < head.n; h++) {
				cells[h] = "";
				for (size_t j = 0; j < rows[i].n; j++)
					if (!strcmp(rows[i].keys[j], head.keys[h]))
						cells[h] = rows[i].vals[j];
			}
			csv_row(fp, cells, head.n);
		}
		free(cells);
	}
	for (size_t i = 0; rows && i < l->n; i++)
		row_free(&rows[i]);
	free(rows);
	row_free(&head);
	return ok;
}

/* The lists of map `m` (at any depth of maps), each after an empty line
 * and a line with its dotted name: a list of objects as a table, a list
 * of values one to a line, an empty list as its name alone. */
static bool csv_sections(FILE *fp, const node *m, const char *prefix)
{
	bool ok = true;
	for (size_t i = 0; ok && i < m->n; i++) {
		const node *k = m->kids[i];
		char *name = out_strf("%s%s%s", prefix, *prefix ? "." : "", k->key);
		if (!name)
			return false;
		if (k->type == N_MAP) {
			ok = csv_sections(fp, k, name);
		} else if (k->type == N_LIST) {
			fputs("\r\n", fp);
			out_csv_field(fp, name);
			fputs("\r\n", fp);
			if (is_table(k)) {
				ok = csv_table(fp, k);
			} else {
				for (size_t j = 0; ok && j < k->n; j++) {
					char *v = cell_text(k->kids[j]);
					ok = v != NULL;
					if (ok)
						csv_row(fp, &v, 1);
					free(v);
				}
			}
		}
		free(name);
	}
	return ok;
}

static bool csv_doc(FILE *fp, const node *root, const char *rows_only)
{
	if (rows_only) {
		for (size_t i = 0; i < root->n; i++)
			if (!strcmp(root->kids[i]->key, rows_only) &&
			    root->kids[i]->type == N_LIST)
				return csv_table(fp, root->kids[i]);
		return true;
	}
	row w = {0};
	flatten(&w, root, "", true);
	bool ok = !w.oom;
	if (ok && w.n) {
		csv_row(fp, w.keys, w.n);
		csv_row(fp, w.vals, w.n);
	}
	row_free(&w);
	return ok && csv_sections(fp, root, "");
}

int out_doc_print(const char *json, size_t len, out_format fmt,
                  const char *rows_only, FILE *fp)
{
	reader r = {json, json + len, 0};
	node *root = read_value(&r);
	if (!root || root->type != N_MAP) {
		node_free(root);
		return -1;
	}
	bool ok = true;
	if (fmt == OUT_YAML)
		yaml_members(fp, root, 0, false);
	else if (fmt == OUT_CSV)
		ok = csv_doc(fp, root, rows_only);
	else
		fwrite(json, 1, len, fp);
	node_free(root);
	return ok ? 0 : -1;
}

FILE *out_doc_open(out_doc *d)
{
	memset(d, 0, sizeof(*d));
	d->fp = open_memstream(&d->buf, &d->len);
	return d->fp;
}

int out_doc_close(out_doc *d, out_format fmt, const char *rows_only,
                  FILE *fp)
{
	int rc = d->fp && !fclose(d->fp) && d->buf
	         ? out_doc_print(d->buf, d->len, fmt, rows_only, fp) : -1;
	free(d->buf);
	memset(d, 0, sizeof(*d));
	return rc;
}
