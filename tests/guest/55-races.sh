# Lifecycle races and limits: each race runs long enough to have hit the
# old bug, with callers that fail the test if any call is stuck for 10 s
# (stress.h's watchdog); then the domain memory cap, a crash-looping
# domain upgraded to a fixed image, and imports that would form a cycle.
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS
C=$SYS/domains/crash

insmod "$DC_KO" || { fail races-insmod "insmod failed"; exit 1; }
base=$(counters)

# --- A stateless upgrade racing a fault: 100 upgrades while the domain
# faults over and over under 4 readers, with a standby (each upgrade
# replaces it, each restart takes it) and without.  (Before: after a few
# upgrades the readers hung in D state for good.)
upgrade_vs_fault() { # NAME STANDBY
	DC_STANDBY=$2 DC_RESTART=always dcprobe load $D/crash.dom >/dev/null ||
		{ fail races-setup "cannot load crash"; exit 1; }
	stress_start /tmp/callstress.out callstress /dev/domain/crash 4
	rm -f /tmp/stop-faults
	( while [ ! -e /tmp/stop-faults ]; do printf null >/dev/domain/crash 2>/dev/null; done ) &
	fpid=$!
	ok=0
	for i in $(seq 1 100); do
		out=$(dcprobe upgrade crash $D/crash.dom) || { log "upgrade $i: $out"; break; }
		ok=$i
	done
	touch /tmp/stop-faults
	wait $fpid
	sleep 1
	if ! stress_stop; then
		fail $1 "callers: $(tail -n 3 /tmp/callstress.out | tr '\n' ' ')"
	elif [ $ok != 100 ]; then
		fail $1 "upgrade $((ok + 1)) failed"
	elif ! wait_for $C/state running || ! head -c 64 /dev/domain/crash >/dev/null; then
		fail $1 "crash does not serve: $(cat $C/state)"
	else
		pass $1
		log "$1: $(cat /tmp/callstress.out), faults $(cat $C/faults)"
	fi
}
upgrade_vs_fault race-upgrade-vs-fault-nostandby off
dcprobe unload crash >/dev/null
upgrade_vs_fault race-upgrade-vs-fault on

# --- store_put replacing an object while other CPUs read it through
# store_data: the readers must never see it change under them.  (Before:
# the replaced object was freed at once, and its pages reused.)
stress_start /tmp/callstress.out callstress /dev/domain/crash 4
for i in $(seq 1 20); do printf 'storeput 500' >/dev/domain/crash || break; done
if stress_stop; then
	pass race-store-replace-vs-read
else
	fail race-store-replace-vs-read "callers: $(tail -n 3 /tmp/callstress.out | tr '\n' ' ')"
fi

# --- A domain that is down (restart=never) or crash-looping is upgraded
# into service with a fixed image.
dcprobe unload crash >/dev/null
DC_RESTART=never dcprobe load $D/crash.dom >/dev/null
printf null >/dev/domain/crash 2>/dev/null
if wait_for $C/state down && dcprobe upgrade crash $D/crash.dom >/dev/null &&
   [ "$(cat $C/state)" = running ] && head -c 64 /dev/domain/crash | grep -q '^crash'; then
	pass upgrade-down-domain-into-service
else
	fail upgrade-down-domain-into-service "state $(cat $C/state)"
fi
dcprobe unload crash >/dev/null
DC_RESTART=always DC_RESTART_BACKOFF_MS=200 dcprobe load $D/crash.dom >/dev/null
( while [ ! -e /tmp/stop-faults2 ]; do printf null >/dev/domain/crash 2>/dev/null; done ) &
fpid=$!
ok=0
for i in $(seq 1 20); do
	dcprobe upgrade crash $D/crash.dom >/dev/null && ok=$((ok + 1))
done
touch /tmp/stop-faults2
wait $fpid
[ $ok = 20 ] && pass upgrade-crash-looping-domain ||
	fail upgrade-crash-looping-domain "$ok of 20 upgrades went through"
wait_for $C/state running
dcprobe unload crash >/dev/null

# --- Imports that would form a cycle are refused: crash upgraded to an
# image that imports "file", whose provider is crash itself.
dcprobe load $D/crash.dom >/dev/null
out=$(dcprobe upgrade crash $D/relay.dom)
case $out in
"errno=40 error="*cycle*) pass upgrade-import-cycle-refused ;;
*) fail upgrade-import-cycle-refused "upgrade said '$out'" ;;
esac
[ "$(cat $C/version)" = 1.0.0 ] && head -c 64 /dev/domain/crash | grep -q '^crash' &&
	pass cycle-refusal-leaves-domain-serving || fail cycle-refusal-leaves-domain-serving "$(cat $C/state)"
dcprobe unload crash >/dev/null

# --- The memory cap: a domain that allocates without end gets ENOMEM, and
# the kernel's free memory never drops by more than the cap.
# (MemFree also moves with the per-CPU page lists and caches: caches are
# dropped first, and 8 MiB of slack is allowed for the rest.)
cap=$((16 << 20))
memfree() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '/^MemFree:/ { print $2 * 1024 }' /proc/meminfo
}
free0=$(memfree)
DC_MEM_MAX=$cap dcprobe load $D/crash.dom >/dev/null
out=$(sh -c 'echo hog >/dev/domain/crash' 2>&1)
free1=$(memfree)
heap=$(cat $C/heap_bytes)
case $out in
*"Cannot allocate memory"*)
	if [ "$heap" -le $cap ] && [ "$heap" -gt $((cap / 2)) ] && [ "$free1" -ge $((free0 - cap - (8 << 20))) ]; then
		pass mem-max-caps-allocation
	else
		fail mem-max-caps-allocation "heap $heap of cap $cap, free $free0 -> $free1"
	fi ;;
*) fail mem-max-caps-allocation "hog said '$out'" ;;
esac
dcprobe unload crash >/dev/null
out=$(DC_MEM_MAX=$((1 << 60)) dcprobe load $D/crash.dom)
case $out in
"errno=22 error=mem_max"*) pass mem-max-above-ram-refused ;;
*) fail mem-max-above-ram-refused "load said '$out'"; dcprobe unload crash >/dev/null ;;
esac
out=$(DC_CALL_BUDGET_MS=60000 dcprobe load $D/crash.dom)
case $out in
"errno=22 error=call_budget_ms"*) pass call-budget-above-ceiling-refused ;;
*) fail call-budget-above-ceiling-refused "load said '$out'"; dcprobe unload crash >/dev/null ;;
esac

# --- A block device opened while it is being removed: 30 rounds of
# unloading nullb while another process opens it in a loop.  (Before: the
# opener count and the dying flag were not checked under one lock.)
ok=0
for i in $(seq 1 30); do
	dcprobe load $D/null_blk.dom nullb "nr_devices=1 size=4 memory_backed=1" >/dev/null || break
	( while :; do dd if=/dev/dnullb0 of=/dev/null bs=4k count=1 2>/dev/null; done ) &
	opid=$!
	n=0
	until dcprobe unload nullb >/dev/null; do
		n=$((n + 1))
		[ $n -gt 1000 ] && break
	done
	kill $opid 2>/dev/null
	wait $opid 2>/dev/null
	[ -e $SYS/domains/nullb ] && break
	ok=$i
done
[ $ok = 30 ] && pass race-open-vs-remove || fail race-open-vs-remove "stopped at round $((ok + 1))"

[ "$(counters)" = "$base" ] && pass races-nothing-left || fail races-nothing-left "$base -> $(counters)"
rmmod domain_core && pass races-rmmod || fail races-rmmod "rmmod failed"
