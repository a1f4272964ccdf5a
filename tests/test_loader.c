/* SPDX-License-Identifier: MIT */
/*
 * test_loader.c -- cmocka tests of the YAML loader (libmatch/io/yaml_*.c)
 * and the public load entry points (libmatch/io/load.c): the records and
 * positions read from good files, one fixture per class of bad input with
 * its exact status, diagnostic count and first position, the generated
 * limit cases (deep nesting, a 40 MB scalar, an oversized document), and
 * all-or-nothing loading.  Run from tests/, so fixture paths are relative.
 */
#include "lm_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/yaml.h"

/* ---- helpers ------------------------------------------------------------ */

typedef struct batch {
	lm_catalog *b;
	lmi_err err;
	int rc;
} batch;

static void batch_paths(batch *t, const char *const *paths, size_t n)
{
	memset(t, 0, sizeof(*t));
	assert_int_equal(lm_catalog_new(&t->b), LM_OK);
	t->rc = lmi_yaml_parse_paths(t->b, paths, n, &t->err);
}

static void batch_path(batch *t, const char *path)
{
	batch_paths(t, &path, 1);
}

static void batch_buffer(batch *t, const char *data, size_t len)
{
	memset(t, 0, sizeof(*t));
	assert_int_equal(lm_catalog_new(&t->b), LM_OK);
	t->rc = lmi_yaml_parse_buffer(t->b, "buf.yaml", data, len, &t->err);
}

static void batch_free(batch *t)
{
	lm_catalog_free(t->b);
	lmi_err_free(&t->err);
}

static void print_diags(const lmi_err *e)
{
	for (size_t i = 0; i < e->ndiags; i++)
		fprintf(stderr, "  %s:%u:%u: %s\n",
		        e->diags[i].file ? e->diags[i].file : "-",
		        e->diags[i].line, e->diags[i].column,
		        e->diags[i].message);
}

/* The batch ended with status rc and ndiags diagnostics (printed when
 * not). */
static void batch_expect(const batch *t, int rc, size_t ndiags)
{
	if (t->rc != rc || t->err.ndiags != ndiags)
		print_diags(&t->err);
	assert_int_equal(t->rc, rc);
	assert_int_equal(t->err.ndiags, ndiags);
}

/* The batch succeeded (its diagnostics printed when not). */
static void batch_ok(const batch *t)
{
	if (t->rc != LM_OK)
		print_diags(&t->err);
	assert_int_equal(t->rc, LM_OK);
}

static void assert_pos(lmi_pos p, const char *file, unsigned line,
                       unsigned col)
{
	assert_non_null(p.file);
	assert_string_equal(p.file, file);
	assert_int_equal(p.line, line);
	assert_int_equal(p.col, col);
}

static void assert_diag(const lmi_err *e, size_t i, const char *file,
                        unsigned line, unsigned col, const char *text)
{
	assert_true(i < e->ndiags);
	const lm_diag *d = &e->diags[i];
	if (!d->file || strcmp(d->file, file) || d->line != line ||
	    d->column != col || !strstr(d->message, text)) {
		print_diags(e);
		fail_msg("diag %zu: want %s:%u:%u: ...%s...", i, file, line, col,
		         text);
	}
}

/* ---- good input ------------------------------------------------------------ */

static void test_good_records(void **state)
{
	(void)state;
	batch t;
	const char *f = "data/good/basic.yaml";
	batch_path(&t, f);
	batch_expect(&t, LM_OK, 0);
	lm_catalog *b = t.b;

	assert_int_equal(b->places.n, 2);
	assert_string_equal(b->places.v[0].id, "tynset");
	assert_string_equal(b->places.v[0].name, "Tynset");
	assert_true(b->places.v[0].lat == 62.276);
	assert_true(b->places.v[0].lon == 10.782);
	assert_pos(b->places.v[0].pos, f, 3, 5);
	assert_pos(b->places.v[1].pos, f, 4, 5);
	assert_string_equal(b->places.v[1].name, "Skarnes");

	assert_int_equal(b->gardens.n, 1);
	assert_string_equal(b->gardens.v[0].name, "Odal Næringshage");
	assert_string_equal(b->gardens.v[0].place.id, "skarnes");
	assert_pos(b->gardens.v[0].place.pos, f, 9, 47);

	assert_int_equal(b->skills.n, 2);
	assert_null(b->skills.v[0].parent.id);
	assert_int_equal(b->skills.v[0].n_aliases, 0);
	const lmi_skill_rec *s = &b->skills.v[1];
	assert_string_equal(s->parent.id, "marketing");
	assert_pos(s->parent.pos, f, 14, 13);
	assert_int_equal(s->n_aliases, 2);
	assert_string_equal(s->aliases[0], "SEO");
	assert_string_equal(s->aliases[1], "sosiale medier");
	assert_pos(s->alias_pos[1], f, 15, 20);

	assert_int_equal(b->experts.n, 2);
	const lmi_expert_rec *e = &b->experts.v[0];
	assert_string_equal(e->id, "e-ingrid");
	assert_pos(e->pos, f, 17, 5);
	assert_string_equal(e->garden.id, "odal");
	assert_false(e->home_is_coords);
	assert_string_equal(e->home.id, "skarnes");
	assert_pos(e->home.pos, f, 20, 11);
	assert_int_equal(e->n_skills, 2);
	assert_string_equal(e->skills[0].skill.id, "marketing");
	assert_int_equal(e->skills[0].level, 4);
	assert_pos(e->skills[0].level_pos, f, 21, 25);
	assert_string_equal(e->skills[1].skill.id, "digital-marketing");
	assert_int_equal(e->skills[1].level, 3);
	assert_true(e->skills[1].weight == 1.0);
	assert_int_equal(e->capacity, 3);
	assert_true(e->max_travel_km == 250);
	assert_int_equal(e->remote, 0);
	assert_int_equal(e->n_languages, 2);
	assert_string_equal(e->languages[1], "en");
	assert_int_equal(e->n_conflicts, 1);
	assert_string_equal(e->conflicts[0].id, "c-tynset-tre");
	assert_pos(e->conflicts[0].pos, f, 26, 17);

	e = &b->experts.v[1];
	/* quotes, a semicolon and a right-to-left mark are kept verbatim */
	assert_string_equal(e->name, "Ola \"Tynset\" Nordmann; \u200fRTL");
	assert_true(e->home_is_coords);
	assert_null(e->home.id);
	assert_true(e->home_lat == 62.0);
	assert_true(e->home_lon == 10.5);
	assert_int_equal(e->capacity, -1);      /* defaults */
	assert_true(e->max_travel_km < 0);
	assert_int_equal(e->remote, -1);
	assert_int_equal(e->n_languages, 0);
	assert_int_equal(e->n_conflicts, 0);
	assert_int_equal(e->n_skills, 1);
	assert_int_equal(e->skills[0].level, 2);

	assert_int_equal(b->companies.n, 2);
	assert_string_equal(b->companies.v[0].garden.id, "odal");
	assert_false(b->companies.v[0].place_is_coords);
	assert_true(b->companies.v[1].place_is_coords);
	assert_true(b->companies.v[1].place_lat == 60.5);
	assert_null(b->companies.v[1].garden.id);

	assert_int_equal(b->needs.n, 2);
	const lmi_need_rec *n = &b->needs.v[0];
	assert_string_equal(n->company.id, "c-tynset-tre");
	assert_string_equal(n->title, "Enter the Swedish market");
	assert_int_equal(n->n_skills, 2);
	assert_int_equal(n->skills[0].level, 3);      /* long form */
	assert_true(n->skills[0].weight == 2.0);
	assert_true(n->skills[0].optional);
	assert_pos(n->skills[0].level_pos, f, 42, 33);
	assert_int_equal(n->skills[1].level, 2);      /* short form */
	assert_true(n->skills[1].weight == 1.0);
	assert_false(n->skills[1].optional);
	assert_int_equal(n->mode, LM_HYBRID);
	assert_int_equal(n->experts, 2);
	assert_string_equal(n->language, "sv");
	assert_true(n->max_km == 200);
	n = &b->needs.v[1];
	assert_null(n->title);
	assert_int_equal(n->mode, LM_ONSITE);
	assert_int_equal(n->experts, 1);
	assert_null(n->language);
	assert_true(n->max_km == 0);

	assert_int_equal(b->distances.n, 1);
	assert_string_equal(b->distances.v[0].from.id, "tynset");
	assert_string_equal(b->distances.v[0].to.id, "skarnes");
	assert_true(b->distances.v[0].km == 292);

	assert_int_equal(b->engagements.n, 1);
	assert_string_equal(b->engagements.v[0].period, "2026-Q4");
	assert_string_equal(b->engagements.v[0].expert.id, "e-ola");
	assert_true(b->engagements.v[0].score == 71.5);

	const lmi_settings_rec *st = &b->settings;
	assert_int_equal(st->set, (1u << LM_SET_MAX_TRAVEL_KM) |
	                          (1u << LM_SET_ROAD_FACTOR) |
	                          (1u << LM_SET_DEFAULT_CAPACITY));
	assert_true(st->v.max_travel_km == 280);
	assert_true(st->v.road_factor == 1.2);
	assert_int_equal(st->v.default_capacity, 4);
	assert_pos(st->pos[LM_SET_MAX_TRAVEL_KM], f, 54, 27);
	batch_free(&t);
}

/* The keys of the round-2 data model (schema version 4). */
static void test_round2_records(void **state)
{
	(void)state;
	batch t;
	const char *f = "data/good/round2.yaml";
	batch_path(&t, f);
	batch_ok(&t);
	lm_catalog *b = t.b;

	/* Skills' keywords, as written. */
	const lmi_skill_rec *s = &b->skills.v[0];
	assert_int_equal(s->n_keywords, 3);
	assert_string_equal(s->keywords[2], "krysslimt tre");
	assert_pos(s->keyword_pos[1], f, 9, 58);
	s = &b->skills.v[1];
	assert_int_equal(s->n_aliases, 1);
	assert_int_equal(s->n_keywords, 3);
	assert_string_equal(s->keywords[1], "German market");
	assert_pos(s->keyword_pos[2], f, 16, 9);

	/* Experts' and companies' time: in quarter order, as written. */
	assert_int_equal(b->experts.n, 3);
	const lmi_expert_rec *e = &b->experts.v[0];
	assert_null(e->retired);
	assert_int_equal(e->n_availability, 0);
	e = &b->experts.v[1];
	assert_int_equal(e->n_availability, 2);
	assert_string_equal(e->availability[0].period, "2027-Q1");
	assert_int_equal(e->availability[0].capacity, 2);
	assert_pos(e->availability[0].pos, f, 20, 33);
	assert_string_equal(e->availability[1].period, "2027-Q2");
	assert_int_equal(e->availability[1].capacity, 0);
	assert_pos(e->availability[1].pos, f, 20, 21);
	e = &b->experts.v[2];
	assert_string_equal(e->retired, "2027-03-31");
	assert_int_equal(e->n_availability, 1);
	assert_int_equal(e->availability[0].capacity, 1);
	assert_int_equal(e->capacity, 3);
	assert_null(b->companies.v[0].retired);
	assert_string_equal(b->companies.v[1].retired, "2026-06-30");

	assert_int_equal(b->needs.n, 3);
	const lmi_need_rec *n = &b->needs.v[0];
	assert_string_equal(n->id, "n-team");
	assert_int_equal(n->team, 3);
	assert_pos(n->team_pos, f, 38, 11);
	assert_int_equal(n->status, LMI_NEED_OPEN);
	assert_string_equal(n->from, "2027-Q1");     /* any case, kept one way */
	assert_pos(n->from_pos, f, 40, 11);
	assert_string_equal(n->until, "2027-Q4");
	assert_pos(n->until_pos, f, 41, 12);
	assert_string_equal(n->description,
	                    "Vi vil selge massivtreelementer i Tyskland.\n"
	                    "Vi trenger hjelp med \"markedet\" og logistikk.\n");
	assert_null(n->retired);
	n = &b->needs.v[1];
	assert_int_equal(n->team, 1);
	assert_int_equal(n->experts, 2);
	assert_int_equal(n->status, LMI_NEED_DONE);
	assert_null(n->from);
	assert_string_equal(n->description, "Folded text on one line.\n");
	assert_string_equal(n->retired, "2026-12-31");
	n = &b->needs.v[2];
	assert_int_equal(n->team, 0);                /* absent */
	assert_int_equal(n->status, LMI_NEED_WITHDRAWN);
	assert_null(n->description);

	/* A team's engagement: a record for each member, at the team's
	 * record. */
	assert_int_equal(b->engagements.n, 4);
	const lmi_engagement_rec *g = &b->engagements.v[0];
	assert_string_equal(g->period, "2027-Q1");
	assert_string_equal(g->expert.id, "e-bjorn");
	assert_pos(g->expert.pos, f, 62, 47);
	assert_null(g->members);
	assert_int_equal(g->n_members, 0);
	g = &b->engagements.v[1];
	assert_string_equal(g->expert.id, "e-anne");
	assert_string_equal(g->need.id, "n-team");
	assert_true(g->score == 81.5);
	assert_pos(g->pos, f, 62, 5);
	assert_pos(b->engagements.v[0].pos, f, 62, 5);
	assert_string_equal(b->engagements.v[2].expert.id, "e-cato");

	assert_int_equal(b->settings.set, 1u << LM_SET_TEAM_PENALTY);
	assert_true(b->settings.team_penalty == 7.5);
	assert_pos(b->settings.pos[LM_SET_TEAM_PENALTY], f, 65, 26);
	batch_free(&t);
}

/* Every good file and folder together through the public API. */
static void test_good_public(void **state)
{
	(void)state;
	lm_catalog *cat = NULL;
	const char *paths[] = {"data/good/basic.yaml", "data/good/multi.yaml",
	                       "data/good/empty.yaml", "data/good/tree"};
	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	int rc = lm_catalog_load_paths(cat, paths, 4);
	if (rc != LM_OK)
		fprintf(stderr, "%s\n", lm_catalog_errmsg(cat));
	assert_int_equal(rc, LM_OK);
	assert_int_equal(lm_catalog_diag_count(cat), 0);
	assert_string_equal(lm_catalog_errmsg(cat), "");
	/* basic: 2, multi: hamar, tree: a and sub/b (not .skip, .hidden,
	 * notes.txt or the symlinked folder) */
	assert_int_equal(lm_catalog_count(cat, LM_PLACE), 5);
	assert_int_equal(lm_catalog_count(cat, LM_SKILL), 4);
	assert_int_equal(lm_catalog_count(cat, LM_EXPERT), 2);

	/* multi.yaml's aliased label */
	size_t i;
	const lm_skill_info *si;
	assert_int_equal(lm_catalog_find(cat, LM_SKILL, "export-se", &i), LM_OK);
	assert_non_null(si = lm_catalog_skill(cat, i));
	assert_string_equal(si->label, "Eksport");
	assert_string_equal(si->parent, "export");

	/* A failed load leaves the catalogue as it was. */
	const char *bad[] = {"data/good/basic.yaml", "data/bad/lat91.yaml"};
	assert_int_equal(lm_catalog_load_paths(cat, bad, 2), LM_EINPUT);
	assert_int_equal(lm_catalog_diag_count(cat), 1);
	assert_string_equal(lm_catalog_errmsg(cat),
	                    "data/bad/lat91.yaml:2:27: latitude 91 is outside "
	                    "-90..90");
	assert_int_equal(lm_catalog_count(cat, LM_PLACE), 5);

	/* and the next good load clears the diagnostics */
	const char *again[] = {"data/good/tree"};
	assert_int_equal(lm_catalog_load_paths(cat, again, 1), LM_OK);
	assert_int_equal(lm_catalog_diag_count(cat), 0);
	assert_int_equal(lm_catalog_count(cat, LM_PLACE), 5);
	lm_catalog_free(cat);
}

static void test_tree_walk(void **state)
{
	(void)state;
	batch t;
	batch_path(&t, "data/good/tree/");
	batch_ok(&t);
	assert_int_equal(t.b->places.n, 2);
	assert_string_equal(t.b->places.v[0].id, "a");
	assert_string_equal(t.b->places.v[1].id, "b");
	assert_string_equal(t.b->places.v[0].pos.file, "data/good/tree/a.yaml");
	assert_string_equal(t.b->places.v[1].pos.file,
	                    "data/good/tree/sub/b.yml");
	batch_free(&t);
}

static void test_empty_documents(void **state)
{
	(void)state;
	static const char *const docs[] = {
		"", "---\n", "# only a comment\n", "~\n", "---\n...\n---\n",
		"places: []\nexperts:\nsettings: {}\n", "\xEF\xBB\xBFplaces: []\n"};
	for (size_t i = 0; i < sizeof(docs) / sizeof(*docs); i++) {
		batch t;
		batch_buffer(&t, docs[i], strlen(docs[i]));
		batch_ok(&t);
		batch_free(&t);
	}
	batch t;
	batch_buffer(&t, NULL, 0);
	batch_ok(&t);
	batch_free(&t);
}

/* Merge keys and block scalars (issue 14, item 13): explicit keys win
 * over merged ones, an earlier mapping of a list over a later one, and a
 * merged value keeps the position where it was written; a block scalar
 * of a one-line field loses its final line break. */
static void test_idioms(void **state)
{
	(void)state;
	batch t;
	const char *f = "data/good/idioms.yaml";
	batch_path(&t, f);
	batch_expect(&t, LM_OK, 0);
	const lm_catalog *b = t.b;
	assert_int_equal(b->experts.n, 5);
	const lmi_expert_rec *a = &b->experts.v[0], *e = &b->experts.v[1];
	assert_string_equal(a->id, "e-a");
	assert_int_equal(a->capacity, 3);
	/* e-b: its own id, name and capacity, the rest of e-a's. */
	assert_string_equal(e->id, "e-b");
	assert_string_equal(e->name, "B");
	assert_int_equal(e->capacity, 1);
	assert_string_equal(e->garden.id, "g");
	assert_pos(e->garden.pos, f, 13, 38);
	assert_string_equal(e->home.id, "h");
	assert_int_equal(e->n_skills, 1);
	assert_string_equal(e->skills[0].skill.id, "x");
	assert_int_equal(e->skills[0].level, 3);
	assert_pos(e->skills[0].level_pos, f, 13, 62);
	assert_pos(e->pos, f, 14, 5);
	/* e-c: e-a comes first in its list, so e-a's capacity wins; the
	 * second mapping adds remote. */
	e = &b->experts.v[2];
	assert_string_equal(e->id, "e-c");
	assert_int_equal(e->capacity, 3);
	assert_int_equal(e->remote, 0);
	/* e-d: the first mapping's remote, e-a's capacity. */
	e = &b->experts.v[3];
	assert_string_equal(e->id, "e-d");
	assert_int_equal(e->remote, 0);
	assert_int_equal(e->capacity, 3);
	/* e-e: a folded name, and skills merged inside skills. */
	e = &b->experts.v[4];
	assert_string_equal(e->name, "E with a folded name");
	assert_int_equal(e->capacity, 3);
	assert_int_equal(e->n_skills, 2);
	assert_string_equal(e->skills[0].skill.id, "x");
	assert_int_equal(e->skills[0].level, 5);
	assert_string_equal(e->skills[1].skill.id, "y");
	assert_int_equal(e->skills[1].level, 2);
	assert_pos(e->skills[1].level_pos, f, 24, 22);
	/* Block scalars: one line each; a free text keeps its breaks. */
	assert_int_equal(b->needs.n, 2);
	assert_string_equal(b->needs.v[0].title, "One line, literally");
	assert_string_equal(b->needs.v[1].title, "Kept breaks");
	assert_string_equal(b->needs.v[1].description, "Two lines\nof text\n");
	/* Settings merge too. */
	assert_true(b->settings.v.max_travel_km == 200);
	assert_true(b->settings.v.road_factor == 1.2);
	assert_pos(b->settings.pos[LM_SET_MAX_TRAVEL_KM], f, 40, 32);
	batch_free(&t);

	/* Through the public API, references and all. */
	lm_catalog *cat = NULL;
	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	assert_int_equal(lm_catalog_load_paths(cat, &f, 1), LM_OK);
	assert_int_equal(lm_catalog_count(cat, LM_EXPERT), 5);
	lm_catalog_free(cat);
}

/* ---- bad input, one fixture per class -------------------------------------- */

typedef struct bad_case {
	const char *file;
	int rc;
	size_t ndiags;
	unsigned line, col;
	const char *text;    /* part of the first diagnostic's message */
} bad_case;

static const bad_case bad_cases[] = {
	{"syntax.yaml", LM_EINPUT, 1, 3, 5,
	 "YAML syntax error: did not find expected ',' or '}' (while parsing "
	 "a flow mapping at line 2, column 5)"},
	{"unknown_key.yaml", LM_EINPUT, 1, 7, 5,
	 "unknown key 'capacty' in expert (did you mean 'capacity'?)"},
	{"wrong_type.yaml", LM_EINPUT, 1, 2, 27,
	 "expected a number for 'lat', got 'abc'"},
	{"level0.yaml", LM_EINPUT, 1, 2, 68, "level 0 is outside 1..5"},
	{"level6.yaml", LM_EINPUT, 1, 5, 23, "level 6 is outside 1..5"},
	{"lat91.yaml", LM_EINPUT, 1, 2, 27, "latitude 91 is outside -90..90"},
	{"nan.yaml", LM_EINPUT, 1, 2, 27, "expected a number for 'lat', got '.nan'"},
	{"negative_capacity.yaml", LM_EINPUT, 1, 7, 15,
	 "capacity -1 is outside 0..1000"},
	{"bad_utf8.yaml", LM_EINPUT, 1, 2, 22,
	 "invalid UTF-8: invalid leading UTF-8 octet (byte 0xF8)"},
	{"too_many_aliases.yaml", LM_EINPUT, 1, 104, 22,
	 "too many aliases (limit 100)"},
	{"missing_key.yaml", LM_EINPUT, 1, 2, 5,
	 "expert 'e-x': missing required key 'garden'"},
	{"empty_id.yaml", LM_EINPUT, 1, 2, 10, "'id' is empty"},
	{"duplicate_key.yaml", LM_EINPUT, 1, 5, 5, "duplicate key 'name'"},
	{"bad_period.yaml", LM_EINPUT, 1, 2, 14,
	 "period '2026-Q5' is not of the form YYYY-QN"},
	{"three_errors.yaml", LM_EINPUT, 3, 2, 27, "latitude 91 is outside"},
	{"merge_key.yaml", LM_EINPUT, 4, 9, 5,
	 "unknown key 'skils' in expert (did you mean 'skills'?)"},
};

static void test_bad_fixture(void **state)
{
	const bad_case *bc = *state;
	char path[256];
	batch t;
	snprintf(path, sizeof(path), "data/bad/%s", bc->file);
	batch_path(&t, path);
	batch_expect(&t, bc->rc, bc->ndiags);
	assert_diag(&t.err, 0, path, bc->line, bc->col, bc->text);
	batch_free(&t);

	/* The same through the public API, which leaves nothing behind. */
	lm_catalog *cat = NULL;
	const char *p = path;
	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	assert_int_equal(lm_catalog_load_paths(cat, &p, 1), bc->rc);
	assert_int_equal(lm_catalog_diag_count(cat), bc->ndiags);
	for (int k = 0; k < LMI_KIND_COUNT; k++)
		assert_int_equal(lm_catalog_count(cat, (lm_kind)k), 0);
	lm_catalog_free(cat);
}

static void test_three_errors(void **state)
{
	(void)state;
	batch t;
	const char *f = "data/bad/three_errors.yaml";
	batch_path(&t, f);
	batch_expect(&t, LM_EINPUT, 3);
	assert_diag(&t.err, 0, f, 2, 27, "latitude 91 is outside -90..90");
	assert_diag(&t.err, 1, f, 3, 38,
	            "unknown key 'alt' in place (did you mean 'lat'?)");
	assert_diag(&t.err, 2, f, 5, 64, "level 7 is outside 1..5");
	/* bad records are left out, good ones are read */
	assert_int_equal(t.b->places.n, 0);
	batch_free(&t);
}

static void test_billion_laughs(void **state)
{
	(void)state;
	batch t;
	const char *f = "data/bad/billion_laughs.yaml";
	batch_path(&t, f);
	batch_expect(&t, LM_EINPUT, 2);
	assert_diag(&t.err, 0, f, 2, 1, "unknown key 'lol' in the top-level");
	assert_diag(&t.err, 1, f, 7, 9, "alias '*d' expands to too much data");
	batch_free(&t);
}

static void test_missing_path(void **state)
{
	(void)state;
	lm_catalog *cat = NULL;
	const char *paths[] = {"data/good/basic.yaml", "data/no-such-file.yaml"};
	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	assert_int_equal(lm_catalog_load_paths(cat, paths, 2), LM_EIO);
	assert_string_equal(lm_catalog_errmsg(cat),
	                    "data/no-such-file.yaml: No such file or directory");
	assert_int_equal(lm_catalog_count(cat, LM_PLACE), 0);
	lm_catalog_free(cat);
}

/* ---- smaller classes, from buffers ------------------------------------------ */

typedef struct buf_case {
	const char *yaml;
	size_t ndiags;
	unsigned line, col;
	const char *text;
} buf_case;

static const buf_case buf_cases[] = {
	{"places:\n  - {id: a, name: A, lat: \"60\", lon: 1}\n", 1, 2, 27,
	 "expected a number for 'lat', got the quoted string '60'"},
	{"places:\n  - {id: a, name: A, lat: 0x10, lon: 1}\n", 1, 2, 27,
	 "expected a number for 'lat', got '0x10'"},
	{"places:\n  - {id: a, name: A, lat: -.inf, lon: 1}\n", 1, 2, 27,
	 "expected a number for 'lat', got '-.inf'"},
	{"places:\n  - {id: a, name: A, lat: 1e999, lon: 1}\n", 1, 2, 27,
	 "latitude 1e999 is out of range"},
	{"places:\n  - {id: a, name: A, lat: 1, lon: 180.5}\n", 1, 2, 35,
	 "longitude 180.5 is outside -180..180"},
	{"places:\n  - {id: a, name: A, lat: , lon: 1}\n", 1, 2, 27,
	 "expected a number for 'lat', got nothing"},
	{"places:\n  - {id: \"a\\tb\", name: A, lat: 1, lon: 1}\n", 1, 2, 10,
	 "'id' contains a control character (U+0009)"},
	{"places:\n  - {id: a, name: \"A\\0B\", lat: 1, lon: 1}\n", 1, 2, 19,
	 "not valid UTF-8 or contains a NUL"},
	{"places:\n  - {id: [a], name: A, lat: 1, lon: 1}\n", 1, 2, 10,
	 "expected a string for 'id', got a list"},
	{"places:\n  - just a string\n", 1, 2, 5,
	 "expected a mapping for place, got 'just a string'"},
	{"places: {id: a}\n", 1, 1, 9,
	 "expected a list of places for 'places', got a mapping"},
	{"- a\n- b\n", 1, 1, 1, "expected a mapping of places, gardens"},
	{"places: []\nplaces: []\n", 1, 2, 1, "duplicate key 'places'"},
	{"expert:\n  - {}\n", 1, 1, 1,
	 "unknown key 'expert' in the top-level mapping (did you mean "
	 "'experts'?)"},
	{"? [a]\n: b\nplaces: [{id: a}]\n", 4, 1, 3, "expected a key name"},
	{"places:\n  - {id: p, name: *nope, lat: 1, lon: 1}\n", 1, 2, 19,
	 "alias '*nope' names no anchor defined before it"},
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {a: 2},"
	 " remote: yes}\n", 1, 2, 66, "expected true or false for 'remote', got 'yes'"},
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {}}\n", 1,
	 2, 50, "expert 'e': 'skills' must name at least one skill"},
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {a: 2.5}}\n",
	 1, 2, 54, "level 2.5 is not a whole number"},
	{"experts:\n  - {id: e, name: E, garden: g, home: {lat: 1}, skills: {a: 1}}\n",
	 1, 2, 39, "home 'e': missing required key 'lon'"},
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {a: 1, a: 2}}\n",
	 1, 2, 57, "duplicate key 'a'"},
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {a: 1},"
	 " max_travel_km: 0}\n", 1, 2, 73,
	 "max_travel_km 0 must be more than 0 and at most 20000"},
	{"needs:\n  - {id: n, company: c, skills: {a: {weight: 2}}}\n", 1, 2,
	 37, "need skill 'a': missing required key 'level'"},
	{"needs:\n  - {id: n, company: c, skills: {a: {level: 2, wieght: 2}}}\n",
	 1, 2, 48, "unknown key 'wieght' in need skill (did you mean 'weight'?)"},
	{"needs:\n  - {id: n, company: c, skills: {a: 2}, mode: flying}\n", 1,
	 2, 47, "mode 'flying' is not one of onsite, remote, hybrid"},
	{"needs:\n  - {id: n, company: c, skills: {a: 2}, experts: 0}\n", 1, 2,
	 50, "experts 0 is outside 1..100"},
	{"distances:\n  - {from: a, to: b, km: -1}\n", 1, 2, 26,
	 "km -1 is outside 0..40000"},
	{"engagements:\n  - {period: 2026-Q1, need: n, expert: e, score: 101}\n",
	 1, 2, 50, "score 101 is outside 0..100"},
	/* Periods are read in any case, and only real quarters. */
	{"engagements:\n  - {period: garbage, need: n, expert: e}\n", 1, 2, 14,
	 "period 'garbage' is not of the form YYYY-QN (e.g. 2026-Q4)"},
	{"engagements:\n  - {period: 1899-q4, need: n, expert: e}\n", 1, 2, 14,
	 "period '1899-q4' is not of the form YYYY-QN"},
	{"settings: {max_travl_km: 3}\n", 1, 1, 12,
	 "unknown key 'max_travl_km' in settings (did you mean 'max_travel_km'?)"},
	{"settings: {default_capacity: 2.5}\n", 1, 1, 30,
	 "default_capacity 2.5 is not a whole number"},
	{"places:\n  - {id: a, name: A, lat: 1, lon: 1}\n---\nplaces:\n"
	 "  - {id: b, name: B, lat: 1, lon: 100000}\n", 1, 5, 35,
	 "longitude 100000 is outside"},
	/* The round-2 keys of needs. */
	{"needs:\n  - {id: n, company: c, skills: {a: 2}, team: 9}\n", 1, 2, 47,
	 "team 9 is outside 1..8"},
	{"needs:\n  - {id: n, company: c, skills: {a: 2}, team: 0}\n", 1, 2, 47,
	 "team 0 is outside 1..8"},
	{"needs:\n  - {id: n-x, company: c, skills: {a: 2}, experts: 2,\n"
	 "     team: 3}\n", 1, 3, 12,
	 "need 'n-x': a team need (team: 3) takes one team; 'experts' must "
	 "be 1, not 2"},
	{"needs:\n  - {id: n, company: c, skills: {a: 2}, status: closed}\n", 1,
	 2, 49, "status 'closed' is not one of open, done, withdrawn"},
	{"needs:\n  - {id: n, company: c, skills: {a: 2}, from: 2027-Q5}\n", 1,
	 2, 47, "from '2027-Q5' is not of the form YYYY-QN (e.g. 2026-Q4)"},
	{"needs:\n  - {id: n-x, company: c, skills: {a: 2}, from: 2027-Q2,\n"
	 "     until: 2027-q1}\n", 1, 3, 13,
	 "need 'n-x': 'until' 2027-Q1 is before 'from' 2027-Q2"},
	{"needs:\n  - {id: n, company: c, skills: {a: 2}, retired: 2026-02-29}\n",
	 1, 2, 50, "retired '2026-02-29' is not a day YYYY-MM-DD (e.g. "
	 "2026-12-31)"},
	{"needs:\n  - {id: n, company: c, skills: {a: 2}, retired: 2026-12-31T00}\n",
	 1, 2, 50, "retired '2026-12-31T00' is not a day YYYY-MM-DD"},
	{"needs:\n  - {id: n, company: c, skills: {a: 2}, description: \"a\\tb\"}\n",
	 1, 2, 54, "'description' contains a control character (U+0009)"},
	{"needs:\n  - {id: n, company: c, skills: {a: 2}, description: \"\"}\n",
	 1, 2, 54, "'description' is empty"},
	{"needs:\n  - {id: n, company: c, skills: {a: 2}, tema: 2}\n", 1, 2, 41,
	 "unknown key 'tema' in need (did you mean 'team'?)"},
	/* The round-2 keys of experts and companies. */
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {a: 1},\n"
	 "     availability: {2027-Q1: 1, 2027-q1: 2}}\n", 1, 3, 33,
	 "duplicate key '2027-q1' (quarter 2027-Q1, given at 3:21)"},
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {a: 1},\n"
	 "     availability: {2027-Q5: 1}}\n", 1, 3, 21,
	 "availability: '2027-Q5' is not a quarter YYYY-QN (e.g. 2026-Q4)"},
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {a: 1},\n"
	 "     availability: {2027-Q1: 1001}}\n", 1, 3, 30,
	 "capacity 1001 is outside 0..1000"},
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {a: 1},\n"
	 "     availability: {2027-Q1: -1}}\n", 1, 3, 30,
	 "capacity -1 is outside 0..1000"},
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {a: 1},\n"
	 "     availability: {2027-Q1: x}}\n", 1, 3, 30,
	 "expected a number for '2027-Q1', got 'x'"},
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {a: 1},\n"
	 "     availability: [2027-Q1]}\n", 1, 3, 20,
	 "expected a mapping of quarter: capacity for 'availability', got a "
	 "list"},
	{"experts:\n  - {id: e, name: E, garden: g, home: h, skills: {a: 1},\n"
	 "     retired: 31.12.2026}\n", 1, 3, 15,
	 "retired '31.12.2026' is not a day YYYY-MM-DD"},
	{"companies:\n  - {id: c, name: C, place: p, retired: 2026-13-01}\n", 1,
	 2, 41, "retired '2026-13-01' is not a day YYYY-MM-DD"},
	/* Keywords: strings, distinct after folding. */
	{"skills:\n  - {id: s, label: S, keywords: [eksport, Selge, EKSPORT]}\n",
	 1, 2, 50, "skill 's': keyword 'EKSPORT' is the same as 'eksport' "
	 "(given at 2:34)"},
	{"skills:\n  - {id: s, label: S, keywords: [\u00c5s, \"a\\u030As\"]}\n",
	 1, 2, 38, "skill 's': keyword 'a\u030As' is the same as '\u00c5s' "
	 "(given at 2:34)"},
	{"skills:\n  - {id: s, label: S, keywords: [a, \"\"]}\n", 1, 2, 37,
	 "'keywords' is empty"},
	{"skills:\n  - {id: s, label: S, keywords: [a, [b]]}\n", 1, 2, 37,
	 "expected a string for 'keywords', got a list"},
	{"skills:\n  - {id: s, label: S, keywords: eksport}\n", 1, 2, 33,
	 "expected a list for 'keywords', got 'eksport'"},
	{"skills:\n  - {id: s, label: S, keyword: [a]}\n", 1, 2, 23,
	 "unknown key 'keyword' in skill (did you mean 'keywords'?)"},
	/* A team's engagement. */
	{"engagements:\n  - {period: 2026-Q4, need: n, experts: [a, b, a]}\n", 1,
	 2, 48, "engagement: expert 'a' is named twice in 'experts'"},
	{"engagements:\n  - {period: 2026-Q4, need: n, experts: []}\n", 1, 2, 5,
	 "engagement: 'experts' must name 1 to 8 experts, not 0"},
	{"engagements:\n  - {period: 2026-Q4, need: n,\n"
	 "     experts: [a, b, c, d, e, f, g, h, i]}\n", 1, 3, 16,
	 "engagement: 'experts' must name 1 to 8 experts, not 9"},
	{"engagements:\n  - {period: 2026-Q4, need: n, expert: x, experts: [a]}\n",
	 1, 2, 52, "engagement: give 'expert' or 'experts', not both"},
	{"engagements:\n  - {period: 2026-Q4, need: n}\n", 1, 2, 5,
	 "engagement: missing required key 'expert'"},
	{"engagements:\n  - {period: 2026-Q4, need: n, experts: a}\n", 1, 2, 41,
	 "expected a list for 'experts', got 'a'"},
	{"settings: {team_penalty: many}\n", 1, 1, 26,
	 "expected a number for 'team_penalty', got 'many'"},
	/* Block scalars in one-line fields: the final line break goes, an
	 * inner one stays and is refused; other controls as ever. */
	{"needs:\n  - id: n\n    company: c\n    skills: {a: 2}\n"
	 "    title: |\n      two\n      lines\n", 1, 5, 12,
	 "'title' is one line, but this block keeps a line break inside it "
	 "(fold it into one line with > or >-)"},
	{"places:\n  - id: a\n    name: >\n      tab\there\n    lat: 1\n"
	 "    lon: 1\n", 1, 3, 11,
	 "'name' contains a control character (U+0009)"},
	{"places:\n  - id: a\n    name: |\n\n    lat: 1\n    lon: 1\n", 1,
	 3, 11, "'name' is empty"},
	/* Merge keys. */
	{"experts:\n  - {<<: 3, id: e, name: E, garden: g, home: h, "
	 "skills: {a: 1}}\n", 1, 2, 10,
	 "expected a mapping or a list of mappings (such as *defaults) for "
	 "'<<', got '3'"},
	{"experts:\n  - {<<: [{name: E}, 3], id: e, garden: g, home: h, "
	 "skills: {a: 1}}\n", 1, 2, 22,
	 "expected a mapping to merge for '<<', got '3'"},
	{"experts:\n  - {<<: {name: E}, <<: {name: F}, id: e, garden: g, "
	 "home: h, skills: {a: 1}}\n", 1, 2, 21, "duplicate key '<<'"},
	{"experts:\n  - {\"<<\": {name: E}, id: e, name: E, garden: g, "
	 "home: h, skills: {a: 1}}\n", 1, 2, 6,
	 "unknown key '<<' in expert"},
	/* A merged pair is reported where it was written (a node starts
	 * at its anchor). */
	{"experts:\n  - {id: e, name: E, garden: g, home: &c {lat: 60, "
	 "lon: 11},\n     skills: {a: 1}}\ncompanies:\n"
	 "  - {<<: *c, id: co, name: C, place: p}\n", 2, 2, 43,
	 "unknown key 'lat' in company"},
	{"experts:\n  - {id: e1, name: E, garden: g, home: h,\n"
	 "     skills: {a: 1}, capacity: &cap 2000}\n"
	 "  - {<<: {capacity: *cap}, id: e2, name: F, garden: g, home: h,\n"
	 "     skills: {a: 1}}\n", 2, 3, 32,
	 "capacity 2000 is outside 0..1000"},
};

static void test_buffer_case(void **state)
{
	const buf_case *bc = *state;
	batch t;
	batch_buffer(&t, bc->yaml, strlen(bc->yaml));
	batch_expect(&t, LM_EINPUT, bc->ndiags);
	assert_diag(&t.err, 0, "buf.yaml", bc->line, bc->col, bc->text);
	batch_free(&t);
}

/* ---- generated limit cases --------------------------------------------------- */

static void test_deep_nesting(void **state)
{
	(void)state;
	const size_t depth = 100000;
	size_t len = 3 + 2 * depth + 1;
	char *doc = malloc(len + 1);
	assert_non_null(doc);
	memcpy(doc, "a: ", 3);
	memset(doc + 3, '[', depth);
	memset(doc + 3 + depth, ']', depth);
	doc[len - 1] = '\n';
	doc[len] = '\0';
	batch t;
	batch_buffer(&t, doc, len);
	batch_expect(&t, LM_EINPUT, 2);  /* unknown key 'a', then depth */
	/* the top mapping is level 1, so the 32nd '[' is the 33rd level */
	assert_diag(&t.err, 1, "buf.yaml", 1, 3 + 32,
	            "nesting deeper than 32 levels");
	batch_free(&t);

	/* the same in block style inside a record */
	char *p = doc;
	p += sprintf(p, "places:\n");
	for (int i = 0; i < 40; i++)
		p += sprintf(p, "%*s- \n", 2 * i, "");
	batch_buffer(&t, doc, strlen(doc));
	batch_expect(&t, LM_EINPUT, 1);
	assert_diag(&t.err, 0, "buf.yaml", 33, 63, "nesting deeper than 32");
	batch_free(&t);
	free(doc);
}

static void test_huge_scalar(void **state)
{
	(void)state;
	char dir[] = "/tmp/lm-test-loader-XXXXXX";
	char path[64];
	const size_t big = (size_t)40 * 1024 * 1024;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/big.yaml", dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("places:\n  - {id: a, name: ", fp);
	char *chunk = malloc(1 << 20);
	assert_non_null(chunk);
	memset(chunk, 'x', 1 << 20);
	for (size_t i = 0; i < big >> 20; i++)
		assert_int_equal(fwrite(chunk, 1, 1 << 20, fp), 1 << 20);
	free(chunk);
	fputs(", lat: 1, lon: 1}\n  - {id: b, name: B, lat: 99, lon: 1}\n", fp);
	assert_int_equal(fclose(fp), 0);

	batch t;
	batch_path(&t, path);
	/* the scalar, then parsing went on to the next record */
	batch_expect(&t, LM_EINPUT, 2);
	assert_diag(&t.err, 0, path, 2, 19,
	            "scalar is 41943040 bytes; the limit is 65536");
	assert_diag(&t.err, 1, path, 3, 27, "latitude 99 is outside");
	batch_free(&t);
	unlink(path);
	rmdir(dir);
}

static void test_document_size(void **state)
{
	(void)state;
	const size_t limit = (size_t)128 * 1024 * 1024;
	char *doc = calloc(limit + 1, 1); /* never touched: rejected by size */
	assert_non_null(doc);
	batch t;
	batch_buffer(&t, doc, limit + 1);
	batch_expect(&t, LM_EINPUT, 1);
	assert_diag(&t.err, 0, "buf.yaml", 1, 1,
	            "file is 134217729 bytes; the limit is 134217728");
	batch_free(&t);
	free(doc);
}

static void test_aliases_within_limits(void **state)
{
	(void)state;
	const char *doc =
		"skills:\n"
		"  - {id: a, label: A, aliases: &al [x, y]}\n"
		"  - {id: b, label: B, aliases: *al}\n"
		"experts:\n"
		"  - &e {id: e1, name: E, garden: g, home: h, skills: &s {a: 3}}\n"
		"  - {id: e2, name: F, garden: g, home: h, skills: *s}\n";
	batch t;
	batch_buffer(&t, doc, strlen(doc));
	batch_ok(&t);
	assert_int_equal(t.b->skills.v[1].n_aliases, 2);
	assert_string_equal(t.b->skills.v[1].aliases[1], "y");
	assert_int_equal(t.b->experts.n, 2);
	assert_int_equal(t.b->experts.v[1].skills[0].level, 3);
	batch_free(&t);
}

/* A need's description: newlines allowed, at most 4,000 bytes. */
static void test_description_limit(void **state)
{
	(void)state;
	char doc[4200];
	for (int len = 4000; len <= 4001; len++) {
		int at = snprintf(doc, sizeof doc, "needs:\n  - id: n\n"
		                  "    company: c\n    skills: {a: 2}\n"
		                  "    description: \"");
		for (int i = 0; i < len; i++)
			doc[at++] = i % 80 == 79 ? ' ' : 'x';
		snprintf(doc + at, sizeof doc - (size_t)at, "\"\n");
		batch t;
		batch_buffer(&t, doc, strlen(doc));
		if (len == 4000) {
			batch_ok(&t);
			assert_int_equal(strlen(t.b->needs.v[0].description), 4000);
		} else {
			batch_expect(&t, LM_EINPUT, 1);
			assert_diag(&t.err, 0, "buf.yaml", 5, 18, "description is "
			            "4001 bytes; the limit is 4000");
		}
		batch_free(&t);
	}
}

/* A period in any case is kept as libmatch writes it. */
static void test_period_any_case(void **state)
{
	(void)state;
	const char *doc = "engagements:\n"
	                  "  - {period: 2026-q4, need: n, expert: e}\n";
	batch t;
	batch_buffer(&t, doc, strlen(doc));
	batch_ok(&t);
	assert_int_equal(t.b->engagements.n, 1);
	assert_string_equal(t.b->engagements.v[0].period, "2026-Q4");
	batch_free(&t);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	lm_catalog *cat = NULL;
	lmi_err err = {0};
	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	assert_int_equal(lmi_yaml_parse_buffer(cat, "x", NULL, 3, &err),
	                 LM_EINVAL);
	assert_int_equal(lmi_yaml_parse_paths(cat, NULL, 1, &err), LM_EINVAL);
	assert_int_equal(lm_catalog_load_buffer(cat, "x", NULL, 3), LM_EINVAL);
	assert_int_equal(lm_catalog_load_paths(NULL, NULL, 0), LM_EINVAL);
	assert_int_equal(lm_catalog_load_paths(cat, NULL, 0), LM_OK);
	lm_catalog_free(cat);
	lmi_err_free(&err);
}

/* ---- libyaml on its own thread --------------------------------------- */

/* Parse `len` bytes in the given thread mode; the diagnostics and a
 * summary of the records as text. */
static char *parse_summary(const char *data, size_t len,
                           lmi_yaml_threads threads)
{
	lm_catalog *b = NULL;
	lmi_err err = {0};
	char *out = NULL;
	size_t olen = 0;
	FILE *fp = open_memstream(&out, &olen);
	assert_non_null(fp);
	assert_int_equal(lm_catalog_new(&b), LM_OK);
	int rc = lmi_yaml_parse_buffer_threads(b, "t.yaml", data, len, &err,
	                                      threads);
	fprintf(fp, "rc %d\n", rc);
	for (size_t i = 0; i < err.ndiags; i++)
		fprintf(fp, "%u:%u: %s\n", err.diags[i].line,
		        err.diags[i].column, err.diags[i].message);
	for (int k = 0; k < LMI_KIND_COUNT; k++)
		fprintf(fp, "kind %d: %zu\n", k, lm_catalog_count(b, (lm_kind)k));
	for (size_t i = 0; i < b->experts.n; i++) {
		const lmi_expert_rec *e = &b->experts.v[i];
		fprintf(fp, "%s|%s|%s|%u:%u", e->id, e->name, e->garden.id,
		        e->pos.line, e->pos.col);
		for (uint32_t j = 0; j < e->n_skills; j++)
			fprintf(fp, "|%s=%d", e->skills[j].skill.id,
			        e->skills[j].level);
		for (uint32_t j = 0; j < e->n_languages; j++)
			fprintf(fp, "|%s", e->languages[j]);
		fputc('\n', fp);
	}
	fclose(fp);
	lm_catalog_free(b);
	lmi_err_free(&err);
	return out;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len + 4096 > cap) {
			cap = cap * 2 + 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t got = fread(buf + *len, 1, 4096, fp);
		*len += got;
		if (got == 0)
			break;
	}
	fclose(fp);
	return buf;
}

static void same_either_way(const char *what, const char *data, size_t len)
{
	char *one = parse_summary(data, len, LM_YAML_THREADS_NEVER);
	char *two = parse_summary(data, len, LM_YAML_THREADS_ALWAYS);
	char *tiny = parse_summary(data, len, LM_YAML_THREADS_TINY);
	if (strcmp(one, two))
		fail_msg("%s: one thread:\n%s\ntwo threads:\n%s", what, one, two);
	if (strcmp(one, tiny))
		fail_msg("%s: one thread:\n%s\nbatches of three:\n%s", what,
		         one, tiny);
	free(one);
	free(two);
	free(tiny);
}

/* The records and diagnostics do not depend on whether libyaml runs on a
 * thread of its own: every fixture, every buffer case, and big documents
 * (many batches of events) broken at many places. */
static void test_threads_same(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(*bad_cases); i++) {
		char path[256];
		size_t len;
		snprintf(path, sizeof(path), "data/bad/%s", bad_cases[i].file);
		char *data = read_all(path, &len);
		same_either_way(path, data, len);
		free(data);
	}
	for (size_t i = 0; i < sizeof(buf_cases) / sizeof(*buf_cases); i++)
		same_either_way(buf_cases[i].yaml, buf_cases[i].yaml,
		                strlen(buf_cases[i].yaml));

	/* 3,000 experts (about 60,000 events), then the same with one
	 * fault put in at different depths. */
	char *big = NULL;
	size_t blen = 0;
	FILE *fp = open_memstream(&big, &blen);
	assert_non_null(fp);
	fputs("places:\n  - {id: p, name: P, lat: 60, lon: 11}\n"
	      "anchors: &a {x: 1}\n" /* unknown key: a diagnostic */
	      "experts:\n", fp);
	for (int i = 0; i < 3000; i++)
		fprintf(fp, "  - id: e%04d\n    name: \"Ekspert %d æøå\"\n"
		        "    garden: g%d\n    home: p\n"
		        "    skills: {s%d: %d, s%d: 3}\n"
		        "    languages: [nb, en]\n%s",
		        i, i, i % 4, i % 70, 1 + i % 5, (i + 7) % 70,
		        i % 997 == 5 ? "    capacty: 2\n" : "");
	fclose(fp);
	same_either_way("big", big, blen);
	static const char *const faults[] = {
		"\n  - {broken: [}\n",          /* syntax error */
		"\n  - id: \xff\xfe\n",          /* invalid UTF-8 */
		"\n  - *nosuch\n",              /* unknown alias */
		"\n  - id: \"a\\0b\"\n",         /* NUL by escape */
		"\n...\n---\nplaces: []\n",     /* a second document */
	};
	for (size_t f = 0; f < sizeof faults / sizeof *faults; f++) {
		for (size_t at = 1000; at < blen; at += blen / 7) {
			/* At the start of a line. */
			size_t cut = at;
			while (cut < blen && big[cut - 1] != '\n')
				cut++;
			size_t flen = strlen(faults[f]);
			char *doc = malloc(blen + flen);
			assert_non_null(doc);
			memcpy(doc, big, cut);
			memcpy(doc + cut, faults[f], flen);
			memcpy(doc + cut + flen, big + cut, blen - cut);
			same_either_way(faults[f], doc, blen + flen);
			free(doc);
		}
	}
	free(big);
}

/* lmi_utf8_valid against a plain decoder, on strings that mix ASCII with
 * good and bad sequences at every alignment of its 8-byte steps. */
static bool utf8_reference(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t k;
		uint32_t cp;
		if ((c & 0xE0) == 0xC0) {
			k = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			k = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) ||
		    (k == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += k + 1;
	}
	return true;
}

static void test_utf8_valid(void **state)
{
	(void)state;
	static const unsigned char pool[] = {
		0x00, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xC3, 0xA5, 0xE2, 0x82,
		0xAC, 0xED, 0xA0, 0x9F, 0xF0, 0x9F, 0x98, 0x80, 0xF4, 0x90,
		0xFF,
	};
	unsigned char buf[40];
	uint64_t x = 42;
	for (int t = 0; t < 300000; t++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t n = (size_t)(x >> 33) % sizeof buf;
		for (size_t i = 0; i < n; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			unsigned r = (unsigned)(x >> 40);
			buf[i] = r % 4 ? (unsigned char)('a' + r % 26)
			               : pool[(r >> 8) % sizeof pool];
		}
		if (utf8_reference(buf, n) != lmi_utf8_valid((const char *)buf, n))
			fail_msg("string %d of %zu bytes: %s", t, n,
			         utf8_reference(buf, n) ? "valid" : "invalid");
	}
}

int main(void)
{
	struct CMUnitTest tests[64];
	size_t n = 0;
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_good_records);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_round2_records);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_good_public);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_tree_walk);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_empty_documents);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_idioms);
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(*bad_cases); i++) {
		tests[n++] = lmt_case(bad_cases[i].file, test_bad_fixture,
		                      (void *)&bad_cases[i]);
	}
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_three_errors);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_billion_laughs);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_missing_path);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_deep_nesting);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_huge_scalar);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_document_size);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_aliases_within_limits);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_period_any_case);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_description_limit);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_bad_arguments);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_threads_same);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_utf8_valid);
	int failed = _cmocka_run_group_tests("loader", tests, n, NULL, NULL);

	/* The buffer cases as a second group, named by their text. */
	struct CMUnitTest btests[sizeof(buf_cases) / sizeof(*buf_cases)];
	for (size_t i = 0; i < sizeof(buf_cases) / sizeof(*buf_cases); i++) {
		btests[i] = lmt_case(buf_cases[i].text, test_buffer_case,
		                     (void *)&buf_cases[i]);
	}
	failed += _cmocka_run_group_tests("loader-buffers", btests,
	                                  sizeof(btests) / sizeof(*btests),
	                                  NULL, NULL);
	return failed ? 1 : 0;
}
