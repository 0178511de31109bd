// SPDX-License-Identifier: GPL-2.0
/*
 * Provenance: loading a domain needs exactly what loading a module needs
 * (kernel/module/signing.c is the model).
 *
 *   - After kernel.modules_disabled=1 no domain is loaded or upgraded
 *     (restarts of loaded domains, from their cached image, go on).
 *   - An image may carry an appended signature in the module format
 *     (loader/image_sig.c).  A malformed one or one that does not match
 *     the image is always refused.  A good one is checked against the
 *     certificate built into domain_core.ko (the DKMS signing key; the
 *     module's own signature covers it), then the secondary trusted
 *     keyring, then the platform keyring, as Debian's module loader falls
 *     back to it.
 *   - A missing or untrusted signature is refused when module signatures
 *     are enforced (module.sig_enforce) or lockdown forbids unsigned
 *     modules; otherwise the domain loads, marked unsigned, with one log
 *     line.
 *
 * The file itself is read with kernel_read_file_from_fd(READING_MODULE)
 * (control.c), so IMA appraisal, LoadPin and LSMs see a domain as they
 * see a module.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/key.h>
#include <linux/module.h>
#include <linux/security.h>
#include <linux/verification.h>
#include "ksym/ksym.h"

static int *modules_disabled_var;
static struct key *builtin_keyring;

#ifdef DC_HAVE_BUILTIN_CERT
extern const u8 dc_builtin_cert[], dc_builtin_cert_end[];
#endif

/* The first keyring that has the signer's key decides. */
static int verify(const struct dc_load_info *info, const struct dc_sig *sig)
{
	struct key *const keyrings[] = {
		builtin_keyring,
		VERIFY_USE_SECONDARY_KEYRING,
		VERIFY_USE_PLATFORM_KEYRING,
	};
	unsigned int i;
	int rc = -ENOKEY;

	for (i = 0; i < ARRAY_SIZE(keyrings) && rc == -ENOKEY; i++) {
		if (!keyrings[i])
			continue;
		rc = verify_pkcs7_signature(info->file, sig->content_len, sig->pkcs7,
					    sig->pkcs7_len, keyrings[i],
					    VERIFYING_MODULE_SIGNATURE, NULL, NULL);
	}
	return rc;
}

/*
 * Check where the image in @info comes from, before anything of it is
 * mapped.  On success info->len is cut to the signed content and
 * info->signer says who signed it ("" if nobody the kernel trusts).
 */
int dc_sig_check(struct dc_load_info *info)
{
	struct dc_sig sig;
	const char *why;
	int rc;

	if (modules_disabled_var && READ_ONCE(*modules_disabled_var)) {
		scnprintf(info->err, DC_ERROR_MAX, "kernel.modules_disabled is set: no domain may be loaded");
		return -EPERM;
	}
	rc = dc_sig_parse(info->file, info->len, &sig, dc_report_first, info->err);
	if (rc)
		return rc;
	info->signer[0] = '\0';
	if (sig.present) {
		rc = verify(info, &sig);
		switch (rc) {
		case 0:
			info->len = sig.content_len;
			strscpy(info->signer, sig.signer, sizeof(info->signer));
			return 0;
		case -ENOKEY:
			why = "signed by a key the kernel does not trust";
			break;
		case -EKEYREJECTED:
			scnprintf(info->err, DC_ERROR_MAX, "the signature does not match the image (changed after signing, or signed over other bytes)");
			return rc;
		case -ENOPKG:
			why = "signed with crypto this kernel does not have";
			break;
		default:
			scnprintf(info->err, DC_ERROR_MAX, "the signature cannot be checked (%d)", rc);
			return rc;
		}
		/* The content without the signature is what would run. */
		info->len = sig.content_len;
	} else {
		why = "not signed";
		rc = -ENODATA;
	}
	if (is_module_sig_enforced()) {
		scnprintf(info->err, DC_ERROR_MAX, "image %s%s%s, and module signatures are enforced",
			  why, sig.present ? ": " : "", sig.present ? sig.signer : "");
		return rc == -ENOKEY ? -ENOKEY : -EKEYREJECTED;
	}
	if (security_locked_down(LOCKDOWN_MODULE_SIGNATURE)) {
		scnprintf(info->err, DC_ERROR_MAX, "image %s, and the kernel is locked down", why);
		return -EPERM;
	}
	/* Said once the domain is in (dc_sig_note_unsigned()). */
	scnprintf(info->unsigned_why, sizeof(info->unsigned_why), "image %s%s%s", why,
		  sig.present ? ": " : "", sig.present ? sig.signer : "");
	return 0;
}

/* The one log line for a domain that came in without a trusted signature. */
void dc_sig_note_unsigned(const struct dc_load_info *info)
{
	if (!info->signer[0])
		pr_notice("%s: %s: loaded unsigned (signatures are not enforced)\n",
			  info->name, info->unsigned_why);
}

int dc_sig_init(void)
{
	modules_disabled_var = (int *)dc_ksym("modules_disabled");
	if (!modules_disabled_var) {
		pr_err("cannot find kernel.modules_disabled\n");
		return -ENOENT;
	}
#ifdef DC_HAVE_BUILTIN_CERT
	{
		key_ref_t key;

		builtin_keyring = keyring_alloc(".domain_core", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
						current_cred(),
						(KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_VIEW |
						KEY_USR_READ | KEY_USR_SEARCH,
						KEY_ALLOC_NOT_IN_QUOTA, NULL, NULL);
		if (IS_ERR(builtin_keyring)) {
			int err = PTR_ERR(builtin_keyring);

			builtin_keyring = NULL;
			return err;
		}
		key = key_create_or_update(make_key_ref(builtin_keyring, 1), "asymmetric",
					   NULL, dc_builtin_cert,
					   dc_builtin_cert_end - dc_builtin_cert,
					   (KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_VIEW | KEY_USR_READ,
					   KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_BUILT_IN |
					   KEY_ALLOC_BYPASS_RESTRICTION);
		if (IS_ERR(key)) {
			pr_err("the built-in signing certificate is not usable (%ld)\n",
			       PTR_ERR(key));
			key_put(builtin_keyring);
			builtin_keyring = NULL;
			return PTR_ERR(key);
		}
		pr_info("trusting domains signed by \"%s\"\n", key_ref_to_ptr(key)->description);
		key_ref_put(key);
	}
#endif
	return 0;
}

void dc_sig_exit(void)
{
	if (builtin_keyring)
		key_put(builtin_keyring);
}
