/* SPDX-License-Identifier: MIT */
/*
 * cmd_life.c -- a record's life from the command line: `retire KIND ID`
 * and `restore KIND ID` for an expert, company or need, `done NEED-ID`
 * and `withdraw NEED-ID` for a need's status.  Each is one change of one
 * row (lm_db_retire, lm_db_restore, lm_db_set_need_status), said in a
 * note on stderr; nothing is ever deleted.
 */
#include "cli.h"

#include <string.h>

/* KIND of `retire`/`restore`: expert(s), company/companies, need(s). */
static int life_kind(const args *a, const char *cmd, lm_kind *kind)
{
	if (a->npos != 2)
		return usage_error("%s needs KIND and ID (KIND: expert, company "
		                   "or need)", cmd);
	if (lm_kind_parse(a->pos[0], kind) ||
	    (*kind != LM_EXPERT && *kind != LM_COMPANY && *kind != LM_NEED))
		return usage_error("%s: KIND is expert, company or need, not '%s'",
		                   cmd, a->pos[0]);
	return EXIT_OK;
}

/* The singular of a kind, for notes. */
static const char *singular(lm_kind kind)
{
	return kind == LM_EXPERT ? "expert" : kind == LM_COMPANY ? "company"
	                                                         : "need";
}

static int retire_or_restore(const args *a, bool retire)
{
	lm_kind kind;
	int ex = life_kind(a, retire ? "retire" : "restore", &kind);
	if (ex)
		return ex;
	lm_db *db = NULL;
	ex = open_db(a, 0, &db);
	if (!ex) {
		int rc = retire ? lm_db_retire(db, kind, a->pos[1], NULL)
		                : lm_db_restore(db, kind, a->pos[1]);
		if (rc)
			ex = db_fail(db, rc);
		else
			note(a, "%s %s %s", retire ? "retired" : "restored",
			     singular(kind), a->pos[1]);
	}
	lm_db_close(db);
	return ex;
}

int cmd_retire(const args *a)
{
	return retire_or_restore(a, true);
}

int cmd_restore(const args *a)
{
	return retire_or_restore(a, false);
}

static int need_status(const args *a, const char *cmd, const char *status)
{
	if (a->npos != 1)
		return usage_error("%s needs one NEED-ID", cmd);
	lm_db *db = NULL;
	int ex = open_db(a, 0, &db);
	if (!ex) {
		int rc = lm_db_set_need_status(db, a->pos[0], status);
		if (rc)
			ex = db_fail(db, rc);
		else
			note(a, "need %s is %s", a->pos[0], status);
	}
	lm_db_close(db);
	return ex;
}

int cmd_done(const args *a)
{
	return need_status(a, "done", "done");
}

int cmd_withdraw(const args *a)
{
	return need_status(a, "withdraw", "withdrawn");
}
