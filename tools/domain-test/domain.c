// SPDX-License-Identifier: GPL-2.0
/*
 * Domains: load, upgrade, restart and unload (src/lifecycle.c), the
 * restart policy (src/restart.c) and the proxy (src/proxy.c).
 *
 * The kernel restarts a failed domain from a worker.  Here the policy is
 * applied when the outermost call ends (dt_settle()), so the test's next
 * call finds a fresh instance, or a domain that stays down; callers
 * inside other domains see -EIO meanwhile, as in the kernel.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

#define DT_RESTART_WINDOW_NS	(60ull * 1000000000)

/* ------------------------------------------------------------------ */
/* Interfaces: the registry src/iface_registry.c builds, from the same X-macros */

#define DT_IFACE_TABLES(X)						\
	static const uint8_t X##_masks[] = { DC_IFACE_##X(DC_METHOD_MASK, X) }; \
	static const char *const X##_names[] = { DC_IFACE_##X(DC_METHOD_NAME, X) }; \
	_Static_assert(DC_NR_METHODS_##X <= DT_MAX_METHODS, "too many methods");
DC_ALL_IFACES(DT_IFACE_TABLES)

#define DT_IFACE_ENTRY(X)						\
	{ #X, DC_IFACE_##X##_VERSION, DC_NR_METHODS_##X, X##_masks, X##_names },

static const struct dt_iface ifaces[] = {
	DC_ALL_IFACES(DT_IFACE_ENTRY)
};

const struct dt_iface *dt_iface_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(ifaces) / sizeof(ifaces[0]); i++)
		if (!strcmp(ifaces[i].name, name))
			return &ifaces[i];
	return NULL;
}

/* ------------------------------------------------------------------ */

static struct dt_domain *domains;	/* in load order */

static int set_err(char *err, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int set_err(char *err, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, DT_ERROR_MAX, fmt, ap);
	va_end(ap);
	return rc;
}

static int init_once(char *err)
{
	static int done;

	if (done)
		return 0;
	if (dt_call_init(err))
		return -ENOMEM;
	if (dt_arena_init())
		return set_err(err, -ENOMEM, "cannot reserve address space for domain memory");
	done = 1;
	return 0;
}

struct dt_domain *dt_first_domain(void)
{
	return domains;
}

struct dt_domain *dt_find(const char *name)
{
	struct dt_domain *d;

	for (d = domains; d; d = d->next)
		if (!strcmp(d->name, name))
			return d;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Imports */

/* Providers the test chose (dt_set_provider()), by interface. */
static struct dt_domain *chosen[sizeof(ifaces) / sizeof(ifaces[0])];

int dt_set_provider(const char *iface, struct dt_domain *d)
{
	const struct dt_iface *i = dt_iface_find(iface);

	if (!i || (d && d->iface != i))
		return -EINVAL;
	chosen[i - ifaces] = d;
	return 0;
}

/* The test's choice, or the first loaded domain that implements @iface. */
static struct dt_domain *find_provider(const char *iface)
{
	const struct dt_iface *i = dt_iface_find(iface);
	struct dt_domain *d;

	if (i && chosen[i - ifaces])
		return chosen[i - ifaces];
	for (d = domains; d; d = d->next)
		if (!strcmp(d->iface->name, iface))
			return d;
	return NULL;
}

/* Does @from, or anything it imports, import @target? */
static bool imports_reach(const struct dt_domain *from,
			  const struct dt_domain *target, unsigned int depth)
{
	unsigned int i;

	if (from == target)
		return true;
	if (!from->inst || depth > 64)
		return false;
	for (i = 0; i < from->inst->nr_imports; i++)
		if (imports_reach(from->inst->imports[i], target, depth + 1))
			return true;
	return false;
}

static int resolve_needs(struct dt_domain *d, const struct dc_note *note,
			 struct dt_domain **imports, char *err)
{
	unsigned int i;

	for (i = 0; i < note->nr_needs; i++) {
		const struct dc_note_need *need = &note->needs[i];
		struct dt_domain *p = find_provider(need->iface);

		if (!p)
			return set_err(err, -ENOLINK,
				       "needs interface '%s' v%u, which no loaded domain provides",
				       need->iface, need->version);
		if (p->iface->version != need->version)
			return set_err(err, -ENOLINK, "needs interface '%s' v%u, but %s provides v%u",
				       need->iface, need->version, p->name, p->iface->version);
		if (imports_reach(p, d, 0))
			return set_err(err, -ELOOP,
				       "needs interface '%s', but its provider %s imports '%s' itself (a cycle)",
				       need->iface, p->name, d->name);
		imports[i] = p;
	}
	return 0;
}

static void claim_imports(const struct dt_instance *inst, int delta)
{
	unsigned int i;

	for (i = 0; inst && i < inst->nr_imports; i++)
		inst->imports[i]->users += delta;
}

/* ------------------------------------------------------------------ */
/* Instances */

/* Copy the function table the entry returned, checking every entry. */
static int take_entry_result(struct dt_instance *inst,
			     const struct dc_entry_result *res, char *err)
{
	const struct dt_iface *iface = inst->dom->iface;
	const void *const *ops = res->ops;
	unsigned int i;

	if (!ops || !dt_mapping_contains(&inst->map, (uintptr_t)ops,
					 iface->nr_methods * sizeof(void *), DT_PART_ANY))
		return set_err(err, -EFAULT, "entry returned a function table outside the image");
	for (i = 0; i < iface->nr_methods; i++) {
		if (!dt_mapping_contains(&inst->map, (uintptr_t)ops[i], 1, DT_PART_TEXT))
			return set_err(err, -EFAULT,
				       "method %s of the function table is not in the image's text",
				       iface->method_names[i]);
		/* A copy out of the image: a stray store cannot redirect a call. */
		inst->ops[i] = ops[i];
	}
	if ((res->state_export &&
	     !dt_mapping_contains(&inst->map, (uintptr_t)res->state_export, 1, DT_PART_TEXT)) ||
	    (res->state_import &&
	     !dt_mapping_contains(&inst->map, (uintptr_t)res->state_import, 1, DT_PART_TEXT)))
		return set_err(err, -EFAULT, "state hand-over functions are not in the image's text");
	inst->state_export = res->state_export;
	inst->state_import = res->state_import;
	return 0;
}

static void instance_free(struct dt_instance *inst)
{
	if (!inst)
		return;
	if (inst->mailbox)
		dt_arena_free_small(inst->mailbox, sizeof(*inst->mailbox));
	dt_owner_release(&inst->owner);
	dt_image_unmap(&inst->map);
	free(inst);
}

/*
 * Start an instance of @d from @image with @params: resolve its needs,
 * map the image, run its entry.  Not published: the caller does that or
 * frees it.  NULL on failure, *rc and @err saying why.
 */
static struct dt_instance *instance_start(struct dt_domain *d,
					  const struct dt_image *image,
					  const char *params, char *err, int *rc)
{
	struct dc_entry_result res;
	struct dt_instance *inst = calloc(1, sizeof(*inst));
	struct dc_confinement conf = {
		.arena_base = dt_arena.base,
		.arena_mapped = (uintptr_t)&dt_arena.mapped,
		.shadow = (uintptr_t)dt_arena.shadow,
		.store_id = d->store.owner.id,
	};
	long ret;

	err[0] = '\0';
	if (!inst) {
		*rc = set_err(err, -ENOMEM, "out of memory");
		return NULL;
	}
	inst->dom = d;
	if (dt_owner_init(&inst->owner, &d->quota, d->name)) {
		free(inst);
		*rc = set_err(err, -ENOSPC,
			      "no owner id left: at most %u instances and state stores exist at once",
			      DC_SHADOW_LAST_ID - DC_SHADOW_FIRST_ID + 1);
		return NULL;
	}
	*rc = resolve_needs(d, &image->elf.note, inst->imports, err);
	if (*rc)
		goto fail;
	inst->nr_imports = image->elf.note.nr_needs;
	conf.self_id = inst->owner.id;
	inst->mailbox = dt_arena_alloc_small(sizeof(*inst->mailbox), inst->owner.id);
	if (!inst->mailbox) {
		*rc = set_err(err, -ENOMEM, "out of memory");
		goto fail;
	}
	*rc = dt_image_map(image, &conf, &inst->map, err);
	if (*rc)
		goto fail;
	ret = dt_instance_call(inst, inst->map.base + image->elf.entry,
			       (uint64_t)(uintptr_t)&dt_services, (uint64_t)(uintptr_t)inst,
			       (uint64_t)(uintptr_t)params,
			       (uint64_t)(uintptr_t)&inst->mailbox->entry);
	/* A copy: the checks below must see what is used. */
	res = inst->mailbox->entry;
	if (inst->failed)
		*rc = set_err(err, -EIO, "domain faulted during its initialisation");
	else if (ret)
		*rc = set_err(err, ret < 0 && ret >= -4095 ? (int)ret : -EINVAL,
			      "domain initialisation failed (%ld)", ret);
	else
		*rc = take_entry_result(inst, &res, err);
	if (*rc)
		goto fail;
	return inst;
fail:
	instance_free(inst);
	return NULL;
}

/* The old instance exports its state as one object, which passes to the new one. */
static int transfer_state(struct dt_instance *old, struct dt_instance *new, char *err)
{
	dc_obj_t state;
	long ret;

	old->mailbox->state = 0;
	ret = dt_instance_call(old, old->state_export,
			       (uint64_t)(uintptr_t)&old->mailbox->state, 0, 0, 0);
	state = old->mailbox->state;
	if (ret || old->failed) {
		dt_obj_free_of(&old->owner, state);
		return set_err(err, old->failed ? -EIO : ret < 0 ? (int)ret : -EIO,
			       "old instance failed to export its state (%ld)", ret);
	}
	if (state && dt_obj_give(state, &old->owner, &new->owner))
		return set_err(err, -EPROTO, "old instance exported an object it does not own");
	ret = dt_instance_call(new, new->state_import, state, 0, 0, 0);
	if (ret || new->failed)
		return set_err(err, new->failed ? -EIO : ret < 0 ? (int)ret : -EIO,
			       "new instance failed to import the state (%ld)", ret);
	return 0;
}

/* Make @new (NULL: none) the instance calls reach; free the one it replaces. */
static void replace_instance(struct dt_domain *d, struct dt_instance *new)
{
	struct dt_instance *old = d->inst;

	claim_imports(new, 1);
	claim_imports(old, -1);
	d->inst = new;
	instance_free(old);
}

/* ------------------------------------------------------------------ */
/* Faults and the restart policy */

/*
 * "page fault at crash_write+0x1c: address 0x0", or "stray store at
 * crash_write+0x2e: address 0x7f..: 8 bytes into a red zone (past the end
 * of an object)", as src/fault.c says it.
 */
static void describe(const struct dt_instance *inst, const struct dt_frame *frame,
		     char *buf, size_t size)
{
	const char *sep = frame->fault_msg[0] ? ", " : "";
	char where[64];

	dt_symbolize(&inst->map, frame->fault_ip, where, sizeof(where));
	if (frame->fault == DT_FAULT_PAGE || frame->fault == DT_FAULT_STRAY)
		dt_fmt(buf, size, "%s at %s: address 0x%lx%s%s", dt_fault_name(frame->fault),
		       where, (unsigned long)frame->fault_addr, sep, frame->fault_msg);
	else if (frame->fault_msg[0])
		dt_fmt(buf, size, "%s at %s: %s", dt_fault_name(frame->fault), where,
			 frame->fault_msg);
	else
		dt_fmt(buf, size, "%s at %s", dt_fault_name(frame->fault), where);
}

void dt_instance_failed(struct dt_instance *inst, const struct dt_frame *frame)
{
	struct dt_domain *d = inst->dom;
	char what[DT_ERROR_MAX];

	describe(inst, frame, what, sizeof(what));
	if (d->inst != inst) {
		/* Being started or replaced: its starter sees inst->failed. */
		dt_logf("domain-test: %s.dom: %s (while starting or being replaced)",
			d->name, what);
		return;
	}
	d->faults++;
	snprintf(d->last_fault, sizeof(d->last_fault), "%s", what);
	d->state = DT_STATE_FAILED;
	dt_logf("domain-test: %s.dom: %s", d->name, what);
}

static bool restart_allowed(struct dt_domain *d, char *why)
{
	uint64_t now = dt_now_ns();

	if (d->restart == DT_RESTART_NEVER) {
		set_err(why, 0, "restart=never");
		return false;
	}
	if (now - d->window_start_ns > DT_RESTART_WINDOW_NS) {
		d->window_start_ns = now;
		d->window_restarts = 0;
	}
	if (d->restart == DT_RESTART_ON_FAILURE && d->window_restarts >= d->restart_max) {
		set_err(why, 0, "restart limit reached (%u in 60 s)", d->window_restarts);
		return false;
	}
	d->window_restarts++;
	return true;
}

static void stay_down(struct dt_domain *d, const char *why)
{
	replace_instance(d, NULL);
	d->state = DT_STATE_DOWN;
	dt_logf("domain-test: %s stays down: %s", d->name, why);
}

static int restart(struct dt_domain *d, char *err)
{
	struct dt_instance *new;
	int rc;

	new = instance_start(d, d->image, d->params, err, &rc);
	if (!new) {
		stay_down(d, err[0] ? err : "the new instance did not start");
		return rc;
	}
	replace_instance(d, new);
	d->state = DT_STATE_RUNNING;
	d->restarts++;
	dt_logf("domain-test: %s restarted (restart %llu)", d->name,
		(unsigned long long)d->restarts);
	return 0;
}

/*
 * When the outermost call ends: free what stores replaced, and apply the
 * restart policy to every domain whose instance failed.
 */
void dt_settle(void)
{
	static bool settling;
	char why[DT_ERROR_MAX];
	struct dt_domain *d;

	if (dt_current_frame || settling)
		return;
	settling = true;
	dt_heap_reap();
	for (d = domains; d; d = d->next) {
		if (d->state != DT_STATE_FAILED)
			continue;
		why[0] = '\0';
		if (restart_allowed(d, why))
			restart(d, why);
		else
			stay_down(d, why);
	}
	dt_heap_reap();
	settling = false;
}

int dt_restart(struct dt_domain *d, char *err_out)
{
	char buf[DT_ERROR_MAX], *err = err_out ? err_out : buf;
	int rc = restart(d, err);

	dt_settle();
	return rc;
}

/* ------------------------------------------------------------------ */
/* The proxy */

/* Undo the moves of objects 0..n-1 after a refusal. */
static void give_back(const uint64_t *args, unsigned int mask, unsigned int n,
		      struct dt_owner *from, struct dt_owner *to)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (mask & DC_ARG_OBJ(i))
			dt_obj_give(args[i], from, to);
}

static int pass_objects(const uint64_t *args, unsigned int mask,
			struct dt_owner *caller, struct dt_owner *callee)
{
	unsigned int i;

	for (i = 0; i < DC_MAX_ARGS; i++) {
		if (!(mask & DC_ARG_OBJ(i)))
			continue;
		if (dt_obj_give(args[i], caller, callee)) {
			give_back(args, mask, i, callee, caller);
			return -EACCES;
		}
	}
	return 0;
}

long dt_proxy_call(struct dt_domain *d, struct dt_owner *caller, unsigned int method,
		   uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	unsigned int mask = d->iface->masks[method];
	struct dt_instance *inst = d->inst;
	uint64_t args[DC_MAX_ARGS] = { a0, a1, a2, a3 };
	long ret;

	if (!inst)
		return -ENODEV;
	/* Awaiting its replacement: callers that cannot wait get -EIO. */
	if (inst->failed)
		return -EIO;
	d->calls++;
	if ((mask & (DC_RET_OBJ - 1)) && pass_objects(args, mask, caller, &inst->owner))
		return -EACCES;
	ret = dt_instance_call(inst, inst->ops[method], a0, a1, a2, a3);
	if ((mask & DC_RET_OBJ) && ret > 0 && dt_obj_give(ret, &inst->owner, caller)) {
		dt_logf("domain-test: %s returned object %ld, which it does not own",
			d->name, ret);
		ret = -EPROTO;
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Load, upgrade, unload */

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= DC_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-'))
			return false;
	return true;
}

static int domain_setup(struct dt_domain *d, const struct dt_image *image,
			const struct dt_load_opts *opts, char *err)
{
	const char *name = opts->name ? opts->name : image->elf.note.name;
	const char *params = opts->params ? opts->params : "";

	if (!valid_name(name))
		return set_err(err, -EINVAL, "bad domain name '%s' (use a-z, 0-9, '_', '-')", name);
	if (dt_find(name))
		return set_err(err, -EEXIST, "a domain named '%s' is already loaded", name);
	if (strlen(params) >= DC_PARAMS_MAX)
		return set_err(err, -EINVAL, "parameters longer than %d characters",
			       DC_PARAMS_MAX - 1);
	if (opts->call_budget_ms > DT_CALL_BUDGET_MAX_MS)
		return set_err(err, -EINVAL, "call budget above %d ms", DT_CALL_BUDGET_MAX_MS);
	strcpy(d->name, name);
	strcpy(d->params, params);
	d->iface = image->iface;
	d->budget_ms = opts->call_budget_ms ? opts->call_budget_ms : DT_CALL_BUDGET_MS;
	d->restart = opts->restart;
	d->restart_max = opts->restart_max ? opts->restart_max : 5;
	d->window_start_ns = dt_now_ns();
	/* A quarter of the memory, as the kernel's default mem_max. */
	d->quota.max = opts->mem_max ? opts->mem_max :
		       (uint64_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE) / 4;
	d->confine_off = opts->confine_off;
	if (dt_store_init(&d->store, &d->quota, d->name))
		return set_err(err, -ENOSPC,
			       "no owner id left for its state store: at most %u instances and state stores exist at once",
			       DC_SHADOW_LAST_ID - DC_SHADOW_FIRST_ID + 1);
	return 0;
}

/*
 * An image built without the store checks runs only if asked for
 * (confine=off), as the kernel has it: 0, or -EPERM.
 */
static int confinement_allowed(const struct dt_image *image, bool confine_off, char *err)
{
	if (image->elf.note.flags & DC_NOTE_F_CONFINED || confine_off)
		return 0;
	return set_err(err, -EPERM,
		       "image not built confined (its stores are unchecked): load it with confine=off to run it anyway");
}

/* Its instances come from @image from now on: say so if its stores are unchecked. */
static void note_unconfined(const struct dt_domain *d, const struct dt_image *image)
{
	if (!(image->elf.note.flags & DC_NOTE_F_CONFINED))
		dt_logf("domain-test: %s: running unconfined (confine=off): its stores are not checked",
			d->name);
}

struct dt_domain *dt_load(const char *path, const struct dt_load_opts *opts,
			  char *err_out)
{
	static const struct dt_load_opts defaults;
	char buf[DT_ERROR_MAX], *err = err_out ? err_out : buf;
	struct dt_domain *d = NULL, **tail;
	struct dt_instance *inst = NULL;
	struct dt_image *image;
	int rc;

	err[0] = '\0';
	rc = init_once(err);
	if (rc)
		goto fail;
	image = dt_image_read(path, err);
	if (!image) {
		rc = -errno;
		goto fail;
	}
	rc = confinement_allowed(image, opts && opts->confine_off, err);
	if (rc) {
		dt_image_free(image);
		goto fail;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		dt_image_free(image);
		rc = set_err(err, -ENOMEM, "out of memory");
		goto fail;
	}
	rc = domain_setup(d, image, opts ? opts : &defaults, err);
	if (!rc) {
		d->image = image;
		inst = instance_start(d, image, d->params, err, &rc);
	}
	/* The devices the block shim would create. */
	if (!rc && d->iface == dt_iface_find("block"))
		rc = dt_read_geometry(inst, &d->geometry, err);
	if (rc) {
		instance_free(inst);
		dt_store_release(&d->store);
		dt_image_free(image);
		free(d);
		goto fail;
	}
	replace_instance(d, inst);
	d->state = DT_STATE_RUNNING;
	for (tail = &domains; *tail; tail = &(*tail)->next)
		;
	*tail = d;
	note_unconfined(d, image);
	dt_logf("domain-test: loaded %s %s (interface %s v%u)", d->name,
		image->elf.note.version, d->iface->name, d->iface->version);
	dt_settle();
	return d;
fail:
	dt_settle();
	errno = -rc;
	return NULL;
}

int dt_upgrade(struct dt_domain *d, const char *path, const char *params,
	       char *err_out)
{
	char buf[DT_ERROR_MAX], *err = err_out ? err_out : buf;
	char why[DT_ERROR_MAX], new_params[DC_PARAMS_MAX];
	struct dt_instance *old = d->inst, *new;
	struct dt_block_geometry g;
	struct dt_image *image;
	bool stateful;
	int rc;

	err[0] = '\0';
	image = dt_image_read(path, err);
	if (!image)
		return -errno;
	rc = confinement_allowed(image, d->confine_off, err);
	if (rc)
		goto out_image;
	if (image->iface != d->iface) {
		rc = set_err(err, -EPROTONOSUPPORT,
			     "interface mismatch: the new image implements %s v%u, '%s' serves %s v%u",
			     image->iface->name, image->iface->version, d->name,
			     d->iface->name, d->iface->version);
		goto out_image;
	}
	/* Empty parameters keep the running ones. */
	if (snprintf(new_params, sizeof(new_params), "%s",
		     params && params[0] ? params : d->params) >= (int)sizeof(new_params)) {
		rc = set_err(err, -EINVAL, "parameters longer than %d characters",
			     DC_PARAMS_MAX - 1);
		goto out_image;
	}
	new = instance_start(d, image, new_params, why, &rc);
	if (!new) {
		set_err(err, rc, "new instance did not start: %s", why);
		goto out_image;
	}
	if (d->iface == dt_iface_find("block")) {
		rc = dt_read_geometry(new, &g, err);
		if (!rc && (g.nr_devices != d->geometry.nr_devices ||
			    g.block_size != d->geometry.block_size ||
			    g.capacity != d->geometry.capacity))
			rc = set_err(err, -EINVAL, "the new instance changes the devices");
		if (rc)
			goto out_new;
	}
	/* A failed or missing instance has nothing to hand over. */
	stateful = old && !old->failed && old->state_export;
	if (stateful && !new->state_import) {
		rc = set_err(err, -EPROTO,
			     "the new image cannot import the state the running one exports");
		goto out_new;
	}
	if (stateful) {
		rc = transfer_state(old, new, err);
		if (rc)
			goto out_new;
	}
	dt_logf("domain-test: upgraded %s %s -> %s (%s)", d->name,
		d->image->elf.note.version, image->elf.note.version,
		stateful ? "stateful" : "stateless");
	replace_instance(d, new);
	dt_image_free(d->image);
	d->image = image;
	note_unconfined(d, image);
	strcpy(d->params, new_params);
	d->upgrades++;
	d->state = DT_STATE_RUNNING;
	dt_settle();
	return 0;

out_new:
	instance_free(new);
out_image:
	dt_image_free(image);
	dt_settle();
	return rc;
}

static void users_of(const struct dt_domain *d, char *buf, size_t size)
{
	const struct dt_domain *u;
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (u = domains; u; u = u->next)
		for (i = 0; u->inst && i < u->inst->nr_imports; i++)
			if (u->inst->imports[i] == d && n < size)
				n += snprintf(buf + n, size - n, "%s%s", n ? ", " : "", u->name);
}

int dt_unload(struct dt_domain *d, char *err_out)
{
	char buf[DT_ERROR_MAX], *err = err_out ? err_out : buf;
	struct dt_domain **p;
	char users[64];
	size_t i;

	if (d->users) {
		users_of(d, users, sizeof(users));
		return set_err(err, -EBUSY, "'%s' is in use by %s (unload those first)",
			       d->name, users);
	}
	for (p = &domains; *p != d; p = &(*p)->next)
		;
	*p = d->next;
	for (i = 0; i < sizeof(chosen) / sizeof(chosen[0]); i++)
		if (chosen[i] == d)
			chosen[i] = NULL;
	replace_instance(d, NULL);
	dt_store_release(&d->store);
	dt_image_free(d->image);
	free(d);
	dt_heap_reap();
	return 0;
}

void dt_unload_all(void)
{
	struct dt_domain *d, *unused;

	do {
		unused = NULL;
		for (d = domains; d; d = d->next)
			if (!d->users)
				unused = d;	/* the last one: importers load last */
		if (unused)
			dt_unload(unused, NULL);
	} while (unused);
}

/* ------------------------------------------------------------------ */
/* Status */

const char *dt_state_name(enum dt_state state)
{
	switch (state) {
	case DT_STATE_RUNNING:
		return "running";
	case DT_STATE_FAILED:
		return "failed";
	case DT_STATE_DOWN:
		return "down";
	}
	return "?";
}

void dt_status(const struct dt_domain *d, struct dt_status *st)
{
	memset(st, 0, sizeof(*st));
	snprintf(st->name, sizeof(st->name), "%s", d->name);
	snprintf(st->iface, sizeof(st->iface), "%s", d->iface->name);
	snprintf(st->version, sizeof(st->version), "%s", d->image->elf.note.version);
	st->state = d->state;
	st->calls = d->calls;
	st->faults = d->faults;
	st->restarts = d->restarts;
	st->upgrades = d->upgrades;
	st->requeues = d->requeues;
	snprintf(st->last_fault, sizeof(st->last_fault), "%s", d->last_fault);
	st->confined = !!(d->image->elf.note.flags & DC_NOTE_F_CONFINED);
	st->mem_used = d->quota.used;
	st->objects = d->store.owner.nr_objects + (d->inst ? d->inst->owner.nr_objects : 0);
}
