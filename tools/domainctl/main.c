// SPDX-License-Identifier: GPL-2.0
/*
 * domainctl: load, upgrade, unload and inspect domain-core domains.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const struct {
	const char *name;
	command_fn *run;
} commands[] = {
	{ "load", cmd_load },
	{ "unload", cmd_unload },
	{ "upgrade", cmd_upgrade },
	{ "status", cmd_status },
	{ "list", cmd_list },
	{ "verify", cmd_verify },
	{ "apply", cmd_apply },
	{ "version", cmd_version },
};

void print_usage(FILE *out)
{
	fputs(
"Usage: domainctl [--json] COMMAND [ARGUMENT...]\n"
"\n"
"Commands:\n"
"  load IMAGE [NAME] [PARAM=VALUE...] [--restart=always|on-failure|never]\n"
"       [--max-restarts=N] [--restart-window=SECONDS] [--backoff=MS]\n"
"       [--call-budget-ms=MS] [--mem-max=SIZE]\n"
"                          verify IMAGE, then load it as domain NAME\n"
"  unload NAME             unload domain NAME\n"
"  upgrade NAME IMAGE [PARAM=VALUE...]\n"
"                          replace running domain NAME by IMAGE, live\n"
"  status [NAME]           show all domains, or everything about NAME\n"
"  list                    the names of the loaded domains\n"
"  verify IMAGE...         check images as the kernel's loader does, list\n"
"                          every problem with the rule it breaks\n"
"  verify --rules          list those rules\n"
"  apply [--remove] [--dry-run] [FILE]\n"
"                          load and upgrade domains to match FILE\n"
"                          (default /etc/domains.conf)\n"
"  version                 versions of domainctl and the domain_core module\n"
"\n"
"Options:\n"
"  --json                  machine-readable output on stdout\n"
"  -h, --help              show this help\n"
"\n"
"Exit status: 0 success, 1 failure, 2 usage error.  See domainctl(8).\n",
	      out);
}

int usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "domainctl: %s%s", command ? command : "",
		command ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'domainctl --help'.\n", stderr);
	return EXIT_USAGE;
}

void cli_getopt_start(void)
{
	opterr = 0;
	optind = 0;	/* glibc: start afresh */
}

int cli_common_option(struct cli *cli, const char *command, int opt,
		      char **argv)
{
	switch (opt) {
	case CLI_OPT_JSON:
		cli->json = true;
		return -1;
	case 'h':
		print_usage(stdout);
		return EXIT_SUCCESS;
	case ':':
		return usage_error(command, "option '%s' needs a value",
				   argv[optind - 1]);
	default:
		if (optopt && optopt < 0x100)
			return usage_error(command, "unknown option '-%c'",
					   optopt);
		return usage_error(command, "unknown option '%s'",
				   argv[optind - 1]);
	}
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			cli.json = true;
		} else if (strcmp(argv[i], "-h") == 0 ||
			   strcmp(argv[i], "--help") == 0) {
			print_usage(stdout);
			return EXIT_SUCCESS;
		} else if (strcmp(argv[i], "--version") == 0) {
			return cmd_version(&cli, 1, (char *[]){ "version", NULL });
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			return usage_error(NULL, "unknown option '%s'", argv[i]);
		}
	}
	if (i == argc)
		return usage_error(NULL, "no command given");
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (strcmp(argv[i], commands[c].name) == 0)
			return commands[c].run(&cli, argc - i, argv + i);
	return usage_error(NULL, "unknown command '%s'", argv[i]);
}
