// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "image_record.h"
#include "paths.h"

#define FNV64_OFFSET	0xcbf29ce484222325ull
#define FNV64_PRIME	0x100000001b3ull

uint64_t image_fingerprint(const unsigned char *data, size_t len)
{
	uint64_t hash = FNV64_OFFSET;

	for (size_t i = 0; i < len; i++) {
		hash ^= data[i];
		hash *= FNV64_PRIME;
	}
	return hash;
}

static const char *record_path(char buf[PATH_MAX], const char *name)
{
	return system_pathf(buf, "%s/%s", STATE_DIR, name);
}

/* mkdir -p for the state directory (its parents are /run's). */
static int make_state_dir(void)
{
	char path[PATH_MAX];
	char *slash;

	if (!system_path(path, STATE_DIR))
		return -ENAMETOOLONG;
	for (slash = strchr(path + 1, '/'); ; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		if (!slash)
			return 0;
		*slash = '/';
	}
}

/*
 * The format, one "key value" per line:
 *   fingerprint 0123456789abcdef
 *   needs log file
 *   image /usr/lib/domain-core/6.1.0-18-amd64/domains/log.dom
 * The image comes last: its value is the rest of the line.
 */
int image_record_write(const char *name, const struct image_record *record)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	FILE *f;
	int err = make_state_dir();

	if (err)
		return err;
	if (!record_path(path, name) ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f, "fingerprint %016" PRIx64 "\nneeds", record->fingerprint);
	for (size_t i = 0; i < record->nr_needs; i++)
		fprintf(f, " %s", record->needs[i]);
	fprintf(f, "\nimage %s\n", record->image);
	if (fclose(f) != 0) {
		err = -errno;
		unlink(tmp);
		return err;
	}
	/* Replace atomically: a reader never sees half a record. */
	if (rename(tmp, path) < 0) {
		err = -errno;
		unlink(tmp);
		return err;
	}
	return 0;
}

static void parse_needs(char *value, struct image_record *record)
{
	char *save = NULL;

	for (char *tok = strtok_r(value, " ", &save);
	     tok && record->nr_needs < DC_MAX_NEEDS;
	     tok = strtok_r(NULL, " ", &save))
		snprintf(record->needs[record->nr_needs++], DC_NAME_MAX, "%s",
			 tok);
}

int image_record_read(const char *name, struct image_record *record)
{
	char path[PATH_MAX], line[PATH_MAX + 16];
	bool has_fingerprint = false;
	FILE *f;

	memset(record, 0, sizeof(*record));
	if (!record_path(path, name))
		return -ENAMETOOLONG;
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *value = strchr(line, ' ');

		line[strcspn(line, "\n")] = '\0';
		if (!value)
			continue;
		*value++ = '\0';
		if (strcmp(line, "fingerprint") == 0) {
			char *end;

			record->fingerprint = strtoull(value, &end, 16);
			has_fingerprint = end != value && !*end;
		} else if (strcmp(line, "needs") == 0) {
			parse_needs(value, record);
		} else if (strcmp(line, "image") == 0) {
			snprintf(record->image, sizeof(record->image), "%s", value);
		}
	}
	fclose(f);
	return has_fingerprint ? 0 : -EINVAL;
}

void image_record_remove(const char *name)
{
	char path[PATH_MAX];

	if (record_path(path, name))
		unlink(path);
}
