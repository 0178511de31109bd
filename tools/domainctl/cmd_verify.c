// SPDX-License-Identifier: GPL-2.0
/* verify: check images in userspace, every problem by name. */
#include <stdlib.h>
#include "cli.h"
#include "image_file.h"
#include "json.h"
#include "output.h"

int cmd_verify(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	bool all_ok = true;
	struct json j;
	int opt;

	cli_getopt_start();
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		int status = cli_common_option(cli, "verify", opt, argv);

		if (status >= 0)
			return status;
	}
	if (optind >= argc)
		return usage_error("verify", "missing IMAGE");

	if (cli->json) {
		json_init(&j, stdout);
		json_array_begin(&j);
	}
	for (int i = optind; i < argc; i++) {
		struct image_file img;
		bool ok = image_file_open(&img, argv[i]) == 0;
		char summary[160];

		all_ok = all_ok && ok;
		report_problems("verify", argv[i], &img.check.problems);
		if (ok) {
			image_note_summary(&img.check.note, summary,
					   sizeof(summary));
			if (!cli->json)
				printf("%s: ok (%s)\n", argv[i], summary);
		}
		if (cli->json) {
			json_object_begin(&j);
			json_member_string(&j, "image", argv[i]);
			json_member_bool(&j, "ok", ok);
			if (img.check.has_note)
				json_note_members(&j, &img.check.note);
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
