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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/leaseguard.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"
#include "lgnl.h"

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
	run("ip link add lgtest0 type dummy && ip link add lgtest1 type dummy");
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
	return 0;
}

TEST_F(lg, unprivileged_caller_cannot_mutate)
{
	struct unpriv_arg a = { .ifindex = self->dummy0 };

	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	EXPECT_EQ(0, as_nobody(unpriv_set, &a));
	a.new_userns = true;
	EXPECT_EQ(0, as_nobody(unpriv_set, &a));
	ASSERT_EQ(0, lg_link_get(&self->s, self->dummy0, &self->r));
	EXPECT_EQ(LG_ROLE_ACCESS, self->r.role[0]);
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
