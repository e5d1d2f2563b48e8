// SPDX-License-Identifier: GPL-2.0
/*
 * leaseguardd's querier (agent/leaseguardd/querier.c) driven alone: its
 * timers (timer.c) on the test's clock, its raw sockets real. Each test
 * runs in a network namespace of its own and queries on lo, where a
 * packet socket sees every IGMP query leave; MLD has no route out of a
 * fresh namespace's lo, so its queries are counted as tries (sent plus
 * failed), which is what the role gates.
 *
 * What is checked is the timing of RFC 3376 8.6/8.7 (RFC 3810 9.6/9.7)
 * and the role of a router pair (Documentation/failover.rst): an active
 * router sends Robustness startup queries a quarter of the Query Interval
 * apart, the first at once, then one every Query Interval; a passive one
 * sends nothing, not even what its module asks for, but follows the
 * last-member rounds; taking over is a fresh start; standing down stops
 * everything at once.
 *
 * Needs root (a network namespace and raw sockets); skips without it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "kselftest_harness.h"

#include "lgd.h"
#include "mcast.h"
#include "netns.h"

/* The clock querier.c and timer.c read: the test's. */
static uint64_t now_ms = 1000000;

uint64_t lgd_now_ms(void)
{
	return now_ms;
}

#define QI_S		8		/* Query Interval, s */
#define QI_MS		(QI_S * 1000)
#define LMQI_MS		1000

static const char *w_ifname(void *priv, uint32_t ifindex, char *buf)
{
	(void)priv;
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
}

/* What went out on lo since the last look. */
struct seen {
	unsigned int general, specific;
};

FIXTURE(q) {
	struct lgd_conf conf;
	struct lgd_ctx ctx;
	struct lgd_mc_conf igmp, mld;
	struct lgd_querier *q;
	uint32_t lo;
	int cap;			/* packet socket on lo */
};

static void conf_init(struct lgd_mc_conf *c, uint8_t version)
{
	memset(c, 0, sizeof(*c));
	c->known = c->enable = true;
	c->version = version;
	c->robustness = 3;	/* not the default 2: the count shows */
	c->query_interval = QI_S;
	c->query_response_interval = 2000;
	c->last_member_interval = LMQI_MS;
	c->last_member_count = 2;
}

FIXTURE_SETUP(q)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL) };

	self->q = NULL;
	self->cap = -1;
	if (geteuid())
		SKIP(return, "not root: needs a network namespace and raw sockets");
	ASSERT_EQ(0, netns_with_lo_up());
	self->lo = if_nametoindex("lo");
	ASSERT_NE(0, self->lo);

	self->cap = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			   htons(ETH_P_ALL));
	ASSERT_LE(0, self->cap);
	sll.sll_ifindex = self->lo;
	ASSERT_EQ(0, bind(self->cap, (struct sockaddr *)&sll, sizeof(sll)));

	lgd_log_init(LOG_ERR, false);
	memset(&self->conf, 0, sizeof(self->conf));	/* querier.c reads none */
	self->ctx = (struct lgd_ctx){
		.conf = &self->conf,
		.priv = self,
		.ifname = w_ifname,
	};
	conf_init(&self->igmp, 3);
	conf_init(&self->mld, 2);
	self->q = lgd_querier_open(&self->ctx, &self->igmp, &self->mld);
	ASSERT_NE(NULL, self->q);
}

FIXTURE_TEARDOWN(q)
{
	lgd_querier_close(self->q);
	if (self->cap >= 0)
		close(self->cap);
}

/* The IGMP queries that left lo since the last call. */
static struct seen seen(int cap)
{
	struct seen s = { 0 };
	struct sockaddr_ll from;
	socklen_t flen;
	uint8_t buf[2048];
	ssize_t n;

	/* Loopback delivers before sendto() returns; drain what is there. */
	for (;;) {
		flen = sizeof(from);
		n = recvfrom(cap, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &flen);
		if (n < 0)
			break;
		if (from.sll_pkttype != PACKET_OUTGOING ||
		    from.sll_protocol != htons(ETH_P_IP) || n < 20)
			continue;
		size_t ihl = (buf[0] & 0x0f) * 4;

		if (buf[9] != IPPROTO_IGMP || (size_t)n < ihl + 8 ||
		    buf[ihl] != 0x11)
			continue;
		if (!memcmp(buf + ihl + 4, "\0\0\0\0", 4))
			s.general++;
		else
			s.specific++;
	}
	return s;
}

/* The clock to t, every timer due by then fired in order. */
static void run_until(uint64_t t)
{
	int next;

	for (;;) {
		next = lgd_timers_run();
		if (next < 0 || now_ms + next > t)
			break;
		now_ms += next;
	}
	now_ms = t;
	lgd_timers_run();
}

static uint64_t tries(struct lgd_querier *q, int fi)
{
	uint64_t sent, failed, held;

	lgd_querier_counts(q, fi, &sent, &failed, &held);
	return sent + failed;
}

static uint64_t held(struct lgd_querier *q, int fi)
{
	uint64_t sent, failed, h;

	lgd_querier_counts(q, fi, &sent, &failed, &h);
	return h;
}

static struct lgd_mc_addr v4(const char *s)
{
	struct lgd_mc_addr a = {};

	inet_pton(AF_INET, s, a.a);
	return a;
}

/* Alone (no pair): the startup of RFC 3376 8.7, then the Query Interval. */
TEST_F(q, alone_startup_then_interval)
{
	uint64_t t0 = now_ms;
	int i;

	ASSERT_TRUE(lgd_querier_active(self->q));
	lgd_querier_set(self->q, LGD_MC_IGMP, self->lo, true);
	run_until(t0);
	EXPECT_EQ(1, seen(self->cap).general);	/* the first at once */
	/* Robustness (3) of them, a quarter of the interval apart. */
	for (i = 1; i < 3; i++) {
		run_until(t0 + i * QI_MS / 4 - 1);
		EXPECT_EQ(0, seen(self->cap).general);
		run_until(t0 + i * QI_MS / 4);
		EXPECT_EQ(1, seen(self->cap).general);
	}
	/* Then the Query Interval. */
	run_until(t0 + 2 * QI_MS / 4 + QI_MS - 1);
	EXPECT_EQ(0, seen(self->cap).general);
	run_until(t0 + 2 * QI_MS / 4 + QI_MS);
	EXPECT_EQ(1, seen(self->cap).general);
	EXPECT_EQ(0, held(self->q, LGD_MC_IGMP));
}

/* A BACKUP's querier: ready, and silent for as long as it is one. */
TEST_F(q, passive_sends_nothing)
{
	struct lgd_mc_addr g = v4("239.1.2.3"), s = v4("10.0.0.2");

	lgd_querier_set_active(self->q, false);
	ASSERT_FALSE(lgd_querier_active(self->q));
	lgd_querier_set(self->q, LGD_MC_IGMP, self->lo, true);
	lgd_querier_set(self->q, LGD_MC_MLD, self->lo, true);
	/* The module asks, as it does when a subscriber leaves. */
	lgd_querier_request(self->q, LGD_MC_IGMP, self->lo, &g, NULL, 0);
	lgd_querier_request(self->q, LGD_MC_IGMP, self->lo, &g, &s, 1);
	/* A new configuration arms nothing either. */
	lgd_querier_reconf(self->q, LGD_MC_IGMP);
	lgd_querier_reconf(self->q, LGD_MC_MLD);
	run_until(now_ms + 10 * QI_MS);
	struct seen x = seen(self->cap);

	EXPECT_EQ(0, x.general);
	EXPECT_EQ(0, x.specific);
	EXPECT_EQ(0, tries(self->q, LGD_MC_IGMP));
	EXPECT_EQ(0, tries(self->q, LGD_MC_MLD));
	/* Its round followed: last-member-count (2) of each kept back. */
	EXPECT_EQ(2 + 2, held(self->q, LGD_MC_IGMP));
}

/* The takeover: a fresh start at once, whatever the old schedule was. */
TEST_F(q, takeover_is_a_fresh_start)
{
	uint64_t t1;
	int i;

	lgd_querier_set_active(self->q, false);
	lgd_querier_set(self->q, LGD_MC_IGMP, self->lo, true);
	lgd_querier_set(self->q, LGD_MC_MLD, self->lo, true);
	run_until(now_ms + 3 * QI_MS + 123);
	ASSERT_EQ(0, seen(self->cap).general);

	t1 = now_ms;
	lgd_querier_set_active(self->q, true);
	run_until(t1);
	EXPECT_EQ(1, seen(self->cap).general);
	EXPECT_EQ(1, tries(self->q, LGD_MC_MLD));
	for (i = 1; i < 3; i++) {
		run_until(t1 + i * QI_MS / 4 - 1);
		EXPECT_EQ(0, seen(self->cap).general);
		run_until(t1 + i * QI_MS / 4);
		EXPECT_EQ(1, seen(self->cap).general);
	}
	EXPECT_EQ(3, tries(self->q, LGD_MC_MLD));
	run_until(t1 + 2 * QI_MS / 4 + QI_MS - 1);
	EXPECT_EQ(0, seen(self->cap).general);
	run_until(t1 + 2 * QI_MS / 4 + QI_MS);
	EXPECT_EQ(1, seen(self->cap).general);
}

/* A second takeover later restarts the startup again (RFC 3376 8.7). */
TEST_F(q, every_takeover_restarts)
{
	uint64_t t1;

	lgd_querier_set(self->q, LGD_MC_IGMP, self->lo, true);
	run_until(now_ms + 5 * QI_MS);
	seen(self->cap);
	lgd_querier_set_active(self->q, false);
	run_until(now_ms + QI_MS / 2);
	t1 = now_ms;
	lgd_querier_set_active(self->q, true);
	run_until(t1 + 2 * QI_MS / 4);
	EXPECT_EQ(3, seen(self->cap).general);
}

/* Standing down: the next general query and a round underway stop at once. */
TEST_F(q, standing_down_stops_at_once)
{
	struct lgd_mc_addr g = v4("239.1.2.3");
	struct seen x;

	lgd_querier_set(self->q, LGD_MC_IGMP, self->lo, true);
	lgd_querier_set(self->q, LGD_MC_MLD, self->lo, true);
	run_until(now_ms + 2 * QI_MS);
	seen(self->cap);
	/* last-member-count (2): one now, one an LMQI later. */
	lgd_querier_request(self->q, LGD_MC_IGMP, self->lo, &g, NULL, 0);
	run_until(now_ms);
	EXPECT_EQ(1, seen(self->cap).specific);
	uint64_t mld = tries(self->q, LGD_MC_MLD);

	lgd_querier_set_active(self->q, false);
	run_until(now_ms + 10 * QI_MS);
	x = seen(self->cap);
	EXPECT_EQ(0, x.general);
	EXPECT_EQ(0, x.specific);
	EXPECT_EQ(mld, tries(self->q, LGD_MC_MLD));
	EXPECT_EQ(1, held(self->q, LGD_MC_IGMP));	/* the round's second */
}

/*
 * A takeover in the middle of a last-member round: the backup followed it
 * (its module heard the same Leave) and sends what is left of it.
 */
TEST_F(q, takeover_finishes_a_round)
{
	struct lgd_mc_addr g = v4("239.1.2.3");
	uint64_t t0;

	lgd_querier_set_active(self->q, false);
	lgd_querier_set(self->q, LGD_MC_IGMP, self->lo, true);
	t0 = now_ms;
	lgd_querier_request(self->q, LGD_MC_IGMP, self->lo, &g, NULL, 0);
	run_until(t0 + LMQI_MS / 2);
	EXPECT_EQ(1, held(self->q, LGD_MC_IGMP));
	lgd_querier_set_active(self->q, true);
	run_until(t0 + LMQI_MS / 2);
	EXPECT_EQ(0, seen(self->cap).specific);	/* the general one only */
	run_until(t0 + LMQI_MS);
	EXPECT_EQ(1, seen(self->cap).specific);
	run_until(t0 + 5 * LMQI_MS);
	EXPECT_EQ(0, seen(self->cap).specific);	/* the round is over */
}

/*
 * keepalived flapping (a role each loop turn at worst): every takeover
 * starts the startup once; nothing piles up, nothing leaks.
 */
TEST_F(q, flapping_piles_nothing_up)
{
	struct lgd_mc_addr g = v4("239.1.2.3");
	uint64_t t0 = now_ms;
	int i;

	lgd_querier_set(self->q, LGD_MC_IGMP, self->lo, true);
	for (i = 0; i < 1000; i++) {
		lgd_querier_set_active(self->q, i & 1);
		lgd_querier_request(self->q, LGD_MC_IGMP, self->lo, &g, NULL, 0);
	}
	lgd_querier_set_active(self->q, true);
	run_until(t0);
	struct seen x = seen(self->cap);

	EXPECT_EQ(1, x.general);
	EXPECT_EQ(1, x.specific);	/* one group, one round */
	run_until(t0 + 2 * QI_MS / 4);
	EXPECT_EQ(2, seen(self->cap).general);
	/* The same state twice is no change: no fresh start. */
	lgd_querier_set_active(self->q, true);
	run_until(now_ms);
	EXPECT_EQ(0, seen(self->cap).general);
}

/* An interface gone while passive takes its timers with it. */
TEST_F(q, interface_off_while_passive)
{
	lgd_querier_set_active(self->q, false);
	lgd_querier_set(self->q, LGD_MC_IGMP, self->lo, true);
	lgd_querier_set(self->q, LGD_MC_IGMP, self->lo, false);
	lgd_querier_set_active(self->q, true);
	run_until(now_ms + 2 * QI_MS);
	EXPECT_EQ(0, seen(self->cap).general);
	EXPECT_EQ(0, tries(self->q, LGD_MC_IGMP));
}

TEST_HARNESS_MAIN
