/*
 * stress.h: what the guest stress programs (callstress, filestress,
 * logstress) share.  Each is run as
 *
 *	PROG SECONDS STOPFILE [ARGS...] [THREADS]
 *
 * and runs THREADS copies of its worker until STOPFILE exists or SECONDS
 * have passed, counting errors per thread.  Include it before anything
 * else (it sets _GNU_SOURCE).  Header only: tests/vm/run compiles every
 * .c file of tests/guest on its own, and this is not one.
 */
#ifndef DC_STRESS_H
#define DC_STRESS_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STRESS_MAX_THREADS	16
/* A worker that has not come back from a call for this long is stuck. */
#define STRESS_STUCK_SECONDS	10

static struct {
	const char *name;		/* the program: prefix of every message */
	const char *stopfile;
	double deadline;		/* stress_now() after which to stop */
	int threads;
	void (*worker)(int id);
	unsigned long errors[STRESS_MAX_THREADS];
	long beat_ms[STRESS_MAX_THREADS];	/* when each worker last came back */
	bool done[STRESS_MAX_THREADS];
} stress;

/* The worker this thread runs (set by stress_thread()). */
static __thread int stress_id;

/* Monotonic time in seconds. */
static inline double stress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Takes "SECONDS STOPFILE" from argv[1..2], then @nargs arguments of the
 * program's own (argv[3..], left for the caller), then THREADS (default 4,
 * at most @max_threads, itself at most STRESS_MAX_THREADS).  On bad arguments prints "usage: NAME @usage"
 * and returns false: exit with 2.
 */
static inline bool stress_init(const char *name, int argc, char **argv, int nargs,
			       int max_threads, const char *usage)
{
	int at = 3 + nargs;

	stress.name = name;
	stress.threads = argc > at ? atoi(argv[at]) : 4;
	if (argc < at || stress.threads < 1 || stress.threads > max_threads) {
		fprintf(stderr, "usage: %s %s\n", name, usage);
		return false;
	}
	stress.deadline = stress_now() + atof(argv[1]);
	stress.stopfile = argv[2];
	return true;
}

/*
 * The loop condition of a worker: whether to go on with iteration @i.
 * The stop file and the clock are looked at on every @every-th iteration
 * only (a power of two), to keep the system calls out of the way.
 */
static inline bool stress_go_on(unsigned long i, unsigned long every)
{
	double now = stress_now();

	__atomic_store_n(&stress.beat_ms[stress_id], (long)(now * 1000), __ATOMIC_RELAXED);
	return (i & (every - 1)) ||
	       (access(stress.stopfile, F_OK) && now <= stress.deadline);
}

/* Counts an error of thread @id and says why on stderr, after "NAME: ". */
static inline void stress_error(int id, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void stress_error(int id, const char *fmt, ...)
{
	va_list ap;

	flockfile(stderr);
	fprintf(stderr, "%s: ", stress.name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	stress.errors[id]++;		/* only thread @id counts its own */
}

/* open(), counting a failure as an error of thread @id. */
static inline int stress_open(int id, const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0)
		stress_error(id, "%s: %s", path, strerror(errno));
	return fd;
}

static inline void *stress_thread(void *arg)
{
	stress_id = (int)(long)arg;
	__atomic_store_n(&stress.beat_ms[stress_id], (long)(stress_now() * 1000),
			 __ATOMIC_RELAXED);
	stress.worker(stress_id);
	__atomic_store_n(&stress.done[stress_id], true, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * The watchdog: a worker stuck in one call for STRESS_STUCK_SECONDS (a
 * task hanging in the kernel) ends the program at once with exit status
 * 3, so that a test fails quickly instead of waiting for its time limit.
 */
static inline void *stress_watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		sleep(1);
		for (int i = 0; i < stress.threads; i++) {
			long beat = __atomic_load_n(&stress.beat_ms[i], __ATOMIC_RELAXED);

			if (!__atomic_load_n(&stress.done[i], __ATOMIC_ACQUIRE) &&
			    (long)(stress_now() * 1000) - beat > STRESS_STUCK_SECONDS * 1000) {
				fprintf(stderr, "%s: thread %d stuck in a call for more than %d s\n",
					stress.name, i, STRESS_STUCK_SECONDS);
				printf("stuck=yes\n");
				fflush(stdout);
				_exit(3);
			}
		}
	}
	return NULL;
}

/* Runs @worker(0) .. @worker(THREADS - 1), each on its own thread, to the end. */
static inline void stress_run(void (*worker)(int id))
{
	pthread_t t[STRESS_MAX_THREADS];
	bool started[STRESS_MAX_THREADS];
	int i, err;

	pthread_t watchdog;

	stress.worker = worker;
	for (i = 0; i < stress.threads; i++)
		stress.beat_ms[i] = (long)(stress_now() * 1000);
	if (pthread_create(&watchdog, NULL, stress_watchdog, NULL) == 0)
		pthread_detach(watchdog);
	for (i = 0; i < stress.threads; i++) {
		err = pthread_create(&t[i], NULL, stress_thread, (void *)(long)i);
		started[i] = !err;
		if (err)
			stress_error(i, "thread %d: %s", i, strerror(err));
	}
	for (i = 0; i < stress.threads; i++)
		if (started[i])
			pthread_join(t[i], NULL);
}

/* The sum of a per-thread counter over the threads, e.g. stress_sum(stress.errors). */
static inline unsigned long stress_sum(const unsigned long *per_thread)
{
	unsigned long sum = 0;

	for (int i = 0; i < stress.threads; i++)
		sum += per_thread[i];
	return sum;
}

#endif
