/* SPDX-License-Identifier: MIT */
/*
 * lifecycle.c -- a need's life cycle as the plan sees it (lifecycle.h):
 * retired, done, withdrawn, not yet due, past its last quarter, served.
 * The order of the tests is the order in which the reasons are given:
 * the first that holds is the one reported.
 */
#include "engine/lifecycle.h"

const char *lmi_need_left_out(const lm_catalog *cat, uint32_t i, uint32_t q,
                              int committed_any)
{
	const lmi_resolved *r = &cat->r;
	uint32_t co = r->need_company[i];
	if ((r->need_retired && r->need_retired[i]) ||
	    (co != LM_NONE && r->company_retired && r->company_retired[co]))
		return "retired";
	lmi_need_status st = r->need_status ? (lmi_need_status)r->need_status[i]
	                                    : LMI_NEED_OPEN;
	if (st == LMI_NEED_DONE)
		return "done";
	if (st == LMI_NEED_WITHDRAWN)
		return "withdrawn";
	if (r->need_until && r->need_until[i] && q > r->need_until[i])
		return "withdrawn";
	if (r->need_from && r->need_from[i] && q < r->need_from[i])
		return "not yet due";
	/* A team need (experts 1) is served by its one committed team. */
	if (committed_any >= cat->needs.v[i].experts)
		return "served";
	return NULL;
}
