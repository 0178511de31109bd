// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "diag.h"
#include "xalloc.h"

void diag_add(struct diag_list *list, unsigned line, const char *rule,
	      const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	if (list->count == list->capacity) {
		list->capacity = list->capacity ? 2 * list->capacity : 8;
		list->items = xreallocarray(list->items, list->capacity,
					    sizeof(*list->items));
	}
	d = &list->items[list->count++];
	d->line = line;
	d->rule = rule;
	va_start(ap, fmt);
	if (vasprintf(&d->message, fmt, ap) < 0)
		xalloc_die();
	va_end(ap);
}

void diag_free(struct diag_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i].message);
	free(list->items);
	list->items = NULL;
	list->count = list->capacity = 0;
}

int diag_has_line(const struct diag_list *list, unsigned line)
{
	for (size_t i = 0; i < list->count; i++)
		if (list->items[i].line == line)
			return 1;
	return 0;
}
