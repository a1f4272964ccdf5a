/* SPDX-License-Identifier: MIT */
/*
 * cmd_suggest.c -- needs in words: `suggest TEXT...` prints the skills a
 * text asks for (lm_suggest) with the words that named them, `suggest
 * NEED-ID` does it for a stored need's description and marks the skills
 * the need does not list; and what `top --text` and `validate` share with
 * it (cli.h): reading the taxonomy, the suggestions as JSON, whether a
 * suggestion names one of a need's skills.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

char *join_with(const char *const *w, size_t n, const char *sep)
{
	size_t len = 1, k = strlen(sep), i;
	char *s, *p;

	for (i = 0; i < n; i++)
		len += strlen(w[i]) + k;
	s = malloc(len);
	if (!s)
		return NULL;
	for (i = 0, p = s; i < n; i++) {
		size_t m = strlen(w[i]);
		if (i) {
			memcpy(p, sep, k);
			p += k;
		}
		memcpy(p, w[i], m);
		p += m;
	}
	*p = '\0';
	return s;
}

char *join_words(const char *const *w, size_t n)
{
	return join_with(w, n, " ");
}

void suggestions_json(FILE *fp, const lm_suggestion_list *l,
                      const bool *listed, bool required_first)
{
	size_t n = lm_suggestion_list_count(l), i, j;

	fputc('[', fp);
	for (i = 0; i < n; i++) {
		const lm_suggestion *s = lm_suggestion_list_get(l, i);
		fputs(i ? ",\n  {\"skill\": " : "\n  {\"skill\": ", fp);
		json_str(fp, s->skill_id);
		json_next_str(fp, "label", s->label);
		fputs(", \"evidence\": [", fp);
		for (j = 0; j < s->evidence_count; j++) {
			if (j)
				fputs(", ", fp);
			json_str(fp, lm_suggestion_list_evidence(l, i, j)->words);
		}
		fputc(']', fp);
		json_next_num(fp, "confidence", s->confidence);
		if (listed)
			fprintf(fp, ", \"listed\": %s", listed[i] ? "true" : "false");
		if (required_first)
			fprintf(fp, ", \"optional\": %s", i ? "true" : "false");
		fputc('}', fp);
	}
	fputs(n ? "\n]" : "]", fp);
}

/* The evidence of suggestion i as one string, "a, b" (malloc'd). */
static char *evidence_text(const lm_suggestion_list *l, size_t i)
{
	const lm_suggestion *s = lm_suggestion_list_get(l, i);
	const char **w = calloc(s->evidence_count + 1, sizeof(*w));
	char *out;
	size_t j;

	if (!w)
		return NULL;
	for (j = 0; j < s->evidence_count; j++)
		w[j] = lm_suggestion_list_evidence(l, i, j)->words;
	out = join_with(w, s->evidence_count, ", ");
	free(w);
	return out;
}

/* Is skill a the same as b, or narrower or broader than it? */
static bool related(lm_catalog *cat, const char *a, const char *b)
{
	const char *pair[2][2] = {{a, b}, {b, a}};
	int k;

	for (k = 0; k < 2; k++) {
		const char *s = pair[k][0];
		size_t guard = lm_catalog_count(cat, LM_SKILL) + 1, ix;
		while (s && guard--) {
			if (!strcmp(s, pair[k][1]))
				return true;
			if (lm_catalog_find(cat, LM_SKILL, s, &ix) != LM_OK)
				break;
			s = lm_catalog_skill(cat, ix)->parent;
		}
	}
	return false;
}

bool names_need_skill(lm_catalog *cat, size_t need,
                      const lm_suggestion_list *l)
{
	const lm_need_info *n = lm_catalog_need(cat, need);
	size_t i, j;

	for (i = 0; i < lm_suggestion_list_count(l); i++)
		for (j = 0; n && j < n->skill_count; j++)
			if (related(cat, lm_suggestion_list_get(l, i)->skill_id,
			            lm_catalog_need_skill(cat, need, j)->skill))
				return true;
	return false;
}

/* The table, CSV or YAML of the suggestions: skill, label, confidence,
 * evidence (and listed, for a need). */
static void suggestions_rows(const args *a, const lm_suggestion_list *l,
                             const bool *listed)
{
	static const char *cols[] = {"skill", "label", "confidence", "evidence",
	                             "listed"};
	size_t n = lm_suggestion_list_count(l), i;
	out_table t;

	out_table_init(&t, listed ? 5 : 4, cols);
	for (i = 0; i < n; i++) {
		const lm_suggestion *s = lm_suggestion_list_get(l, i);
		char *ev = evidence_text(l, i);
		out_str(&t, s->skill_id);
		out_str(&t, s->label);
		out_num(&t, s->confidence, 2);
		out_str(&t, ev ? ev : "");
		if (listed)
			out_bool(&t, listed[i]);
		free(ev);
	}
	out_table_print(&t, a->fmt, "skills", stdout);
	out_table_free(&t);
}

int cmd_suggest(const args *a)
{
	if (!a->npos)
		return usage_error("suggest needs a TEXT or a NEED-ID");
	/* One word may be a stored need's id; then the needs are read too. */
	bool one = a->npos == 1 && !strpbrk(a->pos[0], " \t\r\n");
	unsigned kinds = LM_KIND_BIT(LM_SKILL) | (one ? LM_KIND_BIT(LM_NEED) : 0);
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	lm_suggestion_list *l = NULL;
	const lm_need_info *need = NULL;
	bool *listed = NULL;
	char *joined = NULL;
	const char *text;
	size_t ni, i, j;
	int ex = open_catalog_kinds(a, kinds, &db, &cat), rc;

	if (ex)
		goto done;
	if (one && lm_catalog_find(cat, LM_NEED, a->pos[0], &ni) == LM_OK)
		need = lm_catalog_need(cat, ni);
	if (need) {
		text = need->description ? need->description : "";
		if (!need->description)
			note(a, "need '%s' has no description", need->id);
	} else {
		text = joined = join_words((const char *const *)a->pos,
		                           (size_t)a->npos);
		if (!joined) {
			ex = EXIT_INTERNAL;
			goto done;
		}
	}
	rc = lm_suggest(cat, text, strlen(text), NULL, &l);
	if (rc) {
		ex = cat_fail(cat, rc);
		goto done;
	}
	if (need) {
		listed = calloc(lm_suggestion_list_count(l) + 1, sizeof(*listed));
		if (!listed) {
			ex = EXIT_INTERNAL;
			goto done;
		}
		for (i = 0; i < lm_suggestion_list_count(l); i++)
			for (j = 0; j < need->skill_count; j++)
				if (!strcmp(lm_suggestion_list_get(l, i)->skill_id,
				            lm_catalog_need_skill(cat, ni, j)->skill))
					listed[i] = true;
	}
	if (a->fmt == OUT_JSON) {
		fputc('{', stdout);
		if (need) {
			fputs("\"need\": ", stdout);
			json_str(stdout, need->id);
			fputs(", ", stdout);
		}
		fputs("\"text\": ", stdout);
		json_str(stdout, need ? need->description : text);
		fputs(", \"skills\": ", stdout);
		suggestions_json(stdout, l, listed, false);
		fputs("}\n", stdout);
	} else {
		suggestions_rows(a, l, listed);
	}
	if (a->fmt == OUT_TABLE && !lm_suggestion_list_count(l) && *text)
		note(a, "the text names no skill of the taxonomy (skills are "
		        "named by their labels, aliases and keywords)");
done:
	free(listed);
	free(joined);
	lm_suggestion_list_free(l);
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}
