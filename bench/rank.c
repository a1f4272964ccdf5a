/* SPDX-License-Identifier: MIT */
/*
 * rank.c -- the in-process ranking benchmark of `make bench`: reads a
 * database through the public API once, then ranks the first N stored
 * needs (top K each) with lm_rank_need and reports the time per need.
 *
 *   rank DB [-n NEEDS] [-k K] [-o RESULTS.tsv]
 *
 * Prints "read_s=... rank_s=... needs=... per_need_ms=..." on stdout; with
 * -o it writes "need<TAB>rank<TAB>expert<TAB>score" lines so that the
 * Python baselines can be checked against the same top-k.
 */
#include <libmatch.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	const char *path = NULL, *outp = NULL;
	size_t n_needs = 1000, k = 10, n, i;
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	FILE *out = NULL;
	double t0, t1, t2;
	int rc, ex = 1;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-n") && a + 1 < argc)
			n_needs = (size_t)strtoul(argv[++a], NULL, 10);
		else if (!strcmp(argv[a], "-k") && a + 1 < argc)
			k = (size_t)strtoul(argv[++a], NULL, 10);
		else if (!strcmp(argv[a], "-o") && a + 1 < argc)
			outp = argv[++a];
		else if (!path && argv[a][0] != '-')
			path = argv[a];
		else {
			fprintf(stderr, "usage: rank DB [-n NEEDS] [-k K] [-o FILE]\n");
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "usage: rank DB [-n NEEDS] [-k K] [-o FILE]\n");
		return 2;
	}
	t0 = now();
	rc = lm_db_open(path, LM_DB_READONLY, &db);
	if (!rc)
		rc = lm_db_read(db, &cat);
	if (rc) {
		fprintf(stderr, "rank: %s\n", lm_db_errmsg(db));
		goto done;
	}
	t1 = now();
	if (outp && !(out = fopen(outp, "w"))) {
		perror(outp);
		goto done;
	}
	n = lm_catalog_count(cat, LM_NEED);
	if (n > n_needs)
		n = n_needs;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	o.k = k;
	o.period = "2026-Q4"; /* fixed, so runs compare */
	size_t feasible = 0;
	for (i = 0; i < n; i++) {
		const lm_need_info *need = lm_catalog_need(cat, i);
		lm_ranking *r = NULL;

		if (!need) {
			rc = LM_ENOMEM;
			fprintf(stderr, "rank: %s\n", lm_catalog_errmsg(cat));
			goto done;
		}
		rc = lm_rank_need(cat, need->id, &o, &r);
		if (rc) {
			fprintf(stderr, "rank: %s: %s\n", need->id,
			        lm_catalog_errmsg(cat));
			goto done;
		}
		feasible += lm_ranking_feasible(r);
		for (size_t j = 0; out && j < lm_ranking_count(r); j++) {
			const lm_match *m = lm_ranking_get(r, j);

			fprintf(out, "%s\t%zu\t%s\t%.9f\n", need->id, j + 1,
			        m->expert_id, m->score);
		}
		lm_ranking_free(r);
	}
	t2 = now();
	printf("read_s=%.4f rank_s=%.4f needs=%zu per_need_ms=%.4f "
	       "feasible_per_need=%.1f experts=%zu\n", t1 - t0, t2 - t1, n,
	       n ? (t2 - t1) * 1e3 / (double)n : 0.0,
	       n ? (double)feasible / (double)n : 0.0,
	       lm_catalog_count(cat, LM_EXPERT));
	ex = 0;
done:
	if (out && fclose(out) != 0)
		ex = 1;
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}
