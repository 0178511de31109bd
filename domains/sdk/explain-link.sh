#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# explain-link.sh LDERRORS NAME: after a failed link of domain image NAME,
# say what the linker's complaints (in the file LDERRORS) mean for a
# domain.  It explains; it checks nothing (the image rules are
# src/loader/elf_image.c's, applied by tools/dc-check-image).
set -eu

err=$1
name=$2
grep -q "dom__note" "$err" &&
	echo "error: $name: no domain note: use DOMAIN_DEFINE() or DOMAIN_DEFINE_STATEFUL() once" >&2
grep -q "dom_init" "$err" &&
	echo "error: $name: no dom_init(): every domain defines long dom_init(const char *params, struct dc_entry_result *out)" >&2
grep -E "undefined (reference|symbol)|isn't defined" "$err" |
	grep -Evq "dom__note|dom_init" &&
	echo "error: $name: undefined symbols: a domain may use only libdomain and the service table (no kernel or libc symbols)" >&2
exit 0
