/* SPDX-License-Identifier: MIT */
/*
 * test_image.c -- cmocka tests of ranking straight from the database
 * (lm_db_rank_need) through the engine image (libmatch/io/image.c): on
 * generated databases, every need with many option sets gives the same
 * ranking, to the bit and with the same expert indices, through the image
 * as after reading every row; an image made stale by SQL by hand, by a
 * change of places or settings, or damaged, is never used or never
 * followed; an old (version 1) database is upgraded; errors read as
 * lm_rank_need's.
 */
#include "lm_test.h"
#include "lm_gen.h"

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "io/store.h"
#include "lm_sql.h"
#include "io/store_schema.h"
#include "io/image.h"

/* ---- fixtures ------------------------------------------------------------ */

typedef struct fx {
	char dir[64];
	char db[96];
	char yaml[96];
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/lm-image-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/match.db", f->dir);
	snprintf(f->yaml, sizeof(f->yaml), "%s/data.yaml", f->dir);
	*state = f;
	return 0;
}

static void remove_files(const fx *f)
{
	DIR *d = opendir(f->dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char p[400];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", f->dir, e->d_name);
		unlink(p);
	}
	closedir(d);
}

static int teardown(void **state)
{
	fx *f = *state;

	remove_files(f);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
}

static lm_db *open_db(const char *path, unsigned flags)
{
	lm_db *db = NULL;
	int rc = lm_db_open(path, flags, &db);

	if (rc != LM_OK)
		fprintf(stderr, "open: %s\n", lm_db_errmsg(db));
	assert_int_equal(rc, LM_OK);
	return db;
}

/*
 * The engagements of gen_text ("engagements:" and its lines of
 * "  - {period: P, need: N, expert: E, score: S}") as SQL inserts, run
 * after the profiles are loaded, and the text without them in `rest`.
 * Generated engagements may overbook an expert (capacity_left 0 or
 * below it must rank the same both ways), which a load refuses since
 * issue 13; a database can hold them anyway (another writer, an older
 * libmatch), so they go in behind the load's back.
 */
static char *split_engagements(const char *text, char *rest)
{
	const char *at = strstr(text, "engagements:\n");
	strcpy(rest, text);
	if (!at)
		return NULL;
	size_t head = (size_t)(at - text);
	const char *p = at + strlen("engagements:\n");
	char *sql = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&sql, &len);
	assert_non_null(f);
	char period[16], need[64], expert[64];
	double score;
	int used = 0;
	for (;;) {
		score = 0;
		used = 0;
		if (sscanf(p, "  - {period: %15[^,], need: %63[^,], expert: "
		           "%63[^,], score: %lf}\n%n", period, need, expert,
		           &score, &used) != 4 || !used) {
			used = 0;
			if (sscanf(p, "  - {period: %15[^,], need: %63[^,], "
			           "expert: %63[^}]}\n%n", period, need, expert,
			           &used) != 3 || !used)
				break;
		}
		fprintf(f, "INSERT INTO engagements (period, need, expert, score, "
		        "committed_at) VALUES ('%s', '%s', '%s', %g, "
		        "'2026-10-01T00:00:00Z');\n", period, need, expert, score);
		p += used;
	}
	assert_int_equal(fclose(f), 0);
	strcpy(rest + head, p);
	return sql;
}

static void load_text(const fx *f, const char *text)
{
	lm_db *db = open_db(f->db, LM_DB_CREATE);
	const char *paths[] = {f->yaml};
	int rc;
	char *rest = malloc(strlen(text) + 1);
	assert_non_null(rest);
	char *sql = split_engagements(text, rest);

	write_text(f->yaml, rest);
	rc = lm_db_load(db, paths, 1, NULL, NULL);
	if (rc != LM_OK)
		fprintf(stderr, "load: %s\n", lm_db_errmsg(db));
	assert_int_equal(rc, LM_OK);
	lm_db_close(db);
	if (sql && *sql)
		raw_exec(f->db, sql);
	free(sql);
	free(rest);
}

/* A new database of `text` alone (freed here), open to read. */
static lm_db *fresh_db(const fx *f, char *text)
{
	remove_files(f);
	load_text(f, text);
	free(text);
	return open_db(f->db, LM_DB_READONLY);
}

/* A generated catalogue with engagements in two periods and, with
 * `settings`, other defaults; the caller frees it. */
static char *gen_text(uint64_t seed, int n_experts, int n_needs,
                      bool settings)
{
	char *cat = gen_catalog(seed, n_experts, n_needs, false);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	uint64_t rng = seed * 7919 + 1;

	assert_non_null(f);
	fputs(cat, f);
	free(cat);
	fputs("engagements:\n", f);
	for (int i = 0; i < n_experts; i++) {
		int n = lmt_int(&rng, 0, 3), start = lmt_int(&rng, 0, n_needs - 1);

		/* Distinct needs, so that no engagement is given twice. */
		for (int j = 0; j < n && j < n_needs; j++)
			fprintf(f, "  - {period: %s, need: n%02d, expert: e%03d, "
			           "score: 50}\n",
			        lmt_int(&rng, 0, 2) ? "2026-Q4" : "2027-Q1",
			        (start + j) % n_needs, i);
	}
	if (settings) {
		/* One draw per statement: the order of a call's arguments is
		 * unspecified (gcc and clang differ), and the data must not
		 * depend on the compiler.  This is the order gcc used. */
		int cap = lmt_int(&rng, 0, 3);
		int km = lmt_int(&rng, 150, 320);

		fprintf(f, "settings: {max_travel_km: %d, default_capacity: %d}\n",
		        km, cap);
	}
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* The two rankings are the same, to the bit. */
static void same_ranking(const lm_ranking *a, const lm_ranking *b,
                         const char *what)
{
	size_t n = lm_ranking_count(a);

	if (n != lm_ranking_count(b) ||
	    lm_ranking_feasible(a) != lm_ranking_feasible(b))
		fail_msg("%s: %zu/%zu results, %zu/%zu feasible", what, n,
		         lm_ranking_count(b), lm_ranking_feasible(a),
		         lm_ranking_feasible(b));
	for (size_t i = 0; i < n; i++) {
		const lm_match *x = lm_ranking_get(a, i), *y = lm_ranking_get(b, i);

		if (x->expert != y->expert || strcmp(x->expert_id, y->expert_id) ||
		    strcmp(x->expert_name, y->expert_name) ||
		    (x->garden == NULL) != (y->garden == NULL) ||
		    (x->garden && strcmp(x->garden, y->garden)) ||
		    memcmp(&x->score, &y->score, sizeof x->score) ||
		    memcmp(&x->distance_km, &y->distance_km, sizeof(double)) ||
		    memcmp(&x->travel_minutes, &y->travel_minutes,
		           sizeof(double)) ||
		    memcmp(&x->travel_cost_nok, &y->travel_cost_nok,
		           sizeof(double)) ||
		    x->capacity_left != y->capacity_left ||
		    memcmp(&x->components, &y->components,
		           sizeof x->components))
			fail_msg("%s: result %zu differs: %s %.17g (left %d) vs "
			         "%s %.17g (left %d)", what, i, x->expert_id,
			         x->score, x->capacity_left, y->expert_id, y->score,
			         y->capacity_left);
	}
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The two explanations are the same, to the bit. */
static void same_explanation(const lm_explanation *a, const lm_explanation *b,
                             const char *what)
{
	const lm_match *x = lm_explanation_match(a), *y = lm_explanation_match(b);

	if (lm_explanation_feasible(a) != lm_explanation_feasible(b) ||
	    x->expert != y->expert || !same_str(x->expert_id, y->expert_id) ||
	    !same_str(x->expert_name, y->expert_name) ||
	    !same_str(x->garden, y->garden) ||
	    memcmp(&x->score, &y->score, sizeof(double)) ||
	    memcmp(&x->distance_km, &y->distance_km, sizeof(double)) ||
	    x->capacity_left != y->capacity_left ||
	    memcmp(&x->components, &y->components, sizeof x->components))
		fail_msg("%s: the matches differ (%s %.17g vs %s %.17g)", what,
		         x->expert_id, x->score, y->expert_id, y->score);
	assert_int_equal(lm_explanation_reason_count(a),
	                 lm_explanation_reason_count(b));
	for (size_t i = 0; i < lm_explanation_reason_count(a); i++)
		assert_string_equal(lm_explanation_reason(a, i),
		                    lm_explanation_reason(b, i));
	assert_int_equal(lm_explanation_skill_count(a),
	                 lm_explanation_skill_count(b));
	for (size_t i = 0; i < lm_explanation_skill_count(a); i++) {
		const lm_skill_credit *p = lm_explanation_skill(a, i);
		const lm_skill_credit *q = lm_explanation_skill(b, i);

		if (!same_str(p->need_skill, q->need_skill) ||
		    p->min_level != q->min_level || p->weight != q->weight ||
		    p->optional != q->optional ||
		    !same_str(p->via_skill, q->via_skill) ||
		    p->via_level != q->via_level ||
		    !same_str(p->relation, q->relation) ||
		    memcmp(&p->credit, &q->credit, sizeof(double)))
			fail_msg("%s: skill %zu differs", what, i);
	}
}

/* ---- one question along each path --------------------------------------- */

/* What one path answers: its status and message, and a ranking or (for
 * a question about an expert) an explanation. */
typedef struct answer {
	int rc;
	char *msg;
	lm_ranking *r;
	lm_explanation *x;
} answer;

/* The ranking of `need`, or with `expert` the explanation of the pair,
 * as `how` reads the database. */
static answer ask(lm_db *db, const char *need, const char *expert,
                  const lm_match_options *o, lmi_rank_how how)
{
	answer a = {0};

	if (expert)
		a.rc = lmi_db_explain_how(db, need, expert, o, how, &a.x);
	else
		a.rc = lmi_db_rank_need_how(db, need, o, how, &a.r);
	a.msg = strdup(lm_db_errmsg(db));
	assert_non_null(a.msg);
	return a;
}

/* The same, which must succeed. */
static answer ask_ok(lm_db *db, const char *need, const char *expert,
                     const lm_match_options *o, lmi_rank_how how)
{
	answer a = ask(db, need, expert, o, how);

	if (a.rc != LM_OK)
		fail_msg("%s %s%s%s (how %d): %d: %s", expert ? "explain" : "rank",
		         need, expert ? " " : "", expert ? expert : "", (int)how,
		         a.rc, a.msg);
	return a;
}

static void answer_free(answer *a)
{
	free(a->msg);
	lm_ranking_free(a->r);
	lm_explanation_free(a->x);
}

/* `a` answers as `b` does: the same status, and the same message or the
 * same ranking or explanation, to the bit. */
static void same_answer(const answer *a, const answer *b, const char *what)
{
	assert_int_equal(a->rc, b->rc);
	if (a->rc != LM_OK)
		assert_string_equal(a->msg, b->msg);
	else if (b->r)
		same_ranking(a->r, b->r, what);
	else
		same_explanation(a->x, b->x, what);
}

/* The image and the automatic path answer as the rows do; all three
 * answers are freed. */
static void same_as_rows(answer *image, answer *rows, answer *autom,
                         const char *what)
{
	same_answer(image, rows, what);
	same_answer(autom, rows, what);
	answer_free(image);
	answer_free(rows);
	answer_free(autom);
}

/* The question asked along the image, the rows and the automatic path:
 * each answers, and all alike. */
static void same_every_way(lm_db *db, const char *need, const char *expert,
                           const lm_match_options *o, const char *what)
{
	answer image = ask_ok(db, need, expert, o, LM_RANK_IMAGE);
	answer rows = ask_ok(db, need, expert, o, LM_RANK_ROWS);
	answer autom = ask_ok(db, need, expert, o, LM_RANK_AUTO);

	same_as_rows(&image, &rows, &autom, what);
}

/* Every need of the database, with several option sets: the image and
 * the rows agree.  Returns the number of rankings compared. */
static int compare_all(lm_db *db, int n_needs)
{
	static const struct {
		size_t k;
		double max_km, ws, wd;
		const char *period;
		int available;
	} sets[] = {
		{10, 0, -1, -1, "2026-Q4", 0},
		{0, 0, -1, -1, "2026-Q4", 0},
		{3, 0, -1, -1, "2027-Q1", 1},
		{0, 150, -1, -1, "2026-Q4", 1},
		{5, 0, 1, 3, "2026-Q4", 0},
		{0, 0, 2, 0, "2025-Q1", 0},
		{1, 90, -1, -1, NULL, 0},
	};
	int compared = 0;

	for (int i = 0; i < n_needs; i++) {
		char need[16];

		snprintf(need, sizeof need, "n%02d", i);
		for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++) {
			lm_match_options o = LM_MATCH_OPTIONS_INIT;
			char what[64];

			o.k = sets[s].k;
			o.max_km = sets[s].max_km;
			o.weight_skill = sets[s].ws;
			o.weight_distance = sets[s].wd;
			o.period = sets[s].period;
			o.available_only = sets[s].available;
			snprintf(what, sizeof what, "need %s, options %zu", need, s);
			same_every_way(db, need, NULL, &o, what);
			compared++;
		}
	}
	return compared;
}

/* ---- the image gives what the rows give ------------------------------- */

static void test_same_as_rows(void **state)
{
	fx *f = *state;
	int compared = 0;

	for (uint64_t seed = 1; seed <= 30; seed++) {
		int n_needs = 8;
		char *text = gen_text(seed, 10 + (int)(seed % 5) * 15, n_needs,
		                      seed % 3 == 0);
		lm_db *db = fresh_db(f, text);

		compared += compare_all(db, n_needs);
		lm_db_close(db);
	}
	assert_int_equal(compared, 30 * 8 * 7);
}

/* Every pair of a few databases, feasible or not, under three option
 * sets: the image explains as the rows do. */
static void test_explain_same_as_rows(void **state)
{
	fx *f = *state;
	int compared = 0;

	for (uint64_t seed = 31; seed <= 36; seed++) {
		int n_experts = 12 + (int)(seed % 3) * 6, n_needs = 5;
		char *text = gen_text(seed, n_experts, n_needs, seed % 2 == 0);
		lm_db *db = fresh_db(f, text);

		for (int i = 0; i < n_needs; i++)
			for (int e = 0; e < n_experts; e++)
				for (int set = 0; set < 3; set++) {
					lm_match_options o = LM_MATCH_OPTIONS_INIT;
					char need[16], expert[16], what[64];

					snprintf(need, sizeof need, "n%02d", i);
					snprintf(expert, sizeof expert, "e%03d", e);
					o.period = set == 1 ? "2027-Q1" : "2026-Q4";
					o.max_km = set == 2 ? 120 : 0;
					o.weight_distance = set == 2 ? 3 : -1;
					snprintf(what, sizeof what, "%s %s set %d", need,
					         expert, set);
					same_every_way(db, need, expert, &o, what);
					compared++;
				}
		lm_db_close(db);
	}
	assert_true(compared > 1000);
}

/* Ad-hoc queries of every shape: the image ranks as the rows do. */
static void test_query_same_as_rows(void **state)
{
	fx *f = *state;
	uint64_t rng = 4242;
	int compared = 0;

	for (uint64_t seed = 41; seed <= 46; seed++) {
		char *text = gen_text(seed, 40, 3, seed % 2 == 0);
		lm_db *db = fresh_db(f, text);

		for (int t = 0; t < 40; t++) {
			lm_query q = LM_QUERY_INIT;
			lm_skill_req req[3];
			char names[3][32], at[16], company[32];
			lm_match_options o = LM_MATCH_OPTIONS_INIT;
			int ns = lmt_int(&rng, 1, 3), m = lmt_int(&rng, 0, 5);
			answer a = {0}, b = {0}, c = {0};
			char what[64];

			int picked[3];

			gen_skill_set(&rng, ns, picked);
			for (int j = 0; j < ns; j++) {
				int sk = picked[j];

				/* By id, or by label in another case. */
				if (lmt_int(&rng, 0, 2))
					snprintf(names[j], sizeof names[j], "s%02d", sk);
				else
					snprintf(names[j], sizeof names[j], "SKILL %d", sk);
				req[j].skill = names[j];
				req[j].level = lmt_int(&rng, 1, 4);
				req[j].optional = lmt_int(&rng, 0, 5) == 0;
				req[j].weight = lmt_int(&rng, 0, 2);
			}
			q.skills = req;
			q.skill_count = (size_t)ns;
			if (lmt_int(&rng, 0, 1)) {
				snprintf(at, sizeof at, "p%d",
				         lmt_int(&rng, 0, N_PLACES - 1));
				q.at = at;
			} else {
				q.lat = lmt_real(&rng, 59.5, 62.8);
				q.lon = lmt_real(&rng, 10.5, 12.8);
			}
			q.mode = m < 3 ? LM_ONSITE : m < 5 ? LM_HYBRID : LM_REMOTE;
			if (lmt_int(&rng, 0, 4) == 0)
				q.language = "sv";
			if (lmt_int(&rng, 0, 4) == 0)
				q.max_km = lmt_int(&rng, 60, 250);
			if (lmt_int(&rng, 0, 2) == 0) {
				int co = lmt_int(&rng, 0, N_COMPANIES - 1);

				if (lmt_int(&rng, 0, 1))
					snprintf(company, sizeof company, "c%d", co);
				else
					snprintf(company, sizeof company, "Company %d", co);
				q.company = company;
			}
			o.k = (size_t)lmt_int(&rng, 0, 6);
			o.period = "2026-Q4";
			o.available_only = lmt_int(&rng, 0, 3) == 0;
			a.rc = lmi_db_rank_query_how(db, &q, &o, LM_RANK_IMAGE, &a.r);
			if (a.rc)
				fail_msg("query %d: %s", t, lm_db_errmsg(db));
			b.rc = lmi_db_rank_query_how(db, &q, &o, LM_RANK_ROWS, &b.r);
			assert_int_equal(b.rc, LM_OK);
			/* The public call stands for the automatic path. */
			c.rc = lm_db_rank_query(db, &q, &o, &c.r);
			assert_int_equal(c.rc, LM_OK);
			snprintf(what, sizeof what, "seed %d query %d", (int)seed, t);
			same_as_rows(&a, &b, &c, what);
			compared++;
		}
		/* A query's errors read as lm_rank_query's. */
		{
			lm_skill_req req = {"s0", 2, 1, 0};
			lm_query q = lmt_query_one("p1", &req);
			lm_catalog *cat = NULL;
			lm_ranking *r = NULL;

			assert_int_equal(lm_db_read(db, &cat), LM_OK);
			assert_int_equal(lm_db_rank_query(db, &q, NULL, &r),
			                 LM_ENOTFOUND);
			assert_null(r);
			assert_int_equal(lm_rank_query(cat, &q, NULL, &r),
			                 LM_ENOTFOUND);
			assert_string_equal(lm_db_errmsg(db), lm_catalog_errmsg(cat));
			lm_catalog_free(cat);
			assert_int_equal(lm_db_rank_query(db, NULL, NULL, &r),
			                 LM_EINVAL);
		}
		lm_db_close(db);
	}
	assert_int_equal(compared, 6 * 40);
}

/* A need with only optional skills has every expert as a candidate. */
static void test_every_expert_a_candidate(void **state)
{
	fx *f = *state;
	char *text = gen_catalog(5, 30, 1, false);
	size_t n = strlen(text);
	char *more = malloc(n + 200);
	lm_db *db;

	assert_non_null(more);
	memcpy(more, text, n + 1);
	strcat(more, "  - id: n99\n    company: c1\n    mode: remote\n"
	             "    skills: {s01: {level: 2, optional: true}}\n");
	free(text);
	load_text(f, more);
	free(more);
	db = open_db(f->db, LM_DB_READONLY);
	{
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		answer a, b;

		o.k = 0;
		a = ask_ok(db, "n99", NULL, &o, LM_RANK_IMAGE);
		b = ask_ok(db, "n99", NULL, &o, LM_RANK_ROWS);
		same_answer(&a, &b, "n99");
		assert_true(lm_ranking_count(a.r) > 0);
		answer_free(&a);
		answer_free(&b);
	}
	lm_db_close(db);
}

/* ---- stale images are not used ------------------------------------------ */

static bool image_usable(const char *path, const char *need)
{
	lm_db *db = open_db(path, LM_DB_READONLY);
	lm_ranking *r = NULL;
	int rc = lmi_db_rank_need_how(db, need, NULL, LM_RANK_IMAGE, &r);

	if (rc != LM_OK)
		assert_int_equal(rc, LM_ERROR);
	assert_true(rc != LM_OK || r);
	lm_ranking_free(r);
	lm_db_close(db);
	return rc == LM_OK;
}

/* The automatic path answers as the rows do: the same ranking or
 * explanation, or the same error. */
static void auto_is_rows(lm_db *db, const char *need, const char *expert,
                         const lm_match_options *o, const char *what)
{
	answer a = ask(db, need, expert, o, LM_RANK_AUTO);
	answer b = ask(db, need, expert, o, LM_RANK_ROWS);

	same_answer(&a, &b, what);
	answer_free(&a);
	answer_free(&b);
}

/* So for every need and a few experts. */
static void check_auto_is_rows(const char *path, int n_needs)
{
	lm_db *db = open_db(path, LM_DB_READONLY);

	for (int i = 0; i < n_needs; i++) {
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		char need[16];

		snprintf(need, sizeof need, "n%02d", i);
		o.k = 0;
		o.period = "2026-Q4";
		auto_is_rows(db, need, NULL, &o, need);

		/* And an explanation of the need with each of a few experts. */
		for (int e = 0; e < 5; e++) {
			char expert[16];

			snprintf(expert, sizeof expert, "e%03d", e);
			auto_is_rows(db, need, expert, &o, expert);
		}
	}
	lm_db_close(db);
}

static void test_stale_after_sql(void **state)
{
	fx *f = *state;
	static const char *const edits[] = {
		"UPDATE experts SET remote = 1 - remote WHERE id = 'e003'",
		"UPDATE experts SET max_travel_km = 20",
		"UPDATE experts SET skills = '{}' WHERE id = 'e001'",
		"UPDATE experts SET skills = (SELECT json_group_object(id, 5) "
		"FROM skills) WHERE id = 'e002'",
		"UPDATE experts SET skills = (SELECT json_group_object(key, 5) "
		"FROM json_each(experts.skills))",
		"UPDATE experts SET languages = NULL",
		"UPDATE experts SET languages = "
		"json_insert(coalesce(languages, '[]'), '$[#]', 'sv')",
		/* Schema 4's columns the image holds. */
		"UPDATE experts SET retired = '2026-12-31' WHERE id = 'e004'",
		"UPDATE experts SET availability = '{\"2026-Q4\":0}' "
		"WHERE id = 'e005'",
		"UPDATE expert_conflicts SET company = 'c1'",
		"DELETE FROM expert_conflicts",
		"INSERT INTO expert_conflicts (expert, pos, company) "
		"SELECT id, 9, 'c2' FROM experts",
		/* Not covered by a trigger, but by the fingerprint: */
		"UPDATE places SET lat = lat + 0.5 WHERE id = 'p3'",
		"INSERT INTO places (id, name, lat, lon) "
		"VALUES ('p0-new', 'New', 60, 11)",
		"UPDATE settings SET value = 99 WHERE key = 'max_travel_km'",
		"UPDATE settings SET value = 0 WHERE key = 'default_capacity'",
		"INSERT INTO skills (id, label) VALUES ('s00a', 'New skill')",
		/* Conflicts name companies by id (foreign keys are off in a
		 * connection that does not ask for them): */
		"DELETE FROM companies WHERE id = 'c9'",
		"UPDATE companies SET id = 'c9x' WHERE id = 'c9'",
		/* Last: the load below must still be able to read it. */
		"INSERT INTO gardens (id, name, place) VALUES ('g0', 'G0', 'p2')",
	};
	char *text = gen_text(11, 60, 6, true);

	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		remove_files(f);
		load_text(f, text);
		assert_true(image_usable(f->db, "n00"));
		raw_exec(f->db, edits[i]);
		if (image_usable(f->db, "n00"))
			fail_msg("edit %zu left the image in use: %s", i, edits[i]);
		check_auto_is_rows(f->db, 6);
	}
	/* A later load writes a new image. */
	load_text(f, "settings: {speed_kmh: 60}\n");
	assert_true(image_usable(f->db, "n00"));
	check_auto_is_rows(f->db, 6);
	free(text);
}

/* Engagements committed after the load count without a new image. */
static void test_engagements_after_load(void **state)
{
	fx *f = *state;
	char *text = gen_text(12, 40, 5, false);
	lm_db *db;

	load_text(f, text);
	free(text);
	raw_exec(f->db, "INSERT INTO engagements (period, need, expert, "
	                "score, committed_at) SELECT '2026-Q4', 'n00', id, 1, "
	                "'2026-11-26T00:00:00Z' FROM experts WHERE id NOT IN "
	                "(SELECT expert FROM engagements WHERE period = "
	                "'2026-Q4' AND need = 'n00')");
	assert_true(image_usable(f->db, "n00"));
	db = open_db(f->db, LM_DB_READONLY);
	compare_all(db, 5);
	lm_db_close(db);
}

/* ---- damage is refused, never followed ---------------------------------- */

static void test_damaged(void **state)
{
	fx *f = *state;
	char *text = gen_text(13, 50, 4, false);
	uint64_t rng = 99;
	int used = 0, refused = 0;

	load_text(f, text);
	free(text);
	for (int round = 0; round < 300; round++) {
		sqlite3 *raw = NULL;
		sqlite3_blob *b = NULL;
		long long parts = raw_int(f->db, "SELECT count(*) FROM engine_image");
		int part = round % 3 == 0 ? 0 : round % 3 == 1
		               ? 1 : lmt_int(&rng, 2, (int)parts - 1);
		int kind = lmt_int(&rng, 0, 9);
		char sql[160];

		/* A fresh image each round: reload over the same data. */
		load_text(f, "settings: {speed_kmh: 70}\n");
		if (kind == 0) {
			snprintf(sql, sizeof sql, "DELETE FROM engine_image WHERE "
			         "part = %d", part);
			raw_exec(f->db, sql);
		} else if (kind == 1) {
			snprintf(sql, sizeof sql, "UPDATE engine_image SET data = "
			         "substr(data, 1, length(data) * %d / 10) WHERE "
			         "part = %d", lmt_int(&rng, 0, 9), part);
			raw_exec(f->db, sql);
		} else {
			/* Overwrite a few bytes in place. */
			assert_int_equal(sqlite3_open(f->db, &raw), SQLITE_OK);
			if (sqlite3_blob_open(raw, "main", "engine_image", "data",
			                      part, 1, &b) == SQLITE_OK) {
				int len = sqlite3_blob_bytes(b);

				for (int j = 0; len > 0 && j < kind; j++) {
					unsigned char v = (unsigned char)lmt_int(&rng, 0, 255);
					int at = lmt_int(&rng, 0, len - 1);

					if (round % 5 == 0)
						at = lmt_int(&rng, 0, len < 64 ? len - 1 : 63);
					assert_int_equal(sqlite3_blob_write(b, &v, 1, at),
					                 SQLITE_OK);
				}
			}
			sqlite3_blob_close(b);
			assert_int_equal(sqlite3_close(raw), SQLITE_OK);
		}
		/* Whatever happened: no crash, no leak (ASan), and either the
		 * image is refused or a well-formed ranking comes back. */
		for (int i = 0; i < 4; i++) {
			lm_db *db = open_db(f->db, LM_DB_READONLY);
			lm_match_options o = LM_MATCH_OPTIONS_INIT;
			lm_ranking *r = NULL;
			char need[16];
			int rc;

			snprintf(need, sizeof need, "n%02d", i);
			o.k = 0;
			rc = lmi_db_rank_need_how(db, need, &o, LM_RANK_IMAGE, &r);
			if (rc == LM_OK) {
				used++;
				for (size_t k = 0; k < lm_ranking_count(r); k++) {
					const lm_match *m = lm_ranking_get(r, k);

					assert_non_null(m->expert_id);
					assert_non_null(m->expert_name);
					assert_true(m->score >= 0.0 && m->score <= 100.0);
				}
			} else {
				assert_int_equal(rc, LM_ERROR);
				refused++;
			}
			lm_ranking_free(r);
			/* The automatic path always answers. */
			assert_int_equal(lm_db_rank_need(db, need, &o, &r), LM_OK);
			lm_ranking_free(r);
			lm_db_close(db);
		}
	}
	assert_true(used > 0);
	assert_true(refused > 0);
}

/* A header whose counts do not match its parts is refused before anything
 * is allocated by them (fuzz_image once found a 16 GB allocation). */
static void test_huge_counts(void **state)
{
	fx *f = *state;
	char *text = gen_text(16, 20, 2, false);
	static const uint32_t huge = 0xfffffff0u;
	/* n_experts and n_skills in the header (image.c's img_hdr). */
	static const int at[] = {32, 28};

	load_text(f, text);
	free(text);
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		sqlite3 *raw = NULL;
		sqlite3_blob *b = NULL;

		load_text(f, "settings: {speed_kmh: 70}\n");
		assert_true(image_usable(f->db, "n00"));
		assert_int_equal(sqlite3_open(f->db, &raw), SQLITE_OK);
		assert_int_equal(sqlite3_blob_open(raw, "main", "engine_image",
		                                   "data", 0, 1, &b), SQLITE_OK);
		assert_int_equal(sqlite3_blob_write(b, &huge, 4, at[i]),
		                 SQLITE_OK);
		sqlite3_blob_close(b);
		assert_int_equal(sqlite3_close(raw), SQLITE_OK);
		assert_false(image_usable(f->db, "n00"));
		check_auto_is_rows(f->db, 2);
	}
}

/* ---- what the image carries of an expert's time ------------------------ */

static int64_t parts_size(void *ctx, size_t part)
{
	const lmi_image_parts *p = ctx;
	return part < p->n ? (int64_t)p->len[part] : -1;
}

static int parts_read(void *ctx, size_t part, void *dst, size_t n,
                      uint64_t offset)
{
	const lmi_image_parts *p = ctx;
	if (part >= p->n || offset > p->len[part] || n > p->len[part] - offset)
		return LM_ERROR;
	memcpy(dst, (const char *)p->data[part] + offset, n);
	return LM_OK;
}

/* Expert i of `cat` and expert j of `img` have the same retired flag and
 * capacities per quarter. */
static void same_time(const lm_catalog *cat, uint32_t i, const lm_catalog *img,
                      uint32_t j)
{
	const lmi_resolved *a = &cat->r, *b = &img->r;
	uint32_t na = a->expert_avail_off[i + 1] - a->expert_avail_off[i];
	assert_int_equal(a->expert_retired[i], b->expert_retired[j]);
	assert_int_equal(na, b->expert_avail_off[j + 1] - b->expert_avail_off[j]);
	for (uint32_t k = 0; k < na; k++) {
		assert_int_equal(a->expert_avail_period[a->expert_avail_off[i] + k],
		                 b->expert_avail_period[b->expert_avail_off[j] + k]);
		assert_int_equal(a->expert_avail_cap[a->expert_avail_off[i] + k],
		                 b->expert_avail_cap[b->expert_avail_off[j] + k]);
	}
}

/* The image carries what the engine will need of an expert's time
 * (retired, capacity per quarter), so that a ranking through it can use
 * them as one of the rows can. */
static void test_time_in_image(void **state)
{
	(void)state;
	static const char common[] =
		"places: [{id: p, name: P, lat: 60, lon: 11}]\n"
		"gardens: [{id: g, name: G, place: p}]\n"
		"skills: [{id: s, label: S}]\n"
		"companies: [{id: c, name: C, place: p}]\n"
		"needs: [{id: n, company: c, skills: {s: 1}}]\n";
	static const char experts[] =
		"experts:\n"
		"  - {id: e-a, name: A, garden: g, home: p, skills: {s: 3},\n"
		"     retired: 2026-11-30,\n"
		"     availability: {2027-Q2: 0, 2026-q4: 3, 2027-Q1: 1000}}\n"
		"  - {id: e-b, name: B, garden: g, home: p, skills: {s: 2},\n"
		"     availability: {2026-Q4: 1}}\n"
		"  - {id: e-c, name: C, garden: g, home: p, skills: {s: 1}}\n";
	char *text = malloc(sizeof common + sizeof experts);
	assert_non_null(text);
	snprintf(text, sizeof common + sizeof experts, "%s%s", common, experts);
	lm_catalog *all = lmt_load(text), *one = lmt_load(common);
	free(text);
	lmi_image_parts parts;
	assert_int_equal(lmi_image_build(all, &parts), LM_OK);
	lmi_image_reader rd = {parts_size, parts_read, &parts};
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	uint32_t *list = NULL;
	size_t n = 0;
	assert_int_equal(lmi_image_load_for(one, NULL, &o, &rd, &list, &n),
	                 LM_OK);
	assert_int_equal(n, 3);
	for (uint32_t j = 0; j < n; j++)
		same_time(all, list[j], one, j);
	assert_true(one->r.expert_retired[0]);
	assert_int_equal(one->r.expert_avail_off[1], 3);
	assert_int_equal(one->r.expert_avail_period[0], 2026 * 4 + 3);
	assert_int_equal(one->r.expert_avail_cap[2], 0);
	free(list);
	lm_catalog_free(one);

	/* One expert, as lm_db_explain reads it. */
	one = lmt_load(common);
	uint32_t at;
	assert_int_equal(lmi_image_load_expert(one, &rd, "e-b", &at), LM_OK);
	same_time(all, at, one, 0);
	lm_catalog_free(one);
	lmi_image_parts_free(&parts);
	lm_catalog_free(all);
}

/* Write n bytes at `at` of engine image part `part` (keeping the old ones
 * in `keep`, when not NULL), committed. */
static void blob_write(const char *path, int part, int at,
                       const unsigned char *bytes, int n, unsigned char *keep)
{
	sqlite3 *raw = NULL;
	sqlite3_blob *b = NULL;

	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_blob_open(raw, "main", "engine_image", "data",
	                                   part, 1, &b), SQLITE_OK);
	if (keep)
		assert_int_equal(sqlite3_blob_read(b, keep, n, at), SQLITE_OK);
	assert_int_equal(sqlite3_blob_write(b, bytes, n, at), SQLITE_OK);
	assert_int_equal(sqlite3_blob_close(b), SQLITE_OK);
	assert_int_equal(sqlite3_close(raw), SQLITE_OK);
}

/* Values the rows could never hold, written over every position of the
 * records: INT_MIN and INT_MAX (a capacity minus the engagements would
 * overflow), NaN, infinities and -0.0.  Under UBSan this catches any
 * arithmetic on an unchecked value; each ranking is refused or sane. */
static void test_hostile_values(void **state)
{
	fx *f = *state;
	/* Every field in the records: homes as places and as coordinates,
	 * own limits and capacities, conflicts, languages; every expert a
	 * candidate of both needs, with an engagement in the period. */
	static const char text[] =
		"places:\n"
		"  - {id: p0, name: P0, lat: 60.1, lon: 11.2}\n"
		"  - {id: p1, name: P1, lat: 61.0, lon: 10.9}\n"
		"gardens: [{id: g1, name: G1, place: p0}]\n"
		"skills: [{id: s00, label: S0}, {id: s01, label: S1, parent: s00}]\n"
		"companies: [{id: c0, name: C0, place: p1}]\n"
		"experts:\n"
		"  - {id: e0, name: E0, garden: g1, home: p0, skills: {s00: 3},\n"
		"     capacity: 1, languages: [nb, sv]}\n"
		"  - {id: e1, name: E1, garden: g1, home: {lat: 60.5, lon: 11.0},\n"
		"     skills: {s00: 2, s01: 4}, capacity: 3, max_travel_km: 250}\n"
		"  - {id: e2, name: E2, garden: g1, home: p1, skills: {s01: 5},\n"
		"     capacity: 5, conflicts: [c0], languages: [en]}\n"
		"needs:\n"
		"  - {id: n00, company: c0, skills: {s00: 1}, mode: hybrid}\n"
		"  - {id: n01, company: c0, skills: {s01: {level: 1,\n"
		"     optional: true}}}\n"
		"engagements:\n"
		"  - {period: 2026-Q4, need: n00, expert: e0}\n"
		"  - {period: 2026-Q4, need: n00, expert: e1}\n"
		"  - {period: 2026-Q4, need: n00, expert: e2}\n";
	static const unsigned char pats[][8] = {
		{0x00, 0x00, 0x00, 0x80},
		{0xff, 0xff, 0xff, 0x7f},
		{0, 0, 0, 0, 0, 0, 0xf8, 0x7f},
		{0, 0, 0, 0, 0, 0, 0xf0, 0x7f},
		{0, 0, 0, 0, 0, 0, 0xf0, 0xff},
		{0, 0, 0, 0, 0, 0, 0, 0x80},
	};
	static const int len[] = {4, 4, 8, 8, 8, 8};
	int used = 0;

	load_text(f, text);
	assert_true(image_usable(f->db, "n00"));
	long long size = raw_int(f->db, "SELECT length(data) FROM engine_image "
	                                "WHERE part = 1");
	for (size_t p = 0; p < sizeof pats / sizeof pats[0]; p++)
		for (long long at = 0; at + len[p] <= size; at++) {
			unsigned char keep[8];
			lm_db *db;

			/* Committed before the ranking reads it. */
			blob_write(f->db, 1, (int)at, pats[p], len[p], keep);
			db = open_db(f->db, LM_DB_READONLY);
			for (int i = 0; i < 2; i++) {
				lm_match_options o = LM_MATCH_OPTIONS_INIT;
				lm_ranking *r = NULL;
				char need[16];

				snprintf(need, sizeof need, "n%02d", i);
				o.k = 0;
				o.period = "2026-Q4";
				o.available_only = i;
				if (lmi_db_rank_need_how(db, need, &o, LM_RANK_IMAGE,
				                        &r) == LM_OK) {
					used++;
					for (size_t k = 0; k < lm_ranking_count(r); k++) {
						const lm_match *m = lm_ranking_get(r, k);

						assert_true(m->score >= 0 && m->score <= 100);
						assert_true(m->distance_km >= 0);
						assert_true(m->capacity_left >= 0);
					}
				}
				lm_ranking_free(r);
			}
			lm_db_close(db);
			blob_write(f->db, 1, (int)at, keep, len[p], NULL);
		}
	assert_true(used > 0);
}

/* ---- an old database ---------------------------------------------------- */

/* What version 1 was: no image, no triggers. */
/* The statement of lmi_schema_v1 that begins with `head`. */
static const char *v1_stmt(const char *head)
{
	for (size_t i = 0; lmi_schema_v1[i]; i++)
		if (!strncmp(lmi_schema_v1[i], head, strlen(head)))
			return lmi_schema_v1[i];
	fail_msg("no v1 statement '%s'", head);
	return NULL;
}

/* The schema of a database (every object's SQL), as text. */
static char *schema_text(const char *path)
{
	return raw_text(path, "SELECT type, name, sql FROM sqlite_master "
	                      "ORDER BY type, name");
}

/* A trigger {name, table, event} that drops the engine image, as
 * versions 2 and 3 made them. */
static void create_image_trigger(const char *path, const char *const *t)
{
	char sql[256];
	snprintf(sql, sizeof sql, "CREATE TRIGGER %s AFTER %s ON %s "
	         "BEGIN DELETE FROM engine_image; END", t[0], t[2], t[1]);
	raw_exec(path, sql);
}

/* An empty database of schema version 3 made with the statements of
 * versions 1 to 3, as libmatch 3 made it. */
static void make_v3_empty(const char *path)
{
	for (size_t i = 0; lmi_schema_v1[i]; i++)
		raw_exec(path, lmi_schema_v1[i]);
	for (size_t i = 0; lmi_schema_v2[i]; i++)
		raw_exec(path, lmi_schema_v2[i]);
	for (size_t i = 0; lmi_schema_v3[i]; i++)
		raw_exec(path, lmi_schema_v3[i]);
	for (size_t i = 0; i < sizeof lmi_image_triggers /
	                       sizeof lmi_image_triggers[0]; i++)
		create_image_trigger(path, lmi_image_triggers[i]);
}

/* Turn a current database into one of schema version 3, 2 or 1, made
 * with the statements of those versions: version 4's columns and tables
 * gone (version 3), and the expert lists back in tables of their own,
 * the image and its triggers as version 2 had them, or none (version
 * 1). */
static void make_old(const char *path, int version)
{
	static const char *const v2_triggers[][3] = {
		{"engine_image_skills_ins", "expert_skills", "INSERT"},
		{"engine_image_skills_upd", "expert_skills", "UPDATE"},
		{"engine_image_skills_del", "expert_skills", "DELETE"},
		{"engine_image_languages_ins", "expert_languages", "INSERT"},
		{"engine_image_languages_upd", "expert_languages", "UPDATE"},
		{"engine_image_languages_del", "expert_languages", "DELETE"},
	};
	size_t ncur = sizeof lmi_image_triggers / sizeof lmi_image_triggers[0];
	char sql[256];

	/* period_until's CHECK names period_from: it goes first. */
	raw_exec(path, "DROP TABLE meta; DROP TABLE skill_keywords;"
	               "ALTER TABLE needs DROP COLUMN team;"
	               "ALTER TABLE needs DROP COLUMN status;"
	               "ALTER TABLE needs DROP COLUMN period_until;"
	               "ALTER TABLE needs DROP COLUMN period_from;"
	               "ALTER TABLE needs DROP COLUMN description;"
	               "ALTER TABLE needs DROP COLUMN retired;"
	               "ALTER TABLE experts DROP COLUMN retired;"
	               "ALTER TABLE experts DROP COLUMN availability;"
	               "ALTER TABLE companies DROP COLUMN retired;"
	               "PRAGMA user_version = 3");
	if (version == 3)
		return;
	raw_exec(path, "DROP VIEW expert_skills; DROP VIEW expert_languages");
	raw_exec(path, v1_stmt("CREATE TABLE expert_skills "));
	raw_exec(path, v1_stmt("CREATE TABLE expert_languages "));
	raw_exec(path, v1_stmt("CREATE INDEX expert_skills_skill "));
	raw_exec(path, v1_stmt("CREATE INDEX experts_garden "));
	raw_exec(path, v1_stmt("CREATE INDEX experts_home "));
	raw_exec(path, "INSERT INTO expert_skills (expert, skill, level) "
	               "SELECT e.id, j.key, j.value "
	               "FROM experts AS e, json_each(e.skills) AS j");
	raw_exec(path, "INSERT INTO expert_languages (expert, pos, lang) "
	               "SELECT e.id, j.key, j.value "
	               "FROM experts AS e, json_each(e.languages) AS j");
	for (size_t i = 0; i < ncur; i++) {
		snprintf(sql, sizeof sql, "DROP TRIGGER %s",
		         lmi_image_triggers[i][0]);
		raw_exec(path, sql);
	}
	raw_exec(path, "ALTER TABLE experts DROP COLUMN skills");
	raw_exec(path, "ALTER TABLE experts DROP COLUMN languages");
	if (version == 1) {
		raw_exec(path, "DROP TABLE engine_image; PRAGMA user_version = 1");
		assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master "
		                               "WHERE type = 'trigger'"), 0);
		return;
	}
	for (size_t i = 0; i < ncur + 6; i++)
		create_image_trigger(path, i < ncur ? lmi_image_triggers[i]
		                                    : v2_triggers[i - ncur]);
	raw_exec(path, "PRAGMA user_version = 2");
}

/* The whole database as YAML, as 'match export' writes it. */
static char *export_db(const char *path)
{
	lm_db *db = open_db(path, LM_DB_READONLY);
	lm_catalog *cat = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	assert_int_equal(lm_db_read(db, &cat), LM_OK);
	assert_int_equal(lm_catalog_export(cat, LM_FORMAT_YAML, fp), LM_OK);
	fclose(fp);
	lm_catalog_free(cat);
	lm_db_close(db);
	return text;
}

/* The database at path has the current schema: the same as a database
 * created now, with its data_version. */
static void current_schema(const char *path)
{
	char fresh[128];
	snprintf(fresh, sizeof fresh, "%s.fresh", path);
	lm_db_close(open_db(fresh, LM_DB_CREATE));
	char *want = schema_text(fresh), *got = schema_text(path);
	assert_string_equal(got, want);
	free(want);
	free(got);
	unlink(fresh);
	assert_true(raw_int(path, "SELECT value FROM meta "
	                          "WHERE key = 'data_version'") >= 1);
	assert_int_equal(raw_int(path, "PRAGMA user_version"),
	                 LM_DB_SCHEMA_VERSION);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master "
	                               "WHERE type = 'trigger'"),
	                 sizeof lmi_image_triggers / sizeof lmi_image_triggers[0]);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master "
	                               "WHERE type = 'view'"), 2);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_master "
	                               "WHERE name IN ('experts_garden', "
	                               "'experts_home')"), 0);
}

/* Versions 1, 2 and 3 are read as they are, and upgraded by opening to
 * create or by a load, with the same contents and an image at once. */
static void test_upgrade(void **state)
{
	fx *f = *state;
	/* Languages given out of order: the upgrade keeps their order. */
	char *text = gen_text(14, 30, 3, false);
	const char *paths[] = {f->yaml};

	/* What make_old makes of a current database is version 3 as its
	 * own statements made it. */
	load_text(f, text);
	make_old(f->db, 3);
	char *old_schema = schema_text(f->db);
	remove_files(f);
	make_v3_empty(f->db);
	char *v3_schema = schema_text(f->db);
	assert_string_equal(old_schema, v3_schema);
	free(old_schema);
	free(v3_schema);
	remove_files(f);

	for (int version = 1; version <= 3; version++) {
		load_text(f, text);
		char *before = export_db(f->db);
		assert_non_null(strstr(before, "languages:"));
		make_old(f->db, version);
		assert_int_equal(raw_int(f->db, "PRAGMA user_version"), version);
		/* Read as it is, from the rows... */
		char *old = export_db(f->db);
		assert_string_equal(old, before);
		if (version == 1)
			assert_false(image_usable(f->db, "n00"));
		check_auto_is_rows(f->db, 3);
		/* ...upgraded by opening to create, with its image at once. */
		lm_db_close(open_db(f->db, LM_DB_CREATE));
		current_schema(f->db);
		char *after = export_db(f->db);
		assert_string_equal(after, before);
		assert_true(image_usable(f->db, "n00"));
		check_auto_is_rows(f->db, 3);
		free(old);
		free(after);

		/* A load on a handle that did not ask to create upgrades
		 * too. */
		make_old(f->db, version);
		lm_db *db = open_db(f->db, 0);
		write_text(f->yaml, "settings: {speed_kmh: 70}\n");
		assert_int_equal(lm_db_load(db, paths, 1, NULL, NULL), LM_OK);
		lm_db_close(db);
		current_schema(f->db);
		assert_true(image_usable(f->db, "n00"));
		check_auto_is_rows(f->db, 3);
		after = export_db(f->db);
		assert_non_null(strstr(after, "speed_kmh: 70"));
		free(after);
		free(before);
		remove_files(f);
	}
	free(text);
}

/* ---- errors read as lm_rank_need's -------------------------------------- */

/* A build asked to stop gives up without parts (a failed load does not
 * wait for it); not asked, it builds. */
static void test_build_stops(void **state)
{
	(void)state;
	char *text = gen_text(16, 5000, 5, false);
	lm_catalog *cat = NULL;
	lmi_image_parts parts;
	atomic_bool stop;
	/* The profiles alone: the engagements may overbook (load_text). */
	char *rest = malloc(strlen(text) + 1);
	assert_non_null(rest);
	free(split_engagements(text, rest));
	strcpy(text, rest);
	free(rest);

	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	assert_int_equal(lm_catalog_load_buffer(cat, "g.yaml", text,
	                                        strlen(text)), LM_OK);
	atomic_init(&stop, true);
	assert_int_equal(lmi_image_build_until(cat, &stop, &parts), LM_ECANCELED);
	assert_int_equal(parts.n, 0);
	assert_null(parts.data);
	atomic_store(&stop, false);
	assert_int_equal(lmi_image_build_until(cat, &stop, &parts), LM_OK);
	assert_true(parts.n > 2);
	lmi_image_parts_free(&parts);
	lm_catalog_free(cat);
	free(text);
}

static void test_errors(void **state)
{
	fx *f = *state;
	char *text = gen_text(15, 20, 3, false);
	lm_db *db;
	lm_catalog *cat = NULL;
	lm_ranking *r = NULL, *q = NULL;
	lm_match_options bad = LM_MATCH_OPTIONS_INIT;

	load_text(f, text);
	free(text);
	db = open_db(f->db, LM_DB_READONLY);
	assert_int_equal(lm_db_read(db, &cat), LM_OK);

	/* Unknown expert, or one named by its name: as lm_explain. */
	{
		lm_explanation *x = NULL, *y = NULL;

		assert_int_equal(lm_db_explain(db, "n01", "e0", NULL, &x),
		                 LM_ENOTFOUND);
		assert_null(x);
		assert_int_equal(lm_explain(cat, "n01", "e0", NULL, &y),
		                 LM_ENOTFOUND);
		assert_string_equal(lm_db_errmsg(db), lm_catalog_errmsg(cat));
		assert_int_equal(lm_db_explain(db, "n01", "Expert 3", NULL, &x),
		                 LM_OK);
		assert_int_equal(lm_explain(cat, "n01", "Expert 3", NULL, &y),
		                 LM_OK);
		same_explanation(x, y, "by name");
		lm_explanation_free(x);
		lm_explanation_free(y);
		assert_int_equal(lm_db_explain(db, "n01", NULL, NULL, &x),
		                 LM_EINVAL);
		assert_int_equal(lm_db_explain(db, "n01", "e003", NULL, NULL),
		                 LM_EINVAL);
	}

	/* Unknown need: the same code and message, with "did you mean". */
	assert_int_equal(lm_db_rank_need(db, "n0", NULL, &r), LM_ENOTFOUND);
	assert_null(r);
	assert_int_equal(lm_rank_need(cat, "n0", NULL, &q), LM_ENOTFOUND);
	assert_string_equal(lm_db_errmsg(db), lm_catalog_errmsg(cat));
	assert_non_null(strstr(lm_db_errmsg(db), "did you mean"));

	/* A need named another way than by its id: the rows answer. */
	assert_int_equal(lm_db_rank_need(db, "N01", NULL, &r), LM_OK);
	assert_int_equal(lm_rank_need(cat, "N01", NULL, &q), LM_OK);
	same_ranking(r, q, "N01");
	lm_ranking_free(r);
	lm_ranking_free(q);
	r = q = NULL;

	/* Bad options. */
	bad.max_km = -1;
	assert_int_equal(lm_db_rank_need(db, "n01", &bad, &r), LM_EINVAL);
	assert_int_equal(lm_rank_need(cat, "n01", &bad, &q), LM_EINVAL);
	assert_string_equal(lm_db_errmsg(db), lm_catalog_errmsg(cat));
	bad = (lm_match_options)LM_MATCH_OPTIONS_INIT;
	bad.version = 99;
	assert_int_equal(lm_db_rank_need(db, "n01", &bad, &r), LM_EINVAL);
	assert_null(r);
	assert_int_equal(lm_rank_need(cat, "n01", &bad, &q), LM_EINVAL);
	assert_string_equal(lm_db_errmsg(db), lm_catalog_errmsg(cat));
	bad.version = 0;
	assert_int_equal(lm_db_explain(db, "n01", "e003", &bad, &(lm_explanation *){NULL}),
	                 LM_EINVAL);
	assert_non_null(strstr(lm_db_errmsg(db), "version 0 is not supported"));
	{
		lm_skill_req req = {"s00", 1, 1.0, 0};
		lm_query qq = lmt_query_one("p00", &req);
		qq.version = 0;
		assert_int_equal(lm_db_rank_query(db, &qq, NULL, &r), LM_EINVAL);
		assert_non_null(strstr(lm_db_errmsg(db),
		                       "query version 0 is not supported"));
	}

	/* Arguments. */
	assert_int_equal(lm_db_rank_need(db, NULL, NULL, &r), LM_EINVAL);
	assert_int_equal(lm_db_rank_need(db, "n01", NULL, NULL), LM_EINVAL);
	assert_int_equal(lm_db_rank_need(NULL, "n01", NULL, &r), LM_EINVAL);
	assert_null(r);
	lm_catalog_free(cat);
	lm_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		lmt_fixture_test(test_same_as_rows),
		lmt_fixture_test(test_explain_same_as_rows),
		lmt_fixture_test(test_query_same_as_rows),
		lmt_fixture_test(test_every_expert_a_candidate),
		lmt_fixture_test(test_stale_after_sql),
		lmt_fixture_test(test_engagements_after_load),
		lmt_fixture_test(test_damaged),
		lmt_fixture_test(test_huge_counts),
		lmt_fixture_test(test_hostile_values),
		lmt_fixture_test(test_upgrade),
		lmt_fixture_test(test_errors),
		cmocka_unit_test(test_build_stops),
		cmocka_unit_test(test_time_in_image),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
