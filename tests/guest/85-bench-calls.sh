# Benchmark (not a test): the cost of a call, the upgrade pause and the
# recovery time.  Prints BENCH lines; run by tests/bench/run, and once with
# small counts (dc_bench_smoke=1) by make check.
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS
CALLS=1000000 UPGRADES=100 FAULTS=50
grep -qw dc_bench_smoke=1 /proc/cmdline && CALLS=100000 UPGRADES=5 FAULTS=5

insmod "$DC_KO" || exit 1
dcprobe load $D/bench.dom >/dev/null || exit 1
bad=0
# call NAME WHAT: one round of $CALLS calls into domain NAME.
call() {
	if echo "$1 $CALLS" >$SYS/bench_call; then
		bench "$2 $(cat $SYS/bench_call)"
	else
		fail bench-call "bench_call '$1 $CALLS' refused"
		bad=1
	fi
}
# Warm up, then three rounds of a million calls each way.
echo "bench 100000" >$SYS/bench_call
for i in 1 2 3; do
	call bench call
done
dcprobe unload bench >/dev/null

# One checked store: a call whose method stores to its heap, confined and
# not; the difference is the check.
dcprobe load $D/bench-store.dom bstore >/dev/null &&
	DC_CONFINE_OFF=1 dcprobe load $D/bench-store-unconfined.dom bstoreu >/dev/null || exit 1
for name in bstore bstoreu bstore bstoreu; do
	echo "$name 100000" >$SYS/bench_call
	call $name "store-call $name"
done
dcprobe unload bstore >/dev/null && dcprobe unload bstoreu >/dev/null

# under_load WHAT PROG ARGS...: "measure FILE" idle, then while the stress
# program PROG runs (PROG 900 /tmp/stop ARGS...); BENCH WHAT LOAD stats each.
under_load() {
	what=$1
	shift
	for load in idle busy; do
		: >/tmp/m
		if [ $load = busy ]; then
			stress_start /dev/null "$@"
			sleep 1
		fi
		measure /tmp/m
		[ $load = busy ] && stress_stop
		bench "$what $load $(stats /tmp/m)"
	done
}

# Stateful upgrade pause, idle and under 4 readers/writers.
dcprobe load $D/log.dom >/dev/null && dcprobe load $D/emptydev.dom >/dev/null
measure() {
	for i in $(seq 1 $UPGRADES); do
		out=$(dcprobe upgrade emptydev $D/emptydev-v2.dom) && echo "${out##*pause_ns=}" >>"$1"
		out=$(dcprobe upgrade emptydev $D/emptydev.dom) && echo "${out##*pause_ns=}" >>"$1"
	done
}
under_load upgrade-pause-ns filestress /dev/domain/emptydev 4
dcprobe unload emptydev >/dev/null && dcprobe unload log >/dev/null

# Fault to serving again, idle and under 4 callers, with a standby
# instance (the default) and without.
C=$SYS/domains/crash
measure() {
	for i in $(seq 1 $FAULTS); do
		r0=$(cat $C/restarts)
		printf gpf >/dev/domain/crash 2>/dev/null
		n=0
		while [ "$(cat $C/restarts)" = "$r0" ] && [ $n -lt 1000 ]; do usleep 5000; n=$((n + 1)); done
		cat $C/last_recovery_ns >>"$1"
	done
}
for standby in on off; do
	DC_STANDBY=$standby DC_RESTART=always dcprobe load $D/crash.dom >/dev/null || exit 1
	under_load "recovery-ns standby=$standby" callstress /dev/domain/crash 4
	dcprobe unload crash >/dev/null
done
rmmod domain_core
[ $bad = 0 ] && pass bench-calls
