/* SPDX-License-Identifier: MIT */
/*
 * map.h -- `match map`: an SVG map of the catalogue (places, gardens,
 * experts, companies) with one need's best matches and its travel reach,
 * or with the quarter's plan.  Built on the public API only.
 */
#ifndef MATCH_MAP_H
#define MATCH_MAP_H

#include <stddef.h>
#include <stdio.h>

#include "libmatch.h"

typedef struct map_request {
	const char *need;               /* a need id; NULL draws the plan */
	size_t k;                       /* matches drawn for a need (0 = all) */
	const lm_match_options *opts;   /* ranking/planning options; may be NULL */
} map_request;

/* Write the map as one SVG document to `fp`.  Returns LM_OK, or the
 * status of lm_rank_need / lm_plan_compute / lm_catalog_find with the
 * message on `cat`, or LM_ENOMEM.  Write errors are left in ferror(fp). */
int map_svg(lm_catalog *cat, const map_request *req, FILE *fp);

/* The same into the file `path` ("-" is stdout, left for the caller
 * to flush).  A regular file is
 * written to a temporary file beside it and renamed into place, so a
 * failure leaves no half-written map; anything else (a pipe, a device)
 * is written directly.  LM_EIO with the errno in *sys_errno when the
 * file cannot be written. */
int map_svg_file(lm_catalog *cat, const map_request *req, const char *path,
                 int *sys_errno);

/* One engagement drawn on an inline map. */
typedef struct map_link {
	const char *need, *expert, *company; /* ids */
	double score;                        /* 0..100: the line's width */
} map_link;

/* What an inline map shows: its title, the engagements, and the needs
 * left open (their companies ringed). */
typedef struct map_view {
	const char *title, *subtitle;
	const map_link *links;
	size_t nlinks;
	const char *const *open_needs;       /* need ids */
	size_t nopen;
} map_view;

/* The map alone (no panel, no legend: the page around it has them), as
 * an <svg> element for an HTML5 document: no XML declaration, no
 * namespace, no reference outside the element.  Returns as map_svg. */
int map_svg_inline(lm_catalog *cat, const map_view *v, FILE *fp);

/* The colour map.c gives garden `garden` (an index in the catalogue; -1:
 * no garden), so that other drawings match the map. */
const char *map_garden_color(int garden);

#endif
