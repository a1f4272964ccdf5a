/* SPDX-License-Identifier: MIT */
/*
 * gen.c -- deterministic synthetic profiles for `make bench`, in the real
 * YAML format that `match load` reads.
 *
 *   gen -e EXPERTS -n NEEDS [-p PLACES] [-s SEED] [-f PER_FILE]
 *       [-u] -k SKILLS.yaml -o DIR
 *
 * -u makes a unit instance: every expert has capacity 1 and every need
 * wants one expert, so the plan is exactly a linear assignment problem
 * (what scipy's linear_sum_assignment solves).
 *
 * -t TEAMS makes the first TEAMS needs team needs (`team: 2` or 3) that
 * also ask for a skill of another area at level 4..5, so that one expert
 * rarely covers them; without -t the bytes are as before.
 *
 * Writes DIR/skills.yaml (a copy of the taxonomy), DIR/places.yaml
 * (PLACES synthetic places spread over Norway, lat 58..71, lon 5..31),
 * DIR/gardens.yaml, DIR/companies.yaml (companies and needs) and
 * DIR/experts-NNN.yaml with at most PER_FILE experts each (the loader's
 * per-file limit is 128 MiB; 100,000 experts take about 25 MiB).
 *
 * Skill mixes are drawn like the bundled profiles: an expert works in one
 * area of the taxonomy (a root and its subtree) with 3..6 skills at levels
 * 2..5, sometimes one skill from elsewhere; a need names 1..3 skills of one
 * area at levels 2..4, sometimes a weight or an optional skill.  The same
 * arguments always give the same bytes (a fixed xorshift generator; no
 * dependence on the C library's rand()).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_SKILLS 1024

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: fixed and portable. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static int rint_(int lo, int hi) /* lo..hi inclusive */
{
	return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

static double rreal(double lo, double hi)
{
	return lo + (hi - lo) * (double)(rnd() >> 11) / 9007199254740992.0;
}

static char *skill_id[MAX_SKILLS];
static int skill_parent[MAX_SKILLS], skill_root[MAX_SKILLS];
static int n_skills;
static int roots[MAX_SKILLS], n_roots;

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
		*--e = '\0';
	return s;
}

/* A line scan of the bundled taxonomy: "- id: X" and "parent: Y" lines;
 * also copies the file to `copy`. */
static int read_skills(const char *path, FILE *copy)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int i, j;

	if (!f) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char *t = trim(line);

		fputs(line, copy);
		fputc('\n', copy);
		if (!strncmp(t, "- id:", 5) && n_skills < MAX_SKILLS) {
			skill_id[n_skills] = strdup(trim(t + 5));
			skill_parent[n_skills++] = -2; /* name resolved below */
		} else if (!strncmp(t, "parent:", 7) && n_skills > 0) {
			char *p = trim(t + 7);

			for (j = 0; j < n_skills; j++)
				if (!strcmp(skill_id[j], p))
					skill_parent[n_skills - 1] = j;
		}
	}
	fclose(f);
	for (i = 0; i < n_skills; i++)
		if (skill_parent[i] == -2)
			skill_parent[i] = -1;
	for (i = 0; i < n_skills; i++) {
		int r = i, guard = 0;

		while (skill_parent[r] >= 0 && guard++ < 64)
			r = skill_parent[r];
		skill_root[i] = r;
		if (r == i)
			roots[n_roots++] = i;
	}
	return n_skills ? 0 : -1;
}

/* A random skill of area `root` (its subtree). */
static int skill_in(int root)
{
	int cand[MAX_SKILLS], n = 0, i;

	for (i = 0; i < n_skills; i++)
		if (skill_root[i] == root)
			cand[n++] = i;
	return cand[rint_(0, n - 1)];
}

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
	return f;
}

static const char *const first[] = {
	"Ingrid", "Ola", "Kari", "Per", "Anne", "Lars", "Marit", "Knut", "Sigrid",
	"Jon", "Liv", "Erik", "Astrid", "Nils", "Solveig", "Håkon", "Åse", "Øystein"};
static const char *const last[] = {
	"Berg", "Haugen", "Bakken", "Løken", "Sæther", "Rønning", "Moen", "Dahl",
	"Strand", "Lie", "Holm", "Nygård", "Ødegård", "Bråten", "Sveen", "Aas"};
#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

int main(int argc, char **argv)
{
	long n_exp = 1000, n_need = 100, n_places = 3000, per_file = 100000;
	unsigned long long seed = 20261126;
	const char *skills = "profiles/skills.yaml", *dir = NULL;
	long n_comp, n_gardens = 20, i, n_team = 0;
	int c, unit = 0;
	FILE *f;

	for (c = 1; c < argc; c++) {
		const char *a = argv[c], *v = c + 1 < argc ? argv[c + 1] : NULL;

		if (!strcmp(a, "-u")) {
			unit = 1;
			continue;
		}
		if (!v) {
			fprintf(stderr, "gen: %s needs a value\n", a);
			return 2;
		}
		if (!strcmp(a, "-e"))
			n_exp = atol(v);
		else if (!strcmp(a, "-n"))
			n_need = atol(v);
		else if (!strcmp(a, "-p"))
			n_places = atol(v);
		else if (!strcmp(a, "-s"))
			seed = strtoull(v, NULL, 10);
		else if (!strcmp(a, "-f"))
			per_file = atol(v);
		else if (!strcmp(a, "-k"))
			skills = v;
		else if (!strcmp(a, "-o"))
			dir = v;
		else if (!strcmp(a, "-t"))
			n_team = atol(v);
		else {
			fprintf(stderr, "usage: gen -e EXPERTS -n NEEDS [-p PLACES] "
			        "[-s SEED] [-f PER_FILE] [-k SKILLS.yaml] -o DIR\n");
			return 2;
		}
		c++;
	}
	if (!dir || n_exp < 0 || n_need < 0 || n_places < 1 || per_file < 1) {
		fprintf(stderr, "gen: -o DIR is required; counts must be positive\n");
		return 2;
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	rng_state = seed * 2654435761ULL + 0x9E3779B97F4A7C15ULL;
	if (!rng_state)
		rng_state = 1;

	if (!(f = open_out(dir, "skills.yaml")) || read_skills(skills, f)) {
		fprintf(stderr, "gen: no skills in %s\n", skills);
		return 1;
	}
	fclose(f);

	if (!(f = open_out(dir, "places.yaml")))
		return 1;
	fputs("places:\n", f);
	for (i = 0; i < n_places; i++)
		fprintf(f, "  - {id: p%05ld, name: Sted %ld, lat: %.5f, lon: %.5f}\n",
		        i, i, rreal(58.0, 71.0), rreal(5.0, 31.0));
	fclose(f);

	if (!(f = open_out(dir, "gardens.yaml")))
		return 1;
	fputs("gardens:\n", f);
	for (i = 0; i < n_gardens; i++)
		fprintf(f, "  - {id: g%02ld, name: Hage %ld Næringshage, "
		        "place: p%05ld}\n", i, i, (long)rint_(0, (int)n_places - 1));
	fclose(f);

	n_comp = n_need / 2 + 1;
	if (!(f = open_out(dir, "companies.yaml")))
		return 1;
	fputs("companies:\n", f);
	for (i = 0; i < n_comp; i++)
		fprintf(f, "  - {id: c%06ld, name: Bedrift %ld AS, place: p%05ld, "
		        "garden: g%02ld}\n", i, i, (long)rint_(0, (int)n_places - 1),
		        (long)rint_(0, (int)n_gardens - 1));
	fputs("needs:\n", f);
	for (i = 0; i < n_need; i++) {
		int root = roots[rint_(0, n_roots - 1)], ns = rint_(1, 3), k, m;
		int picked[3] = {-1, -1, -1};

		fprintf(f, "  - id: n%06ld\n    company: c%06ld\n"
		        "    title: Behov %ld\n    skills:\n", i,
		        (long)rint_(0, (int)n_comp - 1), i);
		for (k = 0; k < ns; k++) {
			int s, dup;

			do {
				s = skill_in(root);
				for (dup = 0, m = 0; m < k; m++)
					dup |= picked[m] == s;
			} while (dup && ns <= 2 && rint_(0, 3));
			if (dup)
				continue;
			picked[k] = s;
			m = rint_(0, 9);
			if (m < 6)
				fprintf(f, "      %s: %d\n", skill_id[s], rint_(2, 4));
			else if (m < 9 || k == 0)
				fprintf(f, "      %s: {level: %d, weight: %d}\n",
				        skill_id[s], rint_(2, 4), rint_(2, 3));
			else
				fprintf(f, "      %s: {level: %d, optional: true}\n",
				        skill_id[s], rint_(1, 3));
		}
		if (i < n_team) {
			/* A skill of another area: who has both is rare. */
			int other = roots[rint_(0, n_roots - 1)], s = skill_in(other);
			for (k = 0, m = 0; k < ns; k++)
				m |= picked[k] == s;
			if (!m && other != root)
				fprintf(f, "      %s: %d\n", skill_id[s], rint_(4, 5));
		}
		m = rint_(0, 9);
		fprintf(f, "    mode: %s\n", m < 5 ? "onsite" : m < 8 ? "hybrid"
		                                                       : "remote");
		m = rint_(0, 19);
		if (m == 0)
			fputs("    language: sv\n", f);
		else if (m == 1)
			fputs("    language: de\n", f);
		if (rint_(0, 9) == 0)
			fprintf(f, "    max_km: %d\n", rint_(10, 25) * 10);
		if (rint_(0, 9) == 0 && !unit && i >= n_team)
			fputs("    experts: 2\n", f);
		if (i < n_team)
			fprintf(f, "    team: %d\n", rint_(2, 3));
	}
	fclose(f);

	f = NULL;
	for (i = 0; i < n_exp; i++) {
		int root = roots[rint_(0, n_roots - 1)], ns = rint_(3, 6), k, m;
		int picked[7], np = 0;

		if (i % per_file == 0) {
			char name[64];

			if (f)
				fclose(f);
			snprintf(name, sizeof name, "experts-%03ld.yaml", i / per_file);
			if (!(f = open_out(dir, name)))
				return 1;
			fputs("experts:\n", f);
		}
		fprintf(f, "  - id: e%07ld\n    name: %s %s %ld\n    garden: g%02ld\n"
		        "    home: p%05ld\n    skills:\n", i,
		        first[rint_(0, NELEM(first) - 1)],
		        last[rint_(0, NELEM(last) - 1)], i,
		        (long)rint_(0, (int)n_gardens - 1),
		        (long)rint_(0, (int)n_places - 1));
		for (k = 0; k < ns + 1; k++) {
			int s, dup;

			if (k == ns) {
				if (rint_(0, 3))
					break;
				s = rint_(0, n_skills - 1); /* a skill from elsewhere */
			} else {
				s = skill_in(root);
			}
			for (dup = 0, m = 0; m < np; m++)
				dup |= picked[m] == s;
			if (dup)
				continue;
			picked[np++] = s;
			fprintf(f, "      %s: %d\n", skill_id[s], rint_(2, 5));
		}
		if (unit)
			fputs("    capacity: 1\n", f);
		else if (rint_(0, 2) == 0)
			fprintf(f, "    capacity: %d\n", rint_(1, 4));
		if (rint_(0, 4) == 0)
			fprintf(f, "    max_travel_km: %d\n", rint_(10, 25) * 10);
		if (rint_(0, 5) == 0)
			fputs("    remote: false\n", f);
		m = rint_(0, 19);
		fputs(m < 4 ? "    languages: [nb]\n"
		      : m < 14 ? "    languages: [nb, en]\n"
		      : m < 17 ? "    languages: [nb, en, sv]\n"
		               : "    languages: [nb, en, de]\n", f);
	}
	if (f)
		fclose(f);
	return 0;
}
