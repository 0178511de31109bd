// SPDX-License-Identifier: GPL-2.0
/* verify: check images as the kernel's loader does, every problem by rule. */
#include <stdlib.h>
#include "cli.h"
#include "image_file.h"
#include "json.h"
#include "loader/elf_image.h"
#include "output.h"

enum { OPT_RULES = 0x200 };

/* --rules: every rule an image must follow, id and summary. */
static int list_rules(const struct cli *cli)
{
	struct json j;

	if (cli->json) {
		json_init(&j, stdout);
		json_array_begin(&j);
	}
	for (unsigned int id = 0; id < DC_NR_RULES; id++) {
		if (!cli->json) {
			printf("%-22s %s\n", dc_elf_rule_name(id),
			       dc_elf_rule_summary(id));
			continue;
		}
		json_object_begin(&j);
		json_member_string(&j, "rule", dc_elf_rule_name(id));
		json_member_string(&j, "summary", dc_elf_rule_summary(id));
		json_object_end(&j);
	}
	if (cli->json) {
		json_array_end(&j);
		json_end(&j);
	}
	return EXIT_SUCCESS;
}

int cmd_verify(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "rules", no_argument, NULL, OPT_RULES },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	bool all_ok = true, rules = false;
	struct json j;
	int opt;

	cli_getopt_start();
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		int status;

		if (opt == OPT_RULES) {
			rules = true;
			continue;
		}
		status = cli_common_option(cli, "verify", opt, argv);
		if (status >= 0)
			return status;
	}
	if (rules)
		return optind < argc ? usage_error("verify", "--rules takes no IMAGE")
				     : list_rules(cli);
	if (optind >= argc)
		return usage_error("verify", "missing IMAGE");

	if (cli->json) {
		json_init(&j, stdout);
		json_array_begin(&j);
	}
	for (int i = optind; i < argc; i++) {
		struct image_file img;
		bool ok = image_file_open(&img, argv[i]) == 0;

		all_ok = all_ok && ok;
		report_problems("verify", argv[i], &img.check.problems);
		if (ok && !cli->json) {
			printf("%s: ok (", argv[i]);
			image_note_print(stdout, &img.check.note);
			if (img.check.is_signed)
				printf("), signed by %s\n", img.check.signer);
			else
				printf("), unsigned\n");
		}
		if (cli->json) {
			json_object_begin(&j);
			json_member_string(&j, "image", argv[i]);
			json_member_bool(&j, "ok", ok);
			if (img.check.has_note)
				json_note_members(&j, &img.check.note);
			/* null: unknown (the file was not read). */
			json_key(&j, "signed");
			if (img.check.was_read)
				json_bool(&j, img.check.is_signed);
			else
				json_null(&j);
			json_key(&j, "signer");
			if (img.check.signer[0])
				json_string(&j, img.check.signer);
			else
				json_null(&j);
			json_problems(&j, &img.check.problems);
			json_object_end(&j);
		}
		image_file_close(&img);
	}
	if (cli->json) {
		json_array_end(&j);
		json_end(&j);
	}
	return all_ok ? EXIT_SUCCESS : EXIT_PROBLEM;
}
