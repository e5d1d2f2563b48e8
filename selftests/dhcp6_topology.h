/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test topology of the DHCPv6 tests, driven by hand-made messages:
 *
 *   netns C (client)          netns R (leaseguard)           netns S (server)
 *   eth0 fe80::ff:fe00:102 -- acc0 (access)  up0 (upstream) -- eth0 2001:db8:f::2
 *   UDP 546                   "relay": UDP 547 2001:db8:f::1
 *
 * The client's request goes to the relay socket; the server's RELAY-REPL
 * (when a test sends one) arrives on up0; the relay socket sends the REPLY
 * out of acc0, which is where leaseguard learns. Every test gets fresh
 * namespaces. Included once, by a test program.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

/* Each program uses the helpers it needs. */
#pragma GCC diagnostic ignored "-Wunused-function"

/*
 * Every wait below is an upper bound; under TCG on a busy machine the
 * harness's 30 s per test is too short, so each test gets 120 s.
 */
#include "lgnl.h"
#include "dhcp6_build.h"
#include "netns_setup.h"

enum {
	SOLICIT = 1, ADVERTISE, REQUEST, CONFIRM, RENEW, REBIND, REPLY,
	RELEASE, DECLINE, RELAY_FORW = 12, RELAY_REPL,
};
enum { OPT_CLIENTID = 1, OPT_SERVERID, OPT_IA_NA, OPT_RELAY_MSG = 9,
	OPT_RAPID_COMMIT = 14, OPT_INTERFACE_ID = 18, OPT_IA_PD = 25 };

static const uint8_t duid_a[] = { 0, 1, 0, 1, 0x2b, 0x3c, 0x4d, 0x5e,
				  2, 0, 0, 0, 1, 2 };
static const uint8_t duid_b[] = { 0, 3, 0, 1, 2, 0, 0, 0, 1, 0xbb };
static const uint8_t server_duid[] = { 0, 1, 0, 1, 0x11, 0x22, 0x33, 0x44,
				       2, 0, 0, 0, 0xf, 2 };

struct duid {
	const uint8_t *p;
	uint16_t len;
};

static const struct duid A = { duid_a, sizeof(duid_a) };
static const struct duid B = { duid_b, sizeof(duid_b) };

/* One binding as netlink gives it. */
struct bnd {
	uint8_t cmd;
	uint64_t id;
	uint32_t ifindex, ia_type, iaid, state, reason;
	uint32_t release_reason;	/* 0: absent */
	uint32_t origin;		/* LG_BINDING_A_ORIGIN, 0: absent */
	uint8_t duid[130], sduid[130], ifid[64], mac[6];
	int duid_len, sduid_len, ifid_len;
	bool has_mac;
	struct in6_addr lladdr, saddr;
	uint64_t created, updated;
	uint64_t replied;		/* LG_BINDING_A_REPLIED (ms), 0: absent */
	int n_leases;
	struct {
		struct in6_addr addr;
		uint32_t plen, preferred, valid;
		uint64_t expires;
	} leases[8];
};

struct bnds {
	int n;
	struct bnd b[512];
};

static int lease_cb(const struct nlattr *attr, void *data)
{
	struct bnd *b = data;
	int i = b->n_leases;

	switch (mnl_attr_get_type(attr)) {
	case LG_LEASE_A_ADDR:
		memcpy(&b->leases[i].addr, mnl_attr_get_payload(attr), 16);
		break;
	case LG_LEASE_A_PLEN:
		b->leases[i].plen = mnl_attr_get_u32(attr);
		break;
	case LG_LEASE_A_PREFERRED:
		b->leases[i].preferred = mnl_attr_get_u32(attr);
		break;
	case LG_LEASE_A_VALID:
		b->leases[i].valid = mnl_attr_get_u32(attr);
		break;
	case LG_LEASE_A_EXPIRES:
		b->leases[i].expires = mnl_attr_get_u64(attr);
		break;
	}
	return MNL_CB_OK;
}

static int binding_cb(const struct nlattr *attr, void *data)
{
	struct bnd *b = data;
	const void *p = mnl_attr_get_payload(attr);
	int len = mnl_attr_get_payload_len(attr);

	switch (mnl_attr_get_type(attr)) {
	case LG_BINDING_A_ID:
		b->id = mnl_attr_get_u64(attr);
		break;
	case LG_BINDING_A_IFINDEX:
		b->ifindex = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_CLIENT_DUID:
		memcpy(b->duid, p, len);
		b->duid_len = len;
		break;
	case LG_BINDING_A_IA_TYPE:
		b->ia_type = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_IAID:
		b->iaid = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_STATE:
		b->state = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_CLIENT_LLADDR:
		memcpy(&b->lladdr, p, 16);
		break;
	case LG_BINDING_A_CLIENT_MAC:
		memcpy(b->mac, p, 6);
		b->has_mac = true;
		break;
	case LG_BINDING_A_SERVER_DUID:
		memcpy(b->sduid, p, len);
		b->sduid_len = len;
		break;
	case LG_BINDING_A_SERVER_ADDR:
		memcpy(&b->saddr, p, 16);
		break;
	case LG_BINDING_A_INTERFACE_ID:
		memcpy(b->ifid, p, len < 64 ? len : 64);
		b->ifid_len = len;
		break;
	case LG_BINDING_A_CREATED:
		b->created = mnl_attr_get_u64(attr);
		break;
	case LG_BINDING_A_UPDATED:
		b->updated = mnl_attr_get_u64(attr);
		break;
	case LG_BINDING_A_REPLIED:
		b->replied = mnl_attr_get_u64(attr);
		break;
	case LG_BINDING_A_DEL_REASON:
		b->reason = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_RELEASE_REASON:
		b->release_reason = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_ORIGIN:
		b->origin = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_LEASE:
		if (b->n_leases < 8) {
			mnl_attr_parse_nested(attr, lease_cb, b);
			b->n_leases++;
		}
		break;
	}
	return MNL_CB_OK;
}

static int top_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == LG_A_BINDING)
		return mnl_attr_parse_nested(attr, binding_cb, data);
	return MNL_CB_OK;
}

static int bnds_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct bnds *bs = data;
	struct bnd *b;

	if (bs->n >= 512)
		return MNL_CB_ERROR;
	b = &bs->b[bs->n++];
	memset(b, 0, sizeof(*b));
	b->cmd = genl->cmd;
	return mnl_attr_parse(nlh, GENL_HDRLEN, top_cb, b);
}

static uint64_t stat_value;
static int stat_id;

static int stat_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *c;

	(void)data;
	if (mnl_attr_get_type(attr) != LG_A_STATS &&
	    mnl_attr_get_type(attr) != LG_A_LINK)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(c, attr) {
		if (mnl_attr_get_type(attr) == LG_A_LINK) {
			const struct nlattr *s;

			if (mnl_attr_get_type(c) != LG_LINK_A_STATS)
				continue;
			mnl_attr_for_each_nested(s, c)
				if (mnl_attr_get_type(s) == -stat_id)
					stat_value = mnl_attr_get_u64(s);
		} else if (mnl_attr_get_type(c) == stat_id) {
			stat_value = mnl_attr_get_u64(c);
		}
	}
	return MNL_CB_OK;
}

static int stat_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, stat_attr_cb, data);
}

FIXTURE(b) {
	struct lg_sock s, mon;
	struct lg_ack ack;
	struct bnds got;
	char ns[3][32];		/* R, C, S */
	int nsfd[3];
	int cl_fd, relay_fd, srv_fd;
	uint32_t acc0, up0, acc1;
	struct in6_addr cl_ll, rtr_ll;
	uint32_t xid;
	struct d6b m;
};

enum { R, C, S };

static void die(const char *what)
{
	fprintf(stderr, "# %s: %s\n", what, strerror(errno));
	exit(1);
}

static void enter(FIXTURE_DATA(b) *self, int which)
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

static int udp_socket(FIXTURE_DATA(b) *self, int which, const char *dev,
		      int port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(port) };
	struct timeval tv = { .tv_sec = 10 };
	int fd, one = 1;

	enter(self, which);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (dev)
		setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, strlen(dev));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind");
	enter(self, R);
	return fd;
}

static char ns_names[3][32];

/* Runs even when a test bails out with exit(), unlike the teardown. */
static void delete_namespaces(void)
{
	int i;

	for (i = 0; i < 3; i++)
		if (ns_names[i][0])
			ns_del(ns_names[i]);
}

FIXTURE_SETUP(b)
{
	char cmd[1024];
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(self->ns[i], sizeof(self->ns[i]), "lg%c%d", "rcs"[i],
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
		 "link add up0 address 02:00:00:00:0f:01 type veth"
		 " peer name eth0 netns %2$s address 02:00:00:00:0f:02\n"
		 "addr add 2001:db8:f::1/64 dev up0 nodad\n"
		 "link set acc0 up\n"
		 "link set up0 up\n", self->ns[C], self->ns[S]);
	ASSERT_EQ(0, ns_ip_batch(self->ns[R], cmd));
	ASSERT_EQ(0, ns_ip_batch(self->ns[S],
				 "link set lo up\n"
				 "addr add 2001:db8:f::2/64 dev eth0 nodad\n"
				 "link set eth0 up\n"));
	ASSERT_EQ(0, ns_link_up(self->nsfd[C], "lo"));
	ASSERT_EQ(0, ns_link_up(self->nsfd[C], "eth0"));
	ASSERT_EQ(0, ns_wait_link_local(self->nsfd[R], "acc0"));
	ASSERT_EQ(0, ns_wait_link_local(self->nsfd[C], "eth0"));
	enter(self, R);
	self->acc0 = if_nametoindex("acc0");
	self->up0 = if_nametoindex("up0");
	inet_pton(AF_INET6, "fe80::ff:fe00:102", &self->cl_ll);
	inet_pton(AF_INET6, "fe80::ff:fe00:101", &self->rtr_ll);

	self->cl_fd = udp_socket(self, C, "eth0", 546);
	self->relay_fd = udp_socket(self, R, NULL, 547);
	self->srv_fd = udp_socket(self, S, NULL, 547);

	ASSERT_EQ(0, lg_open(&self->s)) TH_LOG("is leaseguard.ko loaded?");
	ASSERT_EQ(0, lg_open(&self->mon));
	ASSERT_EQ(0, lg_join(&self->mon, self->mon.mcgrp_bindings));
	self->xid = 0x100;
}

FIXTURE_TEARDOWN(b)
{
	lg_close(&self->s);
	lg_close(&self->mon);
}

static int link_set(FIXTURE_DATA(b) *self, uint32_t ifindex, int role,
		    uint32_t max)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	if (role >= 0)
		mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, role);
	if (max)
		mnl_attr_put_u32(nlh, LG_LINK_A_MAX_BINDINGS, max);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(&self->s, nlh, NULL, NULL, &self->ack);
}

static void roles(FIXTURE_DATA(b) *self)
{
	if (link_set(self, self->acc0, LG_ROLE_ACCESS, 0) ||
	    link_set(self, self->up0, LG_ROLE_UPSTREAM, 0))
		die(self->ack.msg);
}

/* Dumps every binding (filtered by @duid if given) into self->got. */
static int dump(FIXTURE_DATA(b) *self, const struct duid *duid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_BINDING_GET,
				      NLM_F_DUMP);

	if (duid) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING);

		mnl_attr_put(nlh, LG_BINDING_A_CLIENT_DUID, duid->len, duid->p);
		mnl_attr_nest_end(nlh, nest);
	}
	self->got.n = 0;
	return lg_talk(&self->s, nlh, bnds_cb, &self->got, &self->ack);
}

static int get_addr(FIXTURE_DATA(b) *self, const char *addr)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_BINDING_GET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	struct in6_addr a;

	inet_pton(AF_INET6, addr, &a);
	mnl_attr_put(nlh, LG_BINDING_A_ADDR, 16, &a);
	mnl_attr_nest_end(nlh, nest);
	self->got.n = 0;
	return lg_talk(&self->s, nlh, bnds_cb, &self->got, &self->ack);
}

static uint64_t stat(FIXTURE_DATA(b) *self, int id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	stat_value = ~0ULL;
	stat_id = id;
	lg_talk(&self->s, lg_msg(&self->s, buf, LG_CMD_STATS_GET, 0), stat_cb,
		NULL, &self->ack);
	return stat_value;
}

/* A counter of an interface. */
static uint64_t if_stat(FIXTURE_DATA(b) *self, uint32_t ifindex, int id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_GET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, nest);
	stat_value = ~0ULL;
	stat_id = -id;
	lg_talk(&self->s, nlh, stat_cb, NULL, &self->ack);
	return stat_value;
}

/* A counter of acc0. */
static uint64_t link_stat(FIXTURE_DATA(b) *self, int id)
{
	return if_stat(self, self->acc0, id);
}

/* Receives the next notification into self->got (n is 0 if none came). */
static void ntf(FIXTURE_DATA(b) *self, int ms)
{
	self->got.n = 0;
	lg_recv(&self->mon, ms, bnds_cb, &self->got);
}

/* The client sends self->m to the relay port (which may drop it). */
static void client_send_nowait(FIXTURE_DATA(b) *self)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_port = htons(547),
				   .sin6_addr = self->rtr_ll };

	enter(self, C);
	to.sin6_scope_id = if_nametoindex("eth0");
	enter(self, R);
	if (sendto(self->cl_fd, self->m.buf, self->m.len, 0,
		   (struct sockaddr *)&to, sizeof(to)) < 0)
		die("client sendto");
}

/* The client sends self->m to the relay, which receives it. */
static void client_send(FIXTURE_DATA(b) *self)
{
	char buf[4096];

	client_send_nowait(self);
	/* Once the relay has it, the access hook has seen it. */
	if (recv(self->relay_fd, buf, sizeof(buf), 0) < 0)
		die("relay recv");
}

/* The relay sends self->m to the client, out of acc0. */
static void relay_send(FIXTURE_DATA(b) *self)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_port = htons(546),
				   .sin6_addr = self->cl_ll,
				   .sin6_scope_id = self->acc0 };

	if (sendto(self->relay_fd, self->m.buf, self->m.len, 0,
		   (struct sockaddr *)&to, sizeof(to)) < 0)
		die("relay sendto");
}

/* The server sends self->m to the relay's upstream address. */
static void server_send(FIXTURE_DATA(b) *self)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_port = htons(547) };
	char buf[4096];

	inet_pton(AF_INET6, "2001:db8:f::1", &to.sin6_addr);
	if (sendto(self->srv_fd, self->m.buf, self->m.len, 0,
		   (struct sockaddr *)&to, sizeof(to)) < 0)
		die("server sendto");
	if (recv(self->relay_fd, buf, sizeof(buf), 0) < 0)
		die("relay recv from server");
}

static void ids(struct d6b *m, const struct duid *d, bool server)
{
	d6b_put(m, OPT_CLIENTID, d->p, d->len);
	if (server)
		d6b_put(m, OPT_SERVERID, server_duid, sizeof(server_duid));
}

static struct in6_addr A6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

/* A client message with an IA_NA (iaid 1) and an IA_PD (iaid 2). */
static void request(FIXTURE_DATA(b) *self, int type, const struct duid *d)
{
	d6b_msg(&self->m, type, ++self->xid);
	ids(&self->m, d, type != SOLICIT && type != REBIND);
	d6b_ia(&self->m, OPT_IA_NA, 1, 0, 0);
	d6b_end(&self->m);
	d6b_ia(&self->m, OPT_IA_PD, 2, 0, 0);
	d6b_end(&self->m);
	client_send(self);
}

/* The REPLY granting 2001:db8:1::1000 and 2001:db8:100::/56. */
static void reply(FIXTURE_DATA(b) *self, const struct duid *d,
		  uint32_t na_valid, uint32_t pd_valid)
{
	struct in6_addr na = A6("2001:db8:1::1000"), pd = A6("2001:db8:100::");

	d6b_msg(&self->m, REPLY, self->xid);
	ids(&self->m, d, true);
	d6b_ia(&self->m, OPT_IA_NA, 1, 1800, 2880);
	d6b_iaaddr(&self->m, &na, na_valid / 2, na_valid);
	d6b_end(&self->m);
	d6b_ia(&self->m, OPT_IA_PD, 2, 1800, 2880);
	d6b_iaprefix(&self->m, 56, &pd, pd_valid / 2, pd_valid);
	d6b_end(&self->m);
	relay_send(self);
}

static bool addr_is(const struct in6_addr *a, const char *s)
{
	struct in6_addr b = A6(s);

	return !memcmp(a, &b, 16);
}
