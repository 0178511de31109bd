/*
 * callstress SECONDS STOPFILE DEVICE [THREADS]
 *
 * THREADS readers (default 4) read DEVICE at offset 0 without pause until
 * STOPFILE appears (or SECONDS pass).  A call in flight when the domain
 * faults may fail with EIO; any other failure is an error.  Prints the
 * counts; exits 0 if there was no other failure and calls went on
 * succeeding to the end.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS	8

static const char *stopfile, *device;
static double deadline;
static unsigned long ok[MAX_THREADS], eio[MAX_THREADS], errors[MAX_THREADS];
static int last_ok[MAX_THREADS];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *worker(void *arg)
{
	int id = (int)(long)arg, fd = open(device, O_RDONLY);
	char buf[128];
	unsigned long i;

	if (fd < 0) {
		perror("callstress: open");
		errors[id]++;
		return NULL;
	}
	for (i = 0;; i++) {
		if (!(i & 15) && (!access(stopfile, F_OK) || now() > deadline))
			break;
		ssize_t n = pread(fd, buf, sizeof(buf), 0);

		if (n > 0) {
			ok[id]++;
			last_ok[id] = 1;
		} else if (n < 0 && errno == EIO) {
			eio[id]++;
			last_ok[id] = 0;
		} else {
			fprintf(stderr, "callstress: %d: read returned %zd: %s\n", id, n,
				n < 0 ? strerror(errno) : "end of file");
			errors[id]++;
			last_ok[id] = 0;
		}
	}
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 4 ? atoi(argv[4]) : 4, i, resumed = 1;
	unsigned long o = 0, e = 0, x = 0;
	pthread_t t[MAX_THREADS];

	if (argc < 4 || threads < 1 || threads > MAX_THREADS) {
		fprintf(stderr, "usage: callstress SECONDS STOPFILE DEVICE [THREADS]\n");
		return 2;
	}
	deadline = now() + atof(argv[1]);
	stopfile = argv[2];
	device = argv[3];
	for (i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, (void *)(long)i);
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		o += ok[i];
		e += eio[i];
		x += errors[i];
		resumed &= last_ok[i];
	}
	printf("ok=%lu eio=%lu errors=%lu resumed=%s\n", o, e, x, resumed ? "yes" : "no");
	return x || !o || !resumed ? 1 : 0;
}
