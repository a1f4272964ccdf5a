/* SPDX-License-Identifier: MIT */
/*
 * commands.h -- the commands of `match`, listed once.  Each row is
 *
 *     X(NAME, FUNCTION, OPTIONS, HELP)
 *
 *   NAME      the command word on the command line;
 *   FUNCTION  int FUNCTION(const args *), declared in cli.h, defined in
 *             the command's cli/cmd_*.c;
 *   OPTIONS   the long options it takes besides the global ones,
 *             space-separated (the names of args.c's long_opts; "k" for -k),
 *             in any order (MATCH_SCORE_OPTIONS and MATCH_ADHOC_OPTIONS
 *             name the lists that several commands take);
 *   HELP      its lines of the "Commands:" section of --help, in order.
 *
 * args.c expands the rows into its table of names, options and help
 * (never naming FUNCTION, so that the fuzzer can link args.c alone);
 * main.c expands them into the table of functions it dispatches to.
 * Adding a command: a file cli/cmd_*.c with its function, a row here,
 * any new option in args.c (long_opts, the switch, --help), match(1) and
 * completion/match.bash.
 */
#ifndef MATCH_COMMANDS_H
#define MATCH_COMMANDS_H

/* The score's limit and weights and the period, which fill_options reads,
 * for every command that ranks or plans. */
#define MATCH_SCORE_OPTIONS "max-km weight-skill weight-distance period"
/* An ad-hoc need (adhoc_given), for top and explain. */
#define MATCH_ADHOC_OPTIONS                                                    \
	"skill optional-skill nice text at mode language company"

#define MATCH_COMMANDS(X)                                                      \
	X("init", cmd_init, "",                                                \
	  "  init                       create or upgrade the database (idempotent)\n") \
	X("load", cmd_load, "sync dry-run",                                    \
	  "  load PATH...               load YAML files/folders, all or nothing\n" \
	  "  load --sync [--dry-run] PATH...\n"                                  \
	  "                             the files are every record of their kinds:\n" \
	  "                             records not in them are retired\n")     \
	X("validate", cmd_validate, "",                                        \
	  "  validate PATH...           check YAML (against the database if it exists);\n" \
	  "                             never writes\n")                           \
	X("list", cmd_list, "garden skill period all expert need company",     \
	  "  list KIND                  KIND: places gardens skills experts companies\n" \
	  "                             needs distances engagements\n")            \
	X("top", cmd_top,                                                      \
	  "k available " MATCH_SCORE_OPTIONS " " MATCH_ADHOC_OPTIONS,          \
	  "  top NEED-ID                best experts for a stored need\n"          \
	  "  top --skill S[:LEVEL[:WEIGHT]]... [--optional-skill S...]\n"         \
	  "      --at PLACE|LAT,LON     best experts for an ad-hoc need\n"         \
	  "  top --text TEXT --at PLACE|LAT,LON\n"                                \
	  "                             the same for a need in words\n")           \
	X("suggest", cmd_suggest, "",                                          \
	  "  suggest TEXT...            the skills a need in words asks for, with\n" \
	  "                             the words that named them\n"              \
	  "  suggest NEED-ID            the same for a stored need's description,\n" \
	  "                             marking the skills it does not list\n")   \
	X("teams", cmd_teams, "k " MATCH_SCORE_OPTIONS,                        \
	  "  teams NEED-ID              the best teams for a need (-k N, default 5)\n") \
	X("explain", cmd_explain,                                              \
	  MATCH_SCORE_OPTIONS " " MATCH_ADHOC_OPTIONS,                         \
	  "  explain NEED-ID EXPERT-ID  every component of a pair's score, or every\n" \
	  "                             rule that makes it infeasible\n"          \
	  "  explain NEED-ID EXPERT-ID EXPERT-ID...\n"                            \
	  "                             the same for a team\n"                   \
	  "  explain --skill S... --at PLACE|LAT,LON EXPERT-ID\n"                  \
	  "                             the same for an ad-hoc need\n")           \
	X("assign", cmd_assign,                                                \
	  MATCH_SCORE_OPTIONS " commit pin time-limit",                        \
	  "  assign                     the optimal plan for all open needs\n")    \
	X("release", cmd_release, "period",                                    \
	  "  release NEED-ID [EXPERT-ID]  undo committed engagements of the period\n") \
	X("retire", cmd_retire, "",                                            \
	  "  retire KIND ID             retire an expert, company or need: kept with\n" \
	  "                             its history, never ranked or planned again\n") \
	X("restore", cmd_restore, "",                                          \
	  "  restore KIND ID            undo retire\n")                          \
	X("done", cmd_done, "",                                                \
	  "  done NEED-ID               the need is done: never planned again\n") \
	X("withdraw", cmd_withdraw, "",                                        \
	  "  withdraw NEED-ID           the company withdrew the need\n")       \
	X("export", cmd_export, "",                                            \
	  "  export                     the whole database as YAML (or --format json)\n") \
	X("map", cmd_map, "svg plan k " MATCH_SCORE_OPTIONS,                   \
	  "  map [NEED-ID|--plan] --svg FILE\n"                                    \
	  "                             an SVG map: a need's best experts and reach,\n" \
	  "                             or the quarter's plan\n")                \
	X("meeting", cmd_meeting, "period attendees at",                       \
	  "  meeting [--attendees GARDEN=N]... [--at PLACE]...\n"              \
	  "                             where to hold the quarter's joint meeting:\n" \
	  "                             places by everyone's travel, and the fairest\n") \
	X("report", cmd_report, "html lang " MATCH_SCORE_OPTIONS,              \
	  "  report --html FILE         the quarter's report for the joint meeting:\n" \
	  "                             one self-contained HTML page (A4 to print)\n")

#endif
