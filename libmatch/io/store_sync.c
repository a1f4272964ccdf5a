/* SPDX-License-Identifier: MIT */
/*
 * store_sync.c -- what a load does to the records it names and to those
 * it does not (store_load.c calls it): which records are added, changed
 * or left as they were, which stored records of the kinds the files give
 * the files no longer name, and, for `load --sync`, retiring those.  The
 * counts and ids are the caller's lm_load_report.
 *
 * A record is "changed" when its export text (io/export.h) differs from
 * the stored one's: the text holds every value a load writes, in one
 * canonical form, so the comparison sees what a user would see in an
 * export.  Only experts, companies and needs can be retired; a sync
 * leaves places, gardens and skills the files omit as they are.
 */
#include "io/export.h"
#include "io/store.h"
#include "model/period.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#define N_KINDS (LM_NEED + 1)
#define N_WHAT (LM_LOAD_UNLISTED + 1)
/* The report's kinds: the records' and the engagements. */
#define N_REPORT (LM_ENGAGEMENT + 1)

struct lm_load_report {
	size_t count[N_REPORT][N_WHAT];
	char **ids[N_REPORT][N_WHAT];  /* count entries, each malloc'd */
};

bool lmi_sync_retirable(lm_kind k)
{
	return k == LM_EXPERT || k == LM_COMPANY || k == LM_NEED;
}

/* The export text of the records of `cat` with ids ids[0..n) into
 * texts[], only where `only` (when not NULL) has a text: a record new to
 * the database needs none.  Texts of records not found stay NULL. */
static int texts_of(const lm_catalog *cat, lm_kind k, char *const *ids,
                    size_t n, char *const *only, char **texts)
{
	locale_t c_loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c_loc == (locale_t)0)
		return LM_ENOMEM;
	locale_t old = uselocale(c_loc);
	int rc = LM_OK;
	for (size_t i = 0; !rc && i < n; i++) {
		uint32_t at;
		size_t len;
		texts[i] = NULL;
		if ((!only || only[i]) && lmi_map_get(&cat->ids[k], ids[i], &at))
			rc = lmi_export_record(cat, k, at, &texts[i], &len);
	}
	uselocale(old);
	freelocale(c_loc);
	return rc;
}

/* "period need expert" of engagement e (malloc'd; NULL on OOM). */
static char *eng_key(const lmi_engagement_rec *e)
{
	return lmi_strf("%s %s %s", e->period, e->need.id, e->expert.id);
}

/* The stored engagements' keys and scores. */
static int stored_engagements(lmi_sync *s, const lm_catalog *stored)
{
	size_t n = stored->engagements.n;
	if (!n)
		return LM_OK;
	s->eng_keys = calloc(n, sizeof(char *));
	s->eng_score = calloc(n, sizeof(double));
	if (!s->eng_keys || !s->eng_score || lmi_map_reserve(&s->eng, n))
		return LM_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const lmi_engagement_rec *e = &stored->engagements.v[i];
		if (!(s->eng_keys[i] = eng_key(e)))
			return LM_ENOMEM;
		s->neng = i + 1;
		s->eng_score[i] = e->score;
		if (lmi_map_put(&s->eng, s->eng_keys[i], (uint32_t)i))
			return LM_ENOMEM;
	}
	return LM_OK;
}

int lmi_sync_before(lmi_sync *s, const lm_catalog *stored,
                    const lm_catalog *batch)
{
	memset(s, 0, sizeof(*s));
	if (stored_engagements(s, stored))
		return LM_ENOMEM;
	for (int k = 0; k < N_KINDS; k++) {
		size_t n = lm_catalog_count(batch, (lm_kind)k);
		if (!n)
			continue;
		s->ids[k] = calloc(n, sizeof(char *));
		if (!s->ids[k])
			return LM_ENOMEM;
		s->n[k] = n;
		for (size_t i = 0; i < n; i++)
			if (!(s->ids[k][i] = strdup(lmi_catalog_id(batch, (lm_kind)k,
			                                           (uint32_t)i))))
				return LM_ENOMEM;
		if (!lm_catalog_count(stored, (lm_kind)k))
			continue;
		s->before[k] = calloc(n, sizeof(char *));
		if (!s->before[k] ||
		    texts_of(stored, (lm_kind)k, s->ids[k], n, NULL, s->before[k]))
			return LM_ENOMEM;
		if (!lmi_sync_retirable((lm_kind)k))
			continue;
		/* The stored records the files do not name, unless retired
		 * already: a sync retires them. */
		lmi_map named = {0};
		size_t ns = lm_catalog_count(stored, (lm_kind)k);
		int rc = lmi_map_reserve(&named, n);
		for (size_t i = 0; !rc && i < n; i++)
			rc = lmi_map_put(&named, s->ids[k][i], 1);
		s->gone[k] = rc ? NULL : calloc(ns ? ns : 1, sizeof(char *));
		for (size_t i = 0; !rc && s->gone[k] && i < ns; i++) {
			const char *id = lmi_catalog_id(stored, k, (uint32_t)i);
			const void *rec = lmi_record_at(stored, k, (uint32_t)i);
			const char *ret = k == LM_EXPERT
				? ((const lmi_expert_rec *)rec)->retired
				: k == LM_COMPANY
				? ((const lmi_company_rec *)rec)->retired
				: ((const lmi_need_rec *)rec)->retired;
			if (ret || lmi_map_get(&named, id, NULL))
				continue;
			if (!(s->gone[k][s->ngone[k]++] = strdup(id)))
				rc = LM_ENOMEM;
		}
		lmi_map_free(&named);
		if (rc || !s->gone[k])
			return LM_ENOMEM;
	}
	return LM_OK;
}

void lmi_sync_free(lmi_sync *s)
{
	for (int k = 0; k < N_KINDS; k++) {
		for (size_t i = 0; i < s->n[k]; i++) {
			if (s->before[k])
				free(s->before[k][i]);
			free(s->ids[k][i]);
		}
		free(s->ids[k]);
		lmi_strv_free(s->gone[k], s->ngone[k]);
		free(s->before[k]);
	}
	lmi_strv_free(s->eng_keys, s->neng);
	free(s->eng_score);
	lmi_map_free(&s->eng);
	memset(s, 0, sizeof(*s));
}

/* Add id to the report's list `what` of kind k. */
static int report_add(lm_load_report *r, int k, int what, const char *id)
{
	size_t n = r->count[k][what];
	char **v = lmi_reallocarray(r->ids[k][what], n + 1, sizeof(*v));
	if (!v)
		return LM_ENOMEM;
	r->ids[k][what] = v;
	if (!(v[n] = strdup(id)))
		return LM_ENOMEM;
	r->count[k][what]++;
	return LM_OK;
}

int lmi_sync_report(const lmi_sync *s, const lm_catalog *merged, bool sync,
                    lm_load_report **out)
{
	*out = NULL;
	lm_load_report *r = calloc(1, sizeof(*r));
	if (!r)
		return LM_ENOMEM;
	int rc = LM_OK;
	for (int k = 0; !rc && k < N_KINDS; k++) {
		size_t n = s->n[k];
		char **after = n ? calloc(n, sizeof(char *)) : NULL;
		if (n && (!after || (s->before[k] &&
		                     texts_of(merged, (lm_kind)k, s->ids[k], n,
		                              s->before[k], after))))
			rc = LM_ENOMEM;
		for (size_t i = 0; !rc && i < n; i++) {
			const char *b = s->before[k] ? s->before[k][i] : NULL;
			int what = LM_LOAD_ADDED;
			if (b)
				what = after[i] && !strcmp(b, after[i])
				       ? LM_LOAD_UNCHANGED : LM_LOAD_CHANGED;
			rc = report_add(r, k, what, s->ids[k][i]);
		}
		for (size_t i = 0; after && i < n; i++)
			free(after[i]);
		free(after);
		for (size_t i = 0; !rc && i < s->ngone[k]; i++)
			rc = report_add(r, k, sync ? LM_LOAD_RETIRED : LM_LOAD_UNLISTED,
			                s->gone[k][i]);
	}
	/* The batch's engagements, by their key in the merged catalogue
	 * (canonical ids). */
	for (size_t i = 0; !rc && merged->r.eng_new && i < merged->engagements.n;
	     i++) {
		if (!merged->r.eng_new[i])
			continue;
		const lmi_engagement_rec *e = &merged->engagements.v[i];
		char *key = eng_key(e);
		uint32_t at;
		int what = LM_LOAD_ADDED;
		if (!key)
			rc = LM_ENOMEM;
		else if (lmi_map_get(&s->eng, key, &at))
			what = s->eng_score[at] == e->score ? LM_LOAD_UNCHANGED
			                                    : LM_LOAD_CHANGED;
		if (!rc)
			rc = report_add(r, LM_ENGAGEMENT, what, key);
		free(key);
	}
	if (rc) {
		lm_load_report_free(r);
		return LM_ENOMEM;
	}
	*out = r;
	return LM_OK;
}

/* The retired day of record i of kind k of `cat`, as a pointer to set. */
static const char **retired_of(lm_catalog *cat, lm_kind k, uint32_t i,
                               bool **flag)
{
	lmi_resolved *r = &cat->r;
	switch (k) {
	case LM_EXPERT:
		*flag = &r->expert_retired[i];
		return &cat->experts.v[i].retired;
	case LM_COMPANY:
		*flag = &r->company_retired[i];
		return &cat->companies.v[i].retired;
	default:
		*flag = &r->need_retired[i];
		return &cat->needs.v[i].retired;
	}
}

int lmi_sync_retire(const lmi_sync *s, lm_catalog *merged, const char *day)
{
	const char *d = lmi_arena_strdup(&merged->arena, day);
	if (!d)
		return LM_ENOMEM;
	for (int k = 0; k < N_KINDS; k++)
		for (size_t i = 0; i < s->ngone[k]; i++) {
			uint32_t at;
			bool *flag;
			if (!lmi_map_get(&merged->ids[k], s->gone[k][i], &at))
				continue;
			*retired_of(merged, (lm_kind)k, at, &flag) = d;
			*flag = true;
		}
	return LM_OK;
}

/* Does record `at` of kind k take part in engagement i? */
static bool eng_of(const lm_catalog *c, lm_kind k, uint32_t at, size_t i)
{
	const lmi_resolved *r = &c->r;
	if (k == LM_EXPERT)
		return r->eng_expert[i] == at;
	if (k == LM_NEED)
		return r->eng_need[i] == at;
	return r->need_company[r->eng_need[i]] == at;
}

int lmi_sync_check(const lmi_sync *s, const lm_catalog *merged,
                   const char *day, lmi_err *err)
{
	uint32_t ymd;
	if (!lmi_date_parse(day, strlen(day), &ymd))
		return lmi_err_set(err, LM_ERROR, "cannot tell today's date");
	size_t before = err->ndiags + err->dropped;
	for (int k = 0; k < N_KINDS; k++)
		for (size_t g = 0; g < s->ngone[k]; g++) {
			uint32_t at, q;
			if (!lmi_map_get(&merged->ids[k], s->gone[k][g], &at))
				continue;
			for (size_t i = merged->engagements.n; i-- > 0;) {
				const lmi_engagement_rec *e = &merged->engagements.v[i];
				if (!eng_of(merged, (lm_kind)k, at, i) ||
				    !lmi_period_parse(e->period, strlen(e->period), &q) ||
				    (q / 4) * 10000 + (3 * (q % 4) + 1) * 100 + 1 <= ymd)
					continue;
				lmi_err_diag(err, NULL, "%s '%s' is not in the files, "
				            "but has an engagement in %s (%s %s), which "
				            "begins after today (%s): release it before "
				            "load --sync retires it", lmi_kind_singular[k],
				            s->gone[k][g], e->period, e->need.id,
				            e->expert.id, day);
				break;
			}
		}
	return err->ndiags + err->dropped > before ? LM_EINPUT : LM_OK;
}

int lmi_sync_write(lm_db *db, const lmi_sync *s, const char *day)
{
	static const char *const sql[N_KINDS] = {
		[LM_EXPERT] = "UPDATE experts SET retired = ?2 WHERE id = ?1",
		[LM_COMPANY] = "UPDATE companies SET retired = ?2 WHERE id = ?1",
		[LM_NEED] = "UPDATE needs SET retired = ?2 WHERE id = ?1",
	};
	int rc = LM_OK;
	for (int k = 0; !rc && k < N_KINDS; k++) {
		if (!s->ngone[k])
			continue;
		sqlite3_stmt *st = NULL;
		rc = lmi_db_prepare(db, sql[k], &st);
		for (size_t i = 0; !rc && i < s->ngone[k]; i++) {
			int brc = SQLITE_OK;
			lmi_bind_text(st, 1, s->gone[k][i], &brc);
			lmi_bind_text(st, 2, day, &brc);
			rc = lmi_db_run(db, st, brc, "retiring what the files omit");
		}
		sqlite3_finalize(st);
	}
	return rc;
}

size_t lm_load_report_count(const lm_load_report *r, lm_kind kind, int what)
{
	if (!r || (unsigned)kind >= N_REPORT || what < 0 || what >= N_WHAT)
		return 0;
	return r->count[kind][what];
}

const char *lm_load_report_id(const lm_load_report *r, lm_kind kind,
                              int what, size_t i)
{
	if (i >= lm_load_report_count(r, kind, what))
		return NULL;
	return r->ids[kind][what][i];
}

void lm_load_report_free(lm_load_report *r)
{
	if (!r)
		return;
	for (int k = 0; k < N_REPORT; k++)
		for (int w = 0; w < N_WHAT; w++) {
			for (size_t i = 0; i < r->count[k][w]; i++)
				free(r->ids[k][w][i]);
			free(r->ids[k][w]);
		}
	free(r);
}
