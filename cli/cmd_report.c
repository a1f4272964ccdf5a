/* SPDX-License-Identifier: MIT */
/*
 * cmd_report.c -- `match report`: the command's options, the output file
 * and its errors; report_data.c gathers the quarter and report_html.c
 * writes the page.  The file is written beside its name and renamed into
 * place (out_file.c), so that a failure leaves no half-written page.
 */
#include "cli.h"
#include "report.h"

#include <string.h>

/* The page as out_write_file writes it. */
static int write_page(void *r, FILE *fp)
{
	return report_html(r, fp);
}

int cmd_report(const args *a)
{
	if (a->npos)
		return usage_error("report takes no arguments");
	if (!a->html)
		return usage_error("report needs --html FILE");
	bool english = false;
	if (a->lang && !strcmp(a->lang, "en"))
		english = true;
	else if (a->lang && strcmp(a->lang, "nb"))
		return usage_error("--lang wants nb or en, not '%s'", a->lang);
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	report r;
	memset(&r, 0, sizeof(r));
	int ex = open_catalog(a, &db, &cat);
	if (!ex) {
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		fill_options(a, &o, NULL);
		int rc = report_build(&r, cat, a->period, &o, english);
		if (rc)
			ex = cat_fail(cat, rc);
	}
	if (!ex) {
		int err = 0;
		int rc = out_write_file(a->html, write_page, &r, &err);
		if (rc)
			ex = file_fail(cat, rc, a->html, err);
		else if (strcmp(a->html, "-"))
			note(a, "report for %s written to %s", r.period, a->html);
	}
	report_free(&r);
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}
