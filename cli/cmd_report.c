/* SPDX-License-Identifier: MIT */
/*
 * cmd_report.c -- `match report`: the command's options, the output file
 * and its errors; report_data.c gathers the quarter and report_html.c
 * writes the page.  The file is written beside its name and renamed into
 * place, so that a failure leaves no half-written page.
 */
#include "cli.h"
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Write the page to `path` ("-": stdout).  LM_EIO with *err set when the
 * file cannot be written. */
static int write_page(const report *r, const char *path, int *err)
{
	*err = 0;
	if (!strcmp(path, "-"))
		return report_html(r, stdout);
	struct stat st;
	char *tmp = NULL;
	FILE *fp;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fp = fopen(path, "w");
	} else {
		if (!(tmp = out_strf("%s.XXXXXX", path)))
			return LM_ENOMEM;
		int fd = mkstemp(tmp);
		fp = fd < 0 ? NULL : fdopen(fd, "w");
		if (!fp && fd >= 0)
			close(fd), remove(tmp);
	}
	if (!fp) {
		*err = errno;
		free(tmp);
		return LM_EIO;
	}
	int rc = report_html(r, fp);
	errno = 0;
	bool bad = ferror(fp) != 0;
	if (fclose(fp) != 0 || bad) {
		*err = errno ? errno : EIO;
		rc = rc ? rc : LM_EIO;
	}
	if (tmp) {
		mode_t um = umask(0);
		umask(um);
		if (!rc && (chmod(tmp, 0666 & ~um) != 0 || rename(tmp, path) != 0)) {
			*err = errno;
			rc = LM_EIO;
		}
		if (rc)
			remove(tmp);
		free(tmp);
	}
	return rc;
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
		int rc = write_page(&r, a->html, &err);
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
