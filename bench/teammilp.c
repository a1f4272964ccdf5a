/* SPDX-License-Identifier: MIT */
/*
 * teammilp.c -- for `make bench`: write the plan with team needs of a
 * database as the data of the compact MILP that bench/teammilp.py hands
 * to scipy.optimize.milp (HiGHS), so that libmatch's branch-and-price is
 * compared with a generic solver on the very same instance.
 *
 *   teammilp DB OUT.json
 *
 * The data, from libmatch's own engine (internal headers): per expert its
 * capacity left; per open ordinary need its demand and feasible pairs
 * with their scores; per open team need its candidates with distance fit,
 * credit per skill, which required skills they cover and whether they
 * speak the language, the skills' weights, ws, wd, the team size and the
 * penalty.  The team score is then linear in membership, best credit per
 * skill and the smallest distance fit (docs/scoring.md).
 */
#include "engine/rank.h"
#include "engine/score.h"
#include "engine/team.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ordinary(FILE *f, lmi_scorer *sc, uint32_t i, int demand, bool *first)
{
	lmi_need_view nv;
	const uint32_t *list;
	size_t n;
	int rc = lmi_need_view_stored(sc, i, &nv);
	if (rc || (rc = lmi_candidates(sc, &nv, &list, &n)))
		return rc;
	lm_catalog *cat = lmi_scorer_catalog(sc);
	if (!list)
		n = cat->experts.n;
	fprintf(f, "%s{\"demand\": %d, \"pairs\": [", *first ? "" : ",\n", demand);
	*first = false;
	bool any = false;
	for (size_t c = 0; c < n; c++) {
		uint32_t e = list ? list[c] : (uint32_t)c;
		double s, km;
		if (!lmi_score_fast(sc, &nv, e, &s, &km))
			continue;
		fprintf(f, "%s[%u, %.10g]", any ? ", " : "", e, s);
		any = true;
	}
	fputs("]}", f);
	lmi_need_view_free(&nv);
	return LM_OK;
}

static int team(FILE *f, lmi_scorer *sc, uint32_t i, bool *first)
{
	lmi_team_need tn;
	int rc = lmi_team_need_prepare(sc, i, &tn);
	if (rc)
		return rc;
	const lmi_need_view *nv = &tn.nv;
	uint32_t ns = nv->n_skills;
	fprintf(f, "%s{\"T\": %d, \"penalty\": %.10g, \"ws\": %.10g, \"wd\": %.10g, "
	        "\"w\": [", *first ? "" : ",\n", tn.team_max, tn.penalty, nv->ws,
	        nv->wd);
	*first = false;
	for (uint32_t s = 0; s < ns; s++)
		fprintf(f, "%s%.10g", s ? ", " : "", nv->skills[s].weight /
		        nv->weight_total);
	fputs("], \"required\": [", f);
	for (uint32_t s = 0; s < ns; s++)
		fprintf(f, "%s%d", s ? ", " : "", !nv->skills[s].optional);
	fprintf(f, "], \"language\": %d, \"cand\": [", nv->language != NULL);
	for (uint32_t c = 0; c < tn.n_cand; c++) {
		fprintf(f, "%s[%u, %.10g, %d, [", c ? ",\n " : "", tn.cand[c],
		        tn.dfit[c], tn.speaks[c]);
		for (uint32_t s = 0; s < ns; s++)
			fprintf(f, "%s%.10g", s ? ", " : "",
			        tn.credit[(size_t)c * ns + s]);
		fputs("], [", f);
		for (uint32_t s = 0; s < ns; s++)
			fprintf(f, "%s%d", s ? ", " : "", tn.covers[(size_t)c * ns + s]);
		fputs("]]", f);
	}
	fputs("]}", f);
	lmi_team_need_free(&tn);
	return LM_OK;
}

/* Engagements of need i in the period. */
static int committed(const lm_catalog *cat, uint32_t i, const char *period)
{
	int n = 0;
	for (size_t k = 0; k < cat->engagements.n; k++)
		n += cat->r.eng_need[k] == i &&
		     !strcmp(cat->engagements.v[k].period, period);
	return n;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: teammilp DB OUT.json\n");
		return 2;
	}
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	lmi_scorer *sc = NULL;
	FILE *f = fopen(argv[2], "w");
	int rc = f ? lm_db_open(argv[1], LM_DB_READONLY, &db) : LM_EIO;
	if (!rc)
		rc = lm_db_read(db, &cat);
	if (!rc)
		rc = lmi_scorer_new(cat, NULL, &sc);
	if (rc) {
		fprintf(stderr, "teammilp: %s\n", db ? lm_db_errmsg(db) : "cannot open");
		return 1;
	}
	fputs("{\"cap\": [", f);
	for (uint32_t e = 0; e < cat->experts.n; e++)
		fprintf(f, "%s%d", e ? ", " : "", lmi_scorer_capacity_left(sc, e));
	bool fo = true, ft = true;
	fputs("],\n\"needs\": [", f);
	for (uint32_t i = 0; !rc && i < cat->needs.n; i++) {
		int d = cat->needs.v[i].experts - committed(cat, i,
		        lmi_scorer_period(sc));
		if (cat->r.need_team[i] <= 1 && d > 0)
			rc = ordinary(f, sc, i, d, &fo);
	}
	fputs("],\n\"teams\": [", f);
	for (uint32_t i = 0; !rc && i < cat->needs.n; i++) {
		int d = 1 - committed(cat, i, lmi_scorer_period(sc));
		if (cat->r.need_team[i] > 1 && d > 0)
			rc = team(f, sc, i, &ft);
	}
	fputs("]}\n", f);
	fclose(f);
	lmi_scorer_free(sc);
	lm_catalog_free(cat);
	lm_db_close(db);
	return rc ? 1 : 0;
}
