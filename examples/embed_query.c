/* SPDX-License-Identifier: MIT */
/*
 * embed_query.c -- libmatch embedded in a tool of its own: the profiles
 * come from a YAML document held in memory (as a CRM or a web service
 * would get them from its own store), and the tool answers ad-hoc
 * questions "who can help with SKILL[:LEVEL] at PLACE?" read one per line
 * from stdin, without a database and without files.
 *
 *   embed_query [MODE]          MODE: onsite (default), remote, hybrid
 *   echo "export:3 sales at Kongsvinger" | embed_query
 *
 * A line is one or more SKILL[:LEVEL] words, then "at", then a place id
 * or name (case-insensitive).  Uses only the public API in libmatch.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmatch.h>

/* The tool's own data: a small region with two experts. */
static const char profiles[] =
	"places:\n"
	"  - {id: kongsvinger, name: Kongsvinger, lat: 60.191, lon: 11.999}\n"
	"  - {id: elverum, name: Elverum, lat: 60.881, lon: 11.562}\n"
	"  - {id: tynset, name: Tynset, lat: 62.274, lon: 10.777}\n"
	"gardens:\n"
	"  - {id: south, name: Sørgarden, place: kongsvinger}\n"
	"  - {id: north, name: Nordgarden, place: tynset}\n"
	"skills:\n"
	"  - {id: sales, label: Salg}\n"
	"  - {id: export, label: Eksport, parent: sales, aliases: [Export]}\n"
	"  - {id: lean, label: Lean produksjon}\n"
	"experts:\n"
	"  - {id: e-siri, name: Siri Åsen, garden: south, home: kongsvinger,\n"
	"     skills: {export: 4, sales: 3}, languages: [nb, sv]}\n"
	"  - {id: e-pal, name: Pål Øvergaard, garden: north, home: elverum,\n"
	"     skills: {lean: 5, sales: 2}, remote: false}\n";

/* Split a line into skills and a place; the strings point into `line`. */
static int parse_line(char *line, lm_skill_req *reqs, size_t max, size_t *n,
                      const char **place)
{
	*n = 0;
	*place = NULL;
	for (char *w = strtok(line, " \t\r\n"); w; w = strtok(NULL, " \t\r\n")) {
		if (!strcmp(w, "at")) {
			*place = strtok(NULL, "\r\n");
			break;
		}
		if (*n == max)
			return -1;
		lm_skill_req *r = &reqs[(*n)++];
		char *colon = strchr(w, ':');
		r->skill = w;
		r->level = 1;
		r->weight = 1.0;
		r->optional = 0;
		if (colon) {
			*colon = '\0';
			r->level = atoi(colon + 1);
		}
	}
	return *n && *place ? 0 : -1;
}

int main(int argc, char **argv)
{
	lm_catalog *cat = NULL;
	lm_mode mode = LM_ONSITE;
	int status = 1;

	if (argc > 2 || (argc == 2 && lm_mode_parse(argv[1], &mode) != LM_OK)) {
		fprintf(stderr, "usage: %s [onsite|remote|hybrid] < questions\n", argv[0]);
		return 2;
	}
	if (lm_catalog_new(&cat) != LM_OK) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	if (lm_catalog_load_buffer(cat, "<built-in>", profiles,
	                           sizeof(profiles) - 1) != LM_OK) {
		fprintf(stderr, "%s\n", lm_catalog_errmsg(cat));
		goto done;
	}

	char line[512];
	while (fgets(line, sizeof(line), stdin)) {
		lm_skill_req reqs[8];
		size_t n;
		const char *place;
		if (parse_line(line, reqs, 8, &n, &place) != 0) {
			printf("? want: SKILL[:LEVEL]... at PLACE\n");
			continue;
		}
		lm_query q = LM_QUERY_INIT;
		q.at = place;
		q.mode = mode;
		q.skills = reqs;
		q.skill_count = n;
		lm_match_options opts = LM_MATCH_OPTIONS_INIT;
		opts.k = 3;
		lm_ranking *r = NULL;
		int rc = lm_rank_query(cat, &q, &opts, &r);
		if (rc != LM_OK) {
			/* An unknown skill or place is an answer, not a crash. */
			printf("! %s\n", lm_catalog_errmsg(cat));
			continue;
		}
		if (!lm_ranking_count(r))
			printf("- nobody within reach\n");
		for (size_t i = 0; i < lm_ranking_count(r); i++) {
			const lm_match *m = lm_ranking_get(r, i);
			printf("%zu. %s (%s) %.1f, %.0f km\n", i + 1, m->expert_name,
			       m->garden, m->score, m->distance_km);
		}
		lm_ranking_free(r);
	}
	status = ferror(stdin) ? 1 : 0;
done:
	lm_catalog_free(cat);
	return status;
}
