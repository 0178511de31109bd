/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The certificate domain images may be signed with (sign.c), built into
 * the module; the module's own signature covers it.  Kbuild assembles this
 * only when the build was given one (DC_CERT_FILE).
 */
	.section .rodata, "a"
	.globl	dc_builtin_cert
	.globl	dc_builtin_cert_end
dc_builtin_cert:
	.incbin	DC_CERT_FILE
dc_builtin_cert_end:
