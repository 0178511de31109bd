// SPDX-License-Identifier: GPL-2.0
#include "output.h"
#include "report.h"

void report_problems(const char *command, const char *thing,
		     const struct diag_list *problems)
{
	for (size_t i = 0; i < problems->count; i++)
		report_error(command, thing, "%s%s%s",
			     DIAG_RULE_PREFIX(&problems->items[i]),
			     problems->items[i].message);
}

void json_problems(struct json *j, const struct diag_list *problems)
{
	json_key(j, "problems");
	json_array_begin(j);
	for (size_t i = 0; i < problems->count; i++) {
		const struct diag *d = &problems->items[i];

		json_object_begin(j);
		if (d->rule)
			json_member_string(j, "rule", d->rule);
		if (d->line)
			json_member_u64(j, "line", d->line);
		json_member_string(j, "message", d->message);
		json_object_end(j);
	}
	json_array_end(j);
}

void json_note_members(struct json *j, const struct dc_note *note)
{
	json_member_string(j, "domain", note->name);
	json_member_string(j, "version", note->version);
	json_member_string(j, "iface", note->iface);
	json_member_u64(j, "iface_version", note->iface_version);
	json_member_u64(j, "abi_version", note->abi_version);
	json_member_bool(j, "stateful", note->flags & DC_NOTE_F_STATEFUL);
	json_member_bool(j, "confined", note->flags & DC_NOTE_F_CONFINED);
	json_key(j, "needs");
	json_array_begin(j);
	for (uint32_t i = 0; i < note->nr_needs && i < DC_MAX_NEEDS; i++) {
		json_object_begin(j);
		json_member_string(j, "iface", note->needs[i].iface);
		json_member_u64(j, "version", note->needs[i].version);
		json_object_end(j);
	}
	json_array_end(j);
}
