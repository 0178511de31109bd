/*
 * filestress SECONDS STOPFILE DEVICE [THREADS]
 *
 * THREADS workers (default 4) each own a 1 KiB region of DEVICE (an
 * emptydev-like file): write a numbered pattern, read it back, compare,
 * until STOPFILE appears (or SECONDS pass).  Any failed call or mismatch
 * is an error: live upgrades must be invisible to callers.
 */
#include "stress.h"

#define REGION		1024
#define MAX_THREADS	4

static const char *device;
static unsigned long calls[MAX_THREADS], mismatches[MAX_THREADS];

static void worker(int id)
{
	int fd = stress_open(id, device, O_RDWR);
	unsigned char out[REGION], in[REGION];
	off_t off = (off_t)id * REGION;

	if (fd < 0)
		return;
	for (unsigned long i = 0; stress_go_on(i, 16); i++) {
		for (int b = 0; b < REGION; b++)
			out[b] = (unsigned char)(id * 31 + i * 7 + b);
		calls[id] += 2;
		if (pwrite(fd, out, REGION, off) != REGION) {
			stress_error(id, "%d: write %lu: %s", id, i, strerror(errno));
			continue;
		}
		if (pread(fd, in, REGION, off) != REGION) {
			stress_error(id, "%d: read %lu: %s", id, i, strerror(errno));
			continue;
		}
		if (memcmp(in, out, REGION)) {
			fprintf(stderr, "filestress: %d: round %lu read back different data\n", id, i);
			mismatches[id]++;
		}
	}
	close(fd);
}

int main(int argc, char **argv)
{
	unsigned long c, e, m;

	if (!stress_init("filestress", argc, argv, 1, MAX_THREADS,
			 "SECONDS STOPFILE DEVICE [THREADS]"))
		return 2;
	device = argv[3];
	stress_run(worker);
	c = stress_sum(calls);
	e = stress_sum(stress.errors);
	m = stress_sum(mismatches);
	printf("calls=%lu errors=%lu mismatches=%lu\n", c, e, m);
	return e || m || !c ? 1 : 0;
}
