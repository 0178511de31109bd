/*
 * logstress SECONDS STOPFILE [THREADS]
 *
 * THREADS writers (default 4) write numbered records to /dev/domain/log
 * without pause until STOPFILE appears (or SECONDS pass), while a reader
 * follows /dev/kmsg.  Afterwards every record written must have reached
 * the kernel log, and no write may have failed.  Records go at debug level
 * so they stay off the serial console.
 */
#include "stress.h"
#include <stdatomic.h>

#define MAX_THREADS	16

static atomic_int writers_done;
static unsigned long written[MAX_THREADS];
static unsigned char *seen[MAX_THREADS];
static size_t seen_cap[MAX_THREADS];
static unsigned long seen_total, overruns, dups;

static void writer(int id)
{
	int fd = stress_open(id, "/dev/domain/log", O_WRONLY);
	char rec[64];

	if (fd < 0)
		return;
	for (unsigned long seq = 0; stress_go_on(seq, 64); seq++) {
		int n = snprintf(rec, sizeof(rec), "<7>logstress-%d-%lu", id, seq);

		if (write(fd, rec, n) != n)
			stress_error(id, "writer %d record %lu: %s", id, seq,
				     strerror(errno));
		written[id] = seq + 1;
	}
	close(fd);
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
					idle_since = stress_now();
				else if (stress_now() - idle_since > 2.0)
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
	pthread_t r;
	unsigned long total, errs, missing = 0;
	int kmsg, err;

	if (!stress_init("logstress", argc, argv, 0, MAX_THREADS,
			 "SECONDS STOPFILE [THREADS]"))
		return 2;
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg < 0 || lseek(kmsg, 0, SEEK_END) < 0) {
		perror("logstress: /dev/kmsg");
		return 2;
	}
	err = pthread_create(&r, NULL, reader, &kmsg);
	if (err) {
		fprintf(stderr, "logstress: reader thread: %s\n", strerror(err));
		return 2;
	}
	stress_run(writer);
	atomic_store(&writers_done, 1);
	pthread_join(r, NULL);
	for (int i = 0; i < stress.threads; i++)
		for (unsigned long s = 0; s < written[i]; s++)
			if (s >= seen_cap[i] || !seen[i][s])
				missing++;
	total = stress_sum(written);
	errs = stress_sum(stress.errors);
	printf("writes=%lu errors=%lu seen=%lu missing=%lu duplicates=%lu overruns=%lu\n",
	       total, errs, seen_total, missing, dups, overruns);
	return errs || missing || overruns || !total ? 1 : 0;
}
