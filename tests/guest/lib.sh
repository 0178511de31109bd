# shellcheck shell=sh
# Helpers for guest test scripts (busybox sh).  Use:  . "$DC_LIB"
#
#   pass NAME               PASS NAME
#   fail NAME REASON...     FAIL NAME: REASON
#   skip NAME REASON...     SKIP NAME: REASON
#   expect_oops N           this script deliberately causes N oops reports
#   check NAME CMD...       run CMD: pass if it exits 0, else fail with its
#                           exit code and the last lines of its output
#   log MSG...              a note on the console only
#   counters                the TCB's totals (exec regions and pages, heap,
#                           shared objects and bytes), one line
#   wait_for FILE VALUE     up to 20 s for a sysfs file to read VALUE
#   bench WHAT...           BENCH WHAT: a measurement, to the results and
#                           the console
#   stats FILE              "n=N median=M max=X" of FILE's numbers, one a line
#   stress_start OUT PROG ARGS...
#                           run "PROG 900 /tmp/stop ARGS..." (callstress,
#                           filestress, logstress: see tests/guest/stress.h)
#                           in the background, its output in OUT
#   stress_stop             make it stop; returns its exit status
#   stress_stop_check NAME  the same, then pass NAME (and log the output) if
#                           it exited 0, else fail with its last lines
#
# Result lines go to the results channel (/dev/ttyS1, read by the host) and
# to stdout (the console).  Keep NAME one word: letters, digits, - _ . /

DC_RESULTS=${DC_RESULTS:-/dev/ttyS1}

_dc_result() {
	printf '%s\n' "$*"
	if [ -c "$DC_RESULTS" ] || [ -f "$DC_RESULTS" ]; then
		printf '%s\n' "$*" >>"$DC_RESULTS"
	fi
	# Lets /init tell whether a failing script reported its failure.
	[ -n "${DC_RESULTS_COPY:-}" ] && printf '%s\n' "$*" >>"$DC_RESULTS_COPY"
	return 0
}

pass() { _dc_result "PASS $1"; }

fail() {
	_dc_n=$1
	shift
	_dc_result "FAIL $_dc_n: ${*:-failed}"
}

skip() {
	_dc_n=$1
	shift
	_dc_result "SKIP $_dc_n: ${*:-skipped}"
}

expect_oops() { _dc_result "EXPECT_OOPS ${1:-1}"; }

log() { printf '%s\n' "$*"; }

bench() { _dc_result "BENCH $*"; }

# counters: the TCB's totals, for "nothing left behind" checks.
counters() {
	_dc_sys=/sys/kernel/domain_core
	echo "$(cat $_dc_sys/exec_regions) $(cat $_dc_sys/exec_pages) $(cat $_dc_sys/heap_bytes)" \
	     "$(cat $_dc_sys/shared_objects) $(cat $_dc_sys/shared_bytes)"
}

# wait_for FILE VALUE: wait up to 20 s for a sysfs file to read VALUE.
wait_for() {
	_dc_n=0
	while [ "$(cat "$1")" != "$2" ]; do
		_dc_n=$((_dc_n + 1))
		[ $_dc_n -gt 2000 ] && return 1
		usleep 10000
	done
}

stats() {
	sort -n "$1" >/tmp/dc-sorted
	_dc_n=$(grep -c . /tmp/dc-sorted)
	echo "n=$_dc_n median=$(sed -n "$(((_dc_n + 1) / 2))p" /tmp/dc-sorted)" \
	     "max=$(tail -n 1 /tmp/dc-sorted)"
}

stress_start() {
	_dc_stress_out=$1
	_dc_stress_prog=$2
	shift 2
	rm -f /tmp/stop
	"$_dc_stress_prog" 900 /tmp/stop "$@" >"$_dc_stress_out" 2>&1 &
	_dc_stress_pid=$!
}

stress_stop() {
	touch /tmp/stop
	wait "$_dc_stress_pid"
}

stress_stop_check() {
	if stress_stop; then
		pass "$1"
		log "$_dc_stress_prog: $(cat "$_dc_stress_out")"
	else
		fail "$1" "$(tail -n 3 "$_dc_stress_out" | tr '\n' ' ')"
	fi
}

check() {
	_dc_n=$1
	shift
	_dc_out=$("$@" 2>&1)
	_dc_rc=$?
	if [ "$_dc_rc" -eq 0 ]; then
		pass "$_dc_n"
	else
		printf '%s\n' "$_dc_out" | tail -n 15 | sed 's/^/  | /'
		fail "$_dc_n" "'$*' exited $_dc_rc: $(printf '%s\n' "$_dc_out" | tail -n 3 | tr '\n' ' ' | cut -c1-200)"
	fi
	return "$_dc_rc"
}
