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
#include "fault.h"
#include "runtime.h"

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
	err = dc_heap_init();
	if (err)
		return err;
	err = dc_fault_init();
	if (err)
		goto out_heap;
	err = dc_sysfs_init();
	if (err)
		goto out_fault;
	err = dc_control_init();
	if (err)
		goto out_sysfs;
	pr_info("domain_core: version %s loaded, executable memory via %s\n",
		DC_MODULE_VERSION, dc_exec_backend());
	return 0;

out_sysfs:
	dc_sysfs_exit();
out_fault:
	dc_fault_exit();
out_heap:
	dc_heap_exit();
	return err;
}

static void __exit domain_core_exit(void)
{
	dc_control_exit();
	dc_domains_unload_all();
	dc_sysfs_exit();
	dc_fault_exit();
	dc_heap_exit();
	WARN_ON(dc_exec_live_regions());
	pr_info("domain_core: unloaded\n");
}

module_init(domain_core_init);
module_exit(domain_core_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("domain-core: isolated, live-upgradable, recoverable kernel domains");
MODULE_VERSION(DC_MODULE_VERSION);
