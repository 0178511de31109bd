// SPDX-License-Identifier: GPL-2.0
/*
 * The lifecycle of domains: load, upgrade, restart after a fault, going
 * down, and unload.  Each of them starts an instance from a load
 * description and then calls replace_instance(), the only place where the
 * instance that calls reach (d->inst) changes.  All of it runs under
 * dc_domains_lock; calls never take it.
 */
#include "internal.h"
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/rcupdate.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "trace.h"

DEFINE_MUTEX(dc_domains_lock);
LIST_HEAD(dc_domains);

/* Under dc_domains_lock. */
struct dc_domain *dc_domain_find(const char *name)
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

static struct dc_instance *current_instance(struct dc_domain *d)
{
	return rcu_dereference_protected(d->inst, lockdep_is_held(&dc_domains_lock));
}

/* ------------------------------------------------------------------ */
/* Imports */

/* Does @from, or anything it imports, import @target? */
static bool imports_reach(struct dc_domain *from, struct dc_domain *target,
			  unsigned int depth)
{
	struct dc_instance *inst = current_instance(from);
	unsigned int i;

	if (from == target)
		return true;
	/* Deeper than every loaded domain: a cycle not through @target. */
	if (!inst || depth > 64)
		return false;
	for (i = 0; i < inst->nr_imports; i++)
		if (imports_reach(inst->imports[i], target, depth + 1))
			return true;
	return false;
}

/*
 * Resolve the needs of @note into @imports.  @d is the domain that will
 * import them: an import that leads back to it would let calls go round.
 */
static int resolve_needs(struct dc_domain *d, const struct dc_note *note,
			 struct dc_domain **imports, char *err)
{
	unsigned int i;

	for (i = 0; i < note->nr_needs; i++) {
		const struct dc_note_need *need = &note->needs[i];
		struct dc_domain *p = find_provider(need->iface);

		if (!p) {
			scnprintf(err, DC_ERROR_MAX, "needs interface '%s' v%u, which no loaded domain provides",
				  need->iface, need->version);
			return -ENOLINK;
		}
		if (p->iface->version != need->version) {
			scnprintf(err, DC_ERROR_MAX, "needs interface '%s' v%u, but %s provides v%u",
				  need->iface, need->version, p->name, p->iface->version);
			return -ENOLINK;
		}
		if (imports_reach(p, d, 0)) {
			scnprintf(err, DC_ERROR_MAX, "needs interface '%s', but its provider %s imports '%s' itself (a cycle)",
				  need->iface, p->name, d->name);
			return -ELOOP;
		}
		imports[i] = p;
	}
	return 0;
}

static void claim_imports(const struct dc_instance *inst, int delta)
{
	unsigned int i;

	for (i = 0; inst && i < inst->nr_imports; i++)
		inst->imports[i]->users += delta;
}

/* ------------------------------------------------------------------ */
/* Instances */

/* Copy the function table the entry returned, checking every entry. */
static int take_entry_result(struct dc_instance *inst,
			     const struct dc_entry_result *res, char *err)
{
	const struct dc_iface *iface = inst->dom->iface;
	const struct dc_image *image = inst->image;
	const void *const *ops = res->ops;
	unsigned int i;

	if (!ops || !dc_image_contains(image, (unsigned long)ops,
				       iface->nr_methods * sizeof(void *), DC_IMAGE_ANY)) {
		scnprintf(err, DC_ERROR_MAX, "entry returned a function table outside the image");
		return -EFAULT;
	}
	for (i = 0; i < iface->nr_methods; i++) {
		if (!dc_image_contains(image, (unsigned long)ops[i], 1, DC_IMAGE_TEXT)) {
			scnprintf(err, DC_ERROR_MAX, "method %s of the function table is not in the image's text",
				  iface->method_names[i]);
			return -EFAULT;
		}
		/* A copy in TCB memory: a stray store cannot redirect a call. */
		inst->ops[i] = ops[i];
	}
	if ((res->state_export &&
	     !dc_image_contains(image, (unsigned long)res->state_export, 1, DC_IMAGE_TEXT)) ||
	    (res->state_import &&
	     !dc_image_contains(image, (unsigned long)res->state_import, 1, DC_IMAGE_TEXT))) {
		scnprintf(err, DC_ERROR_MAX, "state hand-over functions are not in the image's text");
		return -EFAULT;
	}
	inst->state_export = res->state_export;
	inst->state_import = res->state_import;
	return 0;
}

/* Nothing may call into @inst any more. */
static void instance_free(struct dc_instance *inst)
{
	if (!inst)
		return;
	if (inst->mailbox)
		dc_arena_free_small(inst->mailbox, sizeof(*inst->mailbox));
	dc_owner_release(&inst->owner);
	dc_image_unmap(inst->image);
	kfree(inst);
}

/*
 * An instance of @d from @info, its image mapped and its memory ready,
 * but not entered: what instance_enter() needs, and what a standby keeps.
 */
static struct dc_instance *instance_prepare(struct dc_domain *d,
					    const struct dc_load_info *info, char *err)
{
	struct dc_confinement conf = {
		.arena_base = dc_arena.base,
		.arena_mapped = (unsigned long)&dc_arena.mapped,
		.shadow = (unsigned long)dc_arena.shadow,
	};
	struct dc_instance *inst;
	int rc;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		return ERR_PTR(-ENOMEM);
	inst->dom = d;
	inst->budget = d->budget;
	rc = dc_owner_init(&inst->owner, &d->quota, d->name);
	if (rc) {
		kfree(inst);
		scnprintf(err, DC_ERROR_MAX, "no owner id left: at most %u instances, standbys and state stores exist at once",
			  DC_SHADOW_LAST_ID - DC_SHADOW_FIRST_ID + 1);
		return ERR_PTR(rc);
	}
	inst->mailbox = dc_arena_alloc_small(sizeof(*inst->mailbox), inst->owner.id);
	if (!inst->mailbox) {
		strscpy(err, "out of memory", DC_ERROR_MAX);
		rc = -ENOMEM;
		goto fail;
	}
	conf.self_id = inst->owner.id;
	conf.store_id = d->store_owner.id;
	rc = dc_image_map(info, &conf, &inst->image, err);
	if (rc)
		goto fail;
	return inst;

fail:
	instance_free(inst);
	return ERR_PTR(rc);
}

/*
 * Resolve @inst's needs and run its entry with @params.  On failure @err
 * says why; @inst is then the caller's to free.  It is not published: the
 * caller replaces the current instance with it.
 */
static int instance_enter(struct dc_instance *inst, const char *params, char *err)
{
	const struct dc_load_info *info = inst->image->info;
	struct dc_entry_result res;
	long ret;
	int rc;

	/* Now, not when prepared: a standby waits while providers may change. */
	rc = resolve_needs(inst->dom, &info->elf.note, inst->imports, err);
	if (rc)
		return rc;
	inst->nr_imports = info->elf.note.nr_needs;
	preempt_disable();
	ret = dc_instance_call_budget(inst, DC_LIFECYCLE_BUDGET,
				      (const u8 *)inst->image->mem->base + info->elf.entry,
				      (u64)(unsigned long)&dc_services, (u64)(unsigned long)inst,
				      (u64)(unsigned long)params,
				      (u64)(unsigned long)&inst->mailbox->entry);
	preempt_enable();
	/* A copy: the checks below must see what is used. */
	memcpy(&res, &inst->mailbox->entry, sizeof(res));
	if (inst->failed) {
		scnprintf(err, DC_ERROR_MAX, "domain faulted during its initialisation");
		return -EIO;
	}
	if (ret) {
		scnprintf(err, DC_ERROR_MAX, "domain initialisation failed (%ld)", ret);
		return ret < 0 && ret >= -MAX_ERRNO ? (int)ret : -EINVAL;
	}
	return take_entry_result(inst, &res, err);
}

/* Prepare and enter: a new instance of @d, not published. */
static struct dc_instance *instance_start(struct dc_domain *d,
					  const struct dc_load_info *info,
					  const char *params, char *err)
{
	struct dc_instance *inst = instance_prepare(d, info, err);
	int rc;

	if (IS_ERR(inst))
		return inst;
	rc = instance_enter(inst, params, err);
	if (rc) {
		instance_free(inst);
		return ERR_PTR(rc);
	}
	return inst;
}

/* ------------------------------------------------------------------ */
/* The standby */

/*
 * A domain that restarts after faults keeps a standby: an instance of its
 * current image prepared in advance (mapped, permissions set, memory
 * ready, not entered), so that a restart is entry, swap and release, with
 * no image to map.  The next one is prepared after the restart, by the
 * restart worker, once the domain serves again.  Under dc_domains_lock;
 * a standby is never published, so nothing else can reach it.
 */
static void standby_set(struct dc_domain *d, struct dc_instance *s)
{
	d->standby = s;
	WRITE_ONCE(d->standby_bytes, s ? PAGE_ALIGN(s->image->info->elf.span) +
			     sizeof(*s->mailbox) : 0);
}

static void standby_drop(struct dc_domain *d)
{
	instance_free(d->standby);
	standby_set(d, NULL);
}

static void standby_prepare(struct dc_domain *d)
{
	struct dc_instance *s;
	char err[DC_ERROR_MAX];

	if (!d->standby_on || d->standby || d->dying || !d->image)
		return;
	s = instance_prepare(d, d->image, err);
	if (IS_ERR(s)) {
		/* Not fatal: restarts then map the image as they go. */
		pr_warn("%s: no standby instance: %s\n", d->name, err);
		return;
	}
	standby_set(d, s);
}

/* The standby, if it is of the image restarts use now. */
static struct dc_instance *standby_take(struct dc_domain *d)
{
	struct dc_instance *s = d->standby;

	standby_set(d, NULL);
	if (s && s->image->info != d->image) {
		instance_free(s);
		return NULL;
	}
	return s;
}

/*
 * Stateful hand-over, under hold: the old instance exports its state as an
 * object, which passes through the TCB to the new instance.
 */
static int transfer_state(struct dc_instance *old, struct dc_instance *new,
			  char *err)
{
	dc_obj_t state;
	long ret;

	old->mailbox->state = 0;
	preempt_disable();
	ret = dc_instance_call_budget(old, DC_LIFECYCLE_BUDGET, old->state_export,
			       (u64)(unsigned long)&old->mailbox->state, 0, 0, 0);
	preempt_enable();
	state = READ_ONCE(old->mailbox->state);
	if (ret || old->failed) {
		dc_obj_free(&old->owner, state);
		scnprintf(err, DC_ERROR_MAX, "old instance failed to export its state (%ld)", ret);
		return old->failed ? -EIO : (int)ret ?: -EIO;
	}
	if (state && dc_obj_give(state, &old->owner, &new->owner)) {
		scnprintf(err, DC_ERROR_MAX, "old instance exported an object it does not own");
		return -EPROTO;
	}
	preempt_disable();
	ret = dc_instance_call_budget(new, DC_LIFECYCLE_BUDGET, new->state_import, state, 0, 0, 0);
	preempt_enable();
	if (ret || new->failed) {
		scnprintf(err, DC_ERROR_MAX, "new instance failed to import the state (%ld)", ret);
		return new->failed ? -EIO : (int)ret ?: -EIO;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The one replacement */

/*
 * Make @new (NULL: none, the domain is down) the instance every call
 * reaches, and free the one it replaces.  Under dc_domains_lock.
 *
 *   1. hold: for a stateful hand-over only, new calls wait and those in
 *      flight drain (call.c explains why none slips through);
 *   2. hand the state over (@stateful); on failure, release and return
 *      the error, with the old instance still serving and @new the
 *      caller's to free;
 *   3. publish @new (rcu_assign_pointer orders its initialisation before
 *      any caller can see it);
 *   4. release: held callers, and callers waiting for a failed instance to
 *      be replaced, go on into @new (or get -ENODEV if it is NULL);
 *   5. grace period: every call runs with preemption disabled, which is an
 *      RCU read-side section, so after a grace period no call is still in
 *      the old instance (calls in a failed instance end in bounded time:
 *      they finish or fault).  Then it and all it owned are freed.  The
 *      grace period is expedited: replacements are rare, and a restart
 *      or an unload should not wait for the slow kind.
 *
 * The pause (step 1 to 4) goes to @pause_ns if given; the time @new was
 * published (ktime_get_ns()), callers going on into it, to @published_ns.
 */
static int replace_instance(struct dc_domain *d, struct dc_instance *new,
			    bool stateful, u64 *pause_ns, u64 *published_ns, char *err)
{
	struct dc_instance *old = current_instance(d);
	u64 t0 = ktime_get_ns();
	int rc = 0;

	if (stateful) {
		dc_hold(d);
		rc = transfer_state(old, new, err);
		if (rc)
			goto release;
	}
	rcu_assign_pointer(d->inst, new);
	if (new)
		strscpy(d->version, new->image->info->elf.note.version, sizeof(d->version));
release:
	if (stateful)
		dc_release(d);
	else
		wake_up_all(&d->wait);
	if (pause_ns)
		*pause_ns = stateful ? ktime_get_ns() - t0 : 0;
	if (rc)
		return rc;
	if (published_ns)
		*published_ns = ktime_get_ns();
	if (old) {
		synchronize_rcu_expedited();
		instance_free(old);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Load, upgrade, restart, down, unload */

void dc_load_info_free(struct dc_load_info *info)
{
	if (!info)
		return;
	kvfree(info->file);
	kfree(info);
}

/* A quarter of the memory: a domain that allocates without end cannot starve the kernel. */
u64 dc_mem_max_default(void)
{
	return ((u64)totalram_pages() << PAGE_SHIFT) / 4;
}

/* standby=on|off if the request says so, else @def. */
static bool standby_wanted(const struct dc_load_info *info, bool def)
{
	if (info->flags & DC_LOAD_F_STANDBY_ON)
		return true;
	if (info->flags & DC_LOAD_F_STANDBY_OFF)
		return false;
	return def;
}

static struct dc_domain *domain_alloc(const struct dc_load_info *info)
{
	struct dc_domain *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return NULL;
	/* From here on @d is freed by dc_domain_put(). */
	dc_domain_kobj_init(d);
	d->pcpu = alloc_percpu(struct dc_domain_pcpu);
	if (!d->pcpu) {
		dc_domain_put(d);
		return NULL;
	}
	strscpy(d->name, info->name, sizeof(d->name));
	d->iface = info->iface;
	init_waitqueue_head(&d->wait);
	d->budget = msecs_to_jiffies(info->call_budget_ms ?: DC_CALL_BUDGET_MS);
	d->quota.max = info->mem_max ?: dc_mem_max_default();
	d->faults.policy = info->restart;
	d->standby_on = standby_wanted(info, info->restart.policy != DC_RESTART_NEVER);
	dc_fault_init_domain(d);
	return d;
}

/*
 * The end of a domain that is off the list, with no instance: wait out a
 * restart the fault handler may have queued (it sees d->dying), then free
 * what is left.  Not under dc_domains_lock (the restart worker takes it).
 */
static void domain_free(struct dc_domain *d)
{
	/* First: removing the directory waits for its readers, which use @d. */
	dc_domain_sysfs_del(d);
	dc_fault_cancel(d);
	if (d->iface->shim && d->shim)
		d->iface->shim->remove(d);
	dc_store_release(d);
	dc_load_info_free(d->image);
	free_percpu(d->pcpu);
	dc_domain_put(d);
}

/*
 * @d's instances come from @info from now on, the one running included:
 * what sysfs shows follows it.  Under dc_domains_lock.
 */
static void take_image(struct dc_domain *d, struct dc_load_info *info)
{
	/* A standby of the image being replaced is of no use any more. */
	standby_drop(d);
	dc_load_info_free(d->image);
	d->image = info;
	strscpy(d->params, info->params, sizeof(d->params));
	strscpy(d->signer, info->signer, sizeof(d->signer));
	d->confined = info->elf.note.flags & DC_NOTE_F_CONFINED;
	dc_sig_note_unsigned(info);
	if (!d->confined)
		pr_warn("%s: running unconfined (confine=off): its stores are not checked, and a stray one can corrupt the kernel\n",
			d->name);
}

/* On success the domain keeps @info; on failure it is still the caller's. */
int dc_domain_load(struct dc_load_info *info)
{
	const struct dc_shim_ops *shim = info->iface->shim;
	struct dc_instance *inst;
	struct dc_domain *d;
	char *err = info->err;
	int rc;

	d = domain_alloc(info);
	if (!d) {
		strscpy(err, "out of memory", DC_ERROR_MAX);
		return -ENOMEM;
	}
	rc = dc_store_init(d, &d->quota);
	if (rc) {
		scnprintf(err, DC_ERROR_MAX, "no owner id left for its state store: at most %u instances and state stores exist at once",
			  DC_SHADOW_LAST_ID - DC_SHADOW_FIRST_ID + 1);
		domain_free(d);
		return rc;
	}
	mutex_lock(&dc_domains_lock);
	if (dc_domain_find(d->name)) {
		scnprintf(err, DC_ERROR_MAX, "a domain named '%s' is already loaded", d->name);
		rc = -EEXIST;
		goto out_unlock;
	}
	inst = instance_start(d, info, info->params, err);
	if (IS_ERR(inst)) {
		rc = PTR_ERR(inst);
		goto out_unlock;
	}
	rc = dc_domain_sysfs_add(d);
	if (rc) {
		scnprintf(err, DC_ERROR_MAX, "cannot create its sysfs directory");
		instance_free(inst);
		goto out_unlock;
	}
	/* Published before the shim exists: adding a disk reads from it. */
	replace_instance(d, inst, false, NULL, NULL, err);
	if (shim) {
		rc = shim->add(d, inst, err);
		if (rc)
			goto out_unpublish;
		/*
		 * A fault while the shim added its devices (a block device's
		 * partition scan calls the domain) cannot be restarted before we
		 * let go of dc_domains_lock, so the calls that came after it failed
		 * (the scan's reads, after their requeues): the load fails, as it
		 * does for a fault in the entry.
		 */
		if (READ_ONCE(inst->failed)) {
			scnprintf(err, DC_ERROR_MAX, "it faulted while its devices were added: %s",
				  d->faults.last);
			rc = -EIO;
			goto out_unpublish;
		}
	}
	claim_imports(inst, 1);
	take_image(d, info);
	d->state = DC_STATE_RUNNING;
	list_add_tail(&d->node, &dc_domains);
	standby_prepare(d);
	mutex_unlock(&dc_domains_lock);
	pr_info("loaded %s %s (interface %s v%u)\n", d->name, d->version,
		d->iface->name, d->iface->version);
	trace_domain_load(d->name, d->version, d->iface->name);
	return 0;

out_unpublish:
	/* A fault while the shim was added may have queued a restart. */
	d->dying = true;
	replace_instance(d, NULL, false, NULL, NULL, err);
out_unlock:
	mutex_unlock(&dc_domains_lock);
	domain_free(d);
	return rc;
}

/* The new instance takes over the failed or missing one: nothing to hand over. */
static bool can_hand_over(const struct dc_instance *old)
{
	return old && !old->failed && old->state_export;
}

/*
 * Replace the running instance of domain info->name by one started from
 * @info.  The old instance keeps serving until the new one is ready; any
 * failure leaves it as it was.  A domain whose instance failed, is
 * restarting or is down is upgraded into service (the new image is then
 * what later restarts use).  On success the domain keeps @info.
 */
int dc_domain_upgrade(struct dc_load_info *info, struct dc_upgrade_result *res)
{
	struct dc_instance *old, *new;
	struct dc_domain *d;
	char *err = info->err;
	char why[DC_ERROR_MAX];
	bool stateful;
	int rc, prev_state;

	mutex_lock(&dc_domains_lock);
	d = dc_domain_find(info->name);
	if (!d) {
		scnprintf(err, DC_ERROR_MAX, "no domain named '%s' is loaded", info->name);
		rc = -ENOENT;
		goto out;
	}
	strscpy(res->old_version, d->version, sizeof(res->old_version));
	if (info->iface != d->iface) {
		scnprintf(err, DC_ERROR_MAX, "interface mismatch: the new image implements %s v%u, '%s' serves %s v%u",
			  info->iface->name, info->iface->version, d->name,
			  d->iface->name, d->iface->version);
		rc = -EPROTONOSUPPORT;
		goto out;
	}
	/* Empty parameters keep the running ones. */
	if (!info->params[0])
		strscpy(info->params, d->params, sizeof(info->params));
	old = current_instance(d);
	prev_state = d->state;
	d->state = DC_STATE_UPGRADING;
	new = instance_start(d, info, info->params, err);
	if (IS_ERR(new)) {
		strscpy(why, err, sizeof(why));
		scnprintf(err, DC_ERROR_MAX, "new instance did not start: %s", why);
		rc = PTR_ERR(new);
		goto out_state;
	}
	rc = d->iface->shim && d->iface->shim->check ?
	     d->iface->shim->check(d, new, err) : 0;
	if (rc)
		goto out_new;
	stateful = can_hand_over(old);
	if (stateful && !new->state_import) {
		scnprintf(err, DC_ERROR_MAX, "the new image cannot import the state the running one exports");
		rc = -EPROTO;
		goto out_new;
	}
	rc = replace_instance(d, new, stateful, &res->pause_ns, NULL, err);
	if (rc)
		goto out_new;

	claim_imports(new, 1);
	claim_imports(old, -1);
	take_image(d, info);
	d->standby_on = standby_wanted(info, d->standby_on);
	strscpy(res->new_version, d->version, sizeof(res->new_version));
	d->upgrades++;
	d->last_pause_ns = res->pause_ns;
	d->state = DC_STATE_RUNNING;
	standby_prepare(d);
	mutex_unlock(&dc_domains_lock);
	pr_info("upgraded %s %s -> %s (%s, calls held %llu ns)\n", d->name,
		res->old_version, res->new_version, stateful ? "stateful" : "stateless",
		res->pause_ns);
	trace_domain_upgrade(d->name, res->old_version, res->new_version, stateful,
			     res->pause_ns);
	return 0;

out_new:
	instance_free(new);
out_state:
	d->state = old && old->failed ? DC_STATE_FAILED : prev_state;
out:
	mutex_unlock(&dc_domains_lock);
	return rc;
}

/*
 * Under dc_domains_lock, for the restart worker: @d's instance failed;
 * start a fresh one from the image the failed one came from (its state
 * comes from the state store).  If it cannot start, @d stays down.
 */
int dc_domain_restart(struct dc_domain *d, char *err)
{
	struct dc_instance *old = current_instance(d), *new;
	u64 serving;
	int rc;

	new = standby_take(d);
	if (new) {
		rc = instance_enter(new, d->params, err);
		if (rc) {
			instance_free(new);
			new = ERR_PTR(rc);
		}
	} else {
		new = instance_start(d, d->image, d->params, err);
	}
	if (IS_ERR(new)) {
		dc_domain_stay_down(d, err[0] ? err : "the new instance did not start");
		return PTR_ERR(new);
	}
	claim_imports(new, 1);
	claim_imports(old, -1);
	replace_instance(d, new, false, NULL, &serving, err);
	d->state = DC_STATE_RUNNING;
	d->faults.restarts++;
	/* Serving again when published, not after the old one is freed. */
	d->faults.last_recovery_ns = serving - d->faults.fault_time_ns;
	pr_info("%s restarted (restart %llu, serving again %llu us after the fault)\n",
		d->name, d->faults.restarts, d->faults.last_recovery_ns / 1000);
	trace_domain_restart(d->name, d->faults.restarts, d->faults.last_recovery_ns);
	/* The next fault's standby, now that callers are served. */
	standby_prepare(d);
	return 0;
}

/* Under dc_domains_lock: give up on @d until it is upgraded or unloaded. */
void dc_domain_stay_down(struct dc_domain *d, const char *why)
{
	claim_imports(current_instance(d), -1);
	replace_instance(d, NULL, false, NULL, NULL, NULL);
	standby_drop(d);
	d->state = DC_STATE_DOWN;	/* callers get -ENODEV */
	pr_err("%s stays down: %s\n", d->name, why);
}

static void users_of(struct dc_domain *d, char *buf, size_t size)
{
	struct dc_domain *u;
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	list_for_each_entry(u, &dc_domains, node) {
		struct dc_instance *inst = current_instance(u);

		for (i = 0; inst && i < inst->nr_imports; i++)
			if (inst->imports[i] == d)
				n += scnprintf(buf + n, size - n, "%s%s", n ? ", " : "", u->name);
	}
}

/* Under dc_domains_lock: take @d off the list, with no instance left. */
static void domain_unlist(struct dc_domain *d)
{
	list_del(&d->node);
	d->dying = true;
	claim_imports(current_instance(d), -1);
	replace_instance(d, NULL, false, NULL, NULL, NULL);
	standby_drop(d);
	pr_info("unloading %s\n", d->name);
	trace_domain_unload(d->name);
}

int dc_domain_unload(const char *name, char *err)
{
	struct dc_domain *d;
	char users[64];
	int rc;

	mutex_lock(&dc_domains_lock);
	d = dc_domain_find(name);
	if (!d) {
		scnprintf(err, DC_ERROR_MAX, "no domain named '%s' is loaded", name);
		rc = -ENOENT;
		goto out;
	}
	if (d->users) {
		users_of(d, users, sizeof(users));
		scnprintf(err, DC_ERROR_MAX, "'%s' is in use by %s (unload those first)", name, users);
		rc = -EBUSY;
		goto out;
	}
	rc = d->iface->shim ? d->iface->shim->begin_removal(d) : 0;
	if (rc) {
		scnprintf(err, DC_ERROR_MAX, "its device is open (close it first)");
		goto out;
	}
	domain_unlist(d);
	mutex_unlock(&dc_domains_lock);
	domain_free(d);
	return 0;
out:
	mutex_unlock(&dc_domains_lock);
	return rc;
}

/* Module exit: importers first; each pass takes the domains nobody uses. */
void dc_domains_unload_all(void)
{
	struct dc_domain *d;

	for (;;) {
		struct dc_domain *unused = NULL;

		mutex_lock(&dc_domains_lock);
		list_for_each_entry_reverse(d, &dc_domains, node) {
			if (!d->users) {
				unused = d;
				break;
			}
		}
		if (!unused) {
			WARN_ON(!list_empty(&dc_domains));	/* a cycle of imports */
			mutex_unlock(&dc_domains_lock);
			return;
		}
		d = unused;
		if (d->iface->shim)
			d->iface->shim->begin_removal(d);	/* the module is unused: nothing is open */
		domain_unlist(d);
		mutex_unlock(&dc_domains_lock);
		domain_free(d);
	}
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
