/*
 * callstress SECONDS STOPFILE DEVICE [THREADS]
 *
 * THREADS readers (default 4) read DEVICE at offset 0 without pause until
 * STOPFILE appears (or SECONDS pass).  A call in flight when the domain
 * faults may fail with EIO; any other failure is an error.  Prints the
 * counts; exits 0 if there was no other failure and calls went on
 * succeeding to the end.
 */
#include "stress.h"

#define MAX_THREADS	8

static const char *device;
static unsigned long ok[MAX_THREADS], eio[MAX_THREADS];
static int last_ok[MAX_THREADS];

static void worker(int id)
{
	int fd = stress_open(id, device, O_RDONLY);
	char buf[128];

	if (fd < 0)
		return;
	for (unsigned long i = 0; stress_go_on(i, 16); i++) {
		ssize_t n = pread(fd, buf, sizeof(buf), 0);

		last_ok[id] = n > 0;
		if (n > 0)
			ok[id]++;
		else if (n < 0 && errno == EIO)
			eio[id]++;
		else
			stress_error(id, "%d: read returned %zd: %s", id, n,
				     n < 0 ? strerror(errno) : "end of file");
	}
	close(fd);
}

int main(int argc, char **argv)
{
	unsigned long o, x;
	int resumed = 1;

	if (!stress_init("callstress", argc, argv, 1, MAX_THREADS,
			 "SECONDS STOPFILE DEVICE [THREADS]"))
		return 2;
	device = argv[3];
	stress_run(worker);
	for (int i = 0; i < stress.threads; i++)
		resumed &= last_ok[i];
	o = stress_sum(ok);
	x = stress_sum(stress.errors);
	printf("ok=%lu eio=%lu errors=%lu resumed=%s\n", o, stress_sum(eio), x,
	       resumed ? "yes" : "no");
	return x || !o || !resumed ? 1 : 0;
}
