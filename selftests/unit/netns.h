/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A network namespace of the test's own, with lo up: the tests that bind
 * real sockets (port 547, raw packet sockets) do it there, apart from the
 * host's interfaces and daemons. Needs root (CAP_SYS_ADMIN).
 */
#ifndef LG_UNIT_NETNS_H
#define LG_UNIT_NETNS_H

#include <errno.h>
#include <sched.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* 0, or -errno: no namespace, or its lo could not be brought up. */
static inline int netns_with_lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd, err = 0;

	if (unshare(CLONE_NEWNET))
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		err = -errno;
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			err = -errno;
	}
	close(fd);
	return err;
}

#endif /* LG_UNIT_NETNS_H */
