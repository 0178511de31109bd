#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cli_tests.sh DOMAIN_TEST IMAGES_DIR: the domain-test command, as a shell
# test of a domain uses it.  Prints "PASS unit/dt-cli-NAME" or
# "FAIL unit/dt-cli-NAME: reason" per test; exits 1 if any failed.
set -u

dt=$1
D=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# check NAME STATUS EXPECTED COMMAND...: COMMAND exits with STATUS and
# prints exactly EXPECTED on stdout.
check() {
	name=$1 status=$2 want=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	got=$(cat "$tmp/out")
	if [ "$rc" != "$status" ]; then
		echo "FAIL unit/dt-cli-$name: exit status $rc, want $status ($(head -n 2 "$tmp/err" | tr '\n' ' '))"
		failed=1
	elif [ "$got" != "$want" ]; then
		echo "FAIL unit/dt-cli-$name: printed '$(echo "$got" | tr '\n' '|')', want '$(echo "$want" | tr '\n' '|')'"
		failed=1
	else
		echo "PASS unit/dt-cli-$name"
	fi
}

check emptydev-upgrade 0 "6
hello\\n
1.0.0 -> 2.0.0
v2 reads=1 writes=1 bytes_read=6 bytes_written=6 size=6 upgrades=1\\n
2.0.0 -> 1.0.0
hello\\n" \
	"$dt" --import "$D/log.dom" "$D/emptydev.dom" 'write 0 hello\n' 'read 0 100' \
	"upgrade $D/emptydev-v2.dom" 'read 65536 200' "upgrade $D/emptydev.dom" 'read 0 100'

check emptydev-rollback 0 "-EIO: new instance failed to import the state (-5)
emptydev file 1.0.0 running calls=0 faults=0 restarts=0 upgrades=0 requeues=0 mem=0 objects=0" \
	"$dt" --import "$D/log.dom" "$D/emptydev.dom" "upgrade $D/emptydev-v2.dom fail_import=1" status

# A fault is reported with the function it happened in, as in the kernel.
"$dt" --restart never "$D/crash.dom" 'write 0 null' 'fault?' status 'read 0 64' restart \
	'read 0 64' logs >"$tmp/out" 2>&1
if sed -n 2p "$tmp/out" | grep -q '^page fault at crash_write+0x[0-9a-f]*: address 0x0$' &&
   sed -n 1p "$tmp/out" | grep -qx -- -EIO &&
   sed -n 3p "$tmp/out" | grep -q '^crash file 1.0.0 down calls=1 faults=1 restarts=0 ' &&
   sed -n 4,6p "$tmp/out" | tr '\n' '|' | grep -qx -- '-ENODEV|restarted|crash inits=2 held=0\\n|' &&
   grep -q '^domain-test: crash.dom: page fault at crash_write+0x[0-9a-f]*: address 0x0$' "$tmp/out" &&
   grep -qx 'domain-test: crash stays down: restart=never' "$tmp/out"; then
	echo "PASS unit/dt-cli-crash-fault-report"
else
	echo "FAIL unit/dt-cli-crash-fault-report: printed '$(tr '\n' '|' <"$tmp/out")'"
	failed=1
fi

check crash-hang 0 "-EIO
hang" \
	sh -c "'$dt' --call-budget-ms 20 '$D/crash.dom' 'write 0 loop' 'fault?' | cut -d' ' -f1"

check nullblk-stdin 0 "8192
0
hello
0

0" \
	sh -c "printf 'info capacity\nbwrite 7 hello\nbread 7 1024\n# a comment\nbdiscard 7 512\nbread 7 512\nbflush\n' |
		'$dt' --params 'memory_backed=1 size=4' '$D/null_blk.dom'"

check log-and-use 0 "log
13
domain-test: loaded log 1.0.0 (interface log v1)
domain-test: loaded xfer 1.0.0 (interface file v1)
log: first
log: second" \
	"$dt" --import "$D/log.dom" "$D/xfer.dom" 'use log' 'log 6 first\nsecond\n' logs

check bench 0 "42" "$dt" "$D/bench.dom" 'nop 41'

# A stray store is caught before it lands and named as the kernel names it.
check crash-stray 0 "-EIO
stray store at crash_write: 4 bytes into unmapped low memory" \
	sh -c "'$dt' '$D/crash.dom' 'write 0 stray null' 'fault?' |
		sed 's/+0x[0-9a-f]*: address 0x0,/:/'"

# An image built without the store checks needs --confine off, as the
# kernel's confine=off.
check unconfined-refused 1 "" "$dt" "$D/crash-unconfined.dom" 'read 0 100'
grep -q "image not built confined (its stores are unchecked): load it with confine=off" "$tmp/err" ||
	{ echo "FAIL unit/dt-cli-unconfined-refused-message: '$(cat "$tmp/err")'"; failed=1; }
check confine-off 0 "crash inits=1 held=0\\n
domain-test: crash: running unconfined (confine=off): its stores are not checked
domain-test: loaded crash 1.0.0 (interface file v1)" \
	"$dt" --confine off "$D/crash-unconfined.dom" 'read 0 100' logs

check bad-command 2 "" "$dt" "$D/bench.dom" 'frobnicate 1'
check bad-image 1 "" "$dt" "$D/../Makefile"
check missing-import 1 "" "$dt" "$D/emptydev.dom"
grep -q "needs interface 'log' v1, which no loaded domain provides" "$tmp/err" ||
	{ echo "FAIL unit/dt-cli-missing-import-message: '$(cat "$tmp/err")'"; failed=1; }

exit $failed
