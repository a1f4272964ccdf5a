/* SPDX-License-Identifier: MIT */
/*
 * yaml_parse.h -- what the stages of the YAML reader share: the limits,
 * the parse context, events and records as small trees, and the calls
 * from one stage into another.  Include it only from io/yaml_*.c; the
 * rest of libmatch reads YAML through io/yaml.h.
 *
 * The reader is built on libyaml's event API, one stage per file, each
 * calling only the stages listed before it:
 *
 *  yaml_events.c   pulls events from libyaml (on a thread of its own for
 *                  a big file) and applies the generic limits: nesting
 *                  depth, scalar size, UTF-8, anchors and aliases.
 *                  Aliases are expanded by replaying the recorded events
 *                  of the anchored node, so nothing above ever sees an
 *                  alias.  It gathers a record into a small flat tree,
 *                  bounded in size, and holds the diagnostics.
 *  yaml_merge.c    merge keys (`<<: *base`) of a record's tree expanded,
 *                  so that nothing above ever sees one.
 *  yaml_values.c   one scalar of a record checked and converted: text,
 *                  reference, number, whole number, boolean; unknown keys
 *                  with their "did you mean".
 *  yaml_records.c  the top level of each document (a mapping of record
 *                  lists plus `settings`) is walked as a stream; each
 *                  record's tree is checked key by key, as its kind's
 *                  field table (model/fields.h) says, and turned into a
 *                  record of the batch.  A bad record is reported and left
 *                  out; parsing goes on so that every problem of a file is
 *                  reported.
 *  yaml_files.c    the entry points of io/yaml.h: files, folders and
 *                  buffers.  A YAML syntax error or a broken limit stops
 *                  that file only.
 *
 * References (dangling ids, duplicates, cycles) are not checked here:
 * lmi_catalog_merge() does that across all files of a load.
 *
 * Memory: every string stored in a record is copied into the batch's
 * arena; everything else (events, trees, recordings, file contents) is
 * malloc'd by the reader and freed before the function that made it
 * returns.
 */
#ifndef LMI_YAML_PARSE_H
#define LMI_YAML_PARSE_H

#include "io/yaml.h"

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

/*
 * Limits (the user documentation lists them from here):
 *   LM_YAML_MAX_BYTES          128 MiB  size of one file or buffer
 *   LM_YAML_MAX_SCALAR          64 KiB  bytes in one scalar (key or value)
 *   LM_ID_MAX                  256 B    bytes in an id
 *   LM_YAML_MAX_DEPTH               32  nested sequences/mappings
 *   LM_YAML_MAX_ALIASES            100  alias uses per file
 *   LM_YAML_MAX_ALIAS_EVENTS    10,000  events produced by alias expansion
 *                                       per file
 *   LM_YAML_MAX_ALIAS_BYTES     16 MiB  scalar bytes produced by alias
 *                                       expansion per file
 *   LM_YAML_MAX_ANCHORS          1,000  anchors per document
 *   LM_YAML_MAX_RECORD_NODES   100,000  YAML nodes in one record
 *   LM_YAML_MAX_RECORDS      5,000,000  records of one kind per load
 *   LM_YAML_MAX_DIR_DEPTH           32  folder levels below a path given
 *   LMI_TEXT_MAX                 4,000  bytes in a free text (a need's
 *                                       description; model/fields.h)
 * An anchored node too big to be repeated within the alias limits may
 * still be defined; only an alias to it is an error.  Files and buffers
 * (yaml_files.c), scalars, nesting, aliases, anchors and record nodes
 * (yaml_events.c), ids and free texts (yaml_values.c) and records
 * (yaml_records.c) are checked where they are read.
 */
#define LM_YAML_MAX_BYTES ((size_t)128 * 1024 * 1024)
#define LM_YAML_MAX_SCALAR ((size_t)64 * 1024)
#define LM_ID_MAX 256
#define LM_YAML_MAX_DEPTH 32
#define LM_YAML_MAX_ALIASES 100
#define LM_YAML_MAX_ALIAS_EVENTS 10000
#define LM_YAML_MAX_ALIAS_BYTES ((size_t)16 * 1024 * 1024)
#define LM_YAML_MAX_ANCHORS 1000
#define LM_YAML_MAX_RECORD_NODES 100000
#define LM_YAML_MAX_RECORDS 5000000
#define LM_YAML_MAX_DIR_DEPTH 32

/* Longest piece of a user's value quoted back in a message, in bytes. */
#define SHOW_MAX 40

/* lmi_yaml_next_event() and friends: a broken limit or syntax error was
 * reported and the rest of the file must be skipped.  Never returned to
 * callers of io/yaml.h. */
#define STOP 1

/* ---- events ------------------------------------------------------------ */

typedef enum ev_type {
	EV_NONE = 0,
	EV_STREAM_END,
	EV_DOC_START,
	EV_DOC_END,
	EV_SCALAR,
	EV_SEQ,
	EV_SEQ_END,
	EV_MAP,
	EV_MAP_END
} ev_type;

/* One event as the upper layers see it. */
typedef struct ev {
	ev_type type;
	bool plain;      /* plain style and no tag: may be a number/bool/null */
	bool block;      /* literal (|) or folded (>) style */
	bool bad;        /* already reported (too long, bad UTF-8): skip quietly */
	uint32_t line;   /* 1-based start */
	uint32_t col;
	char *val;       /* scalars: malloc'd, NUL-terminated, owned by holder */
	size_t len;
} ev;

/* ---- records as small trees ------------------------------------------ */

/* A node of a record, in pre-order; `end` is the index one past its
 * subtree, so the children of i are i+1, then v[i+1].end, ... < v[i].end.
 * A mapping's children alternate key, value. */
typedef struct node {
	ev e;
	size_t end;
} node;

typedef struct tree {
	node *v;
	size_t n, cap;
	bool overflow;   /* too many nodes; reported, skip the record */
	struct evq *q;   /* libyaml's thread, which frees the values, or NULL */
} tree;

/* ---- parse context ----------------------------------------------------- */

/* The recording of an anchored node and libyaml's thread: yaml_events.c
 * alone looks inside them. */
typedef struct anchor anchor;
struct evq;

typedef struct yctx {
	lm_catalog *b;
	lmi_err *err;
	locale_t cloc;          /* "C" numeric locale for strtod */
	size_t ndiag;           /* diagnostics given in this call */
	size_t nfiles;          /* files opened to be parsed in this call */
	bool nomem;

	/* the current file */
	const char *file;       /* batch-arena copy of its name */
	const unsigned char *data;
	size_t len;
	yaml_parser_t parser;
	struct evq *q;          /* libyaml on its own thread, or NULL */
	lmi_yaml_threads threads;
	int depth;              /* open sequences/mappings */
	anchor *anchors;
	size_t nanchors, capanchors;
	size_t active[LM_YAML_MAX_DEPTH + 1]; /* anchors being recorded */
	size_t nactive;
	size_t rec_bytes;       /* memory held by all recordings */
	size_t replay;          /* anchor being replayed, or SIZE_MAX */
	size_t replay_i;
	size_t alias_uses, alias_events, alias_bytes;
	tree t;
} yctx;

/* ---- diagnostics (yaml_events.c) ---------------------------------------- */

/*
 * Positions: a diagnostic is at FILE:LINE:COLUMN of the current file
 * (c->file), 1-based, the column counted in characters.  libyaml's marks
 * are 0-based and get 1 added; a byte order mark takes no column.  An
 * event, and so a node, has the position where it starts, which is where
 * a message about its value points.  Line 0 means no position (a whole
 * file or folder).
 */
void lmi_yaml_diag(yctx *c, uint32_t line, uint32_t col, const char *fmt,
                   ...) LM_PRINTF(4, 5);
int lmi_yaml_show_len(const char *s, size_t len);

/* printf arguments for "%.*s%s": a user's value, cut to SHOW_MAX bytes
 * and then followed by "...". */
#define SHOW(s, len) lmi_yaml_show_len((s), (len)), (s), \
	(lmi_yaml_show_len((s), (len)) < (int)(len) ? "..." : "")
#define SHOWN(nd) SHOW((nd)->e.val, (nd)->e.len)

/* ---- the event source (yaml_events.c) ----------------------------------- */

/* A file's source: data[0..len) parsed from open to close, at most one at
 * a time per context; events_free() at the end of the context's call. */
int lmi_yaml_source_open(yctx *c, const char *data, size_t len);
void lmi_yaml_source_close(yctx *c);
void lmi_yaml_events_free(yctx *c);
/* The next event, aliases expanded and limits applied: LM_OK (the caller
 * owns *out and frees it with lmi_yaml_ev_free()), STOP or LM_ENOMEM. */
int lmi_yaml_next_event(yctx *c, ev *out);
void lmi_yaml_ev_free(ev *e);
/* The rest of the node that *first starts (taken over): skipped, or
 * gathered into c->t (overflow set when it has too many nodes). */
int lmi_yaml_skip_node(yctx *c, ev *first);
int lmi_yaml_build_tree(yctx *c, ev *first);
void lmi_yaml_tree_reset(tree *t);
/* Release the value of one node of t, as lmi_yaml_tree_reset does. */
void lmi_yaml_node_release(tree *t, node *nd);

/* ---- merge keys (yaml_merge.c) ------------------------------------------ */

/* Expand the merge keys (`<<: *base`, `<<: [*a, *b]`) of every mapping of
 * c->t in place, as YAML 1.1 says: explicit keys override merged ones,
 * an earlier mapping of a list overrides a later one.  A merge key whose
 * value is no mapping is reported.  LM_OK or LM_ENOMEM (the tree is then
 * as it was). */
int lmi_yaml_merge_keys(yctx *c);

/* ---- values (yaml_values.c) --------------------------------------------- */

/* Range of a numeric key; lo_open: the value must be greater than lo. */
typedef struct range {
	double lo, hi;
	bool lo_open;
} range;

/* The lmi_yaml_get_*() report a bad value at its node and return false;
 * `key` names it in messages. */
lmi_pos lmi_yaml_node_pos(const yctx *c, const node *nd);
bool lmi_yaml_is_null(const node *nd);
void lmi_yaml_expected(yctx *c, const node *nd, const char *what,
                       const char *key);
bool lmi_yaml_get_str(yctx *c, const node *nd, const char *key,
                      const char **out);
/* Free text: as a string, but newlines are allowed, and at most max
 * bytes (LMI_TEXT_MAX, model/fields.h). */
bool lmi_yaml_get_text(yctx *c, const node *nd, const char *key, size_t max,
                       const char **out);
bool lmi_yaml_get_ref(yctx *c, const node *nd, const char *key,
                      lmi_ref *out);
bool lmi_yaml_get_num(yctx *c, const node *nd, const char *key,
                      const char *label, const range *r, double *out);
bool lmi_yaml_get_int(yctx *c, const node *nd, const char *key,
                      const char *label, int lo, int hi, int *out);
bool lmi_yaml_get_bool(yctx *c, const node *nd, const char *key, bool *out);
void lmi_yaml_unknown_key(yctx *c, const node *k, const char *where,
                          const char *const *keys, size_t nkeys);

/* ---- documents (yaml_records.c) ----------------------------------------- */

/* Every document of the current source into the batch: LM_OK, STOP or
 * LM_ENOMEM; bad records are reported and left out. */
int lmi_yaml_parse_stream(yctx *c);

#endif /* LMI_YAML_PARSE_H */
