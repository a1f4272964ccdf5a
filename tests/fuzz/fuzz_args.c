/* SPDX-License-Identifier: MIT */
/*
 * fuzz_args.c -- libFuzzer harness for the command line of `match`
 * (cli/args.c).  The input is split on NUL bytes into argv; args_parse()
 * must return ARGS_RUN, EXIT_OK, EXIT_USAGE (never crash, leak or hang),
 * and when the command would run, the values it would parse (--skill,
 * --optional-skill, --at, --pin, --mode, the KIND of list) parse without
 * harm.
 * `make fuzz` builds it with clang and runs it over tests/fuzz/corpus/args.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 256

/* A --skill (`weighted`) or --optional-skill value parses to a skill at
 * a level from 1 to 5 (a --skill's weight above 0, at most 1000), or
 * not at all. */
static void check_skill(const char *arg, bool weighted)
{
	char *buf = strdup(arg);
	lm_skill_req r;
	if (!buf)
		abort();
	if (parse_skill_arg(buf, &r) &&
	    (!*r.skill || r.level < 1 || r.level > 5 ||
	     (weighted && (!(r.weight > 0) || r.weight > 1000))))
		abort();
	free(buf);
}

static void check_values(const args *a)
{
	if (!a->cmd || !a->db || (a->npos && !a->pos))
		abort();
	for (size_t i = 0; i < a->nskills; i++)
		check_skill(a->skills[i], true);
	for (size_t i = 0; i < a->noptional; i++)
		check_skill(a->optional_skills[i], false);
	for (size_t i = 0; i < a->ntexts; i++)
		if (!a->texts[i])
			abort();
	for (size_t i = 0; i < a->npins; i++) {
		char *buf = strdup(a->pins[i]);
		lm_pin p;
		if (!buf)
			abort();
		if (parse_pin(buf, &p) && (!*p.need || !*p.expert))
			abort();
		free(buf);
	}
	double lat, lon;
	if (a->at && parse_latlon(a->at, &lat, &lon) &&
	    !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
		abort();
	lm_mode m;
	if (a->mode)
		(void)lm_mode_parse(a->mode, &m);
	lm_kind k;
	if (a->npos && !strcmp(a->cmd, "list"))
		(void)lm_kind_parse(a->pos[0], &k);
	if (a->period && !valid_period(a->period))
		abort();
	if (a->k_given && (a->k < 0 || a->k > 1000000000L))
		abort();
	if (a->max_km < 0 || (a->w_skill != -1.0 && a->w_skill < 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A NUL-terminated copy: each piece between NULs is one argument. */
	char *buf = malloc(size + 1);
	char *argv[MAX_ARGS + 1];
	int argc = 0;
	if (!buf)
		abort();
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)"match";
	for (size_t i = 0; i <= size && argc < MAX_ARGS;) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	args a;
	int ex = args_parse(argc, argv, &a);
	if (ex == ARGS_RUN)
		check_values(&a);
	else if (ex != EXIT_OK && ex != EXIT_USAGE)
		abort();
	args_free(&a);
	free(buf);
	return 0;
}
