/* SPDX-License-Identifier: GPL-2.0 */
/* The commands of domainctl and what they share. */
#ifndef DOMAINCTL_CLI_H
#define DOMAINCTL_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#define EXIT_PROBLEM	1	/* something failed or is bad */
#define EXIT_USAGE	2	/* the command line is wrong */

#ifndef DOMAINCTL_VERSION
#define DOMAINCTL_VERSION "unknown"
#endif

struct cli {
	bool json;		/* --json: machine-readable stdout */
};

/* Each command gets argv[0] = its name, then its own arguments. */
typedef int command_fn(struct cli *cli, int argc, char **argv);

command_fn cmd_load, cmd_unload, cmd_upgrade, cmd_status, cmd_list,
	cmd_verify, cmd_apply, cmd_version;

/* Options every command takes, for getopt_long tables. */
#define CLI_OPT_JSON	0x100
#define CLI_COMMON_OPTIONS \
	{ "json", no_argument, NULL, CLI_OPT_JSON }, \
	{ "help", no_argument, NULL, 'h' }

/*
 * Start option parsing for a command: getopt_long reports nothing itself
 * (cli_common_option words it as domainctl does).  Option strings must
 * start with ':' so that a missing value is told from an unknown option.
 */
void cli_getopt_start(void);

/*
 * Handle an option every command shares, or a getopt error.  Returns -1
 * if the command should go on, else the exit status to return.
 */
int cli_common_option(struct cli *cli, const char *command, int opt,
		      char **argv);

void print_usage(FILE *out);

/* "domainctl: COMMAND: MESSAGE" and a pointer to --help; returns 2. */
int usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
