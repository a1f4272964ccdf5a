/* SPDX-License-Identifier: MIT */
/*
 * team_for_need.c -- load YAML profiles into memory (no database) and print
 * the best teams for one need: each team's score with the penalty, and
 * which member brings which skill.  With experts after the need, explain
 * that team instead: its score, or every rule it breaks.
 *
 *   team_for_need PROFILES-DIR NEED-ID [K]
 *   team_for_need PROFILES-DIR NEED-ID EXPERT-ID EXPERT-ID...
 *
 * Uses only the public API in libmatch.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmatch.h>

static int load(lm_catalog *cat, const char *dir)
{
	const char *paths[] = {dir};

	if (lm_catalog_load_paths(cat, paths, 1) == LM_OK)
		return 0;
	for (size_t i = 0; i < lm_catalog_diag_count(cat); i++) {
		const lm_diag *d = lm_catalog_diag(cat, i);
		fprintf(stderr, "%s:%u:%u: %s\n", d->file ? d->file : "?", d->line,
		        d->column, d->message);
	}
	if (!lm_catalog_diag_count(cat))
		fprintf(stderr, "%s\n", lm_catalog_errmsg(cat));
	return 1;
}

static void print_team(const lm_team *t)
{
	printf("%6.2f = skill %5.2f + distance %5.2f - penalty %.2f"
	       " (%zu member%s, the farthest %.0f km away)\n",
	       t->score, t->components.skill_points,
	       t->components.distance_points, t->penalty_points,
	       t->member_count, t->member_count == 1 ? "" : "s", t->distance_km);
}

static int rank(lm_catalog *cat, const char *need, size_t k)
{
	lm_match_options opts = LM_MATCH_OPTIONS_INIT;
	lm_team_ranking *r = NULL;

	opts.k = k;
	if (lm_rank_teams(cat, need, &opts, &r) != LM_OK) {
		fprintf(stderr, "%s\n", lm_catalog_errmsg(cat));
		return 1;
	}
	size_t ix = 0;

	lm_catalog_find(cat, LM_NEED, need, &ix);
	printf("the best %zu teams for %s (teams of up to %d):\n",
	       lm_team_ranking_count(r), need, lm_catalog_need_team(cat, ix));
	for (size_t i = 0; i < lm_team_ranking_count(r); i++) {
		const lm_team *t = lm_team_ranking_get(r, i);

		printf("%2zu. ", i + 1);
		print_team(t);
		for (size_t j = 0; j < t->member_count; j++) {
			const lm_team_member *m = lm_team_ranking_member(r, i, j);

			printf("      %-22s %-13s %5.0f km:", m->expert_name, m->garden,
			       m->distance_km);
			for (size_t s = 0; s < lm_team_ranking_skill_count(r); s++) {
				const lm_team_skill *sk = lm_team_ranking_skill(r, i, s);

				if (sk->member && !strcmp(sk->member, m->expert_id))
					printf(" %s", sk->credit.need_skill);
			}
			putchar('\n');
		}
	}
	lm_team_ranking_free(r);
	return 0;
}

static int explain(lm_catalog *cat, const char *need, char **ids, size_t n)
{
	lm_team_explanation *e = NULL;

	if (lm_team_explain(cat, need, (const char *const *)ids, n, NULL, &e) !=
	    LM_OK) {
		fprintf(stderr, "%s\n", lm_catalog_errmsg(cat));
		return 1;
	}
	if (lm_team_explanation_feasible(e)) {
		print_team(lm_team_explanation_team(e));
		for (size_t s = 0; s < lm_team_explanation_skill_count(e); s++) {
			const lm_team_skill *sk = lm_team_explanation_skill(e, s);

			printf("  %-24s credit %.2f from %s\n", sk->credit.need_skill,
			       sk->credit.credit, sk->member ? sk->member : "nobody");
		}
	} else {
		printf("this team cannot take %s:\n", need);
		for (size_t i = 0; i < lm_team_explanation_reason_count(e); i++)
			printf("  - %s\n", lm_team_explanation_reason(e, i));
	}
	lm_team_explanation_free(e);
	return 0;
}

int main(int argc, char **argv)
{
	lm_catalog *cat = NULL;
	int status = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PROFILES-DIR NEED-ID [K | EXPERT-ID...]\n",
		        argv[0]);
		return 2;
	}
	if (lm_catalog_new(&cat) != LM_OK) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	if (load(cat, argv[1]) == 0) {
		char *end = NULL;
		unsigned long k = argc == 4 ? strtoul(argv[3], &end, 10) : 5;

		if (argc <= 3 || (end && *end == '\0'))
			status = rank(cat, argv[2], (size_t)k);
		else
			status = explain(cat, argv[2], argv + 3, (size_t)(argc - 3));
	}
	lm_catalog_free(cat);
	return status;
}
