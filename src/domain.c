// SPDX-License-Identifier: GPL-2.0
/*
 * Domain lifecycle: load, unload, upgrade, and the instances behind them.
 * All of it is serialised by dc_domains_lock; calls never take it.
 */
#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "domain_core.h"
#include "exec_mem.h"
#include "fault.h"
#include "iface_registry.h"
#include "proxy.h"
#include "runtime.h"
#include "shim.h"

DEFINE_MUTEX(dc_domains_lock);
LIST_HEAD(dc_domains);

static const char *const state_names[] = {
	[DC_STATE_RUNNING] = "running",
	[DC_STATE_FAILED] = "failed",
	[DC_STATE_DOWN] = "down",
	[DC_STATE_UPGRADING] = "upgrading",
};

const char *dc_state_name(int state)
{
	return state >= 0 && state < ARRAY_SIZE(state_names) ? state_names[state] : "?";
}

static struct dc_domain *find_domain(const char *name)
{
	struct dc_domain *d;

	list_for_each_entry(d, &dc_domains, node)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

static struct dc_domain *find_provider(const char *iface)
{
	struct dc_domain *d;

	list_for_each_entry(d, &dc_domains, node)
		if (!strcmp(d->iface->name, iface))
			return d;
	return NULL;
}

/* The ops table and functions the entry returned must lie in the image. */
static int check_entry_result(struct dc_instance *inst,
			      const struct dc_entry_result *res, char *err,
			      size_t errlen)
{
	const struct dc_image *image = inst->image;
	unsigned int i, n = inst->dom->iface->nr_methods;

	if (!res->ops || !dc_image_contains(image, (unsigned long)res->ops,
					     n * sizeof(void *), false)) {
		scnprintf(err, errlen, "entry returned a function table outside the image");
		return -EFAULT;
	}
	inst->ops = res->ops;
	for (i = 0; i < n; i++) {
		if (!dc_image_contains(image, (unsigned long)inst->ops[i], 1, true)) {
			scnprintf(err, errlen, "method %s of the function table is not in the image's text",
				  inst->dom->iface->method_names[i]);
			return -EFAULT;
		}
	}
	if ((res->state_export &&
	     !dc_image_contains(image, (unsigned long)res->state_export, 1, true)) ||
	    (res->state_import &&
	     !dc_image_contains(image, (unsigned long)res->state_import, 1, true))) {
		scnprintf(err, errlen, "state hand-over functions are not in the image's text");
		return -EFAULT;
	}
	inst->state_export = res->state_export;
	inst->state_import = res->state_import;
	return 0;
}

/*
 * Load @file as a new instance of @d and run its entry.  The instance is
 * not published: the caller swaps it in or destroys it.
 */
struct dc_instance *dc_instance_create(struct dc_domain *d, const void *file,
				       size_t len, const char *params,
				       char *err, size_t errlen)
{
	struct dc_entry_result res = { 0 };
	struct dc_instance *inst;
	long ret;
	int rc;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		return ERR_PTR(-ENOMEM);
	inst->dom = d;
	dc_owner_init(&inst->owner);
	rc = dc_image_load(file, len, &inst->image, err, errlen);
	if (rc) {
		kfree(inst);
		return ERR_PTR(rc);
	}
	preempt_disable();
	ret = dc_instance_call(inst, (const u8 *)inst->image->mem->base +
			       inst->image->info.entry, (u64)(unsigned long)&dc_services,
			       (u64)(unsigned long)inst, (u64)(unsigned long)params,
			       (u64)(unsigned long)&res);
	preempt_enable();
	if (inst->failed) {
		scnprintf(err, errlen, "domain faulted during its initialisation");
		rc = -EIO;
	} else if (ret) {
		scnprintf(err, errlen, "domain initialisation failed (%ld)", ret);
		rc = ret < 0 && ret >= -MAX_ERRNO ? (int)ret : -EINVAL;
	} else {
		rc = check_entry_result(inst, &res, err, errlen);
	}
	if (rc) {
		dc_instance_destroy(inst);
		return ERR_PTR(rc);
	}
	return inst;
}

/* Nothing may call into @inst any more. */
void dc_instance_destroy(struct dc_instance *inst)
{
	if (!inst)
		return;
	dc_owner_release(&inst->owner);
	dc_image_free(inst->image);
	kfree(inst);
}

/* Publish @inst and free the one it replaces once no call can see it. */
void dc_domain_swap(struct dc_domain *d, struct dc_instance *inst)
{
	struct dc_instance *old = rcu_dereference_protected(d->inst,
					lockdep_is_held(&dc_domains_lock));

	rcu_assign_pointer(d->inst, inst);
	if (old) {
		synchronize_rcu();	/* calls run non-preemptible */
		dc_instance_destroy(old);
	}
}

static void note_version(struct dc_domain *d, const struct dc_instance *inst)
{
	strscpy(d->version, inst->image->info.note.version, sizeof(d->version));
}

/* Resolve the interfaces the note needs into @imports. */
static int resolve_needs(const struct dc_note *note, struct dc_domain **imports,
			 char *err, size_t errlen)
{
	unsigned int i;

	for (i = 0; i < note->nr_needs; i++) {
		const struct dc_note_need *need = &note->needs[i];
		struct dc_domain *p = find_provider(need->iface);

		if (!p) {
			scnprintf(err, errlen, "needs interface '%s' v%u, which no loaded domain provides",
				  need->iface, need->version);
			return -ENOLINK;
		}
		if (p->iface->version != need->version) {
			scnprintf(err, errlen, "needs interface '%s' v%u, but %s provides v%u",
				  need->iface, need->version, p->name, p->iface->version);
			return -ENOLINK;
		}
		imports[i] = p;
	}
	return 0;
}

/* The first problem goes into the DC_ERROR_MAX buffer at @ctx. */
static void report_to_buf(void *ctx, int err, const char *rule, const char *msg)
{
	char *buf = ctx;

	if (!buf[0])
		strscpy(buf, msg, DC_ERROR_MAX);
}

/* Validate the image and read its note (the loader checks it again). */
static int read_note(const void *file, size_t len, struct dc_elf_info *info,
		     char *err)
{
	err[0] = '\0';
	return dc_elf_parse(file, len, info, report_to_buf, err);
}

static bool valid_params(const char *params)
{
	const char *c;

	for (c = params; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			return false;
	return true;
}

/* Takes @file: kept as the domain's cached image, or freed on failure. */
int dc_domain_load(struct dc_load *req, void *file, size_t len)
{
	struct dc_elf_info *info;
	const struct dc_iface *iface;
	struct dc_instance *inst;
	struct dc_domain *d;
	char *err = req->error;
	const char *name;
	unsigned int i;
	int rc;

	req->name[sizeof(req->name) - 1] = '\0';
	req->params[sizeof(req->params) - 1] = '\0';
	rc = -EINVAL;
	if (!valid_params(req->params)) {
		scnprintf(err, DC_ERROR_MAX, "parameters must be printable ASCII");
		goto out_file;
	}
	if (req->restart_policy > DC_RESTART_NEVER) {
		scnprintf(err, DC_ERROR_MAX, "unknown restart policy %u", req->restart_policy);
		goto out_file;
	}
	if (req->flags) {
		scnprintf(err, DC_ERROR_MAX, "unknown flags 0x%x", req->flags);
		goto out_file;
	}
	rc = -ENOMEM;
	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		goto out_file;
	rc = read_note(file, len, info, err);
	if (rc)
		goto out_info;
	name = req->name[0] ? req->name : info->note.name;
	for (i = 0; name[i]; i++) {
		if (!islower(name[i]) && !isdigit(name[i]) && name[i] != '_' &&
		    name[i] != '-') {
			scnprintf(err, DC_ERROR_MAX, "bad domain name '%s' (use a-z, 0-9, '_', '-')",
				  name);
			rc = -EINVAL;
			goto out_info;
		}
	}
	iface = dc_iface_find(info->note.iface);
	if (!iface || iface->version != info->note.iface_version) {
		char known[96];

		dc_iface_list(known, sizeof(known));
		scnprintf(err, DC_ERROR_MAX, "unknown interface '%s' v%u (this TCB knows %s)",
			  info->note.iface, info->note.iface_version, known);
		rc = -EPROTONOSUPPORT;
		goto out_info;
	}

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		rc = -ENOMEM;
		goto out_info;
	}
	dc_domain_kobj_init(d);
	d->pcpu = alloc_percpu(struct dc_domain_pcpu);
	if (!d->pcpu) {
		dc_domain_put(d);
		rc = -ENOMEM;
		goto out_info;
	}
	strscpy(d->name, name, sizeof(d->name));
	strscpy(d->params, req->params, sizeof(d->params));
	d->iface = iface;
	d->file = file;
	d->file_len = len;
	init_waitqueue_head(&d->held_wq);
	spin_lock_init(&d->open_lock);
	dc_owner_init(&d->store_owner);
	xa_init(&d->store);
	dc_fault_policy_init(d, req);

	mutex_lock(&dc_domains_lock);
	if (find_domain(d->name)) {
		scnprintf(err, DC_ERROR_MAX, "a domain named '%s' is already loaded", d->name);
		rc = -EEXIST;
		goto out_unlock;
	}
	rc = resolve_needs(&info->note, d->imports, err, DC_ERROR_MAX);
	if (rc)
		goto out_unlock;
	d->nr_imports = info->note.nr_needs;
	inst = dc_instance_create(d, file, len, d->params, err, DC_ERROR_MAX);
	if (IS_ERR(inst)) {
		rc = PTR_ERR(inst);
		goto out_unlock;
	}
	rcu_assign_pointer(d->inst, inst);
	note_version(d, inst);
	rc = dc_domain_sysfs_add(d);
	if (rc) {
		scnprintf(err, DC_ERROR_MAX, "cannot create its sysfs directory");
		goto out_sysfs;
	}
	rc = dc_shim_add(d, err, DC_ERROR_MAX);
	if (rc)
		goto out_sysfs;
	for (i = 0; i < d->nr_imports; i++)
		d->imports[i]->users++;
	d->state = DC_STATE_RUNNING;
	list_add_tail(&d->node, &dc_domains);
	mutex_unlock(&dc_domains_lock);
	pr_info("domain_core: loaded %s %s (interface %s v%u)\n", d->name,
		d->version, iface->name, iface->version);
	kfree(info);
	return 0;

out_sysfs:
	dc_domain_sysfs_del(d);
	dc_instance_destroy(inst);
out_unlock:
	mutex_unlock(&dc_domains_lock);
	dc_store_release(d);
	free_percpu(d->pcpu);
	dc_domain_put(d);
out_info:
	kfree(info);
out_file:
	kvfree(file);
	return rc;
}

/* Under dc_domains_lock; @d is off the list and nothing can call it. */
static void domain_destroy(struct dc_domain *d)
{
	struct dc_instance *inst;
	unsigned int i;

	dc_shim_del(d);
	dc_fault_cancel(d);
	inst = rcu_dereference_protected(d->inst, lockdep_is_held(&dc_domains_lock));
	RCU_INIT_POINTER(d->inst, NULL);
	synchronize_rcu();
	WARN_ON(dc_inflight(d));
	dc_instance_destroy(inst);
	for (i = 0; i < d->nr_imports; i++)
		d->imports[i]->users--;
	dc_store_release(d);
	kvfree(d->file);
	free_percpu(d->pcpu);
	dc_domain_sysfs_del(d);
	dc_domain_put(d);
}

static void users_of(struct dc_domain *d, char *buf, size_t size)
{
	struct dc_domain *u;
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	list_for_each_entry(u, &dc_domains, node)
		for (i = 0; i < u->nr_imports; i++)
			if (u->imports[i] == d)
				n += scnprintf(buf + n, size - n, "%s%s", n ? ", " : "", u->name);
}

int dc_domain_unload(const char *name, char *err, size_t errlen)
{
	struct dc_domain *d;
	char users[64];
	int rc;

	mutex_lock(&dc_domains_lock);
	d = find_domain(name);
	if (!d) {
		scnprintf(err, errlen, "no domain named '%s' is loaded", name);
		rc = -ENOENT;
		goto out;
	}
	if (d->users) {
		users_of(d, users, sizeof(users));
		scnprintf(err, errlen, "'%s' is in use by %s (unload those first)", name, users);
		rc = -EBUSY;
		goto out;
	}
	rc = dc_shim_begin_removal(d);
	if (rc) {
		scnprintf(err, errlen, "its device is open (close it first)");
		goto out;
	}
	list_del(&d->node);
	pr_info("domain_core: unloading %s\n", d->name);
	domain_destroy(d);
	rc = 0;
out:
	mutex_unlock(&dc_domains_lock);
	return rc;
}

void dc_domains_unload_all(void)
{
	struct dc_domain *d, *n;
	bool progress = true;

	mutex_lock(&dc_domains_lock);
	/* Importers first: each pass removes the domains nobody uses. */
	while (!list_empty(&dc_domains) && progress) {
		progress = false;
		list_for_each_entry_safe_reverse(d, n, &dc_domains, node) {
			if (d->users)
				continue;
			dc_shim_begin_removal(d);
			list_del(&d->node);
			domain_destroy(d);
			progress = true;
		}
	}
	mutex_unlock(&dc_domains_lock);
}

/*
 * Stateful hand-over, under hold: the old instance exports its state as an
 * object, which passes through the TCB to the new instance.
 */
static int transfer_state(struct dc_instance *old, struct dc_instance *new,
			  char *err, size_t errlen)
{
	dc_obj_t state = 0;
	long ret;

	preempt_disable();
	ret = dc_instance_call(old, old->state_export, (u64)(unsigned long)&state, 0, 0, 0);
	preempt_enable();
	if (ret || old->failed) {
		dc_obj_free(&old->owner, state);
		scnprintf(err, errlen, "old instance failed to export its state (%ld)", ret);
		return old->failed ? -EIO : (int)ret ?: -EIO;
	}
	if (state && dc_obj_give(state, &old->owner, &new->owner)) {
		scnprintf(err, errlen, "old instance exported an object it does not own");
		return -EPROTO;
	}
	preempt_disable();
	ret = dc_instance_call(new, new->state_import, state, 0, 0, 0);
	preempt_enable();
	if (ret || new->failed) {
		scnprintf(err, errlen, "new instance failed to import the state (%ld)", ret);
		return new->failed ? -EIO : (int)ret ?: -EIO;
	}
	return 0;
}

int dc_domain_upgrade(struct dc_upgrade *req, void *file, size_t len)
{
	struct dc_domain *imports[DC_MAX_NEEDS];
	struct dc_instance *old, *new;
	struct dc_elf_info *info;
	struct dc_domain *d;
	char *err = req->error;
	const char *params;
	bool stateful;
	u64 t0 = 0;
	unsigned int i;
	int rc;

	req->name[sizeof(req->name) - 1] = '\0';
	req->params[sizeof(req->params) - 1] = '\0';
	if (req->flags || !valid_params(req->params)) {
		scnprintf(err, DC_ERROR_MAX, req->flags ? "unknown flags" :
			  "parameters must be printable ASCII");
		kvfree(file);
		return -EINVAL;
	}
	info = kmalloc(sizeof(*info), GFP_KERNEL);
	if (!info) {
		kvfree(file);
		return -ENOMEM;
	}
	mutex_lock(&dc_domains_lock);
	d = find_domain(req->name);
	if (!d) {
		scnprintf(err, DC_ERROR_MAX, "no domain named '%s' is loaded", req->name);
		rc = -ENOENT;
		goto out;
	}
	strscpy(req->old_version, d->version, sizeof(req->old_version));
	rc = read_note(file, len, info, err);
	if (rc) {
		char why[DC_ERROR_MAX];

		strscpy(why, err, sizeof(why));
		scnprintf(err, DC_ERROR_MAX, "new image rejected: %s", why);
		goto out;
	}
	if (strcmp(info->note.iface, d->iface->name) ||
	    info->note.iface_version != d->iface->version) {
		scnprintf(err, DC_ERROR_MAX, "interface mismatch: the new image implements %s v%u, '%s' serves %s v%u",
			  info->note.iface, info->note.iface_version, d->name,
			  d->iface->name, d->iface->version);
		rc = -EPROTONOSUPPORT;
		goto out;
	}
	rc = resolve_needs(&info->note, imports, err, DC_ERROR_MAX);
	if (rc)
		goto out;
	old = rcu_dereference_protected(d->inst, lockdep_is_held(&dc_domains_lock));
	if (!old || old->failed) {
		scnprintf(err, DC_ERROR_MAX, "'%s' is not running (%s)", d->name,
			  dc_state_name(d->state));
		rc = -EAGAIN;
		goto out;
	}
	params = req->params[0] ? req->params : d->params;
	d->state = DC_STATE_UPGRADING;
	new = dc_instance_create(d, file, len, params, err, DC_ERROR_MAX);
	if (IS_ERR(new)) {
		char why[DC_ERROR_MAX];

		strscpy(why, err, sizeof(why));
		scnprintf(err, DC_ERROR_MAX, "new instance did not start: %s", why);
		rc = PTR_ERR(new);
		d->state = DC_STATE_RUNNING;
		goto out;
	}
	rc = dc_shim_check(d, new, err, DC_ERROR_MAX);
	if (rc) {
		dc_instance_destroy(new);
		d->state = DC_STATE_RUNNING;
		goto out;
	}
	if (old->state_export && !new->state_import) {
		scnprintf(err, DC_ERROR_MAX, "the new image cannot import the state the running one exports");
		dc_instance_destroy(new);
		d->state = DC_STATE_RUNNING;
		rc = -EPROTO;
		goto out;
	}
	stateful = old->state_export && new->state_import;
	if (stateful) {
		t0 = ktime_get_ns();
		dc_hold(d, DC_HELD_UPGRADE);
		rc = transfer_state(old, new, err, DC_ERROR_MAX);
		if (rc) {
			dc_release(d);
			dc_instance_destroy(new);
			d->state = DC_STATE_RUNNING;
			goto out;
		}
	}
	rcu_assign_pointer(d->inst, new);
	if (stateful) {
		dc_release(d);
		req->pause_ns = ktime_get_ns() - t0;
	}
	synchronize_rcu();	/* no call sees the old instance any more */
	dc_instance_destroy(old);

	for (i = 0; i < d->nr_imports; i++)
		d->imports[i]->users--;
	for (i = 0; i < info->note.nr_needs; i++) {
		d->imports[i] = imports[i];
		imports[i]->users++;
	}
	d->nr_imports = info->note.nr_needs;
	kvfree(d->file);
	d->file = file;
	d->file_len = len;
	file = NULL;
	strscpy(d->params, params, sizeof(d->params));
	note_version(d, new);
	strscpy(req->new_version, d->version, sizeof(req->new_version));
	d->upgrades++;
	d->last_pause_ns = req->pause_ns;
	d->state = DC_STATE_RUNNING;
	rc = 0;
	pr_info("domain_core: upgraded %s %s -> %s (%s, calls held %llu ns)\n", d->name,
		req->old_version, req->new_version, stateful ? "stateful" : "stateless",
		req->pause_ns);
out:
	mutex_unlock(&dc_domains_lock);
	kfree(info);
	kvfree(file);
	return rc;
}

void dc_domain_info(struct dc_domain *d, struct dc_domain_info *info)
{
	struct dc_instance *inst;

	memset(info, 0, sizeof(*info));
	strscpy(info->name, d->name, sizeof(info->name));
	strscpy(info->iface, d->iface->name, sizeof(info->iface));
	strscpy(info->version, d->version, sizeof(info->version));
	strscpy(info->params, d->params, sizeof(info->params));
	strscpy(info->last_fault, d->last_fault, sizeof(info->last_fault));
	info->iface_version = d->iface->version;
	info->state = d->state;
	info->calls = dc_calls(d);
	info->faults = atomic64_read(&d->faults);
	info->restarts = d->restarts;
	info->upgrades = d->upgrades;
	info->last_pause_ns = d->last_pause_ns;
	info->users = d->users;
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

int dc_domain_list(struct dc_domain_info *info, u32 capacity, u32 *count)
{
	struct dc_domain *d;
	u32 n = 0;

	mutex_lock(&dc_domains_lock);
	list_for_each_entry(d, &dc_domains, node) {
		if (n < capacity)
			dc_domain_info(d, &info[n]);
		n++;
	}
	mutex_unlock(&dc_domains_lock);
	*count = n;
	return 0;
}
