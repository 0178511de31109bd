# domain_core.ko itself: load and unload, the built-in self-tests of the
# executable-memory layer, and the control device's permissions.
. "$DC_LIB"

SYS=/sys/kernel/domain_core

ok=1
for i in $(seq 1 20); do
	if ! insmod "$DC_KO"; then
		fail module-load-unload-20x "insmod failed on round $i"
		ok=0
		break
	fi
	if ! rmmod domain_core; then
		fail module-load-unload-20x "rmmod failed on round $i"
		ok=0
		break
	fi
done
[ $ok = 1 ] && pass module-load-unload-20x

insmod "$DC_KO" || { fail module-load "insmod failed"; exit 1; }
log "backend: $(cat $SYS/backend), version $(cat $SYS/version)"

for t in exec wx-refused bounds all; do
	if echo "$t" >$SYS/selftest; then
		pass "selftest-$t"
	else
		fail "selftest-$t" "$(cat $SYS/selftest)"
	fi
done
if echo no-such-test >$SYS/selftest 2>/dev/null; then
	fail selftest-unknown-name "an unknown self-test was accepted"
else
	pass selftest-unknown-name
fi

regions=$(cat $SYS/exec_regions)
pages=$(cat $SYS/exec_pages)
if [ "$regions" = 0 ] && [ "$pages" = 0 ]; then
	pass exec-memory-back-to-zero
else
	fail exec-memory-back-to-zero "regions=$regions pages=$pages after the self-tests"
fi

# Allocate and free 500 times: vmalloc space must come back.
before=$(grep -c . /proc/vmallocinfo)
for i in $(seq 1 500); do echo exec >$SYS/selftest || break; done
after=$(grep -c . /proc/vmallocinfo)
if [ "$after" -le $((before + 2)) ] && [ "$(cat $SYS/exec_regions)" = 0 ]; then
	pass exec-memory-no-vmalloc-leak
else
	fail exec-memory-no-vmalloc-leak "vmallocinfo $before -> $after lines"
fi

# The control device: root only, and no ioctl without CAP_SYS_MODULE.
mode=$(stat -c %a /dev/domain_core)
[ "$mode" = 600 ] && pass control-device-mode || fail control-device-mode "mode $mode"
if runas 65534 sh -c 'echo x >/dev/domain_core' 2>/dev/null; then
	fail control-device-unprivileged-write "nobody could open it for writing"
else
	pass control-device-unprivileged-write
fi
check control-device-version dcprobe version

# Every writable sysfs file runs code on demand: as privileged as loading
# a module, whatever its mode says.
for f in $(find $SYS -type f -perm -u+w); do
	n=${f#$SYS/}
	if runas 65534 sh -c "echo all >$f" 2>/dev/null; then
		fail "sysfs-$n-unprivileged" "nobody could write $f"
	else
		pass "sysfs-$n-unprivileged"
	fi
	if runas nocap sh -c "echo all >$f" 2>/dev/null; then
		fail "sysfs-$n-without-cap-sys-module" "root without CAP_SYS_MODULE could write $f"
	else
		pass "sysfs-$n-without-cap-sys-module"
	fi
done

rmmod domain_core && pass module-unload-clean || fail module-unload-clean "rmmod failed"
