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
 */
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "domain_core.h"
#include "exec_mem.h"
#include "selftest.h"

static struct kobject *dc_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", DC_MODULE_VERSION);
}

static ssize_t backend_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", dc_exec_backend());
}

static ssize_t exec_regions_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", dc_exec_live_regions());
}

static ssize_t exec_pages_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", dc_exec_live_pages());
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
static struct kobj_attribute selftest_attr = __ATTR(selftest, 0600,
						    selftest_show, selftest_store);

static struct attribute *dc_attrs[] = {
	&version_attr.attr,
	&backend_attr.attr,
	&exec_regions_attr.attr,
	&exec_pages_attr.attr,
	&selftest_attr.attr,
	NULL,
};

static const struct attribute_group dc_attr_group = {
	.attrs = dc_attrs,
};

int dc_sysfs_init(void)
{
	int err;

	dc_kobj = kobject_create_and_add("domain_core", kernel_kobj);
	if (!dc_kobj)
		return -ENOMEM;
	err = sysfs_create_group(dc_kobj, &dc_attr_group);
	if (err)
		kobject_put(dc_kobj);
	return err;
}

void dc_sysfs_exit(void)
{
	sysfs_remove_group(dc_kobj, &dc_attr_group);
	kobject_put(dc_kobj);
}
