/* SPDX-License-Identifier: GPL-2.0 */
/* log: write records to the kernel log.  Stateless. */
#ifndef DOMAIN_IFACE_LOG_H
#define DOMAIN_IFACE_LOG_H

#include "../iface.h"

#define DC_IFACE_log_VERSION	1
/*
 * write: log the bytes of @record (DC_OBJ_BYTES, consumed) at @level.
 * Returns the number of bytes logged.
 */
#define DC_IFACE_log(M, X)						\
	M(X, long, write, DC_ARG_OBJ(1), (int level, dc_obj_t record), (level, record))

DC_DECLARE_IFACE(log);

#endif
