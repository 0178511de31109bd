// SPDX-License-Identifier: GPL-2.0
/* version: of domainctl, and of the module it talks to. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "control.h"
#include "domain_status.h"
#include "json.h"
#include "report.h"

struct module_version {
	bool known;
	bool has_uapi;			/* only the ioctl tells the uapi */
	unsigned uapi;
	char version[32];
	char backend[32];
};

/* By DC_IOC_VERSION, else (no CAP_SYS_MODULE) from sysfs. */
static bool read_module_version(struct module_version *mv,
				char cause[CAUSE_LEN])
{
	struct module_status m;
	struct dc_version v;
	int fd = control_open(false, cause);

	memset(mv, 0, sizeof(*mv));
	if (fd >= 0) {
		memset(&v, 0, sizeof(v));
		if (control_ioctl(fd, CONTROL_VERSION, DC_IOC_VERSION, &v, NULL,
				  cause) == 0) {
			close(fd);
			mv->known = mv->has_uapi = true;
			mv->uapi = v.uapi_version;
			snprintf(mv->version, sizeof(mv->version), "%.*s",
				 (int)sizeof(v.module_version) - 1,
				 v.module_version);
			snprintf(mv->backend, sizeof(mv->backend), "%.*s",
				 (int)sizeof(v.backend) - 1, v.backend);
			return true;
		}
		close(fd);
	}
	module_status_read(&m);
	if (!module_known(&m, "version"))
		return false;	/* @cause says why the ioctl failed */
	mv->known = true;
	snprintf(mv->version, sizeof(mv->version), "%s", m.version);
	if (module_known(&m, "backend"))
		snprintf(mv->backend, sizeof(mv->backend), "%s", m.backend);
	return true;
}

int cmd_version(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct module_version mv;
	char cause[CAUSE_LEN];
	int opt;

	cli_getopt_start();
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		int status = cli_common_option(cli, "version", opt, argv);

		if (status >= 0)
			return status;
	}
	if (optind < argc)
		return usage_error("version", "takes no arguments");

	read_module_version(&mv, cause);
	if (cli->json) {
		struct json j;

		json_init(&j, stdout);
		json_object_begin(&j);
		json_member_string(&j, "domainctl", DOMAINCTL_VERSION);
		json_member_u64(&j, "uapi_version", DC_UAPI_VERSION);
		json_key(&j, "module");
		if (mv.known) {
			json_object_begin(&j);
			json_member_string(&j, "version", mv.version);
			json_member_string(&j, "backend", mv.backend);
			json_key(&j, "uapi_version");
			if (mv.has_uapi)
				json_u64(&j, mv.uapi);
			else
				json_null(&j);
			json_object_end(&j);
		} else {
			json_null(&j);
		}
		json_object_end(&j);
		json_end(&j);
	} else {
		printf("domainctl %s (uapi %d)\n", DOMAINCTL_VERSION,
		       DC_UAPI_VERSION);
		if (mv.known) {
			printf("domain_core %s", mv.version);
			if (mv.has_uapi)
				printf(" (uapi %u", mv.uapi);
			if (mv.backend[0])
				printf("%sbackend %s", mv.has_uapi ? ", " : " (",
				       mv.backend);
			if (mv.has_uapi || mv.backend[0])
				printf(")");
			printf("\n");
		}
	}
	if (!mv.known) {
		report_error("version", "domain_core", "%s", cause);
		return EXIT_PROBLEM;
	}
	if (mv.has_uapi && mv.uapi != DC_UAPI_VERSION) {
		report_error("version", "domain_core",
			     "module speaks uapi %u, domainctl uapi %d: install matching versions",
			     mv.uapi, DC_UAPI_VERSION);
		return EXIT_PROBLEM;
	}
	return EXIT_SUCCESS;
}
