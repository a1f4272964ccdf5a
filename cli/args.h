/* SPDX-License-Identifier: MIT */
/*
 * args.h -- the command line of `match` turned into an `args` struct,
 * without running anything: global and command options, the command and
 * its positional arguments, and the small value parsers (--skill, --at,
 * --pin, numbers).  Kept apart from main.c so that a fuzzer can drive it.
 */
#ifndef MATCH_ARGS_H
#define MATCH_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "libmatch.h"
#include "out.h"

/* Exit statuses, the one place they are named (also in --help and match(1)). */
enum {
	EXIT_OK = 0,       /* success, also an empty result */
	EXIT_INTERNAL = 1, /* out of memory or an internal error */
	EXIT_USAGE = 2,    /* bad command line */
	EXIT_INPUT = 3,    /* invalid input data (YAML), infeasible pin */
	EXIT_DB = 4,       /* database or I/O error */
	EXIT_UNKNOWN = 5   /* unknown id, or a name of more than one record */
};

/* args_parse() returns this when the command should run. */
#define ARGS_RUN (-1)

extern const char *const progname; /* "match", for messages */

typedef struct args {
	const char *db;
	out_format fmt;
	bool fmt_given;
	bool quiet;
	/* command options */
	const char *garden, *period, *at, *mode;
	const char *language, *company; /* top/explain: of the ad-hoc need;
	                       * list engagements: a filter */
	const char **skills;  /* malloc'd array; the strings are argv's */
	size_t nskills;
	const char **optional_skills; /* top: --optional-skill (as skills) */
	size_t noptional;
	const char **texts;   /* top: every --text (malloc'd; argv's) */
	size_t ntexts;
	const char **pins;    /* malloc'd array; the strings are argv's */
	size_t npins;
	long k;
	bool k_given;
	double max_km;
	double time_limit;    /* assign: --time-limit, 0 when not given */
	double w_skill, w_distance;
	bool available, commit;
	const char *svg;      /* map: the SVG file to write */
	bool plan;            /* map: draw the plan */
	const char **ats;     /* every --at, in order (malloc'd; argv's
	                       * strings); `at` is the last of them */
	size_t nats;
	const char **attendees; /* meeting: every --attendees GARDEN=N
	                       * (malloc'd array; argv's strings) */
	size_t nattendees;
	const char *html;     /* report: the HTML file to write */
	const char *lang;     /* report: nb (default) or en */
	char period_buf[8];   /* --period in canonical case; `period` points
	                       * here */
	bool period_all;      /* --period all (list engagements) */
	bool all;             /* list: retired records too */
	bool sync, dry_run;   /* load --sync [--dry-run] */
	const char *expert, *need; /* list engagements filters (and company) */
	/* positional */
	const char *cmd;      /* the command's name, one of args_commands */
	size_t cmd_index;     /* its index in args_commands (and commands.h) */
	char **pos;           /* points into argv, which is reordered */
	int npos;
} args;

/* The commands, in the order of commands.h's rows: each with the long
 * options it allows besides the global ones (space-separated) and its
 * lines of --help.  main.c runs the one at args.cmd_index. */
typedef struct args_command {
	const char *name;
	const char *opts;
	const char *help;
} args_command;
extern const args_command args_commands[];
extern const size_t args_ncommands;

/*
 * Parse argv into *a (defaults from $MATCH_DB).  Returns ARGS_RUN when
 * a->cmd should run, else the exit status to end with: EXIT_OK after
 * --help or --version (printed to stdout), EXIT_USAGE after a usage
 * error (printed to stderr), EXIT_INTERNAL when out of memory.  argv's
 * array is reordered (positionals compacted to its front); its strings
 * are not changed.  Call args_free(a) in every case.  Not reentrant
 * (getopt); callable again after args_free.
 */
int args_parse(int argc, char **argv, args *a);
void args_free(args *a);

/* Print "match: MESSAGE" and the --help hint to stderr; returns EXIT_USAGE. */
int usage_error(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Whole-string numbers: finite doubles; longs within lo..hi. */
bool parse_double(const char *s, double *out);
bool parse_long(const char *s, long lo, long hi, long *out);
/* S[:LEVEL[:WEIGHT]][:optional] (LEVEL 1..5, WEIGHT >0..1000) into req;
 * `buf` is cut in place and req->skill points into it. */
bool parse_skill_arg(char *buf, lm_skill_req *req);
/* "LAT,LON" within -90..90 and -180..180. */
bool parse_latlon(const char *s, double *lat, double *lon);
/* NEED=EXPERT, both non-empty; `buf` is cut in place. */
bool parse_pin(char *buf, lm_pin *pin);
/* YYYY-QN with N 1..4. */
bool valid_period(const char *p);

#endif
