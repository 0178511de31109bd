#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sign-file.sh HASH KEY CERT FILE: sign FILE in place with the kernel's
# scripts/sign-file, for the unit tests (test_image_sig.c), which also pass
# it to "make sign" as SIGN_FILE.  Takes the first it finds:
#
#   $DC_SIGN_FILE, a sign-file that runs on this machine;
#   the newest /usr/lib/linux-kbuild-*/scripts/sign-file;
#   /lib/modules/$(uname -r)/build/scripts/sign-file;
#   one in the VM harness's chroots (/var/cache/domain-core-test/chroots,
#   tests/vm/run makes them), run in its chroot (root only) on copies in
#   the chroot's /tmp, which are removed again.
#
# Exit status: sign-file's, or 77 with the reason on stdout if there is
# no sign-file to use (the test is then skipped).
set -u

[ $# = 4 ] || { echo "usage: sign-file.sh HASH KEY CERT FILE" >&2; exit 2; }
hash=$1 key=$2 cert=$3 file=$4

if [ -n "${DC_SIGN_FILE:-}" ]; then
	exec "$DC_SIGN_FILE" "$hash" "$key" "$cert" "$file"
fi
for f in $(ls -d /usr/lib/linux-kbuild-*/scripts/sign-file 2>/dev/null | sort -rV) \
	 "/lib/modules/$(uname -r)/build/scripts/sign-file"; do
	[ -x "$f" ] && exec "$f" "$hash" "$key" "$cert" "$file"
done

# The newest kernel line's first (bookworm's 6.1 before bullseye's 5.10).
chroots=/var/cache/domain-core-test/chroots
for f in $(for f in "$chroots"/*/usr/lib/linux-kbuild-*/scripts/sign-file; do
		[ -e "$f" ] && echo "${f##*/linux-kbuild-} $f"
	   done | sort -rV | cut -d' ' -f2); do
	[ -x "$f" ] || continue
	root=${f%%/usr/lib/linux-kbuild-*}
	if [ "$(id -u)" != 0 ]; then
		echo "no sign-file on this machine; the one in $root needs root (chroot)"
		exit 77
	fi
	dir=$(mktemp -d "$root/tmp/dc-unit-sign.XXXXXX") || exit 1
	in=/tmp/${dir##*/}
	cp "$key" "$dir/key" && cp "$cert" "$dir/cert" && cp "$file" "$dir/file" &&
		chroot "$root" "${f#"$root"}" "$hash" "$in/key" "$in/cert" "$in/file" &&
		cp "$dir/file" "$file"
	rc=$?
	rm -rf "$dir"
	exit $rc
done

echo "no sign-file (DC_SIGN_FILE, /usr/lib/linux-kbuild-*, /lib/modules/$(uname -r)/build, or a chroot of tests/vm/run)"
exit 77
