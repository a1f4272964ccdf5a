/* SPDX-License-Identifier: MIT */
/*
 * fuzz_suggest.c -- libFuzzer harness for lm_suggest.  Any byte string is
 * a text: valid UTF-8 without NUL bytes must give LM_OK, anything else
 * LM_EINVAL, never a crash, leak or hang.  Every answer must be the same
 * twice (on the same catalogue, whose index is then reused, and on a
 * second one that builds its own), with confidences in (0, 1] that never
 * rise down the list, no skill twice, and evidence that is the text's own
 * bytes at its offset.  One input in 64 is also repeated to the
 * longest text taken (LM_SUGGEST_MAX_TEXT bytes), and one byte more must
 * be refused.
 * The taxonomy is profiles/skills.yaml when it loads (make fuzz runs from
 * the top of the tree), else a small one written here.
 * `make fuzz` builds it with clang and runs it over tests/fuzz/corpus/suggest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libmatch.h"
#include "model/util.h" /* lmi_utf8_valid */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fallback[] =
	"skills:\n"
	"  - {id: export, label: Eksport og internasjonalisering,\n"
	"     aliases: [Eksport, Exporting]}\n"
	"  - {id: german-market, label: Det tyske markedet, parent: export,\n"
	"     aliases: [German market]}\n"
	"  - {id: ecommerce, label: Netthandel, aliases: [Nettbutikk]}\n"
	"  - {id: hms, label: HMS, aliases: [IT, SoMe, R&D]}\n"
	"  - {id: acc, label: Regnskap}\n"
	"  - {id: clim, label: Klimaregnskap, parent: acc}\n";

static lm_catalog *cat[2];

static lm_catalog *load(void)
{
	lm_catalog *c = NULL;
	const char *path = "profiles/skills.yaml";

	if (lm_catalog_new(&c) != LM_OK)
		abort();
	if (lm_catalog_load_paths(c, &path, 1) == LM_OK)
		return c;
	lm_catalog_free(c);
	if (lm_catalog_new(&c) != LM_OK ||
	    lm_catalog_load_buffer(c, "fallback.yaml", fallback,
	                           sizeof fallback - 1) != LM_OK)
		abort();
	return c;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cat[0] = load();
	cat[1] = load();
	return 0;
}

static void check(const char *text, size_t n, const lm_suggestion_list *l)
{
	size_t i, j;

	for (i = 0; i < lm_suggestion_list_count(l); i++) {
		const lm_suggestion *s = lm_suggestion_list_get(l, i);
		if (!(s->confidence > 0.0 && s->confidence <= 1.0) ||
		    !s->evidence_count || !s->skill_id || !s->label)
			abort();
		if (i && lm_suggestion_list_get(l, i - 1)->confidence <
		                 s->confidence)
			abort();
		for (j = 0; j < i; j++)
			if (lm_suggestion_list_get(l, j)->skill == s->skill)
				abort();
		for (j = 0; j < s->evidence_count; j++) {
			const lm_evidence *e = lm_suggestion_list_evidence(l, i, j);
			if (!e || e->offset + e->length > n || !e->length ||
			    strlen(e->words) != e->length ||
			    memcmp(text + e->offset, e->words, e->length))
				abort();
		}
	}
}

static void same(const lm_suggestion_list *a, const lm_suggestion_list *b)
{
	size_t i, j;

	if (lm_suggestion_list_count(a) != lm_suggestion_list_count(b))
		abort();
	for (i = 0; i < lm_suggestion_list_count(a); i++) {
		const lm_suggestion *x = lm_suggestion_list_get(a, i);
		const lm_suggestion *y = lm_suggestion_list_get(b, i);
		if (x->skill != y->skill || x->confidence != y->confidence ||
		    x->evidence_count != y->evidence_count ||
		    strcmp(x->skill_id, y->skill_id))
			abort();
		for (j = 0; j < x->evidence_count; j++) {
			const lm_evidence *e = lm_suggestion_list_evidence(a, i, j);
			const lm_evidence *f = lm_suggestion_list_evidence(b, i, j);
			if (e->offset != f->offset || e->length != f->length)
				abort();
		}
	}
}

static void run(const char *text, size_t n)
{
	lm_suggestion_list *l[3] = {NULL, NULL, NULL};
	bool valid = lmi_utf8_valid(text, n);
	int rc[3], k;

	rc[0] = lm_suggest(cat[0], text, n, NULL, &l[0]);
	rc[1] = lm_suggest(cat[0], text, n, NULL, &l[1]);
	rc[2] = lm_suggest(cat[1], text, n, NULL, &l[2]);
	for (k = 0; k < 3; k++)
		if (rc[k] != (valid ? LM_OK : LM_EINVAL) ||
		    (rc[k] == LM_OK) != (l[k] != NULL))
			abort();
	if (valid) {
		check(text, n, l[0]);
		same(l[0], l[1]);
		same(l[0], l[2]);
	}
	for (k = 0; k < 3; k++)
		lm_suggestion_list_free(l[k]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;

	if (size > LM_SUGGEST_MAX_TEXT)
		size = LM_SUGGEST_MAX_TEXT;
	run(text, size);
	/* The longest text: the input over and over (a repeated valid text
	 * is still valid), and one byte too many. */
	if (size && (data[0] & 63) == 63) {
		char *big = malloc(LM_SUGGEST_MAX_TEXT + 1);
		lm_suggestion_list *l = NULL;
		size_t i;

		if (!big)
			abort();
		for (i = 0; i < LM_SUGGEST_MAX_TEXT + 1; i++)
			big[i] = text[i % size];
		run(big, LM_SUGGEST_MAX_TEXT);
		if (lm_suggest(cat[0], big, LM_SUGGEST_MAX_TEXT + 1, NULL, &l) !=
		            LM_EINVAL ||
		    l)
			abort();
		free(big);
	}
	return 0;
}
