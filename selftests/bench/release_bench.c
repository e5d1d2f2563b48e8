// SPDX-License-Identifier: GPL-2.0
/*
 * Relay-initiated release benchmark: the time from "the access link goes
 * down with N subscribers" to "the server answered every RELEASE-REQUEST,
 * every binding is gone and every access route removed". It prints
 * figures; it never passes or fails on them, only on a wrong end state.
 *
 *   netns C (clients)        netns R (leaseguard, leaseguardd)        netns S (server)
 *   eth0 fe80::ff:fe00:102 -- acc0 (access)  up0 (upstream) -- eth0 2001:db8:f::2
 *   UDP 546                  "relay": 547    2001:db8:f::1           547: RELAY-REPLs,
 *                                                                    then release_server
 *
 * Subscriber i (1..N), DUID-LLT 02:00:<i>, learned as a relayed exchange
 * (kmod/snoop.c): its REQUEST (IA_NA iaid 1, IA_PD iaid 2) goes from the
 * client socket to the relay socket on acc0; the server's RELAY-REPL
 * (source 2001:db8:f::2, Interface-Id "acc0") reaches the relay socket on
 * up0, which gives the pending request the server's address; the inner
 * REPLY (2001:db8:1::<i>/128 and 2001:db8:8000::/33 + i as a /56) leaves
 * acc0 from the relay socket, where the bindings are made. Batches of
 * BATCH with sendmmsg(); each step receives the whole batch before the
 * next, so the hooks have seen it.
 *
 * Then leaseguardd starts in R ("interface * release link-down",
 * "link-down-hold 0") and lays the 2N routes (timed: its start-up sync),
 * and release_server starts in S. The clock starts just before C's eth0
 * is set down (acc0 loses its carrier) and stops at the first 10 ms poll
 * that finds no binding on acc0 (LG_LINK_A_BINDINGS) and no route of
 * protocol 200 in R: counted from route notifications once the bindings
 * are gone, then confirmed by one rtnetlink dump (dumps hold the RTNL
 * lock, which leaseguardd needs for every route it deletes).
 *
 * Usage: release_bench [-n N] [-P] [-b BATCH] [-t TIMEOUT] [-m MTU] [-l LEVEL]
 *                      [-k] [-D LEASEGUARDD] [-S RELEASE_SERVER]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lgnl.h"
#include "dhcp6_build.h"

enum { REQUEST = 3, REPLY = 7, RELAY_REPL = 13 };
enum { OPT_CLIENTID = 1, OPT_SERVERID = 2, OPT_IA_NA = 3, OPT_RELAY_MSG = 9,
	OPT_INTERFACE_ID = 18, OPT_IA_PD = 25 };

#define MAX_BATCH	256
#define MSG_MAX		256

#include "bench_dhcp6.h"

#define ROUTE_PROTO	200	/* leaseguardd's default route-protocol */
#define RELAY_ID	"000200000009626e"
#define POLL_NS		10000000L
#define TARGET_S	2.0

static const uint8_t server_duid[] = { 0, 1, 0, 1, 0x11, 0x22, 0x33, 0x44,
				       2, 0, 0, 0, 0xf, 2 };

static struct mnl_socket *rt_r, *rt_c;	/* rtnetlink in R, in C */
static uint32_t rt_seq;
static uint32_t acc0, up0, c_eth0;
static char dir[48];
static pid_t lgd_pid, rs_pid;

/* The server's RELAY-REPLs of a batch. */
static uint8_t rr[MAX_BATCH][MSG_MAX];
static struct iovec rr_iov[MAX_BATCH];
static struct mmsghdr rr_m[MAX_BATCH];

/* ---- Processes and namespaces --------------------------------------- */

/* Runs argv in netns nsfd, stdout and stderr into out. */
static pid_t spawn(int nsfd, char *const argv[], const char *out)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		die("fork");
	if (pid)
		return pid;
	if (setns(nsfd, CLONE_NEWNET))
		_exit(126);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		_exit(126);
	dup2(fd, 1);
	dup2(fd, 2);
	close_range(3, ~0U, 0);
	execv(argv[0], argv);
	_exit(127);
}

/* SIGTERM, then SIGKILL after 5 s; returns the wait status (-1: none). */
static int stop(pid_t *pid)
{
	int st = -1, i;

	if (*pid <= 0)
		return -1;
	kill(*pid, SIGTERM);
	for (i = 0; i < 500; i++) {
		if (waitpid(*pid, &st, WNOHANG) == *pid)
			break;
		usleep(10000);
	}
	if (i == 500) {
		kill(*pid, SIGKILL);
		waitpid(*pid, &st, 0);
	}
	*pid = 0;
	return st;
}

static void stop_all(void)
{
	stop(&lgd_pid);
	stop(&rs_pid);
}

static void remove_dir(void)
{
	char cmd[128];

	if (bench_keep || !*dir)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "# %s failed\n", cmd);
}

/* R's up0 to S's eth0; static neighbours; then the ends' addresses. */
static void setup_server_side(void)
{
	char cmd[2048];

	nsfd_s = netns_add(ns_s, "rl", 's');
	enter(nsfd_r);
	snprintf(cmd, sizeof(cmd),
		 "set -e; ip -n %1$s link set lo up;"
		 " ip -n %2$s link add up0 address 02:00:00:00:0f:01 type veth"
		 "   peer name eth0 netns %1$s address 02:00:00:00:0f:02;"
		 " ip -n %2$s addr add 2001:db8:f::1/64 dev up0 nodad;"
		 " ip -n %1$s addr add 2001:db8:f::2/64 dev eth0 nodad;"
		 " ip -n %2$s link set up0 up; ip -n %1$s link set eth0 up;"
		 " for i in $(seq 100); do"
		 "   ip -n %2$s -6 route show dev up0 | grep -q 2001:db8:f:: &&"
		 "   ip -n %1$s -6 route show dev eth0 | grep -q 2001:db8:f:: &&"
		 "   break; sleep 0.1; done;"
		 " ip -n %2$s neigh replace 2001:db8:f::2"
		 "   lladdr 02:00:00:00:0f:02 dev up0 nud permanent;"
		 " ip -n %1$s neigh replace 2001:db8:f::1"
		 "   lladdr 02:00:00:00:0f:01 dev eth0 nud permanent",
		 ns_s, ns_r);
	run(cmd);
}

/* ---- leaseguard netlink ---------------------------------------------- */

static void link_set(uint32_t ifindex, uint32_t role, uint32_t max)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&nl, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, role);
	if (max)
		mnl_attr_put_u32(nlh, LG_LINK_A_MAX_BINDINGS, max);
	mnl_attr_nest_end(nlh, nest);
	if (lg_talk(&nl, nlh, NULL, NULL, &ack)) {
		fprintf(stderr, "release_bench: link set: %s (%s)\n",
			strerror(-ack.err), ack.msg);
		exit(1);
	}
}

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *c;

	if (mnl_attr_get_type(attr) != LG_A_LINK)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(c, attr)
		if (mnl_attr_get_type(c) == LG_LINK_A_BINDINGS)
			*(long *)data = mnl_attr_get_u32(c);
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, link_attr_cb, data);
}

/* Bindings on acc0 now; -1 if the module does not say. */
static long link_bindings(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&nl, buf, LG_CMD_LINK_GET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);
	long v = -1;

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, acc0);
	mnl_attr_nest_end(nlh, nest);
	if (lg_talk(&nl, nlh, link_cb, &v, &ack))
		return -1;
	return v;
}

/* What a dump of acc0's bindings found. */
struct census {
	unsigned long total, na, pd, bound, releasing, server_ok, ifid_ok;
};

struct one {
	uint32_t ia_type, state;
	bool saddr_ok, sduid_ok, ifid_ok;
};

static int binding_attr_cb(const struct nlattr *attr, void *data)
{
	struct one *o = data;
	struct in6_addr s;
	int len = mnl_attr_get_payload_len(attr);

	switch (mnl_attr_get_type(attr)) {
	case LG_BINDING_A_IA_TYPE:
		o->ia_type = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_STATE:
		o->state = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_SERVER_ADDR:
		inet_pton(AF_INET6, "2001:db8:f::2", &s);
		o->saddr_ok = len == 16 &&
			      !memcmp(mnl_attr_get_payload(attr), &s, 16);
		break;
	case LG_BINDING_A_SERVER_DUID:
		o->sduid_ok = len == sizeof(server_duid) &&
			      !memcmp(mnl_attr_get_payload(attr), server_duid,
				      len);
		break;
	case LG_BINDING_A_INTERFACE_ID:
		o->ifid_ok = len == 4 &&
			     !memcmp(mnl_attr_get_payload(attr), "acc0", 4);
		break;
	}
	return MNL_CB_OK;
}

static int census_attr_cb(const struct nlattr *attr, void *data)
{
	struct census *c = data;
	struct one o = {};

	if (mnl_attr_get_type(attr) != LG_A_BINDING)
		return MNL_CB_OK;
	mnl_attr_parse_nested(attr, binding_attr_cb, &o);
	c->total++;
	c->na += o.ia_type == LG_IA_NA;
	c->pd += o.ia_type == LG_IA_PD;
	c->bound += o.state == LG_BINDING_BOUND;
	c->releasing += o.state == LG_BINDING_RELEASING;
	c->server_ok += o.saddr_ok && o.sduid_ok;
	c->ifid_ok += o.ifid_ok;
	return MNL_CB_OK;
}

static int census_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, census_attr_cb, data);
}

static int census(struct census *c)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&nl, buf, LG_CMD_BINDING_GET, NLM_F_DUMP);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING);

	mnl_attr_put_u32(nlh, LG_BINDING_A_IFINDEX, acc0);
	mnl_attr_nest_end(nlh, nest);
	memset(c, 0, sizeof(*c));
	return lg_talk(&nl, nlh, census_cb, c, &ack);
}

/* ---- rtnetlink -------------------------------------------------------- */

static struct mnl_socket *rt_open(int nsfd)
{
	struct mnl_socket *s;
	int one = 1, rcvbuf = 4 << 20;

	enter(nsfd);
	s = mnl_socket_open(NETLINK_ROUTE);
	if (!s || mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0)
		die("rtnetlink");
	/* The kernel filters the dump by protocol and table. */
	mnl_socket_setsockopt(s, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		   sizeof(rcvbuf));
	enter(nsfd_r);
	return s;
}

/* Routes of protocol 200 in R's main table; -1 on error. */
static long route_count(void)
{
	static char buf[64 << 10];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	uint32_t seq = ++rt_seq;
	long n = 0;
	int len;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_protocol = ROUTE_PROTO;
	rtm->rtm_table = RT_TABLE_MAIN;
	if (mnl_socket_sendto(rt_r, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		const struct nlmsghdr *m;

		len = mnl_socket_recvfrom(rt_r, buf, sizeof(buf));
		if (len < 0)
			return -1;
		for (m = (void *)buf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			const struct rtmsg *r = mnl_nlmsg_get_payload(m);

			if (m->nlmsg_seq != seq)
				continue;
			if (m->nlmsg_type == NLMSG_DONE)
				return n;
			if (m->nlmsg_type == NLMSG_ERROR)
				return -1;
			if (m->nlmsg_type == RTM_NEWROUTE &&
			    r->rtm_protocol == ROUTE_PROTO &&
			    r->rtm_table == RT_TABLE_MAIN &&
			    !(r->rtm_flags & RTM_F_CLONED))
				n++;
		}
	}
}

/*
 * Route notifications in R. Polling with dumps would take the RTNL lock
 * (rtnetlink dumps run under it) every 10 ms and slow leaseguardd's
 * route deletions down (by half, at 20k routes); the notifications, read
 * once the bindings are gone, cost it nothing.
 */
struct route_events {
	long adds, dels;
	bool lost;			/* the socket overran */
};

static struct mnl_socket *route_events_open(void)
{
	struct mnl_socket *s;
	int rcvbuf = 64 << 20;

	enter(nsfd_r);
	s = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!s || mnl_socket_bind(s, 1 << (RTNLGRP_IPV6_ROUTE - 1),
				  MNL_SOCKET_AUTOPID) < 0)
		die("rtnetlink route events");
	if (setsockopt(mnl_socket_get_fd(s), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)))
		die("route events setsockopt");
	return s;
}

static void route_events_read(struct mnl_socket *s, struct route_events *ev)
{
	enum { N = 64, SZ = 1024 };
	static char buf[N][SZ];
	static struct iovec iov[N];
	static struct mmsghdr m[N];
	int r, k;

	for (;;) {
		for (k = 0; k < N; k++) {
			iov[k].iov_base = buf[k];
			iov[k].iov_len = SZ;
			memset(&m[k].msg_hdr, 0, sizeof(m[k].msg_hdr));
			m[k].msg_hdr.msg_iov = &iov[k];
			m[k].msg_hdr.msg_iovlen = 1;
		}
		r = recvmmsg(mnl_socket_get_fd(s), m, N, MSG_DONTWAIT, NULL);
		if (r < 0) {
			if (errno == ENOBUFS) {
				ev->lost = true;
				continue;
			}
			return;		/* EAGAIN: all read */
		}
		for (k = 0; k < r; k++) {
			const struct nlmsghdr *nlh = (void *)buf[k];
			int len = m[k].msg_len < SZ ? (int)m[k].msg_len : SZ;

			for (; mnl_nlmsg_ok(nlh, len);
			     nlh = mnl_nlmsg_next(nlh, &len)) {
				const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

				if ((nlh->nlmsg_type != RTM_NEWROUTE &&
				     nlh->nlmsg_type != RTM_DELROUTE) ||
				    rtm->rtm_family != AF_INET6 ||
				    rtm->rtm_protocol != ROUTE_PROTO ||
				    rtm->rtm_table != RT_TABLE_MAIN ||
				    (rtm->rtm_flags & RTM_F_CLONED))
					continue;
				if (nlh->nlmsg_type == RTM_NEWROUTE)
					ev->adds++;
				else
					ev->dels++;
			}
		}
	}
}

/* C's eth0 down: acc0, its veth peer, loses its carrier. */
static int client_link_down(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	int len;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++rt_seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = c_eth0;
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = 0;
	if (mnl_socket_sendto(rt_c, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	len = mnl_socket_recvfrom(rt_c, buf, sizeof(buf));
	if (len < 0)
		return -errno;
	return mnl_cb_run(buf, len, rt_seq, 0, NULL, NULL) < 0 ? -errno : 0;
}

/* ---- Making the bindings ---------------------------------------------- */

static void na_addr(struct in6_addr *a, unsigned long i)
{
	inet_pton(AF_INET6, "2001:db8:1::", a);
	a->s6_addr[12] = i >> 24;
	a->s6_addr[13] = i >> 16;
	a->s6_addr[14] = i >> 8;
	a->s6_addr[15] = i;
}

/* 2001:db8:8000::/33 + i, a /56: i in bits 33..55. */
static void pd_prefix(struct in6_addr *a, unsigned long i)
{
	inet_pton(AF_INET6, "2001:db8::", a);
	a->s6_addr[4] = 0x80 | ((i >> 16) & 0x7f);
	a->s6_addr[5] = i >> 8;
	a->s6_addr[6] = i;
}

/*
 * Subscribers first..first+count-1 (1-based), in batches: REQUESTs, then
 * RELAY-REPLs, then REPLYs. Returns requests and RELAY-REPLs the relay
 * sockets did not receive.
 */
static unsigned long exchange(unsigned long first, unsigned long count,
			      int batch, bool pd, int cl_fd, int relay_acc,
			      int relay_up, int srv_fd)
{
	struct in6_addr link, cl_ll;
	unsigned long i, lost = 0;

	inet_pton(AF_INET6, "2001:db8:1::1", &link);
	inet_pton(AF_INET6, "fe80::ff:fe00:102", &cl_ll);
	for (i = 0; i < count;) {
		int k, b = count - i < (unsigned long)batch ? (int)(count - i) :
							   batch;
		struct d6b m;

		for (k = 0; k < b; k++) {
			unsigned long id = first + i + k;
			uint32_t xid = random() & 0xffffff;
			struct in6_addr a;
			uint8_t duid[14];

			make_duid(duid, id);
			d6b_msg(&m, REQUEST, xid);
			d6b_put(&m, OPT_CLIENTID, duid, 14);
			d6b_put(&m, OPT_SERVERID, server_duid,
				sizeof(server_duid));
			d6b_ia(&m, OPT_IA_NA, 1, 0, 0);
			d6b_end(&m);
			if (pd) {
				d6b_ia(&m, OPT_IA_PD, 2, 0, 0);
				d6b_end(&m);
			}
			memcpy(bt.req[k], m.buf, m.len);
			bt.req_iov[k].iov_len = m.len;

			d6b_msg(&m, REPLY, xid);
			d6b_put(&m, OPT_CLIENTID, duid, 14);
			d6b_put(&m, OPT_SERVERID, server_duid,
				sizeof(server_duid));
			na_addr(&a, id);
			d6b_ia(&m, OPT_IA_NA, 1, 43200, 69120);
			d6b_iaaddr(&m, &a, 54000, 86400);
			d6b_end(&m);
			if (pd) {
				pd_prefix(&a, id);
				d6b_ia(&m, OPT_IA_PD, 2, 43200, 69120);
				d6b_iaprefix(&m, 56, &a, 54000, 86400);
				d6b_end(&m);
			}
			memcpy(bt.rep[k], m.buf, m.len);
			bt.rep_iov[k].iov_len = m.len;

			/* The server's answer to the relay, around it. */
			m.len = 0;
			m.depth = 0;
			d6b_relay(&m, RELAY_REPL, 0, &link, &cl_ll);
			d6b_put(&m, OPT_INTERFACE_ID, "acc0", 4);
			d6b_open(&m, OPT_RELAY_MSG);
			d6b_raw(&m, bt.rep[k], bt.rep_iov[k].iov_len);
			d6b_end(&m);
			if (m.len > MSG_MAX) {
				fprintf(stderr, "release_bench: message too long\n");
				exit(1);
			}
			memcpy(rr[k], m.buf, m.len);
			rr_iov[k].iov_len = m.len;
		}
		if (send_all(cl_fd, bt.req_m, b, NULL) < 0)
			die("client sendmmsg");
		/* Once the relay has them, the access hook has seen them. */
		lost += b - recv_n(relay_acc, b);
		if (send_all(srv_fd, rr_m, b, NULL) < 0)
			die("server sendmmsg");
		/* And the upstream hook has noted the server's address. */
		lost += b - recv_n(relay_up, b);
		if (send_all(relay_acc, bt.rep_m, b, NULL) < 0)
			die("relay sendmmsg");
		drain(cl_fd);
		i += b;
	}
	drain(cl_fd);
	return lost;
}

/* ---- Logs and the control socket -------------------------------------- */

/* The whole of a file, NUL-terminated (NULL if unreadable). */
static char *slurp(const char *path, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	for (;;) {
		if (n + 1 >= cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die("realloc");
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r <= 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Follows a log as it grows: the lines added since the last call. */
struct tail {
	char path[128];
	off_t off;
	char part[4096];
	size_t plen;
};

typedef void (*line_fn)(const char *line, void *data);

static void tail_read(struct tail *t, line_fn fn, void *data)
{
	char buf[65536];
	ssize_t r;
	int fd = open(t->path, O_RDONLY);

	if (fd < 0)
		return;
	while ((r = pread(fd, buf, sizeof(buf), t->off)) > 0) {
		ssize_t i;

		t->off += r;
		for (i = 0; i < r; i++) {
			if (buf[i] != '\n') {
				if (t->plen < sizeof(t->part) - 1)
					t->part[t->plen++] = buf[i];
				continue;
			}
			t->part[t->plen] = '\0';
			fn(t->part, data);
			t->plen = 0;
		}
	}
	close(fd);
}

/* What the daemon's log said, and when (on our clock) it was seen. */
struct lgd_log {
	double t_sync, t_down, t_fire;
	int syncs;
	unsigned long kept, added, removed, sync_bindings;
	unsigned long released, warnings, errors, resyncs;
	int shown;
};

static struct lgd_log lg_log;

static void lgd_line(const char *line, void *data)
{
	struct lgd_log *l = data;
	unsigned long a, b, c, d;

	if (strstr(line, " sync: ")) {
		if (!l->syncs++)
			l->t_sync = now_s();
		if (sscanf(strstr(line, " sync: "),
			   " sync: %lu bindings; routes: %lu kept, %lu added, %lu removed",
			   &a, &b, &c, &d) == 4) {
			l->sync_bindings = a;
			l->kept = b;
			l->added = c;
			l->removed = d;
		}
	}
	if (strstr(line, "acc0 is down") && !l->t_down)
		l->t_down = now_s();
	if (strstr(line, "acc0 has been down") && !l->t_fire)
		l->t_fire = now_s();
	if (strstr(line, "released by the server"))
		l->released++;
	if (strstr(line, "resyncing"))
		l->resyncs++;
	if (!strncmp(line, "leaseguardd: warning:", 21))
		l->warnings++;
	if (!strncmp(line, "leaseguardd: err:", 17))
		l->errors++;
	if ((!strncmp(line, "leaseguardd: warning:", 21) ||
	     !strncmp(line, "leaseguardd: err:", 17) ||
	     strstr(line, "resyncing")) && l->shown < 20) {
		fprintf(stderr, "# lgd: %s\n", line);
		l->shown++;
	}
}

/* leaseguardd's release counters, from its control socket. */
static bool lgd_control(const char *sock, char *stats_line, size_t size,
			unsigned long *outstanding)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = 0, cap = 1 << 16;
	char *buf = malloc(cap), *line, *save;
	ssize_t r;
	int fd;

	*stats_line = '\0';
	*outstanding = 0;
	if (!buf)
		return false;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    write(fd, "releases\n", 9) != 9) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return false;
	}
	while ((r = read(fd, buf + n, cap - 1 - n)) > 0) {
		n += r;
		if (n == cap - 1) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die("realloc");
		}
	}
	close(fd);
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "request ", 8))
			(*outstanding)++;
		else if (!strncmp(line, "stats ", 6))
			snprintf(stats_line, size, "%s", line + 6);
	}
	free(buf);
	return *stats_line;
}

static unsigned long kv(const char *line, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "%s=", key);
	for (p = line; (p = strstr(p, pat)); p++)
		if (p == line || p[-1] == ' ')
			return strtoul(p + strlen(pat), NULL, 10);
	return ~0UL;
}

static double kv_d(const char *line, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "%s=", key);
	for (p = line; (p = strstr(p, pat)); p++)
		if (p == line || p[-1] == ' ')
			return strtod(p + strlen(pat), NULL);
	return -1;
}

/* The scripted server's log. */
struct rs_log {
	unsigned long rx, clients, tx, discards, drops, txerr, other_tx;
	double first_rx, last_tx;
	char exit_line[128];
};

static void rs_line(const char *line, void *data)
{
	struct rs_log *s = data;

	if (!strncmp(line, "rx ", 3)) {
		if (!s->rx++)
			s->first_rx = kv_d(line, "t");
		s->clients += kv(line, "clients");
	} else if (!strncmp(line, "tx ", 3)) {
		if (strstr(line, " kind=reply "))
			s->tx++;
		else
			s->other_tx++;
		s->last_tx = kv_d(line, "t");
	} else if (!strncmp(line, "discard ", 8)) {
		s->discards++;
	} else if (!strncmp(line, "drop ", 5)) {
		s->drops++;
	} else if (!strncmp(line, "txerr ", 6)) {
		s->txerr++;
	} else if (!strncmp(line, "exit ", 5)) {
		snprintf(s->exit_line, sizeof(s->exit_line), "%s", line + 5);
	}
}

static bool alive(pid_t pid, const char *name)
{
	int st;

	if (waitpid(pid, &st, WNOHANG) != pid)
		return true;
	if (WIFSIGNALED(st))
		fprintf(stderr, "release_bench: %s died of signal %d\n", name,
			WTERMSIG(st));
	else
		fprintf(stderr, "release_bench: %s exited with %d\n", name,
			WEXITSTATUS(st));
	return false;
}

/*
 * The RELEASE-REQUEST-REPLYs that reached R's port 547 (the relay socket
 * on up0 gets them, as dhcrelay would; leaseguardd reads copies): how
 * many, and when the first and the last arrived (kernel timestamps,
 * CLOCK_REALTIME, as seconds after @rt0).
 */
static unsigned long replies_at_relay(int fd, double rt0, double *first,
				      double *last)
{
	static char ctl[MAX_BATCH][CMSG_SPACE(sizeof(struct timespec))];
	unsigned long n = 0;
	int r, k;

	*first = *last = -1;
	for (k = 0; k < MAX_BATCH; k++) {
		bt.r_m[k].msg_hdr.msg_control = ctl[k];
		bt.r_m[k].msg_hdr.msg_controllen = sizeof(ctl[k]);
	}
	while ((r = recvmmsg(fd, bt.r_m, MAX_BATCH, MSG_DONTWAIT, NULL)) > 0) {
		for (k = 0; k < r; k++) {
			struct msghdr *h = &bt.r_m[k].msg_hdr;
			struct cmsghdr *c;

			if (bt.r_m[k].msg_len < 1 ||
			    bt.rbuf[k][0] != LG_RELEASE_REPLY_TYPE_DEFAULT)
				continue;
			n++;
			for (c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
				struct timespec ts;
				double t;

				if (c->cmsg_level != SOL_SOCKET ||
				    c->cmsg_type != SCM_TIMESTAMPNS)
					continue;
				memcpy(&ts, CMSG_DATA(c), sizeof(ts));
				t = ts.tv_sec + ts.tv_nsec / 1e9 - rt0;
				if (*first < 0 || t < *first)
					*first = t;
				if (t > *last)
					*last = t;
			}
			h->msg_controllen = sizeof(ctl[k]);
		}
		for (k = 0; k < MAX_BATCH; k++)
			bt.r_m[k].msg_hdr.msg_controllen = sizeof(ctl[k]);
	}
	for (k = 0; k < MAX_BATCH; k++) {
		bt.r_m[k].msg_hdr.msg_control = NULL;
		bt.r_m[k].msg_hdr.msg_controllen = 0;
	}
	return n;
}

static double realtime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts;
	double d = t - now_s();

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static void show_tail(const char *path, int lines)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "tail -n %d %s | sed 's/^/# | /' >&2",
		 lines, path);
	if (system(cmd))
		fprintf(stderr, "# %s failed\n", cmd);
}

static void usage(void)
{
	fprintf(stderr,
		"Usage: release_bench [-n N] [-P] [-b BATCH] [-t TIMEOUT] [-m MTU] [-l LEVEL]\n"
		"                     [-k] [-D LEASEGUARDD] [-S RELEASE_SERVER]\n"
		"  -n N        subscribers (default 10000), each an IA_NA and an IA_PD\n"
		"  -P          IA_NA only (N bindings, not 2N)\n"
		"  -b BATCH    exchanges per batch while the bindings are made,\n"
		"              1..%d (default 128)\n"
		"  -t TIMEOUT  seconds to wait for the release to end (default 120)\n"
		"  -m MTU      MTU of the R-S link (default 1500; the requests fill\n"
		"              the path MTU)\n"
		"  -l LEVEL    leaseguardd's log-level (default info: a line per\n"
		"              binding released)\n"
		"  -k          keep the namespaces and the files\n"
		"  -D, -S      the programs (default: agent/leaseguardd/leaseguardd and\n"
		"              selftests/release_server of this tree)\n",
		MAX_BATCH);
	exit(2);
}

int main(int argc, char **argv)
{
	char lgd[PATH_MAX] = "", rs[PATH_MAX] = "", exe[PATH_MAX], *base;
	char conf[128], sock[100], lgd_out[128], rs_log_path[128], rs_out[128];
	char stats_line[1024], cmd[512];
	uint64_t st0[LG_STATS_A_MAX + 1], st1[LG_STATS_A_MAX + 1];
	unsigned long n = 10000, want, lost, outstanding, released, retrans;
	int batch = 128, opt, cl_fd, relay_acc, relay_up, srv_fd, pass, mtu = 1500;
	double timeout = 120, t0, t_create, t_start, t_ack, t_first = 0;
	double t_b0 = 0, t_r0 = 0, t_next_print, t;
	long b_now, r_now = -1, routes0;
	struct census cs;
	struct rs_log rsl = {};
	struct tail lt = {}, rt = {};
	bool pd = true, ok = true, sync_line;
	const char *level = "info";
	struct mnl_socket *rt_ev;
	struct route_events rev = {};
	double rt0, rep_first, rep_last;
	unsigned long rep_n;
	int one = 1;
	FILE *f;

	while ((opt = getopt(argc, argv, "n:Pb:t:m:l:kD:S:h")) != -1) {
		switch (opt) {
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 'P':
			pd = false;
			break;
		case 'b':
			batch = atoi(optarg);
			if (batch < 1 || batch > MAX_BATCH)
				usage();
			break;
		case 't':
			timeout = atof(optarg);
			break;
		case 'm':
			mtu = atoi(optarg);
			if (mtu < 1280 || mtu > 65535)
				usage();
			break;
		case 'l':
			level = optarg;
			break;
		case 'k':
			bench_keep = true;
			break;
		case 'D':
			snprintf(lgd, sizeof(lgd), "%s", optarg);
			break;
		case 'S':
			snprintf(rs, sizeof(rs), "%s", optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || !n || n > 0x7fffff || timeout <= 0)
		usage();
	want = pd ? 2 * n : n;
	{
		ssize_t l = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

		if (l < 0)
			die("/proc/self/exe");
		exe[l] = 0;
		base = dirname(exe);
	}
	if (!*lgd)
		snprintf(lgd, sizeof(lgd), "%s/../../agent/leaseguardd/leaseguardd", base);
	if (!*rs)
		snprintf(rs, sizeof(rs), "%s/../release_server", base);
	if (access(lgd, X_OK) || access(rs, X_OK)) {
		fprintf(stderr, "release_bench: %s or %s is missing: run make\n",
			lgd, rs);
		return 2;
	}
	srandom(getpid());
	snprintf(dir, sizeof(dir), "/tmp/lg-relbench.XXXXXX");
	if (!mkdtemp(dir))
		die("mkdtemp");
	atexit(remove_dir);	/* runs last */

	/* ---- The namespaces, the sockets, the module ---- */
	setup_namespaces("rl");
	setup_server_side();
	atexit(stop_all);	/* runs before the namespaces go */
	if (mtu != 1500) {
		snprintf(cmd, sizeof(cmd),
			 "ip -n %s link set up0 mtu %d && ip -n %s link set eth0 mtu %d",
			 ns_r, mtu, ns_s, mtu);
		run(cmd);
	}
	enter(nsfd_c);
	c_eth0 = if_nametoindex("eth0");
	enter(nsfd_r);
	acc0 = if_nametoindex("acc0");
	up0 = if_nametoindex("up0");
	if (!c_eth0 || !acc0 || !up0)
		die("if_nametoindex");
	cl_fd = udp_socket(nsfd_c, "eth0", 546, "fe80::ff:fe00:101", 547);
	relay_acc = udp_socket(nsfd_r, "acc0", 547, "fe80::ff:fe00:102", 546);
	relay_up = udp_socket(nsfd_r, "up0", 547, "2001:db8:f::2", 547);
	srv_fd = udp_socket(nsfd_s, "eth0", 547, "2001:db8:f::1", 547);
	rt_r = rt_open(nsfd_r);
	rt_c = rt_open(nsfd_c);
	enter(nsfd_r);
	if (lg_open(&nl)) {
		fprintf(stderr, "release_bench: no leaseguard family: is leaseguard.ko loaded?\n");
		return 1;
	}
	config_max(want > LG_MAX_BINDINGS_DEFAULT ? want :
		   LG_MAX_BINDINGS_DEFAULT);
	link_set(acc0, LG_ROLE_ACCESS, want > LG_LINK_MAX_BINDINGS_DEFAULT ?
		 want : LG_LINK_MAX_BINDINGS_DEFAULT);
	link_set(up0, LG_ROLE_UPSTREAM, 0);
	batch_init();
	for (int k = 0; k < MAX_BATCH; k++) {
		rr_iov[k].iov_base = rr[k];
		rr_m[k].msg_hdr.msg_iov = &rr_iov[k];
		rr_m[k].msg_hdr.msg_iovlen = 1;
	}

	/* ---- N subscribers, learned as relayed exchanges ---- */
	fprintf(stderr, "# release_bench: n=%lu pd=%d batch=%d dir=%s\n", n, pd,
		batch, dir);
	read_stats(st0);
	t0 = now_s();
	lost = exchange(1, n, batch, pd, cl_fd, relay_acc, relay_up, srv_fd);
	t_create = now_s() - t0;
	read_stats(st1);
	b_now = link_bindings();
	/* A shortfall: every exchange again (an update for those made). */
	for (pass = 0; pass < 2 && b_now >= 0 && (unsigned long)b_now < want;
	     pass++) {
		fprintf(stderr, "# %ld of %lu bindings: every exchange again\n",
			b_now, want);
		lost += exchange(1, n, batch, pd, cl_fd, relay_acc, relay_up,
				 srv_fd);
		b_now = link_bindings();
	}
	close(srv_fd);		/* release_server takes port 547 in S */
	if (census(&cs))
		fprintf(stderr, "# binding dump: %s\n", strerror(-ack.err));
	printf("bench release setup n=%lu pd=%d bindings=%lu na=%lu pd_bindings=%lu"
	       " bound=%lu server_ok=%lu ifid_ok=%lu create_s=%.3f"
	       " create_per_s=%.0f lost=%lu unmatched=%" PRIu64 " extra_passes=%d"
	       " mtu=%d\n",
	       n, pd, cs.total, cs.na, cs.pd, cs.bound, cs.server_ok, cs.ifid_ok,
	       t_create, want / t_create, lost,
	       st1[LG_STATS_A_DHCP6_UNMATCHED] - st0[LG_STATS_A_DHCP6_UNMATCHED],
	       pass, mtu);
	fflush(stdout);
	if (cs.total != want || cs.bound != want || cs.server_ok != want) {
		printf("bench release n=%lu FAIL setup: %lu bindings, %lu bound,"
		       " %lu with server 2001:db8:f::2 and its DUID; %lu wanted\n",
		       n, cs.total, cs.bound, cs.server_ok, want);
		return 1;
	}

	/* ---- leaseguardd: its start-up sync lays the routes ---- */
	snprintf(conf, sizeof(conf), "%s/lgd.conf", dir);
	snprintf(sock, sizeof(sock), "%s/lgd.sock", dir);
	snprintf(lgd_out, sizeof(lgd_out), "%s/lgd.log", dir);
	f = fopen(conf, "w");
	if (!f)
		die(conf);
	/* No binding store: the figures measure the release alone. */
	fprintf(f, "log-level %s\ncontrol-socket %s\nrelay-id %s\nstore off\n"
		"interface * release link-down\ninterface * link-down-hold 0\n",
		level, sock, RELAY_ID);
	fclose(f);
	snprintf(lt.path, sizeof(lt.path), "%s", lgd_out);
	sync_line = !strcmp(level, "info") || !strcmp(level, "debug");
	rt_ev = sync_line ? NULL : route_events_open();
	t_start = now_s();
	{
		char *av[] = { lgd, "-c", conf, NULL };

		lgd_pid = spawn(nsfd_r, av, lgd_out);
	}
	/*
	 * The sync logs "sync:" at info; below info, it is done when all the
	 * routes are there (route notifications, not dumps: see above).
	 */
	routes0 = -1;
	for (;;) {
		if (sync_line ? lg_log.syncs > 0 : !rev.lost &&
		    rev.adds - rev.dels >= (long)want)
			break;
		if (!sync_line && rev.lost && (routes0 = route_count()) >= 0 &&
		    (unsigned long)routes0 >= want)
			break;
		if (!alive(lgd_pid, "leaseguardd")) {
			lgd_pid = 0;
			show_tail(lgd_out, 20);
			printf("bench release n=%lu FAIL leaseguardd did not start\n",
			       n);
			return 1;
		}
		if (now_s() - t_start > timeout) {
			show_tail(lgd_out, 20);
			printf("bench release n=%lu FAIL leaseguardd did not sync in %.0f s\n",
			       n, timeout);
			return 1;
		}
		usleep(10000);
		tail_read(&lt, lgd_line, &lg_log);
		if (!sync_line)
			route_events_read(rt_ev, &rev);
	}
	if (!sync_line) {
		lg_log.t_sync = now_s();
		lg_log.added = rev.lost ? routes0 : rev.adds;
		lg_log.sync_bindings = want;
	}
	routes0 = route_count();
	for (t = now_s(); routes0 >= 0 && (unsigned long)routes0 < want &&
	     now_s() - t < 10; routes0 = route_count())
		usleep(100000);
	printf("bench release n=%lu sync bindings=%lu routes=%ld added=%lu kept=%lu"
	       " removed=%lu sync_s=%.3f routes_per_s=%.0f%s\n",
	       n, lg_log.sync_bindings, routes0, lg_log.added, lg_log.kept,
	       lg_log.removed, lg_log.t_sync - t_start,
	       lg_log.added / (lg_log.t_sync - t_start),
	       sync_line ? "" : " (from the route count: no sync line below info)");
	fflush(stdout);
	if (routes0 < 0 || (unsigned long)routes0 != want) {
		printf("bench release n=%lu FAIL %ld routes of protocol %d after the sync; %lu wanted\n",
		       n, routes0, ROUTE_PROTO, want);
		return 1;
	}

	/* ---- The scripted server ---- */
	snprintf(rs_log_path, sizeof(rs_log_path), "%s/rs.log", dir);
	snprintf(rs_out, sizeof(rs_out), "%s/rs.out", dir);
	snprintf(rt.path, sizeof(rt.path), "%s", rs_log_path);
	{
		char *av[] = { rs, "-a", "2001:db8:f::2", "-q", "-o",
			       rs_log_path, NULL };
		char *log;

		rs_pid = spawn(nsfd_s, av, rs_out);
		for (t = now_s();; usleep(10000)) {
			log = slurp(rs_log_path, NULL);
			if (log && !strncmp(log, "ready", 5)) {
				free(log);
				break;
			}
			free(log);
			if (!alive(rs_pid, "release_server"))
				rs_pid = 0;
			if (!rs_pid || now_s() - t > 30) {
				show_tail(rs_out, 10);
				printf("bench release n=%lu FAIL release_server is not ready\n",
				       n);
				return 1;
			}
		}
	}
	tail_read(&lt, lgd_line, &lg_log);
	sleep(1);	/* let the daemon go idle */
	tail_read(&lt, lgd_line, &lg_log);

	/* ---- The measurement ---- */
	if (rt_ev)
		route_events_read(rt_ev, &rev);
	else
		rt_ev = route_events_open();
	memset(&rev, 0, sizeof(rev));
	drain(relay_up);
	if (setsockopt(relay_up, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)))
		die("SO_TIMESTAMPNS");
	fprintf(stderr, "# link down: %lu bindings, %ld routes\n", want, routes0);
	rt0 = realtime_s();
	t0 = now_s();
	rt0 += (now_s() - t0) / 2;
	if (client_link_down())
		die("link down");
	t_ack = now_s() - t0;
	t_next_print = t0 + 0.25;
	for (t = t0 + POLL_NS / 1e9;; t += POLL_NS / 1e9) {
		sleep_until(t);
		b_now = link_bindings();
		if (!t_first && b_now >= 0 && (unsigned long)b_now < want)
			t_first = now_s();
		if (!t_b0 && b_now == 0)
			t_b0 = now_s();
		if (t_b0) {
			/* Routes go after their bindings: count them now. */
			route_events_read(rt_ev, &rev);
			r_now = rev.lost ? route_count() :
				routes0 - rev.dels + rev.adds;
			/* Confirmed by one dump. */
			if (r_now == 0 && (r_now = route_count()) == 0) {
				t_r0 = now_s();
				break;
			}
			if (r_now > 0 && routes0 - rev.dels + rev.adds <= 0)
				rev.lost = true;	/* miscounted: dump */
		}
		if (!lg_log.t_fire)	/* the rest is read at the end */
			tail_read(&lt, lgd_line, &lg_log);
		if (now_s() >= t_next_print) {
			fprintf(stderr, "# t=%.2f bindings=%ld routes=%ld\n",
				now_s() - t0, b_now, r_now);
			t_next_print += 0.25;
		}
		if (lgd_pid && !alive(lgd_pid, "leaseguardd")) {
			lgd_pid = 0;
			break;
		}
		if (now_s() - t0 > timeout)
			break;
	}
	tail_read(&lt, lgd_line, &lg_log);
	r_now = route_count();
	b_now = link_bindings();

	/* ---- What happened ---- */
	if (!lgd_control(sock, stats_line, sizeof(stats_line), &outstanding))
		snprintf(stats_line, sizeof(stats_line), "unavailable");
	released = kv(stats_line, "released");
	retrans = kv(stats_line, "retransmissions");
	if (census(&cs))
		memset(&cs, 0, sizeof(cs));
	stop(&rs_pid);
	tail_read(&rt, rs_line, &rsl);
	rep_n = replies_at_relay(relay_up, rt0, &rep_first, &rep_last);

	printf("bench release n=%lu times link_down_ack_s=%.3f log_down_seen_s=%.3f"
	       " log_releasing_seen_s=%.3f first_reply_s=%.3f"
	       " first_binding_gone_s=%.3f last_reply_s=%.3f"
	       " bindings_gone_s=%.3f routes_gone_s=%.3f route_events=%s"
	       " replies_at_relay=%lu\n",
	       n, t_ack, lg_log.t_down ? lg_log.t_down - t0 : -1,
	       lg_log.t_fire ? lg_log.t_fire - t0 : -1, rep_first,
	       t_first ? t_first - t0 : -1, rep_last,
	       t_b0 ? t_b0 - t0 : -1, t_r0 ? t_r0 - t0 : -1,
	       rev.lost ? "lost" : "ok", rep_n);
	printf("bench release n=%lu server requests=%lu clients=%lu"
	       " clients_per_request=%.1f bindings_per_request=%.1f replies=%lu"
	       " discards=%lu txerr=%lu first_rx_to_last_tx_ms=%.0f exit=\"%s\"\n",
	       n, rsl.rx, rsl.clients, rsl.rx ? (double)rsl.clients / rsl.rx : 0,
	       rsl.rx ? (double)want / rsl.rx : 0, rsl.tx, rsl.discards,
	       rsl.txerr, rsl.rx && rsl.tx ? rsl.last_tx - rsl.first_rx : -1,
	       rsl.exit_line);
	printf("bench release n=%lu daemon outstanding=%lu %s\n", n, outstanding,
	       stats_line);
	printf("bench release n=%lu daemon_log released_lines=%lu warnings=%lu"
	       " errors=%lu resyncs=%lu syncs=%d\n",
	       n, lg_log.released, lg_log.warnings, lg_log.errors,
	       lg_log.resyncs, lg_log.syncs);
	if (t_r0) {
		printf("bench release: %lu subscribers (%lu bindings) released and"
		       " cleaned in %.3f s (target <= %.0f s: %s)\n",
		       n, want, t_r0 - t0, TARGET_S,
		       t_r0 - t0 <= TARGET_S ? "met" : "not met");
	} else {
		printf("bench release n=%lu FAIL after %.1f s: %ld bindings left"
		       " (%lu bound, %lu releasing), %ld routes left%s\n",
		       n, now_s() - t0, b_now, cs.bound, cs.releasing, r_now,
		       lgd_pid ? "" : "; leaseguardd is gone");
		show_tail(lgd_out, 20);
		ok = false;
	}
	if (released != want || retrans)
		fprintf(stderr, "# note: released=%lu (wanted %lu),"
			" retransmissions=%lu (wanted 0)\n", released, want,
			retrans);
	if (t_r0 && released != want) {
		printf("bench release n=%lu FAIL the daemon released %lu bindings, not %lu\n",
		       n, released, want);
		ok = false;
	}
	if (lgd_pid) {
		int st = stop(&lgd_pid);

		/* SIGTERM must end it cleanly (exit 0). */
		if (st != -1 && !(WIFEXITED(st) && !WEXITSTATUS(st))) {
			if (WIFSIGNALED(st))
				printf("bench release n=%lu FAIL leaseguardd died of signal %d (%s) on SIGTERM\n",
				       n, WTERMSIG(st), strsignal(WTERMSIG(st)));
			else
				printf("bench release n=%lu FAIL leaseguardd exited with %d on SIGTERM\n",
				       n, WEXITSTATUS(st));
			show_tail(lgd_out, 3);
			ok = false;
		}
	} else {
		ok = false;
	}
	fflush(stdout);
	lg_close(&nl);
	if (bench_keep)
		fprintf(stderr, "# kept: namespaces %s %s %s, files in %s\n",
			ns_r, ns_c, ns_s, dir);
	return ok ? 0 : 1;
}
