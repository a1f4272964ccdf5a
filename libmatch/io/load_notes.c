/* SPDX-License-Identifier: MIT */
/*
 * load_notes.c -- the notes a load that succeeded gives about its
 * engagements (load.h, lmi_engagement_notes): a pair that breaks a hard
 * rule today (the profile changed since) is history, kept as it was, and
 * said as a note naming the rule.  Retirement is left out: that a record
 * retired after its engagement is history too (model/merge_eng.c refuses
 * one retired before).
 */
#include "engine/score.h"
#include "io/load.h"

#include <stdlib.h>
#include <string.h>

/* The note for engagement i of `cat` when its pair breaks a rule. */
static int note_pair(lmi_scorer *sc, lm_catalog *cat, uint32_t i,
                     lmi_err *err)
{
	const lmi_engagement_rec *en = &cat->engagements.v[i];
	uint32_t e = cat->r.eng_expert[i];
	lmi_need_view nv;
	lmi_eval ev;
	int rc = lmi_need_view_stored(sc, cat->r.eng_need[i], &nv);
	if (rc)
		return rc == LM_ENOMEM ? rc : LM_OK; /* a need of weight 0 */
	rc = lmi_score_full(sc, &nv, e, &ev);
	lmi_need_view_free(&nv);
	if (rc)
		return rc;
	lmi_buf why = {0};
	size_t n = 0;
	for (size_t r = 0; !ev.feasible && r < ev.n_reasons; r++) {
		if (!strcmp(ev.reasons[r], "is retired"))
			continue;
		lmi_buf_printf(&why, "%s%s", n++ ? "; " : "", ev.reasons[r]);
	}
	lmi_eval_free(&ev);
	char *text = lmi_buf_take(&why);
	if (n && !text)
		rc = LM_ENOMEM;
	else if (n)
		rc = lmi_err_note(err, &en->pos, "engagement %s %s %s is kept as "
		                 "history, but the pair breaks a hard rule today: "
		                 "expert '%s' %s", en->period, en->need.id,
		                 en->expert.id, en->expert.id, text);
	free(text);
	return rc;
}

int lmi_engagement_notes(lm_catalog *cat, lmi_err *err)
{
	const lmi_resolved *r = &cat->r;
	bool any = false;
	for (size_t i = 0; r->eng_new && i < cat->engagements.n; i++)
		any |= r->eng_new[i];
	if (!any)
		return LM_OK;
	lmi_scorer *sc = NULL;
	int rc = lmi_scorer_new(cat, NULL, &sc);
	for (uint32_t i = 0; !rc && i < cat->engagements.n; i++)
		if (r->eng_new[i])
			rc = note_pair(sc, cat, i, err);
	lmi_scorer_free(sc);
	return rc == LM_ENOMEM ? LM_ENOMEM : LM_OK;
}
