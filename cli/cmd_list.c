/* SPDX-License-Identifier: MIT */
/*
 * cmd_list.c -- `match list KIND`: the records of one kind as a table,
 * CSV, JSON or YAML, filtered by --garden, --skill (or narrower) and
 * --period.  It reads only the listed kind and what its filters name.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "export:4 sales:3" */
static char *join_expert_skills(const lm_catalog *cat, size_t i, size_t n)
{
	size_t len = 1;
	for (size_t j = 0; j < n; j++) {
		lm_skill_req s;
		lm_catalog_expert_skill(cat, i, j, &s);
		len += strlen(s.skill) + 4;
	}
	char *buf = malloc(len), *p = buf;
	if (!buf)
		return NULL;
	*p = '\0';
	for (size_t j = 0; j < n; j++) {
		lm_skill_req s;
		lm_catalog_expert_skill(cat, i, j, &s);
		p += sprintf(p, "%s%s:%d", j ? " " : "", s.skill, s.level);
	}
	return buf;
}

static char *join_need_skills(const lm_catalog *cat, size_t i, size_t n)
{
	size_t len = 1;
	for (size_t j = 0; j < n; j++) {
		lm_skill_req s;
		lm_catalog_need_skill(cat, i, j, &s);
		len += strlen(s.skill) + 48;
	}
	char *buf = malloc(len), *p = buf;
	if (!buf)
		return NULL;
	*p = '\0';
	for (size_t j = 0; j < n; j++) {
		lm_skill_req s;
		lm_catalog_need_skill(cat, i, j, &s);
		p += sprintf(p, "%s%s:%d", j ? " " : "", s.skill, s.level);
		if (s.weight != 1.0)
			p += sprintf(p, ":%g", s.weight);
		if (s.optional)
			p += sprintf(p, "?");
	}
	return buf;
}

static char *join_strings(const char *(*get)(const lm_catalog *, size_t, size_t),
                          const lm_catalog *cat, size_t i, size_t n,
                          const char *sep)
{
	size_t len = 1;
	for (size_t j = 0; j < n; j++)
		len += strlen(get(cat, i, j)) + strlen(sep);
	char *buf = malloc(len), *p = buf;
	if (!buf)
		return NULL;
	*p = '\0';
	for (size_t j = 0; j < n; j++)
		p += sprintf(p, "%s%s", j ? sep : "", get(cat, i, j));
	return buf;
}

static void out_owned(out_table *t, char *s)
{
	if (!s)
		t->oom = true;
	out_str(t, s ? s : "");
	free(s);
}

static bool need_has_skill(const lm_catalog *cat, size_t need, size_t skill)
{
	lm_need_info ni;
	lm_catalog_need(cat, need, &ni);
	lm_skill_info si;
	lm_catalog_skill(cat, skill, &si);
	for (size_t j = 0; j < ni.skill_count; j++) {
		lm_skill_req s;
		lm_catalog_need_skill(cat, need, j, &s);
		if (!strcmp(s.skill, si.id))
			return true;
	}
	return false;
}

static const char *company_garden(const lm_catalog *cat, const char *company)
{
	size_t ci;
	lm_company_info co;
	if (lm_catalog_find((lm_catalog *)cat, LM_COMPANY, company, &ci) ||
	    lm_catalog_company(cat, ci, &co))
		return NULL;
	return co.garden;
}

int cmd_list(const args *a)
{
	if (a->npos != 1)
		return usage_error("list needs one KIND (places, gardens, skills, "
		                   "experts, companies, needs, distances, engagements)");
	lm_kind kind;
	if (lm_kind_parse(a->pos[0], &kind))
		return usage_error("unknown KIND '%s'", a->pos[0]);
	if (a->nskills > 1)
		return usage_error("list takes at most one --skill");
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	/* Only the listed kind and what its filters name: `list gardens`
	 * must not read 100,000 experts. */
	unsigned kinds = LM_KIND_BIT(kind);
	if (a->garden)
		kinds |= LM_KIND_BIT(LM_GARDEN);
	if (a->nskills)
		kinds |= LM_KIND_BIT(LM_SKILL);
	int ex = open_catalog_kinds(a, kinds, &db, &cat);
	if (ex)
		goto done;
	const char *garden = NULL;
	size_t skill = 0, gi;
	bool by_skill = a->nskills == 1;
	if (a->garden) {
		int rc = lm_catalog_find(cat, LM_GARDEN, a->garden, &gi);
		if (rc) {
			ex = cat_fail(cat, rc);
			goto done;
		}
		lm_garden_info g;
		lm_catalog_garden(cat, gi, &g);
		garden = g.id;
	}
	if (by_skill) {
		int rc = lm_catalog_find(cat, LM_SKILL, a->skills[0], &skill);
		if (rc) {
			ex = cat_fail(cat, rc);
			goto done;
		}
	}
	char period[16];
	const char *want_period = a->period;

	static const char *c_places[] = {"id", "name", "lat", "lon"};
	static const char *c_gardens[] = {"id", "name", "place"};
	static const char *c_skills[] = {"id", "label", "parent", "aliases"};
	static const char *c_experts[] = {"id", "name", "garden", "home", "skills",
	                                  "capacity", "max_km", "remote", "languages"};
	static const char *c_companies[] = {"id", "name", "place", "garden"};
	static const char *c_needs[] = {"id", "company", "title", "mode", "experts",
	                                "skills", "language", "max_km"};
	static const char *c_distances[] = {"from", "to", "km"};
	static const char *c_eng[] = {"period", "need", "expert", "score"};
	out_table t;
	size_t n = lm_catalog_count(cat, kind);
	switch (kind) {
	case LM_PLACE:
		out_table_init(&t, 4, c_places);
		for (size_t i = 0; i < n; i++) {
			lm_place_info p;
			lm_catalog_place(cat, i, &p);
			out_str(&t, p.id), out_str(&t, p.name);
			out_num(&t, p.lat, 3), out_num(&t, p.lon, 3);
		}
		break;
	case LM_GARDEN:
		out_table_init(&t, 3, c_gardens);
		for (size_t i = 0; i < n; i++) {
			lm_garden_info g;
			lm_catalog_garden(cat, i, &g);
			if (garden && strcmp(g.id, garden))
				continue;
			out_str(&t, g.id), out_str(&t, g.name), out_str(&t, g.place);
		}
		break;
	case LM_SKILL:
		out_table_init(&t, 4, c_skills);
		for (size_t i = 0; i < n; i++) {
			lm_skill_info s;
			lm_catalog_skill(cat, i, &s);
			out_str(&t, s.id), out_str(&t, s.label), out_str(&t, s.parent);
			out_owned(&t, join_strings(lm_catalog_skill_alias, cat, i,
			                           s.alias_count, ", "));
		}
		break;
	case LM_EXPERT:
		out_table_init(&t, 9, c_experts);
		for (size_t i = 0; i < n; i++) {
			lm_expert_info e;
			lm_catalog_expert(cat, i, &e);
			if (garden && strcmp(e.garden, garden))
				continue;
			if (by_skill && !lm_catalog_expert_has_skill(cat, i, skill))
				continue;
			out_str(&t, e.id), out_str(&t, e.name), out_str(&t, e.garden);
			if (e.home) {
				out_str(&t, e.home);
			} else {
				char buf[64];
				snprintf(buf, sizeof(buf), "%.4f,%.4f", e.lat, e.lon);
				out_str(&t, buf);
			}
			out_owned(&t, join_expert_skills(cat, i, e.skill_count));
			out_int(&t, e.capacity);
			out_num(&t, e.max_travel_km, 0);
			out_bool(&t, e.remote);
			out_owned(&t, join_strings(lm_catalog_expert_language, cat, i,
			                           e.language_count, " "));
		}
		break;
	case LM_COMPANY:
		out_table_init(&t, 4, c_companies);
		for (size_t i = 0; i < n; i++) {
			lm_company_info c;
			lm_catalog_company(cat, i, &c);
			if (garden && (!c.garden || strcmp(c.garden, garden)))
				continue;
			out_str(&t, c.id), out_str(&t, c.name);
			if (c.place) {
				out_str(&t, c.place);
			} else {
				char buf[64];
				snprintf(buf, sizeof(buf), "%.4f,%.4f", c.lat, c.lon);
				out_str(&t, buf);
			}
			out_str(&t, c.garden);
		}
		break;
	case LM_NEED:
		out_table_init(&t, 8, c_needs);
		for (size_t i = 0; i < n; i++) {
			lm_need_info nd;
			lm_catalog_need(cat, i, &nd);
			if (garden) {
				const char *g = company_garden(cat, nd.company);
				if (!g || strcmp(g, garden))
					continue;
			}
			if (by_skill && !need_has_skill(cat, i, skill))
				continue;
			out_str(&t, nd.id), out_str(&t, nd.company), out_str(&t, nd.title);
			out_str(&t, lm_mode_name(nd.mode));
			out_int(&t, nd.experts);
			out_owned(&t, join_need_skills(cat, i, nd.skill_count));
			out_str(&t, nd.language);
			if (nd.max_km > 0)
				out_num(&t, nd.max_km, 0);
			else
				out_str(&t, NULL);
		}
		break;
	case LM_DISTANCE:
		out_table_init(&t, 3, c_distances);
		for (size_t i = 0; i < n; i++) {
			lm_distance_info d;
			lm_catalog_distance(cat, i, &d);
			out_str(&t, d.from), out_str(&t, d.to), out_num(&t, d.km, 1);
		}
		break;
	case LM_ENGAGEMENT:
	default:
		if (!want_period && a->period == NULL) {
			/* Without --period every period is listed. */
		}
		(void)period;
		out_table_init(&t, 4, c_eng);
		for (size_t i = 0; i < n; i++) {
			lm_engagement_info e;
			lm_catalog_engagement(cat, i, &e);
			if (want_period && strcmp(e.period, want_period))
				continue;
			out_str(&t, e.period), out_str(&t, e.need), out_str(&t, e.expert);
			out_num(&t, e.score, 2);
		}
		break;
	}
	if (t.oom) {
		fprintf(stderr, "%s: out of memory\n", progname);
		ex = EXIT_INTERNAL;
	} else {
		out_table_print(&t, a->fmt, lm_kind_name(kind), stdout);
	}
	out_table_free(&t);
done:
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}
