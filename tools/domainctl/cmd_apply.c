// SPDX-License-Identifier: GPL-2.0
/*
 * apply: make the running domains match domains.conf.  Read and check
 * everything first (config, images, running set), plan with the pure
 * planner, then run the plan; a bad line or a failed action never stops
 * the others.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "apply_plan.h"
#include "cli.h"
#include "config.h"
#include "domain_ops.h"
#include "domain_status.h"
#include "image_record.h"
#include "json.h"
#include "output.h"
#include "paths.h"
#include "report.h"
#include "xalloc.h"

/* One config entry with its image. */
struct wanted {
	struct config_entry *entry;
	struct image_file img;		/* fd -1 unless the entry is usable */
};

enum action_state {
	ACTION_PLANNED,			/* not run: --dry-run, or an unload to retry */
	ACTION_DONE,
	ACTION_FAILED,
	ACTION_SKIPPED,			/* what it needs did not come up */
};

struct action_outcome {
	enum action_state state;
	char error[CAUSE_LEN];
	struct upgrade_result upgrade;
};

struct apply {
	struct cli *cli;
	const char *file;
	bool remove;
	bool dry_run;
	struct config cfg;
	struct wanted *wanted;		/* one per cfg entry */
	struct domain_list running;
	struct image_record *records;	/* one per running domain */
	bool *has_record;
	struct plan plan;
	struct action_outcome *outcomes;	/* one per plan action */
	int control_fd;
	char control_error[CAUSE_LEN];
	/* Domains up now (name, iface), to see if an import is served. */
	struct live {
		char name[DC_NAME_MAX];
		char iface[DC_NAME_MAX];
	} *live;
	size_t nr_live;
};

/*
 * A relative IMAGE is looked up in this kernel's image directory, then in
 * the kernel-independent one.  Returns 0, or -1 with @why.
 */
static int resolve_image(const char *image, char path[PATH_MAX], char *why,
			 size_t why_len)
{
	char per_kernel[PATH_MAX], shared[PATH_MAX];
	struct utsname uts;

	if (image[0] == '/') {
		snprintf(path, PATH_MAX, "%s", image);
		return 0;
	}
	if (uname(&uts) < 0 ||
	    !system_pathf(per_kernel, "%s/%s/domains/%s", IMAGE_DIR_BASE,
			  uts.release, image) ||
	    !system_pathf(shared, "%s/domains/%s", IMAGE_DIR_BASE, image)) {
		snprintf(why, why_len, "image path '%s' is too long", image);
		return -1;
	}
	if (access(per_kernel, F_OK) == 0) {
		snprintf(path, PATH_MAX, "%s", per_kernel);
		return 0;
	}
	if (access(shared, F_OK) == 0) {
		snprintf(path, PATH_MAX, "%s", shared);
		return 0;
	}
	snprintf(why, why_len, "image '%s' is in neither %s/%s/domains/ nor %s/domains/",
		 image, IMAGE_DIR_BASE, uts.release, IMAGE_DIR_BASE);
	return -1;
}

/* Open and verify the image of every usable entry; reject bad ones. */
static void open_images(struct apply *a)
{
	a->wanted = xcalloc(a->cfg.count, sizeof(*a->wanted));
	for (size_t i = 0; i < a->cfg.count; i++) {
		struct wanted *w = &a->wanted[i];
		struct config_entry *e = &a->cfg.entries[i];
		char path[PATH_MAX], why[PATH_MAX + 128];

		w->entry = e;
		w->img.fd = -1;
		if (!e->usable)
			continue;
		if (resolve_image(e->image, path, why, sizeof(why)) < 0) {
			config_entry_reject(&a->cfg, e, "%s", why);
			continue;
		}
		if (image_file_open(&w->img, path) == 0)
			continue;
		for (size_t p = 0; p < w->img.check.problems.count; p++)
			config_entry_reject(&a->cfg, e, "image %s: %s%s%s", path,
					    DIAG_RULE_PREFIX(&w->img.check.problems.items[p]),
					    w->img.check.problems.items[p].message);
	}
}

static void read_records(struct apply *a)
{
	a->records = xcalloc(a->running.count, sizeof(*a->records));
	a->has_record = xcalloc(a->running.count, sizeof(*a->has_record));
	for (size_t r = 0; r < a->running.count; r++)
		a->has_record[r] = image_record_read(a->running.items[r].name,
						     &a->records[r]) == 0;
}

static void build_plan(struct apply *a)
{
	struct plan_desired *desired = xcalloc(a->cfg.count, sizeof(*desired));
	struct plan_running *running = xcalloc(a->running.count,
					       sizeof(*running));

	for (size_t i = 0; i < a->cfg.count; i++) {
		const struct config_entry *e = &a->cfg.entries[i];
		const struct dc_note *note = &a->wanted[i].img.check.note;
		struct plan_desired *d = &desired[i];

		d->name = e->name;
		d->line = e->line;
		d->usable = e->usable;
		if (!e->usable)
			continue;
		d->iface = note->iface;
		d->version = note->version;
		d->params = e->params;
		d->fingerprint = a->wanted[i].img.check.fingerprint;
		for (uint32_t n = 0; n < note->nr_needs; n++)
			d->needs[d->nr_needs++] = note->needs[n].iface;
	}
	for (size_t r = 0; r < a->running.count; r++) {
		const struct domain_status *s = &a->running.items[r];
		struct plan_running *p = &running[r];

		p->name = s->name;
		p->iface = s->iface;
		p->version = s->version;
		p->params = s->params;
		p->users = (uint32_t)s->users;
		p->has_record = a->has_record[r];
		if (!p->has_record)
			continue;
		p->fingerprint = a->records[r].fingerprint;
		for (size_t n = 0; n < a->records[r].nr_needs; n++)
			p->needs[p->nr_needs++] = a->records[r].needs[n];
	}
	plan_build(&a->plan, desired, a->cfg.count, running, a->running.count,
		   a->remove);
	free(desired);
	free(running);
}

static void live_add(struct apply *a, const char *name, const char *iface)
{
	struct live *l;

	a->live = xreallocarray(a->live, a->nr_live + 1, sizeof(*a->live));
	l = &a->live[a->nr_live++];
	snprintf(l->name, sizeof(l->name), "%s", name);
	snprintf(l->iface, sizeof(l->iface), "%s", iface);
}

static void live_remove(struct apply *a, const char *name)
{
	for (size_t i = 0; i < a->nr_live; i++) {
		if (strcmp(a->live[i].name, name) == 0) {
			a->live[i] = a->live[--a->nr_live];
			return;
		}
	}
}

/* The first import of @note that no live domain serves, or NULL. */
static const char *missing_import(const struct apply *a,
				  const struct dc_note *note)
{
	for (uint32_t n = 0; n < note->nr_needs; n++) {
		bool served = false;

		for (size_t i = 0; i < a->nr_live && !served; i++)
			served = strcmp(a->live[i].iface, note->needs[n].iface) == 0;
		if (!served)
			return note->needs[n].iface;
	}
	return NULL;
}

/* The control device, opened once for all actions. */
static int control_fd(struct apply *a, char cause[CAUSE_LEN])
{
	if (a->control_fd < 0 && !a->control_error[0])
		a->control_fd = control_open(true, a->control_error);
	if (a->control_fd < 0)
		snprintf(cause, CAUSE_LEN, "%s", a->control_error);
	return a->control_fd;
}

static void run_action(struct apply *a, size_t i)
{
	const struct plan_action *act = &a->plan.actions[i];
	struct action_outcome *out = &a->outcomes[i];
	const struct wanted *w = act->kind == PLAN_UNLOAD ? NULL :
				 &a->wanted[act->desired];
	const char *name = w ? w->entry->name : a->running.items[act->running].name;
	const char *missing = w ? missing_import(a, &w->img.check.note) : NULL;
	int fd, err;

	if (missing) {
		out->state = ACTION_SKIPPED;
		snprintf(out->error, sizeof(out->error),
			 "not %s: no running domain implements interface '%s', which it imports",
			 act->kind == PLAN_LOAD ? "loaded" : "upgraded", missing);
		return;
	}
	fd = control_fd(a, out->error);
	if (fd < 0) {
		out->state = ACTION_FAILED;
		return;
	}
	switch (act->kind) {
	case PLAN_LOAD:
		err = domain_load("apply", fd, &w->img, name, w->entry->params,
				  &w->entry->restart, &w->entry->limits,
				  out->error);
		if (!err)
			live_add(a, name, w->img.check.note.iface);
		break;
	case PLAN_UPGRADE:
		err = domain_upgrade("apply", fd, &w->img, name,
				     w->entry->params,
				     limit_opts_load_flags(&w->entry->limits),
				     &out->upgrade, out->error);
		break;
	case PLAN_UNLOAD:
		err = domain_unload(fd, name, out->error);
		if (!err)
			live_remove(a, name);
		else if (errno == EBUSY)
			err = -EBUSY;
		break;
	default:
		err = -1;
	}
	out->state = err ? ACTION_FAILED : ACTION_DONE;
	if (err == -EBUSY)
		out->state = ACTION_PLANNED;	/* retried below */
}

static void run_plan(struct apply *a)
{
	bool progress = true;

	for (size_t r = 0; r < a->running.count; r++)
		live_add(a, a->running.items[r].name, a->running.items[r].iface);
	/*
	 * Unloads first.  One refused as busy (a domain domainctl did not load
	 * imports it, so the planner could not order it) is retried after the
	 * others, as long as that helps.
	 */
	for (size_t i = 0; i < a->plan.count; i++)
		if (a->plan.actions[i].kind == PLAN_UNLOAD)
			run_action(a, i);
	while (progress) {
		progress = false;
		for (size_t i = 0; i < a->plan.count; i++) {
			if (a->plan.actions[i].kind != PLAN_UNLOAD ||
			    a->outcomes[i].state != ACTION_PLANNED)
				continue;
			run_action(a, i);
			progress = progress || a->outcomes[i].state == ACTION_DONE;
		}
	}
	for (size_t i = 0; i < a->plan.count; i++) {
		if (a->plan.actions[i].kind == PLAN_UNLOAD &&
		    a->outcomes[i].state == ACTION_PLANNED)
			a->outcomes[i].state = ACTION_FAILED;	/* still busy */
		else if (a->plan.actions[i].kind != PLAN_UNLOAD)
			run_action(a, i);
	}
}

static const char *action_name(const struct apply *a,
			       const struct plan_action *act)
{
	return act->kind == PLAN_UNLOAD ? a->running.items[act->running].name :
					  a->wanted[act->desired].entry->name;
}

static void print_action_text(const struct apply *a, size_t i)
{
	const struct plan_action *act = &a->plan.actions[i];
	const struct action_outcome *out = &a->outcomes[i];
	const char *name = action_name(a, act);
	const struct image_file *img = act->kind == PLAN_UNLOAD ? NULL :
				       &a->wanted[act->desired].img;

	switch (out->state) {
	case ACTION_PLANNED:
		if (act->kind == PLAN_LOAD)
			printf("would load %s %s (iface %s v%u) from %s\n",
			       name, img->check.note.version,
			       img->check.note.iface,
			       img->check.note.iface_version, img->path);
		else
			printf("would %s %s (%s)\n", plan_kind_name(act->kind),
			       name, act->reason);
		break;
	case ACTION_DONE:
		if (act->kind == PLAN_LOAD)
			print_loaded(name, &img->check.note);
		else if (act->kind == PLAN_UPGRADE)
			print_upgraded(name, &out->upgrade);
		else
			printf("unloaded %s\n", name);
		break;
	case ACTION_FAILED:
	case ACTION_SKIPPED:
		report_error("apply", name, "%s", out->error);
		break;
	}
}

/* Config and plan problems, in line order (stable: same line, same order). */
static struct diag_list all_problems(const struct apply *a)
{
	struct diag_list all = { 0 };
	const struct diag_list *lists[] = { &a->cfg.problems, &a->plan.problems };

	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->count; i++)
			diag_add(&all, lists[l]->items[i].line, NULL, "%s",
				 lists[l]->items[i].message);
	/* Insertion sort: few problems, and it keeps equal lines in order. */
	for (size_t i = 1; i < all.count; i++) {
		struct diag d = all.items[i];
		size_t k = i;

		for (; k > 0 && all.items[k - 1].line > d.line; k--)
			all.items[k] = all.items[k - 1];
		all.items[k] = d;
	}
	return all;
}

static const char *const state_names[] = {
	[ACTION_PLANNED] = "planned",
	[ACTION_DONE] = "done",
	[ACTION_FAILED] = "failed",
	[ACTION_SKIPPED] = "skipped",
};

static void print_json(const struct apply *a, const struct diag_list *problems,
		       bool ok)
{
	struct json j;

	json_init(&j, stdout);
	json_object_begin(&j);
	json_member_string(&j, "command", "apply");
	json_member_string(&j, "file", a->file);
	json_member_bool(&j, "dry_run", a->dry_run);
	json_member_bool(&j, "remove", a->remove);
	json_member_bool(&j, "ok", ok);
	json_problems(&j, problems);
	json_key(&j, "actions");
	json_array_begin(&j);
	for (size_t i = 0; i < a->plan.count; i++) {
		const struct plan_action *act = &a->plan.actions[i];
		const struct action_outcome *out = &a->outcomes[i];

		json_object_begin(&j);
		json_member_string(&j, "action", plan_kind_name(act->kind));
		json_member_string(&j, "name", action_name(a, act));
		json_member_string(&j, "reason", act->reason);
		if (act->kind != PLAN_UNLOAD) {
			const struct image_file *img = &a->wanted[act->desired].img;

			json_member_string(&j, "image", img->path);
			json_member_string(&j, "version", img->check.note.version);
			json_member_u64(&j, "line", a->wanted[act->desired].entry->line);
		}
		json_member_string(&j, "result", state_names[out->state]);
		if (out->state == ACTION_FAILED || out->state == ACTION_SKIPPED)
			json_member_string(&j, "error", out->error);
		if (act->kind == PLAN_UPGRADE && out->state == ACTION_DONE) {
			json_member_string(&j, "old_version", out->upgrade.old_version);
			json_member_string(&j, "new_version", out->upgrade.new_version);
			json_member_u64(&j, "pause_ns", out->upgrade.pause_ns);
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}

/*
 * A configured domain that is down (faulted, not restarted) counts as
 * running for the plan, since its name is taken; say how to revive it.
 */
static void warn_down_domains(const struct apply *a)
{
	for (size_t i = 0; i < a->cfg.count; i++) {
		const struct config_entry *e = &a->cfg.entries[i];
		const struct domain_status *s = domain_list_find(&a->running,
								 e->name);

		if (e->usable && s && status_known(s, "state") &&
		    strcmp(s->state, "down") == 0)
			report_warning("apply", e->name,
				       "is down after a fault; 'domainctl unload %s' and apply again to restart it",
				       e->name);
	}
}

static void apply_free(struct apply *a)
{
	for (size_t i = 0; a->wanted && i < a->cfg.count; i++)
		image_file_close(&a->wanted[i].img);
	free(a->wanted);
	free(a->records);
	free(a->has_record);
	free(a->outcomes);
	free(a->live);
	plan_free(&a->plan);
	domain_list_free(&a->running);
	config_free(&a->cfg);
	if (a->control_fd >= 0)
		close(a->control_fd);
}

int cmd_apply(struct cli *cli, int argc, char **argv)
{
	enum { OPT_REMOVE = 0x200, OPT_DRY_RUN };
	static const struct option options[] = {
		{ "remove", no_argument, NULL, OPT_REMOVE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct apply a = { .cli = cli, .control_fd = -1 };
	char default_file[PATH_MAX], cause[CAUSE_LEN];
	struct diag_list problems;
	bool ok = true;
	int opt, err;

	cli_getopt_start();
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		int status;

		if (opt == OPT_REMOVE) {
			a.remove = true;
			continue;
		}
		if (opt == OPT_DRY_RUN) {
			a.dry_run = true;
			continue;
		}
		status = cli_common_option(cli, "apply", opt, argv);
		if (status >= 0)
			return status;
	}
	if (argc - optind > 1)
		return usage_error("apply", "at most one FILE");
	a.file = optind < argc ? argv[optind] :
		 system_path(default_file, CONFIG_DEFAULT_PATH);
	if (!a.file)
		return usage_error("apply", "DOMAINCTL_ROOT is too long");

	err = config_read_file(&a.cfg, a.file);
	if (err) {
		report_error("apply", a.file, "%s", strerror(-err));
		return EXIT_PROBLEM;
	}
	if (domain_list_read(&a.running, cause) < 0) {
		report_error("apply", "", "%s", cause);
		apply_free(&a);
		return EXIT_PROBLEM;
	}
	open_images(&a);
	read_records(&a);
	build_plan(&a);
	warn_down_domains(&a);
	a.outcomes = xcalloc(a.plan.count, sizeof(*a.outcomes));
	if (!a.dry_run)
		run_plan(&a);

	problems = all_problems(&a);
	for (size_t i = 0; i < problems.count; i++) {
		char where[PATH_MAX + 16];

		snprintf(where, sizeof(where), "%s:%u", a.file,
			 problems.items[i].line);
		report_error("apply", where, "%s", problems.items[i].message);
	}
	ok = problems.count == 0;
	for (size_t i = 0; i < a.plan.count; i++) {
		if (!cli->json)
			print_action_text(&a, i);
		if (a.outcomes[i].state == ACTION_FAILED ||
		    a.outcomes[i].state == ACTION_SKIPPED)
			ok = false;
	}
	if (!cli->json && a.dry_run && a.plan.count == 0)
		printf("nothing to do\n");
	if (cli->json)
		print_json(&a, &problems, ok);
	diag_free(&problems);
	apply_free(&a);
	return ok ? EXIT_SUCCESS : EXIT_PROBLEM;
}
