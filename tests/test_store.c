/* SPDX-License-Identifier: MIT */
/*
 * test_store.c -- cmocka tests of the SQLite store (libmatch/io/store_*.c):
 * opening, creating and recognising a database, loading YAML into it (all
 * or nothing, idempotent, order-free, resolving against what is stored),
 * reading it back, committing a plan with its re-check, and releasing.
 *
 * Every test works in its own temporary folder under /tmp, which the
 * teardown removes.  "Unchanged" is checked with a dump of every table in
 * a fixed order, compared byte for byte.
 */
#include "lm_test.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "model/catalog.h"
#include "lm_sql.h"

/* ---- fixtures ------------------------------------------------------------ */

/* Places, gardens, skills, settings and a distance. */
static const char base_yaml[] =
	"places:\n"
	"  - {id: tynset, name: Tynset, lat: 62.276, lon: 10.782}\n"
	"  - {id: skarnes, name: Skarnes, lat: 60.254, lon: 11.684}\n"
	"  - {id: magnor, name: Magnor, lat: 59.955, lon: 12.205}\n"
	"gardens:\n"
	"  - {id: odal, name: Odal Næringshage, place: skarnes}\n"
	"  - {id: sor-osterdal, name: Sør-Østerdal Næringshage, place: Tynset}\n"
	"skills:\n"
	"  - {id: digital-marketing, label: Digital markedsføring,\n"
	"     parent: marketing, aliases: [SEO, \"sosiale medier\"]}\n"
	"  - {id: marketing, label: Markedsføring}\n"
	"  - {id: export, label: Eksport}\n"
	"distances:\n"
	"  - {from: tynset, to: magnor, km: 292}\n"
	"settings: {max_travel_km: 280, default_capacity: 1}\n";

/* Experts, companies and needs that refer to base_yaml by id and name. */
static const char people_yaml[] =
	"experts:\n"
	"  - id: e-ingrid\n"
	"    name: Ingrid Berg\n"
	"    garden: Odal Næringshage\n"
	"    home: SKARNES\n"
	"    skills: {export: 4, seo: 3}\n"
	"    capacity: 3\n"
	"    languages: [nb, en]\n"
	"  - id: e-ola\n"
	"    name: Ola Nordmann\n"
	"    garden: sor-osterdal\n"
	"    home: {lat: 62.0, lon: 10.5}\n"
	"    skills: {marketing: 5, export: 3}\n"
	"    max_travel_km: 150\n"
	"    remote: false\n"
	"    languages: [nb]\n"
	"    conflicts: [c-magnor-glass]\n"
	"  - id: e-kari\n"
	"    name: Kari Sandvoll\n"
	"    garden: odal\n"
	"    home: magnor\n"
	"    skills: {export: 1}\n"
	"    capacity: 5\n"
	"companies:\n"
	"  - {id: c-tynset-tre, name: Tynset Tre AS, place: tynset,\n"
	"     garden: sor-osterdal}\n"
	"  - {id: c-magnor-glass, name: Magnor Glass AS, place: magnor}\n"
	"  - {id: c-field, name: Field AS, place: {lat: 61.5, lon: 11.0}}\n"
	"needs:\n"
	"  - id: n-export-se\n"
	"    company: c-tynset-tre\n"
	"    title: Enter the Swedish market\n"
	"    skills: {export: {level: 3, weight: 2}, marketing: 2}\n"
	"    experts: 2\n"
	"    language: nb\n"
	"    max_km: 270\n"
	"  - id: n-seo\n"
	"    company: c-tynset-tre\n"
	"    skills: {digital-marketing: {level: 2, optional: false}}\n"
	"    mode: remote\n"
	"  - id: n-other\n"
	"    company: c-field\n"
	"    skills: {marketing: 1}\n"
	"    mode: remote\n"
	"    language: sv\n"; /* nobody speaks it: never planned */

typedef struct fx {
	char dir[64];
	char *db;      /* dir/match.db */
	char *base;    /* dir/base.yaml */
	char *people;  /* dir/people.yaml */
} fx;

static char *path_in(const fx *f, const char *name)
{
	size_t n = strlen(f->dir) + strlen(name) + 2;
	char *p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", f->dir, name);
	return p;
}

/* Write `text` to dir/name; returns the malloc'd path. */
static char *write_file(const fx *f, const char *name, const char *text)
{
	char *p = path_in(f, name);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
	return p;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/lm-store-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->db = path_in(f, "match.db");
	f->base = write_file(f, "base.yaml", base_yaml);
	f->people = write_file(f, "people.yaml", people_yaml);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	DIR *d = opendir(f->dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *p = path_in(f, e->d_name);
			unlink(p);
			free(p);
		}
		closedir(d);
	}
	rmdir(f->dir);
	free(f->db);
	free(f->base);
	free(f->people);
	free(f);
	return 0;
}

/* Print every diagnostic of a failed call, to make a failure readable. */
static void print_diags(const lm_db *db)
{
	fprintf(stderr, "  errmsg: %s\n", lm_db_errmsg(db));
	for (size_t i = 0; i < lm_db_diag_count(db); i++) {
		const lm_diag *d = lm_db_diag(db, i);
		fprintf(stderr, "  %s:%u:%u: %s\n", d->file ? d->file : "-",
		        d->line, d->column, d->message);
	}
}

static lm_db *open_db(const char *path, unsigned flags)
{
	lm_db *db = NULL;
	int rc = lm_db_open(path, flags, &db);
	if (rc != LM_OK)
		print_diags(db);
	assert_int_equal(rc, LM_OK);
	return db;
}

static void load_ok(lm_db *db, const char *const *paths, size_t n)
{
	int rc = lm_db_load(db, paths, n, NULL, NULL);
	if (rc != LM_OK)
		print_diags(db);
	assert_int_equal(rc, LM_OK);
}

/* Write `text` to the file `name` in the fixture's folder and load it
 * into db. */
static void load_text(const fx *f, lm_db *db, const char *name,
                      const char *text)
{
	char *p = write_file(f, name, text);
	load_ok(db, (const char *const[]){p}, 1);
	free(p);
}

/* Create dir/match.db and load base + people into it. */
static lm_db *loaded_db(const fx *f)
{
	lm_db *db = open_db(f->db, LM_DB_CREATE);
	const char *paths[] = {f->base, f->people};
	load_ok(db, paths, 2);
	return db;
}

/*
 * Every table's rows in a fixed order (all columns), as one malloc'd
 * string.  Table names come from sqlite_master, not from outside, so
 * building the SQL text is safe here.  `skip` names a column to leave out
 * (committed_at varies with the clock), or NULL.  The rows of meta are
 * left out too: its data_version counts the loads that made the content,
 * which two databases of the same content need not share (the tests of
 * data_version look at it themselves).
 */
static char *dump(const char *path, const char *skip)
{
	sqlite3_stmt *tables = raw_query(path,
		"SELECT name, sql FROM sqlite_master ORDER BY type, name");
	sqlite3 *db = sqlite3_db_handle(tables);
	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);
	assert_non_null(mem);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		const char *sql = (const char *)sqlite3_column_text(tables, 1);
		fprintf(mem, "== %s\n%s\n", name, sql ? sql : "");
		if (!sql || strncmp(sql, "CREATE TABLE", 12) != 0 ||
		    !strcmp(name, "meta"))
			continue;
		char q[512];
		sqlite3_stmt *st = NULL;
		snprintf(q, sizeof(q), "SELECT * FROM \"%s\"", name);
		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL),
		                 SQLITE_OK);
		int ncol = sqlite3_column_count(st);
		sqlite3_finalize(st);
		size_t at = (size_t)snprintf(q, sizeof(q),
		                             "SELECT * FROM \"%s\" ORDER BY 1",
		                             name);
		for (int c = 2; c <= ncol; c++)
			at += (size_t)snprintf(q + at, sizeof(q) - at, ", %d", c);
		assert_true(at < sizeof(q));
		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL),
		                 SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < ncol; c++) {
				if (skip && !strcmp(sqlite3_column_name(st, c), skip))
					continue;
				switch (sqlite3_column_type(st, c)) {
				case SQLITE_NULL:
					fputs("NULL", mem);
					break;
				case SQLITE_FLOAT:
					fprintf(mem, "%.17g",
					        sqlite3_column_double(st, c));
					break;
				default:
					fputs((const char *)sqlite3_column_text(st, c),
					      mem);
				}
				fputc(c + 1 < ncol ? '|' : '\n', mem);
			}
		}
		sqlite3_finalize(st);
	}
	raw_done(tables);
	assert_int_equal(fclose(mem), 0);
	return out;
}

static size_t index_of(const lm_catalog *cat, lm_kind kind, const char *id)
{
	uint32_t i;
	assert_true(lmi_map_get(&cat->ids[kind], id, &i));
	return i;
}

/* ---- open ------------------------------------------------------------------ */

static void test_open_missing(void **state)
{
	fx *f = *state;
	lm_db *db = NULL;
	assert_int_equal(lm_db_open(f->db, 0, &db), LM_EDB);
	assert_non_null(db);
	char want[256];
	snprintf(want, sizeof(want),
	         "%s: no database here; run 'match init' to create it", f->db);
	assert_string_equal(lm_db_errmsg(db), want);
	lm_db_close(db);
	struct stat sb;
	assert_int_equal(stat(f->db, &sb), -1); /* nothing was created */

	/* Read-only is no different. */
	db = NULL;
	assert_int_equal(lm_db_open(f->db, LM_DB_READONLY, &db), LM_EDB);
	assert_string_equal(lm_db_errmsg(db), want);
	lm_db_close(db);

	db = NULL;
	assert_int_equal(lm_db_open(NULL, 0, &db), LM_EINVAL);
	lm_db_close(db);
	assert_int_equal(lm_db_open(f->db, 0, NULL), LM_EINVAL);
	lm_db_close(NULL); /* a no-op */
}

/* Schema 3 keeps an expert's skills and languages as JSON in its row
 * (store_schema.h): written escaped, read back as they were, shown as
 * rows by the views, and refused with a clear error when edited by hand
 * into something libmatch would not write. */
static void test_expert_lists_json(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	/* Quotes, backslashes and a letter beyond ASCII in a language
	 * (control characters are refused by the loader). */
	load_text(f, db, "odd.yaml",
		"experts:\n"
		"  - id: e-ola\n"
		"    name: Ola Nordmann\n"
		"    garden: sor-osterdal\n"
		"    home: {lat: 62.0, lon: 10.5}\n"
		"    skills: {marketing: 5, export: 3}\n"
		"    languages: [sv, \"a\\\"b\\\\cæ\", nb]\n");
	lm_db_close(db);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM experts WHERE "
	                         "id = 'e-ola' AND skills = "
	                         "'{\"export\":3,\"marketing\":5}' AND "
	                         "json_valid(languages)"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM expert_languages "
	                         "WHERE expert = 'e-ola' AND pos = 1 AND "
	                         "lang = 'a\"b\\cæ'"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM expert_skills "
	                         "WHERE expert = 'e-ola' AND skill = 'export' "
	                         "AND level = 3"), 1);
	db = open_db(f->db, LM_DB_READONLY);
	lm_catalog *cat = NULL;
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	const lmi_expert_rec *e = &cat->experts.v[index_of(cat, LM_EXPERT,
	                                                  "e-ola")];
	assert_int_equal(e->n_languages, 3);
	assert_string_equal(e->languages[0], "sv");
	assert_string_equal(e->languages[1], "a\"b\\cæ");
	assert_string_equal(e->languages[2], "nb");
	lm_catalog_free(cat);
	lm_db_close(db);

	/* Lists edited by hand into other valid JSON read as the views
	 * show them: libmatch parses its own compact form itself and
	 * hands anything else to SQLite's json_each(). */
	static const char *const good[] = {
		"UPDATE experts SET skills = ' { \"export\" : 3 ,\n"
		"\"marketing\":5 } ', languages = ' [ \"sv\" , \"nb\" ] '",
		"UPDATE experts SET skills = '{\"ex\\u0070ort\":3}', "
		"languages = '[\"n\\u0062\", \"x\\/y\", \"\\u00e6\"]'",
		"UPDATE experts SET skills = '{\"export\":3,\"export\":4}', "
		"languages = '[]'",
		"UPDATE experts SET languages = NULL",
		"UPDATE experts SET skills = '{}'",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char sql[512];
		raw_exec(f->db, "UPDATE experts SET skills = "
		         "'{\"export\":3,\"marketing\":5}', languages = "
		         "'[\"sv\",\"nb\"]' WHERE id = 'e-ola'");
		snprintf(sql, sizeof sql, "%s WHERE id = 'e-ola'", good[i]);
		raw_exec(f->db, sql);
		db = open_db(f->db, LM_DB_READONLY);
		cat = NULL;
		int rc = lm_db_read(db, &cat);
		/* A skill listed twice is refused as it is from a profile. */
		if (strstr(good[i], "\"export\":4")) {
			assert_int_equal(rc, LM_EDB);
			assert_non_null(strstr(lm_db_errmsg(db),
			                       "lists skill 'export' twice"));
			lm_db_close(db);
			continue;
		}
		if (rc != LM_OK)
			fail_msg("edit %zu: %s", i, lm_db_errmsg(db));
		e = &cat->experts.v[index_of(cat, LM_EXPERT, "e-ola")];
		assert_int_equal(e->n_skills,
		                 raw_int(f->db, "SELECT count(*) FROM "
		                         "expert_skills WHERE expert = 'e-ola'"));
		for (uint32_t k = 0; k < e->n_skills; k++) {
			snprintf(sql, sizeof sql, "SELECT count(*) FROM "
			         "expert_skills WHERE expert = 'e-ola' AND "
			         "skill = '%s' AND level = %d",
			         e->skills[k].skill.id, e->skills[k].level);
			assert_int_equal(raw_int(f->db, sql), 1);
		}
		assert_int_equal(e->n_languages,
		                 raw_int(f->db, "SELECT count(*) FROM "
		                         "expert_languages WHERE expert = "
		                         "'e-ola'"));
		for (uint32_t k = 0; k < e->n_languages; k++) {
			snprintf(sql, sizeof sql, "SELECT count(*) FROM "
			         "expert_languages WHERE expert = 'e-ola' AND "
			         "pos = %u AND lang = '%s'", k, e->languages[k]);
			assert_int_equal(raw_int(f->db, sql), 1);
		}
		lm_catalog_free(cat);
		lm_db_close(db);
	}
	raw_exec(f->db, "UPDATE experts SET skills = "
	         "'{\"export\":3,\"marketing\":5}', languages = "
	         "'[\"sv\",\"nb\"]' WHERE id = 'e-ola'");

	/* The views are read-only. */
	assert_int_equal(raw_try(f->db, "DELETE FROM expert_skills"), SQLITE_ERROR);

	static const struct {
		const char *sql, *msg;
	} bad[] = {
		{"UPDATE experts SET skills = '{\"export\": 9}' "
		 "WHERE id = 'e-ola'",
		 "expert 'e-ola': the level of skill 'export' is not an integer "
		 "1..5"},
		{"UPDATE experts SET skills = '{\"export\": \"4\"}' "
		 "WHERE id = 'e-ola'",
		 "expert 'e-ola': the level of skill 'export' is not an integer "
		 "1..5"},
		{"UPDATE experts SET skills = '{\"export\": 4.5}' "
		 "WHERE id = 'e-ola'",
		 "expert 'e-ola': the level of skill 'export' is not an integer "
		 "1..5"},
		{"UPDATE experts SET languages = '[\"nb\", 7]' "
		 "WHERE id = 'e-ola'",
		 "expert 'e-ola': a language is not a string"},
		{"UPDATE experts SET skills = '{\"export\": 3' "
		 "WHERE id = 'e-ola'", "malformed JSON"},
		{"UPDATE experts SET skills = '{\"no-such-skill\": 3}' "
		 "WHERE id = 'e-ola'", "inconsistent data"},
		/* json_each() gives 1 for true; a level is an integer. */
		{"UPDATE experts SET skills = '{\"export\": true}' "
		 "WHERE id = 'e-ola'",
		 "expert 'e-ola': the level of skill 'export' is not an "
		 "integer 1..5"},
		{"UPDATE experts SET skills = '[\"export\"]' WHERE id = 'e-ola'",
		 "expert 'e-ola': its skills are not a JSON object"},
		{"UPDATE experts SET skills = '3' WHERE id = 'e-ola'",
		 "expert 'e-ola': its skills are not a JSON object"},
		{"UPDATE experts SET skills = 'null' WHERE id = 'e-ola'",
		 "expert 'e-ola': its skills are not a JSON object"},
		{"UPDATE experts SET languages = '{\"a\": \"nb\"}' "
		 "WHERE id = 'e-ola'",
		 "expert 'e-ola': its languages are not a JSON array"},
		{"UPDATE experts SET languages = '[[\"nb\"]]' WHERE id = 'e-ola'",
		 "expert 'e-ola': a language is not a string"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		raw_exec(f->db, bad[i].sql);
		db = open_db(f->db, LM_DB_READONLY);
		cat = NULL;
		assert_int_equal(lm_db_read(db, &cat), LM_EDB);
		assert_null(cat);
		if (!strstr(lm_db_errmsg(db), bad[i].msg))
			fail_msg("edit %zu: '%s' does not say '%s'", i,
			         lm_db_errmsg(db), bad[i].msg);
		lm_db_close(db);
		raw_exec(f->db, "UPDATE experts SET skills = "
		         "'{\"export\":3,\"marketing\":5}', languages = "
		         "'[\"sv\",\"nb\"]' WHERE id = 'e-ola'");
		db = open_db(f->db, LM_DB_READONLY);
		assert_int_equal(lm_db_read(db, &cat), LM_OK);
		lm_catalog_free(cat);
		lm_db_close(db);
	}
}

/* An expert's availability is kept as a JSON object in quarter order; a
 * value edited by hand is read as json_each() reads it, and checked. */
static void test_availability_json(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	load_text(f, db, "avail.yaml",
		"experts:\n"
		"  - {id: e-ola, name: Ola Nordmann, garden: sor-osterdal,\n"
		"     home: {lat: 62.0, lon: 10.5}, skills: {marketing: 5},\n"
		"     retired: 2027-01-31,\n"
		"     availability: {2027-Q2: 0, 2026-q4: 12, 2027-Q1: 1000}}\n"
		"companies:\n"
		"  - {id: c-field, name: Field AS, place: {lat: 61.5, lon: 11.0},\n"
		"     retired: 2026-06-30}\n");
	lm_db_close(db);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM experts WHERE "
	                         "id = 'e-ola' AND retired = '2027-01-31' AND "
	                         "availability = '{\"2026-Q4\":12,"
	                         "\"2027-Q1\":1000,\"2027-Q2\":0}'"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM experts WHERE "
	                         "availability IS NOT NULL OR "
	                         "retired IS NOT NULL"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM companies WHERE "
	                         "retired = '2026-06-30'"), 1);

	static const struct {
		const char *json, *msg; /* msg NULL: read, in quarter order */
	} edits[] = {
		{"' { \"2027-Q1\" : 2 , \"2026-Q4\":0 } '", NULL},
		{"'{\"2027-q1\":2,\"2026-Q4\":0}'", NULL},
		{"'{\"2026-Q4\":0,\"2027-\\u00511\":2}'", NULL},
		{"'{\"2027-Q1\":1001}'", "expert 'e-ola': the capacity of "
		 "quarter '2027-Q1' is not an integer 0..1000"},
		{"'{\"2027-Q1\":1.5}'", "the capacity of quarter '2027-Q1' is "
		 "not an integer 0..1000"},
		{"'[2]'", "expert 'e-ola': its availability is not a JSON object"},
		{"'{\"garbage\":1}'", "inconsistent data: (database): expert "
		 "'e-ola': 'garbage' is not a quarter YYYY-QN"},
		{"'{\"2027-Q1\":1,\"2027-q1\":2}'", "expert 'e-ola' gives "
		 "quarter 2027-q1 twice"},
	};
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		char sql[256];
		snprintf(sql, sizeof sql, "UPDATE experts SET availability = %s "
		         "WHERE id = 'e-ola'", edits[i].json);
		raw_exec(f->db, sql);
		db = open_db(f->db, LM_DB_READONLY);
		lm_catalog *cat = NULL;
		int rc = lm_db_read(db, &cat);
		if (edits[i].msg) {
			assert_int_equal(rc, LM_EDB);
			if (!strstr(lm_db_errmsg(db), edits[i].msg))
				fail_msg("edit %zu: '%s' does not say '%s'", i,
				         lm_db_errmsg(db), edits[i].msg);
		} else {
			if (rc != LM_OK)
				fail_msg("edit %zu: %s", i, lm_db_errmsg(db));
			const lmi_resolved *r = &cat->r;
			size_t e = index_of(cat, LM_EXPERT, "e-ola");
			assert_int_equal(r->expert_avail_off[e + 1] -
			                 r->expert_avail_off[e], 2);
			assert_int_equal(r->expert_avail_period[r->expert_avail_off[e]],
			                 2026 * 4 + 3);
			assert_int_equal(r->expert_avail_cap[r->expert_avail_off[e] + 1],
			                 2);
			assert_true(r->expert_retired[e]);
		}
		lm_catalog_free(cat);
		lm_db_close(db);
	}
}

/* The lists of expert e-ola as the views show them, one per line; NULL
 * when SQLite cannot read them (malformed JSON). */
static char *view_lists(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	assert_non_null(fp);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
	                 SQLITE_OK);
	int rc = sqlite3_prepare_v2(db,
		"SELECT 's', skill, typeof(level), level FROM expert_skills "
		"WHERE expert = 'e-ola' UNION ALL "
		"SELECT 'l', lang, typeof(lang), pos FROM expert_languages "
		"WHERE expert = 'e-ola'", -1, &st, NULL);
	assert_int_equal(rc, SQLITE_OK);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fprintf(fp, "%s %s %s %s\n", sqlite3_column_text(st, 0),
		        sqlite3_column_text(st, 1), sqlite3_column_text(st, 2),
		        sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(db);
	fclose(fp);
	if (rc != SQLITE_DONE) {
		free(out);
		return NULL;
	}
	return out;
}

/* The same lists as libmatch read them, or NULL when it refused them. */
static char *read_lists(const char *path)
{
	lm_db *db = open_db(path, LM_DB_READONLY);
	lm_catalog *cat = NULL;
	if (lm_db_read(db, &cat) != LM_OK) {
		lm_db_close(db);
		return NULL;
	}
	lm_db_close(db);
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	assert_non_null(fp);
	const lmi_expert_rec *e = &cat->experts.v[index_of(cat, LM_EXPERT,
	                                                  "e-ola")];
	for (uint32_t k = 0; k < e->n_skills; k++)
		fprintf(fp, "s %s integer %d\n", e->skills[k].skill.id,
		        e->skills[k].level);
	for (uint32_t k = 0; k < e->n_languages; k++)
		fprintf(fp, "l %s text %u\n", e->languages[k], k);
	fclose(fp);
	lm_catalog_free(cat);
	return out;
}

/* libmatch reads its own compact JSON itself and anything else through
 * json_each(): on texts mutated at random, whatever it accepts is what
 * the views show, and what the views cannot read it refuses. */
static void test_expert_lists_random(void **state)
{
	fx *f = *state;
	lm_db_close(loaded_db(f));
	static const char *const seeds[] = {
		"{\"export\":3,\"marketing\":5}", "[\"sv\",\"a\\\"b\\\\c\"]",
	};
	static const char pool[] = "{}[]\",:\\ \t\n0123456789-.eu/abxtrnl";
	uint64_t x = 7;
	int accepted = 0, refused = 0;
	for (int t = 0; t < 400; t++) {
		bool skills = t % 2 == 0;
		char text[64];
		snprintf(text, sizeof text, "%s", seeds[skills ? 0 : 1]);
		for (int m = 0; m < 1 + t % 3; m++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			size_t n = strlen(text), at = (size_t)(x >> 33) % (n + 1);
			char c = pool[(x >> 20) % (sizeof pool - 1)];
			switch ((x >> 10) % 3) {
			case 0: /* replace */
				if (at < n)
					text[at] = c;
				break;
			case 1: /* insert */
				if (n + 2 < sizeof text) {
					memmove(text + at + 1, text + at, n - at + 1);
					text[at] = c;
				}
				break;
			default: /* delete */
				if (at < n)
					memmove(text + at, text + at + 1, n - at);
			}
		}
		char *lit = sqlite3_mprintf("UPDATE experts SET %s = %Q "
		                            "WHERE id = 'e-ola'",
		                            skills ? "skills" : "languages", text);
		raw_exec(f->db, lit);
		sqlite3_free(lit);
		char *view = view_lists(f->db), *ours = read_lists(f->db);
		if (ours) {
			accepted++;
			if (!view || strcmp(view, ours))
				fail_msg("'%s': libmatch read\n%sthe views show\n%s",
				         text, ours, view ? view : "(an error)\n");
		} else {
			refused++;
		}
		free(view);
		free(ours);
		raw_exec(f->db, "UPDATE experts SET skills = "
		         "'{\"export\":3,\"marketing\":5}', languages = "
		         "'[\"sv\",\"nb\"]' WHERE id = 'e-ola'");
	}
	/* Both outcomes happened (the mutations are not all fatal). */
	assert_true(accepted > 20 && refused > 20);

	/* A BLOB goes to SQLite as it is, whatever its version makes of it
	 * (3.40 reads the bytes as text; 3.45 as its binary JSON). */
	raw_exec(f->db, "UPDATE experts SET skills = "
	         "CAST('{\"export\":4}' AS BLOB) WHERE id = 'e-ola'");
	char *view = view_lists(f->db), *ours = read_lists(f->db);
	if (ours && (!view || strcmp(view, ours)))
		fail_msg("a BLOB: libmatch read\n%sthe views show\n%s", ours,
		         view ? view : "(an error)\n");
	free(view);
	free(ours);
}

static void test_create_idempotent(void **state)
{
	fx *f = *state;
	lm_db *db = open_db(f->db, LM_DB_CREATE);
	assert_string_equal(lm_db_errmsg(db), "");
	/* A second creating handle while the first is open. */
	lm_db *db2 = open_db(f->db, LM_DB_CREATE);
	lm_db_close(db2);
	lm_db_close(db);
	char *d1 = dump(f->db, NULL);
	db = open_db(f->db, LM_DB_CREATE);
	lm_db_close(db);
	char *d2 = dump(f->db, NULL);
	assert_string_equal(d1, d2);
	assert_non_null(strstr(d1, "== places"));
	assert_non_null(strstr(d1, "== engagements"));
	free(d1);
	free(d2);

	assert_int_equal(raw_int(f->db, "PRAGMA user_version"), 4);
	assert_int_equal(raw_int(f->db, "PRAGMA application_id"), 0x4c4d6174);
	char *mode = NULL;
	{
		sqlite3 *raw = NULL;
		sqlite3_stmt *st = NULL;
		assert_int_equal(sqlite3_open(f->db, &raw), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(raw, "PRAGMA journal_mode",
		                                    -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		mode = strdup((const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		sqlite3_close(raw);
	}
	assert_string_equal(mode, "wal");
	free(mode);

	/* Now it opens without LM_DB_CREATE, also read-only; an empty
	 * database reads as an empty catalogue. */
	db = open_db(f->db, 0);
	lm_db_close(db);
	db = open_db(f->db, LM_DB_READONLY);
	lm_catalog *cat = NULL;
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	for (int k = 0; k < LMI_KIND_COUNT; k++)
		assert_int_equal(lm_catalog_count(cat, (lm_kind)k), 0);
	lm_catalog_free(cat);
	lm_db_close(db);
}

static void test_open_newer_schema(void **state)
{
	fx *f = *state;
	lm_db_close(open_db(f->db, LM_DB_CREATE));
	raw_exec(f->db, "PRAGMA user_version = 7");
	for (unsigned flags = 0; flags <= LM_DB_CREATE; flags++) {
		lm_db *db = NULL;
		assert_int_equal(lm_db_open(f->db, flags, &db), LM_EDB);
		char want[256];
		snprintf(want, sizeof(want), "%s: database schema version 7 is "
		         "newer than this libmatch (4)", f->db);
		assert_string_equal(lm_db_errmsg(db), want);
		lm_db_close(db);
	}
	/* Nothing was touched. */
	assert_int_equal(raw_int(f->db, "PRAGMA user_version"), 7);
}

static void test_open_foreign_file(void **state)
{
	fx *f = *state;
	/* Another application's SQLite database is left alone. */
	char *other = path_in(f, "other.db");
	raw_exec(other, "CREATE TABLE t (x)");
	lm_db *db = NULL;
	assert_int_equal(lm_db_open(other, LM_DB_CREATE, &db), LM_EDB);
	assert_non_null(strstr(lm_db_errmsg(db), "not a libmatch database"));
	lm_db_close(db);
	assert_int_equal(raw_int(other, "PRAGMA user_version"), 0);

	/* A text file is not a database at all. */
	char *text = write_file(f, "notes.txt", "hello, this is not SQLite; "
	                        "it is long enough to have a header\n");
	db = NULL;
	assert_int_equal(lm_db_open(text, 0, &db), LM_EDB);
	assert_non_null(strstr(lm_db_errmsg(db), "notes.txt"));
	lm_db_close(db);
	free(other);
	free(text);
}

/* ---- load and read ----------------------------------------------------------- */

static void test_load_and_read(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	lm_catalog *cat = NULL;
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	lm_db_close(db);

	assert_int_equal(lm_catalog_count(cat, LM_PLACE), 3);
	assert_int_equal(lm_catalog_count(cat, LM_GARDEN), 2);
	assert_int_equal(lm_catalog_count(cat, LM_SKILL), 3);
	assert_int_equal(lm_catalog_count(cat, LM_EXPERT), 3);
	assert_int_equal(lm_catalog_count(cat, LM_COMPANY), 3);
	assert_int_equal(lm_catalog_count(cat, LM_NEED), 3);
	assert_int_equal(lm_catalog_count(cat, LM_DISTANCE), 1);
	assert_int_equal(lm_catalog_count(cat, LM_ENGAGEMENT), 0);

	/* References are stored as canonical ids, whatever the file said. */
	const lmi_garden_rec *g = &cat->gardens.v[index_of(cat, LM_GARDEN,
	                                                  "sor-osterdal")];
	assert_string_equal(g->name, "Sør-Østerdal Næringshage");
	assert_string_equal(g->place.id, "tynset");
	assert_null(g->pos.file);
	assert_int_equal(g->pos.line, 0);

	const lmi_skill_rec *s = &cat->skills.v[index_of(cat, LM_SKILL,
	                                                "digital-marketing")];
	assert_string_equal(s->parent.id, "marketing");
	assert_int_equal(s->n_aliases, 2);
	assert_string_equal(s->aliases[0], "SEO");
	assert_string_equal(s->aliases[1], "sosiale medier");
	assert_null(cat->skills.v[index_of(cat, LM_SKILL, "export")].parent.id);

	const lmi_expert_rec *e = &cat->experts.v[index_of(cat, LM_EXPERT,
	                                                  "e-ingrid")];
	assert_string_equal(e->name, "Ingrid Berg");
	assert_string_equal(e->garden.id, "odal");
	assert_false(e->home_is_coords);
	assert_string_equal(e->home.id, "skarnes");
	assert_int_equal(e->capacity, 3);
	assert_true(e->max_travel_km < 0); /* not given: stays "default" */
	assert_int_equal(e->remote, -1);
	assert_int_equal(e->n_skills, 2);  /* sorted by skill id */
	assert_string_equal(e->skills[0].skill.id, "digital-marketing");
	assert_int_equal(e->skills[0].level, 3);
	assert_string_equal(e->skills[1].skill.id, "export");
	assert_int_equal(e->skills[1].level, 4);
	assert_int_equal(e->n_languages, 2);
	assert_string_equal(e->languages[0], "nb");
	assert_string_equal(e->languages[1], "en");
	assert_int_equal(e->n_conflicts, 0);

	e = &cat->experts.v[index_of(cat, LM_EXPERT, "e-ola")];
	assert_true(e->home_is_coords);
	assert_null(e->home.id);
	assert_true(e->home_lat == 62.0 && e->home_lon == 10.5);
	assert_int_equal(e->capacity, -1);
	assert_true(e->max_travel_km == 150.0);
	assert_int_equal(e->remote, 0);
	assert_int_equal(e->n_conflicts, 1);
	assert_string_equal(e->conflicts[0].id, "c-magnor-glass");

	/* The effective values come from the stored settings. */
	const lm_expert_info *info;
	assert_non_null(info = lm_catalog_expert(cat, index_of(cat, LM_EXPERT,
	                                                 "e-ola")));
	assert_int_equal(info->capacity, 1);
	assert_true(info->max_travel_km == 150.0);
	assert_non_null(info = lm_catalog_expert(cat, index_of(cat, LM_EXPERT,
	                                                 "e-ingrid")));
	assert_true(info->max_travel_km == 280.0);
	const lm_settings *set = lm_catalog_settings(cat);
	assert_true(set->max_travel_km == 280.0);
	assert_int_equal(set->default_capacity, 1);
	assert_true(set->speed_kmh == 70.0); /* not given: the default */
	assert_int_equal(cat->settings.set,
	                 (1u << LM_SET_MAX_TRAVEL_KM) |
	                 (1u << LM_SET_DEFAULT_CAPACITY));

	const lmi_company_rec *c = &cat->companies.v[index_of(cat, LM_COMPANY,
	                                                     "c-field")];
	assert_true(c->place_is_coords);
	assert_true(c->place_lat == 61.5 && c->place_lon == 11.0);
	assert_null(c->garden.id);

	const lmi_need_rec *n = &cat->needs.v[index_of(cat, LM_NEED,
	                                              "n-export-se")];
	assert_string_equal(n->company.id, "c-tynset-tre");
	assert_string_equal(n->title, "Enter the Swedish market");
	assert_int_equal(n->mode, LM_ONSITE);
	assert_int_equal(n->experts, 2);
	assert_string_equal(n->language, "nb");
	assert_true(n->max_km == 270.0);
	assert_int_equal(n->n_skills, 2); /* in the file's order */
	assert_string_equal(n->skills[0].skill.id, "export");
	assert_int_equal(n->skills[0].level, 3);
	assert_true(n->skills[0].weight == 2.0);
	assert_string_equal(n->skills[1].skill.id, "marketing");
	assert_true(n->skills[1].weight == 1.0);

	n = &cat->needs.v[index_of(cat, LM_NEED, "n-seo")];
	assert_int_equal(n->mode, LM_REMOTE);
	assert_null(n->title);
	assert_null(n->language);
	assert_true(n->max_km == 0.0);
	assert_int_equal(n->experts, 1);

	const lm_distance_info *d;
	assert_non_null(d = lm_catalog_distance(cat, 0));
	assert_string_equal(d->from, "tynset");
	assert_string_equal(d->to, "magnor");
	assert_true(d->km == 292.0);
	lm_catalog_free(cat);
}

/* Every failure of a call on a database handle leaves its own message
 * there, not the previous failure's (issue 14): each call below fails
 * right after an unknown need set "unknown need 'zzz-none'". */
static void test_every_failure_says_why(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	lm_catalog *cat = NULL;
	lm_ranking *r = NULL;
	lm_explanation *x = NULL;
	lm_skill_req req = {"export", 1, 1.0, 0};
	lm_query q = lmt_query_one("tynset", &req);
	size_t n = 0;
	const char *stale = "unknown need 'zzz-none'";
#define FAILS(call, code)                                                      \
	do {                                                                   \
		assert_int_equal(lm_db_rank_need(db, "zzz-none", NULL, &r),    \
		                 LM_ENOTFOUND);                                \
		assert_non_null(strstr(lm_db_errmsg(db), stale));              \
		assert_int_equal(call, code);                                  \
		const char *m_ = lm_db_errmsg(db);                             \
		if (!m_[0] || strstr(m_, stale))                               \
			fail_msg("%s: the message is '%s'", #call, m_);        \
	} while (0)
	FAILS(lm_db_read(db, NULL), LM_EINVAL);
	FAILS(lm_db_read_kinds(db, LM_KINDS_ALL, NULL), LM_EINVAL);
	FAILS(lm_db_rank_need(db, NULL, NULL, &r), LM_EINVAL);
	FAILS(lm_db_rank_need(db, "n-export-se", NULL, NULL), LM_EINVAL);
	FAILS(lm_db_rank_query(db, NULL, NULL, &r), LM_EINVAL);
	FAILS(lm_db_rank_query(db, &q, NULL, NULL), LM_EINVAL);
	FAILS(lm_db_explain(db, "n-export-se", NULL, NULL, &x), LM_EINVAL);
	FAILS(lm_db_explain(db, "n-export-se", "e-ola", NULL, NULL), LM_EINVAL);
	FAILS(lm_db_load(db, NULL, 1, NULL, NULL), LM_EINVAL);
	FAILS(lm_db_load(db, (const char *const[]){NULL}, 1, NULL, NULL),
	      LM_EINVAL);
	FAILS(lm_db_commit_plan(db, NULL, &n), LM_EINVAL);
	FAILS(lm_db_release(db, NULL, "n-export-se", NULL, &n), LM_EINVAL);
	FAILS(lm_db_release(db, "2026-Q4", NULL, NULL, &n), LM_EINVAL);
#undef FAILS
	assert_null(cat);
	assert_null(r);
	assert_null(x);
	lm_db_close(db);
}

/* Reading some kinds reads what they refer to and nothing else. */
static void test_read_kinds(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	lm_catalog *cat = NULL;

	assert_int_equal(lm_db_read_kinds(db, LM_KIND_BIT(LM_GARDEN), &cat),
	                 LM_OK);
	assert_int_equal(lm_catalog_count(cat, LM_GARDEN), 2);
	assert_int_equal(lm_catalog_count(cat, LM_PLACE), 3);
	assert_int_equal(lm_catalog_count(cat, LM_EXPERT), 0);
	assert_int_equal(lm_catalog_count(cat, LM_NEED), 0);
	lm_catalog_free(cat);

	cat = NULL;
	assert_int_equal(lm_db_read_kinds(db, LM_KIND_BIT(LM_ENGAGEMENT), &cat),
	                 LM_OK);
	assert_int_equal(lm_catalog_count(cat, LM_EXPERT), 3);
	assert_int_equal(lm_catalog_count(cat, LM_NEED), 3);
	assert_int_equal(lm_catalog_count(cat, LM_COMPANY), 3);
	assert_int_equal(lm_catalog_count(cat, LM_DISTANCE), 0);
	lm_catalog_free(cat);

	cat = NULL;
	assert_int_equal(lm_db_read_kinds(db, LM_KINDS_ALL, &cat), LM_OK);
	assert_int_equal(lm_catalog_count(cat, LM_DISTANCE), 1);
	lm_catalog_free(cat);

	/* Bits of kinds this library does not know (a newer header's) are
	 * ignored: LM_KINDS_ALL has them all. */
	cat = NULL;
	assert_int_equal(lm_db_read_kinds(db, LM_KIND_BIT(LM_GARDEN) |
	                                  LM_KIND_BIT(31), &cat), LM_OK);
	assert_int_equal(lm_catalog_count(cat, LM_GARDEN), 2);
	assert_int_equal(lm_catalog_count(cat, LM_EXPERT), 0);
	lm_catalog_free(cat);
	cat = NULL;
	assert_int_equal(lm_db_read_kinds(db, LM_KIND_BIT(31), &cat), LM_OK);
	for (int k = 0; k < LMI_KIND_COUNT; k++)
		assert_int_equal(lm_catalog_count(cat, (lm_kind)k), 0);
	assert_int_equal(lm_catalog_settings(cat)->default_capacity, 1);
	lm_catalog_free(cat);
	lm_db_close(db);
}

static void test_reload_idempotent(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	char *d1 = dump(f->db, NULL);
	const char *paths[] = {f->base, f->people};
	load_ok(db, paths, 2);
	char *d2 = dump(f->db, NULL);
	assert_string_equal(d1, d2);
	/* The folder as a whole, too. */
	const char *dir[] = {f->dir};
	load_ok(db, dir, 1);
	char *d3 = dump(f->db, NULL);
	assert_string_equal(d1, d3);
	free(d1);
	free(d2);
	free(d3);
	lm_db_close(db);
}

static void test_bad_file_changes_nothing(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	char *before = dump(f->db, NULL);

	/* A good record next to bad ones: nothing of the file is written. */
	char *bad = write_file(f, "bad.yaml",
		"places:\n"
		"  - {id: hamar, name: Hamar, lat: 60.79, lon: 11.07}\n"
		"experts:\n"
		"  - id: e-per\n"
		"    name: Per\n"
		"    garden: odal\n"
		"    home: nowhere\n"
		"    skills: {export: 7}\n");
	const char *paths[] = {bad};
	assert_int_equal(lm_db_load(db, paths, 1, NULL, NULL), LM_EINPUT);
	assert_true(lm_db_diag_count(db) >= 1);
	const lm_diag *d = lm_db_diag(db, 0);
	assert_non_null(d);
	assert_string_equal(d->file, bad);
	assert_int_equal(d->line, 8);
	assert_true(d->column > 0);
	assert_null(lm_db_diag(db, lm_db_diag_count(db)));
	assert_non_null(strstr(lm_db_errmsg(db), "bad.yaml:8:"));
	char *after = dump(f->db, NULL);
	assert_string_equal(before, after);
	free(after);

	/* A dangling reference only the merge sees. */
	char *dangling = write_file(f, "dangling.yaml",
		"places:\n"
		"  - {id: hamar, name: Hamar, lat: 60.79, lon: 11.07}\n"
		"gardens:\n"
		"  - {id: hedmark, name: Hedmark, place: hamarr}\n");
	paths[0] = dangling;
	assert_int_equal(lm_db_load(db, paths, 1, NULL, NULL), LM_EINPUT);
	d = lm_db_diag(db, 0);
	assert_non_null(d);
	assert_string_equal(d->file, dangling);
	assert_int_equal(d->line, 4);
	assert_non_null(strstr(d->message, "hamarr"));
	after = dump(f->db, NULL);
	assert_string_equal(before, after);
	free(after);

	/* A missing file is an I/O error, and also changes nothing. */
	char *missing = path_in(f, "missing.yaml");
	const char *two[] = {f->base, missing};
	assert_int_equal(lm_db_load(db, two, 2, NULL, NULL), LM_EIO);
	assert_non_null(strstr(lm_db_errmsg(db), "missing.yaml"));
	after = dump(f->db, NULL);
	assert_string_equal(before, after);
	free(after);

	/* The handle still works afterwards, and the error is cleared. */
	load_ok(db, (const char *const[]){f->base}, 1);
	assert_int_equal(lm_db_diag_count(db), 0);
	assert_string_equal(lm_db_errmsg(db), "");

	free(bad);
	free(dangling);
	free(missing);
	free(before);
	lm_db_close(db);
}

static void test_file_order_free(void **state)
{
	fx *f = *state;
	char *db1 = path_in(f, "one.db"), *db2 = path_in(f, "two.db");
	lm_db *a = open_db(db1, LM_DB_CREATE), *b = open_db(db2, LM_DB_CREATE);
	load_ok(a, (const char *const[]){f->base, f->people}, 2);
	load_ok(b, (const char *const[]){f->people, f->base}, 2);
	lm_db_close(a);
	lm_db_close(b);
	char *d1 = dump(db1, NULL), *d2 = dump(db2, NULL);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	free(db1);
	free(db2);
}

static void test_refs_to_stored_records(void **state)
{
	fx *f = *state;
	char *whole = path_in(f, "whole.db");
	lm_db *w = open_db(whole, LM_DB_CREATE);
	load_ok(w, (const char *const[]){f->base, f->people}, 2);
	lm_db_close(w);

	/* people.yaml alone refers to places, gardens and skills (by id,
	 * name and alias) that only the database holds. */
	lm_db *db = open_db(f->db, LM_DB_CREATE);
	load_ok(db, (const char *const[]){f->base}, 1);
	lm_db *other = open_db(f->db, 0); /* another handle on the file */
	load_ok(other, (const char *const[]){f->people}, 1);
	lm_db_close(other);
	lm_db_close(db);
	char *d1 = dump(whole, NULL), *d2 = dump(f->db, NULL);
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);

	/* Without the database's records the same file does not load. */
	char *empty = path_in(f, "empty.db");
	db = open_db(empty, LM_DB_CREATE);
	assert_int_equal(lm_db_load(db, (const char *const[]){f->people}, 1,
	                            NULL, NULL), LM_EINPUT);
	lm_db_close(db);
	free(empty);
	free(whole);
}

static void test_replace_records(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	/* Same ids, new values; the distance written the other way round;
	 * one setting more; fewer languages and no conflicts. */
	load_text(f, db, "update.yaml",
		"places:\n"
		"  - {id: magnor, name: Magnor sentrum, lat: 59.956, lon: 12.206}\n"
		"distances:\n"
		"  - {from: Magnor, to: tynset, km: 290.5}\n"
		"settings: {speed_kmh: 80}\n"
		"experts:\n"
		"  - id: e-ola\n"
		"    name: Ola Nordmann\n"
		"    garden: sor-osterdal\n"
		"    home: tynset\n"
		"    skills: {marketing: 4}\n");
	lm_db_close(db);

	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM places"), 3);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM places WHERE "
	                         "name = 'Magnor sentrum'"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM distances"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM distances WHERE "
	                         "a = 'magnor' AND b = 'tynset' AND "
	                         "km = 290.5"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM settings"), 3);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM expert_skills "
	                         "WHERE expert = 'e-ola'"), 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM expert_conflicts"),
	                 0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM experts WHERE "
	                         "id = 'e-ola' AND home = 'tynset' AND "
	                         "home_lat IS NULL AND capacity IS NULL AND "
	                         "remote IS NULL"), 1);
	/* Records the file did not name are as they were. */
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM expert_skills "
	                         "WHERE expert = 'e-ingrid'"), 2);
}

static int stop_at_first(const char *what, size_t done, size_t total,
                         void *ctx)
{
	size_t *calls = ctx;
	assert_string_equal(what, "load");
	assert_true(done <= total);
	(*calls)++;
	return done != 0; /* go on at the start, stop at the next report */
}

static int count_calls(const char *what, size_t done, size_t total,
                       void *ctx)
{
	(void)what;
	size_t *last = ctx;
	assert_true(done <= total);
	*last = done;
	return 0;
}

static void test_progress(void **state)
{
	fx *f = *state;
	lm_db *db = open_db(f->db, LM_DB_CREATE);
	char *before = dump(f->db, NULL);
	size_t calls = 0;
	assert_int_equal(lm_db_load(db, (const char *const[]){f->base, f->people},
	                            2, stop_at_first, &calls), LM_ECANCELED);
	assert_int_equal(calls, 2);
	char *after = dump(f->db, NULL);
	assert_string_equal(before, after);
	size_t last = 0;
	assert_int_equal(lm_db_load(db, (const char *const[]){f->base, f->people},
	                            2, count_calls, &last), LM_OK);
	/* 3 places, 2 gardens, 3 skills, 3 companies, 3 experts, 3 needs,
	 * 1 distance. */
	assert_int_equal(last, 18);
	free(before);
	free(after);
	lm_db_close(db);
}

/* Stop when the report passes *ctx records. */
static int stop_after(const char *what, size_t done, size_t total, void *ctx)
{
	(void)what;
	(void)total;
	return done >= *(size_t *)ctx;
}

/* A table or view of the name the load's virtual table has would be read
 * in its place: a load refuses it, and changes nothing. */
static void test_load_name_taken(void **state)
{
	fx *f = *state;
	lm_db_close(loaded_db(f));
	raw_exec(f->db, "CREATE TABLE LM_Load_Experts AS SELECT * FROM experts "
	                "WHERE 0");
	char *before = dump(f->db, NULL);
	lm_db *db = open_db(f->db, 0);
	assert_int_equal(lm_db_load(db, (const char *const[]){f->people}, 1,
	                            NULL, NULL), LM_EDB);
	assert_non_null(strstr(lm_db_errmsg(db), "object named "
	                                         "'lm_load_experts'"));
	lm_db_close(db);
	char *after = dump(f->db, NULL);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* Experts are written by one statement reading the virtual table
 * lm_load_experts: a progress callback may stop the load in the middle
 * of it, and a load that replaces some experts and adds others writes
 * them as a load of each alone would. */
static void test_progress_in_experts(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	char *big = NULL;
	size_t blen = 0;
	FILE *fp = open_memstream(&big, &blen);
	assert_non_null(fp);
	fputs("experts:\n", fp);
	for (int i = 0; i < 2500; i++)
		fprintf(fp, "  - {id: e%04d, name: Ekspert %d, garden: odal, "
		        "home: tynset, skills: {export: %d}%s}\n", i, i,
		        1 + i % 5, i % 7 ? "" : ", languages: [nb, sv]");
	/* One stored expert replaced, with a new list and no conflict. */
	fputs("  - {id: e-ola, name: Ola N., garden: odal, home: magnor, "
	      "skills: {marketing: 2}}\n", fp);
	fclose(fp);
	char *path = write_file(f, "many.yaml", big);
	char *before = dump(f->db, NULL);
	size_t at = 1500; /* within the experts: 2,501 of them */
	assert_int_equal(lm_db_load(db, (const char *const[]){path}, 1,
	                            stop_after, &at), LM_ECANCELED);
	assert_non_null(strstr(lm_db_errmsg(db), "stopped by the progress "
	                                         "callback; nothing was "
	                                         "written"));
	char *after = dump(f->db, NULL);
	assert_string_equal(before, after);

	load_ok(db, (const char *const[]){path}, 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM experts"),
	                 2500 + 3);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM experts WHERE "
	                         "id = 'e-ola' AND name = 'Ola N.' AND "
	                         "home = 'magnor' AND home_lat IS NULL AND "
	                         "skills = '{\"marketing\":2}' AND "
	                         "languages IS NULL AND max_travel_km IS NULL"),
	                 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM expert_conflicts "
	                         "WHERE expert = 'e-ola'"), 0);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM experts WHERE "
	                         "languages = '[\"nb\",\"sv\"]'"), 358);
	assert_int_equal(raw_int(f->db, "SELECT sum(level) FROM expert_skills "
	                         "WHERE expert GLOB 'e[0-9]*'"), 2500 * 3);
	/* Loading it again changes nothing. */
	char *once = dump(f->db, NULL);
	load_ok(db, (const char *const[]){path}, 1);
	char *twice = dump(f->db, NULL);
	assert_string_equal(once, twice);
	free(once);
	free(twice);
	free(before);
	free(after);
	free(big);
	free(path);
	lm_db_close(db);
}

/* A ranking and an explanation name the need as the profiles spell its
 * id, however it was asked for (through the image or the rows). */
static void test_need_as_spelled(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	static const char *keys[] = {"n-export-se", "N-EXPORT-SE", "n-Export-Se"};
	for (size_t i = 0; i < 3; i++) {
		lm_ranking *r = NULL;
		lm_explanation *x = NULL;
		assert_int_equal(lm_db_rank_need(db, keys[i], NULL, &r), LM_OK);
		assert_string_equal(lm_ranking_need(r), "n-export-se");
		assert_int_equal(lm_db_explain(db, keys[i], "E-OLA", NULL, &x),
		                 LM_OK);
		assert_string_equal(lm_explanation_need(x), "n-export-se");
		assert_string_equal(lm_explanation_match(x)->expert_id, "e-ola");
		lm_explanation_free(x);
		lm_ranking_free(r);
	}
	lm_query q = LM_QUERY_INIT;
	lm_skill_req req = {"export", 1, 1.0, 0};
	q.at = "tynset";
	q.skills = &req;
	q.skill_count = 1;
	lm_ranking *r = NULL;
	assert_int_equal(lm_db_rank_query(db, &q, NULL, &r), LM_OK);
	assert_null(lm_ranking_need(r));
	/* An ad-hoc pair explains to the score it ranks with, to the bit,
	 * from the database and from a catalogue. */
	lm_catalog *cat = NULL;
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	assert_true(lm_ranking_count(r) > 0);
	for (size_t i = 0; i < lm_ranking_count(r); i++) {
		const lm_match *m = lm_ranking_get(r, i);
		lm_explanation *x = NULL, *y = NULL;
		assert_int_equal(lm_db_explain_query(db, &q, m->expert_id, NULL,
		                                     &x), LM_OK);
		assert_int_equal(lm_explain_query(cat, &q, m->expert_id, NULL, &y),
		                 LM_OK);
		assert_true(lm_explanation_feasible(x));
		assert_null(lm_explanation_need(x));
		assert_true(lm_explanation_match(x)->score == m->score);
		assert_true(lm_explanation_match(y)->score == m->score);
		lm_explanation_free(x);
		lm_explanation_free(y);
	}
	lm_explanation *x = (lm_explanation *)1;
	assert_int_equal(lm_db_explain_query(db, NULL, "e-ola", NULL, &x),
	                 LM_EINVAL);
	assert_null(x);
	x = (lm_explanation *)1;
	assert_int_equal(lm_explain_query(cat, &q, "e-nobody", NULL, &x),
	                 LM_ENOTFOUND);
	assert_null(x);
	assert_int_equal(lm_db_explain_query(db, &q, NULL, NULL, &x), LM_EINVAL);
	lm_catalog_free(cat);
	lm_ranking_free(r);
	assert_null(lm_ranking_need(NULL));
	assert_null(lm_explanation_need(NULL));
	lm_db_close(db);
}

/* ---- engagements ---------------------------------------------------------------- */

/* The plan of the fixture for 2026-Q4, with every feasible pair pinned
 * so that it does not depend on the planner's scoring.  The plan may point
 * into *cat: free it after the plan. */
static lm_plan *fixture_plan(lm_db *db, lm_catalog **cat_out)
{
	static const lm_pin pins[] = {
		{"n-export-se", "e-ingrid"},
		{"n-export-se", "e-ola"},
		{"n-seo", "e-ingrid"},
	};
	lm_catalog *cat = NULL;
	lm_plan *plan = NULL;
	lm_match_options opts = LM_MATCH_OPTIONS_INIT;
	opts.period = "2026-Q4";
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	int rc = lm_plan_compute(cat, pins, 3, &opts, &plan);
	if (rc != LM_OK)
		fprintf(stderr, "plan: %s\n", lm_catalog_errmsg(cat));
	assert_int_equal(rc, LM_OK);
	assert_string_equal(lm_plan_period(plan), "2026-Q4");
	assert_int_equal(lm_plan_assignment_count(plan), 3);
	*cat_out = cat;
	return plan;
}

static void test_commit_and_release(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	lm_catalog *pcat = NULL;
	lm_plan *plan = fixture_plan(db, &pcat);
	size_t n = lm_plan_assignment_count(plan), done = 99;

	assert_int_equal(lm_db_commit_plan(db, plan, &done), LM_OK);
	assert_int_equal(done, n);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM engagements "
	                         "WHERE period = '2026-Q4'"), (long long)n);
	char *committed = dump(f->db, "committed_at");

	/* The same plan again: every pair is already there. */
	assert_int_equal(lm_db_commit_plan(db, plan, &done), LM_ECONFLICT);
	assert_int_equal(done, 0);
	assert_non_null(strstr(lm_db_errmsg(db), "already engaged"));
	char *after = dump(f->db, "committed_at");
	assert_string_equal(committed, after);
	free(after);

	/* Read back into a catalogue: the engine sees the engagements. */
	lm_catalog *cat = NULL;
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	assert_int_equal(lm_catalog_count(cat, LM_ENGAGEMENT), n);
	assert_int_equal(lm_catalog_expert_committed(
		cat, index_of(cat, LM_EXPERT, "e-ingrid"), "2026-Q4"), 2);
	lm_catalog_free(cat);

	/* Release one pair, then the rest of a need; then nothing is left
	 * to release. */
	size_t released = 0;
	/* Ids in another case are the same ids, as in every other look-up,
	 * and the message names them as the profiles spell them. */
	assert_int_equal(lm_db_release(db, "2026-Q4", "N-EXPORT-SE", "E-OLA",
	                               &released), LM_OK);
	assert_int_equal(released, 1);
	assert_int_equal(lm_db_release(db, "2026-Q4", "N-Export-SE", "E-OLA",
	                               &released), LM_ENOTFOUND);
	assert_int_equal(released, 0);
	assert_non_null(strstr(lm_db_errmsg(db), "expert 'e-ola'"));
	assert_non_null(strstr(lm_db_errmsg(db), "need 'n-export-se'"));
	/* An id that names no record says so, with a suggestion. */
	assert_int_equal(lm_db_release(db, "2026-Q4", "n-exprot-se", NULL,
	                               &released), LM_ENOTFOUND);
	assert_non_null(strstr(lm_db_errmsg(db), "unknown need 'n-exprot-se'"));
	assert_non_null(strstr(lm_db_errmsg(db), "did you mean 'n-export-se'"));
	assert_int_equal(lm_db_release(db, "2026-Q4", "n-export-se", "e-nobody",
	                               &released), LM_ENOTFOUND);
	assert_non_null(strstr(lm_db_errmsg(db), "unknown expert 'e-nobody'"));
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM engagements"), 2);
	assert_int_equal(lm_db_release(db, "2026-Q4", "n-seo", NULL, &released),
	                 LM_OK);
	assert_int_equal(released, 1);
	assert_int_equal(lm_db_release(db, "2026-Q3", "n-export-se", NULL,
	                               &released), LM_ENOTFOUND);
	assert_int_equal(lm_db_release(db, "2026-Q4", "n-export-se", NULL,
	                               &released), LM_OK);
	assert_int_equal(released, 1);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM engagements"), 0);

	/* Committable again once released. */
	assert_int_equal(lm_db_commit_plan(db, plan, &done), LM_OK);
	assert_int_equal(done, n);
	free(committed);
	lm_plan_free(plan);
	lm_catalog_free(pcat);
	lm_db_close(db);
}

/* The commit of `plan` is refused, its message holding each of `says`
 * (a NULL-ended list), and nothing of it is written. */
static void commit_refused(const fx *f, lm_db *db, const lm_plan *plan,
                           const char *const *says)
{
	char *before = dump(f->db, NULL);
	size_t done = 99;
	assert_int_equal(lm_db_commit_plan(db, plan, &done), LM_ECONFLICT);
	assert_int_equal(done, 0);
	for (; *says; says++)
		assert_non_null(strstr(lm_db_errmsg(db), *says));
	char *after = dump(f->db, NULL);
	assert_string_equal(before, after);
	free(after);
	free(before);
}

static void test_commit_conflict(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	lm_catalog *pcat = NULL;
	lm_plan *plan = fixture_plan(db, &pcat);

	/* Another writer engages e-ola (capacity: the stored default 1)
	 * after the plan was made. */
	raw_exec(f->db, "INSERT INTO engagements (period, need, expert, score, "
	         "committed_at) VALUES ('2026-Q4', 'n-other', 'e-ola', 50, "
	         "'2026-10-01T00:00:00Z')");
	commit_refused(f, db, plan, (const char *const[]){"e-ola", "capacity 1",
	                                                 NULL});

	/* A need already covered by someone else is a conflict too. */
	raw_exec(f->db, "DELETE FROM engagements;"
	         "INSERT INTO engagements (period, need, expert, score, "
	         "committed_at) VALUES ('2026-Q4', 'n-seo', 'e-kari', 50, "
	         "'2026-10-01T00:00:00Z')");
	size_t done = 0;
	assert_int_equal(lm_db_commit_plan(db, plan, &done), LM_ECONFLICT);
	assert_non_null(strstr(lm_db_errmsg(db), "need 'n-seo' would have 2"));

	/* A need's engagements count in every period (issue 13): one
	 * served in 2026-Q3 is served. */
	raw_exec(f->db, "UPDATE engagements SET period = '2026-Q3'");
	assert_int_equal(lm_db_commit_plan(db, plan, &done), LM_ECONFLICT);
	assert_non_null(strstr(lm_db_errmsg(db), "need 'n-seo' would have 2"));

	/* An expert's capacity is per period: e-ola's engagement of
	 * 2026-Q3 leaves her 2026-Q4 free. */
	raw_exec(f->db, "DELETE FROM engagements;"
	         "INSERT INTO engagements (period, need, expert, score, "
	         "committed_at) VALUES ('2026-Q3', 'n-other', 'e-ola', 50, "
	         "'2026-10-01T00:00:00Z')");
	assert_int_equal(lm_db_commit_plan(db, plan, &done), LM_OK);
	assert_int_equal(done, 3);

	assert_int_equal(lm_db_commit_plan(db, NULL, &done), LM_EINVAL);
	lm_plan_free(plan);
	lm_catalog_free(pcat);
	lm_db_close(db);
}

/* A database created for a load that failed is removed with its WAL and
 * WAL index; one that holds data is not; a handle still open on a removed
 * file cannot write into it. */
static void test_remove_empty(void **state)
{
	fx *f = *state;
	char *wal = lmi_strf("%s-wal", f->db), *shm = lmi_strf("%s-shm", f->db);
	assert_non_null(wal);
	assert_non_null(shm);
	lm_db *db = open_db(f->db, LM_DB_CREATE);
	lm_db *other = open_db(f->db, 0);
	char *bad = write_file(f, "bad.yaml", "places:\n  - {id: x}\n");
	assert_int_equal(lm_db_load(db, (const char *const[]){bad}, 1, NULL,
	                            NULL), LM_EINPUT);
	assert_int_equal(lm_db_remove_empty(db), LM_OK);
	assert_int_equal(access(f->db, F_OK), -1);
	assert_int_equal(access(wal, F_OK), -1);
	assert_int_equal(access(shm, F_OK), -1);
	/* The handle is closed; the other one may not write to the file
	 * that is gone. */
	assert_int_equal(lm_db_load(db, (const char *const[]){f->base}, 1, NULL,
	                            NULL), LM_EDB);
	assert_non_null(strstr(lm_db_errmsg(db), "not open"));
	assert_int_equal(lm_db_load(other, (const char *const[]){f->base}, 1,
	                            NULL, NULL), LM_EDB);
	assert_non_null(strstr(lm_db_errmsg(other), "was removed or replaced "
	                       "since it was opened; nothing was written"));
	lm_db_close(other);
	lm_db_close(db);
	assert_int_equal(access(f->db, F_OK), -1);

	/* With data it stays. */
	db = loaded_db(f);
	assert_int_equal(lm_db_remove_empty(db), LM_ECONFLICT);
	assert_non_null(strstr(lm_db_errmsg(db), "holds data"));
	assert_int_equal(access(f->db, F_OK), 0);
	lm_db_close(db);
	assert_int_equal(lm_db_remove_empty(NULL), LM_EINVAL);
	free(bad);
	free(wal);
	free(shm);
}

/* Profiles loaded again after the plan was made: the commit refuses the
 * plan as a whole (a pair of it may break a hard rule now) and says what
 * changed; a plan made from the new profiles commits. */
static void test_commit_stale(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	lm_catalog *pcat = NULL;
	lm_plan *plan = fixture_plan(db, &pcat);

	/* e-ingrid now has a conflict of interest with the company of
	 * both her pinned needs. */
	load_text(f, db, "conflict.yaml",
	          "experts:\n  - {id: e-ingrid, name: Ingrid Berg, "
	          "garden: odal, home: skarnes, skills: {export: 4, "
	          "seo: 3}, capacity: 3, languages: [nb, en], "
	          "conflicts: [c-tynset-tre]}\n");
	commit_refused(f, db, plan, (const char *const[]){
		"the profiles were loaded again at 20",
		"after the plan was made (data version 3 now, 2 when the plan "
		"was made); nothing was committed", NULL});
	lm_plan_free(plan);
	lm_catalog_free(pcat);

	/* Planned again, e-ingrid is not in it. */
	lm_catalog *cat = NULL;
	lm_match_options opts = LM_MATCH_OPTIONS_INIT;
	opts.period = "2026-Q4";
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	assert_int_equal(lm_plan_compute(cat, NULL, 0, &opts, &plan), LM_OK);
	for (size_t i = 0; i < lm_plan_assignment_count(plan); i++)
		assert_string_not_equal(lm_plan_assignment(plan, i)->expert,
		                        "e-ingrid");
	size_t done = 0;
	assert_int_equal(lm_db_commit_plan(db, plan, &done), LM_OK);
	assert_int_equal(done, lm_plan_assignment_count(plan));
	lm_plan_free(plan);
	lm_catalog_free(cat);
	lm_db_close(db);
}

/* Export what a database holds and load it into a fresh one: the same
 * rows, including values left to defaults (NULL) and engagements. */
/* The data_version of the database and of a catalogue read from it. */
static long long data_version(const fx *f, lm_db *db)
{
	long long v = raw_int(f->db, "SELECT value FROM meta "
	                             "WHERE key = 'data_version'");
	lm_catalog *cat = NULL;
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	assert_int_equal(cat->data_version, (uint64_t)v);
	lm_catalog_free(cat);
	return v;
}

/* A load that changes a row of the profiles counts one data_version
 * more; one that changes nothing, a failed one and a commit do not. */
static void test_data_version(void **state)
{
	fx *f = *state;
	lm_db *db = open_db(f->db, LM_DB_CREATE);
	assert_int_equal(data_version(f, db), 1);
	load_ok(db, (const char *const[]){f->base, f->people}, 2);
	assert_int_equal(data_version(f, db), 2);
	load_ok(db, (const char *const[]){f->base, f->people}, 2);
	assert_int_equal(data_version(f, db), 2);
	/* Committing a plan changes engagements, not the profiles. */
	lm_catalog *pcat = NULL;
	lm_plan *plan = fixture_plan(db, &pcat);
	size_t done = 0;
	assert_int_equal(lm_db_commit_plan(db, plan, &done), LM_OK);
	assert_true(done > 0);
	assert_int_equal(data_version(f, db), 2);
	lm_plan_free(plan);
	lm_catalog_free(pcat);

	/* One change of each kind of row a load writes: a column, a list
	 * in the row, an item of a child list, a shorter child list, a
	 * setting, a distance the other way round, an engagement. */
	static const char *const changes[] = {
		"places:\n  - {id: tynset, name: Tynset!, lat: 62.276, "
		"lon: 10.782}\n",
		"experts:\n  - {id: e-kari, name: Kari Sandvoll, garden: odal, "
		"home: magnor, skills: {export: 2}, capacity: 5}\n",
		"skills:\n  - {id: digital-marketing, label: Digital "
		"markedsføring, parent: marketing, aliases: [SEO, SoMe]}\n",
		"skills:\n  - {id: digital-marketing, label: Digital "
		"markedsføring, parent: marketing, aliases: [SEO]}\n",
		"skills:\n  - {id: digital-marketing, label: Digital "
		"markedsføring, parent: marketing, aliases: [SEO],\n"
		"     keywords: [nettbutikk, Google]}\n",
		"settings: {max_travel_km: 281}\n",
		"distances:\n  - {from: magnor, to: tynset, km: 292}\n",
		/* Where the committed plan leaves room (issue 13). */
		"engagements:\n  - {period: 2027-Q1, need: n-other, "
		"expert: e-ola, score: 50}\n",
		"engagements:\n  - {period: 2027-Q1, need: n-other, "
		"expert: e-ola, score: 51}\n",
	};
	long long want = 2;
	for (size_t i = 0; i < sizeof changes / sizeof *changes; i++) {
		char *p = write_file(f, "change.yaml", changes[i]);
		load_ok(db, (const char *const[]){p}, 1);
		if (data_version(f, db) != ++want)
			fail_msg("change %zu: data_version %lld, want %lld", i,
			         data_version(f, db), want);
		/* The same again changes nothing. */
		load_ok(db, (const char *const[]){p}, 1);
		assert_int_equal(data_version(f, db), want);
		free(p);
	}
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM skill_keywords "
	                         "WHERE skill = 'digital-marketing' AND "
	                         "pos = 1 AND keyword = 'Google'"), 1);
	/* A failed load leaves it. */
	char *bad = write_file(f, "bad.yaml", "places:\n  - {id: x}\n");
	assert_int_equal(lm_db_load(db, (const char *const[]){bad}, 1, NULL,
	                            NULL), LM_EINPUT);
	assert_int_equal(data_version(f, db), want);
	free(bad);
	/* A catalogue not read from a database has none. */
	lm_catalog *cat = NULL;
	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	assert_int_equal(cat->data_version, 0);
	lm_catalog_free(cat);
	lm_db_close(db);
}

static void test_export_round_trip(void **state)
{
	fx *f = *state;
	lm_db *db = loaded_db(f);
	lm_catalog *pcat = NULL;
	lm_plan *plan = fixture_plan(db, &pcat);
	size_t done = 0;
	assert_int_equal(lm_db_commit_plan(db, plan, &done), LM_OK);
	lm_plan_free(plan);
	lm_catalog_free(pcat);

	lm_catalog *cat = NULL;
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	lm_db_close(db);
	char *out = path_in(f, "export.yaml");
	FILE *fp = fopen(out, "w");
	assert_non_null(fp);
	assert_int_equal(lm_catalog_export(cat, LM_FORMAT_YAML, fp), LM_OK);
	assert_int_equal(fclose(fp), 0);
	lm_catalog_free(cat);

	char *copy = path_in(f, "copy.db");
	db = open_db(copy, LM_DB_CREATE);
	load_ok(db, (const char *const[]){out}, 1);
	lm_db_close(db);
	char *d1 = dump(f->db, "committed_at"), *d2 = dump(copy, "committed_at");
	assert_string_equal(d1, d2);
	free(d1);
	free(d2);
	free(copy);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_idempotent, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_open_newer_schema, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_open_foreign_file, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_load_and_read, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_read_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_failure_says_why, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_reload_idempotent, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_bad_file_changes_nothing,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_order_free, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_refs_to_stored_records, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_replace_records, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress_in_experts, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_load_name_taken, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_need_as_spelled, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_commit_and_release, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_commit_conflict, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_commit_stale, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_remove_empty, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_expert_lists_json, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_expert_lists_random, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_availability_json, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_data_version, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_export_round_trip, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
