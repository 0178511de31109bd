#!/bin/bash
# tests/unit/iface-docs.sh [--print]: docs/interfaces.md against the
# interface declarations (domains/sdk/include/domain/iface/*.h, the
# X-macros every other use is generated from).
#
# A small program built from the declarations lists every interface of
# DC_ALL_IFACES with its version and every method with its parameters and
# ownership mask.  docs/interfaces.md must have, for each interface, the
# heading "## NAME (version N)", and for each method a section
# "### NAME.METHOD" holding the lines
#
#	long METHOD(PARAMETERS)
#	Ownership: ...
#
# exactly as the declaration gives them (the ownership line says which
# parameters pass to the callee and whether the result passes to the
# caller); and no interface or method heading the declarations do not
# have.  So a method added, renamed, re-typed or given other ownership
# fails this test until the contract is written down.  --print prints the
# expected lines.  Output: "PASS unit/iface-docs-..." or "FAIL ...: why".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
doc=$top/docs/interfaces.md
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT

cat >"$t/gen.c" <<'C'
#include <stdio.h>
#include <string.h>
#include "domain/iface/all.h"

/* "Ownership: ..." for a method: the parameters the mask marks, by name. */
static void ownership(const char *params, unsigned int mask)
{
	char buf[256], *p, *names[DC_MAX_ARGS] = { 0 };
	int n = 0, any = 0;

	snprintf(buf, sizeof(buf), "%s", params + 1);	/* without "(" */
	buf[strlen(buf) - 1] = '\0';			/* nor ")" */
	for (p = strtok(buf, ","); p && n < DC_MAX_ARGS; p = strtok(NULL, ",")) {
		char *name = strrchr(p, ' ');
		names[n++] = name ? name + 1 : p;
	}
	printf("Ownership:");
	for (int i = 0; i < n; i++)
		if (mask & DC_ARG_OBJ(i)) {
			printf("%s `%s` passes to the callee", any ? ";" : "", names[i]);
			any = 1;
		}
	if (mask & DC_RET_OBJ) {
		printf("%s a positive result is an object that passes to the caller", any ? ";" : "");
		any = 1;
	}
	printf("%s\n", any ? "" : " none (no objects)");
}

#define METHOD(X, ret, name, mask, params, args)			\
	printf("method " #X "." #name "\n" #ret " " #name "%s\n", #params); \
	ownership(#params, mask);
#define IFACE(X)							\
	printf("iface " #X " %d\n", DC_IFACE_##X##_VERSION);		\
	DC_IFACE_##X(METHOD, X)

int main(void)
{
	DC_ALL_IFACES(IFACE)
	return 0;
}
C
if ! cc -std=c11 -Wall -Werror -I"$top/domains/sdk/include" -o "$t/gen" "$t/gen.c" 2>"$t/cc.log"; then
	echo "FAIL unit/iface-docs-build: $(head -n 3 "$t/cc.log" | tr '\n' ' ')"
	exit 1
fi
"$t/gen" >"$t/decl"
if [ "${1:-}" = --print ]; then
	cat "$t/decl"
	exit 0
fi
if [ ! -f "$doc" ]; then
	echo "FAIL unit/iface-docs: no docs/interfaces.md"
	exit 1
fi

st=0
fail() { echo "FAIL unit/iface-docs-$1: $2"; st=1; }
# section NAME: the lines of "### NAME" up to the next heading.
section() {
	awk -v h="### $1" '$0 == h { on = 1; next } /^#/ { on = 0 } on' "$doc"
}
ifaces=() methods=()
while IFS= read -r line; do
	case $line in
	"iface "*)
		set -- $line
		ifaces+=("$2")
		if grep -qxF "## $2 (version $3)" "$doc"; then
			echo "PASS unit/iface-docs-$2-version"
		else
			fail "$2-version" "no heading '## $2 (version $3)' in docs/interfaces.md"
		fi ;;
	"method "*)
		m=${line#method }
		methods+=("$m")
		IFS= read -r sig
		IFS= read -r own
		sec=$(section "$m")
		if [ -z "$sec" ]; then
			fail "$m" "no section '### $m' in docs/interfaces.md"
		elif ! printf '%s\n' "$sec" | sed 's/^[[:space:]]*//' | grep -qxF "$sig"; then
			fail "$m" "section '### $m' does not give the declared signature: $sig"
		elif ! printf '%s\n' "$sec" | grep -qxF "$own"; then
			fail "$m" "section '### $m' does not have the line: $own"
		elif [ "$(printf '%s\n' "$sec" | wc -w)" -lt 60 ]; then
			fail "$m" "section '### $m' is too short to be a contract"
		else
			echo "PASS unit/iface-docs-$m"
		fi ;;
	esac
done <"$t/decl"

# Nothing documented that is not declared.
while IFS= read -r h; do
	name=${h#\#\# }
	name=${name%% (*}
	printf '%s\n' "${ifaces[@]}" | grep -qxF "$name" ||
		fail "stale-$name" "docs/interfaces.md has '$h', but no interface '$name' is declared"
done < <(grep -E '^## [a-z0-9_]+ \(version [0-9]+\)$' "$doc")
while IFS= read -r h; do
	name=${h#\#\#\# }
	printf '%s\n' "${methods[@]}" | grep -qxF "$name" ||
		fail "stale-$name" "docs/interfaces.md has '$h', but no such method is declared"
done < <(grep -E '^### [a-z0-9_]+\.[a-z0-9_]+$' "$doc")
[ "$st" = 0 ] && echo "PASS unit/iface-docs-nothing-stale"

# The limits table: "| `NAME` | `FILE` | VALUE | ..." rows, each value
# compared with NAME's definition in FILE ("#define NAME EXPR" or
# "NAME = EXPR;"), and none of these left out.
required="DC_SHIM_MAX_IO DC_WAIT_INSTANCE_MS DC_CALL_BUDGET_MS DC_CALL_BUDGET_MAX_MS
	DC_BENCH_MAX_ITER DC_BENCH_CHUNK DC_BLK_MAX_DEVICES DC_BLK_MAX_DEPTH
	DC_BLK_MAX_RETRIES DC_BLK_RETRY_MS max_hw_sectors DC_MAX_ARGS DC_MAX_NEEDS"
rows=$(sed -n 's/^| `\([A-Za-z0-9_]*\)` | `\([^`]*\)` | \([0-9]*\) |.*/\1 \2 \3/p' "$doc")
for n in $required; do
	printf '%s\n' "$rows" | grep -q "^$n " ||
		fail "limit-$n" "no row for $n in the limits table of docs/interfaces.md"
done
lst=0
while read -r n f v; do
	[ -n "$n" ] || continue
	expr=$(sed -n -e "s/^#define[[:space:]]\{1,\}$n[[:space:]]\{1,\}\([^/]*\).*/\1/p" \
		-e "s/.*[.>]$n = \([^;]*\);.*/\1/p" "$top/$f" 2>/dev/null | head -n 1)
	expr=$(printf '%s' "$expr" | sed 's/\([0-9]\)[uUlL]\{1,3\}\b/\1/g; s/[[:space:]]*$//')
	if [ -z "$expr" ]; then
		fail "limit-$n" "$n is not defined in $f"; lst=1
	elif ! [[ $expr =~ ^[0-9\ \(\)\<\*]+$ ]] || [ "$((expr))" != "$v" ]; then
		fail "limit-$n" "docs/interfaces.md says $n is $v, $f defines it as $expr"; lst=1
	fi
done <<<"$rows"
[ "$lst" = 0 ] && echo "PASS unit/iface-docs-limits"
exit $st
