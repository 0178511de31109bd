// SPDX-License-Identifier: GPL-2.0
/*
 * domain_core: the trusted computing base that loads, isolates, upgrades
 * and recovers kernel domains.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include "compat/ksym.h"
#include "domain_core.h"
#include "exec_mem.h"

static int __init domain_core_init(void)
{
	int err;

	/* Kernel internals are found now, at load time, never at build time. */
	err = dc_ksym_init();
	if (err)
		return err;
	err = dc_exec_init();
	if (err)
		return err;
	err = dc_sysfs_init();
	if (err)
		return err;
	err = dc_control_init();
	if (err) {
		dc_sysfs_exit();
		return err;
	}
	pr_info("domain_core: version %s loaded, executable memory via %s\n",
		DC_MODULE_VERSION, dc_exec_backend());
	return 0;
}

static void __exit domain_core_exit(void)
{
	dc_control_exit();
	dc_sysfs_exit();
	WARN_ON(dc_exec_live_regions());
	pr_info("domain_core: unloaded\n");
}

module_init(domain_core_init);
module_exit(domain_core_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("domain-core: isolated, live-upgradable, recoverable kernel domains");
MODULE_VERSION(DC_MODULE_VERSION);
