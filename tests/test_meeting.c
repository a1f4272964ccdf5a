/* SPDX-License-Identifier: MIT */
/*
 * test_meeting.c -- where to hold the joint meeting (engine/meeting.c):
 * exact km, minutes and NOK on a small catalogue worked out by hand (the
 * distances table against the great circle, the road factor, gardens
 * that stay home, ties), the errors a caller acts on, and on random
 * catalogues the best total and the fair choice against brute force.
 */
#include "lm_test.h"

#include "engine/geo.h"

#include <math.h>
#include <stdlib.h>

/* Four places on the meridian 0, 1, 2 and 4 degrees north: along a
 * meridian the great circle is exactly the arc, DEG km a degree, and the
 * road factor makes it ROAD a degree.  One road distance, a--c, 150 km,
 * beats the 2 degrees (333.6 km) the great circle would give. */
static const char hand_yaml[] =
	"places:\n"
	"  - {id: a, name: Alfa, lat: 0, lon: 0}\n"
	"  - {id: b, name: Bravo, lat: 1, lon: 0}\n"
	"  - {id: c, name: Charlie, lat: 2, lon: 0}\n"
	"  - {id: d, name: Delta, lat: 4, lon: 0}\n"
	"gardens:\n"
	"  - {id: north, name: Nordre Næringshage, place: d}\n"
	"  - {id: south, name: Søndre Næringshage, place: a}\n"
	"  - {id: middle, name: Midtre Næringshage, place: b}\n"
	"distances:\n"
	"  - {from: c, to: a, km: 150}\n"
	"settings: {road_factor: 1.5, speed_kmh: 60, km_rate_nok: 5}\n";

#define DEG (LM_EARTH_RADIUS_KM * 3.14159265358979323846 / 180.0)
#define ROAD (1.5 * DEG) /* 166.79262035 km */
#define EPS 1e-9

/* a within eps of b (cmocka's assert_float_equal works in float). */
#define assert_near(a, b, eps) near_((a), (b), (eps), #a, __LINE__)
static void near_(double a, double b, double eps, const char *what, int line)
{
	if (!(fabs(a - b) <= eps))
		fail_msg("line %d: %s is %.17g, want %.17g (within %g)", line, what,
		         a, b, eps);
}

/* The venue ranked i (0-based), which must be place `id`. */
static const lm_meeting_venue *venue(const lm_meeting *m, size_t i,
                                     const char *id)
{
	const lm_meeting_venue *v = lm_meeting_venue_get(m, i);
	assert_non_null(v);
	assert_string_equal(v->place, id);
	assert_int_equal(v->rank, i + 1);
	assert_int_equal(v->trip_count, 3);
	return v;
}

/* The trip of garden `g` (gardens come in id order: middle, north,
 * south). */
static void trip_is(const lm_meeting_venue *v, size_t g, const char *garden,
                    int people, double km, bool table)
{
	const lm_meeting_trip *t = &v->trips[g];
	assert_string_equal(t->garden, garden);
	assert_int_equal(t->people, people);
	assert_near(t->km, km, EPS);
	assert_int_equal(t->from_table, table);
	/* 60 km/h: a minute a km; 5 NOK a km, there and back. */
	assert_near(t->minutes, km, EPS);
	assert_near(t->nok, 10.0 * km, EPS);
	assert_near(t->total_km, people * 2.0 * km, EPS);
	assert_near(t->total_minutes, people * 2.0 * km, EPS);
	assert_near(t->total_nok, people * 10.0 * km, EPS);
}

static void test_hand_defaults(void **state)
{
	lm_catalog *cat = *state;
	lm_meeting *m = NULL;
	const lm_meeting_venue *v;

	assert_int_equal(lm_meeting_rank(cat, NULL, &m), LM_OK);
	assert_int_equal(lm_meeting_venue_count(m), 4);
	assert_int_equal(lm_meeting_people(m), 6);
	/* Every delegation of 2: totals are 4 x the sum of one-way km.
	 * c: 150 (table) + 1 + 2 degrees = 150 + 3 ROAD = 650.38 -> 2601.5 */
	v = venue(m, 0, "c");
	assert_string_equal(v->name, "Charlie");
	trip_is(v, 0, "middle", 2, ROAD, false);
	trip_is(v, 1, "north", 2, 2 * ROAD, false);
	trip_is(v, 2, "south", 2, 150.0, true);
	assert_near(v->total_km, 4 * (150.0 + 3 * ROAD), EPS);
	assert_near(v->total_km, 2601.5114442035, 1e-6);
	assert_near(v->total_minutes, v->total_km, EPS);
	assert_near(v->total_nok, 5 * v->total_km, EPS);
	assert_near(v->longest_km, 2 * ROAD, EPS);
	/* b: 1 + 3 degrees = 4 ROAD -> 2668.7 */
	v = venue(m, 1, "b");
	trip_is(v, 0, "middle", 2, 0.0, false);
	trip_is(v, 1, "north", 2, 3 * ROAD, false);
	trip_is(v, 2, "south", 2, ROAD, false);
	assert_near(v->total_km, 16 * ROAD, EPS);
	assert_near(v->longest_km, 3 * ROAD, EPS);
	/* a: 1 + 4 degrees = 5 ROAD; d: 3 + 4 = 7 ROAD. */
	v = venue(m, 2, "a");
	assert_near(v->total_km, 20 * ROAD, EPS);
	assert_near(v->longest_km, 4 * ROAD, EPS);
	v = venue(m, 3, "d");
	assert_near(v->total_km, 28 * ROAD, EPS);
	assert_near(v->longest_km, 4 * ROAD, EPS);
	assert_null(lm_meeting_venue_get(m, 4));
	/* c is also where the longest trip (2 degrees) is shortest. */
	assert_string_equal(lm_meeting_best_total(m)->place, "c");
	assert_string_equal(lm_meeting_best_fair(m)->place, "c");
	lm_meeting_free(m);
}

/* A big delegation moves the best total to its own place, while the
 * fair choice stays where the longest trip is shortest. */
static void test_hand_attendees(void **state)
{
	lm_catalog *cat = *state;
	lm_meeting *m = NULL;
	lm_meeting_attendees at[] = {{"MIDTRE NÆRINGSHAGE", 10}};
	lm_meeting_options o = LM_MEETING_OPTIONS_INIT;
	const lm_meeting_venue *v;

	o.attendees = at;
	o.attendee_count = 1;
	o.period = "2027-q2";
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_OK);
	assert_string_equal(lm_meeting_period(m), "2027-Q2");
	assert_int_equal(lm_meeting_people(m), 14);
	/* b: 2*2*ROAD + 0 + 2*2*3 ROAD = 16 ROAD */
	v = venue(m, 0, "b");
	trip_is(v, 0, "middle", 10, 0.0, false);
	assert_near(v->total_km, 16 * ROAD, EPS);
	/* c: 10*2*ROAD + 2*2*2 ROAD + 2*2*150 = 28 ROAD + 600 */
	v = venue(m, 1, "c");
	trip_is(v, 0, "middle", 10, ROAD, false);
	assert_near(v->total_km, 28 * ROAD + 600.0, EPS);
	/* a: 20 ROAD + 16 ROAD; d: 60 ROAD + 16 ROAD */
	v = venue(m, 2, "a");
	assert_near(v->total_km, 36 * ROAD, EPS);
	v = venue(m, 3, "d");
	assert_near(v->total_km, 76 * ROAD, EPS);
	assert_string_equal(lm_meeting_best_total(m)->place, "b");
	assert_string_equal(lm_meeting_best_fair(m)->place, "c");
	assert_near(lm_meeting_best_fair(m)->longest_km, 2 * ROAD, EPS);
	lm_meeting_free(m);
}

/* A garden that stays home counts neither in the total nor in the
 * longest trip; equal venues are ranked by place id. */
static void test_hand_stay_home_and_ties(void **state)
{
	lm_catalog *cat = *state;
	lm_meeting *m = NULL;
	lm_meeting_attendees at[] = {{"north", 0}, {"north", 0}};
	lm_meeting_options o = LM_MEETING_OPTIONS_INIT;
	const lm_meeting_venue *v;

	o.attendees = at;
	o.attendee_count = 2; /* the same number twice is allowed */
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_OK);
	assert_int_equal(lm_meeting_people(m), 4);
	/* a and b: one degree for one delegation of 2, both ways: a tie in
	 * total and in the longest trip, broken by id. */
	v = venue(m, 0, "a");
	trip_is(v, 1, "north", 0, 4 * ROAD, false);
	assert_near(v->total_km, 4 * ROAD, EPS);
	assert_near(v->longest_km, ROAD, EPS);
	v = venue(m, 1, "b");
	assert_true(v->total_km == lm_meeting_venue_get(m, 0)->total_km);
	assert_near(v->longest_km, ROAD, EPS);
	venue(m, 2, "c"); /* 600 + 4 ROAD */
	venue(m, 3, "d"); /* 2*2*3 ROAD + 2*2*4 ROAD */
	assert_near(lm_meeting_venue_get(m, 3)->total_km, 28 * ROAD, EPS);
	assert_string_equal(lm_meeting_best_total(m)->place, "a");
	assert_string_equal(lm_meeting_best_fair(m)->place, "a");
	lm_meeting_free(m);

	/* Nobody travels: every venue ties at 0, in id order. */
	lm_meeting_attendees none[] = {{"north", 0}, {"south", 0}, {"middle", 0}};
	o.attendees = none;
	o.attendee_count = 3;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_OK);
	assert_int_equal(lm_meeting_people(m), 0);
	v = venue(m, 0, "a");
	assert_true(v->total_km == 0 && v->longest_km == 0 && v->total_nok == 0);
	venue(m, 3, "d");
	assert_string_equal(lm_meeting_best_fair(m)->place, "a");
	lm_meeting_free(m);
}

/* Candidate places by id or name, each once, ranked as the others. */
static void test_hand_places(void **state)
{
	lm_catalog *cat = *state;
	lm_meeting *m = NULL;
	const char *places[] = {"DELTA", "b", "Bravo"};
	lm_meeting_options o = LM_MEETING_OPTIONS_INIT;

	o.places = places;
	o.place_count = 3;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_OK);
	assert_int_equal(lm_meeting_venue_count(m), 2);
	venue(m, 0, "b");
	venue(m, 1, "d");
	assert_string_equal(lm_meeting_best_total(m)->place, "b");
	assert_string_equal(lm_meeting_best_fair(m)->place, "b");
	lm_meeting_free(m);
}

static void test_errors(void **state)
{
	lm_catalog *cat = *state;
	lm_meeting *m = (lm_meeting *)&m; /* must be reset to NULL */
	lm_meeting_options o = LM_MEETING_OPTIONS_INIT;
	lm_meeting_attendees at[2] = {{"nort", 1}, {NULL, 0}};
	const char *places[] = {"Charly"};

	/* An unknown garden, with the one it probably meant. */
	o.attendees = at;
	o.attendee_count = 1;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_ENOTFOUND);
	assert_null(m);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "unknown garden 'nort'"));
	assert_non_null(strstr(lm_catalog_errmsg(cat), "did you mean 'north'"));
	/* An unknown place, the same way. */
	o = (lm_meeting_options)LM_MEETING_OPTIONS_INIT;
	o.places = places;
	o.place_count = 1;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_ENOTFOUND);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "did you mean 'c'"));

	/* Options of a version this library does not know. */
	o = (lm_meeting_options)LM_MEETING_OPTIONS_INIT;
	o.version = 0;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_EINVAL);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "version 0"));
	o.version = LM_MEETING_OPTIONS_VERSION + 1;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_EINVAL);
	assert_null(m);

	/* People outside 0..LM_MEETING_PEOPLE_MAX; two numbers for one
	 * garden; no garden. */
	o = (lm_meeting_options)LM_MEETING_OPTIONS_INIT;
	o.attendees = at;
	o.attendee_count = 1;
	at[0] = (lm_meeting_attendees){"north", -1};
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_EINVAL);
	at[0].people = LM_MEETING_PEOPLE_MAX + 1;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_EINVAL);
	at[0].people = LM_MEETING_PEOPLE_MAX;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_OK);
	lm_meeting_free(m);
	at[1] = (lm_meeting_attendees){"Nordre Næringshage", 3};
	o.attendee_count = 2;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_EINVAL);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "both"));
	at[1].garden = NULL;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_EINVAL);
	o.attendees = NULL;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_EINVAL);
	o = (lm_meeting_options)LM_MEETING_OPTIONS_INIT;
	o.place_count = 1;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_EINVAL);

	/* Periods: YYYY-QN in any case, nothing else. */
	static const char *bad[] = {"2026-Q5", "2026-Q0", "2026Q1", "26-Q1",
	                            "2026-X1", "2026-Q12", "", "２０２６-Q1"};
	o = (lm_meeting_options)LM_MEETING_OPTIONS_INIT;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		o.period = bad[i];
		assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_EINVAL);
		assert_non_null(strstr(lm_catalog_errmsg(cat), "not a quarter"));
	}
	o.period = NULL;
	assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_OK);
	char cur[16];
	assert_int_equal(lm_period_current(-1, cur, sizeof cur), LM_OK);
	assert_string_equal(lm_meeting_period(m), cur);
	lm_meeting_free(m);

	/* NULL arguments. */
	assert_int_equal(lm_meeting_rank(cat, NULL, NULL), LM_EINVAL);
	m = (lm_meeting *)&m;
	assert_int_equal(lm_meeting_rank(NULL, NULL, &m), LM_EINVAL);
	assert_null(m);
	assert_null(lm_meeting_period(NULL));
	assert_int_equal(lm_meeting_venue_count(NULL), 0);
	assert_null(lm_meeting_venue_get(NULL, 0));
	assert_null(lm_meeting_best_total(NULL));
	assert_null(lm_meeting_best_fair(NULL));
	lm_meeting_free(NULL);
}

static void test_options_init(void **state)
{
	(void)state;
	lm_meeting_options o, want = LM_MEETING_OPTIONS_INIT;

	memset(&o, 0xa5, sizeof o);
	assert_int_equal(lm_meeting_options_init(&o, LM_MEETING_OPTIONS_VERSION),
	                 LM_OK);
	assert_int_equal(o.version, want.version);
	assert_null(o.period);
	assert_null(o.attendees);
	assert_int_equal(o.attendee_count, 0);
	assert_null(o.places);
	assert_int_equal(o.place_count, 0);
	assert_int_equal(lm_meeting_options_init(&o, 0), LM_EINVAL);
	assert_int_equal(lm_meeting_options_init(&o, LM_MEETING_OPTIONS_VERSION + 1),
	                 LM_EINVAL);
	assert_int_equal(lm_meeting_options_init(NULL, 1), LM_EINVAL);
}

/* An empty catalogue has nowhere to meet: no venues, and no error. */
static void test_empty(void **state)
{
	(void)state;
	lm_catalog *cat = NULL;
	lm_meeting *m = NULL;

	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	assert_int_equal(lm_meeting_rank(cat, NULL, &m), LM_OK);
	assert_int_equal(lm_meeting_venue_count(m), 0);
	assert_null(lm_meeting_best_total(m));
	assert_null(lm_meeting_best_fair(m));
	lm_meeting_free(m);
	lm_catalog_free(cat);
}

/* ---- random catalogues against brute force ------------------------------ */

enum { MAX_P = 30, MAX_G = 6 };

typedef struct world {
	int np, ng;
	double lat[MAX_P], lon[MAX_P];
	double table[MAX_P][MAX_P]; /* < 0: not in the table */
	int garden_place[MAX_G], people[MAX_G];
	double road_factor;
} world;

static char *gen_world(uint64_t *rng, world *w)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i, j, k;

	assert_non_null(f);
	w->np = lmt_int(rng, 1, MAX_P);
	w->ng = lmt_int(rng, 1, MAX_G);
	/* Quarter-degree steps make exact ties between places likely. */
	w->road_factor = 1.0 + 0.25 * lmt_int(rng, 0, 4);
	fprintf(f, "places:\n");
	for (i = 0; i < w->np; i++) {
		w->lat[i] = 59.5 + 0.25 * lmt_int(rng, 0, 12);
		w->lon[i] = 10.5 + 0.25 * lmt_int(rng, 0, 9);
		fprintf(f, "  - {id: p%02d, name: Place %d, lat: %.2f, lon: %.2f}\n",
		        i, i, w->lat[i], w->lon[i]);
		for (j = 0; j < w->np; j++)
			w->table[i][j] = -1;
	}
	fprintf(f, "gardens:\n");
	for (i = 0; i < w->ng; i++) {
		w->garden_place[i] = lmt_int(rng, 0, w->np - 1);
		w->people[i] = LM_MEETING_PEOPLE;
		fprintf(f, "  - {id: g%d, name: Garden %d, place: p%02d}\n", i, i,
		        w->garden_place[i]);
	}
	if (w->np > 1) {
		fprintf(f, "distances:\n");
		for (k = lmt_int(rng, 1, 10); k > 0; k--) {
			i = lmt_int(rng, 0, w->np - 1);
			j = lmt_int(rng, 0, w->np - 1);
			if (i == j || w->table[i][j] >= 0)
				continue;
			w->table[i][j] = w->table[j][i] = lmt_int(rng, 5, 300);
			fprintf(f, "  - {from: p%02d, to: p%02d, km: %.0f}\n", i, j,
			        w->table[i][j]);
		}
	}
	fprintf(f, "settings: {road_factor: %.2f}\n", w->road_factor);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static double brute_km(const world *w, int from, int to)
{
	if (from != to && w->table[from][to] >= 0)
		return w->table[from][to];
	return lm_haversine_km(w->lat[from], w->lon[from], w->lat[to],
	                       w->lon[to]) * w->road_factor;
}

static void test_against_brute_force(void **state)
{
	(void)state;
	uint64_t rng = 20260917;

	for (int round = 0; round < 300; round++) {
		world w;
		char *yaml = gen_world(&rng, &w);
		lm_catalog *cat = lmt_load(yaml);
		lm_meeting_attendees at[MAX_G];
		lm_meeting_options o = LM_MEETING_OPTIONS_INIT;
		lm_meeting *m = NULL;
		char ids[MAX_G][16];
		double min_total = INFINITY, min_longest = INFINITY;
		int n_at = 0;

		for (int g = 0; g < w.ng; g++) {
			if (lmt_int(&rng, 0, 2))
				continue;
			w.people[g] = lmt_int(&rng, 0, 5);
			snprintf(ids[g], sizeof ids[g], "g%d", g);
			at[n_at++] = (lm_meeting_attendees){ids[g], w.people[g]};
		}
		o.attendees = at;
		o.attendee_count = (size_t)n_at;
		assert_int_equal(lm_meeting_rank(cat, &o, &m), LM_OK);
		assert_int_equal(lm_meeting_venue_count(m), w.np);

		/* Brute force: every place, every garden, from the world the
		 * catalogue was written from. */
		for (int p = 0; p < w.np; p++) {
			double total = 0, longest = 0;
			for (int g = 0; g < w.ng; g++) {
				double km = brute_km(&w, w.garden_place[g], p);
				total += w.people[g] * 2.0 * km;
				if (w.people[g] > 0 && km > longest)
					longest = km;
			}
			if (total < min_total)
				min_total = total;
			if (longest < min_longest)
				min_longest = longest;
		}
		const lm_meeting_venue *b = lm_meeting_best_total(m);
		const lm_meeting_venue *f = lm_meeting_best_fair(m);
		assert_near(b->total_km, min_total, 1e-9 * (1 + min_total));
		assert_near(f->longest_km, min_longest, 1e-9 * (1 + min_longest));

		/* Every venue: the trips add up, the km are the engine's,
		 * the ranking is in order, and no venue beats the fair one
		 * on its own terms. */
		for (size_t i = 0; i < lm_meeting_venue_count(m); i++) {
			const lm_meeting_venue *v = lm_meeting_venue_get(m, i);
			const lm_meeting_venue *prev = i ? lm_meeting_venue_get(m, i - 1) : NULL;
			double sum = 0;
			int p = (int)v->place_index;

			assert_int_equal(v->rank, i + 1);
			assert_int_equal(v->trip_count, w.ng);
			if (prev)
				assert_true(prev->total_km < v->total_km ||
				            (prev->total_km == v->total_km &&
				             strcmp(prev->place, v->place) < 0));
			for (int g = 0; g < w.ng; g++) {
				const lm_meeting_trip *t = &v->trips[g];
				int from = w.garden_place[g];
				double eng = lmi_geo_km(cat, (uint32_t)from, w.lat[from],
				                        w.lon[from], (uint32_t)p, w.lat[p],
				                        w.lon[p]);
				assert_true(t->km == eng);
				assert_near(t->km, brute_km(&w, from, p), 1e-9);
				assert_int_equal(t->people, w.people[g]);
				sum += t->total_km;
			}
			assert_near(v->total_km, sum, 1e-9 * (1 + sum));
			assert_true(v->longest_km > f->longest_km ||
			            (v->longest_km == f->longest_km &&
			             (v->total_km > f->total_km ||
			              (v->total_km == f->total_km &&
			               strcmp(v->place, f->place) >= 0))));
		}
		assert_ptr_equal(b, lm_meeting_venue_get(m, 0));
		lm_meeting_free(m);
		lm_catalog_free(cat);
		free(yaml);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		lmt_catalog_test(test_hand_defaults, hand_yaml),
		lmt_catalog_test(test_hand_attendees, hand_yaml),
		lmt_catalog_test(test_hand_stay_home_and_ties, hand_yaml),
		lmt_catalog_test(test_hand_places, hand_yaml),
		lmt_catalog_test(test_errors, hand_yaml),
		cmocka_unit_test(test_options_init),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_against_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
