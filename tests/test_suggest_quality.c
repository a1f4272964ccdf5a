/* SPDX-License-Identifier: MIT */
/*
 * test_suggest_quality.c -- how well lm_suggest understands need texts:
 * the labelled sets in tests/data/suggest/ scored against the bundled
 * taxonomy (profiles/skills.yaml) as micro-averaged precision and recall,
 * printed, and held to floors set just below what was measured
 * (docs/suggest.md has the scores and their history).
 *
 * tune.yaml, heldout.yaml and heldout2.yaml are tuning data now: each was
 * held out once and scored blind (docs/suggest.md keeps those first
 * scores), and the keywords and rules were tuned on their mistakes after.
 * heldout3.yaml was written blind to the keywords and the code by two
 * writers who saw only the skill ids and labels, and is never tuned on.
 *
 * Each text lists `skills` (what it asks for) and `ok` (related skills
 * that are not wrong to suggest).  A suggestion in skills or ok is not
 * wrong; precision = not wrong / suggested, recall = found of `skills` /
 * all `skills`.
 *
 * LM_SUGGEST_SKILLS=PATH scores another taxonomy; LM_SUGGEST_VERBOSE=1
 * prints every text with a wrong or missing skill; LM_SUGGEST_ONLY=NAME
 * scores one set.
 */
#include "lm_test.h"

#include <stdlib.h>
#include <yaml.h>

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

/* A labelled set and its floors: just below what it scored when it was
 * last measured (docs/suggest.md); never above. */
typedef struct labelled_set {
	const char *name, *path;
	double min_precision, min_recall;
} labelled_set;

static const labelled_set sets[] = {
	{"tune", "data/suggest/tune.yaml", 0.92, 0.97},
	{"heldout", "data/suggest/heldout.yaml", 0.89, 0.82},
	{"heldout2", "data/suggest/heldout2.yaml", 0.80, 0.97},
	/* Never tuned on: its floors are its one blind score, which misses
	 * the target of precision 0.90 and recall 0.85. */
	{"heldout3", "data/suggest/heldout3.yaml", 0.74, 0.78},
};

static void test_set(void **state)
{
	const labelled_set *ls = *state;
	score sc = score_file(ls->path);

	report(ls->name, &sc, ls->min_precision, ls->min_recall);
}

int main(void)
{
	enum { NSETS = sizeof sets / sizeof sets[0] };
	struct CMUnitTest tests[NSETS];
	const char *only = getenv("LM_SUGGEST_ONLY");
	size_t n = 0;

	for (size_t i = 0; i < NSETS; i++) {
		if (only && *only && strcmp(only, sets[i].name) != 0)
			continue;
		tests[n] = (struct CMUnitTest){sets[i].name, test_set, NULL, NULL,
		                               (void *)&sets[i]};
		n++;
	}
	return _cmocka_run_group_tests("suggest_quality", tests, n, NULL, NULL);
}
