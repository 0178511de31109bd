// SPDX-License-Identifier: GPL-2.0
/*
 * An image's appended signature, in the format scripts/sign-file gives
 * modules: the image, a PKCS#7 (CMS) SignedData message in DER over it,
 * struct dc_sig_trailer, then the string "~Module signature appended~\n".
 * Pure C like elf_image.c, and shared the same way (the module, domainctl,
 * the unit tests and the fuzzer).
 *
 * This file only takes the trailer apart and reads, from the PKCS#7, who
 * signed it (the issuer and serial number of the signer's certificate, as
 * sign-file identifies it); every length is checked before use.  Whether
 * the signature is good is the kernel's verify_pkcs7_signature()'s job.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdio.h>
#include <string.h>
#endif
#include "image_sig.h"

#define SIG_MAGIC	"~Module signature appended~\n"
#define SIG_MAGIC_LEN	(sizeof(SIG_MAGIC) - 1)
#define PKEY_ID_PKCS7	2

/* As the kernel's struct module_signature. */
struct sig_trailer {
	uint8_t algo, hash, id_type, signer_len, key_id_len, pad[3];
	uint8_t sig_len[4];		/* big endian */
};

/* A DER element: its tag, and where its contents are. */
struct der {
	const uint8_t *p;
	size_t len;
	uint8_t tag;
};

/*
 * Read the element at the start of @in (and step over it): false if it
 * does not fit.  Only definite lengths of up to four bytes (DER).
 */
static int der_next(struct der *in, struct der *out)
{
	size_t len, hdr = 2, i, n;

	if (in->len < 2)
		return 0;
	out->tag = in->p[0];
	len = in->p[1];
	if (len & 0x80) {
		n = len & 0x7f;
		if (!n || n > 4 || in->len < 2 + n)
			return 0;
		for (len = 0, i = 0; i < n; i++)
			len = (len << 8) | in->p[2 + i];
		hdr += n;
	}
	if (len > in->len - hdr)
		return 0;
	out->p = in->p + hdr;
	out->len = len;
	in->p += hdr + len;
	in->len -= hdr + len;
	return 1;
}

/* The next element must have tag @tag. */
static int der_expect(struct der *in, uint8_t tag, struct der *out)
{
	return der_next(in, out) && out->tag == tag;
}

#define DER_SEQ		0x30
#define DER_SET		0x31
#define DER_INT		0x02
#define DER_OID		0x06
#define DER_CTX0	0xa0	/* [0] constructed */

/* OID 2.5.4.3, commonName; 1.2.840.113549.1.7.2, signedData. */
static const uint8_t oid_cn[] = { 0x55, 0x04, 0x03 };
static const uint8_t oid_signed_data[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };

static int oid_is(const struct der *oid, const uint8_t *want, size_t len)
{
	return oid->tag == DER_OID && oid->len == len && !memcmp(oid->p, want, len);
}

/* The commonName of a Name (or its first attribute's value) into @buf. */
static void name_of(struct der name, char *buf, size_t size)
{
	struct der rdn, atv, type, value, first = { NULL, 0, 0 };
	size_t n, i;

	while (der_expect(&name, DER_SET, &rdn)) {
		while (der_expect(&rdn, DER_SEQ, &atv)) {
			if (!der_expect(&atv, DER_OID, &type) || !der_next(&atv, &value))
				continue;
			if (!first.p)
				first = value;
			if (oid_is(&type, oid_cn, sizeof(oid_cn))) {
				first = value;
				goto found;
			}
		}
	}
found:
	n = first.p ? (first.len < size - 1 ? first.len : size - 1) : 0;
	for (i = 0; i < n; i++)
		buf[i] = first.p[i] >= 0x20 && first.p[i] < 0x7f ? (char)first.p[i] : '?';
	buf[n] = '\0';
}

/* Who signed, from the first SignerInfo of a SignedData in @msg. */
static int signer_of(struct der msg, struct dc_sig *sig)
{
	struct der ci, oid, explicit, sd, field, infos, info, sid, issuer, serial;
	char name[DC_SIGNER_MAX];
	size_t at, i;

	if (!der_expect(&msg, DER_SEQ, &ci) || !der_expect(&ci, DER_OID, &oid) ||
	    !oid_is(&oid, oid_signed_data, sizeof(oid_signed_data)) ||
	    !der_expect(&ci, DER_CTX0, &explicit) || !der_expect(&explicit, DER_SEQ, &sd))
		return 0;
	/* version, digestAlgorithms, encapContentInfo, [0] certs, [1] crls, signerInfos */
	if (!der_expect(&sd, DER_INT, &field) || !der_expect(&sd, DER_SET, &field) ||
	    !der_expect(&sd, DER_SEQ, &field))
		return 0;
	do {
		if (!der_next(&sd, &infos))
			return 0;
	} while (infos.tag != DER_SET);
	if (!der_expect(&infos, DER_SEQ, &info) || !der_expect(&info, DER_INT, &field) ||
	    !der_next(&info, &sid))
		return 0;
	if (sid.tag != DER_SEQ) {	/* [0] subjectKeyIdentifier: no name to give */
		snprintf(sig->signer, sizeof(sig->signer), "key id (no certificate name)");
		return 1;
	}
	if (!der_expect(&sid, DER_SEQ, &issuer) || !der_expect(&sid, DER_INT, &serial))
		return 0;
	name_of(issuer, name, sizeof(name));
	at = (size_t)snprintf(sig->signer, sizeof(sig->signer), "%s, serial ", name);
	for (i = 0; i < serial.len && at + 3 < sizeof(sig->signer); i++)
		at += (size_t)snprintf(sig->signer + at, sizeof(sig->signer) - at, "%02x",
				       serial.p[i]);
	return 1;
}

static int sig_fail(dc_elf_report_fn report, void *ctx, const char *msg)
{
	if (report)
		report(ctx, -EBADMSG, dc_elf_rule_name(DC_RULE_SIGNATURE), msg);
	return -EBADMSG;
}

int dc_sig_parse(const void *file, size_t len, struct dc_sig *sig,
		 dc_elf_report_fn report, void *ctx)
{
	const uint8_t *f = file;
	struct sig_trailer t;
	struct der msg;
	size_t sig_len;

	memset(sig, 0, sizeof(*sig));
	sig->content_len = len;
	if (len < SIG_MAGIC_LEN || memcmp(f + len - SIG_MAGIC_LEN, SIG_MAGIC, SIG_MAGIC_LEN))
		return 0;	/* not signed */
	sig->present = 1;
	if (len - SIG_MAGIC_LEN < sizeof(t))
		return sig_fail(report, ctx, "signature trailer truncated");
	memcpy(&t, f + len - SIG_MAGIC_LEN - sizeof(t), sizeof(t));
	if (t.id_type != PKEY_ID_PKCS7)
		return sig_fail(report, ctx, "signature is not a PKCS#7 message (id_type)");
	if (t.algo || t.hash || t.signer_len || t.key_id_len || t.pad[0] || t.pad[1] || t.pad[2])
		return sig_fail(report, ctx, "signature trailer has fields PKCS#7 signatures leave zero");
	sig_len = ((size_t)t.sig_len[0] << 24) | ((size_t)t.sig_len[1] << 16) |
		  ((size_t)t.sig_len[2] << 8) | t.sig_len[3];
	if (!sig_len || sig_len > len - SIG_MAGIC_LEN - sizeof(t))
		return sig_fail(report, ctx, "signature length runs past the start of the file");
	sig->pkcs7 = f + len - SIG_MAGIC_LEN - sizeof(t) - sig_len;
	sig->pkcs7_len = sig_len;
	sig->content_len = len - SIG_MAGIC_LEN - sizeof(t) - sig_len;
	msg.p = sig->pkcs7;
	msg.len = sig_len;
	if (!signer_of(msg, sig))
		return sig_fail(report, ctx, "signature is not a well-formed PKCS#7 SignedData message");
	return 0;
}
