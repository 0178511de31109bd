/* SPDX-License-Identifier: GPL-2.0 */
/* Every interface the TCB knows.  Add a new one here and in its header. */
#ifndef DOMAIN_IFACE_ALL_H
#define DOMAIN_IFACE_ALL_H

#include "log.h"
#include "file.h"
#include "bench.h"
#include "block.h"

#define DC_ALL_IFACES(I)	I(log) I(file) I(bench) I(block)

#endif
