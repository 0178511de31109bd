// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/domain_core: status for people and tests, one value per file.
 *
 *   version          module version
 *   backend          executable-memory backend in use
 *   exec_regions     live executable-memory regions (leak checks)
 *   exec_pages       pages in them
 *   page_fault_path  how page faults in domains are caught:
 *                    "fixup_exception" (quietly) or "die_oops" (after an oops)
 *   heap_bytes, shared_objects, shared_bytes
 *                    totals over all domains and the kernel's own objects
 *   arena_bytes      memory the arena holds (its high-water mark, arena.c)
 *   selftest, bench_call   added by selftest.c and bench.c (root only)
 *   domains/NAME/    one directory per loaded domain (domain_attrs below)
 *
 * Nothing here takes dc_domains_lock: unload removes a domain's directory
 * under it, and that waits for readers of the directory's files.
 */
#include "internal.h"
#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

static struct kobject *dc_kobj;
static struct kobject *dc_domains_kobj;

ssize_t dc_sysfs_cmd_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct dc_sysfs_cmd *cmd = container_of(attr, struct dc_sysfs_cmd, attr);
	ssize_t n;

	mutex_lock(&cmd->lock);
	n = sysfs_emit(buf, "%s", cmd->result);
	mutex_unlock(&cmd->lock);
	return n;
}

ssize_t dc_sysfs_cmd_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct dc_sysfs_cmd *cmd = container_of(attr, struct dc_sysfs_cmd, attr);
	char arg[64];
	int err;

	if (!capable(CAP_SYS_MODULE))
		return -EPERM;
	if (count >= sizeof(arg))
		return -EINVAL;
	memcpy(arg, buf, count);
	arg[count] = '\0';
	strim(arg);
	mutex_lock(&cmd->lock);
	err = cmd->run(arg, cmd->result, sizeof(cmd->result));
	mutex_unlock(&cmd->lock);
	return err ? err : count;
}

int dc_sysfs_cmd_add(struct dc_sysfs_cmd *cmd)
{
	mutex_init(&cmd->lock);
	return sysfs_create_file(dc_kobj, &cmd->attr.attr);
}

void dc_sysfs_cmd_del(struct dc_sysfs_cmd *cmd)
{
	sysfs_remove_file(dc_kobj, &cmd->attr.attr);
}

/*
 * A read-only attribute NAME printing EXPR with FMT: DC_ATTR_RO for the
 * top level, DC_DOMAIN_ATTR_RO for a domain's directory (where @d is the
 * domain and @info its dc_domain_info()).
 */
#define DC_ATTR_RO(_name, fmt, expr)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, fmt "\n", expr);				\
}									\
static struct kobj_attribute _name##_attr = __ATTR_RO(_name)

#define DC_DOMAIN_ATTR_RO(_name, fmt, expr)				\
static ssize_t _name##_dshow(struct dc_domain *d,			\
			     const struct dc_domain_info *info, char *buf) \
{									\
	return sysfs_emit(buf, fmt "\n", expr);				\
}									\
static struct dc_domain_attr _name##_dattr = {				\
	.attr = { .name = #_name, .mode = 0444 },			\
	.show = _name##_dshow,						\
}

DC_ATTR_RO(version, "%s", DC_MODULE_VERSION);
DC_ATTR_RO(backend, "%s", dc_exec_backend());
DC_ATTR_RO(exec_regions, "%ld", dc_exec_live_regions());
DC_ATTR_RO(exec_pages, "%ld", dc_exec_live_pages());
DC_ATTR_RO(heap_bytes, "%ld", dc_heap_total_bytes());
DC_ATTR_RO(shared_objects, "%ld", dc_shared_total_objects());
DC_ATTR_RO(shared_bytes, "%ld", dc_shared_total_bytes());
DC_ATTR_RO(arena_bytes, "%ld", dc_arena_mapped_bytes());
DC_ATTR_RO(page_fault_path, "%s",
	   dc_trap_quiet_page_faults() ? "fixup_exception" : "die_oops");

static struct attribute *dc_attrs[] = {
	&version_attr.attr,
	&backend_attr.attr,
	&exec_regions_attr.attr,
	&exec_pages_attr.attr,
	&heap_bytes_attr.attr,
	&shared_objects_attr.attr,
	&shared_bytes_attr.attr,
	&arena_bytes_attr.attr,
	&page_fault_path_attr.attr,
	NULL,
};

static const struct attribute_group dc_attr_group = {
	.attrs = dc_attrs,
};

/* What DC_IOC_LIST and a domain's sysfs directory report. */
void dc_domain_info(struct dc_domain *d, struct dc_domain_info *info)
{
	struct dc_instance *inst;

	memset(info, 0, sizeof(*info));
	strscpy(info->name, d->name, sizeof(info->name));
	strscpy(info->iface, d->iface->name, sizeof(info->iface));
	strscpy(info->version, d->version, sizeof(info->version));
	strscpy(info->params, d->params, sizeof(info->params));
	strscpy(info->last_fault, d->faults.last, sizeof(info->last_fault));
	strscpy(info->signer, d->signer, sizeof(info->signer));
	info->flags = (d->confined ? DC_INFO_F_CONFINED : 0) |
		      (READ_ONCE(d->standby_on) ? DC_INFO_F_STANDBY : 0);
	info->standby_bytes = READ_ONCE(d->standby_bytes);
	info->iface_version = d->iface->version;
	info->state = READ_ONCE(d->state);
	info->calls = dc_calls(d);
	info->faults = atomic64_read(&d->faults.count);
	info->restarts = READ_ONCE(d->faults.restarts);
	info->upgrades = READ_ONCE(d->upgrades);
	info->last_pause_ns = READ_ONCE(d->last_pause_ns);
	info->users = READ_ONCE(d->users);
	info->call_budget_ms = jiffies_to_msecs(d->budget);
	info->mem_max = d->quota.max;
	info->mem_used = atomic_long_read(&d->quota.used);
	rcu_read_lock();
	inst = rcu_dereference(d->inst);
	if (inst) {
		info->heap_bytes = atomic_long_read(&inst->owner.heap_bytes);
		info->shared_objects = atomic_long_read(&inst->owner.shared_objects);
		info->shared_bytes = atomic_long_read(&inst->owner.shared_bytes);
	}
	rcu_read_unlock();
	info->shared_objects += atomic_long_read(&d->store_owner.shared_objects);
	info->shared_bytes += atomic_long_read(&d->store_owner.shared_bytes);
}

/* Per-domain directories.  Values come from dc_domain_info(). */
struct dc_domain_attr {
	struct attribute attr;
	ssize_t (*show)(struct dc_domain *d, const struct dc_domain_info *info,
			char *buf);
};

static const char *const state_names[] = {
	[DC_STATE_RUNNING] = "running",
	[DC_STATE_FAILED] = "failed",
	[DC_STATE_DOWN] = "down",
	[DC_STATE_UPGRADING] = "upgrading",
};

static const char *dc_state_name(int state)
{
	return state >= 0 && state < ARRAY_SIZE(state_names) ? state_names[state] : "?";
}

static const char *restart_policy_name(u32 policy)
{
	switch (policy) {
	case DC_RESTART_ALWAYS:
		return "always";
	case DC_RESTART_NEVER:
		return "never";
	default:
		return "on-failure";
	}
}

DC_DOMAIN_ATTR_RO(state, "%s", dc_state_name(info->state));
DC_DOMAIN_ATTR_RO(iface, "%s", info->iface);
DC_DOMAIN_ATTR_RO(iface_version, "%u", info->iface_version);
DC_DOMAIN_ATTR_RO(version, "%s", info->version);
DC_DOMAIN_ATTR_RO(params, "%s", info->params);
DC_DOMAIN_ATTR_RO(calls, "%llu", info->calls);
DC_DOMAIN_ATTR_RO(inflight, "%ld", dc_inflight(d));
DC_DOMAIN_ATTR_RO(faults, "%llu", info->faults);
DC_DOMAIN_ATTR_RO(restarts, "%llu", info->restarts);
DC_DOMAIN_ATTR_RO(upgrades, "%llu", info->upgrades);
DC_DOMAIN_ATTR_RO(heap_bytes, "%llu", info->heap_bytes);
DC_DOMAIN_ATTR_RO(shared_objects, "%llu", info->shared_objects);
DC_DOMAIN_ATTR_RO(shared_bytes, "%llu", info->shared_bytes);
DC_DOMAIN_ATTR_RO(last_pause_ns, "%llu", info->last_pause_ns);
DC_DOMAIN_ATTR_RO(last_recovery_ns, "%llu", READ_ONCE(d->faults.last_recovery_ns));
/* Fault addresses are for root only; others see them hashed, as %p does. */
DC_DOMAIN_ATTR_RO(last_fault, "%s", capable(CAP_SYSLOG) ? info->last_fault :
		  d->faults.last_hashed);
DC_DOMAIN_ATTR_RO(call_budget_ms, "%u", jiffies_to_msecs(d->budget));
DC_DOMAIN_ATTR_RO(mem_max, "%ld", d->quota.max);
DC_DOMAIN_ATTR_RO(mem_used, "%ld", atomic_long_read(&d->quota.used));
DC_DOMAIN_ATTR_RO(signed, "%s", info->signer[0] ? "yes" : "no");
DC_DOMAIN_ATTR_RO(signer, "%s", info->signer);
DC_DOMAIN_ATTR_RO(confined, "%s", info->flags & DC_INFO_F_CONFINED ? "yes" : "no");
DC_DOMAIN_ATTR_RO(standby, "%s", info->flags & DC_INFO_F_STANDBY ? "on" : "off");
DC_DOMAIN_ATTR_RO(standby_bytes, "%llu", info->standby_bytes);
DC_DOMAIN_ATTR_RO(users, "%u", info->users);
DC_DOMAIN_ATTR_RO(restart_policy, "%s", restart_policy_name(d->faults.policy.policy));

static struct attribute *domain_attrs[] = {
	&state_dattr.attr, &iface_dattr.attr, &iface_version_dattr.attr,
	&version_dattr.attr, &params_dattr.attr, &calls_dattr.attr,
	&inflight_dattr.attr, &faults_dattr.attr, &restarts_dattr.attr,
	&upgrades_dattr.attr, &heap_bytes_dattr.attr, &shared_objects_dattr.attr,
	&shared_bytes_dattr.attr, &last_pause_ns_dattr.attr,
	&last_recovery_ns_dattr.attr, &last_fault_dattr.attr, &users_dattr.attr,
	&restart_policy_dattr.attr, &call_budget_ms_dattr.attr, &mem_max_dattr.attr,
	&mem_used_dattr.attr, &signed_dattr.attr, &signer_dattr.attr,
	&confined_dattr.attr, &standby_dattr.attr, &standby_bytes_dattr.attr, NULL,
};
ATTRIBUTE_GROUPS(domain);

static ssize_t domain_attr_show(struct kobject *kobj, struct attribute *attr,
				char *buf)
{
	struct dc_domain *d = container_of(kobj, struct dc_domain, kobj);
	struct dc_domain_attr *da = container_of(attr, struct dc_domain_attr, attr);
	struct dc_domain_info *info;
	ssize_t n;

	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	dc_domain_info(d, info);
	n = da->show(d, info, buf);
	kfree(info);
	return n;
}

static const struct sysfs_ops domain_sysfs_ops = {
	.show = domain_attr_show,
};

static void domain_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct dc_domain, kobj));
}

/* Not const: kobject_init() takes a mutable one before 6.2. */
static struct kobj_type domain_ktype = {
	.release = domain_release,
	.sysfs_ops = &domain_sysfs_ops,
	.default_groups = domain_groups,
};

/* From here on @d is freed by dc_domain_put(). */
void dc_domain_kobj_init(struct dc_domain *d)
{
	kobject_init(&d->kobj, &domain_ktype);
}

int dc_domain_sysfs_add(struct dc_domain *d)
{
	return kobject_add(&d->kobj, dc_domains_kobj, "%s", d->name);
}

void dc_domain_sysfs_del(struct dc_domain *d)
{
	if (d->kobj.state_in_sysfs)
		kobject_del(&d->kobj);
}

void dc_domain_put(struct dc_domain *d)
{
	kobject_put(&d->kobj);
}

int dc_sysfs_init(void)
{
	int err;

	dc_kobj = kobject_create_and_add("domain_core", kernel_kobj);
	if (!dc_kobj)
		return -ENOMEM;
	err = sysfs_create_group(dc_kobj, &dc_attr_group);
	if (err)
		goto fail;
	dc_domains_kobj = kobject_create_and_add("domains", dc_kobj);
	if (!dc_domains_kobj) {
		err = -ENOMEM;
		sysfs_remove_group(dc_kobj, &dc_attr_group);
		goto fail;
	}
	return 0;
fail:
	kobject_put(dc_kobj);
	return err;
}

void dc_sysfs_exit(void)
{
	kobject_put(dc_domains_kobj);
	sysfs_remove_group(dc_kobj, &dc_attr_group);
	kobject_put(dc_kobj);
}
