// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's netlink backend (agent/leaseguardd/genl.c, libnl-genl-3)
 * against the running kernel, with no module: the same file is built
 * with LEASEGUARD_GENL_NAME "nlctrl" (genl_nlctrl.h), so that the family
 * every kernel has stands in for leaseguard. It checks what the daemon
 * relies on: the family and a group resolved, a request with its reply
 * and ACK, an error ACK, a dump to its NLMSG_DONE, a batch whose ACKs
 * (and errors) land on the right requests, a batch of 64 KiB in one
 * sendmsg() (libnl leaves a 32 KiB send buffer), the socket usable after
 * errors, and a non-blocking event read that finds nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "kselftest_harness.h"

#include "lgd.h"
#include "nl.h"

/* A reply of CTRL_CMD_GETFAMILY: count it, note nlctrl's ID. */
struct seen {
	int n;
	int nlctrl_id;
	int resets;
};

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct seen *s = data;

	if (lg_nl_parse_msg(nlh, tb, CTRL_ATTR_MAX) ||
	    !tb[CTRL_ATTR_FAMILY_NAME] || !tb[CTRL_ATTR_FAMILY_ID])
		return -EBADMSG;
	s->n++;
	if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_FAMILY_NAME]), "nlctrl"))
		s->nlctrl_id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return 0;
}

static void reset_cb(void *data)
{
	struct seen *s = data;

	s->n = 0;
	s->resets++;
}

static int get_family(struct lg_nl *nl, const char *name, struct seen *s)
{
	struct nlmsghdr *nlh = lg_nl_msg(nl, CTRL_CMD_GETFAMILY, 0);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return lg_nl_doit(nl, nlh, family_cb, s);
}

FIXTURE(genl) {
	struct lg_nl nl;
};

FIXTURE_SETUP(genl)
{
	lgd_log_init(LOG_ERR, false);
	ASSERT_EQ(0, lg_nl_open(&self->nl));
}

FIXTURE_TEARDOWN(genl)
{
	lg_nl_close(&self->nl);
}

TEST_F(genl, resolves_the_family)
{
	EXPECT_EQ(GENL_ID_CTRL, self->nl.family_id);
	EXPECT_LE(0, lg_nl_fd(&self->nl));
}

/*
 * netlink_sendmsg() refuses more than the send buffer less 32: a full
 * batch (64 KiB, lg_nl_batch()) must fit, which libnl's 32 KiB (doubled
 * by the kernel) does not.
 */
TEST_F(genl, a_full_batch_fits_the_send_buffer)
{
	int v = 0;
	socklen_t len = sizeof(v);

	ASSERT_EQ(0, getsockopt(lg_nl_fd(&self->nl), SOL_SOCKET, SO_SNDBUF,
				&v, &len));
	EXPECT_LT(65536, v - 32);
}

TEST_F(genl, request_reply_and_ack)
{
	struct seen s = {};

	ASSERT_EQ(0, get_family(&self->nl, "nlctrl", &s));
	EXPECT_EQ(1, s.n);
	EXPECT_EQ(GENL_ID_CTRL, s.nlctrl_id);
}

TEST_F(genl, error_ack_then_the_socket_goes_on)
{
	struct seen s = {};

	EXPECT_EQ(-ENOENT, get_family(&self->nl, "lg-nosuchfam", &s));
	EXPECT_EQ(0, s.n);
	/* The next exchange is not confused by the last one. */
	ASSERT_EQ(0, get_family(&self->nl, "nlctrl", &s));
	EXPECT_EQ(1, s.n);
	EXPECT_EQ(-ENOENT, get_family(&self->nl, "lg-nosuchfam", &s));
	ASSERT_EQ(0, get_family(&self->nl, "nlctrl", &s));
	EXPECT_EQ(2, s.n);
}

TEST_F(genl, dump_to_its_end)
{
	struct seen s = {};
	int n;

	ASSERT_EQ(0, lg_nl_dump(&self->nl, CTRL_CMD_GETFAMILY, family_cb,
				reset_cb, &s));
	EXPECT_LE(2, s.n);
	EXPECT_EQ(GENL_ID_CTRL, s.nlctrl_id);
	EXPECT_EQ(0, s.resets);
	/* Again, the same: every message of the first was read. */
	n = s.n;
	s.n = 0;
	ASSERT_EQ(0, lg_nl_dump(&self->nl, CTRL_CMD_GETFAMILY, family_cb,
				reset_cb, &s));
	EXPECT_EQ(n, s.n);
	s.n = 0;
	ASSERT_EQ(0, get_family(&self->nl, "nlctrl", &s));
	EXPECT_EQ(1, s.n);
}

/* A batch of CTRL_CMD_GETFAMILY: even ones exist, odd ones do not. */
#define BATCH_N		24

static void batch_put(struct nlmsghdr *nlh, size_t i, void *data)
{
	(void)data;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME,
			  i % 2 ? "lg-nosuchfam" : "nlctrl");
}

static void batch_ack(size_t i, int err, void *data)
{
	int *errs = data;

	if (i < BATCH_N)
		errs[i] = err;
}

TEST_F(genl, batch_acks_land_on_their_requests)
{
	int errs[BATCH_N];
	struct seen s = {};
	size_t i;

	for (i = 0; i < BATCH_N; i++)
		errs[i] = 1;
	ASSERT_EQ(0, lg_nl_batch(&self->nl, CTRL_CMD_GETFAMILY, BATCH_N,
				 batch_put, batch_ack, errs));
	for (i = 0; i < BATCH_N; i++)
		ASSERT_EQ(i % 2 ? -ENOENT : 0, errs[i]) {
			TH_LOG("request %zu", i);
		}
	ASSERT_EQ(0, get_family(&self->nl, "nlctrl", &s));
	EXPECT_EQ(1, s.n);
}

/*
 * A batch as large as one sendmsg() takes (LG_NL_BATCH_SIZE, 64 KiB): error
 * ACKs only, so that the receive buffer holds them all.
 */
#define BIG_N		2000

static void big_put(struct nlmsghdr *nlh, size_t i, void *data)
{
	(void)i, (void)data;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "lg-nosuchfam");
}

static void big_ack(size_t i, int err, void *data)
{
	int *errs = data;

	if (i < BIG_N)
		errs[i] = err;
}

TEST_F(genl, batch_of_64k_in_one_message)
{
	static int errs[BIG_N];
	size_t i;

	for (i = 0; i < BIG_N; i++)
		errs[i] = 1;
	ASSERT_EQ(0, lg_nl_batch(&self->nl, CTRL_CMD_GETFAMILY, BIG_N,
				 big_put, big_ack, errs));
	for (i = 0; i < BIG_N; i++)
		ASSERT_EQ(-ENOENT, errs[i]) {
			TH_LOG("request %zu", i);
		}
}

TEST_F(genl, joins_a_group_and_reads_nothing_without_blocking)
{
	struct seen s = {};
	int fd = lg_nl_fd(&self->nl);

	EXPECT_EQ(0, lg_nl_join(&self->nl, "notify"));
	EXPECT_EQ(-ENOENT, lg_nl_join(&self->nl, "lg-no-such-group"));
	ASSERT_EQ(0, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK));
	EXPECT_EQ(-EAGAIN, lg_nl_read_events(&self->nl, family_cb, &s));
	EXPECT_EQ(0, s.n);
}

TEST_HARNESS_MAIN
