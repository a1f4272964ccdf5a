/* SPDX-License-Identifier: MIT */
/*
 * yaml_events.c -- the YAML reader's event source (io/yaml_parse.h): the
 * events of the current file as libyaml parses them, on a thread of its
 * own for a big file, with the generic limits applied (nesting depth,
 * scalar size, UTF-8, anchors, aliases) and every alias expanded by
 * replaying the recorded events of its anchor, so that no stage above
 * ever sees an alias.  From these events a record is gathered into a
 * small flat tree, bounded in size.  The diagnostics of every stage are
 * added here, at their positions.
 *
 * Memory: an event's value belongs to whoever holds the event (a tree's
 * to the tree, freed on the producer's thread when there is one); a
 * recording's events belong to their anchor, freed at the end of each
 * document.
 */
#include "io/yaml_parse.h"

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- events and trees ---------------------------------------------------- */

void lmi_yaml_ev_free(ev *e)
{
	free(e->val);
	e->val = NULL;
	e->len = 0;
}

static void evq_discard(struct evq *q, void *p);

void lmi_yaml_node_release(tree *t, node *nd)
{
	if (t->q) {
		evq_discard(t->q, nd->e.val);
		nd->e.val = NULL;
	} else {
		lmi_yaml_ev_free(&nd->e);
	}
}

void lmi_yaml_tree_reset(tree *t)
{
	for (size_t i = 0; i < t->n; i++)
		lmi_yaml_node_release(t, &t->v[i]);
	t->n = 0;
	t->overflow = false;
}

static void tree_free(tree *t)
{
	lmi_yaml_tree_reset(t);
	free(t->v);
	t->v = NULL;
	t->cap = 0;
}

/* ---- diagnostics ----------------------------------------------------------- */

/* Add a diagnostic at line:col of the current file (line 0: no position). */
void lmi_yaml_diag(yctx *c, uint32_t line, uint32_t col, const char *fmt,
                   ...)
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

/* How many bytes of s[0..len) to quote back: at most SHOW_MAX, cut before
 * a control character and never inside a UTF-8 sequence. */
int lmi_yaml_show_len(const char *s, size_t len)
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
			lmi_yaml_diag(c, line, col,
			              "invalid UTF-8: %s (byte 0x%02X)", problem,
			              (unsigned)p->problem_value & 0xFFu);
		else if (p->problem_value != -1)
			lmi_yaml_diag(c, line, col,
			              "invalid input: %s (U+%04X)", problem,
			              (unsigned)p->problem_value);
		else
			lmi_yaml_diag(c, line, col, "invalid input: %s",
			              problem);
		return STOP;
	}
	uint32_t line = mark1(p->problem_mark.line);
	uint32_t col = mark1(p->problem_mark.column);
	if (p->context)
		lmi_yaml_diag(c, line, col,
		              "YAML syntax error: %s (%s at line %u, column %u)",
		              problem, p->context, mark1(p->context_mark.line),
		              mark1(p->context_mark.column));
	else
		lmi_yaml_diag(c, line, col, "YAML syntax error: %s", problem);
	return STOP;
}

/* ---- anchors and aliases --------------------------------------------------- */

/* The events of one anchored node, already alias-free, replayed for
 * each alias to it. */
struct anchor {
	char *name;      /* malloc'd */
	ev *evs;         /* values malloc'd */
	size_t n, cap;
	size_t bytes;    /* scalar bytes recorded: what an alias expands to */
	size_t cost;     /* memory the recording holds, counted in rec_bytes */
	int depth;       /* depth of its start event; it ends below that */
	bool done;       /* the node ended; aliases may use it */
	bool too_big;    /* recording given up: an alias to it is an error */
};

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
		lmi_yaml_diag(c, e->line, e->col, "too many anchors (limit %d)",
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
		lmi_yaml_diag(c, line, col, "too many aliases (limit %d)",
		              LM_YAML_MAX_ALIASES);
		return STOP;
	}
	size_t i = c->nanchors;
	while (i > 0 && !(c->anchors[i - 1].done &&
	                  !strcmp(c->anchors[i - 1].name, name)))
		i--;
	if (i == 0) {
		lmi_yaml_diag(c, line, col,
		              "alias '*%.*s%s' names no anchor defined before it",
		              SHOW(name, nlen));
		return STOP;
	}
	anchor *a = &c->anchors[i - 1];
	if (a->too_big || a->n > LM_YAML_MAX_ALIAS_EVENTS - c->alias_events ||
	    a->bytes > LM_YAML_MAX_ALIAS_BYTES - c->alias_bytes) {
		lmi_yaml_diag(c, line, col,
		              "alias '*%.*s%s' expands to too much data (limit "
		              "%d nodes and %zu bytes from aliases per file)",
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
	out->block = ye->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
	             ye->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;
	if (len > LM_YAML_MAX_SCALAR) {
		lmi_yaml_diag(c, out->line, out->col,
		              "scalar is %zu bytes; the limit is %zu", len,
		              LM_YAML_MAX_SCALAR);
		out->bad = true;
		len = 0;
	} else if (!lmi_utf8_valid(v, len)) {
		lmi_yaml_diag(c, out->line, out->col, "text is not valid UTF-8 "
		              "or contains a NUL character");
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
int lmi_yaml_next_event(yctx *c, ev *out)
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
			lmi_yaml_diag(c, out->line, out->col,
			              "nesting deeper than %d levels",
			              LM_YAML_MAX_DEPTH);
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
		lmi_yaml_ev_free(out);
	return rc;
}

/* ---- records as small trees ------------------------------------------ */

/* Consume the rest of a node whose first event is *first (freed). */
int lmi_yaml_skip_node(yctx *c, ev *first)
{
	int level = first->type == EV_SEQ || first->type == EV_MAP;
	lmi_yaml_ev_free(first);
	while (level > 0) {
		ev e;
		int rc = lmi_yaml_next_event(c, &e);
		if (rc != LM_OK)
			return rc;
		if (e.type == EV_SEQ || e.type == EV_MAP)
			level++;
		else if (e.type == EV_SEQ_END || e.type == EV_MAP_END)
			level--;
		lmi_yaml_ev_free(&e);
	}
	return LM_OK;
}

/* Gather the node starting with *first (taken over) into c->t. */
int lmi_yaml_build_tree(yctx *c, ev *first)
{
	tree *t = &c->t;
	size_t stack[LM_YAML_MAX_DEPTH + 1]; /* bounded by the depth check */
	size_t sp = 0;
	ev e = *first;
	int rc = LM_OK;

	first->val = NULL;
	lmi_yaml_tree_reset(t);
	for (;;) {
		if (e.type == EV_SEQ_END || e.type == EV_MAP_END) {
			size_t open = stack[--sp];
			if (open != SIZE_MAX)
				t->v[open].end = t->n;
			lmi_yaml_ev_free(&e);
		} else {
			size_t idx = SIZE_MAX;
			if (t->n >= LM_YAML_MAX_RECORD_NODES) {
				if (!t->overflow)
					lmi_yaml_diag(c, t->v[0].e.line,
					              t->v[0].e.col,
					              "record has more than %d "
					              "YAML nodes",
					              LM_YAML_MAX_RECORD_NODES);
				t->overflow = true;
				lmi_yaml_ev_free(&e);
			} else {
				node *nd = lmi_vec_push((void **)&t->v, &t->n,
				                       &t->cap, sizeof(*t->v));
				if (!nd) {
					lmi_yaml_ev_free(&e);
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
		rc = lmi_yaml_next_event(c, &e);
		if (rc != LM_OK)
			break;
	}
	return rc;
}

/* ---- a file's source, opened and closed -------------------------------- */

/* Make data[0..len) the current file's event source: libyaml reads it on
 * this thread or, for a big file, on its own (see evq above).  Nothing is
 * left to undo when this fails; after LM_OK, lmi_yaml_source_close() ends
 * it. */
int lmi_yaml_source_open(yctx *c, const char *data, size_t len)
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
void lmi_yaml_source_close(yctx *c)
{
	lmi_yaml_tree_reset(&c->t);
	c->t.q = NULL;
	evq_close(c->q);
	c->q = NULL;
	yaml_parser_delete(&c->parser);
	anchors_clear(c);
}

/* Free what the event source keeps from file to file, at the end of a
 * call. */
void lmi_yaml_events_free(yctx *c)
{
	anchors_clear(c);
	free(c->anchors);
	tree_free(&c->t);
}

