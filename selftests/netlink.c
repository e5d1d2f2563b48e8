// SPDX-License-Identifier: GPL-2.0
/*
 * The "leaseguard" generic netlink API, as a user of it sees it: every test
 * runs in a fresh network namespace with the module loaded.
 */
#define _GNU_SOURCE
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

/* What one request brought back. */
struct lg_reply {
	int err;			/* 0 or -errno from the ACK */
	char msg[256];			/* extack message */
	uint32_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, or 0 */
	uint32_t offs;			/* NLMSGERR_ATTR_OFFS, or 0 */
	int nmsgs;			/* data messages */
	uint8_t cmd[1024];		/* their commands */
	uint32_t ifindex[1024];		/* LG_LINK_A_IFINDEX, or 0 */
	uint8_t role[1024];		/* LG_LINK_A_ROLE, or 0xff */
	char ifname[1024][IFNAMSIZ];
	uint64_t rx_packets[1024];
	uint64_t links_gone;		/* from LG_CMD_STATS_GET */
	bool dump_intr;
};

struct lg_sock {
	struct mnl_socket *nl;
	uint16_t family;
	uint32_t seq;
	uint32_t mcgrp_config;
};

static void run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "command failed: %s\n", cmd);
		exit(1);
	}
}

static int ctrl_attr_cb(const struct nlattr *attr, void *data)
{
	struct lg_sock *s = data;
	const struct nlattr *grp, *a;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID)
		s->family = mnl_attr_get_u16(attr);
	if (mnl_attr_get_type(attr) != CTRL_ATTR_MCAST_GROUPS)
		return MNL_CB_OK;
	mnl_attr_for_each_nested(grp, attr) {
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(a, grp) {
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(a);
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, LEASEGUARD_MCGRP_CONFIG))
			s->mcgrp_config = id;
	}
	return MNL_CB_OK;
}

static int ctrl_cb(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, GENL_HDRLEN, ctrl_attr_cb, data);
}

static int lg_open(struct lg_sock *s)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	int one = 1, ret;

	memset(s, 0, sizeof(*s));
	s->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!s->nl || mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(s->nl, NETLINK_CAP_ACK, &one, sizeof(one));

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++s->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, LEASEGUARD_GENL_NAME);
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	ret = mnl_socket_recvfrom(s->nl, buf, sizeof(buf));
	if (ret < 0)
		return -errno;
	ret = mnl_cb_run(buf, ret, s->seq, 0, ctrl_cb, s);
	return ret < 0 ? -errno : 0;
}

static struct nlmsghdr *lg_msg(struct lg_sock *s, char *buf, uint8_t cmd,
			       uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = s->family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = ++s->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = LEASEGUARD_GENL_VERSION;
	return nlh;
}

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
	case LG_LINK_A_STATS: {
		const struct nlattr *c;

		mnl_attr_for_each_nested(c, attr)
			if (mnl_attr_get_type(c) == LG_LINK_STATS_A_RX_PACKETS)
				r->rx_packets[i] = mnl_attr_get_u64(c);
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
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		r->dump_intr = true;
	r->cmd[r->nmsgs] = genl->cmd;
	r->role[r->nmsgs] = 0xff;
	mnl_attr_parse(nlh, GENL_HDRLEN, top_attr_cb, r);
	r->nmsgs++;
	return MNL_CB_OK;
}

static int extack_attr_cb(const struct nlattr *attr, void *data)
{
	struct lg_reply *r = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		snprintf(r->msg, sizeof(r->msg), "%s", mnl_attr_get_str(attr));
		break;
	case NLMSGERR_ATTR_OFFS:
		r->offs = mnl_attr_get_u32(attr);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		r->miss_type = mnl_attr_get_u32(attr);
		break;
	}
	return MNL_CB_OK;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct lg_reply *r = data;

	r->err = e->error;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, sizeof(*e), extack_attr_cb, r);
	return MNL_CB_STOP;
}

static int done_cb(const struct nlmsghdr *nlh __attribute__((unused)),
		   void *data __attribute__((unused)))
{
	return MNL_CB_STOP;
}

/* Sends @nlh and collects every answer to it into @r. */
static int lg_talk(struct lg_sock *s, struct nlmsghdr *nlh, struct lg_reply *r)
{
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = error_cb,
		[NLMSG_DONE] = done_cb,
	};
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int ret;

	memset(r, 0, sizeof(*r));
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		ret = mnl_socket_recvfrom(s->nl, buf, sizeof(buf));
		if (ret < 0)
			return -errno;
		ret = mnl_cb_run2(buf, ret, nlh->nlmsg_seq,
				  mnl_socket_get_portid(s->nl), data_cb, r,
				  ctl, NLMSG_MIN_TYPE);
	} while (ret > 0);
	return r->err;
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
	return lg_talk(s, nlh, r);
}

static int lg_link_get(struct lg_sock *s, uint32_t ifindex, struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(s, buf, LG_CMD_LINK_GET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, ifindex);
	mnl_attr_nest_end(nlh, nest);
	return lg_talk(s, nlh, r);
}

static int lg_link_dump(struct lg_sock *s, struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return lg_talk(s, lg_msg(s, buf, LG_CMD_LINK_GET, NLM_F_DUMP), r);
}

static int lg_stats_get(struct lg_sock *s, struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return lg_talk(s, lg_msg(s, buf, LG_CMD_STATS_GET, 0), r);
}

/* Receives one notification, waiting at most a second. */
static int lg_recv_ntf(struct lg_sock *s, struct lg_reply *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct timeval tv = { .tv_sec = 1 };
	int ret;

	memset(r, 0, sizeof(*r));
	setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_RCVTIMEO,
		   &tv, sizeof(tv));
	ret = mnl_socket_recvfrom(s->nl, buf, sizeof(buf));
	if (ret < 0)
		return -errno;
	return mnl_cb_run(buf, ret, 0, 0, data_cb, r) < 0 ? -errno : 0;
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
	if (self->s.nl)
		mnl_socket_close(self->s.nl);
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
	EXPECT_FALSE(self->r.dump_intr);
}

/* More links than fit in one dump skb: the dump must resume exactly. */
TEST_F(lg, dump_resumes_across_messages)
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
	EXPECT_FALSE(self->r.dump_intr);
}

TEST_F(lg, role_none_removes_configuration)
{
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_ACCESS, &self->r));
	ASSERT_EQ(0, lg_link_set(&self->s, self->dummy0, LG_ROLE_NONE, &self->r));
	EXPECT_EQ(-ENOENT, lg_link_get(&self->s, self->dummy0, &self->r));
	EXPECT_STREQ("interface has no leaseguard configuration", self->r.msg);
	ASSERT_EQ(0, lg_link_dump(&self->s, &self->r));
	EXPECT_EQ(0, self->r.nmsgs);
}

TEST_F(lg, role_out_of_range_is_rejected)
{
	EXPECT_EQ(-ERANGE, lg_link_set(&self->s, self->dummy0, LG_ROLE_MAX + 1,
				       &self->r));
	EXPECT_STRNE("", self->r.msg);
	EXPECT_NE(0, self->r.offs) TH_LOG("extack should point at the role");
	EXPECT_EQ(-ENOENT, lg_link_get(&self->s, self->dummy0, &self->r));
}

TEST_F(lg, missing_link_nest_is_rejected)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	EXPECT_EQ(-EINVAL, lg_talk(&self->s, lg_msg(&self->s, buf,
						    LG_CMD_LINK_SET, 0),
				   &self->r));
	EXPECT_EQ(LG_A_LINK, self->r.miss_type);
}

TEST_F(lg, missing_ifindex_is_rejected)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_ROLE, LG_ROLE_ACCESS);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EINVAL, lg_talk(&self->s, nlh, &self->r));
	EXPECT_EQ(LG_LINK_A_IFINDEX, self->r.miss_type);
	EXPECT_STREQ("leaseguard: missing interface index", self->r.msg);
}

TEST_F(lg, unknown_ifindex_is_rejected)
{
	EXPECT_EQ(-ENODEV, lg_link_set(&self->s, 999999, LG_ROLE_ACCESS, &self->r));
	EXPECT_STREQ("no such interface", self->r.msg);
	EXPECT_NE(0, self->r.offs);
	EXPECT_EQ(-ENODEV, lg_link_get(&self->s, 999999, &self->r));
	EXPECT_STREQ("no such interface", self->r.msg);
}

TEST_F(lg, reply_only_attribute_is_rejected)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_LINK_SET, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, LG_A_LINK);

	mnl_attr_put_u32(nlh, LG_LINK_A_IFINDEX, self->dummy0);
	mnl_attr_put_strz(nlh, LG_LINK_A_IFNAME, "lgtest0");
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(-EINVAL, lg_talk(&self->s, nlh, &self->r));
	EXPECT_STREQ("Unsupported attribute", self->r.msg);
	EXPECT_NE(0, self->r.offs);
}

TEST_F(lg, unknown_attribute_is_rejected)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = lg_msg(&self->s, buf, LG_CMD_STATS_GET, 0);

	mnl_attr_put_u32(nlh, LG_A_MAX + 1, 1);
	EXPECT_EQ(-EINVAL, lg_talk(&self->s, nlh, &self->r));
	EXPECT_STRNE("", self->r.msg);
}

TEST_F(lg, loopback_cannot_have_a_role)
{
	EXPECT_EQ(-EOPNOTSUPP, lg_link_set(&self->s, self->lo, LG_ROLE_ACCESS,
					   &self->r));
	EXPECT_STREQ("leaseguard: a loopback interface cannot have a role",
		     self->r.msg);
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
	ASSERT_EQ(0, mnl_socket_setsockopt(mon.nl, NETLINK_ADD_MEMBERSHIP,
					   &grp, sizeof(grp)));

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
	mnl_socket_close(mon.nl);
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

TEST_HARNESS_MAIN
