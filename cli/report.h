/* SPDX-License-Identifier: MIT */
/*
 * report.h -- `match report`: the quarter's report for the gardens' joint
 * meeting.  report_data.c gathers what the page shows (the period's
 * engagements, committed or else planned, their figures, the flow between
 * gardens, the open needs, the venue and the earlier quarters' figures)
 * from the public API only; report_html.c writes it as one self-contained
 * HTML5 page, report_chart.c draws its flow and trend charts.
 */
#ifndef MATCH_REPORT_H
#define MATCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "libmatch.h"

/* One engagement of the report's period. */
typedef struct rep_eng {
	const char *need, *expert, *company; /* ids, owned by the catalogue */
	int eg, cg;            /* expert's and company's garden index, -1: none */
	double km;             /* one way; 0 for a remote need */
	double score;
} rep_eng;

/* The headline figures of one quarter (docs/report.md defines each). */
typedef struct rep_figures {
	char period[8];
	size_t engagements;
	size_t teams;          /* team needs (team > 1) engaged this quarter */
	size_t needs_met;      /* needs given engagements this quarter that now
	                        * have every expert they ask for */
	size_t needs_open;     /* needs still lacking experts (current only) */
	size_t across;         /* engagements for another garden's company */
	double share_across;   /* percent of engagements, to 1 decimal */
	double km;             /* every engagement's round trip, 1 decimal */
	double hours;          /* km / speed_kmh, 1 decimal */
	double nok;            /* km * km_rate_nok, whole kroner */
} rep_figures;

/* A need the period leaves (partly) open. */
typedef struct rep_open {
	const char *need, *company;   /* ids */
	const char *title;            /* may be NULL */
	int garden;                   /* the company's garden, -1: none */
	int missing;
	int category;                 /* REP_NO_EXPERT ... REP_UNCOMMITTED */
	const char *detail, *fix;     /* the library's words (English); may be
	                               * NULL */
} rep_open;

enum { REP_NO_EXPERT, REP_TOO_FEW, REP_CAPACITY, REP_UNCOMMITTED, REP_OTHER,
       REP_NO_TEAM };

typedef struct report {
	lm_catalog *cat;              /* not owned */
	char period[8];
	bool english;
	bool planned;                 /* nothing committed: the plan's pairs */
	size_t ngardens;
	rep_eng *eng;
	size_t neng;
	/* flow[(from) * (ngardens + 1) + to]: engagements of garden `from`'s
	 * experts for garden `to`'s companies; index ngardens: no garden. */
	size_t *flow;
	/* Per garden (index ngardens: no garden): engagements its experts
	 * took (a team's members each), engagements
	 * for its companies, and its companies' open needs. */
	size_t *given, *received, *open_by_garden;
	rep_open *open;
	size_t nopen;
	rep_figures fig;
	rep_figures *hist;            /* earlier quarters with engagements,
	                               * oldest first */
	size_t nhist;
	double speed_kmh, km_rate_nok;
	lm_plan *plan;                /* owned */
	lm_meeting *meeting;          /* owned */
} report;

/* Gather the report of `period` (NULL: the current quarter) from `cat`
 * with `opts` for the plan.  LM_OK, or the failing call's status with its
 * message on `cat`.  report_free it in every case. */
int report_build(report *r, lm_catalog *cat, const char *period,
                 const lm_match_options *opts, bool english);
void report_free(report *r);

/* The page, to `fp`.  LM_OK, or LM_ENOMEM; write errors are left in
 * ferror(fp). */
int report_html(const report *r, FILE *fp);

/* Numbers as the page shows them: Norwegian (1 234,5, the groups divided
 * by a no-break space) or English (1,234.5); into buf. */
void rep_num(char *buf, size_t size, double v, int decimals, bool english);

/* Text escaped for HTML and XML both. */
void rep_text(FILE *fp, const char *s);

/* The charts (report_chart.c): the flow between gardens, and the
 * engagements of every quarter of the history and the current one. */
void rep_flow_svg(const report *r, FILE *fp);
void rep_trend_svg(const report *r, FILE *fp);

/* A garden's name (or "no garden" in the page's language). */
const char *rep_garden_name(const report *r, int g);

#endif
