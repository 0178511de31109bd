#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lint-image.sh FILE [NAME]: build-hygiene checks of a linked domain image,
# on how its code was compiled.  These are not loader rules: the rules an
# image must follow to load live in src/loader/elf_image.c only, and the
# build applies them with tools/dc-check-image.  What is checked here
# needs a disassembler and is invisible to the loader:
#
#   - the entry point starts with endbr64 (the TCB calls it indirectly,
#     and IBT kernels insist);
#   - no FPU/SSE registers (kernel context saves none for a domain);
#   - every indirect call, jump and return goes through an inline thunk;
#   - no PLT (a call the static link could not bind).
#
# NAME is what to call the image in messages (default FILE).  Needs binutils.
set -eu

img=$1
name=${2:-$1}
READELF=${READELF:-readelf}
OBJDUMP=${OBJDUMP:-objdump}

fail() {
	echo "error: $name: $*" >&2
	exit 1
}

entry=$($READELF -hW "$img" | awk '/Entry point address/ { print $NF }')
$OBJDUMP -d --no-show-raw-insn --start-address="$entry" \
	--stop-address=$((entry + 4)) "$img" | grep -q endbr64 ||
	fail "the entry point does not start with endbr64 (build with -fcf-protection=branch)"

dis=$($OBJDUMP -d --no-show-raw-insn "$img")
echo "$dis" | grep -Eq '%([xyz]mm[0-9]|mm[0-7]|st\()' &&
	fail "uses FPU/SSE registers (build with -mgeneral-regs-only)"
echo "$dis" | grep -Eq '(call|jmp)q?[[:space:]]+\*' &&
	fail "indirect call or jump without a retpoline (build with -mindirect-branch=thunk-inline)"
bare=$(echo "$dis" | awk '
	/<[^>]+>:$/ { fn = $2 }
	$2 ~ /^retq?$/ && prev !~ /lea[[:space:]]+0x8\(%rsp\),%rsp/ &&
		prev !~ /mov[[:space:]]+%r[a-z0-9]+,\(%rsp\)/ { print fn; exit }
	{ prev = $0 }')
[ -z "$bare" ] ||
	fail "bare ret in $bare (build with -mfunction-return=thunk-inline)"

# A PLT appears only for functions the static link could not bind (a weak
# undefined one resolves to address 0).
$READELF -SW "$img" | grep -Eq '[[:space:]]\.plt' &&
	fail "has a PLT: a call to a weak or undefined function (domains have no dynamic linking)"

exit 0
