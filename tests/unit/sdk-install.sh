#!/bin/bash
# tests/unit/sdk-install.sh: the SDK as installed.  Installs it
# (make -C domains/sdk install, and tools/domain-test's install) under a
# scratch prefix, then, in scratch directories outside the tree:
#   - builds a domain of the tree (bench) against it, with a Makefile of
#     one include line, and compares the image with the tree's own build
#     (the same rules, the same image);
#   - builds examples/kvstore-dkms with its own two-line Makefile (the
#     include path pointed at the prefix), checks it with domainctl verify
#     and runs its "make test" with the installed domain-test;
#   - "make dkms-build" without KVER/KDIR stops with a message.
# "PASS unit/sdk-NAME" / "FAIL unit/sdk-NAME: why".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
p=$t/usr
st=0
pass() { echo "PASS unit/sdk-$1"; }
fail() { echo "FAIL unit/sdk-$1: $2"; st=1; }

if ! make -s -C "$top/domains" >"$t/build.log" 2>&1 ||
	! make -s -C "$top/domains/sdk" install PREFIX="$p" >>"$t/build.log" 2>&1 ||
	! make -s -C "$top/tools/domain-test" install PREFIX="$p" >>"$t/build.log" 2>&1; then
	fail install "$(grep -m1 -iE 'error|no rule' "$t/build.log")"
	exit 1
fi
pass install
mk=$p/share/domain-core/domain.mk
if [ -L "$p/share/domain-core/sdk/include/domain" ] &&
	[ -f "$p/share/domain-core/sdk/include/domain/domain.h" ]; then
	pass include-link
else
	fail include-link "$p/share/domain-core/sdk/include/domain does not lead to the headers"
fi

# The same rules: a domain of the tree, built out of the tree.
mkdir "$t/bench"
cp "$top/domains/bench/bench.c" "$t/bench/"
echo "include $mk" >"$t/bench/Makefile"
if ! make -s -C "$t/bench" >"$t/bench.log" 2>&1; then
	fail out-of-tree-build "$(grep -m1 -E 'error|Error' "$t/bench.log")"
elif ! cmp -s "$t/bench/bench.dom" "$top/domains/bench/bench.dom"; then
	fail same-image "bench.dom built against the installed SDK differs from the tree's"
else
	pass out-of-tree-build
	pass same-image
fi
# No -I of the tree, and nothing built in the SDK's directories.
if make -n -C "$t/bench" -B bench.o 2>/dev/null | grep -q "$top"; then
	fail no-tree-paths "the build against the installed SDK refers to $top"
else
	pass no-tree-paths
fi

# The example, with its own Makefile.
ex=$t/kvstore
cp -r "$top/examples/kvstore-dkms" "$ex"
rm -rf "$ex/debian"
sed -i "s|/usr/share/domain-core/domain.mk|$mk|" "$ex/Makefile"
make -s -C "$ex" clean >/dev/null 2>&1
if ! make -s -C "$ex" >"$t/ex.log" 2>&1; then
	fail example-build "$(grep -m1 -E 'error|Error' "$t/ex.log")"
else
	pass example-build
	out=$("$top/tools/domainctl/domainctl" verify "$ex/kvstore.dom" 2>&1)
	case $out in
	*": ok (kvstore 1.0.0, iface file v1"*) pass example-verify ;;
	*) fail example-verify "$out" ;;
	esac
	if out=$(make -s -C "$ex" test DOM_TEST="$p/bin/domain-test" 2>&1); then
		pass example-test
	else
		fail example-test "$(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"
	fi
fi
out=$(make -s -C "$ex" dkms-build 2>&1)
case $? in
2) case $out in *"set KVER="*) pass dkms-build-needs-kver ;; *) fail dkms-build-needs-kver "$out" ;; esac ;;
*) fail dkms-build-needs-kver "make dkms-build without KVER: $out" ;;
esac
exit $st
