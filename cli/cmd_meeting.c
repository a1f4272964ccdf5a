/* SPDX-License-Identifier: MIT */
/*
 * cmd_meeting.c -- `match meeting`: where the gardens should hold the
 * quarter's joint meeting.  Reads the places, gardens, distances and
 * settings, asks lm_meeting_rank for every candidate place ranked by
 * everyone's travel, and prints the ranking with the best total and the
 * fair choice (the shortest longest trip) as a table, JSON, or CSV/YAML
 * rows of one venue and one garden each.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Venues the table shows; JSON, CSV and YAML give every one. */
#define TABLE_VENUES 10
/* Widest place name in the table, so that a row fits 80 columns. */
#define NAME_COLS 18

/* ---- the --attendees values ---------------------------------------------------- */

/* Parse every --attendees GARDEN=N into *l, lm_meeting_attendees that
 * point into copies of their arguments, cut at the '=' (arg_values_free
 * it in every case).  The last '=' divides, so that a garden's name may
 * hold one. */
static int attendees_parse(const args *a, arg_values *l)
{
	if (!arg_values_new(l, a->attendees, a->nattendees,
	                    sizeof(lm_meeting_attendees)))
		return out_of_memory();
	lm_meeting_attendees *v = l->values;
	for (size_t i = 0; i < l->n; i++) {
		long people;
		char *eq = strrchr(l->bufs[i], '=');
		if (!eq || eq == l->bufs[i] ||
		    !parse_long(eq + 1, 0, LM_MEETING_PEOPLE_MAX, &people))
			return usage_error("bad --attendees '%s' (want GARDEN=N, N 0..%d)",
			                   a->attendees[i], LM_MEETING_PEOPLE_MAX);
		*eq = '\0';
		v[i].garden = l->bufs[i];
		v[i].people = (int)people;
	}
	return EXIT_OK;
}

/* ---- the fair choice against the best total ---------------------------------- */

/* How much more everyone travels at the fair place than at the best
 * total, in km and in percent of the best (0 when the best is 0). */
static void fair_extra(const lm_meeting *m, double *km, double *pct)
{
	const lm_meeting_venue *b = lm_meeting_best_total(m);
	const lm_meeting_venue *f = lm_meeting_best_fair(m);
	*km = *pct = 0.0;
	if (!b || !f)
		return;
	*km = f->total_km - b->total_km;
	if (b->total_km > 0)
		*pct = 100.0 * *km / b->total_km;
}

/* ---- JSON ------------------------------------------------------------------------ */

/* The members "total_km", "total_minutes" and "total_nok" of a trip or a
 * venue. */
static void json_totals(double km, double minutes, double nok)
{
	json_next_num(stdout, "total_km", km);
	json_next_num(stdout, "total_minutes", minutes);
	json_next_num(stdout, "total_nok", nok);
}

static void json_trip(const lm_meeting_trip *t)
{
	fputs("{\"garden\": ", stdout);
	json_str(stdout, t->garden);
	fprintf(stdout, ", \"people\": %d", t->people);
	json_next_num(stdout, "km", t->km);
	json_next_num(stdout, "minutes", t->minutes);
	json_next_num(stdout, "nok", t->nok);
	json_next_str(stdout, "from", t->from);
	json_totals(t->total_km, t->total_minutes, t->total_nok);
	fprintf(stdout, ", \"from_table\": %s}", t->from_table ? "true" : "false");
}

static void meeting_json(const lm_meeting *m)
{
	size_t n = lm_meeting_venue_count(m);
	const lm_meeting_venue *b = lm_meeting_best_total(m);
	const lm_meeting_venue *f = lm_meeting_best_fair(m);
	double xkm, xpct;
	fair_extra(m, &xkm, &xpct);
	fputs("{\"period\": ", stdout);
	json_str(stdout, lm_meeting_period(m));
	fprintf(stdout, ", \"people\": %zu, \"venues\": [", lm_meeting_people(m));
	for (size_t i = 0; i < n; i++) {
		const lm_meeting_venue *v = lm_meeting_venue_get(m, i);
		fprintf(stdout, "%s{\"rank\": %zu, \"place\": ", i ? ",\n  " : "\n  ",
		        v->rank);
		json_str(stdout, v->place);
		json_next_str(stdout, "name", v->name);
		json_totals(v->total_km, v->total_minutes, v->total_nok);
		json_next_num(stdout, "longest_km", v->longest_km);
		fputs(", \"gardens\": [", stdout);
		for (size_t j = 0; j < v->trip_count; j++) {
			fputs(j ? ",\n    " : "\n    ", stdout);
			json_trip(&v->trips[j]);
		}
		fputs(v->trip_count ? "\n  ]}" : "]}", stdout);
	}
	fputs(n ? "\n], \"best_total\": " : "], \"best_total\": ", stdout);
	json_str(stdout, b ? b->place : NULL);
	json_next_str(stdout, "best_fair", f ? f->place : NULL);
	json_next_num(stdout, "fair_extra_km", xkm);
	json_next_num(stdout, "fair_extra_percent", xpct);
	fputs("}\n", stdout);
}

/* ---- CSV and YAML: one row per venue and garden ---------------------------------- */

static void meeting_rows(const lm_meeting *m, out_format fmt)
{
	static const char *cols[] = {
		"rank", "place", "name", "total_km", "total_minutes", "total_nok",
		"longest_km", "best_total", "best_fair", "garden", "from", "people",
		"km", "minutes", "nok", "garden_km", "garden_minutes", "garden_nok",
		"from_table"};
	const lm_meeting_venue *b = lm_meeting_best_total(m);
	const lm_meeting_venue *f = lm_meeting_best_fair(m);
	out_table t;
	out_table_init(&t, sizeof(cols) / sizeof(*cols), cols);
	for (size_t i = 0, n = lm_meeting_venue_count(m); i < n; i++) {
		const lm_meeting_venue *v = lm_meeting_venue_get(m, i);
		for (size_t j = 0; j < v->trip_count; j++) {
			const lm_meeting_trip *tr = &v->trips[j];
			out_int(&t, (long long)v->rank);
			out_str(&t, v->place), out_str(&t, v->name);
			out_num(&t, v->total_km, 1), out_num(&t, v->total_minutes, 1);
			out_num(&t, v->total_nok, 2), out_num(&t, v->longest_km, 1);
			out_bool(&t, v == b), out_bool(&t, v == f);
			out_str(&t, tr->garden), out_str(&t, tr->from);
			out_int(&t, tr->people);
			out_num(&t, tr->km, 1), out_num(&t, tr->minutes, 1);
			out_num(&t, tr->nok, 2), out_num(&t, tr->total_km, 1);
			out_num(&t, tr->total_minutes, 1), out_num(&t, tr->total_nok, 2);
			out_bool(&t, tr->from_table);
		}
	}
	out_table_print(&t, fmt, "meeting", stdout);
	out_table_free(&t);
}

/* ---- the table for a person ------------------------------------------------------ */

/* A cell of at most NAME_COLS columns (out_term_safe cuts with an
 * ellipsis). */
static void out_name(out_table *t, const char *s)
{
	char *cut = out_term_safe(s, NAME_COLS);
	if (!cut)
		t->oom = true;
	out_str(t, cut ? cut : "?");
	free(cut);
}

/* Every delegation's trip to one venue. */
static void table_trips(const lm_meeting_venue *v, const char *why)
{
	static const char *cols[] = {"garden", "from", "people", "km", "minutes",
	                             "nok_each", "nok"};
	out_table t;
	out_tprintf(stdout, "\nTo %s (%s), per garden: km and minutes one way, "
	            "NOK both ways\n", v->name, why);
	out_table_init(&t, 7, cols);
	for (size_t j = 0; j < v->trip_count; j++) {
		const lm_meeting_trip *tr = &v->trips[j];
		out_name(&t, tr->garden), out_name(&t, tr->from);
		out_int(&t, tr->people);
		out_num(&t, tr->km, 1), out_num(&t, tr->minutes, 0);
		out_num(&t, tr->nok, 0), out_num(&t, tr->total_nok, 0);
	}
	out_table_print(&t, OUT_TABLE, "gardens", stdout);
	out_table_free(&t);
}

static void meeting_table(const lm_meeting *m)
{
	static const char *cols[] = {"rank", "place", "km", "hours", "nok",
	                             "longest_km", "choice"};
	size_t n = lm_meeting_venue_count(m), shown = n;
	const lm_meeting_venue *b = lm_meeting_best_total(m);
	const lm_meeting_venue *f = lm_meeting_best_fair(m);
	size_t ngardens = b ? b->trip_count : 0;
	out_table t;

	printf("Joint meeting %s: %zu %s from %zu garden%s, %zu candidate place%s\n",
	       lm_meeting_period(m), lm_meeting_people(m),
	       lm_meeting_people(m) == 1 ? "person" : "people", ngardens,
	       ngardens == 1 ? "" : "s", n, n == 1 ? "" : "s");
	if (!n)
		return;
	printf("km, hours and NOK: everyone's round trips; longest_km: the longest "
	       "one way\n\n");
	if (shown > TABLE_VENUES)
		shown = TABLE_VENUES;
	out_table_init(&t, 7, cols);
	for (size_t i = 0; i < n; i++) {
		const lm_meeting_venue *v = lm_meeting_venue_get(m, i);
		/* The fair choice is shown even when it ranks below the cut. */
		if (i >= shown && v != f)
			continue;
		out_int(&t, (long long)v->rank);
		out_name(&t, v->name);
		out_num(&t, v->total_km, 1), out_num(&t, v->total_minutes / 60.0, 1);
		out_num(&t, v->total_nok, 0), out_num(&t, v->longest_km, 1);
		out_str(&t, v == b && v == f ? "best, fair" : v == b ? "best total"
		            : v == f ? "fair" : "");
	}
	out_table_print(&t, OUT_TABLE, "venues", stdout);
	out_table_free(&t);
	if (n > shown)
		printf("(%zu more place%s: --format csv or json lists every one)\n",
		       n - shown, n - shown == 1 ? "" : "s");

	out_tprintf(stdout, "\nBest total:  %s, %.1f km, %.1f hours and %.0f NOK "
	            "in all;\n             the longest trip %.1f km one way\n",
	            b->name, b->total_km, b->total_minutes / 60.0, b->total_nok,
	            b->longest_km);
	if (f == b) {
		out_tprintf(stdout, "Fair choice: the same place: nowhere is the "
		            "longest trip shorter\n");
		table_trips(b, "best total and fair");
		return;
	}
	double xkm, xpct;
	fair_extra(m, &xkm, &xpct);
	out_tprintf(stdout, "Fair choice: %s, where nobody travels more than "
	            "%.1f km one way;\n             %.1f km in all, %.1f km "
	            "(%.1f %%) more than at %s\n", f->name, f->longest_km,
	            f->total_km, xkm, xpct, b->name);
	table_trips(b, "best total");
	table_trips(f, "fair");
}

/* ---- the command ------------------------------------------------------------------ */

int cmd_meeting(const args *a)
{
	if (a->npos)
		return usage_error("meeting takes no arguments (places go with --at)");
	arg_values at = {0};
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	lm_meeting *m = NULL;
	int ex = attendees_parse(a, &at);
	if (!ex)
		ex = open_catalog_kinds(a, LM_KIND_BIT(LM_PLACE) |
		                        LM_KIND_BIT(LM_GARDEN) |
		                        LM_KIND_BIT(LM_DISTANCE), &db, &cat);
	if (!ex) {
		lm_meeting_options o = LM_MEETING_OPTIONS_INIT;
		o.period = a->period;
		o.attendees = at.values;
		o.attendee_count = at.n;
		o.places = a->ats;
		o.place_count = a->nats;
		int rc = lm_meeting_rank(cat, &o, &m);
		if (rc)
			ex = cat_fail(cat, rc);
	}
	if (!ex) {
		if (a->fmt == OUT_JSON)
			meeting_json(m);
		else if (a->fmt == OUT_CSV || a->fmt == OUT_YAML)
			meeting_rows(m, a->fmt);
		else
			meeting_table(m);
	}
	lm_meeting_free(m);
	lm_catalog_free(cat);
	lm_db_close(db);
	arg_values_free(&at);
	return ex;
}
