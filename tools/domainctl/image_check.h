/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A domain image checked by the kernel's own validator,
 * src/loader/elf_image.c, compiled into domainctl: what domainctl refuses
 * is exactly what the loader refuses, each problem named by its rule,
 * before anything is sent to the kernel.  A convenience, not a security
 * boundary: the kernel checks the file again.
 *
 * An appended signature (src/loader/image_sig.c, the module format) is
 * taken apart first, and the ELF rules apply to the signed content only,
 * as in the kernel.  Its format is checked and its signer named; whether
 * it is good only the kernel can tell (it has the trusted keys).
 */
#ifndef DOMAINCTL_IMAGE_CHECK_H
#define DOMAINCTL_IMAGE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <domain/abi.h>
#include "diag.h"

struct image_check {
	bool has_note;			/* exactly one note of the right size */
	struct dc_note note;		/* valid if has_note; strings NUL-terminated */
	bool was_read;			/* false: the fields below mean nothing */
	bool is_signed;			/* the file ends with a signature trailer */
	/* "<issuer CN>, serial <hex>" if the signature is well formed, else "". */
	char signer[DC_SIGNER_MAX];
	uint64_t fingerprint;		/* of the bytes checked (image_record.h) */
	/*
	 * Each problem with the rule it breaks (dc_elf_rule_name()), or with
	 * no rule if the file could not be read at all.
	 */
	struct diag_list problems;
};

/*
 * Read the whole image at @fd (with pread: the file offset is left alone,
 * and the caller keeps the fd for the kernel) and check it.  Returns the
 * number of problems; 0 means the loader would accept it.
 */
size_t image_check_fd(int fd, struct image_check *check);
void image_check_free(struct image_check *check);

#endif
