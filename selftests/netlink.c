// SPDX-License-Identifier: GPL-2.0
/*
 * The "leaseguard" generic netlink API, as a user of it sees it: every test
 * runs in a fresh network namespace with the module loaded.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/leaseguard.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "lgnl.h"
#include "netns_setup.h"

/* What one request brought back. */
struct lg_reply {
	struct lg_ack ack;
	int nmsgs;			/* data messages */
	uint8_t cmd[1024];		/* their commands */
	uint32_t ifindex[1024];		/* LG_LINK_A_IFINDEX, or 0 */
	uint8_t role[1024];		/* LG_LINK_A_ROLE, or 0xff */
	char ifname[1024][IFNAMSIZ];
	uint64_t rx_packets[1024];
	uint8_t release_forward[1024];	/* LG_LINK_A_RELEASE_FORWARD, or 0xff */
	uint64_t release_fwd_drop[1024]; /* ~0: absent */
	uint64_t links_gone;		/* from LG_CMD_STATS_GET */
	uint32_t miss_rate[1024];	/* LG_LINK_A_MISS_RATE, or ~0 */
	uint32_t ns_miss_rate;		/* LG_CONFIG_A_MISS_RATE, or ~0 */
};

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct lg_reply *r = data;
	int i = r->nmsgs;

	switch (mnl_attr_get_type(attr)) {
	case LG_LINK_A_IFINDEX:
		r->ifindex[i] = mnl_attr_get_u32(attr);
		break;
	case LG_LINK_A_IFNAME:
		snprintf(r->ifname[i], IFNAMSIZ, "%s", mnl_attr_get_str(attr));
		break;
	case LG_LINK_A_ROLE:
		r->role[i] = mnl_attr_get_u32(attr);
		break;
	case LG_LINK_A_RELEASE_FORWARD:
		r->release_forward[i] = mnl_attr_get_u8(attr);
		break;
	case LG_LINK_A_MISS_RATE:
		r->miss_rate[i] = mnl_attr_get_u32(attr);
		break;
	case LG_LINK_A_STATS: {
		const struct nlattr *c;

		mnl_attr_for_each_nested(c, attr) {
			if (mnl_attr_get_type(c) == LG_LINK_STATS_A_RX_PACKETS)
				r->rx_packets[i] = mnl_attr_get_u64(c);
			if (mnl_attr_get_type(c) ==
			    LG_LINK_STATS_A_RELEASE_FWD_DROP)
				r->release_fwd_drop[i] = mnl_attr_get_u64(c);
		}
		break;
	}
	}
	return MNL_CB_OK;
}

static int top_attr_cb(const struct nlattr *attr, void *data)
{
	struct lg_reply *r = data;
	const struct nlattr *c;

	if (mnl_attr_get_type(attr) == LG_A_LINK)
		return mnl_attr_parse_nested(attr, link_attr_cb, r);
	if (mnl_attr_get_type(attr) == LG_A_STATS)
		mnl_attr_for_each_nested(c, attr)
			if (mnl_attr_get_type(c) == LG_STATS_A_LINKS_GONE)
				r->links_gone = mnl_attr_get_u64(c);
	if (mnl_attr_get_type(attr) == LG_A_CONFIG)
		mnl_attr_for_each_nested(c, attr)
			if (mnl_attr_get_type(c) == LG_CONFIG_A_MISS_RATE)
				r->ns_miss_rate = mnl_attr_get_u32(c);
	return MNL_CB_OK;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct lg_reply *r = data;

	if (r->nmsgs >= 1024)
		return MNL_CB_ERROR;
	r->cmd[r->nmsgs] = genl->cmd;
	r->role[r->nmsgs] = 0xff;
	r->release_forward[r->nmsgs] = 0xff;
	r->release_fwd_drop[r->nmsgs] = ~0ULL;
	r->miss_rate[r->nmsgs] = ~0U;
	r->ns_miss_rate = ~0U;
	mnl_attr_parse(nlh, GENL_HDRLEN, top_attr_cb, r);
	r->nmsgs++;
	return MNL_CB_OK;
}

static int lg_talk_r(struct lg_sock *s, struct nlmsghdr *nlh,
		     struct lg_reply *r)
{
	memset(r, 0, sizeof(*r));
	return lg_talk(s, nlh, data_cb, r, &r->ack);
}

static int lg_link_set(struct lg_sock *s, uint32_t ifindex, int role,
		       struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	if (role >= 0)
		mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, role);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk_r(s, nlh, r);
}

static int lg_link_get(struct lg_sock *s, uint32_t ifindex, struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_LINK_GET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk_r(s, nlh, r);
}

static int lg_link_dump(struct lg_sock *s, struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return lg_talk_r(s, lg_msg(s, buf, LG_CMD_LINK_GET, NLM_F_DUMP), r);
}

static int lg_stats_get(struct lg_sock *s, struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return lg_talk_r(s, lg_msg(s, buf, LG_CMD_STATS_GET, 0), r);
}

/* Receives one notification, waiting at most a second. */
static int lg_recv_ntf(struct lg_sock *s, struct lg_reply *r)
{
	memset(r, 0, sizeof(*r));
	return lg_recv(s, 1000, data_cb, r);
}

FIXTURE(lg) {
	struct lg_sock s;
	struct lg_reply r;
	uint32_t dummy0, dummy1, lo;
};

FIXTURE_SETUP(lg)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, ns_ip_batch(NULL, "link add lgtest0 type dummy\n"
				       "link add lgtest1 type dummy\n"));
	self->dummy0 = if_nametoindex("lgtest0");
	self->dummy1 = if_nametoindex("lgtest1");
	self->lo = if_nametoindex("lo");
	ASSERT_NE(0, self->dummy0);
	ASSERT_EQ(0, lg_open(&self->s)) TH_LOG("is leaseguard.ko loaded?");
	ASSERT_NE(0, self->s.family);
}

FIXTURE_TEARDOWN(lg)
{
	lg_close(&self->s);
}

TEST_F(lg, set_then_get)
{
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	ASSERT_EQ(0, lg_link_get(&self->s, self->dummy0, &self->r));
	ASSERT_EQ(1, self->r.nmsgs);
	EXPECT_EQ(LG_CMD_LINK_GET, self->r.cmd[0]);
	EXPECT_EQ(self->dummy0, self->r.ifindex[0]);
	EXPECT_STREQ("lgtest0", self->r.ifname[0]);
	EXPECT_EQ(LG_ROLE_ACCESS, self->r.role[0]);

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_UPSTREAM, &self->r));
	ASSERT_EQ(0, lg_link_get(&self->s, self->dummy0, &self->r));
	EXPECT_EQ(LG_ROLE_UPSTREAM, self->r.role[0]);
}

TEST_F(lg, set_without_role_keeps_role)
{
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_UPSTREAM, &self->r));
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, -1, &self->r));
	ASSERT_EQ(0, lg_link_get(&self->s, self->dummy0, &self->r));
	EXPECT_EQ(LG_ROLE_UPSTREAM, self->r.role[0]);
}

TEST_F(lg, dump_lists_configured_links_in_order)
{
	ASSERT_EQ(0, lg_link_dump(&self->s, &self->r));
	EXPECT_EQ(0, self->r.nmsgs);

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy1, LG_ROLE_UPSTREAM, &self->r));
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	ASSERT_EQ(0, lg_link_dump(&self->s, &self->r));
	ASSERT_EQ(2, self->r.nmsgs);
	EXPECT_EQ(self->dummy0, self->r.ifindex[0]);
	EXPECT_EQ(LG_ROLE_ACCESS, self->r.role[0]);
	EXPECT_EQ(self->dummy1, self->r.ifindex[1]);
	EXPECT_EQ(LG_ROLE_UPSTREAM, self->r.role[1]);
	EXPECT_FALSE(self->r.ack.dump_intr);
}

/* More links than fit in one dump skb: the dump must resume exactly. */
TEST_F_TIMEOUT(lg, dump_resumes_across_messages, 120)
{
	const int n = 400;
	char cmd[128], name[IFNAMSIZ];
	int i;

	snprintf(cmd, sizeof(cmd),
		 "for i in $(seq 1 %d); do echo link add lgd$i type dummy; done | ip -b -",
		 n);
	run(cmd);
	for (i = 1; i <= n; i++) {
		snprintf(name, sizeof(name), "lgd%d", i);
		ASSERT_EQ(0, lg_link_set(&self->s, if_nametoindex(name),
					 LG_ROLE_ACCESS, &self->r));
	}
	ASSERT_EQ(0, lg_link_dump(&self->s, &self->r));
	ASSERT_EQ(n, self->r.nmsgs);
	for (i = 1; i < n; i++)
		ASSERT_LT(self->r.ifindex[i - 1], self->r.ifindex[i]);
	EXPECT_FALSE(self->r.ack.dump_intr);
}

TEST_F(lg, role_none_removes_configuration)
{
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_NONE, &self->r));
	EXPECT_EQ(-ENOENT, lg_link_get(&self->s, self->dummy0, &self->r));
	EXPECT_STREQ("interface has no leaseguard configuration", self->r.ack.msg);
	ASSERT_EQ(0, lg_link_dump(&self->s, &self->r));
	EXPECT_EQ(0, self->r.nmsgs);
}

TEST_F(lg, role_out_of_range_is_rejected)
{
	EXPECT_EQ(-ERANGE, lg_link_set(&self->s, self->dummy0, LG_ROLE_MAX + 1,
				       &self->r));
	EXPECT_STRNE("", self->r.ack.msg);
	EXPECT_NE(0, self->r.ack.offs) TH_LOG("extack should point at the role");
	EXPECT_EQ(-ENOENT, lg_link_get(&self->s, self->dummy0, &self->r));
}

TEST_F(lg, missing_link_nest_is_rejected)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	EXPECT_EQ(-EINVAL, lg_talk_r(&self->s, lg_msg(&self->s, buf, LG_CMD_LINK_SET, 0),
				     &self->r));
	EXPECT_EQ(LG_A_LINK, self->r.ack.miss_type);
}

TEST_F(lg, missing_ifindex_is_rejected)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, LG_ROLE_ACCESS);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EINVAL, lg_talk_r(&self->s, nlh, &self->r));
	EXPECT_EQ(LG_LINK_A_IFINDEX, self->r.ack.miss_type);
	EXPECT_STREQ("leaseguard: missing interface index", self->r.ack.msg);
}

TEST_F(lg, unknown_ifindex_is_rejected)
{
	EXPECT_EQ(-ENODEV, lg_link_set(&self->s, 999999, LG_ROLE_ACCESS, &self->r));
	EXPECT_STREQ("no such interface", self->r.ack.msg);
	EXPECT_NE(0, self->r.ack.offs);
	EXPECT_EQ(-ENODEV, lg_link_get(&self->s, 999999, &self->r));
	EXPECT_STREQ("no such interface", self->r.ack.msg);
}

TEST_F(lg, reply_only_attribute_is_rejected)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, self->dummy0);
	mnl_attr_put_strz(nlh, LG_LINK_A_IFNAME, "lgtest0");
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EINVAL, lg_talk_r(&self->s, nlh, &self->r));
	EXPECT_STREQ("Unsupported attribute", self->r.ack.msg);
	EXPECT_NE(0, self->r.ack.offs);
}

TEST_F(lg, unknown_attribute_is_rejected)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_STATS_GET, 0);

	mnl_attr_put_u32(nlh, LG_A_MAX + 1, 1);
	EXPECT_EQ(-EINVAL, lg_talk_r(&self->s, nlh, &self->r));
	EXPECT_STRNE("", self->r.ack.msg);
}

TEST_F(lg, loopback_cannot_have_a_role)
{
	EXPECT_EQ(-EOPNOTSUPP, lg_link_set(&self->s, self->lo, LG_ROLE_ACCESS,
					   &self->r));
	EXPECT_STREQ("leaseguard: a loopback interface cannot have a role",
		     self->r.ack.msg);
}

TEST_F(lg, device_removal_drops_configuration)
{
	ASSERT_EQ(0, lg_stats_get(&self->s, &self->r));
	EXPECT_EQ(0, self->r.links_gone);

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	run("ip link del lgtest0");
	ASSERT_EQ(0, lg_link_dump(&self->s, &self->r));
	EXPECT_EQ(0, self->r.nmsgs);
	ASSERT_EQ(0, lg_stats_get(&self->s, &self->r));
	EXPECT_EQ(1, self->r.links_gone);

	/* A new device may reuse the number: it starts unconfigured. */
	run("ip link add lgtest0 index 1000 type dummy");
	EXPECT_EQ(-ENOENT, lg_link_get(&self->s, 1000, &self->r));
}

/* A second socket listens, as "lgctl monitor" would. */
TEST_F(lg, notifications_follow_changes)
{
	struct lg_sock mon;
	uint32_t grp;

	ASSERT_EQ(0, lg_open(&mon));
	ASSERT_NE(0, mon.mcgrp_config);
	grp = mon.mcgrp_config;
	ASSERT_EQ(0, lg_join(&mon, grp));

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	ASSERT_EQ(0, lg_recv_ntf(&mon, &self->r));
	EXPECT_EQ(LG_CMD_LINK_NTF, self->r.cmd[0]);
	EXPECT_EQ(self->dummy0, self->r.ifindex[0]);
	EXPECT_STREQ("lgtest0", self->r.ifname[0]);
	EXPECT_EQ(LG_ROLE_ACCESS, self->r.role[0]);

	/* No change, no notification. */
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	EXPECT_EQ(-EAGAIN, lg_recv_ntf(&mon, &self->r));

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_NONE, &self->r));
	ASSERT_EQ(0, lg_recv_ntf(&mon, &self->r));
	EXPECT_EQ(LG_CMD_LINK_DEL_NTF, self->r.cmd[0]);
	EXPECT_STREQ("lgtest0", self->r.ifname[0]);

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy1, LG_ROLE_UPSTREAM, &self->r));
	ASSERT_EQ(0, lg_recv_ntf(&mon, &self->r));
	EXPECT_EQ(LG_CMD_LINK_NTF, self->r.cmd[0]);
	EXPECT_EQ(LG_ROLE_UPSTREAM, self->r.role[0]);
	run("ip link del lgtest1");
	ASSERT_EQ(0, lg_recv_ntf(&mon, &self->r));
	EXPECT_EQ(LG_CMD_LINK_DEL_NTF, self->r.cmd[0]);
	EXPECT_EQ(self->dummy1, self->r.ifindex[0]);
	lg_close(&mon);
}

/* ------------------------------------------------------------------ */
/* LG_CMD_BINDING_NEW                                                 */
/* ------------------------------------------------------------------ */

/* A LG_CMD_BINDING_NEW request: valid as bnew_init() makes it. */
struct bnew {
	uint32_t ifindex, ia_type, iaid, origin;	/* origin 0: absent */
	uint8_t duid[8];
	const uint8_t *cduid;	/* a longer DUID than duid, if set */
	int cduid_len;
	const char *lladdr, *server;
	const uint8_t *mac, *sduid, *ifid;
	int sduid_len, ifid_len;
	uint64_t created;				/* 0: absent */
	bool has_replied;
	uint64_t replied;				/* LG_BINDING_A_REPLIED */
	bool replace;
	int n_leases;
	struct {
		const char *addr;
		uint32_t plen, preferred, valid;
	} lease[6];
	uint32_t omit;		/* 1 << LG_BINDING_A_*: left out */
	uint32_t lease_omit;	/* 1 << LG_LEASE_A_*: left out of lease 0 */
	uint16_t flags;		/* more nlmsg_flags (bnew_init: NLM_F_ECHO) */
	uint16_t extra;		/* an attribute the command does not take */
};

/* What a binding message said. */
struct bview {
	int n;
	struct {
		uint8_t cmd;
		uint64_t id, created, replied;
		uint32_t ifindex, state, origin, del_reason;
		int n_leases, ifid_len;
		bool has_mac, expires[4];
		uint8_t mac[6];
		struct in6_addr lladdr, saddr, addr[4];
		uint32_t plen[4], preferred[4], valid[4];
		uint64_t expiry[4];
	} b[8];
};

static void bnew_init(struct bnew *b, uint32_t ifindex, uint8_t client)
{
	static const uint8_t duid[8] = { 0, 3, 0, 1, 2, 0, 0, 0 };

	memset(b, 0, sizeof(*b));
	b->ifindex = ifindex;
	memcpy(b->duid, duid, sizeof(duid));
	b->duid[7] = client;
	b->ia_type = LG_IA_NA;
	b->iaid = 1;
	b->lladdr = "fe80::1";
	b->server = "2001:db8:f::2";
	b->n_leases = 1;
	b->lease[0].addr = "2001:db8:1::10";
	b->lease[0].plen = 128;
	b->lease[0].preferred = 300;
	b->lease[0].valid = 600;
	b->flags = NLM_F_ECHO;
}

static void put_in6(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, s, &a) != 1)
		abort();
	mnl_attr_put(nlh, type, 16, &a);
}

static int bview_lease_cb(const struct nlattr *attr, void *data)
{
	struct bview *v = data;
	int i = v->b[v->n].n_leases;

	if (i >= 4)
		return MNL_CB_OK;
	switch (mnl_attr_get_type(attr)) {
	case LG_LEASE_A_ADDR:
		memcpy(&v->b[v->n].addr[i], mnl_attr_get_payload(attr), 16);
		break;
	case LG_LEASE_A_PLEN:
		v->b[v->n].plen[i] = mnl_attr_get_u32(attr);
		break;
	case LG_LEASE_A_PREFERRED:
		v->b[v->n].preferred[i] = mnl_attr_get_u32(attr);
		break;
	case LG_LEASE_A_VALID:
		v->b[v->n].valid[i] = mnl_attr_get_u32(attr);
		break;
	case LG_LEASE_A_EXPIRES:
		v->b[v->n].expires[i] = true;
		v->b[v->n].expiry[i] = mnl_attr_get_u64(attr);
		break;
	}
	return MNL_CB_OK;
}

static int bview_attr_cb(const struct nlattr *attr, void *data)
{
	struct bview *v = data;
	typeof(v->b[0]) *b = &v->b[v->n];

	switch (mnl_attr_get_type(attr)) {
	case LG_BINDING_A_ID:
		b->id = mnl_attr_get_u64(attr);
		break;
	case LG_BINDING_A_IFINDEX:
		b->ifindex = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_STATE:
		b->state = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_ORIGIN:
		b->origin = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_DEL_REASON:
		b->del_reason = mnl_attr_get_u32(attr);
		break;
	case LG_BINDING_A_CREATED:
		b->created = mnl_attr_get_u64(attr);
		break;
	case LG_BINDING_A_REPLIED:
		b->replied = mnl_attr_get_u64(attr);
		break;
	case LG_BINDING_A_CLIENT_LLADDR:
		memcpy(&b->lladdr, mnl_attr_get_payload(attr), 16);
		break;
	case LG_BINDING_A_SERVER_ADDR:
		memcpy(&b->saddr, mnl_attr_get_payload(attr), 16);
		break;
	case LG_BINDING_A_CLIENT_MAC:
		b->has_mac = true;
		memcpy(b->mac, mnl_attr_get_payload(attr), 6);
		break;
	case LG_BINDING_A_INTERFACE_ID:
		b->ifid_len = mnl_attr_get_payload_len(attr);
		break;
	case LG_BINDING_A_LEASE:
		mnl_attr_parse_nested(attr, bview_lease_cb, v);
		b->n_leases++;
		break;
	}
	return MNL_CB_OK;
}

static int bview_top_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == LG_A_BINDING)
		return mnl_attr_parse_nested(attr, bview_attr_cb, data);
	return MNL_CB_OK;
}

static int bview_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct bview *v = data;

	if (v->n >= 8)
		return MNL_CB_ERROR;
	memset(&v->b[v->n], 0, sizeof(v->b[0]));
	v->b[v->n].cmd = genl->cmd;
	mnl_attr_parse(nlh, GENL_HDRLEN, bview_top_cb, v);
	v->n++;
	return MNL_CB_OK;
}

static int lg_bnew(struct lg_sock *s, const struct bnew *b, struct bview *v,
		   struct lg_ack *ack)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_BINDING_NEW, b->flags);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING), *ln;
	int i;

#define HAS(a)	(!(b->omit & (1u << (a))))
	if (HAS(LG_BINDING_A_IFINDEX))
		mnl_attr_put_u32(nlh, LG_BINDING_A_IFINDEX, b->ifindex);
	if (HAS(LG_BINDING_A_CLIENT_DUID))
		mnl_attr_put(nlh, LG_BINDING_A_CLIENT_DUID,
			     b->cduid ? b->cduid_len : (int)sizeof(b->duid),
			     b->cduid ? b->cduid : b->duid);
	if (HAS(LG_BINDING_A_IA_TYPE))
		mnl_attr_put_u32(nlh, LG_BINDING_A_IA_TYPE, b->ia_type);
	if (HAS(LG_BINDING_A_IAID))
		mnl_attr_put_u32(nlh, LG_BINDING_A_IAID, b->iaid);
	if (HAS(LG_BINDING_A_CLIENT_LLADDR))
		put_in6(nlh, LG_BINDING_A_CLIENT_LLADDR, b->lladdr);
	if (HAS(LG_BINDING_A_SERVER_ADDR))
		put_in6(nlh, LG_BINDING_A_SERVER_ADDR, b->server);
#undef HAS
	if (b->mac)
		mnl_attr_put(nlh, LG_BINDING_A_CLIENT_MAC, 6, b->mac);
	if (b->sduid)
		mnl_attr_put(nlh, LG_BINDING_A_SERVER_DUID, b->sduid_len,
			     b->sduid);
	if (b->ifid)
		mnl_attr_put(nlh, LG_BINDING_A_INTERFACE_ID, b->ifid_len,
			     b->ifid);
	if (b->created)
		mnl_attr_put_u64(nlh, LG_BINDING_A_CREATED, b->created);
	if (b->origin)
		mnl_attr_put_u32(nlh, LG_BINDING_A_ORIGIN, b->origin);
	if (b->has_replied)
		mnl_attr_put_u64(nlh, LG_BINDING_A_REPLIED, b->replied);
	if (b->replace)
		mnl_attr_put(nlh, LG_BINDING_A_REPLACE, 0, NULL);
	if (b->extra)
		mnl_attr_put_u32(nlh, b->extra, 1);
	for (i = 0; i < b->n_leases; i++) {
		uint32_t om = i ? 0 : b->lease_omit;

		ln = mnl_attr_nest_start(nlh, LG_BINDING_A_LEASE);
		if (!(om & (1u << LG_LEASE_A_ADDR)))
			put_in6(nlh, LG_LEASE_A_ADDR, b->lease[i].addr);
		if (!(om & (1u << LG_LEASE_A_PLEN)))
			mnl_attr_put_u32(nlh, LG_LEASE_A_PLEN, b->lease[i].plen);
		if (!(om & (1u << LG_LEASE_A_PREFERRED)))
			mnl_attr_put_u32(nlh, LG_LEASE_A_PREFERRED,
					 b->lease[i].preferred);
		if (!(om & (1u << LG_LEASE_A_VALID)))
			mnl_attr_put_u32(nlh, LG_LEASE_A_VALID,
					 b->lease[i].valid);
		mnl_attr_nest_end(nlh, ln);
	}
	mnl_attr_nest_end(nlh, nest);
	if (v)
		v->n = 0;
	return lg_talk(s, nlh, v ? bview_cb : NULL, v, ack);
}

/* Dumps the bindings, or gets the one that leases @addr. */
static int lg_bget(struct lg_sock *s, const char *addr, struct bview *v,
		   struct lg_ack *ack)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_BINDING_GET,
				      addr ? 0 : NLM_F_DUMP);

	if (addr) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING);

		put_in6(nlh, LG_BINDING_A_ADDR, addr);
		mnl_attr_nest_end(nlh, nest);
	}
	v->n = 0;
	return lg_talk(s, nlh, bview_cb, v, ack);
}

/* A u32 of LG_A_LINK or LG_A_CONFIG (LG_CMD_LINK_SET, _CONFIG_SET). */
static int lg_set_u32(struct lg_sock *s, uint8_t cmd, uint32_t ifindex,
		      uint16_t attr, uint32_t v, struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, cmd, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, ifindex ? LG_A_LINK :
						  LG_A_CONFIG);

	if (ifindex)
		mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_put_u32(nlh, attr, v);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk_r(s, nlh, r);
}

/* A counter: the namespace's (ifindex 0) or an interface's. */
struct counter_q {
	uint16_t id;
	bool link;
	uint64_t v;
};

static int counter_cb(const struct nlmsghdr *nlh, void *data)
{
	struct counter_q *q = data;
	const struct nlattr *top, *a, *c;

	mnl_attr_for_each(top, nlh, GENL_HDRLEN) {
		if (!q->link && mnl_attr_get_type(top) == LG_A_STATS)
			mnl_attr_for_each_nested(c, top)
				if (mnl_attr_get_type(c) == q->id)
					q->v = mnl_attr_get_u64(c);
		if (!q->link || mnl_attr_get_type(top) != LG_A_LINK)
			continue;
		mnl_attr_for_each_nested(a, top)
			if (mnl_attr_get_type(a) == LG_LINK_A_STATS)
				mnl_attr_for_each_nested(c, a)
					if (mnl_attr_get_type(c) == q->id)
						q->v = mnl_attr_get_u64(c);
	}
	return MNL_CB_OK;
}

static uint64_t lg_counter(struct lg_sock *s, uint32_t ifindex, uint16_t id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct counter_q q = { id, ifindex != 0, ~0ULL };
	struct nlmsghdr *nlh;
	struct lg_ack ack;

	nlh = lg_msg(s, buf, ifindex ? LG_CMD_LINK_GET : LG_CMD_STATS_GET, 0);
	if (ifindex) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

		mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
		mnl_attr_nest_end(nlh, nest);
	}
	if (lg_talk(s, nlh, counter_cb, &q, &ack))
		return ~0ULL;
	return q.v;
}

static bool in6_is(const struct in6_addr *a, const char *s)
{
	struct in6_addr b;

	return inet_pton(AF_INET6, s, &b) == 1 && !memcmp(a, &b, 16);
}

/* A notification of the bindings group into @v (n 0: none in @ms). */
static void lg_bntf(struct lg_sock *mon, struct bview *v, int ms)
{
	v->n = 0;
	lg_recv(mon, ms, bview_cb, v);
}

FIXTURE(bn) {
	struct lg_sock s, mon;
	struct lg_reply r;
	struct lg_ack ack;
	struct bview v;
	struct bnew b;
	uint32_t dummy0, dummy1;
};

FIXTURE_SETUP(bn)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, ns_ip_batch(NULL, "link add lgtest0 type dummy\n"
				       "link add lgtest1 type dummy\n"));
	self->dummy0 = if_nametoindex("lgtest0");
	self->dummy1 = if_nametoindex("lgtest1");
	ASSERT_EQ(0, lg_open(&self->s)) TH_LOG("is leaseguard.ko loaded?");
	ASSERT_EQ(0, lg_open(&self->mon));
	ASSERT_EQ(0, lg_join(&self->mon, self->mon.mcgrp_bindings));
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS,
				 &self->r));
	bnew_init(&self->b, self->dummy0, 1);
}

FIXTURE_TEARDOWN(bn)
{
	lg_close(&self->s);
	lg_close(&self->mon);
}

TEST_F(bn, creates_what_get_dump_and_notifications_show)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 1, 2 };
	static const uint8_t sduid[] = { 0, 3, 0, 1, 2, 0, 0, 0, 0xf, 2 };
	time_t now = time(NULL);
	uint64_t created = lg_counter(&self->s, 0,
				      LG_STATS_A_BINDINGS_CREATED);
	uint64_t id;

	self->b.mac = mac;
	self->b.sduid = sduid;
	self->b.sduid_len = sizeof(sduid);
	self->b.ifid = (const uint8_t *)"acc0";
	self->b.ifid_len = 4;
	self->b.created = now - 86400;
	self->b.origin = LG_BINDING_ORIGIN_LEASEQUERY;
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	/* The reply is the binding, as a get gives it. */
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_CMD_BINDING_NEW, self->v.b[0].cmd);
	id = self->v.b[0].id;
	EXPECT_NE(0, id);
	EXPECT_EQ(self->dummy0, self->v.b[0].ifindex);
	EXPECT_EQ(LG_BINDING_BOUND, self->v.b[0].state);
	EXPECT_EQ(LG_BINDING_ORIGIN_LEASEQUERY, self->v.b[0].origin);
	EXPECT_GE(1, llabs((long long)self->v.b[0].created - (now - 86400)));
	EXPECT_TRUE(in6_is(&self->v.b[0].lladdr, "fe80::1"));
	EXPECT_TRUE(in6_is(&self->v.b[0].saddr, "2001:db8:f::2"));
	EXPECT_TRUE(self->v.b[0].has_mac);
	EXPECT_EQ(4, self->v.b[0].ifid_len);
	ASSERT_EQ(1, self->v.b[0].n_leases);
	EXPECT_TRUE(in6_is(&self->v.b[0].addr[0], "2001:db8:1::10"));
	EXPECT_EQ(300, self->v.b[0].preferred[0]);
	EXPECT_EQ(600, self->v.b[0].valid[0]);
	EXPECT_GE(2, llabs((long long)self->v.b[0].expiry[0] - (now + 600)));

	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_CMD_BINDING_NEW_NTF, self->v.b[0].cmd);
	EXPECT_EQ(id, self->v.b[0].id);
	EXPECT_EQ(LG_BINDING_ORIGIN_LEASEQUERY, self->v.b[0].origin);

	/* A delegated prefix, restored (the default origin), forever. */
	bnew_init(&self->b, self->dummy0, 1);
	self->b.ia_type = LG_IA_PD;
	self->b.iaid = 2;
	self->b.lease[0].addr = "2001:db8:100::";
	self->b.lease[0].plen = 56;
	self->b.lease[0].preferred = 0xffffffff;
	self->b.lease[0].valid = 0xffffffff;
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	EXPECT_EQ(LG_BINDING_ORIGIN_RESTORED, self->v.b[0].origin);
	EXPECT_FALSE(self->v.b[0].expires[0]);
	EXPECT_GE(2, llabs((long long)self->v.b[0].created - now));

	ASSERT_EQ(0, lg_bget(&self->s, NULL, &self->v, &self->ack));
	ASSERT_EQ(2, self->v.n);
	EXPECT_EQ(id, self->v.b[0].id);
	EXPECT_EQ(LG_BINDING_ORIGIN_LEASEQUERY, self->v.b[0].origin);
	EXPECT_EQ(LG_BINDING_ORIGIN_RESTORED, self->v.b[1].origin);
	ASSERT_EQ(0, lg_bget(&self->s, "2001:db8:100:ff::1", &self->v,
			     &self->ack));
	EXPECT_EQ(56, self->v.b[0].plen[0]);
	ASSERT_EQ(0, lg_bget(&self->s, "2001:db8:1::10", &self->v, &self->ack));
	EXPECT_EQ(id, self->v.b[0].id);
	EXPECT_EQ(created + 2, lg_counter(&self->s, 0,
					 LG_STATS_A_BINDINGS_CREATED));
	EXPECT_EQ(2, lg_counter(&self->s, 0, LG_STATS_A_BINDINGS));
}

/* One bad request: what it changes of bnew_init()'s, and what it gets. */
struct bnew_bad {
	const char *what;
	int err;
	const char *msg;	/* NULL: any message */
	uint32_t miss;		/* NLMSGERR_ATTR_MISS_TYPE, or 0 */
};

static void bnew_bad_apply(struct bnew *b, int i, uint32_t dummy1)
{
	static const uint8_t mcast_mac[6] = { 1, 0, 0x5e, 0, 0, 1 };

	switch (i) {
	case 0: b->omit = 1u << LG_BINDING_A_IFINDEX; break;
	case 1: b->omit = 1u << LG_BINDING_A_CLIENT_DUID; break;
	case 2: b->omit = 1u << LG_BINDING_A_IA_TYPE; break;
	case 3: b->omit = 1u << LG_BINDING_A_IAID; break;
	case 4: b->omit = 1u << LG_BINDING_A_CLIENT_LLADDR; break;
	case 5: b->omit = 1u << LG_BINDING_A_SERVER_ADDR; break;
	case 6: b->n_leases = 0; break;
	case 7: b->lease_omit = 1u << LG_LEASE_A_ADDR; break;
	case 8: b->lease_omit = 1u << LG_LEASE_A_VALID; break;
	case 9: b->lladdr = "2001:db8::1"; break;
	case 10: b->lladdr = "ff02::1"; break;
	case 11: b->mac = mcast_mac; break;
	case 12: b->server = "::"; break;
	case 13: b->server = "ff05::1:3"; break;
	case 14: b->lease[0].addr = "fe80::10"; break;
	case 15: b->lease[0].addr = "::"; break;
	case 16: b->lease[0].addr = "ff0e::1"; break;
	case 17: b->lease[0].plen = 64; break;
	case 18: b->ia_type = LG_IA_PD;
		 b->lease[0].addr = "2001:db8:100::1";
		 b->lease[0].plen = 56; break;
	case 19: b->lease[0].preferred = 601; break;
	case 20: b->n_leases = 2;
		 b->lease[1] = b->lease[0]; break;
	case 21: b->n_leases = 5;
		 b->lease[1] = b->lease[0]; b->lease[1].addr = "2001:db8:1::11";
		 b->lease[2] = b->lease[0]; b->lease[2].addr = "2001:db8:1::12";
		 b->lease[3] = b->lease[0]; b->lease[3].addr = "2001:db8:1::13";
		 b->lease[4] = b->lease[0]; b->lease[4].addr = "2001:db8:1::14";
		 break;
	case 22: b->created = time(NULL) + 3600; break;
	case 23: b->origin = LG_BINDING_ORIGIN_SNOOPED; break;
	case 24: b->origin = LG_BINDING_ORIGIN_MAX + 1; break;
	case 25: b->ia_type = LG_IA_MAX + 1; break;
	case 26: b->lease[0].valid = 0; b->lease[0].preferred = 0; break;
	case 27: b->extra = LG_BINDING_A_ID; break;
	case 28: b->flags = NLM_F_REPLACE; break;
	case 29: b->ifindex = 99999; break;
	case 30: b->ifindex = dummy1; break;
	case 31: b->has_replied = true; b->replied = 0; break;
	case 32: b->has_replied = true; b->replied = 1ULL << 63; break;
	}
}

static const struct bnew_bad bnew_bads[] = {
	{ "no ifindex", -EINVAL, NULL, LG_BINDING_A_IFINDEX },
	{ "no duid", -EINVAL, NULL, LG_BINDING_A_CLIENT_DUID },
	{ "no ia type", -EINVAL, NULL, LG_BINDING_A_IA_TYPE },
	{ "no iaid", -EINVAL, NULL, LG_BINDING_A_IAID },
	{ "no lladdr", -EINVAL, NULL, LG_BINDING_A_CLIENT_LLADDR },
	{ "no server", -EINVAL,
	  "leaseguard: a binding needs interface, DUID, IA, IAID, client link-local and server",
	  LG_BINDING_A_SERVER_ADDR },
	{ "no lease", -EINVAL, "leaseguard: a binding needs a lease",
	  LG_BINDING_A_LEASE },
	{ "lease without address", -EINVAL,
	  "leaseguard: a lease needs address, length and lifetimes",
	  LG_LEASE_A_ADDR },
	{ "lease without valid", -EINVAL, NULL, LG_LEASE_A_VALID },
	{ "global lladdr", -EINVAL,
	  "the client's address is a link-local unicast one", 0 },
	{ "multicast lladdr", -EINVAL,
	  "the client's address is a link-local unicast one", 0 },
	{ "multicast mac", -EINVAL, "the client's MAC is a unicast one", 0 },
	{ "server ::", -EINVAL, "the server's address is a unicast one", 0 },
	{ "multicast server", -EINVAL, "the server's address is a unicast one",
	  0 },
	{ "link-local lease", -EINVAL, "a lease is unicast and not link-local",
	  0 },
	{ ":: lease", -EINVAL, "a lease is unicast and not link-local", 0 },
	{ "multicast lease", -EINVAL, "a lease is unicast and not link-local",
	  0 },
	{ "IA_NA /64", -EINVAL, "an IA_NA lease is an address: length 128", 0 },
	{ "host bits", -EINVAL, "the prefix has host bits set", 0 },
	{ "preferred > valid", -EINVAL,
	  "the preferred lifetime is longer than the valid one", 0 },
	{ "a lease twice", -EINVAL, "the same lease twice", 0 },
	{ "five leases", -EINVAL, "a binding holds at most 4 leases", 0 },
	{ "created in the future", -EINVAL,
	  "the binding cannot be created in the future", 0 },
	{ "origin snooped", -ERANGE, "integer out of range", 0 },
	{ "origin past max", -ERANGE, "integer out of range", 0 },
	{ "ia type past max", -ERANGE, "integer out of range", 0 },
	{ "valid 0", -ERANGE, "integer out of range", 0 },
	{ "attribute not taken", -EINVAL, NULL, 0 },
	{ "NLM_F_REPLACE", -EINVAL,
	  "ambiguous or reserved bits set in nlmsg_flags", 0 },
	{ "no such interface", -ENODEV, "not an access interface", 0 },
	{ "not an access interface", -ENODEV, "not an access interface", 0 },
	/* 0 is the store's "unknown"; the time is a signed 64-bit count. */
	{ "replied 0", -ERANGE, "integer out of range", 0 },
	{ "replied past INT64_MAX", -ERANGE, "integer out of range", 0 },
};

/*
 * A lease's expiry is one boottime second: told in realtime, it is one
 * second too, however often and whenever it is read. The module took
 * whole seconds of both clocks, which tick apart: for the fraction of
 * each second between their ticks, it said one second later. Reading for
 * 1.1 s sees both values unless the clocks' fractions lie within a
 * reading of each other (odds of a few in a thousand).
 */
TEST_F_TIMEOUT(bn, realtime_of_a_lease_does_not_flicker, 30)
{
	struct timespec t0;
	uint64_t first;
	int reads = 0;

	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, NULL, &self->ack));
	ASSERT_EQ(0, lg_bget(&self->s, "2001:db8:1::10", &self->v, &self->ack));
	ASSERT_TRUE(self->v.b[0].expires[0]);
	first = self->v.b[0].expiry[0];
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (ms_since(&t0) < 1100) {
		ASSERT_EQ(0, lg_bget(&self->s, reads & 1 ? NULL :
				     "2001:db8:1::10", &self->v, &self->ack));
		ASSERT_EQ(1, self->v.n);
		ASSERT_EQ(first, self->v.b[0].expiry[0])
			TH_LOG("read %d of %s", reads, reads & 1 ? "the dump" :
			       "get");
		reads++;
	}
	TH_LOG("%d reads", reads);
}

TEST_F(bn, rejects_each_bad_request_and_says_why)
{
	unsigned int i;
	struct bview v;

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy1, LG_ROLE_UPSTREAM,
				 &self->r));
	for (i = 0; i < sizeof(bnew_bads) / sizeof(bnew_bads[0]); i++) {
		const struct bnew_bad *t = &bnew_bads[i];

		bnew_init(&self->b, self->dummy0, 1);
		bnew_bad_apply(&self->b, i, self->dummy1);
		EXPECT_EQ(t->err, lg_bnew(&self->s, &self->b, NULL, &self->ack))
			TH_LOG("%s: %s", t->what, self->ack.msg);
		EXPECT_STRNE("", self->ack.msg) TH_LOG("%s", t->what);
		if (t->msg)
			EXPECT_STREQ(t->msg, self->ack.msg) TH_LOG("%s", t->what);
		if (t->miss)
			EXPECT_EQ(t->miss, self->ack.miss_type)
				TH_LOG("%s", t->what);
	}
	/* Nothing was made, nobody was told. */
	ASSERT_EQ(0, lg_bget(&self->s, NULL, &v, &self->ack));
	EXPECT_EQ(0, v.n);
	lg_bntf(&self->mon, &v, 100);
	EXPECT_EQ(0, v.n);
}

TEST_F(bn, refuses_an_existing_key_a_held_lease_and_past_the_limits)
{
	struct bnew other;
	uint64_t limited;

	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, NULL, &self->ack));
	EXPECT_EQ(-EEXIST, lg_bnew(&self->s, &self->b, NULL, &self->ack));
	EXPECT_STREQ("leaseguard: the interface has a binding of this IA (replace it?)",
		     self->ack.msg);

	/* Another client, the first one's address: the first keeps it. */
	bnew_init(&other, self->dummy0, 2);
	other.n_leases = 2;
	other.lease[1] = other.lease[0];
	other.lease[0].addr = "2001:db8:1::20";
	EXPECT_EQ(-EADDRINUSE, lg_bnew(&self->s, &other, NULL, &self->ack));
	EXPECT_STREQ("another binding on the interface holds this lease",
		     self->ack.msg);
	EXPECT_NE(0, self->ack.offs);
	ASSERT_EQ(0, lg_bget(&self->s, "2001:db8:1::10", &self->v, &self->ack));
	EXPECT_EQ(1, self->v.n);
	EXPECT_EQ(-ENOENT, lg_bget(&self->s, "2001:db8:1::20", &self->v,
				   &self->ack));
	/* A prefix held is held too; another length of it is another lease. */
	other.n_leases = 1;
	other.ia_type = LG_IA_PD;
	other.lease[0].addr = "2001:db8:100::";
	other.lease[0].plen = 56;
	ASSERT_EQ(0, lg_bnew(&self->s, &other, NULL, &self->ack));
	other.iaid = 9;
	EXPECT_EQ(-EADDRINUSE, lg_bnew(&self->s, &other, NULL, &self->ack));
	bnew_init(&other, self->dummy0, 3);
	other.ia_type = LG_IA_PD;
	other.lease[0].addr = "2001:db8:100::";
	other.lease[0].plen = 64;
	ASSERT_EQ(0, lg_bnew(&self->s, &other, NULL, &self->ack))
		TH_LOG("%s", self->ack.msg);

	/* The namespace's limit: 3 bindings now, refused and counted. */
	limited = lg_counter(&self->s, 0, LG_STATS_A_BINDINGS_LIMITED);
	ASSERT_EQ(0, lg_set_u32(&self->s, LG_CMD_CONFIG_SET, 0,
				LG_CONFIG_A_MAX_BINDINGS, 3, &self->r));
	bnew_init(&other, self->dummy0, 4);
	other.lease[0].addr = "2001:db8:1::40";
	EXPECT_EQ(-ENOSPC, lg_bnew(&self->s, &other, NULL, &self->ack));
	EXPECT_STREQ("leaseguard: binding limit reached", self->ack.msg);
	EXPECT_EQ(limited + 1, lg_counter(&self->s, 0,
					  LG_STATS_A_BINDINGS_LIMITED));
	/* An update is no new binding: it passes. */
	self->b.replace = true;
	EXPECT_EQ(0, lg_bnew(&self->s, &self->b, NULL, &self->ack));

	/* The interface's own limit, counted on the interface. */
	ASSERT_EQ(0, lg_set_u32(&self->s, LG_CMD_CONFIG_SET, 0,
				LG_CONFIG_A_MAX_BINDINGS, 100, &self->r));
	ASSERT_EQ(0, lg_set_u32(&self->s, LG_CMD_LINK_SET, self->dummy0,
				LG_LINK_A_MAX_BINDINGS, 3, &self->r));
	EXPECT_EQ(-ENOSPC, lg_bnew(&self->s, &other, NULL, &self->ack));
	EXPECT_EQ(1, lg_counter(&self->s, self->dummy0,
				LG_LINK_STATS_A_BINDINGS_LIMITED));
	ASSERT_EQ(0, lg_set_u32(&self->s, LG_CMD_LINK_SET, self->dummy0,
				LG_LINK_A_MAX_BINDINGS, 4, &self->r));
	EXPECT_EQ(0, lg_bnew(&self->s, &other, NULL, &self->ack));
	EXPECT_EQ(4, lg_counter(&self->s, 0, LG_STATS_A_BINDINGS));
}

TEST_F(bn, replace_keeps_id_created_state_and_anchor)
{
	static const uint8_t mac1[6] = { 2, 0, 0, 0, 1, 2 };
	static const uint8_t mac2[6] = { 2, 0, 0, 0, 1, 3 };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint64_t id, created;
	time_t now = time(NULL);

	/* Replacing what does not exist creates it. */
	self->b.replace = true;
	self->b.mac = mac1;
	self->b.created = now - 5000;
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack));
	id = self->v.b[0].id;
	created = self->v.b[0].created;
	lg_bntf(&self->mon, &self->v, 1000);
	EXPECT_EQ(LG_CMD_BINDING_NEW_NTF, self->v.b[0].cmd);

	nlh = lg_msg(&self->s, buf, LG_CMD_BINDING_RELEASE, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	mnl_attr_put_u64(nlh, LG_BINDING_A_ID, id);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, lg_talk_r(&self->s, nlh, &self->r));
	lg_bntf(&self->mon, &self->v, 1000);
	EXPECT_EQ(LG_BINDING_RELEASING, self->v.b[0].state);

	/* Another anchor, server, leases and origin; an interface-id. */
	bnew_init(&self->b, self->dummy0, 1);
	self->b.replace = true;
	self->b.lladdr = "fe80::2";
	self->b.mac = mac2;
	self->b.ifid = (const uint8_t *)"x";
	self->b.ifid_len = 1;
	self->b.server = "2001:db8:f::3";
	self->b.origin = LG_BINDING_ORIGIN_SYNCED;
	self->b.created = now - 10;
	self->b.lease[0].addr = "2001:db8:1::20";
	self->b.lease[0].valid = 900;
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	EXPECT_EQ(LG_CMD_BINDING_NEW, self->v.b[0].cmd);
	EXPECT_EQ(id, self->v.b[0].id);
	EXPECT_GE(1, llabs((long long)(self->v.b[0].created - created)));
	EXPECT_EQ(LG_BINDING_RELEASING, self->v.b[0].state);
	EXPECT_EQ(LG_BINDING_ORIGIN_SYNCED, self->v.b[0].origin);
	EXPECT_TRUE(in6_is(&self->v.b[0].lladdr, "fe80::1"));
	EXPECT_EQ(0, memcmp(self->v.b[0].mac, mac1, 6));
	EXPECT_EQ(1, self->v.b[0].ifid_len);
	EXPECT_TRUE(in6_is(&self->v.b[0].saddr, "2001:db8:f::3"));
	ASSERT_EQ(1, self->v.b[0].n_leases);
	EXPECT_TRUE(in6_is(&self->v.b[0].addr[0], "2001:db8:1::20"));
	EXPECT_EQ(900, self->v.b[0].valid[0]);

	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_CMD_BINDING_UPD_NTF, self->v.b[0].cmd);
	EXPECT_EQ(LG_BINDING_ORIGIN_SYNCED, self->v.b[0].origin);
	EXPECT_EQ(-ENOENT, lg_bget(&self->s, "2001:db8:1::10", &self->v,
				   &self->ack));
	ASSERT_EQ(0, lg_bget(&self->s, "2001:db8:1::20", &self->v, &self->ack));
	EXPECT_EQ(id, self->v.b[0].id);
	EXPECT_EQ(1, lg_counter(&self->s, 0, LG_STATS_A_BINDINGS_CREATED));
}

TEST_F(bn, the_binding_comes_back_only_with_echo)
{
	uint64_t id;

	/* As leaseguardd restores: NLM_F_ACK alone, the ACK alone. */
	self->b.flags = 0;
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	EXPECT_EQ(0, self->v.n);
	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_CMD_BINDING_NEW_NTF, self->v.b[0].cmd);
	id = self->v.b[0].id;
	ASSERT_EQ(0, lg_bget(&self->s, "2001:db8:1::10", &self->v, &self->ack));
	EXPECT_EQ(id, self->v.b[0].id);

	/* NLM_F_ECHO (lgctl binding add): the binding, then the ACK. */
	self->b.flags = NLM_F_ECHO;
	self->b.replace = true;
	self->b.lease[0].valid = 900;
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_CMD_BINDING_NEW, self->v.b[0].cmd);
	EXPECT_EQ(id, self->v.b[0].id);
	EXPECT_EQ(900, self->v.b[0].valid[0]);
}

/* CLOCK_REALTIME ms, as LG_BINDING_A_REPLIED counts. */
static uint64_t real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * LG_BINDING_A_REPLIED: the request's, or now; a REPLACE takes the
 * request's too. A partner's clock may be ahead of this one: a time in
 * the future is taken as it is. The release state leaves it.
 */
TEST_F(bn, replied_is_the_requests_or_now)
{
	uint64_t before, after, id, past = real_ms() - 86400000 + 123;
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct bnew other;

	before = real_ms();
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	after = real_ms();
	ASSERT_EQ(1, self->v.n);
	id = self->v.b[0].id;
	EXPECT_LE(before, self->v.b[0].replied);
	EXPECT_GE(after, self->v.b[0].replied);
	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_LE(before, self->v.b[0].replied);
	EXPECT_GE(after, self->v.b[0].replied);

	/* A partner's binding, synced with its server transaction's time. */
	self->b.replace = true;
	self->b.has_replied = true;
	self->b.replied = past;
	self->b.origin = LG_BINDING_ORIGIN_SYNCED;
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	EXPECT_EQ(id, self->v.b[0].id);
	EXPECT_EQ(past, self->v.b[0].replied);
	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_CMD_BINDING_UPD_NTF, self->v.b[0].cmd);
	EXPECT_EQ(past, self->v.b[0].replied);

	/* Marked releasing and back: the server's time stays. */
	nlh = lg_msg(&self->s, buf, LG_CMD_BINDING_RELEASE, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	mnl_attr_put_u64(nlh, LG_BINDING_A_ID, id);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, lg_talk_r(&self->s, nlh, &self->r));
	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_BINDING_RELEASING, self->v.b[0].state);
	EXPECT_EQ(past, self->v.b[0].replied);
	nlh = lg_msg(&self->s, buf, LG_CMD_BINDING_RELEASE, 0);
	nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	mnl_attr_put_u64(nlh, LG_BINDING_A_ID, id);
	mnl_attr_put(nlh, LG_BINDING_A_RELEASE_CANCEL, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(0, lg_talk_r(&self->s, nlh, &self->r));
	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_BINDING_BOUND, self->v.b[0].state);
	EXPECT_EQ(past, self->v.b[0].replied);

	/* A REPLACE without one: now, as a REPLY seen here would make it. */
	self->b.has_replied = false;
	before = real_ms();
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	after = real_ms();
	EXPECT_EQ(id, self->v.b[0].id);
	EXPECT_LE(before, self->v.b[0].replied);
	EXPECT_GE(after, self->v.b[0].replied);
	lg_bntf(&self->mon, &self->v, 1000);

	/* 5 s ahead of this clock (the partner's runs fast): taken as is. */
	bnew_init(&other, self->dummy0, 2);
	other.lease[0].addr = "2001:db8:1::20";
	other.has_replied = true;
	other.replied = real_ms() + 5000;
	ASSERT_EQ(0, lg_bnew(&self->s, &other, &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	EXPECT_EQ(other.replied, self->v.b[0].replied);
	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_CMD_BINDING_NEW_NTF, self->v.b[0].cmd);
	EXPECT_EQ(other.replied, self->v.b[0].replied);

	/* Dumps and gets tell the same. */
	ASSERT_EQ(0, lg_bget(&self->s, NULL, &self->v, &self->ack));
	ASSERT_EQ(2, self->v.n);
	EXPECT_LE(before, self->v.b[0].replied);
	EXPECT_GE(after, self->v.b[0].replied);
	EXPECT_EQ(other.replied, self->v.b[1].replied);
	ASSERT_EQ(0, lg_bget(&self->s, "2001:db8:1::20", &self->v, &self->ack));
	EXPECT_EQ(other.replied, self->v.b[0].replied);
}

/* A binding's ID as a request's LG_A_BINDING, for RELEASE and DEL. */
static int lg_bid(struct lg_sock *s, uint8_t cmd, uint64_t id,
		  struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, cmd, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING);

	mnl_attr_put_u64(nlh, LG_BINDING_A_ID, id);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk_r(s, nlh, r);
}

/*
 * Binding messages are sized to the binding: the largest one (longest
 * DUIDs, interface-id and interface name, a MAC, every lease, RELEASING)
 * must still fit each message that carries it.
 */
TEST_F(bn, the_largest_binding_fits_each_message)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 1, 2 };
	uint8_t cduid[130], sduid[130], ifid[32];
	uint64_t id;
	int i;

	memset(cduid, 0xc1, sizeof(cduid));
	memset(sduid, 0x5e, sizeof(sduid));
	memset(ifid, 'i', sizeof(ifid));
	cduid[0] = sduid[0] = 0;
	cduid[1] = sduid[1] = 2;
	ASSERT_EQ(0, ns_ip_batch(NULL, "link set lgtest0 name lgtest0-abcdefg\n"));
	self->b.cduid = cduid;
	self->b.cduid_len = sizeof(cduid);
	self->b.sduid = sduid;
	self->b.sduid_len = sizeof(sduid);
	self->b.ifid = ifid;
	self->b.ifid_len = sizeof(ifid);
	self->b.mac = mac;
	self->b.n_leases = 4;
	self->b.lease[1] = self->b.lease[2] = self->b.lease[3] =
		self->b.lease[0];
	self->b.lease[1].addr = "2001:db8:1::11";
	self->b.lease[2].addr = "2001:db8:1::12";
	self->b.lease[3].addr = "2001:db8:1::13";
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(4, self->v.b[0].n_leases);
	EXPECT_EQ(32, self->v.b[0].ifid_len);
	id = self->v.b[0].id;
	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_CMD_BINDING_NEW_NTF, self->v.b[0].cmd);
	EXPECT_EQ(4, self->v.b[0].n_leases);

	ASSERT_EQ(0, lg_bid(&self->s, LG_CMD_BINDING_RELEASE, id, &self->r));
	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_BINDING_RELEASING, self->v.b[0].state);

	/* A REPLACE keeps the interface-id it does not give. */
	self->b.ifid = NULL;
	self->b.replace = true;
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_BINDING_RELEASING, self->v.b[0].state);
	EXPECT_EQ(32, self->v.b[0].ifid_len);
	EXPECT_EQ(4, self->v.b[0].n_leases);
	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_CMD_BINDING_UPD_NTF, self->v.b[0].cmd);

	ASSERT_EQ(0, lg_bget(&self->s, "2001:db8:1::13", &self->v, &self->ack))
		TH_LOG("%s", self->ack.msg);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(4, self->v.b[0].n_leases);
	for (i = 0; i < 4; i++)
		EXPECT_TRUE(self->v.b[0].expires[i]);

	ASSERT_EQ(0, lg_bid(&self->s, LG_CMD_BINDING_DEL, id, &self->r));
	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_CMD_BINDING_DEL_NTF, self->v.b[0].cmd);
	EXPECT_NE(0, self->v.b[0].del_reason);
	EXPECT_EQ(4, self->v.b[0].n_leases);
}

TEST_F_TIMEOUT(bn, a_lease_ends_when_its_remaining_valid_lifetime_does, 30)
{
	struct timespec t0, t1;

	self->b.lease[0].preferred = 1;
	self->b.lease[0].valid = 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, NULL, &self->ack));
	lg_bntf(&self->mon, &self->v, 1000);
	ASSERT_EQ(LG_CMD_BINDING_NEW_NTF, self->v.b[0].cmd);
	lg_bntf(&self->mon, &self->v, 5000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ASSERT_EQ(1, self->v.n);
	EXPECT_EQ(LG_CMD_BINDING_DEL_NTF, self->v.b[0].cmd);
	EXPECT_EQ(LG_BINDING_DEL_EXPIRED, self->v.b[0].del_reason);
	EXPECT_EQ(LG_BINDING_ORIGIN_RESTORED, self->v.b[0].origin);
	/* Two seconds (the wheel turns each second), not one less. */
	EXPECT_LE(1, t1.tv_sec - t0.tv_sec);
	EXPECT_GE(4, t1.tv_sec - t0.tv_sec);
	EXPECT_EQ(1, lg_counter(&self->s, 0, LG_STATS_A_LEASES_EXPIRED));
}

#define FAIL_INSERT "/sys/module/leaseguard/parameters/fail_binding_insert"

/* Out of memory at the insert (the module's test knob): nothing changes. */
TEST_F(bn, a_failed_insert_changes_nothing)
{
	uint64_t id;

	ASSERT_EQ(0, write_file(FAIL_INSERT, "1\n"));
	EXPECT_EQ(-ENOMEM, lg_bnew(&self->s, &self->b, NULL, &self->ack));
	EXPECT_STREQ("leaseguard: no memory for the binding", self->ack.msg);
	ASSERT_EQ(0, lg_bget(&self->s, NULL, &self->v, &self->ack));
	EXPECT_EQ(0, self->v.n);
	lg_bntf(&self->mon, &self->v, 100);
	EXPECT_EQ(0, self->v.n);

	/* A replace that fails keeps the binding as it was. */
	ASSERT_EQ(0, lg_bnew(&self->s, &self->b, &self->v, &self->ack));
	id = self->v.b[0].id;
	lg_bntf(&self->mon, &self->v, 1000);
	self->b.replace = true;
	self->b.lease[0].addr = "2001:db8:1::20";
	ASSERT_EQ(0, write_file(FAIL_INSERT, "1\n"));
	EXPECT_EQ(-ENOMEM, lg_bnew(&self->s, &self->b, NULL, &self->ack));
	ASSERT_EQ(0, lg_bget(&self->s, "2001:db8:1::10", &self->v, &self->ack));
	EXPECT_EQ(id, self->v.b[0].id);
	EXPECT_EQ(-ENOENT, lg_bget(&self->s, "2001:db8:1::20", &self->v,
				   &self->ack));
	lg_bntf(&self->mon, &self->v, 100);
	EXPECT_EQ(0, self->v.n);
	EXPECT_EQ(0, lg_bnew(&self->s, &self->b, NULL, &self->ack));
}

/* Runs @fn in a child that has given up root; returns the child's status. */
static int as_nobody(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(100);
		_exit(fn(arg));
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 101;
}

struct unpriv_arg {
	uint32_t ifindex;
	bool new_userns;
};

/* Exit 0 when a set is refused with EPERM and a get still works. */
static int unpriv_set(void *data)
{
	struct unpriv_arg *a = data;
	struct lg_reply *r = calloc(1, sizeof(*r));
	struct lg_sock s;

	if (!r)
		return 102;
	/* Root of its own user namespace, but not of the netns's owner. */
	if (a->new_userns && unshare(CLONE_NEWUSER))
		return 103;
	if (lg_open(&s))
		return 104;
	if (lg_link_set(&s, a->ifindex, LG_ROLE_NONE, r) != -EPERM)
		return 1;
	if (lg_link_get(&s, a->ifindex, r) != 0 || r->role[0] != LG_ROLE_ACCESS)
		return 2;
	{
		char buf[MNL_SOCKET_BUFFER_SIZE];
		struct nlmsghdr *nlh = lg_msg(&s, buf, LG_CMD_BINDING_RELEASE,
					      0);
		struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING);

		mnl_attr_put(nlh, LG_BINDING_A_ALL, 0, NULL);
		mnl_attr_nest_end(nlh, nest);
		if (lg_talk_r(&s, nlh, r) != -EPERM)
			return 3;
	}
	{
		struct bnew b;
		struct lg_ack ack;

		bnew_init(&b, a->ifindex, 1);
		if (lg_bnew(&s, &b, NULL, &ack) != -EPERM)
			return 4;
	}
	return 0;
}

TEST_F(lg, unprivileged_caller_cannot_mutate)
{
	struct unpriv_arg a = { .ifindex = self->dummy0 };
	struct bview v;

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	EXPECT_EQ(0, as_nobody(unpriv_set, &a));
	a.new_userns = true;
	EXPECT_EQ(0, as_nobody(unpriv_set, &a));
	ASSERT_EQ(0, lg_link_get(&self->s, self->dummy0, &self->r));
	EXPECT_EQ(LG_ROLE_ACCESS, self->r.role[0]);
	/* Nor did a binding come into this namespace. */
	ASSERT_EQ(0, lg_bget(&self->s, NULL, &v, &self->r.ack));
	EXPECT_EQ(0, v.n);
}

/* A request with one empty nest (or none), for the permission checks. */
static int lg_req(struct lg_sock *s, uint8_t cmd, uint16_t flags,
		  uint16_t nest_type, struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, cmd, flags);

	if (nest_type)
		mnl_attr_nest_end(nlh, mnl_attr_nest_start(nlh, nest_type));
	return lg_talk_r(s, nlh, r);
}

static int lg_savi_add(struct lg_sock *s, uint32_t ifindex, struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_SAVI_ADD, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_SAVI);
	uint8_t addr[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	mnl_attr_put_u32(nlh, LG_SAVI_A_IFINDEX, ifindex);
	mnl_attr_put(nlh, LG_SAVI_A_ADDR, sizeof(addr), addr);
	mnl_attr_put_u32(nlh, LG_SAVI_A_PLEN, 64);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk_r(s, nlh, r);
}

/*
 * Subscriber data (bindings, static SAVI entries, multicast groups) and
 * their notification groups are the admin's; links, counters and the
 * configuration stay public. Exit 0 when @s sees exactly that, else the
 * number of the first check that failed.
 */
static int lg_check_unpriv_view(struct lg_sock *s, struct lg_reply *r)
{
	uint32_t grp;

	if (lg_req(s, LG_CMD_BINDING_GET, NLM_F_DUMP, 0, r) != -EPERM)
		return 10;
	if (lg_req(s, LG_CMD_BINDING_GET, 0, LG_A_BINDING, r) != -EPERM)
		return 11;
	if (lg_req(s, LG_CMD_SAVI_GET, NLM_F_DUMP, 0, r) != -EPERM)
		return 12;
	if (lg_req(s, LG_CMD_MC_GROUP_GET, NLM_F_DUMP, 0, r) != -EPERM)
		return 13;
	if (lg_req(s, LG_CMD_MC_GROUP_GET, 0, LG_A_MC_GROUP, r) != -EPERM)
		return 14;
	if (lg_req(s, LG_CMD_BINDING_NEW, 0, LG_A_BINDING, r) != -EPERM)
		return 18;
	grp = s->mcgrp_bindings;
	if (!grp || lg_join(s, grp) != -1 || errno != EPERM)
		return 15;
	grp = s->mcgrp_mcast;
	if (!grp || lg_join(s, grp) != -1 || errno != EPERM)
		return 16;
	if (setsockopt(mnl_socket_get_fd(s->nl), SOL_NETLINK,
		       NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)) != -1 ||
	    errno != EPERM)
		return 17;

	if (lg_link_dump(s, r) || r->nmsgs != 1 || r->role[0] != LG_ROLE_ACCESS)
		return 20;
	if (lg_stats_get(s, r))
		return 21;
	if (lg_req(s, LG_CMD_CONFIG_GET, 0, 0, r))
		return 22;
	if (lg_req(s, LG_CMD_MCAST_GET, NLM_F_DUMP, 0, r) || r->nmsgs != 2)
		return 23;
	if (lg_join(s, s->mcgrp_config))
		return 24;
	return 0;
}

static int unpriv_read(void *data)
{
	struct unpriv_arg *a = data;
	struct lg_reply *r = calloc(1, sizeof(*r));
	struct lg_sock s;

	if (!r)
		return 102;
	if (a->new_userns && unshare(CLONE_NEWUSER))
		return 103;
	if (lg_open(&s))
		return 104;
	return lg_check_unpriv_view(&s, r);
}

TEST_F(lg, unprivileged_caller_cannot_read_subscribers)
{
	struct unpriv_arg a = { .ifindex = self->dummy0 };

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	ASSERT_EQ(0, lg_savi_add(&self->s, self->dummy0, &self->r));
	EXPECT_EQ(0, as_nobody(unpriv_read, &a)) TH_LOG("plain uid");
	a.new_userns = true;
	EXPECT_EQ(0, as_nobody(unpriv_read, &a)) TH_LOG("own user namespace");

	/* The admin sees all of it. */
	ASSERT_EQ(0, lg_req(&self->s, LG_CMD_SAVI_GET, NLM_F_DUMP, 0, &self->r));
	EXPECT_EQ(1, self->r.nmsgs);
	ASSERT_EQ(0, lg_req(&self->s, LG_CMD_BINDING_GET, NLM_F_DUMP, 0, &self->r));
	ASSERT_EQ(0, lg_req(&self->s, LG_CMD_MC_GROUP_GET, NLM_F_DUMP, 0,
			    &self->r));
	EXPECT_EQ(0, lg_join(&self->s, self->s.mcgrp_bindings));
	EXPECT_EQ(0, lg_join(&self->s, self->s.mcgrp_mcast));
}

/*
 * "unshare -Urn" as nobody: the user owns a network namespace and manages
 * leaseguard in it, subscriber data included, but its socket left in the
 * namespace it came from still sees only the public part.
 */
static int unpriv_own_netns(void *data)
{
	struct unpriv_arg *a = data;
	struct lg_reply *r = calloc(1, sizeof(*r));
	struct lg_sock outer, s;
	struct lg_ack ack;
	uint32_t ifindex;
	struct bnew b;

	if (!r)
		return 102;
	/* setuid() made us undumpable: /proc/self/uid_map would be root's. */
	if (prctl(PR_SET_DUMPABLE, 1) || lg_open(&outer))
		return 103;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET) ||
	    write_file("/proc/self/setgroups", "deny") ||
	    write_file("/proc/self/uid_map", "0 65534 1") ||
	    write_file("/proc/self/gid_map", "0 65534 1"))
		return 104;
	if (system("ip link add lgown0 type dummy"))
		return 105;
	ifindex = if_nametoindex("lgown0");
	if (!ifindex || lg_open(&s))
		return 106;

	if (lg_link_set(&s, ifindex, LG_ROLE_ACCESS, r))
		return 1;
	if (lg_savi_add(&s, ifindex, r))
		return 2;
	if (lg_req(&s, LG_CMD_SAVI_GET, NLM_F_DUMP, 0, r) || r->nmsgs != 1)
		return 3;
	if (lg_req(&s, LG_CMD_BINDING_GET, NLM_F_DUMP, 0, r))
		return 4;
	if (lg_req(&s, LG_CMD_MC_GROUP_GET, NLM_F_DUMP, 0, r))
		return 5;
	if (lg_join(&s, s.mcgrp_bindings) || lg_join(&s, s.mcgrp_mcast))
		return 6;
	bnew_init(&b, ifindex, 1);
	if (lg_bnew(&s, &b, NULL, &ack))
		return 7;

	/* Root here is nobody there, even for a binding on its interface. */
	bnew_init(&b, a->ifindex, 1);
	if (lg_bnew(&outer, &b, NULL, &ack) != -EPERM)
		return 8;
	return lg_check_unpriv_view(&outer, r);
}

TEST_F(lg, userns_admin_owns_only_its_netns)
{
	struct unpriv_arg a = { .ifindex = self->dummy0 };
	struct bview v;

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	EXPECT_EQ(0, as_nobody(unpriv_own_netns, &a));
	/* Nor did a binding come into this namespace. */
	ASSERT_EQ(0, lg_bget(&self->s, NULL, &v, &self->r.ack));
	EXPECT_EQ(0, v.n);
}

/* The "kernel" line of a cgroup's memory.stat, in bytes. */
static int lg_memcg_kernel(const char *cg, long *v)
{
	char path[128], key[64];
	long val;
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "%s/memory.stat", cg);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &val) == 2)
		if (!strcmp(key, "kernel")) {
			*v = val;
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}

/*
 * The state a namespace's admin creates is charged to the admin's memory
 * cgroup: the first access link brings the pending-request table (about
 * 280 KiB of kernel memory), where the child itself allocates next to no
 * kernel memory. memory.stat is flushed every 2 s: wait for it.
 */
TEST_F(lg, namespace_state_is_charged_to_the_admin)
{
	const char *cg = "/sys/fs/cgroup/lgtest";
	long before, after;
	char pid[32];
	pid_t child;
	int status;

	if (system("mountpoint -q /sys/fs/cgroup || mount -t cgroup2 none /sys/fs/cgroup") ||
	    write_file("/sys/fs/cgroup/cgroup.subtree_control", "+memory") ||
	    (mkdir(cg, 0755) && errno != EEXIST))
		SKIP(return, "no cgroup v2 memory controller");

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		snprintf(pid, sizeof(pid), "%d", getpid());
		if (write_file("/sys/fs/cgroup/lgtest/cgroup.procs", pid))
			_exit(2);
		sleep(3);
		if (lg_memcg_kernel(cg, &before))
			_exit(2);
		if (lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS,
				&self->r))
			_exit(3);
		sleep(3);
		if (lg_memcg_kernel(cg, &after))
			_exit(2);
		fprintf(stderr, "# charged %ld KiB of kernel memory\n",
			(after - before) / 1024);
		_exit(after - before >= 256 * 1024 ? 0 : 1);
	}
	waitpid(child, &status, 0);
	rmdir(cg);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* LG_A_LINK whose IFINDEX (1) carries @type_flags. */
static struct nlmsghdr *lg_msg_attr_flags(struct lg_sock *s, char *buf,
					  uint8_t cmd, uint16_t flags,
					  uint16_t type_flags)
{
	struct nlmsghdr *nlh = lg_msg(s, buf, cmd, flags);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);
	struct nlattr *ifi = mnl_nlmsg_get_payload_tail(nlh);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, 1);
	ifi->nla_type |= type_flags;
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* Every rejection leaseguard itself makes says why. */
TEST_F(lg, missing_attributes_have_a_message)
{
	static const struct { uint8_t cmd; uint16_t attr; } reqs[] = {
		{ LG_CMD_LINK_SET, LG_A_LINK },
		{ LG_CMD_LINK_GET, LG_A_LINK },
		{ LG_CMD_CONFIG_SET, LG_A_CONFIG },
		{ LG_CMD_BINDING_GET, LG_A_BINDING },
		{ LG_CMD_BINDING_DEL, LG_A_BINDING },
		{ LG_CMD_BINDING_RELEASE, LG_A_BINDING },
		{ LG_CMD_BINDING_NEW, LG_A_BINDING },
		{ LG_CMD_SAVI_ADD, LG_A_SAVI },
		{ LG_CMD_SAVI_DEL, LG_A_SAVI },
		{ LG_CMD_MCAST_GET, LG_A_MCAST },
		{ LG_CMD_MCAST_SET, LG_A_MCAST },
		{ LG_CMD_MC_GROUP_GET, LG_A_MC_GROUP },
	};
	unsigned int i;

	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		EXPECT_EQ(-EINVAL, lg_req(&self->s, reqs[i].cmd, 0, 0,
					  &self->r)) TH_LOG("cmd %u", reqs[i].cmd);
		EXPECT_EQ(reqs[i].attr, self->r.ack.miss_type)
			TH_LOG("cmd %u", reqs[i].cmd);
		EXPECT_STRNE("", self->r.ack.msg) TH_LOG("cmd %u", reqs[i].cmd);
	}
}

TEST_F(lg, net_byteorder_is_rejected)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = lg_msg_attr_flags(&self->s, buf, LG_CMD_LINK_GET, 0,
				NLA_F_NET_BYTEORDER);
	EXPECT_EQ(-EINVAL, lg_talk_r(&self->s, nlh, &self->r));
	EXPECT_STREQ("leaseguard: attributes are in host byte order",
		     self->r.ack.msg);
	EXPECT_NE(0, self->r.ack.offs);

	/* A dump's filter too: the message comes in NLMSG_DONE. */
	nlh = lg_msg(&self->s, buf, LG_CMD_SAVI_GET, NLM_F_DUMP);
	{
		struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_SAVI);
		struct nlattr *ifi = mnl_nlmsg_get_payload_tail(nlh);

		mnl_attr_put_u32(nlh, LG_SAVI_A_IFINDEX, self->dummy0);
		ifi->nla_type |= NLA_F_NET_BYTEORDER;
		mnl_attr_nest_end(nlh, nest);
	}
	EXPECT_EQ(-EINVAL, lg_talk_r(&self->s, nlh, &self->r));
	EXPECT_STREQ("leaseguard: attributes are in host byte order",
		     self->r.ack.msg);

	/* Host order as usual still works. */
	nlh = lg_msg_attr_flags(&self->s, buf, LG_CMD_LINK_GET, 0, 0);
	EXPECT_EQ(-ENOENT, lg_talk_r(&self->s, nlh, &self->r));
}

TEST_F(lg, newer_version_is_rejected)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	int version;

	for (version = 0; version <= 0xff; version += 0xff) {
		nlh = lg_msg(&self->s, buf, LG_CMD_STATS_GET, 0);
		genl = mnl_nlmsg_get_payload(nlh);
		genl->version = version;
		EXPECT_EQ(version ? -EOPNOTSUPP : 0,
			  lg_talk_r(&self->s, nlh, &self->r));
		nlh = lg_msg(&self->s, buf, LG_CMD_LINK_GET, NLM_F_DUMP);
		genl = mnl_nlmsg_get_payload(nlh);
		genl->version = version;
		EXPECT_EQ(version ? -EOPNOTSUPP : 0,
			  lg_talk_r(&self->s, nlh, &self->r));
		if (version)
			EXPECT_STREQ("leaseguard: the module speaks version 1 of the family",
				     self->r.ack.msg);
	}
}

/*
 * The interface and proxy dumps take no attributes: one is refused with a
 * message, not ignored (genl_fuzz found them ignored: the dumps share the
 * policy of their doits, which take them).
 */
TEST_F(lg, dumps_without_filters_refuse_attributes)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = lg_msg(&self->s, buf, LG_CMD_LINK_GET, NLM_F_DUMP);
	nest = mnl_attr_nest_start(nlh, LG_A_LINK);
	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, self->dummy0);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EINVAL, lg_talk_r(&self->s, nlh, &self->r));
	EXPECT_EQ(0, self->r.nmsgs);
	EXPECT_STREQ("leaseguard: this dump takes no attributes",
		     self->r.ack.msg);

	nlh = lg_msg(&self->s, buf, LG_CMD_MCAST_GET, NLM_F_DUMP);
	nest = mnl_attr_nest_start(nlh, LG_A_MCAST);
	mnl_attr_put_u8(nlh, LG_MCAST_A_FAMILY, AF_INET);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EINVAL, lg_talk_r(&self->s, nlh, &self->r));
	EXPECT_EQ(0, self->r.nmsgs);
	EXPECT_STREQ("leaseguard: this dump takes no attributes",
		     self->r.ack.msg);

	/* Without: both families, as before. */
	EXPECT_EQ(0, lg_req(&self->s, LG_CMD_MCAST_GET, NLM_F_DUMP, 0, &self->r));
	EXPECT_EQ(2, self->r.nmsgs);
}

/*
 * What genetlink refuses before leaseguard sees it comes without a
 * message (6.1 gives the family no say): the uapi tells, this pins it.
 */
TEST_F(lg, genetlink_core_rejections)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	EXPECT_EQ(-EOPNOTSUPP, lg_req(&self->s, LG_CMD_MAX + 1, 0, 0, &self->r));
	EXPECT_EQ(-EOPNOTSUPP, lg_req(&self->s, LG_CMD_LINK_NTF, 0, 0, &self->r));
	EXPECT_EQ(-EOPNOTSUPP, lg_req(&self->s, LG_CMD_SAVI_GET, 0, 0, &self->r));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = self->s.family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++self->s.seq;
	memset(mnl_nlmsg_get_payload(nlh), 0, 2);
	nlh->nlmsg_len += 2;			/* half a genlmsghdr */
	EXPECT_EQ(-EINVAL, lg_talk_r(&self->s, nlh, &self->r));
}

static int lg_release_forward(struct lg_sock *s, uint32_t ifindex, int on,
			      struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_put_u8(nlh, LG_LINK_A_RELEASE_FORWARD, on);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk_r(s, nlh, r);
}

TEST_F(lg, release_forward_is_set_and_read_on_any_role)
{
	struct lg_sock mon;

	ASSERT_EQ(0, lg_open(&mon));
	ASSERT_EQ(0, lg_join(&mon, mon.mcgrp_config));

	/* On by default, with its counter, on an upstream interface too. */
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy1, LG_ROLE_UPSTREAM,
				 &self->r));
	ASSERT_EQ(0, lg_recv_ntf(&mon, &self->r));
	EXPECT_EQ(1, self->r.release_forward[0]);
	ASSERT_EQ(0, lg_link_get(&self->s, self->dummy1, &self->r));
	EXPECT_EQ(1, self->r.release_forward[0]);
	EXPECT_EQ(0, self->r.release_fwd_drop[0]);

	ASSERT_EQ(0, lg_release_forward(&self->s, self->dummy1, 0, &self->r));
	ASSERT_EQ(0, lg_recv_ntf(&mon, &self->r));
	EXPECT_EQ(LG_CMD_LINK_NTF, self->r.cmd[0]);
	EXPECT_EQ(0, self->r.release_forward[0]);
	ASSERT_EQ(0, lg_link_get(&self->s, self->dummy1, &self->r));
	EXPECT_EQ(0, self->r.release_forward[0]);
	/* No change, no notification. */
	ASSERT_EQ(0, lg_release_forward(&self->s, self->dummy1, 0, &self->r));
	EXPECT_EQ(-EAGAIN, lg_recv_ntf(&mon, &self->r));

	/* Kept across a role change, and in the dump. */
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy1, LG_ROLE_ACCESS,
				 &self->r));
	ASSERT_EQ(0, lg_recv_ntf(&mon, &self->r));
	EXPECT_EQ(0, self->r.release_forward[0]);
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS,
				 &self->r));
	ASSERT_EQ(0, lg_link_dump(&self->s, &self->r));
	ASSERT_EQ(2, self->r.nmsgs);
	EXPECT_EQ(1, self->r.release_forward[0]);
	EXPECT_EQ(0, self->r.release_forward[1]);
	ASSERT_EQ(0, lg_release_forward(&self->s, self->dummy1, 1, &self->r));
	ASSERT_EQ(0, lg_link_get(&self->s, self->dummy1, &self->r));
	EXPECT_EQ(1, self->r.release_forward[0]);

	EXPECT_EQ(-ERANGE, lg_release_forward(&self->s, self->dummy1, 2,
					      &self->r));
	EXPECT_NE(0, self->r.ack.offs);
	/* Like every setting, it needs a role first. */
	run("ip link add lgtest2 type dummy");
	EXPECT_EQ(-ENOENT, lg_release_forward(&self->s,
					      if_nametoindex("lgtest2"), 0,
					      &self->r));
	lg_close(&mon);
}

TEST_F(lg, miss_rates_are_set_read_and_checked)
{
	struct lg_reply *r = &self->r;

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, r));
	ASSERT_EQ(0, lg_link_get(&self->s, self->dummy0, r));
	EXPECT_EQ(LG_LINK_MISS_RATE_DEFAULT, r->miss_rate[0]);
	ASSERT_EQ(0, lg_set_u32(&self->s, LG_CMD_LINK_SET, self->dummy0,
				LG_LINK_A_MISS_RATE, LG_MISS_RATE_LIMIT, r));
	ASSERT_EQ(0, lg_link_get(&self->s, self->dummy0, r));
	EXPECT_EQ(LG_MISS_RATE_LIMIT, r->miss_rate[0]);
	EXPECT_EQ(-ERANGE, lg_set_u32(&self->s, LG_CMD_LINK_SET, self->dummy0,
				      LG_LINK_A_MISS_RATE,
				      LG_MISS_RATE_LIMIT + 1, r));
	EXPECT_STREQ("integer out of range", r->ack.msg);
	EXPECT_NE(0, r->ack.offs) TH_LOG("extack should point at the rate");
	ASSERT_EQ(0, lg_set_u32(&self->s, LG_CMD_LINK_SET, self->dummy0,
				LG_LINK_A_MISS_RATE, 0, r));
	ASSERT_EQ(0, lg_link_dump(&self->s, r));
	ASSERT_EQ(1, r->nmsgs);
	EXPECT_EQ(0, r->miss_rate[0]);

	ASSERT_EQ(0, lg_req(&self->s, LG_CMD_CONFIG_GET, 0, 0, r));
	EXPECT_EQ(LG_MISS_RATE_DEFAULT, r->ns_miss_rate);
	EXPECT_EQ(-ERANGE, lg_set_u32(&self->s, LG_CMD_CONFIG_SET, 0,
				      LG_CONFIG_A_MISS_RATE,
				      LG_MISS_RATE_LIMIT + 1, r));
	EXPECT_STREQ("integer out of range", r->ack.msg);
	EXPECT_NE(0, r->ack.offs) TH_LOG("extack should point at the rate");
	ASSERT_EQ(0, lg_set_u32(&self->s, LG_CMD_CONFIG_SET, 0,
				LG_CONFIG_A_MISS_RATE, 0, r));
	ASSERT_EQ(0, lg_req(&self->s, LG_CMD_CONFIG_GET, 0, 0, r));
	EXPECT_EQ(0, r->ns_miss_rate);
	/* The notification is no request (genetlink knows no such op). */
	EXPECT_EQ(-EOPNOTSUPP, lg_req(&self->s, LG_CMD_SAVI_MISS_NTF, 0, 0, r));
}

TEST_F(lg, stats_get_replies_with_counters)
{
	ASSERT_EQ(0, lg_stats_get(&self->s, &self->r));
	ASSERT_EQ(1, self->r.nmsgs);
	EXPECT_EQ(LG_CMD_STATS_GET, self->r.cmd[0]);
}

TEST_F(lg, link_counters_start_at_zero)
{
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	ASSERT_EQ(0, lg_link_get(&self->s, self->dummy0, &self->r));
	EXPECT_EQ(0, self->r.rx_packets[0]);
}

TEST_F(lg, namespaces_are_separate)
{
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	mnl_socket_close(self->s.nl);
	self->s.nl = NULL;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, lg_open(&self->s));
	ASSERT_EQ(0, lg_link_dump(&self->s, &self->r));
	EXPECT_EQ(0, self->r.nmsgs);
}

/* LG_CMD_BINDING_MOVE: ID and LLADDR required, unicast, the binding exists. */
static int lg_binding_move(struct lg_sock *s, bool id, const char *lladdr,
			   const uint8_t *mac, struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_BINDING_MOVE, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_BINDING);
	struct in6_addr a;

	if (id)
		mnl_attr_put_u64(nlh, LG_BINDING_A_ID, 12345);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, LG_A_ANCHOR);
	if (lladdr && inet_pton(AF_INET6, lladdr, &a) == 1)
		mnl_attr_put(nlh, LG_BINDING_A_CLIENT_LLADDR, 16, &a);
	if (mac)
		mnl_attr_put(nlh, LG_BINDING_A_CLIENT_MAC, 6, mac);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk_r(s, nlh, r);
}

TEST_F(lg, binding_move_checks_its_arguments)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 1, 3 };
	static const uint8_t mcast[6] = { 1, 0, 0x5e, 0, 0, 1 };

	EXPECT_EQ(-EINVAL, lg_binding_move(&self->s, false, "fe80::1", mac,
					   &self->r));
	EXPECT_EQ(-EINVAL, lg_binding_move(&self->s, true, NULL, mac, &self->r));
	EXPECT_STREQ("leaseguard: an anchor needs the client's link-local",
		     self->r.ack.msg);
	EXPECT_EQ(-EINVAL, lg_binding_move(&self->s, true, "ff02::1", mac,
					   &self->r));
	EXPECT_EQ(-EINVAL, lg_binding_move(&self->s, true, "fe80::1", mcast,
					   &self->r));
	EXPECT_STREQ("the client's MAC is a unicast one", self->r.ack.msg);
	EXPECT_EQ(-ENOENT, lg_binding_move(&self->s, true, "fe80::1", mac,
					   &self->r));
	EXPECT_STREQ("no such binding", self->r.ack.msg);
	EXPECT_EQ(-ENOENT, lg_binding_move(&self->s, true, "fe80::1", NULL,
					   &self->r));
}

TEST_HARNESS_MAIN
