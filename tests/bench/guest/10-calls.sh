# Benchmark (not a test): the cost of a call, the upgrade pause and the
# recovery time.  Prints BENCH lines; run by tests/bench/run.
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS
bench() { echo "BENCH $*"; echo "BENCH $*" >>"$DC_RESULTS"; }
stats() {	# stats FILE: "n=N median=M max=X"
	sort -n "$1" >/tmp/sorted
	n=$(grep -c . /tmp/sorted)
	echo "n=$n median=$(sed -n "$(((n + 1) / 2))p" /tmp/sorted) max=$(tail -n 1 /tmp/sorted)"
}

insmod "$DC_KO" || exit 1
dcprobe load $D/bench.dom >/dev/null || exit 1
# Warm up, then three rounds of a million calls each way.
echo "bench 100000" >$SYS/bench_call
for i in 1 2 3; do
	echo "bench 1000000" >$SYS/bench_call && bench "call $(cat $SYS/bench_call)"
done
dcprobe unload bench >/dev/null

# Stateful upgrade pause, idle and under 4 readers/writers.
dcprobe load $D/log.dom >/dev/null && dcprobe load $D/emptydev.dom >/dev/null
for load in idle busy; do
	: >/tmp/p
	if [ $load = busy ]; then
		rm -f /tmp/stop
		filestress 900 /tmp/stop /dev/domain/emptydev 4 >/dev/null 2>&1 &
		sleep 1
	fi
	for i in $(seq 1 100); do
		out=$(dcprobe upgrade emptydev $D/emptydev-v2.dom) && echo "${out##*pause_ns=}" >>/tmp/p
		out=$(dcprobe upgrade emptydev $D/emptydev.dom) && echo "${out##*pause_ns=}" >>/tmp/p
	done
	[ $load = busy ] && { touch /tmp/stop; wait; }
	bench "upgrade-pause-ns $load $(stats /tmp/p)"
done
dcprobe unload emptydev >/dev/null && dcprobe unload log >/dev/null

# Fault to serving again, idle and under 4 callers.
DC_RESTART=always dcprobe load $D/crash.dom >/dev/null
C=$SYS/domains/crash
for load in idle busy; do
	: >/tmp/r
	if [ $load = busy ]; then
		rm -f /tmp/stop
		callstress 900 /tmp/stop /dev/domain/crash 4 >/dev/null 2>&1 &
		sleep 1
	fi
	for i in $(seq 1 50); do
		r0=$(cat $C/restarts)
		printf gpf >/dev/domain/crash 2>/dev/null
		n=0
		while [ "$(cat $C/restarts)" = "$r0" ] && [ $n -lt 1000 ]; do usleep 5000; n=$((n + 1)); done
		cat $C/last_recovery_ns >>/tmp/r
	done
	[ $load = busy ] && { touch /tmp/stop; wait; }
	bench "recovery-ns $load $(stats /tmp/r)"
done
dcprobe unload crash >/dev/null
rmmod domain_core
pass bench-calls
