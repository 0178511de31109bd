# Live upgrade: stateless (log) and stateful (emptydev) under load, and
# rollback at every failure point.
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS

insmod "$DC_KO" || { fail upgrade-insmod "insmod failed"; exit 1; }
dcprobe load $D/log.dom >/dev/null && dcprobe load $D/emptydev.dom >/dev/null ||
	{ fail upgrade-setup "cannot load log and emptydev"; exit 1; }

# --- Stateless: 200 upgrades of log while 4 threads write to it.
stress_start /tmp/logstress.out logstress 4
sleep 1
ok=0
pauses=/tmp/log-pauses
: >$pauses
for i in $(seq 1 200); do
	if [ $((i % 2)) = 1 ]; then img=$D/log-v2.dom; else img=$D/log.dom; fi
	out=$(dcprobe upgrade log $img) || { log "upgrade $i: $out"; break; }
	ok=$i
done
[ $ok = 200 ] && pass stateless-200-upgrades || fail stateless-200-upgrades "stopped at $ok"
stress_stop_check stateless-no-call-lost
[ "$(cat $SYS/domains/log/upgrades)" = 200 ] && pass stateless-upgrade-count ||
	fail stateless-upgrade-count "upgrades=$(cat $SYS/domains/log/upgrades)"

# --- Stateful: v1 -> v2 -> v1 keeps buffer and counters byte for byte.
head -c 4096 /dev/urandom >/tmp/pattern
dd if=/tmp/pattern of=/dev/domain/emptydev bs=4096 count=1 2>/dev/null
status() { dd if=/dev/domain/emptydev bs=1 skip=65536 count=300 2>/dev/null; }
s1=$(status)
out=$(dcprobe upgrade emptydev $D/emptydev-v2.dom)
log "emptydev $out"
s2=$(status)
[ "$s2" = "v2 $s1 upgrades=1" ] && pass stateful-v2-carries-counters ||
	fail stateful-v2-carries-counters "v1 '$s1' v2 '$s2'"
dcprobe upgrade emptydev $D/emptydev.dom >/dev/null
s3=$(status)
[ "$s3" = "$s1" ] && pass stateful-roundtrip-counters ||
	fail stateful-roundtrip-counters "before '$s1' after '$s3'"
dd if=/dev/domain/emptydev of=/tmp/back bs=4096 count=1 2>/dev/null
cmp -s /tmp/pattern /tmp/back && pass stateful-roundtrip-buffer ||
	fail stateful-roundtrip-buffer "buffer differs after v1 -> v2 -> v1"

# --- Stateful under load: 200 cycles with 4 readers/writers.
stress_start /tmp/filestress.out filestress /dev/domain/emptydev 4
sleep 1
ok=0
: >$pauses
for i in $(seq 1 200); do
	out=$(dcprobe upgrade emptydev $D/emptydev-v2.dom) || { log "v2 $i: $out"; break; }
	echo "${out##*pause_ns=}" >>$pauses
	out=$(dcprobe upgrade emptydev $D/emptydev.dom) || { log "v1 $i: $out"; break; }
	echo "${out##*pause_ns=}" >>$pauses
	ok=$i
done
[ $ok = 200 ] && pass stateful-200-cycles || fail stateful-200-cycles "stopped at $ok"
stress_stop_check stateful-no-failed-call
bench "upgrade-pause-ns $(stats $pauses)"
p=$(cat $SYS/domains/emptydev/last_pause_ns)
[ "$p" -gt 0 ] && pass pause-reported-in-sysfs || fail pause-reported-in-sysfs "last_pause_ns=$p"

# --- Rollback: after each failed upgrade the old version serves, with its
# state, and the accounting is back where it was.
printf 'rollback state' | dd of=/dev/domain/emptydev bs=14 count=1 conv=notrunc 2>/dev/null
base=$(counters)
sbase=$(status)
head -c 1000 $D/emptydev-v2.dom >/tmp/truncated.dom
rollback() {	# rollback NAME EXPECTED-ERRNO IMAGE [PARAMS]
	name=$1 want=$2
	shift 2
	out=$(dcprobe upgrade emptydev "$@")
	now=$(counters)
	st=$(status)
	data=$(head -c 14 /dev/domain/emptydev)
	case $out in
	"errno=$want error="?*) ;;
	*) fail "rollback-$name" "upgrade said '$out'"; return ;;
	esac
	if [ "$now" != "$base" ]; then
		fail "rollback-$name" "accounting $base -> $now"
	elif [ "$data" != "rollback state" ] || [ "$(cat $SYS/domains/emptydev/version)" != 1.0.0 ]; then
		fail "rollback-$name" "old version lost its state: '$data'"
	else
		pass "rollback-$name"
		log "rollback-$name: ${out#*error=}"
	fi
	base=$(counters)
}
rollback bad-image 61 /tmp/truncated.dom		# ENODATA
rollback interface-mismatch 93 $D/log.dom		# EPROTONOSUPPORT
rollback init-fails 22 $D/emptydev-v2.dom fail_init=1	# EINVAL
rollback import-fails 5 $D/emptydev-v2.dom fail_import=1	# EIO
[ "$(status)" = "$sbase" ] || log "status moved: '$sbase' -> '$(status)'"

dcprobe unload emptydev >/dev/null && dcprobe unload log >/dev/null
rmmod domain_core && pass upgrade-rmmod || fail upgrade-rmmod "rmmod failed"
