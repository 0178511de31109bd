// SPDX-License-Identifier: GPL-2.0
/*
 * Status fields from what the kernel reports (struct dc_domain_info of
 * DC_IOC_LIST, and sysfs): the limits and memory use in particular.  The
 * field keys are the members of "status --json".
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../domain_status.h"
#include "unit.h"

static const struct status_field *field(const char *key)
{
	for (size_t i = 0; i < nr_status_fields; i++)
		if (strcmp(status_fields[i].key, key) == 0)
			return &status_fields[i];
	return NULL;
}

static void test_json_members(struct unit *u)
{
	static const struct {
		const char *key;
		enum status_field_kind kind;
	} want[] = {
		{ "call_budget_ms", FIELD_MILLISECONDS },
		{ "mem_max", FIELD_BYTES },
		{ "mem_used", FIELD_BYTES },
		{ "confined", FIELD_YES_NO },
		{ "signed", FIELD_YES_NO },
		{ "signer", FIELD_OPTIONAL_TEXT },
		{ "standby", FIELD_TEXT },
		{ "standby_bytes", FIELD_BYTES },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct status_field *f = field(want[i].key);

		if (!f)
			unit_fail(u, __FILE__, __LINE__, "no field '%s'",
				  want[i].key);
		else if (f->kind != want[i].kind)
			unit_fail(u, __FILE__, __LINE__, "'%s' has kind %d",
				  want[i].key, (int)f->kind);
	}
}

static void test_from_info(struct unit *u)
{
	struct dc_domain_info info;
	struct domain_status s;

	memset(&info, 0, sizeof(info));
	strcpy(info.name, "log");
	strcpy(info.iface, "log");
	strcpy(info.version, "1.0.0");
	info.iface_version = 1;
	info.state = DC_STATE_RUNNING;
	info.heap_bytes = 8192;
	info.shared_bytes = 4096;
	info.call_budget_ms = 500;
	info.mem_max = 384ull << 20;
	info.mem_used = 12288 + 4096;
	status_from_info(&s, &info);
	CHECK_NUM(u, s.is_confined, 0);
	CHECK(u, status_known(&s, "confined"));
	CHECK_NUM(u, s.is_signed, 0);
	CHECK_STR(u, s.signer, "");
	CHECK(u, status_known(&s, "signed"));
	CHECK(u, status_known(&s, "signer"));
	strcpy(info.signer, "domain-core test DKMS key, serial 0a1b");
	CHECK_STR(u, s.standby, "off");
	info.flags = DC_INFO_F_CONFINED | DC_INFO_F_STANDBY;
	info.standby_bytes = 69632;
	status_from_info(&s, &info);
	CHECK_STR(u, s.standby, "on");
	CHECK_NUM(u, s.standby_bytes, 69632);
	CHECK_NUM(u, s.is_confined, 1);
	CHECK_NUM(u, s.is_signed, 1);
	CHECK_STR(u, s.signer, "domain-core test DKMS key, serial 0a1b");
	CHECK_NUM(u, s.mem_max, 384ull << 20);
	CHECK_NUM(u, s.mem_used, 16384);
	CHECK_NUM(u, s.call_budget_ms, 500);
	CHECK(u, status_known(&s, "call_budget_ms"));
	CHECK(u, status_known(&s, "mem_max"));
	CHECK(u, status_known(&s, "mem_used"));
	CHECK(u, status_known(&s, "heap_bytes"));
	/* Still only in sysfs. */
	CHECK(u, !status_known(&s, "restart_policy"));
	CHECK(u, !status_known(&s, "inflight"));
}

static const char *const sysfs_dirs[] = {
	"/sys", "/sys/kernel", "/sys/kernel/domain_core",
	"/sys/kernel/domain_core/domains", "/sys/kernel/domain_core/domains/log",
};
static const char *const sysfs_files[][2] = {
	{ "state", "running" },
	{ "call_budget_ms", "200" },
	{ "mem_max", "536870912" },
	{ "mem_used", "20480" },
	{ "confined", "no" },
	{ "signed", "yes" },
	{ "signer", "build key, serial 01" },
};
#define NR_DIRS		(sizeof(sysfs_dirs) / sizeof(sysfs_dirs[0]))
#define NR_FILES	(sizeof(sysfs_files) / sizeof(sysfs_files[0]))

/* A fake sysfs under @root with one domain, "log". */
static bool make_sysfs(const char *root)
{
	char path[PATH_MAX];
	FILE *f;

	for (size_t i = 0; i < NR_DIRS; i++) {
		snprintf(path, sizeof(path), "%s%s", root, sysfs_dirs[i]);
		if (mkdir(path, 0755) < 0)
			return false;
	}
	for (size_t i = 0; i < NR_FILES; i++) {
		snprintf(path, sizeof(path), "%s%s/%s", root,
			 sysfs_dirs[NR_DIRS - 1], sysfs_files[i][0]);
		f = fopen(path, "w");
		if (!f)
			return false;
		fprintf(f, "%s\n", sysfs_files[i][1]);
		fclose(f);
	}
	return true;
}

static void remove_sysfs(const char *root)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < NR_FILES; i++) {
		snprintf(path, sizeof(path), "%s%s/%s", root,
			 sysfs_dirs[NR_DIRS - 1], sysfs_files[i][0]);
		unlink(path);
	}
	for (size_t i = NR_DIRS; i-- > 0;) {
		snprintf(path, sizeof(path), "%s%s", root, sysfs_dirs[i]);
		rmdir(path);
	}
	rmdir(root);
}

static void test_from_sysfs(struct unit *u)
{
	char root[] = "/tmp/domainctl-test-status.XXXXXX";
	struct domain_status s;

	if (!mkdtemp(root)) {
		unit_fail(u, __FILE__, __LINE__, "mkdtemp failed");
		return;
	}
	if (!make_sysfs(root)) {
		unit_fail(u, __FILE__, __LINE__, "cannot make a fake sysfs in %s",
			  root);
		remove_sysfs(root);
		return;
	}
	setenv("DOMAINCTL_ROOT", root, 1);
	memset(&s, 0, sizeof(s));
	strcpy(s.name, "log");
	CHECK(u, status_fill_from_sysfs(&s));
	unsetenv("DOMAINCTL_ROOT");
	remove_sysfs(root);
	CHECK_NUM(u, s.call_budget_ms, 200);
	CHECK_NUM(u, s.mem_max, 536870912);
	CHECK_NUM(u, s.mem_used, 20480);
	CHECK(u, status_known(&s, "call_budget_ms"));
	CHECK(u, status_known(&s, "mem_max"));
	CHECK(u, status_known(&s, "mem_used"));
	CHECK_STR(u, s.state, "running");
	CHECK(u, status_known(&s, "signed"));
	CHECK_NUM(u, s.is_signed, 1);
	CHECK_STR(u, s.signer, "build key, serial 01");
	CHECK(u, status_known(&s, "confined"));
	CHECK_NUM(u, s.is_confined, 0);
	/* Files the fake module lacks stay unknown, not 0. */
	CHECK(u, !status_known(&s, "heap_bytes"));
}

int main(void)
{
	unit_run("status-json-members", test_json_members);
	unit_run("status-from-ioctl", test_from_info);
	unit_run("status-from-sysfs", test_from_sysfs);
	return unit_status();
}
