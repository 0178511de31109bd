/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A domain image's appended signature (image_sig.c): the module format,
 * so that the kernel's sign-file signs domains as it signs modules.
 */
#ifndef DC_IMAGE_SIG_H
#define DC_IMAGE_SIG_H

#include "elf_image.h"


struct dc_sig {
	int present;			/* the file ends with a signature trailer */
	size_t content_len;		/* the image: the bytes before the signature */
	const uint8_t *pkcs7;		/* the PKCS#7 message, in the file */
	size_t pkcs7_len;
	/* Who signed: "<issuer CN>, serial <hex>" (present and well formed only). */
	char signer[DC_SIGNER_MAX];
};

/*
 * Take the signature trailer of @file apart.  0: not signed (present = 0,
 * content_len = len), or signed and well formed; -EBADMSG (reported, rule
 * "signature") if the trailer or the PKCS#7 message is malformed.
 */
int dc_sig_parse(const void *file, size_t len, struct dc_sig *sig,
		 dc_elf_report_fn report, void *ctx);

#endif
