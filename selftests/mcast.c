// SPDX-License-Identifier: GPL-2.0
/*
 * The IGMP/MLD proxy's router side, one behaviour a test, each in fresh
 * network namespaces:
 *
 *   netns H (host)       netns R (leaseguard)          netns S (sender)
 *   eth0 10.0.1.2    -- acc0 (access)  up0 (upstream) -- eth0 10.0.2.2, .3
 *   fe80::ff:fe00:102     10.0.1.1       10.0.2.1          2001:db8:f::2, ::3
 *   (eth1 10.0.3.2   -- acc1 (access) 10.0.3.1, when a test adds it)
 *
 * H writes whole Ethernet frames (a packet socket): IGMP and MLD messages
 * built here, valid or not. Each is followed by a UDP datagram from H to
 * R's port 9999 on the same link; once R's socket has it, R has handled
 * the message before it, as the test runs on one CPU and both went through
 * the same receive queue. So no test sleeps to see what a message did.
 *
 * The forwarding tests make R a multicast router (MRT_INIT, a VIF or MIF
 * for up0 and one for acc0, MFC entries up0 -> acc0) and H a real host
 * that joins with sockets; what R forwards, H's wire shows (a sniffer).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/mroute.h>
#include <linux/mroute6.h>

#include "kselftest_harness.h"

/* Group dumps and notifications can be larger than a page. */
#define LGNL_RECV_SIZE	32768
#include "lgnl.h"
#include "netns_setup.h"

/* Message types: IGMP (RFC 3376 section 4) and MLD (RFC 3810 section 5). */
enum {
	T_IGMP_QUERY = 0x11,
	T_IGMP_V1_REPORT = 0x12,
	T_IGMP_V2_REPORT = 0x16,
	T_IGMP_V2_LEAVE = 0x17,
	T_IGMP_V3_REPORT = 0x22,
	T_MLD_QUERY = 130,
	T_MLD_V1_REPORT = 131,
	T_MLD_V1_DONE = 132,
	T_MLD_V2_REPORT = 143,
};

/* Group record types. */
enum { IS_IN = 1, IS_EX, TO_IN, TO_EX, ALLOW, BLOCK };

#define BARRIER_PORT	9999
#define DATA_PORT	5001

/* Defaults (uapi/linux/leaseguard.h): GMI 2 * 125 s + 10 s, LMQT 2 s. */
#define GMI_MS		260000
#define LMQT_MS		2000
/*
 * The tests that look at lowered timers before they run out use a longer
 * LMQT (2 * 3 s), so that a slow machine does not see them expire first.
 */
#define SLOW_LMQI_MS	3000
#define SLOW_LMQT_MS	(2 * SLOW_LMQI_MS)

/* Any-source groups: 232.0.0.0/8 and ff3x::/32 are source-specific. */
#define G1		"239.1.1.1"
#define G2		"239.1.1.2"
#define G3		"239.1.1.3"
#define S1		"10.0.2.2"	/* S's addresses */
#define S2		"10.0.2.3"
#define S3		"10.0.2.4"	/* nobody's: sources in records only */
#define S4		"10.0.2.5"
#define G6		"ff1e::1:1234"
#define G6B		"ff0e::1"
#define S6_1		"2001:db8:f::2"
#define S6_2		"2001:db8:f::3"

/* H's two ports: eth0 on acc0, eth1 on acc1. */
static const uint8_t h_mac[2][6] = { { 2, 0, 0, 0, 1, 2 },
				     { 2, 0, 0, 0, 3, 2 } };
static const uint8_t r_mac[2][6] = { { 2, 0, 0, 0, 1, 1 },
				     { 2, 0, 0, 0, 3, 1 } };
static const char *const h_ip4[2] = { "10.0.1.2", "10.0.3.2" };
static const char *const r_ip4[2] = { "10.0.1.1", "10.0.3.1" };
static const char *const h_ll[2] = { "fe80::ff:fe00:102", "fe80::ff:fe00:302" };

/* One source of a group, as netlink gives it; -1: absent. */
struct mcsrc {
	uint8_t addr[16];
	int alen;
	int64_t up, timer, fwd;
};

#define MAX_SRC		16

struct mcg {
	int64_t ifindex, family, mode, compat, up, timer, reason;
	char ifname[IFNAMSIZ];
	uint8_t group[16];
	int glen;
	int n_src;
	struct mcsrc src[MAX_SRC];
};

struct mccfg {
	int64_t family, enable, upstream, version, robustness, qi, qri, lmqi,
		lmqc, max_groups, max_sources, groups, max_groups_host,
		ns_max_groups, ns_max_sources, sources;
	char upname[IFNAMSIZ];
};

#define MAX_STATS	64

/* One message: a reply or a notification. */
struct nlm {
	uint8_t cmd;
	struct mcg g;
	struct mccfg c;
	uint64_t stats[MAX_STATS];	/* namespace or interface counters */
};

#define NLIST_MAX	128

struct nlist {
	int n;
	struct nlm m[NLIST_MAX];
};

#define MAX_PORTS	10

FIXTURE(mc) {
	struct lg_sock s, mon;
	struct lg_ack ack;
	struct nlist *got;	/* replies to the last request */
	struct nlist *ev;	/* notifications (mcast and config groups) */
	struct nlist *st;	/* counters */
	char ns[3][32];
	int nsfd[3];
	uint32_t acc0, acc1, up0;
	/* H: packet sockets on eth0, eth1 (and eth2.. when a test adds them) */
	int pkt_fd[MAX_PORTS];
	uint32_t pkt_ifindex[MAX_PORTS];
	int bar_fd;		/* R: UDP BARRIER_PORT */
	uint32_t bar_seq;
};

enum { R, H, S };

static void fail(const char *what)
{
	fprintf(stderr, "# %s\n", what);
	exit(1);
}

static void die(const char *what)
{
	fprintf(stderr, "# %s: %s\n", what, strerror(errno));
	exit(1);
}

static void enter(FIXTURE_DATA(mc) *self, int which)
{
	if (setns(self->nsfd[which], CLONE_NEWNET))
		die("setns");
}

/* Writes a sysctl of the current network namespace. */
static void sysctl(const char *name, const char *value)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		die(path);
	close(fd);
}

static int family_of(const char *addr)
{
	return strchr(addr, ':') ? AF_INET6 : AF_INET;
}

static int addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static void pton(const char *addr, uint8_t *out)
{
	if (inet_pton(family_of(addr), addr, out) != 1)
		fail("bad address in a test");
}

static bool addr_is(const uint8_t *a, int alen, const char *addr)
{
	uint8_t b[16];

	pton(addr, b);
	return alen == addr_len(family_of(addr)) && !memcmp(a, b, alen);
}

/* --- Netlink -------------------------------------------------------------- */

static void nlm_init(struct nlm *m)
{
	memset(m, 0, sizeof(*m));
	memset(&m->g, 0xff, offsetof(struct mcg, ifname));
	memset(&m->c, 0xff, offsetof(struct mccfg, upname));
	memset(m->stats, 0xff, sizeof(m->stats));
}

static int src_cb(const struct nlattr *attr, void *data)
{
	struct mcsrc *s = data;
	int len = mnl_attr_get_payload_len(attr);

	switch (mnl_attr_get_type(attr)) {
	case LG_MC_SOURCE_A_ADDR:
		s->alen = len < 16 ? len : 16;
		memcpy(s->addr, mnl_attr_get_payload(attr), s->alen);
		break;
	case LG_MC_SOURCE_A_UP_TIME:
		s->up = mnl_attr_get_u32(attr);
		break;
	case LG_MC_SOURCE_A_TIMER:
		s->timer = mnl_attr_get_u32(attr);
		break;
	case LG_MC_SOURCE_A_FORWARD:
		s->fwd = mnl_attr_get_u8(attr);
		break;
	}
	return MNL_CB_OK;
}

static int group_cb(const struct nlattr *attr, void *data)
{
	struct mcg *g = data;
	int len = mnl_attr_get_payload_len(attr);
	struct mcsrc *s;

	switch (mnl_attr_get_type(attr)) {
	case LG_MC_GROUP_A_IFINDEX:
		g->ifindex = mnl_attr_get_u32(attr);
		break;
	case LG_MC_GROUP_A_IFNAME:
		snprintf(g->ifname, IFNAMSIZ, "%s", mnl_attr_get_str(attr));
		break;
	case LG_MC_GROUP_A_FAMILY:
		g->family = mnl_attr_get_u8(attr);
		break;
	case LG_MC_GROUP_A_GROUP:
		g->glen = len < 16 ? len : 16;
		memcpy(g->group, mnl_attr_get_payload(attr), g->glen);
		break;
	case LG_MC_GROUP_A_FILTER_MODE:
		g->mode = mnl_attr_get_u32(attr);
		break;
	case LG_MC_GROUP_A_COMPAT:
		g->compat = mnl_attr_get_u8(attr);
		break;
	case LG_MC_GROUP_A_UP_TIME:
		g->up = mnl_attr_get_u32(attr);
		break;
	case LG_MC_GROUP_A_TIMER:
		g->timer = mnl_attr_get_u32(attr);
		break;
	case LG_MC_GROUP_A_DEL_REASON:
		g->reason = mnl_attr_get_u32(attr);
		break;
	case LG_MC_GROUP_A_SOURCE:
		if (g->n_src >= MAX_SRC) {
			g->n_src++;
			break;
		}
		s = &g->src[g->n_src++];
		memset(s, 0xff, sizeof(*s));
		s->alen = 0;
		mnl_attr_parse_nested(attr, src_cb, s);
		break;
	}
	return MNL_CB_OK;
}

static int cfg_cb(const struct nlattr *attr, void *data)
{
	struct mccfg *c = data;

	switch (mnl_attr_get_type(attr)) {
	case LG_MCAST_A_FAMILY:
		c->family = mnl_attr_get_u8(attr);
		break;
	case LG_MCAST_A_ENABLE:
		c->enable = mnl_attr_get_u8(attr);
		break;
	case LG_MCAST_A_UPSTREAM:
		c->upstream = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_UPSTREAM_NAME:
		snprintf(c->upname, IFNAMSIZ, "%s", mnl_attr_get_str(attr));
		break;
	case LG_MCAST_A_VERSION:
		c->version = mnl_attr_get_u8(attr);
		break;
	case LG_MCAST_A_ROBUSTNESS:
		c->robustness = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_QUERY_INTERVAL:
		c->qi = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_QUERY_RESPONSE_INTERVAL:
		c->qri = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_LAST_MEMBER_INTERVAL:
		c->lmqi = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_LAST_MEMBER_COUNT:
		c->lmqc = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_MAX_GROUPS:
		c->max_groups = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_MAX_SOURCES:
		c->max_sources = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_GROUPS:
		c->groups = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_MAX_GROUPS_HOST:
		c->max_groups_host = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_NS_MAX_GROUPS:
		c->ns_max_groups = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_NS_MAX_SOURCES:
		c->ns_max_sources = mnl_attr_get_u32(attr);
		break;
	case LG_MCAST_A_SOURCES:
		c->sources = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static void stats_parse(const struct nlattr *nest, struct nlm *m)
{
	const struct nlattr *c;

	mnl_attr_for_each_nested(c, nest)
		if (mnl_attr_get_type(c) < MAX_STATS &&
		    mnl_attr_get_payload_len(c) == sizeof(uint64_t))
			m->stats[mnl_attr_get_type(c)] = mnl_attr_get_u64(c);
}

static int top_cb(const struct nlattr *attr, void *data)
{
	struct nlm *m = data;
	const struct nlattr *c;

	switch (mnl_attr_get_type(attr)) {
	case LG_A_MCAST:
		return mnl_attr_parse_nested(attr, cfg_cb, &m->c);
	case LG_A_MC_GROUP:
		return mnl_attr_parse_nested(attr, group_cb, &m->g);
	case LG_A_STATS:
		stats_parse(attr, m);
		break;
	case LG_A_LINK:
		mnl_attr_for_each_nested(c, attr)
			if (mnl_attr_get_type(c) == LG_LINK_A_STATS)
				stats_parse(c, m);
		break;
	}
	return MNL_CB_OK;
}

static int list_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct nlist *l = data;
	struct nlm *m;

	if (l->n >= NLIST_MAX)
		return MNL_CB_ERROR;
	m = &l->m[l->n++];
	nlm_init(m);
	m->cmd = genl->cmd;
	return mnl_attr_parse(nlh, GENL_HDRLEN, top_cb, m);
}

/* Sends a request; its replies go to self->got. */
static int talk(FIXTURE_DATA(mc) *self, struct nlmsghdr *nlh)
{
	self->got->n = 0;
	return lg_talk(&self->s, nlh, list_cb, self->got, &self->ack);
}

/* The first reply, as a group. */
static struct mcg *reply_group(FIXTURE_DATA(mc) *self)
{
	return &self->got->m[0].g;
}

/*
 * LG_CMD_MCAST_SET of @family (omitted if < 0) with (attribute, value)
 * pairs; 0 ends them. u8 attributes are put as u8, the others as u32.
 */
static int mc_set_va(FIXTURE_DATA(mc) *self, int family, ...)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_MCAST_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_MCAST);
	unsigned int v;
	va_list ap;
	int type;

	if (family >= 0)
		mnl_attr_put_u8(nlh, LG_MCAST_A_FAMILY, family);
	va_start(ap, family);
	while ((type = va_arg(ap, int))) {
		v = va_arg(ap, unsigned int);
		if (type == LG_MCAST_A_ENABLE || type == LG_MCAST_A_VERSION ||
		    type == LG_MCAST_A_FAMILY)
			mnl_attr_put_u8(nlh, type, v);
		else
			mnl_attr_put_u32(nlh, type, v);
	}
	va_end(ap);
	mnl_attr_nest_end(nlh, nest);
	return talk(self, nlh);
}

#define mc_set(self, family, ...) mc_set_va(self, family, ##__VA_ARGS__, 0)

static int enable(FIXTURE_DATA(mc) *self, int family, int on)
{
	return mc_set(self, family, LG_MCAST_A_ENABLE, on);
}

/* On, with a last member query time of SLOW_LMQT_MS. */
static int enable_slow(FIXTURE_DATA(mc) *self, int family)
{
	return mc_set(self, family, LG_MCAST_A_ENABLE, 1,
		      LG_MCAST_A_LAST_MEMBER_INTERVAL, SLOW_LMQI_MS);
}

/* LG_CMD_MCAST_GET doit: the reply in self->got->m[0].c. */
static int mc_get(FIXTURE_DATA(mc) *self, int family)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_MCAST_GET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_MCAST);

	mnl_attr_put_u8(nlh, LG_MCAST_A_FAMILY, family);
	mnl_attr_nest_end(nlh, nest);
	return talk(self, nlh);
}

static struct mccfg *cfg_of(FIXTURE_DATA(mc) *self, int family)
{
	if (mc_get(self, family) || self->got->n != 1)
		fail("LG_CMD_MCAST_GET failed");
	return &self->got->m[0].c;
}

/* LG_CMD_MC_GROUP_GET doit with the attributes as given (len 0: none). */
static int grp_get_raw(FIXTURE_DATA(mc) *self, uint32_t ifindex, int family,
		       const void *group, int len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_MC_GROUP_GET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_MC_GROUP);

	if (ifindex)
		mnl_attr_put_u32(nlh, LG_MC_GROUP_A_IFINDEX, ifindex);
	if (family)
		mnl_attr_put_u8(nlh, LG_MC_GROUP_A_FAMILY, family);
	if (len)
		mnl_attr_put(nlh, LG_MC_GROUP_A_GROUP, len, group);
	mnl_attr_nest_end(nlh, nest);
	return talk(self, nlh);
}

/* @addr's state on @ifindex, or NULL (self->ack says why). */
static struct mcg *grp(FIXTURE_DATA(mc) *self, uint32_t ifindex,
		       const char *addr)
{
	int family = family_of(addr);
	uint8_t a[16];

	pton(addr, a);
	if (grp_get_raw(self, ifindex, family, a, addr_len(family)) ||
	    self->got->n != 1)
		return NULL;
	return reply_group(self);
}

/* LG_CMD_MC_GROUP_GET dump, filtered by what is not 0. */
static int grp_dump(FIXTURE_DATA(mc) *self, uint32_t ifindex, int family)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_MC_GROUP_GET,
				      NLM_F_DUMP);
	struct nlattr *nest;

	if (ifindex || family) {
		nest = mnl_attr_nest_start(nlh, LG_A_MC_GROUP);
		if (ifindex)
			mnl_attr_put_u32(nlh, LG_MC_GROUP_A_IFINDEX, ifindex);
		if (family)
			mnl_attr_put_u8(nlh, LG_MC_GROUP_A_FAMILY, family);
		mnl_attr_nest_end(nlh, nest);
	}
	return talk(self, nlh);
}

static int link_set(FIXTURE_DATA(mc) *self, uint32_t ifindex, int role)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, role);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(&self->s, nlh, NULL, NULL, &self->ack);
}

/* A namespace-wide counter, ~0 if it cannot be read. */
static uint64_t stat(FIXTURE_DATA(mc) *self, int id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct lg_ack ack;

	self->st->n = 0;
	if (lg_talk(&self->s, lg_msg(&self->s, buf, LG_CMD_STATS_GET, 0),
		    list_cb, self->st, &ack) || self->st->n != 1)
		return ~0ULL;
	return self->st->m[0].stats[id];
}

/* A counter of an interface, ~0 if it cannot be read. */
static uint64_t if_stat(FIXTURE_DATA(mc) *self, uint32_t ifindex, int id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_GET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);
	struct lg_ack ack;

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, nest);
	self->st->n = 0;
	if (lg_talk(&self->s, nlh, list_cb, self->st, &ack) ||
	    self->st->n != 1)
		return ~0ULL;
	return self->st->m[0].stats[id];
}

static uint64_t acc0_stat(FIXTURE_DATA(mc) *self, int id)
{
	return if_stat(self, self->acc0, id);
}

/* Waits (up to 10 s) for a counter of @ifindex to reach @want. */
static uint64_t if_stat_wait(FIXTURE_DATA(mc) *self, uint32_t ifindex,
			     int id, uint64_t want)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 100; i++) {
		v = if_stat(self, ifindex, id);
		if (v >= want && v != ~0ULL)
			return v;
		usleep(100000);
	}
	return v;
}

/* --- Notifications -------------------------------------------------------- */

/* Reads what the monitor has within @ms; -EAGAIN if nothing. */
static int ev_read(FIXTURE_DATA(mc) *self, int ms)
{
	struct pollfd pfd = { .fd = mnl_socket_get_fd(self->mon.nl),
			      .events = POLLIN };
	char buf[LGNL_RECV_SIZE];
	int len;

	if (poll(&pfd, 1, ms) <= 0)
		return -EAGAIN;
	len = recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (len < 0) {
		if (errno == ENOBUFS)
			fail("the monitor lost notifications");
		return -errno;
	}
	mnl_cb_run(buf, len, 0, 0, list_cb, self->ev);
	return 0;
}

/* Reads every notification already sent. */
static void ev_drain(FIXTURE_DATA(mc) *self)
{
	while (!ev_read(self, 0))
		;
}

/* Forgets the notifications so far. */
static void ev_clear(FIXTURE_DATA(mc) *self)
{
	ev_drain(self);
	self->ev->n = 0;
}

static int ev_count(FIXTURE_DATA(mc) *self, uint8_t cmd)
{
	int i, n = 0;

	ev_drain(self);
	for (i = 0; i < self->ev->n; i++)
		n += self->ev->m[i].cmd == cmd;
	return n;
}

/* The @nth (from 0) notification @cmd, waiting up to @ms for it; or NULL. */
static struct nlm *ev_nth(FIXTURE_DATA(mc) *self, uint8_t cmd, int nth,
			  int ms)
{
	struct timespec t0, t;
	int i, seen, left;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		ev_drain(self);
		for (i = 0, seen = 0; i < self->ev->n; i++)
			if (self->ev->m[i].cmd == cmd && seen++ == nth)
				return &self->ev->m[i];
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = ms - ((t.tv_sec - t0.tv_sec) * 1000 +
			     (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || ev_read(self, left))
			return NULL;
	}
}

static struct nlm *ev_first(FIXTURE_DATA(mc) *self, uint8_t cmd, int ms)
{
	return ev_nth(self, cmd, 0, ms);
}

/* --- Group state ---------------------------------------------------------- */

/* @addr's source in @g; if it has none, one whose fields are all -2. */
static struct mcsrc *src_of(struct mcg *g, const char *addr)
{
	static struct mcsrc none;
	int i;

	for (i = 0; i < g->n_src && i < MAX_SRC; i++)
		if (addr_is(g->src[i].addr, g->src[i].alen, addr))
			return &g->src[i];
	none.up = none.timer = none.fwd = -2;
	return &none;
}

/* Does @g list exactly the sources in @list (space-separated)? */
static bool sources_are(struct mcg *g, const char *list)
{
	char buf[512], *tok, *save;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), n++)
		if (!src_of(g, tok))
			return false;
	return n == g->n_src;
}

/* The source's FORWARD flag, -2 if the group or the source is not there. */
static int fwd_of(FIXTURE_DATA(mc) *self, uint32_t ifindex, const char *group,
		  const char *src)
{
	struct mcg *g = grp(self, ifindex, group);

	return g ? src_of(g, src)->fwd : -2;
}

/* Polls (up to @ms) until @group is gone from @ifindex. */
static bool gone_within(FIXTURE_DATA(mc) *self, uint32_t ifindex,
			const char *group, int ms)
{
	int i;

	for (i = 0; i < ms / 100; i++) {
		if (!grp(self, ifindex, group) && self->ack.err == -ENOENT)
			return true;
		usleep(100000);
	}
	return false;
}

/* --- Messages from H ------------------------------------------------------ */

/* An IGMP or MLD message being built. */
struct msg {
	int family;
	int port;		/* H's eth0 (0) or eth1 (1) */
	uint8_t b[1400];
	int len;
};

/* An IGMPv3 (MLDv2) report, with no record yet. */
static void v3_report(struct msg *m, int family)
{
	memset(m, 0, sizeof(*m));
	m->family = family;
	m->b[0] = family == AF_INET ? T_IGMP_V3_REPORT : T_MLD_V2_REPORT;
	m->len = 8;
}

/* Appends a group record; @sources: addresses separated by spaces. */
static void v3_record(struct msg *m, int type, const char *group,
		      const char *sources)
{
	int alen = addr_len(m->family), n = 0, nrec;
	uint8_t *rec = m->b + m->len;
	char buf[1024], *tok, *save;

	rec[0] = type;
	rec[1] = 0;
	pton(group, rec + 4);
	if (sources) {
		snprintf(buf, sizeof(buf), "%s", sources);
		for (tok = strtok_r(buf, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save))
			pton(tok, rec + 4 + alen * ++n);
	}
	rec[2] = n >> 8;
	rec[3] = n;
	m->len += 4 + alen * (n + 1);
	nrec = (m->b[6] << 8 | m->b[7]) + 1;
	m->b[6] = nrec >> 8;
	m->b[7] = nrec;
}

/* A report of one record. */
static void v3_one(struct msg *m, int type, const char *group,
		   const char *sources)
{
	v3_report(m, family_of(group));
	v3_record(m, type, group, sources);
}

/* An IGMPv1/v2 report or leave, or an MLDv1 report or done. */
static void v2_msg(struct msg *m, int type, const char *group)
{
	memset(m, 0, sizeof(*m));
	m->family = family_of(group);
	m->b[0] = type;
	if (m->family == AF_INET) {
		pton(group, m->b + 4);
		m->len = 8;
	} else {
		pton(group, m->b + 8);
		m->len = 24;
	}
}

/* A general query: IGMP version 2 or 3, MLD version 1 or 2. */
static void query(struct msg *m, int family, int version)
{
	memset(m, 0, sizeof(*m));
	m->family = family;
	if (family == AF_INET) {
		m->b[0] = T_IGMP_QUERY;
		m->b[1] = 100;			/* 10 s */
		m->len = version == 3 ? 12 : 8;
		m->b[8] = 2;			/* QRV */
		m->b[9] = 125;			/* QQIC */
	} else {
		m->b[0] = T_MLD_QUERY;
		m->b[4] = 10000 >> 8;		/* Maximum Response Code */
		m->b[5] = 10000 & 0xff;
		m->len = version == 2 ? 28 : 24;
		m->b[24] = 2;
		m->b[25] = 125;
	}
	if (m->len < 28)
		memset(m->b + m->len, 0, sizeof(m->b) - m->len);
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, int len)
{
	int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* The ICMPv6 checksum of an MLD message (RFC 8200 section 8.1). */
static uint16_t mld_csum(const uint8_t *src, const uint8_t *dst,
			 const uint8_t *p, int len)
{
	uint32_t sum = sum16(0, src, 16);

	sum = sum16(sum, dst, 16);
	sum += len >> 16;
	sum += len & 0xffff;
	sum += IPPROTO_ICMPV6;
	return csum_fold(sum16(sum, p, len));
}

struct frame {
	uint8_t b[2048];
	int len;
};

/* Another host on H's ports when set: the source MAC of H's frames. */
static const uint8_t *h_src_mac;

/* Ethernet header from H's @port to @dst (multicast MAC if multicast). */
static void frame_eth(struct frame *f, int port, int family,
		      const uint8_t *dst)
{
	memset(f, 0, sizeof(*f));
	if (family == AF_INET && (dst[0] & 0xf0) == 0xe0) {
		memcpy(f->b, "\x01\x00\x5e", 3);
		f->b[3] = dst[1] & 0x7f;
		f->b[4] = dst[2];
		f->b[5] = dst[3];
	} else if (family == AF_INET6 && dst[0] == 0xff) {
		f->b[0] = 0x33;
		f->b[1] = 0x33;
		memcpy(f->b + 2, dst + 12, 4);
	} else {
		memcpy(f->b, r_mac[port], 6);
	}
	memcpy(f->b + 6, h_src_mac ? h_src_mac : h_mac[port < 2 ? port : 0], 6);
	f->b[12] = family == AF_INET ? 0x08 : 0x86;
	f->b[13] = family == AF_INET ? 0x00 : 0xdd;
	f->len = 14;
}

/* IPv4, with the Router Alert option if @ra, around @data. */
static void frame4(struct frame *f, int port, const uint8_t *src,
		   const uint8_t *dst, int ttl, int proto, bool ra,
		   const void *data, int len)
{
	int ihl = ra ? 24 : 20;
	uint8_t *ip;
	uint16_t sum;

	frame_eth(f, port, AF_INET, dst);
	ip = f->b + f->len;
	ip[0] = 0x40 | ihl / 4;
	ip[1] = proto == IPPROTO_IGMP ? 0xc0 : 0;
	ip[2] = (ihl + len) >> 8;
	ip[3] = ihl + len;
	ip[8] = ttl;
	ip[9] = proto;
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	if (ra) {
		ip[20] = 0x94;
		ip[21] = 4;
	}
	sum = csum_fold(sum16(0, ip, ihl));
	ip[10] = sum >> 8;
	ip[11] = sum;
	memcpy(ip + ihl, data, len);
	f->len += ihl + len;
}

/* IPv6 and a Hop-by-Hop header with Router Alert, around ICMPv6 @data. */
static void frame6(struct frame *f, int port, const uint8_t *src,
		   const uint8_t *dst, int hops, const void *data, int len)
{
	static const uint8_t hbh[8] = { IPPROTO_ICMPV6, 0, 5, 2, 0, 0, 1, 0 };
	uint8_t *ip;

	frame_eth(f, port, AF_INET6, dst);
	ip = f->b + f->len;
	ip[0] = 0x60;
	ip[4] = (8 + len) >> 8;
	ip[5] = 8 + len;
	ip[6] = IPPROTO_HOPOPTS;
	ip[7] = hops;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	memcpy(ip + 40, hbh, sizeof(hbh));
	memcpy(ip + 48, data, len);
	f->len += 48 + len;
}

static void h_send(FIXTURE_DATA(mc) *self, int port, const struct frame *f)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_ifindex = self->pkt_ifindex[port],
				   .sll_halen = 6 };

	memcpy(sll.sll_addr, f->b, 6);
	if (sendto(self->pkt_fd[port], f->b, f->len, 0,
		   (struct sockaddr *)&sll, sizeof(sll)) != f->len)
		die("packet sendto");
}

/*
 * A datagram from H's @port to R, which R's socket must get: everything
 * H sent on that port before has been through R's hooks.
 */
static void barrier(FIXTURE_DATA(mc) *self, int port)
{
	uint8_t udp[12] = { 0x9c, 0x40, BARRIER_PORT >> 8,
			    BARRIER_PORT & 0xff, 0, sizeof(udp) };
	uint32_t seq = ++self->bar_seq, got;
	uint8_t src[4], dst[4];
	struct frame f;
	int i;

	memcpy(udp + 8, &seq, sizeof(seq));
	pton(h_ip4[port], src);
	pton(r_ip4[port], dst);
	frame4(&f, port, src, dst, 64, IPPROTO_UDP, false, udp, sizeof(udp));
	h_send(self, port, &f);
	for (i = 0; i < 64; i++) {
		if (recv(self->bar_fd, &got, sizeof(got), 0) != sizeof(got))
			die("R did not get H's datagram");
		if (got == seq)
			return;
	}
	fail("H's datagram to R was lost");
}

/* How a message goes on the wire; zeros: as a host would send it. */
struct wire {
	const char *src, *dst;	/* default: H's address, usual destination */
	int ttl;		/* default 1 */
	int csum_delta;		/* added to the right checksum */
};

static void usual_dst(const struct msg *m, uint8_t *dst)
{
	const char *a;

	switch (m->b[0]) {
	case T_IGMP_V1_REPORT:
	case T_IGMP_V2_REPORT:
		memcpy(dst, m->b + 4, 4);
		return;
	case T_MLD_V1_REPORT:
		memcpy(dst, m->b + 8, 16);
		return;
	case T_IGMP_V2_LEAVE:
		a = "224.0.0.2";
		break;
	case T_MLD_V1_DONE:
		a = "ff02::2";
		break;
	case T_IGMP_QUERY:
		a = "224.0.0.1";
		break;
	case T_MLD_QUERY:
		a = "ff02::1";
		break;
	default:
		a = m->family == AF_INET ? "224.0.0.22" : "ff02::16";
	}
	pton(a, dst);
}

/* H sends @m, checksum filled in; a barrier() later, R has handled it. */
static void put_wire(FIXTURE_DATA(mc) *self, struct msg *m,
		     const struct wire *w)
{
	uint8_t src[16], dst[16];
	struct frame f;
	uint16_t sum;

	pton(w->src ? w->src : m->family == AF_INET ? h_ip4[m->port] :
							 h_ll[m->port], src);
	if (w->dst)
		pton(w->dst, dst);
	else
		usual_dst(m, dst);
	m->b[2] = 0;
	m->b[3] = 0;
	if (m->family == AF_INET)
		sum = csum_fold(sum16(0, m->b, m->len));
	else
		sum = mld_csum(src, dst, m->b, m->len);
	sum += w->csum_delta;
	m->b[2] = sum >> 8;
	m->b[3] = sum;
	if (m->family == AF_INET)
		frame4(&f, m->port, src, dst, w->ttl ? w->ttl : 1,
		       IPPROTO_IGMP, true, m->b, m->len);
	else
		frame6(&f, m->port, src, dst, w->ttl ? w->ttl : 1, m->b,
		       m->len);
	h_send(self, m->port, &f);
}

/* H sends @m, checksum filled in, and R has handled it on return. */
static void send_wire(FIXTURE_DATA(mc) *self, struct msg *m,
		      const struct wire *w)
{
	put_wire(self, m, w);
	barrier(self, m->port);
}

static void send_msg(FIXTURE_DATA(mc) *self, struct msg *m)
{
	struct wire w = {};

	send_wire(self, m, &w);
}

/* H reports one record on eth0. */
static void record(FIXTURE_DATA(mc) *self, int type, const char *group,
		   const char *sources)
{
	struct msg m;

	v3_one(&m, type, group, sources);
	send_msg(self, &m);
}

/* --- Multicast routing and traffic ---------------------------------------- */

/* R routes IPv4 multicast: VIF 0 is up0, VIF 1 acc0. */
static int mroute4(FIXTURE_DATA(mc) *self)
{
	struct vifctl vif = { .vifc_flags = VIFF_USE_IFINDEX,
			      .vifc_threshold = 1 };
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP), one = 1;

	if (fd < 0 || setsockopt(fd, IPPROTO_IP, MRT_INIT, &one, sizeof(one)))
		die("MRT_INIT");
	vif.vifc_lcl_ifindex = self->up0;
	if (setsockopt(fd, IPPROTO_IP, MRT_ADD_VIF, &vif, sizeof(vif)))
		die("MRT_ADD_VIF up0");
	vif.vifc_vifi = 1;
	vif.vifc_lcl_ifindex = self->acc0;
	if (setsockopt(fd, IPPROTO_IP, MRT_ADD_VIF, &vif, sizeof(vif)))
		die("MRT_ADD_VIF acc0");
	return fd;
}

/* (@src, @group) arriving on up0 leaves by acc0. */
static void mroute4_add(int fd, const char *src, const char *group)
{
	struct mfcctl mfc = { .mfcc_parent = 0 };

	pton(src, (uint8_t *)&mfc.mfcc_origin);
	pton(group, (uint8_t *)&mfc.mfcc_mcastgrp);
	mfc.mfcc_ttls[1] = 1;
	if (setsockopt(fd, IPPROTO_IP, MRT_ADD_MFC, &mfc, sizeof(mfc)))
		die("MRT_ADD_MFC");
}

/* The same for IPv6: MIF 0 is up0, MIF 1 acc0. */
static int mroute6(FIXTURE_DATA(mc) *self)
{
	struct mif6ctl mif = { .vifc_threshold = 1 };
	int fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6), one = 1;

	if (fd < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, MRT6_INIT, &one, sizeof(one)))
		die("MRT6_INIT");
	mif.mif6c_pifi = self->up0;
	if (setsockopt(fd, IPPROTO_IPV6, MRT6_ADD_MIF, &mif, sizeof(mif)))
		die("MRT6_ADD_MIF up0");
	mif.mif6c_mifi = 1;
	mif.mif6c_pifi = self->acc0;
	if (setsockopt(fd, IPPROTO_IPV6, MRT6_ADD_MIF, &mif, sizeof(mif)))
		die("MRT6_ADD_MIF acc0");
	return fd;
}

static void mroute6_add(int fd, const char *src, const char *group)
{
	struct mf6cctl mfc = { .mf6cc_parent = 0 };

	mfc.mf6cc_origin.sin6_family = AF_INET6;
	pton(src, (uint8_t *)&mfc.mf6cc_origin.sin6_addr);
	mfc.mf6cc_mcastgrp.sin6_family = AF_INET6;
	pton(group, (uint8_t *)&mfc.mf6cc_mcastgrp.sin6_addr);
	IF_SET(1, &mfc.mf6cc_ifset);
	if (setsockopt(fd, IPPROTO_IPV6, MRT6_ADD_MFC, &mfc, sizeof(mfc)))
		die("MRT6_ADD_MFC");
}

static socklen_t sockaddr_of(const char *addr, int port,
			     struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family_of(addr) == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		pton(addr, (uint8_t *)&sin->sin_addr);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	pton(addr, (uint8_t *)&sin6->sin6_addr);
	return sizeof(*sin6);
}

/* S sends @n datagrams from @src to @group, port DATA_PORT, hop limit 16. */
static void s_send(FIXTURE_DATA(mc) *self, const char *src,
		   const char *group, int n)
{
	int family = family_of(group), hops = 16, fd, ifindex, i;
	struct sockaddr_storage from, to;
	socklen_t len;

	enter(self, S);
	ifindex = if_nametoindex("eth0");
	fd = socket(family, SOCK_DGRAM, 0);
	len = sockaddr_of(src, 0, &from);
	if (fd < 0 || bind(fd, (struct sockaddr *)&from, len))
		die("sender bind");
	if (family == AF_INET) {
		struct ip_mreqn mr = { .imr_ifindex = ifindex };

		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr,
			       sizeof(mr)) ||
		    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &hops,
			       sizeof(hops)))
			die("sender setsockopt");
	} else if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
			      sizeof(ifindex)) ||
		   setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
			      sizeof(hops))) {
		die("sender setsockopt");
	}
	len = sockaddr_of(group, DATA_PORT, &to);
	for (i = 0; i < n; i++) {
		if (sendto(fd, "probe", 5, 0, (struct sockaddr *)&to, len) != 5)
			die("sender sendto");
		usleep(20000);
	}
	close(fd);
	enter(self, R);
}

/* A socket of H's that joins (@src, @group) on eth0: H's kernel reports. */
static int h_join(FIXTURE_DATA(mc) *self, const char *group, const char *src)
{
	int family = family_of(group), one = 1, fd;
	struct group_source_req gsr = {};
	struct sockaddr_storage any;
	struct timeval tv = { .tv_sec = 5 };
	socklen_t len;

	enter(self, H);
	gsr.gsr_interface = if_nametoindex("eth0");
	sockaddr_of(group, 0, &gsr.gsr_group);
	sockaddr_of(src, 0, &gsr.gsr_source);
	len = sockaddr_of(family == AF_INET ? "0.0.0.0" : "::", DATA_PORT,
			  &any);
	fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    bind(fd, (struct sockaddr *)&any, len) ||
	    setsockopt(fd, family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
		       MCAST_JOIN_SOURCE_GROUP, &gsr, sizeof(gsr)))
		die("host join");
	enter(self, R);
	return fd;
}

/* Everything that arrives on H's eth0. */
static int h_sniffer(FIXTURE_DATA(mc) *self)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };
	int fd;

	enter(self, H);
	sll.sll_ifindex = if_nametoindex("eth0");
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		die("sniffer");
	enter(self, R);
	return fd;
}

/* Did UDP from @src to @group arrive on H's eth0 within @ms? */
static bool sniffed(int fd, const char *src, const char *group, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int alen = addr_len(family_of(group)), len, off, i;
	struct sockaddr_ll sll;
	socklen_t slen;
	uint8_t b[2048];

	for (i = 0; i < ms / 10; i++) {
		if (poll(&pfd, 1, 10) <= 0)
			continue;
		while ((slen = sizeof(sll),
			len = recvfrom(fd, b, sizeof(b), MSG_DONTWAIT,
				       (struct sockaddr *)&sll, &slen)) > 0) {
			if (sll.sll_pkttype == PACKET_OUTGOING)
				continue;
			if (alen == 4 && ntohs(sll.sll_protocol) == ETH_P_IP &&
			    len >= 28 && b[9] == IPPROTO_UDP) {
				off = (b[0] & 0xf) * 4;
				if (addr_is(b + 12, 4, src) &&
				    addr_is(b + 16, 4, group) &&
				    len >= off + 4 &&
				    (b[off + 2] << 8 | b[off + 3]) == DATA_PORT)
					return true;
			}
			if (alen == 16 && ntohs(sll.sll_protocol) == ETH_P_IPV6 &&
			    len >= 48 && b[6] == IPPROTO_UDP &&
			    addr_is(b + 8, 16, src) &&
			    addr_is(b + 24, 16, group) &&
			    (b[42] << 8 | b[43]) == DATA_PORT)
				return true;
		}
	}
	return false;
}

static void sniff_drain(int fd)
{
	char b[2048];

	while (recv(fd, b, sizeof(b), MSG_DONTWAIT) > 0)
		;
}

/* --- The fixture ---------------------------------------------------------- */

static char ns_names[3][32];

/* Runs even when a test bails out with exit(), unlike the teardown. */
static void delete_namespaces(void)
{
	int i;

	for (i = 0; i < 3; i++)
		if (ns_names[i][0])
			ns_del(ns_names[i]);
}

/* A packet socket of H's on @dev, for port @port. */
static void h_port(FIXTURE_DATA(mc) *self, int port, const char *dev)
{
	enter(self, H);
	self->pkt_ifindex[port] = if_nametoindex(dev);
	self->pkt_fd[port] = socket(AF_PACKET, SOCK_RAW, 0);
	if (self->pkt_fd[port] < 0 || !self->pkt_ifindex[port])
		die("packet socket");
	enter(self, R);
}

FIXTURE_SETUP(mc)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(BARRIER_PORT) };
	struct timeval tv = { .tv_sec = 10 };
	char cmd[1024];
	cpu_set_t cpu0;
	int i;

	/* One CPU: H's frames and the barrier share one receive queue. */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpu0), &cpu0));

	for (i = 0; i < 3; i++) {
		snprintf(self->ns[i], sizeof(self->ns[i]), "lgm%c%d", "rhs"[i],
			 getpid());
		strcpy(ns_names[i], self->ns[i]);
	}
	delete_namespaces();
	atexit(delete_namespaces);
	for (i = 0; i < 3; i++) {
		self->nsfd[i] = ns_add(self->ns[i]);
		ASSERT_LE(0, self->nsfd[i]) TH_LOG("netns %s", self->ns[i]);
		enter(self, i);
		sysctl("net/ipv6/conf/default/accept_dad", "0");
		sysctl("net/ipv6/conf/default/router_solicitations", "0");
	}
	snprintf(cmd, sizeof(cmd),
		 "link set lo up\n"
		 "link add acc0 address 02:00:00:00:01:01 type veth"
		 " peer name eth0 netns %1$s address 02:00:00:00:01:02\n"
		 "link add up0 address 02:00:00:00:02:01 type veth"
		 " peer name eth0 netns %2$s address 02:00:00:00:02:02\n"
		 "addr add 10.0.1.1/24 dev acc0\n"
		 "addr add 2001:db8:1::1/64 dev acc0 nodad\n"
		 "addr add 10.0.2.1/24 dev up0\n"
		 "addr add 2001:db8:f::1/64 dev up0 nodad\n"
		 "link set acc0 up\n"
		 "link set up0 up\n", self->ns[H], self->ns[S]);
	ASSERT_EQ(0, ns_ip_batch(self->ns[R], cmd));
	ASSERT_EQ(0, ns_ip_batch(self->ns[H],
				 "link set lo up\n"
				 "addr add 10.0.1.2/24 dev eth0\n"
				 "addr add 2001:db8:1::2/64 dev eth0 nodad\n"
				 "link set eth0 up\n"
				 "route add default via 10.0.1.1\n"
				 "route add default via 2001:db8:1::1\n"));
	ASSERT_EQ(0, ns_ip_batch(self->ns[S],
				 "link set lo up\n"
				 "addr add 10.0.2.2/24 dev eth0\n"
				 "addr add 10.0.2.3/24 dev eth0\n"
				 "addr add 2001:db8:f::2/64 dev eth0 nodad\n"
				 "addr add 2001:db8:f::3/64 dev eth0 nodad\n"
				 "link set eth0 up\n"
				 "route add default via 10.0.2.1\n"
				 "route add default via 2001:db8:f::1\n"));
	ASSERT_EQ(0, ns_wait_link_local(self->nsfd[R], "acc0"));
	ASSERT_EQ(0, ns_wait_link_local(self->nsfd[H], "eth0"));
	ASSERT_EQ(0, ns_wait_link_local(self->nsfd[S], "eth0"));
	enter(self, R);
	self->acc0 = if_nametoindex("acc0");
	self->up0 = if_nametoindex("up0");
	h_port(self, 0, "eth0");
	self->pkt_fd[1] = -1;

	self->bar_fd = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->bar_fd);
	ASSERT_EQ(0, setsockopt(self->bar_fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				sizeof(tv)));
	ASSERT_EQ(0, bind(self->bar_fd, (struct sockaddr *)&sa, sizeof(sa)));

	self->got = calloc(1, sizeof(*self->got));
	self->ev = calloc(1, sizeof(*self->ev));
	self->st = calloc(1, sizeof(*self->st));
	ASSERT_TRUE(self->got && self->ev && self->st);
	ASSERT_EQ(0, lg_open(&self->s)) TH_LOG("is leaseguard.ko loaded?");
	ASSERT_EQ(0, link_set(self, self->acc0, LG_ROLE_ACCESS));
	ASSERT_EQ(0, link_set(self, self->up0, LG_ROLE_UPSTREAM));
	ASSERT_EQ(0, lg_open(&self->mon));
	ASSERT_NE(0, self->mon.mcgrp_mcast);
	ASSERT_EQ(0, lg_join(&self->mon, self->mon.mcgrp_mcast));
	ASSERT_EQ(0, lg_join(&self->mon, self->mon.mcgrp_config));
}

FIXTURE_TEARDOWN(mc)
{
	lg_close(&self->s);
	lg_close(&self->mon);
	free(self->got);
	free(self->ev);
	free(self->st);
}

/* A second access interface, acc1, with H's eth1 behind it (port 1). */
static void second_access(FIXTURE_DATA(mc) *self)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "set -e; ip -n %1$s link add acc1 address 02:00:00:00:03:01"
		 " type veth peer name eth1 netns %2$s address 02:00:00:00:03:02;"
		 " ip -n %1$s addr add 10.0.3.1/24 dev acc1;"
		 " ip -n %2$s addr add 10.0.3.2/24 dev eth1;"
		 " ip -n %1$s link set acc1 up; ip -n %2$s link set eth1 up",
		 self->ns[R], self->ns[H]);
	run(cmd);
	self->acc1 = if_nametoindex("acc1");
	h_port(self, 1, "eth1");
	if (link_set(self, self->acc1, LG_ROLE_ACCESS))
		fail(self->ack.msg);
}

/* --- Configuration -------------------------------------------------------- */

static void expect_defaults(struct __test_metadata *_metadata,
			    const struct mccfg *c, int family)
{
	EXPECT_EQ(family, c->family);
	EXPECT_EQ(0, c->enable);
	EXPECT_EQ(0, c->upstream);
	EXPECT_STREQ("", c->upname);
	EXPECT_EQ(family == AF_INET ? 3 : 2, c->version);
	EXPECT_EQ(2, c->robustness);
	EXPECT_EQ(125, c->qi);
	EXPECT_EQ(10000, c->qri);
	EXPECT_EQ(1000, c->lmqi);
	EXPECT_EQ(2, c->lmqc);
	EXPECT_EQ(LG_MC_MAX_GROUPS_DEFAULT, c->max_groups);
	EXPECT_EQ(256, c->max_groups);
	EXPECT_EQ(LG_MC_MAX_SOURCES_DEFAULT, c->max_sources);
	EXPECT_EQ(64, c->max_sources);
	EXPECT_EQ(0, c->groups);
	EXPECT_EQ(LG_MC_MAX_GROUPS_HOST_DEFAULT, c->max_groups_host);
	EXPECT_EQ(64, c->max_groups_host);
	EXPECT_EQ(LG_MC_NS_MAX_GROUPS_DEFAULT, c->ns_max_groups);
	EXPECT_EQ(8192, c->ns_max_groups);
	EXPECT_EQ(LG_MC_NS_MAX_SOURCES_DEFAULT, c->ns_max_sources);
	EXPECT_EQ(65536, c->ns_max_sources);
	EXPECT_EQ(0, c->sources);
}

TEST_F_TIMEOUT(mc, config_defaults_of_both_families, 120)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	ASSERT_EQ(0, mc_get(self, AF_INET));
	ASSERT_EQ(1, self->got->n);
	EXPECT_EQ(LG_CMD_MCAST_GET, self->got->m[0].cmd);
	expect_defaults(_metadata, &self->got->m[0].c, AF_INET);
	ASSERT_EQ(0, mc_get(self, AF_INET6));
	ASSERT_EQ(1, self->got->n);
	expect_defaults(_metadata, &self->got->m[0].c, AF_INET6);

	/* The dump: IGMP, then MLD. */
	ASSERT_EQ(0, talk(self, lg_msg(&self->s, buf, LG_CMD_MCAST_GET,
				       NLM_F_DUMP)));
	ASSERT_EQ(2, self->got->n);
	expect_defaults(_metadata, &self->got->m[0].c, AF_INET);
	expect_defaults(_metadata, &self->got->m[1].c, AF_INET6);
}

TEST_F_TIMEOUT(mc, config_set_keeps_absent_attributes_and_notifies, 120)
{
	struct mccfg *c;
	struct nlm *n;

	ev_clear(self);
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_QUERY_INTERVAL, 60,
			    LG_MCAST_A_MAX_SOURCES, 8));
	n = ev_first(self, LG_CMD_MCAST_NTF, 5000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(AF_INET, n->c.family);
	EXPECT_EQ(60, n->c.qi);
	EXPECT_EQ(8, n->c.max_sources);
	EXPECT_EQ(2, n->c.robustness);
	EXPECT_EQ(0, n->c.enable);

	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ROBUSTNESS, 3,
			    LG_MCAST_A_VERSION, 2, LG_MCAST_A_UPSTREAM,
			    self->up0, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_LAST_MEMBER_INTERVAL, 500,
			    LG_MCAST_A_LAST_MEMBER_COUNT, 3,
			    LG_MCAST_A_MAX_GROUPS, 10,
			    LG_MCAST_A_QUERY_RESPONSE_INTERVAL, 20000));
	c = cfg_of(self, AF_INET);
	EXPECT_EQ(1, c->enable);
	EXPECT_EQ(self->up0, c->upstream);
	EXPECT_STREQ("up0", c->upname);
	EXPECT_EQ(2, c->version);
	EXPECT_EQ(3, c->robustness);
	EXPECT_EQ(60, c->qi);			/* kept */
	EXPECT_EQ(20000, c->qri);
	EXPECT_EQ(500, c->lmqi);
	EXPECT_EQ(3, c->lmqc);
	EXPECT_EQ(10, c->max_groups);
	EXPECT_EQ(8, c->max_sources);		/* kept */
	EXPECT_EQ(2, ev_count(self, LG_CMD_MCAST_NTF));

	/* Nothing changed, nothing sent. */
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ROBUSTNESS, 3));
	ASSERT_EQ(0, mc_set(self, AF_INET));
	usleep(200000);
	EXPECT_EQ(2, ev_count(self, LG_CMD_MCAST_NTF));

	/* The other family is untouched, and has its own settings. */
	expect_defaults(_metadata, cfg_of(self, AF_INET6), AF_INET6);
	ASSERT_EQ(0, mc_set(self, AF_INET6, LG_MCAST_A_VERSION, 1,
			    LG_MCAST_A_UPSTREAM, self->up0));
	n = ev_nth(self, LG_CMD_MCAST_NTF, 2, 5000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(AF_INET6, n->c.family);
	EXPECT_EQ(1, n->c.version);
	EXPECT_STREQ("up0", n->c.upname);
	c = cfg_of(self, AF_INET);
	EXPECT_EQ(2, c->version);
	/* Upstream 0: none. */
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_UPSTREAM, 0));
	c = cfg_of(self, AF_INET);
	EXPECT_EQ(0, c->upstream);
	EXPECT_STREQ("", c->upname);
}

TEST_F_TIMEOUT(mc, config_set_errors_have_errno_and_extack, 120)
{
	static const struct {
		int attr;
		unsigned int value;
	} out_of_range[] = {
		{ LG_MCAST_A_ENABLE, 2 },
		{ LG_MCAST_A_VERSION, 0 },
		{ LG_MCAST_A_VERSION, 4 },
		{ LG_MCAST_A_ROBUSTNESS, 0 },
		{ LG_MCAST_A_ROBUSTNESS, 8 },
		{ LG_MCAST_A_QUERY_INTERVAL, 0 },
		{ LG_MCAST_A_QUERY_INTERVAL, 31745 },
		{ LG_MCAST_A_QUERY_RESPONSE_INTERVAL, 99 },
		{ LG_MCAST_A_QUERY_RESPONSE_INTERVAL, 3174401 },
		{ LG_MCAST_A_LAST_MEMBER_INTERVAL, 99 },
		{ LG_MCAST_A_LAST_MEMBER_INTERVAL, 25501 },
		{ LG_MCAST_A_LAST_MEMBER_COUNT, 0 },
		{ LG_MCAST_A_LAST_MEMBER_COUNT, 8 },
		{ LG_MCAST_A_MAX_GROUPS, 0 },
		{ LG_MCAST_A_MAX_GROUPS, LG_MC_MAX_GROUPS_LIMIT + 1 },
		{ LG_MCAST_A_MAX_SOURCES, 0 },
		{ LG_MCAST_A_MAX_SOURCES, LG_MC_MAX_SOURCES_LIMIT + 1 },
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i;

	EXPECT_EQ(-EAFNOSUPPORT, mc_set(self, AF_PACKET, LG_MCAST_A_ENABLE, 1));
	EXPECT_STREQ("family must be AF_INET or AF_INET6", self->ack.msg);
	EXPECT_NE(0, self->ack.offs);
	EXPECT_EQ(-EAFNOSUPPORT, mc_get(self, AF_PACKET));
	EXPECT_STREQ("family must be AF_INET or AF_INET6", self->ack.msg);

	EXPECT_EQ(-EINVAL, mc_set(self, -1, LG_MCAST_A_ENABLE, 1));
	EXPECT_EQ(LG_MCAST_A_FAMILY, self->ack.miss_type);
	nlh = lg_msg(&self->s, buf, LG_CMD_MCAST_SET, 0);
	EXPECT_EQ(-EINVAL, talk(self, nlh));
	EXPECT_EQ(LG_A_MCAST, self->ack.miss_type);

	EXPECT_EQ(-ERANGE, mc_set(self, AF_INET6, LG_MCAST_A_VERSION, 3));
	EXPECT_STREQ("MLD has versions 1 and 2", self->ack.msg);
	EXPECT_NE(0, self->ack.offs);
	EXPECT_EQ(0, mc_set(self, AF_INET6, LG_MCAST_A_VERSION, 1));
	EXPECT_EQ(0, mc_set(self, AF_INET6, LG_MCAST_A_VERSION, 2));

	/* The query response interval must be below the query interval. */
	EXPECT_EQ(-EINVAL, mc_set(self, AF_INET, LG_MCAST_A_QUERY_INTERVAL, 10));
	EXPECT_STREQ("leaseguard: the query response interval must be less than the query interval",
		     self->ack.msg);
	EXPECT_EQ(-EINVAL, mc_set(self, AF_INET6,
				  LG_MCAST_A_QUERY_RESPONSE_INTERVAL, 125000));
	EXPECT_STRNE("", self->ack.msg);
	EXPECT_EQ(0, mc_set(self, AF_INET6,
			    LG_MCAST_A_QUERY_RESPONSE_INTERVAL, 124999));
	EXPECT_EQ(0, mc_set(self, AF_INET6,
			    LG_MCAST_A_QUERY_RESPONSE_INTERVAL, 10000));

	EXPECT_EQ(-ENODEV, mc_set(self, AF_INET, LG_MCAST_A_UPSTREAM, 99999));
	EXPECT_STREQ("no such interface", self->ack.msg);
	EXPECT_NE(0, self->ack.offs);
	EXPECT_EQ(-EINVAL, mc_set(self, AF_INET, LG_MCAST_A_UPSTREAM,
				  self->acc0));
	EXPECT_STREQ("an access interface cannot be upstream", self->ack.msg);
	EXPECT_NE(0, self->ack.offs);

	/* Nor the other way round: the upstream interface keeps its role. */
	EXPECT_EQ(0, mc_set(self, AF_INET6, LG_MCAST_A_UPSTREAM, self->up0));
	EXPECT_EQ(-EINVAL, link_set(self, self->up0, LG_ROLE_ACCESS));
	EXPECT_STREQ("leaseguard: the IGMP/MLD upstream interface cannot be an access interface",
		     self->ack.msg);
	EXPECT_EQ(0, mc_set(self, AF_INET6, LG_MCAST_A_UPSTREAM, 0));
	EXPECT_EQ(0, link_set(self, self->up0, LG_ROLE_ACCESS));
	EXPECT_EQ(0, link_set(self, self->up0, LG_ROLE_UPSTREAM));

	for (i = 0; i < ARRAY_SIZE(out_of_range); i++) {
		EXPECT_EQ(-ERANGE, mc_set(self, AF_INET, out_of_range[i].attr,
					  out_of_range[i].value))
			TH_LOG("attribute %d value %u", out_of_range[i].attr,
			       out_of_range[i].value);
		EXPECT_STRNE("", self->ack.msg);
		EXPECT_NE(0, self->ack.offs);
	}

	/* Reply-only attributes are not taken. */
	EXPECT_EQ(-EINVAL, mc_set(self, AF_INET, LG_MCAST_A_GROUPS, 1));
	nlh = lg_msg(&self->s, buf, LG_CMD_MCAST_SET, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_MCAST);
	mnl_attr_put_u8(nlh, LG_MCAST_A_FAMILY, AF_INET);
	mnl_attr_put_strz(nlh, LG_MCAST_A_UPSTREAM_NAME, "up0");
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EINVAL, talk(self, nlh));

	/* Nothing of it stuck. */
	expect_defaults(_metadata, cfg_of(self, AF_INET), AF_INET);
	expect_defaults(_metadata, cfg_of(self, AF_INET6), AF_INET6);
}

/* Runs @fn in a child that has given up root; returns its exit status. */
static int as_nobody(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(100);
		_exit(fn(arg));
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 101;
}

/* 0 when a set and the group dump are refused, and the config reads. */
static int unpriv_mcast(void *data)
{
	FIXTURE_DATA(mc) *self = data;

	lg_close(&self->s);
	if (lg_open(&self->s))
		return 2;
	if (mc_set(self, AF_INET, LG_MCAST_A_ENABLE, 1) != -EPERM)
		return 3;
	if (mc_get(self, AF_INET) || self->got->n != 1 ||
	    self->got->m[0].c.enable != 0)
		return 4;
	/* Who watches what is the admin's business only. */
	if (grp_dump(self, 0, 0) != -EPERM)
		return 5;
	return 0;
}

TEST_F_TIMEOUT(mc, config_set_needs_net_admin, 120)
{
	EXPECT_EQ(0, as_nobody(unpriv_mcast, self));
	EXPECT_EQ(0, cfg_of(self, AF_INET)->enable);
}

/* --- Group requests ------------------------------------------------------- */

TEST_F_TIMEOUT(mc, group_get_errors, 120)
{
	uint8_t g4[4], g6[16];

	pton(G1, g4);
	pton(G6, g6);
	EXPECT_EQ(NULL, grp(self, self->acc0, G1));
	EXPECT_EQ(-ENOENT, self->ack.err);
	EXPECT_STREQ("leaseguard: no such group there", self->ack.msg);
	EXPECT_EQ(-ENOENT, grp_get_raw(self, self->acc0, AF_INET6, g6, 16));

	EXPECT_EQ(-EINVAL, grp_get_raw(self, self->acc0, AF_INET, g6, 16));
	EXPECT_STREQ("the group's length is not its family's", self->ack.msg);
	EXPECT_NE(0, self->ack.offs);
	EXPECT_EQ(-EINVAL, grp_get_raw(self, self->acc0, AF_INET6, g4, 4));
	EXPECT_STREQ("the group's length is not its family's", self->ack.msg);
	EXPECT_EQ(-EAFNOSUPPORT, grp_get_raw(self, self->acc0, AF_PACKET, g4,
					     4));
	EXPECT_STREQ("family must be AF_INET or AF_INET6", self->ack.msg);

	EXPECT_EQ(-EINVAL, grp_get_raw(self, self->acc0, AF_INET, g4, 0));
	EXPECT_EQ(LG_MC_GROUP_A_GROUP, self->ack.miss_type);
	EXPECT_EQ(-EINVAL, grp_get_raw(self, 0, AF_INET, g4, 4));
	EXPECT_EQ(LG_MC_GROUP_A_IFINDEX, self->ack.miss_type);
	EXPECT_EQ(-EINVAL, grp_get_raw(self, self->acc0, 0, g4, 4));
	EXPECT_EQ(LG_MC_GROUP_A_FAMILY, self->ack.miss_type);

	/* IGMP's groups are not MLD's, even as IPv4-mapped addresses. */
	ASSERT_EQ(0, enable(self, AF_INET, 1));
	record(self, IS_EX, G1, NULL);
	ASSERT_NE(NULL, grp(self, self->acc0, G1));
	memset(g6, 0, sizeof(g6));
	g6[10] = 0xff;
	g6[11] = 0xff;
	memcpy(g6 + 12, g4, 4);
	EXPECT_EQ(-ENOENT, grp_get_raw(self, self->acc0, AF_INET6, g6, 16));
	EXPECT_EQ(-ENOENT, grp_get_raw(self, self->up0, AF_INET, g4, 4));

	/* A dump's filter is checked too. */
	EXPECT_EQ(-EAFNOSUPPORT, grp_dump(self, 0, AF_PACKET));
	EXPECT_STREQ("family must be AF_INET or AF_INET6", self->ack.msg);
	EXPECT_EQ(0, grp_dump(self, 0, 0));
	EXPECT_EQ(1, self->got->n);
}

/* --- IGMP snooping -------------------------------------------------------- */

TEST_F_TIMEOUT(mc, igmp_reports_are_not_snooped_while_disabled, 120)
{
	record(self, IS_EX, G1, NULL);
	EXPECT_EQ(NULL, grp(self, self->acc0, G1));
	EXPECT_EQ(-ENOENT, self->ack.err);
	EXPECT_EQ(0, acc0_stat(self, LG_LINK_STATS_A_MC_REPORTS));
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_RECORDS));

	/* Malformed ones pass untouched too: nothing looks at them. */
	{
		struct msg m;
		struct wire w = { .csum_delta = 1 };

		v3_one(&m, IS_EX, G1, NULL);
		send_wire(self, &m, &w);
		EXPECT_EQ(0, stat(self, LG_STATS_A_MC_MALFORMED_CSUM));
	}

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	record(self, IS_EX, G1, NULL);
	EXPECT_NE(NULL, grp(self, self->acc0, G1));
	EXPECT_EQ(1, acc0_stat(self, LG_LINK_STATS_A_MC_REPORTS));
}

TEST_F_TIMEOUT(mc, igmpv3_is_ex_empty_creates_an_exclude_group, 120)
{
	struct mcg *g;
	struct nlm *n;
	int64_t timer;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	ev_clear(self);
	record(self, IS_EX, G1, NULL);

	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(self->acc0, g->ifindex);
	EXPECT_STREQ("acc0", g->ifname);
	EXPECT_EQ(AF_INET, g->family);
	EXPECT_TRUE(addr_is(g->group, g->glen, G1));
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_EQ(3, g->compat);
	EXPECT_EQ(0, g->n_src);
	EXPECT_LT(GMI_MS - 30000, g->timer);
	EXPECT_GE(GMI_MS, g->timer);
	EXPECT_LE(0, g->up);
	EXPECT_EQ(-1, g->reason);

	n = ev_first(self, LG_CMD_MC_GROUP_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(self->acc0, n->g.ifindex);
	EXPECT_TRUE(addr_is(n->g.group, n->g.glen, G1));
	EXPECT_EQ(LG_MC_EXCLUDE, n->g.mode);
	EXPECT_EQ(0, ev_count(self, LG_CMD_MC_QUERY_NTF));

	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_GROUPS));
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_GROUPS_CREATED));
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_RECORDS));
	EXPECT_EQ(1, acc0_stat(self, LG_LINK_STATS_A_MC_REPORTS));
	EXPECT_EQ(1, cfg_of(self, AF_INET)->groups);
	EXPECT_EQ(0, cfg_of(self, AF_INET6)->groups);

	/*
	 * The same report again (in another jiffy: within the same one it
	 * would change nothing at all): the timer is refreshed, and that
	 * alone sends no notification.
	 */
	usleep(100000);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	timer = g->timer;
	ev_clear(self);
	record(self, IS_EX, G1, NULL);
	EXPECT_EQ(0, ev_count(self, LG_CMD_MC_GROUP_NTF));
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_LT(timer, g->timer);
	EXPECT_EQ(2, stat(self, LG_STATS_A_MC_RECORDS));
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_GROUPS_CREATED));
}

/* RFC 3376 6.4.2: INCLUDE(A) with ALLOW, BLOCK and TO_IN. */
TEST_F_TIMEOUT(mc, igmpv3_include_mode_allow_block_to_in, 120)
{
	struct mcsrc *s;
	struct mcg *g;
	struct nlm *n;

	ASSERT_EQ(0, enable_slow(self, AF_INET));
	ev_clear(self);
	/* INCLUDE({}) + ALLOW(B) = INCLUDE(B), (B) = GMI */
	record(self, ALLOW, G1, S1 " " S2);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_INCLUDE, g->mode);
	EXPECT_EQ(0, g->timer);
	EXPECT_TRUE(sources_are(g, S1 " " S2));
	s = src_of(g, S1);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(1, s->fwd);
	EXPECT_LT(GMI_MS - 30000, s->timer);
	EXPECT_GE(GMI_MS, s->timer);
	n = ev_first(self, LG_CMD_MC_GROUP_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_TRUE(sources_are(&n->g, S1 " " S2));

	/* + BLOCK(B) = INCLUDE(A), Send Q(G, A*B): A*B's timers lowered */
	ev_clear(self);
	record(self, BLOCK, G1, S2 " " S3);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_INCLUDE, g->mode);
	EXPECT_TRUE(sources_are(g, S1 " " S2));
	EXPECT_LT(GMI_MS - 30000, src_of(g, S1)->timer);
	s = src_of(g, S2);
	EXPECT_LT(0, s->timer);
	EXPECT_GE(SLOW_LMQT_MS, s->timer);
	EXPECT_EQ(1, s->fwd);
	n = ev_first(self, LG_CMD_MC_QUERY_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(self->acc0, n->g.ifindex);
	EXPECT_EQ(AF_INET, n->g.family);
	EXPECT_TRUE(addr_is(n->g.group, n->g.glen, G1));
	EXPECT_TRUE(sources_are(&n->g, S2));
	EXPECT_EQ(1, ev_count(self, LG_CMD_MC_QUERY_NTF));
	/* Timers only: the group did not change what it forwards. */
	EXPECT_EQ(0, ev_count(self, LG_CMD_MC_GROUP_NTF));

	/* + TO_IN(B) = INCLUDE(A+B), (B) = GMI, Send Q(G, A-B) */
	ev_clear(self);
	record(self, TO_IN, G1, S2 " " S4);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_INCLUDE, g->mode);
	EXPECT_TRUE(sources_are(g, S1 " " S2 " " S4));
	EXPECT_GE(SLOW_LMQT_MS, src_of(g, S1)->timer);
	EXPECT_LT(GMI_MS - 30000, src_of(g, S2)->timer);
	EXPECT_LT(GMI_MS - 30000, src_of(g, S4)->timer);
	n = ev_first(self, LG_CMD_MC_QUERY_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_TRUE(sources_are(&n->g, S1));
	EXPECT_EQ(1, ev_count(self, LG_CMD_MC_GROUP_NTF));
}

/* RFC 3376 6.4.2: INCLUDE(A) + TO_EX(B) = EXCLUDE(A*B, B-A). */
TEST_F_TIMEOUT(mc, igmpv3_include_mode_to_ex, 120)
{
	struct mcsrc *s;
	struct mcg *g;
	struct nlm *n;

	ASSERT_EQ(0, enable_slow(self, AF_INET));
	record(self, ALLOW, G1, S1 " " S2);
	ev_clear(self);
	record(self, TO_EX, G1, S2 " " S3);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_LT(GMI_MS - 30000, g->timer);
	/* Delete (A-B) */
	EXPECT_TRUE(sources_are(g, S2 " " S3));
	/* A*B: still wanted, queried, its timer down to LMQT */
	s = src_of(g, S2);
	EXPECT_EQ(1, s->fwd);
	EXPECT_LT(0, s->timer);
	EXPECT_GE(SLOW_LMQT_MS, s->timer);
	/* (B-A) = 0: excluded */
	s = src_of(g, S3);
	EXPECT_EQ(0, s->fwd);
	EXPECT_EQ(0, s->timer);

	n = ev_first(self, LG_CMD_MC_GROUP_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(LG_MC_EXCLUDE, n->g.mode);
	EXPECT_TRUE(sources_are(&n->g, S2 " " S3));
	n = ev_first(self, LG_CMD_MC_QUERY_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_TRUE(sources_are(&n->g, S2));
	EXPECT_EQ(1, ev_count(self, LG_CMD_MC_QUERY_NTF));
}

/*
 * RFC 3376 6.4.2 in EXCLUDE(X, Y): ALLOW, BLOCK and TO_IN; then 6.5: the
 * group timer runs out and the group goes to INCLUDE with the sources
 * whose timers still run.
 */
TEST_F_TIMEOUT(mc, igmpv3_exclude_mode_records_and_group_timer_expiry, 120)
{
	struct mcsrc *s;
	struct mcg *g;
	struct nlm *n;
	int i;

	ASSERT_EQ(0, enable_slow(self, AF_INET));
	/* INCLUDE({}) + TO_EX(S1) = EXCLUDE({}, {S1}) */
	record(self, TO_EX, G1, S1);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_TRUE(sources_are(g, S1));
	EXPECT_EQ(0, src_of(g, S1)->fwd);

	/* + ALLOW(A) = EXCLUDE(X+A, Y-A), (A) = GMI */
	ev_clear(self);
	record(self, ALLOW, G1, S1 " " S2);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_TRUE(sources_are(g, S1 " " S2));
	EXPECT_EQ(1, src_of(g, S1)->fwd);
	EXPECT_LT(GMI_MS - 30000, src_of(g, S1)->timer);
	EXPECT_EQ(1, src_of(g, S2)->fwd);
	EXPECT_EQ(1, ev_count(self, LG_CMD_MC_GROUP_NTF));
	EXPECT_EQ(0, ev_count(self, LG_CMD_MC_QUERY_NTF));

	/*
	 * + BLOCK(A) = EXCLUDE(X+(A-Y), Y), (A-X-Y) = group timer,
	 * Send Q(G, A-Y)
	 */
	ev_clear(self);
	record(self, BLOCK, G1, S2 " " S3);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_TRUE(sources_are(g, S1 " " S2 " " S3));
	EXPECT_LT(GMI_MS - 30000, src_of(g, S1)->timer);
	s = src_of(g, S3);
	EXPECT_EQ(1, s->fwd);
	EXPECT_LT(0, s->timer);
	EXPECT_GE(SLOW_LMQT_MS, s->timer);
	EXPECT_GE(SLOW_LMQT_MS, src_of(g, S2)->timer);
	n = ev_first(self, LG_CMD_MC_QUERY_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_TRUE(sources_are(&n->g, S2 " " S3));

	/*
	 * + TO_IN(A) = EXCLUDE(X+A, Y-A), (A) = GMI, Send Q(G, X-A), Send
	 * Q(G): the group timer goes down to LMQT.
	 */
	ev_clear(self);
	record(self, TO_IN, G1, S1);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_LT(0, g->timer);
	EXPECT_GE(SLOW_LMQT_MS, g->timer);
	EXPECT_LT(GMI_MS - 30000, src_of(g, S1)->timer);
	ASSERT_EQ(2, ev_count(self, LG_CMD_MC_QUERY_NTF));
	n = ev_nth(self, LG_CMD_MC_QUERY_NTF, 0, 0);
	EXPECT_TRUE(sources_are(&n->g, S2 " " S3));
	n = ev_nth(self, LG_CMD_MC_QUERY_NTF, 1, 0);
	EXPECT_EQ(0, n->g.n_src);		/* Q(G) */
	EXPECT_TRUE(addr_is(n->g.group, n->g.glen, G1));

	/*
	 * Nobody answers: S2 and S3 time out (EXCLUDE: they go to Y), then
	 * the group timer: INCLUDE(S1), the others forgotten.
	 */
	ev_clear(self);
	for (i = 0; i < 3; i++) {
		n = ev_nth(self, LG_CMD_MC_GROUP_NTF, i, 30000);
		if (!n || n->g.mode == LG_MC_INCLUDE)
			break;
	}
	ASSERT_NE(NULL, n);
	EXPECT_EQ(LG_MC_INCLUDE, n->g.mode);
	EXPECT_TRUE(sources_are(&n->g, S1));
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_INCLUDE, g->mode);
	EXPECT_EQ(0, g->timer);
	EXPECT_TRUE(sources_are(g, S1));
	EXPECT_EQ(1, src_of(g, S1)->fwd);
}

/* RFC 3376 6.4.1: current-state records IS_IN and IS_EX. */
TEST_F_TIMEOUT(mc, igmpv3_current_state_records, 120)
{
	struct msg m;
	struct mcg *g;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	/* Two records in one report, both applied. */
	v3_report(&m, AF_INET);
	v3_record(&m, IS_IN, G1, S1);
	v3_record(&m, IS_EX, G2, S1);
	send_msg(self, &m);
	EXPECT_EQ(2, stat(self, LG_STATS_A_MC_RECORDS));
	EXPECT_EQ(1, acc0_stat(self, LG_LINK_STATS_A_MC_REPORTS));
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_INCLUDE, g->mode);
	EXPECT_TRUE(sources_are(g, S1));
	g = grp(self, self->acc0, G2);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_TRUE(sources_are(g, S1));
	EXPECT_EQ(0, src_of(g, S1)->fwd);

	/* INCLUDE(A) + IS_EX(B) = EXCLUDE(A*B, B-A), no query */
	ev_clear(self);
	record(self, IS_EX, G1, S1 " " S2);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_TRUE(sources_are(g, S1 " " S2));
	EXPECT_EQ(1, src_of(g, S1)->fwd);
	EXPECT_LT(GMI_MS - 30000, src_of(g, S1)->timer);
	EXPECT_EQ(0, src_of(g, S2)->fwd);
	EXPECT_EQ(0, ev_count(self, LG_CMD_MC_QUERY_NTF));

	/* EXCLUDE(X, Y) + IS_IN(A) = EXCLUDE(X+A, Y-A), (A) = GMI */
	record(self, IS_IN, G2, S1);
	g = grp(self, self->acc0, G2);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_EQ(1, src_of(g, S1)->fwd);

	/* EXCLUDE(X, Y) + IS_EX(A) = EXCLUDE(A-Y, Y*A): X-A deleted */
	record(self, IS_EX, G2, S2);
	g = grp(self, self->acc0, G2);
	ASSERT_NE(NULL, g);
	EXPECT_TRUE(sources_are(g, S2));
	EXPECT_EQ(1, src_of(g, S2)->fwd);	/* (A-X-Y) = GMI */
	EXPECT_EQ(0, ev_count(self, LG_CMD_MC_QUERY_NTF));
}

TEST_F_TIMEOUT(mc, igmpv2_report_runs_the_group_in_v2_compat, 120)
{
	struct msg m;
	struct mcg *g;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	v2_msg(&m, T_IGMP_V2_REPORT, G1);
	send_msg(self, &m);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_EQ(2, g->compat);
	EXPECT_EQ(0, g->n_src);
	EXPECT_LT(GMI_MS - 30000, g->timer);
	EXPECT_EQ(1, acc0_stat(self, LG_LINK_STATS_A_MC_REPORTS));

	/* RFC 3376 7.3.2: BLOCK is ignored, TO_EX's sources too. */
	record(self, BLOCK, G1, S1);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_RECORDS_IGNORED));
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(0, g->n_src);
	record(self, TO_EX, G1, S1);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_EQ(0, g->n_src);
	EXPECT_EQ(2, g->compat);

	/* An IGMPv1 report: compat 1. */
	v2_msg(&m, T_IGMP_V1_REPORT, G2);
	send_msg(self, &m);
	g = grp(self, self->acc0, G2);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(1, g->compat);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);

	/* A querier of version 2: no group runs above it. */
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_VERSION, 2));
	record(self, IS_EX, G3, S1);
	g = grp(self, self->acc0, G3);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(2, g->compat);
	EXPECT_EQ(0, g->n_src);
}

TEST_F_TIMEOUT(mc, igmpv2_leave_asks_for_a_query_then_the_group_expires, 120)
{
	struct msg m;
	struct mcg *g;
	struct nlm *n;

	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_LAST_MEMBER_INTERVAL, 100,
			    LG_MCAST_A_LAST_MEMBER_COUNT, 1));
	v2_msg(&m, T_IGMP_V2_REPORT, G1);
	send_msg(self, &m);
	ASSERT_NE(NULL, grp(self, self->acc0, G1));

	ev_clear(self);
	v2_msg(&m, T_IGMP_V2_LEAVE, G1);
	send_msg(self, &m);
	EXPECT_EQ(2, acc0_stat(self, LG_LINK_STATS_A_MC_REPORTS));
	/* Q(G): the group, no source */
	n = ev_first(self, LG_CMD_MC_QUERY_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(self->acc0, n->g.ifindex);
	EXPECT_EQ(AF_INET, n->g.family);
	EXPECT_TRUE(addr_is(n->g.group, n->g.glen, G1));
	EXPECT_EQ(0, n->g.n_src);

	/* Nobody answers within LMQT (100 ms): gone. */
	n = ev_first(self, LG_CMD_MC_GROUP_DEL_NTF, 10000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(LG_MC_DEL_EXPIRED, n->g.reason);
	EXPECT_EQ(self->acc0, n->g.ifindex);
	EXPECT_STREQ("acc0", n->g.ifname);
	EXPECT_EQ(AF_INET, n->g.family);
	EXPECT_TRUE(addr_is(n->g.group, n->g.glen, G1));
	g = grp(self, self->acc0, G1);
	EXPECT_EQ(NULL, g);
	EXPECT_EQ(-ENOENT, self->ack.err);
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_GROUPS));
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_GROUPS_DELETED));
	EXPECT_EQ(0, cfg_of(self, AF_INET)->groups);

	/* A leave of a group never seen here creates nothing. */
	ev_clear(self);
	v2_msg(&m, T_IGMP_V2_LEAVE, G2);
	send_msg(self, &m);
	EXPECT_EQ(NULL, grp(self, self->acc0, G2));
	EXPECT_EQ(0, ev_count(self, LG_CMD_MC_QUERY_NTF));
	EXPECT_EQ(0, ev_count(self, LG_CMD_MC_GROUP_NTF));
}

/* INCLUDE({S1}) + TO_IN({}): Q(G, {S1}), and then S1's timer runs out. */
TEST_F_TIMEOUT(mc, include_to_in_nothing_lets_the_last_source_expire, 120)
{
	struct mcg *g;
	struct nlm *n;

	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_LAST_MEMBER_INTERVAL, 100,
			    LG_MCAST_A_LAST_MEMBER_COUNT, 1));
	record(self, ALLOW, G1, S1);
	ev_clear(self);
	record(self, TO_IN, G1, NULL);
	n = ev_first(self, LG_CMD_MC_QUERY_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_TRUE(sources_are(&n->g, S1));
	n = ev_first(self, LG_CMD_MC_GROUP_DEL_NTF, 10000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(LG_MC_DEL_EXPIRED, n->g.reason);
	g = grp(self, self->acc0, G1);
	EXPECT_EQ(NULL, g);
}

/* Robustness 1, QI 3 s, QRI 500 ms: the membership interval is 3.5 s. */
TEST_F_TIMEOUT(mc, groups_expire_after_the_membership_interval, 120)
{
	struct nlm *n;
	int i;

	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_ROBUSTNESS, 1,
			    LG_MCAST_A_QUERY_INTERVAL, 3,
			    LG_MCAST_A_QUERY_RESPONSE_INTERVAL, 500));
	ev_clear(self);
	record(self, IS_EX, G1, NULL);
	record(self, ALLOW, G2, S1);
	ASSERT_NE(NULL, grp(self, self->acc0, G1));
	EXPECT_GE(3500, reply_group(self)->timer);
	for (i = 0; i < 2; i++) {
		n = ev_nth(self, LG_CMD_MC_GROUP_DEL_NTF, i, 15000);
		ASSERT_NE(NULL, n);
		EXPECT_EQ(LG_MC_DEL_EXPIRED, n->g.reason);
	}
	EXPECT_TRUE(gone_within(self, self->acc0, G1, 1000));
	EXPECT_TRUE(gone_within(self, self->acc0, G2, 1000));
	EXPECT_EQ(2, stat(self, LG_STATS_A_MC_GROUPS_DELETED));
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_GROUPS));
}

/* --- MLD snooping --------------------------------------------------------- */

TEST_F_TIMEOUT(mc, mldv2_records_for_exclude_and_include_groups, 120)
{
	struct mcg *g;
	struct nlm *n;

	/* Off: not snooped. */
	record(self, IS_EX, G6B, NULL);
	EXPECT_EQ(NULL, grp(self, self->acc0, G6B));

	ASSERT_EQ(0, enable_slow(self, AF_INET6));
	ev_clear(self);
	record(self, IS_EX, G6B, NULL);
	g = grp(self, self->acc0, G6B);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(AF_INET6, g->family);
	EXPECT_EQ(16, g->glen);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_EQ(2, g->compat);
	EXPECT_EQ(0, g->n_src);
	EXPECT_LT(GMI_MS - 30000, g->timer);

	/* An SSM group, INCLUDE mode. */
	record(self, ALLOW, G6, S6_1 " " S6_2);
	g = grp(self, self->acc0, G6);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_INCLUDE, g->mode);
	EXPECT_TRUE(sources_are(g, S6_1 " " S6_2));
	EXPECT_EQ(16, g->src[0].alen);
	EXPECT_EQ(1, src_of(g, S6_2)->fwd);
	EXPECT_EQ(2, ev_count(self, LG_CMD_MC_GROUP_NTF));

	/* BLOCK: Q(G, A*B) */
	ev_clear(self);
	record(self, BLOCK, G6, S6_2);
	n = ev_first(self, LG_CMD_MC_QUERY_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(AF_INET6, n->g.family);
	EXPECT_TRUE(addr_is(n->g.group, n->g.glen, G6));
	EXPECT_TRUE(sources_are(&n->g, S6_2));
	g = grp(self, self->acc0, G6);
	ASSERT_NE(NULL, g);
	EXPECT_GE(SLOW_LMQT_MS, src_of(g, S6_2)->timer);

	/* TO_EX: EXCLUDE(A*B, B-A) */
	record(self, TO_EX, G6, S6_1 " 2001:db8:f::4");
	g = grp(self, self->acc0, G6);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_TRUE(sources_are(g, S6_1 " 2001:db8:f::4"));
	EXPECT_EQ(1, src_of(g, S6_1)->fwd);
	EXPECT_EQ(0, src_of(g, "2001:db8:f::4")->fwd);

	/* A host with no address yet reports from :: (RFC 3810 5.2.13). */
	{
		struct msg m;
		struct wire w = { .src = "::" };

		v3_one(&m, IS_EX, "ff0e::2", NULL);
		send_wire(self, &m, &w);
		EXPECT_NE(NULL, grp(self, self->acc0, "ff0e::2"));
	}
	EXPECT_EQ(3, cfg_of(self, AF_INET6)->groups);
	EXPECT_EQ(0, cfg_of(self, AF_INET)->groups);
}

TEST_F_TIMEOUT(mc, mldv1_report_and_done, 120)
{
	struct msg m;
	struct mcg *g;
	struct nlm *n;

	ASSERT_EQ(0, mc_set(self, AF_INET6, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_LAST_MEMBER_INTERVAL, 100,
			    LG_MCAST_A_LAST_MEMBER_COUNT, 1));
	v2_msg(&m, T_MLD_V1_REPORT, G6B);
	send_msg(self, &m);
	g = grp(self, self->acc0, G6B);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_EQ(1, g->compat);
	EXPECT_EQ(0, g->n_src);

	/* MLDv2 sources are ignored in MLDv1 compatibility mode. */
	record(self, TO_EX, G6B, S6_1);
	g = grp(self, self->acc0, G6B);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(0, g->n_src);

	ev_clear(self);
	v2_msg(&m, T_MLD_V1_DONE, G6B);
	send_msg(self, &m);
	n = ev_first(self, LG_CMD_MC_QUERY_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(AF_INET6, n->g.family);
	EXPECT_TRUE(addr_is(n->g.group, n->g.glen, G6B));
	EXPECT_EQ(0, n->g.n_src);
	n = ev_first(self, LG_CMD_MC_GROUP_DEL_NTF, 10000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(LG_MC_DEL_EXPIRED, n->g.reason);
	EXPECT_EQ(AF_INET6, n->g.family);
	EXPECT_EQ(NULL, grp(self, self->acc0, G6B));
}

/* --- What is not snooped -------------------------------------------------- */

TEST_F_TIMEOUT(mc, link_local_scope_groups_and_unknown_records_are_ignored, 120)
{
	struct msg m;
	uint64_t ignored;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	v3_report(&m, AF_INET);
	v3_record(&m, IS_EX, "224.0.0.251", NULL);
	v3_record(&m, IS_EX, "239.255.1.1", NULL);
	v3_record(&m, ALLOW, "224.0.0.9", S1);
	v3_record(&m, 7, G1, NULL);		/* no such record type */
	send_msg(self, &m);
	EXPECT_EQ(3, stat(self, LG_STATS_A_MC_RECORDS_IGNORED));
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_RECORDS));
	EXPECT_EQ(0, grp_dump(self, 0, 0));
	ASSERT_EQ(1, self->got->n);
	EXPECT_TRUE(addr_is(reply_group(self)->group, reply_group(self)->glen,
			    "239.255.1.1"));
	v2_msg(&m, T_IGMP_V2_REPORT, "224.0.0.251");
	send_msg(self, &m);
	EXPECT_EQ(4, stat(self, LG_STATS_A_MC_RECORDS_IGNORED));

	/* MLD: scopes 0, 1, 2 (ff02::, ff12::, ff32::) are not routed. */
	ASSERT_EQ(0, enable(self, AF_INET6, 1));
	ignored = stat(self, LG_STATS_A_MC_RECORDS_IGNORED);
	v3_report(&m, AF_INET6);
	v3_record(&m, IS_EX, "ff02::fb", NULL);
	v3_record(&m, IS_EX, "ff12::1:2", NULL);
	v3_record(&m, ALLOW, "ff32::8000:1", S6_1);
	v3_record(&m, IS_EX, "ff05::1:3", NULL);
	send_msg(self, &m);
	/* H's kernel reports its own link-scope groups too: at least. */
	EXPECT_LE(ignored + 3, stat(self, LG_STATS_A_MC_RECORDS_IGNORED));
	EXPECT_EQ(0, grp_dump(self, 0, AF_INET6));
	ASSERT_EQ(1, self->got->n);
	EXPECT_TRUE(addr_is(reply_group(self)->group, reply_group(self)->glen,
			    "ff05::1:3"));
}

TEST_F_TIMEOUT(mc, malformed_igmp_is_dropped_and_counted, 120)
{
	struct wire bad_csum = { .csum_delta = 1 }, ttl2 = { .ttl = 2 };
	struct wire plain = {};
	struct msg m;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	v3_one(&m, IS_EX, G1, NULL);
	send_wire(self, &m, &bad_csum);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_CSUM));

	v3_one(&m, IS_EX, G1, NULL);
	send_wire(self, &m, &ttl2);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_IP));

	/* A valid record, then one that runs past the end: neither applies. */
	v3_report(&m, AF_INET);
	v3_record(&m, IS_EX, G1, NULL);
	v3_record(&m, ALLOW, G2, S1 " " S2);
	m.b[m.len - 13] = 3;			/* says 3 sources, has 2 */
	send_wire(self, &m, &plain);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_RECORD));

	/* Shorter than a header */
	v3_report(&m, AF_INET);
	m.len = 6;
	send_wire(self, &m, &plain);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_SHORT));

	/* No such type */
	v2_msg(&m, 0x30, G1);
	send_wire(self, &m, &plain);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_TYPE));

	/* A group that is not multicast; a source that is */
	v3_one(&m, IS_EX, "10.1.1.1", NULL);
	send_wire(self, &m, &plain);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_GROUP));
	v3_one(&m, ALLOW, G1, S1 " 239.0.0.1");
	send_wire(self, &m, &plain);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_SOURCE));

	EXPECT_EQ(0, grp_dump(self, 0, 0));
	EXPECT_EQ(0, self->got->n);
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_RECORDS));
	EXPECT_EQ(0, acc0_stat(self, LG_LINK_STATS_A_MC_REPORTS));

	/* The well-formed message does what it says. */
	v3_one(&m, IS_EX, G1, NULL);
	send_wire(self, &m, &plain);
	EXPECT_NE(NULL, grp(self, self->acc0, G1));
}

TEST_F_TIMEOUT(mc, malformed_mld_is_dropped_and_counted, 120)
{
	struct wire bad_csum = { .csum_delta = 1 }, hops2 = { .ttl = 2 };
	struct wire global = { .src = "2001:db8:1::2" };
	struct wire unspec = { .src = "::" };
	struct wire plain = {};
	struct msg m;

	ASSERT_EQ(0, enable(self, AF_INET6, 1));
	v3_one(&m, IS_EX, G6B, NULL);
	send_wire(self, &m, &bad_csum);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_CSUM));

	/* Hop limit not 1; a source that is not link-local (or ::) */
	v3_one(&m, IS_EX, G6B, NULL);
	send_wire(self, &m, &hops2);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_IP));
	v3_one(&m, IS_EX, G6B, NULL);
	send_wire(self, &m, &global);
	EXPECT_EQ(2, stat(self, LG_STATS_A_MC_MALFORMED_IP));
	/* Only an MLDv2 report may come from :: */
	v2_msg(&m, T_MLD_V1_REPORT, G6B);
	send_wire(self, &m, &unspec);
	EXPECT_EQ(3, stat(self, LG_STATS_A_MC_MALFORMED_IP));

	v3_report(&m, AF_INET6);
	v3_record(&m, IS_EX, G6B, NULL);
	v3_record(&m, ALLOW, G6, S6_1);
	m.b[m.len - 33] = 2;			/* says 2 sources, has 1 */
	send_wire(self, &m, &plain);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_RECORD));

	/* An MLDv1 report shorter than its 24 octets */
	v2_msg(&m, T_MLD_V1_REPORT, G6B);
	m.len = 20;
	send_wire(self, &m, &plain);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_SHORT));

	v3_one(&m, ALLOW, G6, "ff0e::5");
	send_wire(self, &m, &plain);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_SOURCE));
	v3_one(&m, IS_EX, "2001:db8::1", NULL);
	send_wire(self, &m, &plain);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_MALFORMED_GROUP));

	EXPECT_EQ(0, grp_dump(self, 0, 0));
	EXPECT_EQ(0, self->got->n);
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_RECORDS));
}

TEST_F_TIMEOUT(mc, subscriber_queries_are_dropped, 120)
{
	struct msg m;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	ASSERT_EQ(0, enable(self, AF_INET6, 1));
	query(&m, AF_INET, 3);
	send_msg(self, &m);
	query(&m, AF_INET, 2);
	send_msg(self, &m);
	EXPECT_EQ(2, acc0_stat(self, LG_LINK_STATS_A_MC_QUERY_DROP));
	query(&m, AF_INET6, 2);
	send_msg(self, &m);
	query(&m, AF_INET6, 1);
	send_msg(self, &m);
	EXPECT_EQ(4, acc0_stat(self, LG_LINK_STATS_A_MC_QUERY_DROP));
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_RECORDS));
	EXPECT_EQ(0, grp_dump(self, 0, 0));
	EXPECT_EQ(0, self->got->n);
}

/* Waits (up to 5 s) for H to hear R report @group. */
static bool h_hears_r_report(int snf, const char *group)
{
	struct pollfd pfd = { .fd = snf, .events = POLLIN };
	int alen = addr_len(family_of(group)), i, len;
	struct sockaddr_ll sll;
	uint8_t b[2048], g[16];
	socklen_t slen;

	pton(group, g);
	for (i = 0; i < 50; i++) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		slen = sizeof(sll);
		len = recvfrom(snf, b, sizeof(b), 0, (struct sockaddr *)&sll,
			       &slen);
		if (len <= 0 || sll.sll_pkttype == PACKET_OUTGOING)
			continue;
		/* IGMP from R's 10.0.1.1; MLD behind Hop-by-Hop */
		if ((alen == 4 && len > 24 && b[9] == IPPROTO_IGMP &&
		     addr_is(b + 12, 4, "10.0.1.1")) ||
		    (alen == 16 && len > 48 && b[6] == IPPROTO_HOPOPTS &&
		     b[40] == IPPROTO_ICMPV6 && b[8] == 0xfe &&
		     (b[48] == T_MLD_V2_REPORT || b[48] == T_MLD_V1_REPORT)))
			if (memmem(b + 20, len - 20, g, alen))
				return true;
	}
	return false;
}

/* R joins @group on acc0 with a socket: its kernel reports it there. */
static int r_join(FIXTURE_DATA(mc) *self, const char *group)
{
	struct group_req gr = { .gr_interface = self->acc0 };
	int family = family_of(group), fd;

	sockaddr_of(group, 0, &gr.gr_group);
	fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, family == AF_INET ? IPPROTO_IP :
				 IPPROTO_IPV6, MCAST_JOIN_GROUP, &gr,
				 sizeof(gr)))
		die("router join");
	return fd;
}

/*
 * R's own memberships on acc0: its kernel's reports leave by acc0, and
 * come back to R through PRE_ROUTING on acc0 (PACKET_LOOPBACK) when R is
 * a member of where they go (IGMPv2, MLDv1) or, for IPv6, whenever
 * multicast routing is on (as leaseguardd has it). They are not a
 * subscriber's, and create no state.
 */
TEST_F_TIMEOUT(mc, the_routers_own_reports_are_not_snooped, 120)
{
	int fd[3], snf, mr, i;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	ASSERT_EQ(0, enable(self, AF_INET6, 1));
	snf = h_sniffer(self);

	/* IGMPv3: to 224.0.0.22, of which R is no member */
	fd[0] = r_join(self, "239.9.9.9");
	ASSERT_TRUE(h_hears_r_report(snf, "239.9.9.9"));
	/* IGMPv2: to the group itself */
	sysctl("net/ipv4/conf/acc0/force_igmp_version", "2");
	fd[1] = r_join(self, "239.9.9.10");
	ASSERT_TRUE(h_hears_r_report(snf, "239.9.9.10"));
	/* MLDv2 with IPv6 multicast routing on */
	mr = mroute6(self);
	fd[2] = r_join(self, "ff0e::9");
	ASSERT_TRUE(h_hears_r_report(snf, "ff0e::9"));

	/* R's copies went through the hook long before H heard them. */
	for (i = 0; i < 5; i++) {
		EXPECT_EQ(NULL, grp(self, self->acc0, "239.9.9.9"));
		EXPECT_EQ(NULL, grp(self, self->acc0, "239.9.9.10"));
		EXPECT_EQ(NULL, grp(self, self->acc0, "ff0e::9"));
		usleep(100000);
	}
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_GROUPS_CREATED));
	for (i = 0; i < 3; i++)
		close(fd[i]);
	close(mr);
	close(snf);
}

/* --- Limits --------------------------------------------------------------- */

TEST_F_TIMEOUT(mc, max_groups_refuses_new_groups_only, 120)
{
	struct msg m;

	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_MAX_GROUPS, 2));
	v3_report(&m, AF_INET);
	v3_record(&m, IS_EX, G1, NULL);
	v3_record(&m, IS_EX, G2, NULL);
	v3_record(&m, IS_EX, G3, NULL);
	send_msg(self, &m);
	EXPECT_EQ(1, acc0_stat(self, LG_LINK_STATS_A_MC_GROUPS_LIMITED));
	EXPECT_EQ(0, grp_dump(self, self->acc0, 0));
	EXPECT_EQ(2, self->got->n);
	EXPECT_EQ(NULL, grp(self, self->acc0, G3));
	EXPECT_EQ(2, stat(self, LG_STATS_A_MC_GROUPS));

	/* The groups already there still follow their reports. */
	record(self, ALLOW, G2, S1);
	EXPECT_EQ(1, fwd_of(self, self->acc0, G2, S1));
	EXPECT_EQ(1, acc0_stat(self, LG_LINK_STATS_A_MC_GROUPS_LIMITED));

	/* Lowering the limit keeps them; raising it lets G3 in. */
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_MAX_GROUPS, 1));
	EXPECT_EQ(2, cfg_of(self, AF_INET)->groups);
	record(self, IS_EX, G3, NULL);
	EXPECT_EQ(2, acc0_stat(self, LG_LINK_STATS_A_MC_GROUPS_LIMITED));
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_MAX_GROUPS, 3));
	record(self, IS_EX, G3, NULL);
	EXPECT_NE(NULL, grp(self, self->acc0, G3));
}

TEST_F_TIMEOUT(mc, max_sources_refuses_the_whole_record, 120)
{
	struct mcg *g;

	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_MAX_SOURCES, 3));
	record(self, ALLOW, G1, S1 " " S2 " " S3 " " S4);
	EXPECT_EQ(1, acc0_stat(self, LG_LINK_STATS_A_MC_SOURCES_LIMITED));
	EXPECT_EQ(NULL, grp(self, self->acc0, G1));

	record(self, ALLOW, G1, S1 " " S2);
	ev_clear(self);
	record(self, ALLOW, G1, S3 " " S4);
	EXPECT_EQ(2, acc0_stat(self, LG_LINK_STATS_A_MC_SOURCES_LIMITED));
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_INCLUDE, g->mode);
	EXPECT_TRUE(sources_are(g, S1 " " S2));
	EXPECT_EQ(0, ev_count(self, LG_CMD_MC_GROUP_NTF));

	/* A TO_EX that would leave 4 in EXCLUDE is refused the same way. */
	record(self, TO_EX, G1, S1 " " S2 " " S3 " " S4);
	EXPECT_EQ(3, acc0_stat(self, LG_LINK_STATS_A_MC_SOURCES_LIMITED));
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_INCLUDE, g->mode);

	/* The same source twice is one source. */
	record(self, ALLOW, G1, S3 " " S3);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_TRUE(sources_are(g, S1 " " S2 " " S3));
	EXPECT_EQ(3, acc0_stat(self, LG_LINK_STATS_A_MC_SOURCES_LIMITED));
}

/* Another host on H's link to acc0. */
static const uint8_t mac_b[6] = { 2, 0, 0, 0, 1, 0x22 };

/*
 * @n any-source joins of 239.@hi.x.y, 150 a message, from H's @port. A
 * barrier on port 0 orders them too: every port's frames go through the
 * one CPU's backlog.
 */
static void many_joins(FIXTURE_DATA(mc) *self, int port, int hi, int n)
{
	struct wire w = { .src = h_ip4[0] };
	char group[32];
	struct msg m;
	int i = 0, j, k;

	for (k = 1; i < n; k++) {
		v3_report(&m, AF_INET);
		m.port = port;
		for (j = 0; j < 150 && i < n; j++, i++) {
			snprintf(group, sizeof(group), "239.%d.%d.%d", hi,
				 i >> 8 & 0xff, i & 0xff);
			v3_record(&m, IS_EX, group, NULL);
		}
		put_wire(self, &m, &w);
		if (!(k % 32) || i == n)
			barrier(self, 0);
	}
}

/* Access interfaces acc2.. with H's eth2.. behind them: ports 2.. */
static void more_access(FIXTURE_DATA(mc) *self, int n)
{
	char cmd[512], name[IFNAMSIZ];
	int port;

	for (port = 2; port < 2 + n && port < MAX_PORTS; port++) {
		snprintf(cmd, sizeof(cmd),
			 "set -e; ip -n %1$s link add acc%3$d type veth"
			 " peer name eth%3$d netns %2$s;"
			 " ip -n %1$s link set acc%3$d up;"
			 " ip -n %2$s link set eth%3$d up",
			 self->ns[R], self->ns[H], port);
		run(cmd);
		snprintf(name, sizeof(name), "acc%d", port);
		if (link_set(self, if_nametoindex(name), LG_ROLE_ACCESS))
			fail(self->ack.msg);
		snprintf(name, sizeof(name), "eth%d", port);
		h_port(self, port, name);
	}
}

/*
 * Issue 17 item 10b: one subscriber on a shared link fills the link's
 * group limit with junk joins; another host's join still gets in.
 */
TEST_F_TIMEOUT(mc, one_hosts_junk_joins_do_not_stop_another_hosts_join, 120)
{
	struct mcg *g;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	many_joins(self, 0, 20, 300);
	EXPECT_EQ(LG_MC_MAX_GROUPS_HOST_DEFAULT,
		  stat(self, LG_STATS_A_MC_GROUPS));
	EXPECT_EQ(300 - LG_MC_MAX_GROUPS_HOST_DEFAULT,
		  acc0_stat(self, LG_LINK_STATS_A_MC_HOST_LIMITED));
	EXPECT_EQ(0, acc0_stat(self, LG_LINK_STATS_A_MC_GROUPS_LIMITED));

	h_src_mac = mac_b;
	record(self, IS_EX, G1, NULL);
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);

	/* A group that exists takes any host's reports, whoever made it. */
	h_src_mac = NULL;
	record(self, ALLOW, G1, S1);
	EXPECT_EQ(1, fwd_of(self, self->acc0, G1, S1));
	EXPECT_EQ(300 - LG_MC_MAX_GROUPS_HOST_DEFAULT,
		  acc0_stat(self, LG_LINK_STATS_A_MC_HOST_LIMITED));

	/* The limit is the family's to set; lowering it keeps groups. */
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_MAX_GROUPS_HOST,
			    LG_MC_MAX_GROUPS_HOST_DEFAULT + 1));
	EXPECT_EQ(LG_MC_MAX_GROUPS_HOST_DEFAULT + 1,
		  cfg_of(self, AF_INET)->max_groups_host);
	record(self, IS_EX, G2, NULL);
	EXPECT_NE(NULL, grp(self, self->acc0, G2));
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_MAX_GROUPS_HOST, 1));
	h_src_mac = mac_b;
	record(self, IS_EX, G3, NULL);
	EXPECT_EQ(NULL, grp(self, self->acc0, G3));
	EXPECT_EQ(300 - LG_MC_MAX_GROUPS_HOST_DEFAULT + 1,
		  acc0_stat(self, LG_LINK_STATS_A_MC_HOST_LIMITED));
	EXPECT_EQ(LG_MC_MAX_GROUPS_HOST_DEFAULT + 2,
		  cfg_of(self, AF_INET)->groups);

	/* B's group gone, B has room again. */
	record(self, TO_IN, G1, NULL);
	record(self, BLOCK, G1, S1);
	ASSERT_TRUE(gone_within(self, self->acc0, G1, 10000));
	record(self, IS_EX, G3, NULL);
	EXPECT_NE(NULL, grp(self, self->acc0, G3));
}

/* RFC 4604 section 3.1: no any-source joins of SSM groups. */
TEST_F_TIMEOUT(mc, ssm_any_source_joins_are_ignored, 120)
{
	struct msg m;
	struct mcg *g;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	ASSERT_EQ(0, enable(self, AF_INET6, 1));
	v3_report(&m, AF_INET);
	v3_record(&m, IS_EX, "232.1.1.1", NULL);
	v3_record(&m, TO_EX, "232.1.1.2", NULL);
	v3_record(&m, IS_EX, "232.255.255.255", S1);
	send_msg(self, &m);
	v2_msg(&m, T_IGMP_V2_REPORT, "232.1.1.4");
	send_msg(self, &m);
	v2_msg(&m, T_IGMP_V1_REPORT, "232.1.1.5");
	send_msg(self, &m);
	record(self, IS_EX, "ff3e::1:1234", NULL);
	record(self, TO_EX, "ff35::8000:1", S6_1);
	v2_msg(&m, T_MLD_V1_REPORT, "ff38::2");
	send_msg(self, &m);
	EXPECT_EQ(8, acc0_stat(self, LG_LINK_STATS_A_MC_SSM_ASM_IGNORED));
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_GROUPS));

	/* Source-specific joins of them are what they are for. */
	record(self, ALLOW, "232.1.1.1", S1);
	record(self, IS_IN, "ff3e::1:1234", S6_1);
	EXPECT_EQ(2, stat(self, LG_STATS_A_MC_GROUPS));
	record(self, TO_EX, "232.1.1.1", NULL);
	g = grp(self, self->acc0, "232.1.1.1");
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_INCLUDE, g->mode);
	EXPECT_TRUE(sources_are(g, S1));
	EXPECT_EQ(9, acc0_stat(self, LG_LINK_STATS_A_MC_SSM_ASM_IGNORED));

	/* Next to the ranges: any-source groups. */
	record(self, IS_EX, "233.1.1.1", NULL);
	record(self, IS_EX, "231.255.255.255", NULL);
	record(self, IS_EX, "ff3e:40:2001:db8::1", NULL);
	record(self, IS_EX, "ff1e::1", NULL);
	EXPECT_EQ(6, stat(self, LG_STATS_A_MC_GROUPS));
	g = grp(self, self->acc0, "ff3e:40:2001:db8::1");
	ASSERT_NE(NULL, g);
	EXPECT_EQ(LG_MC_EXCLUDE, g->mode);
	EXPECT_EQ(9, acc0_stat(self, LG_LINK_STATS_A_MC_SSM_ASM_IGNORED));
}

/* Issue 17 item 10: the namespace's groups and sources are bounded. */
TEST_F_TIMEOUT(mc, namespace_caps_groups_and_sources, 120)
{
	struct mccfg *c;
	struct msg m;

	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_NS_MAX_GROUPS, 2,
			    LG_MCAST_A_NS_MAX_SOURCES, 3));
	ASSERT_EQ(0, enable(self, AF_INET6, 1));
	second_access(self);
	record(self, IS_EX, G1, NULL);
	v3_one(&m, ALLOW, G2, S1 " " S2);
	m.port = 1;
	send_msg(self, &m);
	record(self, IS_EX, G3, NULL);
	EXPECT_EQ(NULL, grp(self, self->acc0, G3));
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_NS_LIMITED));

	/* Sources: a record that would go beyond is refused whole. */
	record(self, ALLOW, G1, S3 " " S4);
	EXPECT_EQ(2, stat(self, LG_STATS_A_MC_NS_LIMITED));
	EXPECT_EQ(-2, fwd_of(self, self->acc0, G1, S3));
	record(self, ALLOW, G1, S3);
	EXPECT_EQ(1, fwd_of(self, self->acc0, G1, S3));
	c = cfg_of(self, AF_INET);
	EXPECT_EQ(2, c->groups);
	EXPECT_EQ(3, c->sources);
	EXPECT_EQ(2, c->ns_max_groups);
	EXPECT_EQ(3, c->ns_max_sources);

	/* Each family has its own. */
	record(self, IS_EX, G6, NULL);
	EXPECT_NE(NULL, grp(self, self->acc0, G6));

	/* Lowering keeps what is there, and its reports still count. */
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_NS_MAX_GROUPS, 1,
			    LG_MCAST_A_NS_MAX_SOURCES, 1));
	record(self, IS_EX, G1, S3);
	EXPECT_EQ(2, stat(self, LG_STATS_A_MC_NS_LIMITED));
	EXPECT_EQ(2, cfg_of(self, AF_INET)->groups);
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_NS_MAX_GROUPS, 3));
	record(self, IS_EX, G3, NULL);
	EXPECT_NE(NULL, grp(self, self->acc0, G3));
	EXPECT_EQ(2, stat(self, LG_STATS_A_MC_NS_LIMITED));
}

TEST_F_TIMEOUT(mc, lowering_max_sources_keeps_larger_groups, 120)
{
	struct mcg *g;

	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_MAX_SOURCES, 4));
	record(self, ALLOW, G1, S1 " " S2 " " S3 " " S4);
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_MAX_SOURCES, 2));
	record(self, IS_IN, G1, S1 " " S2 " " S3 " " S4);
	EXPECT_EQ(0, acc0_stat(self, LG_LINK_STATS_A_MC_SOURCES_LIMITED));
	g = grp(self, self->acc0, G1);
	ASSERT_NE(NULL, g);
	EXPECT_TRUE(sources_are(g, S1 " " S2 " " S3 " " S4));
	record(self, ALLOW, G1, "10.0.2.6");
	EXPECT_EQ(1, acc0_stat(self, LG_LINK_STATS_A_MC_SOURCES_LIMITED));
}

/* Reads a sysctl, as a string without its newline. */
static void sysctl_get(const char *name, char *out, size_t len)
{
	char path[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, out, len - 1);
	if (n <= 0)
		die(path);
	close(fd);
	out[n] = 0;
	out[strcspn(out, "\n")] = 0;
}

#define MANY_PORTS	8
#define MANY_JOIN_SECS	100

/*
 * Issue 17 item 10: deleting a great many groups at once (half a million,
 * as many as 8 interfaces hold), with somebody listening to the
 * notifications, holds no CPU for long. The soft lockup detector is made
 * as sharp as it goes (2 s): a flush under one lock trips it (about 3 s
 * in the VM), and the VM runner fails on its report. A debug kernel
 * joins and flushes each group tens of times slower: the ports are filled
 * only while the joins fit in MANY_JOIN_SECS, so it flushes fewer groups
 * that take as long.
 */
TEST_F_TIMEOUT(mc, flushing_many_groups_holds_no_cpu_for_long, 420)
{
	struct timespec t0;
	char thresh[32];
	int port, groups;

	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_MAX_GROUPS, LG_MC_MAX_GROUPS_LIMIT,
			    LG_MCAST_A_MAX_GROUPS_HOST, LG_MC_MAX_GROUPS_LIMIT,
			    LG_MCAST_A_NS_MAX_GROUPS,
			    MANY_PORTS * LG_MC_MAX_GROUPS_LIMIT));
	more_access(self, MANY_PORTS);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (port = 2; port < 2 + MANY_PORTS; port++) {
		long long spent = ms_since(&t0);

		/* Would the next port, as slow as the last ones, still fit? */
		if (port > 2 && spent + spent / (port - 2) > MANY_JOIN_SECS * 1000)
			break;
		many_joins(self, port, 30, LG_MC_MAX_GROUPS_LIMIT);
	}
	groups = (port - 2) * LG_MC_MAX_GROUPS_LIMIT;
	TH_LOG("%d groups joined in %lld ms", groups,
	       (long long)ms_since(&t0));
	ASSERT_EQ(groups, stat(self, LG_STATS_A_MC_GROUPS));

	sysctl_get("kernel/watchdog_thresh", thresh, sizeof(thresh));
	sysctl("kernel/watchdog_thresh", "1");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, enable(self, AF_INET, 0));
	TH_LOG("flushed in %lld ms", (long long)ms_since(&t0));
	sysctl("kernel/watchdog_thresh", thresh);
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_GROUPS));
	EXPECT_EQ(groups, stat(self, LG_STATS_A_MC_GROUPS_DELETED));
}

/* --- Dumps ---------------------------------------------------------------- */

TEST_F_TIMEOUT(mc, group_dump_filters_by_interface_and_family, 120)
{
	struct msg m;
	struct mcg *g;
	int i;

	second_access(self);
	ASSERT_LT(self->acc0, self->acc1);
	ASSERT_EQ(0, enable(self, AF_INET, 1));
	ASSERT_EQ(0, enable(self, AF_INET6, 1));
	record(self, IS_EX, "239.1.1.9", NULL);
	record(self, IS_EX, G1, NULL);
	record(self, IS_EX, G6B, NULL);
	v3_one(&m, IS_EX, G1, NULL);
	m.port = 1;
	send_msg(self, &m);
	v3_one(&m, ALLOW, G6, S6_1);
	m.port = 1;
	send_msg(self, &m);

	/* By interface, then address (IPv4 is ::ffff:0:0/96, first). */
	ASSERT_EQ(0, grp_dump(self, 0, 0));
	ASSERT_EQ(5, self->got->n);
	EXPECT_FALSE(self->ack.dump_intr);
	for (i = 0; i < 5; i++)
		EXPECT_EQ(LG_CMD_MC_GROUP_GET, self->got->m[i].cmd);
	g = &self->got->m[0].g;
	EXPECT_EQ(self->acc0, g->ifindex);
	EXPECT_TRUE(addr_is(g->group, g->glen, G1));
	g = &self->got->m[1].g;
	EXPECT_TRUE(addr_is(g->group, g->glen, "239.1.1.9"));
	g = &self->got->m[2].g;
	EXPECT_TRUE(addr_is(g->group, g->glen, G6B));
	g = &self->got->m[3].g;
	EXPECT_EQ(self->acc1, g->ifindex);
	EXPECT_STREQ("acc1", g->ifname);
	EXPECT_TRUE(addr_is(g->group, g->glen, G1));
	g = &self->got->m[4].g;
	EXPECT_TRUE(addr_is(g->group, g->glen, G6));
	EXPECT_TRUE(sources_are(g, S6_1));

	ASSERT_EQ(0, grp_dump(self, self->acc1, 0));
	ASSERT_EQ(2, self->got->n);
	EXPECT_EQ(self->acc1, self->got->m[0].g.ifindex);
	EXPECT_EQ(self->acc1, self->got->m[1].g.ifindex);
	ASSERT_EQ(0, grp_dump(self, self->acc0, 0));
	ASSERT_EQ(3, self->got->n);

	ASSERT_EQ(0, grp_dump(self, 0, AF_INET6));
	ASSERT_EQ(2, self->got->n);
	EXPECT_EQ(self->acc0, self->got->m[0].g.ifindex);
	EXPECT_EQ(AF_INET6, self->got->m[0].g.family);
	EXPECT_EQ(self->acc1, self->got->m[1].g.ifindex);
	ASSERT_EQ(0, grp_dump(self, 0, AF_INET));
	ASSERT_EQ(3, self->got->n);

	ASSERT_EQ(0, grp_dump(self, self->acc0, AF_INET));
	ASSERT_EQ(2, self->got->n);
	ASSERT_EQ(0, grp_dump(self, self->acc1, AF_INET6));
	ASSERT_EQ(1, self->got->n);
	EXPECT_TRUE(addr_is(self->got->m[0].g.group, self->got->m[0].g.glen,
			    G6));
	ASSERT_EQ(0, grp_dump(self, self->up0, 0));
	EXPECT_EQ(0, self->got->n);
	EXPECT_EQ(5, stat(self, LG_STATS_A_MC_GROUPS));
}

struct dump_check {
	int n;
	bool ordered;
	int64_t last_ifindex;
	uint8_t last[16];
};

/* Counts the groups of a dump, and checks that they come in key order. */
static int dump_check_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_check *d = data;
	struct nlm m;
	uint8_t key[16] = { [10] = 0xff, [11] = 0xff };

	nlm_init(&m);
	mnl_attr_parse(nlh, GENL_HDRLEN, top_cb, &m);
	if (m.g.glen == 4)
		memcpy(key + 12, m.g.group, 4);
	else
		memcpy(key, m.g.group, 16);
	if (d->n && (m.g.ifindex < d->last_ifindex ||
		     (m.g.ifindex == d->last_ifindex &&
		      memcmp(key, d->last, 16) <= 0)))
		d->ordered = false;
	d->last_ifindex = m.g.ifindex;
	memcpy(d->last, key, 16);
	d->n++;
	return MNL_CB_OK;
}

/* A dump of a few hundred groups spans several messages: none lost. */
TEST_F_TIMEOUT(mc, group_dump_resumes_across_messages, 180)
{
	char group[32], buf[MNL_SOCKET_BUFFER_SIZE];
	struct dump_check d = { .ordered = true };
	struct msg m;
	int i, j;

	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_MAX_GROUPS_HOST, 240));
	for (i = 0; i < 4; i++) {
		v3_report(&m, AF_INET);
		for (j = 0; j < 60; j++) {
			snprintf(group, sizeof(group), "239.2.%d.%d", i, j + 1);
			v3_record(&m, ALLOW, group, S1 " " S2 " " S3);
		}
		send_msg(self, &m);
	}
	EXPECT_EQ(240, stat(self, LG_STATS_A_MC_GROUPS));
	ASSERT_EQ(0, lg_talk(&self->s, lg_msg(&self->s, buf,
					      LG_CMD_MC_GROUP_GET, NLM_F_DUMP),
			     dump_check_cb, &d, &self->ack));
	EXPECT_EQ(240, d.n);
	EXPECT_TRUE(d.ordered);
	EXPECT_FALSE(self->ack.dump_intr);
}

/* --- What deletes groups -------------------------------------------------- */

TEST_F_TIMEOUT(mc, disabling_a_family_deletes_only_its_groups, 120)
{
	struct nlm *n;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	ASSERT_EQ(0, enable(self, AF_INET6, 1));
	record(self, IS_EX, G1, NULL);
	record(self, ALLOW, G2, S1);
	record(self, IS_EX, G6B, NULL);
	ev_clear(self);
	ASSERT_EQ(0, enable(self, AF_INET, 0));
	ASSERT_EQ(2, ev_count(self, LG_CMD_MC_GROUP_DEL_NTF));
	n = ev_nth(self, LG_CMD_MC_GROUP_DEL_NTF, 0, 0);
	EXPECT_EQ(LG_MC_DEL_DISABLED, n->g.reason);
	EXPECT_EQ(AF_INET, n->g.family);
	EXPECT_EQ(self->acc0, n->g.ifindex);
	EXPECT_STREQ("acc0", n->g.ifname);
	n = ev_nth(self, LG_CMD_MC_GROUP_DEL_NTF, 1, 0);
	EXPECT_EQ(LG_MC_DEL_DISABLED, n->g.reason);
	EXPECT_EQ(1, ev_count(self, LG_CMD_MCAST_NTF));

	EXPECT_EQ(0, grp_dump(self, 0, AF_INET));
	EXPECT_EQ(0, self->got->n);
	EXPECT_NE(NULL, grp(self, self->acc0, G6B));
	EXPECT_EQ(0, cfg_of(self, AF_INET)->groups);
	EXPECT_EQ(1, cfg_of(self, AF_INET6)->groups);
	EXPECT_EQ(1, stat(self, LG_STATS_A_MC_GROUPS));

	/* And on again, it starts from nothing. */
	ASSERT_EQ(0, enable(self, AF_INET, 1));
	EXPECT_EQ(0, grp_dump(self, 0, AF_INET));
	EXPECT_EQ(0, self->got->n);
}

TEST_F_TIMEOUT(mc, leaving_the_access_role_deletes_groups, 120)
{
	struct nlm *n;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	ASSERT_EQ(0, enable(self, AF_INET6, 1));
	record(self, IS_EX, G1, NULL);
	record(self, IS_EX, G6B, NULL);
	ev_clear(self);
	ASSERT_EQ(0, link_set(self, self->acc0, LG_ROLE_NONE));
	ASSERT_EQ(2, ev_count(self, LG_CMD_MC_GROUP_DEL_NTF));
	n = ev_nth(self, LG_CMD_MC_GROUP_DEL_NTF, 0, 0);
	EXPECT_EQ(LG_MC_DEL_INTERFACE, n->g.reason);
	EXPECT_EQ(self->acc0, n->g.ifindex);
	EXPECT_STREQ("acc0", n->g.ifname);
	EXPECT_EQ(LG_MC_DEL_INTERFACE,
		  ev_nth(self, LG_CMD_MC_GROUP_DEL_NTF, 1, 0)->g.reason);
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_GROUPS));

	/* Not an access interface: nothing is snooped there. */
	record(self, IS_EX, G1, NULL);
	EXPECT_EQ(NULL, grp(self, self->acc0, G1));

	/* Upstream is not access either. */
	ASSERT_EQ(0, link_set(self, self->acc0, LG_ROLE_ACCESS));
	record(self, IS_EX, G1, NULL);
	ASSERT_NE(NULL, grp(self, self->acc0, G1));
	ev_clear(self);
	ASSERT_EQ(0, link_set(self, self->acc0, LG_ROLE_UPSTREAM));
	n = ev_first(self, LG_CMD_MC_GROUP_DEL_NTF, 1000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(LG_MC_DEL_INTERFACE, n->g.reason);
	record(self, IS_EX, G1, NULL);
	EXPECT_EQ(NULL, grp(self, self->acc0, G1));
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_GROUPS));

	/* Back to access: the group limit counts from zero again. */
	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_MAX_GROUPS, 1));
	ASSERT_EQ(0, link_set(self, self->acc0, LG_ROLE_ACCESS));
	record(self, IS_EX, G1, NULL);
	EXPECT_NE(NULL, grp(self, self->acc0, G1));
}

TEST_F_TIMEOUT(mc, deleting_interfaces_deletes_groups_and_resets_upstream, 120)
{
	char cmd[256];
	struct mccfg *c;
	struct nlm *n;

	ASSERT_EQ(0, mc_set(self, AF_INET, LG_MCAST_A_ENABLE, 1,
			    LG_MCAST_A_UPSTREAM, self->up0));
	ASSERT_EQ(0, mc_set(self, AF_INET6, LG_MCAST_A_UPSTREAM, self->up0));
	record(self, IS_EX, G1, NULL);
	ev_clear(self);

	snprintf(cmd, sizeof(cmd), "ip -n %s link del acc0", self->ns[R]);
	run(cmd);
	n = ev_first(self, LG_CMD_MC_GROUP_DEL_NTF, 5000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(LG_MC_DEL_INTERFACE, n->g.reason);
	EXPECT_EQ(self->acc0, n->g.ifindex);
	EXPECT_TRUE(addr_is(n->g.group, n->g.glen, G1));
	EXPECT_EQ(AF_INET, n->g.family);
	EXPECT_EQ(0, stat(self, LG_STATS_A_MC_GROUPS));
	EXPECT_EQ(0, cfg_of(self, AF_INET)->groups);

	ev_clear(self);
	snprintf(cmd, sizeof(cmd), "ip -n %s link del up0", self->ns[R]);
	run(cmd);
	n = ev_first(self, LG_CMD_MCAST_NTF, 5000);
	ASSERT_NE(NULL, n);
	EXPECT_EQ(0, n->c.upstream);
	EXPECT_TRUE(ev_nth(self, LG_CMD_MCAST_NTF, 1, 1000) != NULL);
	c = cfg_of(self, AF_INET);
	EXPECT_EQ(0, c->upstream);
	EXPECT_STREQ("", c->upname);
	EXPECT_EQ(1, c->enable);
	c = cfg_of(self, AF_INET6);
	EXPECT_EQ(0, c->upstream);
}

/* --- The forward filter --------------------------------------------------- */

/*
 * H joins (S1, G1) with a socket; R routes (S1, G1) and (S2, G1) from up0
 * to acc0. S1's traffic reaches H's socket, S2's never leaves R.
 */
TEST_F_TIMEOUT(mc, forward_ipv4_passes_only_wanted_sources, 180)
{
	uint64_t passed, dropped;
	int mr, h, snf, i;
	char buf[64];

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	mr = mroute4(self);
	mroute4_add(mr, S1, G1);
	mroute4_add(mr, S2, G1);
	snf = h_sniffer(self);
	h = h_join(self, G1, S1);
	for (i = 0; i < 100 && fwd_of(self, self->acc0, G1, S1) != 1; i++)
		usleep(100000);
	ASSERT_EQ(1, fwd_of(self, self->acc0, G1, S1))
		TH_LOG("H's kernel's report was not snooped");
	EXPECT_EQ(LG_MC_INCLUDE, reply_group(self)->mode);

	s_send(self, S1, G1, 3);
	EXPECT_EQ(5, recv(h, buf, sizeof(buf), 0));
	passed = if_stat_wait(self, self->acc0,
			      LG_LINK_STATS_A_MC_FWD_PASSED, 3);
	EXPECT_EQ(3, passed);
	EXPECT_EQ(0, acc0_stat(self, LG_LINK_STATS_A_MC_FWD_DROP));

	sniff_drain(snf);
	s_send(self, S2, G1, 3);
	dropped = if_stat_wait(self, self->acc0, LG_LINK_STATS_A_MC_FWD_DROP,
			       3);
	EXPECT_EQ(3, dropped);
	EXPECT_FALSE(sniffed(snf, S2, G1, 500));
	EXPECT_EQ(3, acc0_stat(self, LG_LINK_STATS_A_MC_FWD_PASSED));
	/* Nothing R forwarded counted on the upstream side. */
	EXPECT_EQ(0, if_stat(self, self->up0, LG_LINK_STATS_A_MC_FWD_DROP));
	close(h);
	close(snf);
	close(mr);
}

/*
 * EXCLUDE({}, {S1}): every source but S1. A group with no state on acc0
 * is not wanted there at all. With IGMP off, nothing is filtered.
 */
TEST_F_TIMEOUT(mc, forward_ipv4_exclude_mode_and_groups_without_state, 180)
{
	uint64_t dropped;
	int mr, snf;

	ASSERT_EQ(0, enable(self, AF_INET, 1));
	mr = mroute4(self);
	mroute4_add(mr, S1, G2);
	mroute4_add(mr, S2, G2);
	mroute4_add(mr, S1, G3);
	snf = h_sniffer(self);
	record(self, TO_EX, G2, S1);
	ASSERT_EQ(0, fwd_of(self, self->acc0, G2, S1));

	s_send(self, S2, G2, 1);
	EXPECT_TRUE(sniffed(snf, S2, G2, 5000));
	EXPECT_EQ(1, if_stat_wait(self, self->acc0,
				  LG_LINK_STATS_A_MC_FWD_PASSED, 1));

	s_send(self, S1, G2, 1);
	dropped = if_stat_wait(self, self->acc0, LG_LINK_STATS_A_MC_FWD_DROP,
			       1);
	EXPECT_EQ(1, dropped);
	EXPECT_FALSE(sniffed(snf, S1, G2, 500));

	s_send(self, S1, G3, 1);
	EXPECT_EQ(2, if_stat_wait(self, self->acc0,
				  LG_LINK_STATS_A_MC_FWD_DROP, 2));
	EXPECT_FALSE(sniffed(snf, S1, G3, 500));

	/* S1 allowed again: it passes. */
	record(self, ALLOW, G2, S1);
	s_send(self, S1, G2, 1);
	EXPECT_TRUE(sniffed(snf, S1, G2, 5000));

	/* IGMP off: no state, no filter. */
	ASSERT_EQ(0, enable(self, AF_INET, 0));
	s_send(self, S1, G3, 1);
	EXPECT_TRUE(sniffed(snf, S1, G3, 5000));
	EXPECT_EQ(2, acc0_stat(self, LG_LINK_STATS_A_MC_FWD_DROP));
	EXPECT_EQ(2, acc0_stat(self, LG_LINK_STATS_A_MC_FWD_PASSED));
	close(snf);
	close(mr);
}

TEST_F_TIMEOUT(mc, forward_ipv6_passes_only_wanted_sources, 180)
{
	uint64_t dropped;
	int mr, h, snf, i;
	char buf[64];

	sysctl("net/ipv6/conf/all/forwarding", "1");
	ASSERT_EQ(0, enable(self, AF_INET6, 1));
	mr = mroute6(self);
	mroute6_add(mr, S6_1, G6);
	mroute6_add(mr, S6_2, G6);
	mroute6_add(mr, S6_1, G6B);
	snf = h_sniffer(self);
	h = h_join(self, G6, S6_1);
	for (i = 0; i < 100 && fwd_of(self, self->acc0, G6, S6_1) != 1; i++)
		usleep(100000);
	ASSERT_EQ(1, fwd_of(self, self->acc0, G6, S6_1))
		TH_LOG("H's kernel's report was not snooped");

	s_send(self, S6_1, G6, 3);
	EXPECT_EQ(5, recv(h, buf, sizeof(buf), 0));
	EXPECT_EQ(3, if_stat_wait(self, self->acc0,
				  LG_LINK_STATS_A_MC_FWD_PASSED, 3));

	sniff_drain(snf);
	s_send(self, S6_2, G6, 3);
	dropped = if_stat_wait(self, self->acc0, LG_LINK_STATS_A_MC_FWD_DROP,
			       3);
	EXPECT_EQ(3, dropped);
	EXPECT_FALSE(sniffed(snf, S6_2, G6, 500));

	/* A group nobody asked for. */
	s_send(self, S6_1, G6B, 1);
	EXPECT_EQ(4, if_stat_wait(self, self->acc0,
				  LG_LINK_STATS_A_MC_FWD_DROP, 4));
	EXPECT_FALSE(sniffed(snf, S6_1, G6B, 500));
	close(h);
	close(snf);
	close(mr);
}

TEST_HARNESS_MAIN
