/* SPDX-License-Identifier: GPL-2.0 */
/* The injector's commands, shared by the host tool and the guest program. */
#ifndef DC_INJECT_CAMPAIGN_H
#define DC_INJECT_CAMPAIGN_H

#include <stddef.h>

/* "inject run ...": the campaign in the VM (campaign.c); argv[0] is "run". */
int inj_campaign_main(int argc, char **argv);

/* Read a whole file into a new buffer: 0, or -1 with errno set. */
int inj_read_file(const char *path, void **data, size_t *len);

#endif
