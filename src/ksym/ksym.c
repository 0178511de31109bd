// SPDX-License-Identifier: GPL-2.0
/*
 * Load-time symbol lookup.  kallsyms_lookup_name is not exported since 5.7;
 * registering a kprobe on it makes the kprobe core resolve its address for
 * us, and unregistering leaves the kernel as it was.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include "ksym/ksym.h"

static unsigned long kallsyms_lookup_name_addr;

int dc_ksym_init(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	int ret;

	ret = register_kprobe(&kp);
	if (ret) {
		pr_err("cannot locate kallsyms_lookup_name (kprobe: %d); is CONFIG_KPROBES set?\n",
		       ret);
		return ret;
	}
	/*
	 * kp.addr may point just past an ENDBR64 (the kprobe core skips it);
	 * that is still a valid entry for a call that is not indirect.
	 */
	kallsyms_lookup_name_addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	return kallsyms_lookup_name_addr ? 0 : -ENOENT;
}

unsigned long dc_ksym(const char *name)
{
	if (!kallsyms_lookup_name_addr)
		return 0;
	return DC_CALL1(kallsyms_lookup_name_addr, name);
}
