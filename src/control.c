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
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include "domain_core.h"
#include "runtime.h"
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

/* Read the whole image behind @fd (a regular file open for reading). */
static int read_image(int fd, void **out, size_t *len, char *err)
{
	struct file *file = fget(fd);
	loff_t size, pos = 0;
	void *buf;
	int rc;

	if (!file) {
		scnprintf(err, DC_ERROR_MAX, "image_fd %d is not an open file", fd);
		return -EBADF;
	}
	rc = -EINVAL;
	if (!S_ISREG(file_inode(file)->i_mode)) {
		scnprintf(err, DC_ERROR_MAX, "the image is not a regular file");
		goto out;
	}
	rc = -EBADF;
	if (!(file->f_mode & FMODE_READ)) {
		scnprintf(err, DC_ERROR_MAX, "image_fd is not open for reading");
		goto out;
	}
	size = i_size_read(file_inode(file));
	rc = -EFBIG;
	if (size > DC_ELF_MAX_FILE) {
		scnprintf(err, DC_ERROR_MAX, "image is %lld bytes (cap %lu MiB)", size,
			  DC_ELF_MAX_FILE >> 20);
		goto out;
	}
	rc = -ENODATA;
	if (size <= 0) {
		scnprintf(err, DC_ERROR_MAX, "image is empty");
		goto out;
	}
	rc = -ENOMEM;
	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		goto out;
	while (pos < size) {
		ssize_t n = kernel_read(file, buf + pos, size - pos, &pos);

		if (n <= 0) {
			kvfree(buf);
			rc = n ? (int)n : -ENODATA;
			scnprintf(err, DC_ERROR_MAX, "cannot read the image (%d)", rc);
			goto out;
		}
	}
	*out = buf;
	*len = size;
	rc = 0;
out:
	fput(file);
	return rc;
}

static long dc_ioctl_load(struct dc_load __user *arg)
{
	struct dc_load *req;
	size_t len;
	void *file;
	long rc;

	req = memdup_user(arg, sizeof(*req));
	if (IS_ERR(req))
		return PTR_ERR(req);
	memset(req->error, 0, sizeof(req->error));
	rc = read_image(req->image_fd, &file, &len, req->error);
	if (!rc)
		rc = dc_domain_load(req, file, len);
	if (copy_to_user(arg->error, req->error, sizeof(req->error)))
		rc = -EFAULT;
	kfree(req);
	return rc;
}

static long dc_ioctl_unload(struct dc_unload __user *arg)
{
	struct dc_unload *req;
	long rc;

	req = memdup_user(arg, sizeof(*req));
	if (IS_ERR(req))
		return PTR_ERR(req);
	memset(req->error, 0, sizeof(req->error));
	req->name[sizeof(req->name) - 1] = '\0';
	if (req->flags) {
		scnprintf(req->error, sizeof(req->error), "unknown flags 0x%x", req->flags);
		rc = -EINVAL;
	} else {
		rc = dc_domain_unload(req->name, req->error, sizeof(req->error));
	}
	if (copy_to_user(arg->error, req->error, sizeof(req->error)))
		rc = -EFAULT;
	kfree(req);
	return rc;
}

static long dc_ioctl_upgrade(struct dc_upgrade __user *arg)
{
	struct dc_upgrade *req;
	size_t len;
	void *file;
	long rc;

	req = memdup_user(arg, sizeof(*req));
	if (IS_ERR(req))
		return PTR_ERR(req);
	memset(req->error, 0, sizeof(req->error));
	memset(req->old_version, 0, sizeof(req->old_version));
	memset(req->new_version, 0, sizeof(req->new_version));
	req->pause_ns = 0;
	rc = read_image(req->image_fd, &file, &len, req->error);
	if (!rc)
		rc = dc_domain_upgrade(req, file, len);
	if (copy_to_user(arg, req, sizeof(*req)))
		rc = -EFAULT;
	kfree(req);
	return rc;
}

/* At most this many entries per DC_IOC_LIST call. */
#define DC_LIST_MAX	1024

static long dc_ioctl_list(struct dc_list __user *arg)
{
	struct dc_domain_info *info = NULL;
	struct dc_list req;
	u32 n;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.capacity > DC_LIST_MAX)
		req.capacity = DC_LIST_MAX;
	if (req.capacity) {
		info = kvcalloc(req.capacity, sizeof(*info), GFP_KERNEL);
		if (!info)
			return -ENOMEM;
	}
	dc_domain_list(info, req.capacity, &req.count);
	n = min(req.count, req.capacity);
	if ((n && copy_to_user(u64_to_user_ptr(req.domains), info, n * sizeof(*info))) ||
	    put_user(req.count, &arg->count)) {
		kvfree(info);
		return -EFAULT;
	}
	kvfree(info);
	return 0;
}

static long dc_control_ioctl(struct file *file, unsigned int cmd,
			     unsigned long arg)
{
	if (!capable(CAP_SYS_MODULE))
		return -EPERM;

	switch (cmd) {
	case DC_IOC_VERSION:
		return dc_ioctl_version((void __user *)arg);
	case DC_IOC_LOAD:
		return dc_ioctl_load((void __user *)arg);
	case DC_IOC_UNLOAD:
		return dc_ioctl_unload((void __user *)arg);
	case DC_IOC_UPGRADE:
		return dc_ioctl_upgrade((void __user *)arg);
	case DC_IOC_LIST:
		return dc_ioctl_list((void __user *)arg);
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
