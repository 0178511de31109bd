/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Load, upgrade and unload through /dev/domain_core, shared by the
 * commands of those names and by "apply".  Each keeps the image record
 * (image_record.h) in step with what the kernel runs.
 */
#ifndef DOMAINCTL_DOMAIN_OPS_H
#define DOMAINCTL_DOMAIN_OPS_H

#include <stdint.h>
#include "control.h"
#include "image_file.h"
#include "limit_opts.h"
#include "restart_opts.h"

struct upgrade_result {
	char old_version[DC_NAME_MAX];
	char new_version[DC_NAME_MAX];
	uint64_t pause_ns;
};

/*
 * Load the verified @img as @name (NULL: the note's name) with @params,
 * @restart settings and @limits.  @command names the command for warnings.
 * Returns 0, or -1 with @cause.
 */
int domain_load(const char *command, int control_fd,
		const struct image_file *img, const char *name,
		const char *params, const struct restart_opts *restart,
		const struct limit_opts *limits, char cause[CAUSE_LEN]);

/*
 * Replace running @name by @img; empty @params keeps the current ones.
 * @flags: DC_LOAD_F_* (limit_opts_load_flags()).
 */
int domain_upgrade(const char *command, int control_fd,
		   const struct image_file *img, const char *name,
		   const char *params, uint32_t flags,
		   struct upgrade_result *result, char cause[CAUSE_LEN]);

int domain_unload(int control_fd, const char *name, char cause[CAUSE_LEN]);

/* "loaded log 1.0.0 (iface log v1)" */
void print_loaded(const char *name, const struct dc_note *note);
/* "upgraded log: 1.0.0 -> 1.1.0 (calls paused 12.3 us)" */
void print_upgraded(const char *name, const struct upgrade_result *result);

#endif
