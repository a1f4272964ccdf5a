/* SPDX-License-Identifier: MIT */
/*
 * export.c -- writes a catalogue as YAML or JSON that `match load` reads
 * back into the same catalogue.
 *
 * The output is deterministic: kinds in a fixed order, records sorted by
 * id (the catalogue's own order), references as canonical ids, numbers in
 * the shortest form that reads back to the same double.  So export, load
 * into an empty database, export again gives the same bytes.  Only values
 * that were given are written (a default stays implicit), so a re-load
 * keeps following the settings.
 */
#include "io/export.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct emitter {
	FILE *fp;
	lm_format fmt;
	bool first_section;
	bool first_item;
	bool first_field;
} emitter;

/* Shortest "%.*g" that reads back to exactly v. */
static void fmt_num(double v, char *buf, size_t size)
{
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* A bare integer like "300" stays an integer in YAML and JSON. */
}

/* Write s as a double-quoted string, valid both as JSON and as a YAML
 * double-quoted scalar: control characters, C1 controls, DEL, U+2028/9
 * and U+FEFF/FFFE/FFFF are escaped; other UTF-8 passes through. */
static void put_quoted(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	fputc('"', fp);
	while (*p) {
		unsigned c = *p;
		if (c == '"' || c == '\\') {
			fputc('\\', fp);
			fputc((int)c, fp);
			p++;
		} else if (c == '\n') {
			fputs("\\n", fp), p++;
		} else if (c == '\t') {
			fputs("\\t", fp), p++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(fp, "\\u%04x", c), p++;
		} else if (c == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			fprintf(fp, "\\u%04x", (unsigned)p[1]), p += 2;
		} else if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			fprintf(fp, "\\u%04x", 0x2000u + (p[2] - 0x80u)), p += 3;
		} else if (c == 0xef && ((p[1] == 0xbb && p[2] == 0xbf) ||
		                         (p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)))) {
			unsigned cp = 0xf000u | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
			fprintf(fp, "\\u%04x", cp), p += 3;
		} else {
			fputc((int)c, fp), p++;
		}
	}
	fputc('"', fp);
}

/* A YAML plain scalar is used only where it cannot be misread. */
static bool yaml_plain_ok(const char *s)
{
	static const char *const special[] = {
		"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"};
	if (!*s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (const char *p = s; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	}
	for (size_t i = 0; i < sizeof(special) / sizeof(*special); i++)
		if (!strcasecmp(s, special[i]))
			return false;
	return true;
}

static void put_str(emitter *em, const char *s)
{
	if (em->fmt == LM_FORMAT_YAML && yaml_plain_ok(s))
		fputs(s, em->fp);
	else
		put_quoted(em->fp, s);
}

static void put_num(emitter *em, double v)
{
	char buf[64];
	fmt_num(v, buf, sizeof(buf));
	fputs(buf, em->fp);
}

static void section(emitter *em, const char *name)
{
	if (em->fmt == LM_FORMAT_JSON)
		fprintf(em->fp, "%s\n  \"%s\": [", em->first_section ? "" : ",", name);
	else
		fprintf(em->fp, "%s:\n", name);
	em->first_section = false;
	em->first_item = true;
}

static void section_end(emitter *em)
{
	if (em->fmt == LM_FORMAT_JSON)
		fputs(em->first_item ? "]" : "\n  ]", em->fp);
}

static void item(emitter *em)
{
	if (em->fmt == LM_FORMAT_JSON)
		fprintf(em->fp, "%s\n    {", em->first_item ? "" : ",");
	em->first_item = false;
	em->first_field = true;
}

static void item_end(emitter *em)
{
	if (em->fmt == LM_FORMAT_JSON)
		fputc('}', em->fp);
}

static void key(emitter *em, const char *k)
{
	if (em->fmt == LM_FORMAT_JSON)
		fprintf(em->fp, "%s\"%s\": ", em->first_field ? "" : ", ", k);
	else
		fprintf(em->fp, "  %s %s: ", em->first_field ? "-" : " ", k);
	em->first_field = false;
}

static void key_end(emitter *em)
{
	if (em->fmt == LM_FORMAT_YAML)
		fputc('\n', em->fp);
}

static void f_str(emitter *em, const char *k, const char *v)
{
	if (!v)
		return;
	key(em, k);
	put_str(em, v);
	key_end(em);
}

static void f_num(emitter *em, const char *k, double v)
{
	key(em, k);
	put_num(em, v);
	key_end(em);
}

static void f_bool(emitter *em, const char *k, bool v)
{
	key(em, k);
	fputs(v ? "true" : "false", em->fp);
	key_end(em);
}

static void f_coords(emitter *em, const char *k, double lat, double lon)
{
	key(em, k);
	fputs(em->fmt == LM_FORMAT_JSON ? "{\"lat\": " : "{lat: ", em->fp);
	put_num(em, lat);
	fputs(em->fmt == LM_FORMAT_JSON ? ", \"lon\": " : ", lon: ", em->fp);
	put_num(em, lon);
	fputc('}', em->fp);
	key_end(em);
}

static void f_list(emitter *em, const char *k, const char *const *v, size_t n)
{
	if (!n)
		return;
	key(em, k);
	fputc('[', em->fp);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", em->fp);
		put_str(em, v[i]);
	}
	fputc(']', em->fp);
	key_end(em);
}

/* A flow-mapping key: quoted in JSON, plain or quoted in YAML. */
static void map_key(emitter *em, const char *k)
{
	if (em->fmt == LM_FORMAT_JSON)
		put_quoted(em->fp, k);
	else
		put_str(em, k);
	fputs(": ", em->fp);
}

static void export_settings(emitter *em, const lm_catalog *cat)
{
	const lmi_settings_rec *s = &cat->settings;
	if (!s->set)
		return;
	if (em->fmt == LM_FORMAT_JSON)
		fprintf(em->fp, "%s\n  \"settings\": {", em->first_section ? "" : ",");
	else
		fputs("settings:\n", em->fp);
	em->first_section = false;
	bool first = true;
	for (int k = 0; k < LM_SET_COUNT; k++) {
		if (!(s->set & (1u << k)))
			continue;
		double v = k == LM_SET_DEFAULT_CAPACITY
			? (double)s->v.default_capacity
			: *lmi_settings_field((lm_settings *)&s->v, k);
		if (em->fmt == LM_FORMAT_JSON)
			fprintf(em->fp, "%s\"%s\": ", first ? "" : ", ",
			        lmi_settings_keys[k]);
		else
			fprintf(em->fp, "  %s: ", lmi_settings_keys[k]);
		put_num(em, v);
		if (em->fmt == LM_FORMAT_YAML)
			fputc('\n', em->fp);
		first = false;
	}
	if (em->fmt == LM_FORMAT_JSON)
		fputc('}', em->fp);
}

static void export_places(emitter *em, const lm_catalog *cat)
{
	if (!cat->places.n)
		return;
	section(em, "places");
	for (size_t i = 0; i < cat->places.n; i++) {
		const lmi_place_rec *p = &cat->places.v[i];
		item(em);
		f_str(em, "id", p->id);
		f_str(em, "name", p->name);
		f_num(em, "lat", p->lat);
		f_num(em, "lon", p->lon);
		item_end(em);
	}
	section_end(em);
}

static void export_gardens(emitter *em, const lm_catalog *cat)
{
	if (!cat->gardens.n)
		return;
	section(em, "gardens");
	for (size_t i = 0; i < cat->gardens.n; i++) {
		const lmi_garden_rec *g = &cat->gardens.v[i];
		item(em);
		f_str(em, "id", g->id);
		f_str(em, "name", g->name);
		f_str(em, "place", cat->places.v[cat->r.garden_place[i]].id);
		item_end(em);
	}
	section_end(em);
}

static void export_skills(emitter *em, const lm_catalog *cat)
{
	if (!cat->skills.n)
		return;
	section(em, "skills");
	for (size_t i = 0; i < cat->skills.n; i++) {
		const lmi_skill_rec *s = &cat->skills.v[i];
		uint32_t p = cat->r.skill_parent[i];
		item(em);
		f_str(em, "id", s->id);
		f_str(em, "label", s->label);
		if (p != LM_NONE)
			f_str(em, "parent", cat->skills.v[p].id);
		f_list(em, "aliases", s->aliases, s->n_aliases);
		item_end(em);
	}
	section_end(em);
}

static void export_experts(emitter *em, const lm_catalog *cat)
{
	if (!cat->experts.n)
		return;
	const lmi_resolved *r = &cat->r;
	section(em, "experts");
	for (size_t i = 0; i < cat->experts.n; i++) {
		const lmi_expert_rec *e = &cat->experts.v[i];
		item(em);
		f_str(em, "id", e->id);
		f_str(em, "name", e->name);
		f_str(em, "garden", cat->gardens.v[r->expert_garden[i]].id);
		if (e->home_is_coords)
			f_coords(em, "home", e->home_lat, e->home_lon);
		else
			f_str(em, "home", cat->places.v[r->expert_home[i]].id);
		key(em, "skills");
		fputc('{', em->fp);
		for (uint32_t k = r->expert_skill_off[i]; k < r->expert_skill_off[i + 1]; k++) {
			if (k > r->expert_skill_off[i])
				fputs(", ", em->fp);
			map_key(em, cat->skills.v[r->expert_skill[k]].id);
			fprintf(em->fp, "%u", (unsigned)r->expert_level[k]);
		}
		fputc('}', em->fp);
		key_end(em);
		if (e->capacity >= 0)
			f_num(em, "capacity", e->capacity);
		if (e->max_travel_km >= 0)
			f_num(em, "max_travel_km", e->max_travel_km);
		if (e->remote >= 0)
			f_bool(em, "remote", e->remote);
		f_list(em, "languages", e->languages, e->n_languages);
		size_t nc = r->expert_conflict_off[i + 1] - r->expert_conflict_off[i];
		if (nc) {
			key(em, "conflicts");
			fputc('[', em->fp);
			for (size_t k = 0; k < nc; k++) {
				if (k)
					fputs(", ", em->fp);
				put_str(em, cat->companies.v[r->expert_conflict[
					r->expert_conflict_off[i] + k]].id);
			}
			fputc(']', em->fp);
			key_end(em);
		}
		item_end(em);
	}
	section_end(em);
}

static void export_companies(emitter *em, const lm_catalog *cat)
{
	if (!cat->companies.n)
		return;
	const lmi_resolved *r = &cat->r;
	section(em, "companies");
	for (size_t i = 0; i < cat->companies.n; i++) {
		const lmi_company_rec *c = &cat->companies.v[i];
		item(em);
		f_str(em, "id", c->id);
		f_str(em, "name", c->name);
		if (c->place_is_coords)
			f_coords(em, "place", c->place_lat, c->place_lon);
		else
			f_str(em, "place", cat->places.v[r->company_place[i]].id);
		if (r->company_garden[i] != LM_NONE)
			f_str(em, "garden", cat->gardens.v[r->company_garden[i]].id);
		item_end(em);
	}
	section_end(em);
}

static void export_needs(emitter *em, const lm_catalog *cat)
{
	if (!cat->needs.n)
		return;
	const lmi_resolved *r = &cat->r;
	section(em, "needs");
	for (size_t i = 0; i < cat->needs.n; i++) {
		const lmi_need_rec *n = &cat->needs.v[i];
		item(em);
		f_str(em, "id", n->id);
		f_str(em, "company", cat->companies.v[r->need_company[i]].id);
		f_str(em, "title", n->title);
		key(em, "skills");
		fputc('{', em->fp);
		for (uint32_t k = r->need_skill_off[i]; k < r->need_skill_off[i + 1]; k++) {
			if (k > r->need_skill_off[i])
				fputs(", ", em->fp);
			map_key(em, cat->skills.v[r->need_skill[k]].id);
			if (r->need_weight[k] == 1.0 && !r->need_optional[k]) {
				fprintf(em->fp, "%u", (unsigned)r->need_level[k]);
				continue;
			}
			bool json = em->fmt == LM_FORMAT_JSON;
			fprintf(em->fp, json ? "{\"level\": %u" : "{level: %u",
			        (unsigned)r->need_level[k]);
			if (r->need_weight[k] != 1.0) {
				fputs(json ? ", \"weight\": " : ", weight: ", em->fp);
				put_num(em, r->need_weight[k]);
			}
			if (r->need_optional[k])
				fputs(json ? ", \"optional\": true" : ", optional: true",
				      em->fp);
			fputc('}', em->fp);
		}
		fputc('}', em->fp);
		key_end(em);
		if (n->mode != LM_ONSITE)
			f_str(em, "mode", lm_mode_name(n->mode));
		if (n->experts != 1)
			f_num(em, "experts", n->experts);
		f_str(em, "language", n->language);
		if (n->max_km > 0)
			f_num(em, "max_km", n->max_km);
		item_end(em);
	}
	section_end(em);
}

static bool export_distances(emitter *em, const lm_catalog *cat)
{
	if (!cat->distances.n)
		return true;
	/* Sorted by the canonical (from, to) ids for a stable order. */
	size_t n = cat->distances.n;
	lm_distance_info *d = lmi_reallocarray(NULL, n, sizeof(*d));
	if (!d)
		return false;
	for (size_t i = 0; i < n; i++) {
		const lm_distance_info *v = lm_catalog_distance(cat, i);
		if (!v) {
			free(d);
			return false;
		}
		d[i] = *v;
	}
	for (size_t i = 1; i < n; i++) { /* insertion sort: tables are small */
		lm_distance_info t = d[i];
		size_t j = i;
		while (j && (strcmp(d[j - 1].from, t.from) > 0 ||
		             (!strcmp(d[j - 1].from, t.from) &&
		              strcmp(d[j - 1].to, t.to) > 0))) {
			d[j] = d[j - 1];
			j--;
		}
		d[j] = t;
	}
	section(em, "distances");
	for (size_t i = 0; i < n; i++) {
		item(em);
		f_str(em, "from", d[i].from);
		f_str(em, "to", d[i].to);
		f_num(em, "km", d[i].km);
		item_end(em);
	}
	section_end(em);
	free(d);
	return true;
}

static void export_engagements(emitter *em, const lm_catalog *cat)
{
	if (!cat->engagements.n)
		return;
	section(em, "engagements");
	for (size_t i = 0; i < cat->engagements.n; i++) {
		const lmi_engagement_rec *e = &cat->engagements.v[i];
		item(em);
		f_str(em, "period", e->period);
		f_str(em, "need", e->need.id);
		f_str(em, "expert", e->expert.id);
		f_num(em, "score", e->score);
		item_end(em);
	}
	section_end(em);
}

int lmi_export(const lm_catalog *cat, lm_format format, FILE *fp, lmi_err *err)
{
	if (format != LM_FORMAT_YAML && format != LM_FORMAT_JSON)
		return lmi_err_set(err, LM_EINVAL, "unknown export format");
	/* Numbers are written in the C locale whatever the caller's is: a
	 * "62,276" would not load back. */
	locale_t c_loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c_loc == (locale_t)0)
		return lmi_err_set(err, LM_ENOMEM, "out of memory");
	locale_t old = uselocale(c_loc);
	emitter em = {fp, format, true, true, true};
	bool ok;
	if (format == LM_FORMAT_JSON)
		fputc('{', fp);
	else
		fprintf(fp, "# libmatch %s export; load with: match load FILE\n",
		        LM_VERSION);
	export_settings(&em, cat);
	export_places(&em, cat);
	export_gardens(&em, cat);
	export_skills(&em, cat);
	export_experts(&em, cat);
	export_companies(&em, cat);
	export_needs(&em, cat);
	ok = export_distances(&em, cat);
	export_engagements(&em, cat);
	if (format == LM_FORMAT_JSON)
		fputs(em.first_section ? "}\n" : "\n}\n", fp);
	uselocale(old);
	freelocale(c_loc);
	if (!ok)
		return lmi_err_set(err, LM_ENOMEM, "out of memory while exporting");
	errno = 0;
	if (fflush(fp) != 0 || ferror(fp))
		return lmi_err_set(err, LM_EIO, "write failed%s%s",
		                  errno ? ": " : "", errno ? strerror(errno) : "");
	return LM_OK;
}

int lm_catalog_export(lm_catalog *cat, lm_format format, FILE *fp)
{
	if (!cat)
		return LM_EINVAL;
	lmi_err_clear(&cat->err);
	if (!fp)
		return lmi_err_set(&cat->err, LM_EINVAL, "no file to write to");
	return lmi_export(cat, format, fp, &cat->err);
}
