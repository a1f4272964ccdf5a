/* SPDX-License-Identifier: MIT */
/*
 * meeting.c -- where the gardens should hold the quarter's joint meeting:
 * every candidate place ranked by the total travel of all delegations.
 * Each garden sends its people from its own place; a trip is measured
 * with the engine's one geography (lmi_geo_km: the distances table where
 * it has the pair, else great circle times road_factor), timed at
 * speed_kmh and paid at km_rate_nok, exactly as an expert's visit is.
 *
 * Two answers come out: the place with the least total travel (rank 1)
 * and the "fair" place, whose longest single trip is shortest, so that no
 * delegation bears the whole distance.  Works on the in-memory catalogue
 * alone.  The result owns its arrays; its strings point into the
 * catalogue.
 */
#include "engine/geo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct lm_meeting {
	char period[8];            /* "YYYY-QN" */
	size_t people;             /* everyone travelling */
	lm_meeting_venue *venues;  /* rank order */
	lm_meeting_trip *trips;    /* venue-major: n_venues * n_gardens */
	size_t n_venues;
	size_t best_fair;          /* index into venues */
};

LM_EXTERN int lm_meeting_options_init(lm_meeting_options *opts,
                                      unsigned int version)
{
	lm_meeting_options defaults = LM_MEETING_OPTIONS_INIT;

	if (!opts || version < 1 || version > LM_MEETING_OPTIONS_VERSION)
		return LM_EINVAL;
	*opts = defaults;
	opts->version = version;
	return LM_OK;
}

/* "YYYY-QN" in any case into `out` as "YYYY-QN"; false when it is not
 * one. */
static bool period_canonical(const char *p, char out[8])
{
	int i;

	if (strlen(p) != 7 || p[4] != '-' || (p[5] != 'Q' && p[5] != 'q') ||
	    p[6] < '1' || p[6] > '4')
		return false;
	for (i = 0; i < 4; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	memcpy(out, p, 8);
	out[5] = 'Q';
	return true;
}

/* People per garden: LM_MEETING_PEOPLE unless the options say otherwise.
 * `people` has one slot per garden. */
static int people_fill(lm_catalog *cat, const lm_meeting_options *o,
                       int *people)
{
	size_t ng = cat->gardens.n, i;
	bool *given = NULL;
	int rc = LM_OK;

	for (i = 0; i < ng; i++)
		people[i] = LM_MEETING_PEOPLE;
	if (!o->attendee_count)
		return LM_OK;
	if (!o->attendees)
		return lmi_err_set(&cat->err, LM_EINVAL,
		                  "attendee_count is %zu but attendees is NULL",
		                  o->attendee_count);
	given = calloc(ng ? ng : 1, sizeof *given);
	if (!given)
		return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	for (i = 0; i < o->attendee_count; i++) {
		const lm_meeting_attendees *at = &o->attendees[i];
		uint32_t g;

		if (!at->garden) {
			rc = lmi_err_set(&cat->err, LM_EINVAL,
			                "attendees[%zu] names no garden", i);
			goto cleanup;
		}
		if (at->people < 0 || at->people > LM_MEETING_PEOPLE_MAX) {
			rc = lmi_err_set(&cat->err, LM_EINVAL,
			                "%d people from '%s' is outside 0..%d",
			                at->people, at->garden, LM_MEETING_PEOPLE_MAX);
			goto cleanup;
		}
		if ((rc = lmi_catalog_find_ix(cat, LM_GARDEN, at->garden, &g)))
			goto cleanup;
		/* The same number twice is harmless; two different ones are a
		 * mistake that the later one must not silently hide. */
		if (given[g] && people[g] != at->people) {
			rc = lmi_err_set(&cat->err, LM_EINVAL,
			                "garden '%s' is given both %d and %d people",
			                cat->gardens.v[g].id, people[g], at->people);
			goto cleanup;
		}
		given[g] = true;
		people[g] = at->people;
	}
cleanup:
	free(given);
	return rc;
}

/* The candidate places as indices, in id order and each once, into a new
 * array *out of *n. */
static int places_pick(lm_catalog *cat, const lm_meeting_options *o,
                       uint32_t **out, size_t *n)
{
	size_t np = cat->places.n, i, k = 0;
	bool all = o->place_count == 0;
	bool *pick = NULL;
	uint32_t *v = NULL;
	int rc = LM_OK;

	*out = NULL;
	*n = 0;
	if (!all && !o->places)
		return lmi_err_set(&cat->err, LM_EINVAL,
		                  "place_count is %zu but places is NULL",
		                  o->place_count);
	pick = calloc(np ? np : 1, sizeof *pick);
	v = malloc((np ? np : 1) * sizeof *v);
	if (!pick || !v) {
		rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; !all && i < o->place_count; i++) {
		uint32_t p;

		if (!o->places[i]) {
			rc = lmi_err_set(&cat->err, LM_EINVAL,
			                "places[%zu] is NULL", i);
			goto cleanup;
		}
		if ((rc = lmi_catalog_find_ix(cat, LM_PLACE, o->places[i], &p)))
			goto cleanup;
		pick[p] = true;
	}
	for (i = 0; i < np; i++)
		if (all || pick[i])
			v[k++] = (uint32_t)i;
	*out = v;
	*n = k;
	v = NULL;
cleanup:
	free(pick);
	free(v);
	return rc;
}

/* Everyone's trips to place `p`, filling the venue (but not its rank). */
static void venue_fill(const lm_catalog *cat, uint32_t p, const int *people,
                       lm_meeting_venue *v, lm_meeting_trip *trips)
{
	const lmi_resolved *r = &cat->r;
	const lm_settings *s = &cat->eff;
	size_t g;

	memset(v, 0, sizeof *v);
	v->place_index = p;
	v->place = cat->places.v[p].id;
	v->name = cat->places.v[p].name;
	v->trip_count = cat->gardens.n;
	v->trips = trips;
	for (g = 0; g < cat->gardens.n; g++) {
		lm_meeting_trip *t = &trips[g];
		uint32_t from = r->garden_place[g];
		bool table;

		t->garden = cat->gardens.v[g].id;
		t->from = cat->places.v[from].id;
		t->people = people[g];
		t->km = lmi_geo_km_src(cat, from, r->place_lat[from],
		                       r->place_lon[from], p, r->place_lat[p],
		                       r->place_lon[p], &table);
		t->from_table = table;
		t->minutes = t->km / s->speed_kmh * 60.0;
		t->nok = 2.0 * t->km * s->km_rate_nok;
		t->total_km = (double)t->people * 2.0 * t->km;
		t->total_minutes = (double)t->people * 2.0 * t->minutes;
		t->total_nok = (double)t->people * t->nok;
		v->total_km += t->total_km;
		v->total_minutes += t->total_minutes;
		v->total_nok += t->total_nok;
		if (t->people > 0 && t->km > v->longest_km)
			v->longest_km = t->km;
	}
}

/* Rank order: less total travel first, then the place id (index order is
 * id order). */
static int cmp_rank(const void *pa, const void *pb)
{
	const lm_meeting_venue *a = pa, *b = pb;

	if (a->total_km != b->total_km)
		return a->total_km < b->total_km ? -1 : 1;
	return a->place_index < b->place_index ? -1
	       : a->place_index > b->place_index;
}

LM_EXTERN int lm_meeting_rank(lm_catalog *cat, const lm_meeting_options *opts,
                              lm_meeting **out)
{
	lm_meeting_options defaults = LM_MEETING_OPTIONS_INIT;
	size_t ng, i, n = 0;
	uint32_t *cand = NULL;
	int *people = NULL;
	lm_meeting *m = NULL;
	char cur[16];
	int rc;

	if (!out)
		return LM_EINVAL;
	*out = NULL;
	if (!cat)
		return LM_EINVAL;
	lmi_err_clear(&cat->err);
	if (!opts)
		opts = &defaults;
	if (opts->version < 1 || opts->version > LM_MEETING_OPTIONS_VERSION)
		return lmi_err_set(&cat->err, LM_EINVAL,
		                  "meeting options version %u is not supported",
		                  opts->version);
	ng = cat->gardens.n;

	m = calloc(1, sizeof *m);
	people = malloc((ng ? ng : 1) * sizeof *people);
	if (!m || !people) {
		rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (!opts->period) {
		if (lm_period_current(-1, cur, sizeof cur) != LM_OK) {
			rc = lmi_err_set(&cat->err, LM_ERROR,
			                "cannot tell the current quarter");
			goto cleanup;
		}
		memcpy(m->period, cur, sizeof m->period);
	} else if (!period_canonical(opts->period, m->period)) {
		rc = lmi_err_set(&cat->err, LM_EINVAL,
		                "'%s' is not a quarter like 2026-Q4",
		                opts->period);
		goto cleanup;
	}
	if ((rc = people_fill(cat, opts, people)) ||
	    (rc = places_pick(cat, opts, &cand, &n)))
		goto cleanup;
	for (i = 0; i < ng; i++)
		m->people += (size_t)people[i];

	/* One trip per venue and garden: n * ng of them, a product that
	 * could only overflow for absurd catalogues, but is checked. */
	if (ng && n > SIZE_MAX / ng) {
		rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	m->venues = calloc(n ? n : 1, sizeof *m->venues);
	m->trips = lmi_reallocarray(NULL, n && ng ? n * ng : 1, sizeof *m->trips);
	if (!m->venues || !m->trips) {
		rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
		goto cleanup;
	}
	m->n_venues = n;
	for (i = 0; i < n; i++)
		venue_fill(cat, cand[i], people, &m->venues[i], &m->trips[i * ng]);
	/* Sorting moves the venues, not their trips: each keeps its pointer. */
	qsort(m->venues, n, sizeof *m->venues, cmp_rank);
	for (i = 0; i < n; i++) {
		const lm_meeting_venue *v = &m->venues[i];
		const lm_meeting_venue *f = &m->venues[m->best_fair];

		m->venues[i].rank = i + 1;
		/* Rank order already breaks ties by total, then id: the first
		 * venue with the shortest longest trip is the fair one. */
		if (v->longest_km < f->longest_km)
			m->best_fair = i;
	}
	*out = m;
	m = NULL;
	rc = LM_OK;
cleanup:
	lm_meeting_free(m);
	free(people);
	free(cand);
	return rc;
}

LM_EXTERN const char *lm_meeting_period(const lm_meeting *m)
{
	return m ? m->period : NULL;
}

LM_EXTERN size_t lm_meeting_people(const lm_meeting *m)
{
	return m ? m->people : 0;
}

LM_EXTERN size_t lm_meeting_venue_count(const lm_meeting *m)
{
	return m ? m->n_venues : 0;
}

LM_EXTERN const lm_meeting_venue *lm_meeting_venue_get(const lm_meeting *m,
                                                       size_t i)
{
	return m && i < m->n_venues ? &m->venues[i] : NULL;
}

LM_EXTERN const lm_meeting_venue *lm_meeting_best_total(const lm_meeting *m)
{
	return lm_meeting_venue_get(m, 0);
}

LM_EXTERN const lm_meeting_venue *lm_meeting_best_fair(const lm_meeting *m)
{
	return m ? lm_meeting_venue_get(m, m->best_fair) : NULL;
}

LM_EXTERN void lm_meeting_free(lm_meeting *m)
{
	if (!m)
		return;
	free(m->venues);
	free(m->trips);
	free(m);
}
