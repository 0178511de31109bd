# Benchmark (not a test): the null_blk domain (confined, and built
# unconfined) against C null_blk, side by side in one boot, fio psync over {4k,32k} x 6 patterns x {1,4} jobs, with
# identical device settings.  Prints one BENCH line per fio run; the host
# (tests/bench/run) takes the medians.
. "$DC_LIB"

SYS=/sys/kernel/domain_core
D=$DC_DOMAINS
T=5
REPS=3
for arg in $(cat /proc/cmdline); do
	case $arg in
	dc_bench_runtime=*) T=${arg#*=} ;;
	dc_bench_reps=*) REPS=${arg#*=} ;;
	esac
done

# The same settings for both: multi-queue, 2 submission queues of depth 256,
# memory backed, completion inline, 1 GiB of 4 KiB blocks, no scheduler.
COMMON="nr_devices=1 queue_mode=2 submit_queues=2 hw_queue_depth=256 memory_backed=1 irqmode=0 completion_nsec=0 gb=1 bs=4096"
modprobe null_blk $COMMON || { fail bench-cnullblk "modprobe null_blk $COMMON failed"; exit 1; }
insmod "$DC_KO" || exit 1
out=$(dcprobe load $D/null_blk.dom nullb "$COMMON") || { fail bench-nullb "$out"; exit 1; }
# Its devices are named after it: /dev/dnullbu0.
out=$(DC_CONFINE_OFF=1 dcprobe load $D/null_blk-unconfined.dom nullbu "$COMMON") ||
	{ fail bench-nullbu "$out"; exit 1; }
for dev in nullb0 dnullb0 dnullbu0; do
	echo none >/sys/block/$dev/queue/scheduler
	# Written once, so reads find memory on both.
	fio --name=fill --filename=/dev/$dev --ioengine=psync --direct=1 --rw=write \
	    --bs=1M --size=256M >/dev/null 2>&1
done

# iops DEV BS RW JOBS: total IOPS (reads + writes) of one fio run.
iops() {
	fio --name=cell --filename=/dev/$1 --ioengine=psync --direct=1 --bs=$2 \
	    --rw=$3 --numjobs=$4 --size=256M --time_based --runtime=$T \
	    --group_reporting --output-format=terse --terse-version=3 2>/dev/null |
		awk -F';' '{ printf "%d\n", $8 + $49 }'
}

# make check's smoke run (dc_bench_smoke=1) only shows that each driver
# answers: two cells, not the matrix.
BSS="4k 32k" RWS="randread randrw randwrite read readwrite write" JOBS="1 4"
grep -qw dc_bench_smoke=1 /proc/cmdline && RWS=randrw JOBS=4
for rep in $(seq 1 $REPS); do
	for bs in $BSS; do
		for rw in $RWS; do
			for jobs in $JOBS; do
				# Alternate which driver goes first, against drift.
				if [ $((rep % 2)) = 1 ]; then order="c dom domu"; else order="domu dom c"; fi
				for drv in $order; do
					case $drv in
					c) dev=nullb0 ;;
					dom) dev=dnullb0 ;;
					domu) dev=dnullbu0 ;;
					esac
					n=$(iops $dev $bs $rw $jobs)
					[ "${n:-0}" -gt 0 ] || { fail bench-nullblk "no IOPS from fio on $dev ($bs $rw $jobs)"; exit 1; }
					bench "nullblk drv=$drv bs=$bs rw=$rw jobs=$jobs rep=$rep iops=$n"
				done
			done
		done
	done
done
dcprobe unload nullb >/dev/null
dcprobe unload nullbu >/dev/null
rmmod null_blk domain_core
pass bench-nullblk
