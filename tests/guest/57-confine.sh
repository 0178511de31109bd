# Memory confinement: each kind of stray store 100 times under 4 callers,
# caught before it lands (the target is unchanged), the domain restarted
# each time, nothing left behind; and confine=off.
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS
C=$SYS/domains/crash
V=$SYS/domains/victim
R=$SYS/domains/relay

insmod "$DC_KO" || { fail confine-insmod "insmod failed"; exit 1; }

# The victim (loaded first, so relay's import resolves to it) keeps an
# object and a heap page with a known pattern; crash and relay stray.
dcprobe load $D/crash.dom victim >/dev/null &&
	printf keep >/dev/domain/victim &&
	DC_RESTART=always dcprobe load $D/relay.dom >/dev/null &&
	DC_RESTART=always dcprobe load $D/crash.dom >/dev/null ||
	{ fail confine-setup "cannot load victim, relay and crash"; exit 1; }
line=$(head -c 128 /dev/domain/victim)
heap=${line##* heap=}
case "$heap" in
0x*) ;;
*) fail confine-setup "victim says '$line'"; exit 1 ;;
esac

if [ "$(cat $C/confined) $(cat $V/confined) $(cat $R/confined)" = "yes yes yes" ]; then
	pass confine-default-on
else
	fail confine-default-on "confined: crash $(cat $C/confined) victim $(cat $V/confined) relay $(cat $R/confined)"
fi

kvar=0x$(awk '$3 == "sysctl_overcommit_ratio" { print $1; exit }' /proc/kallsyms)
tvar=0x$(awk '$3 == "total_heap_bytes" && $4 == "[domain_core]" { print $1; exit }' /proc/kallsyms)
ratio=$(cat /proc/sys/vm/overcommit_ratio)
case "$kvar $tvar" in
0x0* | *" 0x0"* | 0x" "* | *" 0x") fail confine-kallsyms "addresses hidden: '$kvar' '$tvar'"; exit 1 ;;
esac

# What the TCB holds, the victim's (which grows as relay gives it objects) aside.
others() {
	echo "$(cat $SYS/exec_regions) $(cat $SYS/exec_pages)" \
	     "$(($(cat $SYS/heap_bytes) - $(cat $V/heap_bytes)))" \
	     "$(($(cat $SYS/shared_objects) - $(cat $V/shared_objects)))" \
	     "$(($(cat $SYS/shared_bytes) - $(cat $V/shared_bytes)))"
}
base=$(others)

# stray NAME DOMAIN COMMAND WHAT: COMMAND written to DOMAIN 100 times under
# 4 callers, each a stray store whose report says WHAT.
stray() {
	name=$1 dom=$2 cmd=$3 what=$4
	S=$SYS/domains/$dom
	r0=$(cat $S/restarts)
	f0=$(cat $S/faults)
	stress_start /tmp/callstress.out callstress /dev/domain/$dom 4
	ok=0
	for i in $(seq 1 100); do
		if printf '%s' "$cmd" >/dev/domain/$dom 2>/dev/null; then
			log "$name: the write succeeded"
			break
		fi
		wait_for $S/restarts $((r0 + i)) || { log "$name: no restart $i"; break; }
		ok=$i
	done
	sleep 1
	stress_stop
	crc=$?
	r=$(( $(cat $S/restarts) - r0 ))
	f=$(( $(cat $S/faults) - f0 ))
	lf=$(cat $S/last_fault)
	now=$(others)
	if [ $ok != 100 ]; then
		fail "stray-$name-100x" "stopped at $ok"
	elif [ $r != 100 ] || [ $f != 100 ]; then
		fail "stray-$name-100x" "restarts +$r faults +$f (want exactly 100)"
	elif [ $crc != 0 ]; then
		fail "stray-$name-100x" "callers: $(tr '\n' ' ' </tmp/callstress.out)"
	elif [ "$now" != "$base" ]; then
		fail "stray-$name-100x" "accounting $base -> $now"
	else
		pass "stray-$name-100x"
	fi
	case $lf in
	"stray store at "*"$what"*) pass "stray-$name-reported" ;;
	*) fail "stray-$name-reported" "last_fault '$lf' (want 'stray store at ...$what')" ;;
	esac
	if printf check >/dev/domain/victim 2>/dev/null &&
	   [ "$(cat /proc/sys/vm/overcommit_ratio)" = "$ratio" ]; then
		pass "stray-$name-target-unchanged"
	else
		fail "stray-$name-target-unchanged" "victim check failed or overcommit_ratio $ratio -> $(cat /proc/sys/vm/overcommit_ratio)"
	fi
}

stray neighbour relay "stray neighbour" "8 bytes into memory of domain victim"
stray freed crash "stray freed" "8 bytes into freed or unallocated domain memory"
stray given relay "stray given" "1 byte into memory of domain victim"
stray other-heap crash "stray at $heap" "4 bytes into memory of domain victim"
stray kernel crash "stray at $kvar" "4 bytes into the kernel (sysctl_overcommit_ratio"
stray tcb crash "stray at $tvar" "4 bytes into the TCB (domain_core)"
stray stack crash "stray stack" "8 bytes into a domain stack, outside the call's frames"
stray null crash "stray null" "4 bytes into user or unmapped low memory"

dmesg | grep -q 'crash.dom: stray store at [a-z_]*+0x[0-9a-f]*: address 0x[0-9a-f]*, 4 bytes into the kernel (sysctl_overcommit_ratio+0x0' &&
	pass stray-log-line || fail stray-log-line "$(dmesg | grep 'stray store' | tail -n 1)"
case $(runas 65534 cat $C/last_fault) in
"stray store at "*"address "*0x*) fail stray-address-hashed "nobody sees a raw address" ;;
"stray store at "*) pass stray-address-hashed ;;
*) fail stray-address-hashed "nobody sees '$(runas 65534 cat $C/last_fault)'" ;;
esac

# An image built without the store checks: refused without confine=off,
# with the reason; with it, loaded, shown unconfined, with a warning; and
# its unchecked stores still fault as the traps catch them.
out=$(dcprobe load $D/crash-unconfined.dom cu)
case $out in
"errno=1 error=image not built confined"*"confine=off"*) pass confine-unconfined-refused ;;
*) fail confine-unconfined-refused "load said '$out'" ;;
esac
[ -e $SYS/domains/cu ] && fail confine-refused-leaves-nothing "cu exists" ||
	pass confine-refused-leaves-nothing
out=$(DC_CONFINE_OFF=1 DC_RESTART=never dcprobe load $D/crash-unconfined.dom cu)
if [ "$out" = loaded ] && [ "$(cat $SYS/domains/cu/confined)" = no ] &&
   dmesg | grep -q 'cu: running unconfined (confine=off)'; then
	pass confine-off-loads
else
	fail confine-off-loads "load said '$out', confined $(cat $SYS/domains/cu/confined 2>&1)"
fi
[ "$(cat $SYS/page_fault_path)" = die_oops ] && expect_oops 1
printf 'stray null' >/dev/domain/cu 2>/dev/null
if wait_for $SYS/domains/cu/state down; then
	case $(cat $SYS/domains/cu/last_fault) in
	"page fault at "*) pass confine-off-store-traps ;;
	*) fail confine-off-store-traps "last_fault '$(cat $SYS/domains/cu/last_fault)'" ;;
	esac
else
	fail confine-off-store-traps "state $(cat $SYS/domains/cu/state)"
fi
dcprobe unload cu >/dev/null
out=$(dcprobe upgrade crash $D/crash-unconfined.dom)
case $out in
"errno=1 error=image not built confined"*) pass confine-upgrade-refused ;;
*) fail confine-upgrade-refused "upgrade said '$out'" ;;
esac

dcprobe unload crash >/dev/null && dcprobe unload relay >/dev/null &&
	dcprobe unload victim >/dev/null || fail confine-unload "cannot unload"
[ "$(cat $SYS/exec_regions) $(cat $SYS/heap_bytes) $(cat $SYS/shared_objects)" = "0 0 0" ] &&
	pass confine-nothing-left || fail confine-nothing-left "$(counters)"
rmmod domain_core && pass confine-rmmod || fail confine-rmmod "rmmod failed"
