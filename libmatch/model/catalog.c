/* SPDX-License-Identifier: MIT */
/*
 * catalog.c -- the in-memory catalogue's life cycle: creating and freeing
 * it, the small public helpers (error text, kind and mode names, periods)
 * and the accessors that read a record through the resolved layer.
 *
 * The records and settings are described in fields.c, which also adds a
 * record to a batch.  The catalogue's two other jobs have their own
 * files: merge.c validates a batch against everything already known and
 * swaps in the next state (what makes a load all or nothing), and
 * lookup.c finds a record by id, name, label or alias and suggests one
 * for a typo.
 */
#include "model/catalog.h"
#include "model/fields.h"
#include "model/period.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- small public helpers --------------------------------------------- */

const char *lm_strerror(int code)
{
	switch (code) {
	case LM_OK: return "success";
	case LM_ERROR: return "internal error";
	case LM_ENOMEM: return "out of memory";
	case LM_EINVAL: return "invalid argument";
	case LM_EINPUT: return "invalid input data";
	case LM_EIO: return "input/output error";
	case LM_EDB: return "database error";
	case LM_ENOTFOUND: return "not found";
	case LM_EINFEASIBLE: return "infeasible pair";
	case LM_EBUSY: return "database is busy";
	case LM_ECONFLICT: return "conflicting change";
	case LM_ECANCELED: return "canceled";
	case LM_EAMBIGUOUS: return "ambiguous name";
	default: return "unknown error";
	}
}

const char *lm_version(void)
{
	return LM_VERSION;
}

static const char *const kind_names[LMI_KIND_COUNT] = {
	"places", "gardens", "skills", "experts", "companies", "needs",
	"distances", "engagements"};
const char *const lmi_kind_singular[LMI_KIND_COUNT] = {
	"place", "garden", "skill", "expert", "company", "need",
	"distance", "engagement"};

const char *lm_kind_name(lm_kind kind)
{
	return (unsigned)kind < LMI_KIND_COUNT ? kind_names[kind] : NULL;
}

int lm_kind_parse(const char *name, lm_kind *out)
{
	if (!name || !out)
		return LM_EINVAL;
	for (int k = 0; k < LMI_KIND_COUNT; k++) {
		if (!strcasecmp(name, kind_names[k]) ||
		    !strcasecmp(name, lmi_kind_singular[k])) {
			*out = (lm_kind)k;
			return LM_OK;
		}
	}
	return LM_EINVAL;
}

static const char *const mode_names[] = {"onsite", "remote", "hybrid"};

const char *lm_mode_name(lm_mode mode)
{
	return (unsigned)mode < 3 ? mode_names[mode] : NULL;
}

int lm_mode_parse(const char *name, lm_mode *out)
{
	if (!name || !out)
		return LM_EINVAL;
	for (int m = 0; m < 3; m++) {
		if (!strcasecmp(name, mode_names[m])) {
			*out = (lm_mode)m;
			return LM_OK;
		}
	}
	return LM_EINVAL;
}

int lm_period_current(int64_t when, char *buf, size_t size)
{
	/* Only -1 is "now": another negative is a caller's mistake, not a
	 * time before 1970 (no quarter of libmatch lies there). */
	if (!buf || size < 8 || when < -1)
		return LM_EINVAL;
	time_t t = when == -1 ? time(NULL) : (time_t)when;
	struct tm tm;
	if ((when != -1 && (int64_t)t != when) || !localtime_r(&t, &tm))
		return LM_EINVAL; /* beyond time_t, or beyond what tm holds */
	snprintf(buf, size, "%04d-Q%d", tm.tm_year + 1900, tm.tm_mon / 3 + 1);
	return LM_OK;
}

/* ---- life cycle ------------------------------------------------------------ */

static void view_set_free(lmi_view_set *vs)
{
	free(vs->v);
	free(vs->filled);
	vs->v = NULL;
	vs->filled = NULL;
}

void lmi_resolved_experts_free(lmi_resolved *r)
{
	view_set_free(&r->views.experts);
	view_set_free(&r->views.expert_skills);
	free(r->expert_garden); free(r->expert_home);
	free(r->expert_lat); free(r->expert_lon); free(r->expert_max_km);
	free(r->expert_capacity); free(r->expert_remote);
	free(r->expert_skill_off); free(r->expert_skill); free(r->expert_level);
	free(r->expert_conflict_off); free(r->expert_conflict);
	free(r->expert_lang_off); free(r->expert_lang);
	free(r->expert_retired); free(r->expert_avail_off);
	free(r->expert_avail_period); free(r->expert_avail_cap);
	r->expert_garden = r->expert_home = NULL;
	r->expert_lat = r->expert_lon = r->expert_max_km = NULL;
	r->expert_capacity = NULL;
	r->expert_remote = NULL;
	r->expert_skill_off = r->expert_skill = NULL;
	r->expert_level = NULL;
	r->expert_conflict_off = r->expert_conflict = NULL;
	r->expert_lang_off = NULL;
	r->expert_lang = NULL;
	r->expert_retired = NULL;
	r->expert_avail_off = r->expert_avail_period = NULL;
	r->expert_avail_cap = NULL;
}

void lmi_slot_set(lmi_slot *s, void *obj, void (*free_fn)(void *obj))
{
	lmi_slot_clear(s);
	s->obj = obj;
	s->free = free_fn;
}

void lmi_slot_clear(lmi_slot *s)
{
	if (s->obj && s->free)
		s->free(s->obj);
	s->obj = NULL;
	s->free = NULL;
}

void lmi_resolved_free(lmi_resolved *r)
{
	lmi_slot_clear(&r->image);
	free(r->place_lat); free(r->place_lon);
	free(r->garden_place);
	free(r->skill_parent); free(r->skill_depth);
	lmi_resolved_experts_free(r);
	free(r->company_place); free(r->company_garden);
	free(r->company_lat); free(r->company_lon); free(r->company_retired);
	free(r->need_company); free(r->need_skill_off); free(r->need_skill);
	free(r->need_level); free(r->need_weight); free(r->need_optional);
	free(r->need_team); free(r->need_status); free(r->need_retired);
	free(r->need_from); free(r->need_until);
	lmi_map_free(&r->dist_map);
	free(r->dist_keys); free(r->dist_km);
	free(r->eng_need); free(r->eng_expert); free(r->eng_new);
	lmi_slot_clear(&r->cand);
	lmi_slot_clear(&r->suggest);
	view_set_free(&r->views.places);
	view_set_free(&r->views.gardens);
	view_set_free(&r->views.skills);
	view_set_free(&r->views.companies);
	view_set_free(&r->views.needs);
	view_set_free(&r->views.need_skills);
	view_set_free(&r->views.distances);
	view_set_free(&r->views.engagements);
	memset(r, 0, sizeof(*r));
}

int lm_catalog_new(lm_catalog **out)
{
	if (!out)
		return LM_EINVAL;
	lm_catalog *cat = calloc(1, sizeof(*cat));
	*out = cat;
	if (!cat)
		return LM_ENOMEM;
	lmi_settings_init(&cat->settings);
	cat->eff = cat->settings.v;
	cat->resolved_ok = true;
	return LM_OK;
}

void lmi_catalog_free_vectors(lm_catalog *c)
{
	free(c->places.v); free(c->gardens.v); free(c->skills.v);
	free(c->experts.v); free(c->companies.v); free(c->needs.v);
	free(c->distances.v); free(c->engagements.v);
	memset(&c->places, 0, sizeof(c->places));
	memset(&c->gardens, 0, sizeof(c->gardens));
	memset(&c->skills, 0, sizeof(c->skills));
	memset(&c->experts, 0, sizeof(c->experts));
	memset(&c->companies, 0, sizeof(c->companies));
	memset(&c->needs, 0, sizeof(c->needs));
	memset(&c->distances, 0, sizeof(c->distances));
	memset(&c->engagements, 0, sizeof(c->engagements));
}

void lmi_catalog_free_maps(lm_catalog *c)
{
	for (int k = 0; k < LMI_KIND_COUNT; k++) {
		lmi_map_free(&c->ids[k]);
		lmi_map_free(&c->folded[k]);
		c->names_pending[k] = false;
	}
	lmi_arena_free(&c->fold_arena);
}

void lm_catalog_free(lm_catalog *cat)
{
	if (!cat)
		return;
	lmi_catalog_free_vectors(cat);
	lmi_catalog_free_maps(cat);
	lmi_resolved_free(&cat->r);
	lmi_arena_free(&cat->arena);
	lmi_err_free(&cat->err);
	free(cat);
}

const char *lm_catalog_errmsg(const lm_catalog *cat)
{
	return cat ? lmi_err_msg(&cat->err) : "no catalogue";
}

size_t lm_catalog_diag_count(const lm_catalog *cat)
{
	return cat ? cat->err.ndiags : 0;
}

const lm_diag *lm_catalog_diag(const lm_catalog *cat, size_t i)
{
	return cat && i < cat->err.ndiags ? &cat->err.diags[i] : NULL;
}

/* ---- generic access to the id of a record ----------------------------------- */

const char *lmi_catalog_id(const lm_catalog *cat, lm_kind kind, uint32_t i)
{
	switch (kind) {
	case LM_PLACE: return i < cat->places.n ? cat->places.v[i].id : NULL;
	case LM_GARDEN: return i < cat->gardens.n ? cat->gardens.v[i].id : NULL;
	case LM_SKILL: return i < cat->skills.n ? cat->skills.v[i].id : NULL;
	case LM_EXPERT: return i < cat->experts.n ? cat->experts.v[i].id : NULL;
	case LM_COMPANY:
		return i < cat->companies.n ? cat->companies.v[i].id : NULL;
	case LM_NEED: return i < cat->needs.n ? cat->needs.v[i].id : NULL;
	default: return NULL;
	}
}

size_t lm_catalog_count(const lm_catalog *cat, lm_kind kind)
{
	if (!cat)
		return 0;
	switch (kind) {
	case LM_PLACE: return cat->places.n;
	case LM_GARDEN: return cat->gardens.n;
	case LM_SKILL: return cat->skills.n;
	case LM_EXPERT: return cat->experts.n;
	case LM_COMPANY: return cat->companies.n;
	case LM_NEED: return cat->needs.n;
	case LM_DISTANCE: return cat->distances.n;
	case LM_ENGAGEMENT: return cat->engagements.n;
	default: return 0;
	}
}

/* ---- accessors ------------------------------------------------------------ */

/* Entry i of a kind's views (`set`: n entries of `size` bytes), the set
 * allocated on first use; *fill says that the entry is new and must be
 * filled now.  NULL when memory runs out, with the message on the
 * catalogue: the const of the accessors is logical, as with the names
 * lookup.c adds on first use. */
static void *view_at(const lm_catalog *cat, lmi_view_set *set, size_t n,
                     size_t size, size_t i, bool *fill)
{
	if (!set->v) {
		/* Not zeroed: a zeroed 10 MB would cost a memset on the
		 * first call; the bits say what is filled. */
		set->v = lmi_reallocarray(NULL, n, size);
		set->filled = calloc(n / 8 + 1, 1);
		if (!set->v || !set->filled) {
			view_set_free(set);
			lmi_err_set(&((lm_catalog *)cat)->err, LM_ENOMEM,
			            "out of memory");
			return NULL;
		}
	}
	unsigned char bit = (unsigned char)(1u << (i % 8));
	*fill = !(set->filled[i / 8] & bit);
	set->filled[i / 8] |= bit;
	return (char *)set->v + i * size;
}

/* view_at for set `set` of cat's views, entries of *v's type. */
#define VIEW(cat, set, n, v, i, fill)                                          \
	view_at((cat), &((lm_catalog *)(cat))->r.views.set, (n), sizeof *(v),  \
	        (i), (fill))

/* VIEW for record `index` of cat's records FIELD, whose set of views has
 * the same name: NULL as well for no catalogue or no such record. */
#define RECORD_VIEW(cat, FIELD, index, v, fill)                                \
	(!(cat) || (index) >= (cat)->FIELD.n                                   \
	 ? NULL : VIEW(cat, FIELD, (cat)->FIELD.n, v, index, fill))

const lm_place_info *lm_catalog_place(const lm_catalog *cat, size_t index)
{
	bool fill;
	lm_place_info *v = RECORD_VIEW(cat, places, index, v, &fill);
	if (v && fill) {
		const lmi_place_rec *p = &cat->places.v[index];
		*v = (lm_place_info){p->id, p->name, p->lat, p->lon};
	}
	return v;
}

const lm_garden_info *lm_catalog_garden(const lm_catalog *cat, size_t index)
{
	bool fill;
	lm_garden_info *v = RECORD_VIEW(cat, gardens, index, v, &fill);
	if (v && fill) {
		const lmi_garden_rec *g = &cat->gardens.v[index];
		uint32_t p = cat->r.garden_place[index];
		*v = (lm_garden_info){
			g->id, g->name,
			p != LM_NONE ? cat->places.v[p].id : g->place.id};
	}
	return v;
}

const lm_skill_info *lm_catalog_skill(const lm_catalog *cat, size_t index)
{
	bool fill;
	lm_skill_info *v = RECORD_VIEW(cat, skills, index, v, &fill);
	if (v && fill) {
		const lmi_skill_rec *s = &cat->skills.v[index];
		uint32_t p = cat->r.skill_parent[index];
		*v = (lm_skill_info){
			s->id, s->label, p != LM_NONE ? cat->skills.v[p].id : NULL,
			s->n_aliases};
	}
	return v;
}

const char *lm_catalog_skill_alias(const lm_catalog *cat, size_t index, size_t j)
{
	if (!cat || index >= cat->skills.n || j >= cat->skills.v[index].n_aliases)
		return NULL;
	return cat->skills.v[index].aliases[j];
}

const lm_expert_info *lm_catalog_expert(const lm_catalog *cat, size_t index)
{
	bool fill;
	lm_expert_info *v = RECORD_VIEW(cat, experts, index, v, &fill);
	if (v && fill) {
		const lmi_expert_rec *e = &cat->experts.v[index];
		const lmi_resolved *r = &cat->r;
		uint32_t g = r->expert_garden[index], h = r->expert_home[index];
		*v = (lm_expert_info){
			.id = e->id, .name = e->name,
			.garden = cat->gardens.v[g].id,
			.home = h != LM_NONE ? cat->places.v[h].id : NULL,
			.lat = r->expert_lat[index], .lon = r->expert_lon[index],
			.capacity = r->expert_capacity[index],
			.max_travel_km = r->expert_max_km[index],
			.remote = r->expert_remote[index],
			.skill_count = r->expert_skill_off[index + 1] -
			               r->expert_skill_off[index],
			.language_count = e->n_languages,
			.conflict_count = r->expert_conflict_off[index + 1] -
			                  r->expert_conflict_off[index],
			.retired = e->retired,
		};
	}
	return v;
}

const lm_skill_req *lm_catalog_expert_skill(const lm_catalog *cat,
                                            size_t index, size_t j)
{
	bool fill;
	if (!cat || index >= cat->experts.n)
		return NULL;
	const uint32_t *off = cat->r.expert_skill_off;
	if (j >= off[index + 1] - off[index])
		return NULL;
	size_t at = off[index] + j;
	lm_skill_req *v = VIEW(cat, expert_skills, off[cat->experts.n], v, at,
	                       &fill);
	if (v && fill)
		*v = (lm_skill_req){cat->skills.v[cat->r.expert_skill[at]].id,
		                    cat->r.expert_level[at], 1.0, 0};
	return v;
}

const char *lm_catalog_expert_language(const lm_catalog *cat, size_t index,
                                       size_t j)
{
	if (!cat || index >= cat->experts.n || j >= cat->experts.v[index].n_languages)
		return NULL;
	return cat->experts.v[index].languages[j];
}

const char *lm_catalog_expert_conflict(const lm_catalog *cat, size_t index,
                                       size_t j)
{
	if (!cat || index >= cat->experts.n)
		return NULL;
	size_t at = cat->r.expert_conflict_off[index] + j;
	if (at >= cat->r.expert_conflict_off[index + 1])
		return NULL;
	return cat->companies.v[cat->r.expert_conflict[at]].id;
}

const lm_company_info *lm_catalog_company(const lm_catalog *cat, size_t index)
{
	bool fill;
	lm_company_info *v = RECORD_VIEW(cat, companies, index, v, &fill);
	if (v && fill) {
		const lmi_company_rec *c = &cat->companies.v[index];
		uint32_t p = cat->r.company_place[index];
		uint32_t g = cat->r.company_garden[index];
		*v = (lm_company_info){
			c->id, c->name, p != LM_NONE ? cat->places.v[p].id : NULL,
			g != LM_NONE ? cat->gardens.v[g].id : NULL,
			cat->r.company_lat[index], cat->r.company_lon[index],
			c->retired};
	}
	return v;
}

const lm_need_info *lm_catalog_need(const lm_catalog *cat, size_t index)
{
	bool fill;
	lm_need_info *v = RECORD_VIEW(cat, needs, index, v, &fill);
	if (v && fill) {
		const lmi_need_rec *n = &cat->needs.v[index];
		const lmi_resolved *r = &cat->r;
		*v = (lm_need_info){
			n->id, cat->companies.v[r->need_company[index]].id,
			n->title, n->mode, n->experts, n->language, n->max_km,
			r->need_skill_off[index + 1] - r->need_skill_off[index],
			n->description, lmi_need_status_name(n->status),
			n->from, n->until, n->retired};
	}
	return v;
}

const lm_skill_req *lm_catalog_need_skill(const lm_catalog *cat, size_t index,
                                          size_t j)
{
	bool fill;
	if (!cat || index >= cat->needs.n)
		return NULL;
	const lmi_resolved *r = &cat->r;
	const uint32_t *off = r->need_skill_off;
	if (j >= off[index + 1] - off[index])
		return NULL;
	size_t at = off[index] + j;
	lm_skill_req *v = VIEW(cat, need_skills, off[cat->needs.n], v, at, &fill);
	if (v && fill)
		*v = (lm_skill_req){cat->skills.v[r->need_skill[at]].id,
		                    r->need_level[at], r->need_weight[at],
		                    r->need_optional[at]};
	return v;
}

const lm_distance_info *lm_catalog_distance(const lm_catalog *cat,
                                            size_t index)
{
	bool fill;
	lm_distance_info *v = RECORD_VIEW(cat, distances, index, v, &fill);
	if (v && fill) {
		const lmi_distance_rec *d = &cat->distances.v[index];
		uint32_t a, b;
		lmi_catalog_lookup(cat, LM_PLACE, d->from.id, &a);
		lmi_catalog_lookup(cat, LM_PLACE, d->to.id, &b);
		*v = (lm_distance_info){cat->places.v[a].id,
		                        cat->places.v[b].id, d->km};
	}
	return v;
}

const lm_engagement_info *lm_catalog_engagement(const lm_catalog *cat,
                                                size_t index)
{
	bool fill;
	lm_engagement_info *v = RECORD_VIEW(cat, engagements, index, v, &fill);
	if (v && fill) {
		const lmi_engagement_rec *e = &cat->engagements.v[index];
		*v = (lm_engagement_info){e->period, e->need.id, e->expert.id,
		                          e->score};
	}
	return v;
}

int lm_catalog_expert_has_skill(const lm_catalog *cat, size_t index, size_t skill)
{
	if (!cat || index >= cat->experts.n || skill >= cat->skills.n)
		return 0;
	const lmi_resolved *r = &cat->r;
	for (uint32_t k = r->expert_skill_off[index];
	     k < r->expert_skill_off[index + 1]; k++) {
		for (uint32_t s = r->expert_skill[k]; s != LM_NONE;
		     s = r->skill_parent[s])
			if (s == skill)
				return 1;
	}
	return 0;
}

const lm_settings *lm_catalog_settings(const lm_catalog *cat)
{
	return cat ? &cat->eff : NULL;
}

int lmi_expert_capacity_in(const lmi_resolved *r, uint32_t e, uint32_t q)
{
	if (q && r->expert_avail_off)
		for (uint32_t k = r->expert_avail_off[e];
		     k < r->expert_avail_off[e + 1]; k++)
			if (r->expert_avail_period[k] == q)
				return r->expert_avail_cap[k];
	return r->expert_capacity[e];
}

int lm_catalog_expert_committed(const lm_catalog *cat, size_t expert,
                                const char *period)
{
	char cur[LMI_PERIOD_SIZE];
	/* Any case, as everywhere; not a quarter at all: none there. */
	if (!cat || !lmi_period_canon(period, cur, NULL))
		return 0;
	period = cur;
	int n = 0;
	for (size_t i = 0; i < cat->engagements.n; i++)
		if (cat->r.eng_expert[i] == expert &&
		    !strcmp(cat->engagements.v[i].period, period))
			n++;
	return n;
}

int lm_catalog_need_team(const lm_catalog *cat, size_t index)
{
	if (!cat || index >= cat->needs.n || !cat->r.need_team)
		return 0;
	return cat->r.need_team[index];
}

double lm_catalog_team_penalty(const lm_catalog *cat)
{
	return cat ? cat->settings.team_penalty : 0.0;
}
