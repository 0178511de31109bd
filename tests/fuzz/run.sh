#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The bounded fuzz run behind "make -C tests/fuzz run" (which sets B, TOP,
# CLANG, MAKE and the FUZZ_* knobs).  Prints exactly one result line:
#   PASS unit/fuzz-elf-image (N runs, no crash)
#   FAIL unit/fuzz-elf-image: WHAT
# Details go to build/fuzz/fuzz.log (and build.log).

set -u
NAME=unit/fuzz-elf-image
HERE=$(cd "$(dirname "$0")" && pwd)

fail() {
	echo "FAIL $NAME: $*"
	exit 1
}

mkdir -p "$B" || fail "cannot create $B"

command -v "$CLANG" >/dev/null 2>&1 ||
	fail "$CLANG not found: install package clang (scripts/install-deps does)"

# libFuzzer comes with clang's compiler-rt; without it only the link fails.
probe=$B/probe
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$probe.c"
if ! "$CLANG" -fsanitize=fuzzer,address,undefined -o "$probe" "$probe.c" >"$probe.log" 2>&1; then
	fail "$CLANG cannot link -fsanitize=fuzzer (libFuzzer runtime missing: install package clang with its libclang-rt/libclang-common dev package; scripts/install-deps)"
fi
rm -f "$probe" "$probe.c" "$probe.log"

if ! $MAKE -s -C "$HERE" all >"$B/build.log" 2>&1; then
	cat "$B/build.log" >&2
	fail "build failed: $(grep -m1 -E 'error' "$B/build.log" | cut -c1-200)"
fi

# Seeds: every good image and mkbad's malformed variants of each.
seeds=$(mktemp -d "${TMPDIR:-/tmp}/dc-fuzz-seeds.XXXXXX") || fail "mktemp failed"
trap 'rm -rf "$seeds"' EXIT INT TERM
nseeds=0
for img in "$TOP"/domains/out/*.dom; do
	[ -f "$img" ] || continue
	n=$(basename "$img" .dom)
	cp "$img" "$seeds/$n.dom"
	if "$B/mkbad" "$img" "$seeds/tmp" >/dev/null 2>&1; then
		for f in "$seeds"/tmp/*.dom; do
			mv "$f" "$seeds/$n-$(basename "$f")"
		done
	fi
	rm -rf "$seeds/tmp"
done
# And signed copies (sign-file's format, made with openssl cms at run time;
# no key is kept): two images, and one byte signed, where the fuzzer
# reaches the PKCS#7 message at once.
# sign_seed IN OUT
sign_seed() {
	openssl cms -sign -binary -noattr -nocerts -outform DER -md sha256 -in "$1" \
		-signer "$seeds/cert.pem" -inkey "$seeds/key.pem" -out "$seeds/p7" 2>/dev/null || return
	len=$(wc -c <"$seeds/p7")
	{ cat "$1" "$seeds/p7"; printf '\000\000\002\000\000\000\000\000'
	  printf "\\$(printf %03o $((len >> 24 & 255)))\\$(printf %03o $((len >> 16 & 255)))"
	  printf "\\$(printf %03o $((len >> 8 & 255)))\\$(printf %03o $((len & 255)))"
	  printf '~Module signature appended~\n'; } >"$2"
}
if command -v openssl >/dev/null 2>&1 &&
   openssl req -new -x509 -newkey rsa:2048 -nodes -keyout "$seeds/key.pem" \
	-out "$seeds/cert.pem" -days 2 -subj "/CN=fuzz seed key" >/dev/null 2>&1; then
	for n in log emptydev; do
		[ -f "$TOP/domains/out/$n.dom" ] && sign_seed "$TOP/domains/out/$n.dom" "$seeds/$n-signed.dom"
	done
	printf x >"$seeds/byte"
	sign_seed "$seeds/byte" "$seeds/byte-signed"
	rm -f "$seeds/key.pem" "$seeds/cert.pem" "$seeds/p7" "$seeds/byte"
fi
nseeds=$(find "$seeds" -type f | wc -l)
[ "$nseeds" -gt 0 ] || echo "fuzz: no seed images in domains/out (make -C domains); starting empty" >&2

mkdir -p "$B/corpus"
set -- -max_total_time="$FUZZ_SECONDS" -rss_limit_mb="$FUZZ_RSS_MB" -timeout=20 \
	-dict="$HERE/elf.dict" -artifact_prefix="$B/" -print_final_stats=1
[ "$FUZZ_JOBS" -gt 1 ] && set -- "$@" -fork="$FUZZ_JOBS"

"$B/fuzz-elf-image" "$@" "$B/corpus" "$seeds" >"$B/fuzz.log" 2>&1
rc=$?

runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$B/fuzz.log" | tail -n 1)
[ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$B/fuzz.log" | tail -n 1)
[ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$B/fuzz.log" | tail -n 1)

if [ "$rc" = 0 ]; then
	echo "PASS $NAME (${runs:-?} runs, no crash)"
	exit 0
fi

# What went wrong, and the input that shows it.
what=$(grep -m1 -E '^SUMMARY: ' "$B/fuzz.log" | sed 's/^SUMMARY: //')
[ -n "$what" ] || what=$(grep -m1 -E 'runtime error|ERROR: libFuzzer|==ERROR' "$B/fuzz.log")
[ -n "$what" ] || what="fuzzer exited $rc"
input=$(sed -n 's/.*Test unit written to \([^ ]*\).*/\1/p' "$B/fuzz.log" | tail -n 1)
grep -E -A 25 'ERROR|runtime error' "$B/fuzz.log" | head -n 40 >&2
echo "FAIL $NAME: $(printf '%s' "$what" | cut -c1-200)${input:+ (input ${input#"$TOP"/}; make -C tests/fuzz repro CRASH=${input#"$TOP"/})}"
exit 1
