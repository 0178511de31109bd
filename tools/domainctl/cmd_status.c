// SPDX-License-Identifier: GPL-2.0
/* status and list: what runs, read from the kernel. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "domain_status.h"
#include "human.h"
#include "image_record.h"
#include "json.h"
#include "paths.h"
#include "report.h"
#include "xalloc.h"

/* One cell of the table; the columns size themselves to their widest. */
#define CELL_LEN	48

enum column {
	COL_NAME, COL_VERSION, COL_IFACE, COL_STATE, COL_CONFINED, COL_CALLS,
	COL_FAULTS, COL_RESTARTS, COL_MEMORY, COL_PAUSE, NR_COLUMNS
};

static const struct {
	const char *title;
	bool right_aligned;		/* numbers */
} columns[NR_COLUMNS] = {
	[COL_NAME] = { "NAME", false },
	[COL_VERSION] = { "VERSION", false },
	[COL_IFACE] = { "IFACE", false },
	[COL_STATE] = { "STATE", false },
	[COL_CONFINED] = { "CONFINED", false },
	[COL_CALLS] = { "CALLS", true },
	[COL_FAULTS] = { "FAULTS", true },
	[COL_RESTARTS] = { "RESTARTS", true },
	[COL_MEMORY] = { "MEM/MAX", true },
	[COL_PAUSE] = { "PAUSE", true },
};

static void format_count(const struct domain_status *s, const char *key,
			 uint64_t v, char cell[CELL_LEN])
{
	if (status_known(s, key))
		snprintf(cell, CELL_LEN, "%" PRIu64, v);
	else
		snprintf(cell, CELL_LEN, "-");
}

static void format_row(const struct domain_status *s,
		       char cells[NR_COLUMNS][CELL_LEN])
{
	char human[HUMAN_LEN];

	snprintf(cells[COL_NAME], CELL_LEN, "%s", s->name);
	snprintf(cells[COL_VERSION], CELL_LEN, "%s",
		 status_known(s, "version") ? s->version : "-");
	if (status_known(s, "iface_version"))
		snprintf(cells[COL_IFACE], CELL_LEN, "%s v%" PRIu64, s->iface,
			 s->iface_version);
	else
		snprintf(cells[COL_IFACE], CELL_LEN, "%s",
			 status_known(s, "iface") ? s->iface : "-");
	snprintf(cells[COL_STATE], CELL_LEN, "%s",
		 status_known(s, "state") ? s->state : "-");
	/* "no": loaded with confine=off, its stores unchecked. */
	snprintf(cells[COL_CONFINED], CELL_LEN, "%s",
		 !status_known(s, "confined") ? "-" : s->is_confined ? "yes" : "no");
	format_count(s, "calls", s->calls, cells[COL_CALLS]);
	format_count(s, "faults", s->faults, cells[COL_FAULTS]);
	format_count(s, "restarts", s->restarts, cells[COL_RESTARTS]);
	/* What it holds in all, out of what it may hold: "12K/512M". */
	if (status_known(s, "mem_used") || status_known(s, "mem_max")) {
		char max[HUMAN_LEN];

		snprintf(cells[COL_MEMORY], CELL_LEN, "%s/%s",
			 status_known(s, "mem_used") ?
			 human_bytes_short(s->mem_used, human) : "-",
			 status_known(s, "mem_max") ?
			 human_bytes_short(s->mem_max, max) : "-");
	} else {
		snprintf(cells[COL_MEMORY], CELL_LEN, "-");
	}
	/* Never upgraded: there was no pause to show. */
	if (status_known(s, "last_pause_ns") &&
	    (s->upgrades || s->last_pause_ns))
		snprintf(cells[COL_PAUSE], CELL_LEN, "%s",
			 human_duration_ns(s->last_pause_ns, human));
	else
		snprintf(cells[COL_PAUSE], CELL_LEN, "-");
}

static void print_row(char cells[NR_COLUMNS][CELL_LEN],
		      const size_t width[NR_COLUMNS])
{
	for (int c = 0; c < NR_COLUMNS; c++) {
		const char *sep = c + 1 < NR_COLUMNS ? "  " : "\n";

		if (columns[c].right_aligned)
			printf("%*s%s", (int)width[c], cells[c], sep);
		else if (c + 1 < NR_COLUMNS)
			printf("%-*s%s", (int)width[c], cells[c], sep);
		else
			printf("%s%s", cells[c], sep);
	}
}

static void print_module_line(const struct module_status *m, size_t count)
{
	char heap[HUMAN_LEN], shared[HUMAN_LEN];

	if (!module_known(m, "version"))
		return;		/* no sysfs: nothing worth a line */
	printf("domain_core %s", m->version);
	if (module_known(m, "backend"))
		printf(" (%s)", m->backend);
	printf(": %zu domain%s", count, count == 1 ? "" : "s");
	if (module_known(m, "heap_bytes") && module_known(m, "shared_bytes"))
		printf(", heap %s, shared %s", human_bytes(m->heap_bytes, heap),
		       human_bytes(m->shared_bytes, shared));
	if (module_known(m, "exec_pages"))
		printf(", %" PRIu64 " executable pages", m->exec_pages);
	printf("\n\n");
}

static void print_table(const struct domain_list *list)
{
	/* Row 0 is the header. */
	char (*cells)[NR_COLUMNS][CELL_LEN] = xcalloc(list->count + 1,
						      sizeof(*cells));
	size_t width[NR_COLUMNS] = { 0 };

	for (int c = 0; c < NR_COLUMNS; c++)
		snprintf(cells[0][c], CELL_LEN, "%s", columns[c].title);
	for (size_t i = 0; i < list->count; i++)
		format_row(&list->items[i], cells[i + 1]);
	for (size_t r = 0; r <= list->count; r++)
		for (int c = 0; c < NR_COLUMNS; c++)
			if (strlen(cells[r][c]) > width[c])
				width[c] = strlen(cells[r][c]);
	print_row(cells[0], width);
	for (size_t i = 0; i < list->count; i++) {
		const struct domain_status *s = &list->items[i];

		print_row(cells[i + 1], width);
		if (status_known(s, "last_fault") && s->last_fault[0])
			printf("  last fault: %s\n", s->last_fault);
	}
	free(cells);
}

/* One field of "status NAME", or of its JSON object. */
static void format_field(const struct status_field *f, const void *record,
			 char *buf, size_t len)
{
	const char *at = (const char *)record + f->offset;
	char human[HUMAN_LEN];
	uint64_t v;

	if (f->kind == FIELD_TEXT || f->kind == FIELD_OPTIONAL_TEXT) {
		snprintf(buf, len, "%s", *at ? at : "-");
		return;
	}
	memcpy(&v, at, sizeof(v));
	if (f->kind == FIELD_YES_NO)
		snprintf(buf, len, "%s", v ? "yes" : "no");
	else if (f->kind == FIELD_BYTES)
		snprintf(buf, len, "%s (%" PRIu64 " bytes)",
			 human_bytes(v, human), v);
	else if (f->kind == FIELD_NANOSECONDS)
		snprintf(buf, len, "%s", human_duration_ns(v, human));
	else if (f->kind == FIELD_MILLISECONDS)
		snprintf(buf, len, "%" PRIu64 " ms", v);
	else
		snprintf(buf, len, "%" PRIu64, v);
}

static void json_fields(struct json *j, const struct status_field *fields,
			size_t nr_fields, const void *record, uint32_t known)
{
	for (size_t i = 0; i < nr_fields; i++) {
		const struct status_field *f = &fields[i];
		const char *at = (const char *)record + f->offset;
		uint64_t v;

		json_key(j, f->key);
		if (!(known & (1u << i))) {
			json_null(j);
		} else if (f->kind == FIELD_TEXT) {
			json_string(j, at);
		} else if (f->kind == FIELD_OPTIONAL_TEXT) {
			if (*at)
				json_string(j, at);
			else
				json_null(j);
		} else if (f->kind == FIELD_YES_NO) {
			memcpy(&v, at, sizeof(v));
			json_bool(j, v != 0);
		} else {
			memcpy(&v, at, sizeof(v));
			json_u64(j, v);
		}
	}
}

/* The device node of a domain whose interface the TCB exposes as a file. */
static bool device_node(const struct domain_status *s, char path[PATH_MAX])
{
	if (strcmp(s->iface, "file") != 0 && strcmp(s->iface, "log") != 0)
		return false;
	return system_pathf(path, "%s/%s", DEVICE_NODE_DIR, s->name) &&
	       access(path, F_OK) == 0;
}

static void print_details(const struct domain_status *s)
{
	struct image_record record;
	char value[DC_PARAMS_MAX + 64], path[PATH_MAX];

	for (size_t i = 0; i < nr_status_fields; i++) {
		const struct status_field *f = &status_fields[i];

		if (s->known & (1u << i))
			format_field(f, s, value, sizeof(value));
		else
			snprintf(value, sizeof(value), "(unknown)");
		printf("%-20s %s\n", f->label, value);
	}
	if (device_node(s, path))
		printf("%-20s %s\n", "device", path);
	if (image_record_read(s->name, &record) == 0 && record.image[0])
		printf("%-20s %s\n", "image", record.image);
}

static void json_domain(struct json *j, const struct domain_status *s)
{
	struct image_record record;
	char path[PATH_MAX];

	json_object_begin(j);
	json_fields(j, status_fields, nr_status_fields, s, s->known);
	if (device_node(s, path))
		json_member_string(j, "device", path);
	if (image_record_read(s->name, &record) == 0 && record.image[0])
		json_member_string(j, "image", record.image);
	json_object_end(j);
}

static int parse_no_options(struct cli *cli, const char *command, int argc,
			    char **argv)
{
	static const struct option options[] = {
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	cli_getopt_start();
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		int status = cli_common_option(cli, command, opt, argv);

		if (status >= 0)
			return status;
	}
	return -1;
}

static int status_one(struct cli *cli, const struct domain_list *list,
		      const char *name)
{
	const struct domain_status *found = domain_list_find(list, name);
	struct domain_status s;

	if (!found) {
		report_error("status", name, "no such domain is loaded%s",
			     list->count ? " (see domainctl list)" : "");
		return EXIT_PROBLEM;
	}
	/* The ioctl lacks a few fields that sysfs has. */
	s = *found;
	status_fill_from_sysfs(&s);
	if (cli->json) {
		struct json j;

		json_init(&j, stdout);
		json_domain(&j, &s);
		json_end(&j);
	} else {
		print_details(&s);
	}
	return EXIT_SUCCESS;
}

int cmd_status(struct cli *cli, int argc, char **argv)
{
	struct domain_list list;
	struct module_status module;
	char cause[CAUSE_LEN];
	int status = parse_no_options(cli, "status", argc, argv);

	if (status >= 0)
		return status;
	if (argc - optind > 1)
		return usage_error("status", "at most one NAME");
	if (domain_list_read(&list, cause) < 0) {
		report_error("status", "", "%s", cause);
		return EXIT_PROBLEM;
	}
	if (optind < argc) {
		status = status_one(cli, &list, argv[optind]);
		domain_list_free(&list);
		return status;
	}
	module_status_read(&module);
	if (cli->json) {
		struct json j;

		json_init(&j, stdout);
		json_object_begin(&j);
		json_member_string(&j, "source", list.from_sysfs ? "sysfs" : "ioctl");
		json_key(&j, "module");
		json_object_begin(&j);
		json_fields(&j, module_fields, nr_module_fields, &module,
			    module.known);
		json_object_end(&j);
		json_key(&j, "domains");
		json_array_begin(&j);
		for (size_t i = 0; i < list.count; i++)
			json_domain(&j, &list.items[i]);
		json_array_end(&j);
		json_object_end(&j);
		json_end(&j);
	} else {
		print_module_line(&module, list.count);
		print_table(&list);
	}
	domain_list_free(&list);
	return EXIT_SUCCESS;
}

int cmd_list(struct cli *cli, int argc, char **argv)
{
	struct domain_list list;
	char cause[CAUSE_LEN];
	int status = parse_no_options(cli, "list", argc, argv);

	if (status >= 0)
		return status;
	if (optind < argc)
		return usage_error("list", "takes no arguments");
	if (domain_list_read(&list, cause) < 0) {
		report_error("list", "", "%s", cause);
		return EXIT_PROBLEM;
	}
	if (cli->json) {
		struct json j;

		json_init(&j, stdout);
		json_array_begin(&j);
		for (size_t i = 0; i < list.count; i++)
			json_string(&j, list.items[i].name);
		json_array_end(&j);
		json_end(&j);
	} else {
		for (size_t i = 0; i < list.count; i++)
			printf("%s\n", list.items[i].name);
	}
	domain_list_free(&list);
	return EXIT_SUCCESS;
}
