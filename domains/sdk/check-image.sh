#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-image.sh FILE [NAME]: refuse, at build time, a domain image that
# the TCB's loader would refuse or that breaks the domain rules.  NAME is
# what to call the image in messages (default FILE).  Needs binutils.
set -eu

# check-image.sh --explain-link LDERRORS NAME: after a failed link, say
# what the linker's complaints mean for a domain.
if [ "${1:-}" = --explain-link ]; then
	err=$2
	name=$3
	grep -q "dom__note" "$err" &&
		echo "error: $name: no domain note: use DOMAIN_DEFINE() or DOMAIN_DEFINE_STATEFUL() once" >&2
	grep -q "dom_init" "$err" &&
		echo "error: $name: no dom_init(): every domain defines long dom_init(const char *params, struct dc_entry_result *out)" >&2
	grep -E "undefined (reference|symbol)|isn't defined" "$err" |
		grep -Evq "dom__note|dom_init" &&
		echo "error: $name: undefined symbols: a domain may use only libdomain and the service table (no kernel or libc symbols)" >&2
	exit 0
fi

img=$1
name=${2:-$1}
READELF=${READELF:-readelf}
NM=${NM:-nm}
OBJDUMP=${OBJDUMP:-objdump}

fail() {
	echo "error: $name: $*" >&2
	exit 1
}

hdr=$($READELF -hW "$img") || fail "not an ELF file"
echo "$hdr" | grep -q 'Type:[[:space:]]*DYN' ||
	fail "not ET_DYN: link with -static -pie (sdk/domain.mk does)"
echo "$hdr" | grep -q 'Machine:.*X86-64' || fail "not an x86-64 image"

# No undefined symbols: a domain reaches the kernel only through the
# service table, never by symbol.
undef=$($NM -u "$img" | awk '{ print $NF }' | tr '\n' ' ')
case " $undef" in
*" dom__note "*) fail "no domain note: use DOMAIN_DEFINE() or DOMAIN_DEFINE_STATEFUL() once";;
*" dom_init "*) fail "no dom_init(): every domain defines long dom_init(const char *params, struct dc_entry_result *out)";;
esac
[ -z "$undef" ] ||
	fail "undefined symbol(s): ${undef}(domains may use only libdomain and the service table)"

# Only the relocation types the loader applies.
bad=$($READELF -rW "$img" | awk '
	$1 ~ /^[0-9a-f]+$/ && NF >= 3 &&
	$3 !~ /^R_X86_64_(RELATIVE|64|GLOB_DAT|JUMP_SLOT|NONE)$/ { print $3 }' |
	sort -u | tr '\n' ' ')
[ -z "$bad" ] ||
	fail "relocation type(s) the loader does not handle: ${bad}(build with -fPIE, link with sdk/domain.lds)"

# Segments: page-aligned PT_LOADs, none writable and executable, no TLS,
# no interpreter, exactly one PT_NOTE and one PT_DYNAMIC.
err=$($READELF -lW "$img" | awk '
	$1 ~ /^(LOAD|TLS|INTERP|NOTE|DYNAMIC|GNU_[A-Z_]+|[A-Z_]+)$/ && $2 ~ /^0x/ {
		flags = ""
		for (i = 7; i < NF; i++)
			flags = flags $i
		if ($1 == "LOAD") {
			loads++
			if (flags ~ /W/ && flags ~ /E/)
				print "writable and executable segment at " $3
			if ($3 !~ /000$/ || $NF != "0x1000")
				print "segment at " $3 " not 4096-aligned"
		}
		if ($1 == "TLS")
			print "thread-local storage (no TLS in domains)"
		if ($1 == "INTERP")
			print "has an interpreter (link with --no-dynamic-linker)"
		if ($1 == "NOTE")
			notes++
		if ($1 == "DYNAMIC")
			dyn++
	}
	END {
		if (!loads)
			print "no loadable segment"
		if (notes != 1)
			print "needs exactly one PT_NOTE (the domain note)"
		if (dyn != 1)
			print "needs exactly one PT_DYNAMIC"
	}' | head -n 1)
[ -z "$err" ] || fail "$err"

sections=$($READELF -SW "$img")
echo "$sections" | grep -Eq '[[:space:]]\.t(data|bss)([[:space:]]|\.)' &&
	fail "thread-local storage (no TLS in domains)"
# A PLT appears only for functions the static link could not bind (a weak
# undefined one resolves to address 0).
echo "$sections" | grep -Eq '[[:space:]]\.plt' &&
	fail "has a PLT: a call to a weak or undefined function (domains have no dynamic linking)"

# The note: DOMAIN_DEFINE(...) emits it.
$READELF -nW "$img" 2>/dev/null | grep -Eq '^[[:space:]]*domain[[:space:]].*0x444f4d31' ||
	fail "no domain note (use DOMAIN_DEFINE or DOMAIN_DEFINE_STATEFUL)"

# The entry point is libdomain's, and starts with endbr64: the TCB calls
# it indirectly and IBT kernels insist.
entry=$(echo "$hdr" | awk '/Entry point address/ { print $NF }')
sym=$($NM "$img" | awk '$3 == "dc_domain_entry" { print $1 }')
[ -n "$sym" ] && [ "$(printf '%d' "$entry")" = "$(printf '%d' "0x$sym")" ] ||
	fail "entry point is not dc_domain_entry"

dis=$($OBJDUMP -d --no-show-raw-insn "$img")
echo "$dis" | grep -A1 '<dc_domain_entry>:' | grep -q endbr64 ||
	fail "dc_domain_entry does not start with endbr64 (build with -fcf-protection=branch)"

# Kernel context: no FPU/vector registers; every indirect branch and
# return goes through a self-contained (inline) thunk.
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

exit 0
