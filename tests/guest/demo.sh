# The main job's guest side (make demo): load domain_core and a few
# domains, use them, and show their status.  Not a test.
. "$DC_LIB"

say() { printf '\n$ %s\n' "$*"; }
D=$DC_DOMAINS

say insmod domain_core.ko
insmod "$DC_KO" || exit 1
echo "domain_core $(cat /sys/kernel/domain_core/version), executable memory via $(cat /sys/kernel/domain_core/backend)"

say domainctl load log.dom
domainctl load $D/log.dom
say domainctl load emptydev.dom
domainctl load $D/emptydev.dom
say "domainctl load --restart always null_blk.dom nullb nr_devices=1 size=64 bs=4096 memory_backed=1 fault_inject=1"
domainctl load --restart always $D/null_blk.dom nullb nr_devices=1 size=64 bs=4096 memory_backed=1 fault_inject=1

say "echo 'hello from a domain' > /dev/domain/log; dmesg | tail -n 1"
echo 'hello from a domain' >/dev/domain/log
dmesg | tail -n 1
say "printf 'stateful data' > /dev/domain/emptydev; head -c 13 /dev/domain/emptydev"
printf 'stateful data' >/dev/domain/emptydev
head -c 13 /dev/domain/emptydev; echo
say "dd if=/dev/urandom of=/dev/dnullb0 bs=64k count=64 oflag=direct"
dd if=/dev/urandom of=/dev/dnullb0 bs=64k count=64 oflag=direct 2>&1 | tail -n 1

say domainctl upgrade emptydev emptydev-v2.dom
domainctl upgrade emptydev $D/emptydev-v2.dom
say "dd if=/dev/domain/emptydev bs=1 skip=65536 count=120"
dd if=/dev/domain/emptydev bs=1 skip=65536 count=120 2>/dev/null

# The third promise: a bug in a domain costs at most the calls in flight.
# fault_inject=1 makes nullb fault on a write of "DCFAULT:<kind>:<n>" to
# its last 4 KiB; fio keeps writing and verifying all along.
say "fio --rw=randrw --verify=crc32c ... /dev/dnullb0 &   # I/O under way"
fio --name=demo --filename=/dev/dnullb0 --rw=randrw --bs=4k --size=32M \
    --ioengine=psync --direct=1 --verify=crc32c --do_verify=1 --numjobs=2 \
    --time_based --runtime=8 --group_reporting >/tmp/fio.out 2>&1 &
fio_pid=$!
sleep 1
for kind in null gpf panic; do
	say "inject a $kind into nullb: printf 'DCFAULT:$kind:N' | dd of=/dev/dnullb0 seek=LAST"
	last=$(($(blockdev --getsize64 /dev/dnullb0) / 4096 - 1))
	n=$(( $(cat /sys/kernel/domain_core/domains/nullb/restarts) + 1 ))
	printf 'DCFAULT:%s:%s' "$kind" "$n" |
		dd of=/dev/dnullb0 bs=4096 seek=$last conv=sync oflag=direct 2>/dev/null
	sleep 1
	echo "nullb: restarts=$(cat /sys/kernel/domain_core/domains/nullb/restarts)" \
	     "last_fault: $(cat /sys/kernel/domain_core/domains/nullb/last_fault)"
done
wait $fio_pid
say "fio's verdict"
grep -E "err=|READ:|WRITE:" /tmp/fio.out

say domainctl status
domainctl status
