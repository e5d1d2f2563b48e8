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
 * errors, and a non-blocking event read that finds nothing; and the
 * event reader (one datagram a read, truncation reported as a loss).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
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
 * One ACK a batch: only its last request asks for one; an error comes
 * back anyway, and the requests that sent nothing before the last ACK
 * are reported done, each once, in order.
 */
struct batch_seen {
	int n;
	size_t i[4];
	int err[4];
};

static void batch_seen_ack(size_t i, int err, void *data)
{
	struct batch_seen *b = data;

	if (b->n < 4) {
		b->i[b->n] = i;
		b->err[b->n] = err;
	}
	b->n++;
}

TEST_F(genl, a_batch_asks_one_ack_and_still_gets_each_answer)
{
	static char buf[4096] __attribute__((aligned(4)));
	const char *names[3] = { "nlctrl", "lg-nosuchfam", "nlctrl" };
	struct nlmsghdr *nlh[3];
	struct batch_seen b = {};
	struct seen s = {};
	uint32_t seq = 0;
	size_t off = 0, i;

	for (i = 0; i < 3; i++) {
		nlh[i] = lg_nl_batch_hdr(&self->nl, buf + off,
					 CTRL_CMD_GETFAMILY);
		if (!i)
			seq = nlh[i]->nlmsg_seq;
		mnl_attr_put_strz(nlh[i], CTRL_ATTR_FAMILY_NAME, names[i]);
		off += NLMSG_ALIGN(nlh[i]->nlmsg_len);
	}
	ASSERT_EQ(0, lg_nl_batch_send(&self->nl, buf, off, seq, 3, 10,
				      batch_seen_ack, &b));
	EXPECT_FALSE(nlh[0]->nlmsg_flags & NLM_F_ACK);
	EXPECT_FALSE(nlh[1]->nlmsg_flags & NLM_F_ACK);
	EXPECT_TRUE(nlh[2]->nlmsg_flags & NLM_F_ACK);
	ASSERT_EQ(3, b.n);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(10 + i, b.i[i]);
		EXPECT_EQ(i == 1 ? -ENOENT : 0, b.err[i]);
	}
	/* Nothing of the batch is left to be read as another's answer. */
	ASSERT_EQ(0, get_family(&self->nl, "nlctrl", &s));
	EXPECT_EQ(1, s.n);
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

/*
 * The event reader (one recvmsg() per datagram into the socket's buffer):
 * datagrams sent to the socket's port by another socket of ours (root may
 * unicast to a user port) stand in for the kernel's notifications.
 */
struct ev_seen {
	int n;
	uint8_t cmd[8];
	uint32_t seq[8];
	int fail_at;		/* cb's return at that call (1-based): -EPROTO */
};

static int ev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ev_seen *s = data;

	if (s->n < 8) {
		s->cmd[s->n] = lg_nl_cmd(nlh);
		s->seq[s->n] = nlh->nlmsg_seq;
	}
	return ++s->n == s->fail_at ? -EPROTO : 0;
}

/* A message of type at p, with pad octets of attribute payload. */
static size_t ev_put(void *p, uint16_t type, uint8_t cmd, uint32_t seq,
		     size_t pad)
{
	struct nlmsghdr *nlh = p;
	struct genlmsghdr *g = NLMSG_DATA(nlh);

	memset(nlh, 0, NLMSG_SPACE(GENL_HDRLEN + pad));
	nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + pad);
	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = seq;
	g->cmd = cmd;
	return NLMSG_ALIGN(nlh->nlmsg_len);
}

static void ev_send(struct __test_metadata *_metadata, int tx, uint32_t port,
		    const void *buf, size_t len)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_pid = port };

	ASSERT_EQ((ssize_t)len, sendto(tx, buf, len, 0, (void *)&to,
				       sizeof(to)));
}

FIXTURE(events) {
	struct lg_nl nl;
	int tx;
	uint32_t port;
};

FIXTURE_SETUP(events)
{
	struct sockaddr_nl sa;
	socklen_t len = sizeof(sa);
	int fd;

	lgd_log_init(LOG_ERR, false);
	ASSERT_EQ(0, lg_nl_open(&self->nl));
	fd = lg_nl_fd(&self->nl);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK));
	ASSERT_EQ(0, getsockname(fd, (void *)&sa, &len));
	self->port = sa.nl_pid;
	self->tx = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	ASSERT_LE(0, self->tx);
}

FIXTURE_TEARDOWN(events)
{
	close(self->tx);
	lg_nl_close(&self->nl);
}

/* One datagram per read; each of the family's messages to cb, in order. */
TEST_F(events, each_message_of_the_family_once_per_datagram)
{
	static uint8_t buf[4096] __attribute__((aligned(4)));
	struct ev_seen s = {};
	size_t len = 0;

	len += ev_put(buf + len, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 1, 20);
	len += ev_put(buf + len, GENL_ID_CTRL + 1, CTRL_CMD_NEWFAMILY, 2, 4);
	len += ev_put(buf + len, NLMSG_NOOP, 0, 3, 0);
	len += ev_put(buf + len, GENL_ID_CTRL, CTRL_CMD_DELFAMILY, 4, 0);
	ev_send(_metadata, self->tx, self->port, buf, len);
	len = ev_put(buf, GENL_ID_CTRL, CTRL_CMD_NEWMCAST_GRP, 5, 7);
	ev_send(_metadata, self->tx, self->port, buf, len);

	EXPECT_EQ(0, lg_nl_read_events(&self->nl, ev_cb, &s));
	ASSERT_EQ(2, s.n);
	EXPECT_EQ(CTRL_CMD_NEWFAMILY, s.cmd[0]);
	EXPECT_EQ(1, s.seq[0]);
	EXPECT_EQ(CTRL_CMD_DELFAMILY, s.cmd[1]);
	EXPECT_EQ(4, s.seq[1]);
	EXPECT_EQ(0, lg_nl_read_events(&self->nl, ev_cb, &s));
	ASSERT_EQ(3, s.n);
	EXPECT_EQ(CTRL_CMD_NEWMCAST_GRP, s.cmd[2]);
	EXPECT_EQ(5, s.seq[2]);
	EXPECT_EQ(-EAGAIN, lg_nl_read_events(&self->nl, ev_cb, &s));
	EXPECT_EQ(3, s.n);
}

/* cb's error stops the datagram's messages and is returned. */
TEST_F(events, a_callback_error_stops_and_is_returned)
{
	static uint8_t buf[4096] __attribute__((aligned(4)));
	struct ev_seen s = { .fail_at = 1 };
	size_t len = 0;

	len += ev_put(buf + len, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 1, 0);
	len += ev_put(buf + len, GENL_ID_CTRL, CTRL_CMD_DELFAMILY, 2, 0);
	ev_send(_metadata, self->tx, self->port, buf, len);
	len = ev_put(buf, GENL_ID_CTRL, CTRL_CMD_NEWMCAST_GRP, 3, 0);
	ev_send(_metadata, self->tx, self->port, buf, len);

	EXPECT_EQ(-EPROTO, lg_nl_read_events(&self->nl, ev_cb, &s));
	EXPECT_EQ(1, s.n);
	/* The next read is the next datagram: the socket stays usable. */
	EXPECT_EQ(0, lg_nl_read_events(&self->nl, ev_cb, &s));
	EXPECT_EQ(2, s.n);
	EXPECT_EQ(CTRL_CMD_NEWMCAST_GRP, s.cmd[1]);
}

/*
 * A datagram larger than the reader's buffer (64 KiB) loses its tail:
 * reported as lost events (the daemon resyncs), not half-read.
 */
TEST_F(events, a_truncated_datagram_is_lost_events)
{
	static uint8_t buf[80000] __attribute__((aligned(4)));
	int rcvbuf = 1 << 20, sndbuf = 1 << 20;
	struct ev_seen s = {};
	size_t len;

	ASSERT_EQ(0, setsockopt(lg_nl_fd(&self->nl), SOL_SOCKET, SO_RCVBUF,
				&rcvbuf, sizeof(rcvbuf)));
	ASSERT_EQ(0, setsockopt(self->tx, SOL_SOCKET, SO_SNDBUF, &sndbuf,
				sizeof(sndbuf)));
	len = ev_put(buf, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 1, 70000);
	ev_send(_metadata, self->tx, self->port, buf, len);
	len = ev_put(buf, GENL_ID_CTRL, CTRL_CMD_DELFAMILY, 2, 0);
	ev_send(_metadata, self->tx, self->port, buf, len);

	EXPECT_EQ(-ENOBUFS, lg_nl_read_events(&self->nl, ev_cb, &s));
	EXPECT_EQ(0, s.n);
	EXPECT_EQ(0, lg_nl_read_events(&self->nl, ev_cb, &s));
	EXPECT_EQ(1, s.n);
	EXPECT_EQ(CTRL_CMD_DELFAMILY, s.cmd[0]);
}

TEST_HARNESS_MAIN
