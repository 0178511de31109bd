// SPDX-License-Identifier: GPL-2.0
/*
 * The file shims: /dev/domain/NAME for domains implementing "log" (each
 * write is one record; an optional "<N>" prefix sets the level, as with
 * /dev/kmsg) or "file" (read and write at the file offset).  Data crosses
 * into the domain as a shared-heap object the kernel owns and the call
 * hands over; results come back the same way.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#define DC_SHIM_MAX_IO	(64UL << 10)	/* bytes per read or write call */

/* The misc device of one domain (d->shim). */
struct dc_file_dev {
	struct dc_domain *d;
	struct miscdevice misc;
	char name[DC_NAME_MAX + 8];
	struct dc_openers openers;
};


static struct dc_file_dev *file_dev(struct file *file)
{
	return container_of(file->private_data, struct dc_file_dev, misc);
}

static int dc_file_open(struct inode *inode, struct file *file)
{
	return dc_openers_get(&file_dev(file)->openers);
}

static int dc_file_release(struct inode *inode, struct file *file)
{
	dc_openers_put(&file_dev(file)->openers);
	return 0;
}

/* Copy user data into a new kernel-owned object. */
static dc_obj_t obj_from_user(const char __user *buf, size_t len)
{
	dc_obj_t obj = dc_obj_alloc(&dc_kernel_owner, DC_OBJ_BYTES, len);
	void *data;

	if (!obj)
		return 0;
	data = dc_obj_data(&dc_kernel_owner, obj, DC_OBJ_BYTES, NULL);
	if (copy_from_user(data, buf, len)) {
		dc_obj_free(&dc_kernel_owner, obj);
		return 0;
	}
	return obj;
}

static ssize_t dc_file_read(struct file *file, char __user *buf, size_t len,
			    loff_t *pos)
{
	struct dc_domain *d = file_dev(file)->d;
	dc_obj_t obj;
	size_t size;
	void *data;
	long ret;

	if (*pos < 0)
		return -EINVAL;
	len = min(len, DC_SHIM_MAX_IO);
	ret = dc_call_file_read(d, len, *pos);
	if (ret <= 0)
		return ret;
	obj = ret;
	data = dc_obj_data(&dc_kernel_owner, obj, DC_OBJ_BYTES, &size);
	if (!data)
		ret = -EPROTO;		/* (the proxy gave it to us: it is ours) */
	else if (size > len)
		ret = -EPROTO;		/* more than asked for */
	else if (copy_to_user(buf, data, size))
		ret = -EFAULT;
	else
		ret = size;
	dc_obj_free(&dc_kernel_owner, obj);
	if (ret > 0)
		*pos += ret;
	return ret;
}

static ssize_t dc_file_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *pos)
{
	struct dc_domain *d = file_dev(file)->d;
	dc_obj_t obj;
	long ret;

	if (*pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	len = min(len, DC_SHIM_MAX_IO);
	obj = obj_from_user(buf, len);
	if (!obj)
		return -ENOMEM;
	ret = dc_call_file_write(d, obj, *pos);
	if (ret > 0)
		*pos += ret;
	/* If the call never reached the domain, the object is still ours. */
	dc_obj_free(&dc_kernel_owner, obj);
	return ret;
}

/* "<N>" at the start of a log record sets its level. */
static int record_level(const char *data, size_t len, size_t *skip)
{
	*skip = 0;
	if (len >= 3 && data[0] == '<' && data[1] >= '0' && data[1] <= '7' &&
	    data[2] == '>') {
		*skip = 3;
		return data[1] - '0';
	}
	return DC_LOG_INFO;
}

static ssize_t dc_log_write(struct file *file, const char __user *buf,
			    size_t len, loff_t *pos)
{
	struct dc_domain *d = file_dev(file)->d;
	char head[3] = { 0 };
	dc_obj_t obj;
	size_t skip;
	int level;
	long ret;

	if (!len)
		return 0;
	if (len > DC_SHIM_MAX_IO)
		return -EMSGSIZE;	/* a record is never split */
	if (copy_from_user(head, buf, min(len, sizeof(head))))
		return -EFAULT;
	level = record_level(head, len, &skip);
	obj = obj_from_user(buf + skip, len - skip);
	if (!obj)
		return -ENOMEM;
	ret = dc_call_log_write(d, level, obj);
	if (ret >= 0)
		ret = len;	/* the whole record, prefix included */
	dc_obj_free(&dc_kernel_owner, obj);
	return ret;
}

static const struct file_operations dc_file_fops = {
	.owner = THIS_MODULE,
	.open = dc_file_open,
	.release = dc_file_release,
	.read = dc_file_read,
	.write = dc_file_write,
	.llseek = default_llseek,
};

static const struct file_operations dc_log_fops = {
	.owner = THIS_MODULE,
	.open = dc_file_open,
	.release = dc_file_release,
	.write = dc_log_write,
	.llseek = noop_llseek,
};

static int add_misc(struct dc_domain *d, const struct file_operations *fops,
		    char *err)
{
	struct dc_file_dev *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	int rc;

	if (!dev)
		return -ENOMEM;
	dev->d = d;
	dc_openers_init(&dev->openers);
	/* The driver core turns '!' into '/': the node is /dev/domain/NAME. */
	scnprintf(dev->name, sizeof(dev->name), "domain!%s", d->name);
	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = dev->name;
	dev->misc.fops = fops;
	dev->misc.mode = 0600;
	rc = misc_register(&dev->misc);
	if (rc) {
		scnprintf(err, DC_ERROR_MAX, "cannot create /dev/domain/%s (%d)", d->name, rc);
		kfree(dev);
		return rc;
	}
	d->shim = dev;
	return 0;
}

static int dc_file_add(struct dc_domain *d, struct dc_instance *inst, char *err)
{
	return add_misc(d, &dc_file_fops, err);
}

static int dc_log_add(struct dc_domain *d, struct dc_instance *inst, char *err)
{
	return add_misc(d, &dc_log_fops, err);
}

static int dc_file_begin_removal(struct dc_domain *d)
{
	struct dc_file_dev *dev = d->shim;

	return dc_openers_begin_removal(&dev->openers);
}

static void dc_file_remove(struct dc_domain *d)
{
	struct dc_file_dev *dev = d->shim;

	/* misc_deregister waits for opens in progress (they saw dying). */
	misc_deregister(&dev->misc);
	kfree(dev);
	d->shim = NULL;
}

const struct dc_shim_ops dc_file_shim = {
	.add = dc_file_add,
	.begin_removal = dc_file_begin_removal,
	.remove = dc_file_remove,
};

const struct dc_shim_ops dc_log_shim = {
	.add = dc_log_add,
	.begin_removal = dc_file_begin_removal,
	.remove = dc_file_remove,
};
