/* SPDX-License-Identifier: MIT */
/*
 * loader_yaml.c -- reads YAML profile files (or one in-memory document)
 * into an unresolved batch catalogue, checking every value on the way.
 *
 * It is built on libyaml's event API in three layers:
 *
 *  1. next_event() pulls events from libyaml and applies the generic
 *     limits: nesting depth, scalar size, UTF-8, anchors and aliases.
 *     Aliases are expanded here by replaying the recorded events of the
 *     anchored node, so nothing above ever sees an alias.
 *  2. The top level of each document (a mapping of record lists plus
 *     `settings`) is walked as a stream; each record (one item of a list)
 *     is gathered into a small flat tree, bounded in size.
 *  3. A record's tree is checked key by key and turned into a record of
 *     the batch.  A bad record is reported and left out; parsing goes on
 *     so that every problem of a file is reported.  A YAML syntax error or
 *     a broken limit stops that file only.
 *
 * References (dangling ids, duplicates, cycles) are not checked here:
 * lmi_catalog_merge() does that across all files of a load.
 *
 * Memory: every string stored in a record is copied into the batch's
 * arena; everything else (events, trees, recordings, file contents) is
 * malloc'd here and freed before the function that made it returns.
 */
#include "io/yaml.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
 * An anchored node too big to be repeated within the alias limits may
 * still be defined; only an alias to it is an error.
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

/* next_event() and friends: a broken limit or syntax error was reported
 * and the rest of the file must be skipped.  Never returned to callers of
 * the public functions. */
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
	bool bad;        /* already reported (too long, bad UTF-8): skip quietly */
	uint32_t line;   /* 1-based start */
	uint32_t col;
	char *val;       /* scalars: malloc'd, NUL-terminated, owned by holder */
	size_t len;
} ev;

static void ev_free(ev *e)
{
	free(e->val);
	e->val = NULL;
	e->len = 0;
}

/* The events of one anchored node, already alias-free, replayed for
 * each alias to it. */
typedef struct anchor {
	char *name;      /* malloc'd */
	ev *evs;         /* values malloc'd */
	size_t n, cap;
	size_t bytes;    /* scalar bytes recorded: what an alias expands to */
	size_t cost;     /* memory the recording holds, counted in rec_bytes */
	int depth;       /* depth of its start event; it ends below that */
	bool done;       /* the node ended; aliases may use it */
	bool too_big;    /* recording given up: an alias to it is an error */
} anchor;

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

static void evq_discard(struct evq *q, void *p);

static void tree_reset(tree *t)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->q) {
			evq_discard(t->q, t->v[i].e.val);
			t->v[i].e.val = NULL;
		} else {
			ev_free(&t->v[i].e);
		}
	}
	t->n = 0;
	t->overflow = false;
}

static void tree_free(tree *t)
{
	tree_reset(t);
	free(t->v);
	t->v = NULL;
	t->cap = 0;
}

/* ---- parse context ----------------------------------------------------- */

typedef struct yctx {
	lm_catalog *b;
	lmi_err *err;
	locale_t cloc;          /* "C" numeric locale for strtod */
	size_t ndiag;           /* diagnostics given in this call */
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

/* Add a diagnostic at line:col of the current file (line 0: no position). */
static void diag(yctx *c, uint32_t line, uint32_t col, const char *fmt, ...)
	LM_PRINTF(4, 5);
static void diag(yctx *c, uint32_t line, uint32_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = lmi_vstrf(fmt, ap);
	va_end(ap);
	c->ndiag++;
	if (!msg) {
		c->nomem = true;
		return;
	}
	lmi_pos pos = {c->file, line, col};
	if (lmi_err_diag(c->err, &pos, "%s", msg) == LM_ENOMEM)
		c->nomem = true;
	free(msg);
}

static lmi_pos node_pos(const yctx *c, const node *nd)
{
	lmi_pos p = {c->file, nd->e.line, nd->e.col};
	return p;
}

/* How many bytes of s[0..len) to quote back: at most SHOW_MAX, cut before
 * a control character and never inside a UTF-8 sequence. */
static int show_len(const char *s, size_t len)
{
	size_t n = 0;
	while (n < len && n < SHOW_MAX && (unsigned char)s[n] >= 0x20 &&
	       s[n] != 0x7f)
		n++;
	if (n < len)
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	return (int)n;
}
#define SHOW(s, len) show_len((s), (len)), (s), \
	(show_len((s), (len)) < (int)(len) ? "..." : "")
#define SHOWN(nd) SHOW((nd)->e.val, (nd)->e.len)

/* ---- libyaml errors ------------------------------------------------------ */

/* Line and column (1-based, column in characters) of a byte offset. */
static void offset_pos(const yctx *c, size_t off, uint32_t *line,
                       uint32_t *col)
{
	uint32_t l = 1, k = 1;
	size_t i = 0;
	if (off > c->len)
		off = c->len;
	/* A byte order mark is not a column, as libyaml's own marks agree. */
	if (c->len >= 3 && !memcmp(c->data, "\xEF\xBB\xBF", 3))
		i = 3;
	for (; i < off; i++) {
		unsigned char ch = c->data[i];
		if (ch == '\n' || (ch == '\r' && (i + 1 >= c->len ||
		                                  c->data[i + 1] != '\n'))) {
			l++;
			k = 1;
		} else if ((ch & 0xC0) != 0x80) {
			k++;
		}
	}
	*line = l;
	*col = k;
}

static uint32_t mark1(size_t v)
{
	return v >= UINT32_MAX ? UINT32_MAX : (uint32_t)v + 1;
}

/* Report libyaml's problem; STOP or LM_ENOMEM. */
static int yaml_problem(yctx *c)
{
	const yaml_parser_t *p = &c->parser;
	const char *problem = p->problem ? p->problem : "unknown problem";
	if (p->error == YAML_MEMORY_ERROR)
		return LM_ENOMEM;
	if (p->error == YAML_READER_ERROR) {
		uint32_t line, col;
		offset_pos(c, p->problem_offset, &line, &col);
		if (strstr(problem, "UTF-8") && p->problem_value != -1)
			diag(c, line, col, "invalid UTF-8: %s (byte 0x%02X)",
			     problem, (unsigned)p->problem_value & 0xFFu);
		else if (p->problem_value != -1)
			diag(c, line, col, "invalid input: %s (U+%04X)", problem,
			     (unsigned)p->problem_value);
		else
			diag(c, line, col, "invalid input: %s", problem);
		return STOP;
	}
	uint32_t line = mark1(p->problem_mark.line);
	uint32_t col = mark1(p->problem_mark.column);
	if (p->context)
		diag(c, line, col, "YAML syntax error: %s (%s at line %u, column %u)",
		     problem, p->context, mark1(p->context_mark.line),
		     mark1(p->context_mark.column));
	else
		diag(c, line, col, "YAML syntax error: %s", problem);
	return STOP;
}

/* ---- anchors and aliases --------------------------------------------------- */

static void anchor_drop_events(yctx *c, anchor *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->evs[i].val);
	free(a->evs);
	c->rec_bytes -= a->cost;
	a->evs = NULL;
	a->n = a->cap = a->bytes = a->cost = 0;
}

static void anchors_clear(yctx *c)
{
	for (size_t i = 0; i < c->nanchors; i++) {
		anchor_drop_events(c, &c->anchors[i]);
		free(c->anchors[i].name);
	}
	c->nanchors = 0;
	c->nactive = 0;
	c->replay = SIZE_MAX;
}

/* Start recording an anchored node (its start event not yet delivered). */
static int anchor_begin(yctx *c, const yaml_char_t *name, const ev *e)
{
	if (c->nanchors >= LM_YAML_MAX_ANCHORS) {
		diag(c, e->line, e->col, "too many anchors (limit %d)",
		     LM_YAML_MAX_ANCHORS);
		return STOP;
	}
	anchor *a = lmi_vec_push((void **)&c->anchors, &c->nanchors,
	                        &c->capanchors, sizeof(*c->anchors));
	if (!a)
		return LM_ENOMEM;
	a->name = strdup((const char *)name);
	if (!a->name) {
		c->nanchors--;
		return LM_ENOMEM;
	}
	a->depth = c->depth;
	c->active[c->nactive++] = c->nanchors - 1;
	return LM_OK;
}

/* Append a delivered event to every recording in progress.  A recording
 * that outgrows what any alias may expand to is given up, so memory stays
 * bounded whatever the document holds. */
static int record_event(yctx *c, const ev *e)
{
	for (size_t k = 0; k < c->nactive; k++) {
		anchor *a = &c->anchors[c->active[k]];
		if (a->too_big)
			continue;
		/* rec_bytes counts what the recordings cost in memory (the
		 * event itself and its allocation, not just the scalar), so
		 * that many anchors of small events stay bounded too. */
		size_t cost = e->len + sizeof(*e) + 32;
		if (a->n >= LM_YAML_MAX_ALIAS_EVENTS ||
		    e->len > LM_YAML_MAX_ALIAS_BYTES - a->bytes ||
		    c->rec_bytes + cost > 2 * LM_YAML_MAX_ALIAS_BYTES) {
			anchor_drop_events(c, a);
			a->too_big = true;
			continue;
		}
		ev *slot = lmi_vec_push((void **)&a->evs, &a->n, &a->cap,
		                       sizeof(*a->evs));
		if (!slot)
			return LM_ENOMEM;
		*slot = *e;
		slot->val = NULL;
		if (e->val) {
			slot->val = malloc(e->len + 1);
			if (!slot->val) {
				a->n--;
				return LM_ENOMEM;
			}
			memcpy(slot->val, e->val, e->len + 1);
		}
		a->bytes += e->len;
		a->cost += cost;
		c->rec_bytes += cost;
	}
	return LM_OK;
}

/* Begin replaying the anchor named by an alias event. */
static int alias_begin(yctx *c, const yaml_event_t *ye)
{
	uint32_t line = mark1(ye->start_mark.line);
	uint32_t col = mark1(ye->start_mark.column);
	const char *name = (const char *)ye->data.alias.anchor;
	size_t nlen = strlen(name);
	if (++c->alias_uses > LM_YAML_MAX_ALIASES) {
		diag(c, line, col, "too many aliases (limit %d)",
		     LM_YAML_MAX_ALIASES);
		return STOP;
	}
	size_t i = c->nanchors;
	while (i > 0 && !(c->anchors[i - 1].done &&
	                  !strcmp(c->anchors[i - 1].name, name)))
		i--;
	if (i == 0) {
		diag(c, line, col, "alias '*%.*s%s' names no anchor defined before it",
		     SHOW(name, nlen));
		return STOP;
	}
	anchor *a = &c->anchors[i - 1];
	if (a->too_big || a->n > LM_YAML_MAX_ALIAS_EVENTS - c->alias_events ||
	    a->bytes > LM_YAML_MAX_ALIAS_BYTES - c->alias_bytes) {
		diag(c, line, col,
		     "alias '*%.*s%s' expands to too much data (limit %d nodes "
		     "and %zu bytes from aliases per file)",
		     SHOW(name, nlen), LM_YAML_MAX_ALIAS_EVENTS,
		     LM_YAML_MAX_ALIAS_BYTES);
		return STOP;
	}
	c->alias_events += a->n;
	c->alias_bytes += a->bytes;
	c->replay = i - 1;
	c->replay_i = 0;
	return LM_OK;
}

/* ---- libyaml on a second thread ------------------------------------------ */

/*
 * libyaml's scanner and parser are about two thirds of the time it takes
 * to read a big file, and turning their events into records the rest.
 * For a file of EVQ_MIN_BYTES or more the two run on two threads: a
 * producer calls yaml_parser_parse() and publishes its events in batches,
 * up to EVQ_DEPTH batches ahead of the reader, who takes them in order as
 * yaml_parser_parse() would return them.  Everything after it is
 * unchanged, so the records and diagnostics are the same either way
 * (tests/test_loader.c compares them).
 *
 * Ownership: only the producer touches the parser until it has stopped
 * (`done`, set under the mutex after its last call, so that the reader
 * may then read the parser's error); a published event belongs to the
 * reader, who deletes it after use, or in evq_close() if it was never
 * taken.  If the thread cannot be started, the file is read on one.
 */
#define EVQ_MIN_BYTES ((size_t)1 << 20)
#define EVQ_BATCH 1024
#define EVQ_DEPTH 8

/* Memory to free: the values of records read (mostly libyaml's scalars,
 * allocated on the producer's thread, where freeing them is cheaper). */
typedef LM_VEC(void *) ptr_vec;

typedef struct evq {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* any change of head, tail, done or stop */
	int waiting;            /* threads waiting on cv: wake them only then */
	yaml_parser_t *parser;
	size_t batch;           /* events per batch, at most EVQ_BATCH */
	size_t head, tail;      /* batches released by the reader, published */
	bool done;              /* the producer has stopped */
	bool failed;            /* ... because yaml_parser_parse() failed */
	bool stop;              /* the reader asks it to stop */
	bool have;              /* the reader holds batch head */
	size_t pos;             /* the reader's next event in it */
	ptr_vec dead;           /* the reader's values to free */
	ptr_vec handed;         /* values handed to the producer to free */
	size_t count[EVQ_DEPTH];
	yaml_event_t ev[EVQ_DEPTH][EVQ_BATCH];
} evq;

static void free_all(ptr_vec *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	v->n = 0;
}

static void *evq_produce(void *arg)
{
	evq *q = arg;
	ptr_vec dead = {NULL, 0, 0};
	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (q->tail - q->head == EVQ_DEPTH && !q->stop) {
			q->waiting++;
			pthread_cond_wait(&q->cv, &q->mu);
			q->waiting--;
		}
		bool stop = q->stop;
		/* Take what the reader handed over (leaving it an empty
		 * vector with room). */
		ptr_vec t = q->handed;
		q->handed = dead;
		dead = t;
		pthread_mutex_unlock(&q->mu);
		free_all(&dead);
		if (stop)
			break;
		/* Slot tail % EVQ_DEPTH is free: the reader holds at most
		 * the batches head..tail-1.  Only this thread writes tail. */
		size_t b = q->tail % EVQ_DEPTH, n = 0;
		bool end = false, failed = false;
		while (n < q->batch && !end) {
			if (!yaml_parser_parse(q->parser, &q->ev[b][n])) {
				failed = true;
				break;
			}
			end = q->ev[b][n++].type == YAML_STREAM_END_EVENT;
		}
		pthread_mutex_lock(&q->mu);
		q->count[b] = n;
		q->tail++;
		q->failed = failed;
		q->done = failed || end;
		if (q->waiting)
			pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		if (failed || end)
			break;
	}
	pthread_mutex_lock(&q->mu);
	q->done = true;
	pthread_mutex_unlock(&q->mu);
	free(dead.v);
	return NULL;
}

/* Start reading `parser` on a thread of its own; NULL if that cannot be
 * done (then the caller reads on its own thread). */
static evq *evq_open(yaml_parser_t *parser, size_t batch)
{
	evq *q = malloc(sizeof(*q));
	if (!q)
		return NULL;
	memset(q, 0, offsetof(evq, ev));
	q->parser = parser;
	q->batch = batch;
	if (pthread_mutex_init(&q->mu, NULL) != 0) {
		free(q);
		return NULL;
	}
	if (pthread_cond_init(&q->cv, NULL) != 0) {
		pthread_mutex_destroy(&q->mu);
		free(q);
		return NULL;
	}
	if (pthread_create(&q->thread, NULL, evq_produce, q) != 0) {
		pthread_cond_destroy(&q->cv);
		pthread_mutex_destroy(&q->mu);
		free(q);
		return NULL;
	}
	return q;
}

/* The next event, as yaml_parser_parse() would give it: 0 when the
 * parser failed (its error fields may then be read). */
static int evq_next(evq *q, yaml_event_t *out)
{
	/* A batch may be empty: the parser failed at its first event. */
	while (!q->have || q->pos == q->count[q->head % EVQ_DEPTH]) {
		pthread_mutex_lock(&q->mu);
		if (q->have) {
			q->head++;
			q->have = false;
			/* Hand the values read so far over, if the producer
			 * took the last lot (else they wait for the next). */
			if (!q->handed.n && !q->done) {
				ptr_vec t = q->handed;
				q->handed = q->dead;
				q->dead = t;
			}
			if (q->waiting)
				pthread_cond_broadcast(&q->cv);
		}
		while (q->head == q->tail && !q->done) {
			q->waiting++;
			pthread_cond_wait(&q->cv, &q->mu);
			q->waiting--;
		}
		bool empty = q->head == q->tail, failed = q->failed;
		pthread_mutex_unlock(&q->mu);
		if (empty) {
			/* After the stream's end libyaml gives empty events. */
			memset(out, 0, sizeof(*out));
			return !failed;
		}
		q->have = true;
		q->pos = 0;
	}
	*out = q->ev[q->head % EVQ_DEPTH][q->pos++];
	return 1;
}

/* Stop the producer, wait for it, and delete the events never taken. */
static void evq_close(evq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->stop = true;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->thread, NULL);
	free_all(&q->dead);
	free_all(&q->handed);
	free(q->dead.v);
	free(q->handed.v);
	for (size_t b = q->head; b != q->tail; b++) {
		size_t i = q->have && b == q->head ? q->pos : 0;
		for (; i < q->count[b % EVQ_DEPTH]; i++)
			yaml_event_delete(&q->ev[b % EVQ_DEPTH][i]);
	}
	pthread_cond_destroy(&q->cv);
	pthread_mutex_destroy(&q->mu);
	free(q);
}

/* Free p, on the producer's thread when the queue is running. */
static void evq_discard(struct evq *q, void *p)
{
	if (!p)
		return;
	void **slot = LM_VEC_PUSH(q->dead);
	if (slot)
		*slot = p;
	else
		free(p);
}

/* ---- the event source -------------------------------------------------- */

/* Convert a libyaml scalar, applying the scalar limits.  A good value is
 * taken over from the event (libyaml allocates it with malloc and ends it
 * with a NUL), which saves a copy of every scalar of a file. */
static int take_scalar(yctx *c, yaml_event_t *ye, ev *out)
{
	const char *v = (const char *)ye->data.scalar.value;
	size_t len = ye->data.scalar.length;
	out->type = EV_SCALAR;
	out->plain = ye->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	             ye->data.scalar.tag == NULL;
	if (len > LM_YAML_MAX_SCALAR) {
		diag(c, out->line, out->col,
		     "scalar is %zu bytes; the limit is %zu", len,
		     LM_YAML_MAX_SCALAR);
		out->bad = true;
		len = 0;
	} else if (!lmi_utf8_valid(v, len)) {
		diag(c, out->line, out->col,
		     "text is not valid UTF-8 or contains a NUL character");
		out->bad = true;
		len = 0;
	} else {
		out->val = (char *)ye->data.scalar.value;
		out->len = len;
		ye->data.scalar.value = NULL;
		return LM_OK;
	}
	out->val = malloc(len + 1);
	if (!out->val)
		return LM_ENOMEM;
	memcpy(out->val, v, len);
	out->val[len] = '\0';
	out->len = len;
	return LM_OK;
}

/*
 * The next event of the current file, aliases expanded.  On LM_OK *out
 * holds an event whose value the caller owns; on STOP (reported) or
 * LM_ENOMEM *out holds nothing to free.
 */
static int next_event(yctx *c, ev *out)
{
	int rc = LM_OK;
	const yaml_char_t *anchor_name = NULL;
	yaml_event_t ye;
	bool have_ye = false;

	memset(out, 0, sizeof(*out));
	for (;;) {
		if (c->replay != SIZE_MAX) {
			anchor *a = &c->anchors[c->replay];
			const ev *src = &a->evs[c->replay_i++];
			if (c->replay_i == a->n)
				c->replay = SIZE_MAX;
			*out = *src;
			out->val = NULL;
			if (src->val) {
				out->val = malloc(src->len + 1);
				if (!out->val)
					return LM_ENOMEM;
				memcpy(out->val, src->val, src->len + 1);
			}
			break;
		}
		if (!(c->q ? evq_next(c->q, &ye)
		           : yaml_parser_parse(&c->parser, &ye)))
			return yaml_problem(c);
		have_ye = true;
		out->line = mark1(ye.start_mark.line);
		out->col = mark1(ye.start_mark.column);
		switch (ye.type) {
		case YAML_STREAM_END_EVENT: out->type = EV_STREAM_END; break;
		case YAML_DOCUMENT_START_EVENT: out->type = EV_DOC_START; break;
		case YAML_DOCUMENT_END_EVENT: out->type = EV_DOC_END; break;
		case YAML_SEQUENCE_START_EVENT:
			out->type = EV_SEQ;
			anchor_name = ye.data.sequence_start.anchor;
			break;
		case YAML_MAPPING_START_EVENT:
			out->type = EV_MAP;
			anchor_name = ye.data.mapping_start.anchor;
			break;
		case YAML_SEQUENCE_END_EVENT: out->type = EV_SEQ_END; break;
		case YAML_MAPPING_END_EVENT: out->type = EV_MAP_END; break;
		case YAML_SCALAR_EVENT:
			anchor_name = ye.data.scalar.anchor;
			rc = take_scalar(c, &ye, out);
			break;
		case YAML_ALIAS_EVENT:
			rc = alias_begin(c, &ye);
			break;
		default: /* stream start, no event */
			break;
		}
		if (rc != LM_OK || out->type != EV_NONE)
			break;
		yaml_event_delete(&ye);
		have_ye = false;
	}
	if (rc != LM_OK)
		goto cleanup;

	if (out->type == EV_SEQ || out->type == EV_MAP) {
		if (c->depth >= LM_YAML_MAX_DEPTH) {
			diag(c, out->line, out->col,
			     "nesting deeper than %d levels", LM_YAML_MAX_DEPTH);
			rc = STOP;
			goto cleanup;
		}
		c->depth++;
	}
	if (anchor_name) {
		rc = anchor_begin(c, anchor_name, out);
		if (rc != LM_OK)
			goto cleanup;
	}
	rc = record_event(c, out);
	if (rc != LM_OK)
		goto cleanup;
	if (out->type == EV_SEQ_END || out->type == EV_MAP_END)
		c->depth--;
	/* A recording ends with the event that brings the depth back below
	 * where it started (a scalar anchor: at once). */
	while (c->nactive > 0 &&
	       c->anchors[c->active[c->nactive - 1]].depth > c->depth)
		c->anchors[c->active[--c->nactive]].done = true;
	if (anchor_name && out->type == EV_SCALAR)
		c->anchors[c->active[--c->nactive]].done = true;
	if (out->type == EV_DOC_END)
		anchors_clear(c); /* anchors are local to a document */
cleanup:
	if (have_ye)
		yaml_event_delete(&ye);
	if (rc != LM_OK)
		ev_free(out);
	return rc;
}

/* Consume the rest of a node whose first event is *first (freed). */
static int skip_node(yctx *c, ev *first)
{
	int level = first->type == EV_SEQ || first->type == EV_MAP;
	ev_free(first);
	while (level > 0) {
		ev e;
		int rc = next_event(c, &e);
		if (rc != LM_OK)
			return rc;
		if (e.type == EV_SEQ || e.type == EV_MAP)
			level++;
		else if (e.type == EV_SEQ_END || e.type == EV_MAP_END)
			level--;
		ev_free(&e);
	}
	return LM_OK;
}

/* Gather the node starting with *first (taken over) into c->t. */
static int build_tree(yctx *c, ev *first)
{
	tree *t = &c->t;
	size_t stack[LM_YAML_MAX_DEPTH + 1]; /* bounded by next_event's check */
	size_t sp = 0;
	ev e = *first;
	int rc = LM_OK;

	first->val = NULL;
	tree_reset(t);
	for (;;) {
		if (e.type == EV_SEQ_END || e.type == EV_MAP_END) {
			size_t open = stack[--sp];
			if (open != SIZE_MAX)
				t->v[open].end = t->n;
			ev_free(&e);
		} else {
			size_t idx = SIZE_MAX;
			if (t->n >= LM_YAML_MAX_RECORD_NODES) {
				if (!t->overflow)
					diag(c, t->v[0].e.line, t->v[0].e.col,
					     "record has more than %d YAML nodes",
					     LM_YAML_MAX_RECORD_NODES);
				t->overflow = true;
				ev_free(&e);
			} else {
				node *nd = lmi_vec_push((void **)&t->v, &t->n,
				                       &t->cap, sizeof(*t->v));
				if (!nd) {
					ev_free(&e);
					return LM_ENOMEM;
				}
				nd->e = e;
				nd->end = t->n;
				idx = t->n - 1;
			}
			if (e.type == EV_SEQ || e.type == EV_MAP) {
				if (sp >= LM_YAML_MAX_DEPTH + 1)
					return LM_ERROR; /* cannot happen */
				stack[sp++] = idx;
			}
		}
		if (sp == 0)
			break;
		rc = next_event(c, &e);
		if (rc != LM_OK)
			break;
	}
	return rc;
}

/* Make data[0..len) the current file's event source: libyaml reads it on
 * this thread or, for a big file, on its own (see evq above).  Nothing is
 * left to undo when this fails; after LM_OK, source_close() ends it. */
static int source_open(yctx *c, const char *data, size_t len)
{
	c->data = (const unsigned char *)(data ? data : "");
	c->len = data ? len : 0;
	c->depth = 0;
	c->alias_uses = c->alias_events = c->alias_bytes = 0;
	c->replay = SIZE_MAX;
	if (!yaml_parser_initialize(&c->parser))
		return LM_ENOMEM;
	yaml_parser_set_input_string(&c->parser, c->data, c->len);
	/* Profiles are UTF-8 (SPEC); libyaml would otherwise accept UTF-16
	 * by its byte order mark and report positions in it. */
	yaml_parser_set_encoding(&c->parser, YAML_UTF8_ENCODING);
	if (c->threads == LM_YAML_THREADS_ALWAYS ||
	    (c->threads == LM_YAML_THREADS_AUTO && c->len >= EVQ_MIN_BYTES))
		c->q = evq_open(&c->parser, EVQ_BATCH);
	else if (c->threads == LM_YAML_THREADS_TINY)
		c->q = evq_open(&c->parser, 3);
	c->t.q = c->q;
	return LM_OK;
}

/* End the current file's event source: the last record's tree (whose
 * values the producer's thread frees), the thread, the parser and the
 * document's anchors. */
static void source_close(yctx *c)
{
	tree_reset(&c->t);
	c->t.q = NULL;
	evq_close(c->q);
	c->q = NULL;
	yaml_parser_delete(&c->parser);
	anchors_clear(c);
}

/* Free what the event source keeps from file to file, at the end of a
 * call. */
static void events_free(yctx *c)
{
	anchors_clear(c);
	free(c->anchors);
	tree_free(&c->t);
}

/* ---- scalar conversions ------------------------------------------------- */

static bool is_null(const node *nd)
{
	const char *v = nd->e.val;
	return nd->e.type == EV_SCALAR && nd->e.plain &&
	       (!*v || !strcmp(v, "~") || !strcmp(v, "null") ||
	        !strcmp(v, "Null") || !strcmp(v, "NULL"));
}

/* "expected ..., got X" at the node. */
static void expected(yctx *c, const node *nd, const char *what,
                     const char *key)
{
	const char *sep = key ? " for '" : "";
	const char *end = key ? "'" : "";
	if (!key)
		key = "";
	if (nd->e.type == EV_SEQ)
		diag(c, nd->e.line, nd->e.col, "expected %s%s%s%s, got a list",
		     what, sep, key, end);
	else if (nd->e.type == EV_MAP)
		diag(c, nd->e.line, nd->e.col,
		     "expected %s%s%s%s, got a mapping", what, sep, key, end);
	else if (is_null(nd))
		diag(c, nd->e.line, nd->e.col,
		     "expected %s%s%s%s, got nothing", what, sep, key, end);
	else
		diag(c, nd->e.line, nd->e.col, "expected %s%s%s%s, got '%.*s%s'",
		     what, sep, key, end, SHOWN(nd));
}

/* A text value copied into the batch's arena: non-empty, no control
 * characters (C0 or DEL); anything else, quotes and bidi marks included,
 * is kept verbatim. */
static bool get_str(yctx *c, const node *nd, const char *key,
                    const char **out)
{
	if (nd->e.bad)
		return false;
	if (nd->e.type != EV_SCALAR || is_null(nd) || nd->e.len == 0) {
		if (nd->e.type == EV_SCALAR && nd->e.len == 0 && !nd->e.plain)
			diag(c, nd->e.line, nd->e.col, "'%s' is empty", key);
		else
			expected(c, nd, "a string", key);
		return false;
	}
	/* Ids are keys in exported flow mappings, which YAML limits to 1024
	 * characters; 256 bytes (at most 512 characters once escaped) keeps
	 * every export loadable, and C1 controls have no place in an id. */
	bool is_id = !strcmp(key, "id");
	if (is_id && nd->e.len > LM_ID_MAX) {
		diag(c, nd->e.line, nd->e.col, "id is %zu bytes; the limit is %d",
		     nd->e.len, LM_ID_MAX);
		return false;
	}
	for (size_t i = 0; i < nd->e.len; i++) {
		unsigned char ch = (unsigned char)nd->e.val[i];
		if (is_id && ch == 0xc2 && i + 1 < nd->e.len &&
		    (unsigned char)nd->e.val[i + 1] >= 0x80 &&
		    (unsigned char)nd->e.val[i + 1] <= 0x9f) {
			diag(c, nd->e.line, nd->e.col,
			     "'%s' contains a control character (U+%04X)", key,
			     (unsigned char)nd->e.val[i + 1]);
			return false;
		}
		if (ch < 0x20 || ch == 0x7f) {
			diag(c, nd->e.line, nd->e.col,
			     "'%s' contains a control character (U+%04X)", key,
			     (unsigned)ch);
			return false;
		}
	}
	*out = lmi_arena_strndup(&c->b->arena, nd->e.val, nd->e.len);
	if (!*out) {
		c->nomem = true;
		return false;
	}
	return true;
}

static bool get_ref(yctx *c, const node *nd, const char *key, lmi_ref *out)
{
	if (!get_str(c, nd, key, &out->id))
		return false;
	out->pos = node_pos(c, nd);
	return true;
}

/* Decimal number syntax: [+-] digits [. digits] [e [+-] digits], with at
 * least one digit before the exponent.  Rules out hex, nan, inf, "". */
static bool number_syntax(const char *s, size_t len)
{
	size_t i = 0, digits = 0;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		i++;
		digits++;
	}
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			i++;
			digits++;
		}
	}
	if (!digits)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t ed = 0;
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			i++;
			ed++;
		}
		if (!ed)
			return false;
	}
	return i == len;
}

/* Range of a numeric key; lo_open: the value must be greater than lo. */
typedef struct range {
	double lo, hi;
	bool lo_open;
} range;

/* A number from a plain scalar, parsed in the "C" locale whatever the
 * caller's locale is.  `label` names it in range messages ("latitude"). */
static bool get_num(yctx *c, const node *nd, const char *key,
                    const char *label, const range *r, double *out)
{
	if (nd->e.bad)
		return false;
	if (nd->e.type != EV_SCALAR || !number_syntax(nd->e.val, nd->e.len)) {
		expected(c, nd, "a number", key);
		return false;
	}
	if (!nd->e.plain) {
		diag(c, nd->e.line, nd->e.col,
		     "expected a number for '%s', got the quoted string '%.*s%s'",
		     key, SHOWN(nd));
		return false;
	}
	locale_t old = uselocale(c->cloc);
	char *end = NULL;
	errno = 0;
	double v = strtod(nd->e.val, &end);
	int e = errno;
	uselocale(old);
	if (end != nd->e.val + nd->e.len || e == ERANGE || !isfinite(v)) {
		diag(c, nd->e.line, nd->e.col, "%s %.*s%s is out of range", label,
		     SHOWN(nd));
		return false;
	}
	if (r && (r->lo_open ? !(v > r->lo) : !(v >= r->lo))) {
		if (r->lo_open)
			diag(c, nd->e.line, nd->e.col,
			     "%s %.*s%s must be more than %g and at most %g",
			     label, SHOWN(nd), r->lo, r->hi);
		else
			diag(c, nd->e.line, nd->e.col,
			     "%s %.*s%s is outside %g..%g", label, SHOWN(nd),
			     r->lo, r->hi);
		return false;
	}
	if (r && !(v <= r->hi)) {
		if (r->lo_open)
			diag(c, nd->e.line, nd->e.col,
			     "%s %.*s%s must be more than %g and at most %g",
			     label, SHOWN(nd), r->lo, r->hi);
		else
			diag(c, nd->e.line, nd->e.col,
			     "%s %.*s%s is outside %g..%g", label, SHOWN(nd),
			     r->lo, r->hi);
		return false;
	}
	*out = v;
	return true;
}

/* A whole number (3 and 3.0 both are) within [lo, hi]. */
static bool get_int(yctx *c, const node *nd, const char *key,
                    const char *label, int lo, int hi, int *out)
{
	double v;
	if (!get_num(c, nd, key, label, NULL, &v))
		return false;
	if (v != floor(v)) {
		diag(c, nd->e.line, nd->e.col,
		     "%s %.*s%s is not a whole number", label, SHOWN(nd));
		return false;
	}
	if (v < lo || v > hi) {
		diag(c, nd->e.line, nd->e.col, "%s %.*s%s is outside %d..%d",
		     label, SHOWN(nd), lo, hi);
		return false;
	}
	*out = (int)v;
	return true;
}

static bool get_bool(yctx *c, const node *nd, const char *key, bool *out)
{
	static const char *const yes[] = {"true", "True", "TRUE"};
	static const char *const no[] = {"false", "False", "FALSE"};
	if (nd->e.bad)
		return false;
	if (nd->e.type == EV_SCALAR && nd->e.plain) {
		for (int i = 0; i < 3; i++) {
			if (!strcmp(nd->e.val, yes[i])) {
				*out = true;
				return true;
			}
			if (!strcmp(nd->e.val, no[i])) {
				*out = false;
				return true;
			}
		}
	}
	expected(c, nd, "true or false", key);
	return false;
}

/* ---- "did you mean" ---------------------------------------------------- */

/* The candidate closest to key, if close enough to be a likely typo. */
static const char *suggest(const char *key, size_t klen,
                           const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX, dist;
	char low[SHOW_MAX];

	/* Keys are ASCII lower case; a key typed in capitals is a typo too. */
	if (klen > SHOW_MAX)
		return NULL;
	for (size_t i = 0; i < klen; i++)
		low[i] = key[i] >= 'A' && key[i] <= 'Z' ? (char)(key[i] - 'A' + 'a')
		                                        : key[i];
	for (size_t i = 0; i < n; i++)
		if (lmi_is_typo(low, klen, cands[i], strlen(cands[i]), &dist) &&
		    dist < bestd) {
			best = cands[i];
			bestd = dist;
		}
	return best;
}

static void unknown_key(yctx *c, const node *k, const char *where,
                        const char *const *keys, size_t nkeys)
{
	const char *s = suggest(k->e.val, k->e.len, keys, nkeys);
	if (s)
		diag(c, k->e.line, k->e.col,
		     "unknown key '%.*s%s' in %s (did you mean '%s'?)", SHOWN(k),
		     where, s);
	else
		diag(c, k->e.line, k->e.col, "unknown key '%.*s%s' in %s",
		     SHOWN(k), where);
}

/* ---- mappings with fixed keys --------------------------------------------- */

/* The id of a record for messages, if its `id` value is a usable scalar
 * (not copied; valid while the tree is). */
static const char *peek_id(const yctx *c, size_t v)
{
	if (!v)
		return NULL;
	const node *nd = &c->t.v[v];
	if (nd->e.type != EV_SCALAR || nd->e.bad || nd->e.len == 0)
		return NULL;
	return nd->e.val;
}

/*
 * Check that node `at` is a mapping whose keys are among keys[0..nkeys)
 * with no duplicates, and that every key whose bit is set in `required`
 * is present.  val[k] receives the node index of key k's value (0 when
 * absent; 0 is the record's root, never a value).  `kind` and `id` (may
 * be NULL) name the owner in messages.  Returns false after reporting.
 */
static bool scan_fields(yctx *c, size_t at, const char *kind, const char *id,
                        const char *const *keys, size_t nkeys,
                        unsigned required, size_t *val)
{
	const tree *t = &c->t;
	const node *m = &t->v[at];
	bool ok = true;

	memset(val, 0, nkeys * sizeof(*val));
	if (m->e.type != EV_MAP) {
		char what[64];
		snprintf(what, sizeof(what), "a mapping for %s", kind);
		if (!m->e.bad)
			expected(c, m, what, NULL);
		return false;
	}
	for (size_t k = at + 1; k < m->end; k = t->v[t->v[k].end].end) {
		const node *kn = &t->v[k];
		size_t v = kn->end;
		if (kn->e.bad) {
			ok = false;
			continue;
		}
		if (kn->e.type != EV_SCALAR) {
			expected(c, kn, "a key name", NULL);
			ok = false;
			continue;
		}
		size_t f = 0;
		while (f < nkeys && strcmp(kn->e.val, keys[f]))
			f++;
		if (f == nkeys) {
			unknown_key(c, kn, kind, keys, nkeys);
			ok = false;
		} else if (val[f]) {
			diag(c, kn->e.line, kn->e.col, "duplicate key '%s'",
			     keys[f]);
			ok = false;
		} else {
			val[f] = v;
		}
	}
	if (!id && nkeys > 0 && !strcmp(keys[0], "id"))
		id = peek_id(c, val[0]);
	for (size_t f = 0; f < nkeys; f++) {
		if (!(required & (1u << f)) || val[f])
			continue;
		if (id)
			diag(c, m->e.line, m->e.col,
			     "%s '%.*s%s': missing required key '%s'", kind,
			     SHOW(id, strlen(id)), keys[f]);
		else
			diag(c, m->e.line, m->e.col,
			     "%s: missing required key '%s'", kind, keys[f]);
		ok = false;
	}
	return ok;
}

/* Number of items of a sequence, or of pairs of a mapping. */
static size_t child_count(const tree *t, size_t at)
{
	size_t n = 0;
	for (size_t i = at + 1; i < t->v[at].end; i = t->v[i].end)
		n++;
	return t->v[at].e.type == EV_MAP ? n / 2 : n;
}

/* Report every key of mapping `at` that repeats an earlier one. */
static bool keys_unique(yctx *c, size_t at)
{
	const tree *t = &c->t;
	lmi_map seen = {0};
	bool ok = true, small = child_count(t, at) <= 16;

	for (size_t k = at + 1; k < t->v[at].end; k = t->v[t->v[k].end].end) {
		const node *kn = &t->v[k];
		bool dup = false;
		if (kn->e.type != EV_SCALAR || kn->e.bad)
			continue;
		if (small) {
			for (size_t j = at + 1; j < k; j = t->v[t->v[j].end].end)
				if (t->v[j].e.type == EV_SCALAR &&
				    !strcmp(t->v[j].e.val, kn->e.val))
					dup = true;
		} else if (lmi_map_get(&seen, kn->e.val, NULL)) {
			dup = true;
		} else if (lmi_map_put(&seen, kn->e.val, 0) != LM_OK) {
			c->nomem = true;
			ok = false;
			break;
		}
		if (dup) {
			diag(c, kn->e.line, kn->e.col, "duplicate key '%.*s%s'",
			     SHOWN(kn));
			ok = false;
		}
	}
	lmi_map_free(&seen);
	return ok;
}

/* ---- record kinds -------------------------------------------------------- */

static const range R_LAT = {-90, 90, false};
static const range R_LON = {-180, 180, false};
static const range R_TRAVEL = {0, 20000, true};
static const range R_MAX_KM = {0, 40000, true};
static const range R_KM = {0, 40000, false};
static const range R_WEIGHT = {0, 1000, true};
static const range R_SCORE = {0, 100, false};

#define N(i) (&c->t.v[(i)])

/* Refuse a record past the per-load limit of its kind; STOP. */
static int too_many(yctx *c, size_t have, const char *kinds)
{
	if (have < LM_YAML_MAX_RECORDS)
		return LM_OK;
	diag(c, N(0)->e.line, N(0)->e.col, "too many %s in one load (limit %d)",
	     kinds, LM_YAML_MAX_RECORDS);
	return STOP;
}

/* {lat, lon} of a home or company place given as coordinates. */
static bool get_coords(yctx *c, size_t at, const char *kind, const char *id,
                       double *lat, double *lon)
{
	static const char *const keys[] = {"lat", "lon"};
	size_t v[2];
	bool ok = scan_fields(c, at, kind, id, keys, 2, 0x3, v);
	if (v[0] && !get_num(c, N(v[0]), "lat", "latitude", &R_LAT, lat))
		ok = false;
	if (v[1] && !get_num(c, N(v[1]), "lon", "longitude", &R_LON, lon))
		ok = false;
	return ok;
}

/* A sequence of strings; a missing or null value is an empty list. */
static bool get_str_list(yctx *c, size_t at, const char *key,
                         const char ***strs, lmi_pos **pos, uint32_t *n)
{
	const node *s = N(at);
	bool ok = true;
	*strs = NULL;
	*n = 0;
	if (pos)
		*pos = NULL;
	if (is_null(s))
		return true;
	if (s->e.type != EV_SEQ) {
		if (!s->e.bad)
			expected(c, s, "a list", key);
		return false;
	}
	size_t cnt = child_count(&c->t, at);
	if (!cnt)
		return true;
	*strs = lmi_arena_alloc(&c->b->arena, cnt * sizeof(**strs));
	if (pos)
		*pos = lmi_arena_alloc(&c->b->arena, cnt * sizeof(**pos));
	if (!*strs || (pos && !*pos)) {
		c->nomem = true;
		return false;
	}
	size_t j = 0;
	for (size_t i = at + 1; i < s->end; i = N(i)->end, j++) {
		if (!get_str(c, N(i), key, &(*strs)[j]))
			ok = false;
		else if (pos)
			(*pos)[j] = node_pos(c, N(i));
	}
	*n = (uint32_t)cnt;
	return ok;
}

static int rec_place(yctx *c)
{
	static const char *const keys[] = {"id", "name", "lat", "lon"};
	size_t v[4];
	lmi_place_rec r = {0};
	bool ok = scan_fields(c, 0, "place", NULL, keys, 4, 0xF, v);
	r.pos = node_pos(c, N(0));
	if (v[0] && !get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !get_str(c, N(v[1]), "name", &r.name))
		ok = false;
	if (v[2] && !get_num(c, N(v[2]), "lat", "latitude", &R_LAT, &r.lat))
		ok = false;
	if (v[3] && !get_num(c, N(v[3]), "lon", "longitude", &R_LON, &r.lon))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->places.n, "places");
	if (rc)
		return rc;
	lmi_place_rec *p = lmi_batch_place(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

static int rec_garden(yctx *c)
{
	static const char *const keys[] = {"id", "name", "place"};
	size_t v[3];
	lmi_garden_rec r = {0};
	bool ok = scan_fields(c, 0, "garden", NULL, keys, 3, 0x7, v);
	r.pos = node_pos(c, N(0));
	if (v[0] && !get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !get_str(c, N(v[1]), "name", &r.name))
		ok = false;
	if (v[2] && !get_ref(c, N(v[2]), "place", &r.place))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->gardens.n, "gardens");
	if (rc)
		return rc;
	lmi_garden_rec *p = lmi_batch_garden(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

static int rec_skill(yctx *c)
{
	static const char *const keys[] = {"id", "label", "parent", "aliases"};
	size_t v[4];
	lmi_skill_rec r = {0};
	bool ok = scan_fields(c, 0, "skill", NULL, keys, 4, 0x3, v);
	r.pos = node_pos(c, N(0));
	if (v[0] && !get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !get_str(c, N(v[1]), "label", &r.label))
		ok = false;
	if (v[2] && !is_null(N(v[2])) &&
	    !get_ref(c, N(v[2]), "parent", &r.parent))
		ok = false;
	if (v[3] && !get_str_list(c, v[3], "aliases", &r.aliases,
	                          &r.alias_pos, &r.n_aliases))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->skills.n, "skills");
	if (rc)
		return rc;
	lmi_skill_rec *p = lmi_batch_skill(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

/* The skills mapping of an expert (short form only) or of a need (short
 * `skill: level` or long `skill: {level, weight, optional}`). */
static bool get_levels(yctx *c, size_t at, bool need, const char *kind,
                       const char *id, lmi_level_rec **out, uint32_t *nout)
{
	static const char *const long_keys[] = {"level", "weight", "optional"};
	const node *m = N(at);
	*out = NULL;
	*nout = 0;
	if (m->e.type != EV_MAP) {
		if (!m->e.bad)
			expected(c, m, "a mapping of skill: level", "skills");
		return false;
	}
	size_t cnt = child_count(&c->t, at);
	if (!cnt) {
		if (id)
			diag(c, m->e.line, m->e.col,
			     "%s '%.*s%s': 'skills' must name at least one skill",
			     kind, SHOW(id, strlen(id)));
		else
			diag(c, m->e.line, m->e.col,
			     "%s: 'skills' must name at least one skill", kind);
		return false;
	}
	bool ok = keys_unique(c, at);
	lmi_level_rec *lv = lmi_arena_alloc(&c->b->arena, cnt * sizeof(*lv));
	if (!lv) {
		c->nomem = true;
		return false;
	}
	size_t j = 0;
	for (size_t k = at + 1; k < m->end; k = N(N(k)->end)->end, j++) {
		const node *kn = N(k);
		size_t vi = kn->end;
		const node *vn = N(vi);
		lmi_level_rec *l = &lv[j];
		l->weight = 1.0;
		if (!get_ref(c, kn, "skill", &l->skill)) {
			ok = false;
			continue;
		}
		if (need && vn->e.type == EV_MAP) {
			size_t f[3];
			if (!scan_fields(c, vi, "need skill", l->skill.id, long_keys,
			                 3, 0x1, f))
				ok = false;
			if (f[0] && !get_int(c, N(f[0]), "level", "level", 1, 5,
			                     &l->level))
				ok = false;
			if (f[0])
				l->level_pos = node_pos(c, N(f[0]));
			if (f[1] && !get_num(c, N(f[1]), "weight", "weight",
			                     &R_WEIGHT, &l->weight))
				ok = false;
			if (f[2] && !get_bool(c, N(f[2]), "optional", &l->optional))
				ok = false;
		} else if (vn->e.type == EV_SCALAR) {
			if (!get_int(c, vn, l->skill.id, "level", 1, 5, &l->level))
				ok = false;
			l->level_pos = node_pos(c, vn);
		} else {
			expected(c, vn, need ? "a level or {level, weight, optional}"
			                     : "a level 1..5",
			         l->skill.id);
			ok = false;
		}
	}
	*out = lv;
	*nout = (uint32_t)cnt;
	return ok;
}

static int rec_expert(yctx *c)
{
	static const char *const keys[] = {
		"id", "name", "garden", "home", "skills", "capacity",
		"max_travel_km", "remote", "languages", "conflicts"};
	size_t v[10];
	lmi_expert_rec r = {0};
	bool ok = scan_fields(c, 0, "expert", NULL, keys, 10, 0x1F, v);
	r.capacity = -1;
	r.max_travel_km = -1;
	r.remote = -1;
	r.pos = node_pos(c, N(0));
	if (v[0] && !get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !get_str(c, N(v[1]), "name", &r.name))
		ok = false;
	if (v[2] && !get_ref(c, N(v[2]), "garden", &r.garden))
		ok = false;
	if (v[3]) {
		const node *h = N(v[3]);
		if (h->e.type == EV_MAP) {
			r.home_is_coords = true;
			if (!get_coords(c, v[3], "home", peek_id(c, v[0]),
			                &r.home_lat, &r.home_lon))
				ok = false;
		} else if (h->e.type == EV_SCALAR && !is_null(h)) {
			if (!get_ref(c, h, "home", &r.home))
				ok = false;
		} else {
			expected(c, h, "a place or {lat, lon}", "home");
			ok = false;
		}
	}
	if (v[4] && !get_levels(c, v[4], false, "expert", peek_id(c, v[0]),
	                        &r.skills, &r.n_skills))
		ok = false;
	if (v[5] && !get_int(c, N(v[5]), "capacity", "capacity", 0, 1000,
	                     &r.capacity))
		ok = false;
	if (v[6] && !get_num(c, N(v[6]), "max_travel_km", "max_travel_km",
	                     &R_TRAVEL, &r.max_travel_km))
		ok = false;
	if (v[7]) {
		bool b;
		if (!get_bool(c, N(v[7]), "remote", &b))
			ok = false;
		else
			r.remote = b;
	}
	if (v[8] && !get_str_list(c, v[8], "languages", &r.languages, NULL,
	                          &r.n_languages))
		ok = false;
	if (v[9]) {
		const char **ids;
		lmi_pos *pos;
		uint32_t n;
		if (!get_str_list(c, v[9], "conflicts", &ids, &pos, &n)) {
			ok = false;
		} else if (n) {
			r.conflicts = lmi_arena_alloc(&c->b->arena,
			                             n * sizeof(*r.conflicts));
			if (!r.conflicts)
				return LM_ENOMEM;
			for (uint32_t i = 0; i < n; i++) {
				r.conflicts[i].id = ids[i];
				r.conflicts[i].pos = pos[i];
			}
			r.n_conflicts = n;
		}
	}
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->experts.n, "experts");
	if (rc)
		return rc;
	lmi_expert_rec *p = lmi_batch_expert(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

static int rec_company(yctx *c)
{
	static const char *const keys[] = {"id", "name", "place", "garden"};
	size_t v[4];
	lmi_company_rec r = {0};
	bool ok = scan_fields(c, 0, "company", NULL, keys, 4, 0x7, v);
	r.pos = node_pos(c, N(0));
	if (v[0] && !get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !get_str(c, N(v[1]), "name", &r.name))
		ok = false;
	if (v[2]) {
		const node *pl = N(v[2]);
		if (pl->e.type == EV_MAP) {
			r.place_is_coords = true;
			if (!get_coords(c, v[2], "place", peek_id(c, v[0]),
			                &r.place_lat, &r.place_lon))
				ok = false;
		} else if (pl->e.type == EV_SCALAR && !is_null(pl)) {
			if (!get_ref(c, pl, "place", &r.place))
				ok = false;
		} else {
			expected(c, pl, "a place or {lat, lon}", "place");
			ok = false;
		}
	}
	if (v[3] && !is_null(N(v[3])) &&
	    !get_ref(c, N(v[3]), "garden", &r.garden))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->companies.n, "companies");
	if (rc)
		return rc;
	lmi_company_rec *p = lmi_batch_company(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

static int rec_need(yctx *c)
{
	static const char *const keys[] = {
		"id", "company", "title", "skills", "mode", "experts",
		"language", "max_km"};
	static const char *const modes[] = {"onsite", "remote", "hybrid"};
	size_t v[8];
	lmi_need_rec r = {0};
	bool ok = scan_fields(c, 0, "need", NULL, keys, 8, 0xB, v);
	r.mode = LM_ONSITE;
	r.experts = 1;
	r.pos = node_pos(c, N(0));
	if (v[0] && !get_str(c, N(v[0]), "id", &r.id))
		ok = false;
	if (v[1] && !get_ref(c, N(v[1]), "company", &r.company))
		ok = false;
	if (v[2] && !is_null(N(v[2])) &&
	    !get_str(c, N(v[2]), "title", &r.title))
		ok = false;
	if (v[3] && !get_levels(c, v[3], true, "need", peek_id(c, v[0]),
	                        &r.skills, &r.n_skills))
		ok = false;
	if (v[4]) {
		const char *m;
		if (!get_str(c, N(v[4]), "mode", &m)) {
			ok = false;
		} else {
			int i = 0;
			while (i < 3 && strcasecmp(m, modes[i]))
				i++;
			if (i == 3) {
				diag(c, N(v[4])->e.line, N(v[4])->e.col,
				     "mode '%.*s%s' is not one of onsite, remote, "
				     "hybrid", SHOWN(N(v[4])));
				ok = false;
			} else {
				r.mode = (lm_mode)i;
			}
		}
	}
	if (v[5] && !get_int(c, N(v[5]), "experts", "experts", 1, 100,
	                     &r.experts))
		ok = false;
	if (v[6] && !is_null(N(v[6])) &&
	    !get_str(c, N(v[6]), "language", &r.language))
		ok = false;
	if (v[7] && !get_num(c, N(v[7]), "max_km", "max_km", &R_MAX_KM,
	                     &r.max_km))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->needs.n, "needs");
	if (rc)
		return rc;
	lmi_need_rec *p = lmi_batch_need(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

static int rec_distance(yctx *c)
{
	static const char *const keys[] = {"from", "to", "km"};
	size_t v[3];
	lmi_distance_rec r = {0};
	bool ok = scan_fields(c, 0, "distance", NULL, keys, 3, 0x7, v);
	r.pos = node_pos(c, N(0));
	if (v[0] && !get_ref(c, N(v[0]), "from", &r.from))
		ok = false;
	if (v[1] && !get_ref(c, N(v[1]), "to", &r.to))
		ok = false;
	if (v[2] && !get_num(c, N(v[2]), "km", "km", &R_KM, &r.km))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->distances.n, "distances");
	if (rc)
		return rc;
	lmi_distance_rec *p = lmi_batch_distance(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

/* YYYY-QN */
static bool period_ok(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4' &&
	       s[7] == '\0';
}

static int rec_engagement(yctx *c)
{
	static const char *const keys[] = {"period", "need", "expert", "score"};
	size_t v[4];
	lmi_engagement_rec r = {0};
	bool ok = scan_fields(c, 0, "engagement", NULL, keys, 4, 0x7, v);
	r.pos = node_pos(c, N(0));
	if (v[0]) {
		if (!get_str(c, N(v[0]), "period", &r.period)) {
			ok = false;
		} else if (!period_ok(r.period)) {
			diag(c, N(v[0])->e.line, N(v[0])->e.col,
			     "period '%.*s%s' is not of the form YYYY-QN "
			     "(e.g. 2026-Q4)", SHOWN(N(v[0])));
			ok = false;
		}
	}
	if (v[1] && !get_ref(c, N(v[1]), "need", &r.need))
		ok = false;
	if (v[2] && !get_ref(c, N(v[2]), "expert", &r.expert))
		ok = false;
	if (v[3] && !get_num(c, N(v[3]), "score", "score", &R_SCORE, &r.score))
		ok = false;
	if (!ok)
		return LM_OK;
	int rc = too_many(c, c->b->engagements.n, "engagements");
	if (rc)
		return rc;
	lmi_engagement_rec *p = lmi_batch_engagement(c->b);
	if (!p)
		return LM_ENOMEM;
	*p = r;
	return LM_OK;
}

/* The settings mapping.  Only types are checked here; lmi_catalog_merge
 * checks ranges.  A later file's value for a key replaces an earlier one. */
static int parse_settings(yctx *c)
{
	const node *m = N(0);
	lmi_settings_rec *s = &c->b->settings;
	unsigned seen = 0;
	if (is_null(m) || m->e.bad)
		return LM_OK;
	if (m->e.type != EV_MAP) {
		expected(c, m, "a mapping", "settings");
		return LM_OK;
	}
	for (size_t k = 1; k < m->end; k = N(N(k)->end)->end) {
		const node *kn = N(k);
		const node *vn = N(kn->end);
		if (kn->e.bad)
			continue;
		if (kn->e.type != EV_SCALAR) {
			expected(c, kn, "a key name", NULL);
			continue;
		}
		int f = 0;
		while (f < LM_SET_COUNT && strcmp(kn->e.val, lmi_settings_keys[f]))
			f++;
		if (f == LM_SET_COUNT) {
			unknown_key(c, kn, "settings", lmi_settings_keys,
			            LM_SET_COUNT);
			continue;
		}
		if (seen & (1u << f)) {
			diag(c, kn->e.line, kn->e.col, "duplicate key '%s'",
			     lmi_settings_keys[f]);
			continue;
		}
		seen |= 1u << f;
		if (f == LM_SET_DEFAULT_CAPACITY) {
			int n;
			if (!get_int(c, vn, lmi_settings_keys[f],
			             lmi_settings_keys[f], -1000000, 1000000, &n))
				continue;
			s->v.default_capacity = n;
		} else if (!get_num(c, vn, lmi_settings_keys[f],
		                    lmi_settings_keys[f], NULL,
		                    lmi_settings_field(&s->v, f))) {
			continue;
		}
		s->set |= 1u << f;
		s->pos[f] = node_pos(c, vn);
	}
	return LM_OK;
}

/* ---- documents ------------------------------------------------------------- */

static const char *const top_keys[] = {
	"places", "gardens", "skills", "experts", "companies", "needs",
	"distances", "engagements", "settings"};
#define TOP_SETTINGS 8

typedef int (*rec_fn)(yctx *c);
static const rec_fn rec_fns[8] = {
	rec_place, rec_garden, rec_skill, rec_expert, rec_company, rec_need,
	rec_distance, rec_engagement};

/* The value of a top-level record key: a list of records, one tree at a
 * time; *first is taken over. */
static int parse_list(yctx *c, int kind, ev *first)
{
	node tmp = {*first, 0};
	if (first->bad || (first->type == EV_SCALAR && is_null(&tmp))) {
		ev_free(first);
		return LM_OK;
	}
	if (first->type != EV_SEQ) {
		char what[48];
		snprintf(what, sizeof(what), "a list of %s", top_keys[kind]);
		expected(c, &tmp, what, top_keys[kind]);
		return skip_node(c, first);
	}
	ev_free(first);
	for (;;) {
		ev e;
		int rc = next_event(c, &e);
		if (rc != LM_OK)
			return rc;
		if (e.type == EV_SEQ_END)
			return LM_OK;
		rc = build_tree(c, &e);
		if (rc == LM_OK && !c->t.overflow)
			rc = rec_fns[kind](c);
		if (rc == LM_OK && c->nomem)
			rc = LM_ENOMEM;
		tree_reset(&c->t);
		if (rc != LM_OK)
			return rc;
	}
}

/* The top-level mapping of a document, after its start event. */
static int parse_top(yctx *c)
{
	unsigned seen = 0;
	for (;;) {
		ev k, v;
		int rc = next_event(c, &k);
		if (rc != LM_OK)
			return rc;
		if (k.type == EV_MAP_END)
			return LM_OK;
		node kn = {k, 0};
		if (k.type != EV_SCALAR) {
			/* A complex key: skip it, then its value. */
			expected(c, &kn, "a key name", NULL);
			rc = skip_node(c, &k);
			if (rc == LM_OK)
				rc = next_event(c, &v);
			if (rc == LM_OK)
				rc = skip_node(c, &v);
			if (rc != LM_OK)
				return rc;
			continue;
		}
		rc = next_event(c, &v);
		if (rc != LM_OK) {
			ev_free(&k);
			return rc;
		}
		size_t f = 0;
		if (!k.bad)
			while (f <= TOP_SETTINGS && strcmp(k.val, top_keys[f]))
				f++;
		if (k.bad) {
			rc = skip_node(c, &v);
		} else if (f > TOP_SETTINGS) {
			unknown_key(c, &kn, "the top-level mapping", top_keys,
			            TOP_SETTINGS + 1);
			rc = skip_node(c, &v);
		} else if (seen & (1u << f)) {
			diag(c, k.line, k.col, "duplicate key '%s'", top_keys[f]);
			rc = skip_node(c, &v);
		} else if (f == TOP_SETTINGS) {
			seen |= 1u << f;
			rc = build_tree(c, &v);
			if (rc == LM_OK && !c->t.overflow)
				rc = parse_settings(c);
			tree_reset(&c->t);
		} else {
			seen |= 1u << f;
			rc = parse_list(c, (int)f, &v);
		}
		ev_free(&k);
		if (rc == LM_OK && c->nomem)
			rc = LM_ENOMEM;
		if (rc != LM_OK)
			return rc;
	}
}

/* One document, after its start event, up to and including its end. */
static int parse_document(yctx *c)
{
	ev e;
	int rc = next_event(c, &e);
	if (rc != LM_OK)
		return rc;
	node tmp = {e, 0};
	if (e.type == EV_MAP) {
		ev_free(&e);
		rc = parse_top(c);
	} else {
		if (!e.bad && !is_null(&tmp))
			expected(c, &tmp, "a mapping of places, gardens, skills, "
			         "experts, companies, needs, distances, engagements "
			         "or settings", NULL);
		rc = skip_node(c, &e);
	}
	if (rc != LM_OK)
		return rc;
	rc = next_event(c, &e); /* the document's end */
	ev_free(&e);
	return rc;
}

/* Every document of the current file, up to the stream's end. */
static int parse_stream(yctx *c)
{
	for (;;) {
		ev e;
		int rc = next_event(c, &e);
		if (rc != LM_OK)
			return rc;
		ev_type type = e.type;
		ev_free(&e);
		if (type == EV_STREAM_END)
			return LM_OK;
		rc = parse_document(c); /* type is EV_DOC_START */
		if (rc != LM_OK)
			return rc;
	}
}

/* ---- files ------------------------------------------------------------------ */

/* Set the name used in positions from now on. */
static int set_file(yctx *c, const char *name)
{
	c->file = lmi_arena_strdup(&c->b->arena, name);
	return c->file ? LM_OK : LM_ENOMEM;
}

/* Parse one whole document stream from memory (c->file already set). */
static int parse_data(yctx *c, const char *data, size_t len)
{
	int rc;

	if (len > LM_YAML_MAX_BYTES) {
		diag(c, 1, 1, "file is %zu bytes; the limit is %zu", len,
		     LM_YAML_MAX_BYTES);
		return c->nomem ? LM_ENOMEM : LM_OK;
	}
	rc = source_open(c, data, len);
	if (rc != LM_OK)
		return rc;
	rc = parse_stream(c);
	source_close(c);
	if (rc == STOP)
		rc = LM_OK;
	if (rc == LM_OK && c->nomem)
		rc = LM_ENOMEM;
	return rc;
}

/* Read and parse one file.  Any extension is accepted for a file named
 * by the caller; the size limit is checked before reading. */
static int parse_file(yctx *c, const char *path)
{
	int rc = LM_OK;
	char *buf = NULL;
	size_t len = 0, cap;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0) {
		rc = lmi_err_set(c->err, LM_EIO, "%s: %s", path, strerror(errno));
		goto cleanup;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = lmi_err_set(c->err, LM_EIO, "%s: %s", path, strerror(EISDIR));
		goto cleanup;
	}
	rc = set_file(c, path);
	if (rc != LM_OK)
		goto cleanup;
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > LM_YAML_MAX_BYTES) {
		diag(c, 1, 1, "file is %jd bytes; the limit is %zu",
		     (intmax_t)st.st_size, LM_YAML_MAX_BYTES);
		goto cleanup;
	}
	/* A regular file's size is a good first guess; pipes and devices
	 * grow the buffer up to one byte past the limit. */
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 64 * 1024;
	buf = malloc(cap);
	if (!buf) {
		rc = LM_ENOMEM;
		goto cleanup;
	}
	for (;;) {
		if (len == cap) {
			if (cap > LM_YAML_MAX_BYTES)
				break;
			size_t ncap = cap * 2 > LM_YAML_MAX_BYTES + 1
				? LM_YAML_MAX_BYTES + 1 : cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb) {
				rc = LM_ENOMEM;
				goto cleanup;
			}
			buf = nb;
			cap = ncap;
		}
		ssize_t got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = lmi_err_set(c->err, LM_EIO, "%s: %s", path,
			                strerror(errno));
			goto cleanup;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len > LM_YAML_MAX_BYTES) {
		diag(c, 1, 1, "file is more than %zu bytes; the limit is %zu",
		     LM_YAML_MAX_BYTES, LM_YAML_MAX_BYTES);
		goto cleanup;
	}
	rc = parse_data(c, buf, len);
cleanup:
	if (fd >= 0)
		close(fd);
	free(buf);
	return rc;
}

static bool yaml_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Parse every *.yaml / *.yml below dir, in name order, skipping names
 * that start with '.' and symlinked folders.  Recursion is bounded by
 * LM_YAML_MAX_DIR_DEPTH. */
static int walk_dir(yctx *c, const char *dir, int depth)
{
	int rc = LM_OK;
	char **names = NULL;
	size_t n = 0, cap = 0;
	char *path = NULL;
	DIR *d = opendir(dir);

	if (!d)
		return lmi_err_set(c->err, LM_EIO, "%s: %s", dir, strerror(errno));
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno)
				rc = lmi_err_set(c->err, LM_EIO, "%s: %s", dir,
				                strerror(errno));
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		char **slot = lmi_vec_push((void **)&names, &n, &cap,
		                          sizeof(*names));
		if (!slot || !(*slot = strdup(de->d_name))) {
			if (slot)
				n--;
			rc = LM_ENOMEM;
			break;
		}
	}
	closedir(d);
	if (rc != LM_OK)
		goto cleanup;
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	size_t dlen = strlen(dir);
	bool slash = dlen > 0 && dir[dlen - 1] == '/';
	for (size_t i = 0; i < n && rc == LM_OK; i++) {
		size_t nlen = strlen(names[i]);
		free(path);
		path = malloc(dlen + nlen + 2);
		if (!path) {
			rc = LM_ENOMEM;
			break;
		}
		memcpy(path, dir, dlen);
		if (!slash)
			path[dlen] = '/';
		memcpy(path + dlen + !slash, names[i], nlen + 1);

		struct stat st;
		if (lstat(path, &st) != 0) {
			rc = lmi_err_set(c->err, LM_EIO, "%s: %s", path,
			                strerror(errno));
			break;
		}
		bool link = S_ISLNK(st.st_mode);
		if (link && stat(path, &st) != 0) {
			/* A dangling link is an error only where a file
			 * would have been read. */
			if (yaml_name(names[i]))
				rc = lmi_err_set(c->err, LM_EIO, "%s: %s", path,
				                strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (link)
				continue;
			if (depth + 1 > LM_YAML_MAX_DIR_DEPTH) {
				rc = set_file(c, path);
				if (rc == LM_OK)
					diag(c, 0, 0, "folders nested deeper than %d "
					     "levels; not read", LM_YAML_MAX_DIR_DEPTH);
				continue;
			}
			rc = walk_dir(c, path, depth + 1);
		} else if (S_ISREG(st.st_mode) && yaml_name(names[i])) {
			rc = parse_file(c, path);
		}
	}
cleanup:
	free(path);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* ---- entry points ------------------------------------------------------------ */

static int ctx_init(yctx *c, lm_catalog *batch, lmi_err *err)
{
	memset(c, 0, sizeof(*c));
	c->b = batch;
	c->err = err;
	c->replay = SIZE_MAX;
	c->cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	return c->cloc ? LM_OK : LM_ENOMEM;
}

/* Free the context; the final status from the run's status. */
static int ctx_finish(yctx *c, int rc)
{
	events_free(c);
	if (c->cloc)
		freelocale(c->cloc);
	if (rc == LM_OK && c->nomem)
		rc = LM_ENOMEM;
	if (rc == LM_OK && c->ndiag)
		rc = LM_EINPUT;
	return rc;
}

int lmi_yaml_parse_paths(lm_catalog *batch, const char *const *paths,
                        size_t npaths, lmi_err *err)
{
	yctx c;
	int rc;

	if (!batch || !err || (npaths && !paths))
		return LM_EINVAL;
	rc = ctx_init(&c, batch, err);
	for (size_t i = 0; i < npaths && rc == LM_OK; i++) {
		struct stat st;
		if (!paths[i]) {
			rc = lmi_err_set(err, LM_EINVAL, "path %zu is NULL", i);
		} else if (stat(paths[i], &st) != 0) {
			rc = lmi_err_set(err, LM_EIO, "%s: %s", paths[i],
			                strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk_dir(&c, paths[i], 0);
		} else {
			rc = parse_file(&c, paths[i]);
		}
	}
	return ctx_finish(&c, rc);
}

int lmi_yaml_parse_buffer(lm_catalog *batch, const char *name,
                         const char *data, size_t len, lmi_err *err)
{
	return lmi_yaml_parse_buffer_threads(batch, name, data, len, err,
	                                    LM_YAML_THREADS_AUTO);
}

int lmi_yaml_parse_buffer_threads(lm_catalog *batch, const char *name,
                                 const char *data, size_t len, lmi_err *err,
                                 lmi_yaml_threads threads)
{
	yctx c;
	int rc;

	if (!batch || !err || (!data && len))
		return LM_EINVAL;
	rc = ctx_init(&c, batch, err);
	c.threads = threads;
	if (rc == LM_OK)
		rc = set_file(&c, name ? name : "(buffer)");
	if (rc == LM_OK)
		rc = parse_data(&c, data, len);
	return ctx_finish(&c, rc);
}
