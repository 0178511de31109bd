/*
 * runas UID CMD...     run CMD as UID (and GID UID), no supplementary groups
 * runas nocap CMD...   run CMD as root but without CAP_SYS_MODULE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int drop_sys_module(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	unsigned int idx = CAP_SYS_MODULE / 32, bit = 1u << (CAP_SYS_MODULE % 32);

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_MODULE, 0, 0, 0))
		return -1;
	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[idx].effective &= ~bit;
	data[idx].permitted &= ~bit;
	data[idx].inheritable &= ~bit;
	return (int)syscall(SYS_capset, &hdr, data);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: runas UID|nocap CMD [ARG...]\n");
		return 2;
	}
	if (!strcmp(argv[1], "nocap")) {
		if (drop_sys_module()) {
			fprintf(stderr, "runas: dropping CAP_SYS_MODULE: %s\n", strerror(errno));
			return 2;
		}
	} else {
		uid_t uid = (uid_t)strtoul(argv[1], NULL, 10);

		if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
			fprintf(stderr, "runas: %s\n", strerror(errno));
			return 2;
		}
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "runas: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
