// SPDX-License-Identifier: GPL-2.0
/*
 * The image's ELF entry point.  Built with -fno-stack-protector: it
 * changes the guard, so its own frame must not carry a canary.
 */
#include "internal.h"

const struct dc_services *dom_svc;
dc_self_t dom_self;

/*
 * -mstack-protector-guard=global reads the canary from here.  The value
 * before the entry runs does not matter: nothing protected runs earlier.
 */
uintptr_t __stack_chk_guard;

long dc_domain_entry(const struct dc_services *svc, dc_self_t self,
		     const char *params, struct dc_entry_result *out);

long dc_domain_entry(const struct dc_services *svc, dc_self_t self,
		     const char *params, struct dc_entry_result *out)
{
	bool stateful = dom__note.desc.flags & DC_NOTE_F_STATEFUL;
	long ret;

	/* A table we were not built for cannot even be used to complain. */
	if (!svc || svc->abi_version != DC_ABI_VERSION ||
	    svc->size < sizeof(*svc) || !out)
		return -EINVAL;

	/*
	 * A zero low byte stops a string overrun from reproducing the guard,
	 * as glibc does.
	 */
	__stack_chk_guard = (uintptr_t)svc->random_u64() & ~(uintptr_t)0xff;
	dom_svc = svc;
	dom_self = self;

	if (dom__heap_init())
		return -ENOMEM;

	out->ops = NULL;
	out->state_export = NULL;
	out->state_import = NULL;
	ret = dom_init(params ? params : "", out);
	if (ret)
		return ret < 0 ? ret : -EINVAL;

	if (!out->ops) {
		dom_err("dom_init() set no ops table");
		return -EINVAL;
	}
	if (stateful && (!out->state_export || !out->state_import)) {
		dom_err("stateful domain without state_export/state_import");
		return -EINVAL;
	}
	if (!stateful && (out->state_export || out->state_import)) {
		dom_err("state_export/state_import set, but the domain is not defined with DOMAIN_DEFINE_STATEFUL");
		return -EINVAL;
	}
	return 0;
}
