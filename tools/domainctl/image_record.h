/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What domainctl remembers about each domain it loaded or upgraded: a
 * fingerprint of the image's content, its path and the interfaces it
 * imports.  The kernel does not report these, and "apply" needs them to
 * see that an image changed without a version bump and to unload in
 * import order.  Kept in /run (gone at reboot, like the domains).
 */
#ifndef DOMAINCTL_IMAGE_RECORD_H
#define DOMAINCTL_IMAGE_RECORD_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <domain/abi.h>

struct image_record {
	uint64_t fingerprint;
	char image[PATH_MAX];
	size_t nr_needs;
	char needs[DC_MAX_NEEDS][DC_NAME_MAX];
};

/*
 * A 64-bit FNV-1a hash of an image's bytes: it tells changed images
 * apart, it is no defence against a forged one.
 */
uint64_t image_fingerprint(const unsigned char *data, size_t len);

/* Returns 0, or -errno (-ENOENT: nothing recorded for @name). */
int image_record_read(const char *name, struct image_record *record);
int image_record_write(const char *name, const struct image_record *record);
void image_record_remove(const char *name);

#endif
