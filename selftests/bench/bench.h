/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmarks share: two namespaces, R (the router, acc0) and C
 * (the client, eth0), static neighbours, UDP sockets and batches of
 * DHCPv6 exchanges. Define MAX_BATCH and MSG_MAX before including it.
 */
#ifndef LG_BENCH_H
#define LG_BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lgnl.h"

/* leaseguard's generic netlink, opened in R by each benchmark. */
static struct lg_sock nl __attribute__((unused));
static struct lg_ack ack __attribute__((unused));

static char ns_r[32], ns_c[32];
static int nsfd_r = -1, nsfd_c = -1;
static bool bench_keep;			/* leave the namespaces behind */

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(errno));
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sysctl_w(const char *name, const char *value)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		die(path);
	close(fd);
}

static void enter(int fd)
{
	if (setns(fd, CLONE_NEWNET))
		die("setns");
}

static void cleanup(void)
{
	char cmd[256];

	if (bench_keep)
		return;
	snprintf(cmd, sizeof(cmd),
		 "ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null; true",
		 ns_r, ns_c);
	if (system(cmd))
		fprintf(stderr, "# cleanup failed\n");
}

/* R and C joined by acc0 -- eth0; @tag makes the names: lg<tag>r<pid>. */
static void setup_namespaces(const char *tag)
{
	char cmd[2048];

	snprintf(ns_r, sizeof(ns_r), "lg%sr%d", tag, getpid());
	snprintf(ns_c, sizeof(ns_c), "lg%sc%d", tag, getpid());
	cleanup();
	atexit(cleanup);
	snprintf(cmd, sizeof(cmd), "ip netns add %s && ip netns add %s",
		 ns_r, ns_c);
	run(cmd);
	snprintf(cmd, sizeof(cmd), "/run/netns/%s", ns_r);
	nsfd_r = open(cmd, O_RDONLY);
	snprintf(cmd, sizeof(cmd), "/run/netns/%s", ns_c);
	nsfd_c = open(cmd, O_RDONLY);
	if (nsfd_r < 0 || nsfd_c < 0)
		die("open netns");
	enter(nsfd_c);
	sysctl_w("net/ipv6/conf/default/accept_dad", "0");
	sysctl_w("net/ipv6/conf/default/router_solicitations", "0");
	enter(nsfd_r);
	sysctl_w("net/ipv6/conf/default/accept_dad", "0");
	sysctl_w("net/ipv6/conf/default/router_solicitations", "0");
	snprintf(cmd, sizeof(cmd),
		 "set -e; ip -n %1$s link set lo up; ip -n %2$s link set lo up;"
		 " ip -n %1$s link add acc0 address 02:00:00:00:01:01 type veth"
		 "   peer name eth0 netns %2$s address 02:00:00:00:01:02;"
		 " ip -n %1$s link set acc0 up; ip -n %2$s link set eth0 up;"
		 " for i in $(seq 100); do"
		 "   ip -n %1$s -6 addr show dev acc0 scope link | grep -q fe80 &&"
		 "   ip -n %2$s -6 addr show dev eth0 scope link | grep -q fe80 &&"
		 "   break; sleep 0.1; done;"
		 /* No neighbour discovery in the measurement. */
		 " ip -n %1$s neigh replace fe80::ff:fe00:102"
		 "   lladdr 02:00:00:00:01:02 dev acc0 nud permanent;"
		 " ip -n %2$s neigh replace fe80::ff:fe00:101"
		 "   lladdr 02:00:00:00:01:01 dev eth0 nud permanent",
		 ns_r, ns_c);
	run(cmd);
}

/* A UDP socket in netns @nsfd on @port, connected to @peer%@dev:@dport. */
static int udp_socket(int nsfd, const char *dev, int port, const char *peer,
		      int dport)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	struct timeval tv = { .tv_sec = 2 };
	int fd, one = 1, buf = 16 << 20;

	enter(nsfd);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev)))
		die("SO_BINDTODEVICE");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	sa.sin6_port = htons(dport);
	inet_pton(AF_INET6, peer, &sa.sin6_addr);
	sa.sin6_scope_id = if_nametoindex(dev);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("connect");
	enter(nsfd_r);
	return fd;
}

struct batch {
	uint8_t req[MAX_BATCH][MSG_MAX], rep[MAX_BATCH][MSG_MAX];
	uint8_t rbuf[MAX_BATCH][MSG_MAX];
	struct iovec req_iov[MAX_BATCH], rep_iov[MAX_BATCH], r_iov[MAX_BATCH];
	struct mmsghdr req_m[MAX_BATCH], rep_m[MAX_BATCH], r_m[MAX_BATCH];
};

static struct batch bt;

static void batch_init(void)
{
	int i;

	for (i = 0; i < MAX_BATCH; i++) {
		bt.req_iov[i].iov_base = bt.req[i];
		bt.rep_iov[i].iov_base = bt.rep[i];
		bt.r_iov[i].iov_base = bt.rbuf[i];
		bt.r_iov[i].iov_len = MSG_MAX;
		bt.req_m[i].msg_hdr.msg_iov = &bt.req_iov[i];
		bt.req_m[i].msg_hdr.msg_iovlen = 1;
		bt.rep_m[i].msg_hdr.msg_iov = &bt.rep_iov[i];
		bt.rep_m[i].msg_hdr.msg_iovlen = 1;
		bt.r_m[i].msg_hdr.msg_iov = &bt.r_iov[i];
		bt.r_m[i].msg_hdr.msg_iovlen = 1;
	}
}

static void make_duid(uint8_t duid[14], unsigned long i)
{
	/* DUID-LLT, link-layer address 02:00:ii:ii:ii:ii */
	static const uint8_t base[14] = { 0, 1, 0, 1, 0x2b, 0x3c, 0x4d, 0x5e,
					  2, 0, 0, 0, 0, 0 };

	memcpy(duid, base, 14);
	duid[10] = i >> 24;
	duid[11] = i >> 16;
	duid[12] = i >> 8;
	duid[13] = i;
}

static int send_all(int fd, struct mmsghdr *m, int n)
{
	int sent = 0, r;

	while (sent < n) {
		r = sendmmsg(fd, m + sent, n - sent, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		sent += r;
	}
	return sent;
}

/* Receives @n datagrams on @fd; returns how many came before a timeout. */
static int recv_n(int fd, int n)
{
	int got = 0, r;

	while (got < n) {
		r = recvmmsg(fd, bt.r_m, n - got < MAX_BATCH ? n - got : MAX_BATCH,
			     MSG_WAITFORONE, NULL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += r;
	}
	return got;
}

static void drain(int fd)
{
	while (recvmmsg(fd, bt.r_m, MAX_BATCH, MSG_DONTWAIT, NULL) > 0)
		;
}

/* The namespace's counters into out[0..LG_STATS_A_MAX], by LG_STATS_A_*. */
static inline int bench_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *c;
	uint64_t *out = data;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != LG_A_STATS)
			continue;
		mnl_attr_for_each_nested(c, a)
			if (mnl_attr_get_type(c) <= LG_STATS_A_MAX &&
			    mnl_attr_get_payload_len(c) == 8)
				out[mnl_attr_get_type(c)] = mnl_attr_get_u64(c);
	}
	return MNL_CB_OK;
}

static inline void read_stats(uint64_t *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	memset(out, 0, (LG_STATS_A_MAX + 1) * sizeof(*out));
	if (lg_talk(&nl, lg_msg(&nl, buf, LG_CMD_STATS_GET, 0), bench_stats_cb,
		    out, &ack))
		die("stats get");
}

/* The namespace's binding limit (the benchmarks go past the default). */
static inline void config_max(uint32_t max)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&nl, buf, LG_CMD_CONFIG_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_CONFIG);

	mnl_attr_put_u32(nlh, LG_CONFIG_A_MAX_BINDINGS, max);
	mnl_attr_nest_end(nlh, nest);
	if (lg_talk(&nl, nlh, NULL, NULL, &ack)) {
		fprintf(stderr, "%s: config set: %s (%s)\n",
			program_invocation_short_name, strerror(-ack.err),
			ack.msg);
		exit(1);
	}
}

#endif /* LG_BENCH_H */
