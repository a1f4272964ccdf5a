/* SPDX-License-Identifier: MIT */
/*
 * report_chart.c -- the two drawings of `match report`, as inline SVG
 * for its HTML5 page (no namespace, nothing outside): the flow of
 * engagements from the experts' gardens to the companies' gardens (bands
 * as wide as their number, in the expert's garden's colour, as on the
 * map), and the engagements of every quarter with engagements, as bars.
 */
#include "report.h"
#include "map.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define T(nb, en) (r->english ? (en) : (nb))

#define FLOW_W 620.0
#define FLOW_H 300.0
#define FLOW_TOP 28.0
#define FLOW_X0 222.0 /* right edge of the left nodes */
#define FLOW_X1 398.0 /* left edge of the right nodes */
#define NODE_W 12.0
#define NODE_GAP 12.0

static void svg_label(FILE *fp, double x, double y, const char *anchor,
                      const char *s, size_t n, bool english, bool bold)
{
	char num[32];
	rep_num(num, sizeof(num), (double)n, 0, english);
	fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"12\"%s>",
	        x, y, anchor, bold ? " font-weight=\"bold\"" : "");
	rep_text(fp, s);
	fprintf(fp, " %s</text>\n", num);
}

/* Node positions: each garden (and "no garden", index ngardens) gets a
 * height in proportion to its total, in order, with gaps between. */
static void stack(const report *r, const size_t *tot, double scale, double gap,
                  double *y)
{
	double at = FLOW_TOP;
	for (size_t g = 0; g <= r->ngardens; g++) {
		y[g] = at;
		if (tot[g])
			at += (double)tot[g] * scale + gap;
	}
}

/* The flow's geometry: per garden (and "no garden" last) its engagements
 * out and in, and where its nodes start on the left and on the right. */
typedef struct flow_geo {
	size_t *out, *in;
	double *yl, *yr;
	double scale, gap;
} flow_geo;

/* One band per pair of gardens, stacked within each node in order. */
static void flow_bands(const report *r, FILE *fp, const flow_geo *g)
{
	size_t w = r->ngardens + 1;
	double xm = (FLOW_X0 + FLOW_X1) / 2;
	for (size_t f = 0; f < w; f++)
		for (size_t t = 0; t < w; t++) {
			size_t n = r->flow[f * w + t];
			if (!n)
				continue;
			double h = (double)n * g->scale, a0 = g->yl[f], b0 = g->yr[t];
			fprintf(fp, "<path d=\"M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f"
			            "L%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1fZ\" fill=\"%s\" "
			            "fill-opacity=\"0.55\"><title>",
			        FLOW_X0, a0, xm, a0, xm, b0, FLOW_X1, b0,
			        FLOW_X1, b0 + h, xm, b0 + h, xm, a0 + h, FLOW_X0, a0 + h,
			        map_garden_color(f < r->ngardens ? (int)f : -1));
			rep_text(fp, rep_garden_name(r, f < r->ngardens ? (int)f : -1));
			fputs(" \xE2\x86\x92 ", fp);
			rep_text(fp, rep_garden_name(r, t < r->ngardens ? (int)t : -1));
			fprintf(fp, ": %zu</title></path>\n", n);
			/* The next band of either node starts below this one. */
			g->yl[f] += h, g->yr[t] += h;
		}
}

/* The nodes with their names and totals, from the starts in `g`. */
static void flow_nodes(const report *r, FILE *fp, const flow_geo *g)
{
	for (size_t i = 0; i <= r->ngardens; i++) {
		int gi = i < r->ngardens ? (int)i : -1;
		const char *c = map_garden_color(gi), *name = rep_garden_name(r, gi);
		if (g->out[i]) {
			double h = (double)g->out[i] * g->scale;
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			            "fill=\"%s\"/>\n", FLOW_X0 - NODE_W, g->yl[i], NODE_W, h, c);
			svg_label(fp, FLOW_X0 - NODE_W - 5, g->yl[i] + h / 2 + 4, "end", name,
			          g->out[i], r->english, true);
		}
		if (g->in[i]) {
			double h = (double)g->in[i] * g->scale;
			fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			            "fill=\"%s\"/>\n", FLOW_X1, g->yr[i], NODE_W, h, c);
			svg_label(fp, FLOW_X1 + NODE_W + 5, g->yr[i] + h / 2 + 4, "start", name,
			          g->in[i], r->english, false);
		}
	}
}

void rep_flow_svg(const report *r, FILE *fp)
{
	size_t w = r->ngardens + 1, used = 0;
	flow_geo g = {calloc(w, sizeof(size_t)), calloc(w, sizeof(size_t)),
	              calloc(w, sizeof(double)), calloc(w, sizeof(double)), 0, 0};
	fprintf(fp, "<svg class=\"flow\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	            "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" role=\"img\">\n"
	            "<title>%s</title>\n",
	        FLOW_W, FLOW_H, FLOW_W, FLOW_H, T("Hvem hjalp hvem", "Who helped whom"));
	fprintf(fp, "<text x=\"%.1f\" y=\"14\" font-size=\"12\" text-anchor=\"end\" "
	            "fill=\"#5b6876\">%s</text><text x=\"%.1f\" y=\"14\" font-size=\"12\" "
	            "fill=\"#5b6876\">%s</text>\n",
	        FLOW_X0 + NODE_W, T("eksperter fra", "experts from"), FLOW_X1 - NODE_W,
	        T("bedrifter i", "companies in"));
	if (!g.out || !g.in || !g.yl || !g.yr || !r->neng) {
		/* Out of memory only leaves the drawing out: the table says it. */
		fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"13\" text-anchor=\"middle\">"
		            "%s</text>\n", FLOW_W / 2, FLOW_H / 2,
		        r->neng ? "\xE2\x80\xA6" : T("ingen oppdrag", "no engagements"));
	} else {
		for (size_t f = 0; f < w; f++)
			for (size_t t = 0; t < w; t++)
				g.out[f] += r->flow[f * w + t], g.in[t] += r->flow[f * w + t];
		for (size_t i = 0; i < w; i++)
			used += g.out[i] ? 1 : 0;
		/* Gaps take at most a third of the height, however many
		 * gardens there are. */
		double room = FLOW_H - FLOW_TOP - 8;
		size_t ngaps = used > 4 ? used - 1 : 3;
		g.gap = fmin(NODE_GAP, room / 3 / (double)ngaps);
		g.scale = (room - g.gap * (double)ngaps) / (double)r->neng;
		stack(r, g.out, g.scale, g.gap, g.yl);
		stack(r, g.in, g.scale, g.gap, g.yr);
		flow_bands(r, fp, &g);
		stack(r, g.out, g.scale, g.gap, g.yl);
		stack(r, g.in, g.scale, g.gap, g.yr);
		flow_nodes(r, fp, &g);
	}
	fputs("</svg>\n", fp);
	free(g.out), free(g.in), free(g.yl), free(g.yr);
}

#define TREND_W 420.0
#define TREND_H 230.0
#define TREND_TOP 44.0
#define TREND_BASE 190.0

void rep_trend_svg(const report *r, FILE *fp)
{
	size_t n = r->nhist + 1, max = r->fig.engagements;
	for (size_t i = 0; i < r->nhist; i++)
		if (r->hist[i].engagements > max)
			max = r->hist[i].engagements;
	fprintf(fp, "<svg class=\"trend\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	            "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\" role=\"img\">\n"
	            "<title>%s</title>\n",
	        TREND_W, TREND_H, TREND_W, TREND_H,
	        T("Oppdrag per kvartal", "Engagements per quarter"));
	fprintf(fp, "<text x=\"4\" y=\"14\" font-size=\"12\" fill=\"#5b6876\">%s</text>\n"
	            "<line x1=\"10\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1d2733\"/>\n",
	        T("Oppdrag per kvartal", "Engagements per quarter"), TREND_BASE,
	        TREND_W - 10, TREND_BASE);
	double slot = (TREND_W - 20) / (double)n, bw = fmin(slot * 0.6, 60);
	for (size_t i = 0; i < n; i++) {
		const rep_figures *f = i < r->nhist ? &r->hist[i] : &r->fig;
		double h = max ? (TREND_BASE - TREND_TOP) * (double)f->engagements / (double)max : 0;
		double x = 10 + slot * (double)i + (slot - bw) / 2;
		char num[32];
		rep_num(num, sizeof(num), (double)f->engagements, 0, r->english);
		fprintf(fp, "<g data-period=\"%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		            "height=\"%.1f\" fill=\"%s\"/>"
		            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" "
		            "font-weight=\"bold\">%s</text>"
		            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">%s"
		            "</text></g>\n",
		        f->period, x, TREND_BASE - h, bw, h,
		        i + 1 == n ? "#1f4e79" : "#8fb3d4",
		        x + bw / 2, TREND_BASE - h - 5, num,
		        x + bw / 2, TREND_BASE + 16, f->period);
	}
	fputs("</svg>\n", fp);
}
