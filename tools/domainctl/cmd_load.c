// SPDX-License-Identifier: GPL-2.0
/* load, upgrade, unload: one domain at a time. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "domain_ops.h"
#include "names.h"
#include "output.h"
#include "params.h"
#include "report.h"

enum {
	OPT_RESTART = 0x200,
	OPT_MAX_RESTARTS,
	OPT_RESTART_WINDOW,
	OPT_BACKOFF,
	OPT_CALL_BUDGET,
	OPT_MEM_MAX,
};

/* What one command did, for --json. */
struct outcome {
	const char *command;
	const char *name;
	const struct image_file *img;	/* NULL for unload */
	bool ok;
	const char *error;		/* kernel or system failure */
	const struct upgrade_result *upgrade;
};

static void print_json_outcome(const struct outcome *o)
{
	struct json j;

	json_init(&j, stdout);
	json_object_begin(&j);
	json_member_string(&j, "command", o->command);
	if (o->name)
		json_member_string(&j, "name", o->name);
	json_member_bool(&j, "ok", o->ok);
	if (o->error)
		json_member_string(&j, "error", o->error);
	if (o->img) {
		json_member_string(&j, "image", o->img->path);
		if (o->img->check.has_note)
			json_note_members(&j, &o->img->check.note);
		json_problems(&j, &o->img->check.problems);
	}
	if (o->upgrade) {
		json_member_string(&j, "old_version", o->upgrade->old_version);
		json_member_string(&j, "new_version", o->upgrade->new_version);
		json_member_u64(&j, "pause_ns", o->upgrade->pause_ns);
	}
	json_object_end(&j);
	json_end(&j);
}

/*
 * Collect PARAM=VALUE words into @params; a bad one is a usage error.
 * confine=on|off and standby=on|off are not the domain's: they go to
 * @limits, as the same words do in a domains.conf line.
 */
static int collect_params(const char *command, char params[DC_PARAMS_MAX],
			  struct limit_opts *limits, char **words, int count)
{
	char why[200];

	params[0] = '\0';
	for (int i = 0; i < count; i++) {
		const char *eq = strchr(words[i], '=');
		int setting = eq ? limit_setting_from_config_key(words[i],
								 (size_t)(eq - words[i])) : -1;

		if (setting == LIMIT_CONFINE || setting == LIMIT_STANDBY) {
			if (!limit_opts_set(limits, setting, setting == LIMIT_CONFINE ?
					    "confine" : "standby", eq + 1, why, sizeof(why)))
				return usage_error(command, "%s", why);
		} else if (!params_append(params, words[i], why, sizeof(why))) {
			return usage_error(command, "%s", why);
		}
	}
	return 0;
}

/*
 * Open and verify @path; if it is bad, report every problem and return
 * false (the kernel is then not asked).
 */
static bool open_verified(const char *command, struct image_file *img,
			  const char *path)
{
	if (image_file_open(img, path) == 0)
		return true;
	report_problems(command, path, &img->check.problems);
	return false;
}

static int finish(struct cli *cli, struct outcome *o)
{
	if (cli->json)
		print_json_outcome(o);
	return o->ok ? EXIT_SUCCESS : EXIT_PROBLEM;
}

int cmd_load(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "restart", required_argument, NULL, OPT_RESTART },
		{ "max-restarts", required_argument, NULL, OPT_MAX_RESTARTS },
		{ "restart-window", required_argument, NULL, OPT_RESTART_WINDOW },
		{ "backoff", required_argument, NULL, OPT_BACKOFF },
		{ "call-budget-ms", required_argument, NULL, OPT_CALL_BUDGET },
		{ "mem-max", required_argument, NULL, OPT_MEM_MAX },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static const struct {
		int opt;
		enum restart_setting setting;
		const char *name;
	} restart_options[] = {
		{ OPT_RESTART, RESTART_POLICY, "--restart" },
		{ OPT_MAX_RESTARTS, RESTART_MAX, "--max-restarts" },
		{ OPT_RESTART_WINDOW, RESTART_WINDOW, "--restart-window" },
		{ OPT_BACKOFF, RESTART_BACKOFF, "--backoff" },
	};
	static const struct {
		int opt;
		enum limit_setting setting;
		const char *name;
	} limit_options[] = {
		{ OPT_CALL_BUDGET, LIMIT_CALL_BUDGET, "--call-budget-ms" },
		{ OPT_MEM_MAX, LIMIT_MEM_MAX, "--mem-max" },
	};
	struct restart_opts restart = { 0 };
	struct limit_opts limits = { 0 };
	struct outcome o = { .command = "load" };
	char params[DC_PARAMS_MAX], cause[CAUSE_LEN], why[256];
	const char *name = NULL;
	struct image_file img;
	int opt, fd, first_param;

	cli_getopt_start();
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		bool handled = false;

		for (size_t i = 0; i < sizeof(restart_options) / sizeof(restart_options[0]); i++) {
			if (restart_options[i].opt != opt)
				continue;
			handled = true;
			if (!restart_opts_set(&restart, restart_options[i].setting,
					      restart_options[i].name, optarg, why,
					      sizeof(why)))
				return usage_error("load", "%s", why);
		}
		for (size_t i = 0; i < sizeof(limit_options) / sizeof(limit_options[0]); i++) {
			if (limit_options[i].opt != opt)
				continue;
			handled = true;
			if (!limit_opts_set(&limits, limit_options[i].setting,
					    limit_options[i].name, optarg, why,
					    sizeof(why)))
				return usage_error("load", "%s", why);
		}
		if (!handled) {
			int status = cli_common_option(cli, "load", opt, argv);

			if (status >= 0)
				return status;
		}
	}
	if (optind >= argc)
		return usage_error("load", "missing IMAGE");
	first_param = optind + 1;
	if (first_param < argc && !strchr(argv[first_param], '=')) {
		name = argv[first_param++];
		if (!domain_name_valid(name))
			return usage_error("load", "invalid domain name '%s' (use %s)",
					   name, DOMAIN_NAME_RULE);
	}
	if (collect_params("load", params, &limits, argv + first_param,
			   argc - first_param))
		return EXIT_USAGE;

	o.img = &img;
	if (!open_verified("load", &img, argv[optind])) {
		finish(cli, &o);
		image_file_close(&img);
		return EXIT_PROBLEM;
	}
	o.name = name ? name : img.check.note.name;
	fd = control_open(true, cause);
	if (fd >= 0) {
		o.ok = domain_load("load", fd, &img, name, params, &restart,
				   &limits, cause) == 0;
		close(fd);
	}
	if (o.ok && !cli->json)
		print_loaded(o.name, &img.check.note);
	if (!o.ok) {
		report_error("load", o.name, "%s", cause);
		o.error = cause;
	}
	finish(cli, &o);
	image_file_close(&img);
	return o.ok ? EXIT_SUCCESS : EXIT_PROBLEM;
}

int cmd_upgrade(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct outcome o = { .command = "upgrade" };
	struct limit_opts limits = { 0 };	/* only confine= and standby= apply */
	struct upgrade_result result;
	char params[DC_PARAMS_MAX], cause[CAUSE_LEN];
	struct image_file img;
	int opt, fd;

	cli_getopt_start();
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		int status = cli_common_option(cli, "upgrade", opt, argv);

		if (status >= 0)
			return status;
	}
	if (argc - optind < 2)
		return usage_error("upgrade", "need NAME and IMAGE");
	o.name = argv[optind];
	if (!domain_name_valid(o.name))
		return usage_error("upgrade", "invalid domain name '%s' (use %s)",
				   o.name, DOMAIN_NAME_RULE);
	if (collect_params("upgrade", params, &limits, argv + optind + 2,
			   argc - optind - 2))
		return EXIT_USAGE;

	o.img = &img;
	if (!open_verified("upgrade", &img, argv[optind + 1])) {
		finish(cli, &o);
		image_file_close(&img);
		return EXIT_PROBLEM;
	}
	fd = control_open(true, cause);
	if (fd >= 0) {
		o.ok = domain_upgrade("upgrade", fd, &img, o.name, params,
				      limit_opts_load_flags(&limits), &result,
				      cause) == 0;
		close(fd);
	}
	if (o.ok) {
		o.upgrade = &result;
		if (!cli->json)
			print_upgraded(o.name, &result);
	} else {
		report_error("upgrade", o.name, "%s", cause);
		o.error = cause;
	}
	finish(cli, &o);
	image_file_close(&img);
	return o.ok ? EXIT_SUCCESS : EXIT_PROBLEM;
}

int cmd_unload(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct outcome o = { .command = "unload" };
	char cause[CAUSE_LEN];
	int opt, fd;

	cli_getopt_start();
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		int status = cli_common_option(cli, "unload", opt, argv);

		if (status >= 0)
			return status;
	}
	if (argc - optind != 1)
		return usage_error("unload", "need exactly one NAME");
	o.name = argv[optind];
	if (!domain_name_valid(o.name))
		return usage_error("unload", "invalid domain name '%s' (use %s)",
				   o.name, DOMAIN_NAME_RULE);
	fd = control_open(true, cause);
	if (fd >= 0) {
		o.ok = domain_unload(fd, o.name, cause) == 0;
		close(fd);
	}
	if (o.ok && !cli->json)
		printf("unloaded %s\n", o.name);
	if (!o.ok) {
		report_error("unload", o.name, "%s", cause);
		o.error = cause;
	}
	return finish(cli, &o);
}
