# The domain runtime: loading, calls through the virtual files, a
# cross-domain call, ownership of shared objects, leak accounting over
# 1000 load/unload cycles, and permissions.
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS

insmod "$DC_KO" || { fail runtime-insmod "insmod failed"; exit 1; }

# Warm up first: the first executable allocation may set up kernel caches
# (the execmem ROX cache on 7.x) that stay after the domains go.
dcprobe load $D/log.dom >/dev/null && dcprobe unload log >/dev/null
base=$(counters)
vmcount() { grep -cE 'module_alloc|execmem|domain_core' /proc/vmallocinfo; }
vbase=$(vmcount)

load() {	# load IMAGE [NAME [PARAMS]]: quiet unless it fails
	out=$(dcprobe load "$@") || { echo "$out"; return 1; }
}
unload() {
	out=$(dcprobe unload "$1") || { echo "$out"; return 1; }
}

check load-log load $D/log.dom
check load-emptydev load $D/emptydev.dom
[ -c /dev/domain/log ] && [ -c /dev/domain/emptydev ] && pass device-nodes ||
	fail device-nodes "$(ls -l /dev/domain 2>&1)"

# log: each write is one record in the kernel log.
printf 'hello from the log domain %s' "$$" >/dev/domain/log
if dmesg | grep -q "log: hello from the log domain $$"; then
	pass log-write-reaches-kernel-log
else
	fail log-write-reaches-kernel-log "$(dmesg | tail -n 3)"
fi
printf '<3>an error record' >/dev/domain/log
dmesg -r | grep -q '^<3>.*log: an error record' && pass log-level-prefix ||
	fail log-level-prefix "$(dmesg -r | grep 'an error record')"

# emptydev: write, read back, and its status.
printf 'domains are fun' >/dev/domain/emptydev
got=$(head -c 15 /dev/domain/emptydev)
[ "$got" = "domains are fun" ] && pass emptydev-write-read ||
	fail emptydev-write-read "read back '$got'"
status=$(dd if=/dev/domain/emptydev bs=1 skip=65536 count=200 2>/dev/null)
case $status in
*writes=1*) pass emptydev-status ;;
*) fail emptydev-status "status '$status'" ;;
esac
# Its write logged through the log domain: a cross-domain call.
if dmesg | grep -q "log: emptydev: wrote 15 bytes at 0"; then
	pass cross-domain-call
else
	fail cross-domain-call "no record from emptydev in the kernel log"
fi
calls=$(cat $SYS/domains/log/calls)
[ "$calls" -ge 3 ] && pass proxy-counts-calls || fail proxy-counts-calls "log calls=$calls"

# Ownership: objects move with calls; a non-owned object is refused.
if load $D/xfer.dom; then
	printf xfer >/dev/domain/xfer
	res=$(head -c 100 /dev/domain/xfer)
	case $res in
	"xfer ok"*) pass ownership-transfer-and-refusal ;;
	*) fail ownership-transfer-and-refusal "$res" ;;
	esac
	# What a domain holds is reclaimed when it goes.
	printf 'leak 100' >/dev/domain/xfer
	objs=$(cat $SYS/domains/xfer/shared_objects)
	[ "$objs" -ge 100 ] && pass shared-objects-accounted ||
		fail shared-objects-accounted "xfer owns $objs objects"
	unload xfer
else
	fail ownership-transfer-and-refusal "cannot load xfer.dom"
fi

# Unloading a domain another one uses is refused.
out=$(dcprobe unload log)
case $out in
*errno=16*emptydev*) pass unload-in-use-refused ;;
*) fail unload-in-use-refused "$out" ;;
esac
# A domain whose device is open cannot go either.
exec 3</dev/domain/emptydev
out=$(dcprobe unload emptydev)
exec 3<&-
case $out in
*errno=16*) pass unload-open-device-refused ;;
*) fail unload-open-device-refused "$out" ;;
esac
check unload-emptydev unload emptydev
check unload-log unload log

# A domain that needs an interface nobody provides is refused.
out=$(dcprobe load $D/emptydev.dom)
case $out in
*errno=67*log*) pass missing-interface-refused ;;	# ENOLINK
*) fail missing-interface-refused "$out" ;;
esac

# 1000 load/unload cycles: nothing may leak.
i=0
while [ $i -lt 1000 ]; do
	load $D/log.dom && load $D/emptydev.dom &&
	printf x >/dev/domain/emptydev &&
	unload emptydev && unload log || break
	i=$((i + 1))
done
[ $i = 1000 ] && pass load-unload-1000x || fail load-unload-1000x "stopped at cycle $i"
now=$(counters)
[ "$now" = "$base" ] && pass accounting-back-to-baseline ||
	fail accounting-back-to-baseline "regions pages heap objects bytes: $base -> $now"
vnow=$(vmcount)
[ "$vnow" -le "$vbase" ] && pass vmallocinfo-back-to-baseline ||
	fail vmallocinfo-back-to-baseline "$vbase -> $vnow lines"

# Permissions: only CAP_SYS_MODULE may load, unload or open for writing.
if runas 65534 dcprobe load $D/log.dom >/tmp/o 2>&1; then
	fail unprivileged-load-refused "$(cat /tmp/o)"
else
	pass unprivileged-load-refused
fi
load $D/log.dom
out=$(runas nocap dcprobe unload log)
case $out in
*errno=1*) pass no-cap-sys-module-unload-refused ;;
*) fail no-cap-sys-module-unload-refused "$out" ;;
esac
out=$(runas nocap dcprobe load $D/bench.dom)
case $out in
*errno=1*) pass no-cap-sys-module-load-refused ;;
*) fail no-cap-sys-module-load-refused "$out" ;;
esac
check unknown-ioctl-enotty dcprobe badioctl

# bench_call: bad input is refused with the matching error.
bench_call_err() {	# NAME INPUT WANT
	local got
	# echo, not printf: busybox's printf does not report write errors.
	got=$( (echo "$2" >$SYS/bench_call) 2>&1 )
	case $got in
	*"$3"*) pass "bench-call-$1" ;;
	*) fail "bench-call-$1" "wrote '$2': want '$3', got '$got'" ;;
	esac
}
bench_call_err garbage "garbage" "Invalid argument"
bench_call_err zero-iterations "log 0" "Invalid argument"
bench_call_err too-many-iterations "log 999999999999" "Invalid argument"
bench_call_err no-such-domain "nosuch 10" "No such file or directory"
bench_call_err not-a-bench-domain "log 10" "Protocol not supported"
unload log

rmmod domain_core && pass runtime-rmmod || fail runtime-rmmod "rmmod failed"
