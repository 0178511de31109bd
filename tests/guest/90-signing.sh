# Provenance: signed images under each policy (none, lockdown in integrity
# mode, module.sig_enforce), then kernel.modules_disabled.  The policies
# cannot be turned off again, so this runs last, and leaves domain_core
# loaded (modules_disabled forbids unloading it).
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS
S=$D/sig

insmod "$DC_KO" || { fail signing-insmod "insmod failed"; exit 1; }
if [ ! -f "$S/log-unsigned.dom" ]; then
	fail signing-test-images "no $S/*.dom (tests/vm/run makes them)"
	rmmod domain_core
	exit 1
fi

# try POLICY NAME WANT IMAGE [UPGRADE]: load IMAGE as domain "sigtest"
# (WANT is "ok" or an errno number), unload it again.
try() {
	policy=$1 name=$2 want=$3 image=$4
	out=$(dcprobe load "$image" sigtest)
	if [ "$want" = ok ]; then
		case $out in
		"errno="*) fail "sig-$policy-$name" "load said '$out'"; return ;;
		esac
		signer=$(cat $SYS/domains/sigtest/signer)
		dcprobe unload sigtest >/dev/null
		pass "sig-$policy-$name"
		log "$policy $name: signer '$signer'"
	else
		case $out in
		"errno=$want error="?*) pass "sig-$policy-$name"; log "$policy $name: ${out#*error=}" ;;
		*) fail "sig-$policy-$name" "load said '$out' (want errno $want)"
		   dcprobe unload sigtest >/dev/null 2>&1 ;;
		esac
	fi
}

# signed_ok POLICY: a signed image loads, names its signer, and upgrades.
signed_ok() {
	out=$(dcprobe load $D/log.dom sigtest)
	if [ "$(cat $SYS/domains/sigtest/signed 2>/dev/null)" = yes ] &&
	   grep -q "domain-core test DKMS key" $SYS/domains/sigtest/signer &&
	   dcprobe upgrade sigtest $D/log-v2.dom >/dev/null &&
	   [ "$(cat $SYS/domains/sigtest/signed)" = yes ]; then
		pass "sig-$1-signed-loads-and-upgrades"
	else
		fail "sig-$1-signed-loads-and-upgrades" "load '$out', signed $(cat $SYS/domains/sigtest/signed 2>/dev/null), signer '$(cat $SYS/domains/sigtest/signer 2>/dev/null)'"
	fi
	dcprobe unload sigtest >/dev/null 2>&1
}

# --- No policy: unsigned and untrusted images load, marked unsigned.
signed_ok none
n0=$(dmesg | grep -c 'loaded unsigned')
out=$(dcprobe load $S/log-unsigned.dom sigtest)
if [ "$(cat $SYS/domains/sigtest/signed 2>/dev/null)" = no ] &&
   [ "$(dmesg | grep -c 'loaded unsigned')" = $((n0 + 1)) ]; then
	pass sig-none-unsigned-loads-marked
else
	fail sig-none-unsigned-loads-marked "load '$out', signed $(cat $SYS/domains/sigtest/signed 2>/dev/null)"
fi
dcprobe unload sigtest >/dev/null 2>&1
try none untrusted-loads ok $S/log-untrusted.dom
try none tampered 129 $S/log-tampered.dom		# EKEYREJECTED
try none truncated 74 $S/log-truncated.dom		# EBADMSG
try none wrong-bytes 129 $S/log-wrongbytes.dom		# EKEYREJECTED
[ "$(counters)" = "0 0 0 0 0" ] && pass sig-none-nothing-left || fail sig-none-nothing-left "$(counters)"

# --- Lockdown, integrity mode (module.sig_enforce still off).
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
if [ -w /sys/kernel/security/lockdown ] && echo integrity >/sys/kernel/security/lockdown &&
   grep -q '\[integrity\]' /sys/kernel/security/lockdown; then
	signed_ok lockdown
	try lockdown unsigned 1 $S/log-unsigned.dom		# EPERM
	try lockdown untrusted 1 $S/log-untrusted.dom		# EPERM
	try lockdown tampered 129 $S/log-tampered.dom
	try lockdown truncated 74 $S/log-truncated.dom
	try lockdown wrong-bytes 129 $S/log-wrongbytes.dom
else
	skip sig-lockdown "this kernel has no lockdown LSM to raise ($(cat /sys/kernel/security/lockdown 2>&1))"
fi

# --- module.sig_enforce (switched on at run time; never off again).
if echo 1 >/sys/module/module/parameters/sig_enforce 2>/dev/null &&
   [ "$(cat /sys/module/module/parameters/sig_enforce)" = Y ]; then
	signed_ok enforce
	try enforce unsigned 129 $S/log-unsigned.dom		# EKEYREJECTED
	try enforce untrusted 126 $S/log-untrusted.dom		# ENOKEY
	try enforce tampered 129 $S/log-tampered.dom
	try enforce truncated 74 $S/log-truncated.dom
	try enforce wrong-bytes 129 $S/log-wrongbytes.dom
else
	fail sig-enforce "cannot switch module.sig_enforce on"
fi

# --- kernel.modules_disabled: no load, no upgrade; restarts go on.
DC_RESTART=always dcprobe load $D/crash.dom >/dev/null || fail sig-modules-disabled-setup "cannot load crash"
echo 1 >/proc/sys/kernel/modules_disabled
out=$(dcprobe load $D/log.dom)
case $out in
"errno=1 error="*modules_disabled*) pass sig-modules-disabled-load-refused ;;
*) fail sig-modules-disabled-load-refused "load said '$out'" ;;
esac
out=$(dcprobe upgrade crash $D/crash.dom)
case $out in
"errno=1 error="*modules_disabled*) pass sig-modules-disabled-upgrade-refused ;;
*) fail sig-modules-disabled-upgrade-refused "upgrade said '$out'" ;;
esac
r0=$(cat $SYS/domains/crash/restarts)
printf null >/dev/domain/crash 2>/dev/null
if wait_for $SYS/domains/crash/restarts $((r0 + 1)) && head -c 64 /dev/domain/crash | grep -q '^crash'; then
	pass sig-modules-disabled-restart-goes-on
else
	fail sig-modules-disabled-restart-goes-on "restarts $(cat $SYS/domains/crash/restarts), state $(cat $SYS/domains/crash/state)"
fi
