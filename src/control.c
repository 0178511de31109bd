// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/domain_core, the control device.  Loading code into the kernel is as
 * privileged as loading a module, so every ioctl and every open for writing
 * needs CAP_SYS_MODULE.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/kernel_read_file.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

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

/* What an image file is, before it is read: clearer errors than the reader's. */
static int check_image_file(int fd, char *err)
{
	struct file *file = fget(fd);
	loff_t size;
	int rc = 0;

	if (!file) {
		scnprintf(err, DC_ERROR_MAX, "image_fd %d is not an open file", fd);
		return -EBADF;
	}
	size = i_size_read(file_inode(file));
	if (!S_ISREG(file_inode(file)->i_mode)) {
		scnprintf(err, DC_ERROR_MAX, "the image is not a regular file");
		rc = -EINVAL;
	} else if (!(file->f_mode & FMODE_READ)) {
		scnprintf(err, DC_ERROR_MAX, "image_fd is not open for reading");
		rc = -EBADF;
	} else if (size <= 0) {
		scnprintf(err, DC_ERROR_MAX, "image is empty");
		rc = -ENODATA;
	} else {
		rc = dc_elf_check_size(size, dc_report_first, err);
	}
	fput(file);
	return rc;
}

/*
 * Read the whole image behind @fd the way the kernel reads a module
 * (finit_module), so that IMA appraisal, LoadPin and LSM policies for
 * modules apply to it.
 */
static int read_image(int fd, struct dc_load_info *info)
{
	void *buf = NULL;
	ssize_t n;
	int rc;

	rc = check_image_file(fd, info->err);
	if (rc)
		return rc;
	n = kernel_read_file_from_fd(fd, 0, &buf, DC_ELF_MAX_FILE, NULL, READING_MODULE);
	if (n < 0) {
		if (n == -EACCES || n == -EPERM)
			scnprintf(info->err, DC_ERROR_MAX, "reading the image was refused (%zd): the kernel's policy for loading modules (IMA, LoadPin, an LSM) forbids it", n);
		else if (n == -ETXTBSY)
			scnprintf(info->err, DC_ERROR_MAX, "the image is open for writing");
		else
			scnprintf(info->err, DC_ERROR_MAX, "cannot read the image (%zd)", n);
		return n;
	}
	info->file = buf;
	info->len = n;
	return 0;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

static bool valid_name(const char *name)
{
	for (; *name; name++)
		if (!islower(*name) && !isdigit(*name) && *name != '_' && *name != '-')
			return false;
	return true;
}

/*
 * What a load and an upgrade request both start with (the uapi keeps the
 * two structs' first fields identical; checked below).
 */
struct image_request {
	__s32 image_fd;
	__u32 flags;
	char name[DC_NAME_MAX];
	char params[DC_PARAMS_MAX];
};

#define SAME_HEAD(req)							\
	static_assert(offsetof(struct req, image_fd) == offsetof(struct image_request, image_fd) && \
		      offsetof(struct req, flags) == offsetof(struct image_request, flags) && \
		      offsetof(struct req, name) == offsetof(struct image_request, name) && \
		      offsetof(struct req, params) == offsetof(struct image_request, params))
SAME_HEAD(dc_load);
SAME_HEAD(dc_upgrade);

/*
 * Parse once: the request's fields, and its image read and validated into
 * a load description.  On failure @info->err says why.
 */
static int load_info_fill(struct dc_load_info *info, struct image_request *req)
{
	int rc;

	req->name[sizeof(req->name) - 1] = '\0';
	req->params[sizeof(req->params) - 1] = '\0';
	if (req->flags & ~DC_LOAD_F_ALL) {
		scnprintf(info->err, DC_ERROR_MAX, "unknown flags 0x%x",
			  req->flags & ~DC_LOAD_F_ALL);
		return -EINVAL;
	}
	if ((req->flags & DC_LOAD_F_STANDBY_ON) && (req->flags & DC_LOAD_F_STANDBY_OFF)) {
		scnprintf(info->err, DC_ERROR_MAX, "standby both on and off");
		return -EINVAL;
	}
	info->flags = req->flags;
	if (!printable(req->params)) {
		scnprintf(info->err, DC_ERROR_MAX, "parameters must be printable ASCII");
		return -EINVAL;
	}
	strscpy(info->params, req->params, sizeof(info->params));
	rc = read_image(req->image_fd, info);
	if (rc)
		return rc;
	rc = dc_sig_check(info);
	if (rc)
		return rc;
	rc = dc_elf_parse(info->file, info->len, &info->elf, dc_report_first, info->err);
	if (rc)
		return rc;
	if (!(info->elf.note.flags & DC_NOTE_F_CONFINED) &&
	    !(req->flags & DC_LOAD_F_CONFINE_OFF)) {
		scnprintf(info->err, DC_ERROR_MAX,
			  "image not built confined (its stores are unchecked): load it with confine=off to run it anyway");
		return -EPERM;
	}
	strscpy(info->name, req->name[0] ? req->name : info->elf.note.name,
		sizeof(info->name));
	if (!valid_name(info->name)) {
		scnprintf(info->err, DC_ERROR_MAX, "bad domain name '%s' (use a-z, 0-9, '_', '-')",
			  info->name);
		return -EINVAL;
	}
	/* The validator accepts only interfaces this TCB knows. */
	info->iface = dc_iface_find(info->elf.note.iface);
	return 0;
}

static int do_load(struct dc_load_info *info, void *arg)
{
	struct dc_load *req = arg;

	if (req->restart_policy > DC_RESTART_NEVER) {
		scnprintf(info->err, DC_ERROR_MAX, "unknown restart policy %u", req->restart_policy);
		return -EINVAL;
	}
	if (req->call_budget_ms > DC_CALL_BUDGET_MAX_MS) {
		scnprintf(info->err, DC_ERROR_MAX, "call_budget_ms %u is above the ceiling of %u",
			  req->call_budget_ms, DC_CALL_BUDGET_MAX_MS);
		return -EINVAL;
	}
	if (req->mem_max > (u64)totalram_pages() << PAGE_SHIFT) {
		scnprintf(info->err, DC_ERROR_MAX, "mem_max %llu is more than the machine's memory",
			  req->mem_max);
		return -EINVAL;
	}
	info->call_budget_ms = req->call_budget_ms;
	info->mem_max = req->mem_max;
	info->restart.policy = req->restart_policy;
	info->restart.max = req->restart_max;
	info->restart.window_ms = req->restart_window_ms;
	info->restart.backoff_ms = req->restart_backoff_ms;
	return dc_domain_load(info);
}

static int do_upgrade(struct dc_load_info *info, void *arg)
{
	struct dc_upgrade *req = arg;
	struct dc_upgrade_result res = { };
	int rc;

	rc = dc_domain_upgrade(info, &res);
	memcpy(req->old_version, res.old_version, sizeof(req->old_version));
	memcpy(req->new_version, res.new_version, sizeof(req->new_version));
	req->pause_ns = res.pause_ns;
	return rc;
}

/*
 * Load and upgrade alike: copy the request in, make its load description,
 * run @op on it (which keeps the description on success), copy the
 * request back out with the error at @error_off.
 */
static long image_ioctl(void __user *arg, size_t size, size_t error_off,
			int (*op)(struct dc_load_info *info, void *req))
{
	struct dc_load_info *info;
	void *req;
	long rc;

	req = memdup_user(arg, size);
	if (IS_ERR(req))
		return PTR_ERR(req);
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info) {
		kfree(req);
		return -ENOMEM;
	}
	rc = load_info_fill(info, req);
	if (!rc)
		rc = op(info, req);
	memcpy(req + error_off, info->err, DC_ERROR_MAX);
	if (rc)
		dc_load_info_free(info);
	if (copy_to_user(arg, req, size))
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
		rc = dc_domain_unload(req->name, req->error);
	}
	if (copy_to_user(arg->error, req->error, sizeof(req->error)))
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
		return image_ioctl((void __user *)arg, sizeof(struct dc_load),
				   offsetof(struct dc_load, error), do_load);
	case DC_IOC_UNLOAD:
		return dc_ioctl_unload((void __user *)arg);
	case DC_IOC_UPGRADE:
		return image_ioctl((void __user *)arg, sizeof(struct dc_upgrade),
				   offsetof(struct dc_upgrade, error), do_upgrade);
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
