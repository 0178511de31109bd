/*
 * logstress SECONDS STOPFILE [THREADS]
 *
 * THREADS writers (default 4) write numbered records to /dev/domain/log
 * without pause until STOPFILE appears (or SECONDS pass), while a reader
 * follows /dev/kmsg.  Afterwards every record written must have reached
 * the kernel log, and no write may have failed.  Records go at debug level
 * so they stay off the serial console.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS	16

static const char *stopfile;
static double deadline;
static atomic_int writers_done;
static unsigned long written[MAX_THREADS], errors[MAX_THREADS];
static unsigned char *seen[MAX_THREADS];
static size_t seen_cap[MAX_THREADS];
static unsigned long seen_total, overruns, dups;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *writer(void *arg)
{
	int id = (int)(long)arg, fd = open("/dev/domain/log", O_WRONLY);
	char rec[64];
	unsigned long seq;

	if (fd < 0) {
		perror("logstress: /dev/domain/log");
		errors[id]++;
		return NULL;
	}
	for (seq = 0;; seq++) {
		if (!(seq & 63) && (!access(stopfile, F_OK) || now() > deadline))
			break;
		int n = snprintf(rec, sizeof(rec), "<7>logstress-%d-%lu", id, seq);

		if (write(fd, rec, n) != n) {
			fprintf(stderr, "logstress: writer %d record %lu: %s\n", id, seq,
				strerror(errno));
			errors[id]++;
		}
		written[id] = seq + 1;
	}
	close(fd);
	return NULL;
}

static void mark(int id, unsigned long seq)
{
	if (id < 0 || id >= MAX_THREADS)
		return;
	if (seq >= seen_cap[id]) {
		size_t cap = seen_cap[id] ? seen_cap[id] : 4096;

		while (cap <= seq)
			cap *= 2;
		seen[id] = realloc(seen[id], cap);
		if (!seen[id])
			abort();
		memset(seen[id] + seen_cap[id], 0, cap - seen_cap[id]);
		seen_cap[id] = cap;
	}
	if (seen[id][seq])
		dups++;
	seen[id][seq] = 1;
	seen_total++;
}

static void *reader(void *arg)
{
	int fd = *(int *)arg;
	char buf[8192];
	double idle_since = 0;

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		if (n < 0 && errno == EPIPE) {
			overruns++;
			continue;
		}
		if (n <= 0) {
			if (atomic_load(&writers_done)) {
				if (!idle_since)
					idle_since = now();
				else if (now() - idle_since > 2.0)
					break;
			}
			usleep(1000);
			continue;
		}
		idle_since = 0;
		buf[n] = '\0';
		char *p = strstr(buf, "logstress-");
		int id;
		unsigned long seq;

		if (p && sscanf(p, "logstress-%d-%lu", &id, &seq) == 2)
			mark(id, seq);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t w[MAX_THREADS], r;
	unsigned long total = 0, errs = 0, missing = 0;
	int threads = argc > 3 ? atoi(argv[3]) : 4, i, kmsg;

	if (argc < 3 || threads < 1 || threads > MAX_THREADS) {
		fprintf(stderr, "usage: logstress SECONDS STOPFILE [THREADS]\n");
		return 2;
	}
	deadline = now() + atof(argv[1]);
	stopfile = argv[2];
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg < 0 || lseek(kmsg, 0, SEEK_END) < 0) {
		perror("logstress: /dev/kmsg");
		return 2;
	}
	pthread_create(&r, NULL, reader, &kmsg);
	for (i = 0; i < threads; i++)
		pthread_create(&w[i], NULL, writer, (void *)(long)i);
	for (i = 0; i < threads; i++)
		pthread_join(w[i], NULL);
	atomic_store(&writers_done, 1);
	pthread_join(r, NULL);
	for (i = 0; i < threads; i++) {
		unsigned long s;

		total += written[i];
		errs += errors[i];
		for (s = 0; s < written[i]; s++)
			if (s >= seen_cap[i] || !seen[i][s])
				missing++;
	}
	printf("writes=%lu errors=%lu seen=%lu missing=%lu duplicates=%lu overruns=%lu\n",
	       total, errs, seen_total, missing, dups, overruns);
	return errs || missing || overruns || !total ? 1 : 0;
}
