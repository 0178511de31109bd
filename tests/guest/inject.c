// SPDX-License-Identifier: GPL-2.0
/*
 * /dc/bin/inject in the test VM: the fault injector and its campaign
 * runner (tests/inject/, see dc-inject.c for the commands), with the
 * loader's own image validator.  tests/vm/run compiles every guest
 * program from one file, so this one includes the sources it is made of
 * (the harness puts src/ and tests/inject/ on the include path); the host
 * build of the same program is tests/inject/Makefile's.
 */
#define _GNU_SOURCE
#include "loader/elf_image.c"
#include "loader/image_sig.c"
#include "x86_insn.c"
#include "mutate.c"
#include "classify.c"
#include "campaign.c"
#include "dc-inject.c"
