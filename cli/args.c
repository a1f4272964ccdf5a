/* SPDX-License-Identifier: MIT */
/*
 * args.c -- parses the command line of `match` into an `args` struct and
 * checks it (known command, options allowed for it, well-formed values)
 * without opening anything; main.c runs the command.  Every value from
 * the command line is parsed whole, with range and overflow checks.
 */
#include "args.h"
#include "commands.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const progname = "match";

int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", progname);
	return EXIT_USAGE;
}

static void print_help(void)
{
	printf(
"Usage: match [OPTION]... COMMAND [ARG]...\n"
"Match experts of the Hedmark business gardens to companies' needs.\n"
"\n"
"Commands:\n");
	for (size_t i = 0; i < args_ncommands; i++)
		fputs(args_commands[i].help, stdout);
	printf(
"\n"
"Global options (before or after the command):\n"
"      --db FILE              database (default $MATCH_DB, else ./match.db)\n"
"  -f, --format FMT           table (default), json, csv or yaml\n"
"  -q, --quiet                no progress or notes on stderr\n"
"  -h, --help                 show this help and exit\n"
"  -V, --version              show the version and exit\n"
"\n"
"Command options:\n"
"      --garden G             list: only records of garden G\n"
"      --skill S              list: experts/needs with skill S (or narrower);\n"
"                             top/explain: a skill of the ad-hoc need,\n"
"                             S[:LEVEL[:WEIGHT]][:optional], repeatable\n"
"      --optional-skill S     top/explain: an optional skill of the ad-hoc\n"
"                             need, repeatable (S[:LEVEL[:WEIGHT]]; the same\n"
"                             as --skill S:...:optional)\n"
"      --nice S               the same as --optional-skill S\n"
"      --language L           top/explain: the ad-hoc need's language\n"
"      --company C            top/explain: the ad-hoc need's company (an\n"
"                             expert with a conflict of interest is out)\n"
"      --text TEXT            top/explain: the ad-hoc need in words: its first\n"
"                             suggested skill required, the others optional\n"
"      --period P             quarter like 2026-Q4 (default: current);\n"
"                             list engagements: 'all' for every quarter\n"
"      --all                  list: retired records too\n"
"      --expert E, --need N, --company C\n"
"                             list engagements: only those of E, N or C\n"
"      --sync                 load: retire the records of the files' kinds\n"
"                             that the files do not name\n"
"      --dry-run              load --sync: say what it would do, write nothing\n"
"  -k N                       top: how many experts (default 10, 0 = all);\n"
"                             map: how many matches to draw (default 5)\n"
"      --max-km KM            top/explain/assign: a tighter distance limit\n"
"      --at PLACE|LAT,LON     top/explain: where the ad-hoc need is;\n"
"                             meeting: a candidate place, repeatable\n"
"      --mode M               top/explain: the ad-hoc need's mode, onsite\n"
"                             (default), remote or hybrid\n"
"      --available            top: hide experts with no capacity left\n"
"      --weight-skill W       score weight of skill fit (default: settings)\n"
"      --weight-distance W    score weight of distance (default: settings)\n"
"      --commit               assign: record the plan's engagements\n"
"      --pin NEED=EXPERT      assign: force a pair into the plan, repeatable\n"
"      --time-limit S         assign: stop the proof of optimality\n"
"                             of a plan with teams after S seconds (default 120)\n"
"      --svg FILE             map: the SVG file to write ('-': stdout)\n"
"      --plan                 map: draw the quarter's plan\n"
"      --attendees GARDEN=N   meeting: people garden GARDEN sends (default 2,\n"
"                             0: it does not travel), repeatable\n"
"      --html FILE            report: the HTML page to write ('-': stdout)\n"
"      --lang L               report: nb (Norwegian, default) or en\n"
"\n"
"Exit status: 0 success (also an empty result), 1 internal error,\n"
"2 usage error, 3 invalid input data, 4 database or I/O error, 5 unknown id\n"
"(or a name of more than one record).\n");
}

/* ---- small helpers ----------------------------------------------------------- */

bool parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v))
		return false;
	*out = v;
	return true;
}

bool parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Parse S[:LEVEL[:WEIGHT]][:optional] into req; the skill text points
 * into `buf`. */
bool parse_skill_arg(char *buf, lm_skill_req *req)
{
	char *last = strrchr(buf, ':');
	req->skill = buf;
	req->level = 1;
	req->weight = 1.0;
	req->optional = 0;
	if (last && !strcmp(last + 1, "optional")) {
		*last = '\0';
		req->optional = 1;
	}
	char *p1 = strchr(buf, ':'), *p2 = NULL;
	if (p1) {
		*p1++ = '\0';
		p2 = strchr(p1, ':');
		if (p2)
			*p2++ = '\0';
		long lv;
		if (!parse_long(p1, 1, 5, &lv))
			return false;
		req->level = (int)lv;
		if (p2 && (strchr(p2, ':') || !parse_double(p2, &req->weight) ||
		           !(req->weight > 0) || req->weight > 1000))
			return false;
	}
	return *buf != '\0';
}

bool parse_latlon(const char *s, double *lat, double *lon)
{
	const char *comma = strchr(s, ',');
	if (!comma || comma == s)
		return false;
	char buf[64];
	size_t n = (size_t)(comma - s);
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return parse_double(buf, lat) && parse_double(comma + 1, lon) &&
	       *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180;
}

bool parse_pin(char *buf, lm_pin *pin)
{
	char *eq = strchr(buf, '=');
	if (!eq || eq == buf || !eq[1])
		return false;
	*eq = '\0';
	pin->need = buf;
	pin->expert = eq + 1;
	return true;
}

bool valid_period(const char *p)
{
	return strlen(p) == 7 && p[0] >= '0' && p[0] <= '9' && p[1] >= '0' &&
	       p[1] <= '9' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
	       p[3] <= '9' && p[4] == '-' && p[5] == 'Q' && p[6] >= '1' &&
	       p[6] <= '4';
}

/* ---- the command line -------------------------------------------------------- */

#define ARGS_ROW(name, fn, opts, help) {name, opts, help},
const args_command args_commands[] = {MATCH_COMMANDS(ARGS_ROW)};
#undef ARGS_ROW
const size_t args_ncommands = sizeof(args_commands) / sizeof(*args_commands);

enum {
	OPT_DB = 256, OPT_GARDEN, OPT_SKILL, OPT_PERIOD, OPT_MAXKM, OPT_AT,
	OPT_MODE, OPT_AVAILABLE, OPT_WSKILL, OPT_WDIST, OPT_COMMIT, OPT_PIN,
	OPT_SVG, OPT_PLAN, OPT_ATTENDEES, OPT_OPTSKILL, OPT_TEXT, OPT_NICE,
	OPT_LANGUAGE, OPT_COMPANY, OPT_HTML, OPT_LANG, OPT_ALL, OPT_SYNC,
	OPT_DRYRUN, OPT_EXPERT, OPT_NEED, OPT_TIMELIMIT
};

static const struct option long_opts[] = {
	{"db", required_argument, NULL, OPT_DB},
	{"format", required_argument, NULL, 'f'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{"garden", required_argument, NULL, OPT_GARDEN},
	{"skill", required_argument, NULL, OPT_SKILL},
	{"period", required_argument, NULL, OPT_PERIOD},
	{"max-km", required_argument, NULL, OPT_MAXKM},
	{"at", required_argument, NULL, OPT_AT},
	{"mode", required_argument, NULL, OPT_MODE},
	{"available", no_argument, NULL, OPT_AVAILABLE},
	{"weight-skill", required_argument, NULL, OPT_WSKILL},
	{"weight-distance", required_argument, NULL, OPT_WDIST},
	{"commit", no_argument, NULL, OPT_COMMIT},
	{"pin", required_argument, NULL, OPT_PIN},
	{"svg", required_argument, NULL, OPT_SVG},
	{"plan", no_argument, NULL, OPT_PLAN},
	{"attendees", required_argument, NULL, OPT_ATTENDEES},
	{"optional-skill", required_argument, NULL, OPT_OPTSKILL},
	{"text", required_argument, NULL, OPT_TEXT},
	{"nice", required_argument, NULL, OPT_NICE},
	{"language", required_argument, NULL, OPT_LANGUAGE},
	{"all", no_argument, NULL, OPT_ALL},
	{"sync", no_argument, NULL, OPT_SYNC},
	{"dry-run", no_argument, NULL, OPT_DRYRUN},
	{"expert", required_argument, NULL, OPT_EXPERT},
	{"need", required_argument, NULL, OPT_NEED},
	{"company", required_argument, NULL, OPT_COMPANY},
	{"html", required_argument, NULL, OPT_HTML},
	{"lang", required_argument, NULL, OPT_LANG},
	{"time-limit", required_argument, NULL, OPT_TIMELIMIT},
	{NULL, 0, NULL, 0},
};

/* Is option `name` allowed for the command? */
static bool allowed(const args_command *c, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = c->opts; (p = strstr(p, name)); p += n)
		if ((p == c->opts || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

/* The options that may be given again and again: each a malloc'd list of
 * argv's strings with room for every argument, made by args_parse and
 * freed by args_free. */
#define ARGS_LISTS(a)                                                          \
	{&(a)->skills, &(a)->optional_skills, &(a)->texts, &(a)->pins,         \
	 &(a)->ats, &(a)->attendees}

void args_free(args *a)
{
	const char ***lists[] = ARGS_LISTS(a);
	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		free(*lists[i]);
		*lists[i] = NULL;
	}
}

/* Apply option `c` (getopt_long's return; `lname` its long name) to *a.
 * Returns ARGS_RUN to go on, else the exit status to end with. */
static int take_option(args *a, int c, const char *lname, char **argv)
{
	switch (c) {
	case OPT_DB: a->db = optarg; break;
	case 'f':
		a->fmt_given = true;
		if (!strcmp(optarg, "table")) a->fmt = OUT_TABLE;
		else if (!strcmp(optarg, "json")) a->fmt = OUT_JSON;
		else if (!strcmp(optarg, "csv")) a->fmt = OUT_CSV;
		else if (!strcmp(optarg, "yaml")) a->fmt = OUT_YAML;
		else return usage_error("unknown format '%s' (table, json, csv, yaml)", optarg);
		break;
	case 'q': a->quiet = true; break;
	case 'h': print_help(); return EXIT_OK;
	case 'V': printf("match (libmatch) %s\n", lm_version()); return EXIT_OK;
	case 'k':
		if (!parse_long(optarg, 0, 1000000000L, &a->k))
			return usage_error("-k wants a whole number >= 0, not '%s'", optarg);
		a->k_given = true;
		break;
	case OPT_GARDEN: a->garden = optarg; break;
	case OPT_SKILL: a->skills[a->nskills++] = optarg; break;
	case OPT_PERIOD:
		/* `list engagements --period all`: every quarter. */
		if (!strcmp(optarg, "all")) {
			a->period_all = true;
			a->period = NULL;
			break;
		}
		a->period_all = false;
		/* Any case on the command line ("2026-q4"), the one case
		 * inside, as periods are stored. */
		if (strlen(optarg) == 7)
			memcpy(a->period_buf, optarg, 8);
		else
			a->period_buf[0] = '\0';
		if (a->period_buf[5] == 'q')
			a->period_buf[5] = 'Q';
		if (!valid_period(a->period_buf))
			return usage_error("--period wants YYYY-QN like 2026-Q4, not '%s'", optarg);
		a->period = a->period_buf;
		break;
	case OPT_MAXKM:
		if (!parse_double(optarg, &a->max_km) || !(a->max_km > 0))
			return usage_error("--max-km wants a number > 0, not '%s'", optarg);
		break;
	case OPT_TIMELIMIT:
		if (!parse_double(optarg, &a->time_limit) || !(a->time_limit > 0) ||
		    a->time_limit > 1e6)
			return usage_error("--time-limit wants seconds > 0, not '%s'",
			                   optarg);
		break;
	case OPT_AT: a->at = a->ats[a->nats++] = optarg; break;
	case OPT_MODE: a->mode = optarg; break;
	case OPT_AVAILABLE: a->available = true; break;
	case OPT_WSKILL:
	case OPT_WDIST: {
		double w;
		if (!parse_double(optarg, &w) || w < 0 || w > 1000)
			return usage_error("--%s wants a number 0..1000, not '%s'", lname, optarg);
		*(c == OPT_WSKILL ? &a->w_skill : &a->w_distance) = w;
		break;
	}
	case OPT_COMMIT: a->commit = true; break;
	case OPT_PIN: a->pins[a->npins++] = optarg; break;
	case OPT_SVG: a->svg = optarg; break;
	case OPT_PLAN: a->plan = true; break;
	case OPT_ATTENDEES: a->attendees[a->nattendees++] = optarg; break;
	/* --nice S is --optional-skill S, shorter. */
	case OPT_OPTSKILL:
	case OPT_NICE: a->optional_skills[a->noptional++] = optarg; break;
	case OPT_LANGUAGE: a->language = optarg; break;
	case OPT_COMPANY: a->company = optarg; break;
	case OPT_TEXT: a->texts[a->ntexts++] = optarg; break;
	case OPT_HTML: a->html = optarg; break;
	case OPT_LANG:
		if (strcmp(optarg, "nb") && strcmp(optarg, "en"))
			return usage_error("--lang wants nb or en, not '%s'", optarg);
		a->lang = optarg;
		break;
	case OPT_ALL: a->all = true; break;
	case OPT_SYNC: a->sync = true; break;
	case OPT_DRYRUN: a->dry_run = true; break;
	case OPT_EXPERT: a->expert = optarg; break;
	case OPT_NEED: a->need = optarg; break;
	case ':':
		return usage_error("option '%s' needs an argument", argv[optind - 1]);
	default:
		if (optopt)
			return usage_error("unknown option '-%c'", optopt);
		return usage_error("unknown option '%s'", argv[optind - 1]);
	}
	return ARGS_RUN;
}

/* The command must be known, and every command option given must be
 * one of its own (`used`: their long names, "k" for -k). */
static int check_command(args *a, const char **used, size_t nused)
{
	if (!a->cmd)
		return usage_error("no command given");
	const args_command *cmd = NULL;
	for (size_t i = 0; i < args_ncommands; i++)
		if (!strcmp(a->cmd, args_commands[i].name)) {
			cmd = &args_commands[i];
			a->cmd_index = i;
		}
	if (!cmd)
		return usage_error("unknown command '%s'", a->cmd);
	for (size_t i = 0; i < nused; i++)
		if (!allowed(cmd, used[i]))
			return usage_error("%s%s is not an option of '%s'",
			                   strlen(used[i]) == 1 ? "-" : "--", used[i],
			                   cmd->name);
	return ARGS_RUN;
}

int args_parse(int argc, char **argv, args *a)
{
	memset(a, 0, sizeof(*a));
	a->w_skill = a->w_distance = -1.0;
	a->db = getenv("MATCH_DB");
	if (!a->db || !*a->db)
		a->db = "match.db";
	a->pos = argv;
	if (argc < 1)
		return usage_error("no command given");
	/* Each argument is at most one option, so argc bounds every list. */
	const char **used = calloc((size_t)argc, sizeof(*used));
	size_t nused = 0;
	int ex = ARGS_RUN;
	bool oom = !used;
	const char ***lists[] = ARGS_LISTS(a);
	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		*lists[i] = calloc((size_t)argc, sizeof(**lists[i]));
		oom |= !*lists[i];
	}
	if (oom) {
		fprintf(stderr, "%s: out of memory\n", progname);
		free(used);
		return EXIT_INTERNAL;
	}
	optind = 0; /* glibc: start afresh, also on a second call */
	opterr = 0;
	bool dashdash = false; /* after "--" every argument is positional */
	int c = -1, li;
	while (ex == ARGS_RUN) {
		if (!dashdash) {
			int before = optind ? optind : 1;
			c = getopt_long(argc, argv, "+:f:qhVk:", long_opts, &li);
			if (c == -1 && optind == before + 1 &&
			    !strcmp(argv[before], "--")) {
				dashdash = true;
				continue;
			}
		}
		if (dashdash || c == -1) {
			if (optind >= argc)
				break;
			/* A non-option: the command or one of its arguments.
			 * Keep scanning so that options may follow them. */
			if (!a->cmd)
				a->cmd = argv[optind];
			else
				argv[a->npos++] = argv[optind]; /* compact in place */
			optind++;
			continue;
		}
		const char *lname = NULL;
		for (const struct option *o = long_opts; o->name; o++)
			if (o->val == c)
				lname = o->name;
		/* Command options, checked against the command at the end. */
		if (c >= OPT_GARDEN)
			used[nused++] = lname;
		else if (c == 'k')
			used[nused++] = "k";
		ex = take_option(a, c, lname, argv);
	}
	if (ex == ARGS_RUN)
		ex = check_command(a, used, nused);
	if (ex == ARGS_RUN && a->period_all && strcmp(a->cmd, "list"))
		ex = usage_error("--period all is for list engagements; '%s' "
		                 "wants one quarter", a->cmd);
	if (ex == ARGS_RUN && a->dry_run && !a->sync)
		ex = usage_error("--dry-run goes with load --sync");
	free(used);
	return ex;
}
