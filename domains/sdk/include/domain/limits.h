/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Limits shared by everything that handles domains: the domain ABI
 * (domain/abi.h), the control device (uapi/domain_core.h), the image
 * validator and domainctl.  Defined here once.
 */
#ifndef DOMAIN_LIMITS_H
#define DOMAIN_LIMITS_H

#define DC_NAME_MAX		32	/* names and versions, including the NUL */
#define DC_PARAMS_MAX		256	/* parameter string, including the NUL */
#define DC_ERROR_MAX		160	/* an error message, including the NUL */
#define DC_SIGNER_MAX		96	/* who signed an image, including the NUL */
#define DC_MAX_NEEDS		4	/* interfaces one domain may import */
#define DC_IMAGE_MAX_BYTES	(64UL << 20)	/* image file, and its span in memory */

#endif
