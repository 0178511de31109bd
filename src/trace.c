// SPDX-License-Identifier: GPL-2.0
/* The trace events of trace.h, instantiated once. */
#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
