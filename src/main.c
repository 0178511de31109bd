// SPDX-License-Identifier: GPL-2.0
/*
 * domain_core: the trusted computing base that loads, isolates, upgrades
 * and recovers kernel domains.  internal.h maps the files.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/module.h>
#include "ksym/ksym.h"

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
	err = dc_sig_init();
	if (err)
		return err;
	err = dc_heap_init();
	if (err)
		goto out_sig;
	err = dc_call_init();
	if (err)
		goto out_heap;
	err = dc_watchdog_init();
	if (err)
		goto out_call;
	err = dc_restart_init();
	if (err)
		goto out_watchdog;
	err = dc_trap_init();
	if (err)
		goto out_restart;
	err = dc_sysfs_init();
	if (err)
		goto out_trap;
	err = dc_selftest_init();
	if (err)
		goto out_sysfs;
	err = dc_bench_init();
	if (err)
		goto out_selftest;
	err = dc_control_init();
	if (err)
		goto out_bench;
	pr_info("version %s loaded, executable memory via %s\n",
		DC_MODULE_VERSION, dc_exec_backend());
	return 0;

out_bench:
	dc_bench_exit();
out_selftest:
	dc_selftest_exit();
out_sysfs:
	dc_sysfs_exit();
out_trap:
	dc_trap_exit();
out_restart:
	dc_restart_exit();
out_watchdog:
	dc_watchdog_exit();
out_call:
	dc_call_exit();
out_heap:
	dc_heap_exit();
out_sig:
	dc_sig_exit();
	return err;
}

static void __exit domain_core_exit(void)
{
	dc_control_exit();
	dc_domains_unload_all();
	dc_bench_exit();
	dc_selftest_exit();
	dc_sysfs_exit();
	dc_trap_exit();
	dc_restart_exit();
	dc_watchdog_exit();
	dc_call_exit();
	dc_heap_exit();
	dc_sig_exit();
	WARN_ON(dc_exec_live_regions());
	pr_info("unloaded\n");
}

module_init(domain_core_init);
module_exit(domain_core_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("domain-core: isolated, live-upgradable, recoverable kernel domains");
MODULE_VERSION(DC_MODULE_VERSION);
