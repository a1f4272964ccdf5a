/* SPDX-License-Identifier: MIT */
/*
 * cmd_map.c -- `match map`: the command's options, the output file and
 * its errors; the drawing itself is map.c's.
 */
#include "cli.h"
#include "map.h"

#include <stdio.h>
#include <string.h>

int cmd_map(const args *a)
{
	if (a->npos > 1 || (a->npos == 1 && a->plan))
		return usage_error("map takes one NEED-ID, or --plan");
	if (!a->svg)
		return usage_error("map needs --svg FILE");
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	int ex = open_catalog(a, &db, &cat);
	if (ex)
		goto done;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	progress pr = {0};
	fill_options(a, &o, want_progress(a) && !a->npos ? &pr : NULL);
	map_request req = {a->npos ? a->pos[0] : NULL, a->k_given ? (size_t)a->k : 5, &o};
	int err = 0;
	int rc = map_svg_file(cat, &req, a->svg, &err);
	progress_end(&pr);
	if (rc)
		ex = file_fail(cat, rc, a->svg, err);
	else if (strcmp(a->svg, "-"))
		note(a, "map written to %s", a->svg);
done:
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}
