/* SPDX-License-Identifier: MIT */
/*
 * image.c -- the engine image (image.h): build it from a merged catalogue;
 * open it on another catalogue and load the parts a ranking needs.
 */
#include "io/image.h"

#include "engine/score.h"

#include <stdlib.h>
#include <string.h>

#define IMAGE_MAGIC "LMIMAGE"
/* 4: retired and availability (schema 4); an older image is not opened,
 * and the load or upgrade that made the database version 4 wrote a new
 * one. */
#define IMAGE_VERSION 4u
#define BYTE_ORDER_MARK 0x01020304u
/* Type sizes the layout depends on, packed into one word. */
#define TYPE_SIZES ((uint32_t)(sizeof(double) | sizeof(int) << 8))

enum {
	F_REMOTE = 1, F_COORDS = 2, F_MAXKM = 4, F_CAPACITY = 8, F_RETIRED = 16,
	F_AVAIL = 32
};

/* The quarters an image may hold (model/period.h: 1900-Q1..9999-Q4). */
#define QUARTER_MIN (1900u * 4)
#define QUARTER_MAX (9999u * 4 + 3)

typedef struct img_hdr {
	char magic[8];
	uint32_t version, byte_order, type_sizes;
	uint32_t n_places, n_gardens, n_skills, n_experts;
	uint32_t skill_width;  /* bytes per skill index in a record */
	uint64_t fingerprint;
	uint64_t len_records;
} img_hdr;

/* ---- fingerprint ------------------------------------------------------ */

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n--) {
		h ^= *s++;
		h *= FNV_PRIME;
	}
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

/* What the image's indices and defaults depend on besides the experts
 * (conflicts name companies by id: a ranking reads only its need's). */
/* SQLite stores a REAL -0.0 as 0 and reads 0.0 back: the same number for
 * the image and the rows. */
static double plus_zero(double v)
{
	return v == 0.0 ? 0.0 : v;
}

static uint64_t fnv_double(uint64_t h, double v)
{
	v = plus_zero(v);
	return fnv(h, &v, sizeof v);
}

static uint64_t fingerprint(const lm_catalog *cat)
{
	uint64_t h = FNV_OFFSET;

	for (size_t i = 0; i < cat->places.n; i++) {
		h = fnv_str(h, cat->places.v[i].id);
		h = fnv_double(h, cat->r.place_lat[i]);
		h = fnv_double(h, cat->r.place_lon[i]);
	}
	for (size_t i = 0; i < cat->gardens.n; i++)
		h = fnv_str(h, cat->gardens.v[i].id);
	for (size_t i = 0; i < cat->skills.n; i++)
		h = fnv_str(h, cat->skills.v[i].id);
	h = fnv_double(h, cat->eff.max_travel_km);
	h = fnv(h, &cat->eff.default_capacity, sizeof(int));
	return h;
}

static uint32_t skill_width(size_t n_skills)
{
	return n_skills <= 0xff ? 1 : n_skills <= 0xffff ? 2 : 4;
}

/* ---- writing into a buffer ---------------------------------------------- */

static void put_u8(lmi_buf *b, uint8_t v)
{
	lmi_buf_put(b, &v, 1);
}

static void put_varint(lmi_buf *b, uint32_t v)
{
	while (v >= 0x80) {
		put_u8(b, (uint8_t)(v | 0x80));
		v >>= 7;
	}
	put_u8(b, (uint8_t)v);
}

static void put_str(lmi_buf *b, const char *s)
{
	lmi_buf_put(b, s, strlen(s) + 1);
}

/* ---- build -------------------------------------------------------------- */

static void put_record(const lm_catalog *cat, size_t e, uint32_t width,
                       lmi_buf *b)
{
	const lmi_resolved *r = &cat->r;
	uint32_t s0 = r->expert_skill_off[e], s1 = r->expert_skill_off[e + 1];
	uint32_t c0 = r->expert_conflict_off[e];
	uint32_t c1 = r->expert_conflict_off[e + 1];
	uint32_t l0 = r->expert_lang_off[e], l1 = r->expert_lang_off[e + 1];
	uint32_t home = r->expert_home[e];
	double lat = plus_zero(r->expert_lat[e]), lon = plus_zero(r->expert_lon[e]);
	double max_km = plus_zero(r->expert_max_km[e]);
	double dflt = plus_zero(cat->eff.max_travel_km);
	uint8_t flags = 0;

	if (r->expert_remote[e])
		flags |= F_REMOTE;
	if (home == LM_NONE)
		flags |= F_COORDS;
	/* The effective values; the defaults are not repeated. */
	if (memcmp(&max_km, &dflt, sizeof(double)) != 0)
		flags |= F_MAXKM;
	if (r->expert_capacity[e] != cat->eff.default_capacity)
		flags |= F_CAPACITY;
	if (r->expert_retired[e])
		flags |= F_RETIRED;
	uint32_t a0 = r->expert_avail_off[e], a1 = r->expert_avail_off[e + 1];
	if (a1 > a0)
		flags |= F_AVAIL;
	put_u8(b, flags);
	if (flags & F_COORDS) {
		lmi_buf_put(b, &lat, sizeof(double));
		lmi_buf_put(b, &lon, sizeof(double));
	} else {
		lmi_buf_put(b, &home, 4);
	}
	lmi_buf_put(b, &r->expert_garden[e], 4);
	if (flags & F_MAXKM)
		lmi_buf_put(b, &max_km, sizeof(double));
	if (flags & F_CAPACITY)
		lmi_buf_put(b, &r->expert_capacity[e], sizeof(int));
	if (flags & F_AVAIL) {
		put_varint(b, a1 - a0);
		for (uint32_t k = a0; k < a1; k++) {
			lmi_buf_put(b, &r->expert_avail_period[k], 4);
			lmi_buf_put(b, &r->expert_avail_cap[k], sizeof(int));
		}
	}
	put_varint(b, s1 - s0);
	for (uint32_t k = s0; k < s1; k++)
		lmi_buf_put(b, &r->expert_skill[k], width); /* little end first */
	lmi_buf_put(b, r->expert_level + s0, s1 - s0);
	put_varint(b, c1 - c0);
	for (uint32_t k = c0; k < c1; k++)
		put_str(b, cat->companies.v[r->expert_conflict[k]].id);
	put_varint(b, l1 - l0);
	for (uint32_t k = l0; k < l1; k++)
		put_str(b, r->expert_lang[k]);
	put_str(b, cat->experts.v[e].id);
	put_str(b, cat->experts.v[e].name);
}

void lmi_image_parts_free(lmi_image_parts *p)
{
	for (size_t i = 0; p->data && i < p->n; i++)
		free(p->data[i]);
	free(p->data);
	free(p->len);
	memset(p, 0, sizeof *p);
}

int lmi_image_build(lm_catalog *cat, lmi_image_parts *out)
{
	return lmi_image_build_until(cat, NULL, out);
}

static bool stopped(const atomic_bool *stop)
{
	return stop && atomic_load_explicit(stop, memory_order_relaxed);
}

int lmi_image_build_until(lm_catalog *cat, const atomic_bool *stop,
                         lmi_image_parts *out)
{
	const struct lmi_cand_index *ix;
	size_t n = cat->experts.n, ns = cat->skills.n;
	lmi_buf head = {0}, recs = {0};
	uint32_t width = skill_width(ns);
	img_hdr h;
	int rc = LM_ENOMEM;

	memset(out, 0, sizeof *out);
	/* skill_width writes the low bytes of a uint32. */
	if (*(const uint8_t *)&(uint32_t){1} != 1)
		return LM_ERROR;
	if (stopped(stop))
		return LM_ECANCELED;
	if (lmi_cand_index_ensure(cat) != LM_OK)
		return LM_ENOMEM;
	ix = lmi_cand_of(cat);
	if (n >= UINT32_MAX)
		return LM_ERROR;

	memset(&h, 0, sizeof h);
	memcpy(h.magic, IMAGE_MAGIC, sizeof IMAGE_MAGIC);
	h.version = IMAGE_VERSION;
	h.byte_order = BYTE_ORDER_MARK;
	h.type_sizes = TYPE_SIZES;
	h.n_places = (uint32_t)cat->places.n;
	h.n_gardens = (uint32_t)cat->gardens.n;
	h.n_skills = (uint32_t)ns;
	h.n_experts = (uint32_t)n;
	h.skill_width = width;
	h.fingerprint = fingerprint(cat);
	lmi_buf_put(&head, &h, sizeof h);
	lmi_buf_put(&head, ix->off, (ns + 1) * 4);
	for (size_t e = 0; e < n && !recs.oom; e++) {
		uint32_t at = (uint32_t)recs.n;

		if (recs.n > UINT32_MAX || (e % 4096 == 0 && stopped(stop))) {
			rc = recs.n > UINT32_MAX ? LM_ERROR : LM_ECANCELED;
			goto fail;
		}
		lmi_buf_put(&head, &at, 4);
		put_record(cat, e, width, &recs);
	}
	if (recs.n > UINT32_MAX) {
		rc = LM_ERROR;
		goto fail;
	}
	lmi_buf_put(&head, &(uint32_t){(uint32_t)recs.n}, 4);
	if (head.oom || recs.oom)
		goto fail;
	((img_hdr *)(void *)head.v)->len_records = recs.n;

	out->n = LM_IMAGE_POSTINGS(ns);
	out->data = calloc(out->n, sizeof *out->data);
	out->len = calloc(out->n, sizeof *out->len);
	if (!out->data || !out->len)
		goto fail;
	out->data[0] = head.v, out->len[0] = head.n;
	out->data[1] = recs.v, out->len[1] = recs.n;
	head.v = recs.v = NULL;
	for (size_t s = 0; s < ns; s++) {
		uint32_t a = ix->off[s], c = ix->off[s + 1] - a;
		lmi_buf p = {0};

		lmi_buf_put(&p, ix->expert + a, 4 * (size_t)c);
		lmi_buf_put(&p, ix->level + a, c);
		lmi_buf_put(&p, ix->lat + a, sizeof(double) * (size_t)c);
		if (p.oom) {
			free(p.v);
			goto fail;
		}
		out->data[LM_IMAGE_POSTINGS(s)] = p.v;
		out->len[LM_IMAGE_POSTINGS(s)] = p.n;
	}
	return LM_OK;
fail:
	free(head.v);
	free(recs.v);
	lmi_image_parts_free(out);
	if (rc == LM_ENOMEM)
		lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	return rc;
}

/* ---- open and load ------------------------------------------------------ */

struct lmi_image {
	img_hdr h;
	lmi_image_reader rd;   /* rd.read NULL: closed */
	uint32_t *post_off;   /* S + 1, as stored */
	uint32_t *rec_off;    /* N + 1 */
	bool postings_done, experts_done;
	char *recs;           /* the loaded records (strings point here) */
};

void lmi_image_free(struct lmi_image *im)
{
	if (!im)
		return;
	free(im->post_off);
	free(im->rec_off);
	free(im->recs);
	free(im);
}

static void image_free_slot(void *im)
{
	lmi_image_free(im);
}

/* The image the catalogue's experts come from, or NULL. */
static struct lmi_image *image_of(const lm_catalog *cat)
{
	return (struct lmi_image *)cat->r.image.obj;
}

uint32_t lmi_image_expert_total(const lm_catalog *cat)
{
	return image_of(cat) ? image_of(cat)->h.n_experts : 0;
}

static void close_reader(lm_catalog *cat)
{
	if (image_of(cat))
		memset(&image_of(cat)->rd, 0, sizeof image_of(cat)->rd);
}

static int read_part(struct lmi_image *im, size_t part, void *dst,
                     uint64_t offset, uint64_t n)
{
	if (!im->rd.read)
		return LM_ERROR;
	if (!n)
		return LM_OK;
	return im->rd.read(im->rd.ctx, part, dst, (size_t)n, offset);
}

/* off[0..n] starts at 0, never decreases and ends at `total`. */
static bool csr_ok(const uint32_t *off, size_t n, uint64_t total)
{
	if (off[0] != 0 || off[n] != total)
		return false;
	for (size_t i = 0; i < n; i++)
		if (off[i] > off[i + 1])
			return false;
	return true;
}

/* The size of a part; -1 when closed or missing. */
static int64_t part_size(const struct lmi_image *im, size_t part)
{
	return im->rd.size ? im->rd.size(im->rd.ctx, part) : -1;
}

static int image_open(lm_catalog *cat, const lmi_image_reader *rd)
{
	lmi_resolved *r = &cat->r;
	struct lmi_image *im = NULL;
	uint64_t n, ns, head;
	int rc;

	if (cat->experts.n || cat->engagements.n || r->image.obj || r->cand.obj)
		return LM_ERROR;
	im = calloc(1, sizeof *im);
	if (!im)
		goto oom;
	im->rd = *rd;
	rc = read_part(im, 0, &im->h, 0, sizeof im->h);
	if (rc != LM_OK)
		goto fail;
	rc = LM_ERROR;
	n = im->h.n_experts;
	ns = im->h.n_skills;
	head = sizeof im->h + (ns + 1) * 4 + (n + 1) * 4;
	/* The counts must match the parts before anything is sized by
	 * them. */
	if (memcmp(im->h.magic, IMAGE_MAGIC, sizeof IMAGE_MAGIC) != 0 ||
	    im->h.version != IMAGE_VERSION ||
	    im->h.byte_order != BYTE_ORDER_MARK ||
	    im->h.type_sizes != TYPE_SIZES ||
	    n >= UINT32_MAX || ns != cat->skills.n ||
	    part_size(im, 0) != (int64_t)head ||
	    part_size(im, 1) != (int64_t)im->h.len_records ||
	    im->h.skill_width != skill_width(cat->skills.n) ||
	    im->h.len_records > UINT32_MAX ||
	    im->h.n_places != cat->places.n ||
	    im->h.n_gardens != cat->gardens.n ||
	    im->h.fingerprint != fingerprint(cat))
		goto fail;
	im->post_off = malloc((ns + 1) * sizeof *im->post_off);
	im->rec_off = malloc((n + 1) * sizeof *im->rec_off);
	if (!im->post_off || !im->rec_off)
		goto oom;
	if ((rc = read_part(im, 0, im->post_off, sizeof im->h,
	                    (ns + 1) * 4)) != LM_OK ||
	    (rc = read_part(im, 0, im->rec_off, sizeof im->h + (ns + 1) * 4,
	                    (n + 1) * 4)) != LM_OK)
		goto fail;
	rc = LM_ERROR;
	/* The index's total is only known from the offsets themselves;
	 * the parts' sizes confirm each skill's count when it is loaded. */
	if (!csr_ok(im->rec_off, n, im->h.len_records) ||
	    !csr_ok(im->post_off, ns, im->post_off[ns]))
		goto fail;

	/* N experts for lmi_candidates, which reads only the index and the
	 * count; no records and no expert arrays until they are loaded. */
	cat->experts.n = n;
	lmi_slot_set(&r->image, im, image_free_slot);
	return LM_OK;
oom:
	rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
fail:
	lmi_image_free(im);
	return rc;
}

static int load_postings(lm_catalog *cat, const bool *want)
{
	struct lmi_image *im = image_of(cat);
	struct lmi_cand_index *ix;
	uint32_t ns, total = 0;
	int rc;

	if (!im || im->postings_done || im->experts_done || lmi_cand_of(cat))
		return LM_ERROR;
	im->postings_done = true;
	ns = im->h.n_skills;
	/* An index of the wanted skills only: the others are empty, which
	 * is all lmi_candidates sees of skills unrelated to the need. */
	ix = calloc(1, sizeof *ix);
	if (!ix)
		return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	ix->n_skills = ns;
	ix->off = malloc(((size_t)ns + 1) * sizeof *ix->off);
	if (!ix->off)
		goto oom;
	for (uint32_t s = 0; s < ns; s++) {
		ix->off[s] = total;
		if (want[s])
			total += im->post_off[s + 1] - im->post_off[s];
	}
	ix->off[ns] = total;
	/* Each wanted part holds exactly its entries. */
	for (uint32_t s = 0; s < ns; s++)
		if (want[s] &&
		    part_size(im, LM_IMAGE_POSTINGS(s)) !=
		        (int64_t)(ix->off[s + 1] - ix->off[s]) *
		            (4 + 1 + (int64_t)sizeof(double))) {
			lmi_cand_index_free(ix);
			return LM_ERROR;
		}
	ix->expert = lmi_reallocarray(NULL, total ? total : 1, sizeof *ix->expert);
	ix->level = malloc(total ? total : 1);
	ix->lat = lmi_reallocarray(NULL, total ? total : 1, sizeof *ix->lat);
	if (!ix->expert || !ix->level || !ix->lat)
		goto oom;
	lmi_cand_index_set(cat, ix);
	for (uint32_t s = 0; s < ns; s++) {
		uint32_t a = ix->off[s], c = ix->off[s + 1] - a;
		size_t part = LM_IMAGE_POSTINGS(s);

		if (!c)
			continue;
		if ((rc = read_part(im, part, ix->expert + a, 0,
		                    4 * (uint64_t)c)) != LM_OK ||
		    (rc = read_part(im, part, ix->level + a, 4 * (uint64_t)c,
		                    c)) != LM_OK ||
		    (rc = read_part(im, part, ix->lat + a, 5 * (uint64_t)c,
		                    sizeof(double) * (uint64_t)c)) != LM_OK)
			return rc;
		for (uint32_t k = a; k < a + c; k++) {
			uint8_t lv = ix->level[k] & LM_CAND_LEVEL;

			if (ix->expert[k] >= im->h.n_experts || lv < 1 || lv > 5)
				return LM_ERROR;
		}
	}
	return LM_OK;
oom:
	lmi_cand_index_free(ix);
	return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
}

/* ---- records -------------------------------------------------------------- */

/* A cursor over one record. */
typedef struct cur {
	const char *p, *end;
	bool bad;
} cur;

static const char *take(cur *c, size_t n)
{
	const char *p = c->p;

	if (c->bad || n > (size_t)(c->end - c->p)) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	return p;
}

static uint32_t take_u32(cur *c)
{
	uint32_t v = 0;
	const char *p = take(c, 4);

	if (p)
		memcpy(&v, p, 4);
	return v;
}

static double take_double(cur *c)
{
	double v = 0.0;
	const char *p = take(c, sizeof v);

	if (p)
		memcpy(&v, p, sizeof v);
	return v;
}

static uint32_t take_varint(cur *c)
{
	uint32_t v = 0;

	for (int shift = 0; shift < 35; shift += 7) {
		const char *p = take(c, 1);
		uint8_t b;

		if (!p)
			return 0;
		b = (uint8_t)*p;
		if (shift == 28 && b > 0x0f)
			break; /* more than 32 bits */
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	c->bad = true;
	return 0;
}

static const char *take_str(cur *c)
{
	const char *z;

	if (c->bad || c->p >= c->end ||
	    !(z = memchr(c->p, '\0', (size_t)(c->end - c->p)))) {
		c->bad = true;
		return NULL;
	}
	return take(c, (size_t)(z - c->p) + 1);
}

/* A record decoded; with `r` and `i` its values also go to the arrays
 * (the lists at the offsets already set for i). */
typedef struct dec {
	uint32_t n_skill, n_confl, n_lang, n_avail;
} dec;

/* The capacities per quarter of a record (flag F_AVAIL): ascending
 * quarters of the years libmatch reads, capacities 0..1000. */
static bool decode_avail(cur *c, lmi_resolved *r, size_t i, dec *d)
{
	d->n_avail = take_varint(c);
	/* Each takes 8 bytes: a count beyond the record's is damage. */
	if (d->n_avail == 0 || d->n_avail > (size_t)(c->end - c->p) / 8)
		return false;
	for (uint32_t j = 0, prev = 0; j < d->n_avail; j++) {
		uint32_t q = take_u32(c);
		int32_t cap = (int32_t)take_u32(c);
		if (c->bad || q < QUARTER_MIN || q > QUARTER_MAX ||
		    (j && q <= prev) || cap < 0 || cap > 1000)
			return false;
		prev = q;
		if (r) {
			r->expert_avail_period[r->expert_avail_off[i] + j] = q;
			r->expert_avail_cap[r->expert_avail_off[i] + j] = cap;
		}
	}
	return true;
}

static bool decode(const lm_catalog *cat, const struct lmi_image *im, cur *c,
                   lmi_resolved *r, size_t i, lmi_expert_rec *rec, dec *d)
{
	const img_hdr *h = &im->h;
	uint32_t width = h->skill_width;
	const char *p = take(c, 1);
	uint8_t flags = p ? (uint8_t)*p : 0xff;
	uint32_t home = LM_NONE, garden;
	double lat = 0.0, lon = 0.0, max_km = cat->eff.max_travel_km;
	int32_t capacity = cat->eff.default_capacity;

	if (flags & ~(F_REMOTE | F_COORDS | F_MAXKM | F_CAPACITY | F_RETIRED |
	              F_AVAIL))
		return false;
	if (flags & F_COORDS) {
		lat = take_double(c);
		lon = take_double(c);
	} else {
		home = take_u32(c);
		if (home >= h->n_places)
			return false;
		lat = cat->r.place_lat[home];
		lon = cat->r.place_lon[home];
	}
	garden = take_u32(c);
	if (flags & F_MAXKM)
		max_km = take_double(c);
	if (flags & F_CAPACITY)
		capacity = (int32_t)take_u32(c);
	/* The values the schema's CHECKs allow in the rows, no others: the
	 * engine counts on them (a capacity of INT_MIN would overflow). */
	if (c->bad || garden >= h->n_gardens || capacity < 0 ||
	    !(max_km >= 0.0) || !(lat >= -90.0 && lat <= 90.0) ||
	    !(lon >= -180.0 && lon <= 180.0))
		return false;
	d->n_avail = 0;
	if ((flags & F_AVAIL) && !decode_avail(c, r, i, d))
		return false;
	if (r) {
		r->expert_lat[i] = lat;
		r->expert_lon[i] = lon;
		r->expert_home[i] = home;
		r->expert_garden[i] = garden;
		r->expert_max_km[i] = max_km;
		r->expert_capacity[i] = capacity;
		r->expert_remote[i] = flags & F_REMOTE;
		r->expert_retired[i] = (flags & F_RETIRED) != 0;
	}

	d->n_skill = take_varint(c);
	/* Each skill takes width + 1 bytes: a count beyond the record's
	 * bytes is damage (and width * count must not wrap a 32-bit
	 * size_t). */
	if (d->n_skill > (size_t)(c->end - c->p))
		return false;
	const char *sk = take(c, (size_t)width * d->n_skill);
	const char *lv = take(c, d->n_skill);
	if (c->bad)
		return false;
	for (uint32_t j = 0, prev = 0; j < d->n_skill; j++) {
		uint32_t s = 0;

		memcpy(&s, sk + (size_t)width * j, width);
		if (s >= h->n_skills || (j && s <= prev) || lv[j] < 1 ||
		    lv[j] > 5)
			return false;
		prev = s;
		if (r) {
			r->expert_skill[r->expert_skill_off[i] + j] = s;
			r->expert_level[r->expert_skill_off[i] + j] =
				(uint8_t)lv[j];
		}
	}
	/* Conflicts with the catalogue's companies; the others cannot
	 * matter to its needs. */
	uint32_t nc = take_varint(c);
	d->n_confl = 0;
	for (uint32_t j = 0; j < nc; j++) {
		const char *co = take_str(c);
		uint32_t k;

		if (!co)
			return false;
		for (k = 0; k < cat->companies.n; k++)
			if (strcmp(cat->companies.v[k].id, co) == 0)
				break;
		if (k == cat->companies.n)
			continue;
		if (r)
			r->expert_conflict[r->expert_conflict_off[i] +
			                   d->n_confl] = k;
		d->n_confl++;
	}
	d->n_lang = take_varint(c);
	for (uint32_t j = 0; j < d->n_lang; j++) {
		const char *s = take_str(c);

		if (!s)
			return false;
		if (r)
			r->expert_lang[r->expert_lang_off[i] + j] = s;
	}
	const char *id = take_str(c);
	const char *name = take_str(c);
	if (!id || !name || c->p != c->end)
		return false;
	if (rec) {
		rec->id = id;
		rec->name = name;
	}
	return true;
}

/* The resolved expert arrays, sized for m experts. */
static int alloc_experts(lm_catalog *cat, size_t m, uint64_t nsk,
                         uint64_t ncf, uint64_t nl, uint64_t nav)
{
	lmi_resolved *r = &cat->r;
	size_t one = m ? m : 1;

	free(cat->experts.v);
	cat->experts.v = calloc(one, sizeof *cat->experts.v);
	cat->experts.cap = cat->experts.v ? one : 0;
	lmi_resolved_experts_free(r);
	r->expert_garden = lmi_reallocarray(NULL, one, sizeof *r->expert_garden);
	r->expert_home = lmi_reallocarray(NULL, one, sizeof *r->expert_home);
	r->expert_lat = lmi_reallocarray(NULL, one, sizeof *r->expert_lat);
	r->expert_lon = lmi_reallocarray(NULL, one, sizeof *r->expert_lon);
	r->expert_max_km = lmi_reallocarray(NULL, one, sizeof *r->expert_max_km);
	r->expert_capacity = lmi_reallocarray(NULL, one, sizeof *r->expert_capacity);
	r->expert_remote = lmi_reallocarray(NULL, one, sizeof *r->expert_remote);
	r->expert_skill_off = lmi_reallocarray(NULL, m + 1,
	                                      sizeof *r->expert_skill_off);
	r->expert_conflict_off = lmi_reallocarray(NULL, m + 1,
	                                         sizeof *r->expert_conflict_off);
	r->expert_lang_off = lmi_reallocarray(NULL, m + 1,
	                                     sizeof *r->expert_lang_off);
	r->expert_skill = lmi_reallocarray(NULL, nsk ? nsk : 1,
	                                  sizeof *r->expert_skill);
	r->expert_level = malloc(nsk ? (size_t)nsk : 1);
	r->expert_conflict = lmi_reallocarray(NULL, ncf ? ncf : 1,
	                                     sizeof *r->expert_conflict);
	r->expert_lang = lmi_reallocarray(NULL, nl ? nl : 1,
	                                 sizeof *r->expert_lang);
	r->expert_retired = lmi_reallocarray(NULL, one, sizeof *r->expert_retired);
	r->expert_avail_off = lmi_reallocarray(NULL, m + 1,
	                                      sizeof *r->expert_avail_off);
	r->expert_avail_period = lmi_reallocarray(NULL, nav ? nav : 1,
	                                         sizeof *r->expert_avail_period);
	r->expert_avail_cap = lmi_reallocarray(NULL, nav ? nav : 1,
	                                      sizeof *r->expert_avail_cap);
	if (!cat->experts.v || !r->expert_garden || !r->expert_home ||
	    !r->expert_lat || !r->expert_lon || !r->expert_max_km ||
	    !r->expert_capacity || !r->expert_remote ||
	    !r->expert_skill_off || !r->expert_conflict_off ||
	    !r->expert_lang_off || !r->expert_skill || !r->expert_level ||
	    !r->expert_conflict || !r->expert_lang || !r->expert_retired ||
	    !r->expert_avail_off || !r->expert_avail_period ||
	    !r->expert_avail_cap)
		return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	return LM_OK;
}

/* Records less than this far apart are read together, with what lies
 * between them: a read costs about as much as copying a few kB. */
#define READ_GAP 4096

/* Read the records of list[0..n) into im->recs, one after the other. */
static int read_records(struct lmi_image *im, const uint32_t *list, size_t n)
{
	const uint32_t *off = im->rec_off;
	char *span = NULL;
	size_t span_cap = 0, at = 0;
	int rc = LM_OK;

	for (size_t i = 0; rc == LM_OK && i < n;) {
		size_t j = i + 1;

		while (j < n && off[list[j]] - off[list[j - 1] + 1] <= READ_GAP)
			j++;
		uint32_t a = off[list[i]], b = off[list[j - 1] + 1];
		if (j == i + 1 || b - a == 0) {
			rc = read_part(im, 1, im->recs + at, a, b - a);
			at += b - a;
			i = j;
			continue;
		}
		if (b - a > span_cap) {
			char *t = realloc(span, b - a);

			if (!t) {
				rc = LM_ENOMEM;
				break;
			}
			span = t;
			span_cap = b - a;
		}
		rc = read_part(im, 1, span, a, b - a);
		for (; rc == LM_OK && i < j; i++) {
			uint32_t len = off[list[i] + 1] - off[list[i]];

			memcpy(im->recs + at, span + (off[list[i]] - a), len);
			at += len;
		}
		i = j;
	}
	free(span);
	return rc;
}

static int load_experts(lm_catalog *cat, const uint32_t *list, size_t n)
{
	struct lmi_image *im = image_of(cat);
	lmi_resolved *r = &cat->r;
	uint64_t bytes = 0, nsk = 0, ncf = 0, nl = 0, nav = 0, at = 0;
	dec *d = NULL;
	size_t ne;
	int rc = LM_OK;

	if (!im || im->experts_done)
		return LM_ERROR;
	im->experts_done = true;
	ne = im->h.n_experts;
	for (size_t i = 0; i < n; i++) {
		if (list[i] >= ne || (i && list[i] <= list[i - 1]))
			return LM_ERROR;
		bytes += im->rec_off[list[i] + 1] - im->rec_off[list[i]];
	}
	im->recs = malloc(bytes ? (size_t)bytes : 1);
	d = lmi_reallocarray(NULL, n ? n : 1, sizeof *d);
	if (!im->recs || !d) {
		free(d);
		return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	}
	if (n == ne)
		/* Every expert: one read of the whole part. */
		rc = read_part(im, 1, im->recs, 0, bytes);
	else
		rc = read_records(im, list, n);
	if (rc != LM_OK)
		goto done;

	/* Check every record and size the lists. */
	at = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t len = im->rec_off[list[i] + 1] - im->rec_off[list[i]];
		cur c = {im->recs + at, im->recs + at + len, false};

		if (!decode(cat, im, &c, NULL, 0, NULL, &d[i])) {
			rc = LM_ERROR;
			goto done;
		}
		nsk += d[i].n_skill;
		ncf += d[i].n_confl;
		nl += d[i].n_lang;
		nav += d[i].n_avail;
		at += len;
	}
	if (nsk > UINT32_MAX || ncf > UINT32_MAX || nl > UINT32_MAX ||
	    nav > UINT32_MAX) {
		rc = LM_ERROR;
		goto done;
	}

	/* From here on the catalogue holds exactly these experts, as
	 * indices 0..n-1 in the same order. */
	lmi_cand_index_set(cat, NULL);
	cat->experts.n = 0;
	rc = alloc_experts(cat, n, nsk, ncf, nl, nav);
	if (rc != LM_OK)
		goto done;
	uint32_t ks = 0, kc = 0, kl = 0, ka = 0;
	at = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t len = im->rec_off[list[i] + 1] - im->rec_off[list[i]];
		cur c = {im->recs + at, im->recs + at + len, false};

		r->expert_skill_off[i] = ks;
		r->expert_conflict_off[i] = kc;
		r->expert_lang_off[i] = kl;
		r->expert_avail_off[i] = ka;
		decode(cat, im, &c, r, i, &cat->experts.v[i], &d[i]);
		ks += d[i].n_skill;
		kc += d[i].n_confl;
		kl += d[i].n_lang;
		ka += d[i].n_avail;
		at += len;
	}
	r->expert_skill_off[n] = ks;
	r->expert_conflict_off[n] = kc;
	r->expert_lang_off[n] = kl;
	r->expert_avail_off[n] = ka;
	cat->experts.n = n;
done:
	free(d);
	return rc;
}

/* ---- for one need ---------------------------------------------------------- */

int lmi_image_load_for(lm_catalog *cat, const lm_query *query,
                      const lm_match_options *opts,
                      const lmi_image_reader *rd, uint32_t **list, size_t *n)
{
	lmi_scorer *sc = NULL;
	lmi_need_view nv;
	bool *want = NULL;
	const uint32_t *cand = NULL;
	size_t ncand = 0, ne, m;
	int rc;

	memset(&nv, 0, sizeof nv);
	*list = NULL;
	*n = 0;
	if (query ? cat->needs.n != 0 : cat->needs.n != 1)
		return LM_ERROR;
	rc = image_open(cat, rd);
	if (rc == LM_OK)
		rc = lmi_scorer_view_new(cat, opts, 0, query, &sc, &nv);
	if (rc == LM_OK && !(want = calloc(cat->skills.n + 1, sizeof *want)))
		rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	if (rc == LM_OK) {
		lmi_candidates_skills(sc, &nv, want);
		rc = load_postings(cat, want);
	}
	if (rc == LM_OK)
		rc = lmi_candidates(sc, &nv, &cand, &ncand);
	ne = cat->experts.n;
	m = cand ? ncand : ne;
	if (rc == LM_OK &&
	    !(*list = lmi_reallocarray(NULL, m ? m : 1, sizeof **list)))
		rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	if (rc == LM_OK) {
		for (size_t i = 0; i < m; i++)
			(*list)[i] = cand ? cand[i] : (uint32_t)i;
		*n = m;
		rc = load_experts(cat, *list, m);
	}
	free(want);
	lmi_scorer_view_free(sc, &nv);
	close_reader(cat);
	if (rc != LM_OK) {
		free(*list);
		*list = NULL;
		*n = 0;
	}
	return rc;
}

int lmi_image_load_expert(lm_catalog *cat, const lmi_image_reader *rd,
                         const char *id, uint32_t *index)
{
	struct lmi_image *im;
	size_t lo, hi;
	char *rec_buf = NULL;
	size_t cap = 0;
	int rc;

	*index = LM_NONE;
	if (!id)
		return LM_ERROR;
	rc = image_open(cat, rd);
	if (rc != LM_OK)
		return rc;
	im = image_of(cat);
	/* Records are in id order: a binary search, one record a probe. */
	lo = 0;
	hi = im->h.n_experts;
	while (rc == LM_OK && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t len = im->rec_off[mid + 1] - im->rec_off[mid];
		lmi_expert_rec rec = {0};
		dec d;

		if (len > cap) {
			char *t = realloc(rec_buf, len);

			if (!t) {
				rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
				break;
			}
			rec_buf = t;
			cap = len;
		}
		rc = read_part(im, 1, rec_buf, im->rec_off[mid], len);
		if (rc != LM_OK)
			break;
		cur c = {rec_buf, rec_buf + len, false};
		if (!decode(cat, im, &c, NULL, 0, &rec, &d)) {
			rc = LM_ERROR;
			break;
		}
		int cmp = strcmp(rec.id, id);
		if (cmp == 0) {
			*index = (uint32_t)mid;
			break;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	free(rec_buf);
	if (rc == LM_OK && *index == LM_NONE)
		rc = LM_ENOTFOUND;
	if (rc == LM_OK)
		rc = load_experts(cat, index, 1);
	/* Found by its id, as lm_catalog_find looks first. */
	if (rc == LM_OK &&
	    lmi_map_put(&cat->ids[LM_EXPERT], cat->experts.v[0].id, 0) != LM_OK)
		rc = lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
	close_reader(cat);
	return rc;
}

/* The index of a loaded expert by id (they are in id order), or LM_NONE. */
static uint32_t find_loaded(const lm_catalog *cat, const char *id)
{
	size_t lo = 0, hi = cat->experts.n;

	while (id && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cat->experts.v[mid].id, id);

		if (c == 0)
			return (uint32_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return LM_NONE;
}

int lmi_image_add_engagement(lm_catalog *cat, const char *period,
                            const char *need, const char *expert)
{
	lmi_resolved *r = &cat->r;
	uint32_t e = find_loaded(cat, expert);
	size_t i = cat->engagements.n;
	lmi_engagement_rec *rec;

	if (!r->image.obj || !period || !need || cat->needs.n > 1)
		return LM_ERROR;
	if (e == LM_NONE)
		return LM_OK; /* not an expert this ranking can show */
	/* The arrays one longer each time (a ranking reads a period's
	 * engagements once; realloc grows in place as a rule). */
	if (!LMI_RESIZE(r->eng_need, i + 1) || !LMI_RESIZE(r->eng_expert, i + 1))
		goto oom;
	rec = LM_VEC_PUSH(cat->engagements);
	if (!rec)
		goto oom;
	/* One period string for all of them. */
	rec->period = i && strcmp(cat->engagements.v[i - 1].period, period) == 0
		? cat->engagements.v[i - 1].period
		: lmi_arena_strdup(&cat->arena, period);
	rec->need.id = lmi_arena_strdup(&cat->arena, need);
	rec->expert.id = cat->experts.v[e].id;
	if (!rec->period || !rec->need.id) {
		cat->engagements.n = i;
		goto oom;
	}
	r->eng_need[i] = cat->needs.n && strcmp(need, cat->needs.v[0].id) == 0
		? 0 : LM_NONE;
	r->eng_expert[i] = e;
	return LM_OK;
oom:
	return lmi_err_set(&cat->err, LM_ENOMEM, "out of memory");
}
