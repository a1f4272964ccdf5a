/* SPDX-License-Identifier: MIT */
/*
 * merge_eng.c -- the merge's checks of engagements (catalog.h,
 * lmi_merge_check_engagements): engagements are data like the rest, so a
 * load may not leave an expert with more engagements in a quarter than
 * its capacity there, a need with more than its experts (or its team),
 * or an engagement in a quarter that begins after its expert, need or
 * company was retired.
 *
 * A check fires only for what the load brought: an engagement of the
 * batch (reported where it was written), or a record or setting of the
 * batch that makes stored engagements wrong (reported at the record,
 * saying which engagements to release).  What the database held before
 * is never re-judged on its own, so a database that an older libmatch
 * filled stays readable.
 */
#include "model/catalog.h"
#include "model/fields.h"
#include "model/period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One engagement in the order a check groups them by. */
typedef struct eng_key {
	uint32_t group;   /* expert or need index */
	uint32_t quarter; /* 0 when grouped by need alone */
	uint32_t eng;     /* index of the engagement */
} eng_key;

static int cmp_eng_key(const void *a, const void *b)
{
	const eng_key *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->quarter != y->quarter)
		return x->quarter < y->quarter ? -1 : 1;
	return x->eng < y->eng ? -1 : x->eng > y->eng;
}

/* Does the batch hold a record of kind k with this id, read from a
 * file?  (A batch read from a database has no file positions: what a
 * database holds is not re-judged.) */
static bool in_batch(const lm_catalog *batch, lm_kind k, const char *id)
{
	size_t n = lm_catalog_count(batch, k);
	size_t off = lmi_kinds[k].off_pos;
	for (size_t i = 0; i < n; i++) {
		const char *rec = lmi_record_at(batch, k, (uint32_t)i);
		if (!strcmp(lmi_catalog_id(batch, k, (uint32_t)i), id))
			return ((const lmi_pos *)(rec + off))->file != NULL;
	}
	return false;
}

static uint32_t eng_quarter(const lm_catalog *c, uint32_t i)
{
	uint32_t q = 0;
	const char *p = c->engagements.v[i].period;
	lmi_period_parse(p, strlen(p), &q);
	return q;
}

/* "n1, n2 and 2 more": the needs (by expert) or the experts with their
 * periods (by need) of keys[a..b), malloc'd (NULL when out of memory,
 * which the caller words as "?"). */
static char *list_engagements(const lm_catalog *c, const eng_key *keys,
                              size_t a, size_t b, bool by_expert)
{
	lmi_buf t = {0};
	for (size_t k = a; k < b; k++) {
		const lmi_engagement_rec *e = &c->engagements.v[keys[k].eng];
		if (k - a == 6) {
			lmi_buf_printf(&t, " and %zu more", b - k);
			break;
		}
		if (by_expert)
			lmi_buf_printf(&t, "%s%s", k > a ? ", " : "", e->need.id);
		else
			lmi_buf_printf(&t, "%s%s %s", k > a ? ", " : "", e->period,
			               e->expert.id);
	}
	return lmi_buf_take(&t);
}

/* The last engagement of keys[a..b) that the batch brought, or
 * UINT32_MAX. */
static uint32_t last_new(const lm_catalog *c, const eng_key *keys, size_t a,
                         size_t b)
{
	uint32_t at = UINT32_MAX;
	for (size_t k = a; k < b; k++)
		if (c->r.eng_new && c->r.eng_new[keys[k].eng])
			at = keys[k].eng;
	return at;
}

/* Expert capacity in each quarter with engagements. */
static void check_capacity(const lm_catalog *c, const lm_catalog *batch,
                           eng_key *keys, lmi_err *err)
{
	const lmi_resolved *r = &c->r;
	size_t n = c->engagements.n;
	bool cap_setting =
		(batch->settings.set & (1u << LM_SET_DEFAULT_CAPACITY)) &&
		batch->settings.pos[LM_SET_DEFAULT_CAPACITY].file;
	for (size_t i = 0; i < n; i++)
		keys[i] = (eng_key){r->eng_expert[i], eng_quarter(c, (uint32_t)i),
		                    (uint32_t)i};
	qsort(keys, n, sizeof(*keys), cmp_eng_key);
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && keys[b].group == keys[a].group &&
		                keys[b].quarter == keys[a].quarter; b++)
			;
		uint32_t e = keys[a].group, q = keys[a].quarter;
		int cap = lmi_expert_capacity_in(r, e, q);
		size_t count = b - a;
		if (count <= (size_t)(cap > 0 ? cap : 0))
			continue;
		const lmi_expert_rec *ex = &c->experts.v[e];
		char per[LMI_PERIOD_SIZE];
		lmi_period_format(q, per);
		uint32_t at = last_new(c, keys, a, b);
		if (at != UINT32_MAX) {
			const lmi_engagement_rec *en = &c->engagements.v[at];
			lmi_err_diag(err, &en->pos, "engagement %s %s %s: expert '%s' "
			            "has capacity %d in %s, and this makes %zu "
			            "engagements there", en->period, en->need.id,
			            en->expert.id, ex->id, cap, per, count);
			continue;
		}
		bool own = in_batch(batch, LM_EXPERT, ex->id);
		if (!own && !(cap_setting && ex->capacity < 0))
			continue;
		char *list = list_engagements(c, keys, a, b, true);
		lmi_err_diag(err, own ? &ex->pos
		                      : &batch->settings.pos[LM_SET_DEFAULT_CAPACITY],
		            "expert '%s' would have capacity %d in %s but has %zu "
		            "engagement%s there (%s): release %zu of them first "
		            "(match release NEED-ID %s --period %s), or give it "
		            "availability {%s: %zu}", ex->id, cap, per, count,
		            count == 1 ? "" : "s", list ? list : "?",
		            count - (size_t)(cap > 0 ? cap : 0), ex->id, per, per,
		            count);
		free(list);
	}
}

/* A need's engagements, in every period: at most its experts (a team
 * need: its team's members). */
static void check_demand(const lm_catalog *c, const lm_catalog *batch,
                         eng_key *keys, lmi_err *err)
{
	const lmi_resolved *r = &c->r;
	size_t n = c->engagements.n;
	for (size_t i = 0; i < n; i++)
		keys[i] = (eng_key){r->eng_need[i], 0, (uint32_t)i};
	qsort(keys, n, sizeof(*keys), cmp_eng_key);
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && keys[b].group == keys[a].group; b++)
			;
		const lmi_need_rec *nd = &c->needs.v[keys[a].group];
		bool team = nd->team > 1;
		int want = team ? nd->team : nd->experts;
		size_t count = b - a;
		if (count <= (size_t)want)
			continue;
		char asks[64];
		snprintf(asks, sizeof(asks), team ? "a team of up to %d"
		                                  : "%d expert%s", want,
		         want == 1 ? "" : "s");
		uint32_t at = last_new(c, keys, a, b);
		if (at != UINT32_MAX) {
			const lmi_engagement_rec *en = &c->engagements.v[at];
			lmi_err_diag(err, &en->pos, "engagement %s %s %s: need '%s' "
			            "asks for %s, and this makes %zu engagements of "
			            "it", en->period, en->need.id, en->expert.id,
			            nd->id, asks, count);
			continue;
		}
		if (!in_batch(batch, LM_NEED, nd->id))
			continue;
		char *list = list_engagements(c, keys, a, b, false);
		lmi_err_diag(err, &nd->pos, "need '%s' would ask for %s but has "
		            "%zu engagements (%s): release %zu of them first",
		            nd->id, asks, count, list ? list : "?",
		            count - (size_t)want);
		free(list);
	}
}

/* The first day of quarter q as year * 10000 + month * 100 + day. */
static uint32_t quarter_start(uint32_t q)
{
	return (q / 4) * 10000 + (3 * (q % 4) + 1) * 100 + 1;
}

/* One record an engagement refers to, retired before its quarter? */
static void check_retired_one(const lm_catalog *c, const lm_catalog *batch,
                              uint32_t i, lm_kind k, const char *id,
                              const char *retired, const lmi_pos *pos,
                              lmi_err *err)
{
	const lmi_engagement_rec *en = &c->engagements.v[i];
	uint32_t ymd, q = eng_quarter(c, i);
	if (!retired || !lmi_date_parse(retired, strlen(retired), &ymd) ||
	    ymd >= quarter_start(q))
		return;
	const char *what = lmi_kind_singular[k];
	if (c->r.eng_new && c->r.eng_new[i])
		lmi_err_diag(err, &en->pos, "engagement %s %s %s: %s '%s' was "
		            "retired on %s, before %s began", en->period,
		            en->need.id, en->expert.id, what, id, retired,
		            en->period);
	else if (in_batch(batch, k, id))
		lmi_err_diag(err, pos, "%s '%s' retired on %s has an engagement "
		            "in %s (%s %s), which began later: retire it on the "
		            "last day of that quarter or later", what, id, retired,
		            en->period, en->need.id, en->expert.id);
}

static void check_retired(const lm_catalog *c, const lm_catalog *batch,
                          lmi_err *err)
{
	const lmi_resolved *r = &c->r;
	for (uint32_t i = 0; i < c->engagements.n; i++) {
		const lmi_expert_rec *ex = &c->experts.v[r->eng_expert[i]];
		const lmi_need_rec *nd = &c->needs.v[r->eng_need[i]];
		uint32_t co = r->need_company[r->eng_need[i]];
		check_retired_one(c, batch, i, LM_EXPERT, ex->id, ex->retired,
		                  &ex->pos, err);
		check_retired_one(c, batch, i, LM_NEED, nd->id, nd->retired,
		                  &nd->pos, err);
		if (co != LM_NONE) {
			const lmi_company_rec *cr = &c->companies.v[co];
			check_retired_one(c, batch, i, LM_COMPANY, cr->id, cr->retired,
			                  &cr->pos, err);
		}
	}
}

int lmi_merge_check_engagements(const lm_catalog *c, const lm_catalog *batch,
                                lmi_err *err)
{
	size_t n = c->engagements.n;
	if (!n)
		return LM_OK;
	eng_key *keys = lmi_reallocarray(NULL, n, sizeof(*keys));
	if (!keys)
		return LM_ENOMEM;
	check_retired(c, batch, err);
	check_capacity(c, batch, keys, err);
	check_demand(c, batch, keys, err);
	free(keys);
	return LM_OK;
}
