#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cli_tests.sh DOMAINCTL: run the domainctl binary without a kernel.
#   - verify: a clean image built here, and broken copies of it (each
#     problem must be reported with its rule id, all of them at once);
#   - status, list, apply --dry-run: against a fake sysfs tree
#     (DOMAINCTL_ROOT), as a user without /dev/domain_core would.
# Prints "PASS unit/domainctl-NAME" or "FAIL unit/domainctl-NAME: reason"
# per test; exits 1 if any failed.
set -u

domainctl=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
sdk=$here/../../../domains/sdk/include
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

pass() { echo "PASS unit/domainctl-$1"; }
fail() { echo "FAIL unit/domainctl-$1: $2"; failed=1; }
skip() { echo "SKIP unit/domainctl-$1: $2"; }

# build NAME CFLAGS...: the fixture image, linked with our linker script.
build() {
	out=$1
	shift
	$CC -O2 -ffreestanding -nostdlib -fno-stack-protector -fcf-protection=none \
		-Wl,--build-id=none -Wl,-T,"$here/fixtures/mini.lds" -I"$sdk" \
		"$@" -o "$tmp/$out" "$here/fixtures/mini_domain.c" 2>"$tmp/build.log"
}

if ! build good.dom -fPIE -static-pie ||
   ! build undefined.dom -fPIC -shared -DWITH_UNDEFINED ||
   ! $CC -std=c11 -D_GNU_SOURCE -I"$sdk" -o "$tmp/elf_patch" "$here/elf_patch.c" 2>>"$tmp/build.log"; then
	fail verify-fixtures "cannot build the test images: $(head -n 3 "$tmp/build.log" | tr '\n' ' ')"
	exit 1
fi

# run ARGS...: domainctl with stdout in $tmp/out, stderr in $tmp/err, status in $rc.
run() {
	"$domainctl" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# expect NAME STATUS PATTERN...: $rc is STATUS and stdout+stderr has
# every fixed-string PATTERN.
expect() {
	name=$1 status=$2
	shift 2
	if [ "$rc" != "$status" ]; then
		fail "$name" "exit status $rc, expected $status: $(head -c 300 "$tmp/err")"
		return
	fi
	for pattern in "$@"; do
		if ! cat "$tmp/out" "$tmp/err" | grep -qF -- "$pattern"; then
			fail "$name" "no '$pattern' in: $(cat "$tmp/out" "$tmp/err" | head -c 400)"
			return
		fi
	done
	pass "$name"
}

# json_valid NAME: $tmp/out is one valid JSON document (if python3 can tell).
json_valid() {
	command -v python3 >/dev/null || return 0
	if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" 2>/dev/null; then
		pass "$1"
	else
		fail "$1" "not valid JSON: $(head -c 300 "$tmp/out")"
	fi
}

# bad NAME 'EDITS' PATTERN...: a copy of good.dom with EDITS fails verify
# with every PATTERN, each on a "domainctl: verify FILE:" line.
bad() {
	name=$1 edits=$2
	shift 2
	# shellcheck disable=SC2086
	"$tmp/elf_patch" "$tmp/good.dom" "$tmp/$name.dom" $edits || {
		fail "verify-$name" "elf_patch failed"
		return
	}
	run verify "$tmp/$name.dom"
	set -- "domainctl: verify $tmp/$name.dom: " "$@"
	expect "verify-$name" 1 "$@"
}

# The ABI version the SDK builds for (the fixture's note carries it).
abi=$(sed -n 's/^#define DC_ABI_VERSION[[:space:]]*\([0-9]*\).*/\1/p' "$sdk/domain/abi.h")

# The fixture is not built with the SDK's store checks: its note says so.
run verify "$tmp/good.dom"
expect verify-clean 0 "$tmp/good.dom: ok (mini 1.0.0, iface log v1, abi $abi, unconfined)"

"$tmp/elf_patch" "$tmp/good.dom" "$tmp/stateful.dom" \
	note.flags=1 note.nr_needs=1 note.need0=file note.need0_version=1
run verify "$tmp/stateful.dom"
expect verify-clean-stateful 0 "$tmp/stateful.dom: ok (mini 1.0.0, iface log v1, abi $abi, unconfined, stateful, imports file v1)"

"$tmp/elf_patch" "$tmp/good.dom" "$tmp/confined.dom" note.flags=2
run verify "$tmp/confined.dom"
expect verify-clean-confined 0 "$tmp/confined.dom: ok (mini 1.0.0, iface log v1, abi $abi, confined), unsigned"
run --json verify "$tmp/confined.dom" "$tmp/good.dom"
expect verify-confined-json 0 '"stateful":false,"confined":true' '"stateful":false,"confined":false'

printf 'not an image\n' >"$tmp/text.dom"
run verify "$tmp/text.dom"
expect verify-not-elf 1 "verify $tmp/text.dom: elf-file: image truncated: 13 bytes is smaller than an ELF header"

run verify "$tmp/missing.dom"
expect verify-missing-file 1 "verify $tmp/missing.dom: No such file or directory"

run verify "$tmp"
expect verify-directory 1 "verify $tmp: not a regular file"

# Over the cap: refused from its size alone (a sparse file; never read).
dd if=/dev/zero of="$tmp/huge.dom" bs=1 count=0 seek=67108865 2>/dev/null
run verify "$tmp/huge.dom"
expect verify-too-big 1 "verify $tmp/huge.dom: file-size: image is 67108865 bytes (cap 64 MiB)"

# Each problem comes as "RULE: message", the rule's id from
# src/loader/elf_image.c (domainctl verify --rules).
bad elf32 'ehdr.class=1' "elf-file: not a 64-bit ELF file"
bad big-endian 'ehdr.data=2' "elf-file: not a little-endian ELF file"
bad machine 'ehdr.machine=183' "elf-machine: wrong machine 183"
bad exec-type 'ehdr.type=2' "elf-type: ET_EXEC image"
bad relocatable 'ehdr.type=1' "elf-type: ELF type 1 is not ET_DYN"
bad entry 'ehdr.entry=0x100000' "entry: entry point 0x100000 is not in an executable segment"
bad wx 'phdr.0.flags=7' "load-wx: segment 0 is writable and executable (W^X)"
bad unaligned 'phdr.1.vaddr=0x1010' "load-alignment: segment 1 at 0x1010 is not page aligned"
bad filesz 'phdr.2.filesz=0x5000' "load-sizes: segment 2: file size 0x5000 exceeds memory size"
bad overlap 'phdr.1.vaddr=0x0' "load-overlap: segment 1 at 0x0 overlaps the one before it"
bad order 'phdr.2.vaddr=0x0' "load-overlap: segment 2 at 0x0 overlaps the one before it (or is out of order)"
bad span 'phdr.2.memsz=0x5000000' "load-span: segment 2: 0x5000000 bytes at 0x2000 exceeds the 64 MiB cap"
bad interp 'phdr.4.type=3' "no-interp: segment 4: PT_INTERP"
bad tls 'phdr.4.type=7' "no-tls: segment 4: thread-local storage"
bad truncated 'truncate=8192' "header-tables: image truncated: section headers"
bad reloc-type 'rela.0.type=2' "relocation-types: relocation 0: unsupported type 2"
bad reloc-target 'rela.0.offset=0x7000' "relocation-targets: relocation 0 at 0x7000 is outside the image"
bad reloc-symbol 'rela.0.type=1 rela.0.sym=0' "relocation-symbols: relocation 0: symbol 0 does not exist"
bad no-note 'note.owner=nomain' "domain-note: no domain note"
bad note-type 'note.type=7' "domain-note: domain note has type 0x7 (want 0x444f4d31)"
bad note-size 'note.descsz=16' "domain-note: domain note is 16 bytes"
bad note-abi 'note.abi_version=9' "note-abi: domain ABI version 9"
bad note-name 'note.name=Mini!' "note-name: domain note: name may only contain"
bad note-name-unterminated 'note.name=@fill' "note-strings: domain note: name, interface and version must be non-empty strings"
bad note-empty-version 'note.version=' "note-strings: "
bad note-iface 'note.iface=nosuch' "note-iface: implements interface 'nosuch' v1 is unknown"
bad note-iface-version 'note.iface_version=7' "note-iface: implements interface 'log' v7: this TCB serves v1"
bad note-needs-count 'note.nr_needs=5' "note-needs: domain note: 5 needed interfaces (at most 4)"
bad note-need-unknown 'note.nr_needs=1 note.need0=nosuch note.need0_version=1' \
	"note-needs: needs interface 'nosuch' v1 is unknown"
bad note-flags 'note.flags=0x10' "note-flags: domain note: unknown flags 0x10"
# The rodata segment, which holds the note, made writable.
bad note-writable 'phdr.1.flags=6' "note-mapped: domain note at 0x" "is not in a read-only loadable segment"
bad every-problem 'phdr.1.vaddr=0x1010 note.abi_version=99 rela.0.type=2' \
	"load-alignment: " "note-abi: " "relocation-types: "

run verify "$tmp/undefined.dom"
expect verify-undefined-symbol 1 \
	"domainctl: verify $tmp/undefined.dom: undefined-symbols: undefined symbol 'printk' (domains may only use the service table)"

"$tmp/elf_patch" "$tmp/good.dom" "$tmp/undef-symtab.dom" 'sym.greeting.shndx=0'
run verify "$tmp/undef-symtab.dom"
expect verify-undefined-in-symtab 1 "undefined-symbols: undefined symbol 'greeting'"

run verify "$tmp/good.dom" "$tmp/wx.dom" "$tmp/machine.dom"
expect verify-several 1 "$tmp/good.dom: ok" "verify $tmp/wx.dom: " "verify $tmp/machine.dom: "

"$tmp/elf_patch" "$tmp/good.dom" "$tmp/wx-abi.dom" phdr.0.flags=7 note.abi_version=99
run --json verify "$tmp/good.dom" "$tmp/wx-abi.dom"
expect verify-json 1 '"image":"'"$tmp/good.dom"'","ok":true' \
	'"rule":"load-wx","message":"segment 0 is writable and executable (W^X)"' '"rule":"note-abi"'
json_valid verify-json-valid

run verify --rules
expect verify-rules 0 "elf-file " "relocation-types " "note-abi " "note-flags " "note-mapped "
run --json verify --rules
expect verify-rules-json 0 '{"rule":"load-wx","summary":"no segment both writable and executable"}'
json_valid verify-rules-json-valid
run verify --rules "$tmp/good.dom"
expect verify-rules-no-image 2 "domainctl: verify: --rules takes no IMAGE"

# Signatures: sign-file's format, made here with openssl cms (the same
# bytes sign-file writes: detached, no certificates, no attributes).
# be32 N: N as 4 big-endian bytes.
be32() {
	printf "\\$(printf %03o $(($1 >> 24 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))"
	printf "\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 & 255)))"
}
# signed IN OUT [ID_TYPE]: IN with a signature appended.
signed() {
	openssl cms -sign -binary -noattr -nocerts -outform DER -md sha256 -in "$1" \
		-signer "$tmp/cert.pem" -inkey "$tmp/key.pem" -out "$tmp/p7" 2>>"$tmp/build.log" || return 1
	{ cat "$1" "$tmp/p7"; printf "\\000\\000\\00${3:-2}\\000\\000\\000\\000\\000"
	  be32 "$(wc -c <"$tmp/p7")"; printf '~Module signature appended~\n'; } >"$2"
}
if ! command -v openssl >/dev/null; then
	skip verify-signed "no openssl to make a test key"
elif ! openssl req -new -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" \
		-days 2 -subj "/CN=domainctl test key" -set_serial 0x1234abcd >/dev/null 2>&1 ||
     ! signed "$tmp/good.dom" "$tmp/signed.dom" || ! signed "$tmp/good.dom" "$tmp/badtype.dom" 1; then
	fail verify-signed "cannot make the signed test images"
else
	run verify "$tmp/signed.dom" "$tmp/good.dom"
	expect verify-signed 0 "$tmp/signed.dom: ok (mini 1.0.0, iface log v1, abi $abi, unconfined), signed by domainctl test key, serial 1234abcd" \
		"$tmp/good.dom: ok (mini 1.0.0, iface log v1, abi $abi, unconfined), unsigned"
	run --json verify "$tmp/signed.dom" "$tmp/good.dom"
	expect verify-signed-json 0 '"signed":true,"signer":"domainctl test key, serial 1234abcd"' \
		'"signed":false,"signer":null'
	json_valid verify-signed-json-valid
	run verify "$tmp/badtype.dom"
	expect verify-signature-id-type 1 "verify $tmp/badtype.dom: signature: signature is not a PKCS#7 message (id_type)"
	run --json verify "$tmp/badtype.dom"
	expect verify-signature-json 1 '"ok":false' '"signed":true,"signer":null' '"rule":"signature"'
	DOMAINCTL_ROOT=$tmp/nowhere run load "$tmp/badtype.dom"
	expect load-verifies-signature 1 "domainctl: load $tmp/badtype.dom: signature: "
	# The magic cut short: not signed, just trailing bytes (the kernel agrees).
	head -c $(($(wc -c <"$tmp/signed.dom") - 1)) "$tmp/signed.dom" >"$tmp/cut.dom"
	run verify "$tmp/cut.dom"
	expect verify-signature-magic-cut 0 "$tmp/cut.dom: ok (mini 1.0.0, iface log v1, abi $abi, unconfined), unsigned"
fi

# load verifies first and never reaches the kernel with a bad image.
DOMAINCTL_ROOT=$tmp/nowhere run load "$tmp/wx.dom"
expect load-verifies-first 1 "domainctl: load $tmp/wx.dom: load-wx: segment 0 is writable and executable"
if grep -q domain_core "$tmp/err"; then
	fail load-no-kernel-call "asked the kernel anyway: $(cat "$tmp/err")"
else
	pass load-no-kernel-call
fi

DOMAINCTL_ROOT=$tmp/nowhere run load "$tmp/good.dom"
expect load-module-missing 1 "domainctl: load mini: /dev/domain_core: No such file or directory; domain_core module not loaded (modprobe domain_core)"

run load "$tmp/good.dom" 'Bad=1'
expect load-bad-param 2 "domainctl: load: parameter key 'Bad' may only contain a-z, 0-9 and '_'"
run load "$tmp/good.dom" Name
expect load-bad-name 2 "invalid domain name 'Name'"
run load "$tmp/good.dom" --max-restarts=0
expect load-bad-max-restarts 2 "--max-restarts '0': must be a whole number from 1"
run load "$tmp/good.dom" --call-budget-ms=0
expect load-bad-call-budget 2 "domainctl: load: --call-budget-ms '0': must be a whole number of milliseconds from 1 to 2000"
run load "$tmp/good.dom" --call-budget-ms 2001
expect load-call-budget-ceiling 2 "--call-budget-ms '2001': must be a whole number of milliseconds from 1 to 2000"
run load "$tmp/good.dom" --mem-max=0
expect load-zero-mem-max 2 "domainctl: load: --mem-max '0': must be at least 1 byte"
run load "$tmp/good.dom" --mem-max 12X
expect load-bad-mem-max 2 "--mem-max '12X': must be a number of bytes, optionally with a suffix K, M or G (powers of 1024)"
run load "$tmp/good.dom" --mem-max=17179869184G
expect load-mem-max-overflow 2 "--mem-max '17179869184G': too large"
run load "$tmp/good.dom" --mem-max
expect load-mem-max-no-value 2 "domainctl: load: option '--mem-max' needs a value"
# Good values get as far as the kernel (missing here).
DOMAINCTL_ROOT=$tmp/nowhere run load "$tmp/good.dom" --call-budget-ms 500 --mem-max=64M
expect load-limits-accepted 1 "domainctl: load mini: /dev/domain_core: No such file or directory"
# confine=on|off after IMAGE is a setting, not a parameter of the domain.
run load "$tmp/good.dom" confine=maybe
expect load-bad-confine 2 "domainctl: load: confine 'maybe': must be on or off"
DOMAINCTL_ROOT=$tmp/nowhere run load "$tmp/good.dom" mini confine=off level=3
expect load-confine-off-accepted 1 "domainctl: load mini: /dev/domain_core: No such file or directory"
run upgrade mini "$tmp/good.dom" confine=0
expect upgrade-bad-confine 2 "domainctl: upgrade: confine '0': must be on or off"
run frobnicate
expect usage-unknown-command 2 "domainctl: unknown command 'frobnicate'"
run status --bogus
expect usage-unknown-option 2 "domainctl: status: unknown option '--bogus'"
run --help
expect usage-help 0 "Usage: domainctl [--json] COMMAND"

# A fake sysfs: two domains, one with a fault.
root=$tmp/root
sys=$root/sys/kernel/domain_core
mkdir -p "$sys/domains/log" "$sys/domains/xfer" "$root/dev"
echo 0.1.0 >"$sys/version"
echo execmem >"$sys/backend"
for f in exec_regions exec_pages heap_bytes shared_objects shared_bytes; do echo 3 >"$sys/$f"; done
# domain NAME FIELD=VALUE...
domain() {
	d=$sys/domains/$1
	shift
	for kv in "$@"; do printf '%s\n' "${kv#*=}" >"$d/${kv%%=*}"; done
}
domain log state=running iface=log iface_version=1 version=1.0.0 params= \
	calls=1234 inflight=0 faults=0 restarts=0 upgrades=1 heap_bytes=8192 \
	shared_objects=2 shared_bytes=4096 last_pause_ns=12345 last_fault= \
	users=1 restart_policy=on-failure call_budget_ms=200 mem_max=536870912 \
	mem_used=12288 confined=yes signed=yes 'signer=build key, serial 01'
domain xfer state=failed iface=file iface_version=1 version=1.0.0 params=size=4096 \
	calls=7 inflight=0 faults=1 restarts=1 upgrades=0 heap_bytes=0 \
	shared_objects=0 shared_bytes=0 last_pause_ns=0 \
	'last_fault=general protection fault in xfer_write+0x12' users=0 \
	restart_policy=always call_budget_ms=1000 mem_max=67108864 mem_used=0 \
	confined=no signed=no signer=

DOMAINCTL_ROOT=$root run status
expect status-table 0 "NAME  VERSION  IFACE    STATE    CONFINED  CALLS  FAULTS  RESTARTS   MEM/MAX    PAUSE" \
	"log   1.0.0    log v1   running  yes        1234       0         0  12K/512M  12.3 us" \
	"xfer  1.0.0    file v1  failed   no            7       1         1     0/64M        -" \
	"  last fault: general protection fault in xfer_write+0x12"
DOMAINCTL_ROOT=$root run status xfer
expect status-one 0 "restart policy       always" "parameters           size=4096" \
	"call budget          1000 ms" "memory limit         64.0 MiB (67108864 bytes)" \
	"memory used          0 B (0 bytes)" "confined             no" "signed               no" \
	"signed by            -"
DOMAINCTL_ROOT=$root run status log
expect status-one-signed 0 "signed               yes" "signed by            build key, serial 01"
DOMAINCTL_ROOT=$root run status nosuch
expect status-missing 1 "domainctl: status nosuch: no such domain is loaded"
DOMAINCTL_ROOT=$root run list
expect list 0 "log
xfer"
DOMAINCTL_ROOT=$root run --json status
expect status-json 0 '"source":"sysfs"' '"name":"xfer"' '"last_fault":"general protection fault in xfer_write+0x12"' \
	'"mem_used":12288,"mem_max":536870912' '"call_budget_ms":200' \
	'"mem_used":0,"mem_max":67108864' '"call_budget_ms":1000' \
	'"confined":true,"signed":true,"signer":"build key, serial 01"' \
	'"confined":false,"signed":false,"signer":null'
json_valid status-json-valid
DOMAINCTL_ROOT=$root run --json status log
expect status-one-json 0 '"name":"log"' '"mem_used":12288' '"mem_max":536870912' '"call_budget_ms":200'
# A module without the limit files: unknown, not 0.
rm "$sys/domains/xfer/mem_max" "$sys/domains/xfer/mem_used" "$sys/domains/xfer/call_budget_ms"
DOMAINCTL_ROOT=$root run --json status xfer
expect status-json-unknown-limits 0 '"mem_used":null,"mem_max":null' '"call_budget_ms":null'
DOMAINCTL_ROOT=$root run status
expect status-table-unknown-limits 0 "xfer  1.0.0    file v1  failed   no            7       1         1         -        -"
# A module from before confinement: unknown, not "no".
rm "$sys/domains/xfer/confined"
DOMAINCTL_ROOT=$root run --json status xfer
expect status-json-unknown-confined 0 '"confined":null'
DOMAINCTL_ROOT=$root run status
expect status-table-unknown-confined 0 "xfer  1.0.0    file v1  failed   -             7       1         1         -        -"
DOMAINCTL_ROOT=$tmp/nowhere run status
expect status-no-module 1 "domainctl: status: /dev/domain_core: No such file or directory; domain_core module not loaded (modprobe domain_core)"

# apply --dry-run against the fake running set.
mkdir -p "$root/usr/lib/domain-core/domains"
cp "$tmp/good.dom" "$root/usr/lib/domain-core/domains/mini.dom"
cat >"$tmp/domains.conf" <<CONF
# comment
mini mini.dom level=3 restart=always call_budget_ms=500 mem_max=64M
log $tmp/good.dom
broken mini.dom restart=sometimes
mini mini.dom
other missing.dom
slow mini.dom call_budget_ms=5000
greedy mini.dom mem_max=lots
loose mini.dom confine=off
strict mini.dom confine=sometimes
CONF
DOMAINCTL_ROOT=$root run apply --dry-run --remove "$tmp/domains.conf"
expect apply-dry-run 1 "would load mini 1.0.0 (iface log v1) from $root/usr/lib/domain-core/domains/mini.dom" \
	"would unload xfer (not in the configuration)" \
	"domains.conf:4: restart 'sometimes': must be always, on-failure or never" \
	"domains.conf:5: domain 'mini' is already configured on line 2" \
	"domains.conf:6: image 'missing.dom' is in neither" \
	"domains.conf:7: call_budget_ms '5000': must be a whole number of milliseconds from 1 to 2000" \
	"domains.conf:8: mem_max 'lots': must be a number of bytes" \
	"would load loose 1.0.0 (iface log v1)" \
	"domains.conf:10: confine 'sometimes': must be on or off"
if grep -Eq "would (load|upgrade|unload) (slow|greedy|strict)" "$tmp/out"; then
	fail apply-dry-run-bad-limits "plans to touch a domain on a bad line: $(cat "$tmp/out")"
else
	pass apply-dry-run-bad-limits
fi
if grep -Eq "would (load|upgrade|unload) log" "$tmp/out"; then
	fail apply-dry-run-unchanged "wants to touch the unchanged domain log: $(cat "$tmp/out")"
else
	pass apply-dry-run-unchanged
fi

exit $failed
