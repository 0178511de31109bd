// SPDX-License-Identifier: GPL-2.0
/*
 * The signature trailer parser (src/loader/image_sig.c) on real
 * signatures and on every kind of malformed trailer.
 *
 * Keys and certificates are made with openssl at run time, in a temporary
 * directory removed at the end; nothing signed is committed.  log.dom is
 * signed twice: by the kernel's scripts/sign-file (tests/unit/sign-file.sh
 * finds one; without one that test is a SKIP line) and by "openssl cms"
 * with the options sign-file uses (detached, binary, no certificates, no
 * attributes), which gives the same bytes.  Each malformed case is built
 * in memory from the sign-file image if there is one, else from the
 * openssl one, in an exactly sized buffer (ASan sees any overrun), and
 * must give -EBADMSG with one report under rule "signature".
 *
 * Also here: the SDK's "make sign" (a scratch domain built, signed, signed
 * again without stacking) and its error messages, and tools/dc-unsign.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "loader/image_sig.h"
#include "test.h"

#define MAGIC		"~Module signature appended~\n"
#define MAGIC_LEN	(sizeof(MAGIC) - 1)
#define TRAILER_LEN	(12 + MAGIC_LEN)	/* struct module_signature + magic */

/* The test key's certificate: what the signer string must name. */
#define KEY_CN		"domain-core unit test key"
#define KEY_SERIAL	"5dc0ffee01234567"

static char dir[256];			/* keys and scratch files; removed at the end */
static char no_keys[400];		/* why there are none, if so */
static char no_sign_file[400];		/* why sign-file did not run, if so */

static struct image base;		/* log.dom, unsigned */
static unsigned char *real;		/* signed by sign-file, or NULL */
static size_t real_len;
static unsigned char *ossl;		/* signed by openssl cms, or NULL */
static size_t ossl_len;

static struct sig_sample *samples;	/* for the verdict comparison */
static size_t nr_samples;

/* Run a shell command (printf-style), output to DIR/cmd.log; its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048], full[2600];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	/* A make of ours must not see the jobserver of the make running us. */
	snprintf(full, sizeof(full), "unset MAKEFLAGS MFLAGS MAKELEVEL; { %s ; } >%s/cmd.log 2>&1",
		 cmd, dir);
	st = system(full);
	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* DIR/cmd.log (its first 4 KiB), on one line. */
static const char *cmd_log(void)
{
	static char text[4096];
	char path[300];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/cmd.log", dir);
	f = fopen(path, "r");
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	while (n && text[n - 1] == '\n')
		n--;
	text[n] = '\0';
	for (char *c = text; *c; c++)
		if (*c == '\n')
			*c = ' ';
	return text;
}

static unsigned char *read_whole(const char *path, size_t *len)
{
	struct image img;

	if (image_read(path, &img))
		return NULL;
	*len = img.len;
	return img.data;
}

static int write_whole(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	return fclose(f) || !ok ? -1 : 0;
}

static unsigned char *dup_bytes(const void *data, size_t len)
{
	unsigned char *b = malloc(len ? len : 1);

	if (!b) {
		perror("malloc");
		exit(2);
	}
	memcpy(b, data, len);
	return b;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* @content, then @p7, then a PKCS#7 trailer and the magic: a fresh buffer. */
static unsigned char *with_signature(const void *content, size_t clen, const void *p7,
				     size_t plen, size_t *len)
{
	unsigned char *b = malloc(clen + plen + TRAILER_LEN);

	if (!b) {
		perror("malloc");
		exit(2);
	}
	memcpy(b, content, clen);
	memcpy(b + clen, p7, plen);
	memset(b + clen + plen, 0, 12);
	b[clen + plen + 2] = 2;		/* PKEY_ID_PKCS7 */
	put_be32(b + clen + plen + 8, (uint32_t)plen);
	memcpy(b + clen + plen + 12, MAGIC, MAGIC_LEN);
	*len = clen + plen + TRAILER_LEN;
	return b;
}

/* "openssl cms" signature of DIR/IN with KEY/CERT (PEM) and EXTRA options, appended. */
static unsigned char *cms_signed(const char *in, const char *key, const char *cert,
				 const char *extra, size_t *len)
{
	unsigned char *content, *p7, *b;
	size_t clen, plen;
	char path[300];

	if (sh("openssl cms -sign -binary -noattr -nocerts -outform DER -md sha256 %s "
	       "-in %s/%s -signer %s/%s -inkey %s/%s -out %s/cms.p7",
	       extra, dir, in, dir, cert, dir, key, dir))
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, in);
	content = read_whole(path, &clen);
	snprintf(path, sizeof(path), "%s/cms.p7", dir);
	p7 = read_whole(path, &plen);
	b = content && p7 ? with_signature(content, clen, p7, plen, len) : NULL;
	free(content);
	free(p7);
	return b;
}

static void add_sample(const char *name, unsigned char *data, size_t len)
{
	samples = realloc(samples, (nr_samples + 1) * sizeof(*samples));
	if (!samples) {
		perror("realloc");
		exit(2);
	}
	snprintf(samples[nr_samples].name, sizeof(samples[nr_samples].name), "%s", name);
	samples[nr_samples].data = data;
	samples[nr_samples].len = len;
	nr_samples++;
}

size_t sig_samples(const struct sig_sample **out)
{
	*out = samples;
	return nr_samples;
}

/* dc_sig_parse() with a fresh collector. */
static int parse_sig(const void *data, size_t len, struct dc_sig *sig, struct reports *r)
{
	memset(r, 0, sizeof(*r));
	return dc_sig_parse(data, len, sig, reports_collect, r);
}

/* ---- Well-formed signatures. ---- */

/*
 * @b (@len bytes) is @content (@clen bytes) with one well-formed signature
 * by @signer: everything dc_sig_parse() says about it.
 */
static void check_signed(struct test *t, const unsigned char *b, size_t len,
			 const unsigned char *content, size_t clen, const char *signer)
{
	unsigned char *copy = dup_bytes(b, len);	/* exactly sized */
	struct dc_elf_info info;
	struct reports r;
	struct dc_sig sig;
	int err = parse_sig(copy, len, &sig, &r);

	if (err || r.count) {
		test_fail(t, "dc_sig_parse returned %s, %d reports, first: %s",
			  errno_name(err), r.count, r.first_msg);
	} else if (!sig.present || sig.content_len != clen ||
		   memcmp(copy, content, clen)) {
		test_fail(t, "present %d, content %zu bytes (want 1, %zu)", sig.present,
			  sig.content_len, clen);
	} else if (sig.pkcs7 != copy + clen || sig.pkcs7_len != len - clen - TRAILER_LEN) {
		test_fail(t, "PKCS#7 at offset %td, %zu bytes (want %zu, %zu)",
			  sig.pkcs7 - copy, sig.pkcs7_len, clen, len - clen - TRAILER_LEN);
	} else if (strcmp(sig.signer, signer)) {
		test_fail(t, "signer '%s', want '%s'", sig.signer, signer);
	} else if ((err = parse_image(copy, sig.content_len, &info, &r))) {
		test_fail(t, "the content does not parse: %s %s", errno_name(err), r.first_msg);
	} else if ((err = parse_image(copy, len, &info, &r))) {
		test_fail(t, "the whole file does not parse (trailing bytes): %s %s",
			  errno_name(err), r.first_msg);
	}
	free(copy);
}

static void signed_by_sign_file(struct test *t, const void *arg)
{
	(void)arg;
	check_signed(t, real, real_len, base.data, base.len, KEY_CN ", serial " KEY_SERIAL);
}

static void signed_by_openssl(struct test *t, const void *arg)
{
	(void)arg;
	check_signed(t, ossl, ossl_len, base.data, base.len, KEY_CN ", serial " KEY_SERIAL);
}

/* openssl's and sign-file's signatures over the same bytes are the same. */
static void openssl_is_sign_file(struct test *t, const void *arg)
{
	(void)arg;
	EXPECT(t, real_len == ossl_len && !memcmp(real, ossl, real_len),
	       "sign-file wrote %zu bytes, openssl cms %zu: the synthetic cases are not sign-file's format",
	       real_len, ossl_len);
}

struct signer_case {
	const char *name;
	const char *key, *cert;		/* in DIR, made by make_keys() */
	const char *extra;		/* openssl cms options */
	const char *want;
};

static const struct signer_case signer_cases[] = {
	/* sign-file names the issuer and serial of the signer's certificate. */
	{ "signer-is-issuer", "leaf.key", "leaf.pem", "",
	  "domain-core unit test CA, serial 0abc" },
	/* No commonName: the first attribute of the issuer's name. */
	{ "signer-without-cn", "org.key", "org.pem", "", "domain-core units, serial 42" },
	/* sign-file -k: a subjectKeyIdentifier, no name to give. */
	{ "signer-key-id", "key.pem", "cert.pem", "-keyid", "key id (no certificate name)" },
};

static void signer_case(struct test *t, const void *arg)
{
	const struct signer_case *c = arg;
	size_t len;
	unsigned char *b = cms_signed("log.dom", c->key, c->cert, c->extra, &len);

	EXPECT(t, b, "openssl cms failed: %s", cmd_log());
	check_signed(t, b, len, base.data, base.len, c->want);
	free(b);
}

/* Signed twice: the outer signature covers the image and the inner one. */
static void stacked(struct test *t, const void *arg)
{
	unsigned char *twice, *inner;
	char path[300];
	size_t len;

	(void)arg;
	snprintf(path, sizeof(path), "%s/once.dom", dir);
	EXPECT(t, !write_whole(path, ossl, ossl_len), "cannot write %s", path);
	twice = cms_signed("once.dom", "key.pem", "cert.pem", "", &len);
	EXPECT(t, twice, "openssl cms failed: %s", cmd_log());
	check_signed(t, twice, len, ossl, ossl_len, KEY_CN ", serial " KEY_SERIAL);
	/* The content, in its own exactly sized buffer: signed once. */
	inner = dup_bytes(twice, ossl_len);
	if (!t->failed)
		check_signed(t, inner, ossl_len, base.data, base.len, KEY_CN ", serial " KEY_SERIAL);
	free(inner);
	free(twice);
}

/* Every cut of the magic string: just trailing bytes, not a signature. */
static void magic_cut(struct test *t, const void *arg)
{
	size_t len = ossl_len;

	(void)arg;
	for (size_t cut = 1; cut <= MAGIC_LEN && !t->failed; cut++) {
		unsigned char *copy = dup_bytes(ossl, len - cut);
		struct dc_elf_info info;
		struct reports r;
		struct dc_sig sig;
		int err = parse_sig(copy, len - cut, &sig, &r);

		if (err || r.count || sig.present || sig.content_len != len - cut)
			test_fail(t, "magic cut by %zu: %s, %d reports, present %d, content %zu of %zu",
				  cut, errno_name(err), r.count, sig.present, sig.content_len,
				  len - cut);
		else if ((err = parse_image(copy, len - cut, &info, &r)))
			test_fail(t, "magic cut by %zu: the ELF rules refuse it: %s %s", cut,
				  errno_name(err), r.first_msg);
		free(copy);
	}
}

/* The images the SDK built: unsigned, or (after a signing build) well signed. */
static void images_unsigned_or_well_signed(struct test *t, const void *arg)
{
	const char *images = arg;
	struct image *imgs;
	int n = images_in(images, &imgs);

	if (!n)
		test_fail(t, "no images in %s", images);
	for (int i = 0; i < n; i++) {
		struct reports r;
		struct dc_sig sig;
		int err = parse_sig(imgs[i].data, imgs[i].len, &sig, &r);

		if (!t->failed && (err || r.count))
			test_fail(t, "%s: %s: %s", imgs[i].name, errno_name(err), r.first_msg);
		else if (!t->failed && !sig.present && sig.content_len != imgs[i].len)
			test_fail(t, "%s: unsigned, but the content is %zu of %zu bytes",
				  imgs[i].name, sig.content_len, imgs[i].len);
		image_free(&imgs[i]);
	}
	free(imgs);
}

/* ---- Malformed trailers. ---- */

/* A signed image being damaged: its parts' offsets. */
struct damage {
	unsigned char *b;
	size_t len;
	size_t clen, plen;	/* content, PKCS#7 */
	size_t tr;		/* the 12-byte struct module_signature */
};

struct bad_case {
	const char *name;
	const char *msg;	/* in the report */
	/* Damage @d; 0, or -1 if the layout is not what the case expects. */
	int (*apply)(struct damage *d, long arg);
	long arg;
};

static int keep_tail(struct damage *d, long n)		/* the last @n bytes only */
{
	memmove(d->b, d->b + d->len - n, n);
	d->len = n;
	return 0;
}

static int set_byte(struct damage *d, long at)		/* trailer byte @at := nonzero */
{
	d->b[d->tr + at] = at == 2 ? 0 : 1;
	return 0;
}

static int set_id_type(struct damage *d, long type)
{
	d->b[d->tr + 2] = (unsigned char)type;
	return 0;
}

static int set_sig_len(struct damage *d, long which)
{
	uint32_t v;

	switch (which) {
	case 0: v = 0; break;
	case 1: v = (uint32_t)(d->len - TRAILER_LEN + 1); break;	/* one before the file */
	case 2: v = 0xffffffffu; break;
	case 3: v = (uint32_t)(d->len - TRAILER_LEN); break;		/* all of it: starts "\177ELF" */
	default: v = (uint32_t)(d->plen - 1); break;		/* from the 2nd byte of the DER */
	}
	put_be32(d->b + d->tr + 8, v);
	return 0;
}

static int fill_pkcs7(struct damage *d, long byte)
{
	memset(d->b + d->clen, (int)byte, d->plen);
	return 0;
}

/* Where the signedData OID is in the PKCS#7 message, or -1. */
static long signed_data_oid(const struct damage *d)
{
	static const unsigned char oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
					     0x0d, 0x01, 0x07, 0x02 };

	for (size_t i = 0; i + sizeof(oid) <= d->plen && i < 8; i++)
		if (!memcmp(d->b + d->clen + i, oid, sizeof(oid)))
			return (long)i;
	return -1;
}

static int not_signed_data(struct damage *d, long arg)
{
	long at = signed_data_oid(d);

	(void)arg;
	if (at < 0)
		return -1;
	d->b[d->clen + at + 10] = 0x01;		/* 1.2.840.113549.1.7.1, data */
	return 0;
}

/* The outer SEQUENCE's length octet(s): indefinite, 5 bytes, one too long. */
static int outer_length(struct damage *d, long how)
{
	unsigned char *p = d->b + d->clen;

	if (p[0] != 0x30 || p[1] != 0x82 || ((size_t)p[2] << 8 | p[3]) != d->plen - 4)
		return -1;
	if (how == 0)
		p[1] = 0x80;
	else if (how == 1)
		p[1] = 0x85;
	else
		p[3]++, p[2] += !p[3];
	return 0;
}

/* The PKCS#7 message cut to @keep bytes (negative: that many fewer), sig_len to match. */
static int truncate_pkcs7(struct damage *d, long keep)
{
	size_t n = keep < 0 ? d->plen - (size_t)-keep : keep == 0 ? d->plen / 2 : (size_t)keep;

	memmove(d->b + d->clen + n, d->b + d->tr, TRAILER_LEN);
	d->len -= d->plen - n;
	d->tr = d->clen + n;
	d->plen = n;
	put_be32(d->b + d->tr + 8, (uint32_t)n);
	return 0;
}

#define TRUNCATED	"signature trailer truncated"
#define ID_TYPE		"not a PKCS#7 message (id_type)"
#define NONZERO		"fields PKCS#7 signatures leave zero"
#define PAST_START	"runs past the start of the file"
#define NOT_PKCS7	"not a well-formed PKCS#7 SignedData message"

static const struct bad_case bad_cases[] = {
	{ "trailer-truncated-magic-only", TRUNCATED, keep_tail, MAGIC_LEN },
	{ "trailer-truncated-1", TRUNCATED, keep_tail, MAGIC_LEN + 1 },
	{ "trailer-truncated-11", TRUNCATED, keep_tail, TRAILER_LEN - 1 },
	{ "id-type-0", ID_TYPE, set_id_type, 0 },
	{ "id-type-pgp", ID_TYPE, set_id_type, 1 },
	{ "id-type-x509", ID_TYPE, set_id_type, 3 },
	{ "id-type-255", ID_TYPE, set_id_type, 255 },
	{ "algo-set", NONZERO, set_byte, 0 },
	{ "hash-set", NONZERO, set_byte, 1 },
	{ "signer-len-set", NONZERO, set_byte, 3 },
	{ "key-id-len-set", NONZERO, set_byte, 4 },
	{ "pad0-set", NONZERO, set_byte, 5 },
	{ "pad1-set", NONZERO, set_byte, 6 },
	{ "pad2-set", NONZERO, set_byte, 7 },
	{ "sig-len-zero", PAST_START, set_sig_len, 0 },
	{ "sig-len-past-start", PAST_START, set_sig_len, 1 },
	{ "sig-len-max", PAST_START, set_sig_len, 2 },
	{ "sig-len-whole-file", NOT_PKCS7, set_sig_len, 3 },
	{ "sig-len-short", NOT_PKCS7, set_sig_len, 4 },
	{ "pkcs7-garbage", NOT_PKCS7, fill_pkcs7, 0xa5 },
	{ "pkcs7-zeros", NOT_PKCS7, fill_pkcs7, 0 },
	{ "pkcs7-sequences", NOT_PKCS7, fill_pkcs7, 0x30 },
	{ "pkcs7-not-signed-data", NOT_PKCS7, not_signed_data, 0 },
	{ "pkcs7-indefinite-length", NOT_PKCS7, outer_length, 0 },
	{ "pkcs7-length-5-bytes", NOT_PKCS7, outer_length, 1 },
	{ "pkcs7-length-past-end", NOT_PKCS7, outer_length, 2 },
	{ "pkcs7-truncated-1", NOT_PKCS7, truncate_pkcs7, -1 },
	{ "pkcs7-truncated-16", NOT_PKCS7, truncate_pkcs7, -16 },
	{ "pkcs7-truncated-half", NOT_PKCS7, truncate_pkcs7, 0 },
	{ "pkcs7-truncated-header", NOT_PKCS7, truncate_pkcs7, 2 },
	{ "pkcs7-truncated-1-byte", NOT_PKCS7, truncate_pkcs7, 1 },
};
#define NR_BAD	(sizeof(bad_cases) / sizeof(bad_cases[0]))

/* Case @c applied to the signed image @b: an exactly sized buffer, or NULL. */
static unsigned char *bad_apply(const struct bad_case *c, const unsigned char *b,
				size_t len, size_t *out_len)
{
	struct damage d;
	unsigned char *exact;

	d.b = dup_bytes(b, len);
	d.len = len;
	d.plen = ((size_t)b[len - MAGIC_LEN - 4] << 24) | ((size_t)b[len - MAGIC_LEN - 3] << 16) |
		 ((size_t)b[len - MAGIC_LEN - 2] << 8) | b[len - MAGIC_LEN - 1];
	d.tr = len - TRAILER_LEN;
	d.clen = d.tr - d.plen;
	if (c->apply(&d, c->arg)) {
		free(d.b);
		return NULL;
	}
	exact = dup_bytes(d.b, d.len);
	free(d.b);
	*out_len = d.len;
	return exact;
}

static void run_bad(struct test *t, const struct bad_case *c, const unsigned char *b,
		    size_t len, const char *label)
{
	size_t bad_len;
	unsigned char *bad = bad_apply(c, b, len, &bad_len);
	struct reports r;
	struct dc_sig sig;
	int err;

	EXPECT(t, bad, "%s%s: the PKCS#7 message is not laid out as sign-file lays it out",
	       label, c->name);
	err = parse_sig(bad, bad_len, &sig, &r);
	if (err != -EBADMSG)
		test_fail(t, "%s%s: returned %s, want EBADMSG", label, c->name, errno_name(err));
	else if (r.count != 1 || r.first_err != -EBADMSG || !reports_well_formed(&r))
		test_fail(t, "%s%s: %d reports (first %s), want one EBADMSG with a message",
			  label, c->name, r.count, errno_name(r.first_err));
	else if (strcmp(r.first_rule, "signature"))
		test_fail(t, "%s%s: rule '%s', want 'signature'", label, c->name, r.first_rule);
	else if (!strstr(r.first_msg, c->msg))
		test_fail(t, "%s%s: message '%s', want '%s'", label, c->name, r.first_msg, c->msg);
	else if (!sig.present)
		test_fail(t, "%s%s: not marked present", label, c->name);
	free(bad);
}

struct bad_arg {
	const struct bad_case *c;
	const unsigned char *b;
	size_t len;
};

static void one_bad(struct test *t, const void *arg)
{
	const struct bad_arg *a = arg;

	run_bad(t, a->c, a->b, a->len, "");
}

static void all_bad(struct test *t, const void *arg)
{
	const struct bad_arg *a = arg;

	for (size_t i = 0; i < NR_BAD && !t->failed; i++)
		run_bad(t, &bad_cases[i], a->b, a->len, "");
}

/* No report callback: the same verdicts, nothing called. */
static void null_report(struct test *t, const void *arg)
{
	const struct bad_arg *a = arg;

	for (size_t i = 0; i < NR_BAD && !t->failed; i++) {
		size_t len;
		unsigned char *bad = bad_apply(&bad_cases[i], a->b, a->len, &len);
		struct dc_sig sig;

		if (bad && dc_sig_parse(bad, len, &sig, NULL, NULL) != -EBADMSG)
			test_fail(t, "%s: not EBADMSG without a callback", bad_cases[i].name);
		free(bad);
	}
}

/* ---- The SDK: make sign, dc-unsign. ---- */

/* A scratch domain (bench's source) in DIR/sdk/bench, built; its image, unsigned. */
static unsigned char *sdk_domain(struct test *t, size_t *len)
{
	char path[300];

	if (sh("mkdir -p %s/sdk/bench && cp %s/domains/bench/bench.c %s/sdk/bench/ && "
	       "echo 'include %s/domains/sdk/domain.mk' >%s/sdk/bench/Makefile && "
	       "make -s -C %s/sdk/bench", dir, DC_TOP, dir, DC_TOP, dir, dir)) {
		test_fail(t, "cannot build a scratch domain: %s", cmd_log());
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/sdk/bench/bench.dom", dir);
	return read_whole(path, len);
}

static void sdk_sign_errors(struct test *t, const void *arg)
{
	static const struct {
		const char *args, *want;
	} cases[] = {
		{ "", "make sign: set KEY=FILE" },
		{ "KEY=%1$s/key.pem", "make sign: set KEY=FILE" },
		{ "KEY=%1$s/nokey.pem CERT=%1$s/cert.der", "make sign: KEY %1$s/nokey.pem: no such file" },
		{ "KEY=%1$s/key.pem CERT=%1$s/nocert.der", "make sign: CERT %1$s/nocert.der: no such file" },
		{ "KEY=%1$s/key.pem CERT=%1$s/cert.der SIGN_FILE=%1$s/nosuch",
		  "make sign: SIGN_FILE %1$s/nosuch: not an executable file" },
	};
	char args[512], want[512];
	size_t len;
	unsigned char *img;

	(void)arg;
	img = sdk_domain(t, &len);
	EXPECT(t, img, "%s", t->why[0] ? t->why : "no image");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]) && !t->failed; i++) {
		int rc;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(args, sizeof(args), cases[i].args, dir);
		snprintf(want, sizeof(want), cases[i].want, dir);
#pragma GCC diagnostic pop
		rc = sh("make -s -C %s/sdk/bench sign %s", dir, args);
		if (!rc || !strstr(cmd_log(), want))
			test_fail(t, "make sign %s: exit %d, said '%s' (want '%s')", args, rc,
				  cmd_log(), want);
	}
	free(img);
}

static void sdk_sign(struct test *t, const void *arg)
{
	unsigned char *unsigned_img, *once = NULL, *twice = NULL, *again = NULL;
	size_t len, once_len, twice_len, again_len;
	char path[300], make[1024];

	(void)arg;
	unsigned_img = sdk_domain(t, &len);
	EXPECT(t, unsigned_img, "%s", t->why[0] ? t->why : "no image");
	snprintf(path, sizeof(path), "%s/sdk/bench/bench.dom", dir);
	snprintf(make, sizeof(make), "make -s -C %s/sdk/bench sign KEY=%s/key.pem CERT=%s/cert.der "
		 "SIGN_FILE=%s/tests/unit/sign-file.sh", dir, dir, dir, DC_TOP);
	if (sh("%s", make))
		test_fail(t, "make sign: %s", cmd_log());
	else if (!(once = read_whole(path, &once_len)))
		test_fail(t, "cannot read %s", path);
	else
		check_signed(t, once, once_len, unsigned_img, len, KEY_CN ", serial " KEY_SERIAL);
	/* Again: the old signature replaced, not stacked. */
	if (!t->failed && sh("%s", make))
		test_fail(t, "make sign again: %s", cmd_log());
	else if (!t->failed && !(twice = read_whole(path, &twice_len)))
		test_fail(t, "cannot read %s", path);
	else if (!t->failed && (twice_len != once_len || memcmp(once, twice, once_len)))
		test_fail(t, "signing again gave %zu bytes, not the %zu of the first signing",
			  twice_len, once_len);
	/* dc-unsign removes stacked signatures too. */
	if (!t->failed) {
		size_t l;
		unsigned char *stacked = with_signature(once, once_len,
							once + len, once_len - len - TRAILER_LEN, &l);

		if (write_whole(path, stacked, l) ||
		    sh("%s/domains/sdk/tools/dc-unsign %s", DC_TOP, path))
			test_fail(t, "dc-unsign: %s", cmd_log());
		else if (!(again = read_whole(path, &again_len)) || again_len != len ||
			 memcmp(again, unsigned_img, len))
			test_fail(t, "dc-unsign left %zu bytes, not the %zu unsigned ones",
				  again_len, len);
		free(stacked);
	}
	free(unsigned_img);
	free(once);
	free(twice);
	free(again);
}

/* dc-unsign leaves a malformed trailer alone and says why. */
static void unsign_malformed(struct test *t, const void *arg)
{
	const struct bad_arg *a = arg;
	size_t len, after_len;
	unsigned char *bad = bad_apply(&bad_cases[3], a->b, a->len, &len), *after;
	char path[300];
	int rc;

	snprintf(path, sizeof(path), "%s/bad.dom", dir);
	EXPECT(t, bad && !write_whole(path, bad, len), "cannot write %s", path);
	rc = sh("%s/domains/sdk/tools/dc-unsign %s", DC_TOP, path);
	after = read_whole(path, &after_len);
	if (rc != 1 || !strstr(cmd_log(), "signature: signature is not a PKCS#7 message"))
		test_fail(t, "exit %d, said '%s'", rc, cmd_log());
	else if (!after || after_len != len || memcmp(after, bad, len))
		test_fail(t, "the file changed");
	free(after);
	free(bad);
}

/* ---- Set-up. ---- */

static int make_keys(void)
{
	static const char req[] = "openssl req -new -x509 -newkey rsa:2048 -nodes -days 2";

	if (sh("openssl version"))
		return snprintf(no_keys, sizeof(no_keys), "no openssl: %s", cmd_log()), -1;
	if (sh("cd %s && %s -keyout key.pem -out cert.pem -subj '/CN=%s' -set_serial 0x%s && "
	       "openssl x509 -in cert.pem -outform DER -out cert.der && "
	       "%s -keyout ca.key -out ca.pem -subj '/CN=domain-core unit test CA' -set_serial 0x0c && "
	       "openssl req -new -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr "
	       "-subj '/CN=domain-core unit test leaf' && "
	       "openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -set_serial 0x0abc -days 2 "
	       "-out leaf.pem && "
	       "%s -keyout org.key -out org.pem -subj '/O=domain-core units' -set_serial 0x42",
	       dir, req, KEY_CN, KEY_SERIAL, req, req))
		return snprintf(no_keys, sizeof(no_keys), "openssl failed: %s", cmd_log()), -1;
	return 0;
}

static void sign_with_sign_file(void)
{
	char path[300];
	int rc;

	snprintf(path, sizeof(path), "%s/real.dom", dir);
	if (write_whole(path, base.data, base.len)) {
		snprintf(no_sign_file, sizeof(no_sign_file), "cannot write %s", path);
		return;
	}
	rc = sh("sh %s/tests/unit/sign-file.sh sha256 %s/key.pem %s/cert.der %s",
		DC_TOP, dir, dir, path);
	if (rc == 77) {
		snprintf(no_sign_file, sizeof(no_sign_file), "%s", cmd_log());
		return;
	}
	real = rc ? NULL : read_whole(path, &real_len);
	if (!real)		/* not a skip: sign-file is there and failed */
		snprintf(no_sign_file, sizeof(no_sign_file), "FAIL: sign-file failed (%d): %s",
			 rc, cmd_log());
}

static void key_failure(struct test *t, const void *arg)
{
	test_fail(t, "%s", (const char *)arg);
}

static void sign_file_failure(struct test *t, const void *arg)
{
	(void)arg;
	test_fail(t, "%s", no_sign_file + 6);
}

void image_sig_tests(const char *images)
{
	struct bad_arg primary, secondary;
	const char *tmp;
	char path[600];

	test_run(images_unsigned_or_well_signed, images, "sig-images-%s", "well-formed");

	snprintf(path, sizeof(path), "%s/log.dom", images);
	if (image_read(path, &base) == 0) {
		struct reports r;
		struct dc_sig sig;

		/* A signing build signs domains/out too: start from the content. */
		if (!parse_sig(base.data, base.len, &sig, &r))
			base.len = sig.content_len;
	} else {
		test_run(key_failure, "no log.dom in the images directory", "sig-%s", "setup");
		return;
	}
	tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/dc-unit-sig.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 200 && !strpbrk(tmp, " '\"$`\\") ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		dir[0] = '\0';
		test_run(key_failure, "mkdtemp failed", "sig-%s", "setup");
		image_free(&base);
		return;
	}
	snprintf(path, sizeof(path), "%s/log.dom", dir);
	if (make_keys() || write_whole(path, base.data, base.len)) {
		test_skip(no_keys[0] ? no_keys : "cannot write log.dom", "sig-%s", "all");
		goto out;
	}
	ossl = cms_signed("log.dom", "key.pem", "cert.pem", "", &ossl_len);
	if (!ossl) {
		test_run(key_failure, "openssl cms -sign failed", "sig-%s", "signed-by-openssl");
		goto out;
	}
	sign_with_sign_file();

	if (real)
		test_run(signed_by_sign_file, NULL, "sig-%s", "signed-by-sign-file");
	else if (!strncmp(no_sign_file, "FAIL: ", 6))
		test_run(sign_file_failure, NULL, "sig-%s", "signed-by-sign-file");
	else
		test_skip(no_sign_file, "sig-%s", "signed-by-sign-file");
	test_run(signed_by_openssl, NULL, "sig-%s", "signed-by-openssl");
	if (real)
		test_run(openssl_is_sign_file, NULL, "sig-%s", "openssl-same-bytes-as-sign-file");
	for (size_t i = 0; i < sizeof(signer_cases) / sizeof(signer_cases[0]); i++)
		test_run(signer_case, &signer_cases[i], "sig-%s", signer_cases[i].name);
	test_run(stacked, ossl, "sig-%s", "stacked");
	test_run(magic_cut, ossl, "sig-%s", "magic-cut-is-unsigned");

	/* The malformed cases, on sign-file's image if there is one. */
	primary = (struct bad_arg){ NULL, real ? real : ossl, real ? real_len : ossl_len };
	secondary = (struct bad_arg){ NULL, ossl, ossl_len };
	for (size_t i = 0; i < NR_BAD; i++) {
		struct bad_arg a = primary;

		a.c = &bad_cases[i];
		test_run(one_bad, &a, "sig-bad-%s", bad_cases[i].name);
	}
	if (real)
		test_run(all_bad, &secondary, "sig-bad-all-cases-%s", "openssl");
	test_run(null_report, &primary, "sig-bad-%s", "null-report");

	test_run(sdk_sign_errors, NULL, "sig-%s", "sdk-sign-errors");
	if (real)
		test_run(sdk_sign, NULL, "sig-%s", "sdk-sign");
	else
		test_skip(no_sign_file[0] ? no_sign_file : "no sign-file", "sig-%s", "sdk-sign");
	test_run(unsign_malformed, &primary, "sig-%s", "dc-unsign-malformed");

	/* For the verdict comparison (test_verdicts.c). */
	if (real)
		add_sample("signed-by-sign-file", dup_bytes(real, real_len), real_len);
	add_sample("signed-by-openssl", dup_bytes(ossl, ossl_len), ossl_len);
	add_sample("magic-cut", dup_bytes(ossl, ossl_len - 1), ossl_len - 1);
	for (size_t i = 0; i < NR_BAD; i++) {
		size_t len;
		unsigned char *b = bad_apply(&bad_cases[i], primary.b, primary.len, &len);

		if (b)
			add_sample(bad_cases[i].name, b, len);
	}
out:
	if (dir[0]) {
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd))
			fprintf(stderr, "image_sig: cannot remove %s\n", dir);
	}
	free(real);
	free(ossl);
	image_free(&base);
}

void sig_samples_free(void)
{
	for (size_t i = 0; i < nr_samples; i++)
		free(samples[i].data);
	free(samples);
	samples = NULL;
	nr_samples = 0;
}
