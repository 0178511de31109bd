/*
 * filestress SECONDS STOPFILE DEVICE [THREADS]
 *
 * THREADS workers (default 4) each own a 1 KiB region of DEVICE (an
 * emptydev-like file): write a numbered pattern, read it back, compare,
 * until STOPFILE appears (or SECONDS pass).  Any failed call or mismatch
 * is an error: live upgrades must be invisible to callers.
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

#define REGION		1024
#define MAX_THREADS	4

static const char *stopfile, *device;
static double deadline;
static unsigned long calls[MAX_THREADS], errors[MAX_THREADS], mismatches[MAX_THREADS];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *worker(void *arg)
{
	int id = (int)(long)arg, fd = open(device, O_RDWR);
	unsigned char out[REGION], in[REGION];
	off_t off = (off_t)id * REGION;
	unsigned long i;

	if (fd < 0) {
		perror("filestress: open");
		errors[id]++;
		return NULL;
	}
	for (i = 0;; i++) {
		if (!(i & 15) && (!access(stopfile, F_OK) || now() > deadline))
			break;
		for (int b = 0; b < REGION; b++)
			out[b] = (unsigned char)(id * 31 + i * 7 + b);
		calls[id] += 2;
		if (pwrite(fd, out, REGION, off) != REGION) {
			fprintf(stderr, "filestress: %d: write %lu: %s\n", id, i, strerror(errno));
			errors[id]++;
			continue;
		}
		if (pread(fd, in, REGION, off) != REGION) {
			fprintf(stderr, "filestress: %d: read %lu: %s\n", id, i, strerror(errno));
			errors[id]++;
			continue;
		}
		if (memcmp(in, out, REGION)) {
			fprintf(stderr, "filestress: %d: round %lu read back different data\n", id, i);
			mismatches[id]++;
		}
	}
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 4 ? atoi(argv[4]) : 4, i;
	unsigned long c = 0, e = 0, m = 0;
	pthread_t t[MAX_THREADS];

	if (argc < 4 || threads < 1 || threads > MAX_THREADS) {
		fprintf(stderr, "usage: filestress SECONDS STOPFILE DEVICE [THREADS]\n");
		return 2;
	}
	deadline = now() + atof(argv[1]);
	stopfile = argv[2];
	device = argv[3];
	for (i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, worker, (void *)(long)i);
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		c += calls[i];
		e += errors[i];
		m += mismatches[i];
	}
	printf("calls=%lu errors=%lu mismatches=%lu\n", c, e, m);
	return e || m || !c ? 1 : 0;
}
