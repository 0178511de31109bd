# Trace events: a load, an upgrade, a fault and a restart each show up in
# tracefs (events/domain_core/), as perf trace and trace-cmd users see them.
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS
T=/sys/kernel/tracing
[ -d $T/events ] || T=/sys/kernel/debug/tracing

insmod "$DC_KO" || { fail trace-insmod "insmod failed"; exit 1; }
if [ ! -d $T/events/domain_core ]; then
	fail trace-events-registered "no $T/events/domain_core ($(ls $T/events 2>&1 | head -c 200))"
	rmmod domain_core
	exit 1
fi
pass trace-events-registered
# Without the command-line recorder: enabling an event would otherwise hook
# sched_switch and sched_wakeup too, patching the kernel's scheduler text
# (text_poke_bp) while the other CPU runs it, which QEMU's multi-threaded
# TCG gets wrong now and then (a stray "int3" oops in ttwu_do_activate,
# seen once on 7.x; docs/testing.md).  Our events need none of it.
[ -w $T/options/record-cmd ] && echo 0 >$T/options/record-cmd
echo 0 >$T/tracing_on
: >$T/trace
echo 1 >$T/events/domain_core/enable
echo 1 >$T/tracing_on

dcprobe load $D/log.dom >/dev/null
DC_RESTART=always dcprobe load $D/crash.dom >/dev/null
dcprobe upgrade log $D/log-v2.dom >/dev/null
printf null >/dev/domain/crash 2>/dev/null
n=0
while [ "$(cat $SYS/domains/crash/restarts)" != 1 ] && [ $n -lt 500 ]; do
	usleep 10000
	n=$((n + 1))
done
dcprobe unload crash >/dev/null
dcprobe unload log >/dev/null
echo 0 >$T/tracing_on
cat $T/trace >/tmp/trace
echo 0 >$T/events/domain_core/enable

# expect_event NAME REGEX: a line of the trace shows event NAME matching REGEX.
expect_event() {
	if grep -E "domain_$1: $2" /tmp/trace >/dev/null; then
		pass "trace-$1"
	else
		fail "trace-$1" "no line like 'domain_$1: $2' in: $(grep domain_ /tmp/trace | cut -c1-300 | tr '\n' '|')"
	fi
}
expect_event load 'log 1\.0\.0 iface=log'
expect_event load 'crash 1\.0\.0 iface=file'
expect_event upgrade 'log 1\.0\.0 -> [0-9.]+ stateless pause_ns=0'
expect_event fault 'crash kind="page fault" at crash_write\+0x[0-9a-f]+'
expect_event restart 'crash restarts=1 recovery_ns=[1-9][0-9]*'
expect_event unload 'crash'
rmmod domain_core && pass trace-rmmod || fail trace-rmmod "rmmod failed"
