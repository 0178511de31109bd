#!/bin/bash
# tests/unit/dkms-images.sh: scripts/dkms-images, the DKMS hooks that keep,
# install and remove domain images, with two packages sharing one kernel's
# image directory (domain-core's own and a domain shipped with DKMS), in a
# scratch directory (DC_IMAGE_BASE).  "PASS unit/NAME" / "FAIL unit/NAME: why".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
hook=$top/scripts/dkms-images
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
export DC_IMAGE_BASE=$t/lib
st=0
check() { # check NAME CMD...
	local n=$1
	shift
	if "$@" >"$t/out" 2>&1; then echo "PASS unit/dkms-images-$n"
	else echo "FAIL unit/dkms-images-$n: $(head -c 300 "$t/out" | tr '\n' ' ')"; st=1; fi
}
not() { ! "$@"; }
k=6.1.0-99-amd64
a=$t/dkms/domain-core/0.1.0
b=$t/dkms/kvstore/1.0.0
mkdir -p "$a/build/out" "$b/build"
echo log >"$a/build/out/log.dom"
echo emptydev >"$a/build/out/emptydev.dom"
echo kv >"$b/build/kvstore.dom"

check postbuild-keeps sh -c "cd '$a/build' && '$hook' postbuild '$a' $k x86_64 out && test -f '$a/$k/x86_64/domains/log.dom'"
check postbuild-default-dir sh -c "cd '$b/build' && '$hook' postbuild '$b' $k x86_64 && test -f '$b/$k/x86_64/domains/kvstore.dom'"
check postbuild-no-images not sh -c "mkdir -p '$t/e/x/1/build' && cd '$t/e/x/1/build' && '$hook' postbuild '$t/e/x/1' $k x86_64"
check postinst-first "$hook" postinst "$a" $k x86_64
check postinst-second "$hook" postinst "$b" $k x86_64
d=$DC_IMAGE_BASE/$k/domains
check both-installed test "$(cd "$d" && ls | tr '\n' ' ')" = "emptydev.dom kvstore.dom log.dom "
check lists test "$(cat "$DC_IMAGE_BASE/$k/domain-core.images" | sort | tr '\n' ' ')" = "emptydev.dom log.dom "
# A rebuild of domain-core that no longer makes emptydev: its image goes,
# the other package's stays.
rm "$a/$k/x86_64/domains/emptydev.dom"
echo log2 >"$a/$k/x86_64/domains/log.dom"
check reinstall-replaces sh -c "'$hook' postinst '$a' $k x86_64 && grep -qx log2 '$d/log.dom' && test ! -e '$d/emptydev.dom' && test -f '$d/kvstore.dom'"
# A name another package owns is refused, and left alone.
echo evil >"$b/$k/x86_64/domains/log.dom"
check refuses-others-image not "$hook" postinst "$b" $k x86_64
check others-image-untouched grep -qx log2 "$d/log.dom"
rm "$b/$k/x86_64/domains/log.dom"
check postrm-first sh -c "'$hook' postrm '$a' $k x86_64 && test ! -e '$d/log.dom' && test -f '$d/kvstore.dom'"
check postrm-last sh -c "'$hook' postrm '$b' $k x86_64 && test ! -e '$DC_IMAGE_BASE'"
check bad-kernel-version not "$hook" postinst "$a" ../x x86_64
exit $st
