# Fault injection (#18): random mutants of null_blk (under fio with
# verification) and of emptydev (under filestress's readers and writers),
# each run, checked and classified by /dc/bin/inject (tests/inject/); any
# escape fails.  See docs/testing.md, "Fault injection".
#
# Default (make check): three controls that show the classification can
# tell each class apart, then INJ_NULLB mutants of null_blk and INJ_EMPTYDEV
# of emptydev, seeds from 1.  Campaign mode (tests/inject/campaign, one
# boot per batch): the kernel command line says what to run,
#   dc_inject=nullb:FIRST:COUNT,emptydev:FIRST:COUNT [dc_inject_seconds=N]
# and every INJ line goes to the results channel for the host to collect.
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS
INJ_NULLB=${INJ_NULLB:-150}
INJ_EMPTYDEV=${INJ_EMPTYDEV:-100}

spec='' secs='' short=''
# shellcheck disable=SC2013  # (words, not lines)
for arg in $(cat /proc/cmdline); do
	case $arg in
	dc_inject=*) spec=${arg#dc_inject=} ;;
	dc_inject_seconds=*) secs=${arg#dc_inject_seconds=} ;;
	dc_inject_short=*) short=${arg#dc_inject_short=} ;;
	esac
done
# make check runs the short campaign on one kernel (DC_INJECT_SHORT).
if [ -z "$spec" ] && [ -z "$short" ]; then
	skip inject "the short campaign runs on one kernel of the matrix (tests/vm/run: DC_INJECT_SHORT)"
	exit 0
fi

if ! command -v fio >/dev/null || ! command -v filestress >/dev/null; then
	fail inject-tools "fio or filestress missing from the test image"
	exit 1
fi
[ -e /dev/domain_core ] || insmod "$DC_KO" || { fail inject-insmod "insmod failed"; exit 1; }

# A page fault must be caught before any report: on the die_oops path every
# caught page fault is an oops, which the campaign would count as an escape.
path=$(cat $SYS/page_fault_path)
if [ "$path" != fixup_exception ]; then
	skip inject "page faults are recovered after an oops on this kernel ($path)"
	exit 0
fi

# The long-lived neighbours: log (emptydev imports it) and a victim that
# keeps objects and a heap page of a known pattern in the arena.
load_victim() {
	dcprobe load $D/crash.dom victim >/dev/null && printf keep >/dev/domain/victim
}
if ! DC_RESTART=always dcprobe load $D/log.dom >/dev/null || ! load_victim; then
	fail inject-setup "cannot load log and the victim"
	exit 1
fi

# inj TARGET FIRST COUNT [ARGS]: the campaign runner; its lines in /tmp/inj.out.
inj() {
	inject run "$@" ${secs:+--seconds $secs} >/tmp/inj.out 2>/tmp/inj.err
	INJ_RC=$?
	cat /tmp/inj.out
	[ -s /tmp/inj.err ] && sed 's/^/inject: /' /tmp/inj.err
	return 0
}
# outcome: the outcome of the last mutant, then its reasons ("contained -").
outcome() {
	sed -n 's/^INJ end .* outcome=\([^ ]*\) why=\([^ ]*\).*/\1 \2/p' /tmp/inj.out | tail -n 1
}

if [ -n "$spec" ]; then
	# Campaign mode: the runner's lines are the result; it stops the batch
	# (status 3) when the boot can no longer be trusted.
	for part in $(echo "$spec" | tr , ' '); do
		IFS=: read -r t first count <<EOF
$part
EOF
		inj "$t" "$first" "$count" --stop-on-escape
		# Stopped (3), or killed (an oops in its own call): this boot
		# can no longer be trusted; the host goes on in a fresh one.
		[ "$INJ_RC" = 0 ] || [ "$INJ_RC" = 1 ] || break
	done
	exit 0
fi

# --- Controls.  The original image must run without effect (the load and
# the checks produce no false alarm); a ud2 in its I/O path must be
# contained; an unconfined domain's store into the victim must be an escape.
for t in nullb emptydev; do
	inj $t 0 1 --control good
	o=$(outcome)
	[ "$o" = "no-effect -" ] && pass inject-control-$t-original ||
		fail inject-control-$t-original "outcome '$o': $(grep '^INJ end' /tmp/inj.out)"
	inj $t 0 1 --control ud2
	o=$(outcome)
	case $o in
	"contained -") pass inject-control-$t-ud2 ;;
	*) fail inject-control-$t-ud2 "outcome '$o': $(grep '^INJ end' /tmp/inj.out)" ;;
	esac
done
inj strayer 0 1 --control stray
o=$(outcome)
case $o in
"escape other-domain-memory") pass inject-control-escape ;;
*) fail inject-control-escape "outcome '$o': $(grep '^INJ end' /tmp/inj.out)" ;;
esac
# The victim was hit on purpose: a fresh one for the campaign.
dcprobe unload victim >/dev/null && load_victim || { fail inject-setup "cannot reload the victim"; exit 1; }

# --- The short campaign, in the keep-stack model: no mutant writes the
# stack pointer by name (a corrupted stack pointer can double-fault the
# kernel) or makes a privileged instruction (popf, cli, ...): known
# limits, docs/testing.md; the long campaign has them.
for tc in nullb:$INJ_NULLB emptydev:$INJ_EMPTYDEV; do
	t=${tc%%:*} n=${tc#*:}
	inj "$t" 1 "$n" --keep-stack
	sum=$(grep '^INJ summary' /tmp/inj.out | cut -d' ' -f3-)
	bench "inject-$t $sum"
	if [ "$INJ_RC" = 0 ] && grep -q " done=$n " /tmp/inj.out; then
		pass "inject-$t-$n-mutants"
	else
		fail "inject-$t-$n-mutants" "$sum; $(grep -E '^INJ (end .*outcome=escape|stop)' /tmp/inj.out | head -n 3 | tr '\n' ' ')"
	fi
done

dcprobe unload victim >/dev/null
dcprobe unload log >/dev/null
[ "$(cat $SYS/exec_regions) $(cat $SYS/shared_objects)" = "0 0" ] && pass inject-nothing-left ||
	fail inject-nothing-left "regions $(cat $SYS/exec_regions) objects $(cat $SYS/shared_objects)"
rmmod domain_core 2>/dev/null
exit 0
