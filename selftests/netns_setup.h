/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Named network namespaces for the C tests, built with as few processes as
 * possible: in the test VM every exec of ip(8) reads it and its libraries
 * over 9p and costs about 300 ms, and every test builds fresh namespaces.
 * So namespaces are made and deleted here as ip-netns(8) does, each
 * namespace's links are configured by one "ip -n NS -batch -", and waits
 * poll with getifaddrs(), not with a shell loop.
 *
 * The caller's network namespace is left as it was. Needs CAP_SYS_ADMIN.
 */
#ifndef LG_NETNS_SETUP_H
#define LG_NETNS_SETUP_H

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define NETNS_RUN_DIR "/run/netns"

/* Not <sys/stat.h>: the tests have a stat() of their own. */
int mkdir(const char *path, mode_t mode);

static inline int ns_enter_save(int nsfd)
{
	int saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	if (saved < 0)
		return -1;
	if (setns(nsfd, CLONE_NEWNET)) {
		close(saved);
		return -1;
	}
	return saved;
}

static inline int ns_restore(int saved)
{
	int err = setns(saved, CLONE_NEWNET);

	close(saved);
	return err;
}

/* Deletes the namespace NAME (a missing one is fine), as "ip netns del". */
static inline void ns_del(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	umount2(path, MNT_DETACH);
	unlink(path);
}

/*
 * Makes the namespace NAME, as "ip netns add" does (a bind mount of a new
 * namespace on /run/netns/NAME, so that "ip -n NAME" finds it), and
 * returns a descriptor of it, or -1.
 */
static inline int ns_add(const char *name)
{
	char path[128];
	int fd, saved;

	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	mkdir(NETNS_RUN_DIR, 0755);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	close(fd);
	saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (saved < 0)
		goto fail;
	if (unshare(CLONE_NEWNET) ||
	    mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL)) {
		ns_restore(saved);
		goto fail;
	}
	if (ns_restore(saved))
		goto fail;
	return open(path, O_RDONLY | O_CLOEXEC);
fail:
	ns_del(name);
	return -1;
}

/*
 * Runs the ip(8) commands in CMDS (one per line, as in "ip -batch") in the
 * namespace NAME (NULL: the caller's), in one process. Returns ip's exit status: 0 when every
 * command worked.
 */
static inline int ns_ip_batch(const char *name, const char *cmds)
{
	size_t len = strlen(cmds), done = 0;
	int pipefd[2], status;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(pipefd[0], 0);
		if (name)
			execlp("ip", "ip", "-n", name, "-batch", "-", NULL);
		else
			execlp("ip", "ip", "-batch", "-", NULL);
		_exit(127);
	}
	close(pipefd[0]);
	while (done < len) {
		ssize_t n = write(pipefd[1], cmds + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += n;
	}
	close(pipefd[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Sets IFNAME in the namespace NSFD up. */
static inline int ns_link_up(int nsfd, const char *ifname)
{
	struct ifreq ifr = {};
	int saved, fd, err = -1;

	saved = ns_enter_save(nsfd);
	if (saved < 0)
		return -1;
	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (fd >= 0 && !ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		err = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (fd >= 0)
		close(fd);
	if (ns_restore(saved))
		return -1;
	return err;
}

/*
 * Whether IFNAME has a link-local address that is usable: listed is not
 * enough, for addrconf clears its "tentative" flag from a workqueue, DAD
 * or not, and until then nothing can send from it (EADDRNOTAVAIL). A
 * bind() to it fails the same way, so a bind tells.
 */
static inline int ns_has_link_local(const char *ifname)
{
	struct ifaddrs *all, *a;
	int found = 0, fd;

	if (getifaddrs(&all))
		return 0;
	for (a = all; a && !found; a = a->ifa_next) {
		struct sockaddr_in6 sin6;

		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET6 ||
		    strcmp(a->ifa_name, ifname))
			continue;
		memcpy(&sin6, a->ifa_addr, sizeof(sin6));
		if (!IN6_IS_ADDR_LINKLOCAL(&sin6.sin6_addr))
			continue;
		sin6.sin6_port = 0;
		sin6.sin6_scope_id = if_nametoindex(ifname);
		fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		found = fd >= 0 && !bind(fd, (struct sockaddr *)&sin6,
					 sizeof(sin6));
		if (fd >= 0)
			close(fd);
	}
	freeifaddrs(all);
	return found;
}

/*
 * Waits up to 10 s for IFNAME in the namespace NSFD to have a usable
 * link-local address: carrier, the address and the end of its tentative
 * state come asynchronously.
 */
static inline int ns_wait_link_local(int nsfd, const char *ifname)
{
	int saved, i, found = 0;

	saved = ns_enter_save(nsfd);
	if (saved < 0)
		return -1;
	for (i = 0; i < 200 && !found; i++) {
		found = ns_has_link_local(ifname);
		if (!found)
			usleep(50000);
	}
	if (ns_restore(saved))
		return -1;
	return found ? 0 : -1;
}

#endif /* LG_NETNS_SETUP_H */
