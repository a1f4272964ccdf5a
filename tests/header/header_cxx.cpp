// SPDX-License-Identifier: MIT
//
// header_cxx.cpp -- libmatch.h alone, compiled as C++11 with every
// warning an error (make header-check): the header is usable from C++
// (extern "C", no C-only constructs).  Compiled only, never linked.
#include <libmatch.h>

int lmt_header_cxx(lm_catalog *cat, FILE *fp);

int lmt_header_cxx(lm_catalog *cat, FILE *fp)
{
	lm_match_options opts = LM_MATCH_OPTIONS_INIT;
	lm_query query = LM_QUERY_INIT;
	lm_skill_req req = {"export", 3, 1.0, 0};
	lm_ranking *r = nullptr;
	char period[16];

	query.skills = &req;
	query.skill_count = 1;
	if (lm_match_options_init(&opts, LM_MATCH_OPTIONS_VERSION) != LM_OK ||
	    lm_query_init(&query, LM_QUERY_VERSION) != LM_OK)
		return LM_EINVAL;
	int rc = lm_period_current(-1, period, sizeof period);
	if (rc == LM_OK)
		rc = lm_rank_query(cat, &query, &opts, &r);
	for (int k = LM_PLACE; lm_kind_name(static_cast<lm_kind>(k)); k++)
		fprintf(fp, "%s\n", lm_kind_name(static_cast<lm_kind>(k)));
	if (const lm_need_info *n = lm_catalog_need(cat, 0))
		fprintf(fp, "%s %s\n", n->id, lm_mode_name(n->mode));
	lm_progress_fn fn = nullptr;
	(void)fn;
	lm_ranking_free(r);
	return rc == LM_ECANCELED ? LM_ERROR : rc;
}
