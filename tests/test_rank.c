/* SPDX-License-Identifier: MIT */
/*
 * test_rank.c -- cmocka tests of ranking (rank.c) against brute force on
 * generated catalogues: the same experts in the same order with the same
 * bits as explaining every pair, top-k cuts, ties by id, the properties
 * of docs/scoring.md (closer strictly higher, higher level at least as
 * high, no infeasible pair, same input same output), ad-hoc queries,
 * available_only, cancellation.
 */
#include "lm_test.h"
#include "lm_gen.h"
#include "engine/score.h" /* lmi_candidates against lmi_score_fast on every expert */

#include <math.h>
#include <stdlib.h>

static lm_catalog *gen_load(uint64_t seed, int n_experts, int n_needs,
                            bool twins)
{
	char *yaml = gen_catalog(seed, n_experts, n_needs, twins);
	lm_catalog *cat = lmt_load(yaml);

	free(yaml);
	return cat;
}

static lm_ranking *rank(lm_catalog *cat, const char *need, size_t k)
{
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	lm_ranking *r = NULL;
	int rc;

	o.k = k;
	rc = lm_rank_need(cat, need, &o, &r);
	if (rc != LM_OK)
		fail_msg("lm_rank_need(%s) = %d: %s", need, rc,
		         lm_catalog_errmsg(cat));
	return r;
}

/* Every field the same, to the bit. */
static void assert_same_match(const lm_match *a, const lm_match *b)
{
	assert_int_equal(a->expert, b->expert);
	assert_ptr_equal(a->expert_id, b->expert_id);
	assert_ptr_equal(a->expert_name, b->expert_name);
	assert_ptr_equal(a->garden, b->garden);
	assert_true(a->score == b->score);
	assert_true(a->distance_km == b->distance_km);
	assert_true(a->travel_minutes == b->travel_minutes);
	assert_true(a->travel_cost_nok == b->travel_cost_nok);
	assert_int_equal(a->capacity_left, b->capacity_left);
	assert_memory_equal(&a->components, &b->components,
	                    sizeof a->components);
}

typedef struct scored {
	double score;
	size_t e;
	lm_explanation *x;
} scored;

static int cmp_scored(const void *pa, const void *pb)
{
	const scored *a = pa, *b = pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->e < b->e ? -1 : a->e > b->e;
}

/* ---- rank against brute force ------------------------------------------ */

static void check_need_brute(lm_catalog *cat, const char *need)
{
	size_t n = lm_catalog_count(cat, LM_EXPERT), nf = 0, i;
	scored *all = calloc(n ? n : 1, sizeof *all);
	static const size_t ks[] = {0, 1, 3, 1000};
	size_t t;

	assert_non_null(all);
	for (i = 0; i < n; i++) {
		const lm_expert_info *info;
		lm_explanation *x = NULL;

		assert_non_null(info = lm_catalog_expert(cat, i));
		assert_int_equal(lm_explain(cat, need, info->id, NULL, &x), LM_OK);
		if (lm_explanation_feasible(x)) {
			assert_int_equal(lm_explanation_reason_count(x), 0);
			all[nf].score = lm_explanation_match(x)->score;
			all[nf].e = i;
			all[nf].x = x;
			nf++;
		} else {
			assert_true(lm_explanation_reason_count(x) > 0);
			assert_true(lm_explanation_match(x)->score == 0.0);
			lm_explanation_free(x);
		}
	}
	qsort(all, nf, sizeof *all, cmp_scored);

	for (t = 0; t < sizeof ks / sizeof ks[0]; t++) {
		lm_ranking *r = rank(cat, need, ks[t]);
		size_t want = ks[t] == 0 || ks[t] > nf ? nf : ks[t];

		assert_int_equal(lm_ranking_feasible(r), nf);
		assert_int_equal(lm_ranking_count(r), want);
		for (i = 0; i < want; i++)
			assert_same_match(lm_ranking_get(r, i),
			                  lm_explanation_match(all[i].x));
		assert_null(lm_ranking_get(r, want));
		lm_ranking_free(r);
	}
	for (i = 0; i < nf; i++)
		lm_explanation_free(all[i].x);
	free(all);
}

static void test_rank_vs_brute_force(void **state)
{
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 6; seed++) {
		lm_catalog *cat = gen_load(seed, 60, 12, false);
		size_t i, total = 0;

		for (i = 0; i < lm_catalog_count(cat, LM_NEED); i++) {
			const lm_need_info *need;
			lm_ranking *r;

			assert_non_null(need = lm_catalog_need(cat, i));
			check_need_brute(cat, need->id);
			r = rank(cat, need->id, 0);
			total += lm_ranking_feasible(r);
			lm_ranking_free(r);
		}
		/* The generator must leave work for the comparison. */
		assert_true(total > 0);
		lm_catalog_free(cat);
	}
}

/* ---- properties ---------------------------------------------------------- */

static size_t expert_index(lm_catalog *cat, const char *id)
{
	size_t i;

	assert_int_equal(lm_catalog_find(cat, LM_EXPERT, id, &i), LM_OK);
	return i;
}

static void test_properties(void **state)
{
	uint64_t seed;
	size_t checked_far = 0, checked_up = 0;

	(void)state;
	for (seed = 100; seed < 104; seed++) {
		lm_catalog *cat = gen_load(seed, 40, 15, true);
		size_t ne = lm_catalog_count(cat, LM_EXPERT), i, j;
		double *score = malloc(ne * sizeof *score);

		assert_non_null(score);
		for (i = 0; i < lm_catalog_count(cat, LM_NEED); i++) {
			const lm_need_info *need;
			const lm_company_info *co;
			size_t c;
			lm_ranking *r;

			assert_non_null(need = lm_catalog_need(cat, i));
			assert_int_equal(lm_catalog_find(cat, LM_COMPANY, need->company,
			                                 &c), LM_OK);
			assert_non_null(co = lm_catalog_company(cat, c));
			r = rank(cat, need->id, 0);
			for (j = 0; j < ne; j++)
				score[j] = -1.0; /* infeasible */
			for (j = 0; j < lm_ranking_count(r); j++) {
				const lm_match *m = lm_ranking_get(r, j);

				/* Never an infeasible pair. */
				lm_explanation *x = NULL;
				assert_int_equal(lm_explain(cat, need->id, m->expert_id, NULL,
				                            &x), LM_OK);
				assert_true(lm_explanation_feasible(x));
				lm_explanation_free(x);
				score[m->expert] = m->score;
				if (j > 0)
					assert_true(lm_ranking_get(r, j - 1)->score >= m->score);
			}
			for (j = 0; j < ne; j++) {
				const lm_expert_info *a, *b;
				char id[64];
				size_t k;

				assert_non_null(a = lm_catalog_expert(cat, j));
				if (strchr(a->id, '-'))
					continue;
				/* Higher level: at least as high, and feasible if a is. */
				snprintf(id, sizeof id, "%s-up", a->id);
				k = expert_index(cat, id);
				if (score[j] >= 0) {
					assert_true(score[k] >= score[j]);
					checked_up++;
				}
				/* Closer: strictly higher when both are feasible onsite. */
				snprintf(id, sizeof id, "%s-far", a->id);
				k = expert_index(cat, id);
				assert_non_null(b = lm_catalog_expert(cat, k));
				if (need->mode == LM_ONSITE && score[j] >= 0 && score[k] >= 0) {
					const lm_match *ma = NULL, *mb = NULL;
					size_t q;

					for (q = 0; q < lm_ranking_count(r); q++) {
						const lm_match *m = lm_ranking_get(r, q);

						if (m->expert == j)
							ma = m;
						if (m->expert == k)
							mb = m;
					}
					assert_non_null(ma);
					assert_non_null(mb);
					if (ma->distance_km < mb->distance_km)
						assert_true(ma->score > mb->score);
					else if (ma->distance_km > mb->distance_km)
						assert_true(ma->score < mb->score);
					checked_far++;
				}
			}
			lm_ranking_free(r);
		}
		free(score);
		lm_catalog_free(cat);
	}
	assert_true(checked_far > 10);
	assert_true(checked_up > 10);
}

static void test_deterministic(void **state)
{
	char *yaml = gen_catalog(7, 80, 10, false);
	lm_catalog *a = lmt_load(yaml), *b = lmt_load(yaml);
	size_t i, j;

	(void)state;
	for (i = 0; i < lm_catalog_count(a, LM_NEED); i++) {
		const lm_need_info *need;
		lm_ranking *r1, *r2, *r3;

		assert_non_null(need = lm_catalog_need(a, i));
		r1 = rank(a, need->id, 5);
		r2 = rank(a, need->id, 5);
		r3 = rank(b, need->id, 5);
		assert_int_equal(lm_ranking_count(r1), lm_ranking_count(r2));
		assert_int_equal(lm_ranking_count(r1), lm_ranking_count(r3));
		assert_int_equal(lm_ranking_feasible(r1), lm_ranking_feasible(r3));
		for (j = 0; j < lm_ranking_count(r1); j++) {
			const lm_match *m1 = lm_ranking_get(r1, j);
			const lm_match *m3 = lm_ranking_get(r3, j);

			assert_same_match(m1, lm_ranking_get(r2, j));
			assert_string_equal(m1->expert_id, m3->expert_id);
			assert_true(m1->score == m3->score);
			assert_true(m1->distance_km == m3->distance_km);
		}
		lm_ranking_free(r1);
		lm_ranking_free(r2);
		lm_ranking_free(r3);
	}
	lm_catalog_free(a);
	lm_catalog_free(b);
	free(yaml);
}

/* ---- ties, capacity, queries ------------------------------------------------ */

static const char small[] =
    "places:\n"
    "  - {id: hamar, name: Hamar, lat: 60.795, lon: 11.068}\n"
    "  - {id: tynset, name: Tynset, lat: 62.274, lon: 10.777}\n"
    "  - {id: skarnes, name: Skarnes, lat: 60.254, lon: 11.685}\n"
    "gardens: [{id: g, name: Hagen, place: hamar}]\n"
    "skills:\n"
    "  - {id: marketing, label: Markedsføring}\n"
    "  - {id: seo, label: Søkemotoroptimalisering, parent: marketing,\n"
    "     aliases: [SEO]}\n"
    "  - {id: export, label: Eksport}\n"
    "companies: [{id: c1, name: Firma AS, place: skarnes}]\n"
    "needs: [{id: n1, company: c1, skills: {export: 2}}]\n"
    "experts:\n"
    "  - {id: e-c, name: C, garden: g, home: hamar, skills: {export: 4}}\n"
    "  - {id: e-a, name: A, garden: g, home: hamar, skills: {export: 4}}\n"
    "  - {id: e-b, name: B, garden: g, home: hamar, skills: {export: 4},\n"
    "     capacity: 0}\n"
    "  - {id: e-far, name: F, garden: g, home: tynset, skills: {export: 5}}\n"
    "  - {id: e-seo, name: S, garden: g, home: skarnes, skills: {seo: 4}}\n";

static void test_ties_by_id(void **state)
{
	lm_catalog *cat = lmt_load(small);
	lm_ranking *r = rank(cat, "n1", 0);

	(void)state;
	assert_int_equal(lm_ranking_count(r), 4);
	assert_string_equal(lm_ranking_get(r, 0)->expert_id, "e-a");
	assert_string_equal(lm_ranking_get(r, 1)->expert_id, "e-b");
	assert_string_equal(lm_ranking_get(r, 2)->expert_id, "e-c");
	assert_string_equal(lm_ranking_get(r, 3)->expert_id, "e-far");
	assert_true(lm_ranking_get(r, 0)->score == lm_ranking_get(r, 2)->score);
	lm_ranking_free(r);
	/* The cut keeps the smallest ids among equals. */
	r = rank(cat, "n1", 2);
	assert_int_equal(lm_ranking_count(r), 2);
	assert_int_equal(lm_ranking_feasible(r), 4);
	assert_string_equal(lm_ranking_get(r, 0)->expert_id, "e-a");
	assert_string_equal(lm_ranking_get(r, 1)->expert_id, "e-b");
	lm_ranking_free(r);
	lm_catalog_free(cat);
}

static void test_available_only(void **state)
{
	lm_catalog *cat = lmt_load(small);
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	lm_ranking *r = NULL;
	size_t i;

	(void)state;
	o.k = 0;
	o.available_only = 1;
	o.period = "2026-Q4";
	assert_int_equal(lm_rank_need(cat, "n1", &o, &r), LM_OK);
	assert_int_equal(lm_ranking_count(r), 3);
	assert_int_equal(lm_ranking_feasible(r), 4); /* e-b is feasible */
	for (i = 0; i < lm_ranking_count(r); i++) {
		assert_string_not_equal(lm_ranking_get(r, i)->expert_id, "e-b");
		assert_int_equal(lm_ranking_get(r, i)->capacity_left, 2);
	}
	lm_ranking_free(r);
	lm_catalog_free(cat);
}

static void test_query(void **state)
{
	lm_catalog *cat = lmt_load(small);
	lm_skill_req sk[2] = {{"SEO", 3, 0, 0}, {"eksport", 1, 2.0, 1}};
	lm_query q = LM_QUERY_INIT;
	lm_ranking *r = NULL;
	const lm_match *m;

	(void)state;
	/* Alias and label, case-insensitively; place by name. */
	q.at = "SKARNES";
	q.skills = sk;
	q.skill_count = 2;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_OK);
	assert_int_equal(lm_ranking_count(r), 1);
	m = lm_ranking_get(r, 0);
	assert_string_equal(m->expert_id, "e-seo");
	/* seo exact at 4 (0.95, weight 1), export optional absent (weight 2):
	 * S = 0.95 / 3, 0 km. */
	assert_true(fabs(m->components.skill_fit - 0.95 / 3) < 1e-12);
	assert_true(fabs(m->score - 100 * (0.7 * 0.95 / 3 + 0.3)) < 1e-9);
	lm_ranking_free(r);

	/* Coordinates instead of a place: Skarnes's own. */
	q.at = NULL;
	q.lat = 60.254;
	q.lon = 11.685;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_OK);
	assert_true(fabs(lm_ranking_get(r, 0)->distance_km) < 1e-9);
	lm_ranking_free(r);

	/* Marketing asked: seo is narrower, 0.8 * 0.95. */
	sk[0].skill = "markedsføring";
	sk[0].level = 1;
	q.skill_count = 1;
	q.at = "skarnes";
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_OK);
	assert_int_equal(lm_ranking_count(r), 1);
	assert_true(fabs(lm_ranking_get(r, 0)->components.skill_fit - 0.76) <
	            1e-12);
	lm_ranking_free(r);
	lm_catalog_free(cat);
}

/* S = D = 1 with awkward weights: 100 * tot / tot may round above 100;
 * the score is clamped to the documented range. */
static void test_score_never_above_100(void **state)
{
	(void)state;
	lm_catalog *cat = lmt_load(
	    "places:\n  - {id: a, name: A, lat: 60, lon: 11}\n"
	    "gardens:\n  - {id: g, name: G, place: a}\n"
	    "skills:\n  - {id: s1, label: S1}\n"
	    "companies:\n  - {id: c, name: C, place: a}\n"
	    "experts:\n  - {id: e1, name: E1, garden: g, home: a, skills: {s1: 5}}\n"
	    "needs:\n  - {id: n, company: c, mode: hybrid, skills: {s1: 1}}\n");
	int above = 0;
	for (int i = 1; i <= 100; i++) {
		for (int j = 1; j <= 100; j++) {
			lm_match_options o = LM_MATCH_OPTIONS_INIT;
			lm_ranking *r = NULL;
			o.weight_skill = i / 100.0;
			o.weight_distance = j / 100.0;
			assert_int_equal(lm_rank_need(cat, "n", &o, &r), LM_OK);
			above += lm_ranking_get(r, 0)->score > 100.0;
			assert_true(lm_ranking_get(r, 0)->score >= 100.0 - 1e-9);
			lm_ranking_free(r);
		}
	}
	assert_int_equal(above, 0);
	lm_catalog_free(cat);
}

static void test_query_errors(void **state)
{
	lm_catalog *cat = lmt_load(small);
	lm_skill_req sk[1] = {{"exprot", 3, 1, 0}};
	lm_query q = LM_QUERY_INIT;
	lm_ranking *r = (lm_ranking *)1;

	(void)state;
	q.at = "hamar";
	q.skills = sk;
	q.skill_count = 1;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_ENOTFOUND);
	assert_null(r);
	assert_string_equal(lm_catalog_errmsg(cat),
	                    "unknown skill 'exprot'; did you mean 'export'?");
	sk[0].skill = "export";
	q.at = "hamr";
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_ENOTFOUND);
	assert_string_equal(lm_catalog_errmsg(cat),
	                    "unknown place 'hamr'; did you mean 'hamar'?");
	q.at = "hamar";
	q.company = "c9";
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_ENOTFOUND);
	q.company = NULL;
	sk[0].level = 6;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_EINVAL);
	sk[0].level = 3;
	sk[0].weight = -1;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_EINVAL);
	sk[0].weight = 1e308;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_EINVAL);
	sk[0].weight = 1;
	{
		/* The same skill twice, by id and by label, would count twice. */
		lm_skill_req twice[2] = {{"export", 3, 1, 0}, {"EXPORT", 2, 1, 0}};
		q.skills = twice;
		q.skill_count = 2;
		assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_EINVAL);
		assert_non_null(strstr(lm_catalog_errmsg(cat), "named twice"));
		q.skills = sk;
		q.skill_count = 1;
		/* Weights that are not numbers or beyond 0..1000 are refused
		 * rather than turned into NaN scores. */
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		o.weight_skill = INFINITY;
		assert_int_equal(lm_rank_query(cat, &q, &o, &r), LM_EINVAL);
		o.weight_skill = NAN;
		assert_int_equal(lm_rank_query(cat, &q, &o, &r), LM_EINVAL);
	}
	q.skill_count = 0;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_EINVAL);
	q.skill_count = 1;
	q.at = NULL;
	q.lat = 91;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_EINVAL);
	q.lat = 60;
	q.version = 2;
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_EINVAL);
	q.version = LM_QUERY_VERSION;
	assert_int_equal(lm_rank_query(cat, NULL, NULL, &r), LM_EINVAL);
	assert_int_equal(lm_rank_need(cat, "n2", NULL, &r), LM_ENOTFOUND);
	assert_string_equal(lm_catalog_errmsg(cat),
	                    "unknown need 'n2'; did you mean 'n1'?");
	assert_null(r);
	/* A good query after failures works. */
	assert_int_equal(lm_rank_query(cat, &q, NULL, &r), LM_OK);
	lm_ranking_free(r);
	lm_ranking_free(NULL);
	assert_int_equal(lm_ranking_count(NULL), 0);
	lm_catalog_free(cat);
}

static int stop_at_once(const char *what, size_t done, size_t total,
                        void *ctx)
{
	(void)what;
	(void)done;
	(void)total;
	++*(int *)ctx;
	return 1; /* stop */
}

static void test_cancel(void **state)
{
	lm_catalog *cat = lmt_load(small);
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	lm_ranking *r = NULL;
	int calls = 0;

	(void)state;
	o.progress = stop_at_once;
	o.progress_ctx = &calls;
	assert_int_equal(lm_rank_need(cat, "n1", &o, &r), LM_ECANCELED);
	assert_null(r);
	assert_int_equal(calls, 1);
	assert_non_null(strstr(lm_catalog_errmsg(cat), "canceled by the "
	                                               "progress callback"));
	lm_catalog_free(cat);
}

/* The candidates of a view are strictly increasing and hold every expert
 * that lmi_score_fast finds feasible (or are NULL: everyone). */
static void check_candidates(lmi_scorer *sc, const lmi_need_view *nv,
                             size_t n_experts, size_t *listed)
{
	const uint32_t *list = NULL;
	size_t n = 0, at = 0;

	assert_int_equal(lmi_candidates(sc, nv, &list, &n), LM_OK);
	if (!list)
		return;
	(*listed)++;
	for (size_t i = 1; i < n; i++)
		assert_true(list[i - 1] < list[i]);
	for (uint32_t e = 0; e < n_experts; e++) {
		double score;

		while (at < n && list[at] < e)
			at++;
		if (lmi_score_fast(sc, nv, e, &score, NULL) &&
		    !(at < n && list[at] == e))
			fail_msg("feasible expert %u is no candidate", (unsigned)e);
	}
}

static void test_candidates_vs_brute_force(void **state)
{
	static const double max_kms[] = {0.0, 15.0, 60.0, 140.0};
	static const lm_mode modes[] = {LM_ONSITE, LM_HYBRID, LM_REMOTE};
	size_t listed = 0;

	(void)state;
	for (uint64_t seed = 11; seed <= 16; seed++) {
		lm_catalog *cat = gen_load(seed, 80, 12, false);
		size_t ne = lm_catalog_count(cat, LM_EXPERT);

		for (size_t m = 0; m < sizeof max_kms / sizeof max_kms[0]; m++) {
			lm_match_options o = LM_MATCH_OPTIONS_INIT;
			lmi_scorer *sc = NULL;

			o.max_km = max_kms[m];
			assert_int_equal(lmi_scorer_new(cat, &o, &sc), LM_OK);
			for (uint32_t i = 0; i < lm_catalog_count(cat, LM_NEED); i++) {
				lmi_need_view nv;

				assert_int_equal(lmi_need_view_stored(sc, i, &nv), LM_OK);
				check_candidates(sc, &nv, ne, &listed);
				lmi_need_view_free(&nv);
			}
			/* Ad-hoc needs at coordinates (no distances table), in
			 * every mode, with a required and an optional skill. */
			for (int q = 0; q < 12; q++) {
				lm_skill_req req[2] = {{"s01", 1 + q % 4, 1.0, 0},
				                       {"s03", 2, 1.0, 1}};
				lm_query qu = LM_QUERY_INIT;
				lmi_need_view nv;

				req[0].skill = q % 2 ? "s01" : "s05";
				req[0].optional = q % 5 == 4;
				qu.lat = 59.5 + 0.3 * q;
				qu.lon = 11.0;
				qu.mode = modes[q % 3];
				qu.skills = req;
				qu.skill_count = 2;
				qu.max_km = q % 4 == 1 ? 30.0 : 0.0;
				assert_int_equal(lmi_need_view_query(sc, &qu, &nv), LM_OK);
				check_candidates(sc, &nv, ne, &listed);
				lmi_need_view_free(&nv);
			}
			lmi_scorer_free(sc);
		}
		lm_catalog_free(cat);
	}
	/* The index, not the fallback to everyone, must be what was tested. */
	assert_true(listed > 100);
}

static void test_empty_catalog(void **state)
{
	lm_catalog *cat = NULL;
	lm_ranking *r = NULL;

	(void)state;
	assert_int_equal(lm_catalog_new(&cat), LM_OK);
	assert_int_equal(lm_rank_need(cat, "n1", NULL, &r), LM_ENOTFOUND);
	lm_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rank_vs_brute_force),
		cmocka_unit_test(test_candidates_vs_brute_force),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_ties_by_id),
		cmocka_unit_test(test_available_only),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_query_errors),
		cmocka_unit_test(test_score_never_above_100),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_empty_catalog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
