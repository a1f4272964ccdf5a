/* SPDX-License-Identifier: MIT */
/*
 * suggest.c -- the suggest benchmark of `make bench`: loads a taxonomy,
 * builds its suggest index (timed apart: the first lm_suggest, on the
 * first text), then runs every text of a file through lm_suggest ROUNDS
 * times.
 *
 *   suggest SKILLS.yaml TEXTS [-r ROUNDS] [-o RESULTS.tsv]
 *
 * TEXTS has one text a line as "id<TAB>text".  Prints "index_ms=... (the
 * first call) texts=... texts_per_s=..." on stdout; with -o it writes
 * "id<TAB>skill"
 * lines (one per suggestion, best first) so that bench/baselines.py scores
 * them against the labels with the same rule as for its baseline.
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

typedef struct text {
	char *id, *text;
} text;

/* The "id<TAB>text" lines of `path`; NULL on failure. */
static text *read_texts(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	text *v = NULL;
	size_t cap = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;

	*n = 0;
	if (!f)
		return NULL;
	while ((len = getline(&line, &lcap, f)) > 0) {
		char *tab = strchr(line, '\t');
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (!tab)
			continue;
		*tab = '\0';
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			text *nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				exit(1);
			v = nv;
		}
		v[*n].id = strdup(line);
		v[*n].text = strdup(tab + 1);
		if (!v[*n].id || !v[*n].text)
			exit(1);
		(*n)++;
	}
	free(line);
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	const char *skills = NULL, *texts = NULL, *outp = NULL;
	size_t rounds = 20, n = 0, i, j, r, done = 0;
	lm_catalog *cat = NULL;
	lm_suggestion_list *l = NULL;
	text *t;
	double t0, t1, t2;

	for (int a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-r") && a + 1 < argc)
			rounds = (size_t)strtoul(argv[++a], NULL, 10);
		else if (!strcmp(argv[a], "-o") && a + 1 < argc)
			outp = argv[++a];
		else if (!skills && argv[a][0] != '-')
			skills = argv[a];
		else if (!texts && argv[a][0] != '-')
			texts = argv[a];
		else
			skills = NULL, a = argc;
	}
	if (!skills || !texts) {
		fprintf(stderr, "usage: suggest SKILLS.yaml TEXTS [-r ROUNDS] "
		                "[-o FILE]\n");
		return 2;
	}
	t = read_texts(texts, &n);
	if (!t || !n) {
		fprintf(stderr, "suggest: no texts in %s\n", texts);
		return 1;
	}
	if (lm_catalog_new(&cat) || lm_catalog_load_paths(cat, &skills, 1)) {
		fprintf(stderr, "suggest: %s\n", lm_catalog_errmsg(cat));
		return 1;
	}
	/* The first text builds the index and stems the names in its
	 * language: timed apart. */
	t0 = now();
	if (lm_suggest(cat, t[0].text, strlen(t[0].text), NULL, &l)) {
		fprintf(stderr, "suggest: %s\n", lm_catalog_errmsg(cat));
		return 1;
	}
	lm_suggestion_list_free(l);
	t1 = now();
	for (r = 0; r < rounds; r++)
		for (i = 0; i < n; i++) {
			if (lm_suggest(cat, t[i].text, strlen(t[i].text), NULL,
			               &l)) {
				fprintf(stderr, "suggest: %s: %s\n", t[i].id,
				        lm_catalog_errmsg(cat));
				return 1;
			}
			lm_suggestion_list_free(l);
			done++;
		}
	t2 = now();
	if (outp) {
		FILE *out = fopen(outp, "w");
		if (!out)
			return 1;
		for (i = 0; i < n; i++) {
			if (lm_suggest(cat, t[i].text, strlen(t[i].text), NULL, &l))
				return 1;
			for (j = 0; j < lm_suggestion_list_count(l); j++)
				fprintf(out, "%s\t%s\n", t[i].id,
				        lm_suggestion_list_get(l, j)->skill_id);
			lm_suggestion_list_free(l);
		}
		if (fclose(out))
			return 1;
	}
	printf("skills=%zu index_ms=%.3f texts=%zu texts_per_s=%.0f\n",
	       lm_catalog_count(cat, LM_SKILL), (t1 - t0) * 1e3, done,
	       (double)done / (t2 - t1));
	for (i = 0; i < n; i++) {
		free(t[i].id);
		free(t[i].text);
	}
	free(t);
	lm_catalog_free(cat);
	return 0;
}
