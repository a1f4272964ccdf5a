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
 * keeps following the settings.  A record is written field by field in
 * the order of its kind's table (model/fields.h), each by its type.
 */
#include "io/export.h"
#include "model/fields.h"
#include "model/period.h"

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
		if (em->fmt == LM_FORMAT_JSON)
			fprintf(em->fp, "%s\"%s\": ", first ? "" : ", ",
			        lmi_settings[k].key);
		else
			fprintf(em->fp, "  %s: ", lmi_settings[k].key);
		put_num(em, lmi_setting_get(s, k));
		if (em->fmt == LM_FORMAT_YAML)
			fputc('\n', em->fp);
		first = false;
	}
	if (em->fmt == LM_FORMAT_JSON)
		fputc('}', em->fp);
}

/* The skills of record i of kind k (an expert or a need) as a flow
 * mapping, from the resolved layer: an expert's in skill id order, a
 * need's in the order given, with weight and optional where they are not
 * the defaults. */
static void put_levels(emitter *em, const lm_catalog *cat, lm_kind k,
                       size_t i)
{
	const lmi_resolved *r = &cat->r;
	bool need = k == LM_NEED, json = em->fmt == LM_FORMAT_JSON;
	const uint32_t *off = need ? r->need_skill_off : r->expert_skill_off;
	const uint32_t *skill = need ? r->need_skill : r->expert_skill;
	const uint8_t *level = need ? r->need_level : r->expert_level;
	fputc('{', em->fp);
	for (uint32_t j = off[i]; j < off[i + 1]; j++) {
		if (j > off[i])
			fputs(", ", em->fp);
		map_key(em, cat->skills.v[skill[j]].id);
		if (!need || (r->need_weight[j] == 1.0 && !r->need_optional[j])) {
			fprintf(em->fp, "%u", (unsigned)level[j]);
			continue;
		}
		fprintf(em->fp, json ? "{\"level\": %u" : "{level: %u",
		        (unsigned)level[j]);
		if (r->need_weight[j] != 1.0) {
			fputs(json ? ", \"weight\": " : ", weight: ", em->fp);
			put_num(em, r->need_weight[j]);
		}
		if (r->need_optional[j])
			fputs(json ? ", \"optional\": true" : ", optional: true",
			      em->fp);
		fputc('}', em->fp);
	}
	fputc('}', em->fp);
}

/* Expert i's capacity per quarter as a flow mapping, from the resolved
 * layer: in quarter order, each quarter as libmatch writes it. */
static void put_availability(emitter *em, const lm_catalog *cat, size_t i)
{
	const lmi_resolved *r = &cat->r;
	fputc('{', em->fp);
	for (uint32_t j = r->expert_avail_off[i]; j < r->expert_avail_off[i + 1];
	     j++) {
		char q[LMI_PERIOD_SIZE];
		lmi_period_format(r->expert_avail_period[j], q);
		if (j > r->expert_avail_off[i])
			fputs(", ", em->fp);
		map_key(em, q);
		fprintf(em->fp, "%d", r->expert_avail_cap[j]);
	}
	fputc('}', em->fp);
}

/* Field f of record rec (record i of kind kd), when it was given.  A
 * reference is written as the id it resolved to, which the merge left
 * in the record. */
static void put_field(emitter *em, const lm_catalog *cat,
                      const lmi_kind_desc *kd, size_t i, const lmi_field *f,
                      const void *rec)
{
	if (!lmi_field_given(f, rec) && !(f->flags & LMI_F_EXPORT_DEFAULT))
		return;
	switch (f->type) {
	case LMI_T_STR:
	case LMI_T_PERIOD:
	case LMI_T_DATE:
	case LMI_T_TEXT:
		f_str(em, f->key, *LMI_CAT(const char *, rec, f->off));
		return;
	case LMI_T_REF:
		f_str(em, f->key, LMI_CAT(lmi_ref, rec, f->off)->id);
		return;
	case LMI_T_NUM:
	case LMI_T_INT:
		f_num(em, f->key, lmi_field_num(f, rec));
		return;
	case LMI_T_BOOL:
	case LMI_T_FLAG:
		f_bool(em, f->key, lmi_field_num(f, rec) != 0);
		return;
	case LMI_T_ENUM:
		f_str(em, f->key, f->names[(size_t)lmi_field_num(f, rec)]);
		return;
	case LMI_T_LOC:
		if (*LMI_CAT(bool, rec, f->off_coords))
			f_coords(em, f->key, *LMI_CAT(double, rec, f->off_lat),
			         *LMI_CAT(double, rec, f->off_lon));
		else
			f_str(em, f->key, LMI_CAT(lmi_ref, rec, f->off)->id);
		return;
	case LMI_T_STRS:
		f_list(em, f->key, *LMI_CAT(const char **, rec, f->off),
		       *LMI_CAT(uint32_t, rec, f->off_count));
		return;
	case LMI_T_REFS: {
		const lmi_ref *refs = *LMI_CAT(lmi_ref *, rec, f->off);
		key(em, f->key);
		fputc('[', em->fp);
		for (uint32_t k = 0; k < *LMI_CAT(uint32_t, rec, f->off_count);
		     k++) {
			if (k)
				fputs(", ", em->fp);
			put_str(em, refs[k].id);
		}
		fputc(']', em->fp);
		key_end(em);
		return;
	}
	case LMI_T_LEVELS:
		key(em, f->key);
		put_levels(em, cat, kd->kind, i);
		key_end(em);
		return;
	case LMI_T_AVAIL:
		key(em, f->key);
		put_availability(em, cat, i);
		key_end(em);
		return;
	}
}

/* Record rec, record i of kind kd (or a record made for the export). */
static void put_record(emitter *em, const lm_catalog *cat,
                       const lmi_kind_desc *kd, size_t i, const void *rec)
{
	item(em);
	for (size_t f = 0; f < kd->n_fields; f++)
		put_field(em, cat, kd, i, &kd->fields[f], rec);
	item_end(em);
}

/*
 * The engagements, each a record, except that the engagements of a team
 * need (team > 1) in one period are one record with `experts:` (their ids
 * in order), as they were loaded -- when they share their score, which
 * one record can say.  The catalogue holds them in (period, need, expert)
 * order.  False on OOM.
 */
static bool export_engagements(emitter *em, const lm_catalog *cat)
{
	const lmi_kind_desc *kd = &lmi_kinds[LM_ENGAGEMENT];
	const lmi_resolved *r = &cat->r;
	size_t n = cat->engagements.n;
	lmi_ref *team = NULL;
	section(em, kd->plural);
	for (size_t i = 0, j; i < n; i = j) {
		const lmi_engagement_rec *e = &cat->engagements.v[i];
		uint32_t need = r->eng_need[i];
		bool same_score = true;
		for (j = i + 1; j < n && !strcmp(cat->engagements.v[j].period,
		                                 e->period) &&
		                r->eng_need[j] == need; j++)
			same_score &= cat->engagements.v[j].score == e->score;
		if (need == LM_NONE || r->need_team[need] < 2 || !same_score) {
			for (size_t k = i; k < j; k++)
				put_record(em, cat, kd, k, &cat->engagements.v[k]);
			continue;
		}
		lmi_ref *t = lmi_reallocarray(team, j - i, sizeof(*t));
		if (!t) {
			free(team);
			return false;
		}
		team = t;
		lmi_engagement_rec rec = *e;
		rec.expert.id = NULL;
		rec.members = team;
		rec.n_members = (uint32_t)(j - i);
		for (size_t k = i; k < j; k++)
			team[k - i] = cat->engagements.v[k].expert;
		put_record(em, cat, kd, i, &rec);
	}
	section_end(em);
	free(team);
	return true;
}

/* Distances by their (from, to) ids, which the merge made canonical, for
 * a stable order; the others are in the catalogue's (id) order. */
static int cmp_distance(const void *a, const void *b, const lm_catalog *cat)
{
	const lmi_distance_rec *x = &cat->distances.v[*(const uint32_t *)a];
	const lmi_distance_rec *y = &cat->distances.v[*(const uint32_t *)b];
	int d = strcmp(x->from.id, y->from.id);
	return d ? d : strcmp(x->to.id, y->to.id);
}

static bool export_kind(emitter *em, const lm_catalog *cat, lm_kind k)
{
	const lmi_kind_desc *kd = &lmi_kinds[k];
	size_t n = lm_catalog_count(cat, k);
	if (!n)
		return true;
	if (k == LM_ENGAGEMENT)
		return export_engagements(em, cat);
	uint32_t *order = NULL;
	if (k == LM_DISTANCE) {
		order = lmi_reallocarray(NULL, n, sizeof(*order));
		if (!order)
			return false;
		for (size_t i = 0; i < n; i++)
			order[i] = (uint32_t)i;
		for (size_t i = 1; i < n; i++) { /* insertion sort: tables are small */
			uint32_t t = order[i];
			size_t j = i;
			while (j && cmp_distance(&order[j - 1], &t, cat) > 0) {
				order[j] = order[j - 1];
				j--;
			}
			order[j] = t;
		}
	}
	section(em, kd->plural);
	for (size_t i = 0; i < n; i++) {
		size_t at = order ? order[i] : i;
		put_record(em, cat, kd, at, lmi_record_at(cat, k, at));
	}
	section_end(em);
	free(order);
	return true;
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
	ok = true;
	for (int k = 0; k < LMI_KIND_COUNT; k++)
		if (!export_kind(&em, cat, (lm_kind)k))
			ok = false;
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

int lmi_export_record(const lm_catalog *cat, lm_kind k, uint32_t i,
                      char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	FILE *fp = open_memstream(out, len);
	if (!fp)
		return LM_ENOMEM;
	emitter em = {fp, LM_FORMAT_JSON, true, true, true};
	put_record(&em, cat, &lmi_kinds[k], i, lmi_record_at(cat, k, i));
	bool bad = ferror(fp) != 0;
	if (fclose(fp) != 0 || bad || !*out) {
		free(*out);
		*out = NULL;
		return LM_ENOMEM;
	}
	return LM_OK;
}
