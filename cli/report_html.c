/* SPDX-License-Identifier: MIT */
/*
 * report_html.c -- writes `match report`'s page: one HTML5 document that
 * is also well-formed XML, with its CSS (a print stylesheet for A4
 * included) and its drawings inline, no script and no reference to
 * anything outside it.  Three printed pages: the figures, the gardens and
 * the flow; the map; the open needs, the venue and the earlier quarters.
 * Every headline figure is a <data> element whose value is the number
 * the text shows, for machine checks (docs/report.md).
 */
#include "report.h"
#include "map.h"
#include "out.h"

#include <stdlib.h>
#include <string.h>

/* The page's language: Norwegian (bokmål) or English. */
#define T(nb, en) (r->english ? (en) : (nb))

void rep_text(FILE *fp, const char *s)
{
	out_xml_text(fp, s, true);
}

void rep_num(char *buf, size_t size, double v, int decimals, bool english)
{
	char raw[64];
	snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	if (!strcmp(raw, "-0") || !strcmp(raw, "-0.0"))
		memmove(raw, raw + 1, strlen(raw));
	const char *dot = strchr(raw, '.');
	const char *digits = raw[0] == '-' ? raw + 1 : raw;
	size_t nint = (size_t)((dot ? dot : raw + strlen(raw)) - digits);
	/* Norwegian groups with a no-break space (U+00A0), English with a
	 * comma; the decimal sign is a comma or a point. */
	const char *group = english ? "," : "\xC2\xA0";
	size_t o = 0;
	if (raw[0] == '-' && o + 1 < size)
		buf[o++] = '-';
	for (size_t i = 0; i < nint; i++) {
		if (i && (nint - i) % 3 == 0)
			for (const char *g = group; *g && o + 1 < size; g++)
				buf[o++] = *g;
		if (o + 1 < size)
			buf[o++] = digits[i];
	}
	if (dot) {
		if (o + 1 < size)
			buf[o++] = english ? '.' : ',';
		for (const char *d = dot + 1; *d && o + 1 < size; d++)
			buf[o++] = *d;
	}
	buf[o < size ? o : size - 1] = '\0';
}

const char *rep_garden_name(const report *r, int g)
{
	const lm_garden_info *gi = g >= 0 ? lm_catalog_garden(r->cat, (size_t)g) : NULL;
	return gi ? gi->name : T("uten hage", "no garden");
}

static const char *garden_id(const report *r, int g)
{
	const lm_garden_info *gi = g >= 0 ? lm_catalog_garden(r->cat, (size_t)g) : NULL;
	return gi ? gi->id : "";
}

/* The attributes of a <data> element: up to two names (static) with
 * their values (escaped: ids come from the profiles); NULL ends. */
typedef struct data_attrs {
	const char *k1, *v1, *k2, *v2;
} data_attrs;

/* <data ATTRS value="V">TEXT</data>: the machine value as the text shows
 * it, with a '.' decimal sign and no grouping. */
static void data_num(const report *r, FILE *fp, data_attrs at, double v,
                     int decimals, const char *unit)
{
	char text[96];
	rep_num(text, sizeof(text), v, decimals, r->english);
	fputs("<data", fp);
	const char *k[] = {at.k1, at.k2}, *val[] = {at.v1, at.v2};
	for (size_t i = 0; i < 2 && k[i]; i++) {
		fprintf(fp, " %s=\"", k[i]);
		rep_text(fp, val[i]);
		fputc('"', fp);
	}
	fprintf(fp, " value=\"%.*f\">%s%s</data>", decimals, v, text, unit ? unit : "");
}

/* ---- the head and the stylesheet ---------------------------------------------- */

static const char css[] =
	":root{--ink:#1d2733;--muted:#5b6876;--line:#d5dbe1;--pale:#f3f6f9}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;color:var(--ink);background:#fff;"
	"font:15px/1.45 'DejaVu Sans',Verdana,Arial,sans-serif}\n"
	"main{max-width:1000px;margin:0 auto;padding:24px 28px}\n"
	"h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:26px 0 8px;"
	"border-bottom:2px solid var(--ink);padding-bottom:3px}\n"
	"p{margin:6px 0}.lead{color:var(--muted)}\n"
	".basis{background:#fff6d6;border-left:5px solid #d8a400;padding:8px 12px}\n"
	".figs{display:grid;grid-template-columns:repeat(4,1fr);gap:10px;margin:14px 0}\n"
	".fig{background:var(--pale);border:1px solid var(--line);border-radius:6px;"
	"padding:9px 12px}\n"
	".fig data{display:block;font-size:27px;font-weight:bold;line-height:1.2}\n"
	".fig span{color:var(--muted);font-size:13px}\n"
	"table{border-collapse:collapse;width:100%;margin:8px 0;font-size:13.5px}\n"
	"th,td{border-bottom:1px solid var(--line);padding:4px 7px;text-align:left;"
	"vertical-align:top}\n"
	"th{background:var(--pale)}td.n,th.n{text-align:right;white-space:nowrap}\n"
	"tr.cur td{font-weight:bold}\n"
	"figure{margin:6px 0}svg{max-width:100%;height:auto}\n"
	"figure{text-align:center}figure.flow svg{width:620px}figure.trend svg{width:420px}\n"
	".mapbox{text-align:center}.mapbox svg.map{width:560px}\n"
	".key{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px;margin:6px 0}\n"
	".key i{display:inline-block;width:12px;height:12px;margin-right:5px;"
	"vertical-align:-1px}\n"
	".small{font-size:12.5px;color:var(--muted)}\n"
	"footer{margin-top:26px;font-size:12px;color:var(--muted)}\n"
	"@page{size:A4;margin:13mm 12mm}\n"
	"@media print{\n"
	"body{font-size:10pt}main{max-width:none;padding:0}\n"
	"h1{font-size:17pt}h2{font-size:12.5pt;margin-top:12pt}\n"
	".fig data{font-size:17pt}.fig{padding:5pt 8pt}.figs{gap:6pt}\n"
	"table{font-size:8.5pt}th,td{padding:2pt 4pt}\n"
	"section.page{break-after:page}section.page:last-of-type{break-after:auto}\n"
	"table,tr,.fig,figure,svg{break-inside:avoid}\n"
	".mapbox svg.map{width:auto;height:232mm}figure.flow svg{width:140mm}figure.trend svg{width:90mm}\n"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"}\n";

static void head(const report *r, FILE *fp)
{
	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	            "<meta charset=\"utf-8\"/>\n"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	            "<meta name=\"generator\" content=\"match (libmatch) %s\"/>\n<title>",
	        r->english ? "en" : "nb", lm_version());
	fprintf(fp, T("Kvartalsrapport %s", "Quarterly report %s"), r->period);
	fprintf(fp, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", css);
}

/* ---- page 1: the figures, the gardens, the flow --------------------------------- */

static void fig_card(const report *r, FILE *fp, const char *id, double v,
                     int decimals, const char *unit, const char *label)
{
	fputs("<div class=\"fig\">", fp);
	data_num(r, fp, (data_attrs){"id", id, NULL, NULL}, v, decimals, unit);
	fputs("<span>", fp);
	rep_text(fp, label);
	fputs("</span></div>\n", fp);
}

static void basis(const report *r, FILE *fp)
{
	if (r->planned)
		fprintf(fp, T("<p class=\"basis\" id=\"basis\" data-basis=\"plan\">Ingen oppdrag er "
		              "forpliktet for %s ennå. Rapporten viser planen som "
		              "<code>match assign</code> ville lage nå; den blir endelig "
		              "når planen forpliktes (<code>match assign --commit</code>).</p>\n",
		              "<p class=\"basis\" id=\"basis\" data-basis=\"plan\">No engagement is "
		              "committed for %s yet. The report shows the plan "
		              "<code>match assign</code> would make now; it becomes final "
		              "when the plan is committed (<code>match assign --commit</code>).</p>\n"),
		        r->period);
	else
		fprintf(fp, T("<p class=\"lead\" id=\"basis\" data-basis=\"committed\">Rapporten "
		              "bygger på de forpliktede oppdragene for %s.</p>\n",
		              "<p class=\"lead\" id=\"basis\" data-basis=\"committed\">The report "
		              "is based on the committed engagements of %s.</p>\n"),
		        r->period);
}

static void figures_section(const report *r, FILE *fp)
{
	const rep_figures *f = &r->fig;
	fputs("<h1>", fp);
	fprintf(fp, T("Kvartalsrapport %s", "Quarterly report %s"), r->period);
	fputs("</h1>\n<p class=\"lead\">", fp);
	fputs(T("Samhandling mellom næringshagene: hvem hjalp hvem, hvor ekspertene "
	        "reiste, hva det kostet og hva som står åpent.",
	        "Cooperation between the business gardens: who helped whom, where the "
	        "experts travelled, what it cost and what stays open."), fp);
	fputs("</p>\n", fp);
	basis(r, fp);
	fputs("<div class=\"figs\">\n", fp);
	fig_card(r, fp, "fig-engagements", (double)f->engagements, 0, NULL,
	         T("oppdrag", "engagements"));
	fig_card(r, fp, "fig-teams", (double)f->teams, 0, NULL, T("team", "teams"));
	fig_card(r, fp, "fig-needs-met", (double)f->needs_met, 0, NULL,
	         T("behov dekket", "needs met"));
	fig_card(r, fp, "fig-needs-open", (double)f->needs_open, 0, NULL,
	         T("behov står åpne", "needs left open"));
	fig_card(r, fp, "fig-share-across", f->share_across, 1, "\xC2\xA0%",
	         T("av oppdragene på tvers av hager", "of engagements across gardens"));
	fig_card(r, fp, "fig-km", f->km, 1, NULL, T("km reist (tur-retur)", "km travelled (round trips)"));
	fig_card(r, fp, "fig-hours", f->hours, 1, NULL, T("timer på reise", "hours of travel"));
	fig_card(r, fp, "fig-nok", f->nok, 0, NULL, T("kroner i reisekostnad", "NOK of travel cost"));
	fputs("</div>\n", fp);
}

static void gardens_section(const report *r, FILE *fp)
{
	fprintf(fp, "<h2>%s</h2>\n<table id=\"gardens\">\n<thead><tr><th>%s</th>"
	            "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
	            "<th class=\"n\">%s</th></tr></thead>\n<tbody>\n",
	        T("Hagene", "The gardens"), T("Hage", "Garden"),
	        T("Oppdrag gitt", "Given"), T("herav til andre hager", "of those to others"),
	        T("Mottatt", "Received"), T("Åpne behov", "Open needs"));
	size_t w = r->ngardens + 1;
	for (size_t g = 0; g < r->ngardens; g++) {
		size_t others = 0;
		for (size_t t = 0; t < r->ngardens; t++)
			others += t != g ? r->flow[g * w + t] : 0;
		const char *id = garden_id(r, (int)g);
		fputs("<tr><td>", fp);
		fprintf(fp, "<i style=\"display:inline-block;width:10px;height:10px;"
		            "margin-right:6px;background:%s\"></i>", map_garden_color((int)g));
		rep_text(fp, rep_garden_name(r, (int)g));
		static const char *const names[] = {"given", "given-across", "received", "open"};
		size_t vals[] = {r->given[g], others, r->received[g], r->open_by_garden[g]};
		fputs("</td>", fp);
		for (size_t k = 0; k < 4; k++) {
			fputs("<td class=\"n\">", fp);
			data_num(r, fp, (data_attrs){"data-garden", id, "data-fig", names[k]},
			         (double)vals[k], 0, NULL);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
}

/* The flow as a matrix: rows the experts' gardens, columns the
 * companies' (and a column "no garden" when a company has none). */
static void flow_table(const report *r, FILE *fp)
{
	size_t w = r->ngardens + 1, cols = r->ngardens;
	for (size_t f = 0; f < w; f++)
		if (r->flow[f * w + r->ngardens])
			cols = w;
	fprintf(fp, "<table id=\"flow\">\n<thead><tr><th>%s</th>",
	        T("Fra (ekspertens hage) \xE2\x86\x93 / til \xE2\x86\x92",
	          "From (expert's garden) \xE2\x86\x93 / to \xE2\x86\x92"));
	for (size_t t = 0; t < cols; t++) {
		fputs("<th class=\"n\">", fp);
		rep_text(fp, rep_garden_name(r, t < r->ngardens ? (int)t : -1));
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (size_t f = 0; f < r->ngardens; f++) {
		fputs("<tr><th>", fp);
		rep_text(fp, rep_garden_name(r, (int)f));
		fputs("</th>", fp);
		for (size_t t = 0; t < cols; t++) {
			fputs("<td class=\"n\">", fp);
			data_num(r, fp, (data_attrs){"data-from", garden_id(r, (int)f), "data-to",
			                             garden_id(r, t < r->ngardens ? (int)t : -1)},
			         (double)r->flow[f * w + t], 0, NULL);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
}

static void flow_section(const report *r, FILE *fp)
{
	fprintf(fp, "<h2>%s</h2>\n<p class=\"small\">%s</p>\n<figure class=\"flow\">",
	        T("Hvem hjalp hvem", "Who helped whom"),
	        T("Fra ekspertens hage (venstre) til bedriftens hage (høyre); "
	          "bredden er antall oppdrag.",
	          "From the expert's garden (left) to the company's garden (right); "
	          "the width is the number of engagements."));
	rep_flow_svg(r, fp);
	fputs("</figure>\n", fp);
	flow_table(r, fp);
}

/* ---- page 2: the map ------------------------------------------------------------ */

static void map_key(const report *r, FILE *fp)
{
	fputs("<div class=\"key\">", fp);
	for (size_t g = 0; g < r->ngardens; g++) {
		fprintf(fp, "<span><i style=\"background:%s;transform:rotate(45deg)\"></i>",
		        map_garden_color((int)g));
		rep_text(fp, rep_garden_name(r, (int)g));
		fputs("</span>", fp);
	}
	fprintf(fp, "<span><i style=\"background:#555;border-radius:50%%\"></i>%s</span>"
	            "<span><i style=\"background:#555\"></i>%s</span>"
	            "<span><i style=\"border:2px solid #c00000;border-radius:50%%\"></i>%s</span>"
	            "<span><i style=\"border-top:3px dashed #555;height:0\"></i>%s</span>"
	            "</div>\n",
	        T("ekspert, i hagens farge", "expert, in the garden's colour"),
	        T("bedrift, i hagens farge", "company, in its garden's colour"),
	        T("bedrift med åpent behov", "company with a need left open"),
	        T("fjernoppdrag", "remote engagement"));
}

static int map_section(const report *r, FILE *fp)
{
	map_link *links = calloc(r->neng + 1, sizeof(*links));
	const char **open = calloc(r->nopen + 1, sizeof(*open));
	char *sub = out_strf(T("%zu oppdrag, %zu behov står åpne", "%zu engagements, "
	                       "%zu needs left open"), r->neng, r->nopen);
	char *title = out_strf(T("Oppdragene %s", "The engagements, %s"), r->period);
	int rc = LM_ENOMEM;
	if (links && open && sub && title) {
		for (size_t i = 0; i < r->neng; i++)
			links[i] = (map_link){r->eng[i].need, r->eng[i].expert,
			                      r->eng[i].company, r->eng[i].score};
		for (size_t i = 0; i < r->nopen; i++)
			open[i] = r->open[i].need;
		fprintf(fp, "<h2>%s</h2>\n", T("Oppdragene på kartet", "The engagements on the map"));
		map_key(r, fp);
		fputs("<div class=\"mapbox\">\n", fp);
		map_view v = {title, sub, links, r->neng, open, r->nopen};
		rc = map_svg_inline(r->cat, &v, fp);
		fputs("</div>\n", fp);
	}
	free(links), free(open), free(sub), free(title);
	return rc;
}

/* ---- page 3: open needs, the venue, the earlier quarters ------------------------- */

static const char *category_text(const report *r, int c)
{
	switch (c) {
	case REP_NO_EXPERT: return T("ingen ekspert oppfyller kravene", "no feasible expert");
	case REP_NO_TEAM: return T("ingen team oppfyller kravene", "no feasible team");
	case REP_TOO_FEW: return T("for få eksperter oppfyller kravene", "too few feasible experts");
	case REP_CAPACITY: return T("kapasiteten er brukt opp", "capacity spent");
	case REP_UNCOMMITTED: return T("planen kan dekke det, men det er ikke forpliktet",
	                               "the plan can fill it, but it is not committed");
	default: return T("annet", "other");
	}
}

static void open_row(const report *r, FILE *fp, const rep_open *o)
{
	fputs("<tr data-need=\"", fp);
	rep_text(fp, o->need);
	fputs("\"><td>", fp);
	rep_text(fp, o->title ? o->title : o->need);
	fputs("<br/><span class=\"small\">", fp);
	rep_text(fp, o->need);
	fputs("</span></td><td>", fp);
	size_t ci;
	const lm_company_info *co = NULL;
	if (!lm_catalog_find(r->cat, LM_COMPANY, o->company, &ci))
		co = lm_catalog_company(r->cat, ci);
	rep_text(fp, co ? co->name : o->company);
	fputs("<br/><span class=\"small\">", fp);
	rep_text(fp, rep_garden_name(r, o->garden));
	fprintf(fp, "</span></td><td class=\"n\">%d</td><td><b>", o->missing);
	rep_text(fp, category_text(r, o->category));
	fputs("</b>", fp);
	if (o->detail && *o->detail) {
		fputs("<br/><span class=\"small\">", fp);
		rep_text(fp, o->detail);
		fputs("</span>", fp);
	}
	fputs("</td><td>", fp);
	if (o->category == REP_UNCOMMITTED)
		fprintf(fp, "<code>match assign --period %s --commit</code>", r->period);
	else
		rep_text(fp, o->fix);
	fputs("</td></tr>\n", fp);
}

static void open_section(const report *r, FILE *fp)
{
	fprintf(fp, "<h2>%s</h2>\n", T("Behov som står åpne", "Needs left open"));
	if (!r->nopen) {
		fprintf(fp, "<p>%s</p>\n", T("Ingen: alle behovene er dekket.",
		                              "None: every need is met."));
		return;
	}
	fprintf(fp, "<table id=\"open\">\n<thead><tr><th>%s</th><th>%s</th>"
	            "<th class=\"n\">%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
	        T("Behov", "Need"), T("Bedrift", "Company"), T("Mangler", "Missing"),
	        T("Hvorfor", "Why"), T("Hva ville hjulpet", "What would fix it"));
	for (size_t i = 0; i < r->nopen; i++)
		open_row(r, fp, &r->open[i]);
	fputs("</tbody>\n</table>\n", fp);
	if (!r->english)
		fputs("<p class=\"small\">Begrunnelsene og forslagene i små bokstaver er "
		      "bibliotekets egne, på engelsk.</p>\n", fp);
}

static void venue_line(const report *r, FILE *fp, const lm_meeting_venue *v,
                       const char *id, const char *label)
{
	char km_id[32], longest_id[32], hours[64];
	snprintf(km_id, sizeof(km_id), "%s-km", id);
	snprintf(longest_id, sizeof(longest_id), "%s-longest", id);
	fprintf(fp, "<tr><th>%s</th><td><data id=\"%s\" value=\"", label, id);
	rep_text(fp, v->place);
	fputs("\">", fp);
	rep_text(fp, v->name);
	fputs("</data></td><td class=\"n\">", fp);
	data_num(r, fp, (data_attrs){"id", km_id, NULL, NULL}, v->total_km, 1, " km");
	rep_num(hours, sizeof(hours), v->total_minutes / 60.0, 1, r->english);
	fprintf(fp, "</td><td class=\"n\">%s %s</td><td class=\"n\">", hours, T("t", "h"));
	data_num(r, fp, (data_attrs){"id", longest_id, NULL, NULL}, v->longest_km, 1, " km");
	fputs("</td></tr>\n", fp);
}

static void venue_section(const report *r, FILE *fp)
{
	const lm_meeting_venue *b = lm_meeting_best_total(r->meeting);
	const lm_meeting_venue *f = lm_meeting_best_fair(r->meeting);
	fprintf(fp, "<h2>%s</h2>\n", T("Møtested for samhandlingsmøtet",
	                                "Where to hold the joint meeting"));
	if (!b) {
		fprintf(fp, "<p>%s</p>\n", T("Ingen steder å velge mellom.", "No places to choose from."));
		return;
	}
	fprintf(fp, "<p class=\"small\">%s</p>\n",
	        T("Alle delegasjonene (2 fra hver hage) reiser tur-retur fra hagens sted "
	          "(<code>match meeting</code>).",
	          "Every delegation (2 from each garden) travels both ways from its "
	          "garden's place (<code>match meeting</code>)."));
	fprintf(fp, "<table id=\"venue\">\n<thead><tr><th></th><th>%s</th>"
	            "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
	            "</tr></thead>\n<tbody>\n",
	        T("Sted", "Place"), T("km i alt", "km in all"), T("timer i alt", "hours in all"),
	        T("lengste tur (en vei)", "longest trip (one way)"));
	venue_line(r, fp, b, "fig-venue", T("Minst reising i alt", "Least travel in all"));
	venue_line(r, fp, f, "fig-venue-fair", T("Kortest lengste tur", "Shortest longest trip"));
	fputs("</tbody>\n</table>\n", fp);
}

static void hist_row(const report *r, FILE *fp, const rep_figures *f, bool current)
{
	struct { const char *name; double v; int dec; } c[] = {
		{"engagements", (double)f->engagements, 0}, {"teams", (double)f->teams, 0},
		{"needs-met", (double)f->needs_met, 0}, {"share-across", f->share_across, 1},
		{"km", f->km, 1}, {"hours", f->hours, 1}, {"nok", f->nok, 0}};
	fprintf(fp, "<tr%s data-period=\"%s\"><td>%s%s</td>", current ? " class=\"cur\"" : "",
	        f->period, f->period, current ? T(" (dette)", " (this)") : "");
	for (size_t k = 0; k < sizeof(c) / sizeof(*c); k++) {
		fputs("<td class=\"n\">", fp);
		data_num(r, fp, (data_attrs){"data-period", f->period, "data-fig", c[k].name},
		         c[k].v, c[k].dec, NULL);
		fputs("</td>", fp);
	}
	fputs("</tr>\n", fp);
}

static void trend_section(const report *r, FILE *fp)
{
	fprintf(fp, "<h2>%s</h2>\n", T("Kvartal for kvartal", "Quarter by quarter"));
	if (!r->nhist)
		fprintf(fp, "<p class=\"small\">%s</p>\n",
		        T("Databasen har ingen oppdrag fra tidligere kvartaler.",
		          "The database has no engagements of earlier quarters."));
	fputs("<figure class=\"trend\">", fp);
	rep_trend_svg(r, fp);
	fprintf(fp, "</figure>\n<table id=\"trend\">\n<thead><tr><th>%s</th>"
	            "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
	            "<th class=\"n\">%s</th><th class=\"n\">km</th><th class=\"n\">%s</th>"
	            "<th class=\"n\">%s</th></tr></thead>\n<tbody>\n",
	        T("Kvartal", "Quarter"), T("Oppdrag", "Eng."), T("Team", "Teams"),
	        T("Dekket", "Met"), T("På tvers %", "Across %"), T("Timer", "Hours"),
	        T("Kroner", "NOK"));
	for (size_t i = 0; i < r->nhist; i++)
		hist_row(r, fp, &r->hist[i], false);
	hist_row(r, fp, &r->fig, true);
	fprintf(fp, "</tbody>\n</table>\n<p class=\"small\">%s</p>\n",
	        T("Åpne behov føres ikke for tidligere kvartaler: databasen har oppdragene, "
	          "ikke hva som sto åpent den gang.",
	          "Open needs are not shown for earlier quarters: the database keeps the "
	          "engagements, not what was open at the time."));
}

int report_html(const report *r, FILE *fp)
{
	head(r, fp);
	fputs("<section class=\"page\" id=\"page-figures\">\n", fp);
	figures_section(r, fp);
	gardens_section(r, fp);
	flow_section(r, fp);
	fputs("</section>\n<section class=\"page\" id=\"page-map\">\n", fp);
	int rc = map_section(r, fp);
	fputs("</section>\n<section class=\"page\" id=\"page-open\">\n", fp);
	open_section(r, fp);
	venue_section(r, fp);
	trend_section(r, fp);
	fprintf(fp, "</section>\n<footer>%s match (libmatch) %s.</footer>\n"
	            "</main>\n</body>\n</html>\n",
	        T("Laget med", "Made with"), lm_version());
	return rc;
}
