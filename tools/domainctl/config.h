/* SPDX-License-Identifier: GPL-2.0 */
/*
 * domains.conf: which domains should run, from which images, with which
 * parameters (format in domains.conf(5)).  The parser is pure (text in,
 * entries and problems out) so it is tested without a kernel or files.
 */
#ifndef DOMAINCTL_CONFIG_H
#define DOMAINCTL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <uapi/domain_core.h>
#include "diag.h"
#include "limit_opts.h"
#include "restart_opts.h"

#define CONFIG_DEFAULT_PATH	"/etc/domains.conf"

struct config_entry {
	unsigned line;
	/*
	 * false: the line names a domain but has a problem.  Its domain is
	 * then left as it is: neither loaded, upgraded nor removed.
	 */
	bool usable;
	char name[DC_NAME_MAX];
	char *image;			/* as written; NULL if missing */
	char params[DC_PARAMS_MAX];	/* space-separated key=value */
	struct restart_opts restart;
	struct limit_opts limits;
};

struct config {
	struct config_entry *entries;	/* in file order */
	size_t count;
	size_t capacity;
	struct diag_list problems;	/* each with its line number */
};

/* Parse @len bytes of @text; every bad line lands in cfg->problems. */
void config_parse(struct config *cfg, const char *text, size_t len);

/* Read and parse @path; 0, or -errno if it cannot be read. */
int config_read_file(struct config *cfg, const char *path);

/* Record a problem found later (e.g. with the image) and disable the entry. */
void config_entry_reject(struct config *cfg, struct config_entry *entry,
			 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

const struct config_entry *config_find(const struct config *cfg,
				       const char *name);
void config_free(struct config *cfg);

#endif
