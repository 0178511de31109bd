# Malformed images: every damaged variant of log.dom that mkbad writes
# (tests/guest/mkbad.c) is refused with exactly the errno its manifest
# names and a message naming the problem; nothing leaks; the domains
# already loaded keep working.  Also a duplicate name (EEXIST), a bad load
# name (EINVAL) and, if domainctl is in the image, "domainctl verify" on
# every variant.
#
# Manifest lines: CASE ERRNO_NAME ERRNO_NUMBER REGEX (see mkbad.c).
# shellcheck source=tests/guest/lib.sh
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS
T=/tmp/malformed
DOMAINCTL=/dc/bin/domainctl
loaded_ko=

if [ ! -d "$SYS" ]; then
	insmod "$DC_KO" || { fail malformed-insmod "insmod $DC_KO failed"; exit 1; }
	loaded_ko=1
fi

cleanup() {
	for d in emptydev log; do
		[ -d "$SYS/domains/$d" ] || continue
		out=$(dcprobe unload "$d") || fail malformed-cleanup "unload $d: $out"
	done
	if [ -n "$loaded_ko" ]; then
		rmmod domain_core || fail malformed-cleanup "rmmod domain_core failed"
	fi
}

# The good domains the bad images must not disturb (emptydev needs log).
for d in log emptydev; do
	if ! out=$(dcprobe load "$D/$d.dom"); then
		fail malformed-setup "cannot load $d.dom: $out"
		cleanup
		exit 1
	fi
done

counters() {
	for c in exec_regions exec_pages heap_bytes shared_objects; do
		printf '%s=%s ' "$c" "$(cat "$SYS/$c" 2>/dev/null || echo '?')"
	done
}
# Live vmalloc areas by caller.  Lazily freed ones ("unpurged vm_area",
# e.g. the stacks of the processes this script ran) are not leaks.
vmalloc_areas() {
	grep -v unpurged /proc/vmallocinfo | awk '{print $3}' | sort
}
base=$(counters)
vmalloc_areas >"$T.vbase"
vbase=$(grep -c . "$T.vbase")

rm -rf "$T"
mkdir -p "$T"
# mkbad damages the ELF image itself, so it starts from the unsigned one
# (damage under a signature is 90-signing.sh's).
src=$D/log.dom
[ -f "$D/sig/log-unsigned.dom" ] && src=$D/sig/log-unsigned.dom
if ! mkbad "$src" "$T/img" >"$T/manifest" 2>"$T/mkbad.err" || [ ! -s "$T/manifest" ]; then
	fail malformed-mkbad "mkbad failed: $(cat "$T/mkbad.err")"
	cleanup
	exit 1
fi
log "mkbad: $(grep -c . "$T/manifest") cases"

# The kernel must refuse each one, with the manifest's errno and a message.
while read -r name ename enum re; do
	out=$(dcprobe load "$T/img/$name.dom" 2>&1)
	log "  $name: $out"
	msg=${out#*error=}
	case $out in
	loaded*)
		fail "malformed-$name" "the image was loaded (want $ename)"
		dcprobe unload mkbad >/dev/null 2>&1
		;;
	"errno=$enum error="*)
		if [ -z "$msg" ]; then
			fail "malformed-$name" "$ename as expected, but no message"
		elif ! printf '%s\n' "$msg" | grep -qiE -- "$re"; then
			fail "malformed-$name" "$ename, but the message '$msg' does not name the problem (/$re/)"
		else
			pass "malformed-$name"
		fi
		;;
	*)
		fail "malformed-$name" "want errno=$enum ($ename), got: $out"
		;;
	esac
done <"$T/manifest"

# A second domain of a loaded name, and a name the kernel must refuse.
out=$(dcprobe load "$D/log.dom")
log "  duplicate-name: $out"
case $out in
"errno=17 error="?*) pass malformed-duplicate-name ;;	# EEXIST
*) fail malformed-duplicate-name "want errno=17 (EEXIST) with a message, got: $out" ;;
esac
out=$(dcprobe load "$D/log.dom" Bad/Name)
log "  bad-load-name: $out"
case $out in
"errno=22 error="?*) pass malformed-bad-load-name ;;	# EINVAL
*) fail malformed-bad-load-name "want errno=22 (EINVAL) with a message, got: $out" ;;
esac

now=$(counters)
vmalloc_areas >"$T.vnow"
vnow=$(grep -c . "$T.vnow")
doms=$(cd "$SYS/domains" 2>/dev/null && for d in *; do printf '%s ' "$d"; done)
# A little slack for the rest of the kernel; a leak per load would be dozens.
if [ "$now" = "$base" ] && [ "$vnow" -le $((vbase + 2)) ] && [ "$doms" = "emptydev log " ]; then
	pass malformed-no-leak
else
	log "vmalloc areas by caller, before -> after:"
	diff "$T.vbase" "$T.vnow" | grep '^[-+][^-+]' | sort | uniq -c | head -n 20
	fail malformed-no-leak "counters $base-> $now; vmalloc areas $vbase -> $vnow; domains: $doms"
fi
rm -f "$T.vbase" "$T.vnow"

# The good domains still answer: emptydev keeps data, log reaches the kernel log.
ok=1 why=
printf ping >/dev/domain/emptydev || { ok=0 why="write to emptydev failed"; }
got=$(head -c 4 /dev/domain/emptydev)
[ "$got" = ping ] || { ok=0 why="$why emptydev read back '$got';"; }
tag="malformed-still-logging-$$"
printf '%s' "$tag" >/dev/domain/log || { ok=0 why="$why write to log failed;"; }
dmesg | grep -q "$tag" || { ok=0 why="$why no '$tag' in dmesg;"; }
if [ $ok = 1 ]; then
	pass malformed-good-domains-still-work
else
	fail malformed-good-domains-still-work "$why"
fi

# domainctl's own checks must refuse every image that is bad in itself.
# missing-need is bad only given what is loaded, so verify may accept it.
if [ -x "$DOMAINCTL" ]; then
	while read -r name ename enum re; do
		[ "$ename" = ENOLINK ] && continue
		vout=$("$DOMAINCTL" verify "$T/img/$name.dom" 2>&1)
		vrc=$?
		log "  verify $name (exit $vrc): $(printf '%s' "$vout" | tr '\n' ' ' | cut -c1-300)"
		if [ $vrc = 0 ]; then
			fail "malformed-verify-$name" "domainctl verify accepted it (want a $ename-class problem)"
		elif [ -z "$vout" ]; then
			fail "malformed-verify-$name" "exit $vrc without a message"
		elif ! printf '%s\n' "$vout" | grep -qiE -- "$re"; then
			fail "malformed-verify-$name" "its message does not name the problem (/$re/): $(printf '%s' "$vout" | tr '\n' ' ' | cut -c1-200)"
		else
			pass "malformed-verify-$name"
		fi
	done <"$T/manifest"
else
	log "no $DOMAINCTL: verify cases skipped"
fi

cleanup
rm -rf "$T"
