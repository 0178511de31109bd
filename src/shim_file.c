// SPDX-License-Identifier: GPL-2.0
/*
 * The file shims: /dev/domain/NAME for domains implementing "log" (each
 * write is one record; an optional "<N>" prefix sets the level, as with
 * /dev/kmsg) or "file" (read and write at the file offset).  Data crosses
 * into the domain as a shared-heap object the kernel owns and the call
 * hands over; results come back the same way.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "iface_registry.h"
#include "runtime.h"
#include "shim.h"

#define DC_SHIM_MAX_IO	(64UL << 10)	/* bytes per read or write call */

static struct dc_domain *file_domain(struct file *file)
{
	return container_of(file->private_data, struct dc_domain, misc);
}

static int dc_shim_open(struct inode *inode, struct file *file)
{
	struct dc_domain *d = file_domain(file);
	int err = 0;

	spin_lock(&d->open_lock);
	if (d->dying)
		err = -ENODEV;
	else
		d->open_count++;
	spin_unlock(&d->open_lock);
	return err;
}

static int dc_shim_release(struct inode *inode, struct file *file)
{
	struct dc_domain *d = file_domain(file);

	spin_lock(&d->open_lock);
	d->open_count--;
	spin_unlock(&d->open_lock);
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

static ssize_t dc_shim_read(struct file *file, char __user *buf, size_t len,
			    loff_t *pos)
{
	struct dc_domain *d = file_domain(file);
	size_t size;
	void *data;
	long ret;

	if (dc_iface_shim(d->iface) != DC_SHIM_FILE)
		return -EINVAL;
	if (*pos < 0)
		return -EINVAL;
	len = min(len, DC_SHIM_MAX_IO);
	ret = dc_call_file_read(d, len, *pos);
	if (ret <= 0)
		return ret;
	data = dc_obj_data(&dc_kernel_owner, ret, DC_OBJ_BYTES, &size);
	if (!data)
		return -EPROTO;
	if (size > len) {
		dc_obj_free(&dc_kernel_owner, ret);
		return -EPROTO;
	}
	if (copy_to_user(buf, data, size)) {
		dc_obj_free(&dc_kernel_owner, ret);
		return -EFAULT;
	}
	dc_obj_free(&dc_kernel_owner, ret);
	*pos += size;
	return size;
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

static ssize_t dc_shim_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *pos)
{
	struct dc_domain *d = file_domain(file);
	enum dc_shim_kind kind = dc_iface_shim(d->iface);
	dc_obj_t obj;
	long ret;

	if (*pos < 0)
		return -EINVAL;
	if (!len)
		return 0;
	if (len > DC_SHIM_MAX_IO) {
		if (kind == DC_SHIM_LOG)
			return -EMSGSIZE;	/* a record is never split */
		len = DC_SHIM_MAX_IO;
	}
	obj = obj_from_user(buf, len);
	if (!obj)
		return -ENOMEM;
	if (kind == DC_SHIM_LOG) {
		char head[3] = { 0 };
		size_t skip;
		int level;

		if (copy_from_user(head, buf, min(len, sizeof(head)))) {
			dc_obj_free(&dc_kernel_owner, obj);
			return -EFAULT;
		}
		level = record_level(head, len, &skip);
		if (skip) {
			/* A prefix only: re-make the object without it. */
			dc_obj_free(&dc_kernel_owner, obj);
			obj = obj_from_user(buf + skip, len - skip);
			if (!obj)
				return -ENOMEM;
		}
		ret = dc_call_log_write(d, level, obj);
		if (ret >= 0)
			ret = len;	/* the whole record, prefix included */
	} else {
		ret = dc_call_file_write(d, obj, *pos);
		if (ret > 0)
			*pos += ret;
	}
	/* If the call never reached the domain, the object is still ours. */
	dc_obj_free(&dc_kernel_owner, obj);
	return ret;
}

static const struct file_operations dc_shim_fops = {
	.owner = THIS_MODULE,
	.open = dc_shim_open,
	.release = dc_shim_release,
	.read = dc_shim_read,
	.write = dc_shim_write,
	.llseek = default_llseek,
};

int dc_shim_add(struct dc_domain *d, char *errbuf, size_t errlen)
{
	int err;

	switch (dc_iface_shim(d->iface)) {
	case DC_SHIM_NONE:
		return 0;
	case DC_SHIM_BLOCK:
		return dc_blk_shim_add(d, errbuf, errlen);
	default:
		break;
	}
	/* The driver core turns '!' into '/': the node is /dev/domain/NAME. */
	scnprintf(d->misc_name, sizeof(d->misc_name), "domain!%s", d->name);
	d->misc.minor = MISC_DYNAMIC_MINOR;
	d->misc.name = d->misc_name;
	d->misc.fops = &dc_shim_fops;
	d->misc.mode = 0600;
	err = misc_register(&d->misc);
	if (err)
		scnprintf(errbuf, errlen, "cannot create /dev/domain/%s (%d)", d->name, err);
	else
		d->misc_registered = true;
	return err;
}

int dc_shim_check(struct dc_domain *d, struct dc_instance *inst, char *err,
		  size_t errlen)
{
	return dc_iface_shim(d->iface) == DC_SHIM_BLOCK ?
	       dc_blk_shim_check(d, inst, err, errlen) : 0;
}

int dc_shim_begin_removal(struct dc_domain *d)
{
	int err = dc_blk_shim_begin_removal(d);

	if (err)
		return err;
	spin_lock(&d->open_lock);
	if (d->open_count)
		err = -EBUSY;
	else
		d->dying = true;
	spin_unlock(&d->open_lock);
	return err;
}

void dc_shim_del(struct dc_domain *d)
{
	dc_blk_shim_del(d);
	/* misc_deregister waits for opens in progress (they saw dying). */
	if (d->misc_registered)
		misc_deregister(&d->misc);
	d->misc_registered = false;
}
