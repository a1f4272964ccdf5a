/* SPDX-License-Identifier: MIT */
/*
 * map.c -- `match map`: draws the catalogue as an SVG map.  Places,
 * the gardens, experts (coloured by garden) and companies sit at their
 * real coordinates in an equirectangular projection whose x axis is
 * scaled by cos(mean latitude), so that a kilometre is about as long
 * east-west as north-south.  On top come either one need's best matches
 * (lm_rank_need) with the need's travel reach as a true great-circle
 * circle, or the quarter's plan (lm_plan_compute).  Labels are placed
 * greedily: each tries a handful of positions around its anchor and takes
 * the one that covers least of what is already placed.  Only the public
 * API is used; every text from the profiles is escaped for XML.
 */
#include "map.h"
#include "out.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define KM_PER_DEG (LM_EARTH_RADIUS_KM * M_PI / 180.0)

/* Canvas: title on top, the map on the left, legend and lists right. */
#define CANVAS_W 1150.0
#define CANVAS_H 1350.0
#define MAP_X0 20.0
#define MAP_Y0 84.0
#define MAP_X1 720.0
#define MAP_Y1 1330.0
#define PANEL_X 742.0
#define PANEL_W 390.0
#define FONT "DejaVu Sans, Verdana, Arial, sans-serif"

static const char *const palette[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
	"#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"
};
#define NO_GARDEN_COLOR "#9a9a9a"
#define OPEN_COLOR "#c00000"

typedef struct box {
	double x0, y0, x1, y1;
} box;

typedef struct proj {
	double lat_c, lon_c, coslat, k, cx, cy;
} proj;

enum mk_kind { MK_EXPERT, MK_COMPANY };

/* An expert or a company drawn as a marker.  Items that share a spot
 * are spread on a ring (or a spiral for many) around it. */
typedef struct marker {
	enum mk_kind kind;
	size_t idx;          /* index in the catalogue */
	double bx, by;       /* projected true position */
	double x, y;         /* where it is drawn */
	long kx, ky;         /* rounded position: the grouping key */
	int garden;          /* index of the garden, -1 when none */
	int emph;            /* drawn strong: a match, a plan line end */
	int open;            /* company with an unassigned need */
} marker;

/* A spot where several markers sit, with the radius of their ring. */
typedef struct spot {
	double x, y, r;
} spot;

typedef struct label {
	char *text;          /* owned */
	double ax, ay;       /* anchor */
	double clear;        /* distance kept from the anchor */
	double size;
	int bold;
	const char *color;
	/* result */
	double tx, ty;
	const char *anchor;
	box b;
} label;

typedef struct mapctx {
	lm_catalog *cat;
	FILE *fp;
	proj pj;
	size_t ngardens;
	int *garden_place;       /* per garden: place index or -1 */
	marker *mk;
	size_t nmk;
	size_t *exp_mk, *co_mk;  /* catalogue index -> marker index */
	spot *spots;
	size_t nspots;
	box *obst;               /* marker boxes that labels avoid */
	size_t nobst, capobst;
	label *lb;
	size_t nlb, caplb;
	bool oom;
	bool embed;              /* inline in HTML: the map alone (map_svg_inline) */
} mapctx;

/* ---- text ------------------------------------------------------------------ */

/* Write text escaped for XML 1.0: markup characters as entities,
 * characters XML cannot carry (C0 controls, U+FFFE, U+FFFF) dropped. */
static void xml_text(FILE *fp, const char *s)
{
	out_xml_text(fp, s, false);
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* At most `max` characters of s, with an ellipsis when cut; malloc'd. */
static char *cut(const char *s, size_t max)
{
	if (!s)
		s = "";
	size_t n = 0, i = 0;
	while (s[i]) {
		if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max)
			break;
		i++;
	}
	bool cutoff = s[i] != '\0';
	if (cutoff) {
		/* back up one character to make room for the ellipsis */
		do
			i--;
		while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
	}
	char *r = malloc(i + 4);
	if (!r)
		return NULL;
	memcpy(r, s, i);
	if (cutoff)
		memcpy(r + i, "\xE2\x80\xA6", 4);
	else
		r[i] = '\0';
	return r;
}

static double text_w(const char *s, double size, int bold)
{
	return (double)utf8_len(s) * size * (bold ? 0.66 : 0.6);
}

/* <text> with a white halo so it stays readable over lines. */
static void svg_text(FILE *fp, double x, double y, double size, int bold,
                     const char *color, const char *anchor, const char *s,
                     bool halo)
{
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\"%s fill=\"%s\"",
	        x, y, size, bold ? " font-weight=\"bold\"" : "", color);
	if (anchor && strcmp(anchor, "start"))
		fprintf(fp, " text-anchor=\"%s\"", anchor);
	if (halo)
		fputs(" stroke=\"#ffffff\" stroke-width=\"3.5\" stroke-linejoin=\"round\""
		      " paint-order=\"stroke\"", fp);
	fputc('>', fp);
	xml_text(fp, s);
	fputs("</text>\n", fp);
}

/* ---- geometry --------------------------------------------------------------- */

static void project(const proj *p, double lat, double lon, double *x, double *y)
{
	*x = p->cx + (lon - p->lon_c) * p->coslat * p->k;
	*y = p->cy - (lat - p->lat_c) * p->k;
}

static double overlap(const box *a, const box *b)
{
	double w = fmin(a->x1, b->x1) - fmax(a->x0, b->x0);
	double h = fmin(a->y1, b->y1) - fmax(a->y0, b->y0);
	return w > 0 && h > 0 ? w * h : 0;
}

/* The point `km` great-circle kilometres from (lat, lon) at `bearing`. */
static void destination(double lat, double lon, double km, double bearing,
                        double *olat, double *olon)
{
	double p1 = lat * M_PI / 180, l1 = lon * M_PI / 180, d = km / LM_EARTH_RADIUS_KM;
	double p2 = asin(sin(p1) * cos(d) + cos(p1) * sin(d) * cos(bearing));
	double l2 = l1 + atan2(sin(bearing) * sin(d) * cos(p1),
	                       cos(d) - sin(p1) * sin(p2));
	*olat = p2 * 180 / M_PI;
	*olon = l2 * 180 / M_PI;
}

/* ---- bookkeeping -------------------------------------------------------------- */

static void add_obstacle(mapctx *m, double x, double y, double r)
{
	if (m->nobst == m->capobst) {
		size_t nc = m->capobst ? 2 * m->capobst : 256;
		box *b = realloc(m->obst, nc * sizeof(*b));
		if (!b) {
			m->oom = true;
			return;
		}
		m->obst = b;
		m->capobst = nc;
	}
	m->obst[m->nobst++] = (box){x - r, y - r, x + r, y + r};
}

/* Queue a label; takes ownership of `text`. */
static void add_label(mapctx *m, char *text, double ax, double ay, double clear,
                      double size, int bold, const char *color)
{
	if (!text) {
		m->oom = true;
		return;
	}
	if (m->nlb == m->caplb) {
		size_t nc = m->caplb ? 2 * m->caplb : 64;
		label *l = realloc(m->lb, nc * sizeof(*l));
		if (!l) {
			free(text);
			m->oom = true;
			return;
		}
		m->lb = l;
		m->caplb = nc;
	}
	m->lb[m->nlb++] = (label){text, ax, ay, clear, size, bold, color,
	                          0, 0, "start", {0, 0, 0, 0}};
}

/* Greedy placement, in queue order: each label takes the candidate spot
 * that overlaps least with labels placed before it and with markers. */
static void place_labels(mapctx *m)
{
	static const struct { double dx, dy; } dirs[] = {
		{1, 0}, {-1, 0}, {0, -1}, {0, 1},
		{0.75, -0.75}, {-0.75, -0.75}, {0.75, 0.75}, {-0.75, 0.75},
		{2.2, 0}, {-2.2, 0}
	};
	box frame = {MAP_X0 + 2, MAP_Y0 + 2, MAP_X1 - 2, MAP_Y1 - 2};
	for (size_t i = 0; i < m->nlb; i++) {
		label *l = &m->lb[i];
		double w = text_w(l->text, l->size, l->bold), h = l->size * 1.15;
		double best = INFINITY;
		for (size_t d = 0; d < sizeof(dirs) / sizeof(*dirs); d++) {
			double px = l->ax + dirs[d].dx * l->clear;
			double py = l->ay + dirs[d].dy * l->clear;
			box b;
			const char *anchor;
			if (dirs[d].dx > 0.1) {
				anchor = "start";
				b.x0 = px, b.x1 = px + w;
			} else if (dirs[d].dx < -0.1) {
				anchor = "end";
				b.x0 = px - w, b.x1 = px;
			} else {
				anchor = "middle";
				b.x0 = px - w / 2, b.x1 = px + w / 2;
			}
			if (dirs[d].dy < -0.1)
				b.y1 = py, b.y0 = py - h;
			else if (dirs[d].dy > 0.1)
				b.y0 = py, b.y1 = py + h;
			else
				b.y0 = py - h / 2, b.y1 = py + h / 2;
			double cost = (double)d * 2.0;
			for (size_t j = 0; j < i; j++)
				cost += 4.0 * overlap(&b, &m->lb[j].b);
			for (size_t j = 0; j < m->nobst; j++)
				cost += overlap(&b, &m->obst[j]);
			double inside = overlap(&b, &frame);
			cost += 20.0 * ((b.x1 - b.x0) * (b.y1 - b.y0) - inside);
			if (cost < best) {
				best = cost;
				l->b = b;
				l->anchor = anchor;
				l->tx = !strcmp(anchor, "start") ? b.x0
				      : !strcmp(anchor, "end") ? b.x1 : (b.x0 + b.x1) / 2;
				l->ty = b.y1 - h * 0.25;
			}
		}
	}
}

static int cmp_marker(const void *pa, const void *pb)
{
	const marker *a = pa, *b = pb;
	if (a->kx != b->kx)
		return a->kx < b->kx ? -1 : 1;
	if (a->ky != b->ky)
		return a->ky < b->ky ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Spread markers that share a spot: a ring for a few, a sunflower
 * spiral for many, so none hides another. */
static void spread(mapctx *m)
{
	qsort(m->mk, m->nmk, sizeof(*m->mk), cmp_marker);
	for (size_t i = 0; i < m->nmk;) {
		size_t j = i;
		while (j < m->nmk && m->mk[j].kx == m->mk[i].kx && m->mk[j].ky == m->mk[i].ky)
			j++;
		size_t n = j - i;
		double r = n <= 10 ? fmax(12.0, (double)n * 11.0 / (2 * M_PI)) : 0;
		double rmax = r;
		for (size_t t = 0; t < n; t++) {
			marker *k = &m->mk[i + t];
			double a, rr;
			if (n <= 10) {
				a = -M_PI / 2 + 2 * M_PI * (double)t / (double)n;
				rr = r;
			} else {
				a = (double)t * 2.39996323;
				rr = 12.0 + 5.5 * sqrt((double)t);
			}
			k->x = k->bx + rr * cos(a);
			k->y = k->by + rr * sin(a);
			rmax = fmax(rmax, rr);
		}
		m->spots[m->nspots++] = (spot){m->mk[i].bx, m->mk[i].by, rmax};
		i = j;
	}
	for (size_t i = 0; i < m->nmk; i++) {
		if (m->mk[i].kind == MK_EXPERT)
			m->exp_mk[m->mk[i].idx] = i;
		else
			m->co_mk[m->mk[i].idx] = i;
	}
}

/* The ring radius of markers around a spot, 0 when none are there. */
static double spot_radius(const mapctx *m, double x, double y)
{
	for (size_t i = 0; i < m->nspots; i++)
		if (fabs(m->spots[i].x - x) < 0.75 && fabs(m->spots[i].y - y) < 0.75)
			return m->spots[i].r;
	return 0;
}

static int garden_index(mapctx *m, const char *id)
{
	size_t gi;
	if (!id || lm_catalog_find(m->cat, LM_GARDEN, id, &gi))
		return -1;
	return (int)gi;
}

static const char *garden_color(int g)
{
	return g < 0 ? NO_GARDEN_COLOR : palette[(size_t)g % (sizeof(palette) / sizeof(*palette))];
}

/* ---- drawing pieces -------------------------------------------------------------- */

static void draw_marker(FILE *fp, const marker *k, bool faded)
{
	const char *c = garden_color(k->garden);
	const char *stroke = k->emph ? "#000000" : "#ffffff";
	double sw = k->emph ? 1.6 : 1.0;
	const char *op = faded ? " opacity=\"0.35\"" : "";
	if (k->kind == MK_EXPERT) {
		double r = k->emph ? 6.0 : 4.6;
		fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" "
		            "stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n",
		        k->x, k->y, r, c, stroke, sw, op);
	} else {
		double s = k->emph ? 6.0 : 4.6;
		if (k->open)
			fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" "
			            "stroke=\"" OPEN_COLOR "\" stroke-width=\"2.2\"/>\n",
			        k->x, k->y, s + 4.5);
		fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		            "fill=\"%s\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>\n",
		        k->x - s, k->y - s, 2 * s, 2 * s, c, stroke, sw, op);
	}
}

static void draw_diamond(FILE *fp, double x, double y, double r, const char *fill)
{
	fprintf(fp, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\" "
	            "stroke=\"#ffffff\" stroke-width=\"1.5\"/>\n",
	        x, y - r, x + r, y, x, y + r, x - r, y, fill);
}

static void draw_graticule(mapctx *m)
{
	FILE *fp = m->fp;
	const proj *p = &m->pj;
	double lat_top = p->lat_c + (p->cy - MAP_Y0) / p->k;
	double lat_bot = p->lat_c - (MAP_Y1 - p->cy) / p->k;
	double lon_l = p->lon_c - (p->cx - MAP_X0) / (p->k * p->coslat);
	double lon_r = p->lon_c + (MAP_X1 - p->cx) / (p->k * p->coslat);
	fputs("<g stroke=\"#d6dde4\" stroke-width=\"1\">\n", fp);
	for (double la = ceil(lat_bot * 2) / 2; la <= lat_top; la += 0.5) {
		double x, y;
		project(p, la, lon_l, &x, &y);
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		        MAP_X0, y, MAP_X1, y);
	}
	for (double lo = ceil(lon_l * 2) / 2; lo <= lon_r; lo += 0.5) {
		double x, y;
		project(p, lat_bot, lo, &x, &y);
		fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		        x, MAP_Y0, x, MAP_Y1);
	}
	fputs("</g>\n", fp);
	for (double la = ceil(lat_bot * 2) / 2; la <= lat_top; la += 0.5) {
		double x, y;
		project(p, la, lon_l, &x, &y);
		char buf[32];
		snprintf(buf, sizeof(buf), "%.1f\xC2\xB0N", la);
		svg_text(fp, MAP_X0 + 4, y - 3, 10, 0, "#8a96a3", "start", buf, false);
	}
	for (double lo = ceil(lon_l * 2) / 2; lo <= lon_r; lo += 0.5) {
		double x, y;
		project(p, lat_bot, lo, &x, &y);
		char buf[32];
		snprintf(buf, sizeof(buf), "%.1f\xC2\xB0" "E", lo);
		svg_text(fp, x + 3, MAP_Y1 - 5, 10, 0, "#8a96a3", "start", buf, false);
	}
}

/* The great-circle circle of `km` around a point, as a projected path. */
static void draw_reach(mapctx *m, double lat, double lon, double km)
{
	FILE *fp = m->fp;
	fputs("<path clip-path=\"url(#frame)\" fill=\"#fff3c4\" fill-opacity=\"0.35\" "
	      "stroke=\"#b08800\" stroke-width=\"2\" stroke-dasharray=\"8 5\" d=\"", fp);
	for (int i = 0; i <= 120; i++) {
		double la, lo, x, y;
		destination(lat, lon, km, 2 * M_PI * i / 120, &la, &lo);
		project(&m->pj, la, lo, &x, &y);
		fprintf(fp, "%s%.1f %.1f", i ? "L" : "M", x, y);
	}
	fputs("Z\"/>\n", fp);
}

/* A line from an expert's marker to a company's marker. */
static void draw_link(FILE *fp, const marker *e, const marker *c, double width,
                      bool remote)
{
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	            "stroke=\"%s\" stroke-width=\"%.1f\" stroke-opacity=\"0.8\" "
	            "stroke-linecap=\"round\"%s/>\n",
	        e->x, e->y, c->x, c->y, garden_color(e->garden), width,
	        remote ? " stroke-dasharray=\"7 5\"" : "");
}

/* ---- the panel on the right ------------------------------------------------------- */

typedef struct panel {
	FILE *fp;
	double y;
} panel;

static void panel_line(panel *p, double size, int bold, const char *color,
                       double indent, const char *text, size_t max)
{
	char *s = cut(text, max);
	svg_text(p->fp, PANEL_X + indent, p->y, size, bold, color, "start",
	         s ? s : "", false);
	free(s);
	p->y += size * 1.45;
}

static void panel_legend(mapctx *m, panel *p, bool need_mode, double reach_km,
                         bool remote)
{
	FILE *fp = m->fp;
	panel_line(p, 16, 1, "#222222", 0, "Legend", 60);
	p->y += 2;
	for (size_t g = 0; g < m->ngardens; g++) {
		const lm_garden_info *gi = lm_catalog_garden(m->cat, g);
		if (!gi)
			continue; /* out of memory: the map is only less complete */
		draw_diamond(fp, PANEL_X + 8, p->y - 4.5, 7, garden_color((int)g));
		char *t = out_strf("%s (%s)", gi->name, gi->place);
		panel_line(p, 13, 0, "#222222", 24, t ? t : gi->name, 52);
		free(t);
	}
	fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.6\" fill=\"#555555\"/>\n",
	        PANEL_X + 8, p->y - 4.5);
	panel_line(p, 13, 0, "#222222", 24, "expert, coloured by garden", 52);
	fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"9.2\" height=\"9.2\" "
	            "fill=\"#555555\"/>\n", PANEL_X + 3.4, p->y - 9.1);
	panel_line(p, 13, 0, "#222222", 24, "company, coloured by its garden", 52);
	fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#333333\"/>\n",
	        PANEL_X + 8, p->y - 4.5);
	panel_line(p, 13, 0, "#222222", 24,
	           "place (markers sharing a place ring around it)", 52);
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	            "stroke=\"#555555\" stroke-width=\"3\"/>\n",
	        PANEL_X, p->y - 4.5, PANEL_X + 17, p->y - 4.5);
	panel_line(p, 13, 0, "#222222", 24,
	           need_mode ? "match, expert to company (thicker = better)"
	                     : "engagement, in the expert's garden colour", 52);
	fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	            "stroke=\"#555555\" stroke-width=\"2\" stroke-dasharray=\"7 5\"/>\n",
	        PANEL_X, p->y - 4.5, PANEL_X + 17, p->y - 4.5);
	panel_line(p, 13, 0, "#222222", 24, "remote need (distance does not count)", 52);
	if (!need_mode) {
		fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" fill=\"none\" "
		            "stroke=\"" OPEN_COLOR "\" stroke-width=\"2.2\"/>\n",
		        PANEL_X + 8, p->y - 4.5);
		panel_line(p, 13, 0, "#222222", 24, "company with a need left open", 52);
	} else if (!remote) {
		fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" fill=\"#fff3c4\" "
		            "stroke=\"#b08800\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n",
		        PANEL_X + 8, p->y - 4.5);
		char *t = out_strf("reach: %.0f km great-circle from the company", reach_km);
		panel_line(p, 13, 0, "#222222", 24, t ? t : "reach", 52);
		free(t);
	}
	/* A 50 km scale bar, true at the mean latitude. */
	double len = 50.0 / KM_PER_DEG * m->pj.k;
	p->y += 4;
	fprintf(fp, "<path d=\"M%.1f %.1fv6h%.1fv-6\" fill=\"none\" stroke=\"#222222\" "
	            "stroke-width=\"1.5\"/>\n", PANEL_X, p->y - 10, len);
	svg_text(fp, PANEL_X + len + 8, p->y - 2, 13, 0, "#222222", "start", "50 km",
	         false);
	p->y += 26;
}

/* ---- the map ------------------------------------------------------------------------ */

static void compute_projection(mapctx *m)
{
	lm_catalog *cat = m->cat;
	double la0 = INFINITY, la1 = -INFINITY, lo0 = INFINITY, lo1 = -INFINITY;
#define SEE(lat, lon) do { la0 = fmin(la0, lat); la1 = fmax(la1, lat); \
	lo0 = fmin(lo0, lon); lo1 = fmax(lo1, lon); } while (0)
	for (size_t i = 0; i < lm_catalog_count(cat, LM_PLACE); i++) {
		const lm_place_info *p = lm_catalog_place(cat, i);
		if (p)
			SEE(p->lat, p->lon);
	}
	for (size_t i = 0; i < lm_catalog_count(cat, LM_EXPERT); i++) {
		const lm_expert_info *e = lm_catalog_expert(cat, i);
		if (e)
			SEE(e->lat, e->lon);
	}
	for (size_t i = 0; i < lm_catalog_count(cat, LM_COMPANY); i++) {
		const lm_company_info *c = lm_catalog_company(cat, i);
		if (c)
			SEE(c->lat, c->lon);
	}
#undef SEE
	if (!isfinite(la0)) {
		la0 = la1 = 60.8;
		lo0 = lo1 = 11.5;
	}
	proj *p = &m->pj;
	p->lat_c = (la0 + la1) / 2;
	p->lon_c = (lo0 + lo1) / 2;
	p->coslat = fmax(cos(p->lat_c * M_PI / 180), 0.05);
	double dlat = fmax(la1 - la0, 0.2), dlon = fmax((lo1 - lo0) * p->coslat, 0.2);
	/* Room around the data for rings of markers and labels. */
	double kx = (MAP_X1 - MAP_X0 - 240) / dlon, ky = (MAP_Y1 - MAP_Y0 - 120) / dlat;
	p->k = fmin(kx, ky);
	p->cx = (MAP_X0 + MAP_X1) / 2;
	p->cy = (MAP_Y0 + MAP_Y1) / 2;
}

static int build_markers(mapctx *m)
{
	lm_catalog *cat = m->cat;
	size_t ne = lm_catalog_count(cat, LM_EXPERT), nc = lm_catalog_count(cat, LM_COMPANY);
	m->nmk = ne + nc;
	m->mk = calloc(m->nmk ? m->nmk : 1, sizeof(*m->mk));
	m->spots = calloc(m->nmk ? m->nmk : 1, sizeof(*m->spots));
	m->exp_mk = calloc(ne ? ne : 1, sizeof(*m->exp_mk));
	m->co_mk = calloc(nc ? nc : 1, sizeof(*m->co_mk));
	if (!m->mk || !m->spots || !m->exp_mk || !m->co_mk)
		return LM_ENOMEM;
	for (size_t i = 0; i < ne; i++) {
		const lm_expert_info *e = lm_catalog_expert(cat, i);
		if (!e)
			return LM_ENOMEM;
		marker *k = &m->mk[i];
		k->kind = MK_EXPERT;
		k->idx = i;
		project(&m->pj, e->lat, e->lon, &k->bx, &k->by);
		k->garden = garden_index(m, e->garden);
	}
	for (size_t i = 0; i < nc; i++) {
		const lm_company_info *c = lm_catalog_company(cat, i);
		if (!c)
			return LM_ENOMEM;
		marker *k = &m->mk[ne + i];
		k->kind = MK_COMPANY;
		k->idx = i;
		project(&m->pj, c->lat, c->lon, &k->bx, &k->by);
		k->garden = garden_index(m, c->garden);
	}
	for (size_t i = 0; i < m->nmk; i++) {
		m->mk[i].kx = lround(m->mk[i].bx);
		m->mk[i].ky = lround(m->mk[i].by);
	}
	spread(m);
	return LM_OK;
}

static marker *company_marker(mapctx *m, const char *company)
{
	size_t ci;
	if (!company || lm_catalog_find(m->cat, LM_COMPANY, company, &ci))
		return NULL;
	return &m->mk[m->co_mk[ci]];
}

static marker *expert_marker(mapctx *m, const char *expert)
{
	size_t ei;
	if (!expert || lm_catalog_find(m->cat, LM_EXPERT, expert, &ei))
		return NULL;
	return &m->mk[m->exp_mk[ei]];
}

static bool need_remote(mapctx *m, const char *need)
{
	size_t ni;
	const lm_need_info *n;
	return need && !lm_catalog_find(m->cat, LM_NEED, need, &ni) &&
	       (n = lm_catalog_need(m->cat, ni)) && n->mode == LM_REMOTE;
}

/* Place i of the catalogue and where it stands on the map (*x, *y);
 * NULL, and *x, *y untouched, when it cannot be read. */
static const lm_place_info *place_xy(mapctx *m, size_t i, double *x, double *y)
{
	const lm_place_info *p = lm_catalog_place(m->cat, i);
	if (p)
		project(&m->pj, p->lat, p->lon, x, y);
	return p;
}

/* Places, gardens and their labels (queued, placed later). */
static void queue_place_labels(mapctx *m)
{
	lm_catalog *cat = m->cat;
	for (size_t g = 0; g < m->ngardens; g++) {
		int pi = m->garden_place[g];
		if (pi < 0)
			continue;
		double x, y;
		const lm_place_info *p = place_xy(m, (size_t)pi, &x, &y);
		const lm_garden_info *gi = lm_catalog_garden(cat, g);
		if (!p || !gi)
			continue;
		double r = spot_radius(m, x, y);
		add_label(m, out_strf("%s", gi->name), x, y, (r ? r : 8) + 9, 14, 1,
		          garden_color((int)g));
	}
	for (size_t i = 0; i < lm_catalog_count(cat, LM_PLACE); i++) {
		double x, y;
		const lm_place_info *p = place_xy(m, i, &x, &y);
		if (!p)
			continue;
		double r = spot_radius(m, x, y);
		add_label(m, out_strf("%s", p->name), x, y, (r ? r : 3) + 6, 12, 0, "#333333");
	}
}

static void draw_places(mapctx *m)
{
	lm_catalog *cat = m->cat;
	for (size_t i = 0; i < lm_catalog_count(cat, LM_PLACE); i++) {
		double x, y;
		const lm_place_info *p = place_xy(m, i, &x, &y);
		if (!p)
			continue;
		int g = -1;
		for (size_t j = 0; j < m->ngardens; j++)
			if (m->garden_place[j] == (int)i)
				g = (int)j;
		if (g >= 0)
			draw_diamond(m->fp, x, y, 8, garden_color(g));
		else
			fprintf(m->fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
			               "fill=\"#333333\"/>\n", x, y);
		add_obstacle(m, x, y, g >= 0 ? 8 : 3);
	}
}

static void draw_labels(mapctx *m)
{
	place_labels(m);
	for (size_t i = 0; i < m->nlb; i++) {
		const label *l = &m->lb[i];
		svg_text(m->fp, l->tx, l->ty, l->size, l->bold, l->color, l->anchor,
		         l->text, true);
	}
}

static void header(mapctx *m, const char *title, const char *subtitle)
{
	FILE *fp = m->fp;
	/* Inline in HTML5 the SVG needs no declaration and no namespace,
	 * and shows the map without the panel on its right. */
	double w = m->embed ? MAP_X1 + MAP_X0 : CANVAS_W;
	if (m->embed)
		fprintf(fp, "<svg class=\"map\" width=\"%.0f\" height=\"%.0f\" "
		            "viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\" role=\"img\">\n",
		        w, CANVAS_H, w, CANVAS_H, FONT);
	else
		fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
		            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\">\n",
		        CANVAS_W, CANVAS_H, CANVAS_W, CANVAS_H, FONT);
	fputs("<title>", fp);
	xml_text(fp, title);
	fputs("</title>\n", fp);
	fprintf(fp, "<defs><clipPath id=\"frame\"><rect x=\"%.1f\" y=\"%.1f\" "
	            "width=\"%.1f\" height=\"%.1f\"/></clipPath></defs>\n",
	        MAP_X0, MAP_Y0, MAP_X1 - MAP_X0, MAP_Y1 - MAP_Y0);
	fprintf(fp, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n",
	        w, CANVAS_H);
	fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
	            "fill=\"#f4f7fa\" stroke=\"#b8c2cc\"/>\n",
	        MAP_X0, MAP_Y0, MAP_X1 - MAP_X0, MAP_Y1 - MAP_Y0);
	char *t = cut(title, 80), *s = cut(subtitle, 130);
	svg_text(fp, MAP_X0, 36, 22, 1, "#111111", "start", t ? t : "", false);
	svg_text(fp, MAP_X0, 64, 14, 0, "#444444", "start", s ? s : "", false);
	free(t);
	free(s);
	draw_graticule(m);
}

static void footer(mapctx *m)
{
	if (m->embed) {
		fputs("</svg>\n", m->fp);
		return;
	}
	char buf[160];
	snprintf(buf, sizeof(buf), "Equirectangular projection, east-west scaled by "
	         "cos %.1f\xC2\xB0; drawn by match %s", m->pj.lat_c, lm_version());
	svg_text(m->fp, MAP_X0 + 4, MAP_Y0 + 16, 10, 0, "#6b7785", "start", buf, false);
	fputs("</svg>\n", m->fp);
}

/* Experts and companies, faded unless emphasised when `fade` is set. */
static void draw_markers(mapctx *m, bool fade)
{
	for (size_t i = 0; i < m->nmk; i++)
		if (!m->mk[i].emph)
			draw_marker(m->fp, &m->mk[i], fade);
	for (size_t i = 0; i < m->nmk; i++)
		if (m->mk[i].emph)
			draw_marker(m->fp, &m->mk[i], false);
}

static void obstacles_from_markers(mapctx *m)
{
	for (size_t i = 0; i < m->nmk; i++)
		add_obstacle(m, m->mk[i].x, m->mk[i].y, m->mk[i].emph ? 7 : 5);
}

/* What a need's map shows: the need, its company, the reach around it
 * and the ranking. */
typedef struct need_view {
	const lm_need_info *need; /* views owned by the catalogue */
	size_t ci;              /* the company's index */
	const lm_company_info *co;
	const lm_settings *st;
	double reach;           /* road km an expert may travel */
	bool remote;
	lm_ranking *rk;         /* owned */
} need_view;

/* Rank the need's best `k` experts and look up its company; the reach is
 * the settings' limit, tightened by the need's and the command line's. */
static int need_view_read(mapctx *m, const char *need_id, size_t k,
                          const lm_match_options *opts, need_view *v)
{
	lm_catalog *cat = m->cat;
	size_t ni;
	int rc = lm_catalog_find(cat, LM_NEED, need_id, &ni);
	if (rc)
		return rc;
	if (!(v->need = lm_catalog_need(cat, ni)))
		return LM_ENOMEM;
	lm_match_options o = LM_MATCH_OPTIONS_INIT;
	if (opts)
		o = *opts;
	o.k = k;
	rc = lm_rank_need(cat, v->need->id, &o, &v->rk);
	if (rc)
		return rc;
	rc = lm_catalog_find(cat, LM_COMPANY, v->need->company, &v->ci);
	if (rc)
		return rc;
	if (!(v->co = lm_catalog_company(cat, v->ci)))
		return LM_ENOMEM;
	v->st = lm_catalog_settings(cat);
	v->reach = v->st->max_travel_km;
	if (v->need->max_km > 0)
		v->reach = fmin(v->reach, v->need->max_km);
	if (o.max_km > 0)
		v->reach = fmin(v->reach, o.max_km);
	v->remote = v->need->mode == LM_REMOTE;
	return LM_OK;
}

/* header() with a title and subtitle from out_strf, which it frees:
 * LM_ENOMEM, and nothing written, when either is NULL. */
static int header_owned(mapctx *m, char *title, char *sub)
{
	int rc = title && sub ? LM_OK : LM_ENOMEM;
	if (!rc)
		header(m, title, sub);
	free(title), free(sub);
	return rc;
}

/* The title and subtitle of a need's map: what, for whom, where. */
static int need_header(mapctx *m, const need_view *v)
{
	const lm_need_info *need = v->need;
	const lm_company_info *co = v->co;
	char *title = out_strf("Best experts for %s", need->id);
	const char *place_name = co->place;
	size_t pi;
	const lm_place_info *pl;
	if (co->place && !lm_catalog_find(m->cat, LM_PLACE, co->place, &pi) &&
	    (pl = lm_catalog_place(m->cat, pi)))
		place_name = pl->name;
	char *sub = out_strf("%s%s%s, %s (%s need, %zu of %zu feasible experts shown)",
	                need->title ? need->title : "", need->title ? " \xE2\x80\x94 " : "",
	                co->name, place_name ? place_name : "?",
	                lm_mode_name(need->mode), lm_ranking_count(v->rk),
	                lm_ranking_feasible(v->rk));
	return header_owned(m, title, sub);
}

/* The map of a need: the reach around the company (unless remote), the
 * matches with lines to the company (thicker = better), and labels. */
static void need_map(mapctx *m, const need_view *v)
{
	size_t n = lm_ranking_count(v->rk);
	marker *cm = &m->mk[m->co_mk[v->ci]];
	cm->emph = 1;
	if (!v->remote) {
		/* road_factor turns great-circle km into road km: undo it. */
		double gc = v->st->road_factor > 0 ? v->reach / v->st->road_factor
		                                   : v->reach;
		draw_reach(m, v->co->lat, v->co->lon, gc);
	}
	fputs("<g clip-path=\"url(#frame)\">\n", m->fp);
	for (size_t i = n; i-- > 0;) {
		const lm_match *mt = lm_ranking_get(v->rk, i);
		marker *em = &m->mk[m->exp_mk[mt->expert]];
		em->emph = 1;
		double w = 1.5 + 4.5 * (double)(n - i) / (double)n;
		draw_link(m->fp, em, cm, w, v->remote);
	}
	draw_places(m);
	draw_markers(m, true);
	fputs("</g>\n", m->fp);
	obstacles_from_markers(m);

	add_label(m, out_strf("%s", v->co->name), cm->x, cm->y, 10, 14, 1, "#000000");
	for (size_t i = 0; i < n; i++) {
		const lm_match *mt = lm_ranking_get(v->rk, i);
		marker *em = &m->mk[m->exp_mk[mt->expert]];
		add_label(m, out_strf("%zu. %s", i + 1, mt->expert_name), em->x, em->y, 9,
		          13, 1, garden_color(em->garden));
	}
	queue_place_labels(m);
	draw_labels(m);
}

/* The panel of a need's map: the legend, then the matches best first. */
static void need_panel(mapctx *m, const need_view *v)
{
	size_t n = lm_ranking_count(v->rk);
	panel p = {m->fp, MAP_Y0 + 14};
	panel_legend(m, &p, true, v->reach, v->remote);
	panel_line(&p, 16, 1, "#222222", 0, "Best matches", 60);
	p.y += 2;
	if (!n)
		panel_line(&p, 13, 0, "#222222", 0,
		           "no feasible expert (see match explain)", 52);
	for (size_t i = 0; i < n; i++) {
		const lm_match *mt = lm_ranking_get(v->rk, i);
		marker *em = &m->mk[m->exp_mk[mt->expert]];
		char *a = out_strf("%zu. %s (%s)", i + 1, mt->expert_name, mt->garden);
		char *b = out_strf("score %.2f, %.0f km, %.0f min, %d left", mt->score,
		              mt->distance_km, mt->travel_minutes, mt->capacity_left);
		fprintf(m->fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>\n",
		        PANEL_X + 6, p.y - 4.5, garden_color(em->garden));
		panel_line(&p, 13, 1, "#222222", 18, a ? a : "?", 46);
		panel_line(&p, 12, 0, "#444444", 18, b ? b : "?", 52);
		free(a), free(b);
	}
}

/* One need's best `k` experts around its company. */
static int map_need(mapctx *m, const char *need_id, size_t k,
                    const lm_match_options *opts)
{
	need_view v;
	memset(&v, 0, sizeof(v));
	int rc = need_view_read(m, need_id, k, opts, &v);
	if (!rc)
		rc = need_header(m, &v);
	if (!rc) {
		need_map(m, &v);
		need_panel(m, &v);
		footer(m);
		rc = m->oom ? LM_ENOMEM : LM_OK;
	}
	lm_ranking_free(v.rk);
	return rc;
}

/* The title and subtitle of the plan's map: the period and its totals. */
static int plan_header(mapctx *m, const lm_plan *plan)
{
	size_t na = lm_plan_assignment_count(plan), nu = lm_plan_unassigned_count(plan);
	size_t ne = lm_catalog_count(m->cat, LM_EXPERT),
	       nc = lm_catalog_count(m->cat, LM_COMPANY);
	for (size_t i = 0, nt = lm_plan_team_count(plan); i < nt; i++)
		na += lm_plan_team(plan, i)->n_members; /* engagements, too */
	char *title = out_strf("The quarter's plan, %s", lm_plan_period(plan));
	char *sub = out_strf("%zu engagement%s, total score %.2f, %zu need%s left open; "
	                "%zu expert%s and %zu compan%s",
	                na, na == 1 ? "" : "s", lm_plan_total_score(plan), nu,
	                nu == 1 ? "" : "s", ne, ne == 1 ? "" : "s",
	                nc, nc == 1 ? "y" : "ies");
	return header_owned(m, title, sub);
}

/* The plan on the map: companies with a need left open ringed, a line
 * from each expert to the company of each engagement, a team's members
 * each with a line of their own. */
static void plan_map(mapctx *m, const lm_plan *plan)
{
	size_t na = lm_plan_assignment_count(plan), nu = lm_plan_unassigned_count(plan);
	for (size_t i = 0; i < nu; i++) {
		const lm_unassigned *u = lm_plan_unassigned(plan, i);
		size_t ni;
		const lm_need_info *n;
		if (!lm_catalog_find(m->cat, LM_NEED, u->need, &ni) &&
		    (n = lm_catalog_need(m->cat, ni))) {
			marker *cm = company_marker(m, n->company);
			if (cm)
				cm->open = 1;
		}
	}
	fputs("<g clip-path=\"url(#frame)\">\n", m->fp);
	for (size_t i = 0; i < na; i++) {
		const lm_assignment *s = lm_plan_assignment(plan, i);
		marker *em = expert_marker(m, s->expert), *cm = company_marker(m, s->company);
		if (!em || !cm)
			continue;
		em->emph = cm->emph = 0;
		draw_link(m->fp, em, cm, 1.2 + 2.4 * s->score / 100.0,
		          need_remote(m, s->need));
	}
	for (size_t i = 0, nt = lm_plan_team_count(plan); i < nt; i++) {
		const lm_team_assignment *t = lm_plan_team(plan, i);
		marker *cm = company_marker(m, t->company);
		for (size_t j = 0; cm && j < t->n_members; j++) {
			marker *em = expert_marker(m, lm_plan_team_member(plan, i, j)->expert);
			if (!em)
				continue;
			em->emph = cm->emph = 0;
			draw_link(m->fp, em, cm, 1.2 + 2.4 * t->score / 100.0,
			          need_remote(m, t->need));
		}
	}
	draw_places(m);
	draw_markers(m, false);
	fputs("</g>\n", m->fp);
	obstacles_from_markers(m);
	queue_place_labels(m);
	draw_labels(m);
}

/* The cooperation report in the panel: what each garden gives, gives to
 * the others, and receives. */
static void plan_panel_gardens(mapctx *m, panel *p, const lm_plan *plan)
{
	panel_line(p, 16, 1, "#222222", 0, "Sharing across gardens", 60);
	p->y += 2;
	svg_text(m->fp, PANEL_X + 18, p->y, 12, 1, "#444444", "start", "garden", false);
	svg_text(m->fp, PANEL_X + 200, p->y, 12, 1, "#444444", "end", "gives", false);
	svg_text(m->fp, PANEL_X + 278, p->y, 12, 1, "#444444", "end", "to others", false);
	svg_text(m->fp, PANEL_X + 350, p->y, 12, 1, "#444444", "end", "receives", false);
	p->y += 12 * 1.45;
	for (size_t i = 0; i < lm_plan_garden_count(plan); i++) {
		const lm_garden_report *g = lm_plan_garden(plan, i);
		int gi = garden_index(m, g->garden);
		fprintf(m->fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>\n",
		        PANEL_X + 6, p->y - 4.5, garden_color(gi));
		svg_text(m->fp, PANEL_X + 18, p->y, 13, 0, "#222222", "start", g->garden,
		         false);
		char buf[96];
		snprintf(buf, sizeof(buf), "%d", g->engagements);
		svg_text(m->fp, PANEL_X + 200, p->y, 13, 0, "#222222", "end", buf, false);
		snprintf(buf, sizeof(buf), "%d", g->cross_garden);
		svg_text(m->fp, PANEL_X + 278, p->y, 13, 0, "#222222", "end", buf, false);
		snprintf(buf, sizeof(buf), "%d", g->received);
		svg_text(m->fp, PANEL_X + 350, p->y, 13, 0, "#222222", "end", buf, false);
		p->y += 13 * 1.45;
	}
}

/* The needs left open in the panel, the first 20 with their reason. */
static void plan_panel_open(panel *p, const lm_plan *plan)
{
	size_t nu = lm_plan_unassigned_count(plan);
	p->y += 14;
	panel_line(p, 16, 1, "#222222", 0, "Needs left open", 60);
	p->y += 2;
	if (!nu)
		panel_line(p, 13, 0, "#222222", 0, "none", 52);
	for (size_t i = 0; i < nu && i < 20; i++) {
		const lm_unassigned *u = lm_plan_unassigned(plan, i);
		char *a = out_strf("%s (%d missing)", u->need, u->missing);
		panel_line(p, 13, 1, OPEN_COLOR, 0, a ? a : u->need, 52);
		panel_line(p, 12, 0, "#444444", 18, u->reason, 52);
		free(a);
	}
	if (nu > 20) {
		char *a = out_strf("\xE2\x80\xA6 and %zu more (match assign)", nu - 20);
		panel_line(p, 12, 0, "#444444", 0, a ? a : "", 52);
		free(a);
	}
}

/* The quarter's plan, computed now, on the map. */
static int map_plan(mapctx *m, const lm_match_options *opts)
{
	lm_plan *plan = NULL;
	int rc = lm_plan_compute(m->cat, NULL, 0, opts, &plan);
	if (rc)
		return rc;
	rc = plan_header(m, plan);
	if (!rc) {
		plan_map(m, plan);
		panel p = {m->fp, MAP_Y0 + 14};
		panel_legend(m, &p, false, 0, false);
		plan_panel_gardens(m, &p, plan);
		plan_panel_open(&p, plan);
		footer(m);
		rc = m->oom ? LM_ENOMEM : LM_OK;
	}
	lm_plan_free(plan);
	return rc;
}

/* The context of one drawing: gardens' places, projection, markers. */
static int map_init(mapctx *m, lm_catalog *cat, FILE *fp)
{
	memset(m, 0, sizeof(*m));
	m->cat = cat;
	m->fp = fp;
	m->ngardens = lm_catalog_count(cat, LM_GARDEN);
	m->garden_place = calloc(m->ngardens ? m->ngardens : 1, sizeof(int));
	if (!m->garden_place)
		return LM_ENOMEM;
	for (size_t g = 0; g < m->ngardens; g++) {
		const lm_garden_info *gi = lm_catalog_garden(cat, g);
		size_t pi;
		if (!gi)
			return LM_ENOMEM;
		m->garden_place[g] = lm_catalog_find(cat, LM_PLACE, gi->place, &pi) ? -1 : (int)pi;
	}
	compute_projection(m);
	return build_markers(m);
}

static void map_done(mapctx *m)
{
	for (size_t i = 0; i < m->nlb; i++)
		free(m->lb[i].text);
	free(m->lb);
	free(m->obst);
	free(m->spots);
	free(m->mk);
	free(m->exp_mk);
	free(m->co_mk);
	free(m->garden_place);
}

int map_svg(lm_catalog *cat, const map_request *req, FILE *fp)
{
	mapctx m;
	int rc = map_init(&m, cat, fp);
	if (!rc)
		rc = req->need ? map_need(&m, req->need, req->k, req->opts)
		               : map_plan(&m, req->opts);
	map_done(&m);
	return rc;
}

int map_svg_inline(lm_catalog *cat, const map_view *v, FILE *fp)
{
	mapctx m;
	int rc = map_init(&m, cat, fp);
	m.embed = true;
	if (!rc) {
		header(&m, v->title, v->subtitle);
		for (size_t i = 0; i < v->nopen; i++) {
			size_t ni;
			const lm_need_info *n;
			if (!lm_catalog_find(cat, LM_NEED, v->open_needs[i], &ni) &&
			    (n = lm_catalog_need(cat, ni))) {
				marker *cm = company_marker(&m, n->company);
				if (cm)
					cm->open = 1;
			}
		}
		fputs("<g clip-path=\"url(#frame)\">\n", fp);
		for (size_t i = 0; i < v->nlinks; i++) {
			const map_link *l = &v->links[i];
			marker *em = expert_marker(&m, l->expert);
			marker *cm = company_marker(&m, l->company);
			if (em && cm)
				draw_link(fp, em, cm, 1.2 + 2.4 * l->score / 100.0,
				          need_remote(&m, l->need));
		}
		draw_places(&m);
		draw_markers(&m, false);
		fputs("</g>\n", fp);
		obstacles_from_markers(&m);
		queue_place_labels(&m);
		draw_labels(&m);
		footer(&m);
		rc = m.oom ? LM_ENOMEM : LM_OK;
	}
	map_done(&m);
	return rc;
}

const char *map_garden_color(int garden)
{
	return garden_color(garden);
}

typedef struct map_job {
	lm_catalog *cat;
	const map_request *req;
} map_job;

static int write_map(void *job, FILE *fp)
{
	const map_job *m = job;
	return map_svg(m->cat, m->req, fp);
}

int map_svg_file(lm_catalog *cat, const map_request *req, const char *path,
                 int *sys_errno)
{
	map_job job = {cat, req};
	return out_write_file(path, write_map, &job, sys_errno);
}
