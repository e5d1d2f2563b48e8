// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's recovery by LEASEQUERY (agent/leaseguardd/recover.c)
 * driven alone through its context (struct lgd_ctx): the test's clock
 * stands in for clock.c's, and LG_CMD_BINDING_NEW is recorded instead of
 * sent (lg_binding_new() is the test's).
 *
 * The messages are real: each test runs in a network namespace of its
 * own, the server is a UDP socket on [::1]:547 there (leasequery-server
 * ::1), and recover.c's socket sends and reads as in the daemon. Checked:
 * - the budget: recover-rate new queries a second, a bucket of one
 *   second's worth; one query per source while it is out;
 * - the negative cache: a "no binding" (or no answer after the
 *   retransmissions) is kept recover-negative-ttl, then asked again; it
 *   holds 4096 sources, the oldest evicted first; a binding the kernel
 *   reports takes its addresses out;
 * - the query (QUERY_BY_ADDRESS, link-address, ORO) and the binding made of
 *   a reply (IAs, IAIDs, lifetimes, link-local from the relay data, else
 *   the MAC's EUI-64, Interface-ID, origin), and a reply for another link.
 *
 * Needs root (a network namespace, port 547); skips without it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "kselftest_harness.h"

#include "binding.h"
#include "dhcp6_leasequery.h"
#include "lgd.h"
#include "netns.h"

static uint64_t now_ms = 1000000;

uint64_t lgd_now_ms(void)
{
	return now_ms;
}

/* LG_CMD_BINDING_NEW, recorded. */
#define MAX_NEW	8
static struct lg_binding news[MAX_NEW];
static struct lg_lease news_leases[MAX_NEW][LG_BINDING_MAX_LEASES];
static uint8_t news_ifid[MAX_NEW][32];
static size_t n_news;
static int new_err;

int lg_binding_new(struct lg_nl *nl, const struct lg_binding *b, bool replace,
		   struct lg_binding *out)
{
	(void)nl, (void)replace, (void)out;
	if (n_news == MAX_NEW || b->n_leases > LG_BINDING_MAX_LEASES ||
	    b->interface_id_len > 32)
		abort();
	news[n_news] = *b;
	memcpy(news_leases[n_news], b->leases,
	       b->n_leases * sizeof(*b->leases));
	news[n_news].leases = news_leases[n_news];
	if (b->interface_id_len)
		memcpy(news_ifid[n_news], b->interface_id,
		       b->interface_id_len);
	news[n_news].interface_id = news_ifid[n_news];
	n_news++;
	return new_err;
}

static const char *w_ifname(void *priv, uint32_t ifindex, char *buf)
{
	(void)priv;
	snprintf(buf, IF_NAMESIZE, "acc%u", ifindex);
	return buf;
}

static const uint8_t relay_duid[] = { 0x00, 0x03, 0x00, 0x01, 2, 0, 0, 0, 0, 1 };
static const uint8_t client_duid[] = { 0x00, 0x03, 0x00, 0x01, 2, 0, 0, 0, 0, 0xc1 };
static const uint8_t server_duid[] = { 0x00, 0x03, 0x00, 0x01, 2, 0, 0, 0, 0, 0x53 };
static const uint8_t mac[6] = { 2, 0, 0, 0, 1, 2 };

static void a6(const char *s, uint8_t *a)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		abort();
}

/* Source number i: 2001:db8:1::I (distinct for i < 2^32). */
static void src_n(uint32_t i, uint8_t *a)
{
	a6("2001:db8:1::", a);
	a[12] = i >> 24;
	a[13] = i >> 16;
	a[14] = i >> 8;
	a[15] = i;
}

static void advance(uint64_t ms)
{
	uint64_t end = now_ms + ms;

	/* Step by the timers' deadlines, as the event loop would. */
	for (;;) {
		int next = lgd_timers_run();

		if (next < 0 || now_ms + next > end)
			break;
		now_ms += next ? next : 1;
	}
	now_ms = end;
	lgd_timers_run();
}

FIXTURE(rec) {
	struct lgd_conf conf;
	struct lgd_ctx ctx;
	struct lgd_recover *r;
	int srv;
};

FIXTURE_SETUP(rec)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
				   .sin6_port = htons(547),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };

	self->srv = -1;
	self->r = NULL;
	if (geteuid())
		SKIP(return, "not root: needs a network namespace and port 547");
	ASSERT_EQ(0, netns_with_lo_up());
	self->srv = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	ASSERT_LE(0, self->srv);
	ASSERT_EQ(0, bind(self->srv, (struct sockaddr *)&sa, sizeof(sa)));

	lgd_log_init(LOG_ERR, false);
	lgd_conf_defaults(&self->conf);
	memcpy(self->conf.relay_id, relay_duid, sizeof(relay_duid));
	self->conf.relay_id_len = sizeof(relay_duid);
	ASSERT_EQ(NULL, lgd_conf_set(&self->conf, "leasequery-server", "::1"));
	ASSERT_EQ(NULL, lgd_conf_set_if(&self->conf, "acc3",
					"recover-link-address",
					"2001:db8:1::1"));
	self->ctx = (struct lgd_ctx){
		.conf = &self->conf,
		.priv = self,
		.ifname = w_ifname,
	};
	n_news = 0;
	new_err = 0;
	self->r = lgd_recover_open(&self->ctx);
	ASSERT_NE(NULL, self->r);
}

FIXTURE_TEARDOWN(rec)
{
	lgd_recover_close(self->r);
	if (self->srv >= 0)
		close(self->srv);
}

static struct lgd_recover_stats stats(struct lgd_recover *r)
{
	struct lgd_recover_stats st;

	lgd_recover_get_stats(r, &st);
	return st;
}

/* The queries the server got: how many, the last one into q (and buf). */
static int srv_drain(int srv, struct lq_query *q, uint8_t *buf, size_t cap,
		     struct sockaddr_in6 *from)
{
	socklen_t flen = sizeof(*from);
	int n = 0;
	ssize_t len;

	while ((len = recvfrom(srv, buf, cap, 0, (struct sockaddr *)from,
			       &flen)) > 0) {
		if (lq_parse_query(buf, len, q, NULL) != LQ_OK)
			return -1;
		n++;
		flen = sizeof(*from);
	}
	return n;
}

TEST_F(rec, budget_and_one_query_per_source)
{
	struct lq_query q;
	struct sockaddr_in6 from;
	uint8_t buf[1024], a[16];
	uint32_t i;

	self->conf.recover_rate = 5;
	lgd_recover_close(self->r);
	self->r = lgd_recover_open(&self->ctx);
	ASSERT_NE(NULL, self->r);
	/* A full bucket: 5 at once, then nothing. */
	for (i = 0; i < 20; i++) {
		src_n(i + 1, a);
		lgd_recover_miss(self->r, 3, a, mac);
	}
	EXPECT_EQ(5, stats(self->r).queries);
	EXPECT_EQ(15, stats(self->r).rate_limited);
	EXPECT_EQ(5, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	/* The query: by address, on the link, asking for the IAs. */
	EXPECT_EQ(LQ_QUERY_BY_ADDRESS, q.query_type);
	src_n(5, a);
	EXPECT_EQ(0, memcmp(q.addr, a, 16));
	a6("2001:db8:1::1", a);
	EXPECT_EQ(0, memcmp(q.link_addr, a, 16));
	EXPECT_EQ(3, q.n_oro);
	EXPECT_EQ(DR_OPT_IA_NA, q.oro[0]);
	EXPECT_EQ(DR_OPT_IA_PD, q.oro[1]);
	EXPECT_EQ(LQ_OPT_LQ_RELAY_DATA, q.oro[2]);
	EXPECT_EQ(sizeof(relay_duid), q.client_id.len);

	/* A source being asked about is not asked again. */
	src_n(1, a);
	lgd_recover_miss(self->r, 3, a, mac);
	EXPECT_EQ(1, stats(self->r).in_flight);
	EXPECT_EQ(5, stats(self->r).queries);

	/* 200 ms: one token (retransmissions are not new queries). */
	advance(200);
	for (i = 100; i < 103; i++) {
		src_n(i, a);
		lgd_recover_miss(self->r, 3, a, mac);
	}
	EXPECT_EQ(6, stats(self->r).queries);
	/* An idle minute fills the bucket to one second's worth only. */
	advance(60000);
	for (i = 200; i < 220; i++) {
		src_n(i, a);
		lgd_recover_miss(self->r, 3, a, mac);
	}
	EXPECT_EQ(11, stats(self->r).queries);
	/* recover-rate 0: recovery off, nothing asked. */
	self->conf.recover_rate = 0;
	advance(5000);
	src_n(300, a);
	lgd_recover_miss(self->r, 3, a, mac);
	EXPECT_EQ(11, stats(self->r).queries);
}

TEST_F(rec, unanswered_retransmitted_then_cached)
{
	struct lq_query q;
	struct sockaddr_in6 from;
	uint8_t buf[1024], a[16];
	uint32_t xid;

	src_n(1, a);
	lgd_recover_miss(self->r, 3, a, mac);
	ASSERT_EQ(1, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	xid = q.xid;
	/* Its next packet, with tokens left: not asked again while out. */
	lgd_recover_miss(self->r, 3, a, mac);
	EXPECT_EQ(1, stats(self->r).in_flight);
	EXPECT_EQ(1, stats(self->r).queries);
	EXPECT_EQ(0, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	/* IRT 1 s +-10%, then 2 RT: three transmissions, same xid. */
	advance(899);
	EXPECT_EQ(0, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	advance(202);
	ASSERT_EQ(1, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	EXPECT_EQ(xid, q.xid);
	advance(2500);
	ASSERT_EQ(1, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	EXPECT_EQ(xid, q.xid);
	advance(8000);
	EXPECT_EQ(0, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	EXPECT_EQ(1, stats(self->r).timed_out);
	EXPECT_EQ(3, stats(self->r).sent);
	/* Cached: the next packet asks nobody ... */
	lgd_recover_miss(self->r, 3, a, mac);
	EXPECT_EQ(1, stats(self->r).negative_cached);
	EXPECT_EQ(1, stats(self->r).queries);
	/* ... on that interface only ... */
	lgd_recover_miss(self->r, 4, a, mac);
	EXPECT_EQ(1, stats(self->r).errors);	/* acc4: no link address */
	/* ... until recover-negative-ttl (30 s) is over. */
	advance(30000);
	lgd_recover_miss(self->r, 3, a, mac);
	EXPECT_EQ(2, stats(self->r).queries);
}

TEST_F(rec, negative_cache_bounded_oldest_evicted)
{
	struct lg_binding lb = {};
	struct lg_lease l = {};
	struct sockaddr_in6 from;
	struct lq_query q;
	uint8_t buf[1024], a[16];
	uint32_t i, round;

	self->conf.recover_rate = 10000;
	self->conf.recover_negative_ttl = 3600;
	lgd_recover_close(self->r);
	self->r = lgd_recover_open(&self->ctx);
	ASSERT_NE(NULL, self->r);
	/* 4096 + 200 sources nobody answers, 200 at a time (in flight). */
	for (round = 0; round < 4296 / 200 + 1; round++) {
		for (i = round * 200; i < (round + 1) * 200 && i < 4296; i++) {
			src_n(i + 1, a);
			lgd_recover_miss(self->r, 3, a, mac);
		}
		advance(12000);
		srv_drain(self->srv, &q, buf, sizeof(buf), &from);
	}
	EXPECT_EQ(4296, stats(self->r).timed_out);
	EXPECT_EQ(0, stats(self->r).rate_limited);
	/* The 4096 newest are all kept (every chain intact) ... */
	for (i = 201; i <= 4296; i++) {
		src_n(i, a);
		lgd_recover_miss(self->r, 3, a, mac);
	}
	EXPECT_EQ(4096, stats(self->r).negative_cached);
	/* ... and the 200 oldest gone. */
	src_n(200, a);
	lgd_recover_miss(self->r, 3, a, mac);
	EXPECT_EQ(4096, stats(self->r).negative_cached);
	EXPECT_EQ(4297, stats(self->r).queries);
	/* A binding the kernel reports takes its address out of the cache. */
	src_n(300, l.addr);
	lb.ifindex = 3;
	lb.leases = &l;
	lb.n_leases = 1;
	lgd_recover_learn(self->r, &lb);
	src_n(300, a);
	lgd_recover_miss(self->r, 3, a, mac);
	EXPECT_EQ(4096, stats(self->r).negative_cached);
	EXPECT_EQ(4298, stats(self->r).queries);
}

/* Answers the last query from srv with the reply r gets (xid, ids set). */
static void srv_answer(int srv, const struct lq_query *q,
		       const struct sockaddr_in6 *to, struct lq_reply *r)
{
	uint8_t buf[2048];
	size_t len;

	r->xid = q->xid;
	r->client_id = q->client_id;
	r->server_id.data = server_duid;
	r->server_id.len = sizeof(server_duid);
	len = lq_build_reply(r, buf, sizeof(buf));
	if (!len || sendto(srv, buf, len, 0, (const struct sockaddr *)to,
			   sizeof(*to)) != (ssize_t)len)
		abort();
}

/* CLOCK_REALTIME ms, as LG_BINDING_A_REPLIED counts. */
static uint64_t real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

TEST_F(rec, reply_restores_each_ia)
{
	uint64_t before, after;
	/* RELAY-FORW hop 0, link 2001:db8:1::1, peer fe80::1, Interface-ID. */
	static uint8_t relay[34 + 8] = { 12, 0 };
	struct lq_lease leases[3] = {};
	struct lq_reply rep = { .leases = leases };
	struct lq_query q;
	struct sockaddr_in6 from;
	uint8_t buf[1024], a[16], ll[16];

	a6("2001:db8:1::1", relay + 2);
	a6("fe80::1", relay + 18);
	memcpy(relay + 34, "\0\x12\0\x04" "acc0", 8);
	src_n(0x1000, a);
	lgd_recover_miss(self->r, 3, a, mac);
	ASSERT_EQ(1, srv_drain(self->srv, &q, buf, sizeof(buf), &from));

	rep.has_status = true;
	rep.status = DR_STATUS_SUCCESS;
	rep.has_client = true;
	rep.client_duid.data = client_duid;
	rep.client_duid.len = sizeof(client_duid);
	memcpy(leases[0].addr, a, 16);
	leases[0].plen = 128;
	leases[0].has_iaid = true;
	leases[0].iaid = 7;
	leases[0].preferred = 100;
	leases[0].valid = 200;
	a6("2001:db8:100::", leases[1].addr);
	leases[1].plen = 56;
	leases[1].prefix = true;
	leases[1].has_iaid = true;
	leases[1].iaid = 9;
	leases[1].preferred = 300;
	leases[1].valid = 400;
	rep.n_leases = 2;
	rep.has_relay_data = true;
	a6("fe80::1", rep.relay_peer);
	rep.relay_msg.data = relay;
	rep.relay_msg.len = sizeof(relay);
	srv_answer(self->srv, &q, &from, &rep);
	lgd_recover_input(self->r);

	EXPECT_EQ(1, stats(self->r).answers);
	EXPECT_EQ(2, stats(self->r).restored);
	ASSERT_EQ(2, n_news);
	EXPECT_EQ(LG_IA_NA, news[0].ia_type);
	EXPECT_EQ(7, news[0].iaid);
	EXPECT_EQ(LG_IA_PD, news[1].ia_type);
	EXPECT_EQ(9, news[1].iaid);
	EXPECT_EQ(56, news[1].leases[0].plen);
	EXPECT_EQ(300, news[1].leases[0].preferred);
	EXPECT_EQ(400, news[1].leases[0].valid);
	EXPECT_EQ(LG_BINDING_ORIGIN_LEASEQUERY, news[0].origin);
	EXPECT_EQ(3, news[0].ifindex);
	EXPECT_EQ(0, memcmp(news[0].client_duid, client_duid,
			    sizeof(client_duid)));
	EXPECT_EQ(0, memcmp(news[0].server_duid, server_duid,
			    sizeof(server_duid)));
	a6("::1", a);
	EXPECT_EQ(0, memcmp(news[0].server_addr, a, 16));
	a6("fe80::1", ll);
	EXPECT_EQ(0, memcmp(news[0].client_lladdr, ll, 16));
	EXPECT_EQ(1, news[0].has_client_mac);
	EXPECT_EQ(0, memcmp(news[0].client_mac, mac, 6));
	EXPECT_EQ(4, news[0].interface_id_len);
	EXPECT_EQ(0, memcmp(news[0].interface_id, "acc0", 4));
	/* No CLT_TIME: no REPLIED, the kernel says now. */
	EXPECT_FALSE(news[0].has_replied);
	EXPECT_FALSE(news[1].has_replied);
	/* Done: no retransmission. */
	advance(20000);
	EXPECT_EQ(0, srv_drain(self->srv, &q, buf, sizeof(buf), &from));

	/*
	 * Without relay data, and an IA without IAID: EUI-64, IAID 0; EEXIST.
	 * CLT_TIME 600: the last transaction was 600 s before the reply.
	 */
	new_err = -EEXIST;
	src_n(0x1001, a);
	lgd_recover_miss(self->r, 3, a, mac);
	ASSERT_EQ(1, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	memcpy(leases[0].addr, a, 16);
	leases[0].has_iaid = false;
	rep.n_leases = 1;
	rep.has_relay_data = false;
	rep.has_clt_time = true;
	rep.clt_time = 600;
	srv_answer(self->srv, &q, &from, &rep);
	before = real_ms();
	lgd_recover_input(self->r);
	after = real_ms();
	ASSERT_EQ(3, n_news);
	EXPECT_TRUE(news[2].has_replied);
	EXPECT_LE(before - 600000, news[2].replied);
	EXPECT_GE(after - 600000, news[2].replied);
	EXPECT_EQ(0, news[2].iaid);
	a6("fe80::ff:fe00:102", ll);
	EXPECT_EQ(0, memcmp(news[2].client_lladdr, ll, 16));
	EXPECT_EQ(0, news[2].interface_id_len);
	EXPECT_EQ(1, stats(self->r).exists);
	EXPECT_EQ(0, stats(self->r).errors);
}

TEST_F(rec, negative_replies_cached)
{
	static uint8_t relay[34] = { 12, 0 };
	struct lq_lease leases[1] = {};
	struct lq_reply rep = { .leases = leases };
	struct lq_query q;
	struct sockaddr_in6 from;
	uint8_t buf[1024], a[16];

	/* Success without a Client Data: no binding. */
	src_n(1, a);
	lgd_recover_miss(self->r, 3, a, mac);
	ASSERT_EQ(1, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	rep.has_status = true;
	srv_answer(self->srv, &q, &from, &rep);
	lgd_recover_input(self->r);
	EXPECT_EQ(1, stats(self->r).refused);
	lgd_recover_miss(self->r, 3, a, mac);
	EXPECT_EQ(1, stats(self->r).negative_cached);

	/* NotConfigured. */
	src_n(2, a);
	lgd_recover_miss(self->r, 3, a, mac);
	ASSERT_EQ(1, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	rep.status = DR_STATUS_NOT_CONFIGURED;
	srv_answer(self->srv, &q, &from, &rep);
	lgd_recover_input(self->r);
	EXPECT_EQ(2, stats(self->r).refused);

	/* A lease whose relay data names another link. */
	src_n(3, a);
	lgd_recover_miss(self->r, 3, a, mac);
	ASSERT_EQ(1, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	rep.status = DR_STATUS_SUCCESS;
	rep.has_client = true;
	rep.client_duid.data = client_duid;
	rep.client_duid.len = sizeof(client_duid);
	memcpy(leases[0].addr, a, 16);
	leases[0].plen = 128;
	leases[0].valid = 100;
	rep.n_leases = 1;
	a6("2001:db8:2::1", relay + 2);
	a6("fe80::1", relay + 18);
	rep.has_relay_data = true;
	rep.relay_msg.data = relay;
	rep.relay_msg.len = sizeof(relay);
	srv_answer(self->srv, &q, &from, &rep);
	lgd_recover_input(self->r);
	EXPECT_EQ(3, stats(self->r).refused);
	EXPECT_EQ(0, n_news);
	lgd_recover_miss(self->r, 3, a, mac);
	EXPECT_EQ(2, stats(self->r).negative_cached);

	/* Another xid, or another requestor's: discarded, still asked. */
	src_n(4, a);
	lgd_recover_miss(self->r, 3, a, mac);
	ASSERT_EQ(1, srv_drain(self->srv, &q, buf, sizeof(buf), &from));
	q.xid ^= 1;
	srv_answer(self->srv, &q, &from, &rep);
	lgd_recover_input(self->r);
	EXPECT_EQ(1, stats(self->r).discarded);
	lgd_recover_miss(self->r, 3, a, mac);
	EXPECT_EQ(1, stats(self->r).in_flight);
}

TEST_HARNESS_MAIN
