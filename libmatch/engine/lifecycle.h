/* SPDX-License-Identifier: MIT */
/*
 * lifecycle.h -- which needs a quarter's plan leaves alone, and why
 * (lifecycle.c): a need is planned only while it is open, due and not
 * yet served (docs/planning.md, "A need's life cycle").
 */
#ifndef LMI_LIFECYCLE_H
#define LMI_LIFECYCLE_H

#include "model/catalog.h"

/* Why need i is left out of the plan for quarter q (model/period.h),
 * given its committed engagements in every period, `committed_any`:
 *   "retired"      the need or its company is retired;
 *   "done"         status done;
 *   "withdrawn"    status withdrawn, or q is after its `until`;
 *   "not yet due"  q is before its `from`;
 *   "served"       its committed engagements fill its experts count
 *                  (a team need: any member's);
 * or NULL when the plan is to consider it.  Static strings. */
const char *lmi_need_left_out(const lm_catalog *cat, uint32_t i, uint32_t q,
                              int committed_any);

#endif
