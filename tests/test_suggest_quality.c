/* SPDX-License-Identifier: MIT */
/*
 * test_suggest_quality.c -- how well lm_suggest understands need texts:
 * the labelled sets in tests/data/suggest/ (tune.yaml, the texts the
 * keywords were tuned on; heldout.yaml, texts never tuned on; heldout2.yaml,
 * texts written later by someone who never saw the keywords, and scored
 * only after the keywords' second round was final) scored
 * against the bundled taxonomy (profiles/skills.yaml) as micro-averaged
 * precision and recall, printed, and held to floors set just below what
 * was measured (docs/suggest.md has the scores).
 *
 * Each text lists `skills` (what it asks for) and `ok` (related skills
 * that are not wrong to suggest).  A suggestion in skills or ok is not
 * wrong; precision = not wrong / suggested, recall = found of `skills` /
 * all `skills`.
 *
 * LM_SUGGEST_SKILLS=PATH scores another taxonomy; LM_SUGGEST_VERBOSE=1
 * prints every text with a wrong or missing skill.
 */
#include "lm_test.h"

#include <stdlib.h>
#include <yaml.h>

/* Floors: just below what the sets scored when they were last measured
 * (docs/suggest.md); never above.  The held-out sets miss the issue's
 * target (precision 0.90, recall 0.85): their floors are what they
 * reached. */
#define TUNE_MIN_PRECISION 0.91
#define TUNE_MIN_RECALL 0.97
#define HELDOUT_MIN_PRECISION 0.85
#define HELDOUT_MIN_RECALL 0.82
#define FRESH_MIN_PRECISION 0.69
#define FRESH_MIN_RECALL 0.97

typedef struct score {
	size_t texts, suggested, wrong, wanted, found;
} score;

static const char *skills_path(void)
{
	const char *p = getenv("LM_SUGGEST_SKILLS");

	return p && *p ? p : "../profiles/skills.yaml";
}

static bool verbose(void)
{
	const char *v = getenv("LM_SUGGEST_VERBOSE");

	return v && *v && strcmp(v, "0") != 0;
}

static yaml_node_t *get(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		if (k && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static bool in_list(yaml_document_t *d, yaml_node_t *seq, const char *id)
{
	yaml_node_item_t *it;

	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return false;
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(d, *it);
		if (n && n->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)n->data.scalar.value, id) == 0)
			return true;
	}
	return false;
}

static size_t seq_len(yaml_node_t *seq)
{
	return seq && seq->type == YAML_SEQUENCE_NODE
	               ? (size_t)(seq->data.sequence.items.top -
	                          seq->data.sequence.items.start)
	               : 0;
}

/* Score one text; print it when it has a mistake and we are verbose. */
static void score_text(lm_catalog *cat, yaml_document_t *d, yaml_node_t *t,
                       score *sc)
{
	yaml_node_t *id = get(d, t, "id"), *text = get(d, t, "text");
	yaml_node_t *skills = get(d, t, "skills"), *ok = get(d, t, "ok");
	lm_suggestion_list *l = NULL;
	const char *s;
	size_t i, wrong = 0, found = 0, want;
	yaml_node_item_t *it;

	assert_non_null(id);
	assert_non_null(text);
	assert_true(text->type == YAML_SCALAR_NODE);
	s = (const char *)text->data.scalar.value;
	lm_suggest_options o = LM_SUGGEST_OPTIONS_INIT;
	const char *mc = getenv("LM_SUGGEST_MIN");
	if (mc && *mc)
		o.min_confidence = atof(mc);
	assert_int_equal(lm_suggest(cat, s, strlen(s), &o, &l), LM_OK);
	want = seq_len(skills);
	for (i = 0; i < lm_suggestion_list_count(l); i++) {
		const lm_suggestion *g = lm_suggestion_list_get(l, i);
		if (in_list(d, skills, g->skill_id))
			found++;
		else if (!in_list(d, ok, g->skill_id))
			wrong++;
	}
	sc->texts++;
	sc->suggested += lm_suggestion_list_count(l);
	sc->wrong += wrong;
	sc->wanted += want;
	sc->found += found;
	if (verbose() && (wrong || found < want)) {
		printf("%s: %s\n", (const char *)id->data.scalar.value, s);
		for (i = 0; i < lm_suggestion_list_count(l); i++) {
			const lm_suggestion *g = lm_suggestion_list_get(l, i);
			size_t j;
			printf("   %s %-24s %.2f",
			       in_list(d, skills, g->skill_id) ? "+"
			       : in_list(d, ok, g->skill_id)   ? "~"
			                                       : "X",
			       g->skill_id, g->confidence);
			for (j = 0; j < g->evidence_count; j++)
				printf(" [%s]",
				       lm_suggestion_list_evidence(l, i, j)->words);
			printf("\n");
		}
		if (skills && skills->type == YAML_SEQUENCE_NODE)
			for (it = skills->data.sequence.items.start;
			     it < skills->data.sequence.items.top; it++) {
				yaml_node_t *n = yaml_document_get_node(d, *it);
				const char *w = (const char *)n->data.scalar.value;
				bool got = false;
				for (i = 0; i < lm_suggestion_list_count(l); i++)
					got = got || strcmp(lm_suggestion_list_get(
					                 l, i)->skill_id, w) == 0;
				if (!got)
					printf("   - %s (missed)\n", w);
			}
	}
	lm_suggestion_list_free(l);
}

static score score_file(const char *path)
{
	lm_catalog *cat = NULL;
	const char *sk = skills_path();
	FILE *fp = fopen(path, "rb");
	yaml_parser_t p;
	yaml_document_t d;
	yaml_node_t *root, *texts;
	yaml_node_item_t *it;
	score sc = {0};

	assert_non_null(fp);
	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	if (lm_catalog_load_paths(cat, &sk, 1) != LM_OK)
		fail_msg("%s: %s", sk, lm_catalog_errmsg(cat));
	assert_true(yaml_parser_initialize(&p));
	yaml_parser_set_input_file(&p, fp);
	assert_true(yaml_parser_load(&p, &d));
	root = yaml_document_get_root_node(&d);
	texts = get(&d, root, "texts");
	assert_non_null(texts);
	assert_true(texts->type == YAML_SEQUENCE_NODE);
	for (it = texts->data.sequence.items.start;
	     it < texts->data.sequence.items.top; it++)
		score_text(cat, &d, yaml_document_get_node(&d, *it), &sc);
	yaml_document_delete(&d);
	yaml_parser_delete(&p);
	fclose(fp);
	lm_catalog_free(cat);
	return sc;
}

static void report(const char *name, const score *sc, double min_p,
                   double min_r)
{
	double p = sc->suggested
	                   ? (double)(sc->suggested - sc->wrong) /
	                             (double)sc->suggested
	                   : 1.0;
	double r = sc->wanted ? (double)sc->found / (double)sc->wanted : 1.0;
	double f = p + r > 0 ? 2 * p * r / (p + r) : 0.0;

	printf("suggest %-8s %3zu texts: precision %.3f (%zu of %zu not "
	       "wrong), recall %.3f (%zu of %zu), F1 %.3f\n",
	       name, sc->texts, p, sc->suggested - sc->wrong, sc->suggested, r,
	       sc->found, sc->wanted, f);
	assert_true(p >= min_p);
	assert_true(r >= min_r);
}

static void test_tune(void **state)
{
	(void)state;
	score sc = score_file("data/suggest/tune.yaml");
	report("tune", &sc, TUNE_MIN_PRECISION, TUNE_MIN_RECALL);
}

static void test_heldout(void **state)
{
	(void)state;
	score sc = score_file("data/suggest/heldout.yaml");
	report("heldout", &sc, HELDOUT_MIN_PRECISION, HELDOUT_MIN_RECALL);
}

static void test_fresh(void **state)
{
	(void)state;
	score sc = score_file("data/suggest/heldout2.yaml");
	report("heldout2", &sc, FRESH_MIN_PRECISION, FRESH_MIN_RECALL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tune),
		cmocka_unit_test(test_heldout),
		cmocka_unit_test(test_fresh),
	};
	/* LM_SUGGEST_ONLY=tune scores one set (for tuning, which must never
	 * look at the held-out texts). */
	const char *only = getenv("LM_SUGGEST_ONLY");
	size_t n = only && strcmp(only, "tune") == 0 ? 1 : 3;
	return _cmocka_run_group_tests("suggest_quality", tests, n, NULL, NULL);
}
