/*
 * util.h -- the small machinery every module of libmatch leans on: a bump
 * arena for strings and record arrays, an open-addressing string map,
 * printf into new strings, the error and diagnostics record kept by each
 * handle, Unicode folding and validation, and growable arrays.
 *
 * The bottom of the model layer: it includes nothing of libmatch but the
 * public header, and everything else may include it.
 */
#ifndef LMI_UTIL_H
#define LMI_UTIL_H

#include "libmatch.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define LM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LM_PRINTF(a, b)
#endif

#define LM_NONE UINT32_MAX /* "no index" in resolved arrays */

/* ---- arena: bump allocator for strings and record arrays ------------ */

typedef struct lm_arena_block lm_arena_block;
typedef struct lm_arena {
	lm_arena_block *head;
} lm_arena;

void *lm_arena_alloc(lm_arena *a, size_t size);          /* NULL on OOM */
char *lm_arena_strndup(lm_arena *a, const char *s, size_t n);
char *lm_arena_strdup(lm_arena *a, const char *s);
/* Move all blocks of `from` into `to`; `from` becomes empty. */
void lm_arena_steal(lm_arena *to, lm_arena *from);
void lm_arena_free(lm_arena *a);

/* ---- string -> uint32 map (open addressing; keys not owned) ---------- */

typedef struct lm_map {
	const char **keys;
	uint32_t *vals;
	uint32_t *hashes; /* of each key: most probes end without a strcmp */
	size_t cap, len;
} lm_map;

int lm_map_put(lm_map *m, const char *key, uint32_t val); /* LM_OK/ENOMEM; replaces */
int lm_map_reserve(lm_map *m, size_t n); /* room for n keys; LM_OK/ENOMEM */
bool lm_map_get(const lm_map *m, const char *key, uint32_t *val);
void lm_map_free(lm_map *m);

/* ---- formatting ----------------------------------------------------- */

/* printf into a new malloc'd string; NULL on OOM or a bad format. */
char *lm_strf(const char *fmt, ...) LM_PRINTF(1, 2);
char *lm_vstrf(const char *fmt, va_list ap) LM_PRINTF(1, 0);

/* ---- errors --------------------------------------------------------- */

typedef struct lm_pos {
	const char *file; /* arena-owned; NULL for records read from a database */
	uint32_t line;    /* 1-based; 0 = unknown */
	uint32_t col;     /* 1-based */
} lm_pos;

#define LM_DIAG_CAP 50 /* diagnostics kept per load */

typedef struct lm_err {
	char *msg;          /* malloc'd; NULL means "" */
	lm_diag *diags;     /* file and message strings malloc'd */
	size_t ndiags, cap;
	size_t dropped;     /* diagnostics past the cap */
} lm_err;

void lm_err_clear(lm_err *e);
void lm_err_free(lm_err *e);
/* Set the message; returns `code` so that `return lm_err_set(...)` works. */
int lm_err_set(lm_err *e, int code, const char *fmt, ...) LM_PRINTF(3, 4);
int lm_err_vset(lm_err *e, int code, const char *fmt, va_list ap) LM_PRINTF(3, 0);
/* Add a diagnostic at pos (may be NULL).  The message is set to the first
 * diagnostic as "FILE:LINE:COL: message".  Returns LM_EINPUT (or LM_ENOMEM). */
int lm_err_diag(lm_err *e, const lm_pos *pos, const char *fmt, ...) LM_PRINTF(3, 4);
const char *lm_err_msg(const lm_err *e);

/* ---- Unicode -------------------------------------------------------- */

/* NFC + case fold; malloc'd, NULL on OOM or invalid UTF-8. */
char *lm_fold(const char *s);
/* true if s[0..n) is valid UTF-8 without NUL bytes. */
bool lm_utf8_valid(const char *s, size_t n);

/* A growable array of records of one kind. */
#define LM_VEC(T) struct { T *v; size_t n, cap; }

/* Safe sized allocation helpers. */
void *lm_reallocarray(void *p, size_t n, size_t size);
/* Grow a LM_VEC by one element; returns pointer to it (zeroed) or NULL. */
void *lm_vec_push(void **v, size_t *n, size_t *cap, size_t elem);
#define LM_VEC_PUSH(vec) \
	lm_vec_push((void **)&(vec).v, &(vec).n, &(vec).cap, sizeof(*(vec).v))

#endif /* LMI_UTIL_H */
