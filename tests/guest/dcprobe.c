/*
 * dcprobe: raw ioctls on /dev/domain_core for tests that must bypass
 * domainctl's own checks (the kernel must validate on its own).
 *
 *   dcprobe version
 *   dcprobe load IMAGE [NAME] [PARAMS]   prints "errno=N error=MSG" on failure;
 *       DC_RESTART=always|on-failure|never, DC_RESTART_MAX, DC_RESTART_WINDOW_MS,
 *       DC_RESTART_BACKOFF_MS,
 *       DC_CALL_BUDGET_MS, DC_MEM_MAX (bytes)
 *       and DC_BACKOFF_MS in the environment set the restart policy
 *   dcprobe upgrade NAME IMAGE [PARAMS]  prints "OLD -> NEW pause_ns=N"
 *   DC_CONFINE_OFF=1 in the environment of load and upgrade: confine=off;
 *   DC_STANDBY=on|off: standby=on|off
 *   dcprobe unload NAME
 *   dcprobe badioctl                     unknown ioctl must be ENOTTY
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "uapi/domain_core.h"

static int open_dev(void)
{
	int fd = open(DC_DEVICE_PATH, O_RDWR);

	if (fd < 0)
		printf("errno=%d error=open %s: %s\n", errno, DC_DEVICE_PATH, strerror(errno));
	return fd;
}

static __u32 load_flags(void)
{
	const char *off = getenv("DC_CONFINE_OFF"), *standby = getenv("DC_STANDBY");
	__u32 flags = off && *off && strcmp(off, "0") ? DC_LOAD_F_CONFINE_OFF : 0;

	if (standby && !strcmp(standby, "on"))
		flags |= DC_LOAD_F_STANDBY_ON;
	else if (standby && !strcmp(standby, "off"))
		flags |= DC_LOAD_F_STANDBY_OFF;
	else if (standby && !strcmp(standby, "both"))
		flags |= DC_LOAD_F_STANDBY_ON | DC_LOAD_F_STANDBY_OFF;
	return flags;
}

static int do_load(int dev, const char *image, const char *name, const char *params)
{
	struct dc_load req;
	int fd = open(image, O_RDONLY);

	if (fd < 0) {
		printf("errno=%d error=open %s: %s\n", errno, image, strerror(errno));
		return 1;
	}
	memset(&req, 0, sizeof(req));
	req.image_fd = fd;
	snprintf(req.name, sizeof(req.name), "%s", name ? name : "");
	snprintf(req.params, sizeof(req.params), "%s", params ? params : "");
	req.flags = load_flags();
	if (getenv("DC_RESTART")) {
		const char *p = getenv("DC_RESTART");

		req.restart_policy = !strcmp(p, "always") ? DC_RESTART_ALWAYS :
				     !strcmp(p, "never") ? DC_RESTART_NEVER :
				     DC_RESTART_ON_FAILURE;
	}
	if (getenv("DC_RESTART_MAX"))
		req.restart_max = (__u32)strtoul(getenv("DC_RESTART_MAX"), NULL, 10);
	if (getenv("DC_RESTART_WINDOW_MS"))
		req.restart_window_ms = (__u32)strtoul(getenv("DC_RESTART_WINDOW_MS"), NULL, 10);
	if (getenv("DC_RESTART_BACKOFF_MS"))
		req.restart_backoff_ms = (__u32)strtoul(getenv("DC_RESTART_BACKOFF_MS"), NULL, 10);
	if (getenv("DC_CALL_BUDGET_MS"))
		req.call_budget_ms = (__u32)strtoul(getenv("DC_CALL_BUDGET_MS"), NULL, 10);
	if (getenv("DC_MEM_MAX"))
		req.mem_max = strtoull(getenv("DC_MEM_MAX"), NULL, 10);
	if (getenv("DC_BACKOFF_MS"))
		req.restart_backoff_ms = (__u32)strtoul(getenv("DC_BACKOFF_MS"), NULL, 10);
	if (ioctl(dev, DC_IOC_LOAD, &req)) {
		printf("errno=%d error=%s\n", errno, req.error);
		return 1;
	}
	printf("loaded\n");
	return 0;
}

int main(int argc, char **argv)
{
	int dev;

	if (argc < 2) {
		fprintf(stderr, "usage: dcprobe version|load|unload|badioctl ...\n");
		return 2;
	}
	dev = open_dev();
	if (dev < 0)
		return 1;
	if (!strcmp(argv[1], "version")) {
		struct dc_version v;

		if (ioctl(dev, DC_IOC_VERSION, &v)) {
			printf("errno=%d error=%s\n", errno, strerror(errno));
			return 1;
		}
		printf("uapi %u module %s backend %s\n", v.uapi_version, v.module_version, v.backend);
		return v.uapi_version == DC_UAPI_VERSION ? 0 : 1;
	}
	if (!strcmp(argv[1], "load") && argc >= 3)
		return do_load(dev, argv[2], argc > 3 ? argv[3] : NULL, argc > 4 ? argv[4] : NULL);
	if (!strcmp(argv[1], "upgrade") && argc >= 4) {
		struct dc_upgrade req;
		int fd = open(argv[3], O_RDONLY);

		if (fd < 0) {
			printf("errno=%d error=open %s: %s\n", errno, argv[3], strerror(errno));
			return 1;
		}
		memset(&req, 0, sizeof(req));
		req.image_fd = fd;
		snprintf(req.name, sizeof(req.name), "%s", argv[2]);
		snprintf(req.params, sizeof(req.params), "%s", argc > 4 ? argv[4] : "");
		req.flags = load_flags();
		if (ioctl(dev, DC_IOC_UPGRADE, &req)) {
			printf("errno=%d error=%s\n", errno, req.error);
			return 1;
		}
		printf("%s -> %s pause_ns=%llu\n", req.old_version, req.new_version,
		       (unsigned long long)req.pause_ns);
		return 0;
	}
	if (!strcmp(argv[1], "unload") && argc == 3) {
		struct dc_unload req;

		memset(&req, 0, sizeof(req));
		snprintf(req.name, sizeof(req.name), "%s", argv[2]);
		if (ioctl(dev, DC_IOC_UNLOAD, &req)) {
			printf("errno=%d error=%s\n", errno, req.error);
			return 1;
		}
		printf("unloaded\n");
		return 0;
	}
	if (!strcmp(argv[1], "badioctl")) {
		if (ioctl(dev, _IO(DC_IOC_MAGIC, 0x7f)) == 0 || errno != ENOTTY) {
			printf("errno=%d\n", errno);
			return 1;
		}
		return 0;
	}
	fprintf(stderr, "dcprobe: bad arguments\n");
	return 2;
}
