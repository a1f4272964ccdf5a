/* SPDX-License-Identifier: MIT */
/*
 * header_c99.c -- libmatch.h alone, compiled as C99 with every warning
 * an error (make header-check): the header needs nothing of C11 and no
 * other header of libmatch.  Compiled only, never linked.
 */
#include <libmatch.h>

int lmt_header_c99(lm_catalog *cat, FILE *fp);

int lmt_header_c99(lm_catalog *cat, FILE *fp)
{
	lm_match_options opts = LM_MATCH_OPTIONS_INIT;
	lm_query query = LM_QUERY_INIT;
	lm_skill_req req = {"export", 3, 1.0, 0};
	lm_pin pin = {"n1", "e1"};
	lm_ranking *r = NULL;
	lm_plan *plan = NULL;
	char period[16];
	int rc;

	query.skills = &req;
	query.skill_count = 1;
	opts.k = 5;
	if (lm_match_options_init(&opts, LM_MATCH_OPTIONS_VERSION) ||
	    lm_query_init(&query, LM_QUERY_VERSION))
		return LM_EINVAL;
	rc = lm_period_current(-1, period, sizeof period);
	if (!rc)
		rc = lm_rank_query(cat, &query, &opts, &r);
	if (!rc)
		rc = lm_plan_compute(cat, &pin, 1, &opts, &plan);
	for (lm_kind k = LM_PLACE; lm_kind_name(k); k = (lm_kind)(k + 1))
		fprintf(fp, "%s %zu\n", lm_kind_name(k), lm_catalog_count(cat, k));
	const lm_expert_info *e = lm_catalog_expert(cat, 0);
	const lm_settings *s = lm_catalog_settings(cat);
	if (e && s && (LM_KINDS_ALL & LM_KIND_BIT(LM_EXPERT)) != 0)
		fprintf(fp, "%s %g\n", e->id, s->max_travel_km);
	lm_plan_free(plan);
	lm_ranking_free(r);
	return rc == LM_ECANCELED || rc == LM_EAMBIGUOUS ? LM_ERROR : rc;
}
