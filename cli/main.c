/* SPDX-License-Identifier: MIT */
/*
 * main.c -- `match`, the adviser's command line over libmatch: parses the
 * arguments (args.c), runs the command (one row of commands.h, its
 * function in a cli/cmd_*.c) and checks at exit that stdout was written.
 * Data goes to stdout, diagnostics to stderr, and the exit status says
 * what went wrong (exit_code in common.c, the statuses in args.h and
 * --help).  The CLI uses the public API (include/libmatch.h) only.
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* The functions of commands.h's rows, in the order of args_commands. */
#define MAIN_ROW(name, fn, opts, help) fn,
static int (*const commands[])(const args *) = {MATCH_COMMANDS(MAIN_ROW)};
#undef MAIN_ROW

int main(int argc, char **argv)
{
	/* A reader that goes away (`match list experts | head -1`) ends the
	 * process quietly, as it does grep and jq, even when the caller
	 * ignored SIGPIPE.  Every database write is committed before its
	 * output is printed, and a write cut short rolls back anyway. */
	signal(SIGPIPE, SIG_DFL);
	args a;
	int ex = args_parse(argc, argv, &a);
	if (ex == ARGS_RUN)
		ex = commands[a.cmd_index](&a);
	args_free(&a);
	/* A failed write to stdout (a full disk) is an I/O error. */
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE && !output_reported)
			fprintf(stderr, "%s: error writing output: %s\n", progname,
			        strerror(errno ? errno : EIO));
		return errno == EPIPE ? ex : EXIT_DB;
	}
	if (fclose(stdout) != 0) {
		fprintf(stderr, "%s: error writing output: %s\n", progname,
		        strerror(errno));
		return EXIT_DB;
	}
	return ex;
}
