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
say "domainctl load null_blk.dom nullb nr_devices=1 size=64 bs=4096 memory_backed=1"
domainctl load $D/null_blk.dom nullb nr_devices=1 size=64 bs=4096 memory_backed=1

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

say domainctl status
domainctl status
