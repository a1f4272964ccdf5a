/* SPDX-License-Identifier: MIT */
/*
 * lm_gen.h -- random catalogues for the tests that compare the engine with
 * brute force or with another path (test_rank.c, test_image.c): places,
 * gardens, a random skill tree, companies, road distances, experts with
 * every kind of home, limit, language and conflict, and needs in every
 * mode with weights, optional skills, languages and limits.
 */
#ifndef LM_GEN_H
#define LM_GEN_H

#include "lm_test.h"

#include <stdio.h>

enum { N_PLACES = 25, N_SKILLS = 12, N_COMPANIES = 10 };

static const char *const langs[] = {"nb", "en", "sv"};

/* Pick n distinct skills in a random order. */
static void gen_skill_set(uint64_t *rng, int n, int *picked)
{
	int i, j;

	for (i = 0; i < n; i++) {
		int s;

		do {
			s = lmt_int(rng, 0, N_SKILLS - 1);
			for (j = 0; j < i && picked[j] != s; j++)
				;
		} while (j < i);
		picked[i] = s;
	}
}

/* A random catalogue.  With `twins`, every expert comes with two
 * siblings: "<id>-far" equal except its home (coordinates), "<id>-up"
 * equal except one skill a level higher.  The caller frees the text. */
static char *gen_catalog(uint64_t seed, int n_experts, int n_needs, bool twins)
{
	uint64_t rng = seed;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i, j;

	assert_non_null(f);
	fprintf(f, "places:\n");
	for (i = 0; i < N_PLACES; i++)
		fprintf(f, "  - {id: p%d, name: Place %d, lat: %.6f, lon: %.6f}\n",
		        i, i, lmt_real(&rng, 59.5, 62.8), lmt_real(&rng, 10.5, 12.8));
	fprintf(f, "gardens:\n  - {id: g1, name: G1, place: p0}\n"
	           "  - {id: g2, name: G2, place: p1}\n");
	fprintf(f, "skills:\n");
	for (i = 0; i < N_SKILLS; i++) {
		fprintf(f, "  - {id: s%02d, label: Skill %d", i, i);
		if (i > 0 && lmt_int(&rng, 0, 9) < 6)
			fprintf(f, ", parent: s%02d", lmt_int(&rng, 0, i - 1));
		fprintf(f, "}\n");
	}
	fprintf(f, "companies:\n");
	for (i = 0; i < N_COMPANIES; i++)
		fprintf(f, "  - {id: c%d, name: Company %d, place: p%d}\n", i, i,
		        lmt_int(&rng, 0, N_PLACES - 1));
	fprintf(f, "distances:\n");
	for (i = 0; i < 8; i++)
		fprintf(f, "  - {from: p%d, to: p%d, km: %.1f}\n", 2 * i, 2 * i + 1,
		        lmt_real(&rng, 20, 350));

	fprintf(f, "experts:\n");
	for (i = 0; i < n_experts; i++) {
		int picked[4], levels[4], ns = lmt_int(&rng, 1, 4), t, copies;
		int garden = lmt_int(&rng, 1, 2), remote = lmt_int(&rng, 0, 9) < 8;
		int home = lmt_int(&rng, 0, 3) == 0 ? -1
		                                   : lmt_int(&rng, 0, N_PLACES - 1);
		double lat = lmt_real(&rng, 59.5, 62.8), lon = lmt_real(&rng, 10.5, 12.8);
		double far_lat = lmt_real(&rng, 59.5, 62.8);
		double far_lon = lmt_real(&rng, 10.5, 12.8);
		int maxkm = lmt_int(&rng, 0, 9) < 3 ? lmt_int(&rng, 100, 300) : 0;
		int conflict = lmt_int(&rng, 0, 9) == 0 ? lmt_int(&rng, 0, N_COMPANIES - 1)
		                                       : -1;
		int capacity = lmt_int(&rng, 0, 3), lmask = lmt_int(&rng, 0, 7);
		int up = 0;

		gen_skill_set(&rng, ns, picked);
		for (j = 0; j < ns; j++)
			levels[j] = lmt_int(&rng, 1, 5);
		for (j = 0; j < ns; j++)
			if (levels[j] < 5)
				up = j;
		copies = twins ? 3 : 1;
		for (t = 0; t < copies; t++) {
			fprintf(f, "  - id: e%03d%s\n    name: Expert %d\n"
			           "    garden: g%d\n", i,
			        t == 0 ? "" : t == 1 ? "-far" : "-up", i, garden);
			if (t == 1)
				fprintf(f, "    home: {lat: %.6f, lon: %.6f}\n", far_lat,
				        far_lon);
			else if (home < 0)
				fprintf(f, "    home: {lat: %.6f, lon: %.6f}\n", lat, lon);
			else
				fprintf(f, "    home: p%d\n", home);
			fprintf(f, "    skills: {");
			for (j = 0; j < ns; j++) {
				int L = levels[j] + (t == 2 && j == up && levels[j] < 5);

				fprintf(f, "%ss%02d: %d", j ? ", " : "", picked[j], L);
			}
			fprintf(f, "}\n    capacity: %d\n    remote: %s\n", capacity,
			        remote ? "true" : "false");
			if (maxkm)
				fprintf(f, "    max_travel_km: %d\n", maxkm);
			if (lmask) {
				int first = 1;

				fprintf(f, "    languages: [");
				for (j = 0; j < 3; j++)
					if (lmask & (1 << j)) {
						fprintf(f, "%s%s", first ? "" : ", ", langs[j]);
						first = 0;
					}
				fprintf(f, "]\n");
			}
			if (conflict >= 0)
				fprintf(f, "    conflicts: [c%d]\n", conflict);
		}
	}

	fprintf(f, "needs:\n");
	for (i = 0; i < n_needs; i++) {
		int picked[3], ns = lmt_int(&rng, 1, 3), m = lmt_int(&rng, 0, 5);
		static const double weights[] = {1, 2, 0.5};

		gen_skill_set(&rng, ns, picked);
		fprintf(f, "  - id: n%02d\n    company: c%d\n    mode: %s\n", i,
		        lmt_int(&rng, 0, N_COMPANIES - 1),
		        m < 3 ? "onsite" : m < 5 ? "hybrid" : "remote");
		fprintf(f, "    skills:\n");
		for (j = 0; j < ns; j++)
			fprintf(f, "      s%02d: {level: %d, weight: %g, optional: %s}\n",
			        picked[j], lmt_int(&rng, 1, 4),
			        weights[lmt_int(&rng, 0, 2)],
			        lmt_int(&rng, 0, 4) == 0 ? "true" : "false");
		if (lmt_int(&rng, 0, 4) == 0)
			fprintf(f, "    language: sv\n");
		if (lmt_int(&rng, 0, 4) == 0)
			fprintf(f, "    max_km: %d\n", lmt_int(&rng, 100, 250));
	}
	assert_int_equal(fclose(f), 0);
	return buf;
}

#endif /* LM_GEN_H */
