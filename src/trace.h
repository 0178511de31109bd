/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events of domain_core (tracefs events/domain_core/, perf trace,
 * trace-cmd).  Strings are fixed arrays rather than __string(): the
 * __assign_str() signature changed in 6.10, and names are short.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM domain_core

#if !defined(DC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define DC_TRACE_H

#include <linux/tracepoint.h>
#include "domain/limits.h"

TRACE_EVENT(domain_load,
	TP_PROTO(const char *name, const char *version, const char *iface),
	TP_ARGS(name, version, iface),
	TP_STRUCT__entry(
		__array(char, name, DC_NAME_MAX)
		__array(char, version, DC_NAME_MAX)
		__array(char, iface, DC_NAME_MAX)
	),
	TP_fast_assign(
		strscpy(__entry->name, name, DC_NAME_MAX);
		strscpy(__entry->version, version, DC_NAME_MAX);
		strscpy(__entry->iface, iface, DC_NAME_MAX);
	),
	TP_printk("%s %s iface=%s", __entry->name, __entry->version, __entry->iface)
);

TRACE_EVENT(domain_unload,
	TP_PROTO(const char *name),
	TP_ARGS(name),
	TP_STRUCT__entry(
		__array(char, name, DC_NAME_MAX)
	),
	TP_fast_assign(
		strscpy(__entry->name, name, DC_NAME_MAX);
	),
	TP_printk("%s", __entry->name)
);

TRACE_EVENT(domain_upgrade,
	TP_PROTO(const char *name, const char *from, const char *to,
		 bool stateful, u64 pause_ns),
	TP_ARGS(name, from, to, stateful, pause_ns),
	TP_STRUCT__entry(
		__array(char, name, DC_NAME_MAX)
		__array(char, from, DC_NAME_MAX)
		__array(char, to, DC_NAME_MAX)
		__field(bool, stateful)
		__field(u64, pause_ns)
	),
	TP_fast_assign(
		strscpy(__entry->name, name, DC_NAME_MAX);
		strscpy(__entry->from, from, DC_NAME_MAX);
		strscpy(__entry->to, to, DC_NAME_MAX);
		__entry->stateful = stateful;
		__entry->pause_ns = pause_ns;
	),
	TP_printk("%s %s -> %s %s pause_ns=%llu", __entry->name, __entry->from,
		  __entry->to, __entry->stateful ? "stateful" : "stateless",
		  __entry->pause_ns)
);

TRACE_EVENT(domain_fault,
	TP_PROTO(const char *name, const char *kind, const char *where),
	TP_ARGS(name, kind, where),
	TP_STRUCT__entry(
		__array(char, name, DC_NAME_MAX)
		__array(char, kind, 32)
		__array(char, where, 64)
	),
	TP_fast_assign(
		strscpy(__entry->name, name, DC_NAME_MAX);
		strscpy(__entry->kind, kind, 32);
		strscpy(__entry->where, where, 64);
	),
	TP_printk("%s kind=\"%s\" at %s", __entry->name, __entry->kind, __entry->where)
);

TRACE_EVENT(domain_restart,
	TP_PROTO(const char *name, u64 restarts, u64 recovery_ns),
	TP_ARGS(name, restarts, recovery_ns),
	TP_STRUCT__entry(
		__array(char, name, DC_NAME_MAX)
		__field(u64, restarts)
		__field(u64, recovery_ns)
	),
	TP_fast_assign(
		strscpy(__entry->name, name, DC_NAME_MAX);
		__entry->restarts = restarts;
		__entry->recovery_ns = recovery_ns;
	),
	TP_printk("%s restarts=%llu recovery_ns=%llu", __entry->name,
		  __entry->restarts, __entry->recovery_ns)
);

#endif /* DC_TRACE_H */

/* An out-of-tree module: the kernel finds this header next to the module's sources. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
