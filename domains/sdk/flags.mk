# SPDX-License-Identifier: GPL-2.0
#
# Compiler and linker flags for code that runs inside a domain (libdomain
# and every domain).  Included by sdk/Makefile and sdk/domain.mk.  Works
# with gcc 10 (bullseye), 12 (bookworm) and 14 (trixie).

# Where the parts of the SDK are.  In the source tree everything is below
# domains/sdk/ and libdomain and the tools are built on demand; the
# installed SDK (domain-core-dev) sets these first, in
# /usr/share/domain-core/domain.mk, with DOM_PREBUILT=1.
ifndef DOM_SDK
DOM_SDK := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
endif
DOM_INCLUDE ?= $(DOM_SDK)/include
DOM_LIB ?= $(DOM_SDK)/lib/libdomain.a
DOM_LDS ?= $(DOM_SDK)/domain.lds
# After linking: the loader's rules (the kernel's validator, built for the
# host), then build hygiene (lint-image.sh); explain-link.sh words a
# failed link.
DOM_CHECK ?= $(DOM_SDK)/tools/dc-check-image
DOM_LINT ?= $(DOM_SDK)/lint-image.sh
DOM_EXPLAIN_LINK ?= $(DOM_SDK)/explain-link.sh
# "make sign": removes an image's signature before it is signed again.
DOM_UNSIGN ?= $(DOM_SDK)/tools/dc-unsign
# "make dkms-build": how DKMS signs modules (the key, certificate,
# sign-file and hash), so that images are signed with the same key.
DOM_DKMS_SIGNING ?= $(abspath $(DOM_SDK)/../../scripts/dkms-signing)
# The userspace test runner, for a domain's own test target:
# $(DOM_TEST) IMAGE COMMAND...  In the tree it is tools/domain-test's
# (make -C tools/domain-test builds it); the installed SDK's is on the PATH.
DOM_TEST ?= $(abspath $(DOM_SDK)/../../tools/domain-test/domain-test)

# Quiet by default, like kbuild; V=1 shows the full command lines.
ifeq ($(V),1)
Q :=
dom_quiet =
else
Q := @
dom_quiet = @printf '  %-7s %s\n' '$(1)' '$(2)'
endif

# make's built-in defaults (cc, ld, ar) are what we want, but a parent
# make run with -R (kbuild does) removes them.
ifeq ($(origin CC),undefined)
CC := gcc
endif
ifeq ($(origin LD),undefined)
LD := ld
endif
ifeq ($(origin AR),undefined)
AR := ar
endif
READELF ?= readelf
OBJDUMP ?= objdump
export READELF OBJDUMP

# Kernel context: no FPU/SSE state is saved for us.  -mgeneral-regs-only
# exists since gcc 7; the fallback covers other compilers.
DOM_NOFPU := $(shell $(CC) -Werror -mgeneral-regs-only -c -x c /dev/null \
	-o /dev/null >/dev/null 2>&1 && echo -mgeneral-regs-only || \
	echo -mno-sse -mno-sse2 -mno-mmx -mno-avx -mno-80387 -msoft-float)

# The stack check (lib/stack.c): every function starts with a call to
# __fentry__, before its frame, and no frame may be larger than
# DOM_FRAME_MAX (domain/domain.h) or variable in size.
DOM_STACK_CHECK := -pg -mfentry -Werror=frame-larger-than=2048 -Werror=vla \
	-Werror=alloca

# Confinement (lib/asan.c): the compiler checks every store before it
# happens, through a call (callback mode), against the memory the
# instance owns.  Loads are not checked, nor globals and stack slots the
# compiler itself can see are in bounds (its own frame: asan-stack=0 only
# drops the red zones ASan would add around them).
DOM_CONFINE := -fsanitize=kernel-address \
	--param asan-instrumentation-with-call-threshold=0 \
	--param asan-instrument-reads=0 --param asan-stack=0 \
	--param asan-globals=0

DOM_CFLAGS_BASE := -std=gnu11 -O2 -Wall -Wextra -Werror \
	-ffreestanding -fPIE -fvisibility=hidden \
	-nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-I$(DOM_INCLUDE) \
	-mno-red-zone $(DOM_NOFPU) \
	-fcf-protection=branch \
	-mindirect-branch=thunk-inline -mfunction-return=thunk-inline \
	-mindirect-branch-register \
	-fstack-protector-strong -mstack-protector-guard=global \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-fno-common -fno-jump-tables -fno-strict-aliasing \
	-fno-delete-null-pointer-checks \
	-ffunction-sections -fdata-sections \
	$(DOM_STACK_CHECK)

DOM_CFLAGS := $(DOM_CFLAGS_BASE) $(DOM_CONFINE)


DOM_LDFLAGS := -static -pie --no-dynamic-linker \
	-z noexecstack -z max-page-size=4096 -z common-page-size=4096 \
	-z norelro -z text --build-id=none --gc-sections -T $(DOM_LDS)
