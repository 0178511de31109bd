// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain_ops.h"
#include "human.h"
#include "image_record.h"
#include "report.h"

/*
 * Remember where @name came from.  Failing that is only a warning: the
 * domain runs; "apply" just cannot see later that its image changed.
 */
static void remember_image(const char *command, const char *name,
			   const struct image_file *img)
{
	struct image_record record = { .fingerprint = img->check.fingerprint };
	const struct dc_note *note = &img->check.note;
	int err;

	if (!realpath(img->path, record.image))
		snprintf(record.image, sizeof(record.image), "%s", img->path);
	for (uint32_t i = 0; i < note->nr_needs && i < DC_MAX_NEEDS; i++)
		snprintf(record.needs[record.nr_needs++], DC_NAME_MAX, "%s",
			 note->needs[i].iface);
	err = image_record_write(name, &record);
	if (err)
		report_warning(command, name,
			       "cannot record its image (apply will not notice changes of it): %s",
			       strerror(-err));
}

int domain_load(const char *command, int control_fd,
		const struct image_file *img, const char *name,
		const char *params, const struct restart_opts *restart,
		const struct limit_opts *limits, char cause[CAUSE_LEN])
{
	struct dc_load req = {
		.image_fd = img->fd,
		.restart_policy = restart->policy,
		.restart_max = restart->max,
		.restart_window_ms = restart->window_ms,
		.restart_backoff_ms = restart->backoff_ms,
		.call_budget_ms = limits->call_budget_ms,
		.mem_max = limits->mem_max,
		.flags = limit_opts_load_flags(limits),
	};

	if (!name || !*name)
		name = img->check.note.name;
	snprintf(req.name, sizeof(req.name), "%s", name);
	snprintf(req.params, sizeof(req.params), "%s", params);
	if (control_ioctl(control_fd, CONTROL_LOAD, DC_IOC_LOAD, &req,
			  req.error, cause) < 0)
		return -1;
	remember_image(command, name, img);
	return 0;
}

static void copy_version(char dst[DC_NAME_MAX], const char src[DC_NAME_MAX])
{
	size_t n = strnlen(src, DC_NAME_MAX - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

int domain_upgrade(const char *command, int control_fd,
		   const struct image_file *img, const char *name,
		   const char *params, uint32_t flags,
		   struct upgrade_result *result, char cause[CAUSE_LEN])
{
	struct dc_upgrade req = { .image_fd = img->fd, .flags = flags };

	snprintf(req.name, sizeof(req.name), "%s", name);
	snprintf(req.params, sizeof(req.params), "%s", params);
	if (control_ioctl(control_fd, CONTROL_UPGRADE, DC_IOC_UPGRADE, &req,
			  req.error, cause) < 0)
		return -1;
	copy_version(result->old_version, req.old_version);
	copy_version(result->new_version, req.new_version);
	result->pause_ns = req.pause_ns;
	remember_image(command, name, img);
	return 0;
}

int domain_unload(int control_fd, const char *name, char cause[CAUSE_LEN])
{
	struct dc_unload req = { 0 };

	snprintf(req.name, sizeof(req.name), "%s", name);
	if (control_ioctl(control_fd, CONTROL_UNLOAD, DC_IOC_UNLOAD, &req,
			  req.error, cause) < 0)
		return -1;
	image_record_remove(name);
	return 0;
}

void print_loaded(const char *name, const struct dc_note *note)
{
	printf("loaded %s %s (iface %s v%u)\n", name, note->version,
	       note->iface, note->iface_version);
}

void print_upgraded(const char *name, const struct upgrade_result *result)
{
	char pause[HUMAN_LEN];

	printf("upgraded %s: %s -> %s (calls paused %s)\n", name,
	       result->old_version, result->new_version,
	       human_duration_ns(result->pause_ns, pause));
}
