# Fault containment and recovery: each kind of bug 100 times under load
# (the eight traps; a fault and an endless loop while holding a lock that
# the callers contend for; an endless loop; a stack overrun past the
# outermost frame; 64 KiB of recursion; bad arguments to services),
# restart policies, and a fault in a domain called by another domain.
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS
C=$SYS/domains/crash

insmod "$DC_KO" || { fail fault-insmod "insmod failed"; exit 1; }
# A short budget, so that the hangs are caught quickly.
DC_RESTART=always DC_CALL_BUDGET_MS=100 dcprobe load $D/crash.dom >/dev/null ||
	{ fail fault-setup "cannot load crash.dom"; exit 1; }

base=$(counters)


# inject DOMAIN KIND...: each kind of bug 100 times into DOMAIN (crash.dom)
# under 4 callers; tests are named fault-KIND-100x, with SUFFIX appended.
SUFFIX=
inject() {
	dom=$1
	shift
	C=$SYS/domains/$dom
	for kind in "$@"; do
		case $kind in
		null | lockfault) what="page fault" ;;
		gpf) what="general protection fault" ;;
		ud2) what="invalid opcode" ;;
		div0) what="divide error" ;;
		stack) what="stack-protector hit" ;;
		# Past the outermost frame: caught before it lands (57-confine.sh).
		overrun) what="stray store" ;;
		panic) what="panic" ;;
		assert) what="assertion failure" ;;
		bounds) what="bounds check" ;;
		loop | lockloop) what="hang" ;;
		recurse) what="stack overflow" ;;
		badself) what="bad service argument at crash_write+0x[0-9a-f]*: svc->obj_alloc" ;;
		badlock) what="bad service argument at crash_write+0x[0-9a-f]*: svc->lock" ;;
		badlog) what="bad service argument at crash_write+0x[0-9a-f]*: svc->log" ;;
		esac
		# Only the fallback page-fault path prints an oops report.
		case $kind in null | lockfault)
			[ "$(cat $SYS/page_fault_path)" = die_oops ] && expect_oops 100 ;;
		esac
		r0=$(cat $C/restarts)
		f0=$(cat $C/faults)
		stress_start /tmp/callstress.out callstress /dev/domain/$dom 4
		ok=0
		for i in $(seq 1 100); do
			# Hold some memory first: the fault must give it all back.
			printf 'hold 20' >/dev/domain/$dom 2>/dev/null
			if printf '%s' $kind >/dev/domain/$dom 2>/dev/null; then
				log "$kind: the write succeeded"
				break
			fi
			wait_for $C/restarts $((r0 + i)) || { log "$kind: no restart $i"; break; }
			cat $C/last_recovery_ns >>/tmp/recovery$SUFFIX
			ok=$i
		done
		sleep 1		# calls must go on succeeding after the last recovery
		stress_stop
		crc=$?
		r=$(( $(cat $C/restarts) - r0 ))
		f=$(( $(cat $C/faults) - f0 ))
		now=$(counters)
		lf=$(cat $C/last_fault)
		if [ $ok != 100 ]; then
			fail "fault-$kind-100x$SUFFIX" "stopped at $ok"
		elif [ $r != 100 ] || [ $f != 100 ]; then
			fail "fault-$kind-100x$SUFFIX" "restarts +$r faults +$f (want exactly 100)"
		elif [ $crc != 0 ]; then
			fail "fault-$kind-100x$SUFFIX" "callers: $(cat /tmp/callstress.out | tr '\n' ' ')"
		elif [ "$now" != "$base" ]; then
			fail "fault-$kind-100x$SUFFIX" "accounting $base -> $now"
		else
			pass "fault-$kind-100x$SUFFIX"
			log "$kind: callers $(cat /tmp/callstress.out)"
		fi
		if printf '%s\n' "$lf" | grep -q "^$what"; then
			pass "fault-$kind-reported$SUFFIX"
		else
			fail "fault-$kind-reported$SUFFIX" "last_fault '$lf' (want '$what...')"
		fi
	done
}

# With a standby (the default for a domain that restarts): every kind.
: >/tmp/recovery
if [ "$(cat $C/standby)" = on ] && [ "$(cat $C/standby_bytes)" -gt 0 ]; then
	pass standby-default-on
else
	fail standby-default-on "standby $(cat $C/standby), $(cat $C/standby_bytes) bytes"
fi
inject crash null gpf ud2 div0 stack panic assert bounds lockfault lockloop \
	loop overrun recurse badself badlock badlog
[ "$(cat $C/standby_bytes)" -gt 0 ] && pass standby-prepared-again ||
	fail standby-prepared-again "no standby after the restarts"
# Without one: the restart maps the image; a trap, a hang, a lock held,
# a stray store.
DC_STANDBY=off DC_RESTART=always DC_CALL_BUDGET_MS=100 dcprobe load $D/crash.dom crashns >/dev/null ||
	fail fault-setup-standby-off "cannot load crashns"
base=$(counters)
if [ "$(cat $SYS/domains/crashns/standby) $(cat $SYS/domains/crashns/standby_bytes)" = "off 0" ]; then
	pass standby-off
else
	fail standby-off "standby $(cat $SYS/domains/crashns/standby), $(cat $SYS/domains/crashns/standby_bytes) bytes"
fi
SUFFIX=-nostandby
: >/tmp/recovery$SUFFIX
inject crashns null lockfault loop overrun
SUFFIX=
dcprobe unload crashns >/dev/null
C=$SYS/domains/crash
out=$(DC_STANDBY=both dcprobe load $D/crash.dom crashboth)
case $out in
"errno=22 error=standby both on and off") pass standby-both-refused ;;
*) fail standby-both-refused "load said '$out'" ;;
esac
base=$(counters)
if [ "$(cat $SYS/page_fault_path)" = fixup_exception ]; then
	taint=$(cat /proc/sys/kernel/tainted)
	if dmesg | grep -q 'Oops' || [ $((taint & 128)) != 0 ]; then
		fail page-faults-quiet "oops printed or kernel tainted D (tainted=$taint)"
	else
		pass page-faults-quiet
	fi
else
	skip page-faults-quiet "fixup_exception could not be probed on this kernel"
fi
# Root sees where a fault was; others see addresses hashed, as %p does.
r0=$(cat $C/restarts)
[ "$(cat $SYS/page_fault_path)" = die_oops ] && expect_oops 1
printf null >/dev/domain/crash 2>/dev/null
wait_for $C/restarts $((r0 + 1))
as_root=$(cat $C/last_fault)
as_nobody=$(runas 65534 cat $C/last_fault)
case "$as_root" in
"page fault at crash_write+0x"*": address 0x0")
	case "$as_nobody" in
	"page fault at crash_write+0x"*": address "*0x*) fail fault-address-hashed-for-users "nobody sees '$as_nobody'" ;;
	"page fault at crash_write+0x"*": address "?*) pass fault-address-hashed-for-users ;;
	*) fail fault-address-hashed-for-users "nobody sees '$as_nobody'" ;;
	esac ;;
*) fail fault-address-hashed-for-users "root sees '$as_root'" ;;
esac

dmesg | grep -q 'crash.dom: page fault at crash_write+0x' && pass fault-log-names-function ||
	fail fault-log-names-function "$(dmesg | grep 'crash.dom' | tail -n 2)"
got=$(head -c 64 /dev/domain/crash)
case $got in
"crash inits=$(($(cat $C/restarts) + 1)) "*) pass state-store-outlives-restarts ;;
*) fail state-store-outlives-restarts "crash says '$got'" ;;
esac

bench "recovery-ns $(stats /tmp/recovery)"
bench "recovery-ns-nostandby $(stats /tmp/recovery-nostandby)"

# restart=never: the domain stays down and callers get an error, not a hang.
DC_RESTART=never dcprobe load $D/crash.dom crashnever >/dev/null
printf gpf >/dev/domain/crashnever 2>/dev/null
if wait_for $SYS/domains/crashnever/state down; then
	# (dd, not head: busybox head reports a stale errno)
	out=$(timeout 10 dd if=/dev/domain/crashnever bs=10 count=1 2>&1)
	rc=$?
	case "$rc $out" in
	"1 "*"No such device"*) pass restart-never-stays-down ;;
	*) fail restart-never-stays-down "read gave rc=$rc '$out'" ;;
	esac
else
	fail restart-never-stays-down "state $(cat $SYS/domains/crashnever/state)"
fi

# on-failure with a limit of 3: the fourth fault keeps it down.
DC_RESTART=on-failure DC_RESTART_MAX=3 dcprobe load $D/crash.dom crashlimit >/dev/null
for i in 1 2 3; do
	printf div0 >/dev/domain/crashlimit 2>/dev/null
	wait_for $SYS/domains/crashlimit/restarts $i
done
printf div0 >/dev/domain/crashlimit 2>/dev/null
if wait_for $SYS/domains/crashlimit/state down &&
   [ "$(cat $SYS/domains/crashlimit/restarts)" = 3 ]; then
	pass restart-limit-stays-down
else
	fail restart-limit-stays-down "state $(cat $SYS/domains/crashlimit/state) restarts $(cat $SYS/domains/crashlimit/restarts)"
fi
dcprobe unload crashnever >/dev/null && dcprobe unload crashlimit >/dev/null &&
	pass unload-down-domains || fail unload-down-domains "cannot unload them"

# A fault in a domain called by another: the callee is blamed and restarted,
# the caller survives and sees the error.
dcprobe load $D/relay.dom >/dev/null || fail fault-cross-domain "cannot load relay"
f0=$(cat $C/faults)
r0=$(cat $C/restarts)
printf ud2 >/dev/domain/relay 2>/dev/null
wait_for $C/restarts $((r0 + 1))
st=$(head -c 64 /dev/domain/relay)
if [ "$(cat $C/faults)" = $((f0 + 1)) ] && [ "$(cat $SYS/domains/relay/faults)" = 0 ] &&
   [ "$(cat $SYS/domains/relay/state)" = running ] && [ "$st" = "relay calls=1 last=-5" ]; then
	pass fault-cross-domain-attribution
else
	fail fault-cross-domain-attribution "crash faults $f0 -> $(cat $C/faults), relay faults $(cat $SYS/domains/relay/faults), relay says '$st'"
fi
printf 'hold 1' >/dev/domain/relay && pass fault-cross-domain-resumes ||
	fail fault-cross-domain-resumes "relay could not reach crash again"

dcprobe unload relay >/dev/null && dcprobe unload crash >/dev/null
[ "$(cat $SYS/exec_regions) $(cat $SYS/heap_bytes) $(cat $SYS/shared_objects)" = "0 0 0" ] &&
	pass fault-nothing-left || fail fault-nothing-left "$(counters)"
rmmod domain_core && pass fault-rmmod || fail fault-rmmod "rmmod failed"
