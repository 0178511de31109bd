// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "domain_status.h"
#include "names.h"
#include "paths.h"
#include "text.h"
#include "xalloc.h"

#define TEXT_KIND(key, label, kind, member) \
	{ key, label, kind, offsetof(struct domain_status, member), \
	  sizeof(((struct domain_status *)0)->member) }
#define TEXT(key, label, member) TEXT_KIND(key, label, FIELD_TEXT, member)
#define NUMBER(key, label, kind, member) \
	{ key, label, kind, offsetof(struct domain_status, member), 0 }

/* In the order "status NAME" shows them; keys are the sysfs file names. */
const struct status_field status_fields[] = {
	TEXT("name", "name", name),
	TEXT("version", "version", version),
	TEXT("iface", "interface", iface),
	NUMBER("iface_version", "interface version", FIELD_COUNT, iface_version),
	TEXT("state", "state", state),
	TEXT("params", "parameters", params),
	NUMBER("calls", "calls", FIELD_COUNT, calls),
	NUMBER("inflight", "calls in flight", FIELD_COUNT, inflight),
	NUMBER("faults", "faults", FIELD_COUNT, faults),
	NUMBER("restarts", "restarts", FIELD_COUNT, restarts),
	NUMBER("upgrades", "upgrades", FIELD_COUNT, upgrades),
	NUMBER("heap_bytes", "private heap", FIELD_BYTES, heap_bytes),
	NUMBER("shared_objects", "shared objects", FIELD_COUNT, shared_objects),
	NUMBER("shared_bytes", "shared bytes", FIELD_BYTES, shared_bytes),
	NUMBER("mem_used", "memory used", FIELD_BYTES, mem_used),
	NUMBER("mem_max", "memory limit", FIELD_BYTES, mem_max),
	NUMBER("last_pause_ns", "last upgrade pause", FIELD_NANOSECONDS, last_pause_ns),
	NUMBER("last_recovery_ns", "last recovery", FIELD_NANOSECONDS, last_recovery_ns),
	NUMBER("users", "importing domains", FIELD_COUNT, users),
	TEXT("restart_policy", "restart policy", restart_policy),
	NUMBER("call_budget_ms", "call budget", FIELD_MILLISECONDS, call_budget_ms),
	TEXT("last_fault", "last fault", last_fault),
	NUMBER("confined", "confined", FIELD_YES_NO, is_confined),
	NUMBER("signed", "signed", FIELD_YES_NO, is_signed),
	TEXT_KIND("signer", "signed by", FIELD_OPTIONAL_TEXT, signer),
	TEXT("standby", "standby", standby),
	NUMBER("standby_bytes", "standby holds", FIELD_BYTES, standby_bytes),
};
const size_t nr_status_fields = sizeof(status_fields) / sizeof(status_fields[0]);
/* One bit per field in struct domain_status.known. */
_Static_assert(sizeof(status_fields) / sizeof(status_fields[0]) <= 32,
	       "too many status fields for the known mask");

#define MODULE_TEXT(key, label, member) \
	{ key, label, FIELD_TEXT, offsetof(struct module_status, member), \
	  sizeof(((struct module_status *)0)->member) }
#define MODULE_NUMBER(key, label, kind, member) \
	{ key, label, kind, offsetof(struct module_status, member), 0 }

const struct status_field module_fields[] = {
	MODULE_TEXT("version", "module version", version),
	MODULE_TEXT("backend", "executable memory", backend),
	MODULE_TEXT("page_fault_path", "page faults caught by", page_fault_path),
	MODULE_NUMBER("exec_regions", "executable regions", FIELD_COUNT, exec_regions),
	MODULE_NUMBER("exec_pages", "executable pages", FIELD_COUNT, exec_pages),
	MODULE_NUMBER("heap_bytes", "private heaps", FIELD_BYTES, heap_bytes),
	MODULE_NUMBER("shared_objects", "shared objects", FIELD_COUNT, shared_objects),
	MODULE_NUMBER("shared_bytes", "shared bytes", FIELD_BYTES, shared_bytes),
};
const size_t nr_module_fields = sizeof(module_fields) / sizeof(module_fields[0]);

static size_t index_in(const struct status_field *fields, size_t nr_fields,
		       const char *key)
{
	for (size_t i = 0; i < nr_fields; i++)
		if (strcmp(fields[i].key, key) == 0)
			return i;
	abort();	/* a typo in a key is a bug in domainctl */
}

static size_t field_index(const char *key)
{
	return index_in(status_fields, nr_status_fields, key);
}

bool status_known(const struct domain_status *s, const char *key)
{
	return s->known & (1u << field_index(key));
}

bool module_known(const struct module_status *m, const char *key)
{
	return m->known & (1u << index_in(module_fields, nr_module_fields, key));
}

/* Copy a fixed-size kernel string, NUL-terminated whatever it holds. */
static void copy_fixed(char *dst, size_t dst_len, const char *src,
		       size_t src_len)
{
	size_t n = strnlen(src, src_len);

	if (n >= dst_len)
		n = dst_len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static const char *state_name(uint32_t state)
{
	switch (state) {
	case DC_STATE_RUNNING: return "running";
	case DC_STATE_FAILED: return "failed";
	case DC_STATE_DOWN: return "down";
	case DC_STATE_UPGRADING: return "upgrading";
	}
	return "unknown";
}

void status_from_info(struct domain_status *s, const struct dc_domain_info *info)
{
	memset(s, 0, sizeof(*s));
	copy_fixed(s->name, sizeof(s->name), info->name, sizeof(info->name));
	copy_fixed(s->version, sizeof(s->version), info->version,
		   sizeof(info->version));
	copy_fixed(s->iface, sizeof(s->iface), info->iface, sizeof(info->iface));
	copy_fixed(s->params, sizeof(s->params), info->params,
		   sizeof(info->params));
	copy_fixed(s->last_fault, sizeof(s->last_fault), info->last_fault,
		   sizeof(info->last_fault));
	copy_fixed(s->signer, sizeof(s->signer), info->signer,
		   sizeof(info->signer));
	s->is_signed = s->signer[0] != '\0';
	s->is_confined = (info->flags & DC_INFO_F_CONFINED) != 0;
	snprintf(s->standby, sizeof(s->standby), "%s",
		 info->flags & DC_INFO_F_STANDBY ? "on" : "off");
	s->standby_bytes = info->standby_bytes;
	snprintf(s->state, sizeof(s->state), "%s", state_name(info->state));
	s->iface_version = info->iface_version;
	s->calls = info->calls;
	s->faults = info->faults;
	s->restarts = info->restarts;
	s->upgrades = info->upgrades;
	s->heap_bytes = info->heap_bytes;
	s->shared_objects = info->shared_objects;
	s->shared_bytes = info->shared_bytes;
	s->last_pause_ns = info->last_pause_ns;
	s->users = info->users;
	s->mem_used = info->mem_used;
	s->mem_max = info->mem_max;
	s->call_budget_ms = info->call_budget_ms;
	for (size_t i = 0; i < nr_status_fields; i++)
		s->known |= 1u << i;
	/* struct dc_domain_info has no room for these. */
	s->known &= ~(1u << field_index("inflight"));
	s->known &= ~(1u << field_index("last_recovery_ns"));
	s->known &= ~(1u << field_index("restart_policy"));
}

/*
 * Read one sysfs value into @buf without its trailing newline.  Returns 0,
 * or -errno (ENOENT: no such file, e.g. the domain went away).
 */
static int read_value(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return -errno;
	got = read(fd, buf, len - 1);
	if (got < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	close(fd);
	buf[got] = '\0';
	while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
		buf[--got] = '\0';
	return 0;
}

static bool parse_count(const char *text, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

/*
 * Read the fields of @fields not yet in @known from files in @dir into
 * @record.  Returns -ENOENT if @dir's first file is gone, else 0.
 */
static int read_fields(const char *dir, const struct status_field *fields,
		       size_t nr_fields, void *record, uint32_t *known)
{
	char path[PATH_MAX], text[DC_PARAMS_MAX + 2];

	for (size_t i = 0; i < nr_fields; i++) {
		const struct status_field *f = &fields[i];
		char *at = (char *)record + f->offset;
		int err;

		if (*known & (1u << i))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, f->key) >= (int)sizeof(path))
			continue;
		err = read_value(path, text, sizeof(text));
		if (err == -ENOENT && access(dir, F_OK) != 0)
			return -ENOENT;
		if (err)
			continue;	/* unreadable (e.g. root only): unknown */
		if (f->kind == FIELD_TEXT || f->kind == FIELD_OPTIONAL_TEXT) {
			snprintf(at, f->size, "%s", text);
		} else if (f->kind == FIELD_YES_NO) {
			uint64_t v = strcmp(text, "yes") == 0;

			if (!v && strcmp(text, "no") != 0)
				continue;
			memcpy(at, &v, sizeof(v));
		} else {
			uint64_t v;

			if (!parse_count(text, &v))
				continue;
			memcpy(at, &v, sizeof(v));
		}
		*known |= 1u << i;
	}
	return 0;
}

bool status_fill_from_sysfs(struct domain_status *s)
{
	char dir[PATH_MAX];

	if (!system_pathf(dir, "%s/domains/%s", DC_SYSFS_PATH, s->name))
		return false;
	/* The name is the directory's; never take it from a file. */
	s->known |= 1u << field_index("name");
	return read_fields(dir, status_fields, nr_status_fields, s,
			   &s->known) == 0;
}

void module_status_read(struct module_status *m)
{
	char dir[PATH_MAX];

	memset(m, 0, sizeof(*m));
	if (system_path(dir, DC_SYSFS_PATH))
		read_fields(dir, module_fields, nr_module_fields, m, &m->known);
}

static int compare_by_name(const void *a, const void *b)
{
	return strcmp(((const struct domain_status *)a)->name,
		      ((const struct domain_status *)b)->name);
}

static int list_from_ioctl(struct domain_list *list, int fd,
			   char cause[CAUSE_LEN])
{
	struct dc_domain_info *infos;
	long n = control_list(fd, &infos, cause);

	if (n < 0)
		return -1;
	list->items = xcalloc((size_t)n, sizeof(*list->items));
	for (long i = 0; i < n; i++)
		status_from_info(&list->items[i], &infos[i]);
	list->count = (size_t)n;
	free(infos);
	return 0;
}

static bool sysfs_present(void)
{
	char root[PATH_MAX];

	return system_path(root, DC_SYSFS_PATH) && access(root, F_OK) == 0;
}

static int list_from_sysfs(struct domain_list *list, char cause[CAUSE_LEN])
{
	char dir_path[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	if (!system_pathf(dir_path, "%s/domains", DC_SYSFS_PATH)) {
		snprintf(cause, CAUSE_LEN, "%s", strerror(ENAMETOOLONG));
		return -1;
	}
	list->from_sysfs = true;
	dir = opendir(dir_path);
	if (!dir) {
		if (errno == ENOENT)
			return 0;	/* a module without domains yet */
		format_text(cause, CAUSE_LEN, "%s: %s", dir_path, strerror(errno));
		return -1;
	}
	while ((de = readdir(dir))) {
		struct domain_status s = { 0 };

		if (!domain_name_valid(de->d_name))
			continue;	/* ".", "..", or not ours */
		format_text(s.name, sizeof(s.name), "%s", de->d_name);
		if (!status_fill_from_sysfs(&s))
			continue;	/* unloaded meanwhile */
		list->items = xreallocarray(list->items, list->count + 1,
					    sizeof(*list->items));
		list->items[list->count++] = s;
	}
	closedir(dir);
	return 0;
}

/* Errors after which sysfs may still tell what the ioctl would not. */
static bool sysfs_may_help(int err)
{
	return err == EPERM || err == EACCES || err == ENOTTY ||
	       err == ENOENT || err == ENODEV || err == ENXIO ||
	       err == EOVERFLOW;
}

int domain_list_read(struct domain_list *list, char cause[CAUSE_LEN])
{
	int fd, err = 0;

	memset(list, 0, sizeof(*list));
	fd = control_open(false, cause);
	if (fd >= 0) {
		if (list_from_ioctl(list, fd, cause) == 0) {
			close(fd);
			goto sort;
		}
		err = errno;
		close(fd);
	} else {
		err = errno;
	}
	if (!sysfs_may_help(err))
		return -1;
	/* No sysfs either: the device's cause (path and hint) says it best. */
	if (!sysfs_present())
		return -1;
	if (list_from_sysfs(list, cause) < 0) {
		domain_list_free(list);
		return -1;
	}
sort:
	qsort(list->items, list->count, sizeof(*list->items), compare_by_name);
	return 0;
}

const struct domain_status *domain_list_find(const struct domain_list *list,
					     const char *name)
{
	for (size_t i = 0; i < list->count; i++)
		if (strcmp(list->items[i].name, name) == 0)
			return &list->items[i];
	return NULL;
}

void domain_list_free(struct domain_list *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}
