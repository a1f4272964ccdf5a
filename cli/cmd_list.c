/* SPDX-License-Identifier: MIT */
/*
 * cmd_list.c -- `match list KIND`: the records of one kind as a table,
 * CSV, JSON or YAML, filtered by --garden, --skill (or narrower) and,
 * for engagements, --period (default the current quarter; `all`),
 * --expert, --need and --company; retired records only with --all.  It
 * reads only the listed kind and what its filters name.
 */
#include "cli.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A record's skills, read by `get` (lm_catalog_expert_skill or
 * lm_catalog_need_skill), as "export:4 sales:3"; with `need`, a weight
 * other than 1 and optional too ("export:4:2 sales:3?").  NULL when out
 * of memory. */
static char *join_skills(const lm_skill_req *(*get)(const lm_catalog *,
                                                     size_t, size_t),
                         const lm_catalog *cat, size_t i, size_t n, bool need)
{
	size_t len = 1;
	for (size_t j = 0; j < n; j++) {
		const lm_skill_req *s = get(cat, i, j);
		if (!s)
			return NULL;
		len += strlen(s->skill) + (need ? 48 : 4);
	}
	char *buf = malloc(len), *p = buf;
	if (!buf)
		return NULL;
	*p = '\0';
	for (size_t j = 0; j < n; j++) {
		const lm_skill_req *s = get(cat, i, j);
		p += sprintf(p, "%s%s:%d", j ? " " : "", s->skill, s->level);
		if (need && s->weight != 1.0)
			p += sprintf(p, ":%g", s->weight);
		if (need && s->optional)
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

/* Whether skill `id` is `ancestor` or narrower than it: its chain of
 * parents reaches `ancestor` (the catalogue refuses cycles; the depth
 * is capped all the same).  Out of memory counts as yes. */
static bool skill_within(const lm_catalog *cat, const char *id,
                         const char *ancestor)
{
	for (int depth = 0; id && depth < 1000; depth++) {
		if (!strcmp(id, ancestor))
			return true;
		size_t si;
		if (lm_catalog_find((lm_catalog *)cat, LM_SKILL, id, &si))
			return false;
		const lm_skill_info *s = lm_catalog_skill(cat, si);
		if (!s)
			return true;
		id = s->parent;
	}
	return false;
}

/* A need asks for `skill` when one of its skills is it or a narrower
 * one, as `list experts --skill` reads an expert's skills.  Out of
 * memory while reading the views counts as a match, so that the row is
 * written and the table's oom flag ends the command. */
static bool need_has_skill(const lm_catalog *cat, size_t need, size_t skill)
{
	const lm_need_info *ni = lm_catalog_need(cat, need);
	const lm_skill_info *si = lm_catalog_skill(cat, skill);
	if (!ni || !si)
		return true;
	for (size_t j = 0; j < ni->skill_count; j++) {
		const lm_skill_req *s = lm_catalog_need_skill(cat, need, j);
		if (!s || skill_within(cat, s->skill, si->id))
			return true;
	}
	return false;
}

static const char *company_garden(const lm_catalog *cat, const char *company)
{
	size_t ci;
	const lm_company_info *co;
	if (lm_catalog_find((lm_catalog *)cat, LM_COMPANY, company, &ci) ||
	    !(co = lm_catalog_company(cat, ci)))
		return NULL;
	return co->garden;
}

/* Where a record is: its place's id, or without one its position as
 * "LAT,LON". */
static void out_where(out_table *t, const char *place, double lat, double lon)
{
	char buf[64];
	if (!place) {
		snprintf(buf, sizeof(buf), "%.4f,%.4f", lat, lon);
		place = buf;
	}
	out_str(t, place);
}

/* The filters of `list`, resolved against the catalogue. */
typedef struct list_filter {
	const char *garden;  /* --garden's id as in the profiles, or NULL */
	bool by_skill;       /* --skill given ... */
	size_t skill;        /* ... and its index */
	const char *period;  /* --period, or NULL for every period */
	bool all;            /* --all: retired records too */
	/* engagements: --expert, --need, --company as ids, or NULL */
	const char *expert, *need, *company;
	char period_buf[16]; /* the current quarter, when not given */
} list_filter;

/* ---- one function per kind: the rows that pass the filters ----------------- */

/* Each stops at a view it cannot get (out of memory), with t->oom set. */
#define VIEW_OR_OOM(v, t)                                                      \
	do {                                                                   \
		if (!(v)) {                                                    \
			(t)->oom = true;                                       \
			return;                                                \
		}                                                              \
	} while (0)

/* Does the filter keep a record of garden `garden` (may be NULL: none),
 * retired or not?  --garden wants that garden, and a retired record
 * wants --all. */
static bool keeps(const list_filter *f, const char *garden, bool retired)
{
	if (f->garden && (!garden || strcmp(garden, f->garden)))
		return false;
	return !retired || f->all;
}

static void rows_places(const lm_catalog *cat, const list_filter *f, out_table *t)
{
	(void)f;
	for (size_t i = 0, n = lm_catalog_count(cat, LM_PLACE); i < n; i++) {
		const lm_place_info *p = lm_catalog_place(cat, i);
		VIEW_OR_OOM(p, t);
		out_str(t, p->id), out_str(t, p->name);
		out_num(t, p->lat, 3), out_num(t, p->lon, 3);
	}
}

static void rows_gardens(const lm_catalog *cat, const list_filter *f, out_table *t)
{
	for (size_t i = 0, n = lm_catalog_count(cat, LM_GARDEN); i < n; i++) {
		const lm_garden_info *g = lm_catalog_garden(cat, i);
		VIEW_OR_OOM(g, t);
		if (!keeps(f, g->id, false))
			continue;
		out_str(t, g->id), out_str(t, g->name), out_str(t, g->place);
	}
}

static void rows_skills(const lm_catalog *cat, const list_filter *f, out_table *t)
{
	(void)f;
	for (size_t i = 0, n = lm_catalog_count(cat, LM_SKILL); i < n; i++) {
		const lm_skill_info *s = lm_catalog_skill(cat, i);
		VIEW_OR_OOM(s, t);
		out_str(t, s->id), out_str(t, s->label), out_str(t, s->parent);
		out_owned(t, join_strings(lm_catalog_skill_alias, cat, i,
		                          s->alias_count, ", "));
	}
}

static void rows_experts(const lm_catalog *cat, const list_filter *f, out_table *t)
{
	for (size_t i = 0, n = lm_catalog_count(cat, LM_EXPERT); i < n; i++) {
		const lm_expert_info *e = lm_catalog_expert(cat, i);
		VIEW_OR_OOM(e, t);
		if (!keeps(f, e->garden, e->retired))
			continue;
		if (f->by_skill && !lm_catalog_expert_has_skill(cat, i, f->skill))
			continue;
		out_str(t, e->id), out_str(t, e->name), out_str(t, e->garden);
		out_where(t, e->home, e->lat, e->lon);
		out_owned(t, join_skills(lm_catalog_expert_skill, cat, i,
		                         e->skill_count, false));
		out_int(t, e->capacity);
		out_num(t, e->max_travel_km, 0);
		out_bool(t, e->remote);
		out_owned(t, join_strings(lm_catalog_expert_language, cat, i,
		                          e->language_count, " "));
	}
}

static void rows_companies(const lm_catalog *cat, const list_filter *f, out_table *t)
{
	for (size_t i = 0, n = lm_catalog_count(cat, LM_COMPANY); i < n; i++) {
		const lm_company_info *c = lm_catalog_company(cat, i);
		VIEW_OR_OOM(c, t);
		if (!keeps(f, c->garden, c->retired))
			continue;
		out_str(t, c->id), out_str(t, c->name);
		out_where(t, c->place, c->lat, c->lon);
		out_str(t, c->garden);
	}
}

static void rows_needs(const lm_catalog *cat, const list_filter *f, out_table *t)
{
	for (size_t i = 0, n = lm_catalog_count(cat, LM_NEED); i < n; i++) {
		const lm_need_info *nd = lm_catalog_need(cat, i);
		VIEW_OR_OOM(nd, t);
		if (!keeps(f, f->garden ? company_garden(cat, nd->company) : NULL,
		           nd->retired))
			continue;
		if (f->by_skill && !need_has_skill(cat, i, f->skill))
			continue;
		out_str(t, nd->id), out_str(t, nd->company), out_str(t, nd->title);
		out_str(t, lm_mode_name(nd->mode));
		out_int(t, nd->experts);
		out_owned(t, join_skills(lm_catalog_need_skill, cat, i,
		                         nd->skill_count, true));
		out_str(t, nd->language);
		if (nd->max_km > 0)
			out_num(t, nd->max_km, 0);
		else
			out_str(t, NULL);
		out_int(t, lm_catalog_need_team(cat, i));
		out_str(t, nd->retired ? "retired" : nd->status);
	}
}

static void rows_distances(const lm_catalog *cat, const list_filter *f, out_table *t)
{
	(void)f;
	for (size_t i = 0, n = lm_catalog_count(cat, LM_DISTANCE); i < n; i++) {
		const lm_distance_info *d = lm_catalog_distance(cat, i);
		VIEW_OR_OOM(d, t);
		out_str(t, d->from), out_str(t, d->to), out_num(t, d->km, 1);
	}
}

static void rows_engagements(const lm_catalog *cat, const list_filter *f,
                             out_table *t)
{
	for (size_t i = 0, n = lm_catalog_count(cat, LM_ENGAGEMENT); i < n; i++) {
		const lm_engagement_info *e = lm_catalog_engagement(cat, i);
		VIEW_OR_OOM(e, t);
		if (f->period && strcmp(e->period, f->period))
			continue;
		if ((f->expert && strcmp(e->expert, f->expert)) ||
		    (f->need && strcmp(e->need, f->need)))
			continue;
		if (f->company || f->garden) {
			size_t ni, ei;
			const lm_need_info *nd = NULL;
			const lm_expert_info *ex = NULL;
			if (!lm_catalog_find((lm_catalog *)cat, LM_NEED, e->need, &ni))
				nd = lm_catalog_need(cat, ni);
			if (!lm_catalog_find((lm_catalog *)cat, LM_EXPERT, e->expert,
			                     &ei))
				ex = lm_catalog_expert(cat, ei);
			if (f->company && (!nd || strcmp(nd->company, f->company)))
				continue;
			/* A garden's engagements: its experts' and its
			 * companies'. */
			const char *cg = nd ? company_garden(cat, nd->company) : NULL;
			if (f->garden && !(ex && !strcmp(ex->garden, f->garden)) &&
			    !(cg && !strcmp(cg, f->garden)))
				continue;
		}
		out_str(t, e->period), out_str(t, e->need), out_str(t, e->expert);
		out_num(t, e->score, 2);
	}
}

/* ---- the kinds' tables --------------------------------------------------------- */

static const char *c_places[] = {"id", "name", "lat", "lon"};
static const char *c_gardens[] = {"id", "name", "place"};
static const char *c_skills[] = {"id", "label", "parent", "aliases"};
static const char *c_experts[] = {"id", "name", "garden", "home", "skills",
                                  "capacity", "max_km", "remote", "languages"};
static const char *c_companies[] = {"id", "name", "place", "garden"};
static const char *c_needs[] = {"id", "company", "title", "mode", "experts",
                                "skills", "language", "max_km", "team",
                                "status"};
static const char *c_distances[] = {"from", "to", "km"};
static const char *c_eng[] = {"period", "need", "expert", "score"};

#define COLS(c) c, sizeof(c) / sizeof(*(c))

/* Each kind's columns and the function that writes its rows (in the
 * columns' order). */
static const struct list_kind {
	lm_kind kind;
	const char **cols;
	size_t ncols;
	void (*rows)(const lm_catalog *cat, const list_filter *f, out_table *t);
} list_kinds[] = {
	{LM_PLACE, COLS(c_places), rows_places},
	{LM_GARDEN, COLS(c_gardens), rows_gardens},
	{LM_SKILL, COLS(c_skills), rows_skills},
	{LM_EXPERT, COLS(c_experts), rows_experts},
	{LM_COMPANY, COLS(c_companies), rows_companies},
	{LM_NEED, COLS(c_needs), rows_needs},
	{LM_DISTANCE, COLS(c_distances), rows_distances},
	{LM_ENGAGEMENT, COLS(c_eng), rows_engagements},
};

/* How the kinds' tables fit a narrow terminal: ids are never cut, lists
 * of skills and aliases wrap, and the least useful columns go first. */
static void fit_columns(out_table *t, lm_kind kind)
{
	static const char *const ids[] = {"id", "garden", "place", "parent",
	                                  "company", "need", "expert", "from",
	                                  "to", "home", "period"};
	static const struct {
		lm_kind kind;
		const char *col;
		int drop;
	} drops[] = {
		{LM_EXPERT, "max_km", 1}, {LM_EXPERT, "remote", 2},
		{LM_EXPERT, "capacity", 3}, {LM_EXPERT, "languages", 4},
		{LM_EXPERT, "home", 5},
		{LM_NEED, "max_km", 1}, {LM_NEED, "experts", 2},
		{LM_NEED, "language", 3}, {LM_NEED, "mode", 4},
		{LM_NEED, "company", 5}, {LM_NEED, "status", 6},
		{LM_COMPANY, "garden", 1}, {LM_COMPANY, "place", 2},
		{LM_SKILL, "aliases", 1},
	};
	for (size_t j = 0; j < t->ncols; j++) {
		unsigned flags = 0;
		int drop = 0;
		for (size_t k = 0; k < sizeof(ids) / sizeof(*ids); k++)
			if (!strcmp(t->cols[j], ids[k]))
				flags |= OUT_COL_ID;
		if (!strcmp(t->cols[j], "skills") || !strcmp(t->cols[j], "aliases") ||
		    !strcmp(t->cols[j], "title"))
			flags |= OUT_COL_WRAP;
		for (size_t k = 0; k < sizeof(drops) / sizeof(*drops); k++)
			if (drops[k].kind == kind && !strcmp(t->cols[j], drops[k].col))
				drop = drops[k].drop;
		out_col(t, j, flags, drop);
	}
}

/* ---- the command --------------------------------------------------------------- */

/* --garden and --skill looked up in the catalogue: the filter holds the
 * garden's id as the profiles spell it and the skill's index; a name the
 * catalogue does not know is reported. */
static int resolve_filter(const args *a, lm_kind kind, lm_catalog *cat,
                          list_filter *f)
{
	f->period = a->period;
	f->all = a->all;
	if (kind == LM_ENGAGEMENT && !a->period && !a->period_all) {
		/* The current quarter, as for the other commands. */
		lm_period_current(-1, f->period_buf, sizeof(f->period_buf));
		f->period = f->period_buf;
	}
	static const struct {
		lm_kind kind;
		size_t off;
	} by[] = {{LM_EXPERT, offsetof(list_filter, expert)},
	          {LM_NEED, offsetof(list_filter, need)},
	          {LM_COMPANY, offsetof(list_filter, company)}};
	const char *given[] = {a->expert, a->need, a->company};
	for (size_t i = 0; i < 3; i++) {
		if (!given[i])
			continue;
		size_t ix;
		int rc = lm_catalog_find(cat, by[i].kind, given[i], &ix);
		if (rc)
			return cat_fail(cat, rc);
		const char *id = by[i].kind == LM_EXPERT
			? (lm_catalog_expert(cat, ix) ? lm_catalog_expert(cat, ix)->id : NULL)
			: by[i].kind == LM_NEED
			? (lm_catalog_need(cat, ix) ? lm_catalog_need(cat, ix)->id : NULL)
			: (lm_catalog_company(cat, ix) ? lm_catalog_company(cat, ix)->id
			                               : NULL);
		if (!id)
			return cat_fail(cat, LM_ENOMEM);
		*(const char **)((char *)f + by[i].off) = id;
	}
	f->by_skill = a->nskills == 1;
	if (a->garden) {
		size_t gi;
		int rc = lm_catalog_find(cat, LM_GARDEN, a->garden, &gi);
		if (rc)
			return cat_fail(cat, rc);
		const lm_garden_info *g = lm_catalog_garden(cat, gi);
		if (!g)
			return cat_fail(cat, LM_ENOMEM);
		f->garden = g->id;
	}
	if (f->by_skill) {
		int rc = lm_catalog_find(cat, LM_SKILL, a->skills[0], &f->skill);
		if (rc)
			return cat_fail(cat, rc);
	}
	return EXIT_OK;
}

/* A filter the listed kind does not take is a usage error, as an option
 * another command does not take: `list places --garden odal` must not
 * list every place as if it had been filtered. */
static int check_filters(const args *a, lm_kind kind)
{
	static const struct {
		const char *flag;
		unsigned kinds; /* LM_KIND_BIT of the kinds it filters */
		const char *which;
	} filters[] = {
		{"--garden", LM_KIND_BIT(LM_GARDEN) | LM_KIND_BIT(LM_EXPERT) |
		             LM_KIND_BIT(LM_COMPANY) | LM_KIND_BIT(LM_NEED) |
		             LM_KIND_BIT(LM_ENGAGEMENT),
		 "gardens, experts, companies, needs and engagements"},
		{"--skill", LM_KIND_BIT(LM_EXPERT) | LM_KIND_BIT(LM_NEED),
		 "experts and needs"},
		{"--period", LM_KIND_BIT(LM_ENGAGEMENT), "engagements"},
		{"--expert", LM_KIND_BIT(LM_ENGAGEMENT), "engagements"},
		{"--need", LM_KIND_BIT(LM_ENGAGEMENT), "engagements"},
		{"--company", LM_KIND_BIT(LM_ENGAGEMENT), "engagements"},
		{"--all", LM_KIND_BIT(LM_EXPERT) | LM_KIND_BIT(LM_COMPANY) |
		          LM_KIND_BIT(LM_NEED),
		 "retired experts, companies and needs"},
	};
	const bool given[] = {a->garden != NULL, a->nskills > 0,
	                      a->period != NULL || a->period_all,
	                      a->expert != NULL, a->need != NULL,
	                      a->company != NULL, a->all};
	for (size_t i = 0; i < sizeof(filters) / sizeof(*filters); i++)
		if (given[i] && !(filters[i].kinds & LM_KIND_BIT(kind)))
			return usage_error("list %s takes no %s (it filters %s)",
			                   lm_kind_name(kind), filters[i].flag,
			                   filters[i].which);
	return EXIT_OK;
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
	int bad = check_filters(a, kind);
	if (bad)
		return bad;
	const struct list_kind *lk = NULL;
	for (size_t i = 0; i < sizeof(list_kinds) / sizeof(*list_kinds); i++)
		if (list_kinds[i].kind == kind)
			lk = &list_kinds[i];
	if (!lk) {
		/* A kind of the library that this table lacks. */
		fprintf(stderr, "%s: cannot list %s\n", progname, lm_kind_name(kind));
		return EXIT_INTERNAL;
	}
	lm_db *db = NULL;
	lm_catalog *cat = NULL;
	list_filter f = {0};
	/* Only the listed kind and what its filters name: `list gardens`
	 * must not read 100,000 experts. */
	unsigned kinds = LM_KIND_BIT(kind);
	if (a->garden)
		kinds |= LM_KIND_BIT(LM_GARDEN);
	if (a->nskills)
		kinds |= LM_KIND_BIT(LM_SKILL);
	/* An engagement's garden is its expert's or its company's. */
	if (kind == LM_ENGAGEMENT && (a->garden || a->company))
		kinds |= LM_KIND_BIT(LM_COMPANY) | LM_KIND_BIT(LM_GARDEN);
	int ex = open_catalog_kinds(a, kinds, &db, &cat);
	if (!ex)
		ex = resolve_filter(a, kind, cat, &f);
	if (!ex) {
		out_table t;
		out_table_init(&t, lk->ncols, lk->cols);
		fit_columns(&t, kind);
		lk->rows(cat, &f, &t);
		if (t.oom) {
			fprintf(stderr, "%s: out of memory\n", progname);
			ex = EXIT_INTERNAL;
		} else {
			out_table_print(&t, a->fmt, lm_kind_name(kind), stdout);
		}
		out_table_free(&t);
	}
	lm_catalog_free(cat);
	lm_db_close(db);
	return ex;
}
