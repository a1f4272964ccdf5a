/* SPDX-License-Identifier: MIT */
/*
 * top_matches.c -- load YAML profiles into memory (no database) and print
 * the best experts for one need, with the components of each score.
 *
 *   top_matches PROFILES-DIR NEED-ID [K]
 *
 * Uses only the public API in libmatch.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include <libmatch.h>

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s PROFILES-DIR NEED-ID [K]\n", argv[0]);
		return 2;
	}
	lm_catalog *cat = NULL;
	lm_ranking *top = NULL;
	int status = 1;
	const char *paths[] = {argv[1]};

	if (lm_catalog_new(&cat) != LM_OK) {
		fprintf(stderr, "out of memory\n");
		goto done;
	}
	if (lm_catalog_load_paths(cat, paths, 1) != LM_OK) {
		for (size_t i = 0; i < lm_catalog_diag_count(cat); i++) {
			const lm_diag *d = lm_catalog_diag(cat, i);
			fprintf(stderr, "%s:%u:%u: %s\n", d->file ? d->file : "?",
			        d->line, d->column, d->message);
		}
		if (!lm_catalog_diag_count(cat))
			fprintf(stderr, "%s\n", lm_catalog_errmsg(cat));
		goto done;
	}

	lm_match_options opts = LM_MATCH_OPTIONS_INIT;
	opts.k = argc == 4 ? (size_t)strtoul(argv[3], NULL, 10) : 5;
	if (lm_rank_need(cat, argv[2], &opts, &top) != LM_OK) {
		fprintf(stderr, "%s\n", lm_catalog_errmsg(cat));
		goto done;
	}
	printf("%zu feasible experts for %s; the best %zu:\n",
	       lm_ranking_feasible(top), argv[2], lm_ranking_count(top));
	for (size_t i = 0; i < lm_ranking_count(top); i++) {
		const lm_match *m = lm_ranking_get(top, i);
		printf("%2zu. %-22s %-13s %6.2f = skill %5.2f + distance %5.2f"
		       "  (%.0f km, %.0f min, %.0f NOK)\n",
		       i + 1, m->expert_name, m->garden, m->score,
		       m->components.skill_points, m->components.distance_points,
		       m->distance_km, m->travel_minutes, m->travel_cost_nok);
	}
	status = 0;
done:
	lm_ranking_free(top);
	lm_catalog_free(cat);
	return status;
}
