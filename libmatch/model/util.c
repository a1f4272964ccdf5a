/* SPDX-License-Identifier: MIT */
/*
 * util.c -- the small machinery every module leans on: checked array
 * allocation and growable vectors, the one "did you mean" rule
 * (lmi_is_typo), a growable byte buffer (lmi_buf), a bump arena for
 * strings and record arrays, an open-addressing string map, printf into
 * new strings, the error and diagnostics record kept by each handle, and
 * the Unicode helpers (folding, validation) built on utf8proc.
 */
#include "model/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* ---- allocation -------------------------------------------------------- */

void *lmi_reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return realloc(p, n && size ? n * size : 1);
}

void *lmi_vec_push(void **v, size_t *n, size_t *cap, size_t elem)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *nv = lmi_reallocarray(*v, ncap, elem);
		if (!nv)
			return NULL;
		*v = nv;
		*cap = ncap;
	}
	char *slot = (char *)*v + (*n)++ * elem;
	memset(slot, 0, elem);
	return slot;
}

bool lmi_resize(void **p, size_t n, size_t size)
{
	void *np = lmi_reallocarray(*p, n, size);
	if (!np)
		return false;
	*p = np;
	return true;
}

int lmi_strv_push(char ***v, size_t *n, char *s)
{
	char **nv = s ? lmi_reallocarray(*v, *n + 1, sizeof *nv) : NULL;
	if (!nv) {
		free(s);
		return LM_ENOMEM;
	}
	*v = nv;
	nv[(*n)++] = s;
	return LM_OK;
}

void lmi_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- "did you mean" ---------------------------------------------------- */

#define TYPO_MAX_LEN 256

/* The distance between a and b, or cap + 1 as soon as it must exceed cap. */
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb,
                           size_t cap)
{
	size_t rows[3][TYPO_MAX_LEN + 1]; /* i-2, i-1, i; la, lb checked */

	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (size_t j = 0; j <= lb; j++)
		rows[1][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *cur = rows[(i + 1) % 3], *prev = rows[i % 3],
		       *pp = rows[(i + 2) % 3], best = cur[0] = i;

		for (size_t j = 1; j <= lb; j++) {
			size_t v = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
			if (v < best)
				best = v;
		}
		/* A row's minimum never falls later on. */
		if (best > cap)
			return cap + 1;
	}
	return rows[(la + 1) % 3][lb];
}

bool lmi_is_typo(const char *key, size_t klen, const char *cand, size_t clen,
                 size_t *dist)
{
	size_t shorter = klen < clen ? klen : clen, limit, d;

	if (klen > TYPO_MAX_LEN || clen > TYPO_MAX_LEN)
		return false;
	limit = shorter <= 4 ? 1 : shorter <= 8 ? 2 : 3;
	d = osa_distance(key, klen, cand, clen, limit);
	if (d > limit)
		return false;
	if (dist)
		*dist = d;
	return true;
}

/* ---- growable buffer --------------------------------------------------- */

char *lmi_buf_grow(lmi_buf *b, size_t n)
{
	if (b->oom)
		return NULL;
	if (n >= SIZE_MAX - b->n) {
		b->oom = true;
		return NULL;
	}
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *v;

		while (cap < b->n + n + 1)
			cap = cap > SIZE_MAX / 2 ? b->n + n + 1 : cap * 2;
		v = realloc(b->v, cap);
		if (!v) {
			b->oom = true;
			return NULL;
		}
		b->v = v;
		b->cap = cap;
	}
	b->n += n;
	b->v[b->n] = '\0';
	return b->v + b->n - n;
}

void lmi_buf_put(lmi_buf *b, const void *p, size_t n)
{
	char *d = lmi_buf_grow(b, n);

	if (d && n)
		memcpy(d, p, n);
}

void lmi_buf_puts(lmi_buf *b, const char *s)
{
	lmi_buf_put(b, s, strlen(s));
}

void lmi_buf_printf(lmi_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *d;

	if (b->oom)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true; /* a bad format: nothing sensible to keep */
		return;
	}
	d = lmi_buf_grow(b, (size_t)n);
	if (!d)
		return;
	va_start(ap, fmt);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
}

char *lmi_buf_take(lmi_buf *b)
{
	char *s = b->v;

	if (b->oom) {
		free(s);
		s = NULL;
	} else if (!s) {
		s = calloc(1, 1);
	}
	memset(b, 0, sizeof *b);
	return s;
}

void lmi_buf_reset(lmi_buf *b)
{
	b->n = 0;
	b->oom = false;
	if (b->v)
		b->v[0] = '\0';
}

void lmi_buf_free(lmi_buf *b)
{
	free(b->v);
	memset(b, 0, sizeof *b);
}

/* ---- arena ------------------------------------------------------------- */

struct lmi_arena_block {
	lmi_arena_block *next;
	size_t used, size;
	max_align_t data[];
};

#define LM_ARENA_BLOCK (64 * 1024)

void *lmi_arena_alloc(lmi_arena *a, size_t size)
{
	const size_t align = sizeof(max_align_t);
	size_t need = (size + align - 1) & ~(align - 1);
	if (need < size)
		return NULL;
	lmi_arena_block *b = a->head;
	if (!b || b->size - b->used < need) {
		size_t bsize = need > LM_ARENA_BLOCK ? need : LM_ARENA_BLOCK;
		if (bsize > SIZE_MAX - sizeof(*b))
			return NULL;
		b = malloc(sizeof(*b) + bsize);
		if (!b)
			return NULL;
		b->size = bsize;
		b->used = 0;
		/* A big one-off block goes behind the head so that the head's
		 * free space stays usable for small strings. */
		if (a->head && need > LM_ARENA_BLOCK / 4) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = (char *)b->data + b->used;
	b->used += need;
	memset(p, 0, size);
	return p;
}

char *lmi_arena_strndup(lmi_arena *a, const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *p = lmi_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *lmi_arena_strdup(lmi_arena *a, const char *s)
{
	return lmi_arena_strndup(a, s, strlen(s));
}

void lmi_arena_steal(lmi_arena *to, lmi_arena *from)
{
	if (!from->head)
		return;
	lmi_arena_block *tail = from->head;
	while (tail->next)
		tail = tail->next;
	/* Keep `to`'s head in front so its free space is used first. */
	if (to->head) {
		tail->next = to->head->next;
		to->head->next = from->head;
	} else {
		to->head = from->head;
	}
	from->head = NULL;
}

void lmi_arena_free(lmi_arena *a)
{
	lmi_arena_block *b = a->head;
	while (b) {
		lmi_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

/* ---- map --------------------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	/* FNV-1a, then a final mix so that low bits are usable. */
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ULL;
	h ^= h >> 32;
	return h;
}

/* Grow to ncap slots (a power of two, more than len). */
static int map_resize(lmi_map *m, size_t ncap)
{
	const char **keys = calloc(ncap, sizeof(*keys));
	uint32_t *vals = malloc(ncap * sizeof(*vals));
	uint32_t *hashes = malloc(ncap * sizeof(*hashes));
	if (!keys || !vals || !hashes) {
		free(keys);
		free(vals);
		free(hashes);
		return LM_ENOMEM;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		size_t j = m->hashes[i] & (ncap - 1);
		while (keys[j])
			j = (j + 1) & (ncap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
		hashes[j] = m->hashes[i];
	}
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	m->keys = keys;
	m->vals = vals;
	m->hashes = hashes;
	m->cap = ncap;
	return LM_OK;
}

int lmi_map_reserve(lmi_map *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;
	/* At most three quarters full, as lmi_map_put keeps it. */
	while (n + 1 > cap / 4 * 3) {
		if (cap > SIZE_MAX / 2 / sizeof(*m->keys))
			return LM_ENOMEM;
		cap *= 2;
	}
	return cap == m->cap ? LM_OK : map_resize(m, cap);
}

int lmi_map_put(lmi_map *m, const char *key, uint32_t val)
{
	if ((m->len + 1) * 4 > m->cap * 3) {
		int rc = map_resize(m, m->cap ? m->cap * 2 : 64);
		if (rc)
			return rc;
	}
	uint32_t h = (uint32_t)hash_str(key);
	size_t j = h & (m->cap - 1);
	while (m->keys[j]) {
		if (m->hashes[j] == h && strcmp(m->keys[j], key) == 0) {
			m->vals[j] = val;
			return LM_OK;
		}
		j = (j + 1) & (m->cap - 1);
	}
	m->keys[j] = key;
	m->vals[j] = val;
	m->hashes[j] = h;
	m->len++;
	return LM_OK;
}

bool lmi_map_get(const lmi_map *m, const char *key, uint32_t *val)
{
	if (!m->cap)
		return false;
	uint32_t h = (uint32_t)hash_str(key);
	size_t j = h & (m->cap - 1);
	while (m->keys[j]) {
		if (m->hashes[j] == h && strcmp(m->keys[j], key) == 0) {
			if (val)
				*val = m->vals[j];
			return true;
		}
		j = (j + 1) & (m->cap - 1);
	}
	return false;
}

void lmi_map_free(lmi_map *m)
{
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	memset(m, 0, sizeof(*m));
}

/* ---- errors ------------------------------------------------------------ */

char *lmi_vstrf(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *lmi_strf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = lmi_vstrf(fmt, ap);
	va_end(ap);
	return s;
}

void lmi_err_clear(lmi_err *e)
{
	free(e->msg);
	for (size_t i = 0; i < e->ndiags; i++) {
		free((char *)e->diags[i].file);
		free((char *)e->diags[i].message);
	}
	free(e->diags);
	memset(e, 0, sizeof(*e));
}

void lmi_err_free(lmi_err *e)
{
	lmi_err_clear(e);
}

int lmi_err_vset(lmi_err *e, int code, const char *fmt, va_list ap)
{
	char *s = lmi_vstrf(fmt, ap);
	free(e->msg);
	e->msg = s; /* NULL on OOM: the message reads "" and the code says why */
	return code;
}

int lmi_err_set(lmi_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lmi_err_vset(e, code, fmt, ap);
	va_end(ap);
	return code;
}

static char *diag_text(const lm_diag *d)
{
	const char *f = d->file ? d->file : "(database)";
	int n;
	if (d->line)
		n = snprintf(NULL, 0, "%s:%u:%u: %s", f, d->line, d->column,
		             d->message);
	else
		n = snprintf(NULL, 0, "%s: %s", f, d->message);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	if (d->line)
		snprintf(s, (size_t)n + 1, "%s:%u:%u: %s", f, d->line, d->column,
		         d->message);
	else
		snprintf(s, (size_t)n + 1, "%s: %s", f, d->message);
	return s;
}

/* Append a diagnostic of message `msg` (taken over) at pos; NULL when
 * out of memory (msg is freed). */
static lm_diag *diag_push(lmi_err *e, const lmi_pos *pos, char *msg)
{
	lm_diag *d = msg ? lmi_vec_push((void **)&e->diags, &e->ndiags,
	                                &e->cap, sizeof(*e->diags)) : NULL;
	char *file = d && pos && pos->file ? strdup(pos->file) : NULL;
	if (!d || (pos && pos->file && !file)) {
		if (d)
			e->ndiags--;
		free(msg);
		free(file);
		return NULL;
	}
	d->file = file;
	d->line = pos ? pos->line : 0;
	d->column = pos ? pos->col : 0;
	d->message = msg;
	return d;
}

int lmi_err_diag(lmi_err *e, const lmi_pos *pos, const char *fmt, ...)
{
	if (e->ndiags >= LM_DIAG_CAP) {
		e->dropped++;
		return LM_EINPUT;
	}
	va_list ap;
	va_start(ap, fmt);
	char *msg = lmi_vstrf(fmt, ap);
	va_end(ap);
	lm_diag *d = diag_push(e, pos, msg);
	/* Out of memory still counts as a problem (`dropped`), so that a
	 * load with an unrecorded diagnostic can never succeed. */
	if (!d) {
		e->dropped++;
		return LM_ENOMEM;
	}
	/* The message is the first problem, not a note before it. */
	if (e->ndiags == e->nnotes + 1) {
		free(e->msg);
		e->msg = diag_text(d);
	}
	return LM_EINPUT;
}

int lmi_err_note(lmi_err *e, const lmi_pos *pos, const char *fmt, ...)
{
	if (e->ndiags >= LM_DIAG_CAP)
		return LM_OK; /* a note is no problem: nothing to count */
	va_list ap;
	va_start(ap, fmt);
	char *msg = lmi_vstrf(fmt, ap);
	va_end(ap);
	if (!diag_push(e, pos, msg))
		return LM_ENOMEM;
	e->nnotes++;
	return LM_OK;
}

const char *lmi_err_msg(const lmi_err *e)
{
	return e->msg ? e->msg : "";
}

/* ---- Unicode ----------------------------------------------------------- */

char *lmi_fold(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map(
		(const utf8proc_uint8_t *)s, 0, &out,
		UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
			UTF8PROC_CASEFOLD);
	if (n < 0)
		return NULL;
	return (char *)out;
}

bool lmi_utf8_valid(const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t left = (utf8proc_ssize_t)n;
	while (left > 0) {
		/* ASCII, most of any profile, needs no decoding: eight bytes
		 * at a time while none is 0 or 0x80 and above. */
		if (left >= 8) {
			uint64_t w;
			memcpy(&w, p, sizeof w);
			if (!((w | ((w - 0x0101010101010101ULL) & ~w)) &
			      0x8080808080808080ULL)) {
				p += 8;
				left -= 8;
				continue;
			}
		}
		if (*p >= 0x01 && *p < 0x80) {
			p++;
			left--;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, left, &cp);
		if (k <= 0 || cp == 0)
			return false;
		p += k;
		left -= k;
	}
	return true;
}
