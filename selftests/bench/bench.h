/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the benchmarks share: two namespaces, R (the router, acc0) and C
 * (the client, eth0), static neighbours, UDP sockets, leaseguard's
 * counters, the kernel's memory figures and the statistics of rounds.
 * Batches of DHCPv6 exchanges are in bench_dhcp6.h. A benchmark uses what
 * it needs: everything here is static inline or marked unused.
 */
#ifndef LG_BENCH_H
#define LG_BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lgnl.h"

#define __bench_unused __attribute__((unused))

/* leaseguard's generic netlink, opened in R by each benchmark. */
static struct lg_sock nl __bench_unused;
static struct lg_ack ack __bench_unused;

static char ns_r[32] __bench_unused, ns_c[32] __bench_unused;
static int nsfd_r __bench_unused = -1, nsfd_c __bench_unused = -1;
/* A third namespace, S, for the benchmarks that have a server or source. */
static char ns_s[32] __bench_unused;
static int nsfd_s __bench_unused = -1;
static bool bench_keep __bench_unused;	/* leave the namespaces behind */

static inline void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(errno));
	exit(1);
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void sysctl_w(const char *name, const char *value)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		die(path);
	close(fd);
}

static inline void enter(int fd)
{
	if (setns(fd, CLONE_NEWNET))
		die("setns");
}

static inline void cleanup(void)
{
	char cmd[256];

	if (bench_keep)
		return;
	snprintf(cmd, sizeof(cmd),
		 "ip netns del %s 2>/dev/null; ip netns del %s 2>/dev/null;"
		 " ip netns del %s 2>/dev/null; true", ns_r, ns_c, ns_s);
	if (system(cmd))
		fprintf(stderr, "# cleanup failed\n");
}

/*
 * Makes the namespace lg<tag><role><pid> into @name, without DAD or
 * router solicitations (no waiting for either), and returns its fd.
 * Leaves the caller in it.
 */
static inline int netns_add(char name[32], const char *tag, char role)
{
	char cmd[128];
	int fd;

	snprintf(name, 32, "lg%s%c%d", tag, role, getpid());
	snprintf(cmd, sizeof(cmd),
		 "ip netns del %1$s 2>/dev/null; ip netns add %1$s", name);
	run(cmd);
	snprintf(cmd, sizeof(cmd), "/run/netns/%s", name);
	fd = open(cmd, O_RDONLY);
	if (fd < 0)
		die("open netns");
	enter(fd);
	sysctl_w("net/ipv6/conf/default/accept_dad", "0");
	sysctl_w("net/ipv6/conf/default/router_solicitations", "0");
	return fd;
}

/*
 * R and C joined by acc0 -- eth0; @tag makes the names: lg<tag>r<pid>.
 * All namespaces go at exit (unless bench_keep). Leaves the caller in R.
 */
static inline void setup_namespaces(const char *tag)
{
	char cmd[2048];

	atexit(cleanup);
	nsfd_c = netns_add(ns_c, tag, 'c');
	nsfd_r = netns_add(ns_r, tag, 'r');
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
static inline int udp_socket(int nsfd, const char *dev, int port,
			     const char *peer, int dport)
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

/* An interface's counters into out[0..63], by LG_LINK_STATS_A_*. */
static inline void bench_u64s_nest(const struct nlattr *nest, uint64_t *out)
{
	const struct nlattr *c;

	mnl_attr_for_each_nested(c, nest)
		if (mnl_attr_get_type(c) < 64 &&
		    mnl_attr_get_payload_len(c) == 8)
			out[mnl_attr_get_type(c)] = mnl_attr_get_u64(c);
}

static inline int bench_link_stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *c;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != LG_A_LINK)
			continue;
		mnl_attr_for_each_nested(c, a)
			if (mnl_attr_get_type(c) == LG_LINK_A_STATS)
				bench_u64s_nest(c, data);
	}
	return MNL_CB_OK;
}

static inline void read_link_stats(uint32_t ifindex, uint64_t out[64])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&nl, buf, LG_CMD_LINK_GET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	memset(out, 0, 64 * sizeof(*out));
	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, nest);
	if (lg_talk(&nl, nlh, bench_link_stats_cb, out, &ack))
		die("link get");
}

/* The kernel's counters: backlog drops, an interface's packets sent */

/* Packets the per-CPU backlogs dropped (/proc/net/softnet_stat), all CPUs. */
static inline uint64_t backlog_drops(void)
{
	char line[512];
	unsigned int processed, dropped;
	uint64_t sum = 0;
	FILE *f = fopen("/proc/net/softnet_stat", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%x %x", &processed, &dropped) == 2)
			sum += dropped;
	fclose(f);
	return sum;
}

/* TX packets of @dev in the calling thread's namespace. */
static inline uint64_t dev_tx_packets(const char *dev)
{
	char line[512], name[IFNAMSIZ + 2];
	unsigned long long v[16];
	uint64_t tx = 0;
	FILE *f = fopen("/proc/thread-self/net/dev", "r");

	if (!f)
		die("/proc/thread-self/net/dev");
	snprintf(name, sizeof(name), "%s:", dev);
	while (fgets(line, sizeof(line), f)) {
		char *p = line;

		while (*p == ' ')
			p++;
		if (strncmp(p, name, strlen(name)))
			continue;
		if (sscanf(p + strlen(name),
			   "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
			   &v[7], &v[8], &v[9]) == 10)
			tx = v[9];
	}
	fclose(f);
	return tx;
}

/* Sending: whole frames (fwd_bench, mcast_bench), batches (all) */

/* An AF_PACKET socket on eth0 of netns @nsfd, for sending whole frames. */
static inline int packet_socket(int nsfd)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd, one = 1, buf = 4 << 20;

	enter(nsfd);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("AF_PACKET socket");
	sll.sll_ifindex = if_nametoindex("eth0");
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("bind eth0");
	/* veth has no qdisc anyway; this also skips the qdisc lookup. */
	setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	enter(nsfd_r);
	return fd;
}

/*
 * Sends all @n messages of @m. With @nobufs, a frame that found the
 * per-CPU backlog full (a packet socket's sendmmsg() fails with ENOBUFS
 * when the softirq falls behind; under TCG it moves to ksoftirqd) is
 * counted there and sent again once the backlog had time to drain, so
 * that every frame arrives; without, ENOBUFS is an error like any other.
 * Returns @n, or -1 (errno set).
 */
static inline int send_all(int fd, struct mmsghdr *m, int n,
			   unsigned long *nobufs)
{
	int sent = 0, r;

	while (sent < n) {
		r = sendmmsg(fd, m + sent, n - sent, 0);
		if (r >= 0) {
			sent += r;
		} else if (errno == ENOBUFS && nobufs) {
			(*nobufs)++;
			usleep(100);
		} else if (errno != EINTR) {
			return -1;
		}
	}
	return sent;
}

static inline void pin(pthread_t t, int cpu)
{
	cpu_set_t set;

	if (cpu >= sysconf(_SC_NPROCESSORS_ONLN))
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(t, sizeof(set), &set);
}

static inline void sleep_s(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s,
			       .tv_nsec = (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
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

/* Kernel memory: /proc/meminfo, /proc/zoneinfo, /proc/slabinfo */

struct meminfo {
	long free_kb;		/* memfree_kb + pcp_kb: what is really free */
	long memfree_kb, pcp_kb, avail_kb, slab_kb, sunreclaim_kb;
	long vmalloc_kb, percpu_kb;
};

/*
 * Pages on the per-CPU free lists: MemFree leaves them out, so a free
 * that lands there would look like memory still held.
 */
static inline long pcp_kb(void)
{
	char line[256];
	FILE *f = fopen("/proc/zoneinfo", "r");
	long v, pages = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %ld", &v) == 1)
			pages += v;
	fclose(f);
	return pages * (sysconf(_SC_PAGESIZE) / 1024);
}

static inline void read_meminfo(struct meminfo *mi)
{
	char line[256];
	FILE *f = fopen("/proc/meminfo", "r");
	long v;

	memset(mi, 0, sizeof(*mi));
	if (!f)
		die("/proc/meminfo");
	mi->pcp_kb = pcp_kb();
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemFree: %ld", &v) == 1)
			mi->memfree_kb = v;
		else if (sscanf(line, "MemAvailable: %ld", &v) == 1)
			mi->avail_kb = v;
		else if (sscanf(line, "Slab: %ld", &v) == 1)
			mi->slab_kb = v;
		else if (sscanf(line, "SUnreclaim: %ld", &v) == 1)
			mi->sunreclaim_kb = v;
		else if (sscanf(line, "VmallocUsed: %ld", &v) == 1)
			mi->vmalloc_kb = v;
		else if (sscanf(line, "Percpu: %ld", &v) == 1)
			mi->percpu_kb = v;
	}
	fclose(f);
	mi->free_kb = mi->memfree_kb + mi->pcp_kb;
}

#define MAX_CACHES	512

struct slab {
	char name[64];
	long active, objsize, bytes;	/* bytes: num_slabs * pages */
};

struct slabinfo {
	int n;
	struct slab s[MAX_CACHES];
};

static inline bool read_slabinfo(struct slabinfo *si)
{
	long pagesz = sysconf(_SC_PAGESIZE);
	char line[512];
	FILE *f = fopen("/proc/slabinfo", "r");

	si->n = 0;
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f) && si->n < MAX_CACHES) {
		struct slab *s = &si->s[si->n];
		long num, perslab, pages, aslabs, nslabs;

		if (sscanf(line,
			   "%63s %ld %ld %ld %ld %ld : tunables %*d %*d %*d : slabdata %ld %ld",
			   s->name, &s->active, &num, &s->objsize, &perslab,
			   &pages, &aslabs, &nslabs) != 8)
			continue;
		s->bytes = nslabs * pages * pagesz;
		si->n++;
	}
	fclose(f);
	return si->n > 0;
}

static inline const struct slab *find_slab(const struct slabinfo *si,
					   const char *name)
{
	int i;

	for (i = 0; i < si->n; i++)
		if (!strcmp(si->s[i].name, name))
			return &si->s[i];
	return NULL;
}

/* Waits (at most ~20 s) until free memory stops moving: RCU frees, rehashes. */
static inline void settle(void)
{
	struct meminfo a, b;
	int i;

	read_meminfo(&a);
	for (i = 0; i < 20; i++) {
		sleep(1);
		read_meminfo(&b);
		if (labs(b.free_kb - a.free_kb) < 256 &&
		    labs(b.slab_kb - a.slab_kb) < 64)
			return;
		a = b;
	}
}

/* Statistics of rounds */

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of v[0..n), 0 if n is 0; v is left as it was. */
static inline double median(const double *v, int n)
{
	double *s, m;

	if (n <= 0)
		return 0;
	s = malloc(n * sizeof(*s));
	if (!s)
		die("malloc");
	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	m = n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

static inline double vmin(const double *v, int n)
{
	double m = v[0];
	int i;

	for (i = 1; i < n; i++)
		if (v[i] < m)
			m = v[i];
	return m;
}

static inline double vmax(const double *v, int n)
{
	double m = v[0];
	int i;

	for (i = 1; i < n; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

/*
 * A mode measured in rounds, ns[r] = 1e9 / packets per second in round r,
 * against a base mode measured in the same rounds (fwd_bench, mcast_bench):
 * - ratio: the median over rounds of ns(mode) / ns(base) in the same
 *   round. When the host runs something else, the guest's CPU slows down
 *   for every mode of a round alike: ratios survive that, differences do
 *   not. extra_ns is that ratio applied to the base's best slice:
 *   (ratio - 1) * min ns(base).
 * - ratio_min, extra_ns_min: from the best slice of each, min ns(mode) -
 *   min ns(base), i.e. 1e9/pps_max(mode) - 1e9/pps_max(base).
 */
struct rounds_vs_base {
	bool has_base;
	double ratio, extra_ns, ratio_min, extra_ns_min;
};

/*
 * Prints "bench @what @label mode=@mode rounds= pps_... ns_..." and, with
 * a @base of as many rounds, the figures against it; no newline, so that
 * the caller adds its own. Fills @vs.
 */
static inline void print_rounds(const char *what, const char *label,
				const char *mode, const double *ns,
				const double *base, int n,
				struct rounds_vs_base *vs)
{
	double med = median(ns, n), min = vmin(ns, n);

	memset(vs, 0, sizeof(*vs));
	printf("bench %s %s mode=%s rounds=%d pps_median=%.0f"
	       " pps_max=%.0f ns_median=%.1f ns_min=%.1f ns_max=%.1f",
	       what, label, mode, n, 1e9 / med, 1e9 / min, med, min,
	       vmax(ns, n));
	if (base) {
		double *q = malloc(n * sizeof(*q)), bmin = vmin(base, n);
		int r;

		if (!q)
			die("malloc");
		for (r = 0; r < n; r++)
			q[r] = ns[r] / base[r];
		vs->has_base = true;
		vs->ratio = median(q, n);
		vs->extra_ns = (vs->ratio - 1) * bmin;
		vs->ratio_min = min / bmin;
		vs->extra_ns_min = min - bmin;
		free(q);
		printf(" extra_ns=%.1f ratio=%.3f extra_ns_min=%.1f"
		       " ratio_min=%.3f", vs->extra_ns, vs->ratio,
		       vs->extra_ns_min, vs->ratio_min);
	}
}

#endif /* LG_BENCH_H */
