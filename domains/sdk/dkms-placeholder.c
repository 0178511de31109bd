// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel module a domain's DKMS package builds besides its image
 * ("make dkms-build", domains/sdk/domain.mk).  It does nothing and nothing
 * loads it: it is there because DKMS before 3.2 (Debian bookworm's 3.0)
 * refuses to install a package that builds no kernel module.  DKMS signs
 * it like any module it builds.
 */
#include <linux/init.h>
#include <linux/module.h>

static int __init placeholder_init(void)
{
	return 0;
}

static void __exit placeholder_exit(void)
{
}

module_init(placeholder_init);
module_exit(placeholder_exit);
MODULE_DESCRIPTION("DKMS placeholder of a domain-core domain package (does nothing)");
MODULE_LICENSE("GPL");
