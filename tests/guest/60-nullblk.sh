# The null_blk domain behind the block shim: data integrity, a file system,
# upgrades and faults under fio load, and unload while open.
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS
N=$SYS/domains/nullb
DEV=/dev/dnullb0

if ! command -v fio >/dev/null || ! command -v mkfs.ext4 >/dev/null; then
	fail nullb-tools "fio or mkfs.ext4 missing from the test image"
	exit 1
fi
insmod "$DC_KO" || { fail nullb-insmod "insmod failed"; exit 1; }
PARAMS="nr_devices=1 size=256 bs=4096 memory_backed=1 hw_queue_depth=256 submit_queues=2 irqmode=0 completion_nsec=0 fault_inject=1"
out=$(DC_RESTART=always dcprobe load $D/null_blk.dom nullb "$PARAMS")
case $out in
loaded) pass nullb-load ;;
*) fail nullb-load "$out"; exit 1 ;;
esac
size=$(blockdev --getsize64 $DEV 2>/dev/null)
[ -b $DEV ] && [ "$size" = 268435456 ] && pass nullb-device || fail nullb-device "$DEV size '$size'"
echo none >/sys/block/dnullb0/queue/scheduler 2>/dev/null

# fio_ok NAME LOGFILE: fio succeeded with no I/O or verify errors.
fio_ok() {
	if grep -qE 'err= *[1-9]|verify: bad|bad magic|crc32c: verify failed|fio: .*error' "$2"; then
		fail "$1" "$(grep -E 'err=|verify|error' "$2" | head -n 3 | tr '\n' ' ')"
		return 1
	fi
	pass "$1"
}

# --- Data integrity: write the whole device, then verify, 4k and 32k.
for bs in 4k 32k; do
	fio --name=integrity-$bs --filename=$DEV --ioengine=psync --direct=1 \
	    --rw=write --bs=$bs --size=100% --verify=crc32c --do_verify=1 \
	    --output=/tmp/fio-$bs.log >/dev/null 2>&1
	rc=$?
	[ $rc = 0 ] && fio_ok nullb-verify-whole-device-$bs /tmp/fio-$bs.log ||
		fail nullb-verify-whole-device-$bs "fio exited $rc: $(tail -n 3 /tmp/fio-$bs.log | tr '\n' ' ')"
done

# --- A file system.
mkdir -p /mnt
if mkfs.ext4 -q -F $DEV && mount -t ext4 $DEV /mnt; then
	mkdir -p /mnt/tree && cp -a /dc /bin /mnt/tree/ && sync
	umount /mnt
	if e2fsck -fn $DEV >/tmp/fsck.log 2>&1; then
		pass nullb-ext4-fsck-clean
	else
		fail nullb-ext4-fsck-clean "$(tail -n 3 /tmp/fsck.log | tr '\n' ' ')"
	fi
	mount -t ext4 $DEV /mnt && diff -r /dc /mnt/tree/dc >/tmp/diff.log 2>&1 &&
		diff -r /bin /mnt/tree/bin >>/tmp/diff.log 2>&1 &&
		pass nullb-ext4-contents || fail nullb-ext4-contents "$(head -n 3 /tmp/diff.log)"
	umount /mnt
else
	fail nullb-ext4-fsck-clean "mkfs or mount failed"
fi

# Background load: 4 jobs of random read/write with verification, each in
# its own 32 MiB, clear of the last page (the fault-injection page).
load_start() {
	fio --name=load --filename=$DEV --ioengine=psync --direct=1 --rw=randrw \
	    --bs=4k --numjobs=4 --size=32M --offset_increment=32M \
	    --verify=crc32c --verify_backlog=256 --loops=1000 --time_based=1 \
	    --runtime=600 --output=/tmp/load.log >/dev/null 2>&1 &
	LOAD=$!
	sleep 3
}
load_stop() {
	kill -INT $LOAD 2>/dev/null
	wait $LOAD
	LOADRC=$?
}

# --- Upgrades under load.
load_start
ok=0
for i in $(seq 1 20); do
	if [ $((i % 2)) = 1 ]; then img=$D/null_blk-v2.dom; else img=$D/null_blk.dom; fi
	out=$(dcprobe upgrade nullb $img) || { log "upgrade $i: $out"; break; }
	ok=$i
	sleep 1
done
load_stop
[ $ok = 20 ] && pass nullb-20-upgrades-under-load || fail nullb-20-upgrades-under-load "stopped at $ok"
fio_ok nullb-upgrades-no-io-error /tmp/load.log

# --- Faults under load.
load_start
ok=0
last=$(( (268435456 - 4096) / 4096 ))
set -- null gpf ud2 div0 panic assert bounds
r0=$(cat $N/restarts)
for i in $(seq 1 20); do
	kind=$(eval echo \${$(( (i - 1) % 7 + 1 ))})
	printf 'DCFAULT:%s:%d' $kind $i | dd of=/tmp/cmd bs=4096 count=1 conv=sync 2>/dev/null
	if ! dd if=/tmp/cmd of=$DEV bs=4096 seek=$last count=1 oflag=direct conv=notrunc 2>/tmp/dd.log; then
		log "fault $i ($kind): the write failed: $(cat /tmp/dd.log)"
		break
	fi
	n=0
	while [ "$(cat $N/restarts)" -lt $((r0 + i)) ] && [ $n -lt 500 ]; do
		usleep 20000
		n=$((n + 1))
	done
	ok=$i
done
load_stop
r=$(( $(cat $N/restarts) - r0 ))
[ $ok = 20 ] && [ $r = 20 ] && pass nullb-20-faults-under-load ||
	fail nullb-20-faults-under-load "$ok faults injected, $r restarts"
fio_ok nullb-faults-no-io-error /tmp/load.log
log "nullb: $(cat $N/faults) faults, $(cat $N/restarts) restarts, last: $(cat $N/last_fault)"

# --- Bad arguments to req_copy, 100 times each under load: a range past
# the request (badcopy) and a NULL buffer (nullbuf).  Each fails the
# instance, named as a bad service argument; no I/O fails.
seq_no=100
for kind in badcopy nullbuf; do
	load_start
	ok=0
	r0=$(cat $N/restarts)
	for i in $(seq 1 100); do
		seq_no=$((seq_no + 1))
		printf 'DCFAULT:%s:%d' $kind $seq_no | dd of=/tmp/cmd bs=4096 count=1 conv=sync 2>/dev/null
		dd if=/tmp/cmd of=$DEV bs=4096 seek=$last count=1 oflag=direct conv=notrunc 2>/dev/null ||
			{ log "$kind $i: the write failed"; break; }
		wait_for $N/restarts $((r0 + i)) || { log "$kind $i: no restart"; break; }
		ok=$i
	done
	load_stop
	r=$(( $(cat $N/restarts) - r0 ))
	if [ $ok = 100 ] && [ $r = 100 ] &&
	   grep -q "^bad service argument at nb_.*: svc->req_copy" $N/last_fault; then
		pass nullb-$kind-100x-under-load
	else
		fail nullb-$kind-100x-under-load "$ok injected, $r restarts, last_fault '$(cat $N/last_fault)'"
	fi
	fio_ok nullb-$kind-no-io-error /tmp/load.log
done

# --- The memory cap holds for the device's backing too: an 8 MiB cap on
# a 64 MiB device; writing 16 MiB fails, and no more than the cap is used.
out=$(DC_MEM_MAX=$((8 << 20)) dcprobe load $D/null_blk.dom nbcap "nr_devices=1 size=64 memory_backed=1")
case $out in
"errno="*) fail nullb-mem-max-caps-backing "load said '$out'" ;;
*)
	if dd if=/dev/zero of=/dev/dnbcap0 bs=1M count=16 oflag=direct 2>/dev/null; then
		fail nullb-mem-max-caps-backing "16 MiB written past an 8 MiB cap"
	elif [ "$(cat $SYS/domains/nbcap/mem_used)" -gt $((8 << 20)) ]; then
		fail nullb-mem-max-caps-backing "mem_used $(cat $SYS/domains/nbcap/mem_used)"
	else
		pass nullb-mem-max-caps-backing
	fi
	dcprobe unload nbcap >/dev/null ;;
esac

# --- Unload while open is refused, then succeeds once closed.
exec 3<$DEV
out=$(dcprobe unload nullb)
exec 3<&-
case $out in
*errno=16*) pass nullb-unload-while-open-refused ;;
*) fail nullb-unload-while-open-refused "$out" ;;
esac
out=$(dcprobe unload nullb)
[ "$out" = unloaded ] && [ ! -b $DEV ] && pass nullb-unload || fail nullb-unload "$out"
[ "$(cat $SYS/shared_objects) $(cat $SYS/exec_regions)" = "0 0" ] && pass nullb-nothing-left ||
	fail nullb-nothing-left "objects $(cat $SYS/shared_objects) regions $(cat $SYS/exec_regions)"
# --- Bad parameters: refused with EINVAL, the reason in the kernel log, and
# nothing left behind.
bad_param() {
	local params=$1 reason=$2 out
	dmesg -c >/dev/null
	out=$(dcprobe load $D/null_blk.dom nullb "$params")
	case $out in
	errno=22\ *) ;;
	*) fail "nullb-bad-param $params" "want errno=22, got: $out"; return ;;
	esac
	if ! dmesg | grep -qF "nullb: $reason"; then
		fail "nullb-bad-param $params" "no '$reason' in the kernel log: $(dmesg | tail -n 2 | tr '\n' ' ')"
	elif [ -e /dev/dnullb0 ] || [ -e $N ] ||
	     [ "$(cat $SYS/shared_objects) $(cat $SYS/exec_regions)" != "0 0" ]; then
		fail "nullb-bad-param $params" "something was left behind"
	else
		pass "nullb-bad-param $params"
	fi
}
bad_param "bs=1000" "bs=1000: must be a power of two from 512 to 4096"
bad_param "bs=8192" "bs=8192: must be a power of two from 512 to 4096"
bad_param "queue_mode=1" "queue_mode=1 is not supported (only queue_mode=mq (2))"
bad_param "irqmode=2" "irqmode=2 is not supported (only irqmode=none (0))"
bad_param "nr_devices=0" "nr_devices=0: must be 1..64"
bad_param "nr_devices=65" "nr_devices=65: must be 1..64"
bad_param "gb=0" "gb=0: must be 1..1048576"
bad_param "hw_queue_depth=0" "submit_queues must be 1..256 and hw_queue_depth 1..4096"
bad_param "submit_queues=257" "submit_queues must be 1..256 and hw_queue_depth 1..4096"
bad_param "size=1099511627776" "size=1099511627776 MiB is too large"
bad_param "memory_backed=2" "parameter 'memory_backed=2': expected memory_backed=0 or memory_backed=1"
bad_param "bs=4x" "parameter 'bs=4x': expected bs=<number>"
bad_param "colour=blue" "unknown parameter 'colour'"

rmmod domain_core && pass nullb-rmmod || fail nullb-rmmod "rmmod failed"
