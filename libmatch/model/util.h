/* SPDX-License-Identifier: MIT */
/*
 * util.h -- the small machinery every module of libmatch leans on: a bump
 * arena for strings and record arrays, an open-addressing string map,
 * printf into new strings, the error and diagnostics record kept by each
 * handle, Unicode folding and validation, growable arrays, the one "did
 * you mean" rule (lmi_is_typo) and a growable byte buffer (lmi_buf).
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

typedef struct lmi_arena_block lmi_arena_block;
typedef struct lmi_arena {
	lmi_arena_block *head;
} lmi_arena;

void *lmi_arena_alloc(lmi_arena *a, size_t size);          /* NULL on OOM */
char *lmi_arena_strndup(lmi_arena *a, const char *s, size_t n);
char *lmi_arena_strdup(lmi_arena *a, const char *s);
/* Move all blocks of `from` into `to`; `from` becomes empty. */
void lmi_arena_steal(lmi_arena *to, lmi_arena *from);
void lmi_arena_free(lmi_arena *a);

/* ---- string -> uint32 map (open addressing; keys not owned) ---------- */

typedef struct lmi_map {
	const char **keys;
	uint32_t *vals;
	uint32_t *hashes; /* of each key: most probes end without a strcmp */
	size_t cap, len;
} lmi_map;

int lmi_map_put(lmi_map *m, const char *key, uint32_t val); /* LM_OK/ENOMEM; replaces */
int lmi_map_reserve(lmi_map *m, size_t n); /* room for n keys; LM_OK/ENOMEM */
bool lmi_map_get(const lmi_map *m, const char *key, uint32_t *val);
void lmi_map_free(lmi_map *m);

/* ---- formatting ----------------------------------------------------- */

/* printf into a new malloc'd string; NULL on OOM or a bad format. */
char *lmi_strf(const char *fmt, ...) LM_PRINTF(1, 2);
char *lmi_vstrf(const char *fmt, va_list ap) LM_PRINTF(1, 0);

/* ---- errors --------------------------------------------------------- */

typedef struct lmi_pos {
	const char *file; /* arena-owned; NULL for records read from a database */
	uint32_t line;    /* 1-based; 0 = unknown */
	uint32_t col;     /* 1-based */
} lmi_pos;

#define LM_DIAG_CAP 50 /* diagnostics kept per load */

typedef struct lmi_err {
	char *msg;          /* malloc'd; NULL means "" */
	lm_diag *diags;     /* file and message strings malloc'd */
	size_t ndiags, cap;
	size_t dropped;     /* diagnostics past the cap */
	size_t nnotes;      /* of the diagnostics, notes (lmi_err_note) */
} lmi_err;

void lmi_err_clear(lmi_err *e);
void lmi_err_free(lmi_err *e);
/* Set the message; returns `code` so that `return lmi_err_set(...)` works. */
int lmi_err_set(lmi_err *e, int code, const char *fmt, ...) LM_PRINTF(3, 4);
int lmi_err_vset(lmi_err *e, int code, const char *fmt, va_list ap) LM_PRINTF(3, 0);
/* Add a diagnostic at pos (may be NULL).  The message is set to the first
 * diagnostic as "FILE:LINE:COL: message".  Returns LM_EINPUT (or LM_ENOMEM). */
int lmi_err_diag(lmi_err *e, const lmi_pos *pos, const char *fmt, ...) LM_PRINTF(3, 4);
/* Add a note at pos: a diagnostic that is not a problem (a file of a
 * folder that was skipped), kept in the list so that a caller can show it
 * after a success too.  It leaves the message alone and does not make a
 * load fail.  Returns LM_OK (or LM_ENOMEM). */
int lmi_err_note(lmi_err *e, const lmi_pos *pos, const char *fmt, ...) LM_PRINTF(3, 4);
const char *lmi_err_msg(const lmi_err *e);

/* ---- Unicode -------------------------------------------------------- */

/* NFC + case fold; malloc'd, NULL on OOM or invalid UTF-8. */
char *lmi_fold(const char *s);
/* true if s[0..n) is valid UTF-8 without NUL bytes. */
bool lmi_utf8_valid(const char *s, size_t n);

/* A growable array of records of one kind. */
#define LM_VEC(T) struct { T *v; size_t n, cap; }

/* Safe sized allocation helpers. */
void *lmi_reallocarray(void *p, size_t n, size_t size);
/* Grow a LM_VEC by one element; returns pointer to it (zeroed) or NULL. */
void *lmi_vec_push(void **v, size_t *n, size_t *cap, size_t elem);
#define LM_VEC_PUSH(vec) \
	lmi_vec_push((void **)&(vec).v, &(vec).n, &(vec).cap, sizeof(*(vec).v))
/* Resize the array *p to n elements of `size` bytes: true on success;
 * false when memory runs out, with *p as it was (still the caller's to
 * free).  Arrays that grow together each take one call, and the first
 * failure stops: those already grown are only larger than needed. */
bool lmi_resize(void **p, size_t n, size_t size);
#define LMI_RESIZE(p, n) lmi_resize((void **)&(p), (n), sizeof(*(p)))
/* A list of malloc'd strings (*v)[0..*n), such as the reasons of an
 * explanation.  push appends s, which the list owns from then on:
 * LM_ENOMEM, with s freed, when s is NULL (a failed lmi_strf) or the list
 * cannot grow.  free frees the strings and the list. */
int lmi_strv_push(char ***v, size_t *n, char *s);
void lmi_strv_free(char **v, size_t n);

/* ---- "did you mean" ---------------------------------------------------- */

/* Is `cand` a likely typo of `key` (both already folded or lower-case)?
 * The one rule of every "did you mean" in libmatch: the optimal string
 * alignment distance (an edit or a swap of neighbours each count 1) is at
 * most 1 when the shorter string has up to 4 bytes, 2 up to 8 bytes and 3
 * beyond.  Strings over 256 bytes are never suggested.  On true, *dist (may
 * be NULL) is the distance, for choosing the closest candidate. */
bool lmi_is_typo(const char *key, size_t klen, const char *cand, size_t clen,
                 size_t *dist);

/* ---- a growable byte buffer ------------------------------------------ */

/* Bytes or text appended at the end, always followed by a NUL byte (not
 * counted in n), so text can be used as a string at any time.  After a
 * failed allocation `oom` is set and every later append does nothing, so
 * a writer checks once, at the end.  Zero-initialise it; release with
 * lmi_buf_free or take the string with lmi_buf_take. */
typedef struct lmi_buf {
	char *v;     /* malloc'd; NULL while empty */
	size_t n;    /* bytes written */
	size_t cap;  /* bytes allocated (n + 1 at least once non-empty) */
	bool oom;
} lmi_buf;

/* Make room for n more bytes, count them as written and return where
 * they go (their contents are undefined); NULL after a failure. */
char *lmi_buf_grow(lmi_buf *b, size_t n);
void lmi_buf_put(lmi_buf *b, const void *p, size_t n);
void lmi_buf_puts(lmi_buf *b, const char *s);
void lmi_buf_printf(lmi_buf *b, const char *fmt, ...) LM_PRINTF(2, 3);
/* The text as a malloc'd string the caller frees ("" when empty), or NULL
 * when an append failed (then everything is freed).  The buffer is left
 * empty either way. */
char *lmi_buf_take(lmi_buf *b);
/* Forget the contents, keep the memory. */
void lmi_buf_reset(lmi_buf *b);
void lmi_buf_free(lmi_buf *b);

#endif /* LMI_UTIL_H */
