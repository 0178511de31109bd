// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/domain_core: status for people and tests.
 *
 *   version        module version
 *   backend        executable-memory backend in use
 *   exec_regions   live executable-memory regions (leak checks)
 *   exec_pages     pages in them
 *   selftest       write a self-test name ("all", "exec", ...) to run it;
 *                  read for the last result (root only)
 *   page_fault_path  how page faults in domains are caught:
 *                  "fixup_exception" (quietly) or "die_oops" (after an oops)
 *   bench_call     write "DOMAIN N" to time N calls of a "bench" domain
 *                  (bench.c); read for the result (root only)
 *   heap_bytes, shared_objects, shared_bytes
 *                  totals over all domains and the kernel's own objects
 *   domains/NAME/  one directory per loaded domain (see domain_attrs)
 */
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/slab.h>
#include "domain_core.h"
#include "exec_mem.h"
#include "fault.h"
#include "proxy.h"
#include "runtime.h"
#include "selftest.h"
#include "shim.h"

static struct kobject *dc_kobj;
static struct kobject *dc_domains_kobj;

/* A read-only top-level attribute NAME printing EXPR with FMT. */
#define DC_TOP_ATTR_SHOW(name, fmt, expr)				\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, fmt "\n", expr);			\
}

DC_TOP_ATTR_SHOW(version, "%s", DC_MODULE_VERSION)
DC_TOP_ATTR_SHOW(backend, "%s", dc_exec_backend())
DC_TOP_ATTR_SHOW(exec_regions, "%ld", dc_exec_live_regions())
DC_TOP_ATTR_SHOW(exec_pages, "%ld", dc_exec_live_pages())
DC_TOP_ATTR_SHOW(heap_bytes, "%ld", dc_heap_total_bytes())
DC_TOP_ATTR_SHOW(shared_objects, "%ld", dc_shared_total_objects())
DC_TOP_ATTR_SHOW(shared_bytes, "%ld", dc_shared_total_bytes())

static ssize_t bench_call_show(struct kobject *kobj, struct kobj_attribute *attr,
			       char *buf)
{
	return dc_bench_result(buf, PAGE_SIZE);
}

/* "DOMAIN ITERATIONS": see bench.c. */
static ssize_t bench_call_store(struct kobject *kobj, struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	char name[DC_NAME_MAX];
	unsigned long n;
	int err;

	if (sscanf(buf, "%31s %lu", name, &n) != 2)
		return -EINVAL;
	err = dc_bench_call(name, n);
	return err ? err : count;
}

static ssize_t page_fault_path_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", dc_fault_quiet_page_faults() ?
			  "fixup_exception" : "die_oops");
}

static ssize_t selftest_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return dc_selftest_last(buf, PAGE_SIZE);
}

static ssize_t selftest_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	char name[32];
	int err;

	if (count >= sizeof(name))
		return -EINVAL;
	memcpy(name, buf, count);
	name[count] = '\0';
	strim(name);
	err = dc_selftest_run(name);
	return err ? err : count;
}

static struct kobj_attribute version_attr = __ATTR_RO(version);
static struct kobj_attribute backend_attr = __ATTR_RO(backend);
static struct kobj_attribute exec_regions_attr = __ATTR_RO(exec_regions);
static struct kobj_attribute exec_pages_attr = __ATTR_RO(exec_pages);
static struct kobj_attribute heap_bytes_attr = __ATTR_RO(heap_bytes);
static struct kobj_attribute shared_objects_attr = __ATTR_RO(shared_objects);
static struct kobj_attribute shared_bytes_attr = __ATTR_RO(shared_bytes);
static struct kobj_attribute page_fault_path_attr = __ATTR_RO(page_fault_path);
static struct kobj_attribute bench_call_attr = __ATTR(bench_call, 0600,
						      bench_call_show, bench_call_store);
static struct kobj_attribute selftest_attr = __ATTR(selftest, 0600,
						    selftest_show, selftest_store);

static struct attribute *dc_attrs[] = {
	&version_attr.attr,
	&backend_attr.attr,
	&exec_regions_attr.attr,
	&exec_pages_attr.attr,
	&heap_bytes_attr.attr,
	&shared_objects_attr.attr,
	&shared_bytes_attr.attr,
	&page_fault_path_attr.attr,
	&bench_call_attr.attr,
	&selftest_attr.attr,
	NULL,
};

static const struct attribute_group dc_attr_group = {
	.attrs = dc_attrs,
};

/* Per-domain directories.  Values come from dc_domain_info(). */
struct dc_domain_attr {
	struct attribute attr;
	ssize_t (*show)(struct dc_domain *d, const struct dc_domain_info *info,
			char *buf);
};

#define DOMAIN_ATTR(field, fmt, expr)					static ssize_t field##_dshow(struct dc_domain *d,						     const struct dc_domain_info *info, char *buf) \
{										return sysfs_emit(buf, fmt "\n", expr);				}									static struct dc_domain_attr field##_dattr = {					.attr = { .name = #field, .mode = 0444 },				.show = field##_dshow,						}

DOMAIN_ATTR(state, "%s", dc_state_name(info->state));
DOMAIN_ATTR(iface, "%s", info->iface);
DOMAIN_ATTR(iface_version, "%u", info->iface_version);
DOMAIN_ATTR(version, "%s", info->version);
DOMAIN_ATTR(params, "%s", info->params);
DOMAIN_ATTR(calls, "%llu", info->calls);
DOMAIN_ATTR(inflight, "%ld", dc_inflight(d));
DOMAIN_ATTR(faults, "%llu", info->faults);
DOMAIN_ATTR(restarts, "%llu", info->restarts);
DOMAIN_ATTR(upgrades, "%llu", info->upgrades);
DOMAIN_ATTR(heap_bytes, "%llu", info->heap_bytes);
DOMAIN_ATTR(shared_objects, "%llu", info->shared_objects);
DOMAIN_ATTR(shared_bytes, "%llu", info->shared_bytes);
DOMAIN_ATTR(last_pause_ns, "%llu", info->last_pause_ns);
DOMAIN_ATTR(last_recovery_ns, "%llu", d->last_recovery_ns);
DOMAIN_ATTR(last_fault, "%s", info->last_fault);
DOMAIN_ATTR(users, "%u", info->users);
DOMAIN_ATTR(restart_policy, "%s", d->restart_policy == DC_RESTART_ALWAYS ? "always" :
	    d->restart_policy == DC_RESTART_NEVER ? "never" : "on-failure");

static struct attribute *domain_attrs[] = {
	&state_dattr.attr, &iface_dattr.attr, &iface_version_dattr.attr,
	&version_dattr.attr, &params_dattr.attr, &calls_dattr.attr,
	&inflight_dattr.attr, &faults_dattr.attr, &restarts_dattr.attr,
	&upgrades_dattr.attr, &heap_bytes_dattr.attr, &shared_objects_dattr.attr,
	&shared_bytes_dattr.attr, &last_pause_ns_dattr.attr,
	&last_recovery_ns_dattr.attr, &last_fault_dattr.attr, &users_dattr.attr,
	&restart_policy_dattr.attr,
	NULL,
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
