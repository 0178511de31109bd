// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/domain_core, the control device.  Loading code into the kernel is as
 * privileged as loading a module, so every ioctl and every open for writing
 * needs CAP_SYS_MODULE.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "domain_core.h"
#include "exec_mem.h"
#include "uapi/domain_core.h"

static int dc_control_open(struct inode *inode, struct file *file)
{
	if ((file->f_mode & FMODE_WRITE) && !capable(CAP_SYS_MODULE))
		return -EPERM;
	return 0;
}

static long dc_ioctl_version(void __user *arg)
{
	struct dc_version v;

	memset(&v, 0, sizeof(v));
	v.uapi_version = DC_UAPI_VERSION;
	strscpy(v.module_version, DC_MODULE_VERSION, sizeof(v.module_version));
	strscpy(v.backend, dc_exec_backend(), sizeof(v.backend));
	return copy_to_user(arg, &v, sizeof(v)) ? -EFAULT : 0;
}

static long dc_control_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	if (!capable(CAP_SYS_MODULE))
		return -EPERM;

	switch (cmd) {
	case DC_IOC_VERSION:
		return dc_ioctl_version((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations dc_control_fops = {
	.owner = THIS_MODULE,
	.open = dc_control_open,
	.unlocked_ioctl = dc_control_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice dc_control_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "domain_core",
	.fops = &dc_control_fops,
	.mode = 0600,
};

int dc_control_init(void)
{
	return misc_register(&dc_control_dev);
}

void dc_control_exit(void)
{
	misc_deregister(&dc_control_dev);
}
