/* SPDX-License-Identifier: MIT */
/*
 * fuzz_image.c -- libFuzzer harness for reading an engine image
 * (libmatch/io/image.c), which comes from the database file and so is input
 * like any other.  The image of a small catalogue is damaged as the fuzz
 * input says (bytes overwritten, parts cut short, lengthened or removed),
 * then opened on a catalogue of one need as lm_db_rank_need does
 * (lmi_image_load_for, lmi_image_add_engagement) and ranked, and one
 * expert is looked up and explained as lm_db_explain does
 * (lmi_image_load_expert), and an ad-hoc query ranked as
 * lm_db_rank_query does.  Loading must fail cleanly or give a
 * well-formed ranking: never a crash, leak, hang or undefined behaviour.
 * With no damage at all the ranking must equal the one of the whole
 * catalogue.  `make fuzz` builds it with clang and runs it over
 * tests/fuzz/corpus/image.
 *
 * Input: a list of edits, each
 *   part (1 byte, modulo the parts + 1: the last value drops a part),
 *   op (1 byte: 0-5 overwrite, 6 cut, 7 lengthen),
 *   offset (2 bytes, modulo the part's length + 1),
 *   n (1 byte), then n bytes to write.
 */
#define _GNU_SOURCE 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Everything but the experts and the needs. */
static const char common[] =
	"places:\n"
	"  - {id: tynset, name: Tynset, lat: 62.274, lon: 10.777}\n"
	"  - {id: magnor, name: Magnor, lat: 59.957, lon: 12.206}\n"
	"  - {id: skarnes, name: Skarnes, lat: 60.254, lon: 11.684}\n"
	"gardens:\n"
	"  - {id: magnor, name: Magnor Næringshage, place: magnor}\n"
	"  - {id: odal, name: Odal Næringshage, place: skarnes}\n"
	"skills:\n"
	"  - {id: export, label: Eksport}\n"
	"  - {id: se, label: Svensk marked, parent: export}\n"
	"  - {id: wood, label: Tre}\n"
	"  - {id: sawmill, label: Sagbruk, parent: wood}\n"
	"distances: [{from: tynset, to: magnor, km: 292}]\n"
	"settings: {max_travel_km: 300, default_capacity: 2}\n";

static const char experts[] =
	"experts:\n"
	"  - {id: e-a, name: Anne, garden: magnor, home: magnor,\n"
	"     skills: {se: 4, wood: 2}, languages: [sv, nb], capacity: 3}\n"
	"  - {id: e-b, name: Bjørn, garden: odal, home: {lat: 60.5, lon: 11.2},\n"
	"     skills: {export: 3, sawmill: 5}, remote: false,\n"
	"     max_travel_km: 120, capacity: 4, conflicts: [c-t]}\n"
	"  - {id: e-c, name: Cecilie, garden: odal, home: tynset,\n"
	"     skills: {sawmill: 3, se: 2}, languages: [en], conflicts: [c-m],\n"
	"     availability: {2027-Q2: 3}}\n"
	"  - {id: e-d, name: Dag, garden: magnor, home: skarnes,\n"
	"     skills: {wood: 5}, capacity: 0, retired: 2026-12-31,\n"
	"     availability: {2026-Q4: 1, 2027-Q1: 0}}\n";

static const char company_t[] =
	"companies: [{id: c-t, name: Tynset Tre, place: tynset, garden: odal}]\n";
static const char company_m[] =
	"companies: [{id: c-m, name: Magnor Glass, place: magnor}]\n";
static const char companies[] =
	"companies: [{id: c-t, name: Tynset Tre, place: tynset, garden: odal},\n"
	"            {id: c-m, name: Magnor Glass, place: magnor}]\n";

/* Each need with its company: the catalogue lm_db_rank_need reads.  Each
 * asks for two experts, so that the two engagements below are valid data
 * (a load refuses more engagements than a need's experts). */
static const struct {
	const char *id, *company, *yaml;
} needs[] = {
	{"n-1", company_t,
	 "needs: [{id: n-1, company: c-t, experts: 2, skills: {export: 2},\n"
	 "         mode: hybrid}]\n"},
	{"n-2", company_m,
	 "needs: [{id: n-2, company: c-m, experts: 2, skills: {wood: {level: 2},\n"
	 "         se: {level: 1, optional: true}}, language: sv}]\n"},
	{"n-3", company_t,
	 "needs: [{id: n-3, company: c-t, experts: 2, mode: remote,\n"
	 "         skills: {se: {level: 1, optional: true}}}]\n"},
};
#define N_NEEDS (sizeof(needs) / sizeof(needs[0]))

/* Experts with an engagement in the period, for every need. */
static const char *const engaged[] = {"e-a", "e-c"};

typedef struct parts {
	uint8_t **v;
	size_t *len;
	bool *gone;
	size_t n;
} parts;

static int64_t part_size(void *ctx, size_t part)
{
	const parts *p = ctx;

	return part < p->n && !p->gone[part] ? (int64_t)p->len[part] : -1;
}

static int read_parts(void *ctx, size_t part, void *dst, size_t n,
                      uint64_t offset)
{
	const parts *p = ctx;

	if (part >= p->n || p->gone[part] || offset > p->len[part] ||
	    n > p->len[part] - offset)
		return LM_ERROR;
	memcpy(dst, p->v[part] + offset, n);
	return LM_OK;
}

/* common.yaml and the texts given (NULL-terminated). */
static lm_catalog *load(const char *const *texts)
{
	lm_catalog *cat = NULL;

	if (lm_catalog_new(&cat) != LM_OK ||
	    lm_catalog_load_buffer(cat, "common.yaml", common,
	                           sizeof(common) - 1) != LM_OK)
		abort();
	for (; *texts; texts++)
		if (lm_catalog_load_buffer(cat, "more.yaml", *texts,
		                           strlen(*texts)) != LM_OK) {
			fprintf(stderr, "fuzz_image: %s\n", lm_catalog_errmsg(cat));
			abort();
		}
	return cat;
}

static bool same(const lm_ranking *a, const lm_ranking *b)
{
	if (lm_ranking_count(a) != lm_ranking_count(b) ||
	    lm_ranking_feasible(a) != lm_ranking_feasible(b))
		return false;
	for (size_t i = 0; i < lm_ranking_count(a); i++) {
		const lm_match *x = lm_ranking_get(a, i), *y = lm_ranking_get(b, i);

		if (strcmp(x->expert_id, y->expert_id) || x->score != y->score ||
		    x->capacity_left != y->capacity_left)
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const everyone[] = {companies, experts, NULL};
	lm_catalog *whole = load(everyone);
	lmi_image_parts built;
	parts p = {0};

	/* The image of every expert (needs do not matter to it). */
	if (lmi_image_build(whole, &built) != LM_OK)
		abort();
	lm_catalog_free(whole);
	p.n = built.n;
	p.v = calloc(p.n, sizeof *p.v);
	p.len = calloc(p.n, sizeof *p.len);
	p.gone = calloc(p.n, sizeof *p.gone);
	if (!p.v || !p.len || !p.gone)
		abort();
	for (size_t i = 0; i < p.n; i++) {
		p.len[i] = built.len[i];
		p.v[i] = malloc(p.len[i] + 1);
		if (!p.v[i])
			abort();
		if (p.len[i])
			memcpy(p.v[i], built.data[i], p.len[i]);
	}
	lmi_image_parts_free(&built);

	/* The edits. */
	size_t at = 0;
	while (at + 5 <= size) {
		size_t part = data[at] % (p.n + 1), op = data[at + 1] % 8;
		size_t off = (size_t)data[at + 2] | (size_t)data[at + 3] << 8;
		size_t n = data[at + 4];

		at += 5;
		if (n > size - at)
			n = size - at;
		if (part == p.n) {
			p.gone[data[at - 5] % p.n] = true;
		} else if (op == 6) {
			p.len[part] = off % (p.len[part] + 1);
		} else if (op == 7) {
			uint8_t *v = realloc(p.v[part], p.len[part] + n + 1);

			if (!v)
				abort();
			p.v[part] = v;
			memcpy(v + p.len[part], data + at, n);
			p.len[part] += n;
		} else if (p.len[part]) {
			off %= p.len[part];
			if (n > p.len[part] - off)
				n = p.len[part] - off;
			memcpy(p.v[part] + off, data + at, n);
		}
		at += n;
	}

	for (size_t k = 0; k < N_NEEDS; k++) {
		const char *const one[] = {needs[k].company, needs[k].yaml, NULL};
		lm_catalog *cat = load(one);
		lm_match_options o = LM_MATCH_OPTIONS_INIT;
		lm_ranking *r = NULL;
		uint32_t *list = NULL;
		size_t n = 0;

		o.k = 0;
		o.period = "2026-Q4";
		o.available_only = (int)(k % 2);
		lmi_image_reader rd = {part_size, read_parts, &p};
		int rc = lmi_image_load_for(cat, NULL, &o, &rd, &list, &n);
		/* Engagements, so that the capacity left is counted. */
		for (size_t j = 0; rc == LM_OK && j < 2; j++)
			if (lmi_image_add_engagement(cat, "2026-Q4", needs[k].id,
			                            engaged[j]) != LM_OK)
				abort();
		if (rc == LM_OK) {
			if (lm_rank_need(cat, needs[k].id, &o, &r) != LM_OK)
				abort();
			for (size_t i = 0; i < lm_ranking_count(r); i++) {
				const lm_match *m = lm_ranking_get(r, i);

				if (!m->expert_id || !m->expert_name ||
				    !(m->score >= 0.0 && m->score <= 100.0) ||
				    m->expert >= n)
					abort();
			}
			if (size == 0) {
				/* Undamaged: what the whole catalogue says. */
				char eng[200];

				snprintf(eng, sizeof eng, "engagements:\n"
				         "  - {period: 2026-Q4, need: %s, expert: %s}\n"
				         "  - {period: 2026-Q4, need: %s, expert: %s}\n",
				         needs[k].id, engaged[0], needs[k].id,
				         engaged[1]);
				const char *const all_[] = {companies, experts,
				                            needs[k].yaml, eng, NULL};
				lm_catalog *all = load(all_);
				lm_ranking *w = NULL;

				if (lm_rank_need(all, needs[k].id, &o, &w) != LM_OK ||
				    !same(r, w))
					abort();
				lm_ranking_free(w);
				lm_catalog_free(all);
			}
		} else if (rc != LM_ERROR || size == 0) {
			abort();
		}
		lm_ranking_free(r);
		free(list);
		lm_catalog_free(cat);

		/* An ad-hoc query, as lm_db_rank_query reads it. */
		{
			static const lm_skill_req reqs[] = {
				{"se", 1, 1, 0}, {"Tre", 2, 2, 0}, {"export", 3, 1, 1}};
			const char *const none[] = {NULL};
			lm_query qy = LM_QUERY_INIT;
			lm_ranking *qr = NULL;
			uint32_t *ql = NULL;
			size_t qn = 0;

			qy.skills = reqs + k;
			qy.skill_count = N_NEEDS - k;
			qy.at = k == 1 ? NULL : "tynset";
			qy.lat = 60.5;
			qy.lon = 11.5;
			qy.mode = (lm_mode)k;
			cat = load(none);
			rc = lmi_image_load_for(cat, &qy, &o, &rd, &ql, &qn);
			if (rc == LM_OK) {
				if (lm_rank_query(cat, &qy, &o, &qr) != LM_OK)
					abort();
				for (size_t i = 0; i < lm_ranking_count(qr); i++)
					if (lm_ranking_get(qr, i)->expert >= qn)
						abort();
			} else if (rc != LM_ERROR || size == 0) {
				abort();
			}
			lm_ranking_free(qr);
			free(ql);
			lm_catalog_free(cat);
		}

		/* One expert by id, as lm_db_explain reads it. */
		static const char *const ids[] = {"e-a", "e-b", "e-c", "e-d",
		                                  "e-zz", ""};
		const char *id = ids[(size + k) % (sizeof ids / sizeof ids[0])];
		lm_explanation *x = NULL;
		uint32_t ix = 0;

		cat = load(one);
		rc = lmi_image_load_expert(cat, &rd, id, &ix);
		if (rc == LM_OK) {
			if (lmi_image_add_engagement(cat, "2026-Q4", needs[k].id,
			                            id) != LM_OK ||
			    lm_explain(cat, needs[k].id, id, &o, &x) != LM_OK)
				abort();
			const lm_match *m = lm_explanation_match(x);
			if (!m->expert_id || strcmp(m->expert_id, id) != 0 ||
			    !(m->score >= 0.0 && m->score <= 100.0))
				abort();
		} else if (rc != LM_ERROR && rc != LM_ENOTFOUND) {
			abort();
		} else if (size == 0 && id[0] == 'e' && id[2] != 'z') {
			abort(); /* undamaged: every expert is found */
		}
		lm_explanation_free(x);
		lm_catalog_free(cat);
	}
	for (size_t i = 0; i < p.n; i++)
		free(p.v[i]);
	free(p.v);
	free(p.len);
	free(p.gone);
	return 0;
}
